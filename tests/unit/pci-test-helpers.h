/*
 * Helpers shared by the PCI and q35 unit tests: an in-process q35
 * machine, devices created the way -device creates them, guest config
 * access through 0xCF8/0xCFC and ECAM, and a small test endpoint.
 */
#ifndef TESTS_UNIT_PCI_TEST_HELPERS_H
#define TESTS_UNIT_PCI_TEST_HELPERS_H

#include <glib.h>

#include "hw/core/machine.h"
#include "hw/i386/q35.h"
#include "hw/pci/pcie.h"
#include "system/vl.h"

#define TEST_ECAM_BASE  0xb0000000ULL
#define TYPE_TEST_PCIE_EP "test-pcie-ep"

/* A PCIe endpoint (RCiEP on the root bus) with a PASID capability. */
static bool test_ep_realize(PCIDevice *pdev, Error **errp)
{
    uint8_t type = pci_bus_is_root(pdev->bus) ? PCI_EXP_TYPE_RC_END
                                              : PCI_EXP_TYPE_ENDPOINT;
    uint16_t pasid = 0x100;

    if (!pcie_cap_init(pdev, 0x40, type, 0, errp)) {
        return false;
    }
    pcie_cap_set_tlp_prefix(pdev, 1);
    if (!pcie_add_capability(pdev, PCI_EXT_CAP_ID_PASID, 1, pasid,
                             PCI_EXT_CAP_PASID_SIZEOF, errp)) {
        return false;
    }
    pci_set_word(pdev->config + pasid + PCI_PASID_CAP, PCI_PASID_CAP_EXEC |
                 PCI_PASID_CAP_PRIV | (20 << PCI_PASID_CAP_WIDTH_SHIFT));
    pci_set_word(pdev->wmask + pasid + PCI_PASID_CTRL,
                 PCI_PASID_CTRL_ENABLE | PCI_PASID_CTRL_EXEC |
                 PCI_PASID_CTRL_PRIV);
    return true;
}

static void test_ep_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->user_creatable = true;
    pc->vendor_id = 0x1b36;
    pc->device_id = 0x00ff;
    pc->class_id = 0xff0000;
    pc->is_express = true;
    pc->realize = test_ep_realize;
}

static const TypeInfo test_ep_type = {
    .name = TYPE_TEST_PCIE_EP,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCIDevice),
    .class_init = test_ep_class_init,
};

static inline MachineState *test_q35_new(void)
{
    Error *err = NULL;
    MachineState *ms;

    vv_types_init();
    pci_register_types();
    q35_register_types();
    type_register(&test_ep_type);
    ms = machine_create(machine_class_find("q35"), 0, &err);
    g_assert_no_error(err);
    g_assert_nonnull(ms);
    return ms;
}

static inline void test_q35_free(void)
{
    machine_destroy();
    object_tree_reset();
    qbus_list_reset();
}

/* Create and realize @type with "key=value" @props on bus @bus. */
static inline DeviceState *test_device_add(const char *type, const char *id,
                                           const char *bus, Error **errp,
                                           ...)
{
    DeviceState *dev = DEVICE(object_new(type));
    const char *kv;
    va_list ap;

    dev->id = g_strdup(id);
    va_start(ap, errp);
    while ((kv = va_arg(ap, const char *))) {
        g_auto(GStrv) p = g_strsplit(kv, "=", 2);

        if (!qdev_prop_parse(dev, p[0], p[1], errp)) {
            va_end(ap);
            object_unparent(OBJECT(dev));
            return NULL;
        }
    }
    va_end(ap);
    if (!qdev_realize(dev, qbus_find(bus), errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return dev;
}

static inline uint32_t cf8_read(MachineState *ms, uint8_t bus, uint8_t devfn,
                                uint8_t reg, unsigned size)
{
    address_space_st(&ms->io, 0xcf8, 0x80000000u | bus << 16 | devfn << 8 |
                     (reg & 0xfc), 4);
    return address_space_ld(&ms->io, 0xcfc + (reg & 3), size);
}

static inline void cf8_write(MachineState *ms, uint8_t bus, uint8_t devfn,
                             uint8_t reg, uint32_t val, unsigned size)
{
    address_space_st(&ms->io, 0xcf8, 0x80000000u | bus << 16 | devfn << 8 |
                     (reg & 0xfc), 4);
    address_space_st(&ms->io, 0xcfc + (reg & 3), val, size);
}

/* What firmware does first: PCIEXBAR = base | enable, 256 buses. */
static inline void ecam_enable(MachineState *ms, uint64_t base)
{
    cf8_write(ms, 0, 0, 0x64, base >> 32, 4);
    cf8_write(ms, 0, 0, 0x60, (uint32_t)base | 1, 4);
}

static inline hwaddr ecam_addr(uint8_t bus, uint8_t devfn, uint16_t reg)
{
    return TEST_ECAM_BASE + ((hwaddr)bus << 20) + ((hwaddr)devfn << 12) + reg;
}

static inline uint32_t ecam_read(MachineState *ms, uint8_t bus, uint8_t devfn,
                                 uint16_t reg, unsigned size)
{
    return address_space_ld(&ms->memory, ecam_addr(bus, devfn, reg), size);
}

static inline void ecam_write(MachineState *ms, uint8_t bus, uint8_t devfn,
                              uint16_t reg, uint32_t val, unsigned size)
{
    address_space_st(&ms->memory, ecam_addr(bus, devfn, reg), val, size);
}

/* Linux's walk: the extended capability @id through ECAM, 0 if absent. */
static inline uint16_t ecam_find_ext_cap(MachineState *ms, uint8_t bus,
                                         uint8_t devfn, uint16_t id)
{
    uint16_t pos = 0x100;

    for (int ttl = 480; pos >= 0x100 && ttl; ttl--) {
        uint32_t h = ecam_read(ms, bus, devfn, pos, 4);

        if (!h || h == UINT32_MAX) {
            return 0;
        }
        if ((h & 0xffff) == id && pos) {
            return pos;
        }
        pos = (h >> 20) & 0xffc;
    }
    return 0;
}

/* The standard capability @id through ECAM, 0 if absent. */
static inline uint8_t ecam_find_cap(MachineState *ms, uint8_t bus,
                                    uint8_t devfn, uint8_t id)
{
    uint8_t pos;

    if (!(ecam_read(ms, bus, devfn, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    pos = ecam_read(ms, bus, devfn, PCI_CAPABILITY_LIST, 1) & ~3;
    for (int ttl = 48; pos >= 0x40 && ttl; ttl--) {
        if (ecam_read(ms, bus, devfn, pos, 1) == id) {
            return pos;
        }
        pos = ecam_read(ms, bus, devfn, pos + 1, 1) & ~3;
    }
    return 0;
}

#endif

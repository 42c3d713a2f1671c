/*
 * PCI-to-PCI bridge base type: type 1 header and the secondary bus.
 */
#include "hw/pci/pci_bridge.h"

#include <string.h>

/* "pcie.N" for a bridge without an id: the first name no bus uses. */
static char *pci_bridge_bus_name(PCIDevice *pdev)
{
    if (pdev->qdev.id) {
        return g_strdup(pdev->qdev.id);
    }
    for (unsigned n = 1;; n++) {
        char *name = g_strdup_printf("pcie.%u", n);

        if (!qbus_find(name)) {
            return name;
        }
        g_free(name);
    }
}

static void pci_bridge_init_masks(PCIDevice *pdev)
{
    uint8_t *w = pdev->wmask;

    w[PCI_PRIMARY_BUS] = 0xff;
    w[PCI_SECONDARY_BUS] = 0xff;
    w[PCI_SUBORDINATE_BUS] = 0xff;
    w[PCI_SEC_LATENCY_TIMER] = 0xff;
    /* 32-bit I/O and 64-bit prefetchable windows, 4 KiB / 1 MiB units */
    pdev->config[PCI_IO_BASE] = PCI_IO_RANGE_TYPE_32;
    pdev->config[PCI_IO_LIMIT] = PCI_IO_RANGE_TYPE_32;
    w[PCI_IO_BASE] = 0xf0;
    w[PCI_IO_LIMIT] = 0xf0;
    pci_set_word(w + PCI_MEMORY_BASE, 0xfff0);
    pci_set_word(w + PCI_MEMORY_LIMIT, 0xfff0);
    pci_set_word(pdev->config + PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(pdev->config + PCI_PREF_MEMORY_LIMIT,
                 PCI_PREF_RANGE_TYPE_64);
    pci_set_word(w + PCI_PREF_MEMORY_BASE, 0xfff0);
    pci_set_word(w + PCI_PREF_MEMORY_LIMIT, 0xfff0);
    pci_set_long(w + PCI_PREF_BASE_UPPER32, UINT32_MAX);
    pci_set_long(w + PCI_PREF_LIMIT_UPPER32, UINT32_MAX);
    pci_set_word(w + PCI_IO_BASE_UPPER16, 0xffff);
    pci_set_word(w + PCI_IO_LIMIT_UPPER16, 0xffff);
    pci_set_word(w + PCI_BRIDGE_CONTROL,
                 PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
                 PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_VGA |
                 PCI_BRIDGE_CTL_VGA_16BIT | PCI_BRIDGE_CTL_MASTER_ABORT |
                 PCI_BRIDGE_CTL_BUS_RESET);
    pci_set_word(pdev->w1cmask + PCI_SEC_STATUS,
                 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
                 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
                 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
}

void pci_bridge_initfn(PCIDevice *pdev)
{
    PCIBridge *br = PCI_BRIDGE(pdev);
    g_autofree char *name = pci_bridge_bus_name(pdev);

    pci_bridge_init_masks(pdev);
    pci_bus_init(&br->sec_bus, name, pdev);
    qbus_register(&br->sec_bus.qbus);
    pdev->sec_bus = &br->sec_bus;
}

static void pci_bridge_reset_one(PCIDevice *pdev, void *opaque)
{
    pci_device_reset(pdev);
}

void pci_bridge_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                             int len)
{
    uint16_t old = pci_get_word(pdev->config + PCI_BRIDGE_CONTROL);
    uint16_t now;

    pci_default_write_config(pdev, addr, val, len);
    now = pci_get_word(pdev->config + PCI_BRIDGE_CONTROL);
    /*
     * Setting Secondary Bus Reset resets everything below, as hardware
     * does; it is how a guest resets a function without FLR, and the
     * emulated registers (the PASID capability among them) must come
     * back to their reset values with the device.
     */
    if (!(old & PCI_BRIDGE_CTL_BUS_RESET) && (now & PCI_BRIDGE_CTL_BUS_RESET)) {
        pci_for_each_device(pdev->sec_bus, pci_bridge_reset_one, NULL);
    }
}

void pci_bridge_exitfn(PCIDevice *pdev)
{
    PCIBridge *br = PCI_BRIDGE(pdev);

    if (pdev->sec_bus) {
        pci_bus_cleanup(&br->sec_bus);
        pdev->sec_bus = NULL;
    }
}

uint64_t pci_bridge_get_base(PCIDevice *pdev, int space)
{
    const uint8_t *c = pdev->config;

    switch (space) {
    case PCI_BRIDGE_WINDOW_IO:
        return ((uint64_t)pci_get_word(c + PCI_IO_BASE_UPPER16) << 16) |
               ((c[PCI_IO_BASE] & 0xf0) << 8);
    case PCI_BRIDGE_WINDOW_MEM:
        return (uint64_t)(pci_get_word(c + PCI_MEMORY_BASE) & 0xfff0) << 16;
    default:
        return ((uint64_t)pci_get_long(c + PCI_PREF_BASE_UPPER32) << 32) |
               ((uint64_t)(pci_get_word(c + PCI_PREF_MEMORY_BASE) & 0xfff0)
                << 16);
    }
}

uint64_t pci_bridge_get_limit(PCIDevice *pdev, int space)
{
    const uint8_t *c = pdev->config;

    switch (space) {
    case PCI_BRIDGE_WINDOW_IO:
        return ((uint64_t)pci_get_word(c + PCI_IO_LIMIT_UPPER16) << 16) |
               ((c[PCI_IO_LIMIT] & 0xf0) << 8) | 0xfff;
    case PCI_BRIDGE_WINDOW_MEM:
        return ((uint64_t)(pci_get_word(c + PCI_MEMORY_LIMIT) & 0xfff0)
                << 16) | 0xfffff;
    default:
        return ((uint64_t)pci_get_long(c + PCI_PREF_LIMIT_UPPER32) << 32) |
               ((uint64_t)(pci_get_word(c + PCI_PREF_MEMORY_LIMIT) & 0xfff0)
                << 16) | 0xfffff;
    }
}

static void pci_bridge_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->is_bridge = true;
    pc->class_id = PCI_CLASS_BRIDGE_PCI << 8;
}

static const TypeInfo pci_bridge_type = {
    .name = TYPE_PCI_BRIDGE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCIBridge),
    .abstract = true,
    .class_init = pci_bridge_class_init,
};

void pci_bridge_register_types(void)
{
    type_register(&pci_bridge_type);
}

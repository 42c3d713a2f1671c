/*
 * PCI core: the pci-device type, guest config access through the masks,
 * standard capabilities, buses and bus/devfn lookup.
 */
#include "hw/pci/pci.h"
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"

#include <string.h>

size_t pci_config_size(const PCIDevice *pdev)
{
    const PCIDeviceClass *pc =
        PCI_DEVICE_GET_CLASS((PCIDevice *)pdev);

    return pc->is_express ? PCIE_CONFIG_SPACE_SIZE : PCI_CONFIG_SPACE_SIZE;
}

static uint32_t len_mask(int len)
{
    return len >= 4 ? UINT32_MAX : (1u << (len * 8)) - 1;
}

static bool pci_access_ok(PCIDevice *pdev, uint32_t addr, int len)
{
    return (len == 1 || len == 2 || len == 4) &&
           addr < pci_config_size(pdev) &&
           len <= (int)(pci_config_size(pdev) - addr);
}

uint32_t pci_default_read_config(PCIDevice *pdev, uint32_t addr, int len)
{
    uint32_t val = 0;

    for (int i = 0; i < len; i++) {
        val |= (uint32_t)pci_config_byte(pdev, PCI_CONFIG_VALUES, addr + i)
               << (8 * i);
    }
    return val;
}

void pci_default_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                              int len)
{
    for (int i = 0; i < len; i++) {
        uint8_t *c = pci_config_cell(pdev, PCI_CONFIG_VALUES, addr + i);
        uint8_t b = val >> (8 * i);
        uint8_t wm = pci_config_byte(pdev, PCI_CONFIG_WMASK, addr + i);
        uint8_t w1c = pci_config_byte(pdev, PCI_CONFIG_W1CMASK, addr + i);

        /* A byte packed away has no writable bits. */
        if (c) {
            *c = ((*c & ~wm) | (b & wm)) & ~(b & w1c);
        }
    }
}

uint32_t pci_config_read(PCIDevice *pdev, uint32_t addr, int len)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);

    if (!pci_access_ok(pdev, addr, len)) {
        return len_mask(len > 0 && len < 4 ? len : 4);
    }
    if (pc->config_read) {
        return pc->config_read(pdev, addr, len) & len_mask(len);
    }
    return pci_default_read_config(pdev, addr, len);
}

void pci_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val, int len)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);

    if (!pci_access_ok(pdev, addr, len)) {
        return;
    }
    val &= len_mask(len);
    if (pc->config_write) {
        pc->config_write(pdev, addr, val, len);
    } else {
        pci_default_write_config(pdev, addr, val, len);
    }
}

/* ---- standard capabilities ---- */

/* Bytes a standard capability occupies, from its own registers. */
static unsigned pci_std_cap_size(PCIDevice *pdev, uint8_t pos)
{
    uint16_t flags = pci_get_word(pdev->config + pos + PCI_CAP_FLAGS);

    switch (pdev->config[pos]) {
    case PCI_CAP_ID_PM:
    case PCI_CAP_ID_SSVID:
    case PCI_CAP_ID_SATA:
        return 8;
    case PCI_CAP_ID_MSI:
        /* 64-bit address adds 4, per-vector masking adds 10 */
        return 10 + ((flags & 0x80) ? 4 : 0) + ((flags & 0x100) ? 10 : 0);
    case PCI_CAP_ID_MSIX:
        return 12;
    case PCI_CAP_ID_EXP:
        return PCI_EXP_CAP_SIZEOF;
    case PCI_CAP_ID_VNDR:
        return MAX(pdev->config[pos + PCI_CAP_FLAGS], 3);
    case PCI_CAP_ID_AF:
        return 6;
    default:
        return 2;
    }
}

uint8_t pci_find_capability(PCIDevice *pdev, uint8_t cap_id)
{
    uint8_t pos;

    if (!(pci_get_word(pdev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    pos = pdev->config[PCI_CAPABILITY_LIST] & ~3;
    /* A corrupt (pass-through) chain must not loop forever. */
    for (int ttl = 48; pos >= PCI_STD_HEADER_SIZEOF && ttl; ttl--) {
        if (pdev->config[pos + PCI_CAP_LIST_ID] == cap_id) {
            return pos;
        }
        pos = pdev->config[pos + PCI_CAP_LIST_NEXT] & ~3;
    }
    return 0;
}

static bool pci_std_cap_overlaps(PCIDevice *pdev, unsigned offset,
                                 unsigned size, uint8_t cap_id, Error **errp)
{
    uint8_t pos = 0;

    if (pci_get_word(pdev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST) {
        pos = pdev->config[PCI_CAPABILITY_LIST] & ~3;
    }
    for (int ttl = 48; pos >= PCI_STD_HEADER_SIZEOF && ttl; ttl--) {
        unsigned csize = pci_std_cap_size(pdev, pos);

        if (offset < pos + csize && pos < offset + size) {
            error_setg(errp, "PCI capability 0x%x at 0x%x (size 0x%x) "
                       "overlaps capability 0x%x at 0x%x (size 0x%x)",
                       cap_id, offset, size, pdev->config[pos], pos, csize);
            return true;
        }
        pos = pdev->config[pos + PCI_CAP_LIST_NEXT] & ~3;
    }
    return false;
}

static unsigned pci_std_cap_find_space(PCIDevice *pdev, unsigned size)
{
    for (unsigned off = PCI_STD_HEADER_SIZEOF;
         off + size <= PCI_CONFIG_SPACE_SIZE; off += 4) {
        if (!pci_std_cap_overlaps(pdev, off, size, 0, NULL)) {
            return off;
        }
    }
    return 0;
}

uint8_t pci_add_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, Error **errp)
{
    unsigned off = offset;

    if (size < 2) {
        error_setg(errp, "PCI capability 0x%x: size %u is too small",
                   cap_id, size);
        return 0;
    }
    if (!off) {
        off = pci_std_cap_find_space(pdev, size);
        if (!off) {
            error_setg(errp, "PCI capability 0x%x: no room for %u bytes",
                       cap_id, size);
            return 0;
        }
    } else if (off & 3) {
        error_setg(errp, "PCI capability 0x%x offset 0x%x is not dword "
                   "aligned", cap_id, off);
        return 0;
    } else if (off < PCI_STD_HEADER_SIZEOF) {
        error_setg(errp, "PCI capability 0x%x offset 0x%x is inside the "
                   "header", cap_id, off);
        return 0;
    } else if (off + size > PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "PCI capability 0x%x at 0x%x (size 0x%x) runs past "
                   "0xff", cap_id, off, size);
        return 0;
    } else if (pci_std_cap_overlaps(pdev, off, size, cap_id, errp)) {
        return 0;
    }
    memset(pdev->config + off, 0, size);
    memset(pdev->wmask + off, 0, size);
    memset(pdev->w1cmask + off, 0, size);
    pdev->config[off + PCI_CAP_LIST_ID] = cap_id;
    /* New capabilities go first, as QEMU's do. */
    if (pci_get_word(pdev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST) {
        pdev->config[off + PCI_CAP_LIST_NEXT] =
            pdev->config[PCI_CAPABILITY_LIST];
    }
    pdev->config[PCI_CAPABILITY_LIST] = off;
    pci_set_word(pdev->config + PCI_STATUS,
                 pci_get_word(pdev->config + PCI_STATUS) |
                 PCI_STATUS_CAP_LIST);
    return off;
}

/* ---- buses ---- */

void pci_bus_init(PCIBus *bus, const char *name, PCIDevice *parent_dev)
{
    memset(bus, 0, sizeof(*bus));
    qbus_init(&bus->qbus, TYPE_PCIE_BUS, name,
              parent_dev ? DEVICE(parent_dev) : NULL);
    bus->parent_dev = parent_dev;
}

void pci_bus_cleanup(PCIBus *bus)
{
    qbus_cleanup(&bus->qbus);
}

bool pci_bus_is_root(const PCIBus *bus)
{
    return !bus->parent_dev;
}

uint8_t pci_bus_num(const PCIBus *bus)
{
    if (pci_bus_is_root(bus)) {
        return bus->root_bus_nr;
    }
    return bus->parent_dev->config[PCI_SECONDARY_BUS];
}

PCIBus *pci_get_root_bus(PCIBus *bus)
{
    while (bus->parent_dev) {
        bus = bus->parent_dev->bus;
    }
    return bus;
}

static PCIBus *pci_find_bus(PCIBus *bus, uint8_t bus_num)
{
    if (pci_bus_num(bus) == bus_num) {
        return bus;
    }
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        uint8_t sec, sub;

        if (!d || !d->sec_bus) {
            continue;
        }
        sec = d->config[PCI_SECONDARY_BUS];
        sub = d->config[PCI_SUBORDINATE_BUS];
        /* Secondary 0 means firmware has not numbered the bridge yet. */
        if (sec && sec <= bus_num && bus_num <= sub) {
            PCIBus *found = pci_find_bus(d->sec_bus, bus_num);

            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

PCIDevice *pci_find_device(PCIBus *root, uint8_t bus_num, uint8_t devfn)
{
    PCIBus *bus = pci_find_bus(root, bus_num);

    /* The main root bus's own bridges win over an expander's numbers. */
    for (PCIBus *x = root->extra_roots; !bus && x; x = x->next_extra_root) {
        bus = pci_find_bus(x, bus_num);
    }
    return bus ? bus->devices[devfn] : NULL;
}

void pci_extra_root_bus_init(PCIBus *bus, const char *name,
                             DeviceState *owner, PCIBus *host,
                             uint8_t bus_nr)
{
    pci_bus_init(bus, name, NULL);
    /* A root bus (no parent bridge), yet its owner's child bus. */
    bus->qbus.parent = owner;
    bus->root_bus_nr = bus_nr;
    bus->host_root = host;
    bus->next_extra_root = host->extra_roots;
    host->extra_roots = bus;
    qbus_register(&bus->qbus);
}

void pci_extra_root_bus_cleanup(PCIBus *bus)
{
    PCIBus **link = &bus->host_root->extra_roots;

    while (*link && *link != bus) {
        link = &(*link)->next_extra_root;
    }
    if (*link) {
        *link = bus->next_extra_root;
    }
    bus->next_extra_root = NULL;
    bus->host_root = NULL;
    pci_bus_cleanup(bus);
}

PCIBus *pci_extra_root_bus_find(PCIBus *host, uint8_t bus_nr)
{
    for (PCIBus *x = host->extra_roots; x; x = x->next_extra_root) {
        if (x->root_bus_nr == bus_nr) {
            return x;
        }
    }
    return NULL;
}

uint32_t pci_host_config_read(PCIBus *root, uint8_t bus_num, uint8_t devfn,
                              uint32_t addr, int len)
{
    PCIDevice *pdev = pci_find_device(root, bus_num, devfn);

    if (!pdev) {
        return len_mask(len);
    }
    return pci_config_read(pdev, addr, len);
}

void pci_host_config_write(PCIBus *root, uint8_t bus_num, uint8_t devfn,
                           uint32_t addr, uint32_t val, int len)
{
    PCIDevice *pdev = pci_find_device(root, bus_num, devfn);

    if (pdev) {
        pci_config_write(pdev, addr, val, len);
    }
}

void pci_for_each_device(PCIBus *bus, void (*fn)(PCIDevice *, void *),
                         void *opaque)
{
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (d) {
            fn(d, opaque);
            if (d->sec_bus) {
                pci_for_each_device(d->sec_bus, fn, opaque);
            }
        }
    }
}

/* "0000:BB:SS.F", formatted by hand: every plugged host device asks. */
char *pci_device_bdf(PCIDevice *pdev)
{
    static const char hex[] = "0123456789abcdef";
    unsigned bus = pci_bus_num(pdev->bus), slot = PCI_SLOT(pdev->devfn);
    char bdf[] = "0000:00:00.0";

    bdf[5] = hex[(bus >> 4) & 15];
    bdf[6] = hex[bus & 15];
    bdf[8] = hex[slot >> 4];
    bdf[9] = hex[slot & 15];
    bdf[11] = hex[PCI_FUNC(pdev->devfn)];
    return g_strdup(bdf);
}

/* ---- the pci-device type ---- */

static const char *pci_dev_name(PCIDevice *pdev)
{
    return object_get_typename(OBJECT(pdev));
}

static bool pci_bus_place(PCIBus *bus, PCIDevice *pdev, Error **errp)
{
    int devfn = pdev->devfn;
    const char *name = pci_dev_name(pdev);

    if (devfn < 0) {
        for (devfn = 0; devfn < 256; devfn += 8) {
            if (!bus->devices[devfn]) {
                break;
            }
        }
        if (devfn >= 256) {
            error_setg(errp, "PCI: no slot/function available for %s, all in "
                       "use or reserved", name);
            return false;
        }
    } else if (devfn > 255) {
        error_setg(errp, "PCI: invalid devfn %d for %s", devfn, name);
        return false;
    } else if (bus->devices[devfn]) {
        PCIDevice *other = bus->devices[devfn];

        error_setg(errp, "PCI: slot %d function %d not available for %s, in "
                   "use by %s,id=%s", PCI_SLOT(devfn), PCI_FUNC(devfn), name,
                   pci_dev_name(other), other->qdev.id ? other->qdev.id : "");
        return false;
    }
    /* Below a PCIe port's link (not a PCIe-to-PCI bridge): slot 0 only. */
    if (!pci_bus_is_root(bus) && bus->parent_dev->exp_cap &&
        (pcie_cap_get_type(bus->parent_dev) == PCI_EXP_TYPE_ROOT_PORT ||
         pcie_cap_get_type(bus->parent_dev) == PCI_EXP_TYPE_DOWNSTREAM) &&
        PCI_SLOT(devfn)) {
        error_setg(errp, "PCI: slot %d is not valid for %s, parent device "
                   "only allows plugging into slot 0.", PCI_SLOT(devfn), name);
        return false;
    }
    pdev->devfn = devfn;
    return true;
}

/* QEMU's multifunction rules: function 0 decides for the whole slot. */
static bool pci_check_multifunction(PCIBus *bus, PCIDevice *pdev,
                                    Error **errp)
{
    int slot = PCI_SLOT(pdev->devfn);
    PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];

    if (PCI_FUNC(pdev->devfn)) {
        if (f0 && pdev->qdev.hotplugged) {
            error_setg(errp, "PCI: slot %d function 0 already occupied by %s, "
                       "new func %s cannot be exposed to guest.", slot,
                       pci_dev_name(f0), pci_dev_name(pdev));
            return false;
        }
        if (f0 && !f0->multifunction) {
            error_setg(errp, "PCI: single function device can't be populated "
                       "in function %x.%x", slot, PCI_FUNC(pdev->devfn));
            return false;
        }
        return true;
    }
    if (pdev->multifunction) {
        return true;
    }
    for (int fn = 1; fn < 8; fn++) {
        if (bus->devices[PCI_DEVFN(slot, fn)]) {
            error_setg(errp, "PCI: %x.0 indicates single function, but %x.%x "
                       "is already populated.", slot, slot, fn);
            return false;
        }
    }
    return true;
}

/*
 * config[] and the masks zeroed; reset_config[] is filled at the end of
 * realize.  Sized for the device's config space, so that a conventional
 * device does not carry 16 KiB of extended space.
 */
static void pci_config_alloc(PCIDevice *pdev)
{
    size_t size = pci_config_size(pdev);

    if (pdev->config_len != size) {
        pci_config_free(pdev);  /* packed by an earlier realize */
    }
    if (!pdev->config) {
        pci_config_set_block(pdev, g_malloc(PCI_CONFIG_EMULATED * size),
                             size);
    }
    memset(pdev->config, 0, size);
    memset(pdev->wmask, 0, size);
    memset(pdev->w1cmask, 0, size);
}

static void pci_init_header(PCIDevice *pdev)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);
    uint8_t *c;

    pci_config_alloc(pdev);
    c = pdev->config;
    pci_set_word(c + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(c + PCI_DEVICE_ID, pc->device_id);
    c[PCI_REVISION_ID] = pc->revision;
    c[PCI_CLASS_PROG] = pc->class_id & 0xff;
    pci_set_word(c + PCI_CLASS_DEVICE, pc->class_id >> 8);
    c[PCI_HEADER_TYPE] = (pc->is_bridge ? PCI_HEADER_TYPE_BRIDGE
                                        : PCI_HEADER_TYPE_NORMAL) |
                         (pdev->multifunction ?
                          PCI_HEADER_TYPE_MULTI_FUNCTION : 0);
    if (!pc->is_bridge) {
        pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID, pc->subsystem_vendor_id ?:
                     PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
        pci_set_word(c + PCI_SUBSYSTEM_ID, pc->subsystem_vendor_id ?
                     pc->subsystem_id : PCI_SUBDEVICE_ID_QEMU);
    }
    pci_set_word(pdev->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                 PCI_COMMAND_INTX_DISABLE);
    pci_set_word(pdev->w1cmask + PCI_STATUS,
                 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
                 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
                 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
    pdev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    pdev->wmask[PCI_LATENCY_TIMER] = 0xff;
    pdev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    pdev->exp_cap = 0;
}

static PCIBus *pci_dev_parent_bus(DeviceState *dev, Error **errp)
{
    if (!dev->parent_bus || strcmp(dev->parent_bus->type, TYPE_PCIE_BUS)) {
        error_setg(errp, "%s: not on a PCI bus",
                   object_get_typename(OBJECT(dev)));
        return NULL;
    }
    return (PCIBus *)dev->parent_bus;
}

static bool pci_qdev_realize(DeviceState *dev, Error **errp)
{
    PCIDevice *pdev = PCI_DEVICE(dev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);
    PCIBus *bus = pci_dev_parent_bus(dev, errp);
    int32_t requested = pdev->devfn;

    if (!bus || !pci_bus_place(bus, pdev, errp)) {
        return false;
    }
    if (!pci_check_multifunction(bus, pdev, errp)) {
        pdev->devfn = requested;
        return false;
    }
    pci_init_header(pdev);
    pdev->bus = bus;
    bus->devices[pdev->devfn] = pdev;
    if (pc->realize && !pc->realize(pdev, errp)) {
        bus->devices[pdev->devfn] = NULL;
        pdev->bus = NULL;
        pdev->devfn = requested;
        return false;
    }
    pci_config_snapshot(pdev);
    if (pc->packs_ext_config) {
        pci_config_pack(pdev);
    }
    return true;
}

static void pci_qdev_unrealize(DeviceState *dev)
{
    PCIDevice *pdev = PCI_DEVICE(dev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);

    if (pc->exit) {
        pc->exit(pdev);
    }
    if (pdev->bus && pdev->bus->devices[pdev->devfn] == pdev) {
        pdev->bus->devices[pdev->devfn] = NULL;
    }
    pdev->bus = NULL;
}

void pci_device_reset(PCIDevice *pdev)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);

    pci_config_restore(pdev);
    if (pc->reset) {
        pc->reset(pdev);
    }
}

static void pci_qdev_reset(DeviceState *dev)
{
    pci_device_reset(PCI_DEVICE(dev));
}

static const Property pci_device_props[] = {
    DEFINE_PROP_PCI_DEVFN("addr", PCIDevice, devfn, -1),
    DEFINE_PROP_BOOL("multifunction", PCIDevice, multifunction, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void pci_device_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_PCIE_BUS;
    dc->hotpluggable = true;
    dc->realize = pci_qdev_realize;
    dc->unrealize = pci_qdev_unrealize;
    dc->reset = pci_qdev_reset;
    device_class_set_props(dc, pci_device_props);
}

static void pci_device_instance_finalize(Object *obj)
{
    PCIDevice *pdev = PCI_DEVICE(obj);

    pci_config_free(pdev);
}

static const TypeInfo pci_device_type = {
    .name = TYPE_PCI_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(PCIDevice),
    .instance_finalize = pci_device_instance_finalize,
    .class_size = sizeof(PCIDeviceClass),
    .abstract = true,
    .class_init = pci_device_class_init,
};

void pci_register_types(void)
{
    type_register(&pci_device_type);
    pci_bridge_register_types();
    pcie_root_port_register_types();
    pci_bridge_dev_register_types();
}

/*
 * The q35 machine: see include/hw/i386/q35.h.
 */
#include "hw/i386/q35.h"

#include <string.h>

/* ---- MCH host bridge 00:00.0 ---- */

typedef struct MCHPCIState {
    PCIDevice parent_obj;
    PCIExpressHost *pehb;       /* the machine's ECAM window */
} MCHPCIState;

#define MCH_PCI_DEVICE(o) OBJECT_CHECK(MCHPCIState, (o), TYPE_MCH_PCI_DEVICE)

/* Decode PCIEXBAR as the MCH does and move the ECAM window to match. */
static void mch_update_pciexbar(MCHPCIState *mch)
{
    PCIDevice *pdev = PCI_DEVICE(mch);
    uint64_t bar = pci_get_quad(pdev->config + MCH_HOST_BRIDGE_PCIEXBAR);
    uint64_t mask = MCH_HOST_BRIDGE_PCIEXBAR_ADMSK;
    uint64_t length;

    switch (bar & MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK) {
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M:
        length = 256ULL << 20;
        break;
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_128M:
        length = 128ULL << 20;
        mask |= MCH_HOST_BRIDGE_PCIEXBAR_128ADMSK;
        break;
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_64M:
        length = 64ULL << 20;
        mask |= MCH_HOST_BRIDGE_PCIEXBAR_128ADMSK |
                MCH_HOST_BRIDGE_PCIEXBAR_64ADMSK;
        break;
    default:
        /* Reserved length: the window stays where it was, as in QEMU. */
        return;
    }
    if (mch->pehb) {
        pcie_host_mmcfg_update(mch->pehb, bar & MCH_HOST_BRIDGE_PCIEXBAREN,
                               bar & mask, length);
    }
}

static void mch_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                             int len)
{
    pci_default_write_config(pdev, addr, val, len);
    mch_smram_config_written(pdev, addr, len);
    if (addr < MCH_HOST_BRIDGE_PCIEXBAR + MCH_HOST_BRIDGE_PCIEXBAR_SIZE &&
        MCH_HOST_BRIDGE_PCIEXBAR < addr + len) {
        mch_update_pciexbar(MCH_PCI_DEVICE(pdev));
    }
}

static bool mch_realize(PCIDevice *pdev, Error **errp)
{
    pci_set_quad(pdev->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);
    pci_set_quad(pdev->wmask + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_WMASK);
    mch_smram_reset(pdev);
    return true;
}

static void mch_reset(PCIDevice *pdev)
{
    mch_smram_reset(pdev);
    mch_update_pciexbar(MCH_PCI_DEVICE(pdev));
}

static void mch_exit(PCIDevice *pdev)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(pdev);

    if (mch->pehb) {
        pcie_host_mmcfg_update(mch->pehb, false, 0, 0);
    }
}

static void mch_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "Host bridge";
    oc->user_creatable = false;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_P35_MCH;
    pc->class_id = PCI_CLASS_BRIDGE_HOST << 8;
    pc->realize = mch_realize;
    pc->exit = mch_exit;
    pc->reset = mch_reset;
    pc->config_write = mch_write_config;
    DEVICE_CLASS(oc)->hotpluggable = false;
}

/* ---- ICH9 functions: identity only, so slots fill as in QEMU ---- */

static void ich9_lpc_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "ICH9 LPC bridge";
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_ICH9_8;
    pc->revision = 2;
    pc->class_id = PCI_CLASS_BRIDGE_ISA << 8;
    DEVICE_CLASS(oc)->hotpluggable = false;
}

static bool ich9_pin_a_realize(PCIDevice *pdev, Error **errp)
{
    pdev->config[PCI_INTERRUPT_PIN] = 1;
    return true;
}

static void ich9_ahci_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "ICH9 AHCI";
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_82801IR;
    pc->revision = 2;
    pc->class_id = PCI_CLASS_STORAGE_SATA_AHCI;
    pc->realize = ich9_pin_a_realize;
    DEVICE_CLASS(oc)->hotpluggable = false;
}

static void ich9_smb_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "ICH9 SMBus";
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_ICH9_6;
    pc->revision = 2;
    pc->class_id = PCI_CLASS_SERIAL_SMBUS << 8;
    pc->realize = ich9_pin_a_realize;
    DEVICE_CLASS(oc)->hotpluggable = false;
}

/* ---- legacy config mechanism: 0xCF8 address, 0xCFC-0xCFF data ---- */

static uint64_t q35_conf_addr_read(void *opaque, hwaddr addr, unsigned size)
{
    Q35MachineState *q35 = opaque;

    return addr == 0 && size == 4 ? q35->config_reg : UINT64_MAX;
}

static void q35_conf_addr_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    Q35MachineState *q35 = opaque;

    /* Only a dword write latches the address, as on the chipset. */
    if (addr == 0 && size == 4) {
        q35->config_reg = val;
    }
}

static uint64_t q35_conf_data_read(void *opaque, hwaddr addr, unsigned size)
{
    Q35MachineState *q35 = opaque;
    uint32_t reg = q35->config_reg;

    if (!(reg & Q35_CONFIG_ADDR_ENABLE) || size > 4) {
        return UINT64_MAX;
    }
    return pci_host_config_read(&q35->pcie0, (reg >> 16) & 0xff,
                                (reg >> 8) & 0xff, (reg & 0xfc) | addr, size);
}

static void q35_conf_data_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    Q35MachineState *q35 = opaque;
    uint32_t reg = q35->config_reg;

    if (!(reg & Q35_CONFIG_ADDR_ENABLE) || size > 4) {
        return;
    }
    pci_host_config_write(&q35->pcie0, (reg >> 16) & 0xff,
                          (reg >> 8) & 0xff, (reg & 0xfc) | addr, val, size);
}

static const MemoryRegionOps q35_conf_addr_ops = {
    .read = q35_conf_addr_read,
    .write = q35_conf_addr_write,
};

static const MemoryRegionOps q35_conf_data_ops = {
    .read = q35_conf_data_read,
    .write = q35_conf_data_write,
};

/* ---- the machine ---- */

static void q35_init_ram(Q35MachineState *q35)
{
    MachineState *ms = &q35->parent_obj;
    uint64_t lowmem = ms->ram_size >= Q35_LOWMEM_SMALL ? Q35_LOWMEM_LARGE
                                                        : Q35_LOWMEM_SMALL;

    q35->below_4g_mem_size = MIN(ms->ram_size, lowmem);
    q35->above_4g_mem_size = ms->ram_size - q35->below_4g_mem_size;
    memory_region_init_ram(&ms->ram, "pc.ram", 0, q35->below_4g_mem_size);
    address_space_add_region(&ms->memory, &ms->ram);
    if (q35->above_4g_mem_size) {
        memory_region_init_ram(&q35->ram_above_4g, "ram-above-4g",
                               Q35_ABOVE_4G_BASE, q35->above_4g_mem_size);
        address_space_add_region(&ms->memory, &q35->ram_above_4g);
    }
}

static bool q35_add_builtin(Q35MachineState *q35, const char *type,
                            const char *name, int devfn, bool multifunction,
                            Error **errp)
{
    Object *obj = object_new(type);
    PCIDevice *pdev = PCI_DEVICE(obj);

    pdev->devfn = devfn;
    pdev->multifunction = multifunction;
    if (!strcmp(type, TYPE_MCH_PCI_DEVICE)) {
        MCH_PCI_DEVICE(obj)->pehb = &q35->pcie_host;
    }
    object_property_add_child(container_get("/machine/unattached"), name,
                              obj);
    if (!qdev_realize(DEVICE(obj), &q35->pcie0.qbus, errp)) {
        object_unparent(obj);
        return false;
    }
    return true;
}

static bool q35_init(MachineState *ms, Error **errp)
{
    Q35MachineState *q35 = Q35_MACHINE(ms);

    q35_init_ram(q35);
    pci_bus_init(&q35->pcie0, "pcie.0", NULL);
    qbus_register(&q35->pcie0.qbus);
    /* As QEMU's q35: a root-bus function has no slot to announce it. */
    q35->pcie0.qbus.no_hotplug = true;
    ms->pci_root = &q35->pcie0;
    pcie_host_mmcfg_init(&q35->pcie_host, "pcie-mmcfg-mmio", &q35->pcie0,
                         &ms->memory);
    memory_region_init_io(&q35->conf_addr, "pci-conf-idx",
                          Q35_CONFIG_ADDR_PORT, 4, &q35_conf_addr_ops, q35);
    memory_region_init_io(&q35->conf_data, "pci-conf-data",
                          Q35_CONFIG_DATA_PORT, 4, &q35_conf_data_ops, q35);
    address_space_add_region(&ms->io, &q35->conf_addr);
    address_space_add_region(&ms->io, &q35->conf_data);
    return q35_add_builtin(q35, TYPE_MCH_PCI_DEVICE, "mch", PCI_DEVFN(0, 0),
                           false, errp) &&
           q35_add_builtin(q35, TYPE_ICH9_LPC, "ich9-lpc", PCI_DEVFN(0x1f, 0),
                           true, errp) &&
           q35_add_builtin(q35, TYPE_ICH9_AHCI, "ich9-ahci",
                           PCI_DEVFN(0x1f, 2), false, errp) &&
           q35_add_builtin(q35, TYPE_ICH9_SMB, "ich9-smb", PCI_DEVFN(0x1f, 3),
                           false, errp);
}

static void q35_reset(MachineState *ms)
{
    Q35_MACHINE(ms)->config_reg = 0;
}

static void q35_finalize(Object *obj)
{
    Q35MachineState *q35 = Q35_MACHINE(obj);
    MachineState *ms = &q35->parent_obj;

    if (q35->pcie_host.as) {
        pcie_host_mmcfg_cleanup(&q35->pcie_host);
    }
    if (ms->io.regions) {
        address_space_del_region(&ms->io, &q35->conf_addr);
        address_space_del_region(&ms->io, &q35->conf_data);
    }
    if (ms->memory.regions) {
        address_space_del_region(&ms->memory, &q35->ram_above_4g);
        address_space_del_region(&ms->memory, &ms->ram);
    }
    memory_region_finalize(&q35->ram_above_4g);
    if (ms->pci_root) {
        pci_bus_cleanup(&q35->pcie0);
        ms->pci_root = NULL;
    }
}

static void q35_machine_class_init(ObjectClass *oc)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    oc->desc = "Standard PC (Q35 + ICH9, 2009)";
    mc->name = "q35";
    mc->alias = "pc-q35-10.2";
    mc->is_default = true;
    mc->default_ram_size = 128ULL << 20;
    mc->init = q35_init;
    mc->reset = q35_reset;
}

static const TypeInfo q35_types[] = {
    {
        .name = TYPE_Q35_MACHINE,
        .parent = TYPE_MACHINE,
        .instance_size = sizeof(Q35MachineState),
        .class_init = q35_machine_class_init,
        .instance_finalize = q35_finalize,
    }, {
        .name = TYPE_MCH_PCI_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(MCHPCIState),
        .class_init = mch_class_init,
    }, {
        .name = TYPE_ICH9_LPC,
        .parent = TYPE_PCI_DEVICE,
        .class_init = ich9_lpc_class_init,
    }, {
        .name = TYPE_ICH9_AHCI,
        .parent = TYPE_PCI_DEVICE,
        .class_init = ich9_ahci_class_init,
    }, {
        .name = TYPE_ICH9_SMB,
        .parent = TYPE_PCI_DEVICE,
        .class_init = ich9_smb_class_init,
    },
};

void q35_register_types(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(q35_types); i++) {
        type_register(&q35_types[i]);
    }
}

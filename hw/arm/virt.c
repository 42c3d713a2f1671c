/*
 * The Arm virt machine: see include/hw/arm/virt.h.
 */
#include "hw/arm/virt.h"

#include <string.h>

/* ---- gpex-root: the host bridge function 00:00.0 ---- */

static void gpex_root_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "QEMU generic PCIe host bridge";
    oc->user_creatable = false;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_HOST;
    pc->class_id = PCI_CLASS_BRIDGE_HOST << 8;
    DEVICE_CLASS(oc)->hotpluggable = false;
}

/* ---- the machine ---- */

static bool virt_add_host_bridge(VirtMachineState *vms, Error **errp)
{
    Object *obj = object_new(TYPE_GPEX_ROOT_DEVICE);

    PCI_DEVICE(obj)->devfn = PCI_DEVFN(0, 0);
    object_property_add_child(container_get("/machine/unattached"),
                              "gpex-root", obj);
    if (!qdev_realize(DEVICE(obj), &vms->pcie0.qbus, errp)) {
        object_unparent(obj);
        return false;
    }
    return true;
}

static bool virt_init(MachineState *ms, Error **errp)
{
    VirtMachineState *vms = VIRT_MACHINE(ms);

    memory_region_init_ram(&ms->ram, "mach-virt.ram", VIRT_MEM_BASE,
                           ms->ram_size);
    address_space_add_region(&ms->memory, &ms->ram);
    pci_bus_init(&vms->pcie0, "pcie.0", NULL);
    qbus_register(&vms->pcie0.qbus);
    ms->pci_root = &vms->pcie0;
    /* Firmware never moves it: QEMU describes it in the device tree. */
    pcie_host_mmcfg_init(&vms->pcie_host, "pcie-ecam-high", &vms->pcie0,
                         &ms->memory);
    pcie_host_mmcfg_update(&vms->pcie_host, true, VIRT_HIGH_PCIE_ECAM_BASE,
                           VIRT_HIGH_PCIE_ECAM_SIZE);
    return virt_add_host_bridge(vms, errp);
}

static void virt_finalize(Object *obj)
{
    VirtMachineState *vms = VIRT_MACHINE(obj);
    MachineState *ms = &vms->parent_obj;

    if (vms->pcie_host.as) {
        pcie_host_mmcfg_cleanup(&vms->pcie_host);
    }
    if (ms->memory.regions) {
        address_space_del_region(&ms->memory, &ms->ram);
    }
    if (ms->pci_root) {
        pci_bus_cleanup(&vms->pcie0);
        ms->pci_root = NULL;
    }
}

static void virt_machine_class_init(ObjectClass *oc)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    oc->desc = "QEMU 10.2 ARM Virtual Machine";
    mc->name = "virt";
    mc->alias = "virt-10.2";
    mc->is_default = false;
    mc->default_ram_size = 128ULL << 20;
    mc->init = virt_init;
}

bool virt_machine_is(MachineState *ms)
{
    return ms && object_dynamic_cast(OBJECT(ms), TYPE_VIRT_MACHINE);
}

static const TypeInfo virt_types[] = {
    {
        .name = TYPE_VIRT_MACHINE,
        .parent = TYPE_MACHINE,
        .instance_size = sizeof(VirtMachineState),
        .class_init = virt_machine_class_init,
        .instance_finalize = virt_finalize,
    }, {
        .name = TYPE_GPEX_ROOT_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_init = gpex_root_class_init,
    },
};

void virt_register_types(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(virt_types); i++) {
        type_register(&virt_types[i]);
    }
}

/*
 * The vfio-pci device over iommufd.
 *
 * Realize is a table of named steps, each with its undo; a failure at
 * any step undoes the ones before it in reverse, and unrealize runs the
 * same undos, so hot unplug and a failed hot plug leave the same state.
 */
#include "hw/vfio/pci.h"
#include "hw/pci/pci-iommu.h"

#include <string.h>

typedef struct VFIORealizeStep {
    const char *name;
    bool (*run)(VFIOPCIDevice *vdev, Error **errp);
    void (*undo)(VFIOPCIDevice *vdev);
} VFIORealizeStep;

static bool vfio_pci_step_resolve(VFIOPCIDevice *vdev, Error **errp)
{
    if (!vdev->iommufd_link) {
        error_setg(errp, "vfio-pci: property 'iommufd' is required (only "
                   "the iommufd backend is supported)");
        return false;
    }
    return vfio_device_resolve(&vdev->vbasedev, vdev->host, vdev->sysfsdev,
                               vdev->fd_param, errp);
}

static void vfio_pci_undo_resolve(VFIOPCIDevice *vdev)
{
    vfio_device_unresolve(&vdev->vbasedev);
}

static bool vfio_pci_step_open(VFIOPCIDevice *vdev, Error **errp)
{
    return vfio_device_open(&vdev->vbasedev, errp);
}

static void vfio_pci_undo_open(VFIOPCIDevice *vdev)
{
    vfio_device_close(&vdev->vbasedev);
}

static bool vfio_pci_step_bind(VFIOPCIDevice *vdev, Error **errp)
{
    return vfio_device_bind(&vdev->vbasedev,
                            IOMMUFD_BACKEND(vdev->iommufd_link), errp);
}

static void vfio_pci_undo_bind(VFIOPCIDevice *vdev)
{
    vfio_device_unbind(&vdev->vbasedev);
}

static bool vfio_pci_step_attach(VFIOPCIDevice *vdev, Error **errp)
{
    return vfio_device_attach(&vdev->vbasedev, errp);
}

static void vfio_pci_undo_attach(VFIOPCIDevice *vdev)
{
    vfio_device_detach(&vdev->vbasedev);
}

static bool vfio_pci_step_hiod(VFIOPCIDevice *vdev, Error **errp)
{
    VFIODevice *vbasedev = &vdev->vbasedev;
    DeviceState *dev = DEVICE(vdev);

    if (!host_iommu_device_realize(&vdev->hiod, vbasedev->iommufd,
                                   vbasedev->devid,
                                   dev->id ? dev->id : vbasedev->name,
                                   errp)) {
        return false;
    }
    /* A vIOMMU that nests moves the RID and PASIDs between HWPTs. */
    vdev->hiod.ops = &vfio_hiod_ops;
    vdev->hiod.opaque = vbasedev;
    vdev->hiod.ioas_id = vbasedev->ioas_id;
    return true;
}

static void vfio_pci_undo_hiod(VFIOPCIDevice *vdev)
{
    host_iommu_device_unrealize(&vdev->hiod);
}

static bool vfio_pci_step_viommu(VFIOPCIDevice *vdev, Error **errp)
{
    if (!pci_device_set_iommu_device(&vdev->pdev, &vdev->hiod, errp)) {
        error_prepend(errp, "Failed to set vIOMMU: ");
        return false;
    }
    return true;
}

static void vfio_pci_undo_viommu(VFIOPCIDevice *vdev)
{
    pci_device_unset_iommu_device(&vdev->pdev);
}

static void vfio_pci_undo_config_read(VFIOPCIDevice *vdev)
{
    vfio_pci_config_free(vdev);
}

static void vfio_pci_undo_pasid(VFIOPCIDevice *vdev)
{
    vdev->pasid_cap = 0;
    vdev->pasid_pending = false;
}

static const VFIORealizeStep vfio_pci_realize_steps[] = {
    { "resolve", vfio_pci_step_resolve, vfio_pci_undo_resolve },
    { "open", vfio_pci_step_open, vfio_pci_undo_open },
    { "bind", vfio_pci_step_bind, vfio_pci_undo_bind },
    { "attach", vfio_pci_step_attach, vfio_pci_undo_attach },
    { "host-iommu-device", vfio_pci_step_hiod, vfio_pci_undo_hiod },
    { "set-iommu-device", vfio_pci_step_viommu, vfio_pci_undo_viommu },
    { "read-config", vfio_pci_config_read, vfio_pci_undo_config_read },
    { "build-config", vfio_pci_config_build, NULL },
    { "pasid", vfio_pci_synthesize_pasid_cap, vfio_pci_undo_pasid },
};

/* Undo the first @done steps, last first. */
static void vfio_pci_unwind(VFIOPCIDevice *vdev, unsigned done)
{
    while (done--) {
        if (vfio_pci_realize_steps[done].undo) {
            vfio_pci_realize_steps[done].undo(vdev);
        }
    }
    vdev->steps_done = 0;
}

static bool vfio_pci_realize(PCIDevice *pdev, Error **errp)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);

    vfio_device_init(&vdev->vbasedev);
    for (unsigned i = 0; i < G_N_ELEMENTS(vfio_pci_realize_steps); i++) {
        if (!vfio_pci_realize_steps[i].run(vdev, errp)) {
            /* Messages past resolve carry the device's name, as QEMU's. */
            if (vdev->vbasedev.name && i > 0) {
                error_prepend(errp, VFIO_MSG_PREFIX, vdev->vbasedev.name);
            }
            vfio_pci_unwind(vdev, i);
            return false;
        }
        vdev->steps_done = i + 1;
    }
    return true;
}

static void vfio_pci_exit(PCIDevice *pdev)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);

    vfio_pci_unwind(vdev, vdev->steps_done);
}

/* config[] already holds realize's values again (PASID Control = 0). */
static void vfio_pci_reset(PCIDevice *pdev)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    VFIODevice *vbasedev = &vdev->vbasedev;
    Error *err = NULL;

    if (vbasedev->fd < 0 ||
        !(vbasedev->info.flags & VFIO_DEVICE_FLAGS_RESET)) {
        return;
    }
    if (!vfio_device_reset(vbasedev, &err)) {
        error_prepend(&err, VFIO_MSG_PREFIX, vbasedev->name);
        warn_report_err(err);
    }
}

static void vfio_pci_instance_finalize(Object *obj)
{
    VFIOPCIDevice *vdev = VFIO_PCI(obj);

    /* A device freed without unrealize (failed realize) holds nothing. */
    vfio_pci_unwind(vdev, vdev->steps_done);
}

static const Property vfio_pci_props[] = {
    DEFINE_PROP_STRING("host", VFIOPCIDevice, host),
    DEFINE_PROP_STRING("sysfsdev", VFIOPCIDevice, sysfsdev),
    DEFINE_PROP_STRING("fd", VFIOPCIDevice, fd_param),
    DEFINE_PROP_LINK("iommufd", VFIOPCIDevice, iommufd_link,
                     TYPE_IOMMUFD_BACKEND),
    DEFINE_PROP_UINT16("x-vpasid-cap-offset", VFIOPCIDevice,
                       vpasid_cap_offset, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfio_pci_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "VFIO-based PCI device assignment";
    oc->user_creatable = true;
    device_class_set_props(dc, vfio_pci_props);
    dc->hotpluggable = true;
    dc->category = "Misc";
    pc->is_express = true;
    pc->packs_ext_config = true;
    pc->realize = vfio_pci_realize;
    pc->exit = vfio_pci_exit;
    pc->reset = vfio_pci_reset;
    pc->config_read = vfio_pci_read_config;
    pc->config_write = vfio_pci_write_config;
    pc->viommu_resolved = vfio_pci_pasid_resolved;
}

static const TypeInfo vfio_pci_type = {
    .name = TYPE_VFIO_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VFIOPCIDevice),
    .class_size = sizeof(PCIDeviceClass),
    .class_init = vfio_pci_class_init,
    .instance_finalize = vfio_pci_instance_finalize,
};

void vfio_register_types(void)
{
    type_register(&vfio_pci_type);
}

/*
 * The PCI <-> vIOMMU interface: a device's vIOMMU is whatever registered
 * itself on the device's root bus (for an expander's root bus, on the
 * main root bus of the same host unless one registered on it).
 */
#include "hw/pci/pci-iommu.h"

void pci_setup_iommu(PCIBus *bus, const PCIIOMMUOps *ops, void *opaque)
{
    bus->iommu_ops = ops;
    bus->iommu_opaque = opaque;
}

static PCIBus *pci_device_iommu_bus(PCIDevice *pdev)
{
    PCIBus *root;

    if (!pdev->bus) {
        return NULL;
    }
    root = pci_get_root_bus(pdev->bus);
    /* An expander's root bus: the vIOMMU of the root bus it sits on. */
    if (!root->iommu_ops && root->host_root) {
        root = root->host_root;
    }
    return root->iommu_ops ? root : NULL;
}

bool pci_device_has_iommu(PCIDevice *pdev)
{
    return pci_device_iommu_bus(pdev) != NULL;
}

bool pci_device_set_iommu_device(PCIDevice *pdev, HostIOMMUDevice *hiod,
                                 Error **errp)
{
    PCIBus *bus = pci_device_iommu_bus(pdev);

    if (!bus || !bus->iommu_ops->set_iommu_device) {
        return true;
    }
    return bus->iommu_ops->set_iommu_device(bus->iommu_opaque, pdev, hiod,
                                            errp);
}

void pci_device_unset_iommu_device(PCIDevice *pdev)
{
    PCIBus *bus = pci_device_iommu_bus(pdev);

    if (bus && bus->iommu_ops->unset_iommu_device) {
        bus->iommu_ops->unset_iommu_device(bus->iommu_opaque, pdev);
    }
}

uint64_t pci_device_get_viommu_flags(PCIDevice *pdev)
{
    PCIBus *bus = pci_device_iommu_bus(pdev);

    if (!bus || !bus->iommu_ops->get_viommu_flags) {
        return 0;
    }
    return bus->iommu_ops->get_viommu_flags(bus->iommu_opaque, pdev);
}

void pci_device_viommu_resolved(PCIDevice *pdev)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(pdev);

    if (pc->viommu_resolved) {
        pc->viommu_resolved(pdev);
    }
}

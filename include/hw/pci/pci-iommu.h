/*
 * The PCI <-> vIOMMU interface.
 *
 * A vIOMMU registers itself for a root bus; every device below that bus
 * finds it there, and so do devices below an expander's (pxb-pcie) root
 * bus that has no vIOMMU of its own.  Pass-through devices hand the
 * vIOMMU their host IOMMU information (set_iommu_device) before they
 * build their capabilities, and ask which features it advertises
 * (get_viommu_flags).
 */
#ifndef HW_PCI_PCI_IOMMU_H
#define HW_PCI_PCI_IOMMU_H

#include "hw/pci/pci.h"

typedef struct HostIOMMUDevice HostIOMMUDevice;

/*
 * The vIOMMU delivers this device's PASIDs to the host and advertises a
 * non-zero PASID width (DESIGN rule 2).
 */
#define VIOMMU_FLAG_PASID_SUPPORTED (1ULL << 0)
/*
 * The vIOMMU would deliver this device's PASIDs but its width is still
 * "auto": ask again when pci_device_viommu_resolved() is called.
 */
#define VIOMMU_FLAG_PASID_PENDING   (1ULL << 1)

struct PCIIOMMUOps {
    /*
     * Accept @hiod for @pdev, or refuse with *errp set and nothing
     * changed.  The first accepted device may finalize vIOMMU state.
     */
    bool (*set_iommu_device)(void *opaque, PCIDevice *pdev,
                             HostIOMMUDevice *hiod, Error **errp);
    void (*unset_iommu_device)(void *opaque, PCIDevice *pdev);
    /* VIOMMU_FLAG_* for @pdev. */
    uint64_t (*get_viommu_flags)(void *opaque, PCIDevice *pdev);
};

/*
 * Register @ops for @bus (a root bus) and everything below it, including
 * the expander root buses hanging off it.
 */
void pci_setup_iommu(PCIBus *bus, const PCIIOMMUOps *ops, void *opaque);
/* True if a vIOMMU serves @pdev. */
bool pci_device_has_iommu(PCIDevice *pdev);
/* Without a vIOMMU these succeed and do nothing. */
bool pci_device_set_iommu_device(PCIDevice *pdev, HostIOMMUDevice *hiod,
                                 Error **errp);
void pci_device_unset_iommu_device(PCIDevice *pdev);
/* 0 without a vIOMMU. */
uint64_t pci_device_get_viommu_flags(PCIDevice *pdev);

/*
 * The vIOMMU of @pdev resolved its "auto" properties (machine-init-done):
 * the device's viommu_resolved hook, if any, completes what waited.
 */
void pci_device_viommu_resolved(PCIDevice *pdev);

#endif

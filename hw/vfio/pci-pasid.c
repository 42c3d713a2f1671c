/*
 * The emulated PCIe PASID capability of vfio-pci (DESIGN rule 2).
 *
 * Host vfio-pci hides the device's own PASID capability, so the guest
 * would never enable PASID; we add an emulated one built from the
 * HostIOMMUDevice's cached GET_HW_INFO answer.  All 8 bytes are served
 * from config[]: nothing the guest writes here reaches the host.
 */
#include "hw/vfio/pci.h"
#include "hw/pci/pci-iommu.h"

#include <string.h>

#define PCI_PASID_VER 1

_Static_assert(PCI_EXT_CAP_PASID_SIZEOF == 8, "PASID capability size");
_Static_assert(PCI_PASID_CAP == 4 && PCI_PASID_CTRL == 6,
               "PASID register layout");

/* Whether rule 2 asks for a capability at all. */
static bool vfio_pci_wants_pasid_cap(VFIOPCIDevice *vdev, PasidInfo *info)
{
    PCIDevice *pdev = &vdev->pdev;

    if (!host_iommu_device_get_pasid_info(&vdev->hiod, info)) {
        return false;               /* the host reports no PASID */
    }
    if (!(pci_device_get_viommu_flags(pdev) & VIOMMU_FLAG_PASID_SUPPORTED)) {
        return false;               /* no vIOMMU, or one without PASID */
    }
    if (pcie_find_capability(pdev, PCI_EXT_CAP_ID_PASID)) {
        return false;               /* the host shows one: keep it */
    }
    return pdev->exp_cap != 0;      /* extended space is PCIe's */
}

static void vfio_pci_pasid_init_regs(PCIDevice *pdev, uint16_t pos,
                                     const PasidInfo *info)
{
    uint16_t cap = (info->width << PCI_PASID_CAP_WIDTH_SHIFT) |
                   (info->exec ? PCI_PASID_CAP_EXEC : 0) |
                   (info->priv ? PCI_PASID_CAP_PRIV : 0);
    /* Unsupported features' enables are RsvdP: read-only zero. */
    uint16_t ctrl_wmask = PCI_PASID_CTRL_ENABLE |
                          (info->exec ? PCI_PASID_CTRL_EXEC : 0) |
                          (info->priv ? PCI_PASID_CTRL_PRIV : 0);

    pci_set_word(pdev->config + pos + PCI_PASID_CAP, cap);
    pci_set_word(pdev->config + pos + PCI_PASID_CTRL, 0);
    memset(pdev->wmask + pos, 0, PCI_EXT_CAP_PASID_SIZEOF);
    memset(pdev->w1cmask + pos, 0, PCI_EXT_CAP_PASID_SIZEOF);
    pci_set_word(pdev->wmask + pos + PCI_PASID_CTRL, ctrl_wmask);
    memset(pdev->emulated + pos, 0xff, PCI_EXT_CAP_PASID_SIZEOF);
}

bool vfio_pci_synthesize_pasid_cap(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    uint16_t pos = vdev->vpasid_cap_offset ? vdev->vpasid_cap_offset
                                           : VFIO_PCI_PASID_DEFAULT_OFFSET;
    PasidInfo info;

    if (!vfio_pci_wants_pasid_cap(vdev, &info)) {
        return true;
    }
    if (!pcie_add_capability(pdev, PCI_EXT_CAP_ID_PASID, PCI_PASID_VER, pos,
                             PCI_EXT_CAP_PASID_SIZEOF, errp)) {
        error_prepend(errp, "vfio: Placing PASID capability at offset 0x%x "
                      "failed: ", pos);
        return false;
    }
    vfio_pci_pasid_init_regs(pdev, pos, &info);
    vfio_pci_advertise_tlp_prefix(vdev);
    vdev->pasid_cap = pos;
    return true;
}

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

typedef enum {
    PASID_CAP_NONE,         /* rule 2 asks for none */
    PASID_CAP_NOW,
    PASID_CAP_LATER,        /* the vIOMMU's width is still "auto" */
} PasidCapWanted;

/* Whether rule 2 asks for a capability at all. */
static PasidCapWanted vfio_pci_wants_pasid_cap(VFIOPCIDevice *vdev,
                                               PasidInfo *info)
{
    PCIDevice *pdev = &vdev->pdev;
    uint64_t flags;

    if (!host_iommu_device_get_pasid_info(&vdev->hiod, info)) {
        return PASID_CAP_NONE;      /* the host reports no PASID */
    }
    if (pcie_find_capability(pdev, PCI_EXT_CAP_ID_PASID) ||
        !pdev->exp_cap) {
        return PASID_CAP_NONE;      /* the host shows one, or not PCIe */
    }
    flags = pci_device_get_viommu_flags(pdev);
    if (flags & VIOMMU_FLAG_PASID_PENDING) {
        return PASID_CAP_LATER;
    }
    /* No vIOMMU, or one that cannot deliver this device's PASIDs. */
    return flags & VIOMMU_FLAG_PASID_SUPPORTED ? PASID_CAP_NOW
                                               : PASID_CAP_NONE;
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

    /* pcie_add_capability() reserved the bytes, zeroed the masks. */
    uint8_t *c = pci_config_cell(pdev, PCI_CONFIG_VALUES, pos);

    pci_set_word(c + PCI_PASID_CAP, cap);
    pci_set_word(c + PCI_PASID_CTRL, 0);
    pci_set_word(pci_config_cell(pdev, PCI_CONFIG_WMASK, pos) +
                 PCI_PASID_CTRL, ctrl_wmask);
    memset(pci_config_cell(pdev, PCI_CONFIG_EMULATED, pos), 0xff,
           PCI_EXT_CAP_PASID_SIZEOF);
}

static uint16_t vfio_pci_pasid_offset(VFIOPCIDevice *vdev)
{
    return vdev->vpasid_cap_offset ? vdev->vpasid_cap_offset
                                   : VFIO_PCI_PASID_DEFAULT_OFFSET;
}

static bool vfio_pci_pasid_add(VFIOPCIDevice *vdev, const PasidInfo *info,
                               bool check_only, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    uint16_t pos = vfio_pci_pasid_offset(vdev);
    bool ok;

    ok = check_only
         ? pcie_check_capability(pdev, PCI_EXT_CAP_ID_PASID, pos,
                                 PCI_EXT_CAP_PASID_SIZEOF, errp)
         : pcie_add_capability(pdev, PCI_EXT_CAP_ID_PASID, PCI_PASID_VER,
                               pos, PCI_EXT_CAP_PASID_SIZEOF, errp);
    if (!ok) {
        error_prepend(errp, "vfio: Placing PASID capability at offset 0x%x "
                      "failed: ", pos);
        return false;
    }
    if (!check_only) {
        vfio_pci_pasid_init_regs(pdev, pos, info);
        vfio_pci_advertise_tlp_prefix(vdev);
        vdev->pasid_cap = pos;
    }
    return true;
}

bool vfio_pci_synthesize_pasid_cap(VFIOPCIDevice *vdev, Error **errp)
{
    PasidInfo info;

    switch (vfio_pci_wants_pasid_cap(vdev, &info)) {
    case PASID_CAP_NOW:
        return vfio_pci_pasid_add(vdev, &info, false, errp);
    case PASID_CAP_LATER:
        /* A bad placement is this device's error, at its realize. */
        vdev->pasid_pending = vfio_pci_pasid_add(vdev, &info, true, errp);
        return vdev->pasid_pending;
    default:
        return true;
    }
}

void vfio_pci_pasid_resolved(PCIDevice *pdev)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    Error *err = NULL;
    PasidInfo info;

    if (!vdev->pasid_pending) {
        return;
    }
    vdev->pasid_pending = false;
    if (vfio_pci_wants_pasid_cap(vdev, &info) != PASID_CAP_NOW) {
        return;
    }
    /* Checked at realize, and nothing was added since: it fits. */
    if (!vfio_pci_pasid_add(vdev, &info, false, &err)) {
        warn_report_err(err);
        return;
    }
    /* No guest ran yet: a reset now returns to these values. */
    pci_config_snapshot(pdev);
}

/*
 * HostIOMMUDevice: one IOMMU_GET_HW_INFO per assigned device, cached
 * (see include/system/host_iommu_device.h).
 */
#include "system/host_iommu_device.h"
#include "system/iommufd.h"

#include <string.h>

/* VT-d ECAP.PASID, ECAP.SMTS and ECAP.PSS (width - 1), DESIGN §7. */
#define VTD_ECAP_PASID          (1ULL << 40)
#define VTD_ECAP_SMTS           (1ULL << 43)
#define VTD_ECAP_PSS_SHIFT      35
#define VTD_ECAP_PSS_MASK       0x1fULL
/* SMMUv3 IDR1.SSIDSIZE. */
#define SMMU_IDR1_SSIDSIZE_SHIFT 6
#define SMMU_IDR1_SSIDSIZE_MASK  0x1fU

/* PCIe caps the Max PASID Width field at 20 bits. */
#define PASID_WIDTH_MAX 20

bool host_iommu_device_realize(HostIOMMUDevice *hiod, IOMMUFDBackend *be,
                               uint32_t devid, const char *name,
                               Error **errp)
{
    HostIOMMUDeviceCaps caps = { 0 };

    /* The one and only GET_HW_INFO for this device: count it even if it
     * fails, so a retry would be visible. */
    hiod->hw_info_calls++;
    if (!iommufd_backend_get_device_info(be, devid, &caps.type,
                                         &caps.vendor, sizeof(caps.vendor),
                                         &caps.hw_caps, &caps.max_pasid_log2,
                                         errp)) {
        return false;
    }
    hiod->name = g_strdup(name);
    hiod->iommufd = be;
    hiod->devid = devid;
    hiod->caps = caps;
    return true;
}

void host_iommu_device_unrealize(HostIOMMUDevice *hiod)
{
    g_free(hiod->name);
    memset(hiod, 0, sizeof(*hiod));
}

bool host_iommu_device_attach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                   uint32_t pt_id, Error **errp)
{
    if (!hiod->ops) {
        error_setg(errp, "%s: cannot be moved between page tables",
                   hiod->name);
        return false;
    }
    return hiod->ops->attach_hwpt(hiod, pasid, pt_id, errp);
}

bool host_iommu_device_detach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                   Error **errp)
{
    if (!hiod->ops) {
        error_setg(errp, "%s: cannot be moved between page tables",
                   hiod->name);
        return false;
    }
    return hiod->ops->detach_hwpt(hiod, pasid, errp);
}

bool host_iommu_device_get_pasid_info(const HostIOMMUDevice *hiod,
                                      PasidInfo *info)
{
    const HostIOMMUDeviceCaps *caps = &hiod->caps;

    if (!caps->max_pasid_log2) {
        return false;           /* EXEC/PRIV mean nothing without a width */
    }
    info->width = MIN(caps->max_pasid_log2, PASID_WIDTH_MAX);
    info->exec = !!(caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_EXEC);
    info->priv = !!(caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_PRIV);
    return true;
}

uint8_t host_iommu_device_iommu_pasid_width(const HostIOMMUDevice *hiod)
{
    const HostIOMMUDeviceCaps *caps = &hiod->caps;

    switch (caps->type) {
    case IOMMU_HW_INFO_TYPE_INTEL_VTD:
        /* VT-d has PASIDs in scalable mode only. */
        if (!(caps->vendor.vtd.ecap_reg & VTD_ECAP_PASID) ||
            !(caps->vendor.vtd.ecap_reg & VTD_ECAP_SMTS)) {
            return 0;
        }
        return ((caps->vendor.vtd.ecap_reg >> VTD_ECAP_PSS_SHIFT) &
                VTD_ECAP_PSS_MASK) + 1;
    case IOMMU_HW_INFO_TYPE_ARM_SMMUV3:
        return (caps->vendor.smmuv3.idr[1] >> SMMU_IDR1_SSIDSIZE_SHIFT) &
               SMMU_IDR1_SSIDSIZE_MASK;
    default:
        /* No vendor data: the device's width is all the kernel tells. */
        return caps->max_pasid_log2;
    }
}

bool host_iommu_device_get_aw_bits(const HostIOMMUDevice *hiod,
                                   uint8_t *aw_bits, Error **errp)
{
    if (hiod->caps.type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        *aw_bits = ((hiod->caps.vendor.vtd.cap_reg >> 16) & 0x3f) + 1;
        return true;
    }
    *aw_bits = 0;
    return !hiod->iommufd ||
           iommufd_backend_get_aw_bits(hiod->iommufd, hiod->ioas_id, aw_bits,
                                       errp);
}

const char *host_iommu_type_name(uint32_t type)
{
    switch (type) {
    case IOMMU_HW_INFO_TYPE_NONE:
        return "none";
    case IOMMU_HW_INFO_TYPE_INTEL_VTD:
        return "intel-vtd";
    case IOMMU_HW_INFO_TYPE_ARM_SMMUV3:
        return "arm-smmuv3";
    case IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV:
        return "tegra241-cmdqv";
    default:
        return "unknown";
    }
}

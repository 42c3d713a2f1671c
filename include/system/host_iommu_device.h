/*
 * HostIOMMUDevice: what the host IOMMU can do for one assigned device.
 *
 * Created when a vfio-pci device attaches to its iommufd backend; it asks
 * the host exactly once (IOMMU_GET_HW_INFO) and every consumer (the
 * vfio-pci PASID capability, the vIOMMU's checks, QMP queries) reads the
 * cached answer.
 */
#ifndef SYSTEM_HOST_IOMMU_DEVICE_H
#define SYSTEM_HOST_IOMMU_DEVICE_H

#include <linux/iommufd.h>
#include <stdbool.h>
#include <stdint.h>

#include "qapi/error.h"

typedef struct IOMMUFDBackend IOMMUFDBackend;

typedef struct HostIOMMUDeviceCaps {
    uint32_t type;              /* IOMMU_HW_INFO_TYPE_* */
    uint64_t hw_caps;           /* out_capabilities: IOMMU_HW_CAP_* */
    uint8_t max_pasid_log2;     /* the device's PASID width, 0 = none */
    union {
        struct iommu_hw_info_vtd vtd;
        struct iommu_hw_info_arm_smmuv3 smmuv3;
    } vendor;
} HostIOMMUDeviceCaps;

/* The device's PASID capability as the host reports it. */
typedef struct PasidInfo {
    uint8_t width;              /* Max PASID Width, 1..20 */
    bool exec;                  /* Execute Permission Supported */
    bool priv;                  /* Privileged Mode Supported */
} PasidInfo;

typedef struct HostIOMMUDevice HostIOMMUDevice;

/* PASID 0: the requests without a PASID (the RID), VT-d's RID_PASID. */
#define HOST_IOMMU_NO_PASID 0

/*
 * What a vIOMMU may ask of the device that owns a HostIOMMUDevice: move
 * its RID (@pasid HOST_IOMMU_NO_PASID) or one PASID onto an IOAS or HWPT
 * (replacing what it was on, with no blocking window), or detach it
 * (it then blocks DMA).  vfio-pci implements them with
 * VFIO_DEVICE_ATTACH/DETACH_IOMMUFD_PT.
 */
typedef struct HostIOMMUDeviceOps {
    bool (*attach_hwpt)(HostIOMMUDevice *hiod, uint32_t pasid,
                        uint32_t pt_id, Error **errp);
    bool (*detach_hwpt)(HostIOMMUDevice *hiod, uint32_t pasid,
                        Error **errp);
} HostIOMMUDeviceOps;

struct HostIOMMUDevice {
    char *name;                 /* for messages: the device's id or BDF */
    IOMMUFDBackend *iommufd;
    uint32_t devid;
    /* The IOAS the device is attached to, for its IOVA ranges. */
    uint32_t ioas_id;
    HostIOMMUDeviceCaps caps;
    unsigned hw_info_calls;     /* GET_HW_INFO issued: 1 once realized */
    const HostIOMMUDeviceOps *ops;  /* set by the owning device */
    void *opaque;               /* the owning device's, for @ops */
};

/*
 * Ask the host about @devid on @be (one IOMMU_GET_HW_INFO) and cache the
 * answer.  A kernel before 6.15 leaves the PASID width zero: no PASID.
 */
bool host_iommu_device_realize(HostIOMMUDevice *hiod, IOMMUFDBackend *be,
                               uint32_t devid, const char *name,
                               Error **errp);
void host_iommu_device_unrealize(HostIOMMUDevice *hiod);

/* False (and @info untouched) when the device has no PASID (width 0). */
bool host_iommu_device_get_pasid_info(const HostIOMMUDevice *hiod,
                                      PasidInfo *info);

/*
 * The host IOMMU unit's own PASID width, whatever the device: VT-d
 * ECAP.PSS + 1 when ECAP.PASID and ECAP.SMTS are set (else 0), SMMUv3
 * IDR1.SSIDSIZE; for a type without vendor data (AMD-Vi reports type 0)
 * the device's own out_max_pasid_log2, which the kernel caps at it.
 */
uint8_t host_iommu_device_iommu_pasid_width(const HostIOMMUDevice *hiod);

/* @ops->attach_hwpt / detach_hwpt; false with *errp without @ops. */
bool host_iommu_device_attach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                   uint32_t pt_id, Error **errp);
bool host_iommu_device_detach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                   Error **errp);

/*
 * The host's IOVA width for the device, in bits: VT-d tells it in
 * GET_HW_INFO (CAP.MGAW + 1); any other host is asked its IOAS's IOVA
 * ranges (the bits of the highest allowed IOVA, as QEMU's vfio counts
 * them).  0 when no backend can be asked.
 */
bool host_iommu_device_get_aw_bits(const HostIOMMUDevice *hiod,
                                   uint8_t *aw_bits, Error **errp);

/* "intel-vtd", "arm-smmuv3", ... for messages and QMP. */
const char *host_iommu_type_name(uint32_t type);

#endif

/*
 * A VFIO device over iommufd: the cdev fd, its binding and attachment.
 *
 * The life of a VFIODevice is a sequence of steps, each with its undo
 * (the vfio-pci realize table runs them in order and unwinds in reverse):
 * resolve (host=/sysfsdev=/fd= to a cdev path or fd) → open → bind (to
 * the iommufd backend) → attach (to the backend's IOAS).
 *
 * fd ownership, as QEMU does it: a cdev fd passed with fd=N is handed
 * over to the device, which closes it when it goes away (or when realize
 * fails).  The iommufd backend's own passed fd is never closed.
 */
#ifndef HW_VFIO_VFIO_DEVICE_H
#define HW_VFIO_VFIO_DEVICE_H

#include <linux/vfio.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "qapi/error.h"
#include "system/host_iommu_device.h"
#include "system/iommufd.h"

/* QEMU's prefix for vfio messages: "vfio NAME: ". */
#define VFIO_MSG_PREFIX "vfio %s: "

typedef struct VFIODevice {
    char *name;                 /* BDF, sysfs basename or "VFIO_FD<n>" */
    char *sysfsdev;             /* sysfs directory, NULL with fd passing */
    char *cdev_path;            /* /dev/vfio/devices/vfioN */
    int fd;                     /* the cdev fd, -1 when closed */
    bool fd_passed;
    IOMMUFDBackend *iommufd;
    bool bound;                 /* backend connected and device bound */
    uint32_t devid;             /* iommufd object id of the device */
    bool attached;
    uint32_t ioas_id;
    uint32_t hwpt_id;           /* what the attach reported */
    struct vfio_device_info info;
} VFIODevice;

/* Reset to the "nothing done" state (fd -1). */
void vfio_device_init(VFIODevice *vbasedev);

/*
 * Find the device: @host ("[DDDD:]BB:DD.F") or @sysfsdev (a sysfs
 * directory) is resolved through sysfs to its /dev/vfio/devices/vfioN
 * node; with @fd_param the fd is adopted instead.  Exactly one of the
 * three must be given.  Sets name, sysfsdev/cdev_path or fd.
 */
bool vfio_device_resolve(VFIODevice *vbasedev, const char *host,
                         const char *sysfsdev, const char *fd_param,
                         Error **errp);
/* Free what resolve allocated (and a passed fd not yet opened). */
void vfio_device_unresolve(VFIODevice *vbasedev);

/* Open the cdev node (nothing to do for a passed fd). */
bool vfio_device_open(VFIODevice *vbasedev, Error **errp);
/* Close the cdev fd, if open (passed fds too: they were handed over). */
void vfio_device_close(VFIODevice *vbasedev);

/* Connect to @be and VFIO_DEVICE_BIND_IOMMUFD; sets devid. */
bool vfio_device_bind(VFIODevice *vbasedev, IOMMUFDBackend *be,
                      Error **errp);
/* Closing the cdev unbinds; then the backend reference is dropped. */
void vfio_device_unbind(VFIODevice *vbasedev);

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT to the backend's shared IOAS. */
bool vfio_device_attach(VFIODevice *vbasedev, Error **errp);
/* VFIO_DEVICE_DETACH_IOMMUFD_PT and release the IOAS reference. */
void vfio_device_detach(VFIODevice *vbasedev);

/*
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT of the RID (@pasid HOST_IOMMU_NO_PASID)
 * or, with VFIO_DEVICE_ATTACH_PASID, of @pasid to the IOAS or HWPT
 * @pt_id; attaching again replaces.  The RID's HWPT goes to hwpt_id.
 */
bool vfio_device_attach_pt(VFIODevice *vbasedev, uint32_t pasid,
                           uint32_t pt_id, Error **errp);
/* VFIO_DEVICE_DETACH_IOMMUFD_PT of the RID or of @pasid: it blocks. */
bool vfio_device_detach_pt(VFIODevice *vbasedev, uint32_t pasid,
                           Error **errp);
/* The HostIOMMUDeviceOps of a VFIO device (opaque: the VFIODevice). */
extern const HostIOMMUDeviceOps vfio_hiod_ops;

/* VFIO_DEVICE_GET_INFO into vbasedev->info. */
bool vfio_device_get_info(VFIODevice *vbasedev, Error **errp);
/* VFIO_DEVICE_GET_REGION_INFO of region @index. */
bool vfio_device_get_region_info(VFIODevice *vbasedev, uint32_t index,
                                 struct vfio_region_info *info,
                                 Error **errp);
/* VFIO_DEVICE_RESET; false with *errp set if it failed. */
bool vfio_device_reset(VFIODevice *vbasedev, Error **errp);

#endif

/*
 * The iommufd backend object: "-object iommufd,id=ID[,fd=N]".
 *
 * One backend is shared by any number of VFIO devices.  It owns the
 * /dev/iommu fd (or borrows one passed in), one IOAS holding the guest's
 * RAM, and thin wrappers around the iommufd ioctls: one function per
 * ioctl, each failing with a message that names the ioctl and errno.
 *
 * fd ownership, as QEMU does it: without fd=, /dev/iommu is opened when
 * the first device connects and closed when the last one disconnects, so
 * a backend without users holds no host resources and stays usable.  A
 * passed fd (libvirt's "fd":"23") belongs to the caller: the backend uses
 * it for its whole life and never closes it.
 */
#ifndef SYSTEM_IOMMUFD_H
#define SYSTEM_IOMMUFD_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/core/object.h"
#include "system/memory.h"

#define TYPE_IOMMUFD_BACKEND "iommufd"

typedef struct IOMMUFDBackend {
    Object parent_obj;
    char *fd_param;             /* the "fd" property, NULL if not given */
    int fd;                     /* -1 while closed */
    bool owned;                 /* we opened fd and will close it */
    bool fd_taken;              /* fd= was a getfd name or an fd set dup:
                                 * ours to close when the object goes */
    unsigned users;             /* connected devices */
    uint32_t ioas_id;           /* the shared IOAS, valid if ioas_users */
    unsigned ioas_users;        /* devices attached to the IOAS */
    bool ram_mapped;            /* guest RAM is mapped in the IOAS */
    hwaddr ram_iova;
    uint64_t ram_size;
} IOMMUFDBackend;

#define IOMMUFD_BACKEND(o) \
    OBJECT_CHECK(IOMMUFDBackend, (o), TYPE_IOMMUFD_BACKEND)

/* Registers the "iommufd" object type. */
void iommufd_register_types(void);

/*
 * Resolve an fd property (system/fdset.h): a number ("23", inherited:
 * *@taken false), a name passed with getfd or "/dev/fdset/N" (*@taken
 * true: the caller now owns the fd).
 */
bool iommufd_fd_param_parse(const char *str, int *fd, bool *taken,
                            Error **errp);

/*
 * Take a reference for one device; the first one opens /dev/iommu
 * unless an fd was passed.  iommufd_backend_disconnect() drops it.
 */
bool iommufd_backend_connect(IOMMUFDBackend *be, Error **errp);
void iommufd_backend_disconnect(IOMMUFDBackend *be);

/*
 * The IOAS shared by the backend's devices, allocated (and the machine's
 * RAM mapped into it at its guest physical address) for the first user;
 * iommufd_backend_put_ioas() unmaps and destroys it after the last.
 */
bool iommufd_backend_get_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                              Error **errp);
void iommufd_backend_put_ioas(IOMMUFDBackend *be);

/* IOMMU_IOAS_ALLOC. */
bool iommufd_backend_alloc_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                                Error **errp);
/* IOMMU_DESTROY of an IOAS or HWPT; failures are only warned about. */
void iommufd_backend_free_id(IOMMUFDBackend *be, uint32_t id);
/* IOMMU_IOAS_MAP at a fixed IOVA, readable and (unless @readonly) writable. */
bool iommufd_backend_map_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                             hwaddr iova, uint64_t size, void *vaddr,
                             bool readonly, Error **errp);
/* IOMMU_IOAS_UNMAP. */
bool iommufd_backend_unmap_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                               hwaddr iova, uint64_t size, Error **errp);
/*
 * IOMMU_IOAS_IOVA_RANGES: the address width the IOAS @ioas_id allows now,
 * given its attached devices (the bits of its highest IOVA, as QEMU's
 * vfio counts them).
 */
bool iommufd_backend_get_aw_bits(IOMMUFDBackend *be, uint32_t ioas_id,
                                 uint8_t *aw_bits, Error **errp);
/* IOMMU_HWPT_ALLOC for @dev_id on @pt_id (an IOAS or a nesting parent). */
bool iommufd_backend_alloc_hwpt(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t pt_id, uint32_t flags,
                                uint32_t data_type, uint32_t data_len,
                                void *data_ptr, uint32_t *out_hwpt,
                                Error **errp);
/*
 * IOMMU_HWPT_INVALIDATE of @*entry_num entries of @entry_len bytes at
 * @data on the nested HWPT (or vIOMMU) @id; @*entry_num comes back as
 * the number the kernel handled, on failure too.
 */
bool iommufd_backend_invalidate_cache(IOMMUFDBackend *be, uint32_t id,
                                      uint32_t data_type, uint32_t entry_len,
                                      uint32_t *entry_num, void *data,
                                      Error **errp);
/*
 * IOMMU_VIOMMU_ALLOC of @type on the physical IOMMU behind @dev_id,
 * wrapping the nesting parent @hwpt_id.  Its invalidations go through
 * iommufd_backend_invalidate_cache() with the vIOMMU's id.
 */
bool iommufd_backend_alloc_viommu(IOMMUFDBackend *be, uint32_t dev_id,
                                  uint32_t type, uint32_t hwpt_id,
                                  uint32_t *out_viommu_id, Error **errp);
/*
 * IOMMU_VDEVICE_ALLOC: @dev_id as @virt_id (a guest StreamID) on a
 * vIOMMU.  On failure errno is kept: EINVAL means the device sits behind
 * another physical IOMMU than the vIOMMU's.
 */
bool iommufd_backend_alloc_vdevice(IOMMUFDBackend *be, uint32_t dev_id,
                                   uint32_t viommu_id, uint64_t virt_id,
                                   uint32_t *out_vdevice_id, Error **errp);
/*
 * IOMMU_GET_HW_INFO for @devid: the vendor data (up to @len bytes) goes
 * to @data, and the type, out_capabilities and out_max_pasid_log2 to the
 * out-parameters.  Callers other than HostIOMMUDevice should read its
 * cache instead: the design allows one call per device.
 */
bool iommufd_backend_get_device_info(IOMMUFDBackend *be, uint32_t devid,
                                     uint32_t *type, void *data,
                                     uint32_t len, uint64_t *caps,
                                     uint8_t *max_pasid_log2, Error **errp);

#endif

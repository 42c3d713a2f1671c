/*
 * The iommufd backend object (see include/system/iommufd.h).
 *
 * Every call on the fd goes through the host syscall layer, so the same
 * code runs against the real kernel and the simulated host.
 */
#include "system/iommufd.h"
#include "system/fdset.h"
#include "system/host-ops.h"
#include "hw/core/machine.h"
#include "hw/core/qdev-properties.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/iommufd.h>
#include <stdlib.h>
#include <string.h>

bool iommufd_fd_param_parse(const char *str, int *fd, bool *taken,
                            Error **errp)
{
    return fd_param_get(str, fd, taken, errp);
}

/* ---- one function per ioctl ---- */

bool iommufd_backend_alloc_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                                Error **errp)
{
    struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };

    if (host_ioctl(be->fd, IOMMU_IOAS_ALLOC, &alloc)) {
        error_setg_errno(errp, errno, "Failed to allocate ioas: "
                         "IOMMU_IOAS_ALLOC failed");
        return false;
    }
    *ioas_id = alloc.out_ioas_id;
    return true;
}

void iommufd_backend_free_id(IOMMUFDBackend *be, uint32_t id)
{
    struct iommu_destroy des = { .size = sizeof(des), .id = id };

    if (host_ioctl(be->fd, IOMMU_DESTROY, &des)) {
        int err = errno;

        warn_report("iommufd: IOMMU_DESTROY of id %u failed: %s", id,
                    g_strerror(err));
    }
}

bool iommufd_backend_map_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                             hwaddr iova, uint64_t size, void *vaddr,
                             bool readonly, Error **errp)
{
    struct iommu_ioas_map map = {
        .size = sizeof(map),
        .flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA |
                 (readonly ? 0 : IOMMU_IOAS_MAP_WRITEABLE),
        .ioas_id = ioas_id,
        .user_va = (uintptr_t)vaddr,
        .length = size,
        .iova = iova,
    };

    if (host_ioctl(be->fd, IOMMU_IOAS_MAP, &map)) {
        error_setg_errno(errp, errno, "IOMMU_IOAS_MAP of iova 0x%" PRIx64
                         " size 0x%" PRIx64 " in ioas %u failed",
                         (uint64_t)iova, size, ioas_id);
        return false;
    }
    return true;
}

bool iommufd_backend_unmap_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                               hwaddr iova, uint64_t size, Error **errp)
{
    struct iommu_ioas_unmap unmap = {
        .size = sizeof(unmap),
        .ioas_id = ioas_id,
        .iova = iova,
        .length = size,
    };

    if (host_ioctl(be->fd, IOMMU_IOAS_UNMAP, &unmap)) {
        error_setg_errno(errp, errno, "IOMMU_IOAS_UNMAP of iova 0x%" PRIx64
                         " size 0x%" PRIx64 " in ioas %u failed",
                         (uint64_t)iova, size, ioas_id);
        return false;
    }
    return true;
}

bool iommufd_backend_get_aw_bits(IOMMUFDBackend *be, uint32_t ioas_id,
                                 uint8_t *aw_bits, Error **errp)
{
    struct iommu_iova_range small[4] = { { 0 } };
    g_autofree struct iommu_iova_range *big = NULL;
    struct iommu_ioas_iova_ranges cmd = {
        .size = sizeof(cmd),
        .ioas_id = ioas_id,
        .num_iovas = G_N_ELEMENTS(small),
        .allowed_iovas = (uintptr_t)small,
    };
    const struct iommu_iova_range *r = small;
    int ret = host_ioctl(be->fd, IOMMU_IOAS_IOVA_RANGES, &cmd);

    /* More ranges than expected: ask again with room for them all. */
    if (ret && errno == EMSGSIZE && cmd.num_iovas) {
        big = g_new0(struct iommu_iova_range, cmd.num_iovas);
        cmd.allowed_iovas = (uintptr_t)big;
        r = big;
        ret = host_ioctl(be->fd, IOMMU_IOAS_IOVA_RANGES, &cmd);
    }
    if (ret || !cmd.num_iovas) {
        error_setg_errno(errp, ret ? errno : EINVAL, "IOMMU_IOAS_IOVA_RANGES "
                         "for ioas_id %u failed", ioas_id);
        return false;
    }
    *aw_bits = 64 - __builtin_clzll(r[cmd.num_iovas - 1].last | 1);
    return true;
}

bool iommufd_backend_alloc_hwpt(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t pt_id, uint32_t flags,
                                uint32_t data_type, uint32_t data_len,
                                void *data_ptr, uint32_t *out_hwpt,
                                Error **errp)
{
    struct iommu_hwpt_alloc alloc = {
        .size = sizeof(alloc),
        .flags = flags,
        .dev_id = dev_id,
        .pt_id = pt_id,
        .data_type = data_type,
        .data_len = data_len,
        .data_uptr = (uintptr_t)data_ptr,
    };

    if (host_ioctl(be->fd, IOMMU_HWPT_ALLOC, &alloc)) {
        error_setg_errno(errp, errno, "IOMMU_HWPT_ALLOC for dev_id %u on "
                         "pt_id %u failed", dev_id, pt_id);
        return false;
    }
    *out_hwpt = alloc.out_hwpt_id;
    return true;
}

bool iommufd_backend_invalidate_cache(IOMMUFDBackend *be, uint32_t id,
                                      uint32_t data_type, uint32_t entry_len,
                                      uint32_t *entry_num, void *data,
                                      Error **errp)
{
    struct iommu_hwpt_invalidate cache = {
        .size = sizeof(cache),
        .hwpt_id = id,
        .data_type = data_type,
        .entry_len = entry_len,
        .entry_num = *entry_num,
        .data_uptr = (uintptr_t)data,
    };
    int ret = host_ioctl(be->fd, IOMMU_HWPT_INVALIDATE, &cache);
    int err = errno;
    uint32_t asked = *entry_num;

    *entry_num = ret ? MIN(cache.entry_num, asked) : cache.entry_num;
    if (ret) {
        error_setg_errno(errp, err, "IOMMU_HWPT_INVALIDATE of id %u failed "
                         "after %u of %u entries", id, *entry_num, asked);
        return false;
    }
    return true;
}

bool iommufd_backend_alloc_viommu(IOMMUFDBackend *be, uint32_t dev_id,
                                  uint32_t type, uint32_t hwpt_id,
                                  uint32_t *out_viommu_id, Error **errp)
{
    struct iommu_viommu_alloc alloc = {
        .size = sizeof(alloc),
        .type = type,
        .dev_id = dev_id,
        .hwpt_id = hwpt_id,
    };

    if (host_ioctl(be->fd, IOMMU_VIOMMU_ALLOC, &alloc)) {
        error_setg_errno(errp, errno, "IOMMU_VIOMMU_ALLOC for dev_id %u on "
                         "hwpt_id %u failed", dev_id, hwpt_id);
        return false;
    }
    *out_viommu_id = alloc.out_viommu_id;
    return true;
}

bool iommufd_backend_alloc_vdevice(IOMMUFDBackend *be, uint32_t dev_id,
                                   uint32_t viommu_id, uint64_t virt_id,
                                   uint32_t *out_vdevice_id, Error **errp)
{
    struct iommu_vdevice_alloc alloc = {
        .size = sizeof(alloc),
        .viommu_id = viommu_id,
        .dev_id = dev_id,
        .virt_id = virt_id,
    };

    if (host_ioctl(be->fd, IOMMU_VDEVICE_ALLOC, &alloc)) {
        int err = errno;

        error_setg_errno(errp, err, "IOMMU_VDEVICE_ALLOC for dev_id %u on "
                         "viommu_id %u (virt_id 0x%" PRIx64 ") failed",
                         dev_id, viommu_id, virt_id);
        errno = err;
        return false;
    }
    *out_vdevice_id = alloc.out_vdevice_id;
    return true;
}

bool iommufd_backend_get_device_info(IOMMUFDBackend *be, uint32_t devid,
                                     uint32_t *type, void *data,
                                     uint32_t len, uint64_t *caps,
                                     uint8_t *max_pasid_log2, Error **errp)
{
    struct iommu_hw_info info = {
        .size = sizeof(info),
        .dev_id = devid,
        .data_len = len,
        .data_uptr = (uintptr_t)data,
    };

    if (host_ioctl(be->fd, IOMMU_GET_HW_INFO, &info)) {
        error_setg_errno(errp, errno, "Failed to get hardware info: "
                         "IOMMU_GET_HW_INFO for dev_id %u failed", devid);
        return false;
    }
    *type = info.out_data_type;
    *caps = info.out_capabilities;
    /* A kernel before 6.15 leaves the field zero: no PASID. */
    *max_pasid_log2 = info.out_max_pasid_log2;
    return true;
}

/* ---- users: the fd and the shared IOAS ---- */

bool iommufd_backend_connect(IOMMUFDBackend *be, Error **errp)
{
    if (be->owned && !be->users) {
        int fd = host_open("/dev/iommu", O_RDWR | O_CLOEXEC);

        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not open '/dev/iommu'");
            return false;
        }
        be->fd = fd;
    }
    be->users++;
    return true;
}

void iommufd_backend_disconnect(IOMMUFDBackend *be)
{
    if (!be->users) {
        return;
    }
    be->users--;
    if (!be->users && be->owned && be->fd >= 0) {
        host_close(be->fd);
        be->fd = -1;
    }
}

/* Map the machine's RAM 1:1 at its guest physical address. */
static bool iommufd_backend_map_ram(IOMMUFDBackend *be, Error **errp)
{
    MachineState *ms = qdev_get_machine();

    if (!ms || !ms->ram.ram || !ms->ram.size) {
        return true;            /* nothing to map (unit tests) */
    }
    if (!iommufd_backend_map_dma(be, be->ioas_id, ms->ram.base, ms->ram.size,
                                 ms->ram.ram, false, errp)) {
        return false;
    }
    be->ram_mapped = true;
    be->ram_iova = ms->ram.base;
    be->ram_size = ms->ram.size;
    return true;
}

bool iommufd_backend_get_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                              Error **errp)
{
    if (!be->ioas_users) {
        if (!iommufd_backend_alloc_ioas(be, &be->ioas_id, errp)) {
            return false;
        }
        if (!iommufd_backend_map_ram(be, errp)) {
            iommufd_backend_free_id(be, be->ioas_id);
            return false;
        }
    }
    be->ioas_users++;
    *ioas_id = be->ioas_id;
    return true;
}

void iommufd_backend_put_ioas(IOMMUFDBackend *be)
{
    Error *err = NULL;

    if (!be->ioas_users || --be->ioas_users) {
        return;
    }
    if (be->ram_mapped &&
        !iommufd_backend_unmap_dma(be, be->ioas_id, be->ram_iova,
                                   be->ram_size, &err)) {
        warn_report_err(err);
    }
    be->ram_mapped = false;
    iommufd_backend_free_id(be, be->ioas_id);
}

/* ---- the object ---- */

static bool iommufd_backend_complete(Object *obj, Error **errp)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);
    int fd;

    if (!be->fd_param) {
        return true;
    }
    if (!iommufd_fd_param_parse(be->fd_param, &fd, &be->fd_taken, errp)) {
        return false;
    }
    be->fd = fd;
    be->owned = false;
    return true;
}

/* object-del refuses while a device uses the fd (QEMU's rule). */
static bool iommufd_backend_can_be_deleted(Object *obj)
{
    return !IOMMUFD_BACKEND(obj)->users;
}

static void iommufd_backend_init(Object *obj)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);

    be->fd = -1;
    be->owned = true;
}

static void iommufd_backend_finalize(Object *obj)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);

    /*
     * Devices disconnect before the object goes; an fd passed by number
     * stays the caller's, one taken from getfd or an fd set is ours.
     */
    if ((be->owned || be->fd_taken) && be->fd >= 0) {
        host_close(be->fd);
    }
    be->fd = -1;
}

static const Property iommufd_backend_props[] = {
    { .name = "fd", .info = &prop_info_string,
      .offset = PROP_FIELD(IOMMUFDBackend, fd_param, char *),
      .description = "an open /dev/iommu fd: a number (the caller keeps "
                     "it), a getfd name or /dev/fdset/N" },
    DEFINE_PROP_END_OF_LIST(),
};

static void iommufd_backend_class_init(ObjectClass *oc)
{
    oc->desc = "iommufd backend: /dev/iommu, one IOAS for guest RAM";
    oc->props = iommufd_backend_props;
    oc->user_creatable = true;
    oc->complete = iommufd_backend_complete;
    oc->can_be_deleted = iommufd_backend_can_be_deleted;
}

static const TypeInfo iommufd_backend_type = {
    .name = TYPE_IOMMUFD_BACKEND,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(IOMMUFDBackend),
    .class_size = sizeof(ObjectClass),
    .class_init = iommufd_backend_class_init,
    .instance_init = iommufd_backend_init,
    .instance_finalize = iommufd_backend_finalize,
};

void iommufd_register_types(void)
{
    type_register(&iommufd_backend_type);
}

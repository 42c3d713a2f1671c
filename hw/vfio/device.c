/*
 * VFIO device over iommufd: resolve, open, bind, attach, and the device
 * ioctls (see include/hw/vfio/vfio-device.h).
 */
#include "hw/vfio/vfio-device.h"
#include "system/host-ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

void vfio_device_init(VFIODevice *vbasedev)
{
    memset(vbasedev, 0, sizeof(*vbasedev));
    vbasedev->fd = -1;
}

/* "[DDDD:]BB:DD.F" as QEMU's host= property takes it. */
static bool vfio_parse_host_bdf(const char *str, char **sysfsdev)
{
    unsigned dom = 0, bus, slot, fn;
    char tail;

    if (sscanf(str, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &tail) != 4) {
        dom = 0;
        if (sscanf(str, "%x:%x.%x%c", &bus, &slot, &fn, &tail) != 3) {
            return false;
        }
    }
    if (dom > 0xffff || bus > 0xff || slot > 0x1f || fn > 7) {
        return false;
    }
    {
        /* "/sys/bus/pci/devices/DDDD:BB:SS.F", formatted by hand. */
        static const char hex[] = "0123456789abcdef";
        char path[] = "/sys/bus/pci/devices/0000:00:00.0";
        char *d = path + strlen("/sys/bus/pci/devices/");

        d[0] = hex[dom >> 12];
        d[1] = hex[(dom >> 8) & 15];
        d[2] = hex[(dom >> 4) & 15];
        d[3] = hex[dom & 15];
        d[5] = hex[bus >> 4];
        d[6] = hex[bus & 15];
        d[8] = hex[slot >> 4];
        d[9] = hex[slot & 15];
        d[11] = hex[fn];
        *sysfsdev = g_strdup(path);
    }
    return true;
}

/* sysfs: the one entry of <dev>/vfio-dev (@entries) names the cdev. */
static bool vfio_device_find_cdev(VFIODevice *vbasedev, const char *dir,
                                  char **entries, Error **errp)
{
    const char *cdev = NULL;

    if (!entries) {
        error_setg_errno(errp, errno, "couldn't open directory %s", dir);
        return false;
    }
    for (char **e = entries; *e && !cdev; e++) {
        if (g_str_has_prefix(*e, "vfio")) {
            cdev = *e;
        }
    }
    if (!cdev) {
        error_setg(errp, "failed to find vfio-dev/vfioX in %s: is the "
                   "device bound to vfio-pci?", vbasedev->sysfsdev);
        return false;
    }
    vbasedev->cdev_path = g_strconcat("/dev/vfio/devices/", cdev, NULL);
    return true;
}

/*
 * One listing, <dev>/vfio-dev; only when it fails is the device's own
 * directory listed, to tell a missing device from one not bound to
 * vfio-pci.
 */
static bool vfio_device_resolve_sysfs(VFIODevice *vbasedev, Error **errp)
{
    g_autofree char *dir = g_strconcat(vbasedev->sysfsdev, "/vfio-dev", NULL);
    g_auto(GStrv) entries = host_list_dir(dir);

    if (!entries) {
        int err = errno;
        g_auto(GStrv) devdir = host_list_dir(vbasedev->sysfsdev);

        if (!devdir) {
            error_setg_errno(errp, errno, VFIO_MSG_PREFIX
                             "no such host device", vbasedev->sysfsdev);
            return false;
        }
        errno = err;
    }
    vbasedev->name = g_path_get_basename(vbasedev->sysfsdev);
    if (!vfio_device_find_cdev(vbasedev, dir, entries, errp)) {
        error_prepend(errp, VFIO_MSG_PREFIX, vbasedev->name);
        return false;
    }
    return true;
}

bool vfio_device_resolve(VFIODevice *vbasedev, const char *host,
                         const char *sysfsdev, const char *fd_param,
                         Error **errp)
{
    if (!!host + !!sysfsdev + !!fd_param > 1) {
        error_setg(errp, "vfio-pci: use only one of host=, sysfsdev= and "
                   "fd=");
        return false;
    }
    /* An fd set stands for the opened cdev, wherever a path is taken. */
    if (sysfsdev && g_str_has_prefix(sysfsdev, "/dev/fdset/")) {
        fd_param = sysfsdev;
    }
    if (fd_param) {
        bool taken;

        /* Closed with the device either way (vfio_device_close()). */
        if (!iommufd_fd_param_parse(fd_param, &vbasedev->fd, &taken, errp)) {
            return false;
        }
        vbasedev->fd_passed = true;
        vbasedev->name = g_strdup_printf("VFIO_FD%d", vbasedev->fd);
        return true;
    }
    if (host) {
        if (!vfio_parse_host_bdf(host, &vbasedev->sysfsdev)) {
            error_setg(errp, "Property 'vfio-pci.host' doesn't take value "
                       "'%s'", host);
            return false;
        }
    } else if (sysfsdev) {
        vbasedev->sysfsdev = g_strdup(sysfsdev);
    } else {
        error_setg(errp, "No provided host device - Use -device "
                   "vfio-pci,host=DDDD:BB:DD.F, -device "
                   "vfio-pci,sysfsdev=PATH_TO_DEVICE or -device "
                   "vfio-pci,fd=DEVICE_FD");
        return false;
    }
    if (!vfio_device_resolve_sysfs(vbasedev, errp)) {
        vfio_device_unresolve(vbasedev);
        return false;
    }
    return true;
}

void vfio_device_unresolve(VFIODevice *vbasedev)
{
    g_clear_pointer(&vbasedev->name, g_free);
    g_clear_pointer(&vbasedev->sysfsdev, g_free);
    g_clear_pointer(&vbasedev->cdev_path, g_free);
}

bool vfio_device_open(VFIODevice *vbasedev, Error **errp)
{
    int fd;

    if (vbasedev->fd_passed) {
        return true;
    }
    fd = host_open(vbasedev->cdev_path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'",
                         vbasedev->cdev_path);
        return false;
    }
    vbasedev->fd = fd;
    return true;
}

void vfio_device_close(VFIODevice *vbasedev)
{
    if (vbasedev->fd >= 0) {
        host_close(vbasedev->fd);
        vbasedev->fd = -1;
    }
}

bool vfio_device_bind(VFIODevice *vbasedev, IOMMUFDBackend *be,
                      Error **errp)
{
    struct vfio_device_bind_iommufd bind = {
        .argsz = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr),
        .flags = 0,
    };

    if (!iommufd_backend_connect(be, errp)) {
        return false;
    }
    bind.iommufd = be->fd;
    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
        error_setg_errno(errp, errno, "error bind device fd=%d to "
                         "iommufd=%d (VFIO_DEVICE_BIND_IOMMUFD)",
                         vbasedev->fd, be->fd);
        iommufd_backend_disconnect(be);
        return false;
    }
    vbasedev->iommufd = be;
    vbasedev->devid = bind.out_devid;
    vbasedev->bound = true;
    return true;
}

void vfio_device_unbind(VFIODevice *vbasedev)
{
    if (!vbasedev->bound) {
        return;
    }
    /* There is no unbind ioctl: closing the cdev ends the binding. */
    vfio_device_close(vbasedev);
    iommufd_backend_disconnect(vbasedev->iommufd);
    vbasedev->bound = false;
}

bool vfio_device_attach(VFIODevice *vbasedev, Error **errp)
{
    IOMMUFDBackend *be = vbasedev->iommufd;
    struct vfio_device_attach_iommufd_pt attach = {
        .argsz = sizeof(attach),
    };

    if (!iommufd_backend_get_ioas(be, &vbasedev->ioas_id, errp)) {
        return false;
    }
    attach.pt_id = vbasedev->ioas_id;
    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
        error_setg_errno(errp, errno, "[iommufd=%d] error attach %s (%d) to "
                         "id=%u (VFIO_DEVICE_ATTACH_IOMMUFD_PT)", be->fd,
                         vbasedev->name, vbasedev->fd, vbasedev->ioas_id);
        iommufd_backend_put_ioas(be);
        return false;
    }
    vbasedev->hwpt_id = attach.pt_id;
    vbasedev->attached = true;
    return true;
}

void vfio_device_detach(VFIODevice *vbasedev)
{
    struct vfio_device_detach_iommufd_pt detach = {
        .argsz = sizeof(detach),
    };

    if (!vbasedev->attached) {
        return;
    }
    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach)) {
        int err = errno;

        warn_report("vfio %s: detach from id=%u failed "
                    "(VFIO_DEVICE_DETACH_IOMMUFD_PT): %s", vbasedev->name,
                    vbasedev->ioas_id, g_strerror(err));
    }
    iommufd_backend_put_ioas(vbasedev->iommufd);
    vbasedev->attached = false;
}

bool vfio_device_attach_pt(VFIODevice *vbasedev, uint32_t pasid,
                           uint32_t pt_id, Error **errp)
{
    struct vfio_device_attach_iommufd_pt attach = {
        .argsz = sizeof(attach),
        .flags = pasid != HOST_IOMMU_NO_PASID ? VFIO_DEVICE_ATTACH_PASID : 0,
        .pt_id = pt_id,
        .pasid = pasid,
    };

    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
        error_setg_errno(errp, errno, "[iommufd=%d] error attach %s (%d) "
                         "pasid %u to id=%u (VFIO_DEVICE_ATTACH_IOMMUFD_PT)",
                         vbasedev->iommufd->fd, vbasedev->name, vbasedev->fd,
                         pasid, pt_id);
        return false;
    }
    if (pasid == HOST_IOMMU_NO_PASID) {
        vbasedev->hwpt_id = attach.pt_id;
    }
    return true;
}

bool vfio_device_detach_pt(VFIODevice *vbasedev, uint32_t pasid,
                           Error **errp)
{
    struct vfio_device_detach_iommufd_pt detach = {
        .argsz = sizeof(detach),
        .flags = pasid != HOST_IOMMU_NO_PASID ? VFIO_DEVICE_DETACH_PASID : 0,
        .pasid = pasid,
    };

    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach)) {
        error_setg_errno(errp, errno, "[iommufd=%d] error detach %s (%d) "
                         "pasid %u (VFIO_DEVICE_DETACH_IOMMUFD_PT)",
                         vbasedev->iommufd->fd, vbasedev->name, vbasedev->fd,
                         pasid);
        return false;
    }
    return true;
}

static bool vfio_hiod_attach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                  uint32_t pt_id, Error **errp)
{
    return vfio_device_attach_pt(hiod->opaque, pasid, pt_id, errp);
}

static bool vfio_hiod_detach_hwpt(HostIOMMUDevice *hiod, uint32_t pasid,
                                  Error **errp)
{
    return vfio_device_detach_pt(hiod->opaque, pasid, errp);
}

const HostIOMMUDeviceOps vfio_hiod_ops = {
    .attach_hwpt = vfio_hiod_attach_hwpt,
    .detach_hwpt = vfio_hiod_detach_hwpt,
};

bool vfio_device_get_info(VFIODevice *vbasedev, Error **errp)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };

    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_GET_INFO, &info)) {
        error_setg_errno(errp, errno, "error getting device info "
                         "(VFIO_DEVICE_GET_INFO)");
        return false;
    }
    vbasedev->info = info;
    return true;
}

bool vfio_device_get_region_info(VFIODevice *vbasedev, uint32_t index,
                                 struct vfio_region_info *info,
                                 Error **errp)
{
    memset(info, 0, sizeof(*info));
    info->argsz = sizeof(*info);
    info->index = index;
    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_GET_REGION_INFO, info)) {
        error_setg_errno(errp, errno, "error getting region %u info "
                         "(VFIO_DEVICE_GET_REGION_INFO)", index);
        return false;
    }
    return true;
}

bool vfio_device_reset(VFIODevice *vbasedev, Error **errp)
{
    if (host_ioctl(vbasedev->fd, VFIO_DEVICE_RESET, NULL)) {
        error_setg_errno(errp, errno, "VFIO_DEVICE_RESET failed");
        return false;
    }
    return true;
}

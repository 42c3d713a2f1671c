/*
 * Simulated host: a vfio-pci device's cdev (/dev/vfio/devices/vfioN),
 * bound to iommufd, and its regions (the config region is what host
 * vfio-pci shows: the PASID capability hidden).
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/vfio.h"

#define ENDOF(type, field) \
    (offsetof(struct type, field) + sizeof(((struct type *)0)->field))

/* VFIO's argsz rule: read @minsz bytes, argsz below @minsz is EINVAL. */
static int vfio_copy_in(const SimUaccess *ua, uint64_t uarg, void *kbuf,
                        size_t minsz)
{
    uint32_t argsz;

    if (!ua->read(ua->opaque, uarg, kbuf, minsz)) {
        return -EFAULT;
    }
    memcpy(&argsz, kbuf, sizeof(argsz));
    return argsz < minsz ? -EINVAL : 0;
}

static int vfio_copy_out(const SimUaccess *ua, uint64_t uaddr,
                         const void *src, size_t len)
{
    return ua->write(ua->opaque, uaddr, src, len) ? 0 : -EFAULT;
}

static int vfio_bind(HostSim *s, SimFile *f, uint64_t uarg,
                     const SimUaccess *ua)
{
    struct vfio_device_bind_iommufd bind = { 0 };
    size_t minsz = ENDOF(vfio_device_bind_iommufd, out_devid);
    SimFile *ifile;
    uint8_t token[16];
    int r = vfio_copy_in(ua, uarg, &bind, minsz);

    if (r) {
        return r;
    }
    if (bind.iommufd < 0 || (bind.flags & ~VFIO_DEVICE_BIND_FLAG_TOKEN) ||
        f->devobj) {
        return -EINVAL;
    }
    if (bind.flags & VFIO_DEVICE_BIND_FLAG_TOKEN) {
        if (bind.argsz < sizeof(bind) ||
            !ua->read(ua->opaque, uarg + minsz, &bind.token_uuid_ptr, 8)) {
            return bind.argsz < sizeof(bind) ? -EINVAL : -EFAULT;
        }
        if (!ua->read(ua->opaque, bind.token_uuid_ptr, token, sizeof(token))) {
            return -EFAULT;
        }
    }
    /* The cdev path cannot share a device between two opens. */
    if (f->dev->bound) {
        return -EINVAL;
    }
    ifile = s->lookup_iommufd(s, bind.iommufd, s->lookup_opaque);
    if (!ifile) {
        return -EBADF;
    }
    if (ifile->kind != SIM_FILE_IOMMU) {
        return -EBADFD;
    }
    f->ictx = sim_ictx_ref(ifile->ictx);
    f->devobj = sim_iommufd_bind(s, f->ictx, f->dev);
    bind.out_devid = f->devobj->id;
    r = vfio_copy_out(ua, uarg + offsetof(struct vfio_device_bind_iommufd,
                                          out_devid),
                      &bind.out_devid, sizeof(bind.out_devid));
    if (r) {
        sim_iommufd_unbind(s, g_steal_pointer(&f->devobj));
        sim_ictx_unref(s, g_steal_pointer(&f->ictx));
    }
    return r;
}

static int vfio_attach(HostSim *s, SimFile *f, uint64_t uarg,
                       const SimUaccess *ua)
{
    struct vfio_device_attach_iommufd_pt at = { 0 };
    size_t minsz = ENDOF(vfio_device_attach_iommufd_pt, pt_id);
    bool pasid;
    int r = vfio_copy_in(ua, uarg, &at, minsz);

    if (r) {
        return r;
    }
    if (at.flags & ~VFIO_DEVICE_ATTACH_PASID) {
        return -EINVAL;
    }
    pasid = at.flags & VFIO_DEVICE_ATTACH_PASID;
    if (pasid) {
        if (at.argsz < sizeof(at)) {
            return -EINVAL;
        }
        if (!ua->read(ua->opaque, uarg + minsz, &at.pasid, 4)) {
            return -EFAULT;
        }
    }
    r = sim_iommufd_attach(s, f->devobj, &at.pt_id, pasid, at.pasid);
    if (r) {
        return r;
    }
    r = vfio_copy_out(ua, uarg + offsetof(struct vfio_device_attach_iommufd_pt,
                                          pt_id), &at.pt_id, 4);
    if (r) {
        sim_iommufd_detach(s, f->devobj, pasid, at.pasid);
    }
    return r;
}

static int vfio_detach(HostSim *s, SimFile *f, uint64_t uarg,
                       const SimUaccess *ua)
{
    struct vfio_device_detach_iommufd_pt de = { 0 };
    size_t minsz = ENDOF(vfio_device_detach_iommufd_pt, flags);
    bool pasid;
    int r = vfio_copy_in(ua, uarg, &de, minsz);

    if (r) {
        return r;
    }
    if (de.flags & ~VFIO_DEVICE_DETACH_PASID) {
        return -EINVAL;
    }
    pasid = de.flags & VFIO_DEVICE_DETACH_PASID;
    if (pasid) {
        if (de.argsz < sizeof(de)) {
            return -EINVAL;
        }
        if (!ua->read(ua->opaque, uarg + minsz, &de.pasid, 4)) {
            return -EFAULT;
        }
    }
    sim_iommufd_detach(s, f->devobj, pasid, de.pasid);
    return 0;
}

static int vfio_get_info(HostSim *s, SimFile *f, uint64_t uarg,
                         const SimUaccess *ua)
{
    struct vfio_device_info info = { 0 };
    size_t minsz = ENDOF(vfio_device_info, num_irqs);
    int r = vfio_copy_in(ua, uarg, &info, minsz);

    if (r) {
        return r;
    }
    info.flags = VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI;
    info.num_regions = VFIO_PCI_NUM_REGIONS;
    info.num_irqs = VFIO_PCI_NUM_IRQS;
    return vfio_copy_out(ua, uarg, &info, minsz);
}

static void vfio_region(HostSim *s, SimDevice *dev, unsigned index,
                        uint64_t *size, uint32_t *flags)
{
    *size = 0;
    *flags = 0;
    if (index < VFIO_PCI_ROM_REGION_INDEX) {
        *size = dev->bar_size[index];
        *flags = *size ? VFIO_REGION_INFO_FLAG_READ |
                         VFIO_REGION_INFO_FLAG_WRITE : 0;
        if (*size && !(dev->bar_flags[index] & 1)) {
            *flags |= VFIO_REGION_INFO_FLAG_MMAP;
        }
    } else if (index == VFIO_PCI_ROM_REGION_INDEX) {
        *size = dev->rom_size;
        *flags = *size ? VFIO_REGION_INFO_FLAG_READ : 0;
    } else if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
        *size = SIM_CFG_SIZE;
        *flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
    }
}

static int vfio_get_region_info(HostSim *s, SimFile *f, uint64_t uarg,
                                const SimUaccess *ua)
{
    struct vfio_region_info info = { 0 };
    size_t minsz = ENDOF(vfio_region_info, offset);
    uint64_t size;
    int r = vfio_copy_in(ua, uarg, &info, minsz);

    if (r) {
        return r;
    }
    if (info.index >= VFIO_PCI_NUM_REGIONS) {
        return -EINVAL;
    }
    vfio_region(s, f->dev, info.index, &size, &info.flags);
    info.size = size;
    /* Behind umockdev (shift 0) every region starts the node's file. */
    info.offset = s->region_shift ? (uint64_t)info.index << s->region_shift
                                  : 0;
    info.cap_offset = 0;
    return vfio_copy_out(ua, uarg, &info, minsz);
}

/* Offset of standard capability @id, 0 if absent. */
static unsigned vfio_find_cap(const uint8_t *cfg, uint8_t id)
{
    unsigned off = (cfg[0x06] & 0x10) ? cfg[0x34] & 0xfc : 0, hops = 0;

    while (off >= 0x40 && hops++ < 48) {
        if (cfg[off] == id) {
            return off;
        }
        off = cfg[off + 1] & 0xfc;
    }
    return 0;
}

static uint32_t vfio_irq_count(SimDevice *dev, unsigned index)
{
    const uint8_t *c = sim_device_config(dev);
    unsigned off;

    switch (index) {
    case VFIO_PCI_INTX_IRQ_INDEX:
        return c[0x3d] != 0;
    case VFIO_PCI_MSI_IRQ_INDEX:
        off = vfio_find_cap(c, 0x05);
        return off ? 1u << ((c[off + 2] >> 1) & 7) : 0;
    case VFIO_PCI_MSIX_IRQ_INDEX:
        off = vfio_find_cap(c, 0x11);
        return off ? ((c[off + 2] | (c[off + 3] << 8)) & 0x7ff) + 1 : 0;
    case VFIO_PCI_ERR_IRQ_INDEX:
        return vfio_find_cap(c, 0x10) != 0;
    default:
        return 1;
    }
}

static int vfio_get_irq_info(HostSim *s, SimFile *f, uint64_t uarg,
                             const SimUaccess *ua)
{
    static const uint32_t flags[VFIO_PCI_NUM_IRQS] = {
        [VFIO_PCI_INTX_IRQ_INDEX] = VFIO_IRQ_INFO_EVENTFD |
            VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED,
        [VFIO_PCI_MSI_IRQ_INDEX] = VFIO_IRQ_INFO_EVENTFD |
            VFIO_IRQ_INFO_NORESIZE,
        [VFIO_PCI_MSIX_IRQ_INDEX] = VFIO_IRQ_INFO_EVENTFD |
            VFIO_IRQ_INFO_NORESIZE,
        [VFIO_PCI_ERR_IRQ_INDEX] = VFIO_IRQ_INFO_EVENTFD,
        [VFIO_PCI_REQ_IRQ_INDEX] = VFIO_IRQ_INFO_EVENTFD,
    };
    struct vfio_irq_info info = { 0 };
    int r = vfio_copy_in(ua, uarg, &info, sizeof(info));

    if (r) {
        return r;
    }
    if (info.index >= VFIO_PCI_NUM_IRQS) {
        return -EINVAL;
    }
    info.flags = flags[info.index];
    info.count = vfio_irq_count(f->dev, info.index);
    return vfio_copy_out(ua, uarg, &info, sizeof(info));
}

static const struct {
    unsigned long request;
    SimCmd cmd;
} vfio_cmds[] = {
    { VFIO_DEVICE_GET_INFO, SIM_CMD_GET_INFO },
    { VFIO_DEVICE_GET_REGION_INFO, SIM_CMD_GET_REGION_INFO },
    { VFIO_DEVICE_GET_IRQ_INFO, SIM_CMD_GET_IRQ_INFO },
    { VFIO_DEVICE_SET_IRQS, SIM_CMD_SET_IRQS },
    { VFIO_DEVICE_RESET, SIM_CMD_RESET },
    { VFIO_DEVICE_FEATURE, SIM_CMD_FEATURE },
    { VFIO_DEVICE_BIND_IOMMUFD, SIM_CMD_BIND_IOMMUFD },
    { VFIO_DEVICE_ATTACH_IOMMUFD_PT, SIM_CMD_ATTACH_IOMMUFD_PT },
    { VFIO_DEVICE_DETACH_IOMMUFD_PT, SIM_CMD_DETACH_IOMMUFD_PT },
};

int sim_vfio_ioctl(HostSim *s, SimFile *f, unsigned long req, uint64_t uarg,
                   const SimUaccess *ua)
{
    SimCmd cmd = SIM_CMD_UNKNOWN;
    struct vfio_irq_set set;
    unsigned i;
    int r;

    for (i = 0; i < G_N_ELEMENTS(vfio_cmds); i++) {
        if (vfio_cmds[i].request == req) {
            cmd = vfio_cmds[i].cmd;
        }
    }
    r = sim_call_begin(s, f->dev, cmd);
    if (r) {
        return r;
    }
    /* Before a bind, a cdev fd answers nothing else. */
    if (req == VFIO_DEVICE_BIND_IOMMUFD) {
        return vfio_bind(s, f, uarg, ua);
    } else if (!f->devobj) {
        return -EINVAL;
    }
    switch (req) {
    case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
        return vfio_attach(s, f, uarg, ua);
    case VFIO_DEVICE_DETACH_IOMMUFD_PT:
        return vfio_detach(s, f, uarg, ua);
    case VFIO_DEVICE_GET_INFO:
        return vfio_get_info(s, f, uarg, ua);
    case VFIO_DEVICE_GET_REGION_INFO:
        return vfio_get_region_info(s, f, uarg, ua);
    case VFIO_DEVICE_GET_IRQ_INFO:
        return vfio_get_irq_info(s, f, uarg, ua);
    case VFIO_DEVICE_SET_IRQS:
        /* Interrupts are not delivered; accept well-formed requests. */
        return vfio_copy_in(ua, uarg, &set, sizeof(set));
    case VFIO_DEVICE_RESET:
        g_clear_pointer(&f->dev->config, g_free);  /* back to config_init */
        return 0;
    default:
        return -ENOTTY;
    }
}

ssize_t sim_vfio_rw(HostSim *s, SimFile *f, void *buf, size_t count,
                    off_t off, bool write)
{
    uint64_t mask = s->region_shift ? (1ull << s->region_shift) - 1
                                    : UINT64_MAX;
    unsigned index = s->region_shift ? (uint64_t)off >> s->region_shift
                                     : VFIO_PCI_CONFIG_REGION_INDEX;
    uint64_t pos = (uint64_t)off & mask, size;
    uint32_t flags;

    if (!f->devobj || off < 0 || index >= VFIO_PCI_NUM_REGIONS) {
        return -EINVAL;
    }
    vfio_region(s, f->dev, index, &size, &flags);
    if (pos >= size || !(flags & (write ? VFIO_REGION_INFO_FLAG_WRITE
                                        : VFIO_REGION_INFO_FLAG_READ))) {
        return -EINVAL;
    }
    count = MIN(count, size - pos);
    if (index != VFIO_PCI_CONFIG_REGION_INDEX) {
        /* BAR contents are not simulated: reads see zeroes. */
        if (!write) {
            memset(buf, 0, count);
        }
        return count;
    }
    if (write) {
        sim_config_write(f->dev, pos, buf, count);
    } else {
        memcpy(buf, sim_device_config(f->dev) + pos, count);
    }
    return count;
}

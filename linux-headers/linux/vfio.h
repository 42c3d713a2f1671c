/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VFIO device cdev uAPI (/dev/vfio/devices/vfioN) over iommufd, as of
 * Linux 6.18: only what a VFIO PCI device bound to iommufd uses.
 *
 * Written for this project from the ABI facts in DESIGN §5 with Linux's
 * names; every size, offset and command number is pinned below.  The
 * guard differs from the system header's (_UAPIVFIO_H).
 */
#ifndef VV_LINUX_VFIO_H
#define VV_LINUX_VFIO_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <stddef.h>

#define VFIO_API_VERSION 0

#define VFIO_TYPE (';')
#define VFIO_BASE 100

#define VFIO_GET_API_VERSION _IO(VFIO_TYPE, VFIO_BASE + 0)

/* VFIO_DEVICE_GET_INFO */
struct vfio_device_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_FLAGS_RESET (1 << 0)
#define VFIO_DEVICE_FLAGS_PCI (1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM (1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA (1 << 3)
#define VFIO_DEVICE_FLAGS_CCW (1 << 4)
#define VFIO_DEVICE_FLAGS_AP (1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC (1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS (1 << 7)
#define VFIO_DEVICE_FLAGS_CDX (1 << 8)
    __u32 num_regions;
    __u32 num_irqs;
    __u32 cap_offset;
    __u32 pad;
};
#define VFIO_DEVICE_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 7)

/* VFIO_DEVICE_GET_REGION_INFO: use @offset with pread/pwrite. */
struct vfio_region_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_REGION_INFO_FLAG_READ (1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP (1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS (1 << 3)
    __u32 index;
    __u32 cap_offset;
    __aligned_u64 size;
    __aligned_u64 offset;
};
#define VFIO_DEVICE_GET_REGION_INFO _IO(VFIO_TYPE, VFIO_BASE + 8)

/* VFIO_DEVICE_GET_IRQ_INFO */
struct vfio_irq_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_IRQ_INFO_EVENTFD (1 << 0)
#define VFIO_IRQ_INFO_MASKABLE (1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED (1 << 2)
#define VFIO_IRQ_INFO_NORESIZE (1 << 3)
    __u32 index;
    __u32 count;
};
#define VFIO_DEVICE_GET_IRQ_INFO _IO(VFIO_TYPE, VFIO_BASE + 9)

/* VFIO_DEVICE_SET_IRQS */
struct vfio_irq_set {
    __u32 argsz;
    __u32 flags;
    __u32 index;
    __u32 start;
    __u32 count;
    __u8 data[];
};
#define VFIO_DEVICE_SET_IRQS _IO(VFIO_TYPE, VFIO_BASE + 10)

#define VFIO_DEVICE_RESET _IO(VFIO_TYPE, VFIO_BASE + 11)

struct vfio_device_feature {
    __u32 argsz;
    __u32 flags;
    __u8 data[];
};
#define VFIO_DEVICE_FEATURE _IO(VFIO_TYPE, VFIO_BASE + 17)

/*
 * VFIO_DEVICE_BIND_IOMMUFD: bind a cdev fd to an iommufd; the device's
 * iommufd object id comes back in @out_devid.  @token_uuid_ptr (6.17+)
 * is read only with VFIO_DEVICE_BIND_FLAG_TOKEN.
 */
struct vfio_device_bind_iommufd {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
    __s32 iommufd;
    __u32 out_devid;
    __aligned_u64 token_uuid_ptr;
};
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)

/*
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT: attach to an IOAS or HWPT (@pt_id); the
 * HWPT actually used comes back in @pt_id.  @pasid is read (and argsz
 * must cover it) only with VFIO_DEVICE_ATTACH_PASID.
 */
struct vfio_device_attach_iommufd_pt {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
    __u32 pt_id;
    __u32 pasid;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)

struct vfio_device_detach_iommufd_pt {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
    __u32 pasid;
};
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)

/* vfio-pci region and interrupt indices. */
enum {
    VFIO_PCI_BAR0_REGION_INDEX,
    VFIO_PCI_BAR1_REGION_INDEX,
    VFIO_PCI_BAR2_REGION_INDEX,
    VFIO_PCI_BAR3_REGION_INDEX,
    VFIO_PCI_BAR4_REGION_INDEX,
    VFIO_PCI_BAR5_REGION_INDEX,
    VFIO_PCI_ROM_REGION_INDEX,
    VFIO_PCI_CONFIG_REGION_INDEX,
    VFIO_PCI_VGA_REGION_INDEX,
    VFIO_PCI_NUM_REGIONS = 9,
};

enum {
    VFIO_PCI_INTX_IRQ_INDEX,
    VFIO_PCI_MSI_IRQ_INDEX,
    VFIO_PCI_MSIX_IRQ_INDEX,
    VFIO_PCI_ERR_IRQ_INDEX,
    VFIO_PCI_REQ_IRQ_INDEX,
    VFIO_PCI_NUM_IRQS,
};

/* The ABI, pinned. */
#define VV_VFIO_ASSERT_OFF(type, field, off) \
    _Static_assert(offsetof(struct type, field) == (off), \
                   #type "." #field " offset")
_Static_assert(sizeof(struct vfio_device_info) == 24, "vfio_device_info");
VV_VFIO_ASSERT_OFF(vfio_device_info, num_regions, 8);
VV_VFIO_ASSERT_OFF(vfio_device_info, num_irqs, 12);
VV_VFIO_ASSERT_OFF(vfio_device_info, cap_offset, 16);
_Static_assert(sizeof(struct vfio_region_info) == 32, "vfio_region_info");
VV_VFIO_ASSERT_OFF(vfio_region_info, index, 8);
VV_VFIO_ASSERT_OFF(vfio_region_info, size, 16);
VV_VFIO_ASSERT_OFF(vfio_region_info, offset, 24);
_Static_assert(sizeof(struct vfio_irq_info) == 16, "vfio_irq_info");
_Static_assert(sizeof(struct vfio_irq_set) == 20, "vfio_irq_set");
_Static_assert(sizeof(struct vfio_device_bind_iommufd) == 24,
               "vfio_device_bind_iommufd");
VV_VFIO_ASSERT_OFF(vfio_device_bind_iommufd, iommufd, 8);
VV_VFIO_ASSERT_OFF(vfio_device_bind_iommufd, out_devid, 12);
VV_VFIO_ASSERT_OFF(vfio_device_bind_iommufd, token_uuid_ptr, 16);
_Static_assert(sizeof(struct vfio_device_attach_iommufd_pt) == 16,
               "vfio_device_attach_iommufd_pt");
VV_VFIO_ASSERT_OFF(vfio_device_attach_iommufd_pt, pt_id, 8);
VV_VFIO_ASSERT_OFF(vfio_device_attach_iommufd_pt, pasid, 12);
_Static_assert(sizeof(struct vfio_device_detach_iommufd_pt) == 12,
               "vfio_device_detach_iommufd_pt");
_Static_assert(VFIO_PCI_CONFIG_REGION_INDEX == 7, "config region index");
_Static_assert(VFIO_GET_API_VERSION == 0x3b64, "VFIO_GET_API_VERSION");
_Static_assert(VFIO_DEVICE_GET_INFO == 0x3b6b, "VFIO_DEVICE_GET_INFO");
_Static_assert(VFIO_DEVICE_GET_REGION_INFO == 0x3b6c,
               "VFIO_DEVICE_GET_REGION_INFO");
_Static_assert(VFIO_DEVICE_GET_IRQ_INFO == 0x3b6d, "VFIO_DEVICE_GET_IRQ_INFO");
_Static_assert(VFIO_DEVICE_SET_IRQS == 0x3b6e, "VFIO_DEVICE_SET_IRQS");
_Static_assert(VFIO_DEVICE_RESET == 0x3b6f, "VFIO_DEVICE_RESET");
_Static_assert(VFIO_DEVICE_FEATURE == 0x3b75, "VFIO_DEVICE_FEATURE");
_Static_assert(VFIO_DEVICE_BIND_IOMMUFD == 0x3b76, "VFIO_DEVICE_BIND_IOMMUFD");
_Static_assert(VFIO_DEVICE_ATTACH_IOMMUFD_PT == 0x3b77,
               "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
_Static_assert(VFIO_DEVICE_DETACH_IOMMUFD_PT == 0x3b78,
               "VFIO_DEVICE_DETACH_IOMMUFD_PT");
#undef VV_VFIO_ASSERT_OFF

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iommufd uAPI (/dev/iommu), as of Linux 6.18.
 *
 * Written for this project from the ABI facts in docs/DESIGN §5: the
 * names are Linux's, so code reads like any other iommufd user, and every
 * size, offset and command number is pinned below.  The guard differs from
 * the system header's (_UAPI_IOMMUFD_H) so that including both is an
 * error rather than a silent mix of two ABIs.
 */
#ifndef VV_LINUX_IOMMUFD_H
#define VV_LINUX_IOMMUFD_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <stddef.h>

#define IOMMUFD_TYPE (';')

enum {
    IOMMUFD_CMD_BASE = 0x80,
    IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
    IOMMUFD_CMD_IOAS_ALLOC = 0x81,
    IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
    IOMMUFD_CMD_IOAS_COPY = 0x83,
    IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
    IOMMUFD_CMD_IOAS_MAP = 0x85,
    IOMMUFD_CMD_IOAS_UNMAP = 0x86,
    IOMMUFD_CMD_OPTION = 0x87,
    IOMMUFD_CMD_VFIO_IOAS = 0x88,
    IOMMUFD_CMD_HWPT_ALLOC = 0x89,
    IOMMUFD_CMD_GET_HW_INFO = 0x8a,
    IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
    IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
    IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
    IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
    IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,
    IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,
    IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,
};

/* IOMMU_DESTROY: drop an object (IOAS, HWPT, ...) by id. */
struct iommu_destroy {
    __u32 size;
    __u32 id;
};
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)

/* IOMMU_IOAS_ALLOC: a new I/O address space. */
struct iommu_ioas_alloc {
    __u32 size;
    __u32 flags;
    __u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)

struct iommu_iova_range {
    __aligned_u64 start;
    __aligned_u64 last;
};

/* IOMMU_IOAS_IOVA_RANGES: the IOVAs an IOAS allows, given its devices. */
struct iommu_ioas_iova_ranges {
    __u32 size;
    __u32 ioas_id;
    __u32 num_iovas;                /* in: array length; out: ranges */
    __u32 __reserved;
    __aligned_u64 allowed_iovas;    /* struct iommu_iova_range[] */
    __aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)

enum iommufd_ioas_map_flags {
    IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
    IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
    IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/* IOMMU_IOAS_MAP: map user memory at an IOVA (chosen, or returned). */
struct iommu_ioas_map {
    __u32 size;
    __u32 flags;
    __u32 ioas_id;
    __u32 __reserved;
    __aligned_u64 user_va;
    __aligned_u64 length;
    __aligned_u64 iova;
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)

/* IOMMU_IOAS_UNMAP: iova 0 and length 0 unmap everything. */
struct iommu_ioas_unmap {
    __u32 size;
    __u32 ioas_id;
    __aligned_u64 iova;
    __aligned_u64 length;
};
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)

enum iommufd_hwpt_alloc_flags {
    IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
    IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
    IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
    IOMMU_HWPT_ALLOC_PASID = 1 << 3,
};

enum iommu_hwpt_data_type {
    IOMMU_HWPT_DATA_NONE = 0,
    IOMMU_HWPT_DATA_VTD_S1 = 1,
    IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
};

/* IOMMU_HWPT_ALLOC: a hardware page table for @dev_id on @pt_id. */
struct iommu_hwpt_alloc {
    __u32 size;
    __u32 flags;
    __u32 dev_id;
    __u32 pt_id;
    __u32 out_hwpt_id;
    __u32 __reserved;
    __u32 data_type;
    __u32 data_len;
    __aligned_u64 data_uptr;
    __u32 fault_id;
    __u32 __reserved2;
};
#define IOMMU_HWPT_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_ALLOC)

/* VT-d vendor data of IOMMU_GET_HW_INFO: the raw CAP and ECAP registers. */
enum iommu_hw_info_vtd_flags {
    IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 = 1 << 0,
};

struct iommu_hw_info_vtd {
    __u32 flags;
    __u32 __reserved;
    __aligned_u64 cap_reg;
    __aligned_u64 ecap_reg;
};

/* SMMUv3 vendor data of IOMMU_GET_HW_INFO: the raw ID registers. */
struct iommu_hw_info_arm_smmuv3 {
    __u32 flags;
    __u32 __reserved;
    __u32 idr[6];
    __u32 iidr;
    __u32 aidr;
};

enum iommu_hw_info_type {
    IOMMU_HW_INFO_TYPE_NONE = 0,
    IOMMU_HW_INFO_TYPE_DEFAULT = 0,
    IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
    IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
    IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
};

enum iommufd_hw_capabilities {
    IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
    IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
    IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
};

enum iommufd_hw_info_flags {
    IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

/*
 * IOMMU_GET_HW_INFO: what the IOMMU behind @dev_id can do.  Vendor data
 * goes to @data_uptr (up to @data_len bytes, the rest zeroed) and the
 * kernel's own length comes back in @data_len.
 */
struct iommu_hw_info {
    __u32 size;
    __u32 flags;
    __u32 dev_id;
    __u32 data_len;
    __aligned_u64 data_uptr;
    union {
        __u32 in_data_type;
        __u32 out_data_type;
    };
    __u8 out_max_pasid_log2;
    __u8 __reserved[3];
    __aligned_u64 out_capabilities;
};
#define IOMMU_GET_HW_INFO _IO(IOMMUFD_TYPE, IOMMUFD_CMD_GET_HW_INFO)

enum iommufd_hwpt_set_dirty_tracking_flags {
    IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

struct iommu_hwpt_set_dirty_tracking {
    __u32 size;
    __u32 flags;
    __u32 hwpt_id;
    __u32 __reserved;
};
#define IOMMU_HWPT_SET_DIRTY_TRACKING \
    _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)

/*
 * VT-d stage-1 (first-stage) page table nested on a NEST_PARENT HWPT:
 * the data of IOMMU_HWPT_ALLOC with IOMMU_HWPT_DATA_VTD_S1.  @pgtbl_addr
 * is the guest's first-stage table pointer (a GPA), @addr_width 48
 * (4-level) or 57 (5-level).
 */
enum iommu_hwpt_vtd_s1_flags {
    IOMMU_VTD_S1_SRE = 1 << 0,
    IOMMU_VTD_S1_EAFE = 1 << 1,
    IOMMU_VTD_S1_WPE = 1 << 2,
};

struct iommu_hwpt_vtd_s1 {
    __aligned_u64 flags;
    __aligned_u64 pgtbl_addr;
    __u32 addr_width;
    __u32 __reserved;
};

enum iommu_hwpt_invalidate_data_type {
    IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
    IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

enum iommu_hwpt_vtd_s1_invalidate_flags {
    IOMMU_VTD_INV_FLAGS_LEAF = 1 << 0,
};

/*
 * One VT-d stage-1 invalidation: @npages 4 KiB pages from @addr (4 KiB
 * aligned); @addr 0 with @npages U64_MAX is everything.
 */
struct iommu_hwpt_vtd_s1_invalidate {
    __aligned_u64 addr;
    __aligned_u64 npages;
    __u32 flags;
    __u32 __reserved;
};

/*
 * IOMMU_HWPT_INVALIDATE: @entry_num entries of @entry_len bytes each at
 * @data_uptr for the nested HWPT (or vIOMMU) @hwpt_id.  @entry_num comes
 * back as the number handled, on failure too.
 */
struct iommu_hwpt_invalidate {
    __u32 size;
    __u32 hwpt_id;
    __aligned_u64 data_uptr;
    __u32 data_type;
    __u32 entry_len;
    __u32 entry_num;
    __u32 __reserved;
};
#define IOMMU_HWPT_INVALIDATE _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_INVALIDATE)

/*
 * The guest STE's first two little-endian dwords for a nested HWPT on an
 * SMMUv3 vIOMMU (IOMMU_HWPT_DATA_ARM_SMMUV3).  Only these fields may be
 * set, else EIO: word 0 V, Cfg, S1Fmt, S1ContextPtr, S1CDMax; word 1
 * EATS, S1DSS, S1CIR, S1COR, S1CSH, S1STALLD.  Cfg picks S1 translate,
 * bypass or abort.
 */
struct iommu_hwpt_arm_smmuv3 {
    __aligned_le64 ste[2];
};

/*
 * One guest SMMUv3 command (IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3),
 * little-endian; a vIOMMU accepts TLBI_NSNH_ALL, TLBI_NH_VA,
 * TLBI_NH_VAA, TLBI_NH_ALL, TLBI_NH_ASID, ATC_INV, CFGI_CD and
 * CFGI_CD_ALL, else EIO.  StreamIDs in it are virtual (a vDEVICE's).
 */
struct iommu_viommu_arm_smmuv3_invalidate {
    __aligned_le64 cmd[2];
};

enum iommu_viommu_type {
    IOMMU_VIOMMU_TYPE_DEFAULT = 0,
    IOMMU_VIOMMU_TYPE_ARM_SMMUV3 = 1,
    IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV = 2,
};

/*
 * IOMMU_VIOMMU_ALLOC: a vIOMMU of @type on the physical IOMMU behind
 * @dev_id, wrapping the nesting parent @hwpt_id; @data_len bytes of
 * type-specific data at @data_uptr (none for ARM_SMMUV3).
 */
struct iommu_viommu_alloc {
    __u32 size;
    __u32 flags;
    __u32 type;
    __u32 dev_id;
    __u32 hwpt_id;
    __u32 out_viommu_id;
    __u32 data_len;
    __u32 __reserved;
    __aligned_u64 data_uptr;
};
#define IOMMU_VIOMMU_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VIOMMU_ALLOC)

/*
 * IOMMU_VDEVICE_ALLOC: device @dev_id as the guest sees it on vIOMMU
 * @viommu_id, with @virt_id its virtual ID (SMMUv3: the guest StreamID).
 * Destroy it before the device is unbound.
 */
struct iommu_vdevice_alloc {
    __u32 size;
    __u32 viommu_id;
    __u32 dev_id;
    __u32 out_vdevice_id;
    __aligned_u64 virt_id;
};
#define IOMMU_VDEVICE_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VDEVICE_ALLOC)

/* The ABI, pinned. */
#define VV_IOMMUFD_ASSERT_OFF(type, field, off) \
    _Static_assert(offsetof(struct type, field) == (off), \
                   #type "." #field " offset")
_Static_assert(sizeof(struct iommu_destroy) == 8, "iommu_destroy size");
_Static_assert(sizeof(struct iommu_ioas_alloc) == 12, "iommu_ioas_alloc size");
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_alloc, out_ioas_id, 8);
_Static_assert(sizeof(struct iommu_ioas_map) == 40, "iommu_ioas_map size");
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_map, user_va, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_map, length, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_map, iova, 32);
_Static_assert(sizeof(struct iommu_iova_range) == 16, "iommu_iova_range size");
_Static_assert(sizeof(struct iommu_ioas_iova_ranges) == 32,
               "iommu_ioas_iova_ranges size");
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_iova_ranges, num_iovas, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_iova_ranges, allowed_iovas, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_iova_ranges, out_iova_alignment, 24);
_Static_assert(sizeof(struct iommu_ioas_unmap) == 24, "iommu_ioas_unmap size");
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_unmap, iova, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_ioas_unmap, length, 16);
_Static_assert(sizeof(struct iommu_hwpt_alloc) == 48, "iommu_hwpt_alloc size");
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, out_hwpt_id, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, __reserved, 20);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, data_type, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, data_len, 28);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, data_uptr, 32);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, fault_id, 40);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_alloc, __reserved2, 44);
_Static_assert(sizeof(struct iommu_hw_info_vtd) == 24, "iommu_hw_info_vtd");
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info_vtd, cap_reg, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info_vtd, ecap_reg, 16);
_Static_assert(sizeof(struct iommu_hw_info_arm_smmuv3) == 40,
               "iommu_hw_info_arm_smmuv3 size");
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info_arm_smmuv3, idr, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info_arm_smmuv3, iidr, 32);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info_arm_smmuv3, aidr, 36);
_Static_assert(sizeof(struct iommu_hw_info) == 40, "iommu_hw_info size");
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, flags, 4);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, dev_id, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, data_len, 12);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, data_uptr, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, in_data_type, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, out_data_type, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, out_max_pasid_log2, 28);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, __reserved, 29);
VV_IOMMUFD_ASSERT_OFF(iommu_hw_info, out_capabilities, 32);
_Static_assert(sizeof(struct iommu_hwpt_set_dirty_tracking) == 16,
               "iommu_hwpt_set_dirty_tracking size");
_Static_assert(sizeof(struct iommu_hwpt_vtd_s1) == 24, "iommu_hwpt_vtd_s1 size");
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1, pgtbl_addr, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1, addr_width, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1, __reserved, 20);
_Static_assert(sizeof(struct iommu_hwpt_vtd_s1_invalidate) == 24,
               "iommu_hwpt_vtd_s1_invalidate size");
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1_invalidate, npages, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1_invalidate, flags, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_vtd_s1_invalidate, __reserved, 20);
_Static_assert(sizeof(struct iommu_hwpt_invalidate) == 32,
               "iommu_hwpt_invalidate size");
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, hwpt_id, 4);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, data_uptr, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, data_type, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, entry_len, 20);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, entry_num, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_hwpt_invalidate, __reserved, 28);
_Static_assert(sizeof(struct iommu_hwpt_arm_smmuv3) == 16,
               "iommu_hwpt_arm_smmuv3 size");
_Static_assert(sizeof(struct iommu_viommu_arm_smmuv3_invalidate) == 16,
               "iommu_viommu_arm_smmuv3_invalidate size");
_Static_assert(IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 == 1,
               "IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3");
_Static_assert(IOMMU_HWPT_DATA_ARM_SMMUV3 == 2, "IOMMU_HWPT_DATA_ARM_SMMUV3");
_Static_assert(IOMMU_VIOMMU_TYPE_ARM_SMMUV3 == 1, "IOMMU_VIOMMU_TYPE_ARM_SMMUV3");
_Static_assert(sizeof(struct iommu_viommu_alloc) == 40,
               "iommu_viommu_alloc size");
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, type, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, dev_id, 12);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, hwpt_id, 16);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, out_viommu_id, 20);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, data_len, 24);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, __reserved, 28);
VV_IOMMUFD_ASSERT_OFF(iommu_viommu_alloc, data_uptr, 32);
_Static_assert(sizeof(struct iommu_vdevice_alloc) == 24,
               "iommu_vdevice_alloc size");
VV_IOMMUFD_ASSERT_OFF(iommu_vdevice_alloc, viommu_id, 4);
VV_IOMMUFD_ASSERT_OFF(iommu_vdevice_alloc, dev_id, 8);
VV_IOMMUFD_ASSERT_OFF(iommu_vdevice_alloc, out_vdevice_id, 12);
VV_IOMMUFD_ASSERT_OFF(iommu_vdevice_alloc, virt_id, 16);
_Static_assert(IOMMU_DESTROY == 0x3b80, "IOMMU_DESTROY");
_Static_assert(IOMMU_IOAS_ALLOC == 0x3b81, "IOMMU_IOAS_ALLOC");
_Static_assert(IOMMU_IOAS_MAP == 0x3b85, "IOMMU_IOAS_MAP");
_Static_assert(IOMMU_IOAS_UNMAP == 0x3b86, "IOMMU_IOAS_UNMAP");
_Static_assert(IOMMU_HWPT_ALLOC == 0x3b89, "IOMMU_HWPT_ALLOC");
_Static_assert(IOMMU_GET_HW_INFO == 0x3b8a, "IOMMU_GET_HW_INFO");
_Static_assert(IOMMU_HWPT_SET_DIRTY_TRACKING == 0x3b8b,
               "IOMMU_HWPT_SET_DIRTY_TRACKING");
_Static_assert(IOMMU_HWPT_INVALIDATE == 0x3b8d, "IOMMU_HWPT_INVALIDATE");
_Static_assert(IOMMU_VIOMMU_ALLOC == 0x3b90, "IOMMU_VIOMMU_ALLOC");
_Static_assert(IOMMU_VDEVICE_ALLOC == 0x3b91, "IOMMU_VDEVICE_ALLOC");
#undef VV_IOMMUFD_ASSERT_OFF

#endif

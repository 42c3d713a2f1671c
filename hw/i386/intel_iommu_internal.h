/*
 * Intel VT-d: register offsets and bits (VT-d specification, chapter 11),
 * and the functions the intel-iommu source files share.
 *
 * Only what the model uses is named here; every field position is pinned
 * with a _Static_assert so that a typo shows up at build time.
 */
#ifndef HW_I386_INTEL_IOMMU_INTERNAL_H
#define HW_I386_INTEL_IOMMU_INTERNAL_H

#include "hw/i386/intel_iommu.h"

/* Register offsets. */
#define DMAR_VER_REG            0x00    /* 32, RO */
#define DMAR_CAP_REG            0x08    /* 64, RO */
#define DMAR_ECAP_REG           0x10    /* 64, RO */
#define DMAR_GCMD_REG           0x18    /* 32, WO */
#define DMAR_GSTS_REG           0x1c    /* 32, RO */
#define DMAR_RTADDR_REG         0x20    /* 64 */
#define DMAR_CCMD_REG           0x28    /* 64 */
#define DMAR_FSTS_REG           0x34    /* 32 */
#define DMAR_FECTL_REG          0x38    /* 32 */
#define DMAR_FEDATA_REG         0x3c    /* 32 */
#define DMAR_FEADDR_REG         0x40    /* 32 */
#define DMAR_FEUADDR_REG        0x44    /* 32 */
#define DMAR_AFLOG_REG          0x58    /* 64 */
#define DMAR_PMEN_REG           0x64    /* 32 */
#define DMAR_IQH_REG            0x80    /* 64, RO */
#define DMAR_IQT_REG            0x88    /* 64 */
#define DMAR_IQA_REG            0x90    /* 64 */
#define DMAR_ICS_REG            0x9c    /* 32 */
#define DMAR_IECTL_REG          0xa0    /* 32 */
#define DMAR_IEDATA_REG         0xa4    /* 32 */
#define DMAR_IEADDR_REG         0xa8    /* 32 */
#define DMAR_IEUADDR_REG        0xac    /* 32 */
#define DMAR_IRTA_REG           0xb8    /* 64 */
#define DMAR_IVA_REG            0xf0    /* 64: ECAP.IRO * 16 */
#define DMAR_IOTLB_REG          0xf8    /* 64 */
#define DMAR_FRCD_REG           0x220   /* 128: CAP.FRO * 16, one record */

/* The MMIO window is one 4 KiB page. */
#define VTD_MMIO_SIZE           0x1000

#define VTD_VERSION             0x10    /* 1.0, as QEMU reports */

/* CAP fields. */
#define VTD_CAP_ND              (6ULL << 0)     /* 2:0, 64K domains */
#define VTD_CAP_CM              (1ULL << 7)
#define VTD_CAP_SAGAW_SHIFT     8               /* 12:8 */
#define VTD_CAP_SAGAW_39BIT     (1ULL << 9)     /* 3-level tables */
#define VTD_CAP_SAGAW_48BIT     (1ULL << 10)    /* 4-level tables */
#define VTD_CAP_MGAW_SHIFT      16              /* 21:16, width - 1 */
#define VTD_CAP_MGAW_MASK       (0x3fULL << VTD_CAP_MGAW_SHIFT)
#define VTD_CAP_FRO_SHIFT       24              /* 33:24, offset / 16 */
#define VTD_CAP_FRO             ((uint64_t)(DMAR_FRCD_REG / 16) << \
                                 VTD_CAP_FRO_SHIFT)
#define VTD_CAP_SSLPS           (3ULL << 34)    /* 2 MiB and 1 GiB pages */
#define VTD_CAP_PSI             (1ULL << 39)
#define VTD_CAP_NFR             (0ULL << 40)    /* 47:40, records - 1 */
#define VTD_CAP_MAMV            (18ULL << 48)   /* 53:48 */
#define VTD_CAP_DWD             (1ULL << 54)
#define VTD_CAP_DRD             (1ULL << 55)
#define VTD_CAP_FS1GP           (1ULL << 56)
#define VTD_CAP_FS5LP           (1ULL << 60)
#define VTD_CAP_ESRTPS          (1ULL << 63)

#define VTD_CAP_MGAW(aw)        ((uint64_t)((aw) - 1) << VTD_CAP_MGAW_SHIFT)
#define VTD_CAP_GET_MGAW(cap)   ((unsigned)(((cap) >> VTD_CAP_MGAW_SHIFT) & \
                                            0x3f) + 1)

/* ECAP fields. */
#define VTD_ECAP_QI             (1ULL << 1)
#define VTD_ECAP_DT             (1ULL << 2)
#define VTD_ECAP_IR             (1ULL << 3)
#define VTD_ECAP_EIM            (1ULL << 4)
#define VTD_ECAP_PT             (1ULL << 6)
#define VTD_ECAP_SC             (1ULL << 7)
#define VTD_ECAP_IRO            ((uint64_t)(DMAR_IVA_REG / 16) << 8)
#define VTD_ECAP_MHMV           (15ULL << 20)
#define VTD_ECAP_NEST           (1ULL << 26)
#define VTD_ECAP_PRS            (1ULL << 29)
#define VTD_ECAP_ERS            (1ULL << 30)
#define VTD_ECAP_SRS            (1ULL << 31)
#define VTD_ECAP_NWFS           (1ULL << 33)
#define VTD_ECAP_PSS_SHIFT      35              /* 39:35, width - 1 */
#define VTD_ECAP_PSS_MASK       (0x1fULL << VTD_ECAP_PSS_SHIFT)
#define VTD_ECAP_PASID          (1ULL << 40)
#define VTD_ECAP_PDS            (1ULL << 42)
#define VTD_ECAP_SMTS           (1ULL << 43)
#define VTD_ECAP_SLTS           (1ULL << 46)
#define VTD_ECAP_FLTS           (1ULL << 47)

#define VTD_ECAP_PSS(width)     ((uint64_t)((width) - 1) << VTD_ECAP_PSS_SHIFT)
#define VTD_ECAP_GET_PSS(ecap)  ((unsigned)(((ecap) >> VTD_ECAP_PSS_SHIFT) & \
                                            0x1f))

/* GCMD / GSTS: each command bit has its status bit at the same place. */
#define VTD_GCMD_TE             (1U << 31)
#define VTD_GCMD_SRTP           (1U << 30)
#define VTD_GCMD_SFL            (1U << 29)
#define VTD_GCMD_EAFL           (1U << 28)
#define VTD_GCMD_WBF            (1U << 27)
#define VTD_GCMD_QIE            (1U << 26)
#define VTD_GCMD_IRE            (1U << 25)
#define VTD_GCMD_SIRTP          (1U << 24)
#define VTD_GCMD_CFI            (1U << 23)
#define VTD_GSTS_TES            VTD_GCMD_TE
#define VTD_GSTS_RTPS           VTD_GCMD_SRTP
#define VTD_GSTS_QIES           VTD_GCMD_QIE
#define VTD_GSTS_IRES           VTD_GCMD_IRE
#define VTD_GSTS_IRTPS          VTD_GCMD_SIRTP
#define VTD_GSTS_CFIS           VTD_GCMD_CFI
#define VTD_GCMD_MASK           0xff800000U

/* RTADDR: table address 63:12, translation table mode 11:10. */
#define VTD_RTADDR_ADDR_MASK    (~0xfffULL)
#define VTD_RTADDR_SMT          (1ULL << 10)

/* CCMD and IOTLB: invalidate bit 63, request 61:60, actual 58:57/59. */
#define VTD_CCMD_ICC            (1ULL << 63)
#define VTD_CCMD_CIRG_SHIFT     61
#define VTD_CCMD_CAIG_SHIFT     59
#define VTD_CCMD_WMASK          0xe0000003ffffffffULL
#define VTD_IOTLB_IVT           (1ULL << 63)
#define VTD_IOTLB_IIRG_SHIFT    60
#define VTD_IOTLB_IAIG_SHIFT    57
#define VTD_IOTLB_WMASK         0xb003ffff00000000ULL

/* FSTS and FECTL. */
#define VTD_FSTS_PFO            (1U << 0)
#define VTD_FSTS_PPF            (1U << 1)
#define VTD_FSTS_IQE            (1U << 4)
#define VTD_FSTS_ICE            (1U << 5)
#define VTD_FSTS_ITE            (1U << 6)
#define VTD_FSTS_W1C            (VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | \
                                 VTD_FSTS_ITE)
#define VTD_FECTL_IM            (1U << 31)
#define VTD_FECTL_IP            (1U << 30)

/* Invalidation queue. */
#define VTD_IQA_ADDR_MASK       (~0xfffULL)
#define VTD_IQA_DW              (1ULL << 11)    /* 256-bit descriptors */
#define VTD_IQA_QS_MASK         0x7ULL
#define VTD_IQT_MASK            0x7fff0ULL      /* 18:4 */
#define VTD_ICS_IWC             (1U << 0)
#define VTD_IECTL_IM            (1U << 31)
#define VTD_IECTL_IP            (1U << 30)

/* Descriptor types (bits 3:0) and the wait descriptor's fields. */
#define VTD_INV_DESC_TYPE_MASK  0xfULL
#define VTD_INV_DESC_CC         0x1
#define VTD_INV_DESC_IOTLB      0x2
#define VTD_INV_DESC_DEVTLB     0x3
#define VTD_INV_DESC_IEC        0x4
#define VTD_INV_DESC_WAIT       0x5
#define VTD_INV_DESC_PIOTLB     0x6
#define VTD_INV_DESC_PC         0x7
#define VTD_INV_DESC_DEV_PIOTLB 0x8
#define VTD_INV_DESC_WAIT_IF    (1ULL << 4)
#define VTD_INV_DESC_WAIT_SW    (1ULL << 5)
#define VTD_INV_DESC_WAIT_ADDR_MASK (~0x3ULL)

/* IRTA: table address 63:12, EIME 11, size 3:0. */
#define VTD_IRTA_WMASK          0xfffffffffffff80fULL

/* Field positions pinned against the VT-d specification. */
_Static_assert(VTD_CAP_FRO == 34ULL << 24, "CAP.FRO is 0x220 / 16");
_Static_assert(VTD_ECAP_IRO == 0xfULL << 8, "ECAP.IRO is 0xf0 / 16");
_Static_assert(VTD_CAP_MGAW(48) == 47ULL << 16, "CAP.MGAW 21:16");
_Static_assert(VTD_CAP_MAMV >> 48 == 18, "CAP.MAMV 53:48");
_Static_assert(VTD_ECAP_PSS(20) == 19ULL << 35, "ECAP.PSS 39:35");
_Static_assert(VTD_ECAP_PSS_MASK == 0xf800000000ULL, "ECAP.PSS 39:35");
_Static_assert(VTD_CAP_FS1GP == 1ULL << 56, "CAP.FS1GP 56");
_Static_assert(VTD_ECAP_SMTS == 1ULL << 43 && VTD_ECAP_PASID == 1ULL << 40,
               "ECAP.SMTS 43, ECAP.PASID 40");
_Static_assert(VTD_ECAP_FLTS == 1ULL << 47 && VTD_ECAP_SLTS == 1ULL << 46,
               "ECAP.FLTS 47, ECAP.SLTS 46");
_Static_assert(DMAR_FRCD_REG + 16 == VTD_REG_SIZE, "one fault record");
_Static_assert(VTD_REG_SIZE <= VTD_MMIO_SIZE, "registers fit the page");
_Static_assert((DMAR_IOTLB_REG & 7) == 0 && (DMAR_IQT_REG & 7) == 0,
               "64-bit registers are 8-byte aligned");

/* intel_iommu.c */

/* Recompute CAP/ECAP from the properties and the PASID width (host.width). */
void vtd_cap_init(IntelIOMMUState *s);

/* intel_iommu_regs.c */

extern const MemoryRegionOps vtd_mmio_ops;
/* Every register to its reset value (CAP/ECAP from s->cap/s->ecap). */
void vtd_regs_reset(IntelIOMMUState *s);
/* Refresh the read-only CAP/ECAP registers after s->cap/s->ecap changed. */
void vtd_regs_update_caps(IntelIOMMUState *s);

/* intel_iommu_host.c: what viommu_host_init() is given at instance init. */
extern const VIOMMUHostOps vtd_host_ops;
/*
 * intel_iommu_monitor.c: the intel-iommu parts of x-query-viommu and
 * "info viommu" (the VIOMMUHostOps query, query_device and info members).
 */
void vtd_query_fields(DeviceState *owner, JsonBuilder *b);
void vtd_query_device(const VIOMMUHostDevice *d, JsonBuilder *b);
void vtd_hmp_info(DeviceState *owner, GString *out);

#endif

/*
 * intel-iommu with x-flts=on: the guest's scalable-mode structures and
 * invalidation queue, and the host objects they become.
 *
 * Layouts from the VT-d specification (chapters 6, 9 and 11); every
 * field position used is pinned with a _Static_assert below.
 *
 *   intel_iommu_pasid.c   reads root, context, PASID directory and
 *                         PASID-table entries from guest RAM;
 *   intel_iommu_qi.c      runs the invalidation queue (256-bit
 *                         descriptors) and records faults (FSTS/FRCD);
 *   intel_iommu_nested.c  turns PASID entries into host HWPTs and
 *                         attachments, and invalidations into
 *                         IOMMU_HWPT_INVALIDATE batches.
 */
#ifndef HW_I386_INTEL_IOMMU_NESTED_H
#define HW_I386_INTEL_IOMMU_NESTED_H

#include "intel_iommu_internal.h"

/* Fault reasons (VT-d specification, Appendix A). */
#define VTD_FR_ROOT_TABLE_INV           0x08
#define VTD_FR_CONTEXT_TABLE_INV        0x09
#define VTD_FR_ROOT_ENTRY_RSVD          0x0a
#define VTD_FR_CONTEXT_ENTRY_RSVD       0x0b
#define VTD_FR_RTADDR_INV_TTM           0x31
#define VTD_FR_PASID_DIR_ACCESS_ERR     0x50
#define VTD_FR_PASID_DIR_ENTRY_P        0x51
#define VTD_FR_PASID_TABLE_ACCESS_ERR   0x58
#define VTD_FR_PASID_ENTRY_P            0x59
#define VTD_FR_PASID_TABLE_ENTRY_INV    0x5b

/* Scalable-mode root entry (128 bits: lower half devfn 0-127). */
#define VTD_SM_ROOT_P           (1ULL << 0)
#define VTD_SM_ROOT_RSVD        0xffeULL
#define VTD_SM_ROOT_CTP         (~0xfffULL)

/* Scalable-mode context entry (256 bits). */
#define VTD_SM_CTX_P            (1ULL << 0)
#define VTD_SM_CTX_FPD          (1ULL << 1)
#define VTD_SM_CTX_PASIDE       (1ULL << 3)
#define VTD_SM_CTX_RSVD0        0x1e0ULL        /* 8:5 */
#define VTD_SM_CTX_PDTS(v)      ((unsigned)(((v) >> 9) & 7))
#define VTD_SM_CTX_PDIR         (~0xfffULL)
#define VTD_SM_CTX_RID_PASID    0xfffffULL      /* 83:64 */
#define VTD_SM_CTX_RSVD1        0xffffffffffe00000ULL

/* PASID directory entry (64 bits) and PASID-table entry (512 bits). */
#define VTD_PDE_P               (1ULL << 0)
#define VTD_PDE_FPD             (1ULL << 1)
#define VTD_PDE_PTP             (~0xfffULL)
#define VTD_PE_P                (1ULL << 0)
#define VTD_PE_FPD              (1ULL << 1)
#define VTD_PE_PGTT(v)          ((unsigned)(((v) >> 6) & 7))
#define VTD_PE_DID              0xffffULL       /* 79:64 */
#define VTD_PE_SRE              (1ULL << 0)     /* 128 */
#define VTD_PE_FLPM(v)          ((unsigned)(((v) >> 2) & 3))   /* 131:130 */
#define VTD_PE_WPE              (1ULL << 4)     /* 132 */
#define VTD_PE_EAFE             (1ULL << 7)     /* 135 */
#define VTD_PE_RSVD2            0xf00ULL        /* 139:136 */
#define VTD_PE_FLPTPTR          (~0xfffULL)     /* 191:140 */
#define VTD_PE_FLPM_4LEVEL      0
#define VTD_PE_FLPM_5LEVEL      1

#define VTD_PGTT_FIRST_STAGE    1
#define VTD_PGTT_SECOND_STAGE   2
#define VTD_PGTT_NESTED         3
#define VTD_PGTT_PASS_THROUGH   4

#define VTD_PASID_MAX           0xfffffU

/* Invalidation descriptors: granularity 5:4, DID 31:16, PASID 51:32. */
#define VTD_INV_DESC_G(lo)      ((unsigned)(((lo) >> 4) & 3))
#define VTD_INV_DESC_DID(lo)    ((uint16_t)((lo) >> 16))
#define VTD_INV_DESC_PASID(lo)  ((uint32_t)(((lo) >> 32) & VTD_PASID_MAX))
#define VTD_INV_DESC_CC_SID(lo) ((uint16_t)((lo) >> 32))
#define VTD_CC_G_GLOBAL         1
#define VTD_CC_G_DOMAIN         2
#define VTD_CC_G_DEVICE         3
#define VTD_IOTLB_G_GLOBAL      1
#define VTD_IOTLB_G_DOMAIN      2
#define VTD_IOTLB_G_PAGE        3
#define VTD_PC_G_DOMAIN         0
#define VTD_PC_G_PASID          1
#define VTD_PC_G_GLOBAL         3
#define VTD_PIOTLB_G_PASID      2
#define VTD_PIOTLB_G_PAGE       3
/* Second qword of IOTLB and PASID-IOTLB: address 63:12, IH 6, AM 5:0. */
#define VTD_INV_DESC_ADDR(hi)   ((hi) & ~0xfffULL)
#define VTD_INV_DESC_IH         (1ULL << 6)
#define VTD_INV_DESC_AM(hi)     ((unsigned)((hi) & 0x3f))

/* Fault recording register, upper qword; FSTS fault record index. */
#define VTD_FRCD_F              (1ULL << 63)
#define VTD_FRCD_PV(pasid)      ((uint64_t)(pasid) << 40)   /* 123:104 */
#define VTD_FRCD_FR(r)          ((uint64_t)(r) << 32)       /* 103:96 */
#define VTD_FRCD_PP             (1ULL << 31)                /* 95 */
#define VTD_FSTS_FRI_MASK       0xff00U

_Static_assert(VTD_FRCD_PV(VTD_PASID_MAX) >> 40 == 0xfffff &&
               VTD_FRCD_FR(0xff) >> 32 == 0xff, "FRCD PV 123:104, FR 103:96");
_Static_assert(VTD_PE_FLPM(0xcULL) == 3, "PASID entry FLPM 131:130");
_Static_assert(VTD_SM_CTX_PDTS(0xe00ULL) == 7, "context PDTS 11:9");
_Static_assert(VTD_INV_DESC_PASID(VTD_PASID_MAX * (1ULL << 32)) ==
               VTD_PASID_MAX, "descriptor PASID 51:32");

/* A present scalable-mode context entry, as far as nesting needs it. */
typedef struct VTDContext {
    bool present;
    bool fpd;
    bool pasid_enable;          /* requests with a PASID are allowed */
    uint64_t pdir;              /* PASID directory (GPA) */
    uint32_t pdir_entries;      /* 2^(PDTS+7) */
    uint32_t rid_pasid;
} VTDContext;

/* A PASID-table entry, as far as nesting needs it. */
typedef struct VTDGuestPasid {
    uint32_t pasid;
    bool present;
    bool fpd;
    unsigned pgtt;              /* VTD_PGTT_* */
    uint16_t did;
    uint64_t fspt;              /* first-stage table pointer (GPA) */
    uint32_t addr_width;        /* 48: 4-level */
    bool sre, wpe, eafe;
} VTDGuestPasid;

/* intel_iommu_pasid.c: 0 or a VTD_FR_* reason. */
int vtd_read_context(IntelIOMMUState *s, uint16_t sid, VTDContext *ctx);
int vtd_read_pasid_entry(IntelIOMMUState *s, const VTDContext *ctx,
                         uint32_t pasid, VTDGuestPasid *gp);

/* intel_iommu_qi.c */
/* Run the queue from IQH to IQT (the guest wrote IQT). */
void vtd_qi_process(IntelIOMMUState *s);
/* GCMD.QIE turned on (latch IQA) or off. */
void vtd_qi_enable(IntelIOMMUState *s, bool on);
/* Record a fault for @sid (and @pasid if @has_pasid) in FRCD. */
void vtd_record_fault(IntelIOMMUState *s, uint16_t sid, bool has_pasid,
                      uint32_t pasid, int reason);
/* The guest wrote FRCD's upper half: a cleared F clears FSTS.PPF. */
void vtd_frcd_written(IntelIOMMUState *s);
/* Set @fsts_bit and pend the fault event (FECTL.IP). */
void vtd_fault_event(IntelIOMMUState *s, uint32_t fsts_bit);
uint64_t vtd_reg_get(IntelIOMMUState *s, hwaddr addr, unsigned size);
void vtd_reg_set(IntelIOMMUState *s, hwaddr addr, unsigned size,
                 uint64_t val);

/* intel_iommu_nested.c: everything is a no-op without x-flts=on. */
/* A PASID-cache invalidation (G: VTD_PC_G_*). */
void vtd_nest_pasid_cache_inv(IntelIOMMUState *s, unsigned g, uint16_t did,
                              uint32_t pasid);
/* A context-cache invalidation: @sid's (G device) or every device's. */
void vtd_nest_context_cache_inv(IntelIOMMUState *s, bool all, uint16_t sid);
/*
 * A first-stage invalidation: of @pasid (or, with @any_pasid, every
 * PASID) in domain @did (or, with @any_did, every domain), @npages 4 KiB
 * pages from @addr (npages UINT64_MAX: all), queued per host HWPT until
 * vtd_nest_flush().
 */
void vtd_nest_iotlb_inv(IntelIOMMUState *s, bool any_did, uint16_t did,
                        bool any_pasid, uint32_t pasid, uint64_t addr,
                        uint64_t npages, bool leaf);
/* Send the queued invalidations (at a wait descriptor). */
void vtd_nest_flush(IntelIOMMUState *s);
/* Undo every host object (system_reset, GCMD.TE off, unrealize). */
void vtd_nest_reset(IntelIOMMUState *s);
/* Undo @pdev's host objects (unplug). */
void vtd_nest_device_gone(IntelIOMMUState *s, PCIDevice *pdev);
/* VIOMMUHostOps.device_gone: vtd_nest_device_gone() of the owner. */
void vtd_host_device_gone(DeviceState *owner, PCIDevice *pdev);
/* Free the state (instance finalize; unrealize already undid it). */
void vtd_nest_free(IntelIOMMUState *s);
/* x-query-viommu: @pdev's PASIDs; the vIOMMU's nesting members. */
void vtd_nest_query_device(IntelIOMMUState *s, PCIDevice *pdev,
                           JsonBuilder *b);
void vtd_nest_query(IntelIOMMUState *s, JsonBuilder *b);
void vtd_nest_hmp_info(IntelIOMMUState *s, PCIDevice *pdev, GString *out);
void vtd_nest_hmp_summary(IntelIOMMUState *s, GString *out);

#endif

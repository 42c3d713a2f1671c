/*
 * A Linux-style intel-iommu guest driver for black-box tests.
 *
 * It does, through qtest, what Linux's intel-iommu driver does in
 * scalable mode with first-stage translation: probe the registers,
 * build a scalable-mode root table, turn on the invalidation queue with
 * 256-bit descriptors and translation, give a device a context entry
 * with a PASID directory, and write PASID-table entries followed by the
 * PASID-cache and PASID-based IOTLB invalidations and a wait descriptor
 * (caching mode: the vIOMMU only acts on invalidations).  Tables live in
 * guest RAM from 16 MiB up.
 */
#ifndef TESTS_QTEST_INTEL_IOMMU_GUEST_H
#define TESTS_QTEST_INTEL_IOMMU_GUEST_H

#include "libqtest.h"

#define VTD_BASE 0xfed90000ULL
#define VTD_REG_CAP 0x08
#define VTD_REG_ECAP 0x10
#define VTD_REG_GCMD 0x18
#define VTD_REG_GSTS 0x1c
#define VTD_REG_RTADDR 0x20
#define VTD_REG_FSTS 0x34
#define VTD_REG_IQH 0x80
#define VTD_REG_IQT 0x88
#define VTD_REG_IQA 0x90
#define VTD_REG_FRCD 0x220

#define VTD_GCMD_TE (1u << 31)
#define VTD_GCMD_SRTP (1u << 30)
#define VTD_GCMD_QIE (1u << 26)
#define VTD_FSTS_PPF (1u << 1)
#define VTD_FSTS_IQE (1u << 4)

#define VTD_PGTT_FS 1
#define VTD_PGTT_SS 2
#define VTD_PGTT_PT 4

/* What the guest puts in a PASID-table entry. */
typedef struct VtdPasidEntry {
    unsigned pgtt;
    uint16_t did;
    uint64_t fspt;              /* first-stage table pointer */
    unsigned flpm;              /* 0: 4-level, 1: 5-level */
    bool wpe, sre;
} VtdPasidEntry;

typedef struct VtdGuest {
    QTestState *qts;
    uint64_t next_page;
    uint64_t root;
    uint64_t iq;
    uint32_t iq_tail;           /* bytes */
    uint32_t gcmd;              /* persistent GCMD bits, as Linux keeps */
    uint64_t status;            /* the wait descriptors' status word */
    uint32_t seq;
    GHashTable *pdirs;          /* SID -> PASID directory (GPA) */
} VtdGuest;

/* Probe (VER/CAP/ECAP: scalable mode, first stage, PASID) and enable. */
void vtd_guest_init(VtdGuest *g, QTestState *qts);
void vtd_guest_free(VtdGuest *g);
/* A zeroed page of guest RAM. */
uint64_t vtd_guest_alloc_page(VtdGuest *g);
/* Give @sid a context entry with a PASID directory, then invalidate. */
void vtd_guest_attach_device(VtdGuest *g, uint16_t sid);
/* Where @sid's 256-bit context entry is (after attach_device). */
uint64_t vtd_guest_context_entry(VtdGuest *g, uint16_t sid);
/* Device-selective context-cache invalidation and a wait. */
void vtd_guest_context_inv(VtdGuest *g, uint16_t sid);
/* Write @sid's PASID entry (NULL: clear it), then PASID-cache, IOTLB. */
void vtd_guest_set_pasid(VtdGuest *g, uint16_t sid, uint32_t pasid,
                         const VtdPasidEntry *e, uint16_t did);
/* Queue one PASID-based IOTLB invalidation (no wait). */
void vtd_guest_piotlb(VtdGuest *g, uint16_t did, uint32_t pasid,
                      uint64_t addr, unsigned am, bool ih);
/* Queue a raw 256-bit descriptor (no wait). */
void vtd_guest_submit(VtdGuest *g, uint64_t d0, uint64_t d1);
/* A wait descriptor; asserts its status write arrived. */
void vtd_guest_wait(VtdGuest *g);
/* GCMD.TE on or off, waiting for GSTS.TES. */
void vtd_guest_set_te(VtdGuest *g, bool on);

uint32_t vtd_readl(QTestState *qts, unsigned reg);
uint64_t vtd_readq(QTestState *qts, unsigned reg);
void vtd_writel(QTestState *qts, unsigned reg, uint32_t val);
void vtd_writeq(QTestState *qts, unsigned reg, uint64_t val);

#endif

/*
 * A Linux-style intel-iommu guest driver for black-box tests (see
 * intel-iommu-guest.h).  Layouts: VT-d specification chapters 6 and 9.
 */
#include "intel-iommu-guest.h"

#include <string.h>

#define GUEST_TABLES_BASE 0x1000000ULL
#define ECAP_PASID (1ULL << 40)
#define ECAP_SMTS (1ULL << 43)
#define ECAP_FLTS (1ULL << 47)
#define RTADDR_SMT (1ULL << 10)
#define IQA_DW (1ULL << 11)
#define DESC_CC 0x1
#define DESC_WAIT 0x5
#define DESC_PIOTLB 0x6
#define DESC_PC 0x7
#define WAIT_SW (1ULL << 5)
#define PDTS 7                  /* 2^(7+7) directory entries: 20 bits */

uint32_t vtd_readl(QTestState *qts, unsigned reg)
{
    return qtest_readl(qts, VTD_BASE + reg);
}

uint64_t vtd_readq(QTestState *qts, unsigned reg)
{
    return qtest_readq(qts, VTD_BASE + reg);
}

void vtd_writel(QTestState *qts, unsigned reg, uint32_t val)
{
    qtest_writel(qts, VTD_BASE + reg, val);
}

void vtd_writeq(QTestState *qts, unsigned reg, uint64_t val)
{
    qtest_writeq(qts, VTD_BASE + reg, val);
}

uint64_t vtd_guest_alloc_page(VtdGuest *g)
{
    uint8_t zero[4096] = { 0 };
    uint64_t page = g->next_page;

    g->next_page += 4096;
    qtest_memwrite(g->qts, page, zero, sizeof(zero));
    return page;
}

/* Write GCMD with the persistent bits and @cmd; wait for @sts. */
static void vtd_guest_gcmd(VtdGuest *g, uint32_t cmd, uint32_t sts, bool set)
{
    vtd_writel(g->qts, VTD_REG_GCMD, g->gcmd | cmd);
    g_assert_cmpint(!!(vtd_readl(g->qts, VTD_REG_GSTS) & sts), ==, set);
}

void vtd_guest_set_te(VtdGuest *g, bool on)
{
    g->gcmd = on ? g->gcmd | VTD_GCMD_TE : g->gcmd & ~VTD_GCMD_TE;
    vtd_guest_gcmd(g, 0, VTD_GCMD_TE, on);
}

void vtd_guest_init(VtdGuest *g, QTestState *qts)
{
    uint64_t ecap = vtd_readq(qts, VTD_REG_ECAP);

    memset(g, 0, sizeof(*g));
    g->qts = qts;
    g->next_page = GUEST_TABLES_BASE;
    g->pdirs = g_hash_table_new(NULL, NULL);
    /* intel_iommu_init(): scalable mode with first-stage tables. */
    g_assert_true(ecap & ECAP_SMTS);
    g_assert_true(ecap & ECAP_FLTS);
    g_assert_true(ecap & ECAP_PASID);
    g->root = vtd_guest_alloc_page(g);
    g->iq = vtd_guest_alloc_page(g);
    g->status = vtd_guest_alloc_page(g);
    vtd_writeq(qts, VTD_REG_RTADDR, g->root | RTADDR_SMT);
    vtd_guest_gcmd(g, VTD_GCMD_SRTP, VTD_GCMD_SRTP, true);
    vtd_writeq(qts, VTD_REG_IQA, g->iq | IQA_DW);
    g->gcmd |= VTD_GCMD_QIE;
    vtd_guest_gcmd(g, 0, VTD_GCMD_QIE, true);
    vtd_guest_set_te(g, true);
}

void vtd_guest_free(VtdGuest *g)
{
    g_hash_table_unref(g->pdirs);
}

void vtd_guest_submit(VtdGuest *g, uint64_t d0, uint64_t d1)
{
    uint64_t desc[4] = { d0, d1, 0, 0 };

    qtest_memwrite(g->qts, g->iq + g->iq_tail, desc, sizeof(desc));
    g->iq_tail = (g->iq_tail + 32) % 4096;
    vtd_writeq(g->qts, VTD_REG_IQT, g->iq_tail);
}

void vtd_guest_wait(VtdGuest *g)
{
    uint32_t seq = ++g->seq;

    vtd_guest_submit(g, DESC_WAIT | WAIT_SW | (uint64_t)seq << 32,
                     g->status);
    g_assert_cmphex(qtest_readl(g->qts, g->status), ==, seq);
    g_assert_cmphex(vtd_readq(g->qts, VTD_REG_IQH), ==, g->iq_tail);
}

void vtd_guest_attach_device(VtdGuest *g, uint16_t sid)
{
    uint8_t bus = sid >> 8, devfn = sid & 0xff;
    uint64_t root_entry[2], ctx[4] = { 0 }, ctp;
    uint64_t pdir = vtd_guest_alloc_page(g);
    unsigned i;

    /* A 2^14-entry directory is 32 pages: take them all. */
    for (i = 1; i < 32; i++) {
        vtd_guest_alloc_page(g);
    }
    qtest_memread(g->qts, g->root + bus * 16, root_entry, 16);
    if (!(root_entry[devfn >> 7] & 1)) {
        root_entry[devfn >> 7] = vtd_guest_alloc_page(g) | 1;
        qtest_memwrite(g->qts, g->root + bus * 16, root_entry, 16);
    }
    ctp = root_entry[devfn >> 7] & ~0xfffULL;
    /* Present, PASID-enable (this guest asks for PASIDs everywhere). */
    ctx[0] = pdir | (PDTS << 9) | (1 << 3) | 1;
    ctx[1] = 0;                         /* RID_PASID 0 */
    qtest_memwrite(g->qts, ctp + (devfn & 0x7f) * 32, ctx, sizeof(ctx));
    g_hash_table_insert(g->pdirs, GUINT_TO_POINTER(sid),
                        (gpointer)(uintptr_t)pdir);
    vtd_guest_context_inv(g, sid);
}

uint64_t vtd_guest_context_entry(VtdGuest *g, uint16_t sid)
{
    uint8_t bus = sid >> 8, devfn = sid & 0xff;
    uint64_t rte = qtest_readq(g->qts, g->root + bus * 16 + (devfn >> 7) * 8);

    return (rte & ~0xfffULL) + (devfn & 0x7f) * 32;
}

void vtd_guest_context_inv(VtdGuest *g, uint16_t sid)
{
    /* Device-selective context-cache invalidation, as Linux does. */
    vtd_guest_submit(g, DESC_CC | (3 << 4) | (uint64_t)sid << 32, 0);
    vtd_guest_wait(g);
}

/* The PASID table holding @pasid of @sid, allocated if absent. */
static uint64_t vtd_guest_pasid_table(VtdGuest *g, uint16_t sid,
                                      uint32_t pasid)
{
    uint64_t pdir = (uintptr_t)g_hash_table_lookup(g->pdirs,
                                                   GUINT_TO_POINTER(sid));
    uint64_t pde;

    g_assert_cmphex(pdir, !=, 0);
    pde = qtest_readq(g->qts, pdir + (pasid >> 6) * 8);
    if (!(pde & 1)) {
        pde = vtd_guest_alloc_page(g) | 1;
        qtest_writeq(g->qts, pdir + (pasid >> 6) * 8, pde);
    }
    return pde & ~0xfffULL;
}

void vtd_guest_set_pasid(VtdGuest *g, uint16_t sid, uint32_t pasid,
                         const VtdPasidEntry *e, uint16_t did)
{
    uint64_t pe[8] = { 0 };
    uint64_t table = vtd_guest_pasid_table(g, sid, pasid);

    if (e) {
        pe[0] = 1 | (uint64_t)e->pgtt << 6;
        pe[1] = e->did;
        pe[2] = e->fspt | (uint64_t)e->flpm << 2 | (e->sre ? 1 : 0) |
                (e->wpe ? 1ULL << 4 : 0);
        did = e->did;
    }
    qtest_memwrite(g->qts, table + (pasid & 0x3f) * 64, pe, sizeof(pe));
    /* pasid_flush_caches(): PASID-selective PASID cache, then IOTLB. */
    vtd_guest_submit(g, DESC_PC | (1 << 4) | (uint64_t)did << 16 |
                     (uint64_t)pasid << 32, 0);
    vtd_guest_submit(g, DESC_PIOTLB | (2 << 4) | (uint64_t)did << 16 |
                     (uint64_t)pasid << 32, 0);
    vtd_guest_wait(g);
}

void vtd_guest_piotlb(VtdGuest *g, uint16_t did, uint32_t pasid,
                      uint64_t addr, unsigned am, bool ih)
{
    vtd_guest_submit(g, DESC_PIOTLB | (3 << 4) | (uint64_t)did << 16 |
                     (uint64_t)pasid << 32,
                     addr | (ih ? 1ULL << 6 : 0) | am);
}

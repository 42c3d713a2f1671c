/*
 * A Linux-style arm-smmuv3 guest driver for black-box tests (see
 * smmuv3-guest.h).  Layouts: SMMUv3 specification chapters 3, 4 and 5.
 */
#include "smmuv3-guest.h"

#include <string.h>

#define IDR0_CD2L               (1u << 19)
#define IDR1_SSIDSIZE(v)        (((v) >> 6) & 0x1f)
#define SPLIT                   8
#define STRTAB_LOG2             16
#define STRTAB_CFG_2LVL         (1u << 16)
#define CMDQ_LOG2               8
#define EVTQ_LOG2               7
#define CD_L2_BITS              10          /* 1024 CDs per leaf table */
#define CD_SIZE                 64
#define CD_V                    (1ull << 31)
#define SYNC_CS_IRQ             (1ull << 12)

uint32_t smmu_readl(SmmuGuest *g, unsigned reg)
{
    return qtest_readl(g->qts, g->base + reg);
}

void smmu_writel(SmmuGuest *g, unsigned reg, uint32_t val)
{
    qtest_writel(g->qts, g->base + reg, val);
}

void smmu_writeq(SmmuGuest *g, unsigned reg, uint64_t val)
{
    qtest_writeq(g->qts, g->base + reg, val);
}

uint64_t smmu_guest_alloc_page(SmmuGuest *g)
{
    uint8_t zero[4096] = { 0 };
    uint64_t page = g->next_page;

    g->next_page += 4096;
    qtest_memwrite(g->qts, page, zero, sizeof(zero));
    return page;
}

/* @n contiguous zeroed pages. */
static uint64_t smmu_guest_alloc_pages(SmmuGuest *g, unsigned n)
{
    uint64_t first = smmu_guest_alloc_page(g);

    for (unsigned i = 1; i < n; i++) {
        smmu_guest_alloc_page(g);
    }
    return first;
}

void smmu_guest_cr0(SmmuGuest *g, uint32_t cr0)
{
    smmu_writel(g, SMMU_REG_CR0, cr0);
    g_assert_cmphex(smmu_readl(g, SMMU_REG_CR0ACK), ==, cr0);
}

void smmu_guest_submit(SmmuGuest *g, uint64_t c0, uint64_t c1)
{
    uint64_t cmd[2] = { GUINT64_TO_LE(c0), GUINT64_TO_LE(c1) };
    uint32_t slot = g->prod & ((1u << CMDQ_LOG2) - 1);

    qtest_memwrite(g->qts, g->cmdq + slot * 16, cmd, sizeof(cmd));
    g->prod = (g->prod + 1) & ((2u << CMDQ_LOG2) - 1);
    smmu_writel(g, SMMU_REG_CMDQ_PROD, g->prod);
}

/* A SYNC whose MSI clears its own first word; its slot's address. */
static uint64_t smmu_guest_submit_sync(SmmuGuest *g)
{
    uint64_t slot = g->cmdq + (g->prod & ((1u << CMDQ_LOG2) - 1)) * 16;

    smmu_guest_submit(g, SMMU_OP_SYNC | SYNC_CS_IRQ, slot);
    return slot;
}

void smmu_guest_sync(SmmuGuest *g)
{
    uint64_t slot = smmu_guest_submit_sync(g);

    g_assert_cmphex(qtest_readl(g->qts, slot), ==, 0);
    g_assert_cmphex(smmu_readl(g, SMMU_REG_CMDQ_CONS) & 0x1ff, ==, g->prod);
    g_assert_cmphex(smmu_readl(g, SMMU_REG_GERROR), ==,
                    smmu_readl(g, SMMU_REG_GERRORN));
}

void smmu_guest_sync_err(SmmuGuest *g, unsigned err, unsigned back)
{
    uint64_t slot = smmu_guest_submit_sync(g);
    uint32_t mask = (2u << CMDQ_LOG2) - 1;
    uint32_t bad = (g->prod - 2 - back) & mask;
    uint32_t cons = smmu_readl(g, SMMU_REG_CMDQ_CONS);
    uint64_t sync[2] = { GUINT64_TO_LE(SMMU_OP_SYNC), 0 };

    g_assert_cmphex(qtest_readl(g->qts, slot), ==, SMMU_OP_SYNC | SYNC_CS_IRQ);
    g_assert_cmphex(cons & mask, ==, bad);
    g_assert_cmphex((cons >> 24) & 0x7f, ==, err);
    g_assert_cmphex(smmu_readl(g, SMMU_REG_GERROR) ^
                    smmu_readl(g, SMMU_REG_GERRORN), ==, 1);
    /* arm_smmu_cmdq_skip_err(): the bad command becomes a SYNC. */
    qtest_memwrite(g->qts, g->cmdq + (bad & (mask >> 1)) * 16, sync,
                   sizeof(sync));
    smmu_writel(g, SMMU_REG_GERRORN, smmu_readl(g, SMMU_REG_GERROR));
    g_assert_cmphex(qtest_readl(g->qts, slot), ==, 0);
    g_assert_cmphex(smmu_readl(g, SMMU_REG_CMDQ_CONS) & mask, ==, g->prod);
}

bool smmu_guest_event(SmmuGuest *g, unsigned *type, uint32_t *sid)
{
    uint32_t prod = smmu_readl(g, SMMU_REG_EVENTQ_PROD) & 0xff;
    uint32_t cons = smmu_readl(g, SMMU_REG_EVENTQ_CONS) & 0xff;
    uint64_t rec;

    if (prod == cons) {
        return false;
    }
    /* The newest one: the one before PROD. */
    rec = qtest_readq(g->qts, g->evtq + ((prod - 1) & 0x7f) * 32);
    *type = rec & 0xff;
    *sid = rec >> 32;
    smmu_writel(g, SMMU_REG_EVENTQ_CONS, prod);
    return true;
}

void smmu_guest_init(SmmuGuest *g, QTestState *qts, uint64_t base,
                     uint64_t ram_window)
{
    smmu_guest_setup(g, qts, base, ram_window);
    smmu_guest_enable(g);
}

void smmu_guest_enable(SmmuGuest *g)
{
    smmu_guest_cr0(g, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
}

void smmu_guest_setup(SmmuGuest *g, QTestState *qts, uint64_t base,
                      uint64_t ram_window)
{
    uint32_t idr0, idr1;

    memset(g, 0, sizeof(*g));
    g->qts = qts;
    g->base = base;
    g->next_page = ram_window;
    g->l2 = g_hash_table_new(NULL, NULL);
    g->cdtabs = g_hash_table_new(NULL, NULL);
    g->cd_bits = g_hash_table_new(NULL, NULL);
    /* arm_smmu_device_hw_probe() */
    idr0 = smmu_readl(g, SMMU_REG_IDR0);
    idr1 = smmu_readl(g, SMMU_REG_IDR1);
    g->cd2l = idr0 & IDR0_CD2L;
    g->ssid_bits = g->cd2l ? IDR1_SSIDSIZE(idr1)
                           : MIN(IDR1_SSIDSIZE(idr1), CD_L2_BITS);
    g_assert_cmpuint((idr0 >> 27) & 3, ==, 1);      /* 2-level STs */
    /* arm_smmu_device_reset(): tables and queues, then enable. */
    smmu_guest_cr0(g, 0);
    g->strtab = smmu_guest_alloc_pages(g, 1);       /* 256 L1 descriptors */
    g->cmdq = smmu_guest_alloc_page(g);
    g->evtq = smmu_guest_alloc_page(g);
    smmu_writeq(g, SMMU_REG_STRTAB_BASE, g->strtab);
    smmu_writel(g, SMMU_REG_STRTAB_CFG, STRTAB_CFG_2LVL | SPLIT << 6 |
                STRTAB_LOG2);
    smmu_writeq(g, SMMU_REG_CMDQ_BASE, g->cmdq | CMDQ_LOG2);
    smmu_writel(g, SMMU_REG_CMDQ_PROD, 0);
    smmu_writel(g, SMMU_REG_CMDQ_CONS, 0);
    smmu_guest_cr0(g, SMMU_CR0_CMDQEN);
    smmu_guest_submit(g, SMMU_OP_CFGI_ALL, 31);
    smmu_guest_submit(g, SMMU_OP_TLBI_NSNH_ALL, 0);
    smmu_guest_sync(g);
    smmu_writeq(g, SMMU_REG_EVENTQ_BASE, g->evtq | EVTQ_LOG2);
    smmu_writel(g, SMMU_REG_EVENTQ_PROD, 0);
    smmu_writel(g, SMMU_REG_EVENTQ_CONS, 0);
    smmu_guest_cr0(g, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
}

void smmu_guest_free(SmmuGuest *g)
{
    g_hash_table_unref(g->l2);
    g_hash_table_unref(g->cdtabs);
    g_hash_table_unref(g->cd_bits);
}

uint64_t smmu_guest_ste_addr(SmmuGuest *g, uint32_t sid)
{
    gpointer key = GUINT_TO_POINTER((sid >> SPLIT) + 1);
    uint64_t l2 = (uintptr_t)g_hash_table_lookup(g->l2, key);

    if (!l2) {
        /* arm_smmu_init_l2_strtab(): 256 STEs, Span SPLIT + 1. */
        l2 = smmu_guest_alloc_pages(g, (64 << SPLIT) / 4096);
        g_hash_table_insert(g->l2, key, (gpointer)(uintptr_t)l2);
        qtest_writeq(g->qts, g->strtab + (sid >> SPLIT) * 8,
                     l2 | (SPLIT + 1));
    }
    return l2 + (sid & ((1u << SPLIT) - 1)) * 64;
}

void smmu_guest_write_ste(SmmuGuest *g, uint32_t sid, uint64_t w0,
                          uint64_t w1)
{
    uint64_t ste[8] = { GUINT64_TO_LE(w0), GUINT64_TO_LE(w1) };

    qtest_memwrite(g->qts, smmu_guest_ste_addr(g, sid), ste, sizeof(ste));
}

void smmu_guest_attach(SmmuGuest *g, uint32_t sid, unsigned pasid_bits)
{
    unsigned bits = MIN(pasid_bits, g->ssid_bits);
    uint64_t w0 = SMMU_STE0_V | SMMU_STE0_CFG_S1 | SMMU_STE0_S1CDMAX(bits);
    uint64_t cdtab;

    if (bits > CD_L2_BITS) {
        /* Level 1: 2^(bits - 10) descriptors; leaves come with CDs. */
        cdtab = smmu_guest_alloc_pages(g, MAX(8u << (bits - CD_L2_BITS),
                                              4096u) / 4096);
        w0 |= SMMU_STE0_S1FMT_64K_L2;
    } else {
        cdtab = smmu_guest_alloc_pages(g, MAX(CD_SIZE << bits, 4096) / 4096);
    }
    g_hash_table_insert(g->cdtabs, GUINT_TO_POINTER(sid),
                        (gpointer)(uintptr_t)cdtab);
    g_hash_table_insert(g->cd_bits, GUINT_TO_POINTER(sid),
                        GUINT_TO_POINTER(bits));
    smmu_guest_write_ste(g, sid, w0 | cdtab, SMMU_STE1_LINUX);
    smmu_guest_submit(g, SMMU_OP_CFGI_STE | (uint64_t)sid << 32, 1);
    smmu_guest_sync(g);
}

/* Where the CD of @ssid is (a leaf table made on first use). */
static uint64_t smmu_guest_cd_addr(SmmuGuest *g, uint32_t sid, uint32_t ssid)
{
    uint64_t cdtab = (uintptr_t)g_hash_table_lookup(g->cdtabs,
                                                    GUINT_TO_POINTER(sid));
    unsigned bits = GPOINTER_TO_UINT(g_hash_table_lookup(g->cd_bits,
                                                         GUINT_TO_POINTER(sid)));
    uint64_t l1, leaf;

    g_assert_true(cdtab);
    g_assert_cmpuint(ssid, <, 1u << bits);
    if (bits <= CD_L2_BITS) {
        return cdtab + (uint64_t)ssid * CD_SIZE;
    }
    l1 = cdtab + (ssid >> CD_L2_BITS) * 8;
    leaf = qtest_readq(g->qts, l1) & 0x000ffffffffff000ull;
    if (!leaf) {
        leaf = smmu_guest_alloc_pages(g, (CD_SIZE << CD_L2_BITS) / 4096);
        qtest_writeq(g->qts, l1, leaf | 1);         /* L2Ptr | V */
    }
    return leaf + (ssid & ((1u << CD_L2_BITS) - 1)) * CD_SIZE;
}

void smmu_guest_set_cd(SmmuGuest *g, uint32_t sid, uint32_t ssid,
                       uint16_t asid, uint64_t ttb0)
{
    /* T0SZ 16, WBWA, inner shareable, EPD1, V, 48-bit IPS, AA64, ASET. */
    uint64_t cd[8] = {
        GUINT64_TO_LE(16 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 30 |
                      CD_V | 5ull << 32 | 1ull << 41 | 1ull << 47 |
                      (uint64_t)asid << 48),
        GUINT64_TO_LE(ttb0 & 0x000ffffffffffff0ull),
    };

    qtest_memwrite(g->qts, smmu_guest_cd_addr(g, sid, ssid), cd, sizeof(cd));
    smmu_guest_submit(g, SMMU_OP_CFGI_CD | (uint64_t)ssid << 12 |
                      (uint64_t)sid << 32, 1);
    smmu_guest_sync(g);
}

void smmu_guest_detach(SmmuGuest *g, uint32_t sid)
{
    smmu_guest_write_ste(g, sid, SMMU_STE0_V | SMMU_STE0_CFG_ABORT, 0);
    smmu_guest_submit(g, SMMU_OP_CFGI_STE | (uint64_t)sid << 32, 1);
    smmu_guest_sync(g);
}

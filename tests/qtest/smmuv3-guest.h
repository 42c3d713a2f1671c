/*
 * A Linux-style arm-smmuv3 guest driver for black-box tests.
 *
 * It does, through qtest, what Linux's arm-smmu-v3 driver does: probe
 * the ID registers (SubstreamID bits from IDR1.SSIDSIZE, capped at 10
 * without IDR0.CD2L), build a 2-level stream table (SPLIT 8), turn on
 * the command and event queues, invalidate everything, set SMMUEN; then
 * attach a device with an S1 STE whose S1CDMax comes from its PASID
 * width, over 2-level CD tables (1024 CDs per leaf table) when the width
 * passes 10 bits, install CDs for SSIDs, invalidate TLBs and detach.
 * Every batch ends with a CMD_SYNC whose MSI write (to the SYNC's own
 * slot, as Linux polls it) and CONS are checked.  Tables live in guest
 * RAM, each vSMMU's from its own 16 MiB window.
 */
#ifndef TESTS_QTEST_SMMUV3_GUEST_H
#define TESTS_QTEST_SMMUV3_GUEST_H

#include "libqtest.h"

#define SMMU_REG_IDR0           0x00
#define SMMU_REG_IDR1           0x04
#define SMMU_REG_CR0            0x20
#define SMMU_REG_CR0ACK         0x24
#define SMMU_REG_GBPA           0x44
#define SMMU_REG_GERROR         0x60
#define SMMU_REG_GERRORN        0x64
#define SMMU_REG_STRTAB_BASE    0x80
#define SMMU_REG_STRTAB_CFG     0x88
#define SMMU_REG_CMDQ_BASE      0x90
#define SMMU_REG_CMDQ_PROD      0x98
#define SMMU_REG_CMDQ_CONS      0x9c
#define SMMU_REG_EVENTQ_BASE    0xa0
#define SMMU_REG_EVENTQ_PROD    0xa8
#define SMMU_REG_EVENTQ_CONS    0xac

#define SMMU_CR0_SMMUEN         (1u << 0)
#define SMMU_CR0_EVENTQEN       (1u << 2)
#define SMMU_CR0_CMDQEN         (1u << 3)
#define SMMU_GBPA_ABORT         (1u << 20)
#define SMMU_GBPA_UPDATE        (1u << 31)
#define SMMU_CERROR_ILL         1

#define SMMU_OP_CFGI_STE        0x03
#define SMMU_OP_CFGI_ALL        0x04
#define SMMU_OP_CFGI_CD         0x05
#define SMMU_OP_CFGI_CD_ALL     0x06
#define SMMU_OP_TLBI_NH_ASID    0x11
#define SMMU_OP_TLBI_NH_VA      0x12
#define SMMU_OP_TLBI_NSNH_ALL   0x30
#define SMMU_OP_ATC_INV         0x40
#define SMMU_OP_SYNC            0x46

#define SMMU_EVT_C_BAD_STE      0x04

/* STE word 0: V, Config 3:1, S1Fmt 5:4, S1ContextPtr 51:6, S1CDMax. */
#define SMMU_STE0_V             1ull
#define SMMU_STE0_CFG_ABORT     0ull
#define SMMU_STE0_CFG_BYPASS    (4ull << 1)
#define SMMU_STE0_CFG_S1        (5ull << 1)
#define SMMU_STE0_CFG_S2        (6ull << 1)
#define SMMU_STE0_S1FMT_64K_L2  (2ull << 4)
#define SMMU_STE0_S1CDMAX(n)    ((uint64_t)(n) << 59)
/* Word 1 as Linux writes it: S1DSS SSID0, WBRA, inner shareable, STRW. */
#define SMMU_STE1_LINUX         (2ull | 1ull << 2 | 1ull << 4 | 3ull << 6 | \
                                 2ull << 30)
/* What of it the host takes: all but STRW. */
#define SMMU_STE1_NESTED        (SMMU_STE1_LINUX & ~(3ull << 30))

typedef struct SmmuGuest {
    QTestState *qts;
    uint64_t base;              /* the vSMMU's MMIO base */
    uint64_t next_page;
    unsigned ssid_bits;
    bool cd2l;
    uint64_t strtab;            /* level-1 descriptors, SPLIT 8 */
    uint64_t cmdq, evtq;
    uint32_t prod;              /* CMDQ_PROD with its wrap bit */
    GHashTable *l2;             /* SID >> 8 -> level-2 STE table */
    GHashTable *cdtabs;         /* SID -> CD table (level 1 if 2-level) */
    GHashTable *cd_bits;        /* SID -> S1CDMax */
} SmmuGuest;

/* Probe and enable the vSMMU at @base; tables from @ram_window up. */
void smmu_guest_init(SmmuGuest *g, QTestState *qts, uint64_t base,
                     uint64_t ram_window);
/* The same in two steps: all but SMMUEN, then SMMUEN. */
void smmu_guest_setup(SmmuGuest *g, QTestState *qts, uint64_t base,
                      uint64_t ram_window);
void smmu_guest_enable(SmmuGuest *g);
void smmu_guest_free(SmmuGuest *g);
/* A zeroed page of guest RAM. */
uint64_t smmu_guest_alloc_page(SmmuGuest *g);
/* Where @sid's STE is (the level-2 table made on first use). */
uint64_t smmu_guest_ste_addr(SmmuGuest *g, uint32_t sid);
/* Write @sid's STE words 0 and 1 (the rest zero); no command. */
void smmu_guest_write_ste(SmmuGuest *g, uint32_t sid, uint64_t w0,
                          uint64_t w1);
/*
 * Attach @sid with @pasid_bits of SSIDs: CD tables, an S1 STE with
 * S1CDMax = min(@pasid_bits, the vSMMU's), CFGI_STE, SYNC.
 */
void smmu_guest_attach(SmmuGuest *g, uint32_t sid, unsigned pasid_bits);
/* Install the CD of @ssid (ASID @asid, TTB0 @ttb0), CFGI_CD, SYNC. */
void smmu_guest_set_cd(SmmuGuest *g, uint32_t sid, uint32_t ssid,
                       uint16_t asid, uint64_t ttb0);
/* An abort STE for @sid, CFGI_STE, SYNC (Linux's blocked domain). */
void smmu_guest_detach(SmmuGuest *g, uint32_t sid);
/* Queue one command (no sync). */
void smmu_guest_submit(SmmuGuest *g, uint64_t c0, uint64_t c1);
/* CMD_SYNC; asserts it completed (MSI write and CONS). */
void smmu_guest_sync(SmmuGuest *g);
/*
 * CMD_SYNC that must not complete: asserts the queue stopped with @err
 * at the command @back entries before the one just before the SYNC; then does what Linux
 * does: turns that command into a SYNC, acknowledges GERROR, and waits.
 */
void smmu_guest_sync_err(SmmuGuest *g, unsigned err, unsigned back);
/* The newest event record's type and StreamID; consumes it. */
bool smmu_guest_event(SmmuGuest *g, unsigned *type, uint32_t *sid);
/* Write CR0 and wait for CR0ACK. */
void smmu_guest_cr0(SmmuGuest *g, uint32_t cr0);

uint32_t smmu_readl(SmmuGuest *g, unsigned reg);
void smmu_writel(SmmuGuest *g, unsigned reg, uint32_t val);
void smmu_writeq(SmmuGuest *g, unsigned reg, uint64_t val);

#endif

/*
 * arm-smmuv3 register frame: a table of registers (offset, width, the
 * bits a guest may write), plus the few with side effects: the CR0 and
 * IRQ_CTRL acknowledge handshakes, GBPA's update bit, SMMUEN and
 * GBPA.ABORT changing what the host does for every device
 * (smmuv3-nested.c), and the command queue (smmuv3-queue.c), which runs
 * when the guest moves CMDQ_PROD, enables it or acknowledges an error.
 *
 * As in QEMU: 32- and 64-bit accesses only; a 64-bit register may also
 * be accessed by halves; a 64-bit access to a 32-bit register reads 0
 * and writes nothing; page 1 aliases page 0.
 */
#include "smmuv3-internal.h"

#include <string.h>

typedef enum SMMURegFlags {
    SMMU_REG_64 = 1 << 0,
} SMMURegFlags;

typedef struct SMMURegInfo {
    hwaddr offset;
    uint64_t wmask;
    unsigned flags;
} SMMURegInfo;

#define RO32(off)       { (off), 0, 0 }
#define RW32(off)       { (off), UINT32_MAX, 0 }
#define RW64(off)       { (off), UINT64_MAX, SMMU_REG_64 }

static const SMMURegInfo smmu_regs[] = {
    RO32(A_IDR0), RO32(A_IDR1), RO32(A_IDR2), RO32(A_IDR3), RO32(A_IDR4),
    RO32(A_IDR5), RO32(A_IIDR), RO32(A_AIDR),
    { A_CR0, SMMU_CR0_WMASK, 0 }, RO32(A_CR0ACK), RW32(A_CR1), RW32(A_CR2),
    RO32(A_STATUSR), RO32(A_GBPA), RW32(A_IRQ_CTRL), RO32(A_IRQ_CTRLACK),
    RO32(A_GERROR), RW32(A_GERRORN), RW64(A_GERROR_IRQ_CFG0),
    RW32(A_GERROR_IRQ_CFG1), RW32(A_GERROR_IRQ_CFG2),
    RW64(A_STRTAB_BASE), RW32(A_STRTAB_BASE_CFG),
    RW64(A_CMDQ_BASE), RW32(A_CMDQ_PROD), RW32(A_CMDQ_CONS),
    RW64(A_EVENTQ_BASE), RW32(A_EVENTQ_PROD), RW32(A_EVENTQ_CONS),
    RW64(A_EVENTQ_IRQ_CFG0), RW32(A_EVENTQ_IRQ_CFG1),
    RW32(A_EVENTQ_IRQ_CFG2),
};

_Static_assert(G_N_ELEMENTS(smmu_regs) <= SMMU_NUM_REGS,
               "SMMUv3State.regs too small");
_Static_assert(A_EVENTQ_IRQ_CFG2 < SMMU_PAGE1_ALIAS &&
               2 * SMMU_PAGE1_ALIAS == VIRT_SMMU_SIZE,
               "two 64 KiB register pages");

/* Index of the register holding @offset; *@high for a 64-bit one's top. */
static int smmu_reg_find(hwaddr offset, bool *high)
{
    for (size_t i = 0; i < G_N_ELEMENTS(smmu_regs); i++) {
        const SMMURegInfo *r = &smmu_regs[i];

        *high = false;
        if (offset == r->offset) {
            return i;
        }
        if ((r->flags & SMMU_REG_64) && offset == r->offset + 4) {
            *high = true;
            return i;
        }
    }
    return -1;
}

static uint64_t *smmu_reg(SMMUv3State *s, hwaddr offset)
{
    bool high;
    int i = smmu_reg_find(offset, &high);

    g_assert(i >= 0 && !high);
    return &s->regs[i];
}

uint64_t smmuv3_reg_get(SMMUv3State *s, hwaddr offset)
{
    return *smmu_reg(s, offset);
}

void smmuv3_regs_update_idr(SMMUv3State *s)
{
    for (int i = 0; i < 6; i++) {
        *smmu_reg(s, A_IDR0 + 4 * i) = s->idr[i];
    }
    *smmu_reg(s, A_IIDR) = s->iidr;
    *smmu_reg(s, A_AIDR) = s->aidr;
}

void smmuv3_regs_reset(SMMUv3State *s)
{
    memset(s->regs, 0, sizeof(s->regs));
    smmuv3_regs_update_idr(s);
    *smmu_reg(s, A_GBPA) = SMMU_GBPA_RESET_VAL;
    *smmu_reg(s, A_CMDQ_BASE) = SMMU_QUEUE_LOG2SIZE;
    *smmu_reg(s, A_EVENTQ_BASE) = SMMU_QUEUE_LOG2SIZE;
    s->cmds_consumed = 0;
    s->cmd_errors = 0;
    s->events = 0;
}

void smmuv3_reg_set(SMMUv3State *s, hwaddr offset, uint64_t val)
{
    *smmu_reg(s, offset) = val;
}

static void smmu_write_effects(SMMUv3State *s, hwaddr offset, uint64_t val)
{
    uint32_t old;

    switch (offset) {
    case A_CR0:
        /* CR0ACK still holds what was in force until now. */
        old = *smmu_reg(s, A_CR0ACK);
        *smmu_reg(s, A_CR0ACK) = *smmu_reg(s, A_CR0);
        if ((old ^ *smmu_reg(s, A_CR0)) & SMMU_CR0_SMMUEN) {
            smmuv3_nest_config_changed(s);
        }
        smmuv3_cmdq_process(s);
        break;
    case A_IRQ_CTRL:
        *smmu_reg(s, A_IRQ_CTRLACK) = *smmu_reg(s, A_IRQ_CTRL);
        break;
    case A_GBPA:
        /* Only a write with UPDATE takes effect; UPDATE reads back 0. */
        if (val & SMMU_GBPA_UPDATE) {
            old = *smmu_reg(s, A_GBPA);
            *smmu_reg(s, A_GBPA) = val & ~(uint64_t)SMMU_GBPA_UPDATE;
            if (((old ^ val) & SMMU_GBPA_ABORT) &&
                !(*smmu_reg(s, A_CR0ACK) & SMMU_CR0_SMMUEN)) {
                smmuv3_nest_config_changed(s);
            }
        }
        break;
    case A_CMDQ_PROD:
    case A_GERRORN:
        /* New commands, or an acknowledged error: the queue runs on. */
        smmuv3_cmdq_process(s);
        break;
    }
}

static uint64_t smmu_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    SMMUv3State *s = opaque;
    hwaddr offset = addr & ~(hwaddr)SMMU_PAGE1_ALIAS;
    bool high;
    int i = smmu_reg_find(offset, &high);

    if (i < 0 || (size != 4 && size != 8) ||
        (size == 8 && (high || !(smmu_regs[i].flags & SMMU_REG_64)))) {
        return 0;
    }
    if (size == 8) {
        return s->regs[i];
    }
    return (uint32_t)(high ? s->regs[i] >> 32 : s->regs[i]);
}

static void smmu_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    SMMUv3State *s = opaque;
    hwaddr offset = addr & ~(hwaddr)SMMU_PAGE1_ALIAS;
    bool high;
    int i = smmu_reg_find(offset, &high);
    uint64_t mask, v;

    if (i < 0 || (size != 4 && size != 8) ||
        (size == 8 && (high || !(smmu_regs[i].flags & SMMU_REG_64)))) {
        return;
    }
    mask = smmu_regs[i].wmask;
    v = val;
    if (size == 4) {
        mask &= high ? 0xffffffff00000000ULL : 0xffffffffULL;
        v = high ? (val & UINT32_MAX) << 32 : (val & UINT32_MAX);
    }
    s->regs[i] = (s->regs[i] & ~mask) | (v & mask);
    smmu_write_effects(s, smmu_regs[i].offset, val);
}

const MemoryRegionOps smmuv3_mmio_ops = {
    .read = smmu_mmio_read,
    .write = smmu_mmio_write,
};

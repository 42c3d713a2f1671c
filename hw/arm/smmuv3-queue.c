/*
 * arm-smmuv3: the command queue and the event queue (SMMUv3
 * specification, chapters 3.5 and 4).
 *
 * Commands run when the guest moves CMDQ_PROD, turns CMDQEN on or
 * acknowledges a command error, from CMDQ_CONS up to CMDQ_PROD.  Stream
 * table invalidations bring the host in line at once; CD, TLB and ATC
 * invalidations are queued for the host vIOMMUs and sent, one batch per
 * host vIOMMU, at the next CMD_SYNC, whose completion is then signalled
 * as its CS field asks: CONS moving past it, and with SIG_IRQ and an
 * MSI address the 32-bit MSI data written there (Linux polls that word).
 * A command the model does not know, one it cannot fetch, or one the
 * host refuses stops the queue as hardware does: CONS at the command,
 * CMDQ_CONS.ERR set, GERROR.CMDQ_ERR toggled, nothing more until the
 * guest toggles GERRORN.CMDQ_ERR back.
 */
#include "smmuv3-internal.h"

#include <string.h>

/* Index plus wrap bit of a queue of 2^@log2 entries. */
static uint32_t smmu_q_mask(unsigned log2)
{
    return (2u << log2) - 1;
}

static unsigned smmu_q_log2(uint64_t base)
{
    return MIN(SMMU_QUEUE_LOG2(base), SMMU_QUEUE_LOG2SIZE);
}

static bool smmu_cmdq_error_pending(SMMUv3State *s)
{
    return (smmuv3_reg_get(s, A_GERROR) ^ smmuv3_reg_get(s, A_GERRORN)) &
           SMMU_GERROR_CMDQ_ERR;
}

static void smmu_cmdq_set_cons(SMMUv3State *s, uint32_t cons)
{
    uint64_t old = smmuv3_reg_get(s, A_CMDQ_CONS);

    smmuv3_reg_set(s, A_CMDQ_CONS, (old & SMMU_CONS_ERR_MASK) | cons);
}

/* Stop at @cons with error @err, as hardware does. */
static void smmu_cmdq_stop(SMMUv3State *s, uint32_t cons, unsigned err)
{
    smmuv3_reg_set(s, A_CMDQ_CONS, cons | (err << SMMU_CONS_ERR_SHIFT));
    smmuv3_reg_set(s, A_GERROR,
                   smmuv3_reg_get(s, A_GERROR) ^ SMMU_GERROR_CMDQ_ERR);
    s->cmd_errors++;
}

void smmuv3_event(SMMUv3State *s, unsigned type, uint32_t sid)
{
    uint64_t base = smmuv3_reg_get(s, A_EVENTQ_BASE);
    unsigned log2 = smmu_q_log2(base);
    uint32_t mask = smmu_q_mask(log2);
    uint32_t prod = smmuv3_reg_get(s, A_EVENTQ_PROD);
    uint32_t cons = smmuv3_reg_get(s, A_EVENTQ_CONS);
    uint64_t rec[4] = { GUINT64_TO_LE(type | (uint64_t)sid << 32), 0, 0, 0 };

    s->events++;
    if (!(smmuv3_reg_get(s, A_CR0ACK) & SMMU_CR0_EVENTQEN)) {
        return;
    }
    if (((prod ^ cons) & mask) == (1u << log2)) {
        /* Full: the record is lost, and the overflow flag says so. */
        smmuv3_reg_set(s, A_EVENTQ_PROD, prod ^ SMMU_EVENTQ_OVFLG);
        return;
    }
    if (!smmuv3_ram_write(SMMU_QUEUE_ADDR(base) +
                          (uint64_t)(prod & (mask >> 1)) * SMMU_EVT_SIZE,
                          rec, sizeof(rec))) {
        return;
    }
    smmuv3_reg_set(s, A_EVENTQ_PROD,
                   (prod & SMMU_EVENTQ_OVFLG) | ((prod + 1) & mask));
}

/* The StreamIDs a CFGI_STE_RANGE covers: 2^(Range+1) from @sid down. */
static void smmu_ste_range(uint32_t sid, unsigned range, uint32_t *first,
                           uint32_t *last)
{
    uint64_t n = 2ull << range;

    *first = sid & ~(uint32_t)(n - 1);
    *last = (uint32_t)MIN((uint64_t)*first + n - 1, UINT32_MAX);
}

static unsigned smmu_cmd_sync(SMMUv3State *s, const uint64_t cmd[2],
                              uint32_t *bad)
{
    uint64_t msi = SMMU_CMD_SYNC_MSIADDR(cmd[1]);
    uint32_t data = GUINT32_TO_LE(SMMU_CMD_SYNC_MSIDATA(cmd[0]));

    if (SMMU_CMD_SYNC_CS(cmd[0]) == 3) {
        return SMMU_CERROR_ILL;         /* reserved */
    }
    if (!smmuv3_nest_flush(s, bad)) {
        return SMMU_CERROR_ILL;
    }
    if (SMMU_CMD_SYNC_CS(cmd[0]) == SMMU_SYNC_CS_IRQ && msi) {
        smmuv3_ram_write(msi, &data, sizeof(data));
    }
    return SMMU_CERROR_NONE;
}

/* Run one command at queue position @pos; a CERROR_* code. */
static unsigned smmu_cmd_run(SMMUv3State *s, const uint64_t cmd[2],
                             uint32_t pos, uint32_t *bad)
{
    uint32_t sid = SMMU_CMD_SID(cmd[0]), first, last;

    switch (SMMU_CMD_OP(cmd[0])) {
    case CMD_PREFETCH_CONFIG:
    case CMD_PREFETCH_ADDR:
        return SMMU_CERROR_NONE;        /* nothing is cached here */
    case CMD_CFGI_STE:
        return smmuv3_nest_cfgi_ste(s, sid, sid) ? SMMU_CERROR_NONE
                                                 : SMMU_CERROR_ILL;
    case CMD_CFGI_STE_RANGE:
        smmu_ste_range(sid, SMMU_CMD_STE_RANGE(cmd[1]), &first, &last);
        return smmuv3_nest_cfgi_ste(s, first, last) ? SMMU_CERROR_NONE
                                                    : SMMU_CERROR_ILL;
    case CMD_CFGI_CD:
    case CMD_CFGI_CD_ALL:
    case CMD_TLBI_NH_ALL:
    case CMD_TLBI_NH_ASID:
    case CMD_TLBI_NH_VA:
    case CMD_TLBI_NH_VAA:
    case CMD_TLBI_NSNH_ALL:
    case CMD_ATC_INV:
        smmuv3_nest_queue_inv(s, cmd, pos);
        return SMMU_CERROR_NONE;
    case CMD_SYNC:
        return smmu_cmd_sync(s, cmd, bad);
    default:
        return SMMU_CERROR_ILL;
    }
}

void smmuv3_cmdq_process(SMMUv3State *s)
{
    uint64_t base = smmuv3_reg_get(s, A_CMDQ_BASE);
    unsigned log2 = smmu_q_log2(base);
    uint32_t mask = smmu_q_mask(log2);
    uint32_t prod, cons;

    if (!(smmuv3_reg_get(s, A_CR0ACK) & SMMU_CR0_CMDQEN) ||
        smmu_cmdq_error_pending(s)) {
        return;
    }
    prod = smmuv3_reg_get(s, A_CMDQ_PROD) & mask;
    cons = smmuv3_reg_get(s, A_CMDQ_CONS) & mask;
    while (cons != prod) {
        uint64_t cmd[2];
        uint32_t bad = cons;
        unsigned err;

        if (!smmuv3_ram_read(SMMU_QUEUE_ADDR(base) +
                             (uint64_t)(cons & (mask >> 1)) * SMMU_CMD_SIZE,
                             cmd, sizeof(cmd))) {
            err = SMMU_CERROR_ABT;
        } else {
            cmd[0] = GUINT64_FROM_LE(cmd[0]);
            cmd[1] = GUINT64_FROM_LE(cmd[1]);
            err = smmu_cmd_run(s, cmd, cons, &bad);
        }
        if (err) {
            smmu_cmdq_stop(s, bad, err);
            return;
        }
        cons = (cons + 1) & mask;
        s->cmds_consumed++;
        smmu_cmdq_set_cons(s, cons);
    }
}

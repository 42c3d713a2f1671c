/*
 * arm-smmuv3 internals: the register layout (SMMUv3 architecture, page 0;
 * page 1 at +0x10000 aliases it as in QEMU) and what the device, register,
 * accel and monitor files share.
 */
#ifndef HW_ARM_SMMUV3_INTERNAL_H
#define HW_ARM_SMMUV3_INTERNAL_H

#include "hw/arm/smmuv3.h"
#include "hw/arm/virt.h"
#include "system/host_iommu_device.h"

/* Register offsets. */
#define A_IDR0              0x00
#define A_IDR1              0x04
#define A_IDR2              0x08
#define A_IDR3              0x0c
#define A_IDR4              0x10
#define A_IDR5              0x14
#define A_IIDR              0x18
#define A_AIDR              0x1c
#define A_CR0               0x20
#define A_CR0ACK            0x24
#define A_CR1               0x28
#define A_CR2               0x2c
#define A_STATUSR           0x40
#define A_GBPA              0x44
#define A_IRQ_CTRL          0x50
#define A_IRQ_CTRLACK       0x54
#define A_GERROR            0x60
#define A_GERRORN           0x64
#define A_GERROR_IRQ_CFG0   0x68        /* 64 bits */
#define A_GERROR_IRQ_CFG1   0x70
#define A_GERROR_IRQ_CFG2   0x74
#define A_STRTAB_BASE       0x80        /* 64 bits */
#define A_STRTAB_BASE_CFG   0x88
#define A_CMDQ_BASE         0x90        /* 64 bits */
#define A_CMDQ_PROD         0x98
#define A_CMDQ_CONS         0x9c
#define A_EVENTQ_BASE       0xa0        /* 64 bits */
#define A_EVENTQ_PROD       0xa8
#define A_EVENTQ_CONS       0xac
#define A_EVENTQ_IRQ_CFG0   0xb0        /* 64 bits */
#define A_EVENTQ_IRQ_CFG1   0xb8
#define A_EVENTQ_IRQ_CFG2   0xbc
#define SMMU_PAGE1_ALIAS    0x10000

/* IDR fields: shift and width. */
#define SMMU_IDR0_S1P           1, 1
#define SMMU_IDR0_TTF           2, 2
#define SMMU_IDR0_COHACC        4, 1
#define SMMU_IDR0_ATS           10, 1
#define SMMU_IDR0_ASID16        12, 1
#define SMMU_IDR0_VMID16        18, 1
#define SMMU_IDR0_CD2L          19, 1
#define SMMU_IDR0_TTENDIAN      21, 2
#define SMMU_IDR0_STALL_MODEL   24, 2
#define SMMU_IDR0_TERM_MODEL    26, 1
#define SMMU_IDR0_STLEVEL       27, 2
#define SMMU_IDR1_SIDSIZE       0, 6
#define SMMU_IDR1_SSIDSIZE      6, 5
#define SMMU_IDR1_EVENTQS       16, 5
#define SMMU_IDR1_CMDQS         21, 5
#define SMMU_IDR3_HAD           2, 1
#define SMMU_IDR3_RIL           10, 1
#define SMMU_IDR3_BBML          11, 2
#define SMMU_IDR5_OAS           0, 3
#define SMMU_IDR5_GRAN4K        4, 1
#define SMMU_IDR5_GRAN16K       5, 1
#define SMMU_IDR5_GRAN64K       6, 1
#define SMMU_IDR5_VAX           10, 2

/* QEMU's values: 16-bit StreamIDs, 2^19-entry queues, 44-bit OAS. */
#define SMMU_IDR1_SIDSIZE_VAL   16
#define SMMU_QUEUE_LOG2SIZE     19
#define SMMU_OAS_44BIT          44
#define SMMU_OAS_48BIT          48
#define SMMU_IDR5_OAS_44        4
#define SMMU_IDR5_OAS_48        5
#define SMMU_AIDR_V3_1          0x1
/* A Linux guest takes at most this many SSID bits without IDR0.CD2L. */
#define SMMU_CD_LINEAR_MAX_BITS 10

#define SMMU_CR0_SMMUEN         (1u << 0)
#define SMMU_CR0_EVENTQEN       (1u << 2)
#define SMMU_CR0_CMDQEN         (1u << 3)
#define SMMU_GBPA_ABORT         (1u << 20)
#define SMMU_GERROR_CMDQ_ERR    (1u << 0)
/* CMDQ_CONS.ERR (30:24) and its codes. */
#define SMMU_CONS_ERR_SHIFT     24
#define SMMU_CONS_ERR_MASK      (0x7fu << SMMU_CONS_ERR_SHIFT)
#define SMMU_CERROR_NONE        0
#define SMMU_CERROR_ILL         1
#define SMMU_CERROR_ABT         2
/* EVENTQ_PROD.OVFLG (31). */
#define SMMU_EVENTQ_OVFLG       (1u << 31)

/* Queue base registers: address 51:5, LOG2SIZE 4:0. */
#define SMMU_QUEUE_ADDR(base)   ((base) & 0x000fffffffffffe0ull)
#define SMMU_QUEUE_LOG2(base)   ((unsigned)((base) & 0x1f))
#define SMMU_CMD_SIZE           16
#define SMMU_EVT_SIZE           32

/* STRTAB_BASE: address 51:6; STRTAB_BASE_CFG: LOG2SIZE, SPLIT, FMT. */
#define SMMU_STRTAB_ADDR(base)  ((base) & 0x000fffffffffffc0ull)
#define SMMU_STRTAB_LOG2SIZE(c) ((unsigned)((c) & 0x3f))
#define SMMU_STRTAB_SPLIT(c)    ((unsigned)(((c) >> 6) & 0x1f))
#define SMMU_STRTAB_FMT(c)      ((unsigned)(((c) >> 16) & 3))
#define SMMU_STRTAB_FMT_LINEAR  0
#define SMMU_STRTAB_FMT_2LVL    1
/* Level-1 stream table descriptor: L2Ptr 51:6, Span 4:0. */
#define SMMU_L1STD_L2PTR(d)     ((d) & 0x000fffffffffffc0ull)
#define SMMU_L1STD_SPAN(d)      ((unsigned)((d) & 0x1f))
#define SMMU_STE_SIZE           64

/*
 * STE words 0 and 1: what a nested HWPT may carry (the kernel's uAPI
 * header): word 0 V, Config, S1Fmt, S1ContextPtr, S1CDMax; word 1 S1DSS,
 * S1CIR, S1COR, S1CSH, S1STALLD, EATS.
 */
#define SMMU_STE0_V             (1ull << 0)
#define SMMU_STE0_CFG(w)        ((unsigned)(((w) >> 1) & 7))
#define SMMU_STE0_S1CTXPTR(w)   ((w) & 0x000fffffffffffc0ull)
#define SMMU_STE0_S1CDMAX(w)    ((unsigned)(((w) >> 59) & 0x1f))
#define SMMU_STE0_NEST_ALLOWED  (0x3full | 0x000fffffffffffc0ull | \
                                 (0x1full << 59))
#define SMMU_STE1_NEST_ALLOWED  (0xffull | (1ull << 27) | (3ull << 28))
#define SMMU_STE_CFG_ABORT      0
#define SMMU_STE_CFG_BYPASS     4
#define SMMU_STE_CFG_S1         5

/* Commands (SMMUv3 specification, 4.1): opcode 7:0. */
#define SMMU_CMD_OP(c0)         ((unsigned)((c0) & 0xff))
#define SMMU_CMD_SID(c0)        ((uint32_t)((c0) >> 32))
#define SMMU_CMD_SSID(c0)       ((uint32_t)(((c0) >> 12) & 0xfffff))
#define SMMU_CMD_STE_RANGE(c1)  ((unsigned)((c1) & 0x1f))
#define SMMU_CMD_SYNC_CS(c0)    ((unsigned)(((c0) >> 12) & 3))
#define SMMU_CMD_SYNC_MSIDATA(c0) ((uint32_t)((c0) >> 32))
#define SMMU_CMD_SYNC_MSIADDR(c1) ((c1) & 0x000ffffffffffffcull)
#define SMMU_SYNC_CS_NONE       0
#define SMMU_SYNC_CS_IRQ        1
#define SMMU_SYNC_CS_SEV        2
#define CMD_PREFETCH_CONFIG     0x01
#define CMD_PREFETCH_ADDR       0x02
#define CMD_CFGI_STE            0x03
#define CMD_CFGI_STE_RANGE      0x04    /* CFGI_ALL: Range 31 */
#define CMD_CFGI_CD             0x05
#define CMD_CFGI_CD_ALL         0x06
#define CMD_TLBI_NH_ALL         0x10
#define CMD_TLBI_NH_ASID        0x11
#define CMD_TLBI_NH_VA          0x12
#define CMD_TLBI_NH_VAA         0x13
#define CMD_TLBI_NSNH_ALL       0x30
#define CMD_ATC_INV             0x40
#define CMD_SYNC                0x46

/* Event records: type 7:0, StreamID 63:32. */
#define SMMU_EVT_C_BAD_STREAMID 0x02
#define SMMU_EVT_F_STE_FETCH    0x03
#define SMMU_EVT_C_BAD_STE      0x04

_Static_assert(SMMU_STE0_CFG(0xeull) == 7 &&
               SMMU_STE0_S1CDMAX(0x1full << 59) == 0x1f,
               "STE Config 3:1, S1CDMax 63:59");
_Static_assert(SMMU_CMD_SSID(0xfffffull << 12) == 0xfffff &&
               SMMU_CMD_SYNC_CS(3ull << 12) == 3,
               "command SSID 31:12, CMD_SYNC CS 13:12");
_Static_assert(SMMU_STRTAB_FMT(3u << 16) == 3 &&
               SMMU_STRTAB_SPLIT(0x1fu << 6) == 0x1f,
               "STRTAB_BASE_CFG FMT 17:16, SPLIT 10:6");
/* Bits 5 and 31:10 are reserved: CR0ACK never shows them. */
#define SMMU_CR0_WMASK          0x3dfu
#define SMMU_GBPA_UPDATE        (1u << 31)
#define SMMU_GBPA_RESET_VAL     0x1000u

static inline uint32_t smmu_field_get(uint32_t reg, unsigned shift,
                                      unsigned len)
{
    return (reg >> shift) & ((1u << len) - 1);
}

static inline uint32_t smmu_field_set(uint32_t reg, unsigned shift,
                                      unsigned len, uint32_t val)
{
    uint32_t mask = ((1u << len) - 1) << shift;

    return (reg & ~mask) | ((val << shift) & mask);
}

#define SMMU_FIELD_GET(reg, f) smmu_field_get(reg, f)
#define SMMU_FIELD_SET(reg, f, v) smmu_field_set(reg, f, v)

/* IDR5.OAS: the encoding of @bits, and the bits of an encoding. */
static inline uint32_t smmu_oas_encode(unsigned bits)
{
    static const uint8_t enc_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
    uint32_t enc = 0;

    for (uint32_t i = 0; i < G_N_ELEMENTS(enc_bits); i++) {
        enc = enc_bits[i] <= bits ? i : enc;
    }
    return enc;
}

static inline unsigned smmu_oas_bits(uint32_t oas)
{
    static const uint8_t enc_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

    return enc_bits[oas & 7];
}

/* smmuv3.c: recompute the advertised IDRs (SSIDSIZE: host.width). */
void smmuv3_idr_init(SMMUv3State *s);

/* smmuv3-regs.c: the register frame. */
extern const MemoryRegionOps smmuv3_mmio_ops;
/* Every register to its reset value (IDRs from s->idr). */
void smmuv3_regs_reset(SMMUv3State *s);
/* Refresh the IDR registers after s->idr changed. */
void smmuv3_regs_update_idr(SMMUv3State *s);
/* A register's current value by offset (for tests and queries). */
uint64_t smmuv3_reg_get(SMMUv3State *s, hwaddr offset);

/* Store a register by offset (the queue and nesting code). */
void smmuv3_reg_set(SMMUv3State *s, hwaddr offset, uint64_t val);

/* smmuv3-queue.c: the command and event queues. */
/* Run commands from CMDQ_CONS to CMDQ_PROD (CMDQEN, no error pending). */
void smmuv3_cmdq_process(SMMUv3State *s);
/* Record an event of @type for @sid in the event queue (EVENTQEN). */
void smmuv3_event(SMMUv3State *s, unsigned type, uint32_t sid);

/* smmuv3-ste.c: the guest's stream table, read from guest RAM. */
/* Guest RAM only (never MMIO): false if any byte is outside it. */
bool smmuv3_ram_read(uint64_t addr, void *buf, size_t len);
bool smmuv3_ram_write(uint64_t addr, const void *buf, size_t len);
/* @sid's STE words 0 and 1; 0 or the event type of a failure. */
int smmuv3_read_ste(SMMUv3State *s, uint32_t sid, uint64_t ste[2]);
/* The StreamID the guest sees for @pdev (its requester ID). */
uint32_t smmuv3_sid_of(PCIDevice *pdev);

/*
 * smmuv3-nested.c: accel=on's host objects (no-ops without devices).
 * The guest's configuration of each device (its STE with SMMUEN=1,
 * GBPA's abort/bypass otherwise) becomes a nested HWPT on a host vIOMMU.
 */
/* CFGI_STE*: devices with a StreamID in [@first, @last]; false: refused. */
bool smmuv3_nest_cfgi_ste(SMMUv3State *s, uint32_t first, uint32_t last);
/* SMMUEN or GBPA changed: every device follows. */
void smmuv3_nest_config_changed(SMMUv3State *s);
/* Queue a command for the host vIOMMUs it concerns (index: its slot). */
void smmuv3_nest_queue_inv(SMMUv3State *s, const uint64_t cmd[2],
                           uint32_t index);
/* Send what is queued (CMD_SYNC); false with *@bad the refused slot. */
bool smmuv3_nest_flush(SMMUv3State *s, uint32_t *bad);
/* Undo everything, children first (reset, unrealize). */
void smmuv3_nest_reset(SMMUv3State *s);
/* VIOMMUHostOps.device_gone: undo @pdev's host objects. */
void smmuv3_host_device_gone(DeviceState *owner, PCIDevice *pdev);
void smmuv3_nest_free(SMMUv3State *s);
void smmuv3_nest_query(SMMUv3State *s, JsonBuilder *b);
void smmuv3_nest_hmp_info(SMMUv3State *s, GString *out);
void smmuv3_nest_query_device(SMMUv3State *s, PCIDevice *pdev,
                              JsonBuilder *b);

/* smmuv3-accel.c: the host device checks and "auto" resolution. */
extern const VIOMMUHostOps smmuv3_host_ops;

/*
 * smmuv3-monitor.c: the arm-smmuv3 parts of x-query-viommu and
 * "info viommu" (smmuv3_host_ops' query, query_device, info).
 */
void smmuv3_query_fields(DeviceState *owner, JsonBuilder *b);
void smmuv3_query_device(const VIOMMUHostDevice *d, JsonBuilder *b);
void smmuv3_hmp_info(DeviceState *owner, GString *out);

#endif

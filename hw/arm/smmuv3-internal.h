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

#define SMMU_CR0_CMDQEN         (1u << 3)
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

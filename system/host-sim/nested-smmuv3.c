/*
 * Simulated host: the SMMUv3 driver's nesting, as Linux 6.18's
 * arm-smmu-v3-iommufd checks it.  A nesting parent needs stage 1 and
 * stage 2 (IDR0.S1P and S2P); nested HWPTs exist only on a vIOMMU and
 * carry the guest STE's first two dwords, of which only the fields the
 * uAPI header lists may be set (else EIO): Cfg abort, bypass or S1
 * translate; EATS abort or translate; S1CDMax within the unit's
 * SSIDSIZE and a 2-level CD table only with IDR0.CD2L (the hardware
 * would call the STE bad).  A V=0 STE is an abort.  A translate STE is
 * attached only to a device with a vDEVICE.  Invalidation commands are
 * the eight the header lists (else EIO); those naming a StreamID must
 * name a vDEVICE of the vIOMMU (else EIO).
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/iommufd.h"

#define IDR0_S2P                (1u << 0)
#define IDR0_S1P                (1u << 1)
#define IDR0_CD2L               (1u << 19)
#define IDR1_SSIDSIZE(v)        (((v) >> 6) & 0x1f)

/* STE word 0 and 1 fields (SMMUv3 specification, 5.2). */
#define STE0_V                  (1ull << 0)
#define STE0_CFG(v)             (((v) >> 1) & 7)
#define STE0_S1FMT(v)           (((v) >> 4) & 3)
#define STE0_S1CDMAX(v)         (((v) >> 59) & 0x1f)
#define STE0_ALLOWED            (0xfull | (3ull << 4) | \
                                 (((1ull << 46) - 1) << 6) | (0x1full << 59))
#define STE1_EATS(v)            (((v) >> 28) & 3)
#define STE1_ALLOWED            (0xffull | (1ull << 27) | (3ull << 28))
#define STE_CFG_ABORT           0
#define STE_CFG_BYPASS          4
#define STE_CFG_S1              5

_Static_assert(STE0_CFG(0xeull) == 7 && STE0_S1CDMAX(0x1full << 59) == 0x1f,
               "STE Config 3:1, S1CDMax 63:59");
_Static_assert(STE1_EATS(3ull << 28) == 3, "STE EATS 29:28");

/* Command opcodes and fields (SMMUv3 specification, 4.1). */
#define CMD_OP(c0)              ((unsigned)((c0) & 0xff))
#define CMD_SID(c0)             ((uint32_t)((c0) >> 32))
#define CMD_TLBI_NH_ALL         0x10
#define CMD_TLBI_NH_ASID        0x11
#define CMD_TLBI_NH_VA          0x12
#define CMD_TLBI_NH_VAA         0x13
#define CMD_TLBI_NSNH_ALL       0x30
#define CMD_CFGI_CD             0x05
#define CMD_CFGI_CD_ALL         0x06
#define CMD_ATC_INV             0x40

static bool smmuv3_parent_ok(const SimIommu *iommu)
{
    return (iommu->idr[0] & IDR0_S1P) && (iommu->idr[0] & IDR0_S2P);
}

/* What arm_smmu_validate_vste() and the hardware would accept. */
static int smmuv3_check_ste(uint64_t *ste, const SimIommu *iommu)
{
    unsigned cfg = STE0_CFG(ste[0]), eats = STE1_EATS(ste[1]);

    if (!(ste[0] & STE0_V)) {
        ste[0] = ste[1] = 0;
        return 0;
    }
    if ((ste[0] & ~STE0_ALLOWED) || (ste[1] & ~STE1_ALLOWED)) {
        return -EIO;
    }
    if (cfg != STE_CFG_ABORT && cfg != STE_CFG_BYPASS && cfg != STE_CFG_S1) {
        return -EIO;
    }
    if (eats > 1) {
        return -EIO;
    }
    if (cfg == STE_CFG_S1 &&
        (STE0_S1CDMAX(ste[0]) > IDR1_SSIDSIZE(iommu->idr[1]) ||
         (STE0_S1FMT(ste[0]) && STE0_S1CDMAX(ste[0]) &&
          !(iommu->idr[0] & IDR0_CD2L)) || STE0_S1FMT(ste[0]) == 3)) {
        return -EIO;
    }
    return 0;
}

static int smmuv3_alloc(const struct iommu_hwpt_alloc *cmd,
                        const SimUaccess *ua, const SimIommu *iommu,
                        SimNestedData *out)
{
    struct iommu_hwpt_arm_smmuv3 data;
    int r = sim_copy_data_in(ua, cmd->data_uptr, cmd->data_len, &data,
                             sizeof(data), sizeof(data));
    uint64_t ste[2];

    if (r) {
        return r;
    }
    ste[0] = GUINT64_FROM_LE(data.ste[0]);
    ste[1] = GUINT64_FROM_LE(data.ste[1]);
    r = smmuv3_check_ste(ste, iommu);
    if (r) {
        return r;
    }
    out->data_type = IOMMU_HWPT_DATA_ARM_SMMUV3;
    memcpy(out->ste, ste, sizeof(ste));
    return 0;
}

static bool smmuv3_needs_vdevice(const SimNestedData *data)
{
    return (data->ste[0] & STE0_V) && STE0_CFG(data->ste[0]) == STE_CFG_S1;
}

static int smmuv3_attach_ok(const SimNestedData *data, const SimIommu *iommu)
{
    return 0;                   /* checked at alloc, on the vIOMMU's unit */
}

static int smmuv3_inv_entry(SimObj *viommu, const void *buf, SimInvEntry *out)
{
    const struct iommu_viommu_arm_smmuv3_invalidate *e = buf;
    uint64_t c0 = GUINT64_FROM_LE(e->cmd[0]), c1 = GUINT64_FROM_LE(e->cmd[1]);

    switch (CMD_OP(c0)) {
    case CMD_TLBI_NSNH_ALL:
    case CMD_TLBI_NH_VA:
    case CMD_TLBI_NH_VAA:
    case CMD_TLBI_NH_ALL:
    case CMD_TLBI_NH_ASID:
        break;
    case CMD_ATC_INV:
    case CMD_CFGI_CD:
    case CMD_CFGI_CD_ALL:
        if (!sim_vdevice_by_id(viommu, CMD_SID(c0))) {
            return -EIO;
        }
        break;
    default:
        return -EIO;
    }
    out->cmd[0] = c0;
    out->cmd[1] = c1;
    return 0;
}

const SimNestedOps sim_nested_smmuv3_ops = {
    .iommu_type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3,
    .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3,
    .inv_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
    .parent_ok = smmuv3_parent_ok,
    .alloc = NULL,              /* only on a vIOMMU */
    .attach_ok = smmuv3_attach_ok,
};

const SimViommuOps sim_viommu_smmuv3_ops = {
    .viommu_type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
    .alloc = smmuv3_alloc,
    .needs_vdevice = smmuv3_needs_vdevice,
    .inv_entry = smmuv3_inv_entry,
    .inv_entry_size = sizeof(struct iommu_viommu_arm_smmuv3_invalidate),
};

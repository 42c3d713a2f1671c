/*
 * intel-iommu: the invalidation queue and fault recording.
 *
 * The queue (IQA/IQH/IQT, GCMD.QIE) holds 128-bit or, with IQA.DW,
 * 256-bit descriptors.  Every invalidation completes at once; with
 * x-flts=on the ones that concern first-stage translation reach the
 * host (intel_iommu_nested.c): the model runs in caching mode, so it
 * acts on invalidations, never on memory writes.  A descriptor hardware
 * would refuse stops the queue with FSTS.IQE until the guest clears it.
 *
 * First-stage invalidations reach the host in one batch per HWPT when
 * a wait descriptor completes: only then may the guest rely on them.
 *
 * Faults the host cannot take go to the one fault recording register
 * (CAP.NFR = 0): FRCD with F set, FSTS.PPF, and FECTL.IP while masked.
 */
#include "intel_iommu_nested.h"

#include <string.h>

void vtd_fault_event(IntelIOMMUState *s, uint32_t fsts_bit)
{
    uint32_t fsts = vtd_reg_get(s, DMAR_FSTS_REG, 4);

    vtd_reg_set(s, DMAR_FSTS_REG, 4, fsts | fsts_bit);
    if (vtd_reg_get(s, DMAR_FECTL_REG, 4) & VTD_FECTL_IM) {
        vtd_reg_set(s, DMAR_FECTL_REG, 4,
                    vtd_reg_get(s, DMAR_FECTL_REG, 4) | VTD_FECTL_IP);
    }
}

void vtd_record_fault(IntelIOMMUState *s, uint16_t sid, bool has_pasid,
                      uint32_t pasid, int reason)
{
    uint64_t hi = vtd_reg_get(s, DMAR_FRCD_REG + 8, 8);

    s->faults++;
    /* The only record is still held: the fault overflows. */
    if (hi & VTD_FRCD_F) {
        vtd_fault_event(s, VTD_FSTS_PFO);
        return;
    }
    hi = VTD_FRCD_F | VTD_FRCD_FR(reason) | sid;
    if (has_pasid) {
        hi |= VTD_FRCD_PP | VTD_FRCD_PV(pasid);
    }
    vtd_reg_set(s, DMAR_FRCD_REG, 8, 0);
    vtd_reg_set(s, DMAR_FRCD_REG + 8, 8, hi);
    /* FSTS.FRI = 0: the index of the only record. */
    vtd_reg_set(s, DMAR_FSTS_REG, 4,
                vtd_reg_get(s, DMAR_FSTS_REG, 4) & ~VTD_FSTS_FRI_MASK);
    vtd_fault_event(s, VTD_FSTS_PPF);
}

void vtd_frcd_written(IntelIOMMUState *s)
{
    if (!(vtd_reg_get(s, DMAR_FRCD_REG + 8, 8) & VTD_FRCD_F)) {
        vtd_reg_set(s, DMAR_FSTS_REG, 4,
                    vtd_reg_get(s, DMAR_FSTS_REG, 4) & ~VTD_FSTS_PPF);
    }
}

static bool vtd_qi_wait(IntelIOMMUState *s, uint64_t lo, uint64_t hi)
{
    MachineState *ms = qdev_get_machine();

    /* Everything queued before the wait is done when it completes. */
    vtd_nest_flush(s);
    if ((lo & VTD_INV_DESC_WAIT_SW) && ms) {
        address_space_st(&ms->memory, hi & VTD_INV_DESC_WAIT_ADDR_MASK,
                         lo >> 32, 4);
    }
    if (lo & VTD_INV_DESC_WAIT_IF) {
        vtd_reg_set(s, DMAR_ICS_REG, 4, VTD_ICS_IWC);
        if (vtd_reg_get(s, DMAR_IECTL_REG, 4) & VTD_IECTL_IM) {
            vtd_reg_set(s, DMAR_IECTL_REG, 4,
                        vtd_reg_get(s, DMAR_IECTL_REG, 4) | VTD_IECTL_IP);
        }
    }
    return true;
}

static bool vtd_qi_cc(IntelIOMMUState *s, uint64_t lo)
{
    unsigned g = VTD_INV_DESC_G(lo);

    if (!g) {
        return false;
    }
    vtd_nest_context_cache_inv(s, g != VTD_CC_G_DEVICE,
                               VTD_INV_DESC_CC_SID(lo));
    return true;
}

static bool vtd_qi_iotlb(IntelIOMMUState *s, uint64_t lo, uint64_t hi)
{
    unsigned g = VTD_INV_DESC_G(lo);
    uint64_t npages = UINT64_MAX, addr = 0;

    if (!g) {
        return false;
    }
    if (g == VTD_IOTLB_G_PAGE) {
        addr = VTD_INV_DESC_ADDR(hi);
        npages = 1ULL << VTD_INV_DESC_AM(hi);
    }
    vtd_nest_iotlb_inv(s, g == VTD_IOTLB_G_GLOBAL, VTD_INV_DESC_DID(lo), true,
                       0, addr, npages, hi & VTD_INV_DESC_IH);
    return true;
}

static bool vtd_qi_pc(IntelIOMMUState *s, uint64_t lo, uint64_t hi)
{
    unsigned g = VTD_INV_DESC_G(lo);

    if (hi || g == 2) {
        return false;
    }
    vtd_nest_pasid_cache_inv(s, g, VTD_INV_DESC_DID(lo),
                             VTD_INV_DESC_PASID(lo));
    return true;
}

static bool vtd_qi_piotlb(IntelIOMMUState *s, uint64_t lo, uint64_t hi)
{
    unsigned g = VTD_INV_DESC_G(lo);
    uint64_t npages = UINT64_MAX, addr = 0;

    if (g != VTD_PIOTLB_G_PASID && g != VTD_PIOTLB_G_PAGE) {
        return false;
    }
    if (g == VTD_PIOTLB_G_PAGE) {
        addr = VTD_INV_DESC_ADDR(hi);
        npages = 1ULL << VTD_INV_DESC_AM(hi);
    } else if (hi) {
        return false;
    }
    vtd_nest_iotlb_inv(s, false, VTD_INV_DESC_DID(lo), false,
                       VTD_INV_DESC_PASID(lo), addr, npages,
                       hi & VTD_INV_DESC_IH);
    return true;
}

/* One descriptor; false for one hardware would refuse (IQE). */
static bool vtd_qi_desc(IntelIOMMUState *s, const uint64_t *d)
{
    bool smts = s->ecap & VTD_ECAP_SMTS;
    uint64_t lo = d[0], hi = d[1];

    /* Bits 11:9 extend the type and 255:128 are reserved here. */
    if ((lo & 0xe00) || d[2] || d[3]) {
        return false;
    }
    switch (lo & VTD_INV_DESC_TYPE_MASK) {
    case VTD_INV_DESC_CC:
        return vtd_qi_cc(s, lo);
    case VTD_INV_DESC_IOTLB:
        return vtd_qi_iotlb(s, lo, hi);
    case VTD_INV_DESC_IEC:
        return true;
    case VTD_INV_DESC_DEVTLB:
        return s->device_iotlb;
    case VTD_INV_DESC_WAIT:
        return vtd_qi_wait(s, lo, hi);
    case VTD_INV_DESC_PIOTLB:
        return smts && vtd_qi_piotlb(s, lo, hi);
    case VTD_INV_DESC_PC:
        return smts && vtd_qi_pc(s, lo, hi);
    case VTD_INV_DESC_DEV_PIOTLB:
        return smts && s->device_iotlb;
    default:
        return false;
    }
}

void vtd_qi_process(IntelIOMMUState *s)
{
    MachineState *ms = qdev_get_machine();
    uint64_t tail = vtd_reg_get(s, DMAR_IQT_REG, 8) & VTD_IQT_MASK;
    uint64_t head = vtd_reg_get(s, DMAR_IQH_REG, 8) & VTD_IQT_MASK;
    unsigned desc_size = s->iq_dw ? 32 : 16;

    if (!ms || (vtd_reg_get(s, DMAR_FSTS_REG, 4) & VTD_FSTS_IQE)) {
        return;
    }
    /* A tail outside the queue or not on a descriptor would never meet. */
    if (tail >= s->iq_size || tail % desc_size) {
        vtd_fault_event(s, VTD_FSTS_IQE);
        return;
    }
    while (head != tail) {
        uint64_t desc[4] = { 0 };

        address_space_read(&ms->memory, s->iq_base + head, desc, desc_size);
        for (unsigned i = 0; i < 4; i++) {
            desc[i] = GUINT64_FROM_LE(desc[i]);
        }
        if (!vtd_qi_desc(s, desc)) {
            vtd_fault_event(s, VTD_FSTS_IQE);
            break;
        }
        s->qi_descs++;
        head = (head + desc_size) % s->iq_size;
    }
    vtd_reg_set(s, DMAR_IQH_REG, 8, head);
}

void vtd_qi_enable(IntelIOMMUState *s, bool on)
{
    uint64_t iqa = vtd_reg_get(s, DMAR_IQA_REG, 8);

    if (on) {
        s->iq_base = iqa & VTD_IQA_ADDR_MASK;
        s->iq_size = 4096U << (iqa & VTD_IQA_QS_MASK);
        s->iq_dw = iqa & VTD_IQA_DW;
        vtd_reg_set(s, DMAR_IQH_REG, 8, 0);
    }
}

/*
 * intel-iommu registers: the MMIO page at 0xFED90000.
 *
 * Every register is bytes in s->csr with per-byte masks (writable,
 * write-1-to-clear, write-only), so any access size at any offset is
 * served the same way; a few registers then act on what was written
 * (the GCMD enable handshakes, register-based invalidation, the
 * invalidation queue tail, clearing a fault record).  There is no DMA
 * translation: the model latches what a guest driver programs; the
 * queue and what reaches the host are intel_iommu_qi.c's.
 */
#include "intel_iommu_nested.h"

#include <string.h>

static void vtd_define(IntelIOMMUState *s, hwaddr addr, unsigned size,
                       uint64_t val, uint64_t wmask, uint64_t w1c,
                       uint64_t wo)
{
    for (unsigned i = 0; i < size; i++) {
        s->csr[addr + i] = val >> (8 * i);
        s->wmask[addr + i] = wmask >> (8 * i);
        s->w1cmask[addr + i] = w1c >> (8 * i);
        s->womask[addr + i] = wo >> (8 * i);
    }
}

uint64_t vtd_reg_get(IntelIOMMUState *s, hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)s->csr[addr + i] << (8 * i);
    }
    return v;
}

void vtd_reg_set(IntelIOMMUState *s, hwaddr addr, unsigned size,
                        uint64_t val)
{
    for (unsigned i = 0; i < size; i++) {
        s->csr[addr + i] = val >> (8 * i);
    }
}

void vtd_regs_update_caps(IntelIOMMUState *s)
{
    bool smts = s->ecap & VTD_ECAP_SMTS;

    vtd_define(s, DMAR_CAP_REG, 8, s->cap, 0, 0, 0);
    vtd_define(s, DMAR_ECAP_REG, 8, s->ecap, 0, 0, 0);
    /* Scalable-mode root tables and 256-bit descriptors only with SMTS. */
    vtd_define(s, DMAR_RTADDR_REG, 8, vtd_reg_get(s, DMAR_RTADDR_REG, 8),
               VTD_RTADDR_ADDR_MASK | (smts ? VTD_RTADDR_SMT : 0), 0, 0);
    vtd_define(s, DMAR_IQA_REG, 8, vtd_reg_get(s, DMAR_IQA_REG, 8),
               VTD_IQA_ADDR_MASK | VTD_IQA_QS_MASK |
               (smts ? VTD_IQA_DW : 0), 0, 0);
}

void vtd_regs_reset(IntelIOMMUState *s)
{
    uint64_t irta_wmask = VTD_IRTA_WMASK & ~(s->eim_enabled ? 0 : 1ULL << 11);

    memset(s->csr, 0, sizeof(s->csr));
    memset(s->wmask, 0, sizeof(s->wmask));
    memset(s->w1cmask, 0, sizeof(s->w1cmask));
    memset(s->womask, 0, sizeof(s->womask));
    vtd_define(s, DMAR_VER_REG, 4, VTD_VERSION, 0, 0, 0);
    vtd_define(s, DMAR_GCMD_REG, 4, 0, VTD_GCMD_MASK, 0, UINT32_MAX);
    vtd_define(s, DMAR_GSTS_REG, 4, 0, 0, 0, 0);
    vtd_define(s, DMAR_CCMD_REG, 8, 0, VTD_CCMD_WMASK, 0, 0);
    vtd_define(s, DMAR_FSTS_REG, 4, 0, 0, VTD_FSTS_W1C, 0);
    vtd_define(s, DMAR_FECTL_REG, 4, VTD_FECTL_IM, VTD_FECTL_IM, 0, 0);
    vtd_define(s, DMAR_FEDATA_REG, 4, 0, 0xffff, 0, 0);
    vtd_define(s, DMAR_FEADDR_REG, 4, 0, 0xfffffffc, 0, 0);
    vtd_define(s, DMAR_FEUADDR_REG, 4, 0, UINT32_MAX, 0, 0);
    vtd_define(s, DMAR_IQH_REG, 8, 0, 0, 0, 0);
    vtd_define(s, DMAR_IQT_REG, 8, 0, VTD_IQT_MASK, 0, 0);
    vtd_define(s, DMAR_ICS_REG, 4, 0, 0, VTD_ICS_IWC, 0);
    vtd_define(s, DMAR_IECTL_REG, 4, VTD_IECTL_IM, VTD_IECTL_IM, 0, 0);
    vtd_define(s, DMAR_IEDATA_REG, 4, 0, UINT32_MAX, 0, 0);
    vtd_define(s, DMAR_IEADDR_REG, 4, 0, 0xfffffffc, 0, 0);
    vtd_define(s, DMAR_IEUADDR_REG, 4, 0, UINT32_MAX, 0, 0);
    vtd_define(s, DMAR_IRTA_REG, 8, 0,
               s->intr_enabled ? irta_wmask : 0, 0, 0);
    vtd_define(s, DMAR_IVA_REG, 8, 0, 0xfffffffffffff07fULL, 0,
               UINT64_MAX);
    vtd_define(s, DMAR_IOTLB_REG, 8, 0, VTD_IOTLB_WMASK, 0, 0);
    /* Fault record: the F bit (127) is write-1-to-clear. */
    vtd_define(s, DMAR_FRCD_REG + 8, 8, 0, 0, 1ULL << 63, 0);
    vtd_regs_update_caps(s);
    s->root = 0;
    s->root_scalable = false;
    s->intr_root = 0;
    s->iq_base = 0;
    s->iq_size = 0;
    s->iq_dw = false;
}

/* GCMD: one-shot commands latch, enable bits toggle their status bits. */
static void vtd_gcmd_write(IntelIOMMUState *s)
{
    uint32_t cmd = vtd_reg_get(s, DMAR_GCMD_REG, 4);
    uint32_t sts = vtd_reg_get(s, DMAR_GSTS_REG, 4);
    uint32_t toggles = VTD_GCMD_TE | VTD_GCMD_QIE;
    uint32_t changed;

    if (s->intr_enabled) {
        toggles |= VTD_GCMD_IRE | VTD_GCMD_CFI;
    }
    changed = (cmd ^ sts) & toggles;
    if (cmd & VTD_GCMD_SRTP) {
        uint64_t rta = vtd_reg_get(s, DMAR_RTADDR_REG, 8);

        s->root = rta & VTD_RTADDR_ADDR_MASK;
        s->root_scalable = rta & VTD_RTADDR_SMT;
        sts |= VTD_GSTS_RTPS;
    }
    if ((cmd & VTD_GCMD_SIRTP) && s->intr_enabled) {
        s->intr_root = vtd_reg_get(s, DMAR_IRTA_REG, 8);
        sts |= VTD_GSTS_IRTPS;
    }
    if (changed & VTD_GCMD_QIE) {
        vtd_qi_enable(s, cmd & VTD_GCMD_QIE);
    }
    sts ^= changed;
    vtd_reg_set(s, DMAR_GSTS_REG, 4, sts);
    /* Translation off: nothing the guest programmed applies any more. */
    if ((changed & VTD_GCMD_TE) && !(cmd & VTD_GCMD_TE)) {
        vtd_nest_reset(s);
    }
    /* Write-buffer flush (CAP.RWBF=0) and fault log (no CAP.AFL): no-ops. */
}

/* Register-based invalidation: the actual granularity is the requested. */
static void vtd_inv_reg_write(IntelIOMMUState *s, hwaddr reg,
                              uint64_t busy, unsigned req_shift,
                              unsigned act_shift)
{
    uint64_t v = vtd_reg_get(s, reg, 8);

    if (v & busy) {
        v &= ~(busy | (3ULL << act_shift));
        v |= ((v >> req_shift) & 3) << act_shift;
        vtd_reg_set(s, reg, 8, v);
    }
}

static bool vtd_range_covers(hwaddr addr, unsigned size, hwaddr reg,
                             unsigned reg_size)
{
    return addr < reg + reg_size && reg < addr + size;
}

static uint64_t vtd_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IntelIOMMUState *s = opaque;
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        if (addr + i < VTD_REG_SIZE) {
            v |= (uint64_t)(s->csr[addr + i] & ~s->womask[addr + i])
                 << (8 * i);
        }
    }
    return v;
}

static void vtd_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    IntelIOMMUState *s = opaque;

    for (unsigned i = 0; i < size; i++) {
        hwaddr o = addr + i;
        uint8_t b = val >> (8 * i);

        if (o < VTD_REG_SIZE) {
            s->csr[o] = ((s->csr[o] & ~s->wmask[o]) | (b & s->wmask[o])) &
                        ~(s->w1cmask[o] & b);
        }
    }
    if (vtd_range_covers(addr, size, DMAR_GCMD_REG, 4)) {
        vtd_gcmd_write(s);
    }
    /* The invalidate bits live in the upper dword. */
    if (vtd_range_covers(addr, size, DMAR_CCMD_REG + 4, 4)) {
        vtd_inv_reg_write(s, DMAR_CCMD_REG, VTD_CCMD_ICC,
                          VTD_CCMD_CIRG_SHIFT, VTD_CCMD_CAIG_SHIFT);
    }
    if (vtd_range_covers(addr, size, DMAR_IOTLB_REG + 4, 4)) {
        vtd_inv_reg_write(s, DMAR_IOTLB_REG, VTD_IOTLB_IVT,
                          VTD_IOTLB_IIRG_SHIFT, VTD_IOTLB_IAIG_SHIFT);
    }
    if (vtd_range_covers(addr, size, DMAR_FRCD_REG + 12, 4)) {
        vtd_frcd_written(s);
    }
    if (vtd_range_covers(addr, size, DMAR_IQT_REG, 4) &&
        (vtd_reg_get(s, DMAR_GSTS_REG, 4) & VTD_GSTS_QIES)) {
        vtd_qi_process(s);
    }
}

const MemoryRegionOps vtd_mmio_ops = {
    .read = vtd_mmio_read,
    .write = vtd_mmio_write,
};

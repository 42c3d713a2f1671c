/*
 * intel-iommu: the guest's scalable-mode translation structures, read
 * from guest RAM (VT-d specification, chapter 9): root entry →
 * scalable-mode context entry → PASID directory entry → PASID-table
 * entry.
 *
 * Nothing here trusts the guest: a pointer outside RAM, a reserved bit,
 * a PASID beyond the directory or a translation type the vIOMMU cannot
 * offer is a VT-d fault reason, never an access outside guest RAM.
 */
#include "intel_iommu_nested.h"

#include <string.h>

/* Read @len bytes of guest RAM at @addr, refusing anything outside it. */
static bool vtd_ram_read(hwaddr addr, void *buf, size_t len)
{
    MachineState *ms = qdev_get_machine();
    MemoryRegion *ram = ms ? &ms->ram : NULL;

    if (!ram || !ram->ram || addr < ram->base ||
        addr - ram->base > ram->size || len > ram->size - (addr - ram->base)) {
        return false;
    }
    memcpy(buf, ram->ram + (addr - ram->base), len);
    return true;
}

static bool vtd_ram_read_le64s(hwaddr addr, uint64_t *vals, unsigned n)
{
    if (!vtd_ram_read(addr, vals, n * sizeof(uint64_t))) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        vals[i] = GUINT64_FROM_LE(vals[i]);
    }
    return true;
}

/* The scalable-mode context entry of @sid; 0 or a fault reason. */
int vtd_read_context(IntelIOMMUState *s, uint16_t sid, VTDContext *ctx)
{
    uint8_t bus = sid >> 8, devfn = sid & 0xff;
    uint64_t root[2], ce[4], rte;

    memset(ctx, 0, sizeof(*ctx));
    if (!s->root_scalable) {
        return VTD_FR_RTADDR_INV_TTM;
    }
    if (!vtd_ram_read_le64s(s->root + bus * 16, root, 2)) {
        return VTD_FR_ROOT_TABLE_INV;
    }
    /* Upper half of the entry for devfn 128-255 (scalable mode). */
    rte = root[devfn >> 7];
    if (!(rte & VTD_SM_ROOT_P)) {
        return 0;
    }
    if (rte & VTD_SM_ROOT_RSVD) {
        return VTD_FR_ROOT_ENTRY_RSVD;
    }
    if (!vtd_ram_read_le64s((rte & VTD_SM_ROOT_CTP) + (devfn & 0x7f) * 32,
                            ce, 4)) {
        return VTD_FR_CONTEXT_TABLE_INV;
    }
    if (!(ce[0] & VTD_SM_CTX_P)) {
        return 0;
    }
    if ((ce[0] & VTD_SM_CTX_RSVD0) || (ce[1] & VTD_SM_CTX_RSVD1) ||
        ce[2] || ce[3]) {
        return VTD_FR_CONTEXT_ENTRY_RSVD;
    }
    ctx->present = true;
    ctx->fpd = ce[0] & VTD_SM_CTX_FPD;
    ctx->pasid_enable = ce[0] & VTD_SM_CTX_PASIDE;
    ctx->pdir = ce[0] & VTD_SM_CTX_PDIR;
    ctx->pdir_entries = 1U << (VTD_SM_CTX_PDTS(ce[0]) + 7);
    ctx->rid_pasid = ce[1] & VTD_SM_CTX_RID_PASID;
    return 0;
}

/* What the vIOMMU offers for a present first-stage entry. */
static int vtd_check_first_stage(IntelIOMMUState *s, const uint64_t *pe,
                                 VTDGuestPasid *gp)
{
    unsigned flpm = VTD_PE_FLPM(pe[2]);

    /* Only 4-level paging: CAP.FS5LP is never advertised. */
    if (flpm != VTD_PE_FLPM_4LEVEL) {
        return VTD_FR_PASID_TABLE_ENTRY_INV;
    }
    if (pe[2] & VTD_PE_RSVD2) {
        return VTD_FR_PASID_TABLE_ENTRY_INV;
    }
    gp->fspt = pe[2] & VTD_PE_FLPTPTR;
    gp->addr_width = 48;
    gp->sre = pe[2] & VTD_PE_SRE;
    gp->wpe = pe[2] & VTD_PE_WPE;
    gp->eafe = pe[2] & VTD_PE_EAFE;
    return 0;
}

/*
 * The PASID-table entry of @pasid under @ctx: 0 with gp->present set or
 * not, or a fault reason.  Entries the vIOMMU cannot offer (second-stage
 * or nested translation, 5-level first stage) are faults too.
 */
int vtd_read_pasid_entry(IntelIOMMUState *s, const VTDContext *ctx,
                         uint32_t pasid, VTDGuestPasid *gp)
{
    uint32_t dir_index = pasid >> 6;
    uint64_t pde, pe[8];

    memset(gp, 0, sizeof(*gp));
    gp->pasid = pasid;
    if (pasid > VTD_PASID_MAX || dir_index >= ctx->pdir_entries) {
        return VTD_FR_PASID_DIR_ACCESS_ERR;
    }
    if (!vtd_ram_read_le64s(ctx->pdir + dir_index * 8, &pde, 1)) {
        return VTD_FR_PASID_DIR_ACCESS_ERR;
    }
    if (!(pde & VTD_PDE_P)) {
        return 0;
    }
    gp->fpd = pde & VTD_PDE_FPD;
    if (!vtd_ram_read_le64s((pde & VTD_PDE_PTP) + (pasid & 0x3f) * 64, pe,
                            8)) {
        return VTD_FR_PASID_TABLE_ACCESS_ERR;
    }
    if (!(pe[0] & VTD_PE_P)) {
        return 0;
    }
    gp->fpd |= pe[0] & VTD_PE_FPD;
    if (pe[4] || pe[5] || pe[6] || pe[7]) {
        return VTD_FR_PASID_TABLE_ENTRY_INV;
    }
    gp->present = true;
    gp->pgtt = VTD_PE_PGTT(pe[0]);
    gp->did = pe[1] & VTD_PE_DID;
    switch (gp->pgtt) {
    case VTD_PGTT_FIRST_STAGE:
        return vtd_check_first_stage(s, pe, gp);
    case VTD_PGTT_PASS_THROUGH:
        return s->pt ? 0 : VTD_FR_PASID_TABLE_ENTRY_INV;
    default:
        /* Second-stage and nested: not offered with x-flts=on. */
        return VTD_FR_PASID_TABLE_ENTRY_INV;
    }
}

/*
 * Simulated host: the VT-d driver's nested (stage-1) page tables, as
 * Linux 6.18's intel-iommu checks them.  The guest's first-stage table
 * pointer, address width and flags are taken at HWPT_ALLOC; what the
 * IOMMU unit cannot do is refused when the HWPT is attached to a device
 * behind it (the kernel checks at attach, since a HWPT is not tied to
 * one unit).  Invalidation entries are checked one by one and the first
 * bad one stops the batch.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/iommufd.h"

#define VTD_ECAP_NEST (1ull << 26)
#define VTD_ECAP_SRS (1ull << 31)
#define VTD_ECAP_EAFS (1ull << 34)
#define VTD_ECAP_SMTS (1ull << 43)
#define VTD_CAP_FS5LP (1ull << 60)
#define VTD_PAGE_MASK 0xfffull

static bool vtd_parent_ok(const SimIommu *iommu)
{
    return (iommu->ecap & VTD_ECAP_SMTS) && (iommu->ecap & VTD_ECAP_NEST);
}

static int vtd_alloc(const struct iommu_hwpt_alloc *cmd, const SimUaccess *ua,
                     SimNestedData *out)
{
    struct iommu_hwpt_vtd_s1 vtd;
    int r = sim_copy_data_in(ua, cmd->data_uptr, cmd->data_len, &vtd,
                             sizeof(vtd), sizeof(vtd));

    if (r) {
        return r;
    }
    out->data_type = IOMMU_HWPT_DATA_VTD_S1;
    out->s1_flags = vtd.flags;
    out->pgtbl_addr = vtd.pgtbl_addr;
    out->addr_width = vtd.addr_width;
    return 0;
}

/* What the unit behind the device must offer for this first stage. */
static int vtd_attach_ok(const SimNestedData *data, const SimIommu *iommu)
{
    if (data->addr_width != 48 &&
        (data->addr_width != 57 || !(iommu->cap & VTD_CAP_FS5LP))) {
        return -EINVAL;
    }
    if ((data->s1_flags & IOMMU_VTD_S1_SRE) && !(iommu->ecap & VTD_ECAP_SRS)) {
        return -EINVAL;
    }
    if ((data->s1_flags & IOMMU_VTD_S1_EAFE) &&
        !(iommu->ecap & VTD_ECAP_EAFS)) {
        return -EINVAL;
    }
    return 0;
}

static int vtd_inv_entry(const void *buf, SimInvEntry *out)
{
    const struct iommu_hwpt_vtd_s1_invalidate *e = buf;

    if ((e->flags & ~IOMMU_VTD_INV_FLAGS_LEAF) || e->__reserved) {
        return -EOPNOTSUPP;
    }
    if ((e->addr & VTD_PAGE_MASK) || (e->npages == UINT64_MAX && e->addr)) {
        return -EINVAL;
    }
    *out = (SimInvEntry) { e->addr, e->npages, e->flags };
    return 0;
}

const SimNestedOps sim_nested_vtd_ops = {
    .iommu_type = IOMMU_HW_INFO_TYPE_INTEL_VTD,
    .data_type = IOMMU_HWPT_DATA_VTD_S1,
    .inv_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
    .parent_ok = vtd_parent_ok,
    .alloc = vtd_alloc,
    .attach_ok = vtd_attach_ok,
    .inv_entry = vtd_inv_entry,
    .inv_entry_size = sizeof(struct iommu_hwpt_vtd_s1_invalidate),
    .inv_entry_min = sizeof(struct iommu_hwpt_vtd_s1_invalidate),
};

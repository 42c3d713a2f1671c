/*
 * intel-iommu x-flts=on: the guest's PASID entries become host objects.
 *
 * Caching mode: the model acts on invalidations, not on memory writes.
 * A PASID-cache (or context-cache) invalidation makes it read the
 * guest's tables for the PASIDs concerned and bring the host in line:
 *
 *   first-stage entry   → a VT-d stage-1 HWPT (the guest's table pointer,
 *                         address width, SRE/WPE/EAFE) on the nesting
 *                         parent, shared by every entry with the same
 *                         pointer, flags and domain, attached to the RID
 *                         for RID_PASID and with VFIO_DEVICE_ATTACH_PASID
 *                         for any other PASID;
 *   pass-through entry  → the nesting parent itself;
 *   cleared entry       → detach (the host then blocks that RID/PASID).
 *
 * The nesting parent (NEST_PARENT, and IOMMU_HWPT_ALLOC_PASID when the
 * vIOMMU advertises PASIDs) is allocated over the backend's IOAS for the
 * first binding, and the devices' RIDs move onto it before any PASID is
 * attached, as the kernel's PASID rule needs.  A change of binding
 * attaches the new HWPT first (the kernel replaces without a blocking
 * window) and only then drops the old one.
 *
 * Whatever the host cannot nest (see intel_iommu_pasid.c), and every
 * host call that fails, is a fault record with the host left as it was.
 * system_reset, GCMD.TE off and unplug undo everything, children first.
 */
#include "intel_iommu_nested.h"
#include "system/host_iommu_device.h"
#include "system/iommufd.h"

#include <inttypes.h>

/* A stage-1 HWPT, shared by the bindings with the same first stage. */
typedef struct VTDS1Hwpt {
    uint32_t id;
    uint64_t fspt;
    uint32_t addr_width;
    uint64_t s1_flags;          /* IOMMU_VTD_S1_* */
    uint16_t did;
    unsigned refs;              /* bindings on it */
    GArray *pending;            /* struct iommu_hwpt_vtd_s1_invalidate */
} VTDS1Hwpt;

/* One guest PASID of one device, as the host has it. */
typedef struct VTDPasidBind {
    uint32_t pasid;             /* the guest's */
    bool rid;                   /* it is RID_PASID: bound on the RID */
    unsigned pgtt;
    uint16_t did;
    VTDS1Hwpt *hwpt;            /* NULL: on the nesting parent */
} VTDPasidBind;

typedef struct VTDNestDev {
    PCIDevice *pdev;
    HostIOMMUDevice *hiod;
    bool off_ioas;              /* the RID left the backend's IOAS */
    GHashTable *binds;          /* guest PASID -> VTDPasidBind */
} VTDNestDev;

typedef struct VTDNest {
    IOMMUFDBackend *be;         /* of the first binding: all must share it */
    bool has_parent;
    uint32_t parent_id;
    GPtrArray *hwpts;           /* VTDS1Hwpt */
    GPtrArray *devs;            /* VTDNestDev */
    uint64_t bind_ops;          /* bindings made or changed */
    uint64_t inv_batches;       /* IOMMU_HWPT_INVALIDATE calls */
    uint64_t inv_entries;
} VTDNest;

static uint16_t vtd_sid_of(PCIDevice *pdev)
{
    return (uint16_t)(pci_bus_num(pdev->bus) << 8 | (pdev->devfn & 0xff));
}

static void vtd_s1_free(gpointer p)
{
    VTDS1Hwpt *h = p;

    g_array_unref(h->pending);
    g_free(h);
}

static void vtd_nest_dev_free(gpointer p)
{
    VTDNestDev *nd = p;

    g_hash_table_unref(nd->binds);
    g_free(nd);
}

static VTDNest *vtd_nest_get(IntelIOMMUState *s)
{
    if (!s->nest) {
        s->nest = g_new0(VTDNest, 1);
        s->nest->hwpts = g_ptr_array_new_with_free_func(vtd_s1_free);
        s->nest->devs = g_ptr_array_new_with_free_func(vtd_nest_dev_free);
    }
    return s->nest;
}

static bool vtd_nest_active(IntelIOMMUState *s)
{
    return s->flts && (vtd_reg_get(s, DMAR_GSTS_REG, 4) & VTD_GSTS_TES);
}

static VTDNestDev *vtd_nest_dev_find(IntelIOMMUState *s, PCIDevice *pdev)
{
    for (guint i = 0; s->nest && i < s->nest->devs->len; i++) {
        VTDNestDev *nd = s->nest->devs->pdata[i];

        if (nd->pdev == pdev) {
            return nd;
        }
    }
    return NULL;
}

static VTDNestDev *vtd_nest_dev_get(IntelIOMMUState *s,
                                    VIOMMUHostDevice *d)
{
    VTDNestDev *nd = vtd_nest_dev_find(s, d->pdev);

    if (!nd) {
        nd = g_new0(VTDNestDev, 1);
        nd->pdev = d->pdev;
        nd->hiod = d->hiod;
        nd->binds = g_hash_table_new_full(NULL, NULL, NULL, g_free);
        g_ptr_array_add(vtd_nest_get(s)->devs, nd);
    }
    return nd;
}

/* ---- host objects, each step with its undo ---- */

static bool vtd_parent_get(IntelIOMMUState *s, VTDNestDev *nd, Error **errp)
{
    VTDNest *n = vtd_nest_get(s);
    IOMMUFDBackend *be = nd->hiod->iommufd;
    uint32_t flags = IOMMU_HWPT_ALLOC_NEST_PARENT;

    if (n->has_parent) {
        if (be != n->be) {
            error_setg(errp, "%s: its iommufd backend is not the one of the "
                       "nesting parent", nd->hiod->name);
            return false;
        }
        return true;
    }
    /* Every PASID the guest may use needs a PASID-capable parent. */
    if (s->host.width) {
        flags |= IOMMU_HWPT_ALLOC_PASID;
    }
    if (!iommufd_backend_alloc_hwpt(be, nd->hiod->devid, be->ioas_id, flags,
                                    IOMMU_HWPT_DATA_NONE, 0, NULL,
                                    &n->parent_id, errp)) {
        return false;
    }
    n->be = be;
    n->has_parent = true;
    return true;
}

/* The parent goes once no RID is off the IOAS and no stage 1 is left. */
static void vtd_parent_put(IntelIOMMUState *s)
{
    VTDNest *n = s->nest;

    if (!n || !n->has_parent || n->hwpts->len) {
        return;
    }
    for (guint i = 0; i < n->devs->len; i++) {
        if (((VTDNestDev *)n->devs->pdata[i])->off_ioas) {
            return;
        }
    }
    iommufd_backend_free_id(n->be, n->parent_id);
    n->has_parent = false;
    n->be = NULL;
}

static VTDS1Hwpt *vtd_s1_find(VTDNest *n, const VTDGuestPasid *gp,
                              uint64_t s1_flags)
{
    for (guint i = 0; i < n->hwpts->len; i++) {
        VTDS1Hwpt *h = n->hwpts->pdata[i];

        if (h->fspt == gp->fspt && h->addr_width == gp->addr_width &&
            h->s1_flags == s1_flags && h->did == gp->did) {
            return h;
        }
    }
    return NULL;
}

/* The shared stage-1 HWPT for @gp, allocated if new (refs 0). */
static VTDS1Hwpt *vtd_s1_get(IntelIOMMUState *s, VTDNestDev *nd,
                             const VTDGuestPasid *gp, Error **errp)
{
    VTDNest *n = s->nest;
    uint64_t s1_flags = (gp->sre ? IOMMU_VTD_S1_SRE : 0) |
                        (gp->wpe ? IOMMU_VTD_S1_WPE : 0) |
                        (gp->eafe ? IOMMU_VTD_S1_EAFE : 0);
    struct iommu_hwpt_vtd_s1 data = {
        .flags = s1_flags, .pgtbl_addr = gp->fspt,
        .addr_width = gp->addr_width,
    };
    VTDS1Hwpt *h = vtd_s1_find(n, gp, s1_flags);
    uint32_t id;

    if (h) {
        return h;
    }
    if (!iommufd_backend_alloc_hwpt(n->be, nd->hiod->devid, n->parent_id,
                                    s->host.width ? IOMMU_HWPT_ALLOC_PASID
                                                  : 0,
                                    IOMMU_HWPT_DATA_VTD_S1, sizeof(data),
                                    &data, &id, errp)) {
        return NULL;
    }
    h = g_new0(VTDS1Hwpt, 1);
    h->id = id;
    h->fspt = gp->fspt;
    h->addr_width = gp->addr_width;
    h->s1_flags = s1_flags;
    h->did = gp->did;
    h->pending = g_array_new(false, false,
                             sizeof(struct iommu_hwpt_vtd_s1_invalidate));
    g_ptr_array_add(n->hwpts, h);
    return h;
}

static void vtd_s1_put(IntelIOMMUState *s, VTDS1Hwpt *h)
{
    if (h && !h->refs) {
        iommufd_backend_free_id(s->nest->be, h->id);
        g_ptr_array_remove(s->nest->hwpts, h);
    }
}

/* Move the RID off the IOAS onto the parent, for PASIDs to follow. */
static bool vtd_rid_to_parent(IntelIOMMUState *s, VTDNestDev *nd,
                              Error **errp)
{
    if (nd->off_ioas) {
        return true;
    }
    if (!host_iommu_device_attach_hwpt(nd->hiod, HOST_IOMMU_NO_PASID,
                                       s->nest->parent_id, errp)) {
        return false;
    }
    nd->off_ioas = true;
    return true;
}

/* Back to the backend's IOAS: the state before any binding. */
static bool vtd_rid_to_ioas(IntelIOMMUState *s, VTDNestDev *nd,
                            Error **errp)
{
    if (!nd->off_ioas) {
        return true;
    }
    if (!host_iommu_device_attach_hwpt(nd->hiod, HOST_IOMMU_NO_PASID,
                                       nd->hiod->iommufd->ioas_id, errp)) {
        return false;
    }
    nd->off_ioas = false;
    return true;
}

/* ---- bindings ---- */

static uint32_t vtd_bind_host_pasid(const VTDPasidBind *b)
{
    return b->rid ? HOST_IOMMU_NO_PASID : b->pasid;
}

/*
 * Bind @gp (present, checked) on @nd: every host step is undone if a
 * later one fails, so a failure leaves the host as it was.
 */
static bool vtd_bind(IntelIOMMUState *s, VTDNestDev *nd, bool rid,
                     const VTDGuestPasid *gp, Error **errp)
{
    VTDPasidBind *old = g_hash_table_lookup(nd->binds,
                                            GUINT_TO_POINTER(gp->pasid));
    bool fresh_parent = !s->nest || !s->nest->has_parent;
    bool moved = !nd->off_ioas;
    VTDS1Hwpt *h = NULL;
    VTDPasidBind *b;

    if (!vtd_parent_get(s, nd, errp)) {
        return false;
    }
    if (gp->pgtt == VTD_PGTT_FIRST_STAGE) {
        h = vtd_s1_get(s, nd, gp, errp);
    }
    if ((gp->pgtt == VTD_PGTT_FIRST_STAGE && !h) ||
        (!rid && !vtd_rid_to_parent(s, nd, errp))) {
        goto undo;
    }
    if (old && old->hwpt == h && old->rid == rid) {
        return true;                /* nothing changed for the host */
    }
    if (!host_iommu_device_attach_hwpt(nd->hiod,
                                       rid ? HOST_IOMMU_NO_PASID : gp->pasid,
                                       h ? h->id : s->nest->parent_id,
                                       errp)) {
        goto undo;
    }
    if (rid) {
        nd->off_ioas = true;
    }
    if (h) {
        h->refs++;
    }
    if (old && old->hwpt) {
        old->hwpt->refs--;
        vtd_s1_put(s, old->hwpt);
    }
    b = g_new0(VTDPasidBind, 1);
    *b = (VTDPasidBind) { gp->pasid, rid, gp->pgtt, gp->did, h };
    g_hash_table_replace(nd->binds, GUINT_TO_POINTER(gp->pasid), b);
    s->nest->bind_ops++;
    return true;

undo:
    if (moved && !rid && nd->off_ioas) {
        vtd_rid_to_ioas(s, nd, NULL);
    }
    vtd_s1_put(s, h);
    if (fresh_parent) {
        vtd_parent_put(s);
    }
    return false;
}

/* Detach what @b put on the host; the RID/PASID then blocks DMA. */
static bool vtd_unbind(IntelIOMMUState *s, VTDNestDev *nd, VTDPasidBind *b,
                       Error **errp)
{
    VTDS1Hwpt *h = b->hwpt;

    if (!host_iommu_device_detach_hwpt(nd->hiod, vtd_bind_host_pasid(b),
                                       errp)) {
        return false;
    }
    g_hash_table_remove(nd->binds, GUINT_TO_POINTER(b->pasid));
    if (h) {
        h->refs--;
        vtd_s1_put(s, h);
    }
    s->nest->bind_ops++;
    return true;
}

/* @pasid may be used on @nd: the device's and the vIOMMU's widths. */
static bool vtd_pasid_usable(IntelIOMMUState *s, VTDNestDev *nd,
                             uint32_t pasid)
{
    uint8_t dev_width = nd->hiod->caps.max_pasid_log2;

    return pasid && dev_width && pasid < (1U << dev_width) &&
           pasid < (1U << s->host.width);
}

static void vtd_nest_fail(IntelIOMMUState *s, uint16_t sid, uint32_t pasid,
                          Error *err)
{
    warn_report("intel-iommu: PASID %u of %02x:%02x.%x: %s", pasid,
                sid >> 8, PCI_SLOT(sid & 0xff), PCI_FUNC(sid & 0xff),
                error_get_pretty(err));
    error_free(err);
    vtd_record_fault(s, sid, true, pasid, VTD_FR_PASID_TABLE_ENTRY_INV);
}

/* Bring @pasid of @nd in line with the guest's tables. */
static void vtd_nest_sync(IntelIOMMUState *s, VIOMMUHostDevice *d,
                          uint32_t pasid)
{
    VTDNestDev *nd = vtd_nest_dev_get(s, d);
    VTDPasidBind *b = g_hash_table_lookup(nd->binds,
                                          GUINT_TO_POINTER(pasid));
    uint16_t sid = vtd_sid_of(d->pdev);
    Error *err = NULL;
    VTDGuestPasid gp = { 0 };
    VTDContext ctx;
    int r = vtd_read_context(s, sid, &ctx);

    if (!r && ctx.present) {
        r = vtd_read_pasid_entry(s, &ctx, pasid, &gp);
    }
    if (r) {
        if (!ctx.fpd && !gp.fpd) {
            vtd_record_fault(s, sid, true, pasid, r);
        }
        return;
    }
    /* Without PASID-enable only RID_PASID is in use: the rest block. */
    if (!ctx.present || !gp.present ||
        (pasid != ctx.rid_pasid && !ctx.pasid_enable)) {
        if (b && !vtd_unbind(s, nd, b, &err)) {
            vtd_nest_fail(s, sid, pasid, err);
        }
        return;
    }
    if (pasid != ctx.rid_pasid && !vtd_pasid_usable(s, nd, pasid)) {
        vtd_record_fault(s, sid, true, pasid, VTD_FR_PASID_TABLE_ENTRY_INV);
        return;
    }
    if (!vtd_bind(s, nd, pasid == ctx.rid_pasid, &gp, &err)) {
        vtd_nest_fail(s, sid, pasid, err);
    }
}

static VIOMMUHostDevice *vtd_nest_host_dev(IntelIOMMUState *s, guint i)
{
    VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);

    return d->hiod && d->hiod->iommufd && d->hiod->ops ? d : NULL;
}

/* The guest PASIDs of @d worth re-reading: bound ones and RID_PASID. */
static GArray *vtd_nest_known_pasids(IntelIOMMUState *s, VIOMMUHostDevice *d,
                                     bool any_did, uint16_t did)
{
    GArray *pasids = g_array_new(false, false, sizeof(uint32_t));
    VTDNestDev *nd = vtd_nest_dev_find(s, d->pdev);
    GHashTableIter it;
    VTDPasidBind *b;
    VTDContext ctx;

    if (!vtd_read_context(s, vtd_sid_of(d->pdev), &ctx) && ctx.present &&
        !(nd && g_hash_table_contains(nd->binds,
                                      GUINT_TO_POINTER(ctx.rid_pasid)))) {
        g_array_append_val(pasids, ctx.rid_pasid);
    }
    if (nd) {
        g_hash_table_iter_init(&it, nd->binds);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *)&b)) {
            if (any_did || b->did == did) {
                g_array_append_val(pasids, b->pasid);
            }
        }
    }
    return pasids;
}

static void vtd_nest_sync_known(IntelIOMMUState *s, VIOMMUHostDevice *d,
                                bool any_did, uint16_t did)
{
    g_autoptr(GArray) pasids = vtd_nest_known_pasids(s, d, any_did, did);

    for (guint i = 0; i < pasids->len; i++) {
        vtd_nest_sync(s, d, g_array_index(pasids, uint32_t, i));
    }
}

void vtd_nest_pasid_cache_inv(IntelIOMMUState *s, unsigned g, uint16_t did,
                              uint32_t pasid)
{
    if (!vtd_nest_active(s)) {
        return;
    }
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = vtd_nest_host_dev(s, i);

        if (!d) {
            continue;
        }
        if (g == VTD_PC_G_PASID) {
            vtd_nest_sync(s, d, pasid);
        } else {
            vtd_nest_sync_known(s, d, g == VTD_PC_G_GLOBAL, did);
        }
    }
}

void vtd_nest_context_cache_inv(IntelIOMMUState *s, bool all, uint16_t sid)
{
    if (!vtd_nest_active(s)) {
        return;
    }
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = vtd_nest_host_dev(s, i);

        if (d && (all || vtd_sid_of(d->pdev) == sid)) {
            vtd_nest_sync_known(s, d, true, 0);
        }
    }
}

/* ---- invalidations, batched per stage-1 HWPT ---- */

static void vtd_s1_queue(VTDS1Hwpt *h, uint64_t addr, uint64_t npages,
                         bool leaf)
{
    struct iommu_hwpt_vtd_s1_invalidate e = {
        .addr = npages == UINT64_MAX ? 0 : addr,
        .npages = npages,
        .flags = leaf ? IOMMU_VTD_INV_FLAGS_LEAF : 0,
    };
    struct iommu_hwpt_vtd_s1_invalidate *last = h->pending->len ?
        &g_array_index(h->pending, struct iommu_hwpt_vtd_s1_invalidate,
                       h->pending->len - 1) : NULL;

    /* Two bindings on one HWPT ask for the same range once. */
    if (!last || memcmp(last, &e, sizeof(e))) {
        g_array_append_val(h->pending, e);
    }
}

void vtd_nest_iotlb_inv(IntelIOMMUState *s, bool any_did, uint16_t did,
                        bool any_pasid, uint32_t pasid, uint64_t addr,
                        uint64_t npages, bool leaf)
{
    GHashTableIter it;
    VTDPasidBind *b;

    if (!s->nest) {
        return;
    }
    for (guint i = 0; i < s->nest->devs->len; i++) {
        VTDNestDev *nd = s->nest->devs->pdata[i];

        g_hash_table_iter_init(&it, nd->binds);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *)&b)) {
            if (b->hwpt && (any_did || b->did == did) &&
                (any_pasid || b->pasid == pasid)) {
                vtd_s1_queue(b->hwpt, addr, npages, leaf);
            }
        }
    }
}

void vtd_nest_flush(IntelIOMMUState *s)
{
    for (guint i = 0; s->nest && i < s->nest->hwpts->len; i++) {
        VTDS1Hwpt *h = s->nest->hwpts->pdata[i];
        uint32_t num = h->pending->len;
        Error *err = NULL;

        if (!num) {
            continue;
        }
        s->nest->inv_batches++;
        if (!iommufd_backend_invalidate_cache(
                s->nest->be, h->id, IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
                sizeof(struct iommu_hwpt_vtd_s1_invalidate), &num,
                h->pending->data, &err)) {
            warn_report_err(err);
            vtd_record_fault(s, 0, false, 0, VTD_FR_PASID_TABLE_ENTRY_INV);
        }
        s->nest->inv_entries += num;
        g_array_set_size(h->pending, 0);
    }
}

/* ---- undo ---- */

/* Children first: PASIDs, then the RID back to the IOAS, then HWPTs. */
static void vtd_nest_dev_undo(IntelIOMMUState *s, VTDNestDev *nd)
{
    GHashTableIter it;
    VTDPasidBind *b;
    Error *err = NULL;

    g_hash_table_iter_init(&it, nd->binds);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&b)) {
        if (!b->rid && !host_iommu_device_detach_hwpt(nd->hiod, b->pasid,
                                                      &err)) {
            warn_report_err(g_steal_pointer(&err));
        }
    }
    if (!vtd_rid_to_ioas(s, nd, &err)) {
        warn_report_err(g_steal_pointer(&err));
        nd->off_ioas = false;
    }
    g_hash_table_iter_init(&it, nd->binds);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&b)) {
        if (b->hwpt) {
            b->hwpt->refs--;
            vtd_s1_put(s, b->hwpt);
        }
        g_hash_table_iter_remove(&it);
    }
}

void vtd_host_device_gone(DeviceState *owner, PCIDevice *pdev)
{
    vtd_nest_device_gone(INTEL_IOMMU_DEVICE(owner), pdev);
}

void vtd_nest_device_gone(IntelIOMMUState *s, PCIDevice *pdev)
{
    VTDNestDev *nd = vtd_nest_dev_find(s, pdev);

    if (!nd) {
        return;
    }
    vtd_nest_dev_undo(s, nd);
    g_ptr_array_remove(s->nest->devs, nd);
    vtd_parent_put(s);
}

void vtd_nest_reset(IntelIOMMUState *s)
{
    if (!s->nest) {
        return;
    }
    for (guint i = 0; i < s->nest->hwpts->len; i++) {
        g_array_set_size(((VTDS1Hwpt *)s->nest->hwpts->pdata[i])->pending, 0);
    }
    while (s->nest->devs->len) {
        vtd_nest_device_gone(s, ((VTDNestDev *)s->nest->devs->pdata[0])->pdev);
    }
    vtd_parent_put(s);
}

void vtd_nest_free(IntelIOMMUState *s)
{
    if (s->nest) {
        g_ptr_array_unref(s->nest->hwpts);
        g_ptr_array_unref(s->nest->devs);
        g_clear_pointer(&s->nest, g_free);
    }
}

/* ---- introspection ---- */

static gint vtd_bind_cmp(gconstpointer a, gconstpointer b)
{
    const VTDPasidBind *x = *(VTDPasidBind *const *)a;
    const VTDPasidBind *y = *(VTDPasidBind *const *)b;

    return x->pasid < y->pasid ? -1 : x->pasid > y->pasid;
}

static GPtrArray *vtd_binds_sorted(VTDNestDev *nd)
{
    GPtrArray *arr = g_ptr_array_new();
    GHashTableIter it;
    gpointer b;

    g_hash_table_iter_init(&it, nd->binds);
    while (g_hash_table_iter_next(&it, NULL, &b)) {
        g_ptr_array_add(arr, b);
    }
    g_ptr_array_sort(arr, vtd_bind_cmp);
    return arr;
}

static const char *vtd_pgtt_name(unsigned pgtt)
{
    return pgtt == VTD_PGTT_FIRST_STAGE ? "first-stage" : "pass-through";
}

void vtd_nest_query_device(IntelIOMMUState *s, PCIDevice *pdev,
                           JsonBuilder *b)
{
    VTDNestDev *nd = vtd_nest_dev_find(s, pdev);
    g_autoptr(GPtrArray) binds = nd ? vtd_binds_sorted(nd) : NULL;

    json_builder_set_member_name(b, "pasids");
    json_builder_begin_array(b);
    for (guint i = 0; binds && i < binds->len; i++) {
        VTDPasidBind *pb = binds->pdata[i];

        json_builder_begin_object(b);
        viommu_json_int(b, "pasid", pb->pasid);
        viommu_json_bool(b, "rid-pasid", pb->rid);
        viommu_json_str(b, "pgtt", vtd_pgtt_name(pb->pgtt));
        viommu_json_int(b, "did", pb->did);
        viommu_json_hex(b, "fspt", pb->hwpt ? pb->hwpt->fspt : 0);
        viommu_json_int(b, "addr-width", pb->hwpt ? pb->hwpt->addr_width
                                                  : 0);
        viommu_json_int(b, "hwpt", pb->hwpt ? pb->hwpt->id
                                            : s->nest->parent_id);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

void vtd_nest_query(IntelIOMMUState *s, JsonBuilder *b)
{
    VTDNest *n = s->nest;

    json_builder_set_member_name(b, "nesting");
    json_builder_begin_object(b);
    viommu_json_bool(b, "active", vtd_nest_active(s));
    json_builder_set_member_name(b, "parent-hwpt");
    if (n && n->has_parent) {
        json_builder_add_int_value(b, n->parent_id);
    } else {
        json_builder_add_null_value(b);
    }
    viommu_json_int(b, "s1-hwpts", n ? n->hwpts->len : 0);
    viommu_json_int(b, "bind-ops", n ? n->bind_ops : 0);
    viommu_json_int(b, "invalidate-batches", n ? n->inv_batches : 0);
    viommu_json_int(b, "invalidate-entries", n ? n->inv_entries : 0);
    viommu_json_int(b, "faults", s->faults);
    viommu_json_int(b, "qi-descriptors", s->qi_descs);
    json_builder_end_object(b);
}

void vtd_nest_hmp_info(IntelIOMMUState *s, PCIDevice *pdev, GString *out)
{
    VTDNestDev *nd = vtd_nest_dev_find(s, pdev);
    g_autoptr(GPtrArray) binds = nd ? vtd_binds_sorted(nd) : NULL;

    for (guint i = 0; binds && i < binds->len; i++) {
        VTDPasidBind *pb = binds->pdata[i];

        g_string_append_printf(out, "    pasid %u%s: %s", pb->pasid,
                               pb->rid ? " (RID_PASID)" : "",
                               vtd_pgtt_name(pb->pgtt));
        if (pb->hwpt) {
            g_string_append_printf(out, " fspt 0x%" PRIx64 " aw %u",
                                   pb->hwpt->fspt, pb->hwpt->addr_width);
        }
        g_string_append_printf(out, " did %u -> hwpt %u\n", pb->did,
                               pb->hwpt ? pb->hwpt->id : s->nest->parent_id);
    }
}

void vtd_nest_hmp_summary(IntelIOMMUState *s, GString *out)
{
    VTDNest *n = s->nest;

    g_string_append_printf(out, "  nesting: %s, parent hwpt ",
                           vtd_nest_active(s) ? "active" : "inactive");
    if (n && n->has_parent) {
        g_string_append_printf(out, "%u", n->parent_id);
    } else {
        g_string_append(out, "none");
    }
    g_string_append_printf(out, ", %u stage-1 hwpts, %" PRIu64 " bind ops, "
                           "%" PRIu64 " invalidation batches (%" PRIu64
                           " entries), %" PRIu64 " faults\n",
                           n ? n->hwpts->len : 0, n ? n->bind_ops : 0,
                           n ? n->inv_batches : 0, n ? n->inv_entries : 0,
                           s->faults);
}

/*
 * arm-smmuv3 accel=on: the guest's stream table entries become host
 * objects (DESIGN §11).
 *
 * Per host SMMUv3 behind this vSMMU: one nesting parent on the backend's
 * IOAS (guest RAM) and one vIOMMU (IOMMU_VIOMMU_ALLOC, ARM_SMMUV3) on
 * it.  Which host SMMU a device sits behind is the kernel's to say: a
 * vDEVICE on another unit's vIOMMU is EINVAL, so a device joins the
 * first vIOMMU that takes its vDEVICE, else gets its own.
 *
 * Per device: a vDEVICE whose virt_id is its guest StreamID (recreated
 * when the guest renumbers buses) and one nested HWPT carrying its
 * configuration, replaced (attach first, then the old one destroyed, so
 * the host never blocks in between):
 *
 *   SMMUEN=1     the guest STE's words 0 and 1, masked to the fields
 *                the kernel takes (translate, bypass, abort; V=0 aborts);
 *   SMMUEN=0     GBPA.ABORT: an abort STE; else nothing: the device is
 *                back on the IOAS, which translates as bypass does.
 *
 * An STE the vSMMU cannot find aborts, with its event (as hardware
 * does).  A host refusal leaves the host as it was and is a C_BAD_STE
 * event (and a command error for CFGI_STE, smmuv3-queue.c).  CD, TLB and ATC
 * invalidations wait per host vIOMMU for the next CMD_SYNC; those naming
 * a StreamID go only to the vIOMMU of the device with that vSID.
 * system_reset, SMMUEN=0 and unplug undo everything, children first:
 * the RID back to the IOAS, then HWPT, vDEVICE, vIOMMU, parent.
 */
#include "smmuv3-internal.h"
#include "system/iommufd.h"

#include <errno.h>
#include <inttypes.h>

typedef struct SMMUHostViommu {
    IOMMUFDBackend *be;
    uint32_t parent_id;
    uint32_t viommu_id;
    unsigned devs;              /* devices on it */
    GArray *pending;            /* struct iommu_viommu_arm_smmuv3_invalidate */
    GArray *pending_pos;        /* uint32_t: each one's CMDQ position */
} SMMUHostViommu;

typedef struct SMMUNestDev {
    PCIDevice *pdev;
    HostIOMMUDevice *hiod;
    SMMUHostViommu *hv;         /* NULL: nothing on the host */
    bool has_vdev;
    uint32_t vdev_id;
    uint32_t vsid;
    bool has_hwpt;
    uint32_t hwpt_id;
    uint64_t ste[2];            /* what the HWPT carries */
} SMMUNestDev;

typedef struct SMMUNest {
    GPtrArray *hvs;             /* SMMUHostViommu */
    GPtrArray *devs;            /* SMMUNestDev */
    uint64_t ste_installs;
    uint64_t inv_batches;
    uint64_t inv_entries;
    uint64_t refusals;
} SMMUNest;

static void smmu_hv_free(gpointer p)
{
    SMMUHostViommu *hv = p;

    g_array_unref(hv->pending);
    g_array_unref(hv->pending_pos);
    g_free(hv);
}

static SMMUNest *smmu_nest_get(SMMUv3State *s)
{
    if (!s->nest) {
        s->nest = g_new0(SMMUNest, 1);
        s->nest->hvs = g_ptr_array_new_with_free_func(smmu_hv_free);
        s->nest->devs = g_ptr_array_new_with_free_func(g_free);
    }
    return s->nest;
}

static SMMUNestDev *smmu_nest_dev_find(SMMUv3State *s, PCIDevice *pdev)
{
    for (guint i = 0; s->nest && i < s->nest->devs->len; i++) {
        SMMUNestDev *nd = s->nest->devs->pdata[i];

        if (nd->pdev == pdev) {
            return nd;
        }
    }
    return NULL;
}

static SMMUNestDev *smmu_nest_dev_get(SMMUv3State *s, VIOMMUHostDevice *d)
{
    SMMUNestDev *nd = smmu_nest_dev_find(s, d->pdev);

    if (!nd) {
        nd = g_new0(SMMUNestDev, 1);
        nd->pdev = d->pdev;
        nd->hiod = d->hiod;
        g_ptr_array_add(smmu_nest_get(s)->devs, nd);
    }
    return nd;
}

/* ---- host vIOMMUs ---- */

static SMMUHostViommu *smmu_hv_new(SMMUv3State *s, SMMUNestDev *nd,
                                   Error **errp)
{
    IOMMUFDBackend *be = nd->hiod->iommufd;
    SMMUHostViommu *hv = g_new0(SMMUHostViommu, 1);

    if (!iommufd_backend_alloc_hwpt(be, nd->hiod->devid, be->ioas_id,
                                    IOMMU_HWPT_ALLOC_NEST_PARENT,
                                    IOMMU_HWPT_DATA_NONE, 0, NULL,
                                    &hv->parent_id, errp)) {
        g_free(hv);
        return NULL;
    }
    if (!iommufd_backend_alloc_viommu(be, nd->hiod->devid,
                                      IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
                                      hv->parent_id, &hv->viommu_id, errp)) {
        iommufd_backend_free_id(be, hv->parent_id);
        g_free(hv);
        return NULL;
    }
    hv->be = be;
    hv->pending = g_array_new(false, false,
                              sizeof(struct iommu_viommu_arm_smmuv3_invalidate));
    hv->pending_pos = g_array_new(false, false, sizeof(uint32_t));
    g_ptr_array_add(smmu_nest_get(s)->hvs, hv);
    return hv;
}

/* The vIOMMU goes with its last device, then its parent. */
static void smmu_hv_put(SMMUv3State *s, SMMUHostViommu *hv)
{
    if (hv && !hv->devs) {
        iommufd_backend_free_id(hv->be, hv->viommu_id);
        iommufd_backend_free_id(hv->be, hv->parent_id);
        g_ptr_array_remove(s->nest->hvs, hv);
    }
}

/* ---- per device: vDEVICE, nested HWPT ---- */

static bool smmu_vdev_alloc(SMMUNestDev *nd, SMMUHostViommu *hv,
                            uint32_t vsid, Error **errp)
{
    if (!iommufd_backend_alloc_vdevice(hv->be, nd->hiod->devid,
                                       hv->viommu_id, vsid, &nd->vdev_id,
                                       errp)) {
        return false;
    }
    nd->has_vdev = true;
    nd->vsid = vsid;
    if (!nd->hv) {
        nd->hv = hv;
        hv->devs++;
    }
    return true;
}

/*
 * Give @nd a vDEVICE for @vsid, on the vIOMMU of its host SMMU;
 * *@renumbered if it replaced one with another vSID.
 */
static bool smmu_vdev_get(SMMUv3State *s, SMMUNestDev *nd, uint32_t vsid,
                          bool *renumbered, Error **errp)
{
    SMMUHostViommu *hv;

    *renumbered = false;
    if (nd->has_vdev && nd->vsid == vsid) {
        return true;
    }
    if (nd->has_vdev) {
        /* The guest renumbered the bus: the old vSID is gone. */
        iommufd_backend_free_id(nd->hv->be, nd->vdev_id);
        nd->has_vdev = false;
        *renumbered = true;
    }
    if (nd->hv) {
        return smmu_vdev_alloc(nd, nd->hv, vsid, errp);
    }
    for (guint i = 0; i < s->nest->hvs->len; i++) {
        Error *err = NULL;

        hv = s->nest->hvs->pdata[i];
        if (hv->be != nd->hiod->iommufd) {
            continue;
        }
        if (smmu_vdev_alloc(nd, hv, vsid, &err)) {
            return true;
        }
        if (errno != EINVAL) {
            error_propagate(errp, err);
            return false;
        }
        error_free(err);            /* another host SMMU's vIOMMU */
    }
    hv = smmu_hv_new(s, nd, errp);
    if (!hv) {
        return false;
    }
    if (!smmu_vdev_alloc(nd, hv, vsid, errp)) {
        smmu_hv_put(s, hv);
        return false;
    }
    return true;
}

/* Back to the state before the guest configured anything. */
static void smmu_nest_dev_undo(SMMUv3State *s, SMMUNestDev *nd)
{
    Error *err = NULL;

    if (nd->has_hwpt) {
        if (!host_iommu_device_attach_hwpt(nd->hiod, HOST_IOMMU_NO_PASID,
                                           nd->hiod->iommufd->ioas_id,
                                           &err)) {
            warn_report_err(g_steal_pointer(&err));
        }
        iommufd_backend_free_id(nd->hv->be, nd->hwpt_id);
        nd->has_hwpt = false;
    }
    if (nd->has_vdev) {
        iommufd_backend_free_id(nd->hv->be, nd->vdev_id);
        nd->has_vdev = false;
    }
    if (nd->hv) {
        nd->hv->devs--;
        smmu_hv_put(s, g_steal_pointer(&nd->hv));
    }
}

/*
 * Put @nd on a nested HWPT carrying @ste, for StreamID @vsid.  A failure
 * leaves the host as it was (a vDEVICE just renumbered aside).
 */
static bool smmu_nest_install(SMMUv3State *s, SMMUNestDev *nd,
                              const uint64_t ste[2], uint32_t vsid,
                              Error **errp)
{
    bool fresh = !nd->hv;
    struct iommu_hwpt_arm_smmuv3 data = {
        .ste = { GUINT64_TO_LE(ste[0]), GUINT64_TO_LE(ste[1]) },
    };
    bool renumbered;
    uint32_t id;

    if (!smmu_vdev_get(s, nd, vsid, &renumbered, errp)) {
        return false;
    }
    /* A new vSID takes a new attach: the kernel reads it there. */
    if (nd->has_hwpt && nd->ste[0] == ste[0] && nd->ste[1] == ste[1] &&
        !renumbered) {
        return true;
    }
    if (!iommufd_backend_alloc_hwpt(nd->hv->be, nd->hiod->devid,
                                    nd->hv->viommu_id, 0,
                                    IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(data),
                                    &data, &id, errp)) {
        goto undo;
    }
    if (!host_iommu_device_attach_hwpt(nd->hiod, HOST_IOMMU_NO_PASID, id,
                                       errp)) {
        iommufd_backend_free_id(nd->hv->be, id);
        goto undo;
    }
    if (nd->has_hwpt) {
        iommufd_backend_free_id(nd->hv->be, nd->hwpt_id);
    }
    nd->has_hwpt = true;
    nd->hwpt_id = id;
    nd->ste[0] = ste[0];
    nd->ste[1] = ste[1];
    s->nest->ste_installs++;
    return true;

undo:
    if (fresh) {
        smmu_nest_dev_undo(s, nd);
    }
    return false;
}

static bool smmu_enabled(SMMUv3State *s)
{
    return smmuv3_reg_get(s, A_CR0ACK) & SMMU_CR0_SMMUEN;
}

static bool smmu_gbpa_abort(SMMUv3State *s)
{
    return smmuv3_reg_get(s, A_GBPA) & SMMU_GBPA_ABORT;
}

/* Bring @d's host objects in line with the guest; false: refused. */
static bool smmu_nest_sync(SMMUv3State *s, VIOMMUHostDevice *d)
{
    uint32_t sid = smmuv3_sid_of(d->pdev);
    SMMUNestDev *nd = smmu_nest_dev_get(s, d);
    uint64_t ste[2] = { SMMU_STE0_V, 0 };          /* abort */
    Error *err = NULL;
    int event;

    if (!smmu_enabled(s) && !smmu_gbpa_abort(s)) {
        smmu_nest_dev_undo(s, nd);
        return true;
    }
    if (smmu_enabled(s)) {
        event = smmuv3_read_ste(s, sid, ste);
        if (event) {
            /* As hardware: the device's transactions abort, and say so. */
            smmuv3_event(s, event, sid);
            ste[0] = SMMU_STE0_V;
            ste[1] = 0;
        }
        ste[0] = (ste[0] & SMMU_STE0_V) ? ste[0] & SMMU_STE0_NEST_ALLOWED : 0;
        ste[1] = ste[0] ? ste[1] & SMMU_STE1_NEST_ALLOWED : 0;
    }
    if (!smmu_nest_install(s, nd, ste, sid, &err)) {
        warn_report("arm-smmuv3: StreamID 0x%x (%s): %s", sid, d->name,
                    error_get_pretty(err));
        error_free(err);
        s->nest->refusals++;
        smmuv3_event(s, SMMU_EVT_C_BAD_STE, sid);
        return false;
    }
    return true;
}

static VIOMMUHostDevice *smmu_nest_host_dev(SMMUv3State *s, guint i)
{
    VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);

    return s->accel && d->hiod && d->hiod->iommufd && d->hiod->ops ? d
                                                                   : NULL;
}

bool smmuv3_nest_cfgi_ste(SMMUv3State *s, uint32_t first, uint32_t last)
{
    bool ok = true;

    if (!smmu_enabled(s)) {
        return true;                /* the STEs are not in use */
    }
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = smmu_nest_host_dev(s, i);
        uint32_t sid = d ? smmuv3_sid_of(d->pdev) : 0;

        if (d && sid >= first && sid <= last) {
            ok &= smmu_nest_sync(s, d);
        }
    }
    return ok;
}

void smmuv3_nest_config_changed(SMMUv3State *s)
{
    if (!smmu_enabled(s)) {
        smmuv3_nest_reset(s);
    }
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = smmu_nest_host_dev(s, i);

        if (d) {
            smmu_nest_sync(s, d);
        }
    }
}

/* ---- invalidations, batched per host vIOMMU ---- */

static void smmu_hv_queue(SMMUHostViommu *hv, const uint64_t cmd[2],
                          uint32_t pos)
{
    struct iommu_viommu_arm_smmuv3_invalidate e = {
        .cmd = { GUINT64_TO_LE(cmd[0]), GUINT64_TO_LE(cmd[1]) },
    };

    g_array_append_val(hv->pending, e);
    g_array_append_val(hv->pending_pos, pos);
}

void smmuv3_nest_queue_inv(SMMUv3State *s, const uint64_t cmd[2],
                           uint32_t pos)
{
    unsigned op = SMMU_CMD_OP(cmd[0]);

    if (!s->nest) {
        return;
    }
    if (op == CMD_CFGI_CD || op == CMD_CFGI_CD_ALL || op == CMD_ATC_INV) {
        for (guint i = 0; i < s->nest->devs->len; i++) {
            SMMUNestDev *nd = s->nest->devs->pdata[i];

            if (nd->has_vdev && nd->vsid == SMMU_CMD_SID(cmd[0])) {
                smmu_hv_queue(nd->hv, cmd, pos);
                return;
            }
        }
        return;                     /* no host device has that StreamID */
    }
    for (guint i = 0; i < s->nest->hvs->len; i++) {
        smmu_hv_queue(s->nest->hvs->pdata[i], cmd, pos);
    }
}

bool smmuv3_nest_flush(SMMUv3State *s, uint32_t *bad)
{
    bool ok = true;

    for (guint i = 0; s->nest && i < s->nest->hvs->len; i++) {
        SMMUHostViommu *hv = s->nest->hvs->pdata[i];
        uint32_t num = hv->pending->len;
        Error *err = NULL;

        if (!num) {
            continue;
        }
        s->nest->inv_batches++;
        if (!iommufd_backend_invalidate_cache(
                hv->be, hv->viommu_id,
                IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
                sizeof(struct iommu_viommu_arm_smmuv3_invalidate), &num,
                hv->pending->data, &err)) {
            warn_report_err(err);
            s->nest->refusals++;
            /* A call refused as a whole handled none of them. */
            num = num < hv->pending->len ? num : 0;
            if (ok) {
                *bad = g_array_index(hv->pending_pos, uint32_t, num);
            }
            ok = false;
        }
        s->nest->inv_entries += num;
        g_array_set_size(hv->pending, 0);
        g_array_set_size(hv->pending_pos, 0);
    }
    return ok;
}

/* ---- undo ---- */

void smmuv3_host_device_gone(DeviceState *owner, PCIDevice *pdev)
{
    SMMUv3State *s = ARM_SMMUV3(owner);
    SMMUNestDev *nd = smmu_nest_dev_find(s, pdev);

    if (nd) {
        smmu_nest_dev_undo(s, nd);
        g_ptr_array_remove(s->nest->devs, nd);
    }
}

void smmuv3_nest_reset(SMMUv3State *s)
{
    if (!s->nest) {
        return;
    }
    for (guint i = 0; i < s->nest->hvs->len; i++) {
        SMMUHostViommu *hv = s->nest->hvs->pdata[i];

        g_array_set_size(hv->pending, 0);
        g_array_set_size(hv->pending_pos, 0);
    }
    while (s->nest->devs->len) {
        smmuv3_host_device_gone(DEVICE(s),
                                ((SMMUNestDev *)s->nest->devs->pdata[0])->pdev);
    }
}

void smmuv3_nest_free(SMMUv3State *s)
{
    if (s->nest) {
        g_ptr_array_unref(s->nest->devs);
        g_ptr_array_unref(s->nest->hvs);
        g_clear_pointer(&s->nest, g_free);
    }
}

/* ---- introspection ---- */

static const char *smmu_ste_config(const uint64_t ste[2])
{
    if (!(ste[0] & SMMU_STE0_V)) {
        return "abort";
    }
    switch (SMMU_STE0_CFG(ste[0])) {
    case SMMU_STE_CFG_S1:
        return "translate";
    case SMMU_STE_CFG_BYPASS:
        return "bypass";
    default:
        return "abort";
    }
}

static void smmu_json_id(JsonBuilder *b, const char *member, bool has,
                         uint32_t id)
{
    json_builder_set_member_name(b, member);
    if (has) {
        json_builder_add_int_value(b, id);
    } else {
        json_builder_add_null_value(b);
    }
}

void smmuv3_nest_query_device(SMMUv3State *s, PCIDevice *pdev,
                              JsonBuilder *b)
{
    SMMUNestDev *nd = smmu_nest_dev_find(s, pdev);
    bool hw = nd && nd->has_hwpt;

    viommu_json_int(b, "vsid", smmuv3_sid_of(pdev));
    viommu_json_str(b, "ste-config", hw ? smmu_ste_config(nd->ste) : NULL);
    json_builder_set_member_name(b, "ste");
    json_builder_begin_array(b);
    for (int i = 0; hw && i < 2; i++) {
        g_autofree char *w = g_strdup_printf("0x%016" PRIx64, nd->ste[i]);

        json_builder_add_string_value(b, w);
    }
    json_builder_end_array(b);
    smmu_json_id(b, "host-viommu", nd && nd->hv,
                 nd && nd->hv ? nd->hv->viommu_id : 0);
    smmu_json_id(b, "host-vdevice", nd && nd->has_vdev,
                 nd ? nd->vdev_id : 0);
    smmu_json_id(b, "host-vdevice-vsid", nd && nd->has_vdev,
                 nd ? nd->vsid : 0);
    smmu_json_id(b, "host-hwpt", hw, hw ? nd->hwpt_id : 0);
}

void smmuv3_nest_hmp_info(SMMUv3State *s, GString *out)
{
    SMMUNest *n = s->nest;

    g_string_append_printf(out, "  nesting: SMMUEN %s, %u host vIOMMUs, "
                           "%" PRIu64 " STE installs, %" PRIu64
                           " invalidation batches (%" PRIu64 " entries), %"
                           PRIu64 " host refusals, %" PRIu64
                           " command errors\n",
                           smmu_enabled(s) ? "on" : "off",
                           n ? n->hvs->len : 0, n ? n->ste_installs : 0,
                           n ? n->inv_batches : 0, n ? n->inv_entries : 0,
                           n ? n->refusals : 0, s->cmd_errors);
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);
        SMMUNestDev *nd = smmu_nest_dev_find(s, d->pdev);

        /* The StreamID as the guest numbered the bus now. */
        g_string_append_printf(out, "  %s: vsid 0x%x", d->name,
                               d->pdev->bus ? smmuv3_sid_of(d->pdev) : 0);
        if (nd && nd->has_hwpt) {
            g_string_append_printf(out, ", %s -> host viommu %u vdevice %u "
                                   "hwpt %u", smmu_ste_config(nd->ste),
                                   nd->hv->viommu_id, nd->vdev_id,
                                   nd->hwpt_id);
        } else {
            g_string_append(out, ", nothing on the host");
        }
        g_string_append_c(out, '\n');
    }
}

void smmuv3_nest_query(SMMUv3State *s, JsonBuilder *b)
{
    SMMUNest *n = s->nest;

    json_builder_set_member_name(b, "nesting");
    json_builder_begin_object(b);
    viommu_json_bool(b, "smmuen", smmu_enabled(s));
    json_builder_set_member_name(b, "host-viommus");
    json_builder_begin_array(b);
    for (guint i = 0; n && i < n->hvs->len; i++) {
        SMMUHostViommu *hv = n->hvs->pdata[i];

        json_builder_begin_object(b);
        viommu_json_int(b, "viommu", hv->viommu_id);
        viommu_json_int(b, "parent-hwpt", hv->parent_id);
        viommu_json_int(b, "devices", hv->devs);
        viommu_json_int(b, "pending", hv->pending->len);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    viommu_json_int(b, "ste-installs", n ? n->ste_installs : 0);
    viommu_json_int(b, "invalidate-batches", n ? n->inv_batches : 0);
    viommu_json_int(b, "invalidate-entries", n ? n->inv_entries : 0);
    viommu_json_int(b, "host-refusals", n ? n->refusals : 0);
    viommu_json_int(b, "cmd-errors", s->cmd_errors);
    viommu_json_int(b, "events", s->events);
    json_builder_end_object(b);
}

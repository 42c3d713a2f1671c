/*
 * Simulated host: iommufd device objects, hardware page tables and
 * IOMMU_GET_HW_INFO, computed the way Linux 6.18 does.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/iommufd.h"

#define VTD_ECAP_PASID (1ull << 40)
#define VTD_ECAP_SMTS (1ull << 43)
#define VTD_ECAP_PSS(e) (((e) >> 35) & 0x1f)
#define SMMU_IDR1_SSIDSIZE(i) (((i) >> 6) & 0x1f)
#define PASID_CTRL_ENABLE 1
#define PASID_CTRL_EXEC 2
#define PASID_CTRL_PRIV 4

/* The IOMMU's own PASID width, as its Linux driver computes it. */
static unsigned iommu_pasid_log2(const SimIommu *iommu)
{
    if (iommu->type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        bool pasid = (iommu->ecap & VTD_ECAP_PASID) &&
                     (iommu->ecap & VTD_ECAP_SMTS);

        return pasid ? VTD_ECAP_PSS(iommu->ecap) + 1 : 0;
    }
    if (iommu->type == IOMMU_HW_INFO_TYPE_NONE) {
        return iommu->pasid_width;
    }
    return SMMU_IDR1_SSIDSIZE(iommu->idr[1]);
}

unsigned sim_device_pasid_log2(const SimDevice *dev)
{
    if (!(dev->pasid_ctrl & PASID_CTRL_ENABLE)) {
        return 0;
    }
    return MIN(dev->pasid_width, iommu_pasid_log2(dev->iommu));
}

/*
 * The vendor data to the user's buffer, @cmd->data_len bytes of it: ours
 * first, zeroes after, in as few writes as possible (one for buffers up
 * to 4 KiB, which is all a harness behind umockdev can reach).
 */
static int hw_info_copy_data(SimIommu *iommu, struct iommu_hw_info *cmd,
                             const SimUaccess *ua, uint32_t *len)
{
    union {
        struct iommu_hw_info_vtd vtd;
        struct iommu_hw_info_arm_smmuv3 smmu;
    } data = { 0 };
    uint64_t off;

    if (iommu->type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        data.vtd.cap_reg = iommu->cap;
        data.vtd.ecap_reg = iommu->ecap;
        *len = sizeof(data.vtd);
    } else if (iommu->type == IOMMU_HW_INFO_TYPE_NONE) {
        *len = 0;
    } else {
        memcpy(data.smmu.idr, iommu->idr, sizeof(iommu->idr));
        data.smmu.iidr = iommu->iidr;
        data.smmu.aidr = iommu->aidr;
        *len = sizeof(data.smmu);
    }
    for (off = 0; off < cmd->data_len;) {
        uint8_t chunk[4096];
        size_t n = MIN(sizeof(chunk), cmd->data_len - off);

        memset(chunk, 0, n);            /* the bytes written, not all 4 KiB */
        if (off < *len) {
            memcpy(chunk, (uint8_t *)&data + off, MIN(n, *len - off));
        }
        if (!ua->write(ua->opaque, cmd->data_uptr + off, chunk, n)) {
            return -EFAULT;
        }
        off += n;
    }
    return 0;
}

int sim_cmd_get_hw_info(HostSim *s, SimIctx *ictx, void *buf,
                        const SimUaccess *ua)
{
    struct iommu_hw_info *cmd = buf;
    SimIommu *iommu;
    SimObj *obj;
    uint32_t len, type;
    int r;

    if ((cmd->flags & ~IOMMU_HW_INFO_FLAG_INPUT_TYPE) ||
        cmd->__reserved[0] || cmd->__reserved[1] || cmd->__reserved[2]) {
        return -EOPNOTSUPP;
    }
    type = (cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE) ? cmd->in_data_type
                                                        : 0;
    obj = sim_obj_get(ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!obj) {
        return -ENOENT;
    }
    r = sim_call_device(s, obj->dev, SIM_CMD_GET_HW_INFO);
    if (r) {
        return r;
    }
    iommu = obj->dev->iommu;
    if (type != IOMMU_HW_INFO_TYPE_DEFAULT && type != iommu->type) {
        return -EOPNOTSUPP;
    }
    r = hw_info_copy_data(iommu, cmd, ua, &len);
    if (r) {
        return r;
    }
    cmd->data_len = len;
    cmd->out_data_type = iommu->type;
    cmd->out_capabilities = iommu->dirty_tracking ? IOMMU_HW_CAP_DIRTY_TRACKING
                                                  : 0;
    cmd->out_max_pasid_log2 = sim_device_pasid_log2(obj->dev);
    /* As the kernel: the PASID flags only come with a PASID width. */
    if (cmd->out_max_pasid_log2 && (obj->dev->pasid_ctrl & PASID_CTRL_EXEC)) {
        cmd->out_capabilities |= IOMMU_HW_CAP_PCI_PASID_EXEC;
    }
    if (cmd->out_max_pasid_log2 && (obj->dev->pasid_ctrl & PASID_CTRL_PRIV)) {
        cmd->out_capabilities |= IOMMU_HW_CAP_PCI_PASID_PRIV;
    }
    return 0;
}

const SimNestedOps *sim_nested_ops(uint32_t iommu_type)
{
    switch (iommu_type) {
    case IOMMU_HW_INFO_TYPE_INTEL_VTD:
        return &sim_nested_vtd_ops;
    case IOMMU_HW_INFO_TYPE_ARM_SMMUV3:
        return &sim_nested_smmuv3_ops;
    default:
        return NULL;
    }
}

/* A kernel-managed (paging) HWPT on an IOAS, as the driver checks it. */
static int hwpt_check_paging(SimDevice *dev, struct iommu_hwpt_alloc *cmd)
{
    const SimNestedOps *ops = sim_nested_ops(dev->iommu->type);

    if (cmd->data_type != IOMMU_HWPT_DATA_NONE) {
        return -EOPNOTSUPP;
    }
    if ((cmd->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) &&
        (!ops || !ops->parent_ok(dev->iommu))) {
        return -EOPNOTSUPP;
    }
    if ((cmd->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
        !dev->iommu->dirty_tracking) {
        return -EOPNOTSUPP;
    }
    if ((cmd->flags & IOMMU_HWPT_ALLOC_PASID) &&
        !iommu_pasid_log2(dev->iommu)) {
        return -EOPNOTSUPP;
    }
    return 0;
}

/* A user-managed HWPT on a nesting parent: the core's, then the driver's. */
static int hwpt_check_nested(SimDevice *dev, struct iommu_hwpt_alloc *cmd,
                             SimObj *parent, const SimUaccess *ua,
                             SimNestedData *data)
{
    const SimNestedOps *ops = sim_nested_ops(dev->iommu->type);

    if ((cmd->flags & ~(IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID)) ||
        !cmd->data_len || !ops) {
        return -EOPNOTSUPP;
    }
    if (parent->autodomain || parent->nested ||
        !(parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) ||
        parent->dev->iommu->type != dev->iommu->type) {
        return -EINVAL;
    }
    /* A driver without ->alloc nests only through a vIOMMU. */
    if (!ops->parent_ok(dev->iommu) || cmd->data_type != ops->data_type ||
        !ops->alloc) {
        return -EOPNOTSUPP;
    }
    return ops->alloc(cmd, ua, data);
}

/* The core's checks before it looks anything up. */
static int hwpt_check_cmd(const struct iommu_hwpt_alloc *cmd)
{
    if ((cmd->flags & ~0xfu) || cmd->__reserved || cmd->__reserved2) {
        return -EOPNOTSUPP;
    }
    if ((cmd->data_type == IOMMU_HWPT_DATA_NONE && cmd->data_len) ||
        (cmd->data_type != IOMMU_HWPT_DATA_NONE && !cmd->data_uptr)) {
        return -EINVAL;
    }
    return 0;
}

int sim_cmd_hwpt_alloc(HostSim *s, SimIctx *ictx, void *buf,
                       const SimUaccess *ua)
{
    struct iommu_hwpt_alloc *cmd = buf;
    SimNestedData data = { 0 };
    SimObj *devobj, *pt, *hwpt;
    int r = hwpt_check_cmd(cmd);

    if (r) {
        return r;
    }
    devobj = sim_obj_get(ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!devobj) {
        return -ENOENT;
    }
    r = sim_call_device(s, devobj->dev, SIM_CMD_HWPT_ALLOC);
    if (r) {
        return r;
    }
    pt = sim_obj_get(ictx, cmd->pt_id, -1);
    if (!pt || pt->type == SIM_OBJ_DEVICE) {
        return -ENOENT;
    }
    if (pt->type == SIM_OBJ_IOAS) {
        r = hwpt_check_paging(devobj->dev, cmd);
    } else if (pt->type == SIM_OBJ_VIOMMU) {
        r = sim_viommu_check_nested(devobj->dev, cmd, pt, ua, &data);
    } else if (pt->type == SIM_OBJ_HWPT) {
        r = hwpt_check_nested(devobj->dev, cmd, pt, ua, &data);
    } else {
        r = -EINVAL;
    }
    if (!r && (cmd->flags & IOMMU_HWPT_FAULT_ID_VALID)) {
        r = -ENOENT;                /* no fault queues are simulated */
    }
    if (r) {
        return r;
    }
    hwpt = sim_obj_new(s, ictx, SIM_OBJ_HWPT);
    hwpt->parent = pt;
    pt->users++;
    hwpt->dev = devobj->dev;
    hwpt->flags = cmd->flags;
    hwpt->nested = pt->type != SIM_OBJ_IOAS;
    hwpt->data = data;
    cmd->out_hwpt_id = hwpt->id;
    return 0;
}

/* Check and record one entry; -errno stops the batch. */
static int hwpt_inv_one(const SimNestedOps *ops, SimObj *hwpt,
                        const struct iommu_hwpt_invalidate *cmd,
                        uint32_t index, const SimUaccess *ua)
{
    uint8_t entry[64];
    SimInvEntry e;
    int r;

    g_assert(ops->inv_entry_size <= sizeof(entry));
    r = sim_copy_data_in(ua, cmd->data_uptr + (uint64_t)index * cmd->entry_len,
                         cmd->entry_len, entry, ops->inv_entry_size,
                         ops->inv_entry_min);
    if (!r) {
        r = ops->inv_entry(entry, &e);
    }
    if (r) {
        return r;
    }
    sim_inv_log_add(hwpt, &e);
    return 0;
}

void sim_inv_log_add(SimObj *obj, const SimInvEntry *e)
{
    if (!obj->inv_log) {
        obj->inv_log = g_array_new(false, false, sizeof(SimInvEntry));
    }
    if (obj->inv_log->len == SIM_INV_LOG_MAX) {
        g_array_remove_index(obj->inv_log, 0);
    }
    g_array_append_val(obj->inv_log, *e);
    obj->inv_entries++;
}

/*
 * IOMMU_HWPT_INVALIDATE on a nested HWPT.  entry_num always comes back
 * as the number of entries handled, so the core answers even on error.
 */
int sim_cmd_hwpt_invalidate(HostSim *s, SimIctx *ictx, void *buf,
                            const SimUaccess *ua)
{
    struct iommu_hwpt_invalidate *cmd = buf;
    uint32_t want = cmd->entry_num, done = 0;
    const SimNestedOps *ops;
    SimObj *hwpt;
    int r = 0;

    cmd->entry_num = 0;
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    if (want && (!cmd->data_uptr || !cmd->entry_len)) {
        return -EINVAL;
    }
    hwpt = sim_obj_get(ictx, cmd->hwpt_id, -1);
    if (!hwpt) {
        return -ENOENT;
    }
    if (hwpt->type == SIM_OBJ_VIOMMU) {
        cmd->entry_num = want;
        return sim_viommu_invalidate(s, hwpt, cmd, ua);
    }
    if (hwpt->type != SIM_OBJ_HWPT || !hwpt->nested) {
        return -EINVAL;
    }
    r = sim_call_device(s, hwpt->dev, SIM_CMD_HWPT_INVALIDATE);
    if (r) {
        return r;
    }
    ops = sim_nested_ops(hwpt->dev->iommu->type);
    if (!ops->inv_entry) {
        return -EOPNOTSUPP;     /* invalidated through its vIOMMU */
    }
    if (cmd->data_type != ops->inv_type) {
        return -EINVAL;
    }
    hwpt->inv_calls++;
    for (; done < want && !r; done++) {
        r = hwpt_inv_one(ops, hwpt, cmd, done, ua);
    }
    cmd->entry_num = r ? done - 1 : done;
    return r;
}

int sim_cmd_set_dirty(HostSim *s, SimIctx *ictx, void *buf,
                      const SimUaccess *ua)
{
    struct iommu_hwpt_set_dirty_tracking *cmd = buf;
    SimObj *hwpt;

    if ((cmd->flags & ~IOMMU_HWPT_DIRTY_TRACKING_ENABLE) || cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    hwpt = sim_obj_get(ictx, cmd->hwpt_id, SIM_OBJ_HWPT);
    if (!hwpt) {
        return -ENOENT;
    }
    if (!(hwpt->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING)) {
        return -EINVAL;
    }
    hwpt->dirty_tracking = cmd->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
    return 0;
}

/* ---- device objects, for VFIO ---- */

SimObj *sim_iommufd_bind(HostSim *s, SimIctx *ictx, SimDevice *dev)
{
    SimObj *obj = sim_obj_new(s, ictx, SIM_OBJ_DEVICE);

    obj->dev = dev;
    dev->bound = obj;
    sim_ictx_ref(ictx);
    return obj;
}

/* The HWPT on @devobj's @pasid, or NULL. */
static SimObj *dev_pasid_hwpt(SimObj *devobj, uint32_t pasid)
{
    return devobj->pasids ? g_hash_table_lookup(devobj->pasids,
                                                GUINT_TO_POINTER(pasid))
                          : NULL;
}

/* Drop a device's use of @hwpt; an automatic domain dies with its last. */
static void hwpt_put(HostSim *s, SimObj *hwpt)
{
    if (--hwpt->users == 0 && hwpt->autodomain) {
        sim_obj_remove(s, hwpt);
    }
}

/*
 * A HWPT made for one device can serve another behind a compatible
 * IOMMU: the same driver, able to nest if it is a parent, and able to
 * walk the first stage if it is nested.
 */
static int hwpt_compatible(SimObj *hwpt, SimDevice *dev)
{
    const SimNestedOps *ops = sim_nested_ops(dev->iommu->type);
    SimObj *parent = hwpt->nested ? hwpt->parent : hwpt;

    if (hwpt->dev->iommu->type != dev->iommu->type) {
        return -EINVAL;
    }
    if (parent->type == SIM_OBJ_VIOMMU) {
        return sim_viommu_attach_ok(hwpt, dev->bound);
    }
    if ((parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) &&
        (!ops || !ops->parent_ok(dev->iommu))) {
        return -EINVAL;
    }
    return hwpt->nested ? ops->attach_ok(&hwpt->data, dev->iommu) : 0;
}

/*
 * The kernel's PASID rule: a PASID only goes on a HWPT allocated with
 * IOMMU_HWPT_ALLOC_PASID, and only while the RID is on such a HWPT (or
 * on none); the RID only leaves for an unflagged HWPT while no PASID is
 * attached.
 */
static int hwpt_pasid_compat(SimObj *devobj, SimObj *hwpt, bool pasid)
{
    bool compat = hwpt->flags & IOMMU_HWPT_ALLOC_PASID;

    if (pasid) {
        if (!compat || (devobj->attached &&
                        !(devobj->attached->flags & IOMMU_HWPT_ALLOC_PASID))) {
            return -EINVAL;
        }
        return 0;
    }
    return !compat && devobj->pasids && g_hash_table_size(devobj->pasids) ?
           -EINVAL : 0;
}

/* The HWPT to attach for @pt (an IOAS gets a shared automatic domain). */
static int attach_target(HostSim *s, SimObj *devobj, SimObj *pt, bool pasid,
                         SimObj **out)
{
    SimObj *o;
    int r;

    if (pt->type == SIM_OBJ_HWPT) {
        r = hwpt_compatible(pt, devobj->dev);
        if (!r) {
            r = hwpt_pasid_compat(devobj, pt, pasid);
        }
        *out = pt;
        return r;
    }
    for (guint i = 0; pt->autodomains && i < pt->autodomains->len; i++) {
        o = pt->autodomains->pdata[i];
        if (o->dev->iommu == devobj->dev->iommu &&
            (!pasid || (o->flags & IOMMU_HWPT_ALLOC_PASID))) {
            *out = o;
            return hwpt_pasid_compat(devobj, o, pasid);
        }
    }
    o = sim_obj_new(s, devobj->ictx, SIM_OBJ_HWPT);
    o->autodomain = true;
    o->parent = pt;
    pt->users++;
    if (!pt->autodomains) {
        pt->autodomains = g_ptr_array_new();
    }
    g_ptr_array_add(pt->autodomains, o);
    o->dev = devobj->dev;
    o->flags = pasid ? IOMMU_HWPT_ALLOC_PASID : 0;
    *out = o;
    r = hwpt_pasid_compat(devobj, o, pasid);
    if (r) {
        sim_obj_remove(s, o);
    }
    return r;
}

int sim_iommufd_attach(HostSim *s, SimObj *devobj, uint32_t *pt_id,
                       bool has_pasid, uint32_t pasid)
{
    SimObj *pt = sim_obj_get(devobj->ictx, *pt_id, -1);
    unsigned width = sim_device_pasid_log2(devobj->dev);
    SimObj *hwpt, *old;
    int r;

    if (!pt) {
        return -ENOENT;
    }
    if (pt->type == SIM_OBJ_DEVICE ||
        (has_pasid && (!width || pasid >= (1u << width)))) {
        return -EINVAL;
    }
    old = has_pasid ? dev_pasid_hwpt(devobj, pasid) : devobj->attached;
    r = attach_target(s, devobj, pt, has_pasid, &hwpt);
    if (r) {
        return r;
    }
    *pt_id = hwpt->id;
    if (old == hwpt) {
        return 0;
    }
    hwpt->users++;
    if (has_pasid) {
        if (!devobj->pasids) {
            devobj->pasids = g_hash_table_new(g_direct_hash, g_direct_equal);
        }
        g_hash_table_insert(devobj->pasids, GUINT_TO_POINTER(pasid), hwpt);
    } else {
        devobj->attached = hwpt;
    }
    if (old) {
        hwpt_put(s, old);
    }
    return 0;
}

void sim_iommufd_detach(HostSim *s, SimObj *devobj, bool has_pasid,
                        uint32_t pasid)
{
    SimObj *old;

    if (has_pasid) {
        old = dev_pasid_hwpt(devobj, pasid);
        if (old) {
            g_hash_table_remove(devobj->pasids, GUINT_TO_POINTER(pasid));
        }
    } else {
        old = g_steal_pointer(&devobj->attached);
    }
    if (old) {
        hwpt_put(s, old);
    }
}

void sim_iommufd_unbind(HostSim *s, SimObj *devobj)
{
    SimIctx *ictx = devobj->ictx;
    GHashTableIter it;
    gpointer hwpt;

    if (devobj->pasids) {
        g_hash_table_iter_init(&it, devobj->pasids);
        while (g_hash_table_iter_next(&it, NULL, &hwpt)) {
            g_hash_table_iter_remove(&it);
            hwpt_put(s, hwpt);
        }
    }
    sim_iommufd_detach(s, devobj, false, 0);
    sim_vdevices_tombstone(s, devobj);
    devobj->dev->bound = NULL;
    sim_obj_remove(s, devobj);
    sim_ictx_unref(s, ictx);
}

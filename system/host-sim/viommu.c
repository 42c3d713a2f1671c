/*
 * Simulated host: vIOMMU and vDEVICE objects, as Linux 6.18's iommufd
 * core keeps them.  A vIOMMU wraps a nesting parent on the physical
 * IOMMU of the device it was allocated for; nested HWPTs of drivers that
 * nest through a vIOMMU (SMMUv3) are allocated on it, and invalidations
 * name it.  A vDEVICE gives a device its virtual ID on one vIOMMU: one
 * per device per vIOMMU, one per ID.  Everything holds what it uses, so
 * DESTROY goes children first (EBUSY otherwise); a device unbound with
 * a vDEVICE left loses it, and its id stays unusable until close.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/iommufd.h"

static const SimViommuOps *viommu_ops(const SimIommu *iommu)
{
    return iommu->type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3
           ? &sim_viommu_smmuv3_ops : NULL;
}

int sim_cmd_viommu_alloc(HostSim *s, SimIctx *ictx, void *buf,
                         const SimUaccess *ua)
{
    struct iommu_viommu_alloc *cmd = buf;
    const SimNestedOps *nops;
    const SimViommuOps *vops;
    SimObj *devobj, *parent, *viommu;
    int r;

    if (cmd->flags || cmd->type == IOMMU_VIOMMU_TYPE_DEFAULT ||
        cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    devobj = sim_obj_get(ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!devobj) {
        return -ENOENT;
    }
    r = sim_call_device(s, devobj->dev, SIM_CMD_VIOMMU_ALLOC);
    if (r) {
        return r;
    }
    parent = sim_obj_get(ictx, cmd->hwpt_id, SIM_OBJ_HWPT);
    if (!parent || parent->nested) {
        return -ENOENT;
    }
    if (!(parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT)) {
        return -EINVAL;
    }
    vops = viommu_ops(devobj->dev->iommu);
    nops = sim_nested_ops(devobj->dev->iommu->type);
    if (!vops || vops->viommu_type != cmd->type ||
        !nops->parent_ok(devobj->dev->iommu)) {
        return -EOPNOTSUPP;
    }
    /* The SMMUv3 vIOMMU takes no data; its parent is on the same unit. */
    if (cmd->data_len || parent->dev->iommu != devobj->dev->iommu) {
        return -EINVAL;
    }
    viommu = sim_obj_new(s, ictx, SIM_OBJ_VIOMMU);
    viommu->parent = parent;
    parent->users++;
    viommu->dev = devobj->dev;
    viommu->viommu_type = cmd->type;
    cmd->out_viommu_id = viommu->id;
    return 0;
}

/* The vDEVICE on @viommu of @devobj, or (without it) with @virt_id. */
static SimObj *vdevice_lookup(SimObj *viommu, SimObj *devobj,
                              uint64_t virt_id)
{
    GHashTableIter it;
    SimObj *o;

    g_hash_table_iter_init(&it, viommu->ictx->objs);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&o)) {
        if (o->type == SIM_OBJ_VDEVICE && o->parent == viommu &&
            (devobj ? o->devobj == devobj : o->virt_id == virt_id)) {
            return o;
        }
    }
    return NULL;
}

SimObj *sim_vdevice_find(SimObj *viommu, SimObj *devobj)
{
    return vdevice_lookup(viommu, devobj, 0);
}

SimObj *sim_vdevice_by_id(SimObj *viommu, uint64_t virt_id)
{
    return vdevice_lookup(viommu, NULL, virt_id);
}

int sim_cmd_vdevice_alloc(HostSim *s, SimIctx *ictx, void *buf,
                          const SimUaccess *ua)
{
    struct iommu_vdevice_alloc *cmd = buf;
    SimObj *viommu, *devobj, *vdev;
    int r;

    viommu = sim_obj_get(ictx, cmd->viommu_id, SIM_OBJ_VIOMMU);
    devobj = sim_obj_get(ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!viommu || !devobj) {
        return -ENOENT;
    }
    r = sim_call_device(s, devobj->dev, SIM_CMD_VDEVICE_ALLOC);
    if (r) {
        return r;
    }
    if (viommu->dev->iommu != devobj->dev->iommu) {
        return -EINVAL;
    }
    if (sim_vdevice_find(viommu, devobj) ||
        sim_vdevice_by_id(viommu, cmd->virt_id)) {
        return -EEXIST;
    }
    vdev = sim_obj_new(s, ictx, SIM_OBJ_VDEVICE);
    vdev->parent = viommu;
    viommu->users++;
    vdev->devobj = devobj;
    devobj->vdevices++;
    vdev->dev = devobj->dev;
    vdev->virt_id = cmd->virt_id;
    cmd->out_vdevice_id = vdev->id;
    return 0;
}

void sim_vdevices_tombstone(HostSim *s, SimObj *devobj)
{
    g_autoptr(GPtrArray) gone = NULL;
    GHashTableIter it;
    SimObj *o;

    /* Most devices have none: no walk over every object at each unbind. */
    if (!devobj->vdevices) {
        return;
    }
    gone = g_ptr_array_new();
    g_hash_table_iter_init(&it, devobj->ictx->objs);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&o)) {
        if (o->type == SIM_OBJ_VDEVICE && o->devobj == devobj) {
            g_ptr_array_add(gone, o);
        }
    }
    for (guint i = 0; i < gone->len; i++) {
        sim_obj_remove(s, gone->pdata[i]);
        s->tombstones++;
    }
}

int sim_viommu_check_nested(SimDevice *dev, struct iommu_hwpt_alloc *cmd,
                            SimObj *viommu, const SimUaccess *ua,
                            SimNestedData *data)
{
    const SimViommuOps *vops = viommu_ops(viommu->dev->iommu);

    if (cmd->flags & ~IOMMU_HWPT_FAULT_ID_VALID) {
        return -EOPNOTSUPP;
    }
    if (viommu->dev->iommu != dev->iommu) {
        return -EINVAL;
    }
    if (!vops || cmd->data_type != sim_nested_ops(dev->iommu->type)->data_type) {
        return -EINVAL;
    }
    return vops->alloc(cmd, ua, dev->iommu, data);
}

int sim_viommu_attach_ok(SimObj *hwpt, SimObj *devobj)
{
    SimObj *viommu = hwpt->parent;
    const SimViommuOps *vops = viommu_ops(viommu->dev->iommu);

    if (!devobj || devobj->dev->iommu != viommu->dev->iommu) {
        return -EINVAL;
    }
    /* Invalidations and events need the vSID: translation needs it. */
    if (vops->needs_vdevice(&hwpt->data) &&
        !sim_vdevice_find(viommu, devobj)) {
        return -ENOENT;
    }
    return 0;
}

int sim_viommu_invalidate(HostSim *s, SimObj *viommu,
                          struct iommu_hwpt_invalidate *cmd,
                          const SimUaccess *ua)
{
    const SimViommuOps *vops = viommu_ops(viommu->dev->iommu);
    uint32_t want = cmd->entry_num, done;
    int r;

    cmd->entry_num = 0;
    r = sim_call_device(s, viommu->dev, SIM_CMD_HWPT_INVALIDATE);
    if (r) {
        return r;
    }
    if (cmd->data_type != IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 ||
        (want && cmd->entry_len < vops->inv_entry_size)) {
        return -EINVAL;
    }
    viommu->inv_calls++;
    for (done = 0; done < want; done++) {
        uint8_t entry[16];
        SimInvEntry e = { 0 };

        g_assert(vops->inv_entry_size <= sizeof(entry));
        r = sim_copy_data_in(ua, cmd->data_uptr +
                             (uint64_t)done * cmd->entry_len, cmd->entry_len,
                             entry, vops->inv_entry_size,
                             vops->inv_entry_size);
        if (!r) {
            r = vops->inv_entry(viommu, entry, &e);
        }
        if (r) {
            break;
        }
        sim_inv_log_add(viommu, &e);
    }
    cmd->entry_num = done;
    return r;
}

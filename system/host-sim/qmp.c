/*
 * Simulated host: QMP x-query-host-sim (counters) and x-host-sim-fault
 * (fault injection), available only in simulated mode.
 */
#include "system/host-sim.h"
#include "system/host-sim/internal.h"

#include "monitor/monitor.h"
#include "linux/iommufd.h"

#include <inttypes.h>

static void set_hex(JsonObject *o, const char *member, uint64_t v)
{
    g_autofree char *str = g_strdup_printf("0x%" PRIx64, v);

    json_object_set_string_member(o, member, str);
}

static const char *const obj_type_names[] = {
    [SIM_OBJ_IOAS] = "ioas",
    [SIM_OBJ_HWPT] = "hwpt",
    [SIM_OBJ_DEVICE] = "device",
    [SIM_OBJ_VIOMMU] = "viommu",
    [SIM_OBJ_VDEVICE] = "vdevice",
};

/* The invalidations a nested HWPT or a vIOMMU received. */
static void inv_members(JsonObject *o, const SimObj *hwpt)
{
    JsonArray *log = json_array_new();
    bool cmds = hwpt->type == SIM_OBJ_VIOMMU;

    json_object_set_int_member(o, "invalidate-calls", hwpt->inv_calls);
    json_object_set_int_member(o, "invalidate-entries", hwpt->inv_entries);
    for (guint i = 0; hwpt->inv_log && i < hwpt->inv_log->len; i++) {
        SimInvEntry *e = &g_array_index(hwpt->inv_log, SimInvEntry, i);
        JsonObject *eo = json_object_new();

        if (cmds) {
            /* An SMMUv3 command: opcode 7:0, StreamID 63:32 if it has one. */
            json_object_set_int_member(eo, "opcode", e->cmd[0] & 0xff);
            json_object_set_int_member(eo, "sid", e->cmd[0] >> 32);
            set_hex(eo, "cmd0", e->cmd[0]);
            set_hex(eo, "cmd1", e->cmd[1]);
        } else {
            set_hex(eo, "addr", e->addr);
            set_hex(eo, "npages", e->npages);
            json_object_set_int_member(eo, "flags", e->flags);
        }
        json_array_add_object_element(log, eo);
    }
    json_object_set_array_member(o, "invalidations", log);
}

/* A nested HWPT's stage-1 data and the invalidations it received. */
static void nested_members(JsonObject *o, const SimObj *hwpt)
{
    json_object_set_int_member(o, "data-type", hwpt->data.data_type);
    if (hwpt->data.data_type == IOMMU_HWPT_DATA_ARM_SMMUV3) {
        set_hex(o, "ste0", hwpt->data.ste[0]);
        set_hex(o, "ste1", hwpt->data.ste[1]);
        return;
    }
    set_hex(o, "pgtbl-addr", hwpt->data.pgtbl_addr);
    json_object_set_int_member(o, "addr-width", hwpt->data.addr_width);
    set_hex(o, "s1-flags", hwpt->data.s1_flags);
    inv_members(o, hwpt);
}

static JsonObject *object_json(const SimObj *obj)
{
    JsonObject *o = json_object_new();

    json_object_set_int_member(o, "id", obj->id);
    json_object_set_string_member(o, "type", obj_type_names[obj->type]);
    json_object_set_int_member(o, "users", obj->users);
    if (obj->type == SIM_OBJ_DEVICE) {
        json_object_set_string_member(o, "bdf", obj->dev->bdf);
    } else if (obj->type == SIM_OBJ_HWPT) {
        json_object_set_int_member(o, "parent", obj->parent->id);
        json_object_set_string_member(o, "device", obj->dev->bdf);
        json_object_set_int_member(o, "flags", obj->flags);
        json_object_set_boolean_member(o, "auto", obj->autodomain);
        json_object_set_boolean_member(o, "nest-parent",
                                       obj->flags &
                                       IOMMU_HWPT_ALLOC_NEST_PARENT);
        json_object_set_boolean_member(o, "pasid-compat",
                                       obj->flags & IOMMU_HWPT_ALLOC_PASID);
        json_object_set_boolean_member(o, "nested", obj->nested);
        if (obj->nested) {
            nested_members(o, obj);
        }
    } else if (obj->type == SIM_OBJ_VIOMMU) {
        json_object_set_int_member(o, "parent", obj->parent->id);
        json_object_set_string_member(o, "device", obj->dev->bdf);
        json_object_set_string_member(o, "iommu", obj->dev->iommu->id);
        json_object_set_int_member(o, "viommu-type", obj->viommu_type);
        inv_members(o, obj);
    } else if (obj->type == SIM_OBJ_VDEVICE) {
        json_object_set_int_member(o, "viommu", obj->parent->id);
        json_object_set_string_member(o, "device", obj->dev->bdf);
        json_object_set_int_member(o, "dev-id", obj->devobj->id);
        json_object_set_int_member(o, "virt-id", obj->virt_id);
    }
    return o;
}

static gint cmp_obj_id(gconstpointer a, gconstpointer b)
{
    const SimObj *x = *(SimObj *const *)a, *y = *(SimObj *const *)b;

    return x->id < y->id ? -1 : x->id > y->id;
}

/* Every object of every iommufd context, each context in id order. */
static JsonArray *objects_json(HostSim *s)
{
    g_autoptr(GPtrArray) ictxs = g_ptr_array_new();
    JsonArray *arr = json_array_new();
    GHashTableIter it;
    SimFile *f;

    g_hash_table_iter_init(&it, s->fds);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&f)) {
        if (f->ictx && !g_ptr_array_find(ictxs, f->ictx, NULL)) {
            g_ptr_array_add(ictxs, f->ictx);
        }
    }
    for (guint i = 0; i < ictxs->len; i++) {
        SimIctx *ictx = ictxs->pdata[i];
        g_autoptr(GPtrArray) objs = g_ptr_array_new();
        gpointer obj;

        g_hash_table_iter_init(&it, ictx->objs);
        while (g_hash_table_iter_next(&it, NULL, &obj)) {
            g_ptr_array_add(objs, obj);
        }
        g_ptr_array_sort(objs, cmp_obj_id);
        for (guint j = 0; j < objs->len; j++) {
            json_array_add_object_element(arr, object_json(objs->pdata[j]));
        }
    }
    return arr;
}

static gint cmp_uint(gconstpointer a, gconstpointer b)
{
    guint x = GPOINTER_TO_UINT(*(gpointer const *)a);
    guint y = GPOINTER_TO_UINT(*(gpointer const *)b);

    return x < y ? -1 : x > y;
}

/* A bound device's RID and PASID attachments, PASIDs in order. */
static JsonObject *attachments_json(const SimObj *devobj)
{
    JsonObject *o = json_object_new();
    JsonArray *pasids = json_array_new();
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;

    if (devobj->attached) {
        json_object_set_int_member(o, "rid", devobj->attached->id);
    } else {
        json_object_set_null_member(o, "rid");
    }
    if (devobj->pasids) {
        g_hash_table_iter_init(&it, devobj->pasids);
        while (g_hash_table_iter_next(&it, &k, NULL)) {
            g_ptr_array_add(keys, k);
        }
    }
    g_ptr_array_sort(keys, cmp_uint);
    for (guint i = 0; i < keys->len; i++) {
        SimObj *hwpt = g_hash_table_lookup(devobj->pasids, keys->pdata[i]);
        JsonObject *p = json_object_new();

        json_object_set_int_member(p, "pasid",
                                   GPOINTER_TO_UINT(keys->pdata[i]));
        json_object_set_int_member(p, "hwpt", hwpt->id);
        json_array_add_object_element(pasids, p);
    }
    json_object_set_array_member(o, "pasids", pasids);
    return o;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The non-zero counters of @s (@dev NULL) or of @dev, by name. */
static JsonObject *counts_object(HostSim *s, const SimDevice *dev)
{
    const uint64_t *counts = dev ? dev->counts : s->counts;
    JsonObject *o = json_object_new();
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    for (int id = 0; id < SIM_CMD__MAX; id++) {
        if (counts[id]) {
            g_ptr_array_add(names, (char *)sim_cmd_names[id]);
        }
    }
    g_ptr_array_sort(names, cmp_str);
    for (guint i = 0; i < names->len; i++) {
        json_object_set_int_member(o, names->pdata[i],
                                   counts[sim_cmd_lookup(names->pdata[i])]);
    }
    return o;
}

static JsonNode *qmp_x_query_host_sim(JsonObject *args, Error **errp)
{
    HostSim *s = sim_host_current();
    JsonObject *ret;
    JsonArray *devs;
    unsigned i;

    if (!s) {
        error_setg(errp, "the host is not simulated (no -host-sim)");
        return NULL;
    }
    ret = json_object_new();
    json_object_set_string_member(ret, "file", s->file);
    json_object_set_int_member(ret, "total-calls", s->total);
    json_object_set_int_member(ret, "open-fds", g_hash_table_size(s->fds));
    json_object_set_int_member(ret, "live-objects", s->live_objs);
    json_object_set_int_member(ret, "tombstones", s->tombstones);
    json_object_set_object_member(ret, "calls", counts_object(s, NULL));
    devs = json_array_new();
    for (i = 0; i < s->ndevices; i++) {
        SimDevice *dev = sim_host_device(s, i);
        JsonObject *d = json_object_new();
        g_autofree char *node_path = g_strdup_printf(
            "/dev/vfio/devices/vfio%u", dev->index);

        json_object_set_string_member(d, "bdf", dev->bdf);
        json_object_set_string_member(d, "cdev", node_path);
        json_object_set_string_member(d, "iommu", dev->iommu->id);
        json_object_set_boolean_member(d, "bound", dev->bound != NULL);
        if (dev->bound) {
            json_object_set_int_member(d, "dev-id", dev->bound->id);
            json_object_set_object_member(d, "attachments",
                                          attachments_json(dev->bound));
        }
        json_object_set_int_member(d, "total-calls", dev->total);
        json_object_set_object_member(d, "calls", counts_object(s, dev));
        json_array_add_object_element(devs, d);
    }
    json_object_set_array_member(ret, "devices", devs);
    json_object_set_array_member(ret, "objects", objects_json(s));
    return qmp_return_object(ret);
}

static JsonNode *qmp_x_host_sim_fault(JsonObject *args, Error **errp)
{
    const char *spec = json_object_get_string_member_with_default(args, "spec",
                                                                  NULL);

    if (!spec) {
        error_setg(errp, "Parameter 'spec' is missing");
        return NULL;
    }
    if (!host_sim_fault_parse(spec, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

void host_sim_monitor_register(void)
{
    static const QmpArgSpec fault_args[] = {
        { "spec", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpCommandDef cmds[] = {
        { "x-query-host-sim", qmp_x_query_host_sim },
        { "x-host-sim-fault", qmp_x_host_sim_fault, fault_args,
          QMP_CMD_RET_EMPTY },
    };

    qmp_register_commands(cmds, G_N_ELEMENTS(cmds));
}

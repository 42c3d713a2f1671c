/*
 * Simulated host: QMP x-query-host-sim (counters) and x-host-sim-fault
 * (fault injection), available only in simulated mode.
 */
#include "system/host-sim.h"
#include "system/host-sim-internal.h"

#include "monitor/monitor.h"

static JsonObject *counts_object(GHashTable *counts)
{
    JsonObject *o = json_object_new();
    g_autoptr(GList) keys = g_hash_table_get_keys(counts);
    GList *k;

    keys = g_list_sort(keys, (GCompareFunc)g_strcmp0);
    for (k = keys; k; k = k->next) {
        uint64_t *c = g_hash_table_lookup(counts, k->data);

        json_object_set_int_member(o, k->data, *c);
    }
    return o;
}

static JsonNode *qmp_x_query_host_sim(JsonObject *args, Error **errp)
{
    HostSim *s = sim_host_current();
    JsonObject *ret;
    JsonArray *devs;
    JsonNode *node;
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
    json_object_set_object_member(ret, "calls", counts_object(s->counts));
    devs = json_array_new();
    for (i = 0; i < s->devices->len; i++) {
        SimDevice *dev = s->devices->pdata[i];
        JsonObject *d = json_object_new();
        g_autofree char *node_path = g_strdup_printf(
            "/dev/vfio/devices/vfio%u", dev->index);

        json_object_set_string_member(d, "bdf", dev->bdf);
        json_object_set_string_member(d, "cdev", node_path);
        json_object_set_string_member(d, "iommu", dev->iommu->id);
        json_object_set_boolean_member(d, "bound", dev->bound != NULL);
        json_object_set_int_member(d, "total-calls", dev->total);
        json_object_set_object_member(d, "calls", counts_object(dev->counts));
        json_array_add_object_element(devs, d);
    }
    json_object_set_array_member(ret, "devices", devs);
    node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, ret);
    return node;
}

static JsonNode *qmp_x_host_sim_fault(JsonObject *args, Error **errp)
{
    const char *spec = json_object_get_string_member_with_default(args, "spec",
                                                                  NULL);
    JsonNode *node;

    if (!spec) {
        error_setg(errp, "Parameter 'spec' is missing");
        return NULL;
    }
    if (!host_sim_fault_parse(spec, errp)) {
        return NULL;
    }
    node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, json_object_new());
    return node;
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

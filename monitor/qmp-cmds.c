/*
 * The core QMP commands: control, version, run state and QOM queries.
 */
#include <stdio.h>
#include <string.h>

#include "hw/core/machine.h"
#include "monitor-internal.h"
#include "monitor/qmp-args.h"
#include "system/runstate.h"

#define VV_PACKAGE "vfio-viommu"

static JsonNode *qmp_return_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

static JsonNode *qmp_return_empty(void)
{
    return qmp_return_object(json_object_new());
}

static JsonNode *qmp_return_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

/* Commands without arguments share this check. */
static bool qmp_no_args(JsonObject *args, Error **errp)
{
    return qmp_args_check(args, NULL, errp);
}

JsonObject *qmp_version_info(void)
{
    JsonObject *info = json_object_new();
    JsonObject *triple = json_object_new();
    unsigned major = 0, minor = 0, micro = 0;

    sscanf(VV_VERSION, "%u.%u.%u", &major, &minor, &micro);
    json_object_set_int_member(triple, "micro", micro);
    json_object_set_int_member(triple, "minor", minor);
    json_object_set_int_member(triple, "major", major);
    json_object_set_object_member(info, "qemu", triple);
    json_object_set_string_member(info, "package", VV_PACKAGE);
    return info;
}

const char *qmp_version_string(void)
{
    return VV_VERSION " (" VV_PACKAGE ")";
}

static JsonNode *qmp_qmp_capabilities(JsonObject *args, Error **errp)
{
    /* Reached only once negotiation is over (see monitor/qmp.c). */
    error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
              "Capabilities negotiation is already complete, command "
              "ignored");
    return NULL;
}

static JsonNode *qmp_query_version(JsonObject *args, Error **errp)
{
    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    return qmp_return_object(qmp_version_info());
}

static JsonNode *qmp_query_status(JsonObject *args, Error **errp)
{
    JsonObject *info;

    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    info = json_object_new();
    json_object_set_string_member(info, "status", runstate_name());
    json_object_set_boolean_member(info, "running", runstate_is_running());
    return qmp_return_object(info);
}

static JsonNode *qmp_query_commands(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) names = NULL;
    JsonArray *list;

    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    names = qmp_command_names();
    list = json_array_new();
    for (guint i = 0; i < names->len; i++) {
        JsonObject *cmd = json_object_new();

        json_object_set_string_member(cmd, "name",
                                      g_ptr_array_index(names, i));
        json_array_add_object_element(list, cmd);
    }
    return qmp_return_array(list);
}

static Object *qmp_resolve(JsonObject *args, Error **errp)
{
    const char *path = json_object_get_string_member(args, "path");
    Object *obj = object_resolve_path(path);

    if (!obj) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", path);
    }
    return obj;
}

static void qmp_add_prop_entry(JsonArray *list, const char *name,
                               const char *type)
{
    JsonObject *entry = json_object_new();

    json_object_set_string_member(entry, "name", name);
    json_object_set_string_member(entry, "type", type);
    json_array_add_object_element(list, entry);
}

static void qmp_list_prop(const Property *prop, void *opaque)
{
    g_autofree char *type = NULL;

    if (prop->info == &prop_info_link) {
        type = g_strdup_printf("link<%s>", prop->link_type);
    } else {
        type = g_strdup(prop->info->type);
    }
    qmp_add_prop_entry(opaque, prop->name, type);
}

static JsonNode *qmp_qom_list(JsonObject *args, Error **errp)
{
    static const QmpArgSpec spec[] = {
        { "path", QMP_ARG_STRING },
        { NULL }
    };
    JsonArray *list;
    Object *obj;

    if (!qmp_args_check(args, spec, errp) || !(obj = qmp_resolve(args, errp))) {
        return NULL;
    }
    list = json_array_new();
    qmp_add_prop_entry(list, "type", "string");
    object_class_foreach_property(obj->klass, qmp_list_prop, list);
    for (guint i = 0; obj->children && i < obj->children->len; i++) {
        Object *child = g_ptr_array_index(obj->children, i);
        g_autofree char *type =
            g_strdup_printf("child<%s>", object_get_typename(child));

        qmp_add_prop_entry(list, child->name, type);
    }
    return qmp_return_array(list);
}

static JsonNode *qmp_qom_get(JsonObject *args, Error **errp)
{
    static const QmpArgSpec spec[] = {
        { "path", QMP_ARG_STRING },
        { "property", QMP_ARG_STRING },
        { NULL }
    };
    const char *name;
    Object *obj, *child;

    if (!qmp_args_check(args, spec, errp) || !(obj = qmp_resolve(args, errp))) {
        return NULL;
    }
    name = json_object_get_string_member(args, "property");
    if (!strcmp(name, "type")) {
        return json_node_init_string(json_node_alloc(),
                                     object_get_typename(obj));
    }
    child = object_resolve_child(obj, name);
    if (child) {
        g_autofree char *path = object_get_canonical_path(child);
        return json_node_init_string(json_node_alloc(), path);
    }
    if (!object_property_find(obj, name)) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return NULL;
    }
    return object_property_get(obj, name, errp);
}

static JsonNode *qmp_qom_list_types(JsonObject *args, Error **errp)
{
    static const QmpArgSpec spec[] = {
        { "implements", QMP_ARG_STRING, true },
        { "abstract", QMP_ARG_BOOL, true },
        { NULL }
    };
    const char *implements;
    JsonArray *list;
    GSList *classes;

    if (!qmp_args_check(args, spec, errp)) {
        return NULL;
    }
    implements = qmp_arg_str(args, "implements", NULL);
    list = json_array_new();
    if (implements && !object_class_by_name(implements)) {
        return qmp_return_array(list);
    }
    classes = object_class_get_list(implements,
                                    qmp_arg_bool(args, "abstract", false));
    for (GSList *l = classes; l; l = l->next) {
        ObjectClass *oc = l->data;
        ObjectClass *parent = object_class_get_parent(oc);
        JsonObject *info = json_object_new();

        json_object_set_string_member(info, "name",
                                      object_class_get_name(oc));
        if (object_class_is_abstract(oc)) {
            json_object_set_boolean_member(info, "abstract", true);
        }
        if (parent) {
            json_object_set_string_member(info, "parent",
                                          object_class_get_name(parent));
        }
        json_array_add_object_element(list, info);
    }
    g_slist_free(classes);
    return qmp_return_array(list);
}

static JsonNode *qmp_query_machines(JsonObject *args, Error **errp)
{
    JsonArray *list;
    GSList *classes;

    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    list = json_array_new();
    classes = object_class_get_list(TYPE_MACHINE, false);
    for (GSList *l = classes; l; l = l->next) {
        MachineClass *mc = MACHINE_CLASS(l->data);
        JsonObject *info = json_object_new();

        if (!mc->name) {
            json_object_unref(info);
            continue;
        }
        json_object_set_string_member(info, "name", mc->name);
        if (mc->alias) {
            json_object_set_string_member(info, "alias", mc->alias);
        }
        if (mc->is_default) {
            json_object_set_boolean_member(info, "is-default", true);
        }
        /* No guest CPUs: the fields QEMU always reports, truthfully. */
        json_object_set_int_member(info, "cpu-max", 1);
        json_object_set_boolean_member(info, "hotpluggable-cpus", false);
        json_object_set_boolean_member(info, "numa-mem-supported", false);
        json_object_set_boolean_member(info, "deprecated", false);
        json_object_set_boolean_member(info, "acpi", false);
        json_array_add_object_element(list, info);
    }
    g_slist_free(classes);
    return qmp_return_array(list);
}

static JsonNode *qmp_human_monitor_command(JsonObject *args, Error **errp)
{
    static const QmpArgSpec spec[] = {
        { "command-line", QMP_ARG_STRING },
        { "cpu-index", QMP_ARG_INT, true },
        { NULL }
    };
    g_autofree char *out = NULL;
    g_autofree char *crlf = NULL;

    if (!qmp_args_check(args, spec, errp)) {
        return NULL;
    }
    out = hmp_execute(json_object_get_string_member(args, "command-line"));
    crlf = hmp_crlf(out);
    return json_node_init_string(json_node_alloc(), crlf);
}

static JsonNode *qmp_system_reset(JsonObject *args, Error **errp)
{
    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    qemu_system_reset();
    return qmp_return_empty();
}

static JsonNode *qmp_quit(JsonObject *args, Error **errp)
{
    JsonObject *data;

    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    data = json_object_new();
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-qmp-quit");
    qmp_event_send("SHUTDOWN", data);
    qemu_system_shutdown_request();
    return qmp_return_empty();
}

static JsonNode *qmp_cont(JsonObject *args, Error **errp)
{
    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    if (!runstate_is_running()) {
        runstate_set_running(true);
        qmp_event_send("RESUME", NULL);
    }
    return qmp_return_empty();
}

static JsonNode *qmp_stop(JsonObject *args, Error **errp)
{
    if (!qmp_no_args(args, errp)) {
        return NULL;
    }
    if (runstate_is_running()) {
        runstate_set_running(false);
        qmp_event_send("STOP", NULL);
    }
    return qmp_return_empty();
}

void qmp_core_register(void)
{
    static const struct {
        const char *name;
        QmpCommandFunc fn;
    } cmds[] = {
        { "qmp_capabilities", qmp_qmp_capabilities },
        { "query-version", qmp_query_version },
        { "query-status", qmp_query_status },
        { "query-commands", qmp_query_commands },
        { "qom-list", qmp_qom_list },
        { "qom-get", qmp_qom_get },
        { "qom-list-types", qmp_qom_list_types },
        { "query-machines", qmp_query_machines },
        { "human-monitor-command", qmp_human_monitor_command },
        { "system_reset", qmp_system_reset },
        { "quit", qmp_quit },
        { "cont", qmp_cont },
        { "stop", qmp_stop },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        qmp_register_command(cmds[i].name, cmds[i].fn);
    }
    hmp_register_builtin_info();
}

/*
 * The core QMP commands: control, version, run state, machines, name,
 * target and KVM (none).  The QOM queries are in monitor/qmp-qom.c.
 */
#include <stdio.h>
#include <string.h>

#include "hw/core/machine.h"
#include "monitor-internal.h"
#include "monitor/qmp-args.h"
#include "system/runstate.h"

#define VV_PACKAGE "vfio-viommu"

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
    return qmp_return_object(qmp_version_info());
}

static JsonNode *qmp_query_status(JsonObject *args, Error **errp)
{
    JsonObject *info;

    info = json_object_new();
    json_object_set_string_member(info, "status", runstate_name());
    json_object_set_boolean_member(info, "running", runstate_is_running());
    return qmp_return_object(info);
}

static JsonNode *qmp_query_commands(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) names = NULL;
    JsonArray *list;

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

static JsonNode *qmp_query_machines(JsonObject *args, Error **errp)
{
    JsonArray *list;
    GSList *classes;

    list = json_array_new();
    classes = object_class_get_list(TYPE_MACHINE, false);
    for (GSList *l = classes; l; l = l->next) {
        MachineClass *mc = MACHINE_CLASS(l->data);
        JsonObject *info = json_object_new();

        if (!mc->name) {
            json_object_unref(info);
            continue;
        }
        /* QEMU's direction: the versioned name, the short one its alias. */
        json_object_set_string_member(info, "name",
                                      mc->alias ? mc->alias : mc->name);
        if (mc->alias) {
            json_object_set_string_member(info, "alias", mc->name);
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
    g_autofree char *out = NULL;
    g_autofree char *crlf = NULL;

    out = hmp_execute(json_object_get_string_member(args, "command-line"));
    crlf = hmp_crlf(out);
    return json_node_init_string(json_node_alloc(), crlf);
}

static JsonNode *qmp_system_reset(JsonObject *args, Error **errp)
{
    qemu_system_reset();
    return qmp_return_empty();
}

static JsonNode *qmp_quit(JsonObject *args, Error **errp)
{
    JsonObject *data;

    data = json_object_new();
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-qmp-quit");
    qmp_event_send("SHUTDOWN", data);
    qemu_system_shutdown_request();
    return qmp_return_empty();
}

static JsonNode *qmp_cont(JsonObject *args, Error **errp)
{
    if (!runstate_is_running()) {
        runstate_set_running(true);
        qmp_event_send("RESUME", NULL);
    }
    return qmp_return_empty();
}

static JsonNode *qmp_stop(JsonObject *args, Error **errp)
{
    if (runstate_is_running()) {
        runstate_set_running(false);
        qmp_event_send("STOP", NULL);
    }
    return qmp_return_empty();
}

static char *vm_name;

void qmp_set_vm_name(const char *name)
{
    g_free(vm_name);
    vm_name = g_strdup(name);
}

static JsonNode *qmp_query_name(JsonObject *args, Error **errp)
{
    JsonObject *info = json_object_new();

    if (vm_name) {
        json_object_set_string_member(info, "name", vm_name);
    }
    return qmp_return_object(info);
}

/* The board's architecture: what its -system-ARCH name says. */
static JsonNode *qmp_query_target(JsonObject *args, Error **errp)
{
    MachineState *ms = qdev_get_machine();
    JsonObject *info = json_object_new();
    const char *type = ms ? object_get_typename(OBJECT(ms)) : "";

    json_object_set_string_member(info, "arch",
                                  g_str_has_prefix(type, "virt")
                                  ? "aarch64" : "x86_64");
    return qmp_return_object(info);
}

/* No guest CPUs, so no KVM: the truthful answer. */
static JsonNode *qmp_query_kvm(JsonObject *args, Error **errp)
{
    JsonObject *info = json_object_new();

    json_object_set_boolean_member(info, "enabled", false);
    json_object_set_boolean_member(info, "present", false);
    return qmp_return_object(info);
}

void qmp_core_register(void)
{
    static const QmpArgSpec caps_args[] = {
        { "enable", QMP_ARG_ARRAY, true },
        { NULL }
    };
    static const QmpArgSpec hmp_args[] = {
        { "command-line", QMP_ARG_STRING },
        { "cpu-index", QMP_ARG_INT, true },
        { NULL }
    };
    static const QmpCommandDef cmds[] = {
        { "qmp_capabilities", qmp_qmp_capabilities, caps_args,
          QMP_CMD_RET_EMPTY },
        { "query-version", qmp_query_version },
        { "query-status", qmp_query_status },
        { "query-commands", qmp_query_commands },
        { "query-machines", qmp_query_machines },
        { "query-name", qmp_query_name },
        { "query-target", qmp_query_target },
        { "query-kvm", qmp_query_kvm },
        { "human-monitor-command", qmp_human_monitor_command, hmp_args },
        { "system_reset", qmp_system_reset, NULL, QMP_CMD_RET_EMPTY },
        { "quit", qmp_quit, NULL, QMP_CMD_RET_EMPTY },
        { "cont", qmp_cont, NULL, QMP_CMD_RET_EMPTY },
        { "stop", qmp_stop, NULL, QMP_CMD_RET_EMPTY },
    };

    qmp_register_commands(cmds, G_N_ELEMENTS(cmds));
    qmp_qom_register();
    qmp_schema_register();
    hmp_register_builtin_info();
}

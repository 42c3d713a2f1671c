/*
 * query-qmp-schema: QEMU's SchemaInfo list, built from the registry
 * (monitor/qmp-dispatch.c) that the argument checker reads, so that it
 * lists exactly the commands that exist and exactly the arguments each
 * accepts.
 *
 * Like a QEMU built without unmasked names, object types have opaque
 * names: "0" is the empty object (no arguments, or an empty return),
 * "1", "2"... each command's or event's arguments.  What a command
 * returns beyond {} is described as "any".
 */
#include <string.h>

#include "monitor-internal.h"
#include "monitor/qmp-args.h"

/* The schema type of an argument, and its builtin's JSON type. */
static const struct {
    const char *name;
    const char *json_type;
} qmp_schema_types[] = {
    [QMP_ARG_STRING] = { "str", "string" },
    [QMP_ARG_BOOL] = { "bool", "boolean" },
    [QMP_ARG_INT] = { "int", "int" },
    [QMP_ARG_OBJECT] = { "any", "value" },
    [QMP_ARG_ARRAY] = { "[any]", NULL },
    [QMP_ARG_ANY] = { "any", "value" },
};

/* The events we send and their data members. */
static const QmpArgSpec event_shutdown[] = {
    { "guest", QMP_ARG_BOOL },
    { "reason", QMP_ARG_STRING },
    { NULL }
};
static const QmpArgSpec event_device_deleted[] = {
    { "device", QMP_ARG_STRING, true },
    { "path", QMP_ARG_STRING },
    { NULL }
};
static const struct {
    const char *name;
    const QmpArgSpec *data;
} qmp_schema_events[] = {
    { "SHUTDOWN", event_shutdown },
    { "RESET", event_shutdown },
    { "STOP", NULL },
    { "RESUME", NULL },
    { "DEVICE_DELETED", event_device_deleted },
};

typedef struct SchemaBuilder {
    JsonArray *entities;
    JsonArray *types;
    unsigned next_type;
    bool used[G_N_ELEMENTS(qmp_schema_types)];
} SchemaBuilder;

/* An object type for @spec's members; "0" when there are none. */
static char *qmp_schema_object(SchemaBuilder *b, const QmpArgSpec *spec)
{
    JsonObject *type;
    JsonArray *members;
    char *name;

    if (!spec || !spec->name) {
        return g_strdup("0");
    }
    name = g_strdup_printf("%u", b->next_type++);
    type = json_object_new();
    members = json_array_new();
    for (const QmpArgSpec *s = spec; s->name; s++) {
        JsonObject *m = json_object_new();

        json_object_set_string_member(m, "name", s->name);
        json_object_set_string_member(m, "type",
                                      qmp_schema_types[s->type].name);
        if (s->optional) {
            json_object_set_null_member(m, "default");
        }
        b->used[s->type] = true;
        json_array_add_object_element(members, m);
    }
    json_object_set_string_member(type, "name", name);
    json_object_set_array_member(type, "members", members);
    json_object_set_string_member(type, "meta-type", "object");
    json_array_add_object_element(b->types, type);
    return name;
}

static void qmp_schema_commands(SchemaBuilder *b)
{
    g_autoptr(GPtrArray) names = qmp_command_names();

    for (guint i = 0; i < names->len; i++) {
        const QmpCommandDef *def = qmp_command_find(names->pdata[i]);
        g_autofree char *arg = qmp_schema_object(b, def->args);
        JsonObject *cmd = json_object_new();

        json_object_set_string_member(cmd, "name", def->name);
        json_object_set_string_member(cmd, "ret-type",
                                      def->flags & QMP_CMD_RET_EMPTY
                                      ? "0" : "any");
        json_object_set_string_member(cmd, "meta-type", "command");
        json_object_set_string_member(cmd, "arg-type", arg);
        json_array_add_object_element(b->entities, cmd);
    }
}

static void qmp_schema_events_add(SchemaBuilder *b)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_schema_events); i++) {
        g_autofree char *arg = qmp_schema_object(b,
                                                 qmp_schema_events[i].data);
        JsonObject *ev = json_object_new();

        json_object_set_string_member(ev, "name", qmp_schema_events[i].name);
        json_object_set_string_member(ev, "meta-type", "event");
        json_object_set_string_member(ev, "arg-type", arg);
        json_array_add_object_element(b->entities, ev);
    }
}

static void qmp_schema_builtin(JsonArray *out, const char *name,
                               const char *json_type)
{
    JsonObject *t = json_object_new();

    json_object_set_string_member(t, "name", name);
    json_object_set_string_member(t, "json-type", json_type);
    json_object_set_string_member(t, "meta-type", "builtin");
    json_array_add_object_element(out, t);
}

/* The builtins and array types the objects above refer to. */
static void qmp_schema_basic_types(SchemaBuilder *b)
{
    JsonObject *empty = json_object_new();

    json_object_set_string_member(empty, "name", "0");
    json_object_set_array_member(empty, "members", json_array_new());
    json_object_set_string_member(empty, "meta-type", "object");
    json_array_add_object_element(b->entities, empty);
    /* "any" is also every non-empty return type. */
    qmp_schema_builtin(b->entities, "any", "value");
    for (size_t t = 0; t < G_N_ELEMENTS(qmp_schema_types); t++) {
        const char *json_type = qmp_schema_types[t].json_type;

        if (b->used[t] && json_type && strcmp(json_type, "value")) {
            qmp_schema_builtin(b->entities, qmp_schema_types[t].name,
                               json_type);
        }
    }
    if (b->used[QMP_ARG_ARRAY]) {
        JsonObject *arr = json_object_new();

        json_object_set_string_member(arr, "name", "[any]");
        json_object_set_string_member(arr, "element-type", "any");
        json_object_set_string_member(arr, "meta-type", "array");
        json_array_add_object_element(b->entities, arr);
    }
}

static JsonNode *qmp_query_qmp_schema(JsonObject *args, Error **errp)
{
    SchemaBuilder b = {
        .entities = json_array_new(),
        .types = json_array_new(),
        .next_type = 1,
    };
    JsonNode *node;

    qmp_schema_commands(&b);
    qmp_schema_events_add(&b);
    for (guint i = 0; i < json_array_get_length(b.types); i++) {
        json_array_add_element(b.entities,
                               json_array_dup_element(b.types, i));
    }
    json_array_unref(b.types);
    qmp_schema_basic_types(&b);
    node = json_node_init_array(json_node_alloc(), b.entities);
    json_array_unref(b.entities);
    return node;
}

void qmp_schema_register(void)
{
    qmp_register_command("query-qmp-schema", qmp_query_qmp_schema);
}

/*
 * The QMP command registry and argument checking.
 *
 * Each command is registered with the table of arguments it accepts;
 * the dispatcher checks a request against that table before the command
 * runs, and query-qmp-schema (monitor/qmp-schema.c) describes the same
 * table, so what is checked and what is advertised cannot drift apart.
 */
#include <string.h>

#include "monitor-internal.h"
#include "monitor/qmp-args.h"

static GHashTable *qmp_commands;        /* name -> QmpCommandDef * */

static void qmp_command_insert(const QmpCommandDef *def)
{
    if (!qmp_commands) {
        qmp_commands = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             NULL, g_free);
    }
    g_hash_table_replace(qmp_commands, (gpointer)def->name,
                         g_memdup2(def, sizeof(*def)));
}

void qmp_register_command(const char *name, QmpCommandFunc fn)
{
    QmpCommandDef def = { .name = name, .fn = fn };

    qmp_command_insert(&def);
}

void qmp_register_commands(const QmpCommandDef *defs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        qmp_command_insert(&defs[i]);
    }
}

void qmp_unregister_all(void)
{
    g_clear_pointer(&qmp_commands, g_hash_table_destroy);
    hmp_unregister_all();
}

static int qmp_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *qmp_command_names(void)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer key;

    if (qmp_commands) {
        g_hash_table_iter_init(&iter, qmp_commands);
        while (g_hash_table_iter_next(&iter, &key, NULL)) {
            g_ptr_array_add(names, g_strdup(key));
        }
    }
    g_ptr_array_sort(names, qmp_name_cmp);
    return names;
}

const QmpCommandDef *qmp_command_find(const char *name)
{
    return qmp_commands ? g_hash_table_lookup(qmp_commands, name) : NULL;
}

JsonNode *qmp_dispatch_command(const char *name, JsonObject *args,
                               Error **errp)
{
    const QmpCommandDef *def = qmp_command_find(name);
    g_autoptr(JsonObject) empty = NULL;

    if (!def) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (!args) {
        args = empty = json_object_new();
    }
    if (!qmp_args_check_full(args, def->args,
                             def->flags & QMP_CMD_EXTRA_ARGS, errp)) {
        return NULL;
    }
    return def->fn(args, errp);
}

JsonNode *qmp_return_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

JsonNode *qmp_return_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

JsonNode *qmp_return_empty(void)
{
    return qmp_return_object(json_object_new());
}

/* Argument checking (include/monitor/qmp-args.h). */

static const char *const qmp_arg_type_names[] = {
    [QMP_ARG_STRING] = "string",
    [QMP_ARG_BOOL] = "boolean",
    [QMP_ARG_INT] = "integer",
    [QMP_ARG_OBJECT] = "object",
    [QMP_ARG_ARRAY] = "array",
    [QMP_ARG_ANY] = "any",
};

static bool qmp_arg_type_ok(JsonNode *node, QmpArgType type)
{
    GType vt;

    switch (type) {
    case QMP_ARG_OBJECT:
        return JSON_NODE_HOLDS_OBJECT(node);
    case QMP_ARG_ARRAY:
        return JSON_NODE_HOLDS_ARRAY(node);
    case QMP_ARG_ANY:
        return true;
    default:
        break;
    }
    if (!JSON_NODE_HOLDS_VALUE(node)) {
        return false;
    }
    vt = json_node_get_value_type(node);
    return (type == QMP_ARG_STRING && vt == G_TYPE_STRING) ||
           (type == QMP_ARG_BOOL && vt == G_TYPE_BOOLEAN) ||
           (type == QMP_ARG_INT && vt == G_TYPE_INT64);
}

bool qmp_args_check_full(JsonObject *args, const QmpArgSpec *spec,
                         bool allow_extra, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(args);

    for (const QmpArgSpec *s = spec; s && s->name; s++) {
        JsonNode *node = json_object_get_member(args, s->name);

        if (!node) {
            if (!s->optional) {
                error_setg(errp, "Parameter '%s' is missing", s->name);
                return false;
            }
            continue;
        }
        if (!qmp_arg_type_ok(node, s->type)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                       s->name, qmp_arg_type_names[s->type]);
            return false;
        }
    }
    for (GList *l = members; l && !allow_extra; l = l->next) {
        const QmpArgSpec *s = spec;

        while (s && s->name && strcmp(s->name, l->data)) {
            s++;
        }
        if (!s || !s->name) {
            error_setg(errp, "Parameter '%s' is unexpected",
                       (const char *)l->data);
            return false;
        }
    }
    return true;
}

bool qmp_args_check(JsonObject *args, const QmpArgSpec *spec, Error **errp)
{
    return qmp_args_check_full(args, spec, false, errp);
}

const char *qmp_arg_str(JsonObject *args, const char *name, const char *def)
{
    return json_object_has_member(args, name) ?
        json_object_get_string_member(args, name) : def;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool def)
{
    return json_object_has_member(args, name) ?
        json_object_get_boolean_member(args, name) : def;
}

int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t def)
{
    return json_object_has_member(args, name) ?
        json_object_get_int_member(args, name) : def;
}

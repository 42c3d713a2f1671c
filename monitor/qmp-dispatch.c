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
static JsonNode *qmp_empty;             /* {}, sealed, shared by replies */

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
    g_clear_pointer(&qmp_empty, json_node_unref);
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

static JsonNode *qmp_call(const QmpCommandDef *def, const JsonView *args,
                          Error **errp)
{
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(JsonObject) empty = NULL;
    g_autoptr(KeyValList) opts = NULL;

    if (def->opts_fn) {
        opts = args ? keyval_from_view(args, errp) : keyval_new();
        return opts ? def->opts_fn(opts, errp) : NULL;
    }
    if (!args) {
        empty = json_object_new();
        return def->fn(empty, errp);
    }
    node = json_view_to_node(args);
    return def->fn(json_node_get_object(node), errp);
}

JsonNode *qmp_dispatch_view(const char *name, const JsonView *args,
                            Error **errp)
{
    const QmpCommandDef *def = qmp_command_find(name);

    if (!def) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (!qmp_args_check_full(args, def->args,
                             def->flags & QMP_CMD_EXTRA_ARGS, errp)) {
        return NULL;
    }
    return qmp_call(def, args, errp);
}

/* Written out and read back, to be checked as a request's arguments are. */
JsonNode *qmp_dispatch_command(const char *name, JsonObject *args,
                               Error **errp)
{
    g_autoptr(GString) text = g_string_new(NULL);
    g_autoptr(JsonDoc) doc = NULL;
    JsonView view;

    if (!args) {
        return qmp_dispatch_view(name, NULL, errp);
    }
    json_append_object(text, args);
    doc = json_doc_parse(text->str, errp);
    if (!doc) {
        return NULL;
    }
    view = json_doc_root(doc);
    return qmp_dispatch_view(name, &view, errp);
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
    if (!qmp_empty) {
        qmp_empty = qmp_return_object(json_object_new());
        json_node_seal(qmp_empty);
    }
    return json_node_ref(qmp_empty);
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

static bool qmp_arg_type_ok(const JsonView *v, QmpArgType type)
{
    static const JsonKind kinds[] = {
        [QMP_ARG_STRING] = JSON_KIND_STRING,
        [QMP_ARG_BOOL] = JSON_KIND_BOOL,
        [QMP_ARG_INT] = JSON_KIND_INT,
        [QMP_ARG_OBJECT] = JSON_KIND_OBJECT,
        [QMP_ARG_ARRAY] = JSON_KIND_ARRAY,
    };

    return type == QMP_ARG_ANY || json_view_kind(v) == kinds[type];
}

static bool qmp_arg_named(const QmpArgSpec *spec, const JsonView *name)
{
    for (const QmpArgSpec *s = spec; s && s->name; s++) {
        if (json_view_string_is(name, s->name)) {
            return true;
        }
    }
    return false;
}

bool qmp_args_check_full(const JsonView *args, const QmpArgSpec *spec,
                         bool allow_extra, Error **errp)
{
    JsonView name, value;

    for (const QmpArgSpec *s = spec; s && s->name; s++) {
        if (!args || !json_view_member(args, s->name, &value)) {
            if (!s->optional) {
                error_setg(errp, "Parameter '%s' is missing", s->name);
                return false;
            }
            continue;
        }
        if (!qmp_arg_type_ok(&value, s->type)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                       s->name, qmp_arg_type_names[s->type]);
            return false;
        }
    }
    for (bool more = args && !allow_extra &&
                     json_view_first_member(args, &name, &value);
         more; more = json_view_next_member(&name, &value)) {
        if (!qmp_arg_named(spec, &name)) {
            g_autofree char *n = json_view_get_string(&name);

            error_setg(errp, "Parameter '%s' is unexpected", n);
            return false;
        }
    }
    return true;
}

bool qmp_args_check(const JsonView *args, const QmpArgSpec *spec,
                    Error **errp)
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

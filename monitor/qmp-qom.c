/*
 * QMP commands on the object model: qom-list, qom-get, qom-set,
 * qom-list-types, qom-list-properties and device-list-properties, with
 * QEMU's answers and errors.  They need no machine: libqtest asks them
 * of "-machine none".
 */
#include <string.h>

#include "hw/core/qdev.h"
#include "monitor-internal.h"
#include "monitor/qmp-args.h"

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

static char *qmp_prop_type(const Property *prop)
{
    if (prop->info == &prop_info_link) {
        return g_strdup_printf("link<%s>", prop->link_type);
    }
    return g_strdup(prop->info->type);
}

static void qmp_list_prop(const Property *prop, void *opaque)
{
    g_autofree char *type = qmp_prop_type(prop);

    qmp_add_prop_entry(opaque, prop->name, type);
}

static JsonNode *qmp_qom_list(JsonObject *args, Error **errp)
{
    JsonArray *list;
    Object *obj = qmp_resolve(args, errp);

    if (!obj) {
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
    const char *name = json_object_get_string_member(args, "property");
    Object *obj = qmp_resolve(args, errp);
    Object *child;

    if (!obj) {
        return NULL;
    }
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

/* A JSON scalar as the text our property parsers take ("on", "12"). */
static char *qmp_value_text(JsonNode *value, const char *name, Error **errp)
{
    if (JSON_NODE_HOLDS_VALUE(value)) {
        switch (json_node_get_value_type(value)) {
        case G_TYPE_STRING:
            return g_strdup(json_node_get_string(value));
        case G_TYPE_BOOLEAN:
            return g_strdup(json_node_get_boolean(value) ? "on" : "off");
        case G_TYPE_INT64:
            return g_strdup_printf("%" G_GINT64_FORMAT,
                                   json_node_get_int(value));
        default:
            break;
        }
    }
    error_setg(errp, "Invalid parameter type for '%s', expected: %s", name,
               "string, integer or boolean");
    return NULL;
}

static JsonNode *qmp_qom_set(JsonObject *args, Error **errp)
{
    const char *name = json_object_get_string_member(args, "property");
    Object *obj = qmp_resolve(args, errp);
    g_autofree char *text = NULL;
    DeviceState *dev;

    if (!obj) {
        return NULL;
    }
    if (!object_property_find(obj, name)) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return NULL;
    }
    text = qmp_value_text(json_object_get_member(args, "value"), name, errp);
    if (!text) {
        return NULL;
    }
    dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);
    if (dev ? !qdev_prop_parse(dev, name, text, errp)
            : !object_property_parse(obj, name, text, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_qom_list_types(JsonObject *args, Error **errp)
{
    const char *implements = qmp_arg_str(args, "implements", NULL);
    JsonArray *list = json_array_new();
    GSList *classes;

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

typedef struct PropInfoCtx {
    JsonArray *list;
    Object *obj;                /* a fresh instance for defaults, or NULL */
} PropInfoCtx;

/* ObjectPropertyInfo: name, type, description, default-value. */
static void qmp_prop_info(const Property *prop, void *opaque)
{
    PropInfoCtx *ctx = opaque;
    JsonObject *info = json_object_new();
    g_autofree char *type = qmp_prop_type(prop);

    json_object_set_string_member(info, "name", prop->name);
    json_object_set_string_member(info, "type", type);
    if (prop->description) {
        json_object_set_string_member(info, "description",
                                      prop->description);
    }
    /* Strings and links have no default (QEMU leaves the member out). */
    if (ctx->obj && prop->info != &prop_info_string &&
        prop->info != &prop_info_link) {
        JsonNode *def = object_property_get(ctx->obj, prop->name, NULL);

        if (def) {
            json_object_set_member(info, "default-value", def);
        }
    }
    json_array_add_object_element(ctx->list, info);
}

static JsonNode *qmp_list_class_props(ObjectClass *oc)
{
    PropInfoCtx ctx = { .list = json_array_new() };

    if (!object_class_is_abstract(oc)) {
        ctx.obj = object_new(object_class_get_name(oc));
    }
    object_class_foreach_property(oc, qmp_prop_info, &ctx);
    if (ctx.obj) {
        object_unparent(ctx.obj);
    }
    return qmp_return_array(ctx.list);
}

static JsonNode *qmp_qom_list_properties(JsonObject *args, Error **errp)
{
    const char *name = json_object_get_string_member(args, "typename");
    ObjectClass *oc = object_class_by_name(name);

    if (!oc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Class '%s' not found", name);
        return NULL;
    }
    return qmp_list_class_props(oc);
}

static JsonNode *qmp_device_list_properties(JsonObject *args, Error **errp)
{
    const char *name = json_object_get_string_member(args, "typename");
    ObjectClass *oc = object_class_by_name(name);

    if (!oc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", name);
        return NULL;
    }
    if (!object_class_is(oc, TYPE_DEVICE) || object_class_is_abstract(oc)) {
        error_setg(errp, "Parameter 'typename' expects a non-abstract "
                   "device type");
        return NULL;
    }
    return qmp_list_class_props(oc);
}

void qmp_qom_register(void)
{
    static const QmpArgSpec path_args[] = {
        { "path", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpArgSpec get_args[] = {
        { "path", QMP_ARG_STRING },
        { "property", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpArgSpec set_args[] = {
        { "path", QMP_ARG_STRING },
        { "property", QMP_ARG_STRING },
        { "value", QMP_ARG_ANY },
        { NULL }
    };
    static const QmpArgSpec list_types_args[] = {
        { "implements", QMP_ARG_STRING, true },
        { "abstract", QMP_ARG_BOOL, true },
        { NULL }
    };
    static const QmpArgSpec typename_args[] = {
        { "typename", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpCommandDef cmds[] = {
        { "qom-list", qmp_qom_list, path_args },
        { "qom-get", qmp_qom_get, get_args },
        { "qom-set", qmp_qom_set, set_args, QMP_CMD_RET_EMPTY },
        { "qom-list-types", qmp_qom_list_types, list_types_args },
        { "qom-list-properties", qmp_qom_list_properties, typename_args },
        { "device-list-properties", qmp_device_list_properties,
          typename_args },
    };

    qmp_register_commands(cmds, G_N_ELEMENTS(cmds));
}

/*
 * Creating and deleting devices and objects from option lists: the
 * command line (-device, -object) and QMP (device_add, device_del,
 * object-add, object-del).
 */
#include "system/vl.h"
#include "hw/core/machine.h"
#include "hw/core/qdev-globals.h"
#include "monitor/monitor.h"
#include "monitor/qmp-args.h"
#include "qemu/json-parser.h"

#include <stdio.h>
#include <string.h>

/* QEMU's rule: a letter, then letters, digits, '-', '.', '_'. */
static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/* After start-up, -global errors only warn (QEMU: not fatal on hot plug). */
static bool hotplugging(void)
{
    MachineState *ms = qdev_get_machine();

    return ms && ms->init_done;
}

static bool apply_props(Object *obj, KeyValList *opts, Error **errp)
{
    for (guint i = 0; i < opts->len; i++) {
        KeyVal *kv = g_ptr_array_index(opts, i);

        if (!object_property_parse(obj, kv->key, kv->value, errp)) {
            return false;
        }
    }
    return true;
}

static BusState *qdev_find_bus(DeviceClass *dc, const char *bus_name,
                               Error **errp)
{
    BusState *bus;

    if (bus_name) {
        bus = qbus_find(bus_name);
        if (!bus) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Bus '%s' not found", bus_name);
        }
        return bus;
    }
    if (!dc->bus_type) {
        return NULL;
    }
    bus = qbus_find_default(dc->bus_type);
    if (!bus) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   object_class_get_name(&dc->parent_class));
    }
    return bus;
}

DeviceState *qdev_device_add(KeyValList *opts, Error **errp)
{
    g_autofree char *driver = keyval_take(opts, "driver");
    g_autofree char *id = keyval_take(opts, "id");
    g_autofree char *bus_name = keyval_take(opts, "bus");
    ObjectClass *oc;
    DeviceClass *dc;
    DeviceState *dev;
    BusState *bus = NULL;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    oc = object_class_by_name(driver);
    if (!oc || !object_class_is(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc) || !oc->user_creatable) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    dc = DEVICE_CLASS(oc);
    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (id && qdev_find_by_id(id)) {
        error_setg(errp, "Duplicate ID '%s' for device", id);
        return NULL;
    }
    if ((bus_name || dc->bus_type) &&
        !(bus = qdev_find_bus(dc, bus_name, errp))) {
        return NULL;
    }
    dev = DEVICE(object_new(driver));
    dev->id = g_steal_pointer(&id);
    /* -global first, then the device's own properties (QEMU's order). */
    if (!qdev_globals_apply(OBJECT(dev), !hotplugging(), errp) ||
        !apply_props(OBJECT(dev), opts, errp) ||
        !qdev_realize(dev, bus, errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return dev;
}

static DeviceState *qdev_find_recursive(const char *id)
{
    Object *obj = id[0] == '/' ? object_resolve_path(id) : NULL;

    if (obj) {
        return (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);
    }
    return qdev_find_by_id(id);
}

/* DEVICE_DELETED's data for one device, taken before it goes. */
static void collect_deleted(DeviceState *dev, void *opaque)
{
    GPtrArray *events = opaque;
    g_autofree char *path = object_get_canonical_path(OBJECT(dev));
    GString *data = g_string_new("{");

    if (dev->id) {
        json_append_member_name(data, "device");
        json_append_quoted(data, dev->id);
    }
    json_append_member_name(data, "path");
    json_append_quoted(data, path);
    g_string_append_c(data, '}');
    g_ptr_array_add(events, g_string_free(data, false));
}

bool qdev_device_del(const char *id, Error **errp)
{
    DeviceState *dev = qdev_find_recursive(id);
    g_autoptr(GPtrArray) events = NULL;

    if (!dev) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", id);
        return false;
    }
    if (dev->parent_bus && dev->parent_bus->no_hotplug) {
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   dev->parent_bus->name);
        return false;
    }
    if (!DEVICE_GET_CLASS(dev)->hotpluggable || !dev->parent_bus) {
        error_setg(errp, "Device '%s' does not support hotplugging",
                   object_get_typename(OBJECT(dev)));
        return false;
    }
    events = g_ptr_array_new_with_free_func(g_free);
    qdev_foreach_below(dev, collect_deleted, events);
    /*
     * No guest CPU can acknowledge the unplug request, so removal
     * completes at once, as a surprise removal would.
     */
    qdev_unplug_and_free(dev);
    /* Every device that went, those below first (they go first). */
    for (guint i = events->len; i-- > 0;) {
        qmp_event_send_text("DEVICE_DELETED", g_ptr_array_index(events, i));
    }
    return true;
}

Object *user_object_add(KeyValList *opts, Error **errp)
{
    g_autofree char *type = keyval_take(opts, "qom-type");
    g_autofree char *id = keyval_take(opts, "id");
    ObjectClass *oc;
    Object *obj, *objects;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    oc = object_class_by_name(type);
    if (!oc || object_class_is(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc) || !oc->user_creatable) {
        error_setg(errp, "Parameter 'qom-type' does not accept value '%s'",
                   type);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    objects = container_get("/objects");
    if (object_resolve_child(objects, id)) {
        error_setg(errp, "Duplicate ID '%s' for object", id);
        return NULL;
    }
    obj = object_new(type);
    if (!qdev_globals_apply(obj, !hotplugging(), errp) ||
        !apply_props(obj, opts, errp) ||
        (oc->complete && !oc->complete(obj, errp))) {
        object_unparent(obj);
        return NULL;
    }
    object_property_add_child(objects, id, obj);
    return obj;
}

static JsonNode *qmp_device_add(KeyValList *opts, Error **errp)
{
    if (!qdev_device_add(opts, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_device_del(KeyValList *opts, Error **errp)
{
    if (!qdev_device_del(keyval_get(opts, "id"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_object_add(KeyValList *opts, Error **errp)
{
    if (!user_object_add(opts, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

bool user_object_del(const char *id, Error **errp)
{
    Object *obj = object_resolve_child(container_get("/objects"), id);

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (obj->klass->can_be_deleted && !obj->klass->can_be_deleted(obj)) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

static JsonNode *qmp_object_del(KeyValList *opts, Error **errp)
{
    if (!user_object_del(keyval_get(opts, "id"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

void qdev_monitor_register(void)
{
    /* QEMU's device_add names these and passes the rest to the device. */
    static const QmpArgSpec device_add_args[] = {
        { "driver", QMP_ARG_STRING },
        { "bus", QMP_ARG_STRING, true },
        { "id", QMP_ARG_STRING, true },
        { NULL }
    };
    static const QmpArgSpec id_args[] = {
        { "id", QMP_ARG_STRING },
        { NULL }
    };
    /* object-add: the type's own members follow qom-type and id. */
    static const QmpArgSpec object_add_args[] = {
        { "qom-type", QMP_ARG_STRING },
        { "id", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpCommandDef cmds[] = {
        { .name = "device_add", .opts_fn = qmp_device_add,
          .args = device_add_args,
          .flags = QMP_CMD_EXTRA_ARGS | QMP_CMD_RET_EMPTY },
        { .name = "device_del", .opts_fn = qmp_device_del, .args = id_args,
          .flags = QMP_CMD_RET_EMPTY },
        { .name = "object-add", .opts_fn = qmp_object_add,
          .args = object_add_args,
          .flags = QMP_CMD_EXTRA_ARGS | QMP_CMD_RET_EMPTY },
        { .name = "object-del", .opts_fn = qmp_object_del, .args = id_args,
          .flags = QMP_CMD_RET_EMPTY },
    };

    qmp_register_commands(cmds, G_N_ELEMENTS(cmds));
}

/*
 * Devices and buses.
 */
#include "hw/core/qdev.h"
#include "hw/core/machine.h"

#include <string.h>

/* Every bus of the machine, in creation order; qbus_list_reset() clears. */
static GPtrArray *bus_list;

void device_class_set_props(DeviceClass *dc, const Property *props)
{
    dc->parent_class.props = props;
}

void qbus_init(BusState *bus, const char *type, const char *name,
               DeviceState *parent)
{
    bus->type = type;
    bus->name = g_strdup(name);
    bus->parent = parent;
    bus->children = g_ptr_array_new();
}

void qbus_cleanup(BusState *bus)
{
    qbus_unregister(bus);
    g_clear_pointer(&bus->name, g_free);
    if (bus->children) {
        g_assert(bus->children->len == 0);
        g_ptr_array_free(bus->children, TRUE);
        bus->children = NULL;
    }
}

void qbus_register(BusState *bus)
{
    if (!bus_list) {
        bus_list = g_ptr_array_new();
    }
    g_ptr_array_add(bus_list, bus);
}

void qbus_unregister(BusState *bus)
{
    if (bus_list) {
        g_ptr_array_remove(bus_list, bus);
    }
}

BusState *qbus_find(const char *name)
{
    for (guint i = 0; bus_list && i < bus_list->len; i++) {
        BusState *bus = g_ptr_array_index(bus_list, i);

        if (!strcmp(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

BusState *qbus_find_default(const char *type)
{
    for (guint i = 0; bus_list && i < bus_list->len; i++) {
        BusState *bus = g_ptr_array_index(bus_list, i);

        if (!strcmp(bus->type, type)) {
            return bus;
        }
    }
    return NULL;
}

void qbus_list_reset(void)
{
    g_clear_pointer(&bus_list, g_ptr_array_unref);
}

bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     Error **errp)
{
    if (dev->realized) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "(type '%s') after it was realized", name,
                   dev->id ? dev->id : "", object_get_typename(OBJECT(dev)));
        return false;
    }
    return object_property_parse(OBJECT(dev), name, value, errp);
}

static void qdev_add_to_tree(DeviceState *dev)
{
    Object *container;
    g_autofree char *name = NULL;

    if (OBJECT(dev)->parent) {
        return;
    }
    if (dev->id) {
        container = container_get("/machine/peripheral");
        name = g_strdup(dev->id);
    } else {
        container = container_get("/machine/peripheral-anon");
        for (unsigned n = 0; !name; n++) {
            name = g_strdup_printf("device[%u]", n);
            if (object_resolve_child(container, name)) {
                g_clear_pointer(&name, g_free);
            }
        }
    }
    object_property_add_child(container, name, OBJECT(dev));
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    MachineState *ms = qdev_get_machine();
    const char *type = object_get_typename(OBJECT(dev));

    if (dc->bus_type && !bus) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   type);
        return false;
    }
    if (bus && (!dc->bus_type || strcmp(bus->type, dc->bus_type))) {
        error_setg(errp, "Device '%s' can't go on %s bus", type, bus->type);
        return false;
    }
    dev->hotplugged = ms && ms->init_done;
    if (dev->hotplugged && bus && bus->no_hotplug) {
        error_setg(errp, "Bus '%s' does not support hotplugging", bus->name);
        return false;
    }
    if (dev->hotplugged && !dc->hotpluggable) {
        error_setg(errp, "Device '%s' does not support hotplugging", type);
        return false;
    }
    if (bus) {
        dev->parent_bus = bus;
        g_ptr_array_add(bus->children, dev);
    }
    if (dc->realize && !dc->realize(dev, errp)) {
        if (bus) {
            g_ptr_array_remove(bus->children, dev);
            dev->parent_bus = NULL;
        }
        return false;
    }
    dev->realized = true;
    qdev_add_to_tree(dev);
    if (bus && bus->plug_notify) {
        bus->plug_notify(bus, dev, true);
    }
    return true;
}

/* Buses whose parent is @dev, in creation order. */
static GPtrArray *qdev_child_buses(DeviceState *dev)
{
    GPtrArray *buses = g_ptr_array_new();

    for (guint i = 0; bus_list && i < bus_list->len; i++) {
        BusState *bus = g_ptr_array_index(bus_list, i);

        if (bus->parent == dev) {
            g_ptr_array_add(buses, bus);
        }
    }
    return buses;
}

void qdev_unplug_and_free(DeviceState *dev)
{
    g_autoptr(GPtrArray) buses = qdev_child_buses(dev);
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    for (guint i = 0; i < buses->len; i++) {
        BusState *bus = g_ptr_array_index(buses, i);

        while (bus->children->len) {
            qdev_unplug_and_free(g_ptr_array_index(bus->children,
                                                   bus->children->len - 1));
        }
    }
    if (dev->realized && dev->parent_bus && dev->parent_bus->plug_notify) {
        dev->parent_bus->plug_notify(dev->parent_bus, dev, false);
    }
    if (dev->realized && dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    if (dev->parent_bus) {
        g_ptr_array_remove(dev->parent_bus->children, dev);
        dev->parent_bus = NULL;
    }
    object_unparent(OBJECT(dev));
}

static void qdev_walk_bus(BusState *bus,
                          void (*fn)(DeviceState *dev, void *opaque),
                          void *opaque);

static void qdev_walk(DeviceState *dev,
                      void (*fn)(DeviceState *dev, void *opaque),
                      void *opaque)
{
    g_autoptr(GPtrArray) buses = qdev_child_buses(dev);

    fn(dev, opaque);
    for (guint i = 0; i < buses->len; i++) {
        qdev_walk_bus(g_ptr_array_index(buses, i), fn, opaque);
    }
}

static void qdev_walk_bus(BusState *bus,
                          void (*fn)(DeviceState *dev, void *opaque),
                          void *opaque)
{
    for (guint i = 0; i < bus->children->len; i++) {
        qdev_walk(g_ptr_array_index(bus->children, i), fn, opaque);
    }
}

void qdev_foreach_below(DeviceState *dev,
                        void (*fn)(DeviceState *dev, void *opaque),
                        void *opaque)
{
    qdev_walk(dev, fn, opaque);
}

static void qdev_walk_busless(Object *container,
                              void (*fn)(DeviceState *dev, void *opaque),
                              void *opaque)
{
    for (guint i = 0; container && i < container->children->len; i++) {
        Object *obj = g_ptr_array_index(container->children, i);
        DeviceState *dev = (DeviceState *)object_dynamic_cast(obj,
                                                              TYPE_DEVICE);

        if (dev && !dev->parent_bus) {
            qdev_walk(dev, fn, opaque);
        }
    }
}

void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque)
{
    /* Bus-less devices (vIOMMUs, host bridges' owners) and their buses. */
    qdev_walk_busless(object_resolve_path("/machine/unattached"), fn, opaque);
    qdev_walk_busless(object_resolve_path("/machine/peripheral"), fn, opaque);
    qdev_walk_busless(object_resolve_path("/machine/peripheral-anon"), fn,
                      opaque);
    /* Root buses that no device provides (the machine's). */
    for (guint i = 0; bus_list && i < bus_list->len; i++) {
        BusState *bus = g_ptr_array_index(bus_list, i);

        if (!bus->parent) {
            qdev_walk_bus(bus, fn, opaque);
        }
    }
}

static void reset_one(DeviceState *dev, void *opaque)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dev->realized && dc->reset) {
        dc->reset(dev);
    }
}

void qdev_reset_all(void)
{
    qdev_foreach(reset_one, NULL);
}

DeviceState *qdev_find_by_id(const char *id)
{
    Object *container = object_resolve_path("/machine/peripheral");
    Object *obj = container ? object_resolve_child(container, id) : NULL;

    return (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);
}

static void device_finalize(Object *obj)
{
    g_free(DEVICE(obj)->id);
}

static const TypeInfo device_type = {
    .name = TYPE_DEVICE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DeviceState),
    .class_size = sizeof(DeviceClass),
    .abstract = true,
    .instance_finalize = device_finalize,
};

void qdev_register_types(void)
{
    type_register(&device_type);
}

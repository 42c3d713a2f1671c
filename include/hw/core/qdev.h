/*
 * Devices: objects with realize/unrealize/reset that sit on a bus.
 */
#ifndef HW_CORE_QDEV_H
#define HW_CORE_QDEV_H

#include "hw/core/object.h"
#include "hw/core/qdev-properties.h"

#define TYPE_DEVICE "device"

typedef struct DeviceState DeviceState;
typedef struct BusState BusState;

/* DeviceClass.realize_order values. */
enum {
    DEVICE_REALIZE_BUS = -2,
    DEVICE_REALIZE_VIOMMU = -1,
    DEVICE_REALIZE_DEFAULT = 0,
};

typedef struct DeviceClass {
    ObjectClass parent_class;
    /* Bus type a device of this class plugs into, NULL for none. */
    const char *bus_type;
    bool hotpluggable;
    /*
     * Cold plug realizes -device options by this order, then by their
     * place on the command line, whatever that place: expander buses
     * first (a vIOMMU may serve one), then vIOMMUs (PCI devices ask them
     * at realize), then everything else.
     */
    int realize_order;
    /* Heading under which "-device help" lists it. */
    const char *category;
    bool (*realize)(DeviceState *dev, Error **errp);
    void (*unrealize)(DeviceState *dev);
    void (*reset)(DeviceState *dev);
} DeviceClass;

struct DeviceState {
    Object parent_obj;
    char *id;
    bool realized;
    bool hotplugged;
    BusState *parent_bus;
};

/*
 * A bus is a plain container of devices owned by the device (or machine)
 * that provides it; its name ("pcie.0", a root port's id) is what bus=
 * refers to.
 */
struct BusState {
    const char *type;           /* e.g. TYPE_PCIE_BUS */
    char *name;
    DeviceState *parent;        /* the bridge, or NULL for a root bus */
    GPtrArray *children;        /* DeviceState * */
    /* No hot plug onto this bus (q35's pcie.0: its functions have no slot). */
    bool no_hotplug;
    /*
     * Told after a device is realized on the bus and before it is
     * unrealized (hot plug and unplug, as a slot sees them), may be NULL.
     */
    void (*plug_notify)(BusState *bus, DeviceState *dev, bool plugged);
};

#define DEVICE(o) OBJECT_CHECK(DeviceState, (o), TYPE_DEVICE)
#define DEVICE_GET_CLASS(o) OBJECT_GET_CLASS(DeviceClass, (o), TYPE_DEVICE)
#define DEVICE_CLASS(oc) OBJECT_CLASS_CHECK(DeviceClass, (oc), TYPE_DEVICE)

void device_class_set_props(DeviceClass *dc, const Property *props);
/* Registers the abstract "device" type. */
void qdev_register_types(void);

/* Buses. */
void qbus_init(BusState *bus, const char *type, const char *name,
               DeviceState *parent);
void qbus_cleanup(BusState *bus);
/* Every bus of the machine, in creation order (machine owns the list). */
void qbus_register(BusState *bus);
void qbus_unregister(BusState *bus);
BusState *qbus_find(const char *name);
/* The first registered bus of @type that has room, for devices without bus=. */
BusState *qbus_find_default(const char *type);
void qbus_list_reset(void);

/* Set a property, refusing once realized. */
bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     Error **errp);
/*
 * Realize @dev on @bus (may be NULL for bus-less devices) and put it in
 * the composition tree ("/machine/peripheral/ID" or
 * "/machine/peripheral-anon/device[N]").  On failure nothing is left
 * behind but @dev itself, which the caller frees with object_unparent().
 */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
/* Unrealize and free: children buses' devices first. */
void qdev_unplug_and_free(DeviceState *dev);
void qdev_reset_all(void);
DeviceState *qdev_find_by_id(const char *id);
/* Calls @fn for @dev and every device on the buses below it, parent first. */
void qdev_foreach_below(DeviceState *dev,
                        void (*fn)(DeviceState *dev, void *opaque),
                        void *opaque);
/* Calls @fn for every realized device, depth first in bus order. */
void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque);

#endif

/*
 * The machine: "/machine" in the composition tree.
 */
#include "hw/core/machine.h"

#include <string.h>

static GPtrArray *init_done_notifiers;

MachineState *qdev_get_machine(void)
{
    Object *obj = object_resolve_path("/machine");

    return (MachineState *)object_dynamic_cast(obj, TYPE_MACHINE);
}

MachineClass *machine_class_find(const char *name)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        if (name ? !strcmp(mc->name, name) ||
                   (mc->alias && !strcmp(mc->alias, name))
                 : mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

MachineState *machine_create(MachineClass *mc, uint64_t ram_size,
                             Error **errp)
{
    MachineState *ms =
        MACHINE(object_new(object_class_get_name(&mc->parent_class)));

    ms->ram_size = ram_size ? ram_size : mc->default_ram_size;
    ms->viommus = g_ptr_array_new();
    address_space_init(&ms->memory, "memory", 0);
    address_space_init(&ms->io, "I/O", UINT64_MAX);
    object_property_add_child(object_get_root(), "machine", OBJECT(ms));
    if (!mc->init(ms, errp)) {
        machine_destroy();
        return NULL;
    }
    return ms;
}

void machine_add_init_done_notifier(Notifier *n)
{
    if (!init_done_notifiers) {
        init_done_notifiers = g_ptr_array_new();
    }
    g_ptr_array_add(init_done_notifiers, n);
}

void machine_remove_init_done_notifier(Notifier *n)
{
    if (init_done_notifiers) {
        g_ptr_array_remove(init_done_notifiers, n);
    }
}

bool machine_init_done(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    for (guint i = 0; init_done_notifiers && i < init_done_notifiers->len;
         i++) {
        Notifier *n = g_ptr_array_index(init_done_notifiers, i);

        if (!n->notify(n, errp)) {
            return false;
        }
    }
    if (mc->init_done && !mc->init_done(ms, errp)) {
        return false;
    }
    ms->init_done = true;
    return true;
}

void machine_reset(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    qdev_reset_all();
    if (mc->reset) {
        mc->reset(ms);
    }
}

static void machine_unplug_all(Object *container)
{
    while (container && container->children->len) {
        Object *obj = g_ptr_array_index(container->children,
                                        container->children->len - 1);
        DeviceState *dev = (DeviceState *)object_dynamic_cast(obj,
                                                              TYPE_DEVICE);

        if (dev) {
            qdev_unplug_and_free(dev);
        } else {
            object_unparent(obj);
        }
    }
}

void machine_destroy(void)
{
    MachineState *ms = qdev_get_machine();

    if (!ms) {
        return;
    }
    /* User devices first, in reverse order of creation, then the board. */
    machine_unplug_all(object_resolve_path("/machine/peripheral-anon"));
    machine_unplug_all(object_resolve_path("/machine/peripheral"));
    machine_unplug_all(object_resolve_path("/machine/unattached"));
    object_unparent(OBJECT(ms));
    g_clear_pointer(&init_done_notifiers, g_ptr_array_unref);
}

static void machine_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_clear_pointer(&ms->viommus, g_ptr_array_unref);
    address_space_destroy(&ms->memory);
    address_space_destroy(&ms->io);
    memory_region_finalize(&ms->ram);
}

static const TypeInfo machine_type = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(MachineState),
    .class_size = sizeof(MachineClass),
    .abstract = true,
    .instance_finalize = machine_finalize,
};

void machine_register_types(void)
{
    type_register(&machine_type);
}

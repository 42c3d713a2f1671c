/*
 * "-machine none": an empty board, as QEMU's.  libqtest starts every
 * binary with it to ask what it offers (query-machines, qom-list-types,
 * device-list-properties) before the real test; it has no buses and no
 * RAM unless -m asks for some (then at guest address 0).
 */
#include "hw/core/machine.h"

#define TYPE_NONE_MACHINE "none-machine"

static bool none_machine_init(MachineState *ms, Error **errp)
{
    if (ms->ram_size) {
        memory_region_init_ram(&ms->ram, "ram", 0, ms->ram_size);
        address_space_add_region(&ms->memory, &ms->ram);
    }
    return true;
}

static void none_machine_class_init(ObjectClass *oc)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    oc->desc = "empty machine";
    mc->name = "none";
    mc->default_ram_size = 0;
    mc->init = none_machine_init;
}

static const TypeInfo none_machine_type = {
    .name = TYPE_NONE_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(MachineState),
    .class_init = none_machine_class_init,
};

void none_machine_register_types(void)
{
    type_register(&none_machine_type);
}

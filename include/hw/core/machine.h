/*
 * Machines: the board that owns address spaces, RAM and the root bus.
 */
#ifndef HW_CORE_MACHINE_H
#define HW_CORE_MACHINE_H

#include "hw/core/qdev.h"
#include "system/memory.h"

#define TYPE_MACHINE "machine"

typedef struct MachineState MachineState;
typedef struct PCIBus PCIBus;

typedef struct MachineClass {
    ObjectClass parent_class;
    const char *name;           /* "q35", "virt" */
    const char *alias;          /* "pc-q35-10.2" style, may be NULL */
    bool is_default;
    uint64_t default_ram_size;
    /* Build the board: RAM, buses, built-in devices. */
    bool (*init)(MachineState *ms, Error **errp);
    /* Called once every -device is realized ("machine-init-done"). */
    bool (*init_done)(MachineState *ms, Error **errp);
    void (*reset)(MachineState *ms);
} MachineClass;

struct MachineState {
    Object parent_obj;
    uint64_t ram_size;
    AddressSpace memory;        /* system memory */
    AddressSpace io;            /* port I/O (x86) */
    MemoryRegion ram;
    PCIBus *pci_root;           /* the root complex's bus */
    /* The vIOMMUs' VIOMMUHostDevices, in realize order (viommu-host.c). */
    GPtrArray *viommus;
    bool init_done;
};

#define MACHINE(o) OBJECT_CHECK(MachineState, (o), TYPE_MACHINE)
#define MACHINE_GET_CLASS(o) OBJECT_GET_CLASS(MachineClass, (o), TYPE_MACHINE)
#define MACHINE_CLASS(oc) OBJECT_CLASS_CHECK(MachineClass, (oc), TYPE_MACHINE)

/* The running machine, NULL before machine creation. */
MachineState *qdev_get_machine(void);
MachineClass *machine_class_find(const char *name);
/* Create "/machine" of class @mc with @ram_size (0 = the default). */
MachineState *machine_create(MachineClass *mc, uint64_t ram_size,
                             Error **errp);
/* Runs the machine's and every device's machine-init-done checks. */
bool machine_init_done(MachineState *ms, Error **errp);
/* system_reset: every device, then the board. */
void machine_reset(MachineState *ms);
void machine_destroy(void);
void machine_register_types(void);
/* "-machine none" (hw/core/null-machine.c). */
void none_machine_register_types(void);

/*
 * Listeners for machine-init-done (vIOMMU "auto" properties are resolved
 * there).  Removing is needed when a device is unrealized before it.
 */
typedef struct Notifier {
    bool (*notify)(struct Notifier *n, Error **errp);
} Notifier;
void machine_add_init_done_notifier(Notifier *n);
void machine_remove_init_done_notifier(Notifier *n);

#endif

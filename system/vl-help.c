/*
 * Help output.
 */
#include "system/vl-help.h"
#include "hw/core/machine.h"

#include <stdio.h>
#include <string.h>

void vl_print_usage(void)
{
    printf("usage: vfio-viommu [options]\n\n"
        "A QEMU-compatible device model for VFIO over iommufd behind a\n"
        "virtual IOMMU, with PASID.  It runs no guest CPUs: the guest-visible\n"
        "registers are read and written through qtest and QMP.\n\n"
        "Machine and devices:\n"
        "-machine|-M TYPE[,prop=value...]   q35 or virt (-machine help)\n"
        "-m [size=]SIZE[k|M|G|T]            guest RAM (default: the machine's)\n"
        "-object TYPE,id=ID[,prop=value...]  also JSON: '{\"qom-type\":...}'\n"
        "-device DRIVER[,prop=value...]     also JSON: '{\"driver\":...}'\n"
        "-nodefaults, -no-user-config, -nographic   accepted\n"
        "-accel qtest                       the only accelerator\n"
        "-S                                 start in the prelaunch state\n"
        "-name STRING                       guest name\n"
        "-display none, -audio none         the only values\n\n"
        "Interfaces:\n"
        "-qtest unix:PATH                   connect the qtest protocol\n"
        "-qtest-log FILE                    log qtest traffic\n"
        "-chardev socket,id=ID,path=PATH[,server=on,wait=off] | stdio,id=ID\n"
        "-mon chardev=ID[,mode=control|readline]\n"
        "-qmp unix:PATH,server=on,wait=off  QMP server\n"
        "-monitor stdio                     HMP on standard input/output\n"
        "-run-with exit-with-parent=on      exit when the parent dies\n\n"
        "Host:\n"
        "-host-sim FILE                     simulated host kernel from FILE\n"
        "-x-host-sim-fault OPTS             fault injection (docs/system/host-sim.md)\n"
        "-dump-pci-config                   print every PCI function's config\n"
        "                                   space (lspci -xxxx format) and exit\n\n"
        "-version, -h                       this program's version, this help\n");
}

void vl_print_version(void)
{
    printf("vfio-viommu version %s\n", VV_VERSION);
}

static void print_machines(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        /* QEMU's direction: "q35 ... (alias of pc-q35-10.2)". */
        if (mc->alias) {
            printf("%-20s %s (alias of %s)\n", mc->name,
                   mc->parent_class.desc, mc->alias);
        }
        printf("%-20s %s%s\n", mc->alias ? mc->alias : mc->name,
               mc->parent_class.desc, mc->is_default ? " (default)" : "");
    }
}

static void print_devices(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_DEVICE, false);
    g_autoptr(GPtrArray) cats = g_ptr_array_new();

    for (GSList *l = list; l; l = l->next) {
        DeviceClass *dc = l->data;
        const char *cat = dc->category ? dc->category : "Uncategorized";

        if (dc->parent_class.user_creatable &&
            !g_ptr_array_find_with_equal_func(cats, cat, g_str_equal, NULL)) {
            g_ptr_array_add(cats, (gpointer)cat);
        }
    }
    for (guint c = 0; c < cats->len; c++) {
        const char *cat = g_ptr_array_index(cats, c);

        printf("%s%s devices:\n", c ? "\n" : "", cat);
        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = l->data;

            if (!dc->parent_class.user_creatable ||
                strcmp(dc->category ? dc->category : "Uncategorized", cat)) {
                continue;
            }
            printf("name \"%s\"", object_class_get_name(l->data));
            if (dc->bus_type) {
                printf(", bus %s", dc->bus_type);
            }
            if (dc->parent_class.desc) {
                printf(", desc \"%s\"", dc->parent_class.desc);
            }
            printf("\n");
        }
    }
}

static void print_objects(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_OBJECT, false);

    printf("List of user creatable objects:\n");
    for (GSList *l = list; l; l = l->next) {
        ObjectClass *oc = l->data;

        if (oc->user_creatable && !object_class_is(oc, TYPE_DEVICE)) {
            printf("  %s\n", object_class_get_name(oc));
        }
    }
}

static void print_prop(const Property *prop, void *opaque)
{
    Object *obj = opaque;
    g_autofree char *head = NULL;
    g_autofree char *def = NULL;

    if (prop->info == &prop_info_enum) {
        g_autofree char *vals = g_strjoinv("/", (char **)prop->enum_names);

        head = g_strdup_printf("%s=<%s>", prop->name, vals);
    } else if (prop->info == &prop_info_link) {
        head = g_strdup_printf("%s=<link<%s>>", prop->name, prop->link_type);
    } else {
        head = g_strdup_printf("%s=<%s>", prop->name, prop->info->type);
    }
    printf("  %-24s", head);
    if (prop->description) {
        printf(" - %s", prop->description);
    }
    if (prop->info != &prop_info_link) {
        def = object_property_print(obj, prop);
        printf(" (default: %s)", def);
    }
    printf("\n");
}

static bool print_props(const char *kind, const char *name)
{
    ObjectClass *oc = object_class_by_name(name);
    bool is_dev = !strcmp(kind, "device");
    Object *obj;

    if (!oc || object_class_is_abstract(oc) || !oc->user_creatable ||
        is_dev != object_class_is(oc, TYPE_DEVICE)) {
        if (is_dev) {
            error_report("'%s' is not a valid device model name", name);
        } else {
            error_report("Parameter 'qom-type' does not accept value '%s'",
                         name);
        }
        return false;
    }
    /* Defaults are read from a fresh, never realized instance. */
    obj = object_new(name);
    printf("%s options:\n", name);
    object_class_foreach_property(oc, print_prop, obj);
    object_unparent(obj);
    return true;
}

static void count_prop(const Property *prop, void *opaque)
{
    (*(unsigned *)opaque)++;
}

/* "-M q35,help": the board's properties, under QEMU's type name. */
static bool print_machine_props(const char *name)
{
    MachineClass *mc = machine_class_find(name);
    g_autofree char *type = NULL;
    unsigned n = 0;
    Object *obj;

    if (!mc) {
        error_report("unsupported machine type: \"%s\"", name);
        return false;
    }
    type = g_strdup_printf("%s-machine", mc->alias ? mc->alias : mc->name);
    object_class_foreach_property(&mc->parent_class, count_prop, &n);
    if (!n) {
        printf("There are no options for %s.\n", type);
        return true;
    }
    obj = object_new(object_class_get_name(&mc->parent_class));
    printf("%s options:\n", type);
    object_class_foreach_property(&mc->parent_class, print_prop, obj);
    object_unparent(obj);
    return true;
}

static void print_accels(void)
{
    printf("Accelerators supported in QEMU binary:\nqtest\n");
}

static void print_displays(void)
{
    printf("Available display backend types:\nnone\n");
}

/* -vga: only "none" exists here (no guest can drive a display). */
static void print_vgas(void)
{
    printf("%-20s %s\n", "none", "no graphic card");
}

bool vl_print_help(const char *kind, const char *name)
{
    if (!strcmp(kind, "machine")) {
        if (name) {
            return print_machine_props(name);
        }
        print_machines();
        return true;
    }
    if (!strcmp(kind, "accel")) {
        print_accels();
        return true;
    }
    if (!strcmp(kind, "display")) {
        print_displays();
        return true;
    }
    if (!strcmp(kind, "vga")) {
        print_vgas();
        return true;
    }
    if (name) {
        return print_props(kind, name);
    }
    if (!strcmp(kind, "device")) {
        print_devices();
    } else {
        print_objects();
    }
    return true;
}

/*
 * HMP: the human monitor ("-monitor stdio", human-monitor-command).
 *
 * A line-oriented subset of QEMU's: the "info NAME" registry and the
 * readline monitor; the commands themselves are in monitor/hmp-cmds.c.
 */
#include <string.h>

#include "hw/core/machine.h"
#include "monitor-internal.h"
#include "system/chardev.h"
#include "system/runstate.h"

#define HMP_PROMPT "(qemu) "

typedef struct HmpInfo {
    char *name;
    char *help;
    HmpInfoFunc fn;
} HmpInfo;

typedef struct MonitorHMP {
    Chardev *chr;
    GString *line;
} MonitorHMP;

static GPtrArray *hmp_infos;            /* HmpInfo * */
static GPtrArray *hmp_monitors;         /* MonitorHMP * */

static void hmp_info_free(gpointer p)
{
    HmpInfo *info = p;

    g_free(info->name);
    g_free(info->help);
    g_free(info);
}

void hmp_register_info(const char *name, const char *help, HmpInfoFunc fn)
{
    HmpInfo *info = g_new0(HmpInfo, 1);

    if (!hmp_infos) {
        hmp_infos = g_ptr_array_new_with_free_func(hmp_info_free);
    }
    for (guint i = 0; i < hmp_infos->len; i++) {
        if (!strcmp(((HmpInfo *)g_ptr_array_index(hmp_infos, i))->name,
                    name)) {
            g_ptr_array_remove_index(hmp_infos, i);
            break;
        }
    }
    info->name = g_strdup(name);
    info->help = g_strdup(help);
    info->fn = fn;
    g_ptr_array_add(hmp_infos, info);
}

void hmp_unregister_all(void)
{
    g_clear_pointer(&hmp_infos, g_ptr_array_unref);
}

char *hmp_crlf(const char *text)
{
    GString *out = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    return g_string_free(out, false);
}

static int hmp_info_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp((*(HmpInfo *const *)a)->name, (*(HmpInfo *const *)b)->name);
}

static char *hmp_info_list(void)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();
    GString *out = g_string_new(NULL);

    for (guint i = 0; hmp_infos && i < hmp_infos->len; i++) {
        g_ptr_array_add(sorted, g_ptr_array_index(hmp_infos, i));
    }
    g_ptr_array_sort(sorted, hmp_info_cmp);
    for (guint i = 0; i < sorted->len; i++) {
        HmpInfo *info = g_ptr_array_index(sorted, i);
        g_string_append_printf(out, "info %s  -- %s\n", info->name,
                               info->help);
    }
    return g_string_free(out, false);
}

/* "info NAME" (hmp-cmds.c calls it for "info"). */
char *hmp_info(const char *name, const char *args)
{
    Error *err = NULL;
    char *out;

    if (!*name) {
        return hmp_info_list();
    }
    for (guint i = 0; hmp_infos && i < hmp_infos->len; i++) {
        HmpInfo *info = g_ptr_array_index(hmp_infos, i);

        if (strcmp(info->name, name)) {
            continue;
        }
        /* QEMU names the sub-command that got more than it takes. */
        if (*args) {
            return g_strdup_printf("%s: extraneous characters at the end "
                                   "of line\n", name);
        }
        out = info->fn(&err);
        if (!out) {
            out = g_strdup_printf("Error: %s\n",
                                  err ? error_get_pretty(err) : "failed");
            g_clear_error(&err);
        }
        return out;
    }
    return g_strdup_printf("unknown command: 'info %s'\n", name);
}

char *hmp_info_help(void)
{
    return hmp_info_list();
}

/* Built-in info commands. */

static char *hmp_info_status(Error **errp)
{
    const char *state = runstate_name();

    if (runstate_is_running()) {
        return g_strdup("VM status: running\n");
    }
    if (!strcmp(state, "paused")) {
        return g_strdup("VM status: paused\n");
    }
    return g_strdup_printf("VM status: paused (%s)\n", state);
}

static char *hmp_info_version(Error **errp)
{
    return g_strdup_printf("%s\n", qmp_version_string());
}

typedef struct QtreeCtx {
    GString *out;
    GPtrArray *sysbus_devs;     /* realized devices without a bus */
    GPtrArray *buses;           /* every bus seen, in discovery order */
    DeviceState *dev;           /* for hmp_qtree_prop */
    int indent;
} QtreeCtx;

static void hmp_qtree_bus(QtreeCtx *q, BusState *bus, int indent);

static void hmp_qtree_prop(const Property *prop, void *opaque)
{
    QtreeCtx *q = opaque;
    g_autofree char *val = object_property_print(OBJECT(q->dev), prop);
    const char *quote = prop->info == &prop_info_string ? "\"" : "";

    g_string_append_printf(q->out, "%*s%s = %s%s%s\n", q->indent, "",
                           prop->name, quote, val ? val : "", quote);
}

static void hmp_qtree_dev(QtreeCtx *q, DeviceState *dev, int indent)
{
    BusState *own = dev->id ? qbus_find(dev->id) : NULL;

    g_string_append_printf(q->out, "%*sdev: %s, id \"%s\"\n", indent, "",
                           object_get_typename(OBJECT(dev)),
                           dev->id ? dev->id : "");
    q->dev = dev;
    q->indent = indent + 2;
    object_class_foreach_property(OBJECT(dev)->klass, hmp_qtree_prop, q);
    /* An empty bus is only known by its name (a bridge's id). */
    if (own && own->parent == dev && !g_ptr_array_find(q->buses, own, NULL)) {
        g_ptr_array_add(q->buses, own);
    }
    for (guint i = 0; i < q->buses->len; i++) {
        BusState *bus = g_ptr_array_index(q->buses, i);
        if (bus->parent == dev) {
            hmp_qtree_bus(q, bus, indent + 2);
        }
    }
}

static void hmp_qtree_bus(QtreeCtx *q, BusState *bus, int indent)
{
    g_string_append_printf(q->out, "%*sbus: %s\n", indent, "", bus->name);
    g_string_append_printf(q->out, "%*stype %s\n", indent + 2, "",
                           bus->type);
    for (guint i = 0; bus->children && i < bus->children->len; i++) {
        DeviceState *dev = g_ptr_array_index(bus->children, i);

        if (dev->realized) {
            hmp_qtree_dev(q, dev, indent + 2);
        }
    }
}

static void hmp_qtree_collect(DeviceState *dev, void *opaque)
{
    QtreeCtx *q = opaque;

    if (!dev->parent_bus) {
        g_ptr_array_add(q->sysbus_devs, dev);
    }
    for (BusState *bus = dev->parent_bus; bus;
         bus = bus->parent ? bus->parent->parent_bus : NULL) {
        if (!g_ptr_array_find(q->buses, bus, NULL)) {
            g_ptr_array_add(q->buses, bus);
        }
    }
}

static char *hmp_info_qtree(Error **errp)
{
    g_autoptr(GPtrArray) sysbus_devs = g_ptr_array_new();
    g_autoptr(GPtrArray) buses = g_ptr_array_new();
    QtreeCtx q = {
        .out = g_string_new("bus: main-system-bus\n  type System\n"),
        .sysbus_devs = sysbus_devs,
        .buses = buses,
    };

    qdev_foreach(hmp_qtree_collect, &q);
    for (guint i = 0; i < sysbus_devs->len; i++) {
        hmp_qtree_dev(&q, g_ptr_array_index(sysbus_devs, i), 2);
    }
    /* Root buses that no device owns hang off the system bus. */
    for (guint i = 0; i < buses->len; i++) {
        BusState *bus = g_ptr_array_index(buses, i);
        if (!bus->parent) {
            hmp_qtree_bus(&q, bus, 2);
        }
    }
    return g_string_free(q.out, false);
}

static int hmp_child_cmp(gconstpointer a, gconstpointer b)
{
    return g_strcmp0((*(Object *const *)a)->name, (*(Object *const *)b)->name);
}

/* QEMU's layout: "/name (type)", children by name, two more spaces each. */
static void hmp_qom_tree(GString *out, Object *obj, int indent)
{
    g_autoptr(GPtrArray) kids = g_ptr_array_new();

    g_string_append_printf(out, "%*s/%s (%s)\n", indent, "",
                           obj->name ? obj->name : "",
                           object_get_typename(obj));
    for (guint i = 0; obj->children && i < obj->children->len; i++) {
        g_ptr_array_add(kids, g_ptr_array_index(obj->children, i));
    }
    g_ptr_array_sort(kids, hmp_child_cmp);
    for (guint i = 0; i < kids->len; i++) {
        hmp_qom_tree(out, g_ptr_array_index(kids, i), indent + 2);
    }
}

static char *hmp_info_qom_tree(Error **errp)
{
    GString *out = g_string_new(NULL);

    hmp_qom_tree(out, object_get_root(), 0);
    return g_string_free(out, false);
}

void hmp_register_builtin_info(void)
{
    hmp_register_info("qom-tree", "show QOM composition tree",
                      hmp_info_qom_tree);
    hmp_register_info("status", "show the current VM status (running|paused)",
                      hmp_info_status);
    hmp_register_info("version", "show the version of QEMU",
                      hmp_info_version);
    hmp_register_info("qtree", "show device tree", hmp_info_qtree);
}

/* The readline-mode monitor on a chardev. */

static void hmp_write(MonitorHMP *mon, const char *text)
{
    g_autofree char *crlf = hmp_crlf(text);

    chardev_write(mon->chr, crlf, strlen(crlf));
}

static void hmp_read(void *opaque, const char *buf, size_t len)
{
    MonitorHMP *mon = opaque;

    for (size_t i = 0; i < len; i++) {
        g_autofree char *out = NULL;

        if (buf[i] != '\n') {
            if (buf[i] != '\r') {
                g_string_append_c(mon->line, buf[i]);
            }
            continue;
        }
        out = hmp_execute(mon->line->str);
        g_string_truncate(mon->line, 0);
        hmp_write(mon, out);
        if (qemu_system_shutdown_requested()) {
            return;
        }
        hmp_write(mon, HMP_PROMPT);
    }
}

static void hmp_chr_event(void *opaque, bool connected)
{
    MonitorHMP *mon = opaque;
    g_autofree char *banner = NULL;

    g_string_truncate(mon->line, 0);
    if (connected) {
        banner = g_strdup_printf("vfio-viommu %s monitor - type 'help' for "
                                 "more information\n" HMP_PROMPT,
                                 qmp_version_string());
        hmp_write(mon, banner);
    }
}

bool hmp_monitor_init(Chardev *chr, Error **errp)
{
    MonitorHMP *mon = g_new0(MonitorHMP, 1);

    mon->chr = chr;
    mon->line = g_string_new(NULL);
    if (!chardev_set_frontend(chr, hmp_read, hmp_chr_event, mon, errp)) {
        g_string_free(mon->line, true);
        g_free(mon);
        return false;
    }
    if (!hmp_monitors) {
        hmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(hmp_monitors, mon);
    return true;
}

void hmp_monitor_cleanup_all(void)
{
    for (guint i = 0; hmp_monitors && i < hmp_monitors->len; i++) {
        MonitorHMP *mon = g_ptr_array_index(hmp_monitors, i);

        g_string_free(mon->line, true);
        g_free(mon);
    }
    g_clear_pointer(&hmp_monitors, g_ptr_array_unref);
}

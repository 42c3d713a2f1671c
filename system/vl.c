/*
 * The command line and the start-up sequence.
 *
 * Options are first collected in order, then applied in the fixed steps
 * of vv_main(), so the start-up order is in one place and does not
 * depend on where an option stands on the line (QEMU's order: host,
 * chardevs and monitors, objects, machine, vIOMMUs, devices).
 */
#include "system/vl.h"
#include "hw/core/machine.h"
#include "hw/core/qdev-globals.h"
#include "hw/pci/pci-dump.h"
#include "monitor/monitor.h"
#include "system/chardev.h"
#include "system/fdset.h"
#include "system/host-ops.h"
#include "system/host-sim.h"
#include "system/os-posix.h"
#include "system/qtest.h"
#include "system/runstate.h"
#include "system/vl-help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <signal.h>

typedef struct CmdOpt {
    const char *name;           /* without leading dashes */
    const char *arg;            /* NULL for flags */
    KeyValList *kv;             /* -device: opt_device_kv() */
} CmdOpt;

typedef struct OptDesc {
    const char *name;
    bool has_arg;
} OptDesc;

static const OptDesc opt_table[] = {
    { "machine", true }, { "M", true }, { "object", true },
    { "device", true }, { "m", true }, { "S", false },
    { "nodefaults", false }, { "display", true }, { "accel", true },
    { "qtest", true }, { "qtest-log", true }, { "audio", true },
    { "run-with", true }, { "chardev", true }, { "mon", true },
    { "qmp", true }, { "monitor", true }, { "name", true },
    { "version", false }, { "h", false }, { "help", false },
    { "nographic", false }, { "no-user-config", false },
    { "host-sim", true }, { "x-host-sim-fault", true },
    { "dump-pci-config", false }, { "vga", true }, { "global", true },
    { "pidfile", true }, { "daemonize", false }, { "add-fd", true },
};

static const OptDesc *opt_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(opt_table); i++) {
        if (!strcmp(opt_table[i].name, name)) {
            return &opt_table[i];
        }
    }
    return NULL;
}

static void cmd_opt_clear(gpointer p)
{
    g_clear_pointer(&((CmdOpt *)p)->kv, g_ptr_array_unref);
}

/* Collect argv as (option, argument) pairs; QEMU accepts - and --. */
static GArray *cmdline_collect(int argc, char **argv, Error **errp)
{
    g_autoptr(GArray) opts = g_array_new(FALSE, TRUE, sizeof(CmdOpt));

    g_array_set_clear_func(opts, cmd_opt_clear);
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        const OptDesc *desc;
        CmdOpt opt = { 0 };

        if (name[0] != '-') {
            error_setg(errp, "%s: invalid option", argv[i]);
            return NULL;
        }
        name += name[1] == '-' ? 2 : 1;
        desc = opt_find(name);
        if (!desc) {
            error_setg(errp, "%s: invalid option", argv[i]);
            return NULL;
        }
        if (desc->has_arg && i + 1 >= argc) {
            error_setg(errp, "%s: requires an argument", argv[i]);
            return NULL;
        }
        opt.name = desc->name;
        opt.arg = desc->has_arg ? argv[++i] : NULL;
        g_array_append_val(opts, opt);
    }
    return g_steal_pointer(&opts);
}

#define FOR_EACH_OPT(opts, o, optname)                                   \
    for (CmdOpt *o = &g_array_index(opts, CmdOpt, 0);                    \
         o < &g_array_index(opts, CmdOpt, 0) + (opts)->len; o++)         \
        if (!strcmp(o->name, (optname)) &&                              \
            (loc_set_option("-" optname, o->arg), true))

/* The last occurrence of @name wins, as in QEMU. */
static const CmdOpt *opt_last(GArray *opts, const char *name)
{
    for (guint i = opts->len; i-- > 0;) {
        CmdOpt *o = &g_array_index(opts, CmdOpt, i);

        if (!strcmp(o->name, name)) {
            return o;
        }
    }
    return NULL;
}

/*
 * -vga: QEMU's Python harness always passes "-vga none"; a card QEMU
 * knows is "not available" here (no guest could drive it).
 */
static bool check_vga(const char *arg, Error **errp)
{
    static const char *const known[][2] = {
        { "std", "standard VGA" }, { "cirrus", "Cirrus VGA" },
        { "vmware", "VMWare SVGA" }, { "qxl", "QXL VGA" },
        { "virtio", "Virtio VGA" }, { "xenfb", "Xen paravirtualized framebuffer" },
    };

    if (!strcmp(arg, "none")) {
        return true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        if (!strcmp(arg, known[i][0])) {
            error_setg(errp, "%s not available", known[i][1]);
            return false;
        }
    }
    error_setg(errp, "unknown vga type: %s", arg);
    return false;
}

/* Options that only accept "none" (or a fixed value) here. */
static bool check_fixed_values(GArray *opts, Error **errp)
{
    FOR_EACH_OPT(opts, o, "display") {
        if (strcmp(o->arg, "none") && !g_str_has_prefix(o->arg, "none,")) {
            error_setg(errp, "Parameter 'type' does not accept value '%s'",
                       o->arg);
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "vga") {
        if (!check_vga(o->arg, errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "audio") {
        if (strcmp(o->arg, "none") && strcmp(o->arg, "driver=none")) {
            error_setg(errp, "Parameter 'driver' does not accept value '%s'",
                       o->arg);
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "accel") {
        g_autoptr(KeyValList) kv = keyval_parse(o->arg, "accel", errp);
        const char *accel = kv ? keyval_get(kv, "accel") : NULL;

        if (!kv) {
            return false;
        }
        if (!accel || strcmp(accel, "qtest")) {
            error_setg(errp, "accelerator '%s' is not supported: "
                       "vfio-viommu runs no guest CPUs (use -accel qtest)",
                       accel ? accel : "");
            return false;
        }
    }
    loc_clear();
    return true;
}

static bool apply_run_with(GArray *opts, Error **errp)
{
    FOR_EACH_OPT(opts, o, "run-with") {
        g_autoptr(KeyValList) kv = keyval_parse(o->arg, NULL, errp);
        g_autofree char *ewp = NULL;

        if (!kv) {
            return false;
        }
        ewp = keyval_take(kv, "exit-with-parent");
        if (kv->len) {
            error_setg(errp, "Invalid parameter '%s'",
                       ((KeyVal *)g_ptr_array_index(kv, 0))->key);
            return false;
        }
        if (ewp && !strcmp(ewp, "on")) {
            /* Our parent's death ends us as SIGTERM would: cleanly. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() == 1) {
                qemu_system_shutdown_request();
            }
        } else if (ewp && strcmp(ewp, "off")) {
            error_setg(errp, "Parameter 'exit-with-parent' expects 'on' or "
                       "'off'");
            return false;
        }
    }
    loc_clear();
    return true;
}

/* "-m 512", "-m 512M", "-m size=4194304k"; a bare number means MiB. */
static bool parse_ram_size(const char *arg, uint64_t *size, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(arg, "size", errp);
    const char *str = kv ? keyval_get(kv, "size") : NULL;
    uint64_t mult = 1024 * 1024, value;
    g_autofree char *num = NULL;
    size_t len;

    if (!kv) {
        return false;
    }
    if (!str || !*str) {
        error_setg(errp, "Parameter 'size' is missing");
        return false;
    }
    len = strlen(str);
    num = g_strdup(str);
    switch (g_ascii_toupper(str[len - 1])) {
    case 'B': mult = 1; break;
    case 'K': mult = 1ULL << 10; break;
    case 'M': mult = 1ULL << 20; break;
    case 'G': mult = 1ULL << 30; break;
    case 'T': mult = 1ULL << 40; break;
    default: len++; break;
    }
    num[len - 1] = '\0';
    if (!parse_uint64(num, &value)) {
        error_setg(errp, "Parameter 'size' expects a non-negative number "
                   "below 2^64");
        return false;
    }
    if (value > UINT64_MAX / mult) {
        error_setg(errp, "too large 'size' option value");
        return false;
    }
    /* QEMU: "-m 0" is the machine's default size, for compatibility */
    *size = value * mult;
    return true;
}

static bool create_chardevs_and_monitors(GArray *opts, Error **errp)
{
    unsigned n = 0;

    FOR_EACH_OPT(opts, o, "chardev") {
        if (!chardev_new_from_opts(o->arg, errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "mon") {
        g_autoptr(KeyValList) kv = keyval_parse(o->arg, "chardev", errp);
        const char *id = kv ? keyval_get(kv, "chardev") : NULL;
        const char *mode = kv ? keyval_get(kv, "mode") : NULL;
        Chardev *chr;

        if (!kv) {
            return false;
        }
        if (!id) {
            error_setg(errp, "Parameter 'chardev' is missing");
            return false;
        }
        chr = chardev_find(id);
        if (!chr) {
            error_setg(errp, "chardev \"%s\" not found", id);
            return false;
        }
        if (mode && strcmp(mode, "control") && strcmp(mode, "readline")) {
            error_setg(errp, "Parameter 'mode' does not accept value '%s'",
                       mode);
            return false;
        }
        if (!monitor_init(chr, mode && !strcmp(mode, "control"), errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "qmp") {
        g_autofree char *id = g_strdup_printf("compat_monitor%u", n++);
        Chardev *chr = chardev_new_from_spec(id, o->arg, errp);

        if (!chr || !monitor_init(chr, true, errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "monitor") {
        g_autofree char *id = g_strdup_printf("compat_monitor%u", n++);
        Chardev *chr;

        if (!strcmp(o->arg, "none")) {
            continue;
        }
        chr = chardev_new_from_spec(id, o->arg, errp);
        if (!chr || !monitor_init(chr, false, errp)) {
            return false;
        }
    }
    loc_clear();
    return true;
}

/* -name, -global, -add-fd and -pidfile: what later steps rely on. */
static bool apply_early_options(GArray *opts, Error **errp)
{
    const CmdOpt *pidfile = opt_last(opts, "pidfile");

    FOR_EACH_OPT(opts, o, "name") {
        g_autoptr(KeyValList) kv = keyval_parse(o->arg, "guest", errp);
        g_autofree char *guest = kv ? keyval_take(kv, "guest") : NULL;

        if (!kv) {
            return false;
        }
        g_free(keyval_take(kv, "process"));
        g_free(keyval_take(kv, "debug-threads"));
        if (kv->len) {
            error_setg(errp, "Invalid parameter '%s'",
                       ((KeyVal *)g_ptr_array_index(kv, 0))->key);
            return false;
        }
        qmp_set_vm_name(guest);
    }
    FOR_EACH_OPT(opts, o, "global") {
        if (!qdev_global_add(o->arg, errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "add-fd") {
        if (!fdset_add_fd_opt(o->arg, errp)) {
            return false;
        }
    }
    loc_clear();
    if (pidfile && !os_write_pidfile(pidfile->arg, errp)) {
        error_prepend(errp, "cannot create PID file: ");
        return false;
    }
    if (os_is_daemonized() && opt_last(opts, "nographic")) {
        error_setg(errp, "-nographic cannot be used with -daemonize");
        return false;
    }
    return true;
}

/*
 * A bare name that is not a file here is one of the installed host
 * descriptions ("-host-sim intel-pasid.json", as the man page shows).
 */
static char *host_sim_path(const char *arg)
{
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *bindir = exe ? g_path_get_dirname(exe) : NULL;
    char *candidates[2] = {
        bindir ? g_build_filename(bindir, VV_HOSTDIR_FROM_BIN, arg, NULL)
               : NULL,
        g_build_filename(VV_HOSTDIR, arg, NULL),
    };
    char *found = NULL;

    if (strchr(arg, '/') || g_file_test(arg, G_FILE_TEST_EXISTS)) {
        found = g_strdup(arg);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
        if (!found && candidates[i] &&
            g_file_test(candidates[i], G_FILE_TEST_EXISTS)) {
            found = g_steal_pointer(&candidates[i]);
        }
        g_free(candidates[i]);
    }
    return found ? found : g_strdup(arg);
}

static bool start_host(GArray *opts, Error **errp)
{
    FOR_EACH_OPT(opts, o, "host-sim") {
        g_autofree char *path = host_sim_path(o->arg);

        if (host_ops_get() != &host_ops_real) {
            error_setg(errp, "only one simulated host can be given");
            return false;
        }
        /* Its messages name the file (and the JSON path) themselves. */
        loc_clear();
        if (!host_sim_start(path, errp)) {
            return false;
        }
    }
    FOR_EACH_OPT(opts, o, "x-host-sim-fault") {
        if (!host_is_simulated()) {
            error_setg(errp, "fault injection needs -host-sim");
            return false;
        }
        if (!host_sim_fault_parse(o->arg, errp)) {
            return false;
        }
    }
    loc_clear();
    return true;
}

static bool create_objects(GArray *opts, Error **errp)
{
    FOR_EACH_OPT(opts, o, "object") {
        g_autoptr(KeyValList) kv = keyval_parse(o->arg, "qom-type", errp);

        if (!kv) {
            return false;
        }
        if (keyval_get(kv, "help")) {
            continue;       /* handled by vl_help() */
        }
        if (!user_object_add(kv, errp)) {
            return false;
        }
    }
    loc_clear();
    return true;
}

static MachineState *create_machine(GArray *opts, Error **errp)
{
    const CmdOpt *mopt = opt_last(opts, "machine");
    const CmdOpt *mshort = opt_last(opts, "M");
    const CmdOpt *mem = opt_last(opts, "m");
    g_autoptr(KeyValList) kv = NULL;
    g_autofree char *type = NULL;
    uint64_t ram_size = 0;
    MachineClass *mc;
    MachineState *ms;

    if (mshort > mopt) {
        mopt = mshort;
    }
    if (mem) {
        loc_set_option("-m", mem->arg);
        if (!parse_ram_size(mem->arg, &ram_size, errp)) {
            return NULL;
        }
    }
    if (mopt) {
        loc_set_option(!strcmp(mopt->name, "M") ? "-M" : "-machine",
                       mopt->arg);
        kv = keyval_parse(mopt->arg, "type", errp);
        if (!kv) {
            return NULL;
        }
        type = keyval_take(kv, "type");
        g_free(keyval_take(kv, "accel"));   /* -machine accel=qtest */
    }
    mc = machine_class_find(type);
    if (!mc) {
        error_setg(errp, "unsupported machine type: \"%s\"",
                   type ? type : "");
        return NULL;
    }
    ms = machine_create(mc, ram_size, errp);
    for (guint i = 0; ms && kv && i < kv->len; i++) {
        KeyVal *p = g_ptr_array_index(kv, i);

        if (!object_property_parse(OBJECT(ms), p->key, p->value, errp)) {
            return NULL;
        }
    }
    loc_clear();
    return ms;
}

/*
 * The realize order of a -device: its class's, but an expander bridge
 * named onto a bus that does not exist yet waits for the others, so it
 * fails (or not) as it would in line order.
 */
static int device_realize_order(KeyValList *kv)
{
    const char *driver = keyval_get(kv, "driver");
    const char *bus = keyval_get(kv, "bus");
    ObjectClass *oc = driver ? object_class_by_name(driver) : NULL;
    int order;

    if (!oc || !object_class_is(oc, TYPE_DEVICE)) {
        return DEVICE_REALIZE_DEFAULT;
    }
    order = DEVICE_CLASS(oc)->realize_order;
    if (order == DEVICE_REALIZE_BUS && bus && !qbus_find(bus)) {
        return DEVICE_REALIZE_DEFAULT;
    }
    return order;
}

/*
 * The -device options of one realize order, in line order; the default
 * order takes every one not created yet (@done).
 */
/*
 * A -device's key=value list, parsed once for -help and the passes of
 * create_all_devices(); a failed parse is repeated only to report it.
 */
static KeyValList *opt_device_kv(CmdOpt *o, Error **errp)
{
    if (!o->kv) {
        o->kv = keyval_parse(o->arg, "driver", errp);
    }
    return o->kv;
}

static bool create_devices(GArray *opts, int order, GHashTable *done,
                           Error **errp)
{
    for (guint i = 0; i < opts->len; i++) {
        CmdOpt *o = &g_array_index(opts, CmdOpt, i);
        KeyValList *kv;
        bool ok;

        if (strcmp(o->name, "device") || g_hash_table_contains(done, o) ||
            (o->kv && order != DEVICE_REALIZE_DEFAULT &&
             device_realize_order(o->kv) != order)) {
            continue;
        }
        /* The location (a copy of the option) only for what is done now. */
        loc_set_option("-device", o->arg);
        kv = opt_device_kv(o, errp);
        if (!kv) {
            return false;
        }
        if (order != DEVICE_REALIZE_DEFAULT &&
            device_realize_order(kv) != order) {
            continue;
        }
        g_hash_table_add(done, o);
        ok = qdev_device_add(kv, errp);
        g_clear_pointer(&o->kv, g_ptr_array_unref);
        if (!ok) {
            return false;
        }
    }
    loc_clear();
    return true;
}

/* Expander buses, then vIOMMUs (devices ask them at realize), then all. */
static bool create_all_devices(GArray *opts, Error **errp)
{
    g_autoptr(GHashTable) done = g_hash_table_new(NULL, NULL);

    return create_devices(opts, DEVICE_REALIZE_BUS, done, errp) &&
           create_devices(opts, DEVICE_REALIZE_VIOMMU, done, errp) &&
           create_devices(opts, DEVICE_REALIZE_DEFAULT, done, errp);
}

/* -h, -version and the "help" queries print and end the program. */
static bool handle_help(GArray *opts, int *status)
{
    const char *const kinds[] = { "device", "object", "machine", "M" };
    const char *const plain[] = { "accel", "display", "vga" };

    *status = 0;
    if (opt_last(opts, "h") || opt_last(opts, "help")) {
        vl_print_usage();
        return true;
    }
    if (opt_last(opts, "version")) {
        vl_print_version();
        return true;
    }
    for (size_t k = 0; k < G_N_ELEMENTS(plain); k++) {
        const CmdOpt *o = opt_last(opts, plain[k]);

        if (o && (!strcmp(o->arg, "help") || !strcmp(o->arg, "?"))) {
            vl_print_help(plain[k], NULL);
            return true;
        }
    }
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (guint i = 0; i < opts->len; i++) {
            CmdOpt *o = &g_array_index(opts, CmdOpt, i);
            g_autoptr(KeyValList) own = NULL;
            KeyValList *kv;
            const char *implied = k < 2 ? (k ? "qom-type" : "driver")
                                        : "type";
            const char *name;
            g_autofree char *optname = NULL;

            if (strcmp(o->name, kinds[k])) {
                continue;
            }
            optname = g_strconcat("-", o->name, NULL);
            loc_set_option(optname, o->arg);
            /*
             * A -device is parsed here once for good (its warnings say
             * where); the others are parsed again when created.
             */
            kv = k ? (own = keyval_parse_quiet(o->arg, implied, NULL))
                   : opt_device_kv(o, NULL);
            name = kv ? keyval_get(kv, implied) : NULL;
            if (!kv || !(keyval_get(kv, "help") ||
                         (name && !strcmp(name, "help")))) {
                loc_clear();
                continue;
            }
            if (name && !strcmp(name, "help")) {
                name = NULL;
            }
            *status = vl_print_help(kinds[k][0] == 'M' ? "machine"
                                                       : kinds[k], name)
                      ? 0 : 1;
            loc_clear();
            return true;
        }
    }
    return false;
}

static void vv_cleanup(void)
{
    qtest_server_cleanup();
    monitor_cleanup_all();
    machine_destroy();
    object_tree_reset();
    qbus_list_reset();
    chardev_destroy_all();
    host_sim_stop();
    fdset_reset();
    qdev_globals_reset();
    qmp_set_vm_name(NULL);
    os_pidfile_remove();
    qmp_unregister_all();
    runstate_reset();
    loc_clear();
}

/* The start-up steps, in order. */
static bool vv_start(GArray *opts, bool *dump, Error **errp)
{
    const CmdOpt *qtest = opt_last(opts, "qtest");
    const CmdOpt *qtest_log = opt_last(opts, "qtest-log");
    MachineState *ms;

    if (!check_fixed_values(opts, errp) || !apply_run_with(opts, errp) ||
        !apply_early_options(opts, errp) || !start_host(opts, errp) ||
        !create_chardevs_and_monitors(opts, errp)) {
        return false;
    }
    if (qtest) {
        loc_set_option("-qtest", qtest->arg);
        if (!qtest_server_init(qtest->arg, qtest_log ? qtest_log->arg : NULL,
                               errp)) {
            return false;
        }
        loc_clear();
    }
    if (!create_objects(opts, errp) || !(ms = create_machine(opts, errp)) ||
        !create_all_devices(opts, errp) ||
        !machine_init_done(ms, errp)) {
        return false;
    }
    qdev_globals_check_unused();
    *dump = opt_last(opts, "dump-pci-config") != NULL;
    runstate_set_running(!opt_last(opts, "S"));
    return true;
}

int vv_main(int argc, char **argv)
{
    g_autoptr(GArray) opts = NULL;
    Error *err = NULL;
    bool dump = false;
    int status = 0;

    vv_types_init();
    monitor_register_all();
    opts = cmdline_collect(argc, argv, &err);
    if (!opts) {
        error_report_err(err);
        vv_cleanup();
        return 1;
    }
    if (handle_help(opts, &status)) {
        vv_cleanup();
        return status;
    }
    if (opt_last(opts, "daemonize")) {
        os_daemonize();
    }
    if (!vv_start(opts, &dump, &err)) {
        error_report_err(err);
        vv_cleanup();
        os_daemonize_failed(1);
        return 1;
    }
    os_setup_post();
    if (dump) {
        PCIBus *root = qdev_get_machine()->pci_root;
        g_autofree char *text = root ? pci_dump_lspci(root) : NULL;

        fputs(text ? text : "", stdout);
    } else {
        main_loop_run();
    }
    vv_cleanup();
    return 0;
}

/*
 * Nothing leaks: every QMP command (on q35 with intel-iommu and on virt
 * with arm-smmuv3) and every HMP command, called again and
 * again on a machine with a vIOMMU and assigned devices, leaves the
 * process's live heap exactly where it was; and a soak of hot plug and
 * queries leaves heap, fds and simulated-host objects where they started.
 *
 * The figure is the program's own (QMP x-debug-heap: the sanitizer's
 * live bytes under ASan, glibc's mallinfo2() otherwise, with glibc's
 * caches off so that it is exact), read with G_SLICE=always-malloc so
 * that GLib's objects are counted; never RSS.
 * VV_SOAK_CYCLES sets the soak's length ("make soak": 100,000).
 */
#include <string.h>

#include "libqtest.h"

#define BDF_PASID "0000:01:00.0"
#define BDF_NIC "0000:02:00.0"
#define WARM_CALLS 10
#define CALLS 60

/* A machine with a vIOMMU, an assigned device, and one to hot plug. */
typedef struct LeakMachine {
    const char *name;
    const char *args;           /* %s: VV_SOURCE_ROOT */
    const char *add;            /* device_add of "hostdev0" */
} LeakMachine;

static const LeakMachine q35 = {
    "q35",
    "-host-sim %s/tests/data/hosts/intel-pasid.json -M q35 "
    "-object iommufd,id=iommufd0 -device intel-iommu,x-scalable-mode=on,"
    "caching-mode=on,pasid=20 -device pcie-root-port,id=rp1,chassis=1,"
    "addr=2 -device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0,id=nic0,"
    "addr=4",
    "{'execute': 'device_add', 'arguments': {'driver': 'vfio-pci', "
    "'host': '" BDF_PASID "', 'iommufd': 'iommufd0', 'id': 'hostdev0', "
    "'bus': 'rp1'}}",
};

static const LeakMachine virt = {
    "virt",
    "-host-sim %s/tests/data/hosts/arm-smmuv3-two-ssidsize.json -M virt "
    "-object iommufd,id=iommufd0 -device arm-smmuv3,primary-bus=pcie.0,"
    "accel=on,ssidsize=auto -device vfio-pci,host=0000:02:00.0,"
    "iommufd=iommufd0,id=nic0,addr=4.0",
    "{'execute': 'device_add', 'arguments': {'driver': 'vfio-pci', "
    "'host': '0000:01:00.0', 'iommufd': 'iommufd0', 'id': 'hostdev0', "
    "'addr': '3.0'}}",
};

static const LeakMachine *machine = &q35;

static QTestState *start(void)
{
    g_autofree char *args = g_strdup_printf(machine->args,
                                            g_getenv("VV_SOURCE_ROOT"));

    g_assert_cmpstr(g_getenv("G_SLICE"), ==, "always-malloc");
    return qtest_init(args);
}

static int64_t heap(QTestState *s);

/*
 * What the program allocates once, lazily, after start-up (the qtest
 * connection's log buffer and timer, the first reply's buffers) is not a
 * leak: let it happen before anything is measured.
 */
static QTestState *start_settled(void)
{
    QTestState *s = start();
    int64_t last = -1, now;

    qtest_readl(s, 0);
    for (int same = 0; same < 3; last = now) {
        g_usleep(20 * 1000);
        now = heap(s);
        same = now == last ? same + 1 : 0;
    }
    return s;
}

static int64_t member_of(QTestState *s, const char *cmd, const char *member)
{
    g_autofree char *req = g_strdup_printf("{'execute': '%s'}", cmd);
    g_autoptr(JsonNode) n = qtest_qmp_assert_success_ref(s, "%s", req);

    return json_object_get_int_member(json_node_get_object(n), member);
}

static int64_t heap(QTestState *s)
{
    return member_of(s, "x-debug-heap", "in-use");
}

/* Any reply will do: the error paths must not leak either. */
static void call(QTestState *s, const char *req)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(s, "%s", req);

    g_assert_nonnull(rsp);
}

static void hotplug_cycle(QTestState *s)
{
    qtest_qmp_assert_success(s, "%s", machine->add);
    qtest_qmp_assert_success(s, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hostdev0'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
}

/* Run @req (or a hot-plug cycle if NULL) until the heap stands still. */
static void assert_no_growth(QTestState *s, const char *req)
{
    int64_t before, after;

    for (int i = 0; i < WARM_CALLS; i++) {
        req ? call(s, req) : hotplug_cycle(s);
    }
    before = heap(s);
    for (int i = 0; i < CALLS; i++) {
        req ? call(s, req) : hotplug_cycle(s);
    }
    after = heap(s);
    if (g_getenv("VV_LEAK_DEBUG")) {
        for (int i = 0; i < 20; i++) {
            g_usleep(100000);
            g_test_message("idle %d: %" G_GINT64_FORMAT, i, heap(s) - after);
        }
    }
    if (after != before) {
        g_test_message("%s: %" G_GINT64_FORMAT " bytes more after %d calls",
                       req ? req : "device_add/device_del", after - before,
                       CALLS);
    }
    g_assert_cmpint(after, ==, before);
}

/* Calls with valid arguments, beyond the bare call every command gets. */
static const char *const qmp_calls[] = {
    "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}",
    "{'execute': 'qom-list', 'arguments': {'path': '/machine/peripheral'}}",
    "{'execute': 'qom-get', 'arguments': {'path': '/machine/peripheral/nic0',"
    " 'property': 'host'}}",
    "{'execute': 'qom-get', 'arguments': {'path': '/nope', 'property': 'x'}}",
    "{'execute': 'qom-list-types', 'arguments': {'abstract': true}}",
    "{'execute': 'x-query-pci-config', 'arguments': {'bdf': '00:04.0'}}",
    "{'execute': 'device_add', 'arguments': {'driver': 'vfio-pci', "
    "'host': '0000:99:00.0', 'iommufd': 'iommufd0'}}",
    "{'execute': 'device_add', 'arguments': {'driver': 'nosuch'}}",
    "{'execute': 'device_del', 'arguments': {'id': 'nope'}}",
    "{'execute': 'x-host-sim-fault', 'arguments': {'spec': 'bogus'}}",
    "{'execute': 'x-debug-heap', 'arguments': {'x': 1}}",
    "{'execute': 'no-such-command'}",
    "[1, 2]",
    "{'execute': 'query-status', 'id': {'a': [1, 'b']}}",
};

/* Commands whose bare call would end or change the test itself. */
static bool skip_bare(const char *name)
{
    return !strcmp(name, "quit");
}

static void test_every_qmp_command(gconstpointer data)
{
    QTestState *s;

    machine = data;
    s = start_settled();
    g_autoptr(JsonNode) cmds = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-commands'}");
    JsonArray *list = json_node_get_array(cmds);
    g_autoptr(JsonNode) dbg = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-debug-heap'}");

    g_test_message("heap figure from %s", json_object_get_string_member(
                   json_node_get_object(dbg), "source"));
    for (guint i = 0; i < json_array_get_length(list); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(list, i), "name");
        g_autofree char *req = g_strdup_printf("{'execute': '%s'}", name);

        if (!skip_bare(name)) {
            assert_no_growth(s, req);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_calls); i++) {
        assert_no_growth(s, qmp_calls[i]);
    }
    assert_no_growth(s, NULL);
    qtest_quit(s);
}

/* "help" lists every HMP command; "info" ones are listed by "help info". */
static GPtrArray *hmp_commands(QTestState *s)
{
    GPtrArray *cmds = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *help = qtest_hmp(s, "help");
    g_autofree char *info = qtest_hmp(s, "info");
    const char *texts[] = { help, info };

    for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
        g_auto(GStrv) lines = g_strsplit(texts[t], "\n", -1);

        for (int i = 0; lines[i]; i++) {
            g_auto(GStrv) words = g_strsplit(lines[i], " ", 3);
            bool is_info = words[0] && !strcmp(words[0], "info");

            if (!words[0] || !*words[0] || g_str_has_prefix(words[0], "quit") ||
                (is_info && (!words[1] || words[1][0] == '[' ||
                             !*words[1]))) {
                continue;
            }
            /* "cont|c": the command and its alias */
            words[0][strcspn(words[0], "|")] = '\0';
            g_ptr_array_add(cmds, is_info ?
                            g_strconcat("info ", words[1], NULL) :
                            g_strdup(words[0]));
        }
    }
    return cmds;
}

static void test_every_hmp_command(void)
{
    QTestState *s;

    machine = &q35;
    s = start_settled();
    g_autoptr(GPtrArray) cmds = hmp_commands(s);

    g_assert_cmpuint(cmds->len, >, 5);
    for (guint i = 0; i < cmds->len; i++) {
        g_autofree char *req = g_strdup_printf(
            "{'execute': 'human-monitor-command', "
            "'arguments': {'command-line': '%s'}}",
            (char *)cmds->pdata[i]);

        assert_no_growth(s, req);
    }
    assert_no_growth(s, "{'execute': 'human-monitor-command', "
                        "'arguments': {'command-line': 'info nosuch'}}");
    assert_no_growth(s, "{'execute': 'human-monitor-command', "
                        "'arguments': {'command-line': 'nosuch'}}");
    qtest_quit(s);
}

static int64_t rss_kib(QTestState *s)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", qtest_pid(s));
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strstr(text, "VmRSS:"))) {
        return -1;
    }
    return g_ascii_strtoll(p + 6, NULL, 10);
}

typedef struct SoakFigures {
    int64_t heap, fds, sim_fds, sim_objs, rss;
} SoakFigures;

static SoakFigures soak_figures(QTestState *s)
{
    return (SoakFigures) {
        .heap = heap(s),
        .fds = member_of(s, "x-debug-heap", "fds"),
        .sim_fds = member_of(s, "x-query-host-sim", "open-fds"),
        .sim_objs = member_of(s, "x-query-host-sim", "live-objects"),
        .rss = rss_kib(s),
    };
}

static void soak_print(const char *when, long cycles, SoakFigures f)
{
    g_test_message("soak %-6s %7ld cycles: heap %" G_GINT64_FORMAT
                   " B, fds %" G_GINT64_FORMAT ", host fds %" G_GINT64_FORMAT
                   ", host objects %" G_GINT64_FORMAT ", RSS %" G_GINT64_FORMAT
                   " KiB", when, cycles, f.heap, f.fds, f.sim_fds,
                   f.sim_objs, f.rss);
}

static const char *const soak_queries[] = {
    "query-status", "query-pci", "x-query-vfio", "x-query-viommu",
    "x-query-host-sim", "query-commands",
};

/*
 * Hot plug and queries, VV_SOAK_CYCLES times (default 2,000): the heap,
 * the fds and the simulated host's objects end where they started.
 */
static void test_soak(void)
{
    long cycles = g_getenv("VV_SOAK_CYCLES") ?
                  atol(g_getenv("VV_SOAK_CYCLES")) : 2000;
    long step = MAX(cycles / 10, 1);
    QTestState *s;

    machine = &q35;
    s = start_settled();
    SoakFigures start_f, end_f;

    /* one round first: caches that fill once are not leaks */
    hotplug_cycle(s);
    for (size_t q = 0; q < G_N_ELEMENTS(soak_queries); q++) {
        g_autofree char *req = g_strdup_printf("{'execute': '%s'}",
                                               soak_queries[q]);
        call(s, req);
    }
    start_f = soak_figures(s);
    soak_print("start", 0, start_f);
    for (long i = 1; i <= cycles; i++) {
        hotplug_cycle(s);
        for (size_t q = 0; q < G_N_ELEMENTS(soak_queries); q++) {
            g_autofree char *req = g_strdup_printf("{'execute': '%s'}",
                                                   soak_queries[q]);
            call(s, req);
        }
        if (i % step == 0 && i < cycles) {
            soak_print("", i, soak_figures(s));
        }
    }
    end_f = soak_figures(s);
    soak_print("end", cycles, end_f);
    g_assert_cmpint(end_f.heap, ==, start_f.heap);
    g_assert_cmpint(end_f.fds, ==, start_f.fds);
    g_assert_cmpint(end_f.sim_fds, ==, start_f.sim_fds);
    g_assert_cmpint(end_f.sim_objs, ==, start_f.sim_objs);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /*
     * mallinfo2() counts chunks parked in glibc's per-thread caches and
     * fast bins as in use: without them its figure is exact.
     */
    g_setenv("GLIBC_TUNABLES",
             "glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0:"
             "glibc.malloc.mmap_threshold=1048576", true);
    g_test_add_data_func("/leak/every-qmp-command/q35", &q35,
                         test_every_qmp_command);
    g_test_add_data_func("/leak/every-qmp-command/virt", &virt,
                         test_every_qmp_command);
    g_test_add_func("/leak/every-hmp-command", test_every_hmp_command);
    g_test_add_func("/leak/soak", test_soak);
    return g_test_run();
}

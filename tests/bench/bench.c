/*
 * Benchmarks (make bench): figures, never assertions on time.  One table,
 * each figure next to its goal (issue 13):
 *
 *  - whole-process instructions (callgrind's "Collected", from exec to
 *    the QMP quit) and peak RSS (VmHWM before the quit) for 0, 1, 64, 256,
 *    1,024 and 4,096 PASID devices behind intel-iommu,pasid=auto, and 256
 *    behind arm-smmuv3,accel=on; the devices sit on pxb-pcie root buses,
 *    256 (32 slots x 8 functions) a bus, so that every count has the same
 *    topology; the host description (4,096 devices, one "count" entry)
 *    is generated here and loaded in every row;
 *  - per-device instructions between consecutive counts (linearity);
 *  - host calls per device at start-up and at hot plug, GET_HW_INFO;
 *  - device_add + device_del: instructions (differenced runs) and wall
 *    time;
 *  - qtest readl: server instructions per read (differenced runs, with
 *    libqtest's -qtest-log /dev/null), round-trip and pipelined rates,
 *    for an emulated register and one the bench checks reaches the host;
 *  - start-up wall time to QMP ready against the distribution's
 *    qemu-system-x86_64 with no device, runs interleaved;
 *  - intel-iommu x-flts=on nesting figures (bench-nested.c) and
 *    arm-smmuv3 accel=on ones (bench-smmuv3.c).
 *
 * Usage: bench [BINARY] | bench --nested; defaults from VV_BINARY and
 * VV_SOURCE_ROOT, else build/vfio-viommu (make bench runs from the top).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define RUNS 7
#define QEMU_BINARY "qemu-system-x86_64"
#define QEMU_ARGS "-accel tcg -S -display none -M q35 -nodefaults"
#define HOST_DEVICES 4096
#define PER_BUS 256
#define HOTPLUG_PAIRS 20
#define READS 2000
#define RATE_READS 20000
#define WINDOW 500
/* A q35 function on pcie.0 for the hot plug and qtest figures. */
#define COLD_SLOT 3

typedef enum { ARCH_Q35, ARCH_VIRT } Arch;

typedef struct Bench {
    char *bin;
    char *valgrind;
    char *dir;
    char *host_q35;
    char *host_virt;
    GString *table;
} Bench;

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return v[n / 2];
}

/* ---- the table ---- */

/* One row: @value printed with @fmt, then the goal and whether it is met. */
static void row(Bench *b, const char *what, const char *fmt, double value,
                const char *goal, int met)
{
    g_autofree char *v = value < 0 ? g_strdup("n/a")
                                   : g_strdup_printf(fmt, value);

    g_string_append_printf(b->table, "%-50s %12s  %-16s %s\n", what, v,
                           goal ? goal : "",
                           !goal || value < 0 ? "" : met ? "met" : "NOT MET");
}

/* ---- host descriptions ---- */

static const char host_q35_fmt[] =
    "{ \"iommus\": [ { \"id\": \"dmar0\", \"type\": \"intel-vtd\",\n"
    "    \"cap\": \"0x0100008c002f0602\", \"ecap\": \"0x0000c998a40000de\" }"
    " ],\n"
    "  \"devices\": [ { \"bdf\": \"0000:01:00.0\", \"iommu\": \"dmar0\",\n"
    "    \"count\": %d, \"vendor\": \"0x8086\", \"device\": \"0x1572\",\n"
    "    \"class\": \"0x020000\",\n"
    "    \"bars\": [ { \"index\": 0, \"size\": \"0x20000\","
    " \"type\": \"mem64\" } ],\n"
    "    \"capabilities\": [ { \"type\": \"pcie\" },\n"
    "      { \"type\": \"msix\", \"table-size\": 8 },\n"
    "      { \"type\": \"pasid\", \"width\": 20 } ] } ] }\n";

static const char host_virt_fmt[] =
    "{ \"iommus\": [ { \"id\": \"smmu0\", \"type\": \"arm-smmuv3\",\n"
    "    \"idr\": [ \"0x0c08140b\", \"0x00000510\", \"0x00000000\",\n"
    "             \"0x00000400\", \"0x00000000\", \"0x00000075\" ],\n"
    "    \"iidr\": \"0x0\", \"aidr\": \"0x2\", \"dirty-tracking\": false } ],\n"
    "  \"devices\": [ { \"bdf\": \"0000:01:00.0\", \"iommu\": \"smmu0\",\n"
    "    \"count\": %d, \"vendor\": \"0x8086\", \"device\": \"0x0b60\",\n"
    "    \"class\": \"0x010802\",\n"
    "    \"bars\": [ { \"index\": 0, \"size\": \"0x4000\","
    " \"type\": \"mem64\" } ],\n"
    "    \"capabilities\": [ { \"type\": \"pcie\" },\n"
    "      { \"type\": \"msix\", \"table-size\": 16, \"table-bar\": 0,\n"
    "        \"table-offset\": \"0x2000\" },\n"
    "      { \"type\": \"pasid\", \"width\": 20, \"exec\": true,"
    " \"priv\": true } ],\n"
    "    \"host-pasid\": { \"enabled\": true, \"exec\": true,"
    " \"priv\": true } } ] }\n";

static char *write_host(Bench *b, const char *name, const char *fmt, int n)
{
    char *path = g_build_filename(b->dir, name, NULL);
    g_autofree char *text = g_strdup_printf(fmt, n);

    if (!g_file_set_contents(path, text, -1, NULL)) {
        g_error("bench: cannot write %s", path);
    }
    return path;
}

/* ---- command lines ---- */

/* The host BDF of the @i-th device: "count" steps the slot, then the bus. */
static char *host_bdf(int i)
{
    return g_strdup_printf("0000:%02x:%02x.0", 1 + i / 32, i % 32);
}

/*
 * @n devices on pxb-pcie buses pxb0, pxb1, ... (bus numbers 0x10 + 8k),
 * 256 a bus, functions filling each slot.
 */
static char *startup_args(Bench *b, Arch arch, int n)
{
    GString *a = g_string_new(NULL);
    g_autofree char *host = g_shell_quote(arch == ARCH_Q35 ? b->host_q35
                                                           : b->host_virt);
    int buses = MAX(1, (n + PER_BUS - 1) / PER_BUS);

    g_string_append_printf(a, "-M %s -host-sim %s "
                           "-object iommufd,id=iommufd0",
                           arch == ARCH_Q35 ? "q35" : "virt", host);
    if (arch == ARCH_Q35) {
        /* pasid=auto wants a cold-plugged device to resolve from. */
        g_string_append_printf(a, " -device intel-iommu,x-scalable-mode=on,"
                               "x-flts=on,caching-mode=on%s",
                               n ? ",pasid=auto" : "");
    }
    for (int i = 0; i < buses; i++) {
        g_string_append_printf(a, " -device pxb-pcie,id=pxb%d,bus_nr=%d",
                               i, 0x10 + 8 * i);
    }
    if (arch == ARCH_VIRT) {
        g_string_append(a, " -device arm-smmuv3,primary-bus=pxb0,accel=on,"
                        "ssidsize=auto");
    }
    for (int i = 0; i < n; i++) {
        g_autofree char *bdf = host_bdf(i);
        int j = i % PER_BUS;

        g_string_append_printf(a, " -device vfio-pci,host=%s,"
                               "iommufd=iommufd0,id=v%d,bus=pxb%d,"
                               "addr=%x.%x%s", bdf, i, i / PER_BUS, j / 8,
                               j % 8, j % 8 == 0 ? ",multifunction=on" : "");
    }
    return g_string_free(a, false);
}

/* One device on pcie.0 and an empty root port for hot plug. */
static char *hotplug_args(Bench *b)
{
    g_autofree char *host = g_shell_quote(b->host_q35);

    return g_strdup_printf(
        "-M q35 -host-sim %s -object iommufd,id=iommufd0 "
        "-device intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on,"
        "pasid=auto -device pcie-root-port,id=rp0,chassis=1,slot=1,addr=2 "
        "-device vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=v0,addr=%d",
        host, COLD_SLOT);
}

/* ---- whole-process runs: QMP on stdio from a script ---- */

typedef struct Run {
    char *out;
    char *err;
    long maxrss_kib;
    int64_t insns;
} Run;

static void run_clear(Run *r)
{
    g_clear_pointer(&r->out, g_free);
    g_clear_pointer(&r->err, g_free);
}

/* The peak RSS (VmHWM, KiB) of live process @pid, or -1. */
static long proc_peak_rss(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *hit;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(hit = strstr(text, "VmHWM:"))) {
        return -1;
    }
    return strtol(hit + strlen("VmHWM:"), NULL, 10);
}

/* Read replies from @out until @n lines were "return" or "error" ones. */
static bool await_replies(FILE *out, int n, GString *text)
{
    char line[4096];

    while (n > 0 && fgets(line, sizeof(line), out)) {
        g_string_append(text, line);
        if (g_str_has_prefix(line, "{\"return\"") ||
            g_str_has_prefix(line, "{\"error\"")) {
            n--;
        }
    }
    return n == 0;
}

/*
 * Run the program with @args, QMP on stdio: the commands of @script,
 * then (once all are answered) quit.  Optionally under callgrind.  The
 * peak RSS is read from /proc before the quit: wait4's ru_maxrss would
 * also count the bench's own pages, which the forked child holds until
 * it execs.  False if it failed.
 */
static bool run_script(Bench *b, const char *args, const char *script,
                       bool callgrind, Run *r)
{
    g_autofree char *err = g_build_filename(b->dir, "err", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "%s%s %s %s -display none -accel qtest -qmp stdio",
        callgrind ? b->valgrind : "",
        callgrind ? " --tool=callgrind --callgrind-out-file=/dev/null" : "",
        b->bin, args);
    g_autoptr(GString) out = g_string_new(NULL);
    g_auto(GStrv) argv = NULL;
    int to[2], from[2], status, n = 0;
    struct rusage ru;
    const char *hit;
    FILE *in, *reply;
    pid_t pid;
    bool ok;

    memset(r, 0, sizeof(*r));
    r->insns = -1;
    r->maxrss_kib = -1;
    if ((callgrind && !b->valgrind) ||
        !g_shell_parse_argv(cmd, NULL, &argv, NULL) ||
        pipe(to) < 0 || pipe(from) < 0) {
        return false;
    }
    pid = fork();
    if (pid == 0) {
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        dup2(to[0], STDIN_FILENO);
        dup2(from[1], STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        close(to[1]);
        close(from[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    in = fdopen(to[1], "w");
    reply = fdopen(from[0], "r");
    if (pid < 0 || !in || !reply) {
        return false;
    }
    for (const char *p = script; *p; p++) {
        n += *p == '\n';
    }
    fputs(script, in);
    fflush(in);
    ok = await_replies(reply, n, out);
    if (ok && !callgrind) {
        r->maxrss_kib = proc_peak_rss(pid);
    }
    fputs("{\"execute\": \"quit\"}\n", in);
    fclose(in);
    await_replies(reply, 1, out);
    fclose(reply);
    if (wait4(pid, &status, 0, &ru) != pid) {
        return false;
    }
    r->out = g_string_free(g_steal_pointer(&out), false);
    g_file_get_contents(err, &r->err, NULL, NULL);
    if (r->err && (hit = strstr(r->err, "Collected : "))) {
        r->insns = g_ascii_strtoll(hit + strlen("Collected : "), NULL, 10);
    }
    if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: run failed (status 0x%x): %s\n", status,
                r->err ? r->err : "");
        return false;
    }
    return true;
}

/* What run_script() sends before its quit. */
#define SCRIPT_CAPS "{\"execute\": \"qmp_capabilities\"}\n"
#define SCRIPT_QUERY "{\"execute\": \"qmp_capabilities\"}\n" \
                     "{\"execute\": \"x-query-host-sim\"}\n"

/* From the x-query-host-sim reply in @out: total calls and GET_HW_INFO. */
static bool parse_host_calls(const char *out, int64_t *total, int64_t *hw)
{
    g_auto(GStrv) lines = g_strsplit(out ? out : "", "\n", 0);

    for (int i = 0; lines[i]; i++) {
        g_autoptr(JsonParser) p = json_parser_new();
        JsonObject *ret;

        if (!strstr(lines[i], "\"total-calls\"") ||
            !json_parser_load_from_data(p, lines[i], -1, NULL)) {
            continue;
        }
        ret = json_object_get_object_member(
            json_node_get_object(json_parser_get_root(p)), "return");
        *total = json_object_get_int_member(ret, "total-calls");
        *hw = json_object_get_int_member_with_default(
            json_object_get_object_member(ret, "calls"), "GET_HW_INFO", 0);
        return true;
    }
    return false;
}

/* ---- start-up scaling ---- */

typedef struct Point {
    int n;
    int64_t insns;
    long rss_kib;
    int64_t calls, hw_info;
} Point;

static void measure_point(Bench *b, Arch arch, int n, bool with_host,
                          Point *p)
{
    g_autofree char *args = startup_args(b, arch, n);
    Run r = { 0 };

    if (!with_host) {
        g_free(args);
        args = g_strdup("-M q35 -object iommufd,id=iommufd0 -device "
                        "intel-iommu,x-scalable-mode=on,x-flts=on,"
                        "caching-mode=on");
    }
    memset(p, 0, sizeof(*p));
    p->n = n;
    p->insns = p->rss_kib = p->calls = p->hw_info = -1;
    if (run_script(b, args, SCRIPT_CAPS, false, &r)) {
        p->rss_kib = r.maxrss_kib;
    }
    run_clear(&r);
    if (with_host && run_script(b, args, SCRIPT_QUERY, false, &r)) {
        parse_host_calls(r.out, &p->calls, &p->hw_info);
    }
    run_clear(&r);
    if (run_script(b, args, SCRIPT_CAPS, true, &r)) {
        p->insns = r.insns;
    }
    run_clear(&r);
}

static void bench_scaling(Bench *b)
{
    static const int counts[] = { 0, 1, 64, 256, 1024, 4096 };
    Point pt[G_N_ELEMENTS(counts)], bare, arm;
    double lo = -1, hi = -1;

    measure_point(b, ARCH_Q35, 0, false, &bare);
    for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
        measure_point(b, ARCH_Q35, counts[i], true, &pt[i]);
    }
    measure_point(b, ARCH_VIRT, 256, true, &arm);

    g_string_append(b->table, "start-up, whole process (exec to quit), "
                    "intel-iommu,pasid=auto on q35:\n");
    row(b, "instructions, no device, no host file (M)", "%.2f",
        bare.insns / 1e6, "<= 2.5", bare.insns <= 2.5e6);
    for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
        g_autofree char *what = g_strdup_printf(
            "instructions, %d device%s (M)", counts[i],
            counts[i] == 1 ? "" : "s");
        const char *goal = counts[i] == 0 ? "<= 2.5"
                         : counts[i] == 256 ? "<= 25" : NULL;
        double lim = counts[i] == 0 ? 2.5e6 : 25e6;

        row(b, what, "%.2f", pt[i].insns / 1e6, goal, pt[i].insns <= lim);
    }
    row(b, "instructions, 256 devices, arm-smmuv3 on virt (M)", "%.2f",
        arm.insns / 1e6, "<= 25", arm.insns <= 25e6);
    row(b, "peak RSS, no device, no host file (MiB)", "%.2f",
        bare.rss_kib / 1024.0, NULL, 0);
    for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
        g_autofree char *what = g_strdup_printf(
            "peak RSS, %d device%s (MiB)", counts[i],
            counts[i] == 1 ? "" : "s");

        row(b, what, "%.2f", pt[i].rss_kib / 1024.0,
            counts[i] == 256 ? "<= 8" : NULL, pt[i].rss_kib <= 8 * 1024);
    }
    row(b, "peak RSS, 256 devices, arm-smmuv3 on virt (MiB)", "%.2f",
        arm.rss_kib / 1024.0, "<= 8", arm.rss_kib <= 8 * 1024);
    row(b, "peak RSS per device, 0 -> 4096 (KiB)", "%.2f",
        pt[5].rss_kib < 0 || pt[0].rss_kib < 0 ? -1
        : (double)(pt[5].rss_kib - pt[0].rss_kib) / 4096, "<= 12",
        (pt[5].rss_kib - pt[0].rss_kib) <= 12 * 4096);
    for (guint i = 2; i + 1 < G_N_ELEMENTS(counts); i++) {
        g_autofree char *what = g_strdup_printf(
            "instructions per device, %d -> %d (k)", counts[i],
            counts[i + 1]);
        double per = pt[i].insns < 0 || pt[i + 1].insns < 0 ? -1
            : (double)(pt[i + 1].insns - pt[i].insns) /
              (counts[i + 1] - counts[i]);

        row(b, what, "%.1f", per < 0 ? -1 : per / 1e3, NULL, 0);
        if (per >= 0) {
            lo = lo < 0 ? per : MIN(lo, per);
            hi = MAX(hi, per);
        }
    }
    row(b, "linearity: max/min of the above", "%.3f",
        lo > 0 ? hi / lo : -1, "<= 1.10", lo > 0 && hi / lo <= 1.10);
    /* The first device also opens /dev/iommu and maps guest RAM. */
    row(b, "host calls at start-up, 1 device", "%.0f", (double)pt[1].calls,
        NULL, 0);
    for (guint i = 2; i < G_N_ELEMENTS(counts); i++) {
        g_autofree char *what = g_strdup_printf(
            "host calls per further device, 1 -> %d", counts[i]);
        double per = pt[i].calls < 0 || pt[1].calls < 0 ? -1
            : (double)(pt[i].calls - pt[1].calls) / (counts[i] - 1);

        row(b, what, "%.2f", per, "<= 10", per <= 10);
    }
    row(b, "GET_HW_INFO per device at start-up, 256", "%.2f",
        pt[3].hw_info < 0 ? -1 : pt[3].hw_info / 256.0, "== 1",
        pt[3].hw_info == 256);
    row(b, "host calls per device at start-up, 256 on virt", "%.2f",
        arm.calls < 0 ? -1 : arm.calls / 256.0, NULL, 0);
}

/* ---- libqtest sessions (hot plug, qtest reads) ---- */

static const char *qmp_error_desc(JsonObject *reply)
{
    if (!json_object_has_member(reply, "error")) {
        return NULL;
    }
    return json_object_get_string_member(
        json_object_get_object_member(reply, "error"), "desc");
}

void bench_quit(QTestState *s)
{
    kill(qtest_pid(s), SIGTERM);
    qtest_wait_exit(s);
    qtest_free(s);
}

QTestState *bench_guest_start(const char *bin, const char *args,
                              const char *what)
{
    g_autofree char *err = NULL;
    QTestState *s = qtest_try_init_binary(bin, args, &err);

    if (!s) {
        fprintf(stderr, "bench: %s: %s did not come up: %s", what, bin,
                err ? err : "\n");
    }
    return s;
}

void bench_guest_rows(const char *calls_row, const char *time_row,
                      int64_t calls, double seconds, int n)
{
    printf("%-52s %12.2f\n", calls_row, (double)calls / n);
    printf("%-52s %12.3f\n", time_row, seconds * 1e3 / n);
}

/* Start under callgrind if @callgrind; NULL (reported) on failure. */
static QTestState *session_start(Bench *b, const char *args, bool callgrind)
{
    g_autofree char *bin = callgrind
        ? g_strdup_printf("%s --tool=callgrind --callgrind-out-file=/dev/null"
                          " %s", b->valgrind, b->bin)
        : g_strdup(b->bin);
    g_autofree char *err = NULL;
    QTestState *s = qtest_try_init_binary(bin, args, &err);

    if (!s) {
        fprintf(stderr, "bench: %s did not come up: %s", bin,
                err ? err : "\n");
    }
    return s;
}

/* QMP quit, wait; callgrind's count from its stderr (or -1). */
static int64_t session_quit(QTestState *s)
{
    g_autoptr(JsonObject) r = qtest_qmp(s, "{'execute': 'quit'}");
    g_autofree char *err = NULL;
    const char *hit;

    qtest_wait_exit(s);
    err = qtest_stderr(s);
    qtest_free(s);
    hit = strstr(err, "Collected : ");
    return hit ? g_ascii_strtoll(hit + strlen("Collected : "), NULL, 10)
               : -1;
}

int64_t bench_host_calls(QTestState *s)
{
    g_autoptr(JsonObject) r = qtest_qmp(s, "{'execute': 'x-query-host-sim'}");

    if (qmp_error_desc(r)) {
        return -1;
    }
    return json_object_get_int_member(
        json_object_get_object_member(r, "return"), "total-calls");
}

static bool hot_add(QTestState *s)
{
    g_autoptr(JsonObject) r = qtest_qmp(
        s, "{'execute': 'device_add', 'arguments': {'driver': 'vfio-pci', "
        "'host': '0000:01:01.0', 'iommufd': 'iommufd0', 'id': 'hot', "
        "'bus': 'rp0'}}");

    if (qmp_error_desc(r)) {
        fprintf(stderr, "bench: device_add: %s\n", qmp_error_desc(r));
        return false;
    }
    return true;
}

static void hot_del(QTestState *s)
{
    g_autoptr(JsonObject) r = qtest_qmp(
        s, "{'execute': 'device_del', 'arguments': {'id': 'hot'}}");
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(s, "DEVICE_DELETED");
}

/* Instructions of @pairs add+del pairs in one session. */
static int64_t hotplug_insns(Bench *b, const char *args, int pairs)
{
    QTestState *s = session_start(b, args, true);

    if (!s) {
        return -1;
    }
    for (int i = 0; i < pairs; i++) {
        if (!hot_add(s)) {
            bench_quit(s);
            return -1;
        }
        hot_del(s);
    }
    return session_quit(s);
}

static void bench_hotplug(Bench *b)
{
    g_autofree char *args = hotplug_args(b);
    double tadd[RUNS], tdel[RUNS];
    int64_t c0, c1, c2, i0, i1;
    QTestState *s = session_start(b, args, false);

    if (!s) {
        return;
    }
    c0 = bench_host_calls(s);
    hot_add(s);
    c1 = bench_host_calls(s);
    hot_del(s);
    c2 = bench_host_calls(s);
    for (int r = 0; r < RUNS; r++) {
        double t0 = bench_now();

        hot_add(s);
        tadd[r] = bench_now() - t0;
        t0 = bench_now();
        hot_del(s);
        tdel[r] = bench_now() - t0;
    }
    bench_quit(s);
    i0 = hotplug_insns(b, args, 0);
    i1 = hotplug_insns(b, args, HOTPLUG_PAIRS);

    g_string_append(b->table, "hot plug (vfio-pci on a root port):\n");
    row(b, "device_add + device_del, instructions (k)", "%.1f",
        i0 < 0 || i1 < 0 ? -1 : (i1 - i0) / (HOTPLUG_PAIRS * 1e3),
        "<= 100", (i1 - i0) <= 100000 * HOTPLUG_PAIRS);
    row(b, "device_add wall time, median (ms)", "%.3f",
        median(tadd, RUNS) * 1e3, NULL, 0);
    row(b, "device_del wall time, median (ms)", "%.3f",
        median(tdel, RUNS) * 1e3, NULL, 0);
    row(b, "host calls, device_add", "%.0f", (double)(c1 - c0), "<= 10",
        c1 - c0 <= 10);
    row(b, "host calls, device_del", "%.0f", (double)(c2 - c1), NULL, 0);
}

/* ---- qtest reads ---- */

static uint64_t ecam(int slot, int off)
{
    return Q35_ECAM_BASE + ((uint64_t)QPCI_BDF(0, slot, 0) << 12) + off;
}

/* Host calls one readl of @addr costs (x-query-host-sim counts none). */
static int64_t read_calls(QTestState *s, uint64_t addr)
{
    int64_t c0 = bench_host_calls(s);

    qtest_readl(s, addr);
    return bench_host_calls(s) - c0;
}

/*
 * The first dword of the cold device's capabilities that a guest read
 * sends to the host: the "passed-through" figures are about such one.
 */
static int find_passthrough(QTestState *s)
{
    for (int off = 0x40; off < 0x1000; off += 4) {
        if (read_calls(s, ecam(COLD_SLOT, off)) > 0) {
            return off;
        }
    }
    return -1;
}

static double rate_roundtrip(QTestState *s, uint64_t addr)
{
    double t0 = bench_now();

    for (int i = 0; i < RATE_READS; i++) {
        qtest_readl(s, addr);
    }
    return RATE_READS / (bench_now() - t0);
}

/* @n readl of @addr in windows of WINDOW written at once. */
static void reads_pipelined(QTestState *s, uint64_t addr, int n)
{
    g_autofree char *line = g_strdup_printf("readl 0x%" G_GINT64_MODIFIER
                                            "x\n", addr);
    g_autoptr(GString) win = g_string_new(NULL);

    for (int i = 0; i < WINDOW; i++) {
        g_string_append(win, line);
    }
    for (int done = 0; done < n; done += WINDOW) {
        qtest_raw_send(s, win->str);
        for (int i = 0; i < WINDOW; i++) {
            g_free(qtest_raw_receive(s));
        }
    }
}

static double rate_pipelined(QTestState *s, uint64_t addr)
{
    double t0 = bench_now();

    reads_pipelined(s, addr, RATE_READS);
    return RATE_READS / (bench_now() - t0);
}

static double best_of_3(double (*f)(QTestState *, uint64_t), QTestState *s,
                        uint64_t addr)
{
    double best = 0;

    for (int i = 0; i < 3; i++) {
        best = MAX(best, f(s, addr));
    }
    return best;
}

/* Server instructions of @reads readl of @addr in one session. */
static int64_t read_insns(Bench *b, const char *args, uint64_t addr,
                          int reads, bool pipelined)
{
    QTestState *s = session_start(b, args, true);

    if (!s) {
        return -1;
    }
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    if (pipelined) {
        reads_pipelined(s, addr, reads);
    }
    for (int i = 0; !pipelined && i < reads; i++) {
        qtest_readl(s, addr);
    }
    return session_quit(s);
}

static void bench_reads(Bench *b)
{
    g_autofree char *args = hotplug_args(b);
    const struct { const char *name; int off; } regs[2] = {
        { "emulated (vendor/device ID)", 0 }, { "passed through", -1 },
    };
    QTestState *s = session_start(b, args, false);
    double rt[2], pl[2];
    int64_t calls[2], base;
    int offs[2];

    if (!s) {
        return;
    }
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    offs[0] = regs[0].off;
    offs[1] = find_passthrough(s);
    for (int i = 0; i < 2; i++) {
        uint64_t a = ecam(COLD_SLOT, MAX(offs[i], 0));

        calls[i] = offs[i] < 0 ? -1 : read_calls(s, a);
        rt[i] = offs[i] < 0 ? -1 : best_of_3(rate_roundtrip, s, a);
        pl[i] = offs[i] < 0 ? -1 : best_of_3(rate_pipelined, s, a);
    }
    bench_quit(s);
    base = read_insns(b, args, ecam(COLD_SLOT, 0), 0, false);

    g_string_append(b->table, "qtest readl on the vfio-pci device's "
                    "config space (ECAM), -qtest-log /dev/null:\n");
    for (int i = 0; i < 2; i++) {
        g_autofree char *what = NULL;
        int64_t n = offs[i] < 0 ? -1
            : read_insns(b, args, ecam(COLD_SLOT, offs[i]), READS, false);
        int64_t np = offs[i] < 0 ? -1
            : read_insns(b, args, ecam(COLD_SLOT, offs[i]), READS, true);
        double per = n < 0 || base < 0 ? -1 : (double)(n - base) / READS;
        double perp = np < 0 || base < 0 ? -1 : (double)(np - base) / READS;

        what = g_strdup_printf("%s at 0x%x: host calls per read",
                               regs[i].name, MAX(offs[i], 0));
        row(b, what, "%.0f", calls[i], i ? ">= 1" : "== 0",
            i ? calls[i] >= 1 : calls[i] == 0);
        row(b, "  server instructions per readl, round trips (k)", "%.2f",
            per < 0 ? -1 : per / 1e3, "<= 5", per <= 5000);
        row(b, "  server instructions per readl, pipelined (k)", "%.2f",
            perp < 0 ? -1 : perp / 1e3, "<= 5", perp <= 5000);
        row(b, "  round trips per second (k)", "%.1f",
            rt[i] < 0 ? -1 : rt[i] / 1e3, NULL, 0);
        row(b, "  pipelined reads per second (k)", "%.1f",
            pl[i] < 0 ? -1 : pl[i] / 1e3, ">= 500", pl[i] >= 500e3);
    }
}

/* ---- wall time against QEMU ---- */

/* Exec to the qmp_capabilities reply, then SIGTERM; -1 on failure. */
static double time_to_ready(const char *bin, const char *args)
{
    double t0 = bench_now(), t;
    QTestState *s = qtest_init_qmp_only(bin, args);
    g_autoptr(JsonObject) r = NULL;

    if (!s) {
        return -1;
    }
    r = qtest_qmp(s, "{'execute': 'qmp_capabilities'}");
    t = bench_now() - t0;
    bench_quit(s);
    return qmp_error_desc(r) ? -1 : t;
}

static void bench_wall(Bench *b)
{
    g_autofree char *qemu = g_find_program_in_path(QEMU_BINARY);
    g_autofree char *a0 = startup_args(b, ARCH_Q35, 0);
    g_autofree char *a256 = startup_args(b, ARCH_Q35, 256);
    g_autofree char *own0 = g_strconcat(a0, " -display none -accel qtest",
                                        NULL);
    g_autofree char *own256 = g_strconcat(a256,
                                          " -display none -accel qtest",
                                          NULL);
    double t0[RUNS], t256[RUNS], tq[RUNS];
    double m0, m256, mq = -1;

    for (int r = 0; r < RUNS; r++) {
        t256[r] = time_to_ready(b->bin, own256);
        tq[r] = qemu ? time_to_ready(qemu, QEMU_ARGS) : -1;
        t0[r] = time_to_ready(b->bin, own0);
    }
    m0 = median(t0, RUNS);
    m256 = median(t256, RUNS);
    if (qemu) {
        mq = median(tq, RUNS);
    }
    g_string_append_printf(b->table, "start-up wall time to QMP ready, "
                           "median of %d interleaved runs:\n", RUNS);
    row(b, "vfio-viommu, no device (ms)", "%.1f", m0 * 1e3, NULL, 0);
    row(b, "vfio-viommu, 256 PASID devices (ms)", "%.1f", m256 * 1e3, NULL,
        0);
    row(b, QEMU_BINARY ", no device (ms)", "%.1f", mq < 0 ? -1 : mq * 1e3,
        NULL, 0);
    row(b, "ratio: 256 devices / " QEMU_BINARY, "%.3f",
        mq <= 0 ? -1 : m256 / mq, "<= 0.30", m256 / mq <= 0.30);
}

/* ---- main ---- */

static void print_load(void)
{
    double l1, l5, l15;
    FILE *f = fopen("/proc/loadavg", "r");

    if (f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3) {
        printf("load average (1, 5, 15 min): %.2f %.2f %.2f\n", l1, l5, l15);
    }
    if (f) {
        fclose(f);
    }
}

static void bench_cleanup(Bench *b)
{
    g_autoptr(GDir) d = g_dir_open(b->dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(b->dir, name, NULL);

        g_unlink(p);
    }
    g_rmdir(b->dir);
    g_free(b->dir);
    g_free(b->bin);
    g_free(b->valgrind);
    g_free(b->host_q35);
    g_free(b->host_virt);
    g_string_free(b->table, true);
}

int main(int argc, char **argv)
{
    const char *root = g_getenv("VV_SOURCE_ROOT");
    const char *env_bin = g_getenv("VV_BINARY");
    Bench b = {
        .bin = g_strdup(argc > 1 && strcmp(argv[1], "--nested") ? argv[1]
                        : env_bin ? env_bin : "build/vfio-viommu"),
        .valgrind = g_find_program_in_path("valgrind"),
        .dir = g_dir_make_tmp("vv-bench-XXXXXX", NULL),
        .table = g_string_new(NULL),
    };

    /* A program that died must not take the bench with it. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && !strcmp(argv[1], "--nested")) {
        bench_nested(b.bin, root);
        bench_smmuv3(b.bin, root);
        bench_cleanup(&b);
        return 0;
    }
    if (!g_path_is_absolute(b.bin)) {
        g_autofree char *cwd = g_get_current_dir();
        char *abs = g_build_filename(cwd, b.bin, NULL);

        g_free(b.bin);
        b.bin = abs;
    }
    b.host_q35 = write_host(&b, "host-q35.json", host_q35_fmt, HOST_DEVICES);
    b.host_virt = write_host(&b, "host-virt.json", host_virt_fmt, 256);
    printf("vfio-viommu benchmarks (%s; instructions: callgrind, whole "
           "process)\n", b.bin);
    print_load();
    bench_scaling(&b);
    bench_hotplug(&b);
    bench_reads(&b);
    bench_wall(&b);
    printf("\n%-50s %12s  %-16s %s\n%s", "measure", "value", "goal", "",
           b.table->str);
    print_load();
    printf("\n");
    bench_nested(b.bin, root);
    bench_smmuv3(b.bin, root);
    bench_cleanup(&b);
    return 0;
}

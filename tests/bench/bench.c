/*
 * Benchmarks (make bench): figures, never assertions on time.
 *
 *  - start-up to QMP ready (greeting + qmp_capabilities reply) with 1, 64
 *    and 256 simulated PASID devices behind intel-iommu (pasid=auto), and
 *    the same figure for the distribution's qemu-system-x86_64 with an
 *    intel-iommu and no devices, measured in the same run;
 *  - device_add latency of a PASID device behind the finalized vIOMMU;
 *  - qtest config-read round trips per second (emulated bytes and
 *    pass-through bytes);
 *  - host calls per device, from x-query-host-sim;
 *  - a linearity check: per-device start-up cost at 64 and at 256;
 *  - intel-iommu x-flts=on: host calls and time per guest PASID bind and
 *    per invalidation batch (bench-nested.c);
 *  - arm-smmuv3 accel=on: host calls and time per guest STE install and
 *    per invalidation batch (bench-smmuv3.c).
 *
 * Usage: bench [BINARY [HOST-FILE]] | bench --nested (only the nesting
 * figures); defaults from VV_BINARY and
 * VV_SOURCE_ROOT, else build/vfio-viommu and
 * tests/data/hosts/scale-256.json (make bench runs from the top).
 */
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define RUNS 5
#define QEMU_BINARY "qemu-system-x86_64"

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

/*
 * The command line for @n devices: root ports at 00:02.0 onwards (eight
 * functions a slot), eight devices (functions) behind each; host BDFs as
 * scale-256.json numbers them (slot first, then bus).  @spare_ports
 * extra empty ports follow.
 */
static char *bench_args(const char *host_file, int n, int spare_ports)
{
    g_autofree char *quoted = g_shell_quote(host_file);
    GString *a = g_string_new(NULL);
    int ports = (n + 7) / 8 + spare_ports;

    g_string_append_printf(a, "-M q35 -host-sim %s "
                           "-object iommufd,id=iommufd0 "
                           "-device intel-iommu,x-scalable-mode=on,x-flts=on,"
                           "caching-mode=on,pasid=auto", quoted);
    for (int i = 0; i < ports; i++) {
        g_string_append_printf(a,
            " -device pcie-root-port,id=rp%d,chassis=%d,slot=%d,addr=%x.%x%s",
            i, i + 1, i + 1, 2 + i / 8, i % 8,
            i % 8 == 0 ? ",multifunction=on" : "");
    }
    for (int i = 0; i < n; i++) {
        g_string_append_printf(a,
            " -device vfio-pci,host=0000:%02x:%02x.0,iommufd=iommufd0,id=v%d,"
            "bus=rp%d,addr=0.%d%s", 1 + i / 32, i % 32, i, i / 8, i % 8,
            i % 8 == 0 && n > 1 ? ",multifunction=on" : "");
    }
    return g_string_free(a, false);
}

/* The "error"."desc" of a QMP reply, or NULL if it succeeded. */
static const char *qmp_error_desc(JsonObject *reply)
{
    if (!json_object_has_member(reply, "error")) {
        return NULL;
    }
    return json_object_get_string_member(
        json_object_get_object_member(reply, "error"), "desc");
}

/* SIGTERM and reap, whatever the exit status (a figure, not a test). */
void bench_quit(QTestState *s)
{
    kill(qtest_pid(s), SIGTERM);
    qtest_wait_exit(s);
    qtest_free(s);
}

/*
 * Start @bin and time it to QMP ready: with @qtest, qtest_init()'s
 * sequence (endianness, greeting, qmp_capabilities); without, a QMP
 * monitor only (a stock QEMU), greeting then qmp_capabilities.
 */
static QTestState *bench_start(const char *bin, const char *args, bool qtest,
                               double *secs)
{
    g_autofree char *err = NULL;
    double t0 = bench_now();
    QTestState *s;

    if (qtest) {
        s = qtest_try_init_binary(bin, args, &err);
    } else {
        s = qtest_init_qmp_only(bin, args);
        if (s) {
            g_autoptr(JsonObject) r = qtest_qmp(s, "{'execute': "
                                                "'qmp_capabilities'}");

            if (qmp_error_desc(r)) {
                err = g_strdup_printf("qmp_capabilities: %s\n",
                                      qmp_error_desc(r));
                bench_quit(s);
                s = NULL;
            }
        }
    }
    *secs = bench_now() - t0;
    if (!s) {
        fprintf(stderr, "bench: %s did not come up: %s", bin,
                err ? err : "\n");
    }
    return s;
}

static double startup_median(const char *bin, const char *args, bool qtest)
{
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        QTestState *s = bench_start(bin, args, qtest, &t[r]);

        if (!s) {
            return -1;
        }
        bench_quit(s);
    }
    return median(t, RUNS);
}

static double bench_qemu_startup(void)
{
    g_autofree char *path = g_find_program_in_path(QEMU_BINARY);

    if (!path) {
        return -1;
    }
    return startup_median(path, "-display none -M q35 -device "
                          "intel-iommu,x-scalable-mode=on,x-pasid-mode=on,"
                          "caching-mode=on -accel tcg -S -nodefaults", false);
}

static double bench_device_add(QTestState *s, int host_index, int port)
{
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        g_autoptr(JsonObject) add = NULL;
        g_autoptr(JsonObject) del = NULL;
        double t0 = bench_now();

        add = qtest_qmp(s, "{'execute': 'device_add', 'arguments': "
                        "{'driver': 'vfio-pci', 'host': '0000:%02x:%02x.0', "
                        "'iommufd': 'iommufd0', 'id': 'hot', 'bus': 'rp%d'}}",
                        1 + host_index / 32, host_index % 32, port);
        t[r] = bench_now() - t0;
        if (qmp_error_desc(add)) {
            fprintf(stderr, "bench: device_add: %s\n", qmp_error_desc(add));
            return -1;
        }
        del = qtest_qmp(s, "{'execute': 'device_del', 'arguments': "
                        "{'id': 'hot'}}");
    }
    return median(t, RUNS);
}

/* Round trips a second for @n readl of @addr. */
static double bench_reads(QTestState *s, uint64_t addr, int n)
{
    double t0 = bench_now();

    for (int i = 0; i < n; i++) {
        qtest_readl(s, addr);
    }
    return n / (bench_now() - t0);
}

static double bench_reads_best(QTestState *s, uint64_t addr)
{
    double best = 0;

    for (int i = 0; i < 3; i++) {
        best = MAX(best, bench_reads(s, addr, 20000));
    }
    return best;
}

/*
 * Instructions executed by the start-up steps that grow with the devices
 * (loading the host, the machine, the devices, machine-init-done; then
 * -dump-pci-config exits, uncounted),
 * counted by callgrind: unlike wall time, the count repeats exactly, so
 * the linearity check is not at the mercy of the machine's load.  -1
 * without valgrind.
 */
static int64_t startup_instructions(const char *bin, const char *args)
{
    g_autofree char *cmd = g_strdup_printf(
        "valgrind --tool=callgrind --callgrind-out-file=/dev/null "
        "--toggle-collect=host_sim_start --toggle-collect=machine_create "
        "--toggle-collect=create_devices --toggle-collect=machine_init_done "
        "%s %s "
        "-accel qtest -display none -dump-pci-config", bin, args);
    g_auto(GStrv) argv = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *hit;
    int status;

    if (!g_find_program_in_path("valgrind") ||
        !g_shell_parse_argv(cmd, NULL, &argv, NULL) ||
        !g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &err, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL) ||
        !(hit = strstr(err, "Collected : "))) {
        return -1;
    }
    return g_ascii_strtoll(hit + strlen("Collected : "), NULL, 10);
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

/* Firmware's part: ECAM on, root port 0's secondary bus is 1. */
static void bench_enable_ecam(QTestState *s)
{
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    qtest_ecam_writel(s, QPCI_BDF(0, 2, 0), 0x18, 0x00010100);
}

int main(int argc, char **argv)
{
    const char *root = g_getenv("VV_SOURCE_ROOT");
    g_autofree char *bin = g_strdup(argc > 1 ? argv[1]
                                    : g_getenv("VV_BINARY") ? g_getenv(
                                        "VV_BINARY") : "build/vfio-viommu");
    g_autofree char *host = argc > 2 ? g_strdup(argv[2])
        : g_build_filename(root ? root : ".", "tests/data/hosts",
                           "scale-256.json", NULL);
    const int counts[] = { 1, 64, 256 };
    double startup[3], qemu, add, emu_rate, vemu_rate, vfio_rate;
    int64_t calls[3] = { 0 };
    int64_t insns[3] = { 0 };
    double dummy;
    QTestState *s;

    if (argc > 1 && !strcmp(argv[1], "--nested")) {
        g_free(bin);
        bin = g_strdup(g_getenv("VV_BINARY") ? g_getenv("VV_BINARY")
                                              : "build/vfio-viommu");
        bench_nested(bin, root);
        bench_smmuv3(bin, root);
        return 0;
    }
    printf("vfio-viommu benchmarks (median of %d runs; %s)\n", RUNS, bin);
    for (int i = 0; i < 3; i++) {
        g_autofree char *a = bench_args(host, counts[i], 0);

        startup[i] = startup_median(bin, a, true);
        insns[i] = startup_instructions(bin, a);
        s = bench_start(bin, a, true, &dummy);
        calls[i] = s ? bench_host_calls(s) : -1;
        if (s) {
            bench_quit(s);
        }
    }
    qemu = bench_qemu_startup();
    {
        g_autofree char *a = bench_args(host, 1, 1);

        s = bench_start(bin, a, true, &dummy);
        if (!s) {
            return 1;
        }
        bench_enable_ecam(s);
        add = bench_device_add(s, 1, 1);       /* the spare port */
        /*
         * Root port BAR, the vfio-pci device's BAR (emulated) and its AER
         * status (passed through to the host config region).  Each rate
         * is the best of three rounds, so a cold first round does not
         * skew the comparison.
         */
        emu_rate = bench_reads_best(s, Q35_ECAM_BASE + (0x10 << 12));
        vemu_rate = bench_reads_best(s, Q35_ECAM_BASE + (1 << 20) + 0x10);
        vfio_rate = bench_reads_best(s, Q35_ECAM_BASE + (1 << 20) + 0x104);
        bench_quit(s);
    }

    printf("\n%-52s %12s\n", "measure", "value");
    for (int i = 0; i < 3; i++) {
        g_autofree char *label = g_strdup_printf(
            "start-up to QMP ready, %d PASID device%s (ms)", counts[i],
            counts[i] > 1 ? "s" : "");

        printf("%-52s %12.1f\n", label, startup[i] * 1e3);
    }
    if (qemu >= 0) {
        printf("%-52s %12.1f\n", "start-up, " QEMU_BINARY " intel-iommu (ms)",
               qemu * 1e3);
        printf("%-52s %12.2f\n", "ratio QEMU / vfio-viommu (1 device)",
               qemu / startup[0]);
    } else {
        printf("%-52s %12s\n", "start-up, " QEMU_BINARY, "n/a");
    }
    printf("%-52s %12.3f\n", "device_add latency (ms)", add * 1e3);
    printf("%-52s %12.0f\n", "qtest config reads/s (emulated root port)",
           emu_rate);
    printf("%-52s %12.0f\n", "qtest config reads/s (vfio-pci, emulated)",
           vemu_rate);
    printf("%-52s %12.0f\n", "qtest config reads/s (vfio-pci, pass-through)",
           vfio_rate);
    for (int i = 0; i < 3; i++) {
        g_autofree char *label = g_strdup_printf(
            "host calls per device at start-up (%d)", counts[i]);

        printf("%-52s %12.1f\n", label, (double)calls[i] / counts[i]);
    }
    for (int i = 0; i < 3; i++) {
        g_autofree char *label = g_strdup_printf(
            "instructions at start-up, %d device%s (M)", counts[i],
            counts[i] > 1 ? "s" : "");

        printf("%-52s %12.1f\n", label, insns[i] / 1e6);
    }
    if (insns[0] > 0 && insns[1] > 0 && insns[2] > 0) {
        printf("\nlinearity (instructions, exact): per device %.0f k (1->64), "
               "%.0f k (64->256), ratio %.2f (1.00 = linear)\n",
               (insns[1] - insns[0]) / 63e3, (insns[2] - insns[1]) / 192e3,
               ((double)(insns[2] - insns[1]) / 192) /
               ((double)(insns[1] - insns[0]) / 63));
    }
    printf("linearity (wall time): per-device start-up cost %.3f ms (1->64), "
           "%.3f ms (64->256), ratio %.2f (1.00 = linear)\n",
           (startup[1] - startup[0]) * 1e3 / 63,
           (startup[2] - startup[1]) * 1e3 / 192,
           ((startup[2] - startup[1]) / 192) /
           ((startup[1] - startup[0]) / 63));
    printf("\n");
    bench_nested(bin, root);
    bench_smmuv3(bin, root);
    return 0;
}

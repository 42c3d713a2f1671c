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
 *  - a linearity check: per-device start-up cost at 64 and at 256.
 *
 * Usage: bench [BINARY [HOST-FILE]]; defaults from VV_BINARY and
 * VV_SOURCE_ROOT, else build/vfio-viommu and
 * tests/data/hosts/scale-256.json (make bench runs from the top).
 */
#include "vv-client.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 5
#define ECAM_BASE 0xb0000000ULL
#define QEMU_BINARY "qemu-system-x86_64"

static double now(void)
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
 * -device arguments for @n devices: root ports at 00:02.0 onwards (eight
 * functions a slot), eight devices (functions) behind each; host BDFs as
 * scale-256.json numbers them (slot first, then bus).  @spare_ports
 * extra empty ports follow.
 */
static GPtrArray *bench_args(const char *host_file, int n, int spare_ports)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    int ports = (n + 7) / 8 + spare_ports;

    g_ptr_array_add(a, g_strdup("-M"));
    g_ptr_array_add(a, g_strdup("q35"));
    g_ptr_array_add(a, g_strdup("-host-sim"));
    g_ptr_array_add(a, g_strdup(host_file));
    g_ptr_array_add(a, g_strdup("-object"));
    g_ptr_array_add(a, g_strdup("iommufd,id=iommufd0"));
    g_ptr_array_add(a, g_strdup("-device"));
    g_ptr_array_add(a, g_strdup("intel-iommu,x-scalable-mode=on,"
                                "caching-mode=on,pasid=auto"));
    for (int i = 0; i < ports; i++) {
        g_ptr_array_add(a, g_strdup("-device"));
        g_ptr_array_add(a, g_strdup_printf(
            "pcie-root-port,id=rp%d,chassis=%d,slot=%d,addr=%x.%x%s", i,
            i + 1, i + 1, 2 + i / 8, i % 8,
            i % 8 == 0 ? ",multifunction=on" : ""));
    }
    for (int i = 0; i < n; i++) {
        g_ptr_array_add(a, g_strdup("-device"));
        g_ptr_array_add(a, g_strdup_printf(
            "vfio-pci,host=0000:%02x:%02x.0,iommufd=iommufd0,id=v%d,bus=rp%d,"
            "addr=0.%d%s", 1 + i / 32, i % 32, i, i / 8, i % 8,
            i % 8 == 0 && n > 1 ? ",multifunction=on" : ""));
    }
    g_ptr_array_add(a, NULL);
    return a;
}

static VVClient *bench_start(const char *bin, GPtrArray *args, bool qtest,
                             double *secs)
{
    g_autofree char *err = NULL;
    double t0 = now();
    int status = 0;
    VVClient *c = vv_client_start(bin, (const char *const *)args->pdata,
                                  qtest, &status, &err);

    *secs = now() - t0;
    if (!c) {
        fprintf(stderr, "bench: %s exited with %d: %s", bin, status, err);
    }
    return c;
}

static double startup_median(const char *bin, GPtrArray *args, bool qtest)
{
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        VVClient *c = bench_start(bin, args, qtest, &t[r]);

        if (!c) {
            return -1;
        }
        vv_client_quit(c);
    }
    return median(t, RUNS);
}

static double bench_qemu_startup(void)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *path = g_find_program_in_path(QEMU_BINARY);
    const char *const fixed[] = {
        "-M", "q35", "-device",
        "intel-iommu,x-scalable-mode=on,x-pasid-mode=on,caching-mode=on",
        "-accel", "tcg", "-S", "-nodefaults", NULL,
    };

    if (!path) {
        return -1;
    }
    for (int i = 0; fixed[i]; i++) {
        g_ptr_array_add(a, g_strdup(fixed[i]));
    }
    g_ptr_array_add(a, NULL);
    return startup_median(path, a, false);
}

static double bench_device_add(VVClient *c, int host_index, int port)
{
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        g_autoptr(JsonNode) add = NULL;
        g_autoptr(JsonNode) del = NULL;
        double t0 = now();

        add = vv_qmp(c, "{\"execute\": \"device_add\", \"arguments\": "
                     "{\"driver\": \"vfio-pci\", \"host\": "
                     "\"0000:%02x:%02x.0\", \"iommufd\": \"iommufd0\", "
                     "\"id\": \"hot\", \"bus\": \"rp%d\"}}",
                     1 + host_index / 32, host_index % 32, port);
        t[r] = now() - t0;
        if (!add || vv_qmp_error(add)) {
            fprintf(stderr, "bench: device_add: %s\n",
                    add ? vv_qmp_error(add) : "no reply");
            return -1;
        }
        del = vv_qmp(c, "{\"execute\": \"device_del\", \"arguments\": "
                     "{\"id\": \"hot\"}}");
    }
    return median(t, RUNS);
}

/* Round trips a second for @n readl of @addr. */
static double bench_reads(VVClient *c, uint64_t addr, int n)
{
    double t0 = now();

    for (int i = 0; i < n; i++) {
        vv_readl(c, addr);
    }
    return n / (now() - t0);
}

static int64_t host_calls(VVClient *c)
{
    g_autoptr(JsonNode) r = vv_qmp(c, "{\"execute\": \"x-query-host-sim\"}");
    JsonObject *o;

    if (!r || vv_qmp_error(r)) {
        return -1;
    }
    o = json_object_get_object_member(json_node_get_object(r), "return");
    return json_object_get_int_member(o, "total-calls");
}

/* Firmware's part: ECAM on, root port 0's secondary bus is 1. */
static void bench_enable_ecam(VVClient *c)
{
    vv_outl(c, 0xcf8, 0x80000064);
    vv_outl(c, 0xcfc, ECAM_BASE >> 32);
    vv_outl(c, 0xcf8, 0x80000060);
    vv_outl(c, 0xcfc, (uint32_t)ECAM_BASE | 1);
    vv_writel(c, ECAM_BASE + (0x10 << 12) + 0x18, 0x00010100);
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
    double startup[3], qemu, add, emu_rate, vfio_rate;
    int64_t calls[3] = { 0 };
    double dummy;
    VVClient *c;

    printf("vfio-viommu benchmarks (median of %d runs; %s)\n", RUNS, bin);
    for (int i = 0; i < 3; i++) {
        g_autoptr(GPtrArray) a = bench_args(host, counts[i], 0);

        startup[i] = startup_median(bin, a, true);
        c = bench_start(bin, a, true, &dummy);
        calls[i] = c ? host_calls(c) : -1;
        if (c) {
            vv_client_quit(c);
        }
    }
    qemu = bench_qemu_startup();
    {
        g_autoptr(GPtrArray) a = bench_args(host, 1, 1);

        c = bench_start(bin, a, true, &dummy);
        if (!c) {
            return 1;
        }
        bench_enable_ecam(c);
        add = bench_device_add(c, 1, 1);       /* the spare port */
        emu_rate = bench_reads(c, ECAM_BASE + (0x10 << 12), 20000);
        vfio_rate = bench_reads(c, ECAM_BASE + (1 << 20) + 0x10, 20000);
        vv_client_quit(c);
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
    printf("%-52s %12.0f\n", "qtest config reads/s (vfio pass-through)",
           vfio_rate);
    for (int i = 0; i < 3; i++) {
        g_autofree char *label = g_strdup_printf(
            "host calls per device at start-up (%d)", counts[i]);

        printf("%-52s %12.1f\n", label, (double)calls[i] / counts[i]);
    }
    printf("\nlinearity: per-device start-up cost %.3f ms (1->64), "
           "%.3f ms (64->256), ratio %.2f (1.00 = linear)\n",
           (startup[1] - startup[0]) * 1e3 / 63,
           (startup[2] - startup[1]) * 1e3 / 192,
           ((startup[2] - startup[1]) / 192) /
           ((startup[1] - startup[0]) / 63));
    return 0;
}

/*
 * Real-syscall smoke test harness: serve one simulated host device
 * through umockdev, so a child that makes *real* open/ioctl/pread calls
 * (no -host-sim) talks to the simulator core.
 *
 *   host-sim-umockdev [--term-after=MS] [--expect=CMD=N]... HOST.json BDF
 *                     CHILD [ARGS...]
 *
 * --term-after sends SIGTERM to a long-running child (the VMM) after MS
 * milliseconds; --expect checks a counter after the child exits.
 * The testbed holds /dev/iommu, /dev/vfio/devices/vfioN and the device's
 * sysfs directory; the child runs under libumockdev-preload.  umockdev
 * 0.17 sends pread/pwrite to the node's backing file, so the config
 * region is reported at offset 0 and its bytes (PASID hidden) are the
 * start of that file.  Exits with the child's status; prints the
 * simulator's counters.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <umockdev.h>

#include "linux/iommufd.h"
#include "linux/vfio.h"
#include "system/host-sim/internal.h"

typedef struct Harness {
    HostSim *sim;
    GPid pid;
    unsigned term_after;
    GPtrArray *expect;              /* "CMD=N" */
    GHashTable *clients;            /* UMockdevIoctlClient -> SimFile */
    SimFile *last_iommufd;          /* what BIND's fd number means */
    GMainLoop *loop;
    unsigned vanished;
    int status;
} Harness;

/* ---- client memory, through umockdev's resolve ---- */

typedef struct UmBlock {
    uint64_t addr;
    size_t len;
    UMockdevIoctlData *data;
} UmBlock;

typedef struct UmAccess {
    UMockdevIoctlData *top;         /* the command struct */
    uint64_t top_addr;
    size_t top_len;
    uint8_t top_orig[64];           /* its bytes before pointers resolved */
    UmBlock blocks[4];
    unsigned nblocks;
} UmAccess;

/* Only the struct and buffers its pointer fields name are reachable. */
static UmBlock *um_block(UmAccess *ua, uint64_t addr, size_t len)
{
    unsigned i, off;

    for (i = 0; i < ua->nblocks; i++) {
        UmBlock *b = &ua->blocks[i];

        if (addr >= b->addr && addr + len <= b->addr + b->len) {
            return b;
        }
    }
    if (ua->nblocks == G_N_ELEMENTS(ua->blocks)) {
        return NULL;
    }
    for (off = 0; off + 8 <= ua->top_len; off += 8) {
        uint64_t p;

        memcpy(&p, ua->top_orig + off, 8);
        if (p == addr && len) {
            UmBlock *b = &ua->blocks[ua->nblocks];

            b->data = umockdev_ioctl_data_resolve(ua->top, off, len, NULL);
            if (!b->data) {
                return NULL;
            }
            b->addr = addr;
            b->len = len;
            ua->nblocks++;
            return b;
        }
    }
    return NULL;
}

static bool um_read(void *opaque, uint64_t addr, void *dst, size_t len)
{
    UmBlock *b = um_block(opaque, addr, len);

    if (b) {
        memcpy(dst, b->data->data + (addr - b->addr), len);
    }
    return b || !len;
}

static bool um_write(void *opaque, uint64_t addr, const void *src, size_t len)
{
    UmBlock *b = um_block(opaque, addr, len);

    if (b) {
        memcpy(b->data->data + (addr - b->addr), src, len);
    }
    return b || !len;
}

/* The kernel-side size of a command, which we read from the client. */
static size_t um_arg_size(unsigned long req)
{
    switch (req) {
    case IOMMU_DESTROY: return sizeof(struct iommu_destroy);
    case IOMMU_IOAS_ALLOC: return sizeof(struct iommu_ioas_alloc);
    case IOMMU_IOAS_IOVA_RANGES: return sizeof(struct iommu_ioas_iova_ranges);
    case IOMMU_IOAS_MAP: return sizeof(struct iommu_ioas_map);
    case IOMMU_IOAS_UNMAP: return sizeof(struct iommu_ioas_unmap);
    case IOMMU_HWPT_ALLOC: return sizeof(struct iommu_hwpt_alloc);
    case IOMMU_GET_HW_INFO: return sizeof(struct iommu_hw_info);
    case VFIO_DEVICE_GET_INFO: return sizeof(struct vfio_device_info);
    case VFIO_DEVICE_GET_REGION_INFO: return sizeof(struct vfio_region_info);
    case VFIO_DEVICE_GET_IRQ_INFO: return sizeof(struct vfio_irq_info);
    case VFIO_DEVICE_BIND_IOMMUFD:
        return offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
    case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
        return sizeof(struct vfio_device_attach_iommufd_pt);
    case VFIO_DEVICE_DETACH_IOMMUFD_PT:
        return sizeof(struct vfio_device_detach_iommufd_pt);
    default: return 0;
    }
}

/* ---- the handler ---- */

static SimFile *um_client_file(Harness *h, UMockdevIoctlClient *client)
{
    SimFile *f = g_hash_table_lookup(h->clients, client);
    int err;

    if (!f) {
        f = sim_file_open(h->sim, umockdev_ioctl_client_get_devnode(client),
                          &err);
        if (!f) {
            return NULL;
        }
        g_hash_table_insert(h->clients, g_object_ref(client), f);
        if (f->kind == SIM_FILE_IOMMU) {
            h->last_iommufd = f;
        }
    }
    return f;
}

static void on_connected(UMockdevIoctlBase *base, UMockdevIoctlClient *client,
                         gpointer opaque)
{
    um_client_file(opaque, client);
}

/*
 * Where umockdev reports a closed client, release like a close(2).
 * (0.17 does not report them before the child exits.)
 */
static void on_vanished(UMockdevIoctlBase *base, UMockdevIoctlClient *client,
                        gpointer opaque)
{
    Harness *h = opaque;
    SimFile *f = g_hash_table_lookup(h->clients, client);

    if (f) {
        if (f == h->last_iommufd) {
            h->last_iommufd = NULL;
        }
        h->vanished++;
        sim_file_release(h->sim, f);
        g_hash_table_remove(h->clients, client);
    }
}

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client,
                         gpointer opaque)
{
    Harness *h = opaque;
    unsigned long req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    UmAccess um = { 0 };
    SimUaccess ua = { um_read, um_write, &um };
    SimFile *f = um_client_file(h, client);
    unsigned i;
    int r = -ENOTTY;

    um.top_len = um_arg_size(req);
    memcpy(&um.top_addr, arg->data, sizeof(gulong));
    if (f && um.top_len && um.top_addr) {
        um.top = umockdev_ioctl_data_resolve(arg, 0, um.top_len, NULL);
    }
    if (um.top) {
        memcpy(um.top_orig, um.top->data, MIN(um.top_len, 64));
        um.blocks[0] = (UmBlock) { um.top_addr, um.top_len, um.top };
        um.nblocks = 1;
        r = sim_file_ioctl(h->sim, f, req, um.top_addr, &ua);
    } else if (f) {
        r = um.top_len ? -EFAULT : sim_file_ioctl(h->sim, f, req, 0, &ua);
    }
    umockdev_ioctl_client_complete(client, r < 0 ? -1 : r, r < 0 ? -r : 0);
    for (i = 0; i < um.nblocks; i++) {
        g_object_unref(um.blocks[i].data);
    }
    return true;
}

static SimFile *um_lookup_iommufd(HostSim *s, int fd, void *opaque)
{
    Harness *h = opaque;

    /* The handler cannot see the client's fd table: one iommufd only. */
    return h->last_iommufd;
}

/* ---- testbed ---- */

static void testbed_node(const char *root, const char *node,
                         const void *data, size_t len)
{
    g_autofree char *path = g_build_filename(root, node, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert(g_mkdir_with_parents(dir, 0755) == 0);
    g_assert(g_file_set_contents(path, data, len, NULL));
}

static void testbed_build(UMockdevTestbed *tb, UMockdevIoctlBase *handler,
                          SimDevice *dev)
{
    g_autofree char *root = umockdev_testbed_get_root_dir(tb);
    g_autofree char *vendor = g_strdup_printf("0x%02x%02x\n",
                                              dev->hw_config[1],
                                              dev->hw_config[0]);
    g_autofree char *device = g_strdup_printf("0x%02x%02x\n",
                                              dev->hw_config[3],
                                              dev->hw_config[2]);
    g_autofree char *node = g_strdup_printf("/dev/vfio/devices/vfio%u",
                                            dev->index);
    g_autofree char *attr = g_strdup_printf("vfio-dev/vfio%u/dev",
                                            dev->index);
    g_autofree char *majmin = g_strdup_printf("%u:%u\n", SIM_VFIO_MAJOR,
                                              dev->index);
    g_autofree char *pci = umockdev_testbed_add_device(
        tb, "pci", dev->bdf, NULL, "vendor", vendor, "device", device, NULL,
        "PCI_SLOT_NAME", dev->bdf, NULL);
    GError *err = NULL;

    umockdev_testbed_set_attribute(tb, pci, attr, majmin);
    testbed_node(root, "dev/iommu", "", 0);
    testbed_node(root, node, dev->config_init, SIM_CFG_SIZE);
    if (!umockdev_testbed_attach_ioctl(tb, "/dev/iommu", handler, &err) ||
        !umockdev_testbed_attach_ioctl(tb, node, handler, &err)) {
        g_error("umockdev: %s", err->message);
    }
}

static void child_exited(GPid pid, int status, gpointer opaque)
{
    Harness *h = opaque;

    h->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    g_spawn_close_pid(pid);
    g_main_loop_quit(h->loop);
}

static gboolean child_term(gpointer opaque)
{
    Harness *h = opaque;

    kill(h->pid, SIGTERM);
    return G_SOURCE_REMOVE;
}

/* --expect=CMD=N: false (with a message) if the counter differs. */
static bool check_expect(Harness *h)
{
    bool ok = true;
    unsigned i;

    for (i = 0; i < h->expect->len; i++) {
        g_auto(GStrv) kv = g_strsplit(h->expect->pdata[i], "=", 2);
        int id = sim_cmd_lookup(kv[0]);
        uint64_t n = id < 0 ? 0 : h->sim->counts[id];
        uint64_t want = kv[1] ? g_ascii_strtoull(kv[1], NULL, 10) : 0;

        if (n != want) {
            fprintf(stderr, "host-sim-umockdev: %s: %" PRIu64 " calls, "
                    "expected %" PRIu64 "\n", kv[0], n, want);
            ok = false;
        }
    }
    return ok;
}

/* Leading --options; returns the index of HOST.json. */
static int parse_options(Harness *h, int argc, char **argv)
{
    int i;

    for (i = 1; i < argc && g_str_has_prefix(argv[i], "--"); i++) {
        if (g_str_has_prefix(argv[i], "--term-after=")) {
            h->term_after = atoi(argv[i] + strlen("--term-after="));
        } else if (g_str_has_prefix(argv[i], "--expect=")) {
            g_ptr_array_add(h->expect, argv[i] + strlen("--expect="));
        } else {
            return -1;
        }
    }
    return argc - i >= 3 ? i : -1;
}

static void print_counts(HostSim *s)
{
    for (int id = 0; id < SIM_CMD__MAX; id++) {
        if (s->counts[id]) {
            printf("host-sim: %s=%" PRIu64 "\n", sim_cmd_names[id],
                   s->counts[id]);
        }
    }
}

/* Run @argv under the preload until it exits; its status in h->status. */
static void child_run(Harness *h, char **argv)
{
    g_auto(GStrv) envp = g_get_environ();   /* with UMOCKDEV_DIR */
    const char *preload = g_environ_getenv(envp, "LD_PRELOAD");
    g_autofree char *pre = g_strdup_printf("libumockdev-preload.so.0%s%s",
                                           preload ? ":" : "",
                                           preload ? preload : "");
    GError *err = NULL;

    envp = g_environ_setenv(envp, "LD_PRELOAD", pre, true);
    h->loop = g_main_loop_new(NULL, false);
    if (!g_spawn_async(NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                       NULL, &h->pid, &err)) {
        g_error("%s", err->message);
    }
    g_child_watch_add(h->pid, child_exited, h);
    if (h->term_after) {
        g_timeout_add(h->term_after, child_term, h);
    }
    g_main_loop_run(h->loop);
    g_main_loop_unref(h->loop);
}

/* Report, check the counters, release what the child left open. */
static void harness_finish(Harness *h)
{
    GHashTableIter it;
    gpointer f;

    print_counts(h->sim);
    printf("host-sim: closed clients=%u, still open=%u\n", h->vanished,
           g_hash_table_size(h->clients));
    g_hash_table_iter_init(&it, h->clients);
    while (g_hash_table_iter_next(&it, NULL, &f)) {
        sim_file_release(h->sim, f);
    }
    g_hash_table_unref(h->clients);
    if (!h->sim->total) {
        fprintf(stderr, "host-sim-umockdev: no call reached the simulator\n");
        h->status = 1;
    }
    if (!check_expect(h)) {
        h->status = 1;
    }
    g_ptr_array_unref(h->expect);
    sim_host_free(h->sim);
}

int main(int argc, char **argv)
{
    Harness h = { .status = 1 };
    g_autoptr(UMockdevTestbed) tb = NULL;
    g_autoptr(UMockdevIoctlBase) handler = NULL;
    Error *err = NULL;
    SimDevice *dev;
    int a;

    h.expect = g_ptr_array_new();
    a = parse_options(&h, argc, argv);
    if (a < 0) {
        fprintf(stderr, "usage: %s [--term-after=MS] [--expect=CMD=N]... "
                "HOST.json BDF CHILD [ARGS...]\n", argv[0]);
        return 2;
    }
    h.sim = sim_host_load(argv[a], &err);
    if (!h.sim) {
        fprintf(stderr, "%s\n", err->message);
        return 2;
    }
    dev = sim_host_find_device(h.sim, argv[a + 1]);
    g_assert(dev);
    h.sim->region_shift = 0;
    h.sim->lookup_iommufd = um_lookup_iommufd;
    h.sim->lookup_opaque = &h;
    h.clients = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                      g_object_unref, NULL);
    tb = umockdev_testbed_new();
    handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(on_ioctl), &h);
    g_signal_connect(handler, "client-connected", G_CALLBACK(on_connected),
                     &h);
    g_signal_connect(handler, "client-vanished", G_CALLBACK(on_vanished),
                     &h);
    testbed_build(tb, handler, dev);
    child_run(&h, argv + a + 2);
    harness_finish(&h);
    return h.status;
}

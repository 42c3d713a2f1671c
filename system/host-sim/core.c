#define _GNU_SOURCE
/*
 * Simulated host kernel: the host ops (fd table, fd adoption, user
 * memory access), counters, fault injection, start and stop.
 */
#include "system/host-sim.h"
#include "system/host-ops.h"
#include "system/host-sim/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static HostSim *cur_sim;

HostSim *sim_host_current(void)
{
    return cur_sim;
}

bool host_sim_active(void)
{
    return cur_sim != NULL;
}

/* ---- counters and faults ---- */

const char *const sim_cmd_names[SIM_CMD__MAX] = {
    [SIM_CMD_OPEN] = "open",
    [SIM_CMD_CLOSE] = "close",
    [SIM_CMD_PREAD] = "pread",
    [SIM_CMD_PWRITE] = "pwrite",
    [SIM_CMD_READ_FILE] = "read_file",
    [SIM_CMD_LIST_DIR] = "list_dir",
    [SIM_CMD_READ_LINK] = "read_link",
    [SIM_CMD_DESTROY] = "DESTROY",
    [SIM_CMD_IOAS_ALLOC] = "IOAS_ALLOC",
    [SIM_CMD_IOAS_IOVA_RANGES] = "IOAS_IOVA_RANGES",
    [SIM_CMD_IOAS_MAP] = "IOAS_MAP",
    [SIM_CMD_IOAS_UNMAP] = "IOAS_UNMAP",
    [SIM_CMD_HWPT_ALLOC] = "HWPT_ALLOC",
    [SIM_CMD_GET_HW_INFO] = "GET_HW_INFO",
    [SIM_CMD_HWPT_SET_DIRTY_TRACKING] = "HWPT_SET_DIRTY_TRACKING",
    [SIM_CMD_HWPT_INVALIDATE] = "HWPT_INVALIDATE",
    [SIM_CMD_VIOMMU_ALLOC] = "VIOMMU_ALLOC",
    [SIM_CMD_VDEVICE_ALLOC] = "VDEVICE_ALLOC",
    [SIM_CMD_GET_INFO] = "GET_INFO",
    [SIM_CMD_GET_REGION_INFO] = "GET_REGION_INFO",
    [SIM_CMD_GET_IRQ_INFO] = "GET_IRQ_INFO",
    [SIM_CMD_SET_IRQS] = "SET_IRQS",
    [SIM_CMD_RESET] = "RESET",
    [SIM_CMD_FEATURE] = "FEATURE",
    [SIM_CMD_BIND_IOMMUFD] = "BIND_IOMMUFD",
    [SIM_CMD_ATTACH_IOMMUFD_PT] = "ATTACH_IOMMUFD_PT",
    [SIM_CMD_DETACH_IOMMUFD_PT] = "DETACH_IOMMUFD_PT",
    [SIM_CMD_UNKNOWN] = "UNKNOWN",
};

int sim_cmd_lookup(const char *name)
{
    for (int i = 0; i < SIM_CMD__MAX; i++) {
        if (!strcmp(sim_cmd_names[i], name)) {
            return i;
        }
    }
    return -1;
}

static int fault_match(HostSim *s, SimDevice *dev, SimCmd cmd, bool dev_only)
{
    unsigned i;

    for (i = 0; i < s->cmd_faults->len; i++) {
        SimCmdFault *f = s->cmd_faults->pdata[i];

        if (f->cmd != (int)cmd || (dev_only && !f->bdf) ||
            (f->bdf && (!dev || g_ascii_strcasecmp(f->bdf, dev->bdf)))) {
            continue;
        }
        if (f->times > 0 && --f->times == 0) {
            int err = f->err;

            g_ptr_array_remove_index(s->cmd_faults, i);
            g_free(f->bdf);
            g_free(f);
            return -err;
        }
        return -f->err;
    }
    return 0;
}

int sim_call_begin(HostSim *s, SimDevice *dev, SimCmd cmd)
{
    s->total++;
    s->counts[cmd]++;
    if (dev) {
        dev->total++;
        dev->counts[cmd]++;
    }
    if (cmd == SIM_CMD_CLOSE) {
        return 0;                   /* close always releases */
    }
    if (s->nth && --s->nth == 0) {
        return -s->nth_err;
    }
    return fault_match(s, dev, cmd, false);
}

int sim_call_device(HostSim *s, SimDevice *dev, SimCmd cmd)
{
    dev->total++;
    dev->counts[cmd]++;
    return fault_match(s, dev, cmd, true);
}

static void faults_clear(HostSim *s)
{
    while (s->cmd_faults->len) {
        SimCmdFault *f = g_ptr_array_steal_index(s->cmd_faults, 0);

        g_free(f->bdf);
        g_free(f);
    }
    s->nth = 0;
}

typedef struct FaultSpec {
    char *cmd, *bdf;
    uint64_t nth, err;
    int64_t times;
} FaultSpec;

static bool fault_spec_parse(const char *opts, FaultSpec *f, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(opts, ",", -1);
    unsigned i;

    for (i = 0; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        const char *val = eq ? eq + 1 : "";
        uint64_t v;
        bool num = g_ascii_string_to_unsigned(val, 10, 1, 1 << 30, &v, NULL);

        if (eq) {
            *eq = '\0';
        }
        if (!strcmp(parts[i], "nth") && num) {
            f->nth = v;
        } else if (!strcmp(parts[i], "errno") && num && v < 4096) {
            f->err = v;
        } else if (!strcmp(parts[i], "times") && num) {
            f->times = v;
        } else if (!strcmp(parts[i], "cmd") && *val && !f->cmd) {
            f->cmd = g_strdup(val);
        } else if (!strcmp(parts[i], "device") && *val && !f->bdf) {
            f->bdf = g_strdup(val);
        } else {
            error_setg(errp, "host-sim fault '%s': bad option '%s%s%s' "
                       "(expected nth=N or cmd=NAME, with device=BDF, "
                       "errno=E, times=K)", opts, parts[i], eq ? "=" : "",
                       val);
            return false;
        }
    }
    if (!f->nth == !f->cmd) {
        error_setg(errp, "host-sim fault '%s': give exactly one of nth= and "
                   "cmd=", opts);
        return false;
    }
    if (f->nth && (f->bdf || f->times >= 0)) {
        error_setg(errp, "host-sim fault '%s': device= and times= go with "
                   "cmd=", opts);
        return false;
    }
    return true;
}

bool host_sim_fault_parse(const char *opts, Error **errp)
{
    FaultSpec f = { .err = EIO, .times = -1 };
    SimCmdFault *cf;

    if (!cur_sim) {
        error_setg(errp, "fault injection needs a simulated host (-host-sim)");
        return false;
    }
    if (!strcmp(opts, "none")) {
        faults_clear(cur_sim);
        return true;
    }
    if (!fault_spec_parse(opts, &f, errp)) {
        g_free(f.cmd);
        g_free(f.bdf);
        return false;
    }
    if (f.nth) {
        cur_sim->nth = f.nth;
        cur_sim->nth_err = f.err;
        return true;
    }
    cf = g_new0(SimCmdFault, 1);
    cf->cmd = sim_cmd_lookup(f.cmd);
    g_free(f.cmd);
    cf->bdf = f.bdf;
    cf->err = f.err;
    cf->times = f.times;
    g_ptr_array_add(cur_sim->cmd_faults, cf);
    return true;
}

/* ---- files ---- */

/* An open file of @dev's cdev, or of /dev/iommu if @dev is NULL. */
static SimFile *sim_file_new(SimDevice *dev)
{
    SimFile *f = g_new0(SimFile, 1);

    f->kind = dev ? SIM_FILE_VFIO : SIM_FILE_IOMMU;
    f->dev = dev;
    if (!dev) {
        f->ictx = sim_ictx_new();
    }
    return f;
}

SimFile *sim_file_open(HostSim *s, const char *path, int *err)
{
    SimDevice *dev = NULL;

    if (strcmp(path, "/dev/iommu") && !(dev = sim_sysfs_cdev_device(s, path))) {
        *err = ENOENT;
        return NULL;
    }
    return sim_file_new(dev);
}

void sim_file_release(HostSim *s, SimFile *f)
{
    if (f->devobj) {
        sim_iommufd_unbind(s, f->devobj);
    }
    if (f->ictx) {
        sim_ictx_unref(s, f->ictx);
    }
    g_free(f);
}

int sim_file_ioctl(HostSim *s, SimFile *f, unsigned long req, uint64_t uarg,
                   const SimUaccess *ua)
{
    return f->kind == SIM_FILE_IOMMU ? sim_iommufd_ioctl(s, f, req, uarg, ua)
                                     : sim_vfio_ioctl(s, f, req, uarg, ua);
}

ssize_t sim_file_pread(HostSim *s, SimFile *f, void *buf, size_t count,
                       off_t off)
{
    int r = sim_call_begin(s, f->dev, SIM_CMD_PREAD);

    if (r) {
        return r;
    }
    return f->kind == SIM_FILE_VFIO ? sim_vfio_rw(s, f, buf, count, off, false)
                                    : -EINVAL;
}

ssize_t sim_file_pwrite(HostSim *s, SimFile *f, const void *buf,
                        size_t count, off_t off)
{
    int r = sim_call_begin(s, f->dev, SIM_CMD_PWRITE);

    if (r) {
        return r;
    }
    return f->kind == SIM_FILE_VFIO ?
           sim_vfio_rw(s, f, (void *)buf, count, off, true) : -EINVAL;
}

/* ---- in-process host ops ---- */

/*
 * Our own memory, checked: a bad pointer is EFAULT as in the kernel.
 * process_vm_readv() on ourselves does it in one call; where a seccomp
 * filter forbids it, a pipe does (write(2) and read(2) fail with EFAULT
 * rather than fault).
 */
static bool pipe_copy(HostSim *s, void *dst, const void *src, size_t len)
{
    while (len) {
        size_t n = MIN(len, 4096);

        if ((s->uaccess_pipe[0] < 0 && !g_unix_open_pipe(s->uaccess_pipe,
                                                         FD_CLOEXEC, NULL)) ||
            write(s->uaccess_pipe[1], src, n) != (ssize_t)n) {
            return false;
        }
        if (read(s->uaccess_pipe[0], dst, n) != (ssize_t)n) {
            /* drain what the failed read left, keep the pipe usable */
            char junk[4096];

            if (read(s->uaccess_pipe[0], junk, n) < 0) {
                return false;
            }
            return false;
        }
        dst = (char *)dst + n;
        src = (const char *)src + n;
        len -= n;
    }
    return true;
}

/* This process's pid, asked once (again in a forked child). */
static pid_t self_pid;

static void self_pid_forget(void)
{
    self_pid = 0;
}

static pid_t self_getpid(void)
{
    static gsize atfork_done;

    if (g_once_init_enter(&atfork_done)) {
        pthread_atfork(NULL, NULL, self_pid_forget);
        g_once_init_leave(&atfork_done, 1);
    }
    if (!self_pid) {
        self_pid = getpid();
    }
    return self_pid;
}

/*
 * Is [@uaddr, @uaddr + @len) on the caller's stack?  Everything from our
 * own frame up to the top of the thread's stack is mapped and writable,
 * so a copy there cannot fault and needs no check: that is where a VMM
 * keeps its ioctl arguments.  On another stack (a signal or coroutine
 * stack, ASan's fake frames), or if the bounds are unknown: no.
 */
static bool on_caller_stack(uint64_t uaddr, size_t len)
{
    static __thread uintptr_t stack_lo, stack_hi;   /* 1, 0: unknown */
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);

    if (!stack_lo) {
        pthread_attr_t attr;
        void *addr;
        size_t size;

        stack_lo = 1;
        if (!pthread_getattr_np(pthread_self(), &attr)) {
            if (!pthread_attr_getstack(&attr, &addr, &size)) {
                stack_lo = (uintptr_t)addr;
                stack_hi = stack_lo + size;
            }
            pthread_attr_destroy(&attr);
        }
    }
    return here >= stack_lo && here < stack_hi && uaddr > here &&
           uaddr < stack_hi && len <= stack_hi - uaddr;
}

static bool self_copy(HostSim *s, void *dst, const void *src, size_t len,
                      bool to_user)
{
    struct iovec l = { to_user ? (void *)src : dst, len };
    struct iovec r = { to_user ? dst : (void *)src, len };
    ssize_t n;

    if (!len) {
        return true;
    }
    if (on_caller_stack((uintptr_t)r.iov_base, len)) {
        memcpy(dst, src, len);
        return true;
    }
    if (!s->no_pvm) {
        n = to_user ? process_vm_writev(self_getpid(), &l, 1, &r, 1, 0)
                    : process_vm_readv(self_getpid(), &l, 1, &r, 1, 0);
        if (n == (ssize_t)len) {
            return true;
        }
        if (n >= 0 || errno == EFAULT) {
            return false;
        }
        s->no_pvm = true;           /* ENOSYS or EPERM: filtered */
    }
    return pipe_copy(s, dst, src, len);
}

static bool self_read(void *opaque, uint64_t uaddr, void *dst, size_t len)
{
    return self_copy(opaque, dst, (void *)(uintptr_t)uaddr, len, false);
}

static bool self_write(void *opaque, uint64_t uaddr, const void *src,
                       size_t len)
{
    return self_copy(opaque, (void *)(uintptr_t)uaddr, src, len, true);
}

/* A simulated fd this process did not open (passed in): adopt it. */
static SimFile *sim_fd_adopt(HostSim *s, int fd)
{
    g_autofree char *link = g_strdup_printf("/proc/self/fd/%d", fd);
    g_autofree char *target = g_file_read_link(link, NULL);
    const char *pfx = "/memfd:" HOST_SIM_FD_PREFIX;
    char *end;
    SimFile *f;
    int err;

    if (!target || !g_str_has_prefix(target, pfx)) {
        return NULL;
    }
    end = g_strrstr(target, " (deleted)");
    if (end) {
        *end = '\0';
    }
    f = sim_file_open(s, target + strlen(pfx), &err);
    if (f) {
        g_hash_table_insert(s->fds, GINT_TO_POINTER(fd), f);
    }
    return f;
}

static SimFile *sim_fd_lookup(HostSim *s, int fd)
{
    SimFile *f = g_hash_table_lookup(s->fds, GINT_TO_POINTER(fd));

    return f ? f : sim_fd_adopt(s, fd);
}

static SimFile *sim_lookup_iommufd(HostSim *s, int fd, void *opaque)
{
    return fd >= 0 ? sim_fd_lookup(s, fd) : NULL;
}

static int sim_ret(int r)
{
    if (r < 0) {
        errno = -r;
        return -1;
    }
    return r;
}

/*
 * A file the simulator opens is a duplicate of one memfd: a real, unique
 * fd number (the key of the fd table) for the price of a dup, where a
 * memfd of its own would cost an inode.  Fds passed in are memfds of
 * their own, named after their path (sim_fd_adopt()).
 */
static int sim_open(void *opaque, const char *path, int flags)
{
    HostSim *s = opaque;
    SimDevice *dev = sim_sysfs_cdev_device(s, path);
    int r = sim_call_begin(s, dev, SIM_CMD_OPEN);

    if (r) {
        return sim_ret(r);
    }
    if (!dev && strcmp(path, "/dev/iommu")) {
        return sim_ret(-ENOENT);
    }
    r = fcntl(s->fd_base, F_DUPFD_CLOEXEC, 0);
    if (r >= 0) {
        g_hash_table_insert(s->fds, GINT_TO_POINTER(r), sim_file_new(dev));
    }
    return r;
}

static int sim_close(void *opaque, int fd)
{
    HostSim *s = opaque;
    SimFile *f = g_hash_table_lookup(s->fds, GINT_TO_POINTER(fd));

    if (f) {
        sim_call_begin(s, f->dev, SIM_CMD_CLOSE);
        g_hash_table_remove(s->fds, GINT_TO_POINTER(fd));
        sim_file_release(s, f);
    }
    return close(fd);
}

static int sim_ioctl(void *opaque, int fd, unsigned long req, void *arg)
{
    HostSim *s = opaque;
    SimFile *f = sim_fd_lookup(s, fd);

    if (!f) {
        return host_ops_real.ioctl(NULL, fd, req, arg);
    }
    SimUaccess ua = { self_read, self_write, s };

    return sim_ret(sim_file_ioctl(s, f, req, (uintptr_t)arg, &ua));
}

static ssize_t sim_pread(void *opaque, int fd, void *buf, size_t count,
                         off_t off)
{
    HostSim *s = opaque;
    SimFile *f = sim_fd_lookup(s, fd);

    if (!f) {
        return host_ops_real.pread(NULL, fd, buf, count, off);
    }
    return sim_ret(sim_file_pread(s, f, buf, count, off));
}

static ssize_t sim_pwrite(void *opaque, int fd, const void *buf, size_t count,
                          off_t off)
{
    HostSim *s = opaque;
    SimFile *f = sim_fd_lookup(s, fd);

    if (!f) {
        return host_ops_real.pwrite(NULL, fd, buf, count, off);
    }
    return sim_ret(sim_file_pwrite(s, f, buf, count, off));
}

#define SIM_PATH_OP(fn, type, cmd) \
    static type sim_##fn(void *opaque, const char *path) \
    { \
        HostSim *s = opaque; \
        int err = -sim_call_begin(s, NULL, cmd); \
        type r = err ? NULL : sim_sysfs_##fn(s, path, &err); \
        if (!r) { \
            errno = err; \
        } \
        return r; \
    }
SIM_PATH_OP(read_file, char *, SIM_CMD_READ_FILE)
SIM_PATH_OP(list_dir, char **, SIM_CMD_LIST_DIR)
SIM_PATH_OP(read_link, char *, SIM_CMD_READ_LINK)

static const HostOps host_ops_sim = {
    .name = "simulated",
    .open = sim_open,
    .close = sim_close,
    .ioctl = sim_ioctl,
    .pread = sim_pread,
    .pwrite = sim_pwrite,
    .read_file = sim_read_file,
    .list_dir = sim_list_dir,
    .read_link = sim_read_link,
};

/* ---- start, stop ---- */

void sim_host_free(HostSim *s)
{
    GHashTableIter it;
    gpointer key, val;

    g_hash_table_iter_init(&it, s->fds);
    while (g_hash_table_iter_next(&it, &key, &val)) {
        sim_file_release(s, val);
        close(GPOINTER_TO_INT(key));
    }
    g_hash_table_unref(s->fds);
    if (s->fd_base >= 0) {
        close(s->fd_base);
    }
    if (s->uaccess_pipe[0] >= 0) {
        close(s->uaccess_pipe[0]);
        close(s->uaccess_pipe[1]);
    }
    faults_clear(s);
    g_ptr_array_unref(s->cmd_faults);
    g_hash_table_unref(s->devices);
    g_ptr_array_unref(s->entries);
    g_ptr_array_unref(s->iommus);
    g_free(s->file);
    g_free(s);
}

bool host_sim_start(const char *file, Error **errp)
{
    Error *err = NULL;
    HostSim *s;

    if (cur_sim) {
        error_setg(errp, "a simulated host (%s) is already running",
                   cur_sim->file);
        return false;
    }
    s = sim_host_load(file, &err);
    if (!s) {
        /*
         * Messages quote values from the file, which may hold control
         * characters: the report stays one line.
         */
        g_autofree char *line = g_strescape(err->message, "\"");

        error_setg(errp, "%s", line);
        error_free(err);
        return false;
    }
    s->fd_base = memfd_create(HOST_SIM_FD_PREFIX, MFD_CLOEXEC);
    if (s->fd_base < 0) {
        error_setg_errno(errp, errno, "%s: cannot create its files", file);
        sim_host_free(s);
        return false;
    }
    s->lookup_iommufd = sim_lookup_iommufd;
    cur_sim = s;
    host_ops_set(&host_ops_sim, s);
    return true;
}

void host_sim_stop(void)
{
    if (!cur_sim) {
        return;
    }
    host_ops_set(NULL, NULL);
    sim_host_free(g_steal_pointer(&cur_sim));
}

/* ---- counters ---- */

uint64_t host_sim_count_total(void)
{
    return cur_sim ? cur_sim->total : 0;
}

uint64_t host_sim_count_cmd(const char *cmd)
{
    int id = cur_sim ? sim_cmd_lookup(cmd) : -1;

    return id < 0 ? 0 : cur_sim->counts[id];
}

uint64_t host_sim_count_dev(const char *bdf, const char *cmd)
{
    SimDevice *dev = cur_sim ? sim_host_find_device(cur_sim, bdf) : NULL;
    int id;

    if (!dev) {
        return 0;
    }
    if (!cmd) {
        return dev->total;
    }
    id = sim_cmd_lookup(cmd);
    return id < 0 ? 0 : dev->counts[id];
}

unsigned host_sim_open_fds(void)
{
    return cur_sim ? g_hash_table_size(cur_sim->fds) : 0;
}

unsigned host_sim_live_objects(void)
{
    return cur_sim ? cur_sim->live_objs : 0;
}

void host_sim_counters_reset(void)
{
    GHashTableIter it;
    SimDevice *dev;

    if (!cur_sim) {
        return;
    }
    cur_sim->total = 0;
    memset(cur_sim->counts, 0, sizeof(cur_sim->counts));
    g_hash_table_iter_init(&it, cur_sim->devices);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&dev)) {
        dev->total = 0;
        memset(dev->counts, 0, sizeof(dev->counts));
    }
}

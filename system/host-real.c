/*
 * The host syscall layer: the real host (libc) and the dispatch that
 * every caller goes through.
 */
#include <stdbool.h>

#include "system/host-ops.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int real_open(void *opaque, const char *path, int flags)
{
    return open(path, flags | O_CLOEXEC);
}

static int real_close(void *opaque, int fd)
{
    return close(fd);
}

static int real_ioctl(void *opaque, int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static ssize_t real_pread(void *opaque, int fd, void *buf, size_t count,
                          off_t offset)
{
    return pread(fd, buf, count, offset);
}

static ssize_t real_pwrite(void *opaque, int fd, const void *buf,
                           size_t count, off_t offset)
{
    return pwrite(fd, buf, count, offset);
}

/* GError to errno, so callers see libc's contract on every path. */
static void real_set_errno(GError *err)
{
    errno = EIO;
    if (err && err->domain == G_FILE_ERROR) {
        switch (err->code) {
        case G_FILE_ERROR_NOENT:
            errno = ENOENT;
            break;
        case G_FILE_ERROR_ACCES:
        case G_FILE_ERROR_PERM:
            errno = EACCES;
            break;
        case G_FILE_ERROR_NOTDIR:
            errno = ENOTDIR;
            break;
        case G_FILE_ERROR_INVAL:
            errno = EINVAL;
            break;
        default:
            break;
        }
    }
    g_clear_error(&err);
}

static char *real_read_file(void *opaque, const char *path)
{
    GError *err = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err)) {
        real_set_errno(err);
        return NULL;
    }
    return contents;
}

static char **real_list_dir(void *opaque, const char *path)
{
    GError *err = NULL;
    GDir *dir = g_dir_open(path, 0, &err);
    GPtrArray *names;
    const char *name;

    if (!dir) {
        real_set_errno(err);
        return NULL;
    }
    names = g_ptr_array_new();
    while ((name = g_dir_read_name(dir))) {
        g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(dir);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, false);
}

static char *real_read_link(void *opaque, const char *path)
{
    GError *err = NULL;
    char *target = g_file_read_link(path, &err);

    if (!target) {
        real_set_errno(err);
    }
    return target;
}

const HostOps host_ops_real = {
    .name = "real",
    .open = real_open,
    .close = real_close,
    .ioctl = real_ioctl,
    .pread = real_pread,
    .pwrite = real_pwrite,
    .read_file = real_read_file,
    .list_dir = real_list_dir,
    .read_link = real_read_link,
};

static const HostOps *cur_ops = &host_ops_real;
static void *cur_opaque;

void host_ops_set(const HostOps *ops, void *opaque)
{
    cur_ops = ops ? ops : &host_ops_real;
    cur_opaque = ops ? opaque : NULL;
}

const HostOps *host_ops_get(void)
{
    return cur_ops;
}

bool host_is_simulated(void)
{
    return cur_ops != &host_ops_real;
}

int host_open(const char *path, int flags)
{
    return cur_ops->open(cur_opaque, path, flags);
}

int host_close(int fd)
{
    return cur_ops->close(cur_opaque, fd);
}

int host_ioctl(int fd, unsigned long request, void *arg)
{
    return cur_ops->ioctl(cur_opaque, fd, request, arg);
}

ssize_t host_pread(int fd, void *buf, size_t count, off_t offset)
{
    return cur_ops->pread(cur_opaque, fd, buf, count, offset);
}

ssize_t host_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    return cur_ops->pwrite(cur_opaque, fd, buf, count, offset);
}

char *host_read_file(const char *path)
{
    return cur_ops->read_file(cur_opaque, path);
}

char **host_list_dir(const char *path)
{
    return cur_ops->list_dir(cur_opaque, path);
}

char *host_read_link(const char *path)
{
    return cur_ops->read_link(cur_opaque, path);
}

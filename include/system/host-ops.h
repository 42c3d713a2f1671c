/*
 * The host syscall layer.
 *
 * Every system call the program makes on iommufd and VFIO fds and on the
 * sysfs and /dev paths that lead to them goes through these functions.
 * The real implementation (system/host-real.c) calls libc; the simulated
 * host (system/host-sim/, selected by -host-sim FILE) dispatches to the
 * simulator.  Nothing above this layer knows which one is in use.
 *
 * Every function follows libc's contract: -1 (or NULL) with errno set on
 * failure.
 */
#ifndef SYSTEM_HOST_OPS_H
#define SYSTEM_HOST_OPS_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct HostOps {
    const char *name;
    int (*open)(void *opaque, const char *path, int flags);
    int (*close)(void *opaque, int fd);
    int (*ioctl)(void *opaque, int fd, unsigned long request, void *arg);
    ssize_t (*pread)(void *opaque, int fd, void *buf, size_t count,
                     off_t offset);
    ssize_t (*pwrite)(void *opaque, int fd, const void *buf, size_t count,
                      off_t offset);
    /* A small text file (a sysfs attribute), NUL terminated, g_free()d. */
    char *(*read_file)(void *opaque, const char *path);
    /* Entry names of a directory, NULL terminated, g_strfreev()d. */
    char **(*list_dir)(void *opaque, const char *path);
    /* The target of a symbolic link (e.g. sysfs "iommu_group"), g_free()d. */
    char *(*read_link)(void *opaque, const char *path);
} HostOps;

extern const HostOps host_ops_real;

/* Install @ops for the whole process; NULL restores the real host. */
void host_ops_set(const HostOps *ops, void *opaque);
const HostOps *host_ops_get(void);
bool host_is_simulated(void);

int host_open(const char *path, int flags);
int host_close(int fd);
int host_ioctl(int fd, unsigned long request, void *arg);
ssize_t host_pread(int fd, void *buf, size_t count, off_t offset);
ssize_t host_pwrite(int fd, const void *buf, size_t count, off_t offset);
char *host_read_file(const char *path);
char **host_list_dir(const char *path);
char *host_read_link(const char *path);

#endif

/*
 * -pidfile and -daemonize.
 *
 * The daemon's parent waits on a pipe for one status byte from the
 * child, so that "vfio-viommu -daemonize ..." returns only once the
 * monitors listen, and fails with the child's status (its error on the
 * inherited stderr) when start-up fails, as QEMU's does.
 */
#include "system/os-posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int daemon_pipe = -1;    /* the child's end, until set up */
static bool daemonized;
static int pidfile_fd = -1;
static char *pidfile_path;

bool os_is_daemonized(void)
{
    return daemonized;
}

void os_daemonize(void)
{
    int fds[2];
    pid_t pid;
    char status = 1;

    if (pipe(fds) < 0) {
        perror("vfio-viommu: pipe");
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        perror("vfio-viommu: fork");
        exit(1);
    }
    if (pid > 0) {
        close(fds[1]);
        /* EOF without a byte: the child died before it could tell us. */
        while (read(fds[0], &status, 1) < 0 && errno == EINTR) {
        }
        _exit(status);
    }
    close(fds[0]);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    daemon_pipe = fds[1];
    daemonized = true;
    setsid();
}

static void os_daemon_report(char status)
{
    if (daemon_pipe < 0) {
        return;
    }
    while (write(daemon_pipe, &status, 1) < 0 && errno == EINTR) {
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

void os_setup_post(void)
{
    int null;

    if (!daemonized) {
        return;
    }
    if (chdir("/") < 0) {
        /* Not fatal: QEMU does the same and goes on. */
    }
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
    os_daemon_report(0);
}

void os_daemonize_failed(int status)
{
    os_daemon_report(status);
}

bool os_write_pidfile(const char *path, Error **errp)
{
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", path);
        return false;
    }
    /* Held until exit: a second instance on the same file fails here. */
    if (fcntl(fd, F_SETLK, &lock) < 0) {
        error_setg_errno(errp, errno, "Cannot lock pid file");
        close(fd);
        return false;
    }
    if (ftruncate(fd, 0) < 0) {
        error_setg_errno(errp, errno, "Failed to truncate pid file");
        goto fail;
    }
    if (write(fd, pid, strlen(pid)) != (ssize_t)strlen(pid)) {
        error_setg(errp, "Failed to write pid file");
        goto fail;
    }
    pidfile_fd = fd;
    pidfile_path = g_strdup(path);
    return true;

fail:
    unlink(path);
    close(fd);
    return false;
}

void os_pidfile_remove(void)
{
    if (pidfile_fd < 0) {
        return;
    }
    unlink(pidfile_path);
    close(pidfile_fd);
    pidfile_fd = -1;
    g_clear_pointer(&pidfile_path, g_free);
}

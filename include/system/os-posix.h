/*
 * -pidfile and -daemonize, as QEMU's os-posix.
 */
#ifndef SYSTEM_OS_POSIX_H
#define SYSTEM_OS_POSIX_H

#include "qapi/error.h"

/*
 * Fork: the parent waits until the child has started (or failed) and
 * exits with its status; returns in the child only.
 */
void os_daemonize(void);
bool os_is_daemonized(void);
/* The child started: the parent exits 0; stdio goes to /dev/null. */
void os_setup_post(void);
/* Start-up failed: the parent exits with @status. */
void os_daemonize_failed(int status);

/* Create @path with our pid and keep it locked until os_pidfile_remove(). */
bool os_write_pidfile(const char *path, Error **errp);
void os_pidfile_remove(void);

#endif

/*
 * File descriptors handed to us by a management tool, as QEMU's
 * monitor/fds.c: named fds (QMP getfd/closefd), fd sets (-add-fd, QMP
 * add-fd/remove-fd/query-fdsets), and the one resolver every "fd="
 * property uses.
 */
#ifndef SYSTEM_FDSET_H
#define SYSTEM_FDSET_H

#include <json-glib/json-glib.h>

#include "qapi/error.h"

/* "-add-fd fd=N,set=M[,opaque=S]": a dup of N joins fd set M. */
bool fdset_add_fd_opt(const char *arg, Error **errp);

/*
 * Resolve an fd property: "N" (an fd we inherited; the caller does not
 * own it), "NAME" (a getfd name; taken, the caller owns it) or
 * "/dev/fdset/N" (a read-write fd of that set, dup'ed; the caller owns
 * it).
 */
bool fd_param_get(const char *str, int *fd, bool *owned, Error **errp);

/* The QMP commands: getfd, closefd, add-fd, remove-fd, query-fdsets. */
void fdset_monitor_register(void);
/* Close every fd we were given (at exit, and between unit tests). */
void fdset_reset(void);

#endif

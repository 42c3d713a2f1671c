/*
 * Character devices: the sockets and stdio that monitors and qtest use.
 */
#ifndef SYSTEM_CHARDEV_H
#define SYSTEM_CHARDEV_H

#include <glib.h>

#include "qapi/error.h"

typedef struct Chardev Chardev;

/* Bytes arrived; the frontend consumes all of them. */
typedef void (*ChardevReadFunc)(void *opaque, const char *buf, size_t len);
/* The peer went away (for a server, a new client may come later). */
typedef void (*ChardevEventFunc)(void *opaque, bool connected);

/*
 * "-chardev socket,id=ID,path=PATH|fd=N[,server=on,wait=off]",
 * "stdio,id=ID" or "null,id=ID".
 */
Chardev *chardev_new_from_opts(const char *opts, Error **errp);
/*
 * "unix:PATH[,server=on,wait=off]", "unix:path=PATH", "stdio" or "null"
 * (-qmp, -qtest, -monitor).
 */
Chardev *chardev_new_from_spec(const char *id, const char *spec,
                               Error **errp);
Chardev *chardev_find(const char *id);
const char *chardev_id(const Chardev *chr);
/* One frontend per chardev. */
bool chardev_set_frontend(Chardev *chr, ChardevReadFunc read,
                          ChardevEventFunc event, void *opaque,
                          Error **errp);
/* Queue @len bytes for the peer (dropped if none is connected). */
void chardev_write(Chardev *chr, const char *buf, size_t len);
bool chardev_is_connected(const Chardev *chr);
/*
 * Take the oldest fd that came over the socket (SCM_RIGHTS) with the
 * bytes last read; -1 if none.  The caller owns it.
 */
int chardev_take_msgfd(Chardev *chr);
/* A unix socket (client or server), as opposed to stdio. */
bool chardev_is_socket(const Chardev *chr);
void chardev_destroy_all(void);

#endif

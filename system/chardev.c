/*
 * Character devices: unix sockets (client or listening server) and stdio.
 *
 * Writes never wait for the peer: what a socket does not take at once is
 * queued, in order, and input from that peer is not read until the queue
 * has drained (QEMU suspends a monitor the same way), so a client that
 * stops reading its replies holds up only itself, never the main loop.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "system/chardev.h"

typedef enum ChardevKind {
    CHARDEV_SOCKET,
    CHARDEV_STDIO,
} ChardevKind;

struct Chardev {
    char *id;
    ChardevKind kind;
    char *path;
    bool server;
    int listen_fd;
    int in_fd;                  /* the connection (or stdin), -1 if none */
    int out_fd;
    guint listen_watch;
    guint read_watch;
    guint write_watch;
    GString *out;               /* what the peer has not taken yet */
    ChardevReadFunc read;
    ChardevEventFunc event;
    void *opaque;
};

static GPtrArray *chardevs;

static void chardev_arm_listen(Chardev *chr);
static gboolean chardev_readable(gint fd, GIOCondition cond,
                                 gpointer opaque);

Chardev *chardev_find(const char *id)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (!strcmp(chr->id, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *chardev_id(const Chardev *chr)
{
    return chr->id;
}

bool chardev_is_connected(const Chardev *chr)
{
    return chr->in_fd >= 0;
}

bool chardev_is_socket(const Chardev *chr)
{
    return chr->kind == CHARDEV_SOCKET;
}

/* Reading from the peer is paused while its output is queued. */
static void chardev_watch_read(Chardev *chr, bool on)
{
    if (on && !chr->read_watch && chr->in_fd >= 0 && chr->read) {
        chr->read_watch = g_unix_fd_add(chr->in_fd,
                                        G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        chardev_readable, chr);
    } else if (!on && chr->read_watch) {
        g_source_remove(chr->read_watch);
        chr->read_watch = 0;
    }
}

static void chardev_drop_output(Chardev *chr)
{
    if (chr->write_watch) {
        g_source_remove(chr->write_watch);
        chr->write_watch = 0;
    }
    if (chr->out) {
        g_string_truncate(chr->out, 0);
    }
}

static void chardev_disconnect(Chardev *chr)
{
    chardev_drop_output(chr);
    chardev_watch_read(chr, false);
    if (chr->in_fd < 0) {
        return;
    }
    if (chr->kind == CHARDEV_SOCKET) {
        close(chr->in_fd);
        chr->out_fd = -1;
    }
    chr->in_fd = -1;
    if (chr->event) {
        chr->event(chr->opaque, false);
    }
    if (chr->server) {
        chardev_arm_listen(chr);
    }
}

static gboolean chardev_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    char buf[4096];
    ssize_t n;

    do {
        n = read(fd, buf, sizeof(buf));
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        chr->read_watch = 0;    /* removed by returning G_SOURCE_REMOVE */
        chardev_disconnect(chr);
        return G_SOURCE_REMOVE;
    }
    if (chr->read) {
        chr->read(chr->opaque, buf, n);
    }
    /* the replies may have filled the socket: then reading waits */
    return chr->read_watch ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Start serving a new connection; the frontend hears about it. */
static void chardev_attach(Chardev *chr, int in_fd, int out_fd)
{
    chr->in_fd = in_fd;
    chr->out_fd = out_fd;
    if (chr->read) {
        chr->read_watch = g_unix_fd_add(in_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        chardev_readable, chr);
        if (chr->event) {
            chr->event(chr->opaque, true);
        }
    }
}

static int chardev_accept(int listen_fd)
{
    int fd;

    do {
        fd = accept(listen_fd, NULL, NULL);
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    return fd;
}

static gboolean chardev_acceptable(gint fd, GIOCondition cond,
                                   gpointer opaque)
{
    Chardev *chr = opaque;
    int conn = chardev_accept(fd);

    if (conn < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One client at a time: the next waits in the backlog. */
    chr->listen_watch = 0;
    chardev_attach(chr, conn, conn);
    return G_SOURCE_REMOVE;
}

static void chardev_arm_listen(Chardev *chr)
{
    if (chr->listen_fd >= 0 && !chr->listen_watch) {
        chr->listen_watch = g_unix_fd_add(chr->listen_fd, G_IO_IN,
                                          chardev_acceptable, chr);
    }
}

/* Bytes written without waiting (-1 with errno if none could be). */
static ssize_t chardev_send(Chardev *chr, const char *buf, size_t len)
{
    ssize_t n;

    do {
        n = chr->kind == CHARDEV_SOCKET
            ? send(chr->out_fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT)
            : write(chr->out_fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

static gboolean chardev_writable(gint fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    ssize_t n = chardev_send(chr, chr->out->str, chr->out->len);

    if (n < 0 && errno == EAGAIN) {
        return G_SOURCE_CONTINUE;
    }
    if (n > 0) {
        g_string_erase(chr->out, 0, n);
    }
    if (n > 0 && chr->out->len) {
        return G_SOURCE_CONTINUE;
    }
    /* drained, or the peer is gone (the read watch sees the hang-up) */
    g_string_truncate(chr->out, 0);
    chr->write_watch = 0;
    chardev_watch_read(chr, true);
    return G_SOURCE_REMOVE;
}

void chardev_write(Chardev *chr, const char *buf, size_t len)
{
    ssize_t n = 0;

    if (chr->out_fd < 0 || !len) {
        return;
    }
    if (!chr->out || !chr->out->len) {
        n = chardev_send(chr, buf, len);
        if (n < 0 && errno != EAGAIN) {
            return;             /* the peer is gone */
        }
        n = MAX(n, 0);
        if ((size_t)n == len) {
            return;
        }
    }
    if (!chr->out) {
        chr->out = g_string_new(NULL);
    }
    g_string_append_len(chr->out, buf + n, len - n);
    if (!chr->write_watch) {
        chr->write_watch = g_unix_fd_add(chr->out_fd,
                                         G_IO_OUT | G_IO_HUP | G_IO_ERR,
                                         chardev_writable, chr);
    }
    chardev_watch_read(chr, false);
}

bool chardev_set_frontend(Chardev *chr, ChardevReadFunc read,
                          ChardevEventFunc event, void *opaque,
                          Error **errp)
{
    if (chr->read) {
        error_setg(errp, "Device '%s' is in use", chr->id);
        return false;
    }
    chr->read = read;
    chr->event = event;
    chr->opaque = opaque;
    if (chr->in_fd >= 0) {
        chardev_attach(chr, chr->in_fd, chr->out_fd);
    }
    return true;
}

static bool chardev_unix_addr(const char *path, struct sockaddr_un *sun,
                              Error **errp)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

static bool chardev_open_socket(Chardev *chr, bool wait, Error **errp)
{
    struct sockaddr_un sun;
    int fd;

    if (!chardev_unix_addr(chr->path, &sun, errp)) {
        return false;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return false;
    }
    if (!chr->server) {
        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
            error_setg_errno(errp, errno, "Failed to connect to '%s'",
                             chr->path);
            close(fd);
            return false;
        }
        chr->in_fd = chr->out_fd = fd;
        return true;
    }
    unlink(chr->path);
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s",
                         chr->path);
        close(fd);
        return false;
    }
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket");
        close(fd);
        return false;
    }
    chr->listen_fd = fd;
    if (wait) {
        fprintf(stderr, "vfio-viommu: waiting for connection on: "
                "disconnected:unix:%s,server=on\n", chr->path);
        int conn = chardev_accept(fd);
        if (conn >= 0) {
            chr->in_fd = chr->out_fd = conn;
            return true;
        }
    }
    chardev_arm_listen(chr);
    return true;
}

/* Parsed "-chardev" options; NULL members were not given. */
typedef struct ChardevOpts {
    const char *backend;
    const char *id;
    const char *path;
    const char *server;
    const char *wait;
} ChardevOpts;

static bool chardev_parse_bool(const char *name, const char *str, bool *val,
                               Error **errp)
{
    if (!str) {
        return true;
    }
    if (!strcmp(str, "on") || !strcmp(str, "yes") || !strcmp(str, "true")) {
        *val = true;
    } else if (!strcmp(str, "off") || !strcmp(str, "no") ||
               !strcmp(str, "false")) {
        *val = false;
    } else {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

static bool chardev_id_valid(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static Chardev *chardev_create(const ChardevOpts *o, Error **errp)
{
    bool server = false, wait = true;
    g_autofree Chardev *chr = NULL;

    if (!o->id) {
        error_setg(errp, "chardev: no id specified");
        return NULL;
    }
    if (!chardev_id_valid(o->id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (!o->backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", o->id);
        return NULL;
    }
    if (strcmp(o->backend, "socket") && strcmp(o->backend, "stdio")) {
        error_setg(errp, "'%s' is not a valid char driver name", o->backend);
        return NULL;
    }
    if (chardev_find(o->id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", o->id);
        return NULL;
    }
    if (!chardev_parse_bool("server", o->server, &server, errp) ||
        !chardev_parse_bool("wait", o->wait, &wait, errp)) {
        return NULL;
    }
    chr = g_new0(Chardev, 1);
    chr->listen_fd = chr->in_fd = chr->out_fd = -1;
    if (!strcmp(o->backend, "stdio")) {
        chr->kind = CHARDEV_STDIO;
        chr->in_fd = STDIN_FILENO;
        chr->out_fd = STDOUT_FILENO;
    } else {
        if (!o->path) {
            error_setg(errp, "chardev: socket: no path given");
            return NULL;
        }
        if (o->wait && !server) {
            error_setg(errp, "'wait' option is incompatible with socket in "
                       "client connect mode");
            return NULL;
        }
        chr->kind = CHARDEV_SOCKET;
        chr->server = server;
        chr->path = g_strdup(o->path);
        if (!chardev_open_socket(chr, wait, errp)) {
            g_free(chr->path);
            return NULL;
        }
    }
    chr->id = g_strdup(o->id);
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return g_steal_pointer(&chr);
}

/* Assign "key=value" (or a bare first word, the backend) into @o. */
static bool chardev_opts_set(ChardevOpts *o, char *item, bool first,
                             Error **errp)
{
    char *eq = strchr(item, '=');
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        { "backend", offsetof(ChardevOpts, backend) },
        { "id", offsetof(ChardevOpts, id) },
        { "path", offsetof(ChardevOpts, path) },
        { "server", offsetof(ChardevOpts, server) },
        { "wait", offsetof(ChardevOpts, wait) },
    };

    const char *value;

    if (!eq) {
        if (first) {
            o->backend = item;
            return true;
        }
        value = "on";           /* QEMU's flag shorthand: "server" */
    } else {
        *eq = '\0';
        value = eq + 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        if (!strcmp(item, keys[i].key)) {
            *(const char **)((char *)o + keys[i].offset) = value;
            return true;
        }
    }
    error_setg(errp, "Invalid parameter '%s'", item);
    return false;
}

Chardev *chardev_new_from_opts(const char *opts, Error **errp)
{
    g_auto(GStrv) items = g_strsplit(opts, ",", -1);
    ChardevOpts o = { 0 };

    for (int i = 0; items[i]; i++) {
        if (!items[i][0] && !items[i + 1] && i > 0) {
            break;              /* a trailing comma */
        }
        if (!items[i][0] && i == 0) {
            continue;
        }
        if (!chardev_opts_set(&o, items[i], i == 0, errp)) {
            return NULL;
        }
    }
    return chardev_create(&o, errp);
}

Chardev *chardev_new_from_spec(const char *id, const char *spec,
                               Error **errp)
{
    g_autofree char *opts = NULL;
    Chardev *chr;

    if (!strcmp(spec, "stdio")) {
        opts = g_strdup_printf("stdio,id=%s", id);
    } else if (g_str_has_prefix(spec, "unix:")) {
        /* "unix:PATH[,server=on,wait=off]": PATH ends at the first comma. */
        opts = g_strdup_printf("socket,id=%s,path=%s", id, spec + 5);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", spec);
        return NULL;
    }
    chr = chardev_new_from_opts(opts, errp);
    return chr;
}

static void chardev_free(Chardev *chr)
{
    if (chr->listen_watch) {
        g_source_remove(chr->listen_watch);
    }
    if (chr->read_watch) {
        g_source_remove(chr->read_watch);
    }
    chardev_drop_output(chr);
    if (chr->out) {
        g_string_free(chr->out, true);
    }
    if (chr->kind == CHARDEV_SOCKET) {
        if (chr->in_fd >= 0) {
            close(chr->in_fd);
        }
        if (chr->listen_fd >= 0) {
            close(chr->listen_fd);
            unlink(chr->path);
        }
    }
    g_free(chr->id);
    g_free(chr->path);
    g_free(chr);
}

void chardev_destroy_all(void)
{
    if (!chardevs) {
        return;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        chardev_free(g_ptr_array_index(chardevs, i));
    }
    g_ptr_array_free(chardevs, true);
    chardevs = NULL;
}

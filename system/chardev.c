/*
 * Character devices: unix sockets (client or listening server, by path
 * or inherited as fd=N), stdio and null.
 *
 * Writes never wait for the peer: what a socket does not take at once is
 * queued, in order, and input from that peer is not read until the queue
 * has drained (QEMU suspends a monitor the same way), so a client that
 * stops reading its replies holds up only itself, never the main loop.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "system/chardev.h"
#include "system/os-posix.h"

typedef enum ChardevKind {
    CHARDEV_SOCKET,
    CHARDEV_STDIO,
    CHARDEV_NULL,
} ChardevKind;

struct Chardev {
    char *id;
    ChardevKind kind;
    char *path;
    char *fd;                   /* fd=N as given */
    bool server;
    int listen_fd;
    int in_fd;                  /* the connection (or stdin), -1 if none */
    int out_fd;
    GArray *msgfds;             /* fds that came with the last bytes read */
    guint listen_watch;
    guint read_watch;
    guint write_watch;
    GString *out;               /* what the peer has not taken yet */
    ChardevReadFunc read;
    ChardevEventFunc event;
    void *opaque;
};

/* QEMU's limit on fds passed with one message. */
#define CHARDEV_MAX_MSGFDS 16

static GPtrArray *chardevs;

static void chardev_arm_listen(Chardev *chr);
static void chardev_drop_msgfds(Chardev *chr);
static gboolean chardev_readable(gint fd, GIOCondition cond,
                                 gpointer opaque);

/*
 * g_unix_fd_add(), minus GLib's blocking of the source while it is
 * dispatched: that removes and re-adds its fd to the poll set around
 * every callback, which wakes the loop through its eventfd and costs a
 * second iteration per request.  Nothing here runs a nested main loop,
 * so there is nothing to block against.
 */
static guint chardev_add_watch(int fd, GIOCondition cond,
                               GUnixFDSourceFunc func, Chardev *chr)
{
    GSource *src = g_unix_fd_source_new(fd, cond);
    guint id;

    g_source_set_can_recurse(src, true);
    g_source_set_callback(src, G_SOURCE_FUNC(func), chr, NULL);
    id = g_source_attach(src, NULL);
    g_source_unref(src);
    return id;
}

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
        chr->read_watch = chardev_add_watch(chr->in_fd,
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
    chardev_drop_msgfds(chr);
    if (chr->event) {
        chr->event(chr->opaque, false);
    }
    if (chr->server) {
        chardev_arm_listen(chr);
    }
}

static void chardev_drop_msgfds(Chardev *chr)
{
    for (guint i = 0; chr->msgfds && i < chr->msgfds->len; i++) {
        close(g_array_index(chr->msgfds, int, i));
    }
    g_clear_pointer(&chr->msgfds, g_array_unref);
}

/*
 * Read with SCM_RIGHTS: fds passed along with a command (QMP getfd,
 * add-fd) replace those of earlier reads nobody took, as in QEMU.
 */
static ssize_t chardev_recv(Chardev *chr, int fd, char *buf, size_t len)
{
    char control[CMSG_SPACE(sizeof(int) * CHARDEV_MAX_MSGFDS)];
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control, .msg_controllen = sizeof(control),
    };
    ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);

    if (n < 0) {
        return n;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
         c = CMSG_NXTHDR(&msg, c)) {
        size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        chardev_drop_msgfds(chr);
        chr->msgfds = g_array_sized_new(FALSE, FALSE, sizeof(int), nfds);
        g_array_append_vals(chr->msgfds, CMSG_DATA(c), nfds);
    }
    return n;
}

int chardev_take_msgfd(Chardev *chr)
{
    int fd;

    if (!chr->msgfds || !chr->msgfds->len) {
        return -1;
    }
    fd = g_array_index(chr->msgfds, int, 0);
    g_array_remove_index(chr->msgfds, 0);
    return fd;
}

static gboolean chardev_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    char buf[4096];
    ssize_t n;

    do {
        n = chr->kind == CHARDEV_SOCKET ? chardev_recv(chr, fd, buf, sizeof(buf))
                                        : read(fd, buf, sizeof(buf));
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
        chr->read_watch = chardev_add_watch(in_fd,
                                            G_IO_IN | G_IO_HUP | G_IO_ERR,
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
        chr->listen_watch = chardev_add_watch(chr->listen_fd, G_IO_IN,
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
        chr->write_watch = chardev_add_watch(chr->out_fd,
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

/* A listening socket is ready; with wait=on, block for the first client. */
static void chardev_listen_ready(Chardev *chr, bool wait)
{
    if (wait) {
        fprintf(stderr, "vfio-viommu: waiting for connection on: "
                "disconnected:%s%s,server=on\n",
                chr->path ? "unix:" : "fd:", chr->path ? chr->path : chr->fd);
        int conn = chardev_accept(chr->listen_fd);
        if (conn >= 0) {
            chr->in_fd = chr->out_fd = conn;
            return;
        }
    }
    chardev_arm_listen(chr);
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
    chardev_listen_ready(chr, wait);
    return true;
}

static bool parse_fd_number(const char *str, int *fd)
{
    char *end;
    long val;

    if (!g_ascii_isdigit(str[0])) {
        return false;
    }
    errno = 0;
    val = strtol(str, &end, 10);
    if (*end || errno || val > INT_MAX) {
        return false;
    }
    *fd = val;
    return true;
}

/*
 * "fd=N": a socket the parent left open for us (QEMU's Python harness
 * passes one end of a socketpair), connected or, with server=on,
 * listening.  Only numbers: no monitor lends named fds at start-up.
 */
static bool chardev_open_fd(Chardev *chr, bool wait, Error **errp)
{
    struct stat st;
    int fd, listening = 0;
    socklen_t len = sizeof(listening);

    if (!parse_fd_number(chr->fd, &fd)) {
        error_setg(errp, "Unable to parse FD number %s", chr->fd);
        return false;
    }
    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
        error_setg(errp, "File descriptor '%s' is not a socket", chr->fd);
        return false;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!chr->server) {
        chr->in_fd = chr->out_fd = fd;
        return true;
    }
    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
    if (!listening && listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on fd socket");
        return false;
    }
    chr->listen_fd = fd;
    chardev_listen_ready(chr, wait);
    return true;
}

/* Parsed "-chardev" options; NULL members were not given. */
typedef struct ChardevOpts {
    const char *backend;
    const char *id;
    const char *path;
    const char *fd;
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

static bool chardev_check_opts(const ChardevOpts *o, Error **errp)
{
    if (!o->id) {
        error_setg(errp, "chardev: no id specified");
        return false;
    }
    if (!chardev_id_valid(o->id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return false;
    }
    if (!o->backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", o->id);
        return false;
    }
    if (strcmp(o->backend, "socket") && strcmp(o->backend, "stdio") &&
        strcmp(o->backend, "null")) {
        error_setg(errp, "'%s' is not a valid char driver name", o->backend);
        return false;
    }
    if (chardev_find(o->id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", o->id);
        return false;
    }
    return true;
}

static bool chardev_open_backend(Chardev *chr, const ChardevOpts *o,
                                 bool server, bool wait, Error **errp)
{
    if (!strcmp(o->backend, "stdio")) {
        if (os_is_daemonized()) {
            error_setg(errp, "cannot use stdio with -daemonize");
            return false;
        }
        chr->kind = CHARDEV_STDIO;
        chr->in_fd = STDIN_FILENO;
        chr->out_fd = STDOUT_FILENO;
        return true;
    }
    if (!strcmp(o->backend, "null")) {
        chr->kind = CHARDEV_NULL;   /* swallows writes, never reads */
        return true;
    }
    if (o->path && o->fd) {
        error_setg(errp, "None or one of 'path', 'fd' or 'host' option "
                   "required.");
        return false;
    }
    if (!o->path && !o->fd) {
        error_setg(errp, "chardev: socket: no path given");
        return false;
    }
    if (o->wait && !server) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                   "client connect mode");
        return false;
    }
    chr->kind = CHARDEV_SOCKET;
    chr->server = server;
    chr->path = g_strdup(o->path);
    chr->fd = g_strdup(o->fd);
    return o->fd ? chardev_open_fd(chr, wait, errp)
                 : chardev_open_socket(chr, wait, errp);
}

static Chardev *chardev_create(const ChardevOpts *o, Error **errp)
{
    bool server = false, wait = true;
    g_autofree Chardev *chr = NULL;

    if (!chardev_check_opts(o, errp) ||
        !chardev_parse_bool("server", o->server, &server, errp) ||
        !chardev_parse_bool("wait", o->wait, &wait, errp)) {
        return NULL;
    }
    chr = g_new0(Chardev, 1);
    chr->listen_fd = chr->in_fd = chr->out_fd = -1;
    if (!chardev_open_backend(chr, o, server, wait, errp)) {
        g_free(chr->path);
        g_free(chr->fd);
        return NULL;
    }
    chr->id = g_strdup(o->id);
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return g_steal_pointer(&chr);
}

/*
 * A bare word after the first is QEMU's short-form boolean: "server" is
 * server=on, "nowait" is wait=off.  -chardev warns that the form is
 * deprecated; the legacy "-qmp unix:PATH,server,nowait" does not.
 */
static const char *chardev_flag(char *item, bool warn)
{
    const char *value = "on";
    const char *prefix = "";

    if (g_str_has_prefix(item, "no")) {
        memmove(item, item + 2, strlen(item + 2) + 1);
        value = "off";
        prefix = "no";
    }
    if (warn) {
        warn_report("short-form boolean option '%s%s' deprecated", prefix,
                    item);
        fprintf(stderr, "Please use %s=%s instead\n", item, value);
    }
    return value;
}

/* Assign "key=value" (or a bare first word, the backend) into @o. */
static bool chardev_opts_set(ChardevOpts *o, char *item, bool first,
                             bool warn, Error **errp)
{
    char *eq = strchr(item, '=');
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        { "backend", offsetof(ChardevOpts, backend) },
        { "id", offsetof(ChardevOpts, id) },
        { "path", offsetof(ChardevOpts, path) },
        { "fd", offsetof(ChardevOpts, fd) },
        { "server", offsetof(ChardevOpts, server) },
        { "wait", offsetof(ChardevOpts, wait) },
    };

    const char *value;

    if (!eq) {
        if (first) {
            o->backend = item;
            return true;
        }
        value = chardev_flag(item, warn);
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

static Chardev *chardev_parse_and_create(const char *opts, bool warn,
                                         Error **errp)
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
        if (!chardev_opts_set(&o, items[i], i == 0, warn, errp)) {
            return NULL;
        }
    }
    return chardev_create(&o, errp);
}

Chardev *chardev_new_from_opts(const char *opts, Error **errp)
{
    return chardev_parse_and_create(opts, true, errp);
}

Chardev *chardev_new_from_spec(const char *id, const char *spec,
                               Error **errp)
{
    g_autofree char *opts = NULL;
    const char *path;

    if (!strcmp(spec, "stdio") || !strcmp(spec, "null")) {
        opts = g_strdup_printf("%s,id=%s", spec, id);
    } else if (g_str_has_prefix(spec, "unix:")) {
        /*
         * "unix:PATH[,server=on,wait=off]" (PATH ends at the first comma)
         * or, as QEMU's Python harness writes it, "unix:path=PATH".
         */
        path = spec + 5;
        if (g_str_has_prefix(path, "path=")) {
            path += 5;
        }
        opts = g_strdup_printf("socket,id=%s,path=%s", id, path);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", spec);
        return NULL;
    }
    return chardev_parse_and_create(opts, false, errp);
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
            if (chr->path) {
                unlink(chr->path);
            }
        }
    }
    chardev_drop_msgfds(chr);
    g_free(chr->id);
    g_free(chr->path);
    g_free(chr->fd);
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

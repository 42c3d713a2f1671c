/*
 * Black-box test client: qtest and QMP over unix sockets.
 *
 * Self-contained (it links nothing of the program) so that it can drive
 * any binary that speaks the protocols, QEMU included.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libqtest.h"

/* Generous: sanitizer builds start slowly on a loaded machine. */
#define QTEST_TIMEOUT_MS 60000

struct QTestState {
    pid_t pid;
    char *binary;
    int qtest_fd;
    int qmp_fd;
    char *dir;
    char *err_path;
    GString *qtest_rx;
    GString *qmp_rx;
    GQueue events;
    JsonObject *greeting;
    bool reaped;
    uint64_t ecam_base;
};

static const char *qtest_binary(void)
{
    const char *bin = g_getenv("VV_BINARY");

    g_assert_nonnull(bin);
    return bin;
}

static int qtest_listen(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(sun.sun_path));
    strcpy(sun.sun_path, path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static bool qtest_child_alive(QTestState *s)
{
    int status;

    if (s->reaped) {
        return false;
    }
    if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
        s->reaped = true;
        return false;
    }
    return true;
}

/*
 * A reply that never comes must fail the test, not hang it.  A receive
 * timeout does that without a poll() before every read, a system call
 * per round trip that the qtest read benchmark would otherwise measure.
 */
static int qtest_set_rx_timeout(int fd)
{
    struct timeval tv = { .tv_sec = QTEST_TIMEOUT_MS / 1000 };

    if (fd >= 0) {
        g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
                                   sizeof(tv)), ==, 0);
    }
    return fd;
}

/* Accept the program's connection; -1 if it died or never came. */
static int qtest_accept(QTestState *s, int listen_fd)
{
    for (int waited = 0; waited < QTEST_TIMEOUT_MS; waited += 50) {
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };

        if (poll(&pfd, 1, 50) == 1) {
            return qtest_set_rx_timeout(accept(listen_fd, NULL, NULL));
        }
        if (!qtest_child_alive(s)) {
            return -1;
        }
    }
    return -1;
}

static void qtest_spawn(QTestState *s, const char *binary, const char *line)
{
    g_auto(GStrv) argv = NULL;
    g_autofree char *cmd = g_strdup_printf("%s %s", binary, line);
    GError *err = NULL;

    if (!g_shell_parse_argv(cmd, NULL, &argv, &err)) {
        g_error("cannot parse '%s': %s", cmd, err->message);
    }
    s->pid = fork();
    g_assert_cmpint(s->pid, >=, 0);
    if (s->pid == 0) {
        int fd = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
        }
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
}

static QTestState *qtest_new(void)
{
    QTestState *s = g_new0(QTestState, 1);
    GError *err = NULL;

    s->dir = g_dir_make_tmp("vv-qtest-XXXXXX", &err);
    g_assert_no_error(err);
    s->err_path = g_build_filename(s->dir, "stderr", NULL);
    s->qtest_fd = s->qmp_fd = -1;
    s->qtest_rx = g_string_new(NULL);
    s->qmp_rx = g_string_new(NULL);
    g_queue_init(&s->events);
    s->ecam_base = Q35_ECAM_BASE;
    return s;
}

char *qtest_stderr(QTestState *s)
{
    char *text = NULL;

    if (!g_file_get_contents(s->err_path, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    return text;
}

static void qtest_fail_start(QTestState *s, const char *what)
{
    g_autofree char *err = qtest_stderr(s);

    g_error("%s did not %s; its stderr:\n%s", s->binary, what, err);
}

/* Kill and free a start that failed; its stderr into *@err_text. */
static void qtest_abandon(QTestState *s, char **err_text)
{
    if (err_text) {
        *err_text = qtest_stderr(s);
    }
    if (qtest_child_alive(s)) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->reaped = true;
    }
    qtest_free(s);
}

/*
 * Start @binary; a NULL return only when @tolerate_failure, with the
 * program's stderr in *@err_text if that is non-NULL.
 */
static QTestState *qtest_start(const char *binary, const char *args,
                               bool with_qtest, bool tolerate_failure,
                               char **err_text)
{
    QTestState *s = qtest_new();
    g_autofree char *qtest_path = g_build_filename(s->dir, "qtest.sock",
                                                   NULL);
    g_autofree char *qmp_path = g_build_filename(s->dir, "qmp.sock", NULL);
    g_autofree char *line = NULL;
    int qtest_listen_fd = with_qtest ? qtest_listen(qtest_path) : -1;
    int qmp_listen_fd = qtest_listen(qmp_path);

    if (with_qtest) {
        line = g_strdup_printf("-qtest unix:%s -qtest-log /dev/null "
                               "-chardev socket,path=%s,id=char0 "
                               "-mon chardev=char0,mode=control "
                               "-display none -audio none "
                               "-run-with exit-with-parent=on %s "
                               "-accel qtest", qtest_path, qmp_path, args);
    } else {
        line = g_strdup_printf("-chardev socket,path=%s,id=char0 "
                               "-mon chardev=char0,mode=control %s",
                               qmp_path, args);
    }
    s->binary = g_strdup(binary);
    qtest_spawn(s, binary, line);
    if (with_qtest) {
        s->qtest_fd = qtest_accept(s, qtest_listen_fd);
        close(qtest_listen_fd);
    }
    if (!with_qtest || s->qtest_fd >= 0) {
        s->qmp_fd = qtest_accept(s, qmp_listen_fd);
    }
    close(qmp_listen_fd);
    if (s->qmp_fd < 0 || (with_qtest && s->qtest_fd < 0)) {
        if (tolerate_failure) {
            qtest_abandon(s, err_text);
            return NULL;
        }
        qtest_fail_start(s, "connect");
    }
    s->greeting = qtest_qmp_receive(s);
    if (!s->greeting || !json_object_has_member(s->greeting, "QMP")) {
        if (tolerate_failure) {
            qtest_abandon(s, err_text);
            return NULL;
        }
        qtest_fail_start(s, "greet");
    }
    return s;
}

static void qtest_check_endianness(QTestState *s)
{
    g_autofree char *endian = qtest_raw(s, "endianness");

    g_assert_cmpstr(endian, ==, "OK little");
}

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    QTestState *s = qtest_start(qtest_binary(), extra_args, true, false,
                                NULL);

    qtest_check_endianness(s);
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    QTestState *s = qtest_init_without_qmp_handshake(extra_args);

    qtest_qmp_assert_success(s, "{'execute': 'qmp_capabilities'}");
    return s;
}

QTestState *qtest_try_init_binary(const char *binary, const char *extra_args,
                                  char **err_text)
{
    QTestState *s = qtest_start(binary, extra_args, true, true, err_text);

    if (s) {
        qtest_check_endianness(s);
        qtest_qmp_assert_success(s, "{'execute': 'qmp_capabilities'}");
    }
    return s;
}

QTestState *qtest_init_qmp_only(const char *binary, const char *args)
{
    return qtest_start(binary, args, false, true, NULL);
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

JsonObject *qtest_greeting(QTestState *s)
{
    return s->greeting;
}

void qtest_free(QTestState *s)
{
    JsonObject *ev;

    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    while ((ev = g_queue_pop_head(&s->events))) {
        json_object_unref(ev);
    }
    if (s->greeting) {
        json_object_unref(s->greeting);
    }
    g_string_free(s->qtest_rx, true);
    g_string_free(s->qmp_rx, true);
    g_unlink(s->err_path);
    {
        g_autofree char *q = g_build_filename(s->dir, "qtest.sock", NULL);
        g_autofree char *m = g_build_filename(s->dir, "qmp.sock", NULL);
        g_unlink(q);
        g_unlink(m);
    }
    g_rmdir(s->dir);
    g_free(s->dir);
    g_free(s->err_path);
    g_free(s->binary);
    g_free(s);
}

int qtest_wait_exit(QTestState *s)
{
    int status = 0;

    g_assert_false(s->reaped);
    g_assert_cmpint(waitpid(s->pid, &status, 0), ==, s->pid);
    s->reaped = true;
    return status;
}

void qtest_quit(QTestState *s)
{
    int status;

    kill(s->pid, SIGTERM);
    status = qtest_wait_exit(s);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_autofree char *err = qtest_stderr(s);
        g_error("%s exited with wait status 0x%x; its stderr:\n%s",
                s->binary, status, err);
    }
    qtest_free(s);
}

/* Read one line (without "\n", "\r\n") from @fd into a new string. */
static char *qtest_read_line(int fd, GString *rx)
{
    char *nl;

    while (!(nl = memchr(rx->str, '\n', rx->len))) {
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            g_error("timed out waiting for a reply");    /* SO_RCVTIMEO */
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(rx, buf, n);
    }
    {
        size_t len = nl - rx->str;
        char *line = g_strndup(rx->str, len);

        g_string_erase(rx, 0, len + 1);
        if (len && line[len - 1] == '\r') {
            line[len - 1] = '\0';
        }
        return line;
    }
}

static void qtest_write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        g_assert_cmpint(n, >, 0);
        buf += n;
        len -= n;
    }
}

char *qtest_raw(QTestState *s, const char *fmt, ...)
{
    g_autofree char *req = NULL;
    va_list ap;

    va_start(ap, fmt);
    req = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qtest_raw_bytes(s, req, strlen(req));
}

char *qtest_raw_bytes(QTestState *s, const void *req, size_t len)
{
    qtest_write_all(s->qtest_fd, req, len);
    qtest_write_all(s->qtest_fd, "\n", 1);
    return qtest_raw_receive(s);
}

void qtest_raw_send(QTestState *s, const char *lines)
{
    qtest_write_all(s->qtest_fd, lines, strlen(lines));
}

char *qtest_raw_receive(QTestState *s)
{
    for (;;) {
        char *reply = qtest_read_line(s->qtest_fd, s->qtest_rx);

        g_assert_nonnull(reply);
        /* Asynchronous interrupt notifications are not replies. */
        if (!g_str_has_prefix(reply, "IRQ ")) {
            return reply;
        }
        g_free(reply);
    }
}

/* Send a request that must succeed; returns the value after "OK". */
static uint64_t qtest_rsp_value(QTestState *s, const char *req)
{
    g_autofree char *reply = qtest_raw(s, "%s", req);

    if (!g_str_has_prefix(reply, "OK")) {
        g_error("qtest '%s' failed: %s", req, reply);
    }
    return reply[2] ? g_ascii_strtoull(reply + 3, NULL, 0) : 0;
}

#define QTEST_READ(name, type, cmd, fmt)                                \
    type name(QTestState *s, uint64_t addr)                             \
    {                                                                   \
        g_autofree char *req = g_strdup_printf(cmd " 0x%" fmt, addr);   \
        return qtest_rsp_value(s, req);                                 \
    }
QTEST_READ(qtest_readb, uint8_t, "readb", G_GINT64_MODIFIER "x")
QTEST_READ(qtest_readw, uint16_t, "readw", G_GINT64_MODIFIER "x")
QTEST_READ(qtest_readl, uint32_t, "readl", G_GINT64_MODIFIER "x")
QTEST_READ(qtest_readq, uint64_t, "readq", G_GINT64_MODIFIER "x")

#define QTEST_WRITE(name, type, cmd)                                    \
    void name(QTestState *s, uint64_t addr, type val)                   \
    {                                                                   \
        g_autofree char *req = g_strdup_printf(cmd " 0x%" G_GINT64_MODIFIER \
                                               "x 0x%" G_GINT64_MODIFIER \
                                               "x", addr, (uint64_t)val); \
        qtest_rsp_value(s, req);                                        \
    }
QTEST_WRITE(qtest_writeb, uint8_t, "writeb")
QTEST_WRITE(qtest_writew, uint16_t, "writew")
QTEST_WRITE(qtest_writel, uint32_t, "writel")
QTEST_WRITE(qtest_writeq, uint64_t, "writeq")

#define QTEST_IN(name, type, cmd)                                       \
    type name(QTestState *s, uint16_t port)                             \
    {                                                                   \
        g_autofree char *req = g_strdup_printf(cmd " 0x%x", port);      \
        return qtest_rsp_value(s, req);                                 \
    }
QTEST_IN(qtest_inb, uint8_t, "inb")
QTEST_IN(qtest_inw, uint16_t, "inw")
QTEST_IN(qtest_inl, uint32_t, "inl")

#define QTEST_OUT(name, type, cmd)                                      \
    void name(QTestState *s, uint16_t port, type val)                   \
    {                                                                   \
        g_autofree char *req = g_strdup_printf(cmd " 0x%x 0x%x", port,  \
                                               (unsigned)val);          \
        qtest_rsp_value(s, req);                                        \
    }
QTEST_OUT(qtest_outb, uint8_t, "outb")
QTEST_OUT(qtest_outw, uint16_t, "outw")
QTEST_OUT(qtest_outl, uint32_t, "outl")

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t len)
{
    g_autofree char *reply = qtest_raw(s, "read 0x%" G_GINT64_MODIFIER
                                       "x 0x%zx", addr, len);
    uint8_t *out = buf;

    g_assert_true(g_str_has_prefix(reply, "OK 0x"));
    g_assert_cmpuint(strlen(reply), ==, 5 + 2 * len);
    for (size_t i = 0; i < len; i++) {
        out[i] = g_ascii_xdigit_value(reply[5 + 2 * i]) << 4 |
                 g_ascii_xdigit_value(reply[6 + 2 * i]);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t len)
{
    GString *hex = g_string_new("0x");
    const uint8_t *in = buf;
    g_autofree char *reply = NULL;

    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(hex, "%02x", in[i]);
    }
    reply = qtest_raw(s, "write 0x%" G_GINT64_MODIFIER "x 0x%zx %s", addr,
                      len, hex->str);
    g_string_free(hex, true);
    g_assert_cmpstr(reply, ==, "OK");
}

/* QMP. */

/* Turn QEMU-test style 'single-quoted' strings into JSON strings. */
static char *qtest_json_quotes(const char *in)
{
    GString *out = g_string_new(NULL);
    char quote = 0;

    for (const char *p = in; *p; p++) {
        if (!quote) {
            if (*p == '\'' || *p == '"') {
                quote = *p;
                g_string_append_c(out, '"');
            } else {
                g_string_append_c(out, *p);
            }
        } else if (*p == '\\' && p[1]) {
            if (quote == '\'' && p[1] == '\'') {
                g_string_append_c(out, '\'');
            } else {
                g_string_append_c(out, *p);
                g_string_append_c(out, p[1]);
            }
            p++;
        } else if (*p == quote) {
            quote = 0;
            g_string_append_c(out, '"');
        } else if (*p == '"') {
            g_string_append(out, "\\\"");
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, false);
}

void qtest_qmp_send_raw(QTestState *s, const char *text)
{
    qtest_write_all(s->qmp_fd, text, strlen(text));
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    for (;;) {
        g_autofree char *line = qtest_read_line(s->qmp_fd, s->qmp_rx);
        g_autoptr(JsonParser) parser = NULL;
        JsonNode *root;
        GError *err = NULL;

        if (!line) {
            return NULL;
        }
        if (!*line) {
            continue;
        }
        parser = json_parser_new();
        if (!json_parser_load_from_data(parser, line, -1, &err)) {
            g_error("bad QMP output '%s': %s", line, err->message);
        }
        root = json_parser_get_root(parser);
        g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
        return json_object_ref(json_node_get_object(root));
    }
}

/* The reply to the request just sent; events before it are queued. */
static JsonObject *qtest_qmp_reply(QTestState *s)
{
    for (;;) {
        JsonObject *msg = qtest_qmp_receive(s);

        g_assert_nonnull(msg);
        if (!json_object_has_member(msg, "event")) {
            return msg;
        }
        g_queue_push_tail(&s->events, msg);
    }
}

static JsonObject *qtest_qmp_v(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    g_autofree char *json = qtest_json_quotes(text);

    qtest_qmp_send_raw(s, json);
    return qtest_qmp_reply(s);
}

JsonObject *qtest_qmp_fds(QTestState *s, const int *fds, size_t nfds,
                          const char *fmt, ...)
{
    char control[CMSG_SPACE(sizeof(int) * 16)] = { 0 };
    g_autofree char *text = NULL;
    g_autofree char *json = NULL;
    struct iovec iov;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    struct cmsghdr *c;
    va_list ap;

    g_assert_cmpuint(nfds, >, 0);
    g_assert_cmpuint(nfds, <=, 16);
    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    json = qtest_json_quotes(text);
    iov = (struct iovec) { .iov_base = json, .iov_len = strlen(json) };
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    /* The fds ride on the first byte: the whole request in one message. */
    g_assert_cmpint(sendmsg(s->qmp_fd, &msg, MSG_NOSIGNAL), ==,
                    (ssize_t)strlen(json));
    return qtest_qmp_reply(s);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_qmp_v(s, fmt, ap);
    va_end(ap);
    return rsp;
}

static char *qtest_json_text(JsonObject *obj)
{
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);

    return json_to_string(node, false);
}

JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;
    JsonNode *ret;

    va_start(ap, fmt);
    rsp = qtest_qmp_v(s, fmt, ap);
    va_end(ap);
    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qtest_json_text(rsp);
        g_error("QMP command failed: %s", text);
    }
    ret = json_node_copy(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);
    return ret;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_qmp_v(s, fmt, ap);
    va_end(ap);
    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qtest_json_text(rsp);
        g_error("QMP command failed: %s", text);
    }
    json_object_unref(rsp);
}

void qtest_qmp_expect_error(QTestState *s, const char *cls, const char *desc,
                            const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp, *err;

    va_start(ap, fmt);
    rsp = qtest_qmp_v(s, fmt, ap);
    va_end(ap);
    if (!json_object_has_member(rsp, "error")) {
        g_autofree char *text = qtest_json_text(rsp);
        g_error("QMP command did not fail: %s", text);
    }
    err = json_object_get_object_member(rsp, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    json_object_unref(rsp);
}

JsonObject *qtest_qmp_event_ref(QTestState *s, const char *name)
{
    for (GList *l = s->events.head; l; l = l->next) {
        JsonObject *ev = l->data;

        if (!strcmp(json_object_get_string_member(ev, "event"), name)) {
            g_queue_delete_link(&s->events, l);
            return ev;
        }
    }
    return NULL;
}

JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *name)
{
    JsonObject *ev = qtest_qmp_event_ref(s, name);

    while (!ev) {
        JsonObject *msg = qtest_qmp_receive(s);

        g_assert_nonnull(msg);
        if (json_object_has_member(msg, "event") &&
            !strcmp(json_object_get_string_member(msg, "event"), name)) {
            return msg;
        }
        g_queue_push_tail(&s->events, msg);
    }
    return ev;
}

void qtest_qmp_eventwait(QTestState *s, const char *name)
{
    json_object_unref(qtest_qmp_eventwait_ref(s, name));
}

char *qtest_hmp(QTestState *s, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autoptr(JsonObject) args = json_object_new();
    g_autoptr(JsonObject) req = json_object_new();
    g_autofree char *text = NULL;
    JsonObject *rsp;
    char *out;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    json_object_set_string_member(args, "command-line", cmd);
    json_object_set_string_member(req, "execute", "human-monitor-command");
    json_object_set_object_member(req, "arguments", json_object_ref(args));
    text = qtest_json_text(req);
    qtest_qmp_send_raw(s, text);
    do {
        rsp = qtest_qmp_receive(s);
        g_assert_nonnull(rsp);
        if (json_object_has_member(rsp, "event")) {
            g_queue_push_tail(&s->events, rsp);
            rsp = NULL;
        }
    } while (!rsp);
    g_assert_true(json_object_has_member(rsp, "return"));
    out = g_strdup(json_object_get_string_member(rsp, "return"));
    json_object_unref(rsp);
    return out;
}

int qtest_run(const char *args, char **out, char **err)
{
    g_autofree char *cmd = g_strdup_printf("%s %s", qtest_binary(), args);
    g_auto(GStrv) argv = NULL;
    GError *gerr = NULL;
    int status;

    if (!g_shell_parse_argv(cmd, NULL, &argv, &gerr)) {
        g_error("cannot parse '%s': %s", cmd, gerr->message);
    }
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                      err, &status, &gerr)) {
        g_error("cannot run %s: %s", argv[0], gerr->message);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

/* PCI configuration access: q35 ports, and ECAM at the state's base. */

static uint32_t qtest_cf8(uint16_t bdf, uint8_t off)
{
    return 0x80000000u | (uint32_t)bdf << 8 | (off & 0xfc);
}

uint32_t qtest_pci_legacy_readl(QTestState *s, uint16_t bdf, uint8_t off)
{
    qtest_outl(s, 0xcf8, qtest_cf8(bdf, off));
    return qtest_inl(s, 0xcfc);
}

void qtest_pci_legacy_writel(QTestState *s, uint16_t bdf, uint8_t off,
                             uint32_t val)
{
    qtest_outl(s, 0xcf8, qtest_cf8(bdf, off));
    qtest_outl(s, 0xcfc, val);
}

void qtest_q35_enable_ecam(QTestState *s, uint64_t base)
{
    /* PCIEXBAR: high half first, then base | enable (256 MiB length). */
    qtest_pci_legacy_writel(s, 0, 0x64, base >> 32);
    qtest_pci_legacy_writel(s, 0, 0x60, (uint32_t)base | 1);
    qtest_set_ecam_base(s, base);
}

void qtest_set_ecam_base(QTestState *s, uint64_t base)
{
    s->ecam_base = base;
}

static uint64_t qtest_ecam_addr(QTestState *s, uint16_t bdf, uint16_t off)
{
    return s->ecam_base + ((uint64_t)bdf << 12) + (off & 0xfff);
}

uint8_t qtest_ecam_readb(QTestState *s, uint16_t bdf, uint16_t off)
{
    return qtest_readb(s, qtest_ecam_addr(s, bdf, off));
}

uint16_t qtest_ecam_readw(QTestState *s, uint16_t bdf, uint16_t off)
{
    return qtest_readw(s, qtest_ecam_addr(s, bdf, off));
}

uint32_t qtest_ecam_readl(QTestState *s, uint16_t bdf, uint16_t off)
{
    return qtest_readl(s, qtest_ecam_addr(s, bdf, off));
}

uint16_t qtest_ecam_readw_dword(QTestState *s, uint16_t bdf, uint16_t off)
{
    return qtest_ecam_readl(s, bdf, off & ~3) >> (8 * (off & 2));
}

void qtest_ecam_writeb(QTestState *s, uint16_t bdf, uint16_t off,
                       uint8_t val)
{
    qtest_writeb(s, qtest_ecam_addr(s, bdf, off), val);
}

void qtest_ecam_writew(QTestState *s, uint16_t bdf, uint16_t off,
                       uint16_t val)
{
    qtest_writew(s, qtest_ecam_addr(s, bdf, off), val);
}

void qtest_ecam_writel(QTestState *s, uint16_t bdf, uint16_t off,
                       uint32_t val)
{
    qtest_writel(s, qtest_ecam_addr(s, bdf, off), val);
}

uint16_t qtest_ecam_find_ext_cap(QTestState *s, uint16_t bdf, uint16_t id)
{
    uint16_t off = 0x100;

    /* Bounded: a malformed chain must not loop forever. */
    for (int i = 0; off >= 0x100 && i < 1024 / 4; i++) {
        uint32_t hdr = qtest_ecam_readl(s, bdf, off);

        if (hdr == 0 || hdr == 0xffffffff) {
            return 0;
        }
        if ((hdr & 0xffff) == id) {
            return off;
        }
        off = (hdr >> 20) & 0xffc;
    }
    return 0;
}

uint8_t qtest_ecam_find_cap(QTestState *s, uint16_t bdf, uint8_t id)
{
    /* Whole dwords: the walk needs no sub-dword config access. */
    uint8_t off = qtest_ecam_readl(s, bdf, 0x34) & 0xfc;

    /* Bounded: at most 48 capabilities fit between 0x40 and 0x100. */
    for (int i = 0; off >= 0x40 && i < 48; i++) {
        uint32_t hdr = qtest_ecam_readl(s, bdf, off);

        if ((hdr & 0xff) == id) {
            return off;
        }
        off = (hdr >> 8) & 0xfc;
    }
    return 0;
}

char *qtest_vm_view(QTestState *s)
{
    g_autoptr(JsonNode) pci = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-pci'}");
    g_autoptr(JsonNode) viommu = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-viommu'}");
    g_autoptr(JsonNode) sim = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-host-sim'}");
    JsonObject *o = json_node_get_object(sim);
    g_autofree char *p = json_to_string(pci, false);
    g_autofree char *v = json_to_string(viommu, false);

    return g_strdup_printf("%s\n%s\nfds %" G_GINT64_FORMAT " objects %"
                           G_GINT64_FORMAT, p, v,
                           json_object_get_int_member(o, "open-fds"),
                           json_object_get_int_member(o, "live-objects"));
}

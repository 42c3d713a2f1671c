/*
 * A small qtest + QMP client: see vv-client.h.
 */
#include "vv-client.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int vv_listen(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

/* Accept on @lfd unless the child exits first (then -1, status set). */
static int vv_accept(VVClient *c, int lfd)
{
    for (;;) {
        struct pollfd p = { .fd = lfd, .events = POLLIN };
        int st;

        if (poll(&p, 1, 20) > 0) {
            return accept(lfd, NULL, NULL);
        }
        if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
            c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return -1;
        }
    }
}

/* One line from @fd, buffered in @buf; NULL at end of file. */
static char *vv_read_line(int fd, GString *buf)
{
    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        char chunk[4096];
        ssize_t n;

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            return line;
        }
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(buf, chunk, n);
    }
}

static void vv_write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;     /* the reply read then sees the end of file */
        }
        s += n;
        len -= n;
    }
}

static char *vv_file_text(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    return text;
}

static GPtrArray *vv_argv(const char *binary, const char *const *args,
                          VVClient *c, bool qtest)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(argv, g_strdup(binary));
    if (qtest) {
        g_ptr_array_add(argv, g_strdup("-qtest"));
        g_ptr_array_add(argv, g_strdup_printf("unix:%s/qtest.sock", c->dir));
        g_ptr_array_add(argv, g_strdup("-qtest-log"));
        g_ptr_array_add(argv, g_strdup("/dev/null"));
    }
    g_ptr_array_add(argv, g_strdup("-chardev"));
    g_ptr_array_add(argv, g_strdup_printf("socket,path=%s/qmp.sock,id=char0",
                                          c->dir));
    g_ptr_array_add(argv, g_strdup("-mon"));
    g_ptr_array_add(argv, g_strdup("chardev=char0,mode=control"));
    g_ptr_array_add(argv, g_strdup("-display"));
    g_ptr_array_add(argv, g_strdup("none"));
    for (int i = 0; args[i]; i++) {
        g_ptr_array_add(argv, g_strdup(args[i]));
    }
    if (qtest) {
        g_ptr_array_add(argv, g_strdup("-accel"));
        g_ptr_array_add(argv, g_strdup("qtest"));
    }
    g_ptr_array_add(argv, NULL);
    return argv;
}

static pid_t vv_fork(GPtrArray *argv, const char *err_path)
{
    pid_t pid = fork();

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDWR);

        dup2(fd, 2);
        dup2(null, 1);
        dup2(null, 0);
        execvp(argv->pdata[0], (char **)argv->pdata);
        _exit(127);
    }
    return pid;
}

static void vv_client_free(VVClient *c)
{
    g_autofree char *qt = g_strdup_printf("%s/qtest.sock", c->dir);
    g_autofree char *qm = g_strdup_printf("%s/qmp.sock", c->dir);
    g_autofree char *er = g_strdup_printf("%s/stderr", c->dir);

    if (c->qtest_fd >= 0) {
        close(c->qtest_fd);
    }
    if (c->qmp_fd >= 0) {
        close(c->qmp_fd);
    }
    unlink(qt);
    unlink(qm);
    unlink(er);
    rmdir(c->dir);
    g_free(c->dir);
    g_string_free(c->qtest_in, TRUE);
    g_string_free(c->qmp_in, TRUE);
    g_free(c);
}

static bool vv_client_handshake(VVClient *c)
{
    g_autofree char *greeting = NULL;
    g_autoptr(JsonNode) reply = NULL;

    if (c->qtest_fd >= 0) {
        g_autofree char *line = vv_qtest_cmd(c, "endianness");

        if (g_strcmp0(line, "OK little")) {
            return false;
        }
    }
    greeting = vv_read_line(c->qmp_fd, c->qmp_in);
    if (!greeting || !strstr(greeting, "\"QMP\"")) {
        return false;
    }
    reply = vv_qmp(c, "{\"execute\": \"qmp_capabilities\"}");
    return reply && !vv_qmp_error(reply);
}

VVClient *vv_client_start(const char *binary, const char *const *args,
                          bool qtest, int *status, char **err_text)
{
    VVClient *c = g_new0(VVClient, 1);
    g_autoptr(GPtrArray) argv = NULL;
    g_autofree char *qt = NULL, *qm = NULL, *er = NULL;
    int lq = -1, lm;

    /* A program that dies mid-reply must fail a test, not kill it. */
    signal(SIGPIPE, SIG_IGN);
    c->dir = g_dir_make_tmp("vv-client-XXXXXX", NULL);
    c->qtest_in = g_string_new(NULL);
    c->qmp_in = g_string_new(NULL);
    c->qtest_fd = c->qmp_fd = -1;
    c->status = -1;
    qt = g_strdup_printf("%s/qtest.sock", c->dir);
    qm = g_strdup_printf("%s/qmp.sock", c->dir);
    er = g_strdup_printf("%s/stderr", c->dir);
    if (qtest) {
        lq = vv_listen(qt);
    }
    lm = vv_listen(qm);
    argv = vv_argv(binary, args, c, qtest);
    c->pid = vv_fork(argv, er);
    /* The program connects to qtest first, then to the monitor. */
    if (qtest) {
        c->qtest_fd = vv_accept(c, lq);
        close(lq);
    }
    if (!qtest || c->qtest_fd >= 0) {
        c->qmp_fd = vv_accept(c, lm);
    }
    close(lm);
    if (c->qmp_fd < 0 || !vv_client_handshake(c)) {
        if (c->status < 0) {
            int st;

            /* Give a program that is on its way out the time to exit. */
            for (int i = 0; i < 100 && waitpid(c->pid, &st, WNOHANG) == 0;
                 i++) {
                g_usleep(10000);
                if (i == 99) {
                    kill(c->pid, SIGKILL);
                    waitpid(c->pid, &st, 0);
                }
            }
            c->status = WIFEXITED(st) ? WEXITSTATUS(st)
                                      : 128 + WTERMSIG(st);
        }
        if (status) {
            *status = c->status;
        }
        if (err_text) {
            *err_text = vv_file_text(er);
        }
        vv_client_free(c);
        return NULL;
    }
    return c;
}

int vv_client_quit(VVClient *c)
{
    int st, status;

    kill(c->pid, SIGTERM);
    waitpid(c->pid, &st, 0);
    status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    vv_client_free(c);
    return status;
}

char *vv_qtest_cmd(VVClient *c, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = g_strconcat(cmd, "\n", NULL);
    vv_write_all(c->qtest_fd, line, strlen(line));
    return vv_read_line(c->qtest_fd, c->qtest_in);
}

static uint64_t vv_reply_value(char *line)
{
    uint64_t v;

    g_assert_nonnull(line);
    g_assert_true(g_str_has_prefix(line, "OK "));
    v = g_ascii_strtoull(line + 3, NULL, 0);
    g_free(line);
    return v;
}

static void vv_reply_ok(char *line)
{
    g_assert_cmpstr(line, ==, "OK");
    g_free(line);
}

uint64_t vv_readq(VVClient *c, uint64_t addr)
{
    return vv_reply_value(vv_qtest_cmd(c, "readq 0x%" PRIx64, addr));
}

uint32_t vv_readl(VVClient *c, uint64_t addr)
{
    return vv_reply_value(vv_qtest_cmd(c, "readl 0x%" PRIx64, addr));
}

void vv_writel(VVClient *c, uint64_t addr, uint32_t val)
{
    vv_reply_ok(vv_qtest_cmd(c, "writel 0x%" PRIx64 " 0x%x", addr, val));
}

void vv_writeq(VVClient *c, uint64_t addr, uint64_t val)
{
    vv_reply_ok(vv_qtest_cmd(c, "writeq 0x%" PRIx64 " 0x%" PRIx64, addr,
                             val));
}

uint32_t vv_inl(VVClient *c, uint16_t port)
{
    return vv_reply_value(vv_qtest_cmd(c, "inl 0x%x", port));
}

void vv_outl(VVClient *c, uint16_t port, uint32_t val)
{
    vv_reply_ok(vv_qtest_cmd(c, "outl 0x%x 0x%x", port, val));
}

JsonNode *vv_qmp(VVClient *c, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vv_write_all(c->qmp_fd, cmd, strlen(cmd));
    vv_write_all(c->qmp_fd, "\n", 1);
    for (;;) {
        g_autofree char *line = vv_read_line(c->qmp_fd, c->qmp_in);
        JsonNode *node;
        JsonObject *o;

        if (!line) {
            return NULL;
        }
        node = json_from_string(line, NULL);
        o = node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node)
                                                 : NULL;
        if (o && (json_object_has_member(o, "return") ||
                  json_object_has_member(o, "error"))) {
            return node;
        }
        if (node) {
            json_node_unref(node);
        }
    }
}

const char *vv_qmp_error(JsonNode *reply)
{
    JsonObject *o = json_node_get_object(reply);
    JsonObject *e;

    if (!json_object_has_member(o, "error")) {
        return NULL;
    }
    e = json_object_get_object_member(o, "error");
    return json_object_get_string_member(e, "desc");
}

int vv_run(const char *binary, const char *const *args, char **err_text)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *out = NULL;
    int st = 0;

    g_ptr_array_add(argv, g_strdup(binary));
    for (int i = 0; args[i]; i++) {
        g_ptr_array_add(argv, g_strdup(args[i]));
    }
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, err_text,
                               &st, NULL));
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

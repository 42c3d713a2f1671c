/*
 * Started as QEMU's own test tools start QEMU, black box:
 *
 * - QEMU's Python harness (python/qemu/machine: QEMUMachine and
 *   QEMUQtestMachine) runs "BINARY -display none -vga none -chardev
 *   socket,id=mon,fd=M -mon chardev=mon,mode=control -chardev
 *   socket,id=qtest,fd=Q -qtest chardev:qtest -accel qtest ARGS" with
 *   both fds one end of a socketpair, stdin /dev/null; older versions
 *   listen on a path and pass "-qtest unix:path=PATH";
 * - libqtest probes every binary with "-machine none" (query-machines,
 *   qom-list-types, device-list-properties) before a test starts.
 *
 * The argv below is the harness's, word for word; no Python package is
 * needed to reproduce it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libqtest.h"

typedef struct Harness {
    pid_t pid;
    int mon;                    /* our end of the monitor socketpair */
    int qtest;                  /* our end of the qtest socket */
    FILE *mon_in;
    FILE *qtest_in;
} Harness;

static void harness_exec(char **argv)
{
    int null = open("/dev/null", O_RDWR);

    dup2(null, STDIN_FILENO);
    execv(argv[0], argv);
    _exit(127);
}

static void harness_timeouts(int fd)
{
    struct timeval tv = { .tv_sec = 60 };

    g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
                               sizeof(tv)), ==, 0);
}

/* QEMUQtestMachine: two socketpairs; the child keeps one end of each. */
static void harness_start(Harness *h, const char *extra)
{
    int mon[2], qt[2];
    g_autofree char *monarg = NULL, *qtarg = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_auto(GStrv) words = g_strsplit(extra, " ", -1);

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, mon), ==, 0);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, qt), ==, 0);
    fcntl(mon[1], F_SETFD, FD_CLOEXEC);
    fcntl(qt[1], F_SETFD, FD_CLOEXEC);
    monarg = g_strdup_printf("socket,id=mon,fd=%d", mon[0]);
    qtarg = g_strdup_printf("socket,id=qtest,fd=%d", qt[0]);
    g_ptr_array_add(argv, (gpointer)g_getenv("VV_BINARY"));
    {
        const char *base[] = {
            "-display", "none", "-vga", "none", "-chardev", monarg, "-mon",
            "chardev=mon,mode=control", "-chardev", qtarg, "-qtest",
            "chardev:qtest", "-accel", "qtest",
        };
        for (size_t i = 0; i < G_N_ELEMENTS(base); i++) {
            g_ptr_array_add(argv, (gpointer)base[i]);
        }
    }
    for (int i = 0; words[i]; i++) {
        if (*words[i]) {
            g_ptr_array_add(argv, words[i]);
        }
    }
    g_ptr_array_add(argv, NULL);
    h->pid = fork();
    g_assert_cmpint(h->pid, >=, 0);
    if (!h->pid) {
        harness_exec((char **)argv->pdata);
    }
    close(mon[0]);
    close(qt[0]);
    h->mon = mon[1];
    h->qtest = qt[1];
    harness_timeouts(h->mon);
    harness_timeouts(h->qtest);
    h->mon_in = fdopen(dup(h->mon), "r");
    h->qtest_in = fdopen(dup(h->qtest), "r");
}

/* A unix socket listening on @path (inheritable: no CLOEXEC). */
static int harness_listen(const char *path, struct sockaddr_un *sun)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    *sun = (struct sockaddr_un) { .sun_family = AF_UNIX };
    g_assert_cmpuint(strlen(path), <, sizeof(sun->sun_path));
    strcpy(sun->sun_path, path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)sun, sizeof(*sun)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static char *harness_line(FILE *in)
{
    char buf[65536];

    if (!fgets(buf, sizeof(buf), in)) {
        return NULL;
    }
    return g_strdup(buf);
}

static char *harness_qmp(Harness *h, const char *cmd)
{
    char *line;

    g_assert_cmpint(write(h->mon, cmd, strlen(cmd)), ==, strlen(cmd));
    /* Skip events: the reply is the first line with "return"/"error". */
    while ((line = harness_line(h->mon_in)) && strstr(line, "\"event\"")) {
        g_free(line);
    }
    g_assert_nonnull(line);
    return line;
}

static char *harness_qtest(Harness *h, const char *cmd)
{
    g_assert_cmpint(write(h->qtest, cmd, strlen(cmd)), ==, strlen(cmd));
    return harness_line(h->qtest_in);
}

/* QEMUMachine's shutdown: "quit" over QMP, then wait; exit status 0. */
static void harness_quit(Harness *h)
{
    g_autofree char *rsp = harness_qmp(h, "{\"execute\": \"quit\"}\n");
    int status;

    g_assert_cmpstr(rsp, ==, "{\"return\": {}}\r\n");
    g_assert_cmpint(waitpid(h->pid, &status, 0), ==, h->pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    fclose(h->mon_in);
    fclose(h->qtest_in);
    close(h->mon);
    close(h->qtest);
}

static void harness_handshake(Harness *h)
{
    g_autofree char *greeting = harness_line(h->mon_in);
    g_autofree char *caps = NULL;

    g_assert_nonnull(greeting);
    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\": {\"version\": "));
    caps = harness_qmp(h, "{\"execute\": \"qmp_capabilities\"}\n");
    g_assert_cmpstr(caps, ==, "{\"return\": {}}\r\n");
}

static void test_python_harness_q35(void)
{
    Harness h;
    g_autofree char *endian = NULL, *status = NULL, *vid = NULL;

    harness_start(&h, "-machine q35");
    harness_handshake(&h);
    endian = harness_qtest(&h, "endianness\n");
    g_assert_cmpstr(endian, ==, "OK little\n");
    status = harness_qmp(&h, "{\"execute\": \"query-status\"}\n");
    g_assert_nonnull(strstr(status, "\"status\": \"running\""));
    /* The host bridge's IDs, read as a guest would (0xCF8/0xCFC). */
    g_free(harness_qtest(&h, "outl 0xcf8 0x80000000\n"));
    vid = harness_qtest(&h, "inl 0xcfc\n");
    g_assert_cmpstr(vid, ==, "OK 0x29c08086\n");
    harness_quit(&h);
}

static void test_python_harness_machine_none(void)
{
    Harness h;
    g_autofree char *target = NULL, *kvm = NULL;

    harness_start(&h, "-machine none");
    harness_handshake(&h);
    target = harness_qmp(&h, "{\"execute\": \"query-target\"}\n");
    g_assert_nonnull(strstr(target, "\"arch\": \""));
    kvm = harness_qmp(&h, "{\"execute\": \"query-kvm\"}\n");
    g_assert_cmpstr(kvm, ==,
                    "{\"return\": {\"enabled\": false, \"present\": false}}"
                    "\r\n");
    harness_quit(&h);
}

/* Older QEMUQtestMachine: it listens, we connect to "unix:path=PATH". */
static void test_python_harness_qtest_path(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-harness-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qtest.sock", NULL);
    g_autofree char *args = g_strdup_printf("-M none -qtest unix:path=%s",
                                            path);
    struct sockaddr_un sun;
    int lfd = harness_listen(path, &sun), conn, status;
    char buf[64] = { 0 };
    pid_t pid;

    pid = fork();
    if (!pid) {
        g_auto(GStrv) words = g_strsplit(args, " ", -1);
        g_autoptr(GPtrArray) argv = g_ptr_array_new();

        g_ptr_array_add(argv, (gpointer)g_getenv("VV_BINARY"));
        for (int i = 0; words[i]; i++) {
            g_ptr_array_add(argv, words[i]);
        }
        g_ptr_array_add(argv, NULL);
        harness_exec((char **)argv->pdata);
    }
    conn = accept(lfd, NULL, NULL);
    g_assert_cmpint(conn, >=, 0);
    harness_timeouts(conn);
    g_assert_cmpint(write(conn, "endianness\n", 11), ==, 11);
    g_assert_cmpint(read(conn, buf, sizeof(buf) - 1), >, 0);
    g_assert_cmpstr(buf, ==, "OK little\n");
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(conn);
    close(lfd);
    g_unlink(path);
    g_rmdir(dir);
}

static bool list_has_name(JsonNode *node, const char *name)
{
    JsonArray *list = json_node_get_array(node);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return true;
        }
    }
    return false;
}

/* An inherited listening socket: -chardev socket,fd=N,server=on. */
static void test_chardev_listening_fd(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-harness-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qmp.sock", NULL);
    struct sockaddr_un sun;
    int lfd = harness_listen(path, &sun), conn, status;
    g_autofree char *chardev = g_strdup_printf(
        "socket,id=m,fd=%d,server=on,wait=off", lfd);
    char *argv[] = {
        (char *)g_getenv("VV_BINARY"), "-M", "none", "-chardev", chardev,
        "-mon", "chardev=m,mode=control", NULL,
    };
    FILE *in;
    g_autofree char *greeting = NULL;
    pid_t pid;

    pid = fork();
    if (!pid) {
        harness_exec(argv);
    }
    close(lfd);
    conn = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(connect(conn, (struct sockaddr *)&sun, sizeof(sun)), ==,
                    0);
    harness_timeouts(conn);
    in = fdopen(dup(conn), "r");
    greeting = harness_line(in);
    g_assert_nonnull(greeting);
    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\": "));
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fclose(in);
    close(conn);
    g_unlink(path);
    g_rmdir(dir);
}

/* libqtest's qtest_get_machines()/qtest_has_device() probes. */
static void test_libqtest_machine_none_probes(void)
{
    QTestState *s = qtest_init("-machine none");
    g_autoptr(JsonNode) machines = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-machines'}");
    g_autoptr(JsonNode) types = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types',"
           " 'arguments': {'implements': 'device', 'abstract': false}}");
    g_autoptr(JsonNode) props = qtest_qmp_assert_success_ref(
        s, "{'execute': 'device-list-properties',"
           " 'arguments': {'typename': 'vfio-pci'}}");
    JsonArray *list = json_node_get_array(machines);
    bool none = false, q35 = false;

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_array_get_object_element(list, i);
        const char *name = json_object_get_string_member(m, "name");

        none |= !strcmp(name, "none") && !json_object_has_member(m, "alias");
        /* QEMU's direction: the versioned name, "q35" its alias. */
        q35 |= !strcmp(name, "pc-q35-10.2") &&
               !g_strcmp0(json_object_get_string_member_with_default(
                              m, "alias", NULL), "q35");
    }
    g_assert_true(none);
    g_assert_true(q35);
    g_assert_true(list_has_name(types, "vfio-pci"));
    g_assert_true(list_has_name(props, "host"));
    /* No buses on an empty board: a device has nowhere to go. */
    qtest_qmp_expect_error(s, "GenericError",
                           "No 'PCIE' bus found for device 'pcie-root-port'",
                           "{'execute': 'device_add', 'arguments':"
                           " {'driver': 'pcie-root-port', 'id': 'rp'}}");
    qtest_quit(s);
}

/* Extra monitors on -chardev null and old "server,nowait" spellings. */
static void test_chardev_null_and_old_spellings(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-harness-XXXXXX", NULL);
    g_autofree char *a = g_build_filename(dir, "a.sock", NULL);
    g_autofree char *b = g_build_filename(dir, "b.sock", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M none -chardev null,id=n0 -mon chardev=n0,mode=control "
        "-chardev socket,id=c0,path=%s,server,nowait "
        "-mon chardev=c0,mode=control -qmp unix:%s,server,nowait", a, b);
    QTestState *s = qtest_init(args);
    g_autofree char *err = NULL;

    qtest_qmp_assert_success(s, "{'execute': 'query-status'}");
    g_assert_true(g_file_test(a, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(b, G_FILE_TEST_EXISTS));
    err = qtest_stderr(s);
    /* -chardev warns about the short forms, -qmp's legacy syntax does not. */
    g_assert_nonnull(strstr(err, "warning: short-form boolean option "
                            "'server' deprecated\nPlease use server=on "
                            "instead\n"));
    g_assert_nonnull(strstr(err, "warning: short-form boolean option "
                            "'nowait' deprecated\nPlease use wait=off "
                            "instead\n"));
    g_assert_null(strstr(err, "-qmp unix"));
    qtest_quit(s);
    g_rmdir(dir);
}

static void expect_fail(const char *args, const char *msg)
{
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, msg);
}

static void test_bad_inputs(void)
{
    expect_fail("-M none -chardev socket,id=m,fd=abc",
                "vfio-viommu: -chardev socket,id=m,fd=abc: Unable to parse "
                "FD number abc\n");
    /* g_spawn_sync leaves only 0-2 open: 200 is no socket. */
    expect_fail("-M none -chardev socket,id=m,fd=200",
                "vfio-viommu: -chardev socket,id=m,fd=200: File descriptor "
                "'200' is not a socket\n");
    expect_fail("-M none -chardev socket,id=m,fd=3,path=/x",
                "vfio-viommu: -chardev socket,id=m,fd=3,path=/x: None or "
                "one of 'path', 'fd' or 'host' option required.\n");
    expect_fail("-M none -qtest chardev:nope",
                "vfio-viommu: -qtest chardev:nope: Failed to initialize "
                "device for qtest: \"chardev:nope\"\n");
    expect_fail("-M none -chardev socket,id=m,path=/x,nowait",
                "vfio-viommu: -chardev socket,id=m,path=/x,nowait: warning: "
                "short-form boolean option 'nowait' deprecated\n"
                "Please use wait=off instead\n"
                "vfio-viommu: -chardev socket,id=m,path=/x,nowait: 'wait' "
                "option is incompatible with socket in client connect "
                "mode\n");
    expect_fail("-M none -chardev bogus,id=m",
                "vfio-viommu: -chardev bogus,id=m: 'bogus' is not a valid "
                "char driver name\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/harness/python/q35", test_python_harness_q35);
    g_test_add_func("/harness/python/machine-none",
                    test_python_harness_machine_none);
    g_test_add_func("/harness/python/qtest-unix-path",
                    test_python_harness_qtest_path);
    g_test_add_func("/harness/chardev/listening-fd",
                    test_chardev_listening_fd);
    g_test_add_func("/harness/libqtest/machine-none-probes",
                    test_libqtest_machine_none_probes);
    g_test_add_func("/harness/chardev/null-and-old-spellings",
                    test_chardev_null_and_old_spellings);
    g_test_add_func("/harness/bad-inputs", test_bad_inputs);
    return g_test_run();
}

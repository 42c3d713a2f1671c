/*
 * QMP as a management tool sees it: greeting, negotiation, the core
 * commands, every error class and text, events, HMP, and the wire shapes
 * compared with a real QEMU when one is installed.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libqtest.h"

#define MACHINE "-M q35 -m 16M -nodefaults"
#define PEER_QEMU "/usr/bin/qemu-system-x86_64"

static JsonObject *error_of(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "error"));
    return json_object_get_object_member(rsp, "error");
}

static void assert_error(JsonObject *rsp, const char *cls, const char *desc)
{
    JsonObject *err = error_of(rsp);

    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
}

static void test_greeting(void)
{
    QTestState *s = qtest_init_without_qmp_handshake(MACHINE);
    JsonObject *qmp = json_object_get_object_member(qtest_greeting(s), "QMP");
    JsonObject *ver = json_object_get_object_member(qmp, "version");
    JsonObject *triple = json_object_get_object_member(ver, "qemu");
    JsonArray *caps = json_object_get_array_member(qmp, "capabilities");

    g_assert_cmpint(json_object_get_size(qtest_greeting(s)), ==, 1);
    g_assert_true(json_object_has_member(triple, "major"));
    g_assert_true(json_object_has_member(triple, "minor"));
    g_assert_true(json_object_has_member(triple, "micro"));
    g_assert_nonnull(json_object_get_string_member(ver, "package"));
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");
    qtest_quit(s);
}

static void test_negotiation(void)
{
    QTestState *s = qtest_init_without_qmp_handshake(MACHINE);
    g_autoptr(JsonObject) r1 = qtest_qmp(s, "{'execute': 'query-status'}");
    g_autoptr(JsonObject) r2 = qtest_qmp(s, "{'execute': 'no-such'}");
    g_autoptr(JsonObject) r3 = qtest_qmp(s, "{'execute': 'qmp_capabilities',"
                                         " 'arguments': {'enable': ['x']}}");
    g_autoptr(JsonObject) r4 = qtest_qmp(s, "{'execute': 'qmp_capabilities',"
                                         " 'arguments': {'bogus': 1}}");

    assert_error(r1, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    assert_error(r2, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    assert_error(r3, "GenericError",
                 "Parameter 'enable[0]' does not accept value 'x'");
    assert_error(r4, "GenericError", "Parameter 'bogus' is unexpected");
    /* No events before negotiation completes. */
    qtest_qmp_assert_success(s, "{'execute': 'qmp_capabilities', "
                             "'arguments': {'enable': ['oob']}}");
    qtest_qmp_expect_error(s, "CommandNotFound", "Capabilities negotiation "
                           "is already complete, command ignored",
                           "{'execute': 'qmp_capabilities'}");
    qtest_quit(s);
}

static void test_request_errors(void)
{
    QTestState *s = qtest_init(MACHINE);

    qtest_qmp_expect_error(s, "CommandNotFound",
                           "The command foo has not been found",
                           "{'execute': 'foo'}");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input must be a JSON object", "[1, 2]");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input must be a JSON object", "'str'");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input lacks member 'execute'", "{}");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input member 'execute' must be a string",
                           "{'execute': 1}");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input member 'arguments' must be an object",
                           "{'execute': 'query-status', 'arguments': []}");
    qtest_qmp_expect_error(s, "GenericError",
                           "QMP input member 'foo' is unexpected",
                           "{'execute': 'query-status', 'foo': 1}");
    qtest_qmp_expect_error(s, "GenericError", "Parameter 'a' is unexpected",
                           "{'execute': 'query-status', "
                           "'arguments': {'a': 1}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Parameter 'property' is missing",
                           "{'execute': 'qom-get', "
                           "'arguments': {'path': '/machine'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Invalid parameter type for 'path', "
                           "expected: string",
                           "{'execute': 'qom-get', "
                           "'arguments': {'path': 1, 'property': 'x'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Invalid parameter type for 'abstract', "
                           "expected: boolean",
                           "{'execute': 'qom-list-types', "
                           "'arguments': {'abstract': 'yes'}}");
    qtest_quit(s);
}

static void test_parse_error(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) rsp = qtest_qmp(s, "{bad json}");
    JsonObject *err = error_of(rsp);

    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==,
                    "GenericError");
    g_assert_true(g_str_has_prefix(json_object_get_string_member(err, "desc"),
                                   "JSON parse error, "));
    /* The stream recovers for the next request. */
    qtest_qmp_assert_success(s, "{'execute': 'query-status'}");
    qtest_quit(s);
}

/* A raw control character cannot be in a JSON string: QEMU's lexer
 * rejects the token at once instead of waiting for a closing quote. */
static void test_stray_string(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) rsp = NULL;

    qtest_qmp_send_raw(s, "{\"exec\n");
    rsp = qtest_qmp_receive(s);
    g_assert_cmpstr(json_object_get_string_member(error_of(rsp), "desc"), ==,
                    "JSON parse error, stray '\"exec\n'");
    qtest_qmp_assert_success(s, "{'execute': 'query-status'}");
    qtest_quit(s);
}

/* A command's events follow its reply, as QEMU sends them. */
static void test_events_follow_reply(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) first = NULL;
    g_autoptr(JsonObject) second = NULL;

    qtest_qmp_send_raw(s, "{\"execute\": \"system_reset\"}\n");
    first = qtest_qmp_receive(s);
    second = qtest_qmp_receive(s);
    g_assert_true(json_object_has_member(first, "return"));
    g_assert_cmpstr(json_object_get_string_member(second, "event"), ==,
                    "RESET");
    qtest_quit(s);
}

static void test_id_echoed(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) ok = qtest_qmp(s, "{'execute': 'query-status', "
                                         "'id': 42}");
    g_autoptr(JsonObject) bad = qtest_qmp(s, "{'execute': 'foo', "
                                          "'id': {'a': 'b'}}");

    g_assert_cmpint(json_object_get_int_member(ok, "id"), ==, 42);
    g_assert_true(json_object_has_member(ok, "return"));
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(bad, "id"), "a"), ==, "b");
    g_assert_true(json_object_has_member(bad, "error"));
    qtest_quit(s);
}

/* The next request after @bad, on the same connection, is served. */
static void assert_stream_recovers(QTestState *s, const char *bad,
                                   const char *desc)
{
    g_autoptr(JsonObject) rsp = NULL;
    g_autoptr(JsonObject) next = NULL;

    qtest_qmp_send_raw(s, bad);
    rsp = qtest_qmp_receive(s);
    g_assert_cmpstr(json_object_get_string_member(error_of(rsp), "class"),
                    ==, "GenericError");
    g_assert_cmpstr(json_object_get_string_member(error_of(rsp), "desc"),
                    ==, desc);
    g_assert_false(json_object_has_member(rsp, "id"));
    next = qtest_qmp(s, "{'execute': 'query-status', 'id': 'next'}");
    g_assert_cmpstr(json_object_get_string_member(next, "id"), ==, "next");
    g_assert_true(json_object_has_member(next, "return"));
}

static char *nested_request(int depth)
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < depth; i++) {
        g_string_append(s, "{\"a\": ");
    }
    g_string_append(s, "1");
    for (int i = 0; i < depth; i++) {
        g_string_append_c(s, '}');
    }
    g_string_append_c(s, '\n');
    return g_string_free(s, false);
}

/*
 * QEMU's JSON streamer limits and recovery: each bad message is answered
 * at once, once, and the connection keeps working.
 */
static void test_stream_errors_recover(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autofree char *deep = nested_request(1025);
    g_autofree char *deeper = nested_request(10000);

    assert_stream_recovers(s, deep, "JSON nesting depth limit exceeded");
    assert_stream_recovers(s, deeper, "JSON nesting depth limit exceeded");
    /* a lone 0xFF is QEMU's way to resynchronize; it is written as U+FFFD */
    assert_stream_recovers(s, "\xff", "JSON parse error, stray '\xef\xbf\xbd'");
    assert_stream_recovers(s, "{\"execute\": \"query-\xc3(\"}",
                           "JSON parse error, invalid UTF-8 sequence in "
                           "string");
    assert_stream_recovers(s, "{\"execute\": \"query-status\n",
                           "JSON parse error, stray '\"query-status\n'");
    qtest_quit(s);
}

/*
 * A NUL in a string is kept (QEMU's modified UTF-8), never cut short:
 * "a\u0000b" is not the identifier "a".
 */
static void test_nul_in_string(void)
{
    QTestState *s = qtest_init(MACHINE);

    qtest_qmp_expect_error(s, "GenericError",
                           "Parameter 'id' expects an identifier",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'pcie-root-port', "
                           "'id': 'a\\u0000b'}}");
    qtest_qmp_expect_error(s, "DeviceNotFound", "Device 'a' not found",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 'a'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Invalid parameter type for 'id', expected: string",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 5}}");
    qtest_quit(s);
}

/*
 * A client that sends and stops reading holds up only itself: the qtest
 * connection is still served, and the replies come later, all, in order.
 * (Before, the main loop waited on the full socket: a 60 s alarm ends a
 * regression instead of a hang.)
 */
static void test_slow_reader_wedges_nothing(void)
{
    enum { N = 1500 };
    QTestState *s = qtest_init(MACHINE);
    GString *burst = g_string_new(NULL);

    for (int i = 1; i <= N; i++) {
        g_string_append_printf(burst, "{\"execute\": \"query-commands\", "
                               "\"id\": %d}", i);
    }
    alarm(60);
    qtest_qmp_send_raw(s, burst->str);
    g_usleep(200 * 1000);   /* the replies outgrow the socket meanwhile */
    g_assert_cmphex(qtest_readl(s, 0), ==, 0);
    for (int i = 1; i <= N; i++) {
        g_autoptr(JsonObject) rsp = qtest_qmp_receive(s);

        g_assert_cmpint(json_object_get_int_member(rsp, "id"), ==, i);
    }
    alarm(0);
    qtest_qmp_assert_success(s, "{'execute': 'query-status'}");
    g_string_free(burst, true);
    qtest_quit(s);
}

static void test_stream_split_and_joined(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL;

    /* Two requests in one write, then one request in three writes. */
    qtest_qmp_send_raw(s, "{\"execute\": \"query-status\", \"id\": 1}"
                       "  {\"execute\": \"query-version\", \"id\": 2}");
    r1 = qtest_qmp_receive(s);
    r2 = qtest_qmp_receive(s);
    g_assert_cmpint(json_object_get_int_member(r1, "id"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(r2, "id"), ==, 2);
    qtest_qmp_send_raw(s, "{\"exec");
    g_usleep(50 * 1000);
    qtest_qmp_send_raw(s, "ute\": \"query-st");
    g_usleep(50 * 1000);
    qtest_qmp_send_raw(s, "atus\", \"id\": \"}{\"}\n");
    r3 = qtest_qmp_receive(s);
    g_assert_cmpstr(json_object_get_string_member(r3, "id"), ==, "}{");
    g_assert_true(json_object_has_member(r3, "return"));
    qtest_quit(s);
}

static void test_query_version_and_status(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonNode) ver = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-version'}");
    g_autoptr(JsonNode) st = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-status'}");
    JsonObject *triple = json_object_get_object_member(
        json_node_get_object(ver), "qemu");

    g_assert_cmpint(json_object_get_int_member(triple, "major"), >=, 0);
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(st),
                                                  "status"), ==, "running");
    g_assert_true(json_object_get_boolean_member(json_node_get_object(st),
                                                 "running"));
    qtest_quit(s);
}

static void assert_status(QTestState *s, const char *status, bool running)
{
    g_autoptr(JsonNode) st = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-status'}");
    JsonObject *o = json_node_get_object(st);

    g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, status);
    g_assert_cmpint(json_object_get_boolean_member(o, "running"), ==,
                    running);
}

static void test_run_state_transitions(void)
{
    QTestState *s = qtest_init(MACHINE " -S");
    g_autofree char *hmp = NULL;

    assert_status(s, "prelaunch", false);
    hmp = qtest_hmp(s, "info status");
    g_assert_cmpstr(hmp, ==, "VM status: paused (prelaunch)\r\n");
    qtest_qmp_assert_success(s, "{'execute': 'cont'}");
    qtest_qmp_eventwait(s, "RESUME");
    assert_status(s, "running", true);
    qtest_qmp_assert_success(s, "{'execute': 'stop'}");
    qtest_qmp_eventwait(s, "STOP");
    assert_status(s, "paused", false);
    qtest_quit(s);
}

static bool array_has_name(JsonArray *arr, const char *name)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return true;
        }
    }
    return false;
}

static void test_query_commands(void)
{
    static const char *const core[] = {
        "qmp_capabilities", "query-version", "query-status",
        "query-commands", "qom-list", "qom-get", "qom-list-types",
        "query-machines", "human-monitor-command", "system_reset", "quit",
        "cont", "stop",
    };
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonNode) cmds = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-commands'}");

    for (size_t i = 0; i < G_N_ELEMENTS(core); i++) {
        g_assert_true(array_has_name(json_node_get_array(cmds), core[i]));
    }
    qtest_quit(s);
}

static void test_qom(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonNode) list = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}");
    g_autoptr(JsonNode) type = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', "
        "'arguments': {'path': '/machine', 'property': 'type'}}");
    g_autofree char *desc = NULL;

    g_assert_true(array_has_name(json_node_get_array(list), "type"));
    qtest_qmp_expect_error(s, "DeviceNotFound", "Device '/nope' not found",
                           "{'execute': 'qom-list', "
                           "'arguments': {'path': '/nope'}}");
    qtest_qmp_expect_error(s, "DeviceNotFound", "Device '/nope' not found",
                           "{'execute': 'qom-get', 'arguments': "
                           "{'path': '/nope', 'property': 'x'}}");
    desc = g_strdup_printf("Property '%s.nope' not found",
                           json_node_get_string(type));
    qtest_qmp_expect_error(s, "GenericError", desc,
                           "{'execute': 'qom-get', 'arguments': "
                           "{'path': '/machine', 'property': 'nope'}}");
    qtest_quit(s);
}

static void test_qom_list_types(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonNode) devs = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'device'}}");
    g_autoptr(JsonNode) all = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'device', 'abstract': true}}");
    g_autoptr(JsonNode) none = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'no-such-type'}}");
    JsonArray *a = json_node_get_array(all);
    bool saw_abstract = false;

    g_assert_true(array_has_name(json_node_get_array(devs),
                                 "pcie-root-port"));
    g_assert_false(array_has_name(json_node_get_array(devs), "device"));
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        saw_abstract |= json_object_has_member(o, "abstract");
    }
    g_assert_true(saw_abstract);
    g_assert_cmpuint(json_array_get_length(json_node_get_array(none)), ==, 0);
    qtest_quit(s);
}

static void test_query_machines(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonNode) m = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-machines'}");

    /* QEMU's direction: the versioned name, "q35" as its alias. */
    g_assert_true(array_has_name(json_node_get_array(m), "pc-q35-10.2"));
    qtest_quit(s);
}

static void test_hmp(void)
{
    QTestState *s = qtest_init(MACHINE " -device pcie-root-port,id=rp0,"
                               "chassis=1");
    g_autofree char *status = qtest_hmp(s, "info status");
    g_autofree char *unknown = qtest_hmp(s, "foo bar");
    g_autofree char *info_unknown = qtest_hmp(s, "info foo");
    g_autofree char *version = qtest_hmp(s, "info version");
    g_autofree char *qtree = qtest_hmp(s, "info qtree");
    g_autofree char *help = qtest_hmp(s, "help");
    g_autofree char *infos = qtest_hmp(s, "info");
    g_autofree char *empty = qtest_hmp(s, "   ");

    g_assert_cmpstr(status, ==, "VM status: running\r\n");
    g_assert_cmpstr(unknown, ==, "unknown command: 'foo'\r\n");
    g_assert_cmpstr(info_unknown, ==, "unknown command: 'info foo'\r\n");
    g_assert_true(g_str_has_suffix(version, "\r\n"));
    g_assert_true(g_str_has_prefix(qtree, "bus: main-system-bus\r\n"));
    g_assert_nonnull(strstr(qtree, "dev: pcie-root-port, id \"rp0\""));
    g_assert_nonnull(strstr(help, "info [subcommand]"));
    g_assert_nonnull(strstr(infos, "info qtree  -- show device tree\r\n"));
    g_assert_cmpstr(empty, ==, "");
    qtest_qmp_expect_error(s, "GenericError",
                           "Parameter 'command-line' is missing",
                           "{'execute': 'human-monitor-command'}");
    qtest_quit(s);
}

static void test_events(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *ts;

    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    ev = qtest_qmp_eventwait_ref(s, "RESET");
    ts = json_object_get_object_member(ev, "timestamp");
    g_assert_cmpint(json_object_get_int_member(ts, "seconds"), >, 0);
    g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), <,
                    1000000);
    g_assert_true(json_object_has_member(ev, "data"));
    qtest_quit(s);
}

static void test_quit(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autoptr(JsonObject) ev = NULL;
    int status;

    qtest_qmp_assert_success(s, "{'execute': 'quit'}");
    ev = qtest_qmp_eventwait_ref(s, "SHUTDOWN");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "reason"), ==,
        "host-qmp-quit");
    status = qtest_wait_exit(s);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    qtest_free(s);
}

/* HMP on -monitor stdio: prompt, output, quit. */
static void test_hmp_stdio(void)
{
    g_autofree char *cmd = g_strdup_printf("%s " MACHINE " -accel qtest "
                                           "-display none -monitor stdio",
                                           g_getenv("VV_BINARY"));
    g_auto(GStrv) argv = NULL;
    GPid pid;
    int in_fd, out_fd, status;
    GString *out = g_string_new(NULL);
    char buf[4096];
    ssize_t n;
    const char *input = "info status\nquit\n";

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &pid, &in_fd, &out_fd, NULL,
                                           NULL));
    g_assert_cmpint(write(in_fd, input, strlen(input)), ==, strlen(input));
    while ((n = read(out_fd, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(in_fd);
    close(out_fd);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_assert_nonnull(strstr(out->str, "(qemu) "));
    g_assert_nonnull(strstr(out->str, "VM status: running\r\n(qemu) "));
    g_string_free(out, true);
}

static void test_chardev_option_errors(void)
{
    static const struct {
        const char *opt;
        const char *msg;
    } cases[] = {
        { "socket,path=/tmp/x", "chardev: no id specified" },
        { "foo,id=a", "'foo' is not a valid char driver name" },
        { "id=a", "chardev: \"a\" missing backend" },
        { "socket,id=1a,path=/tmp/x",
          "Parameter 'id' expects an identifier" },
        { "socket,id=a,path=/tmp/x,bogus=1", "Invalid parameter 'bogus'" },
        { "socket,id=a,path=/tmp/x,server=maybe",
          "Parameter 'server' expects 'on' or 'off'" },
        { "socket,id=a,path=/tmp/x,wait=off",
          "'wait' option is incompatible with socket in client connect mode" },
        { "socket,id=a,path=/nonexistent/sock",
          "Failed to connect to '/nonexistent/sock': No such file or "
          "directory" },
        { "socket,id=a,path=/nonexistent/d/s,server=on,wait=off",
          "Failed to bind socket to /nonexistent/d/s: No such file or "
          "directory" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *args = g_strdup_printf(
            "-M q35 -accel qtest -display none -chardev '%s'", cases[i].opt);
        g_autofree char *want = g_strdup_printf(
            "vfio-viommu: -chardev %s: %s\n", cases[i].opt, cases[i].msg);
        g_autofree char *out = NULL, *err = NULL;

        g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
        g_assert_cmpstr(err, ==, want);
    }
    {
        g_autofree char *out = NULL, *err = NULL;

        g_assert_cmpint(qtest_run("-M q35 -accel qtest -display none "
                                  "-chardev stdio,id=a -chardev stdio,id=a",
                                  &out, &err), ==, 1);
        g_assert_cmpstr(err, ==, "vfio-viommu: -chardev stdio,id=a: "
                        "Duplicate ID 'a' for chardev\n");
        g_clear_pointer(&err, g_free);
        g_clear_pointer(&out, g_free);
        g_assert_cmpint(qtest_run("-M q35 -accel qtest -display none "
                                  "-qmp foo:bar", &out, &err), ==, 1);
        g_assert_cmpstr(err, ==, "vfio-viommu: -qmp foo:bar: 'foo:bar' is "
                        "not a valid char driver\n");
    }
}

/* The same requests against Debian's QEMU: the wire shapes must agree. */
static void compare_with_peer(QTestState *ours, QTestState *peer)
{
    JsonObject *gq[2] = {
        json_object_get_object_member(qtest_greeting(ours), "QMP"),
        json_object_get_object_member(qtest_greeting(peer), "QMP"),
    };
    static const char *const reqs[] = {
        "{'execute': 'query-status'}",
        "{'execute': 'qmp_capabilities'}",
        "{'execute': 'no-such-command', 'id': 7}",
        "{'execute': 'qmp_capabilities'}",
        "[]",
        "{'execute': 'query-status', 'arguments': {'x': 1}}",
        ("{'execute': 'qom-get', 'arguments': {'path': '/nope', "
         "'property': 'x'}}"),
    };

    for (int i = 0; i < 2; i++) {
        JsonObject *v = json_object_get_object_member(gq[i], "version");
        JsonObject *q = json_object_get_object_member(v, "qemu");

        g_assert_cmpuint(json_object_get_size(gq[i]), ==, 2);
        g_assert_cmpuint(json_object_get_size(v), ==, 2);
        g_assert_cmpuint(json_object_get_size(q), ==, 3);
        g_assert_true(json_object_has_member(q, "micro"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(reqs); i++) {
        g_autoptr(JsonObject) a = qtest_qmp(ours, "%s", reqs[i]);
        g_autoptr(JsonObject) b = qtest_qmp(peer, "%s", reqs[i]);
        g_autoptr(GList) ka = json_object_get_members(a);
        g_autoptr(GList) kb = json_object_get_members(b);

        g_assert_cmpuint(g_list_length(ka), ==, g_list_length(kb));
        g_assert_cmpint(json_object_has_member(a, "id"), ==,
                        json_object_has_member(b, "id"));
        if (json_object_has_member(b, "error")) {
            JsonObject *ea = error_of(a), *eb = error_of(b);

            g_assert_cmpstr(json_object_get_string_member(ea, "class"), ==,
                            json_object_get_string_member(eb, "class"));
            g_assert_cmpstr(json_object_get_string_member(ea, "desc"), ==,
                            json_object_get_string_member(eb, "desc"));
        } else {
            g_assert_true(json_object_has_member(a, "return"));
        }
    }
}

static void test_peer_qemu_wire_shapes(void)
{
    QTestState *ours, *peer;

    if (access(PEER_QEMU, X_OK) != 0) {
        g_test_skip(PEER_QEMU " is not installed");
        return;
    }
    peer = qtest_init_qmp_only(PEER_QEMU, "-M q35 -accel tcg -S "
                               "-display none -nodefaults");
    if (!peer) {
        g_test_skip(PEER_QEMU " did not start");
        return;
    }
    ours = qtest_init_qmp_only(g_getenv("VV_BINARY"),
                               MACHINE " -accel qtest -display none -S");
    g_assert_nonnull(ours);
    compare_with_peer(ours, peer);
    qtest_quit(ours);
    qtest_quit(peer);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/greeting", test_greeting);
    g_test_add_func("/qmp/negotiation", test_negotiation);
    g_test_add_func("/qmp/request-errors", test_request_errors);
    g_test_add_func("/qmp/parse-error-recovers", test_parse_error);
    g_test_add_func("/qmp/stray-string-recovers", test_stray_string);
    g_test_add_func("/qmp/events-follow-reply", test_events_follow_reply);
    g_test_add_func("/qmp/id-echoed", test_id_echoed);
    g_test_add_func("/qmp/stream-errors-recover", test_stream_errors_recover);
    g_test_add_func("/qmp/nul-in-string-kept", test_nul_in_string);
    g_test_add_func("/qmp/slow-reader-wedges-nothing",
                    test_slow_reader_wedges_nothing);
    g_test_add_func("/qmp/stream-split-and-joined",
                    test_stream_split_and_joined);
    g_test_add_func("/qmp/query-version-and-status",
                    test_query_version_and_status);
    g_test_add_func("/qmp/run-state-transitions", test_run_state_transitions);
    g_test_add_func("/qmp/query-commands-lists-core", test_query_commands);
    g_test_add_func("/qmp/qom-list-and-get", test_qom);
    g_test_add_func("/qmp/qom-list-types", test_qom_list_types);
    g_test_add_func("/qmp/query-machines", test_query_machines);
    g_test_add_func("/qmp/hmp/human-monitor-command", test_hmp);
    g_test_add_func("/qmp/events/reset-timestamp", test_events);
    g_test_add_func("/qmp/quit-exits-0", test_quit);
    g_test_add_func("/qmp/hmp/stdio-monitor", test_hmp_stdio);
    g_test_add_func("/qmp/cmdline/chardev-errors",
                    test_chardev_option_errors);
    g_test_add_func("/qmp/peer/qemu-wire-shapes", test_peer_qemu_wire_shapes);
    return g_test_run();
}

/*
 * The qtest protocol as QEMU's test library sees it: every command, its
 * exact reply format, and a FAIL (never a crash) for every bad input.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libqtest.h"

#define MACHINE "-M q35 -m 16M -nodefaults"
#define RAM_ADDR 0x100000

static QTestState *start(void)
{
    return qtest_init(MACHINE);
}

static void assert_reply(QTestState *s, const char *req, const char *want)
{
    g_autofree char *got = qtest_raw(s, "%s", req);

    g_assert_cmpstr(got, ==, want);
}

static void test_endianness(void)
{
    QTestState *s = start();

    assert_reply(s, "endianness", "OK little");
    qtest_quit(s);
}

static void test_unknown_command(void)
{
    QTestState *s = start();

    assert_reply(s, "frobnicate 1 2", "FAIL Unknown command 'frobnicate'");
    assert_reply(s, "", "FAIL Unknown command ''");
    /* The server keeps serving after a failure. */
    assert_reply(s, "endianness", "OK little");
    qtest_quit(s);
}

static void test_bad_arguments(void)
{
    QTestState *s = start();

    assert_reply(s, "readb", "FAIL Missing argument for 'readb'");
    assert_reply(s, "writel 0x1000", "FAIL Missing argument for 'writel'");
    assert_reply(s, "write 0x1000 4", "FAIL Missing argument for 'write'");
    assert_reply(s, "clock_set", "FAIL Missing argument for 'clock_set'");
    assert_reply(s, "irq_intercept_in",
                 "FAIL Missing argument for 'irq_intercept_in'");
    assert_reply(s, "readb xyz", "FAIL Invalid number 'xyz'");
    assert_reply(s, "readl 0x10zz", "FAIL Invalid number '0x10zz'");
    assert_reply(s, "writeb 0x1000 -1", "FAIL Invalid number '-1'");
    assert_reply(s, "readq 0x10000000000000000",
                 "FAIL Invalid number '0x10000000000000000'");
    assert_reply(s, "inb 0x10000", "FAIL Invalid port '0x10000'");
    assert_reply(s, "outl 0x10000 0", "FAIL Invalid port '0x10000'");
    assert_reply(s, "clock_step abc", "FAIL Invalid number 'abc'");
    qtest_quit(s);
}

/* Numbers are read as strtoull(..., 0) reads them, in every form. */
static void test_number_forms(void)
{
    QTestState *s = start();

    assert_reply(s, "writel 0x100000 0X1aB2c3D4", "OK");
    assert_reply(s, "readl 1048576", "OK 0x000000001ab2c3d4");
    assert_reply(s, "readl 04000000", "OK 0x000000001ab2c3d4");
    assert_reply(s, "readl 0x000000000000100000", "OK 0x000000001ab2c3d4");
    assert_reply(s, "readw 0X100002", "OK 0x0000000000001ab2");
    assert_reply(s, "readb 0xFFFFFFFFFFFFFFFF", "OK 0x0000000000000000");
    assert_reply(s, "readl 0x", "FAIL Invalid number '0x'");
    qtest_quit(s);
}

/* Nothing of a request is silently dropped: a NUL, surplus data. */
static void test_nothing_dropped(void)
{
    static const char nul[] = "readl 0x0\0junk";
    QTestState *s = start();
    g_autofree char *got = qtest_raw_bytes(s, nul, sizeof(nul) - 1);

    g_assert_cmpstr(got, ==, "FAIL NUL byte in command");
    assert_reply(s, "write 0x100000 2 0x112233445566",
                 "ERR invalid argument size");
    assert_reply(s, "write 0x100000 2 0x11223", "ERR invalid argument size");
    assert_reply(s, "read 0x100000 2", "OK 0x0000");
    assert_reply(s, "write 0x100000 2 0x1122", "OK");
    assert_reply(s, "write 0x100002 2 0x33", "OK");
    assert_reply(s, "read 0x100000 4", "OK 0x11223300");
    qtest_quit(s);
}

static void test_mmio_widths(void)
{
    QTestState *s = start();

    assert_reply(s, "writeq 0x100000 0x1122334455667788", "OK");
    assert_reply(s, "readq 0x100000", "OK 0x1122334455667788");
    assert_reply(s, "readl 0x100000", "OK 0x0000000055667788");
    assert_reply(s, "readw 0x100002", "OK 0x0000000000005566");
    assert_reply(s, "readb 0x100007", "OK 0x0000000000000011");
    assert_reply(s, "writeb 0x100000 0xAB", "OK");
    assert_reply(s, "writew 0x100002 0xcdef", "OK");
    assert_reply(s, "writel 0x100004 0x01020304", "OK");
    assert_reply(s, "readq 0x100000", "OK 0x01020304cdef77ab");
    /* Values wider than the access are truncated, as in QEMU. */
    assert_reply(s, "writeb 0x100000 0x1ff", "OK");
    assert_reply(s, "readb 0x100000", "OK 0x00000000000000ff");
    g_assert_cmphex(qtest_readl(s, RAM_ADDR + 4), ==, 0x01020304);
    qtest_quit(s);
}

static void test_bulk_read_write(void)
{
    QTestState *s = start();
    uint8_t buf[4];

    assert_reply(s, "write 0x100000 4 0xdeadBEEF", "OK");
    assert_reply(s, "read 0x100000 4", "OK 0xdeadbeef");
    /* Short data is zero-filled. */
    assert_reply(s, "write 0x100000 4 0xaa", "OK");
    assert_reply(s, "read 0x100000 4", "OK 0xaa000000");
    assert_reply(s, "write 0x100000 4 0x", "ERR invalid argument size");
    assert_reply(s, "write 0x100000 2 0xzz11", "FAIL Invalid data");
    assert_reply(s, "write 0x100000 2 zz11", "FAIL Invalid data");
    assert_reply(s, "read 0x100000 0", "FAIL Invalid size '0'");
    assert_reply(s, "read 0x100000 0x100000000",
                 "FAIL Size too large '0x100000000'");
    qtest_memwrite(s, RAM_ADDR, "\x01\x02\x03\x04", 4);
    qtest_memread(s, RAM_ADDR, buf, 4);
    g_assert_cmpmem(buf, 4, "\x01\x02\x03\x04", 4);
    qtest_quit(s);
}

static void test_base64(void)
{
    QTestState *s = start();

    assert_reply(s, "b64write 0x100000 4 3q2+7w==", "OK");
    assert_reply(s, "read 0x100000 4", "OK 0xdeadbeef");
    assert_reply(s, "b64read 0x100000 4", "OK 3q2+7w==");
    assert_reply(s, "b64write 0x100000 4 ab", "ERR invalid argument size");
    /* A length mismatch zero-fills instead of reading past the data. */
    assert_reply(s, "b64write 0x100000 4 qg==", "OK");
    assert_reply(s, "read 0x100000 4", "OK 0xaa000000");
    qtest_quit(s);
}

static void test_memset(void)
{
    QTestState *s = start();

    assert_reply(s, "memset 0x100000 4 0x5a", "OK");
    assert_reply(s, "read 0x100000 5", "OK 0x5a5a5a5a00");
    assert_reply(s, "memset 0x100000 0 0x11", "OK");
    assert_reply(s, "read 0x100000 1", "OK 0x5a");
    assert_reply(s, "memset 0x100000 4 x", "FAIL Invalid number 'x'");
    qtest_quit(s);
}

static void test_port_io(void)
{
    QTestState *s = start();

    /* Nothing decodes port 0x80 here: reads float high. */
    assert_reply(s, "inb 0x80", "OK 0x00ff");
    assert_reply(s, "inw 0x80", "OK 0xffff");
    assert_reply(s, "inl 0x80", "OK 0xffffffff");
    assert_reply(s, "outb 0x80 0x12", "OK");
    qtest_quit(s);
}

static void test_clock(void)
{
    QTestState *s = start();

    assert_reply(s, "clock_step", "FAIL cannot advance clock to the next "
                 "deadline because there is no pending deadline");
    assert_reply(s, "clock_step 100", "OK 100");
    assert_reply(s, "clock_step 0", "FAIL could not advance time");
    assert_reply(s, "clock_step -5", "FAIL could not advance time");
    assert_reply(s, "clock_set 50", "FAIL 100");
    assert_reply(s, "clock_set 1000", "OK 1000");
    assert_reply(s, "clock_step 0x10", "OK 1016");
    qtest_quit(s);
}

static void test_irq_intercept(void)
{
    QTestState *s = qtest_init(MACHINE
                               " -device pcie-root-port,id=rp0,chassis=1"
                               " -device pcie-root-port,id=rp1,chassis=2");

    assert_reply(s, "irq_intercept_in /machine/nope", "FAIL Unknown device");
    assert_reply(s, "irq_intercept_in /machine", "FAIL Unknown device");
    assert_reply(s, "irq_intercept_in /machine/peripheral/rp0 name",
                 "FAIL Interception of named in-GPIOs not yet supported");
    assert_reply(s, "irq_intercept_in /machine/peripheral/rp0", "OK");
    assert_reply(s, "irq_intercept_out /machine/peripheral/rp0", "OK");
    assert_reply(s, "irq_intercept_in /machine/peripheral/rp1",
                 "FAIL IRQ intercept already enabled");
    qtest_quit(s);
}

static void test_log(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-qtest-log-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qtest.log", NULL);
    g_autofree char *args = g_strdup_printf(MACHINE " -qtest-log %s", path);
    g_autofree char *log = NULL;
    QTestState *s = qtest_init(args);

    assert_reply(s, "readb 0x100000", "OK 0x0000000000000000");
    qtest_quit(s);
    g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "] OPENED\n"));
    g_assert_true(g_regex_match_simple(
        "\\[R \\+[0-9]+\\.[0-9]{6}\\] readb 0x100000\n", log, 0, 0));
    g_assert_true(g_regex_match_simple(
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] OK 0x0000000000000000\n", log, 0, 0));
    g_assert_true(g_regex_match_simple(
        "\\[S \\+[0-9.]+\\] OK little\n", log, 0, 0));
    unlink(path);
    rmdir(dir);
}

/* Acceptance: what a client does first on q35 (issue 2). */
static void test_q35_ecam_acceptance(void)
{
    QTestState *s = qtest_init(MACHINE " -device pcie-root-port,id=rp0,"
                               "chassis=1,slot=1,addr=2.0");
    uint16_t rp = QPCI_BDF(0, 2, 0);
    g_autoptr(JsonNode) pci = NULL;
    uint16_t acs;

    g_assert_cmphex(qtest_pci_legacy_readl(s, 0, 0), ==, 0x29c08086);
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    g_assert_cmphex(qtest_ecam_readl(s, 0, 0), ==, 0x29c08086);
    g_assert_cmphex(qtest_ecam_readl(s, rp, 0), ==, 0x000c1b36);
    acs = qtest_ecam_find_ext_cap(s, rp, 0x000d);
    g_assert_cmphex(acs, >=, 0x100);
    /* Primary 0, secondary 1, subordinate 1. */
    qtest_ecam_writel(s, rp, 0x18, 0x00010100);
    g_assert_cmphex(qtest_ecam_readl(s, rp, 0x18) & 0xffffff, ==, 0x010100);
    pci = qtest_qmp_assert_success_ref(s, "{'execute': 'query-pci'}");
    g_assert_true(JSON_NODE_HOLDS_ARRAY(pci));
    g_assert_cmpuint(json_array_get_length(json_node_get_array(pci)), >=, 1);
    qtest_quit(s);
}

static void test_reset_restores_registers(void)
{
    QTestState *s = qtest_init(MACHINE " -device pcie-root-port,id=rp0,"
                               "chassis=1,slot=1,addr=2.0");
    uint16_t rp = QPCI_BDF(0, 2, 0);
    uint32_t pciexbar = qtest_pci_legacy_readl(s, 0, 0x60);
    uint32_t buses = qtest_pci_legacy_readl(s, rp, 0x18);
    uint32_t cmd = qtest_pci_legacy_readl(s, rp, 0x04);
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    qtest_ecam_writel(s, rp, 0x18, 0x00050403);
    qtest_ecam_writew(s, rp, 0x04, 0x0007);
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    ev = qtest_qmp_eventwait_ref(s, "RESET");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-system-reset");
    g_assert_cmphex(qtest_pci_legacy_readl(s, 0, 0x60), ==, pciexbar);
    g_assert_cmphex(qtest_pci_legacy_readl(s, rp, 0x18), ==, buses);
    g_assert_cmphex(qtest_pci_legacy_readl(s, rp, 0x04), ==, cmd);
    qtest_quit(s);
}

static void test_sigterm_exit_status(void)
{
    QTestState *s = start();
    g_autoptr(JsonObject) ev = NULL;
    g_autofree char *err = NULL;
    JsonObject *data;
    int status;

    kill(qtest_pid(s), SIGTERM);
    ev = qtest_qmp_eventwait_ref(s, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-signal");
    status = qtest_wait_exit(s);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, "terminating on signal 15"));
    qtest_free(s);
}

/* -run-with exit-with-parent=on: the program dies with its parent. */
static void test_exit_with_parent(void)
{
    int pipefd[2];
    pid_t middle, vv = 0;
    int status;

    /* Orphans are reparented to us, so we can reap the program. */
    g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 1), ==, 0);
    g_assert_cmpint(pipe(pipefd), ==, 0);
    middle = fork();
    g_assert_cmpint(middle, >=, 0);
    if (middle == 0) {
        pid_t child = fork();

        if (child == 0) {
            execl(g_getenv("VV_BINARY"), "vfio-viommu", "-M", "q35",
                  "-accel", "qtest", "-display", "none", "-nodefaults",
                  "-run-with", "exit-with-parent=on", NULL);
            _exit(127);
        }
        (void)!write(pipefd[1], &child, sizeof(child));
        /* Give the program time to get to its main loop. */
        g_usleep(500 * 1000);
        _exit(0);
    }
    g_assert_cmpint(read(pipefd[0], &vv, sizeof(vv)), ==, sizeof(vv));
    close(pipefd[0]);
    close(pipefd[1]);
    g_assert_cmpint(waitpid(middle, &status, 0), ==, middle);
    g_assert_cmpint(waitpid(vv, &status, 0), ==, vv);
    /* Killed by the parent-death signal or exited cleanly on it. */
    g_assert_true(WIFSIGNALED(status) ||
                  (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void test_qtest_socket_errors(void)
{
    g_autofree char *out = NULL, *err = NULL;
    int rc = qtest_run("-M q35 -display none -accel qtest "
                       "-qtest unix:/nonexistent/dir/sock", &out, &err);

    g_assert_cmpint(rc, ==, 1);
    /* QEMU's two lines as the one the docs promise */
    g_assert_cmpstr(err, ==, "vfio-viommu: -qtest unix:/nonexistent/dir/sock: "
                    "Failed to initialize device for qtest: "
                    "\"unix:/nonexistent/dir/sock\": Failed to connect to "
                    "'/nonexistent/dir/sock': No such file or directory\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qtest/protocol/endianness-is-little", test_endianness);
    g_test_add_func("/qtest/protocol/unknown-command-fails",
                    test_unknown_command);
    g_test_add_func("/qtest/protocol/bad-arguments-fail", test_bad_arguments);
    g_test_add_func("/qtest/protocol/number-forms", test_number_forms);
    g_test_add_func("/qtest/protocol/nothing-dropped", test_nothing_dropped);
    g_test_add_func("/qtest/protocol/mmio-widths-and-format",
                    test_mmio_widths);
    g_test_add_func("/qtest/protocol/read-write-hex", test_bulk_read_write);
    g_test_add_func("/qtest/protocol/base64", test_base64);
    g_test_add_func("/qtest/protocol/memset", test_memset);
    g_test_add_func("/qtest/protocol/port-io-format", test_port_io);
    g_test_add_func("/qtest/protocol/virtual-clock", test_clock);
    g_test_add_func("/qtest/protocol/irq-intercept", test_irq_intercept);
    g_test_add_func("/qtest/protocol/log-file", test_log);
    g_test_add_func("/qtest/q35/ecam-rootport-acceptance",
                    test_q35_ecam_acceptance);
    g_test_add_func("/qtest/q35/system-reset-restores-registers",
                    test_reset_restores_registers);
    g_test_add_func("/qtest/process/sigterm-exits-0",
                    test_sigterm_exit_status);
    g_test_add_func("/qtest/process/exit-with-parent", test_exit_with_parent);
    g_test_add_func("/qtest/process/qtest-socket-error",
                    test_qtest_socket_errors);
    return g_test_run();
}

/*
 * The options QEMU's tools and libvirt pass that have nothing to do with
 * the vIOMMU, black box: -global, -pidfile, -daemonize, -vga, -name,
 * -machine none with -m, the help queries, and the QMP commands that
 * answer about the process and the object model (query-name, qom-set,
 * qom-list-properties, device-list-properties); each with QEMU's
 * messages for bad input.
 */
#define _GNU_SOURCE                 /* memfd_create() */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libqtest.h"

#define RP "-device pcie-root-port,id=rp1,chassis=1,slot=1"

static void expect_run(const char *args, int status, const char *out,
                       const char *err)
{
    g_autofree char *o = NULL, *e = NULL;

    g_assert_cmpint(qtest_run(args, &o, &e), ==, status);
    if (out) {
        g_assert_cmpstr(o, ==, out);
    }
    if (err) {
        g_assert_cmpstr(e, ==, err);
    }
}

static int64_t qom_get_int(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) v = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': '%s',"
           " 'property': '%s'}}", path, prop);

    return json_node_get_int(v);
}

static void test_global(void)
{
    QTestState *s = qtest_init("-M q35 -global pcie-root-port.port=5 "
                               "-global driver=pcie-root-port,property=slot,"
                               "value=9 " RP " -device pcie-root-port,"
                               "id=rp2,chassis=2,slot=2");

    /* Applied to every instance; the device's own value wins. */
    g_assert_cmpint(qom_get_int(s, "/machine/peripheral/rp1", "port"), ==, 5);
    g_assert_cmpint(qom_get_int(s, "/machine/peripheral/rp2", "port"), ==, 5);
    g_assert_cmpint(qom_get_int(s, "/machine/peripheral/rp1", "slot"), ==, 1);
    qtest_quit(s);
}

static void test_global_errors(void)
{
    QTestState *s;
    g_autofree char *err = NULL, *args = NULL;

    expect_run("-M q35 -global pcie-root-port.port=300 " RP, 1, NULL,
               "vfio-viommu: " RP ": can't apply global "
               "pcie-root-port.port=300: Parameter 'port' expects uint8_t\n");
    expect_run("-M none -global driver=x", 1, NULL,
               "vfio-viommu: -global driver=x: Parameter 'property' is "
               "missing\n");
    expect_run("-M none -global driver=x,property=y,value=z,color=red", 1,
               NULL, "vfio-viommu: -global driver=x,property=y,value=z,"
               "color=red: Invalid parameter 'color'\n");
    /*
     * Unused globals only warn, as QEMU's; a bad one only warns on hot
     * plug too (a vfio-pci behind a root port: pcie.0 takes none).
     */
    args = g_strdup_printf("-host-sim %s/tests/data/hosts/intel-pasid.json "
                           "-M q35 -global nope.x=1 -global vfio-pci."
                           "x-vpasid-cap-offset=zzz -object iommufd,id=i0 "
                           RP, g_getenv("VV_SOURCE_ROOT"));
    s = qtest_init(args);
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments':"
                             " {'driver': 'vfio-pci', 'id': 'dev0',"
                             " 'host': '0000:01:00.0', 'iommufd': 'i0',"
                             " 'bus': 'rp1'}}");
    err = qtest_stderr(s);
    g_assert_nonnull(strstr(err, "vfio-viommu: warning: global nope.x has "
                            "invalid class name\n"));
    g_assert_nonnull(strstr(err, "vfio-viommu: warning: can't apply global "
                            "vfio-pci.x-vpasid-cap-offset=zzz: "));
    qtest_quit(s);
}

static char *read_file(const char *path)
{
    char *text = NULL;

    return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

static void test_pidfile(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-options-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "vm.pid", NULL);
    g_autofree char *args = g_strdup_printf("-M none -pidfile %s", pidfile);
    g_autofree char *expect = NULL, *text = NULL;
    QTestState *s = qtest_init(args);

    text = read_file(pidfile);
    expect = g_strdup_printf("%d\n", qtest_pid(s));
    g_assert_cmpstr(text, ==, expect);
    /* Locked while we run: a second instance cannot take it. */
    expect_run(args, 1, NULL, "vfio-viommu: cannot create PID file: Cannot "
               "lock pid file: Resource temporarily unavailable\n");
    qtest_quit(s);
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    expect_run("-M none -pidfile /nonexistent/vm.pid", 1, NULL,
               "vfio-viommu: cannot create PID file: Could not create "
               "'/nonexistent/vm.pid': No such file or directory\n");
    g_rmdir(dir);
}

static int connect_unix(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct timeval tv = { .tv_sec = 60 };

    strcpy(sun.sun_path, path);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

/* Read until @fd closes (the daemon exits); returns what came. */
static char *drain(int fd)
{
    GString *all = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        g_string_append_len(all, buf, n);
    }
    return g_string_free(all, false);
}

static void test_daemonize(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-options-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "vm.pid", NULL);
    g_autofree char *sock = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M none -daemonize -pidfile %s -qmp unix:%s,server=on,wait=off",
        pidfile, sock);
    g_autofree char *text = NULL, *replies = NULL;
    const char *cmds = "{\"execute\": \"qmp_capabilities\"}\n"
                       "{\"execute\": \"quit\"}\n";
    pid_t pid;
    int fd;

    /* The parent returns 0 once the daemon listens. */
    expect_run(args, 0, "", "");
    text = read_file(pidfile);
    g_assert_nonnull(text);
    pid = atoi(text);
    g_assert_cmpint(kill(pid, 0), ==, 0);
    fd = connect_unix(sock);
    g_assert_cmpint(write(fd, cmds, strlen(cmds)), ==, strlen(cmds));
    replies = drain(fd);
    g_assert_nonnull(strstr(replies, "{\"return\": {}}\r\n{\"return\": {}}"));
    close(fd);
    /* It removes its pid file as it goes. */
    while (kill(pid, 0) == 0) {
        g_usleep(10 * 1000);
    }
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    g_rmdir(dir);
}

static void test_daemonize_errors(void)
{
    /* The daemon's error reaches the caller, with its exit status. */
    expect_run("-daemonize -M bogus", 1, "",
               "vfio-viommu: -M bogus: unsupported machine type: \"bogus\"\n");
    expect_run("-daemonize -M none -monitor stdio", 1, "",
               "vfio-viommu: -monitor stdio: cannot use stdio with "
               "-daemonize\n");
    expect_run("-daemonize -M none -nographic", 1, "",
               "vfio-viommu: -nographic cannot be used with -daemonize\n");
}

static void test_vga_and_help(void)
{
    expect_run("-vga help", 0, "none                 no graphic card\n", "");
    expect_run("-accel help", 0,
               "Accelerators supported in QEMU binary:\nqtest\n", "");
    expect_run("-display help", 0,
               "Available display backend types:\nnone\n", "");
    expect_run("-M q35,help", 0,
               "There are no options for pc-q35-10.2-machine.\n", "");
    expect_run("-machine help", 0, NULL, "");
    expect_run("-M none -vga std", 1, NULL,
               "vfio-viommu: -vga std: standard VGA not available\n");
    expect_run("-M none -vga foo", 1, NULL,
               "vfio-viommu: -vga foo: unknown vga type: foo\n");
    expect_run("-M bogus,help", 1, NULL,
               "vfio-viommu: -M bogus,help: unsupported machine type: "
               "\"bogus\"\n");
}

static void test_machine_help_aliases(void)
{
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(qtest_run("-machine help", &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "\nq35                  Standard PC (Q35 + "
                            "ICH9, 2009) (alias of pc-q35-10.2)\n"
                            "pc-q35-10.2          Standard PC (Q35 + ICH9, "
                            "2009) (default)\n"));
    g_assert_nonnull(strstr(out, "\nnone                 empty machine\n"));
}

static void test_machine_none_ram(void)
{
    QTestState *s = qtest_init("-machine none -m 2M");

    qtest_writel(s, 0x1000, 0x12345678);
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0x12345678);
    qtest_qmp_expect_error(s, "GenericError", "No PCI bus available",
                           "{'execute': 'query-pci'}");
    qtest_quit(s);
}

static void test_query_name(void)
{
    QTestState *s = qtest_init("-M none -name guest=vm1,debug-threads=on");
    QTestState *t = qtest_init("-M none");
    g_autoptr(JsonNode) a = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-name'}");
    g_autoptr(JsonNode) b = qtest_qmp_assert_success_ref(
        t, "{'execute': 'query-name'}");

    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(a),
                                                  "name"), ==, "vm1");
    g_assert_cmpuint(json_object_get_size(json_node_get_object(b)), ==, 0);
    qtest_quit(s);
    qtest_quit(t);
    expect_run("-M none -name guest=x,color=red", 1, NULL,
               "vfio-viommu: -name guest=x,color=red: Invalid parameter "
               "'color'\n");
}

static void test_qom_set_and_lists(void)
{
    QTestState *s = qtest_init("-M q35 " RP " -object iommufd,id=i0");
    g_autoptr(JsonNode) props = NULL;
    bool fd = false;

    qtest_qmp_expect_error(s, "GenericError",
                           "Attempt to set property 'port' on device 'rp1' "
                           "(type 'pcie-root-port') after it was realized",
                           "{'execute': 'qom-set', 'arguments': {'path':"
                           " '/machine/peripheral/rp1', 'property': 'port',"
                           " 'value': 3}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Property 'pcie-root-port.nope' not found",
                           "{'execute': 'qom-set', 'arguments': {'path':"
                           " '/machine/peripheral/rp1', 'property': 'nope',"
                           " 'value': 3}}");
    qtest_qmp_expect_error(s, "DeviceNotFound", "Device '/nope' not found",
                           "{'execute': 'qom-set', 'arguments': {'path':"
                           " '/nope', 'property': 'x', 'value': 3}}");
    qtest_qmp_assert_success(s, "{'execute': 'qom-set', 'arguments':"
                             " {'path': '/objects/i0', 'property': 'fd',"
                             " 'value': '7'}}");
    props = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-properties', 'arguments':"
           " {'typename': 'iommufd'}}");
    for (guint i = 0; i < json_array_get_length(json_node_get_array(props));
         i++) {
        JsonObject *p = json_array_get_object_element(
            json_node_get_array(props), i);

        fd |= !strcmp(json_object_get_string_member(p, "name"), "fd");
    }
    g_assert_true(fd);
    qtest_qmp_expect_error(s, "DeviceNotFound", "Class 'nope' not found",
                           "{'execute': 'qom-list-properties', 'arguments':"
                           " {'typename': 'nope'}}");
    qtest_qmp_expect_error(s, "DeviceNotFound", "Device 'nope' not found",
                           "{'execute': 'device-list-properties',"
                           " 'arguments': {'typename': 'nope'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Parameter 'typename' expects a non-abstract "
                           "device type",
                           "{'execute': 'device-list-properties',"
                           " 'arguments': {'typename': 'iommufd'}}");
    qtest_quit(s);
}

static void test_add_fd_errors(void)
{
    int fd = memfd_create("inherited", 0);
    g_autofree char *args = g_strdup_printf("-M none -add-fd fd=%d", fd);
    g_autofree char *err = NULL;
    g_autofree char *expect = g_strdup_printf(
        "vfio-viommu: -add-fd fd=%d: set option is required and must be "
        "non-negative\n", fd);

    expect_run("-M none -add-fd set=2", 1, NULL,
               "vfio-viommu: -add-fd set=2: fd option is required and must "
               "be non-negative\n");
    expect_run("-M none -add-fd fd=1,set=2", 1, NULL,
               "vfio-viommu: -add-fd fd=1,set=2: fd cannot be a standard I/O "
               "stream\n");
    /* Nothing but 0-2 is inherited here: fd 200 is not ours to take. */
    expect_run("-M none -add-fd fd=200,set=2", 1, NULL,
               "vfio-viommu: -add-fd fd=200,set=2: fd is not valid or "
               "already in use\n");
    expect_run("-M none -add-fd fd=7,set=2,color=red", 1, NULL,
               "vfio-viommu: -add-fd fd=7,set=2,color=red: Invalid "
               "parameter 'color'\n");
    /* An inherited fd, but no set. */
    g_assert_cmpint(fd, >=, 0);
    g_assert_null(qtest_try_init_binary(g_getenv("VV_BINARY"), args, &err));
    g_assert_nonnull(strstr(err, expect));
    close(fd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/options/global", test_global);
    g_test_add_func("/options/global-errors", test_global_errors);
    g_test_add_func("/options/pidfile", test_pidfile);
    g_test_add_func("/options/daemonize", test_daemonize);
    g_test_add_func("/options/daemonize-errors", test_daemonize_errors);
    g_test_add_func("/options/vga-and-help", test_vga_and_help);
    g_test_add_func("/options/machine-help-aliases",
                    test_machine_help_aliases);
    g_test_add_func("/options/machine-none-ram", test_machine_none_ram);
    g_test_add_func("/options/query-name", test_query_name);
    g_test_add_func("/options/add-fd-errors", test_add_fd_errors);
    g_test_add_func("/options/qom-set-and-lists", test_qom_set_and_lists);
    return g_test_run();
}

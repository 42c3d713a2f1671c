/*
 * fd passing as libvirt does it, black box: fds sent over the QMP socket
 * (SCM_RIGHTS) with getfd and add-fd, or inherited and put in a set with
 * -add-fd, then used by name (fd=NAME) or as /dev/fdset/N by iommufd and
 * vfio-pci; everything closed again with nothing leaked.  The host is
 * simulated, so the "host" fds are the simulator's memfds.
 */
#define _GNU_SOURCE                 /* memfd_create() */
#include <dirent.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "libqtest.h"

#define SIM_IOMMU "vfio-viommu-sim:/dev/iommu"
#define SIM_VFIO0 "vfio-viommu-sim:/dev/vfio/devices/vfio0"
#define SIM_VFIO1 "vfio-viommu-sim:/dev/vfio/devices/vfio1"

static QTestState *start(const char *extra)
{
    g_autofree char *args = g_strdup_printf(
        "-host-sim %s/tests/data/hosts/intel-pasid.json -M q35 "
        "-device pcie-root-port,id=rp1,chassis=1,slot=1 "
        "-device pcie-root-port,id=rp2,chassis=2,slot=2 %s",
        g_getenv("VV_SOURCE_ROOT"), extra);

    return qtest_init(args);
}

/* The program's open fds, as /proc lists them. */
static unsigned open_fds(QTestState *s)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/fd", qtest_pid(s));
    DIR *d = opendir(path);
    unsigned n = 0;

    g_assert_nonnull(d);
    while (readdir(d)) {
        n++;
    }
    closedir(d);
    return n;
}

static int64_t sim_open_fds(QTestState *s)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-host-sim'}");

    return json_object_get_int_member(json_node_get_object(ret), "open-fds");
}

static void assert_reply_ok(JsonObject *rsp)
{
    g_assert_nonnull(rsp);
    g_assert_true(json_object_has_member(rsp, "return"));
    json_object_unref(rsp);
}

static void assert_reply_error(JsonObject *rsp, const char *desc)
{
    JsonObject *err;

    g_assert_nonnull(rsp);
    err = json_object_get_object_member(rsp, "error");
    g_assert_nonnull(err);
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    json_object_unref(rsp);
}

static void test_getfd_and_add_fd_used_then_released(void)
{
    QTestState *s = start("");
    unsigned fds_before = open_fds(s);
    int iommu = memfd_create(SIM_IOMMU, MFD_CLOEXEC);
    int vfio0 = memfd_create(SIM_VFIO0, MFD_CLOEXEC);
    int vfio1 = memfd_create(SIM_VFIO1, MFD_CLOEXEC);
    g_autoptr(JsonObject) added = NULL;
    g_autoptr(JsonNode) sets = NULL;
    JsonObject *info;

    assert_reply_ok(qtest_qmp_fds(s, &iommu, 1, "{'execute': 'getfd',"
                                  " 'arguments': {'fdname': 'iommu0'}}"));
    assert_reply_ok(qtest_qmp_fds(s, &vfio1, 1, "{'execute': 'getfd',"
                                  " 'arguments': {'fdname': 'nic'}}"));
    added = qtest_qmp_fds(s, &vfio0, 1, "{'execute': 'add-fd',"
                          " 'arguments': {'opaque': 'vfio0'}}");
    info = json_object_get_object_member(added, "return");
    g_assert_cmpint(json_object_get_int_member(info, "fdset-id"), ==, 0);
    close(iommu);
    close(vfio0);
    close(vfio1);
    sets = qtest_qmp_assert_success_ref(s, "{'execute': 'query-fdsets'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(sets)), ==,
                     1);
    qtest_qmp_assert_success(s, "{'execute': 'object-add', 'arguments':"
                             " {'qom-type': 'iommufd', 'id': 'iommufd0',"
                             " 'fd': 'iommu0'}}");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments':"
                             " {'driver': 'vfio-pci', 'id': 'dev0',"
                             " 'fd': '/dev/fdset/0', 'iommufd': 'iommufd0',"
                             " 'bus': 'rp1'}}");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments':"
                             " {'driver': 'vfio-pci', 'id': 'dev1',"
                             " 'fd': 'nic', 'iommufd': 'iommufd0',"
                             " 'bus': 'rp2'}}");
    /* A name is used once: the device took it. */
    qtest_qmp_expect_error(s, "GenericError",
                           "File descriptor named 'nic' not found",
                           "{'execute': 'closefd', 'arguments':"
                           " {'fdname': 'nic'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "object 'iommufd0' is in use, can not be deleted",
                           "{'execute': 'object-del', 'arguments':"
                           " {'id': 'iommufd0'}}");
    qtest_qmp_assert_success(s, "{'execute': 'device_del', 'arguments':"
                             " {'id': 'dev0'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'device_del', 'arguments':"
                             " {'id': 'dev1'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'object-del', 'arguments':"
                             " {'id': 'iommufd0'}}");
    qtest_qmp_assert_success(s, "{'execute': 'remove-fd', 'arguments':"
                             " {'fdset-id': 0}}");
    g_clear_pointer(&sets, json_node_unref);
    sets = qtest_qmp_assert_success_ref(s, "{'execute': 'query-fdsets'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(sets)), ==,
                     0);
    /* Nothing leaked: not in the simulator, not in the process. */
    g_assert_cmpint(sim_open_fds(s), ==, 0);
    g_assert_cmpuint(open_fds(s), ==, fds_before);
    qtest_quit(s);
}

/* -add-fd: an inherited fd joins a set; iommufd takes /dev/fdset/N. */
static void test_add_fd_option(void)
{
    int iommu = memfd_create(SIM_IOMMU, 0);
    g_autofree char *args = g_strdup_printf(
        "-add-fd fd=%d,set=3,opaque=iommu -object iommufd,id=iommufd0,"
        "fd=/dev/fdset/3 -device vfio-pci,host=0000:01:00.0,"
        "iommufd=iommufd0,id=dev0,bus=rp1", iommu);
    QTestState *s = start(args);
    g_autoptr(JsonNode) sets = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-fdsets'}");
    JsonObject *set = json_array_get_object_element(
        json_node_get_array(sets), 0);
    JsonObject *fd = json_array_get_object_element(
        json_object_get_array_member(set, "fds"), 0);

    g_assert_cmpint(json_object_get_int_member(set, "fdset-id"), ==, 3);
    g_assert_cmpstr(json_object_get_string_member(fd, "opaque"), ==,
                    "iommu");
    /* The device is up on the fd set's iommufd. */
    qtest_qmp_assert_success(s, "{'execute': 'qom-get', 'arguments':"
                             " {'path': '/machine/peripheral/dev0',"
                             " 'property': 'host'}}");
    qtest_quit(s);
    close(iommu);
}

static void test_bad_inputs(void)
{
    QTestState *s = start("");
    int fd = memfd_create("unused", MFD_CLOEXEC);

    qtest_qmp_expect_error(s, "GenericError",
                           "No file descriptor supplied via SCM_RIGHTS",
                           "{'execute': 'getfd', 'arguments':"
                           " {'fdname': 'x'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "No file descriptor supplied via SCM_RIGHTS",
                           "{'execute': 'add-fd'}");
    assert_reply_error(qtest_qmp_fds(s, &fd, 1, "{'execute': 'getfd',"
                                     " 'arguments': {'fdname': '1x'}}"),
                       "Parameter 'fdname' expects a name not starting "
                       "with a digit");
    assert_reply_error(qtest_qmp_fds(s, &fd, 1, "{'execute': 'add-fd',"
                                     " 'arguments': {'fdset-id': -1}}"),
                       "Parameter 'fdset-id' expects a non-negative value");
    qtest_qmp_expect_error(s, "GenericError",
                           "Invalid parameter type for 'fdname', expected: "
                           "string",
                           "{'execute': 'getfd', 'arguments':"
                           " {'fdname': 1}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "File descriptor named 'nope' not found",
                           "{'execute': 'closefd', 'arguments':"
                           " {'fdname': 'nope'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "File descriptor named 'fdset-id:7' not found",
                           "{'execute': 'remove-fd', 'arguments':"
                           " {'fdset-id': 7}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "File descriptor named 'fdset-id:7, fd:3' not "
                           "found",
                           "{'execute': 'remove-fd', 'arguments':"
                           " {'fdset-id': 7, 'fd': 3}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "File descriptor named 'nope' has not been found",
                           "{'execute': 'object-add', 'arguments':"
                           " {'qom-type': 'iommufd', 'id': 'i0',"
                           " 'fd': 'nope'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Could not open '/dev/fdset/9': No such file or "
                           "directory",
                           "{'execute': 'object-add', 'arguments':"
                           " {'qom-type': 'iommufd', 'id': 'i0',"
                           " 'fd': '/dev/fdset/9'}}");
    qtest_qmp_expect_error(s, "GenericError", "object 'nope' not found",
                           "{'execute': 'object-del', 'arguments':"
                           " {'id': 'nope'}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Parameter 'qom-type' does not accept value "
                           "'nope'",
                           "{'execute': 'object-add', 'arguments':"
                           " {'qom-type': 'nope', 'id': 'i0'}}");
    close(fd);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fd-passing/getfd-add-fd/used-then-released",
                    test_getfd_and_add_fd_used_then_released);
    g_test_add_func("/fd-passing/add-fd-option", test_add_fd_option);
    g_test_add_func("/fd-passing/bad-inputs", test_bad_inputs);
    return g_test_run();
}

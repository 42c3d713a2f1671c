/*
 * HMP through human-monitor-command, black box: "help info" lists only
 * the info commands, arguments a command does not take are refused with
 * QEMU's "extraneous characters" message, device_add/device_del work as
 * the QMP commands do.
 */
#include <string.h>

#include <glib.h>

#include "libqtest.h"

static QTestState *start(void)
{
    g_autofree char *args = g_strdup_printf(
        "-host-sim %s/tests/data/hosts/intel-pasid.json -M q35 "
        "-object iommufd,id=i0 "
        "-device pcie-root-port,id=rp1,chassis=1,slot=1",
        g_getenv("VV_SOURCE_ROOT"));

    return qtest_init(args);
}

static void test_help(void)
{
    QTestState *s = start();
    g_autofree char *infos = qtest_hmp(s, "help info");
    g_autofree char *quit = qtest_hmp(s, "help quit");
    g_autofree char *q = qtest_hmp(s, "help q");
    g_autofree char *nope = qtest_hmp(s, "help nope");
    g_autofree char *all = qtest_hmp(s, "help");
    g_auto(GStrv) lines = g_strsplit(infos, "\r\n", -1);

    for (int i = 0; lines[i] && *lines[i]; i++) {
        g_assert_true(g_str_has_prefix(lines[i], "info "));
    }
    g_assert_nonnull(strstr(infos, "info status  -- "));
    g_assert_cmpstr(quit, ==, "quit|q  -- quit the emulator\r\n");
    g_assert_cmpstr(q, ==, quit);
    g_assert_cmpstr(nope, ==, "unknown command: 'nope'\r\n");
    g_assert_nonnull(strstr(all, "device_add driver[,prop=value][,...]  -- "));
    g_assert_nonnull(strstr(all, "\r\ninfo status  -- "));
    qtest_quit(s);
}

static void test_extraneous(void)
{
    QTestState *s = start();
    g_autofree char *quit = qtest_hmp(s, "quit now");
    g_autofree char *stop = qtest_hmp(s, "s 1");
    g_autofree char *status = qtest_hmp(s, "info status please");
    g_autofree char *unknown = qtest_hmp(s, "info nope x");
    g_autofree char *missing = qtest_hmp(s, "device_del");

    g_assert_cmpstr(quit, ==,
                    "quit|q: extraneous characters at the end of line\r\n");
    g_assert_cmpstr(stop, ==,
                    "stop|s: extraneous characters at the end of line\r\n");
    g_assert_cmpstr(status, ==,
                    "status: extraneous characters at the end of line\r\n");
    g_assert_cmpstr(unknown, ==, "unknown command: 'info nope'\r\n");
    g_assert_cmpstr(missing, ==, "device_del: missing argument\r\n");
    /* Nothing ran: still up and running. */
    g_free(quit);
    quit = qtest_hmp(s, "info status");
    g_assert_cmpstr(quit, ==, "VM status: running\r\n");
    qtest_quit(s);
}

static void test_device_add_del(void)
{
    QTestState *s = start();
    g_autofree char *add = qtest_hmp(
        s, "device_add vfio-pci,host=0000:01:00.0,iommufd=i0,id=dev0,"
           "bus=rp1");
    g_autofree char *again = qtest_hmp(
        s, "device_add vfio-pci,host=0000:01:00.0,iommufd=i0,id=dev0,"
           "bus=rp1");
    g_autofree char *bad = qtest_hmp(s, "device_add nope");
    g_autofree char *del = NULL, *del_again = NULL;

    g_assert_cmpstr(add, ==, "");
    g_assert_cmpstr(again, ==, "Error: Duplicate ID 'dev0' for device\r\n");
    g_assert_cmpstr(bad, ==,
                    "Error: 'nope' is not a valid device model name\r\n");
    del = qtest_hmp(s, "device_del dev0");
    g_assert_cmpstr(del, ==, "");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    del_again = qtest_hmp(s, "device_del dev0");
    g_assert_cmpstr(del_again, ==, "Error: Device 'dev0' not found\r\n");
    qtest_quit(s);
}

static void test_info_qom_tree(void)
{
    QTestState *s = start();
    g_autofree char *tree = qtest_hmp(s, "info qom-tree");

    g_assert_true(g_str_has_prefix(tree, "/ ("));
    g_assert_nonnull(strstr(tree, "\r\n  /machine ("));
    g_assert_nonnull(strstr(tree, "\r\n    /peripheral (container)\r\n"
                                  "      /rp1 (pcie-root-port)\r\n"));
    g_assert_nonnull(strstr(tree, "\r\n  /objects (container)\r\n"
                                  "    /i0 (iommufd)\r\n"));
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hmp/help", test_help);
    g_test_add_func("/hmp/extraneous-characters", test_extraneous);
    g_test_add_func("/hmp/device-add-del", test_device_add_del);
    g_test_add_func("/hmp/info-qom-tree", test_info_qom_tree);
    return g_test_run();
}

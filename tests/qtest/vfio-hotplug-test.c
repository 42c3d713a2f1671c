/*
 * vfio-pci hot plug and unplug over QMP, black box: device_add runs the
 * same realize path (PASID capability, one GET_HW_INFO), device_del
 * releases everything and DEVICE_DELETED follows, the iommufd backend
 * outlives its last user, and a fault at every host call of device_add
 * gives an error with the rest of the VM unchanged.  As on QEMU's q35,
 * hot plug goes below a root port, never onto pcie.0.  The vIOMMU has an
 * explicit pasid=20: with pasid=auto and no cold-plugged PASID device it
 * would resolve to 0 and hot-plugged devices would get no capability.
 */
#include <string.h>

#include "libqtest.h"

#define BDF_PASID "0000:01:00.0"
#define BDF_NIC "0000:02:00.0"
/* Hot plug goes below root port rp0 (00:03.0, secondary bus 3). */
#define DEV_RP0 QPCI_BDF(0, 3, 0)
#define DEV_VFIO QPCI_BDF(3, 0, 0)
#define DEV_NIC QPCI_BDF(0, 4, 0)
#define DEV_RP QPCI_BDF(0, 2, 0)
#define PCI_EXT_ID_PASID 0x1b
#define VTD_ECAP 0xfed90010ULL
#define SLTSTA_PDS 0x0040

#define ADD_PASID "{'execute': 'device_add', 'arguments': {" \
                  "'driver': 'vfio-pci', 'host': '" BDF_PASID "', " \
                  "'iommufd': 'iommufd0', 'id': 'hostdev0', 'bus': 'rp0'}}"

static QTestState *start(const char *devices)
{
    g_autofree char *args = g_strdup_printf(
        "-host-sim %s/tests/data/hosts/intel-pasid.json -M q35 "
        "-object iommufd,id=iommufd0 -device intel-iommu,x-scalable-mode=on,x-flts=on,"
        "caching-mode=on,pasid=20 -device pcie-root-port,id=rp0,chassis=9,"
        "slot=9,addr=3 %s", g_getenv("VV_SOURCE_ROOT"), devices);
    QTestState *s = qtest_init(args);

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    /* Bus numbers as firmware gives them: rp0's secondary bus is 3. */
    qtest_ecam_writel(s, DEV_RP0, 0x18, 0x00030300);
    return s;
}

static JsonNode *host_sim(QTestState *s)
{
    return qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-host-sim'}");
}

static int64_t sim_get(QTestState *s, const char *member)
{
    g_autoptr(JsonNode) n = host_sim(s);

    return json_object_get_int_member(json_node_get_object(n), member);
}

static int64_t sim_dev_count(QTestState *s, const char *bdf, const char *cmd)
{
    g_autoptr(JsonNode) n = host_sim(s);
    JsonArray *devs = json_object_get_array_member(json_node_get_object(n),
                                                   "devices");

    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!strcmp(json_object_get_string_member(d, "bdf"), bdf)) {
            return json_object_get_int_member_with_default(
                json_object_get_object_member(d, "calls"), cmd, 0);
        }
    }
    g_assert_not_reached();
}

static void device_del(QTestState *s, const char *id)
{
    g_autoptr(JsonObject) ev = NULL;

    qtest_qmp_assert_success(s, "{'execute': 'device_del', 'arguments': "
                             "{'id': '%s'}}", id);
    ev = qtest_qmp_eventwait_ref(s, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "device"), ==, id);
}

/* As QEMU's q35: a root-bus function has no slot to announce it. */
static void test_root_bus_refuses_hotplug(void)
{
    QTestState *s = start("");

    qtest_qmp_expect_error(s, "GenericError", "Bus 'pcie.0' does not "
                           "support hotplugging",
                           "{'execute': 'device_add', 'arguments': {"
                           "'driver': 'vfio-pci', 'host': '" BDF_PASID "', "
                           "'iommufd': 'iommufd0', 'id': 'hostdev0'}}");
    qtest_qmp_expect_error(s, "GenericError", "Bus 'pcie.0' does not "
                           "support hotplugging",
                           "{'execute': 'device_add', 'arguments': {"
                           "'driver': 'pcie-root-port', 'id': 'rp1', "
                           "'chassis': '1'}}");
    qtest_qmp_expect_error(s, "GenericError", "Bus 'pcie.0' does not "
                           "support hotplugging",
                           "{'execute': 'device_del', 'arguments': "
                           "{'id': 'rp0'}}");
    g_assert_cmpint(sim_get(s, "open-fds"), ==, 0);
    qtest_quit(s);
}

static void test_plug_unplug_replug(void)
{
    QTestState *s = start("-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0,"
                          "id=nic0,addr=4");
    int64_t fds = sim_get(s, "open-fds");
    int64_t objs = sim_get(s, "live-objects");

    for (int round = 0; round < 2; round++) {
        qtest_qmp_assert_success(s, ADD_PASID);
        g_assert_cmphex(qtest_ecam_find_ext_cap(s, DEV_VFIO,
                                                PCI_EXT_ID_PASID), ==, 0xff8);
        g_assert_cmphex(qtest_ecam_readw(s, DEV_VFIO, 0xff8 + 4), ==, 0x1406);
        g_assert_cmpint(sim_dev_count(s, BDF_PASID, "GET_HW_INFO"), ==,
                        round + 1);
        device_del(s, "hostdev0");
        g_assert_cmphex(qtest_ecam_readl(s, DEV_VFIO, 0), ==, 0xffffffff);
        g_assert_cmpint(sim_get(s, "open-fds"), ==, fds);
        g_assert_cmpint(sim_get(s, "live-objects"), ==, objs);
    }
    /* The cold-plugged NIC never noticed, and was asked once. */
    g_assert_cmpint(sim_dev_count(s, BDF_NIC, "GET_HW_INFO"), ==, 1);
    qtest_quit(s);
}

/*
 * A device costs at most ten host calls: the cdev listing, open, bind,
 * attach, one GET_HW_INFO, GET_INFO, the config region and its read,
 * then only the implemented BARs (one here) and the ROM.
 */
static void test_host_calls_per_device(void)
{
    QTestState *s = start("-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0,"
                          "id=nic0,addr=4");
    int64_t before = sim_get(s, "total-calls");

    qtest_qmp_assert_success(s, ADD_PASID);
    g_assert_cmpint(sim_get(s, "total-calls") - before, ==, 10);
    g_assert_cmpint(sim_dev_count(s, BDF_PASID, "GET_HW_INFO"), ==, 1);
    g_assert_cmpint(sim_dev_count(s, BDF_PASID, "GET_REGION_INFO"), ==, 3);
    g_assert_cmpint(sim_dev_count(s, BDF_NIC, "GET_HW_INFO"), ==, 1);
    qtest_quit(s);
}

/* The last user going away leaves the backend usable. */
static void test_backend_outlives_last_user(void)
{
    QTestState *s = start("");
    int64_t fds = sim_get(s, "open-fds");

    qtest_qmp_assert_success(s, ADD_PASID);
    device_del(s, "hostdev0");
    g_assert_cmpint(sim_get(s, "open-fds"), ==, fds);
    qtest_qmp_assert_success(s, ADD_PASID);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, DEV_VFIO, PCI_EXT_ID_PASID),
                    ==, 0xff8);
    qtest_quit(s);
}

static void test_hotplug_below_root_port(void)
{
    QTestState *s = start("-device pcie-root-port,id=rp1,chassis=1,slot=1,"
                          "addr=2");
    uint16_t sltsta;

    qtest_ecam_writel(s, DEV_RP, 0x18, 0x00010100);
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': {"
                             "'driver': 'vfio-pci', 'host': '" BDF_PASID "', "
                             "'iommufd': 'iommufd0', 'id': 'hostdev0', "
                             "'bus': 'rp1'}}");
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, QPCI_BDF(1, 0, 0),
                                            PCI_EXT_ID_PASID), ==, 0xff8);
    sltsta = qtest_ecam_readw(s, DEV_RP, 0x40 + 0x1a);
    g_assert_true(sltsta & SLTSTA_PDS);
    device_del(s, "hostdev0");
    sltsta = qtest_ecam_readw(s, DEV_RP, 0x40 + 0x1a);
    g_assert_false(sltsta & SLTSTA_PDS);
    qtest_quit(s);
}

/*
 * A root port on q35's root bus cannot be unplugged (QEMU's message);
 * the device below it can, and nothing else goes.
 */
static void test_delete_port_refused(void)
{
    QTestState *s = start("-device pcie-root-port,id=rp1,chassis=1,slot=1,"
                          "addr=2 -device vfio-pci,host=" BDF_PASID ","
                          "iommufd=iommufd0,id=hostdev0,bus=rp1");

    qtest_qmp_expect_error(s, "GenericError", "Bus 'pcie.0' does not "
                           "support hotplugging",
                           "{'execute': 'device_del', 'arguments': "
                           "{'id': 'rp1'}}");
    g_assert_cmpint(sim_get(s, "open-fds"), >, 0);
    device_del(s, "hostdev0");
    g_assert_cmpint(sim_get(s, "open-fds"), ==, 0);
    qtest_quit(s);
}

/* x-query-viommu shows where the guest sees a device now. */
static void test_bdf_follows_guest(void)
{
    QTestState *s = start("-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0,"
                          "id=nic0,bus=rp0");
    g_autoptr(JsonNode) n = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-viommu'}");
    JsonObject *v = json_array_get_object_element(json_node_get_array(n), 0);
    JsonObject *d = json_array_get_object_element(
        json_object_get_array_member(v, "devices"), 0);

    /* start() numbered rp0's secondary bus 3 after the device came. */
    g_assert_cmpstr(json_object_get_string_member(d, "bdf"), ==,
                    "0000:03:00.0");
    qtest_quit(s);
}

/* How many devices the vIOMMU holds. */
static unsigned viommu_devices(QTestState *s)
{
    g_autoptr(JsonNode) n = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-viommu'}");
    JsonObject *v = json_array_get_object_element(json_node_get_array(n), 0);

    return json_array_get_length(json_object_get_array_member(v, "devices"));
}

static void test_bad_offset_over_qmp(void)
{
    QTestState *s = start("");

    qtest_qmp_expect_error(s, "GenericError", "vfio " BDF_PASID ": vfio: "
                           "Placing PASID capability at offset 0x104 failed: "
                           "PASID capability at 0x104 (size 0x8) overlaps the "
                           "body of the AER capability at 0x100 "
                           "(0x104-0x12b)",
                           "{'execute': 'device_add', 'arguments': {"
                           "'driver': 'vfio-pci', 'host': '" BDF_PASID "', "
                           "'iommufd': 'iommufd0', 'id': 'hostdev0', "
                           "'bus': 'rp0', 'x-vpasid-cap-offset': '0x104'}}");
    /* The vIOMMU had accepted it before the capability step failed. */
    g_assert_cmpuint(viommu_devices(s), ==, 0);
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': {"
                             "'driver': 'vfio-pci', 'host': '" BDF_NIC "', "
                             "'iommufd': 'iommufd0', 'id': 'nic', "
                             "'bus': 'rp0'}}");
    g_assert_cmpuint(viommu_devices(s), ==, 1);
    qtest_quit(s);
}

/* The VM's visible state that a failed device_add must not change. */
static char *vm_state(QTestState *s)
{
    g_autofree char *pci = qtest_hmp(s, "info pci");

    return g_strdup_printf("%s|%" G_GINT64_MODIFIER "x|%" G_GINT64_FORMAT
                           "|%" G_GINT64_FORMAT, pci,
                           qtest_readq(s, VTD_ECAP), sim_get(s, "open-fds"),
                           sim_get(s, "live-objects"));
}

/* Fail each host call of device_add in turn. */
static void test_fault_every_device_add_call(void)
{
    QTestState *s = start("-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0,"
                          "id=nic0,addr=4");
    g_autofree char *before = vm_state(s);
    int n;

    for (n = 1; n < 200; n++) {
        g_autoptr(JsonObject) reply = NULL;
        g_autofree char *after = NULL;

        qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                                 "'arguments': {'spec': 'nth=%d'}}", n);
        reply = qtest_qmp(s, ADD_PASID);
        if (json_object_has_member(reply, "return")) {
            break;
        }
        g_assert_true(json_object_has_member(reply, "error"));
        qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                                 "'arguments': {'spec': 'none'}}");
        after = vm_state(s);
        g_assert_cmpstr(after, ==, before);
    }
    qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                             "'arguments': {'spec': 'none'}}");
    g_assert_cmpint(n, >, 5);
    g_assert_cmpint(n, <, 200);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, DEV_VFIO, PCI_EXT_ID_PASID),
                    ==, 0xff8);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-hotplug/bdf-follows-guest-numbering",
                    test_bdf_follows_guest);
    g_test_add_func("/vfio-hotplug/root-bus-refuses-hotplug",
                    test_root_bus_refuses_hotplug);
    g_test_add_func("/vfio-hotplug/plug-unplug-replug-root-port",
                    test_plug_unplug_replug);
    g_test_add_func("/vfio-hotplug/ten-host-calls-a-device",
                    test_host_calls_per_device);
    g_test_add_func("/vfio-hotplug/backend-outlives-last-user",
                    test_backend_outlives_last_user);
    g_test_add_func("/vfio-hotplug/below-root-port-slot-presence",
                    test_hotplug_below_root_port);
    g_test_add_func("/vfio-hotplug/delete-root-port-refused",
                    test_delete_port_refused);
    g_test_add_func("/vfio-hotplug/bad-offset-refused-over-qmp",
                    test_bad_offset_over_qmp);
    g_test_add_func("/vfio-hotplug/fault-at-every-call-vm-unchanged",
                    test_fault_every_device_add_call);
    return g_test_run();
}

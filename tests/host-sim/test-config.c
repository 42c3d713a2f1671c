/*
 * A device's config space as the simulated host vfio-pci shows it: built
 * from a capability list or a hex dump, PASID unlinked wherever it sits,
 * and writes honouring the registers' masks.  Also the QMP view.
 */
#include "sim-test.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "monitor/monitor.h"

#define HOST_HEAD \
    "{\"iommus\":[{\"id\":\"d0\",\"type\":\"intel-vtd\",\"cap\":0," \
    "\"ecap\":\"0x0000099800000000\"}],\"devices\":[{\"bdf\":\"0000:01:00.0\"," \
    "\"iommu\":\"d0\","

static char *tmp_host(const char *device_json)
{
    g_autofree char *json = g_strdup_printf(HOST_HEAD "%s}]}", device_json);
    char *path = NULL;
    int fd = g_file_open_tmp("host-sim-cfg-XXXXXX.json", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, json, -1, NULL));
    return path;
}

static void start_tmp(const char *device_json, SimBound *b)
{
    g_autofree char *path = tmp_host(device_json);
    Error *err = NULL;

    if (!host_sim_start(path, &err)) {
        g_error("%s", err->message);
    }
    g_unlink(path);
    sim_bound_open(b, 0);
}

static uint32_t rd32(SimBound *b, unsigned off)
{
    uint32_t v = 0;

    g_assert_cmpint(host_pread(b->devfd, &v, 4, (7ull << 40) + off), ==, 4);
    return v;
}

static void wr32(SimBound *b, unsigned off, uint32_t v)
{
    g_assert_cmpint(host_pwrite(b->devfd, &v, 4, (7ull << 40) + off), ==, 4);
}

static void stop(SimBound *b)
{
    sim_bound_close(b);
    host_sim_stop();
}

static void test_pasid_first(void)
{
    SimBound b;
    struct iommu_hw_info info = { .size = sizeof(info) };

    start_tmp("\"vendor\":1,\"device\":2,\"capabilities\":["
              "{\"type\":\"pasid\",\"width\":16,\"exec\":true},"
              "{\"type\":\"ats\"}],\"host-pasid\":{\"enabled\":true,"
              "\"exec\":true}", &b);
    /* The first capability cannot be skipped: its ID and version read 0. */
    g_assert_cmphex(rd32(&b, 0x100), ==, 0x108u << 20);
    g_assert_cmphex(rd32(&b, 0x108) & 0xfffff, ==, 0x1000f);
    info.dev_id = b.devid;
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    /* ECAP.PSS = 19 → 20 bits; the device has 16. */
    g_assert_cmpuint(info.out_max_pasid_log2, ==, 16);
    g_assert_cmpuint(info.out_capabilities, ==, IOMMU_HW_CAP_PCI_PASID_EXEC);
    stop(&b);
}

static void test_hex_dump(void)
{
    GString *hex = g_string_new("\"config\":\"");
    uint8_t cfg[0x110] = { 0x86, 0x80, 0x34, 0x12 };
    SimBound b;
    struct iommu_hw_info info = { .size = sizeof(info) };

    /* PASID (20 bits) at 0x100 with the next capability, ATS, at 0x108 */
    cfg[0x100] = 0x1b;
    cfg[0x102] = 0x81;
    cfg[0x103] = 0x10;
    cfg[0x105] = 20;
    cfg[0x108] = 0x0f;
    cfg[0x10a] = 0x01;
    for (unsigned i = 0; i < sizeof(cfg); i++) {
        g_string_append_printf(hex, "%02x%s", cfg[i], i % 16 == 15 ? " " : "");
    }
    g_string_append(hex, "\"");
    start_tmp(hex->str, &b);
    g_string_free(hex, true);
    g_assert_cmphex(rd32(&b, 0), ==, 0x12348086);
    g_assert_cmphex(rd32(&b, 0x100), ==, 0x108u << 20);
    info.dev_id = b.devid;
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_max_pasid_log2, ==, 20);
    stop(&b);
}

static void test_writes(void)
{
    SimBound b;
    struct vfio_irq_info irq = { .argsz = sizeof(irq) };

    start_tmp("\"vendor\":1,\"device\":2,\"bars\":[{\"index\":0,\"size\":"
              "\"0x4000\",\"type\":\"mem64\"},{\"index\":2,\"size\":256,"
              "\"type\":\"io\"}],\"capabilities\":[{\"type\":\"msix\","
              "\"table-size\":4}]", &b);
    wr32(&b, 0x10, 0xffffffff);
    wr32(&b, 0x14, 0xffffffff);
    wr32(&b, 0x18, 0xffffffff);
    g_assert_cmphex(rd32(&b, 0x10), ==, 0xffffc004);  /* sized, 64-bit */
    g_assert_cmphex(rd32(&b, 0x14), ==, 0xffffffff);
    g_assert_cmphex(rd32(&b, 0x18), ==, 0xffffff01);  /* I/O, 256 bytes */
    wr32(&b, 0x40, 0xc0000000);                       /* MSI-X enable+mask */
    g_assert_cmphex(rd32(&b, 0x40), ==, 0xc0030011);
    /* A reset puts the device back as it came. */
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_RESET, NULL);
    g_assert_cmphex(rd32(&b, 0x10), ==, 0x4);
    g_assert_cmphex(rd32(&b, 0x40), ==, 0x00030011);
    irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_GET_IRQ_INFO, &irq);
    g_assert_cmpuint(irq.count, ==, 4);
    irq.index = VFIO_PCI_MSI_IRQ_INDEX;
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_GET_IRQ_INFO, &irq);
    g_assert_cmpuint(irq.count, ==, 0);
    stop(&b);
}

static void test_qmp(void)
{
    g_autoptr(JsonObject) args = json_object_new();
    JsonNode *ret;
    JsonObject *o;
    JsonArray *devs;
    Error *err = NULL;
    SimBound b;

    host_sim_monitor_register();
    g_assert_null(qmp_dispatch_command("x-query-host-sim", args, &err));
    g_assert_cmpstr(err->message, ==,
                    "the host is not simulated (no -host-sim)");
    g_clear_error(&err);
    sim_start(SIM_INTEL);
    sim_bound_open(&b, 0);
    json_object_set_string_member(args, "spec", "nth=2");
    ret = qmp_dispatch_command("x-host-sim-fault", args, &err);
    g_assert_nonnull(ret);
    json_node_unref(ret);
    json_object_set_string_member(args, "spec", "none");
    json_node_unref(qmp_dispatch_command("x-host-sim-fault", args, &err));
    /* x-query-host-sim takes no arguments (a "spec" would be refused). */
    json_object_remove_member(args, "spec");
    ret = qmp_dispatch_command("x-query-host-sim", args, &err);
    o = json_node_get_object(ret);
    g_assert_cmpint(json_object_get_int_member(o, "open-fds"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(
        json_object_get_object_member(o, "calls"), "BIND_IOMMUFD"), ==, 1);
    devs = json_object_get_array_member(o, "devices");
    g_assert_cmpuint(json_array_get_length(devs), ==, 2);
    g_assert_true(json_object_get_boolean_member(
        json_array_get_object_element(devs, 0), "bound"));
    g_assert_cmpstr(json_object_get_string_member(
        json_array_get_object_element(devs, 1), "cdev"), ==,
        "/dev/vfio/devices/vfio1");
    json_node_unref(ret);
    stop(&b);
    qmp_unregister_all();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/config/pasid-first-in-chain-nulled",
                    test_pasid_first);
    g_test_add_func("/host-sim/config/hex-dump", test_hex_dump);
    g_test_add_func("/host-sim/config/writes-bars-msix-reset", test_writes);
    g_test_add_func("/host-sim/qmp/x-query-host-sim", test_qmp);
    return g_test_run();
}

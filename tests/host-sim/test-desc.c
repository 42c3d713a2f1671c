/*
 * Host descriptions (every shipped one loads; each bad one gives one
 * clear error naming the file, the JSON path and the problem) and fault
 * injection.
 */
#include "sim-test.h"
#include "system/host-sim/internal.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

static void test_shipped_hosts(void)
{
    static const char *const files[] = {
        "intel-pasid.json", "intel-pasid-dmar1-pss7.json",
        "intel-pasid-dmar1-no-pasid.json", "intel-pasid-dmar1-mgaw39.json",
        "intel-pasid-host-disabled.json", "intel-pasid-width8.json",
        "intel-pasid-mixed-smmuv3.json", "arm-smmuv3-two-ssidsize.json",
        "scale-256.json", "intel-pasid-dmar1-no-flts.json",
        "intel-pasid-dirty.json",
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(files); i++) {
        sim_start(files[i]);
        g_assert_true(host_is_simulated());
        host_sim_stop();
        g_assert_false(host_is_simulated());
    }
}

static void test_scale(void)
{
    g_auto(GStrv) devs = NULL;
    g_autofree char *last = NULL;
    SimBound b;

    sim_start("scale-256.json");
    /* A described device is made when first named, not by a listing. */
    devs = host_list_dir("/sys/bus/pci/devices");
    g_assert_cmpuint(g_strv_length(devs), ==, 256);
    g_assert_cmpstr(devs[255], ==, "0000:08:1f.0");
    g_assert_cmpuint(g_hash_table_size(sim_host_current()->devices), ==, 0);
    last = host_read_file("/sys/bus/pci/devices/0000:08:1f.0/vfio-dev/"
                          "vfio255/dev");
    g_assert_cmpstr(last, ==, "511:255\n");
    sim_bound_open(&b, 255);
    g_assert_cmpuint(g_hash_table_size(sim_host_current()->devices), ==, 1);
    sim_bound_close(&b);
    host_sim_stop();
}

typedef struct BadHost {
    const char *json;
    const char *error;              /* after "FILE: " */
} BadHost;

static const char *const iommu_ok =
    "{\"id\":\"d0\",\"type\":\"intel-vtd\",\"cap\":1,\"ecap\":2}";

static const BadHost bad_hosts[] = {
    { "{\"iommus\": [ 1 ", "1:14: Parse error: unexpected number `1', expected character `,'" },
    /* json-glib would leak the first value (fuzz corpus "two-values") */
    { "2{\"iommus\": []}", "Expecting at most one JSON value" },
    { "[]", "$: expected an object" },
    { "{\"iommus\":[]}", "$.iommus: must not be empty" },
    { "{\"iommus\":[%s],\"devices\":[],\"x\":1}", "$.x: unknown member" },
    { "{\"iommus\":[%s]}", "$.devices: missing" },
    { "{\"iommus\":[{\"id\":\"a\",\"type\":\"amd-iommu\"}],\"devices\":[{}]}",
      "$.iommus[0].type: unknown IOMMU type 'amd-iommu' (expected "
      "'intel-vtd', 'arm-smmuv3' or 'amd-vi')" },
    { "{\"iommus\":[{\"id\":\"a\",\"type\":\"amd-vi\","
      "\"pasid-width\":21}],\"devices\":[]}",
      "$.iommus[0].pasid-width: 21 is out of range (at most 20)" },
    { "{\"iommus\":[{\"id\":\"a\",\"type\":\"intel-vtd\",\"cap\":\"0xzz\","
      "\"ecap\":0}],\"devices\":[{}]}",
      "$.iommus[0].cap: expected a non-negative integer or a \"0x...\" "
      "string" },
    { "{\"iommus\":[{\"id\":\"a\",\"type\":\"arm-smmuv3\",\"idr\":[1,2]}],"
      "\"devices\":[{}]}",
      "$.iommus[0].idr: expected 6 registers (IDR0..IDR5), got 2" },
    { "{\"iommus\":[%s,%s],\"devices\":[{}]}",
      "$.iommus[1].id: duplicate IOMMU id 'd0'" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"1:0.0\",\"iommu\":\"d0\"}]}",
      "$.devices[0].bdf: '1:0.0' is not a PCI address of the form "
      "0000:BB:DD.F" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d9\"}]}", "$.devices[0].iommu: no IOMMU with id 'd9'" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1}]}", "$.devices[0].device: missing" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"capabilities\":"
      "[{\"type\":\"pasid\",\"width\":21}]}]}",
      "$.devices[0].capabilities[0].width: 21 is out of range (at most 20)" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"capabilities\":"
      "[{\"type\":\"ats\"},{\"type\":\"pri\",\"offset\":\"0x104\"}]}]}",
      "$.devices[0].capabilities[1]: capability 'pri' at 0x104 overlaps "
      "another capability at 0x104" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"capabilities\":"
      "[{\"type\":\"warp\"}]}]}",
      "$.devices[0].capabilities[0].type: unknown capability type warp" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"host-pasid\":"
      "{\"enabled\":true}}]}",
      "$.devices[0].host-pasid: the device has no PASID capability" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"bars\":[{\"index\":0,"
      "\"size\":100}]}]}",
      "$.devices[0].bars[0].size: 0x64 is not a valid BAR size" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2},{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2}]}",
      "$.devices[1].bdf: duplicate device 0000:01:00.0" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:ff:1f.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"count\":2}]}",
      "$.devices[0].count: 2 devices from 0000:ff:1f.0 do not fit below "
      "bus 0xff" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"count\":0}]}",
      "$.devices[0].count: 0 is out of range (at least 1)" },
    /* at most 4096 devices in all, however they are listed */
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"count\":4096},"
      "{\"bdf\":\"0000:f0:00.0\",\"iommu\":\"d0\",\"vendor\":1,"
      "\"device\":2}]}",
      "$.devices[1]: more than 4096 devices in the description" },
    { "{\"iommus\":[%s],\"devices\":[{\"bdf\":\"0000:01:00.0\","
      "\"iommu\":\"d0\",\"config\":\"0102\"}]}",
      "$.devices[0].config: 2 bytes, at least the 64-byte header is needed" },
};

static void test_bad_host(gconstpointer data)
{
    const BadHost *bad = data;
    g_autofree char *path = NULL;
    g_autofree char *json = g_strdup_printf(bad->json, iommu_ok, iommu_ok);
    g_autofree char *want = NULL;
    Error *err = NULL;
    int fd = g_file_open_tmp("host-sim-XXXXXX.json", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, json, -1, NULL));
    g_assert_false(host_sim_start(path, &err));
    want = g_strdup_printf("%s%s%s", path,
                           g_ascii_isdigit(bad->error[0]) ? ":" : ": ",
                           bad->error);
    g_assert_cmpstr(err->message, ==, want);
    g_assert_false(host_is_simulated());
    error_free(err);
    g_unlink(path);
}

/*
 * What json-glib took before QEMU's reader came first still loads: a
 * comment and a repeated key (the last one counts).
 */
static void test_lenient_json(void)
{
    g_autofree char *path = NULL;
    g_autofree char *id = NULL;
    g_auto(GStrv) devs = NULL;
    Error *err = NULL;
    int fd = g_file_open_tmp("host-sim-XXXXXX.json", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path,
        "/* a comment */ {\"iommus\":[{\"id\":\"d0\",\"type\":\"intel-vtd\","
        "\"cap\":1,\"ecap\":2}],\"devices\":[{\"bdf\":\"0000:01:00.0\","
        "\"iommu\":\"d0\",\"vendor\":1,\"device\":2,\"device\":3}]}",
        -1, NULL));
    g_assert_true(host_sim_start(path, &err));
    g_assert_null(err);
    devs = host_list_dir("/sys/bus/pci/devices");
    g_assert_cmpuint(g_strv_length(devs), ==, 1);
    id = host_read_file("/sys/bus/pci/devices/0000:01:00.0/device");
    g_assert_cmpstr(id, ==, "0x0003\n");
    host_sim_stop();
    g_unlink(path);
}

static void test_missing_file(void)
{
    Error *err = NULL;

    g_assert_false(host_sim_start("/nonexistent/host.json", &err));
    g_assert_cmpstr(err->message, ==, "/nonexistent/host.json: cannot read: "
                    "No such file or directory");
    error_free(err);
}

/* Every counted call has its own name, found back by the name. */
static void test_command_names(void)
{
    for (int id = 0; id < SIM_CMD__MAX; id++) {
        g_assert_nonnull(sim_cmd_names[id]);
        g_assert_cmpint(sim_cmd_lookup(sim_cmd_names[id]), ==, id);
    }
    g_assert_cmpint(sim_cmd_lookup("GET_HW_INFO"), ==, SIM_CMD_GET_HW_INFO);
    g_assert_cmpint(sim_cmd_lookup("get_hw_info"), ==, -1);
}

static void test_fault_parse(void)
{
    static const char *const bad[][2] = {
        { "nth=0", "host-sim fault 'nth=0': bad option 'nth=0' (expected "
          "nth=N or cmd=NAME, with device=BDF, errno=E, times=K)" },
        { "errno=5", "host-sim fault 'errno=5': give exactly one of nth= "
          "and cmd=" },
        { "nth=1,device=0000:01:00.0", "host-sim fault "
          "'nth=1,device=0000:01:00.0': device= and times= go with cmd=" },
    };
    Error *err = NULL;

    g_assert_false(host_sim_fault_parse("nth=1", &err));
    g_assert_cmpstr(err->message, ==,
                    "fault injection needs a simulated host (-host-sim)");
    g_clear_error(&err);
    sim_start(SIM_INTEL);
    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(host_sim_fault_parse(bad[i][0], &err));
        g_assert_cmpstr(err->message, ==, bad[i][1]);
        g_clear_error(&err);
    }
    host_sim_stop();
}

static void test_fault_named_command(void)
{
    SimBound b;
    struct iommu_hw_info info = { .size = sizeof(info) };

    sim_start(SIM_INTEL);
    sim_bound_open(&b, 0);
    info.dev_id = b.devid;
    g_assert_true(host_sim_fault_parse("cmd=GET_HW_INFO,device=0000:02:00.0,"
                                       "errno=12", NULL));
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_true(host_sim_fault_parse("cmd=GET_HW_INFO,device=0000:01:00.0,"
                                       "errno=12,times=1", NULL));
    /* data_len came back as the vendor data's length: ask again for 0. */
    info.data_len = 0;
    sim_assert_ioctl(ENOMEM, b.iommufd, IOMMU_GET_HW_INFO, &info);
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_true(host_sim_fault_parse("none", NULL));
    sim_bound_close(&b);
    host_sim_stop();
}

/* A VMM-like start-up; on any failure it unwinds what it did. */
static bool startup_sequence(void)
{
    struct iommu_hw_info info = { .size = sizeof(info) };
    struct vfio_device_bind_iommufd bind = { .argsz = 16 };
    struct vfio_device_attach_iommufd_pt at = { .argsz = 12 };
    struct iommu_ioas_alloc ia = { .size = sizeof(ia) };
    g_autofree char *dev = NULL;
    uint32_t hdr = 0;
    bool ok = false;
    int iommufd, devfd = -1;

    dev = host_read_file("/sys/bus/pci/devices/0000:01:00.0/vfio-dev/vfio0/"
                         "dev");
    iommufd = dev ? host_open("/dev/iommu", O_RDWR) : -1;
    if (iommufd < 0) {
        return false;
    }
    devfd = host_open("/dev/vfio/devices/vfio0", O_RDWR);
    bind.iommufd = iommufd;
    if (devfd >= 0 && !host_ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind) &&
        !host_ioctl(iommufd, IOMMU_IOAS_ALLOC, &ia)) {
        at.pt_id = ia.out_ioas_id;
        info.dev_id = bind.out_devid;
        ok = !host_ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) &&
             !host_ioctl(iommufd, IOMMU_GET_HW_INFO, &info) &&
             host_pread(devfd, &hdr, 4, 7ull << 40) == 4;
    }
    if (devfd >= 0) {
        host_close(devfd);
    }
    host_close(iommufd);
    return ok;
}

static void test_fault_walk(void)
{
    uint64_t calls;
    unsigned n;

    sim_start(SIM_INTEL);
    g_assert_true(startup_sequence());
    calls = host_sim_count_total() - host_sim_count_cmd("close");
    g_assert_cmpuint(calls, ==, 8);
    for (n = 1; n <= calls; n++) {
        g_autofree char *spec = g_strdup_printf("nth=%u,errno=5", n);

        host_sim_counters_reset();
        g_assert_true(host_sim_fault_parse(spec, NULL));
        g_assert_false(startup_sequence());
        g_assert_cmpuint(host_sim_open_fds(), ==, 0);
        g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    }
    g_assert_true(startup_sequence());
    host_sim_stop();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/desc/shipped-hosts-load", test_shipped_hosts);
    g_test_add_func("/host-sim/desc/256-devices", test_scale);
    g_test_add_func("/host-sim/desc/missing-file", test_missing_file);
    g_test_add_func("/host-sim/desc/lenient-json", test_lenient_json);
    for (unsigned i = 0; i < G_N_ELEMENTS(bad_hosts); i++) {
        g_autofree char *p = g_strdup_printf("/host-sim/desc/bad/%u", i);

        g_test_add_data_func(p, &bad_hosts[i], test_bad_host);
    }
    g_test_add_func("/host-sim/counters/command-names", test_command_names);
    g_test_add_func("/host-sim/fault/parse-errors", test_fault_parse);
    g_test_add_func("/host-sim/fault/named-command", test_fault_named_command);
    g_test_add_func("/host-sim/fault/walk-nth-over-startup", test_fault_walk);
    return g_test_run();
}

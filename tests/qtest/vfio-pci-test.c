/*
 * vfio-pci over iommufd, black box: what a guest sees in config space
 * (the synthesized PASID capability, RCiEP vs Endpoint, a Linux-style
 * PASID enable), one GET_HW_INFO per host device, emulated bytes never
 * reaching the host, bad x-vpasid-cap-offset values, fault injection at
 * every host call of start-up, and fd passing.
 */
#define _GNU_SOURCE                 /* memfd_create() */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libqtest.h"

#define BDF_PASID "0000:01:00.0"
#define BDF_NIC "0000:02:00.0"
#define DEV_VFIO QPCI_BDF(0, 3, 0)
#define DEV_NIC QPCI_BDF(0, 4, 0)
#define DEV_RP QPCI_BDF(0, 2, 0)
#define DEV_BEHIND_RP QPCI_BDF(1, 0, 0)
#define DEV_PXB_RP QPCI_BDF(0x80, 0, 0)
#define DEV_BEHIND_PXB QPCI_BDF(0x81, 0, 0)

#define PCI_EXT_ID_PASID 0x1b
#define PCI_EXT_ID_ACS 0x0d
#define PCI_CAP_ID_EXP 0x10
#define EXP_FLAGS 2
#define EXP_DEVCAP2 0x24
#define DEVCAP2_EE_PREFIX (1u << 21)
#define ACS_RR 0x0004
#define ACS_UF 0x0010

#define VIOMMU "-device intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on," \
               "pasid=auto "
#define IOMMUFD "-object iommufd,id=iommufd0 "
#define VFIO_PASID "-device vfio-pci,host=" BDF_PASID ",iommufd=iommufd0," \
                   "id=hostdev0,addr=3 "
#define VFIO_NIC "-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0," \
                 "id=nic0,addr=4 "

static char *host_args(const char *host)
{
    return g_strdup_printf("-host-sim %s/tests/data/hosts/%s -M q35 ",
                           g_getenv("VV_SOURCE_ROOT"), host);
}

static QTestState *start_on(const char *host, const char *args)
{
    g_autofree char *base = host_args(host);
    g_autofree char *all = g_strconcat(base, args, NULL);
    QTestState *s = qtest_init(all);

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    return s;
}

static QTestState *start(const char *args)
{
    return start_on("intel-pasid.json", args);
}

/* A counter of the simulated host: @cmd on @bdf, or the whole host. */
static int64_t sim_count(QTestState *s, const char *bdf, const char *cmd)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-host-sim'}");
    JsonObject *o = json_node_get_object(ret);
    JsonArray *devs = json_object_get_array_member(o, "devices");

    if (!bdf) {
        return json_object_get_int_member(o, cmd);
    }
    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!strcmp(json_object_get_string_member(d, "bdf"), bdf)) {
            JsonObject *calls = json_object_get_object_member(d, "calls");

            return json_object_get_int_member_with_default(calls, cmd, 0);
        }
    }
    g_assert_not_reached();
}

static void assert_pasid_cap(QTestState *s, uint16_t bdf, uint16_t at)
{
    uint32_t header;

    g_assert_cmphex(qtest_ecam_find_ext_cap(s, bdf, PCI_EXT_ID_PASID), ==,
                    at);
    header = qtest_ecam_readl(s, bdf, at);
    g_assert_cmphex(header & 0xffff, ==, PCI_EXT_ID_PASID);
    g_assert_cmphex((header >> 16) & 0xf, ==, 1);
    /* The host's: width 20, Execute and Privileged supported. */
    g_assert_cmphex(qtest_ecam_readw(s, bdf, at + 4), ==, 0x1406);
    g_assert_cmphex(qtest_ecam_readw(s, bdf, at + 6), ==, 0);
}

static void test_pasid_cap_at_default_offset(void)
{
    QTestState *s = start(IOMMUFD VIOMMU VFIO_PASID VFIO_NIC);

    assert_pasid_cap(s, DEV_VFIO, 0xff8);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, DEV_NIC, PCI_EXT_ID_PASID),
                    ==, 0);
    qtest_quit(s);
}

static void test_pasid_cap_at_chosen_offset(void)
{
    QTestState *s = start(IOMMUFD VIOMMU "-device vfio-pci,host=" BDF_PASID
                          ",iommufd=iommufd0,addr=3,"
                          "x-vpasid-cap-offset=0xf00");

    assert_pasid_cap(s, DEV_VFIO, 0xf00);
    qtest_quit(s);
}

static void test_no_pasid_without_viommu(void)
{
    QTestState *s = start(IOMMUFD VFIO_PASID);

    g_assert_cmphex(qtest_ecam_find_ext_cap(s, DEV_VFIO, PCI_EXT_ID_PASID),
                    ==, 0);
    qtest_quit(s);
}

/* What Linux's pci_enable_pasid() does, then Control read back. */
static void linux_enable_pasid(QTestState *s, uint16_t bdf, int type)
{
    uint8_t exp = qtest_ecam_find_cap(s, bdf, PCI_CAP_ID_EXP);
    uint16_t pasid = qtest_ecam_find_ext_cap(s, bdf, PCI_EXT_ID_PASID);
    int64_t pwrites = sim_count(s, BDF_PASID, "pwrite");

    g_assert_cmpuint(exp, !=, 0);
    g_assert_cmpuint((qtest_ecam_readw(s, bdf, exp + EXP_FLAGS) >> 4) & 0xf,
                     ==, type);
    g_assert_true(qtest_ecam_readl(s, bdf, exp + EXP_DEVCAP2) &
                  DEVCAP2_EE_PREFIX);
    g_assert_cmpuint(pasid, !=, 0);
    qtest_ecam_writew(s, bdf, pasid + 6, 0x7);      /* Enable|Exec|Priv */
    g_assert_cmphex(qtest_ecam_readw(s, bdf, pasid + 6), ==, 0x7);
    /* The whole capability is emulated: the host saw no write. */
    g_assert_cmpint(sim_count(s, BDF_PASID, "pwrite"), ==, pwrites);
    /* A reset restores Control; Linux writes it again afterwards. */
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "RESET");
    g_assert_cmphex(qtest_ecam_readw(s, bdf, pasid + 6), ==, 0);
}

static void test_linux_walk_root_bus(void)
{
    QTestState *s = start(IOMMUFD VIOMMU VFIO_PASID);

    linux_enable_pasid(s, DEV_VFIO, 9);             /* RCiEP */
    qtest_quit(s);
}

static void test_linux_walk_below_root_port(void)
{
    QTestState *s = start(IOMMUFD VIOMMU
                          "-device pcie-root-port,id=rp1,chassis=1,slot=1,"
                          "addr=2 -device vfio-pci,host=" BDF_PASID
                          ",iommufd=iommufd0,bus=rp1");
    uint8_t exp;
    uint16_t acs;

    /* Firmware numbers the port: primary 0, secondary 1, subordinate 1. */
    qtest_ecam_writel(s, DEV_RP, 0x18, 0x00010100);
    exp = qtest_ecam_find_cap(s, DEV_RP, PCI_CAP_ID_EXP);
    g_assert_true(qtest_ecam_readl(s, DEV_RP, exp + EXP_DEVCAP2) &
                  DEVCAP2_EE_PREFIX);
    acs = qtest_ecam_find_ext_cap(s, DEV_RP, PCI_EXT_ID_ACS);
    g_assert_cmpuint(acs, !=, 0);
    g_assert_cmphex(qtest_ecam_readw(s, DEV_RP, acs + 4) & (ACS_RR | ACS_UF),
                    ==, ACS_RR | ACS_UF);
    linux_enable_pasid(s, DEV_BEHIND_RP, 0);        /* Endpoint */
    qtest_quit(s);
}

/* intel-iommu serves the expander's root bus as it serves pcie.0. */
static void test_linux_walk_below_pxb(void)
{
    QTestState *s = start(IOMMUFD VIOMMU
                          "-device pxb-pcie,id=pxb1,bus_nr=0x80 "
                          "-device pcie-root-port,id=rp1,bus=pxb1,chassis=1,"
                          "slot=1 -device vfio-pci,host=" BDF_PASID
                          ",iommufd=iommufd0,bus=rp1");

    /* Firmware numbers the port: primary 0x80, secondary 0x81. */
    qtest_ecam_writel(s, DEV_PXB_RP, 0x18, 0x00818180);
    g_assert_cmphex(qtest_ecam_readl(s, DEV_PXB_RP, 0), ==, 0x000c1b36);
    assert_pasid_cap(s, DEV_BEHIND_PXB, 0xff8);
    linux_enable_pasid(s, DEV_BEHIND_PXB, 0);        /* Endpoint */
    qtest_quit(s);
}

/*
 * A guest without FLR resets a function with its port's Secondary Bus
 * Reset: the device is reset on the host and the emulated PASID Control
 * is 0 again, for the guest to re-enable as Linux does after a reset.
 */
static void test_secondary_bus_reset(void)
{
    QTestState *s = start(IOMMUFD VIOMMU
                          "-device pcie-root-port,id=rp1,chassis=1,slot=1,"
                          "addr=2 -device vfio-pci,host=" BDF_PASID
                          ",iommufd=iommufd0,bus=rp1");
    uint16_t pasid;
    int64_t resets;

    qtest_ecam_writel(s, DEV_RP, 0x18, 0x00010100);
    pasid = qtest_ecam_find_ext_cap(s, DEV_BEHIND_RP, PCI_EXT_ID_PASID);
    qtest_ecam_writel(s, DEV_BEHIND_RP, pasid + 4, 0x00070000);
    g_assert_cmphex(qtest_ecam_readw(s, DEV_BEHIND_RP, pasid + 6), ==, 0x7);
    resets = sim_count(s, BDF_PASID, "RESET");

    qtest_ecam_writew(s, DEV_RP, 0x3e,
                      qtest_ecam_readw(s, DEV_RP, 0x3e) | 0x40);
    qtest_ecam_writew(s, DEV_RP, 0x3e,
                      qtest_ecam_readw(s, DEV_RP, 0x3e) & ~0x40);
    g_assert_cmpint(sim_count(s, BDF_PASID, "RESET"), ==, resets + 1);
    g_assert_cmphex(qtest_ecam_readw(s, DEV_BEHIND_RP, pasid + 6), ==, 0);
    /* The port keeps its own configuration: only what is below resets. */
    g_assert_cmphex(qtest_ecam_readl(s, DEV_RP, 0x18), ==, 0x00010100);
    qtest_quit(s);
}

/* Start-up, queries, HMP and a reset ask the host once per device. */
static void test_one_get_hw_info_per_device(void)
{
    QTestState *s = start(IOMMUFD VIOMMU VFIO_PASID VFIO_NIC);
    g_autoptr(JsonNode) ret = NULL;
    g_autofree char *hmp = NULL;
    JsonArray *list;

    for (int i = 0; i < 3; i++) {
        g_clear_pointer(&ret, json_node_unref);
        ret = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-vfio'}");
    }
    hmp = qtest_hmp(s, "info vfio");
    g_assert_nonnull(strstr(hmp, "GET_HW_INFO calls 1"));
    qtest_qmp_assert_success(s, "{'execute': 'query-pci'}");
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    list = json_node_get_array(ret);
    g_assert_cmpuint(json_array_get_length(list), ==, 2);
    for (guint i = 0; i < 2; i++) {
        JsonObject *d = json_array_get_object_element(list, i);
        JsonObject *h = json_object_get_object_member(d, "host-iommu");

        g_assert_cmpint(json_object_get_int_member(d, "hw-info-calls"), ==, 1);
        g_assert_cmpstr(json_object_get_string_member(h, "type"), ==,
                        "intel-vtd");
        if (!strcmp(json_object_get_string_member(d, "host"), BDF_PASID)) {
            g_assert_cmpint(json_object_get_int_member(h, "max-pasid-log2"),
                            ==, 20);
            g_assert_cmpint(json_object_get_int_member(d, "pasid-cap"), ==,
                            0xff8);
        }
    }
    g_assert_cmpint(sim_count(s, BDF_PASID, "GET_HW_INFO"), ==, 1);
    g_assert_cmpint(sim_count(s, BDF_NIC, "GET_HW_INFO"), ==, 1);
    qtest_quit(s);
}

static void expect_startup_error_on(const char *host, const char *args,
                                    const char *message)
{
    g_autofree char *base = host_args(host);
    g_autofree char *all = g_strconcat(base, "-accel qtest -display none ",
                                       args, NULL);
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *expected = g_strdup_printf("vfio-viommu: %s\n", message);

    g_assert_cmpint(qtest_run(all, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, expected);
}

static void expect_startup_error(const char *args, const char *message)
{
    expect_startup_error_on("intel-pasid.json", args, message);
}

static void test_bad_offset_refused(void)
{
    static const struct { const char *off, *why; } cases[] = {
        { "0x104", "PASID capability at 0x104 (size 0x8) overlaps the body "
                   "of the AER capability at 0x100 (0x104-0x12b)" },
        { "0x100", "PASID capability at 0x100 (size 0x8) overlaps the "
                   "header of the AER capability at 0x100" },
        { "0xffa", "PASID capability offset 0xffa is not dword aligned" },
        { "0x80", "PASID capability offset 0x80 is below 0x100" },
        { "0xffc", "PASID capability at 0xffc with size 0x8 runs past the "
                   "end of extended config space (0xfff)" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *dev = g_strdup_printf(
            "-device vfio-pci,host=" BDF_PASID ",iommufd=iommufd0,"
            "x-vpasid-cap-offset=%s", cases[i].off);
        g_autofree char *args = g_strconcat(IOMMUFD VIOMMU, dev, NULL);
        g_autofree char *msg = g_strdup_printf(
            "%s: vfio " BDF_PASID ": vfio: Placing PASID capability at "
            "offset %s failed: %s", dev, cases[i].off,
            cases[i].why);

        expect_startup_error(args, msg);
    }
}

static void test_pxb_errors(void)
{
    static const struct { const char *args, *msg; } cases[] = {
        { "-device pxb-pcie,bus_nr=0",
          "-device pxb-pcie,bus_nr=0: Bus 0 is already in use" },
        { "-device pxb-pcie,id=a,bus_nr=0x80 -device pxb-pcie,bus_nr=128",
          "-device pxb-pcie,bus_nr=128: Bus 128 is already in use" },
        { "-device pcie-root-port,id=rp1,chassis=1 "
          "-device pxb-pcie,bus=rp1,bus_nr=0x80",
          "-device pxb-pcie,bus=rp1,bus_nr=0x80: PXB devices can be "
          "attached only to root bus" },
        { "-device pxb-pcie,id=a,bus_nr=0x80 "
          "-device pxb-pcie,bus=a,bus_nr=0x90",
          "-device pxb-pcie,bus=a,bus_nr=0x90: PXB devices can be "
          "attached only to root bus" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        expect_startup_error(cases[i].args, cases[i].msg);
    }
}

static void test_pxb_cold_plug_only(void)
{
    QTestState *s = start("-device pxb-pcie,id=pxb1,bus_nr=0x80");

    qtest_qmp_expect_error(s, "GenericError",
                           "Bus 'pcie.0' does not support hotplugging",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'pxb-pcie', 'bus_nr': 144}}");
    qtest_qmp_expect_error(s, "GenericError",
                           "Bus 'pcie.0' does not support hotplugging",
                           "{'execute': 'device_del', 'arguments': "
                           "{'id': 'pxb1'}}");
    qtest_quit(s);
}

/*
 * Lane Margining at Receiver (not sized from its header alone): x32 is
 * assumed as the host's link width reads zero, 0x100-0x187.
 */
static void test_offset_in_lane_margining_refused(void)
{
    const char *dev = "-device vfio-pci,host=" BDF_PASID ",iommufd=iommufd0,"
                      "addr=3,x-vpasid-cap-offset=0x104";
    g_autofree char *args = g_strconcat(IOMMUFD VIOMMU, dev, NULL);
    g_autofree char *msg = g_strdup_printf(
        "%s: vfio " BDF_PASID ": vfio: Placing PASID capability at offset "
        "0x104 failed: PASID capability at 0x104 (size 0x8) overlaps the "
        "body of the Lane Margining at Receiver capability at 0x100 "
        "(0x104-0x187)", dev);

    expect_startup_error_on("intel-pasid-lane-margining.json", args, msg);
}

/* An MSI cut short at 0xFF writes no mask into the ACS at 0x100. */
static void test_cut_msi_masks_stay_inside(void)
{
    QTestState *s = start_on("intel-msi-at-0xf4.json",
                             IOMMUFD VIOMMU VFIO_PASID);

    qtest_ecam_writel(s, DEV_VFIO, 0x100, 0xdead0000);
    g_assert_cmphex(qtest_ecam_readl(s, DEV_VFIO, 0x100), ==, 0x0001000d);
    qtest_ecam_writel(s, DEV_VFIO, 0x104, 0xffffffff);
    g_assert_cmphex(qtest_ecam_readl(s, DEV_VFIO, 0x104), ==, 0x1f);
    qtest_ecam_writel(s, DEV_VFIO, 0xf8, 0xffffffff);
    g_assert_cmphex(qtest_ecam_readl(s, DEV_VFIO, 0xf8), ==, 0xfffffffc);
    qtest_quit(s);
}

/* Fail each host call of start-up in turn: a clean error, exit 1. */
static void test_startup_fault_every_call(void)
{
    QTestState *s = start(IOMMUFD VIOMMU VFIO_PASID);
    int64_t calls = sim_count(s, NULL, "total-calls");
    g_autofree char *base = host_args("intel-pasid.json");

    qtest_quit(s);
    g_assert_cmpint(calls, >, 5);
    for (int64_t n = 1; n <= calls; n++) {
        g_autofree char *all = g_strdup_printf(
            "%s-accel qtest -display none -x-host-sim-fault nth=%" G_GINT64_FORMAT
            " " IOMMUFD VIOMMU VFIO_PASID, base, n);
        g_autofree char *out = NULL, *err = NULL;

        g_assert_cmpint(qtest_run(all, &out, &err), ==, 1);
        g_assert_true(g_str_has_prefix(err, "vfio-viommu: -device vfio-pci,"));
        g_assert_null(strstr(err, "Sanitizer"));
    }
}

/* libvirt's way: both fds opened by the caller and inherited. */
static void test_fd_passing(void)
{
    int iommufd = memfd_create("vfio-viommu-sim:/dev/iommu", 0);
    int devfd = memfd_create("vfio-viommu-sim:/dev/vfio/devices/vfio0", 0);
    g_autofree char *args = g_strdup_printf(
        "-object '{\"qom-type\":\"iommufd\",\"id\":\"iommufd0\","
        "\"fd\":\"%d\"}' " VIOMMU "-device '{\"driver\":\"vfio-pci\","
        "\"fd\":\"%d\",\"iommufd\":\"iommufd0\",\"id\":\"hostdev0\","
        "\"addr\":\"3\"}'",
        iommufd, devfd);
    QTestState *s;

    g_assert_cmpint(iommufd, >=, 0);
    g_assert_cmpint(devfd, >=, 0);
    s = start(args);
    assert_pasid_cap(s, DEV_VFIO, 0xff8);
    g_assert_cmpint(sim_count(s, NULL, "total-calls"), >, 0);
    g_assert_cmpint(sim_count(s, BDF_PASID, "open"), ==, 0);
    qtest_quit(s);
    close(iommufd);
    close(devfd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-pci/pasid/cap-at-default-offset-with-host-values",
                    test_pasid_cap_at_default_offset);
    g_test_add_func("/vfio-pci/pasid/cap-at-chosen-offset",
                    test_pasid_cap_at_chosen_offset);
    g_test_add_func("/vfio-pci/pasid/none-without-viommu",
                    test_no_pasid_without_viommu);
    g_test_add_func("/vfio-pci/pasid/bad-offset-refused",
                    test_bad_offset_refused);
    g_test_add_func("/vfio-pci/pasid/offset-in-lane-margining-refused",
                    test_offset_in_lane_margining_refused);
    g_test_add_func("/vfio-pci/config/cut-msi-masks-stay-inside",
                    test_cut_msi_masks_stay_inside);
    g_test_add_func("/vfio-pci/linux-walk/root-bus-rciep",
                    test_linux_walk_root_bus);
    g_test_add_func("/vfio-pci/linux-walk/below-root-port",
                    test_linux_walk_below_root_port);
    g_test_add_func("/vfio-pci/linux-walk/below-pxb-pcie-root-port",
                    test_linux_walk_below_pxb);
    g_test_add_func("/vfio-pci/pxb-pcie/errors", test_pxb_errors);
    g_test_add_func("/vfio-pci/pxb-pcie/cold-plug-only",
                    test_pxb_cold_plug_only);
    g_test_add_func("/vfio-pci/reset/secondary-bus-reset",
                    test_secondary_bus_reset);
    g_test_add_func("/vfio-pci/hw-info/once-per-device",
                    test_one_get_hw_info_per_device);
    g_test_add_func("/vfio-pci/fault/every-startup-call-fails-cleanly",
                    test_startup_fault_every_call);
    g_test_add_func("/vfio-pci/fd-passing/libvirt-json",
                    test_fd_passing);
    return g_test_run();
}

/*
 * arm-smmuv3 on the virt machine, black box over qtest + QMP with the
 * simulated Arm hosts: the ID registers, IDR1.SSIDSIZE from ssidsize=auto,
 * the assigned device's PASID capability through ECAM, refusals at
 * start-up (exit 1) and at hot plug (QMP error, nothing changed), a
 * Linux-style PASID enable, and the lspci decode of a virt dump.
 */
#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "libqtest.h"

#define SMMU_BASE       0x09050000ULL
#define PCI_EXT_PASID   0x1b

/* QEMU's emulated SMMUv3 ID registers (defaults). */
#define QEMU_IDR0       0x0d44101au    /* VMID16 as upstream */
#define QEMU_IDR1       0x02730010u
#define QEMU_IDR3       0x00001404u
#define QEMU_IDR5       0x00000074u
#define IDR0_CD2L       (1u << 19)
#define IDR1_SSIDSIZE(v) (((v) >> 6) & 0x1f)

#define SMMU_AUTO "arm-smmuv3,primary-bus=pcie.0,accel=on,ssidsize=auto"
#define DEV1 "vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme0,addr=3.0"
#define DEV2 "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nvme1,addr=4.0"
/* What each refusal is checked against: an explicit 20-bit vSMMU. */
#define SMMU_20 "arm-smmuv3,primary-bus=pcie.0,accel=on,ssidsize=20"

static char *host_file(const char *name)
{
    g_autofree char *path = g_build_filename(g_getenv("VV_SOURCE_ROOT"),
                                             "tests", "data", "hosts", name,
                                             NULL);

    return g_shell_quote(path);
}

static QTestState *start_host(const char *file, const char *smmu,
                              const char *dev1, const char *dev2)
{
    g_autofree char *path = host_file(file);
    g_autofree char *args = g_strdup_printf(
        "-M virt -host-sim %s -object iommufd,id=iommufd0 -device %s "
        "-device %s%s%s", path, smmu, dev1, dev2 ? " -device " : "",
        dev2 ? dev2 : "");
    QTestState *s = qtest_init(args);

    qtest_set_ecam_base(s, VIRT_ECAM_BASE);
    return s;
}

static JsonObject *query_smmu(QTestState *s, JsonNode **keep)
{
    *keep = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-viommu'}");
    return json_array_get_object_element(json_node_get_array(*keep), 0);
}

/* ---- registers ---- */

static void test_registers(void)
{
    QTestState *s = qtest_init("-M virt -device arm-smmuv3,"
                               "primary-bus=pcie.0");

    qtest_set_ecam_base(s, VIRT_ECAM_BASE);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x0), ==, QEMU_IDR0);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x4), ==, QEMU_IDR1);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0xc), ==, QEMU_IDR3);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x14), ==, QEMU_IDR5);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x1c), ==, 1);     /* AIDR */
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x44), ==, 0x1000);  /* GBPA */
    /* The driver's enable: queues on, then SMMUEN, each acknowledged. */
    qtest_writeq(s, SMMU_BASE + 0x90, 0x41000008);
    qtest_writel(s, SMMU_BASE + 0x20, 0x8);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x24), ==, 0x8);
    qtest_writeq(s, 0x41000000, 0x46);                          /* SYNC */
    qtest_writeq(s, 0x41000010, 0x46);
    qtest_writel(s, SMMU_BASE + 0x98, 2);                       /* PROD */
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x9c), ==, 2);   /* CONS */
    qtest_writel(s, SMMU_BASE + 0x20, 0x9);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x24), ==, 0x9);
    /* The virt host bridge at 00:00.0. */
    g_assert_cmphex(qtest_ecam_readl(s, 0, 0), ==, 0x00081b36);
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x24), ==, 0);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x4), ==, QEMU_IDR1);
    qtest_quit(s);
}

/* ---- ssidsize=auto and the device's PASID capability ---- */

static void test_auto_from_first_device(void)
{
    QTestState *s = start_host("arm-smmuv3-two-ssidsize.json", SMMU_AUTO,
                               DEV1, NULL);
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *v;

    g_assert_cmpuint(IDR1_SSIDSIZE(qtest_readl(s, SMMU_BASE + 0x4)), ==, 20);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x4), ==,
                    QEMU_IDR1 | 20 << 6);
    v = query_smmu(s, &keep);
    g_assert_cmpint(json_object_get_int_member(v, "pasid-width"), ==, 20);
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(
                            json_object_get_object_member(v, "resolved-from"),
                            "ssidsize"), 0), ==, "nvme0");
    qtest_quit(s);
}

static void test_linux_guest_enables_pasid(void)
{
    QTestState *s = start_host("arm-smmuv3-two-ssidsize.json", SMMU_AUTO,
                               DEV1, NULL);
    uint16_t bdf = QPCI_BDF(0, 3, 0);
    uint32_t idr0 = qtest_readl(s, SMMU_BASE + 0x0);
    uint32_t idr1 = qtest_readl(s, SMMU_BASE + 0x4);
    unsigned ssid_bits, dev_width, effective;
    uint16_t pasid, cap, ctrl_want;
    uint8_t exp;

    /* arm-smmu-v3: ssid_bits from IDR1, linear CD tables without CD2L. */
    ssid_bits = IDR1_SSIDSIZE(idr1);
    if (!(idr0 & IDR0_CD2L)) {
        ssid_bits = MIN(ssid_bits, 10);
    }
    /* pci_enable_pasid(): an RCiEP with TLP prefixes, the capability. */
    exp = qtest_ecam_find_cap(s, bdf, 0x10);
    g_assert_cmpuint(exp, !=, 0);
    g_assert_cmphex((qtest_ecam_readw_dword(s, bdf, exp + 2) >> 4) & 0xf,
                    ==, 9);
    g_assert_true(qtest_ecam_readl(s, bdf, exp + 0x24) & (1u << 21));
    pasid = qtest_ecam_find_ext_cap(s, bdf, PCI_EXT_PASID);
    g_assert_cmphex(pasid, ==, 0xff8);
    cap = qtest_ecam_readw_dword(s, bdf, pasid + 4);
    dev_width = (cap >> 8) & 0x1f;
    g_assert_cmpuint(dev_width, ==, 20);
    g_assert_cmphex(cap & 0x6, ==, 0x6);                /* exec, priv */
    ctrl_want = 1 | (cap & 0x6);
    qtest_ecam_writel(s, bdf, pasid + 4, (uint32_t)ctrl_want << 16 | cap);
    g_assert_cmphex(qtest_ecam_readw_dword(s, bdf, pasid + 6), ==, ctrl_want);
    effective = MIN(dev_width, ssid_bits);
    /* With IDR0.CD2L (DESIGN §7) a Linux guest uses all 20 bits. */
    g_assert_true(idr0 & IDR0_CD2L);
    g_assert_cmpuint(effective, ==, 20);
    qtest_quit(s);
}

/* ---- refusals ---- */

static const struct {
    const char *file;
    const char *what;
} refusals[] = {
    { "arm-smmuv3-two-ssidsize.json",
      "Host SMMUv3 SSIDSIZE not compatible (host=16, QEMU=20)" },
    { "arm-smmuv3-sidsize12.json",
      "Host SMMUv3 SIDSIZE not compatible (host=12, QEMU=16)" },
    { "arm-smmuv3-linear-st.json", "Host SMMUv3 Stream Table format "
      "mismatch (host STLEVEL=0, QEMU STLEVEL=1)" },
    { "arm-smmuv3-no-ril.json", "Host SMMUv3 doesn't support Range "
      "Invalidation (host IDR3.RIL=0, vSMMU IDR3.RIL=1)" },
    { "arm-smmuv3-no-gran16k.json",
      "Host SMMUv3 doesn't support 16K translation granule" },
    { "arm-smmuv3-mixed-vtd.json", "Wrong data type (1) for Host SMMUv3 "
      "device info: host IOMMU is intel-vtd, arm-smmuv3 accel=on needs "
      "arm-smmuv3 (2)" },
};

static void test_refused_at_startup(gconstpointer data)
{
    int i = GPOINTER_TO_INT(data);
    g_autofree char *path = host_file(refusals[i].file);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf(
        "vfio-viommu: -device " DEV2 ": vfio 0000:02:00.0: Failed to set "
        "vIOMMU: nvme1: %s\n", refusals[i].what);
    g_autofree char *args = g_strdup_printf(
        "-M virt -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device " SMMU_20 " -device " DEV1 " -device " DEV2, path);

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, want);
}

static void test_refused_at_hotplug(gconstpointer data)
{
    int i = GPOINTER_TO_INT(data);
    QTestState *s = start_host(refusals[i].file, SMMU_20, DEV1, NULL);
    uint32_t idr0 = qtest_readl(s, SMMU_BASE + 0x0);
    uint32_t idr1 = qtest_readl(s, SMMU_BASE + 0x4);
    g_autofree char *before = qtest_vm_view(s);
    g_autofree char *after = NULL;
    g_autofree char *want = g_strdup_printf(
        "vfio 0000:02:00.0: Failed to set vIOMMU: nvme1: %s",
        refusals[i].what);

    qtest_qmp_expect_error(s, "GenericError", want,
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'vfio-pci', 'host': '0000:02:00.0', "
                           "'iommufd': 'iommufd0', 'id': 'nvme1', "
                           "'addr': '4.0'}}");
    /* Nothing changed: registers, PCI, the vIOMMU, the host, the slot. */
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x0), ==, idr0);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x4), ==, idr1);
    after = qtest_vm_view(s);
    g_assert_cmpstr(after, ==, before);
    g_assert_cmphex(qtest_ecam_readl(s, QPCI_BDF(0, 4, 0), 0), ==, 0xffffffff);
    qtest_quit(s);
}

static void test_hotplug_compatible(void)
{
    QTestState *s = start_host("arm-smmuv3-two-ssidsize.json",
                               "arm-smmuv3,primary-bus=pcie.0,accel=on,"
                               "ssidsize=16", DEV1, NULL);
    g_autoptr(JsonNode) keep = NULL;
    uint16_t pasid;

    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': 'vfio-pci', 'host': '0000:02:00.0', "
                             "'iommufd': 'iommufd0', 'id': 'nvme1', "
                             "'addr': '4.0'}}");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
                         query_smmu(s, &keep), "devices")), ==, 2);
    /* Its own width: the host's SSIDSIZE 16 capped its 20-bit PASID. */
    pasid = qtest_ecam_find_ext_cap(s, QPCI_BDF(0, 4, 0), PCI_EXT_PASID);
    g_assert_cmpuint(pasid, !=, 0);
    g_assert_cmpuint((qtest_ecam_readw_dword(s, QPCI_BDF(0, 4, 0),
                                             pasid + 4) >> 8) & 0x1f, ==, 16);
    qtest_quit(s);
}

/* Exit status, stderr and the config dump of a start-up in one order. */
static char *startup_outcome(const char *file, const char *smmu,
                             bool reversed)
{
    g_autofree char *path = host_file(file);
    g_autofree char *args = g_strdup_printf(
        "-M virt -display none -dump-pci-config -host-sim %s "
        "-object iommufd,id=iommufd0 -device %s -device %s -device %s", path,
        smmu, reversed ? DEV2 : DEV1, reversed ? DEV1 : DEV2);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = qtest_run(args, &out, &err);

    return g_strdup_printf("%d\n%s\n%s", status, err, out);
}

static char *smmu_outcome(const char *file, const char *smmu, bool reversed)
{
    QTestState *s = start_host(file, smmu, reversed ? DEV2 : DEV1,
                               reversed ? DEV1 : DEV2);
    char *r = g_strdup_printf("%08x %08x %08x %08x",
                              qtest_readl(s, SMMU_BASE + 0x0),
                              qtest_readl(s, SMMU_BASE + 0x4),
                              qtest_readl(s, SMMU_BASE + 0xc),
                              qtest_readl(s, SMMU_BASE + 0x14));

    qtest_quit(s);
    return r;
}

#define SMMU_ALL_AUTO "arm-smmuv3,primary-bus=pcie.0,accel=on,ssidsize=auto," \
                      "ril=auto,ats=auto,oas=auto"

static const char *const two_device_hosts[] = {
    "arm-smmuv3-two-ssidsize.json", "arm-smmuv3-mixed-nic.json",
    "arm-smmuv3-no-gran16k.json", "arm-smmuv3-no-ril.json",
    "arm-smmuv3-sidsize12.json", "arm-smmuv3-linear-st.json",
};

static void test_order_free(gconstpointer data)
{
    g_autofree char *one = startup_outcome(data, SMMU_ALL_AUTO, false);
    g_autofree char *two = startup_outcome(data, SMMU_ALL_AUTO, true);

    g_assert_cmpstr(one, ==, two);
    if (one[0] == '0') {
        g_autofree char *r1 = smmu_outcome(data, SMMU_ALL_AUTO, false);
        g_autofree char *r2 = smmu_outcome(data, SMMU_ALL_AUTO, true);

        g_assert_cmpstr(r1, ==, r2);
    }
}

/* SSIDSIZE 20 and 16: 16 in either order. */
static void test_auto_smallest(void)
{
    QTestState *s = start_host("arm-smmuv3-two-ssidsize.json", SMMU_AUTO,
                               DEV2, DEV1);

    g_assert_cmpuint(IDR1_SSIDSIZE(qtest_readl(s, SMMU_BASE + 0x4)), ==, 16);
    qtest_quit(s);
}

/*
 * Every device leaves; one on another host SMMU that backs what the
 * vSMMU advertises comes: accepted, and the registers never moved.
 */
static void test_departure_then_other_host(void)
{
    QTestState *s = start_host("arm-smmuv3-mixed-nic.json", SMMU_AUTO, DEV1,
                               NULL);
    uint32_t idr0 = qtest_readl(s, SMMU_BASE + 0x0);
    uint32_t idr1 = qtest_readl(s, SMMU_BASE + 0x4);

    qtest_qmp_assert_success(s, "{'execute': 'device_del', 'arguments': "
                             "{'id': 'nvme0'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': 'vfio-pci', 'host': '0000:02:00.0', "
                             "'iommufd': 'iommufd0', 'id': 'nic', "
                             "'addr': '4.0'}}");
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x0), ==, idr0);
    g_assert_cmphex(qtest_readl(s, SMMU_BASE + 0x4), ==, idr1);
    qtest_quit(s);
}

/* One vSMMU per root bus, each finalizing on its own. */
static void test_two_vsmmus(void)
{
    QTestState *s = start_host(
        "arm-smmuv3-two-ssidsize.json", SMMU_AUTO, DEV1,
        "pxb-pcie,id=pxb1,bus_nr=0x80 -device arm-smmuv3,primary-bus=pxb1,"
        "accel=on,ssidsize=auto -device pcie-root-port,id=rp1,bus=pxb1,"
        "chassis=1 -device vfio-pci,host=0000:02:00.0,iommufd=iommufd0,"
        "id=nvme1,bus=rp1");
    g_autoptr(JsonNode) keep = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-viommu'}");
    JsonArray *list = json_node_get_array(keep);
    JsonObject *a = json_array_get_object_element(list, 0);
    JsonObject *b = json_array_get_object_element(list, 1);

    g_assert_cmpuint(json_array_get_length(list), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(a, "bus"), ==, "pcie.0");
    g_assert_cmpint(json_object_get_int_member(a, "pasid-width"), ==, 20);
    g_assert_cmpstr(json_object_get_string_member(a, "mmio-base"), ==,
                    "0x9050000");
    g_assert_cmpstr(json_object_get_string_member(b, "bus"), ==, "pxb1");
    g_assert_cmpint(json_object_get_int_member(b, "pasid-width"), ==, 16);
    g_assert_cmpstr(json_object_get_string_member(b, "mmio-base"), ==,
                    "0xc000000");
    g_assert_cmpuint(IDR1_SSIDSIZE(qtest_readl(s, 0xc000000 + 0x4)), ==, 16);
    qtest_quit(s);
}

static void test_run_error(const char *args_tail, const char *want)
{
    g_autofree char *path = host_file("arm-smmuv3-two-ssidsize.json");
    g_autofree char *args = g_strdup_printf("-display none -host-sim %s "
                                            "-object iommufd,id=iommufd0 %s",
                                            path, args_tail);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, want);
}

static void test_refused_without_accel(void)
{
    test_run_error("-M virt -device arm-smmuv3,primary-bus=pcie.0 "
                   "-device " DEV1,
                   "vfio-viommu: -device " DEV1 ": vfio 0000:01:00.0: Failed "
                   "to set vIOMMU: nvme0: device 00.03.0 requires iommu MAP "
                   "notifier which is not currently supported (arm-smmuv3 "
                   "needs accel=on for vfio-pci)\n");
}

static void test_auto_without_device(void)
{
    test_run_error("-M virt -device " SMMU_AUTO,
                   "vfio-viommu: arm-smmuv3 accel=on with 'auto' properties "
                   "requires at least one cold-plugged VFIO device\n");
}

static void test_bad_properties(void)
{
    test_run_error("-M virt -device arm-smmuv3,primary-bus=pcie.0,"
                   "ssidsize=8",
                   "vfio-viommu: -device arm-smmuv3,primary-bus=pcie.0,"
                   "ssidsize=8: ssidsize can only be set if accel=on\n");
    test_run_error("-M virt -device arm-smmuv3,primary-bus=pcie.0,accel=on,"
                   "ssidsize=24",
                   "vfio-viommu: -device arm-smmuv3,primary-bus=pcie.0,"
                   "accel=on,ssidsize=24: ssidsize must be in the range 0 "
                   "to 20\n");
    test_run_error("-M q35 -device arm-smmuv3,primary-bus=pcie.0",
                   "vfio-viommu: -device arm-smmuv3,primary-bus=pcie.0: "
                   "Option '-device arm-smmuv3' cannot be handled by this "
                   "machine\n");
}

static void test_not_hotpluggable(void)
{
    QTestState *s = qtest_init("-M virt");
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *r = qtest_qmp(s, "{'execute': 'device_add', 'arguments': "
                              "{'driver': 'arm-smmuv3', "
                              "'primary-bus': 'pcie.0'}}");

    g_assert_true(json_object_has_member(r, "error"));
    json_object_unref(r);
    keep = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-viommu'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(keep)), ==, 0);
    qtest_quit(s);
}

/* ---- lspci ---- */

static void test_lspci_decodes_dump(void)
{
    g_autofree char *path = host_file("arm-smmuv3-two-ssidsize.json");
    g_autofree char *args = g_strdup_printf(
        "-M virt -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device " SMMU_AUTO " -device " DEV1 " -device pcie-root-port,"
        "id=rp1,chassis=1 -dump-pci-config", path);
    g_autofree char *dump = NULL, *err = NULL, *file = NULL;
    g_autofree char *out = NULL, *lerr = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *argv[] = { "lspci", "-F", NULL, "-vvv", NULL };
    int status, fd;

    if (!g_file_test("/usr/bin/lspci", G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("lspci not installed");
        return;
    }
    g_assert_cmpint(qtest_run(args, &dump, &err), ==, 0);
    fd = g_file_open_tmp("vv-virt-lspci-XXXXXX", &file, &gerr);
    g_assert_no_error(gerr);
    close(fd);
    g_assert_true(g_file_set_contents(file, dump, -1, &gerr));
    argv[2] = file;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &lerr,
                               &status, &gerr));
    unlink(file);
    g_assert_no_error(gerr);
    g_assert_true(g_spawn_check_wait_status(status, &gerr));
    /* libkmod's complaint is about the host, not the dump. */
    lines = g_strsplit(lerr, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (!strstr(lines[i], "libkmod")) {
            g_assert_null(strstr(lines[i], "lspci:"));
        }
    }
    g_assert_true(g_str_has_prefix(out, "00:00.0 Host bridge: "));
    g_assert_nonnull(strstr(out, "Process Address Space ID (PASID)"));
    /* lspci prints the width in hex: 0x14 = 20 bits. */
    g_assert_nonnull(strstr(out, "Max PASID Width: 14"));
    g_assert_nonnull(strstr(out, "Root Port (Slot+)"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VV_BINARY") || !g_getenv("VV_SOURCE_ROOT")) {
        g_printerr("VV_BINARY and VV_SOURCE_ROOT must be set\n");
        return 1;
    }
    g_test_add_func("/smmuv3/registers/idr-and-cr0-over-qtest",
                    test_registers);
    g_test_add_func("/smmuv3/ssidsize/auto-from-first-device",
                    test_auto_from_first_device);
    g_test_add_func("/smmuv3/guest/linux-enables-pasid",
                    test_linux_guest_enables_pasid);
    for (size_t i = 0; i < G_N_ELEMENTS(refusals); i++) {
        g_autofree char *p1 = g_strdup_printf("/smmuv3/refused/startup/%s",
                                              refusals[i].file);
        g_autofree char *p2 = g_strdup_printf("/smmuv3/refused/hotplug/%s",
                                              refusals[i].file);

        g_test_add_data_func(p1, GINT_TO_POINTER(i), test_refused_at_startup);
        g_test_add_data_func(p2, GINT_TO_POINTER(i), test_refused_at_hotplug);
    }
    g_test_add_func("/smmuv3/hotplug/compatible-accepted",
                    test_hotplug_compatible);
    for (size_t i = 0; i < G_N_ELEMENTS(two_device_hosts); i++) {
        g_autofree char *p = g_strdup_printf("/smmuv3/order-free/%s",
                                             two_device_hosts[i]);

        g_test_add_data_func(p, two_device_hosts[i], test_order_free);
    }
    g_test_add_func("/smmuv3/auto/smallest-host-ssidsize",
                    test_auto_smallest);
    g_test_add_func("/smmuv3/hotplug/departure-then-other-host",
                    test_departure_then_other_host);
    g_test_add_func("/smmuv3/pxb/one-vsmmu-per-root-bus", test_two_vsmmus);
    g_test_add_func("/smmuv3/refused/without-accel",
                    test_refused_without_accel);
    g_test_add_func("/smmuv3/auto/no-cold-plugged-device",
                    test_auto_without_device);
    g_test_add_func("/smmuv3/realize/bad-properties", test_bad_properties);
    g_test_add_func("/smmuv3/realize/not-hotpluggable",
                    test_not_hotpluggable);
    g_test_add_func("/smmuv3/virt/lspci-decodes-dump",
                    test_lspci_decodes_dump);
    return g_test_run();
}

/*
 * intel-iommu, black box over qtest + QMP with simulated hosts:
 * VER/CAP/ECAP against upstream QEMU's values, the PASID width for
 * pasid=N and pasid=auto, refusals at start-up and at hot plug (nothing
 * changed), the enable handshakes and a Linux-style PASID enable check.
 */
#include <glib.h>

#include "libqtest.h"
#include "intel-iommu-reference.h"

#define VTD_BASE        0xfed90000ULL
#define ECAP_SMTS       (1ULL << 43)
#define PCI_EXT_PASID   0x1b
#define VV_STDARGS      "-M q35"

/* A host description under tests/data/hosts, quoted for a command line. */
static char *host_file(const char *name)
{
    g_autofree char *path = g_build_filename(g_getenv("VV_SOURCE_ROOT"),
                                             "tests", "data", "hosts", name,
                                             NULL);

    return g_shell_quote(path);
}

static QTestState *start_vtd(const char *props)
{
    g_autofree char *args = g_strdup_printf(VV_STDARGS
                                            " -device intel-iommu%s%s",
                                            *props ? "," : "", props);

    return qtest_init(args);
}

/* ---- registers against the reference ---- */

static void test_reference(gconstpointer data)
{
    const VtdReference *ref = data;
    QTestState *s = start_vtd(ref->props);

    g_assert_cmphex(qtest_readl(s, VTD_BASE + 0x0), ==, ref->ver);
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x8), ==, ref->cap);
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10), ==, ref->ecap);
    qtest_quit(s);
}

/* The embedded copy equals shared/reference when that file is there. */
static void test_reference_file(void)
{
    g_autofree char *path = g_build_filename(
        g_getenv("VV_SOURCE_ROOT"), "..", "shared", "reference",
        "intel-iommu-registers.json", NULL);
    g_autoptr(JsonParser) p = json_parser_new();
    JsonObject *regs;

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_test_skip("no shared/reference in this checkout");
        return;
    }
    g_assert_true(json_parser_load_from_file(p, path, NULL));
    regs = json_object_get_object_member(
        json_node_get_object(json_parser_get_root(p)), "registers");
    g_assert_cmpuint(json_object_get_size(regs), ==,
                     G_N_ELEMENTS(vtd_reference));
    for (size_t i = 0; i < G_N_ELEMENTS(vtd_reference); i++) {
        const VtdReference *ref = &vtd_reference[i];
        g_autofree char *key = g_strdup_printf("intel-iommu%s%s",
                                               *ref->props ? "," : "",
                                               ref->props);
        JsonObject *r = json_object_get_object_member(regs, key);

        g_assert_nonnull(r);
        g_assert_cmphex(g_ascii_strtoull(json_object_get_string_member(
                            r, "ver"), NULL, 16), ==, ref->ver);
        g_assert_cmphex(g_ascii_strtoull(json_object_get_string_member(
                            r, "cap"), NULL, 16), ==, ref->cap);
        g_assert_cmphex(g_ascii_strtoull(json_object_get_string_member(
                            r, "ecap"), NULL, 16), ==, ref->ecap);
    }
}

static void test_pasid_n(void)
{
    const unsigned widths[] = { 1, 5, 8, 16, 20 };

    for (size_t i = 0; i < G_N_ELEMENTS(widths); i++) {
        g_autofree char *props = g_strdup_printf("x-scalable-mode=on,"
                                                 "pasid=%u", widths[i]);
        QTestState *s = start_vtd(props);

        g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10), ==,
                        VTD_REF_ECAP_SM_NO_PASID | VTD_REF_ECAP_PASID |
                        ((uint64_t)(widths[i] - 1) << VTD_REF_ECAP_PSS_SHIFT));
        qtest_quit(s);
    }
}

static void test_gcmd_handshakes(void)
{
    QTestState *s = start_vtd("x-scalable-mode=on");

    qtest_writeq(s, VTD_BASE + 0x20, 0x100000 | (1 << 10));
    qtest_writel(s, VTD_BASE + 0x18, 1U << 30);         /* SRTP */
    g_assert_cmphex(qtest_readl(s, VTD_BASE + 0x1c), ==, 1U << 30);
    qtest_writeq(s, VTD_BASE + 0x88, 0);
    qtest_writeq(s, VTD_BASE + 0x90, 0x200000 | (1 << 11));
    qtest_writel(s, VTD_BASE + 0x18, 1U << 26);         /* QIE */
    qtest_writel(s, VTD_BASE + 0x18, (1U << 26) | (1U << 31));  /* TE */
    g_assert_cmphex(qtest_readl(s, VTD_BASE + 0x1c), ==,
                    (1U << 31) | (1U << 30) | (1U << 26));
    g_assert_cmphex(qtest_readl(s, VTD_BASE + 0x18), ==, 0);
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x80), ==, 0);    /* IQH */
    /* system_reset: registers read as at start. */
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    g_assert_cmphex(qtest_readl(s, VTD_BASE + 0x1c), ==, 0);
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10), ==,
                    vtd_reference[4].ecap);
    qtest_quit(s);
}

/* ---- assigned devices ---- */

#define VTD_AUTO "intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on,pasid=auto"

static QTestState *start_host(const char *file, const char *vtd,
                              const char *dev1, const char *dev2)
{
    g_autofree char *path = host_file(file);
    g_autofree char *args = g_strdup_printf(
        VV_STDARGS " -host-sim %s -object iommufd,id=iommufd0 -device %s "
        "-device %s%s%s", path, vtd, dev1, dev2 ? " -device " : "",
        dev2 ? dev2 : "");

    return qtest_init(args);
}

/* The first vIOMMU of x-query-viommu; *@keep holds the reply. */
static JsonObject *query_viommu(QTestState *s, JsonNode **keep)
{
    *keep = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-viommu'}");
    return json_array_get_object_element(json_node_get_array(*keep), 0);
}

#define DEV_PASID "vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme," \
                  "addr=3.0"
#define DEV_NIC   "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nic," \
                  "addr=4.0"

/* The two shipped two-device hosts' outcome must not depend on order. */
static const char *const two_device_hosts[] = {
    "intel-pasid.json", "intel-pasid-dmar1-no-pasid.json",
    "intel-pasid-dmar1-pss7.json", "intel-pasid-dmar1-mgaw39.json",
    "intel-pasid-dmar1-no-flts.json", "intel-pasid-mixed-smmuv3.json",
    "intel-pasid-two-widths.json",
};

/* Exit status, stderr and the config dump of a start-up in one order. */
static char *startup_outcome(const char *file, bool reversed)
{
    g_autofree char *path = host_file(file);
    g_autofree char *args = g_strdup_printf(
        VV_STDARGS " -display none -dump-pci-config -host-sim %s "
        "-object iommufd,id=iommufd0 -device " VTD_AUTO " -device %s "
        "-device %s", path, reversed ? DEV_NIC : DEV_PASID,
        reversed ? DEV_PASID : DEV_NIC);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = qtest_run(args, &out, &err);

    return g_strdup_printf("%d\n%s\n%s", status, err, out);
}

/* What the guest reads of the vIOMMU, if the machine starts. */
static char *viommu_outcome(const char *file, bool reversed)
{
    QTestState *s = start_host(file, VTD_AUTO, reversed ? DEV_NIC : DEV_PASID,
                               reversed ? DEV_PASID : DEV_NIC);
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *v = query_viommu(s, &keep);
    char *r = g_strdup_printf("ecap %" G_GINT64_MODIFIER "x width %"
                              G_GINT64_FORMAT, qtest_readq(s, VTD_BASE + 0x10),
                              json_object_get_int_member(v, "pasid-width"));

    qtest_quit(s);
    return r;
}

static void test_order_free(gconstpointer data)
{
    const char *file = data;
    g_autofree char *one = startup_outcome(file, false);
    g_autofree char *two = startup_outcome(file, true);

    g_assert_cmpstr(one, ==, two);
    if (one[0] == '0') {
        g_autofree char *v1 = viommu_outcome(file, false);
        g_autofree char *v2 = viommu_outcome(file, true);

        g_assert_cmpstr(v1, ==, v2);
    }
}

/* A PASID accelerator and a NIC on a unit without PASID share a vIOMMU. */
static void test_mixed_machine(void)
{
    QTestState *s = start_host("intel-pasid-dmar1-no-pasid.json", VTD_AUTO,
                               DEV_NIC, DEV_PASID);
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *v = query_viommu(s, &keep);
    JsonArray *from;

    g_assert_cmpuint((qtest_readq(s, VTD_BASE + 0x10) >>
                      VTD_REF_ECAP_PSS_SHIFT & 0x1f) + 1, ==, 20);
    g_assert_true(qtest_readq(s, VTD_BASE + 0x10) & VTD_REF_ECAP_PASID);
    from = json_object_get_array_member(
        json_object_get_object_member(v, "resolved-from"), "pasid");
    g_assert_cmpuint(json_array_get_length(from), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(from, 0), ==, "nvme");
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, QPCI_BDF(0, 3, 0),
                                            PCI_EXT_PASID), ==, 0xff8);
    g_assert_cmphex(qtest_ecam_readw(s, QPCI_BDF(0, 3, 0), 0xff8 + 4), ==,
                    0x1406);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, QPCI_BDF(0, 4, 0),
                                            PCI_EXT_PASID), ==, 0);
    qtest_quit(s);
}

/*
 * An 8-bit device behind a 20-bit host IOMMU: auto takes the IOMMU's
 * width (DESIGN rule 3); the device's own capability says 8.
 */
/* Two PASID devices on units of 20 and 8 bits: 8, whatever the order. */
static void test_auto_smallest_host_width(void)
{
    QTestState *s = start_host("intel-pasid-two-widths.json", VTD_AUTO,
                               DEV_PASID, DEV_NIC);

    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10) >> VTD_REF_ECAP_PSS_SHIFT
                    & 0x1f, ==, 7);
    qtest_quit(s);
}

static void test_auto_width8(void)
{
    QTestState *s = start_host("intel-pasid-width8.json", VTD_AUTO,
                               DEV_PASID, NULL);

    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10) >> VTD_REF_ECAP_PSS_SHIFT
                    & 0x1f, ==, 19);
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    g_assert_cmphex(qtest_ecam_readw(s, QPCI_BDF(0, 3, 0), 0xff8 + 4) >> 8 &
                    0x1f, ==, 8);
    qtest_quit(s);
}

/* No PASID capability without x-flts=on: no guest PASID reaches a host. */
static void test_no_flts_no_pasid_cap(void)
{
    QTestState *s = start_host("intel-pasid.json", "intel-iommu,"
                               "x-scalable-mode=on,caching-mode=on,pasid=20",
                               DEV_PASID, NULL);

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    g_assert_true(qtest_readq(s, VTD_BASE + 0x10) & VTD_REF_ECAP_PASID);
    g_assert_cmphex(qtest_ecam_find_ext_cap(s, QPCI_BDF(0, 3, 0),
                                            PCI_EXT_PASID), ==, 0);
    qtest_quit(s);
}

/*
 * An AMD host (type 0, no vendor data) behind an emulated intel-iommu:
 * its IOVA width comes from the IOAS's ranges.
 */
static void test_amd_host_aw_bits(void)
{
    g_autofree char *path = host_file("amd-vi-iova39.json");
    g_autofree char *args = g_strdup_printf(
        VV_STDARGS " -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device intel-iommu,caching-mode=on -device " DEV_NIC, path);
    g_autofree char *ok = g_strdup_printf(
        VV_STDARGS " -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device intel-iommu,caching-mode=on,aw-bits=39 -device " DEV_NIC
        " -dump-pci-config", path);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, "vfio-viommu: -device " DEV_NIC ": vfio "
                    "0000:02:00.0: Failed to set vIOMMU: nic: aw-bits 48 > "
                    "host aw-bits 39\n");
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(qtest_run(ok, &out, &err), ==, 0);
}

/* An AMD host (type 0) works behind an emulated intel-iommu. */
static void test_amd_host_without_flts(void)
{
    QTestState *s = start_host("amd-vi.json", "intel-iommu,caching-mode=on",
                               DEV_PASID, DEV_NIC);
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *v = query_viommu(s, &keep);

    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
                         v, "devices")), ==, 2);
    qtest_quit(s);
}

/* The fixed-width vIOMMU each refusal is checked against. */
#define VTD_20 "intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on," \
               "pasid=20"

static const struct {
    const char *file;
    const char *vtd;
    const char *dev;            /* the refused device, then its name */
    const char *what;           /* the refusal's tail, after the name */
} refusals[] = {
    { "intel-pasid-two-widths.json", VTD_20, DEV_NIC,
      "PASID bits size 20 > host IOMMU PASID bits size 8 (intel-iommu "
      "ECAP.PSS=19, host ECAP.PSS=7)" },
    { "intel-pasid-dmar1-mgaw39.json", VTD_20, DEV_NIC,
      "aw-bits 48 > host aw-bits 39" },
    { "intel-pasid-mixed-smmuv3.json", VTD_20, DEV_NIC,
      "Incompatible host platform IOMMU type 2" },
    { "intel-pasid-dmar1-no-flts.json", VTD_20, DEV_NIC,
      "Host IOMMU doesn't support first stage translation (host "
      "ECAP.FLTS=0, x-flts=on needs 1)" },
    { "amd-vi.json", VTD_20, DEV_NIC,
      "Incompatible host platform IOMMU type 0" },
};

static void test_refused_at_startup(gconstpointer data)
{
    const char *file = refusals[GPOINTER_TO_INT(data)].file;
    const char *vtd = refusals[GPOINTER_TO_INT(data)].vtd;
    const char *what = refusals[GPOINTER_TO_INT(data)].what;
    g_autofree char *path = host_file(file);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf(
        "vfio-viommu: -device " DEV_NIC ": vfio 0000:02:00.0: Failed to set "
        "vIOMMU: nic: %s\n", what);
    g_autofree char *args = g_strdup_printf(
        VV_STDARGS " -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device %s -device " DEV_NIC, path, vtd);

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, want);
}

#define RP "pcie-root-port,id=rp0,chassis=1,slot=1,addr=5.0"

static void test_refused_at_hotplug(gconstpointer data)
{
    const char *file = refusals[GPOINTER_TO_INT(data)].file;
    const char *vtd = refusals[GPOINTER_TO_INT(data)].vtd;
    const char *what = refusals[GPOINTER_TO_INT(data)].what;
    QTestState *s = start_host(file, vtd, RP, NULL);
    uint64_t ecap = qtest_readq(s, VTD_BASE + 0x10);
    g_autofree char *before = qtest_vm_view(s);
    g_autofree char *after = NULL;
    g_autofree char *want = g_strdup_printf(
        "vfio 0000:02:00.0: Failed to set vIOMMU: nic: %s", what);

    qtest_qmp_expect_error(s, "GenericError", want,
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'vfio-pci', 'host': '0000:02:00.0', "
                           "'iommufd': 'iommufd0', 'id': 'nic', "
                           "'bus': 'rp0'}}");
    /* Nothing changed: registers, PCI, the vIOMMU, the host. */
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10), ==, ecap);
    after = qtest_vm_view(s);
    g_assert_cmpstr(after, ==, before);
    qtest_quit(s);
}

static void test_departure_changes_nothing(void)
{
    QTestState *s = start_host("intel-pasid-dmar1-no-pasid.json", VTD_AUTO,
                               RP, "vfio-pci,host=0000:01:00.0,"
                               "iommufd=iommufd0,id=nvme,bus=rp0");
    uint64_t ecap = qtest_readq(s, VTD_BASE + 0x10);

    qtest_qmp_assert_success(s, "{'execute': 'device_del', 'arguments': "
                             "{'id': 'nvme'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': 'vfio-pci', 'host': '0000:02:00.0', "
                             "'iommufd': 'iommufd0', 'id': 'nic', "
                             "'bus': 'rp0'}}");
    g_assert_cmphex(qtest_readq(s, VTD_BASE + 0x10), ==, ecap);
    qtest_quit(s);
}

static void test_svm_needs_pasid_after_auto(void)
{
    g_autofree char *path = host_file("intel-pasid-dmar1-no-pasid.json");
    g_autofree char *args = g_strdup_printf(
        VV_STDARGS " -display none -host-sim %s -object iommufd,id=iommufd0 "
        "-device " VTD_AUTO ",svm=on,device-iotlb=on -device " DEV_NIC, path);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, "vfio-viommu: warning: intel-iommu pasid=auto: "
                    "no cold-plugged device reports a PASID width; PASID is "
                    "not advertised\nvfio-viommu: Need to set PASID support "
                    "for svm\n");
}

/* ---- what a Linux guest does ---- */

static void test_linux_guest_enables_pasid(void)
{
    QTestState *s = start_host("intel-pasid.json", VTD_AUTO, DEV_PASID,
                               NULL);
    uint16_t bdf = QPCI_BDF(0, 3, 0);
    uint64_t ecap = qtest_readq(s, VTD_BASE + 0x10);
    uint16_t pasid, cap, ctrl_want;
    uint8_t exp;
    unsigned dev_width, effective;

    /* intel_iommu: scalable mode and PASID, 2 << PSS PASIDs. */
    g_assert_true(ecap & ECAP_SMTS);
    g_assert_true(ecap & VTD_REF_ECAP_PASID);
    /* Firmware turns ECAM on. */
    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    /* pci_enable_pasid(): TLP prefix on an RCiEP, the capability. */
    exp = qtest_ecam_find_cap(s, bdf, 0x10);
    g_assert_cmpuint(exp, !=, 0);
    g_assert_cmphex((qtest_ecam_readw_dword(s, bdf, exp + 2) >> 4) & 0xf,
                    ==, 9);
    g_assert_true(qtest_ecam_readl(s, bdf, exp + 0x24) & (1U << 21));
    pasid = qtest_ecam_find_ext_cap(s, bdf, PCI_EXT_PASID);
    g_assert_cmpuint(pasid, !=, 0);
    cap = qtest_ecam_readw_dword(s, bdf, pasid + 4);
    dev_width = (cap >> 8) & 0x1f;
    ctrl_want = 1 | (cap & 0x6);
    qtest_ecam_writel(s, bdf, pasid + 4, (uint32_t)ctrl_want << 16 | cap);
    g_assert_cmphex(qtest_ecam_readw_dword(s, bdf, pasid + 6), ==, ctrl_want);
    effective = MIN(dev_width, ((ecap >> VTD_REF_ECAP_PSS_SHIFT) & 0x1f) + 1);
    g_assert_cmpuint(effective, ==, 20);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VV_BINARY") || !g_getenv("VV_SOURCE_ROOT")) {
        g_printerr("VV_BINARY and VV_SOURCE_ROOT must be set\n");
        return 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vtd_reference); i++) {
        g_autofree char *path = g_strdup_printf(
            "/intel-iommu/reference/%s",
            *vtd_reference[i].props ? vtd_reference[i].props : "defaults");

        g_test_add_data_func(path, &vtd_reference[i], test_reference);
    }
    g_test_add_func("/intel-iommu/reference/matches-shared-file",
                    test_reference_file);
    g_test_add_func("/intel-iommu/pasid/n-sets-pss", test_pasid_n);
    g_test_add_func("/intel-iommu/registers/gcmd-handshakes",
                    test_gcmd_handshakes);
    for (size_t i = 0; i < G_N_ELEMENTS(two_device_hosts); i++) {
        g_autofree char *p = g_strdup_printf("/intel-iommu/order-free/%s",
                                             two_device_hosts[i]);

        g_test_add_data_func(p, two_device_hosts[i], test_order_free);
    }
    g_test_add_func("/intel-iommu/pasid/mixed-machine", test_mixed_machine);
    g_test_add_func("/intel-iommu/pasid/auto-smallest-host-width",
                    test_auto_smallest_host_width);
    g_test_add_func("/intel-iommu/pasid/auto-device-width-8", test_auto_width8);
    g_test_add_func("/intel-iommu/pasid/no-cap-without-flts",
                    test_no_flts_no_pasid_cap);
    g_test_add_func("/intel-iommu/host/amd-without-flts",
                    test_amd_host_without_flts);
    g_test_add_func("/intel-iommu/host/amd-aw-bits-from-iova-ranges",
                    test_amd_host_aw_bits);
    g_test_add_func("/intel-iommu/pasid/svm-rechecked-after-auto",
                    test_svm_needs_pasid_after_auto);
    for (size_t i = 0; i < G_N_ELEMENTS(refusals); i++) {
        g_autofree char *p1 = g_strdup_printf(
            "/intel-iommu/refused/startup/%s", refusals[i].file);
        g_autofree char *p2 = g_strdup_printf(
            "/intel-iommu/refused/hotplug/%s", refusals[i].file);

        g_test_add_data_func(p1, GINT_TO_POINTER(i), test_refused_at_startup);
        g_test_add_data_func(p2, GINT_TO_POINTER(i), test_refused_at_hotplug);
    }
    g_test_add_func("/intel-iommu/hotplug/departure-changes-nothing",
                    test_departure_changes_nothing);
    g_test_add_func("/intel-iommu/guest/linux-enables-pasid",
                    test_linux_guest_enables_pasid);
    return g_test_run();
}

/*
 * arm-smmuv3 accel=on host device checks in process, with hand-built
 * HostIOMMUDevice answers: the first device fixes the view and, with
 * ssidsize=auto, IDR1.SSIDSIZE; every refusal is exact and changes
 * nothing; auto at machine-init-done; the x-query-viommu entry.
 */
#include "smmuv3-test-helpers.h"

/* ---- host devices (accel=on) ---- */

/* The Arm host file's smmu0: 2-level, CD2L, ATS, SSIDSIZE 20, RIL. */
#define HOST_IDR0   0x0c08140bu
#define HOST_IDR1   0x00000510u
#define HOST_IDR3   0x00000400u
#define HOST_IDR5   0x00000055u

typedef struct HostSpec {
    uint32_t type;
    uint32_t idr[6];
    uint8_t dev_pasid;          /* out_max_pasid_log2 */
} HostSpec;

static HostSpec host_smmu(unsigned ssidsize, uint8_t dev_pasid)
{
    HostSpec h = {
        .type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3,
        .idr = { HOST_IDR0, (HOST_IDR1 & ~0x7c0u) | ssidsize << 6, 0,
                 HOST_IDR3, 0, HOST_IDR5 },
        .dev_pasid = dev_pasid,
    };
    return h;
}

static HostIOMMUDevice *hiod_new(Fixture *f, const char *name,
                                 const HostSpec *h)
{
    HostIOMMUDevice *hiod = test_hiod_new(f, name, h->type, h->dev_pasid);

    memcpy(hiod->caps.vendor.smmuv3.idr, h->idr, sizeof(h->idr));
    return hiod;
}

static bool host_plug(Fixture *f, const char *id, const HostSpec *h,
                      Error **errp)
{
    return test_host_plug(id, hiod_new(f, id, h), errp);
}

static void host_plug_ok(Fixture *f, const char *id, const HostSpec *h)
{
    test_host_plug_ok(id, hiod_new(f, id, h));
}

static void host_plug_err(Fixture *f, SMMUv3State *s, const char *id,
                          const HostSpec *h, const char *msg)
{
    uint32_t idr1 = smmu_readl(f, A_IDR1);

    test_host_plug_refused(&s->host, id, hiod_new(f, id, h), msg);
    /* A refusal changes nothing. */
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, idr1);
}

#define SMMU_AUTO "primary-bus=pcie.0,accel=on,ssidsize=auto"

static void test_host_first_finalizes(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec nopasid = host_smmu(20, 0), p14 = host_smmu(20, 14);
    HostSpec p20 = host_smmu(20, 20);
    Error *err = NULL;

    /* A device without PASID fixes the host view but not the width. */
    host_plug_ok(f, "dev0", &nopasid);
    g_assert_true(s->host.view_fixed);
    g_assert_cmpstr(s->host.view_device, ==, "dev0");
    g_assert_false(s->host.width_final);
    g_assert_cmpuint(pci_device_get_viommu_flags(
                         PCI_DEVICE(qdev_find_by_id("dev0"))), ==, 0);
    /* The first with PASID does; the flag is there right after. */
    host_plug_ok(f, "dev1", &p14);
    g_assert_true(s->host.width_final);
    g_assert_cmpuint(s->host.width, ==, 14);
    g_assert_cmpstr(s->host.width_from, ==, "dev1");
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1 | 14 << 6);
    g_assert_cmpuint(pci_device_get_viommu_flags(
                         PCI_DEVICE(qdev_find_by_id("dev1"))), ==,
                     VIOMMU_FLAG_PASID_SUPPORTED);
    /* A later, wider device does not change it. */
    host_plug_ok(f, "dev2", &p20);
    g_assert_cmpuint(s->host.width, ==, 14);
    g_assert_true(machine_init_done(f->ms, &err));
    g_assert_no_error(err);
    machine_reset(f->ms);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1 | 14 << 6);
}

static void test_host_auto_capped(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec h = host_smmu(16, 20);

    /* Its own host's SSIDSIZE caps the device's width... */
    host_plug_ok(f, "dev1", &h);
    g_assert_cmpuint(s->host.width, ==, 16);
}

static void test_host_auto_capped_by_earlier(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec narrow = host_smmu(12, 0), h = host_smmu(20, 20);

    /* ...and so does an earlier device's host SMMUv3. */
    host_plug_ok(f, "dev0", &narrow);
    host_plug_ok(f, "dev1", &h);
    g_assert_cmpuint(s->host.width, ==, 12);
}

static void test_host_refusals(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec ok = host_smmu(20, 20), h;

    host_plug_ok(f, "dev1", &ok);
    g_assert_cmpuint(s->host.width, ==, 20);
    h = host_smmu(16, 16);
    host_plug_err(f, s, "small", &h, "small: Host SMMUv3 SSIDSIZE not "
                  "compatible (host=16, QEMU=20)");
    h = ok;
    h.idr[1] = (h.idr[1] & ~0x3fu) | 12;
    host_plug_err(f, s, "sid12", &h, "sid12: Host SMMUv3 SIDSIZE not "
                  "compatible (host=12, QEMU=16)");
    h = ok;
    h.idr[0] &= ~(3u << 27);
    host_plug_err(f, s, "linear", &h, "linear: Host SMMUv3 Stream Table "
                  "format mismatch (host STLEVEL=0, QEMU STLEVEL=1)");
    h = ok;
    h.idr[3] &= ~(1u << 10);
    host_plug_err(f, s, "noril", &h, "noril: Host SMMUv3 doesn't support "
                  "Range Invalidation");
    h = ok;
    h.idr[0] = (h.idr[0] & ~(3u << 21)) | 3u << 21;
    host_plug_err(f, s, "big", &h, "big: Host SMMUv3 doesn't support "
                  "Little-endian translation table");
    h = ok;
    h.idr[0] = (h.idr[0] & ~(3u << 2)) | 1u << 2;
    host_plug_err(f, s, "aa32", &h, "aa32: Host SMMUv3 doesn't support "
                  "AArch64 translation table format");
    h = ok;
    h.type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
    host_plug_err(f, s, "vtd", &h, "vtd: Wrong data type (1) for Host SMMUv3 "
                  "device info: host IOMMU is intel-vtd, arm-smmuv3 "
                  "accel=on needs arm-smmuv3 (2)");
    /* A smaller device width is per device: accepted. */
    h = ok;
    h.dev_pasid = 5;
    host_plug_ok(f, "narrow-dev", &h);
    g_assert_cmpuint(s->host.devices->len, ==, 2);
    g_assert_cmpuint(s->host.width, ==, 20);
}

static const struct {
    const char *field;
    int idr;
    uint32_t xor;
} view_fields[] = {
    { "IDR0.TERM_MODEL", 0, 1u << 26 }, { "IDR0.STALL_MODEL", 0, 2u << 24 },
    { "IDR0.TTENDIAN", 0, 2u << 21 }, { "IDR0.CD2L", 0, 1u << 19 },
    { "IDR0.ASID16", 0, 1u << 12 }, { "IDR0.TTF", 0, 1u << 2 },
    { "IDR3.BBML", 3, 1u << 11 }, { "IDR5.VAX", 5, 1u << 10 },
    { "IDR5.GRAN64K", 5, 1u << 6 }, { "IDR5.GRAN16K", 5, 1u << 5 },
    { "IDR5.GRAN4K", 5, 1u << 4 },
};

static void test_host_view_fields(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on");
    HostSpec ok = host_smmu(20, 20);

    host_plug_ok(f, "first", &ok);
    for (size_t i = 0; i < G_N_ELEMENTS(view_fields); i++) {
        HostSpec h = ok;
        g_autofree char *id = g_strdup_printf("dev%zu", i);
        g_autofree char *msg = g_strdup_printf(
            "%s: Host SMMUv3 %s differs from the host SMMUv3 of first "
            "(host=", id, view_fields[i].field);
        Error *err = NULL;

        h.idr[view_fields[i].idr] ^= view_fields[i].xor;
        g_assert_false(host_plug(f, id, &h, &err));
        g_assert_true(g_str_has_prefix(err->message, msg));
        error_free(err);
    }
    g_assert_cmpuint(s->host.devices->len, ==, 1);
}

static void test_host_view_message(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on");
    HostSpec ok = host_smmu(20, 20), h = ok;

    host_plug_ok(f, "first", &ok);
    h.idr[5] |= 1u << 5;
    host_plug_err(f, s, "gran16k", &h, "gran16k: Host SMMUv3 IDR5.GRAN16K "
                  "differs from the host SMMUv3 of first (host=1, "
                  "vIOMMU=0)");
}

static void test_host_ats_oas(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,ats=on,oas=48");
    HostSpec h = host_smmu(20, 0);

    h.idr[0] &= ~(1u << 10);
    host_plug_err(f, s, "noats", &h, "noats: Host SMMUv3 doesn't support "
                  "Address Translation Services");
    h = host_smmu(20, 0);
    h.idr[5] = (h.idr[5] & ~7u) | 4;
    host_plug_err(f, s, "oas44", &h, "oas44: Host SMMUv3 supports only "
                  "44-bit IPA, but the vSMMU OAS implies 48-bit IPA");
    h = host_smmu(20, 0);
    host_plug_ok(f, "ok", &h);
}

static void test_host_needs_accel(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0");
    HostSpec h = host_smmu(20, 20);
    Error *err = NULL;

    host_plug_err(f, s, "dev1", &h, "dev1: device 00.01.0 requires iommu MAP "
                  "notifier which is not currently supported (arm-smmuv3 "
                  "needs accel=on for vfio-pci)");
    /* Emulated devices (no host IOMMU device) are not asked. */
    g_assert_true(pci_device_has_iommu(test_ep_add("emulated")));
    g_assert_no_error(err);
}

static void test_host_explicit_width(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,ssidsize=16");
    HostSpec h = host_smmu(12, 12);

    /* Even the first device must back an explicit width. */
    host_plug_err(f, s, "dev1", &h, "dev1: Host SMMUv3 SSIDSIZE not "
                  "compatible (host=12, QEMU=16)");
    h = host_smmu(16, 20);
    host_plug_ok(f, "dev2", &h);
    g_assert_null(s->host.width_from);
    g_assert_cmpuint(pci_device_get_viommu_flags(
                         PCI_DEVICE(qdev_find_by_id("dev2"))), ==,
                     VIOMMU_FLAG_PASID_SUPPORTED);
}

static void test_host_same_device_twice(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on");
    HostSpec h = host_smmu(20, 0);

    test_viommu_same_device_twice(&s->host, "dev1", hiod_new(f, "dev1", &h),
                                  hiod_new(f, "dev1", &h), "dev1: arm-smmuv3 "
                                  "already has a host IOMMU device for it");
}

static void test_host_fixed_after_init_done(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec h = host_smmu(20, 0);
    Error *err = NULL;

    host_plug_ok(f, "dev0", &h);
    g_assert_true(machine_init_done(f->ms, &err));
    g_assert_true(s->host.width_final);
    g_assert_cmpuint(s->host.width, ==, 0);
    h.dev_pasid = 20;
    host_plug_ok(f, "hot", &h);
    g_assert_cmpuint(s->host.width, ==, 0);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
}

static void test_auto_no_device(void)
{
    MachineState *ms = test_virt_new();

    smmu_add_ok(SMMU_AUTO);
    test_viommu_init_done_err(ms, "arm-smmuv3 accel=on with 'auto' "
                              "properties requires at least one "
                              "cold-plugged VFIO device");
    test_q35_free();
}

static void test_auto_no_pasid_subprocess(void)
{
    Fixture f;
    HostSpec h = host_smmu(20, 0);
    Error *err = NULL;
    SMMUv3State *s;

    fixture_setup(&f, NULL);
    s = smmu_add_ok(SMMU_AUTO);
    host_plug_ok(&f, "dev0", &h);
    g_assert_true(machine_init_done(f.ms, &err));
    g_assert_true(s->host.width_final);
    g_assert_cmpuint(s->host.width, ==, 0);
    test_viommu_fixture_teardown(&f, NULL);
}

static void test_auto_no_pasid_warns(void)
{
    g_test_trap_subprocess("/smmuv3/auto/no-pasid-device-warns/subprocess",
                           0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("vfio-viommu: warning: arm-smmuv3 "
                              "ssidsize=auto: no cold-plugged device reports "
                              "a PASID width; SubstreamIDs are not "
                              "advertised\n");
}

static void test_query(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec h = host_smmu(20, 14);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o, *dev;

    host_plug_ok(f, "dev1", &h);
    node = smmuv3_query(s);
    o = json_node_get_object(node);
    g_assert_cmpstr(json_object_get_string_member(o, "type"), ==,
                    "arm-smmuv3");
    g_assert_cmpstr(json_object_get_string_member(o, "ssidsize"), ==, "auto");
    g_assert_cmpint(json_object_get_int_member(o, "pasid-width"), ==, 14);
    g_assert_cmpstr(json_object_get_string_member(o, "finalized-by"), ==,
                    "dev1");
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(o, "idr"), 1), ==,
                    "0x02730390");
    dev = json_array_get_object_element(
        json_object_get_array_member(o, "devices"), 0);
    g_assert_cmpint(json_object_get_int_member(dev, "ssidsize"), ==, 20);
    g_assert_cmpint(json_object_get_int_member(dev, "max-pasid-log2"), ==, 14);
    g_assert_cmpint(json_object_get_int_member(dev, "hw-info-calls"), ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("host/first-pasid-device-finalizes", test_host_first_finalizes);
    ADD("host/auto-capped-at-host-ssidsize", test_host_auto_capped);
    ADD("host/auto-capped-by-earlier-device",
        test_host_auto_capped_by_earlier);
    ADD("host/later-devices-refused", test_host_refusals);
    ADD("host/view-fields-compared", test_host_view_fields);
    ADD("host/view-refusal-message", test_host_view_message);
    ADD("host/ats-and-oas-checked", test_host_ats_oas);
    ADD("host/accel-required", test_host_needs_accel);
    ADD("host/explicit-width-checked", test_host_explicit_width);
    ADD("host/same-device-twice-refused", test_host_same_device_twice);
    ADD("host/fixed-after-init-done", test_host_fixed_after_init_done);
    ADD("query/x-query-viommu", test_query);
    g_test_add_func("/smmuv3/auto/no-cold-plugged-device",
                    test_auto_no_device);
    g_test_add_func("/smmuv3/auto/no-pasid-device-warns",
                    test_auto_no_pasid_warns);
    g_test_add_func("/smmuv3/auto/no-pasid-device-warns/subprocess",
                    test_auto_no_pasid_subprocess);
    return g_test_run();
}

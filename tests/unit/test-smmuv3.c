/*
 * arm-smmuv3 accel=on host device checks in process, with hand-built
 * HostIOMMUDevice answers: every device checked against what the vSMMU
 * advertises, every refusal exact and without effect; ssidsize, ril,
 * oas and ats "auto" resolved at machine-init-done whatever the order;
 * IDR0.CD2L; the x-query-viommu entry.
 */
#include "smmuv3-test-helpers.h"

/* ---- host devices (accel=on) ---- */

/* The Arm host file's smmu0: 2-level, CD2L, ATS, SSIDSIZE 20, RIL, 4K/16K/64K. */
#define HOST_IDR0   0x0c08140bu
#define HOST_IDR1   0x00000510u
#define HOST_IDR3   0x00000400u
#define HOST_IDR5   0x00000075u

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

static uint64_t ep_flags(const char *id)
{
    return pci_device_get_viommu_flags(PCI_DEVICE(qdev_find_by_id(id)));
}

static void test_host_auto_at_init_done(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec nopasid = host_smmu(12, 0), p14 = host_smmu(16, 14);
    HostSpec p20 = host_smmu(20, 20);
    g_autofree char *from = NULL;

    /* Nothing moves while devices arrive: the width waits. */
    host_plug_ok(f, "dev0", &nopasid);
    host_plug_ok(f, "dev1", &p20);
    host_plug_ok(f, "dev2", &p14);
    g_assert_cmpuint(s->host.width, ==, 0);
    g_assert_cmpuint(ep_flags("dev1"), ==, VIOMMU_FLAG_PASID_PENDING);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
    /* The smallest host SSIDSIZE of the devices with PASID: dev0 has none. */
    test_viommu_init_done_ok(f->ms);
    g_assert_cmpuint(s->host.width, ==, 16);
    from = test_viommu_sources(&s->host, "ssidsize");
    g_assert_cmpstr(from, ==, "dev1,dev2");
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1 | 16 << 6);
    /* Above 10 bits with CD2L on every PASID host: IDR0.CD2L. */
    g_assert_cmphex(smmu_readl(f, A_IDR0), ==, QEMU_IDR0 | 1u << 19);
    g_assert_cmpuint(ep_flags("dev1"), ==, VIOMMU_FLAG_PASID_SUPPORTED);
    machine_reset(f->ms);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1 | 16 << 6);
}

static void test_host_auto_cd2l(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec nocd2l = host_smmu(20, 20), nic = host_smmu(0, 0);

    /* A device without PASID never counts for CD2L... */
    nic.idr[0] &= ~(1u << 19);
    host_plug_ok(f, "nic", &nic);
    /* ...a PASID device's host without it keeps CD2L off. */
    nocd2l.idr[0] &= ~(1u << 19);
    host_plug_ok(f, "dev", &nocd2l);
    test_viommu_init_done_ok(f->ms);
    g_assert_cmpuint(s->host.width, ==, 20);
    g_assert_cmphex(smmu_readl(f, A_IDR0), ==, QEMU_IDR0);
}

static void test_host_auto_ril_oas_ats(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,ril=auto,"
                                 "oas=auto,ats=auto");
    HostSpec a = host_smmu(20, 0), b = host_smmu(20, 0);
    g_autofree char *from = NULL;

    b.idr[3] &= ~(1u << 10);                    /* no RIL */
    b.idr[5] = (b.idr[5] & ~7u) | 4;            /* 44-bit OAS */
    a.idr[5] = (a.idr[5] & ~7u) | 5;            /* 48-bit OAS */
    host_plug_ok(f, "a", &a);
    host_plug_ok(f, "b", &b);
    test_viommu_init_done_ok(f->ms);
    /* The test endpoints have no ATS capability: ats=auto stays off. */
    g_assert_cmphex(smmu_readl(f, A_IDR3), ==, QEMU_IDR3 & ~(1u << 10));
    g_assert_cmphex(smmu_readl(f, A_IDR5), ==, QEMU_IDR5);
    g_assert_cmphex(smmu_readl(f, A_IDR0) & (1u << 10), ==, 0);
    from = test_viommu_sources(&s->host, "ril");
    g_assert_cmpstr(from, ==, "a,b");
    /* Resolved: a host without RIL may come now. */
    host_plug_ok(f, "hot", &b);
}

static void test_host_refusals(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,ssidsize=20");
    HostSpec ok = host_smmu(20, 20), h;

    host_plug_ok(f, "dev1", &ok);
    h = host_smmu(16, 16);
    host_plug_err(f, s, "small", &h, "small: Host SMMUv3 SSIDSIZE not "
                  "compatible (host=16, QEMU=20)");
    /* Without PASID a device is not held to SSIDSIZE nor CD2L. */
    h = host_smmu(0, 0);
    h.idr[0] &= ~(1u << 19);
    host_plug_ok(f, "nic", &h);
    h = ok;
    h.idr[0] &= ~(1u << 19);
    host_plug_err(f, s, "nocd2l", &h, "nocd2l: Host SMMUv3 doesn't support "
                  "2-level CD tables (host IDR0.CD2L=0, vSMMU IDR0.CD2L=1 "
                  "for SSIDSIZE 20)");
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
                  "Range Invalidation (host IDR3.RIL=0, vSMMU IDR3.RIL=1)");
    h = ok;
    h.idr[0] = (h.idr[0] & ~(3u << 21)) | 3u << 21;
    host_plug_err(f, s, "big", &h, "big: Host SMMUv3 doesn't support "
                  "Little-endian translation table (host TTENDIAN=3, QEMU "
                  "TTENDIAN=2)");
    h = ok;
    h.idr[0] = (h.idr[0] & ~(3u << 2)) | 1u << 2;
    host_plug_err(f, s, "aa32", &h, "aa32: Host SMMUv3 doesn't support "
                  "AArch64 translation table format (host TTF=1, QEMU TTF=2)");
    h = ok;
    h.type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
    host_plug_err(f, s, "vtd", &h, "vtd: Wrong data type (1) for Host SMMUv3 "
                  "device info: host IOMMU is intel-vtd, arm-smmuv3 "
                  "accel=on needs arm-smmuv3 (2)");
    /* A smaller device width is per device: accepted. */
    h = ok;
    h.dev_pasid = 5;
    host_plug_ok(f, "narrow-dev", &h);
    g_assert_cmpuint(s->host.devices->len, ==, 3);
    g_assert_cmpuint(s->host.width, ==, 20);
}

static const struct {
    const char *what;
    int idr;
    uint32_t bit;
} feature_fields[] = {
    { "4K translation granule", 5, 1u << 4 },
    { "16K translation granule", 5, 1u << 5 },
    { "64K translation granule", 5, 1u << 6 },
    { "16-bit ASID", 0, 1u << 12 },
};

static void test_host_features(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on");
    HostSpec ok = host_smmu(20, 20);

    for (size_t i = 0; i < G_N_ELEMENTS(feature_fields); i++) {
        HostSpec h = ok;
        g_autofree char *id = g_strdup_printf("dev%zu", i);
        g_autofree char *msg = g_strdup_printf(
            "%s: Host SMMUv3 doesn't support %s", id, feature_fields[i].what);

        h.idr[feature_fields[i].idr] &= ~feature_fields[i].bit;
        host_plug_err(f, s, id, &h, msg);
    }
    /* Fields the vSMMU does not advertise or compare: anything goes. */
    ok.idr[3] ^= 3u << 11;                      /* BBML */
    ok.idr[5] ^= 1u << 10;                      /* VAX */
    ok.idr[0] &= ~(1u << 10);                   /* ATS: per device */
    host_plug_ok(f, "other", &ok);
}

static void test_host_departure_changes_nothing(Fixture *f,
                                                gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok(SMMU_AUTO);
    HostSpec first = host_smmu(20, 20), other = host_smmu(20, 20);
    PCIDevice *pdev = test_ep_add("first");
    uint32_t idr[6];
    Error *err = NULL;

    g_assert_true(pci_device_set_iommu_device(pdev,
                                              hiod_new(f, "first", &first),
                                              &err));
    test_viommu_init_done_ok(f->ms);
    memcpy(idr, s->idr, sizeof(idr));
    pci_device_unset_iommu_device(pdev);
    /* Another host SMMU that backs what is advertised: welcome. */
    other.idr[3] ^= 1u << 11;
    host_plug_ok(f, "second", &other);
    g_assert_cmpmem(idr, sizeof(idr), s->idr, sizeof(s->idr));
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

static void test_host_oas(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,oas=48");
    HostSpec h = host_smmu(20, 0);

    h.idr[5] = (h.idr[5] & ~7u) | 4;
    host_plug_err(f, s, "oas44", &h, "oas44: Host SMMUv3 supports only "
                  "44-bit IPA, but the vSMMU OAS implies 48-bit IPA");
    h = host_smmu(20, 0);
    host_plug_ok(f, "ok", &h);
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
    g_assert_cmpuint(ep_flags("dev2"), ==, VIOMMU_FLAG_PASID_SUPPORTED);
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

    host_plug_ok(f, "dev0", &h);
    test_viommu_init_done_ok(f->ms);
    g_assert_true(s->host.resolved);
    g_assert_cmpuint(s->host.width, ==, 0);
    h.dev_pasid = 20;
    host_plug_ok(f, "hot", &h);
    g_assert_cmpuint(s->host.width, ==, 0);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
}

/* A Linux guest's ssid_bits: SSIDSIZE, capped at 10 without CD2L. */
static unsigned linux_ssid_bits(uint32_t idr0, uint32_t idr1)
{
    unsigned bits = (idr1 >> 6) & 0x1f;

    return (idr0 & (1u << 19)) ? bits : MIN(bits, 10u);
}

static void test_linux_guest_ssid_bits(Fixture *f, gconstpointer data)
{
    HostSpec h = host_smmu(20, 20);

    smmu_add_ok(SMMU_AUTO);
    host_plug_ok(f, "dev", &h);
    test_viommu_init_done_ok(f->ms);
    g_assert_cmpuint(linux_ssid_bits(smmu_readl(f, A_IDR0),
                                     smmu_readl(f, A_IDR1)), ==, 20);
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
    g_assert_true(s->host.resolved);
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
    test_viommu_init_done_ok(f->ms);
    node = smmuv3_query(s);
    o = json_node_get_object(node);
    g_assert_cmpstr(json_object_get_string_member(o, "type"), ==,
                    "arm-smmuv3");
    g_assert_cmpstr(json_object_get_string_member(o, "ssidsize"), ==, "auto");
    g_assert_cmpint(json_object_get_int_member(o, "pasid-width"), ==, 20);
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(o, "idr"), 1), ==,
                    "0x02730510");
    g_assert_cmpstr(json_object_get_string_member(o, "mmio-base"), ==,
                    "0x9050000");
    dev = json_array_get_object_element(
        json_object_get_array_member(o, "devices"), 0);
    g_assert_cmpint(json_object_get_int_member(dev, "iommu-pasid-width"), ==,
                    20);
    g_assert_cmpint(json_object_get_int_member(dev, "max-pasid-log2"), ==, 14);
    g_assert_cmpint(json_object_get_int_member(dev, "hw-info-calls"), ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("host/auto-resolved-at-init-done", test_host_auto_at_init_done);
    ADD("host/auto-cd2l-from-pasid-hosts", test_host_auto_cd2l);
    ADD("host/auto-ril-oas-ats", test_host_auto_ril_oas_ats);
    ADD("host/checked-against-advertised", test_host_refusals);
    ADD("host/advertised-features-required", test_host_features);
    ADD("host/departure-changes-nothing",
        test_host_departure_changes_nothing);
    ADD("host/oas-checked", test_host_oas);
    ADD("host/accel-required", test_host_needs_accel);
    ADD("host/explicit-width-checked", test_host_explicit_width);
    ADD("host/same-device-twice-refused", test_host_same_device_twice);
    ADD("host/resolved-after-init-done", test_host_fixed_after_init_done);
    ADD("guest/linux-ssid-bits-with-cd2l", test_linux_guest_ssid_bits);
    ADD("query/x-query-viommu", test_query);
    g_test_add_func("/smmuv3/auto/no-cold-plugged-device",
                    test_auto_no_device);
    g_test_add_func("/smmuv3/auto/no-pasid-device-warns",
                    test_auto_no_pasid_warns);
    g_test_add_func("/smmuv3/auto/no-pasid-device-warns/subprocess",
                    test_auto_no_pasid_subprocess);
    return g_test_run();
}

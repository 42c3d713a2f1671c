/*
 * intel-iommu in process: properties and realize-time validation, the
 * registers a guest driver programs, and the host device checks with
 * hand-built HostIOMMUDevice answers (first finalizes, later checked,
 * every refusal exact and without effect, pasid=auto at init-done).
 */
#include "viommu-test-helpers.h"

#include "hw/i386/intel_iommu.h"
#include "../../hw/i386/intel_iommu_internal.h"
#include "../qtest/intel-iommu-reference.h"

#define VTD_BASE Q35_HOST_BRIDGE_IOMMU_ADDR

static void fixture_setup(Fixture *f, gconstpointer data)
{
    test_viommu_fixture_init(f, test_q35_new());
    intel_iommu_register_types();
}

/* -device intel-iommu,@props ("k=v,k=v" or ""). */
static IntelIOMMUState *vtd_add(const char *props, Error **errp)
{
    DeviceState *dev = test_viommu_add(TYPE_INTEL_IOMMU_DEVICE, props, errp);

    return dev ? INTEL_IOMMU_DEVICE(dev) : NULL;
}

static IntelIOMMUState *vtd_add_ok(const char *props)
{
    return INTEL_IOMMU_DEVICE(test_viommu_add_ok(TYPE_INTEL_IOMMU_DEVICE,
                                                 props));
}

static void vtd_add_err(const char *props, const char *msg)
{
    test_viommu_add_err(TYPE_INTEL_IOMMU_DEVICE, props, msg);
    g_assert_null(intel_iommu_find());
}

static uint64_t vtd_readq(Fixture *f, hwaddr reg)
{
    return address_space_ld(&f->ms->memory, VTD_BASE + reg, 8);
}

static uint32_t vtd_readl(Fixture *f, hwaddr reg)
{
    return address_space_ld(&f->ms->memory, VTD_BASE + reg, 4);
}

static void vtd_writel(Fixture *f, hwaddr reg, uint32_t v)
{
    address_space_st(&f->ms->memory, VTD_BASE + reg, v, 4);
}

static void vtd_writeq(Fixture *f, hwaddr reg, uint64_t v)
{
    address_space_st(&f->ms->memory, VTD_BASE + reg, v, 8);
}

/*
 * A host VT-d unit: address width, PASID width (0 = none), NEST, FS1GP,
 * FLTS; and the device's own PASID width.
 */
typedef struct HostSpec {
    uint32_t type;
    unsigned mgaw;
    unsigned iommu_pasid;
    unsigned dev_pasid;
    bool nest;
    bool fs1gp;
    bool flts;
} HostSpec;

#define HOST_VTD(pasid) { IOMMU_HW_INFO_TYPE_INTEL_VTD, 48, 20, pasid, \
                          true, true, true }

static HostIOMMUDevice *hiod_new(Fixture *f, const char *name,
                                 const HostSpec *h)
{
    HostIOMMUDevice *hiod = test_hiod_new(f, name, h->type, h->dev_pasid);
    uint64_t ecap = VTD_ECAP_QI | VTD_ECAP_SMTS | VTD_ECAP_SLTS |
                    (h->flts ? VTD_ECAP_FLTS : 0);

    if (h->iommu_pasid) {
        ecap |= VTD_ECAP_PASID | VTD_ECAP_PSS(h->iommu_pasid);
    }
    ecap |= h->nest ? VTD_ECAP_NEST : 0;
    hiod->caps.vendor.vtd.ecap_reg = ecap;
    hiod->caps.vendor.vtd.cap_reg = VTD_CAP_MGAW(h->mgaw) |
        VTD_CAP_SAGAW_48BIT | (h->fs1gp ? VTD_CAP_FS1GP : 0);
    return hiod;
}

/* Plug a pass-through-like device and hand its host answer over. */
static void host_plug_ok(Fixture *f, const char *id, const HostSpec *h)
{
    test_host_plug_ok(id, hiod_new(f, id, h));
}

static void host_plug_err(Fixture *f, IntelIOMMUState *s, const char *id,
                          const HostSpec *h, const char *msg)
{
    uint64_t ecap = vtd_readq(f, DMAR_ECAP_REG);

    test_host_plug_refused(&s->host, id, hiod_new(f, id, h), msg);
    /* A refusal changes nothing. */
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, ecap);
}

/* ---- properties and registers at realize ---- */

static void test_reference(Fixture *f, gconstpointer data)
{
    const VtdReference *ref = data;
    IntelIOMMUState *s = vtd_add_ok(ref->props);

    g_assert_cmphex(vtd_readl(f, DMAR_VER_REG), ==, ref->ver);
    g_assert_cmphex(vtd_readq(f, DMAR_CAP_REG), ==, ref->cap);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, ref->ecap);
    g_assert_cmphex(intel_iommu_get_cap(s), ==, ref->cap);
    /* Reset reads the same. */
    machine_reset(f->ms);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, ref->ecap);
}

static void test_pasid_n(Fixture *f, gconstpointer data)
{
    for (unsigned n = 1; n <= VTD_PASID_MAX_WIDTH; n++) {
        g_autofree char *props =
            g_strdup_printf("x-scalable-mode=on,pasid=%u", n);
        IntelIOMMUState *s = vtd_add_ok(props);
        uint64_t want = VTD_REF_ECAP_SM_NO_PASID | VTD_REF_ECAP_PASID |
                        ((uint64_t)(n - 1) << VTD_REF_ECAP_PSS_SHIFT);

        g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, want);
        /* Without x-flts no guest PASID table reaches a host (rule 2). */
        g_assert_cmpuint(pci_device_get_viommu_flags(test_ep_add("probe")), ==,
                         0);
        qdev_unplug_and_free(DEVICE(qdev_find_by_id("probe")));
        qdev_unplug_and_free(DEVICE(s));
    }
    /* pasid=8 is what x-pasid-mode=on means. */
    vtd_add_ok("x-scalable-mode=on,pasid=8");
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, vtd_reference[6].ecap);
}

static void test_pasid_zero_no_flag(Fixture *f, gconstpointer data)
{
    vtd_add_ok("x-scalable-mode=on,pasid=0");
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==,
                    VTD_REF_ECAP_SM_NO_PASID);
    g_assert_cmpuint(pci_device_get_viommu_flags(test_ep_add("ep")), ==, 0);
}

static const struct {
    const char *props;
    const char *msg;
} bad_configs[] = {
    { "x-pasid-mode=on", "Need to set scalable mode for PASID" },
    { "pasid=4", "Need to set scalable mode for PASID" },
    { "pasid=auto", "Need to set scalable mode for PASID" },
    { "aw-bits=40", "Legacy mode: supported values for aw-bits are: 39, 48" },
    { "x-scalable-mode=on,aw-bits=52",
      "Scalable mode(flts=off): supported values for aw-bits are: 39, 48" },
    { "x-scalable-mode=on,x-flts=on,aw-bits=39",
      "Scalable mode(x-flts=on): supported value for aw-bits is: 48" },
    { "x-flts=on", "x-flts is only available in scalable mode" },
    { "x-scalable-mode=on,dma-drain=off",
      "Need to set dma_drain for scalable mode" },
    { "intremap=off,eim=on", "eim=on cannot be selected without intremap=on" },
    { "x-scalable-mode=on,x-flts=on,svm=on",
      "Need to set device IOTLB for svm" },
    { "x-scalable-mode=on,device-iotlb=on,svm=on", "Need to set flts for svm" },
    { "x-scalable-mode=on,x-flts=on,device-iotlb=on,svm=on,"
      "dma-translation=off", "Need to set dma-translation for svm" },
    { "x-scalable-mode=on,x-flts=on,device-iotlb=on,svm=on",
      "Need to set PASID support for svm" },
    { "x-scalable-mode=on,x-pasid-mode=on,pasid=4",
      "x-pasid-mode=on means pasid=8, which conflicts with pasid=4" },
    { "x-scalable-mode=on,x-pasid-mode=on,pasid=auto",
      "x-pasid-mode=on means pasid=8, which conflicts with pasid=auto" },
    { "pasid=21", "Parameter 'pasid' expects 0 to 20 or 'auto'" },
    { "pasid=-1", "Parameter 'pasid' expects 0 to 20 or 'auto'" },
    { "pasid=on", "Parameter 'pasid' expects 0 to 20 or 'auto'" },
};

static void test_bad_configs(Fixture *f, gconstpointer data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_configs); i++) {
        vtd_add_err(bad_configs[i].props, bad_configs[i].msg);
    }
}

static void test_second_refused(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("");
    Error *err = NULL;

    g_assert_null(vtd_add("caching-mode=on", &err));
    g_assert_cmpstr(err->message, ==,
                    "QEMU does not support multiple vIOMMUs for x86 yet.");
    error_free(err);
    g_assert_true(intel_iommu_find() == s);
    g_assert_cmphex(vtd_readq(f, DMAR_CAP_REG), ==, vtd_reference[0].cap);
}

static void test_pasid_property_text(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("x-scalable-mode=on,pasid=auto");
    const Property *p = object_property_find(OBJECT(s), "pasid");
    g_autofree char *text = object_property_print(OBJECT(s), p);
    g_autoptr(JsonNode) node = object_property_get(OBJECT(s), "pasid", NULL);

    g_assert_cmpstr(text, ==, "auto");
    g_assert_cmpstr(json_node_get_string(node), ==, "auto");
    g_assert_cmpint(DEVICE_GET_CLASS(s)->realize_order, ==,
                    DEVICE_REALIZE_VIOMMU);
    g_assert_false(DEVICE_GET_CLASS(s)->hotpluggable);
}

/* ---- registers a guest driver programs ---- */

static void test_gcmd_handshakes(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("x-scalable-mode=on");
    uint32_t gcmd = 0;

    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==, 0);
    g_assert_cmphex(vtd_readl(f, DMAR_FECTL_REG), ==, VTD_FECTL_IM);
    g_assert_cmphex(vtd_readl(f, DMAR_IECTL_REG), ==, VTD_IECTL_IM);
    /* Root table: scalable-mode table at 0x10000. */
    vtd_writeq(f, DMAR_RTADDR_REG, 0x10000 | VTD_RTADDR_SMT | 0x3);
    g_assert_cmphex(vtd_readq(f, DMAR_RTADDR_REG), ==,
                    0x10000 | VTD_RTADDR_SMT);
    vtd_writel(f, DMAR_GCMD_REG, gcmd | VTD_GCMD_SRTP);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==, VTD_GSTS_RTPS);
    g_assert_cmphex(s->root, ==, 0x10000);
    g_assert_true(s->root_scalable);
    /* GCMD is write-only. */
    g_assert_cmphex(vtd_readl(f, DMAR_GCMD_REG), ==, 0);
    /* Queued invalidation. */
    vtd_writeq(f, DMAR_IQT_REG, 0);
    vtd_writeq(f, DMAR_IQA_REG, 0x20000 | VTD_IQA_DW);
    gcmd |= VTD_GCMD_QIE;
    vtd_writel(f, DMAR_GCMD_REG, gcmd);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==,
                    VTD_GSTS_RTPS | VTD_GSTS_QIES);
    g_assert_cmphex(vtd_readq(f, DMAR_IQH_REG), ==, 0);
    /* Interrupt remapping: table pointer, then enable. */
    vtd_writeq(f, DMAR_IRTA_REG, 0x30000 | 0xf);
    vtd_writel(f, DMAR_GCMD_REG, gcmd | VTD_GCMD_SIRTP);
    g_assert_cmphex(s->intr_root, ==, 0x3000f);
    gcmd |= VTD_GCMD_IRE;
    vtd_writel(f, DMAR_GCMD_REG, gcmd);
    /* Translation. */
    gcmd |= VTD_GCMD_TE;
    vtd_writel(f, DMAR_GCMD_REG, gcmd);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==,
                    VTD_GSTS_TES | VTD_GSTS_RTPS | VTD_GSTS_QIES |
                    VTD_GSTS_IRES | VTD_GSTS_IRTPS);
    /* Disable translation, write-buffer flush changes nothing. */
    gcmd &= ~VTD_GCMD_TE;
    vtd_writel(f, DMAR_GCMD_REG, gcmd | VTD_GCMD_WBF);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG) & VTD_GSTS_TES, ==, 0);
    /* Reset: everything back. */
    machine_reset(f->ms);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==, 0);
    g_assert_cmphex(vtd_readq(f, DMAR_RTADDR_REG), ==, 0);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, vtd_reference[4].ecap);
}

static void test_read_only(Fixture *f, gconstpointer data)
{
    vtd_add_ok("");
    vtd_writel(f, DMAR_VER_REG, 0xffffffff);
    vtd_writeq(f, DMAR_CAP_REG, 0);
    vtd_writeq(f, DMAR_ECAP_REG, UINT64_MAX);
    vtd_writel(f, DMAR_GSTS_REG, UINT32_MAX);
    g_assert_cmphex(vtd_readl(f, DMAR_VER_REG), ==, 0x10);
    g_assert_cmphex(vtd_readq(f, DMAR_CAP_REG), ==, vtd_reference[0].cap);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG), ==, vtd_reference[0].ecap);
    g_assert_cmphex(vtd_readl(f, DMAR_GSTS_REG), ==, 0);
    /* Legacy mode: no scalable-mode root table bit. */
    vtd_writeq(f, DMAR_RTADDR_REG, 0x5000 | VTD_RTADDR_SMT);
    g_assert_cmphex(vtd_readq(f, DMAR_RTADDR_REG), ==, 0x5000);
    /* Unimplemented offsets in the page read zero; odd sizes are safe. */
    g_assert_cmphex(address_space_ld(&f->ms->memory, VTD_BASE + 0xff8, 8),
                    ==, 0);
    address_space_st(&f->ms->memory, VTD_BASE + 0x22f, 0xff, 2);
    g_assert_cmphex(address_space_ld(&f->ms->memory, VTD_BASE + 0x1b, 2),
                    ==, 0);
}

static void test_register_invalidation(Fixture *f, gconstpointer data)
{
    vtd_add_ok("");
    /* Global context-cache invalidation completes at once. */
    vtd_writeq(f, DMAR_CCMD_REG, VTD_CCMD_ICC | (1ULL << 61));
    g_assert_cmphex(vtd_readq(f, DMAR_CCMD_REG), ==,
                    (1ULL << 61) | (1ULL << 59));
    vtd_writeq(f, DMAR_IOTLB_REG, VTD_IOTLB_IVT | (1ULL << 60));
    g_assert_cmphex(vtd_readq(f, DMAR_IOTLB_REG), ==,
                    (1ULL << 60) | (1ULL << 57));
}

static void test_qi_wait(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("");
    uint64_t desc[4] = {
        /* Wait: status write of 0x1234 to 0x9000, interrupt flag. */
        GUINT64_TO_LE(VTD_INV_DESC_WAIT | VTD_INV_DESC_WAIT_SW |
                      VTD_INV_DESC_WAIT_IF | (0x1234ULL << 32)),
        GUINT64_TO_LE(0x9000),
        GUINT64_TO_LE(0xf), 0,      /* no such type */
    };

    address_space_write(&f->ms->memory, 0x8000, desc, sizeof(desc));
    vtd_writeq(f, DMAR_IQA_REG, 0x8000);
    vtd_writel(f, DMAR_GCMD_REG, VTD_GCMD_QIE);
    vtd_writeq(f, DMAR_IQT_REG, 0x10);
    g_assert_cmphex(address_space_ld(&f->ms->memory, 0x9000, 4), ==, 0x1234);
    g_assert_cmphex(vtd_readq(f, DMAR_IQH_REG), ==, 0x10);
    g_assert_cmphex(vtd_readl(f, DMAR_ICS_REG), ==, VTD_ICS_IWC);
    g_assert_cmphex(vtd_readl(f, DMAR_IECTL_REG), ==,
                    VTD_IECTL_IM | VTD_IECTL_IP);
    /* ICS.IWC is write-1-to-clear. */
    vtd_writel(f, DMAR_ICS_REG, VTD_ICS_IWC);
    g_assert_cmphex(vtd_readl(f, DMAR_ICS_REG), ==, 0);
    /* A bad descriptor stops the queue at itself with FSTS.IQE. */
    vtd_writeq(f, DMAR_IQT_REG, 0x20);
    g_assert_cmphex(vtd_readq(f, DMAR_IQH_REG), ==, 0x10);
    g_assert_cmphex(vtd_readl(f, DMAR_FSTS_REG), ==, VTD_FSTS_IQE);
    g_assert_cmphex(vtd_readl(f, DMAR_FECTL_REG), ==,
                    VTD_FECTL_IM | VTD_FECTL_IP);
    vtd_writel(f, DMAR_FSTS_REG, VTD_FSTS_IQE);
    g_assert_cmphex(vtd_readl(f, DMAR_FSTS_REG), ==, 0);
    /* A tail past the queue's end never spins. */
    vtd_writeq(f, DMAR_IQT_REG, 0x7fff0);
    g_assert_cmphex(vtd_readl(f, DMAR_FSTS_REG), ==, VTD_FSTS_IQE);
    g_assert_cmpuint(s->qi_descs, ==, 1);
}

/* ---- host devices ---- */

static uint64_t ep_flags(const char *id)
{
    return pci_device_get_viommu_flags(PCI_DEVICE(qdev_find_by_id(id)));
}

#define SM_FLTS "x-scalable-mode=on,x-flts=on,caching-mode=on"

static void test_host_auto_at_init_done(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=auto");
    HostSpec nopasid = HOST_VTD(0), p10 = HOST_VTD(10), p16 = HOST_VTD(16);
    g_autofree char *from = NULL;

    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG) & VTD_ECAP_PASID, ==, 0);
    /* Nothing moves while devices arrive: the width waits. */
    nopasid.iommu_pasid = 0;
    host_plug_ok(f, "dev0", &nopasid);
    p16.iommu_pasid = 16;
    host_plug_ok(f, "dev1", &p16);
    host_plug_ok(f, "dev2", &p10);
    g_assert_false(s->host.resolved);
    g_assert_cmpuint(s->host.width, ==, 0);
    g_assert_cmpuint(ep_flags("dev1"), ==, VIOMMU_FLAG_PASID_PENDING);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG) & VTD_ECAP_PASID, ==, 0);
    /* The smallest host IOMMU width of the devices with PASID. */
    test_viommu_init_done_ok(f->ms);
    g_assert_cmpuint(s->host.width, ==, 16);
    from = test_viommu_sources(&s->host, "pasid");
    g_assert_cmpstr(from, ==, "dev1,dev2");
    g_assert_cmpuint(ep_flags("dev1"), ==, VIOMMU_FLAG_PASID_SUPPORTED);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG) &
                    (VTD_ECAP_PASID | VTD_ECAP_PSS_MASK), ==,
                    VTD_ECAP_PASID | VTD_ECAP_PSS(16));
    /* Survives a reset. */
    machine_reset(f->ms);
    g_assert_cmpuint(VTD_ECAP_GET_PSS(vtd_readq(f, DMAR_ECAP_REG)), ==, 15);
}

static void test_host_auto_order_free(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=auto");
    HostSpec nic = HOST_VTD(0), acc = HOST_VTD(20);

    /* A NIC on a unit without PASID first: never held to the width. */
    nic.iommu_pasid = 0;
    host_plug_ok(f, "nic", &nic);
    host_plug_ok(f, "acc", &acc);
    test_viommu_init_done_ok(f->ms);
    g_assert_cmpuint(s->host.width, ==, 20);
    g_assert_cmpuint(s->host.devices->len, ==, 2);
}

static void test_host_refusals(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=16");
    HostSpec ok = HOST_VTD(16), h;

    host_plug_ok(f, "dev1", &ok);
    h = ok;
    h.type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
    host_plug_err(f, s, "smmu", &h,
                  "smmu: Incompatible host platform IOMMU type 2");
    h = ok;
    h.mgaw = 39;
    host_plug_err(f, s, "small-aw", &h,
                  "small-aw: aw-bits 48 > host aw-bits 39");
    h = ok;
    h.iommu_pasid = 8;
    h.dev_pasid = 8;
    host_plug_err(f, s, "small-pasid", &h, "small-pasid: PASID bits size 16 "
                  "> host IOMMU PASID bits size 8 (intel-iommu ECAP.PSS=15, "
                  "host ECAP.PSS=7)");
    /* Without PASID a device is not held to the width. */
    h.iommu_pasid = 0;
    h.dev_pasid = 0;
    host_plug_ok(f, "no-pasid", &h);
    /* A smaller device width is per device: accepted. */
    h = ok;
    h.dev_pasid = 5;
    host_plug_ok(f, "narrow-dev", &h);
    g_assert_cmpuint(s->host.devices->len, ==, 3);
    g_assert_cmpuint(s->host.width, ==, 16);
}

static void test_host_no_flts_any_type(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s =
        vtd_add_ok("x-scalable-mode=on,caching-mode=on,pasid=8");
    HostSpec amd = HOST_VTD(0), small = HOST_VTD(4);

    /* Emulated first stage: the host type does not matter (AMD: 0). */
    amd.type = IOMMU_HW_INFO_TYPE_NONE;
    host_plug_ok(f, "amd", &amd);
    /* Its PASIDs never reach the host: no PASID, no width check. */
    small.iommu_pasid = 4;
    host_plug_ok(f, "small", &small);
    g_assert_cmpuint(ep_flags("small"), ==, 0);
    g_assert_cmpuint(s->host.devices->len, ==, 2);
}

static void test_host_caching_mode(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("x-scalable-mode=on,pasid=8");
    HostSpec ok = HOST_VTD(20);

    host_plug_err(f, s, "dev1", &ok, "dev1: Device assignment is not allowed "
                  "without enabling caching-mode=on for Intel IOMMU.");
    g_assert_cmpuint(s->host.devices->len, ==, 0);
}

static void test_host_explicit_width(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=12");
    HostSpec h = HOST_VTD(20);

    /* Even the first device must back an explicit width. */
    h.iommu_pasid = 10;
    host_plug_err(f, s, "dev1", &h, "dev1: PASID bits size 12 > host IOMMU "
                  "PASID bits size 10 (intel-iommu ECAP.PSS=11, host "
                  "ECAP.PSS=9)");
    h.iommu_pasid = 12;
    host_plug_ok(f, "dev2", &h);
    g_assert_cmpuint(ep_flags("dev2"), ==, VIOMMU_FLAG_PASID_SUPPORTED);
    g_assert_null(g_hash_table_lookup(s->host.resolved_from, "pasid"));
}

static void test_host_flts(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS);
    HostSpec h = HOST_VTD(20);

    h.nest = false;
    host_plug_err(f, s, "dev1", &h, "dev1: Host IOMMU doesn't support nested "
                  "translation (host ECAP.NEST=0, x-flts=on needs 1)");
    h.nest = true;
    h.flts = false;
    host_plug_err(f, s, "dev2", &h, "dev2: Host IOMMU doesn't support first "
                  "stage translation (host ECAP.FLTS=0, x-flts=on needs 1)");
    h.flts = true;
    h.fs1gp = false;
    host_plug_err(f, s, "dev3", &h, "dev3: First stage 1GB large page is "
                  "unsupported by host IOMMU (host CAP.FS1GP=0, intel-iommu "
                  "fs1gp=on)");
    h.fs1gp = true;
    host_plug_ok(f, "dev4", &h);
}

static void test_host_flts_no_fs1gp(Fixture *f, gconstpointer data)
{
    vtd_add_ok(SM_FLTS ",fs1gp=off");
    HostSpec h = HOST_VTD(20);

    h.fs1gp = false;
    host_plug_ok(f, "dev1", &h);
}

static void test_host_aw39(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("aw-bits=39,caching-mode=on");
    HostSpec h = HOST_VTD(0);

    h.mgaw = 39;
    host_plug_ok(f, "dev1", &h);
    g_assert_cmpuint(s->host.devices->len, ==, 1);
}

static void test_host_same_device_twice(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok("caching-mode=on");
    HostSpec h = HOST_VTD(0);

    test_viommu_same_device_twice(&s->host, "dev1", hiod_new(f, "dev1", &h),
                                  hiod_new(f, "dev1", &h), "dev1: intel-iommu "
                                  "already has a host IOMMU device for it");
}

static void test_host_hotplug_after_init_done(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=auto");
    HostSpec h = HOST_VTD(0);
    Error *err = NULL;

    host_plug_ok(f, "dev0", &h);
    /* q35's root bus takes no hot plug: a root port does. */
    test_device_add("pcie-root-port", "rp", "pcie.0", &err, NULL);
    g_assert_no_error(err);
    test_viommu_init_done_ok(f->ms);
    g_assert_true(s->host.resolved);
    g_assert_cmpuint(s->host.width, ==, 0);
    /* Resolved at init-done: a hot-plugged PASID device changes nothing. */
    h.dev_pasid = 20;
    g_assert_true(pci_device_set_iommu_device(test_ep_add_on("hot", "rp"),
                                              hiod_new(f, "hot", &h), &err));
    g_assert_no_error(err);
    g_assert_cmpuint(s->host.width, ==, 0);
    g_assert_cmphex(vtd_readq(f, DMAR_ECAP_REG) & VTD_ECAP_PASID, ==, 0);
    g_assert_cmpuint(ep_flags("hot"), ==, 0);
}

static void test_svm_rechecked(void)
{
    g_test_trap_subprocess("/intel-iommu/auto/svm-rechecked/subprocess", 0,
                           0);
    g_test_trap_assert_passed();
}

static void test_svm_rechecked_subprocess(void)
{
    Fixture f;
    HostSpec h = HOST_VTD(0);

    fixture_setup(&f, NULL);
    vtd_add_ok(SM_FLTS ",pasid=auto,svm=on,device-iotlb=on");
    h.iommu_pasid = 0;
    host_plug_ok(&f, "dev0", &h);
    test_viommu_init_done_err(f.ms, "Need to set PASID support for svm");
    test_viommu_fixture_teardown(&f, NULL);
}

static void test_auto_no_device_subprocess(void)
{
    MachineState *ms = test_q35_new();

    intel_iommu_register_types();
    vtd_add_ok("x-scalable-mode=on,caching-mode=on,pasid=auto");
    test_viommu_init_done_err(ms, "intel-iommu pasid=auto requires at "
                              "least one cold-plugged VFIO device");
    test_q35_free();
}

static void test_auto_no_pasid_subprocess(void)
{
    Fixture f;
    HostSpec h = HOST_VTD(0);
    Error *err = NULL;
    IntelIOMMUState *s;

    fixture_setup(&f, NULL);
    s = vtd_add_ok("x-scalable-mode=on,caching-mode=on,pasid=auto");
    host_plug_ok(&f, "dev0", &h);
    g_assert_true(machine_init_done(f.ms, &err));
    g_assert_true(s->host.resolved);
    g_assert_cmpuint(s->host.width, ==, 0);
    test_viommu_fixture_teardown(&f, NULL);
}

static void test_auto_no_device(void)
{
    g_test_trap_subprocess("/intel-iommu/auto/no-cold-plugged-device/"
                           "subprocess", 0, 0);
    g_test_trap_assert_passed();
}

static void test_auto_no_pasid_warns(void)
{
    g_test_trap_subprocess("/intel-iommu/auto/no-pasid-device-warns/"
                           "subprocess", 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("vfio-viommu: warning: intel-iommu pasid=auto: "
                              "no cold-plugged device reports a PASID width; "
                              "PASID is not advertised\n");
}

static void test_query(Fixture *f, gconstpointer data)
{
    IntelIOMMUState *s = vtd_add_ok(SM_FLTS ",pasid=auto");
    HostSpec h = HOST_VTD(14);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o, *dev;
    JsonArray *from;

    host_plug_ok(f, "dev1", &h);
    test_viommu_init_done_ok(f->ms);
    node = intel_iommu_query(s);
    o = json_node_get_object(node);
    g_assert_cmpstr(json_object_get_string_member(o, "type"), ==,
                    "intel-iommu");
    g_assert_cmpstr(json_object_get_string_member(o, "pasid"), ==, "auto");
    g_assert_cmpint(json_object_get_int_member(o, "pasid-width"), ==, 20);
    from = json_object_get_array_member(
        json_object_get_object_member(o, "resolved-from"), "pasid");
    g_assert_cmpuint(json_array_get_length(from), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(from, 0), ==, "dev1");
    g_assert_cmpstr(json_object_get_string_member(o, "mmio-base"), ==,
                    "0xfed90000");
    dev = json_array_get_object_element(
        json_object_get_array_member(o, "devices"), 0);
    g_assert_cmpstr(json_object_get_string_member(dev, "name"), ==, "dev1");
    g_assert_cmpint(json_object_get_int_member(dev, "max-pasid-log2"), ==, 14);
    g_assert_cmpint(json_object_get_int_member(dev, "hw-info-calls"), ==, 1);
}

#define ADD(path, fn) \
    g_test_add("/intel-iommu/" path, Fixture, NULL, fixture_setup, fn, \
               test_viommu_fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(vtd_reference); i++) {
        g_autofree char *path = g_strdup_printf(
            "/intel-iommu/registers/reference/%s",
            *vtd_reference[i].props ? vtd_reference[i].props : "defaults");

        g_test_add(path, Fixture, &vtd_reference[i], fixture_setup,
                   test_reference, test_viommu_fixture_teardown);
    }
    ADD("registers/pasid-n-sets-pss", test_pasid_n);
    ADD("registers/pasid-0-advertises-nothing", test_pasid_zero_no_flag);
    ADD("realize/bad-configs-refused", test_bad_configs);
    ADD("realize/second-refused", test_second_refused);
    ADD("realize/pasid-property", test_pasid_property_text);
    ADD("registers/gcmd-handshakes", test_gcmd_handshakes);
    ADD("registers/read-only", test_read_only);
    ADD("registers/register-invalidation", test_register_invalidation);
    ADD("registers/qi-wait-and-error", test_qi_wait);
    ADD("host/auto-resolved-at-init-done", test_host_auto_at_init_done);
    ADD("host/auto-order-free", test_host_auto_order_free);
    ADD("host/checked-against-advertised", test_host_refusals);
    ADD("host/no-flts-any-host-type", test_host_no_flts_any_type);
    ADD("host/caching-mode-required", test_host_caching_mode);
    ADD("host/explicit-width-checked", test_host_explicit_width);
    ADD("host/flts-features-checked", test_host_flts);
    ADD("host/flts-without-fs1gp", test_host_flts_no_fs1gp);
    ADD("host/aw-bits-39", test_host_aw39);
    ADD("host/same-device-twice-refused", test_host_same_device_twice);
    ADD("host/resolved-after-init-done", test_host_hotplug_after_init_done);
    ADD("query/x-query-viommu", test_query);
    g_test_add_func("/intel-iommu/auto/no-cold-plugged-device",
                    test_auto_no_device);
    g_test_add_func("/intel-iommu/auto/no-cold-plugged-device/subprocess",
                    test_auto_no_device_subprocess);
    g_test_add_func("/intel-iommu/auto/svm-rechecked", test_svm_rechecked);
    g_test_add_func("/intel-iommu/auto/svm-rechecked/subprocess",
                    test_svm_rechecked_subprocess);
    g_test_add_func("/intel-iommu/auto/no-pasid-device-warns",
                    test_auto_no_pasid_warns);
    g_test_add_func("/intel-iommu/auto/no-pasid-device-warns/subprocess",
                    test_auto_no_pasid_subprocess);
    return g_test_run();
}

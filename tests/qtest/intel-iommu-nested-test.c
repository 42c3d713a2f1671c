/*
 * intel-iommu x-flts=on, black box: a Linux-style guest programs
 * scalable-mode tables and the invalidation queue, and the simulated
 * host ends with the nesting parent, VT-d stage-1 HWPTs and RID/PASID
 * attachments Linux needs (asserted from x-query-host-sim); what the
 * host cannot nest is a VT-d fault record; reset, TE off and unplug
 * leave no host object behind; every host call can fail cleanly.
 */
#include <inttypes.h>
#include <string.h>

#include "intel-iommu-guest.h"

#define BDF_ACCEL "0000:01:00.0"    /* 20-bit PASID, behind dmar0 */
#define BDF_NIC "0000:02:00.0"      /* no PASID, behind dmar1 */
#define SID_ACCEL 0x0018            /* 00:03.0 */
#define SID_NIC 0x0020              /* 00:04.0 */
#define FSPT_ACCEL 0x2000000ULL
#define FSPT_NIC 0x2100000ULL
#define FSPT_P1 0x2200000ULL
#define FSPT_PMAX 0x2300000ULL
#define FSPT_NEW 0x2400000ULL

#define ARGS_VIOMMU "-device intel-iommu,x-scalable-mode=on,x-flts=on," \
                    "caching-mode=on,pasid=auto "
#define ARGS_ACCEL "-device vfio-pci,host=" BDF_ACCEL ",iommufd=iommufd0," \
                   "id=accel0,addr=3 "
#define ARGS_NIC "-device vfio-pci,host=" BDF_NIC ",iommufd=iommufd0," \
                 "id=nic0,addr=4 "

static char *host_args(void)
{
    return g_strdup_printf("-host-sim %s/tests/data/hosts/intel-pasid.json "
                           "-M q35 ", g_getenv("VV_SOURCE_ROOT"));
}

static QTestState *start_with(const char *extra)
{
    g_autofree char *base = host_args();
    g_autofree char *all = g_strconcat(base, "-object iommufd,id=iommufd0 ",
                                       ARGS_VIOMMU ARGS_ACCEL ARGS_NIC,
                                       extra, NULL);

    return qtest_init(all);
}

static QTestState *start(void)
{
    return start_with("");
}

/* ---- the simulated host, read through x-query-host-sim ---- */

typedef struct Host {
    JsonNode *node;
    JsonObject *o;
} Host;

static void host_read(QTestState *s, Host *h)
{
    h->node = qtest_qmp_assert_success_ref(s,
                                           "{'execute': 'x-query-host-sim'}");
    h->o = json_node_get_object(h->node);
}

static void host_free(Host *h)
{
    json_node_unref(h->node);
}

static JsonObject *host_obj(Host *h, int64_t id)
{
    JsonArray *objs = json_object_get_array_member(h->o, "objects");

    for (guint i = 0; i < json_array_get_length(objs); i++) {
        JsonObject *o = json_array_get_object_element(objs, i);

        if (json_object_get_int_member(o, "id") == id) {
            return o;
        }
    }
    return NULL;
}

static unsigned host_count(Host *h, const char *flag)
{
    JsonArray *objs = json_object_get_array_member(h->o, "objects");
    unsigned n = 0;

    for (guint i = 0; i < json_array_get_length(objs); i++) {
        JsonObject *o = json_array_get_object_element(objs, i);

        n += json_object_get_boolean_member_with_default(o, flag, false);
    }
    return n;
}

static JsonObject *host_attachments(Host *h, const char *bdf)
{
    JsonArray *devs = json_object_get_array_member(h->o, "devices");

    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!strcmp(json_object_get_string_member(d, "bdf"), bdf)) {
            return json_object_get_object_member(d, "attachments");
        }
    }
    g_assert_not_reached();
}

/* The HWPT on @bdf's RID (pasid < 0) or PASID, or -1. */
static int64_t host_attached(Host *h, const char *bdf, int64_t pasid)
{
    JsonObject *a = host_attachments(h, bdf);
    JsonArray *pasids = json_object_get_array_member(a, "pasids");

    if (pasid < 0) {
        return json_object_get_null_member(a, "rid") ? -1 :
               json_object_get_int_member(a, "rid");
    }
    for (guint i = 0; i < json_array_get_length(pasids); i++) {
        JsonObject *p = json_array_get_object_element(pasids, i);

        if (json_object_get_int_member(p, "pasid") == pasid) {
            return json_object_get_int_member(p, "hwpt");
        }
    }
    return -1;
}

static unsigned host_pasid_count(Host *h, const char *bdf)
{
    JsonObject *a = host_attachments(h, bdf);

    return json_array_get_length(json_object_get_array_member(a, "pasids"));
}

/* The stage-1 HWPT @id: nested on the one parent, with @fspt, 48 bits. */
static void assert_s1(Host *h, int64_t id, uint64_t fspt)
{
    JsonObject *o = host_obj(h, id);
    g_autofree char *want = g_strdup_printf("0x%" PRIx64, fspt);

    g_assert_nonnull(o);
    g_assert_true(json_object_get_boolean_member(o, "nested"));
    g_assert_cmpstr(json_object_get_string_member(o, "pgtbl-addr"), ==, want);
    g_assert_cmpint(json_object_get_int_member(o, "addr-width"), ==, 48);
    g_assert_true(json_object_get_boolean_member(
        host_obj(h, json_object_get_int_member(o, "parent")), "nest-parent"));
}

/* An object as the kernel sees it, without its id (ids are not reused). */
static char *host_obj_shape(Host *h, int64_t id)
{
    JsonObject *o = host_obj(h, id);

    if (!o) {
        return g_strdup("none");
    }
    return g_strdup_printf("%s users=%" PRId64 " auto=%d parent=%d "
                           "nested=%d pgtbl=%s",
                           json_object_get_string_member(o, "type"),
                           json_object_get_int_member(o, "users"),
                           json_object_get_boolean_member_with_default(
                               o, "auto", false),
                           json_object_get_boolean_member_with_default(
                               o, "nest-parent", false),
                           json_object_get_boolean_member_with_default(
                               o, "nested", false),
                           json_object_get_string_member_with_default(
                               o, "pgtbl-addr", "-"));
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Every object and every device's attachments, ids left out. */
static char *host_shape(Host *h)
{
    JsonArray *objs = json_object_get_array_member(h->o, "objects");
    JsonArray *devs = json_object_get_array_member(h->o, "devices");
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < json_array_get_length(objs); i++) {
        g_ptr_array_add(lines, host_obj_shape(h, json_object_get_int_member(
            json_array_get_object_element(objs, i), "id")));
    }
    for (guint i = 0; i < json_array_get_length(devs); i++) {
        const char *bdf = json_object_get_string_member(
            json_array_get_object_element(devs, i), "bdf");
        g_autofree char *rid = host_obj_shape(h, host_attached(h, bdf, -1));

        g_ptr_array_add(lines, g_strdup_printf("%s rid: %s pasids: %u", bdf,
                                               rid,
                                               host_pasid_count(h, bdf)));
    }
    g_ptr_array_sort(lines, cmp_str);
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(out, "%s\n", (char *)lines->pdata[i]);
    }
    return g_string_free(out, false);
}

static int64_t host_live(QTestState *s)
{
    Host h;
    int64_t n;

    host_read(s, &h);
    n = json_object_get_int_member(h.o, "live-objects");
    host_free(&h);
    return n;
}

static int64_t host_calls(QTestState *s, const char *cmd)
{
    Host h;
    int64_t n;

    host_read(s, &h);
    n = json_object_get_int_member_with_default(
        json_object_get_object_member(h.o, "calls"), cmd, 0);
    host_free(&h);
    return n;
}

static VtdPasidEntry fs_entry(uint64_t fspt, uint16_t did)
{
    return (VtdPasidEntry) { .pgtt = VTD_PGTT_FS, .did = did, .fspt = fspt,
                             .wpe = true };
}

/* Linux binding RID_PASID on both devices and PASIDs 1, 0xFFFFF. */
static void guest_bind_all(VtdGuest *g)
{
    VtdPasidEntry e;

    vtd_guest_attach_device(g, SID_ACCEL);
    vtd_guest_attach_device(g, SID_NIC);
    e = fs_entry(FSPT_ACCEL, 1);
    vtd_guest_set_pasid(g, SID_ACCEL, 0, &e, 0);
    e = fs_entry(FSPT_NIC, 2);
    vtd_guest_set_pasid(g, SID_NIC, 0, &e, 0);
    e = fs_entry(FSPT_P1, 3);
    vtd_guest_set_pasid(g, SID_ACCEL, 1, &e, 0);
    e = fs_entry(FSPT_PMAX, 4);
    vtd_guest_set_pasid(g, SID_ACCEL, 0xfffff, &e, 0);
}

static void assert_no_fault(QTestState *s)
{
    g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & (VTD_FSTS_PPF |
                                                  VTD_FSTS_IQE), ==, 0);
}

/* FRCD holds a fault for @sid/@pasid with reason @fr; then clear it. */
static void assert_fault(QTestState *s, uint16_t sid, uint32_t pasid,
                         unsigned fr)
{
    uint64_t hi = vtd_readq(s, VTD_REG_FRCD + 8);

    g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & VTD_FSTS_PPF, ==,
                    VTD_FSTS_PPF);
    g_assert_cmphex(hi >> 63, ==, 1);
    g_assert_cmphex((hi >> 32) & 0xff, ==, fr);
    g_assert_cmphex(hi & 0xffff, ==, sid);
    g_assert_cmphex((hi >> 31) & 1, ==, 1);
    g_assert_cmphex((hi >> 40) & 0xfffff, ==, pasid);
    vtd_writel(s, VTD_REG_FRCD + 12, 1u << 31);
    g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & VTD_FSTS_PPF, ==, 0);
}

static void test_acceptance(void)
{
    QTestState *s = start();
    VtdGuest g;
    VtdPasidEntry e;
    int64_t rid_accel, rid_nic, p1, pmax;
    Host h;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    assert_no_fault(s);
    host_read(s, &h);
    g_assert_cmpuint(host_count(&h, "nest-parent"), ==, 1);
    g_assert_cmpuint(host_count(&h, "nested"), ==, 4);
    rid_accel = host_attached(&h, BDF_ACCEL, -1);
    rid_nic = host_attached(&h, BDF_NIC, -1);
    p1 = host_attached(&h, BDF_ACCEL, 1);
    pmax = host_attached(&h, BDF_ACCEL, 0xfffff);
    assert_s1(&h, rid_accel, FSPT_ACCEL);
    assert_s1(&h, rid_nic, FSPT_NIC);
    assert_s1(&h, p1, FSPT_P1);
    assert_s1(&h, pmax, FSPT_PMAX);
    g_assert_cmpuint(host_pasid_count(&h, BDF_ACCEL), ==, 2);
    g_assert_cmpuint(host_pasid_count(&h, BDF_NIC), ==, 0);
    host_free(&h);

    /* PASID-based IOTLB invalidation: 4 pages at 2 MiB, a leaf change. */
    vtd_guest_piotlb(&g, 3, 1, 0x200000, 2, true);
    vtd_guest_wait(&g);
    host_read(s, &h);
    {
        JsonArray *log = json_object_get_array_member(host_obj(&h, p1),
                                                      "invalidations");
        JsonObject *last = json_array_get_object_element(
            log, json_array_get_length(log) - 1);

        g_assert_cmpstr(json_object_get_string_member(last, "addr"), ==,
                        "0x200000");
        g_assert_cmpstr(json_object_get_string_member(last, "npages"), ==,
                        "0x4");
        g_assert_cmpint(json_object_get_int_member(last, "flags"), ==, 1);
    }
    host_free(&h);

    /* PASID 1 on the NIC: it has no PASID, a fault, the host unchanged. */
    e = fs_entry(FSPT_P1, 3);
    vtd_guest_set_pasid(&g, SID_NIC, 1, &e, 0);
    assert_fault(s, SID_NIC, 1, 0x5b);
    host_read(s, &h);
    g_assert_cmpuint(host_pasid_count(&h, BDF_NIC), ==, 0);
    g_assert_cmpuint(host_count(&h, "nested"), ==, 4);
    host_free(&h);

    /* Clearing an entry and invalidating detaches it. */
    vtd_guest_set_pasid(&g, SID_ACCEL, 0xfffff, NULL, 4);
    host_read(s, &h);
    g_assert_cmpint(host_attached(&h, BDF_ACCEL, 0xfffff), ==, -1);
    g_assert_null(host_obj(&h, pmax));
    g_assert_cmpint(host_attached(&h, BDF_ACCEL, 1), ==, p1);
    host_free(&h);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* A new first-stage pointer moves the PASID with no detach between. */
static void test_replace_without_window(void)
{
    QTestState *s = start();
    VtdGuest g;
    VtdPasidEntry e;
    int64_t old, detaches;
    Host h;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    host_read(s, &h);
    old = host_attached(&h, BDF_ACCEL, 1);
    host_free(&h);
    detaches = host_calls(s, "DETACH_IOMMUFD_PT");
    e = fs_entry(FSPT_NEW, 3);
    vtd_guest_set_pasid(&g, SID_ACCEL, 1, &e, 0);
    e = fs_entry(FSPT_NEW + 0x1000, 1);
    vtd_guest_set_pasid(&g, SID_ACCEL, 0, &e, 0);
    g_assert_cmpint(host_calls(s, "DETACH_IOMMUFD_PT"), ==, detaches);
    host_read(s, &h);
    assert_s1(&h, host_attached(&h, BDF_ACCEL, 1), FSPT_NEW);
    assert_s1(&h, host_attached(&h, BDF_ACCEL, -1), FSPT_NEW + 0x1000);
    g_assert_null(host_obj(&h, old));
    g_assert_cmpuint(host_count(&h, "nested"), ==, 4);
    host_free(&h);
    assert_no_fault(s);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* Entries sharing a table pointer and domain share one HWPT. */
static void test_shared_hwpt_and_pass_through(void)
{
    QTestState *s = start();
    VtdGuest g;
    VtdPasidEntry e = fs_entry(FSPT_P1, 3);
    VtdPasidEntry pt = { .pgtt = VTD_PGTT_PT, .did = 5 };
    Host h;

    vtd_guest_init(&g, s);
    vtd_guest_attach_device(&g, SID_ACCEL);
    vtd_guest_set_pasid(&g, SID_ACCEL, 1, &e, 0);
    vtd_guest_set_pasid(&g, SID_ACCEL, 2, &e, 0);
    vtd_guest_set_pasid(&g, SID_ACCEL, 0, &pt, 0);
    host_read(s, &h);
    g_assert_cmpint(host_attached(&h, BDF_ACCEL, 1), ==,
                    host_attached(&h, BDF_ACCEL, 2));
    g_assert_cmpuint(host_count(&h, "nested"), ==, 1);
    g_assert_true(json_object_get_boolean_member(
        host_obj(&h, host_attached(&h, BDF_ACCEL, -1)), "nest-parent"));
    host_free(&h);
    assert_no_fault(s);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/*
 * Without the context entry's PASID-enable only RID_PASID is in use:
 * turning it off detaches the other PASIDs, with no fault.
 */
static void test_pasid_enable_off(void)
{
    QTestState *s = start();
    VtdPasidEntry e = fs_entry(FSPT_P1, 3);
    VtdGuest g;
    uint64_t ce;
    Host h;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    ce = vtd_guest_context_entry(&g, SID_ACCEL);
    qtest_writeq(s, ce, qtest_readq(s, ce) & ~(1ULL << 3));
    vtd_guest_context_inv(&g, SID_ACCEL);
    vtd_guest_set_pasid(&g, SID_ACCEL, 2, &e, 0);
    host_read(s, &h);
    g_assert_cmpuint(host_pasid_count(&h, BDF_ACCEL), ==, 0);
    assert_s1(&h, host_attached(&h, BDF_ACCEL, -1), FSPT_ACCEL);
    host_free(&h);
    assert_no_fault(s);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* What the host cannot nest is a fault; nothing reaches the host. */
static void test_unsupported_entries_fault(void)
{
    QTestState *s = start();
    VtdGuest g;
    VtdPasidEntry ss = { .pgtt = VTD_PGTT_SS, .did = 7 };
    VtdPasidEntry five = fs_entry(FSPT_P1, 8);
    int64_t live = host_live(s);

    five.flpm = 1;
    vtd_guest_init(&g, s);
    vtd_guest_attach_device(&g, SID_ACCEL);
    vtd_guest_set_pasid(&g, SID_ACCEL, 3, &ss, 0);
    assert_fault(s, SID_ACCEL, 3, 0x5b);
    vtd_guest_set_pasid(&g, SID_ACCEL, 4, &five, 0);
    assert_fault(s, SID_ACCEL, 4, 0x5b);
    g_assert_cmpint(host_live(s), ==, live);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* system_reset and TE off leave the host as at start. */
static void test_undo_counts(void)
{
    QTestState *s = start();
    int64_t live = host_live(s);
    VtdGuest g;
    Host h;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    g_assert_cmpint(host_live(s), >, live);
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    g_assert_cmpint(host_live(s), ==, live);
    host_read(s, &h);
    g_assert_cmpuint(host_count(&h, "nest-parent"), ==, 0);
    g_assert_cmpuint(host_pasid_count(&h, BDF_ACCEL), ==, 0);
    host_free(&h);
    vtd_guest_free(&g);

    /* The same after reset; then translation off. */
    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    vtd_guest_set_te(&g, false);
    g_assert_cmpint(host_live(s), ==, live);
    vtd_guest_free(&g);

    qtest_quit(s);
}

/*
 * Unplug and replug leave the host as at start.  q35's root bus takes no
 * hot plug, so the accelerator sits below a root port (bus 1 once the
 * guest numbers it): its requester ID is 01:00.0.
 */
#define SID_ACCEL_RP 0x0100

static void test_undo_unplug(void)
{
    g_autofree char *base = host_args();
    g_autofree char *all = g_strconcat(
        base, "-object iommufd,id=iommufd0 " ARGS_VIOMMU ARGS_NIC
        "-device pcie-root-port,id=rp1,chassis=1,slot=1,addr=5 "
        "-device vfio-pci,host=" BDF_ACCEL ",iommufd=iommufd0,id=accel0,"
        "bus=rp1", NULL);
    QTestState *s = qtest_init(all);
    int64_t live = host_live(s);
    VtdPasidEntry e = fs_entry(FSPT_P1, 3);
    VtdGuest g;
    Host h;

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    qtest_ecam_writel(s, QPCI_BDF(0, 5, 0), 0x18, 0x00010100);
    vtd_guest_init(&g, s);
    vtd_guest_attach_device(&g, SID_ACCEL_RP);
    vtd_guest_set_pasid(&g, SID_ACCEL_RP, 1, &e, 0);
    g_assert_cmpint(host_live(s), >, live);
    qtest_qmp_assert_success(s, "{'execute': 'device_del', "
                             "'arguments': {'id': 'accel0'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': 'vfio-pci', 'host': '" BDF_ACCEL
                             "', 'iommufd': 'iommufd0', 'id': 'accel0', "
                             "'bus': 'rp1'}}");
    /* The guest binds again: the replugged device is served as before. */
    vtd_guest_set_pasid(&g, SID_ACCEL_RP, 1, &e, 0);
    host_read(s, &h);
    g_assert_cmpuint(host_pasid_count(&h, BDF_ACCEL), ==, 1);
    host_free(&h);
    vtd_guest_set_te(&g, false);
    g_assert_cmpint(host_live(s), ==, live);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* The calls that change attachments: they come before any DESTROY. */
static int64_t change_calls(QTestState *s)
{
    return host_calls(s, "HWPT_ALLOC") + host_calls(s, "ATTACH_IOMMUFD_PT") +
           host_calls(s, "DETACH_IOMMUFD_PT");
}

typedef void (*GuestStep)(VtdGuest *g);

static void step_attach(VtdGuest *g)
{
    vtd_guest_attach_device(g, SID_ACCEL);
}

static void step_bind_p1(VtdGuest *g)
{
    VtdPasidEntry e = fs_entry(FSPT_P1, 3);

    vtd_guest_set_pasid(g, SID_ACCEL, 1, &e, 0);
}

static void step_attach_bind_p1(VtdGuest *g)
{
    step_attach(g);
    step_bind_p1(g);
}

static void step_rebind_p1(VtdGuest *g)
{
    VtdPasidEntry e = fs_entry(FSPT_NEW, 3);

    vtd_guest_set_pasid(g, SID_ACCEL, 1, &e, 0);
}

static void step_unbind_p1(VtdGuest *g)
{
    vtd_guest_set_pasid(g, SID_ACCEL, 1, NULL, 3);
}

/*
 * Fail each host call of @action in turn (after @prepare): a fault
 * record for PASID 1, the host exactly as before (objects and
 * attachments, ids aside), and the same action works on a retry.
 */
static void fault_sweep(GuestStep prepare, GuestStep action,
                        int64_t want_calls)
{
    QTestState *s = start();
    int64_t calls;
    VtdGuest g;

    vtd_guest_init(&g, s);
    prepare(&g);
    calls = change_calls(s);
    action(&g);
    calls = change_calls(s) - calls;
    vtd_guest_free(&g);
    qtest_quit(s);
    g_assert_cmpint(calls, ==, want_calls);

    for (int64_t n = 1; n <= calls; n++) {
        g_autofree char *faults = NULL, *shape_a = NULL, *shape_b = NULL;
        Host a, b;

        s = start();
        vtd_guest_init(&g, s);
        prepare(&g);
        host_read(s, &a);
        faults = g_strdup_printf("{'execute': 'x-host-sim-fault', "
                                 "'arguments': {'spec': 'nth=%" PRId64
                                 "'}}", n);
        qtest_qmp_assert_success(s, "%s", faults);
        action(&g);
        assert_fault(s, SID_ACCEL, 1, 0x5b);
        host_read(s, &b);
        shape_a = host_shape(&a);
        shape_b = host_shape(&b);
        g_assert_cmpstr(shape_a, ==, shape_b);
        host_free(&a);
        host_free(&b);
        /* Nothing is stuck: the same action succeeds on the next try. */
        action(&g);
        assert_no_fault(s);
        vtd_guest_free(&g);
        qtest_quit(s);
    }
}

/* Parent, RID onto it, stage 1, PASID attach. */
static void test_bind_fault_every_call(void)
{
    fault_sweep(step_attach, step_bind_p1, 4);
}

/* New stage 1, PASID re-attach (the old HWPT's DESTROY comes after). */
static void test_rebind_fault_every_call(void)
{
    fault_sweep(step_attach_bind_p1, step_rebind_p1, 2);
}

/* The detach (the HWPT's DESTROY comes after). */
static void test_unbind_fault_every_call(void)
{
    fault_sweep(step_attach_bind_p1, step_unbind_p1, 1);
}

/* A failing invalidation is a fault record, not a hang or a crash. */
static void test_invalidate_fault(void)
{
    QTestState *s = start();
    VtdGuest g;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                             "'arguments': {'spec': "
                             "'cmd=HWPT_INVALIDATE,times=1'}}");
    vtd_guest_piotlb(&g, 3, 1, 0x1000, 0, false);
    vtd_guest_wait(&g);
    g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & VTD_FSTS_PPF, ==,
                    VTD_FSTS_PPF);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* Guest pointers outside RAM and garbage: faults, never a crash. */
static void test_garbage(void)
{
    QTestState *s = start();
    VtdGuest g;
    uint64_t root[2] = { 0xfffffffff000ULL | 1, 0 };

    vtd_guest_init(&g, s);
    /* A root entry pointing outside RAM. */
    qtest_memwrite(s, g.root, root, sizeof(root));
    vtd_guest_submit(&g, 0x7 | (1 << 4) | 1ULL << 32, 0);
    vtd_guest_wait(&g);
    assert_fault(s, SID_ACCEL, 1, 0x09);
    /* A descriptor with a reserved upper half: the queue stops (IQE). */
    {
        uint64_t bad[4] = { 0x7, 0, 1, 0 };

        qtest_memwrite(s, g.iq + g.iq_tail, bad, sizeof(bad));
        vtd_writeq(s, VTD_REG_IQT, g.iq_tail + 32);
        g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & VTD_FSTS_IQE, ==,
                        VTD_FSTS_IQE);
    }
    /* A tail past the queue. */
    vtd_writel(s, VTD_REG_FSTS, VTD_FSTS_IQE);
    vtd_writeq(s, VTD_REG_IQT, 0x7ffe0);
    g_assert_cmphex(vtd_readl(s, VTD_REG_FSTS) & VTD_FSTS_IQE, ==,
                    VTD_FSTS_IQE);
    vtd_guest_free(&g);
    qtest_quit(s);
}

/* x-query-viommu and info viommu show each device's PASIDs. */
static void test_query(void)
{
    QTestState *s = start();
    g_autoptr(JsonNode) ret = NULL;
    g_autofree char *info = NULL;
    JsonObject *v, *nest, *dev;
    JsonArray *pasids;
    VtdGuest g;

    vtd_guest_init(&g, s);
    guest_bind_all(&g);
    ret = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-viommu'}");
    v = json_array_get_object_element(json_node_get_array(ret), 0);
    nest = json_object_get_object_member(v, "nesting");
    g_assert_true(json_object_get_boolean_member(nest, "active"));
    g_assert_cmpint(json_object_get_int_member(nest, "s1-hwpts"), ==, 4);
    dev = json_array_get_object_element(
        json_object_get_array_member(v, "devices"), 0);
    g_assert_cmpstr(json_object_get_string_member(dev, "name"), ==,
                    "accel0");
    pasids = json_object_get_array_member(dev, "pasids");
    g_assert_cmpuint(json_array_get_length(pasids), ==, 3);
    g_assert_cmpint(json_object_get_int_member(
        json_array_get_object_element(pasids, 2), "pasid"), ==, 0xfffff);
    g_assert_cmpstr(json_object_get_string_member(
        json_array_get_object_element(pasids, 1), "fspt"), ==, "0x2200000");
    info = qtest_hmp(s, "info viommu");
    g_assert_nonnull(strstr(info, "nesting: active, parent hwpt "));
    g_assert_nonnull(strstr(info, "    pasid 1: first-stage fspt 0x2200000 "
                                  "aw 48 did 3 -> hwpt "));
    vtd_guest_free(&g);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/intel-iommu/nested/acceptance", test_acceptance);
    g_test_add_func("/intel-iommu/nested/replace-without-window",
                    test_replace_without_window);
    g_test_add_func("/intel-iommu/nested/shared-hwpt-and-pass-through",
                    test_shared_hwpt_and_pass_through);
    g_test_add_func("/intel-iommu/nested/pasid-enable-off",
                    test_pasid_enable_off);
    g_test_add_func("/intel-iommu/nested/unsupported-entries-fault",
                    test_unsupported_entries_fault);
    g_test_add_func("/intel-iommu/nested/undo-counts", test_undo_counts);
    g_test_add_func("/intel-iommu/nested/undo-unplug-replug",
                    test_undo_unplug);
    g_test_add_func("/intel-iommu/nested/bind-fault-every-call",
                    test_bind_fault_every_call);
    g_test_add_func("/intel-iommu/nested/rebind-fault-every-call",
                    test_rebind_fault_every_call);
    g_test_add_func("/intel-iommu/nested/unbind-fault-every-call",
                    test_unbind_fault_every_call);
    g_test_add_func("/intel-iommu/nested/invalidate-fault",
                    test_invalidate_fault);
    g_test_add_func("/intel-iommu/nested/garbage-never-crashes",
                    test_garbage);
    g_test_add_func("/intel-iommu/nested/query", test_query);
    return g_test_run();
}

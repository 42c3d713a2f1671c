/*
 * arm-smmuv3 accel=on, black box: a Linux-style guest (smmuv3-guest.c)
 * programs two vSMMUs on two pxb-pcie buses, each with one PASID device
 * behind its own host SMMUv3 (SSIDSIZE 20 and 16), and the simulated
 * host must end up with one vIOMMU per vSMMU, one vDEVICE per device
 * with its StreamID, nested HWPTs carrying the guest's STE words, and
 * the guest's CD/TLB invalidations as vIOMMU invalidations.  What the
 * host refuses stops the guest's queue and changes nothing; reset,
 * SMMUEN=0, unplug and replug leave no stale object; every host call
 * on these paths is failed in turn.
 */
#include <glib.h>
#include <inttypes.h>
#include <string.h>

#include "libqtest.h"
#include "smmuv3-guest.h"

#define SMMU0_BASE      0x09050000ULL       /* on pxb0 */
#define SMMU1_BASE      0x0c000000ULL       /* on pxb1 */
#define WIN0            0x41000000ULL       /* each guest's tables */
#define WIN1            0x42000000ULL
#define SID0            0x4100              /* behind rp0, bus 0x41 */
#define SID1            0x8100              /* behind rp1, bus 0x81 */
#define BDF0            "0000:01:00.0"
#define BDF1            "0000:02:00.0"
#define TTB             0x43000000ULL

#define ARGS_SMMU(n, bus) \
    "-device pxb-pcie,id=pxb" #n ",bus_nr=" #bus " " \
    "-device arm-smmuv3,primary-bus=pxb" #n ",accel=on,ssidsize=auto " \
    "-device pcie-root-port,id=rp" #n ",bus=pxb" #n ",chassis=" #n "1 "
#define ARGS_DEV(n, bdf) \
    "-device vfio-pci,host=" bdf ",iommufd=iommufd0,id=dev" #n ",bus=rp" #n " "

static QTestState *start(void)
{
    g_autofree char *args = g_strdup_printf(
        "-M virt -host-sim %s/tests/data/hosts/arm-smmuv3-two-ssidsize.json "
        "-object iommufd,id=iommufd0 " ARGS_SMMU(0, 0x40) ARGS_DEV(0, BDF0)
        ARGS_SMMU(1, 0x80) ARGS_DEV(1, BDF1), g_getenv("VV_SOURCE_ROOT"));
    QTestState *s = qtest_init(args);

    qtest_set_ecam_base(s, VIRT_ECAM_BASE);
    /* Firmware's bus numbers: each root port's secondary bus. */
    qtest_ecam_writel(s, 0x4000, 0x18, 0x00414140);
    qtest_ecam_writel(s, 0x8000, 0x18, 0x00818180);
    return s;
}

/* ---- the simulated host, read through x-query-host-sim ---- */

typedef struct Host {
    JsonNode *node;
    JsonArray *objs;
} Host;

static void host_read(QTestState *s, Host *h)
{
    h->node = qtest_qmp_assert_success_ref(s,
                                           "{'execute': 'x-query-host-sim'}");
    h->objs = json_object_get_array_member(json_node_get_object(h->node),
                                           "objects");
}

static void host_free(Host *h)
{
    json_node_unref(h->node);
}

/* The @n-th (from 0) object of @type, or NULL. */
static JsonObject *host_nth(Host *h, const char *type, unsigned n)
{
    for (guint i = 0; i < json_array_get_length(h->objs); i++) {
        JsonObject *o = json_array_get_object_element(h->objs, i);

        if (!strcmp(json_object_get_string_member(o, "type"), type) &&
            n-- == 0) {
            return o;
        }
    }
    return NULL;
}

static unsigned host_count(Host *h, const char *type)
{
    unsigned n = 0;

    while (host_nth(h, type, n)) {
        n++;
    }
    return n;
}

/* The object of @type whose "device" is @bdf (nested only for HWPTs). */
static JsonObject *host_of(Host *h, const char *type, const char *bdf)
{
    JsonObject *o;

    for (unsigned n = 0; (o = host_nth(h, type, n)); n++) {
        if (!strcmp(json_object_get_string_member(o, "device"), bdf) &&
            (strcmp(type, "hwpt") ||
             json_object_get_boolean_member(o, "nested"))) {
            return o;
        }
    }
    return NULL;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Objects by type and kind, ids and order aside: what "unchanged" is. */
static char *host_shape(QTestState *s)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) out = g_string_new("");
    Host h;

    host_read(s, &h);
    for (guint i = 0; i < json_array_get_length(h.objs); i++) {
        JsonObject *o = json_array_get_object_element(h.objs, i);

        g_ptr_array_add(items, g_strdup_printf(
            "%s%s%s", json_object_get_string_member(o, "type"),
            json_object_get_boolean_member_with_default(o, "nested", false)
            ? "/nested" : "",
            json_object_has_member(o, "ste0")
            ? json_object_get_string_member(o, "ste0") : ""));
    }
    host_free(&h);
    g_ptr_array_sort(items, cmp_str);
    for (guint i = 0; i < items->len; i++) {
        g_string_append_printf(out, "%s;", (char *)items->pdata[i]);
    }
    return g_string_free(g_steal_pointer(&out), false);
}

static int64_t host_int(QTestState *s, const char *member)
{
    Host h;
    int64_t v;

    host_read(s, &h);
    v = json_object_get_int_member(json_node_get_object(h.node), member);
    host_free(&h);
    return v;
}

static int64_t host_calls(QTestState *s)
{
    return host_int(s, "total-calls");
}

static void assert_hex(JsonObject *o, const char *member, uint64_t want)
{
    g_autofree char *text = g_strdup_printf("0x%" PRIx64, want);

    g_assert_cmpstr(json_object_get_string_member(o, member), ==, text);
}

/* ---- the guest ---- */

typedef struct Guests {
    SmmuGuest g0, g1;
} Guests;

static void guests_init(Guests *gs, QTestState *s)
{
    smmu_guest_init(&gs->g0, s, SMMU0_BASE, WIN0);
    smmu_guest_init(&gs->g1, s, SMMU1_BASE, WIN1);
}

static void guests_free(Guests *gs)
{
    smmu_guest_free(&gs->g0);
    smmu_guest_free(&gs->g1);
}

/* The STE word 0 the guest wrote for @sid. */
static uint64_t ste0_of(SmmuGuest *g, uint32_t sid)
{
    return qtest_readq(g->qts, smmu_guest_ste_addr(g, sid));
}

/* Max PASID Width of the device at @bdf (its PASID capability). */
static unsigned device_pasid_bits(QTestState *s, uint16_t bdf)
{
    uint16_t off = qtest_ecam_find_ext_cap(s, bdf, 0x1b);

    g_assert_cmpuint(off, !=, 0);
    return (qtest_ecam_readw(s, bdf, off + 4) >> 8) & 0x1f;
}

/* ---- acceptance ---- */

/* What the host must have after test_acceptance()'s guest. */
static void assert_acceptance_host(QTestState *s, Guests *gs)
{
    JsonObject *v0, *v1, *d, *log;
    JsonArray *inv;
    Host h;

    host_read(s, &h);
    g_assert_cmpuint(host_count(&h, "viommu"), ==, 2);
    g_assert_cmpuint(host_count(&h, "vdevice"), ==, 2);
    v0 = host_of(&h, "viommu", BDF0);
    v1 = host_of(&h, "viommu", BDF1);
    g_assert_cmpstr(json_object_get_string_member(v0, "iommu"), ==, "smmu0");
    g_assert_cmpstr(json_object_get_string_member(v1, "iommu"), ==, "smmu1");
    d = host_of(&h, "vdevice", BDF0);
    g_assert_cmpint(json_object_get_int_member(d, "virt-id"), ==, SID0);
    g_assert_cmpint(json_object_get_int_member(d, "viommu"), ==,
                    json_object_get_int_member(v0, "id"));
    d = host_of(&h, "vdevice", BDF1);
    g_assert_cmpint(json_object_get_int_member(d, "virt-id"), ==, SID1);
    /* The nested HWPTs carry the guest STEs (word 1 without STRW). */
    d = host_of(&h, "hwpt", BDF0);
    assert_hex(d, "ste0", ste0_of(&gs->g0, SID0));
    assert_hex(d, "ste1", SMMU_STE1_NESTED);
    g_assert_cmpint(json_object_get_int_member(d, "parent"), ==,
                    json_object_get_int_member(v0, "id"));
    d = host_of(&h, "hwpt", BDF1);
    assert_hex(d, "ste0", ste0_of(&gs->g1, SID1));
    g_assert_cmpuint((ste0_of(&gs->g1, SID1) >> 59) & 0x1f, ==, 16);
    /* CFGI_CD of SSID 2^20-1, then the TLBI_NH_ASID, with the vSID. */
    g_assert_cmpint(json_object_get_int_member(v0, "invalidate-calls"), ==,
                    4);
    inv = json_object_get_array_member(v0, "invalidations");
    g_assert_cmpuint(json_array_get_length(inv), ==, 4);
    log = json_array_get_object_element(inv, 2);
    g_assert_cmpint(json_object_get_int_member(log, "opcode"), ==,
                    SMMU_OP_CFGI_CD);
    g_assert_cmpint(json_object_get_int_member(log, "sid"), ==, SID0);
    g_assert_cmphex((g_ascii_strtoull(json_object_get_string_member(log,
                                                                    "cmd0"),
                                      NULL, 16) >> 12) & 0xfffff, ==,
                    0xfffff);
    log = json_array_get_object_element(inv, 3);
    g_assert_cmpint(json_object_get_int_member(log, "opcode"), ==,
                    SMMU_OP_TLBI_NH_ASID);
    inv = json_object_get_array_member(v1, "invalidations");
    g_assert_cmpuint(json_array_get_length(inv), ==, 1);
    host_free(&h);
}

static void test_acceptance(void)
{
    QTestState *s = start();
    Guests gs;
    Host h;

    guests_init(&gs, s);
    g_assert_cmpuint(gs.g0.ssid_bits, ==, 20);
    g_assert_cmpuint(gs.g1.ssid_bits, ==, 16);
    /* pci_max_pasids(): S1CDMax from each device's PASID capability. */
    smmu_guest_attach(&gs.g0, SID0, device_pasid_bits(s, SID0));
    smmu_guest_attach(&gs.g1, SID1, device_pasid_bits(s, SID1));
    smmu_guest_set_cd(&gs.g0, SID0, 0, 1, TTB);
    smmu_guest_set_cd(&gs.g0, SID0, 1, 2, TTB);
    smmu_guest_set_cd(&gs.g0, SID0, (1u << 20) - 1, 3, TTB);
    smmu_guest_set_cd(&gs.g1, SID1, (1u << 16) - 1, 4, TTB);
    smmu_guest_submit(&gs.g0, SMMU_OP_TLBI_NH_ASID | 3ull << 48, 0);
    smmu_guest_sync(&gs.g0);
    assert_acceptance_host(s, &gs);

    /* Detach: an abort STE replaces the translate one. */
    smmu_guest_detach(&gs.g0, SID0);
    host_read(s, &h);
    assert_hex(host_of(&h, "hwpt", BDF0), "ste0", SMMU_STE0_V);
    g_assert_cmpuint(host_count(&h, "viommu"), ==, 2);
    host_free(&h);
    guests_free(&gs);
    qtest_quit(s);
}

/* An STE value the kernel rejects: queue error, event, host unchanged. */
static void test_refused_ste(void)
{
    QTestState *s = start();
    g_autofree char *before = NULL, *after = NULL;
    unsigned type;
    uint32_t sid;
    Guests gs;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    before = host_shape(s);
    /* Stage-2 translation: an allowed field, a value the host refuses. */
    smmu_guest_write_ste(&gs.g0, SID0, SMMU_STE0_V | SMMU_STE0_CFG_S2, 0);
    smmu_guest_submit(&gs.g0, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32, 1);
    smmu_guest_sync_err(&gs.g0, SMMU_CERROR_ILL, 0);
    after = host_shape(s);
    g_assert_cmpstr(before, ==, after);
    g_assert_true(smmu_guest_event(&gs.g0, &type, &sid));
    g_assert_cmphex(type, ==, SMMU_EVT_C_BAD_STE);
    g_assert_cmphex(sid, ==, SID0);
    /* An S1CDMax beyond host smmu1's SSIDSIZE 16: the same. */
    g_free(before);
    before = host_shape(s);
    smmu_guest_write_ste(&gs.g1, SID1, SMMU_STE0_V | SMMU_STE0_CFG_S1 |
                         SMMU_STE0_S1CDMAX(17) | WIN1, 0);
    smmu_guest_submit(&gs.g1, SMMU_OP_CFGI_STE | (uint64_t)SID1 << 32, 1);
    smmu_guest_sync_err(&gs.g1, SMMU_CERROR_ILL, 0);
    g_free(after);
    after = host_shape(s);
    g_assert_cmpstr(before, ==, after);
    /* A command this vSMMU does not have: TLBI_S2_IPA (no stage 2). */
    smmu_guest_submit(&gs.g0, 0x2a, 0);
    smmu_guest_sync_err(&gs.g0, SMMU_CERROR_ILL, 0);
    guests_free(&gs);
    qtest_quit(s);
}

/* An STE the guest left out: an abort for the host, an event, no error. */
static void test_missing_ste(void)
{
    QTestState *s = start();
    unsigned type;
    uint32_t sid;
    Guests gs;
    Host h;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    /* Linux never does this: the level-1 descriptor loses its table. */
    qtest_writeq(s, gs.g0.strtab + (SID0 >> 8) * 8, 0);
    smmu_guest_submit(&gs.g0, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32, 1);
    smmu_guest_sync(&gs.g0);
    g_assert_true(smmu_guest_event(&gs.g0, &type, &sid));
    g_assert_cmphex(type, ==, 0x02);                    /* C_BAD_STREAMID */
    g_assert_cmphex(sid, ==, SID0);
    host_read(s, &h);
    assert_hex(host_of(&h, "hwpt", BDF0), "ste0", SMMU_STE0_V);
    host_free(&h);
    guests_free(&gs);
    qtest_quit(s);
}

/* CFGI_STE of dev0 and a SYNC; the newest event must be @type. */
static void cfgi_expect_event(SmmuGuest *g, unsigned want)
{
    unsigned type;
    uint32_t sid;

    smmu_guest_submit(g, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32, 1);
    smmu_guest_sync(g);
    g_assert_true(smmu_guest_event(g, &type, &sid));
    g_assert_cmphex(type, ==, want);
    g_assert_cmphex(sid, ==, SID0);
}

/*
 * A linear stream table works too; a StreamID past its size, a table
 * outside RAM or a SPLIT the architecture does not have are events.
 */
static void test_stream_table_formats(void)
{
    QTestState *s = start();
    uint64_t linear = WIN0 + 0x800000;      /* 2^16 STEs: 4 MiB */
    Guests gs;
    Host h;

    guests_init(&gs, s);
    smmu_guest_cr0(&gs.g0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    smmu_writeq(&gs.g0, SMMU_REG_STRTAB_BASE, linear);
    smmu_writel(&gs.g0, SMMU_REG_STRTAB_CFG, 16);
    qtest_writeq(s, linear + SID0 * 64, SMMU_STE0_V | SMMU_STE0_CFG_BYPASS);
    smmu_guest_enable(&gs.g0);
    host_read(s, &h);
    assert_hex(host_of(&h, "hwpt", BDF0), "ste0",
               SMMU_STE0_V | SMMU_STE0_CFG_BYPASS);
    host_free(&h);
    /* 2^14 StreamIDs: 0x4100 is past the end. */
    smmu_writel(&gs.g0, SMMU_REG_STRTAB_CFG, 14);
    cfgi_expect_event(&gs.g0, 0x02);                /* C_BAD_STREAMID */
    /* A table outside RAM. */
    smmu_writel(&gs.g0, SMMU_REG_STRTAB_CFG, 16);
    smmu_writeq(&gs.g0, SMMU_REG_STRTAB_BASE, 0x1000);
    cfgi_expect_event(&gs.g0, 0x03);                /* F_STE_FETCH */
    /* 2-level with SPLIT 7. */
    smmu_writeq(&gs.g0, SMMU_REG_STRTAB_BASE, gs.g0.strtab);
    smmu_writel(&gs.g0, SMMU_REG_STRTAB_CFG, 1u << 16 | 7 << 6 | 16);
    cfgi_expect_event(&gs.g0, 0x02);
    /* Each of them left an abort STE on the host. */
    host_read(s, &h);
    assert_hex(host_of(&h, "hwpt", BDF0), "ste0", SMMU_STE0_V);
    host_free(&h);
    guests_free(&gs);
    qtest_quit(s);
}

/* A full event queue drops the record and flips EVENTQ_PROD.OVFLG. */
static void test_event_overflow(void)
{
    QTestState *s = start();
    Guests gs;

    guests_init(&gs, s);
    qtest_writeq(s, gs.g0.strtab + (SID0 >> 8) * 8, 0);
    for (int i = 0; i < 128; i++) {
        smmu_guest_submit(&gs.g0, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32,
                          1);
    }
    smmu_guest_sync(&gs.g0);
    /* 2^7 records: full (wrap bit set, index 0), then one lost. */
    g_assert_cmphex(smmu_readl(&gs.g0, SMMU_REG_EVENTQ_PROD), ==,
                    0x80000080);
    guests_free(&gs);
    qtest_quit(s);
}

/* CMD_SYNC's CS 3 is reserved: an illegal command. */
static void test_sync_reserved_cs(void)
{
    QTestState *s = start();
    Guests gs;

    guests_init(&gs, s);
    smmu_guest_submit(&gs.g0, SMMU_OP_SYNC | 3ull << 12, 0);
    smmu_guest_sync_err(&gs.g0, SMMU_CERROR_ILL, 0);
    guests_free(&gs);
    qtest_quit(s);
}

/* ---- undo ---- */

static void test_reset_and_disable(void)
{
    QTestState *s = start();
    g_autofree char *start_shape = host_shape(s);
    int64_t live = host_int(s, "live-objects");
    Guests gs;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    smmu_guest_attach(&gs.g1, SID1, 16);
    /* Per device: parent, vIOMMU, vDEVICE, nested HWPT; no IOAS domain. */
    g_assert_cmpint(host_int(s, "live-objects"), ==, live + 6);
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    g_assert_cmpint(host_int(s, "live-objects"), ==, live);
    guests_free(&gs);

    /* Again, then SMMUEN=0: back to the IOAS (GBPA bypass). */
    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    smmu_guest_cr0(&gs.g0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    /* dev1 keeps the abort STE SMMUEN gave it (no level-2 table yet). */
    g_assert_cmpint(host_int(s, "live-objects"), ==, live + 3);
    /* GBPA.ABORT with SMMUEN=0: an abort STE, no STE read. */
    smmu_writel(&gs.g0, SMMU_REG_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    {
        Host h;

        host_read(s, &h);
        assert_hex(host_of(&h, "hwpt", BDF0), "ste0", SMMU_STE0_V);
        host_free(&h);
    }
    smmu_writel(&gs.g0, SMMU_REG_GBPA, SMMU_GBPA_UPDATE);
    g_assert_cmpint(host_int(s, "live-objects"), ==, live + 3);
    smmu_guest_cr0(&gs.g1, 0);
    {
        g_autofree char *end_shape = host_shape(s);

        g_assert_cmpstr(start_shape, ==, end_shape);
    }
    g_assert_cmpint(host_int(s, "tombstones"), ==, 0);
    guests_free(&gs);
    qtest_quit(s);
}

static void test_unplug_replug(void)
{
    QTestState *s = start();
    int64_t live = host_int(s, "live-objects");
    Guests gs;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    smmu_guest_attach(&gs.g1, SID1, 16);
    qtest_qmp_assert_success(s, "{'execute': 'device_del', "
                             "'arguments': {'id': 'dev0'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': 'vfio-pci', 'host': '" BDF0 "', "
                             "'iommufd': 'iommufd0', 'id': 'dev0', "
                             "'bus': 'rp0'}}");
    /* Only dev1's objects; the replugged device is as at start. */
    g_assert_cmpint(host_int(s, "live-objects"), ==, live + 3);
    smmu_guest_attach(&gs.g0, SID0, 20);
    g_assert_cmpint(host_int(s, "live-objects"), ==, live + 6);
    qtest_qmp_assert_success(s, "{'execute': 'device_del', "
                             "'arguments': {'id': 'dev1'}}");
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    g_assert_cmpint(host_int(s, "tombstones"), ==, 0);
    guests_free(&gs);
    qtest_quit(s);
}

/* The guest renumbers rp0's bus: the vDEVICE follows the new StreamID. */
static void test_renumber(void)
{
    QTestState *s = start();
    Guests gs;
    Host h;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    qtest_ecam_writel(s, 0x4000, 0x18, 0x00424240);
    smmu_guest_attach(&gs.g0, 0x4200, 20);
    host_read(s, &h);
    /* One each: dev0's renumbered, dev1's from SMMUEN (abort). */
    g_assert_cmpuint(host_count(&h, "vdevice"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(host_of(&h, "vdevice", BDF0),
                                               "virt-id"), ==, 0x4200);
    host_free(&h);
    guests_free(&gs);
    qtest_quit(s);
}

/* ---- every host call failed in turn ---- */

typedef void (*GuestStep)(Guests *gs);

/* A Linux S1 STE for dev0 in guest RAM, no command yet. */
static void write_s1_ste(Guests *gs, uint64_t cdtab)
{
    smmu_guest_write_ste(&gs->g0, SID0, SMMU_STE0_V | SMMU_STE0_CFG_S1 |
                         SMMU_STE0_S1CDMAX(20) | SMMU_STE0_S1FMT_64K_L2 |
                         cdtab, SMMU_STE1_LINUX);
}

static void step_attach(Guests *gs)
{
    write_s1_ste(gs, WIN0);
    smmu_guest_submit(&gs->g0, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32, 1);
}

static void step_attach_synced(Guests *gs)
{
    step_attach(gs);
    smmu_guest_sync(&gs->g0);
}

/* The same device, a new CD table: a replacement nested HWPT. */
static void step_repoint(Guests *gs)
{
    write_s1_ste(gs, WIN0 + 0x100000);
    smmu_guest_submit(&gs->g0, SMMU_OP_CFGI_STE | (uint64_t)SID0 << 32, 1);
}

static void step_invalidate(Guests *gs)
{
    smmu_guest_submit(&gs->g0, SMMU_OP_CFGI_CD | (uint64_t)SID0 << 32, 1);
}

static void step_sync(Guests *gs)
{
    smmu_guest_sync(&gs->g0);
}

/* The host refused the queued command: the queue stopped at it. */
static void step_sync_refused(Guests *gs)
{
    smmu_guest_sync_err(&gs->g0, SMMU_CERROR_ILL, 0);
}

/* Before SMMUEN: the STE is in place, nothing on the host yet. */
static void step_ready_to_enable(Guests *gs)
{
    write_s1_ste(gs, WIN0);
}

static void step_enable(Guests *gs)
{
    smmu_guest_enable(&gs->g0);
}

static void step_no_event(Guests *gs)
{
    unsigned type;
    uint32_t sid;

    g_assert_false(smmu_guest_event(&gs->g0, &type, &sid));
}

/* SMMUEN with an STE the host refused: an event; SMMUEN off again. */
static void step_enable_refused(Guests *gs)
{
    unsigned type;
    uint32_t sid;

    g_assert_true(smmu_guest_event(&gs->g0, &type, &sid));
    g_assert_cmphex(type, ==, SMMU_EVT_C_BAD_STE);
    g_assert_cmphex(sid, ==, SID0);
    smmu_guest_cr0(&gs->g0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
}

typedef struct Sweep {
    bool enabled;               /* vSMMU0's SMMUEN before @prepare */
    GuestStep prepare, action, done, refused;
    int64_t calls;              /* host calls @action makes */
    int64_t fail;               /* the first @fail of them are swept */
} Sweep;

static void sweep_start(const Sweep *w, QTestState **s, Guests *gs)
{
    *s = start();
    smmu_guest_setup(&gs->g0, *s, SMMU0_BASE, WIN0);
    if (w->enabled) {
        smmu_guest_enable(&gs->g0);
    }
    smmu_guest_init(&gs->g1, *s, SMMU1_BASE, WIN1);
    w->prepare(gs);
}

/*
 * Fail each of the first @fail host calls of @action in turn, after
 * @prepare: @refused sees the guest told (a stopped queue or an event)
 * and the host is exactly as before; then the action works on a retry,
 * and reset leaves the host as at start.  (Calls after @fail are the
 * DESTROYs of what was replaced: their failure is only warned about, as
 * the guest's command did take effect.)
 */
static void fault_sweep(const Sweep *w)
{
    int64_t calls;
    QTestState *s;
    Guests gs;

    sweep_start(w, &s, &gs);
    calls = host_calls(s);
    w->action(&gs);
    w->done(&gs);
    calls = host_calls(s) - calls;
    guests_free(&gs);
    qtest_quit(s);
    g_assert_cmpint(calls, ==, w->calls);

    for (int64_t n = 1; n <= w->fail; n++) {
        g_autofree char *first = NULL, *a = NULL, *b = NULL, *end = NULL;

        sweep_start(w, &s, &gs);
        a = host_shape(s);
        qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                                 "'arguments': {'spec': 'nth=%" PRId64
                                 "'}}", n);
        w->action(&gs);
        w->refused(&gs);
        b = host_shape(s);
        g_assert_cmpstr(a, ==, b);
        w->action(&gs);
        w->done(&gs);
        qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
        end = host_shape(s);
        guests_free(&gs);
        qtest_quit(s);
        s = start();
        first = host_shape(s);
        qtest_quit(s);
        g_assert_cmpstr(first, ==, end);
    }
}

/* First time: parent, vIOMMU, vDEVICE, nested HWPT, attach. */
static void test_enable_fault_every_call(void)
{
    fault_sweep(&(Sweep) { false, step_ready_to_enable, step_enable,
                           step_no_event, step_enable_refused, 5, 5 });
}

/* From the abort STE SMMUEN gave it: new HWPT, attach, DESTROY. */
static void test_attach_fault_every_call(void)
{
    fault_sweep(&(Sweep) { true, step_sync, step_attach, step_sync,
                           step_sync_refused, 3, 2 });
}

static void test_replace_fault_every_call(void)
{
    fault_sweep(&(Sweep) { true, step_attach_synced, step_repoint, step_sync,
                           step_sync_refused, 3, 2 });
}

static void test_invalidate_fault(void)
{
    fault_sweep(&(Sweep) { true, step_attach_synced, step_invalidate,
                           step_sync, step_sync_refused, 1, 1 });
}

/*
 * Failed DESTROYs and re-attaches while undoing: warnings, no crash,
 * and the guest can start over.
 */
static void test_undo_faults(void)
{
    for (int64_t n = 1; n <= 5; n++) {
        QTestState *s = start();
        Guests gs;

        guests_init(&gs, s);
        step_attach_synced(&gs);
        qtest_qmp_assert_success(s, "{'execute': 'x-host-sim-fault', "
                                 "'arguments': {'spec': 'nth=%" PRId64
                                 "'}}", n);
        qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
        guests_free(&gs);
        guests_init(&gs, s);
        step_attach_synced(&gs);
        guests_free(&gs);
        qtest_quit(s);
    }
}

/*
 * One vSMMU over devices behind two host SMMUs: a host vIOMMU (and
 * parent) per host SMMU, found by the kernel refusing a vDEVICE on the
 * other's; a TLBI reaches both, a CFGI_CD only its device's.
 */
static void test_two_host_smmus(void)
{
    g_autofree char *args = g_strdup_printf(
        "-M virt -host-sim %s/tests/data/hosts/arm-smmuv3-two-ssidsize.json "
        "-object iommufd,id=iommufd0 -device arm-smmuv3,primary-bus=pcie.0,"
        "accel=on,ssidsize=auto -device vfio-pci,host=" BDF0 ",iommufd="
        "iommufd0,addr=3 -device vfio-pci,host=" BDF1 ",iommufd=iommufd0,"
        "addr=4", g_getenv("VV_SOURCE_ROOT"));
    QTestState *s = qtest_init(args);
    JsonObject *v0, *v1;
    SmmuGuest g;
    Host h;

    smmu_guest_init(&g, s, SMMU0_BASE, WIN0);
    g_assert_cmpuint(g.ssid_bits, ==, 16);
    smmu_guest_attach(&g, 0x18, 16);
    smmu_guest_attach(&g, 0x20, 16);
    smmu_guest_set_cd(&g, 0x20, 5, 1, TTB);
    smmu_guest_submit(&g, SMMU_OP_TLBI_NH_ASID | 1ull << 48, 0);
    smmu_guest_sync(&g);
    host_read(s, &h);
    g_assert_cmpuint(host_count(&h, "viommu"), ==, 2);
    g_assert_cmpuint(host_count(&h, "vdevice"), ==, 2);
    v0 = host_of(&h, "viommu", BDF0);
    v1 = host_of(&h, "viommu", BDF1);
    g_assert_cmpstr(json_object_get_string_member(v1, "iommu"), ==, "smmu1");
    g_assert_cmpint(json_object_get_int_member(
                        host_of(&h, "vdevice", BDF1), "viommu"), ==,
                    json_object_get_int_member(v1, "id"));
    g_assert_cmpuint(json_array_get_length(
                         json_object_get_array_member(v0, "invalidations")),
                     ==, 1);
    g_assert_cmpuint(json_array_get_length(
                         json_object_get_array_member(v1, "invalidations")),
                     ==, 2);
    host_free(&h);
    smmu_guest_free(&g);
    qtest_quit(s);
}

/* ---- introspection ---- */

static void test_query(void)
{
    QTestState *s = start();
    g_autoptr(JsonNode) keep = NULL;
    g_autofree char *info = NULL;
    JsonObject *v, *d, *n;
    Guests gs;

    guests_init(&gs, s);
    smmu_guest_attach(&gs.g0, SID0, 20);
    keep = qtest_qmp_assert_success_ref(s, "{'execute': 'x-query-viommu'}");
    v = json_array_get_object_element(json_node_get_array(keep), 0);
    d = json_array_get_object_element(json_object_get_array_member(v,
                                                                   "devices"),
                                      0);
    g_assert_cmpint(json_object_get_int_member(d, "vsid"), ==, SID0);
    g_assert_cmpstr(json_object_get_string_member(d, "ste-config"), ==,
                    "translate");
    g_assert_cmpint(json_object_get_int_member(d, "host-vdevice-vsid"), ==,
                    SID0);
    g_assert_false(json_object_get_null_member(d, "host-viommu"));
    g_assert_false(json_object_get_null_member(d, "host-hwpt"));
    n = json_object_get_object_member(v, "nesting");
    g_assert_true(json_object_get_boolean_member(n, "smmuen"));
    g_assert_cmpuint(json_array_get_length(
                         json_object_get_array_member(n, "host-viommus")),
                     ==, 1);
    /* The abort STE of SMMUEN (no level-2 table yet), then the S1 one. */
    g_assert_cmpint(json_object_get_int_member(n, "ste-installs"), ==, 2);
    /* The other vSMMU's device: aborting, its STE not written yet. */
    v = json_array_get_object_element(json_node_get_array(keep), 1);
    d = json_array_get_object_element(json_object_get_array_member(v,
                                                                   "devices"),
                                      0);
    g_assert_cmpint(json_object_get_int_member(d, "vsid"), ==, SID1);
    g_assert_cmpstr(json_object_get_string_member(d, "ste-config"), ==,
                    "abort");
    g_assert_false(json_object_get_null_member(d, "host-hwpt"));
    info = qtest_hmp(s, "info viommu");
    g_assert_nonnull(strstr(info, "  nesting: SMMUEN on, 1 host vIOMMUs, "
                                  "2 STE installs"));
    g_assert_nonnull(strstr(info, "  dev0: vsid 0x4100, translate -> host "
                                  "viommu "));
    g_assert_nonnull(strstr(info, "  dev1: vsid 0x8100, abort -> host "));
    guests_free(&gs);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/smmuv3/nested/acceptance", test_acceptance);
    g_test_add_func("/smmuv3/nested/refused-ste", test_refused_ste);
    g_test_add_func("/smmuv3/nested/missing-ste", test_missing_ste);
    g_test_add_func("/smmuv3/nested/stream-table-formats",
                    test_stream_table_formats);
    g_test_add_func("/smmuv3/nested/event-overflow", test_event_overflow);
    g_test_add_func("/smmuv3/nested/sync-reserved-cs",
                    test_sync_reserved_cs);
    g_test_add_func("/smmuv3/nested/reset-and-disable",
                    test_reset_and_disable);
    g_test_add_func("/smmuv3/nested/unplug-replug", test_unplug_replug);
    g_test_add_func("/smmuv3/nested/renumber", test_renumber);
    g_test_add_func("/smmuv3/nested/enable-fault-every-call",
                    test_enable_fault_every_call);
    g_test_add_func("/smmuv3/nested/attach-fault-every-call",
                    test_attach_fault_every_call);
    g_test_add_func("/smmuv3/nested/replace-fault-every-call",
                    test_replace_fault_every_call);
    g_test_add_func("/smmuv3/nested/two-host-smmus-one-vsmmu",
                    test_two_host_smmus);
    g_test_add_func("/smmuv3/nested/invalidate-fault",
                    test_invalidate_fault);
    g_test_add_func("/smmuv3/nested/undo-faults", test_undo_faults);
    g_test_add_func("/smmuv3/nested/query", test_query);
    return g_test_run();
}

/*
 * The simulated kernel's nesting on VT-d, read as a specification: a
 * nesting parent, VT-d stage-1 HWPTs on it, RID and PASID attachments
 * with the PASID-domain rule, stage-1 invalidations and the order in
 * which objects may be destroyed (Linux 6.18's rules).
 */
#include "sim-test.h"
#include "hw/vfio/vfio-device.h"
#include "system/iommufd.h"

/* intel-pasid.json: dmar0 has NEST, SRS, no EAFS, no FS5LP. */
typedef struct Nest {
    SimBound b;
    int nicfd;
    uint32_t nic_devid;
    uint32_t ioas;
    uint32_t parent;
} Nest;

static uint32_t nest_err_alloc(int err, int iommufd, uint32_t dev_id,
                               uint32_t pt_id, uint32_t flags,
                               const void *data, uint32_t data_type,
                               uint32_t data_len)
{
    struct iommu_hwpt_alloc h = {
        .size = sizeof(h), .flags = flags, .dev_id = dev_id, .pt_id = pt_id,
        .data_type = data_type, .data_len = data_len,
        .data_uptr = (uintptr_t)data,
    };

    sim_assert_ioctl(err, iommufd, IOMMU_HWPT_ALLOC, &h);
    return h.out_hwpt_id;
}

static uint32_t nest_s1(int err, Nest *n, uint32_t flags, uint64_t pgtbl,
                        uint32_t aw, uint64_t s1_flags)
{
    struct iommu_hwpt_vtd_s1 s1 = {
        .flags = s1_flags, .pgtbl_addr = pgtbl, .addr_width = aw,
    };

    return nest_err_alloc(err, n->b.iommufd, n->b.devid, n->parent, flags,
                          &s1, IOMMU_HWPT_DATA_VTD_S1, sizeof(s1));
}

static void nest_attach(int err, int devfd, uint32_t pt_id, bool pasid,
                        uint32_t pasid_nr)
{
    struct vfio_device_attach_iommufd_pt at = {
        .argsz = sizeof(at), .pt_id = pt_id,
        .flags = pasid ? VFIO_DEVICE_ATTACH_PASID : 0, .pasid = pasid_nr,
    };

    sim_assert_ioctl(err, devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
}

static void nest_detach(int devfd, bool pasid, uint32_t pasid_nr)
{
    struct vfio_device_detach_iommufd_pt de = {
        .argsz = sizeof(de), .flags = pasid ? VFIO_DEVICE_DETACH_PASID : 0,
        .pasid = pasid_nr,
    };

    sim_assert_ioctl(0, devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
}

static void nest_setup(Nest *n, uint32_t parent_flags)
{
    sim_start(SIM_INTEL);
    sim_bound_open(&n->b, 0);
    n->nicfd = sim_open_cdev(1);
    n->nic_devid = sim_cmd_bind(n->nicfd, n->b.iommufd);
    n->ioas = sim_cmd_ioas_alloc(n->b.iommufd);
    n->parent = nest_err_alloc(0, n->b.iommufd, n->b.devid, n->ioas,
                               IOMMU_HWPT_ALLOC_NEST_PARENT | parent_flags,
                               NULL, 0, 0);
}

static void nest_teardown(Nest *n)
{
    host_close(n->nicfd);
    sim_bound_close(&n->b);
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    host_sim_stop();
}

/* A parent and a stage-1 HWPT; the stage-1 data is checked at attach. */
static void test_s1_alloc(void)
{
    struct iommu_hwpt_vtd_s1 s1 = { .pgtbl_addr = 0x1000, .addr_width = 48 };
    struct { struct iommu_hwpt_vtd_s1 s1; uint64_t extra; } big = { 0 };
    uint32_t hwpt, paging;
    Nest n;

    nest_setup(&n, IOMMU_HWPT_ALLOC_PASID);
    hwpt = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48, 0);
    g_assert_cmpuint(hwpt, >, n.parent);
    /* The core: flags a nested HWPT cannot have, no data, no pointer. */
    nest_s1(EOPNOTSUPP, &n, IOMMU_HWPT_ALLOC_NEST_PARENT, 0x1000, 48, 0);
    nest_err_alloc(EOPNOTSUPP, n.b.iommufd, n.b.devid, n.parent, 0, &s1,
                   IOMMU_HWPT_DATA_VTD_S1, 0);
    nest_err_alloc(EINVAL, n.b.iommufd, n.b.devid, n.parent, 0, NULL,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(s1));
    /* The driver: its own data type only, a whole struct, zero tail. */
    nest_err_alloc(EOPNOTSUPP, n.b.iommufd, n.b.devid, n.parent, 0, &s1,
                   IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(s1));
    nest_err_alloc(EINVAL, n.b.iommufd, n.b.devid, n.parent, 0, &s1,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(s1) - 1);
    big.s1 = s1;
    big.extra = 1;
    nest_err_alloc(E2BIG, n.b.iommufd, n.b.devid, n.parent, 0, &big,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(big));
    big.extra = 0;
    sim_err_destroy(0, n.b.iommufd,
                    nest_err_alloc(0, n.b.iommufd, n.b.devid, n.parent, 0,
                                   &big, IOMMU_HWPT_DATA_VTD_S1,
                                   sizeof(big)));
    /* A parent must be a NEST_PARENT paging HWPT, not a nested one. */
    paging = nest_err_alloc(0, n.b.iommufd, n.b.devid, n.ioas, 0, NULL, 0, 0);
    nest_err_alloc(EINVAL, n.b.iommufd, n.b.devid, paging, 0, &s1,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(s1));
    nest_err_alloc(EINVAL, n.b.iommufd, n.b.devid, hwpt, 0, &s1,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(s1));
    /* A paging HWPT takes no data. */
    nest_err_alloc(EOPNOTSUPP, n.b.iommufd, n.b.devid, n.ioas, 0, &s1,
                   IOMMU_HWPT_DATA_VTD_S1, sizeof(s1));
    sim_err_destroy(0, n.b.iommufd, paging);
    sim_err_destroy(0, n.b.iommufd, hwpt);
    sim_err_destroy(0, n.b.iommufd, n.parent);
    sim_err_destroy(0, n.b.iommufd, n.ioas);
    nest_teardown(&n);
}

/* What the IOMMU unit cannot walk is refused at attach. */
static void test_s1_attach_checks(void)
{
    uint32_t ok, five, eafe, sre, odd;
    Nest n;

    nest_setup(&n, IOMMU_HWPT_ALLOC_PASID);
    ok = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48, IOMMU_VTD_S1_WPE);
    five = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 57, 0);
    eafe = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48,
                   IOMMU_VTD_S1_EAFE);
    sre = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48,
                  IOMMU_VTD_S1_SRE);
    odd = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 39, 0);
    nest_attach(EINVAL, n.b.devfd, five, false, 0);     /* no CAP.FS5LP */
    nest_attach(EINVAL, n.b.devfd, eafe, false, 0);     /* no ECAP.EAFS */
    nest_attach(EINVAL, n.b.devfd, odd, false, 0);
    nest_attach(0, n.b.devfd, sre, false, 0);           /* ECAP.SRS */
    nest_attach(0, n.b.devfd, ok, false, 0);            /* replaces */
    /* The NIC is behind dmar1: a HWPT made for dmar0's device serves it. */
    nest_attach(0, n.nicfd, ok, false, 0);
    sim_err_destroy(EBUSY, n.b.iommufd, ok);
    sim_err_destroy(EBUSY, n.b.iommufd, n.parent);
    nest_detach(n.b.devfd, false, 0);
    nest_detach(n.nicfd, false, 0);
    for (uint32_t id = ok; id <= odd; id++) {
        sim_err_destroy(0, n.b.iommufd, id);
    }
    sim_err_destroy(0, n.b.iommufd, n.parent);
    sim_err_destroy(0, n.b.iommufd, n.ioas);
    nest_teardown(&n);
}

/* PASIDs go only on PASID-flagged HWPTs, with the RID on one too. */
static void test_pasid_rule(void)
{
    uint32_t flagged, plain, s1b;
    Nest n;

    nest_setup(&n, 0);                  /* an unflagged parent */
    flagged = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48, 0);
    plain = nest_s1(0, &n, 0, 0x2000, 48, 0);
    s1b = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x3000, 48, 0);
    nest_attach(EINVAL, n.b.devfd, n.parent, true, 1);
    nest_attach(EINVAL, n.b.devfd, plain, true, 1);
    nest_attach(0, n.b.devfd, n.parent, false, 0);
    nest_attach(EINVAL, n.b.devfd, flagged, true, 1);   /* RID unflagged */
    nest_attach(0, n.b.devfd, flagged, false, 0);
    nest_attach(0, n.b.devfd, flagged, true, 1);
    nest_attach(0, n.b.devfd, s1b, true, 0xfffff);
    nest_attach(EINVAL, n.b.devfd, s1b, true, 0x100000); /* 20-bit width */
    nest_attach(0, n.b.devfd, s1b, true, 1);            /* replaces */
    /* The RID cannot leave for an unflagged HWPT under PASIDs. */
    nest_attach(EINVAL, n.b.devfd, plain, false, 0);
    nest_attach(EINVAL, n.b.devfd, n.parent, false, 0);
    /* The NIC has no PASID: no PASID attach at all. */
    nest_attach(EINVAL, n.nicfd, flagged, true, 1);
    sim_err_destroy(EBUSY, n.b.iommufd, s1b);
    nest_detach(n.b.devfd, true, 1);
    nest_detach(n.b.devfd, true, 0xfffff);
    nest_attach(0, n.b.devfd, plain, false, 0);
    nest_detach(n.b.devfd, false, 0);
    sim_err_destroy(EBUSY, n.b.iommufd, n.parent);      /* children */
    sim_err_destroy(0, n.b.iommufd, flagged);
    sim_err_destroy(0, n.b.iommufd, plain);
    sim_err_destroy(0, n.b.iommufd, s1b);
    sim_err_destroy(0, n.b.iommufd, n.parent);
    sim_err_destroy(0, n.b.iommufd, n.ioas);
    nest_teardown(&n);
}

static int nest_inv(int err, Nest *n, uint32_t hwpt, uint32_t type,
                    void *entries, uint32_t len, uint32_t num)
{
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .hwpt_id = hwpt, .data_type = type,
        .data_uptr = (uintptr_t)entries, .entry_len = len, .entry_num = num,
    };

    sim_assert_ioctl(err, n->b.iommufd, IOMMU_HWPT_INVALIDATE, &inv);
    return inv.entry_num;
}

/* Entries are checked in order; entry_num says how many were handled. */
static void test_invalidate(void)
{
    struct iommu_hwpt_vtd_s1_invalidate e[3] = {
        { .addr = 0x10000, .npages = 4, .flags = IOMMU_VTD_INV_FLAGS_LEAF },
        { .addr = 0, .npages = UINT64_MAX },
        { .addr = 0x20000, .npages = 1 },
    };
    const uint32_t vtd = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1;
    const uint32_t len = sizeof(e[0]);
    uint32_t hwpt;
    Nest n;

    nest_setup(&n, IOMMU_HWPT_ALLOC_PASID);
    hwpt = nest_s1(0, &n, IOMMU_HWPT_ALLOC_PASID, 0x1000, 48, 0);
    g_assert_cmpint(nest_inv(0, &n, hwpt, vtd, e, len, 3), ==, 3);
    g_assert_cmpint(nest_inv(0, &n, hwpt, vtd, NULL, 0, 0), ==, 0);
    e[1].addr = 0x1000;                 /* "all" needs address 0 */
    g_assert_cmpint(nest_inv(EINVAL, &n, hwpt, vtd, e, len, 3), ==, 1);
    e[1] = (struct iommu_hwpt_vtd_s1_invalidate) { .addr = 0x1800,
                                                   .npages = 1 };
    g_assert_cmpint(nest_inv(EINVAL, &n, hwpt, vtd, e, len, 3), ==, 1);
    e[1] = (struct iommu_hwpt_vtd_s1_invalidate) { .npages = 1, .flags = 2 };
    g_assert_cmpint(nest_inv(EOPNOTSUPP, &n, hwpt, vtd, e, len, 3), ==, 1);
    e[1] = (struct iommu_hwpt_vtd_s1_invalidate) { .npages = 1,
                                                   .__reserved = 1 };
    g_assert_cmpint(nest_inv(EOPNOTSUPP, &n, hwpt, vtd, e, len, 3), ==, 1);
    g_assert_cmpint(nest_inv(EINVAL, &n, hwpt, vtd, e, 8, 1), ==, 0);
    g_assert_cmpint(nest_inv(EINVAL, &n, hwpt, vtd, NULL, len, 1), ==, 0);
    g_assert_cmpint(nest_inv(EINVAL, &n, hwpt, 1, e, len, 1), ==, 0);
    g_assert_cmpint(nest_inv(EINVAL, &n, n.parent, vtd, e, len, 1), ==, 0);
    g_assert_cmpint(nest_inv(ENOENT, &n, 999, vtd, e, len, 1), ==, 0);
    /* A failure injected on the call: the kernel never saw the struct. */
    g_assert_true(host_sim_fault_parse("cmd=HWPT_INVALIDATE,errno=5", NULL));
    g_assert_cmpint(nest_inv(EIO, &n, hwpt, vtd, e, len, 1), ==, 1);
    g_assert_true(host_sim_fault_parse("none", NULL));
    sim_err_destroy(0, n.b.iommufd, hwpt);
    sim_err_destroy(0, n.b.iommufd, n.parent);
    sim_err_destroy(0, n.b.iommufd, n.ioas);
    nest_teardown(&n);
}

/* Only an IOMMU that nests can be a parent's (AMD-Vi: no driver here). */
static void test_parent_needs_nesting(void)
{
    SimBound b;
    uint32_t ioas;

    sim_start("amd-vi.json");
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    nest_err_alloc(EOPNOTSUPP, b.iommufd, b.devid, ioas,
                   IOMMU_HWPT_ALLOC_NEST_PARENT, NULL, 0, 0);
    sim_err_destroy(0, b.iommufd, ioas);
    sim_bound_close(&b);
    host_sim_stop();
}

/* The VMM's wrappers, one per ioctl, and their messages. */
static void test_backend_wrappers(void)
{
    struct iommu_hwpt_vtd_s1 s1 = { .pgtbl_addr = 0x5000, .addr_width = 48 };
    struct iommu_hwpt_vtd_s1_invalidate e[2] = {
        { .addr = 0x1000, .npages = 1 }, { .addr = 0x1001, .npages = 1 },
    };
    IOMMUFDBackend be = { .fd = -1 };
    VFIODevice vdev;
    HostIOMMUDevice hiod = { .name = (char *)"dev0", .ops = &vfio_hiod_ops,
                             .opaque = &vdev };
    Error *err = NULL;
    uint32_t parent, s1hwpt, num = 2;
    char *msg;
    Nest n;

    nest_setup(&n, 0);
    be.fd = n.b.iommufd;
    vfio_device_init(&vdev);
    vdev.name = (char *)"0000:01:00.0";
    vdev.fd = n.b.devfd;
    vdev.iommufd = &be;
    g_assert_true(iommufd_backend_alloc_hwpt(&be, n.b.devid, n.ioas,
                                             IOMMU_HWPT_ALLOC_NEST_PARENT |
                                             IOMMU_HWPT_ALLOC_PASID, 0, 0,
                                             NULL, &parent, NULL));
    g_assert_true(iommufd_backend_alloc_hwpt(&be, n.b.devid, parent,
                                             IOMMU_HWPT_ALLOC_PASID,
                                             IOMMU_HWPT_DATA_VTD_S1,
                                             sizeof(s1), &s1, &s1hwpt,
                                             NULL));
    g_assert_true(host_iommu_device_attach_hwpt(&hiod, HOST_IOMMU_NO_PASID,
                                                parent, NULL));
    g_assert_cmpuint(vdev.hwpt_id, ==, parent);
    g_assert_true(host_iommu_device_attach_hwpt(&hiod, 5, s1hwpt,
                                                NULL));
    g_assert_false(host_iommu_device_attach_hwpt(&hiod, 1 << 20, s1hwpt,
                                                 &err));
    msg = g_strdup_printf("[iommufd=%d] error attach 0000:01:00.0 (%d) "
                          "pasid 1048576 to id=%u "
                          "(VFIO_DEVICE_ATTACH_IOMMUFD_PT): Invalid argument",
                          n.b.iommufd, n.b.devfd, s1hwpt);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_free(msg);
    g_clear_error(&err);
    g_assert_false(iommufd_backend_invalidate_cache(
        &be, s1hwpt, IOMMU_HWPT_INVALIDATE_DATA_VTD_S1, sizeof(e[0]), &num,
        e, &err));
    g_assert_cmpuint(num, ==, 1);
    msg = g_strdup_printf("IOMMU_HWPT_INVALIDATE of id %u failed after 1 "
                          "of 2 entries: Invalid argument", s1hwpt);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_free(msg);
    g_clear_error(&err);
    num = 1;
    g_assert_true(iommufd_backend_invalidate_cache(
        &be, s1hwpt, IOMMU_HWPT_INVALIDATE_DATA_VTD_S1, sizeof(e[0]), &num,
        e, NULL));
    g_assert_cmpuint(num, ==, 1);
    g_assert_true(host_iommu_device_detach_hwpt(&hiod, 5, NULL));
    g_assert_true(host_iommu_device_detach_hwpt(&hiod, HOST_IOMMU_NO_PASID,
                                                NULL));
    iommufd_backend_free_id(&be, s1hwpt);
    iommufd_backend_free_id(&be, parent);
    iommufd_backend_free_id(&be, n.ioas);
    nest_teardown(&n);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/nested/vtd/s1-alloc", test_s1_alloc);
    g_test_add_func("/host-sim/nested/vtd/s1-attach-checks",
                    test_s1_attach_checks);
    g_test_add_func("/host-sim/nested/pasid-rule", test_pasid_rule);
    g_test_add_func("/host-sim/nested/vtd/invalidate", test_invalidate);
    g_test_add_func("/host-sim/nested/parent-needs-nesting",
                    test_parent_needs_nesting);
    g_test_add_func("/host-sim/nested/backend-wrappers",
                    test_backend_wrappers);
    return g_test_run();
}

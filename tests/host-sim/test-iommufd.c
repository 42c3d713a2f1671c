/*
 * The simulated /dev/iommu: size rules, IOAS bookkeeping, HWPTs, and
 * what closing a fd releases.
 */
#include "sim-test.h"

static void setup(void)
{
    sim_start(SIM_INTEL);
}

static void teardown(void)
{
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    host_sim_stop();
}

static void test_unknown_command(void)
{
    int fd;
    struct iommu_destroy d = { .size = 8 };

    setup();
    fd = sim_open_iommufd();
    sim_assert_ioctl(ENOTTY, fd, _IO(IOMMUFD_TYPE, 0xa0), &d);
    sim_assert_ioctl(ENOTTY, fd, _IO(IOMMUFD_TYPE, 0x7f), &d);
    g_assert_cmpuint(host_sim_count_cmd("UNKNOWN"), ==, 2);
    host_close(fd);
    teardown();
}

static void test_ioas_alloc_sizes(void)
{
    struct { struct iommu_ioas_alloc a; uint32_t extra; } big = { 0 };
    int fd;

    setup();
    fd = sim_open_iommufd();
    big.a.size = 11;
    sim_assert_ioctl(EINVAL, fd, IOMMU_IOAS_ALLOC, &big);
    big.a.size = sizeof(big);
    big.extra = 1;
    sim_assert_ioctl(E2BIG, fd, IOMMU_IOAS_ALLOC, &big);
    big.extra = 0;
    sim_assert_ioctl(0, fd, IOMMU_IOAS_ALLOC, &big);
    g_assert_cmpuint(big.a.out_ioas_id, ==, 1);
    big.a.flags = 1;
    sim_assert_ioctl(EOPNOTSUPP, fd, IOMMU_IOAS_ALLOC, &big);
    host_close(fd);
    teardown();
}

static void test_ioas_map_unmap(void)
{
    uint32_t ioas;
    int fd;

    setup();
    fd = sim_open_iommufd();
    ioas = sim_cmd_ioas_alloc(fd);
    sim_err_map(0, fd, ioas, 0x100000, 0x10000);
    sim_err_map(EEXIST, fd, ioas, 0x108000, 0x10000);
    sim_err_map(EEXIST, fd, ioas, 0xff000, 0x2000);
    sim_err_map(0, fd, ioas, 0x110000, 0x1000);
    sim_err_map(EINVAL, fd, ioas, 0x200000, 0);
    sim_err_map(EOVERFLOW, fd, ioas, UINT64_MAX - 0xfff, 0x2000);
    sim_err_map(ENOENT, fd, 99, 0x200000, 0x1000);
    /* unmap fails if nothing is mapped, or a mapping would be cut */
    g_assert_cmpuint(sim_err_unmap(ENOENT, fd, ioas, 0x200000, 0x1000), ==,
                     0x1000);
    sim_err_unmap(EINVAL, fd, ioas, 0x100000, 0x8000);
    sim_err_unmap(EINVAL, fd, ioas, 0x100000, 0);
    g_assert_cmpuint(sim_err_unmap(0, fd, ioas, 0x100000, 0x11000), ==,
                     0x11000);
    sim_err_map(0, fd, ioas, 0x100000, 0x1000);
    g_assert_cmpuint(sim_err_unmap(0, fd, ioas, 0, 0), ==, 0x1000);
    sim_err_unmap(ENOENT, fd, ioas, 0, 0);
    host_close(fd);
    teardown();
}

static void test_ioas_map_any_iova(void)
{
    struct iommu_ioas_map m = {
        .size = sizeof(m), .user_va = 0x7f0000001000ull, .length = 0x4000,
        .flags = IOMMU_IOAS_MAP_READABLE,
    };
    int fd;

    setup();
    fd = sim_open_iommufd();
    m.ioas_id = sim_cmd_ioas_alloc(fd);
    sim_err_map(0, fd, m.ioas_id, 0x1000, 0x1000);
    sim_assert_ioctl(0, fd, IOMMU_IOAS_MAP, &m);
    g_assert_cmphex(m.iova, ==, 0x2000);
    m.flags = 0;
    sim_assert_ioctl(EINVAL, fd, IOMMU_IOAS_MAP, &m);
    m.flags = 0x80 | IOMMU_IOAS_MAP_READABLE;
    sim_assert_ioctl(EOPNOTSUPP, fd, IOMMU_IOAS_MAP, &m);
    host_close(fd);
    teardown();
}

static void test_destroy_busy(void)
{
    SimBound b;
    uint32_t ioas, hwpt;

    setup();
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    hwpt = sim_cmd_attach(b.devfd, ioas);
    g_assert_cmpuint(hwpt, !=, ioas);
    sim_err_destroy(EBUSY, b.iommufd, ioas);
    sim_err_destroy(EBUSY, b.iommufd, hwpt);
    sim_err_destroy(EBUSY, b.iommufd, b.devid);
    sim_err_destroy(ENOENT, b.iommufd, 1234);
    /* Detaching frees the automatic domain, which frees the IOAS. */
    struct vfio_device_detach_iommufd_pt de = { .argsz = 8 };
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
    sim_err_destroy(ENOENT, b.iommufd, hwpt);
    sim_err_destroy(0, b.iommufd, ioas);
    sim_bound_close(&b);
    teardown();
}

static void test_hwpt_alloc(void)
{
    struct iommu_hwpt_alloc h = { .size = sizeof(h) };
    SimBound b;
    uint32_t ioas;

    setup();
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    h.dev_id = b.devid;
    h.pt_id = ioas;
    h.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
    sim_assert_ioctl(0, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    g_assert_cmpuint(h.out_hwpt_id, >, ioas);
    g_assert_cmpuint(sim_cmd_attach(b.devfd, h.out_hwpt_id), ==,
                     h.out_hwpt_id);
    h.flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING;  /* no dirty tracking */
    sim_assert_ioctl(EOPNOTSUPP, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    h.flags = 0x100;
    sim_assert_ioctl(EOPNOTSUPP, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    h.flags = 0;
    h.dev_id = ioas;
    sim_assert_ioctl(ENOENT, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    h.size = 23;
    sim_assert_ioctl(EINVAL, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    sim_bound_close(&b);
    teardown();
}

static void test_dirty_tracking(void)
{
    struct iommu_hwpt_alloc h = {
        .size = sizeof(h), .flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
    };
    struct iommu_hwpt_set_dirty_tracking d = {
        .size = sizeof(d), .flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE,
    };
    struct iommu_hw_info info = { .size = sizeof(info) };
    SimBound b;

    sim_start("intel-pasid-dirty.json");
    sim_bound_open(&b, 1);
    info.dev_id = b.devid;
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_capabilities, ==, IOMMU_HW_CAP_DIRTY_TRACKING);
    h.dev_id = b.devid;
    h.pt_id = sim_cmd_ioas_alloc(b.iommufd);
    sim_assert_ioctl(0, b.iommufd, IOMMU_HWPT_ALLOC, &h);
    d.hwpt_id = h.out_hwpt_id;
    sim_assert_ioctl(0, b.iommufd, IOMMU_HWPT_SET_DIRTY_TRACKING, &d);
    d.flags = 2;
    sim_assert_ioctl(EOPNOTSUPP, b.iommufd, IOMMU_HWPT_SET_DIRTY_TRACKING, &d);
    sim_err_destroy(0, b.iommufd, h.out_hwpt_id);
    sim_err_destroy(0, b.iommufd, h.pt_id);
    sim_bound_close(&b);
    teardown();
}

static void test_close_releases(void)
{
    SimBound b;
    uint32_t ioas;

    setup();
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    sim_err_map(0, b.iommufd, ioas, 0x100000, 0x1000);
    sim_cmd_attach(b.devfd, ioas);
    g_assert_cmpuint(host_sim_live_objects(), ==, 3);
    /* Closing the iommufd first: the bound device keeps it alive. */
    host_close(b.iommufd);
    g_assert_cmpuint(host_sim_live_objects(), ==, 3);
    host_close(b.devfd);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    /* The device can be bound again from a new open. */
    sim_bound_open(&b, 0);
    sim_bound_close(&b);
    teardown();
}

/* IOAS_IOVA_RANGES with room for @max ranges; returns how many exist. */
static uint32_t iova_ranges(int err, int fd, uint32_t ioas, uint32_t max,
                            struct iommu_iova_range *r)
{
    struct iommu_ioas_iova_ranges c = {
        .size = sizeof(c), .ioas_id = ioas, .num_iovas = max,
        .allowed_iovas = (uintptr_t)r,
    };

    sim_assert_ioctl(err, fd, IOMMU_IOAS_IOVA_RANGES, &c);
    if (!err) {
        g_assert_cmphex(c.out_iova_alignment, ==, 0x1000);
    }
    return c.num_iovas;
}

/*
 * An IOAS allows everything until a device attaches; then its IOMMU's
 * aperture (VT-d: CAP.MGAW + 1 bits) less the x86 MSI window.
 */
static void test_iova_ranges(void)
{
    struct iommu_iova_range r[4] = { { 0 } };
    struct iommu_ioas_iova_ranges bad = { .size = sizeof(bad) };
    SimBound b;
    uint32_t ioas;

    setup();
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    g_assert_cmpuint(iova_ranges(0, b.iommufd, ioas, 4, r), ==, 1);
    g_assert_cmphex(r[0].start, ==, 0);
    g_assert_cmphex(r[0].last, ==, UINT64_MAX);
    sim_cmd_attach(b.devfd, ioas);
    g_assert_cmpuint(iova_ranges(0, b.iommufd, ioas, 4, r), ==, 2);
    g_assert_cmphex(r[0].last, ==, 0xfedfffff);
    g_assert_cmphex(r[1].start, ==, 0xfef00000);
    g_assert_cmphex(r[1].last, ==, (1ull << 48) - 1);
    /* Too small an array: EMSGSIZE and the count needed. */
    g_assert_cmpuint(iova_ranges(EMSGSIZE, b.iommufd, ioas, 1, r), ==, 2);
    iova_ranges(ENOENT, b.iommufd, 99, 4, r);
    bad.ioas_id = ioas;
    bad.__reserved = 1;
    sim_assert_ioctl(EOPNOTSUPP, b.iommufd, IOMMU_IOAS_IOVA_RANGES, &bad);
    bad.__reserved = 0;
    bad.size = 24;
    sim_assert_ioctl(EINVAL, b.iommufd, IOMMU_IOAS_IOVA_RANGES, &bad);
    sim_bound_close(&b);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/iommufd/unknown-command-enotty",
                    test_unknown_command);
    g_test_add_func("/host-sim/iommufd/size-rules", test_ioas_alloc_sizes);
    g_test_add_func("/host-sim/iommufd/ioas/map-unmap", test_ioas_map_unmap);
    g_test_add_func("/host-sim/iommufd/ioas/map-picks-free-iova",
                    test_ioas_map_any_iova);
    g_test_add_func("/host-sim/iommufd/destroy/busy", test_destroy_busy);
    g_test_add_func("/host-sim/iommufd/hwpt/alloc", test_hwpt_alloc);
    g_test_add_func("/host-sim/iommufd/hwpt/dirty-tracking",
                    test_dirty_tracking);
    g_test_add_func("/host-sim/iommufd/close-releases", test_close_releases);
    g_test_add_func("/host-sim/iommufd/ioas/iova-ranges", test_iova_ranges);
    return g_test_run();
}

/*
 * The simulated VFIO cdev: bind and attach rules, device and region
 * info, the config region (PASID hidden as host vfio-pci does), sysfs,
 * and fds passed in from outside.
 */
#define _GNU_SOURCE
#include "sim-test.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static void teardown(void)
{
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    host_sim_stop();
}

static void test_bind_rules(void)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    struct vfio_device_bind_iommufd bind = { .argsz = 15 };
    int iommufd, devfd, devfd2;

    sim_start(SIM_INTEL);
    iommufd = sim_open_iommufd();
    devfd = sim_open_cdev(0);
    /* Nothing but BIND before a bind. */
    sim_assert_ioctl(EINVAL, devfd, VFIO_DEVICE_GET_INFO, &info);
    bind.iommufd = iommufd;
    sim_assert_ioctl(EINVAL, devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
    bind.argsz = 16;
    bind.flags = 2;
    sim_assert_ioctl(EINVAL, devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
    sim_err_bind(EINVAL, devfd, -1);
    sim_err_bind(EBADF, devfd, 999);
    sim_err_bind(EBADFD, devfd, devfd);
    g_assert_cmpuint(sim_cmd_bind(devfd, iommufd), ==, 1);
    sim_err_bind(EINVAL, devfd, iommufd);
    /* A second open of the same device cannot bind. */
    devfd2 = sim_open_cdev(0);
    sim_err_bind(EINVAL, devfd2, iommufd);
    sim_assert_ioctl(0, devfd, VFIO_DEVICE_GET_INFO, &info);
    g_assert_cmpuint(info.flags, ==,
                     VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI);
    g_assert_cmpuint(info.num_regions, ==, VFIO_PCI_NUM_REGIONS);
    g_assert_cmpuint(info.num_irqs, ==, VFIO_PCI_NUM_IRQS);
    host_close(devfd2);
    host_close(devfd);
    host_close(iommufd);
    g_assert_cmpint(host_open("/dev/vfio/devices/vfio7", O_RDWR), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);
    teardown();
}

static void test_attach_pasid(void)
{
    struct vfio_device_attach_iommufd_pt at = { .argsz = 12 };
    struct vfio_device_detach_iommufd_pt de = { .argsz = 8 };
    SimBound b, nic;
    uint32_t ioas;

    sim_start(SIM_INTEL);
    sim_bound_open(&b, 0);
    ioas = sim_cmd_ioas_alloc(b.iommufd);
    sim_err_attach(ENOENT, b.devfd, 77);
    sim_err_attach(EINVAL, b.devfd, b.devid);
    at.pt_id = ioas;
    at.flags = VFIO_DEVICE_ATTACH_PASID;
    at.pasid = 5;
    /* The PASID flag needs argsz to cover the pasid field. */
    sim_assert_ioctl(EINVAL, b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    at.argsz = 16;
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    at.pasid = 1u << 20;
    at.pt_id = ioas;
    sim_assert_ioctl(EINVAL, b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    de.flags = VFIO_DEVICE_DETACH_PASID;
    sim_assert_ioctl(EINVAL, b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
    de.argsz = 12;
    de.pasid = 5;
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
    /* A device without PASID cannot attach one. */
    nic.iommufd = b.iommufd;
    nic.devfd = sim_open_cdev(1);
    nic.devid = sim_cmd_bind(nic.devfd, b.iommufd);
    at.pasid = 1;
    at.pt_id = ioas;
    sim_assert_ioctl(EINVAL, nic.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    host_close(nic.devfd);
    sim_err_destroy(0, b.iommufd, ioas);
    sim_bound_close(&b);
    teardown();
}

static uint32_t cfg32(int fd, uint64_t base, unsigned off)
{
    uint32_t v = 0;

    g_assert_cmpint(host_pread(fd, &v, 4, base + off), ==, 4);
    return v;
}

static uint64_t config_offset(int fd)
{
    struct vfio_region_info r = {
        .argsz = sizeof(r), .index = VFIO_PCI_CONFIG_REGION_INDEX,
    };

    sim_assert_ioctl(0, fd, VFIO_DEVICE_GET_REGION_INFO, &r);
    g_assert_cmpuint(r.size, ==, 4096);
    g_assert_cmpuint(r.flags, ==, VFIO_REGION_INFO_FLAG_READ |
                                  VFIO_REGION_INFO_FLAG_WRITE);
    return r.offset;
}

static void test_config_hides_pasid(void)
{
    SimBound b;
    uint64_t base;
    unsigned off = 0x100, ids = 0;
    uint16_t cmd = 0x0146;

    sim_start(SIM_INTEL);
    sim_bound_open(&b, 0);
    base = config_offset(b.devfd);
    g_assert_cmphex(base, ==, 7ull << 40);
    g_assert_cmphex(cfg32(b.devfd, base, 0), ==, 0x0b608086);
    /* The chain holds AER, ACS and ATS; PRI and PASID are unlinked. */
    while (off) {
        uint32_t h = cfg32(b.devfd, base, off);

        g_assert_cmphex(h & 0xffff, !=, 0x1b);
        g_assert_cmphex(h & 0xffff, !=, 0x13);
        ids++;
        off = h >> 20;
    }
    g_assert_cmpuint(ids, ==, 3);
    /* Command is writable; vendor ID is not. */
    g_assert_cmpint(host_pwrite(b.devfd, &cmd, 2, base + 4), ==, 2);
    g_assert_cmphex(cfg32(b.devfd, base, 4) & 0xffff, ==, 0x0146);
    g_assert_cmpint(host_pwrite(b.devfd, &cmd, 2, base), ==, 2);
    g_assert_cmphex(cfg32(b.devfd, base, 0), ==, 0x0b608086);
    g_assert_cmpint(host_pread(b.devfd, &cmd, 2, base + 4096), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);
    sim_bound_close(&b);
    teardown();
}

static void test_region_info(void)
{
    struct vfio_region_info r = { .argsz = sizeof(r) };
    SimBound b;

    sim_start(SIM_INTEL);
    sim_bound_open(&b, 1);
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_GET_REGION_INFO, &r);
    g_assert_cmphex(r.size, ==, 0x800000);
    g_assert_cmpuint(r.flags, ==, 7);
    r.index = 1;                     /* upper half of BAR0 */
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_GET_REGION_INFO, &r);
    g_assert_cmpuint(r.size, ==, 0);
    r.index = 9;
    sim_assert_ioctl(EINVAL, b.devfd, VFIO_DEVICE_GET_REGION_INFO, &r);
    r.index = 0;
    r.argsz = 31;
    sim_assert_ioctl(EINVAL, b.devfd, VFIO_DEVICE_GET_REGION_INFO, &r);
    sim_bound_close(&b);
    teardown();
}

static void test_sysfs(void)
{
    g_autofree char *dev = NULL, *vendor = NULL, *group = NULL;
    g_auto(GStrv) list = NULL, devs = NULL, vdir = NULL, wrong = NULL;

    sim_start(SIM_INTEL);
    dev = host_read_file("/sys/bus/pci/devices/0000:02:00.0/vfio-dev/vfio1/"
                         "dev");
    g_assert_cmpstr(dev, ==, "511:1\n");
    vendor = host_read_file("/sys/bus/pci/devices/0000:01:00.0/vendor");
    g_assert_cmpstr(vendor, ==, "0x8086\n");
    list = host_list_dir("/sys/bus/pci/devices/0000:01:00.0/vfio-dev/");
    g_assert_cmpstrv(list, ((const char *[]) { "vfio0", NULL }));
    vdir = host_list_dir("/sys/bus/pci/devices/0000:02:00.0/vfio-dev/vfio1");
    g_assert_cmpstrv(vdir, ((const char *[]) { "dev", NULL }));
    /* Another device's node, or its number spelt otherwise, is not there. */
    wrong = host_list_dir("/sys/bus/pci/devices/0000:02:00.0/vfio-dev/vfio0");
    g_assert_null(wrong);
    g_assert_cmpint(errno, ==, ENOENT);
    wrong = host_list_dir("/sys/bus/pci/devices/0000:02:00.0/vfio-dev/vfio01");
    g_assert_null(wrong);
    g_assert_cmpint(errno, ==, ENOENT);
    devs = host_list_dir("/sys/bus/pci/devices");
    g_assert_cmpuint(g_strv_length(devs), ==, 2);
    group = host_read_link("/sys/bus/pci/devices/0000:01:00.0/iommu_group");
    g_assert_cmpstr(group, ==, "../../../kernel/iommu_groups/0");
    g_assert_null(host_read_file("/sys/bus/pci/devices/0000:09:00.0/vendor"));
    g_assert_cmpint(errno, ==, ENOENT);
    g_assert_cmpuint(host_sim_count_cmd("read_file"), ==, 3);
    teardown();
}

/* A harness (libvirt's role) makes the fds; the VMM adopts them. */
static void test_fd_passing(void)
{
    int iommufd = memfd_create(HOST_SIM_FD_PREFIX "/dev/iommu", 0);
    int devfd = memfd_create(HOST_SIM_FD_PREFIX "/dev/vfio/devices/vfio0", 0);
    int bogus = memfd_create(HOST_SIM_FD_PREFIX "/dev/vfio/devices/vfio9", 0);
    struct iommu_hw_info info = { .size = sizeof(info) };

    sim_start(SIM_INTEL);
    info.dev_id = sim_cmd_bind(devfd, iommufd);
    sim_assert_ioctl(0, iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_max_pasid_log2, ==, 20);
    g_assert_cmpuint(host_sim_open_fds(), ==, 2);
    sim_assert_ioctl(ENOTTY, bogus, VFIO_DEVICE_GET_INFO, &info);
    g_assert_cmpint(host_close(devfd), ==, 0);
    g_assert_cmpint(host_close(iommufd), ==, 0);
    close(bogus);
    teardown();
}

static void test_counters(void)
{
    SimBound b;
    struct vfio_device_info info = { .argsz = sizeof(info) };

    sim_start(SIM_INTEL);
    sim_bound_open(&b, 0);
    sim_assert_ioctl(0, b.devfd, VFIO_DEVICE_GET_INFO, &info);
    g_assert_cmpuint(host_sim_count_dev(SIM_BDF_PASID, NULL), ==, 3);
    g_assert_cmpuint(host_sim_count_dev(SIM_BDF_PASID, "BIND_IOMMUFD"), ==,
                     1);
    g_assert_cmpuint(host_sim_count_dev(SIM_BDF_NIC, NULL), ==, 0);
    g_assert_cmpuint(host_sim_count_cmd("open"), ==, 2);
    g_assert_cmpuint(host_sim_count_total(), ==, 4);
    host_sim_counters_reset();
    g_assert_cmpuint(host_sim_count_total(), ==, 0);
    sim_bound_close(&b);
    g_assert_cmpuint(host_sim_count_cmd("close"), ==, 2);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/vfio/bind-rules", test_bind_rules);
    g_test_add_func("/host-sim/vfio/attach-pasid-argsz", test_attach_pasid);
    g_test_add_func("/host-sim/vfio/config-region-hides-pasid",
                    test_config_hides_pasid);
    g_test_add_func("/host-sim/vfio/region-info", test_region_info);
    g_test_add_func("/host-sim/sysfs/layout", test_sysfs);
    g_test_add_func("/host-sim/fd-passing/memfd-adopted", test_fd_passing);
    g_test_add_func("/host-sim/counters/per-device-and-command",
                    test_counters);
    return g_test_run();
}

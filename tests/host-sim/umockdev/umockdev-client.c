/*
 * A small VMM stand-in for the umockdev smoke test: the host path of a
 * vfio-pci start-up through the REAL host ops (libc), checking what a
 * Linux 6.18 host would answer.
 *
 *   umockdev-client BDF
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/iommufd.h"
#include "linux/vfio.h"
#include "system/host-ops.h"

static int failures;

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "umockdev-client: %s: ", #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fprintf(stderr, "\n"); \
            failures++; \
        } \
    } while (0)

/* /sys/bus/pci/devices/BDF/vfio-dev/vfioN -> "/dev/vfio/devices/vfioN" */
static char *cdev_path(const char *bdf)
{
    g_autofree char *dir = g_strdup_printf("/sys/bus/pci/devices/%s/vfio-dev",
                                           bdf);
    g_auto(GStrv) names = host_list_dir(dir);
    g_autofree char *attr = NULL, *majmin = NULL;

    if (!names || !names[0]) {
        CHECK(false, "no vfio-dev entry in %s (%s)", dir, g_strerror(errno));
        return NULL;
    }
    attr = g_strdup_printf("%s/%s/dev", dir, names[0]);
    majmin = host_read_file(attr);
    CHECK(majmin && strchr(majmin, ':'), "%s reads '%s'", attr,
          majmin ? majmin : "(null)");
    return g_strdup_printf("/dev/vfio/devices/%s", names[0]);
}

static void check_hw_info(int iommufd, uint32_t devid)
{
    struct iommu_hw_info_vtd vtd[2];
    struct iommu_hw_info info = {
        .size = sizeof(info), .dev_id = devid,
        .data_len = sizeof(vtd), .data_uptr = (uintptr_t)vtd,
    };

    memset(vtd, 0xaa, sizeof(vtd));
    CHECK(host_ioctl(iommufd, IOMMU_GET_HW_INFO, &info) == 0, "GET_HW_INFO: %s",
          g_strerror(errno));
    CHECK(info.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD, "type %u",
          info.out_data_type);
    CHECK(info.data_len == sizeof(vtd[0]), "data_len %u", info.data_len);
    CHECK(info.out_max_pasid_log2 == 20, "width %u", info.out_max_pasid_log2);
    CHECK(info.out_capabilities == (IOMMU_HW_CAP_PCI_PASID_EXEC |
                                    IOMMU_HW_CAP_PCI_PASID_PRIV),
          "caps 0x%llx", (unsigned long long)info.out_capabilities);
    CHECK(((vtd[0].ecap_reg >> 35) & 0x1f) == 19, "ecap 0x%llx",
          (unsigned long long)vtd[0].ecap_reg);
    CHECK(vtd[1].flags == 0 && vtd[1].ecap_reg == 0, "tail not zeroed");
}

static void check_config(int devfd)
{
    struct vfio_region_info r = {
        .argsz = sizeof(r), .index = VFIO_PCI_CONFIG_REGION_INDEX,
    };
    uint8_t cfg[4096];
    unsigned off = 0x100, hops = 0;

    CHECK(host_ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &r) == 0,
          "REGION_INFO: %s", g_strerror(errno));
    CHECK(r.size == 4096, "config size %llu", (unsigned long long)r.size);
    ssize_t n = host_pread(devfd, cfg, sizeof(cfg), r.offset);

    CHECK(n == sizeof(cfg), "pread returned %zd: %s", n, g_strerror(errno));
    CHECK(cfg[0] == 0x86 && cfg[1] == 0x80, "vendor %02x%02x", cfg[1],
          cfg[0]);
    while (off && hops++ < 64) {
        uint32_t h;

        memcpy(&h, cfg + off, 4);
        CHECK((h & 0xffff) != 0x1b, "PASID capability visible at 0x%x", off);
        off = h >> 20;
    }
}

int main(int argc, char **argv)
{
    struct vfio_device_bind_iommufd bind = { .argsz = 16 };
    struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
    struct vfio_device_attach_iommufd_pt at = { .argsz = 12 };
    g_autofree char *path = NULL;
    int iommufd, devfd;

    if (argc != 2 || !(path = cdev_path(argv[1]))) {
        fprintf(stderr, "usage: %s BDF (under host-sim-umockdev)\n", argv[0]);
        return 2;
    }
    iommufd = host_open("/dev/iommu", O_RDWR);
    devfd = host_open(path, O_RDWR);
    CHECK(iommufd >= 0 && devfd >= 0, "open: %s", g_strerror(errno));
    if (iommufd < 0 || devfd < 0) {
        return 1;
    }
    bind.iommufd = iommufd;
    CHECK(host_ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind) == 0,
          "BIND: %s", g_strerror(errno));
    CHECK(bind.out_devid > 0, "devid %u", bind.out_devid);
    CHECK(host_ioctl(iommufd, IOMMU_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC: %s",
          g_strerror(errno));
    at.pt_id = ioas.out_ioas_id;
    CHECK(host_ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) == 0,
          "ATTACH: %s", g_strerror(errno));
    CHECK(at.pt_id != ioas.out_ioas_id, "attach kept the IOAS id");
    check_hw_info(iommufd, bind.out_devid);
    check_config(devfd);
    /* An unknown command still fails as the kernel fails it. */
    CHECK(host_ioctl(iommufd, _IO(IOMMUFD_TYPE, 0xa0), &ioas) == -1 &&
          errno == ENOTTY, "unknown command: errno %d", errno);
    host_close(devfd);
    host_close(iommufd);
    printf("umockdev-client: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}

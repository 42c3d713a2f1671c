/*
 * Helpers for the simulated host's tests: they drive the simulator
 * through the host_* layer exactly as the VMM does.  Helpers come in
 * pairs, as in the kernel's iommufd selftests: sim_cmd_X() asserts
 * success, sim_err_X(errno, ...) asserts that exact failure.
 */
#ifndef TESTS_HOST_SIM_SIM_TEST_H
#define TESTS_HOST_SIM_SIM_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "linux/iommufd.h"
#include "linux/vfio.h"
#include "system/host-ops.h"
#include "system/host-sim.h"

#define SIM_INTEL "intel-pasid.json"
#define SIM_BDF_PASID "0000:01:00.0"
#define SIM_BDF_NIC "0000:02:00.0"

static inline char *sim_host_file(const char *name)
{
    return g_test_build_filename(G_TEST_DIST, "data", "hosts", name, NULL);
}

static inline void sim_start(const char *name)
{
    g_autofree char *path = sim_host_file(name);
    Error *err = NULL;

    if (!host_sim_start(path, &err)) {
        g_error("%s", err->message);
    }
}

/* An ioctl's errno (0 on success). */
static inline int sim_ioctl_errno(int fd, unsigned long req, void *arg)
{
    errno = 0;
    return host_ioctl(fd, req, arg) < 0 ? errno : 0;
}

#define sim_assert_ioctl(err, fd, req, arg) \
    g_assert_cmpint(sim_ioctl_errno((fd), (req), (arg)), ==, (err))

static inline int sim_open_iommufd(void)
{
    int fd = host_open("/dev/iommu", 02 /* O_RDWR */);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static inline int sim_open_cdev(unsigned index)
{
    g_autofree char *path = g_strdup_printf("/dev/vfio/devices/vfio%u",
                                            index);
    int fd = host_open(path, 02);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static inline int sim_err_bind(int err, int devfd, int iommufd)
{
    struct vfio_device_bind_iommufd bind = {
        .argsz = 16, .iommufd = iommufd,
    };

    sim_assert_ioctl(err, devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
    return bind.out_devid;
}

/* Bind and return the device's iommufd object id. */
static inline uint32_t sim_cmd_bind(int devfd, int iommufd)
{
    return sim_err_bind(0, devfd, iommufd);
}

static inline uint32_t sim_cmd_ioas_alloc(int iommufd)
{
    struct iommu_ioas_alloc a = { .size = sizeof(a) };

    sim_assert_ioctl(0, iommufd, IOMMU_IOAS_ALLOC, &a);
    g_assert_cmpuint(a.out_ioas_id, >, 0);
    return a.out_ioas_id;
}

static inline uint32_t sim_err_attach(int err, int devfd, uint32_t pt_id)
{
    struct vfio_device_attach_iommufd_pt at = {
        .argsz = 12, .pt_id = pt_id,
    };

    sim_assert_ioctl(err, devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    return at.pt_id;
}

/* Attach and return the HWPT the device ended up on. */
static inline uint32_t sim_cmd_attach(int devfd, uint32_t pt_id)
{
    return sim_err_attach(0, devfd, pt_id);
}

static inline void sim_err_destroy(int err, int iommufd, uint32_t id)
{
    struct iommu_destroy d = { .size = sizeof(d), .id = id };

    sim_assert_ioctl(err, iommufd, IOMMU_DESTROY, &d);
}

static inline void sim_err_map(int err, int iommufd, uint32_t ioas,
                               uint64_t iova, uint64_t len)
{
    struct iommu_ioas_map m = {
        .size = sizeof(m), .ioas_id = ioas, .iova = iova, .length = len,
        .user_va = iova + 0x7f0000000000ull,
        .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
                 IOMMU_IOAS_MAP_WRITEABLE,
    };

    sim_assert_ioctl(err, iommufd, IOMMU_IOAS_MAP, &m);
}

static inline uint64_t sim_err_unmap(int err, int iommufd, uint32_t ioas,
                                     uint64_t iova, uint64_t len)
{
    struct iommu_ioas_unmap u = {
        .size = sizeof(u), .ioas_id = ioas, .iova = iova, .length = len,
    };

    sim_assert_ioctl(err, iommufd, IOMMU_IOAS_UNMAP, &u);
    return u.length;
}

/* A bound device on a fresh iommufd, for tests that need one. */
typedef struct SimBound {
    int iommufd, devfd;
    uint32_t devid;
} SimBound;

static inline void sim_bound_open(SimBound *b, unsigned index)
{
    b->iommufd = sim_open_iommufd();
    b->devfd = sim_open_cdev(index);
    b->devid = sim_cmd_bind(b->devfd, b->iommufd);
}

static inline void sim_bound_close(SimBound *b)
{
    g_assert_cmpint(host_close(b->devfd), ==, 0);
    g_assert_cmpint(host_close(b->iommufd), ==, 0);
}

#endif

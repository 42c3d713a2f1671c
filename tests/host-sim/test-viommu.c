/*
 * The simulated kernel's SMMUv3 nesting, read as a specification: a
 * vIOMMU on a nesting parent, vDEVICEs, nested HWPTs carrying guest
 * STEs, vIOMMU invalidations and the order in which objects go (Linux
 * 6.18's rules).  arm-smmuv3-two-ssidsize.json: device 0 behind smmu0
 * (SSIDSIZE 20), device 1 behind smmu1 (SSIDSIZE 16).
 */
#include "sim-test.h"
#include "system/iommufd.h"

#define SIM_ARM_TWO "arm-smmuv3-two-ssidsize.json"

#define STE0_V          1ull
#define STE0_ABORT      (STE0_V | (0ull << 1))
#define STE0_BYPASS     (STE0_V | (4ull << 1))
#define STE0_S1         (STE0_V | (5ull << 1))
#define STE0_S1FMT_2L   (1ull << 4)
#define STE0_CDMAX(n)   ((uint64_t)(n) << 59)
#define CD_TABLE        0x40001000ull

#define CMD_CFGI_CD     0x05
#define CMD_TLBI_NH_ASID 0x11
#define CMD_CFGI_STE    0x03
#define CMD_SYNC        0x46

typedef struct Arm {
    SimBound b;                 /* device 0, on smmu0 */
    int dev1fd;
    uint32_t dev1;              /* device 1, on smmu1 */
    uint32_t ioas, parent, viommu;
} Arm;

static uint32_t arm_err_viommu(int err, int iommufd, uint32_t dev_id,
                               uint32_t hwpt_id, uint32_t type)
{
    struct iommu_viommu_alloc v = {
        .size = sizeof(v), .type = type, .dev_id = dev_id,
        .hwpt_id = hwpt_id,
    };

    sim_assert_ioctl(err, iommufd, IOMMU_VIOMMU_ALLOC, &v);
    return v.out_viommu_id;
}

static uint32_t arm_err_vdev(int err, int iommufd, uint32_t viommu,
                             uint32_t dev_id, uint64_t virt_id)
{
    struct iommu_vdevice_alloc v = {
        .size = sizeof(v), .viommu_id = viommu, .dev_id = dev_id,
        .virt_id = virt_id,
    };

    sim_assert_ioctl(err, iommufd, IOMMU_VDEVICE_ALLOC, &v);
    return v.out_vdevice_id;
}

static uint32_t arm_err_ste(int err, Arm *a, uint32_t dev_id, uint64_t ste0,
                            uint64_t ste1)
{
    struct iommu_hwpt_arm_smmuv3 data = {
        .ste = { GUINT64_TO_LE(ste0), GUINT64_TO_LE(ste1) },
    };
    struct iommu_hwpt_alloc h = {
        .size = sizeof(h), .dev_id = dev_id, .pt_id = a->viommu,
        .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = sizeof(data),
        .data_uptr = (uintptr_t)&data,
    };

    sim_assert_ioctl(err, a->b.iommufd, IOMMU_HWPT_ALLOC, &h);
    return h.out_hwpt_id;
}

/* @n commands through the vIOMMU; returns entry_num as written back. */
static uint32_t arm_err_inv(int err, Arm *a, const uint64_t *cmds,
                            uint32_t n)
{
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .hwpt_id = a->viommu,
        .data_uptr = (uintptr_t)cmds,
        .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
        .entry_len = 16, .entry_num = n,
    };

    sim_assert_ioctl(err, a->b.iommufd, IOMMU_HWPT_INVALIDATE, &inv);
    return inv.entry_num;
}

static void arm_setup(Arm *a)
{
    struct iommu_hwpt_alloc h = { .size = sizeof(h),
                                  .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };

    sim_start(SIM_ARM_TWO);
    sim_bound_open(&a->b, 0);
    a->dev1fd = sim_open_cdev(1);
    a->dev1 = sim_cmd_bind(a->dev1fd, a->b.iommufd);
    a->ioas = sim_cmd_ioas_alloc(a->b.iommufd);
    h.dev_id = a->b.devid;
    h.pt_id = a->ioas;
    sim_assert_ioctl(0, a->b.iommufd, IOMMU_HWPT_ALLOC, &h);
    a->parent = h.out_hwpt_id;
    a->viommu = arm_err_viommu(0, a->b.iommufd, a->b.devid, a->parent,
                               IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
}

static void arm_teardown(Arm *a)
{
    host_close(a->dev1fd);
    sim_bound_close(&a->b);
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    host_sim_stop();
}

/* VIOMMU_ALLOC: flags, type, device, parent and unit, in that order. */
static void test_viommu_alloc(void)
{
    struct iommu_viommu_alloc v = { .size = 24,
                                    .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3 };
    uint32_t paging;
    Arm a;

    arm_setup(&a);
    g_assert_cmpuint(a.viommu, >, a.parent);
    arm_err_viommu(EOPNOTSUPP, a.b.iommufd, a.b.devid, a.parent,
                   IOMMU_VIOMMU_TYPE_DEFAULT);
    arm_err_viommu(EOPNOTSUPP, a.b.iommufd, a.b.devid, a.parent,
                   IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV);
    arm_err_viommu(ENOENT, a.b.iommufd, 999, a.parent,
                   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
    arm_err_viommu(ENOENT, a.b.iommufd, a.b.devid, a.ioas,
                   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
    /* The parent must be a NEST_PARENT on the same SMMU. */
    paging = sim_cmd_attach(a.b.devfd, a.ioas);
    arm_err_viommu(EINVAL, a.b.iommufd, a.b.devid, paging,
                   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
    arm_err_viommu(EINVAL, a.b.iommufd, a.dev1, a.parent,
                   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
    /* The 24-byte struct of 6.13 is still accepted. */
    v.dev_id = a.b.devid;
    v.hwpt_id = a.parent;
    sim_assert_ioctl(0, a.b.iommufd, IOMMU_VIOMMU_ALLOC, &v);
    /* The parent is held by its vIOMMUs. */
    sim_err_destroy(EBUSY, a.b.iommufd, a.parent);
    sim_err_destroy(0, a.b.iommufd, v.out_viommu_id);
    sim_err_destroy(0, a.b.iommufd, a.viommu);
    sim_err_destroy(0, a.b.iommufd, a.parent);
    arm_teardown(&a);
}

/* One vDEVICE per device per vIOMMU, one per virtual ID, same unit. */
static void test_vdevice_alloc(void)
{
    uint32_t vdev;
    Arm a;

    arm_setup(&a);
    vdev = arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    arm_err_vdev(EEXIST, a.b.iommufd, a.viommu, a.b.devid, 0x19);
    arm_err_vdev(EINVAL, a.b.iommufd, a.viommu, a.dev1, 0x19);
    arm_err_vdev(ENOENT, a.b.iommufd, 999, a.b.devid, 0x19);
    arm_err_vdev(ENOENT, a.b.iommufd, a.viommu, 999, 0x19);
    sim_err_destroy(EBUSY, a.b.iommufd, a.viommu);
    sim_err_destroy(0, a.b.iommufd, vdev);
    arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x19);
    arm_teardown(&a);
}

/* Only the STE fields the header lists, with sane values, else EIO. */
static void test_ste_fields(void)
{
    Arm a;

    arm_setup(&a);
    sim_err_destroy(0, a.b.iommufd,
                    arm_err_ste(0, &a, a.b.devid, STE0_S1 | CD_TABLE, 0));
    sim_err_destroy(0, a.b.iommufd,
                    arm_err_ste(0, &a, a.b.devid, STE0_BYPASS, 0));
    sim_err_destroy(0, a.b.iommufd, arm_err_ste(0, &a, a.b.devid, 0, 0));
    /* S2 translate and nested Configs; reserved bits 58:52; word 1. */
    arm_err_ste(EIO, &a, a.b.devid, STE0_V | (6ull << 1), 0);
    arm_err_ste(EIO, &a, a.b.devid, STE0_V | (7ull << 1), 0);
    arm_err_ste(EIO, &a, a.b.devid, STE0_S1 | (1ull << 52), 0);
    arm_err_ste(EIO, &a, a.b.devid, STE0_S1, 1ull << 8);
    arm_err_ste(EIO, &a, a.b.devid, STE0_S1, 2ull << 28);    /* EATS split */
    /* S1CDMax within the unit's SSIDSIZE: 20 on smmu0. */
    sim_err_destroy(0, a.b.iommufd,
                    arm_err_ste(0, &a, a.b.devid, STE0_S1 | STE0_S1FMT_2L |
                                STE0_CDMAX(20) | CD_TABLE, 0));
    arm_err_ste(EIO, &a, a.b.devid, STE0_S1 | STE0_CDMAX(21) | CD_TABLE, 0);
    arm_err_ste(EIO, &a, a.b.devid, STE0_S1 | (3ull << 4) | CD_TABLE, 0);
    /* Not on a parent directly, not with other flags, not another unit. */
    a.viommu = a.parent;
    arm_err_ste(EOPNOTSUPP, &a, a.b.devid, STE0_S1 | CD_TABLE, 0);
    arm_teardown(&a);
}

/* A translate STE needs the device's vDEVICE; abort and bypass do not. */
static void test_attach_needs_vdevice(void)
{
    uint32_t s1, byp, other;
    Arm a;

    arm_setup(&a);
    s1 = arm_err_ste(0, &a, a.b.devid, STE0_S1 | CD_TABLE, 0);
    byp = arm_err_ste(0, &a, a.b.devid, STE0_BYPASS, 0);
    sim_err_attach(ENOENT, a.b.devfd, s1);
    g_assert_cmpuint(sim_cmd_attach(a.b.devfd, byp), ==, byp);
    arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    g_assert_cmpuint(sim_cmd_attach(a.b.devfd, s1), ==, s1);
    /* Device 1 sits behind smmu1: not this vIOMMU's unit. */
    other = arm_err_ste(EINVAL, &a, a.dev1, STE0_BYPASS, 0);
    g_assert_cmpuint(other, ==, 0);
    sim_err_attach(EINVAL, a.dev1fd, byp);
    /* Held while attached; the vIOMMU while anything is on it. */
    sim_err_destroy(EBUSY, a.b.iommufd, s1);
    sim_err_destroy(EBUSY, a.b.iommufd, a.viommu);
    sim_cmd_attach(a.b.devfd, a.ioas);
    sim_err_destroy(0, a.b.iommufd, s1);
    sim_err_destroy(0, a.b.iommufd, byp);
    arm_teardown(&a);
}

/* The eight accepted opcodes; vSIDs must name a vDEVICE; entry_num. */
static void test_invalidate(void)
{
    uint64_t cmds[8] = {
        CMD_TLBI_NH_ASID | (7ull << 48), 0,
        CMD_CFGI_CD | (0x18ull << 32) | (0xfffffull << 12), 1,
        CMD_CFGI_CD | (0x99ull << 32), 0,
        CMD_TLBI_NH_ASID, 0,
    };
    uint64_t bad[4] = { CMD_CFGI_STE | (0x18ull << 32), 0, CMD_SYNC, 0 };
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
        .entry_len = 16, .entry_num = 1, .data_uptr = (uintptr_t)cmds,
    };
    Arm a;

    arm_setup(&a);
    arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    g_assert_cmpuint(arm_err_inv(0, &a, cmds, 2), ==, 2);
    /* vSID 0x99 has no vDEVICE: the third fails, two were handled. */
    g_assert_cmpuint(arm_err_inv(EIO, &a, cmds, 4), ==, 2);
    g_assert_cmpuint(arm_err_inv(EIO, &a, bad, 2), ==, 0);
    g_assert_cmpuint(arm_err_inv(0, &a, cmds, 0), ==, 0);
    inv.hwpt_id = a.viommu;
    sim_assert_ioctl(EINVAL, a.b.iommufd, IOMMU_HWPT_INVALIDATE, &inv);
    inv.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3;
    inv.entry_len = 8;
    inv.entry_num = 1;          /* written back as 0 by the last one */
    sim_assert_ioctl(EINVAL, a.b.iommufd, IOMMU_HWPT_INVALIDATE, &inv);
    /* A nested SMMUv3 HWPT is invalidated through its vIOMMU only. */
    inv.entry_len = 16;
    inv.entry_num = 1;
    inv.hwpt_id = arm_err_ste(0, &a, a.b.devid, STE0_BYPASS, 0);
    sim_assert_ioctl(EOPNOTSUPP, a.b.iommufd, IOMMU_HWPT_INVALIDATE, &inv);
    arm_teardown(&a);
}

/* A device unbound with its vDEVICE left loses it (a tombstone). */
static void test_unbind_tombstones(void)
{
    Arm a;

    arm_setup(&a);
    arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    sim_err_destroy(EBUSY, a.b.iommufd, a.viommu);
    g_assert_cmpint(host_close(a.b.devfd), ==, 0);
    a.b.devfd = sim_open_cdev(0);
    sim_err_destroy(0, a.b.iommufd, a.viommu);
    sim_err_destroy(0, a.b.iommufd, a.parent);
    arm_teardown(&a);
}

/* Fault injection names the new commands, per device too. */
static void test_faults(void)
{
    Arm a;

    arm_setup(&a);
    g_assert_true(host_sim_fault_parse("cmd=VDEVICE_ALLOC,device="
                                       SIM_BDF_PASID ",errno=12,times=1",
                                       NULL));
    arm_err_vdev(ENOMEM, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    arm_err_vdev(0, a.b.iommufd, a.viommu, a.b.devid, 0x18);
    g_assert_true(host_sim_fault_parse("cmd=VIOMMU_ALLOC,times=1", NULL));
    arm_err_viommu(EIO, a.b.iommufd, a.b.devid, a.parent,
                   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
    g_assert_cmpuint(host_sim_count_dev(SIM_BDF_PASID, "VDEVICE_ALLOC"), ==,
                     2);
    g_assert_cmpuint(host_sim_count_cmd("VIOMMU_ALLOC"), ==, 2);
    arm_teardown(&a);
}

/* The VMM's wrappers and their messages; errno kept for a vDEVICE. */
static void test_backend_wrappers(void)
{
    uint64_t cmds[4] = { CMD_CFGI_CD | (0x18ull << 32), 0,
                         CMD_CFGI_CD | (0x77ull << 32), 0 };
    IOMMUFDBackend be = { .fd = -1 };
    uint32_t viommu, vdev, num = 2;
    Error *err = NULL;
    char *msg;
    Arm a;

    arm_setup(&a);
    be.fd = a.b.iommufd;
    g_assert_true(iommufd_backend_alloc_viommu(&be, a.b.devid,
                                               IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
                                               a.parent, &viommu, NULL));
    g_assert_false(iommufd_backend_alloc_viommu(&be, a.b.devid,
                                                IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
                                                a.ioas, &viommu, &err));
    msg = g_strdup_printf("IOMMU_VIOMMU_ALLOC for dev_id %u on hwpt_id %u "
                          "failed: No such file or directory", a.b.devid,
                          a.ioas);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_free(msg);
    g_clear_error(&err);
    g_assert_true(iommufd_backend_alloc_vdevice(&be, a.b.devid, a.viommu,
                                                0x18, &vdev, NULL));
    g_assert_false(iommufd_backend_alloc_vdevice(&be, a.dev1, a.viommu,
                                                 0x20, &vdev, &err));
    g_assert_cmpint(errno, ==, EINVAL);
    msg = g_strdup_printf("IOMMU_VDEVICE_ALLOC for dev_id %u on viommu_id "
                          "%u (virt_id 0x20) failed: Invalid argument",
                          a.dev1, a.viommu);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_free(msg);
    g_clear_error(&err);
    /* A vIOMMU invalidation: the second command's vSID is unknown. */
    g_assert_false(iommufd_backend_invalidate_cache(
        &be, a.viommu, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, 16, &num,
        cmds, &err));
    g_assert_cmpuint(num, ==, 1);
    msg = g_strdup_printf("IOMMU_HWPT_INVALIDATE of id %u failed after 1 "
                          "of 2 entries: Input/output error", a.viommu);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_free(msg);
    g_clear_error(&err);
    arm_teardown(&a);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-sim/viommu/alloc", test_viommu_alloc);
    g_test_add_func("/host-sim/viommu/vdevice", test_vdevice_alloc);
    g_test_add_func("/host-sim/viommu/ste-fields", test_ste_fields);
    g_test_add_func("/host-sim/viommu/attach-needs-vdevice",
                    test_attach_needs_vdevice);
    g_test_add_func("/host-sim/viommu/invalidate", test_invalidate);
    g_test_add_func("/host-sim/viommu/unbind-tombstones",
                    test_unbind_tombstones);
    g_test_add_func("/host-sim/viommu/faults", test_faults);
    g_test_add_func("/host-sim/viommu/backend-wrappers",
                    test_backend_wrappers);
    return g_test_run();
}

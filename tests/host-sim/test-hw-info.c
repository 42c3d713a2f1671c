/*
 * Conformance of the simulated IOMMU_GET_HW_INFO, modelled on the
 * kernel's iommufd selftests: every test runs on every host variant.
 */
#include "sim-test.h"
#include "system/host-sim/internal.h"

#include <sys/mman.h>

typedef struct Variant {
    const char *file;
    uint32_t type;
    uint32_t data_len;
    uint8_t pasid_log2;             /* device 0 */
    uint64_t pasid_caps;            /* device 0 */
} Variant;

static const Variant variants[] = {
    { SIM_INTEL, IOMMU_HW_INFO_TYPE_INTEL_VTD, 24, 20,
      IOMMU_HW_CAP_PCI_PASID_EXEC | IOMMU_HW_CAP_PCI_PASID_PRIV },
    { "arm-smmuv3-two-ssidsize.json", IOMMU_HW_INFO_TYPE_ARM_SMMUV3, 40, 20,
      IOMMU_HW_CAP_PCI_PASID_EXEC | IOMMU_HW_CAP_PCI_PASID_PRIV },
};

typedef struct Fixture {
    SimBound b;
    const Variant *v;
} Fixture;

static void fx_setup(Fixture *f, gconstpointer data)
{
    f->v = data;
    sim_start(f->v->file);
    sim_bound_open(&f->b, 0);
}

static void fx_teardown(Fixture *f, gconstpointer data)
{
    sim_bound_close(&f->b);
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    g_assert_cmpuint(host_sim_live_objects(), ==, 0);
    host_sim_stop();
}

static struct iommu_hw_info hw_info(Fixture *f, void *data, uint32_t len)
{
    return (struct iommu_hw_info) {
        .size = sizeof(struct iommu_hw_info), .dev_id = f->b.devid,
        .data_len = len, .data_uptr = (uintptr_t)data,
    };
}

static void test_size_short(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    info.size = 31;
    sim_assert_ioctl(EINVAL, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
}

static void test_size_trailing(Fixture *f, gconstpointer d)
{
    uint8_t buf[48] = { 0 };
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    info.size = sizeof(buf);
    memcpy(buf, &info, sizeof(info));
    buf[47] = 1;
    sim_assert_ioctl(E2BIG, f->b.iommufd, IOMMU_GET_HW_INFO, buf);
    buf[47] = 0;
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, buf);
    memcpy(&info, buf, sizeof(info));
    g_assert_cmpuint(info.out_data_type, ==, f->v->type);
}

static void test_size_minimum(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    /* A 6.14 user: out_capabilities is neither read nor written. */
    info.size = 32;
    info.out_capabilities = 0xdead;
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_capabilities, ==, 0xdead);
    g_assert_cmpuint(info.out_max_pasid_log2, ==, f->v->pasid_log2);
}

/*
 * A struct of the user's size that ends where its memory does: only its
 * bytes are read (the kernel's size is larger), and a size beyond the
 * memory is EFAULT.  Through process_vm_readv() and through the pipe.
 */
static void test_size_at_end_of_memory(Fixture *f, gconstpointer d)
{
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iommu_hw_info *info = (void *)(mem + page - 32);

    g_assert_true(mem != MAP_FAILED);
    g_assert_cmpint(mprotect(mem + page, page, PROT_NONE), ==, 0);
    for (int pipe = 0; pipe < 2; pipe++) {
        sim_host_current()->no_pvm = pipe;
        memset(info, 0, 32);
        info->size = 32;
        info->dev_id = f->b.devid;
        sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, info);
        g_assert_cmpuint(info->out_data_type, ==, f->v->type);
        g_assert_cmpuint(info->data_len, ==, f->v->data_len);
        info->size = 33;
        sim_assert_ioctl(EFAULT, f->b.iommufd, IOMMU_GET_HW_INFO, info);
    }
    munmap(mem, 2 * page);
}

static void test_null_buffer(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.data_len, ==, f->v->data_len);
    g_assert_cmpuint(info.out_data_type, ==, f->v->type);
}

static void test_buffer_sizes(Fixture *f, gconstpointer d)
{
    uint8_t exact[64], large[64], small[64];
    struct iommu_hw_info info = hw_info(f, exact, f->v->data_len);
    uint32_t n = f->v->data_len;

    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.data_len, ==, n);

    memset(large, 0xaa, sizeof(large));
    info = hw_info(f, large, sizeof(large));
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.data_len, ==, n);
    g_assert_cmpmem(large, n, exact, n);
    for (unsigned i = n; i < sizeof(large); i++) {
        g_assert_cmpuint(large[i], ==, 0);
    }

    memset(small, 0xaa, sizeof(small));
    info = hw_info(f, small, 8);
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.data_len, ==, n);
    g_assert_cmpmem(small, 8, exact, 8);
    g_assert_cmpuint(small[8], ==, 0xaa);
}

static void test_bad_pointer(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, (void *)16, 24);

    sim_assert_ioctl(EFAULT, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    sim_assert_ioctl(EFAULT, f->b.iommufd, IOMMU_GET_HW_INFO, (void *)16);
}

/* Where seccomp forbids process_vm_readv(), the pipe stand-in is used. */
static void test_bad_pointer_no_pvm(Fixture *f, gconstpointer d)
{
    sim_host_current()->no_pvm = true;
    test_bad_pointer(f, d);
    test_buffer_sizes(f, d);
    test_size_trailing(f, d);
}

static void test_input_type(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);
    uint32_t other = f->v->type == IOMMU_HW_INFO_TYPE_INTEL_VTD ?
                     IOMMU_HW_INFO_TYPE_ARM_SMMUV3 :
                     IOMMU_HW_INFO_TYPE_INTEL_VTD;

    info.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    info.in_data_type = f->v->type;
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    info = hw_info(f, NULL, 0);
    info.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    info.in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT;
    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_data_type, ==, f->v->type);
    info = hw_info(f, NULL, 0);
    info.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    info.in_data_type = other;
    sim_assert_ioctl(EOPNOTSUPP, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    info.in_data_type = 0x55;
    sim_assert_ioctl(EOPNOTSUPP, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
}

static void test_bad_flags(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    info.flags = 2;
    sim_assert_ioctl(EOPNOTSUPP, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    info = hw_info(f, NULL, 0);
    info.__reserved[1] = 1;
    sim_assert_ioctl(EOPNOTSUPP, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    /* Flags are checked before the device is looked up. */
    info.dev_id = 9999;
    sim_assert_ioctl(EOPNOTSUPP, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
}

static void test_unknown_dev(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);
    uint32_t ioas = sim_cmd_ioas_alloc(f->b.iommufd);

    info.dev_id = 9999;
    sim_assert_ioctl(ENOENT, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    info.dev_id = ioas;             /* an object, but not a device */
    sim_assert_ioctl(ENOENT, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    sim_err_destroy(0, f->b.iommufd, ioas);
}

static void test_pasid_device(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info info = hw_info(f, NULL, 0);

    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    g_assert_cmpuint(info.out_max_pasid_log2, ==, f->v->pasid_log2);
    g_assert_cmpuint(info.out_capabilities, ==, f->v->pasid_caps);
    g_assert_cmpuint(host_sim_count_dev(SIM_BDF_PASID, "GET_HW_INFO"), ==, 1);
}

static void test_vendor_data(Fixture *f, gconstpointer d)
{
    struct iommu_hw_info_vtd vtd;
    struct iommu_hw_info_arm_smmuv3 smmu;
    void *buf = f->v->type == IOMMU_HW_INFO_TYPE_INTEL_VTD ? (void *)&vtd
                                                           : (void *)&smmu;
    struct iommu_hw_info info = hw_info(f, buf, f->v->data_len);

    sim_assert_ioctl(0, f->b.iommufd, IOMMU_GET_HW_INFO, &info);
    if (f->v->type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        g_assert_cmphex(vtd.ecap_reg >> 35 & 0x1f, ==, 19);  /* PSS */
        g_assert_true(vtd.ecap_reg & (1ull << 40));
        g_assert_cmphex(vtd.cap_reg >> 16 & 0x3f, ==, 47);   /* MGAW */
    } else {
        g_assert_cmphex(smmu.idr[1] >> 6 & 0x1f, ==, 20);    /* SSIDSIZE */
        g_assert_cmphex(smmu.aidr, ==, 2);
    }
}

/* Device-level facts that need their own host. */
static void hw_info_of(const char *file, unsigned index, uint8_t *log2,
                       uint64_t *caps)
{
    SimBound b;
    struct iommu_hw_info info = { .size = sizeof(info) };

    sim_start(file);
    sim_bound_open(&b, index);
    info.dev_id = b.devid;
    sim_assert_ioctl(0, b.iommufd, IOMMU_GET_HW_INFO, &info);
    *log2 = info.out_max_pasid_log2;
    *caps = info.out_capabilities;
    sim_bound_close(&b);
    host_sim_stop();
}

static void test_pasid_rules(void)
{
    uint8_t w;
    uint64_t caps;

    hw_info_of(SIM_INTEL, 1, &w, &caps);            /* the NIC */
    g_assert_cmpuint(w, ==, 0);
    g_assert_cmpuint(caps, ==, 0);
    hw_info_of("intel-pasid-host-disabled.json", 0, &w, &caps);
    g_assert_cmpuint(w, ==, 0);
    g_assert_cmpuint(caps, ==, 0);
    /* PASID enabled on the device, but its IOMMU has none: no flags. */
    hw_info_of("intel-pasid-behind-no-pasid-iommu.json", 0, &w, &caps);
    g_assert_cmpuint(w, ==, 0);
    g_assert_cmpuint(caps, ==, 0);
    hw_info_of("intel-pasid-width8.json", 0, &w, &caps);
    g_assert_cmpuint(w, ==, 8);
    g_assert_cmpuint(caps, ==, 0);
    /* min(device 20, IOMMU SSIDSIZE 16) */
    hw_info_of("arm-smmuv3-two-ssidsize.json", 1, &w, &caps);
    g_assert_cmpuint(w, ==, 16);
    /* min(device 20, IOMMU PSS+1 = 8): the second unit's width */
    hw_info_of("intel-pasid-dmar1-pss7.json", 0, &w, &caps);
    g_assert_cmpuint(w, ==, 20);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(Fixture *, gconstpointer);
    } tests[] = {
        { "size/below-minimum-einval", test_size_short },
        { "size/trailing-nonzero-e2big-zero-ok", test_size_trailing },
        { "size/minimum-6.14-layout", test_size_minimum },
        { "size/struct-at-end-of-memory", test_size_at_end_of_memory },
        { "data/null-buffer-len-0-ok", test_null_buffer },
        { "data/exact-larger-smaller", test_buffer_sizes },
        { "data/bad-pointer-efault", test_bad_pointer },
        { "data/bad-pointer-efault-via-pipe", test_bad_pointer_no_pvm },
        { "data/vendor-registers", test_vendor_data },
        { "input-type/eopnotsupp", test_input_type },
        { "flags/unknown-eopnotsupp", test_bad_flags },
        { "dev-id/unknown-enoent", test_unknown_dev },
        { "pasid/device-width-and-flags", test_pasid_device },
    };

    g_test_init(&argc, &argv, NULL);
    for (unsigned v = 0; v < G_N_ELEMENTS(variants); v++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(tests); i++) {
            g_autofree char *path = g_strdup_printf(
                "/host-sim/get-hw-info/%s/%s", variants[v].file,
                tests[i].name);

            g_test_add(path, Fixture, &variants[v], fx_setup, tests[i].fn,
                       fx_teardown);
        }
    }
    g_test_add_func("/host-sim/get-hw-info/pasid/width-rules",
                    test_pasid_rules);
    return g_test_run();
}

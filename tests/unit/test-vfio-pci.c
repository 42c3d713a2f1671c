/*
 * vfio-pci over iommufd, in process: the guest-visible config space, the
 * synthesized PASID capability, the one GET_HW_INFO per device, the
 * unwind of every realize step and unplug, against the simulated host.
 */
#define _GNU_SOURCE                 /* memfd_create() */
#include "pci-test-helpers.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw/i386/intel_iommu.h"
#include "hw/pci/pcie_port.h"
#include "hw/vfio/pci.h"
#include "system/host-ops.h"
#include "system/host-sim.h"
#include "system/iommufd.h"

#define BDF_PASID "0000:01:00.0"
#define BDF_NIC "0000:02:00.0"
#define VFIO_DEVFN PCI_DEVFN(3, 0)
#define RP_DEVFN PCI_DEVFN(2, 0)

typedef struct Fixture {
    MachineState *ms;
    unsigned base_fds;
    unsigned base_objects;
} Fixture;

typedef struct Variant {
    bool viommu;                /* intel-iommu, x-flts=on, pasid=20 */
    const char *host;           /* host description file */
} Variant;

static const Variant with_viommu = { true, "intel-pasid.json" };
static const Variant without_viommu = { false, "intel-pasid.json" };
static const Variant lane_margining = { true,
                                        "intel-pasid-lane-margining.json" };
static const Variant msi_at_0xf4 = { true, "intel-msi-at-0xf4.json" };

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const Variant *v = data;
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, "data",
                                                  "hosts", v->host, NULL);
    Error *err = NULL;
    Object *be;

    g_assert_true(host_sim_start(path, &err));
    g_assert_no_error(err);
    f->ms = test_q35_new();
    intel_iommu_register_types();
    iommufd_register_types();
    vfio_register_types();
    be = object_new(TYPE_IOMMUFD_BACKEND);
    object_property_add_child(container_get("/objects"), "iommufd0", be);
    if (v->viommu) {
        DeviceState *iommu = DEVICE(object_new(TYPE_INTEL_IOMMU_DEVICE));

        g_assert_true(qdev_prop_parse(iommu, "x-scalable-mode", "on", &err));
        g_assert_true(qdev_prop_parse(iommu, "x-flts", "on", &err));
        g_assert_true(qdev_prop_parse(iommu, "caching-mode", "on", &err));
        g_assert_true(qdev_prop_parse(iommu, "pasid", "20", &err));
        g_assert_true(qdev_realize(iommu, NULL, &err));
        g_assert_no_error(err);
    }
    f->base_fds = host_sim_open_fds();
    f->base_objects = host_sim_live_objects();
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    test_q35_free();
    g_assert_cmpuint(host_sim_open_fds(), ==, 0);
    host_sim_stop();
}

static DeviceState *add_vfio(const char *id, const char *bus, Error **errp,
                             const char *host, const char *extra)
{
    g_autofree char *h = g_strdup_printf("host=%s", host);

    return test_device_add(TYPE_VFIO_PCI, id, bus, errp, h,
                           "iommufd=iommufd0", extra ? extra : "addr=3",
                           NULL);
}

static uint32_t cfg(DeviceState *dev, uint32_t addr, int len)
{
    return pci_config_read(PCI_DEVICE(dev), addr, len);
}

static uint16_t find_ext_cap(DeviceState *dev, uint16_t id)
{
    uint16_t pos = PCI_CONFIG_SPACE_SIZE;

    for (int ttl = 480; pos >= PCI_CONFIG_SPACE_SIZE && ttl; ttl--) {
        uint32_t h = cfg(dev, pos, 4);

        if (!h || h == UINT32_MAX) {
            return 0;
        }
        if (PCI_EXT_CAP_ID(h) == id) {
            return pos;
        }
        pos = PCI_EXT_CAP_NEXT(h);
    }
    return 0;
}

static void test_pasid_cap_default(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
    uint32_t header;

    g_assert_no_error(err);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0xff8);
    header = cfg(dev, 0xff8, 4);
    g_assert_cmphex(PCI_EXT_CAP_ID(header), ==, 0x1b);
    g_assert_cmphex(PCI_EXT_CAP_VER(header), ==, 1);
    g_assert_cmphex(PCI_EXT_CAP_NEXT(header), ==, 0);
    /* Width 20, Execute and Privileged supported, as the host says. */
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CAP, 2), ==,
                    (20 << 8) | PCI_PASID_CAP_EXEC | PCI_PASID_CAP_PRIV);
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CTRL, 2), ==, 0);
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "GET_HW_INFO"), ==, 1);
    g_assert_cmpuint(VFIO_PCI(dev)->hiod.hw_info_calls, ==, 1);
}

static void test_rciep_on_root_bus(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
    uint8_t exp = pci_find_capability(PCI_DEVICE(dev), PCI_CAP_ID_EXP);

    g_assert_no_error(err);
    g_assert_cmpuint(exp, !=, 0);
    g_assert_cmpuint((cfg(dev, exp + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_TYPE)
                     >> 4, ==, PCI_EXP_TYPE_RC_END);
    g_assert_true(cfg(dev, exp + PCI_EXP_DEVCAP2, 4) &
                  PCI_EXP_DEVCAP2_EE_PREFIX);
    /* An RCiEP has no link. */
    g_assert_cmphex(cfg(dev, exp + PCI_EXP_LNKCAP, 4), ==, 0);
}

static void test_endpoint_below_root_port(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev;
    uint8_t exp;

    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp1", "pcie.0",
                                     &err, "chassis=1", "slot=2", "addr=2",
                                     NULL));
    g_assert_no_error(err);
    dev = add_vfio("hostdev0", "rp1", &err, BDF_PASID, "addr=0");
    g_assert_no_error(err);
    exp = pci_find_capability(PCI_DEVICE(dev), PCI_CAP_ID_EXP);
    g_assert_cmpuint((cfg(dev, exp + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_TYPE)
                     >> 4, ==, PCI_EXP_TYPE_ENDPOINT);
    g_assert_true(cfg(dev, exp + PCI_EXP_DEVCAP2, 4) &
                  PCI_EXP_DEVCAP2_EE_PREFIX);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0xff8);
}

static void test_no_pasid_device(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("nic0", "pcie.0", &err, BDF_NIC, NULL);

    g_assert_no_error(err);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0);
    g_assert_cmpuint(VFIO_PCI(dev)->pasid_cap, ==, 0);
    g_assert_cmpuint(host_sim_count_dev(BDF_NIC, "GET_HW_INFO"), ==, 1);
}

static void test_no_viommu_no_pasid(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);

    g_assert_no_error(err);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0);
    /* The host was still asked, once. */
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "GET_HW_INFO"), ==, 1);
}

/* The guest writes Control; nothing reaches the device. */
static void test_pasid_control_emulated(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
    uint64_t pwrites = host_sim_count_dev(BDF_PASID, "pwrite");
    uint64_t preads = host_sim_count_dev(BDF_PASID, "pread");

    g_assert_no_error(err);
    pci_config_write(PCI_DEVICE(dev), 0xff8 + PCI_PASID_CTRL, 0xffff, 2);
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CTRL, 2), ==, 7);
    /* Header and Capability are read-only. */
    pci_config_write(PCI_DEVICE(dev), 0xff8, 0, 4);
    pci_config_write(PCI_DEVICE(dev), 0xff8 + PCI_PASID_CAP, 0, 2);
    g_assert_cmphex(PCI_EXT_CAP_ID(cfg(dev, 0xff8, 4)), ==, 0x1b);
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CAP, 2), ==, 0x1406);
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "pwrite"), ==, pwrites);
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "pread"), ==, preads);
    /* A pass-through register does reach it. */
    pci_config_write(PCI_DEVICE(dev), PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "pwrite"), ==,
                     pwrites + 1);
    g_assert_cmphex(cfg(dev, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY, ==,
                    PCI_COMMAND_MEMORY);
    /* A reset restores Control to 0. */
    machine_reset(f->ms);
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CTRL, 2), ==, 0);
    g_assert_cmpuint(host_sim_count_dev(BDF_PASID, "GET_HW_INFO"), ==, 1);
}

/* Every guest-visible byte, as a 4 KiB dump reads it. */
static GBytes *guest_view(DeviceState *dev)
{
    uint8_t buf[PCIE_CONFIG_SPACE_SIZE];

    for (unsigned a = 0; a < sizeof(buf); a += 4) {
        pci_set_long(buf + a, cfg(dev, a, 4));
    }
    return g_bytes_new(buf, sizeof(buf));
}

/*
 * After realize the extended space is packed: the guest sees the same
 * bytes as from the flat arrays, in a few runs instead of 16 KiB.
 */
static void test_ext_config_packed(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
    PCIDevice *pdev = PCI_DEVICE(dev);
    g_autoptr(GBytes) packed = NULL, flat = NULL, repacked = NULL;
    unsigned nr_runs;

    g_assert_no_error(err);
    g_assert_cmpuint(pdev->config_len, ==, PCI_CONFIG_SPACE_SIZE);
    g_assert_cmpuint(pdev->nr_ext_runs, >=, 1);
    g_assert_cmpuint(pdev->nr_ext_runs, <=, 8);
    nr_runs = pdev->nr_ext_runs;
    pci_config_write(pdev, 0xff8 + PCI_PASID_CTRL, PCI_PASID_CTRL_ENABLE, 2);
    packed = guest_view(dev);

    pci_config_unpack(pdev);
    g_assert_cmpuint(pdev->config_len, ==, PCIE_CONFIG_SPACE_SIZE);
    g_assert_null(pdev->ext_runs);
    flat = guest_view(dev);
    g_assert_true(g_bytes_equal(packed, flat));

    pci_config_pack(pdev);
    g_assert_cmpuint(pdev->nr_ext_runs, ==, nr_runs);
    repacked = guest_view(dev);
    g_assert_true(g_bytes_equal(packed, repacked));
    /* Reserving bytes, next to a run or alone, changes no value. */
    pci_config_reserve(pdev, 0x104, 0x10);
    g_assert_cmpuint(pdev->nr_ext_runs, ==, nr_runs);
    pci_config_reserve(pdev, 0x800, 4);
    g_assert_cmpuint(pdev->nr_ext_runs, ==, nr_runs + 1);
    g_clear_pointer(&repacked, g_bytes_unref);
    repacked = guest_view(dev);
    g_assert_true(g_bytes_equal(packed, repacked));
    /* Writes outside every run change nothing and do not crash. */
    pci_config_write(pdev, 0x900, 0xffffffff, 4);
    g_assert_cmphex(cfg(dev, 0x900, 4), ==, 0);
    machine_reset(f->ms);
    g_assert_cmphex(cfg(dev, 0xff8 + PCI_PASID_CTRL, 2), ==, 0);
}

static void test_pasid_offset_chosen(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID,
                                "x-vpasid-cap-offset=0xf00");

    g_assert_no_error(err);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0xf00);
    g_assert_cmphex(cfg(dev, 0xf00 + PCI_PASID_CAP, 2), ==, 0x1406);
}

static void expect_offset_refused(Fixture *f, const char *offset,
                                  const char *why)
{
    g_autofree char *prop = g_strdup_printf("x-vpasid-cap-offset=%s", offset);
    g_autofree char *msg = NULL;
    Error *err = NULL;

    g_assert_null(add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, prop));
    g_assert_nonnull(err);
    msg = g_strdup_printf("vfio " BDF_PASID ": vfio: Placing PASID "
                          "capability at offset %s failed: %s", offset, why);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
    /* Nothing left behind: fds, kernel objects, the slot. */
    g_assert_cmpuint(host_sim_open_fds(), ==, f->base_fds);
    g_assert_cmpuint(host_sim_live_objects(), ==, f->base_objects);
    g_assert_null(f->ms->pci_root->devices[VFIO_DEVFN]);
}

static void test_pasid_offset_refused(Fixture *f, gconstpointer data)
{
    expect_offset_refused(f, "0xffa", "PASID capability offset 0xffa is "
                          "not dword aligned");
    expect_offset_refused(f, "0x80", "PASID capability offset 0x80 is "
                          "below 0x100");
    expect_offset_refused(f, "0xffc", "PASID capability at 0xffc with size "
                          "0x8 runs past the end of extended config space "
                          "(0xfff)");
    expect_offset_refused(f, "0x100", "PASID capability at 0x100 (size 0x8) "
                          "overlaps the header of the AER capability at "
                          "0x100");
    expect_offset_refused(f, "0x104", "PASID capability at 0x104 (size 0x8) "
                          "overlaps the body of the AER capability at 0x100 "
                          "(0x104-0x12b)");
}

/*
 * Lane Margining at Receiver is 8 bytes plus 4 a lane; the link width
 * reads zero, so x32 is assumed: 0x100-0x187, not its header alone.
 */
static void test_pasid_offset_in_lane_margining(Fixture *f,
                                                gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev;

    expect_offset_refused(f, "0x104", "PASID capability at 0x104 (size 0x8) "
                          "overlaps the body of the Lane Margining at "
                          "Receiver capability at 0x100 (0x104-0x187)");
    expect_offset_refused(f, "0x180", "PASID capability at 0x180 (size 0x8) "
                          "overlaps the body of the Lane Margining at "
                          "Receiver capability at 0x100 (0x104-0x187)");
    dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID,
                   "x-vpasid-cap-offset=0x188");
    g_assert_no_error(err);
    g_assert_cmphex(cfg(dev, 0x100, 4), ==, PCI_EXT_CAP_HEADER(0x27, 1,
                                                               0x188));
    /* The host's lane registers are still the guest's to read. */
    g_assert_cmphex(cfg(dev, 0x104, 4), ==, 1);
    g_assert_cmphex(cfg(dev, 0x108, 4), ==, 0x9c380000);
    g_assert_cmphex(cfg(dev, 0x144, 4), ==, 0x9c380000);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0x188);
}

/*
 * MSI at 0xF4 (64-bit, per-vector mask) is cut to 12 bytes by the end
 * of the standard space: its data and mask registers are not there, and
 * their write masks must not land on the ACS capability at 0x100.
 */
static void test_msi_masks_stay_inside(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
    PCIDevice *pdev = PCI_DEVICE(dev);

    g_assert_no_error(err);
    for (unsigned a = PCI_CONFIG_SPACE_SIZE; a < PCIE_CONFIG_SPACE_SIZE; a++) {
        g_assert_cmphex(pci_config_byte(pdev, PCI_CONFIG_WMASK, a), ==, 0);
        g_assert_cmphex(pci_config_byte(pdev, PCI_CONFIG_W1CMASK, a), ==, 0);
    }
    pci_config_write(pdev, 0x100, 0xdead0000, 4);
    g_assert_cmphex(cfg(dev, 0x100, 4), ==, 0x0001000d);
    g_assert_cmphex(cfg(dev, 0x104, 4), ==, 0x1f);
    /* What the capability does hold stays writable. */
    pci_config_write(pdev, 0xf6, 0xffff, 2);
    g_assert_cmphex(cfg(dev, 0xf6, 2), ==, 0x01f1);
    pci_config_write(pdev, 0xf8, 0xffffffff, 4);
    g_assert_cmphex(cfg(dev, 0xf8, 4), ==, 0xfffffffc);
    pci_config_write(pdev, 0xfc, 0xffffffff, 4);
    g_assert_cmphex(cfg(dev, 0xfc, 4), ==, 0xffffffff);
}

/* Fail every host call of realize in turn: each unwinds completely. */
static void test_fault_every_call(Fixture *f, gconstpointer data)
{
    unsigned n;

    for (n = 1; n < 200; n++) {
        g_autofree char *spec = g_strdup_printf("nth=%u", n);
        Error *err = NULL;
        DeviceState *dev;

        g_assert_true(host_sim_fault_parse(spec, &err));
        dev = add_vfio("hostdev0", "pcie.0", &err, BDF_PASID, NULL);
        if (dev) {
            break;          /* past the last call: nothing failed */
        }
        g_assert_nonnull(err);
        g_assert_true(g_str_has_prefix(err->message, "vfio ") ||
                      strstr(err->message, "failed"));
        error_free(err);
        g_assert_cmpuint(host_sim_open_fds(), ==, f->base_fds);
        g_assert_cmpuint(host_sim_live_objects(), ==, f->base_objects);
        g_assert_null(f->ms->pci_root->devices[VFIO_DEVFN]);
    }
    g_assert_cmpuint(n, >, 5);
    g_assert_cmpuint(n, <, 200);
    g_assert_true(host_sim_fault_parse("none", NULL));
}

static void test_unplug_releases_everything(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    DeviceState *a = add_vfio("a", "pcie.0", &err, BDF_PASID, NULL);
    DeviceState *b = add_vfio("b", "pcie.0", &err, BDF_NIC, "addr=4");
    IOMMUFDBackend *be = IOMMUFD_BACKEND(
        object_resolve_path("/objects/iommufd0"));

    g_assert_no_error(err);
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    /* Both devices share one iommufd and one IOAS. */
    g_assert_cmpuint(host_sim_count_cmd("IOAS_ALLOC"), ==, 1);
    g_assert_cmpuint(be->users, ==, 2);
    qdev_unplug_and_free(a);
    qdev_unplug_and_free(b);
    g_assert_cmpuint(be->users, ==, 0);
    g_assert_cmpuint(host_sim_open_fds(), ==, f->base_fds);
    g_assert_cmpuint(host_sim_live_objects(), ==, f->base_objects);
    /* The backend stays usable. */
    a = add_vfio("a", "pcie.0", &err, BDF_PASID, NULL);
    g_assert_no_error(err);
    g_assert_cmpuint(find_ext_cap(a, PCI_EXT_CAP_ID_PASID), ==, 0xff8);
}

static void test_missing_iommufd(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    g_assert_null(test_device_add(TYPE_VFIO_PCI, "x", "pcie.0", &err,
                                  "host=" BDF_PASID, NULL));
    g_assert_cmpstr(err->message, ==, "vfio-pci: property 'iommufd' is "
                    "required (only the iommufd backend is supported)");
    error_free(err);
}

static void test_no_host(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    g_assert_null(test_device_add(TYPE_VFIO_PCI, "x", "pcie.0", &err,
                                  "iommufd=iommufd0", NULL));
    g_assert_cmpstr(err->message, ==, "No provided host device - Use -device "
                    "vfio-pci,host=DDDD:BB:DD.F, -device "
                    "vfio-pci,sysfsdev=PATH_TO_DEVICE or -device "
                    "vfio-pci,fd=DEVICE_FD");
    error_free(err);
}

static void test_unknown_host(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    g_assert_null(add_vfio("x", "pcie.0", &err, "0000:09:00.0", NULL));
    g_assert_cmpstr(err->message, ==, "vfio /sys/bus/pci/devices/"
                    "0000:09:00.0: no such host device: No such file or "
                    "directory");
    g_clear_error(&err);
    g_assert_null(add_vfio("x", "pcie.0", &err, "zz", NULL));
    g_assert_cmpstr(err->message, ==, "Property 'vfio-pci.host' doesn't "
                    "take value 'zz'");
    error_free(err);
}

/* How a harness hands the simulator's fds over: named memfds. */
static int sim_memfd(const char *path)
{
    g_autofree char *name = g_strdup_printf(HOST_SIM_FD_PREFIX "%s", path);
    int fd = memfd_create(name, 0);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static void test_fd_passing(Fixture *f, gconstpointer data)
{
    int iommufd = sim_memfd("/dev/iommu");
    int devfd = sim_memfd("/dev/vfio/devices/vfio0");
    g_autofree char *fdprop = g_strdup_printf("fd=%d", devfd);
    g_autofree char *befd = g_strdup_printf("%d", iommufd);
    g_autofree char *name = g_strdup_printf("VFIO_FD%d", devfd);
    Object *be = object_new(TYPE_IOMMUFD_BACKEND);
    Error *err = NULL;
    DeviceState *dev;

    g_assert_true(object_property_parse(be, "fd", befd, &err));
    g_assert_true(be->klass->complete(be, &err));
    object_property_add_child(container_get("/objects"), "iommufd1", be);
    dev = test_device_add(TYPE_VFIO_PCI, "hostdev0", "pcie.0", &err, fdprop,
                          "iommufd=iommufd1", "addr=3", NULL);
    g_assert_no_error(err);
    g_assert_cmpstr(VFIO_PCI(dev)->vbasedev.name, ==, name);
    g_assert_cmpuint(find_ext_cap(dev, PCI_EXT_CAP_ID_PASID), ==, 0xff8);
    /* Nothing opened: both fds were given. */
    g_assert_cmpuint(host_sim_count_cmd("open"), ==, 0);
    /* Unplug closes the device fd (handed over) but not the iommufd. */
    qdev_unplug_and_free(dev);
    g_assert_cmpuint(host_sim_open_fds(), ==, f->base_fds + 1);
    g_assert_cmpint(host_close(iommufd), ==, 0);
}

static void test_bad_fd_param(Fixture *f, gconstpointer data)
{
    Object *be = object_new(TYPE_IOMMUFD_BACKEND);
    Error *err = NULL;

    g_assert_true(object_property_parse(be, "fd", "fdname", &err));
    g_assert_false(be->klass->complete(be, &err));
    g_assert_cmpstr(err->message, ==, "File descriptor named 'fdname' has "
                    "not been found");
    g_clear_error(&err);
    object_unparent(be);
    g_assert_null(test_device_add(TYPE_VFIO_PCI, "x", "pcie.0", &err,
                                  "fd=-3", "iommufd=iommufd0", NULL));
    g_assert_cmpstr(err->message, ==, "File descriptor named '-3' has not "
                    "been found");
    g_clear_error(&err);
    g_assert_null(test_device_add(TYPE_VFIO_PCI, "x", "pcie.0", &err,
                                  "fd=3", "host=" BDF_PASID,
                                  "iommufd=iommufd0", NULL));
    g_assert_cmpstr(err->message, ==, "vfio-pci: use only one of host=, "
                    "sysfsdev= and fd=");
    error_free(err);
}

#define ADD(path, variant, fn) \
    g_test_add(path, Fixture, &(variant), fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/vfio-pci/pasid/default-offset-host-values", with_viommu,
        test_pasid_cap_default);
    ADD("/vfio-pci/pasid/chosen-offset", with_viommu,
        test_pasid_offset_chosen);
    ADD("/vfio-pci/pasid/bad-offset-refused", with_viommu,
        test_pasid_offset_refused);
    ADD("/vfio-pci/pasid/offset-in-lane-margining-body-refused",
        lane_margining, test_pasid_offset_in_lane_margining);
    ADD("/vfio-pci/config/cut-msi-masks-stay-inside", msi_at_0xf4,
        test_msi_masks_stay_inside);
    ADD("/vfio-pci/pasid/none-without-host-pasid", with_viommu,
        test_no_pasid_device);
    ADD("/vfio-pci/pasid/none-without-viommu", without_viommu,
        test_no_viommu_no_pasid);
    ADD("/vfio-pci/pasid/control-emulated-and-reset", with_viommu,
        test_pasid_control_emulated);
    ADD("/vfio-pci/config/ext-space-packed", with_viommu,
        test_ext_config_packed);
    ADD("/vfio-pci/pcie/rciep-on-root-bus", with_viommu,
        test_rciep_on_root_bus);
    ADD("/vfio-pci/pcie/endpoint-below-root-port", with_viommu,
        test_endpoint_below_root_port);
    ADD("/vfio-pci/realize/fault-at-every-host-call-unwinds", with_viommu,
        test_fault_every_call);
    ADD("/vfio-pci/unplug/releases-everything-backend-reusable", with_viommu,
        test_unplug_releases_everything);
    ADD("/vfio-pci/props/iommufd-required", without_viommu,
        test_missing_iommufd);
    ADD("/vfio-pci/props/no-host-device", without_viommu, test_no_host);
    ADD("/vfio-pci/props/unknown-host-device", without_viommu,
        test_unknown_host);
    ADD("/vfio-pci/fd-passing/iommufd-and-device-fds", with_viommu,
        test_fd_passing);
    ADD("/vfio-pci/fd-passing/bad-fd-refused", without_viommu,
        test_bad_fd_param);
    return g_test_run();
}

/*
 * The machine the guest-facing fuzz targets talk to.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"
#include "system/host-sim.h"
#include "system/vl.h"

static const char *const default_devices[] = {
    "intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on,pasid=auto",
    "pcie-root-port,id=rp0,chassis=1",
    "pcie-root-port,id=rp1,chassis=2",
    "vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme0",
    "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nic0,bus=rp0",
};

/* x-flts=on nests only devices on the root bus. */
static const char *const flts_devices[] = {
    "intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on,pasid=auto",
    "vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme0,addr=3",
    "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nic0,addr=4",
};

/* virt: one accel=on vSMMU over both Arm hosts' devices. */
static const char *const smmuv3_devices[] = {
    "arm-smmuv3,primary-bus=pcie.0,accel=on,ssidsize=auto",
    "vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme0,addr=3",
    "vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nvme1,addr=4",
};

static const char *const *devices = default_devices;
static size_t n_devices = G_N_ELEMENTS(default_devices);
static const char *machine = "q35";
static const char *host_file = "intel-pasid.json";

void fuzz_machine_use_smmuv3(void)
{
    devices = smmuv3_devices;
    n_devices = G_N_ELEMENTS(smmuv3_devices);
    machine = "virt";
    host_file = "arm-smmuv3-two-ssidsize.json";
}

void fuzz_machine_use_flts(void)
{
    devices = flts_devices;
    n_devices = G_N_ELEMENTS(flts_devices);
}

static void add_device(const char *opts)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "driver", NULL);

    g_assert_nonnull(qdev_device_add(kv, NULL));
}

static bool registered;

void fuzz_machine_init(void)
{
    const char *root = g_getenv("VV_SOURCE_ROOT");
    g_autofree char *host = g_build_filename(root ? root : ".", "tests",
                                             "data", "hosts", host_file,
                                             NULL);
    g_autoptr(KeyValList) obj = NULL;

    if (!registered) {
        vv_types_init();
        monitor_register_all();
        registered = true;
    }
    if (qdev_get_machine()) {
        return;
    }
    g_assert_true(host_sim_start(host, NULL));
    obj = keyval_parse("iommufd,id=iommufd0", "qom-type", NULL);
    g_assert_nonnull(user_object_add(obj, NULL));
    g_assert_nonnull(machine_create(machine_class_find(machine), 0, NULL));
    for (size_t i = 0; i < n_devices; i++) {
        add_device(devices[i]);
    }
    g_assert_true(machine_init_done(qdev_get_machine(), NULL));
}

void fuzz_machine_destroy(void)
{
    machine_destroy();
    object_tree_reset();
    qbus_list_reset();
    host_sim_stop();
}

/*
 * Helpers shared by the vIOMMU unit tests (intel-iommu, arm-smmuv3): a
 * fixture holding the machine and the hand-built HostIOMMUDevice answers,
 * a vIOMMU created the way -device creates it, and pass-through-like
 * endpoints that hand a host answer over.
 */
#ifndef TESTS_UNIT_VIOMMU_TEST_HELPERS_H
#define TESTS_UNIT_VIOMMU_TEST_HELPERS_H

#include "pci-test-helpers.h"

#include <string.h>

#include "hw/pci/pci-iommu.h"
#include "hw/pci/viommu-host.h"
#include "system/host_iommu_device.h"

typedef struct Fixture {
    MachineState *ms;
    GPtrArray *hiods;           /* HostIOMMUDevice *, freed at teardown */
} Fixture;

static inline void test_hiod_free(gpointer p)
{
    HostIOMMUDevice *hiod = p;

    g_free(hiod->name);
    g_free(hiod);
}

/* Start a fixture on @ms; test_viommu_fixture_teardown() ends it. */
static inline void test_viommu_fixture_init(Fixture *f, MachineState *ms)
{
    f->ms = ms;
    f->hiods = g_ptr_array_new_with_free_func(test_hiod_free);
}

static inline void test_viommu_fixture_teardown(Fixture *f,
                                                gconstpointer data)
{
    test_q35_free();
    g_ptr_array_unref(f->hiods);
}

/*
 * A host answer as GET_HW_INFO would cache it, asked once, for device
 * @name; the caller fills in the vendor data.  Freed at teardown.
 */
static inline HostIOMMUDevice *test_hiod_new(Fixture *f, const char *name,
                                             uint32_t type,
                                             uint8_t max_pasid_log2)
{
    HostIOMMUDevice *hiod = g_new0(HostIOMMUDevice, 1);

    hiod->name = g_strdup(name);
    hiod->caps.type = type;
    hiod->caps.max_pasid_log2 = max_pasid_log2;
    hiod->hw_info_calls = 1;
    g_ptr_array_add(f->hiods, hiod);
    return hiod;
}

/* -device @type,@props ("k=v,k=v" or ""): the device, or NULL. */
static inline DeviceState *test_viommu_add(const char *type,
                                           const char *props, Error **errp)
{
    DeviceState *dev = DEVICE(object_new(type));
    g_auto(GStrv) kvs = g_strsplit(props, ",", -1);

    for (int i = 0; kvs[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(kvs[i], "=", 2);

        if (!*kvs[i]) {
            continue;
        }
        if (!qdev_prop_parse(dev, kv[0], kv[1], errp)) {
            object_unparent(OBJECT(dev));
            return NULL;
        }
    }
    if (!qdev_realize(dev, NULL, errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return dev;
}

static inline DeviceState *test_viommu_add_ok(const char *type,
                                              const char *props)
{
    Error *err = NULL;
    DeviceState *dev = test_viommu_add(type, props, &err);

    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return dev;
}

/* The device is refused with exactly @msg. */
static inline void test_viommu_add_err(const char *type, const char *props,
                                       const char *msg)
{
    Error *err = NULL;

    g_assert_null(test_viommu_add(type, props, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
}

/* An emulated endpoint @id on @bus. */
static inline PCIDevice *test_ep_add_on(const char *id, const char *bus)
{
    Error *err = NULL;
    DeviceState *dev = test_device_add(TYPE_TEST_PCIE_EP, id, bus, &err,
                                       NULL);

    g_assert_no_error(err);
    return PCI_DEVICE(dev);
}

/* An emulated endpoint @id on pcie.0. */
static inline PCIDevice *test_ep_add(const char *id)
{
    return test_ep_add_on(id, "pcie.0");
}

/* Plug a pass-through-like endpoint @id and hand @hiod over. */
static inline bool test_host_plug(const char *id, HostIOMMUDevice *hiod,
                                  Error **errp)
{
    return pci_device_set_iommu_device(test_ep_add(id), hiod, errp);
}

static inline void test_host_plug_ok(const char *id, HostIOMMUDevice *hiod)
{
    Error *err = NULL;

    g_assert_true(test_host_plug(id, hiod, &err));
    g_assert_no_error(err);
}

/*
 * The vIOMMU keeping @h refuses @hiod with exactly @msg, and the refusal
 * changes nothing it keeps (the vendor registers are the caller's).
 */
static inline void test_host_plug_refused(VIOMMUHostDevices *h,
                                          const char *id,
                                          HostIOMMUDevice *hiod,
                                          const char *msg)
{
    unsigned n = h->devices->len;
    uint8_t width = h->width;
    bool resolved = h->resolved;
    Error *err = NULL;

    g_assert_false(test_host_plug(id, hiod, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
    g_assert_cmpuint(h->devices->len, ==, n);
    g_assert_cmpuint(h->width, ==, width);
    g_assert_cmpint(h->resolved, ==, resolved);
}

/*
 * Endpoint @id hands @first over, then @second: the second is refused
 * with exactly @msg; once unplugged no device is left and what the
 * vIOMMU advertises (its width) has not moved.
 */
static inline void test_viommu_same_device_twice(VIOMMUHostDevices *h,
                                                 const char *id,
                                                 HostIOMMUDevice *first,
                                                 HostIOMMUDevice *second,
                                                 const char *msg)
{
    PCIDevice *pdev = test_ep_add(id);
    uint8_t width = h->width;
    Error *err = NULL;

    g_assert_true(pci_device_set_iommu_device(pdev, first, &err));
    g_assert_false(pci_device_set_iommu_device(pdev, second, &err));
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
    pci_device_unset_iommu_device(pdev);
    g_assert_cmpuint(h->devices->len, ==, 0);
    g_assert_cmpuint(h->width, ==, width);
}

/* machine-init-done succeeds. */
static inline void test_viommu_init_done_ok(MachineState *ms)
{
    Error *err = NULL;

    g_assert_true(machine_init_done(ms, &err));
    g_assert_no_error(err);
}

/* Names of the devices "auto" property @prop was resolved from, or "". */
static inline char *test_viommu_sources(VIOMMUHostDevices *h,
                                        const char *prop)
{
    GPtrArray *names = g_hash_table_lookup(h->resolved_from, prop);
    GString *out = g_string_new(NULL);

    for (guint i = 0; names && i < names->len; i++) {
        g_string_append_printf(out, "%s%s", i ? "," : "",
                               (char *)g_ptr_array_index(names, i));
    }
    return g_string_free(out, FALSE);
}

/* machine-init-done refuses with exactly @msg. */
static inline void test_viommu_init_done_err(MachineState *ms,
                                             const char *msg)
{
    Error *err = NULL;

    g_assert_false(machine_init_done(ms, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
}

#endif

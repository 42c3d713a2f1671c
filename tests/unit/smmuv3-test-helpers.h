/*
 * Helpers shared by the arm-smmuv3 unit tests: an in-process virt
 * machine, arm-smmuv3 created the way -device creates it, and register
 * access through the machine's memory.
 */
#ifndef TESTS_UNIT_SMMUV3_TEST_HELPERS_H
#define TESTS_UNIT_SMMUV3_TEST_HELPERS_H

#include "pci-test-helpers.h"

#include <string.h>

#include "hw/arm/smmuv3.h"
#include "hw/arm/virt.h"
#include "system/host_iommu_device.h"
#include "../../hw/arm/smmuv3-internal.h"

#define SMMU_BASE VIRT_SMMU_BASE

/* QEMU's emulated SMMUv3 ID registers (accel=off, defaults). */
#define QEMU_IDR0   0x0d40101au
#define QEMU_IDR1   0x02730010u
#define QEMU_IDR3   0x00001404u
#define QEMU_IDR5   0x00000074u

typedef struct Fixture {
    MachineState *ms;
    GPtrArray *hiods;           /* HostIOMMUDevice *, freed at teardown */
} Fixture;

static inline MachineState *test_virt_new(void)
{
    Error *err = NULL;
    MachineState *ms;

    vv_types_init();
    type_register(&test_ep_type);
    ms = machine_create(machine_class_find("virt"), 0, &err);
    g_assert_no_error(err);
    g_assert_nonnull(ms);
    return ms;
}

static inline void hiod_free(gpointer p)
{
    HostIOMMUDevice *hiod = p;

    g_free(hiod->name);
    g_free(hiod);
}

static inline void fixture_setup(Fixture *f, gconstpointer data)
{
    f->ms = test_virt_new();
    f->hiods = g_ptr_array_new_with_free_func(hiod_free);
}

static inline void fixture_teardown(Fixture *f, gconstpointer data)
{
    test_q35_free();
    g_ptr_array_unref(f->hiods);
}

/* -device arm-smmuv3,@props ("k=v,k=v" or ""). */
static inline SMMUv3State *smmu_add(const char *props, Error **errp)
{
    DeviceState *dev = DEVICE(object_new(TYPE_ARM_SMMUV3));
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
    return ARM_SMMUV3(dev);
}

static inline SMMUv3State *smmu_add_ok(const char *props)
{
    Error *err = NULL;
    SMMUv3State *s = smmu_add(props, &err);

    g_assert_no_error(err);
    g_assert_nonnull(s);
    return s;
}

static inline void smmu_add_err(const char *props, const char *msg)
{
    Error *err = NULL;

    g_assert_null(smmu_add(props, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
    g_assert_null(smmuv3_find());
}

static inline uint32_t smmu_readl(Fixture *f, hwaddr reg)
{
    return address_space_ld(&f->ms->memory, SMMU_BASE + reg, 4);
}

static inline void smmu_writel(Fixture *f, hwaddr reg, uint32_t v)
{
    address_space_st(&f->ms->memory, SMMU_BASE + reg, v, 4);
}

static inline hwaddr virt_ecam(uint8_t bus, uint8_t devfn, uint16_t reg)
{
    return VIRT_HIGH_PCIE_ECAM_BASE + ((hwaddr)bus << 20) +
           ((hwaddr)devfn << 12) + reg;
}

/* ---- the machine ---- */

#define ADD(path, fn) \
    g_test_add("/smmuv3/" path, Fixture, NULL, fixture_setup, fn, \
               fixture_teardown)

#endif

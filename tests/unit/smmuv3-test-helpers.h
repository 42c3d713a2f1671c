/*
 * Helpers shared by the arm-smmuv3 unit tests: an in-process virt
 * machine, arm-smmuv3 created the way -device creates it (the vIOMMU
 * helpers are viommu-test-helpers.h's), and register access through the
 * machine's memory.
 */
#ifndef TESTS_UNIT_SMMUV3_TEST_HELPERS_H
#define TESTS_UNIT_SMMUV3_TEST_HELPERS_H

#include "viommu-test-helpers.h"

#include "hw/arm/smmuv3.h"
#include "hw/arm/virt.h"
#include "../../hw/arm/smmuv3-internal.h"

#define SMMU_BASE VIRT_SMMU_BASE

/* QEMU's emulated SMMUv3 ID registers (accel=off, defaults). */
#define QEMU_IDR0   0x0d44101au   /* with VMID16 (bit 18), as upstream */
#define QEMU_IDR1   0x02730010u
#define QEMU_IDR3   0x00001404u
#define QEMU_IDR5   0x00000074u

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

static inline void fixture_setup(Fixture *f, gconstpointer data)
{
    test_viommu_fixture_init(f, test_virt_new());
}

/* -device arm-smmuv3,@props ("k=v,k=v" or ""). */
static inline SMMUv3State *smmu_add(const char *props, Error **errp)
{
    DeviceState *dev = test_viommu_add(TYPE_ARM_SMMUV3, props, errp);

    return dev ? ARM_SMMUV3(dev) : NULL;
}

static inline SMMUv3State *smmu_add_ok(const char *props)
{
    return ARM_SMMUV3(test_viommu_add_ok(TYPE_ARM_SMMUV3, props));
}

static inline void smmu_add_err(const char *props, const char *msg)
{
    test_viommu_add_err(TYPE_ARM_SMMUV3, props, msg);
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
               test_viommu_fixture_teardown)

#endif

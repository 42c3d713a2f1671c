/*
 * arm-smmuv3: the Arm SMMUv3 vIOMMU of the virt machine.
 *
 * A bus-less device realized before every PCI device, serving the root
 * root bus named by primary-bus: pcie.0 or a pxb-pcie's bus, one vSMMU
 * per bus.  The first one's registers sit at QEMU's virt SMMU base
 * (0x09050000, 128 KiB: page 0 and its page-1 alias), the others follow
 * in the platform bus window; they read as QEMU's emulated SMMUv3.  With
 * accel=on, vfio-pci devices over iommufd may sit behind it, each checked
 * against what the vSMMU advertises; ssidsize, ril, ats and oas may be
 * "auto", resolved at machine-init-done from every cold-plugged device
 * (see docs/system/arm-smmuv3-accel.md).
 */
#ifndef HW_ARM_SMMUV3_H
#define HW_ARM_SMMUV3_H

#include "hw/core/machine.h"
#include "hw/core/qdev.h"
#include "hw/pci/pci-iommu.h"
#include "hw/pci/viommu-host.h"
#include "system/memory.h"

#define TYPE_ARM_SMMUV3 "arm-smmuv3"
#define ARM_SMMUV3(o) OBJECT_CHECK(SMMUv3State, (o), TYPE_ARM_SMMUV3)

/* "ssidsize" and "oas" properties: this value stands for "auto". */
#define SMMU_PROP_AUTO          (-1)
#define SMMU_SSID_MAX_BITS      20

/* Registers the device keeps (see smmuv3-internal.h for the layout). */
#define SMMU_NUM_REGS           40

/* What the vSMMU advertises where a property may be "auto". */
typedef struct SMMUv3Advertised {
    bool ril;
    bool ats;
    uint8_t oas;                /* bits: 44 or 48, or a host's (auto) */
    bool cd2l;                  /* 2-level CD tables (SSIDSIZE > 10) */
} SMMUv3Advertised;

typedef struct SMMUv3State {
    DeviceState parent_obj;

    /* Properties, as QEMU names them. */
    char *primary_bus;
    bool accel;
    int32_t ssidsize;           /* 0..255 as given, or SMMU_PROP_AUTO */
    int ril;                    /* OnOffAuto */
    int ats;                    /* OnOffAuto */
    int32_t oas;                /* bits as given: 44, 48, or SMMU_PROP_AUTO */

    /* Decided at realize, "auto" fields at machine-init-done. */
    PCIBus *bus;
    hwaddr mmio_base;
    SMMUv3Advertised adv;
    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;

    /* Registers. */
    MemoryRegion mmio;
    uint64_t regs[SMMU_NUM_REGS];   /* indexed by the register table */
    uint64_t cmds_consumed;         /* commands completed, for queries */
    uint64_t cmd_errors;            /* commands stopped with CMDQ_ERR */
    uint64_t events;                /* event records written (or lost) */

    /* accel=on: the host objects the guest's tables became. */
    struct SMMUNest *nest;

    /* Host devices; host.width is the width IDR1.SSIDSIZE advertises. */
    VIOMMUHostDevices host;
} SMMUv3State;

/* Registers the "arm-smmuv3" type (system/init.c). */
void smmuv3_register_types(void);

/* The first realized arm-smmuv3 of the running machine, or NULL. */
SMMUv3State *smmuv3_find(void);

/* The QMP x-query-viommu entry for @s (a new JSON object). */
JsonNode *smmuv3_query(SMMUv3State *s);

#endif

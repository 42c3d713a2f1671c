/*
 * arm-smmuv3: the Arm SMMUv3 vIOMMU of the virt machine.
 *
 * A bus-less device realized before every PCI device, serving the root
 * bus named by primary-bus (pcie.0).  Its registers sit at QEMU's virt
 * SMMU base (0x09050000, 128 KiB: page 0 and its page-1 alias) and read
 * as QEMU's emulated SMMUv3.  With accel=on, vfio-pci devices over
 * iommufd may sit behind it: the first accepted device fixes the
 * vIOMMU's view of the host SMMUv3 and, with ssidsize=auto, the
 * SubstreamID (PASID) width it advertises in IDR1.SSIDSIZE; every later
 * device is checked (see docs/system/arm-smmuv3-accel.md).
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

/* "ssidsize" property: 0..20 bits, or this value for "auto". */
#define SMMU_SSIDSIZE_AUTO      (-1)
#define SMMU_SSID_MAX_BITS      20

/* Registers the device keeps (see smmuv3-internal.h for the layout). */
#define SMMU_NUM_REGS           40

/*
 * The host SMMUv3 as the first accepted device described it (which
 * device: host.view_device).
 */
typedef struct SMMUv3HostView {
    uint32_t idr[6];
} SMMUv3HostView;

typedef struct SMMUv3State {
    DeviceState parent_obj;

    /* Properties, as QEMU names them. */
    char *primary_bus;
    bool accel;
    int32_t ssidsize;           /* 0..255 as given, or SMMU_SSIDSIZE_AUTO */
    bool ril;
    bool ats;
    uint8_t oas;                /* output address size in bits: 44 or 48 */

    /* Decided at realize. */
    PCIBus *bus;
    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;

    /* Registers. */
    MemoryRegion mmio;
    uint64_t regs[SMMU_NUM_REGS];   /* indexed by the register table */
    uint64_t cmds_consumed;         /* commands completed, for queries */

    /*
     * Host devices and what the first one fixed; host.width is the
     * SubstreamID width IDR1.SSIDSIZE advertises.
     */
    VIOMMUHostDevices host;
    SMMUv3HostView view;
    Notifier init_done;
    bool init_done_registered;
} SMMUv3State;

/* Registers the "arm-smmuv3" type (system/init.c). */
void smmuv3_register_types(void);

/* The realized arm-smmuv3 of the running machine, or NULL. */
SMMUv3State *smmuv3_find(void);

/* The QMP x-query-viommu entry for @s (a new JSON object). */
JsonNode *smmuv3_query(SMMUv3State *s);

#endif

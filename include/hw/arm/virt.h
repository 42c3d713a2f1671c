/*
 * The Arm "virt" machine, as far as device assignment needs it: guest RAM
 * at 1 GiB, QEMU's high ECAM window (256 buses at 0x4010000000, always
 * on, as QEMU's highmem-ecam default), root bus "pcie.0" with the generic
 * PCIe host bridge function 00:00.0 (1b36:0008), and the slot where a
 * user-created arm-smmuv3 maps its registers.  No port I/O: every config
 * access goes through ECAM.  The addresses are QEMU's hw/arm/virt.c memmap.
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include "hw/core/machine.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie_host.h"

#define TYPE_VIRT_MACHINE       "virt-machine"
#define TYPE_GPEX_ROOT_DEVICE   "gpex-root"

#define VIRT_MEM_BASE           0x40000000ULL
#define VIRT_HIGH_PCIE_ECAM_BASE 0x4010000000ULL
#define VIRT_HIGH_PCIE_ECAM_SIZE (256ULL << 20)
#define VIRT_SMMU_BASE          0x09050000ULL
#define VIRT_SMMU_SIZE          0x20000ULL
/* Where the second and later vSMMUs go: QEMU's platform bus window. */
#define VIRT_PLATFORM_BUS_BASE  0x0c000000ULL
#define VIRT_PLATFORM_BUS_SIZE  0x02000000ULL

/* QEMU's device ID for the generic PCIe host bridge function. */
#define PCI_DEVICE_ID_REDHAT_PCIE_HOST 0x0008

typedef struct VirtMachineState {
    MachineState parent_obj;
    PCIBus pcie0;
    PCIExpressHost pcie_host;
} VirtMachineState;

#define VIRT_MACHINE(o) OBJECT_CHECK(VirtMachineState, (o), TYPE_VIRT_MACHINE)

/* Registers the virt machine and its host bridge function type. */
void virt_register_types(void);

/* True if @ms is a virt machine (vIOMMUs that only exist there ask). */
bool virt_machine_is(MachineState *ms);

#endif

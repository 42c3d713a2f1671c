/*
 * ECAM (PCI Express enhanced configuration access): a memory window where
 * bus << 20 | devfn << 12 | register addresses every function's 4 KiB
 * config space.  q35 moves it where PCIEXBAR says; Arm virt will map it
 * at a fixed address.
 */
#ifndef HW_PCI_PCIE_HOST_H
#define HW_PCI_PCIE_HOST_H

#include "hw/pci/pci.h"
#include "system/memory.h"

#define PCIE_MMCFG_BUS_SHIFT    20
#define PCIE_MMCFG_SIZE_MIN     (1ULL << PCIE_MMCFG_BUS_SHIFT)
#define PCIE_MMCFG_SIZE_MAX     (1ULL << 28)

typedef struct PCIExpressHost {
    MemoryRegion mmio;
    PCIBus *bus;                /* root bus the window decodes to */
    AddressSpace *as;           /* where it is mapped */
    bool mapped;
} PCIExpressHost;

/* Prepare an unmapped window for @bus in @as. */
void pcie_host_mmcfg_init(PCIExpressHost *e, const char *name, PCIBus *bus,
                          AddressSpace *as);
/*
 * Map the window at @base with @size bytes (one MiB per bus) when
 * @enable, unmap it otherwise.
 */
void pcie_host_mmcfg_update(PCIExpressHost *e, bool enable, hwaddr base,
                            uint64_t size);
/* Unmap; nothing to free. */
void pcie_host_mmcfg_cleanup(PCIExpressHost *e);

#endif

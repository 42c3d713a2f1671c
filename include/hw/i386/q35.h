/*
 * The q35 machine: Intel Q35 MCH (host bridge 00:00.0, 8086:29c0) with
 * PCIEXBAR-placed ECAM, legacy 0xCF8/0xCFC config access, and the ICH9
 * functions QEMU always creates (LPC 00:1f.0, SATA 00:1f.2, SMBus
 * 00:1f.3) as plain config-space devices.
 */
#ifndef HW_I386_Q35_H
#define HW_I386_Q35_H

#include "hw/core/machine.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie_host.h"

#define TYPE_Q35_MACHINE        "q35-machine"
#define TYPE_MCH_PCI_DEVICE     "mch"
#define TYPE_ICH9_LPC           "ICH9-LPC"
#define TYPE_ICH9_AHCI          "ich9-ahci"
#define TYPE_ICH9_SMB           "ICH9-SMB"

/* PCIEXBAR: MCH config 0x60, 64 bits (Intel 3 Series MCH datasheet). */
#define MCH_HOST_BRIDGE_PCIEXBAR            0x60
#define MCH_HOST_BRIDGE_PCIEXBAR_SIZE       8
#define MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT    0xb0000000ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_ADMSK      0x0000000ff0000000ULL  /* 35:28 */
#define MCH_HOST_BRIDGE_PCIEXBAR_128ADMSK   (1ULL << 27)
#define MCH_HOST_BRIDGE_PCIEXBAR_64ADMSK    (1ULL << 26)
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK (3ULL << 1)
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M (0ULL << 1)
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_128M (1ULL << 1)
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_64M (2ULL << 1)
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_RVD (3ULL << 1)
#define MCH_HOST_BRIDGE_PCIEXBAREN          1ULL
/* The bits the guest may write; the rest are reserved, read as zero. */
#define MCH_HOST_BRIDGE_PCIEXBAR_WMASK \
    (MCH_HOST_BRIDGE_PCIEXBAR_ADMSK | MCH_HOST_BRIDGE_PCIEXBAR_128ADMSK | \
     MCH_HOST_BRIDGE_PCIEXBAR_64ADMSK | \
     MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK | MCH_HOST_BRIDGE_PCIEXBAREN)

/*
 * SMM registers (Intel 3 Series MCH datasheet; QEMU's values and lock
 * rules): SMRAM 0x9d, ESMRAMC 0x9e, QEMU's extended TSEG size 0x50 and
 * SMRAM-at-SMBASE negotiation 0x9c (hw/i386/q35-smram.c).
 */
#define MCH_HOST_BRIDGE_SMRAM                   0x9d
#define MCH_HOST_BRIDGE_SMRAM_D_OPEN            0x40
#define MCH_HOST_BRIDGE_SMRAM_D_CLS             0x20
#define MCH_HOST_BRIDGE_SMRAM_D_LCK             0x10
#define MCH_HOST_BRIDGE_SMRAM_G_SMRAME          0x08
#define MCH_HOST_BRIDGE_SMRAM_C_BASE_SEG        0x02    /* hardwired b010 */
#define MCH_HOST_BRIDGE_SMRAM_DEFAULT           MCH_HOST_BRIDGE_SMRAM_C_BASE_SEG
#define MCH_HOST_BRIDGE_SMRAM_WMASK \
    (MCH_HOST_BRIDGE_SMRAM_D_OPEN | MCH_HOST_BRIDGE_SMRAM_D_CLS | \
     MCH_HOST_BRIDGE_SMRAM_D_LCK | MCH_HOST_BRIDGE_SMRAM_G_SMRAME)
#define MCH_HOST_BRIDGE_SMRAM_WMASK_LCK         MCH_HOST_BRIDGE_SMRAM_D_CLS
#define MCH_HOST_BRIDGE_ESMRAMC                 0x9e
#define MCH_HOST_BRIDGE_ESMRAMC_H_SMRAME        0x80
#define MCH_HOST_BRIDGE_ESMRAMC_SM_CACHE        0x20
#define MCH_HOST_BRIDGE_ESMRAMC_SM_L1           0x10
#define MCH_HOST_BRIDGE_ESMRAMC_SM_L2           0x08
#define MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_MASK    0x06    /* 1, 2, 8 MiB, ext */
#define MCH_HOST_BRIDGE_ESMRAMC_T_EN            0x01
#define MCH_HOST_BRIDGE_ESMRAMC_DEFAULT \
    (MCH_HOST_BRIDGE_ESMRAMC_SM_CACHE | MCH_HOST_BRIDGE_ESMRAMC_SM_L1 | \
     MCH_HOST_BRIDGE_ESMRAMC_SM_L2)
#define MCH_HOST_BRIDGE_ESMRAMC_WMASK \
    (MCH_HOST_BRIDGE_ESMRAMC_H_SMRAME | MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_MASK | \
     MCH_HOST_BRIDGE_ESMRAMC_T_EN)
#define MCH_HOST_BRIDGE_ESMRAMC_WMASK_LCK       0
#define MCH_HOST_BRIDGE_EXT_TSEG_MBYTES         0x50
#define MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY   0xffff
#define MCH_EXT_TSEG_MBYTES_DEFAULT             64      /* current machines */
#define MCH_HOST_BRIDGE_F_SMBASE                0x9c
#define MCH_HOST_BRIDGE_F_SMBASE_QUERY          0xff
#define MCH_HOST_BRIDGE_F_SMBASE_IN_RAM         0x01
#define MCH_HOST_BRIDGE_F_SMBASE_LCK            0x02

/* The SMM registers' reset values and write side effects. */
void mch_smram_reset(PCIDevice *pdev);
void mch_smram_config_written(PCIDevice *pdev, uint32_t addr, int len);

/* Legacy configuration mechanism #1. */
#define Q35_CONFIG_ADDR_PORT    0xcf8
#define Q35_CONFIG_DATA_PORT    0xcfc
#define Q35_CONFIG_ADDR_ENABLE  0x80000000u

/* Guest RAM split (as QEMU's q35): below 2 GiB or 2.75 GiB, rest at 4 GiB. */
#define Q35_LOWMEM_LARGE        0x80000000ULL
#define Q35_LOWMEM_SMALL        0xb0000000ULL
#define Q35_ABOVE_4G_BASE       0x100000000ULL

typedef struct Q35MachineState {
    MachineState parent_obj;
    PCIBus pcie0;
    PCIExpressHost pcie_host;
    MemoryRegion ram_above_4g;      /* size 0 when everything fits below */
    MemoryRegion conf_addr;
    MemoryRegion conf_data;
    uint32_t config_reg;
    uint64_t below_4g_mem_size;
    uint64_t above_4g_mem_size;
} Q35MachineState;

#define Q35_MACHINE(o) OBJECT_CHECK(Q35MachineState, (o), TYPE_Q35_MACHINE)

/* Registers the q35 machine, the MCH and the ICH9 function types. */
void q35_register_types(void);

#endif

/*
 * PCI and PCI Express configuration-space register layout.
 *
 * Facts from the PCI Local Bus and PCI Express Base specifications, named
 * as Linux's uapi/linux/pci_regs.h names them so a reader can cross-check
 * against a guest driver.  Offsets inside a capability are relative to
 * the capability's start.
 */
#ifndef HW_PCI_PCI_REGS_H
#define HW_PCI_PCI_REGS_H

/* Type 0 / type 1 common header. */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x0001
#define  PCI_COMMAND_MEMORY     0x0002
#define  PCI_COMMAND_MASTER     0x0004
#define  PCI_COMMAND_SPECIAL    0x0008
#define  PCI_COMMAND_INVALIDATE 0x0010
#define  PCI_COMMAND_VGA_PALETTE 0x0020
#define  PCI_COMMAND_PARITY     0x0040
#define  PCI_COMMAND_WAIT       0x0080
#define  PCI_COMMAND_SERR       0x0100
#define  PCI_COMMAND_FAST_BACK  0x0200
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x0008
#define  PCI_STATUS_CAP_LIST    0x0010
#define  PCI_STATUS_66MHZ       0x0020
#define  PCI_STATUS_FAST_BACK   0x0080
#define  PCI_STATUS_PARITY      0x0100
#define  PCI_STATUS_DEVSEL_MASK 0x0600
#define  PCI_STATUS_SIG_TARGET_ABORT 0x0800
#define  PCI_STATUS_REC_TARGET_ABORT 0x1000
#define  PCI_STATUS_REC_MASTER_ABORT 0x2000
#define  PCI_STATUS_SIG_SYSTEM_ERROR 0x4000
#define  PCI_STATUS_DETECTED_PARITY  0x8000
#define PCI_CLASS_REVISION      0x08
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define  PCI_HEADER_TYPE_MASK   0x7f
#define  PCI_HEADER_TYPE_NORMAL 0
#define  PCI_HEADER_TYPE_BRIDGE 1
#define  PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_BIST                0x0f
#define PCI_BASE_ADDRESS_0      0x10
#define PCI_BASE_ADDRESS_1      0x14
#define PCI_BASE_ADDRESS_2      0x18
#define PCI_BASE_ADDRESS_3      0x1c
#define PCI_BASE_ADDRESS_4      0x20
#define PCI_BASE_ADDRESS_5      0x24
#define  PCI_BASE_ADDRESS_SPACE_IO     0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64  0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_CARDBUS_CIS         0x28
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_MIN_GNT             0x3e
#define PCI_MAX_LAT             0x3f
#define PCI_STD_HEADER_SIZEOF   0x40

/* Type 1 (bridge) header. */
#define PCI_PRIMARY_BUS         0x18
#define PCI_SECONDARY_BUS       0x19
#define PCI_SUBORDINATE_BUS     0x1a
#define PCI_SEC_LATENCY_TIMER   0x1b
#define PCI_IO_BASE             0x1c
#define PCI_IO_LIMIT            0x1d
#define  PCI_IO_RANGE_TYPE_MASK 0x0f
#define  PCI_IO_RANGE_TYPE_32   0x01
#define  PCI_IO_RANGE_MASK      (~0x0fUL)
#define PCI_SEC_STATUS          0x1e
#define PCI_MEMORY_BASE         0x20
#define PCI_MEMORY_LIMIT        0x22
#define  PCI_MEMORY_RANGE_MASK  (~0x0fUL)
#define PCI_PREF_MEMORY_BASE    0x24
#define PCI_PREF_MEMORY_LIMIT   0x26
#define  PCI_PREF_RANGE_TYPE_64 0x01
#define  PCI_PREF_RANGE_MASK    (~0x0fUL)
#define PCI_PREF_BASE_UPPER32   0x28
#define PCI_PREF_LIMIT_UPPER32  0x2c
#define PCI_IO_BASE_UPPER16     0x30
#define PCI_IO_LIMIT_UPPER16    0x32
#define PCI_ROM_ADDRESS1        0x38
#define PCI_BRIDGE_CONTROL      0x3e
#define  PCI_BRIDGE_CTL_PARITY  0x01
#define  PCI_BRIDGE_CTL_SERR    0x02
#define  PCI_BRIDGE_CTL_ISA     0x04
#define  PCI_BRIDGE_CTL_VGA     0x08
#define  PCI_BRIDGE_CTL_VGA_16BIT 0x10
#define  PCI_BRIDGE_CTL_MASTER_ABORT 0x20
#define  PCI_BRIDGE_CTL_BUS_RESET 0x40

/* Standard capability list. */
#define PCI_CAP_LIST_ID         0
#define PCI_CAP_LIST_NEXT       1
#define PCI_CAP_FLAGS           2
#define PCI_CAP_SIZEOF          4
#define PCI_CAP_ID_PM           0x01
#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_VNDR         0x09
#define PCI_CAP_ID_SSVID        0x0d
#define PCI_CAP_ID_EXP          0x10
#define PCI_CAP_ID_MSIX         0x11
#define PCI_CAP_ID_SATA         0x12
#define PCI_CAP_ID_AF           0x13
#define PCI_CAP_ID_MAX          PCI_CAP_ID_AF

/* Bridge subsystem vendor ID capability. */
#define PCI_SSVID_VENDOR_ID     4
#define PCI_SSVID_DEVICE_ID     6
#define PCI_SSVID_SIZEOF        8

/* PCI Express capability (ID 0x10). */
#define PCI_EXP_FLAGS           0x02
#define  PCI_EXP_FLAGS_VERS     0x000f
#define  PCI_EXP_FLAGS_TYPE     0x00f0
#define  PCI_EXP_FLAGS_SLOT     0x0100
#define  PCI_EXP_FLAGS_IRQ      0x3e00
#define PCI_EXP_TYPE_ENDPOINT   0x0
#define PCI_EXP_TYPE_LEG_END    0x1
#define PCI_EXP_TYPE_ROOT_PORT  0x4
#define PCI_EXP_TYPE_UPSTREAM   0x5
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_PCI_BRIDGE 0x7
#define PCI_EXP_TYPE_RC_END     0x9
#define PCI_EXP_TYPE_RC_EC      0xa
#define PCI_EXP_DEVCAP          0x04
#define  PCI_EXP_DEVCAP_PAYLOAD 0x00000007
#define  PCI_EXP_DEVCAP_RBER    0x00008000
#define  PCI_EXP_DEVCAP_FLR     0x10000000
#define PCI_EXP_DEVCTL          0x08
#define  PCI_EXP_DEVCTL_CERE    0x0001
#define  PCI_EXP_DEVCTL_NFERE   0x0002
#define  PCI_EXP_DEVCTL_FERE    0x0004
#define  PCI_EXP_DEVCTL_URRE    0x0008
#define  PCI_EXP_DEVCTL_RELAX_EN 0x0010
#define  PCI_EXP_DEVCTL_PAYLOAD 0x00e0
#define  PCI_EXP_DEVCTL_EXT_TAG 0x0100
#define  PCI_EXP_DEVCTL_NOSNOOP_EN 0x0800
#define  PCI_EXP_DEVCTL_READRQ  0x7000
#define  PCI_EXP_DEVCTL_BCR_FLR 0x8000
#define PCI_EXP_DEVSTA          0x0a
#define  PCI_EXP_DEVSTA_CED     0x0001
#define  PCI_EXP_DEVSTA_NFED    0x0002
#define  PCI_EXP_DEVSTA_FED     0x0004
#define  PCI_EXP_DEVSTA_URD     0x0008
#define PCI_EXP_LNKCAP          0x0c
#define  PCI_EXP_LNKCAP_SLS     0x0000000f
#define  PCI_EXP_LNKCAP_SLS_2_5GB 0x00000001
#define  PCI_EXP_LNKCAP_MLW     0x000003f0
#define  PCI_EXP_LNKCAP_DLLLARC 0x00100000
#define  PCI_EXP_LNKCAP_PN      0xff000000
#define PCI_EXP_LNKCTL          0x10
#define  PCI_EXP_LNKCTL_ASPMC   0x0003
#define  PCI_EXP_LNKCTL_RCB     0x0008
#define  PCI_EXP_LNKCTL_CCC     0x0040
#define  PCI_EXP_LNKCTL_ES      0x0080
#define PCI_EXP_LNKSTA          0x12
#define  PCI_EXP_LNKSTA_CLS     0x000f
#define  PCI_EXP_LNKSTA_NLW     0x03f0
#define  PCI_EXP_LNKSTA_NLW_SHIFT 4
#define  PCI_EXP_LNKSTA_DLLLA   0x2000
#define PCI_EXP_SLTCAP          0x14
#define  PCI_EXP_SLTCAP_ABP     0x00000001
#define  PCI_EXP_SLTCAP_PCP     0x00000002
#define  PCI_EXP_SLTCAP_MRLSP   0x00000004
#define  PCI_EXP_SLTCAP_AIP     0x00000008
#define  PCI_EXP_SLTCAP_PIP     0x00000010
#define  PCI_EXP_SLTCAP_HPS     0x00000020
#define  PCI_EXP_SLTCAP_HPC     0x00000040
#define  PCI_EXP_SLTCAP_SPLV    0x00007f80
#define  PCI_EXP_SLTCAP_SPLS    0x00018000
#define  PCI_EXP_SLTCAP_EIP     0x00020000
#define  PCI_EXP_SLTCAP_NCCS    0x00040000
#define  PCI_EXP_SLTCAP_PSN     0xfff80000
#define  PCI_EXP_SLTCAP_PSN_SHIFT 19
#define PCI_EXP_SLTCTL          0x18
#define  PCI_EXP_SLTCTL_ABPE    0x0001
#define  PCI_EXP_SLTCTL_PFDE    0x0002
#define  PCI_EXP_SLTCTL_MRLSCE  0x0004
#define  PCI_EXP_SLTCTL_PDCE    0x0008
#define  PCI_EXP_SLTCTL_CCIE    0x0010
#define  PCI_EXP_SLTCTL_HPIE    0x0020
#define  PCI_EXP_SLTCTL_AIC     0x00c0
#define  PCI_EXP_SLTCTL_ATTN_IND_OFF 0x00c0
#define  PCI_EXP_SLTCTL_PIC     0x0300
#define  PCI_EXP_SLTCTL_PWR_IND_ON 0x0100
#define  PCI_EXP_SLTCTL_PCC     0x0400
#define  PCI_EXP_SLTCTL_EIC     0x0800
#define  PCI_EXP_SLTCTL_DLLSCE  0x1000
#define PCI_EXP_SLTSTA          0x1a
#define  PCI_EXP_SLTSTA_ABP     0x0001
#define  PCI_EXP_SLTSTA_PFD     0x0002
#define  PCI_EXP_SLTSTA_MRLSC   0x0004
#define  PCI_EXP_SLTSTA_PDC     0x0008
#define  PCI_EXP_SLTSTA_CC      0x0010
#define  PCI_EXP_SLTSTA_MRLSS   0x0020
#define  PCI_EXP_SLTSTA_PDS     0x0040
#define  PCI_EXP_SLTSTA_EIS     0x0080
#define  PCI_EXP_SLTSTA_DLLSC   0x0100
#define PCI_EXP_RTCTL           0x1c
#define  PCI_EXP_RTCTL_SECEE    0x0001
#define  PCI_EXP_RTCTL_SENFEE   0x0002
#define  PCI_EXP_RTCTL_SEFEE    0x0004
#define  PCI_EXP_RTCTL_PMEIE    0x0008
#define  PCI_EXP_RTCTL_CRSSVE   0x0010
#define PCI_EXP_RTCAP           0x1e
#define PCI_EXP_RTSTA           0x20
#define  PCI_EXP_RTSTA_PME      0x00010000
#define PCI_EXP_DEVCAP2         0x24
#define  PCI_EXP_DEVCAP2_COMP_TMOUT_DIS 0x00000010
#define  PCI_EXP_DEVCAP2_ARI    0x00000020
#define  PCI_EXP_DEVCAP2_ATOMIC_ROUTE 0x00000040
#define  PCI_EXP_DEVCAP2_LTR    0x00000800
#define  PCI_EXP_DEVCAP2_EE_PREFIX 0x00200000
#define  PCI_EXP_DEVCAP2_EE_PREFIX_MAX 0x00c00000
#define  PCI_EXP_DEVCAP2_EE_PREFIX_MAX_SHIFT 22
#define PCI_EXP_DEVCTL2         0x28
#define  PCI_EXP_DEVCTL2_COMP_TIMEOUT 0x000f
#define  PCI_EXP_DEVCTL2_COMP_TMOUT_DIS 0x0010
#define  PCI_EXP_DEVCTL2_ARI    0x0020
#define  PCI_EXP_DEVCTL2_LTR_EN 0x0400
#define  PCI_EXP_DEVCTL2_EE_PREFIX_BLOCK 0x8000
#define PCI_EXP_DEVSTA2         0x2a
#define PCI_EXP_LNKCAP2         0x2c
#define  PCI_EXP_LNKCAP2_SLS_2_5GB 0x00000002
#define PCI_EXP_LNKCTL2         0x30
#define  PCI_EXP_LNKCTL2_TLS    0x000f
#define  PCI_EXP_LNKCTL2_TLS_2_5GT 0x0001
#define PCI_EXP_LNKSTA2         0x32
#define PCI_EXP_SLTCAP2         0x34
#define PCI_EXP_SLTCTL2         0x38
#define PCI_EXP_SLTSTA2         0x3a
/* Version 2 capability, with the slot registers (all port types). */
#define PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 0x3c
#define PCI_CAP_EXP_RC_ENDPOINT_SIZEOF_V2 0x2c
#define PCI_EXP_CAP_SIZEOF      PCI_CAP_EXP_ENDPOINT_SIZEOF_V2

/* Extended capabilities (0x100..0xFFF). */
#define PCI_CFG_SPACE_SIZE      256
#define PCI_CFG_SPACE_EXP_SIZE  4096
#define PCI_EXT_CAP_ID(h)       ((h) & 0x0000ffff)
#define PCI_EXT_CAP_VER(h)      (((h) >> 16) & 0xf)
#define PCI_EXT_CAP_NEXT(h)     (((h) >> 20) & 0xffc)
#define PCI_EXT_CAP_HEADER(id, ver, next) \
    ((uint32_t)(id) | ((uint32_t)(ver) << 16) | ((uint32_t)(next) << 20))
#define PCI_EXT_CAP_ID_ERR      0x01
#define PCI_EXT_CAP_ID_VC       0x02
#define PCI_EXT_CAP_ID_DSN      0x03
#define PCI_EXT_CAP_ID_PWR      0x04
#define PCI_EXT_CAP_ID_RCLD     0x05
#define PCI_EXT_CAP_ID_RCILC    0x06
#define PCI_EXT_CAP_ID_RCEC     0x07
#define PCI_EXT_CAP_ID_MFVC     0x08
#define PCI_EXT_CAP_ID_VC9      0x09
#define PCI_EXT_CAP_ID_RCRB     0x0a
#define PCI_EXT_CAP_ID_VNDR     0x0b
#define PCI_EXT_CAP_ID_CAC      0x0c
#define PCI_EXT_CAP_ID_ACS      0x0d
#define PCI_EXT_CAP_ID_ARI      0x0e
#define PCI_EXT_CAP_ID_ATS      0x0f
#define PCI_EXT_CAP_ID_SRIOV    0x10
#define PCI_EXT_CAP_ID_MRIOV    0x11
#define PCI_EXT_CAP_ID_MCAST    0x12
#define PCI_EXT_CAP_ID_PRI      0x13
#define PCI_EXT_CAP_ID_AMD_XXX  0x14
#define PCI_EXT_CAP_ID_REBAR    0x15
#define PCI_EXT_CAP_ID_DPA      0x16
#define PCI_EXT_CAP_ID_TPH      0x17
#define PCI_EXT_CAP_ID_LTR      0x18
#define PCI_EXT_CAP_ID_SECPCI   0x19
#define PCI_EXT_CAP_ID_PMUX     0x1a
#define PCI_EXT_CAP_ID_PASID    0x1b
#define PCI_EXT_CAP_ID_LNR      0x1c
#define PCI_EXT_CAP_ID_DPC      0x1d
#define PCI_EXT_CAP_ID_L1SS     0x1e
#define PCI_EXT_CAP_ID_PTM      0x1f
#define PCI_EXT_CAP_ID_RTR      0x22
#define PCI_EXT_CAP_ID_DVSEC    0x23
#define PCI_EXT_CAP_ID_VF_REBAR 0x24
#define PCI_EXT_CAP_ID_DLF      0x25
#define PCI_EXT_CAP_ID_PL_16GT  0x26
#define PCI_EXT_CAP_ID_LMR      0x27
#define PCI_EXT_CAP_ID_NPEM     0x29
#define PCI_EXT_CAP_ID_PL_32GT  0x2a
#define PCI_EXT_CAP_ID_DOE      0x2e
#define PCI_EXT_CAP_ID_DEV3     0x2f
#define PCI_EXT_CAP_ID_PL_64GT  0x31
#define PCI_EXT_CAP_ID_MAX      PCI_EXT_CAP_ID_PL_64GT
#define PCI_EXT_CAP_DSN_SIZEOF  12
#define PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF 40

/* Advanced Error Reporting. */
#define PCI_ERR_UNCOR_STATUS    0x04
#define PCI_ERR_UNCOR_MASK      0x08
#define PCI_ERR_UNCOR_SEVER     0x0c
#define PCI_ERR_COR_STATUS      0x10
#define PCI_ERR_COR_MASK        0x14
#define PCI_ERR_CAP             0x18
#define PCI_ERR_HEADER_LOG      0x1c
#define PCI_ERR_ROOT_COMMAND    0x2c
#define PCI_ERR_ROOT_STATUS     0x30
#define PCI_ERR_ROOT_ERR_SRC    0x34
#define PCI_ERR_TLP_PREFIX_LOG  0x38
#define PCI_ERR_SIZEOF          0x48
#define PCI_ERR_UNC_SUPPORTED   0x03fff030u
#define PCI_ERR_UNC_SEVERITY_DEFAULT 0x00462030u
#define PCI_ERR_COR_SUPPORTED   0x0000f1c1u
#define PCI_ERR_COR_MASK_DEFAULT 0x00006000u
#define PCI_ERR_ROOT_CMD_EN_MASK 0x00000007u
#define PCI_ERR_ROOT_STATUS_W1C 0x0000007fu

/* Access Control Services. */
#define PCI_ACS_CAP             0x04
#define  PCI_ACS_SV             0x0001
#define  PCI_ACS_TB             0x0002
#define  PCI_ACS_RR             0x0004
#define  PCI_ACS_CR             0x0008
#define  PCI_ACS_UF             0x0010
#define  PCI_ACS_EC             0x0020
#define  PCI_ACS_DT             0x0040
#define PCI_ACS_CTRL            0x06
#define PCI_ACS_EGRESS_CTL_V    0x08
#define PCI_ACS_SIZEOF          8

/* Alternative Routing-ID Interpretation. */
#define PCI_ARI_CAP             0x04
#define PCI_ARI_CTRL            0x06
#define PCI_EXT_CAP_ARI_SIZEOF  8

/* Address Translation Services. */
#define PCI_ATS_CAP             0x04
#define PCI_ATS_CTRL            0x06
#define PCI_EXT_CAP_ATS_SIZEOF  8

/* Page Request Interface. */
#define PCI_EXT_CAP_PRI_SIZEOF  16

/* Process Address Space ID. */
#define PCI_PASID_CAP           0x04
#define  PCI_PASID_CAP_EXEC     0x0002
#define  PCI_PASID_CAP_PRIV     0x0004
#define  PCI_PASID_CAP_WIDTH    0x1f00
#define  PCI_PASID_CAP_WIDTH_SHIFT 8
#define PCI_PASID_CTRL          0x06
#define  PCI_PASID_CTRL_ENABLE  0x0001
#define  PCI_PASID_CTRL_EXEC    0x0002
#define  PCI_PASID_CTRL_PRIV    0x0004
#define PCI_EXT_CAP_PASID_SIZEOF 8

/* Single Root I/O Virtualization. */
#define PCI_SRIOV_SIZEOF        0x40

/* Latency Tolerance Reporting, L1 PM Substates, PTM, DPC, sec. PCIe. */
#define PCI_EXT_CAP_LTR_SIZEOF  8
#define PCI_EXT_CAP_L1SS_SIZEOF 16
#define PCI_EXT_CAP_PTM_SIZEOF  12
#define PCI_EXT_CAP_DPC_SIZEOF  0x44    /* with the RP PIO registers */
#define PCI_EXT_CAP_DLF_SIZEOF  12
#define PCI_EXT_CAP_LNR_SIZEOF  8
#define PCI_EXT_CAP_RTR_SIZEOF  12
#define PCI_EXT_CAP_NPEM_SIZEOF 16
#define PCI_EXT_CAP_DOE_SIZEOF  0x18    /* up to the read data mailbox */
#define PCI_EXT_CAP_DEV3_SIZEOF 16

/* Lane-dependent layouts: a fixed part, then per-lane registers. */
#define PCI_LMR_LANE_CTRL       0x08    /* 4 bytes a lane: control, status */
#define PCI_PL_GT_LE_CTRL       0x20    /* 16/32/64 GT/s: 1 byte a lane */

/* Vendor-specific extended capability: length in bits 31:20 of +4. */
#define PCI_VNDR_HEADER         4
#define PCI_VNDR_HEADER_LEN(x)  (((x) >> 20) & 0xfff)

/* Vendor and device IDs this project uses. */
#define PCI_VENDOR_ID_INTEL     0x8086
#define PCI_VENDOR_ID_REDHAT    0x1b36
#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU   0x1100
#define PCI_DEVICE_ID_INTEL_P35_MCH 0x29c0
#define PCI_DEVICE_ID_INTEL_ICH9_8  0x2918
#define PCI_DEVICE_ID_INTEL_82801IR 0x2922
#define PCI_DEVICE_ID_INTEL_ICH9_6  0x2930
#define PCI_DEVICE_ID_REDHAT_PCIE_RP 0x000c
#define PCI_DEVICE_ID_REDHAT_PXB_PCIE 0x000b

/* Class codes (class << 8 | subclass). */
#define PCI_CLASS_STORAGE_SATA  0x0106
#define PCI_CLASS_STORAGE_SATA_AHCI 0x010601
#define PCI_CLASS_BRIDGE_HOST   0x0600
#define PCI_CLASS_BRIDGE_ISA    0x0601
#define PCI_CLASS_BRIDGE_PCI    0x0604
#define PCI_CLASS_SERIAL_SMBUS  0x0c05
#define PCI_CLASS_OTHERS        0xff

#endif

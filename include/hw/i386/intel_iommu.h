/*
 * intel-iommu: the Intel VT-d vIOMMU of the q35 machine.
 *
 * A bus-less device realized before every PCI device.  Its registers sit
 * at 0xFED90000 in system memory; it serves every device below the
 * machine's root bus (pci_setup_iommu()).  Pass-through devices hand it
 * their host IOMMU information (set_iommu_device) and are checked
 * against what it advertises; pasid=auto is resolved at
 * machine-init-done from every cold-plugged device (see
 * docs/system/intel-iommu-pasid.md).
 */
#ifndef HW_I386_INTEL_IOMMU_H
#define HW_I386_INTEL_IOMMU_H

#include "hw/core/machine.h"
#include "hw/core/qdev.h"
#include "hw/pci/pci-iommu.h"
#include "hw/pci/viommu-host.h"
#include "system/memory.h"

#define TYPE_INTEL_IOMMU_DEVICE "intel-iommu"
#define INTEL_IOMMU_DEVICE(o) \
    OBJECT_CHECK(IntelIOMMUState, (o), TYPE_INTEL_IOMMU_DEVICE)

#define Q35_HOST_BRIDGE_IOMMU_ADDR  0xfed90000ULL

/* "pasid" property: 0 = off, 1..20 bits, or this value for "auto". */
#define VTD_PASID_AUTO          (-1)
#define VTD_PASID_MAX_WIDTH     20
/* The width QEMU's x-pasid-mode=on stands for. */
#define VTD_PASID_LEGACY_WIDTH  8

#define VTD_HOST_AW_39BIT       39
#define VTD_HOST_AW_48BIT       48

/* Bytes of register state (through the one fault recording register). */
#define VTD_REG_SIZE            0x230

typedef struct IntelIOMMUState {
    DeviceState parent_obj;

    /* Properties, QEMU's names in comments where they differ. */
    bool scalable_mode;         /* x-scalable-mode */
    bool x_pasid_mode;          /* x-pasid-mode: pasid=8 */
    int32_t pasid;              /* pasid: 0, 1..20 or VTD_PASID_AUTO */
    bool caching_mode;
    uint8_t aw_bits;
    bool flts;                  /* x-flts */
    bool fs1gp;
    bool dma_drain;
    bool dma_translation;
    bool snoop_control;
    bool device_iotlb;
    bool pt;
    bool svm;
    bool stale_tm;
    int intremap;               /* OnOffAuto */
    int eim;                    /* OnOffAuto */

    /* Decided at realize. */
    bool intr_enabled;
    bool eim_enabled;
    uint64_t cap;
    uint64_t ecap;

    /* Registers. */
    MemoryRegion mmio;
    uint8_t csr[VTD_REG_SIZE];
    uint8_t wmask[VTD_REG_SIZE];       /* writable bits */
    uint8_t w1cmask[VTD_REG_SIZE];     /* write-1-to-clear bits */
    uint8_t womask[VTD_REG_SIZE];      /* write-only bits, read as 0 */
    uint64_t root;              /* latched by SRTP */
    bool root_scalable;
    uint64_t intr_root;         /* latched by SIRTP */
    uint64_t iq_base;           /* latched when QI is enabled */
    uint32_t iq_size;           /* bytes */
    bool iq_dw;                 /* 256-bit descriptors */
    uint64_t qi_descs;          /* descriptors processed, for queries */
    uint64_t faults;            /* faults recorded (or overflowed) */
    /* x-flts=on: host objects made from the guest's tables. */
    struct VTDNest *nest;

    /* Host devices; host.width is the width ECAP.PASID/PSS advertise. */
    VIOMMUHostDevices host;
} IntelIOMMUState;

/* Registers the "intel-iommu" type (system/init.c). */
void intel_iommu_register_types(void);
/* The realized intel-iommu of the running machine, or NULL. */
IntelIOMMUState *intel_iommu_find(void);

/* Advertised CAP / ECAP, as the guest reads them. */
uint64_t intel_iommu_get_cap(const IntelIOMMUState *s);
uint64_t intel_iommu_get_ecap(const IntelIOMMUState *s);

/* The QMP x-query-viommu entry for @s (a new JSON object). */
JsonNode *intel_iommu_query(IntelIOMMUState *s);

#endif

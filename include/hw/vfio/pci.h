/*
 * vfio-pci: a host PCI function assigned to the guest over iommufd.
 *
 * The guest-visible config space is pdev->config with a per-bit
 * "emulated" mask: emulated bits are served from config[] and written
 * there through wmask/w1cmask; every other bit is read from and written
 * to the device's config region with pread/pwrite.  The capability
 * chains the guest sees are rebuilt from the host's, capability by
 * capability, from a descriptor table (hw/vfio/pci-config.c).
 */
#ifndef HW_VFIO_PCI_H
#define HW_VFIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/vfio/vfio-device.h"
#include "system/host_iommu_device.h"
#include "system/iommufd.h"

#define TYPE_VFIO_PCI "vfio-pci"

/* Where the PASID capability goes without x-vpasid-cap-offset (QEMU's). */
#define VFIO_PCI_PASID_DEFAULT_OFFSET 0xff8

typedef struct VFIOPCIDevice {
    PCIDevice pdev;
    /* properties */
    char *host;
    char *sysfsdev;
    char *fd_param;
    Object *iommufd_link;
    uint16_t vpasid_cap_offset; /* 0: the default */
    /* state */
    VFIODevice vbasedev;
    HostIOMMUDevice hiod;
    unsigned steps_done;        /* realize steps that succeeded */
    uint64_t config_offset;     /* of the config region in the cdev fd */
    uint64_t config_size;
    uint8_t *host_config;       /* the config region, during realize */
    uint64_t bar_size[6];
    uint64_t rom_size;
    uint16_t pasid_cap;         /* synthesized PASID cap offset, 0: none */
    bool pasid_pending;         /* waits for the vIOMMU's "auto" width */
} VFIOPCIDevice;

#define VFIO_PCI(o) OBJECT_CHECK(VFIOPCIDevice, (o), TYPE_VFIO_PCI)

/* Registers the "vfio-pci" device type. */
void vfio_register_types(void);

/* Registers QMP x-query-vfio and HMP "info vfio". */
void vfio_monitor_register(void);

/* ---- hw/vfio/pci-config.c ---- */

/*
 * Read the device info, the config region and BAR/ROM sizes from the
 * host into vdev (no guest-visible change yet).
 */
bool vfio_pci_config_read(VFIOPCIDevice *vdev, Error **errp);
void vfio_pci_config_free(VFIOPCIDevice *vdev);
/*
 * Build the guest-visible config space from the host copy: header,
 * standard and extended capability chains (RCiEP on a root bus,
 * Endpoint below a port).  No host access.
 */
bool vfio_pci_config_build(VFIOPCIDevice *vdev, Error **errp);
/*
 * Set End-End TLP Prefix Supported (one prefix) in the PCIe capability's
 * DevCap2, so that a Linux guest's pci_enable_pasid() preconditions hold
 * (DESIGN §8).  Nothing without a PCIe capability.
 */
void vfio_pci_advertise_tlp_prefix(VFIOPCIDevice *vdev);
/* Guest config access (PCIDeviceClass overrides). */
uint32_t vfio_pci_read_config(PCIDevice *pdev, uint32_t addr, int len);
void vfio_pci_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                           int len);

/* ---- hw/vfio/pci-pasid.c ---- */

/*
 * Add the emulated PASID capability (DESIGN rule 2) when the host
 * reports a width and the vIOMMU delivers this device's PASIDs; nothing
 * otherwise.  Behind a vIOMMU whose width is still "auto", only check the
 * placement and wait for vfio_pci_pasid_resolved().  Fails only on a bad
 * placement ("vfio: Placing PASID capability at offset 0x%x failed: ...").
 */
bool vfio_pci_synthesize_pasid_cap(VFIOPCIDevice *vdev, Error **errp);
/* The vIOMMU resolved its width (machine-init-done): complete the cap. */
void vfio_pci_pasid_resolved(PCIDevice *pdev);

#endif

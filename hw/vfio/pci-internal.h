/*
 * vfio-pci internals shared by pci-config.c and pci-caps.c.
 */
#ifndef HW_VFIO_PCI_INTERNAL_H
#define HW_VFIO_PCI_INTERNAL_H

#include <string.h>

#include "hw/vfio/pci.h"

/* Mark @len bytes from @off as served from config[] (@bits) or not. */
static inline void emu_range(PCIDevice *pdev, unsigned off, unsigned len,
                      uint8_t bits)
{
    memset(pdev->emulated + off, bits, len);
}

/*
 * Rebuild the standard and extended capability chains from the host's,
 * each capability handled as its descriptor says.  config[] holds the
 * host header already.
 */
void vfio_pci_build_caps(VFIOPCIDevice *vdev);

#endif

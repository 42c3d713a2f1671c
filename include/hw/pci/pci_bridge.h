/*
 * PCI-to-PCI bridges (type 1 header) with a secondary bus.
 *
 * The secondary bus is named after the bridge's id (what bus= refers to)
 * and is reachable by config cycles only once the guest has programmed
 * the bridge's secondary/subordinate bus numbers, as on hardware.
 */
#ifndef HW_PCI_PCI_BRIDGE_H
#define HW_PCI_PCI_BRIDGE_H

#include "hw/pci/pci.h"

#define TYPE_PCI_BRIDGE "base-pci-bridge"

typedef struct PCIBridge {
    PCIDevice parent_obj;
    PCIBus sec_bus;
} PCIBridge;

#define PCI_BRIDGE(o) OBJECT_CHECK(PCIBridge, (o), TYPE_PCI_BRIDGE)

/*
 * For subclasses' realize: set up the type 1 header's masks and create
 * and register the secondary bus.  Cannot fail.
 */
void pci_bridge_initfn(PCIDevice *pdev);
/* For subclasses' exit: unregister and release the secondary bus. */
void pci_bridge_exitfn(PCIDevice *pdev);
/* Config writes of a bridge: the default, plus Secondary Bus Reset. */
void pci_bridge_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                             int len);
/* Forwarding window register values of @pdev (for query-pci). */
uint64_t pci_bridge_get_base(PCIDevice *pdev, int space);
uint64_t pci_bridge_get_limit(PCIDevice *pdev, int space);
#define PCI_BRIDGE_WINDOW_IO        0
#define PCI_BRIDGE_WINDOW_MEM       1
#define PCI_BRIDGE_WINDOW_PREF      2

/* ioh3420, pcie-pci-bridge, i82801b11-bridge (hw/pci/pci_bridge_dev.c). */
#define TYPE_IOH3420            "ioh3420"
#define TYPE_PCIE_PCI_BRIDGE    "pcie-pci-bridge"
#define TYPE_I82801B11_BRIDGE   "i82801b11-bridge"
/*
 * Whether a conventional PCI bridge (pcie-pci-bridge, i82801b11-bridge)
 * sits between @pdev and the root: its DMA then carries the bridge's
 * requester ID.
 */
bool pci_device_behind_pci_bridge(PCIDevice *pdev);

/* Registered by pci_register_types(). */
void pci_bridge_register_types(void);
void pci_bridge_dev_register_types(void);
void pcie_root_port_register_types(void);

#endif

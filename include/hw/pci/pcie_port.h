/*
 * pcie-root-port: a hot-plug capable PCI Express Root Port (1b36:000c).
 *
 * Its PCIe capability (type Root Port, slot implemented) advertises
 * End-End TLP Prefix support and ARI forwarding in DevCap2; an ACS
 * extended capability offers Source Validation, Translation Blocking,
 * Request Redirect, Completion Redirect and Upstream Forwarding, all
 * enabled by the guest through ACS Control.  Those are what a Linux
 * guest's pci_enable_pasid() checks on the path to the root.
 */
#ifndef HW_PCI_PCIE_PORT_H
#define HW_PCI_PCIE_PORT_H

#include "hw/pci/pci_bridge.h"

#define TYPE_PCIE_ROOT_PORT "pcie-root-port"

/* Where the root port's capabilities live, as in QEMU's. */
#define PCIE_ROOT_PORT_EXP_OFFSET   0x40
#define PCIE_ROOT_PORT_AER_OFFSET   0x100
#define PCIE_ROOT_PORT_ACS_OFFSET   0x148
#define PCIE_ROOT_PORT_ACS_CAPS \
    (PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

typedef struct PCIERootPort {
    PCIBridge parent_obj;
    uint8_t chassis;
    uint16_t slot;
    uint8_t port;
} PCIERootPort;

#define PCIE_ROOT_PORT(o) OBJECT_CHECK(PCIERootPort, (o), TYPE_PCIE_ROOT_PORT)

#endif

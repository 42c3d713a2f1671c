/*
 * PCI Express capability builders: the PCIe capability (ID 0x10) for
 * each port type, its slot registers, and the extended capabilities an
 * emulated port carries (AER, ACS).
 *
 * The generic extended-capability list helpers (add/find/size/name) are
 * declared in hw/pci/pci.h.
 */
#ifndef HW_PCI_PCIE_H
#define HW_PCI_PCIE_H

#include "hw/pci/pci.h"

/*
 * Add a version 2 PCIe capability of port type @type (PCI_EXP_TYPE_*) at
 * standard-config offset @offset (0 = first free spot) and record it in
 * pdev->exp_cap.  Endpoints and ports get x1 2.5 GT/s link registers with
 * port number @port; an RCiEP has none.  Returns the offset, 0 with *errp
 * set on failure.
 */
uint8_t pcie_cap_init(PCIDevice *pdev, uint8_t offset, uint8_t type,
                      uint8_t port, Error **errp);
/* Device/Port type of @pdev's PCIe capability, -1 without one. */
int pcie_cap_get_type(PCIDevice *pdev);
/*
 * Advertise End-End TLP Prefix support in DevCap2 with up to
 * @max_prefixes (1..4) prefixes per TLP.
 */
void pcie_cap_set_tlp_prefix(PCIDevice *pdev, unsigned max_prefixes);
/* Advertise ARI forwarding (ports) in DevCap2 and make its enable RW. */
void pcie_cap_arifwd_init(PCIDevice *pdev);

/*
 * Slot registers of a downstream port: hot-plug capable slot number
 * @slot; Slot Status starts with nothing present.
 */
void pcie_cap_slot_init(PCIDevice *pdev, uint16_t slot);
/*
 * A device appeared (@present) or went away on @port's secondary bus.
 * Sets Presence Detect State and Data Link Layer Link Active to match and,
 * for a hot-plug event (@event), latches Presence Detect Changed and Data
 * Link Layer State Changed as hardware would.
 */
void pcie_cap_slot_set_presence(PCIDevice *port, bool present, bool event);
/* Recompute the slot and link state after a reset of @port. */
void pcie_cap_slot_reset(PCIDevice *port);

/*
 * ACS extended capability at @offset advertising @caps (PCI_ACS_SV | ...)
 * with the same bits guest-writable in ACS Control.
 */
bool pcie_acs_init(PCIDevice *pdev, uint16_t offset, uint16_t caps,
                   Error **errp);
/* AER (version 2) at @offset; root-port registers when the device is one. */
bool pcie_aer_init(PCIDevice *pdev, uint16_t offset, Error **errp);

#endif

/*
 * The bridge models libvirt emits besides pcie-root-port:
 *
 * - ioh3420: the Intel X58 root port (8086:3420 rev 2) that libvirt
 *   picks for q35 root ports; here pcie-root-port's layout under
 *   Intel's IDs;
 * - pcie-pci-bridge (1b36:000e): a PCI Express to conventional PCI
 *   bridge (PCIe capability of type PCI/PCI-X bridge);
 * - i82801b11-bridge (8086:244e rev 0x92): the ICH9 DMI-to-PCI bridge,
 *   a conventional bridge on the root bus.
 *
 * Behind the last two, DMA carries the bridge's requester ID, which is
 * why a vIOMMU nesting on the host (intel-iommu x-flts=on) refuses host
 * devices there.
 */
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_port.h"

#define PCI_DEVICE_ID_INTEL_IOH_EPORT       0x3420
#define PCI_DEVICE_ID_INTEL_82801BA_11      0x244e
#define PCI_DEVICE_ID_REDHAT_PCIE_BRIDGE    0x000e
#define I82801B11_SSVID_OFFSET              0x50
#define PCI_SSVID_SIZEOF                    8

static void ioh3420_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "Intel IOH device id 3420 PCIE Root Port";
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_IOH_EPORT;
    pc->revision = 2;
}

static bool pcie_pci_bridge_realize(PCIDevice *pdev, Error **errp)
{
    pci_bridge_initfn(pdev);
    if (!pcie_cap_init(pdev, 0, PCI_EXP_TYPE_PCI_BRIDGE, 0, errp)) {
        pci_bridge_exitfn(pdev);
        return false;
    }
    pdev->config[PCI_INTERRUPT_PIN] = 1;
    return true;
}

static bool i82801b11_realize(PCIDevice *pdev, Error **errp)
{
    pci_bridge_initfn(pdev);
    if (!pci_add_capability(pdev, PCI_CAP_ID_SSVID, I82801B11_SSVID_OFFSET,
                            PCI_SSVID_SIZEOF, errp)) {
        pci_bridge_exitfn(pdev);
        return false;
    }
    return true;
}

static void bridge_dev_exit(PCIDevice *pdev)
{
    pci_bridge_exitfn(pdev);
}

static void pcie_pci_bridge_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "Red Hat PCIe to PCI bridge";
    oc->user_creatable = true;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_BRIDGE;
    pc->is_express = true;
    pc->realize = pcie_pci_bridge_realize;
    pc->exit = bridge_dev_exit;
    pc->config_write = pci_bridge_write_config;
}

static void i82801b11_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    oc->desc = "Intel i82801b11 DMI-to-PCI bridge";
    oc->user_creatable = true;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_82801BA_11;
    pc->revision = 0x92;
    pc->realize = i82801b11_realize;
    pc->exit = bridge_dev_exit;
    pc->config_write = pci_bridge_write_config;
}

static const TypeInfo bridge_dev_types[] = {
    {
        .name = TYPE_IOH3420,
        .parent = TYPE_PCIE_ROOT_PORT,
        .instance_size = sizeof(PCIERootPort),
        .class_init = ioh3420_class_init,
    }, {
        .name = TYPE_PCIE_PCI_BRIDGE,
        .parent = TYPE_PCI_BRIDGE,
        .instance_size = sizeof(PCIBridge),
        .class_init = pcie_pci_bridge_class_init,
    }, {
        .name = TYPE_I82801B11_BRIDGE,
        .parent = TYPE_PCI_BRIDGE,
        .instance_size = sizeof(PCIBridge),
        .class_init = i82801b11_class_init,
    },
};

bool pci_device_behind_pci_bridge(PCIDevice *pdev)
{
    for (PCIBus *bus = pdev->bus; bus && bus->parent_dev;
         bus = bus->parent_dev->bus) {
        Object *up = OBJECT(bus->parent_dev);

        if (object_is(up, TYPE_PCIE_PCI_BRIDGE) ||
            object_is(up, TYPE_I82801B11_BRIDGE)) {
            return true;
        }
    }
    return false;
}

void pci_bridge_dev_register_types(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bridge_dev_types); i++) {
        type_register(&bridge_dev_types[i]);
    }
}

/*
 * pcie-root-port: see include/hw/pci/pcie_port.h.
 */
#include "hw/pci/pcie_port.h"
#include "hw/pci/pcie.h"

static bool rp_sec_bus_occupied(PCIDevice *port, DeviceState *except)
{
    GPtrArray *children = port->sec_bus->qbus.children;

    for (guint i = 0; i < children->len; i++) {
        if (g_ptr_array_index(children, i) != except) {
            return true;
        }
    }
    return false;
}

/*
 * Slot Status follows what sits on the secondary bus.  There are no guest
 * CPUs to acknowledge an unplug, so removal is a surprise removal and is
 * always an event; a cold-plugged device is simply present.
 */
static void rp_plug_notify(BusState *bus, DeviceState *dev, bool plugged)
{
    PCIDevice *port = PCI_DEVICE(bus->parent);

    if (plugged) {
        pcie_cap_slot_set_presence(port, true, dev->hotplugged);
    } else {
        pcie_cap_slot_set_presence(port, rp_sec_bus_occupied(port, dev),
                                   true);
    }
}

static bool rp_realize(PCIDevice *pdev, Error **errp)
{
    PCIERootPort *rp = PCIE_ROOT_PORT(pdev);

    pci_bridge_initfn(pdev);
    pdev->sec_bus->qbus.plug_notify = rp_plug_notify;
    if (!pcie_cap_init(pdev, PCIE_ROOT_PORT_EXP_OFFSET,
                       PCI_EXP_TYPE_ROOT_PORT, rp->port, errp)) {
        goto fail;
    }
    pcie_cap_arifwd_init(pdev);
    pcie_cap_set_tlp_prefix(pdev, 4);
    pcie_cap_slot_init(pdev, rp->slot);
    if (!pcie_aer_init(pdev, PCIE_ROOT_PORT_AER_OFFSET, errp) ||
        !pcie_acs_init(pdev, PCIE_ROOT_PORT_ACS_OFFSET,
                       PCIE_ROOT_PORT_ACS_CAPS, errp)) {
        goto fail;
    }
    pdev->config[PCI_INTERRUPT_PIN] = 1;
    return true;

fail:
    pci_bridge_exitfn(pdev);
    return false;
}

static void rp_exit(PCIDevice *pdev)
{
    pci_bridge_exitfn(pdev);
}

static void rp_reset(PCIDevice *pdev)
{
    pcie_cap_slot_reset(pdev);
}

static const Property rp_props[] = {
    DEFINE_PROP_UINT8("chassis", PCIERootPort, chassis, 0),
    DEFINE_PROP_UINT16("slot", PCIERootPort, slot, 0),
    DEFINE_PROP_UINT8("port", PCIERootPort, port, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void rp_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->desc = "PCI Express Root Port";
    oc->user_creatable = true;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_RP;
    pc->revision = 0;
    pc->is_express = true;
    pc->realize = rp_realize;
    pc->exit = rp_exit;
    pc->reset = rp_reset;
    pc->config_write = pci_bridge_write_config;
    device_class_set_props(dc, rp_props);
}

static const TypeInfo rp_type = {
    .name = TYPE_PCIE_ROOT_PORT,
    .parent = TYPE_PCI_BRIDGE,
    .instance_size = sizeof(PCIERootPort),
    .class_init = rp_class_init,
};

void pcie_root_port_register_types(void)
{
    type_register(&rp_type);
}

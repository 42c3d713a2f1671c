/*
 * pxb-pcie: the PCI Express expander bridge.
 *
 * A conventional function on the main root bus (a host bridge by class)
 * that brings one more root bus, numbered bus_nr, named after the
 * device's id.  The guest reaches that bus through the machine's own
 * config mechanisms at bus number bus_nr; its devices (typically
 * pcie-root-ports) are served by the vIOMMU of the main root bus.  Like
 * QEMU's, it is cold plugged only, and only onto the main root bus.
 */
#include "hw/pci/pci.h"

typedef struct PXBPCIEDev {
    PCIDevice parent_obj;
    uint8_t bus_nr;
    /* Accepted for command-line compatibility; there is no NUMA here. */
    uint16_t numa_node;
    PCIBus root;
    bool has_root;
} PXBPCIEDev;

#define PXB_PCIE_DEV(o) OBJECT_CHECK(PXBPCIEDev, (o), TYPE_PXB_PCIE_DEVICE)

/* Without an id: the first free "pxb-pcie-bus.N". */
static char *pxb_bus_name(PCIDevice *pdev)
{
    if (pdev->qdev.id && *pdev->qdev.id) {
        return g_strdup(pdev->qdev.id);
    }
    for (unsigned n = 0;; n++) {
        char *name = g_strdup_printf("pxb-pcie-bus.%u", n);

        if (!qbus_find(name)) {
            return name;
        }
        g_free(name);
    }
}

/* QEMU's checks and wording: a root bus only, a number no one uses. */
static bool pxb_check_placement(PXBPCIEDev *pxb, PCIBus *host, Error **errp)
{
    if (!pci_bus_is_root(host) || host->host_root) {
        error_setg(errp, "PXB devices can be attached only to root bus");
        return false;
    }
    if (pxb->bus_nr == pci_bus_num(host) ||
        pci_extra_root_bus_find(host, pxb->bus_nr)) {
        error_setg(errp, "Bus %d is already in use", pxb->bus_nr);
        return false;
    }
    return true;
}

static bool pxb_realize(PCIDevice *pdev, Error **errp)
{
    PXBPCIEDev *pxb = PXB_PCIE_DEV(pdev);
    g_autofree char *name = NULL;

    if (!pxb_check_placement(pxb, pdev->bus, errp)) {
        return false;
    }
    name = pxb_bus_name(pdev);
    pci_extra_root_bus_init(&pxb->root, name, DEVICE(pdev), pdev->bus,
                            pxb->bus_nr);
    pxb->has_root = true;
    pci_set_word(pdev->config + PCI_STATUS,
                 pci_get_word(pdev->config + PCI_STATUS) |
                 PCI_STATUS_66MHZ | PCI_STATUS_FAST_BACK);
    return true;
}

static void pxb_exit(PCIDevice *pdev)
{
    PXBPCIEDev *pxb = PXB_PCIE_DEV(pdev);

    if (pxb->has_root) {
        pci_extra_root_bus_cleanup(&pxb->root);
        pxb->has_root = false;
    }
}

static const Property pxb_props[] = {
    DEFINE_PROP_UINT8("bus_nr", PXBPCIEDev, bus_nr, 0),
    DEFINE_PROP_UINT16("numa_node", PXBPCIEDev, numa_node, UINT16_MAX),
    DEFINE_PROP_END_OF_LIST(),
};

static void pxb_class_init(ObjectClass *oc)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->desc = "PCI Express Expander Bridge";
    oc->user_creatable = true;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PXB_PCIE;
    pc->class_id = PCI_CLASS_BRIDGE_HOST << 8;
    pc->realize = pxb_realize;
    pc->exit = pxb_exit;
    dc->hotpluggable = false;
    dc->realize_order = DEVICE_REALIZE_BUS;
    device_class_set_props(dc, pxb_props);
}

static const TypeInfo pxb_pcie_type = {
    .name = TYPE_PXB_PCIE_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PXBPCIEDev),
    .class_init = pxb_class_init,
};

void pxb_pcie_register_types(void)
{
    type_register(&pxb_pcie_type);
}

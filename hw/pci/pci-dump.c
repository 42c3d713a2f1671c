/*
 * The lspci-format config dump.
 */
#include "hw/pci/pci-dump.h"

typedef struct PCIClassDesc {
    uint16_t class_code;
    const char *desc;
} PCIClassDesc;

/* The monitor's names, as QEMU prints them. */
static const PCIClassDesc pci_class_descs[] = {
    { 0x0001, "VGA controller" },
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0102, "Floppy controller" },
    { 0x0103, "IPI controller" },
    { 0x0104, "RAID controller" },
    { 0x0106, "SATA controller" },
    { 0x0107, "SAS controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0302, "3D controller" },
    { 0x0380, "Display controller" },
    { 0x0400, "Video controller" },
    { 0x0401, "Audio controller" },
    { 0x0403, "Audio controller" },
    { 0x0480, "Multimedia controller" },
    { 0x0500, "RAM controller" },
    { 0x0501, "Flash controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0602, "EISA bridge" },
    { 0x0603, "MC bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0605, "PCMCIA bridge" },
    { 0x0606, "NUBUS bridge" },
    { 0x0607, "CARDBUS bridge" },
    { 0x0608, "RACEWAY bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial port" },
    { 0x0701, "Parallel port" },
    { 0x0800, "Interrupt controller" },
    { 0x0880, "System peripheral" },
    { 0x0c03, "USB controller" },
    { 0x0c05, "SMBus" },
    { 0x0e00, "I2O controller" },
};

const char *pci_class_desc(uint16_t class_code)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_descs); i++) {
        if (pci_class_descs[i].class_code == class_code) {
            return pci_class_descs[i].desc;
        }
    }
    return NULL;
}

static void dump_function(GString *out, PCIDevice *pdev, uint8_t bus_num)
{
    static const char hex[] = "0123456789abcdef";
    uint16_t class_code = pci_config_read(pdev, PCI_CLASS_DEVICE, 2);
    const char *desc = pci_class_desc(class_code);
    size_t size = pci_config_size(pdev);

    g_string_append_printf(out, "%02x:%02x.%x ", bus_num,
                           PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
    if (desc) {
        g_string_append_printf(out, "%s: ", desc);
    } else {
        g_string_append_printf(out, "Class %04x: ", class_code);
    }
    g_string_append_printf(out, "Device %04x:%04x\n",
                           pci_config_read(pdev, PCI_VENDOR_ID, 2),
                           pci_config_read(pdev, PCI_DEVICE_ID, 2));
    for (size_t off = 0; off < size; off += 16) {
        g_string_append_printf(out, "%02zx:", off);
        for (size_t i = 0; i < 16; i += 4) {
            uint32_t v = pci_config_read(pdev, off + i, 4);

            for (int b = 0; b < 4; b++) {
                uint8_t byte = v >> (8 * b);

                /* By hand: a 4 KiB dump is 4096 of these, per function. */
                g_string_append_c(out, ' ');
                g_string_append_c(out, hex[byte >> 4]);
                g_string_append_c(out, hex[byte & 0xf]);
            }
        }
        g_string_append_c(out, '\n');
    }
    g_string_append_c(out, '\n');
}

static void dump_bus(GString *out, PCIBus *root, PCIBus *bus)
{
    uint8_t bus_num = pci_bus_num(bus);

    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        /* Only what a config cycle from the root can reach. */
        if (!d || pci_find_device(root, bus_num, devfn) != d) {
            continue;
        }
        dump_function(out, d, bus_num);
        if (d->sec_bus && d->config[PCI_SECONDARY_BUS]) {
            dump_bus(out, root, d->sec_bus);
        }
    }
}

char *pci_dump_lspci(PCIBus *root)
{
    GString *out = g_string_new(NULL);

    dump_bus(out, root, root);
    /* Expanders' root buses after the main one, by number as lspci sorts. */
    for (int nr = 0; nr < 256; nr++) {
        PCIBus *extra = pci_extra_root_bus_find(root, nr);

        if (extra) {
            dump_bus(out, root, extra);
        }
    }
    return g_string_free(out, FALSE);
}

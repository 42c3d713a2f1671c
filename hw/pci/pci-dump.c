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

/*
 * Bus numbers of a bridge the guest has not numbered yet, as firmware
 * would give them: primary, secondary and subordinate.
 */
typedef struct BusNumbers {
    uint8_t pri;
    uint8_t sec;
    uint8_t sub;
} BusNumbers;

typedef struct DumpCtx {
    GString *out;
    PCIBus *root;
    GHashTable *assigned;       /* PCIDevice * -> BusNumbers * */
    unsigned next;              /* the next free bus number */
} DumpCtx;

static uint8_t dump_config_byte(PCIDevice *pdev, const BusNumbers *n,
                                size_t off, uint8_t byte)
{
    if (n && off == PCI_PRIMARY_BUS) {
        return n->pri;
    }
    if (n && off == PCI_SECONDARY_BUS) {
        return n->sec;
    }
    if (n && off == PCI_SUBORDINATE_BUS) {
        return n->sub;
    }
    return byte;
}

static void dump_function(DumpCtx *c, PCIDevice *pdev, uint8_t bus_num)
{
    static const char hex[] = "0123456789abcdef";
    uint16_t class_code = pci_config_read(pdev, PCI_CLASS_DEVICE, 2);
    const char *desc = pci_class_desc(class_code);
    size_t size = pci_config_size(pdev);
    const BusNumbers *n = g_hash_table_lookup(c->assigned, pdev);
    GString *out = c->out;

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
                uint8_t byte = dump_config_byte(pdev, n, off + i + b,
                                                v >> (8 * b));

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

/* The next bus number no expander's root bus holds. */
static int dump_next_bus(DumpCtx *c)
{
    while (c->next <= 0xff && pci_extra_root_bus_find(c->root, c->next)) {
        c->next++;
    }
    return c->next <= 0xff ? (int)c->next++ : -1;
}

/*
 * Number, depth first in devfn order, every bridge below @bus the guest
 * has left unnumbered, as firmware enumerates; bridges the guest numbered
 * keep their numbers, and later ones go past them.
 */
static void dump_assign_bus(DumpCtx *c, PCIBus *bus, uint8_t bus_num)
{
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        BusNumbers *n;
        int sec;

        if (!d || !d->sec_bus) {
            continue;
        }
        if (d->config[PCI_SECONDARY_BUS]) {
            c->next = MAX(c->next, (unsigned)d->config[PCI_SUBORDINATE_BUS]
                                   + 1);
            dump_assign_bus(c, d->sec_bus, d->config[PCI_SECONDARY_BUS]);
            continue;
        }
        sec = dump_next_bus(c);
        if (sec < 0) {
            continue;           /* out of numbers, as firmware would be */
        }
        n = g_new0(BusNumbers, 1);
        n->pri = bus_num;
        n->sec = sec;
        g_hash_table_insert(c->assigned, d, n);
        dump_assign_bus(c, d->sec_bus, sec);
        n->sub = c->next - 1;
    }
}

/*
 * What the guest reaches by config cycles under its own numbers, plus
 * (@guest_numbered false) what sits behind bridges it has not numbered.
 */
static void dump_bus(DumpCtx *c, PCIBus *bus, uint8_t bus_num,
                     bool guest_numbered)
{
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        const BusNumbers *n;

        if (!d || (guest_numbered &&
                   pci_find_device(c->root, bus_num, devfn) != d)) {
            continue;
        }
        dump_function(c, d, bus_num);
        if (!d->sec_bus) {
            continue;
        }
        n = g_hash_table_lookup(c->assigned, d);
        if (n) {
            dump_bus(c, d->sec_bus, n->sec, false);
        } else if (d->config[PCI_SECONDARY_BUS]) {
            dump_bus(c, d->sec_bus, d->config[PCI_SECONDARY_BUS],
                     guest_numbered);
        }
    }
}

char *pci_dump_lspci(PCIBus *root)
{
    DumpCtx c = {
        .out = g_string_new(NULL),
        .root = root,
        .assigned = g_hash_table_new_full(NULL, NULL, NULL, g_free),
        .next = 1,
    };

    dump_assign_bus(&c, root, 0);
    for (int nr = 0; nr < 256; nr++) {
        PCIBus *extra = pci_extra_root_bus_find(root, nr);

        if (extra) {
            c.next = MAX(c.next, (unsigned)nr + 1);
            dump_assign_bus(&c, extra, nr);
        }
    }
    dump_bus(&c, root, 0, true);
    /* Expanders' root buses after the main one, by number as lspci sorts. */
    for (int nr = 0; nr < 256; nr++) {
        PCIBus *extra = pci_extra_root_bus_find(root, nr);

        if (extra) {
            dump_bus(&c, extra, nr, true);
        }
    }
    g_hash_table_destroy(c.assigned);
    return g_string_free(c.out, FALSE);
}

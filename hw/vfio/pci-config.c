/*
 * vfio-pci config space virtualization: reading the host, the header and
 * BARs, and guest access (the capability chains are in pci-caps.c).
 *
 * At realize the host's config region is read once; the guest-visible
 * space is then built as data: the header's emulated fields, the BARs,
 * and each capability the host shows, handled as its descriptor says
 * (hidden, emulated, or passed through with an emulated header).  At run
 * time a guest access merges config[] (emulated bits) with the device
 * (every other bit); emulated bytes never reach the host.
 */
#include "hw/vfio/pci.h"
#include "hw/vfio/pci-internal.h"
#include "system/host-ops.h"

#include <errno.h>
#include <string.h>

static uint64_t pow2ceil(uint64_t v)
{
    uint64_t p = 1;

    while (p < v && p) {
        p <<= 1;
    }
    return p;
}

/* ---- reading the host ---- */

/*
 * The sizes of the implemented BARs and of the ROM.  The host's vfio-pci
 * shows an unimplemented BAR as 0 (and a 64-bit BAR's upper half belongs
 * to it), so only the others are asked for.
 */
static bool vfio_pci_bars_read(VFIOPCIDevice *vdev, Error **errp)
{
    VFIODevice *vbasedev = &vdev->vbasedev;
    struct vfio_region_info reg;

    for (uint32_t i = 0; i < VFIO_PCI_ROM_REGION_INDEX; i++) {
        uint32_t bar = pci_get_long(vdev->host_config + PCI_BASE_ADDRESS_0 +
                                    4 * i);

        vdev->bar_size[i] = 0;
        if (!bar) {
            continue;
        }
        if (!vfio_device_get_region_info(vbasedev, i, &reg, errp)) {
            return false;
        }
        vdev->bar_size[i] = reg.size;
        if (reg.size && !(bar & PCI_BASE_ADDRESS_SPACE_IO) &&
            (bar & PCI_BASE_ADDRESS_MEM_TYPE_64) && i < 5) {
            vdev->bar_size[++i] = 0;
        }
    }
    if (!vfio_device_get_region_info(vbasedev, VFIO_PCI_ROM_REGION_INDEX,
                                     &reg, errp)) {
        return false;
    }
    vdev->rom_size = reg.size;
    return true;
}

bool vfio_pci_config_read(VFIOPCIDevice *vdev, Error **errp)
{
    VFIODevice *vbasedev = &vdev->vbasedev;
    struct vfio_region_info reg;
    ssize_t n;

    if (!vfio_device_get_info(vbasedev, errp)) {
        return false;
    }
    if (!(vbasedev->info.flags & VFIO_DEVICE_FLAGS_PCI)) {
        error_setg(errp, "This isn't a PCI device");
        return false;
    }
    if (vbasedev->info.num_regions < VFIO_PCI_CONFIG_REGION_INDEX + 1) {
        error_setg(errp, "unexpected number of io regions %u",
                   vbasedev->info.num_regions);
        return false;
    }
    if (!vfio_device_get_region_info(vbasedev, VFIO_PCI_CONFIG_REGION_INDEX,
                                     &reg, errp)) {
        error_prepend(errp, "failed to get config info: ");
        return false;
    }
    vdev->config_offset = reg.offset;
    vdev->config_size = MIN(reg.size, (uint64_t)PCIE_CONFIG_SPACE_SIZE);
    vdev->host_config = g_malloc(PCIE_CONFIG_SPACE_SIZE);
    memset(vdev->host_config + vdev->config_size, 0,
           PCIE_CONFIG_SPACE_SIZE - vdev->config_size);
    n = host_pread(vbasedev->fd, vdev->host_config, vdev->config_size,
                   vdev->config_offset);
    if (n != (ssize_t)vdev->config_size) {
        error_setg_errno(errp, n < 0 ? errno : EIO,
                         "failed to read device config space");
        vfio_pci_config_free(vdev);
        return false;
    }
    if (!vfio_pci_bars_read(vdev, errp)) {
        vfio_pci_config_free(vdev);
        return false;
    }
    return true;
}

void vfio_pci_config_free(VFIOPCIDevice *vdev)
{
    g_clear_pointer(&vdev->host_config, g_free);
}

/* ---- header and BARs ---- */

static void vfio_pci_setup_header(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;
    uint8_t *c = pdev->config;

    memcpy(c, vdev->host_config, PCI_STD_HEADER_SIZEOF);
    /* Everything in the header is emulated but what the device runs on. */
    emu_range(pdev, 0, PCI_STD_HEADER_SIZEOF, 0xff);
    emu_range(pdev, PCI_COMMAND, 2, 0);
    emu_range(pdev, PCI_STATUS, 2, 0);
    pdev->emulated[PCI_STATUS] = PCI_STATUS_CAP_LIST;
    emu_range(pdev, PCI_CACHE_LINE_SIZE, 2, 0);
    emu_range(pdev, PCI_BIST, 1, 0);
    c[PCI_HEADER_TYPE] = (c[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) |
                         (pdev->multifunction ?
                          PCI_HEADER_TYPE_MULTI_FUNCTION : 0);
    c[PCI_STATUS] &= ~PCI_STATUS_CAP_LIST;
    c[PCI_CAPABILITY_LIST] = 0;
    memset(c + PCI_CAPABILITY_LIST + 1, 0, 7);
    pdev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    c[PCI_INTERRUPT_LINE] = 0;
}

/* BARs start unassigned (address 0), sized by the host regions. */
static void vfio_pci_setup_bars(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;

    for (int i = 0; i < 6; i++) {
        unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
        uint32_t host = pci_get_long(vdev->host_config + off);
        uint64_t size = vdev->bar_size[i];
        uint64_t mask = size ? ~(pow2ceil(size) - 1) : 0;
        bool io = host & PCI_BASE_ADDRESS_SPACE_IO;
        uint32_t flags = host & (io ? 0x3 : 0xf);
        bool is64 = !io && (host & PCI_BASE_ADDRESS_MEM_TYPE_64) && i < 5;

        pci_set_long(pdev->config + off, size ? flags : 0);
        pci_set_long(pdev->wmask + off, (uint32_t)mask & (io ? ~0x3u : ~0xfu));
        if (is64 && size) {
            pci_set_long(pdev->config + off + 4, 0);
            pci_set_long(pdev->wmask + off + 4, mask >> 32);
            i++;
        }
    }
    pci_set_long(pdev->config + PCI_ROM_ADDRESS, 0);
    if (vdev->rom_size) {
        pci_set_long(pdev->wmask + PCI_ROM_ADDRESS,
                     ((uint32_t)~(pow2ceil(vdev->rom_size) - 1) & ~0x7ffu) |
                     1);
    } else {
        pci_set_long(pdev->wmask + PCI_ROM_ADDRESS, 0);
    }
}

bool vfio_pci_config_build(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;

    /*
     * pci_init_header() just left the arrays zeroed but for the standard
     * header: clear only the header.  Every byte of emulated[] is set
     * below.
     */
    if (!pdev->emulated) {
        pdev->emulated = g_malloc(PCIE_CONFIG_SPACE_SIZE);
    }
    memset(pdev->config, 0, PCI_STD_HEADER_SIZEOF);
    memset(pdev->wmask, 0, PCI_STD_HEADER_SIZEOF);
    memset(pdev->w1cmask, 0, PCI_STD_HEADER_SIZEOF);
    pdev->exp_cap = 0;
    vfio_pci_setup_header(vdev);
    vfio_pci_setup_bars(vdev);
    vfio_pci_build_caps(vdev);
    /* Nothing reads the host's copy after this: 4 KiB a device less. */
    vfio_pci_config_free(vdev);
    return true;
}

/* ---- guest access ---- */

uint32_t vfio_pci_read_config(PCIDevice *pdev, uint32_t addr, int len)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    uint32_t emu = 0, val = 0;
    uint32_t full = len >= 4 ? UINT32_MAX : (1u << (8 * len)) - 1;

    for (int i = 0; i < len; i++) {
        emu |= (uint32_t)pci_config_byte(pdev, PCI_CONFIG_EMULATED,
                                         addr + i) << (8 * i);
        val |= (uint32_t)pci_config_byte(pdev, PCI_CONFIG_VALUES,
                                         addr + i) << (8 * i);
    }
    if (emu != full) {
        uint8_t buf[4] = { 0xff, 0xff, 0xff, 0xff };

        if (addr + len > vdev->config_size ||
            host_pread(vdev->vbasedev.fd, buf, len,
                       vdev->config_offset + addr) != len) {
            /* A device that does not answer reads as all ones. */
            memset(buf, 0xff, sizeof(buf));
        }
        val = (val & emu) | (pci_get_long(buf) & ~emu & full);
    }
    return val;
}

/* Send bytes [@s, @e) of the access to the device. */
static void vfio_pci_write_host(VFIOPCIDevice *vdev, uint32_t addr,
                                const uint8_t *bytes, int s, int e)
{
    VFIODevice *vbasedev = &vdev->vbasedev;
    int err;

    if (addr + e > vdev->config_size) {
        return;
    }
    if (host_pwrite(vbasedev->fd, bytes + s, e - s,
                    vdev->config_offset + addr + s) == e - s) {
        return;
    }
    err = errno;
    error_report("vfio %s: config write at 0x%x (%d bytes) failed: %s",
                 vbasedev->name, addr + s, e - s, g_strerror(err));
}

void vfio_pci_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                           int len)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    uint8_t bytes[4];
    int run = -1;

    for (int i = 0; i < len; i++) {
        uint32_t a = addr + i;
        uint8_t b = val >> (8 * i);
        uint8_t emu = pci_config_byte(pdev, PCI_CONFIG_EMULATED, a);
        uint8_t wm = pci_config_byte(pdev, PCI_CONFIG_WMASK, a) & emu;
        uint8_t w1c = pci_config_byte(pdev, PCI_CONFIG_W1CMASK, a) & emu;
        uint8_t *c = pci_config_cell(pdev, PCI_CONFIG_VALUES, a);

        bytes[i] = b;
        /* A byte packed away has no writable bits. */
        if (c) {
            *c = ((*c & ~wm) | (b & wm)) & ~(b & w1c);
        }
        /* Contiguous runs of bytes with device bits go out together. */
        if (emu != 0xff && run < 0) {
            run = i;
        } else if (emu == 0xff && run >= 0) {
            vfio_pci_write_host(vdev, addr, bytes, run, i);
            run = -1;
        }
    }
    if (run >= 0) {
        vfio_pci_write_host(vdev, addr, bytes, run, len);
    }
}

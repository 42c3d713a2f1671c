/*
 * PCI / PCI Express core: config space, capability lists, buses.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "hw/core/qdev.h"
#include "hw/pci/pci_regs.h"

#define TYPE_PCI_DEVICE "pci-device"
#define TYPE_PCIE_BUS "PCIE"

#define PCI_CONFIG_SPACE_SIZE   0x100
#define PCIE_CONFIG_SPACE_SIZE  0x1000
#define PCI_DEVFN(slot, fn)     ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)         (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)         ((devfn) & 0x07)

typedef struct PCIDevice PCIDevice;

/* The per-byte arrays of a function's config space. */
typedef enum PCIConfigArray {
    PCI_CONFIG_VALUES,          /* config[] */
    PCI_CONFIG_WMASK,
    PCI_CONFIG_W1CMASK,
    PCI_CONFIG_RESET,
    PCI_CONFIG_EMULATED,        /* a separate allocation, may be NULL */
    PCI_CONFIG_NR_ARRAYS,
} PCIConfigArray;

/*
 * Bytes [pos, pos + len) of packed extended space: PCI_CONFIG_NR_ARRAYS
 * arrays of @len bytes at @bytes, in PCIConfigArray order.  What no run
 * holds is at its default: zero, and emulated.
 */
typedef struct PCIConfigRun {
    uint16_t pos;
    uint16_t len;
    uint8_t *bytes;
} PCIConfigRun;
typedef struct PCIBus PCIBus;
typedef struct PCIIOMMUOps PCIIOMMUOps;

struct PCIBus {
    BusState qbus;
    PCIDevice *devices[256];
    /* The bridge whose secondary side this is, NULL for a root bus. */
    PCIDevice *parent_dev;
    /* Root buses: their fixed number (0 for pcie.0, bus_nr of a pxb). */
    uint8_t root_bus_nr;
    /* vIOMMU serving devices on this bus and below (hw/pci/pci-iommu.c). */
    const PCIIOMMUOps *iommu_ops;
    void *iommu_opaque;
    /*
     * Extra root buses of the same host bridge (pxb-pcie), reached by
     * config cycles through the main root bus: the main root bus heads
     * the list (newest first), each extra root links the next one, and
     * names the main root bus it belongs to in host_root.
     */
    PCIBus *extra_roots;
    PCIBus *next_extra_root;
    PCIBus *host_root;
};

struct PCIDevice {
    DeviceState qdev;
    PCIBus *bus;
    int32_t devfn;              /* "addr" property: -1 until placed */
    bool multifunction;
    /*
     * Guest-visible config space and its masks, config_len bytes each, in
     * one block allocated at the first realize (config points to it;
     * freed with the object), in PCIConfigArray order.  config_len is
     * pci_config_size(), or PCI_CONFIG_SPACE_SIZE once the extended space
     * is packed into ext_runs (pci_config_pack()).
     */
    uint8_t *config;
    uint8_t *wmask;             /* guest-writable bits */
    uint8_t *w1cmask;           /* write-1-to-clear bits */
    /* config[] as realize left it: what a reset restores. */
    uint8_t *reset_config;
    /*
     * Bits served from config[], for a pass-through device (vfio-pci
     * allocates and fills it at realize; clear bits go to hardware).
     * NULL for an emulated device: all of them.  Freed with the object.
     */
    uint8_t *emulated;
    uint16_t config_len;
    PCIConfigRun *ext_runs;     /* sorted by pos */
    unsigned nr_ext_runs;
    uint16_t exp_cap;           /* PCIe capability offset, 0 if none */
    /* Secondary bus of a bridge, NULL otherwise. */
    PCIBus *sec_bus;
};

typedef struct PCIDeviceClass {
    DeviceClass parent_class;
    uint16_t vendor_id;
    uint16_t device_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    uint8_t revision;
    uint32_t class_id;          /* class << 8 | prog-if, 24 bits */
    bool is_express;
    bool is_bridge;             /* type 1 header */
    bool (*realize)(PCIDevice *pdev, Error **errp);
    void (*exit)(PCIDevice *pdev);
    /* Optional overrides; the defaults serve config[] through the masks. */
    uint32_t (*config_read)(PCIDevice *pdev, uint32_t addr, int len);
    void (*config_write)(PCIDevice *pdev, uint32_t addr, uint32_t val,
                         int len);
    /* After config[] was restored from reset_config. */
    void (*reset)(PCIDevice *pdev);
    /*
     * Nothing writes the extended space through pointers after realize:
     * it is packed then (pci_config_pack()), a few hundred bytes instead
     * of 20 KiB.  Accesses go through pci_config_cell().
     */
    bool packs_ext_config;
    /* Optional: its vIOMMU resolved "auto" (pci_device_viommu_resolved). */
    void (*viommu_resolved)(PCIDevice *pdev);
} PCIDeviceClass;

#define PCI_DEVICE(o) OBJECT_CHECK(PCIDevice, (o), TYPE_PCI_DEVICE)
#define PCI_DEVICE_GET_CLASS(o) \
    OBJECT_GET_CLASS(PCIDeviceClass, (o), TYPE_PCI_DEVICE)
#define PCI_DEVICE_CLASS(oc) \
    OBJECT_CLASS_CHECK(PCIDeviceClass, (oc), TYPE_PCI_DEVICE)

/* Little-endian config accessors. */
static inline uint8_t pci_get_byte(const uint8_t *p) { return p[0]; }
static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t pci_get_quad(const uint8_t *p)
{
    return pci_get_long(p) | ((uint64_t)pci_get_long(p + 4) << 32);
}
static inline void pci_set_byte(uint8_t *p, uint8_t v) { p[0] = v; }
static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}
static inline void pci_set_quad(uint8_t *p, uint64_t v)
{
    pci_set_long(p, v);
    pci_set_long(p + 4, v >> 32);
}

/*
 * Packed extended space (hw/pci/pci-config-pack.c).  pci_config_pack()
 * keeps the standard 256 bytes of each array and moves the rest into
 * runs of non-default bytes; pci_config_unpack() restores the flat
 * arrays.  Both do nothing when the storage already has that form.
 */
void pci_config_pack(PCIDevice *pdev);
void pci_config_unpack(PCIDevice *pdev);
/*
 * Make @block (PCI_CONFIG_EMULATED arrays of @len bytes) the flat storage,
 * freeing the old one.
 */
void pci_config_set_block(PCIDevice *pdev, uint8_t *block, uint16_t len);
/* Drop the storage; the next realize allocates it again. */
void pci_config_free(PCIDevice *pdev);
/* Copy the reset values over config[], flat or packed; and back. */
void pci_config_restore(PCIDevice *pdev);
void pci_config_snapshot(PCIDevice *pdev);
/*
 * Make [@off, @off + @len) of every array addressable through
 * pci_config_cell(), adding packed bytes at their default if need be:
 * for code that changes the layout.  Cells got before may move.
 */
void pci_config_reserve(PCIDevice *pdev, uint32_t off, unsigned len);
uint8_t *pci_config_run_cell(PCIDevice *pdev, PCIConfigArray a,
                             uint32_t off);

/* Byte @off of array @a, or NULL where it is packed away at its default. */
static inline uint8_t *pci_config_cell(PCIDevice *pdev, PCIConfigArray a,
                                       uint32_t off)
{
    if (off < pdev->config_len) {
        if (a == PCI_CONFIG_EMULATED) {
            return pdev->emulated ? pdev->emulated + off : NULL;
        }
        return pdev->config + a * pdev->config_len + off;
    }
    return pci_config_run_cell(pdev, a, off);
}

/* Byte @off of array @a: emulated bits default to all, the rest to 0. */
static inline uint8_t pci_config_byte(PCIDevice *pdev, PCIConfigArray a,
                                      uint32_t off)
{
    uint8_t *p = pci_config_cell(pdev, a, off);

    return p ? *p : a == PCI_CONFIG_EMULATED ? 0xff : 0;
}

/* Config access as the guest does it (masks, emulation, overrides). */
uint32_t pci_config_read(PCIDevice *pdev, uint32_t addr, int len);
void pci_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val, int len);
/* The default behaviour, for overrides to fall back on. */
uint32_t pci_default_read_config(PCIDevice *pdev, uint32_t addr, int len);
void pci_default_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                              int len);
size_t pci_config_size(const PCIDevice *pdev);
/*
 * Conventional reset of one function: config[] back to what realize left,
 * then the class's reset hook (system reset, a bridge's Secondary Bus
 * Reset).
 */
void pci_device_reset(PCIDevice *pdev);

/*
 * Standard capabilities (0x40..0xFF).  @offset 0 picks the first free
 * dword-aligned spot.  Returns the offset, or 0 with *errp set.
 */
uint8_t pci_add_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, Error **errp);
uint8_t pci_find_capability(PCIDevice *pdev, uint8_t cap_id);

/* Extended capabilities (0x100..0xFFF). */
uint16_t pcie_find_capability(PCIDevice *pdev, uint16_t cap_id);
/*
 * Size in bytes of the extended capability at @offset, from the table of
 * known layouts (and the capability's own registers where its size
 * varies; per-lane layouts take the lane count from the PCIe
 * capability's Max Link Width, or assume x32 when it reads as zero).  An
 * unknown layout is taken to run up to the next capability of the chain
 * in address order; if none lies above it the size is 0: its body
 * cannot be bounded.
 */
uint16_t pcie_ext_cap_size(PCIDevice *pdev, uint16_t offset);
/* A short human name ("ACS", "PASID", "ID 0x42") for messages. */
const char *pcie_ext_cap_name(uint16_t cap_id, char buf[16]);
/*
 * Add an extended capability of @size bytes at @offset (0x100 if the list
 * is empty, else required) and link it into the chain in address order.
 * Refuses an unaligned offset, one below 0x100 or running past 0xFFF, and
 * one overlapping the header or body of a capability already in the
 * chain (bodies as pcie_ext_cap_size() gives them; of the last
 * capability, if its layout is unknown, only the header is protected);
 * the message names both capabilities.
 */
bool pcie_add_capability(PCIDevice *pdev, uint16_t cap_id, uint8_t ver,
                         uint16_t offset, uint16_t size, Error **errp);
/* Whether pcie_add_capability() would accept @offset; changes nothing. */
bool pcie_check_capability(PCIDevice *pdev, uint16_t cap_id,
                           uint16_t offset, uint16_t size, Error **errp);

/* Buses and lookup. */
void pci_bus_init(PCIBus *bus, const char *name, PCIDevice *parent_dev);
void pci_bus_cleanup(PCIBus *bus);
/* The bus number the guest sees (bridges: their secondary bus register). */
uint8_t pci_bus_num(const PCIBus *bus);
bool pci_bus_is_root(const PCIBus *bus);
PCIBus *pci_get_root_bus(PCIBus *bus);
/*
 * Function at @bus_num/@devfn below root bus @root, or NULL.  A number
 * that neither @root nor a bridge below it claims is looked up below
 * @root's extra root buses (newest first).
 */
PCIDevice *pci_find_device(PCIBus *root, uint8_t bus_num, uint8_t devfn);
/* Guest config access by address; absent functions read all ones. */
uint32_t pci_host_config_read(PCIBus *root, uint8_t bus_num, uint8_t devfn,
                              uint32_t addr, int len);
void pci_host_config_write(PCIBus *root, uint8_t bus_num, uint8_t devfn,
                           uint32_t addr, uint32_t val, int len);
/*
 * An extra root bus numbered @bus_nr of the host bridge whose main root
 * bus is @host (pxb-pcie): named @name, owned by @owner (its devices go
 * with it), registered for bus= and linked into @host's list.  The
 * caller has checked that @bus_nr is free (pci_extra_root_bus_find()).
 */
void pci_extra_root_bus_init(PCIBus *bus, const char *name,
                             DeviceState *owner, PCIBus *host,
                             uint8_t bus_nr);
/* Unlink @bus from its host's list, unregister and release it. */
void pci_extra_root_bus_cleanup(PCIBus *bus);
/* The extra root bus of @host numbered @bus_nr, or NULL. */
PCIBus *pci_extra_root_bus_find(PCIBus *host, uint8_t bus_nr);
/* Calls @fn for every function below @bus, depth first in devfn order. */
void pci_for_each_device(PCIBus *bus, void (*fn)(PCIDevice *, void *),
                         void *opaque);
/* "0000:00:03.0" style name of where the guest sees @pdev. */
char *pci_device_bdf(PCIDevice *pdev);

/* Registers pci-device, the bridge types and pcie-root-port. */
void pci_register_types(void);

#define TYPE_PXB_PCIE_DEVICE "pxb-pcie"
/* Registers pxb-pcie, the PCIe expander bridge (hw/pci/pcie_expander.c). */
void pxb_pcie_register_types(void);

#endif

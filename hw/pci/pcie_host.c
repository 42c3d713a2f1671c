/*
 * Generic ECAM window: see include/hw/pci/pcie_host.h.
 */
#include "hw/pci/pcie_host.h"

/*
 * A config access never straddles a function's 4 KiB, and an 8-byte one
 * is two dword accesses, as on a CPU that splits it.
 */
static uint64_t mmcfg_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIExpressHost *e = opaque;
    uint8_t bus = addr >> PCIE_MMCFG_BUS_SHIFT;
    uint8_t devfn = (addr >> 12) & 0xff;
    uint32_t reg = addr & 0xfff;

    if (size == 8) {
        return mmcfg_read(e, addr, 4) |
               (mmcfg_read(e, addr + 4, 4) << 32);
    }
    if (reg + size > PCIE_CONFIG_SPACE_SIZE) {
        return UINT64_MAX;
    }
    return pci_host_config_read(e->bus, bus, devfn, reg, size);
}

static void mmcfg_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    PCIExpressHost *e = opaque;
    uint8_t bus = addr >> PCIE_MMCFG_BUS_SHIFT;
    uint8_t devfn = (addr >> 12) & 0xff;
    uint32_t reg = addr & 0xfff;

    if (size == 8) {
        mmcfg_write(e, addr, val & UINT32_MAX, 4);
        mmcfg_write(e, addr + 4, val >> 32, 4);
        return;
    }
    if (reg + size > PCIE_CONFIG_SPACE_SIZE) {
        return;
    }
    pci_host_config_write(e->bus, bus, devfn, reg, val, size);
}

static const MemoryRegionOps mmcfg_ops = {
    .read = mmcfg_read,
    .write = mmcfg_write,
};

void pcie_host_mmcfg_init(PCIExpressHost *e, const char *name, PCIBus *bus,
                          AddressSpace *as)
{
    memory_region_init_io(&e->mmio, name, 0, PCIE_MMCFG_SIZE_MAX, &mmcfg_ops,
                          e);
    e->bus = bus;
    e->as = as;
    e->mapped = false;
}

void pcie_host_mmcfg_update(PCIExpressHost *e, bool enable, hwaddr base,
                            uint64_t size)
{
    if (e->mapped) {
        address_space_del_region(e->as, &e->mmio);
        e->mapped = false;
    }
    if (!enable || size < PCIE_MMCFG_SIZE_MIN || size > PCIE_MMCFG_SIZE_MAX) {
        return;
    }
    memory_region_set_address(&e->mmio, base, size);
    address_space_add_region(e->as, &e->mmio);
    e->mapped = true;
}

void pcie_host_mmcfg_cleanup(PCIExpressHost *e)
{
    pcie_host_mmcfg_update(e, false, 0, 0);
    memory_region_finalize(&e->mmio);
}

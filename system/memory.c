/*
 * Guest address spaces.
 */
#include "system/memory.h"

#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

void address_space_init(AddressSpace *as, const char *name,
                        uint64_t unassigned_value)
{
    as->name = name;
    as->regions = g_ptr_array_new();
    as->unassigned_value = unassigned_value;
}

void address_space_destroy(AddressSpace *as)
{
    g_clear_pointer(&as->regions, g_ptr_array_unref);
}

void memory_region_init_io(MemoryRegion *mr, const char *name, hwaddr base,
                           uint64_t size, const MemoryRegionOps *ops,
                           void *opaque)
{
    *mr = (MemoryRegion) {
        .name = name, .base = base, .size = size, .ops = ops,
        .opaque = opaque, .enabled = true,
    };
}

void memory_region_init_ram(MemoryRegion *mr, const char *name, hwaddr base,
                            uint64_t size)
{
    *mr = (MemoryRegion) {
        .name = name, .base = base, .size = size, .enabled = true,
    };
    /*
     * Page-aligned, as the kernel wants for IOAS_MAP (the IOVA and the
     * user address share their offset in the page); anonymous pages
     * come zeroed and lazily.
     */
    mr->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mr->ram == MAP_FAILED) {
        g_error("cannot allocate %" PRIu64 " bytes of guest RAM", size);
    }
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (mr->ram) {
        munmap(mr->ram, mr->size);
        mr->ram = NULL;
    }
}

void address_space_add_region(AddressSpace *as, MemoryRegion *mr)
{
    g_ptr_array_add(as->regions, mr);
}

void address_space_del_region(AddressSpace *as, MemoryRegion *mr)
{
    if (as->regions) {
        g_ptr_array_remove(as->regions, mr);
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr base, uint64_t size)
{
    mr->base = base;
    mr->size = size;
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    mr->enabled = enabled;
}

/* The topmost enabled region that covers all of [addr, addr + len). */
static MemoryRegion *address_space_lookup(AddressSpace *as, hwaddr addr,
                                          uint64_t len)
{
    for (guint i = as->regions->len; i-- > 0;) {
        MemoryRegion *mr = g_ptr_array_index(as->regions, i);

        if (mr->enabled && addr >= mr->base && addr - mr->base < mr->size &&
            len <= mr->size - (addr - mr->base)) {
            return mr;
        }
    }
    return NULL;
}

uint64_t address_space_ld(AddressSpace *as, hwaddr addr, unsigned size)
{
    MemoryRegion *mr = address_space_lookup(as, addr, size);
    uint64_t mask = size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;

    if (!mr) {
        return as->unassigned_value & mask;
    }
    if (mr->ram) {
        uint64_t val = 0;

        for (unsigned i = 0; i < size; i++) {
            val |= (uint64_t)mr->ram[addr - mr->base + i] << (8 * i);
        }
        return val;
    }
    return mr->ops->read(mr->opaque, addr - mr->base, size) & mask;
}

void address_space_st(AddressSpace *as, hwaddr addr, uint64_t val,
                      unsigned size)
{
    MemoryRegion *mr = address_space_lookup(as, addr, size);

    if (!mr) {
        return;
    }
    if (mr->ram) {
        for (unsigned i = 0; i < size; i++) {
            mr->ram[addr - mr->base + i] = val >> (8 * i);
        }
        return;
    }
    if (mr->ops->write) {
        mr->ops->write(mr->opaque, addr - mr->base, val, size);
    }
}

void address_space_read(AddressSpace *as, hwaddr addr, void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        MemoryRegion *mr = address_space_lookup(as, addr, 1);
        size_t chunk = 1;

        if (mr && mr->ram) {
            chunk = MIN(len, mr->size - (addr - mr->base));
            memcpy(p, mr->ram + (addr - mr->base), chunk);
        } else {
            *p = address_space_ld(as, addr, 1);
        }
        p += chunk;
        addr += chunk;
        len -= chunk;
    }
}

void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         size_t len)
{
    const uint8_t *p = buf;

    while (len) {
        MemoryRegion *mr = address_space_lookup(as, addr, 1);
        size_t chunk = 1;

        if (mr && mr->ram) {
            chunk = MIN(len, mr->size - (addr - mr->base));
            memcpy(mr->ram + (addr - mr->base), p, chunk);
        } else {
            address_space_st(as, addr, *p, 1);
        }
        p += chunk;
        addr += chunk;
        len -= chunk;
    }
}

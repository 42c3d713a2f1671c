/*
 * Guest address spaces: a flat list of regions, each RAM or callbacks.
 *
 * There are no guest CPUs; the only initiators are qtest and the QMP
 * commands that read guest-visible state, so a linear region list is
 * enough (a machine has a handful of regions).
 */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint64_t hwaddr;

typedef struct MemoryRegionOps {
    /* @size is 1, 2, 4 or 8; @addr is relative to the region. */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t val, unsigned size);
} MemoryRegionOps;

typedef struct MemoryRegion {
    const char *name;
    hwaddr base;
    uint64_t size;
    const MemoryRegionOps *ops; /* NULL for RAM */
    void *opaque;
    uint8_t *ram;               /* host memory for RAM regions */
    bool enabled;
} MemoryRegion;

typedef struct AddressSpace {
    const char *name;
    GPtrArray *regions;         /* MemoryRegion *, not owned */
    /* What a read of nothing returns (all ones for I/O, 0 for memory). */
    uint64_t unassigned_value;
} AddressSpace;

void address_space_init(AddressSpace *as, const char *name,
                        uint64_t unassigned_value);
void address_space_destroy(AddressSpace *as);
void memory_region_init_io(MemoryRegion *mr, const char *name, hwaddr base,
                           uint64_t size, const MemoryRegionOps *ops,
                           void *opaque);
void memory_region_init_ram(MemoryRegion *mr, const char *name, hwaddr base,
                            uint64_t size);
void memory_region_finalize(MemoryRegion *mr);
/* Regions may overlap; the one added last wins. */
void address_space_add_region(AddressSpace *as, MemoryRegion *mr);
void address_space_del_region(AddressSpace *as, MemoryRegion *mr);
void memory_region_set_address(MemoryRegion *mr, hwaddr base, uint64_t size);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);

/* Little-endian loads and stores of 1, 2, 4 or 8 bytes. */
uint64_t address_space_ld(AddressSpace *as, hwaddr addr, unsigned size);
void address_space_st(AddressSpace *as, hwaddr addr, uint64_t val,
                      unsigned size);
/* Byte-wise bulk access; RAM is copied directly. */
void address_space_read(AddressSpace *as, hwaddr addr, void *buf, size_t len);
void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         size_t len);

#endif

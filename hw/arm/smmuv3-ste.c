/*
 * arm-smmuv3: the guest's stream table, read from guest RAM (SMMUv3
 * specification, 3.3): linear, or 2-level with level-1 descriptors
 * (L2Ptr, Span) each covering 2^SPLIT StreamIDs.
 *
 * Nothing here trusts the guest: a StreamID beyond STRTAB_BASE_CFG's
 * size or an invalid level-1 descriptor is C_BAD_STREAMID, a table
 * outside guest RAM is F_STE_FETCH, never an access outside RAM.
 */
#include "smmuv3-internal.h"

#include <string.h>

/* The guest RAM byte range [@addr, @addr + @len), or NULL. */
static uint8_t *smmu_ram_ptr(uint64_t addr, size_t len)
{
    MachineState *ms = qdev_get_machine();
    MemoryRegion *ram = ms ? &ms->ram : NULL;

    if (!ram || !ram->ram || addr < ram->base ||
        addr - ram->base > ram->size || len > ram->size - (addr - ram->base)) {
        return NULL;
    }
    return ram->ram + (addr - ram->base);
}

bool smmuv3_ram_read(uint64_t addr, void *buf, size_t len)
{
    uint8_t *p = smmu_ram_ptr(addr, len);

    if (p) {
        memcpy(buf, p, len);
    }
    return p != NULL;
}

bool smmuv3_ram_write(uint64_t addr, const void *buf, size_t len)
{
    uint8_t *p = smmu_ram_ptr(addr, len);

    if (p) {
        memcpy(p, buf, len);
    }
    return p != NULL;
}

uint32_t smmuv3_sid_of(PCIDevice *pdev)
{
    return (uint32_t)pci_bus_num(pdev->bus) << 8 | (pdev->devfn & 0xff);
}

/* Where @sid's STE is; else false with *@event. */
static bool smmu_ste_addr(SMMUv3State *s, uint32_t sid, uint64_t *addr,
                          int *event)
{
    uint64_t base = SMMU_STRTAB_ADDR(smmuv3_reg_get(s, A_STRTAB_BASE));
    uint32_t cfg = smmuv3_reg_get(s, A_STRTAB_BASE_CFG);
    unsigned log2 = SMMU_STRTAB_LOG2SIZE(cfg);
    unsigned split = SMMU_STRTAB_SPLIT(cfg), span;
    uint64_t l1;

    *event = SMMU_EVT_C_BAD_STREAMID;
    if (log2 < 32 && sid >> log2) {
        return false;
    }
    if (SMMU_STRTAB_FMT(cfg) == SMMU_STRTAB_FMT_LINEAR) {
        *addr = base + (uint64_t)sid * SMMU_STE_SIZE;
        return true;
    }
    /* The architecture allows SPLIT 6, 8 or 10 only. */
    if (SMMU_STRTAB_FMT(cfg) != SMMU_STRTAB_FMT_2LVL ||
        (split != 6 && split != 8 && split != 10)) {
        return false;
    }
    if (!smmuv3_ram_read(base + (uint64_t)(sid >> split) * 8, &l1,
                         sizeof(l1))) {
        *event = SMMU_EVT_F_STE_FETCH;
        return false;
    }
    l1 = GUINT64_FROM_LE(l1);
    span = SMMU_L1STD_SPAN(l1);
    /* Span 0: no level-2 table; else 2^(Span-1) STEs, at most 2^SPLIT. */
    if (!span || span > split + 1 ||
        (sid & ((1u << split) - 1)) >= (1u << (span - 1))) {
        return false;
    }
    *addr = SMMU_L1STD_L2PTR(l1) +
            (uint64_t)(sid & ((1u << split) - 1)) * SMMU_STE_SIZE;
    return true;
}

int smmuv3_read_ste(SMMUv3State *s, uint32_t sid, uint64_t ste[2])
{
    uint64_t addr;
    int event;

    if (!smmu_ste_addr(s, sid, &addr, &event)) {
        return event;
    }
    if (!smmuv3_ram_read(addr, ste, 2 * sizeof(uint64_t))) {
        return SMMU_EVT_F_STE_FETCH;
    }
    ste[0] = GUINT64_FROM_LE(ste[0]);
    ste[1] = GUINT64_FROM_LE(ste[1]);
    return 0;
}

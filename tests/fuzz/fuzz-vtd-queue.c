/*
 * intel-iommu x-flts=on: the invalidation queue and the scalable-mode
 * tables it makes the vIOMMU read.  Each input starts from a guest that
 * has set up, as Linux would, a root table, context entries for both
 * devices with a PASID directory, one PASID table, a 256-bit queue and
 * translation; the input then rewrites guest RAM in that 64 KiB window,
 * writes vIOMMU registers and queues descriptors.  Nothing it does may
 * crash the process, touch memory outside guest RAM, or leak host
 * objects past the reset that ends each input.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "system/memory.h"

#include <string.h>

#define VTD_MMIO 0xfed90000ULL
#define WIN 0x1000000ULL            /* the guest's tables, 64 KiB */
#define WIN_ROOT (WIN)
#define WIN_CTX (WIN + 0x1000)
#define WIN_PDIR (WIN + 0x2000)
#define WIN_PTBL (WIN + 0x3000)
#define WIN_IQ (WIN + 0x8000)
#define WIN_STATUS (WIN + 0xf000)

static AddressSpace *mem(void)
{
    return &qdev_get_machine()->memory;
}

static void reg_wr(unsigned off, uint64_t val, unsigned size)
{
    address_space_st(mem(), VTD_MMIO + off, val, size);
}

static void ram_wr64(uint64_t addr, uint64_t val)
{
    address_space_st(mem(), addr, val, 8);
}

/* What Linux's intel_iommu_init() and a device attach leave behind. */
static void guest_setup(uint32_t *tail)
{
    uint8_t zero[0x10000] = { 0 };

    address_space_write(mem(), WIN, zero, sizeof(zero));
    ram_wr64(WIN_ROOT, WIN_CTX | 1);
    for (unsigned devfn = 0x18; devfn <= 0x20; devfn += 8) {
        ram_wr64(WIN_CTX + devfn * 32, WIN_PDIR | (1 << 3) | 1);
    }
    ram_wr64(WIN_PDIR, WIN_PTBL | 1);
    reg_wr(0x20, WIN_ROOT | (1 << 10), 8);          /* RTADDR, SMT */
    reg_wr(0x18, 1u << 30, 4);                      /* SRTP */
    reg_wr(0x90, WIN_IQ | (1 << 11), 8);            /* IQA, DW */
    reg_wr(0x18, 1u << 26, 4);                      /* QIE */
    reg_wr(0x18, (1u << 26) | (1u << 31), 4);       /* TE */
    *tail = 0;
}

static uint64_t take64(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    size_t n = MIN((size_t)(end - *p), sizeof(v));

    memcpy(&v, *p, n);
    *p += n;
    return GUINT64_FROM_LE(v);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine_use_flts();
    fuzz_machine_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    uint32_t tail;

    fuzz_machine_init();
    guest_setup(&tail);
    for (unsigned ops = 0; p < end && ops < 256; ops++) {
        uint8_t op = *p++;
        uint64_t a = take64(&p, end), b;

        switch (op % 4) {
        case 0:                     /* 8 bytes of the table window */
            ram_wr64(WIN + (a & 0xfff8), take64(&p, end));
            break;
        case 1:                     /* queue a descriptor */
            for (unsigned i = 0; i < 4; i++) {
                ram_wr64(WIN_IQ + tail + i * 8, i ? take64(&p, end) : a);
            }
            tail = (tail + 32) % 0x1000;
            reg_wr(0x88, tail, 8);
            break;
        case 2:                     /* a register, any offset and size */
            b = take64(&p, end);
            reg_wr((a >> 8) % 0x230, b, 1u << (a & 3));
            break;
        default:                    /* a wait, as a driver ends a batch */
            ram_wr64(WIN_IQ + tail, 0x25 | (a << 32));
            ram_wr64(WIN_IQ + tail + 8, WIN_STATUS);
            ram_wr64(WIN_IQ + tail + 16, 0);
            ram_wr64(WIN_IQ + tail + 24, 0);
            tail = (tail + 32) % 0x1000;
            reg_wr(0x88, tail, 8);
            break;
        }
    }
    /* Each input starts from the reset state: no host object survives. */
    machine_reset(qdev_get_machine());
    return 0;
}

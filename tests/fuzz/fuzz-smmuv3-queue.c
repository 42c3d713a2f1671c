/*
 * arm-smmuv3 accel=on: the command queue and the stream and CD tables
 * it makes the vSMMU read.  Each input starts from a guest that has set
 * up, as Linux would, a linear stream table with S1 STEs for both
 * devices (behind two host SMMUs), the command and event queues and
 * SMMUEN; the input then rewrites guest RAM in that 64 KiB window,
 * writes vSMMU registers and queues commands.  Nothing it does may
 * crash the process, touch memory outside guest RAM, or leak host
 * objects past the reset that ends each input.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "system/host-sim.h"
#include "system/memory.h"

#include <string.h>

#define SMMU_MMIO 0x09050000ULL
#define WIN 0x41000000ULL           /* the guest's tables, 64 KiB */
#define WIN_STRTAB (WIN)            /* 256 STEs */
#define WIN_CMDQ (WIN + 0x8000)     /* 256 commands */
#define WIN_EVTQ (WIN + 0x9000)     /* 128 events */
#define WIN_CD (WIN + 0xa000)

static AddressSpace *mem(void)
{
    return &qdev_get_machine()->memory;
}

static void reg_wr(unsigned off, uint64_t val, unsigned size)
{
    address_space_st(mem(), SMMU_MMIO + off, val, size);
}

static void ram_wr64(uint64_t addr, uint64_t val)
{
    address_space_st(mem(), addr, val, 8);
}

/* What Linux's arm_smmu_device_reset() and two attaches leave behind. */
static void guest_setup(uint32_t *prod)
{
    uint8_t zero[0x10000] = { 0 };

    address_space_write(mem(), WIN, zero, sizeof(zero));
    for (unsigned sid = 0x18; sid <= 0x20; sid += 8) {
        ram_wr64(WIN_STRTAB + sid * 64, 1 | 5 << 1 | WIN_CD);
        ram_wr64(WIN_STRTAB + sid * 64 + 8, 2 | 1 << 2 | 1 << 4 | 3 << 6);
    }
    ram_wr64(WIN_CD, 16 | 1ull << 31 | 1ull << 41 | 1ull << 48);
    reg_wr(0x80, WIN_STRTAB, 8);                    /* linear, 2^8 */
    reg_wr(0x88, 8, 4);
    reg_wr(0x90, WIN_CMDQ | 8, 8);
    reg_wr(0xa0, WIN_EVTQ | 7, 8);
    reg_wr(0x20, 0xd, 4);                           /* CMDQ, EVTQ, SMMUEN */
    *prod = 0;
}

static uint64_t take64(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    size_t n = MIN((size_t)(end - *p), sizeof(v));

    memcpy(&v, *p, n);
    *p += n;
    return GUINT64_FROM_LE(v);
}

static void queue(uint32_t *prod, uint64_t c0, uint64_t c1)
{
    ram_wr64(WIN_CMDQ + (*prod & 0xff) * 16, c0);
    ram_wr64(WIN_CMDQ + (*prod & 0xff) * 16 + 8, c1);
    *prod = (*prod + 1) & 0x1ff;
    reg_wr(0x98, *prod, 4);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine_use_smmuv3();
    fuzz_machine_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    unsigned live;
    uint32_t prod;

    fuzz_machine_init();
    live = host_sim_live_objects();
    guest_setup(&prod);
    for (unsigned ops = 0; p < end && ops < 256; ops++) {
        uint8_t op = *p++;
        uint64_t a = take64(&p, end), b;

        switch (op % 5) {
        case 0:                     /* 8 bytes of the table window */
            ram_wr64(WIN + (a & 0xfff8), take64(&p, end));
            break;
        case 1:                     /* queue any command */
            queue(&prod, a, take64(&p, end));
            break;
        case 2:                     /* a register, any offset and size */
            b = take64(&p, end);
            reg_wr((a >> 8) % 0x100, b, 1u << (a & 3));
            break;
        case 3:                     /* a device's CFGI_STE */
            queue(&prod, 0x03 | (a & 1 ? 0x20ull : 0x18ull) << 32, 1);
            break;
        default:                    /* a SYNC, as a driver ends a batch */
            /* ... after acknowledging a stopped queue, as Linux does. */
            reg_wr(0x64, address_space_ld(mem(), SMMU_MMIO + 0x60, 4), 4);
            queue(&prod, 0x46 | 1 << 12, WIN_CMDQ + ((prod & 0xff) * 16));
            break;
        }
    }
    /* Each input starts from the reset state: no host object survives. */
    machine_reset(qdev_get_machine());
    g_assert_cmpuint(host_sim_live_objects(), ==, live);
    return 0;
}

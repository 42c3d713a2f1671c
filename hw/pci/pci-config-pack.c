/*
 * Packed extended config space.
 *
 * A function's config space is five per-byte arrays (values, write mask,
 * write-1-to-clear mask, reset values, emulated bits) of 4 KiB each for
 * PCIe: 20 KiB a device, mostly zero.  A vfio-pci function's extended
 * space holds a few capability headers and the 8-byte PASID capability
 * at 0xFF8; the rest reads as zero and is emulated.  Once realize has
 * built it, the class may pack it: the standard 256 bytes stay flat (the
 * header is where every access goes), the extended space becomes sorted
 * runs of the bytes that differ from that default.  Code that changes
 * the layout later unpacks, changes, and packs again.
 */
#include "hw/pci/pci.h"

#include <assert.h>
#include <string.h>

/* Runs are whole words; a gap shorter than GAP does not split one. */
#define PCI_CONFIG_RUN_WORD 8
#define PCI_CONFIG_RUN_GAP 16
#define PCI_CONFIG_RUN_CHUNK 256

static const uint8_t pci_config_default[PCI_CONFIG_NR_ARRAYS] = {
    [PCI_CONFIG_EMULATED] = 0xff,
};

/* The flat arrays, emulated[] NULL if the device has none. */
static void pci_config_flat_arrays(PCIDevice *pdev,
                                   uint8_t *arr[PCI_CONFIG_NR_ARRAYS])
{
    for (int a = 0; a < PCI_CONFIG_EMULATED; a++) {
        arr[a] = pdev->config + a * pdev->config_len;
    }
    arr[PCI_CONFIG_EMULATED] = pdev->emulated;
}

/* Whether the word at @off is at its default in every array. */
static bool pci_config_is_default(uint8_t *arr[PCI_CONFIG_NR_ARRAYS],
                                  unsigned off)
{
    uint64_t v, m, w1c, r, emu = UINT64_MAX;

    memcpy(&v, arr[PCI_CONFIG_VALUES] + off, sizeof(v));
    memcpy(&m, arr[PCI_CONFIG_WMASK] + off, sizeof(m));
    memcpy(&w1c, arr[PCI_CONFIG_W1CMASK] + off, sizeof(w1c));
    memcpy(&r, arr[PCI_CONFIG_RESET] + off, sizeof(r));
    if (arr[PCI_CONFIG_EMULATED]) {
        memcpy(&emu, arr[PCI_CONFIG_EMULATED] + off, sizeof(emu));
    }
    return !(v | m | w1c | r) && emu == UINT64_MAX;
}

/* Whether the whole chunk at @off is: most are, memcmp() skips them fast. */
static bool pci_config_chunk_is_default(uint8_t *arr[PCI_CONFIG_NR_ARRAYS],
                                        unsigned off)
{
    static const uint8_t zeros[PCI_CONFIG_RUN_CHUNK];
    static const uint8_t ones[PCI_CONFIG_RUN_CHUNK] = {
        [0 ... PCI_CONFIG_RUN_CHUNK - 1] = 0xff
    };

    for (int a = 0; a < PCI_CONFIG_NR_ARRAYS; a++) {
        if (arr[a] && memcmp(arr[a] + off, a == PCI_CONFIG_EMULATED ? ones
                                                                 : zeros,
                             PCI_CONFIG_RUN_CHUNK)) {
            return false;
        }
    }
    return true;
}

/* The runs of [lo, hi), in words; returns the bytes they cover. */
static size_t pci_config_find_runs(uint8_t *arr[PCI_CONFIG_NR_ARRAYS],
                                   unsigned lo, unsigned hi, GArray *runs)
{
    size_t total = 0;

    for (unsigned off = lo; off < hi; off += PCI_CONFIG_RUN_WORD) {
        PCIConfigRun run = { .pos = off };
        unsigned end = off + PCI_CONFIG_RUN_WORD;

        if (off % PCI_CONFIG_RUN_CHUNK == 0 &&
            pci_config_chunk_is_default(arr, off)) {
            off += PCI_CONFIG_RUN_CHUNK - PCI_CONFIG_RUN_WORD;
            continue;
        }
        if (pci_config_is_default(arr, off)) {
            continue;
        }
        for (off = end; off < hi && off < end + PCI_CONFIG_RUN_GAP;
             off += PCI_CONFIG_RUN_WORD) {
            if (!pci_config_is_default(arr, off)) {
                end = off + PCI_CONFIG_RUN_WORD;
            }
        }
        run.len = end - run.pos;
        off = end;
        total += run.len;
        g_array_append_val(runs, run);
    }
    return total;
}

void pci_config_set_block(PCIDevice *pdev, uint8_t *block, uint16_t len)
{
    g_free(pdev->config);
    pdev->config = block;
    pdev->wmask = block + PCI_CONFIG_WMASK * len;
    pdev->w1cmask = block + PCI_CONFIG_W1CMASK * len;
    pdev->reset_config = block + PCI_CONFIG_RESET * len;
    pdev->config_len = len;
}

void pci_config_pack(PCIDevice *pdev)
{
    const unsigned lo = PCI_CONFIG_SPACE_SIZE, hi = pdev->config_len;
    g_autoptr(GArray) runs = g_array_new(false, false, sizeof(PCIConfigRun));
    uint8_t *arr[PCI_CONFIG_NR_ARRAYS];
    PCIConfigRun *r;
    uint8_t *data, *std;
    size_t total;

    if (hi <= lo) {
        return;
    }
    pci_config_flat_arrays(pdev, arr);
    total = pci_config_find_runs(arr, lo, hi, runs);

    /* The runs and their bytes in one block, freed with ext_runs. */
    r = g_malloc(runs->len * sizeof(*r) + total * PCI_CONFIG_NR_ARRAYS);
    data = (uint8_t *)(r + runs->len);
    for (unsigned i = 0; i < runs->len; i++) {
        r[i] = g_array_index(runs, PCIConfigRun, i);
        r[i].bytes = data;
        for (int a = 0; a < PCI_CONFIG_NR_ARRAYS; a++, data += r[i].len) {
            if (arr[a]) {
                memcpy(data, arr[a] + r[i].pos, r[i].len);
            } else {
                memset(data, pci_config_default[a], r[i].len);
            }
        }
    }

    std = g_malloc(PCI_CONFIG_EMULATED * lo);
    for (int a = 0; a < PCI_CONFIG_EMULATED; a++) {
        memcpy(std + a * lo, arr[a], lo);
    }
    pci_config_set_block(pdev, std, lo);
    if (pdev->emulated) {
        pdev->emulated = g_realloc(pdev->emulated, lo);
    }
    pdev->ext_runs = r;
    pdev->nr_ext_runs = runs->len;
}

void pci_config_unpack(PCIDevice *pdev)
{
    const unsigned lo = pdev->config_len, size = pci_config_size(pdev);
    uint8_t *flat, *arr[PCI_CONFIG_NR_ARRAYS];

    if (lo >= size) {
        return;
    }
    flat = g_malloc0(PCI_CONFIG_EMULATED * size);
    for (int a = 0; a < PCI_CONFIG_EMULATED; a++) {
        memcpy(flat + a * size, pdev->config + a * lo, lo);
    }
    pci_config_set_block(pdev, flat, size);
    if (pdev->emulated) {
        pdev->emulated = g_realloc(pdev->emulated, size);
        memset(pdev->emulated + lo, 0xff, size - lo);
    }

    pci_config_flat_arrays(pdev, arr);
    for (unsigned i = 0; i < pdev->nr_ext_runs; i++) {
        const PCIConfigRun *r = &pdev->ext_runs[i];

        for (int a = 0; a < PCI_CONFIG_NR_ARRAYS; a++) {
            if (arr[a]) {
                memcpy(arr[a] + r->pos, r->bytes + a * r->len, r->len);
            }
        }
    }
    g_clear_pointer(&pdev->ext_runs, g_free);
    pdev->nr_ext_runs = 0;
}

void pci_config_free(PCIDevice *pdev)
{
    g_clear_pointer(&pdev->config, g_free);
    g_clear_pointer(&pdev->emulated, g_free);
    g_clear_pointer(&pdev->ext_runs, g_free);
    pdev->wmask = pdev->w1cmask = pdev->reset_config = NULL;
    pdev->nr_ext_runs = 0;
    pdev->config_len = 0;
}

/* Copy array @from over array @to, flat part and runs. */
static void pci_config_copy(PCIDevice *pdev, PCIConfigArray to,
                            PCIConfigArray from)
{
    memcpy(pdev->config + to * pdev->config_len,
           pdev->config + from * pdev->config_len, pdev->config_len);
    for (unsigned i = 0; i < pdev->nr_ext_runs; i++) {
        PCIConfigRun *r = &pdev->ext_runs[i];

        memcpy(r->bytes + to * r->len, r->bytes + from * r->len, r->len);
    }
}

void pci_config_restore(PCIDevice *pdev)
{
    pci_config_copy(pdev, PCI_CONFIG_VALUES, PCI_CONFIG_RESET);
}

void pci_config_snapshot(PCIDevice *pdev)
{
    pci_config_copy(pdev, PCI_CONFIG_RESET, PCI_CONFIG_VALUES);
}

static int pci_config_run_cmp(const void *key, const void *elem)
{
    uint32_t off = *(const uint32_t *)key;
    const PCIConfigRun *r = elem;

    return off < r->pos ? -1 : off >= (uint32_t)r->pos + r->len ? 1 : 0;
}

static PCIConfigRun *pci_config_find_run(PCIDevice *pdev, uint32_t off)
{
    if (!pdev->nr_ext_runs) {
        return NULL;
    }
    return bsearch(&off, pdev->ext_runs, pdev->nr_ext_runs,
                   sizeof(PCIConfigRun), pci_config_run_cmp);
}

uint8_t *pci_config_run_cell(PCIDevice *pdev, PCIConfigArray a, uint32_t off)
{
    PCIConfigRun *r = pci_config_find_run(pdev, off);

    return r ? r->bytes + a * r->len + (off - r->pos) : NULL;
}

/*
 * Replace the runs touching [lo, hi) (closer than a gap) by one covering
 * them all; bytes new to it start at their default.
 */
static void pci_config_merge_runs(PCIDevice *pdev, unsigned lo, unsigned hi)
{
    const PCIConfigRun *old = pdev->ext_runs;
    unsigned n = 0, total = 0;
    PCIConfigRun *r;
    uint8_t *data;
    bool merged_out = false;

    /* Sorted and disjoint: one pass finds the bounds. */
    for (unsigned i = 0; i < pdev->nr_ext_runs; i++) {
        if (old[i].pos + old[i].len + PCI_CONFIG_RUN_GAP > (int)lo &&
            (unsigned)old[i].pos < hi + PCI_CONFIG_RUN_GAP) {
            lo = MIN(lo, old[i].pos);
            hi = MAX(hi, (unsigned)old[i].pos + old[i].len);
        }
    }
    for (unsigned i = 0; i < pdev->nr_ext_runs; i++) {
        if (old[i].pos < lo || old[i].pos >= hi) {
            n++;
            total += old[i].len;
        }
    }
    n++;
    total += hi - lo;

    r = g_malloc(n * sizeof(*r) + total * PCI_CONFIG_NR_ARRAYS);
    data = (uint8_t *)(r + n);
    n = 0;
    for (unsigned i = 0; i <= pdev->nr_ext_runs; i++) {
        bool end = i == pdev->nr_ext_runs;

        if (!merged_out && (end || old[i].pos >= lo)) {
            r[n] = (PCIConfigRun){ .pos = lo, .len = hi - lo, .bytes = data };
            for (int a = 0; a < PCI_CONFIG_NR_ARRAYS; a++) {
                memset(data + a * (hi - lo), pci_config_default[a], hi - lo);
            }
            data += PCI_CONFIG_NR_ARRAYS * (hi - lo);
            merged_out = true;
            n++;
        }
        if (end) {
            break;
        }
        if (old[i].pos >= lo && old[i].pos < hi) {
            /* Into the merged run. */
            for (int a = 0; a < PCI_CONFIG_NR_ARRAYS; a++) {
                memcpy(r[n - 1].bytes + a * (hi - lo) + old[i].pos - lo,
                       old[i].bytes + a * old[i].len, old[i].len);
            }
            continue;
        }
        r[n] = old[i];
        r[n].bytes = data;
        memcpy(data, old[i].bytes, PCI_CONFIG_NR_ARRAYS * old[i].len);
        data += PCI_CONFIG_NR_ARRAYS * old[i].len;
        n++;
    }
    g_free(pdev->ext_runs);
    pdev->ext_runs = r;
    pdev->nr_ext_runs = n;
}

void pci_config_reserve(PCIDevice *pdev, uint32_t off, unsigned len)
{
    uint32_t last = off + len - 1;
    PCIConfigRun *r;

    if (last < pdev->config_len) {
        return;
    }
    assert(off >= pdev->config_len && last < pci_config_size(pdev));
    r = pci_config_find_run(pdev, off);
    if (r && last < (uint32_t)r->pos + r->len) {
        return;
    }
    pci_config_merge_runs(pdev, off & -PCI_CONFIG_RUN_WORD,
                          (last | (PCI_CONFIG_RUN_WORD - 1)) + 1);
}

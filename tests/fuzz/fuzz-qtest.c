/*
 * Guest register access: every input is a list of qtest command lines
 * run against a machine with intel-iommu, root ports and vfio-pci.
 * Nothing a guest does may crash the process.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "system/qtest.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine_init();
    return 0;
}

/*
 * Bulk commands with sizes of megabytes are legal but only make the
 * fuzzer slow (each byte of MMIO is one access): keep them small.
 */
static bool fuzz_line_too_big(const char *line)
{
    static const char *const bulk[] = {
        "read", "b64read", "write", "b64write", "memset", NULL
    };
    g_auto(GStrv) w = g_strsplit(line, " ", 4);

    if (!w[0] || !w[1] || !w[2] || !g_strv_contains(bulk, w[0])) {
        return false;
    }
    return g_ascii_strtoull(w[2], NULL, 0) > 0x10000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_auto(GStrv) lines = g_strsplit(text, "\n", 256);

    fuzz_machine_init();
    for (int i = 0; lines[i]; i++) {
        if (!fuzz_line_too_big(lines[i])) {
            g_free(qtest_process_line(lines[i]));
        }
    }
    /* Each input starts from the reset state, as after system_reset. */
    machine_reset(qdev_get_machine());
    return 0;
}

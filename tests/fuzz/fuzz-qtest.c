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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_auto(GStrv) lines = g_strsplit(text, "\n", 256);

    fuzz_machine_init();
    for (int i = 0; lines[i]; i++) {
        g_free(qtest_process_line(lines[i]));
    }
    /* Each input starts from the reset state, as after system_reset. */
    machine_reset(qdev_get_machine());
    return 0;
}

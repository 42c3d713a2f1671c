/*
 * Without libFuzzer: run a fuzz target over files and directories of
 * inputs (its seed corpus), so the suite keeps the targets working.
 */
#include "fuzz.h"

#include <glib.h>
#include <stdio.h>

static unsigned run_path(const char *path)
{
    g_autofree char *data = NULL;
    gsize len;
    GDir *dir = g_dir_open(path, 0, NULL);
    unsigned n = 0;

    if (dir) {
        const char *name;

        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);

            n += run_path(child);
        }
        g_dir_close(dir);
        return n;
    }
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 0;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    return 1;
}

int main(int argc, char **argv)
{
    unsigned n = 0;

    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        n += run_path(argv[i]);
    }
    printf("replayed %u input%s\n", n, n == 1 ? "" : "s");
    return n ? 0 : 1;
}

/*
 * Host description files: any input gives a simulated host or one clear
 * error, never a crash or a leak.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "system/host-sim.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-host-desc", 0);
    g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);
    g_autoptr(GError) err = NULL;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, data, size), ==, (ssize_t)size);
    if (host_sim_start(path, &err)) {
        host_sim_stop();
    } else {
        g_assert_nonnull(err);
        g_assert_null(strchr(err->message, '\n'));
    }
    close(fd);
    return 0;
}

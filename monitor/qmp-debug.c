/*
 * x-debug-heap: the process's live heap and open file descriptors, for
 * the per-command leak test and the soak (tests/qtest/leak-test.c).
 *
 * "in-use" is the sanitizer's count of live allocated bytes in the
 * AddressSanitizer build, else glibc's mallinfo2() bytes in use (main
 * arena plus mmapped chunks: every command runs on the main thread).
 * Run with G_SLICE=always-malloc, or GLib's slice allocator keeps its
 * objects out of both figures.
 */
#include <dirent.h>
#include <malloc.h>
#include <stdint.h>

#include "monitor/monitor.h"
#include "monitor/qmp-args.h"

#if defined(__SANITIZE_ADDRESS__)
#define VV_HEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VV_HEAP_ASAN 1
#endif
#endif

#ifdef VV_HEAP_ASAN
/* From the sanitizers' public interface (allocator_interface.h). */
size_t __sanitizer_get_current_allocated_bytes(void);

static const char *heap_source = "asan";

static uint64_t heap_in_use(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
static const char *heap_source = "mallinfo2";

static uint64_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();

    return mi.uordblks + mi.hblkhd;
}
#endif

static int64_t open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int64_t n = 0;

    if (!d) {
        return -1;
    }
    while (readdir(d)) {
        n++;
    }
    closedir(d);
    return n - 3;               /* ".", ".." and the one opendir holds */
}

static JsonNode *qmp_x_debug_heap(JsonObject *args, Error **errp)
{
    JsonObject *o;
    uint64_t in_use;

    in_use = heap_in_use();     /* before this reply's own allocations */
    o = json_object_new();
    json_object_set_int_member(o, "in-use", in_use);
    json_object_set_string_member(o, "source", heap_source);
    json_object_set_int_member(o, "fds", open_fds());
    return qmp_return_object(o);
}

void qmp_debug_register(void)
{
    qmp_register_command("x-debug-heap", qmp_x_debug_heap);
}

/*
 * QMP commands with arbitrary arguments (device_add, device_del, qom-get,
 * x-host-sim-fault, ...) against the fuzzing machine, read from the input
 * by the QMP server's JSON streamer.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"
#include "qemu/json-parser.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine_init();
    return 0;
}

static void run_command(const JsonView *req)
{
    JsonView exec, args;
    bool has_args = json_view_member(req, "arguments", &args);
    g_autoptr(GError) err = NULL;
    g_autofree char *name = NULL;
    JsonNode *ret;

    if (!json_view_member(req, "execute", &exec) ||
        json_view_kind(&exec) != JSON_KIND_STRING ||
        (has_args && json_view_kind(&args) != JSON_KIND_OBJECT)) {
        return;
    }
    name = json_view_get_string(&exec);
    if (!strcmp(name, "quit")) {
        return;     /* would end a real run; nothing to fuzz */
    }
    ret = qmp_dispatch_view(name, has_args ? &args : NULL, &err);
    if (ret) {
        json_node_unref(ret);
    }
}

typedef struct FuzzQmp {
    guint commands;
} FuzzQmp;

/* Each value of the stream, read in place as the QMP server reads it. */
static void fuzz_qmp_value(void *opaque, const JsonView *value, Error *err)
{
    FuzzQmp *f = opaque;

    g_clear_error(&err);
    if (value && json_view_kind(value) == JSON_KIND_OBJECT &&
        f->commands++ < 64) {
        run_command(value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzQmp f = { 0 };
    JsonStreamer *js = json_streamer_new_view(fuzz_qmp_value, &f);

    fuzz_machine_init();
    /* the server's own reader: QEMU's lexer, limits and recovery */
    json_streamer_feed(js, (const char *)data, size);
    json_streamer_flush(js);
    json_streamer_free(js);
    /* device_add and friends change the machine: start afresh. */
    fuzz_machine_destroy();
    return 0;
}

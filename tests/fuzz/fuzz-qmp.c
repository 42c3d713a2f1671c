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

static void run_command(JsonObject *req)
{
    JsonNode *exec = json_object_get_member(req, "execute");
    g_autoptr(GError) err = NULL;
    JsonObject *args = NULL;
    const char *name;
    JsonNode *ret;

    if (!exec || !JSON_NODE_HOLDS_VALUE(exec) ||
        json_node_get_value_type(exec) != G_TYPE_STRING) {
        return;
    }
    name = json_object_get_string_member(req, "execute");
    if (!strcmp(name, "quit")) {
        return;     /* would end a real run; nothing to fuzz */
    }
    if (json_object_has_member(req, "arguments")) {
        JsonNode *a = json_object_get_member(req, "arguments");

        if (!JSON_NODE_HOLDS_OBJECT(a)) {
            return;
        }
        args = json_object_ref(json_node_get_object(a));
    } else {
        args = json_object_new();
    }
    ret = qmp_dispatch_command(name, args, &err);
    if (ret) {
        json_node_unref(ret);
    }
    json_object_unref(args);
}

typedef struct FuzzQmp {
    guint commands;
} FuzzQmp;

/* Each value of the stream, as the QMP server would get it. */
static void fuzz_qmp_value(void *opaque, JsonNode *value, Error *err)
{
    FuzzQmp *f = opaque;

    g_clear_error(&err);
    if (value && JSON_NODE_HOLDS_OBJECT(value) && f->commands++ < 64) {
        run_command(json_node_get_object(value));
    }
    g_clear_pointer(&value, json_node_unref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzQmp f = { 0 };
    JsonStreamer *js = json_streamer_new(fuzz_qmp_value, &f);

    fuzz_machine_init();
    /* the server's own reader: QEMU's lexer, limits and recovery */
    json_streamer_feed(js, (const char *)data, size);
    json_streamer_flush(js);
    json_streamer_free(js);
    /* device_add and friends change the machine: start afresh. */
    fuzz_machine_destroy();
    return 0;
}

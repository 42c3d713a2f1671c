/*
 * QMP commands with arbitrary arguments (device_add, device_del, qom-get,
 * x-host-sim-fault, ...) against the fuzzing machine.
 */
#include "fuzz.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    JsonNode *root;

    fuzz_machine_init();
    if (!json_parser_load_from_data(parser, (const char *)data, size, NULL)) {
        return 0;
    }
    root = json_parser_get_root(parser);
    if (root && JSON_NODE_HOLDS_ARRAY(root)) {
        JsonArray *list = json_node_get_array(root);

        for (guint i = 0; i < json_array_get_length(list) && i < 64; i++) {
            JsonNode *n = json_array_get_element(list, i);

            if (JSON_NODE_HOLDS_OBJECT(n)) {
                run_command(json_node_get_object(n));
            }
        }
    } else if (root && JSON_NODE_HOLDS_OBJECT(root)) {
        run_command(json_node_get_object(root));
    }
    /* device_add and friends change the machine: start afresh. */
    fuzz_machine_destroy();
    return 0;
}

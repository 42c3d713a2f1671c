/*
 * The QMP wire reader: arbitrary bytes through the JSON streamer (QEMU's
 * lexer, limits, recovery), fed in two pieces cut where the first byte
 * says, and every value written back with QEMU's escaping and read again.
 */
#include "fuzz.h"
#include "qemu/json-parser.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

static void append_node(GString *out, JsonNode *node);

static void append_members(GString *out, JsonObject *obj)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    g_string_append_c(out, '{');
    for (GList *l = members; l; l = l->next) {
        json_append_quoted(out, l->data);
        g_string_append_c(out, ':');
        append_node(out, json_object_get_member(obj, l->data));
        g_string_append(out, l->next ? "," : "");
    }
    g_string_append_c(out, '}');
}

static void append_node(GString *out, JsonNode *node)
{
    if (JSON_NODE_HOLDS_OBJECT(node)) {
        append_members(out, json_node_get_object(node));
    } else if (JSON_NODE_HOLDS_ARRAY(node)) {
        JsonArray *a = json_node_get_array(node);

        g_string_append_c(out, '[');
        for (guint i = 0; i < json_array_get_length(a); i++) {
            append_node(out, json_array_get_element(a, i));
            g_string_append(out, i + 1 < json_array_get_length(a) ? "," : "");
        }
        g_string_append_c(out, ']');
    } else if (JSON_NODE_HOLDS_NULL(node)) {
        g_string_append(out, "null");
    } else if (json_node_get_value_type(node) == G_TYPE_STRING) {
        json_append_quoted(out, json_node_get_string(node));
    } else if (json_node_get_value_type(node) == G_TYPE_BOOLEAN) {
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
    } else {
        g_string_append(out, "0");     /* numbers are not round-tripped */
    }
}

/* What QEMU writes, QEMU reads back: the text is a value again. */
static void fuzz_json_value(void *opaque, JsonNode *value, Error *err)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(JsonNode) again = NULL;

    g_clear_error(&err);
    if (!value) {
        return;
    }
    append_node(out, value);
    again = json_parse_text(out->str, NULL);
    g_assert_nonnull(again);
    json_node_unref(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    JsonStreamer *js = json_streamer_new(fuzz_json_value, NULL);
    size_t cut = size ? data[0] % (size + 1) : 0;

    json_streamer_feed(js, (const char *)data, cut);
    json_streamer_feed(js, (const char *)data + cut, size - cut);
    json_streamer_flush(js);
    json_streamer_free(js);
    return 0;
}

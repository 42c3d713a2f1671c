/*
 * The QMP wire reader: arbitrary bytes through the JSON streamer (QEMU's
 * lexer, limits, recovery), fed in two pieces cut where the first byte
 * says, and every value written back as QEMU writes it and read again.
 */
#include "fuzz.h"
#include "qemu/json-parser.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
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
    json_append_node(out, value);
    again = json_parse_text(out->str, NULL);
    /* as QEMU, 1e999 is written "inf", which no JSON reader takes */
    g_assert_true(again || strstr(out->str, "inf") || strstr(out->str, "nan"));
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

/*
 * JSON as QEMU reads and writes it: a streaming lexer with QEMU's limits
 * and error recovery, a parser building json-glib nodes, and QEMU's
 * string escaping for output.
 *
 * Strings are modified UTF-8, as in QEMU: "\u0000" becomes the two
 * bytes C0 80 (so a NUL never cuts a string short) and is written back
 * as "\u0000".  Single-quoted strings are accepted, as QEMU's lexer does.
 */
#ifndef QEMU_JSON_PARSER_H
#define QEMU_JSON_PARSER_H

#include <json-glib/json-glib.h>

#include "qapi/error.h"

/* QEMU's bounds on one message (qobject/json-streamer.c). */
#define JSON_MAX_TOKEN_SIZE (64ULL << 20)
#define JSON_MAX_TOKEN_COUNT (2ULL << 20)
#define JSON_MAX_NESTING 1024

typedef enum JsonTokenType {
    JSON_TOK_ERROR,
    JSON_TOK_LCURLY,
    JSON_TOK_RCURLY,
    JSON_TOK_LSQUARE,
    JSON_TOK_RSQUARE,
    JSON_TOK_COLON,
    JSON_TOK_COMMA,
    JSON_TOK_INTEGER,
    JSON_TOK_FLOAT,
    JSON_TOK_KEYWORD,
    JSON_TOK_STRING,
} JsonTokenType;

/* A token's text is @text[off, off + len) of the buffer it came from. */
typedef struct JsonToken {
    JsonTokenType type;
    gsize off;
    gsize len;
} JsonToken;

/*
 * Called once per top-level value with either @value (owned by the
 * callee) or @err (owned by the callee).
 */
typedef void JsonEmitFunc(void *opaque, JsonNode *value, Error *err);

typedef struct JsonStreamer JsonStreamer;

JsonStreamer *json_streamer_new(JsonEmitFunc *emit, void *opaque);
/*
 * Feed bytes; values and errors are emitted as soon as they are complete.
 * Work per byte is bounded: a message costs time linear in its size.
 */
void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len);
/* End of input: finish or report what is pending, then start afresh. */
void json_streamer_flush(JsonStreamer *js);
/* Drop anything pending (a new connection). */
void json_streamer_reset(JsonStreamer *js);
void json_streamer_free(JsonStreamer *js);

/*
 * Parse @n tokens of @text forming exactly one value (the streamer
 * guarantees nesting of at most JSON_MAX_NESTING).
 */
JsonNode *json_parse_tokens(const char *text, const JsonToken *toks,
                            guint n, Error **errp);

/* Exactly one JSON value from @text (NUL-terminated). */
JsonNode *json_parse_text(const char *text, Error **errp);

/* Append @s as a JSON string with QEMU's escaping (ASCII only). */
void json_append_quoted(GString *out, const char *s);
/* Append @v in decimal. */
void json_append_int(GString *out, gint64 v);
/* Append a value / an object as QEMU writes them ({"a": 1, "b": [2]}). */
void json_append_node(GString *out, JsonNode *node);
void json_append_object(GString *out, JsonObject *obj);

/*
 * The code point of the modified UTF-8 sequence at @s (at most @n bytes),
 * -1 if invalid; *@end is set past it.
 */
int mod_utf8_codepoint(const char *s, size_t n, const char **end);

#endif

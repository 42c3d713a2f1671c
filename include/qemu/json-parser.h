/*
 * JSON as QEMU reads and writes it: a streaming lexer with QEMU's limits
 * and error recovery, a parser checking values with QEMU's rules to be
 * read in place or as json-glib nodes, and QEMU's string escaping for
 * output.
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

/*
 * A token's text is @text[off, off + len) of the buffer it came from.
 * Once checked (json_check_tokens()), a token that starts a value has
 * @span, the number of tokens of that value.
 */
typedef struct JsonToken {
    JsonTokenType type;
    guint span;
    gsize off;
    gsize len;
} JsonToken;

/*
 * A checked value, read in place from its tokens: QMP looks at a request
 * this way, and builds json-glib nodes only for what needs them.  Valid
 * as long as the text and tokens it points into.
 */
typedef struct JsonView {
    const char *text;
    const JsonToken *tok;       /* the value's first token */
} JsonView;

/*
 * Called once per top-level value with either @value (owned by the
 * callee) or @err (owned by the callee).
 */
typedef void JsonEmitFunc(void *opaque, JsonNode *value, Error *err);
/* The same with the value read in place (valid during the call only). */
typedef void JsonViewFunc(void *opaque, const JsonView *value, Error *err);

typedef struct JsonStreamer JsonStreamer;

JsonStreamer *json_streamer_new(JsonEmitFunc *emit, void *opaque);
/* @emit must neither feed nor reset the streamer calling it. */
JsonStreamer *json_streamer_new_view(JsonViewFunc *emit, void *opaque);
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
 * Check @n tokens of @text forming exactly one value (the streamer
 * guarantees nesting of at most JSON_MAX_NESTING) with QEMU's parser's
 * rules and messages, and set their @span.
 */
bool json_check_tokens(const char *text, JsonToken *toks, guint n,
                       Error **errp);

typedef enum JsonKind {
    JSON_KIND_NULL,
    JSON_KIND_BOOL,
    JSON_KIND_INT,              /* a whole number that fits in int64 */
    JSON_KIND_DOUBLE,
    JSON_KIND_STRING,
    JSON_KIND_OBJECT,
    JSON_KIND_ARRAY,
} JsonKind;

JsonKind json_view_kind(const JsonView *v);
/*
 * The members of object @obj in order:
 *     for (bool more = json_view_first_member(obj, &name, &value); more;
 *          more = json_view_next_member(&name, &value))
 */
bool json_view_first_member(const JsonView *obj, JsonView *name,
                            JsonView *value);
bool json_view_next_member(JsonView *name, JsonView *value);
/* The value of member @name of object @obj, if it has one. */
bool json_view_member(const JsonView *obj, const char *name, JsonView *value);
/* The elements of array @arr, as the members above. */
bool json_view_first_element(const JsonView *arr, JsonView *elem);
bool json_view_next_element(JsonView *elem);
/* Whether string @v, unescaped, is @s. */
bool json_view_string_is(const JsonView *v, const char *s);
/* Its value, for a value of that kind; the string unescaped, to g_free. */
char *json_view_get_string(const JsonView *v);
bool json_view_get_bool(const JsonView *v);
gint64 json_view_get_int(const JsonView *v);
double json_view_get_double(const JsonView *v);
/* The value as json-glib nodes. */
JsonNode *json_view_to_node(const JsonView *v);

/* Exactly one JSON value from @text (NUL-terminated), kept to be read. */
typedef struct JsonDoc JsonDoc;
JsonDoc *json_doc_parse(const char *text, Error **errp);
JsonView json_doc_root(const JsonDoc *doc);
void json_doc_free(JsonDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(JsonDoc, json_doc_free)

/* The same as json-glib nodes. */
JsonNode *json_parse_text(const char *text, Error **errp);

/* Append @s as a JSON string with QEMU's escaping (ASCII only). */
void json_append_quoted(GString *out, const char *s);
/*
 * Append "NAME": for a member of the object being written, after a comma
 * unless it is the first (@out ends with its '{').
 */
void json_append_member_name(GString *out, const char *name);
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

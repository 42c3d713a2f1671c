/*
 * JSON tokens to json-glib nodes, with QEMU's parser's rules and error
 * texts ("JSON parse error, ..."), and QEMU's string escaping for output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/json-parser.h"

typedef struct JsonParseCtx {
    const char *text;
    const JsonToken *toks;
    guint n;
    guint pos;
    int depth;
    GString *buf;               /* a string, key or number being decoded */
    Error *err;
} JsonParseCtx;

static void G_GNUC_PRINTF(2, 3) parse_error(JsonParseCtx *c,
                                            const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (c->err) {
        return;                 /* the first error is the one reported */
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&c->err, "JSON parse error, %s", msg);
}

static const JsonToken *peek(JsonParseCtx *c)
{
    return c->pos < c->n ? &c->toks[c->pos] : NULL;
}

static const JsonToken *pop(JsonParseCtx *c)
{
    return c->pos < c->n ? &c->toks[c->pos++] : NULL;
}

/* The token's text, in c->buf until the next token is looked at. */
static const char *tok_str(JsonParseCtx *c, const JsonToken *t)
{
    g_string_truncate(c->buf, 0);
    g_string_append_len(c->buf, c->text + t->off, t->len);
    return c->buf->str;
}

/* Unicode's 66 noncharacters, surrogates and beyond U+10FFFF are refused. */
static bool codepoint_valid(int cp)
{
    return cp >= 0 && cp <= 0x10ffff &&
           !(cp >= 0xfdd0 && cp <= 0xfdef) && (cp & 0xfffe) != 0xfffe &&
           !(cp >= 0xd800 && cp <= 0xdfff);
}

/* Modified UTF-8: U+0000 is C0 80, so it never ends a C string. */
static bool mod_utf8_append(GString *out, int cp)
{
    if (!codepoint_valid(cp)) {
        return false;
    }
    if (cp > 0 && cp < 0x80) {
        g_string_append_c(out, cp);
    } else if (cp < 0x800) {
        g_string_append_c(out, 0xc0 | (cp >> 6));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        g_string_append_c(out, 0xe0 | (cp >> 12));
        g_string_append_c(out, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    } else {
        g_string_append_c(out, 0xf0 | (cp >> 18));
        g_string_append_c(out, 0x80 | ((cp >> 12) & 0x3f));
        g_string_append_c(out, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    }
    return true;
}

int mod_utf8_codepoint(const char *s, size_t n, const char **end)
{
    static const int min_cp[] = { 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
    const unsigned char *p = (const unsigned char *)s;
    unsigned len = 0;
    int cp;

    if (!n || !*p) {
        *end = s;
        return -1;
    }
    if (*p < 0x80) {
        *end = s + 1;
        return *p;
    }
    if (*p >= 0xfe || !(*p & 0x40)) {
        *end = s + 1;            /* impossible byte or lone continuation */
        return -1;
    }
    for (unsigned mask = 0x80; *p & mask; mask >>= 1) {
        len++;
    }
    cp = *p++ & (0x7f >> len);
    for (unsigned i = 1; i < len; i++, p++) {
        if (i >= n || (*p & 0xc0) != 0x80) {
            *end = (const char *)p;
            return -1;
        }
        cp = (cp << 6) | (*p & 0x3f);
    }
    *end = (const char *)p;
    if (!codepoint_valid(cp) ||
        (cp < min_cp[len - 2] && !(cp == 0 && len == 2))) {
        return -1;               /* overlong unless C0 80 */
    }
    return cp;
}

static int hex4(const char *s, const char *end)
{
    int cp = 0;

    for (int i = 0; i < 4; i++) {
        if (s + i >= end || !g_ascii_isxdigit(s[i])) {
            return -1;
        }
        cp = (cp << 4) | g_ascii_xdigit_value(s[i]);
    }
    return cp;
}

/* "\uXXXX", or a surrogate pair of them; *@p is past the 'u'. */
static bool parse_unicode_escape(JsonParseCtx *c, GString *out,
                                 const char **p, const char *beg,
                                 const char *end)
{
    int cp = hex4(*p, end);
    int trail;

    *p += 4;
    if (cp >= 0xd800 && cp <= 0xdbff && *p + 1 < end && (*p)[0] == '\\' &&
        (*p)[1] == 'u') {
        trail = hex4(*p + 2, end);
        if (trail >= 0xdc00 && trail <= 0xdfff) {
            cp = 0x10000 + ((cp & 0x3ff) << 10) + (trail & 0x3ff);
            *p += 6;
        } else {
            cp = -1;
        }
    }
    if (!mod_utf8_append(out, cp)) {
        /* QEMU quotes the escape, up to the closing quote at most */
        parse_error(c, "%.*s is not a valid Unicode character",
                    (int)(MIN(*p, end + 1) - beg), beg);
        return false;
    }
    return true;
}

static bool parse_escape(JsonParseCtx *c, GString *out, const char **p,
                         const char *end)
{
    static const char from[] = "\"'\\/bfnrt";
    static const char to[] = "\"'\\/\b\f\n\r\t";
    const char *beg = *p;
    char e = (*p)[1];
    const char *hit = e ? strchr(from, e) : NULL;

    *p += 2;
    if (hit) {
        g_string_append_c(out, to[hit - from]);
        return true;
    }
    if (e == 'u') {
        return parse_unicode_escape(c, out, p, beg, end);
    }
    parse_error(c, "invalid escape sequence in string");
    return false;
}

/* Printable ASCII but the escape: a byte that stands for itself. */
static bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '\\';
}

/* The string token @t, unescaped, into c->buf. */
static bool decode_string(JsonParseCtx *c, const JsonToken *t)
{
    const char *p = c->text + t->off + 1;
    const char *end = c->text + t->off + t->len - 1;    /* closing quote */
    GString *out = c->buf;

    g_string_truncate(out, 0);
    while (p < end) {
        const char *run = p;
        const char *next;

        while (p < end && plain_byte(*p)) {
            p++;
        }
        g_string_append_len(out, run, p - run);
        if (p == end) {
            break;
        }
        if (*p == '\\') {
            if (!parse_escape(c, out, &p, end)) {
                return false;
            }
        } else if (mod_utf8_codepoint(p, end - p, &next) < 0) {
            parse_error(c, "invalid UTF-8 sequence in string");
            return false;
        } else {
            g_string_append_len(out, p, next - p);
            p = next;
        }
    }
    return true;
}

static JsonNode *parse_string(JsonParseCtx *c, const JsonToken *t)
{
    JsonNode *node;

    if (!decode_string(c, t)) {
        return NULL;
    }
    node = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(node, c->buf->str);
    return node;
}

/* QEMU: an integer is int64 if it fits, else (here) a double. */
static JsonNode *parse_number(JsonParseCtx *c, const JsonToken *t)
{
    const char *s = tok_str(c, t);
    JsonNode *node = json_node_new(JSON_NODE_VALUE);
    gint64 v;

    if (t->type == JSON_TOK_INTEGER) {
        errno = 0;
        v = g_ascii_strtoll(s, NULL, 10);
        if (!errno) {
            json_node_set_int(node, v);
            return node;
        }
    }
    json_node_set_double(node, g_ascii_strtod(s, NULL));
    return node;
}

static JsonNode *parse_keyword(JsonParseCtx *c, const JsonToken *t)
{
    const char *s = tok_str(c, t);
    JsonNode *node;

    if (!strcmp(s, "null")) {
        return json_node_new(JSON_NODE_NULL);
    }
    if (strcmp(s, "true") && strcmp(s, "false")) {
        parse_error(c, "invalid keyword '%s'", s);
        return NULL;
    }
    node = json_node_new(JSON_NODE_VALUE);
    json_node_set_boolean(node, !strcmp(s, "true"));
    return node;
}

static JsonNode *parse_value(JsonParseCtx *c);

/*
 * A member's name, in c->buf; anything but a string is parsed as a value
 * first, so that an error inside it is the one reported.
 */
static bool parse_key(JsonParseCtx *c)
{
    const JsonToken *t = peek(c);
    g_autoptr(JsonNode) key = NULL;

    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    if (t->type == JSON_TOK_STRING) {
        if (decode_string(c, pop(c))) {
            return true;
        }
    } else {
        key = parse_value(c);
    }
    parse_error(c, "key is not a string in object");
    return false;
}

static bool parse_pair(JsonParseCtx *c, JsonObject *obj)
{
    g_autofree char *name = NULL;
    const JsonToken *t;
    JsonNode *value;

    if (!parse_key(c)) {
        return false;
    }
    name = g_strdup(c->buf->str);
    t = pop(c);
    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    if (t->type != JSON_TOK_COLON) {
        parse_error(c, "missing : in object pair");
        return false;
    }
    value = parse_value(c);
    if (!value) {
        parse_error(c, "Missing value in dict");
        return false;
    }
    if (json_object_has_member(obj, name)) {
        json_node_unref(value);
        parse_error(c, "duplicate key");
        return false;
    }
    json_object_set_member(obj, name, value);
    return true;
}

/* The members or elements up to @close, separated by commas. */
static bool parse_items(JsonParseCtx *c, JsonTokenType close,
                        JsonObject *obj, JsonArray *arr)
{
    const JsonToken *t = peek(c);

    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    if (t->type == close) {
        pop(c);
        return true;
    }
    for (;;) {
        if (obj && !parse_pair(c, obj)) {
            return false;
        }
        if (arr) {
            JsonNode *v = parse_value(c);

            if (!v) {
                parse_error(c, "expecting value");
                return false;
            }
            json_array_add_element(arr, v);
        }
        t = pop(c);
        if (!t) {
            parse_error(c, "premature EOI");
            return false;
        }
        if (t->type == close) {
            return true;
        }
        if (t->type != JSON_TOK_COMMA) {
            parse_error(c, obj ? "expected separator in dict"
                               : "expected separator in list");
            return false;
        }
    }
}

static JsonNode *parse_container(JsonParseCtx *c, bool object)
{
    g_autoptr(JsonObject) obj = object ? json_object_new() : NULL;
    g_autoptr(JsonArray) arr = object ? NULL : json_array_new();
    JsonNode *node;
    bool ok;

    if (++c->depth > JSON_MAX_NESTING) {
        parse_error(c, "nesting too deep");   /* the streamer stops it first */
        return NULL;
    }
    pop(c);
    ok = parse_items(c, object ? JSON_TOK_RCURLY : JSON_TOK_RSQUARE, obj, arr);
    c->depth--;
    if (!ok) {
        return NULL;
    }
    node = json_node_new(object ? JSON_NODE_OBJECT : JSON_NODE_ARRAY);
    if (object) {
        json_node_take_object(node, g_steal_pointer(&obj));
    } else {
        json_node_take_array(node, g_steal_pointer(&arr));
    }
    return node;
}

static JsonNode *parse_value(JsonParseCtx *c)
{
    const JsonToken *t = peek(c);

    if (!t) {
        parse_error(c, "premature EOI");
        return NULL;
    }
    switch (t->type) {
    case JSON_TOK_LCURLY:
        return parse_container(c, true);
    case JSON_TOK_LSQUARE:
        return parse_container(c, false);
    case JSON_TOK_STRING:
        return parse_string(c, pop(c));
    case JSON_TOK_INTEGER:
    case JSON_TOK_FLOAT:
        return parse_number(c, pop(c));
    case JSON_TOK_KEYWORD:
        return parse_keyword(c, pop(c));
    default:
        parse_error(c, "expecting value");
        return NULL;
    }
}

JsonNode *json_parse_tokens(const char *text, const JsonToken *toks,
                            guint n, Error **errp)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    JsonParseCtx c = { .text = text, .toks = toks, .n = n, .buf = buf };
    JsonNode *node = parse_value(&c);

    if (c.err) {
        g_clear_pointer(&node, json_node_unref);
        error_propagate(errp, c.err);
    }
    return node;
}

typedef struct JsonOneValue {
    JsonNode *value;
    Error *err;
} JsonOneValue;

static void json_one_value(void *opaque, JsonNode *value, Error *err)
{
    JsonOneValue *one = opaque;

    if (one->value || one->err) {
        g_clear_pointer(&value, json_node_unref);
        g_clear_error(&err);
        if (!one->err) {
            error_setg(&one->err, "Expecting at most one JSON value");
        }
        return;
    }
    one->value = value;
    one->err = err;
}

JsonNode *json_parse_text(const char *text, Error **errp)
{
    JsonOneValue one = { 0 };
    JsonStreamer *js = json_streamer_new(json_one_value, &one);

    json_streamer_feed(js, text, strlen(text));
    json_streamer_flush(js);
    json_streamer_free(js);
    if (one.err) {
        g_clear_pointer(&one.value, json_node_unref);
        error_propagate(errp, one.err);
        return NULL;
    }
    if (!one.value) {
        error_setg(errp, "Expecting a JSON value");
    }
    return one.value;
}

/*
 * The character at @s, which is not printable ASCII or is '"' or '\\',
 * escaped; returns what follows it.
 */
static const char *json_append_escaped(GString *out, const char *s)
{
    static const char from[] = "\"\\\b\f\n\r\t";
    static const char *const to[] = {
        "\\\"", "\\\\", "\\b", "\\f", "\\n", "\\r", "\\t"
    };
    const char *next;
    int cp = mod_utf8_codepoint(s, 6, &next);
    const char *hit = cp > 0 && cp < 0x80 ? strchr(from, cp) : NULL;

    if (hit) {
        g_string_append(out, to[hit - from]);
        return next;
    }
    if (cp < 0) {
        cp = 0xfffd;            /* QEMU writes bad bytes as U+FFFD */
    }
    if (cp > 0xffff) {
        g_string_append_printf(out, "\\u%04X\\u%04X",
                               0xd800 + ((cp - 0x10000) >> 10),
                               0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
        g_string_append_printf(out, "\\u%04X", cp);
    }
    return next;
}

static bool json_plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void json_append_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    while (*s) {
        const char *run = s;

        while (json_plain_byte(*s)) {
            s++;
        }
        g_string_append_len(out, run, s - run);     /* copied as they are */
        if (*s) {
            s = json_append_escaped(out, s);
        }
    }
    g_string_append_c(out, '"');
}

void json_append_int(GString *out, gint64 v)
{
    char buf[24];
    char *p = buf + sizeof(buf);
    guint64 u = v < 0 ? -(guint64)v : (guint64)v;

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    g_string_append_len(out, p, buf + sizeof(buf) - p);
}

/* QEMU's spacing: {"a": 1, "b": [2]}. */
void json_append_object(GString *out, JsonObject *obj)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    g_string_append_c(out, '{');
    for (GList *l = members; l; l = l->next) {
        json_append_quoted(out, l->data);
        g_string_append(out, ": ");
        json_append_node(out, json_object_get_member(obj, l->data));
        if (l->next) {
            g_string_append(out, ", ");
        }
    }
    g_string_append_c(out, '}');
}

void json_append_node(GString *out, JsonNode *node)
{
    JsonArray *arr;

    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_OBJECT:
        json_append_object(out, json_node_get_object(node));
        return;
    case JSON_NODE_ARRAY:
        arr = json_node_get_array(node);
        g_string_append_c(out, '[');
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            json_append_node(out, json_array_get_element(arr, i));
            if (i + 1 < json_array_get_length(arr)) {
                g_string_append(out, ", ");
            }
        }
        g_string_append_c(out, ']');
        return;
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        return;
    case JSON_NODE_VALUE:
        break;
    }
    switch (json_node_get_value_type(node)) {
    case G_TYPE_STRING:
        json_append_quoted(out, json_node_get_string(node));
        break;
    case G_TYPE_BOOLEAN:
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
        break;
    case G_TYPE_INT64:
        json_append_int(out, json_node_get_int(node));
        break;
    default:
        g_string_append_printf(out, "%.17g", json_node_get_double(node));
        break;
    }
}

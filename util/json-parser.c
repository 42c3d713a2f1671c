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
    JsonToken *toks;
    guint n;
    guint pos;
    int depth;
    GString *buf;               /* escapes decoded, once one is met */
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

static JsonToken *peek(JsonParseCtx *c)
{
    return c->pos < c->n ? &c->toks[c->pos] : NULL;
}

static JsonToken *pop(JsonParseCtx *c)
{
    return c->pos < c->n ? &c->toks[c->pos++] : NULL;
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

/* The string token @t, unescaped, into @out. */
static bool decode_string(JsonParseCtx *c, const JsonToken *t, GString *out)
{
    const char *p = c->text + t->off + 1;
    const char *end = c->text + t->off + t->len - 1;    /* closing quote */

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

/* QEMU: an integer is int64 if it fits, else (here) a double. */
static bool number_value(const char *text, const JsonToken *t, gint64 *i,
                         double *d)
{
    char small[32];
    g_autofree char *big = NULL;
    char *s = t->len < sizeof(small) ? small
              : (big = g_malloc(t->len + 1));

    memcpy(s, text + t->off, t->len);
    s[t->len] = '\0';

    if (t->type == JSON_TOK_INTEGER) {
        errno = 0;
        *i = g_ascii_strtoll(s, NULL, 10);
        if (!errno) {
            return true;
        }
    }
    *d = g_ascii_strtod(s, NULL);
    return false;
}

static bool keyword_is(const char *text, const JsonToken *t, const char *kw)
{
    return t->len == strlen(kw) && !memcmp(text + t->off, kw, t->len);
}

static bool check_keyword(JsonParseCtx *c, const JsonToken *t)
{
    if (keyword_is(c->text, t, "null") || keyword_is(c->text, t, "true") ||
        keyword_is(c->text, t, "false")) {
        return true;
    }
    parse_error(c, "invalid keyword '%.*s'", (int)t->len, c->text + t->off);
    return false;
}

/* Printable ASCII and no escape: the string token is its own value. */
static bool string_plain(const char *text, const JsonToken *t)
{
    for (gsize i = t->off + 1; i < t->off + t->len - 1; i++) {
        if ((unsigned char)text[i] >= 0x80 || text[i] == '\\') {
            return false;
        }
    }
    return true;
}

/* String token @t is valid (checked, then decoded only if it must be). */
static bool check_string(JsonParseCtx *c, const JsonToken *t)
{
    if (string_plain(c->text, t)) {
        return true;
    }
    if (!c->buf) {
        c->buf = g_string_new(NULL);
    }
    g_string_truncate(c->buf, 0);
    return decode_string(c, t, c->buf);
}

/* Once checked, a string token without an escape is its own value. */
static bool string_has_escape(const char *text, const JsonToken *t)
{
    return memchr(text + t->off + 1, '\\', t->len - 2);
}

/* Checked string token @t of @text, unescaped, to g_free. */
static char *string_dup(const char *text, const JsonToken *t)
{
    JsonParseCtx c = { .text = text };
    GString *out;

    if (!string_has_escape(text, t)) {
        return g_strndup(text + t->off + 1, t->len - 2);
    }
    out = g_string_sized_new(t->len);
    decode_string(&c, t, out);
    g_assert(!c.err);
    return g_string_free(out, false);
}

static bool names_equal(JsonParseCtx *c, const JsonToken *a,
                        const JsonToken *b)
{
    g_autofree char *da = NULL;
    g_autofree char *db = NULL;

    if (!string_has_escape(c->text, a) && !string_has_escape(c->text, b)) {
        return a->len == b->len &&
               !memcmp(c->text + a->off, c->text + b->off, a->len);
    }
    da = string_dup(c->text, a);
    db = string_dup(c->text, b);
    return !strcmp(da, db);
}

/*
 * The names of an object being checked, to refuse a duplicate: the first
 * few are compared with each new one where they are, among the object's
 * tokens; past them they are hashed, so a huge object costs linear time.
 */
#define NAMES_SCANNED 16

typedef struct JsonNames {
    guint first;                /* the object's first name token */
    guint count;
    GHashTable *set;            /* past NAMES_SCANNED names */
} JsonNames;

/* The name token after member @t's (whose value was checked). */
static guint next_name(JsonParseCtx *c, guint t)
{
    return t + 2 + c->toks[t + 2].span + 1;     /* name : value , */
}

/* Add name token @key; false if the object has that name already. */
static bool names_add(JsonParseCtx *c, JsonNames *names, guint key)
{
    if (names->set) {
        return g_hash_table_add(names->set, string_dup(c->text, &c->toks[key]));
    }
    for (guint t = names->first; t != key; t = next_name(c, t)) {
        if (names_equal(c, &c->toks[t], &c->toks[key])) {
            return false;
        }
    }
    if (++names->count > NAMES_SCANNED) {
        names->set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           NULL);
        for (guint t = names->first;; t = next_name(c, t)) {
            g_hash_table_add(names->set, string_dup(c->text, &c->toks[t]));
            if (t == key) {
                break;
            }
        }
    }
    return true;
}

static bool check_value(JsonParseCtx *c);

/*
 * A member's name; anything but a string is checked as a value first, so
 * that an error inside it is the one reported.
 */
static bool check_key(JsonParseCtx *c)
{
    const JsonToken *t = peek(c);

    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    if (t->type == JSON_TOK_STRING) {
        if (check_string(c, pop(c))) {
            return true;
        }
    } else {
        check_value(c);
    }
    parse_error(c, "key is not a string in object");
    return false;
}

static bool check_pair(JsonParseCtx *c, JsonNames *names)
{
    guint key = c->pos;
    const JsonToken *t;
    bool fresh;

    if (!check_key(c)) {
        return false;
    }
    fresh = names_add(c, names, key);
    t = pop(c);
    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    if (t->type != JSON_TOK_COLON) {
        parse_error(c, "missing : in object pair");
        return false;
    }
    if (!check_value(c)) {
        parse_error(c, "Missing value in dict");
        return false;
    }
    if (!fresh) {
        parse_error(c, "duplicate key");   /* after the value, as QEMU */
        return false;
    }
    return true;
}

/* The members or elements up to the closing token, separated by commas. */
static bool check_items(JsonParseCtx *c, bool object, JsonNames *names)
{
    JsonTokenType close = object ? JSON_TOK_RCURLY : JSON_TOK_RSQUARE;
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
        if (object && !check_pair(c, names)) {
            return false;
        }
        if (!object && !check_value(c)) {
            parse_error(c, "expecting value");
            return false;
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
            parse_error(c, object ? "expected separator in dict"
                                  : "expected separator in list");
            return false;
        }
    }
}

static bool check_container(JsonParseCtx *c, bool object)
{
    JsonNames names = { .first = c->pos + 1 };
    bool ok;

    if (++c->depth > JSON_MAX_NESTING) {
        parse_error(c, "nesting too deep");   /* the streamer stops it first */
        return false;
    }
    pop(c);
    ok = check_items(c, object, &names);
    c->depth--;
    g_clear_pointer(&names.set, g_hash_table_destroy);
    return ok;
}

static bool check_value(JsonParseCtx *c)
{
    const JsonToken *t = peek(c);
    guint start = c->pos;
    bool ok;

    if (!t) {
        parse_error(c, "premature EOI");
        return false;
    }
    switch (t->type) {
    case JSON_TOK_LCURLY:
    case JSON_TOK_LSQUARE:
        ok = check_container(c, t->type == JSON_TOK_LCURLY);
        break;
    case JSON_TOK_STRING:
        ok = check_string(c, pop(c));
        break;
    case JSON_TOK_INTEGER:
    case JSON_TOK_FLOAT:
        pop(c);
        ok = true;
        break;
    case JSON_TOK_KEYWORD:
        ok = check_keyword(c, pop(c));
        break;
    default:
        parse_error(c, "expecting value");
        return false;
    }
    c->toks[start].span = c->pos - start;
    return ok;
}

bool json_check_tokens(const char *text, JsonToken *toks, guint n,
                       Error **errp)
{
    JsonParseCtx c = { .text = text, .toks = toks, .n = n };

    check_value(&c);
    if (c.buf) {
        g_string_free(c.buf, true);
    }
    if (c.err) {
        error_propagate(errp, c.err);
        return false;
    }
    return true;
}

/* Reading a checked value. */

JsonKind json_view_kind(const JsonView *v)
{
    gint64 i;
    double d;

    switch (v->tok->type) {
    case JSON_TOK_LCURLY:
        return JSON_KIND_OBJECT;
    case JSON_TOK_LSQUARE:
        return JSON_KIND_ARRAY;
    case JSON_TOK_STRING:
        return JSON_KIND_STRING;
    case JSON_TOK_INTEGER:
        return number_value(v->text, v->tok, &i, &d) ? JSON_KIND_INT
                                                     : JSON_KIND_DOUBLE;
    case JSON_TOK_FLOAT:
        return JSON_KIND_DOUBLE;
    default:
        return keyword_is(v->text, v->tok, "null") ? JSON_KIND_NULL
                                                   : JSON_KIND_BOOL;
    }
}

/* @name's token is a member name (or '}'); its value follows the ':'. */
static bool view_member_at(JsonView *name, JsonView *value)
{
    if (name->tok->type != JSON_TOK_STRING) {
        return false;
    }
    *value = (JsonView){ name->text, name->tok + 2 };
    return true;
}

bool json_view_first_member(const JsonView *obj, JsonView *name,
                            JsonView *value)
{
    *name = (JsonView){ obj->text, obj->tok + 1 };
    return view_member_at(name, value);
}

bool json_view_next_member(JsonView *name, JsonView *value)
{
    const JsonToken *after = value->tok + value->tok->span;

    if (after->type != JSON_TOK_COMMA) {
        return false;
    }
    *name = (JsonView){ name->text, after + 1 };
    return view_member_at(name, value);
}

bool json_view_member(const JsonView *obj, const char *name, JsonView *value)
{
    JsonView n;

    for (bool more = json_view_first_member(obj, &n, value); more;
         more = json_view_next_member(&n, value)) {
        if (json_view_string_is(&n, name)) {
            return true;
        }
    }
    return false;
}

bool json_view_string_is(const JsonView *v, const char *s)
{
    g_autofree char *value = NULL;

    if (!string_has_escape(v->text, v->tok)) {
        return v->tok->len - 2 == strlen(s) &&
               !memcmp(v->text + v->tok->off + 1, s, v->tok->len - 2);
    }
    value = string_dup(v->text, v->tok);
    return !strcmp(value, s);
}

char *json_view_get_string(const JsonView *v)
{
    return string_dup(v->text, v->tok);
}

bool json_view_get_bool(const JsonView *v)
{
    return keyword_is(v->text, v->tok, "true");
}

gint64 json_view_get_int(const JsonView *v)
{
    gint64 i = 0;
    double d;

    number_value(v->text, v->tok, &i, &d);
    return i;
}

double json_view_get_double(const JsonView *v)
{
    gint64 i;
    double d;

    return number_value(v->text, v->tok, &i, &d) ? i : d;
}

bool json_view_first_element(const JsonView *arr, JsonView *elem)
{
    *elem = (JsonView){ arr->text, arr->tok + 1 };
    return elem->tok->type != JSON_TOK_RSQUARE;
}

bool json_view_next_element(JsonView *elem)
{
    const JsonToken *after = elem->tok + elem->tok->span;

    if (after->type != JSON_TOK_COMMA) {
        return false;
    }
    elem->tok = after + 1;
    return true;
}

static JsonNode *view_to_object(const JsonView *v)
{
    g_autoptr(JsonObject) obj = json_object_new();
    JsonView n, m;

    for (bool more = json_view_first_member(v, &n, &m); more;
         more = json_view_next_member(&n, &m)) {
        g_autofree char *name = json_view_get_string(&n);

        json_object_set_member(obj, name, json_view_to_node(&m));
    }
    return json_node_init_object(json_node_alloc(), obj);
}

static JsonNode *view_to_array(const JsonView *v)
{
    g_autoptr(JsonArray) arr = json_array_new();
    JsonView e;

    for (bool more = json_view_first_element(v, &e); more;
         more = json_view_next_element(&e)) {
        json_array_add_element(arr, json_view_to_node(&e));
    }
    return json_node_init_array(json_node_alloc(), arr);
}

JsonNode *json_view_to_node(const JsonView *v)
{
    g_autofree char *s = NULL;

    switch (json_view_kind(v)) {
    case JSON_KIND_OBJECT:
        return view_to_object(v);
    case JSON_KIND_ARRAY:
        return view_to_array(v);
    case JSON_KIND_STRING:
        s = json_view_get_string(v);
        return json_node_init_string(json_node_alloc(), s);
    case JSON_KIND_INT:
        return json_node_init_int(json_node_alloc(), json_view_get_int(v));
    case JSON_KIND_DOUBLE:
        return json_node_init_double(json_node_alloc(),
                                     json_view_get_double(v));
    case JSON_KIND_BOOL:
        return json_node_init_boolean(json_node_alloc(),
                                      json_view_get_bool(v));
    default:
        return json_node_init_null(json_node_alloc());
    }
}

/* One value from a text, kept. */

struct JsonDoc {
    char *text;
    JsonToken *toks;
};

typedef struct JsonOneValue {
    JsonDoc *doc;
    Error *err;
} JsonOneValue;

static void json_one_value(void *opaque, const JsonView *value, Error *err)
{
    JsonOneValue *one = opaque;
    const JsonToken *last;

    if (one->doc || one->err) {
        g_clear_error(&err);
        if (!one->err) {
            error_setg(&one->err, "Expecting at most one JSON value");
        }
        return;
    }
    if (err) {
        one->err = err;
        return;
    }
    last = value->tok + value->tok->span - 1;
    one->doc = g_new(JsonDoc, 1);
    one->doc->text = g_strndup(value->text, last->off + last->len);
    one->doc->toks = g_memdup2(value->tok,
                               value->tok->span * sizeof(JsonToken));
}

JsonDoc *json_doc_parse(const char *text, Error **errp)
{
    JsonOneValue one = { 0 };
    JsonStreamer *js = json_streamer_new_view(json_one_value, &one);

    json_streamer_feed(js, text, strlen(text));
    json_streamer_flush(js);
    json_streamer_free(js);
    if (one.err) {
        g_clear_pointer(&one.doc, json_doc_free);
        error_propagate(errp, one.err);
        return NULL;
    }
    if (!one.doc) {
        error_setg(errp, "Expecting a JSON value");
    }
    return one.doc;
}

JsonView json_doc_root(const JsonDoc *doc)
{
    return (JsonView){ doc->text, doc->toks };
}

void json_doc_free(JsonDoc *doc)
{
    if (doc) {
        g_free(doc->text);
        g_free(doc->toks);
        g_free(doc);
    }
}

JsonNode *json_parse_text(const char *text, Error **errp)
{
    g_autoptr(JsonDoc) doc = json_doc_parse(text, errp);
    JsonView root;

    if (!doc) {
        return NULL;
    }
    root = json_doc_root(doc);
    return json_view_to_node(&root);
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

void json_append_member_name(GString *out, const char *name)
{
    if (!out->len || out->str[out->len - 1] != '{') {
        g_string_append(out, ", ");
    }
    json_append_quoted(out, name);
    g_string_append(out, ": ");
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

/*
 * Checking a message's tokens with QEMU's parser's rules and error texts
 * ("JSON parse error, ..."): what is checked is then read in place
 * (util/json-view.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-internal.h"

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
bool json_number_value(const char *text, const JsonToken *t, gint64 *i,
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

static bool check_keyword(JsonParseCtx *c, const JsonToken *t)
{
    if (json_keyword_is(c->text, t, "null") ||
        json_keyword_is(c->text, t, "true") ||
        json_keyword_is(c->text, t, "false")) {
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

char *json_string_dup(const char *text, const JsonToken *t)
{
    JsonParseCtx c = { .text = text };
    GString *out;

    if (!json_string_has_escape(text, t)) {
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

    if (!json_string_has_escape(c->text, a) &&
        !json_string_has_escape(c->text, b)) {
        return a->len == b->len &&
               !memcmp(c->text + a->off, c->text + b->off, a->len);
    }
    da = json_string_dup(c->text, a);
    db = json_string_dup(c->text, b);
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
        return g_hash_table_add(names->set,
                                json_string_dup(c->text, &c->toks[key]));
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
            g_hash_table_add(names->set,
                             json_string_dup(c->text, &c->toks[t]));
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

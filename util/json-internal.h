/*
 * Shared by the JSON checker (json-parser.c) and the readers of what it
 * checked (json-view.c).
 */
#ifndef UTIL_JSON_INTERNAL_H
#define UTIL_JSON_INTERNAL_H

#include <string.h>

#include "qemu/json-parser.h"

/* Number token @t: true and *@i if it is an int64, else false and *@d. */
bool json_number_value(const char *text, const JsonToken *t, gint64 *i,
                       double *d);

static inline bool json_keyword_is(const char *text, const JsonToken *t,
                                   const char *kw)
{
    return t->len == strlen(kw) && !memcmp(text + t->off, kw, t->len);
}

/* Once checked, a string token without an escape is its own value. */
static inline bool json_string_has_escape(const char *text,
                                          const JsonToken *t)
{
    return memchr(text + t->off + 1, '\\', t->len - 2);
}

/* Checked string token @t of @text, unescaped, to g_free. */
char *json_string_dup(const char *text, const JsonToken *t);

#endif

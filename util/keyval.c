/*
 * Option string parsing.
 */
#include "qemu/keyval.h"
#include "qemu/json-parser.h"

#include <string.h>

static void keyval_free(gpointer p)
{
    KeyVal *kv = p;

    g_free(kv->key);
    g_free(kv->value);
    g_free(kv);
}

static void keyval_add(KeyValList *list, char *key, char *value)
{
    KeyVal *kv = g_new(KeyVal, 1);

    kv->key = key;
    kv->value = value;
    g_ptr_array_add(list, kv);
}

/*
 * The text up to the next lone ',' (",," is an escaped comma) or @stop,
 * unescaped, into a new *@out; returns where it stopped.
 */
static const char *get_token(const char *p, char stop, char **out)
{
    const char *start = p;
    size_t n = 0;
    char *o;

    for (; *p && *p != stop; p++, n++) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
    }
    o = *out = g_malloc(n + 1);
    for (const char *q = start; q < p; q++) {
        *o++ = *q;
        q += *q == ',';             /* the second of ",," */
    }
    *o = '\0';
    return p;
}

static bool keyval_parse_pair(KeyValList *list, const char **pp,
                              bool first, const char *implied_key,
                              bool warn, Error **errp)
{
    g_autofree char *key = NULL;
    char *val;
    const char *p = get_token(*pp, '=', &key);

    if (*p == '=') {
        p = get_token(p + 1, 0, &val);
        keyval_add(list, g_steal_pointer(&key), val);
    } else if (first && implied_key) {
        keyval_add(list, g_strdup(implied_key), g_steal_pointer(&key));
    } else if (!*key) {
        error_setg(errp, "Invalid parameter ''");
        return false;
    } else if (!strcmp(key, "help") || !strcmp(key, "?")) {
        keyval_add(list, g_strdup("help"), g_strdup("on"));
    } else if (g_str_has_prefix(key, "no") && strlen(key) > 2) {
        if (warn) {
            warn_report("short-form boolean option '%s' deprecated", key);
        }
        keyval_add(list, g_strdup(key + 2), g_strdup("off"));
    } else {
        if (warn) {
            warn_report("short-form boolean option '%s' deprecated", key);
        }
        keyval_add(list, g_steal_pointer(&key), g_strdup("on"));
    }
    *pp = *p == ',' ? p + 1 : p;
    return true;
}

KeyValList *keyval_new(void)
{
    return g_ptr_array_new_with_free_func(keyval_free);
}

static char *json_scalar_text(const JsonView *v, const char *key,
                              Error **errp)
{
    switch (json_view_kind(v)) {
    case JSON_KIND_STRING:
        return json_view_get_string(v);
    case JSON_KIND_INT:
        return g_strdup_printf("%" G_GINT64_FORMAT, json_view_get_int(v));
    case JSON_KIND_BOOL:
        return g_strdup(json_view_get_bool(v) ? "on" : "off");
    case JSON_KIND_DOUBLE:
        return g_strdup_printf("%.17g", json_view_get_double(v));
    default:
        error_setg(errp, "Invalid parameter type for '%s', expected: scalar",
                   key);
        return NULL;
    }
}

KeyValList *keyval_from_view(const JsonView *obj, Error **errp)
{
    g_autoptr(KeyValList) list = NULL;
    JsonView name, value;
    guint n = 0;

    for (bool more = json_view_first_member(obj, &name, &value); more;
         more = json_view_next_member(&name, &value)) {
        n++;
    }
    list = g_ptr_array_new_full(n, keyval_free);
    for (bool more = json_view_first_member(obj, &name, &value); more;
         more = json_view_next_member(&name, &value)) {
        g_autofree char *key = json_view_get_string(&name);
        char *text = json_scalar_text(&value, key, errp);

        if (!text) {
            return NULL;
        }
        keyval_add(list, g_steal_pointer(&key), text);
    }
    return g_steal_pointer(&list);
}

/* libvirt's JSON form, read by the same parser as QMP, as QEMU does. */
static KeyValList *keyval_parse_json(const char *str, Error **errp)
{
    g_autoptr(JsonDoc) doc = json_doc_parse(str, errp);
    JsonView root;

    if (!doc) {
        return NULL;
    }
    root = json_doc_root(doc);
    if (json_view_kind(&root) != JSON_KIND_OBJECT) {
        error_setg(errp, "JSON option must be an object");
        return NULL;
    }
    return keyval_from_view(&root, errp);
}

static KeyValList *keyval_parse_full(const char *str, const char *implied_key,
                                     bool warn, Error **errp)
{
    g_autoptr(GPtrArray) list = NULL;

    if (str[0] == '{') {
        return keyval_parse_json(str, errp);
    }
    list = keyval_new();
    for (bool first = true; *str; first = false) {
        if (!keyval_parse_pair(list, &str, first, implied_key, warn, errp)) {
            return NULL;
        }
    }
    return g_steal_pointer(&list);
}

KeyValList *keyval_parse(const char *str, const char *implied_key,
                         Error **errp)
{
    return keyval_parse_full(str, implied_key, true, errp);
}

KeyValList *keyval_parse_quiet(const char *str, const char *implied_key,
                               Error **errp)
{
    return keyval_parse_full(str, implied_key, false, errp);
}

const char *keyval_get(KeyValList *list, const char *key)
{
    for (guint i = 0; i < list->len; i++) {
        KeyVal *kv = g_ptr_array_index(list, i);

        if (!strcmp(kv->key, key)) {
            return kv->value;
        }
    }
    return NULL;
}

char *keyval_take(KeyValList *list, const char *key)
{
    char *value = NULL;

    for (guint i = list->len; i-- > 0;) {
        KeyVal *kv = g_ptr_array_index(list, i);

        if (!strcmp(kv->key, key)) {
            if (!value) {
                value = g_steal_pointer(&kv->value);
            }
            g_ptr_array_remove_index(list, i);
        }
    }
    return value;
}

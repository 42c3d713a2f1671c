/*
 * JSON as QEMU writes it: ASCII only, its escapes and spacing.
 */
#include <string.h>

#include "qemu/json-parser.h"

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

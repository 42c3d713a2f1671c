/*
 * Reading checked values in place (JsonView), as json-glib nodes, and
 * one value from a text.
 */
#include <string.h>

#include "json-internal.h"

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
        return json_number_value(v->text, v->tok, &i, &d) ? JSON_KIND_INT
                                                          : JSON_KIND_DOUBLE;
    case JSON_TOK_FLOAT:
        return JSON_KIND_DOUBLE;
    default:
        return json_keyword_is(v->text, v->tok, "null") ? JSON_KIND_NULL
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

    if (!json_string_has_escape(v->text, v->tok)) {
        return v->tok->len - 2 == strlen(s) &&
               !memcmp(v->text + v->tok->off + 1, s, v->tok->len - 2);
    }
    value = json_string_dup(v->text, v->tok);
    return !strcmp(value, s);
}

char *json_view_get_string(const JsonView *v)
{
    return json_string_dup(v->text, v->tok);
}

bool json_view_get_bool(const JsonView *v)
{
    return json_keyword_is(v->text, v->tok, "true");
}

gint64 json_view_get_int(const JsonView *v)
{
    gint64 i = 0;
    double d;

    json_number_value(v->text, v->tok, &i, &d);
    return i;
}

double json_view_get_double(const JsonView *v)
{
    gint64 i;
    double d;

    return json_number_value(v->text, v->tok, &i, &d) ? i : d;
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

/*
 * The JSON streamer and parser read input as QEMU's do: the same error
 * texts, the same limits, and after any error the next value is read.
 */
#include <string.h>

#include "qemu/json-parser.h"

/* What one feed produced: "E:message" for errors, else the value. */
typedef struct Emitted {
    GPtrArray *items;
} Emitted;

static void collect(void *opaque, JsonNode *value, Error *err)
{
    Emitted *e = opaque;

    if (err) {
        g_ptr_array_add(e->items, g_strconcat("E:", err->message, NULL));
        error_free(err);
        return;
    }
    g_ptr_array_add(e->items, json_to_string(value, false));
    json_node_unref(value);
}

/* Feed @len bytes (in one piece, or byte by byte) and list what came. */
static GPtrArray *feed(const char *text, size_t len, bool bytewise)
{
    Emitted e = { g_ptr_array_new_with_free_func(g_free) };
    JsonStreamer *js = json_streamer_new(collect, &e);

    for (size_t i = 0; bytewise && i < len; i++) {
        json_streamer_feed(js, text + i, 1);
    }
    if (!bytewise) {
        json_streamer_feed(js, text, len);
    }
    json_streamer_free(js);
    return e.items;
}

static void assert_feed(const char *text, const char *const *expect)
{
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        g_autoptr(GPtrArray) got = feed(text, strlen(text), bytewise);
        guint n = g_strv_length((char **)expect);

        for (guint i = 0; i < MIN(n, got->len); i++) {
            g_assert_cmpstr(g_ptr_array_index(got, i), ==, expect[i]);
        }
        g_assert_cmpuint(got->len, ==, n);
    }
}

static void test_values_split_and_joined(void)
{
    assert_feed("{\"a\": [1, 2.5, true, null, 'x']}{}\n[]\"s\" 7 ",
                (const char *[]){ "{\"a\":[1,2.5,true,null,\"x\"]}", "{}",
                                  "[]", "\"s\"", "7", NULL });
}

static void test_parse_errors(void)
{
    static const char *const cases[][2] = {
        { "{bad json}", "E:JSON parse error, invalid keyword 'bad'" },
        { "[1,]", "E:JSON parse error, expecting value" },
        { "[1 2]", "E:JSON parse error, expected separator in list" },
        { "{\"a\" 1}", "E:JSON parse error, missing : in object pair" },
        { "{\"a\": 1 \"b\": 2}",
          "E:JSON parse error, expected separator in dict" },
        { "{1: 2}", "E:JSON parse error, key is not a string in object" },
        { "{\"a\": 1, \"a\": 2}", "E:JSON parse error, duplicate key" },
        { "{\"a\": 1, \"\\u0061\": 2}", "E:JSON parse error, duplicate key" },
        { "{\"\xc3\xa9\": 1, \"\\u00e9\": 2}",
          "E:JSON parse error, duplicate key" },
        { "{\"a\": {\"a\": 1}, \"b\": [{\"b\": 1}, {\"b\": 2}], \"a\": 3}",
          "E:JSON parse error, duplicate key" },
        { "]", "E:JSON parse error, expecting value" },
        { "\"\\x\"", "E:JSON parse error, invalid escape sequence in string" },
        { "\"\\uD800\"",
          "E:JSON parse error, \\uD800 is not a valid Unicode character" },
        { "\"\\u12\"",
          "E:JSON parse error, \\u12\" is not a valid Unicode character" },
        { "\"a\xc3(\"", "E:JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\xc0\xaf\"", "E:JSON parse error, invalid UTF-8 sequence in string" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strconcat(cases[i][0], " {}", NULL);

        assert_feed(text, (const char *[]){ cases[i][1], "{}", NULL });
    }
}

/* A lexical error is answered at once, before the message ends. */
static void test_stray_bytes(void)
{
    assert_feed("\xff{}", (const char *[]){
        "E:JSON parse error, stray '\xff'", "{}", NULL });
    assert_feed("{\"exec\n{}", (const char *[]){
        "E:JSON parse error, stray '\"exec\n'", "{}", NULL });
    /* as QEMU: the rest of a message after a lexical error is new input */
    assert_feed("{\"a\": -x}[]", (const char *[]){
        "E:JSON parse error, stray '-x'",
        "E:JSON parse error, expecting value", "[]", NULL });
    assert_feed("@ {}", (const char *[]){
        "E:JSON parse error, stray '@'", "{}", NULL });
}

static char *nested(int depth, const char *tail)
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < depth; i++) {
        g_string_append_c(s, '[');
    }
    for (int i = 0; i < depth; i++) {
        g_string_append_c(s, ']');
    }
    g_string_append(s, tail);
    return g_string_free(s, false);
}

static void test_nesting_limit(void)
{
    g_autofree char *ok = nested(JSON_MAX_NESTING, "");
    g_autofree char *deep = nested(JSON_MAX_NESTING + 1, "{}");
    g_autofree char *deeper = nested(10000, "{\"a\": 1}");
    g_autoptr(GPtrArray) got = feed(ok, strlen(ok), false);

    g_assert_cmpuint(got->len, ==, 1);
    g_assert_cmpint(((char *)got->pdata[0])[0], ==, '[');
    /* One answer for the whole message; the next one is read. */
    assert_feed(deep, (const char *[]){
        "E:JSON nesting depth limit exceeded", "{}", NULL });
    assert_feed(deeper, (const char *[]){
        "E:JSON nesting depth limit exceeded", "{\"a\":1}", NULL });
}

static void test_token_count_limit(void)
{
    GString *s = g_string_new("[");

    for (guint i = 0; i < JSON_MAX_TOKEN_COUNT / 2; i++) {
        g_string_append(s, "1,");
    }
    g_string_append(s, "1]{}");
    {
        g_autoptr(GPtrArray) got = feed(s->str, s->len, false);

        g_assert_cmpuint(got->len, ==, 2);
        g_assert_cmpstr(got->pdata[0], ==, "E:JSON token count limit exceeded");
        g_assert_cmpstr(got->pdata[1], ==, "{}");
    }
    g_string_free(s, true);
}

static void test_token_size_limit(void)
{
    gsize n = JSON_MAX_TOKEN_SIZE + 16;
    char *s = g_malloc(n + 16);
    g_autoptr(GPtrArray) got = NULL;

    /* One string longer than the limit, inside an object, then a value */
    memcpy(s, "{\"a\": \"", 7);
    memset(s + 7, 'x', n - 7);
    memcpy(s + n, "\"} [1]", 6);
    got = feed(s, n + 6, false);
    g_assert_cmpuint(got->len, ==, 2);
    g_assert_cmpstr(got->pdata[0], ==, "E:JSON token size limit exceeded");
    g_assert_cmpstr(got->pdata[1], ==, "[1]");
    g_free(s);
}

static void note_view(void *opaque, const JsonView *value, Error *err)
{
    GPtrArray *got = opaque;

    g_ptr_array_add(got, g_strdup(err ? err->message : "value"));
    g_clear_error(&err);
}

/*
 * A message may hold JSON_MAX_TOKEN_SIZE - 1 bytes of tokens, whether
 * the byte past it is a string's closing quote or not, read in one piece
 * or cut before the quote.
 */
static void test_token_size_limit_edge(void)
{
    static const struct {
        gsize extra;            /* token bytes past the limit - 1 */
        const char *result;
    } cases[] = {
        { 0, "value" },
        { 1, "JSON token size limit exceeded" },  /* at the ']' */
        { 2, "JSON token size limit exceeded" },  /* at the quote */
    };
    gsize max = JSON_MAX_TOKEN_SIZE;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gsize k = max - 1 + cases[i].extra - 4;    /* ["..."] */
        g_autofree char *s = g_malloc(k + 4);

        s[0] = '[';
        s[1] = '"';
        memset(s + 2, 'x', k);
        s[k + 2] = '"';
        s[k + 3] = ']';
        for (int cut = 0; cut < 2; cut++) {
            g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
            JsonStreamer *js = json_streamer_new_view(note_view, got);
            gsize first = cut ? k + 2 : k + 4;

            json_streamer_feed(js, s, first);
            json_streamer_feed(js, s + first, k + 4 - first);
            json_streamer_free(js);
            g_assert_cmpuint(got->len, ==, 1);
            g_assert_cmpstr(got->pdata[0], ==, cases[i].result);
        }
    }
}

/* "\u0000" is kept as modified UTF-8 C0 80, and written back escaped. */
static void test_nul_kept(void)
{
    Error *err = NULL;
    g_autoptr(JsonNode) v = json_parse_text("\"a\\u0000b\"", &err);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_no_error(err);
    g_assert_cmpstr(json_node_get_string(v), ==, "a\xc0\x80" "b");
    json_append_quoted(out, json_node_get_string(v));
    g_assert_cmpstr(out->str, ==, "\"a\\u0000b\"");
}

static void test_numbers(void)
{
    g_autoptr(JsonNode) max = json_parse_text("9223372036854775807", NULL);
    g_autoptr(JsonNode) big = json_parse_text("123456789012345678901234567890",
                                              NULL);
    g_autoptr(JsonNode) neg = json_parse_text("-5", NULL);

    g_assert_cmpint(json_node_get_int(max), ==, G_MAXINT64);
    g_assert_cmpint(json_node_get_value_type(big), ==, G_TYPE_DOUBLE);
    g_assert_cmpfloat(json_node_get_double(big), ==, 1.2345678901234568e+29);
    g_assert_cmpint(json_node_get_int(neg), ==, -5);
}

static void test_parse_text_errors(void)
{
    Error *err = NULL;

    g_assert_null(json_parse_text("{} {}", &err));
    g_assert_cmpstr(err->message, ==, "Expecting at most one JSON value");
    g_clear_error(&err);
    g_assert_null(json_parse_text("{\"a\": ", &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, premature EOI");
    g_clear_error(&err);
    g_assert_null(json_parse_text("\"abc", &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, stray '\"abc'");
    g_clear_error(&err);
}

/* QEMU writes ASCII only: \uXXXX (upper case) beyond it, U+FFFD for junk. */
static void test_quoting(void)
{
    static const char *const cases[][2] = {
        { "plain", "\"plain\"" },
        { "q\"b\\s/", "\"q\\\"b\\\\s/\"" },
        { "\b\f\n\r\t\x01\x7f", "\"\\b\\f\\n\\r\\t\\u0001\\u007F\"" },
        { "\xc3\xa9", "\"\\u00E9\"" },
        { "\xf0\x9f\x98\x80", "\"\\uD83D\\uDE00\"" },
        { "\xff", "\"\\uFFFD\"" },
        { "ab\xc3\xa9" "cd\tef\xff" "gh", "\"ab\\u00E9cd\\tef\\uFFFDgh\"" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) out = g_string_new(NULL);

        json_append_quoted(out, cases[i][0]);
        g_assert_cmpstr(out->str, ==, cases[i][1]);
    }
}

static void test_int_written(void)
{
    static const gint64 cases[] = { 0, 7, -1, 1000000, G_MAXINT64,
                                    G_MININT64 };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) out = g_string_new(NULL);
        g_autofree char *expect = g_strdup_printf("%" G_GINT64_FORMAT,
                                                  cases[i]);

        json_append_int(out, cases[i]);
        g_assert_cmpstr(out->str, ==, expect);
    }
}

static void test_member_names_written(void)
{
    g_autoptr(GString) out = g_string_new("{");

    json_append_member_name(out, "a");
    json_append_int(out, 1);
    json_append_member_name(out, "b\"");
    g_string_append(out, "{");
    json_append_member_name(out, "c");
    g_string_append(out, "[]}}");
    g_assert_cmpstr(out->str, ==, "{\"a\": 1, \"b\\\"\": {\"c\": []}}");
}

/* A request read in place: members in order, names unescaped, kinds. */
static void test_view_members(void)
{
    g_autoptr(JsonDoc) doc = json_doc_parse(
        "{\"\\u0061\": \"x\\ty\", \"b\": [1, {}], \"c\": {\"d\": null}, "
        "\"e\": 9223372036854775808, \"f\": -0, \"g\": false}", NULL);
    static const char *const names[] = { "a", "b", "c", "e", "f", "g" };
    static const JsonKind kinds[] = {
        JSON_KIND_STRING, JSON_KIND_ARRAY, JSON_KIND_OBJECT,
        JSON_KIND_DOUBLE, JSON_KIND_INT, JSON_KIND_BOOL,
    };
    JsonView root = json_doc_root(doc), name, value, elem;
    g_autofree char *a = NULL;
    guint i = 0;

    for (bool more = json_view_first_member(&root, &name, &value); more;
         more = json_view_next_member(&name, &value), i++) {
        g_assert_true(json_view_string_is(&name, names[i]));
        g_assert_cmpint(json_view_kind(&value), ==, kinds[i]);
    }
    g_assert_cmpuint(i, ==, G_N_ELEMENTS(names));
    g_assert_true(json_view_member(&root, "a", &value));
    a = json_view_get_string(&value);
    g_assert_cmpstr(a, ==, "x\ty");
    g_assert_false(json_view_member(&root, "d", &value));
    g_assert_true(json_view_member(&root, "b", &value));
    g_assert_true(json_view_first_element(&value, &elem));
    g_assert_cmpint(json_view_get_int(&elem), ==, 1);
    g_assert_true(json_view_next_element(&elem));
    g_assert_cmpint(json_view_kind(&elem), ==, JSON_KIND_OBJECT);
    g_assert_false(json_view_first_member(&elem, &name, &value));
    g_assert_false(json_view_next_element(&elem));
}

/* As nodes, a view is what the text says (written back as QEMU does). */
static void test_view_to_node(void)
{
    const char *text = "{\"a\": [1, -2.5, true, null, \"\\u00e9\"], "
                       "\"b\": {}, \"c\": []}";
    g_autoptr(JsonDoc) doc = json_doc_parse(text, NULL);
    JsonView root = json_doc_root(doc);
    g_autoptr(JsonNode) node = json_view_to_node(&root);
    g_autoptr(GString) out = g_string_new(NULL);

    json_append_node(out, node);
    g_assert_cmpstr(out->str, ==, "{\"a\": [1, -2.5, true, null, "
                    "\"\\u00E9\"], \"b\": {}, \"c\": []}");
}

/*
 * Past 16 members an object's names are hashed: a duplicate is still
 * found there, and the same name in an inner object is no duplicate.
 */
static void test_duplicates_in_large_objects(void)
{
    g_autoptr(GString) text = g_string_new("{");
    g_autoptr(JsonDoc) ok = NULL;
    Error *err = NULL;

    for (int i = 0; i < 40; i++) {
        g_string_append_printf(text, "\"m%d\": {\"m%d\": %d}, ", i, i, i);
    }
    g_string_append(text, "\"m3\": 1}");
    g_assert_null(json_doc_parse(text->str, &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, duplicate key");
    g_clear_error(&err);
    g_string_truncate(text, text->len - strlen(", \"m3\": 1}"));
    g_string_append_c(text, '}');
    ok = json_doc_parse(text->str, &err);
    g_assert_no_error(err);
    g_assert_nonnull(ok);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/values-split-and-joined",
                    test_values_split_and_joined);
    g_test_add_func("/json/parse-errors-then-next", test_parse_errors);
    g_test_add_func("/json/stray-bytes-then-next", test_stray_bytes);
    g_test_add_func("/json/nesting-limit", test_nesting_limit);
    g_test_add_func("/json/token-count-limit", test_token_count_limit);
    g_test_add_func("/json/token-size-limit", test_token_size_limit);
    g_test_add_func("/json/token-size-limit-edge",
                    test_token_size_limit_edge);
    g_test_add_func("/json/nul-kept", test_nul_kept);
    g_test_add_func("/json/numbers", test_numbers);
    g_test_add_func("/json/parse-text-errors", test_parse_text_errors);
    g_test_add_func("/json/quoting", test_quoting);
    g_test_add_func("/json/int-written", test_int_written);
    g_test_add_func("/json/member-names-written", test_member_names_written);
    g_test_add_func("/json/view-members", test_view_members);
    g_test_add_func("/json/view-to-node", test_view_to_node);
    g_test_add_func("/json/duplicates-in-large-objects",
                    test_duplicates_in_large_objects);
    return g_test_run();
}

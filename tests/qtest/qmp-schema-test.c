/*
 * query-qmp-schema, walked as an introspection-driven client would:
 * every command it lists exists (query-commands) and accepts exactly
 * the arguments listed, with the listed types; every command that
 * exists is listed; every type it names is defined.
 *
 * Arguments are proved without running anything: a request that names
 * an unknown member, omits a mandatory one or gives one the wrong type
 * is refused by the argument checker before the command runs.
 */
#include <string.h>

#include <glib.h>

#include "libqtest.h"

/* device_add and object-add pass members beyond those listed to the
 * device or object (QEMU's 'gen': false and its object-add union). */
static const char *const open_commands[] = { "device_add", "object-add" };

typedef struct Schema {
    JsonNode *root;
    GHashTable *by_name;        /* name -> JsonObject * (borrowed) */
} Schema;

static void schema_load(Schema *sc, QTestState *s)
{
    JsonArray *list;

    sc->root = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-qmp-schema'}");
    list = json_node_get_array(sc->root);
    sc->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);
        const char *name = json_object_get_string_member(e, "name");

        /* Names are unique across the whole schema. */
        g_assert_false(g_hash_table_contains(sc->by_name, name));
        g_hash_table_insert(sc->by_name, (gpointer)name, e);
    }
}

static void schema_free(Schema *sc)
{
    g_hash_table_destroy(sc->by_name);
    json_node_unref(sc->root);
}

static JsonObject *schema_type(Schema *sc, const char *name)
{
    JsonObject *t = g_hash_table_lookup(sc->by_name, name);

    g_assert_nonnull(t);
    return t;
}

/* A value of member type @type (and, with @wrong, one that is not). */
static const char *schema_value(const char *type, bool wrong)
{
    if (!strcmp(type, "str")) {
        return wrong ? "1" : "\"\"";
    }
    if (!strcmp(type, "int")) {
        return wrong ? "\"x\"" : "0";
    }
    if (!strcmp(type, "bool")) {
        return wrong ? "\"x\"" : "false";
    }
    if (g_str_has_prefix(type, "[")) {
        return wrong ? "\"x\"" : "[]";
    }
    return wrong ? NULL : "null";      /* "any" takes every value */
}

static const char *schema_expected(const char *type)
{
    if (!strcmp(type, "str")) {
        return "string";
    }
    if (!strcmp(type, "int")) {
        return "integer";
    }
    if (!strcmp(type, "bool")) {
        return "boolean";
    }
    return "array";
}

/*
 * The request for @cmd with every mandatory member but @skip, member
 * @wrong given a value of the wrong type, plus @extra verbatim.
 */
static char *schema_request(JsonArray *members, const char *cmd,
                            const char *skip, const char *wrong,
                            const char *extra)
{
    GString *req = g_string_new(NULL);
    bool first = true;

    g_string_printf(req, "{\"execute\": \"%s\", \"arguments\": {", cmd);
    for (guint i = 0; i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);
        const char *name = json_object_get_string_member(m, "name");
        const char *type = json_object_get_string_member(m, "type");
        bool is_wrong = !g_strcmp0(name, wrong);

        if (!g_strcmp0(name, skip) ||
            (json_object_has_member(m, "default") && !is_wrong)) {
            continue;
        }
        g_string_append_printf(req, "%s\"%s\": %s", first ? "" : ", ", name,
                               schema_value(type, is_wrong));
        first = false;
    }
    if (extra) {
        g_string_append_printf(req, "%s%s", first ? "" : ", ", extra);
    }
    g_string_append(req, "}}");
    return g_string_free(req, false);
}

static void expect_desc(QTestState *s, const char *req, const char *desc)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(s, "%s", req);
    JsonObject *err = json_object_get_object_member(rsp, "error");

    g_assert_nonnull(err);
    if (desc) {
        g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==,
                        desc);
    }
}

static bool is_open_command(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(open_commands); i++) {
        if (!strcmp(open_commands[i], name)) {
            return true;
        }
    }
    return false;
}

static void schema_check_command(Schema *sc, QTestState *s, JsonObject *cmd)
{
    const char *name = json_object_get_string_member(cmd, "name");
    JsonObject *arg = schema_type(sc, json_object_get_string_member(
                                          cmd, "arg-type"));
    JsonArray *members = json_object_get_array_member(arg, "members");
    g_autofree char *unexpected = NULL;

    schema_type(sc, json_object_get_string_member(cmd, "ret-type"));
    g_assert_cmpstr(json_object_get_string_member(arg, "meta-type"), ==,
                    "object");
    unexpected = schema_request(members, name, NULL, NULL,
                                "\"zz-unexpected\": true");
    expect_desc(s, unexpected, is_open_command(name)
                ? NULL : "Parameter 'zz-unexpected' is unexpected");
    for (guint i = 0; i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);
        const char *mname = json_object_get_string_member(m, "name");
        const char *type = json_object_get_string_member(m, "type");
        g_autofree char *desc = NULL;

        schema_type(sc, type);
        if (schema_value(type, true)) {
            g_autofree char *req = schema_request(members, name, NULL,
                                                  mname, NULL);

            desc = g_strdup_printf("Invalid parameter type for '%s', "
                                   "expected: %s", mname,
                                   schema_expected(type));
            expect_desc(s, req, desc);
            g_clear_pointer(&desc, g_free);
        }
        if (!json_object_has_member(m, "default")) {
            g_autofree char *req = schema_request(members, name, mname,
                                                  NULL, NULL);

            desc = g_strdup_printf("Parameter '%s' is missing", mname);
            expect_desc(s, req, desc);
        }
    }
}

static void test_schema_walk(void)
{
    QTestState *s = qtest_init("-machine none");
    g_autoptr(JsonNode) cmds = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-commands'}");
    JsonArray *exist = json_node_get_array(cmds);
    g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
    JsonArray *list;
    Schema sc;
    guint events = 0;

    schema_load(&sc, s);
    list = json_node_get_array(sc.root);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);
        const char *meta = json_object_get_string_member(e, "meta-type");

        if (!strcmp(meta, "command")) {
            g_hash_table_add(listed, (gpointer)json_object_get_string_member(
                                         e, "name"));
            schema_check_command(&sc, s, e);
        } else if (!strcmp(meta, "event")) {
            schema_type(&sc, json_object_get_string_member(e, "arg-type"));
            events++;
        } else if (!strcmp(meta, "array")) {
            schema_type(&sc, json_object_get_string_member(e,
                                                           "element-type"));
        }
    }
    /* Every command that exists is listed, and nothing else is. */
    g_assert_cmpuint(g_hash_table_size(listed), ==,
                     json_array_get_length(exist));
    for (guint i = 0; i < json_array_get_length(exist); i++) {
        JsonObject *c = json_array_get_object_element(exist, i);

        g_assert_true(g_hash_table_contains(
            listed, json_object_get_string_member(c, "name")));
    }
    g_assert_true(g_hash_table_contains(listed, "query-qmp-schema"));
    g_assert_true(g_hash_table_contains(listed, "getfd"));
    g_assert_cmpuint(events, >=, 5);
    schema_free(&sc);
    qtest_quit(s);
}

/* The few members whose schema QEMU's clients read by name. */
static void test_schema_members(void)
{
    QTestState *s = qtest_init("-machine none");
    Schema sc;
    JsonObject *cmd, *arg;
    JsonArray *members;

    schema_load(&sc, s);
    cmd = schema_type(&sc, "qom-get");
    arg = schema_type(&sc, json_object_get_string_member(cmd, "arg-type"));
    members = json_object_get_array_member(arg, "members");
    g_assert_cmpuint(json_array_get_length(members), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(
                        json_array_get_object_element(members, 0), "name"),
                    ==, "path");
    cmd = schema_type(&sc, "quit");
    g_assert_cmpstr(json_object_get_string_member(cmd, "arg-type"), ==, "0");
    g_assert_cmpstr(json_object_get_string_member(cmd, "ret-type"), ==, "0");
    g_assert_cmpstr(json_object_get_string_member(
                        schema_type(&sc, "str"), "json-type"), ==, "string");
    schema_free(&sc);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-schema/walk", test_schema_walk);
    g_test_add_func("/qmp-schema/members", test_schema_members);
    return g_test_run();
}

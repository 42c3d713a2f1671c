/*
 * The object model and properties, as the command line uses them.
 */
#include "hw/core/qdev.h"
#include "hw/core/machine.h"
#include "qemu/keyval.h"
#include "system/vl.h"

#define TYPE_TEST_DEV "test-dev"

typedef enum { MODE_A, MODE_B } TestMode;
static const char *const mode_names[] = { "a", "b", NULL };

typedef struct TestDev {
    DeviceState parent_obj;
    bool flag;
    uint8_t u8;
    uint32_t u32;
    uint64_t u64;
    int32_t devfn;
    char *str;
    int mode;
    int ona;
    Object *link;
    int realized;
} TestDev;

static bool test_dev_realize(DeviceState *dev, Error **errp)
{
    TestDev *t = (TestDev *)dev;

    if (t->u8 == 13) {
        error_setg(errp, "unlucky");
        return false;
    }
    t->realized++;
    return true;
}

static const Property test_dev_props[] = {
    DEFINE_PROP_BOOL("flag", TestDev, flag, true),
    DEFINE_PROP_UINT8("u8", TestDev, u8, 7),
    DEFINE_PROP_UINT_RANGE("u32", TestDev, u32, uint32_t, prop_info_uint32,
                           39, 39, 48),
    DEFINE_PROP_UINT64("u64", TestDev, u64, 0),
    DEFINE_PROP_PCI_DEVFN("addr", TestDev, devfn, -1),
    DEFINE_PROP_STRING("str", TestDev, str),
    DEFINE_PROP_ENUM("mode", TestDev, mode, MODE_B, mode_names),
    DEFINE_PROP_ON_OFF_AUTO("ona", TestDev, ona, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_LINK("link", TestDev, link, TYPE_CONTAINER),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_dev_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->user_creatable = true;
    dc->realize = test_dev_realize;
    device_class_set_props(dc, test_dev_props);
}

static const TypeInfo test_dev_info = {
    .name = TYPE_TEST_DEV,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(TestDev),
    .class_init = test_dev_class_init,
};

static void setup(void)
{
    object_register_types();
    qdev_register_types();
    type_register(&test_dev_info);
}

static void teardown(void)
{
    object_tree_reset();
    qbus_list_reset();
}

static TestDev *new_dev(void)
{
    return (TestDev *)object_new(TYPE_TEST_DEV);
}

static void expect_parse_error(const char *prop, const char *value,
                               const char *msg)
{
    TestDev *t = new_dev();
    g_autoptr(GError) err = NULL;

    g_assert_false(object_property_parse(OBJECT(t), prop, value, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    object_unparent(OBJECT(t));
}

static void expect_parse_ok(const char *prop, const char *value,
                            const char *printed)
{
    TestDev *t = new_dev();
    g_autofree char *text = NULL;

    g_assert_true(object_property_parse(OBJECT(t), prop, value, NULL));
    text = object_property_print(OBJECT(t), object_property_find(OBJECT(t),
                                                                 prop));
    g_assert_cmpstr(text, ==, printed);
    object_unparent(OBJECT(t));
}

static void test_defaults(void)
{
    TestDev *t;

    setup();
    t = new_dev();
    g_assert_true(t->flag);
    g_assert_cmpuint(t->u8, ==, 7);
    g_assert_cmpuint(t->u32, ==, 39);
    g_assert_cmpint(t->devfn, ==, -1);
    g_assert_null(t->str);
    g_assert_cmpint(t->mode, ==, MODE_B);
    g_assert_cmpint(t->ona, ==, ON_OFF_AUTO_AUTO);
    object_unparent(OBJECT(t));
    teardown();
}

static void test_bool_spellings(void)
{
    setup();
    expect_parse_ok("flag", "off", "off");
    expect_parse_ok("flag", "yes", "on");
    expect_parse_ok("flag", "no", "off");
    expect_parse_ok("flag", "true", "on");
    expect_parse_ok("flag", "false", "off");
    expect_parse_ok("flag", "on", "on");
    expect_parse_error("flag", "maybe",
                       "Parameter 'flag' expects 'on' or 'off'");
    teardown();
}

static void test_integers(void)
{
    setup();
    expect_parse_ok("u8", "0x10", "16");
    expect_parse_ok("u8", "255", "255");
    expect_parse_ok("u64", "0xffffffffffffffff", "18446744073709551615");
    expect_parse_error("u8", "abc", "Parameter 'u8' expects integer");
    expect_parse_error("u8", "256", "Parameter 'u8' expects uint8_t");
    expect_parse_error("u8", "-1", "Parameter 'u8' expects integer");
    expect_parse_error("u8", "", "Parameter 'u8' expects integer");
    expect_parse_error("u32", "40x", "Parameter 'u32' expects integer");
    expect_parse_error("u32", "38", "Property test-dev.u32 doesn't take "
                       "value 38 (minimum: 39, maximum: 48)");
    expect_parse_ok("u32", "48", "48");
    teardown();
}

static void test_enums_and_strings(void)
{
    setup();
    expect_parse_ok("mode", "a", "a");
    expect_parse_error("mode", "c", "Parameter 'mode' does not accept "
                       "value 'c'");
    expect_parse_ok("ona", "on", "on");
    expect_parse_ok("ona", "off", "off");
    expect_parse_error("ona", "yes", "Parameter 'ona' does not accept "
                       "value 'yes'");
    expect_parse_ok("str", "hello", "\"hello\"");
    teardown();
}

static void test_devfn(void)
{
    setup();
    expect_parse_ok("addr", "3", "03.0");
    expect_parse_ok("addr", "0x1f.7", "1f.7");
    expect_parse_ok("addr", "1e.2", "1e.2");
    expect_parse_error("addr", "zz", "Property 'test-dev.addr' doesn't "
                       "take value 'zz'");
    expect_parse_error("addr", "0x20", "Property 'test-dev.addr' doesn't "
                       "take value '0x20'");
    expect_parse_error("addr", "3.8", "Property 'test-dev.addr' doesn't "
                       "take value '3.8'");
    expect_parse_error("addr", "3.", "Property 'test-dev.addr' doesn't "
                       "take value '3.'");
    teardown();
}

static void test_links(void)
{
    TestDev *t;
    g_autoptr(GError) err = NULL;
    JsonNode *node;

    setup();
    container_get("/objects/box");
    t = new_dev();
    g_assert_true(object_property_parse(OBJECT(t), "link", "box", NULL));
    g_assert_true(t->link == object_resolve_path("/objects/box"));
    node = object_property_get(OBJECT(t), "link", NULL);
    g_assert_cmpstr(json_node_get_string(node), ==, "/objects/box");
    json_node_unref(node);
    g_assert_false(object_property_parse(OBJECT(t), "link", "nope", &err));
    g_assert_cmpstr(err->message, ==, "Device 'nope' not found");
    g_assert_cmpint(err->code, ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    object_unparent(OBJECT(t));
    teardown();
}

static void test_unknown_property(void)
{
    setup();
    expect_parse_error("nope", "1", "Property 'test-dev.nope' not found");
    teardown();
}

static void test_device_add(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyValList) kv = NULL;
    DeviceState *dev;

    setup();
    kv = keyval_parse("test-dev,id=d1,u8=3,str=a,,b", "driver", NULL);
    dev = qdev_device_add(kv, NULL);
    g_assert_nonnull(dev);
    g_assert_true(dev->realized);
    g_assert_cmpstr(((TestDev *)dev)->str, ==, "a,b");
    g_assert_true(qdev_find_by_id("d1") == dev);
    g_assert_true(object_resolve_path("/machine/peripheral/d1") ==
                  OBJECT(dev));
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("test-dev,id=d1", "driver", NULL);
    g_assert_null(qdev_device_add(kv, &err));
    g_assert_cmpstr(err->message, ==, "Duplicate ID 'd1' for device");
    g_clear_error(&err);
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("test-dev,u8=13", "driver", NULL);
    g_assert_null(qdev_device_add(kv, &err));
    g_assert_cmpstr(err->message, ==, "unlucky");
    g_clear_error(&err);
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("{\"driver\": \"test-dev\", \"u8\": 4, "
                      "\"flag\": false}", "driver", NULL);
    dev = qdev_device_add(kv, NULL);
    g_assert_nonnull(dev);
    g_assert_cmpuint(((TestDev *)dev)->u8, ==, 4);
    g_assert_false(((TestDev *)dev)->flag);
    g_assert_nonnull(object_resolve_path(
                         "/machine/peripheral-anon/device[0]"));
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("nosuch", "driver", NULL);
    g_assert_null(qdev_device_add(kv, &err));
    g_assert_cmpstr(err->message, ==,
                    "'nosuch' is not a valid device model name");
    g_clear_error(&err);
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("device", "driver", NULL);
    g_assert_null(qdev_device_add(kv, &err));
    g_assert_cmpstr(err->message, ==,
                    "'device' is not a valid device model name");
    g_clear_error(&err);
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("test-dev,id=1x", "driver", NULL);
    g_assert_null(qdev_device_add(kv, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'id' expects an identifier");
    teardown();
}

static void test_keyval(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyValList) kv = keyval_parse("vfio-pci,host=0000:01:00.0,"
                                            "x=a,,b,,,y=", "driver", NULL);

    g_assert_cmpuint(kv->len, ==, 4);
    g_assert_cmpstr(keyval_get(kv, "driver"), ==, "vfio-pci");
    g_assert_cmpstr(keyval_get(kv, "host"), ==, "0000:01:00.0");
    g_assert_cmpstr(keyval_get(kv, "x"), ==, "a,b,");
    g_assert_cmpstr(keyval_get(kv, "y"), ==, "");
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("{\"qom-type\":\"iommufd\",\"id\":\"i0\",\"fd\":\"23\"}",
                      "qom-type", NULL);
    g_assert_cmpstr(keyval_get(kv, "fd"), ==, "23");
    g_clear_pointer(&kv, g_ptr_array_unref);

    kv = keyval_parse("{\"driver\": [1]}", "driver", &err);
    g_assert_null(kv);
    g_assert_cmpstr(err->message, ==,
                    "Invalid parameter type for 'driver', expected: scalar");
    g_clear_error(&err);

    kv = keyval_parse("{\"driver\": ", "driver", &err);
    g_assert_null(kv);
    g_assert_true(g_str_has_prefix(err->message, "JSON parse error, "));
    g_clear_error(&err);

    kv = keyval_parse("pcie-root-port,,", "driver", NULL);
    g_assert_cmpstr(keyval_get(kv, "driver"), ==, "pcie-root-port,");
}

static void test_tree_paths(void)
{
    Object *obj;
    g_autofree char *path = NULL;

    setup();
    obj = container_get("/machine/peripheral");
    path = object_get_canonical_path(obj);
    g_assert_cmpstr(path, ==, "/machine/peripheral");
    g_assert_true(object_resolve_path("/machine/peripheral") == obj);
    g_assert_null(object_resolve_path("/machine/nope"));
    g_assert_null(object_resolve_path("machine"));
    g_assert_true(object_resolve_path("/") == object_get_root());
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/object/properties/defaults", test_defaults);
    g_test_add_func("/object/properties/bool-spellings", test_bool_spellings);
    g_test_add_func("/object/properties/integers", test_integers);
    g_test_add_func("/object/properties/enums-and-strings",
                    test_enums_and_strings);
    g_test_add_func("/object/properties/pci-devfn", test_devfn);
    g_test_add_func("/object/properties/links", test_links);
    g_test_add_func("/object/properties/unknown-refused",
                    test_unknown_property);
    g_test_add_func("/object/tree/paths", test_tree_paths);
    g_test_add_func("/qdev/device-add", test_device_add);
    g_test_add_func("/keyval/forms", test_keyval);
    return g_test_run();
}

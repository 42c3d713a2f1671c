/*
 * Property types.  Messages follow QEMU's so that scripts and people who
 * know QEMU read them the same way.
 */
#include "hw/core/qdev-properties.h"
#include "hw/core/qdev.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const OnOffAuto_names[] = { "auto", "on", "off", NULL };

static void *prop_ptr(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

bool parse_uint64(const char *str, uint64_t *value)
{
    char *end;

    if (!str || !*str || g_ascii_isspace(*str) || *str == '-') {
        return false;
    }
    errno = 0;
    *value = g_ascii_strtoull(str, &end, 0);
    return !errno && *end == '\0';
}

/* bool */

static bool parse_bool(Object *obj, const Property *prop, const char *str,
                       Error **errp)
{
    static const char *const yes[] = { "on", "yes", "true", NULL };
    static const char *const no[] = { "off", "no", "false", NULL };
    bool *p = prop_ptr(obj, prop);

    if (g_strv_contains(yes, str)) {
        *p = true;
    } else if (g_strv_contains(no, str)) {
        *p = false;
    } else {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", prop->name);
        return false;
    }
    return true;
}

static JsonNode *get_bool(Object *obj, const Property *prop)
{
    return json_node_init_boolean(json_node_alloc(),
                                  *(bool *)prop_ptr(obj, prop));
}

static char *print_bool(Object *obj, const Property *prop)
{
    return g_strdup(*(bool *)prop_ptr(obj, prop) ? "on" : "off");
}

static void default_bool(Object *obj, const Property *prop)
{
    *(bool *)prop_ptr(obj, prop) = prop->defval;
}

const PropertyInfo prop_info_bool = {
    .type = "bool", .parse = parse_bool, .get = get_bool,
    .print = print_bool, .set_default = default_bool,
};

/* Unsigned integers of 8 to 64 bits share one parser, by field width. */

static unsigned uint_width(const Property *prop)
{
    if (prop->info == &prop_info_uint8) {
        return 8;
    } else if (prop->info == &prop_info_uint16) {
        return 16;
    } else if (prop->info == &prop_info_uint32) {
        return 32;
    }
    return 64;
}

static uint64_t uint_load(Object *obj, const Property *prop)
{
    void *p = prop_ptr(obj, prop);

    switch (uint_width(prop)) {
    case 8:
        return *(uint8_t *)p;
    case 16:
        return *(uint16_t *)p;
    case 32:
        return *(uint32_t *)p;
    default:
        return *(uint64_t *)p;
    }
}

static void uint_store(Object *obj, const Property *prop, uint64_t v)
{
    void *p = prop_ptr(obj, prop);

    switch (uint_width(prop)) {
    case 8:
        *(uint8_t *)p = v;
        break;
    case 16:
        *(uint16_t *)p = v;
        break;
    case 32:
        *(uint32_t *)p = v;
        break;
    default:
        *(uint64_t *)p = v;
        break;
    }
}

static bool parse_uint(Object *obj, const Property *prop, const char *str,
                       Error **errp)
{
    unsigned width = uint_width(prop);
    uint64_t type_max = width == 64 ? UINT64_MAX : (1ULL << width) - 1;
    uint64_t v;

    if (!parse_uint64(str, &v)) {
        error_setg(errp, "Parameter '%s' expects integer", prop->name);
        return false;
    }
    if (v > type_max) {
        error_setg(errp, "Parameter '%s' expects uint%u_t", prop->name,
                   width);
        return false;
    }
    if (v < (uint64_t)prop->min || v > prop->max) {
        error_setg(errp, "Property %s.%s doesn't take value %" PRIu64
                   " (minimum: %" PRId64 ", maximum: %" PRIu64 ")",
                   object_get_typename(obj), prop->name, v, prop->min,
                   prop->max);
        return false;
    }
    uint_store(obj, prop, v);
    return true;
}

static JsonNode *get_uint(Object *obj, const Property *prop)
{
    return json_node_init_int(json_node_alloc(), uint_load(obj, prop));
}

static char *print_uint(Object *obj, const Property *prop)
{
    return g_strdup_printf("%" PRIu64, uint_load(obj, prop));
}

static void default_uint(Object *obj, const Property *prop)
{
    uint_store(obj, prop, prop->defval);
}

#define UINT_INFO(bits) {                                               \
        .type = "uint" #bits, .parse = parse_uint, .get = get_uint,     \
        .print = print_uint, .set_default = default_uint,               \
    }
const PropertyInfo prop_info_uint8 = UINT_INFO(8);
const PropertyInfo prop_info_uint16 = UINT_INFO(16);
const PropertyInfo prop_info_uint32 = UINT_INFO(32);
const PropertyInfo prop_info_uint64 = UINT_INFO(64);

/* int32 */

static bool parse_int32(Object *obj, const Property *prop, const char *str,
                        Error **errp)
{
    char *end;
    gint64 v;

    errno = 0;
    v = g_ascii_strtoll(str, &end, 0);
    if (!*str || *end || errno) {
        error_setg(errp, "Parameter '%s' expects integer", prop->name);
        return false;
    }
    if (v < prop->min || v > (gint64)prop->max) {
        error_setg(errp, "Parameter '%s' expects int32_t", prop->name);
        return false;
    }
    *(int32_t *)prop_ptr(obj, prop) = v;
    return true;
}

static JsonNode *get_int32(Object *obj, const Property *prop)
{
    return json_node_init_int(json_node_alloc(),
                              *(int32_t *)prop_ptr(obj, prop));
}

static char *print_int32(Object *obj, const Property *prop)
{
    return g_strdup_printf("%" PRId32, *(int32_t *)prop_ptr(obj, prop));
}

static void default_int32(Object *obj, const Property *prop)
{
    *(int32_t *)prop_ptr(obj, prop) = prop->defval;
}

const PropertyInfo prop_info_int32 = {
    .type = "int32", .parse = parse_int32, .get = get_int32,
    .print = print_int32, .set_default = default_int32,
};

/* string */

static bool parse_string(Object *obj, const Property *prop, const char *str,
                         Error **errp)
{
    char **p = prop_ptr(obj, prop);

    g_free(*p);
    *p = g_strdup(str);
    return true;
}

static JsonNode *get_string(Object *obj, const Property *prop)
{
    const char *s = *(char **)prop_ptr(obj, prop);

    return s ? json_node_init_string(json_node_alloc(), s)
             : json_node_init_null(json_node_alloc());
}

static char *print_string(Object *obj, const Property *prop)
{
    const char *s = *(char **)prop_ptr(obj, prop);

    return s ? g_strdup_printf("\"%s\"", s) : g_strdup("null");
}

static void default_string(Object *obj, const Property *prop)
{
    *(char **)prop_ptr(obj, prop) = g_strdup(prop->defstr);
}

static void release_string(Object *obj, const Property *prop)
{
    g_clear_pointer((char **)prop_ptr(obj, prop), g_free);
}

const PropertyInfo prop_info_string = {
    .type = "str", .parse = parse_string, .get = get_string,
    .print = print_string, .set_default = default_string,
    .release = release_string,
};

/* enums: an int field indexing prop->enum_names */

static bool parse_enum(Object *obj, const Property *prop, const char *str,
                       Error **errp)
{
    for (int i = 0; prop->enum_names[i]; i++) {
        if (!strcmp(prop->enum_names[i], str)) {
            *(int *)prop_ptr(obj, prop) = i;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'", prop->name,
               str);
    return false;
}

static JsonNode *get_enum(Object *obj, const Property *prop)
{
    return json_node_init_string(json_node_alloc(),
                                 prop->enum_names[*(int *)prop_ptr(obj, prop)]);
}

static char *print_enum(Object *obj, const Property *prop)
{
    return g_strdup(prop->enum_names[*(int *)prop_ptr(obj, prop)]);
}

static void default_enum(Object *obj, const Property *prop)
{
    *(int *)prop_ptr(obj, prop) = prop->defval;
}

const PropertyInfo prop_info_enum = {
    .type = "enum", .parse = parse_enum, .get = get_enum,
    .print = print_enum, .set_default = default_enum,
};

/* links: by id, to an -object or a -device */

static bool parse_link(Object *obj, const Property *prop, const char *str,
                       Error **errp)
{
    g_autofree char *path = g_strdup_printf("/objects/%s", str);
    Object *target = str[0] == '/' ? object_resolve_path(str)
                                   : object_resolve_path(path);

    if (!target) {
        target = OBJECT(qdev_find_by_id(str));
    }
    if (!target) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", str);
        return false;
    }
    if (!object_is(target, prop->link_type)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   prop->name, prop->link_type);
        return false;
    }
    *(Object **)prop_ptr(obj, prop) = target;
    return true;
}

static JsonNode *get_link(Object *obj, const Property *prop)
{
    Object *target = *(Object **)prop_ptr(obj, prop);
    g_autofree char *path = target ? object_get_canonical_path(target) : NULL;

    return json_node_init_string(json_node_alloc(), path ? path : "");
}

static char *print_link(Object *obj, const Property *prop)
{
    Object *target = *(Object **)prop_ptr(obj, prop);

    return target ? object_get_canonical_path(target) : g_strdup("");
}

const PropertyInfo prop_info_link = {
    .type = "link", .parse = parse_link, .get = get_link,
    .print = print_link,
};

/* PCI devfn: "SLOT[.FN]" in hex */

static bool parse_devfn(Object *obj, const Property *prop, const char *str,
                        Error **errp)
{
    unsigned slot, fn = 0;
    char *end;

    slot = strtoul(str, &end, 16);
    if (end != str && *end == '.') {
        const char *f = end + 1;

        fn = strtoul(f, &end, 16);
        if (end == f) {
            goto bad;
        }
    }
    if (end == str || *end || slot > 31 || fn > 7) {
        goto bad;
    }
    *(int32_t *)prop_ptr(obj, prop) = slot << 3 | fn;
    return true;

bad:
    error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
               object_get_typename(obj), prop->name, str);
    return false;
}

static char *print_devfn(Object *obj, const Property *prop)
{
    int32_t devfn = *(int32_t *)prop_ptr(obj, prop);

    if (devfn < 0) {
        return g_strdup("<unset>");
    }
    return g_strdup_printf("%02x.%x", devfn >> 3, devfn & 7);
}

static JsonNode *get_devfn(Object *obj, const Property *prop)
{
    return json_node_init_int(json_node_alloc(),
                              *(int32_t *)prop_ptr(obj, prop));
}

const PropertyInfo prop_info_pci_devfn = {
    .type = "int32", .parse = parse_devfn, .get = get_devfn,
    .print = print_devfn, .set_default = default_int32,
};

/* Walking the tables */

void object_class_foreach_property(const ObjectClass *oc, PropertyFunc fn,
                                   void *opaque)
{
    for (; oc; oc = object_class_get_parent(oc)) {
        for (const Property *p = oc->props; p && p->name; p++) {
            fn(p, opaque);
        }
    }
}

const Property *object_property_find(Object *obj, const char *name)
{
    for (const ObjectClass *oc = obj->klass; oc;
         oc = object_class_get_parent(oc)) {
        for (const Property *p = oc->props; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp)
{
    const Property *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return false;
    }
    return prop->info->parse(obj, prop, value, errp);
}

JsonNode *object_property_get(Object *obj, const char *name, Error **errp)
{
    const Property *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return NULL;
    }
    return prop->info->get(obj, prop);
}

char *object_property_print(Object *obj, const Property *prop)
{
    return prop->info->print(obj, prop);
}

static void set_default_one(const Property *prop, void *opaque)
{
    if (prop->info->set_default) {
        prop->info->set_default(opaque, prop);
    }
}

void object_set_property_defaults(Object *obj)
{
    object_class_foreach_property(obj->klass, set_default_one, obj);
}

static void release_one(const Property *prop, void *opaque)
{
    if (prop->info->release) {
        prop->info->release(opaque, prop);
    }
}

void object_release_properties(Object *obj)
{
    object_class_foreach_property(obj->klass, release_one, obj);
}

/*
 * -global: property defaults applied to each user-created instance of a
 * type, before the instance's own properties (QEMU's order).
 */
#include "hw/core/qdev-globals.h"
#include "hw/core/qdev.h"
#include "qemu/keyval.h"

#include <stdio.h>
#include <string.h>

typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;
} GlobalProperty;

static GPtrArray *global_props;

static void global_prop_free(gpointer p)
{
    GlobalProperty *g = p;

    g_free(g->driver);
    g_free(g->property);
    g_free(g->value);
    g_free(g);
}

static void global_prop_append(char *driver, char *property, char *value)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    g->driver = driver;
    g->property = property;
    g->value = value;
    if (!global_props) {
        global_props = g_ptr_array_new_with_free_func(global_prop_free);
    }
    g_ptr_array_add(global_props, g);
}

/* "DRIVER.PROP=VALUE": the driver ends at the first '.', before any '='. */
static bool qdev_global_add_dotted(const char *str)
{
    const char *dot = strchr(str, '.');
    const char *eq = strchr(str, '=');

    if (!dot || !eq || dot > eq || dot == str || eq == dot + 1) {
        return false;
    }
    global_prop_append(g_strndup(str, dot - str),
                       g_strndup(dot + 1, eq - dot - 1), g_strdup(eq + 1));
    return true;
}

bool qdev_global_add(const char *str, Error **errp)
{
    g_autoptr(KeyValList) kv = NULL;
    static const char *const keys[] = { "driver", "property", "value" };
    char *vals[3] = { NULL };

    if (qdev_global_add_dotted(str)) {
        return true;
    }
    kv = keyval_parse(str, NULL, errp);
    if (!kv) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        vals[i] = keyval_take(kv, keys[i]);
    }
    if (kv->len) {
        error_setg(errp, "Invalid parameter '%s'",
                   ((KeyVal *)g_ptr_array_index(kv, 0))->key);
    } else {
        for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
            if (!vals[i]) {
                error_setg(errp, "Parameter '%s' is missing", keys[i]);
                break;
            }
        }
    }
    if (errp && *errp) {
        for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
            g_free(vals[i]);
        }
        return false;
    }
    global_prop_append(vals[0], vals[1], vals[2]);
    return true;
}

bool qdev_globals_apply(Object *obj, bool fatal, Error **errp)
{
    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        Error *err = NULL;

        if (!object_is(obj, g->driver)) {
            continue;
        }
        g->used = true;
        if (object_property_parse(obj, g->property, g->value, &err)) {
            continue;
        }
        error_prepend(&err, "can't apply global %s.%s=%s: ", g->driver,
                      g->property, g->value);
        if (fatal) {
            error_propagate(errp, err);
            return false;
        }
        warn_report_err(err);
    }
    return true;
}

void qdev_globals_check_unused(void)
{
    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        ObjectClass *oc = object_class_by_name(g->driver);

        if (g->used) {
            continue;
        }
        if (!oc || !object_class_is(oc, TYPE_DEVICE)) {
            warn_report("global %s.%s has invalid class name", g->driver,
                        g->property);
        } else if (!DEVICE_CLASS(oc)->hotpluggable) {
            warn_report("global %s.%s=%s not used", g->driver, g->property,
                        g->value);
        }
    }
}

void qdev_globals_reset(void)
{
    g_clear_pointer(&global_props, g_ptr_array_unref);
}

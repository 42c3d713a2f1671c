/*
 * Type registry and composition tree.
 */
#include "hw/core/object.h"
#include "hw/core/qdev-properties.h"

#include <string.h>

struct TypeImpl {
    TypeInfo info;
    TypeImpl *parent;
    ObjectClass *klass;         /* built on first use */
};

/* Filled once at start-up and never changed afterwards. */
static GHashTable *type_table;
/* The composition tree; object_tree_reset() empties it. */
static Object *root;

static TypeImpl *type_lookup(const char *name)
{
    return type_table && name ? g_hash_table_lookup(type_table, name) : NULL;
}

void type_register(const TypeInfo *info)
{
    TypeImpl *ti;

    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (g_hash_table_contains(type_table, info->name)) {
        return;     /* registration is idempotent: tests register again */
    }
    ti = g_new0(TypeImpl, 1);
    ti->info = *info;
    g_hash_table_insert(type_table, (gpointer)info->name, ti);
}

static size_t type_class_size(const TypeImpl *ti)
{
    for (; ti; ti = ti->parent) {
        if (ti->info.class_size) {
            return ti->info.class_size;
        }
    }
    return sizeof(ObjectClass);
}

static size_t type_instance_size(const TypeImpl *ti)
{
    for (; ti; ti = ti->parent) {
        if (ti->info.instance_size) {
            return ti->info.instance_size;
        }
    }
    return sizeof(Object);
}

static void type_initialize(TypeImpl *ti)
{
    size_t size;

    if (ti->klass) {
        return;
    }
    if (ti->info.parent) {
        ti->parent = type_lookup(ti->info.parent);
        g_assert(ti->parent);
        type_initialize(ti->parent);
    }
    size = type_class_size(ti);
    ti->klass = g_malloc0(size);
    if (ti->parent) {
        size_t psize = type_class_size(ti->parent);

        g_assert(size >= psize);
        memcpy(ti->klass, ti->parent->klass, psize);
        /* Properties and descriptions belong to the class that set them. */
        ti->klass->props = NULL;
        ti->klass->desc = NULL;
    }
    ti->klass->type = ti;
    if (ti->info.class_init) {
        ti->info.class_init(ti->klass);
    }
}

ObjectClass *object_class_by_name(const char *name)
{
    TypeImpl *ti = type_lookup(name);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

const char *object_class_get_name(const ObjectClass *oc)
{
    return oc->type->info.name;
}

ObjectClass *object_class_get_parent(const ObjectClass *oc)
{
    return oc->type->parent ? oc->type->parent->klass : NULL;
}

bool object_class_is_abstract(const ObjectClass *oc)
{
    return oc->type->info.abstract;
}

bool object_class_is(const ObjectClass *oc, const char *typename)
{
    /* Casts name their type with the same literal: try the pointer. */
    for (const TypeImpl *ti = oc->type; ti; ti = ti->parent) {
        if (ti->info.name == typename) {
            return true;
        }
    }
    for (const TypeImpl *ti = oc->type; ti; ti = ti->parent) {
        if (!strcmp(ti->info.name, typename)) {
            return true;
        }
    }
    return false;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name(a), object_class_get_name(b));
}

GSList *object_class_get_list(const char *implements, bool include_abstract)
{
    GSList *list = NULL;
    GHashTableIter iter;
    gpointer value;

    if (!type_table) {
        return NULL;
    }
    g_hash_table_iter_init(&iter, type_table);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        TypeImpl *ti = value;

        type_initialize(ti);
        if ((!implements || object_class_is(ti->klass, implements)) &&
            (include_abstract || !ti->info.abstract)) {
            list = g_slist_prepend(list, ti->klass);
        }
    }
    return g_slist_sort(list, class_name_cmp);
}

ObjectClass *object_class_check(ObjectClass *oc, const char *typename)
{
    if (!oc || !object_class_is(oc, typename)) {
        g_error("class '%s' is not a '%s'",
                oc ? object_class_get_name(oc) : "(null)", typename);
    }
    return oc;
}

Object *object_check(Object *obj, const char *typename)
{
    if (obj) {
        object_class_check(obj->klass, typename);
    }
    return obj;
}

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    if (ti->parent) {
        object_init_with_type(obj, ti->parent);
    }
    if (ti->info.instance_init) {
        ti->info.instance_init(obj);
    }
}

Object *object_new(const char *typename)
{
    TypeImpl *ti = type_lookup(typename);
    Object *obj;

    g_assert(ti);
    type_initialize(ti);
    g_assert(!ti->info.abstract);
    obj = g_malloc0(type_instance_size(ti));
    obj->klass = ti->klass;
    obj->children = g_ptr_array_new();
    object_set_property_defaults(obj);
    object_init_with_type(obj, ti);
    return obj;
}

const char *object_get_typename(const Object *obj)
{
    return object_class_get_name(obj->klass);
}

bool object_is(const Object *obj, const char *typename)
{
    return obj && object_class_is(obj->klass, typename);
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    return object_is(obj, typename) ? obj : NULL;
}

Object *object_get_root(void)
{
    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

/* Past this many children a parent looks them up by hash. */
#define OBJECT_CHILD_INDEX_MIN 16

Object *object_resolve_child(Object *parent, const char *name)
{
    if (parent->child_by_name) {
        return g_hash_table_lookup(parent->child_by_name, name);
    }
    for (guint i = 0; i < parent->children->len; i++) {
        Object *child = g_ptr_array_index(parent->children, i);

        if (!strcmp(child->name, name)) {
            return child;
        }
    }
    return NULL;
}

Object *container_get(const char *path)
{
    Object *obj = object_get_root();

    while (*path) {
        size_t n = strcspn(path, "/");

        if (n) {
            g_autofree char *name = g_strndup(path, n);
            Object *child = object_resolve_child(obj, name);

            if (!child) {
                child = object_new(TYPE_CONTAINER);
                object_property_add_child(obj, name, child);
            }
            obj = child;
        }
        path += n + (path[n] == '/');
    }
    return obj;
}

void object_property_add_child(Object *parent, const char *name, Object *child)
{
    g_assert(!child->parent);
    g_assert(!object_resolve_child(parent, name));
    child->parent = parent;
    child->name = g_strdup(name);
    g_ptr_array_add(parent->children, child);
    if (parent->child_by_name) {
        g_hash_table_insert(parent->child_by_name, child->name, child);
    } else if (parent->children->len > OBJECT_CHILD_INDEX_MIN) {
        parent->child_by_name = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < parent->children->len; i++) {
            Object *c = g_ptr_array_index(parent->children, i);

            g_hash_table_insert(parent->child_by_name, c->name, c);
        }
    }
}

/* Each component in turn, in a stack buffer (names are short). */
Object *object_resolve_path(const char *path)
{
    Object *obj = object_get_root();
    char name[128];

    if (!path || path[0] != '/') {
        return NULL;
    }
    while (obj && *path) {
        size_t n = strcspn(++path, "/");

        if (n >= sizeof(name)) {
            g_autofree char *big = g_strndup(path, n);

            obj = object_resolve_child(obj, big);
        } else if (n) {
            memcpy(name, path, n);
            name[n] = '\0';
            obj = object_resolve_child(obj, name);
        }
        path += n;
    }
    return obj;
}

char *object_get_canonical_path(const Object *obj)
{
    GString *path = g_string_new(NULL);

    for (; obj && obj->parent; obj = obj->parent) {
        g_string_prepend(path, obj->name);
        g_string_prepend_c(path, '/');
    }
    if (!path->len) {
        g_string_assign(path, "/");
    }
    return g_string_free(path, FALSE);
}

static void object_finalize(Object *obj)
{
    while (obj->children->len) {
        object_unparent(g_ptr_array_index(obj->children,
                                          obj->children->len - 1));
    }
    for (TypeImpl *ti = obj->klass->type; ti; ti = ti->parent) {
        if (ti->info.instance_finalize) {
            ti->info.instance_finalize(obj);
        }
    }
    object_release_properties(obj);
    g_ptr_array_free(obj->children, TRUE);
    g_clear_pointer(&obj->child_by_name, g_hash_table_unref);
    g_free(obj->name);
    g_free(obj);
}

/* Children mostly go newest first (teardown): search from the end. */
static void object_remove_child(Object *parent, Object *obj)
{
    GPtrArray *c = parent->children;

    for (guint i = c->len; i-- > 0;) {
        if (g_ptr_array_index(c, i) == obj) {
            g_ptr_array_remove_index(c, i);
            break;
        }
    }
    if (parent->child_by_name) {
        g_hash_table_remove(parent->child_by_name, obj->name);
    }
}

void object_unparent(Object *obj)
{
    if (obj->parent) {
        object_remove_child(obj->parent, obj);
        obj->parent = NULL;
    }
    object_finalize(obj);
}

void object_tree_reset(void)
{
    if (root) {
        Object *old = root;

        root = NULL;
        object_unparent(old);
    }
}

static const TypeInfo object_types[] = {
    { .name = TYPE_OBJECT, .instance_size = sizeof(Object),
      .class_size = sizeof(ObjectClass), .abstract = true },
    { .name = TYPE_CONTAINER, .parent = TYPE_OBJECT },
};

void object_register_types(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(object_types); i++) {
        type_register(&object_types[i]);
    }
}

/*
 * A small object model in the spirit of QEMU's QOM.
 *
 * Types are registered once at start-up (see system/types.c); each has a
 * parent, an instance size and a class structure that embeds its parent's.
 * Objects live in a composition tree ("/machine/peripheral/ID",
 * "/objects/ID") that owns them: object_unparent() finalizes and frees.
 * Properties are static tables of typed fields (hw/core/qdev-properties.c).
 */
#ifndef HW_CORE_OBJECT_H
#define HW_CORE_OBJECT_H

#include <json-glib/json-glib.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/error.h"

typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct Property Property;
typedef struct TypeImpl TypeImpl;

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size;
    size_t class_size;
    bool abstract;
    void (*class_init)(ObjectClass *oc);
    void (*instance_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
} TypeInfo;

struct ObjectClass {
    TypeImpl *type;
    const char *desc;
    /* This type's own properties, NULL-name terminated; inherited ones are
     * found through the parent class. */
    const Property *props;
    /* Whether -device/-object may create it. */
    bool user_creatable;
    /* -object: called once its properties are set (QOM's "complete"). */
    bool (*complete)(Object *obj, Error **errp);
    /* object-del: false while something uses the object (may be NULL). */
    bool (*can_be_deleted)(Object *obj);
};

struct Object {
    ObjectClass *klass;
    Object *parent;
    char *name;                 /* name under parent, NULL when unparented */
    GPtrArray *children;        /* Object *, in insertion order */
    GHashTable *child_by_name;  /* the same by name, once there are many */
};

#define TYPE_OBJECT "object"
#define TYPE_CONTAINER "container"

void type_register(const TypeInfo *info);
/* Registers "object" and "container". */
void object_register_types(void);
ObjectClass *object_class_by_name(const char *name);
const char *object_class_get_name(const ObjectClass *oc);
ObjectClass *object_class_get_parent(const ObjectClass *oc);
bool object_class_is_abstract(const ObjectClass *oc);
/* Whether @oc is @typename or derives from it. */
bool object_class_is(const ObjectClass *oc, const char *typename);
/* Classes deriving from @implements (all if NULL), sorted by name. */
GSList *object_class_get_list(const char *implements, bool include_abstract);

/* The class of @obj cast to @typename's class; aborts if it is not one. */
ObjectClass *object_class_check(ObjectClass *oc, const char *typename);
Object *object_check(Object *obj, const char *typename);
#define OBJECT(o) ((Object *)(o))
#define OBJECT_GET_CLASS(cls, o, name) \
    ((cls *)object_class_check(OBJECT(o)->klass, (name)))
#define OBJECT_CLASS_CHECK(cls, oc, name) \
    ((cls *)object_class_check((ObjectClass *)(oc), (name)))
#define OBJECT_CHECK(type, o, name) ((type *)object_check(OBJECT(o), (name)))

/* A new, unparented instance with default property values applied. */
Object *object_new(const char *typename);
const char *object_get_typename(const Object *obj);
bool object_is(const Object *obj, const char *typename);
Object *object_dynamic_cast(Object *obj, const char *typename);

/* Composition tree. */
Object *object_get_root(void);
/* The container at @path ("/machine/peripheral"), created if missing. */
Object *container_get(const char *path);
void object_property_add_child(Object *parent, const char *name, Object *child);
Object *object_resolve_path(const char *path);
Object *object_resolve_child(Object *parent, const char *name);
char *object_get_canonical_path(const Object *obj);
/* Detach from the parent (if any), finalize and free, children first. */
void object_unparent(Object *obj);
/* Free every object in the tree; the root is recreated on next use. */
void object_tree_reset(void);

/* Properties (the table lives in hw/core/qdev-properties.c). */
const Property *object_property_find(Object *obj, const char *name);
/* Parse @value as property @name's type and store it. */
bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp);
/* The value as JSON (qom-get), or NULL with *errp set. */
JsonNode *object_property_get(Object *obj, const char *name, Error **errp);
/* The value as text ("on", "0x10", "auto"). */
char *object_property_print(Object *obj, const Property *prop);

/* Iterate over every property of @oc, own ones first, then inherited. */
typedef void (*PropertyFunc)(const Property *prop, void *opaque);
void object_class_foreach_property(const ObjectClass *oc, PropertyFunc fn,
                                   void *opaque);

#endif

/*
 * Option strings: QEMU's "value,key=value,..." and JSON object forms.
 *
 * Both parse into the same ordered list of text pairs, so one code path
 * applies them as properties whatever form the user (or libvirt) chose.
 */
#ifndef QEMU_KEYVAL_H
#define QEMU_KEYVAL_H

#include "qapi/error.h"
#include "qemu/json-parser.h"

typedef struct KeyVal {
    char *key;
    char *value;
} KeyVal;

/* An ordered list of KeyVal; free with g_ptr_array_unref(). */
typedef GPtrArray KeyValList;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KeyValList, g_ptr_array_unref)

/*
 * Parse @str.  A leading element without '=' is the value of
 * @implied_key ("driver", "qom-type", ...); ",," stands for a literal
 * comma; a bare "key" means key=on (QEMU still accepts it, with a
 * warning) and "nokey" means key=off.  A string starting with '{' is a
 * JSON object whose scalar members become pairs.
 */
KeyValList *keyval_parse(const char *str, const char *implied_key,
                         Error **errp);
/*
 * The same without the deprecation warnings, for a look at an option that
 * is parsed (and warned about) once more when it is applied.
 */
KeyValList *keyval_parse_quiet(const char *str, const char *implied_key,
                               Error **errp);
/* An empty list. */
KeyValList *keyval_new(void);
/* The scalar members of object @obj as pairs (QMP device_add arguments). */
KeyValList *keyval_from_view(const JsonView *obj, Error **errp);
/* The value of @key, or NULL. */
const char *keyval_get(KeyValList *kv, const char *key);
/* Remove @key and return its value (caller frees), or NULL. */
char *keyval_take(KeyValList *kv, const char *key);

#endif

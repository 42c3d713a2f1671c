/*
 * Typed properties: static tables describing a field of an instance.
 *
 * Every value arrives as text (command line) or as a JSON scalar turned
 * into text (libvirt's JSON forms, QMP), so one parser per type serves all
 * front ends.
 */
#ifndef HW_CORE_QDEV_PROPERTIES_H
#define HW_CORE_QDEV_PROPERTIES_H

#include "hw/core/object.h"

typedef struct PropertyInfo {
    const char *type;           /* as shown by "-device X,help" */
    bool (*parse)(Object *obj, const Property *prop, const char *str,
                  Error **errp);
    JsonNode *(*get)(Object *obj, const Property *prop);
    char *(*print)(Object *obj, const Property *prop);
    void (*set_default)(Object *obj, const Property *prop);
    void (*release)(Object *obj, const Property *prop);
} PropertyInfo;

struct Property {
    const char *name;
    const PropertyInfo *info;
    ptrdiff_t offset;
    int64_t defval;             /* integers, bools, enums */
    const char *defstr;         /* strings */
    int64_t min;                /* signed and unsigned integer range */
    uint64_t max;
    const char *const *enum_names;      /* enums, NULL terminated */
    const char *link_type;      /* links: the target's type */
    const char *description;
};

extern const PropertyInfo prop_info_bool;
extern const PropertyInfo prop_info_uint8;
extern const PropertyInfo prop_info_uint16;
extern const PropertyInfo prop_info_uint32;
extern const PropertyInfo prop_info_uint64;
extern const PropertyInfo prop_info_int32;
extern const PropertyInfo prop_info_string;
extern const PropertyInfo prop_info_enum;
extern const PropertyInfo prop_info_link;
extern const PropertyInfo prop_info_pci_devfn;

typedef enum OnOffAuto {
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
} OnOffAuto;
extern const char *const OnOffAuto_names[];

#define PROP_FIELD(state, field, ctype) \
    (offsetof(state, field) + \
     0 * sizeof(*(ctype *)0 = ((state *)0)->field))

#define DEFINE_PROP_BOOL(_n, _s, _f, _d) \
    { .name = (_n), .info = &prop_info_bool, \
      .offset = PROP_FIELD(_s, _f, bool), .defval = (_d) }
#define DEFINE_PROP_UINT_RANGE(_n, _s, _f, _t, _info, _d, _min, _max) \
    { .name = (_n), .info = &(_info), .offset = PROP_FIELD(_s, _f, _t), \
      .defval = (_d), .min = (_min), .max = (_max) }
#define DEFINE_PROP_UINT8(_n, _s, _f, _d) \
    DEFINE_PROP_UINT_RANGE(_n, _s, _f, uint8_t, prop_info_uint8, _d, 0, \
                           UINT8_MAX)
#define DEFINE_PROP_UINT16(_n, _s, _f, _d) \
    DEFINE_PROP_UINT_RANGE(_n, _s, _f, uint16_t, prop_info_uint16, _d, 0, \
                           UINT16_MAX)
#define DEFINE_PROP_UINT32(_n, _s, _f, _d) \
    DEFINE_PROP_UINT_RANGE(_n, _s, _f, uint32_t, prop_info_uint32, _d, 0, \
                           UINT32_MAX)
#define DEFINE_PROP_UINT64(_n, _s, _f, _d) \
    DEFINE_PROP_UINT_RANGE(_n, _s, _f, uint64_t, prop_info_uint64, _d, 0, \
                           UINT64_MAX)
#define DEFINE_PROP_INT32(_n, _s, _f, _d) \
    { .name = (_n), .info = &prop_info_int32, \
      .offset = PROP_FIELD(_s, _f, int32_t), .defval = (_d), \
      .min = INT32_MIN, .max = INT32_MAX }
#define DEFINE_PROP_STRING(_n, _s, _f) \
    { .name = (_n), .info = &prop_info_string, \
      .offset = PROP_FIELD(_s, _f, char *) }
/* An int field holding an index into @_names. */
#define DEFINE_PROP_ENUM(_n, _s, _f, _d, _names) \
    { .name = (_n), .info = &prop_info_enum, \
      .offset = PROP_FIELD(_s, _f, int), .defval = (_d), \
      .enum_names = (_names) }
#define DEFINE_PROP_ON_OFF_AUTO(_n, _s, _f, _d) \
    DEFINE_PROP_ENUM(_n, _s, _f, _d, OnOffAuto_names)
/* An Object * field resolved from an id under /objects (or a device id). */
#define DEFINE_PROP_LINK(_n, _s, _f, _type) \
    { .name = (_n), .info = &prop_info_link, \
      .offset = PROP_FIELD(_s, _f, Object *), .link_type = (_type) }
/* PCI "addr": "SLOT[.FN]" in hex, stored as devfn, -1 = automatic. */
#define DEFINE_PROP_PCI_DEVFN(_n, _s, _f, _d) \
    { .name = (_n), .info = &prop_info_pci_devfn, \
      .offset = PROP_FIELD(_s, _f, int32_t), .defval = (_d) }
#define DEFINE_PROP_END_OF_LIST() { .name = NULL }

/* Parse an unsigned integer the way QEMU does: decimal, 0x hex, 0 octal. */
bool parse_uint64(const char *str, uint64_t *value);

/* Apply every property's default value (called by object_new()). */
void object_set_property_defaults(Object *obj);
/* Free what the properties own (called at finalize). */
void object_release_properties(Object *obj);

#endif

/*
 * Simulated host: loading and validating a host description (JSON; the
 * format is in docs/system/host-sim.md).  Every error names the file,
 * the JSON path and what is wrong.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux/iommufd.h"
#include "qemu/json-parser.h"

bool sim_json_check_keys(JsonObject *o, const char *jpath,
                         const char *const *allowed, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(o);
    GList *m;

    for (m = members; m; m = m->next) {
        const char *const *a;

        for (a = allowed; *a && strcmp(*a, m->data); a++) {
        }
        if (!*a && strcmp(m->data, "comment")) {
            error_setg(errp, "%s.%s: unknown member", jpath,
                       (const char *)m->data);
            return false;
        }
    }
    return true;
}

static bool json_parse_hex(const char *str, uint64_t *v)
{
    if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
        return g_ascii_string_to_unsigned(str + 2, 16, 0, UINT64_MAX, v,
                                          NULL);
    }
    return g_ascii_string_to_unsigned(str, 10, 0, UINT64_MAX, v, NULL);
}

bool sim_json_uint(JsonObject *o, const char *key, const char *jpath,
                   bool required, uint64_t def, uint64_t max, uint64_t *out,
                   Error **errp)
{
    JsonNode *n = json_object_get_member(o, key);
    uint64_t v;

    if (!n) {
        if (required) {
            error_setg(errp, "%s.%s: missing", jpath, key);
            return false;
        }
        *out = def;
        return true;
    }
    if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64
        && json_node_get_int(n) >= 0) {
        v = json_node_get_int(n);
    } else if (JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_STRING &&
               json_parse_hex(json_node_get_string(n), &v)) {
        /* 64-bit registers do not fit JSON integers: "0x..." strings */
    } else {
        error_setg(errp, "%s.%s: expected a non-negative integer or a "
                   "\"0x...\" string", jpath, key);
        return false;
    }
    if (v > max) {
        error_setg(errp, "%s.%s: %" PRIu64 " is out of range (at most "
                   "%" PRIu64 ")", jpath, key, v, max);
        return false;
    }
    *out = v;
    return true;
}

bool sim_json_bool(JsonObject *o, const char *key, const char *jpath,
                   bool def, bool *out, Error **errp)
{
    JsonNode *n = json_object_get_member(o, key);

    if (!n) {
        *out = def;
        return true;
    }
    if (!JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
        error_setg(errp, "%s.%s: expected true or false", jpath, key);
        return false;
    }
    *out = json_node_get_boolean(n);
    return true;
}

static const char *json_str(JsonObject *o, const char *key, const char *jpath,
                            Error **errp)
{
    JsonNode *n = json_object_get_member(o, key);

    if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        error_setg(errp, "%s.%s: %s", jpath, key,
                   n ? "expected a string" : "missing");
        return NULL;
    }
    return json_node_get_string(n);
}

static JsonArray *json_array(JsonObject *o, const char *key,
                             const char *jpath, bool required, Error **errp)
{
    JsonNode *n = json_object_get_member(o, key);

    if (!n && !required) {
        return NULL;
    }
    if (!n || !JSON_NODE_HOLDS_ARRAY(n)) {
        error_setg(errp, "%s.%s: %s", jpath, key,
                   n ? "expected an array" : "missing");
        return NULL;
    }
    return json_node_get_array(n);
}

static void sim_iommu_free(gpointer p)
{
    SimIommu *iommu = p;

    g_free(iommu->id);
    g_free(iommu);
}

/*
 * A "devices" entry: the device it describes, without address or state,
 * at @count addresses rid, rid + 8, ... (slot steps, then the bus), which
 * are devices @first, @first + 1, ...
 */
typedef struct SimDeviceEntry {
    SimDevice tmpl;
    unsigned rid, count, first;
} SimDeviceEntry;

static void sim_entry_free(gpointer p)
{
    SimDeviceEntry *e = p;

    g_free(e->tmpl.hw_config);          /* the block of all four arrays */
    g_free(e);
}

static void sim_device_free(gpointer p)
{
    SimDevice *dev = p;

    g_free(dev->bdf);
    g_free(dev->config);
    g_free(dev);
}

/* What vfio-pci shows: config_init until the first write. */
const uint8_t *sim_device_config(const SimDevice *dev)
{
    return dev->config ? dev->config : dev->config_init;
}

static SimDeviceEntry *sim_entry_new(HostSim *s, unsigned rid,
                                     unsigned count)
{
    SimDeviceEntry *e = g_new0(SimDeviceEntry, 1);
    uint8_t *space = g_malloc0(4 * SIM_CFG_SIZE);

    e->tmpl.hw_config = space;
    e->tmpl.config_init = space + SIM_CFG_SIZE;
    e->tmpl.wmask = space + 2 * SIM_CFG_SIZE;
    e->tmpl.w1cmask = space + 3 * SIM_CFG_SIZE;
    e->rid = rid;
    e->count = count;
    e->first = s->ndevices;
    g_ptr_array_add(s->entries, e);
    return e;
}

static SimDeviceEntry *sim_entry_of(HostSim *s, unsigned index)
{
    for (unsigned i = 0; i < s->entries->len; i++) {
        SimDeviceEntry *e = s->entries->pdata[i];

        if (index >= e->first && index - e->first < e->count) {
            return e;
        }
    }
    g_assert_not_reached();
}

/* "0000:BB:DD.F", written out: a printf costs more than the lookup. */
static void rid_name(unsigned rid, char name[13])
{
    static const char hex[] = "0123456789abcdef";
    unsigned bus = (rid >> 8) & 0xff, slot = (rid >> 3) & 31;

    memcpy(name, "0000:00:00.0", 13);
    name[5] = hex[bus >> 4];
    name[6] = hex[bus & 15];
    name[8] = hex[slot >> 4];
    name[9] = hex[slot & 15];
    name[11] = hex[rid & 7];
}

void sim_host_device_name(HostSim *s, unsigned index, char name[13])
{
    SimDeviceEntry *e = sim_entry_of(s, index);

    rid_name(e->rid + 8 * (index - e->first), name);
}

SimDevice *sim_host_device(HostSim *s, unsigned index)
{
    SimDevice *dev = g_hash_table_lookup(s->devices, GUINT_TO_POINTER(index));
    char name[13];

    if (!dev) {
        dev = g_new(SimDevice, 1);
        *dev = sim_entry_of(s, index)->tmpl;
        sim_host_device_name(s, index, name);
        dev->bdf = g_strdup(name);
        dev->index = dev->group = index;
        g_hash_table_insert(s->devices, GUINT_TO_POINTER(index), dev);
    }
    return dev;
}

/* SMMUv3: IDR0..5 (an array), IIDR, AIDR. */
static bool desc_smmu_regs(SimIommu *iommu, JsonObject *o, const char *jp,
                           Error **errp)
{
    JsonArray *idr = json_array(o, "idr", jp, true, errp);
    g_autoptr(JsonObject) tmp = json_object_new();
    uint64_t v;
    unsigned i;

    if (!idr) {
        return false;
    }
    if (json_array_get_length(idr) != 6) {
        error_setg(errp, "%s.idr: expected 6 registers (IDR0..IDR5), got %u",
                   jp, json_array_get_length(idr));
        return false;
    }
    /* Each element through sim_json_uint, so errors say "idr[N]". */
    for (i = 0; i < 6; i++) {
        g_autofree char *k = g_strdup_printf("idr[%u]", i);

        json_object_set_member(tmp, k, json_node_copy(
                               json_array_get_element(idr, i)));
        if (!sim_json_uint(tmp, k, jp, true, 0, UINT32_MAX, &v, errp)) {
            return false;
        }
        iommu->idr[i] = v;
    }
    if (!sim_json_uint(o, "iidr", jp, false, 0, UINT32_MAX, &v, errp)) {
        return false;
    }
    iommu->iidr = v;
    if (!sim_json_uint(o, "aidr", jp, false, 0, UINT32_MAX, &v, errp)) {
        return false;
    }
    iommu->aidr = v;
    return true;
}

static bool desc_iommu(HostSim *s, JsonObject *o, const char *jp,
                       Error **errp)
{
    static const char *const keys[] = {
        "id", "type", "cap", "ecap", "idr", "iidr", "aidr", "pasid-width",
        "iova-width", "dirty-tracking", NULL
    };
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(sim_iommu_free);
    SimIommu *iommu = g_new0(SimIommu, 1);
    const char *id, *type;
    unsigned i;

    g_ptr_array_add(keep, iommu);
    if (!sim_json_check_keys(o, jp, keys, errp) ||
        !(id = json_str(o, "id", jp, errp)) ||
        !(type = json_str(o, "type", jp, errp)) ||
        !sim_json_bool(o, "dirty-tracking", jp, false,
                       &iommu->dirty_tracking, errp)) {
        return false;
    }
    for (i = 0; i < s->iommus->len; i++) {
        if (!strcmp(((SimIommu *)s->iommus->pdata[i])->id, id)) {
            error_setg(errp, "%s.id: duplicate IOMMU id '%s'", jp, id);
            return false;
        }
    }
    iommu->id = g_strdup(id);
    if (!strcmp(type, "intel-vtd")) {
        iommu->type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
        if (!sim_json_uint(o, "cap", jp, true, 0, UINT64_MAX, &iommu->cap,
                           errp) ||
            !sim_json_uint(o, "ecap", jp, true, 0, UINT64_MAX, &iommu->ecap,
                           errp)) {
            return false;
        }
    } else if (!strcmp(type, "arm-smmuv3")) {
        iommu->type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
        if (!desc_smmu_regs(iommu, o, jp, errp)) {
            return false;
        }
    } else if (!strcmp(type, "amd-vi")) {
        /* The kernel's AMD-Vi driver gives iommufd no vendor data. */
        iommu->type = IOMMU_HW_INFO_TYPE_NONE;
        if (!sim_json_uint(o, "pasid-width", jp, false, 0, 20,
                           &iommu->pasid_width, errp) ||
            !sim_json_uint(o, "iova-width", jp, false, 48, 64,
                           &iommu->iova_width, errp)) {
            return false;
        }
    } else {
        error_setg(errp, "%s.type: unknown IOMMU type '%s' (expected "
                   "'intel-vtd', 'arm-smmuv3' or 'amd-vi')", jp, type);
        return false;
    }
    g_ptr_array_add(s->iommus, g_ptr_array_steal_index(keep, 0));
    return true;
}

static bool desc_bar(SimDevice *dev, JsonObject *o, const char *jp,
                     Error **errp)
{
    static const char *const keys[] = {
        "index", "size", "type", "prefetchable", NULL
    };
    const char *type = json_object_get_string_member_with_default(o, "type",
                                                                  "mem32");
    uint64_t idx, size, addr;
    bool pref;
    uint8_t flags;

    if (!sim_json_check_keys(o, jp, keys, errp) ||
        !sim_json_uint(o, "index", jp, true, 0, 5, &idx, errp) ||
        !sim_json_uint(o, "size", jp, true, 0, UINT64_MAX, &size, errp) ||
        !sim_json_bool(o, "prefetchable", jp, false, &pref, errp)) {
        return false;
    }
    if (!strcmp(type, "io")) {
        flags = 1;
    } else if (!strcmp(type, "mem32")) {
        flags = pref << 3;
    } else if (!strcmp(type, "mem64")) {
        flags = 4 | (pref << 3);
    } else {
        error_setg(errp, "%s.type: unknown BAR type '%s' (expected 'io', "
                   "'mem32' or 'mem64')", jp, type);
        return false;
    }
    if (size < (flags & 1 ? 4 : 16) || (size & (size - 1)) ||
        (flags != 4 && !(flags & 4) && size > 0x80000000ull)) {
        error_setg(errp, "%s.size: 0x%" PRIx64 " is not a valid BAR size",
                   jp, size);
        return false;
    }
    if (dev->bar_size[idx] || (idx && (dev->bar_flags[idx - 1] & 6) == 4 &&
                               dev->bar_size[idx - 1])) {
        error_setg(errp, "%s.index: BAR %" PRIu64 " is already in use", jp,
                   idx);
        return false;
    }
    if ((flags & 4) && (idx == 5 || dev->bar_size[idx + 1])) {
        error_setg(errp, "%s.index: a 64-bit BAR needs BAR %" PRIu64 " and "
                   "the next one", jp, idx);
        return false;
    }
    dev->bar_size[idx] = size;
    dev->bar_flags[idx] = flags;
    /*
     * Linux's vfio-pci shows an unimplemented BAR as 0 and an implemented
     * one with its host address; here the address is 0 but for a 32-bit
     * non-prefetchable BAR, whose register would then read 0: it sits at
     * its size (aligned, non-zero).
     */
    addr = flags ? flags : size;
    for (unsigned b = 0; b < 4; b++) {
        dev->hw_config[0x10 + 4 * idx + b] = addr >> (8 * b);
    }
    return true;
}

/* The header's IDs, for a device built from a capability list. */
static bool desc_ids(SimDevice *dev, JsonObject *o, const char *jp,
                     Error **errp)
{
    uint64_t vendor, device, class_code;
    uint8_t *h = dev->hw_config;

    if (!sim_json_uint(o, "vendor", jp, true, 0, 0xffff, &vendor, errp) ||
        !sim_json_uint(o, "device", jp, true, 0, 0xffff, &device, errp) ||
        !sim_json_uint(o, "class", jp, false, 0, 0xffffff, &class_code,
                       errp)) {
        return false;
    }
    h[0] = vendor;
    h[1] = vendor >> 8;
    h[2] = device;
    h[3] = device >> 8;
    h[9] = class_code;
    h[10] = class_code >> 8;
    h[11] = class_code >> 16;
    h[0x3d] = 1;                        /* INTA */
    return true;
}

static bool desc_header(SimDevice *dev, JsonObject *o, const char *jp,
                        Error **errp)
{
    uint64_t rom;
    const char *hex = json_object_get_string_member_with_default(o, "config",
                                                                 NULL);
    g_autofree char *hex_path = g_strdup_printf("%s.config", jp);
    JsonArray *caps, *bars;
    unsigned i;

    if ((json_object_has_member(o, "capabilities") &&
         !json_array(o, "capabilities", jp, true, errp)) ||
        (json_object_has_member(o, "bars") &&
         !json_array(o, "bars", jp, true, errp))) {
        return false;
    }
    caps = json_array(o, "capabilities", jp, false, NULL);
    bars = json_array(o, "bars", jp, false, NULL);
    if (json_object_has_member(o, "config") && !hex) {
        error_setg(errp, "%s: expected a string of hex bytes", hex_path);
        return false;
    }
    if (json_object_has_member(o, "config") && json_object_has_member(
            o, "capabilities")) {
        error_setg(errp, "%s: give either 'config' or 'capabilities', not "
                   "both", jp);
        return false;
    }
    if (hex ? !sim_config_from_hex(dev, hex, hex_path, errp)
            : !desc_ids(dev, o, jp, errp)) {
        return false;
    }
    if (!sim_json_uint(o, "rom-size", jp, false, 0, 0x80000000, &rom, errp)) {
        return false;
    }
    dev->rom_size = rom;
    for (i = 0; bars && i < json_array_get_length(bars); i++) {
        g_autofree char *p = g_strdup_printf("%s.bars[%u]", jp, i);
        JsonNode *n = json_array_get_element(bars, i);

        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            error_setg(errp, "%s: expected an object", p);
            return false;
        }
        if (!desc_bar(dev, json_node_get_object(n), p, errp)) {
            return false;
        }
    }
    if (caps) {
        g_autofree char *p = g_strdup_printf("%s.capabilities", jp);

        return sim_config_add_caps(dev, caps, p, errp);
    }
    return true;
}

static bool desc_bdf(const char *s, unsigned *rid, const char *jp,
                     Error **errp)
{
    unsigned dom, bus, slot, fn;
    char end;

    if (strlen(s) != 12 ||
        sscanf(s, "%4x:%2x:%2x.%1x%c", &dom, &bus, &slot, &fn, &end) != 4 ||
        dom != 0 || slot > 31 || fn > 7 || s[4] != ':' || s[7] != ':') {
        error_setg(errp, "%s.bdf: '%s' is not a PCI address of the form "
                   "0000:BB:DD.F", jp, s);
        return false;
    }
    *rid = (bus << 8) | (slot << 3) | fn;
    return true;
}

/*
 * Bounds the work a description can ask for (start-up is linear in it);
 * the "count" form had the same bound alone.
 */
#define SIM_MAX_DEVICES 4096

static bool desc_device_config(SimDevice *dev, JsonObject *o, JsonNode *hp,
                               const char *jp, Error **errp)
{
    g_autofree char *hpath = g_strdup_printf("%s.host-pasid", jp);

    return desc_header(dev, o, jp, errp) &&
           sim_config_finish(dev, hp ? json_node_get_object(hp) : NULL,
                             hpath, errp);
}

/*
 * Which of @count devices from @rid an earlier entry already has: the
 * first k (0 is the entry's own address, -1 none).  Two entries collide
 * only at the same function, on the overlap of their ranges.
 */
static int desc_first_duplicate(HostSim *s, unsigned rid, unsigned count)
{
    int first = -1;

    for (unsigned i = 0; i < s->entries->len; i++) {
        SimDeviceEntry *e = s->entries->pdata[i];
        unsigned lo = MAX(rid, e->rid);
        unsigned hi = MIN(rid + 8 * (count - 1), e->rid + 8 * (e->count - 1));
        int k = (lo - rid) / 8;

        if ((e->rid & 7) == (rid & 7) && lo <= hi && (first < 0 || k < first)) {
            first = k;
        }
    }
    return first;
}

/* One "devices" entry; "count" repeats it at consecutive slots. */
static bool desc_device(HostSim *s, JsonObject *o, const char *jp,
                        Error **errp)
{
    static const char *const keys[] = {
        "bdf", "iommu", "vendor", "device", "class", "bars", "rom-size",
        "capabilities", "config", "host-pasid", "count", NULL
    };
    const char *bdf, *iommu_id;
    JsonNode *hp = json_object_get_member(o, "host-pasid");
    SimIommu *iommu = NULL;
    SimDeviceEntry *e;
    char name[13];
    uint64_t count;
    unsigned rid, i;
    int dup;

    if (!sim_json_check_keys(o, jp, keys, errp) ||
        !(bdf = json_str(o, "bdf", jp, errp)) ||
        !desc_bdf(bdf, &rid, jp, errp) ||
        !(iommu_id = json_str(o, "iommu", jp, errp)) ||
        !sim_json_uint(o, "count", jp, false, 1, 4096, &count, errp)) {
        return false;
    }
    for (i = 0; i < s->iommus->len; i++) {
        if (!strcmp(((SimIommu *)s->iommus->pdata[i])->id, iommu_id)) {
            iommu = s->iommus->pdata[i];
        }
    }
    if (!iommu) {
        error_setg(errp, "%s.iommu: no IOMMU with id '%s'", jp, iommu_id);
        return false;
    }
    if (hp && !JSON_NODE_HOLDS_OBJECT(hp)) {
        error_setg(errp, "%s.host-pasid: expected an object", jp);
        return false;
    }
    if (!count) {
        error_setg(errp, "%s.count: 0 is out of range (at least 1)", jp);
        return false;
    }
    if (s->ndevices + count > SIM_MAX_DEVICES) {
        error_setg(errp, "%s: more than %d devices in the description", jp,
                   SIM_MAX_DEVICES);
        return false;
    }
    if (rid + (count - 1) * 8 > 0xffff) {
        error_setg(errp, "%s.count: %" PRIu64 " devices from %s do not fit "
                   "below bus 0xff", jp, count, bdf);
        return false;
    }
    /* The entry's devices differ only by their address: build one. */
    dup = desc_first_duplicate(s, rid, count);
    if (dup == 0) {
        rid_name(rid, name);
        error_setg(errp, "%s.bdf: duplicate device %s", jp, name);
        return false;
    }
    e = sim_entry_new(s, rid, count);
    e->tmpl.iommu = iommu;
    if (!desc_device_config(&e->tmpl, o, hp, jp, errp)) {
        return false;
    }
    if (dup > 0) {
        rid_name(rid + 8 * dup, name);
        error_setg(errp, "%s.bdf: duplicate device %s", jp, name);
        return false;
    }
    s->ndevices += count;
    return true;
}

typedef bool (*DescEntryFunc)(HostSim *s, JsonObject *o, const char *jp,
                              Error **errp);

static bool desc_list(HostSim *s, JsonObject *root, const char *key,
                      DescEntryFunc fn, Error **errp)
{
    JsonArray *a = json_array(root, key, "$", true, errp);
    unsigned i;

    if (!a) {
        return false;
    }
    if (!json_array_get_length(a)) {
        error_setg(errp, "$.%s: must not be empty", key);
        return false;
    }
    for (i = 0; i < json_array_get_length(a); i++) {
        g_autofree char *jp = g_strdup_printf("$.%s[%u]", key, i);
        JsonNode *n = json_array_get_element(a, i);

        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            error_setg(errp, "%s: expected an object", jp);
            return false;
        }
        if (!fn(s, json_node_get_object(n), jp, errp)) {
            return false;
        }
    }
    return true;
}

static bool desc_parse(HostSim *s, JsonNode *root, Error **errp)
{
    static const char *const keys[] = { "iommus", "devices", NULL };

    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "$: expected an object");
        return false;
    }
    return sim_json_check_keys(json_node_get_object(root), "$", keys, errp) &&
           desc_list(s, json_node_get_object(root), "iommus", desc_iommu,
                     errp) &&
           desc_list(s, json_node_get_object(root), "devices", desc_device,
                     errp);
}

/* What QEMU's reader made of a description: its values and errors. */
typedef struct DescValues {
    JsonNode *first;
    unsigned values;
    bool error;
} DescValues;

static void desc_collect_value(void *opaque, JsonNode *value, Error *err)
{
    DescValues *v = opaque;

    if (value && !v->values++) {
        v->first = value;
    } else {
        g_clear_pointer(&value, json_node_unref);
    }
    v->error |= err != NULL;
    g_clear_error(&err);
}

/*
 * The description's one value, read by QEMU's reader (which QMP uses).
 * Only if that fails does json-glib read it (into @parser): its messages
 * give line and column, and it takes what QEMU's reader does not
 * (comments, repeated keys).  Two values are refused first: json-glib
 * would leak the first (found by fuzz-host-desc, corpus "two-values").
 */
static JsonNode *desc_read(const char *file, const char *text, gsize len,
                           JsonParser **parser, Error **errp)
{
    DescValues v = { 0 };
    JsonStreamer *js = json_streamer_new(desc_collect_value, &v);
    GError *err = NULL;

    json_streamer_feed(js, text, len);
    json_streamer_flush(js);
    json_streamer_free(js);
    if (v.values > 1) {
        json_node_unref(v.first);
        error_setg(errp, "%s: Expecting at most one JSON value", file);
        return NULL;
    }
    if (v.values && !v.error) {
        return v.first;
    }
    g_clear_pointer(&v.first, json_node_unref);
    *parser = json_parser_new();
    if (!json_parser_load_from_data(*parser, text, len, &err)) {
        /* json-glib says "<data>:LINE:COL: ..."; name the file instead */
        const char *msg = g_str_has_prefix(err->message, "<data>:") ?
                          err->message + strlen("<data>:") : err->message;

        error_setg(errp, "%s:%s", file, msg);
        g_error_free(err);
        return NULL;
    }
    if (!json_parser_get_root(*parser)) {
        error_setg(errp, "%s: empty file", file);
        return NULL;
    }
    return json_node_ref(json_parser_get_root(*parser));
}

HostSim *sim_host_load(const char *file, Error **errp)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;
    GError *err = NULL;
    gsize len;
    HostSim *s;

    if (!g_file_get_contents(file, &text, &len, &err)) {
        /* GLib's message repeats the name (quoted); errno says it all */
        int fd = open(file, O_RDONLY);
        char c;

        error_setg(errp, "%s: cannot read: %s", file,
                   fd < 0 || read(fd, &c, 1) < 0 ? g_strerror(errno)
                                                 : err->message);
        if (fd >= 0) {
            close(fd);
        }
        g_error_free(err);
        return NULL;
    }
    root = desc_read(file, text, len, &parser, errp);
    if (!root) {
        return NULL;
    }
    s = g_new0(HostSim, 1);
    s->file = g_strdup(file);
    s->iommus = g_ptr_array_new_with_free_func(sim_iommu_free);
    s->devices = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       sim_device_free);
    s->entries = g_ptr_array_new_with_free_func(sim_entry_free);
    s->fds = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->cmd_faults = g_ptr_array_new();
    s->region_shift = SIM_REGION_SHIFT;
    s->uaccess_pipe[0] = s->uaccess_pipe[1] = -1;
    s->fd_base = -1;
    if (!desc_parse(s, root, errp)) {
        error_prepend(errp, "%s: ", file);
        sim_host_free(s);
        return NULL;
    }
    return s;
}

/* "0000:BB:DD.F" in either case, as the devices are named; -1 if not. */
static int bdf_rid(const char *bdf)
{
    int v[5];

    if (strlen(bdf) != 12 || strncmp(bdf, "0000:", 5) || bdf[7] != ':' ||
        bdf[10] != '.') {
        return -1;
    }
    v[0] = g_ascii_xdigit_value(bdf[5]);
    v[1] = g_ascii_xdigit_value(bdf[6]);
    v[2] = g_ascii_xdigit_value(bdf[8]);
    v[3] = g_ascii_xdigit_value(bdf[9]);
    v[4] = g_ascii_xdigit_value(bdf[11]);
    if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 || v[4] < 0 ||
        v[2] * 16 + v[3] > 31 || v[4] > 7) {
        return -1;
    }
    return (v[0] * 16 + v[1]) << 8 | (v[2] * 16 + v[3]) << 3 | v[4];
}

SimDevice *sim_host_find_device(HostSim *s, const char *bdf)
{
    int rid = bdf_rid(bdf);

    for (unsigned i = 0; rid >= 0 && i < s->entries->len; i++) {
        SimDeviceEntry *e = s->entries->pdata[i];
        unsigned k = (rid - e->rid) / 8;

        if ((unsigned)rid >= e->rid && (rid & 7) == (e->rid & 7) &&
            k < e->count) {
            return sim_host_device(s, e->first + k);
        }
    }
    return NULL;
}

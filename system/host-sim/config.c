/*
 * Simulated host: a device's hardware config space, built from a list of
 * capabilities (or a hex dump), and the view host vfio-pci gives of it
 * through the config region, where the PASID capability is hidden.
 */
#include "system/host-sim/internal.h"

#include <string.h>

#define PCI_STD_CAP_START 0x40
#define ROUND_UP(n, d) (((n) + (d) - 1) / (d) * (d))
#define PCI_EXT_CAP_START 0x100
#define PCI_EXT_ID_PASID 0x1b
#define PCI_EXT_ID_PRI 0x13

/* One capability being built: body bytes and write masks, offset 0 = header. */
typedef struct CapBuf {
    unsigned size;
    uint8_t data[256];
    uint8_t wmask[256];
    uint8_t w1c[256];
} CapBuf;

typedef struct CapType {
    const char *name;
    bool ext;
    uint16_t id;
    uint8_t version;
    const char *const keys[8];          /* besides "type" and "offset" */
    bool (*init)(CapBuf *c, JsonObject *o, const char *jpath, Error **errp);
} CapType;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint16_t get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | ((uint32_t)get16(p + 2) << 16);
}

static bool cap_pcie(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    static const struct { const char *name; unsigned type; } types[] = {
        { "endpoint", 0 }, { "legacy-endpoint", 1 }, { "root-port", 4 },
        { "upstream-port", 5 }, { "downstream-port", 6 }, { "rciep", 9 },
    };
    const char *t = json_object_get_string_member_with_default(o, "device-type",
                                                               "endpoint");
    uint64_t devcap2;
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(types) && strcmp(types[i].name, t); i++) {
    }
    if (i == G_N_ELEMENTS(types)) {
        error_setg(errp, "%s.device-type: unknown device type '%s'", jpath, t);
        return false;
    }
    if (!sim_json_uint(o, "devcap2", jpath, false, 0, UINT32_MAX, &devcap2,
                       errp)) {
        return false;
    }
    c->size = 0x3c;
    put16(c->data + 2, 2 | (types[i].type << 4));  /* version 2 */
    put32(c->data + 0x24, devcap2);
    put16(c->wmask + 0x08, 0x7fff);                 /* Device Control */
    c->w1c[0x0a] = 0x0f;                            /* Device Status */
    put16(c->wmask + 0x10, 0x0ffb);                 /* Link Control */
    put16(c->wmask + 0x28, 0xffff);                 /* Device Control 2 */
    return true;
}

static bool cap_pm(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    c->size = 8;
    put16(c->data + 2, 3);
    put16(c->wmask + 4, 0x0103);    /* PowerState, PME_En */
    c->w1c[5] = 0x80;               /* PME_Status */
    return true;
}

static bool cap_msi(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    uint64_t vectors;
    bool is64, maskable;
    unsigned data_off;

    if (!sim_json_uint(o, "vectors", jpath, false, 1, 32, &vectors, errp) ||
        !sim_json_bool(o, "64bit", jpath, true, &is64, errp) ||
        !sim_json_bool(o, "per-vector-mask", jpath, false, &maskable, errp)) {
        return false;
    }
    if (!vectors || (vectors & (vectors - 1))) {
        error_setg(errp, "%s.vectors: must be a power of two from 1 to 32",
                   jpath);
        return false;
    }
    put16(c->data + 2, (g_bit_nth_msf(vectors, -1) << 1) | (is64 << 7) |
                       (maskable << 8));
    put16(c->wmask + 2, 0x0071);    /* Enable, Multiple Message Enable */
    put32(c->wmask + 4, 0xfffffffc);
    if (is64) {
        put32(c->wmask + 8, 0xffffffff);
    }
    data_off = is64 ? 12 : 8;
    put16(c->wmask + data_off, 0xffff);
    c->size = data_off + 4;
    if (maskable) {
        put32(c->wmask + data_off + 4, 0xffffffff);
        c->size += 8;
    }
    return true;
}

static bool cap_msix(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    uint64_t n, tbar, toff, pbar, poff;

    if (!sim_json_uint(o, "table-size", jpath, true, 0, 2048, &n, errp) ||
        !sim_json_uint(o, "table-bar", jpath, false, 0, 5, &tbar, errp) ||
        !sim_json_uint(o, "table-offset", jpath, false, 0, UINT32_MAX, &toff,
                       errp) ||
        !sim_json_uint(o, "pba-bar", jpath, false, tbar, 5, &pbar, errp) ||
        !sim_json_uint(o, "pba-offset", jpath, false, toff + n * 16,
                       UINT32_MAX, &poff, errp)) {
        return false;
    }
    if (!n || (toff & 7) || (poff & 7)) {
        error_setg(errp, "%s: table-size must be 1..2048 and offsets "
                   "8-byte aligned", jpath);
        return false;
    }
    c->size = 12;
    put16(c->data + 2, n - 1);
    put32(c->data + 4, toff | tbar);
    put32(c->data + 8, poff | pbar);
    c->wmask[3] = 0xc0;             /* Enable, Function Mask */
    return true;
}

static bool cap_vendor(CapBuf *c, JsonObject *o, const char *jpath,
                       Error **errp)
{
    uint64_t len;

    if (!sim_json_uint(o, "length", jpath, false, 8, 252, &len, errp)) {
        return false;
    }
    if (len < 3) {
        error_setg(errp, "%s.length: must be at least 3", jpath);
        return false;
    }
    c->size = len;
    c->data[2] = len;
    return true;
}

static bool cap_acs(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    uint64_t caps;

    if (!sim_json_uint(o, "caps", jpath, false, 0x1f, 0x7f, &caps, errp)) {
        return false;
    }
    c->size = 8;
    put16(c->data + 4, caps);
    put16(c->wmask + 6, caps);      /* a control bit per supported feature */
    return true;
}

static bool cap_aer(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    c->size = 0x38;
    put32(c->w1c + 0x04, 0xffffffff);   /* Uncorrectable Status */
    put32(c->wmask + 0x08, 0xffffffff); /* Uncorrectable Mask */
    put32(c->wmask + 0x0c, 0xffffffff); /* Uncorrectable Severity */
    put32(c->w1c + 0x10, 0xffffffff);   /* Correctable Status */
    put32(c->wmask + 0x14, 0xffffffff); /* Correctable Mask */
    return true;
}

static bool cap_ats(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    uint64_t depth;

    if (!sim_json_uint(o, "queue-depth", jpath, false, 0, 31, &depth, errp)) {
        return false;
    }
    c->size = 8;
    put16(c->data + 4, depth);
    put16(c->wmask + 6, 0x801f);    /* Enable, Smallest Translation Unit */
    return true;
}

static bool cap_pri(CapBuf *c, JsonObject *o, const char *jpath, Error **errp)
{
    uint64_t outstanding;

    if (!sim_json_uint(o, "outstanding", jpath, false, 32, UINT32_MAX,
                       &outstanding, errp)) {
        return false;
    }
    c->size = 0x10;
    put32(c->data + 8, outstanding);
    put16(c->wmask + 4, 0x0003);
    put32(c->wmask + 0x0c, 0xffffffff);
    return true;
}

static bool cap_pasid(CapBuf *c, JsonObject *o, const char *jpath,
                      Error **errp)
{
    uint64_t width;
    bool exec, priv;

    if (!sim_json_uint(o, "width", jpath, true, 0, 20, &width, errp) ||
        !sim_json_bool(o, "exec", jpath, false, &exec, errp) ||
        !sim_json_bool(o, "priv", jpath, false, &priv, errp)) {
        return false;
    }
    c->size = 8;
    put16(c->data + 4, (exec << 1) | (priv << 2) | (width << 8));
    put16(c->wmask + 6, 0x0001 | (exec << 1) | (priv << 2));
    return true;
}

static const CapType cap_types[] = {
    { "pcie", false, 0x10, 0, { "device-type", "devcap2" }, cap_pcie },
    { "pm", false, 0x01, 0, { NULL }, cap_pm },
    { "msi", false, 0x05, 0, { "vectors", "64bit", "per-vector-mask" },
      cap_msi },
    { "msix", false, 0x11, 0, { "table-size", "table-bar", "table-offset",
                                "pba-bar", "pba-offset" }, cap_msix },
    { "vendor-specific", false, 0x09, 0, { "length" }, cap_vendor },
    { "aer", true, 0x01, 2, { NULL }, cap_aer },
    { "acs", true, 0x0d, 1, { "caps" }, cap_acs },
    { "ats", true, 0x0f, 1, { "queue-depth" }, cap_ats },
    { "pri", true, PCI_EXT_ID_PRI, 1, { "outstanding" }, cap_pri },
    { "pasid", true, PCI_EXT_ID_PASID, 1, { "width", "exec", "priv" },
      cap_pasid },
};

typedef struct CapLayout {
    uint8_t used[SIM_CFG_SIZE];
    unsigned std_next, ext_next;
    unsigned std_last, ext_last;    /* offset of the chain's last cap, 0 */
} CapLayout;

static bool cap_place(SimDevice *dev, CapLayout *l, const CapType *t,
                      JsonObject *o, CapBuf *c, const char *jpath,
                      Error **errp)
{
    unsigned lo = t->ext ? PCI_EXT_CAP_START : PCI_STD_CAP_START;
    unsigned hi = t->ext ? SIM_CFG_SIZE : 0x100;
    uint64_t off;
    unsigned i;

    if (!sim_json_uint(o, "offset", jpath, false,
                       t->ext ? l->ext_next : l->std_next, UINT32_MAX, &off,
                       errp)) {
        return false;
    }
    if (off < lo || off + c->size > hi || (off & 3)) {
        error_setg(errp, "%s: capability '%s' (%u bytes) does not fit at "
                   "0x%" PRIx64, jpath, t->name, c->size, off);
        return false;
    }
    for (i = 0; i < c->size; i++) {
        if (l->used[off + i]) {
            error_setg(errp, "%s: capability '%s' at 0x%" PRIx64 " overlaps "
                       "another capability at 0x%x", jpath, t->name, off,
                       (unsigned)off + i);
            return false;
        }
    }
    memset(l->used + off, 1, c->size);
    memcpy(dev->hw_config + off, c->data, c->size);
    memcpy(dev->wmask + off, c->wmask, c->size);
    memcpy(dev->w1cmask + off, c->w1c, c->size);
    if (t->ext) {
        put32(dev->hw_config + off, t->id | (t->version << 16));
        if (l->ext_last) {
            uint32_t h = get32(dev->hw_config + l->ext_last);
            put32(dev->hw_config + l->ext_last, h | ((uint32_t)off << 20));
        }
        l->ext_last = off;
        l->ext_next = ROUND_UP(off + c->size, 4);
    } else {
        dev->hw_config[off] = t->id;
        dev->hw_config[l->std_last ? l->std_last + 1 : 0x34] = off;
        dev->hw_config[0x06] |= 0x10;           /* Capabilities List */
        l->std_last = off;
        l->std_next = ROUND_UP(off + c->size, 4);
    }
    return true;
}

static bool cap_add(SimDevice *dev, CapLayout *l, JsonObject *o,
                    const char *jpath, Error **errp)
{
    const char *type = json_object_get_string_member_with_default(o, "type",
                                                                  NULL);
    const char *keys[12] = { "type", "offset" };
    g_autofree CapBuf *c = g_new0(CapBuf, 1);
    const CapType *t = NULL;
    unsigned i, n = 2;

    for (i = 0; type && i < G_N_ELEMENTS(cap_types); i++) {
        if (!strcmp(cap_types[i].name, type)) {
            t = &cap_types[i];
        }
    }
    if (!t) {
        error_setg(errp, "%s.type: %s capability type%s%s", jpath,
                   type ? "unknown" : "missing", type ? " " : "",
                   type ? type : "");
        return false;
    }
    for (i = 0; t->keys[i]; i++) {
        keys[n++] = t->keys[i];
    }
    return sim_json_check_keys(o, jpath, keys, errp) &&
           t->init(c, o, jpath, errp) &&
           cap_place(dev, l, t, o, c, jpath, errp);
}

bool sim_config_add_caps(SimDevice *dev, JsonArray *caps, const char *jpath,
                         Error **errp)
{
    g_autofree CapLayout *l = g_new0(CapLayout, 1);
    unsigned i;

    memset(l->used, 1, PCI_STD_CAP_START);
    l->std_next = PCI_STD_CAP_START;
    l->ext_next = PCI_EXT_CAP_START;
    for (i = 0; i < json_array_get_length(caps); i++) {
        g_autofree char *p = g_strdup_printf("%s[%u]", jpath, i);
        JsonNode *n = json_array_get_element(caps, i);

        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            error_setg(errp, "%s: expected an object", p);
            return false;
        }
        if (!cap_add(dev, l, json_node_get_object(n), p, errp)) {
            return false;
        }
    }
    return true;
}

bool sim_config_from_hex(SimDevice *dev, const char *hex, const char *jpath,
                         Error **errp)
{
    unsigned len = 0;
    const char *p;

    for (p = hex; *p; p++) {
        if (g_ascii_isspace(*p) || *p == ':') {
            continue;
        }
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1])) {
            error_setg(errp, "%s: bad hex digit at character %u", jpath,
                       (unsigned)(p - hex));
            return false;
        }
        if (len == SIM_CFG_SIZE) {
            error_setg(errp, "%s: more than %u bytes", jpath, SIM_CFG_SIZE);
            return false;
        }
        dev->hw_config[len++] = (g_ascii_xdigit_value(p[0]) << 4) |
                                g_ascii_xdigit_value(p[1]);
        p++;
    }
    if (len < 64) {
        error_setg(errp, "%s: %u bytes, at least the 64-byte header is "
                   "needed", jpath, len);
        return false;
    }
    /* Without a capability list, only the header's usual bits move. */
    return true;
}

unsigned sim_config_find_ecap(const uint8_t *cfg, uint16_t id)
{
    unsigned off = PCI_EXT_CAP_START, hops = 0;

    while (off >= PCI_EXT_CAP_START && off <= SIM_CFG_SIZE - 4 &&
           hops++ < 1024) {
        uint32_t h = get32(cfg + off);

        if (!h) {
            return 0;
        }
        if ((h & 0xffff) == id) {
            return off;
        }
        off = (h >> 20) & 0xffc;
    }
    return 0;
}

/* Host vfio-pci does not expose these yet: unlink them as it does. */
static void config_hide_ecap(SimDevice *dev, uint16_t id, unsigned size)
{
    unsigned off = PCI_EXT_CAP_START, prev = 0, hops = 0;

    while (off >= PCI_EXT_CAP_START && off <= SIM_CFG_SIZE - 4 &&
           hops++ < 1024) {
        uint32_t h = get32(dev->config_init + off);
        unsigned next = (h >> 20) & 0xffc;

        if (!h) {
            return;
        }
        if ((h & 0xffff) == id) {
            if (prev) {
                uint32_t ph = get32(dev->config_init + prev);
                put32(dev->config_init + prev,
                      (ph & 0xfffff) | (next << 20));
            } else {
                /* The first one cannot be skipped: a null header keeps the
                 * chain going. */
                put32(dev->config_init + off, (uint32_t)next << 20);
            }
            memset(dev->wmask + off, 0, MIN(size, SIM_CFG_SIZE - off));
            memset(dev->w1cmask + off, 0, MIN(size, SIM_CFG_SIZE - off));
        } else {
            prev = off;
        }
        off = next;
    }
}

static void config_header_masks(SimDevice *dev)
{
    unsigned i;

    put16(dev->wmask + 0x04, 0x0547);   /* Command */
    put16(dev->w1cmask + 0x06, 0xf900); /* Status errors */
    dev->wmask[0x0c] = 0xff;            /* Cache Line Size */
    dev->wmask[0x0d] = 0xff;            /* Latency Timer */
    dev->wmask[0x3c] = 0xff;            /* Interrupt Line */
    for (i = 0; i < 6; i++) {
        uint64_t mask = ~(dev->bar_size[i] - 1);

        if (!dev->bar_size[i]) {
            continue;
        }
        put32(dev->wmask + 0x10 + 4 * i,
              mask & ((dev->bar_flags[i] & 1) ? ~3u : ~0xfu));
        if ((dev->bar_flags[i] & 0x6) == 0x4) {
            put32(dev->wmask + 0x14 + 4 * i, mask >> 32);
        }
    }
    if (dev->rom_size) {
        put32(dev->wmask + 0x30, (uint32_t)~(dev->rom_size - 1) | 1);
    }
}

bool sim_config_finish(SimDevice *dev, JsonObject *hp, const char *jpath,
                       Error **errp)
{
    static const char *const keys[] = { "enabled", "exec", "priv", NULL };
    unsigned pasid = sim_config_find_ecap(dev->hw_config, PCI_EXT_ID_PASID);
    uint16_t pcap = pasid ? get16(dev->hw_config + pasid + 4) : 0;
    bool en, exec, priv;

    dev->pasid_width = pasid ? (pcap >> 8) & 0x1f : 0;
    if (hp) {
        if (!sim_json_check_keys(hp, jpath, keys, errp) ||
            !sim_json_bool(hp, "enabled", jpath, pasid != 0, &en, errp) ||
            !sim_json_bool(hp, "exec", jpath, en && (pcap & 2), &exec, errp) ||
            !sim_json_bool(hp, "priv", jpath, en && (pcap & 4), &priv, errp)) {
            return false;
        }
    } else {
        /* The host driver enables every feature the device supports. */
        en = pasid != 0;
        exec = pcap & 2;
        priv = pcap & 4;
    }
    if ((en || exec || priv) && !pasid) {
        error_setg(errp, "%s: the device has no PASID capability", jpath);
        return false;
    }
    if ((exec && !(pcap & 2)) || (priv && !(pcap & 4)) ||
        ((exec || priv) && !en)) {
        error_setg(errp, "%s: the host cannot enable a feature the device's "
                   "PASID capability lacks, or features without 'enabled'",
                   jpath);
        return false;
    }
    dev->pasid_ctrl = en | (exec << 1) | (priv << 2);
    if (pasid) {
        put16(dev->hw_config + pasid + 6, dev->pasid_ctrl);
    }
    memcpy(dev->config_init, dev->hw_config, SIM_CFG_SIZE);
    config_header_masks(dev);
    config_hide_ecap(dev, PCI_EXT_ID_PASID, 8);
    config_hide_ecap(dev, PCI_EXT_ID_PRI, 16);
    return true;
}

void sim_config_write(SimDevice *dev, unsigned off, const uint8_t *buf,
                      size_t len)
{
    size_t i;

    if (!dev->config) {
        dev->config = g_malloc(SIM_CFG_SIZE);
        memcpy(dev->config, dev->config_init, SIM_CFG_SIZE);
    }
    for (i = 0; i < len && off + i < SIM_CFG_SIZE; i++) {
        uint8_t *b = &dev->config[off + i];

        *b = (*b & ~dev->wmask[off + i]) | (buf[i] & dev->wmask[off + i]);
        *b &= ~(buf[i] & dev->w1cmask[off + i]);
    }
}

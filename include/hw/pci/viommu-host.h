/*
 * The host devices behind a vIOMMU: what intel-iommu and arm-smmuv3
 * share (DESIGN §4 rules 3 and 4).
 *
 * What a vIOMMU advertises is fixed by its properties; the ones given as
 * "auto" are resolved once, at machine-init-done, from every device
 * cold-plugged behind it, so the result never depends on -device order.
 * Every device, cold or hot, first or later, is checked against what the
 * vIOMMU advertises (fields still "auto" are checked once resolved), never
 * against another device's host; a refused device changes nothing, and a
 * device that leaves changes nothing either: the guest saw the registers.
 *
 * The vIOMMU embeds a VIOMMUHostDevices, attaches it to the root bus it
 * serves with viommu_host_attach() and keeps only its own checks,
 * resolution and messages in a VIOMMUHostOps.  QMP x-query-viommu and HMP
 * "info viommu" list every attached vIOMMU of the machine.
 */
#ifndef HW_PCI_VIOMMU_HOST_H
#define HW_PCI_VIOMMU_HOST_H

#include <json-glib/json-glib.h>

#include "hw/core/machine.h"
#include "hw/core/qdev.h"
#include "hw/pci/pci-iommu.h"

/* One accepted pass-through device. */
typedef struct VIOMMUHostDevice {
    PCIDevice *pdev;
    HostIOMMUDevice *hiod;      /* owned by the device, valid until unset */
    char *name;                 /* hiod->name, copied for queries */
    bool coldplugged;
} VIOMMUHostDevice;

typedef struct VIOMMUHostDevices VIOMMUHostDevices;

/* What differs between the vIOMMUs; all required but the optional ones. */
typedef struct VIOMMUHostOps {
    /* The QOM type, the prefix of the "already has" refusal. */
    const char *name;
    /* "intel-iommu pasid=auto": the no-PASID warning's subject. */
    const char *auto_setting;
    /* The subject of "... requires at least one cold-plugged VFIO device". */
    const char *auto_required;
    /* The end of the no-PASID warning ("PASID is not advertised"). */
    const char *not_advertised;
    /* The widest PASID the vIOMMU can advertise. */
    uint8_t max_width;
    /* The width property's name ("pasid", "ssidsize"). */
    const char *width_prop;

    /*
     * Can @hiod's host IOMMU back what the vIOMMU advertises for @pdev?
     * Field by field, skipping fields still "auto" (viommu_host_pending());
     * refuse with *errp naming @name, the field, the host value and the
     * advertised value.  Must not change anything.
     */
    bool (*check)(DeviceState *owner, PCIDevice *pdev, const char *name,
                  const HostIOMMUDevice *hiod, Error **errp);
    /* Whether the vIOMMU can deliver @pdev's PASIDs to the host at all. */
    bool (*delivers_pasid)(DeviceState *owner, PCIDevice *pdev);
    /*
     * machine-init-done, after the generic PASID width was resolved:
     * resolve the vendor's own "auto" properties from the cold-plugged
     * devices, recompute the registers, and re-check what depends on them.
     */
    bool (*resolve)(DeviceState *owner, Error **errp);
    /*
     * Optional: @pdev is going (unplug, or a realize unwinding) while its
     * host device is still bound; undo what the vIOMMU made for it.
     */
    void (*device_gone)(DeviceState *owner, PCIDevice *pdev);

    /* x-query-viommu: the members after "path", up to "devices". */
    void (*query)(DeviceState *owner, JsonBuilder *b);
    /* Optional: a device's members after "type", up to "max-pasid-log2". */
    void (*query_device)(const VIOMMUHostDevice *d, JsonBuilder *b);
    /* info viommu: the lines before the device lines. */
    void (*info)(DeviceState *owner, GString *out);
} VIOMMUHostOps;

struct VIOMMUHostDevices {
    DeviceState *owner;         /* the vIOMMU */
    const VIOMMUHostOps *ops;
    PCIBus *bus;                /* the root bus it serves, once attached */
    GPtrArray *devices;         /* VIOMMUHostDevice *, in plug order */
    GHashTable *by_pdev;        /* the same by PCIDevice * */
    /* Set at realize: some property is "auto". */
    bool has_auto;
    /* "auto" properties are resolved (machine-init-done); never reset. */
    bool resolved;
    /* The advertised PASID width; survives unrealize (the guest saw it). */
    bool width_auto;            /* given as "auto" */
    uint8_t width;              /* 0 = none */
    /* "auto" property name -> GPtrArray of device names it came from. */
    GHashTable *resolved_from;
    Notifier init_done;
};

/*
 * The PCIIOMMUOps of every vIOMMU kept here; viommu_host_attach()
 * installs it.
 */
extern const PCIIOMMUOps viommu_host_iommu_ops;

/* At instance init: no devices. */
void viommu_host_init(VIOMMUHostDevices *h, DeviceState *owner,
                      const VIOMMUHostOps *ops);
/* At instance finalize: frees everything viommu_host_init() set up. */
void viommu_host_finalize(VIOMMUHostDevices *h);

/*
 * At realize: serve @bus and everything below it, be listed by the
 * monitor commands, and resolve "auto" at machine-init-done.
 */
void viommu_host_attach(VIOMMUHostDevices *h, PCIBus *bus);
/* At unrealize: the reverse; forgets every device. */
void viommu_host_detach(VIOMMUHostDevices *h);

/*
 * Where the guest sees @d now ("0000:01:00.0"; the guest may renumber
 * buses at any time), or NULL; g_free() it.
 */
char *viommu_host_device_bdf(const VIOMMUHostDevice *d);

/* The attached device of @pdev, or NULL. */
VIOMMUHostDevice *viommu_host_find(VIOMMUHostDevices *h, PCIDevice *pdev);

/*
 * At realize: the width property, @width bits or "auto" (0 until
 * machine-init-done).  Any "auto" sets has_auto.
 */
void viommu_host_width_init(VIOMMUHostDevices *h, bool is_auto,
                            uint8_t width);

/* A property given as "auto" that machine-init-done has not resolved. */
bool viommu_host_pending(const VIOMMUHostDevices *h, bool is_auto);

/* The cold-plugged devices, for the vendor's resolve(). */
#define VIOMMU_HOST_FOREACH_COLD(h, d) \
    for (guint _i = 0; _i < (h)->devices->len; _i++) \
        for (VIOMMUHostDevice *d = g_ptr_array_index((h)->devices, _i); \
             d && d->coldplugged; d = NULL)

/* Record that "auto" property @prop was resolved from device @name. */
void viommu_host_note_source(VIOMMUHostDevices *h, const char *prop,
                             const char *name);

/* The x-query-viommu entry for @h (a new JSON object). */
JsonNode *viommu_host_query(VIOMMUHostDevices *h);

/*
 * The width members of the query callback: @member ("auto" or the
 * width), "pasid-width" and "pasid-finalized".
 */
void viommu_host_query_width(VIOMMUHostDevices *h, JsonBuilder *b,
                             const char *member);
/* info viommu: "auto|fixed, width W[ (not resolved)][ from D1, D2]". */
void viommu_host_info_width(VIOMMUHostDevices *h, GString *out);

/* JSON members for the query callbacks; a NULL string is null. */
void viommu_json_str(JsonBuilder *b, const char *member, const char *v);
void viommu_json_int(JsonBuilder *b, const char *member, int64_t v);
void viommu_json_bool(JsonBuilder *b, const char *member, bool v);
/* "0x" and lower-case hex digits. */
void viommu_json_hex(JsonBuilder *b, const char *member, uint64_t v);

/* Registers QMP x-query-viommu and HMP "info viommu" (system/init.c). */
void viommu_host_monitor_register(void);

#endif

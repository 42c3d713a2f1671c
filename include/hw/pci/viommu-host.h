/*
 * The host devices behind a vIOMMU: what intel-iommu and arm-smmuv3
 * share.
 *
 * Both keep the same books on the pass-through devices that hand them a
 * HostIOMMUDevice: the list of attached devices, how many were
 * cold-plugged, which device fixed the vIOMMU's view of the host IOMMU,
 * and the "auto" PASID width, fixed during cold plug by the first device
 * that reports one and resolved at machine-init-done otherwise.  The
 * vIOMMU embeds a VIOMMUHostDevices, serves its root bus with the three
 * viommu_host_*() PCIIOMMUOps members below and keeps only its own checks
 * and messages in a VIOMMUHostOps.  QMP x-query-viommu and HMP "info
 * viommu" list the vIOMMU that serves the machine's root bus this way.
 */
#ifndef HW_PCI_VIOMMU_HOST_H
#define HW_PCI_VIOMMU_HOST_H

#include <json-glib/json-glib.h>

#include "hw/core/qdev.h"
#include "hw/pci/pci-iommu.h"

/* One accepted pass-through device. */
typedef struct VIOMMUHostDevice {
    PCIDevice *pdev;
    HostIOMMUDevice *hiod;      /* owned by the device, valid until unset */
    char *name;                 /* hiod->name, copied for queries */
    char *bdf;                  /* where the guest sees it */
    bool coldplugged;
    bool fixed_view;            /* it was the first device */
    bool fixed_width;           /* it finalized an "auto" width */
} VIOMMUHostDevice;

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

    /* Accept @hiod for @pdev, or refuse with *errp set. */
    bool (*check)(DeviceState *owner, PCIDevice *pdev, const char *name,
                  const HostIOMMUDevice *hiod, Error **errp);
    /* Record the vendor fields of the view fixed by @hiod. */
    void (*fix_view)(DeviceState *owner, const HostIOMMUDevice *hiod);
    /* @width (device @name) capped by the attached devices' host IOMMUs. */
    uint8_t (*cap_width)(DeviceState *owner, const char *name,
                         uint8_t width);
    /* Optional: the "auto" width was finalized; refresh what shows it. */
    void (*width_changed)(DeviceState *owner);
    /*
     * Optional: @pdev is going (unplug, or a realize unwinding) while its
     * host device is still bound; undo what the vIOMMU made for it.
     */
    void (*device_gone)(DeviceState *owner, PCIDevice *pdev);

    /* x-query-viommu: the members after "path", up to "host-iommu". */
    void (*query)(DeviceState *owner, JsonBuilder *b);
    /* The view's members after "device". */
    void (*query_view)(DeviceState *owner, JsonBuilder *b);
    /* A device's members after "type", up to "max-pasid-log2". */
    void (*query_device)(const VIOMMUHostDevice *d, JsonBuilder *b);
    /* info viommu: the lines before the device lines. */
    void (*info)(DeviceState *owner, GString *out);
} VIOMMUHostOps;

typedef struct VIOMMUHostDevices {
    DeviceState *owner;         /* the vIOMMU */
    const VIOMMUHostOps *ops;
    GPtrArray *devices;         /* VIOMMUHostDevice * */
    unsigned coldplugged;       /* devices accepted before init-done */
    bool view_fixed;            /* a device fixed the host view */
    char *view_device;          /* that device's name */
    /* The advertised PASID width; survives unrealize (the guest saw it). */
    bool width_auto;            /* given as "auto" */
    bool width_final;           /* width can no longer change */
    uint8_t width;              /* 0 = none */
    char *width_from;           /* the device that fixed it (auto), or NULL */
} VIOMMUHostDevices;

/*
 * The PCIIOMMUOps of every vIOMMU kept here:
 * pci_setup_iommu(bus, &viommu_host_iommu_ops, h) with @h its
 * VIOMMUHostDevices.
 */
extern const PCIIOMMUOps viommu_host_iommu_ops;

/* At instance init: no devices, no view. */
void viommu_host_init(VIOMMUHostDevices *h, DeviceState *owner,
                      const VIOMMUHostOps *ops);
/* At instance finalize: frees everything viommu_host_init() set up. */
void viommu_host_finalize(VIOMMUHostDevices *h);

/* The attached device of @pdev, or NULL. */
VIOMMUHostDevice *viommu_host_find(VIOMMUHostDevices *h, PCIDevice *pdev);
/*
 * Forget every device and the view (unrealize); the caller clears its
 * own view fields.
 */
void viommu_host_devices_free(VIOMMUHostDevices *h);

/*
 * At realize: the width property, @width bits (final) or "auto" (not
 * final, 0 until a device fixes it).
 */
void viommu_host_width_init(VIOMMUHostDevices *h, bool is_auto,
                            uint8_t width);

/*
 * machine-init-done: with the width still "auto", refuse if no device
 * was cold-plugged, else warn and finalize to 0.
 */
bool viommu_host_init_done(VIOMMUHostDevices *h, Error **errp);

/* The x-query-viommu entry for @h (a new JSON object). */
JsonNode *viommu_host_query(VIOMMUHostDevices *h);

/*
 * The width members of the query callback: @member ("auto" or the
 * width), "pasid-width", "pasid-finalized" and "finalized-by".
 */
void viommu_host_query_width(VIOMMUHostDevices *h, JsonBuilder *b,
                             const char *member);
/* info viommu: "auto|fixed, width W[ (not finalized)][ from DEV]". */
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

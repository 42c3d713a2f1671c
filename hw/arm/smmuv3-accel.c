/*
 * arm-smmuv3 accel=on and the host SMMUv3 behind assigned devices.
 *
 * A pass-through device hands over its HostIOMMUDevice (the cached
 * IOMMU_GET_HW_INFO answer) before it builds its capabilities.  Each
 * device's host SMMUv3 is checked, in QEMU's order and with QEMU's
 * messages, against what this vSMMU advertises (stream table format,
 * endianness, table format, StreamID and SubstreamID widths, range
 * invalidation, OAS, ATS); and the IDR fields the kernel's uAPI header
 * marks as the ones to compare must equal those of the first accepted
 * device, which fixed the vIOMMU's view of the host.  With
 * ssidsize=auto, the first cold-plugged device that reports a PASID
 * width fixes IDR1.SSIDSIZE.  A refused device changes nothing.  The
 * bookkeeping shared with intel-iommu is hw/pci/viommu-host.c.
 */
#include "smmuv3-internal.h"

#include <string.h>

/* A host IDR field that every device must share with the first. */
typedef struct SMMUHostField {
    const char *name;
    int idr;
    unsigned shift;
    unsigned len;
} SMMUHostField;

static const SMMUHostField smmu_view_fields[] = {
    { "IDR0.TERM_MODEL", 0, SMMU_IDR0_TERM_MODEL },
    { "IDR0.STALL_MODEL", 0, SMMU_IDR0_STALL_MODEL },
    { "IDR0.TTENDIAN", 0, SMMU_IDR0_TTENDIAN },
    { "IDR0.CD2L", 0, SMMU_IDR0_CD2L },
    { "IDR0.ASID16", 0, SMMU_IDR0_ASID16 },
    { "IDR0.TTF", 0, SMMU_IDR0_TTF },
    { "IDR3.BBML", 3, SMMU_IDR3_BBML },
    { "IDR5.VAX", 5, SMMU_IDR5_VAX },
    { "IDR5.GRAN64K", 5, SMMU_IDR5_GRAN64K },
    { "IDR5.GRAN16K", 5, SMMU_IDR5_GRAN16K },
    { "IDR5.GRAN4K", 5, SMMU_IDR5_GRAN4K },
};

static uint32_t smmu_host_field(const uint32_t *idr, const SMMUHostField *f)
{
    return smmu_field_get(idr[f->idr], f->shift, f->len);
}

static int smmu_oas_bits(uint32_t oas)
{
    static const int bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

    return bits[oas & 7];
}

/* Whether this vSMMU can take a host device at all. */
static bool smmu_host_check_device(SMMUv3State *s, PCIDevice *pdev,
                                   const char *name, uint32_t type,
                                   Error **errp)
{
    if (!s->accel) {
        error_setg(errp, "%s: device %02x.%02x.%x requires iommu MAP "
                   "notifier which is not currently supported (arm-smmuv3 "
                   "needs accel=on for vfio-pci)", name,
                   pdev && pdev->bus ? pci_bus_num(pdev->bus) : 0,
                   pdev ? PCI_SLOT(pdev->devfn) : 0,
                   pdev ? PCI_FUNC(pdev->devfn) : 0);
        return false;
    }
    if (type != IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        error_setg(errp, "%s: Wrong data type (%u) for Host SMMUv3 device "
                   "info: host IOMMU is %s, arm-smmuv3 accel=on needs "
                   "arm-smmuv3 (%u)", name, type, host_iommu_type_name(type),
                   IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
        return false;
    }
    return true;
}

/* QEMU's compatibility checks: host against what the vSMMU advertises. */
static bool smmu_host_check_idr0(SMMUv3State *s, const char *name,
                                 const uint32_t *h, Error **errp)
{
    const uint32_t *v = s->idr;

    if (SMMU_FIELD_GET(h[0], SMMU_IDR0_STLEVEL) !=
        SMMU_FIELD_GET(v[0], SMMU_IDR0_STLEVEL)) {
        error_setg(errp, "%s: Host SMMUv3 Stream Table format mismatch "
                   "(host STLEVEL=%u, QEMU STLEVEL=%u)", name,
                   SMMU_FIELD_GET(h[0], SMMU_IDR0_STLEVEL),
                   SMMU_FIELD_GET(v[0], SMMU_IDR0_STLEVEL));
        return false;
    }
    if (SMMU_FIELD_GET(h[0], SMMU_IDR0_TTENDIAN) >
        SMMU_FIELD_GET(v[0], SMMU_IDR0_TTENDIAN)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support Little-endian "
                   "translation table", name);
        return false;
    }
    if (SMMU_FIELD_GET(h[0], SMMU_IDR0_TTF) <
        SMMU_FIELD_GET(v[0], SMMU_IDR0_TTF)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support AArch64 "
                   "translation table format", name);
        return false;
    }
    return true;
}

static bool smmu_host_check_widths(SMMUv3State *s, const char *name,
                                   const uint32_t *h, Error **errp)
{
    const uint32_t *v = s->idr;

    if (SMMU_FIELD_GET(h[1], SMMU_IDR1_SIDSIZE) <
        SMMU_FIELD_GET(v[1], SMMU_IDR1_SIDSIZE)) {
        error_setg(errp, "%s: Host SMMUv3 SIDSIZE not compatible "
                   "(host=%u, QEMU=%u)", name,
                   SMMU_FIELD_GET(h[1], SMMU_IDR1_SIDSIZE),
                   SMMU_FIELD_GET(v[1], SMMU_IDR1_SIDSIZE));
        return false;
    }
    if (SMMU_FIELD_GET(h[1], SMMU_IDR1_SSIDSIZE) < s->host.width) {
        error_setg(errp, "%s: Host SMMUv3 SSIDSIZE not compatible "
                   "(host=%u, QEMU=%u)", name,
                   SMMU_FIELD_GET(h[1], SMMU_IDR1_SSIDSIZE), s->host.width);
        return false;
    }
    if (SMMU_FIELD_GET(h[3], SMMU_IDR3_RIL) <
        SMMU_FIELD_GET(v[3], SMMU_IDR3_RIL)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support Range "
                   "Invalidation", name);
        return false;
    }
    if (SMMU_FIELD_GET(h[5], SMMU_IDR5_OAS) <
        SMMU_FIELD_GET(v[5], SMMU_IDR5_OAS)) {
        error_setg(errp, "%s: Host SMMUv3 supports only %d-bit IPA, but the "
                   "vSMMU OAS implies %d-bit IPA", name,
                   smmu_oas_bits(SMMU_FIELD_GET(h[5], SMMU_IDR5_OAS)),
                   smmu_oas_bits(SMMU_FIELD_GET(v[5], SMMU_IDR5_OAS)));
        return false;
    }
    if (SMMU_FIELD_GET(h[0], SMMU_IDR0_ATS) <
        SMMU_FIELD_GET(v[0], SMMU_IDR0_ATS)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support Address "
                   "Translation Services", name);
        return false;
    }
    return true;
}

/* The fields the first device fixed must be the same on every host. */
static bool smmu_host_check_view(SMMUv3State *s, const char *name,
                                 const uint32_t *h, Error **errp)
{
    if (!s->host.view_fixed) {
        return true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(smmu_view_fields); i++) {
        const SMMUHostField *f = &smmu_view_fields[i];
        uint32_t host = smmu_host_field(h, f);
        uint32_t fixed = smmu_host_field(s->view.idr, f);

        if (host != fixed) {
            error_setg(errp, "%s: Host SMMUv3 %s differs from the host "
                       "SMMUv3 of %s (host=%u, vIOMMU=%u)", name, f->name,
                       s->host.view_device, host, fixed);
            return false;
        }
    }
    return true;
}

static bool smmu_host_check(DeviceState *owner, PCIDevice *pdev,
                            const char *name, const HostIOMMUDevice *hiod,
                            Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(owner);
    const uint32_t *idr = hiod->caps.vendor.smmuv3.idr;

    return smmu_host_check_device(s, pdev, name, hiod->caps.type, errp) &&
           smmu_host_check_idr0(s, name, idr, errp) &&
           smmu_host_check_widths(s, name, idr, errp) &&
           smmu_host_check_view(s, name, idr, errp);
}

static void smmu_host_fix_view(DeviceState *owner,
                               const HostIOMMUDevice *hiod)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    memcpy(s->view.idr, hiod->caps.vendor.smmuv3.idr, sizeof(s->view.idr));
}

/*
 * ssidsize=auto: cap @width at the smallest host SSIDSIZE among accepted
 * devices, with a warning at each device that lowers it.
 */
static uint8_t smmu_host_cap_width(DeviceState *owner, const char *name,
                                   uint8_t width)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);
        uint8_t other = host_iommu_device_iommu_pasid_width(d->hiod);

        if (other < width) {
            warn_report("arm-smmuv3 ssidsize=auto: %s reports %u PASID "
                        "bits, capped at %u by the host SMMUv3 of %s", name,
                        width, other, d->name);
            width = other;
        }
    }
    return width;
}

/* ssidsize=auto was finalized: IDR1.SSIDSIZE follows the new width. */
static void smmu_host_width_changed(DeviceState *owner)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    smmuv3_idr_init(s);
    smmuv3_regs_update_idr(s);
}

const VIOMMUHostOps smmuv3_host_ops = {
    .name = TYPE_ARM_SMMUV3,
    .auto_setting = "arm-smmuv3 ssidsize=auto",
    .auto_required = "arm-smmuv3 accel=on with 'auto' properties",
    .not_advertised = "SubstreamIDs are not advertised",
    .max_width = SMMU_SSID_MAX_BITS,
    .check = smmu_host_check,
    .fix_view = smmu_host_fix_view,
    .cap_width = smmu_host_cap_width,
    .width_changed = smmu_host_width_changed,
    .query = smmuv3_query_fields,
    .query_view = smmuv3_query_view,
    .query_device = smmuv3_query_device,
    .info = smmuv3_hmp_info,
};


void smmuv3_host_devices_free(SMMUv3State *s)
{
    viommu_host_devices_free(&s->host);
    memset(&s->view, 0, sizeof(s->view));
}

/*
 * arm-smmuv3 accel=on and the host SMMUv3 behind assigned devices.
 *
 * A pass-through device hands over its HostIOMMUDevice (the cached
 * IOMMU_GET_HW_INFO answer) before it builds its capabilities.  Its host
 * SMMUv3 is checked against what this vSMMU advertises, reading only the
 * IDR fields the kernel's uAPI header blesses for comparison (DESIGN §7),
 * in QEMU's order and with QEMU's messages: = for formats, >= for sizes,
 * and every advertised feature (granules, RIL, CD2L, 16-bit ASIDs) must
 * exist on the host.  ATS is not compared: it is a property of each
 * device.  ssidsize, ril, ats and oas given as "auto" are resolved at
 * machine-init-done from every cold-plugged device (smmu_host_resolve);
 * the bookkeeping shared with intel-iommu is hw/pci/viommu-host.c.
 */
#include "smmuv3-internal.h"

#include <string.h>

/* A feature the vSMMU advertises must be the host's too. */
typedef struct SMMUFeature {
    int idr;
    unsigned shift;
    unsigned len;
    const char *what;           /* "Host SMMUv3 doesn't support <what>" */
} SMMUFeature;

static const SMMUFeature smmu_features[] = {
    { 5, SMMU_IDR5_GRAN4K, "4K translation granule" },
    { 5, SMMU_IDR5_GRAN16K, "16K translation granule" },
    { 5, SMMU_IDR5_GRAN64K, "64K translation granule" },
    { 0, SMMU_IDR0_ASID16, "16-bit ASID" },
};

#define IDR_GET(idr, n, f) smmu_field_get((idr)[n], f)

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

/* Formats: what the guest builds, the host walks as it is. */
static bool smmu_host_check_formats(SMMUv3State *s, const char *name,
                                    const uint32_t *h, Error **errp)
{
    const uint32_t *v = s->idr;

    if (IDR_GET(h, 0, SMMU_IDR0_STLEVEL) != IDR_GET(v, 0, SMMU_IDR0_STLEVEL)) {
        error_setg(errp, "%s: Host SMMUv3 Stream Table format mismatch "
                   "(host STLEVEL=%u, QEMU STLEVEL=%u)", name,
                   IDR_GET(h, 0, SMMU_IDR0_STLEVEL),
                   IDR_GET(v, 0, SMMU_IDR0_STLEVEL));
        return false;
    }
    if (IDR_GET(h, 0, SMMU_IDR0_TTENDIAN) >
        IDR_GET(v, 0, SMMU_IDR0_TTENDIAN)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support Little-endian "
                   "translation table (host TTENDIAN=%u, QEMU TTENDIAN=%u)",
                   name, IDR_GET(h, 0, SMMU_IDR0_TTENDIAN),
                   IDR_GET(v, 0, SMMU_IDR0_TTENDIAN));
        return false;
    }
    if (IDR_GET(h, 0, SMMU_IDR0_TTF) < IDR_GET(v, 0, SMMU_IDR0_TTF)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support AArch64 "
                   "translation table format (host TTF=%u, QEMU TTF=%u)",
                   name, IDR_GET(h, 0, SMMU_IDR0_TTF),
                   IDR_GET(v, 0, SMMU_IDR0_TTF));
        return false;
    }
    return true;
}

/* Sizes: the host's must hold what the guest was told. */
static bool smmu_host_check_sizes(SMMUv3State *s, const char *name,
                                  const HostIOMMUDevice *hiod, Error **errp)
{
    const uint32_t *h = hiod->caps.vendor.smmuv3.idr, *v = s->idr;
    VIOMMUHostDevices *vh = &s->host;

    if (IDR_GET(h, 1, SMMU_IDR1_SIDSIZE) < IDR_GET(v, 1, SMMU_IDR1_SIDSIZE)) {
        error_setg(errp, "%s: Host SMMUv3 SIDSIZE not compatible "
                   "(host=%u, QEMU=%u)", name,
                   IDR_GET(h, 1, SMMU_IDR1_SIDSIZE),
                   IDR_GET(v, 1, SMMU_IDR1_SIDSIZE));
        return false;
    }
    /* Only a device with PASID is ever given SubstreamIDs. */
    if (hiod->caps.max_pasid_log2 &&
        !viommu_host_pending(vh, vh->width_auto) &&
        IDR_GET(h, 1, SMMU_IDR1_SSIDSIZE) < vh->width) {
        error_setg(errp, "%s: Host SMMUv3 SSIDSIZE not compatible "
                   "(host=%u, QEMU=%u)", name,
                   IDR_GET(h, 1, SMMU_IDR1_SSIDSIZE), vh->width);
        return false;
    }
    if (!viommu_host_pending(vh, s->oas == SMMU_PROP_AUTO) &&
        IDR_GET(h, 5, SMMU_IDR5_OAS) < IDR_GET(v, 5, SMMU_IDR5_OAS)) {
        error_setg(errp, "%s: Host SMMUv3 supports only %u-bit IPA, but the "
                   "vSMMU OAS implies %u-bit IPA", name,
                   smmu_oas_bits(IDR_GET(h, 5, SMMU_IDR5_OAS)),
                   smmu_oas_bits(IDR_GET(v, 5, SMMU_IDR5_OAS)));
        return false;
    }
    return true;
}

/* Features: each one the vSMMU advertises must be the host's. */
static bool smmu_host_check_features(SMMUv3State *s, const char *name,
                                     const HostIOMMUDevice *hiod,
                                     Error **errp)
{
    const uint32_t *h = hiod->caps.vendor.smmuv3.idr, *v = s->idr;

    if (!viommu_host_pending(&s->host, s->ril == ON_OFF_AUTO_AUTO) &&
        IDR_GET(h, 3, SMMU_IDR3_RIL) < IDR_GET(v, 3, SMMU_IDR3_RIL)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support Range Invalidation "
                   "(host IDR3.RIL=0, vSMMU IDR3.RIL=1)", name);
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(smmu_features); i++) {
        const SMMUFeature *f = &smmu_features[i];

        if (smmu_field_get(v[f->idr], f->shift, f->len) &&
            !smmu_field_get(h[f->idr], f->shift, f->len)) {
            error_setg(errp, "%s: Host SMMUv3 doesn't support %s", name,
                       f->what);
            return false;
        }
    }
    /* 2-level CD tables serve SubstreamIDs: only devices with PASID. */
    if (hiod->caps.max_pasid_log2 && IDR_GET(v, 0, SMMU_IDR0_CD2L) &&
        !IDR_GET(h, 0, SMMU_IDR0_CD2L)) {
        error_setg(errp, "%s: Host SMMUv3 doesn't support 2-level CD tables "
                   "(host IDR0.CD2L=0, vSMMU IDR0.CD2L=1 for SSIDSIZE %u)",
                   name, s->host.width);
        return false;
    }
    return true;
}

static bool smmu_host_check(DeviceState *owner, PCIDevice *pdev,
                            const char *name, const HostIOMMUDevice *hiod,
                            Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    return smmu_host_check_device(s, pdev, name, hiod->caps.type, errp) &&
           smmu_host_check_formats(s, name, hiod->caps.vendor.smmuv3.idr,
                                   errp) &&
           smmu_host_check_sizes(s, name, hiod, errp) &&
           smmu_host_check_features(s, name, hiod, errp);
}

static bool smmu_host_delivers_pasid(DeviceState *owner, PCIDevice *pdev)
{
    /* With accel=on the host walks the guest's CD tables. */
    return ARM_SMMUV3(owner)->accel;
}

/*
 * ril/oas/ats=auto from every cold-plugged device, the most conservative
 * value (a feature all have, the smallest size); CD2L with a width above
 * 10 bits when every PASID device's host SMMU has it.
 */
static bool smmu_host_resolve(DeviceState *owner, Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(owner);
    VIOMMUHostDevices *h = &s->host;
    bool auto_ril = s->ril == ON_OFF_AUTO_AUTO;
    bool auto_ats = s->ats == ON_OFF_AUTO_AUTO;
    bool auto_oas = s->oas == SMMU_PROP_AUTO;
    bool ril = true, ats = true, cd2l = h->width > SMMU_CD_LINEAR_MAX_BITS;
    unsigned oas = SMMU_OAS_48BIT;

    VIOMMU_HOST_FOREACH_COLD(h, d) {
        const uint32_t *idr = d->hiod->caps.vendor.smmuv3.idr;

        ril &= IDR_GET(idr, 3, SMMU_IDR3_RIL);
        oas = MIN(oas, smmu_oas_bits(IDR_GET(idr, 5, SMMU_IDR5_OAS)));
        ats &= pcie_find_capability(d->pdev, PCI_EXT_CAP_ID_ATS) != 0;
        if (d->hiod->caps.max_pasid_log2) {
            cd2l &= IDR_GET(idr, 0, SMMU_IDR0_CD2L);
        }
        if (auto_ril) {
            viommu_host_note_source(h, "ril", d->name);
        }
        if (auto_ats) {
            viommu_host_note_source(h, "ats", d->name);
        }
        if (auto_oas) {
            viommu_host_note_source(h, "oas", d->name);
        }
    }
    s->adv.ril = auto_ril ? ril : s->adv.ril;
    s->adv.ats = auto_ats ? ats : s->adv.ats;
    s->adv.oas = auto_oas ? oas : s->adv.oas;
    /* An explicit width keeps CD2L and holds every PASID host to it. */
    s->adv.cd2l = h->width_auto ? cd2l : s->adv.cd2l;
    smmuv3_idr_init(s);
    smmuv3_regs_update_idr(s);
    return true;
}

const VIOMMUHostOps smmuv3_host_ops = {
    .name = TYPE_ARM_SMMUV3,
    .auto_setting = "arm-smmuv3 ssidsize=auto",
    .auto_required = "arm-smmuv3 accel=on with 'auto' properties",
    .not_advertised = "SubstreamIDs are not advertised",
    .max_width = SMMU_SSID_MAX_BITS,
    .width_prop = "ssidsize",
    .check = smmu_host_check,
    .delivers_pasid = smmu_host_delivers_pasid,
    .resolve = smmu_host_resolve,
    .device_gone = smmuv3_host_device_gone,
    .query = smmuv3_query_fields,
    .query_device = smmuv3_query_device,
    .info = smmuv3_hmp_info,
};

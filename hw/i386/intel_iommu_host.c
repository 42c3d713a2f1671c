/*
 * intel-iommu and the host IOMMU behind assigned devices.
 *
 * A pass-through device hands over its HostIOMMUDevice (the cached
 * IOMMU_GET_HW_INFO answer) before it builds its capabilities.  Each one
 * is checked, field by field, against what this intel-iommu advertises
 * (DESIGN §4 rule 4): the host IOMMU type and the first-stage features
 * only with x-flts=on, where the guest's own tables reach the host; the
 * address width always; the PASID width only for devices that report
 * PASID and get it from us.  The bookkeeping and the pasid=auto
 * resolution are hw/pci/viommu-host.c's.
 */
#include "intel_iommu_internal.h"
#include "hw/pci/pci_bridge.h"
#include "system/host_iommu_device.h"

#include "intel_iommu_nested.h"
#include "hw/pci/pci_bridge.h"

/* x-flts=on: the guest's first-stage tables are nested on the host's. */
static bool vtd_host_check_flts(IntelIOMMUState *s, PCIDevice *pdev,
                                const char *name,
                                const HostIOMMUDeviceCaps *caps, Error **errp)
{
    uint64_t cap = caps->vendor.vtd.cap_reg, ecap = caps->vendor.vtd.ecap_reg;

    if (caps->type != IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        error_setg(errp, "%s: Incompatible host platform IOMMU type %u",
                   name, caps->type);
        return false;
    }
    if (!(ecap & VTD_ECAP_NEST)) {
        error_setg(errp, "%s: Host IOMMU doesn't support nested translation "
                   "(host ECAP.NEST=0, x-flts=on needs 1)", name);
        return false;
    }
    if (!(ecap & VTD_ECAP_FLTS)) {
        error_setg(errp, "%s: Host IOMMU doesn't support first stage "
                   "translation (host ECAP.FLTS=0, x-flts=on needs 1)", name);
        return false;
    }
    if (s->fs1gp && !(cap & VTD_CAP_FS1GP)) {
        error_setg(errp, "%s: First stage 1GB large page is unsupported by "
                   "host IOMMU (host CAP.FS1GP=0, intel-iommu fs1gp=on)",
                   name);
        return false;
    }
    if (pdev && pci_device_behind_pci_bridge(pdev)) {
        error_setg(errp, "%s: Host device downstream to a PCI bridge is "
                   "unsupported when x-flts=on", name);
        return false;
    }
    return true;
}

static bool vtd_host_delivers_pasid(DeviceState *owner, PCIDevice *pdev)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);

    /* First-stage nesting is the only way guest PASID tables reach a host. */
    return s->scalable_mode && s->flts;
}

/* Host PASID width against ours, for a device that gets a PASID cap. */
static bool vtd_host_check_pasid(IntelIOMMUState *s, PCIDevice *pdev,
                                 const char *name,
                                 const HostIOMMUDevice *hiod, Error **errp)
{
    uint8_t host = host_iommu_device_iommu_pasid_width(hiod);

    if (!hiod->caps.max_pasid_log2 ||
        !vtd_host_delivers_pasid(DEVICE(s), pdev) ||
        viommu_host_pending(&s->host, s->host.width_auto) ||
        host >= s->host.width) {
        return true;
    }
    error_setg(errp, "%s: PASID bits size %u > host IOMMU PASID bits size "
               "%u (intel-iommu ECAP.PSS=%u, host ECAP.PSS=%u)", name,
               s->host.width, host, s->host.width - 1, host ? host - 1 : 0);
    return false;
}

static bool vtd_host_check(DeviceState *owner, PCIDevice *pdev,
                           const char *name, const HostIOMMUDevice *hiod,
                           Error **errp)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);
    const HostIOMMUDeviceCaps *caps = &hiod->caps;
    uint8_t aw;

    if (!s->caching_mode) {
        error_setg(errp, "%s: Device assignment is not allowed without "
                   "enabling caching-mode=on for Intel IOMMU.", name);
        return false;
    }
    if (s->flts && !vtd_host_check_flts(s, pdev, name, caps, errp)) {
        return false;
    }
    /* The host's IOVA width, whatever its IOMMU type (0: not known). */
    if (!host_iommu_device_get_aw_bits(hiod, &aw, errp)) {
        error_prepend(errp, "%s: ", name);
        return false;
    }
    if (aw && s->aw_bits > aw) {
        error_setg(errp, "%s: aw-bits %d > host aw-bits %d", name,
                   s->aw_bits, aw);
        return false;
    }
    return vtd_host_check_pasid(s, pdev, name, hiod, errp);
}

/* pasid=auto was resolved: ECAP.PASID/PSS follow, svm needs a width. */
static bool vtd_host_resolve(DeviceState *owner, Error **errp)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);

    if (s->svm && !s->host.width) {
        error_setg(errp, "Need to set PASID support for svm");
        return false;
    }
    vtd_cap_init(s);
    vtd_regs_update_caps(s);
    return true;
}

const VIOMMUHostOps vtd_host_ops = {
    .name = TYPE_INTEL_IOMMU_DEVICE,
    .auto_setting = "intel-iommu pasid=auto",
    .auto_required = "intel-iommu pasid=auto",
    .not_advertised = "PASID is not advertised",
    .max_width = VTD_PASID_MAX_WIDTH,
    .width_prop = "pasid",
    .check = vtd_host_check,
    .delivers_pasid = vtd_host_delivers_pasid,
    .resolve = vtd_host_resolve,
    .device_gone = vtd_host_device_gone,
    .query = vtd_query_fields,
    .query_device = vtd_query_device,
    .info = vtd_hmp_info,
};

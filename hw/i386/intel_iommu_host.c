/*
 * intel-iommu and the host IOMMU behind assigned devices.
 *
 * A pass-through device hands over its HostIOMMUDevice (the cached
 * IOMMU_GET_HW_INFO answer) before it builds its capabilities.  The
 * bookkeeping (the first accepted device fixes the vIOMMU's view of the
 * host IOMMU and, with pasid=auto, the PASID width) is hw/pci/viommu-host.c;
 * here are the VT-d checks of each device against what the vIOMMU
 * advertises, the VT-d view and the VT-d messages.
 */
#include "intel_iommu_internal.h"
#include "hw/pci/pci_bridge.h"
#include "system/host_iommu_device.h"

#include <string.h>

/* What one device's host IOMMU offers, from the cached answer. */
typedef struct VTDHostInfo {
    uint32_t type;
    uint64_t cap_reg;
    uint64_t ecap_reg;
    uint8_t mgaw;
    uint8_t iommu_pasid_width;  /* the IOMMU unit's own width */
} VTDHostInfo;

/* The VT-d fields this vIOMMU compares; zero for another IOMMU type. */
static void vtd_host_info(const HostIOMMUDevice *hiod, VTDHostInfo *info)
{
    const struct iommu_hw_info_vtd *vtd = &hiod->caps.vendor.vtd;

    memset(info, 0, sizeof(*info));
    info->type = hiod->caps.type;
    if (info->type != IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        return;
    }
    info->cap_reg = vtd->cap_reg;
    info->ecap_reg = vtd->ecap_reg;
    info->mgaw = VTD_CAP_GET_MGAW(vtd->cap_reg);
    info->iommu_pasid_width = host_iommu_device_iommu_pasid_width(hiod);
}

/* x-flts=on: the guest's first-stage tables are nested on the host's. */
static bool vtd_host_check_flts(IntelIOMMUState *s, const char *name,
                                const VTDHostInfo *info, Error **errp)
{
    if (!s->flts) {
        return true;
    }
    if (!(info->ecap_reg & VTD_ECAP_NEST)) {
        error_setg(errp, "%s: Host IOMMU doesn't support nested translation "
                   "(host ECAP.NEST=0, x-flts=on needs 1)", name);
        return false;
    }
    if (s->fs1gp && !(info->cap_reg & VTD_CAP_FS1GP)) {
        error_setg(errp, "%s: Stage-1 1GB huge page is unsupported by host "
                   "IOMMU (host CAP.FS1GP=0, intel-iommu fs1gp=on)", name);
        return false;
    }
    return true;
}

/*
 * pasid=auto: the smallest host IOMMU PASID width among @width and the
 * accepted devices, since a guest may use any advertised PASID on any of
 * them; the first device that has it is named in a warning.
 */
static uint8_t vtd_host_cap_width(DeviceState *owner, const char *name,
                                  uint8_t width)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);
    const char *capped_by = NULL;
    uint8_t min = width;

    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);
        VTDHostInfo other;

        vtd_host_info(d->hiod, &other);
        if (other.iommu_pasid_width < min) {
            min = other.iommu_pasid_width;
            capped_by = d->name;
        }
    }
    if (min < width) {
        warn_report("intel-iommu: pasid=auto: %s reports %u PASID bits, "
                    "capped at %u by the host IOMMU of %s", name, width, min,
                    capped_by);
    }
    return min;
}

static bool vtd_host_check(DeviceState *owner, PCIDevice *pdev,
                           const char *name, const HostIOMMUDevice *hiod,
                           Error **errp)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);
    VTDHostInfo info;

    vtd_host_info(hiod, &info);
    if (!s->caching_mode) {
        error_setg(errp, "%s: Device assignment is not allowed without "
                   "enabling caching-mode=on for Intel IOMMU.", name);
        return false;
    }
    if (info.type != IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        error_setg(errp, "%s: Incompatible host platform IOMMU type %u (%s), "
                   "intel-iommu needs type %u (intel-vtd)", name, info.type,
                   host_iommu_type_name(info.type),
                   IOMMU_HW_INFO_TYPE_INTEL_VTD);
        return false;
    }
    if (s->aw_bits > info.mgaw) {
        error_setg(errp, "%s: aw-bits %d > host aw-bits %d", name,
                   s->aw_bits, info.mgaw);
        return false;
    }
    if (!vtd_host_check_flts(s, name, &info, errp)) {
        return false;
    }
    /* Nested, its DMA would carry the bridge's requester ID (QEMU's rule). */
    if (s->flts && pci_device_behind_pci_bridge(pdev)) {
        error_setg(errp, "%s: Host device downstream to a PCI bridge is "
                   "unsupported when x-flts=on", name);
        return false;
    }
    if (info.iommu_pasid_width < s->host.width) {
        error_setg(errp, "%s: host IOMMU PASID width %u < intel-iommu PASID "
                   "width %u (ECAP.PSS %u)", name, info.iommu_pasid_width,
                   s->host.width, s->host.width - 1);
        return false;
    }
    return true;
}

static void vtd_host_fix_view(DeviceState *owner,
                              const HostIOMMUDevice *hiod)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);
    VTDHostInfo info;

    vtd_host_info(hiod, &info);
    s->view.type = info.type;
    s->view.cap_reg = info.cap_reg;
    s->view.ecap_reg = info.ecap_reg;
    s->view.mgaw = info.mgaw;
    s->view.pasid_width = info.iommu_pasid_width;
}

/* pasid=auto was finalized: ECAP.PASID/PSS follow the new width. */
static void vtd_host_width_changed(DeviceState *owner)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);

    vtd_cap_init(s);
    vtd_regs_update_caps(s);
}

const VIOMMUHostOps vtd_host_ops = {
    .name = TYPE_INTEL_IOMMU_DEVICE,
    .auto_setting = "intel-iommu pasid=auto",
    .auto_required = "intel-iommu pasid=auto",
    .not_advertised = "PASID is not advertised",
    .max_width = VTD_PASID_MAX_WIDTH,
    .check = vtd_host_check,
    .fix_view = vtd_host_fix_view,
    .cap_width = vtd_host_cap_width,
    .width_changed = vtd_host_width_changed,
    .query = vtd_query_fields,
    .query_view = vtd_query_view,
    .query_device = vtd_query_device,
    .info = vtd_hmp_info,
};

/* The opaque of pci_setup_iommu() is the IntelIOMMUState's host member. */

void vtd_host_devices_free(IntelIOMMUState *s)
{
    viommu_host_devices_free(&s->host);
    memset(&s->view, 0, sizeof(s->view));
}

bool vtd_host_init_done(IntelIOMMUState *s, Error **errp)
{
    return viommu_host_init_done(&s->host, errp);
}

/*
 * intel-iommu and the host IOMMU behind assigned devices.
 *
 * A pass-through device hands over its HostIOMMUDevice (the cached
 * IOMMU_GET_HW_INFO answer) before it builds its capabilities.  The first
 * accepted device fixes the vIOMMU's view of the host IOMMU and, with
 * pasid=auto, the PASID width; each device is checked against what the
 * vIOMMU advertises, and a refused device changes nothing.
 */
#include "intel_iommu_internal.h"
#include "system/host_iommu_device.h"

#include <string.h>

/* What one device's host IOMMU offers, from the cached answer. */
typedef struct VTDHostInfo {
    uint32_t type;
    uint64_t cap_reg;
    uint64_t ecap_reg;
    uint8_t mgaw;
    uint8_t iommu_pasid_width;  /* the IOMMU unit's own width */
    uint8_t dev_pasid_width;    /* out_max_pasid_log2, capped */
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
    info->dev_pasid_width = MIN(MIN(hiod->caps.max_pasid_log2,
                                    info->iommu_pasid_width),
                                VTD_PASID_MAX_WIDTH);
}

static VTDHostDevice *vtd_host_find(IntelIOMMUState *s, PCIDevice *pdev)
{
    for (guint i = 0; i < s->devices->len; i++) {
        VTDHostDevice *d = g_ptr_array_index(s->devices, i);

        if (d->pdev == pdev) {
            return d;
        }
    }
    return NULL;
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
 * The smallest host IOMMU PASID width among the accepted devices and
 * @info: a guest may use any advertised PASID on any of them.
 */
static uint8_t vtd_host_min_iommu_width(IntelIOMMUState *s,
                                        const VTDHostInfo *info,
                                        const char **who)
{
    uint8_t min = info->iommu_pasid_width;

    for (guint i = 0; i < s->devices->len; i++) {
        VTDHostDevice *d = g_ptr_array_index(s->devices, i);
        VTDHostInfo other;

        vtd_host_info(d->hiod, &other);
        if (other.iommu_pasid_width < min) {
            min = other.iommu_pasid_width;
            *who = d->name;
        }
    }
    return min;
}

static bool vtd_host_check(IntelIOMMUState *s, PCIDevice *pdev,
                           const char *name, const VTDHostInfo *info,
                           Error **errp)
{
    if (vtd_host_find(s, pdev)) {
        error_setg(errp, "%s: intel-iommu already has a host IOMMU device "
                   "for it", name);
        return false;
    }
    if (!s->caching_mode) {
        error_setg(errp, "%s: Device assignment is not allowed without "
                   "enabling caching-mode=on for Intel IOMMU.", name);
        return false;
    }
    if (info->type != IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        error_setg(errp, "%s: Incompatible host platform IOMMU type %u (%s), "
                   "intel-iommu needs type %u (intel-vtd)", name, info->type,
                   host_iommu_type_name(info->type),
                   IOMMU_HW_INFO_TYPE_INTEL_VTD);
        return false;
    }
    if (s->aw_bits > info->mgaw) {
        error_setg(errp, "%s: aw-bits %d > host aw-bits %d", name,
                   s->aw_bits, info->mgaw);
        return false;
    }
    if (!vtd_host_check_flts(s, name, info, errp)) {
        return false;
    }
    if (info->iommu_pasid_width < s->pasid_width) {
        error_setg(errp, "%s: host IOMMU PASID width %u < intel-iommu PASID "
                   "width %u (ECAP.PSS %u)", name, info->iommu_pasid_width,
                   s->pasid_width, s->pasid_width - 1);
        return false;
    }
    return true;
}

static void vtd_host_fix_view(IntelIOMMUState *s, const char *name,
                              const VTDHostInfo *info)
{
    s->view.valid = true;
    s->view.device = g_strdup(name);
    s->view.type = info->type;
    s->view.cap_reg = info->cap_reg;
    s->view.ecap_reg = info->ecap_reg;
    s->view.mgaw = info->mgaw;
    s->view.pasid_width = info->iommu_pasid_width;
}

/* pasid=auto during cold plug: the first device with PASID decides. */
static void vtd_host_auto_width(IntelIOMMUState *s, const char *name,
                                const VTDHostInfo *info)
{
    const char *capped_by = NULL;
    uint8_t width = info->dev_pasid_width;
    uint8_t min;

    if (!s->pasid_auto || s->pasid_final || !width) {
        return;
    }
    min = vtd_host_min_iommu_width(s, info, &capped_by);
    if (min < width) {
        warn_report("intel-iommu: pasid=auto: %s reports %u PASID bits, "
                    "capped at %u by the host IOMMU of %s", name, width, min,
                    capped_by);
        width = min;
    }
    vtd_pasid_finalize(s, width, name);
}

static bool vtd_set_iommu_device(void *opaque, PCIDevice *pdev,
                                 HostIOMMUDevice *hiod, Error **errp)
{
    IntelIOMMUState *s = opaque;
    MachineState *ms = qdev_get_machine();
    const char *name = hiod->name ? hiod->name : "(unnamed)";
    VTDHostInfo info;
    VTDHostDevice *d;

    vtd_host_info(hiod, &info);
    if (!vtd_host_check(s, pdev, name, &info, errp)) {
        return false;
    }
    d = g_new0(VTDHostDevice, 1);
    d->pdev = pdev;
    d->hiod = hiod;
    d->name = g_strdup(name);
    d->bdf = pdev && pdev->bus ? pci_device_bdf(pdev) : NULL;
    d->coldplugged = !(ms && ms->init_done);
    if (!s->view.valid) {
        vtd_host_fix_view(s, name, &info);
    }
    /* Before adding @d, so the cap looks at the other devices only. */
    if (d->coldplugged) {
        vtd_host_auto_width(s, name, &info);
        s->coldplugged++;
    }
    g_ptr_array_add(s->devices, d);
    return true;
}

static void vtd_host_device_free(VTDHostDevice *d)
{
    g_free(d->name);
    g_free(d->bdf);
    g_free(d);
}

static void vtd_unset_iommu_device(void *opaque, PCIDevice *pdev)
{
    IntelIOMMUState *s = opaque;
    VTDHostDevice *d = vtd_host_find(s, pdev);

    /* The PASID width and the host view stay: the guest has seen them. */
    if (d) {
        g_ptr_array_remove(s->devices, d);
        vtd_host_device_free(d);
    }
}

static uint64_t vtd_get_viommu_flags(void *opaque)
{
    IntelIOMMUState *s = opaque;

    return s->pasid_width ? VIOMMU_FLAG_PASID_SUPPORTED : 0;
}

const PCIIOMMUOps vtd_iommu_ops = {
    .set_iommu_device = vtd_set_iommu_device,
    .unset_iommu_device = vtd_unset_iommu_device,
    .get_viommu_flags = vtd_get_viommu_flags,
};

void vtd_host_devices_free(IntelIOMMUState *s)
{
    while (s->devices && s->devices->len) {
        VTDHostDevice *d = g_ptr_array_steal_index(s->devices,
                                                   s->devices->len - 1);

        vtd_host_device_free(d);
    }
    g_clear_pointer(&s->view.device, g_free);
    memset(&s->view, 0, sizeof(s->view));
}

bool vtd_host_init_done(IntelIOMMUState *s, Error **errp)
{
    if (!s->pasid_auto || s->pasid_final) {
        return true;
    }
    if (!s->coldplugged) {
        error_setg(errp, "intel-iommu pasid=auto requires at least one "
                   "cold-plugged VFIO device");
        return false;
    }
    warn_report("intel-iommu pasid=auto: no cold-plugged device reports a "
                "PASID width; PASID is not advertised");
    vtd_pasid_finalize(s, 0, NULL);
    return true;
}

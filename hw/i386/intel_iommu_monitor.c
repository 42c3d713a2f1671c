/*
 * intel-iommu introspection: its entry of QMP x-query-viommu and its
 * part of HMP "info viommu" (the commands are hw/pci/viommu-host.c's):
 *   { "type": "intel-iommu", "id": ..., "path": ..., "bus": "pcie.0",
 *     "pasid": "auto" | N,          the property as given
 *     "pasid-width": W,             what ECAP.PASID/PSS advertise
 *     "pasid-finalized": bool,      whether W can still change
 *     "cap": "0x...", "ecap": "0x...", "mmio-base": "0x...",
 *     "resolved-from": { "pasid": [ device, ... ] },   for auto
 *     "devices": [ { "name", "bdf", "coldplugged", "type", "cap",
 *                    "ecap", "mgaw", "iommu-pasid-width",
 *                    "max-pasid-log2", "capabilities",
 *                    "hw-info-calls" } ] }
 */
#include "intel_iommu_nested.h"
#include "system/host_iommu_device.h"

#include <inttypes.h>

void vtd_query_fields(DeviceState *owner, JsonBuilder *b)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);

    viommu_host_query_width(&s->host, b, "pasid");
    viommu_json_hex(b, "cap", s->cap);
    viommu_json_hex(b, "ecap", s->ecap);
    viommu_json_hex(b, "mmio-base", Q35_HOST_BRIDGE_IOMMU_ADDR);
    vtd_nest_query(s, b);
}

void vtd_query_device(const VIOMMUHostDevice *d, JsonBuilder *b)
{
    const struct iommu_hw_info_vtd *vtd = &d->hiod->caps.vendor.vtd;

    viommu_json_hex(b, "cap", vtd->cap_reg);
    viommu_json_hex(b, "ecap", vtd->ecap_reg);
    viommu_json_int(b, "mgaw", VTD_CAP_GET_MGAW(vtd->cap_reg));
    /* x86 has one vIOMMU: the one this device is behind. */
    vtd_nest_query_device(intel_iommu_find(), d->pdev, b);
}

JsonNode *intel_iommu_query(IntelIOMMUState *s)
{
    return viommu_host_query(&s->host);
}

/* x-flts=on: the parent and each device's bound PASIDs. */
static void vtd_hmp_info_nesting(IntelIOMMUState *s, GString *out)
{
    if (!s->flts) {
        return;
    }
    vtd_nest_hmp_summary(s, out);
    for (guint i = 0; i < s->host.devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(s->host.devices, i);
        g_autofree char *bdf = viommu_host_device_bdf(d);

        g_string_append_printf(out, "  %s (%s):\n", d->name, bdf);
        vtd_nest_hmp_info(s, d->pdev, out);
    }
}

void vtd_hmp_info(DeviceState *owner, GString *out)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(owner);

    g_string_append(out, "intel-iommu: pasid ");
    viommu_host_info_width(&s->host, out);
    g_string_append_printf(out, "\n  cap 0x%016" PRIx64 " ecap 0x%016"
                           PRIx64 "\n", s->cap, s->ecap);
    vtd_hmp_info_nesting(s, out);
}

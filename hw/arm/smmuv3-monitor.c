/*
 * arm-smmuv3 introspection: its entry of QMP x-query-viommu and its part
 * of HMP "info viommu" (the commands are hw/pci/viommu-host.c's):
 *   { "type": "arm-smmuv3", "id": ..., "path": ..., "accel": bool,
 *     "ssidsize": "auto" | N,       the property as given
 *     "pasid-width": W,             IDR1.SSIDSIZE as advertised
 *     "pasid-finalized": bool,      whether W can still change
 *     "finalized-by": name | null,  the device that fixed W (auto)
 *     "idr": [ "0x...", x6 ], "cmds-consumed": N,
 *     "host-iommu": { "device", "idr": [...] } | null,
 *     "devices": [ { "name", "bdf", "coldplugged", "type", "idr",
 *                    "ssidsize", "max-pasid-log2", "capabilities",
 *                    "hw-info-calls" } ] }
 */
#include "smmuv3-internal.h"

#include <inttypes.h>

static void smmu_json_idr(JsonBuilder *b, const uint32_t *idr)
{
    json_builder_set_member_name(b, "idr");
    json_builder_begin_array(b);
    for (int i = 0; i < 6; i++) {
        g_autofree char *text = g_strdup_printf("0x%08" PRIx32, idr[i]);

        json_builder_add_string_value(b, text);
    }
    json_builder_end_array(b);
}

void smmuv3_query_fields(DeviceState *owner, JsonBuilder *b)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    viommu_json_bool(b, "accel", s->accel);
    viommu_host_query_width(&s->host, b, "ssidsize");
    smmu_json_idr(b, s->idr);
    viommu_json_int(b, "cmds-consumed", s->cmds_consumed);
}

void smmuv3_query_view(DeviceState *owner, JsonBuilder *b)
{
    smmu_json_idr(b, ARM_SMMUV3(owner)->view.idr);
}

void smmuv3_query_device(const VIOMMUHostDevice *d, JsonBuilder *b)
{
    smmu_json_idr(b, d->hiod->caps.vendor.smmuv3.idr);
    viommu_json_int(b, "ssidsize",
                    host_iommu_device_iommu_pasid_width(d->hiod));
}

JsonNode *smmuv3_query(SMMUv3State *s)
{
    return viommu_host_query(&s->host);
}

void smmuv3_hmp_info(DeviceState *owner, GString *out)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    g_string_append_printf(out, "arm-smmuv3: accel %s, ssidsize ",
                           s->accel ? "on" : "off");
    viommu_host_info_width(&s->host, out);
    g_string_append(out, "\n  idr");
    for (int i = 0; i < 6; i++) {
        g_string_append_printf(out, " 0x%08" PRIx32, s->idr[i]);
    }
    g_string_append_c(out, '\n');
}

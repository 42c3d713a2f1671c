/*
 * arm-smmuv3 introspection: its entry of QMP x-query-viommu and its part
 * of HMP "info viommu" (the commands are hw/pci/viommu-host.c's):
 *   { "type": "arm-smmuv3", "id": ..., "path": ..., "bus": ...,
 *     "accel": bool,
 *     "ssidsize": "auto" | N,       the property as given
 *     "pasid-width": W,             IDR1.SSIDSIZE as advertised
 *     "pasid-finalized": bool,      whether W can still change
 *     "mmio-base": "0x...", "idr": [ "0x...", x6 ], "cmds-consumed": N,
 *     "nesting": { "smmuen", "host-viommus": [ { "viommu", "parent-hwpt",
 *                  "devices", "pending" } ], "ste-installs",
 *                  "invalidate-batches", "invalidate-entries",
 *                  "host-refusals", "cmd-errors", "events" },
 *     "resolved-from": { "ssidsize"|"ril"|"ats"|"oas": [ device, ... ] },
 *     "devices": [ { "name", "bdf", "coldplugged", "type", "idr",
 *                    "iommu-pasid-width", "max-pasid-log2",
 *                    "capabilities", "hw-info-calls", "vsid", "ste-config",
 *                    "ste": [ w0, w1 ], "host-viommu", "host-vdevice",
 *                    "host-vdevice-vsid", "host-hwpt" } ] }
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
    viommu_json_hex(b, "mmio-base", s->mmio_base);
    smmu_json_idr(b, s->idr);
    viommu_json_int(b, "cmds-consumed", s->cmds_consumed);
    smmuv3_nest_query(s, b);
}

/* The arm-smmuv3 that @d is attached to. */
static SMMUv3State *smmu_owner_of(const VIOMMUHostDevice *d)
{
    MachineState *ms = qdev_get_machine();

    for (guint i = 0; ms && i < ms->viommus->len; i++) {
        VIOMMUHostDevices *h = g_ptr_array_index(ms->viommus, i);

        if (h->ops == &smmuv3_host_ops && viommu_host_find(h, d->pdev)) {
            return ARM_SMMUV3(h->owner);
        }
    }
    return NULL;
}

void smmuv3_query_device(const VIOMMUHostDevice *d, JsonBuilder *b)
{
    SMMUv3State *s = smmu_owner_of(d);

    smmu_json_idr(b, d->hiod->caps.vendor.smmuv3.idr);
    if (s && d->pdev && d->pdev->bus) {
        smmuv3_nest_query_device(s, d->pdev, b);
    }
}

JsonNode *smmuv3_query(SMMUv3State *s)
{
    return viommu_host_query(&s->host);
}

void smmuv3_hmp_info(DeviceState *owner, GString *out)
{
    SMMUv3State *s = ARM_SMMUV3(owner);

    g_string_append_printf(out, "arm-smmuv3 on %s at 0x%" PRIx64 ": accel "
                           "%s, ssidsize ", s->bus ? s->bus->qbus.name : "-",
                           (uint64_t)s->mmio_base, s->accel ? "on" : "off");
    viommu_host_info_width(&s->host, out);
    g_string_append(out, "\n  idr");
    for (int i = 0; i < 6; i++) {
        g_string_append_printf(out, " 0x%08" PRIx32, s->idr[i]);
    }
    g_string_append_c(out, '\n');
    if (s->accel) {
        smmuv3_nest_hmp_info(s, out);
    }
}

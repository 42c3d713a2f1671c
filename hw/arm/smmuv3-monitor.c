/*
 * arm-smmuv3 introspection: QMP x-query-smmuv3 and HMP "info smmuv3".
 *
 * A command of its own rather than a second "x-query-viommu": that name
 * belongs to intel-iommu's monitor file, and the two vIOMMUs never share
 * a machine.  The entry has the same shape as intel-iommu's, so a
 * generic x-query-viommu can list smmuv3_query() as is:
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
#include "monitor/monitor.h"

#include <inttypes.h>

static void smmu_json_member(JsonBuilder *b, const char *member)
{
    json_builder_set_member_name(b, member);
}

static void smmu_json_idr(JsonBuilder *b, const uint32_t *idr)
{
    smmu_json_member(b, "idr");
    json_builder_begin_array(b);
    for (int i = 0; i < 6; i++) {
        g_autofree char *text = g_strdup_printf("0x%08" PRIx32, idr[i]);

        json_builder_add_string_value(b, text);
    }
    json_builder_end_array(b);
}

static void smmu_json_str(JsonBuilder *b, const char *member, const char *v)
{
    smmu_json_member(b, member);
    if (v) {
        json_builder_add_string_value(b, v);
    } else {
        json_builder_add_null_value(b);
    }
}

static void smmu_query_device(JsonBuilder *b, const SMMUv3HostDevice *d)
{
    const HostIOMMUDeviceCaps *caps = &d->hiod->caps;
    g_autofree char *hw_caps = g_strdup_printf("0x%" PRIx64, caps->hw_caps);

    json_builder_begin_object(b);
    smmu_json_str(b, "name", d->name);
    smmu_json_str(b, "bdf", d->bdf);
    smmu_json_member(b, "coldplugged");
    json_builder_add_boolean_value(b, d->coldplugged);
    smmu_json_member(b, "type");
    json_builder_add_int_value(b, caps->type);
    smmu_json_idr(b, caps->vendor.smmuv3.idr);
    smmu_json_member(b, "ssidsize");
    json_builder_add_int_value(b,
                               host_iommu_device_iommu_pasid_width(d->hiod));
    smmu_json_member(b, "max-pasid-log2");
    json_builder_add_int_value(b, caps->max_pasid_log2);
    smmu_json_str(b, "capabilities", hw_caps);
    smmu_json_member(b, "hw-info-calls");
    json_builder_add_int_value(b, d->hiod->hw_info_calls);
    json_builder_end_object(b);
}

static void smmu_query_view(JsonBuilder *b, const SMMUv3HostView *view)
{
    smmu_json_member(b, "host-iommu");
    if (!view->valid) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    smmu_json_str(b, "device", view->device);
    smmu_json_idr(b, view->idr);
    json_builder_end_object(b);
}

JsonNode *smmuv3_query(SMMUv3State *s)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autofree char *path = object_get_canonical_path(OBJECT(s));

    json_builder_begin_object(b);
    smmu_json_str(b, "type", TYPE_ARM_SMMUV3);
    smmu_json_str(b, "id", DEVICE(s)->id);
    smmu_json_str(b, "path", path);
    smmu_json_member(b, "accel");
    json_builder_add_boolean_value(b, s->accel);
    smmu_json_member(b, "ssidsize");
    if (s->ssid_auto) {
        json_builder_add_string_value(b, "auto");
    } else {
        json_builder_add_int_value(b, s->ssid_width);
    }
    smmu_json_member(b, "pasid-width");
    json_builder_add_int_value(b, s->ssid_width);
    smmu_json_member(b, "pasid-finalized");
    json_builder_add_boolean_value(b, s->ssid_final);
    smmu_json_str(b, "finalized-by", s->ssid_finalized_by);
    smmu_json_idr(b, s->idr);
    smmu_json_member(b, "cmds-consumed");
    json_builder_add_int_value(b, s->cmds_consumed);
    smmu_query_view(b, &s->view);
    smmu_json_member(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < s->devices->len; i++) {
        smmu_query_device(b, g_ptr_array_index(s->devices, i));
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static JsonNode *qmp_x_query_smmuv3(JsonObject *args, Error **errp)
{
    SMMUv3State *s = smmuv3_find();
    JsonArray *list = json_array_new();

    if (s) {
        json_array_add_element(list, smmuv3_query(s));
    }
    return json_node_init_array(json_node_alloc(), list);
}

static char *hmp_info_smmuv3(Error **errp)
{
    SMMUv3State *s = smmuv3_find();
    GString *out = g_string_new(NULL);

    if (!s) {
        g_string_append(out, "No arm-smmuv3\n");
        return g_string_free(out, FALSE);
    }
    g_string_append_printf(out, "arm-smmuv3: accel %s, ssidsize %s, "
                           "width %u%s", s->accel ? "on" : "off",
                           s->ssid_auto ? "auto" : "fixed", s->ssid_width,
                           s->ssid_final ? "" : " (not finalized)");
    if (s->ssid_finalized_by) {
        g_string_append_printf(out, " from %s", s->ssid_finalized_by);
    }
    g_string_append(out, "\n  idr");
    for (int i = 0; i < 6; i++) {
        g_string_append_printf(out, " 0x%08" PRIx32, s->idr[i]);
    }
    g_string_append_c(out, '\n');
    for (guint i = 0; i < s->devices->len; i++) {
        SMMUv3HostDevice *d = g_ptr_array_index(s->devices, i);

        g_string_append_printf(out, "  %s %s: max-pasid-log2 %u%s\n",
                               d->bdf ? d->bdf : "-", d->name,
                               d->hiod->caps.max_pasid_log2,
                               d->coldplugged ? "" : " (hot-plugged)");
    }
    return g_string_free(out, FALSE);
}

void smmuv3_monitor_register(void)
{
    qmp_register_command("x-query-smmuv3", qmp_x_query_smmuv3);
    hmp_register_info("smmuv3", "show the arm-smmuv3 and its host devices",
                      hmp_info_smmuv3);
}

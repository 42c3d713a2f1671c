/*
 * intel-iommu introspection: QMP x-query-viommu and HMP "info viommu".
 *
 * x-query-viommu returns a list with one entry per vIOMMU:
 *   { "type": "intel-iommu", "id": ..., "path": ...,
 *     "pasid": "auto" | N,          the property as given
 *     "pasid-width": W,             what ECAP.PASID/PSS advertise
 *     "pasid-finalized": bool,      whether W can still change
 *     "finalized-by": name | null,  the device that fixed W (auto)
 *     "cap": "0x...", "ecap": "0x...",
 *     "host-iommu": { "device", "type", "cap", "ecap", "mgaw",
 *                     "pasid-width" } | null,   fixed by the first device
 *     "devices": [ { "name", "bdf", "coldplugged", "type", "cap",
 *                    "ecap", "mgaw", "iommu-pasid-width",
 *                    "max-pasid-log2", "capabilities",
 *                    "hw-info-calls" } ] }
 */
#include "intel_iommu_internal.h"
#include "monitor/monitor.h"
#include "system/host_iommu_device.h"

#include <inttypes.h>

static void vtd_json_hex(JsonBuilder *b, const char *member, uint64_t v)
{
    g_autofree char *text = g_strdup_printf("0x%" PRIx64, v);

    json_builder_set_member_name(b, member);
    json_builder_add_string_value(b, text);
}

static void vtd_json_int(JsonBuilder *b, const char *member, int64_t v)
{
    json_builder_set_member_name(b, member);
    json_builder_add_int_value(b, v);
}

static void vtd_json_str(JsonBuilder *b, const char *member, const char *v)
{
    json_builder_set_member_name(b, member);
    if (v) {
        json_builder_add_string_value(b, v);
    } else {
        json_builder_add_null_value(b);
    }
}

static void vtd_query_view(JsonBuilder *b, const VTDHostView *view)
{
    json_builder_set_member_name(b, "host-iommu");
    if (!view->valid) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    vtd_json_str(b, "device", view->device);
    vtd_json_int(b, "type", view->type);
    vtd_json_hex(b, "cap", view->cap_reg);
    vtd_json_hex(b, "ecap", view->ecap_reg);
    vtd_json_int(b, "mgaw", view->mgaw);
    vtd_json_int(b, "pasid-width", view->pasid_width);
    json_builder_end_object(b);
}

static void vtd_query_device(JsonBuilder *b, const VTDHostDevice *d)
{
    const HostIOMMUDeviceCaps *caps = &d->hiod->caps;

    json_builder_begin_object(b);
    vtd_json_str(b, "name", d->name);
    vtd_json_str(b, "bdf", d->bdf);
    json_builder_set_member_name(b, "coldplugged");
    json_builder_add_boolean_value(b, d->coldplugged);
    vtd_json_int(b, "type", caps->type);
    vtd_json_hex(b, "cap", caps->vendor.vtd.cap_reg);
    vtd_json_hex(b, "ecap", caps->vendor.vtd.ecap_reg);
    vtd_json_int(b, "mgaw", VTD_CAP_GET_MGAW(caps->vendor.vtd.cap_reg));
    vtd_json_int(b, "iommu-pasid-width",
                 host_iommu_device_iommu_pasid_width(d->hiod));
    vtd_json_int(b, "max-pasid-log2", caps->max_pasid_log2);
    vtd_json_hex(b, "capabilities", caps->hw_caps);
    vtd_json_int(b, "hw-info-calls", d->hiod->hw_info_calls);
    json_builder_end_object(b);
}

JsonNode *intel_iommu_query(IntelIOMMUState *s)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autofree char *path = object_get_canonical_path(OBJECT(s));

    json_builder_begin_object(b);
    vtd_json_str(b, "type", TYPE_INTEL_IOMMU_DEVICE);
    vtd_json_str(b, "id", DEVICE(s)->id);
    vtd_json_str(b, "path", path);
    json_builder_set_member_name(b, "pasid");
    if (s->pasid_auto) {
        json_builder_add_string_value(b, "auto");
    } else {
        json_builder_add_int_value(b, s->pasid_width);
    }
    vtd_json_int(b, "pasid-width", s->pasid_width);
    json_builder_set_member_name(b, "pasid-finalized");
    json_builder_add_boolean_value(b, s->pasid_final);
    vtd_json_str(b, "finalized-by", s->pasid_finalized_by);
    vtd_json_hex(b, "cap", s->cap);
    vtd_json_hex(b, "ecap", s->ecap);
    vtd_query_view(b, &s->view);
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < s->devices->len; i++) {
        vtd_query_device(b, g_ptr_array_index(s->devices, i));
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static JsonNode *qmp_x_query_viommu(JsonObject *args, Error **errp)
{
    IntelIOMMUState *s = intel_iommu_find();
    JsonArray *list = json_array_new();
    JsonNode *ret = json_node_alloc();

    if (s) {
        json_array_add_element(list, intel_iommu_query(s));
    }
    return json_node_init_array(ret, list);
}

static char *hmp_info_viommu(Error **errp)
{
    IntelIOMMUState *s = intel_iommu_find();
    GString *out = g_string_new(NULL);

    if (!s) {
        g_string_append(out, "No vIOMMU\n");
        return g_string_free(out, FALSE);
    }
    g_string_append_printf(out, "intel-iommu: pasid %s, width %u%s",
                           s->pasid_auto ? "auto" : "fixed", s->pasid_width,
                           s->pasid_final ? "" : " (not finalized)");
    if (s->pasid_finalized_by) {
        g_string_append_printf(out, " from %s", s->pasid_finalized_by);
    }
    g_string_append_printf(out, "\n  cap 0x%016" PRIx64 " ecap 0x%016"
                           PRIx64 "\n", s->cap, s->ecap);
    if (s->view.valid) {
        g_string_append_printf(out, "  host IOMMU (from %s): mgaw %u, "
                               "pasid width %u\n", s->view.device,
                               s->view.mgaw, s->view.pasid_width);
    }
    for (guint i = 0; i < s->devices->len; i++) {
        VTDHostDevice *d = g_ptr_array_index(s->devices, i);

        g_string_append_printf(out, "  %s %s: max-pasid-log2 %u%s\n",
                               d->bdf ? d->bdf : "-", d->name,
                               d->hiod->caps.max_pasid_log2,
                               d->coldplugged ? "" : " (hot-plugged)");
    }
    return g_string_free(out, FALSE);
}

void intel_iommu_monitor_register(void)
{
    qmp_register_command("x-query-viommu", qmp_x_query_viommu);
    hmp_register_info("viommu", "show the vIOMMU and its host devices",
                      hmp_info_viommu);
}

/*
 * The host devices behind a vIOMMU (see include/hw/pci/viommu-host.h).
 *
 * Accepting a device only adds it to the list: nothing it reports
 * changes what the vIOMMU advertises, so accepting, refusing or removing
 * one never moves the guest-visible registers.  The one moment they may
 * change is machine-init-done, when the "auto" properties are resolved
 * from every cold-plugged device at once; every device is then checked
 * again against the result, and the PASID capabilities that waited for
 * the width are completed.
 */
#include "hw/pci/viommu-host.h"
#include "monitor/monitor.h"
#include "system/host_iommu_device.h"

#include <inttypes.h>
#include <stddef.h>

void viommu_host_init(VIOMMUHostDevices *h, DeviceState *owner,
                      const VIOMMUHostOps *ops)
{
    h->owner = owner;
    h->ops = ops;
    h->devices = g_ptr_array_new();
    h->by_pdev = g_hash_table_new(NULL, NULL);
    h->resolved_from = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify)g_ptr_array_unref);
}

VIOMMUHostDevice *viommu_host_find(VIOMMUHostDevices *h, PCIDevice *pdev)
{
    return g_hash_table_lookup(h->by_pdev, pdev);
}

void viommu_host_width_init(VIOMMUHostDevices *h, bool is_auto,
                            uint8_t width)
{
    h->width_auto = is_auto;
    h->width = is_auto ? 0 : width;
    h->has_auto |= is_auto;
}

bool viommu_host_pending(const VIOMMUHostDevices *h, bool is_auto)
{
    return is_auto && !h->resolved;
}

void viommu_host_note_source(VIOMMUHostDevices *h, const char *prop,
                             const char *name)
{
    GPtrArray *names = g_hash_table_lookup(h->resolved_from, prop);

    if (!names) {
        names = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(h->resolved_from, (gpointer)prop, names);
    }
    g_ptr_array_add(names, g_strdup(name));
}

char *viommu_host_device_bdf(const VIOMMUHostDevice *d)
{
    return d->pdev && d->pdev->bus ? pci_device_bdf(d->pdev) : NULL;
}

static bool viommu_host_set_iommu_device(void *opaque, PCIDevice *pdev,
                                         HostIOMMUDevice *hiod, Error **errp)
{
    VIOMMUHostDevices *h = opaque;
    MachineState *ms = qdev_get_machine();
    const char *name = hiod->name ? hiod->name : "(unnamed)";
    VIOMMUHostDevice *d;

    if (viommu_host_find(h, pdev)) {
        error_setg(errp, "%s: %s already has a host IOMMU device for it",
                   name, h->ops->name);
        return false;
    }
    if (!h->ops->check(h->owner, pdev, name, hiod, errp)) {
        return false;
    }
    d = g_new0(VIOMMUHostDevice, 1);
    d->pdev = pdev;
    d->hiod = hiod;
    d->name = g_strdup(name);
    d->coldplugged = !(ms && ms->init_done);
    g_ptr_array_add(h->devices, d);
    g_hash_table_insert(h->by_pdev, pdev, d);
    return true;
}

static void viommu_host_device_free(VIOMMUHostDevice *d)
{
    g_free(d->name);
    g_free(d);
}

static void viommu_host_unset_iommu_device(void *opaque, PCIDevice *pdev)
{
    VIOMMUHostDevices *h = opaque;
    VIOMMUHostDevice *d = viommu_host_find(h, pdev);

    if (!d) {
        return;
    }
    if (h->ops->device_gone) {
        h->ops->device_gone(h->owner, pdev);
    }
    for (guint i = h->devices->len; i-- > 0;) {
        if (g_ptr_array_index(h->devices, i) == d) {
            g_ptr_array_remove_index(h->devices, i);
            break;
        }
    }
    g_hash_table_remove(h->by_pdev, pdev);
    viommu_host_device_free(d);
}

static uint64_t viommu_host_get_viommu_flags(void *opaque, PCIDevice *pdev)
{
    VIOMMUHostDevices *h = opaque;

    if (!h->ops->delivers_pasid(h->owner, pdev)) {
        return 0;
    }
    if (viommu_host_pending(h, h->width_auto)) {
        return VIOMMU_FLAG_PASID_PENDING;
    }
    return h->width ? VIOMMU_FLAG_PASID_SUPPORTED : 0;
}

const PCIIOMMUOps viommu_host_iommu_ops = {
    .set_iommu_device = viommu_host_set_iommu_device,
    .unset_iommu_device = viommu_host_unset_iommu_device,
    .get_viommu_flags = viommu_host_get_viommu_flags,
};

/* ---- machine-init-done ---- */

/*
 * The smallest host IOMMU PASID width among the cold-plugged devices
 * that report PASID: a guest may use any advertised PASID on any of
 * them.  Devices without PASID take no part.
 */
static void viommu_host_resolve_width(VIOMMUHostDevices *h)
{
    const VIOMMUHostOps *ops = h->ops;
    uint8_t width = ops->max_width;
    bool any = false;

    VIOMMU_HOST_FOREACH_COLD(h, d) {
        if (!d->hiod->caps.max_pasid_log2) {
            continue;
        }
        any = true;
        width = MIN(width, host_iommu_device_iommu_pasid_width(d->hiod));
        viommu_host_note_source(h, ops->width_prop, d->name);
    }
    if (!any) {
        warn_report("%s: no cold-plugged device reports a PASID width; %s",
                    ops->auto_setting, ops->not_advertised);
    }
    h->width = any ? width : 0;
}

static bool viommu_host_resolve(VIOMMUHostDevices *h, Error **errp)
{
    bool cold = false;

    VIOMMU_HOST_FOREACH_COLD(h, d) {
        cold = true;
    }
    if (!cold) {
        error_setg(errp, "%s requires at least one cold-plugged VFIO device",
                   h->ops->auto_required);
        return false;
    }
    if (h->width_auto) {
        viommu_host_resolve_width(h);
    }
    h->resolved = true;
    return h->ops->resolve(h->owner, errp);
}

static bool viommu_host_init_done(Notifier *n, Error **errp)
{
    VIOMMUHostDevices *h = (VIOMMUHostDevices *)
        ((char *)n - offsetof(VIOMMUHostDevices, init_done));

    if (h->has_auto && !h->resolved && !viommu_host_resolve(h, errp)) {
        return false;
    }
    h->resolved = true;
    /* What each device was accepted against may have been "auto". */
    for (guint i = 0; i < h->devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(h->devices, i);

        if (!h->ops->check(h->owner, d->pdev, d->name, d->hiod, errp)) {
            error_prepend(errp, "Failed to set vIOMMU: ");
            return false;
        }
    }
    for (guint i = 0; i < h->devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(h->devices, i);

        pci_device_viommu_resolved(d->pdev);
    }
    return true;
}

void viommu_host_attach(VIOMMUHostDevices *h, PCIBus *bus)
{
    MachineState *ms = qdev_get_machine();

    h->bus = bus;
    pci_setup_iommu(bus, &viommu_host_iommu_ops, h);
    g_ptr_array_add(ms->viommus, h);
    h->init_done.notify = viommu_host_init_done;
    machine_add_init_done_notifier(&h->init_done);
}

static void viommu_host_devices_free(VIOMMUHostDevices *h)
{
    while (h->devices && h->devices->len) {
        viommu_host_device_free(g_ptr_array_steal_index(h->devices,
                                                        h->devices->len - 1));
    }
    if (h->by_pdev) {
        g_hash_table_remove_all(h->by_pdev);
    }
}

void viommu_host_detach(VIOMMUHostDevices *h)
{
    MachineState *ms = qdev_get_machine();

    if (!h->bus) {
        return;
    }
    machine_remove_init_done_notifier(&h->init_done);
    if (ms && ms->viommus) {
        g_ptr_array_remove(ms->viommus, h);
    }
    if (h->bus->iommu_opaque == h) {
        pci_setup_iommu(h->bus, NULL, NULL);
    }
    h->bus = NULL;
    viommu_host_devices_free(h);
}

void viommu_host_finalize(VIOMMUHostDevices *h)
{
    viommu_host_detach(h);
    viommu_host_devices_free(h);
    g_clear_pointer(&h->devices, g_ptr_array_unref);
    g_clear_pointer(&h->by_pdev, g_hash_table_unref);
    g_clear_pointer(&h->resolved_from, g_hash_table_unref);
}

/* ---- x-query-viommu and info viommu ---- */

void viommu_json_str(JsonBuilder *b, const char *member, const char *v)
{
    json_builder_set_member_name(b, member);
    if (v) {
        json_builder_add_string_value(b, v);
    } else {
        json_builder_add_null_value(b);
    }
}

void viommu_json_int(JsonBuilder *b, const char *member, int64_t v)
{
    json_builder_set_member_name(b, member);
    json_builder_add_int_value(b, v);
}

void viommu_json_bool(JsonBuilder *b, const char *member, bool v)
{
    json_builder_set_member_name(b, member);
    json_builder_add_boolean_value(b, v);
}

void viommu_json_hex(JsonBuilder *b, const char *member, uint64_t v)
{
    g_autofree char *text = g_strdup_printf("0x%" PRIx64, v);

    viommu_json_str(b, member, text);
}

void viommu_host_query_width(VIOMMUHostDevices *h, JsonBuilder *b,
                             const char *member)
{
    if (h->width_auto) {
        viommu_json_str(b, member, "auto");
    } else {
        viommu_json_int(b, member, h->width);
    }
    viommu_json_int(b, "pasid-width", h->width);
    viommu_json_bool(b, "pasid-finalized",
                     !viommu_host_pending(h, h->width_auto));
}

void viommu_host_info_width(VIOMMUHostDevices *h, GString *out)
{
    GPtrArray *from = g_hash_table_lookup(h->resolved_from,
                                          h->ops->width_prop);

    g_string_append_printf(out, "%s, width %u%s",
                           h->width_auto ? "auto" : "fixed", h->width,
                           viommu_host_pending(h, h->width_auto)
                           ? " (not resolved)" : "");
    for (guint i = 0; from && i < from->len; i++) {
        g_string_append_printf(out, "%s%s", i ? ", " : " from ",
                               (char *)g_ptr_array_index(from, i));
    }
}

static void viommu_host_query_device(VIOMMUHostDevices *h, JsonBuilder *b,
                                     const VIOMMUHostDevice *d)
{
    const HostIOMMUDeviceCaps *caps = &d->hiod->caps;
    g_autofree char *bdf = viommu_host_device_bdf(d);

    json_builder_begin_object(b);
    viommu_json_str(b, "name", d->name);
    viommu_json_str(b, "bdf", bdf);
    viommu_json_bool(b, "coldplugged", d->coldplugged);
    viommu_json_int(b, "type", caps->type);
    if (h->ops->query_device) {
        h->ops->query_device(d, b);
    }
    viommu_json_int(b, "iommu-pasid-width",
                    host_iommu_device_iommu_pasid_width(d->hiod));
    viommu_json_int(b, "max-pasid-log2", caps->max_pasid_log2);
    viommu_json_hex(b, "capabilities", caps->hw_caps);
    viommu_json_int(b, "hw-info-calls", d->hiod->hw_info_calls);
    json_builder_end_object(b);
}

/* "resolved-from": { property: [ device, ... ] }, sorted by property. */
static void viommu_host_query_sources(VIOMMUHostDevices *h, JsonBuilder *b)
{
    g_autoptr(GList) props = g_hash_table_get_keys(h->resolved_from);

    props = g_list_sort(props, (GCompareFunc)g_strcmp0);
    json_builder_set_member_name(b, "resolved-from");
    json_builder_begin_object(b);
    for (GList *l = props; l; l = l->next) {
        GPtrArray *names = g_hash_table_lookup(h->resolved_from, l->data);

        json_builder_set_member_name(b, l->data);
        json_builder_begin_array(b);
        for (guint i = 0; i < names->len; i++) {
            json_builder_add_string_value(b, g_ptr_array_index(names, i));
        }
        json_builder_end_array(b);
    }
    json_builder_end_object(b);
}

JsonNode *viommu_host_query(VIOMMUHostDevices *h)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autofree char *path = object_get_canonical_path(OBJECT(h->owner));

    json_builder_begin_object(b);
    viommu_json_str(b, "type", h->ops->name);
    viommu_json_str(b, "id", h->owner->id);
    viommu_json_str(b, "path", path);
    viommu_json_str(b, "bus", h->bus ? h->bus->qbus.name : NULL);
    h->ops->query(h->owner, b);
    viommu_host_query_sources(h, b);
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < h->devices->len; i++) {
        viommu_host_query_device(h, b, g_ptr_array_index(h->devices, i));
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static GPtrArray *viommu_host_list(void)
{
    MachineState *ms = qdev_get_machine();

    return ms ? ms->viommus : NULL;
}

static JsonNode *qmp_x_query_viommu(JsonObject *args, Error **errp)
{
    GPtrArray *list = viommu_host_list();
    JsonArray *out = json_array_new();

    for (guint i = 0; list && i < list->len; i++) {
        json_array_add_element(out,
                               viommu_host_query(g_ptr_array_index(list, i)));
    }
    return qmp_return_array(out);
}

static void hmp_info_one_viommu(VIOMMUHostDevices *h, GString *out)
{
    h->ops->info(h->owner, out);
    for (guint i = 0; i < h->devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(h->devices, i);
        g_autofree char *bdf = viommu_host_device_bdf(d);

        g_string_append_printf(out, "  %s %s: max-pasid-log2 %u%s\n",
                               bdf ? bdf : "-", d->name,
                               d->hiod->caps.max_pasid_log2,
                               d->coldplugged ? "" : " (hot-plugged)");
    }
}

static char *hmp_info_viommu(Error **errp)
{
    GPtrArray *list = viommu_host_list();
    GString *out = g_string_new(NULL);

    if (!list || !list->len) {
        g_string_append(out, "No vIOMMU\n");
    }
    for (guint i = 0; list && i < list->len; i++) {
        hmp_info_one_viommu(g_ptr_array_index(list, i), out);
    }
    return g_string_free(out, FALSE);
}

void viommu_host_monitor_register(void)
{
    qmp_register_command("x-query-viommu", qmp_x_query_viommu);
    hmp_register_info("viommu", "show the vIOMMUs and their host devices",
                      hmp_info_viommu);
}

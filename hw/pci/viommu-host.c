/*
 * The host devices behind a vIOMMU (see include/hw/pci/viommu-host.h).
 *
 * The first accepted device fixes the vIOMMU's view of the host IOMMU;
 * with an "auto" width, the first cold-plugged device that reports a
 * PASID width fixes it.  The vendor checks run before anything changes,
 * so a refused device leaves no trace.  The width and the view stay when
 * devices leave: the guest has seen them.  A device whose realize fails
 * after it was accepted (a later step of vfio-pci's realize) leaves no
 * trace either: the guest never saw it.
 */
#include "hw/pci/viommu-host.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"
#include "system/host_iommu_device.h"

#include <inttypes.h>

void viommu_host_init(VIOMMUHostDevices *h, DeviceState *owner,
                      const VIOMMUHostOps *ops)
{
    h->owner = owner;
    h->ops = ops;
    h->devices = g_ptr_array_new();
}

VIOMMUHostDevice *viommu_host_find(VIOMMUHostDevices *h, PCIDevice *pdev)
{
    for (guint i = 0; i < h->devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(h->devices, i);

        if (d->pdev == pdev) {
            return d;
        }
    }
    return NULL;
}

void viommu_host_width_init(VIOMMUHostDevices *h, bool is_auto,
                            uint8_t width)
{
    h->width_auto = is_auto;
    h->width = is_auto ? 0 : width;
    h->width_final = !is_auto;
}

static bool viommu_host_width_pending(VIOMMUHostDevices *h)
{
    return h->width_auto && !h->width_final;
}

/* Fix the width; @device fixed it (NULL: nobody did). */
static void viommu_host_width_finalize(VIOMMUHostDevices *h, uint8_t width,
                                       const char *device)
{
    h->width = width;
    h->width_final = true;
    g_free(h->width_from);
    h->width_from = g_strdup(device);
    if (h->ops->width_changed) {
        h->ops->width_changed(h->owner);
    }
}

/*
 * With an "auto" width during cold plug: the first device with PASID.
 * True if @name finalized it.
 */
static bool viommu_host_auto_width(VIOMMUHostDevices *h, const char *name,
                                   const HostIOMMUDevice *hiod)
{
    const VIOMMUHostOps *ops = h->ops;
    uint8_t width = MIN(MIN(hiod->caps.max_pasid_log2,
                            host_iommu_device_iommu_pasid_width(hiod)),
                        ops->max_width);

    if (!viommu_host_width_pending(h) || !width) {
        return false;
    }
    viommu_host_width_finalize(h, ops->cap_width(h->owner, name, width),
                               name);
    return true;
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
    d->bdf = pdev && pdev->bus ? pci_device_bdf(pdev) : NULL;
    d->coldplugged = !(ms && ms->init_done);
    if (!h->view_fixed) {
        h->view_fixed = d->fixed_view = true;
        h->view_device = g_strdup(name);
        h->ops->fix_view(h->owner, hiod);
    }
    /* Before adding @d, so the cap looks at the other devices only. */
    if (d->coldplugged) {
        d->fixed_width = viommu_host_auto_width(h, name, hiod);
        h->coldplugged++;
    }
    g_ptr_array_add(h->devices, d);
    return true;
}

static void viommu_host_device_free(VIOMMUHostDevice *d)
{
    g_free(d->name);
    g_free(d->bdf);
    g_free(d);
}

/* Undo what accepting @d changed: its realize failed after all. */
static void viommu_host_forget(VIOMMUHostDevices *h, VIOMMUHostDevice *d)
{
    if (d->fixed_view) {
        h->view_fixed = false;
        g_clear_pointer(&h->view_device, g_free);
    }
    if (d->coldplugged) {
        h->coldplugged--;
    }
    if (d->fixed_width) {
        viommu_host_width_init(h, true, 0);
        g_clear_pointer(&h->width_from, g_free);
        if (h->ops->width_changed) {
            h->ops->width_changed(h->owner);
        }
    }
}

static void viommu_host_unset_iommu_device(void *opaque, PCIDevice *pdev)
{
    VIOMMUHostDevices *h = opaque;
    VIOMMUHostDevice *d = viommu_host_find(h, pdev);

    if (!d) {
        return;
    }
    /* Unset before the device is realized: a realize unwinding. */
    if (!DEVICE(pdev)->realized) {
        viommu_host_forget(h, d);
    }
    g_ptr_array_remove(h->devices, d);
    viommu_host_device_free(d);
}

static uint64_t viommu_host_get_viommu_flags(void *opaque)
{
    VIOMMUHostDevices *h = opaque;

    return h->width ? VIOMMU_FLAG_PASID_SUPPORTED : 0;
}

const PCIIOMMUOps viommu_host_iommu_ops = {
    .set_iommu_device = viommu_host_set_iommu_device,
    .unset_iommu_device = viommu_host_unset_iommu_device,
    .get_viommu_flags = viommu_host_get_viommu_flags,
};

void viommu_host_devices_free(VIOMMUHostDevices *h)
{
    while (h->devices && h->devices->len) {
        viommu_host_device_free(g_ptr_array_steal_index(h->devices,
                                                        h->devices->len - 1));
    }
    g_clear_pointer(&h->view_device, g_free);
    h->view_fixed = false;
}

void viommu_host_finalize(VIOMMUHostDevices *h)
{
    viommu_host_devices_free(h);
    g_clear_pointer(&h->devices, g_ptr_array_unref);
    g_clear_pointer(&h->width_from, g_free);
}

bool viommu_host_init_done(VIOMMUHostDevices *h, Error **errp)
{
    const VIOMMUHostOps *ops = h->ops;

    if (!viommu_host_width_pending(h)) {
        return true;
    }
    if (!h->coldplugged) {
        error_setg(errp, "%s requires at least one cold-plugged VFIO device",
                   ops->auto_required);
        return false;
    }
    warn_report("%s: no cold-plugged device reports a PASID width; %s",
                ops->auto_setting, ops->not_advertised);
    viommu_host_width_finalize(h, 0, NULL);
    return true;
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
    viommu_json_bool(b, "pasid-finalized", h->width_final);
    viommu_json_str(b, "finalized-by", h->width_from);
}

void viommu_host_info_width(VIOMMUHostDevices *h, GString *out)
{
    g_string_append_printf(out, "%s, width %u%s",
                           h->width_auto ? "auto" : "fixed", h->width,
                           h->width_final ? "" : " (not finalized)");
    if (h->width_from) {
        g_string_append_printf(out, " from %s", h->width_from);
    }
}

static void viommu_host_query_device(VIOMMUHostDevices *h, JsonBuilder *b,
                                     const VIOMMUHostDevice *d)
{
    const HostIOMMUDeviceCaps *caps = &d->hiod->caps;

    json_builder_begin_object(b);
    viommu_json_str(b, "name", d->name);
    viommu_json_str(b, "bdf", d->bdf);
    viommu_json_bool(b, "coldplugged", d->coldplugged);
    viommu_json_int(b, "type", caps->type);
    h->ops->query_device(d, b);
    viommu_json_int(b, "max-pasid-log2", caps->max_pasid_log2);
    viommu_json_hex(b, "capabilities", caps->hw_caps);
    viommu_json_int(b, "hw-info-calls", d->hiod->hw_info_calls);
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
    h->ops->query(h->owner, b);
    json_builder_set_member_name(b, "host-iommu");
    if (h->view_fixed) {
        json_builder_begin_object(b);
        viommu_json_str(b, "device", h->view_device);
        h->ops->query_view(h->owner, b);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    for (guint i = 0; i < h->devices->len; i++) {
        viommu_host_query_device(h, b, g_ptr_array_index(h->devices, i));
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

/*
 * The vIOMMU serving the machine's root bus, if it keeps its devices
 * here: a vIOMMU is found through the bus it serves, so a device that
 * failed to realize or was unrealized is never listed.
 */
static VIOMMUHostDevices *viommu_host_of_machine(void)
{
    MachineState *ms = qdev_get_machine();
    PCIBus *bus = ms ? ms->pci_root : NULL;

    if (!bus || !bus->iommu_ops ||
        bus->iommu_ops != &viommu_host_iommu_ops) {
        return NULL;
    }
    return bus->iommu_opaque;
}

static JsonNode *qmp_x_query_viommu(JsonObject *args, Error **errp)
{
    VIOMMUHostDevices *h = viommu_host_of_machine();
    JsonArray *list = json_array_new();

    if (h) {
        json_array_add_element(list, viommu_host_query(h));
    }
    return qmp_return_array(list);
}

static char *hmp_info_viommu(Error **errp)
{
    VIOMMUHostDevices *h = viommu_host_of_machine();
    GString *out = g_string_new(NULL);

    if (!h) {
        g_string_append(out, "No vIOMMU\n");
        return g_string_free(out, FALSE);
    }
    h->ops->info(h->owner, out);
    for (guint i = 0; i < h->devices->len; i++) {
        VIOMMUHostDevice *d = g_ptr_array_index(h->devices, i);

        g_string_append_printf(out, "  %s %s: max-pasid-log2 %u%s\n",
                               d->bdf ? d->bdf : "-", d->name,
                               d->hiod->caps.max_pasid_log2,
                               d->coldplugged ? "" : " (hot-plugged)");
    }
    return g_string_free(out, FALSE);
}

void viommu_host_monitor_register(void)
{
    qmp_register_command("x-query-viommu", qmp_x_query_viommu);
    hmp_register_info("viommu", "show the vIOMMU and its host devices",
                      hmp_info_viommu);
}

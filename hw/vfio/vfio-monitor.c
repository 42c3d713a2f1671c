/*
 * QMP x-query-vfio and HMP "info vfio": every vfio-pci device with the
 * host IOMMU information its HostIOMMUDevice cached.  Nothing here asks
 * the host: the answers are the cache, and hw-info-calls shows it.
 */
#include "hw/vfio/pci.h"
#include "hw/pci/pci-iommu.h"
#include "monitor/monitor.h"

#include <inttypes.h>

static void vfio_collect(DeviceState *dev, void *opaque)
{
    if (object_dynamic_cast(OBJECT(dev), TYPE_VFIO_PCI)) {
        g_ptr_array_add(opaque, dev);
    }
}

static GPtrArray *vfio_devices(void)
{
    GPtrArray *devs = g_ptr_array_new();

    qdev_foreach(vfio_collect, devs);
    return devs;
}

static JsonNode *vfio_vendor_json(const HostIOMMUDeviceCaps *caps)
{
    JsonObject *o = json_object_new();

    if (caps->type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        json_object_set_int_member(o, "flags", caps->vendor.vtd.flags);
        json_object_set_int_member(o, "cap-reg", caps->vendor.vtd.cap_reg);
        json_object_set_int_member(o, "ecap-reg", caps->vendor.vtd.ecap_reg);
    } else if (caps->type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        JsonArray *idr = json_array_new();

        for (int i = 0; i < 6; i++) {
            json_array_add_int_element(idr, caps->vendor.smmuv3.idr[i]);
        }
        json_object_set_int_member(o, "flags", caps->vendor.smmuv3.flags);
        json_object_set_array_member(o, "idr", idr);
        json_object_set_int_member(o, "iidr", caps->vendor.smmuv3.iidr);
        json_object_set_int_member(o, "aidr", caps->vendor.smmuv3.aidr);
    }
    return qmp_return_object(o);
}

static JsonObject *vfio_hiod_json(const HostIOMMUDevice *hiod)
{
    const HostIOMMUDeviceCaps *caps = &hiod->caps;
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "type", host_iommu_type_name(caps->type));
    json_object_set_int_member(o, "type-id", caps->type);
    json_object_set_int_member(o, "out-capabilities", caps->hw_caps);
    json_object_set_int_member(o, "max-pasid-log2", caps->max_pasid_log2);
    json_object_set_int_member(o, "iommu-pasid-width",
                               host_iommu_device_iommu_pasid_width(hiod));
    json_object_set_member(o, "vendor", vfio_vendor_json(caps));
    return o;
}

static JsonObject *vfio_device_json(VFIOPCIDevice *vdev)
{
    DeviceState *dev = DEVICE(vdev);
    JsonObject *o = json_object_new();
    g_autofree char *path = object_get_canonical_path(OBJECT(dev));
    g_autofree char *bdf = pci_device_bdf(&vdev->pdev);

    if (dev->id) {
        json_object_set_string_member(o, "id", dev->id);
    }
    json_object_set_string_member(o, "qom-path", path);
    json_object_set_string_member(o, "host", vdev->vbasedev.name);
    json_object_set_string_member(o, "guest-bdf", bdf);
    json_object_set_string_member(o, "iommufd",
                                  vdev->iommufd_link->name ?
                                  vdev->iommufd_link->name : "");
    json_object_set_int_member(o, "devid", vdev->vbasedev.devid);
    json_object_set_int_member(o, "pasid-cap", vdev->pasid_cap);
    json_object_set_boolean_member(o, "viommu",
                                   pci_device_has_iommu(&vdev->pdev));
    json_object_set_object_member(o, "host-iommu", vfio_hiod_json(&vdev->hiod));
    json_object_set_int_member(o, "hw-info-calls", vdev->hiod.hw_info_calls);
    return o;
}

static JsonNode *qmp_x_query_vfio(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) devs = vfio_devices();
    JsonArray *list = json_array_new();

    for (guint i = 0; i < devs->len; i++) {
        json_array_add_object_element(list,
                                      vfio_device_json(devs->pdata[i]));
    }
    return qmp_return_array(list);
}

static char *hmp_info_vfio(Error **errp)
{
    g_autoptr(GPtrArray) devs = vfio_devices();
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < devs->len; i++) {
        VFIOPCIDevice *vdev = devs->pdata[i];
        const HostIOMMUDeviceCaps *caps = &vdev->hiod.caps;
        g_autofree char *bdf = pci_device_bdf(&vdev->pdev);
        g_autofree char *cap = vdev->pasid_cap
            ? g_strdup_printf("at 0x%x", vdev->pasid_cap) : g_strdup("none");

        g_string_append_printf(out, "%s: host %s at %s, iommu %s, "
                               "caps 0x%" PRIx64 ", max_pasid_log2 %u, "
                               "PASID cap %s, GET_HW_INFO calls %u\n",
                               DEVICE(vdev)->id ? DEVICE(vdev)->id : "(anon)",
                               vdev->vbasedev.name, bdf,
                               host_iommu_type_name(caps->type),
                               (uint64_t)caps->hw_caps, caps->max_pasid_log2,
                               cap, vdev->hiod.hw_info_calls);
    }
    if (!devs->len) {
        g_string_append(out, "No VFIO devices\n");
    }
    return g_string_free(out, false);
}

void vfio_monitor_register(void)
{
    qmp_register_command("x-query-vfio", qmp_x_query_vfio);
    hmp_register_info("vfio", "show assigned VFIO devices and their host "
                      "IOMMU info", hmp_info_vfio);
}

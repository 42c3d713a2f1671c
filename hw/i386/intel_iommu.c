/*
 * intel-iommu: the device, its properties, realize-time validation and
 * the capabilities it advertises.
 *
 * Registers live in intel_iommu_regs.c, the host device checks in
 * intel_iommu_host.c, the monitor commands in intel_iommu_monitor.c.
 * CAP/ECAP follow current upstream QEMU bit for bit for the properties
 * QEMU has (tests/qtest/intel-iommu-test.c holds the reference values).
 */
#include "intel_iommu_internal.h"

#include <stddef.h>
#include <string.h>
#include "intel_iommu_nested.h"

/* "pasid": 0..20 or "auto", stored as an int32 with -1 for auto. */

static bool vtd_pasid_parse(Object *obj, const Property *prop,
                            const char *str, Error **errp)
{
    int32_t *p = (int32_t *)((char *)obj + prop->offset);
    uint64_t v;

    if (!strcmp(str, "auto")) {
        *p = VTD_PASID_AUTO;
        return true;
    }
    if (!parse_uint64(str, &v) || v > VTD_PASID_MAX_WIDTH) {
        error_setg(errp, "Parameter '%s' expects 0 to %d or 'auto'",
                   prop->name, VTD_PASID_MAX_WIDTH);
        return false;
    }
    *p = (int32_t)v;
    return true;
}

static JsonNode *vtd_pasid_get(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    if (v == VTD_PASID_AUTO) {
        return json_node_init_string(json_node_alloc(), "auto");
    }
    return json_node_init_int(json_node_alloc(), v);
}

static char *vtd_pasid_print(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    return v == VTD_PASID_AUTO ? g_strdup("auto") : g_strdup_printf("%d", v);
}

static void vtd_pasid_set_default(Object *obj, const Property *prop)
{
    *(int32_t *)((char *)obj + prop->offset) = (int32_t)prop->defval;
}

static const PropertyInfo vtd_prop_info_pasid = {
    .type = "pasid-width",
    .parse = vtd_pasid_parse,
    .get = vtd_pasid_get,
    .print = vtd_pasid_print,
    .set_default = vtd_pasid_set_default,
};

static const Property vtd_properties[] = {
    DEFINE_PROP_BOOL("x-scalable-mode", IntelIOMMUState, scalable_mode,
                     false),
    DEFINE_PROP_BOOL("x-pasid-mode", IntelIOMMUState, x_pasid_mode, false),
    { .name = "pasid", .info = &vtd_prop_info_pasid,
      .offset = PROP_FIELD(IntelIOMMUState, pasid, int32_t), .defval = 0,
      .description = "PASID width: 0 (none), 1-20 bits, or auto" },
    { .name = "pasid-bits", .info = &vtd_prop_info_pasid,
      .offset = PROP_FIELD(IntelIOMMUState, pasid, int32_t), .defval = 0,
      .description = "upstream's coming name for pasid" },
    DEFINE_PROP_BOOL("caching-mode", IntelIOMMUState, caching_mode, false),
    DEFINE_PROP_UINT8("aw-bits", IntelIOMMUState, aw_bits,
                      VTD_HOST_AW_48BIT),
    DEFINE_PROP_BOOL("x-flts", IntelIOMMUState, flts, false),
    DEFINE_PROP_BOOL("fs1gp", IntelIOMMUState, fs1gp, true),
    DEFINE_PROP_BOOL("dma-drain", IntelIOMMUState, dma_drain, true),
    DEFINE_PROP_BOOL("dma-translation", IntelIOMMUState, dma_translation,
                     true),
    DEFINE_PROP_BOOL("snoop-control", IntelIOMMUState, snoop_control, false),
    DEFINE_PROP_BOOL("device-iotlb", IntelIOMMUState, device_iotlb, false),
    DEFINE_PROP_BOOL("pt", IntelIOMMUState, pt, true),
    DEFINE_PROP_BOOL("svm", IntelIOMMUState, svm, false),
    DEFINE_PROP_BOOL("stale-tm", IntelIOMMUState, stale_tm, false),
    DEFINE_PROP_ON_OFF_AUTO("intremap", IntelIOMMUState, intremap,
                            ON_OFF_AUTO_AUTO),
    DEFINE_PROP_ON_OFF_AUTO("eim", IntelIOMMUState, eim, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_END_OF_LIST(),
};

void vtd_cap_init(IntelIOMMUState *s)
{
    s->cap = VTD_CAP_FRO | VTD_CAP_NFR | VTD_CAP_ND | VTD_CAP_MAMV |
             VTD_CAP_PSI | VTD_CAP_SSLPS | VTD_CAP_ESRTPS |
             VTD_CAP_MGAW(s->aw_bits);
    if (s->dma_drain) {
        s->cap |= VTD_CAP_DRD | VTD_CAP_DWD;
    }
    if (s->dma_translation) {
        s->cap |= s->aw_bits >= VTD_HOST_AW_39BIT ? VTD_CAP_SAGAW_39BIT : 0;
        s->cap |= s->aw_bits >= VTD_HOST_AW_48BIT ? VTD_CAP_SAGAW_48BIT : 0;
    }
    if (s->caching_mode) {
        s->cap |= VTD_CAP_CM;
    }

    s->ecap = VTD_ECAP_QI | VTD_ECAP_IRO;
    if (s->intr_enabled) {
        s->ecap |= VTD_ECAP_IR | VTD_ECAP_MHMV;
        s->ecap |= s->eim_enabled ? VTD_ECAP_EIM : 0;
    }
    s->ecap |= s->device_iotlb ? VTD_ECAP_DT : 0;
    s->ecap |= s->pt ? VTD_ECAP_PT : 0;
    /* First-stage translation replaces the second-stage scalable bits. */
    if (s->flts) {
        s->ecap |= VTD_ECAP_SMTS | VTD_ECAP_FLTS;
        s->cap |= s->fs1gp ? VTD_CAP_FS1GP : 0;
    } else if (s->scalable_mode) {
        s->ecap |= VTD_ECAP_SMTS | VTD_ECAP_SRS | VTD_ECAP_SLTS;
    }
    s->ecap |= s->snoop_control ? VTD_ECAP_SC : 0;
    if (s->host.width) {
        s->ecap |= VTD_ECAP_PASID | VTD_ECAP_PSS(s->host.width);
    }
    if (s->svm) {
        s->ecap |= VTD_ECAP_PRS | VTD_ECAP_PDS | VTD_ECAP_NWFS;
    }
}

uint64_t intel_iommu_get_cap(const IntelIOMMUState *s)
{
    return s->cap;
}

uint64_t intel_iommu_get_ecap(const IntelIOMMUState *s)
{
    return s->ecap;
}

static bool vtd_decide_intr(IntelIOMMUState *s, Error **errp)
{
    /* Without an in-kernel irqchip, auto means on (as QEMU under TCG). */
    s->intr_enabled = s->intremap != ON_OFF_AUTO_OFF;
    if (s->eim == ON_OFF_AUTO_ON && !s->intr_enabled) {
        error_setg(errp, "eim=on cannot be selected without intremap=on");
        return false;
    }
    s->eim_enabled = s->eim == ON_OFF_AUTO_ON;
    return true;
}

static bool vtd_decide_aw_bits(IntelIOMMUState *s, Error **errp)
{
    if (!s->scalable_mode && s->flts) {
        error_setg(errp, "x-flts is only available in scalable mode");
        return false;
    }
    if (!s->flts && s->aw_bits != VTD_HOST_AW_39BIT &&
        s->aw_bits != VTD_HOST_AW_48BIT) {
        error_setg(errp, "%s: supported values for aw-bits are: %d, %d",
                   s->scalable_mode ? "Scalable mode(flts=off)"
                                    : "Legacy mode",
                   VTD_HOST_AW_39BIT, VTD_HOST_AW_48BIT);
        return false;
    }
    if (s->flts && s->aw_bits != VTD_HOST_AW_48BIT) {
        error_setg(errp, "Scalable mode(x-flts=on): supported value for "
                   "aw-bits is: %d", VTD_HOST_AW_48BIT);
        return false;
    }
    if (s->scalable_mode && !s->dma_drain) {
        error_setg(errp, "Need to set dma_drain for scalable mode");
        return false;
    }
    return true;
}

static bool vtd_decide_pasid(IntelIOMMUState *s, Error **errp)
{
    int32_t width = s->pasid;

    if (s->x_pasid_mode) {
        if (width != 0 && width != VTD_PASID_LEGACY_WIDTH) {
            g_autofree char *v = width == VTD_PASID_AUTO
                                 ? g_strdup("auto")
                                 : g_strdup_printf("%d", width);

            error_setg(errp, "x-pasid-mode=on means pasid=%d, which "
                       "conflicts with pasid=%s", VTD_PASID_LEGACY_WIDTH, v);
            return false;
        }
        width = VTD_PASID_LEGACY_WIDTH;
    }
    if (width != 0 && !s->scalable_mode) {
        error_setg(errp, "Need to set scalable mode for PASID");
        return false;
    }
    viommu_host_width_init(&s->host, width == VTD_PASID_AUTO,
                           (uint8_t)width);
    return true;
}

static bool vtd_decide_svm(IntelIOMMUState *s, Error **errp)
{
    if (!s->svm) {
        return true;
    }
    if (!s->device_iotlb) {
        error_setg(errp, "Need to set device IOTLB for svm");
        return false;
    }
    if (!s->flts) {
        error_setg(errp, "Need to set flts for svm");
        return false;
    }
    if (!s->dma_translation) {
        error_setg(errp, "Need to set dma-translation for svm");
        return false;
    }
    if (!s->host.width_auto && !s->host.width) {
        error_setg(errp, "Need to set PASID support for svm");
        return false;
    }
    return true;
}

/* QEMU's checks, in QEMU's order, so the first message is the same. */
static bool vtd_decide_config(IntelIOMMUState *s, Error **errp)
{
    return vtd_decide_intr(s, errp) && vtd_decide_aw_bits(s, errp) &&
           vtd_decide_pasid(s, errp) && vtd_decide_svm(s, errp);
}

static void vtd_find_one(DeviceState *dev, void *opaque)
{
    IntelIOMMUState **found = opaque;

    if (!*found && dev->realized &&
        object_dynamic_cast(OBJECT(dev), TYPE_INTEL_IOMMU_DEVICE)) {
        *found = INTEL_IOMMU_DEVICE(dev);
    }
}

IntelIOMMUState *intel_iommu_find(void)
{
    IntelIOMMUState *found = NULL;

    if (qdev_get_machine()) {
        qdev_foreach(vtd_find_one, &found);
    }
    return found;
}

static bool vtd_check_machine(MachineState *ms, Error **errp)
{
    MachineClass *mc = ms ? MACHINE_GET_CLASS(ms) : NULL;

    if (!mc || strcmp(mc->name, "q35") || !ms->pci_root) {
        error_setg(errp, "intel-iommu is only supported on the q35 machine");
        return false;
    }
    if (intel_iommu_find()) {
        error_setg(errp, "QEMU does not support multiple vIOMMUs for x86 "
                   "yet.");
        return false;
    }
    return true;
}

static bool vtd_realize(DeviceState *dev, Error **errp)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(dev);
    MachineState *ms = qdev_get_machine();

    if (!vtd_check_machine(ms, errp) || !vtd_decide_config(s, errp)) {
        return false;
    }
    vtd_cap_init(s);
    vtd_regs_reset(s);
    memory_region_init_io(&s->mmio, "intel-iommu", Q35_HOST_BRIDGE_IOMMU_ADDR,
                          VTD_MMIO_SIZE, &vtd_mmio_ops, s);
    address_space_add_region(&ms->memory, &s->mmio);
    viommu_host_attach(&s->host, ms->pci_root);
    return true;
}

static void vtd_unrealize(DeviceState *dev)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(dev);
    MachineState *ms = qdev_get_machine();

    /* What the guest made on the host goes before the devices. */
    vtd_nest_reset(s);
    viommu_host_detach(&s->host);
    if (ms) {
        address_space_del_region(&ms->memory, &s->mmio);
    }
}

static void vtd_reset(DeviceState *dev)
{
    /* The PASID width survives: it is configuration. */
    vtd_nest_reset(INTEL_IOMMU_DEVICE(dev));
    vtd_regs_reset(INTEL_IOMMU_DEVICE(dev));
}

static void vtd_instance_init(Object *obj)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(obj);

    viommu_host_init(&s->host, DEVICE(s), &vtd_host_ops);
}

static void vtd_instance_finalize(Object *obj)
{
    IntelIOMMUState *s = INTEL_IOMMU_DEVICE(obj);

    vtd_nest_free(s);
    viommu_host_finalize(&s->host);
}

static void vtd_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->desc = "Intel IOMMU (VT-d) DMA Remapping device";
    oc->user_creatable = true;
    dc->bus_type = NULL;
    dc->hotpluggable = false;
    dc->realize_order = DEVICE_REALIZE_VIOMMU;
    dc->category = "Misc";
    dc->realize = vtd_realize;
    dc->unrealize = vtd_unrealize;
    dc->reset = vtd_reset;
    device_class_set_props(dc, vtd_properties);
}

static const TypeInfo vtd_info = {
    .name = TYPE_INTEL_IOMMU_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(IntelIOMMUState),
    .class_size = sizeof(DeviceClass),
    .class_init = vtd_class_init,
    .instance_init = vtd_instance_init,
    .instance_finalize = vtd_instance_finalize,
};

void intel_iommu_register_types(void)
{
    type_register(&vtd_info);
}

/*
 * arm-smmuv3: the device, its properties, realize-time validation and
 * the ID registers it advertises.
 *
 * The register frame lives in smmuv3-regs.c, the host device checks of
 * accel=on in smmuv3-accel.c, the monitor commands in smmuv3-monitor.c.
 * IDR0..IDR5, IIDR and AIDR read as QEMU's emulated SMMUv3 (stage 1,
 * AArch64 tables, 16-bit ASIDs, VMIDs and StreamIDs, 2-level stream
 * tables, range invalidation, 4K/16K/64K granules, 44-bit OAS), with
 * accel=on's ats, ril, oas and ssidsize applied on top, as QEMU applies
 * them, and IDR0.CD2L with more than 10 SubstreamID bits (DESIGN §7).
 */
#include "smmuv3-internal.h"

#include <stddef.h>
#include <string.h>

/*
 * "ssidsize" and "oas": 0..255 as given (checked at realize, as QEMU) or
 * "auto", stored as an int32 with SMMU_PROP_AUTO for auto.
 */

static bool smmu_auto_parse(Object *obj, const Property *prop,
                            const char *str, unsigned shown_max,
                            Error **errp)
{
    int32_t *p = (int32_t *)((char *)obj + prop->offset);
    uint64_t v;

    if (!strcmp(str, "auto")) {
        *p = SMMU_PROP_AUTO;
        return true;
    }
    if (!parse_uint64(str, &v) || v > UINT8_MAX) {
        error_setg(errp, "Parameter '%s' expects 0 to %u or 'auto'",
                   prop->name, shown_max);
        return false;
    }
    *p = (int32_t)v;
    return true;
}

static bool smmu_ssidsize_parse(Object *obj, const Property *prop,
                                const char *str, Error **errp)
{
    return smmu_auto_parse(obj, prop, str, SMMU_SSID_MAX_BITS, errp);
}

static bool smmu_oas_parse(Object *obj, const Property *prop,
                           const char *str, Error **errp)
{
    return smmu_auto_parse(obj, prop, str, SMMU_OAS_48BIT, errp);
}

static JsonNode *smmu_ssidsize_get(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    if (v == SMMU_PROP_AUTO) {
        return json_node_init_string(json_node_alloc(), "auto");
    }
    return json_node_init_int(json_node_alloc(), v);
}

static char *smmu_ssidsize_print(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    return v == SMMU_PROP_AUTO ? g_strdup("auto")
                                   : g_strdup_printf("%d", v);
}

static void smmu_ssidsize_set_default(Object *obj, const Property *prop)
{
    *(int32_t *)((char *)obj + prop->offset) = (int32_t)prop->defval;
}

static const PropertyInfo smmu_prop_info_ssidsize = {
    .type = "ssidsize",
    .parse = smmu_ssidsize_parse,
    .get = smmu_ssidsize_get,
    .print = smmu_ssidsize_print,
    .set_default = smmu_ssidsize_set_default,
};

static const PropertyInfo smmu_prop_info_oas = {
    .type = "oas",
    .parse = smmu_oas_parse,
    .get = smmu_ssidsize_get,
    .print = smmu_ssidsize_print,
    .set_default = smmu_ssidsize_set_default,
};

static const Property smmuv3_properties[] = {
    { .name = "primary-bus", .info = &prop_info_string,
      .offset = PROP_FIELD(SMMUv3State, primary_bus, char *),
      .description = "the PCI root bus this SMMUv3 serves (pcie.0)" },
    DEFINE_PROP_BOOL("accel", SMMUv3State, accel, false),
    { .name = "ssidsize", .info = &smmu_prop_info_ssidsize,
      .offset = PROP_FIELD(SMMUv3State, ssidsize, int32_t), .defval = 0,
      .description = "SubstreamID (PASID) bits: 0 (none), 1-20, or auto "
                     "(accel=on)" },
    DEFINE_PROP_ON_OFF_AUTO("ril", SMMUv3State, ril, ON_OFF_AUTO_ON),
    DEFINE_PROP_ON_OFF_AUTO("ats", SMMUv3State, ats, ON_OFF_AUTO_OFF),
    { .name = "oas", .info = &smmu_prop_info_oas,
      .offset = PROP_FIELD(SMMUv3State, oas, int32_t),
      .defval = SMMU_OAS_44BIT,
      .description = "output address size in bits: 44, 48 or auto "
                     "(accel=on)" },
    DEFINE_PROP_END_OF_LIST(),
};

void smmuv3_idr_init(SMMUv3State *s)
{
    uint32_t *idr = s->idr;

    memset(s->idr, 0, sizeof(s->idr));
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_S1P, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_TTF, 2);        /* AArch64 */
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_COHACC, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_ASID16, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_VMID16, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_CD2L, s->adv.cd2l);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_TTENDIAN, 2);   /* little */
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_STALL_MODEL, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_TERM_MODEL, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_STLEVEL, 1);    /* 2-level */
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_ATS, s->adv.ats);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_SIDSIZE, SMMU_IDR1_SIDSIZE_VAL);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_SSIDSIZE, s->host.width);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_EVENTQS, SMMU_QUEUE_LOG2SIZE);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_CMDQS, SMMU_QUEUE_LOG2SIZE);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_HAD, 1);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_RIL, s->adv.ril);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_BBML, 2);
    idr[5] = SMMU_FIELD_SET(idr[5], SMMU_IDR5_OAS,
                            smmu_oas_encode(s->adv.oas));
    idr[5] = SMMU_FIELD_SET(idr[5], SMMU_IDR5_GRAN4K, 1);
    idr[5] = SMMU_FIELD_SET(idr[5], SMMU_IDR5_GRAN16K, 1);
    idr[5] = SMMU_FIELD_SET(idr[5], SMMU_IDR5_GRAN64K, 1);
    s->iidr = 0;
    s->aidr = SMMU_AIDR_V3_1;
}

/* QEMU's checks, in QEMU's order, so the first message is the same. */
static bool smmuv3_validate_properties(SMMUv3State *s, Error **errp)
{
    if (!s->accel) {
        if (s->ril != ON_OFF_AUTO_ON) {
            error_setg(errp, "ril can only be disabled if accel=on");
            return false;
        }
        if (s->ats != ON_OFF_AUTO_OFF) {
            error_setg(errp, "ats can only be enabled if accel=on");
            return false;
        }
        if (s->oas != SMMU_OAS_44BIT) {
            error_setg(errp, "OAS must be 44 bits when accel=off");
            return false;
        }
        if (s->ssidsize) {
            error_setg(errp, "ssidsize can only be set if accel=on");
            return false;
        }
        return true;
    }
    if (s->oas != SMMU_OAS_44BIT && s->oas != SMMU_OAS_48BIT &&
        s->oas != SMMU_PROP_AUTO) {
        error_setg(errp, "OAS can only be set to 44 or 48 bits");
        return false;
    }
    if (s->ssidsize > SMMU_SSID_MAX_BITS) {
        error_setg(errp, "ssidsize must be in the range 0 to %d",
                   SMMU_SSID_MAX_BITS);
        return false;
    }
    return true;
}

/*
 * What the properties fix at realize; an "auto" one starts from what
 * QEMU advertises by default until machine-init-done resolves it.
 */
static void smmuv3_decide_advertised(SMMUv3State *s)
{
    VIOMMUHostDevices *h = &s->host;

    viommu_host_width_init(h, s->ssidsize == SMMU_PROP_AUTO,
                           (uint8_t)MAX(s->ssidsize, 0));
    h->has_auto |= s->ril == ON_OFF_AUTO_AUTO || s->ats == ON_OFF_AUTO_AUTO ||
                   s->oas == SMMU_PROP_AUTO;
    s->adv.ril = s->ril != ON_OFF_AUTO_OFF;
    s->adv.ats = s->ats == ON_OFF_AUTO_ON;
    s->adv.oas = s->oas == SMMU_PROP_AUTO ? SMMU_OAS_44BIT : s->oas;
    s->adv.cd2l = h->width > SMMU_CD_LINEAR_MAX_BITS;
}

static void smmuv3_find_one(DeviceState *dev, void *opaque)
{
    SMMUv3State **found = opaque;

    if (!*found && dev->realized &&
        object_dynamic_cast(OBJECT(dev), TYPE_ARM_SMMUV3)) {
        *found = ARM_SMMUV3(dev);
    }
}

SMMUv3State *smmuv3_find(void)
{
    SMMUv3State *found = NULL;

    if (qdev_get_machine()) {
        qdev_foreach(smmuv3_find_one, &found);
    }
    return found;
}

/* virt only, one per root bus: pcie.0 or a pxb-pcie's bus. */
static bool smmuv3_check_bus(SMMUv3State *s, MachineState *ms, Error **errp)
{
    BusState *qbus;
    PCIBus *bus;

    if (!virt_machine_is(ms) || !ms->pci_root) {
        error_setg(errp, "Option '-device %s' cannot be handled by this "
                   "machine", TYPE_ARM_SMMUV3);
        return false;
    }
    if (!s->primary_bus) {
        error_setg(errp, "SMMU is not attached to any PCI bus!");
        return false;
    }
    qbus = qbus_find(s->primary_bus);
    if (!qbus || strcmp(qbus->type, TYPE_PCIE_BUS)) {
        error_setg(errp, "primary-bus '%s' is not a PCI bus", s->primary_bus);
        return false;
    }
    bus = (PCIBus *)qbus;
    if (!pci_bus_is_root(bus)) {
        error_setg(errp, "primary-bus '%s' is not supported: arm-smmuv3 "
                   "serves a root bus (pcie.0 or a pxb-pcie bus)",
                   s->primary_bus);
        return false;
    }
    if (bus->iommu_ops) {
        error_setg(errp, "primary-bus '%s' already has a vIOMMU",
                   s->primary_bus);
        return false;
    }
    s->bus = bus;
    return true;
}

/* The first vSMMU at QEMU's fixed base, the others on the platform bus. */
static hwaddr smmuv3_mmio_base(MachineState *ms)
{
    unsigned n = 0;

    for (guint i = 0; i < ms->viommus->len; i++) {
        VIOMMUHostDevices *h = g_ptr_array_index(ms->viommus, i);

        n += h->ops == &smmuv3_host_ops;
    }
    return n ? VIRT_PLATFORM_BUS_BASE + (n - 1) * VIRT_SMMU_SIZE
             : VIRT_SMMU_BASE;
}

static bool smmuv3_realize(DeviceState *dev, Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(dev);
    MachineState *ms = qdev_get_machine();

    if (!smmuv3_check_bus(s, ms, errp) ||
        !smmuv3_validate_properties(s, errp)) {
        return false;
    }
    s->mmio_base = smmuv3_mmio_base(ms);
    if (s->mmio_base + VIRT_SMMU_SIZE >
        VIRT_PLATFORM_BUS_BASE + VIRT_PLATFORM_BUS_SIZE) {
        error_setg(errp, "no room left for another arm-smmuv3 on the "
                   "platform bus");
        return false;
    }
    smmuv3_decide_advertised(s);
    smmuv3_idr_init(s);
    smmuv3_regs_reset(s);
    memory_region_init_io(&s->mmio, "smmuv3", s->mmio_base, VIRT_SMMU_SIZE,
                          &smmuv3_mmio_ops, s);
    address_space_add_region(&ms->memory, &s->mmio);
    viommu_host_attach(&s->host, s->bus);
    return true;
}

static void smmuv3_unrealize(DeviceState *dev)
{
    SMMUv3State *s = ARM_SMMUV3(dev);
    MachineState *ms = qdev_get_machine();

    smmuv3_nest_reset(s);
    viommu_host_detach(&s->host);
    if (ms) {
        address_space_del_region(&ms->memory, &s->mmio);
    }
    s->bus = NULL;
}

static void smmuv3_reset(DeviceState *dev)
{
    /* What it advertises survives: it is configuration. */
    smmuv3_nest_reset(ARM_SMMUV3(dev));
    smmuv3_regs_reset(ARM_SMMUV3(dev));
}

static void smmuv3_instance_init(Object *obj)
{
    SMMUv3State *s = ARM_SMMUV3(obj);

    viommu_host_init(&s->host, DEVICE(s), &smmuv3_host_ops);
}

static void smmuv3_instance_finalize(Object *obj)
{
    smmuv3_nest_free(ARM_SMMUV3(obj));
    viommu_host_finalize(&ARM_SMMUV3(obj)->host);
}

static void smmuv3_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->desc = "Arm SMMUv3 (virt machine)";
    oc->user_creatable = true;
    dc->bus_type = NULL;
    dc->hotpluggable = false;
    dc->realize_order = DEVICE_REALIZE_VIOMMU;
    dc->category = "Misc";
    dc->realize = smmuv3_realize;
    dc->unrealize = smmuv3_unrealize;
    dc->reset = smmuv3_reset;
    device_class_set_props(dc, smmuv3_properties);
}

static const TypeInfo smmuv3_info = {
    .name = TYPE_ARM_SMMUV3,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(SMMUv3State),
    .class_size = sizeof(DeviceClass),
    .class_init = smmuv3_class_init,
    .instance_init = smmuv3_instance_init,
    .instance_finalize = smmuv3_instance_finalize,
};

void smmuv3_register_types(void)
{
    type_register(&smmuv3_info);
}

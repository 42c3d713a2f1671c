/*
 * arm-smmuv3: the device, its properties, realize-time validation and
 * the ID registers it advertises.
 *
 * The register frame lives in smmuv3-regs.c, the host device checks of
 * accel=on in smmuv3-accel.c, the monitor commands in smmuv3-monitor.c.
 * IDR0..IDR5, IIDR and AIDR read as QEMU's emulated SMMUv3 (stage 1,
 * AArch64 tables, 16-bit ASIDs and StreamIDs, 2-level stream tables,
 * range invalidation, 4K/16K/64K granules, 44-bit OAS), with accel=on's
 * ats, ril, oas and ssidsize applied on top, as QEMU applies them.
 */
#include "smmuv3-internal.h"

#include <stddef.h>
#include <string.h>

/* "ssidsize": 0..255 as given (checked at realize, as QEMU) or "auto". */

static bool smmu_ssidsize_parse(Object *obj, const Property *prop,
                                const char *str, Error **errp)
{
    int32_t *p = (int32_t *)((char *)obj + prop->offset);
    uint64_t v;

    if (!strcmp(str, "auto")) {
        *p = SMMU_SSIDSIZE_AUTO;
        return true;
    }
    if (!parse_uint64(str, &v) || v > UINT8_MAX) {
        error_setg(errp, "Parameter '%s' expects 0 to %d or 'auto'",
                   prop->name, SMMU_SSID_MAX_BITS);
        return false;
    }
    *p = (int32_t)v;
    return true;
}

static JsonNode *smmu_ssidsize_get(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    if (v == SMMU_SSIDSIZE_AUTO) {
        return json_node_init_string(json_node_alloc(), "auto");
    }
    return json_node_init_int(json_node_alloc(), v);
}

static char *smmu_ssidsize_print(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    return v == SMMU_SSIDSIZE_AUTO ? g_strdup("auto")
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

static const Property smmuv3_properties[] = {
    { .name = "primary-bus", .info = &prop_info_string,
      .offset = PROP_FIELD(SMMUv3State, primary_bus, char *),
      .description = "the PCI root bus this SMMUv3 serves (pcie.0)" },
    DEFINE_PROP_BOOL("accel", SMMUv3State, accel, false),
    { .name = "ssidsize", .info = &smmu_prop_info_ssidsize,
      .offset = PROP_FIELD(SMMUv3State, ssidsize, int32_t), .defval = 0,
      .description = "SubstreamID (PASID) bits: 0 (none), 1-20, or auto "
                     "(accel=on)" },
    DEFINE_PROP_BOOL("ril", SMMUv3State, ril, true),
    DEFINE_PROP_BOOL("ats", SMMUv3State, ats, false),
    DEFINE_PROP_UINT8("oas", SMMUv3State, oas, SMMU_OAS_44BIT),
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
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_TTENDIAN, 2);   /* little */
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_STALL_MODEL, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_TERM_MODEL, 1);
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_STLEVEL, 1);    /* 2-level */
    idr[0] = SMMU_FIELD_SET(idr[0], SMMU_IDR0_ATS, s->ats);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_SIDSIZE, SMMU_IDR1_SIDSIZE_VAL);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_SSIDSIZE, s->host.width);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_EVENTQS, SMMU_QUEUE_LOG2SIZE);
    idr[1] = SMMU_FIELD_SET(idr[1], SMMU_IDR1_CMDQS, SMMU_QUEUE_LOG2SIZE);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_HAD, 1);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_RIL, s->ril);
    idr[3] = SMMU_FIELD_SET(idr[3], SMMU_IDR3_BBML, 2);
    idr[5] = SMMU_FIELD_SET(idr[5], SMMU_IDR5_OAS,
                            s->oas == SMMU_OAS_48BIT ? SMMU_IDR5_OAS_48
                                                     : SMMU_IDR5_OAS_44);
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
        if (!s->ril) {
            error_setg(errp, "ril can only be disabled if accel=on");
            return false;
        }
        if (s->ats) {
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
    if (s->oas != SMMU_OAS_44BIT && s->oas != SMMU_OAS_48BIT) {
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

/* virt only, one per bus, and that bus is the machine's pcie.0. */
static bool smmuv3_check_bus(SMMUv3State *s, MachineState *ms, Error **errp)
{
    BusState *qbus;

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
    if ((PCIBus *)qbus != ms->pci_root) {
        error_setg(errp, "primary-bus '%s' is not supported: arm-smmuv3 "
                   "serves the root bus pcie.0 only", s->primary_bus);
        return false;
    }
    if (ms->pci_root->iommu_ops) {
        error_setg(errp, "primary-bus '%s' already has a vIOMMU",
                   s->primary_bus);
        return false;
    }
    s->bus = ms->pci_root;
    return true;
}

static bool smmuv3_init_done_notify(Notifier *n, Error **errp)
{
    SMMUv3State *s = (SMMUv3State *)
        ((char *)n - offsetof(SMMUv3State, init_done));

    return viommu_host_init_done(&s->host, errp);
}

static bool smmuv3_realize(DeviceState *dev, Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(dev);
    MachineState *ms = qdev_get_machine();

    if (!smmuv3_check_bus(s, ms, errp) ||
        !smmuv3_validate_properties(s, errp)) {
        return false;
    }
    viommu_host_width_init(&s->host, s->ssidsize == SMMU_SSIDSIZE_AUTO,
                           (uint8_t)s->ssidsize);
    smmuv3_idr_init(s);
    smmuv3_regs_reset(s);
    memory_region_init_io(&s->mmio, "smmuv3", VIRT_SMMU_BASE, VIRT_SMMU_SIZE,
                          &smmuv3_mmio_ops, s);
    address_space_add_region(&ms->memory, &s->mmio);
    pci_setup_iommu(s->bus, &viommu_host_iommu_ops, &s->host);
    s->init_done.notify = smmuv3_init_done_notify;
    machine_add_init_done_notifier(&s->init_done);
    s->init_done_registered = true;
    return true;
}

static void smmuv3_unrealize(DeviceState *dev)
{
    SMMUv3State *s = ARM_SMMUV3(dev);
    MachineState *ms = qdev_get_machine();

    if (s->init_done_registered) {
        machine_remove_init_done_notifier(&s->init_done);
        s->init_done_registered = false;
    }
    if (s->bus && s->bus->iommu_opaque == &s->host) {
        pci_setup_iommu(s->bus, NULL, NULL);
    }
    if (ms) {
        address_space_del_region(&ms->memory, &s->mmio);
    }
    s->bus = NULL;
    smmuv3_host_devices_free(s);
}

static void smmuv3_reset(DeviceState *dev)
{
    /* The SSID width and the host view survive: they are configuration. */
    smmuv3_regs_reset(ARM_SMMUV3(dev));
}

static void smmuv3_instance_init(Object *obj)
{
    SMMUv3State *s = ARM_SMMUV3(obj);

    viommu_host_init(&s->host, DEVICE(s), &smmuv3_host_ops);
}

static void smmuv3_instance_finalize(Object *obj)
{
    SMMUv3State *s = ARM_SMMUV3(obj);

    smmuv3_host_devices_free(s);
    viommu_host_finalize(&s->host);
}

static void smmuv3_class_init(ObjectClass *oc)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->desc = "Arm SMMUv3 (virt machine)";
    oc->user_creatable = true;
    dc->bus_type = NULL;
    dc->hotpluggable = false;
    dc->realize_first = true;
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

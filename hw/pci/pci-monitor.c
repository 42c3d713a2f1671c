/*
 * Monitor commands for PCI: QMP query-pci (QEMU's schema), QMP
 * x-query-pci-config (the lspci dump) and HMP "info pci" (QEMU's text).
 */
#include "hw/pci/pci-dump.h"
#include "hw/pci/pci_bridge.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"

static PCIBus *pci_monitor_root(Error **errp)
{
    MachineState *ms = qdev_get_machine();

    if (!ms || !ms->pci_root) {
        error_setg(errp, "No PCI bus available");
        return NULL;
    }
    return ms->pci_root;
}

static void add_range(JsonBuilder *b, const char *name, uint64_t base,
                      uint64_t limit)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "base");
    json_builder_add_int_value(b, base);
    json_builder_set_member_name(b, "limit");
    json_builder_add_int_value(b, limit);
    json_builder_end_object(b);
}

static void add_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static void add_devices(JsonBuilder *b, PCIBus *root, PCIBus *bus);

static void add_bridge(JsonBuilder *b, PCIBus *root, PCIDevice *d)
{
    const uint8_t *c = d->config;

    json_builder_set_member_name(b, "pci_bridge");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "bus");
    json_builder_begin_object(b);
    add_int(b, "number", c[PCI_PRIMARY_BUS]);
    add_int(b, "secondary", c[PCI_SECONDARY_BUS]);
    add_int(b, "subordinate", c[PCI_SUBORDINATE_BUS]);
    add_range(b, "io_range", pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_IO),
              pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_IO));
    add_range(b, "memory_range",
              pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_MEM),
              pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_MEM));
    add_range(b, "prefetchable_range",
              pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_PREF),
              pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_PREF));
    json_builder_end_object(b);
    if (d->sec_bus && c[PCI_SECONDARY_BUS]) {
        json_builder_set_member_name(b, "devices");
        add_devices(b, root, d->sec_bus);
    }
    json_builder_end_object(b);
}

static void add_device(JsonBuilder *b, PCIBus *root, PCIDevice *d,
                       uint8_t bus_num)
{
    const uint8_t *c = d->config;
    uint16_t class_code = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_desc(class_code);
    bool normal = (c[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) ==
                  PCI_HEADER_TYPE_NORMAL;

    json_builder_begin_object(b);
    add_int(b, "bus", bus_num);
    add_int(b, "slot", PCI_SLOT(d->devfn));
    add_int(b, "function", PCI_FUNC(d->devfn));
    json_builder_set_member_name(b, "class_info");
    json_builder_begin_object(b);
    if (desc) {
        json_builder_set_member_name(b, "desc");
        json_builder_add_string_value(b, desc);
    }
    add_int(b, "class", class_code);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_begin_object(b);
    add_int(b, "device", pci_get_word(c + PCI_DEVICE_ID));
    add_int(b, "vendor", pci_get_word(c + PCI_VENDOR_ID));
    if (normal) {
        add_int(b, "subsystem", pci_get_word(c + PCI_SUBSYSTEM_ID));
        add_int(b, "subsystem-vendor",
                pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID));
    }
    json_builder_end_object(b);
    if (c[PCI_INTERRUPT_PIN]) {
        add_int(b, "irq", c[PCI_INTERRUPT_LINE]);
    }
    add_int(b, "irq_pin", c[PCI_INTERRUPT_PIN]);
    json_builder_set_member_name(b, "qdev_id");
    json_builder_add_string_value(b, d->qdev.id ? d->qdev.id : "");
    if (class_code == PCI_CLASS_BRIDGE_PCI) {
        add_bridge(b, root, d);
    }
    json_builder_set_member_name(b, "regions");
    json_builder_begin_array(b);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void add_devices(JsonBuilder *b, PCIBus *root, PCIBus *bus)
{
    uint8_t bus_num = pci_bus_num(bus);

    json_builder_begin_array(b);
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (d && pci_find_device(root, bus_num, devfn) == d) {
            add_device(b, root, d, bus_num);
        }
    }
    json_builder_end_array(b);
}

static void add_root_bus(JsonBuilder *b, PCIBus *root, PCIBus *bus)
{
    json_builder_begin_object(b);
    add_int(b, "bus", pci_bus_num(bus));
    json_builder_set_member_name(b, "devices");
    add_devices(b, root, bus);
    json_builder_end_object(b);
}

JsonNode *qmp_query_pci(JsonObject *args, Error **errp)
{
    PCIBus *root = pci_monitor_root(errp);
    g_autoptr(JsonBuilder) b = NULL;

    if (!root) {
        return NULL;
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    /* One entry per root bus, newest host bridge first, as QEMU lists. */
    for (PCIBus *x = root->extra_roots; x; x = x->next_extra_root) {
        add_root_bus(b, root, x);
    }
    add_root_bus(b, root, root);
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

JsonNode *qmp_x_query_pci_config(JsonObject *args, Error **errp)
{
    PCIBus *root = pci_monitor_root(errp);
    g_autofree char *text = NULL;
    JsonObject *obj;
    JsonNode *node;

    if (!root) {
        return NULL;
    }
    text = pci_dump_lspci(root);
    obj = json_object_new();
    json_object_set_string_member(obj, "human-readable-text", text);
    node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, obj);
    return node;
}

/* ---- HMP ---- */

static void hmp_pci_device(GString *out, PCIDevice *d, uint8_t bus_num,
                           PCIBus *root);

static void hmp_pci_bridge(GString *out, PCIDevice *d, PCIBus *root)
{
    const uint8_t *c = d->config;

    g_string_append_printf(out, "      BUS %d.\n", c[PCI_PRIMARY_BUS]);
    g_string_append_printf(out, "      secondary bus %d.\n",
                           c[PCI_SECONDARY_BUS]);
    g_string_append_printf(out, "      subordinate bus %d.\n",
                           c[PCI_SUBORDINATE_BUS]);
    g_string_append_printf(out, "      IO range [0x%04" G_GINT64_MODIFIER
                           "x, 0x%04" G_GINT64_MODIFIER "x]\n",
                           pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_IO),
                           pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_IO));
    g_string_append_printf(out, "      memory range [0x%08" G_GINT64_MODIFIER
                           "x, 0x%08" G_GINT64_MODIFIER "x]\n",
                           pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_MEM),
                           pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_MEM));
    g_string_append_printf(out, "      prefetchable memory range [0x%08"
                           G_GINT64_MODIFIER "x, 0x%08" G_GINT64_MODIFIER
                           "x]\n",
                           pci_bridge_get_base(d, PCI_BRIDGE_WINDOW_PREF),
                           pci_bridge_get_limit(d, PCI_BRIDGE_WINDOW_PREF));
}

static void hmp_pci_bus(GString *out, PCIBus *bus, PCIBus *root)
{
    uint8_t bus_num = pci_bus_num(bus);

    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (d && pci_find_device(root, bus_num, devfn) == d) {
            hmp_pci_device(out, d, bus_num, root);
        }
    }
}

static void hmp_pci_device(GString *out, PCIDevice *d, uint8_t bus_num,
                           PCIBus *root)
{
    const uint8_t *c = d->config;
    uint16_t class_code = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_desc(class_code);

    g_string_append_printf(out, "  Bus %2d, device %3d, function %d:\n",
                           bus_num, PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
    if (desc) {
        g_string_append_printf(out, "    %s", desc);
    } else {
        g_string_append_printf(out, "    Class %04d", class_code);
    }
    g_string_append_printf(out, ": PCI device %04x:%04x\n",
                           pci_get_word(c + PCI_VENDOR_ID),
                           pci_get_word(c + PCI_DEVICE_ID));
    if ((c[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) ==
        PCI_HEADER_TYPE_NORMAL) {
        g_string_append_printf(out, "      PCI subsystem %04x:%04x\n",
                               pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                               pci_get_word(c + PCI_SUBSYSTEM_ID));
    }
    if (c[PCI_INTERRUPT_PIN]) {
        g_string_append_printf(out, "      IRQ %d, pin %c\n",
                               c[PCI_INTERRUPT_LINE],
                               'A' + c[PCI_INTERRUPT_PIN] - 1);
    }
    if (class_code == PCI_CLASS_BRIDGE_PCI) {
        hmp_pci_bridge(out, d, root);
    }
    g_string_append_printf(out, "      id \"%s\"\n",
                           d->qdev.id ? d->qdev.id : "");
    if (class_code == PCI_CLASS_BRIDGE_PCI && d->sec_bus &&
        c[PCI_SECONDARY_BUS]) {
        hmp_pci_bus(out, d->sec_bus, root);
    }
}

char *hmp_info_pci(Error **errp)
{
    PCIBus *root = pci_monitor_root(errp);
    GString *out;

    if (!root) {
        return NULL;
    }
    out = g_string_new(NULL);
    /* query-pci's order: expanders' root buses, newest first, then root. */
    for (PCIBus *x = root->extra_roots; x; x = x->next_extra_root) {
        hmp_pci_bus(out, x, root);
    }
    hmp_pci_bus(out, root, root);
    return g_string_free(out, FALSE);
}

void pci_monitor_register(void)
{
    qmp_register_command("query-pci", qmp_query_pci);
    qmp_register_command("x-query-pci-config", qmp_x_query_pci_config);
    hmp_register_info("pci", "show PCI info", hmp_info_pci);
}

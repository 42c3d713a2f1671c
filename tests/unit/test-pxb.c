/*
 * pxb-pcie, the PCIe expander bridge, on q35: its identity, the extra
 * root bus it brings (reached by config cycles at bus_nr, served by the
 * main root bus's vIOMMU, shown by the dump and the monitor), QEMU's
 * errors, cold plug only, and a clean unplug.
 */
#include "pci-test-helpers.h"

#include <string.h>

#include "hw/pci/pci-dump.h"
#include "hw/pci/pci-iommu.h"
#include "hw/pci/pcie_port.h"

#define PXB_DEVFN PCI_DEVFN(3, 0)
#define PXB_NR 0x80

typedef struct Fixture {
    MachineState *ms;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    f->ms = test_q35_new();
    ecam_enable(f->ms, TEST_ECAM_BASE);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    test_q35_free();
}

/* pxb-pcie @id on pcie.0 at @slot. */
static DeviceState *add_pxb_at(const char *id, const char *bus_nr, int slot)
{
    Error *err = NULL;
    g_autofree char *nr = g_strdup_printf("bus_nr=%s", bus_nr);
    g_autofree char *addr = g_strdup_printf("addr=%x", slot);
    DeviceState *dev = test_device_add(TYPE_PXB_PCIE_DEVICE, id, "pcie.0",
                                       &err, nr, addr, NULL);

    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return dev;
}

static DeviceState *add_pxb(const char *id, const char *bus_nr)
{
    return add_pxb_at(id, bus_nr, 3);
}

static void expect_pxb_error(const char *id, const char *bus,
                             const char *bus_nr, const char *message)
{
    Error *err = NULL;
    g_autofree char *nr = g_strdup_printf("bus_nr=%s", bus_nr);

    g_assert_null(test_device_add(TYPE_PXB_PCIE_DEVICE, id, bus, &err, nr,
                                  NULL));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
}

/*
 * pxb1 (bus 0x80) -> root port rp1 at 80:00.0 -> ep1, with the port
 * numbered by firmware: primary 0x80, secondary = subordinate 0x81.
 */
static void add_pxb_port_ep(Fixture *f)
{
    Error *err = NULL;

    add_pxb("pxb1", "0x80");
    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp1", "pxb1",
                                     &err, "chassis=1", "slot=1", NULL));
    g_assert_no_error(err);
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, "ep1", "rp1", &err,
                                     NULL));
    g_assert_no_error(err);
    ecam_write(f->ms, PXB_NR, 0, PCI_PRIMARY_BUS, 0x00818180, 4);
}

static void test_identity(Fixture *f, gconstpointer data)
{
    add_pxb("pxb1", "0x80");
    g_assert_cmphex(cf8_read(f->ms, 0, PXB_DEVFN, PCI_VENDOR_ID, 4), ==,
                    0x000b1b36);
    g_assert_cmphex(cf8_read(f->ms, 0, PXB_DEVFN, PCI_CLASS_REVISION, 4),
                    ==, 0x06000000);
    g_assert_cmphex(cf8_read(f->ms, 0, PXB_DEVFN, PCI_HEADER_TYPE, 1), ==,
                    PCI_HEADER_TYPE_NORMAL);
    g_assert_cmphex(cf8_read(f->ms, 0, PXB_DEVFN, PCI_STATUS, 2), ==,
                    PCI_STATUS_66MHZ | PCI_STATUS_FAST_BACK);
    /* A conventional function: no extended config space. */
    g_assert_cmphex(ecam_read(f->ms, 0, PXB_DEVFN, 0x100, 4), ==,
                    0xffffffff);
}

static void test_root_bus_named_after_id(Fixture *f, gconstpointer data)
{
    DeviceState *pxb = add_pxb("pxb1", "0x80");
    PCIBus *bus = (PCIBus *)qbus_find("pxb1");

    g_assert_nonnull(bus);
    g_assert_true(bus->qbus.parent == pxb);
    g_assert_true(pci_bus_is_root(bus));
    g_assert_cmpuint(pci_bus_num(bus), ==, PXB_NR);
    g_assert_true(pci_extra_root_bus_find(f->ms->pci_root, PXB_NR) == bus);
}

static void test_root_bus_without_id(Fixture *f, gconstpointer data)
{
    add_pxb(NULL, "0x40");
    g_assert_nonnull(qbus_find("pxb-pcie-bus.0"));
}

static void test_config_cycles_reach_bus_nr(Fixture *f, gconstpointer data)
{
    PCIDevice *ep;
    g_autofree char *bdf = NULL;

    add_pxb_port_ep(f);
    /* The port on the expander's root bus, by 0xCF8 and by ECAM. */
    g_assert_cmphex(cf8_read(f->ms, PXB_NR, 0, PCI_VENDOR_ID, 4), ==,
                    0x000c1b36);
    g_assert_cmphex(ecam_read(f->ms, PXB_NR, 0, PCI_SECONDARY_BUS, 1), ==,
                    0x81);
    /* The endpoint behind it, with its PASID capability. */
    g_assert_cmphex(ecam_read(f->ms, 0x81, 0, PCI_VENDOR_ID, 4), ==,
                    0x00ff1b36);
    g_assert_cmphex(ecam_find_ext_cap(f->ms, 0x81, 0, PCI_EXT_CAP_ID_PASID),
                    ==, 0x100);
    ecam_write(f->ms, 0x81, 0, 0x100 + PCI_PASID_CTRL, PCI_PASID_CTRL_ENABLE,
               2);
    g_assert_cmphex(ecam_read(f->ms, 0x81, 0, 0x100 + PCI_PASID_CTRL, 2), ==,
                    PCI_PASID_CTRL_ENABLE);
    ep = PCI_DEVICE(qdev_find_by_id("ep1"));
    bdf = pci_device_bdf(ep);
    g_assert_cmpstr(bdf, ==, "0000:81:00.0");
    /* Numbers nobody claims still read as absent. */
    g_assert_cmphex(ecam_read(f->ms, 0x82, 0, 0, 4), ==, 0xffffffff);
    g_assert_cmphex(ecam_read(f->ms, PXB_NR, PCI_DEVFN(1, 0), 0, 4), ==,
                    0xffffffff);
}

static void test_device_on_root_bus_is_rciep(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    uint8_t exp;

    add_pxb("pxb1", "0x80");
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, "ep1", "pxb1", &err,
                                     "addr=5", NULL));
    g_assert_no_error(err);
    exp = ecam_find_cap(f->ms, PXB_NR, PCI_DEVFN(5, 0), PCI_CAP_ID_EXP);
    g_assert_cmpuint(exp, !=, 0);
    g_assert_cmphex((ecam_read(f->ms, PXB_NR, PCI_DEVFN(5, 0),
                               exp + PCI_EXP_FLAGS, 2) >> 4) & 0xf, ==,
                    PCI_EXP_TYPE_RC_END);
}

/* A guest that numbers a pcie.0 port into bus_nr sees that port's bus. */
static void test_main_root_bridges_win(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    add_pxb_port_ep(f);
    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp0", "pcie.0",
                                     &err, "chassis=2", "slot=2", "addr=2",
                                     NULL));
    g_assert_no_error(err);
    cf8_write(f->ms, 0, PCI_DEVFN(2, 0), PCI_PRIMARY_BUS, 0x00818100, 4);
    g_assert_cmphex(ecam_read(f->ms, 0x81, 0, 0, 4), ==, 0xffffffff);
    cf8_write(f->ms, 0, PCI_DEVFN(2, 0), PCI_PRIMARY_BUS, 0, 4);
    g_assert_cmphex(ecam_read(f->ms, 0x81, 0, 0, 4), ==, 0x00ff1b36);
}

static uint64_t fake_viommu_flags(void *opaque, PCIDevice *pdev)
{
    return VIOMMU_FLAG_PASID_SUPPORTED;
}

static const PCIIOMMUOps fake_viommu_ops = {
    .get_viommu_flags = fake_viommu_flags,
};

static void test_viommu_of_main_root(Fixture *f, gconstpointer data)
{
    PCIDevice *ep;

    add_pxb_port_ep(f);
    ep = PCI_DEVICE(qdev_find_by_id("ep1"));
    g_assert_false(pci_device_has_iommu(ep));
    pci_setup_iommu(f->ms->pci_root, &fake_viommu_ops, NULL);
    g_assert_true(pci_device_has_iommu(ep));
    g_assert_cmphex(pci_device_get_viommu_flags(ep), ==,
                    VIOMMU_FLAG_PASID_SUPPORTED);
    pci_setup_iommu(f->ms->pci_root, NULL, NULL);
}

static void test_bus_nr_in_use(Fixture *f, gconstpointer data)
{
    expect_pxb_error("pxb0", "pcie.0", "0", "Bus 0 is already in use");
    add_pxb("pxb1", "0x80");
    expect_pxb_error("pxb2", "pcie.0", "128", "Bus 128 is already in use");
    g_assert_null(qbus_find("pxb2"));
}

static void test_only_on_root_bus(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    add_pxb("pxb1", "0x80");
    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp0", "pcie.0",
                                     &err, "chassis=2", "addr=2", NULL));
    g_assert_no_error(err);
    expect_pxb_error("pxb2", "rp0", "0x40",
                     "PXB devices can be attached only to root bus");
    expect_pxb_error("pxb3", "pxb1", "0x40",
                     "PXB devices can be attached only to root bus");
}

static void test_cold_plug_only(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    add_pxb("pxb1", "0x80");
    g_assert_true(machine_init_done(f->ms, &err));
    g_assert_no_error(err);
    /* The q35 root bus refuses first, as QEMU's. */
    expect_pxb_error("pxb2", "pcie.0", "0x40",
                     "Bus 'pcie.0' does not support hotplugging");
    g_assert_false(qdev_device_del("pxb1", &err));
    g_assert_cmpstr(err->message, ==,
                    "Bus 'pcie.0' does not support hotplugging");
    g_error_free(err);
}

static void test_unplug_unlinks_root_bus(Fixture *f, gconstpointer data)
{
    add_pxb_port_ep(f);
    qdev_unplug_and_free(qdev_find_by_id("pxb1"));
    g_assert_null(qdev_find_by_id("ep1"));
    g_assert_null(qbus_find("pxb1"));
    g_assert_null(f->ms->pci_root->extra_roots);
    g_assert_cmphex(ecam_read(f->ms, PXB_NR, 0, 0, 4), ==, 0xffffffff);
    /* The number is free again. */
    add_pxb("pxb1", "0x80");
}

static void test_dump_lists_root_bus(Fixture *f, gconstpointer data)
{
    g_autofree char *dump = NULL;

    add_pxb_port_ep(f);
    add_pxb_at("pxb2", "0x40", 4);
    dump = pci_dump_lspci(f->ms->pci_root);
    g_assert_nonnull(strstr(dump, "00:03.0 Host bridge: Device 1b36:000b\n"));
    g_assert_nonnull(strstr(dump, "80:00.0 PCI bridge: Device 1b36:000c\n"));
    g_assert_nonnull(strstr(dump, "81:00.0 Class ff00: Device 1b36:00ff\n"));
    /* After the main root bus, expanders' buses by number. */
    g_assert_true(strstr(dump, "00:1f.3 ") < strstr(dump, "80:00.0 "));
}

static void test_query_pci_one_entry_per_root_bus(Fixture *f,
                                                  gconstpointer data)
{
    Error *err = NULL;
    g_autoptr(JsonObject) args = json_object_new();
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autofree char *json = NULL;
    JsonArray *list;

    add_pxb_port_ep(f);
    node = qmp_query_pci(args, &err);
    g_assert_no_error(err);
    list = json_node_get_array(node);
    /* Newest host bridge first, the main one last, as QEMU lists them. */
    g_assert_cmpuint(json_array_get_length(list), ==, 2);
    g_assert_cmpint(json_object_get_int_member(
                        json_array_get_object_element(list, 0), "bus"), ==,
                    PXB_NR);
    g_assert_cmpint(json_object_get_int_member(
                        json_array_get_object_element(list, 1), "bus"), ==, 0);
    json_generator_set_root(gen, node);
    json = json_generator_to_data(gen, NULL);
    g_assert_true(g_str_has_prefix(json,
        "[{\"bus\":128,\"devices\":[{\"bus\":128,\"slot\":0,\"function\":0,"));
    g_assert_nonnull(strstr(json,
        "\"qdev_id\":\"rp1\",\"pci_bridge\":{\"bus\":{\"number\":128,"
        "\"secondary\":129,\"subordinate\":129,"));
    g_assert_nonnull(strstr(json, "\"qdev_id\":\"ep1\""));
    g_assert_nonnull(strstr(json,
        "{\"bus\":0,\"slot\":3,\"function\":0,\"class_info\":{\"desc\":"
        "\"Host bridge\",\"class\":1536},\"id\":{\"device\":11,"
        "\"vendor\":6966,"));
}

static void test_info_pci(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    g_autofree char *text = NULL;

    add_pxb_port_ep(f);
    text = hmp_info_pci(&err);
    g_assert_no_error(err);
    g_assert_true(g_str_has_prefix(text,
        "  Bus 128, device   0, function 0:\n"
        "    PCI bridge: PCI device 1b36:000c\n"));
    g_assert_nonnull(strstr(text, "  Bus 129, device   0, function 0:\n"));
    g_assert_nonnull(strstr(text,
        "  Bus  0, device   3, function 0:\n"
        "    Host bridge: PCI device 1b36:000b\n"
        "      PCI subsystem 1af4:1100\n"
        "      id \"pxb1\"\n"));
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/pxb-pcie/identity/host-bridge-1b36-000b", test_identity);
    ADD("/pxb-pcie/root-bus/named-after-id", test_root_bus_named_after_id);
    ADD("/pxb-pcie/root-bus/named-without-id", test_root_bus_without_id);
    ADD("/pxb-pcie/root-bus/config-cycles-reach-bus-nr",
        test_config_cycles_reach_bus_nr);
    ADD("/pxb-pcie/root-bus/device-on-it-is-rciep",
        test_device_on_root_bus_is_rciep);
    ADD("/pxb-pcie/root-bus/main-root-bridges-win",
        test_main_root_bridges_win);
    ADD("/pxb-pcie/viommu/main-root-bus-serves-it", test_viommu_of_main_root);
    ADD("/pxb-pcie/error/bus-nr-in-use", test_bus_nr_in_use);
    ADD("/pxb-pcie/error/only-on-root-bus", test_only_on_root_bus);
    ADD("/pxb-pcie/hotplug/cold-plug-only", test_cold_plug_only);
    ADD("/pxb-pcie/unplug/unlinks-root-bus", test_unplug_unlinks_root_bus);
    ADD("/pxb-pcie/dump/lists-root-bus", test_dump_lists_root_bus);
    ADD("/pxb-pcie/monitor/query-pci-one-entry-per-root-bus",
        test_query_pci_one_entry_per_root_bus);
    ADD("/pxb-pcie/monitor/info-pci", test_info_pci);
    return g_test_run();
}

/*
 * The bridge models libvirt emits, black box through ECAM: ioh3420
 * (Intel's root port IDs), pcie-pci-bridge and i82801b11-bridge (PCI
 * Express / DMI to conventional PCI), devices behind them, and
 * intel-iommu x-flts=on refusing host devices behind a conventional PCI
 * bridge as upstream QEMU does.
 */
#include <string.h>

#include <glib.h>

#include "libqtest.h"

#define PCI_CAP_ID_EXP      0x10
#define PCI_CAP_ID_SSVID    0x0d
#define VIOMMU_FLTS "-device intel-iommu,x-scalable-mode=on,caching-mode=on," \
                    "x-flts=on "

static char *host_args(const char *extra)
{
    return g_strdup_printf("-host-sim %s/tests/data/hosts/intel-pasid.json "
                           "-M q35 -object iommufd,id=i0 %s",
                           g_getenv("VV_SOURCE_ROOT"), extra);
}

static QTestState *start(const char *extra)
{
    g_autofree char *args = host_args(extra);
    QTestState *s = qtest_init(args);

    qtest_q35_enable_ecam(s, Q35_ECAM_BASE);
    return s;
}

/* Program @bdf's bridge as firmware would: secondary bus @sec only. */
static void bridge_set_bus(QTestState *s, uint16_t bdf, uint8_t sec)
{
    qtest_ecam_writel(s, bdf, 0x18, (sec << 16) | (sec << 8));
}

static void test_ioh3420(void)
{
    QTestState *s = start("-device ioh3420,id=rp1,chassis=1,slot=1,addr=2 "
                          "-device vfio-pci,host=0000:01:00.0,iommufd=i0,"
                          "bus=rp1");
    uint16_t bdf = QPCI_BDF(0, 2, 0);
    uint8_t exp = qtest_ecam_find_cap(s, bdf, PCI_CAP_ID_EXP);

    g_assert_cmphex(qtest_ecam_readl(s, bdf, 0), ==, 0x34208086);
    g_assert_cmphex(qtest_ecam_readb(s, bdf, 8), ==, 2);
    g_assert_cmphex(qtest_ecam_readw(s, bdf, 0x0a), ==, 0x0604);
    g_assert_cmpuint(exp, !=, 0);
    /* A root port: PCIe type 4, slot implemented. */
    g_assert_cmphex((qtest_ecam_readw(s, bdf, exp + 2) >> 4) & 0xf, ==, 4);
    bridge_set_bus(s, bdf, 1);
    g_assert_cmphex(qtest_ecam_readw(s, QPCI_BDF(1, 0, 0), 0), ==, 0x8086);
    qtest_quit(s);
}

static void test_pcie_pci_bridge(void)
{
    QTestState *s = start("-device pcie-pci-bridge,id=ppb,addr=5 "
                          "-device vfio-pci,host=0000:01:00.0,iommufd=i0,"
                          "bus=ppb,addr=3");
    uint16_t bdf = QPCI_BDF(0, 5, 0);
    uint8_t exp = qtest_ecam_find_cap(s, bdf, PCI_CAP_ID_EXP);

    g_assert_cmphex(qtest_ecam_readl(s, bdf, 0), ==, 0x000e1b36);
    g_assert_cmphex(qtest_ecam_readw(s, bdf, 0x0a), ==, 0x0604);
    g_assert_cmpuint(exp, !=, 0);
    /* PCI Express to PCI/PCI-X bridge. */
    g_assert_cmphex((qtest_ecam_readw(s, bdf, exp + 2) >> 4) & 0xf, ==, 7);
    /* A conventional bus: any slot, not only 0. */
    bridge_set_bus(s, bdf, 1);
    g_assert_cmphex(qtest_ecam_readw(s, QPCI_BDF(1, 3, 0), 0), ==, 0x8086);
    qtest_quit(s);
}

static void test_i82801b11(void)
{
    QTestState *s = start("-device i82801b11-bridge,id=dmi,addr=0x1e");
    uint16_t bdf = QPCI_BDF(0, 0x1e, 0);

    g_assert_cmphex(qtest_ecam_readl(s, bdf, 0), ==, 0x244e8086);
    g_assert_cmphex(qtest_ecam_readb(s, bdf, 8), ==, 0x92);
    g_assert_cmphex(qtest_ecam_readw(s, bdf, 0x0a), ==, 0x0604);
    g_assert_cmpuint(qtest_ecam_find_cap(s, bdf, PCI_CAP_ID_SSVID), ==, 0x50);
    /* Conventional: no PCIe capability. */
    g_assert_cmpuint(qtest_ecam_find_cap(s, bdf, PCI_CAP_ID_EXP), ==, 0);
    qtest_quit(s);
}

static void expect_refused(const char *bridge, const char *bus)
{
    g_autofree char *dev = g_strdup_printf(
        "-device vfio-pci,host=0000:01:00.0,iommufd=i0,bus=%s,addr=1", bus);
    g_autofree char *extra = g_strdup_printf(VIOMMU_FLTS "%s %s", bridge,
                                             dev);
    g_autofree char *args = host_args(extra);
    g_autofree char *expect = g_strdup_printf(
        "vfio-viommu: %s: vfio 0000:01:00.0: Failed to set vIOMMU: "
        "0000:01:00.0: Host device downstream to a PCI bridge is "
        "unsupported when x-flts=on\n", dev);
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(qtest_run(args, &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, expect);
}

static void test_flts_refuses_behind_pci_bridge(void)
{
    QTestState *s;

    expect_refused("-device pcie-pci-bridge,id=ppb,addr=5", "ppb");
    expect_refused("-device i82801b11-bridge,id=dmi,addr=0x1e", "dmi");
    /* Behind a root port (ioh3420 too), nesting is fine. */
    s = start(VIOMMU_FLTS "-device ioh3420,id=rp1,chassis=1,slot=1 "
              "-device vfio-pci,host=0000:01:00.0,iommufd=i0,bus=rp1");
    qtest_quit(s);
}

/*
 * The dump lists what firmware would number: behind unnumbered root
 * ports, a PCIe-to-PCI bridge and a pxb-pcie, depth first; the guest's
 * own view does not change.
 */
static void test_dump_numbers_like_firmware(void)
{
    QTestState *s = start("-device pcie-root-port,id=rp1,chassis=1,slot=1,"
                          "addr=2 -device pcie-root-port,id=rp2,chassis=2,"
                          "slot=2,addr=3 -device pcie-pci-bridge,id=ppb,"
                          "bus=rp2 -device pxb-pcie,id=pxb,bus_nr=0x80,"
                          "addr=4 -device pcie-root-port,id=rp3,bus=pxb,"
                          "chassis=3,slot=3 -device vfio-pci,"
                          "host=0000:01:00.0,iommufd=i0,bus=rp1 -device "
                          "vfio-pci,host=0000:02:00.0,iommufd=i0,bus=ppb,"
                          "addr=3");
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'x-query-pci-config'}");
    const char *dump = json_object_get_string_member(
        json_node_get_object(ret), "human-readable-text");
    const char *order[] = {
        "00:02.0 PCI bridge: Device 1b36:000c\n",
        "01:00.0 ", "00:03.0 PCI bridge: Device 1b36:000c\n",
        "02:00.0 PCI bridge: Device 1b36:000e\n", "03:03.0 ",
        "80:00.0 PCI bridge: Device 1b36:000c\n",
    };
    const char *at = dump;

    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        const char *next = strstr(at, order[i]);

        g_assert_nonnull(next);
        at = next;
    }
    /* rp2's primary/secondary/subordinate as firmware would set them. */
    g_assert_nonnull(strstr(strstr(dump, "00:03.0 PCI bridge"),
                            "\n10: 00 00 00 00 00 00 00 00 00 02 03 "));
    g_assert_nonnull(strstr(dump, "\n80:00.0 PCI bridge: Device 1b36:000c"
                                  "\n00: 36 1b 0c 00"));
    /* The guest still sees its own (unnumbered) bridges. */
    g_assert_cmphex(qtest_ecam_readl(s, QPCI_BDF(0, 3, 0), 0x18), ==, 0);
    g_assert_cmphex(qtest_ecam_readl(s, QPCI_BDF(1, 0, 0), 0), ==,
                    0xffffffff);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci-bridge/ioh3420", test_ioh3420);
    g_test_add_func("/pci-bridge/pcie-pci-bridge", test_pcie_pci_bridge);
    g_test_add_func("/pci-bridge/i82801b11-bridge", test_i82801b11);
    g_test_add_func("/pci-bridge/x-flts-refuses-behind-pci-bridge",
                    test_flts_refuses_behind_pci_bridge);
    g_test_add_func("/pci-bridge/dump-numbers-like-firmware",
                    test_dump_numbers_like_firmware);
    return g_test_run();
}

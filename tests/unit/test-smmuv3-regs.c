/*
 * The virt machine and arm-smmuv3 in process: the memory map and host
 * bridge, properties and realize-time validation (every message exact),
 * and the registers a guest driver programs.
 */
#include "smmuv3-test-helpers.h"

static void test_virt_memory_map(Fixture *f, gconstpointer data)
{
    MachineClass *mc = MACHINE_GET_CLASS(f->ms);

    g_assert_cmpstr(mc->name, ==, "virt");
    g_assert_false(mc->is_default);
    g_assert_true(machine_class_find(NULL) != mc);
    g_assert_cmphex(f->ms->ram.base, ==, 0x40000000);
    g_assert_cmpstr(f->ms->pci_root->qbus.name, ==, "pcie.0");
    /* gpex-root at 00:00.0 through the high ECAM window. */
    g_assert_cmphex(address_space_ld(&f->ms->memory, virt_ecam(0, 0, 0), 4),
                    ==, 0x00081b36);
    g_assert_cmphex(address_space_ld(&f->ms->memory, virt_ecam(0, 0, 0xa), 2),
                    ==, 0x0600);
    g_assert_cmphex(address_space_ld(&f->ms->memory, virt_ecam(0, 8, 0), 4),
                    ==, UINT32_MAX);
    /* RAM at 1 GiB; no port I/O. */
    address_space_st(&f->ms->memory, 0x40001000, 0x1234, 4);
    g_assert_cmphex(address_space_ld(&f->ms->memory, 0x40001000, 4), ==,
                    0x1234);
    g_assert_cmphex(address_space_ld(&f->ms->io, 0xcfc, 4), ==, UINT32_MAX);
}

static void test_virt_root_port(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    uint32_t ep;

    test_device_add("pcie-root-port", "rp1", "pcie.0", &err, "chassis=1",
                    "addr=2.0", NULL);
    g_assert_no_error(err);
    test_device_add(TYPE_TEST_PCIE_EP, "ep1", "rp1", &err, NULL);
    g_assert_no_error(err);
    g_assert_cmphex(address_space_ld(&f->ms->memory, virt_ecam(0, 0x10, 0),
                                     4), ==, 0x000c1b36);
    /* Firmware numbers the bus, then the endpoint appears at 01:00.0. */
    address_space_st(&f->ms->memory, virt_ecam(0, 0x10, PCI_PRIMARY_BUS),
                     0x010100, 4);
    ep = address_space_ld(&f->ms->memory, virt_ecam(1, 0, 0), 4);
    g_assert_cmphex(ep, ==, 0x00ff1b36);
}

/* ---- properties and realize ---- */

static void test_registers_default(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0");

    g_assert_cmphex(smmu_readl(f, A_IDR0), ==, QEMU_IDR0);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
    g_assert_cmphex(smmu_readl(f, A_IDR2), ==, 0);
    g_assert_cmphex(smmu_readl(f, A_IDR3), ==, QEMU_IDR3);
    g_assert_cmphex(smmu_readl(f, A_IDR4), ==, 0);
    g_assert_cmphex(smmu_readl(f, A_IDR5), ==, QEMU_IDR5);
    g_assert_cmphex(smmu_readl(f, A_IIDR), ==, 0);
    g_assert_cmphex(smmu_readl(f, A_AIDR), ==, 1);
    g_assert_cmphex(smmu_readl(f, A_GBPA), ==, SMMU_GBPA_RESET_VAL);
    /* Page 1 aliases page 0. */
    g_assert_cmphex(smmu_readl(f, SMMU_PAGE1_ALIAS + A_IDR1), ==, QEMU_IDR1);
    g_assert_true(s->bus == f->ms->pci_root);
    g_assert_cmpint(DEVICE_GET_CLASS(s)->realize_order, ==,
                    DEVICE_REALIZE_VIOMMU);
    g_assert_false(DEVICE_GET_CLASS(s)->hotpluggable);
    /* No SubstreamIDs: no PASID for devices behind it. */
    g_assert_cmpuint(pci_device_get_viommu_flags(PCI_DEVICE(
        test_device_add(TYPE_TEST_PCIE_EP, "ep0", "pcie.0", NULL, NULL))),
        ==, 0);
}

static const struct {
    const char *props;
    uint32_t idr0, idr1, idr3, idr5;
} accel_regs[] = {
    { "accel=on", QEMU_IDR0, QEMU_IDR1, QEMU_IDR3, QEMU_IDR5 },
    /* Above 10 SubstreamID bits a Linux guest needs 2-level CD tables. */
    { "accel=on,ssidsize=20", QEMU_IDR0 | 1 << 19, QEMU_IDR1 | 20 << 6,
      QEMU_IDR3, QEMU_IDR5 },
    { "accel=on,ssidsize=10", QEMU_IDR0, QEMU_IDR1 | 10 << 6, QEMU_IDR3,
      QEMU_IDR5 },
    { "accel=on,ssidsize=1", QEMU_IDR0, QEMU_IDR1 | 1 << 6, QEMU_IDR3,
      QEMU_IDR5 },
    { "accel=on,ats=on", QEMU_IDR0 | 1 << 10, QEMU_IDR1, QEMU_IDR3,
      QEMU_IDR5 },
    { "accel=on,ril=off", QEMU_IDR0, QEMU_IDR1, QEMU_IDR3 & ~(1u << 10),
      QEMU_IDR5 },
    { "accel=on,oas=48", QEMU_IDR0, QEMU_IDR1, QEMU_IDR3, QEMU_IDR5 + 1 },
    /* auto advertises nothing until a device decides. */
    { "accel=on,ssidsize=auto", QEMU_IDR0, QEMU_IDR1, QEMU_IDR3, QEMU_IDR5 },
};

static void test_registers_accel(Fixture *f, gconstpointer data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(accel_regs); i++) {
        g_autofree char *props = g_strdup_printf("primary-bus=pcie.0,%s",
                                                 accel_regs[i].props);
        SMMUv3State *s = smmu_add_ok(props);

        g_assert_cmphex(smmu_readl(f, A_IDR0), ==, accel_regs[i].idr0);
        g_assert_cmphex(smmu_readl(f, A_IDR1), ==, accel_regs[i].idr1);
        g_assert_cmphex(smmu_readl(f, A_IDR3), ==, accel_regs[i].idr3);
        g_assert_cmphex(smmu_readl(f, A_IDR5), ==, accel_regs[i].idr5);
        qdev_unplug_and_free(DEVICE(s));
        g_assert_null(f->ms->pci_root->iommu_ops);
    }
}

static const struct {
    const char *props;
    const char *msg;
} bad_configs[] = {
    { "", "SMMU is not attached to any PCI bus!" },
    { "primary-bus=nope", "primary-bus 'nope' is not a PCI bus" },
    { "primary-bus=pcie.0,ril=off", "ril can only be disabled if accel=on" },
    { "primary-bus=pcie.0,ats=on", "ats can only be enabled if accel=on" },
    { "primary-bus=pcie.0,oas=48", "OAS must be 44 bits when accel=off" },
    { "primary-bus=pcie.0,ssidsize=4",
      "ssidsize can only be set if accel=on" },
    { "primary-bus=pcie.0,ssidsize=auto",
      "ssidsize can only be set if accel=on" },
    { "primary-bus=pcie.0,ssidsize=21",
      "ssidsize can only be set if accel=on" },
    { "primary-bus=pcie.0,accel=on,ssidsize=21",
      "ssidsize must be in the range 0 to 20" },
    { "primary-bus=pcie.0,accel=on,oas=40",
      "OAS can only be set to 44 or 48 bits" },
    { "primary-bus=pcie.0,accel=on,ssidsize=256",
      "Parameter 'ssidsize' expects 0 to 20 or 'auto'" },
    { "primary-bus=pcie.0,accel=on,ssidsize=on",
      "Parameter 'ssidsize' expects 0 to 20 or 'auto'" },
};

static void test_bad_configs(Fixture *f, gconstpointer data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_configs); i++) {
        smmu_add_err(bad_configs[i].props, bad_configs[i].msg);
    }
}

static void test_non_root_bus_refused(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    test_device_add("pcie-root-port", "rp1", "pcie.0", &err, "chassis=1",
                    NULL);
    g_assert_no_error(err);
    smmu_add_err("primary-bus=rp1", "primary-bus 'rp1' is not supported: "
                 "arm-smmuv3 serves a root bus (pcie.0 or a pxb-pcie bus)");
}

static void test_second_refused(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0");
    Error *err = NULL;

    g_assert_null(smmu_add("primary-bus=pcie.0,accel=on", &err));
    g_assert_cmpstr(err->message, ==,
                    "primary-bus 'pcie.0' already has a vIOMMU");
    error_free(err);
    g_assert_true(smmuv3_find() == s);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
}

static void test_only_on_virt(void)
{
    Error *err = NULL;

    test_q35_new();
    g_assert_null(smmu_add("primary-bus=pcie.0,accel=on", &err));
    g_assert_cmpstr(err->message, ==, "Option '-device arm-smmuv3' cannot be "
                    "handled by this machine");
    error_free(err);
    test_q35_free();
}

static void test_ssidsize_property_text(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0,accel=on,ssidsize=auto");
    const Property *p = object_property_find(OBJECT(s), "ssidsize");
    g_autofree char *text = object_property_print(OBJECT(s), p);
    g_autoptr(JsonNode) node = object_property_get(OBJECT(s), "ssidsize",
                                                   NULL);

    g_assert_cmpstr(text, ==, "auto");
    g_assert_cmpstr(json_node_get_string(node), ==, "auto");
}

/* ---- registers a guest driver programs ---- */

static void test_cr0_handshake(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0");

    g_assert_cmphex(smmu_readl(f, A_CR0), ==, 0);
    g_assert_cmphex(smmu_readl(f, A_CR0ACK), ==, 0);
    /* Queues, then SMMUEN; reserved bits never reach CR0ACK. */
    address_space_st(&f->ms->memory, SMMU_BASE + A_CMDQ_BASE, 0x41000008,
                     8);
    smmu_writel(f, A_CR0, 0x0c);
    g_assert_cmphex(smmu_readl(f, A_CR0ACK), ==, 0x0c);
    smmu_writel(f, A_CR0, 0xffffffff);
    g_assert_cmphex(smmu_readl(f, A_CR0), ==, SMMU_CR0_WMASK);
    g_assert_cmphex(smmu_readl(f, A_CR0ACK), ==, SMMU_CR0_WMASK);
    smmu_writel(f, A_IRQ_CTRL, 5);
    g_assert_cmphex(smmu_readl(f, A_IRQ_CTRLACK), ==, 5);
    /* CMD_SYNCs: CONS catches up with PROD, wrapping at 2^8 entries. */
    for (int i = 0; i < 256; i++) {
        address_space_st(&f->ms->memory, 0x41000000 + i * 16, 0x46, 8);
    }
    smmu_writel(f, A_CMDQ_PROD, 0x101);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0x101);
    g_assert_cmpuint(s->cmds_consumed, ==, 0x101);
    /* An unknown opcode stops the queue: CONS at it, ERR ILL, GERROR. */
    address_space_st(&f->ms->memory, 0x41000000 + 2 * 16, 0x7f, 8);
    smmu_writel(f, A_CMDQ_PROD, 0x104);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0x01000102);
    g_assert_cmphex(smmu_readl(f, A_GERROR), ==, 1);
    /* Until GERRORN acknowledges it nothing runs; then the rest does. */
    address_space_st(&f->ms->memory, 0x41000000 + 2 * 16, 0x46, 8);
    smmu_writel(f, A_CMDQ_PROD, 0x104);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0x01000102);
    smmu_writel(f, A_GERRORN, 1);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0x01000104);
    g_assert_cmpuint(s->cmd_errors, ==, 1);
    /* Read-only registers ignore writes. */
    smmu_writel(f, A_IDR1, 0);
    smmu_writel(f, A_CR0ACK, 0);
    g_assert_cmphex(smmu_readl(f, A_IDR1), ==, QEMU_IDR1);
    g_assert_cmphex(smmu_readl(f, A_CR0ACK), ==, SMMU_CR0_WMASK);
    /* Reset: back to the start. */
    machine_reset(f->ms);
    g_assert_cmphex(smmu_readl(f, A_CR0ACK), ==, 0);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0);
    g_assert_cmphex(address_space_ld(&f->ms->memory, SMMU_BASE + A_CMDQ_BASE,
                                     8), ==, SMMU_QUEUE_LOG2SIZE);
}

static void test_cmdq_disabled(Fixture *f, gconstpointer data)
{
    SMMUv3State *s = smmu_add_ok("primary-bus=pcie.0");

    address_space_st(&f->ms->memory, SMMU_BASE + A_CMDQ_BASE, 0x41000008,
                     8);
    for (int i = 0; i < 3; i++) {
        address_space_st(&f->ms->memory, 0x41000000 + i * 16, 0x46, 8);
    }
    smmu_writel(f, A_CMDQ_PROD, 3);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0);
    smmu_writel(f, A_CR0, SMMU_CR0_CMDQEN);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 3);
    /* A queue outside RAM cannot be fetched: CERROR_ABT. */
    smmu_writel(f, A_CR0, 0);
    address_space_st(&f->ms->memory, SMMU_BASE + A_CMDQ_BASE, 8, 8);
    smmu_writel(f, A_CR0, SMMU_CR0_CMDQEN);
    smmu_writel(f, A_CMDQ_PROD, 4);
    g_assert_cmphex(smmu_readl(f, A_CMDQ_CONS), ==, 0x02000003);
    g_assert_cmpuint(s->cmd_errors, ==, 1);
}

static void test_gbpa_update(Fixture *f, gconstpointer data)
{
    smmu_add_ok("primary-bus=pcie.0");
    smmu_writel(f, A_GBPA, 1u << 20);
    g_assert_cmphex(smmu_readl(f, A_GBPA), ==, SMMU_GBPA_RESET_VAL);
    smmu_writel(f, A_GBPA, SMMU_GBPA_UPDATE | 1u << 20);
    g_assert_cmphex(smmu_readl(f, A_GBPA), ==, 1u << 20);
}

static void test_access_sizes(Fixture *f, gconstpointer data)
{
    AddressSpace *as = &f->ms->memory;

    smmu_add_ok("primary-bus=pcie.0");
    /* 64-bit registers by halves and whole. */
    address_space_st(as, SMMU_BASE + A_STRTAB_BASE + 4, 0x1, 4);
    address_space_st(as, SMMU_BASE + A_STRTAB_BASE, 0x80000000, 4);
    g_assert_cmphex(address_space_ld(as, SMMU_BASE + A_STRTAB_BASE, 8), ==,
                    0x180000000ULL);
    /* 64-bit access to a 32-bit register, byte accesses, holes: 0. */
    g_assert_cmphex(address_space_ld(as, SMMU_BASE + A_IDR0, 8), ==, 0);
    g_assert_cmphex(address_space_ld(as, SMMU_BASE + A_IDR0, 1), ==, 0);
    g_assert_cmphex(address_space_ld(as, SMMU_BASE + 0x1000, 4), ==, 0);
    address_space_st(as, SMMU_BASE + A_CR0, UINT64_MAX, 8);
    address_space_st(as, SMMU_BASE + A_CR0, 0xff, 2);
    address_space_st(as, SMMU_BASE + 0x1ffff, 0xff, 1);
    g_assert_cmphex(smmu_readl(f, A_CR0), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("virt/memory-map-and-host-bridge", test_virt_memory_map);
    ADD("virt/root-port-works", test_virt_root_port);
    ADD("registers/qemu-defaults", test_registers_default);
    ADD("registers/accel-properties", test_registers_accel);
    ADD("realize/bad-configs-refused", test_bad_configs);
    ADD("realize/non-root-bus-refused", test_non_root_bus_refused);
    ADD("realize/second-refused", test_second_refused);
    ADD("realize/ssidsize-property", test_ssidsize_property_text);
    ADD("registers/cr0-and-cmdq", test_cr0_handshake);
    ADD("registers/cmdq-needs-cmdqen", test_cmdq_disabled);
    ADD("registers/gbpa-update", test_gbpa_update);
    ADD("registers/access-sizes", test_access_sizes);
    g_test_add_func("/smmuv3/realize/only-on-virt", test_only_on_virt);
    return g_test_run();
}

/*
 * PCI core: config masks, capability lists, slot rules.
 */
#include "pci-test-helpers.h"

#include "hw/pci/pcie_port.h"
#include "hw/pci/pci-iommu.h"

typedef struct Fixture {
    MachineState *ms;
    PCIDevice *ep;      /* a test endpoint at 00:05.0 */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    f->ms = test_q35_new();
    f->ep = PCI_DEVICE(test_device_add(TYPE_TEST_PCIE_EP, "ep", "pcie.0",
                                       &err, "addr=5", NULL));
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    test_q35_free();
}

/* ---- config masks ---- */

static void test_config_read_only(Fixture *f, gconstpointer data)
{
    pci_config_write(f->ep, PCI_VENDOR_ID, 0x12345678, 4);
    g_assert_cmphex(pci_config_read(f->ep, PCI_VENDOR_ID, 4), ==,
                    0x00ff1b36);
    pci_config_write(f->ep, PCI_CLASS_REVISION, 0xffffffff, 4);
    g_assert_cmphex(pci_config_read(f->ep, PCI_CLASS_REVISION, 4), ==,
                    0xff000000);
}

static void test_config_writable(Fixture *f, gconstpointer data)
{
    pci_config_write(f->ep, PCI_COMMAND, 0xffff, 2);
    g_assert_cmphex(pci_config_read(f->ep, PCI_COMMAND, 2), ==, 0x0547);
    pci_config_write(f->ep, PCI_COMMAND, 0, 2);
    g_assert_cmphex(pci_config_read(f->ep, PCI_COMMAND, 2), ==, 0);
    pci_config_write(f->ep, PCI_INTERRUPT_LINE, 0x0b, 1);
    g_assert_cmphex(pci_config_read(f->ep, PCI_INTERRUPT_LINE, 1), ==, 0x0b);
}

static void test_config_w1c(Fixture *f, gconstpointer data)
{
    uint16_t st = pci_get_word(f->ep->config + PCI_STATUS);

    pci_set_word(f->ep->config + PCI_STATUS, st | PCI_STATUS_REC_MASTER_ABORT |
                 PCI_STATUS_SIG_SYSTEM_ERROR);
    /* Writing 0 keeps, writing 1 clears only that bit. */
    pci_config_write(f->ep, PCI_STATUS, 0, 2);
    g_assert_cmphex(pci_config_read(f->ep, PCI_STATUS, 2), ==,
                    st | PCI_STATUS_REC_MASTER_ABORT |
                    PCI_STATUS_SIG_SYSTEM_ERROR);
    pci_config_write(f->ep, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT, 2);
    g_assert_cmphex(pci_config_read(f->ep, PCI_STATUS, 2), ==,
                    st | PCI_STATUS_SIG_SYSTEM_ERROR);
    /* Read-only status bits survive a write of all ones. */
    pci_config_write(f->ep, PCI_STATUS, 0xffff, 2);
    g_assert_cmphex(pci_config_read(f->ep, PCI_STATUS, 2), ==, st);
}

static void test_config_out_of_range(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(pci_config_read(f->ep, 0xffe, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_config_read(f->ep, 0x1000, 1), ==, 0xff);
    g_assert_cmphex(pci_config_read(f->ep, 0x10, 3), ==, 0xffffff);
    pci_config_write(f->ep, 0xffe, 0xffffffff, 4);      /* ignored */
    g_assert_cmphex(pci_config_read(f->ep, 0xffc, 4), ==, 0);
}

static void test_config_reset(Fixture *f, gconstpointer data)
{
    pci_config_write(f->ep, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    pci_config_write(f->ep, 0x100 + PCI_PASID_CTRL, 7, 2);
    machine_reset(f->ms);
    g_assert_cmphex(pci_config_read(f->ep, PCI_COMMAND, 2), ==, 0);
    g_assert_cmphex(pci_config_read(f->ep, 0x100 + PCI_PASID_CTRL, 2), ==, 0);
}

/* ---- capabilities ---- */

static void test_std_cap_add_find(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    uint8_t pos;

    g_assert_cmpuint(pci_find_capability(f->ep, PCI_CAP_ID_EXP), ==, 0x40);
    g_assert_cmpuint(f->ep->exp_cap, ==, 0x40);
    pos = pci_add_capability(f->ep, PCI_CAP_ID_PM, 0, 8, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(pos, ==, 0x7c);
    g_assert_cmpuint(pci_find_capability(f->ep, PCI_CAP_ID_PM), ==, 0x7c);
    g_assert_cmpuint(f->ep->config[PCI_CAPABILITY_LIST], ==, 0x7c);
    g_assert_cmpuint(f->ep->config[0x7c + PCI_CAP_LIST_NEXT], ==, 0x40);
    g_assert_cmpuint(pci_find_capability(f->ep, PCI_CAP_ID_MSIX), ==, 0);
}

static void expect_std_cap_error(PCIDevice *pdev, uint8_t offset,
                                 uint8_t size, const char *msg)
{
    Error *err = NULL;

    g_assert_cmpuint(pci_add_capability(pdev, PCI_CAP_ID_MSI, offset, size,
                                        &err), ==, 0);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
}

static void test_std_cap_refused(Fixture *f, gconstpointer data)
{
    expect_std_cap_error(f->ep, 0x82, 10,
                         "PCI capability 0x5 offset 0x82 is not dword "
                         "aligned");
    expect_std_cap_error(f->ep, 0x3c, 10,
                         "PCI capability 0x5 offset 0x3c is inside the "
                         "header");
    expect_std_cap_error(f->ep, 0xf8, 10,
                         "PCI capability 0x5 at 0xf8 (size 0xa) runs past "
                         "0xff");
    expect_std_cap_error(f->ep, 0x78, 10,
                         "PCI capability 0x5 at 0x78 (size 0xa) overlaps "
                         "capability 0x10 at 0x40 (size 0x3c)");
    expect_std_cap_error(f->ep, 0x80, 1,
                         "PCI capability 0x5: size 1 is too small");
}

static void test_ext_cap_add_find(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    uint32_t h;

    g_assert_cmpuint(pcie_find_capability(f->ep, PCI_EXT_CAP_ID_PASID), ==,
                     0x100);
    /* Insert at fixed offsets out of order: the chain stays sorted. */
    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_ACS, 1, 0x200,
                                      8, &err));
    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_ATS, 1, 0x180,
                                      8, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(pcie_find_capability(f->ep, PCI_EXT_CAP_ID_ACS), ==,
                     0x200);
    g_assert_cmpuint(pcie_find_capability(f->ep, PCI_EXT_CAP_ID_ATS), ==,
                     0x180);
    h = pci_get_long(f->ep->config + 0x100);
    g_assert_cmphex(h, ==, PCI_EXT_CAP_HEADER(PCI_EXT_CAP_ID_PASID, 1,
                                              0x180));
    h = pci_get_long(f->ep->config + 0x180);
    g_assert_cmphex(h, ==, PCI_EXT_CAP_HEADER(PCI_EXT_CAP_ID_ATS, 1, 0x200));
    h = pci_get_long(f->ep->config + 0x200);
    g_assert_cmphex(h, ==, PCI_EXT_CAP_HEADER(PCI_EXT_CAP_ID_ACS, 1, 0));
    g_assert_cmpuint(pcie_find_capability(f->ep, PCI_EXT_CAP_ID_ERR), ==, 0);
    /* Headers are read-only to the guest. */
    pci_config_write(f->ep, 0x180, 0, 4);
    g_assert_cmphex(pci_get_long(f->ep->config + 0x180), ==,
                    PCI_EXT_CAP_HEADER(PCI_EXT_CAP_ID_ATS, 1, 0x200));
}

static void expect_ext_cap_error(PCIDevice *pdev, uint16_t id,
                                 uint16_t offset, uint16_t size,
                                 const char *msg)
{
    Error *err = NULL;

    g_assert_false(pcie_add_capability(pdev, id, 1, offset, size, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
}

static void test_ext_cap_unaligned(Fixture *f, gconstpointer data)
{
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0xff6, 8,
                         "PASID capability offset 0xff6 is not dword "
                         "aligned");
}

static void test_ext_cap_below_0x100(Fixture *f, gconstpointer data)
{
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0xfc, 8,
                         "PASID capability offset 0xfc is below 0x100");
}

static void test_ext_cap_past_end(Fixture *f, gconstpointer data)
{
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0xffc, 8,
                         "PASID capability at 0xffc with size 0x8 runs past "
                         "the end of extended config space (0xfff)");
}

static void test_ext_cap_overlap_header(Fixture *f, gconstpointer data)
{
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_ACS, 0x100, 8,
                         "ACS capability at 0x100 (size 0x8) overlaps the "
                         "header of the PASID capability at 0x100");
}

static void test_ext_cap_overlap_body(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_ERR, 2, 0x200,
                                      PCI_ERR_ROOT_COMMAND, &err));
    g_assert_no_error(err);
    /* AER's body (to 0x22b) is known from the size table. */
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0x228, 8,
                         "PASID capability at 0x228 (size 0x8) overlaps the "
                         "body of the AER capability at 0x200 "
                         "(0x204-0x22b)");
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_ACS, 0x104, 8,
                         "ACS capability at 0x104 (size 0x8) overlaps the "
                         "body of the PASID capability at 0x100 "
                         "(0x104-0x107)");
    /* Right after the body is fine. */
    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_PASID, 1, 0x22c,
                                      8, &err));
    g_assert_no_error(err);
}

static void test_ext_cap_needs_offset(Fixture *f, gconstpointer data)
{
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_ACS, 0, 8,
                         "ACS capability needs an offset: the extended "
                         "capability list is not empty");
}

static void test_ext_cap_conventional(Fixture *f, gconstpointer data)
{
    PCIDevice *lpc = pci_find_device(f->ms->pci_root, 0, PCI_DEVFN(0x1f, 0));

    expect_ext_cap_error(lpc, PCI_EXT_CAP_ID_PASID, 0x100, 8,
                         "PASID capability: ICH9-LPC has no extended config "
                         "space");
}

static void test_ext_cap_null_head(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    PCIDevice *rp = PCI_DEVICE(test_device_add(TYPE_PCIE_ROOT_PORT, "rp",
                                               "pcie.0", &err, NULL));
    PCIDevice *pdev;

    g_assert_no_error(err);
    pdev = PCI_DEVICE(test_device_add(TYPE_TEST_PCIE_EP, NULL, "rp", &err,
                                      NULL));
    g_assert_no_error(err);
    g_assert_nonnull(rp);
    /* Empty the list, then place a capability at 0xff8 like vfio does. */
    memset(pdev->config + 0x100, 0, 8);
    g_assert_true(pcie_add_capability(pdev, PCI_EXT_CAP_ID_PASID, 1, 0xff8,
                                      8, &err));
    g_assert_no_error(err);
    g_assert_cmphex(pci_get_long(pdev->config + 0x100), ==, 0xff800000);
    g_assert_cmpuint(pcie_find_capability(pdev, PCI_EXT_CAP_ID_PASID), ==,
                     0xff8);
}

static void test_ext_cap_sizes(Fixture *f, gconstpointer data)
{
    PCIDevice *rp;
    Error *err = NULL;
    char buf[16];

    rp = PCI_DEVICE(test_device_add(TYPE_PCIE_ROOT_PORT, "rp", "pcie.0", &err,
                                    NULL));
    g_assert_no_error(err);
    g_assert_cmpuint(pcie_ext_cap_size(rp, 0x100), ==, 0x38);
    g_assert_cmpuint(pcie_ext_cap_size(rp, 0x148), ==, 8);
    g_assert_cmpuint(pcie_ext_cap_size(f->ep, 0x100), ==, 8);
    g_assert_cmpstr(pcie_ext_cap_name(PCI_EXT_CAP_ID_PASID, buf), ==,
                    "PASID");
    g_assert_cmpstr(pcie_ext_cap_name(0x42, buf), ==, "ID 0x42");
}

/* Write a raw extended capability header, as a host's config would hold. */
static void put_ext_header(PCIDevice *pdev, uint16_t pos, uint16_t id,
                           uint16_t next)
{
    pci_set_long(pdev->config + pos, PCI_EXT_CAP_HEADER(id, 1, next));
}

static void set_link_width(PCIDevice *pdev, unsigned lanes)
{
    uint8_t *lnkcap = pdev->config + pdev->exp_cap + PCI_EXP_LNKCAP;

    pci_set_long(lnkcap, (pci_get_long(lnkcap) & ~PCI_EXP_LNKCAP_MLW) |
                 (lanes << 4));
}

static void test_ext_cap_fixed_layouts(Fixture *f, gconstpointer data)
{
    static const struct { uint16_t id, size; const char *name; } t[] = {
        { PCI_EXT_CAP_ID_DLF, 0xc, "Data Link Feature" },
        { PCI_EXT_CAP_ID_DOE, 0x18, "DOE" },
        { PCI_EXT_CAP_ID_LNR, 0x8, "LN Requester" },
        { PCI_EXT_CAP_ID_RTR, 0xc, "Readiness Time Reporting" },
        { PCI_EXT_CAP_ID_NPEM, 0x10, "NPEM" },
        { PCI_EXT_CAP_ID_DEV3, 0x10, "Device 3" },
    };
    char buf[16];

    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        /* Last in the chain, so an unknown size would read as 0. */
        put_ext_header(f->ep, 0x100, PCI_EXT_CAP_ID_PASID, 0x200);
        put_ext_header(f->ep, 0x200, t[i].id, 0);
        g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x200), ==, t[i].size);
        g_assert_cmpstr(pcie_ext_cap_name(t[i].id, buf), ==, t[i].name);
    }
    /* The null capability is a header only, whatever follows it. */
    put_ext_header(f->ep, 0x100, 0, 0x800);
    put_ext_header(f->ep, 0x800, PCI_EXT_CAP_ID_ATS, 0);
    g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x100), ==, 4);
}

static void test_ext_cap_lane_layouts(Fixture *f, gconstpointer data)
{
    static const struct {
        uint16_t id, x1, x16, unknown; const char *name;
    } t[] = {
        { PCI_EXT_CAP_ID_LMR, 0xc, 0x48, 0x88, "Lane Margining at Receiver" },
        { PCI_EXT_CAP_ID_PL_16GT, 0x24, 0x30, 0x40,
          "Physical Layer 16.0 GT/s" },
        { PCI_EXT_CAP_ID_PL_32GT, 0x24, 0x30, 0x40,
          "Physical Layer 32.0 GT/s" },
        { PCI_EXT_CAP_ID_PL_64GT, 0x24, 0x30, 0x40,
          "Physical Layer 64.0 GT/s" },
        { PCI_EXT_CAP_ID_SECPCI, 0x10, 0x2c, 0x4c, "Secondary PCIe" },
    };
    char buf[16];

    g_assert_cmpuint(f->ep->exp_cap, !=, 0);
    put_ext_header(f->ep, 0x100, PCI_EXT_CAP_ID_PASID, 0x200);
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        put_ext_header(f->ep, 0x200, t[i].id, 0);
        set_link_width(f->ep, 1);
        g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x200), ==, t[i].x1);
        set_link_width(f->ep, 16);
        g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x200), ==, t[i].x16);
        /* No width to read (an RCiEP's link fields): assume x32. */
        set_link_width(f->ep, 0);
        g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x200), ==, t[i].unknown);
        g_assert_cmpstr(pcie_ext_cap_name(t[i].id, buf), ==, t[i].name);
    }
}

static void test_ext_cap_unknown_layout(Fixture *f, gconstpointer data)
{
    /* Linked out of address order: 0x100 -> 0x600 -> 0x200 -> 0x400. */
    put_ext_header(f->ep, 0x100, PCI_EXT_CAP_ID_PASID, 0x600);
    put_ext_header(f->ep, 0x600, 0x42, 0x200);
    put_ext_header(f->ep, 0x200, 0x43, 0x400);
    put_ext_header(f->ep, 0x400, PCI_EXT_CAP_ID_ATS, 0);
    /* Up to the next capability in address order, not in link order. */
    g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x200), ==, 0x200);
    /* Nothing above the last: no bound, only its header is protected. */
    g_assert_cmphex(pcie_ext_cap_size(f->ep, 0x600), ==, 0);
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_ACS, 0x3f8, 8,
                         "ACS capability at 0x3f8 (size 0x8) overlaps the "
                         "body of the ID 0x43 capability at 0x200 "
                         "(0x204-0x3ff)");
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_ACS, 0x600, 8,
                         "ACS capability at 0x600 (size 0x8) overlaps the "
                         "header of the ID 0x42 capability at 0x600");
    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_ACS, 1, 0x604, 8,
                                      NULL));
}

/* The reviewer's case: a PASID offset inside Lane Margining's lanes. */
static void test_ext_cap_overlap_lane_margining(Fixture *f,
                                                gconstpointer data)
{
    put_ext_header(f->ep, 0x100, PCI_EXT_CAP_ID_LMR, 0);
    set_link_width(f->ep, 16);
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0x104, 8,
                         "PASID capability at 0x104 (size 0x8) overlaps the "
                         "body of the Lane Margining at Receiver capability "
                         "at 0x100 (0x104-0x147)");
    expect_ext_cap_error(f->ep, PCI_EXT_CAP_ID_PASID, 0x144, 8,
                         "PASID capability at 0x144 (size 0x8) overlaps the "
                         "body of the Lane Margining at Receiver capability "
                         "at 0x100 (0x104-0x147)");
    g_assert_true(pcie_add_capability(f->ep, PCI_EXT_CAP_ID_PASID, 1, 0x148,
                                      8, NULL));
    g_assert_cmphex(pci_get_long(f->ep->config + 0x100), ==,
                    PCI_EXT_CAP_HEADER(PCI_EXT_CAP_ID_LMR, 1, 0x148));
}

/* ---- bus placement ---- */

static void expect_add_error(const char *type, const char *bus,
                             const char *addr, const char *mf,
                             const char *msg)
{
    Error *err = NULL;
    g_autofree char *a = g_strdup_printf("addr=%s", addr);
    g_autofree char *m = g_strdup_printf("multifunction=%s", mf);

    g_assert_null(test_device_add(type, NULL, bus, &err, a, m, NULL));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    error_free(err);
}

static void test_slot_in_use(Fixture *f, gconstpointer data)
{
    expect_add_error(TYPE_TEST_PCIE_EP, "pcie.0", "5", "off",
                     "PCI: slot 5 function 0 not available for test-pcie-ep, "
                     "in use by test-pcie-ep,id=ep");
    expect_add_error(TYPE_TEST_PCIE_EP, "pcie.0", "0", "off",
                     "PCI: slot 0 function 0 not available for test-pcie-ep, "
                     "in use by mch,id=");
}

static void test_slot_auto(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    PCIDevice *d = PCI_DEVICE(test_device_add(TYPE_TEST_PCIE_EP, NULL,
                                              "pcie.0", &err, NULL));

    g_assert_no_error(err);
    g_assert_cmpint(d->devfn, ==, PCI_DEVFN(1, 0));
}

static void test_slot_multifunction(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    expect_add_error(TYPE_TEST_PCIE_EP, "pcie.0", "5.1", "off",
                     "PCI: single function device can't be populated in "
                     "function 5.1");
    /* ICH9-LPC at 1f.0 is multifunction: 1f.5 is free to use. */
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, NULL, "pcie.0", &err,
                                     "addr=1f.5", NULL));
    g_assert_no_error(err);
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, NULL, "pcie.0", &err,
                                     "addr=6.3", NULL));
    g_assert_no_error(err);
    expect_add_error(TYPE_TEST_PCIE_EP, "pcie.0", "6.0", "off",
                     "PCI: 6.0 indicates single function, but 6.3 is already "
                     "populated.");
}

static void test_slot_root_port_only_0(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp", "pcie.0",
                                     &err, NULL));
    g_assert_no_error(err);
    expect_add_error(TYPE_TEST_PCIE_EP, "rp", "2", "off",
                     "PCI: slot 2 is not valid for test-pcie-ep, parent "
                     "device only allows plugging into slot 0.");
}

static void test_slot_freed_on_unplug(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    qdev_unplug_and_free(DEVICE(f->ep));
    g_assert_null(f->ms->pci_root->devices[PCI_DEVFN(5, 0)]);
    f->ep = PCI_DEVICE(test_device_add(TYPE_TEST_PCIE_EP, "ep2", "pcie.0",
                                       &err, "addr=5", NULL));
    g_assert_no_error(err);
}

/* ---- vIOMMU lookup ---- */

static int viommu_sets;

static bool viommu_set(void *opaque, PCIDevice *pdev, HostIOMMUDevice *hiod,
                       Error **errp)
{
    if (pdev->devfn == PCI_DEVFN(6, 0)) {
        error_setg(errp, "refused");
        return false;
    }
    viommu_sets++;
    return true;
}

static uint64_t viommu_flags(void *opaque, PCIDevice *pdev)
{
    return VIOMMU_FLAG_PASID_SUPPORTED;
}

static const PCIIOMMUOps viommu_ops = {
    .set_iommu_device = viommu_set,
    .get_viommu_flags = viommu_flags,
};

static void test_iommu_found_through_root_bus(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    PCIDevice *below;

    g_assert_false(pci_device_has_iommu(f->ep));
    g_assert_cmpuint(pci_device_get_viommu_flags(f->ep), ==, 0);
    g_assert_true(pci_device_set_iommu_device(f->ep, NULL, &err));
    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp", "pcie.0",
                                     &err, "addr=6", NULL));
    below = PCI_DEVICE(test_device_add(TYPE_TEST_PCIE_EP, NULL, "rp", &err,
                                       NULL));
    g_assert_no_error(err);
    pci_setup_iommu(f->ms->pci_root, &viommu_ops, NULL);
    viommu_sets = 0;
    g_assert_true(pci_device_has_iommu(below));
    g_assert_cmpuint(pci_device_get_viommu_flags(below), ==,
                     VIOMMU_FLAG_PASID_SUPPORTED);
    g_assert_true(pci_device_set_iommu_device(below, NULL, &err));
    g_assert_cmpint(viommu_sets, ==, 1);
    pci_device_unset_iommu_device(below);       /* no hook: a no-op */
    g_assert_false(pci_device_set_iommu_device(
        pci_find_device(f->ms->pci_root, 0, PCI_DEVFN(6, 0)), NULL, &err));
    g_assert_cmpstr(err->message, ==, "refused");
    error_free(err);
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/pci/config/read-only-bits-ignore-writes", test_config_read_only);
    ADD("/pci/config/writable-bits-follow-wmask", test_config_writable);
    ADD("/pci/config/w1c-bits-clear-on-one", test_config_w1c);
    ADD("/pci/config/out-of-range-reads-all-ones", test_config_out_of_range);
    ADD("/pci/config/reset-restores-realize-state", test_config_reset);
    ADD("/pci/cap/add-and-find", test_std_cap_add_find);
    ADD("/pci/cap/bad-placement-refused", test_std_cap_refused);
    ADD("/pci/ext-cap/add-find-insert-sorted", test_ext_cap_add_find);
    ADD("/pci/ext-cap/unaligned-refused", test_ext_cap_unaligned);
    ADD("/pci/ext-cap/below-0x100-refused", test_ext_cap_below_0x100);
    ADD("/pci/ext-cap/past-end-refused", test_ext_cap_past_end);
    ADD("/pci/ext-cap/overlap-header-refused", test_ext_cap_overlap_header);
    ADD("/pci/ext-cap/overlap-body-refused", test_ext_cap_overlap_body);
    ADD("/pci/ext-cap/offset-required-when-list-not-empty",
        test_ext_cap_needs_offset);
    ADD("/pci/ext-cap/conventional-device-refused",
        test_ext_cap_conventional);
    ADD("/pci/ext-cap/empty-list-gets-null-head", test_ext_cap_null_head);
    ADD("/pci/ext-cap/size-and-name-tables", test_ext_cap_sizes);
    ADD("/pci/ext-cap/fixed-layouts-sized", test_ext_cap_fixed_layouts);
    ADD("/pci/ext-cap/lane-layouts-sized-by-link-width",
        test_ext_cap_lane_layouts);
    ADD("/pci/ext-cap/unknown-layout-runs-to-next-cap",
        test_ext_cap_unknown_layout);
    ADD("/pci/ext-cap/overlap-lane-margining-body-refused",
        test_ext_cap_overlap_lane_margining);
    ADD("/pci/bus/slot-in-use-refused", test_slot_in_use);
    ADD("/pci/bus/auto-addr-takes-first-free-slot", test_slot_auto);
    ADD("/pci/bus/multifunction-rules", test_slot_multifunction);
    ADD("/pci/bus/root-port-allows-only-slot-0", test_slot_root_port_only_0);
    ADD("/pci/bus/unplug-frees-slot", test_slot_freed_on_unplug);
    ADD("/pci/iommu/found-through-root-bus",
        test_iommu_found_through_root_bus);
    return g_test_run();
}

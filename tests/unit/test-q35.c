/*
 * The q35 machine as a guest sees it: legacy and ECAM config access,
 * PCIEXBAR, bridges, the root port's capabilities, slot status and the
 * lspci dump.
 */
#include "pci-test-helpers.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw/pci/pci-dump.h"
#include "hw/pci/pcie_port.h"

#define RP_DEVFN PCI_DEVFN(2, 0)

typedef struct Fixture {
    MachineState *ms;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    f->ms = test_q35_new();
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    test_q35_free();
}

static uint64_t pciexbar_read(MachineState *ms)
{
    return cf8_read(ms, 0, 0, 0x60, 4) |
           ((uint64_t)cf8_read(ms, 0, 0, 0x64, 4) << 32);
}

static void add_root_port_with_ep(Fixture *f)
{
    Error *err = NULL;

    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp1", "pcie.0",
                                     &err, "chassis=1", "slot=2", "addr=2",
                                     NULL));
    g_assert_no_error(err);
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, "ep1", "rp1", &err,
                                     NULL));
    g_assert_no_error(err);
}

/* Firmware numbering: the root port's secondary side is bus 1. */
static void program_root_port(MachineState *ms)
{
    cf8_write(ms, 0, RP_DEVFN, PCI_PRIMARY_BUS, 0x00010100, 4);
}

static void test_cf8_host_bridge(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(cf8_read(f->ms, 0, 0, PCI_VENDOR_ID, 4), ==, 0x29c08086);
    g_assert_cmphex(cf8_read(f->ms, 0, 0, PCI_DEVICE_ID, 2), ==, 0x29c0);
    g_assert_cmphex(cf8_read(f->ms, 0, 0, PCI_CLASS_DEVICE, 2), ==, 0x0600);
    /* Absent functions and a disabled address register read all ones. */
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(9, 0), 0, 4), ==,
                    0xffffffff);
    address_space_st(&f->ms->io, 0xcf8, 0, 4);
    g_assert_cmphex(address_space_ld(&f->ms->io, 0xcfc, 4), ==, 0xffffffff);
    /* The address register latches dword writes only. */
    address_space_st(&f->ms->io, 0xcf8, 0x80000000, 4);
    address_space_st(&f->ms->io, 0xcf8, 0x12, 1);
    g_assert_cmphex(address_space_ld(&f->ms->io, 0xcf8, 4), ==, 0x80000000);
}

static void test_ich9_functions(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(0x1f, 0), 0, 4), ==,
                    0x29188086);
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(0x1f, 0), PCI_HEADER_TYPE,
                             1), ==, 0x80);
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(0x1f, 2), 0, 4), ==,
                    0x29228086);
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(0x1f, 2), 0x08, 4) >> 8, ==,
                    0x010601);
    g_assert_cmphex(cf8_read(f->ms, 0, PCI_DEVFN(0x1f, 3), 0, 4), ==,
                    0x29308086);
}

static void test_pciexbar_reset_value(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(pciexbar_read(f->ms), ==, 0xb0000000);
    /* Disabled: nothing decodes at the default base. */
    g_assert_cmphex(ecam_read(f->ms, 0, 0, 0, 4), ==, 0);
}

static void test_pciexbar_enable(Fixture *f, gconstpointer data)
{
    ecam_enable(f->ms, TEST_ECAM_BASE);
    g_assert_cmphex(pciexbar_read(f->ms), ==, 0xb0000001);
    g_assert_cmphex(ecam_read(f->ms, 0, 0, PCI_VENDOR_ID, 4), ==, 0x29c08086);
    g_assert_cmphex(ecam_read(f->ms, 0, 0, PCI_DEVICE_ID, 2), ==, 0x29c0);
    g_assert_cmphex(ecam_read(f->ms, 0, PCI_DEVFN(0x1f, 3), 0, 4), ==,
                    0x29308086);
    /* Conventional functions have no extended space; absent ones none. */
    g_assert_cmphex(ecam_read(f->ms, 0, 0, 0x100, 4), ==, 0xffffffff);
    g_assert_cmphex(ecam_read(f->ms, 0, PCI_DEVFN(7, 0), 0, 4), ==,
                    0xffffffff);
    /* A qword is two dwords. */
    g_assert_cmphex(address_space_ld(&f->ms->memory, ecam_addr(0, 0, 0), 8),
                    ==, 0x0000000029c08086ULL |
                    ((uint64_t)ecam_read(f->ms, 0, 0, 4, 4) << 32));
}

static void test_pciexbar_disable(Fixture *f, gconstpointer data)
{
    ecam_enable(f->ms, TEST_ECAM_BASE);
    ecam_write(f->ms, 0, 0, 0x60, 0xb0000000, 4);
    g_assert_cmphex(ecam_read(f->ms, 0, 0, 0, 4), ==, 0);
    g_assert_cmphex(pciexbar_read(f->ms), ==, 0xb0000000);
}

static void test_pciexbar_relocate(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;

    ecam_enable(ms, TEST_ECAM_BASE);
    /* 64 MiB window (64 buses) at 0xe0000000. */
    ecam_write(ms, 0, 0, 0x60, 0xe0000005, 4);
    g_assert_cmphex(ecam_read(ms, 0, 0, 0, 4), ==, 0);
    g_assert_cmphex(address_space_ld(&ms->memory, 0xe0000000, 4), ==,
                    0x29c08086);
    g_assert_cmphex(address_space_ld(&ms->memory, 0xe0000000 + (63 << 20),
                                     4), ==, 0xffffffff);
    g_assert_cmphex(address_space_ld(&ms->memory, 0xe0000000 + (64 << 20),
                                     4), ==, 0);
    /* Above 4 GiB through the high dword. */
    cf8_write(ms, 0, 0, 0x64, 0x8, 4);
    cf8_write(ms, 0, 0, 0x60, 0x10000001, 4);
    g_assert_cmphex(address_space_ld(&ms->memory, 0x810000000ULL, 4), ==,
                    0x29c08086);
    g_assert_cmphex(address_space_ld(&ms->memory, 0xe0000000, 4), ==, 0);
}

static void test_pciexbar_reserved_bits(Fixture *f, gconstpointer data)
{
    cf8_write(f->ms, 0, 0, 0x60, 0xffffffff, 4);
    cf8_write(f->ms, 0, 0, 0x64, 0xffffffff, 4);
    g_assert_cmphex(pciexbar_read(f->ms), ==, MCH_HOST_BRIDGE_PCIEXBAR_WMASK);
    /* Length 11b is reserved: the window stays off. */
    g_assert_cmphex(address_space_ld(&f->ms->memory, 0xffc000000ULL, 4), ==,
                    0);
}

static void test_pciexbar_system_reset(Fixture *f, gconstpointer data)
{
    ecam_enable(f->ms, TEST_ECAM_BASE);
    machine_reset(f->ms);
    g_assert_cmphex(address_space_ld(&f->ms->io, 0xcf8, 4), ==, 0);
    g_assert_cmphex(pciexbar_read(f->ms), ==, 0xb0000000);
    g_assert_cmphex(ecam_read(f->ms, 0, 0, 0, 4), ==, 0);
}

static void test_ram(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;

    g_assert_cmpuint(ms->ram_size, ==, 128 << 20);
    address_space_st(&ms->memory, 0x1000, 0x1122334455667788ULL, 8);
    g_assert_cmphex(address_space_ld(&ms->memory, 0x1000, 8), ==,
                    0x1122334455667788ULL);
    g_assert_cmphex(address_space_ld(&ms->memory, 0x1004, 4), ==, 0x11223344);
}

static void test_bridge_bus_numbers(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;

    add_root_port_with_ep(f);
    ecam_enable(ms, TEST_ECAM_BASE);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, 0, 4), ==, 0x000c1b36);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, PCI_HEADER_TYPE, 1), ==, 1);
    /* Not numbered yet: nothing behind the port answers. */
    g_assert_cmphex(ecam_read(ms, 1, 0, 0, 4), ==, 0xffffffff);
    program_root_port(ms);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, PCI_PRIMARY_BUS, 4), ==,
                    0x00010100);
    g_assert_cmphex(ecam_read(ms, 1, 0, 0, 4), ==, 0x00ff1b36);
    g_assert_cmphex(cf8_read(ms, 1, 0, 0, 4), ==, 0x00ff1b36);
    g_assert_cmphex(ecam_read(ms, 2, 0, 0, 4), ==, 0xffffffff);
    g_assert_cmpuint(pci_bus_num(PCI_DEVICE(qdev_find_by_id("ep1"))->bus), ==,
                     1);
    /* Renumbered to 5..7: bus 1 is gone, bus 5 answers. */
    ecam_write(ms, 0, RP_DEVFN, PCI_SECONDARY_BUS, 0x0705, 2);
    g_assert_cmphex(ecam_read(ms, 1, 0, 0, 4), ==, 0xffffffff);
    g_assert_cmphex(ecam_read(ms, 5, 0, 0, 4), ==, 0x00ff1b36);
    g_autofree char *bdf =
        pci_device_bdf(PCI_DEVICE(qdev_find_by_id("ep1")));
    g_assert_cmpstr(bdf, ==, "0000:05:00.0");
}

static void test_root_port_acs(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;
    uint16_t acs;
    uint16_t all = PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR |
                   PCI_ACS_UF;

    add_root_port_with_ep(f);
    ecam_enable(ms, TEST_ECAM_BASE);
    acs = ecam_find_ext_cap(ms, 0, RP_DEVFN, PCI_EXT_CAP_ID_ACS);
    g_assert_cmphex(acs, ==, 0x148);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, acs + PCI_ACS_CAP, 2), ==, all);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, acs + PCI_ACS_CTRL, 2), ==, 0);
    ecam_write(ms, 0, RP_DEVFN, acs + PCI_ACS_CTRL, 0xffff, 2);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, acs + PCI_ACS_CTRL, 2), ==, all);
    g_assert_cmphex(ecam_find_ext_cap(ms, 0, RP_DEVFN, PCI_EXT_CAP_ID_ERR), ==,
                    0x100);
}

/* DESIGN §8: what Linux's pci_enable_pasid() checks, from the guest side. */
static void test_pasid_preconditions(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;
    uint8_t rp_exp, ep_exp;
    uint16_t acs, pasid;
    uint32_t devcap2;

    add_root_port_with_ep(f);
    ecam_enable(ms, TEST_ECAM_BASE);
    program_root_port(ms);
    /* The root port: type Root Port with End-End TLP prefix support. */
    rp_exp = ecam_find_cap(ms, 0, RP_DEVFN, PCI_CAP_ID_EXP);
    g_assert_cmpuint(rp_exp, ==, 0x40);
    g_assert_cmpuint((ecam_read(ms, 0, RP_DEVFN, rp_exp + PCI_EXP_FLAGS, 2) &
                      PCI_EXP_FLAGS_TYPE) >> 4, ==, PCI_EXP_TYPE_ROOT_PORT);
    devcap2 = ecam_read(ms, 0, RP_DEVFN, rp_exp + PCI_EXP_DEVCAP2, 4);
    g_assert_true(devcap2 & PCI_EXP_DEVCAP2_EE_PREFIX);
    g_assert_cmpuint(devcap2 & PCI_EXP_DEVCAP2_EE_PREFIX_MAX, ==, 0);
    /* The endpoint: prefix support too, so the path has it. */
    ep_exp = ecam_find_cap(ms, 1, 0, PCI_CAP_ID_EXP);
    g_assert_cmpuint(ep_exp, !=, 0);
    g_assert_true(ecam_read(ms, 1, 0, ep_exp + PCI_EXP_DEVCAP2, 4) &
                  PCI_EXP_DEVCAP2_EE_PREFIX);
    /* ACS RR and UF available and enabled on every bridge to the root. */
    acs = ecam_find_ext_cap(ms, 0, RP_DEVFN, PCI_EXT_CAP_ID_ACS);
    g_assert_cmpuint(acs, !=, 0);
    ecam_write(ms, 0, RP_DEVFN, acs + PCI_ACS_CTRL,
               PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF, 2);
    g_assert_cmphex(ecam_read(ms, 0, RP_DEVFN, acs + PCI_ACS_CTRL, 2) &
                    (PCI_ACS_RR | PCI_ACS_UF), ==, PCI_ACS_RR | PCI_ACS_UF);
    /* Then Control = Enable | features, read back. */
    pasid = ecam_find_ext_cap(ms, 1, 0, PCI_EXT_CAP_ID_PASID);
    g_assert_cmpuint(pasid, !=, 0);
    ecam_write(ms, 1, 0, pasid + PCI_PASID_CTRL, 7, 2);
    g_assert_cmphex(ecam_read(ms, 1, 0, pasid + PCI_PASID_CTRL, 2), ==, 7);
}

static uint16_t rp_slot_status(MachineState *ms)
{
    return ecam_read(ms, 0, RP_DEVFN, 0x40 + PCI_EXP_SLTSTA, 2);
}

static void test_slot_presence(Fixture *f, gconstpointer data)
{
    MachineState *ms = f->ms;
    Error *err = NULL;
    uint32_t sltcap;

    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, "rp1", "pcie.0",
                                     &err, "slot=2", "addr=2", NULL));
    g_assert_no_error(err);
    ecam_enable(ms, TEST_ECAM_BASE);
    sltcap = ecam_read(ms, 0, RP_DEVFN, 0x40 + PCI_EXP_SLTCAP, 4);
    g_assert_cmpuint(sltcap >> PCI_EXP_SLTCAP_PSN_SHIFT, ==, 2);
    g_assert_true(sltcap & PCI_EXP_SLTCAP_HPC);
    g_assert_cmphex(rp_slot_status(ms) &
                    (PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC), ==, 0);
    /* Hot plug: present and changed. */
    g_assert_true(machine_init_done(ms, &err));
    g_assert_no_error(err);
    g_assert_nonnull(test_device_add(TYPE_TEST_PCIE_EP, "ep1", "rp1", &err,
                                     NULL));
    g_assert_no_error(err);
    g_assert_cmphex(rp_slot_status(ms) &
                    (PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC), ==,
                    PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC);
    g_assert_true(ecam_read(ms, 0, RP_DEVFN, 0x40 + PCI_EXP_LNKSTA, 2) &
                  PCI_EXP_LNKSTA_DLLLA);
    /* The guest acknowledges: PDC is write-1-to-clear, PDS read-only. */
    ecam_write(ms, 0, RP_DEVFN, 0x40 + PCI_EXP_SLTSTA, 0xffff, 2);
    g_assert_cmphex(rp_slot_status(ms) &
                    (PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC), ==,
                    PCI_EXP_SLTSTA_PDS);
    /* Unplug: absent and changed. */
    qdev_unplug_and_free(qdev_find_by_id("ep1"));
    g_assert_cmphex(rp_slot_status(ms) &
                    (PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC), ==,
                    PCI_EXP_SLTSTA_PDC);
}

static void test_slot_cold_plug_and_reset(Fixture *f, gconstpointer data)
{
    add_root_port_with_ep(f);
    ecam_enable(f->ms, TEST_ECAM_BASE);
    g_assert_cmphex(rp_slot_status(f->ms) &
                    (PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC), ==,
                    PCI_EXP_SLTSTA_PDS);
    program_root_port(f->ms);
    machine_reset(f->ms);
    ecam_enable(f->ms, TEST_ECAM_BASE);
    /* Reset clears the bus numbers but the slot stays occupied. */
    g_assert_cmphex(ecam_read(f->ms, 0, RP_DEVFN, PCI_PRIMARY_BUS, 4), ==, 0);
    g_assert_cmphex(rp_slot_status(f->ms) & PCI_EXP_SLTSTA_PDS, ==,
                    PCI_EXP_SLTSTA_PDS);
}

static void test_bus_named_after_id(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    add_root_port_with_ep(f);
    g_assert_nonnull(qbus_find("rp1"));
    g_assert_nonnull(test_device_add(TYPE_PCIE_ROOT_PORT, NULL, "pcie.0",
                                     &err, NULL));
    g_assert_no_error(err);
    g_assert_nonnull(qbus_find("pcie.1"));
    /* The bus goes with its bridge. */
    qdev_unplug_and_free(qdev_find_by_id("rp1"));
    g_assert_null(qbus_find("rp1"));
    g_assert_null(qdev_find_by_id("ep1"));
}

static void test_dump_format(Fixture *f, gconstpointer data)
{
    g_autofree char *dump = NULL;
    g_auto(GStrv) lines = NULL;

    add_root_port_with_ep(f);
    dump = pci_dump_lspci(f->ms->pci_root);
    g_assert_true(g_str_has_prefix(dump, "00:00.0 Host bridge: Device "
                                         "8086:29c0\n00: 86 80 c0 29 "));
    /*
     * The endpoint behind the unnumbered root port is listed where
     * firmware would put it (bus 1), the port's bytes saying so.
     */
    g_assert_nonnull(strstr(dump, "\n01:00.0 "));
    g_assert_nonnull(strstr(dump, "\n10: 00 00 00 00 00 00 00 00 00 01 01 "));
    g_free(dump);
    program_root_port(f->ms);
    dump = pci_dump_lspci(f->ms->pci_root);
    g_assert_nonnull(strstr(dump, "\n00:02.0 PCI bridge: Device 1b36:000c\n"));
    g_assert_nonnull(strstr(dump, "\n01:00.0 "));
    g_assert_nonnull(strstr(dump, "\nff0: 00 00 00 00"));
    lines = g_strsplit(dump, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        g_assert_cmpuint(strlen(lines[i]), <=, 4 + 16 * 3);
    }
}

static void test_lspci_decodes_dump(Fixture *f, gconstpointer data)
{
    g_autofree char *dump = NULL;
    g_autofree char *path = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err_text = NULL;
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) lines = NULL;
    const char *argv[] = { "lspci", "-F", NULL, "-vvv", NULL };
    int status, fd;

    if (!g_file_test("/usr/bin/lspci", G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("lspci not installed");
        return;
    }
    add_root_port_with_ep(f);
    program_root_port(f->ms);
    dump = pci_dump_lspci(f->ms->pci_root);
    fd = g_file_open_tmp("vv-lspci-XXXXXX", &path, &err);
    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(path, dump, -1, &err));
    argv[2] = path;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err_text, &status, &err));
    g_assert_no_error(err);
    unlink(path);
    if (g_test_verbose()) {
        printf("%s%s", out, err_text);
    }
    g_assert_true(g_spawn_check_wait_status(status, &err));
    g_assert_no_error(err);
    /*
     * libkmod's complaint is about the host (no /lib/modules in a
     * container), not about the dump: every other "lspci:" line fails.
     */
    lines = g_strsplit(err_text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (!strstr(lines[i], "libkmod")) {
            g_assert_null(strstr(lines[i], "lspci:"));
        }
    }
    g_assert_null(strstr(out, "lspci:"));
    g_assert_nonnull(strstr(out, "Root Port (Slot+)"));
    g_assert_nonnull(strstr(out, "Access Control Services"));
    g_assert_nonnull(strstr(out, "Process Address Space ID (PASID)"));
    g_assert_nonnull(strstr(out, "01:00.0 "));
}

static void test_query_pci(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *json = NULL;
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonObject) args = json_object_new();

    add_root_port_with_ep(f);
    program_root_port(f->ms);
    node = qmp_query_pci(args, &err);
    g_assert_no_error(err);
    json_generator_set_root(gen, node);
    json = json_generator_to_data(gen, NULL);
    g_assert_true(g_str_has_prefix(json,
        "[{\"bus\":0,\"devices\":[{\"bus\":0,\"slot\":0,\"function\":0,"
        "\"class_info\":{\"desc\":\"Host bridge\",\"class\":1536},"
        "\"id\":{\"device\":10688,\"vendor\":32902,\"subsystem\":4352,"
        "\"subsystem-vendor\":6900},\"irq_pin\":0,\"qdev_id\":\"\","
        "\"regions\":[]},"));
    g_assert_nonnull(strstr(json,
        "\"qdev_id\":\"rp1\",\"pci_bridge\":{\"bus\":{\"number\":0,"
        "\"secondary\":1,\"subordinate\":1,"));
    g_assert_nonnull(strstr(json, "\"devices\":[{\"bus\":1,\"slot\":0,"));
    g_assert_nonnull(strstr(json, "\"qdev_id\":\"ep1\""));
}

static void test_hmp_info_pci(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    g_autofree char *text = NULL;

    add_root_port_with_ep(f);
    program_root_port(f->ms);
    text = hmp_info_pci(&err);
    g_assert_no_error(err);
    g_assert_true(g_str_has_prefix(text,
        "  Bus  0, device   0, function 0:\n"
        "    Host bridge: PCI device 8086:29c0\n"
        "      PCI subsystem 1af4:1100\n"
        "      id \"\"\n"));
    g_assert_nonnull(strstr(text,
        "  Bus  0, device   2, function 0:\n"
        "    PCI bridge: PCI device 1b36:000c\n"
        "      IRQ 0, pin A\n"
        "      BUS 0.\n"
        "      secondary bus 1.\n"
        "      subordinate bus 1.\n"));
    g_assert_nonnull(strstr(text, "  Bus  1, device   0, function 0:\n"));
}

static void test_query_pci_config(Fixture *f, gconstpointer data)
{
    Error *err = NULL;
    g_autoptr(JsonObject) args = json_object_new();
    g_autoptr(JsonNode) node = qmp_x_query_pci_config(args, &err);
    g_autofree char *dump = pci_dump_lspci(f->ms->pci_root);

    g_assert_no_error(err);
    g_assert_cmpstr(json_object_get_string_member(
                        json_node_get_object(node), "human-readable-text"),
                    ==, dump);
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/q35/cf8/host-bridge-ids", test_cf8_host_bridge);
    ADD("/q35/ich9/functions-qemu-always-creates", test_ich9_functions);
    ADD("/q35/pciexbar/disabled-at-reset", test_pciexbar_reset_value);
    ADD("/q35/pciexbar/enable-maps-ecam", test_pciexbar_enable);
    ADD("/q35/pciexbar/disable-unmaps-ecam", test_pciexbar_disable);
    ADD("/q35/pciexbar/relocate-and-resize", test_pciexbar_relocate);
    ADD("/q35/pciexbar/reserved-bits-read-zero", test_pciexbar_reserved_bits);
    ADD("/q35/pciexbar/system-reset-restores", test_pciexbar_system_reset);
    ADD("/q35/ram/default-size-read-write", test_ram);
    ADD("/q35/bridge/guest-programmed-bus-numbers", test_bridge_bus_numbers);
    ADD("/q35/bridge/secondary-bus-named-after-id", test_bus_named_after_id);
    ADD("/q35/root-port/acs-found-by-chain-walk", test_root_port_acs);
    ADD("/q35/root-port/linux-pasid-preconditions",
        test_pasid_preconditions);
    ADD("/q35/root-port/slot-presence-follows-hotplug", test_slot_presence);
    ADD("/q35/root-port/cold-plug-present-after-reset",
        test_slot_cold_plug_and_reset);
    ADD("/q35/dump/lspci-xxxx-format", test_dump_format);
    ADD("/q35/dump/lspci-decodes-without-complaint", test_lspci_decodes_dump);
    ADD("/q35/monitor/query-pci-qemu-schema", test_query_pci);
    ADD("/q35/monitor/info-pci-qemu-text", test_hmp_info_pci);
    ADD("/q35/monitor/x-query-pci-config-is-the-dump",
        test_query_pci_config);
    return g_test_run();
}

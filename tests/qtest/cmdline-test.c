/*
 * The command line, black box: every bad input gives QEMU's message with
 * the option that caused it, and exit status 1.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct Run {
    int status;
    char *out;
    char *err;
} Run;

static void run_free(Run *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Run the program with @args (split on spaces; JSON args are passed
 * separately through @json, which may be NULL). */
static Run run(const char *args, const char *json)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) split = g_strsplit(args, " ", -1);
    g_autoptr(GError) err = NULL;
    Run r = { 0 };
    int wait_status;

    g_ptr_array_add(argv, g_strdup(g_getenv("VV_BINARY")));
    for (int i = 0; split[i]; i++) {
        if (*split[i]) {
            g_ptr_array_add(argv, g_strdup(split[i]));
        }
    }
    if (json) {
        g_ptr_array_add(argv, g_strdup(json));
    }
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                               &wait_status, &err));
    g_assert_true(WIFEXITED(wait_status));
    r.status = WEXITSTATUS(wait_status);
    return r;
}

static void expect_error(const char *args, const char *json,
                         const char *message)
{
    Run r = run(args, json);
    g_autofree char *expected = g_strdup_printf("vfio-viommu: %s\n", message);

    g_assert_cmpstr(r.err, ==, expected);
    g_assert_cmpint(r.status, ==, 1);
    run_free(&r);
}

#define BASE "-M q35 -accel qtest -display none -S "

static void test_unknown_option(void)
{
    expect_error("-foo", NULL, "-foo: invalid option");
    expect_error("--bar", NULL, "--bar: invalid option");
    expect_error("stray", NULL, "stray: invalid option");
    expect_error("-device", NULL, "-device: requires an argument");
}

static void test_bad_values(void)
{
    expect_error(BASE "-accel tcg", NULL, "-accel tcg: accelerator 'tcg' "
                 "is not supported: vfio-viommu runs no guest CPUs "
                 "(use -accel qtest)");
    expect_error(BASE "-display gtk", NULL,
                 "-display gtk: Parameter 'type' does not accept value 'gtk'");
    expect_error(BASE "-audio pa", NULL,
                 "-audio pa: Parameter 'driver' does not accept value 'pa'");
    expect_error(BASE "-m foo", NULL, "-m foo: Parameter 'size' expects a "
                 "non-negative number below 2^64");
    expect_error(BASE "-m 99999999999999999999", NULL,
                 "-m 99999999999999999999: Parameter 'size' expects a "
                 "non-negative number below 2^64");
    expect_error(BASE "-m 17592186044416", NULL,
                 "-m 17592186044416: too large 'size' option value");
    expect_error("-M nosuch -accel qtest", NULL,
                 "-M nosuch: unsupported machine type: \"nosuch\"");
    expect_error(BASE "-run-with foo=1", NULL,
                 "-run-with foo=1: Invalid parameter 'foo'");
    expect_error(BASE "-device pcie-root-port,chassis=x", NULL,
                 "-device pcie-root-port,chassis=x: Parameter 'chassis' "
                 "expects integer");
    expect_error(BASE "-device pcie-root-port,chassis=300", NULL,
                 "-device pcie-root-port,chassis=300: Parameter 'chassis' "
                 "expects uint8_t");
    expect_error(BASE "-device pcie-root-port,addr=0x20", NULL,
                 "-device pcie-root-port,addr=0x20: Property "
                 "'pcie-root-port.addr' doesn't take value '0x20'");
    expect_error(BASE "-device pcie-root-port,bus=nobus", NULL,
                 "-device pcie-root-port,bus=nobus: Bus 'nobus' not found");
}

static void test_unknown_names(void)
{
    expect_error(BASE "-device nosuch", NULL,
                 "-device nosuch: 'nosuch' is not a valid device model name");
    expect_error(BASE "-device ,id=x", NULL,
                 "-device ,id=x: '' is not a valid device model name");
    expect_error(BASE "-device pcie-root-port,foo=1", NULL,
                 "-device pcie-root-port,foo=1: Property "
                 "'pcie-root-port.foo' not found");
    expect_error(BASE "-object nosuch,id=x", NULL, "-object nosuch,id=x: "
                 "Parameter 'qom-type' does not accept value 'nosuch'");
    expect_error(BASE "-device id=x", NULL,
                 "-device id=x: Parameter 'driver' is missing");
}

static void test_missing_required(void)
{
    g_autofree char *host = g_strdup_printf("-host-sim %s/tests/data/hosts/"
                                            "intel-pasid.json ",
                                            g_getenv("VV_SOURCE_ROOT"));
    g_autofree char *args = g_strconcat(BASE, host, "-object iommufd,id=i "
                                        "-device vfio-pci,iommufd=i", NULL);

    expect_error(BASE "-object iommufd", NULL,
                 "-object iommufd: Parameter 'id' is missing");
    expect_error(BASE "-device vfio-pci,host=0000:01:00.0", NULL,
                 "-device vfio-pci,host=0000:01:00.0: vfio-pci: property "
                 "'iommufd' is required (only the iommufd backend is "
                 "supported)");
    expect_error(args, NULL, "-device vfio-pci,iommufd=i: No provided host "
                 "device - Use -device vfio-pci,host=DDDD:BB:DD.F, -device "
                 "vfio-pci,sysfsdev=PATH_TO_DEVICE or -device "
                 "vfio-pci,fd=DEVICE_FD");
}

static void test_duplicate_ids(void)
{
    expect_error(BASE "-device pcie-root-port,id=a,chassis=1 "
                 "-device pcie-root-port,id=a,chassis=2", NULL,
                 "-device pcie-root-port,id=a,chassis=2: Duplicate ID 'a' "
                 "for device");
    expect_error(BASE "-device pcie-root-port,id=1a", NULL,
                 "-device pcie-root-port,id=1a: Parameter 'id' expects an "
                 "identifier");
}

static void test_json_forms(void)
{
    expect_error(BASE "-device", "{\"driver\": \"pcie-root-port\", "
                 "\"chassis\": [1]}", "-device {\"driver\": "
                 "\"pcie-root-port\", \"chassis\": [1]}: Invalid parameter "
                 "type for 'chassis', expected: scalar");
    expect_error(BASE "-device", "{\"driver\": \"pcie-root-port\", "
                 "\"chassis\": \"x\"}", "-device {\"driver\": "
                 "\"pcie-root-port\", \"chassis\": \"x\"}: Parameter "
                 "'chassis' expects integer");
}

/* Each mistake is one line (the docs' promise), and not misleading. */
static void test_one_line_each(void)
{
    Run r;

    /* QEMU: "-m 0" means the default size; the next option is reached */
    expect_error(BASE "-m 0 -device nosuch", NULL,
                 "-device nosuch: 'nosuch' is not a valid device model name");
    expect_error(BASE "-qtest unix:/nonexistent/sock", NULL,
                 "-qtest unix:/nonexistent/sock: Failed to initialize device "
                 "for qtest: \"unix:/nonexistent/sock\": Failed to connect "
                 "to '/nonexistent/sock': No such file or directory");
    expect_error(BASE "-host-sim /", NULL, "/: cannot read: Is a directory");
    expect_error(BASE "-device", "{\"driver\": \"pcie-root-port\", "
                 "\"addr\": 123456789012345678901234567890}",
                 "-device {\"driver\": \"pcie-root-port\", \"addr\": "
                 "123456789012345678901234567890}: Property "
                 "'pcie-root-port.addr' doesn't take value "
                 "'1.2345678901234568e+29'");
    /* a deprecated short-form boolean warns once, not once per pass */
    r = run(BASE "-device pcie-root-port,id=rp,x-flag, -device nosuch", NULL);
    g_assert_cmpstr(r.err, ==, "vfio-viommu: -device pcie-root-port,id=rp,"
                    "x-flag,: warning: short-form boolean option 'x-flag' "
                    "deprecated\nvfio-viommu: -device pcie-root-port,id=rp,"
                    "x-flag,: Property 'pcie-root-port.x-flag' not found\n");
    g_assert_cmpint(r.status, ==, 1);
    run_free(&r);
}

static void test_bad_host_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("vv-cmdline-XXXXXX", NULL);
    g_autofree char *bad = g_build_filename(dir, "bad.json", NULL);
    g_autofree char *args = g_strdup_printf(BASE "-host-sim %s", bad);
    g_autofree char *msg = g_strdup_printf("%s: $.iommus[0].type: unknown "
                                           "IOMMU type 'bogus' (expected "
                                           "'intel-vtd', 'arm-smmuv3' or 'amd-vi')",
                                           bad);
    g_autofree char *missing = g_strdup_printf("%s: cannot read: No such "
                                               "file or directory", bad);

    expect_error(args, NULL, missing);
    g_assert_true(g_file_set_contents(bad, "{\"iommus\": [{\"id\": \"x\", "
                                      "\"type\": \"bogus\"}], "
                                      "\"devices\": []}", -1, NULL));
    expect_error(args, NULL, msg);
    g_unlink(bad);
    g_rmdir(dir);
    expect_error(BASE "-x-host-sim-fault nth=1", NULL,
                 "-x-host-sim-fault nth=1: fault injection needs -host-sim");
}

static void test_help(void)
{
    Run r = run("-device help", NULL);

    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "name \"pcie-root-port\", bus PCIE"));
    run_free(&r);

    r = run("-device pcie-root-port,help", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "pcie-root-port options:\n"));
    g_assert_nonnull(strstr(r.out, "  chassis=<uint8>"));
    run_free(&r);

    r = run("-device nosuch,help", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.err, ==, "vfio-viommu: -device nosuch,help: 'nosuch' "
                    "is not a valid device model name\n");
    run_free(&r);

    r = run("-machine help", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "Supported machines are:\n"));
    g_assert_nonnull(strstr(r.out, "q35"));
    g_assert_nonnull(strstr(r.out, " (default)\n"));
    run_free(&r);

    r = run("-object help", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "List of user creatable objects:"));
    run_free(&r);

    r = run("-version", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "vfio-viommu version "));
    run_free(&r);

    r = run("-h", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "usage: vfio-viommu"));
    run_free(&r);
}

static void test_dump_exits(void)
{
    Run r = run(BASE "-dump-pci-config", NULL);

    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.err, ==, "");
    g_assert_true(g_str_has_prefix(r.out, "00:00.0 "));
    run_free(&r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cmdline/unknown-option", test_unknown_option);
    g_test_add_func("/cmdline/bad-values", test_bad_values);
    g_test_add_func("/cmdline/unknown-names", test_unknown_names);
    g_test_add_func("/cmdline/missing-required", test_missing_required);
    g_test_add_func("/cmdline/duplicate-ids", test_duplicate_ids);
    g_test_add_func("/cmdline/json-forms", test_json_forms);
    g_test_add_func("/cmdline/bad-host-file", test_bad_host_file);
    g_test_add_func("/cmdline/one-line-each", test_one_line_each);
    g_test_add_func("/cmdline/help", test_help);
    g_test_add_func("/cmdline/dump-pci-config", test_dump_exits);
    return g_test_run();
}

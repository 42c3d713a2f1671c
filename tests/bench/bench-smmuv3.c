/*
 * make bench, arm-smmuv3 accel=on: what one guest STE install and one
 * invalidation batch cost, in host calls (exact, from x-query-host-sim)
 * and in wall time as a qtest guest sees it (its own round trips
 * included: writing the STE or CDs, queueing the commands, the SYNC).
 */
#include "bench.h"
#include "smmuv3-guest.h"

#define INSTALLS 256
#define BATCHES 256
#define BATCH_ENTRIES 16
#define SID 0x18

void bench_smmuv3(const char *bin, const char *root)
{
    g_autofree char *args = g_strdup_printf(
        "-M virt -host-sim %s/tests/data/hosts/arm-smmuv3-two-ssidsize.json "
        "-object iommufd,id=iommufd0 -device arm-smmuv3,primary-bus=pcie.0,"
        "accel=on,ssidsize=auto -device vfio-pci,host=0000:01:00.0,"
        "iommufd=iommufd0,addr=3", root ? root : ".");
    QTestState *s = bench_guest_start(bin, args, "smmuv3");
    int64_t c0, c1, c2;
    double t0, t1, t2;
    SmmuGuest g;

    if (!s) {
        return;
    }
    smmu_guest_init(&g, s, 0x09050000ULL, 0x41000000ULL);
    /* The first install also makes the parent, vIOMMU and vDEVICE. */
    smmu_guest_attach(&g, SID, 20);
    c0 = bench_host_calls(s);
    t0 = bench_now();
    for (int i = 0; i < INSTALLS; i++) {
        /* A new CD table each time: the host must take a new STE. */
        smmu_guest_write_ste(&g, SID, SMMU_STE0_V | SMMU_STE0_CFG_S1 |
                             (0x44000000ULL + (uint64_t)i * 0x1000), 0);
        smmu_guest_submit(&g, SMMU_OP_CFGI_STE | (uint64_t)SID << 32, 1);
        smmu_guest_sync(&g);
    }
    t1 = bench_now();
    c1 = bench_host_calls(s);
    for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < BATCH_ENTRIES; i++) {
            smmu_guest_submit(&g, SMMU_OP_CFGI_CD | (uint64_t)SID << 32 |
                              (uint64_t)i << 12, 1);
        }
        smmu_guest_sync(&g);
    }
    t2 = bench_now();
    c2 = bench_host_calls(s);
    bench_guest_rows("host calls per STE install (accel=on)",
                     "time per STE install, qtest guest (ms)", c1 - c0,
                     t1 - t0, INSTALLS);
    bench_guest_rows("host calls per invalidation batch (16 CFGI_CD)",
                     "time per invalidation batch, qtest guest (ms)",
                     c2 - c1, t2 - t1, BATCHES);
    smmu_guest_free(&g);
    bench_quit(s);
}

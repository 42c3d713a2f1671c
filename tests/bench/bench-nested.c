/*
 * make bench, intel-iommu x-flts=on: what one guest PASID bind and one
 * invalidation batch cost, in host calls (exact, from x-query-host-sim)
 * and in wall time as a qtest guest sees it (its own round trips
 * included: writing the PASID entry, queueing the descriptors, waiting).
 */
#include "bench.h"
#include "intel-iommu-guest.h"

#define BINDS 256
#define BATCHES 256
#define BATCH_ENTRIES 16

void bench_nested(const char *bin, const char *root)
{
    g_autofree char *args = g_strdup_printf(
        "-M q35 -host-sim %s/tests/data/hosts/intel-pasid.json "
        "-object iommufd,id=iommufd0 -device intel-iommu,x-scalable-mode=on,"
        "x-flts=on,caching-mode=on,pasid=auto -device vfio-pci,"
        "host=0000:01:00.0,iommufd=iommufd0,addr=3", root ? root : ".");
    QTestState *s = bench_guest_start(bin, args, "nesting");
    int64_t c0, c1, c2;
    double t0, t1, t2;
    VtdGuest g;

    if (!s) {
        return;
    }
    vtd_guest_init(&g, s);
    vtd_guest_attach_device(&g, 0x18);
    /* The first bind also makes the parent: leave it out of the mean. */
    {
        VtdPasidEntry e = { .pgtt = VTD_PGTT_FS, .did = 1,
                            .fspt = 0x2000000 };

        vtd_guest_set_pasid(&g, 0x18, 0, &e, 0);
    }
    c0 = bench_host_calls(s);
    t0 = bench_now();
    for (uint32_t p = 1; p <= BINDS; p++) {
        VtdPasidEntry e = { .pgtt = VTD_PGTT_FS, .did = (uint16_t)(p + 1),
                            .fspt = 0x2000000 + (uint64_t)p * 0x1000 };

        vtd_guest_set_pasid(&g, 0x18, p, &e, 0);
    }
    t1 = bench_now();
    c1 = bench_host_calls(s);
    for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < BATCH_ENTRIES; i++) {
            vtd_guest_piotlb(&g, 2, 1, (uint64_t)i << 21, 0, true);
        }
        vtd_guest_wait(&g);
    }
    t2 = bench_now();
    c2 = bench_host_calls(s);
    bench_guest_rows("host calls per PASID bind (x-flts=on)",
                     "time per PASID bind, qtest guest (ms)", c1 - c0,
                     t1 - t0, BINDS);
    bench_guest_rows("host calls per invalidation batch (16 PIOTLB)",
                     "time per invalidation batch, qtest guest (ms)",
                     c2 - c1, t2 - t1, BATCHES);
    vtd_guest_free(&g);
    bench_quit(s);
}

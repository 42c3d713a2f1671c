/*
 * Fuzz targets: each file defines LLVMFuzzerTestOneInput().  With
 * -Dfuzzing=true (clang) they link libFuzzer; otherwise replay.c runs
 * them over their seed corpus as ordinary tests.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A q35 machine with intel-iommu (pasid=auto), a root port and two
 * vfio-pci devices on the simulated Intel host, built once per process.
 */
void fuzz_machine_init(void);
/*
 * Before the first fuzz_machine_init(): intel-iommu x-flts=on instead,
 * with the two vfio-pci devices on the root bus (00:03.0 and 00:04.0).
 */
void fuzz_machine_use_flts(void);
/*
 * Before the first fuzz_machine_init(): virt with an arm-smmuv3 accel=on
 * on pcie.0 over both devices of arm-smmuv3-two-ssidsize.json (00:03.0
 * behind smmu0, 00:04.0 behind smmu1).
 */
void fuzz_machine_use_smmuv3(void);
/* Tear it down, so the next input starts from a fresh start-up. */
void fuzz_machine_destroy(void);

#endif

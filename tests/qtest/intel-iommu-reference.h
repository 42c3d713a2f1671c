/*
 * VER/CAP/ECAP of intel-iommu as upstream QEMU 10.2.50 (master,
 * 2026-02-13) reports them over qtest on -M q35, for 16 property
 * combinations: the values of shared/reference/intel-iommu-registers.json,
 * embedded so the tests run in any checkout (the qtest also compares
 * them with the JSON file when it is there).
 */
#ifndef TESTS_QTEST_INTEL_IOMMU_REFERENCE_H
#define TESTS_QTEST_INTEL_IOMMU_REFERENCE_H

#include <stdint.h>

typedef struct VtdReference {
    const char *props;          /* after "intel-iommu", "" for none */
    uint32_t ver;
    uint64_t cap;
    uint64_t ecap;
} VtdReference;

static const VtdReference vtd_reference[] = {
    { "", 0x10, 0x80d2008c222f0606ULL, 0xf00f4aULL },
    { "caching-mode=on", 0x10, 0x80d2008c222f0686ULL, 0xf00f4aULL },
    { "aw-bits=39", 0x10, 0x80d2008c22260206ULL, 0xf00f4aULL },
    { "aw-bits=39,caching-mode=on", 0x10, 0x80d2008c22260286ULL,
      0xf00f4aULL },
    { "x-scalable-mode=on", 0x10, 0x80d2008c222f0606ULL, 0x480080f00f4aULL },
    { "x-scalable-mode=on,caching-mode=on", 0x10, 0x80d2008c222f0686ULL,
      0x480080f00f4aULL },
    { "x-scalable-mode=on,x-pasid-mode=on", 0x10, 0x80d2008c222f0606ULL,
      0x493880f00f4aULL },
    { "x-scalable-mode=on,x-pasid-mode=on,caching-mode=on", 0x10,
      0x80d2008c222f0686ULL, 0x493880f00f4aULL },
    { "x-scalable-mode=on,x-flts=on", 0x10, 0x81d2008c222f0606ULL,
      0x880000f00f4aULL },
    { "x-scalable-mode=on,x-flts=on,caching-mode=on", 0x10,
      0x81d2008c222f0686ULL, 0x880000f00f4aULL },
    { "x-scalable-mode=on,x-flts=on,fs1gp=off", 0x10, 0x80d2008c222f0606ULL,
      0x880000f00f4aULL },
    { "device-iotlb=on", 0x10, 0x80d2008c222f0606ULL, 0xf00f4eULL },
    { "snoop-control=on", 0x10, 0x80d2008c222f0606ULL, 0xf00fcaULL },
    { "dma-drain=off", 0x10, 0x8012008c222f0606ULL, 0xf00f4aULL },
    { "pt=off", 0x10, 0x80d2008c222f0606ULL, 0xf00f0aULL },
    { "x-scalable-mode=on,x-pasid-mode=on,x-flts=on,device-iotlb=on,svm=on,"
      "caching-mode=on", 0x10, 0x81d2008c222f0686ULL, 0x8d3a20f00f4eULL },
};

/* ECAP with x-scalable-mode=on,x-pasid-mode=on, without PASID/PSS. */
#define VTD_REF_ECAP_SM_NO_PASID 0x480080f00f4aULL
#define VTD_REF_ECAP_PASID       (1ULL << 40)
#define VTD_REF_ECAP_PSS_SHIFT   35

#endif

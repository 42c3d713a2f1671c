/*
 * vfio-viommu: a QEMU-shaped device model for VFIO over iommufd with a
 * virtual IOMMU and PASID.  Everything but this function is in libvv so
 * that tests and benchmarks link the same code.
 */
#include "system/vl.h"

int main(int argc, char **argv)
{
    return vv_main(argc, argv);
}

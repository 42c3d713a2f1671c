#!/bin/sh
# Compare linux-headers/ with the system's uAPI headers wherever both
# define a name: ioctl numbers and struct sizes must agree.  Names the
# (older) system headers lack are skipped.  Exit status 1 on a mismatch.
#
#   scripts/check-linux-headers.sh [SOURCE_ROOT]
set -u
root=${1:-$(dirname "$0")/..}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ioctls="IOMMU_DESTROY IOMMU_IOAS_ALLOC IOMMU_IOAS_MAP IOMMU_IOAS_UNMAP
IOMMU_HWPT_ALLOC IOMMU_GET_HW_INFO IOMMU_HWPT_SET_DIRTY_TRACKING
IOMMU_HWPT_INVALIDATE IOMMU_VIOMMU_ALLOC IOMMU_VDEVICE_ALLOC
VFIO_GET_API_VERSION VFIO_DEVICE_GET_INFO VFIO_DEVICE_GET_REGION_INFO
VFIO_DEVICE_GET_IRQ_INFO VFIO_DEVICE_SET_IRQS VFIO_DEVICE_RESET
VFIO_DEVICE_FEATURE VFIO_DEVICE_BIND_IOMMUFD VFIO_DEVICE_ATTACH_IOMMUFD_PT
VFIO_DEVICE_DETACH_IOMMUFD_PT VFIO_PCI_CONFIG_REGION_INDEX"
structs="iommu_destroy iommu_ioas_alloc iommu_ioas_map iommu_ioas_unmap
iommu_hwpt_alloc iommu_hw_info iommu_hw_info_vtd iommu_hw_info_arm_smmuv3
iommu_hwpt_set_dirty_tracking iommu_hwpt_invalidate iommu_hwpt_arm_smmuv3
iommu_viommu_arm_smmuv3_invalidate iommu_viommu_alloc iommu_vdevice_alloc
vfio_device_info vfio_region_info
vfio_irq_info vfio_device_bind_iommufd vfio_device_attach_iommufd_pt
vfio_device_detach_iommufd_pt"

# value NAME EXPR [-I DIR]: print EXPR as compiled, or nothing
value() {
    name=$1 expr=$2
    shift 2
    printf '#include <stdio.h>\n#if __has_include(<linux/iommufd.h>)\n#include <linux/iommufd.h>\n#endif\n#if __has_include(<linux/vfio.h>)\n#include <linux/vfio.h>\n#endif\nint main(void) { printf("%%lu\\n", (unsigned long)(%s)); return 0; }\n' \
        "$expr" > "$tmp/t.c"
    "$cc" "$@" -o "$tmp/t" "$tmp/t.c" 2>/dev/null && "$tmp/t"
}

# Structs that newer kernels extended at the end (older headers are smaller):
# vfio_device_info gained "pad" after cap_offset, iommu_viommu_alloc its
# data_len/data_uptr (6.15).
grown="struct vfio_device_info
struct iommu_viommu_alloc"

bad=0
check() {
    ours=$(value "$1" "$2" -I "$root/linux-headers")
    sys=$(value "$1" "$2")
    if [ -z "$ours" ]; then
        echo "MISSING $1 in linux-headers"; bad=1
    elif [ -z "$sys" ]; then
        echo "skip    $1 (not in the system headers)"
    elif [ "$ours" -gt "$sys" ] && echo "$grown" | grep -qx "$1"; then
        echo "ok      $1 = $ours (system headers predate its growth: $sys)"
    elif [ "$ours" != "$sys" ]; then
        echo "DIFFER  $1: ours $ours, system $sys"; bad=1
    else
        echo "ok      $1 = $ours"
    fi
}

for i in $ioctls; do check "$i" "$i"; done
for s in $structs; do check "struct $s" "sizeof(struct $s)"; done
exit $bad

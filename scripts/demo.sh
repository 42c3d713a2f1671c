#!/bin/sh
# The demo: a 20-bit PASID device and a NIC assigned from the bundled
# simulated Intel host, behind intel-iommu with x-flts=on and pasid=auto.
# Shows the guest-visible config space decoded by lspci, then what the
# vIOMMU resolved, over HMP.
set -eu

bin=${1:-build/vfio-viommu}
src=$(cd "$(dirname "$0")/.." && pwd)
host=$src/tests/data/hosts/intel-pasid.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set -- -host-sim "$host" -M q35 -accel qtest -display none -nodefaults \
    -object iommufd,id=iommufd0 \
    -device intel-iommu,x-scalable-mode=on,x-flts=on,caching-mode=on,pasid=auto \
    -device pcie-root-port,id=rp0,chassis=1 \
    -device vfio-pci,host=0000:01:00.0,iommufd=iommufd0,id=nvme0 \
    -device vfio-pci,host=0000:02:00.0,iommufd=iommufd0,id=nic0

echo "== vfio-viommu $*"
echo
echo "== Guest-visible PCI config space, decoded by lspci -vv"
"$bin" "$@" -dump-pci-config >"$tmp/config.txt"
lspci -vv -F "$tmp/config.txt" 2>&1 | grep -v 'Unable to load libkmod'

echo "== The same machine over HMP"
printf 'info viommu\ninfo vfio\nquit\n' |
    "$bin" "$@" -monitor stdio | tr -d '\r' | grep -v '^(qemu) *$'

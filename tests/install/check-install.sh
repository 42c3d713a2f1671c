#!/bin/sh
# `meson install` into a scratch DESTDIR, then use the installed tree as
# a user would: the -system-ARCH names QEMU's test library looks for, a
# host description by bare name (found next to the binary), the man page
# and the user guide.
#
#   check-install.sh BUILD_DIR
set -eu

build=$1
dest=$(mktemp -d "${TMPDIR:-/tmp}/vv-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet
bin=$(find "$dest" -path '*/bin/vfio-viommu' -type f)
[ -n "$bin" ] || { echo "no installed binary" >&2; exit 1; }
bindir=$(dirname "$bin")
prefix=$(dirname "$bindir")

for arch in x86_64 aarch64; do
    link="$bindir/vfio-viommu-system-$arch"
    [ -L "$link" ] || { echo "missing $link" >&2; exit 1; }
    "$link" -version | grep -q '^vfio-viommu version '
done
[ -f "$prefix/share/man/man1/vfio-viommu.1" ] || { echo "no man page" >&2; exit 1; }
grep -q '^\.TH VFIO-VIOMMU 1' "$prefix/share/man/man1/vfio-viommu.1"
if grep -q '@HOSTDIR@' "$prefix/share/man/man1/vfio-viommu.1"; then
    echo "man page not configured" >&2; exit 1
fi
for doc in invocation monitors vfio-iommufd intel-iommu-pasid \
           arm-smmuv3-accel host-sim; do
    [ -f "$prefix/share/doc/vfio-viommu/$doc.md" ] || {
        echo "missing doc $doc" >&2; exit 1; }
done

# The man page's example, from the installed layout (bare host name).
out=$("$bindir/vfio-viommu-system-x86_64" -host-sim intel-pasid.json -M q35 \
    -device intel-iommu,x-scalable-mode=on,caching-mode=on,pasid=auto \
    -object iommufd,id=iommufd0 \
    -device vfio-pci,host=0000:01:00.0,iommufd=iommufd0 -dump-pci-config)
echo "$out" | grep -q '^00:00.0 Host bridge: Device 8086:29c0$'
echo "$out" | grep -q 'Device 8086:0b60$'
# And the Arm one from arm-smmuv3-accel.md's host.
"$bindir/vfio-viommu-system-aarch64" -M virt \
    -host-sim arm-smmuv3-two-ssidsize.json -dump-pci-config >/dev/null
# A name that is nowhere is still the simulator's own error.
if "$bindir/vfio-viommu" -host-sim no-such-host.json 2>/dev/null; then
    echo "a missing host description was accepted" >&2; exit 1
fi
echo "install layout ok"

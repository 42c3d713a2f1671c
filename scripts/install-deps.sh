#!/bin/sh
# Install the Debian packages the build, the tests and the demo need,
# if any is missing.  Run as root on Debian 12 (or with sudo available).
set -eu

PACKAGES="gcc pkg-config meson ninja-build libglib2.0-dev libjson-glib-dev
pciutils umockdev libumockdev-dev qemu-system-x86 valgrind"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "error: not root and no sudo; install:$missing" >&2
    exit 1
fi
# A fresh machine's package lists may be empty or stale.
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $missing

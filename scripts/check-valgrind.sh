#!/bin/sh
# make check-valgrind: every black-box test of BUILD (default build/)
# with the program under valgrind memcheck, GLib's slice allocator off so
# that its objects are seen.  Fails if a test fails or any process of the
# program had a memory error or a definite leak (the logs say which).
set -u
if ! command -v valgrind >/dev/null 2>&1; then
    echo "check-valgrind: valgrind is not installed (scripts/install-deps.sh)" >&2
    exit 1
fi
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
logdir=$build/valgrind-logs
rm -rf "$logdir"
mkdir -p "$logdir"
export VV_VALGRIND_LOGDIR="$logdir" VV_VALGRIND_BINARY="$build/vfio-viommu"
export VV_BINARY="$src/scripts/valgrind-wrap.sh" VV_SOURCE_ROOT="$src"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export G_TEST_SRCDIR="$src/tests" G_TEST_BUILDDIR="$build/tests"
status=0
start=$(date +%s)
# exit-with-parent gives the program 500 ms to start, too little under
# valgrind (it would wait for a parent death it never saw).
skip="-s /qtest/process/exit-with-parent"
for t in "$build"/tests/qtest/*-test; do
    name=$(basename "$t")
    if ! "$t" $skip >"$logdir/$name.out" 2>&1; then
        echo "FAIL $name (see $logdir/$name.out)"
        status=1
    else
        echo "ok   $name"
    fi
done
bad=$(grep -l "ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|Invalid \(read\|write\)" \
      "$logdir"/vg.*.log 2>/dev/null)
if [ -n "$bad" ]; then
    echo "memcheck errors in:"
    for f in $bad; do echo "  $f"; done
    status=1
fi
echo "check-valgrind: $(ls "$logdir"/vg.*.log | wc -l) processes checked in" \
     "$(( $(date +%s) - start )) s: $([ $status = 0 ] && echo clean || echo FAILED)"
exit $status

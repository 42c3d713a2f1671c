#!/bin/sh
# Runs the program under valgrind memcheck for "make check-valgrind"
# (scripts/check-valgrind.sh points VV_BINARY here).  One log per process
# in $VV_VALGRIND_LOGDIR; a definite leak or a memory error exits 97.
supp=
if [ -f /usr/share/glib-2.0/valgrind/glib.supp ]; then
    supp=--suppressions=/usr/share/glib-2.0/valgrind/glib.supp
fi
exec valgrind --quiet --tool=memcheck --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=97 $supp \
    --log-file="$VV_VALGRIND_LOGDIR/vg.%p.log" \
    "$VV_VALGRIND_BINARY" "$@"

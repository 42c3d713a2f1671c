#!/bin/sh
# Every tracked file must belong to an area of MAINTAINERS.
# Usage: check-maintainers.sh [SOURCE_ROOT]
set -euf
cd "${1:-$(dirname "$0")/..}"

if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "not a git checkout: nothing to check"
    exit 0
fi

patterns=$(sed -n 's/^F: *//p' MAINTAINERS)
missing=0
for file in $(git ls-files --cached --others --exclude-standard); do
    covered=no
    for pat in $patterns; do
        case "$pat" in
        */) case "$file" in "$pat"*) covered=yes ;; esac ;;
        *) case "$file" in $pat) covered=yes ;; esac ;;
        esac
        [ "$covered" = yes ] && break
    done
    if [ "$covered" = no ]; then
        echo "MAINTAINERS: no area covers $file"
        missing=1
    fi
done
exit $missing

# Forwards to meson/ninja; run ./configure first.
NINJA ?= ninja
MESON ?= meson
BUILDS := build $(wildcard build-asan)

.PHONY: all check check-quick demo bench clean distclean

all: build/build.ninja
	$(NINJA) -C build

build/build.ninja:
	./configure

# The suite, in the normal build and in the sanitizer build.
check: all
	@set -e; for b in $(BUILDS); do \
	    $(NINJA) -C $$b; \
	    echo "=== meson test ($$b)"; \
	    $(MESON) test -C $$b --print-errorlogs --num-processes 2 || exit 1; \
	done

check-quick: all
	$(MESON) test -C build --print-errorlogs

demo: all
	@scripts/demo.sh build/vfio-viommu

bench: all
	$(NINJA) -C build tests/bench/bench
	build/tests/bench/bench

clean:
	-$(NINJA) -C build -t clean
	-test -d build-asan && $(NINJA) -C build-asan -t clean

distclean:
	rm -rf build build-asan

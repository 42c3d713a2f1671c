# Forwards to meson/ninja; run ./configure first.
NINJA ?= ninja
MESON ?= meson
BUILDS := build $(wildcard build-asan)

.PHONY: all check check-quick check-valgrind soak demo bench fuzz clean distclean install

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

# The binary, its -system-x86_64/-system-aarch64 names, the host
# descriptions, the user guide and the man page, under meson's prefix
# (/usr/local unless build/ was set up otherwise); DESTDIR is honoured.
install: all
	$(MESON) install -C build $(if $(DESTDIR),--destdir $(DESTDIR))

check-quick: all
	$(MESON) test -C build --print-errorlogs

# The black-box tests with the program under valgrind memcheck (definite
# leaks and memory errors fail), GLib's slice allocator off.
check-valgrind: all
	scripts/check-valgrind.sh $(CURDIR)/build

# The soak of tests/qtest/leak-test.c, SOAK_CYCLES hot-plug cycles plus as
# many calls of each query command, with figures every tenth of the way.
SOAK_CYCLES ?= 100000
soak: all
	VV_BINARY=$(CURDIR)/build/vfio-viommu VV_SOURCE_ROOT=$(CURDIR) \
	G_SLICE=always-malloc G_DEBUG=gc-friendly VV_SOAK_CYCLES=$(SOAK_CYCLES) \
	    build/tests/qtest/leak-test --verbose -p /leak/soak

demo: all
	@scripts/demo.sh build/vfio-viommu

bench: all
	$(NINJA) -C build tests/bench/bench
	build/tests/bench/bench

# libFuzzer (clang) over each target for FUZZ_SECONDS, from its seed corpus,
# with GLib's slice allocator off so that LeakSanitizer sees its objects;
# new inputs go to build-fuzz/corpus/, crashes to build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := qtest qmp host-desc keyval json vtd-queue smmuv3-queue
fuzz:
	test -f build-fuzz/build.ninja || CC=clang $(MESON) setup build-fuzz \
	    -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
	$(NINJA) -C build-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p build-fuzz/corpus/$$t; \
	    echo "=== fuzz-$$t ($(FUZZ_SECONDS) s)"; \
	    VV_SOURCE_ROOT=$(CURDIR) ASAN_OPTIONS=detect_leaks=1 \
	    G_SLICE=always-malloc G_DEBUG=gc-friendly \
	    build-fuzz/tests/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=build-fuzz/ build-fuzz/corpus/$$t \
	        tests/fuzz/corpus/$$t; \
	done

clean:
	-$(NINJA) -C build -t clean
	-test -d build-asan && $(NINJA) -C build-asan -t clean

distclean:
	rm -rf build build-asan build-fuzz

# capsule: build, install and test.
#
#   make                 build ./capsule (objects in build/)
#   make check           run every test (unit + integration), with the normal
#                        build and again with ASan+UBSan; the README's test command
#   make check-plain     the normal build's run only
#   make check-asan      the ASan+UBSan run only
#   make install         install to $(DESTDIR)$(PREFIX)/bin (PREFIX=/usr/local)
#   make bench           build the benchmarks in build/bench/
#   make fuzz            build the libFuzzer targets in build-fuzz/ (clang)
#   make format-check    clang-format conformance of src/ and tests/
#
# Dependencies (Debian packages) are listed once, in packages.txt.

CC ?= cc
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
O ?= build

WARN = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
       -Wmissing-prototypes -Wvla
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN_FLAGS) -Isrc -MMD -MP
LDLIBS = -lseccomp -ljansson -lpthread

ifeq ($(SAN),1)
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
endif

SRCS := $(sort $(shell find src -name '*.c'))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/unit/%)
PROG_SRCS := $(sort $(wildcard tests/progs/*.c))
PROG_BINS := $(PROG_SRCS:tests/progs/%.c=$(O)/tests/progs/%)
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(O)/bench/%)

CAPSULE_BIN = $(if $(filter build,$(O)),capsule,$(O)/capsule)

.PHONY: all check check-plain check-clang check-asan unit integration install uninstall bench \
        format-check clean tests-build fuzz

all: $(CAPSULE_BIN)

$(CAPSULE_BIN): $(O)/src/main.o $(O)/libcapsule.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(O)/libcapsule.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tests/unit/%: tests/unit/%.c $(O)/libcapsule.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(O)/libcapsule.a $(LDLIBS)

# Tracees are built without sanitizers: sanitizer runtimes make syscalls
# of their own and LeakSanitizer cannot run under ptrace.
$(O)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O1 -g -pthread -o $@ $<

$(O)/bench/%: bench/%.c $(O)/libcapsule.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(O)/libcapsule.a $(LDLIBS)

tests-build: $(CAPSULE_BIN) $(UNIT_BINS) $(PROG_BINS)

# The README's test command: every test with the normal build, then again
# with capsule and the unit tests built with ASan+UBSan (check-asan).
check: check-plain
	$(MAKE) --no-print-directory O=build-asan SAN=1 check-plain

check-plain: tests-build check-clang
	python3 tests/run.py --build $(O) --capsule ./$(CAPSULE_BIN)

# Warnings-clean with the other compiler too (syntax and warnings only).
check-clang:
	@if command -v clang >/dev/null; then \
		for f in $(SRCS) $(UNIT_SRCS) $(BENCH_SRCS); do \
			clang -std=gnu11 -D_GNU_SOURCE $(WARN) -Isrc -Itests/unit \
				-fsyntax-only $$f || exit 1; \
		done; echo "clang: no warnings"; \
	else echo "clang not installed: skipped the clang warning check"; fi

check-asan:
	$(MAKE) O=build-asan SAN=1 check-plain

bench: $(BENCH_BINS) $(CAPSULE_BIN)

# libFuzzer targets: fuzz/*.c, each linked with lib/ and log/ (less the
# event serializer) built with coverage and sanitizers (clang only;
# Debian: libclang-rt-14-dev).
FUZZ_CC ?= clang
FUZZ_FLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) -O1 -g -Isrc \
             -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined \
             -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_SRCS := $(sort $(wildcard fuzz/*.c))
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build-fuzz/%)
FUZZ_LIB := $(filter-out src/log/record.c,$(filter src/lib/% src/log/%,$(LIB_SRCS)))

fuzz: $(FUZZ_BINS)

build-fuzz/%: fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB) -lpthread

install: $(CAPSULE_BIN)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(CAPSULE_BIN) $(DESTDIR)$(BINDIR)/capsule

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/capsule

format-check:
	clang-format --dry-run --Werror $(SRCS) $(UNIT_SRCS) $(PROG_SRCS)

clean:
	rm -rf build build-asan build-fuzz capsule

-include $(shell find $(O) -name '*.d' 2>/dev/null)

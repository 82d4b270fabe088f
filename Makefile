# mpscope - see README.md. `make check` sets up, builds and runs every test;
# `make run` sets up, builds and starts mpscope.
#
# Sources are found by folder: src/<module>/*.c become build/lib/lib<module>.a;
# tests/unit/test_<module>[_x].c link against that module, the modules it
# may use (DEPS_<module>, which also states the layering) and theirs. New
# files need no Makefile edit. BUILD=dir keeps separate builds apart (the
# sanitizer build lives in build/san), so nothing ever needs `make clean`
# between them.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -Wstrict-prototypes
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PYTHON  ?= python3

# pkg-config is asked once, on first use, and only after `make deps` has had a
# chance to install it (check and run re-enter make after deps).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags ncursesw libcjson 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs ncursesw libcjson 2>/dev/null))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka 2>/dev/null))$(CMOCKA_LIBS)

ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_CFLAGS)

# The layering: a module may use only the modules listed after it.
DEPS_common =
DEPS_trace  = common
DEPS_pickle = common
DEPS_replay = pickle trace common
DEPS_lesson = replay pickle trace common
DEPS_json   = lesson trace common
DEPS_tracer = json pickle trace common
DEPS_export = json replay pickle trace common
DEPS_ui     = lesson replay pickle trace common
DEPS_cli    = ui export lesson replay tracer json pickle trace common
MODULES     = cli ui export tracer json lesson replay pickle trace common

# A module links with the libraries of the modules it may use and of the
# ones those may use in turn (json/ uses lesson/, which uses replay/).
lib_of  = $(BUILD)/lib/lib$(1).a
deps_of = $(foreach d,$(DEPS_$(1)),$(d) $(call deps_of,$(d)))
libs_for = $(foreach m,$(sort $(1) $(call deps_of,$(1))),$(call lib_of,$(m)))
module_of = $(firstword $(subst _, ,$(1)))

$(foreach m,$(MODULES),$(eval OBJS_$(m) := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(wildcard src/$(m)/*.c))))

# The exported page's player (src/export/page/) is compiled into export/ as
# C strings, so `mpscope export -f html` needs no file beside the binary.
PAGE_ASSETS = src/export/page/player.js src/export/page/player.css
OBJS_export += $(BUILD)/obj/gen/export/page_assets.o

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
E2E_SRCS  = $(wildcard tests/e2e/test_*.c)
E2E_BINS  = $(patsubst tests/e2e/%.c,$(BUILD)/tests/%,$(E2E_SRCS))
E2E_SH    = $(sort $(wildcard tests/e2e/*.sh))
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
SUPPORT_SRCS = $(wildcard tests/support/*.c)
SUPPORT_OBJS = $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(SUPPORT_SRCS))

.PHONY: all deps check _check run _run unit unit-san e2e fuzz-smoke fuzz layers style lint \
	install uninstall clean bench golden-update traces

# The probe's fast path: C for the pickles it only counts, built in place
# beside the Python it speeds up (the probe folder is what the tracer puts on
# PYTHONPATH), against the stable ABI of CPython 3.8, so that one file serves
# every CPython 3.8+. The probe falls back to its Python where it cannot load.
FASTPATH = src/probe/mpscope_probe/_fastpath.abi3.so
PY_CFLAGS = $(eval PY_CFLAGS := $$(shell pkg-config --cflags python3 2>/dev/null))$(PY_CFLAGS)

# Named beside mpscope wherever it is built: `.SECONDARY:` below would let
# a missing file stay missing as a mere prerequisite of ./mpscope.
all: mpscope $(FASTPATH)

mpscope: $(BUILD)/mpscope
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

$(FASTPATH): src/probe/mpscope_probe/_fastpath.c | $(BUILD)/.deps-build
	$(CC) $(WARN) $(PY_CFLAGS) -O2 -fPIC -shared -o $@ $<

$(BUILD)/mpscope: $(call libs_for,cli)
	$(CC) -o $@ $(ALL_LDFLAGS) -Wl,--start-group $^ -Wl,--end-group $(PKG_LIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h) | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c $(wildcard tests/support/*.h) $(wildcard src/*/*.h) | $(BUILD)/.deps-unit
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -c $< -o $@

$(BUILD)/gen/export/page_assets.c: $(PAGE_ASSETS) src/export/page/embed.sh
	@mkdir -p $(@D)
	sh src/export/page/embed.sh $(PAGE_ASSETS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/export/page_assets.o: $(BUILD)/gen/export/page_assets.c | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

define module_lib
$(call lib_of,$(1)): $(OBJS_$(1))
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_lib,$(m))))

.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/tests/test_%: tests/unit/test_%.c $(SUPPORT_OBJS) $$(call libs_for,$$(call module_of,$$*)) $(wildcard tests/support/*.h) $(wildcard src/*/*.h) | $(BUILD)/.deps-unit
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(SUPPORT_OBJS) -Wl,--start-group $(call libs_for,$(call module_of,$*)) -Wl,--end-group $(PKG_LIBS) $(CMOCKA_LIBS) $(ALL_LDFLAGS)

$(BUILD)/tests/test_e2e_%: tests/e2e/test_e2e_%.c $(SUPPORT_OBJS) $(call libs_for,cli) | $(BUILD)/.deps-unit
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(SUPPORT_OBJS) -Wl,--start-group $(call libs_for,cli) -Wl,--end-group $(PKG_LIBS) $(CMOCKA_LIBS) $(ALL_LDFLAGS)

# ---- set-up -----------------------------------------------------------------

deps:
	@sh scripts/deps.sh check

# Once per build folder, before its first compile: name a missing package
# (and `make deps`) rather than fail on a header. build = compiler,
# pkg-config, ncursesw, cJSON; unit adds cmocka.
$(BUILD)/.deps-%: scripts/deps.sh
	@CC="$(CC)" sh scripts/deps.sh --report $*
	@mkdir -p $(@D) && touch $@

# ---- tests ------------------------------------------------------------------

check: deps
	@$(MAKE) --no-print-directory _check

_check: layers style lint mpscope $(FASTPATH) $(UNIT_BINS) $(E2E_BINS) fuzz-smoke-bins
	@MPSCOPE=$(CURDIR)/$(BUILD)/mpscope sh tests/run-tests.sh check $(UNIT_BINS) $(E2E_BINS) \
		$(FUZZ_RUNNERS) $(E2E_SH)

unit: $(UNIT_BINS)
	@sh tests/run-tests.sh unit $(UNIT_BINS)

unit-san:
	@$(MAKE) --no-print-directory BUILD=build/san CFLAGS="-O1 -g" EXTRA_CFLAGS="$(SAN)" unit

e2e: mpscope $(FASTPATH) $(E2E_BINS)
	@MPSCOPE=$(CURDIR)/$(BUILD)/mpscope sh tests/run-tests.sh e2e $(E2E_BINS) $(E2E_SH)

# With MPSCOPE_GOLDEN_UPDATE=1 the tests write golden files instead of
# comparing, so any failure of that pass is something else and stops here;
# the second pass proves the new files compare equal. Review: git diff tests/golden/
golden-update:
	@MPSCOPE_GOLDEN_UPDATE=1 $(MAKE) --no-print-directory -k unit e2e || \
		{ echo "golden-update: a test failed with golden comparisons off, so something other than a golden file is wrong (see above)" >&2; exit 1; }
	@$(MAKE) --no-print-directory unit e2e || \
		{ echo "golden-update: the tests still fail against the golden files just written (see above)" >&2; exit 1; }
	@git status --short tests/golden

# The layers (docs/architecture.md), checked by scripts/check-layers.sh: each
# #include "M/file.h" in src/X/ needs M == X or M in DEPS_X, and only these
# modules may touch the outside world (each list is the one place to change).
CURSES_MODULES = ui
OS_MODULES     = tracer
CJSON_MODULES = json

# src/probe/ is no part of mpscope's binary: it runs inside the traced
# Python, so its C (the fast path) may include no module's headers.
layers:
	@CURSES_MODULES="$(CURSES_MODULES)" OS_MODULES="$(OS_MODULES)" CJSON_MODULES="$(CJSON_MODULES)" \
		sh scripts/check-layers.sh src $(foreach m,$(MODULES),$(m): $(DEPS_$(m))) probe:

# ---- fuzzing ----------------------------------------------------------------
# fuzz-smoke: every fuzz target, built with the system compiler and a small
# driver, replays its corpus under ASan+UBSan (no clang needed).
# fuzz: the real libFuzzer run, `make fuzz FUZZ=pickle_dis FUZZ_SECONDS=600`.

FUZZ_RUNNERS = $(patsubst tests/fuzz/%.c,build/san/fuzz/%,$(FUZZ_SRCS))
FUZZ ?= pickle_dis
FUZZ_SECONDS ?= 60

fuzz-smoke-bins:
	@if [ -n "$(FUZZ_SRCS)" ]; then $(MAKE) --no-print-directory BUILD=build/san CFLAGS="-O1 -g" \
		EXTRA_CFLAGS="$(SAN)" $(FUZZ_RUNNERS); fi

fuzz-smoke: fuzz-smoke-bins
	@sh tests/run-tests.sh fuzz $(FUZZ_RUNNERS)

build/san/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c $$(call libs_for,$$(call module_of,$$*)) | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< tests/fuzz/standalone.c -Wl,--start-group \
		$(call libs_for,$(call module_of,$*)) -Wl,--end-group $(PKG_LIBS) $(ALL_LDFLAGS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(call libs_for,$$(call module_of,$$*)) | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	clang $(ALL_CFLAGS) -Itests -fsanitize=fuzzer -o $@ $< -Wl,--start-group \
		$(call libs_for,$(call module_of,$*)) -Wl,--end-group $(PKG_LIBS) $(ALL_LDFLAGS)

fuzz:
	@command -v clang >/dev/null || { echo "fuzz: needs clang and libclang-rt-dev (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="-O1 -g" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/fuzz/fuzz_$(FUZZ)
	@mkdir -p build/fuzz/corpus-$(FUZZ) build/fuzz/crashes
	build/fuzz/fuzz_$(FUZZ) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz/crashes/ \
		$$( [ -f tests/fuzz/fuzz_$(FUZZ).dict ] && echo -dict=tests/fuzz/fuzz_$(FUZZ).dict ) \
		build/fuzz/corpus-$(FUZZ) tests/fuzz/corpus/$(FUZZ)

# ---- style ------------------------------------------------------------------

style:
	clang-format --dry-run --Werror $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]')

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem --library=python -D_GNU_SOURCE -Isrc src

# ---- running ----------------------------------------------------------------

# What running needs, not what the tests need (no browser).
run:
	@sh scripts/deps.sh run
	@$(MAKE) --no-print-directory _run

# The lesson menu: what `mpscope` alone opens. A lesson records its example
# live when a CPython 3.8+ is here, else shows the recorded traces, so this
# works on a fresh machine after `make deps`. RUN_ARGS="lesson 1 --present"
# opens a lesson in classroom mode instead.
RUN_ARGS ?=

_run: mpscope $(FASTPATH)
	./mpscope $(RUN_ARGS)

bench: mpscope $(FASTPATH)
	@sh bench/run-all.sh

traces: mpscope $(FASTPATH)
	@sh scripts/record-traces.sh

# ---- install ----------------------------------------------------------------

DATADIR = $(PREFIX)/share/mpscope

install: mpscope $(FASTPATH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/probe $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 mpscope $(DESTDIR)$(PREFIX)/bin/mpscope
	cd src/probe && find . -name '*.py' -exec install -D -m 644 {} $(DESTDIR)$(DATADIR)/probe/{} \;
	install -m 644 $(FASTPATH) $(DESTDIR)$(DATADIR)/probe/mpscope_probe/
	cp -R lessons traces $(DESTDIR)$(DATADIR)/
	install -m 644 docs/mpscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/mpscope.1

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/mpscope $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/man/man1/mpscope.1

clean:
	rm -rf build mpscope $(FASTPATH)

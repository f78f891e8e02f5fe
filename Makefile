# cxkit: lib/libcx.a, then one program per src/cx-NAME.c (or src/cx-NAME/) into bin/.
# ./configure writes config.mk; `make` runs it with defaults when it is missing.
-include config.mk

VERSION = 0.1.0
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
DEFS = -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -DCX_VERSION='"$(VERSION)"'
ifeq ($(SANITIZE),1)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS = $(WARN) $(DEFS) $(CFLAGS) $(SANFLAGS) $(LIBCFLAGS) -Ilib
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:%.c=build/%.o)
TOOL_FILES = $(sort $(wildcard src/cx-*.c))
TOOL_DIRS = $(sort $(patsubst %/,%,$(wildcard src/cx-*/)))
TOOLS = $(TOOL_FILES:src/%.c=bin/%) $(TOOL_DIRS:src/%=bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
TEST_TOOLS = $(patsubst tests/%.c,build/tests/%,$(wildcard tests/*.c))
GEN = bin/cx-gen-data

.PHONY: all check install clean demo bench fuzz distclean
all: $(TOOLS) $(GEN)

config.mk:
	./configure

# Rebuild everything when the flags change (SANITIZE=1 and back).
build/flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LIBS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LIBS)' >$@
FORCE:

build/%.o: %.c build/flags config.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

lib/libcx.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# static pattern rules: their objects are explicit targets, kept and rebuilt
# when build/flags changes (an implicit chain would make them intermediate)
$(TOOL_FILES:src/%.c=bin/%): bin/%: build/src/%.o lib/libcx.a
	@mkdir -p bin
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libcx.a $(LIBS)

# A tool that grew into a folder: every .c in src/cx-NAME/.
define tool_dir
bin/$(1): $(patsubst %.c,build/%.o,$(wildcard src/$(1)/*.c)) lib/libcx.a
	@mkdir -p bin
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) lib/libcx.a $$(LIBS)
endef
$(foreach d,$(TOOL_DIRS:src/%=%),$(eval $(call tool_dir,$(d))))

$(GEN): build/scripts/cx-gen-data.o lib/libcx.a
	@mkdir -p bin
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libcx.a $(LIBS)

# unit tests (tests/unit/test-*.c) and test helpers (tests/*.c), not installed
$(UNIT_BIN): build/tests/%: build/tests/unit/%.o lib/libcx.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libcx.a $(LIBS)
$(TEST_TOOLS): build/tests/%: build/tests/%.o lib/libcx.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libcx.a $(LIBS)

check: all $(UNIT_BIN) $(TEST_TOOLS)
	@LC_ALL=C SANITIZE=$(SANITIZE) VALGRIND=$(VALGRIND) sh tests/run-all

demo: all
	@sh scripts/demo

bench: all build/tests/csvcount
	@sh scripts/bench

fuzz:
	@sh tests/fuzz/run $(FUZZ_SECONDS)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	cp $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	cp man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build bin lib/libcx.a

distclean: clean
	rm -f config.mk

-include $(shell find build -name '*.d' 2>/dev/null)

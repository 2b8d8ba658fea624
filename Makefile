# SPDX-License-Identifier: GPL-2.0
#
# make                  op25b.ko (for KVER / KDIR) and tools/op25bctl/op25bctl
# make check            host unit tests, then the guest suite on Debian's 6.1
# make check KVER=...   the guest suite on any installed kernel
# make check-all        6.1 and 6.12
# make demo             boots a guest and shows op25b at work
# make deps             installs what the above need (Debian 12, as root)
# make clean            leaves the tree as git has it

# The kernel to build for: KVER, or the one KDIR points at, or the running
# kernel when its headers are installed, else the newest installed headers.
KVERS_INSTALLED = $(shell ls -d /lib/modules/*/build 2>/dev/null | \
		    sed 's|^/lib/modules/||; s|/build$$||' | sort -V)
ifeq ($(KVER),)
ifneq ($(KDIR),)
KVER := $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
else ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KVER := $(shell uname -r)
else
KVER := $(lastword $(KVERS_INSTALLED))
endif
endif
KDIR ?= /lib/modules/$(KVER)/build

BUILD := $(CURDIR)/build
MODDIR := $(BUILD)/$(KVER)
HOSTDIR := $(BUILD)/host

# CI builds: warnings are errors (W=1 for the module).
ifeq ($(CI),true)
WERROR ?= 1
endif
WERROR ?= 0
KBUILD_FLAGS := $(if $(filter 1,$(WERROR)),W=1 OP25B_WERROR=1)

HOSTCC ?= cc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	       -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer
SHARED_SRC := src/op25b_table.c src/op25b_parse.c src/op25b_names.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOSTDIR)/%,$(wildcard tests/unit/test_*.c))
HELPERS := $(patsubst tests/helpers/%.c,$(HOSTDIR)/%,$(wildcard tests/helpers/*.c))

.PHONY: all module tool helpers unit check check-run check-all demo demo-run \
	deps clean sparse checkpatch

all: module tool helpers

module:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR) (make deps, or KVER=/KDIR=)"; exit 1; }
	@mkdir -p $(MODDIR)/src
	@ln -sfn $(CURDIR)/include $(MODDIR)/include
	@ln -sf $(CURDIR)/Kbuild $(MODDIR)/Kbuild
	@for f in src/*.c src/*.h; do ln -sf $(CURDIR)/$$f $(MODDIR)/$$f; done
	$(MAKE) -C $(KDIR) M=$(MODDIR) $(KBUILD_FLAGS) modules
	@cp $(MODDIR)/op25b.ko $(CURDIR)/op25b.ko

tool:
	$(MAKE) -C tools/op25bctl

helpers: $(HELPERS)

$(HOSTDIR)/%: tests/helpers/%.c
	@mkdir -p $(HOSTDIR)
	$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $<

# op25bctl's host tests join the unit tests that check.sh runs and counts,
# one TAP stream each
TOOL_TESTS := extack json entry
unit: $(UNIT_TESTS) tool
	$(MAKE) -C tools/op25bctl $(addprefix test_,$(TOOL_TESTS))
	@for t in $(TOOL_TESTS); do \
		printf '#!/bin/sh\nexec %s\n' $(CURDIR)/tools/op25bctl/test_$$t \
			> $(HOSTDIR)/test_op25bctl_$$t; \
		chmod +x $(HOSTDIR)/test_op25bctl_$$t; done
	@printf '#!/bin/sh\ncd %s && exec ./test_cli.sh ./op25bctl\n' \
		$(CURDIR)/tools/op25bctl > $(HOSTDIR)/test_op25bctl_cli
	@chmod +x $(HOSTDIR)/test_op25bctl_cli

$(HOSTDIR)/test_%: tests/unit/test_%.c $(SHARED_SRC) src/*.h tests/unit/*.h
	@mkdir -p $(HOSTDIR)
	$(HOSTCC) $(HOST_CFLAGS) -Isrc -o $@ $< $(SHARED_SRC)

# Installs missing packages, then runs the suite on one kernel (6.1 unless
# KVER says otherwise).  KVER is resolved after the install.
check:
	bash tests/harness/deps.sh $(if $(KVER_SET),$(KVER_SET))
	$(MAKE) check-run KVERS="$(or $(KVER_SET),$$(bash tests/harness/deps.sh --kver 6.1))"

check-all:
	bash tests/harness/deps.sh --all
	$(MAKE) check-run KVERS="$$(bash tests/harness/deps.sh --kver 6.1) $$(bash tests/harness/deps.sh --kver 6.12)"

check-run:
	@for k in $(KVERS); do $(MAKE) --no-print-directory module KVER=$$k WERROR=1 || exit 1; done
	$(MAKE) --no-print-directory tool helpers unit
	bash tests/harness/check.sh $(KVERS)

demo:
	bash tests/harness/deps.sh
	$(MAKE) --no-print-directory demo-run KVER="$$(bash tests/harness/deps.sh --kver 6.1)"

demo-run: module tool helpers
	bash tests/harness/boot.sh --kver $(KVER) --out $(BUILD)/demo/$(KVER) -- tests/demo.sh

deps:
	bash tests/harness/deps.sh --all

# Kernel style: sparse over every module file, and checkpatch.pl, which
# Debian ships only inside linux-source-6.1 (taken from there once).
sparse:
	$(MAKE) module C=2

CHECKPATCH := $(BUILD)/checkpatch/checkpatch.pl
$(CHECKPATCH):
	@test -f /usr/src/linux-source-6.1.tar.xz || \
		{ echo "checkpatch needs linux-source-6.1 (apt-get install linux-source-6.1)"; exit 1; }
	mkdir -p $(dir $@)
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(dir $@) --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch

checkpatch: $(CHECKPATCH)
	perl $(CHECKPATCH) --no-tree --terse -f src/*.c src/*.h \
		include/uapi/linux/op25b.h

clean:
	rm -rf $(BUILD) op25b.ko
	$(MAKE) -C tools/op25bctl clean

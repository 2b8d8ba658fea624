# SPDX-License-Identifier: GPL-2.0
#
# make                  op25b.ko (for KVER / KDIR) and tools/op25bctl/op25bctl
# make agent            tools/op25b-agent/op25b-agent, the fleet agent (etcd;
#                       libcurl, json-c and libcrypto; docs/fleet.md)
# make check            host unit tests, then the guest suite on Debian's 6.1
# make check KVER=...   the guest suite on any installed kernel
# make check-all        6.1, 6.12 and 6.1 PREEMPT_RT
# make check-debug      the guest suite on a debug kernel (KASAN, UBSAN, kmemleak,
#                       lockdep, ...) built from linux-source-6.1 (tests/debug-kernel/)
# make demo             boots a guest and shows op25b at work (installs only
#                       what it needs: deps.sh --demo)
# make deps             installs what the above need (Debian 12, as root)
# make install          module, op25bctl, op25b-agent, units, man pages,
#                       completion, examples (DESTDIR=, PREFIX=); make uninstall
# make dkms-install     DKMS for every kernel with headers; make dkms-uninstall
# make deb              Debian packages op25b-dkms, op25bctl and op25b-agent in build/deb/
# make clean            leaves the tree as git has it
# make fuzz             libFuzzer targets for the parsers and tables, 10^6 runs
#                       each (tests/fuzz/, clang; FUZZ_RUNS=N)
# make lint             cppcheck and clang-tidy over the userspace C
# make bench            benchmarks: host lookup (tests/bench), in-kernel decision
#                       cost, forwarding and load time in a 6.1 guest (KVER=...
#                       for another); tables in build/bench/ (docs/benchmarks.md)

# The kernel to build for: KVER, or the one KDIR points at, or the running
# kernel when its headers are installed, else the newest installed headers.
# KVER_SET: the KVER given on the command line (make check KVER=...), if any.
KVER_SET := $(if $(filter command line,$(origin KVER)),$(KVER))
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
# The module as users build it in build/KVER/ (what the tests load); with
# WERROR=1 (W=1 -Werror, CI's warning check) in build/w1/KVER/, so that
# neither build makes the other's objects stale.
MODDIR = $(BUILD)/$(if $(filter 1,$(WERROR)),w1/)$(KVER)
HOSTDIR := $(BUILD)/host
NPROC := $(shell nproc)

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
TABLE_SRC := src/op25b_table.c src/op25b_entry.c src/op25b_keys.c \
	     src/op25b_lookup.c
SHARED_SRC := $(TABLE_SRC) src/op25b_parse.c src/op25b_names.c \
	      src/op25b_settings.c \
	      src/op25b_topk.c src/op25b_limit.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOSTDIR)/%,$(wildcard tests/unit/test_*.c))
HELPERS := $(patsubst tests/helpers/%.c,$(HOSTDIR)/%,$(wildcard tests/helpers/*.c))

.PHONY: all module tool agent helpers unit check check-run check-all check-debug \
	check-debug-run demo demo-run deps clean sparse checkpatch

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

# not part of "all": a gateway that only runs op25bctl needs neither etcd
# nor the agent's libraries; make check and make install build it
agent:
	$(MAKE) -C tools/op25b-agent

helpers: $(HELPERS)

# Static: the guests exec these helpers hundreds of times per scenario, and
# on the debug kernel under TCG every shared library an exec maps costs
# (tests/helpers/nsexec.c says how much).
$(HOSTDIR)/%: tests/helpers/%.c
	@mkdir -p $(HOSTDIR)
	$(HOSTCC) -std=gnu11 -O2 -g -static -Wall -Wextra -Werror -o $@ $<

# op25bctl's host tests join the unit tests that check.sh runs and counts,
# one TAP stream each
TOOL_TESTS := extack json entry conf prom top docs
unit: $(UNIT_TESTS) tool agent
	$(MAKE) -C tools/op25bctl $(addprefix test_,$(TOOL_TESTS))
	$(MAKE) -C tools/op25b-agent test_agent
	@printf '#!/bin/sh\nexec %s\n' $(CURDIR)/tools/op25b-agent/test_agent \
		> $(HOSTDIR)/test_op25b_agent
	@chmod +x $(HOSTDIR)/test_op25b_agent
	@for t in $(TOOL_TESTS); do \
		printf '#!/bin/sh\nexec %s\n' $(CURDIR)/tools/op25bctl/test_$$t \
			> $(HOSTDIR)/test_op25bctl_$$t; \
		chmod +x $(HOSTDIR)/test_op25bctl_$$t; done
	@printf '#!/bin/sh\ncd %s && exec ./test_cli.sh ./op25bctl\n' \
		$(CURDIR)/tools/op25bctl > $(HOSTDIR)/test_op25bctl_cli
	@chmod +x $(HOSTDIR)/test_op25bctl_cli
	@printf '#!/bin/sh\nexec python3 %s/tests/readme/readme.py %s/README.md check\n' \
		$(CURDIR) $(CURDIR) > $(HOSTDIR)/test_readme
	@chmod +x $(HOSTDIR)/test_readme
	@printf '#!/bin/sh\nexec bash %s/tests/bench/smoke-tap.sh\n' $(CURDIR) \
		> $(HOSTDIR)/test_bench_smoke
	@chmod +x $(HOSTDIR)/test_bench_smoke

$(HOSTDIR)/test_%: tests/unit/test_%.c $(SHARED_SRC) src/*.h tests/unit/*.h
	@mkdir -p $(HOSTDIR)
	$(HOSTCC) $(HOST_CFLAGS) -Isrc -o $@ $< $(SHARED_SRC)

# Installs missing packages, then runs the suite on one kernel (6.1 unless
# KVER says otherwise: a full version or a series, 6.1, 6.12, 6.1-rt).
check:
	bash tests/harness/deps.sh $(KVER_SET)
	$(MAKE) check-run KVERS="$(or $(KVER_SET),6.1)"

# 6.12 first: the scenarios marked "once" (daemons and tools, whose
# kernel side other scenarios test on every kernel) run on the first
# kernel, and 6.12 runs them about a quarter faster under TCG than 6.1;
# "make check" (6.1 alone) still runs them, on 6.1.
check-all:
	bash tests/harness/deps.sh --all
	$(MAKE) check-run KVERS="6.12 6.1 6.1-rt"

# KVERS: full versions or series, each resolved to the newest installed
# kernel of it (check.sh does the same); one that is not installed fails.
# The builds before the guests take minutes on one core (nine kbuild runs
# for three kernels, the unit tests with ASan): they use every core.
check-run:
	@for w in $(KVERS); do k=$$(bash tests/harness/deps.sh --kver $$w) || \
		{ echo "kernel $$w is not installed (make deps)"; exit 1; }; \
		$(MAKE) --no-print-directory -j$(NPROC) module bench-kmod KVER=$$k WERROR=1 && \
		$(MAKE) --no-print-directory -j$(NPROC) module KVER=$$k WERROR=0 || exit 1; done
	$(MAKE) --no-print-directory -j$(NPROC) tool agent helpers unit
	bash tests/harness/check.sh $(KVERS)

# The guest suite on the debug kernel of tests/debug-kernel/ (built once,
# then cached; the build is niced), then two kmemleak scans (guest-suite.sh).
# Host unit tests, the self-test and the deployment tests are check's and
# check-all's.  Under KASAN + lockdep + TCG everything is several times
# slower: longer timeouts, more guest memory (KASAN's shadow, kmemleak).
# The q35 machine: on the default i440fx one, that kernel's ACPI interpreter
# times out (30 s each) evaluating the PCI interrupt routing of every device.
DEBUG_BOOT_TIMEOUT ?= 4200
DEBUG_SCENARIO_TIMEOUT ?= 1200
DEBUG_GUEST_MEM ?= 3072
DEBUG_QEMU_ARGS ?= -machine q35
# Churn under load runs for 30 s here (20 s in check), the writer's
# requests being what the checkers are for.  Fault injection: each
# probability once per request, 3 rounds (72 took 451 s with 5 on a 2-core
# Zen 3 beside another debug guest; CI's 90 minutes hold all kernels).
DEBUG_CHURN_SECONDS ?= 30
DEBUG_FI_ROUNDS ?= 3
# The fuzzer's 2x10^4 requests of the Debian kernels took 315 s here.
DEBUG_FUZZ_MSGS ?= 10000
# the scenarios marked "# op25b: nodebug" are left out (tests/harness/
# README.md says why); DEBUG_LEAVE_OUT= runs them all
DEBUG_LEAVE_OUT ?= nodebug
# Static analysis of the userspace C (not part of check: clang-tidy alone
# takes minutes on a loaded 2-core machine).  Suppressions and their
# reasons: tests/cppcheck-suppressions.txt, .clang-tidy.
LINT_SRC := $(wildcard tools/op25bctl/*.c tools/op25b-agent/*.c tests/helpers/*.c) \
	    $(SHARED_SRC)
LINT_INC := -Isrc -Itools/op25bctl \
	    $(shell pkg-config --cflags-only-I libnl-genl-3.0 libcurl json-c)
# Tests that can fail, shown: each tests/mutants/*.patch applied to a copy
# of the committed tree must make its scenarios FAIL (MUTANTS="a b,c").
.PHONY: mutants
mutants:
	bash tests/mutants/run.sh --kver $(or $(KVER_SET),6.1) $(MUTANTS)

.PHONY: lint
lint:
	cppcheck --enable=warning,portability,performance --error-exitcode=1 \
		--inline-suppr --suppressions-list=tests/cppcheck-suppressions.txt \
		-q --std=c11 -D__x86_64__ -D__SIZEOF_INT128__=16 -U__KERNEL__ \
		$(LINT_INC) $(LINT_SRC)
	clang-tidy --quiet $(LINT_SRC) -- -std=gnu11 $(LINT_INC)

# libFuzzer, separate from check (needs clang; tests/fuzz/Makefile)
.PHONY: fuzz
fuzz:
	nice $(MAKE) -C tests/fuzz run

check-debug:
	bash tests/harness/deps.sh --debug
	bash tests/debug-kernel/build.sh
	$(MAKE) --no-print-directory check-debug-run $$(bash tests/debug-kernel/build.sh --vars)

check-debug-run:
	@test -n "$(DEBUG_KVER)" && test -n "$(DEBUG_KDIR)" || \
		{ echo "no DEBUG_KVER/DEBUG_KDIR (make check-debug)"; exit 1; }
	$(MAKE) --no-print-directory -j$(NPROC) module bench-kmod KVER=$(DEBUG_KVER) KDIR=$(DEBUG_KDIR) WERROR=1
	$(MAKE) --no-print-directory -j$(NPROC) module KVER=$(DEBUG_KVER) KDIR=$(DEBUG_KDIR) WERROR=0
	$(MAKE) --no-print-directory -j$(NPROC) tool helpers
	OP25B_SKIP_UNIT=1 OP25B_SKIP_SELFTEST=1 OP25B_SKIP_DEMO=1 OP25B_SKIP_DEPLOY=1 \
		OP25B_CHECK_LOGS=build/check-debug OP25B_ONCE_KERNEL=none \
		OP25B_LEAVE_OUT=$(DEBUG_LEAVE_OUT) \
		OP25B_BOOT_TIMEOUT=$(DEBUG_BOOT_TIMEOUT) \
		OP25B_SCENARIO_TIMEOUT=$(DEBUG_SCENARIO_TIMEOUT) \
		OP25B_GUEST_MEM=$(DEBUG_GUEST_MEM) \
		OP25B_CHURN_SECONDS=$(DEBUG_CHURN_SECONDS) \
		OP25B_FI_ROUNDS=$(DEBUG_FI_ROUNDS) \
		OP25B_FUZZ_MSGS=$(DEBUG_FUZZ_MSGS) \
		OP25B_QEMU_ARGS="$(DEBUG_QEMU_ARGS) $(OP25B_QEMU_ARGS)" \
		bash tests/harness/check.sh $(DEBUG_KVER)

# Benchmarks (docs/benchmarks.md): the host lookup benchmark, then one
# guest run per kernel (in-kernel cost of op25b_decide(), forwarding with
# op25b vs nftables vs iptables+ipset, load time) and the forwarding part
# again under QEMU's instruction counting (-icount), tables printed and in
# build/bench/.  bench-kmod: the benchmark-only module op25b_bench.ko
# (tests/bench/kmod/, never part of op25b.ko), also built for make check.
.PHONY: bench bench-run bench-kmod
BENCH_KMOD_DIR = $(BUILD)/bench/kmod/$(KVER)
bench:
	bash tests/harness/deps.sh $(KVER_SET)
	$(MAKE) --no-print-directory bench-run BENCH_KVERS="$(or $(KVER_SET),6.1)"

bench-run:
	@for w in $(BENCH_KVERS); do k=$$(bash tests/harness/deps.sh --kver $$w) || \
		{ echo "kernel $$w is not installed (make deps)"; exit 1; }; \
		nice $(MAKE) --no-print-directory module bench-kmod KVER=$$k || exit 1; done
	nice $(MAKE) --no-print-directory tool helpers
	@mkdir -p $(BUILD)/bench
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $(BUILD)/bench/vcpuclock tests/bench/vcpuclock.c
	bash tests/bench/run.sh $(foreach w,$(BENCH_KVERS),--kver $(w))

bench-kmod:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR) (make deps, or KVER=/KDIR=)"; exit 1; }
	@mkdir -p $(BENCH_KMOD_DIR)/src
	@ln -sfn $(CURDIR)/include $(BENCH_KMOD_DIR)/include
	@ln -sf $(CURDIR)/tests/bench/kmod/Kbuild $(BENCH_KMOD_DIR)/Kbuild
	@for f in bench_decide.c bench_limit.c bench.h; do \
		ln -sf $(CURDIR)/tests/bench/kmod/$$f $(BENCH_KMOD_DIR)/$$f; done
	@for f in $(TABLE_SRC) src/op25b_settings.c src/op25b_limit.c src/*.h; do ln -sf $(CURDIR)/$$f $(BENCH_KMOD_DIR)/$$f; done
	$(MAKE) -C $(KDIR) M=$(BENCH_KMOD_DIR) $(KBUILD_FLAGS) modules

demo:
	bash tests/harness/deps.sh --demo
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
	$(MAKE) -C tools/op25b-agent clean

# --- install, DKMS, Debian packages (tests/deploy/run.sh; README "Install") ---
# make install [DESTDIR=] [PREFIX=/usr] [KVER=]   module, op25bctl, man pages,
#      unit, bash completion, example configurations (never overwritten)
# make uninstall [same variables]   removes exactly that (a configuration
#      file only while it is the unchanged example)
# make dkms-install [DKMS_KVERS=...]  source to /usr/src/op25b-VERSION, dkms
#      add, dkms install for every kernel with headers; dkms-uninstall
# make deb     build/deb/op25b-dkms_VERSION_all.deb, op25bctl_VERSION_ARCH.deb,
#              op25b-agent_VERSION_ARCH.deb
OP25B_VERSION := $(shell sed -n 's/^\#define[[:space:]]*OP25BCTL_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	     tools/op25bctl/op25bctl.h)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
EXAMPLEDIR ?= $(PREFIX)/share/doc/op25bctl/examples
MODPROBE ?= /sbin/modprobe
KMODDIR = /lib/modules/$(KVER)/updates
DKMS_SRCDIR = /usr/src/op25b-$(OP25B_VERSION)
DKMS_KVERS ?= $(KVERS_INSTALLED)
DEBDIR := $(BUILD)/deb
# installed file: mode source destination (configuration files separately)
INSTALL_TOOL_FILES := \
	0755:tools/op25bctl/op25bctl:$(SBINDIR)/op25bctl \
	0644:man/op25bctl.8:$(MANDIR)/man8/op25bctl.8 \
	0644:man/op25b.conf.5:$(MANDIR)/man5/op25b.conf.5 \
	0644:man/op25b.4:$(MANDIR)/man4/op25b.4 \
	0644:$(BUILD)/op25b.service:$(UNITDIR)/op25b.service \
	0644:tools/completion/op25bctl:$(COMPLETIONDIR)/op25bctl \
	0755:tools/op25b-metrics/op25b-metrics:$(SBINDIR)/op25b-metrics \
	0644:man/op25b-metrics.8:$(MANDIR)/man8/op25b-metrics.8 \
	0644:$(BUILD)/op25b-metrics.service:$(UNITDIR)/op25b-metrics.service \
	0644:packaging/op25b-metrics.timer:$(UNITDIR)/op25b-metrics.timer \
	0755:tools/examples/op25b-alerts-syslog:$(EXAMPLEDIR)/op25b-alerts-syslog \
	0755:tools/ppp/op25b-ppp:$(SYSCONFDIR)/ppp/ip-up.d/op25b \
	0755:tools/ppp/op25b-ppp:$(SYSCONFDIR)/ppp/ip-down.d/op25b \
	0644:man/op25b-ppp.8:$(MANDIR)/man8/op25b-ppp.8
CONF := $(SYSCONFDIR)/op25b/op25b.conf
# the examples for the carrier's pipelines: node_exporter, ulogd2
METRICS_CONF := $(SYSCONFDIR)/op25b/metrics.conf
ULOGD_CONF := $(SYSCONFDIR)/op25b/ulogd-op25b.conf
# the PPP users whose sessions the ppp scripts exempt (op25b-ppp(8))
EXEMPT_USERS := $(SYSCONFDIR)/op25b/exempt-users
MODPROBE_CONF := $(SYSCONFDIR)/modprobe.d/op25b.conf
INSTALL_AGENT_FILES := \
	0755:tools/op25b-agent/op25b-agent:$(SBINDIR)/op25b-agent \
	0644:man/op25b-agent.8:$(MANDIR)/man8/op25b-agent.8 \
	0644:$(BUILD)/op25b-agent.service:$(UNITDIR)/op25b-agent.service
AGENT_CONF := $(SYSCONFDIR)/op25b/agent.conf

.PHONY: install uninstall install-module install-tool install-agent uninstall-module \
	uninstall-tool uninstall-agent dkms-source dkms-install dkms-uninstall deb

$(BUILD)/%.service: packaging/%.service.in FORCE
	@mkdir -p $(BUILD)
	sed -e 's|@MODPROBE@|$(MODPROBE)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< >$@
FORCE:

install: install-module install-tool install-agent

# no depmod into a DESTDIR: the tree's modules.* belong to the kernel package
install-module: module
	install -D -m 0644 $(MODDIR)/op25b.ko $(DESTDIR)$(KMODDIR)/op25b.ko
	@if [ -e $(DESTDIR)$(MODPROBE_CONF) ]; then echo "keeping $(DESTDIR)$(MODPROBE_CONF)"; \
	else install -D -m 0644 packaging/modprobe.d-op25b.conf $(DESTDIR)$(MODPROBE_CONF); fi
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tool: tool $(BUILD)/op25b.service $(BUILD)/op25b-metrics.service
	$(call install_files,$(INSTALL_TOOL_FILES),$(CONF),packaging/op25b.conf)
	$(call install_files,,$(METRICS_CONF),packaging/metrics.conf)
	$(call install_files,,$(ULOGD_CONF),packaging/ulogd-op25b.conf)
	$(call install_files,,$(EXEMPT_USERS),packaging/exempt-users)

uninstall: uninstall-module uninstall-tool uninstall-agent

# rmdir_p DIR...: removes DIR and its parents while empty, inside DESTDIR
# only; without DESTDIR only the directories op25b owns (updates/ of the
# kernel and /etc/op25b) go, when empty.
uninstall-module:
	rm -f $(DESTDIR)$(KMODDIR)/op25b.ko
	@if cmp -s packaging/modprobe.d-op25b.conf $(DESTDIR)$(MODPROBE_CONF); then \
		echo "rm -f $(DESTDIR)$(MODPROBE_CONF)"; rm -f $(DESTDIR)$(MODPROBE_CONF); \
	elif [ -e $(DESTDIR)$(MODPROBE_CONF) ]; then echo "keeping $(DESTDIR)$(MODPROBE_CONF) (changed)"; fi
	$(if $(DESTDIR),,depmod -a $(KVER))
	-@rmdir $(DESTDIR)$(KMODDIR) 2>/dev/null
	$(call rmdir_p,$(KMODDIR) $(dir $(MODPROBE_CONF)))

uninstall-tool:
	$(call uninstall_files,,$(EXEMPT_USERS),packaging/exempt-users)
	$(call uninstall_files,,$(ULOGD_CONF),packaging/ulogd-op25b.conf)
	$(call uninstall_files,,$(METRICS_CONF),packaging/metrics.conf)
	$(call uninstall_files,$(INSTALL_TOOL_FILES),$(CONF),packaging/op25b.conf)

# the agent: binary, man page, unit, and /etc/op25b/agent.conf (mode 0640:
# it names the credentials' files) unless it exists
install-agent: agent $(BUILD)/op25b-agent.service
	$(call install_files,$(INSTALL_AGENT_FILES),$(AGENT_CONF),packaging/agent.conf)

uninstall-agent:
	$(call uninstall_files,$(INSTALL_AGENT_FILES),$(AGENT_CONF),packaging/agent.conf)

# install_files FILES,CONF,EXAMPLE: each "mode:source:destination" of
# FILES, then EXAMPLE as the configuration file CONF (mode 0640) unless
# CONF exists
define install_files
	@set -e; for f in $(1); do \
		m=$${f%%:*}; r=$${f#*:}; s=$${r%%:*}; d=$${r#*:}; \
		echo "install -D -m $$m $$s $(DESTDIR)$$d"; \
		install -D -m $$m $$s $(DESTDIR)$$d; done
	@if [ -e $(DESTDIR)$(2) ]; then echo "keeping $(DESTDIR)$(2)"; \
	else install -D -m 0640 $(3) $(DESTDIR)$(2); fi
endef

# uninstall_files FILES,CONF,EXAMPLE: removes what install_files
# installed, CONF only while it is still EXAMPLE, and the directories
# left empty
define uninstall_files
	@for f in $(1); do d=$${f##*:}; \
		echo "rm -f $(DESTDIR)$$d"; rm -f $(DESTDIR)$$d; done
	@if cmp -s $(3) $(DESTDIR)$(2); then \
		echo "rm -f $(DESTDIR)$(2)"; rm -f $(DESTDIR)$(2); \
	elif [ -e $(DESTDIR)$(2) ]; then echo "keeping $(DESTDIR)$(2) (changed)"; fi
	-@rmdir $(DESTDIR)$(dir $(2)) 2>/dev/null
	$(call rmdir_p,$(foreach f,$(1),$(dir $(lastword $(subst :, ,$(f))))) $(dir $(2)))
endef

rmdir_p = $(if $(DESTDIR),@cd $(DESTDIR) && for d in $(patsubst /%,%,$(1)); do \
	d=$${d%/}; while [ -n "$$d" ] && [ "$$d" != . ]; do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || break; d=$$(dirname "$$d"); done; done)

# The module's source as DKMS wants it (also the content of op25b-dkms).
dkms-source:
	@test -n "$(OP25B_VERSION)" || { echo "no OP25BCTL_VERSION in tools/op25bctl/op25bctl.h"; exit 1; }
	@grep -qx 'PACKAGE_VERSION="$(OP25B_VERSION)"' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not \"$(OP25B_VERSION)\""; exit 1; }
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)
	install -d $(DESTDIR)$(DKMS_SRCDIR)/src $(DESTDIR)$(DKMS_SRCDIR)/include/uapi/linux
	install -m 0644 dkms.conf Kbuild $(DESTDIR)$(DKMS_SRCDIR)/
	install -m 0644 src/*.c src/*.h $(DESTDIR)$(DKMS_SRCDIR)/src/
	install -m 0644 include/uapi/linux/op25b.h $(DESTDIR)$(DKMS_SRCDIR)/include/uapi/linux/

dkms-install:
	@test -z "$$(dkms status op25b/$(OP25B_VERSION))" || dkms remove op25b/$(OP25B_VERSION) --all
	$(MAKE) --no-print-directory dkms-source DESTDIR=
	dkms add op25b/$(OP25B_VERSION)
	@set -e; for k in $(DKMS_KVERS); do \
		echo "dkms install op25b/$(OP25B_VERSION) -k $$k"; dkms install op25b/$(OP25B_VERSION) -k $$k; done
	dkms status op25b

dkms-uninstall:
	@test -z "$$(dkms status op25b/$(OP25B_VERSION))" || { \
		echo "dkms remove op25b/$(OP25B_VERSION) --all"; dkms remove op25b/$(OP25B_VERSION) --all; }
	rm -rf $(DKMS_SRCDIR)

# dpkg-buildpackage in a copy of the tree (tracked and untracked files, not
# ignored ones), so that its ../ outputs land in build/deb/.
deb:
	rm -rf $(DEBDIR)
	mkdir -p $(DEBDIR)/op25b-$(OP25B_VERSION)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEBDIR)/op25b-$(OP25B_VERSION); \
	else \
		tar --exclude=./build --exclude-vcs -cf - . | tar -xf - -C $(DEBDIR)/op25b-$(OP25B_VERSION); \
	fi
	@test -f $(DEBDIR)/op25b-$(OP25B_VERSION)/debian/rules || { echo "copying the tree failed"; exit 1; }
	cd $(DEBDIR)/op25b-$(OP25B_VERSION) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage --build=binary --no-sign
	@ls -l $(DEBDIR)/*.deb

#!/usr/bin/env bash
# selftest.sh [KVER] — self-test of the QEMU harness itself; prints TAP.
#
# Boots KVER (default: the newest installed 6.1) several times in parallel:
#   ok      payload exits 0 and leaves a background process -> boot.sh 0
#   panic   sysrq 'c'                                       -> 125, "kernel panic"
#   hang    sleep forever, --timeout 30                     -> 125, "timeout"
#   suite   guest-suite.sh on selftest/scenarios with a dummy op25b.ko
#           -> PASS/FAIL/SKIP/timeout lines, reload after unload, DONE, exit 1
#   warnnp  insmod a module doing WARN_ON(1), with panic_on_warn switched
#           off in the guest                                 -> 126, WARNING lines
#   nomod   guest-suite.sh without op25b.ko, on selftest/needmod (a scenario
#           calling tests/lib.sh's require_module)
#           -> FAIL insmod, FAIL of that scenario (not SKIP), exit 1
# (With the default panic_on_warn=1, which the "ok" run checks, a WARNING
# panics the guest, i.e. the same path as the "panic" run.)
# Guests run with one vCPU each: several 2-vCPU TCG guests on two host cores
# waste most of their time in cross-CPU waits.
# The two throw-away modules are built from selftest/*.c into
# build/selftest/KVER/modules against /lib/modules/KVER/build.
set -uo pipefail

HARNESS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HARNESS/../.." && pwd -P)
# shellcheck source=common.sh
. "$HARNESS/common.sh"
cd "$ROOT" || exit 1

N=0
FAILS=0
ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILS=$((FAILS + 1)); echo "not ok $N - $*"; }
check() { # check "description" CMD...
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { sed 's/^/# /'; }

KVER=$(resolve_kver "${1:-6.1}") || {
	not_ok "selftest: no usable kernel '${1:-6.1}' (tests/harness/deps.sh --kvers)"
	echo "1..$N"
	exit 1
}
OUT=$ROOT/build/selftest/$KVER
SELFTEST_T0=$(date +%s)
mkdir -p "$OUT"
echo "# harness selftest on $KVER, output in ${OUT#"$ROOT"/}"

# Build the initramfs once up front so parallel boots don't queue on its lock.
if ! bash "$HARNESS/mkinitramfs.sh" "$KVER" "$ROOT/build/initramfs/$KVER.cpio.gz" 2>&1 | diag; then
	not_ok "selftest: building the initramfs failed"
	echo "1..$N"
	exit 1
fi

declare -A PID=() RC=() T=()
start_boot() { # start_boot NAME TIMEOUT [--share DIR] CMD...
	local name=$1 tmo=$2 share=()
	shift 2
	[ "$1" != --share ] || { share=(--share "$2"); shift 2; }
	T[$name]=$tmo
	bash "$HARNESS/boot.sh" --quiet --kver "$KVER" --out "$OUT/$name" --timeout "$tmo" --mem 1024 \
		--smp 1 "${share[@]}" -- "$@" >"$OUT/$name.boot.log" 2>&1 &
	PID[$name]=$!
}
finish_boot() { # finish_boot NAME: waits, sets RC[NAME]
	wait "${PID[$1]}"
	RC[$1]=$?
}

start_boot hang 30 tests/harness/selftest/payload-hang.sh
start_boot panic 180 tests/harness/selftest/payload-panic.sh
start_boot ok 180 tests/harness/selftest/payload-ok.sh

# Throw-away modules (dummy op25b.ko and the WARN_ON one).
MODDIR=$OUT/modules
rm -rf "$MODDIR"
mkdir -p "$MODDIR"
cp "$HARNESS/selftest/op25b_dummy.c" "$MODDIR/op25b.c"
cp "$HARNESS/selftest/warn_on.c" "$MODDIR/op25b_selftest_warn.c"
echo 'obj-m := op25b.o op25b_selftest_warn.o' >"$MODDIR/Kbuild"
MODS_OK=0
if make -C "/lib/modules/$KVER/build" M="$MODDIR" modules >"$MODDIR/build.log" 2>&1 &&
	[ -e "$MODDIR/op25b.ko" ] && [ -e "$MODDIR/op25b_selftest_warn.ko" ]; then
	MODS_OK=1
	ok "test modules build against /lib/modules/$KVER/build"
else
	not_ok "test modules build against /lib/modules/$KVER/build"
	tail -n 20 "$MODDIR/build.log" | diag
fi

if [ "$MODS_OK" = 1 ]; then
	SUITE_KO=$MODDIR/op25b.ko
	start_boot warnnp 180 tests/harness/selftest/payload-warn.sh "$MODDIR/op25b_selftest_warn.ko" nopanic
else
	SUITE_KO=$MODDIR/none.ko
fi
start_boot suite 300 env OP25B_SCENARIO_TIMEOUT=10 OP25B_KO="$SUITE_KO" \
	tests/harness/guest-suite.sh tests/harness/selftest/scenarios
# two guests sharing the scenarios, as check.sh runs a kernel's suite
rm -rf "$OUT/claims"
mkdir -p "$OUT/claims"
for g in 1 2; do
	start_boot "shared$g" 300 --share "$OUT/claims" env OP25B_SCENARIO_TIMEOUT=10 \
		OP25B_KO="$SUITE_KO" OP25B_CLAIMS=/run/shared \
		tests/harness/guest-suite.sh tests/harness/selftest/scenarios
done

elapsed() { cat "$OUT/$1/elapsed" 2>/dev/null || echo '?'; }
reason() { cat "$OUT/$1/reason.txt" 2>/dev/null; }
show() { # show NAME: diagnostics of a run
	echo "boot.sh exit ${RC[$1]}, $(elapsed "$1")s; $(reason "$1")" | diag
	tail -n 15 "$OUT/$1.boot.log" | diag
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# --- ok ---------------------------------------------------------------------------
finish_boot ok
if [ "${RC[ok]}" = 0 ] && grep -q "selftest-marker-$KVER" "$OUT/ok/payload.log" &&
	tr -d '\r' <"$OUT/ok/console.log" | grep -q "selftest-marker-$KVER"; then
	ok "clean payload: boot.sh exits 0, output in payload.log and console.log ($(elapsed ok)s)"
else
	not_ok "clean payload: boot.sh exits 0, output in payload.log and console.log"
	show ok
fi
check "guest runs with panic_on_warn=1" grep -qx 'panic_on_warn=1' "$OUT/ok/payload.log"
if [ -s "$OUT/ok/dmesg.txt" ] && ! kwarn_scan_kmsg "$OUT/ok/dmesg.txt" >/dev/null; then
	ok "clean boot: dmesg.txt written and free of warnings"
else
	not_ok "clean boot: dmesg.txt written and free of warnings"
	kwarn_scan_kmsg "$OUT/ok/dmesg.txt" | diag
fi

# --- panic --------------------------------------------------------------------------
finish_boot panic
if [ "${RC[panic]}" = 125 ] && reason panic | grep -q '^kernel panic' && lt "$(elapsed panic)" "${T[panic]}"; then
	ok "panic: exit 125, '$(reason panic)' after $(elapsed panic)s"
else
	not_ok "panic: exit 125 with a kernel panic reason before the timeout"
	show panic
fi

# --- hang ---------------------------------------------------------------------------
finish_boot hang
if [ "${RC[hang]}" = 125 ] && reason hang | grep -q '^timeout' && lt "$(elapsed hang)" "$((T[hang] + 15))"; then
	ok "hang: exit 125, '$(reason hang)' after $(elapsed hang)s"
else
	not_ok "hang: exit 125 with a timeout reason within ${T[hang]}s (+15)"
	show hang
fi

# A suite without op25b.ko (started once the hang run is over: fewer guests
# at once): the missing module is a failure, and so is every scenario that
# needs it, rather than a run of skips that reads as success
start_boot nomod 300 env OP25B_SCENARIO_TIMEOUT=10 OP25B_KO=/nonexistent/op25b.ko \
	tests/harness/guest-suite.sh tests/harness/selftest/needmod

# --- warn ---------------------------------------------------------------------------
if [ "$MODS_OK" = 1 ]; then
	finish_boot warnnp
	if [ "${RC[warnnp]}" = 126 ] && grep -q 'WARNING:' "$OUT/warnnp/kernel-warnings.txt" 2>/dev/null; then
		ok "WARN_ON without panic: exit 126, WARNING listed in kernel-warnings.txt"
	else
		not_ok "WARN_ON without panic: exit 126, WARNING listed in kernel-warnings.txt"
		show warnnp
	fi
else
	not_ok "WARN_ON run skipped: test modules did not build"
fi

# --- suite --------------------------------------------------------------------------
finish_boot suite
R=$OUT/suite/results.txt
has() { grep -qE "^$1( |\$)" "$R" 2>/dev/null; }
if [ "${RC[suite]}" = 1 ]; then
	ok "suite: boot.sh passes on guest-suite's failure status (1)"
else
	not_ok "suite: boot.sh passes on guest-suite's failure status (1), got ${RC[suite]}"
	show suite
fi
check "suite: passing scenario reported PASS" has 'PASS 10-pass'
check "suite: failing scenario reported FAIL" has 'FAIL 20-fail'
check "suite: skipping scenario reported SKIP" has 'SKIP 30-skip'
check "suite: lib.sh's skip() after a failed check reported FAIL" has 'FAIL 35-fail-then-skip'
check "suite: lib.sh's skip() with no failed check reported SKIP" has 'SKIP 36-lib-skip'
check "suite: overrunning scenario reported FAIL with timeout" has 'FAIL 40-timeout \(timeout'
check "suite: non-executable scenario ignored" bash -c "! grep -q 50-not-executable '$R'"
if [ "$MODS_OK" = 1 ]; then
	check "suite: insmod PASS" has 'PASS insmod'
	check "suite: module reloaded after a scenario unloaded it" has 'PASS 46-loaded-again'
	check "suite: rmmod PASS" has 'PASS rmmod'
fi
check "suite: dmesg-clean PASS" has 'PASS dmesg-clean'
check "suite: results.txt ends with DONE" bash -c "[ \"\$(tail -n1 '$R')\" = DONE ]"
check "suite: per-scenario logs written" test -s "$OUT/suite/scenarios/20-fail.log"

finish_boot shared1
finish_boot shared2
# every scenario ran in exactly one of the two guests
once=$(cat "$OUT"/shared[12]/results.txt 2>/dev/null | grep -oE '^(PASS|FAIL|SKIP) [0-9]+-[a-z-]+' |
	cut -d" " -f2 | LC_ALL=C sort | uniq -c | awk '$1 == 1 { print $2 }' | tr '\n' ' ')
want=$(find tests/harness/selftest/scenarios -name '*.sh' -perm -u+x -printf '%f\n' | sed 's/\.sh$//' |
	LC_ALL=C sort | tr '\n' ' ')
if [ "$once" = "$want" ] && [ "$(tail -n1 "$OUT/shared1/results.txt")" = DONE ] &&
	[ "$(tail -n1 "$OUT/shared2/results.txt")" = DONE ]; then
	ok "suite in two guests: each scenario ran in exactly one ($want)"
else
	not_ok "suite in two guests: each scenario ran in exactly one (want '$want', once: '$once')"
	show shared1
	show shared2
fi

# --- nomod --------------------------------------------------------------------------
finish_boot nomod
RN=$OUT/nomod/results.txt
if [ "${RC[nomod]}" = 1 ] && grep -q '^FAIL insmod (no /nonexistent/op25b.ko' "$RN" 2>/dev/null; then
	ok "no op25b.ko: insmod FAIL, boot.sh exits 1"
else
	not_ok "no op25b.ko: insmod FAIL, boot.sh exits 1 (got ${RC[nomod]})"
	show nomod
fi
check "no op25b.ko: a scenario that needs the module FAILs" grep -q '^FAIL 10-needs-module' "$RN"
check "no op25b.ko: nothing reported SKIP" bash -c "! grep -q '^SKIP' '$RN'"
if [ "$FAILS" -gt 0 ] && [ -r "$R" ]; then
	diag <"$R"
fi

echo "1..$N"
echo "# selftest took $(($(date +%s) - SELFTEST_T0))s"
[ "$FAILS" = 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [--kver K]...   the body of "make bench" (after the builds)
#
#  1. the host lookup benchmark, "make -C tests/bench run" (op25b's tables
#     vs DPDK; tests/bench/README.md)           -> build/bench/lookup.txt
#     and on clustered, carrier-like prefixes, "make -C tests/bench
#     carrier"                                  -> build/bench/lookup-carrier.txt
#  2. data for the guest (gen_data.py, seed 25): subscriber tables of
#     10^3 and 10^5 prefixes with 10^4 flood sources, and of 10^6
#                                               -> build/bench/data/
#  3. per kernel K (default 6.1): one guest run of tests/bench/guest/run.sh
#     (in-kernel decision cost, forwarding, load time), 2 vCPUs, with
#     tests/bench/vcpuclock.c publishing the vCPUs' host CPU time
#                                               -> build/bench/guest-KVER/
#     then the forwarding part again under QEMU's instruction counting
#     (-icount shift=0, 1 vCPU: see below) -> build/bench/guest-KVER-icount/
#  4. tests/bench/report.py: the guest tables, and the targets of all of
#     them, the lookup's included               -> build/bench/KVER/*.txt
# and prints every table.  Exit status 0 when every part ran (a missed
# target is reported, not an error), 1 otherwise.
#
# Environment: BENCH_SKIP_HOST=1 skips 1; BENCH_PARTS, BENCH_FWD_SIZES,
# BENCH_LOAD_SIZES, BENCH_REPS (5), BENCH_DUR (4), BENCH_WARM (1),
# BENCH_LOAD_REPS (2), BENCH_LOAD_TOOLS, BENCH_KMOD_ARGS, BENCH_CONFIGS, BENCH_LOADS go to
# the guest (see guest/*.sh); BENCH_GUEST_MEM (4096: nft needs about 2 GiB
# for 10^6 elements), BENCH_TIMEOUT (5400 s per guest).  The
# instruction-count run: BENCH_ICOUNT (1; 0 skips it; it also needs "fwd"
# in BENCH_PARTS), BENCH_ICOUNT_REPS (3), BENCH_ICOUNT_DUR (1),
# BENCH_ICOUNT_WARM (0.3), BENCH_ICOUNT_LOADS ("udp syn").
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
cd "$ROOT" || exit 1
# shellcheck source=../harness/common.sh
. tests/harness/common.sh

KVERS=()
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVERS+=("${2:?--kver needs a kernel}"); shift 2 ;;
	*) echo "usage: run.sh [--kver K]..." >&2; exit 2 ;;
	esac
done
[ ${#KVERS[@]} -gt 0 ] || KVERS=(6.1)
OUT=build/bench
DATA=$OUT/data
mkdir -p "$OUT" "$DATA"
RC=0
say() { echo "== $*"; }

# --- 1. host lookup benchmark -------------------------------------------------------
if [ "${BENCH_SKIP_HOST:-0}" != 1 ]; then
	say "host lookup benchmark (make -C tests/bench run)"
	make --no-print-directory -C tests/bench run 2>&1 | tee "$OUT/lookup.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "host lookup benchmark failed"; RC=1; }
	say "host lookup benchmark, carrier-like prefixes (make -C tests/bench carrier)"
	make --no-print-directory -C tests/bench carrier 2>&1 | tee "$OUT/lookup-carrier.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "host lookup benchmark (carrier) failed"; RC=1; }
fi

# --- 2. data ----------------------------------------------------------------------------
# gendata NAME ARGS...: build/bench/data/NAME, unless it is there and newer
# than the generator
gendata() {
	local name=$1
	shift
	if [ -s "$DATA/$name/op25b.conf" ] && [ "$DATA/$name/op25b.conf" -nt tests/bench/gen_data.py ]; then
		return 0
	fi
	rm -rf "${DATA:?}/$name"
	nice python3 tests/bench/gen_data.py "$@" --out "$DATA/$name"
}
say "data (tests/bench/gen_data.py)"
for s in ${BENCH_FWD_SIZES:-1000 100000}; do
	gendata "fwd-$s" --prefixes "$s" --sources 10000 || RC=1
done
for s in ${BENCH_LOAD_SIZES:-1000000}; do
	gendata "load-$s" --prefixes "$s" || RC=1
done
ls -l "$DATA"

# --- 3. + 4. guests -------------------------------------------------------------------
# guest DIR SMP QEMU_ARGS ENV...: tests/bench/guest/run.sh in a guest
# with the environment ENV, its progress lines shown; exit status boot.sh's.
# tsc=unstable: the clocksource is HPET from boot, on every kernel.  Under
# TCG 6.1 gives up the TSC at once (unsynchronized), but 6.12's watchdog
# only some seconds into the run, and a clock read then costs several
# times more from one moment to the next: in the middle of the kmod part,
# whose limiter calls read the clock once each.
guest() {
	local dir=$1 smp=$2 qargs=$3
	shift 3
	OP25B_QEMU_ARGS="${OP25B_QEMU_ARGS:+$OP25B_QEMU_ARGS }$qargs" \
		bash tests/harness/boot.sh --kver "$k" --out "$dir" \
		--mem "${BENCH_GUEST_MEM:-4096}" --smp "$smp" --append "no_timer_check tsc=unstable" \
		--timeout "${BENCH_TIMEOUT:-5400}" -- \
		env "$@" tests/bench/guest/run.sh "$DATA" 2>&1 |
		grep --line-buffered -E '^\[bench\]|^boot.sh|^#|^case|^limit|^(empty|v[46]-)|^(op25b|write|local|exact) '
	return "${PIPESTATUS[0]}"
}

ENVS=()
for v in BENCH_PARTS BENCH_FWD_SIZES BENCH_LOAD_SIZES BENCH_REPS BENCH_DUR \
	BENCH_WARM BENCH_LOAD_REPS BENCH_LOAD_TOOLS BENCH_KMOD_ARGS BENCH_CONFIGS BENCH_LOADS; do
	[ -z "${!v:-}" ] || ENVS+=("$v=${!v}")
done
# The instruction-count run.  Under multi-threaded TCG a window's packet
# count depends on how fast the host runs QEMU at that moment: two
# measurements of the same configuration differ by several percent even
# per second of vCPU time, too coarse for the 1% target on ordinary
# traffic.  With -icount shift=0 guest time advances by one nanosecond per
# guest instruction executed, so packets per guest second are packets per
# 10^9 instructions, the same whatever else the host does; sleep=off: an
# idle guest jumps to its next timer instead of waiting for the host's
# clock (while a generator runs the vCPU is never idle).  It counts
# instructions, not their cost: no caches, no memory latency.  icount
# runs all vCPUs in one thread, and QEMU 7.2 hangs bringing up an x86
# guest's second vCPU under it ("x86: Booting SMP configuration"), so 1
# vCPU: generator, forwarding and fwd.sh share it (fwd.sh sleeps through
# the windows).  Windows are short: the figure does not drift, and a
# guest second takes some real seconds.
# It also measures nftempty (an nftables chain without a rule): what any
# hook at forward costs, which only this run can resolve, and op25bidle
# (op25b loaded, the namespace without a policy): what op25b costs the
# namespaces that do not use it.
IC_ENVS=(BENCH_PARTS=fwd "BENCH_REPS=${BENCH_ICOUNT_REPS:-3}"
	"BENCH_DUR=${BENCH_ICOUNT_DUR:-1}" "BENCH_WARM=${BENCH_ICOUNT_WARM:-0.3}"
	"BENCH_LOADS=${BENCH_ICOUNT_LOADS:-udp syn}"
	"BENCH_CONFIGS=${BENCH_CONFIGS:-none op25b nft ipset none2 nftempty op25bidle}")
[ -z "${BENCH_FWD_SIZES:-}" ] || IC_ENVS+=("BENCH_FWD_SIZES=$BENCH_FWD_SIZES")
ICOUNT=${BENCH_ICOUNT:-1}
[[ " ${BENCH_PARTS:-fwd} " == *" fwd "* ]] || ICOUNT=0

for w in "${KVERS[@]}"; do
	k=$(resolve_kver "$w") || { echo "kernel $w is not installed"; RC=1; continue; }
	g=$OUT/guest-$k
	say "guest benchmarks on $k (log: $g/payload.log)"
	mkdir -p "$g"
	# boot.sh clears $g; vcpuclock finds the guest's qemu by its --out
	gabs=$(cd "$g" && pwd -P)
	build/bench/vcpuclock "$gabs/vcpu-clock" "path=$gabs," 5 &
	vpid=$!
	t0=$(date +%s)
	guest "$g" 2 "-name op25b-bench,debug-threads=on" "${ENVS[@]}"
	brc=$?
	kill "$vpid" 2>/dev/null
	wait "$vpid" 2>/dev/null
	echo "guest run took $(($(date +%s) - t0)) s, exit $brc"
	[ "$brc" = 0 ] || RC=1
	# the vCPU clock's log sits beside the guest's output
	[ -e "$g/vcpu-clock.log" ] || echo "(no vcpu-clock.log: pps/vCPU-s not available)"
	icargs=()
	if [ "$ICOUNT" = 1 ]; then
		say "forwarding on $k, instruction-count run (log: $g-icount/payload.log)"
		mkdir -p "$g-icount"
		t0=$(date +%s)
		guest "$g-icount" 1 "-icount shift=0,sleep=off,align=off" "${IC_ENVS[@]}"
		brc=$?
		echo "instruction-count run took $(($(date +%s) - t0)) s, exit $brc"
		[ "$brc" = 0 ] || RC=1
		icargs=(--icount "$g-icount")
	fi
	say "results on $k"
	python3 tests/bench/report.py "$g" "${icargs[@]}" --lookup "$OUT/lookup.txt" \
		--lookup "$OUT/lookup-carrier.txt" --out "$OUT/$k" || RC=1
	echo "(tables in $OUT/$k/)"
done

for f in lookup lookup-carrier; do
	if [ -s "$OUT/$f.txt" ]; then
		say "host lookup benchmark (again, from $OUT/$f.txt)"
		cat "$OUT/$f.txt"
	fi
done
exit $RC

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [--kver K]...   the body of "make bench" (after the builds)
#
#  1. the host lookup benchmark, "make -C tests/bench run" (op25b's tables
#     vs DPDK; tests/bench/README.md)           -> build/bench/lookup.txt
#  2. data for the guest (gen_data.py, seed 25): subscriber tables of
#     10^3 and 10^5 prefixes with 10^4 flood sources, and of 10^6
#                                               -> build/bench/data/
#  3. per kernel K (default 6.1): one guest run of tests/bench/guest/run.sh
#     (in-kernel decision cost, forwarding, load time), 2 vCPUs, with
#     tests/bench/vcpuclock.c publishing the vCPUs' host CPU time
#                                               -> build/bench/guest-KVER/
#  4. tests/bench/report.py: the guest tables   -> build/bench/KVER/*.txt
# and prints every table.  Exit status 0 when every part ran (a missed
# target is reported, not an error), 1 otherwise.
#
# Environment: BENCH_SKIP_HOST=1 skips 1; BENCH_PARTS, BENCH_FWD_SIZES,
# BENCH_LOAD_SIZES, BENCH_REPS (5), BENCH_DUR (4), BENCH_WARM (1),
# BENCH_LOAD_REPS (2), BENCH_KMOD_ARGS go to the guest (see guest/*.sh);
# BENCH_GUEST_MEM (4096: nft needs about 2 GiB for 10^6 elements),
# BENCH_TIMEOUT (5400 s per guest).
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
ENVS=()
for v in BENCH_PARTS BENCH_FWD_SIZES BENCH_LOAD_SIZES BENCH_REPS BENCH_DUR \
	BENCH_WARM BENCH_LOAD_REPS BENCH_KMOD_ARGS BENCH_CONFIGS BENCH_LOADS; do
	[ -z "${!v:-}" ] || ENVS+=("$v=${!v}")
done
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
	OP25B_QEMU_ARGS="${OP25B_QEMU_ARGS:+$OP25B_QEMU_ARGS }-name op25b-bench,debug-threads=on" \
		bash tests/harness/boot.sh --kver "$k" --out "$g" \
		--mem "${BENCH_GUEST_MEM:-4096}" --smp 2 --append no_timer_check \
		--timeout "${BENCH_TIMEOUT:-5400}" -- \
		env "${ENVS[@]}" tests/bench/guest/run.sh "$DATA" 2>&1 |
		grep --line-buffered -E '^\[bench\]|^boot.sh|^#|^case|^(empty|v[46]-)'
	brc=${PIPESTATUS[0]}
	kill "$vpid" 2>/dev/null
	wait "$vpid" 2>/dev/null
	echo "guest run took $(($(date +%s) - t0)) s, exit $brc"
	[ "$brc" = 0 ] || RC=1
	# the vCPU clock's log sits beside the guest's output
	[ -e "$g/vcpu-clock.log" ] || echo "(no vcpu-clock.log: pps/vCPU-s not available)"
	say "results on $k"
	python3 tests/bench/report.py "$g" --out "$OUT/$k" || RC=1
	echo "(tables in $OUT/$k/)"
done

if [ -s "$OUT/lookup.txt" ]; then
	say "host lookup benchmark (again, from $OUT/lookup.txt)"
	cat "$OUT/lookup.txt"
fi
exit $RC

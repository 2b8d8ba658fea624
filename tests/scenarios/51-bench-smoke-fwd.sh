#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest forwarding and load benchmarks of "make bench" (tests/bench/
# guest/, docs/benchmarks.md) once at a tiny size, so that they keep
# working: forwarding through a gateway with no hook (twice: the A/A
# control), op25b (dropping, and answering with resets), nftables and
# iptables + ipset under UDP (pktgen) and a SYN flood (trafgen; from one
# generator, and from two when the guest has two CPUs) at 100 prefixes, the load time of 10^3 prefixes with
# op25bctl, nft and ipset, status during a load, and the report.
# Timing is never asserted, only that every part runs and each
# configuration does what it must (forward the UDP, drop the flood, load
# every prefix).  It unloads and reloads op25b.  The debug kernel (make
# check-debug) is built with what the suite needs, not with the
# comparison's tools: there it skips, saying which modules it lacks.
# The benchmark harness's smoke test; make bench measures every kernel:
# op25b: long 50
# op25b: once
. "$(dirname "$0")/../lib.sh"
trap cleanup EXIT
need nft ipset iptables trafgen tc python3 taskset setsid
B=tests/bench
mkdir -p "$WORK/out"
# shellcheck source=../bench/guest/lib.sh
missing=$(. $B/guest/lib.sh && for m in $BENCH_MODULES; do
	modprobe -n -q "$m" 2>/dev/null || printf ' %s' "$m"
done)
[ -z "$missing" ] || skip "the kernel lacks$missing (forwarding and load benchmarks)"

python3 $B/gen_data.py --prefixes 100 --sources 50 --out "$WORK/data/fwd-100" &&
	python3 $B/gen_data.py --prefixes 1000 --out "$WORK/data/load-1000"
assert "gen_data.py writes the tables" [ $? = 0 ]

BENCH_REPS=1 BENCH_DUR=0.5 BENCH_WARM=0.2 BENCH_SETTLE=0 BENCH_VCLOCK=/nonexistent \
	bash $B/guest/fwd.sh "$WORK/data" "$WORK/out/fwd.raw" 100
assert "forwarding: every configuration forwards the UDP and drops the flood" [ $? = 0 ]
assert_eq "forwarding: 5 configurations x 2 loads measured" 10 \
	"$(grep -c '^fwd 100 0 ' "$WORK/out/fwd.raw" 2>/dev/null)"
# run.sh's flood part
BENCH_REPS=1 BENCH_DUR=0.5 BENCH_WARM=0.2 BENCH_SETTLE=0 BENCH_VCLOCK=/nonexistent \
	BENCH_CONFIGS="op25b op25brej" BENCH_LOADS="syn syn2" \
	bash $B/guest/fwd.sh "$WORK/data" "$WORK/out/flood.raw" 100
assert "flood: op25b drops it and answers it, from one generator and from two" [ $? = 0 ]
assert_eq "flood: 2 configurations x 2 loads measured" 4 \
	"$(grep -c '^fwd 100 0 ' "$WORK/out/flood.raw" 2>/dev/null)"


BENCH_LOAD_REPS=1 BENCH_LOAD_REST=0 bash $B/guest/load.sh "$WORK/data" "$WORK/out/load.raw" 1000
assert "load: op25bctl, nft and ipset each load all 1000 prefixes" [ $? = 0 ]
assert_eq "load: 3 tools measured" 3 "$(grep -c '^load 1000 0 ' "$WORK/out/load.raw" 2>/dev/null)"
assert "status answered during a load" grep -qE '^status 1000 [1-9]' "$WORK/out/load.raw"

python3 $B/report.py "$WORK/out" >"$WORK/report.txt"
assert "report.py makes the tables" [ $? = 0 ]
cat "$WORK/report.txt"
assert "the report judges every target" [ "$(grep -cE '^  (met|MISSED) ' "$WORK/report.txt")" = 5 ]
assert "the report gives the flood from two generators against one" \
	grep -qF '  report blocked flood, 10^2 prefixes: reject limiter' "$WORK/report.txt"
finish

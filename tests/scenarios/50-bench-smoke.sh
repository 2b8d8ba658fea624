#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest benchmarks of "make bench" (tests/bench/guest/, docs/
# benchmarks.md) once at a tiny size, so that they keep working: the
# in-kernel decision cost (op25b_bench.ko, 10^3 prefixes), forwarding
# through a gateway with no hook (twice: the A/A control), op25b, nftables
# and iptables + ipset under UDP (pktgen) and a SYN flood (trafgen) at 100
# prefixes, the load time of 10^3 prefixes with op25bctl, nft and ipset,
# and the report.
# Timing is never asserted, only that every part runs and each
# configuration does what it must (forward the UDP, drop the flood, load
# every prefix).  It unloads and reloads op25b.
. "$(dirname "$0")/../lib.sh"
trap cleanup EXIT
for t in nft ipset iptables trafgen tc python3 taskset setsid; do
	command -v $t >/dev/null || skip "$t is missing (tests/harness/deps.sh)"
done
B=tests/bench
KO=build/bench/kmod/$OP25B_KVER/op25b_bench.ko
[ -e "$KO" ] || skip "no $KO (make bench-kmod KVER=$OP25B_KVER)"
mkdir -p "$WORK/out"

python3 $B/gen_data.py --prefixes 100 --sources 50 --out "$WORK/data/fwd-100" &&
	python3 $B/gen_data.py --prefixes 1000 --out "$WORK/data/load-1000"
assert "gen_data.py writes the tables" [ $? = 0 ]

bash $B/guest/kmod.sh "$WORK/out/kmod.txt" prefixes=1000 iters=2000 reps=3
assert "op25b_bench.ko times op25b_decide()" [ $? = 0 ]
assert "it reports the blocked case" grep -q '^v4-sub25 ' "$WORK/out/kmod.txt"

# The debug kernel (make check-debug) is built with what the suite needs,
# not with the comparison's tools (tc ingress, pktgen, ipset): there the
# in-kernel part is all that runs.
# shellcheck source=../bench/guest/lib.sh
missing=$(. $B/guest/lib.sh && for m in $BENCH_MODULES; do
	modprobe -n -q "$m" 2>/dev/null || printf ' %s' "$m"
done)
if [ -n "$missing" ]; then
	log "forwarding and load time not run: this kernel has no$missing"
	finish
fi

BENCH_REPS=1 BENCH_DUR=0.5 BENCH_WARM=0.2 BENCH_SETTLE=0 BENCH_VCLOCK=/nonexistent \
	bash $B/guest/fwd.sh "$WORK/data" "$WORK/out/fwd.raw" 100
assert "forwarding: every configuration forwards the UDP and drops the flood" [ $? = 0 ]
assert_eq "forwarding: 5 configurations x 2 loads measured" 10 \
	"$(grep -c '^fwd 100 0 ' "$WORK/out/fwd.raw" 2>/dev/null)"

BENCH_LOAD_REPS=1 BENCH_LOAD_REST=0 bash $B/guest/load.sh "$WORK/data" "$WORK/out/load.raw" 1000
assert "load: op25bctl, nft and ipset each load all 1000 prefixes" [ $? = 0 ]
assert_eq "load: 3 tools measured" 3 "$(grep -c '^load 1000 0 ' "$WORK/out/load.raw" 2>/dev/null)"

python3 $B/report.py "$WORK/out" >"$WORK/report.txt"
assert "report.py makes the tables" [ $? = 0 ]
cat "$WORK/report.txt"
assert "the report judges every target" [ "$(grep -cE '^  (met|MISSED) ' "$WORK/report.txt")" = 4 ]
finish

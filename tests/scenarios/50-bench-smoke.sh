#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The in-kernel part of "make bench" (tests/bench/guest/kmod.sh, docs/
# benchmarks.md) once at a tiny size, so that it keeps working: the
# decision cost with op25b_bench.ko at 10^3 prefixes.  Timing is never
# asserted.  51-bench-smoke-fwd runs the forwarding and load parts.
. "$(dirname "$0")/../lib.sh"
trap cleanup EXIT
need python3
B=tests/bench
KO=build/bench/kmod/$OP25B_KVER/op25b_bench.ko
[ -e "$KO" ] || { log "FAIL: no $KO (make bench-kmod KVER=$OP25B_KVER)"; exit 1; }
mkdir -p "$WORK/out"
bash $B/guest/kmod.sh "$WORK/out/kmod.txt" prefixes=1000 iters=2000 reps=3
assert "op25b_bench.ko times op25b_decide()" [ $? = 0 ]
assert "it reports the blocked case" grep -q '^v4-sub25 ' "$WORK/out/kmod.txt"
python3 $B/report.py "$WORK/out" >"$WORK/report.txt"
assert "report.py shows it" grep -q "op25b_decide() in the kernel" "$WORK/report.txt"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The in-kernel part of "make bench" (tests/bench/guest/kmod.sh, docs/
# benchmarks.md) once at a tiny size, so that it keeps working: the
# decision cost with op25b_bench.ko at 10^3 prefixes, and the rate
# limiter called from a kthread on every CPU at once (its count of passes
# is checked against its rate: hence two CPUs).  Timing is never
# asserted.  51-bench-smoke-fwd runs the forwarding and load parts.
# op25b: smp
. "$(dirname "$0")/../lib.sh"
trap cleanup EXIT
need python3
[ "$(nproc)" -gt 1 ] || { log "FAIL: one CPU: the limiter is never raced for"; exit 1; }
B=tests/bench
KO=build/bench/kmod/$OP25B_KVER/op25b_bench.ko
[ -e "$KO" ] || { log "FAIL: no $KO (make bench-kmod KVER=$OP25B_KVER)"; exit 1; }
mkdir -p "$WORK/out"
bash $B/guest/kmod.sh "$WORK/out/kmod.txt" prefixes=1000 iters=2000 reps=3 \
	limit_calls=100000 limit_reps=3 limit_rate=200000
assert "op25b_bench.ko times op25b_decide()" [ $? = 0 ]
assert "it reports the blocked case" grep -q '^v4-sub25 ' "$WORK/out/kmod.txt"
# the limiter on every CPU at once, a slot every few calls so that the
# CPUs race for nearly each: never more than its rate and burst allow
# over the time the threads ran; on the clock that only calls advance
# ("exact"), all of that and no more
rows=$(awk '$1 ~ /^(op25b|write|local|exact)$/ { printf "%s %s,", $1, $2 }' "$WORK/out/kmod.txt")
assert_eq "it times the limiter on one CPU and on all" \
	"op25b 1,op25b $(nproc),write 1,write $(nproc),local 1,local $(nproc),exact 1,exact $(nproc)," "$rows"
over=$(awk '$1 ~ /^(op25b|write|local|exact)$/ && ($5 < 1 || $5 > $6)' "$WORK/out/kmod.txt")
assert "the limiter kept its rate on every CPU at once (passed <= most)" [ -z "$over" ]
short=$(awk '$1 == "exact" && $5 < 0.99 * $6' "$WORK/out/kmod.txt")
assert "with callers at every instant it let through what the rate allows (exact)" [ -z "$short" ]
python3 $B/report.py "$WORK/out" >"$WORK/report.txt"
assert "report.py shows it" grep -q "op25b_decide() in the kernel" "$WORK/report.txt"
finish

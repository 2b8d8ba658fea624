#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmod.sh OUT [PARAM=VALUE...]   (in the guest, as root)
#
# Loads build/bench/kmod/KVER/op25b_bench.ko (make bench-kmod), which
# times op25b_decide() at load (tests/bench/kmod/bench_decide.c), copies
# its results (/sys/kernel/debug/op25b_bench/results) to OUT and to
# stdout, and unloads it.  PARAMs go to insmod: prefixes=, iters=, reps=,
# npkts=, seed=.  Exit status 0, 1 on failure.
set -uo pipefail
ROOT=${OP25B_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
OUT=${1:?usage: kmod.sh OUT [PARAM=VALUE...]}
shift
KO=${BENCH_KMOD:-$ROOT/build/bench/kmod/$(uname -r)/op25b_bench.ko}
RES=/sys/kernel/debug/op25b_bench/results

[ -e "$KO" ] || { echo "[bench] no $KO (make bench-kmod KVER=$(uname -r))" >&2; exit 1; }
[ -d /sys/module/op25b_bench ] && rmmod op25b_bench
t0=${EPOCHREALTIME/./}
insmod "$KO" "$@" || { echo "[bench] insmod $KO $* failed" >&2; exit 1; }
echo "[bench] op25b_bench.ko $* ran in $(((${EPOCHREALTIME/./} - t0) / 1000)) ms" >&2
rc=0
if [ -r "$RES" ] && grep -q '^v4-sub25 ' "$RES"; then
	cat "$RES" >"$OUT"
	cat "$RES"
else
	echo "[bench] no results in $RES" >&2
	rc=1
fi
rmmod op25b_bench || rc=1
exit $rc

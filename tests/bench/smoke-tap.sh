#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# smoke-tap.sh: the host side of the benchmarks at a tiny size, as TAP,
# for "make check" (the unit phase runs it as build/host/test_bench_smoke;
# tests/scenarios/50-bench-smoke.sh is the guest side).  No timing is
# checked: only that each tool still builds, runs and agrees.
#   1  make -C tests/bench smoke: op25b's tables vs DPDK, 10^2 and 10^3
#      prefixes (exit 1 if any lookup disagrees); skipped without DPDK
#   2  gen_data.py: 100 prefixes, 50 flood sources, every file there
#   3  report.py over a canned guest result and instruction-count run
#   4  vcpuclock.c builds
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd -P)
cd "$ROOT" || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/op25b-bench-smoke.XXXXXX")
trap 'rm -rf "$T"' EXIT
echo "1..4"

if ! pkg-config --exists libdpdk 2>/dev/null; then
	echo "ok 1 - lookup benchmark smoke # SKIP DPDK not installed (tests/harness/deps.sh)"
elif make --no-print-directory -C tests/bench smoke >"$T/smoke.log" 2>&1; then
	echo "ok 1 - lookup benchmark smoke (make -C tests/bench smoke)"
else
	sed 's/^/# /' "$T/smoke.log" | tail -n 30
	echo "not ok 1 - lookup benchmark smoke (make -C tests/bench smoke)"
fi

if python3 tests/bench/gen_data.py --prefixes 100 --sources 50 --out "$T/d" >"$T/gen.log" 2>&1 &&
	[ "$(wc -l <"$T/d/prefixes.txt")" = 100 ] &&
	[ "$(grep -c '^subscriber ' "$T/d/op25b.conf")" = 100 ] &&
	[ "$(grep -c '^add op25b_sub ' "$T/d/ipset.restore")" = 100 ] &&
	[ "$(grep -c 'dp=25, .*syn' "$T/d/flood.trafgen")" = 50 ] &&
	[ "$(sort -u "$T/d/sources.txt" | wc -l)" = 50 ] &&
	grep -q 'flags interval' "$T/d/nft-sets.nft"; then
	echo "ok 2 - gen_data.py writes every file"
else
	sed 's/^/# /' "$T/gen.log"
	echo "not ok 2 - gen_data.py writes every file"
fi

# a canned guest run and instruction-count run: two rounds, five
# configurations, two loads
mkdir -p "$T/r" "$T/ic"
{
	for r in 0 1; do
		for c in none op25b nft ipset none2; do
			echo "fwd 100 $r $c udp 100000 1000000 3000000 100100 100000 0"
			echo "fwd 100 $r $c syn 90000 3000000 4000000 90000 0 0"
		done
	done
} | tee "$T/ic/fwd.raw" >"$T/r/fwd.raw"
printf 'load 1000 0 op25b 100 1000\nload 1000 0 nft 2000 1000\nload 1000 0 ipset 300 1000\n' >"$T/r/load.raw"
printf '# op25b_bench\ncase min_ns\nempty 1.00\nv4-sub25 5.00\n' >"$T/r/kmod.txt"
# two rows of the lookup benchmark's table, one above 1.0
{
	echo "v4       100 hit    227448 100.0 100.0 |    0.46    0.53  0.89 (0.76..1.08) |     0.52 | 5248.5     1.53"
	echo "v4      1000 mix   1044038  31.4  99.7 |    1.09    0.80  1.12 (0.95..1.20) |     7.79 |  529.7     0.22"
} >"$T/lookup-carrier.txt"
if python3 tests/bench/report.py "$T/r" --icount "$T/ic" --lookup "$T/lookup-carrier.txt" \
	--lookup "$T/absent.txt" >"$T/report.log" 2>&1 &&
	grep -q 'op25b/no hook >= 0.99 *1.0000, instruction count' "$T/report.log" &&
	grep -q 'op25b <= 0.1 x nft' "$T/report.log" &&
	grep -q 'MISSED host lookup, carrier-like prefixes: .* worst 1.12 (v4 10^3 mix), 1 of 2 rows' "$T/report.log" &&
	[ -s "$T/r/fwd.txt" ] && [ -s "$T/r/fwd-icount.txt" ]; then
	echo "ok 3 - report.py makes the tables"
else
	sed 's/^/# /' "$T/report.log"
	echo "not ok 3 - report.py makes the tables"
fi

if ${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -Werror -o "$T/vcpuclock" tests/bench/vcpuclock.c 2>"$T/cc.log"; then
	echo "ok 4 - vcpuclock.c builds"
else
	sed 's/^/# /' "$T/cc.log"
	echo "not ok 4 - vcpuclock.c builds"
fi

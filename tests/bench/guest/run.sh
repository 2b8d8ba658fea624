#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh DATA   the guest payload of "make bench" (tests/bench/run.sh)
#
# 1. kmod.sh: op25b_decide() in the kernel at 10^5 prefixes vs an empty
#    function                                       -> /run/out/kmod.txt
# 2. fwd.sh: forwarding through gw, five configurations, two loads, at
#    the sizes of BENCH_FWD_SIZES (1000 100000)    -> /run/out/fwd.raw
# 3. flood: fwd.sh again, the blocked SYN flood from one generator and from
#    two (one on each vCPU) through op25b dropping it and op25b answering
#    it with resets (its reject limiter), at BENCH_FLOOD_SIZES (100000)
#                                                   -> /run/out/flood.raw
# 4. load.sh: load time of BENCH_LOAD_SIZES (1000000) prefixes with
#    op25bctl, nft and ipset                        -> /run/out/load.raw
# BENCH_PARTS ("kmod fwd flood load") selects parts.  Every part runs even when
# one before failed; the exit status is 1 if any failed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${1:?usage: run.sh DATA}
OUT=${OP25B_OUT:-/run/out}
RC=0
read -r -a PARTS <<<"${BENCH_PARTS:-kmod fwd flood load}"
read -r -a FWD_SIZES <<<"${BENCH_FWD_SIZES:-1000 100000}"
read -r -a FLOOD_SIZES <<<"${BENCH_FLOOD_SIZES:-100000}"
read -r -a LOAD_SIZES <<<"${BENCH_LOAD_SIZES:-1000000}"

echo "[bench] guest: kernel $(uname -r), $(nproc) vCPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
for p in "${PARTS[@]}"; do
	t0=$(date +%s)
	case $p in
	kmod) bash "$HERE/kmod.sh" "$OUT/kmod.txt" ${BENCH_KMOD_ARGS:-} ;;
	fwd) rm -f "$OUT/fwd.raw"; bash "$HERE/fwd.sh" "$DATA" "$OUT/fwd.raw" "${FWD_SIZES[@]}" ;;
	flood)
		rm -f "$OUT/flood.raw"
		BENCH_CONFIGS="op25b op25brej" BENCH_LOADS="syn syn2" \
			bash "$HERE/fwd.sh" "$DATA" "$OUT/flood.raw" "${FLOOD_SIZES[@]}"
		;;
	load) rm -f "$OUT/load.raw"; bash "$HERE/load.sh" "$DATA" "$OUT/load.raw" "${LOAD_SIZES[@]}" ;;
	*) echo "[bench] unknown part $p" >&2; false ;;
	esac
	rc=$?
	echo "[bench] part $p: exit $rc after $(($(date +%s) - t0)) s"
	[ $rc = 0 ] || RC=1
done
exit $RC

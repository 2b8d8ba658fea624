#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# load.sh DATA OUT [SIZE...]   (in the guest, as root)
#
# Load time of a subscriber table of SIZE prefixes (default 10^6; data in
# DATA/load-SIZE/ from gen_data.py) into an empty network namespace:
#
#   op25b   op25bctl load op25b.conf        (one transaction, op25b.conf(5))
#   nft     nft -f nft-sets.nft             (interval set, one transaction)
#   ipset   ipset restore < ipset.restore   (hash:net)
#
# Wall time of the command, from exec to exit (what an operator waits
# for), the files first copied to tmpfs so that nothing is read over 9p.
# REPS rounds, the order rotating; each run in a new namespace, whose
# table is emptied (and timed apart, not reported) before the next run.
# One line per run is appended to OUT:
#   load SIZE ROUND TOOL MS ENTRIES
# Then, once per SIZE, op25bctl status in a loop in the namespace while one
# more op25b load runs there, each call timed (status reads the published
# ruleset under RCU and never waits for the writers' lock, which the
# commit holds):
#   status SIZE CALLS LONGEST_MS MEDIAN_MS LOAD_MS
# Environment: BENCH_LOAD_REPS (2), BENCH_LOAD_TOOLS ("op25b nft ipset"),
# BENCH_LOAD_REST (2: seconds of rest after emptying, for deferred frees).
# Exit status 0; 1 when a load failed or left the wrong number of entries.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DATA=${1:?usage: load.sh DATA OUT [SIZE...]}
OUT=${2:?usage: load.sh DATA OUT [SIZE...]}
shift 2
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000)
REPS=${BENCH_LOAD_REPS:-2}
REST=${BENCH_LOAD_REST:-2}
read -r -a TOOLS <<<"${BENCH_LOAD_TOOLS:-op25b nft ipset}"
B_TMP=$(mktemp -d /tmp/op25b-bench-load.XXXXXX)
NS=bload-$$
BAD=0

finish_load() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$B_TMP"
	if [ "$OP25B_WAS_LOADED" = 1 ]; then op25b_load; else op25b_unload; fi
}
op25b_loaded && OP25B_WAS_LOADED=1
trap finish_load EXIT

for t in nft ipset op25bctl; do
	command -v $t >/dev/null || bdie "$t is missing (tests/harness/deps.sh)"
done
op25b_load || bdie "cannot load op25b"
bench_modules || bdie "a module is missing"
# each binary once, so that no timed run pays for reading it over 9p
op25bctl --version >/dev/null 2>&1
nft --version >/dev/null
ipset version >/dev/null

# entries TOOL: what the namespace's table holds now
entries() {
	case $1 in
	op25b)
		ip netns exec "$NS" cat /proc/net/op25b/status |
			awk '$1 == "subscriber" && $3 == "ipv4" { print $4; exit }'
		;;
	nft)
		# the elements of "sub", one comma between two (slow at 10^6)
		ip netns exec "$NS" nft list set ip op25b_bench sub |
			tr -cd ',' | wc -c | awk '{ print $1 + 1 }'
		;;
	ipset)
		ip netns exec "$NS" ipset list -t op25b_sub |
			awk -F': ' '$1 == "Number of entries" { print $2 }'
		;;
	esac
}

# status_during_load SIZE: the status line above
status_during_load() {
	local size=$1 pid a b t0 ms calls=() sorted
	ip netns add "$NS" || bdie "ip netns add failed"
	t0=$(now_us)
	ip netns exec "$NS" op25bctl load "$B_TMP/op25b.conf" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		a=$(now_us)
		ip netns exec "$NS" op25bctl status >/dev/null || BAD=1
		b=$(now_us)
		calls+=($(((b - a) / 1000)))
	done
	wait "$pid" || BAD=1
	ms=$((($(now_us) - t0) / 1000))
	mapfile -t sorted < <(printf '%s\n' "${calls[@]}" | sort -n)
	echo "status $size ${#sorted[@]} ${sorted[-1]:-0} ${sorted[$((${#sorted[@]} / 2))]:-0} $ms" >>"$OUT"
	blog "$(printf '%-8s status during a load: %d calls, longest %d ms, median %d ms; the load took %d ms' \
		"$size" "${#sorted[@]}" "${sorted[-1]:-0}" "${sorted[$((${#sorted[@]} / 2))]:-0}" "$ms")"
	printf 'mode enforce\n' | ip netns exec "$NS" op25bctl load -
	ip netns del "$NS"
	sleep "$REST"
}

for size in "${SIZES[@]}"; do
	src=$DATA/load-$size
	for f in op25b.conf nft-sets.nft ipset.restore; do
		[ -r "$src/$f" ] || bdie "no $src/$f (tests/bench/gen_data.py --prefixes $size)"
		cp "$src/$f" "$B_TMP/$f" || bdie "cannot copy $src/$f to tmpfs"
	done
	n=${#TOOLS[@]}
	for ((r = 0; r < REPS; r++)); do
		for ((k = 0; k < n; k++)); do
			tool=${TOOLS[$(((k + r) % n))]}
			ip netns add "$NS" || bdie "ip netns add failed"
			case $tool in
			op25b) cmd=(op25bctl load "$B_TMP/op25b.conf") in= ;;
			nft) cmd=(nft -f "$B_TMP/nft-sets.nft") in= ;;
			ipset) cmd=(ipset restore) in=$B_TMP/ipset.restore ;;
			esac
			t0=$(now_us)
			if [ -n "$in" ]; then
				ip netns exec "$NS" "${cmd[@]}" <"$in"
			else
				ip netns exec "$NS" "${cmd[@]}"
			fi
			rc=$?
			t1=$(now_us)
			ms=$(((t1 - t0) / 1000))
			got=-1
			if [ $rc = 0 ]; then
				# the full check once per tool (the nft listing is slow)
				if [ "$r" = 0 ] || [ "$tool" != nft ]; then
					got=$(entries "$tool")
				else
					got=$size
				fi
			fi
			echo "load $size $r $tool $ms $got" >>"$OUT"
			blog "$(printf '%-8s round %d %-6s %9d ms  (%s entries, exit %d)' "$size" "$r" "$tool" "$ms" "$got" "$rc")"
			if [ $rc != 0 ] || [ "$got" != "$size" ]; then
				blog "FAIL: $tool load of $size prefixes: exit $rc, $got entries"
				BAD=1
			fi
			# empty the namespace synchronously before the next run, so
			# that no freeing runs in the background of the next one
			t0=$(now_us)
			case $tool in
			op25b) printf 'mode enforce\n' | ip netns exec "$NS" op25bctl load - ;;
			nft) ip netns exec "$NS" nft delete table ip op25b_bench ;;
			ipset) ip netns exec "$NS" ipset destroy ;;
			esac
			ip netns del "$NS"
			sleep "$REST"
			blog "         (emptied in $((($(now_us) - t0) / 1000)) ms, incl. $REST s of rest)"
		done
	done
	[[ " ${TOOLS[*]} " == *" op25b "* ]] && status_during_load "$size"
done
exit $BAD

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A namespace's tables are charged to the memory cgroup of whoever wrote
# them (GFP_KERNEL_ACCOUNT), so a container's cgroup pays for its own
# tables.  op25bctl, moved into a fresh cgroup, loads 10^5 subscriber
# prefixes: the cgroup's memory.current must grow by at least the table's
# size (after op25bctl has exited, so its own pages are gone again), and
# fall back when the table is flushed.  The same load from outside that
# cgroup must not charge it.
. "$(dirname "$0")/../lib.sh"
require_module
why=$(memcg_why)
[ -z "$why" ] || skip "$why"
CG=$CGROOT/op25b-memcg-$SUFFIX
trap 'rmdir $CG 2>/dev/null; cleanup' EXIT
memcg_new $CG || exit 1
ns_new $NS_GW || exit 1

N=100000
# every other address: 10^5 prefixes that do not merge into one interval
awk -v n=$N 'BEGIN {
	for (i = 0; i < 2 * n; i += 2)
		printf "subscriber 10.%d.%d.%d/32\n", int(i / 65536), int(i / 256) % 256, i % 256
}' >"$WORK/big.conf" || exit 1
printf 'mode enforce\n' >"$WORK/empty.conf"
# settled: memory.current once per-CPU charge caches and deferred frees
# (RCU) have been flushed: read it three times, a second apart, keep the last
settled() {
	local _
	for _ in 1 2 3; do
		nap 1
		cat $CG/memory.current
	done | tail -n 1
}
kib() { echo $(($1 / 1024)); }

# the first run in the cgroup also charges it for the page cache of the
# programs it reads (over 9p) for the first time: not measured
in_cg $CG nsexec $NS_GW op25bctl load "$WORK/empty.conf" || exit 1
m0=$(settled)
in_cg $CG nsexec $NS_GW op25bctl load "$WORK/big.conf"
assert "op25bctl load of $N prefixes inside the cgroup" [ $? = 0 ]
assert_eq "the table holds them" "$N" "$(ctl subscriber list | wc -l)"
m1=$(settled)
# at least 13 bytes per prefix: its entry (address and length, 5 bytes)
# and its interval in the coverage (two addresses); lookup slots come on top
log "memory.current: $(kib "$m0") KiB before, $(kib "$m1") KiB with $N prefixes ($(((m1 - m0) / N)) B per prefix)"
assert "the cgroup was charged for the table (>= $((13 * N / 1024)) KiB)" [ $((m1 - m0)) -ge $((13 * N)) ]

in_cg $CG nsexec $NS_GW op25bctl load "$WORK/empty.conf"
assert "an empty configuration loaded inside the cgroup" [ $? = 0 ]
m2=$(settled)
log "memory.current: $(kib "$m2") KiB after the table was replaced by an empty one"
assert "the charge went away with the table" [ $((m1 - m2)) -ge $((13 * N)) ]

ctl load "$WORK/big.conf" || exit 1
m3=$(settled)
log "memory.current: $(kib "$m3") KiB after the same load from outside the cgroup"
assert "a load from outside the cgroup does not charge it" [ $((m3 - m2)) -lt $((5 * N / 4)) ]
ctl load "$WORK/empty.conf" || exit 1
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# add / list / del / flush round-trip for every table, IPv4, IPv6 and
# interface entries, including a large batch split across messages.
# On the debug kernel, 40, 74, 78 and 84 add, list, delete and flush
# entries, 41 loads a million, and 60 sends malformed batches:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1

for t in subscriber allow exempt; do
	ctl $t add 10.0.0.0/8 192.0.2.25 2001:db8::/32 2001:db8:1::25 || fail "$t add"
	assert_eq "$t list" "10.0.0.0/8 192.0.2.25/32 2001:db8::/32 2001:db8:1::25/128" \
		"$(ctl $t list | tr '\n' ' ' | sed 's/ $//')"
	ctl $t del 10.0.0.0/8 2001:db8:1::25 || fail "$t del"
	assert_eq "$t list after del" "192.0.2.25/32 2001:db8::/32" \
		"$(ctl $t list | tr '\n' ' ' | sed 's/ $//')"
	ctl $t flush || fail "$t flush"
	assert_eq "$t empty after flush" "" "$(ctl $t list)"
done
ctl subscriber add iif ppp+ iif wan0 || fail "iif add"
assert_eq "iif list" "iif ppp+ iif wan0" "$(ctl subscriber list | tr '\n' ' ' | sed 's/ $//')"
ctl subscriber flush

# 20000 /32s and 5000 /64s: more than one netlink message
awk 'BEGIN {
	for (i = 0; i < 20000; i++)
		printf "10.%d.%d.%d\n", int(i / 65536), int(i / 256) % 256, i % 256
	for (i = 0; i < 5000; i++)
		printf "2001:db8:%x:%x::/64\n", int(i / 256), i % 256
}' > "$WORK/big.txt"
ctl subscriber add -f "$WORK/big.txt" || fail "bulk add"
assert_eq "bulk: status counts" "25000" \
	"$(in_ns $NS_GW awk '$1 == "subscriber" { print $2 }' /proc/net/op25b/status)"
ctl subscriber list > "$WORK/listed.txt"
assert_eq "bulk: list returns every entry" 25000 "$(wc -l < "$WORK/listed.txt")"
assert "bulk: listed entries re-add after flush" \
	bash -c "nsexec $NS_GW op25bctl subscriber flush && nsexec $NS_GW op25bctl subscriber add -f $WORK/listed.txt"
ctl subscriber del -f "$WORK/big.txt" || fail "bulk del"
assert_eq "bulk: empty after del" "" "$(ctl subscriber list)"

# the generation: one more for every change, none for what changes nothing
gen() { in_ns $NS_GW awk '$1 == "generation" { print $2 }' /proc/net/op25b/status; }
printf 'mode monitor\nallow 192.0.2.25\n' >"$WORK/g.conf"
step() { # step DELTA WHAT ARGS...: op25bctl ARGS, then the generation moved DELTA
	local d=$1 what=$2 g0
	shift 2
	g0=$(gen)
	ctl "$@" >/dev/null || fail "$what: op25bctl $* failed"
	assert_eq "generation after $what: +$d" $((g0 + d)) "$(gen)"
}
step 1 "an add" exempt add 10.10.0.9
step 1 "a delete" exempt del 10.10.0.9
step 1 "a flush" allow flush
step 1 "a mode" mode monitor
step 0 "the same mode again" mode monitor
step 1 "an action" action reject-tcp
step 1 "a scope" scope targets
step 1 "a rate" set reject-rate 5/s
step 1 "log settings" set log privacy off
step 1 "a load (one transaction)" load "$WORK/g.conf"
step 0 "stats reset" stats reset
step 0 "top reset" top reset
step 0 "a list" allow list
finish

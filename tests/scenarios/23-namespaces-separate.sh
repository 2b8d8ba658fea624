#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every network namespace has its own tables, mode and counters, and a
# deleted namespace takes its tables with it.
# On the debug kernel, 71-lifecycle creates, configures and deletes 100
# namespaces, and deletes a configured one under traffic:
# op25b: nodebug
# op25b: long 40
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
NS_GW2=op25b-gw2-$SUFFIX
trap 'ip netns del $NS_GW2 2>/dev/null; cleanup' EXIT
ns_new $NS_GW2 || exit 1
config_default || exit 1
in_ns $NS_GW2 op25bctl allow add 203.0.113.25 || exit 1
in_ns $NS_GW2 op25bctl mode monitor || exit 1

assert_eq "gw2 sees only its allow entry" "203.0.113.25/32" "$(in_ns $NS_GW2 op25bctl allow list)"
assert_eq "gw2 has no subscribers" "" "$(in_ns $NS_GW2 op25bctl subscriber list)"
assert "gw keeps its own mode" bash -c "nsexec $NS_GW op25bctl status | grep -q '^mode: enforce'"
b0=$(counter blocked)
assert "traffic through gw still blocked" blocked $NS_SUB $FOREIGN4 25
assert_eq "... and gw counted it" $((b0 + 1)) "$(counter blocked)"
assert_eq "gw2 counted nothing" 0 "$(in_ns $NS_GW2 awk '$1=="blocked"{print $2}' /proc/net/op25b/stats)"
assert "init_net untouched by either" bash -c "! op25bctl allow list | grep -q 203.0.113.25"

# many namespaces configured and deleted: each step asserted, then the
# teardown waited for, so that a crash or a warning there shows here
# (one "ip -batch" adds them, one deletes them, and the lists are counted
# by builtins: every exec costs up to a second on the debug kernel)
n0=$(op25b_namespaces)
bad=0
TMPNS=()
for i in $(seq 20); do TMPNS+=("op25b-tmp-$SUFFIX-$i"); done
printf 'netns add %s\n' "${TMPNS[@]}" | ip -batch - || fail "20 namespaces added"
for i in $(seq 20); do
	t=${TMPNS[i - 1]}
	nsexec $t op25bctl subscriber add 10.$i.0.0/16 2001:db8:$i::/48 iif ppp+ &&
		nsexec $t op25bctl allow add 192.0.2.$i &&
		mapfile -t listed < <(nsexec $t op25bctl subscriber list) &&
		[ ${#listed[@]} = 3 ] ||
		{ fail "namespace $i: configuring it"; bad=$((bad + 1)); }
done
assert_eq "op25b keeps state for 20 more namespaces" $((n0 + 20)) "$(op25b_namespaces)"
printf 'netns del %s\n' "${TMPNS[@]}" | ip -batch - || { fail "deleting them"; bad=$((bad + 1)); }
assert_eq "20 configured namespaces created and deleted" 0 $bad
assert "... and torn down" netns_torn_down "$n0"
finish

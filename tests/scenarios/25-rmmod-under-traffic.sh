#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while mail flows and a writer changes the tables; then deleting a
# configured gateway namespace under traffic.  The harness fails the run
# on any kernel warning.
# op25b: smp
. "$(dirname "$0")/../lib.sh"
require_ko
topo_setup || exit 1
config_default || exit 1
trap 'kill $(jobs -p) 2>/dev/null; lsmod | grep -q "^op25b " || insmod "$OP25B_KO"; cleanup' EXIT

traffic() {
	local end=$((SECONDS + $1))
	while [ $SECONDS -lt $end ]; do
		in_ns $NS_SUB mailclient -t 200 -n 20 $FOREIGN4 25 >/dev/null
		in_ns $NS_SUB mailclient -t 200 -n 20 $ISP6 25 >/dev/null
	done
}
writer() {
	local end=$((SECONDS + $1)) i=0
	while [ $SECONDS -lt $end ]; do
		i=$(( (i + 1) % 200 ))
		ctl exempt add 10.10.$i.0/24 2>/dev/null
		ctl exempt del 10.10.$i.0/24 2>/dev/null
	done
}
traffic 8 &
tpid=$!
writer 8 &
wpid=$!
nap 3
assert "rmmod under traffic and writes" rmmod op25b
assert "op25bctl says the module is not loaded" \
	bash -c "nsexec $NS_GW op25bctl status 2>&1 | grep -q 'not loaded'"
assert "traffic flows without the module" connects $NS_SUB $FOREIGN4 25
wait $tpid $wpid
insmod "$OP25B_KO" || exit 1
config_default || exit 1
assert "blocking again after reload" blocked $NS_SUB $FOREIGN4 25
assert_eq "... counted by the new module" 1 "$(counter blocked)"
n0=$(op25b_namespaces)
traffic 4 &
tpid=$!
# under way: the gateway has judged some of it
wait_until 60 bash -c "[ \$(nsexec $NS_GW awk '\$1 == \"inspected\" { print \$2 }' /proc/net/op25b/stats) -gt 1 ]" ||
	fail "traffic through the gateway"
assert "deleting a configured namespace under traffic" ip netns del $NS_GW
assert "... and it is torn down" netns_torn_down $((n0 - 1))
wait $tpid
finish

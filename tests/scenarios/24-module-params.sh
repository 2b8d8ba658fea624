#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module parameters configure the initial namespace at load; a bad one
# fails the load with a clear kernel log line.
# On the debug kernel, 72-fault-injection loads op25b under injected
# allocation failures, and the suite reloads it after 25 and 71:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
require_module
require_ko
reload() { rmmod op25b; insmod "$OP25B_KO" "$@"; }
trap 'lsmod | grep -q "^op25b " || insmod "$OP25B_KO"' EXIT

reload mode=monitor subscribers=10.10.0.0/24,2001:db8:10::/64 allow=192.0.2.25,2001:db8:ee::25 \
	exempt=10.10.0.9 target=198.51.100.0/24,2001:db8:ff::/48 || exit 1
assert "mode=monitor applied" bash -c "op25bctl status | grep -q '^mode: monitor'"
assert_eq "subscribers= applied" "10.10.0.0/24 2001:db8:10::/64" "$(op25bctl subscriber list | tr '\n' ' ' | sed 's/ $//')"
assert_eq "allow= applied" "192.0.2.25/32 2001:db8:ee::25/128" "$(op25bctl allow list | tr '\n' ' ' | sed 's/ $//')"
assert_eq "exempt= applied" "10.10.0.9/32" "$(op25bctl exempt list)"
assert_eq "target= applied" "198.51.100.0/24 2001:db8:ff::/48" "$(op25bctl target list | tr '\n' ' ' | sed 's/ $//')"
assert_eq "the decision uses them (monitor: exit 1)" 1 "$(op25bctl check 10.10.0.2 198.51.100.25 >/dev/null; echo $?)"
assert_eq "other namespaces start empty" "" \
	"$(unshare --net op25bctl subscriber list)"

# kernel log lines since the mark, without clearing the log, which the
# suite's dmesg-clean check reads after the scenarios
mark() { MARK=$(dmesg | wc -l); }
since() { dmesg | tail -n +$((MARK + 1)); }
bad() {
	local param=$1 pattern=$2
	mark
	if insmod "$OP25B_KO" "$param" 2>/dev/null; then
		fail "$param: load succeeded"
		rmmod op25b
		return
	fi
	if since | grep -qE "$pattern"; then
		ok "$param refused: $(since | grep -E "$pattern" | head -1)"
	else
		fail "$param refused without a clear message: $(since | tail -3)"
	fi
}
rmmod op25b || exit 1
bad subscribers=10.0.0.1/8 "op25b: subscribers=: '10.0.0.1/8': host bits"
bad allow=192.0.2.300 "op25b: allow=: '192.0.2.300': not an IPv4 or IPv6"
bad mode=block "op25b: mode=block: not one of"
bad subscribers=10.0.0.0/8,10.0.0.0/8 "op25b: subscribers=: entry 2: entry given twice"
# every size and rate a parameter sets is bounded
bad table_max=16777217 "op25b: table_max=16777217: out of range 1..16777216"
bad table_max=0 "op25b: table_max=0: out of range 1..16777216"
bad offenders_max=1048577 "op25b: offenders_max=1048577: out of range 1..1048576"
bad log_rate_max=0 "op25b: log_rate_max=0: out of range 1..1000000"
bad table_max=lots "op25b: table_max=lots: not a number"
insmod "$OP25B_KO" table_max=4096 offenders_max=512 log_rate_max=50 || exit 1
P=/sys/module/op25b/parameters
assert_eq "table_max=, offenders_max=, log_rate_max= at load" "4096 512 50" \
	"$(cat $P/table_max) $(cat $P/offenders_max) $(cat $P/log_rate_max)"
assert "status shows the table limit" bash -c "op25bctl status | grep -qx 'allow: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 4096'"
# the value in force, not only the parameter read back: the offenders
# store a namespace would get now
assert "status shows offenders_max= at load" bash -c "op25bctl status | grep -qx 'offenders: 512 slots per CPU'"
# writable at run time, within the same bounds
for w in "table_max 16777217" "table_max 0" "offenders_max 1048577" "log_rate_max 1000001" "table_max -1"; do
	set -- $w
	if echo "$2" >$P/$1 2>/dev/null; then
		fail "$1=$2 written at run time"
	else
		ok "$1=$2 refused at run time"
	fi
done
assert_eq "the refused writes changed nothing" "4096 512 50" \
	"$(cat $P/table_max) $(cat $P/offenders_max) $(cat $P/log_rate_max)"
echo 16777216 >$P/table_max && echo 1048576 >$P/offenders_max && echo 1000000 >$P/log_rate_max
assert_eq "the bounds themselves are accepted" "16777216 1048576 1000000" \
	"$(cat $P/table_max) $(cat $P/offenders_max) $(cat $P/log_rate_max)"
# offenders_max at run time: taken by the next namespace that gets subscribers
echo 256 >$P/offenders_max
NS_T=op25b-params-$SUFFIX
ns_new $NS_T || exit 1
nsexec $NS_T op25bctl subscriber add 10.0.0.0/8 || exit 1
assert "a namespace's first subscribers take offenders_max at that time" \
	bash -c "nsexec $NS_T op25bctl status | grep -qx 'offenders: 256 slots per CPU'"
ip netns del $NS_T
rmmod op25b || exit 1
insmod "$OP25B_KO" || exit 1
assert "default mode after a plain load is enforce" bash -c "op25bctl status | grep -q '^mode: enforce'"
assert_eq "defaults after a plain load" "1048576 4096 100" \
	"$(cat $P/table_max) $(cat $P/offenders_max) $(cat $P/log_rate_max)"
finish

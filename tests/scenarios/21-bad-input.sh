#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input from the command line or from a raw netlink client gets a
# clear error and changes nothing.
# On the debug kernel, 60-netlink-fuzz sends 10^4 malformed requests
# through the same parsers and error paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
ctl subscriber add 10.10.0.0/16 2001:db8:10::/48 iif ppp+ || exit 1
ctl allow add 192.0.2.25 || exit 1
snapshot() {
	local t
	for t in subscriber allow exempt; do echo "$t:"; ctl $t list; done
	in_ns $NS_GW head -2 /proc/net/op25b/status | head -1
}
before=$(snapshot)

# expect_error DESCRIPTION PATTERN op25bctl-ARGS...: exit 2, stderr matches
expect_error() {
	local what=$1 pattern=$2 out rc
	shift 2
	out=$(ctl "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && grep -qE -- "$pattern" <<< "$out"; then
		ok "$what: $out"
	else
		fail "$what: exit $rc, stderr '$out' (want /$pattern/)"
	fi
}

expect_error "host bits" "10\.0\.0\.1/8.*host bits" subscriber add 10.0.0.1/8
expect_error "bad length" "10\.0\.0\.0/33: bad prefix length \\(0-32 for IPv4" subscriber add 10.0.0.0/33
expect_error "not an address" "mail\.example\.com: not an IPv4 or IPv6 address" allow add mail.example.com
expect_error "bad IPv6" "2001:db8:::1: not an IPv4 or IPv6 address" allow add 2001:db8:::1
expect_error "unknown table" "unknown table 'foo'" foo add 10.0.0.0/8
expect_error "unknown mode" "unknown mode 'block' \\(enforce, monitor, off\\)" mode block
expect_error "one bad entry refuses the whole command" "192\.0\.2\.300: not an IPv4 or IPv6 address" \
	allow add 198.51.100.0/24 192.0.2.300
expect_error "existing entry named" "10\.10\.0\.0/16.*already" subscriber add 10.10.0.0/16
expect_error "missing entry named" "10\.99\.0\.0/16.*not in table" subscriber del 10.99.0.0/16
expect_error "second of two entries named" "10\.10\.0\.0/16.*already" \
	subscriber add 10.11.0.0/16 10.10.0.0/16
expect_error "iif outside subscriber table" "exempt add iif ppp0: interface entries are only valid in the subscriber table" exempt add iif ppp0
expect_error "bad interface name" "iif pp\+p: '\\+' is only allowed as the last character" subscriber add iif pp+p
expect_error "missing arguments" "subscriber add: no entries given" subscriber add
expect_error "check: bad port" "check: bad port '99999' \\(1-65535\\)" check 10.10.0.2 198.51.100.25 99999

rn_before=$(ctl save | grep -v '^#'; ctl status | grep '^generation')
out=$(in_ns $NS_GW op25b_rawnl.py cases 2>&1)
rc=$?
rn_after=$(ctl save | grep -v '^#'; ctl status | grep '^generation')
assert_eq "raw netlink: the refused requests changed nothing (save, generation)" "$rn_before" "$rn_after"
log "$out"
assert "raw netlink: every malformed request refused" [ $rc -eq 0 ]
assert "raw netlink: errors carry extack messages" \
	bash -c "! grep -E '^(plen-33|host-bits|no-table|iif-in-allow|check-mixed-family|valid-then-bad) [0-9]+ -$' <<< \"\$0\"" "$out"
# rawnl_says CASE PATTERN: the case's line carries an extack matching PATTERN
rawnl_says() {
	local line
	line=$(grep -m1 "^$1 " <<< "$out")
	if grep -qE -- "^$1 [1-9][0-9]* $2\$" <<< "$line"; then
		ok "raw netlink $1: ${line#* }"
	else
		fail "raw netlink $1: got '$line' (want /$2/)"
	fi
}
# a missing attribute is named (GENL_REQ_ATTR_CHECK: NLMSGERR_ATTR_MISS_TYPE)
rawnl_says no-table "missing attribute OP25B_A_TABLE"
rawnl_says no-entries "missing attribute OP25B_A_ENTRIES"
rawnl_says flush-no-table "missing attribute OP25B_A_TABLE"
rawnl_says check-no-dst "missing attribute OP25B_A_DST"
rawnl_says commit-no-txn "missing attribute OP25B_A_TXN"
# entry timeouts (issue 15): each bad one refused with its reason
rawnl_says timeout-zero "integer out of range"
rawnl_says timeout-over-365d "integer out of range"
rawnl_says timeout-negative "integer out of range"
rawnl_says timeout-wrong-size ".+"
rawnl_says expires-alone "expires without a timeout"
rawnl_says expires-past-timeout "timeout out of range \\(1s to 365d; expires at most the timeout\\)"
rawnl_says timeout-on-iif "interface entries cannot have a timeout"
# each command's own policy refuses what belongs to another command
for c in set-with-entries status-with-mode stats-reset-with-table \
	add-with-mode check-with-table commit-with-mode; do
	rawnl_says "$c" "(Unsupported attribute|Unknown attribute type)"
done
# the netlink_extack tracepoint shows the table's error strings, which are
# not literals (op25b_nl_error), as it shows the literal ones
EV=/sys/kernel/tracing/events/netlink/netlink_extack
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
if [ -d $EV ]; then
	echo >/sys/kernel/tracing/trace
	echo 1 >$EV/enable
	ctl subscriber add 10.10.0.0/16 2>/dev/null
	ctl subscriber del 10.98.0.0/16 2>/dev/null
	echo 0 >$EV/enable
	trace=$(grep netlink_extack /sys/kernel/tracing/trace)
	log "$trace"
	assert "tracepoint: a table error (entry exists)" grep -q "msg=entry already in table" <<< "$trace"
	assert "tracepoint: a table error (entry missing)" grep -q "msg=entry not in table" <<< "$trace"
else
	log "not checked: this kernel has no netlink_extack tracepoint"
fi
rawnl_says del-in-txn "a transaction takes only additions and settings"
rawnl_says flush-in-txn "a transaction takes only additions and settings"
assert_eq "nothing changed" "$before" "$(snapshot)"

# the bound on a table: make it small for this test only
max=$(cat /sys/module/op25b/parameters/table_max)
trap 'echo $max > /sys/module/op25b/parameters/table_max; cleanup' EXIT
echo 4 > /sys/module/op25b/parameters/table_max
ctl exempt add 10.1.0.0/16 10.2.0.0/16
expect_error "over table_max: ENOSPC" "table full \\(see module parameter table_max\\)" exempt add 10.3.0.0/16 10.4.0.0/16 10.5.0.0/16
assert_eq "over table_max changed nothing" "10.1.0.0/16 10.2.0.0/16" "$(ctl exempt list | tr '\n' ' ' | sed 's/ $//')"
echo "$max" > /sys/module/op25b/parameters/table_max
finish

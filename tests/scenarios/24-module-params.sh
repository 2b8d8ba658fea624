#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module parameters configure the initial namespace at load; a bad one
# fails the load with a clear kernel log line.
. "$(dirname "$0")/../lib.sh"
require_module
[ -n "$OP25B_KO" ] && [ -f "$OP25B_KO" ] || skip "OP25B_KO not set"
reload() { rmmod op25b; insmod "$OP25B_KO" "$@"; }
trap 'lsmod | grep -q "^op25b " || insmod "$OP25B_KO"' EXIT

reload mode=monitor subscribers=10.10.0.0/24,2001:db8:10::/64 allow=192.0.2.25,2001:db8:ee::25 \
	exempt=10.10.0.9 || exit 1
assert "mode=monitor applied" bash -c "op25bctl status | grep -q '^mode: monitor'"
assert_eq "subscribers= applied" "10.10.0.0/24 2001:db8:10::/64" "$(op25bctl subscriber list | tr '\n' ' ' | sed 's/ $//')"
assert_eq "allow= applied" "192.0.2.25/32 2001:db8:ee::25/128" "$(op25bctl allow list | tr '\n' ' ' | sed 's/ $//')"
assert_eq "exempt= applied" "10.10.0.9/32" "$(op25bctl exempt list)"
assert_eq "the decision uses them (monitor: exit 1)" 1 "$(op25bctl check 10.10.0.2 198.51.100.25 >/dev/null; echo $?)"
assert_eq "other namespaces start empty" "" \
	"$(unshare --net op25bctl subscriber list)"

bad() {
	local param=$1 pattern=$2
	dmesg -C
	if insmod "$OP25B_KO" "$param" 2>/dev/null; then
		fail "$param: load succeeded"
		rmmod op25b
		return
	fi
	if dmesg | grep -qE "$pattern"; then
		ok "$param refused: $(dmesg | grep -E "$pattern" | head -1)"
	else
		fail "$param refused without a clear message: $(dmesg | tail -3)"
	fi
}
rmmod op25b || exit 1
bad subscribers=10.0.0.1/8 "op25b: subscribers=: '10.0.0.1/8': host bits"
bad allow=192.0.2.300 "op25b: allow=: '192.0.2.300': not an IPv4 or IPv6"
bad mode=block "op25b: mode=block: not one of"
bad subscribers=10.0.0.0/8,10.0.0.0/8 "op25b: subscribers=: entry 2: entry given twice"
insmod "$OP25B_KO" || exit 1
assert "default mode after a plain load is enforce" bash -c "op25bctl status | grep -q '^mode: enforce'"
finish

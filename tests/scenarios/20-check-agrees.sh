#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "op25bctl check" runs the hook's own decision: for every case its exit
# status (0 passes, 1 blocked) must agree with what real traffic does.
# The shared decision function asked two ways; the hook's packet parsing
# is every kernel's in 10-19 and 26:
# op25b: long 50
# op25b: once
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
ctl subscriber add iif vlan || exit 1

# agree NS SRC DST PORT IIF: compare check with a real connection.  What
# the traffic did is told by witnesses, not a clock: connected, or counted
# blocked by the gateway; an attempt that is neither (slow) is tried again
# with the long wait.
agree() {
	local ns=$1 src=$2 dst=$3 port=$4 iif=$5 want real res b0
	want=$(check_exit "$src" "$dst" "$port" iif "$iif")
	b0=$(counter blocked)
	res=$(in_ns "$ns" mailclient -t 1500 "$dst" "$port")
	if [ "$res" = connected ]; then
		real=0
	elif [ "$(counter blocked)" -gt "$b0" ]; then
		real=1
	else
		res=$(in_ns "$ns" mailclient -t $PASS_WAIT_MS "$dst" "$port")
		[ "$res" = connected ] && real=0 || real="neither connected nor blocked ($res)"
	fi
	assert_eq "check $src -> $dst:$port iif $iif agrees with traffic" "$real" "$want"
}

cases() {
	agree $NS_SUB $SUB4 $FOREIGN4 25 vsub
	agree $NS_SUB $SUB6 $FOREIGN6 25 vsub
	agree $NS_SUB $SUB4 $ISP4 25 vsub
	agree $NS_SUB $SUB6 $ISP6 25 vsub
	agree $NS_SUB $SUB4 $FOREIGN4 587 vsub
	agree $NS_SUB $SUB6 $FOREIGN6 465 vsub
	agree $NS_LAN $LAN4 $FOREIGN4 25 vlan
	agree $NS_LAN $LAN6 $ISP6 25 vlan
}
cases
ctl exempt add $SUB4 $SUB6
cases
ctl mode off
cases
ctl mode enforce
ctl subscriber del iif vlan
cases
ctl exempt flush

msg=$(ctl check $SUB4 $FOREIGN4)
log "check said: $msg"
assert "blocked message names the remedy" \
	grep -q "^blocked: $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH" <<< "$msg"
msg=$(ctl check $SUB4 $ISP4)
assert "pass message names the allowlist entry" \
	grep -q "^passes: .*$ISP4 is an allowlisted MTA ($ISP4/32)" <<< "$msg"
assert_eq "check with mixed families is an error (exit 2)" 2 "$(check_exit $SUB4 $FOREIGN6)"
assert "check -j is valid JSON" bash -c "nsexec $NS_GW op25bctl -j check $SUB4 $FOREIGN4 | python3 -m json.tool >/dev/null"
finish

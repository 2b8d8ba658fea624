#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's demo, run inside a guest by `make demo`: a subscriber, a
# gateway running op25b, and the internet with a foreign MTA and the ISP's
# own MTA.  Loads op25b with a plain insmod, as an operator would, then
# shows each step with its verdict in words and op25bctl check's answer
# for the same pair.  Exits 1 if anything did not happen as announced, so
# that `make check`, which runs `make demo`, notices a broken demo.
OP25B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
KO=$OP25B_ROOT/build/$(uname -r)/op25b.ko
. "$OP25B_ROOT/tests/lib.sh"

if [ -t 1 ] || [ -n "${OP25B_DEMO_COLOR:-}" ]; then
	bold=$(printf '\033[1m') green=$(printf '\033[32m') red=$(printf '\033[31m') off=$(printf '\033[0m')
else
	bold='' green='' red='' off=''
fi
surprises=0
T0=$(date +%s)
title() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$off"; }
say() { printf '%s\n' "$*" | fold -s -w 76 | sed 's/^/  /'; }
# on the gateway, as its operator would type it
gw() { printf '%sgateway#%s %s\n' "$bold" "$off" "$*"; in_ns "$NS_GW" "$@"; }
# gw_check SRC DST [PORT]: the support desk's question, answered by the
# kernel's own decision; the answer must match EXPECT (blocked|passes)
gw_check() {
	local expect=$1 out
	shift
	printf '    %sgateway#%s op25bctl check %s\n' "$bold" "$off" "$*"
	out=$(in_ns "$NS_GW" op25bctl check "$@" 2>&1)
	printf '%s\n' "$out" | fold -s -w 72 | sed 's/^/    /'
	case $expect:$out in
	blocked:blocked:* | blocked:"would be blocked"* | passes:passes:*) ;;
	*) printf '    %sUNEXPECTED: op25bctl check should say %s%s\n' "$red" "$expect" "$off"
		surprises=$((surprises + 1)) ;;
	esac
}
# mail NS WHO DST PORT expect-block|expect-pass [CHECK_SRC]: a mail client
# on the subscriber's (or the LAN's) side, its outcome in words, and what
# op25bctl check says of the same pair
mail() {
	local ns=$1 who=$2 dst=$3 port=$4 expect=$5 src=$6 wait=$PASS_WAIT_MS result word want
	[ "$expect" = expect-block ] && wait=1500
	printf '%s%s$%s mailclient %s %s\n' "$bold" "$who" "$off" "$dst" "$port"
	result=$(in_ns "$ns" mailclient -t $wait "$dst" "$port")
	case $result in
	connected) word=DELIVERED; printf '    %s-> DELIVERED: the MTA answered 220%s\n' "$green" "$off" ;;
	timeout) word=BLOCKED; printf '    %s-> BLOCKED: no answer, the gateway dropped the SYN%s\n' "$red" "$off" ;;
	refused | reset) word=BLOCKED; printf '    %s-> BLOCKED: the gateway answered with a TCP reset (%s)%s\n' "$red" "$result" "$off" ;;
	*) word=BLOCKED; printf '    %s-> BLOCKED: %s%s\n' "$red" "$result" "$off" ;;
	esac
	want=DELIVERED
	[ "$expect" = expect-block ] && want=BLOCKED
	if [ "$word" != "$want" ]; then
		printf '    %sUNEXPECTED: this should have been %s%s\n' "$red" "$want" "$off"
		surprises=$((surprises + 1))
	fi
	[ -z "$src" ] && return
	if [ "$expect" = expect-block ] || [ "$(ctl status | sed -n 's/^mode: //p')" = monitor ]; then
		gw_check blocked "$src" "$dst" "$port"
	else
		gw_check passes "$src" "$dst" "$port"
	fi
}

title "op25b demo on Linux $(uname -r)"
say "Four network namespaces joined by veth pairs stand in for a subscriber, an office LAN that is not a subscriber, the carrier's gateway and the internet. Mail servers listen on ports 25, 587 and 465 of a foreign MTA and of the ISP's own MTA."
cat <<TXT

  subscriber 10.10.0.2 / 2001:db8:10::2  --+
                                           +-- gateway (op25b) -- internet
  office LAN 10.20.0.2 (not a subscriber) -+        foreign MTA 198.51.100.25, 2001:db8:ff::25
                                                    ISP's MTA   192.0.2.25,    2001:db8:ee::25
TXT

title "1. The operator loads op25b and configures the gateway"
say "A plain insmod, as on a gateway (insmod loads no other module). Subscribers are the access network's prefixes; the allow table holds the ISP's own MTAs."
printf '%sgateway#%s insmod op25b.ko\n' "$bold" "$off"
insmod "$KO" || { echo "demo: cannot load $KO"; exit 1; }
topo_setup || { echo "demo: topology failed"; exit 1; }
gw op25bctl subscriber add 10.10.0.0/24 2001:db8:10::/64
gw op25bctl allow add 192.0.2.25 2001:db8:ee::25
gw op25bctl status

title "2. A subscriber (or a bot on her phone) sends mail straight to a foreign MTA"
say "Port 25 of anything but the ISP's MTAs is blocked for subscribers."
mail $NS_SUB subscriber $FOREIGN4 25 expect-block $SUB4
mail $NS_SUB subscriber $FOREIGN6 25 expect-block $SUB6

title "3. Through the ISP's own MTA, and by submission with SMTP AUTH, mail still goes"
mail $NS_SUB subscriber $ISP4 25 expect-pass $SUB4
mail $NS_SUB subscriber $ISP6 25 expect-pass
mail $NS_SUB subscriber $FOREIGN4 587 expect-pass $SUB4
mail $NS_SUB subscriber $FOREIGN6 465 expect-pass

title "4. Hosts that are not subscribers are not touched"
mail $NS_LAN office-lan $FOREIGN4 25 expect-pass $LAN4

title "5. A clear answer instead of silence: action reject-tcp"
say "With reject-tcp a blocked client gets a TCP reset at once instead of waiting for a timeout (the kernel's nf_reject helpers are loaded now, on first use)."
gw op25bctl action reject-tcp
mail $NS_SUB subscriber $FOREIGN4 25 expect-block
gw op25bctl action drop

title "6. Counters"
say "Packets per verdict: each blocked attempt above was a SYN, and its retransmission where the client waited long enough. (op25bctl stats also splits each counter by family: name_ipv4, name_ipv6; left out here.)"
gw op25bctl stats | grep -v '_ipv[46] '


title "7. A staged rollout starts in monitor mode"
say "Monitor mode blocks nothing and counts what enforce would block."
gw op25bctl mode monitor
mail $NS_SUB subscriber $FOREIGN4 25 expect-pass $SUB4
gw op25bctl mode enforce
cleanup
trap - EXIT
rmmod op25b || surprises=$((surprises + 1))
title "Done in $(($(date +%s) - T0))s of guest time"
if [ "$surprises" = 0 ]; then
	printf '%sdemo finished: every step did what it said; op25b unloaded cleanly%s\n' "$green" "$off"
	exit 0
fi
printf '%sdemo finished with %d unexpected results%s\n' "$red" "$surprises" "$off"
exit 1

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's demo, run inside a guest by `make demo`: a subscriber, a
# gateway running op25b, and the internet with a foreign MTA and the ISP's
# own MTA.  Shows op25bctl configuring the gateway, mail to port 25 of the
# foreign MTA being blocked, the ISP's MTA and port 587 working, and the
# counters.
OP25B_ROOT=$(cd "$(dirname "$0")/.." && pwd)
KO=$OP25B_ROOT/build/$(uname -r)/op25b.ko
insmod "$KO" || { echo "demo: cannot load $KO"; exit 1; }
. "$OP25B_ROOT/tests/lib.sh"

bold=$(printf '\033[1m') green=$(printf '\033[32m') red=$(printf '\033[31m') off=$(printf '\033[0m')
title() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$off"; }
# on the gateway, as its operator would type it
gw() { printf '%sgateway#%s %s\n' "$bold" "$off" "$*"; in_ns "$NS_GW" "$@"; }
# a mail client on the subscriber's (or the LAN's) side
mail() {
	local ns=$1 who=$2 dst=$3 port=$4 wait=$PASS_WAIT_MS result
	[ "$5" = expect-block ] && wait=2000
	printf '%s%s$%s mailclient %s %s   ' "$bold" "$who" "$off" "$dst" "$port"
	result=$(in_ns "$ns" mailclient -t $wait "$dst" "$port")
	case $result in
	connected) printf '%s-> %s (the MTA answered 220)%s\n' "$green" "$result" "$off" ;;
	*) printf '%s-> %s (BLOCKED: the SYN never arrived)%s\n' "$red" "$result" "$off" ;;
	esac
}

title "op25b demo on Linux $(uname -r)"
cat <<TXT
  subscriber 10.10.0.2 / 2001:db8:10::2  --+
                                           +-- gateway (op25b) -- internet
  office LAN 10.20.0.2 (not a subscriber) -+        foreign MTA 198.51.100.25, 2001:db8:ff::25
                                                    ISP's MTA   192.0.2.25,    2001:db8:ee::25
TXT
topo_setup || { echo "demo: topology failed"; exit 1; }

title "1. The operator configures the gateway"
gw op25bctl subscriber add 10.10.0.0/24 2001:db8:10::/64
gw op25bctl allow add 192.0.2.25 2001:db8:ee::25
gw op25bctl status

title "2. A subscriber (or a bot on her phone) sends mail straight to a foreign MTA"
mail $NS_SUB subscriber $FOREIGN4 25 expect-block
mail $NS_SUB subscriber $FOREIGN6 25 expect-block

title "3. Through the ISP's own MTA, and by submission with SMTP AUTH, mail still goes"
mail $NS_SUB subscriber $ISP4 25
mail $NS_SUB subscriber $ISP6 25
mail $NS_SUB subscriber $FOREIGN4 587
mail $NS_SUB subscriber $FOREIGN6 465

title "4. Hosts that are not subscribers are not touched"
mail $NS_LAN office-lan $FOREIGN4 25

title "5. Support staff: am I affected?"
gw op25bctl check 10.10.0.2 198.51.100.25
gw op25bctl check 10.10.0.2 198.51.100.25 587
gw op25bctl check 10.10.0.2 192.0.2.25

title "6. Counters"
echo "  (they count packets: each blocked attempt above was a SYN and its retransmission)"
gw cat /proc/net/op25b/stats
gw op25bctl --json stats

title "7. A staged rollout starts in monitor mode"
gw op25bctl mode monitor
mail $NS_SUB subscriber $FOREIGN4 25
gw op25bctl check 10.10.0.2 198.51.100.25
gw op25bctl mode enforce
cleanup
trap - EXIT
rmmod op25b && printf '\n%sdemo finished; op25b unloaded cleanly%s\n' "$green" "$off"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b: long 40
# op25b: once
# Exemptions that follow PPP sessions: the ip-up.d/ip-down.d glue
# (tools/ppp/op25b-ppp, op25b-ppp(8)) run by real daemons.  The gateway
# is an access server: pppoe-server (an address pool of two, 100.64.0.10
# and .11; Debian builds it without kernel-mode PPPoE, so each session
# relays through the pppoe program on a pty) starts a pppd per session
# whose RADIUS plugin asks FreeRADIUS on 127.0.0.1 (tests/ppp/: PAP users
# alice and bob); the subscribers are pppd with the kernel PPPoE plugin in
# lib.sh's sub (alice) and lan (bob) namespaces.  /etc/op25b/exempt-users lists alice (and "bobby", and
# "#bob" commented out).  op25b polices "iif ppp+".
#  1. alice's session (100.64.0.10): the exempt entry "ppp alice ppp0"
#     appears and she reaches the foreign MTA on port 25 (allowed_exempt)
#  2. bob's session (100.64.0.11), whose address still had an entry a
#     crashed session left behind ("ppp carol ppp1"): the entry goes, bob
#     is blocked (the blocked counter of op25bctl -j stats)
#  3. alice hangs up: her entry is gone
#  4. bob again, from sub, gets 100.64.0.10: blocked, no entry
#  5. the scripts run by hand as pppd runs them: an operator's entry for
#     a session's address survives its ip-up and ip-down; op25bctl's
#     failure is logged (daemon.err) and the script still exits 0
# A script has run when the gateway's pppd says so in its log (option
# debug): "Script /etc/ppp/ip-up finished ..., status = 0x0" (Debian's
# ip-up exits 0 whatever its run-parts did; ip-down exits with its
# status).  OP25B_PPP_DUMP=1 prints the daemons' logs and the times.
# Everything runs in a private mount namespace: /etc (the host's,
# read-only) under an overlay with the scripts installed as "make
# install" installs them and /etc/radiusclient from tests/ppp/; op25bctl
# where the scripts' PATH finds it, as installed; a tmpfs on /run (pppd's
# pid files and database); busybox syslogd on /dev/log.  IPv4 only.
if [ -z "${OP25B_PPP_PRIVATE:-}" ]; then
	OP25B_PPP_PRIVATE=1 exec unshare -m --propagation private "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"
need pppd pppoe-server pppoe freeradius busybox flock
require_module

ppp_cleanup() {
	local p ns
	exec 2>/dev/null # no job notices
	# every process of the test's namespaces: the gateway's pppd
	# processes and their scripts are no children of the test's
	for ns in "$NS_SUB" "$NS_LAN" "$NS_GW"; do
		for p in $(ip netns pids "$ns"); do kill -9 "$p"; done
	done
	rm -f /dev/log
	umount /etc /usr/local/sbin
	[ -z "${OP25B_PPP_DUMP:-}" ] || log "--- cleanup (at $((SECONDS - T0))s)"
	cleanup
	[ -z "${OP25B_PPP_DUMP:-}" ] || log "--- cleaned up (at $((SECONDS - T0))s)"
}
trap ppp_cleanup EXIT

# --- the private mount namespace ---------------------------------------------
mount -t tmpfs tmpfs /run || exit 1
mkdir -p /run/lock "$WORK/etc/up" "$WORK/etc/work" "$WORK/sbin/up" "$WORK/sbin/work" || exit 1
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$WORK/etc/up,workdir=$WORK/etc/work" /etc || exit 1
mount -t overlay overlay -o "lowerdir=/usr/local/sbin,upperdir=$WORK/sbin/up,workdir=$WORK/sbin/work" \
	/usr/local/sbin || exit 1
ln -sf "$OP25B_ROOT/tools/op25bctl/op25bctl" /usr/local/sbin/op25bctl || exit 1
install -D -m 0755 "$OP25B_ROOT/tools/ppp/op25b-ppp" /etc/ppp/ip-up.d/op25b || exit 1
install -D -m 0755 "$OP25B_ROOT/tools/ppp/op25b-ppp" /etc/ppp/ip-down.d/op25b || exit 1
mkdir -p /etc/op25b || exit 1
cp -rT "$OP25B_ROOT/tests/ppp/radiusclient" /etc/radiusclient || exit 1
# the RADIUS plugin looks the host name up (unanswered: 10-15 s of DNS
# timeouts per request)
printf '127.0.1.1\t%s\n' "$HOSTNAME" >>/etc/hosts || exit 1
printf '%s\n' "# business customers with their own mail servers" \
	$'  alice\t# ticket 4711' "#bob" bobby >/etc/op25b/exempt-users || exit 1

T0=$SECONDS
[ -z "${OP25B_PPP_DUMP:-}" ] || log "--- set up the mounts in ${T0}s"
step() { log "--- $* (at $((SECONDS - T0))s)"; }

topo_setup || exit 1
trap ppp_cleanup EXIT
# FreeRADIUS first, it takes longest to start
nsexec "$NS_GW" env RADIUS_CONF="$OP25B_ROOT/tests/ppp/freeradius" RADIUS_RUN="$WORK" \
	freeradius -f -d "$OP25B_ROOT/tests/ppp/freeradius" -D "$OP25B_ROOT/tests/ppp/freeradius/dict" \
	>"$WORK/radius.out" 2>&1 &
step "daemons"
SYSLOG=$WORK/syslog
nsexec "$NS_GW" busybox syslogd -n -O "$SYSLOG" &
modprobe -a ppp_generic pppoe || exit 1
ctl subscriber add iif ppp+ || exit 1
# the subscribers' only way out is their PPP session
ip -n "$NS_SUB" route del default && ip -n "$NS_LAN" route del default || exit 1
within 10 test -S /dev/log || { fail "syslogd did not start"; finish; }
nsexec "$NS_GW" pppoe-server -F -I vsub -I vlan -L 100.64.0.1 -R 100.64.0.10 -N 2 \
	-O "$OP25B_ROOT/tests/ppp/pppoe-server-options" >"$WORK/pppoe-server.out" 2>&1 &

# counter NAME (lib.sh's "blocked" compares it before and after an
# attempt): the gateway's counter, from op25bctl -j stats
counter() {
	local j
	j=$(ctl -j stats)
	j=${j//[$' \n']/}
	j=${j#*\""$1"\":\{\"total\":}
	echo "${j%%[!0-9]*}"
}
# has_exempt LINE: the gateway's exempt table lists LINE; no_exempt
# ADDR: nothing for ADDR/32
has_exempt() { has_line "$(ctl exempt list)" "$1"; }
no_exempt() { [[ $'\n'$(ctl exempt list)$'\n' != *$'\n'"$1/32"[$' \n']* ]]; }
# logged TEXT: a line of the syslog holds TEXT
logged() { [[ $(<"$SYSLOG") == *"$1"* ]]; }
# finished SCRIPT N: the gateway's pppd processes logged N runs of
# /etc/ppp/SCRIPT to their end, with status 0
finished() {
	local l n=0
	while IFS= read -r l; do
		[[ $l == *"Script /etc/ppp/$1 finished (pid "*"), status = 0x0" ]] && n=$((n + 1))
	done <"$SYSLOG"
	[ "$n" -ge "$2" ]
}
# gw_pppd: the PIDs of the pppd processes in the gateway's namespace
gw_pppd() {
	local p c
	for p in $(ip netns pids "$NS_GW"); do
		read -r c <"/proc/$p/comm" && [ "$c" = pppd ] && echo "$p"
	done
}
# client NS USER LINKNAME: a subscriber's pppd, PPPoE on eth0, in the
# background (its PID in CLIENT_PID)
client() {
	nsexec "$1" pppd plugin pppoe.so nic-eth0 user "$2" password "$2-pw" \
		noauth nodetach noipdefault defaultroute noccp noipv6 linkname "$3" ipparam "$3" \
		>"$WORK/$3.out" 2>&1 &
	CLIENT_PID=$!
}
# session_up NS ADDR: NS has its ppp0 with ADDR
session_up() { [[ $(ip -n "$1" -4 -o addr show dev ppp0 2>/dev/null) == *" $2 peer "* ]]; }
dump_logs() {
	log "--- syslog"
	cat "$SYSLOG"
	log "--- radius.log"
	cat "$WORK/radius.log" "$WORK/radius.out"
	log "--- pppoe-server, clients"
	cat "$WORK/pppoe-server.out" "$WORK"/op25b-*.out
}
radius_ready() { [[ -f $WORK/radius.log && $(<"$WORK/radius.log") == *"Ready to process requests"* ]]; }
within 60 radius_ready || { fail "freeradius did not start"; dump_logs; finish; }

# --- 1. alice ----------------------------------------------------------------------
step "1. alice's session"
client "$NS_SUB" alice op25b-alice
ALICE_PID=$CLIENT_PID
within 40 finished ip-up 1 || { fail "alice's session did not come up"; dump_logs; finish; }
assert "alice has 100.64.0.10" session_up "$NS_SUB" 100.64.0.10
assert 'exempt: 100.64.0.10/32 comment "ppp alice ppp0"' \
	has_exempt '100.64.0.10/32 comment "ppp alice ppp0"'
assert "logged (daemon.notice): alice exempt" \
	logged 'daemon.notice op25b-ppp: alice on ppp0 (100.64.0.10): 100.64.0.10 exempt (comment "ppp alice ppp0")'
e0=$(counter allowed_exempt)
assert "alice reaches the foreign MTA on port 25" connects "$NS_SUB" "$FOREIGN4" 25
assert "allowed_exempt counted it" counter_above allowed_exempt "$e0"
ALICE_GW=$(gw_pppd)

# --- 2. bob, on an address with a stale entry -------------------------------------
step "2. bob's session"
ctl exempt add 100.64.0.11 comment "ppp carol ppp1" || exit 1
client "$NS_LAN" bob op25b-bob
within 40 finished ip-up 2 || { fail "bob's session did not come up"; dump_logs; finish; }
assert "bob has 100.64.0.11" session_up "$NS_LAN" 100.64.0.11
assert "the stale entry of 100.64.0.11 is gone" no_exempt 100.64.0.11
assert "logged: the stale entry removed" \
	logged 'bob on ppp1 (100.64.0.11): removed the entry an earlier session left behind: 100.64.0.11/32 comment "ppp carol ppp1"'
assert "bob is blocked" blocked "$NS_LAN" "$FOREIGN4" 25

# --- 3. alice hangs up --------------------------------------------------------------
step "3. alice hangs up"
kill "$ALICE_PID"
within 40 finished ip-down 1 || { fail "alice's session did not end"; dump_logs; finish; }
assert "alice's entry is gone" no_exempt 100.64.0.10
assert "logged: alice no longer exempt" \
	logged 'alice on ppp0 (100.64.0.10): 100.64.0.10 no longer exempt'
# her address is free again once pppoe-server has reaped her session's pppd
_reaped() { [ ! -e "/proc/$ALICE_GW" ]; }
within 20 _reaped || fail "the gateway's pppd of alice's session did not end"
wait "$ALICE_PID"

# --- 4. bob again, on alice's address -------------------------------------------------
step "4. bob on 100.64.0.10"
client "$NS_SUB" bob op25b-bob2
within 40 finished ip-up 3 || { fail "bob's second session did not come up"; dump_logs; finish; }
assert "bob has 100.64.0.10" session_up "$NS_SUB" 100.64.0.10
assert "no entry for 100.64.0.10" no_exempt 100.64.0.10
assert "bob is blocked on alice's old address" blocked "$NS_SUB" "$FOREIGN4" 25

# --- 5. by hand ------------------------------------------------------------------------
step "5. by hand"
# as pppd runs them: an empty environment but for pppd's variables
by_hand() { # by_hand up|down PEERNAME IFNAME IPREMOTE
	nsexec "$NS_GW" env -i PEERNAME="$2" IFNAME="$3" IPREMOTE="$4" "/etc/ppp/ip-$1.d/op25b"
}
ctl exempt add 100.64.0.50 comment "ticket 4711" || exit 1
assert "ip-up with an operator's entry exits 0" by_hand up alice ppp5 100.64.0.50
assert "ip-down with an operator's entry exits 0" by_hand down alice ppp5 100.64.0.50
assert "the operator's entry stays" has_exempt '100.64.0.50/32 comment "ticket 4711"'
assert "logged: left as it is" logged "100.64.0.50 is exempt by an operator's entry, left as it is"
assert "a failing op25bctl: exit 0 all the same" by_hand up alice ppp9 100.64.0.256
assert "and logged as an error" \
	logged 'daemon.err op25b-ppp: alice on ppp9 (100.64.0.256): op25bctl exempt add 100.64.0.256 comment ppp alice ppp9 failed: '
step "end"
if [ "$failures" != 0 ] || [ -n "${OP25B_PPP_DUMP:-}" ]; then dump_logs; fi
finish

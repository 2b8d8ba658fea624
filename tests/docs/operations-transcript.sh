#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The transcript quoted in docs/operations.md, run inside a guest:
#
#   make module KVER=6.1.0-57-amd64 && make tool helpers
#   bash tests/harness/boot.sh --kver 6.1.0-57-amd64 --out build/operations -- \
#           tests/docs/operations-transcript.sh
#
# Its output (build/operations/payload.log) is the transcript: every
# command as the operator types it ("gateway# CMD"; "subscriber
# 10.10.0.2$ CMD" for the test helpers mailclient and synsend standing in
# for a customer's device in tests/lib.sh's topology), followed by its real
# output, and "[exit status N]" when a command on the gateway did not exit
# 0.  Lines starting with "##" are the script's headings and notes.  Not a
# test: it checks nothing and runs to the end.  Needs jq (pretty JSON).
#
# The guest's / is the host's, read-only.  So that the commands can be the
# ones an operator types, /etc and /var/lib get a tmpfs overlay (for
# /etc/modprobe.d/op25b.conf, /etc/op25b/op25b.conf, the ppp scripts and
# the node_exporter textfile directory), and for section 1 a small module tree holding
# updates/op25b.ko and what it depends on is mounted over
# /lib/modules/KVER, as "make install" would leave it (depmod over the
# whole 9p tree takes minutes under TCG).  Nothing of this reaches the host.
[ -n "$OP25B_GUEST" ] || { echo "runs only in a guest of tests/harness/boot.sh: it mounts over /etc"; exit 2; }
OP25B_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KVER=$(uname -r)
KO=$OP25B_ROOT/build/$KVER/op25b.ko
[ -f "$KO" ] || { echo "no $KO (make module KVER=$KVER)"; exit 1; }
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)"; exit 1; }
export PATH="$OP25B_ROOT/tools/op25bctl:$OP25B_ROOT/build/host:$PATH"
exec 2>&1

note() { printf '## %s\n' "$*"; }
section() { printf '\n## ===== %s =====\n' "$*"; }
status_of() { local rc=$1; [ "$rc" = 0 ] || printf '[exit status %s]\n' "$rc"; }

# shq ARG...: the arguments as they would be typed in a shell
shq() {
	local a s=
	for a; do
		if [[ -n $a && $a != *[!A-Za-z0-9_./:,=+@%-]* ]]; then
			s+=" $a"
		elif [[ $a != *[\"\$\`\\]* ]]; then
			s+=" \"$a\""
		else
			s+=" '${a//\'/\'\\\'\'}'"
		fi
	done
	printf '%s' "${s# }"
}

# Commands of the initial namespace (section 1), and of the gateway's
# namespace (everything else); both print "gateway# CMD".  The *_sh forms
# take one shell command line (pipes, redirections).
host() { printf 'gateway# %s\n' "$(shq "$@")"; "$@" 2>&1; status_of $?; }
host_sh() { printf 'gateway# %s\n' "$1"; bash -c "$1" 2>&1; status_of $?; }
gw() { printf 'gateway# %s\n' "$(shq "$@")"; ip netns exec "$NS_GW" "$@" 2>&1; status_of $?; }
gw_sh() { printf 'gateway# %s\n' "$1"; ip netns exec "$NS_GW" bash -c "$1" 2>&1; status_of $?; }
# as an unprivileged support account on the gateway
gw_user() {
	printf 'support@gateway$ %s\n' "$(shq "$@")"
	ip netns exec "$NS_GW" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$@" 2>&1
	status_of $?
}
# client NS WHO CMD...: a program on a subscriber's (or the LAN's) host
client() {
	local ns=$1 who=$2
	shift 2
	printf '%s$ %s\n' "$who" "$(shq "$@")"
	ip netns exec "$ns" "$@" 2>&1
}

# --- setup, not part of the transcript ---------------------------------------
mkdir -p /tmp/ovl/etc/up /tmp/ovl/etc/work /tmp/ovl/var/up /tmp/ovl/var/work
mount -t overlay overlay -o lowerdir=/etc,upperdir=/tmp/ovl/etc/up,workdir=/tmp/ovl/etc/work /etc || exit 1
mount -t overlay overlay -o lowerdir=/var/lib,upperdir=/tmp/ovl/var/up,workdir=/tmp/ovl/var/work /var/lib || exit 1
mount -t tmpfs tmpfs /var/log || exit 1
mkdir -p /var/log/ulog /var/lib/prometheus/node-exporter
rm -rf /etc/modprobe.d/op25b.conf /etc/op25b
# as the op25bctl package leaves them
install -D -m 0640 "$OP25B_ROOT/packaging/op25b.conf" /etc/op25b/op25b.conf
install -D -m 0640 "$OP25B_ROOT/packaging/ulogd-op25b.conf" /etc/op25b/ulogd-op25b.conf
install -D -m 0640 "$OP25B_ROOT/packaging/metrics.conf" /etc/op25b/metrics.conf
install -D -m 0640 "$OP25B_ROOT/packaging/exempt-users" /etc/op25b/exempt-users
install -D -m 0755 "$OP25B_ROOT/tools/ppp/op25b-ppp" /etc/ppp/ip-up.d/op25b
install -D -m 0755 "$OP25B_ROOT/tools/ppp/op25b-ppp" /etc/ppp/ip-down.d/op25b
export PATH="$OP25B_ROOT/tools/op25b-metrics:$OP25B_ROOT/tools/examples:$PATH"
# what the rest needs from the real module tree, before it is hidden
modprobe -a veth nf_reject_ipv4 nf_reject_ipv6 || exit 1
MT=/tmp/modtree/lib/modules/$KVER
mkdir -p "$MT/updates"
cp "$KO" "$MT/updates/"
for m in $(modprobe --show-depends nf_reject_ipv4 nf_reject_ipv6 | awk '$1 == "insmod" { print $2 }'); do
	mkdir -p "$MT/$(dirname "${m#/lib/modules/"$KVER"/}")"
	cp "$m" "$MT/${m#/lib/modules/"$KVER"/}"
done
cp /lib/modules/"$KVER"/modules.builtin* /lib/modules/"$KVER"/modules.order "$MT/"
depmod -b /tmp/modtree "$KVER" || exit 1
mount --bind "$MT" /lib/modules/"$KVER" || exit 1
cat >/etc/modprobe.d/op25b.conf <<'EOF'
# /etc/modprobe.d/op25b.conf
options op25b mode=monitor offenders_max=16384
EOF

# --- 1. loading the module ----------------------------------------------------
section "1. Loading the module"
host cat /etc/modprobe.d/op25b.conf
host modinfo -p op25b
host modprobe op25b
host_sh 'lsmod | grep op25b'
host_sh 'grep . /sys/module/op25b/parameters/*'
host op25bctl status
host cat /proc/net/op25b/status
note "a bad parameter fails the load"
host modprobe -r op25b
host modprobe op25b subscribers=10.10.0.1/24
host_sh 'dmesg | grep "op25b: " | tail -n 1'
note "parameters on the command line add to those of /etc/modprobe.d"
host modprobe op25b subscribers=10.10.0.0/24,2001:db8:10::/64 allow=192.0.2.25,2001:db8:ee::25 target=198.51.100.0/24
host_sh 'dmesg | grep "op25b: " | tail -n 1'
host op25bctl status
host op25bctl target list
umount /lib/modules/"$KVER"

# --- the topology ----------------------------------------------------------------
. "$OP25B_ROOT/tests/lib.sh"
topo_setup || { echo "topology failed"; exit 1; }
OTHER4=198.18.25.25 OTHER6=2001:db8:aa::25
ip -n "$NS_INET" -batch - <<EOF
addr add 198.51.100.26/32 dev lo
addr add 198.51.100.27/32 dev lo
addr add 198.51.100.28/32 dev lo
addr add 198.51.100.29/32 dev lo
addr add $OTHER4/32 dev lo
addr add $OTHER6/128 dev lo
EOF
ip -n "$NS_SUB" -batch - <<EOF
addr add 10.10.0.3/24 dev eth0
addr add 10.10.0.4/24 dev eth0
addr add 10.10.0.7/24 dev eth0
addr add 2001:db8:10::7/64 dev eth0 nodad preferred_lft 0
EOF
note "topology (tests/lib.sh), the gateway is a network namespace of its own:"
note "  subscribers 10.10.0.2 .3 .4 .7, 2001:db8:10::2 ::7 on vsub; office LAN 10.20.0.2 on vlan"
note "  mobile carriers' MX 198.51.100.25-29, 2001:db8:ff::25 (the target ranges)"
note "  another provider's MTA 198.18.25.25, 2001:db8:aa::25"
note "  the ISP's own MTA 192.0.2.25, 2001:db8:ee::25; every MTA answers on 25, 587, 465"
S1="subscriber 10.10.0.2"

# --- 2a. monitor ----------------------------------------------------------------
section "2a. Staged rollout: monitor first"
gw op25bctl status
gw op25bctl mode monitor
gw op25bctl subscriber add 10.10.0.0/24 comment "LTE pool 1" 2001:db8:10::/64 comment "LTE pool 1 v6"
gw op25bctl allow add 192.0.2.25 comment "ISP MTA smtp.example.ne.jp" 2001:db8:ee::25 comment "ISP MTA smtp.example.ne.jp v6"
gw op25bctl status
client "$NS_SUB" "$S1" mailclient -t 5000 198.51.100.25 25
client "$NS_SUB" "$S1" mailclient -t 5000 192.0.2.25 25
client "$NS_SUB" "$S1" mailclient -t 5000 2001:db8:ff::25 25
client "$NS_SUB" "subscriber 10.10.0.3" mailclient -t 5000 -s 10.10.0.3 -n 3 198.51.100.26 25
client "$NS_SUB" "subscriber 10.10.0.4" mailclient -t 5000 -s 10.10.0.4 -n 3 $OTHER4 25
client "$NS_LAN" "office-lan 10.20.0.2" mailclient -t 5000 198.51.100.25 25
gw op25bctl stats
gw op25bctl top
gw op25bctl check 10.10.0.2 198.51.100.25

# --- 2b. scope targets, enforce ---------------------------------------------------------
section "2b. Staged rollout: enforce for the mobile carriers' MX only"
gw op25bctl scope targets
gw_sh 'op25bctl status | grep warning'
cat >/etc/op25b/mobile-mx.txt <<'END'
# the mobile carriers' MX networks, from their published lists
198.51.100.0/24   comment "carrier A MX"
2001:db8:ff::/48  comment "carrier A MX v6"
END
gw cat /etc/op25b/mobile-mx.txt
gw op25bctl target add -f /etc/op25b/mobile-mx.txt
gw op25bctl target list
gw op25bctl mode enforce
gw op25bctl stats reset
gw op25bctl top reset
gw op25bctl status
client "$NS_SUB" "$S1" mailclient -t 3000 198.51.100.25 25
client "$NS_SUB" "$S1" mailclient -t 3000 2001:db8:ff::25 25
client "$NS_SUB" "$S1" mailclient -t 5000 $OTHER4 25
client "$NS_SUB" "$S1" mailclient -t 5000 $OTHER6 25
client "$NS_SUB" "$S1" mailclient -t 5000 192.0.2.25 25
gw op25bctl check 10.10.0.2 198.51.100.25
gw op25bctl check 10.10.0.2 $OTHER4
gw op25bctl stats

# --- 2c. scope all, actions ---------------------------------------------------------
section "2c. Full enforcement, and the action"
gw op25bctl scope all
client "$NS_SUB" "$S1" mailclient -t 3000 $OTHER4 25
gw op25bctl check 10.10.0.2 $OTHER4
note "drop: the client waits until it gives up (-v: errno and time)"
client "$NS_SUB" "$S1" mailclient -v -t 5000 198.51.100.25 25
gw op25bctl action reject-tcp
client "$NS_SUB" "$S1" mailclient -v -t 5000 198.51.100.25 25
client "$NS_SUB" "$S1" mailclient -v -t 5000 2001:db8:ff::25 25
gw op25bctl action reject-icmp
client "$NS_SUB" "$S1" mailclient -v -t 5000 198.51.100.25 25
client "$NS_SUB" "$S1" mailclient -v -t 5000 2001:db8:ff::25 25
note "the reject rate: 20 quick attempts against 2/s burst 2"
gw op25bctl action reject-tcp
gw op25bctl set reject-rate 2/s burst 2
gw op25bctl stats reset
client "$NS_SUB" "$S1" mailclient -t 200 -n 20 198.51.100.25 25
gw_sh 'grep -E "^(blocked|reject_sent|reject_limited) " /proc/net/op25b/stats'
gw op25bctl set reject-rate 100/s burst 10
gw op25bctl status

# --- 3. exemptions --------------------------------------------------------------
section "3. Exemptions for business customers"
gw op25bctl check 10.10.0.7 198.51.100.25
gw op25bctl exempt add 10.10.0.7 comment "ticket 4711, static IP plan" 2001:db8:10::7 comment "ticket 4711, static IP plan"
gw op25bctl exempt list
gw_sh 'op25bctl -j exempt list | jq .'
gw op25bctl check 10.10.0.7 198.51.100.25
client "$NS_SUB" "subscriber 10.10.0.7" mailclient -t 5000 -s 10.10.0.7 198.51.100.25 25
note "mistakes op25bctl catches, and one it cannot"
gw op25bctl exempt add 10.10.0.7 comment "ticket 4711, static IP plan"
gw op25bctl exempt add 10.10.0.7/24
gw op25bctl exempt add 10.10.0.8 comment "ticket 4712: customer's own mail server, static IP"
gw op25bctl exempt add 203.0.113.7 comment "ticket 4713"
gw op25bctl check 203.0.113.7 198.51.100.25
gw op25bctl exempt del 203.0.113.7
gw op25bctl exempt del 10.10.0.8

# --- 4. support calls ---------------------------------------------------------------
section "4. Support calls: am I affected?"
gw op25bctl check 10.10.0.2 198.51.100.25
gw op25bctl check 10.10.0.2 198.51.100.25 587
gw op25bctl check 10.10.0.2 198.51.100.25 465
gw op25bctl check 10.10.0.2 192.0.2.25
gw op25bctl check 2001:db8:10::2 2001:db8:ff::25
gw op25bctl check 10.20.0.2 198.51.100.25
gw op25bctl check 10.10.0.2 198.51.100.25 iif vsub
gw op25bctl check 10.10.0.2 2001:db8:ff::25
gw_sh 'op25bctl -j check 10.10.0.2 198.51.100.25 | jq .'
gw_user op25bctl check 10.10.0.2 198.51.100.25
gw_user op25bctl exempt list
client "$NS_SUB" "$S1" mailclient -t 5000 198.51.100.25 587
client "$NS_SUB" "$S1" mailclient -t 5000 198.51.100.25 465
note "4a. exemptions that expire"
gw op25bctl exempt add 10.10.0.5 timeout 1d comment "ticket 4811: moving to 587 by tomorrow"
gw op25bctl allow add 192.0.2.40 timeout 7d comment "partner relay, contract in review"
gw op25bctl exempt list
gw_sh 'op25bctl -j exempt list | jq -c .timeouts'
gw_sh 'op25bctl status | grep -E "^(allow|exempt):"'
gw op25bctl exempt add 10.10.0.5 timeout 2d
gw op25bctl exempt list
gw op25bctl exempt add 10.10.0.5 timeout 1x
gw op25bctl exempt add 10.10.0.6 timeout 3s comment "ticket 4812: a quick test"
gw_sh 'timeout 6 op25bctl monitor config'
gw_sh 'grep "^expired" /proc/net/op25b/stats'
gw op25bctl exempt add 10.10.0.5 comment "ticket 4811: keeps port 25 (contract)"
gw op25bctl exempt list
gw op25bctl exempt del 10.10.0.5
gw op25bctl allow del 192.0.2.40

# PPP sessions on an access server of its own ("bras#", a namespace without
# links): the scripts run as pppd runs them when alice's session comes up
# on ppp0 with 100.64.0.10 and when it ends (scenario 83 runs them from
# pppd itself)
B=op25b-bras$$
ip netns add $B
bras() { printf 'bras# %s\n' "$(shq "$@")"; ip netns exec "$B" "$@" 2>&1; status_of $?; }
bras_sh() { printf 'bras# %s\n' "$1"; ip netns exec "$B" bash -c "$1" 2>&1; status_of $?; }
bras op25bctl subscriber add iif ppp+
bras_sh "echo 'alice    # ticket 4711' >>/etc/op25b/exempt-users"
bras env PEERNAME=alice IFNAME=ppp0 IPREMOTE=100.64.0.10 /etc/ppp/ip-up.d/op25b
bras op25bctl exempt list
bras op25bctl check 100.64.0.10 198.51.100.25 iif ppp0
bras env PEERNAME=alice IFNAME=ppp0 IPREMOTE=100.64.0.10 /etc/ppp/ip-down.d/op25b
bras op25bctl exempt list
bras op25bctl check 100.64.0.10 198.51.100.25 iif ppp0
ip netns del $B

# --- 5. offenders and logging ------------------------------------------------------------
section "5. Finding infected hosts"
gw op25bctl top reset
note "10.10.0.3: a mail client still set to port 25, retrying; 10.10.0.4: a bot"
note "spraying five MX hosts; 10.10.0.2: a bot sending raw SYNs; one IPv6 host"
client "$NS_SUB" "subscriber 10.10.0.3" mailclient -s 10.10.0.3 -t 20 -n 12 198.51.100.25 25
for d in 25 26 27 28 29; do
	client "$NS_SUB" "subscriber 10.10.0.4" mailclient -s 10.10.0.4 -t 20 -n 10 198.51.100.$d 25
done
client "$NS_SUB" "$S1" synsend -r 100 -d 3 198.51.100.25 198.51.100.26 198.51.100.27 $OTHER4
client "$NS_SUB" "subscriber 2001:db8:10::2" mailclient -t 20 -n 5 2001:db8:ff::25 25
gw op25bctl top
gw op25bctl top 2
gw_sh 'op25bctl -j top 2 | jq .'
gw_sh 'grep "^blocked " /proc/net/op25b/stats'
gw op25bctl status

section "5b. The error bound, on a deliberately tiny store"
note "offenders_max is taken when a namespace gets its first subscribers: a second"
note "gateway namespace (gateway2) with 4 slots per CPU, the same subscriber hosts"
host_sh 'echo 4 > /sys/module/op25b/parameters/offenders_max'
T=op25b-t$$
ip -batch - <<END
netns add $T-sub
netns add $T-gw
netns add $T-inet
link add eth0 netns $T-sub type veth peer name vsub netns $T-gw
link add eth0 netns $T-inet type veth peer name vinet netns $T-gw
END
ip -n $T-sub -batch - <<END
link set lo up
link set eth0 up
addr add 10.10.0.2/24 dev eth0
route add default via 10.10.0.1
END
for i in 3 4 $(seq 10 19); do ip -n $T-sub addr add 10.10.0.$i/24 dev eth0; done
ip -n $T-gw -batch - <<END
link set lo up
link set vsub up
link set vinet up
addr add 10.10.0.1/24 dev vsub
addr add 203.0.113.1/24 dev vinet
route add default via 203.0.113.2
END
ip -n $T-inet -batch - <<END
link set lo up
link set eth0 up
addr add 203.0.113.2/24 dev eth0
addr add 198.51.100.25/32 dev lo
route add default via 203.0.113.1
END
ip netns exec $T-gw sysctl -qw net.ipv4.ip_forward=1
gw2() { printf 'gateway2# %s\n' "$(shq "$@")"; ip netns exec "$T-gw" "$@" 2>&1; status_of $?; }
gw2_sh() { printf 'gateway2# %s\n' "$1"; ip netns exec "$T-gw" bash -c "$1" 2>&1; status_of $?; }
gw2 op25bctl subscriber add 10.10.0.0/24
gw2_sh 'op25bctl status | grep offenders'
note "10.10.0.4 sends 40 attempts and 10.10.0.2 20; between them ten hosts send 2 each"
ip netns exec $T-sub bash -c '
	mailclient -s 10.10.0.4 -t 20 -n 20 198.51.100.25 25
	for i in 10 11 12 13 14; do mailclient -s 10.10.0.$i -t 20 -n 2 198.51.100.25 25; done
	mailclient -s 10.10.0.2 -t 20 -n 20 198.51.100.25 25
	for i in 15 16 17 18 19; do mailclient -s 10.10.0.$i -t 20 -n 2 198.51.100.25 25; done
	mailclient -s 10.10.0.4 -t 20 -n 20 198.51.100.25 25' >/dev/null
gw2_sh 'grep "^blocked " /proc/net/op25b/stats'
gw2 op25bctl top
gw2_sh 'op25bctl -j top | jq -c ".total, .slots, (.offenders[] | [.source, .attempts, .error])"'
for ns in $T-sub $T-gw $T-inet; do ip netns del $ns; done
host_sh 'echo 16384 > /sys/module/op25b/parameters/offenders_max'

section "5c. Logging"
gw op25bctl set log on rate 10/s
note "the gateway is a namespace of its own: the host allows kernel log lines from it"
host sysctl -w net.netfilter.nf_log_all_netns=1
gw op25bctl set log on rate 10/s
client "$NS_SUB" "subscriber 10.10.0.3" mailclient -s 10.10.0.3 -t 20 198.51.100.25 25
client "$NS_SUB" "subscriber 2001:db8:10::2" mailclient -t 20 2001:db8:ff::25 25
gw_sh 'dmesg | grep "op25b: " | tail -n 2'
client "$NS_SUB" "$S1" synsend -r 100 -d 2 198.51.100.25
gw_sh 'dmesg | grep "op25b: " | tail -n 3'
gw_sh 'grep -E "^(logged|log_suppressed) " /proc/net/op25b/stats'
gw op25bctl set log privacy off
client "$NS_SUB" "subscriber 10.10.0.3" mailclient -s 10.10.0.3 -t 20 198.51.100.25 25
gw_sh 'dmesg | grep "op25b: " | tail -n 1'
gw op25bctl set log privacy on
gw op25bctl top reset
gw op25bctl top

# --- 6. save and load ---------------------------------------------------------------
section "6. The configuration file"
gw ls -l /etc/op25b/op25b.conf
gw_sh 'op25bctl save > /etc/op25b/op25b.conf'
gw ls -l /etc/op25b/op25b.conf
gw cat /etc/op25b/op25b.conf
note "an edit with a mistake in it"
gw_sh 'echo "exempt 10.10.0.9/29 comment \"ticket 4802\"" >> /etc/op25b/op25b.conf'
gw_sh 'sed -i "s/^log on rate 10\/s burst 5 privacy on/log on rate 20\/s burst 5 privacy on/" /etc/op25b/op25b.conf'
gw op25bctl load --check /etc/op25b/op25b.conf
gw op25bctl load /etc/op25b/op25b.conf
gw_sh 'op25bctl status | grep -E "^(generation|log):"'
gw_sh 'sed -i "s|exempt 10.10.0.9/29|exempt 10.10.0.8/29|" /etc/op25b/op25b.conf'
gw op25bctl load --check /etc/op25b/op25b.conf
gw op25bctl load /etc/op25b/op25b.conf
gw_sh 'op25bctl status | grep -E "^(generation|log|exempt):"'
gw op25bctl exempt list
gw_sh 'op25bctl save | diff /etc/op25b/op25b.conf -'
note "more mistakes"
gw_sh 'printf "mode enforce\nmode monitor\n" | op25bctl load --check -'
gw_sh 'printf "scope target\n" | op25bctl load --check -'
gw_sh 'printf "subscriber 10.10.0.0/24\nsubscriber 10.10.0.0/24\n" | op25bctl load --check -'
gw_sh 'printf "allow 192.0.2.25 comment smtp relay\n" | op25bctl load --check -'

# --- 7. monitoring ---------------------------------------------------------------
section "7. Monitoring"
gw cat /proc/net/op25b/stats
gw cat /proc/net/op25b/status
gw op25bctl stats
gw_sh 'op25bctl -j stats | jq -c .'
gw_sh 'op25bctl -j status | jq .'
gw mkdir -p /var/lib/node_exporter/textfile_collector
gw op25bctl stats --prometheus /var/lib/node_exporter/textfile_collector/op25b.prom
gw ls /var/lib/node_exporter/textfile_collector/
gw cat /var/lib/node_exporter/textfile_collector/op25b.prom

# --- 8. the carrier's pipelines -------------------------------------------------
section "8a. NFLOG into ulogd2"
gw op25bctl set log group 25
gw_sh 'op25bctl status | grep -E "^(log|nflog):"'
gw_sh 'grep -v "^#" /etc/op25b/ulogd-op25b.conf | grep .'
gw ulogd -c /etc/op25b/ulogd-op25b.conf -d
sleep 2
client "$NS_SUB" "subscriber 10.10.0.3" mailclient -s 10.10.0.3 -t 20 198.51.100.25 25
client "$NS_SUB" "subscriber 2001:db8:10::2" mailclient -t 20 2001:db8:ff::25 25
sleep 1
gw_sh 'jq -c "{\"oob.prefix\", \"oob.in\", src_ip, dest_ip, dest_port}" /var/log/ulog/op25b.json'
gw_sh 'grep -E "^(logged|nflogged) " /proc/net/op25b/stats'
gw_sh 'pkill -x ulogd'
gw op25bctl set log group off
section "8b. Events and offender alerts"
gw_sh 'op25bctl monitor > /tmp/events.txt & op25bctl -j monitor alerts > /tmp/alerts.json &'
sleep 2
gw op25bctl exempt add 10.10.0.9 comment "ticket 4811"
gw op25bctl set reject-rate 500/s burst 10
gw op25bctl set alert 10 per 60s
client "$NS_SUB" "subscriber 10.10.0.4" mailclient -s 10.10.0.4 -t 20 -n 12 198.51.100.25 25
sleep 2
gw_sh 'pkill -INT -f "op25bctl.* monitor"; sleep 1; cat /tmp/events.txt; jq -c . /tmp/alerts.json'
gw_sh 'grep -E "^alerts" /proc/net/op25b/stats'
note "the example script: alerts as syslog lines (auth.warning, tag op25b-alert)"
gw_sh 'sed -n "/^set -eu/,\$p" $(command -v op25b-alerts-syslog)'
gw op25bctl set alert off
section "8c. node_exporter"
# the gateway's namespace under a name that does not change from run to run
touch /run/netns/gw && mount --bind "/run/netns/$NS_GW" /run/netns/gw
gw_sh 'grep -v "^#" /etc/op25b/metrics.conf | grep .'
host_sh "sed -i 's/^namespaces = .*/namespaces = - gw/' /etc/op25b/metrics.conf"
host op25b-metrics
host ls /var/lib/prometheus/node-exporter/
ip -n "$NS_GW" link set lo up
ip netns exec "$NS_GW" prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.textfile.directory=/var/lib/prometheus/node-exporter >/tmp/exporter.log 2>&1 &
EXPORTER=$!
sleep 5
gw_sh 'curl -s localhost:9100/metrics | grep -E "^(op25b_(blocked|alerts)_total|op25b_mode|node_textfile_scrape_error)"'
gw_sh 'curl -s localhost:9100/metrics | grep -E "^(# [A-Z]+ )?op25b_" | promtool check metrics && echo ok'
kill $EXPORTER
umount /run/netns/gw && rm -f /run/netns/gw

# --- the end ------------------------------------------------------------------
cleanup
trap - EXIT
rmmod op25b
note "done"
exit 0

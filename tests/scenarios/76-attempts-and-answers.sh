#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Counters that say what they count.
#
# Attempts, not packets: in monitor mode one long mail session (one SYN,
# then hundreds of segments) is one attempt, while a bot's three SYNs are
# three: top ranks the bot first, and the log has one line per attempt;
# the packet counters still count every packet.
#
# Answers, not calls: with reject-tcp, a RST, a SYN with a bad checksum
# and a first fragment cannot be answered (the kernel's helper would send
# nothing): they count as reject_unanswerable, not reject_sent, and
# reject_sent equals the RSTs that reach the subscriber.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
need python3 nft
allow_netns_log || exit 1
ip -n $NS_SUB addr add 10.10.0.7/24 dev eth0 || exit 1
# neighbours resolved by allowed connections, so not offenders
connects $NS_SUB $ISP4 25 || exit 1

ctl mode monitor || exit 1
ctl set log on rate 1000 burst 1000 privacy off || exit 1
lines() { dmesg | grep -cF -- "op25b: monitored TCP $1 -> $2:25"; }
l2=$(lines $SUB4 $LAN4) l7=$(lines 10.10.0.7 $FOREIGN4)
# the mail session: 300 KB to port 25 of a server on the LAN side (which
# reads it all, unlike mailsink), which monitor mode lets through
in_ns $NS_LAN python3 -c '
import socket, sys
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((sys.argv[1], 25))
l.listen(1)
print("ready", flush=True)
c, _ = l.accept()
c.sendall(b"220 reader\r\n")
n = 0
while True:
    b = c.recv(65536)
    if not b:
        break
    n += len(b)
print("read", n, flush=True)
' $LAN4 >"$WORK/reader.log" 2>&1 &
wait_until 10 grep -q ready "$WORK/reader.log" || fail "the LAN reader did not start"
in_ns $NS_SUB python3 - "$LAN4" <<'PY' || fail "the mail session"
import socket, sys
s = socket.create_connection((sys.argv[1], 25), timeout=20)
s.recv(100)
for _ in range(300):
    s.sendall(b"x" * 1000)
s.close()
PY
wait_until 20 grep -q "^read 300000$" "$WORK/reader.log" || fail "the session's 300 KB arrived: $(cat "$WORK/reader.log")"
# the bot: three single-SYN attempts (20 ms: no retransmission)
in_ns $NS_SUB mailclient -s 10.10.0.7 -t 20 -n 3 $FOREIGN4 25 >/dev/null
counters
assert "packets: the session's segments all counted monitored (${C[monitored]})" \
	[ "${C[monitored]}" -gt 100 ]
assert_eq "attempts: one for the session, three for the bot" 4 "${C[attempts_monitored]}"
assert_eq "inspected counts packets" "${C[inspected]}" "$((${C[monitored]} + ${C[allowed_mta]}))"
ctl top >"$WORK/top" || fail "top"
rows=$(awk 'NR > 1 { printf "%s %s|", $2, $3 }' "$WORK/top")
assert_eq "top ranks the bot (3 attempts) over the mail session (1)" \
	"10.10.0.7 3|$SUB4 1|" "$rows"
assert_eq "one log line for the session" $((l2 + 1)) "$(lines $SUB4 $LAN4)"
assert_eq "three for the bot" $((l7 + 3)) "$(lines 10.10.0.7 $FOREIGN4)"
assert_eq "logged counts attempts" 4 "${C[logged]}"

# ---- answers ----
ctl mode enforce || exit 1
ctl set log off || exit 1
ctl action reject-tcp || exit 1
in_ns $NS_SUB nft -f - <<'NFT' || exit 1
table inet seen {
	counter rst { }
	chain in {
		type filter hook input priority 0;
		tcp sport 25 tcp flags rst counter name "rst"
	}
}
NFT
rsts() {
	in_ns $NS_SUB nft list counter inet seen rst |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
gwmac=$(link_mac $NS_GW vsub)
counters
b0=${C[blocked]} s0=${C[reject_sent]} u0=${C[reject_unanswerable]} a0=${C[attempts_blocked]}
for kind in rst badsum; do
	in_ns $NS_SUB rawfrag.py eth0 "$gwmac" $SUB4 $FOREIGN4 $kind
	in_ns $NS_SUB rawfrag.py eth0 "$gwmac" $SUB6 $FOREIGN6 $kind
done
# and a first fragment, whose checksum cannot be checked
in_ns $NS_SUB rawfrag.py eth0 "$gwmac" $SUB4 $FOREIGN4 first
# and one attempt that can be answered
got=$(in_ns $NS_SUB mailclient -t 3000 $FOREIGN4 25)
assert_eq "a real SYN gets its RST" refused "$got"
nap 0.5
counters
# the SYN may go twice (tests/harness/README: a RST that arrives while
# connect() holds the socket counts at the retransmission): k of them
k=$((C[reject_sent] - s0))
assert "the SYN answered: reject_sent counts it ($k)" [ "$k" -ge 1 -a "$k" -le 2 ]
assert_eq "RST, bad checksum and fragment: reject_unanswerable" $((u0 + 5)) "${C[reject_unanswerable]}"
assert_eq "the five and the SYN blocked" $((b0 + 5 + k)) "${C[blocked]}"
assert_eq "reject_sent is what reached the subscriber" "$k" "$(rsts)"
assert_eq "attempts_blocked: the SYN, the bad-checksum SYNs and the fragment; not the RSTs" \
	$((a0 + 3 + k)) "${C[attempts_blocked]}"
finish

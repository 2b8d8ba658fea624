#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b: long 220
# op25b: once
# op25b: timeout 900
# A fleet of three gateways run by op25b-agent from a real etcd cluster
# (docs/fleet.md): three etcd 3.4 members in three namespaces on a
# bridge, TLS with client certificates on every client connection and
# etcd's authentication on, one role per gateway.  Gateway 1's agent
# runs in a management namespace (c1) and manages lib.sh's forwarding
# gateway by name (subscriber, lan and inet with the MTAs behind it: the
# traffic witnesses); gateways 2 and 3 manage their own namespaces.
#
#  1. a published configuration is applied on all three: same revision
#     and sha256 in their status
#  2. a broken one is rejected by all three and names the bad line; the
#     previous one still enforces (the ISP MTA is reached, the foreign
#     one is not); publish itself refuses it first
#  3. the etcd leader is stopped: the next publish is applied everywhere
#  4. gateway 1 is cut from etcd (its veth down) through two publishes
#     and a compaction: its status disappears with its lease, it keeps
#     enforcing, and with the link back it reaches the newest revision
#     through the compacted watch
#  5. hand edits: drift reported (gw2), undone with reassert (gw1)
#  6. gateway 1's agent killed and restarted under SYN traffic: every SYN
#     to the ISP MTA arrives, none to the foreign one
#  7. bad input: unreachable endpoints, a certificate of another CA,
#     garbage in a gateway's key, a 10 MB value: clear errors, nothing
#     changed; and a gateway's credentials cannot write what is not its own
. "$(dirname "$0")/../lib.sh"
export PATH="$OP25B_ROOT/tools/op25b-agent:$PATH"
need etcd etcdctl openssl curl op25b-agent synsend syncount
topo_setup || exit 1
gw_proc || exit 1

NS_FAB=op25b-fab-$SUFFIX
NS_C1=op25b-c1-$SUFFIX		# gateway 1's management namespace
NS_G2=op25b-g2-$SUFFIX
NS_G3=op25b-g3-$SUFFIX
NS_X=op25b-x-$SUFFIX		# test 7's victim, reachable by nobody
NS_E=("op25b-e1-$SUFFIX" "op25b-e2-$SUFFIX" "op25b-e3-$SUFFIX")
NET=10.250.0
EP=("https://$NET.11:2379" "https://$NET.12:2379" "https://$NET.13:2379")
PKI=$WORK/pki
ETCD_PID=() AGENT_PID=() CNT_PID='' SEND_PID='' X_PID=''
fleet_cleanup() {
	local p
	# shellcheck disable=SC2086  # the empty ones vanish
	for p in "${AGENT_PID[@]}" $X_PID $CNT_PID $SEND_PID "${ETCD_PID[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	local ns
	for ns in "$NS_FAB" "$NS_C1" "$NS_G2" "$NS_G3" "$NS_X" "${NS_E[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	cleanup
}
trap fleet_cleanup EXIT
T0=$SECONDS
step() { log "--- $* (at $((SECONDS - T0))s)"; }
# has TEXT PATTERN: TEXT holds PATTERN (a plain string)
has() { [[ $1 == *"$2"* ]]; }

# --- the network: one bridge, every node on it ---------------------------------
step "topology"
{
	echo "netns add $NS_FAB"
	for ns in "$NS_C1" "$NS_G2" "$NS_G3" "$NS_X" "${NS_E[@]}"; do echo "netns add $ns"; done
	for i in 1 2 3; do
		echo "link add ve$i netns $NS_FAB type veth peer name eth0 netns ${NS_E[i - 1]}"
	done
	echo "link add vc1 netns $NS_FAB type veth peer name eth0 netns $NS_C1"
	echo "link add vg2 netns $NS_FAB type veth peer name eth0 netns $NS_G2"
	echo "link add vg3 netns $NS_FAB type veth peer name eth0 netns $NS_G3"
} | ip -batch - || exit 1
{
	echo "link add br0 type bridge"
	echo "link set br0 up"
	for v in ve1 ve2 ve3 vc1 vg2 vg3; do echo "link set $v master br0"; echo "link set $v up"; done
} | ip -n "$NS_FAB" -batch - || exit 1
node_up() { # node_up NS LAST_OCTET
	ip -n "$1" -batch - <<-EOF
		link set lo up
		link set eth0 up
		addr add $NET.$2/24 dev eth0
	EOF
}
for i in 1 2 3; do node_up "${NS_E[i - 1]}" 1$i || exit 1; done
node_up "$NS_C1" 21 && node_up "$NS_G2" 22 && node_up "$NS_G3" 23 || exit 1
ip -n "$NS_X" link set lo up || exit 1

# --- PKI: a CA, the members' certificate, a client certificate each ------------
step "certificates"
mkdir -p "$PKI" && cd "$PKI" || exit 1
# One openssl run per certificate (req -x509 -CA, OpenSSL 3): P-256 keys,
# a minimal configuration so that no default extension (CA:TRUE) is added.
printf '[req]\ndistinguished_name = dn\n[dn]\n' >min.cnf
# cert NAME CA SUBJECT EXTENSION...: NAME.pem, NAME-key.pem, signed by CA
cert() {
	local name=$1 ca=$2 subj=$3 e ext=()
	shift 3
	for e; do ext+=(-addext "$e"); done
	openssl req -x509 -new -config min.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$name-key.pem" -out "$name.pem" -days 2 -subj "$subj" \
		-CA "$ca.pem" -CAkey "$ca-key.pem" "${ext[@]}" 2>>openssl.log
}
ca() {
	openssl req -x509 -new -config min.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$1-key.pem" -out "$1.pem" -days 2 -subj "/CN=$1" \
		-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign \
		2>>openssl.log
}
ca ca && ca otherca || { cat openssl.log; exit 1; }
# The members' certificate is also the client one of etcd's JSON gateway,
# which dials its own gRPC server with it: clientAuth too.  Clients have
# no CommonName: etcd 3.4 refuses a gateway request from a certificate
# with one ("CommonName of client sending a request against gateway will
# be ignored"), since it could not be the etcd user there.
pids=()
cert etcd-member ca /CN=etcd-member "subjectAltName=IP:$NET.11,IP:$NET.12,IP:$NET.13" \
	"extendedKeyUsage=serverAuth,clientAuth" & pids+=($!)
for n in root admin gw1 gw2 gw3; do
	cert $n ca "/O=op25b/OU=$n" extendedKeyUsage=clientAuth & pids+=($!)
done
cert intruder otherca /O=op25b/OU=gw3 extendedKeyUsage=clientAuth & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || { cat openssl.log; exit 1; }; done
for n in root admin gw1 gw2 gw3; do echo "pw-$n-$SUFFIX" >$n.password; done
chmod 600 ./*-key.pem ./*.password
cd "$OP25B_ROOT" || exit 1

# --- etcd: three members -------------------------------------------------------
step "etcd cluster"
CLUSTER="e1=http://$NET.11:2380,e2=http://$NET.12:2380,e3=http://$NET.13:2380"
# etcd_start I: member I (1-3) in its namespace; a restart reuses its data
etcd_start() {
	local i=$1 ip=$NET.1$1
	nsexec "${NS_E[i - 1]}" etcd --name "e$i" --data-dir "$WORK/etcd$i" \
		--listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
		--listen-client-urls "https://$ip:2379" --advertise-client-urls "https://$ip:2379" \
		--initial-cluster "$CLUSTER" --initial-cluster-state new \
		--initial-cluster-token "op25b-$SUFFIX" \
		--cert-file "$PKI/etcd-member.pem" --key-file "$PKI/etcd-member-key.pem" \
		--client-cert-auth --trusted-ca-file "$PKI/ca.pem" \
		--heartbeat-interval 250 --election-timeout 2500 --bcrypt-cost 4 \
		--max-request-bytes 16777216 --logger zap --log-level warn \
		>>"$WORK/etcd$i.log" 2>&1 &
	ETCD_PID[i - 1]=$!
}
for i in 1 2 3; do etcd_start $i; done
# ec CMD...: etcdctl as root, from member 1's namespace
ec() {
	nsexec "${NS_E[0]}" etcdctl --endpoints="$(IFS=,; echo "${EP[*]}")" \
		--cacert "$PKI/ca.pem" --cert "$PKI/root.pem" --key "$PKI/root-key.pem" \
		--user "root:$(cat "$PKI/root.password")" --dial-timeout 3s --command-timeout 10s "$@"
}
ec_noauth() {
	nsexec "${NS_E[0]}" etcdctl --endpoints="$(IFS=,; echo "${EP[*]}")" \
		--cacert "$PKI/ca.pem" --cert "$PKI/root.pem" --key "$PKI/root-key.pem" \
		--dial-timeout 3s --command-timeout 30s "$@"
}
healthy() { ec_noauth endpoint health >/dev/null 2>&1; }
within 90 healthy || { fail "etcd cluster healthy"; tail -n 5 "$WORK"/etcd*.log; exit 1; }
ok "three etcd members, TLS with client certificates"
log "$(ec_noauth endpoint status -w table)"

# --- roles (docs/fleet.md "Roles") --------------------------------------------------
step "users and roles"
# What docs/fleet.md does with etcdctl ("etcdctl user add", "role add",
# "role grant-permission", "user grant-role", "auth enable"), here through
# etcd's JSON gateway with curl: an etcdctl run costs seconds under TCG.
# api PATH JSON: a request as root (its certificate; a token once auth is on)
TOKEN=
api() {
	nsexec "${NS_E[0]}" curl -sS --max-time 120 --cacert "$PKI/ca.pem" --cert "$PKI/root.pem" \
		--key "$PKI/root-key.pem" ${TOKEN:+-H "Authorization: $TOKEN"} "${EP[0]}/v3/$1" -d "$2"
}
b64() { printf %s "$1" | base64 -w0; }
# grant ROLE TYPE KEY [RANGE_END]
grant() {
	api auth/role/grant "{\"name\":\"$1\",\"perm\":{\"permType\":\"$2\",\"key\":\"$(b64 "$3")\"${4:+,\"range_end\":\"$(b64 "$4")\"}}}"
}
user() { api auth/user/add "{\"name\":\"$1\",\"password\":\"$(cat "$PKI/$1.password")\"}"; }
{
	user root && api auth/user/grant '{"user":"root","role":"root"}' &&
	api auth/role/add '{"name":"op25b-lab-admin"}' &&
	grant op25b-lab-admin READWRITE /op25b/lab/ /op25b/lab0 &&
	user admin && api auth/user/grant '{"user":"admin","role":"op25b-lab-admin"}' &&
	for g in gw1 gw2 gw3; do
		api auth/role/add "{\"name\":\"op25b-lab-$g\"}" &&
		grant op25b-lab-$g READ /op25b/lab/conf &&
		grant op25b-lab-$g READ /op25b/lab/gateways/$g/conf &&
		grant op25b-lab-$g READWRITE /op25b/lab/status/$g &&
		grant op25b-lab-$g READWRITE /op25b/lab/last/$g &&
		user $g && api auth/user/grant "{\"user\":\"$g\",\"role\":\"op25b-lab-$g\"}" || exit 1
	done &&
	api auth/enable '{}'
} >"$WORK/roles.log" 2>&1 && ! grep -q '"error"' "$WORK/roles.log" ||
	{ fail "users and roles"; cat "$WORK/roles.log"; exit 1; }
# login: a fresh token for api (etcd's simple tokens live 5 minutes)
login() {
	TOKEN=
	TOKEN=$(api auth/authenticate "{\"name\":\"root\",\"password\":\"$(cat "$PKI/root.password")\"}" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
}
ok "users root, admin, gw1-gw3; roles op25b-lab-admin, op25b-lab-gw1..3; auth enabled"
log "$(ec role get op25b-lab-gw2)"

# --- agents ---------------------------------------------------------------------------
# agent_conf NAME FIRST_ENDPOINT NAMESPACES REASSERT [CERT]: WORK/NAME.conf
agent_conf() {
	local name=$1 first=$2 ns=$3 re=$4 crt=${5:-$1} eps=() i
	for i in 0 1 2; do eps+=("${EP[(first + i) % 3]}"); done
	cat >"$WORK/$name.conf" <<-EOF
		# op25b-agent for $name (test 80)
		endpoints = ${eps[*]}
		fleet = lab
		gateway = $name
		cacert = $PKI/ca.pem
		cert = $PKI/$crt.pem
		key = $PKI/$crt-key.pem
		user = $name
		password_file = $PKI/$name.password
		namespaces = $ns
		op25bctl = $OP25B_ROOT/tools/op25bctl/op25bctl
		state_dir = $WORK/state-$name
		drift_interval = 2
		reassert = $re
		lease_ttl = 8
		timeout = 4
	EOF
}
agent_conf gw1 0 "$NS_GW" yes
agent_conf gw2 1 self no
agent_conf gw3 2 self no
agent_conf admin 0 self no
AGENT_NS=("$NS_C1" "$NS_G2" "$NS_G3")
# agent_start I: gateway I's agent (log WORK/gwI.log); $! is the agent
agent_start() {
	nsexec "${AGENT_NS[$1 - 1]}" op25b-agent -c "$WORK/gw$1.conf" run >>"$WORK/gw$1.log" 2>&1 &
	AGENT_PID[$1 - 1]=$!
}
for i in 1 2 3; do agent_start $i; done

# the operator's view, from member 1's namespace with the admin user
adm() { nsexec "${NS_E[0]}" op25b-agent -c "$WORK/admin.conf" "$@"; }
# rows_are STATE REV GW...: each GW alive, in STATE at revision REV
rows_are() {
	local st=$1 rev=$2 out
	shift 2
	out=$(adm status 2>/dev/null) || return 1
	for g; do
		awk -v g="$g" -v s="$st" -v r="$rev" '$1 == g && $2 == "yes" && $3 == r && $5 == s { f = 1 }
			END { exit !f }' <<<"$out" || return 1
	done
}
# doc GW: gateway GW's status document (pretty JSON, one field a line)
doc() { adm status -j "$1" 2>/dev/null; }
# doc_has GW TEXT: its document holds TEXT
doc_has() { [[ $(doc "$1") == *"$2"* ]]; }
# save_has TEXT: gateway 1's namespace's configuration holds TEXT
save_has() { has "$(ctl save)" "$1"; }
# published FILE: publish, and REV=the revision it wrote
published() {
	local out
	out=$(adm publish "$@") || { log "publish $*: $out"; return 1; }
	log "$out"
	REV=$(awk '{ print $4 }' <<<"$out")
}
three_alive() { [ "$(adm status 2>/dev/null | awk '$2 == "yes"' | wc -l)" = 3 ]; }
within 60 three_alive || fail "the three agents report alive"
log "$(adm status)"

# --- 1. publish: applied everywhere ------------------------------------------------------
step "1. publish"
cat >"$WORK/a.conf" <<EOF
# fleet lab, revision a
mode enforce
action drop
subscriber 10.10.0.0/24 comment "pool 1"
subscriber 2001:db8:10::/64
allow $ISP4 comment "ISP MTA"
allow $ISP6
EOF
published "$WORK/a.conf" || exit 1
REV_A=$REV SHA_A=$(sha256sum "$WORK/a.conf" | cut -d' ' -f1)
assert "1: applied on gw1, gw2, gw3 at revision $REV_A" within 60 rows_are applied "$REV_A" gw1 gw2 gw3
# applied_as GW REV SHA: GW's document says it
applied_as() { local d; d=$(doc "$1"); has "$d" "\"revision\":$2," && has "$d" "\"sha256\":\"$3\""; }
for g in gw1 gw2 gw3; do
	assert "1: $g's status: revision $REV_A, sha256 of the file" applied_as $g "$REV_A" "$SHA_A"
done
log "$(adm status)"
log "$(doc gw1)"
assert "1: traffic: the ISP MTA is reached" connects $NS_SUB $ISP4 25
assert "1: traffic: the foreign MTA is not" blocked $NS_SUB $FOREIGN4 25
assert "1: gw2's namespace holds the configuration" has "$(in_ns $NS_G2 op25bctl allow list)" "$ISP4"

# --- 2. broken: rejected everywhere, the old one enforces --------------------------------
step "2. broken configuration"
sed 's/^allow 2001:db8:ee::25$/allow 2001:db8:ee::25\/64/' "$WORK/a.conf" >"$WORK/bad.conf"
out=$(adm publish "$WORK/bad.conf" 2>&1)
rc=$?
assert_eq "2: publish validates first: exit 1" 1 $rc
assert "2: ... with op25bctl's FILE:LINE" has "$out" "$WORK/bad.conf:7:"
# a script that writes etcd directly gets past that
login
out=$(api kv/put "{\"key\":\"$(b64 /op25b/lab/conf)\",\"value\":\"$(base64 -w0 <"$WORK/bad.conf")\"}")
REV_B=$(sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p' <<<"$out")
assert "2: a script put it into etcd directly (revision $REV_B)" [ -n "$REV_B" ]
assert "2: rejected on gw1, gw2, gw3 (revision $REV_A kept)" \
	within 60 rows_are rejected "$REV_A" gw1 gw2 gw3
for g in gw1 gw2 gw3; do
	assert "2: $g's status names the bad line (op25b/lab/conf:7, revision $REV_B)" doc_has $g \
		"\"error\":\"op25bctl: op25b/lab/conf:7: allow 2001:db8:ee::25/64: host bits set under the prefix length\""
done
log "$(adm status)"
log "$(doc gw2)"
assert "2: traffic: the ISP MTA is still reached" connects $NS_SUB $ISP4 25
assert "2: traffic: the foreign MTA is still not" blocked $NS_SUB $FOREIGN4 25

# --- 3. the leader stops ---------------------------------------------------------------
step "3. leader stopped"
leader=$(ec endpoint status -w table 2>/dev/null | awk -F'|' '$6 ~ /true/ { gsub(/ /, "", $2); print $2 }')
L=0
for i in 1 2 3; do [ "$leader" = "${EP[i - 1]}" ] && L=$i; done
assert "3: a leader ($leader)" [ $L != 0 ]
[ $L != 0 ] && kill "${ETCD_PID[L - 1]}" && wait "${ETCD_PID[L - 1]}" 2>/dev/null
sed 's/^# fleet lab, revision a/# fleet lab, revision c/' "$WORK/a.conf" >"$WORK/c.conf"
echo "reject-rate 500/s burst 5" >>"$WORK/c.conf"
# an operator retries while the members elect a leader
assert "3: publish with the leader gone" within 30 published "$WORK/c.conf"
REV_C=$REV
assert "3: applied on gw1, gw2, gw3 at revision $REV_C" within 90 rows_are applied "$REV_C" gw1 gw2 gw3
log "$(adm status)"
[ $L != 0 ] && etcd_start $L	# back, for what follows

# --- 4. a gateway cut off, two publishes, a compaction ---------------------------------------
step "4. gateway 1 cut off"
ip -n $NS_FAB link set vc1 down || fail "4: link down"
gone() { ! adm status 2>/dev/null | awk '$1 == "gw1" && $2 == "yes" { f = 1 } END { exit !f }'; }
assert "4: gw1's status disappears with its lease (alive: no)" within 60 gone
sed 's/revision a/revision d/' "$WORK/a.conf" >"$WORK/d.conf"
printf 'exempt 10.10.0.200\n' >>"$WORK/d.conf"
published "$WORK/d.conf" || fail "4: publish d"
sed 's/revision a/revision e/' "$WORK/a.conf" >"$WORK/e.conf"
printf 'exempt 10.10.0.201\nlog off\n' >>"$WORK/e.conf"
published "$WORK/e.conf" || fail "4: publish e"
REV_E=$REV
ec compact "$REV_E" --physical >/dev/null || fail "4: compaction"
assert "4: gw2 and gw3 at revision $REV_E" within 60 rows_are applied "$REV_E" gw2 gw3
assert "4: gw1 still enforces revision $REV_C (reject-rate 500/s)" save_has "reject-rate 500/s burst 5"
assert "4: traffic: the ISP MTA is reached" connects $NS_SUB $ISP4 25
assert "4: traffic: the foreign MTA is not" blocked $NS_SUB $FOREIGN4 25
log "$(adm status)"
ip -n $NS_FAB link set vc1 up || fail "4: link up"
assert "4: gw1 back at revision $REV_E" within 90 rows_are applied "$REV_E" gw1 gw2 gw3
assert "4: ... through the compacted watch" grep -q "was compacted" "$WORK/gw1.log"
grep -E "lost etcd|compacted|connected" "$WORK/gw1.log" | tail -n 4
assert "4: gw1 enforces revision $REV_E (exempt 10.10.0.201)" save_has "exempt 10.10.0.201/32"

# --- 5. drift --------------------------------------------------------------------------
step "5. drift"
in_ns $NS_G2 op25bctl allow add $FOREIGN4 || fail "5: hand edit on gw2"
assert "5: gw2 drifted" within 60 rows_are drifted "$REV_E" gw2
assert "5: ... with the difference" doc_has gw2 "\"drift\":\"1 added, 0 removed: +allow $FOREIGN4/32\""
log "$(adm status)"
ctl allow add $FOREIGN4 || fail "5: hand edit on gw1"
reasserted() { doc_has gw1 '"reasserted":1' && ! ctl allow list | grep -q "$FOREIGN4"; }
assert "5: gw1 (reassert = yes) undid it" within 60 reasserted
assert "5: gw1 applied again" rows_are applied "$REV_E" gw1
grep -E "drift in|reasserted" "$WORK/gw1.log" | tail -n 2
assert "5: traffic: the foreign MTA is blocked again" blocked $NS_SUB $FOREIGN4 25
log "$(doc gw1)"

# --- 6. the agent killed and restarted under traffic ---------------------------------------
step "6. agent restart under traffic"
nsexec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
wait_until 5 grep -qx ready "$WORK/count" || fail "6: syncount started"
nsexec $NS_SUB synsend -r 50 -d 100000 $ISP4 $FOREIGN4 >"$WORK/sent" &
SEND_PID=$!
flowing() { counters; [ "${C[allowed_mta]}" -gt "$1" ]; }
counters
base=${C[allowed_mta]}
within 30 flowing "$base" || fail "6: SYNs cross the gateway"
applies() { grep -c "^op25b-agent: applied" "$WORK/gw1.log"; }
n0=$(applies)
kill -9 "${AGENT_PID[0]}"
wait "${AGENT_PID[0]}" 2>/dev/null
agent_start 1
applied_again() { [ "$(applies)" -gt "$n0" ]; }
assert "6: the restarted agent applied revision $REV_E" within 60 applied_again
counters
base=${C[allowed_mta]}
within 30 flowing "$((base + 50))" || fail "6: SYNs cross the gateway after the restart"
kill -TERM $SEND_PID
wait $SEND_PID
SEND_PID=
syn_counts
log "6: sent isp=${SENT[$ISP4]} foreign=${SENT[$FOREIGN4]}; arrived isp=${GOT[$ISP4]:-0} foreign=${GOT[$FOREIGN4]:-0}"
assert "6: SYNs were sent (${SENT[$ISP4]:-0})" [ "${SENT[$ISP4]:-0}" -gt 50 ]
assert_eq "6: the packet counter lost nothing" 0 "${GOT[drops]}"
assert_eq "6: every SYN to the ISP MTA arrived" "${SENT[$ISP4]}" "${GOT[$ISP4]:-0}"
assert_eq "6: no SYN to the foreign MTA arrived" 0 "${GOT[$FOREIGN4]:-0}"
assert "6: gw1 applied at revision $REV_E" within 30 rows_are applied "$REV_E" gw1

# --- 7. bad input --------------------------------------------------------------------------
step "7. bad input"
# the victim namespace: a configuration of its own, saved before
printf 'mode monitor\nsubscriber 10.77.0.0/16\n' | in_ns $NS_X op25bctl load - || fail "7: victim configured"
xsave() { in_ns $NS_X op25bctl save | grep -v '^#'; }
XBEFORE=$(xsave)
# x_run CONF NS: an agent with CONF in namespace NS, managing NS_X, until
# its log says "lost etcd" twice
x_run() {
	nsexec "$2" op25b-agent -c "$1" run >"$1.log" 2>&1 &
	X_PID=$!
	lost2() { [ "$(grep -c 'lost etcd' "$1.log")" -ge 2 ]; }
	within 60 lost2 "$1"
	local rc=$?
	kill $X_PID
	wait $X_PID 2>/dev/null
	X_PID=
	return $rc
}
agent_conf gw3 0 "$NS_X" no
sed -i "s|^endpoints = .*|endpoints = https://$NET.99:2379, https://$NET.98:2379|; s|state-gw3|state-x|" "$WORK/gw3.conf"
cp "$WORK/gw3.conf" "$WORK/unreachable.conf"
assert "7a: unreachable endpoints: the agent retries" x_run "$WORK/unreachable.conf" $NS_G3
log "$(grep -m 3 . "$WORK/unreachable.conf.log")"
assert "7a: ... saying why" grep -q "https://$NET.9[89]:2379: .*\(Failed to connect\|timed out\|Couldn't connect\|No route\)" "$WORK/unreachable.conf.log"
agent_conf gw3 0 "$NS_X" no intruder
sed -i "s|state-gw3|state-x|" "$WORK/gw3.conf"
cp "$WORK/gw3.conf" "$WORK/othercert.conf"
agent_conf gw3 2 self no	# gw3's own again
assert "7b: a certificate of another CA: the agent retries" x_run "$WORK/othercert.conf" $NS_G3
log "$(grep -m 2 . "$WORK/othercert.conf.log")"
assert "7b: ... saying why (the client certificate)" grep -q "client certificate" "$WORK/othercert.conf.log"
assert_eq "7ab: the victim's configuration is unchanged" "$XBEFORE" "$(xsave)"
out=$(nsexec $NS_G3 op25b-agent -c "$WORK/othercert.conf" status 2>&1)
assert_eq "7b: status with that certificate: exit 1" 1 $?
log "$out"

G2BEFORE=$(in_ns $NS_G2 op25bctl save | grep -v '^#')
printf '\x89PNG\r\n\x1a\n\x01\x02garbage \xff\xfe\n' >"$WORK/garbage"
login
out=$(api kv/put "{\"key\":\"$(b64 /op25b/lab/gateways/gw2/conf)\",\"value\":\"$(base64 -w0 <"$WORK/garbage")\"}")
assert "7c: garbage put into gw2's key" has "$out" revision
garbage_rejected() { doc_has gw2 '"state":"rejected"' && doc_has gw2 "op25b/lab/gateways/gw2/conf:1:"; }
assert "7c: garbage in gw2's key: rejected" within 60 garbage_rejected
log "$(doc gw2 | grep '"error"')"
assert_eq "7c: gw2's configuration is unchanged" "$G2BEFORE" "$(in_ns $NS_G2 op25bctl save | grep -v '^#')"

# 10 MB: refused by publish; written anyway (etcd here allows 16 MB
# requests; etcdctl's own limit is 2 MiB, so through the JSON gateway)
head -c 10000000 /dev/zero | tr '\0' '#' >"$WORK/big.conf"
out=$(adm publish "$WORK/big.conf" 2>&1)
assert_eq "7d: publish of a 10 MB file: exit 1" 1 $?
assert "7d: ... over the limit" has "$out" "larger than 1048576 bytes"
log "$out"
{
	printf '{"key":"%s","value":"' "$(b64 /op25b/lab/conf)"
	base64 -w0 <"$WORK/big.conf"
	printf '"}'
} >"$WORK/big.json"
rm -f "$WORK/big.conf"
login
out=$(api kv/put @"$WORK/big.json")
rm -f "$WORK/big.json"
assert "7d: a 10 MB value is in etcd ($out)" has "$out" revision
too_big() { doc_has "$1" '"state":"rejected"' && doc_has "$1" "over the agent's limit"; }
assert "7d: gw1 refuses the 10 MB value" within 180 too_big gw1
assert "7d: gw3 refuses the 10 MB value" within 60 too_big gw3
log "$(doc gw1 | grep '"error"')"
assert "7d: gw1 still enforces revision $REV_E" save_has "exempt 10.10.0.201/32"
assert "7d: traffic: the ISP MTA is reached" connects $NS_SUB $ISP4 25
assert "7d: traffic: the foreign MTA is not" blocked $NS_SUB $FOREIGN4 25
log "$(adm status)"

# a gateway's credentials: its own status, nothing else
gwctl() {
	nsexec $NS_G2 etcdctl --endpoints="${EP[1]}" --cacert "$PKI/ca.pem" --cert "$PKI/gw2.pem" \
		--key "$PKI/gw2-key.pem" --user "gw2:$(cat "$PKI/gw2.password")" --command-timeout 10s "$@"
}
refused_put() { ! gwctl put "$1" x >/dev/null 2>&1; }
assert "7e: gw2 cannot write the fleet's configuration" refused_put /op25b/lab/conf
assert "7e: gw2 cannot write gw1's status" refused_put /op25b/lab/status/gw1
assert "7e: gw2 can read the fleet's configuration" gwctl get /op25b/lab/conf --keys-only

for i in 1 2 3; do
	grep -q "op25b-agent: .*flush" "$WORK/gw$i.log" && fail "gw$i's log mentions a flush"
done
for i in 1 2 3; do
	log "--- gw$i's agent log"
	cat "$WORK/gw$i.log"
done
log "summary: fleet scenario took $((SECONDS - T0))s; revisions a=$REV_A bad=$REV_B c=$REV_C e=$REV_E"
finish

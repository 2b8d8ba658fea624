#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b's counters through Prometheus' node_exporter, as a carrier scrapes
# them: op25b-metrics (what op25b-metrics.timer runs) writes one file per
# namespace of its configuration into a textfile directory; Debian's
# prometheus-node-exporter serves that directory; /metrics, fetched with
# curl, carries op25b's metrics with each namespace's label and the values
# /proc/net/op25b/stats has, node_exporter reports no textfile error, and
# "promtool check metrics" (Debian's prometheus) passes on it.  A namespace
# that cannot be read loses its file, the run exits 1; a file of a
# namespace no longer configured goes.  Userspace over the module's
# counters: one kernel is enough.
# op25b: once
. "$(dirname "$0")/../lib.sh"
need prometheus-node-exporter promtool curl
topo_setup || exit 1
config_default || exit 1
EXP_PID=''
trap 'kill $EXP_PID 2>/dev/null; cleanup' EXIT
TF=$WORK/textfile
mkdir -p "$TF" || exit 1
METRICS=$OP25B_ROOT/tools/op25b-metrics/op25b-metrics

blocked $NS_SUB $FOREIGN4 25 || fail "a blocked attempt (IPv4)"
blocked $NS_SUB $FOREIGN6 25 || fail "a blocked attempt (IPv6)"
printf 'stale\n' >"$TF/op25b-gone.prom"
sed -e "s|^directory = .*|directory = $TF|" -e "s|^namespaces = .*|namespaces = - $NS_GW $NS_INET|" \
	"$OP25B_ROOT/packaging/metrics.conf" >"$WORK/metrics.conf" || exit 1
out=$("$METRICS" -c "$WORK/metrics.conf" 2>&1)
assert_eq "op25b-metrics on the example file, three namespaces: exit 0" "0" "$?${out:+ $out}"
assert_eq "one file per namespace, the stale one gone" \
	"op25b-$NS_GW.prom op25b-$NS_INET.prom op25b.prom" "$(cd "$TF" && ls | sort | paste -sd' ')"

# node_exporter in the gateway's namespace, on its loopback, reading TF
ip -n $NS_GW link set lo up
nsexec $NS_GW prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.textfile --collector.textfile.directory="$TF" \
	>"$WORK/exporter.log" 2>&1 &
EXP_PID=$!
scrape() { in_ns $NS_GW curl -sf http://127.0.0.1:9100/metrics >"$WORK/metrics.txt"; }
wait_until 60 scrape || { fail "node_exporter answers: $(tail -3 "$WORK/exporter.log")"; finish; }
counters_of() { in_ns "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/op25b/stats; }
value() { awk -v s="$1" '$1 == s { print $2 }' "$WORK/metrics.txt"; }
assert_eq "node_textfile_scrape_error 0" 0 "$(value node_textfile_scrape_error)"
assert_eq "the gateway's blocked_total, IPv4, labelled netns" "$(counters_of $NS_GW blocked_ipv4)" \
	"$(value "op25b_blocked_total{family=\"ipv4\",netns=\"$NS_GW\"}")"
assert_eq "... IPv6" "$(counters_of $NS_GW blocked_ipv6)" \
	"$(value "op25b_blocked_total{family=\"ipv6\",netns=\"$NS_GW\"}")"
assert "... not zero" [ "$(value "op25b_blocked_total{family=\"ipv4\",netns=\"$NS_GW\"}")" -gt 0 ]
assert_eq "the other namespace's: its own (0)" 0 \
	"$(value "op25b_blocked_total{family=\"ipv4\",netns=\"$NS_INET\"}")"
assert_eq "the host's, without a netns label" "$(awk '$1 == "blocked_ipv4" { print $2 }' /proc/net/op25b/stats)" \
	"$(value 'op25b_blocked_total{family="ipv4"}')"
assert_eq "the gateway's subscriber table size" 1 \
	"$(value "op25b_table_entries{family=\"ipv4\",netns=\"$NS_GW\",table=\"subscriber\"}")"
assert_eq "its mode, a gauge per mode" 1 "$(value "op25b_mode{mode=\"enforce\",netns=\"$NS_GW\"}")"
assert_eq "every counter is a counter named _total" "" \
	"$(awk '$1 == "#" && $2 == "TYPE" && $3 ~ /^op25b_/ && $4 == "counter" && $3 !~ /_total$/' "$WORK/metrics.txt")"
assert_eq "every op25b counter there, for three namespaces and two families" \
	"$((3 * 2 * $(grep -c . <<<"$(in_ns $NS_GW awk '$1 !~ /_ipv[46]$/ { print $1 }' /proc/net/op25b/stats)")))" \
	"$(grep -c '^op25b_[a-z_]*_total{' "$WORK/metrics.txt")"
out=$(promtool check metrics <"$WORK/metrics.txt" 2>&1)
assert_eq "promtool check metrics passes on what node_exporter serves" "0" "$?${out:+ $out}"

# a namespace that is gone: its file goes, the others are written
blocked $NS_SUB $FOREIGN4 25 || fail "another blocked attempt"
sed -i "s|^namespaces = .*|namespaces = $NS_GW no-such-ns|" "$WORK/metrics.conf"
out=$("$METRICS" -c "$WORK/metrics.conf" 2>&1)
assert_eq "a namespace that does not exist: exit 1" 1 $?
assert_eq "only the gateway's file left" "op25b-$NS_GW.prom" "$(cd "$TF" && ls | paste -sd' ')"
wait_until 10 scrape
assert_eq "the next scrape has the new count" "$(counters_of $NS_GW blocked_ipv4)" \
	"$(value "op25b_blocked_total{family=\"ipv4\",netns=\"$NS_GW\"}")"
assert_eq "... and no other namespace" "" "$(grep "^op25b_blocked_total{" "$WORK/metrics.txt" | grep -v "netns=\"$NS_GW\"")"
printf 'namespaces = -\nfrobnicate = 1\n' >"$WORK/bad.conf"
out=$("$METRICS" -c "$WORK/bad.conf" 2>&1)
assert_eq "an unknown key: exit 2 and where" "2 op25b-metrics: $WORK/bad.conf:2: unknown key 'frobnicate' (directory, namespaces)" "$? $out"
finish

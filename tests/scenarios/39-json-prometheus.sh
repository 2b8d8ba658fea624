#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Machine-readable output against the real module: -j on status, list,
# stats, top and check gives one JSON document each (one python3 reads
# them all: it takes seconds to start here); stats --prometheus FILE is
# well-formed, agrees with the counters, and is replaced atomically: a
# reader racing with the writer never sees half a file.
# op25bctl's output formats, the same on every kernel:
# op25b: once
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
ctl allow add 192.0.2.26 comment 'relay "b"' || exit 1
blocked $NS_SUB $FOREIGN4 25 || fail "blocked"
blocked $NS_SUB $FOREIGN6 25 || fail "blocked"

ctl -j status >"$WORK/status.json" || fail "status -j"
ctl -j allow list >"$WORK/list.json" || fail "list -j"
ctl -j stats >"$WORK/stats.json" || fail "stats -j"
ctl -j top >"$WORK/top.json" || fail "top -j"
ctl -j check $SUB4 $FOREIGN4 >"$WORK/check.json"
assert_eq "check -j of a blocked packet: exit 1" 1 $?
if command -v python3 >/dev/null; then
	assert_eq "every document parses, with the expected content" \
		"drop all 1000 false|relay \"b\"|2|2|block" \
		"$(cd "$WORK" && python3 -c '
import json
s = json.load(open("status.json"))
l = json.load(open("list.json"))
st = json.load(open("stats.json"))
t = json.load(open("top.json"))
c = json.load(open("check.json"))
print("%s %s %d %s|%s|%d|%d|%s" % (s["action"], s["scope"],
      s["reject_rate"]["rate"], str(s["log"]["enabled"]).lower(),
      l["comments"]["192.0.2.26/32"], st["blocked"]["total"],
      len(t["offenders"]), c["verdict"]))' 2>&1)"
else
	log "no python3: JSON not parsed"
fi

# the Prometheus text format, checked line by line by one awk
mkdir "$WORK/prom"
P=$WORK/prom/op25b.prom
ctl stats --prometheus "$P" || fail "stats --prometheus FILE"
counters
check=$(awk '
	/^# HELP op25b_[a-z_]+ ./ { help[$3] = 1; next }
	/^# TYPE op25b_[a-z_]+ (counter|gauge)$/ {
		if (!help[$3] || type[$3]) bad++
		type[$3] = $4; cur = $3; next
	}
	/^op25b_[a-z_]+(\{[a-z]+="[a-z0-9-]+"(,[a-z]+="[a-z0-9-]+")*\})? [0-9]+$/ {
		name = $1; sub(/\{.*/, "", name)
		if (name != cur) bad++
		if (seen[$1]++) bad++
		if (type[name] == "counter" && name !~ /_total$/) bad++
		n++; next
	}
	{ bad++; print "bad line: " $0 }
	END {
		many = n > 30
		b = seen["op25b_blocked_total{family=\"ipv4\"}"] ? "b4" : "-"
		printf "%d %d %s %s\n", bad, many, b, type["op25b_table_entries"]
	}' "$P")
assert_eq "well-formed: no bad line, HELP/TYPE before samples, no series twice" \
	"0 1 b4 gauge" "$check"
assert "blocked per family as the counters say" has_line "$(<"$P")" \
	"op25b_blocked_total{family=\"ipv4\"} ${C[blocked_ipv4]}"
assert "the mode gauge" has_line "$(<"$P")" 'op25b_mode{mode="enforce"} 1'
shopt -s nullglob
left=("$P".tmp.*)
assert_eq "no temporary file left" 0 ${#left[@]}

# atomic replacement: a new file (inode) each time, never read half-written
ln "$P" "$WORK/prom/old" || fail "ln"
nsexec $NS_GW sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do op25bctl stats --prometheus '$P' || exit 1; done" &
writer=$!
reads=0 torn=0
while kill -0 $writer 2>/dev/null; do
	IFS= read -rd '' text <"$P"
	reads=$((reads + 1))
	[[ $text == *$'\nop25b_generation '[0-9]*$'\n' ]] || torn=$((torn + 1))
done
wait $writer
assert_eq "the writer succeeded" 0 $?
assert_eq "$reads reads during 10 rewrites: none saw a partial file" 0 $torn
assert "FILE was replaced by rename, not rewritten in place" \
	[ ! "$P" -ef "$WORK/prom/old" ]
left=("$P".tmp.*)
assert_eq "still no temporary file left" 0 ${#left[@]}
finish

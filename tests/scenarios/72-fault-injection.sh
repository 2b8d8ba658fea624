#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures (failslab, fail_page_alloc) injected into op25bctl's
# requests, into namespace creation and into module load.  Needs a kernel
# with CONFIG_FAILSLAB / CONFIG_FAIL_PAGE_ALLOC (the debug kernel): skips
# otherwise (Debian's stock kernels).
#
# Only the task under test fails (task-filter, /proc/self/make-it-fail set
# by a wrapper shell that then execs the command).  For each request
# (add/del -f of thousands of entries, flush, load, set, top, exempt add):
# from a baseline configuration, the request runs once without injection
# to learn the state it leads to (EXP), then ROUNDS times with injection
# at varying probability, each from the baseline (BASE).  After each run
# "op25bctl save" (without injection) must be:
#   request succeeded  -> EXP
#   request failed     -> BASE (clean failure) or EXP (applied, but the
#                         reply/ack was lost to an injected failure:
#                         counted, not a failure)
# anything else (a partial change) fails the scenario and is logged.
# Then "ip netns add" and insmod under injection: either works fully or
# fails leaving nothing behind.  Injected failures are counted from the
# debugfs "times" counters (set to a large budget, read back).
#
# Knobs (environment):
#   OP25B_FI_ROUNDS   injected runs per request (default 8; 0: none)
#   OP25B_FI_ENTRIES  entries in the baseline/load files (default 2000)
#   OP25B_FI_NETNS    namespace creations under injection (default 20)
#   OP25B_FI_INSMOD   module loads under injection (default 10)
. "$(dirname "$0")/../lib.sh"
DBG=/sys/kernel/debug
[ -d $DBG/failslab ] || mount -t debugfs none $DBG 2>/dev/null
[ -d $DBG/failslab ] || skip "no fault injection (CONFIG_FAILSLAB) in this kernel"
require_module
ROUNDS=${OP25B_FI_ROUNDS:-8}
ENTRIES=${OP25B_FI_ENTRIES:-2000}
NNS=${OP25B_FI_NETNS:-20}
NINS=${OP25B_FI_INSMOD:-10}
BUDGET=1000000
FA=(failslab)
[ -d $DBG/fail_page_alloc ] && FA+=(fail_page_alloc)

fi_off() {
	local f
	for f in "${FA[@]}"; do echo 0 >$DBG/$f/probability; done
}
injected=0
fi_on() {	# fi_on PERCENT
	local f
	for f in "${FA[@]}"; do
		echo Y >$DBG/$f/task-filter
		echo 1 >$DBG/$f/interval
		echo 0 >$DBG/$f/space
		echo 0 >$DBG/$f/verbose
		echo N >$DBG/$f/ignore-gfp-wait
		echo $BUDGET >$DBG/$f/times
		echo "$1" >$DBG/$f/probability
	done
	if [ -e $DBG/fail_page_alloc/min-order ]; then
		echo 0 >$DBG/fail_page_alloc/min-order
		# user pages (and vmalloc's) are highmem-flagged: not failed, so
		# op25bctl is not hit by page faults
		echo Y >$DBG/fail_page_alloc/ignore-gfp-highmem
	fi
}
fi_count() {	# adds what was injected since fi_on to $injected
	local f t
	for f in "${FA[@]}"; do
		t=$(<$DBG/$f/times)
		injected=$((injected + BUDGET - t))
		echo $BUDGET >$DBG/$f/times
	done
}
trap 'fi_off; lsmod | grep -q "^op25b " || insmod "$OP25B_KO"; cleanup' EXIT
fi_off
ns_new $NS_GW || exit 1

# The task under injection must not touch the root filesystem: it is the
# host's, over 9p, and an allocation failure inside the 9p client breaks
# the guest's root for everyone (every later exec fails with EINVAL).  So
# op25bctl, ip and insmod run from copies on /tmp (tmpfs), their shared
# libraries too, through the dynamic loader itself, without ld.so.cache;
# even the wrapper shell that sets make-it-fail (its own page faults on a
# 9p-backed text would be hit), with / as its working directory.
FI=$WORK/fi
mkdir -p $FI || exit 1
for b in "$(command -v op25bctl)" "$(command -v ip)" "$(readlink -f "$(command -v insmod)")" \
	"$(readlink -f "$(command -v sh)")"; do
	cp "$b" $FI/ || exit 1
	for l in $(ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'); do
		cp -L "$l" $FI/ || exit 1
	done
done
LDSO=$(ls $FI/ld-linux* | head -1)
[ -x "$LDSO" ] || exit 1
mv $FI/kmod $FI/insmod 2>/dev/null	# insmod is kmod, told by argv[0]
mv $FI/dash $FI/sh 2>/dev/null
cp "$OP25B_KO" $FI/op25b.ko || exit 1
# fexec CMD ARGS: CMD (op25bctl, ip, insmod) from $FI, make-it-fail set
fexec() {
	local cmd=$1
	shift
	"$LDSO" --inhibit-cache --library-path $FI $FI/sh -c \
		'cd / && echo 1 >/proc/self/make-it-fail && exec "$@"' sh \
		"$LDSO" --inhibit-cache --library-path $FI $FI/$cmd "$@"
}
fctl() { nsexec $NS_GW bash -c "$(declare -f fexec); LDSO=$LDSO FI=$FI; fexec op25bctl \"\$@\"" fctl "$@"; }
# state: the configuration, without the header; "SAVE FAILED" if op25bctl
# itself could not run (then the guest is broken, not the request)
ctl_quiet() { ctl "$@" >/dev/null; }
state() { ctl save >"$WORK/save" && grep -v '^#' "$WORK/save" || echo "SAVE FAILED"; }

awk -v d="$WORK" -v n=$ENTRIES 'BEGIN {
	printf "mode enforce\naction drop\nreject-rate 1000/s burst 5\n" > d "/base.conf"
	printf "subscriber 10.10.0.0/16\nallow 192.0.2.25 comment \"ISP MTA\"\n" > d "/base.conf"
	printf "mode monitor\naction reject-tcp\nscope targets\n" > d "/other.conf"
	printf "subscriber 10.20.0.0/16\ntarget 198.51.100.0/24\n" > d "/other.conf"
	for (i = 0; i < n; i++) {
		printf "allow 10.%d.%d.%d\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 > d "/base.conf"
		printf "allow 10.%d.%d.%d comment \"o%d\"\n", 150 + int(i / 65536), int(i / 256) % 256, i % 256, i > d "/other.conf"
		printf "172.%d.%d.%d/32\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256 > d "/add"
		if (i % 2)
			printf "10.%d.%d.%d\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 > d "/del"
	}
}' || exit 1

REQS=("allow add -f $WORK/add" "allow del -f $WORK/del" "allow flush" "load $WORK/other.conf"
	"set reject-rate 77/s burst 9" "top 5" "exempt add 10.10.9.0/24 10.10.8.0/24" "subscriber flush")
PROBS=(1 3 10 30 100)
nreq=0 nfail=0 nok=0 nlost=0 npartial=0
ctl load "$WORK/base.conf" || exit 1
BASE=$(state)
for req in "${REQS[@]}"; do
	ctl load "$WORK/base.conf" || exit 1
	# shellcheck disable=SC2086
	ctl $req >/dev/null || { fail "without injection: $req"; continue; }
	EXP=$(state)
	for ((r = 0; r < ROUNDS; r++)); do
		ctl load "$WORK/base.conf" || exit 1
		fi_on "${PROBS[r % ${#PROBS[@]}]}"
		# shellcheck disable=SC2086
		fctl $req >/dev/null 2>"$WORK/err"
		rc=$?
		fi_off
		fi_count
		nreq=$((nreq + 1))
		now=$(state)
		if [ $rc -eq 0 ]; then
			nok=$((nok + 1))
			[ "$now" = "$EXP" ] || { npartial=$((npartial + 1)); fail "'$req' succeeded under injection but the state is not its result"; diff <(echo "$EXP") <(echo "$now") | head -5; }
		else
			nfail=$((nfail + 1))
			if [ "$now" = "$BASE" ]; then
				:
			elif [ "$now" = "$EXP" ]; then
				nlost=$((nlost + 1))
				log "note: '$req' failed ($(head -1 "$WORK/err")) but was applied: reply lost"
			else
				npartial=$((npartial + 1))
				fail "'$req' failed ($(head -1 "$WORK/err")) and left a partial state"
				diff <(echo "$BASE") <(echo "$now") | head -8
			fi
		fi
	done
done
assert_eq "no request left a partial state" 0 $npartial
[ "$ROUNDS" -eq 0 ] || assert "some injected requests failed ($nfail of $nreq)" [ $nfail -gt 0 ]
assert "the module still answers" ctl_quiet status

# namespace creation under injection
nsok=0 nsfail=0
for ((i = 0; i < NNS; i++)); do
	ns=op25b-fi$SUFFIX-$i
	fi_on "${PROBS[i % ${#PROBS[@]}]}"
	fexec ip netns add $ns >/dev/null 2>&1
	rc=$?
	fi_off
	fi_count
	if [ $rc -eq 0 ]; then
		nsok=$((nsok + 1))
		nsexec $ns op25bctl allow add 192.0.2.25 >/dev/null &&
			[ "$(nsexec $ns op25bctl allow list)" = 192.0.2.25 ] ||
			fail "namespace $ns created under injection does not work"
		ip netns del $ns
	else
		nsfail=$((nsfail + 1))
		ip netns del $ns 2>/dev/null
	fi
done
log "namespaces under injection: $nsok created, $nsfail failed"
assert "the module answers after namespace injection" ctl_quiet status

# module load under injection
ip netns del $NS_GW
insok=0 insfail=0
rmmod op25b || exit 1
for ((i = 0; i < NINS; i++)); do
	fi_on "${PROBS[i % ${#PROBS[@]}]}"
	fexec insmod $FI/op25b.ko >/dev/null 2>&1
	rc=$?
	fi_off
	fi_count
	if [ $rc -eq 0 ]; then
		insok=$((insok + 1))
		ns_new $NS_GW || exit 1
		ctl allow add 192.0.2.25 >/dev/null || fail "module loaded under injection does not answer"
		ip netns del $NS_GW
		rmmod op25b || { fail "rmmod after an injected load"; break; }
	else
		insfail=$((insfail + 1))
		! lsmod | grep -q "^op25b " || { fail "failed insmod left the module loaded"; rmmod op25b; }
	fi
done
assert "insmod without injection" insmod "$OP25B_KO"
log "summary: fault injection: $nreq injected requests ($nok ok, $nfail failed, $nlost applied with reply lost, $npartial partial); netns $nsok ok/$nsfail failed; insmod $insok ok/$insfail failed; $injected allocation failures injected (${FA[*]})"
finish

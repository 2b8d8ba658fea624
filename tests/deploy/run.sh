#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2012  # "C && ok || not_ok": ok never fails
# tests/deploy/run.sh [KVER...] — installation and packaging tests, TAP on
# stdout; the "deploy" phase of tests/harness/check.sh (make check).
#
# Parts (OP25B_DEPLOY_PARTS, default all, in this order):
#   install     make install / uninstall into a DESTDIR (PREFIX /usr and
#               /usr/local): the exact tree, modes, the unit's paths, example
#               configurations never overwritten, uninstall leaves nothing
#   unit        systemd-analyze verify on the installed op25b.service
#   man         man --warnings on every page; commands, module parameters
#               and counters are all documented
#   completion  the bash completion loads and completes
#   config      the example op25b.conf passes "op25bctl load --check"
#   hostinstall the README's "make install" block on this host for the
#               first KVER (make; make install, which runs depmod), then in
#               a guest: modprobe loads updates/op25b.ko, /etc/modprobe.d
#               options apply, "op25bctl status" autoloads the module; then
#               the block's make uninstall removes it all
#   dkms        the README's DKMS block: make dkms-install for KVER...,
#               "modprobe op25b" in a guest per kernel loads the DKMS-built
#               module, make dkms-uninstall
#   deb         the README's package block: make deb, lintian (no errors),
#               apt-get install of the three packages (DKMS builds the module),
#               systemd-analyze verify, guests as above plus op25b.service's
#               commands with a non-default configuration, apt-get purge
# The README's commands are taken from README.md (tests/readme/readme.py)
# and run verbatim, so that a README drifting from the code fails here.
# KVER: full versions or series (default: 6.1).  The dkms and deb parts
# change the host (DKMS tree, /usr/src, /lib/modules/KVER/updates/dkms,
# packages): they need root, refuse to run when op25b is installed on the
# host by anything else, and undo everything at the end (also after an
# interruption: /var/lib/op25b-tests/deploy-host-state records what is
# installed; the next run, from any tree, removes it first).  They must
# not run while the guest suite of the same tree runs: an installed op25b
# is what modprobe and the genl family autoload find.
#
# Exit status 0 iff no test failed.  Logs in build/deploy/.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
# shellcheck source-path=SCRIPTDIR source=../harness/common.sh
. "$ROOT/tests/harness/common.sh"
cd "$ROOT" || exit 1
# The README's commands run as a user types them, in a user's environment:
# CI=true would make "make" and "make install" take the W=1 -Werror build
# (build/w1/KVER) instead of build/KVER, which is what a user gets and
# what these tests compare the installed module with.
unset CI WERROR

LOGS=$ROOT/build/deploy
mkdir -p "$LOGS"
# One run at a time per host: runs share /usr/src, the DKMS tree and the
# package database (runs from other trees too), and build/deploy/ (runs
# from this tree).
if command -v flock >/dev/null && exec 9>/run/lock/op25b-deploy.lock 2>/dev/null; then
	if ! flock -n 9; then
		echo "# waiting for another tests/deploy/run.sh on this host"
		flock -w 1800 9 || echo "# could not lock /run/lock/op25b-deploy.lock; going on"
	fi
fi
# what this script has installed on the host, kept outside the tree: a run
# from any clone removes what an interrupted run from another one left
# (else the guest suites of every tree would find it, and these parts
# would refuse to run beside it)
STATE=${OP25B_DEPLOY_STATE:-/var/lib/op25b-tests/deploy-host-state}
mkdir -p "${STATE%/*}" 2>/dev/null
PARTS=${OP25B_DEPLOY_PARTS:-install unit man completion config hostinstall dkms deb}
VERSION=$(sed -n 's/^#define[[:space:]]*OP25BCTL_VERSION[[:space:]]*"\(.*\)"/\1/p' tools/op25bctl/op25bctl.h)

N=0 FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }
diag() { sed 's/^/#   /'; }
# check DESC CMD...: ok when CMD succeeds; else not ok and its output's end
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; printf '%s\n' "$out" | tail -n 20 | diag; fi
}
# run_logged LOG CMD...: CMD's output to LOG; its status
run_logged() { local log=$1; shift; "$@" >"$log" 2>&1; }
want() { [[ " $PARTS " == *" $1 "* ]]; }
# readme_block NAME [N[-M]]: the README's deploy block NAME (or its Nth to
# Mth command), verbatim, each command echoed; the environment (KVER,
# DKMS_KVERS, DEBIAN_FRONTEND) is what the README lets a user set
readme_block() {
	local s
	s=$(python3 tests/readme/readme.py README.md script deploy "$@") || return 2
	bash -c "$s" </dev/null
}
T_PART=0
part() { T_PART=$(date +%s); echo "# --- $*"; }
took() { echo "# time: $1 $(($(date +%s) - T_PART))s"; }

KVERS=()
for w in "${@:-6.1}"; do
	if k=$(resolve_kver "$w"); then KVERS+=("$k"); else not_ok "kernel $w is installed (tests/harness/deps.sh --all)"; fi
done
K1=${KVERS[0]:-}
echo "# op25b $VERSION, kernels: ${KVERS[*]:-none}, parts: $PARTS"

# --- install: make install/uninstall into a DESTDIR ---------------------------------
# expected_tree PREFIX KVER: "MODE PATH" of every file and directory
expected_tree() {
	local p=${1#/} k=$2 unitdir
	if [ "$1" = /usr ]; then unitdir=lib/systemd/system; else unitdir=$p/lib/systemd/system; fi
	{
		printf 'drwxr-xr-x %s\n' etc etc/modprobe.d etc/op25b etc/ppp etc/ppp/ip-up.d etc/ppp/ip-down.d \
			lib lib/modules "lib/modules/$k" \
			"lib/modules/$k/updates" usr "$p/sbin" "$p/share" "$p/share/bash-completion" \
			"$p/share/bash-completion/completions" "$p/share/man" "$p/share/man/man4" \
			"$p/share/man/man5" "$p/share/man/man8" "$unitdir" "$p/share/doc" "$p/share/doc/op25bctl" \
			"$p/share/doc/op25bctl/examples"
		if [ "$p" = usr ]; then
			printf 'drwxr-xr-x %s\n' lib/systemd
		else
			printf 'drwxr-xr-x %s\n' "$p" "$p/lib" "$p/lib/systemd"
		fi
		printf -- '-rw-r--r-- %s\n' etc/modprobe.d/op25b.conf "lib/modules/$k/updates/op25b.ko" \
			"$unitdir/op25b.service" "$p/share/bash-completion/completions/op25bctl" \
			"$p/share/man/man4/op25b.4" "$p/share/man/man5/op25b.conf.5" "$p/share/man/man8/op25bctl.8" \
			"$unitdir/op25b-agent.service" "$p/share/man/man8/op25b-agent.8" \
			"$unitdir/op25b-metrics.service" "$unitdir/op25b-metrics.timer" "$p/share/man/man8/op25b-metrics.8" \
			"$p/share/man/man8/op25b-ppp.8"
		printf -- '-rw-r----- %s\n' etc/op25b/op25b.conf etc/op25b/agent.conf etc/op25b/metrics.conf \
			etc/op25b/ulogd-op25b.conf etc/op25b/exempt-users
		printf -- '-rwxr-xr-x %s\n' "$p/sbin/op25bctl" "$p/sbin/op25b-agent" "$p/sbin/op25b-metrics" \
			"$p/share/doc/op25bctl/examples/op25b-alerts-syslog" etc/ppp/ip-up.d/op25b etc/ppp/ip-down.d/op25b
	} | sort -k2 -u
}
tree_of() { (cd "$1" && find . -mindepth 1 -printf '%M %P\n') | sort -k2; }
# unit_execs UNIT WHAT WANT: UNIT's Exec lines are WANT
unit_execs() {
	local got
	got=$(grep -E '^Exec' "$1" 2>/dev/null)
	if [ "$got" = "$3" ]; then
		ok "$2"
	else
		not_ok "$2"
		printf '%s\n' "$got" | diag
	fi
}

D=$LOGS/destdir
if want install && [ -n "$K1" ]; then
	part "install: make install DESTDIR=... (KVER $K1)"
	# as check-run built the module (build/KVER, plain): no rebuild; the
	# first install runs the module and tool builds, later ones skip them
	# (-o: kbuild takes seconds even when there is nothing to do)
	MK=(make --no-print-directory KVER="$K1")
	for prefix in /usr /usr/local; do
		rm -rf "$D"
		if run_logged "$LOGS/install${prefix//\//-}.log" "${MK[@]}" install DESTDIR="$D" PREFIX="$prefix"; then
			ok "make install DESTDIR PREFIX=$prefix"
		else
			not_ok "make install DESTDIR PREFIX=$prefix (log $LOGS/install${prefix//\//-}.log)"
			tail -n 20 "$LOGS/install${prefix//\//-}.log" | diag
			continue
		fi
		MK=(make --no-print-directory KVER="$K1" -o module -o tool)
		if diff -u <(expected_tree "$prefix" "$K1") <(tree_of "$D") >"$LOGS/tree.diff"; then
			ok "PREFIX=$prefix: exactly the expected files, directories and modes"
		else
			not_ok "PREFIX=$prefix: exactly the expected files, directories and modes"
			diag <"$LOGS/tree.diff"
		fi
		p=${prefix#/}
		[ "$prefix" = /usr ] && unit=$D/lib/systemd/system/op25b.service || unit=$D/$p/lib/systemd/system/op25b.service
		ud=${unit#"$D"/}
		ud=${ud%/*}
		same=1
		for pair in "tools/op25bctl/op25bctl:$p/sbin/op25bctl" "man/op25bctl.8:$p/share/man/man8/op25bctl.8" \
			"man/op25b.conf.5:$p/share/man/man5/op25b.conf.5" "man/op25b.4:$p/share/man/man4/op25b.4" \
			"tools/completion/op25bctl:$p/share/bash-completion/completions/op25bctl" \
			"packaging/op25b.conf:etc/op25b/op25b.conf" "packaging/modprobe.d-op25b.conf:etc/modprobe.d/op25b.conf" \
			"tools/op25b-agent/op25b-agent:$p/sbin/op25b-agent" "man/op25b-agent.8:$p/share/man/man8/op25b-agent.8" \
			"packaging/agent.conf:etc/op25b/agent.conf" \
			"tools/op25b-metrics/op25b-metrics:$p/sbin/op25b-metrics" "man/op25b-metrics.8:$p/share/man/man8/op25b-metrics.8" \
			"packaging/op25b-metrics.timer:$ud/op25b-metrics.timer" "packaging/metrics.conf:etc/op25b/metrics.conf" \
			"packaging/ulogd-op25b.conf:etc/op25b/ulogd-op25b.conf" \
			"tools/examples/op25b-alerts-syslog:$p/share/doc/op25bctl/examples/op25b-alerts-syslog" \
			"tools/ppp/op25b-ppp:etc/ppp/ip-up.d/op25b" "tools/ppp/op25b-ppp:etc/ppp/ip-down.d/op25b" \
			"man/op25b-ppp.8:$p/share/man/man8/op25b-ppp.8" "packaging/exempt-users:etc/op25b/exempt-users" \
			"build/$K1/op25b.ko:lib/modules/$K1/updates/op25b.ko"; do
			cmp -s "${pair%%:*}" "$D/${pair#*:}" || { same=0; echo "# differs: ${pair#*:}"; }
		done
		[ "$same" = 1 ] && ok "PREFIX=$prefix: the installed files are the tree's" || not_ok "PREFIX=$prefix: the installed files are the tree's"
		unit_execs "$unit" "PREFIX=$prefix: the unit runs $prefix/sbin/op25bctl" "ExecStart=/sbin/modprobe op25b
ExecStart=$prefix/sbin/op25bctl load /etc/op25b/op25b.conf
ExecReload=$prefix/sbin/op25bctl load /etc/op25b/op25b.conf"
		unit_execs "${unit%/*}/op25b-agent.service" "PREFIX=$prefix: op25b-agent.service runs $prefix/sbin/op25b-agent" \
			"ExecStart=$prefix/sbin/op25b-agent -c /etc/op25b/agent.conf run"
		unit_execs "${unit%/*}/op25b-metrics.service" "PREFIX=$prefix: op25b-metrics.service runs $prefix/sbin/op25b-metrics" \
			"ExecStart=$prefix/sbin/op25b-metrics -c /etc/op25b/metrics.conf"
		run_logged "$LOGS/uninstall.log" "${MK[@]}" uninstall DESTDIR="$D" PREFIX="$prefix"
		left=$(find "$D" -mindepth 1 | sed "s|^$D/||")
		if [ -z "$left" ]; then
			ok "PREFIX=$prefix: make uninstall leaves DESTDIR empty"
		else
			not_ok "PREFIX=$prefix: make uninstall leaves DESTDIR empty"
			printf '%s\n' "$left" | diag
		fi
	done

	# changed configuration files survive install and uninstall
	rm -rf "$D"
	"${MK[@]}" install DESTDIR="$D" >/dev/null 2>&1
	echo "# changed by the test" >>"$D/etc/op25b/op25b.conf"
	echo "options op25b mode=monitor" >>"$D/etc/modprobe.d/op25b.conf"
	cp "$D/etc/op25b/op25b.conf" "$LOGS/conf.changed"
	cp "$D/etc/modprobe.d/op25b.conf" "$LOGS/modprobe.changed"
	out=$("${MK[@]}" install DESTDIR="$D" 2>&1)
	if cmp -s "$LOGS/conf.changed" "$D/etc/op25b/op25b.conf" && cmp -s "$LOGS/modprobe.changed" "$D/etc/modprobe.d/op25b.conf" &&
		[[ $out == *"keeping $D/etc/op25b/op25b.conf"* ]]; then
		ok "make install keeps existing op25b.conf and modprobe.d/op25b.conf"
	else
		not_ok "make install keeps existing op25b.conf and modprobe.d/op25b.conf"
	fi
	"${MK[@]}" uninstall DESTDIR="$D" >/dev/null 2>&1
	left=$(tree_of "$D" | awk '{ print $2 }' | tr '\n' ' ')
	if [ "$left" = "etc etc/modprobe.d etc/modprobe.d/op25b.conf etc/op25b etc/op25b/op25b.conf " ]; then
		ok "make uninstall keeps changed configuration files, and only them"
	else
		not_ok "make uninstall keeps changed configuration files, and only them (left: $left)"
	fi
	rm -rf "$D"
	took install
fi

# --- unit: systemd-analyze verify ---------------------------------------------------------
if want unit; then
	part "unit: systemd-analyze verify"
	rm -rf "$D"
	if make --no-print-directory tool agent "$ROOT/build/op25b.service" >/dev/null 2>&1 &&
		make --no-print-directory install-tool install-agent DESTDIR="$D" >"$LOGS/install-tool.log" 2>&1; then
		# paths into DESTDIR (verify checks that the commands exist), the
		# man pages (Documentation=) found through MANPATH
		sed "s|=/usr/sbin/op25bctl|=$D/usr/sbin/op25bctl|" "$D/lib/systemd/system/op25b.service" >"$LOGS/op25b.service"
		check "systemd-analyze verify op25b.service (from make install)" \
			env MANPATH="$D/usr/share/man" SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$LOGS/op25b.service"
		u=$D/lib/systemd/system/op25b.service
		missing=
		for l in 'Type=oneshot' 'RemainAfterExit=yes' 'Before=network-pre.target shutdown.target' \
			'Wants=network-pre.target' 'DefaultDependencies=no' 'WantedBy=sysinit.target'; do
			grep -qx "$l" "$u" || missing+=" '$l'"
		done
		[ -z "$missing" ] && ok "op25b.service: oneshot, RemainAfterExit, before network-pre.target" ||
			not_ok "op25b.service lacks$missing"
		sed "s|=/usr/sbin/op25b-agent|=$D/usr/sbin/op25b-agent|" "$D/lib/systemd/system/op25b-agent.service" \
			>"$LOGS/op25b-agent.service"
		check "systemd-analyze verify op25b-agent.service (from make install)" \
			env MANPATH="$D/usr/share/man" SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$LOGS/op25b-agent.service"
		u=$D/lib/systemd/system/op25b-agent.service
		missing=
		for l in 'Type=notify' 'Restart=always' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
			'CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN' 'WantedBy=multi-user.target'; do
			grep -qx "$l" "$u" || missing+=" '$l'"
		done
		[ -z "$missing" ] && ok "op25b-agent.service: notify, restarted, hardened" ||
			not_ok "op25b-agent.service lacks$missing"
		# the timer's service, with the timer beside it so that verify
		# checks the pair
		sed "s|=/usr/sbin/op25b-metrics|=$D/usr/sbin/op25b-metrics|" "$D/lib/systemd/system/op25b-metrics.service" \
			>"$LOGS/op25b-metrics.service"
		cp "$D/lib/systemd/system/op25b-metrics.timer" "$LOGS/"
		check "systemd-analyze verify op25b-metrics.timer and .service (from make install)" \
			env MANPATH="$D/usr/share/man" SYSTEMD_LOG_COLOR=0 systemd-analyze verify \
			"$LOGS/op25b-metrics.timer" "$LOGS/op25b-metrics.service"
		missing=
		for l in 'OnUnitActiveSec=15s' 'WantedBy=timers.target'; do
			grep -qx "$l" "$D/lib/systemd/system/op25b-metrics.timer" || missing+=" '$l'"
		done
		[ -z "$missing" ] && ok "op25b-metrics.timer: every 15 s, for timers.target" ||
			not_ok "op25b-metrics.timer lacks$missing"
	else
		not_ok "make install-tool DESTDIR (log $LOGS/install-tool.log)"
	fi
	rm -rf "$D"
	took unit
fi

# --- man: the pages render without warnings and document everything ---------------------------
if want man; then
	part "man: man --warnings"
	for m in man/*.[0-9]; do
		out=$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		if [ -z "$out" ]; then ok "$m renders without warnings"; else not_ok "$m renders without warnings"; printf '%s\n' "$out" | head -n 20 | diag; fi
	done
	text() { MANWIDTH=200 man -l "$1" 2>/dev/null | sed 's/.\x08//g'; }
	# every command: today's help, and the issue-4 grammar
	cmds=$(tools/op25bctl/op25bctl help 2>/dev/null | sed -n 's/^ *op25bctl \(\[[^]]*\] \)*//p' |
		awk '{ print $1 }' | tr -d '{}' | tr '|' '\n' | grep -E '^[a-z]' | sort -u)
	cmds="$cmds action scope set target top save load"
	missing=
	page=$(text man/op25bctl.8)
	for c in $cmds reset flush list add del --prometheus --check --json --version reject-rate log privacy; do
		grep -qE -- "(^|[^a-z-])$c([^a-z-]|\$)" <<<"$page" || missing+=" $c"
	done
	[ -z "$missing" ] && ok "op25bctl(8) documents every command ($(wc -w <<<"$cmds") from help and issue 4)" ||
		not_ok "op25bctl(8) documents every command: missing$missing"
	grep -q '^EXIT STATUS' <<<"$page" && grep -q '^EXAMPLES' <<<"$page" && ok "op25bctl(8) has EXIT STATUS and EXAMPLES" ||
		not_ok "op25bctl(8) has EXIT STATUS and EXAMPLES"
	page=$(text man/op25b.4)
	ko=build/$K1/op25b.ko
	if [ -n "$K1" ] && [ -f "$ko" ]; then
		params=$(modinfo -F parm "$ko" | cut -d: -f1 | sort -u)
		missing=
		for p in $params; do grep -qE "(^| )$p=" <<<"$page" || missing+=" $p"; done
		[ -z "$missing" ] && ok "op25b(4) documents every module parameter ($(tr '\n' ' ' <<<"$params"))" ||
			not_ok "op25b(4) documents every module parameter: missing$missing"
	else
		skip "op25b(4) documents every module parameter" "no build/$K1/op25b.ko"
	fi
	counters=$(sed -n '/op25b_counter_names/,/^};/s/.*= *"\([a-z_0-9]*\)".*/\1/p' src/op25b_names.c)
	missing=
	for c in $counters /proc/net/op25b/stats /proc/net/op25b/status; do grep -qE -- "(^| )$c( |\$|,|;)" <<<"$page" || missing+=" $c"; done
	[ -z "$missing" ] && ok "op25b(4) documents every counter and the /proc files" ||
		not_ok "op25b(4) documents every counter and the /proc files: missing$missing"
	# op25b-agent(8): every command and option of its usage, every key of
	# the example configuration
	page=$(text man/op25b-agent.8)
	words=$(tools/op25b-agent/op25b-agent --help 2>/dev/null | grep -oE '(^|[ [])(-[a-zA-Z-]+|[a-z][a-z-]+)' |
		tr -d ' [' | grep -vxE 'usage|op25b-agent|the|a|an|of|or|and|to|from|it|if|one|every|read|write|say|what|is|be|validate|then|unless|changed|gateway|gateways|fleet|configuration|file|wrong|status|sha256|age|alive|revision|daemon|apply|etcd|default|error|usage|exit|ok|publish' | sort -u)
	keys=$(sed -n 's/^#\{0,1\}\([a-z0-9_]*\) = .*/\1/p' packaging/agent.conf | sort -u)
	missing=
	for w in run publish status check-config --force --revision --gateway -j --version $words $keys; do
		grep -qE -- "(^|[^a-z_-])$w([^a-z_-]|\$)" <<<"$page" || missing+=" $w"
	done
	[ -z "$missing" ] && ok "op25b-agent(8) documents every command, option and key ($(wc -w <<<"$keys") keys)" ||
		not_ok "op25b-agent(8) documents every command, option and key: missing$missing"
	page=$(text man/op25b.conf.5)
	missing=
	for k in mode action scope reject-rate log subscriber allow exempt target comment; do
		grep -qE "(^| )$k( |\$)" <<<"$page" || missing+=" $k"
	done
	[ -z "$missing" ] && ok "op25b.conf(5) documents every keyword" || not_ok "op25b.conf(5) documents every keyword: missing$missing"
	took man
fi

# --- completion ---------------------------------------------------------------------------
if want completion; then
	part "completion: bash"
	# complete_cases [bash-completion]: "LINE => sorted candidates" per case
	cat >"$LOGS/completion.bash" <<'EOF'
[ "${1-}" = bash-completion ] && . /usr/share/bash-completion/bash_completion
. tools/completion/op25bctl
complete -p op25bctl
comp() { # comp LINE: complete at the end of LINE, as readline would
	COMP_LINE=$1 COMP_POINT=${#1} COMP_TYPE=9 COMP_KEY=9
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=('')
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_op25bctl op25bctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s => %s\n' "$1" "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
}
comp 'op25bctl sub'
comp 'op25bctl '
comp 'op25bctl -j s'
comp 'op25bctl target '
comp 'op25bctl subscriber add 10.0.0.0/8 '
comp 'op25bctl allow add 2001:db8::25 comment relay '
comp 'op25bctl exempt del '
comp 'op25bctl mode '
comp 'op25bctl action '
comp 'op25bctl scope '
comp 'op25bctl set '
comp 'op25bctl set reject-rate 100/s '
comp 'op25bctl set log on '
comp 'op25bctl set log privacy '
comp 'op25bctl set log group '
comp 'op25bctl set alert 20 '
comp 'op25bctl monitor '
comp 'op25bctl stats '
comp 'op25bctl top '
comp 'op25bctl load -'
comp 'op25bctl load tools/completion/o'
comp 'op25bctl load --check tools/completion/o'
comp 'op25bctl stats --prometheus tools/completion/o'
comp 'op25bctl stats --prometheus op25b.prom '
comp 'op25bctl subscriber add -f tools/completion/o'
comp 'op25bctl check 10.0.0.1 192.0.2.1 '
comp 'op25bctl check 10.0.0.1 192.0.2.1 iif l'
EOF
	cat >"$LOGS/completion.expected" <<'EOF'
complete -F _op25bctl op25bctl
op25bctl sub => subscriber
op25bctl  => --help --json --version -h -j action allow check exempt help load mode monitor save scope set stats status subscriber target top
op25bctl -j s => save scope set stats status subscriber
op25bctl target  => add del flush help list
op25bctl subscriber add 10.0.0.0/8  => -f comment expires iif timeout
op25bctl allow add 2001:db8::25 comment relay  => -f
op25bctl exempt del  => -f
op25bctl mode  => enforce monitor off
op25bctl action  => drop reject-icmp reject-tcp
op25bctl scope  => all targets
op25bctl set  => alert log reject-rate
op25bctl set reject-rate 100/s  => burst
op25bctl set log on  => burst group prefix privacy rate snaplen
op25bctl set log privacy  => off on
op25bctl set log group  => off
op25bctl set alert 20  => per
op25bctl monitor  => alerts all config help
op25bctl stats  => --prometheus help reset
op25bctl top  => help reset
op25bctl load - => - --check
op25bctl load tools/completion/o => tools/completion/op25bctl
op25bctl load --check tools/completion/o => tools/completion/op25bctl
op25bctl stats --prometheus tools/completion/o => tools/completion/op25bctl
op25bctl stats --prometheus op25b.prom  => label
op25bctl subscriber add -f tools/completion/o => tools/completion/op25bctl
op25bctl check 10.0.0.1 192.0.2.1  => iif
op25bctl check 10.0.0.1 192.0.2.1 iif l => lo
EOF
	for mode in bash-completion plain; do
		out=$(LC_ALL=C bash --norc --noprofile "$LOGS/completion.bash" "$mode" 2>"$LOGS/completion.$mode.err")
		if [ "$out" = "$(cat "$LOGS/completion.expected")" ] && [ ! -s "$LOGS/completion.$mode.err" ]; then
			ok "bash completion ($mode): $(grep -c '=>' "$LOGS/completion.expected") cases, e.g. 'op25bctl sub<TAB>' => subscriber"
		else
			not_ok "bash completion ($mode)"
			{ diff <(cat "$LOGS/completion.expected") <(printf '%s\n' "$out"); cat "$LOGS/completion.$mode.err"; } | diag
		fi
	done
	took completion
fi

# --- config: the example file is valid --------------------------------------------------------
if want config; then
	part "config: the example op25b.conf"
	check "op25bctl load --check packaging/op25b.conf" tools/op25bctl/op25bctl load --check packaging/op25b.conf
	printf 'mode enforce\nbogus word\n' >"$LOGS/broken.conf"
	out=$(tools/op25bctl/op25bctl load --check "$LOGS/broken.conf" 2>&1)
	rc=$?
	[ "$rc" = 2 ] && [[ $out == *"$LOGS/broken.conf:2:"* ]] && ok "load --check of a broken file: exit 2, FILE:LINE" ||
		{ not_ok "load --check of a broken file: exit 2, FILE:LINE (exit $rc)"; printf '%s\n' "$out" | diag; }
	# the agent's example: names no endpoint (the unit does not start
	# as installed), and is valid once its keys are uncommented
	out=$(tools/op25b-agent/op25b-agent -c packaging/agent.conf check-config 2>&1)
	rc=$?
	[ "$rc" = 2 ] && [ "$out" = "op25b-agent: packaging/agent.conf: no endpoints" ] &&
		ok "op25b-agent check-config packaging/agent.conf: no endpoints (exit 2)" ||
		{ not_ok "op25b-agent check-config packaging/agent.conf: no endpoints (exit $rc)"; printf '%s\n' "$out" | diag; }
	sed 's/^#\([a-z0-9_]* = \)/\1/' packaging/agent.conf >"$LOGS/agent.conf"
	check "the example agent.conf, uncommented, passes check-config" \
		tools/op25b-agent/op25b-agent -c "$LOGS/agent.conf" check-config
	av=$(sed -n 's/^#define[[:space:]]*AGENT_VERSION[[:space:]]*"\(.*\)"/\1/p' tools/op25b-agent/agent.h)
	[ "$VERSION" = "$av" ] && ok "op25b-agent's version is $VERSION" || not_ok "op25b-agent's version: '$av', not '$VERSION'"
	# the single version: op25bctl.h, dkms.conf, debian/changelog
	dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	cv=$(dpkg-parsechangelog -S Version 2>/dev/null)
	[ "$VERSION" = "$dv" ] && [ "$VERSION" = "$cv" ] && ok "version $VERSION in op25bctl.h, dkms.conf and debian/changelog" ||
		not_ok "one version: op25bctl.h '$VERSION', dkms.conf '$dv', debian/changelog '$cv'"
	took config
fi

# --- host changes: dkms and deb ----------------------------------------------------------------
dkms_status() { dkms status op25b 2>/dev/null; }
# cleanup_host: undo what $STATE says this script installed
cleanup_host() {
	[ -f "$STATE" ] || return 0
	case $(cat "$STATE") in
	deb) apt-get purge -y -q op25b-dkms op25bctl op25b-agent >"$LOGS/purge.log" 2>&1 ;;
	dkms) readme_block dkms 2 >"$LOGS/dkms-uninstall.log" 2>&1 ;;
	install:*) KVER=$(cut -d: -f2 "$STATE") readme_block install 3 >"$LOGS/uninstall-host.log" 2>&1 ;;
	esac
	local rc=$?
	[ "$rc" = 0 ] && rm -f "$STATE"
	return "$rc"
}
trap 'cleanup_host; exit 130' INT TERM
trap 'cleanup_host' EXIT
HOST_OK=1 HOST_WHY=
if want hostinstall || want dkms || want deb; then
	if [ -f "$STATE" ]; then
		echo "# removing what an interrupted run left installed ($(cat "$STATE"))"
		cleanup_host || echo "# cleanup failed, see $LOGS/"
	fi
	if [ "$(id -u)" != 0 ]; then
		HOST_OK=0 HOST_WHY="needs root"
	elif ! command -v dkms >/dev/null; then
		HOST_OK=0 HOST_WHY="dkms missing (tests/harness/deps.sh)"
	elif [ -n "$(dkms_status)" ] || dpkg-query -W -f='${db:Status-Abbrev}\n' op25b-dkms op25bctl op25b-agent 2>/dev/null | grep -q '^[ih]' ||
		compgen -G '/usr/src/op25b-*' >/dev/null || compgen -G '/lib/modules/*/updates/op25b.ko*' >/dev/null ||
		compgen -G '/lib/modules/*/updates/dkms/op25b.ko*' >/dev/null; then
		HOST_OK=0 HOST_WHY="op25b is installed on this host by something else; not touching it"
	elif [ ${#KVERS[@]} = 0 ]; then
		HOST_OK=0 HOST_WHY="no kernel"
	fi
fi

# guests ORIGIN: boot every kernel in parallel (one vCPU each) with
# tests/deploy/guest-check.sh ORIGIN; its TAP lines, tagged with the kernel
guests() {
	local origin=$1 k pids=() out i=0 rc line
	local GUEST_KVERS=("${@:2}")
	[ ${#GUEST_KVERS[@]} -gt 0 ] || GUEST_KVERS=("${KVERS[@]}")
	for k in "${GUEST_KVERS[@]}"; do
		out=$LOGS/guest-$origin-$k
		bash tests/harness/boot.sh --quiet --smp 1 --kver "$k" --out "$out" --timeout "${OP25B_BOOT_TIMEOUT:-600}" \
			-- tests/deploy/guest-check.sh "$origin" >"$out.boot.log" 2>&1 &
		pids+=($!)
	done
	for k in "${GUEST_KVERS[@]}"; do
		out=$LOGS/guest-$origin-$k
		wait "${pids[i]}"
		rc=$?
		i=$((i + 1))
		while IFS= read -r line; do
			case $line in
			"not ok "*) not_ok "[$k] ${line#not ok * - }" ;;
			"ok "*" # SKIP "*)
				line=${line#ok * - }
				skip "[$k] ${line%% # SKIP *}" "${line#* # SKIP }"
				;;
			"ok "*) ok "[$k] ${line#ok * - }" ;;
			"#"*) echo "$line" ;;
			esac
		done <"$out/tap.txt"
		case $rc in
		0) ok "[$k] guest ($origin) finished cleanly" ;;
		125 | 126) not_ok "[$k] guest ($origin): $(cat "$out/reason.txt" 2>/dev/null) (logs $out/)"; tail -n 20 "$out.boot.log" | diag ;;
		*) [ -s "$out/tap.txt" ] || { not_ok "[$k] guest ($origin) exited $rc without results (logs $out/)"; tail -n 20 "$out.boot.log" | diag; } ;;
		esac
	done
}
# save_make_log LOG: after a failed DKMS build, append its make.log (the
# cleanup removes the DKMS tree)
save_make_log() {
	local f
	for f in /var/lib/dkms/op25b/"$VERSION"/build/make.log /var/lib/dkms/op25b/"$VERSION"/*/*/log/make.log; do
		[ -f "$f" ] || continue
		{ echo "--- $f"; cat "$f"; } >>"$1"
	done
}
# dkms_installed_for_all: every kernel of KVERS has op25b installed by DKMS
dkms_installed_for_all() {
	local k st bad=0
	for k in "${KVERS[@]}"; do
		st=$(dkms status "op25b/$VERSION" -k "$k" 2>/dev/null)
		if [[ $st == *": installed"* ]] && ls "/lib/modules/$k/updates/dkms/op25b.ko"* >/dev/null 2>&1; then
			ok "dkms: op25b/$VERSION installed for $k"
		else
			not_ok "dkms: op25b/$VERSION installed for $k (status: ${st:-none})"
			bad=1
		fi
	done
	return "$bad"
}

if want hostinstall; then
	part "hostinstall: the README's make install on this host ($K1), modprobe in a guest, make uninstall"
	if [ "$HOST_OK" = 0 ]; then
		skip "make install on the host and guest modprobe" "$HOST_WHY"
	else
		echo "install:$K1" >"$STATE"
		t0=$(date +%s)
		if KVER=$K1 run_logged "$LOGS/install-host.log" readme_block install 1-2; then
			ok "README's make; make install (KVER=$K1, $(($(date +%s) - t0))s)"
			missing=
			for f in "/lib/modules/$K1/updates/op25b.ko" /usr/sbin/op25bctl /lib/systemd/system/op25b.service \
				/etc/op25b/op25b.conf /etc/modprobe.d/op25b.conf /usr/share/man/man8/op25bctl.8 \
				/usr/sbin/op25b-agent /lib/systemd/system/op25b-agent.service /etc/op25b/agent.conf \
				/usr/share/man/man8/op25b-agent.8; do
				[ -e "$f" ] || missing+=" $f"
			done
			[ -z "$missing" ] && ok "make install put the module, op25bctl, op25b-agent, the units, the examples and the man pages in place" ||
				not_ok "make install put everything in place: missing$missing"
			grep -q "^updates/op25b.ko:" "/lib/modules/$K1/modules.dep" && ok "make install ran depmod: updates/op25b.ko in modules.dep" ||
				not_ok "make install ran depmod: updates/op25b.ko in modules.dep"
			t0=$(date +%s)
			guests install "$K1"
			echo "# time: install guest $(($(date +%s) - t0))s"
		else
			not_ok "README's make; make install (log $LOGS/install-host.log)"
			tail -n 25 "$LOGS/install-host.log" | diag
		fi
		if cleanup_host; then
			left=$(ls -d "/lib/modules/$K1/updates/op25b.ko" /usr/sbin/op25bctl /lib/systemd/system/op25b.service \
				/etc/op25b /etc/modprobe.d/op25b.conf /usr/share/man/man8/op25bctl.8 /usr/sbin/op25b-agent \
				/lib/systemd/system/op25b-agent.service /usr/share/man/man8/op25b-agent.8 2>/dev/null)
			grep -q "op25b" "/lib/modules/$K1/modules.dep" && left+=" (modules.dep still names op25b)"
			[ -z "$left" ] && ok "README's make uninstall removes it all, depmod included" ||
				{ not_ok "README's make uninstall removes it all"; printf '%s\n' "$left" | diag; }
		else
			not_ok "README's make uninstall (log $LOGS/uninstall-host.log)"
			tail -n 25 "$LOGS/uninstall-host.log" | diag
		fi
	fi
	took hostinstall
fi

if want dkms; then
	part "dkms: make dkms-install, modprobe in a guest per kernel, make dkms-uninstall"
	if [ "$HOST_OK" = 0 ]; then
		skip "dkms install and guest modprobe" "$HOST_WHY"
	else
		echo dkms >"$STATE"
		t0=$(date +%s)
		if DKMS_KVERS="${KVERS[*]}" run_logged "$LOGS/dkms-install.log" readme_block dkms 1; then
			ok "README's make dkms-install, DKMS_KVERS='${KVERS[*]}' ($(($(date +%s) - t0))s)"
			dkms_installed_for_all
			# AUTOINSTALL: take $K1 back to what a newly installed kernel
			# looks like to DKMS (module added, nothing built), then run
			# the hook a kernel package runs; the guest then checks that build
			t0=$(date +%s)
			dkms uninstall "op25b/$VERSION" -k "$K1" >"$LOGS/dkms-hook.log" 2>&1
			rm -rf "/var/lib/dkms/op25b/$VERSION/$K1"
			/etc/kernel/postinst.d/dkms "$K1" >>"$LOGS/dkms-hook.log" 2>&1
			if [[ $(dkms status "op25b/$VERSION" -k "$K1" 2>/dev/null) == *": installed"* ]]; then
				ok "the kernel postinst hook rebuilds and installs op25b for $K1 (AUTOINSTALL, $(($(date +%s) - t0))s)"
			else
				not_ok "the kernel postinst hook rebuilds and installs op25b for $K1 (log $LOGS/dkms-hook.log)"
				save_make_log "$LOGS/dkms-hook.log"
				tail -n 25 "$LOGS/dkms-hook.log" | diag
			fi
			t0=$(date +%s)
			guests dkms
			echo "# time: dkms guests $(($(date +%s) - t0))s"
		else
			not_ok "make dkms-install (log $LOGS/dkms-install.log)"
			save_make_log "$LOGS/dkms-install.log"
			tail -n 25 "$LOGS/dkms-install.log" | diag
		fi
		if cleanup_host; then
			left=$(dkms_status; ls -d "/usr/src/op25b-$VERSION" /lib/modules/*/updates/dkms/op25b.ko* 2>/dev/null)
			[ -z "$left" ] && ok "make dkms-uninstall removes it all" || { not_ok "make dkms-uninstall removes it all"; printf '%s\n' "$left" | diag; }
		else
			not_ok "README's make dkms-uninstall (log $LOGS/dkms-uninstall.log)"
		fi
	fi
	took dkms
fi

if want deb; then
	part "deb: make deb, lintian, install, modprobe in guests, purge"
	t0=$(date +%s)
	if run_logged "$LOGS/deb.log" readme_block deb 1; then
		ok "README's make deb ($(($(date +%s) - t0))s)"
		DEB_DKMS=build/deb/op25b-dkms_${VERSION}_all.deb
		DEB_CTL=$(ls build/deb/op25bctl_"${VERSION}"_*.deb 2>/dev/null | head -n1)
		DEB_AGENT=$(ls build/deb/op25b-agent_"${VERSION}"_*.deb 2>/dev/null | head -n1)
		t0=$(date +%s)
		readme_block deb 2 >"$LOGS/lintian.txt" 2>&1
		lrc=$?
		grep -v 'running with root privileges' "$LOGS/lintian.txt" | diag
		nerr=$(grep -c '^E: ' "$LOGS/lintian.txt")
		nwarn=$(grep -c '^W: ' "$LOGS/lintian.txt")
		if [ "$nerr" = 0 ] && [ "$lrc" = 0 ]; then
			ok "README's lintian: no errors ($nwarn warnings, $(($(date +%s) - t0))s)"
		else
			not_ok "README's lintian: no errors ($nerr errors, exit $lrc)"
		fi
		# what each package ships
		contents() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $1, $6 }' | sort -k2; }
		exp_dkms=$( {
			printf -- '-rw-r--r-- ./etc/modprobe.d/op25b.conf\n'
			printf -- '-rw-r--r-- ./usr/share/doc/op25b-dkms/%s\n' changelog.gz copyright
			for f in dkms.conf Kbuild src/*.c src/*.h include/uapi/linux/op25b.h; do
				printf -- '-rw-r--r-- ./usr/src/op25b-%s/%s\n' "$VERSION" "$f"
			done
		} | sort -k2)
		exp_ctl=$(printf '%s\n' '-rw-r----- ./etc/op25b/op25b.conf' '-rw-r--r-- ./lib/systemd/system/op25b.service' \
			'-rwxr-xr-x ./usr/sbin/op25bctl' '-rw-r--r-- ./usr/share/bash-completion/completions/op25bctl' \
			'-rw-r--r-- ./usr/share/doc/op25bctl/changelog.gz' '-rw-r--r-- ./usr/share/doc/op25bctl/copyright' \
			'-rw-r--r-- ./usr/share/lintian/overrides/op25bctl' \
			'-rw-r--r-- ./usr/share/man/man4/op25b.4.gz' '-rw-r--r-- ./usr/share/man/man5/op25b.conf.5.gz' \
			'-rw-r--r-- ./usr/share/man/man8/op25bctl.8.gz' \
			'-rw-r----- ./etc/op25b/metrics.conf' '-rw-r----- ./etc/op25b/ulogd-op25b.conf' \
			'-rw-r--r-- ./lib/systemd/system/op25b-metrics.service' '-rw-r--r-- ./lib/systemd/system/op25b-metrics.timer' \
			'-rwxr-xr-x ./usr/sbin/op25b-metrics' '-rw-r--r-- ./usr/share/man/man8/op25b-metrics.8.gz' \
			'-rwxr-xr-x ./usr/share/doc/op25bctl/examples/op25b-alerts-syslog' \
			'-rwxr-xr-x ./etc/ppp/ip-up.d/op25b' '-rwxr-xr-x ./etc/ppp/ip-down.d/op25b' \
			'-rw-r--r-- ./usr/share/man/man8/op25b-ppp.8.gz' '-rw-r----- ./etc/op25b/exempt-users' | sort -k2)
		exp_agent=$(printf '%s\n' '-rw-r----- ./etc/op25b/agent.conf' '-rw-r--r-- ./lib/systemd/system/op25b-agent.service' \
			'-rwxr-xr-x ./usr/sbin/op25b-agent' \
			'-rw-r--r-- ./usr/share/doc/op25b-agent/changelog.gz' '-rw-r--r-- ./usr/share/doc/op25b-agent/copyright' \
			'-rw-r--r-- ./usr/share/lintian/overrides/op25b-agent' \
			'-rw-r--r-- ./usr/share/man/man8/op25b-agent.8.gz' | sort -k2)
		if diff -u <(echo "$exp_dkms") <(contents "$DEB_DKMS") >"$LOGS/deb-dkms.diff" &&
			diff -u <(echo "$exp_ctl") <(contents "$DEB_CTL") >"$LOGS/deb-ctl.diff" &&
			diff -u <(echo "$exp_agent") <(contents "$DEB_AGENT") >"$LOGS/deb-agent.diff"; then
			ok "the packages hold exactly the expected files"
		else
			not_ok "the packages hold exactly the expected files"
			cat "$LOGS/deb-dkms.diff" "$LOGS/deb-ctl.diff" "$LOGS/deb-agent.diff" 2>/dev/null | diag
		fi
		conf=$(dpkg-deb -f "$DEB_CTL" Depends)
		[[ $conf == *kmod* && $conf == *libnl-genl-3* ]] && ok "op25bctl depends on kmod and libnl ($conf)" || not_ok "op25bctl depends on kmod and libnl ($conf)"
		conf=$(dpkg-deb -f "$DEB_AGENT" Depends)
		[[ $conf == *op25bctl* && $conf == *libcurl* && $conf == *libjson-c* ]] &&
			ok "op25b-agent depends on op25bctl, libcurl and json-c ($conf)" ||
			not_ok "op25b-agent depends on op25bctl, libcurl and json-c ($conf)"
		if [ "$HOST_OK" = 0 ]; then
			skip "install the packages and modprobe in guests" "$HOST_WHY"
		else
			echo deb >"$STATE"
			t0=$(date +%s)
			if DEBIAN_FRONTEND=noninteractive run_logged "$LOGS/apt-install.log" readme_block deb 3; then
				ok "README's apt-get install ./op25b-dkms ./op25bctl ./op25b-agent ($(($(date +%s) - t0))s)"
				dkms_installed_for_all
				check "systemd-analyze verify op25b.service (installed)" \
					env SYSTEMD_LOG_COLOR=0 systemd-analyze verify /lib/systemd/system/op25b.service
				[ -L /etc/systemd/system/sysinit.target.wants/op25b.service ] &&
					ok "op25b.service is enabled (sysinit.target.wants)" || not_ok "op25b.service is enabled (sysinit.target.wants)"
				check "man finds the installed op25bctl(8), op25b.conf(5), op25b(4), op25b-agent(8)" \
					sh -c 'man -w op25bctl && man -w op25b.conf && man -w 4 op25b && man -w op25b-agent'
				check "systemd-analyze verify op25b-agent.service (installed)" \
					env SYSTEMD_LOG_COLOR=0 systemd-analyze verify /lib/systemd/system/op25b-agent.service
				[ ! -e /etc/systemd/system/multi-user.target.wants/op25b-agent.service ] &&
					ok "op25b-agent.service is not enabled" || not_ok "op25b-agent.service is not enabled"
				check "the installed op25b-agent runs (--version)" /usr/sbin/op25b-agent --version
				[ ! -e /etc/systemd/system/timers.target.wants/op25b-metrics.timer ] &&
					ok "op25b-metrics.timer is not enabled" || not_ok "op25b-metrics.timer is not enabled"
				check "systemd-analyze verify op25b-metrics.timer (installed)" \
					env SYSTEMD_LOG_COLOR=0 systemd-analyze verify /lib/systemd/system/op25b-metrics.timer
				t0=$(date +%s)
				guests deb
				echo "# time: deb guests $(($(date +%s) - t0))s"
			else
				not_ok "apt-get install of the packages (log $LOGS/apt-install.log)"
				save_make_log "$LOGS/apt-install.log"
				tail -n 25 "$LOGS/apt-install.log" | diag
			fi
			t0=$(date +%s)
			if cleanup_host; then
				left=$(dkms_status; ls -d "/usr/src/op25b-$VERSION" /lib/modules/*/updates/dkms/op25b.ko* /etc/op25b \
					/etc/modprobe.d/op25b.conf /lib/systemd/system/op25b.service /usr/sbin/op25bctl \
					/usr/sbin/op25b-agent /lib/systemd/system/op25b-agent.service /usr/sbin/op25b-metrics \
					/lib/systemd/system/op25b-metrics.timer /etc/ppp/ip-up.d/op25b /etc/ppp/ip-down.d/op25b \
					/etc/systemd/system/sysinit.target.wants/op25b.service 2>/dev/null)
				[ -z "$left" ] && ok "apt-get purge removes it all ($(($(date +%s) - t0))s)" ||
					{ not_ok "apt-get purge removes it all"; printf '%s\n' "$left" | diag; }
			else
				not_ok "apt-get purge (log $LOGS/purge.log)"
			fi
		fi
	else
		not_ok "make deb (log $LOGS/deb.log)"
		tail -n 25 "$LOGS/deb.log" | diag
	fi
	took deb
fi

echo "1..$N"
[ "$FAILED" = 0 ]

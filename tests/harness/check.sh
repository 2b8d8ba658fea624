#!/usr/bin/env bash
# check.sh [KVER|SERIES...] — the body of "make check" / "make check-all".
#
#  1. host unit tests: every executable build/host/test_* (built by the
#     Makefile beforehand), each printing TAP ("ok N - ..." / "not ok N - ...")
#  2. the harness self-test (tests/harness/selftest.sh, on the first kernel),
#     then "make demo" itself when 6.1 is among the kernels (its output checked)
#  3. for each kernel (default 6.1): boot it in QEMU, in as many guests as
#     OP25B_GUESTS says, and run guest-suite.sh on the scenario directory,
#     each scenario in one of them; results are printed as
#     "PASS [KVER] NAME", "FAIL [KVER] NAME (...)", "SKIP [KVER] NAME (...)"
#  4. deployment (tests/deploy/run.sh on the same kernels, TAP): make
#     install/uninstall, the unit, man pages, completion, DKMS and the
#     Debian packages installed on this host (and removed again), with
#     "modprobe op25b" checked in a guest per kernel
# The last line is "N passed, N failed" (", N skipped" when there are any).
# Exit status 0 iff nothing failed.  Logs: build/check/ (OP25B_CHECK_LOGS).
#
# Environment:
#   OP25B_ONLY          name prefixes ("21 40-"): run only those scenarios
#   OP25B_LEAVE_OUT     MARK: leave out the scenarios marked "# op25b: MARK"
#   OP25B_ONCE_KERNEL   where the scenarios marked "# op25b: once" run: a
#                       series or KVER (default: the first kernel), or none
#   OP25B_SCENARIO_DIR  scenario directory (default tests/scenarios); relative
#                       to the repository, or absolute outside /tmp
#   OP25B_BOOT_TIMEOUT  seconds for a whole guest run (default 2400: the
#                       suite takes 7-12 min under TCG, more on a busy machine)
#   OP25B_SCENARIO_TIMEOUT  seconds per scenario (default 300, in the guest)
#   OP25B_FUZZ_*, OP25B_CHURN_*, OP25B_NETNS_*, OP25B_LIFE_*, OP25B_FI_*
#                       scenario knobs (60, 70, 71, 72), passed to the guest
#   OP25B_GUEST_MEM, OP25B_GUEST_SMP  guest memory (MB) and CPUs (boot.sh)
#   OP25B_GUEST_SMP_REST  CPUs of the guests after the first (default: as
#                       the first); scenarios marked "# op25b: smp" run in
#                       a guest with 2 or more
#   OP25B_GUESTS        guests per kernel sharing its scenarios (default: the
#                       number of CPUs, at most 4)
#   OP25B_CHECK_LOGS    log directory (default build/check; make check-debug:
#                       build/check-debug), relative to the repository
#   OP25B_SKIP_UNIT=1, OP25B_SKIP_SELFTEST=1, OP25B_SKIP_DEMO=1, OP25B_SKIP_GUEST=1,
#   OP25B_SKIP_DEPLOY=1  skip a part (OP25B_DEPLOY_PARTS: see tests/deploy/run.sh)
#   OP25B_VERBOSE=1     print every host TAP line, not only the failures
set -uo pipefail

HARNESS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HARNESS/../.." && pwd -P)
# shellcheck source=common.sh
. "$HARNESS/common.sh"
cd "$ROOT" || exit 1

LOGS=${OP25B_CHECK_LOGS:-build/check}
mkdir -p "$LOGS"
PASSED=0 FAILED=0 SKIPPED=0
FAILURES=()
T_START=$(date +%s)

section() { echo "== $*"; }
count_fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); }

# tap_count NAME LOGFILE EXIT_STATUS: count TAP results of one program.
tap_count() {
	local name=$1 file=$2 rc=$3 line p=0 f=0 s=0 plan=
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"not ok"*)
			if [[ $line == *"# TODO"* || $line == *"# todo"* ]]; then
				s=$((s + 1))
			else
				f=$((f + 1))
				count_fail "$name: $line"
			fi
			;;
		ok*)
			if [[ $line == *"# SKIP"* || $line == *"# skip"* ]]; then s=$((s + 1)); else p=$((p + 1)); fi
			;;
		1..*) plan=${line#1..}; plan=${plan%%[!0-9]*} ;;
		"Bail out!"*)
			f=$((f + 1))
			count_fail "$name: $line"
			;;
		esac
	done <"$file"
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		count_fail "$name: exited with status $rc without a 'not ok' line (log $file)"
		echo "$name: exited with status $rc"
	elif [ -n "$plan" ] && [ "$plan" != $((p + f + s)) ]; then
		count_fail "$name: planned $plan tests, ran $((p + f + s)) (log $file)"
		echo "$name: planned $plan tests, ran $((p + f + s))"
		f=$((f + 1))
	fi
	PASSED=$((PASSED + p))
	SKIPPED=$((SKIPPED + s))
	if [ "$s" -gt 0 ]; then
		echo "$name: $p passed, $f failed, $s skipped"
	else
		echo "$name: $p passed, $f failed"
	fi
}

# --- kernels ---------------------------------------------------------------------
WANT=("$@")
[ ${#WANT[@]} -gt 0 ] || WANT=(6.1)
KVERS=()
for w in "${WANT[@]}"; do
	if k=$(resolve_kver "$w"); then
		KVERS+=("$k")
	else
		echo "FAIL [$w] kernel not installed (run: bash tests/harness/deps.sh --all)"
		count_fail "[$w] kernel not installed"
	fi
done

# --- 1. host unit tests ------------------------------------------------------------
if [ "${OP25B_SKIP_UNIT:-0}" != 1 ]; then
	section "host unit tests (build/host/test_*)"
	mkdir -p "$LOGS/host"
	n=0
	for t in build/host/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		n=$((n + 1))
		name=${t##*/}
		log=$LOGS/host/$name.log
		timeout -k 5 "${OP25B_UNIT_TIMEOUT:-300}" "$t" </dev/null >"$log" 2>&1
		rc=$?
		# only failures here (OP25B_VERBOSE=1: every TAP line); all in $log
		if [ "${OP25B_VERBOSE:-0}" = 1 ]; then
			grep -E '^(not )?ok' "$log" | sed "s/^/$name: /"
		else
			grep -E '^(not ok|Bail out!)' "$log" | sed "s/^/$name: /"
		fi
		tap_count "$name" "$log" "$rc"
	done
	[ "$n" -gt 0 ] || echo "(no host unit tests found in build/host)"
fi

# --- 2. harness self-test --------------------------------------------------------------
if [ "${OP25B_SKIP_SELFTEST:-0}" != 1 ] && [ ${#KVERS[@]} -gt 0 ]; then
	section "harness self-test (${KVERS[0]})"
	log=$LOGS/selftest.log
	t0=$(date +%s)
	bash "$HARNESS/selftest.sh" "${KVERS[0]}" 2>&1 | tee "$log" | grep -E '^(not )?ok' | sed 's/^/selftest: /'
	rc=${PIPESTATUS[0]}
	tap_count selftest "$log" "$rc"
	echo "selftest took $(($(date +%s) - t0))s (log $log)"
fi

# --- 2b. the demo, as a user runs it ---------------------------------------------------
# "make demo" itself (README, "Try it"): a fresh boot of 6.1 in which nothing
# has loaded nf_reject_* or anything else of op25b's; demo.sh exits 1 when a
# step did not do what it announced, and its output must show it all.
# shellcheck disable=SC2034  # pl and rc are read by the eval'ed tests
demo_tap() { # demo_tap LOG PAYLOAD_LOG RC: TAP lines on stdout
	local log=$1 pl=$2 rc=$3 n=0 want
	echo "1..8"
	t() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
	t "make demo exits 0 (exit $rc, log $log)" '[ "$rc" = 0 ]'
	t "the demo loads op25b with a plain insmod" 'grep -q "gateway# insmod op25b.ko" "$pl" && ! grep -q "cannot load" "$pl"'
	t "mail to the foreign MTA is blocked (IPv4, IPv6, and by a reset)" \
		'[ "$(grep -c -- "-> BLOCKED" "$pl")" -ge 3 ] && grep -q "answered with a TCP reset" "$pl"'
	t "mail to the ISP's MTA and to 587/465 is delivered" '[ "$(grep -c -- "-> DELIVERED: the MTA answered 220" "$pl")" -ge 6 ]'
	t "op25bctl check answers for the same pairs" \
		'grep -q "^    blocked: 10.10.0.2 is a subscriber" "$pl" && grep -q "^    passes: 10.10.0.2 is a subscriber (10.10.0.0/24) but 192.0.2.25 is an" "$pl"'
	t "the counters are shown" 'grep -qE "^blocked [1-9]" "$pl" && grep -qE "^allowed_mta [1-9]" "$pl"'
	t "no step surprised the demo" '! grep -q UNEXPECTED "$pl" && grep -q "every step did what it said" "$pl"'
	want=${OP25B_DEMO_MAX_SECONDS:-60}
	t "under ${want} s of guest time" 'secs=$(sed -n "s/.*== Done in \([0-9]*\)s of guest time ==.*/\1/p" "$pl"); [ -n "$secs" ] && [ "$secs" -lt "$want" ]'
}
if [ "${OP25B_SKIP_DEMO:-0}" != 1 ] && [ "${OP25B_SKIP_GUEST:-0}" != 1 ] &&
	printf '%s\n' "${KVERS[@]}" | grep -q '^6\.1\.[0-9.-]*-amd64$'; then
	section "make demo (a fresh 6.1 boot, as README's 'Try it' runs it)"
	log=$LOGS/demo.log
	t0=$(date +%s)
	make --no-print-directory demo >"$log" 2>&1
	rc=$?
	k61=$(resolve_kver 6.1)
	demo_tap "$log" "build/demo/$k61/payload.log" "$rc" >"$LOGS/demo.tap"
	grep -E '^(not )?ok' "$LOGS/demo.tap" | sed 's/^/demo: /'
	tap_count demo "$LOGS/demo.tap" 0
	echo "make demo took $(($(date +%s) - t0))s (log $log, guest output build/demo/$k61/)"
fi

# --- 3. guest suites ------------------------------------------------------------------
SCEN=${OP25B_SCENARIO_DIR:-tests/scenarios}
case $SCEN in
/tmp/* | /run/* | /var/tmp/*)
	case $SCEN in
	"$ROOT"/*) ;;
	*) echo "check.sh: OP25B_SCENARIO_DIR=$SCEN is not visible in the guest (host /tmp, /run, /var/tmp are not shared)" >&2 ;;
	esac
	;;
esac

# print_results LABEL FILE: print the result lines of FILE not printed yet
# (SEEN[FILE] counts them), with LABEL inserted after the status.
declare -A SEEN=()
print_results() {
	local label=$1 file=$2 line n=0
	[ -r "$file" ] || return 0
	while IFS= read -r line; do
		n=$((n + 1))
		[ "$n" -le "${SEEN[$file]:-0}" ] && continue
		# a line still being written has no newline yet: read returns 1
		SEEN[$file]=$n
		case $line in
		PASS\ * | FAIL\ * | SKIP\ * | NOTE\ *) echo "${line%% *} [$label] ${line#* }" ;;
		DONE) ;;
		*) echo "$line" ;;
		esac
	done <"$file"
}

# the suite's command in the guest: the scenarios' knobs (OP25B_SCENARIO_
# TIMEOUT, OP25B_FUZZ_*, OP25B_CHURN_*, OP25B_NETNS_*, OP25B_LIFE_*,
# OP25B_FI_*) travel along; the guest starts with a clean environment
SUITE=(tests/harness/guest-suite.sh "$SCEN")
# the scenarios the guest must run, as the suite finds them
SCEN_ABS=$SCEN
case $SCEN_ABS in /*) ;; *) SCEN_ABS=$ROOT/$SCEN_ABS ;; esac
mapfile -t SCEN_LIST < <(find "$SCEN_ABS" -maxdepth 1 -name '*.sh' -type f -perm -u+x -printf '%f\n' 2>/dev/null |
	sed 's/\.sh$//' | LC_ALL=C sort)
if [ -n "${OP25B_ONLY:-}" ]; then
	mapfile -t SCEN_LIST < <(printf '%s\n' "${SCEN_LIST[@]}" |
		grep -E "^($(printf '%s\n' $OP25B_ONLY | sed 's/[.]/\\./g' | paste -sd'|'))")
	echo "only the scenarios starting with: $OP25B_ONLY (${#SCEN_LIST[@]})"
fi
# OP25B_LEAVE_OUT=MARK: the scenarios marked "# op25b: MARK" are not
# run here (check-debug: "nodebug", those whose kernel paths other
# scenarios take on that kernel; see tests/harness/README.md)
if [ -n "${OP25B_LEAVE_OUT:-}" ]; then
	mapfile -t LEFT_OUT < <(for sc in "${SCEN_LIST[@]}"; do
		grep -qx "# op25b: $OP25B_LEAVE_OUT" "$SCEN_ABS/$sc.sh" && echo "$sc"; done)
	if [ ${#LEFT_OUT[@]} -gt 0 ]; then
		mapfile -t SCEN_LIST < <(printf '%s\n' "${SCEN_LIST[@]}" | grep -vxF -f <(printf '%s\n' "${LEFT_OUT[@]}"))
		echo "left out here (# op25b: $OP25B_LEAVE_OUT): ${LEFT_OUT[*]}"
	fi
fi
# Scenarios marked "# op25b: once" (daemons and tools whose kernel side
# the other scenarios cover) run on one kernel only: the first of this
# check, or OP25B_ONCE_KERNEL (a series or KVER; "none": on none)
mapfile -t ONCE_LIST < <(for sc in "${SCEN_LIST[@]}"; do
	grep -q '^# op25b: once' "$SCEN_ABS/$sc.sh" && echo "$sc"; done)
ONCE_KERNEL=
case ${OP25B_ONCE_KERNEL:-} in
none) ;;
'') [ ${#KVERS[@]} -eq 0 ] || ONCE_KERNEL=${KVERS[0]} ;;
*) ONCE_KERNEL=$(resolve_kver "$OP25B_ONCE_KERNEL") || ONCE_KERNEL= ;;
esac
declare -A SKIP_KERNELS SKIP_WHY
NOTES=()
KNOBS=()
while IFS= read -r v; do
	KNOBS+=("$v=${!v}")
done < <(compgen -e | grep -E '^OP25B_(SCENARIO_TIMEOUT|ONLY|LEAVE_OUT|FUZZ_[A-Z_]+|CHURN_[A-Z_]+|NETNS_[A-Z_]+|LIFE_[A-Z_]+|FI_[A-Z_]+)$' || true)
[ ${#KNOBS[@]} -eq 0 ] || SUITE=(env "${KNOBS[@]}" "${SUITE[@]}")

# Guests per kernel: each boots the same kernel and takes the next scenario
# nobody has taken yet (guest-suite.sh, OP25B_CLAIMS), so a kernel's suite
# takes about 1/GUESTS of the time on as many cores; a guest under TCG
# mostly keeps one core busy.
GUESTS=${OP25B_GUESTS:-$(nproc)}
[[ $GUESTS =~ ^[0-9]+$ ]] && [ "$GUESTS" -ge 1 ] || GUESTS=1
[ "$GUESTS" -le 4 ] || GUESTS=4

# merge_guests OUT: OUT/results.txt and OUT/scenarios/ from the guests'
# OUT/g*/; DONE only when every guest finished
merge_guests() {
	local out=$1 g done=1
	mkdir -p "$out/scenarios"
	: >"$out/results.txt"
	: >"$out/times.txt"
	for g in "$out"/g*/; do
		grep -v '^DONE$' "$g/results.txt" >>"$out/results.txt" 2>/dev/null
		[ "$(tail -n1 "$g/results.txt" 2>/dev/null)" = DONE ] || done=0
		cp -f "$g"/scenarios/*.log "$out/scenarios/" 2>/dev/null
		cat "$g/times.txt" >>"$out/times.txt" 2>/dev/null
	done
	[ "$done" = 0 ] || echo DONE >>"$out/results.txt"
}

# guest_trouble K G: the FAIL line of guest G of kernel K that did not
# finish, warned or exited badly without a failed result, else nothing
guest_trouble() {
	local k=$1 g=$2 gout=$LOGS/$1/g$2 reason running
	local r=$gout/results.txt brc=${BRC[$2]}
	if ! [ -r "$r" ] || [ "$(tail -n1 "$r")" != DONE ]; then
		reason=$(cat "$gout/reason.txt" 2>/dev/null)
		[ -n "$reason" ] || reason="boot.sh exit $brc"
		# the scenario that was running, from guest-suite's progress lines
		running=$(tr -d '\r' <"$gout/payload.log" 2>/dev/null | grep '^\[suite\] running ' | tail -n1)
		running=${running#\[suite\] running }
		if [ -n "$running" ] && ! grep -qE "^(PASS|FAIL|SKIP) $running( |\$)" "$r" 2>/dev/null; then
			reason="$reason, while $running ran"
		fi
		echo "guest $g did not finish ($reason)"
	elif [ "$brc" = 126 ]; then
		echo "kernel warnings in guest $g's console/kernel log (see $gout/kernel-warnings.txt)"
	elif [ "$brc" != 0 ] && ! grep -q '^FAIL ' "$r"; then
		echo "guest-suite exited with status $brc in guest $g"
	fi
}

run_kernel() { # run_kernel KVER
	local k=$1 out=$LOGS/$1 t0 g line name p f s sp ss sf sc missing nores bad trouble
	local -a pids=() scens=("${SCEN_LIST[@]}") suite=("${SUITE[@]}")
	local once=1 oncenote=
	declare -gA BRC=()
	if [ "$k" != "$ONCE_KERNEL" ] && [ ${#ONCE_LIST[@]} -gt 0 ]; then
		once=0
		mapfile -t scens < <(printf '%s\n' "${SCEN_LIST[@]}" | grep -vxF -f <(printf '%s\n' "${ONCE_LIST[@]}"))
		oncenote=" (and ${#ONCE_LIST[@]} run once, on ${ONCE_KERNEL:-no kernel of this check})"
	fi
	section "kernel $k: $SCEN ($GUESTS guest$([ "$GUESTS" = 1 ] || echo s))"
	t0=$(date +%s)
	rm -rf "$out" "$LOGS/$k".*boot.log
	mkdir -p "$out/claims"
	for g in $(seq 1 "$GUESTS"); do
		# the first guest has the CPUs the "smp" scenarios need; under
		# TCG on few host cores the others run faster with one
		smp=${OP25B_GUEST_SMP:-2}
		[ "$g" = 1 ] || smp=${OP25B_GUEST_SMP_REST:-$smp}
		bash "$HARNESS/boot.sh" --quiet --kver "$k" --out "$out/g$g" --share "$out/claims" \
			--timeout "${OP25B_BOOT_TIMEOUT:-2400}" --smp "$smp" \
			-- env OP25B_CLAIMS=/run/shared OP25B_ONCE=$once "${suite[@]}" >"$LOGS/$k.g$g.boot.log" 2>&1 &
		pids[g]=$!
	done
	# Show results live as the guests write them through the 9p share.
	while :; do
		local alive=0
		for g in "${!pids[@]}"; do
			kill -0 "${pids[g]}" 2>/dev/null && alive=1
			print_results "$k$([ "$GUESTS" = 1 ] || echo " g$g")" "$out/g$g/results.txt"
		done
		[ "$alive" = 1 ] || break
		sleep 2
	done
	for g in "${!pids[@]}"; do
		wait "${pids[g]}"
		BRC[$g]=$?
		print_results "$k$([ "$GUESTS" = 1 ] || echo " g$g")" "$out/g$g/results.txt"
	done
	merge_guests "$out"
	R=$out/results.txt
	p=$(grep -c '^PASS ' "$R")
	f=0 s=0
	while IFS= read -r line; do
		f=$((f + 1))
		count_fail "[$k] ${line#FAIL }"
	done < <(grep '^FAIL ' "$R")
	# a skip is what the kernel lacks: said once per scenario
	while IFS= read -r line; do
		line=${line#SKIP }
		name=${line%% *}
		s=$((s + 1))
		SKIP_KERNELS[$name]="${SKIP_KERNELS[$name]:+${SKIP_KERNELS[$name]}, }$k"
		SKIP_WHY[$name]=${line#"$name"}
	done < <(grep '^SKIP ' "$R")
	PASSED=$((PASSED + p))
	# one guest's note is every guest's: said once per kernel
	while IFS= read -r line; do
		NOTES+=("[$k] $line")
	done < <(grep '^NOTE ' "$R" | cut -d' ' -f2- | sort -u)
	# every scenario must have reported, once: one that did not ran into
	# something the suite did not see (a crash, a kill)
	sp=0 sf=0 ss=0
	for sc in "${scens[@]}"; do
		case $(grep -oE "^(PASS|FAIL|SKIP) $sc( |\$)" "$R" | cut -d' ' -f1 | tr '\n' ' ') in
		'PASS ') sp=$((sp + 1)) ;;
		'FAIL ') sf=$((sf + 1)) ;;
		'SKIP ') ss=$((ss + 1)) ;;
		'') ;;
		*)
			echo "FAIL [$k] $sc reported more than once (two guests ran it)"
			count_fail "[$k] $sc reported more than once"
			sf=$((sf + 1))
			;;
		esac
	done
	missing=$((${#scens[@]} - sp - sf - ss))
	nores=
	[ "$missing" = 0 ] || nores=", $missing without a result"
	echo "kernel $k: ${#scens[@]} scenarios: $sp passed, $sf failed, $ss skipped$nores$oncenote"
	if [ "$missing" -gt 0 ] && [ "$(tail -n1 "$R")" = DONE ]; then
		echo "FAIL [$k] $missing of ${#scens[@]} scenarios reported no result"
		count_fail "[$k] $missing of ${#scens[@]} scenarios reported no result"
	fi
	bad=0
	for g in "${!pids[@]}"; do
		trouble=$(guest_trouble "$k" "$g")
		[ -n "$trouble" ] || continue
		echo "FAIL [$k] $trouble"
		count_fail "[$k] $trouble"
		[ "${BRC[$g]}" != 126 ] || sed 's/^/    /' "$out/g$g/kernel-warnings.txt" 2>/dev/null | head -n 40
		[ "${BRC[$g]}" = 126 ] || sed 's/^/    /' "$LOGS/$k.g$g.boot.log" | head -n 70
		bad=1
	done
	if [ "$f" -gt 0 ] || [ "$bad" = 1 ]; then
		# the end of each failed scenario's log
		while IFS= read -r line; do
			name=${line#FAIL }
			name=${name%% *}
			[ -r "$out/scenarios/$name.log" ] || continue
			echo "--- [$k] $name: last lines of $out/scenarios/$name.log"
			tail -n "${OP25B_LOG_TAIL:-15}" "$out/scenarios/$name.log" | sed 's/^/    /'
		done < <(grep '^FAIL ' "$R")
		echo "logs for $k: $out/ (scenarios/*.log; per guest g*/: console.log, payload.log, dmesg.txt), $LOGS/$k.g*.boot.log"
	fi
	# where a kernel's time goes, for CI's budget (all in $out/times.txt)
	echo "kernel $k: slowest scenarios (s): $(sort -rn "$out/times.txt" | head -n 6 |
		awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
	# and its tasks (each fork and exec costs up to seconds under TCG)
	echo "kernel $k: most tasks started: $(sort -k3,3rn "$out/times.txt" | head -n 6 |
		awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $3 }')"
	echo "kernel $k took $(($(date +%s) - t0))s"
}

if [ "${OP25B_SKIP_GUEST:-0}" != 1 ]; then
	for k in "${KVERS[@]}"; do
		run_kernel "$k"
	done
fi

# --- 4. deployment ------------------------------------------------------------------------
# Last: it installs op25b on this host for a while (DKMS, packages), which
# modprobe and the genl family autoload in the guests above would find.
if [ "${OP25B_SKIP_DEPLOY:-0}" != 1 ]; then
	section "deployment (tests/deploy/run.sh ${KVERS[*]})"
	log=$LOGS/deploy.log
	t0=$(date +%s)
	# counted from this run's own copy: another check in this tree may
	# write deploy.log meanwhile (run.sh itself waits for it)
	bash tests/deploy/run.sh "${KVERS[@]}" 2>&1 | tee "$log.$$" |
		grep -E '^(not ok|ok|# time:|# waiting)' | sed 's/^/deploy: /'
	rc=${PIPESTATUS[0]}
	tap_count deploy "$log.$$" "$rc"
	mv -f "$log.$$" "$log"
	echo "deployment took $(($(date +%s) - t0))s (log $log, more in build/deploy/)"
fi

# --- summary --------------------------------------------------------------------------
section "summary ($(($(date +%s) - T_START))s)"
# skips, once each: what the kernels checked lack (fault injection is in
# the debug kernel of make check-debug only)
for name in "${!SKIP_KERNELS[@]}"; do
	echo "skipped: $name on ${SKIP_KERNELS[$name]}:${SKIP_WHY[$name]}"
	SKIPPED=$((SKIPPED + 1))
done
# what the guests did beside the scenarios (an installed op25b hidden)
[ ${#NOTES[@]} = 0 ] || printf 'note: %s\n' "${NOTES[@]}"
if [ ${#ONCE_LIST[@]} -gt 0 ] && [ "${OP25B_SKIP_GUEST:-0}" != 1 ]; then
	echo "run once, on ${ONCE_KERNEL:-none of these kernels (OP25B_ONCE_KERNEL=none)}: ${ONCE_LIST[*]}"
fi
if [ ${#FAILURES[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${FAILURES[@]}"
	echo "logs: $LOGS/"
fi
if [ "$SKIPPED" -gt 0 ]; then
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
	echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" = 0 ]

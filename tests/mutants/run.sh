#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests that can fail, shown: each tests/mutants/NAME.patch breaks op25b
# on purpose (its first lines say how, and "scenarios: N..." which
# scenarios must catch it).  For each mutant given (default: all), this
# applies it to a copy of the committed tree (build/mutants/NAME), builds
# the module and the tools there, runs the named scenarios in guests of
# KVER (tests/harness/check.sh, no self-test, demo or deployment), and
# says "killed" when every named scenario FAILs (or the guest died while it
# ran: a panic, a hang), "survived" otherwise.
# "demo" among the scenarios runs make demo's check (check.sh) as well,
# killed when one of its tests is "not ok"; "selftest" runs the harness
# self-test (tests/harness/selftest.sh) of the copy, killed likewise: for
# mutants of the harness itself.
#
#   bash tests/mutants/run.sh [--kver KVER] [NAME...]
#
# Several mutants may be applied together ("-a NAME,NAME"): one build and
# one boot for all, each still judged by its own scenarios.  Exit status 0
# iff every mutant was killed.  Not part of make check: each run builds a
# module and boots guests (minutes under TCG).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KVER=6.1
SETS=()
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVER=$2; shift 2 ;;
	-a) SETS+=("$2"); shift 2 ;;
	-h | --help) sed -n '3,21p' "$0"; exit 0 ;;
	*) SETS+=("$1"); shift ;;
	esac
done
if [ ${#SETS[@]} -eq 0 ]; then
	for p in "$ROOT"/tests/mutants/*.patch; do SETS+=("$(basename "$p" .patch)"); done
fi
K=$(bash "$ROOT/tests/harness/deps.sh" --kver "$KVER") || { echo "kernel $KVER is not installed"; exit 2; }
KRE=$(printf '%s' "$K" | sed 's/[.+]/\\&/g')

bad=0
for set in "${SETS[@]}"; do
	IFS=, read -ra names <<<"$set"
	dir=$ROOT/build/mutants/${set//,/+}
	rm -rf "$dir"
	git clone -q "$ROOT" "$dir" || exit 2
	scen=()
	for n in "${names[@]}"; do
		p=$ROOT/tests/mutants/$n.patch
		[ -f "$p" ] || { echo "no mutant $n"; exit 2; }
		git -C "$dir" apply "$p" || { echo "$n: does not apply"; exit 2; }
		read -ra s <<<"$(sed -n 's/^scenarios: //p' "$p")"
		scen+=("${s[@]}")
	done
	echo "== ${names[*]}: build, then scenarios ${scen[*]} on $K"
	if ! make -C "$dir" -s module bench-kmod KVER="$K" >"$dir/build.log" 2>&1 ||
		! make -C "$dir" -s tool helpers >>"$dir/build.log" 2>&1; then
		echo "build failed ($dir/build.log)"
		exit 2
	fi
	only=() demo=1 selftest=1 guest=0
	for s in "${scen[@]}"; do
		case $s in
		demo) demo=0 ;;
		selftest) selftest=0 ;;
		*) only+=("$s") ;;
		esac
	done
	# no scenario: for the demo, a scenario name no scenario has (it boots
	# in the guest part); for the self-test alone, no guest suite at all
	if [ ${#only[@]} -eq 0 ]; then
		only=(none-)
		[ "$demo" = 0 ] || guest=1
	fi
	(cd "$dir" && OP25B_ONLY="${only[*]}" OP25B_ONCE_KERNEL="$K" OP25B_SKIP_UNIT=1 \
		OP25B_SKIP_SELFTEST=$selftest OP25B_SKIP_DEMO=$demo OP25B_SKIP_GUEST=$guest \
		OP25B_SKIP_DEPLOY=1 bash tests/harness/check.sh "$K") >"$dir/check.log" 2>&1
	for n in "${names[@]}"; do
		killed=1
		for s in $(sed -n 's/^scenarios: //p' "$ROOT/tests/mutants/$n.patch"); do
			if [ "$s" = demo ]; then
				line=$(grep -E '^demo: (not ok|[0-9]+ passed)' "$dir/check.log" | head -n 3 | paste -sd'|')
				echo "   $n: make demo: ${line:-no result}"
				[[ $line == *"not ok"* ]] || killed=0
				continue
			fi
			if [ "$s" = selftest ]; then
				line=$(grep -E '^selftest: not ok' "$dir/check.log" | head -n 3 | paste -sd'|')
				echo "   $n: harness self-test: ${line:-no test failed}"
				[ -n "$line" ] || killed=0
				continue
			fi
			line=$(grep -E "^(PASS|FAIL|SKIP) \[$KRE( g[0-9]+)?\] $s-" "$dir/check.log" | head -n1)
			# no result: a guest that died (a panic, a hang) while the
			# scenario ran has it failed there (check.sh names it)
			[ -n "$line" ] || line=$(grep -E "^FAIL \[$KRE\] guest [0-9]+ did not finish \(.*, while $s-[^ ]* ran\)" \
				"$dir/check.log" | head -n1)
			echo "   $n: ${line:-no result for $s}"
			[[ $line == FAIL* ]] || killed=0
			# what the scenario said: its failed checks
			grep -h '^FAIL:' "$dir/build/check/$K/scenarios/$s"-*.log 2>/dev/null | head -n 5 | sed 's/^/      /'
		done
		if [ "$killed" = 1 ]; then
			echo "killed: $n"
		else
			echo "survived: $n"
			bad=1
		fi
	done
done
exit $bad

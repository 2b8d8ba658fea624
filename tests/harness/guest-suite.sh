#!/bin/bash
# guest-suite.sh [SCENARIO_DIR] — payload run inside the QEMU guest by boot.sh.
#
# Loads op25b.ko, runs every executable *.sh in SCENARIO_DIR (default
# tests/scenarios) in sorted order, unloads the module, scans for leaks
# where the kernel has kmemleak, and checks the kernel log.  Scenario exit status: 0 = PASS, 4 = SKIP, anything else = FAIL.
#
# Each result is printed and appended to $OP25B_OUT/results.txt as
#   PASS NAME | SKIP NAME | FAIL NAME [(detail)]
# (a FAIL may be followed by indented detail lines) and the last line is
# DONE.  Without op25b.ko, insmod FAILs (every scenario then fails on its
# own).  A scenario skips (exit 4) only for what the kernel lacks
# (tests/lib.sh, skip).  Scenario output goes to
# $OP25B_OUT/scenarios/NAME.log.  Exit status 0 iff nothing failed.
#
# Environment (all optional): OP25B_KO, OP25B_SCENARIO_TIMEOUT (300),
# OP25B_ONLY (name prefixes: run only those scenarios), OP25B_ONCE (0: leave
# out the scenarios marked "# op25b: once", which another kernel runs),
# OP25B_OUT (/run/out), OP25B_CLAIMS (a directory shared with other guests:
# run only the scenarios this guest claims there first).  Scenarios get
# OP25B_KVER, OP25B_ROOT, OP25B_KO, OP25BCTL and a PATH with
# tools/op25bctl and build/host in front.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

export OP25B_KVER=${OP25B_KVER:-$(uname -r)}
export OP25B_ROOT=${OP25B_ROOT:-$(cd "$HERE/../.." && pwd)}
export OP25B_KO=${OP25B_KO:-$OP25B_ROOT/build/$OP25B_KVER/op25b.ko}
export OP25BCTL=${OP25BCTL:-$OP25B_ROOT/tools/op25bctl/op25bctl}
export PATH=$OP25B_ROOT/tools/op25bctl:$OP25B_ROOT/build/host:$PATH
export TMPDIR=${TMPDIR:-/tmp}
OUT=${OP25B_OUT:-/run/out}
TMO=${OP25B_SCENARIO_TIMEOUT:-300}
SCEN=${1:-tests/scenarios}
case $SCEN in /*) ;; *) SCEN=$OP25B_ROOT/$SCEN ;; esac

RESULTS=$OUT/results.txt
mkdir -p "$OUT/scenarios"
: >"$RESULTS"
: >"$OUT/times.txt" # "SECONDS NAME TASKS" of each scenario run here
read -r PID_MAX </proc/sys/kernel/pid_max
FAILED=0

result() { # result STATUS NAME [DETAIL...]
	local st=$1 name=$2
	shift 2
	local line="$st $name${*:+ ($*)}"
	echo "$line" >>"$RESULTS"
	echo "[suite] $line"
	[ "$st" = FAIL ] && FAILED=$((FAILED + 1))
	return 0
}

# Each exec costs under TCG, and most on the debug kernel (measured there: 0.75 s
# for a /bin/true, 1.5 s for a grep): what the suite does between two
# scenarios is builtins, and the scenarios' marks are read by one grep.
module_loaded() {
	local name rest
	while read -r name rest; do
		[ "$name" != op25b ] || return 0
	done </proc/modules
	return 1
}

# left_behind: left="comm(pid) ..." of the processes outside the initial
# network namespace, which it kills; no scenario may leave one
left_behind() {
	local p comm
	left=
	for p in /proc/[0-9]*; do
		# builtins only: this runs after every scenario
		[ -e "$p/ns/net" ] && ! [ "$p/ns/net" -ef /proc/1/ns/net ] || continue
		read -r comm <"$p/comm" 2>/dev/null
		left+="$comm(${p#/proc/}) "
		kill -9 "${p#/proc/}" 2>/dev/null
	done
	left=${left% }
}

# load_module: a plain insmod, as the README tells operators to load it:
# insmod loads no dependencies, and op25b must need none (the reject
# actions' helpers are requested when first used).  Prints the error
# output on failure.
load_module() {
	local err
	err=$(insmod "$OP25B_KO" 2>&1) || { echo "$err"; return 1; }
	return 0
}

# hide_installed_module: an op25b installed on the host (make install,
# DKMS, the package, or what an interrupted deployment test left) is what
# modprobe and the genl family's autoload find here, instead of $OP25B_KO:
# an rmmod scenario would see it loaded again behind its back.  A tmpfs
# over its directory hides it in this guest only; the deployment tests are
# the ones that test an installed op25b.
hide_installed_module() {
	local path
	path=$(modinfo -k "$OP25B_KVER" -n op25b 2>/dev/null) || return 0
	case $path in /lib/modules/*) ;; *) return 0 ;; esac
	if mount -t tmpfs -o size=64k,mode=0755 op25b-hidden "${path%/*}"; then
		result NOTE host-op25b-hidden "$path is installed on the host: hid it from modprobe and the genl autoload"
	else
		result FAIL hide-installed "could not hide the host's $path from modprobe"
	fi
}

echo "[suite] kernel $OP25B_KVER, module $OP25B_KO, scenarios $SCEN"
hide_installed_module

HAVE_KO=0
if [ -e "$OP25B_KO" ]; then
	HAVE_KO=1
	if module_loaded; then
		result PASS insmod "already loaded"
	elif pre=$(lsmod | awk '$1 ~ /^nf_reject/ { printf " %s", $1 }'); [ -n "$pre" ]; then
		result FAIL insmod "loaded before op25b:$pre; the suite must start from a stock boot"
	elif msg=$(load_module); then
		result PASS insmod "plain insmod, nothing preloaded"
	else
		echo "$msg" | sed 's/^/[suite]   /'
		result FAIL insmod "$(echo "$msg" | tail -n1)"
	fi
else
	result FAIL insmod "no $OP25B_KO (make module KVER=$OP25B_KVER)"
fi

if [ -d "$SCEN" ]; then
	mapfile -t scripts < <(find "$SCEN" -maxdepth 1 -name '*.sh' -type f -perm -u+x | LC_ALL=C sort)
else
	result FAIL scenarios "no directory $SCEN"
	scripts=()
fi
# OP25B_ONLY="21 40-trans": only the scenarios whose names start so
if [ -n "${OP25B_ONLY:-}" ]; then
	only=()
	for s in "${scripts[@]}"; do
		for w in $OP25B_ONLY; do
			case ${s##*/} in "$w"*) only+=("$s"); break ;; esac
		done
	done
	scripts=("${only[@]}")
fi
[ "${#scripts[@]}" -gt 0 ] || echo "[suite] no executable *.sh scenarios in $SCEN"

# Guests that share a kernel's scenarios (check.sh: OP25B_CLAIMS, a
# directory shared by all of them) take each by creating a file of its
# name there, with O_EXCL (noclobber), which 9p passes on to the host:
# exactly one guest runs it, and a guest that is ahead takes the next.
claim() {
	local rc
	[ -n "${OP25B_CLAIMS:-}" ] || return 0
	set -o noclobber
	{ : >"$OP25B_CLAIMS/$1"; } 2>/dev/null
	rc=$?
	set +o noclobber
	return "$rc"
}

# MARKS[NAME]: the scenario's lines "# op25b: MARK", as "MARK<newline>..."; a
# "timeout N" counts in its first 40 lines only (TIMEOUT_OF[NAME])
declare -A MARKS=() TIMEOUT_OF=()
read_marks() { # read_marks SCRIPT...
	local line path rest lineno mark name
	while IFS= read -r line; do
		path=${line%%:*} rest=${line#*:}
		lineno=${rest%%:*} mark=${rest#*:# op25b: }
		name=${path##*/}
		name=${name%.sh}
		MARKS[$name]+=$mark$'\n'
		if [[ $mark =~ ^timeout\ ([0-9]+)$ ]] && [ "$lineno" -le 40 ]; then
			TIMEOUT_OF[$name]=${BASH_REMATCH[1]}
		fi
	done < <(grep -Hn '^# op25b: ' "$@")
}
has_mark() { # has_mark NAME MARK: scenario NAME has the line "# op25b: MARK"
	[[ $'\n'${MARKS[$1]:-} == *$'\n'"$2"$'\n'* ]]
}

# Scenarios marked "# op25b: smp" are about what happens on several CPUs
# at once: a guest with one CPU leaves them to one with more, and a guest
# with more takes them first, so that the guests finish together.
# Scenarios marked "# op25b: first" come before those: 01-readme needs a
# guest in which nothing has loaded nf_reject_* yet.  Then those marked
# "# op25b: long SECONDS" (about what they take on 6.12), longest first:
# claimed last, a long scenario keeps one guest busy while the others
# have finished.
NCPU=$(nproc)
[ ${#scripts[@]} -eq 0 ] || read_marks "${scripts[@]}"
first=() smp_first=() long=() rest=()
LONG_RE=$'\n''long ([0-9]+)'$'\n'
for s in "${scripts[@]}"; do
	name=${s##*/}
	name=${name%.sh}
	if has_mark "$name" first; then
		first+=("$s")
	elif has_mark "$name" smp; then
		[ "$NCPU" -lt 2 ] || smp_first+=("$s")
	elif [[ $'\n'${MARKS[$name]:-} =~ $LONG_RE ]]; then
		long+=("${BASH_REMATCH[1]} $s")
	else
		rest+=("$s")
	fi
done
if [ ${#long[@]} -gt 0 ]; then
	mapfile -t long < <(printf '%s\n' "${long[@]}" | sort -k1,1nr -k2)
	long=("${long[@]#* }")
fi
scripts=("${first[@]}" "${smp_first[@]}" "${long[@]}" "${rest[@]}")

for s in "${scripts[@]}"; do
	name=${s##*/}
	name=${name%.sh}
	# "# op25b: once" scenarios run on one kernel of a check (check.sh)
	[ "${OP25B_ONCE:-1}" = 1 ] || ! has_mark "$name" once || continue
	# and OP25B_LEAVE_OUT=MARK leaves out those marked "# op25b: MARK"
	[ -z "${OP25B_LEAVE_OUT:-}" ] || ! has_mark "$name" "$OP25B_LEAVE_OUT" || continue
	claim "$name" || continue
	log=$OUT/scenarios/$name.log
	echo "[suite] running $name"
	start=$EPOCHSECONDS
	# the last pid given out, from loadavg (ns_last_pid needs
	# CONFIG_CHECKPOINT_RESTORE, which the debug kernel lacks)
	read -r _ _ _ _ pid0 </proc/loadavg
	# timeout puts the scenario in its own process group and kills all of it.
	# "# op25b: timeout N" in its first 40 lines raises a scenario's bound to N s
	tmo=${TIMEOUT_OF[$name]:-}
	[ -n "$tmo" ] && [ "$tmo" -gt "$TMO" ] || tmo=$TMO
	(cd "$OP25B_ROOT" && exec timeout -k 10 "$tmo" "$s") </dev/null >"$log" 2>&1
	rc=$?
	secs=$((EPOCHSECONDS - start))
	read -r _ _ _ _ pid1 </proc/loadavg
	# a process left in another namespace keeps that namespace (and its
	# op25b state) alive for the rest of the suite: a scenario's bug
	left_behind
	if [ -n "$left" ]; then
		echo "left running in other network namespaces: $left" >>"$log"
		[ "$rc" = 0 ] || [ "$rc" = 4 ] && rc=3
	fi
	# the tasks it started (pids wrap at pid_max: then a lower bound)
	echo "$secs $name $(((pid1 - pid0 + PID_MAX) % PID_MAX))" >>"$OUT/times.txt"
	case $rc in
	0) result PASS "$name" ;;
	4) result SKIP "$name" "$(tail -n1 "$log" | tr -d '\r' | cut -c1-120)" ;;
	124 | 137) result FAIL "$name" "timeout after ${tmo}s" ;;
	3) result FAIL "$name" "left processes running: $left" ;;
	*) result FAIL "$name" "exit $rc after ${secs}s, log scenarios/$name.log" ;;
	esac
	if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
		echo "[suite] --- last lines of $name.log:"
		tail -n 20 "$log" | sed 's/^/[suite]   /'
	fi
	if [ "$HAVE_KO" = 1 ] && ! module_loaded; then
		echo "[suite] op25b was unloaded by $name; reloading"
		if ! msg=$(load_module); then
			echo "$msg" | sed 's/^/[suite]   /'
			result FAIL "insmod-after-$name" "$(echo "$msg" | tail -n1)"
		fi
	fi
done

if [ "$HAVE_KO" = 1 ]; then
	# where op25b was, to read the addresses of a kmemleak trace after rmmod
	for f in /sys/module/op25b/sections/.text /sys/module/op25b/sections/.init.text; do
		[ -r "$f" ] && echo "${f##*/} $(<"$f")"
	done >"$OUT/op25b-sections.txt" 2>/dev/null
	if ! module_loaded; then
		result FAIL rmmod "module not loaded at the end"
	elif msg=$(rmmod op25b 2>&1); then
		result PASS rmmod
	else
		result FAIL rmmod "$msg"
	fi
fi

# kmemleak (debug kernels: tests/debug-kernel): after the suite and rmmod,
# two scans (the second drops objects that were only in flight during the
# first); whatever is still unreferenced is a leak: FAIL, with the traces
# in results.txt and all of them in kmemleak.txt.
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w "$KMEMLEAK" ]; then
	start=$(date +%s)
	if echo scan >"$KMEMLEAK" && sleep 2 && echo scan >"$KMEMLEAK"; then
		cat "$KMEMLEAK" >"$OUT/kmemleak.txt"
		n=$(grep -c '^unreferenced object' "$OUT/kmemleak.txt")
		echo "[suite] kmemleak: two scans in $(($(date +%s) - start))s, $n suspected leaks"
		if [ "$n" -gt 0 ]; then
			result FAIL kmemleak "$n suspected leaks, see kmemleak.txt; op25b's sections in op25b-sections.txt"
			head -n 80 "$OUT/kmemleak.txt" | sed 's/^/    /' >>"$RESULTS"
			head -n 80 "$OUT/kmemleak.txt" | sed 's/^/[suite]   /'
		else
			result PASS kmemleak
		fi
	else
		result FAIL kmemleak "echo scan >$KMEMLEAK failed (kmemleak disabled? see dmesg)"
	fi
fi

dmesg >"$OUT/dmesg-suite.txt" 2>&1
if lines=$(kwarn_scan_kmsg "$OUT/dmesg-suite.txt"); then
	echo "[suite] kernel log lines of note:"
	printf '%s\n' "$lines" | sed 's/^/[suite]   /'
	printf '%s\n' "$lines" >"$OUT/dmesg-warnings.txt"
	result FAIL dmesg-clean "$(printf '%s\n' "$lines" | wc -l) lines, see dmesg-warnings.txt"
	printf '%s\n' "$lines" | head -n 40 | sed 's/^/    /' >>"$RESULTS"
else
	result PASS dmesg-clean
fi

echo DONE >>"$RESULTS"
echo "[suite] DONE: $FAILED failed"
[ "$FAILED" = 0 ]

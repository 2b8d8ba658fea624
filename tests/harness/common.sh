# shellcheck shell=bash
# Shared helpers for the op25b test harness (sourced, never executed).
# Used on the host (boot.sh, check.sh) and inside the guest (guest-suite.sh).

# Extended regex matching kernel log lines that mean "the kernel is unhappy".
# Kept narrow on purpose: plain mentions such as "kmemleak: Kernel memory leak
# detector initialized" or "KernelAddressSanitizer initialized" must not match.
OP25B_KWARN_RE='WARNING:|BUG:|Oops|Kernel panic|self-detected stall|rcu: INFO|rcu_sched detected stall|list_add corruption|list_del corruption|general protection fault|KASAN:|UBSAN:|kmemleak: [0-9]+ new suspected memory leak|unreferenced object 0x|INFO: task .* blocked for more than|INFO: possible (circular|recursive)|INFO: inconsistent lock state|refcount_t: (underflow|saturated|addition on 0)|stack-protector: Kernel stack is corrupted|kernel BUG at'

# What the kernel prints when a user-space process dies of a fault
# (show_unhandled_signals): "traps: ld-linux-x86-64[2397] general protection
# fault ip:7fc6239e578b sp:7ffd2bba7da8 error:0 in ld-linux...".  Not the
# kernel's trouble; scenario 72 provokes it by failing the allocations of
# the processes it runs.  A kernel-mode fault never has the "traps: comm[pid]"
# prefix.
OP25B_KWARN_USER_RE='traps: [^ ]+\[[0-9]+\] .* ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+'

# kwarn_scan_kmsg FILE: print the matching lines of a pure kernel log
# (dmesg output).  Exit 0 when something matched.
kwarn_scan_kmsg() {
	[ -r "$1" ] || return 1
	tr -d '\r' <"$1" | grep -E -- "$OP25B_KWARN_RE" | grep -v -E -- "$OP25B_KWARN_USER_RE"
}

# kwarn_scan_console FILE: like kwarn_scan_kmsg but for a serial console log,
# which mixes kernel lines with userspace output.  Only lines carrying the
# kernel's "[ seconds.micros]" timestamp (CONFIG_PRINTK_TIME=y on Debian) are
# considered, so a test that prints "WARNING:" itself is not a kernel warning.
kwarn_scan_console() {
	[ -r "$1" ] || return 1
	tr -d '\r' <"$1" | grep -E -- '^\[ *[0-9]+\.[0-9]+\] ' | grep -E -- "$OP25B_KWARN_RE" |
		grep -v -E -- "$OP25B_KWARN_USER_RE"
}

# kver_series KVER: "6.1.0-56-amd64" -> "6.1", "6.12.95+deb12-amd64" -> "6.12"
kver_series() {
	local k=$1 major rest minor
	major=${k%%.*}
	rest=${k#*.}
	minor=${rest%%[!0-9]*}
	printf '%s.%s\n' "$major" "$minor"
}

# kver_flavour_ok KVER [FLAVOUR]: true for Debian's plain amd64 flavour (not
# rt/cloud), or with FLAVOUR "rt" for the PREEMPT_RT one (*-rt-amd64).
kver_flavour_ok() {
	case ${2:-}:$1 in
	rt:*-rt-amd64) return 0 ;;
	rt:*) return 1 ;;
	*-rt-amd64 | *-cloud-amd64) return 1 ;;
	*-amd64) return 0 ;;
	*) return 1 ;;
	esac
}

# kernel_image KVER: the kernel to boot: /boot/vmlinuz-KVER (Debian's
# packages), else /lib/modules/KVER/vmlinuz (the debug kernel that
# tests/debug-kernel/build.sh installs there).  Fails when neither exists.
kernel_image() {
	local f
	for f in "/boot/vmlinuz-$1" "/lib/modules/$1/vmlinuz"; do
		[ -e "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	return 1
}

# usable_kvers: every KVER with both /boot/vmlinuz-KVER and headers in
# /lib/modules/KVER/build, oldest first.
usable_kvers() {
	local d k
	for d in /lib/modules/*/; do
		k=${d%/}
		k=${k##*/}
		[ -e "/boot/vmlinuz-$k" ] || continue
		[ -e "/lib/modules/$k/build/Makefile" ] || continue
		printf '%s\n' "$k"
	done | sort -V
}

# resolve_kver WORD: a full KVER is returned as is (when it has a kernel
# image and /lib/modules/KVER); a series such as "6.1" or "6.12" resolves to
# the newest usable plain-amd64 KVER of that series, "6.1-rt" to the newest
# usable PREEMPT_RT one.  Prints nothing and fails when nothing fits.
resolve_kver() {
	local want=$1 k best='' flavour=''
	if kernel_image "$want" >/dev/null && [ -d "/lib/modules/$want" ]; then
		printf '%s\n' "$want"
		return 0
	fi
	case $want in
	*-rt) flavour=rt want=${want%-rt} ;;
	esac
	while read -r k; do
		[ -n "$k" ] || continue
		[ "$(kver_series "$k")" = "$want" ] || continue
		kver_flavour_ok "$k" "$flavour" || continue
		best=$k
	done < <(usable_kvers)
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

#!/usr/bin/env bash
# boot.sh --kver KVER --out DIR [--timeout SEC] [--quiet] [--mem MB] [--smp N]
#         [--append "KERNEL ARGS"] [--share DIR] -- CMD [ARGS...]
#
# Boots /boot/vmlinuz-KVER (or /lib/modules/KVER/vmlinuz: the debug kernel of
# tests/debug-kernel) in QEMU (TCG, never KVM) with the host's / as a
# read-only 9p root and DIR as a read-write 9p share, runs CMD (a path
# relative to the repository root, or a command on the guest's PATH) with
# ARGS as root in the guest from the repository root, and waits for it.
#
# --share DIR: a second read-write 9p share, on /run/shared in the guest,
# for guests that run at the same time to share (check.sh's scenario claims).
#
# Results in DIR: console.log (serial console), payload.log (CMD's output),
# exit-status, dmesg.txt, and whatever CMD wrote to /run/out in the guest.
#
# Exit status: CMD's exit status; 125 when the guest did not finish (timeout,
# kernel panic, boot failure: the reason is printed and written to
# DIR/reason.txt); 126 when CMD succeeded but the kernel logged a warning,
# BUG, Oops, ... (the lines are printed and written to DIR/kernel-warnings.txt).
# 2 for usage errors.
#
# Defaults from the environment: OP25B_BOOT_TIMEOUT (--timeout, 600),
# OP25B_GUEST_MEM (--mem, 2048), OP25B_GUEST_SMP (--smp, 2).
set -uo pipefail

HARNESS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HARNESS/../.." && pwd -P)
# shellcheck source=common.sh
. "$HARNESS/common.sh"

usage() {
	sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
die() { echo "boot.sh: $*" >&2; exit 2; }

KVER='' OUTDIR='' SHARE='' TIMEOUT=${OP25B_BOOT_TIMEOUT:-600} QUIET=0 EXTRA_APPEND=''
MEM=${OP25B_GUEST_MEM:-2048} SMP=${OP25B_GUEST_SMP:-2}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVER=${2-}; shift 2 || usage ;;
	--out) OUTDIR=${2-}; shift 2 || usage ;;
	--share) SHARE=${2-}; shift 2 || usage ;;
	--timeout) TIMEOUT=${2-}; shift 2 || usage ;;
	--quiet) QUIET=1; shift ;;
	--mem) MEM=${2-}; shift 2 || usage ;;
	--smp) SMP=${2-}; shift 2 || usage ;;
	--append) EXTRA_APPEND=${2-}; shift 2 || usage ;;
	--) shift; break ;;
	-h | --help) usage ;;
	*) echo "boot.sh: unknown option $1" >&2; usage ;;
	esac
done
[ $# -ge 1 ] || usage
[ -n "$KVER" ] && [ -n "$OUTDIR" ] || usage
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout needs seconds"

K=$(resolve_kver "$KVER") || die "kernel $KVER not installed (see tests/harness/deps.sh --kvers)"
KVER=$K
KERNEL=$(kernel_image "$KVER") || die "no kernel image for $KVER"
[ -r "$KERNEL" ] || die "$KERNEL not readable"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (tests/harness/deps.sh)"

# The repository path travels on the kernel command line: no blanks allowed.
case $ROOT in
*[[:space:]]*) die "repository path '$ROOT' contains whitespace; move it" ;;
esac

# --- output directory ---------------------------------------------------------
mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd -P)
[ "$OUTDIR" != / ] || die "refusing --out /"
if [ -n "$(ls -A "$OUTDIR")" ] && [ ! -e "$OUTDIR/.op25b-boot" ]; then
	die "$OUTDIR is not empty and was not made by boot.sh; refusing to clear it"
fi
find "$OUTDIR" -mindepth 1 -delete
: >"$OUTDIR/.op25b-boot"

# --- initramfs ----------------------------------------------------------------
INITRD=$ROOT/build/initramfs/$KVER.cpio.gz
bash "$HARNESS/mkinitramfs.sh" "$KVER" "$INITRD" || die "building the initramfs failed"

# --- payload --------------------------------------------------------------------
{
	echo '#!/bin/bash'
	echo '# written by tests/harness/boot.sh'
	printf 'cd %q || exit 127\n' "$ROOT"
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$OUTDIR/payload.sh"
printf '%q ' "$@" >"$OUTDIR/command.txt"
echo >>"$OUTDIR/command.txt"

# --- run --------------------------------------------------------------------------
# op25bh.* parameters are read by the initramfs and guest-init.sh (not "op25b.",
# which modprobe would hand to the op25b module as module parameters).
# loglevel=5 after quiet: KERN_WARNING lines (the "WARNING: ... at file:line"
# of a WARN_ON) still reach the console, so they are in console.log even when
# panic_on_warn=1 panics the guest before dmesg.txt is written.
APPEND="console=ttyS0 panic=-1 panic_on_warn=1 quiet loglevel=5 op25bh.root=$ROOT"
[ -z "${OP25B_9P_CACHE:-}" ] || APPEND+=" op25bh.cache=$OP25B_9P_CACHE"
[ -z "$SHARE" ] || APPEND+=" op25bh.shared=1"
[ -z "$EXTRA_APPEND" ] || APPEND+=" $EXTRA_APPEND"
QEMU=(qemu-system-x86_64
	-m "$MEM" -smp "$SMP"
	-nographic -no-reboot
	-kernel "$KERNEL" -initrd "$INITRD"
	-append "$APPEND"
	-fsdev "local,id=hostfs,path=/,readonly=on,multidevs=remap,security_model=none"
	-device "virtio-9p-pci,fsdev=hostfs,mount_tag=host"
	-fsdev "local,id=outfs,path=${OUTDIR//,/,,},security_model=none"
	-device "virtio-9p-pci,fsdev=outfs,mount_tag=out"
	-nic none)
if [ -n "$SHARE" ]; then
	[ -d "$SHARE" ] || die "--share $SHARE: no such directory"
	SHARE=$(cd "$SHARE" && pwd -P)
	QEMU+=(-fsdev "local,id=sharedfs,path=${SHARE//,/,,},security_model=none"
		-device "virtio-9p-pci,fsdev=sharedfs,mount_tag=shared")
fi
# Extra qemu arguments (word-split), e.g. OP25B_QEMU_ARGS="-cpu max"
# shellcheck disable=SC2206
[ -z "${OP25B_QEMU_ARGS:-}" ] || QEMU+=(${OP25B_QEMU_ARGS})
printf '%q ' "${QEMU[@]}" >"$OUTDIR/qemu-cmdline.txt"
echo >>"$OUTDIR/qemu-cmdline.txt"

# The serial console, minus SeaBIOS' terminal resets/escapes and CRs.
clean_console() { sed -u -e 's/\x1bc/\n/g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r$//'; }

T0=$(date +%s.%N)
if [ "$QUIET" = 1 ]; then
	timeout -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>"$OUTDIR/qemu-stderr.log" |
		clean_console >"$OUTDIR/console.log"
	QRC=${PIPESTATUS[0]}
else
	timeout -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>"$OUTDIR/qemu-stderr.log" |
		clean_console | tee "$OUTDIR/console.log"
	QRC=${PIPESTATUS[0]}
fi
T1=$(date +%s.%N)
ELAPSED=$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }')
echo "$ELAPSED" >"$OUTDIR/elapsed"

# --- verdict ------------------------------------------------------------------------
say() { echo "boot.sh [$KVER]: $*" >&2; }

WARN_LINES=$( {
	kwarn_scan_console "$OUTDIR/console.log"
	kwarn_scan_kmsg "$OUTDIR/dmesg.txt"
} | awk '!seen[$0]++')
if [ -n "$WARN_LINES" ]; then
	printf '%s\n' "$WARN_LINES" >"$OUTDIR/kernel-warnings.txt"
fi

if [ -s "$OUTDIR/exit-status" ] && RC=$(tr -dc '0-9' <"$OUTDIR/exit-status") && [ -n "$RC" ]; then
	if [ -n "$WARN_LINES" ]; then
		say "the kernel logged warnings:"
		printf '  %s\n' "$WARN_LINES" >&2
		if [ "$RC" = 0 ]; then
			echo "kernel warnings" >"$OUTDIR/reason.txt"
			say "payload succeeded but the kernel complained: exit 126 (logs: $OUTDIR)"
			exit 126
		fi
	fi
	[ "$QUIET" = 1 ] || say "payload exited with status $RC after ${ELAPSED}s"
	exit "$RC"
fi

# The guest never wrote exit-status.
PANIC=$(tr -d '\r' <"$OUTDIR/console.log" 2>/dev/null | grep -m1 -E 'Kernel panic - not syncing' | sed -E 's/^\[ *[0-9.]+\] //')
FATAL=$(tr -d '\r' <"$OUTDIR/console.log" 2>/dev/null | grep -m1 -E 'op25b-(init|guest): FATAL' | sed -E 's/^.*FATAL: //')
if [ -n "$PANIC" ]; then
	REASON="kernel panic: $PANIC"
elif [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
	REASON="timeout after ${TIMEOUT}s"
elif [ -n "$FATAL" ]; then
	REASON="guest setup failed: $FATAL"
else
	REASON="qemu exited with status $QRC before the payload finished"
fi
echo "$REASON" >"$OUTDIR/reason.txt"
say "guest did not finish: $REASON (after ${ELAPSED}s)"
if [ -n "$WARN_LINES" ]; then
	say "kernel log lines of note:"
	printf '  %s\n' "$WARN_LINES" >&2
fi
if [ -s "$OUTDIR/qemu-stderr.log" ]; then
	say "qemu stderr:"
	sed 's/^/  /' "$OUTDIR/qemu-stderr.log" >&2
fi
if [ "$QUIET" = 1 ]; then
	# From the first kernel complaint on, else the end of the console.
	first=$(tr -d '\r' <"$OUTDIR/console.log" | grep -n -m1 -E -- "cut here|$OP25B_KWARN_RE" | cut -d: -f1)
	if [ -n "$first" ]; then
		say "console from line $first ($OUTDIR/console.log):"
		tr -d '\r' <"$OUTDIR/console.log" | tail -n "+$first" | head -n 45 | sed 's/^/  /' >&2
	else
		say "last console lines ($OUTDIR/console.log):"
		tr -d '\r' <"$OUTDIR/console.log" | tail -n 25 | sed 's/^/  /' >&2
	fi
fi
exit 125

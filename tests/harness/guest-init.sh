#!/bin/bash
# guest-init.sh — PID 1 inside the QEMU guest, started by the initramfs' /init
# via switch_root.  The root filesystem is the host's / (9p, read-only), with
# tmpfs on /tmp /run /var/tmp and the host's output directory (9p, rw) on
# /run/out.
#
# Runs /run/out/payload.sh (written by boot.sh) from the repository root,
# with stdout/stderr to the console and to /run/out/payload.log, writes its
# exit status to /run/out/exit-status and the kernel log to
# /run/out/dmesg.txt, then powers the machine off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export TERM=dumb
export LANG=C.UTF-8
export TMPDIR=/tmp
export OP25B_GUEST=1
umask 022

OUT=/run/out

log() { echo "op25b-guest: $*"; }

# op25bh.trace on the kernel command line traces this script with uptimes.
if [[ " $(</proc/cmdline) " == *" op25bh.trace "* ]]; then
	# shellcheck disable=SC2154,SC2016
	PS4='+ [$(read -r u _ </proc/uptime; echo "$u")] '
	set -x
fi

power_off() {
	sync
	log "powering off"
	# sysrq 'o' works on Debian's kernels even with kernel.sysrq restricted
	# (the sysctl only limits the keyboard); it is asynchronous, so wait.
	echo o >/proc/sysrq-trigger 2>/dev/null
	sleep 10
	# Fallbacks: busybox' poweroff -f and reboot -f call reboot(2) directly;
	# qemu runs with -no-reboot, so a reboot ends it as well.
	busybox poweroff -f 2>/dev/null
	busybox reboot -f 2>/dev/null
	echo b >/proc/sysrq-trigger
	sleep 3600
}

# --- basic system setup -----------------------------------------------------
# The initramfs already did all of this with busybox; here only what is
# missing is done, testing with bash builtins because every exec from the 9p
# root costs noticeable time under TCG.
MOUNTS=$(</proc/self/mounts)
mounted() { [[ $MOUNTS == *" $1 "* ]]; }
ensure_mount() { # ensure_mount DIR TYPE [OPTIONS]
	mounted "$1" && return 0
	[ -d "$1" ] || mkdir -p "$1" 2>/dev/null || return 0
	mount -t "$2" ${3:+-o "$3"} "$2" "$1" 2>/dev/null
}
ensure_mount /dev/pts devpts gid=5,mode=620,ptmxmode=666
ensure_mount /dev/shm tmpfs mode=1777,nosuid,nodev
[ -d /sys/kernel/debug ] && ensure_mount /sys/kernel/debug debugfs
[ -d /sys/kernel/tracing ] && ensure_mount /sys/kernel/tracing tracefs
[ -d /sys/fs/cgroup ] && ensure_mount /sys/fs/cgroup cgroup2
[ -d /sys/fs/bpf ] && ensure_mount /sys/fs/bpf bpf
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
[ -d /run/netns ] || mkdir -p /run/netns /run/lock
read -r lo_flags </sys/class/net/lo/flags 2>/dev/null
if (((${lo_flags:-0} & 1) == 0)); then
	ip link set lo up 2>/dev/null || log "warning: could not bring up lo"
fi

# --- find the repository ----------------------------------------------------
ROOT=
read -r -a CMDLINE </proc/cmdline
for w in "${CMDLINE[@]}"; do
	case $w in
	op25bh.root=*) ROOT=${w#*=} ;;
	esac
done
if [ -z "$ROOT" ]; then
	here=${BASH_SOURCE[0]%/*}
	ROOT=${here%/tests/harness}
fi
export OP25B_ROOT=$ROOT

if ! mounted "$OUT"; then
	log "FATAL: $OUT is not mounted"
	power_off
fi

# --- run the payload --------------------------------------------------------
cd "$ROOT" || log "warning: cannot cd to $ROOT"
read -r KREL </proc/sys/kernel/osrelease
log "kernel $KREL, running payload"
if [ -r "$OUT/payload.sh" ]; then
	# tee runs in a process substitution: if the payload leaves a background
	# process holding stdout, we do not wait for it forever.
	bash "$OUT/payload.sh" </dev/null > >(echo "$BASHPID" >/run/op25b-tee.pid; exec tee "$OUT/payload.log") 2>&1
	rc=$?
	teepid=$(</run/op25b-tee.pid)
else
	log "no $OUT/payload.sh"
	rc=127
	teepid=
fi
log "payload exited with status $rc"

# Let tee drain, then stop whatever the payload left behind.
if [ -n "$teepid" ]; then
	for ((i = 0; i < 30; i++)); do
		kill -0 "$teepid" 2>/dev/null || break
		sleep 0.1
	done
fi
kill -TERM -1 2>/dev/null
sleep 0.2
kill -KILL -1 2>/dev/null

echo "$rc" >"$OUT/exit-status"
dmesg >"$OUT/dmesg.txt" 2>&1
power_off

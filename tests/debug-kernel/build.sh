#!/usr/bin/env bash
# tests/debug-kernel/build.sh [--vars]
#
# The debug kernel of "make check-debug": linux-source-6.1 (Debian's
# package, /usr/src/linux-source-6.1.tar.xz), "make allnoconfig" with the
# fragments tests/debug-kernel/*.config forced (KCONFIG_ALLCONFIG), built
# with "nice make -jN bzImage modules".  Every line of the fragments must end
# up in .config as written, or the build stops and names the lines.
#
# Cache: $OP25B_DEBUG_KERNEL_CACHE (default /var/cache/op25b/debug-kernel,
# or build/debug-kernel-cache when that is not writable), one directory per
# key = hash of the fragments, the linux-source-6.1 package version, the
# compiler version and BUILD_REV below.  A directory with a "complete" stamp
# is reused as is; the two most recent keys are kept, older ones removed.
# The kernel tree stays there after "make clean" (which keeps what external
# modules need): op25b.ko is built against it with KDIR=.
#
# Install: the kernel's modules.* (modules.builtin: everything is built in,
# so the guest suite's modprobe of op25b's dependencies succeeds) and the
# bzImage as vmlinuz go to /lib/modules/KVER, KVER = 6.1.N-op25b-debug,
# where the harness (mkinitramfs.sh, boot.sh) and the guest's kmod find
# them.  No build/ symlink there: DKMS and "deps.sh --kvers" must not take
# it for a kernel with headers.  A /lib/modules/KVER not made by this script
# is never touched.
#
# --vars: print "DEBUG_KVER=... DEBUG_KDIR=..." of the current key and exit
# (1 when that kernel is not built and installed yet); for the Makefile.
#
# Environment: OP25B_DEBUG_KERNEL_CACHE, OP25B_DEBUG_KERNEL_JOBS (default:
# the number of CPUs), OP25B_DEBUG_KERNEL_NICE (default 19).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)

# Bump when the procedure below changes what is built.
BUILD_REV=1
SRC_PKG=linux-source-6.1
TARBALL=/usr/src/$SRC_PKG.tar.xz
TOPDIR=$SRC_PKG # the tarball's top directory
JOBS=${OP25B_DEBUG_KERNEL_JOBS:-$(nproc)}
NICE=${OP25B_DEBUG_KERNEL_NICE:-19}

log() { echo "debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

MODE=build
case ${1:-} in
'') ;;
--vars) MODE=vars ;;
-h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
*) die "unknown argument $1 (see --help)" ;;
esac

[ -r "$TARBALL" ] || die "no $TARBALL (apt-get install $SRC_PKG, or: bash tests/harness/deps.sh --debug)"
mapfile -t FRAGMENTS < <(find "$HERE" -maxdepth 1 -name '*.config' -type f | LC_ALL=C sort)
[ ${#FRAGMENTS[@]} -gt 0 ] || die "no $HERE/*.config"

SRC_VERSION=$(dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null || true)
[ -n "$SRC_VERSION" ] || SRC_VERSION=$(stat -c '%s %Y' "$TARBALL")
CC_VERSION=$(gcc --version 2>/dev/null | head -n1) || die "gcc missing"
KEY=$({
	echo "rev $BUILD_REV"
	echo "source $SRC_PKG $SRC_VERSION"
	echo "cc $CC_VERSION"
	for f in "${FRAGMENTS[@]}"; do
		echo "fragment ${f##*/}"
		cat "$f"
	done
} | sha256sum | cut -c1-16)

CACHE=${OP25B_DEBUG_KERNEL_CACHE:-/var/cache/op25b/debug-kernel}
if [ -z "${OP25B_DEBUG_KERNEL_CACHE:-}" ] && ! { mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ]; }; then
	CACHE=$ROOT/build/debug-kernel-cache
fi
DIR=$CACHE/$KEY
TREE=$DIR/$TOPDIR
STAMP=$DIR/complete # holds KVER

# installed DIR KVER: /lib/modules/KVER is this key's
installed() {
	[ -r "/lib/modules/$2/.op25b-debug-kernel" ] &&
		[ "$(cat "/lib/modules/$2/.op25b-debug-kernel")" = "$KEY" ] &&
		[ -r "/lib/modules/$2/vmlinuz" ]
}

if [ "$MODE" = vars ]; then
	[ -s "$STAMP" ] || die "not built yet (key $KEY): make check-debug, or bash $0"
	KVER=$(cat "$STAMP")
	installed "$DIR" "$KVER" || die "$KVER is not installed in /lib/modules (bash $0)"
	echo "DEBUG_KVER=$KVER DEBUG_KDIR=$TREE"
	exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	log "waiting for another build.sh ($CACHE/.lock)"
	flock 9
fi

kmake() { # the kernel's make, niced, without the caller's make state
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u ARCH -u CROSS_COMPILE \
		-u LOCALVERSION -u KBUILD_OUTPUT -u O -u M -u KVER -u KDIR \
		nice -n "$NICE" make -C "$TREE" "$@"
}

# check_config: every CONFIG_ line of the fragments is in .config as written
check_config() {
	local f line k v got bad=0
	for f in "${FRAGMENTS[@]}"; do
		while IFS= read -r line; do
			[[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]] || continue
			k=${BASH_REMATCH[1]} v=${BASH_REMATCH[2]}
			got=$(grep -m1 -E "^$k=" "$TREE/.config" | cut -d= -f2- || true)
			if [ "$v" = n ]; then
				[ -z "$got" ] && continue
			else
				[ "$got" = "$v" ] && continue
			fi
			log "${f##*/}: $k=$v, but .config has ${got:+$k=$got}${got:-it unset}"
			bad=1
		done <"$f"
	done
	return "$bad"
}

T0=$(date +%s)
if [ -s "$STAMP" ]; then
	KVER=$(cat "$STAMP")
	log "cached: $KVER (key $KEY, $DIR)"
else
	rm -rf "$DIR"
	mkdir -p "$DIR"
	BLOG=$DIR/build.log
	log "building (key $KEY) in $DIR, log $BLOG"
	cat "${FRAGMENTS[@]}" >"$DIR/fragments.config"
	t=$(date +%s)
	nice -n "$NICE" tar -xJf "$TARBALL" -C "$DIR"
	[ -f "$TREE/Makefile" ] || die "$TARBALL has no $TOPDIR/Makefile"
	log "unpacked $SRC_PKG $SRC_VERSION in $(($(date +%s) - t))s"
	if ! kmake allnoconfig KCONFIG_ALLCONFIG="$DIR/fragments.config" >"$BLOG" 2>&1; then
		tail -n 30 "$BLOG" >&2
		die "make allnoconfig failed"
	fi
	check_config || die "the fragments do not hold in .config (a dependency is missing: see the Kconfig help of each)"
	KVER=$(kmake -s kernelrelease)
	[[ $KVER == *-op25b-debug ]] || die "kernelrelease $KVER lacks -op25b-debug (CONFIG_LOCALVERSION)"
	t=$(date +%s)
	log "make -j$JOBS bzImage modules (nice $NICE): $KVER"
	if ! kmake -j"$JOBS" bzImage modules >>"$BLOG" 2>&1; then
		grep -E -m 20 -- 'error|Error' "$BLOG" >&2 || true
		tail -n 30 "$BLOG" >&2
		die "kernel build failed (log $BLOG)"
	fi
	log "built in $(($(date +%s) - t))s"
	STAGE=$DIR/install
	if ! kmake modules_install INSTALL_MOD_PATH="$STAGE" >>"$BLOG" 2>&1; then
		tail -n 30 "$BLOG" >&2
		die "make modules_install failed (log $BLOG)"
	fi
	M=$STAGE/lib/modules/$KVER
	if [ ! -r "$M/modules.builtin" ] || [ ! -r "$M/modules.dep" ]; then
		die "modules_install made no $M/modules.{builtin,dep}"
	fi
	rm -f "$M/build" "$M/source"
	cp "$TREE/arch/x86/boot/bzImage" "$M/vmlinuz"
	cp "$TREE/System.map" "$M/System.map"
	cp "$TREE/.config" "$M/config"
	echo "$KEY" >"$M/.op25b-debug-kernel"
	# keep only what external modules need (.config, headers, scripts,
	# Module.symvers, objtool)
	kmake clean >>"$BLOG" 2>&1 || die "make clean failed (log $BLOG)"
	echo "$KVER" >"$STAMP"
	log "done in $(($(date +%s) - T0))s: $KVER, $(du -sh "$DIR" | cut -f1) in $DIR"
	# the two most recent complete keys stay; failed builds go
	# shellcheck disable=SC2012 # KEY directories: hex names
	keep=$(ls -1dt "$CACHE"/*/complete 2>/dev/null | head -n 2)
	for old in "$CACHE"/*/; do
		old=${old%/}
		[ "$old" = "$DIR" ] && continue
		[[ $'\n'$keep$'\n' == *$'\n'$old/complete$'\n'* ]] && continue
		log "removing old cache entry $old"
		rm -rf "$old"
	done
fi

# --- install into /lib/modules/KVER -------------------------------------------------
M=$DIR/install/lib/modules/$KVER
DEST=/lib/modules/$KVER
if installed "$DIR" "$KVER"; then
	log "installed: $DEST"
else
	if [ -e "$DEST" ] && [ ! -e "$DEST/.op25b-debug-kernel" ]; then
		die "$DEST exists and was not installed by $0; not touching it"
	fi
	[ -w /lib/modules ] || die "cannot write /lib/modules (run as root)"
	rm -rf "$DEST.new"
	cp -a "$M" "$DEST.new"
	rm -rf "$DEST"
	mv "$DEST.new" "$DEST"
	log "installed $DEST (modules.builtin, modules.dep, vmlinuz)"
fi
log "KVER=$KVER KDIR=$TREE ($(($(date +%s) - T0))s)"

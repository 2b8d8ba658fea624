#!/usr/bin/env bash
# deps.sh [--demo|--all] [--debug] [KVER|SERIES...]   install what op25b needs
# deps.sh --check [--demo|--all] [...]  only list what is missing (exit 1 if any)
# deps.sh --kvers                    every usable KVER (vmlinuz + headers), oldest first
# deps.sh --kver SERIES              newest usable KVER of SERIES (6.1, 6.12, 6.1-rt)
#
# For Debian 12 (bookworm), run as root.  Installs, when missing:
#   - the 6.1 kernel image + headers (linux-image-amd64 linux-headers-amd64)
#   - --demo ("make demo"): only that kernel and what the demo needs to
#     build op25b and boot it: DEMO_PKGS below
#   - otherwise ("make check", "make bench"), also the test, packaging and
#     benchmark tools: CHECK_PKGS below
#   - with --all or "6.12": the 6.12 image + headers from bookworm-backports
#     (adding /etc/apt/sources.list.d/bookworm-backports.sources if needed)
#   - with --all or "6.1-rt": the PREEMPT_RT 6.1 image + headers from bookworm
#     (linux-image-rt-amd64 linux-headers-rt-amd64)
#   - with --all or --debug: what tests/debug-kernel/build.sh needs (make
#     check-debug): linux-source-6.1 bc bison flex libelf-dev libssl-dev
#   - a full KVER (e.g. 6.1.0-56-amd64): linux-image-KVER linux-headers-KVER
# "apt-get update" runs once, and only when something is missing.
set -euo pipefail

HARNESS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
# shellcheck source=common.sh
. "$HARNESS/common.sh"

# make demo: build the module and op25bctl, boot the guest, run tests/demo.sh
DEMO_PKGS=(qemu-system-x86 busybox-static kmod cpio libc6-dev libnl-3-dev libnl-genl-3-dev
	pkg-config iproute2 procps gcc make xz-utils)
# make check and make bench, besides DEMO_PKGS: scenarios (nftables, strace,
# python3), sparse, packaging (tests/deploy), benchmarks (tests/bench,
# scenario 50: DPDK, iptables, ipset, trafgen), the fleet agent (its
# libraries; scenario 80: etcd, openssl, curl), the carrier pipelines
# (scenario 81: ulogd2 and tcpdump on NFLOG; 82: node-exporter, promtool),
# PPP sessions (scenario 83: pppoe-server, pppd and its RADIUS plugin,
# FreeRADIUS)
CHECK_PKGS=(nftables strace python3 sparse
	dkms dh-dkms debhelper lintian dpkg-dev fakeroot build-essential systemd
	man-db groff-base bash-completion
	dpdk-dev libdpdk-dev iptables ipset netsniff-ng
	libcurl4-openssl-dev libjson-c-dev libssl-dev etcd-server etcd-client openssl curl
	ulogd2 ulogd2-json tcpdump prometheus-node-exporter prometheus
	ppp pppoe freeradius)
DEBUG_PKGS=(linux-source-6.1 bc bison flex libelf-dev libssl-dev)
BPO_SERIES=6.12
BPO_SUITE=bookworm-backports
BPO_FILE=/etc/apt/sources.list.d/bookworm-backports.sources

log() { echo "deps.sh: $*" >&2; }

pkg_installed() { # pkg_installed NAME: dpkg says "install ok installed"
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

# kernels_of_series SERIES [rt]: KVERs of installed linux-image-KVER packages
# (plain amd64 flavour, or with "rt" the rt-amd64 one) of SERIES that also
# have linux-headers-KVER installed.
kernels_of_series() {
	local s=$1 fl=${2:+$2-} pkg status k
	dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\n' 'linux-image-[0-9]*' 2>/dev/null |
		while IFS=$'\t' read -r pkg status; do
			[ "$status" = "ii " ] || continue
			k=${pkg#linux-image-}
			[[ $k =~ ^[0-9]+\.[0-9]+\.[0-9][^-]*(-[0-9]+)?-${fl}amd64$ ]] || continue
			[ "$(kver_series "$k")" = "$s" ] || continue
			pkg_installed "linux-headers-$k" || continue
			printf '%s\n' "$k"
		done
}

have_bpo_source() {
	grep -rqsE "^[^#]*\b$BPO_SUITE\b" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

# bookworm_uri: the archive URI of the existing "bookworm" entry (deb822 or
# one-line format); falls back to deb.debian.org.
bookworm_uri() {
	local uri=
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
			{
				u = ""; ok = 0
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
					if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
				}
				if (ok && u != "") { print u; exit }
			}' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ]; then
		uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { if ($(i+1) == "bookworm") { print $i; exit } break } }')
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}

add_bpo_source() {
	local uri
	uri=$(bookworm_uri)
	log "adding $BPO_FILE ($uri $BPO_SUITE)"
	cat >"$BPO_FILE" <<EOF
Types: deb
URIs: $uri
Suites: $BPO_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

ORIG_ARGS=$*
MODE=install WANT_BPO=0 WANT_RT=0 WANT_DEBUG=0 WANT_CHECK=1
KERNEL_ARGS=()
while [ $# -gt 0 ]; do
	case $1 in
	--all) WANT_BPO=1 WANT_RT=1 WANT_DEBUG=1 ;;
	--demo) WANT_CHECK=0 ;;
	--debug) WANT_DEBUG=1 ;;
	--check) MODE=check ;;
	--kvers) usable_kvers; exit 0 ;;
	--kver)
		resolve_kver "${2:?--kver needs a series such as 6.1}" || { log "no usable $2 kernel installed"; exit 1; }
		exit 0
		;;
	-h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) log "unknown option $1"; exit 2 ;;
	*) KERNEL_ARGS+=("$1") ;;
	esac
	shift
done

MISSING=()    # from the default suite
MISSING_BPO=() # installed with -t bookworm-backports
NEED_BPO_SOURCE=0

TOOLS=("${DEMO_PKGS[@]}")
[ "$WANT_CHECK" = 0 ] || TOOLS+=("${CHECK_PKGS[@]}")
for p in "${TOOLS[@]}"; do
	pkg_installed "$p" || MISSING+=("$p")
done
if [ "$WANT_DEBUG" = 1 ]; then
	for p in "${DEBUG_PKGS[@]}"; do
		pkg_installed "$p" || MISSING+=("$p")
	done
fi

# 6.1 from bookworm, always.
if [ -z "$(kernels_of_series 6.1)" ]; then
	if pkg_installed linux-image-amd64 && ! dpkg-query -W -f='${Version}' linux-image-amd64 | grep -q '^6\.1\.'; then
		# The meta-packages already point to another series (backports):
		# after apt-get update, install the ABI packages that bookworm's
		# newest 6.1 meta-package depends on (see resolve_61_abi).
		MISSING+=(@6.1-abi)
	else
		MISSING+=(linux-image-amd64 linux-headers-amd64)
	fi
fi
if [ "$WANT_BPO" = 1 ] && [ -z "$(kernels_of_series "$BPO_SERIES")" ]; then
	MISSING_BPO+=(linux-image-amd64 linux-headers-amd64)
	NEED_BPO_SOURCE=1
fi
for k in "${KERNEL_ARGS[@]}"; do
	case $k in
	6.1) ;; # handled above
	6.1-rt) WANT_RT=1 ;;
	*-op25b-debug) ;; # tests/debug-kernel/build.sh's, no package
	"$BPO_SERIES")
		if [ -z "$(kernels_of_series "$BPO_SERIES")" ]; then
			MISSING_BPO+=(linux-image-amd64 linux-headers-amd64)
			NEED_BPO_SOURCE=1
		fi
		;;
	*)
		for p in "linux-image-$k" "linux-headers-$k"; do
			pkg_installed "$p" && continue
			MISSING+=("$p")
			[ "$(kver_series "$k")" = 6.1 ] || NEED_BPO_SOURCE=1
		done
		;;
	esac
done
# PREEMPT_RT 6.1 from bookworm (backports' rt meta-package is 6.12: priority
# 100, so the default suite's 6.1 is what apt picks)
if [ "$WANT_RT" = 1 ] && [ -z "$(kernels_of_series 6.1 rt)" ]; then
	if pkg_installed linux-image-rt-amd64 && ! dpkg-query -W -f='${Version}' linux-image-rt-amd64 | grep -q '^6\.1\.'; then
		MISSING+=(@6.1-rt-abi)
	else
		MISSING+=(linux-image-rt-amd64 linux-headers-rt-amd64)
	fi
fi
# dedupe (bash 4 associative trick keeps order)
dedupe() { local -A s=(); local x; for x in "$@"; do [ -n "${s[$x]:-}" ] || { s[$x]=1; printf '%s\n' "$x"; }; done; }
mapfile -t MISSING < <(dedupe "${MISSING[@]+"${MISSING[@]}"}")
mapfile -t MISSING_BPO < <(dedupe "${MISSING_BPO[@]+"${MISSING_BPO[@]}"}")

if [ "${#MISSING[@]}" = 0 ] && [ "${#MISSING_BPO[@]}" = 0 ]; then
	log "all packages present; kernels: $(usable_kvers | tr '\n' ' ')"
	exit 0
fi

ALL_MISSING="${MISSING[*]-}"
ALL_MISSING="${ALL_MISSING/@6.1-rt-abi/linux-image-6.1.0-*-rt-amd64 linux-headers-6.1.0-*-rt-amd64}"
ALL_MISSING="${ALL_MISSING/@6.1-abi/linux-image-6.1.0-*-amd64 linux-headers-6.1.0-*-amd64}${MISSING_BPO[*]:+ (from $BPO_SUITE:) ${MISSING_BPO[*]}}"
if [ "$MODE" = check ]; then
	echo "missing: $ALL_MISSING"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	log "missing packages: $ALL_MISSING"
	log "run as root:  sudo bash $0${ORIG_ARGS:+ $ORIG_ARGS}"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
if [ "$NEED_BPO_SOURCE" = 1 ] && ! have_bpo_source; then
	add_bpo_source
fi
log "apt-get update"
apt-get update -q
# resolve_61_abi: "linux-image-6.1.0-NN-amd64 linux-headers-6.1.0-NN-amd64"
# for the newest 6.1 version of the linux-image-amd64 meta-package
# (resolve_61_abi rt-: of linux-image-rt-amd64).
resolve_61_abi() {
	local fl=${1:-} v img hdr
	v=$(apt-cache madison "linux-image-${fl}amd64" | awk -F'|' '{ gsub(/ /, "", $2); if ($2 ~ /^6\.1\./) print $2 }' | sort -V | tail -n1)
	[ -n "$v" ] || { log "no 6.1 linux-image-${fl}amd64 in the apt sources"; return 1; }
	img=$(apt-cache depends "linux-image-${fl}amd64=$v" | awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1/ { print $2; exit }')
	hdr=$(apt-cache depends "linux-headers-${fl}amd64=$v" | awk '$1 == "Depends:" && $2 ~ /^linux-headers-6\.1/ { print $2; exit }')
	[ -n "$img" ] && [ -n "$hdr" ] || { log "cannot resolve the 6.1 kernel packages of $v"; return 1; }
	echo "$img $hdr"
}
for i in "${!MISSING[@]}"; do
	case ${MISSING[$i]} in
	@6.1-abi | @6.1-rt-abi)
		fl=
		[ "${MISSING[$i]}" = @6.1-abi ] || fl=rt-
		# shellcheck disable=SC2207
		abi=($(resolve_61_abi "$fl")) || exit 1
		unset 'MISSING[i]'
		MISSING+=("${abi[@]}")
		;;
	esac
done
if [ "${#MISSING[@]}" -gt 0 ]; then
	log "installing: ${MISSING[*]}"
	apt-get install "${APT_OPTS[@]}" "${MISSING[@]}"
fi
if [ "${#MISSING_BPO[@]}" -gt 0 ]; then
	log "installing from $BPO_SUITE: ${MISSING_BPO[*]}"
	apt-get install "${APT_OPTS[@]}" -t "$BPO_SUITE" "${MISSING_BPO[@]}"
fi
# Daemons the scenarios run in guests (80: etcd; 81: ulogd2; 82:
# node_exporter, promtool from prometheus; 83: freeradius): Debian starts
# them on installation; the host has no use for them, so those this run
# installed are stopped and disabled (nothing happens without systemd).
for svc in etcd:etcd-server prometheus:prometheus prometheus-node-exporter:prometheus-node-exporter ulogd2:ulogd2 \
	freeradius:freeradius; do
	case " ${MISSING[*]-} " in *" ${svc#*:} "*) ;; *) continue ;; esac
	systemctl disable --now "${svc%%:*}" >/dev/null 2>&1 && log "stopped and disabled ${svc%%:*} (only the guests run it)"
done
log "kernels now usable: $(usable_kvers | tr '\n' ' ')"
if [ "$WANT_BPO" = 1 ] && [ -z "$(kernels_of_series "$BPO_SERIES")" ]; then
	log "warning: $BPO_SUITE did not provide a $BPO_SERIES kernel"
fi
if [ "$WANT_RT" = 1 ] && [ -z "$(kernels_of_series 6.1 rt)" ]; then
	log "warning: no PREEMPT_RT 6.1 kernel (linux-image-rt-amd64) got installed"
fi

#!/bin/bash
# shellcheck disable=SC2012
# guest-check.sh install|dkms|deb — payload run by tests/harness/boot.sh for
# tests/deploy/run.sh, in a guest whose root is the host's (read-only).
#
# The host has just installed op25b: with the README's "make install"
# (install: updates/op25b.ko, depmod run), with DKMS ("make dkms-install")
# or with the op25b-dkms and op25bctl packages (deb).  Checks that
# "modprobe op25b" loads that module, not the tree's build/KVER/op25b.ko;
# that options in /etc/modprobe.d/op25b.conf reach it; that a plain
# "op25bctl status" autoloads it (MODULE_ALIAS_GENL_FAMILY); for the
# packages also that op25b.service's ExecStart and ExecReload lines apply
# a non-default configuration and refuse a broken one.
#
# Prints TAP to stdout and to /run/out/tap.txt (the host reads the file).
# Exit status 0 iff nothing failed.
set -u
ORIGIN=${1:?usage: guest-check.sh install|dkms|deb}
KVER=$(uname -r)
OUT=${OP25B_OUT:-/run/out}
TAP=$OUT/tap.txt
: >"$TAP"
N=0 FAILED=0

emit() { echo "$*"; echo "$*" >>"$TAP"; }
ok() { N=$((N + 1)); emit "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); emit "not ok $N - $*"; }
skip() { N=$((N + 1)); emit "ok $N - $1 # SKIP $2"; }
diag() { local l; while IFS= read -r l; do emit "#   $l"; done; }
check() { # check DESCRIPTION CMD...: ok if CMD succeeds; its output as diagnostics on failure
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; printf '%s\n' "$out" | tail -n 15 | diag; fi
}
# build_id FILE: the GNU build id of a module file (.ko or .ko.xz)
build_id() {
	local f=$1
	case $f in
	*.xz) xz -dc "$f" >/tmp/op25b-check.ko || return 1; f=/tmp/op25b-check.ko ;;
	esac
	readelf -n "$f" 2>/dev/null | awk '/Build ID:/ { print $3; exit }'
}
# loaded_build_id: the build id of the op25b module in the kernel
loaded_build_id() {
	od -An -tx1 -v -j16 /sys/module/op25b/notes/.note.gnu.build-id 2>/dev/null | tr -d ' \n'
}

emit "# kernel $KVER, op25b from $ORIGIN"
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

# --- the module modprobe finds --------------------------------------------------
modprobe -r op25b 2>/dev/null
FILE=$(modinfo -n op25b 2>&1)
if [ "$ORIGIN" = install ]; then
	WHERE=/lib/modules/$KVER/updates
	BUILT=build/$KVER/op25b.ko
else
	WHERE=/lib/modules/$KVER/updates/dkms
	BUILT=$(ls /var/lib/dkms/op25b/"$VERSION"/"$KVER"/*/module/op25b.ko* 2>/dev/null | head -n1)
fi
case $FILE in
"$WHERE/op25b.ko" | "$WHERE/op25b.ko.xz") ok "modinfo -n op25b is the $ORIGIN module: $FILE" ;;
*) not_ok "modinfo -n op25b is the $ORIGIN module in $WHERE (got '$FILE')" ;;
esac
if [ -n "$BUILT" ] && [ -f "$FILE" ] && cmp -s "$BUILT" "$FILE"; then
	ok "it is the file that was built (${BUILT#/var/lib/dkms/})"
else
	not_ok "it is the file that was built ('${BUILT:-none}')"
fi
emit "# signer: $(modinfo -F signer "$FILE" 2>/dev/null), vermagic: $(modinfo -F vermagic "$FILE" 2>/dev/null)"

check "modprobe op25b" modprobe op25b
if lsmod | grep -q '^op25b '; then ok "op25b is loaded"; else not_ok "op25b is loaded"; fi
WANT=$(build_id "$FILE")
GOT=$(loaded_build_id)
if [ -n "$WANT" ] && [ "$WANT" = "$GOT" ]; then
	ok "the loaded module's build id is the $ORIGIN file's ($GOT)"
else
	not_ok "the loaded module's build id is the $ORIGIN file's (file '$WANT', loaded '$GOT')"
	TREE=build/$KVER/op25b.ko
	[ -f "$TREE" ] && emit "#   the tree's $TREE has $(build_id "$TREE")"
fi
check "/proc/net/op25b/status is readable" cat /proc/net/op25b/status
case $ORIGIN in deb) CTL=/usr/sbin/op25bctl ;; install) CTL=/usr/sbin/op25bctl ;; *) CTL=tools/op25bctl/op25bctl ;; esac

# --- a plain "op25bctl status" loads the module (genl family alias) --------------
modprobe -r op25b
out=$($CTL status 2>&1)
rc=$?
if [ "$rc" = 0 ] && lsmod | grep -q '^op25b ' && [[ $out == *"mode: enforce"* ]]; then
	ok "op25bctl status with op25b unloaded loads it (net-pf-16-proto-16-family-op25b)"
else
	not_ok "op25bctl status with op25b unloaded loads it (exit $rc)"
	printf '%s\n' "$out" | tail -n 5 | diag
fi

# --- options in /etc/modprobe.d/op25b.conf reach the module --------------------------
MPCONF=/etc/modprobe.d/op25b.conf
if [ -f "$MPCONF" ]; then
	modprobe -r op25b
	printf 'options op25b mode=monitor subscribers=10.9.0.0/16 offenders_max=512\n' >/tmp/op25b-modprobe.conf
	mount --bind /tmp/op25b-modprobe.conf "$MPCONF"
	modprobe op25b
	st=$(cat /proc/net/op25b/status 2>&1)
	# the store's size in force (status), not the parameter read back
	slots=$("$CTL" status 2>&1 | sed -n 's/^offenders: \([0-9]*\) slots per CPU$/\1/p')
	umount "$MPCONF"
	if [[ $st == *"mode monitor"* && $st == *"subscriber 1 ipv4 1 "* ]] && [ "$slots" = 512 ]; then
		ok "modprobe applies the options of $MPCONF (mode=monitor, subscribers=, offenders_max=)"
	else
		not_ok "modprobe applies the options of $MPCONF (offenders_max '$slots')"
		printf '%s\n' "$st" | diag
	fi
	modprobe -r op25b
	modprobe op25b
else
	[ "$ORIGIN" = dkms ] && skip "modprobe applies $MPCONF" "make dkms-install ships no modprobe.d file" ||
		not_ok "$MPCONF is installed"
fi

# --- the package's op25b.service ------------------------------------------------
if [ "$ORIGIN" = deb ]; then
	UNIT=/lib/systemd/system/op25b.service
	CTL=/usr/sbin/op25bctl
	CONF=/etc/op25b/op25b.conf
	# unit_cmds KEY: the command lines of KEY= in the unit, without the
	# "-", "@", "+", "!" prefixes systemd knows
	unit_cmds() { sed -n "s/^$1=[-@+!:]*//p" "$UNIT"; }
	mapfile -t START < <(unit_cmds ExecStart)
	mapfile -t RELOAD < <(unit_cmds ExecReload)
	emit "# ExecStart: ${START[*]/%/;} ExecReload: ${RELOAD[*]}"
	if [ "${#START[@]}" = 2 ] && [[ ${START[0]} == */modprobe\ op25b ]] &&
		[ "${START[1]}" = "$CTL load $CONF" ] && [ "${RELOAD[*]}" = "$CTL load $CONF" ]; then
		ok "the unit runs modprobe op25b, then $CTL load $CONF"
	else
		not_ok "the unit runs modprobe op25b, then $CTL load $CONF"
	fi
	modprobe -r op25b
	# a non-default configuration, so that applying it shows
	cat >/tmp/start.conf <<-'EOF'
		mode monitor
		action reject-icmp
		reject-rate 50/s burst 3
		subscriber 10.0.0.0/8 comment "access network"
		subscriber 2001:db8:100::/40
		allow 192.0.2.25 comment "relay"
	EOF
	mount --bind /tmp/start.conf "$CONF"
	rc=0
	for c in "${START[@]}"; do
		# shellcheck disable=SC2086  # systemd splits the line the same way
		out=$($c 2>&1) || { rc=$?; emit "#   '$c' exited $rc: $out"; break; }
	done
	saved=$($CTL save 2>&1 | grep -v '^#' | grep -v '^$' | sort)
	umount "$CONF"
	want=$(printf '%s\n' 'mode monitor' 'action reject-icmp' 'scope all' 'reject-rate 50/s burst 3' \
		'log off rate 10/s burst 5 privacy on' 'alert off' 'subscriber 10.0.0.0/8 comment "access network"' \
		'subscriber 2001:db8:100::/40' 'allow 192.0.2.25/32 comment "relay"' | sort)
	if [ "$rc" = 0 ] && [ "$saved" = "$want" ]; then
		ok "ExecStart loads op25b and applies $CONF (save gives it back)"
	else
		not_ok "ExecStart loads op25b and applies $CONF (exit $rc)"
		diff <(echo "$want") <(echo "$saved") | diag
	fi
	# a broken file over the real one (the guest's / is read-only)
	before=$($CTL save 2>&1 | grep -v '^#')
	{ echo "mode monitor"; echo "subscriber 10.0.0.0/8"; echo "bogus line"; } >/tmp/broken.conf
	mount --bind /tmp/broken.conf "$CONF"
	out=$(${RELOAD[0]} 2>&1)
	rc=$?
	after=$($CTL save 2>&1 | grep -v '^#')
	umount "$CONF"
	if [ "$rc" != 0 ] && [[ $out == *"$CONF:3:"* ]] && [ "$before" = "$after" ]; then
		ok "ExecReload of a broken file fails (exit $rc, '$out'), config kept"
	else
		not_ok "ExecReload of a broken file fails with $CONF:3:, config kept"
		{ echo "exit $rc, stderr: $out"; diff <(echo "$before") <(echo "$after"); } | diag
	fi
	{ echo "mode enforce"; echo "subscriber 10.0.0.0/8 comment \"reload test\""; } >/tmp/good.conf
	mount --bind /tmp/good.conf "$CONF"
	out=$(${RELOAD[0]} 2>&1)
	rc=$?
	umount "$CONF"
	saved=$($CTL save 2>&1 | grep -v '^#' | grep -v '^$' | sort)
	want=$(printf '%s\n' 'mode enforce' 'action drop' 'scope all' 'reject-rate 1000/s burst 5' \
		'log off rate 10/s burst 5 privacy on' 'alert off' 'subscriber 10.0.0.0/8 comment "reload test"' | sort)
	if [ "$rc" = 0 ] && [ "$saved" = "$want" ]; then
		ok "ExecReload applies a changed file (and only it: the rest back to defaults)"
	else
		not_ok "ExecReload applies a changed file (exit $rc: $out)"
		diff <(echo "$want") <(echo "$saved") | diag
	fi
	check "the packaged op25bctl talks to the module (op25bctl status)" "$CTL" status
fi

check "modprobe -r op25b" modprobe -r op25b
emit "1..$N"
[ "$FAILED" = 0 ]

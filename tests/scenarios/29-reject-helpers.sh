#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reject actions' kernel helpers (nf_reject_ipv4, nf_reject_ipv6) are
# requested when a reject action is first set, by a SET or by the commit of
# "op25bctl load"; op25b itself loads without them and "action drop" never
# needs them.  When they cannot be loaded, the request fails with a message
# naming them and changes nothing.  op25b holds them while loaded and lets
# them go at its unload.
#
# The kernel's module loader runs /proc/sys/kernel/modprobe: pointing it at
# /bin/false makes every request_module() fail, as on a kernel built
# without those modules.  Everything here happens in the initial namespace,
# as on a gateway; op25b is loaded again, plainly, at the end.
# On the debug kernel, 30 and 31 load the helpers (modules there too)
# and take the reject actions' paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
require_module
require_ko
for m in nf_reject_ipv4 nf_reject_ipv6; do
	grep -q "/$m.ko" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null &&
		skip "$m is built into this kernel: nothing to request"
done
MODPROBE=$(cat /proc/sys/kernel/modprobe)
WORK=$(mktemp -d)
restore() {
	echo "$MODPROBE" >/proc/sys/kernel/modprobe
	lsmod | grep -q '^op25b ' && rmmod op25b
	insmod "$OP25B_KO"
	rm -rf "$WORK"
}
trap restore EXIT

# unload_helpers: op25b is out; the helpers go, with whatever else uses them
unload_helpers() {
	local m h
	for m in nf_reject_ipv6 nf_reject_ipv4; do
		[ -d "/sys/module/$m" ] || continue
		for h in /sys/module/$m/holders/*; do
			[ -e "$h" ] && rmmod "${h##*/}"
		done
		rmmod "$m" || return 1
	done
}
helpers() { lsmod | awk '$1 ~ /^nf_reject_ipv[46]$/ { print $1 }' | sort | tr '\n' ' '; }
conf() { op25bctl save | grep -v '^#'; }

rmmod op25b || exit 1
unload_helpers || { fail "the helpers could not be unloaded: $(lsmod | grep nf_reject)"; finish; }
echo /bin/false >/proc/sys/kernel/modprobe || exit 1
insmod "$OP25B_KO" subscribers=10.0.0.0/8 || { fail "plain insmod without the helpers"; finish; }
ok "op25b loads with no helper there"
op25bctl action drop
assert_eq "action drop needs no helper" "0 " "$? $(helpers)"

before=$(conf)
out=$(op25bctl action reject-tcp 2>&1)
assert_eq "action reject-tcp, helpers not loadable: exit 2" 2 $?
assert "... naming the module ($out)" \
	grep -qE "reject actions need the kernel module nf_reject_ipv[46], which could not be loaded" <<<"$out"
assert_eq "... and nothing changed" "$before" "$(conf)"

printf 'mode monitor\naction reject-icmp\nsubscriber 10.1.0.0/16\n' >"$WORK/reject.conf"
out=$(op25bctl load "$WORK/reject.conf" 2>&1)
assert_eq "load of a file with action reject-icmp: exit 2" 2 $?
assert "... naming the module ($out)" grep -qE "nf_reject_ipv[46], which could not be loaded" <<<"$out"
assert_eq "... and nothing changed (mode, action, tables)" "$before" "$(conf)"
assert_eq "no helper got loaded meanwhile" "" "$(helpers)"

echo "$MODPROBE" >/proc/sys/kernel/modprobe || exit 1
op25bctl load "$WORK/reject.conf"
assert_eq "with modprobe back, the same load loads both helpers" "0 nf_reject_ipv4 nf_reject_ipv6 " "$? $(helpers)"
assert "... and applies the file" has_line "$(op25bctl status)" "action: reject-icmp"
refs=$(cat /sys/module/nf_reject_ipv4/refcnt /sys/module/nf_reject_ipv6/refcnt | tr '\n' ' ')
assert "op25b holds both ($refs)" [ "${refs%% *}" -ge 1 -a "${refs#* }" -ge 1 ]
op25bctl action drop || fail "action drop"
rmmod op25b || exit 1
refs=$(cat /sys/module/nf_reject_ipv4/refcnt /sys/module/nf_reject_ipv6/refcnt | tr '\n' ' ')
assert_eq "its unload lets them go" "0 0 " "$refs"
assert "... and they unload" unload_helpers
finish

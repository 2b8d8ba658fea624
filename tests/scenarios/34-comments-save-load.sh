#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Entry comments: given on add, shown by list in the form add -f reads
# back, kept by save and load; save -> load -> save gives the same file
# but for its header line.  Loading an empty file restores the defaults.
# op25bctl's file format round trip, the same on every kernel:
# op25b: once
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
allow_netns_log || exit 1

ctl subscriber add 10.10.0.0/24 comment "PPPoE pool 1" 2001:db8:10::/64 \
	iif ppp+ comment 'café "quoted" \ back' iif '#1' comment '# not a comment' ||
	fail "subscriber add with comments"
ctl allow add 192.0.2.25 comment "smtp relay" 2001:db8:ee::25 || fail "allow add"
ctl exempt add 10.10.0.5 comment "customer 4711" || fail "exempt add"
ctl target add 198.51.100.0/24 comment spamhaus || fail "target add"
ctl action reject-icmp && ctl scope targets && ctl mode monitor &&
	ctl set reject-rate 20/s burst 3 && ctl set log on rate 2/s privacy off ||
	fail "settings"

LIST=$'10.10.0.0/24 comment "PPPoE pool 1"\n2001:db8:10::/64\niif #1 comment "# not a comment"\niif ppp+ comment "café \\"quoted\\" \\\\ back"'
assert_eq "list shows the comments, quoted" "$LIST" "$(ctl subscriber list)"
assert_eq "del ignores comments" 0 \
	"$(ctl exempt del 10.10.0.5 comment whatever; echo $?)"
ctl exempt add 10.10.0.5 comment "customer 4711" || fail "exempt add again"

ctl save >"$WORK/s1" || fail "save"
read -r header <"$WORK/s1"
case $header in
"# op25b configuration saved by op25bctl "*" from netns $NS_GW at "*Z) ok "save: the header names tool, namespace and time" ;;
*) fail "save header: $header" ;;
esac
BODY=$'mode monitor\naction reject-icmp\nscope targets\nreject-rate 20/s burst 3\nlog on rate 2/s burst 5 privacy off\nalert off\n\nsubscriber 10.10.0.0/24 comment "PPPoE pool 1"\nsubscriber 2001:db8:10::/64\nsubscriber iif "#1" comment "# not a comment"\nsubscriber iif ppp+ comment "café \\"quoted\\" \\\\ back"\n\nallow 192.0.2.25/32 comment "smtp relay"\nallow 2001:db8:ee::25/128\n\nexempt 10.10.0.5/32 comment "customer 4711"\n\ntarget 198.51.100.0/24 comment "spamhaus"'
IFS= read -rd '' s1 <"$WORK/s1"
s1=${s1#*$'\n'}
assert_eq "save: every setting, then the tables in order" "$BODY" "${s1%$'\n'}"

# an empty file is a configuration too: every default, no entries
ctl load /dev/null || fail "load of an empty file"
ctl save >"$WORK/s0" || fail "save"
IFS= read -rd '' s0 <"$WORK/s0"
assert_eq "after loading an empty file: the defaults" \
	$'mode enforce\naction drop\nscope all\nreject-rate 1000/s burst 5\nlog off rate 10/s burst 5 privacy on\nalert off' \
	"$(s0=${s0#*$'\n'}; echo "${s0%$'\n'}")"

ctl load "$WORK/s1" || fail "load of the saved file"
assert_eq "after load: list shows the comments again" "$LIST" "$(ctl subscriber list)"
ctl save >"$WORK/s2" || fail "save again"
IFS= read -rd '' s2 <"$WORK/s2"
assert_eq "save -> load -> save: identical but the header" "$s1" "${s2#*$'\n'}"

# list output read back by add -f, comments and all
ctl subscriber list >"$WORK/l" && ctl subscriber flush &&
	ctl subscriber add -f "$WORK/l" || fail "add -f of a listing"
assert_eq "add -f of the listing restores it" "$LIST" "$(ctl subscriber list)"
finish

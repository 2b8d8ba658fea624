#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's transaction rules, spoken raw: one transaction per
# namespace, owned by its socket, aborted when that socket closes, staged
# changes invisible until commit, a failed commit changing nothing, and a
# commit replacing settings and every table at once.
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
ctl subscriber add 10.10.0.0/16 || exit 1
ctl allow add 192.0.2.25 || exit 1

out=$(in_ns $NS_GW op25b_rawnl.py txn 2>&1)
rc=$?
log "$out"
assert "transaction rules hold" [ $rc -eq 0 ]
assert_eq "the commit left exactly the loaded entry" "10.78.0.0/16" \
	"$(ctl allow list | sed 's/ comment.*//')"
assert_eq "and its comment" 'comment "loaded"' \
	"$(ctl allow list | grep -o 'comment.*')"
finish

#!/bin/bash
# harness self-test: a scenario that passes and checks its environment
set -e
[ "$OP25B_KVER" = "$(uname -r)" ]
[ -d "$OP25B_ROOT/tests/harness" ]
[ "$(pwd)" = "$OP25B_ROOT" ]
case ":$PATH:" in *":$OP25B_ROOT/tools/op25bctl:"*) ;; *) echo "PATH lacks tools/op25bctl"; exit 1 ;; esac
# /tmp must be writable, the repository must not be
echo ok >"$TMPDIR/selftest.$$"
if touch "$OP25B_ROOT/.selftest-ro-probe" 2>/dev/null; then echo "repository is writable"; exit 1; fi
# process substitution needs /dev/fd
diff <(echo a) <(echo a)
ip netns add selftest$$ && ip netns del selftest$$
echo "pass scenario ok"

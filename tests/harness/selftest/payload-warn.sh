#!/bin/bash
# harness self-test payload: loads a module whose init does WARN_ON(1).
# payload-warn.sh MODULE.ko [nopanic]
# With "nopanic", kernel.panic_on_warn is turned off first, so the guest
# survives and boot.sh must find the WARNING in the logs (exit 126);
# otherwise panic_on_warn=1 from the kernel command line panics the guest.
ko=$1
if [ "${2-}" = nopanic ]; then
	echo 0 >/proc/sys/kernel/panic_on_warn || exit 3
fi
insmod "$ko" || exit 3
echo "selftest: module with WARN_ON loaded"
exit 0

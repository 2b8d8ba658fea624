/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for the host tests: "ok N - ..." / "not ok N - ...". */
#ifndef OP25BCTL_TAP_H
#define OP25BCTL_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define ok(cond, ...)							\
	do {								\
		int _ok = !!(cond);					\
		printf("%sok %d - ", _ok ? "" : "not ", ++tap_n);	\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
		if (!_ok) {						\
			tap_failed++;					\
			printf("#   failed at %s:%d: %s\n", __FILE__,	\
			       __LINE__, #cond);			\
		}							\
	} while (0)

/* Prints the plan and gives main()'s return value. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* OP25BCTL_TAP_H */

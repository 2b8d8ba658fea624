/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the host tests, tests/unit/ and op25bctl's
 * alike: "ok N - ..." / "not ok N - ...", then the plan (counted by
 * check.sh).
 */
#ifndef OP25B_TAP_H
#define OP25B_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3)))
tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
}

/* Prints the plan and gives main()'s return value. */
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* OP25B_TAP_H */

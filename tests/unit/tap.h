/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal TAP producer for the host unit tests (counted by check.sh). */
#ifndef OP25B_TAP_H
#define OP25B_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3)))
tap_ok(int cond, const char *fmt, ...)
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

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif

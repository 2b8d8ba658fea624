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

/*
 * Output captured in memory: write to the stream tap_mem_open() gives,
 * then tap_mem_text() closes it and gives what was written (malloc'd).
 */
struct tap_mem {
	FILE *f;
	char *text;
	size_t len;
};

static inline FILE *tap_mem_open(struct tap_mem *m)
{
	m->text = NULL;
	m->len = 0;
	m->f = open_memstream(&m->text, &m->len);
	return m->f;
}

static inline char *tap_mem_text(struct tap_mem *m)
{
	fclose(m->f);
	return m->text;
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

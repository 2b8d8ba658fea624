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
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* OP25BCTL_TAP_H */

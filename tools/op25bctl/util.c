// SPDX-License-Identifier: GPL-2.0
/* Messages and name lookups shared by the commands. */
#include <stdarg.h>
#include <string.h>

#include "op25bctl.h"

static void verr(const char *fmt, va_list ap)
{
	fputs("op25bctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	fputs("see: op25bctl help\n", stderr);
	return EXIT_ERR;
}

const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

int value_of(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

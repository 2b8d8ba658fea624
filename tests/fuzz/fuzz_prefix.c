// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: op25b_parse_prefix() on arbitrary counted strings.  Whatever
 * parses must be a valid entry (prefix length in range, no host bits), and
 * parsing must not read past len (ASan: the input is copied to a buffer of
 * exactly len bytes, not NUL terminated).
 */
#include <stdlib.h>
#include <string.h>

#include "op25b_parse.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct op25b_entry e;
	enum op25b_parse_err err;
	char *s = malloc(size ? size : 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	memset(&e, 0, sizeof(e));
	err = op25b_parse_prefix(s, size, &e);
	if (!op25b_parse_strerror(err))
		abort();
	if (err == OP25B_PERR_NONE) {
		if (e.kind != OP25B_KIND_IPV4 && e.kind != OP25B_KIND_IPV6)
			abort();
		if (op25b_entry_validate(&e) != OP25B_TERR_NONE)
			abort();
	}
	free(s);
	return 0;
}

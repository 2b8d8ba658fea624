// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: conf_parse() (op25b.conf(5)) on arbitrary buffers, and the
 * round trip: whatever parses is written with conf_put() (what "save"
 * writes), which must parse again, to the same settings and entries
 * (comments included), and write back byte for byte the same.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char *put(const struct conf *c, size_t *len)
{
	const struct op25b_entry *e[__OP25B_TABLE_MAX];
	uint32_t n[__OP25B_TABLE_MAX];
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	int t;

	if (!f)
		abort();
	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		e[t] = c->t[t].e;
		n[t] = c->t[t].n;
	}
	conf_put(f, &c->set, e, n);
	if (fclose(f))
		abort();
	return out;
}

static const char *cmt(const struct op25b_entry *e)
{
	return e->comment ? e->comment : "";
}

static void same(const struct conf *a, const struct conf *b)
{
	int t;
	uint32_t i;

	if (a->set.has != b->set.has)
		abort();
	if (memcmp(&a->set, &b->set, sizeof(a->set)))
		abort();
	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		if (a->t[t].n != b->t[t].n)
			abort();
		for (i = 0; i < a->t[t].n; i++) {
			if (op25b_entry_cmp(&a->t[t].e[i], &b->t[t].e[i]))
				abort();
			if (strcmp(cmt(&a->t[t].e[i]), cmt(&b->t[t].e[i])))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct conf c1, c2, c3;
	char *b1, *o1, *o2, *o3;
	size_t l1, l2, l3;
	int r;

	if (size > 65536)
		return 0;
	b1 = malloc(size + 1);
	if (!b1)
		return 0;
	memcpy(b1, data, size);
	conf_init(&c1);
	r = conf_parse(&c1, b1, size, "fuzz.conf");
	if (r) {
		if (!c1.err[0] || strncmp(c1.err, "fuzz.conf:", 10))
			abort();
		conf_free(&c1);
		free(b1);
		return 0;
	}
	o1 = put(&c1, &l1);
	/* the parser writes a NUL at o1[l1]: open_memstream leaves one */
	conf_init(&c2);
	if (conf_parse(&c2, o1, l1, "round.conf"))
		abort();
	same(&c1, &c2);
	o2 = put(&c2, &l2);
	/* o1 was modified in place by the parser: compare o2 to a fresh put */
	o3 = put(&c1, &l3);
	if (l2 != l3 || memcmp(o2, o3, l2))
		abort();
	conf_init(&c3);
	if (conf_parse(&c3, o3, l3, "again.conf"))
		abort();
	same(&c2, &c3);
	conf_free(&c3);
	conf_free(&c2);
	conf_free(&c1);
	free(o3);
	free(o2);
	free(o1);
	free(b1);
	return 0;
}

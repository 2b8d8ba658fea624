// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: op25b_table_apply() on a sequence of fuzzed batches (adds and
 * deletes of IPv4, IPv6 and interface entries drawn from small pools, so
 * that they overlap, nest and collide, some with timeouts) and
 * op25b_table_expire() at fuzzed times, against a naive reference: a
 * plain array of entries.  After each step:
 *  - a batch of valid, distinct entries that are all absent or timed
 *    (add: a timed one is refreshed) or all present (del) must be
 *    applied, any other must fail and change nothing; an expiry removes
 *    exactly the timed entries due;
 *  - the table holds exactly the reference's entries, in listing order;
 *  - membership of probe addresses (op25b_set4_has/op25b_set6_has, and
 *    op25b_table_find4/6) is what a linear scan of the reference says.
 */
#include <stdlib.h>
#include <string.h>

#include "op25b_table.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MAXREF	256
#define MAXB	32
#define TMAX	64

struct in {
	const unsigned char *p;
	size_t n;
};

static unsigned int get(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static const u32 pool4[] = {
	0x00000000, 0x0a000000, 0x0a0a0000, 0x0a0a0005, 0x0a0a0080,
	0xc0000200, 0xc0000201, 0xc00002ff, 0xffffffff, 0x80000000,
	0x7fffffff, 0xc6336400,
};

static __uint128_t v6(u64 hi, u64 lo)
{
	return ((__uint128_t)hi << 64) | lo;
}

static void gen(struct in *in, struct op25b_entry *e, char *cbuf)
{
	unsigned int k = get(in), a = get(in), p = get(in), j;

	memset(e, 0, sizeof(*e));
	e->kind = k % 3;
	switch (e->kind) {
	case OP25B_KIND_IPV4:
		e->v4 = pool4[a % (sizeof(pool4) / sizeof(pool4[0]))] ^
			((a >> 4) ? ((u32)get(in) << (get(in) % 32)) : 0);
		e->plen = p % 34;
		if (!(p & 0x80) && e->plen <= 32)
			e->v4 &= op25b_mask4(e->plen);
		break;
	case OP25B_KIND_IPV6: {
		static const u64 hi[] = { 0, 0x20010db800000000ULL,
			0x20010db8000a0000ULL, 0xfe80000000000000ULL,
			0xffffffffffffffffULL, 0x8000000000000000ULL };

		e->v6 = v6(hi[a % 6], (a & 8) ? 0x25 : 0) ^
			((a >> 4) ? ((__uint128_t)get(in) << (get(in) % 128)) : 0);
		e->plen = p % 130;
		if (!(p & 0x80) && e->plen <= 128)
			e->v6 &= op25b_mask6(e->plen);
		break;
	}
	default: {
		static const char *const names[] = { "eth0", "eth+", "e+",
			"+", "ppp1", "eth00", "", "a/b", "veth12345678901",
			"veth123456789012", "x+y" };

		strncpy(e->ifname, names[a % 11], IFNAMSIZ);
		break;
	}
	}
	j = get(in);
	if (j & 1) {
		/* a few expiry seconds, so that refreshes and expiries meet */
		e->timeout = 1 + (j >> 1) % 8;
		e->expires = e->timeout + (j >> 4) % 4;
	}
	if (k & 0x80) {
		for (j = 0; j < 8; j++)
			cbuf[j] = (char)(get(in) | (k & 0x40 ? 0 : 0x40));
		cbuf[j] = '\0';
		e->comment = cbuf;
	}
}

static int find(const struct op25b_entry *ref, u32 n,
		const struct op25b_entry *e)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!op25b_entry_cmp(&ref[i], e))
			return (int)i;
	return -1;
}

static bool ref_has4(const struct op25b_entry *ref, u32 n, u32 a)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ref[i].kind == OP25B_KIND_IPV4 &&
		    !((a ^ ref[i].v4) & op25b_mask4(ref[i].plen)))
			return true;
	return false;
}

static bool ref_has6(const struct op25b_entry *ref, u32 n, __uint128_t a)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ref[i].kind == OP25B_KIND_IPV6 &&
		    !((a ^ ref[i].v6) & op25b_mask6(ref[i].plen)))
			return true;
	return false;
}

static void check(const struct op25b_table *t, struct op25b_entry *ref,
		  u32 n, struct in *in)
{
	struct op25b_entry got;
	u32 i;

	if (op25b_table_size(t) != n)
		abort();
	qsort(ref, n, sizeof(*ref), op25b_entry_cmp);
	for (i = 0; i < n; i++) {
		op25b_table_get(t, i, &got);
		if (op25b_entry_cmp(&got, &ref[i]) ||
		    got.timeout != ref[i].timeout ||
		    (got.timeout && got.expires != ref[i].expires))
			abort();
	}
	for (i = 0; i < n + 8; i++) {
		u32 a4;
		__uint128_t a6;
		struct op25b_entry m;
		bool h;

		if (i < n && ref[i].kind == OP25B_KIND_IPV4) {
			a4 = ref[i].v4 + (u32)(get(in) % 3) - 1;
		} else {
			a4 = pool4[get(in) % 12] + (u32)(get(in) % 3) - 1;
		}
		h = ref_has4(ref, n, a4);
		if (op25b_set4_has(&t->v4, &a4) != h ||
		    op25b_table_find4(t, a4, &m) != h)
			abort();
		if (h && ((a4 ^ m.v4) & op25b_mask4(m.plen)))
			abort();
		if (i < n && ref[i].kind == OP25B_KIND_IPV6)
			a6 = ref[i].v6 + (__uint128_t)(get(in) % 3) - 1 +
			     (get(in) & 1 ? ~op25b_mask6(ref[i].plen) : 0);
		else
			a6 = v6(0x20010db800000000ULL, get(in)) +
			     ((__uint128_t)get(in) << 80) - 1;
		h = ref_has6(ref, n, a6);
		if (op25b_set6_has(&t->v6, a6) != h ||
		    op25b_table_find6(t, a6, &m) != h)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct op25b_entry ref[MAXREF], tmp[MAXREF];
	static char cbuf[MAXB][9];
	struct op25b_entry batch[MAXB];
	struct op25b_table *t = op25b_table_new(), *nt;
	struct in in = { data, size };
	u32 n = 0;

	if (!t)
		abort();
	while (in.n) {
		unsigned int op = get(&in);
		u32 nb = get(&in) % MAXB, i, nn, fresh = 0;
		bool ok = true;
		enum op25b_table_err err;
		u32 bad, ex[2];
		int at;

		if ((op & 6) == 6) {
			/* expiry at second nb % 12 */
			if (op25b_table_expire(t, nb % 12, &nt, ex) != OP25B_TERR_NONE)
				abort();
			for (i = 0, nn = 0; i < n; i++)
				if (!ref[i].timeout || ref[i].expires > nb % 12)
					tmp[nn++] = ref[i];
				else
					ex[ref[i].kind != OP25B_KIND_IPV4]--;
			if (ex[0] || ex[1])
				abort();
			memcpy(ref, tmp, nn * sizeof(*ref));
			n = nn;
			check(nt, ref, n, &in);
			op25b_table_free(t);
			t = nt;
			continue;
		}

		for (i = 0; i < nb; i++) {
			gen(&in, &batch[i], cbuf[i]);
			batch[i].pos = i;
			if (op25b_entry_validate(&batch[i]) != OP25B_TERR_NONE)
				ok = false;
		}
		/* distinct, all absent or timed (add) or all present (del) */
		for (i = 0; i < nb && ok; i++) {
			at = find(ref, n, &batch[i]);
			if (find(batch, i, &batch[i]) >= 0)
				ok = false;
			else if (op & 1)
				ok = at >= 0;
			else if (at >= 0 && !ref[at].timeout)
				ok = false;
			fresh += at < 0;
		}
		if (ok && !(op & 1) && n + fresh > TMAX)
			ok = false;
		nt = NULL;
		err = op25b_table_apply(t, op & 1 ? OP25B_OP_DEL : OP25B_OP_ADD,
					batch, nb, TMAX, &nt, &bad);
		if (err == OP25B_TERR_NOMEM)
			abort();
		if (ok != (err == OP25B_TERR_NONE))
			abort();
		if (err != OP25B_TERR_NONE) {
			if (nt)
				abort();
			check(t, ref, n, &in);
			continue;
		}
		if (op & 1) {
			for (i = 0, nn = 0; i < n; i++)
				if (find(batch, nb, &ref[i]) < 0)
					tmp[nn++] = ref[i];
			memcpy(ref, tmp, nn * sizeof(*ref));
			n = nn;
		} else {
			for (i = 0; i < nb; i++) {
				at = find(ref, n, &batch[i]);
				ref[at >= 0 ? (u32)at : n++] = batch[i];
			}
		}
		for (i = 0; i < n; i++)
			ref[i].comment = NULL;	/* cbuf is reused */
		check(nt, ref, n, &in);
		op25b_table_free(t);
		t = nt;
	}
	op25b_table_free(t);
	return 0;
}

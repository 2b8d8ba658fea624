// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup tables; see op25b_table.h for the design.
 * Plain C shared by the module and the host-side tests.
 */
#include "op25b_table.h"

/*
 * About one bucket per interval keeps a lookup at two or three cache
 * lines; the cap bounds the bucket array at 16 MiB for huge tables.
 */
#define OP25B_BUCKET_BITS_MAX	22

static const char *const op25b_terr_text[] = {
	[OP25B_TERR_NONE]	= "success",
	[OP25B_TERR_PLEN]	= "prefix length out of range",
	[OP25B_TERR_HOSTBITS]	= "prefix has host bits set",
	[OP25B_TERR_IFNAME]	= "invalid interface name",
	[OP25B_TERR_DUPLICATE]	= "entry given twice in one request",
	[OP25B_TERR_EXISTS]	= "entry already in table",
	[OP25B_TERR_MISSING]	= "entry not in table",
	[OP25B_TERR_FULL]	= "table full (see module parameter table_max)",
	[OP25B_TERR_IIF_FULL]	= "too many interface entries",
	[OP25B_TERR_NOMEM]	= "out of memory",
};

static const int op25b_terr_errno[] = {
	[OP25B_TERR_NONE]	= 0,
	[OP25B_TERR_PLEN]	= -EINVAL,
	[OP25B_TERR_HOSTBITS]	= -EINVAL,
	[OP25B_TERR_IFNAME]	= -EINVAL,
	[OP25B_TERR_DUPLICATE]	= -EINVAL,
	[OP25B_TERR_EXISTS]	= -EEXIST,
	[OP25B_TERR_MISSING]	= -ENOENT,
	[OP25B_TERR_FULL]	= -ENOSPC,
	[OP25B_TERR_IIF_FULL]	= -ENOSPC,
	[OP25B_TERR_NOMEM]	= -ENOMEM,
};

const char *op25b_table_strerror(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_text))
		return "unknown error";
	return op25b_terr_text[err];
}

int op25b_table_errno(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_errno))
		return -EINVAL;
	return op25b_terr_errno[err];
}

static unsigned int op25b_fls32(u32 x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static unsigned int op25b_fls128(__uint128_t x)
{
	u64 hi = (u64)(x >> 64);

	if (hi)
		return 128 - __builtin_clzll(hi);
	return (u64)x ? 64 - __builtin_clzll((u64)x) : 0;
}

static unsigned int op25b_bucket_bits(u32 niv)
{
	unsigned int bits = op25b_fls32(niv);

	return bits > OP25B_BUCKET_BITS_MAX ? OP25B_BUCKET_BITS_MAX : bits;
}

/*
 * What the kernel accepts as a device name (dev_valid_name(), whose
 * isspace() includes 0xa0), with '+'
 * allowed only last, as the wildcard iptables has.
 */
static bool op25b_ifname_valid(const char *name)
{
	size_t len = strnlen(name, IFNAMSIZ), i;

	if (!len || len == IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r') ||
		    (unsigned char)c == 0xa0)
			return false;
		if (c == '+' && i != len - 1)
			return false;
	}
	return true;
}

enum op25b_table_err op25b_entry_validate(const struct op25b_entry *e)
{
	switch (e->kind) {
	case OP25B_KIND_IPV4:
		if (e->plen > 32)
			return OP25B_TERR_PLEN;
		if (e->v4 & ~op25b_mask4(e->plen))
			return OP25B_TERR_HOSTBITS;
		return OP25B_TERR_NONE;
	case OP25B_KIND_IPV6:
		if (e->plen > 128)
			return OP25B_TERR_PLEN;
		if (e->v6 & ~op25b_mask6(e->plen))
			return OP25B_TERR_HOSTBITS;
		return OP25B_TERR_NONE;
	case OP25B_KIND_IIF:
		return op25b_ifname_valid(e->ifname) ? OP25B_TERR_NONE :
						       OP25B_TERR_IFNAME;
	}
	return OP25B_TERR_IFNAME;
}

int op25b_entry_cmp(const void *pa, const void *pb)
{
	const struct op25b_entry *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case OP25B_KIND_IPV4:
		if (a->v4 != b->v4)
			return a->v4 < b->v4 ? -1 : 1;
		break;
	case OP25B_KIND_IPV6:
		if (a->v6 != b->v6)
			return a->v6 < b->v6 ? -1 : 1;
		break;
	default:
		return strncmp(a->ifname, b->ifname, IFNAMSIZ);
	}
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

static bool op25b_batch_sorted(const struct op25b_entry *b, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (op25b_entry_cmp(&b[i - 1], &b[i]) > 0)
			return false;
	return true;
}

/* ---- IPv4 ---- */

static void op25b_set4_free(struct op25b_set4 *s)
{
	op25b_free(s->addr);
	op25b_free(s->plen);
	op25b_free(s->start);
	op25b_free(s->end);
	op25b_free(s->bucket);
}

static int op25b_set4_alloc(struct op25b_set4 *s, u32 n)
{
	/* size 1 at least, so that an empty set is not a failed allocation */
	u32 cap = n ? n : 1;

	s->n = n;
	s->addr = op25b_alloc_array(cap, sizeof(*s->addr));
	s->plen = op25b_alloc_array(cap, sizeof(*s->plen));
	s->start = op25b_alloc_array(cap, sizeof(*s->start));
	s->end = op25b_alloc_array(cap, sizeof(*s->end));
	if (!s->addr || !s->plen || !s->start || !s->end)
		return -ENOMEM;
	return 0;
}

static int op25b_set4_compile(struct op25b_set4 *s)
{
	u32 i, k = 0, b, span;

	for (i = 0; i < s->n; i++) {
		u32 lo = s->addr[i], hi = lo | ~op25b_mask4(s->plen[i]);

		/* entries are sorted by start: merge overlap and adjacency */
		if (k && (lo <= s->end[k - 1] || lo - 1 == s->end[k - 1])) {
			if (hi > s->end[k - 1])
				s->end[k - 1] = hi;
			continue;
		}
		s->start[k] = lo;
		s->end[k] = hi;
		k++;
	}
	s->niv = k;
	if (!k) {
		s->nbuckets = 0;
		s->shift = 0;
		return 0;
	}
	span = s->end[k - 1] - s->start[0];
	b = op25b_bucket_bits(k);
	s->shift = op25b_fls32(span) > b ? op25b_fls32(span) - b : 0;
	s->nbuckets = (span >> s->shift) + 1;
	s->bucket = op25b_alloc_array(s->nbuckets + 1, sizeof(*s->bucket));
	if (!s->bucket)
		return -ENOMEM;
	/* bucket[j]: first interval that ends at or after bucket j's start */
	for (i = 0, b = 0; b < s->nbuckets; b++) {
		u32 first = s->start[0] + (b << s->shift);

		while (i < k && s->end[i] < first)
			i++;
		s->bucket[b] = i;
	}
	s->bucket[s->nbuckets] = k;
	return 0;
}

static int op25b_cmp4(u32 a, u8 ap, const struct op25b_entry *e)
{
	if (a != e->v4)
		return a < e->v4 ? -1 : 1;
	if (ap != e->plen)
		return ap < e->plen ? -1 : 1;
	return 0;
}

static enum op25b_table_err op25b_set4_merge(const struct op25b_set4 *old,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 nb, struct op25b_set4 *s,
					     u32 *bad_pos)
{
	u32 i = 0, j = 0, k = 0;
	u32 n = op == OP25B_OP_ADD ? old->n + nb : old->n - nb;

	if (op == OP25B_OP_DEL && nb > old->n)
		n = 0;	/* some entry is missing; found below */
	if (op25b_set4_alloc(s, n))
		return OP25B_TERR_NOMEM;
	while (i < old->n || j < nb) {
		int c;

		if (i < old->n && j < nb)
			c = op25b_cmp4(old->addr[i], old->plen[i], &b[j]);
		else
			c = i < old->n ? -1 : 1;
		if (c < 0) {
			if (k >= n)
				goto missing;
			/* a merge of 10^6 entries must not hog the CPU */
			if (!(k & 0xffff))
				op25b_cond_resched();
			s->addr[k] = old->addr[i];
			s->plen[k++] = old->plen[i++];
		} else if (c == 0) {
			if (op == OP25B_OP_ADD) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_EXISTS;
			}
			i++;
			j++;
		} else {
			if (op == OP25B_OP_DEL)
				goto missing;
			s->addr[k] = b[j].v4;
			s->plen[k++] = b[j++].plen;
		}
	}
	if (op25b_set4_compile(s))
		return OP25B_TERR_NOMEM;
	return OP25B_TERR_NONE;
missing:
	/* the first batch entry that has no twin in the old set */
	for (i = 0, j = 0; j < nb; j++) {
		while (i < old->n && op25b_cmp4(old->addr[i], old->plen[i],
						&b[j]) < 0)
			i++;
		if (i == old->n || op25b_cmp4(old->addr[i], old->plen[i],
					      &b[j]) != 0)
			break;
	}
	*bad_pos = j < nb ? b[j].pos : b[0].pos;
	return OP25B_TERR_MISSING;
}

/* ---- IPv6: the same, on 128-bit keys ---- */

static void op25b_set6_free(struct op25b_set6 *s)
{
	op25b_free(s->addr);
	op25b_free(s->plen);
	op25b_free(s->start);
	op25b_free(s->end);
	op25b_free(s->bucket);
}

static int op25b_set6_alloc(struct op25b_set6 *s, u32 n)
{
	u32 cap = n ? n : 1;

	s->n = n;
	s->addr = op25b_alloc_array(cap, sizeof(*s->addr));
	s->plen = op25b_alloc_array(cap, sizeof(*s->plen));
	s->start = op25b_alloc_array(cap, sizeof(*s->start));
	s->end = op25b_alloc_array(cap, sizeof(*s->end));
	if (!s->addr || !s->plen || !s->start || !s->end)
		return -ENOMEM;
	return 0;
}

static int op25b_set6_compile(struct op25b_set6 *s)
{
	u32 i, k = 0, b, fls;
	__uint128_t span;

	for (i = 0; i < s->n; i++) {
		__uint128_t lo = s->addr[i];
		__uint128_t hi = lo | ~op25b_mask6(s->plen[i]);

		if (k && (lo <= s->end[k - 1] || lo - 1 == s->end[k - 1])) {
			if (hi > s->end[k - 1])
				s->end[k - 1] = hi;
			continue;
		}
		s->start[k] = lo;
		s->end[k] = hi;
		k++;
	}
	s->niv = k;
	if (!k) {
		s->nbuckets = 0;
		s->shift = 0;
		return 0;
	}
	span = s->end[k - 1] - s->start[0];
	b = op25b_bucket_bits(k);
	fls = op25b_fls128(span);
	s->shift = fls > b ? fls - b : 0;
	s->nbuckets = (u32)(span >> s->shift) + 1;
	s->bucket = op25b_alloc_array(s->nbuckets + 1, sizeof(*s->bucket));
	if (!s->bucket)
		return -ENOMEM;
	for (i = 0, b = 0; b < s->nbuckets; b++) {
		__uint128_t first = s->start[0] + ((__uint128_t)b << s->shift);

		while (i < k && s->end[i] < first)
			i++;
		s->bucket[b] = i;
	}
	s->bucket[s->nbuckets] = k;
	return 0;
}

static int op25b_cmp6(__uint128_t a, u8 ap, const struct op25b_entry *e)
{
	if (a != e->v6)
		return a < e->v6 ? -1 : 1;
	if (ap != e->plen)
		return ap < e->plen ? -1 : 1;
	return 0;
}

static enum op25b_table_err op25b_set6_merge(const struct op25b_set6 *old,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 nb, struct op25b_set6 *s,
					     u32 *bad_pos)
{
	u32 i = 0, j = 0, k = 0;
	u32 n = op == OP25B_OP_ADD ? old->n + nb : old->n - nb;

	if (op == OP25B_OP_DEL && nb > old->n)
		n = 0;
	if (op25b_set6_alloc(s, n))
		return OP25B_TERR_NOMEM;
	while (i < old->n || j < nb) {
		int c;

		if (i < old->n && j < nb)
			c = op25b_cmp6(old->addr[i], old->plen[i], &b[j]);
		else
			c = i < old->n ? -1 : 1;
		if (c < 0) {
			if (k >= n)
				goto missing;
			if (!(k & 0xffff))
				op25b_cond_resched();
			s->addr[k] = old->addr[i];
			s->plen[k++] = old->plen[i++];
		} else if (c == 0) {
			if (op == OP25B_OP_ADD) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_EXISTS;
			}
			i++;
			j++;
		} else {
			if (op == OP25B_OP_DEL)
				goto missing;
			s->addr[k] = b[j].v6;
			s->plen[k++] = b[j++].plen;
		}
	}
	if (op25b_set6_compile(s))
		return OP25B_TERR_NOMEM;
	return OP25B_TERR_NONE;
missing:
	for (i = 0, j = 0; j < nb; j++) {
		while (i < old->n && op25b_cmp6(old->addr[i], old->plen[i],
						&b[j]) < 0)
			i++;
		if (i == old->n || op25b_cmp6(old->addr[i], old->plen[i],
					      &b[j]) != 0)
			break;
	}
	*bad_pos = j < nb ? b[j].pos : b[0].pos;
	return OP25B_TERR_MISSING;
}

/* ---- interface patterns: few, kept sorted by name ---- */

static int op25b_iif_cmp(const struct op25b_iif *p, const struct op25b_entry *e)
{
	return strncmp(p->name, e->ifname, IFNAMSIZ);
}

static enum op25b_table_err op25b_iif_merge(const struct op25b_table *old,
					    enum op25b_table_op op,
					    const struct op25b_entry *b,
					    u32 nb, struct op25b_table *t,
					    u32 *bad_pos)
{
	u32 i = 0, j = 0, k = 0;
	u32 n = op == OP25B_OP_ADD ? old->niif + nb : old->niif;

	if (n > OP25B_IIF_MAX) {
		*bad_pos = b[0].pos;
		return OP25B_TERR_IIF_FULL;
	}
	t->iif = op25b_alloc_array(n ? n : 1, sizeof(*t->iif));
	if (!t->iif)
		return OP25B_TERR_NOMEM;
	while (i < old->niif || j < nb) {
		int c;

		if (i < old->niif && j < nb)
			c = op25b_iif_cmp(&old->iif[i], &b[j]);
		else
			c = i < old->niif ? -1 : 1;
		if (c < 0) {
			t->iif[k++] = old->iif[i++];
		} else if (c == 0) {
			if (op == OP25B_OP_ADD) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_EXISTS;
			}
			i++;
			j++;
		} else {
			struct op25b_iif *p = &t->iif[k];

			if (op == OP25B_OP_DEL) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_MISSING;
			}
			memset(p, 0, sizeof(*p));
			memcpy(p->name, b[j].ifname, IFNAMSIZ);
			p->len = strnlen(p->name, IFNAMSIZ);
			p->wildcard = p->name[p->len - 1] == '+';
			if (p->wildcard)
				p->len--;
			k++;
			j++;
		}
	}
	t->niif = k;
	return OP25B_TERR_NONE;
}

/* ---- tables ---- */

/* An empty table needs no arrays: every reader checks the counts first. */
struct op25b_table *op25b_table_new(void)
{
	return op25b_zalloc(sizeof(struct op25b_table));
}

void op25b_table_free(struct op25b_table *t)
{
	if (!t)
		return;
	op25b_set4_free(&t->v4);
	op25b_set6_free(&t->v6);
	op25b_free(t->iif);
	op25b_free(t);
}

static enum op25b_table_err op25b_batch_check(struct op25b_entry *b, u32 n,
					      u32 *bad_pos)
{
	enum op25b_table_err err;
	u32 i;

	for (i = 0; i < n; i++) {
		err = op25b_entry_validate(&b[i]);
		if (err) {
			*bad_pos = b[i].pos;
			return err;
		}
	}
	/* op25bctl sends sorted batches; sorting 10^6 entries again is slow */
	if (!op25b_batch_sorted(b, n))
		op25b_sort(b, n, sizeof(*b), op25b_entry_cmp);
	for (i = 1; i < n; i++) {
		if (!op25b_entry_cmp(&b[i - 1], &b[i])) {
			*bad_pos = b[i].pos > b[i - 1].pos ? b[i].pos :
							     b[i - 1].pos;
			return OP25B_TERR_DUPLICATE;
		}
	}
	return OP25B_TERR_NONE;
}

enum op25b_table_err op25b_table_apply(const struct op25b_table *old,
				       enum op25b_table_op op,
				       struct op25b_entry *batch, u32 n,
				       u32 max, struct op25b_table **out,
				       u32 *bad_pos)
{
	enum op25b_table_err err;
	struct op25b_table *t;
	u32 n4 = 0, n6, i;

	*bad_pos = 0;
	err = op25b_batch_check(batch, n, bad_pos);
	if (err)
		return err;
	if (op == OP25B_OP_ADD && (u64)op25b_table_size(old) + n > max) {
		*bad_pos = n ? batch[0].pos : 0;
		return OP25B_TERR_FULL;
	}
	while (n4 < n && batch[n4].kind == OP25B_KIND_IPV4)
		n4++;
	for (i = n4; i < n && batch[i].kind == OP25B_KIND_IPV6; i++)
		;
	n6 = i - n4;

	t = op25b_zalloc(sizeof(*t));
	if (!t)
		return OP25B_TERR_NOMEM;
	err = op25b_set4_merge(&old->v4, op, batch, n4, &t->v4, bad_pos);
	if (!err)
		err = op25b_set6_merge(&old->v6, op, batch + n4, n6, &t->v6,
				       bad_pos);
	if (!err)
		err = op25b_iif_merge(old, op, batch + n4 + n6, n - n4 - n6,
				      t, bad_pos);
	if (err) {
		op25b_table_free(t);
		return err;
	}
	*out = t;
	return OP25B_TERR_NONE;
}

void op25b_table_get(const struct op25b_table *t, u32 idx,
		     struct op25b_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (idx < t->v4.n) {
		e->kind = OP25B_KIND_IPV4;
		e->v4 = t->v4.addr[idx];
		e->plen = t->v4.plen[idx];
		return;
	}
	idx -= t->v4.n;
	if (idx < t->v6.n) {
		e->kind = OP25B_KIND_IPV6;
		e->v6 = t->v6.addr[idx];
		e->plen = t->v6.plen[idx];
		return;
	}
	idx -= t->v6.n;
	e->kind = OP25B_KIND_IIF;
	memcpy(e->ifname, t->iif[idx].name, IFNAMSIZ);
	if (t->iif[idx].wildcard)
		e->ifname[t->iif[idx].len] = '+';
}

/* Index of the first entry >= (a, plen), by binary search. */
static u32 op25b_lower4(const struct op25b_set4 *s, u32 a, u8 plen)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->addr[mid] < a ||
		    (s->addr[mid] == a && s->plen[mid] < plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool op25b_table_find4(const struct op25b_table *t, u32 a,
		       struct op25b_entry *e)
{
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		u32 key = a & op25b_mask4(plen);
		u32 i = op25b_lower4(&t->v4, key, plen);

		if (i < t->v4.n && t->v4.addr[i] == key &&
		    t->v4.plen[i] == plen) {
			op25b_table_get(t, i, e);
			return true;
		}
	}
	return false;
}

static u32 op25b_lower6(const struct op25b_set6 *s, __uint128_t a, u8 plen)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->addr[mid] < a ||
		    (s->addr[mid] == a && s->plen[mid] < plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool op25b_table_find6(const struct op25b_table *t, __uint128_t a,
		       struct op25b_entry *e)
{
	int plen;

	for (plen = 128; plen >= 0; plen--) {
		__uint128_t key = a & op25b_mask6(plen);
		u32 i = op25b_lower6(&t->v6, key, plen);

		if (i < t->v6.n && t->v6.addr[i] == key &&
		    t->v6.plen[i] == plen) {
			op25b_table_get(t, t->v4.n + i, e);
			return true;
		}
	}
	return false;
}

bool op25b_table_find_iif(const struct op25b_table *t, const char *name,
			  struct op25b_entry *e)
{
	u32 i;

	/* an exact name is more specific than any wildcard */
	for (i = 0; i < t->niif; i++) {
		if (!t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, IFNAMSIZ)) {
			op25b_table_get(t, t->v4.n + t->v6.n + i, e);
			return true;
		}
	}
	for (i = 0; i < t->niif; i++) {
		if (t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, t->iif[i].len)) {
			op25b_table_get(t, t->v4.n + t->v6.n + i, e);
			return true;
		}
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup benchmark on the host CPU: op25b's tables against DPDK's rte_lpm
 * (IPv4) and rte_lpm6 (IPv6), on the same prefixes and the same addresses,
 * in the same process and run.  See README.md beside this file.
 *
 * For each size, random prefixes (distribution in README.md) are loaded
 * into an op25b table with op25b_table_apply() and into a DPDK LPM with
 * next hop 1.  Three arrays of distinct addresses are prepared beforehand:
 * "mix" (half inside random prefixes, half uniform), "hit" (inside random
 * prefixes) and "miss" (uniform, covered by no prefix).  A tight loop over
 * each is timed for each structure, alternately, several times.  Every
 * answer of op25b must equal "the LPM finds a next hop" and a reference
 * (binary search over the bench's own merge of the prefixes); any
 * disagreement is printed with a reproducer and makes the exit status 1.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_version.h>

#include "op25b_table.h"
#include "op25b_parse.h"

#define MAX_SIZES	16
#define MAX_REPS	64
#define BULK		64
#define UPD_REPS	5	/* single-entry adds and deletes timed */

/* ---- options ---- */

static u32 opt_sizes[MAX_SIZES] = { 100, 1000, 10000, 100000, 1000000 };
static unsigned int opt_nsizes = 5;
static u32 opt_addrs = 1u << 20;
static unsigned int opt_reps = 7;
static u64 opt_seed = 25;
static int opt_family;		/* 0 both, 4, 6 */
static unsigned int opt_mem_mb = 2048;
static int opt_carrier;		/* clustered, carrier-like prefixes */
static int opt_quiet;
static int opt_thp;		/* transparent huge pages for DPDK */
static int opt_nodpdk;		/* op25b only (no DPDK tables or lookups) */

static int failures;
static int dpdk_socket = SOCKET_ID_ANY;	/* where the LPMs live */

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

static u64 rs[4];

static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rnd_seed(u64 seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&seed);
}

static inline u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static u64 rnd(void)
{
	u64 r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

static __uint128_t rnd128(void)
{
	__uint128_t hi = rnd();

	return hi << 64 | rnd();
}

/* ---- prefix length distributions (per mille; see README.md) ---- */

struct plen_weight {
	u8 lo, hi;		/* lengths lo..hi, uniformly */
	u16 permille;
};

/* IPv4, shaped like a global RIB (mostly /24, /22, /23) plus host routes */
static const struct plen_weight rib4[] = {
	{ 8, 15, 5 },		/* /8../15, see pick_plen4() */
	{ 16, 16, 15 },
	{ 17, 17, 10 },
	{ 18, 18, 15 },
	{ 19, 19, 25 },
	{ 20, 20, 45 },
	{ 21, 21, 45 },
	{ 22, 22, 110 },
	{ 23, 23, 95 },
	{ 24, 24, 530 },
	{ 25, 31, 5 },
	{ 32, 32, 100 },
};

/* IPv6: mostly /32../64 on nibble boundaries, a few odd lengths, /128s */
static const struct plen_weight rib6[] = {
	{ 32, 32, 120 },
	{ 36, 36, 30 },
	{ 40, 40, 60 },
	{ 44, 44, 60 },
	{ 48, 48, 380 },
	{ 52, 52, 20 },
	{ 56, 56, 120 },
	{ 60, 60, 30 },
	{ 64, 64, 100 },
	{ 33, 63, 30 },
	{ 128, 128, 50 },
};

/* Carrier-like: subscribers out of a few blocks (--carrier) */
static const struct plen_weight car4[] = {
	{ 32, 32, 700 },
	{ 29, 31, 200 },
	{ 24, 28, 100 },
};

static const struct plen_weight car6[] = {
	{ 56, 56, 600 },
	{ 64, 64, 300 },
	{ 48, 48, 100 },
};

static u8 pick(const struct plen_weight *w, size_t n)
{
	u64 r = rnd_below(1000);
	size_t i;

	for (i = 0; i < n; i++) {
		if (r < w[i].permille)
			return w[i].lo + rnd_below(w[i].hi - w[i].lo + 1);
		r -= w[i].permille;
	}
	return w[n - 1].lo;
}

static u8 pick_plen4(void)
{
	u8 l = pick(rib4, ARRAY_SIZE(rib4));
	u64 r;

	if (l > 15)
		return l;
	/* /8../15: each length twice as likely as the one before, as in a
	 * real table (a handful of /8s, thousands of /15s at 10^6) */
	r = rnd_below(255);
	for (l = 8; r >= (1u << (l - 7)) - 1; l++)
		;
	return l;
}

/* ---- prefix sets ---- */

struct pfx4 {
	u32 a;
	u8 l;
};

struct pfx6 {
	__uint128_t a;
	u8 l;
};

static int cmp_pfx4(const void *pa, const void *pb)
{
	const struct pfx4 *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (int)a->l - (int)b->l;
}

static int cmp_pfx6(const void *pa, const void *pb)
{
	const struct pfx6 *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (int)a->l - (int)b->l;
}

static int cmp_u32(const void *pa, const void *pb)
{
	u32 a = *(const u32 *)pa, b = *(const u32 *)pb;

	return a < b ? -1 : a > b;
}

static int cmp_u128(const void *pa, const void *pb)
{
	__uint128_t a = *(const __uint128_t *)pa, b = *(const __uint128_t *)pb;

	return a < b ? -1 : a > b;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "out of memory (%zu bytes)\n", n);
		exit(2);
	}
	return p;
}

/* Carrier blocks: 16 IPv4 /12s, 4 IPv6 /32s in 2000::/3. */
#define CAR4_BLOCKS	16
#define CAR6_BLOCKS	4
static u32 car4_block[CAR4_BLOCKS];
static __uint128_t car6_block[CAR6_BLOCKS];

static void carrier_blocks(void)
{
	int i;

	for (i = 0; i < CAR4_BLOCKS; i++)
		car4_block[i] = (u32)rnd() & op25b_mask4(12);
	for (i = 0; i < CAR6_BLOCKS; i++)
		car6_block[i] = ((rnd128() >> 3) | (__uint128_t)1 << 125) &
				op25b_mask6(32);
}

static struct pfx4 gen_one4(void)
{
	struct pfx4 p;

	if (opt_carrier) {
		p.l = pick(car4, ARRAY_SIZE(car4));
		p.a = car4_block[rnd_below(CAR4_BLOCKS)] |
		      ((u32)rnd() & ~op25b_mask4(12));
	} else {
		p.l = pick_plen4();
		p.a = (u32)rnd();
	}
	p.a &= op25b_mask4(p.l);
	return p;
}

static struct pfx6 gen_one6(void)
{
	struct pfx6 p;

	if (opt_carrier) {
		p.l = pick(car6, ARRAY_SIZE(car6));
		p.a = car6_block[rnd_below(CAR6_BLOCKS)] |
		      (rnd128() & ~op25b_mask6(32));
	} else {
		p.l = pick(rib6, ARRAY_SIZE(rib6));
		/* global unicast, 2000::/3 */
		p.a = (rnd128() >> 3) | (__uint128_t)1 << 125;
	}
	p.a &= op25b_mask6(p.l);
	return p;
}

/* n distinct random prefixes, in random order */
static struct pfx4 *gen_prefixes4(u32 n)
{
	struct pfx4 *p = xmalloc(sizeof(*p) * (size_t)n);
	u32 k = 0, i, j;

	while (k < n) {
		while (k < n)
			p[k++] = gen_one4();
		qsort(p, k, sizeof(*p), cmp_pfx4);
		for (i = j = 0; i < k; i++)
			if (!j || cmp_pfx4(&p[j - 1], &p[i]))
				p[j++] = p[i];
		k = j;
	}
	for (i = n - 1; i > 0; i--) {
		struct pfx4 t;

		j = rnd_below(i + 1);
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

static struct pfx6 *gen_prefixes6(u32 n)
{
	struct pfx6 *p = xmalloc(sizeof(*p) * (size_t)n);
	u32 k = 0, i, j;

	while (k < n) {
		while (k < n)
			p[k++] = gen_one6();
		qsort(p, k, sizeof(*p), cmp_pfx6);
		for (i = j = 0; i < k; i++)
			if (!j || cmp_pfx6(&p[j - 1], &p[i]))
				p[j++] = p[i];
		k = j;
	}
	for (i = n - 1; i > 0; i--) {
		struct pfx6 t;

		j = rnd_below(i + 1);
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

/* ---- addresses ---- */

static void shuffle4(u32 *a, u32 n)
{
	u32 i, j, t;

	for (i = n - 1; n && i > 0; i--) {
		j = rnd_below(i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static void shuffle6(__uint128_t *a, u32 n)
{
	__uint128_t t;
	u32 i, j;

	for (i = n - 1; n && i > 0; i--) {
		j = rnd_below(i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static u32 dedup4(u32 *a, u32 k)
{
	u32 i, j;

	qsort(a, k, sizeof(*a), cmp_u32);
	for (i = j = 0; i < k; i++)
		if (!j || a[j - 1] != a[i])
			a[j++] = a[i];
	return j;
}

static u32 dedup6(__uint128_t *a, u32 k)
{
	u32 i, j;

	qsort(a, k, sizeof(*a), cmp_u128);
	for (i = j = 0; i < k; i++)
		if (!j || a[j - 1] != a[i])
			a[j++] = a[i];
	return j;
}

static u32 inside4(const struct pfx4 *p, u32 np)
{
	const struct pfx4 *q = &p[rnd_below(np)];

	return q->a | ((u32)rnd() & ~op25b_mask4(q->l));
}

static u32 uniform4(void)
{
	if (opt_carrier)	/* uniform over the carrier's blocks */
		return car4_block[rnd_below(CAR4_BLOCKS)] |
		       ((u32)rnd() & ~op25b_mask4(12));
	return (u32)rnd();
}

static __uint128_t inside6(const struct pfx6 *p, u32 np)
{
	const struct pfx6 *q = &p[rnd_below(np)];

	return q->a | (rnd128() & ~op25b_mask6(q->l));
}

static __uint128_t uniform6(void)
{
	if (opt_carrier)
		return car6_block[rnd_below(CAR6_BLOCKS)] |
		       (rnd128() & ~op25b_mask6(32));
	return (rnd128() >> 3) | (__uint128_t)1 << 125;
}

/*
 * The three address sets.  kind 0 (mix): odd slots inside a random
 * prefix, even slots uniform; 1 (hit): inside a random prefix; 2 (miss):
 * uniform and not covered (by the reference).  Distinct addresses, in
 * random order; a set stops short of n when the table covers (or leaves)
 * too few addresses to find more.
 */
struct ref4 {
	u32 n, *s, *e;		/* the bench's own merge of the prefixes */
};

struct ref6 {
	u32 n;
	__uint128_t *s, *e;
};

static bool ref4_has(const struct ref4 *r, u32 a)
{
	u32 lo = 0, hi = r->n;

	while (lo < hi) {	/* first interval starting after a */
		u32 mid = lo + (hi - lo) / 2;

		if (r->s[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && a <= r->e[lo - 1];
}

static bool ref6_has(const struct ref6 *r, __uint128_t a)
{
	u32 lo = 0, hi = r->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->s[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && a <= r->e[lo - 1];
}

static u32 gen_set4(const struct pfx4 *p, u32 np, const struct ref4 *r,
		    int kind, u32 n, u32 **out)
{
	u32 *a = xmalloc(sizeof(*a) * (size_t)n), k = 0, prev, round;

	for (round = 0; k < n && round < 64; round++) {
		prev = k;
		while (k < n) {
			u32 x = kind == 1 || (kind == 0 && (k & 1)) ?
				inside4(p, np) : uniform4();

			if (kind == 2 && ref4_has(r, x))
				continue;
			a[k++] = x;
		}
		k = dedup4(a, k);
		if (round && k - prev < n / 64)
			break;
	}
	shuffle4(a, k);
	*out = a;
	return k;
}

static u32 gen_set6(const struct pfx6 *p, u32 np, const struct ref6 *r,
		    int kind, u32 n, __uint128_t **out)
{
	__uint128_t *a = xmalloc(sizeof(*a) * (size_t)n);
	u32 k = 0, prev, round;

	for (round = 0; k < n && round < 64; round++) {
		prev = k;
		while (k < n) {
			__uint128_t x = kind == 1 || (kind == 0 && (k & 1)) ?
					inside6(p, np) : uniform6();

			if (kind == 2 && ref6_has(r, x))
				continue;
			a[k++] = x;
		}
		k = dedup6(a, k);
		if (round && k - prev < n / 64)
			break;
	}
	shuffle6(a, k);
	*out = a;
	return k;
}

static void ref4_build(struct ref4 *r, const struct pfx4 *p, u32 np)
{
	struct pfx4 *q = xmalloc(sizeof(*q) * (size_t)np);
	u32 i;

	memcpy(q, p, sizeof(*q) * (size_t)np);
	qsort(q, np, sizeof(*q), cmp_pfx4);
	r->s = xmalloc(sizeof(*r->s) * (size_t)np);
	r->e = xmalloc(sizeof(*r->e) * (size_t)np);
	r->n = 0;
	for (i = 0; i < np; i++) {
		u64 s = q[i].a, e = s + (1ULL << (32 - q[i].l)) - 1;

		if (r->n && s <= (u64)r->e[r->n - 1] + 1) {
			if (e > r->e[r->n - 1])
				r->e[r->n - 1] = e;
			continue;
		}
		r->s[r->n] = s;
		r->e[r->n++] = e;
	}
	free(q);
}

static void ref6_build(struct ref6 *r, const struct pfx6 *p, u32 np)
{
	struct pfx6 *q = xmalloc(sizeof(*q) * (size_t)np);
	u32 i;

	memcpy(q, p, sizeof(*q) * (size_t)np);
	qsort(q, np, sizeof(*q), cmp_pfx6);
	r->s = xmalloc(sizeof(*r->s) * (size_t)np);
	r->e = xmalloc(sizeof(*r->e) * (size_t)np);
	r->n = 0;
	for (i = 0; i < np; i++) {
		__uint128_t s = q[i].a, e = s | ~op25b_mask6(q[i].l);

		/* adjacent: s == e + 1, without overflowing at the top */
		if (r->n && (s <= r->e[r->n - 1] || s - 1 == r->e[r->n - 1])) {
			if (e > r->e[r->n - 1])
				r->e[r->n - 1] = e;
			continue;
		}
		r->s[r->n] = s;
		r->e[r->n++] = e;
	}
	free(q);
}

static void ref4_free(struct ref4 *r)
{
	free(r->s);
	free(r->e);
}

static void ref6_free(struct ref6 *r)
{
	free(r->s);
	free(r->e);
}

static void to_bytes6(__uint128_t a, uint8_t b[16])
{
	int i;

	for (i = 15; i >= 0; i--) {
		b[i] = (uint8_t)a;
		a >>= 8;
	}
}

static const char *fmt4(u32 a, char *buf)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static const char *fmt6(__uint128_t a, char *buf)
{
	uint8_t b[16];

	to_bytes6(a, b);
	return inet_ntop(AF_INET6, b, buf, INET6_ADDRSTRLEN);
}

/* ---- clocks ---- */

static double now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Lookup loops run on thread CPU time, so that being descheduled by the
 * other jobs of a shared machine does not count; builds too. */
#define CLK	CLOCK_THREAD_CPUTIME_ID

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

struct stat3 {
	double min, med, max;
};

static struct stat3 stats(double *v, unsigned int n)
{
	struct stat3 s;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}


/* ---- memory and shape of op25b's tables ---- */

static size_t dpdk_heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;
	unsigned int i;

	if (dpdk_socket != SOCKET_ID_ANY)
		return rte_malloc_get_socket_stats(dpdk_socket, &st) ? 0 :
		       st.heap_allocsz_bytes;
	for (i = 0; i < rte_socket_count(); i++)
		if (!rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st))
			sum += st.heap_allocsz_bytes;
	return sum;
}

/*
 * Bytes a family allocates, from its fields: the entries (addr[], width
 * bytes each, and plen[], n each; min 1) and the slots of the top level
 * (ntop) and of ext (plus the alignment slack), and the part a lookup can
 * read (the slots).
 */
static size_t op25b_bytes(const struct op25b_keys *k, u32 ntop, size_t slot,
			  size_t *hot)
{
	size_t cap = k->n ? k->n : 1, slots = 0, pad = 64 / slot;

	if (ntop)
		slots = (ntop + pad + (k->next ? k->next + pad : 0)) * slot;
	*hot = ((size_t)ntop + k->next) * slot;
	return cap * (k->width + sizeof(*k->plen)) + slots;
}

/* The shape of the slot tree: slots by kind, deepest level. */
struct shape {
	u32 direct, leaves, nodes, depth;
	u32 top_direct;		/* top-level slots that answer alone */
	u32 none_at;		/* a NODES top's shared empty child, or ~0 */
};

/* Whether the child array of 2^c slots at @t covers nothing. */
static bool empty4(const struct op25b_slot4 *t, u32 c)
{
	u32 j;

	for (j = 0; j < 1u << c; j++)
		if (t[j].y)
			return false;
	return true;
}

/*
 * Walks the slots @t, nb buckets of 2^sh from b0, and what they lead to;
 * @t NULL: the top level of @s, whatever its kind.
 */
static void walk4(const struct op25b_set4 *s, const struct op25b_slot4 *t,
		  u32 nb, u32 sh, u32 b0, u32 depth, struct shape *w)
{
	u32 j;

	if (!t)
		op25b_set4_top(s, 0, &nb, &sh, &b0);
	if (depth > w->depth)
		w->depth = depth;
	for (j = 0; j < nb; j++) {
		struct op25b_slot4 e = t ? t[j] :
				       op25b_set4_top(s, j, &nb, &sh, &b0);
		u32 bs = b0 + (j << sh), csh, at;

		if (e.y < OP25B_SLOT4_LEAF) {
			w->direct++;
			w->top_direct += depth == 1;
		} else if (e.y < OP25B_SLOT4_NODE) {
			w->leaves++;
		} else {
			w->nodes++;
			csh = e.y & 31;
			at = e.x + (bs >> csh);
			/* the empty buckets of a NODES top share a child */
			if (at == w->none_at)
				continue;
			walk4(s, s->ext + at, 1u << (sh - csh), csh, bs,
			      depth + 1, w);
			if (depth == 1 && s->kind == OP25B_TOP4_NODES &&
			    empty4(s->ext + at, sh - csh))
				w->none_at = at;
		}
	}
}

/* Whether the top level of @s answers for @a alone. */
static bool top4_direct(const struct op25b_set4 *s, u32 a)
{
	u32 nb, sh, b0, j;

	op25b_set4_top(s, 0, &nb, &sh, &b0);
	j = (a - b0) >> sh;
	return j >= nb || op25b_set4_top(s, j, &nb, &sh, &b0).y <
			  OP25B_SLOT4_LEAF;
}

static void walk6(const struct op25b_set6 *s, const union op25b_slot6 *t,
		  u32 nb, u32 sh, __uint128_t b0, u32 depth, struct shape *w)
{
	u32 j;

	if (depth > w->depth)
		w->depth = depth;
	for (j = 0; j < nb; j++) {
		union op25b_slot6 e = t[j];
		__uint128_t bs = b0 + ((__uint128_t)j << sh);
		u32 csh;

		if (e.y < OP25B_SLOT6_LEAF) {
			w->direct++;
			w->top_direct += depth == 1;
		} else if (e.y < OP25B_SLOT6_NODE) {
			w->leaves++;
		} else {
			w->nodes++;
			csh = e.y & 127;
			walk6(s, s->ext + (u32)e.x, 1u << ((e.y >> 8) & 31),
			      csh, bs, depth + 1, w);
		}
	}
}

/* ---- timed loops (noinline: each is compiled as its own tight loop) ---- */

static __attribute__((noinline)) u32
loop_op25b4(const struct op25b_set4 *s, const u32 *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += op25b_set4_has(s, &a[i]);
	return hits;
}

static __attribute__((noinline)) u32
loop_lpm4(const struct rte_lpm *lpm, const u32 *a, u32 n)
{
	u32 i, hits = 0, nh;

	for (i = 0; i < n; i++)
		hits += rte_lpm_lookup(lpm, a[i], &nh) == 0;
	return hits;
}

static __attribute__((noinline)) u32
loop_lpm4_bulk(const struct rte_lpm *lpm, const u32 *a, u32 n)
{
	u32 i, j, hits = 0, nh[BULK];

	for (i = 0; i + BULK <= n; i += BULK) {
		rte_lpm_lookup_bulk(lpm, a + i, nh, BULK);
		for (j = 0; j < BULK; j++)
			hits += !!(nh[j] & RTE_LPM_LOOKUP_SUCCESS);
	}
	for (; i < n; i++)
		hits += rte_lpm_lookup(lpm, a[i], &nh[0]) == 0;
	return hits;
}

static __attribute__((noinline)) u32
loop_op25b6(const struct op25b_set6 *s, const __uint128_t *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += op25b_set6_has(s, a[i]);
	return hits;
}

static __attribute__((noinline)) u32
loop_lpm6(const struct rte_lpm6 *lpm, uint8_t (*a)[16], u32 n)
{
	u32 i, hits = 0, nh;

	for (i = 0; i < n; i++)
		hits += rte_lpm6_lookup(lpm, a[i], &nh) == 0;
	return hits;
}

static __attribute__((noinline)) u32
loop_lpm6_bulk(const struct rte_lpm6 *lpm, uint8_t (*a)[16], u32 n)
{
	u32 i, j, hits = 0;
	int32_t nh[BULK];

	for (i = 0; i < n; i += BULK) {
		u32 m = n - i < BULK ? n - i : BULK;

		rte_lpm6_lookup_bulk_func(lpm, a + i, nh, m);
		for (j = 0; j < m; j++)
			hits += nh[j] >= 0;
	}
	return hits;
}

/* ---- timing: runners, alternated, several reps ---- */

enum { R_OP, R_LPM, R_BULK, NR };
static const char *const rname[NR] = { "op25b", "DPDK", "DPDKbulk" };

enum { S_MIX, S_HIT, S_MISS, NSETS };
static const char *const sname[NSETS] = { "mix", "hit", "miss" };

struct res {
	u32 naddr, hits;
	u32 direct;		/* answered by their top-level slot alone */
	struct stat3 st[NR];		/* ns per lookup */
	struct stat3 ratio[NR];		/* per rep, runner / DPDK scalar */
};

struct row {
	int fam;
	u32 n;
	u32 niv, ntop, nslots;
	struct shape shape;
	unsigned int runners;		/* bit mask of runners timed */
	struct res set[NSETS];
	double build_sorted_ms, build_unsorted_ms, dpdk_build_ms;
	double add_ms, del_ms;		/* one entry, on the built table */
	size_t op_bytes, op_hot, dpdk_bytes;
	u32 tbl8s;
	int dpdk_ok;
	long thp_kb;			/* AnonHugePages with tables built */
};

static struct row rows[2 * MAX_SIZES];
static unsigned int nrows;

/* the timed call: which runner, which address set */
typedef u32 (*run_fn)(int which, int set, void *ctx);

static void time_reps(struct row *r, int set, run_fn run, void *ctx)
{
	double v[NR][MAX_REPS], ra[NR][MAX_REPS];
	struct res *res = &r->set[set];
	int order[NR], no = 0, w, k, x;
	u32 expect = 0;

	for (w = 0; w < NR; w++)
		if (r->runners & (1u << w))
			order[no++] = w;
	/* one untimed pass each to fault in and warm up; all count alike */
	for (w = 0; w < no; w++) {
		u32 h = run(order[w], set, ctx);

		if (w && h != expect) {
			fprintf(stderr, "%s counted %u hits, %s %u (%s set)\n",
				rname[order[w]], h, rname[order[0]], expect,
				sname[set]);
			failures++;
		}
		expect = h;
	}
	res->hits = expect;
	for (k = 0; k < (int)opt_reps; k++) {
		double t[NR] = { 0 };

		for (x = 0; x < no; x++) {
			/* rotate the order from rep to rep */
			int which = order[(x + k) % no];
			double t0 = now_ns(CLK);

			run(which, set, ctx);
			t[which] = (now_ns(CLK) - t0) / res->naddr;
		}
		for (w = 0; w < NR; w++) {
			v[w][k] = t[w];
			ra[w][k] = t[R_LPM] > 0 ? t[w] / t[R_LPM] : 0;
		}
	}
	for (w = 0; w < NR; w++) {
		res->st[w] = stats(v[w], opt_reps);
		res->ratio[w] = stats(ra[w], opt_reps);
	}
}

static long anon_huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kb = -1, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &v) == 1 ||
		    sscanf(line, "ShmemPmdMapped: %ld kB", &v) == 1)
			kb = (kb < 0 ? 0 : kb) + v;
	fclose(f);
	return kb;
}

static double median(double *v, unsigned int n)
{
	return stats(v, n).med;
}

/*
 * One entry added to, then one deleted from, the full table: what a
 * single op25bctl add or del costs the kernel (op25b_table_apply() builds
 * the whole new table).  The new table is freed untimed.
 */
static void time_updates(struct row *r, const struct op25b_table *t,
			 struct op25b_entry (*gen_new)(void),
			 struct op25b_entry (*pick_old)(void))
{
	double add[UPD_REPS], del[UPD_REPS];
	struct op25b_table *nt;
	struct op25b_entry e;
	u32 bad;
	int k;

	for (k = 0; k < UPD_REPS; k++) {
		double t0;

		e = gen_new();
		t0 = now_ns(CLK);
		if (op25b_table_apply(t, OP25B_OP_ADD, &e, 1, UINT32_MAX, &nt,
				      &bad)) {
			fprintf(stderr, "single add failed\n");
			exit(2);
		}
		add[k] = (now_ns(CLK) - t0) / 1e6;
		op25b_table_free(nt);
		e = pick_old();
		t0 = now_ns(CLK);
		if (op25b_table_apply(t, OP25B_OP_DEL, &e, 1, UINT32_MAX, &nt,
				      &bad)) {
			fprintf(stderr, "single delete failed\n");
			exit(2);
		}
		del[k] = (now_ns(CLK) - t0) / 1e6;
		op25b_table_free(nt);
	}
	r->add_ms = median(add, UPD_REPS);
	r->del_ms = median(del, UPD_REPS);
}

/* ---- IPv4 ---- */

struct ctx4 {
	const struct op25b_set4 *s;
	const struct rte_lpm *lpm;
	u32 *a[NSETS];
	u32 n[NSETS];
};

static u32 run4(int which, int set, void *p)
{
	struct ctx4 *c = p;

	switch (which) {
	case R_OP:
		return loop_op25b4(c->s, c->a[set], c->n[set]);
	case R_LPM:
		return loop_lpm4(c->lpm, c->a[set], c->n[set]);
	default:
		return loop_lpm4_bulk(c->lpm, c->a[set], c->n[set]);
	}
}

static bool naive4(const struct pfx4 *p, u32 np, u32 a)
{
	u32 i;

	for (i = 0; i < np; i++)
		if ((a & op25b_mask4(p[i].l)) == p[i].a)
			return true;
	return false;
}

static void report_bad4(const struct pfx4 *p, u32 np, u32 a, const char *what,
			bool op, bool other)
{
	char b1[64], b2[64];
	u32 i, shown = 0;

	failures++;
	fprintf(stderr, "DISAGREE v4 %s: op25b=%d %s=%d (seed %llu, %u prefixes%s)\n",
		fmt4(a, b1), op, what, other, (unsigned long long)opt_seed, np,
		opt_carrier ? ", carrier" : "");
	for (i = 0; i < np; i++)
		if ((a & op25b_mask4(p[i].l)) == p[i].a && shown++ < 8)
			fprintf(stderr, "  covered by %s/%u\n", fmt4(p[i].a, b2),
				p[i].l);
	if (!shown)
		fprintf(stderr, "  covered by no prefix\n");
}

/* for time_updates(): a prefix not in the table, one that is */
static const struct pfx4 *upd_p4;
static u32 upd_np4;
static const struct ref4 *upd_ref4;

static struct op25b_entry upd_new4(void)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV4 };
	struct pfx4 q;
	u32 i;

	for (;;) {
		q = gen_one4();
		for (i = 0; i < upd_np4; i++)
			if (upd_p4[i].a == q.a && upd_p4[i].l == q.l)
				break;
		if (i == upd_np4)
			break;
	}
	e.v4 = q.a;
	e.plen = q.l;
	return e;
}

static struct op25b_entry upd_old4(void)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV4 };
	const struct pfx4 *q = &upd_p4[rnd_below(upd_np4)];

	e.v4 = q->a;
	e.plen = q->l;
	return e;
}

static void bench4(u32 np)
{
	struct row *r = &rows[nrows++];
	struct pfx4 *p = gen_prefixes4(np);
	struct op25b_entry *batch = xmalloc(sizeof(*batch) * (size_t)np);
	struct op25b_table *empty = op25b_table_new(), *t = NULL, *t2 = NULL;
	struct rte_lpm *lpm = NULL;
	u32 i, bad_pos, *g24, ng, disagree = 0;
	struct ctx4 c = { 0 };
	enum op25b_table_err err;
	struct ref4 ref;
	double t0;
	size_t heap0;
	char name[32];
	int set;

	memset(r, 0, sizeof(*r));
	r->fam = 4;
	r->n = np;
	ref4_build(&ref, p, np);

	/* op25b: the batch as op25bctl sends it (sorted), then unsorted */
	for (i = 0; i < np; i++) {
		memset(&batch[i], 0, sizeof(batch[i]));
		batch[i].kind = OP25B_KIND_IPV4;
		batch[i].v4 = p[i].a;
		batch[i].plen = p[i].l;
		batch[i].pos = i;
	}
	qsort(batch, np, sizeof(*batch), op25b_entry_cmp);
	t0 = now_ns(CLK);
	err = op25b_table_apply(empty, OP25B_OP_ADD, batch, np, UINT32_MAX,
				&t, &bad_pos);
	r->build_sorted_ms = (now_ns(CLK) - t0) / 1e6;
	if (err) {
		fprintf(stderr, "op25b_table_apply: %s (entry %u)\n",
			op25b_table_strerror(err), bad_pos);
		exit(2);
	}
	for (i = 0; i < np; i++) {
		batch[i].v4 = p[i].a;
		batch[i].plen = p[i].l;
		batch[i].pos = i;
	}
	t0 = now_ns(CLK);
	err = op25b_table_apply(empty, OP25B_OP_ADD, batch, np, UINT32_MAX,
				&t2, &bad_pos);
	r->build_unsorted_ms = (now_ns(CLK) - t0) / 1e6;
	if (err)
		exit(2);
	op25b_table_free(t2);
	upd_p4 = p;
	upd_np4 = np;
	upd_ref4 = &ref;
	time_updates(r, t, upd_new4, upd_old4);
	r->niv = t->keys4.niv;
	if (t->keys4.niv) {
		u32 nb, sh, b0;

		op25b_set4_top(&t->v4, 0, &nb, &sh, &b0);
		r->shape.none_at = ~0u;
		walk4(&t->v4, NULL, 0, 0, 0, 1, &r->shape);
		/* in slots of 8 bytes: a NODES top is x only */
		r->ntop = t->v4.kind == OP25B_TOP4_NODES ? nb / 2 : nb;
	}
	r->nslots = r->ntop + t->keys4.next;
	r->op_bytes = op25b_bytes(&t->keys4, r->ntop, sizeof(*t->v4.ext),
				  &r->op_hot);
	if (t->keys4.niv != ref.n) {
		fprintf(stderr, "v4 %u: op25b has %u intervals, the reference %u\n",
			np, t->keys4.niv, ref.n);
		failures++;
	}

	/* DPDK: one tbl8 group per distinct /24 holding a longer prefix */
	g24 = xmalloc(sizeof(*g24) * (size_t)np + 4);
	for (i = ng = 0; i < np; i++)
		if (p[i].l > 24)
			g24[ng++] = p[i].a >> 8;
	qsort(g24, ng, sizeof(*g24), cmp_u32);
	for (i = 0, r->tbl8s = 0; i < ng; i++)
		if (!i || g24[i] != g24[i - 1])
			r->tbl8s++;
	free(g24);
	if (!opt_nodpdk) {
		struct rte_lpm_config cfg = {
			.max_rules = np,
			.number_tbl8s = r->tbl8s + 16,
		};

		snprintf(name, sizeof(name), "b4_%u", np);
		heap0 = dpdk_heap_bytes();
		t0 = now_ns(CLK);
		lpm = rte_lpm_create(name, dpdk_socket, &cfg);
		if (!lpm) {
			fprintf(stderr, "rte_lpm_create(max_rules %u, tbl8s %u): %s\n",
				cfg.max_rules, cfg.number_tbl8s,
				rte_strerror(rte_errno));
		} else {
			r->dpdk_ok = 1;
			for (i = 0; i < np; i++) {
				int rc = rte_lpm_add(lpm, p[i].a, p[i].l, 1);

				if (rc) {
					char b[64];

					fprintf(stderr, "rte_lpm_add(%s/%u) #%u: %s\n",
						fmt4(p[i].a, b), p[i].l, i,
						strerror(-rc));
					r->dpdk_ok = 0;
					break;
				}
			}
			r->dpdk_build_ms = (now_ns(CLK) - t0) / 1e6;
			r->dpdk_bytes = dpdk_heap_bytes() - heap0;
		}
	}

	/* the address sets; every answer checked */
	c.s = &t->v4;
	c.lpm = lpm;
	for (set = 0; set < NSETS; set++) {
		c.n[set] = gen_set4(p, np, &ref, set, opt_addrs, &c.a[set]);
		r->set[set].naddr = c.n[set];
		for (i = 0; i < c.n[set]; i++) {
			u32 a = c.a[set][i], nh;
			bool op = op25b_set4_has(&t->v4, &a);
			bool rf = ref4_has(&ref, a);

			if (op != rf && disagree++ < 5)
				report_bad4(p, np, a, "reference", op, rf);
			if (r->dpdk_ok) {
				bool lp = rte_lpm_lookup(lpm, a, &nh) == 0;

				if (op != lp && disagree++ < 5)
					report_bad4(p, np, a, "dpdk", op, lp);
			}
			if (top4_direct(&t->v4, a))
				r->set[set].direct++;
			if (np <= 1000 && i < 20000) {
				bool nv = naive4(p, np, a);

				if (op != nv && disagree++ < 5)
					report_bad4(p, np, a, "naive", op, nv);
			}
		}
	}
	r->runners = 1u << R_OP;
	if (r->dpdk_ok)
		r->runners |= 1u << R_LPM | 1u << R_BULK;
	r->thp_kb = anon_huge_kb();
	for (set = 0; set < NSETS; set++)
		if (c.n[set])
			time_reps(r, set, run4, &c);

	for (set = 0; set < NSETS; set++)
		free(c.a[set]);
	if (lpm)
		rte_lpm_free(lpm);
	op25b_table_free(t);
	op25b_table_free(empty);
	ref4_free(&ref);
	free(batch);
	free(p);
}

/* ---- IPv6 ---- */

struct ctx6 {
	const struct op25b_set6 *s;
	const struct rte_lpm6 *lpm;
	__uint128_t *a[NSETS];
	uint8_t (*b[NSETS])[16];
	u32 n[NSETS];
};

static u32 run6(int which, int set, void *p)
{
	struct ctx6 *c = p;

	switch (which) {
	case R_OP:
		return loop_op25b6(c->s, c->a[set], c->n[set]);
	case R_LPM:
		return loop_lpm6(c->lpm, c->b[set], c->n[set]);
	default:
		return loop_lpm6_bulk(c->lpm, c->b[set], c->n[set]);
	}
}

static bool naive6(const struct pfx6 *p, u32 np, __uint128_t a)
{
	u32 i;

	for (i = 0; i < np; i++)
		if ((a & op25b_mask6(p[i].l)) == p[i].a)
			return true;
	return false;
}

static void report_bad6(const struct pfx6 *p, u32 np, __uint128_t a,
			const char *what, bool op, bool other)
{
	char b1[64], b2[64];
	u32 i, shown = 0;

	failures++;
	fprintf(stderr, "DISAGREE v6 %s: op25b=%d %s=%d (seed %llu, %u prefixes%s)\n",
		fmt6(a, b1), op, what, other, (unsigned long long)opt_seed, np,
		opt_carrier ? ", carrier" : "");
	for (i = 0; i < np; i++)
		if ((a & op25b_mask6(p[i].l)) == p[i].a && shown++ < 8)
			fprintf(stderr, "  covered by %s/%u\n", fmt6(p[i].a, b2),
				p[i].l);
	if (!shown)
		fprintf(stderr, "  covered by no prefix\n");
}

/*
 * tbl8 groups rte_lpm6 needs: one per distinct node at depths 24, 32, ...
 * below each prefix's length.
 */
static u32 lpm6_groups(const struct pfx6 *p, u32 np)
{
	__uint128_t *k = xmalloc(sizeof(*k) * (size_t)np);
	u32 total = 0, depth, i, m;

	for (depth = 24; depth < 128; depth += 8) {
		for (i = m = 0; i < np; i++)
			if (p[i].l > depth)
				k[m++] = p[i].a >> (128 - depth);
		qsort(k, m, sizeof(*k), cmp_u128);
		for (i = 0; i < m; i++)
			if (!i || k[i] != k[i - 1])
				total++;
	}
	free(k);
	return total;
}

static const struct pfx6 *upd_p6;
static u32 upd_np6;

static struct op25b_entry upd_new6(void)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV6 };
	struct pfx6 q;
	u32 i;

	for (;;) {
		q = gen_one6();
		for (i = 0; i < upd_np6; i++)
			if (upd_p6[i].a == q.a && upd_p6[i].l == q.l)
				break;
		if (i == upd_np6)
			break;
	}
	e.v6 = q.a;
	e.plen = q.l;
	return e;
}

static struct op25b_entry upd_old6(void)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV6 };
	const struct pfx6 *q = &upd_p6[rnd_below(upd_np6)];

	e.v6 = q->a;
	e.plen = q->l;
	return e;
}

static void bench6(u32 np)
{
	struct row *r = &rows[nrows++];
	struct pfx6 *p = gen_prefixes6(np);
	struct op25b_entry *batch = xmalloc(sizeof(*batch) * (size_t)np);
	struct op25b_table *empty = op25b_table_new(), *t = NULL, *t2 = NULL;
	struct rte_lpm6 *lpm = NULL;
	u32 i, bad_pos, disagree = 0;
	struct ctx6 c = { 0 };
	enum op25b_table_err err;
	struct ref6 ref;
	double t0;
	size_t heap0;
	char name[32];
	int set;

	memset(r, 0, sizeof(*r));
	r->fam = 6;
	r->n = np;
	ref6_build(&ref, p, np);

	for (i = 0; i < np; i++) {
		memset(&batch[i], 0, sizeof(batch[i]));
		batch[i].kind = OP25B_KIND_IPV6;
		batch[i].v6 = p[i].a;
		batch[i].plen = p[i].l;
		batch[i].pos = i;
	}
	qsort(batch, np, sizeof(*batch), op25b_entry_cmp);
	t0 = now_ns(CLK);
	err = op25b_table_apply(empty, OP25B_OP_ADD, batch, np, UINT32_MAX,
				&t, &bad_pos);
	r->build_sorted_ms = (now_ns(CLK) - t0) / 1e6;
	if (err) {
		fprintf(stderr, "op25b_table_apply: %s (entry %u)\n",
			op25b_table_strerror(err), bad_pos);
		exit(2);
	}
	for (i = 0; i < np; i++) {
		batch[i].v6 = p[i].a;
		batch[i].plen = p[i].l;
		batch[i].pos = i;
	}
	t0 = now_ns(CLK);
	err = op25b_table_apply(empty, OP25B_OP_ADD, batch, np, UINT32_MAX,
				&t2, &bad_pos);
	r->build_unsorted_ms = (now_ns(CLK) - t0) / 1e6;
	if (err)
		exit(2);
	op25b_table_free(t2);
	upd_p6 = p;
	upd_np6 = np;
	time_updates(r, t, upd_new6, upd_old6);
	r->niv = t->keys6.niv;
	r->ntop = t->v6.ntop;
	r->nslots = t->v6.ntop + t->keys6.next;
	if (t->v6.ntop)
		walk6(&t->v6, t->v6.slot, t->v6.ntop, t->v6.shift, t->v6.base,
		      1, &r->shape);
	r->op_bytes = op25b_bytes(&t->keys6, t->v6.ntop, sizeof(*t->v6.slot),
				  &r->op_hot);
	if (t->keys6.niv != ref.n) {
		fprintf(stderr, "v6 %u: op25b has %u intervals, the reference %u\n",
			np, t->keys6.niv, ref.n);
		failures++;
	}

	r->tbl8s = lpm6_groups(p, np);
	if (!opt_nodpdk) {
		struct rte_lpm6_config cfg = {
			.max_rules = np,
			.number_tbl8s = r->tbl8s + r->tbl8s / 64 + 64,
		};

		snprintf(name, sizeof(name), "b6_%u", np);
		heap0 = dpdk_heap_bytes();
		t0 = now_ns(CLK);
		lpm = cfg.number_tbl8s > 1u << 21 ? NULL :
		      rte_lpm6_create(name, dpdk_socket, &cfg);
		if (!lpm) {
			fprintf(stderr, "rte_lpm6_create(max_rules %u, tbl8s %u): %s\n",
				cfg.max_rules, cfg.number_tbl8s,
				cfg.number_tbl8s > 1u << 21 ?
				"rte_lpm6 allows at most 2^21 tbl8 groups" :
				rte_strerror(rte_errno));
		} else {
			r->dpdk_ok = 1;
			for (i = 0; i < np; i++) {
				uint8_t b[16];
				int rc;

				to_bytes6(p[i].a, b);
				rc = rte_lpm6_add(lpm, b, p[i].l, 1);
				if (rc) {
					char s[64];

					fprintf(stderr, "rte_lpm6_add(%s/%u) #%u: %s\n",
						fmt6(p[i].a, s), p[i].l, i,
						strerror(-rc));
					r->dpdk_ok = 0;
					break;
				}
			}
			r->dpdk_build_ms = (now_ns(CLK) - t0) / 1e6;
			r->dpdk_bytes = dpdk_heap_bytes() - heap0;
		}
	}

	c.s = &t->v6;
	c.lpm = lpm;
	for (set = 0; set < NSETS; set++) {
		c.n[set] = gen_set6(p, np, &ref, set, opt_addrs, &c.a[set]);
		r->set[set].naddr = c.n[set];
		c.b[set] = xmalloc(16 * (size_t)c.n[set]);
		for (i = 0; i < c.n[set]; i++) {
			__uint128_t a = c.a[set][i];
			bool op = op25b_set6_has(&t->v6, a);
			bool rf = ref6_has(&ref, a);
			u32 nh;

			to_bytes6(a, c.b[set][i]);
			if (op != rf && disagree++ < 5)
				report_bad6(p, np, a, "reference", op, rf);
			if (r->dpdk_ok) {
				bool lp = rte_lpm6_lookup(lpm, c.b[set][i], &nh) == 0;

				if (op != lp && disagree++ < 5)
					report_bad6(p, np, a, "dpdk", op, lp);
			}
			if (t->v6.ntop) {
				__uint128_t ti = (a - t->v6.base) >> t->v6.shift;

				if (ti >= t->v6.ntop ||
				    t->v6.slot[(u32)ti].y < OP25B_SLOT6_LEAF)
					r->set[set].direct++;
			}
			if (np <= 1000 && i < 20000) {
				bool nv = naive6(p, np, a);

				if (op != nv && disagree++ < 5)
					report_bad6(p, np, a, "naive", op, nv);
			}
		}
	}
	r->runners = 1u << R_OP;
	if (r->dpdk_ok)
		r->runners |= 1u << R_LPM | 1u << R_BULK;
	r->thp_kb = anon_huge_kb();
	for (set = 0; set < NSETS; set++)
		if (c.n[set])
			time_reps(r, set, run6, &c);

	for (set = 0; set < NSETS; set++) {
		free(c.a[set]);
		free(c.b[set]);
	}
	if (lpm)
		rte_lpm6_free(lpm);
	op25b_table_free(t);
	op25b_table_free(empty);
	ref6_free(&ref);
	free(batch);
	free(p);
}

/* ---- output ---- */

static void print_tables(void)
{
	unsigned int i, set, nmiss = 0;
	double worst = 0;
	const char *worst_at = "";
	static char where[64];

	printf("\nLookups: median ns per lookup over %u reps; ratio = median of the per-rep\n"
	       "op25b/DPDK ratios (min..max); B/pfx: bytes op25b allocates per prefix;\n"
	       "build: op25b_table_apply() of the whole sorted batch into an empty table\n",
	       opt_reps);
	printf("%-3s %8s %-4s %8s %5s %5s | %7s %7s %5s %11s | %8s | %6s %8s\n",
	       "fam", "prefixes", "set", "addrs", "hit%", "top%", "op25b", "DPDK",
	       "ratio", "(min..max)", "DPDKbulk", "B/pfx", "build ms");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		for (set = 0; set < NSETS; set++) {
			struct res *s = &r->set[set];
			char d[4][24];

			if (!s->naddr)
				continue;
			if (r->dpdk_ok) {
				snprintf(d[0], 24, "%.2f", s->st[R_LPM].med);
				snprintf(d[1], 24, "%.2f", s->ratio[R_OP].med);
				snprintf(d[2], 24, "(%.2f..%.2f)",
					 s->ratio[R_OP].min, s->ratio[R_OP].max);
				snprintf(d[3], 24, "%.2f", s->st[R_BULK].med);
				if (s->ratio[R_OP].med > 1.0)
					nmiss++;
				if (s->ratio[R_OP].med > worst) {
					worst = s->ratio[R_OP].med;
					snprintf(where, sizeof(where),
						 "v%d %u %s", r->fam, r->n,
						 sname[set]);
					worst_at = where;
				}
			} else {
				strcpy(d[0], "-");
				strcpy(d[1], "-");
				strcpy(d[2], "");
				strcpy(d[3], "-");
			}
			printf("v%-2d %8u %-4s %8u %5.1f %5.1f | %7.2f %7s %5s %11s | %8s | %6.1f %8.2f\n",
			       r->fam, r->n, sname[set], s->naddr,
			       100.0 * s->hits / s->naddr,
			       100.0 * s->direct / s->naddr, s->st[R_OP].med,
			       d[0], d[1], d[2], d[3],
			       (double)r->op_bytes / r->n, r->build_sorted_ms);
		}
	}

	printf("\nTables: coverage intervals, top-level buckets, slots in all, slots that\n"
	       "answer alone (direct), leaves, child arrays, levels; bytes per prefix\n"
	       "allocated and read by lookups; build of the sorted and of the unsorted\n"
	       "batch; one entry added to / deleted from the full table (median of %d)\n",
	       UPD_REPS);
	printf("%-3s %8s %8s %8s %8s %6s %7s %6s %5s | %6s %6s | %8s %8s | %7s %7s | %9s %8s %7s\n",
	       "fam", "prefixes", "interv", "top", "slots", "direct", "leaves",
	       "nodes", "depth", "B/pfx", "hot B", "build ms", "unsorted",
	       "add ms", "del ms", "DPDK ms", "DPDK MiB", "tbl8s");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		char d[2][24];

		if (r->dpdk_ok) {
			snprintf(d[0], 24, "%.1f", r->dpdk_build_ms);
			snprintf(d[1], 24, "%.1f", r->dpdk_bytes / 1048576.0);
		} else {
			strcpy(d[0], "-");
			strcpy(d[1], "-");
		}
		printf("v%-2d %8u %8u %8u %8u %5.1f%% %7u %6u %5u | %6.1f %6.1f | %8.2f %8.2f | %7.3f %7.3f | %9s %8s %7u\n",
		       r->fam, r->n, r->niv, r->ntop, r->nslots,
		       r->nslots ? 100.0 * r->shape.direct / r->nslots : 0,
		       r->shape.leaves, r->shape.nodes, r->shape.depth,
		       (double)r->op_bytes / r->n, (double)r->op_hot / r->n,
		       r->build_sorted_ms, r->build_unsorted_ms, r->add_ms,
		       r->del_ms, d[0], d[1], r->tbl8s);
	}
	if (!opt_quiet) {
		printf("\nns/lookup min..max over %u reps, ratio to DPDK min..max per rep; huge pages:\n",
		       opt_reps);
		for (i = 0; i < nrows; i++) {
			struct row *r = &rows[i];
			unsigned int w;

			for (set = 0; set < NSETS; set++) {
				struct res *s = &r->set[set];

				if (!s->naddr)
					continue;
				printf("v%-2d %8u %-4s", r->fam, r->n, sname[set]);
				for (w = 0; w < NR; w++) {
					if (!(r->runners & (1u << w)))
						continue;
					printf(" %s %.2f..%.2f", rname[w],
					       s->st[w].min, s->st[w].max);
					if (w != R_LPM && r->dpdk_ok)
						printf(" (x%.2f..%.2f)",
						       s->ratio[w].min,
						       s->ratio[w].max);
				}
				printf("  AnonHuge %ld MiB\n", r->thp_kb / 1024);
			}
		}
	}
	if (worst > 0)
		printf("\nworst ratio op25b/DPDK %.2f (%s); %u row%s above 1.0\n",
		       worst, worst_at, nmiss, nmiss == 1 ? "" : "s");
}


/*
 * DPDK runs on huge pages in production.  --no-huge backs its heap with a
 * memfd of 4 KiB pages, which transparent huge pages do not cover here
 * (shmem THP is off), so --thp gives DPDK an external heap of anonymous
 * memory advised MADV_HUGEPAGE, in 2 MiB pages, and creates the LPMs on it.
 */
static void thp_heap(void)
{
	size_t pg = 2u << 20, len = (size_t)opt_mem_mb << 20;
	char *raw, *va;

	len = (len + pg - 1) & ~(pg - 1);
	raw = mmap(NULL, len + pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	va = (char *)(((uintptr_t)raw + pg - 1) & ~(uintptr_t)(pg - 1));
	if (madvise(va, len, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");
	if (rte_malloc_heap_create("bench_thp") ||
	    rte_malloc_heap_memory_add("bench_thp", va, len, NULL, len / pg,
				       pg)) {
		fprintf(stderr, "DPDK external heap: %s\n",
			rte_strerror(rte_errno));
		exit(2);
	}
	dpdk_socket = rte_malloc_heap_get_socket("bench_thp");
}


static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--sizes N,N,...] [--addrs N] [--reps N] [--seed N]\n"
		"          [--family 4|6] [--mem MiB] [--carrier] [--thp]\n"
		"          [--no-dpdk] [--quiet]\n",
		argv0);
	exit(2);
}

static void parse_sizes(const char *s)
{
	char *end;

	opt_nsizes = 0;
	while (*s && opt_nsizes < MAX_SIZES) {
		double v = strtod(s, &end);	/* 1e6 works too */

		if (end == s || v < 1 || v > 1 << 24)
			usage("bench_lookup");
		opt_sizes[opt_nsizes++] = (u32)v;
		s = *end == ',' ? end + 1 : end;
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sizes", 1, NULL, 's' }, { "addrs", 1, NULL, 'a' },
		{ "reps", 1, NULL, 'r' }, { "seed", 1, NULL, 'S' },
		{ "family", 1, NULL, 'f' }, { "mem", 1, NULL, 'm' },
		{ "carrier", 0, NULL, 'c' }, { "quiet", 0, NULL, 'q' },
		{ "thp", 0, NULL, 'H' }, { "no-dpdk", 0, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	char mem[16], *eal_argv[16];
	int c, eal_argc = 0;
	unsigned int i;
	cpu_set_t cpus;
	struct op25b_entry e;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': parse_sizes(optarg); break;
		case 'a': opt_addrs = strtod(optarg, NULL); break;
		case 'r': opt_reps = atoi(optarg); break;
		case 'S': opt_seed = strtoull(optarg, NULL, 0); break;
		case 'f': opt_family = atoi(optarg); break;
		case 'm': opt_mem_mb = atoi(optarg); break;
		case 'c': opt_carrier = 1; break;
		case 'q': opt_quiet = 1; break;
		case 'H': opt_thp = 1; break;
		case 'N': opt_nodpdk = 1; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || !opt_addrs || opt_reps < 1 ||
	    opt_reps > MAX_REPS || (opt_family && opt_family != 4 &&
				    opt_family != 6))
		usage(argv[0]);

	/* the shared parser must agree with the generator's idea of a prefix */
	if (op25b_parse_prefix("2001:db8::/32", 13, &e) ||
	    e.kind != OP25B_KIND_IPV6 || e.plen != 32) {
		fprintf(stderr, "op25b_parse_prefix self-check failed\n");
		return 2;
	}

	/* EAL: no hugepages, no devices, no files; keep our CPU affinity */
	snprintf(mem, sizeof(mem), "%u", opt_thp ? 256 : opt_mem_mb);
	eal_argv[eal_argc++] = argv[0];
	eal_argv[eal_argc++] = "--no-huge";
	eal_argv[eal_argc++] = "--no-pci";
	eal_argv[eal_argc++] = "--no-telemetry";
	eal_argv[eal_argc++] = "--no-shconf";
	eal_argv[eal_argc++] = "-m";
	eal_argv[eal_argc++] = mem;
	eal_argv[eal_argc++] = "-l";
	eal_argv[eal_argc++] = "0";
	eal_argv[eal_argc++] = "--log-level=lib.eal:error";
	eal_argv[eal_argc] = NULL;
	sched_getaffinity(0, sizeof(cpus), &cpus);
	if (!opt_nodpdk && rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	sched_setaffinity(0, sizeof(cpus), &cpus);
	if (opt_thp && !opt_nodpdk)
		thp_heap();

	rnd_seed(opt_seed);
	carrier_blocks();
	if (!opt_quiet)
		printf("op25b vs %s lookup: up to %u distinct addresses per set, %u reps, seed %llu, %s prefixes\n",
		       rte_version(), opt_addrs, opt_reps,
		       (unsigned long long)opt_seed,
		       opt_carrier ? "carrier" : "RIB-like");
	for (i = 0; i < opt_nsizes; i++) {
		if (opt_family != 6) {
			bench4(opt_sizes[i]);
			if (!opt_quiet)
				fprintf(stderr, "  v4 %u done\n", opt_sizes[i]);
		}
		if (opt_family != 4) {
			bench6(opt_sizes[i]);
			if (!opt_quiet)
				fprintf(stderr, "  v6 %u done\n", opt_sizes[i]);
		}
	}
	print_tables();
	if (!opt_nodpdk)
		rte_eal_cleanup();
	if (failures) {
		printf("FAIL: %d disagreements (see stderr)\n", failures);
		return 1;
	}
	printf("all lookups agree (op25b == reference%s%s)\n",
	       opt_nodpdk ? "" : " == DPDK",
	       opt_sizes[0] <= 1000 ? ", == naive scan on samples" : "");
	return 0;
}

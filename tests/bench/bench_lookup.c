// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup benchmark on the host CPU: op25b's tables against DPDK's rte_lpm
 * (IPv4) and rte_lpm6 (IPv6), on the same prefixes and the same addresses,
 * in the same process and run.  See README.md beside this file.
 *
 * For each size, random prefixes (distribution in README.md) are loaded
 * into an op25b table with op25b_table_apply() and into a DPDK LPM with
 * next hop 1.  An array of distinct addresses, half inside random
 * prefixes and half uniform, is prepared beforehand; a tight loop over it
 * is timed for each structure, alternately, several times.  Membership in
 * op25b must equal "the LPM finds a next hop" for every address; any
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
#include "proto.h"

#define MAX_SIZES	16
#define MAX_REPS	64
#define BULK		64

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
static int opt_proto;		/* time the prototypes of proto.h */
static unsigned int opt_xbits = 2;	/* extra bucket bits of the +xb runners */
static int opt_thp;		/* transparent huge pages for DPDK */

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

/* ---- addresses: half inside random prefixes, half uniform ---- */

static u32 addr4_one(const struct pfx4 *p, u32 np, u32 i)
{
	if (i & 1) {
		const struct pfx4 *q = &p[rnd_below(np)];

		return q->a | ((u32)rnd() & ~op25b_mask4(q->l));
	}
	if (opt_carrier)	/* uniform over the carrier's blocks */
		return car4_block[rnd_below(CAR4_BLOCKS)] |
		       ((u32)rnd() & ~op25b_mask4(12));
	return (u32)rnd();
}

static __uint128_t addr6_one(const struct pfx6 *p, u32 np, u32 i)
{
	if (i & 1) {
		const struct pfx6 *q = &p[rnd_below(np)];

		return q->a | (rnd128() & ~op25b_mask6(q->l));
	}
	if (opt_carrier)
		return car6_block[rnd_below(CAR6_BLOCKS)] |
		       (rnd128() & ~op25b_mask6(32));
	return (rnd128() >> 3) | (__uint128_t)1 << 125;
}

static u32 *gen_addrs4(const struct pfx4 *p, u32 np, u32 n)
{
	u32 *a = xmalloc(sizeof(*a) * (size_t)n), k = 0, i, j;

	while (k < n) {
		while (k < n) {
			a[k] = addr4_one(p, np, k);
			k++;
		}
		qsort(a, k, sizeof(*a), cmp_u32);
		for (i = j = 0; i < k; i++)
			if (!j || a[j - 1] != a[i])
				a[j++] = a[i];
		k = j;
	}
	for (i = n - 1; i > 0; i--) {
		u32 t;

		j = rnd_below(i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	return a;
}

static __uint128_t *gen_addrs6(const struct pfx6 *p, u32 np, u32 n)
{
	__uint128_t *a = xmalloc(sizeof(*a) * (size_t)n);
	u32 k = 0, i, j;

	while (k < n) {
		while (k < n) {
			a[k] = addr6_one(p, np, k);
			k++;
		}
		qsort(a, k, sizeof(*a), cmp_u128);
		for (i = j = 0; i < k; i++)
			if (!j || a[j - 1] != a[i])
				a[j++] = a[i];
		k = j;
	}
	for (i = n - 1; i > 0; i--) {
		__uint128_t t;

		j = rnd_below(i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	return a;
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

/* ---- memory ---- */

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

/* Bytes of the arrays op25b allocated (start[]/end[] are allocated for
 * n entries, of which niv are used), and the part a lookup reads. */
static size_t op25b_bytes4(const struct op25b_set4 *s, size_t *hot)
{
	size_t cap = s->n ? s->n : 1, b = s->niv ? (size_t)s->nbuckets + 1 : 0;

	*hot = (size_t)s->niv * 8 + b * 4;
	return cap * (4 + 1 + 4 + 4) + b * 4;
}

static size_t op25b_bytes6(const struct op25b_set6 *s, size_t *hot)
{
	size_t cap = s->n ? s->n : 1, b = s->niv ? (size_t)s->nbuckets + 1 : 0;

	*hot = (size_t)s->niv * 32 + b * 4;
	return cap * (16 + 1 + 16 + 16) + b * 4;
}

/* ---- timed loops (noinline: each is compiled as its own tight loop) ---- */

static __attribute__((noinline)) u32
loop_op25b4(const struct op25b_set4 *s, const u32 *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += op25b_set4_has(s, a[i]);
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

static __attribute__((noinline)) u32
loop_proto4(const struct proto4 *p, const u32 *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += proto4_has(p, a[i]);
	return hits;
}

static __attribute__((noinline)) u32
loop_ptree4(const struct ptree *t, const struct proto4 *p, const u32 *a,
	    u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += ptree4_has(t, p, a[i]);
	return hits;
}

static __attribute__((noinline)) u32
loop_ptree6(const struct ptree *t, const struct proto6 *p,
	    const __uint128_t *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += ptree6_has(t, p, a[i]);
	return hits;
}

static __attribute__((noinline)) u32
loop_proto6(const struct proto6 *p, const __uint128_t *a, u32 n)
{
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += proto6_has(p, a[i]);
	return hits;
}

/* ---- timing: runners, alternated, several reps ---- */

enum { R_OP, R_LPM, R_BULK, R_OX, R_P0, R_PX, R_TREE, NR };
static const char *const rname[NR] = {
	"op25b", "DPDK", "DPDKbulk", "op25b+xb", "proto", "proto+xb", "ptree",
};

struct row {
	int fam;
	u32 n;
	u32 niv;
	u32 nbuckets;
	unsigned int runners;		/* bit mask of runners timed */
	struct stat3 st[NR];		/* ns per lookup */
	struct stat3 ratio[NR];		/* per rep, runner / DPDK scalar */
	double build_sorted_ms, build_unsorted_ms, dpdk_build_ms;
	size_t op_bytes, op_hot, dpdk_bytes, proto_hot[NR];
	u32 tbl8s;
	u32 hits;
	int dpdk_ok;
	long thp_kb;			/* AnonHugePages with tables built */
	u32 tree_depth;			/* levels of the ptree prototype */
};

static struct row rows[2 * MAX_SIZES];
static unsigned int nrows;

static void time_reps(struct row *r, u32 n_addr,
		      u32 (*run)(int which, void *ctx), void *ctx)
{
	double v[NR][MAX_REPS], ra[NR][MAX_REPS];
	int order[NR], no = 0, w, k, x;
	u32 expect = 0;

	for (w = 0; w < NR; w++)
		if (r->runners & (1u << w))
			order[no++] = w;
	/* one untimed pass each to fault in and warm up; all count alike */
	for (w = 0; w < no; w++) {
		u32 h = run(order[w], ctx);

		if (w && h != expect) {
			fprintf(stderr, "%s counted %u hits, %s %u\n",
				rname[order[w]], h, rname[order[0]], expect);
			failures++;
		}
		expect = h;
	}
	for (k = 0; k < (int)opt_reps; k++) {
		double t[NR] = { 0 };

		for (x = 0; x < no; x++) {
			/* rotate the order from rep to rep */
			int which = order[(x + k) % no];
			double t0 = now_ns(CLK);

			run(which, ctx);
			t[which] = (now_ns(CLK) - t0) / n_addr;
		}
		for (w = 0; w < NR; w++) {
			v[w][k] = t[w];
			ra[w][k] = t[R_LPM] > 0 ? t[w] / t[R_LPM] : 0;
		}
	}
	for (w = 0; w < NR; w++) {
		r->st[w] = stats(v[w], opt_reps);
		r->ratio[w] = stats(ra[w], opt_reps);
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

/* ---- IPv4 ---- */

struct ctx4 {
	const struct op25b_set4 *s;
	const struct rte_lpm *lpm;
	const u32 *a;
	u32 n;
	struct proto4 p[2];
	struct op25b_set4 ox;
	struct ptree tree;
};

static u32 run4(int which, void *p)
{
	struct ctx4 *c = p;

	switch (which) {
	case 0:
		return loop_op25b4(c->s, c->a, c->n);
	case R_LPM:
		return loop_lpm4(c->lpm, c->a, c->n);
	case R_BULK:
		return loop_lpm4_bulk(c->lpm, c->a, c->n);
	case R_OX:
		return loop_op25b4(&c->ox, c->a, c->n);
	case R_P0:
		return loop_proto4(&c->p[0], c->a, c->n);
	case R_PX:
		return loop_proto4(&c->p[1], c->a, c->n);
	default:
		return loop_ptree4(&c->tree, &c->p[0], c->a, c->n);
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

static void report_bad4(const struct pfx4 *p, u32 np, u32 a, bool op,
			bool lp)
{
	char b1[64], b2[64];
	u32 i, shown = 0;

	failures++;
	fprintf(stderr, "DISAGREE v4 %s: op25b=%d dpdk=%d (seed %llu, %u prefixes)\n",
		fmt4(a, b1), op, lp, (unsigned long long)opt_seed, np);
	for (i = 0; i < np; i++)
		if ((a & op25b_mask4(p[i].l)) == p[i].a && shown++ < 8)
			fprintf(stderr, "  covered by %s/%u\n", fmt4(p[i].a, b2),
				p[i].l);
	if (!shown)
		fprintf(stderr, "  covered by no prefix\n");
}

static void bench4(u32 np)
{
	struct row *r = &rows[nrows++];
	struct pfx4 *p = gen_prefixes4(np);
	u32 *addr = gen_addrs4(p, np, opt_addrs);
	struct op25b_entry *batch = xmalloc(sizeof(*batch) * (size_t)np);
	struct op25b_table *empty = op25b_table_new(), *t = NULL, *t2 = NULL;
	struct rte_lpm *lpm = NULL;
	u32 i, bad_pos, *g24, ng, disagree = 0;
	enum op25b_table_err err;
	double t0;
	size_t heap0;
	char name[32];

	memset(r, 0, sizeof(*r));
	r->fam = 4;
	r->n = np;

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
	r->niv = t->v4.niv;
	r->nbuckets = t->v4.nbuckets;
	r->op_bytes = op25b_bytes4(&t->v4, &r->op_hot);

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
	{
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

	/* agreement on every address (and against a naive scan when small) */
	for (i = 0; i < opt_addrs; i++) {
		bool op = op25b_set4_has(&t->v4, addr[i]);
		u32 nh;

		r->hits += op;
		if (r->dpdk_ok) {
			bool lp = rte_lpm_lookup(lpm, addr[i], &nh) == 0;

			if (op != lp && disagree++ < 5)
				report_bad4(p, np, addr[i], op, lp);
		}
		if (np <= 1000 && i < 20000 && op != naive4(p, np, addr[i]) &&
		    disagree++ < 5) {
			char b[64];

			failures++;
			fprintf(stderr, "NAIVE v4 %s: op25b=%d naive=%d\n",
				fmt4(addr[i], b), op, !op);
		}
	}

	{
		struct ctx4 c = { &t->v4, lpm, addr, opt_addrs, { { 0 } }, { 0 }, { 0 } };

		r->runners = 1u << R_OP;
		if (r->dpdk_ok)
			r->runners |= 1u << R_LPM | 1u << R_BULK;
		if (opt_proto) {
			for (i = 0; i < 2; i++) {
				if (proto4_build(&c.p[i], &t->v4,
						 i ? opt_xbits : 0)) {
					fprintf(stderr, "proto: out of memory\n");
					exit(2);
				}
				r->proto_hot[i ? R_PX : R_P0] =
					proto4_hot_bytes(&c.p[i]);
			}
			if (ptree4_build(&c.tree, &c.p[0])) {
				fprintf(stderr, "ptree: out of memory\n");
				exit(2);
			}
			r->proto_hot[R_TREE] = ptree_hot_bytes(&c.tree,
				c.p[0].niv, sizeof(*c.p[0].iv));
			r->tree_depth = c.tree.depth_max;
			if (proto_rebucket4(&c.ox, &t->v4, opt_xbits)) {
				fprintf(stderr, "proto: out of memory\n");
				exit(2);
			}
			r->proto_hot[R_OX] = r->op_hot +
				((size_t)c.ox.nbuckets - t->v4.nbuckets) * 4;
			/* every prototype answers as op25b does, address by address */
			for (i = 0; i < opt_addrs; i++) {
				bool op = op25b_set4_has(&t->v4, addr[i]);

				if (op25b_set4_has(&c.ox, addr[i]) != op ||
				    proto4_has(&c.p[0], addr[i]) != op ||
				    proto4_has(&c.p[1], addr[i]) != op ||
				    ptree4_has(&c.tree, &c.p[0], addr[i]) != op) {
					fprintf(stderr, "proto v4 disagrees at address #%u\n", i);
					failures++;
					break;
				}
			}
			r->runners |= 1u << R_OX | 1u << R_P0 | 1u << R_PX |
				      1u << R_TREE;
		}
		r->thp_kb = anon_huge_kb();
		time_reps(r, opt_addrs, run4, &c);
		if (opt_proto) {
			for (i = 0; i < 2; i++)
				proto4_free(&c.p[i]);
			free(c.ox.bucket);
			free(c.tree.ent);
		}
	}

	if (lpm)
		rte_lpm_free(lpm);
	op25b_table_free(t);
	op25b_table_free(empty);
	free(batch);
	free(addr);
	free(p);
}

/* ---- IPv6 ---- */

struct ctx6 {
	const struct op25b_set6 *s;
	const struct rte_lpm6 *lpm;
	const __uint128_t *a;
	uint8_t (*b)[16];
	u32 n;
	struct proto6 p[2];
	struct op25b_set6 ox;
	struct ptree tree;
};

static u32 run6(int which, void *p)
{
	struct ctx6 *c = p;

	switch (which) {
	case 0:
		return loop_op25b6(c->s, c->a, c->n);
	case R_LPM:
		return loop_lpm6(c->lpm, c->b, c->n);
	case R_BULK:
		return loop_lpm6_bulk(c->lpm, c->b, c->n);
	case R_OX:
		return loop_op25b6(&c->ox, c->a, c->n);
	case R_P0:
		return loop_proto6(&c->p[0], c->a, c->n);
	case R_PX:
		return loop_proto6(&c->p[1], c->a, c->n);
	default:
		return loop_ptree6(&c->tree, &c->p[0], c->a, c->n);
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
			bool op, bool lp)
{
	char b1[64], b2[64];
	u32 i, shown = 0;

	failures++;
	fprintf(stderr, "DISAGREE v6 %s: op25b=%d dpdk=%d (seed %llu, %u prefixes)\n",
		fmt6(a, b1), op, lp, (unsigned long long)opt_seed, np);
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

static void bench6(u32 np)
{
	struct row *r = &rows[nrows++];
	struct pfx6 *p = gen_prefixes6(np);
	__uint128_t *addr = gen_addrs6(p, np, opt_addrs);
	uint8_t (*ab)[16] = xmalloc(16 * (size_t)opt_addrs);
	struct op25b_entry *batch = xmalloc(sizeof(*batch) * (size_t)np);
	struct op25b_table *empty = op25b_table_new(), *t = NULL, *t2 = NULL;
	struct rte_lpm6 *lpm = NULL;
	u32 i, bad_pos, disagree = 0;
	enum op25b_table_err err;
	double t0;
	size_t heap0;
	char name[32];

	memset(r, 0, sizeof(*r));
	r->fam = 6;
	r->n = np;
	for (i = 0; i < opt_addrs; i++)
		to_bytes6(addr[i], ab[i]);

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
	r->niv = t->v6.niv;
	r->nbuckets = t->v6.nbuckets;
	r->op_bytes = op25b_bytes6(&t->v6, &r->op_hot);

	r->tbl8s = lpm6_groups(p, np);
	{
		struct rte_lpm6_config cfg = {
			.max_rules = np,
			.number_tbl8s = r->tbl8s + r->tbl8s / 64 + 64,
		};

		snprintf(name, sizeof(name), "b6_%u", np);
		heap0 = dpdk_heap_bytes();
		t0 = now_ns(CLK);
		lpm = rte_lpm6_create(name, dpdk_socket, &cfg);
		if (!lpm) {
			fprintf(stderr, "rte_lpm6_create(max_rules %u, tbl8s %u): %s%s\n",
				cfg.max_rules, cfg.number_tbl8s,
				rte_strerror(rte_errno),
				cfg.number_tbl8s > 1u << 21 ?
				" (rte_lpm6 allows at most 2^21 tbl8 groups)" : "");
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

	for (i = 0; i < opt_addrs; i++) {
		bool op = op25b_set6_has(&t->v6, addr[i]);
		u32 nh;

		r->hits += op;
		if (r->dpdk_ok) {
			bool lp = rte_lpm6_lookup(lpm, ab[i], &nh) == 0;

			if (op != lp && disagree++ < 5)
				report_bad6(p, np, addr[i], op, lp);
		}
		if (np <= 1000 && i < 20000 && op != naive6(p, np, addr[i]) &&
		    disagree++ < 5) {
			char b[64];

			failures++;
			fprintf(stderr, "NAIVE v6 %s: op25b=%d naive=%d\n",
				fmt6(addr[i], b), op, !op);
		}
	}

	{
		struct ctx6 c = { &t->v6, lpm, addr, ab, opt_addrs, { { 0 } }, { 0 }, { 0 } };

		r->runners = 1u << R_OP;
		if (r->dpdk_ok)
			r->runners |= 1u << R_LPM | 1u << R_BULK;
		if (opt_proto) {
			for (i = 0; i < 2; i++) {
				if (proto6_build(&c.p[i], &t->v6,
						 i ? opt_xbits : 0)) {
					fprintf(stderr, "proto: out of memory\n");
					exit(2);
				}
				r->proto_hot[i ? R_PX : R_P0] =
					proto6_hot_bytes(&c.p[i]);
			}
			if (ptree6_build(&c.tree, &c.p[0])) {
				fprintf(stderr, "ptree: out of memory\n");
				exit(2);
			}
			r->proto_hot[R_TREE] = ptree_hot_bytes(&c.tree,
				c.p[0].niv, sizeof(*c.p[0].iv));
			r->tree_depth = c.tree.depth_max;
			if (proto_rebucket6(&c.ox, &t->v6, opt_xbits)) {
				fprintf(stderr, "proto: out of memory\n");
				exit(2);
			}
			r->proto_hot[R_OX] = r->op_hot +
				((size_t)c.ox.nbuckets - t->v6.nbuckets) * 4;
			/* every prototype answers as op25b does, address by address */
			for (i = 0; i < opt_addrs; i++) {
				bool op = op25b_set6_has(&t->v6, addr[i]);

				if (op25b_set6_has(&c.ox, addr[i]) != op ||
				    proto6_has(&c.p[0], addr[i]) != op ||
				    proto6_has(&c.p[1], addr[i]) != op ||
				    ptree6_has(&c.tree, &c.p[0], addr[i]) != op) {
					fprintf(stderr, "proto v6 disagrees at address #%u\n", i);
					failures++;
					break;
				}
			}
			r->runners |= 1u << R_OX | 1u << R_P0 | 1u << R_PX |
				      1u << R_TREE;
		}
		r->thp_kb = anon_huge_kb();
		time_reps(r, opt_addrs, run6, &c);
		if (opt_proto) {
			for (i = 0; i < 2; i++)
				proto6_free(&c.p[i]);
			free(c.ox.bucket);
			free(c.tree.ent);
		}
	}

	if (lpm)
		rte_lpm6_free(lpm);
	op25b_table_free(t);
	op25b_table_free(empty);
	free(batch);
	free(ab);
	free(addr);
	free(p);
}

/* ---- output ---- */

static void print_table(void)
{
	unsigned int i, w;

	printf("\n%-3s %8s %8s | %7s %7s %6s | %8s | %8s %8s %8s | %6s %6s | %8s %7s | %5s\n",
	       "fam", "prefixes", "interv", "op25b", "DPDK", "ratio",
	       "DPDKbulk", "op25b", "op25b", "DPDK", "op25b", "op25b",
	       "DPDK", "DPDK", "hits");
	printf("%-3s %8s %8s | %7s %7s %6s | %8s | %8s %8s %8s | %6s %6s | %8s %7s | %5s\n",
	       "", "", "", "ns", "ns", "op/DP", "ns", "build ms", "unsorted",
	       "build ms", "B/pfx", "hot B", "heap MiB", "tbl8s", "%");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		char d[5][16];

		if (r->dpdk_ok) {
			snprintf(d[0], 16, "%.2f", r->st[R_LPM].med);
			snprintf(d[1], 16, "%.2f", r->ratio[R_OP].med);
			snprintf(d[2], 16, "%.2f", r->st[R_BULK].med);
			snprintf(d[3], 16, "%.1f", r->dpdk_build_ms);
			snprintf(d[4], 16, "%.1f", r->dpdk_bytes / 1048576.0);
		} else {
			for (w = 0; w < 5; w++)
				strcpy(d[w], "-");
		}
		printf("v%-2d %8u %8u | %7.2f %7s %6s | %8s | %8.2f %8.2f %8s | %6.1f %6.1f | %8s %7u | %5.1f\n",
		       r->fam, r->n, r->niv, r->st[R_OP].med, d[0], d[1], d[2],
		       r->build_sorted_ms, r->build_unsorted_ms, d[3],
		       (double)r->op_bytes / r->n, (double)r->op_hot / r->n,
		       d[4], r->tbl8s, 100.0 * r->hits / opt_addrs);
	}
	printf("\nns/lookup min..max over %u reps, ratio to DPDK min..max per rep; buckets; huge pages:\n",
	       opt_reps);
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		printf("v%-2d %8u ", r->fam, r->n);
		for (w = 0; w < NR; w++) {
			if (!(r->runners & (1u << w)))
				continue;
			printf(" %s %.2f..%.2f", rname[w], r->st[w].min,
			       r->st[w].max);
			if (w != R_LPM && r->dpdk_ok)
				printf(" (x%.2f..%.2f)", r->ratio[w].min,
				       r->ratio[w].max);
		}
		printf("  buckets %u  AnonHuge %ld MiB\n", r->nbuckets,
		       r->thp_kb / 1024);
	}
	if (!opt_proto)
		return;
	printf("\nprototypes (proto.h; not op25b): median ns/lookup, ratio to DPDK, hot bytes/prefix\n");
	printf("(op25b+xb: op25b's code with %u more bucket bits; proto: interval pairs,\n"
	       " fewer branches, op25b's bucket count; proto+xb: both; ptree: pairs and\n"
	       " a bucket tree, crowded buckets split recursively)\n", opt_xbits);
	printf("%-3s %8s | %7s %6s %6s | %8s %6s %6s | %7s %6s %6s | %8s %6s %6s | %7s %6s %6s %5s\n",
	       "fam", "prefixes", "op25b", "ratio", "hot B", "op25b+xb", "ratio",
	       "hot B", "proto", "ratio", "hot B", "proto+xb", "ratio", "hot B",
	       "ptree", "ratio", "hot B", "depth");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		printf("v%-2d %8u", r->fam, r->n);
		for (w = 0; w < NR; w++) {
			size_t hot = w == R_OP ? r->op_hot : r->proto_hot[w];

			if (w == R_LPM || w == R_BULK)
				continue;
			int wd = w == R_OX || w == R_PX ? 8 : 7;

			if (!(r->runners & (1u << w)))
				continue;

			if (r->dpdk_ok)
				printf(" | %*.2f %6.2f %6.1f", wd, r->st[w].med,
				       r->ratio[w].med, (double)hot / r->n);
			else
				printf(" | %*.2f %6s %6.1f", wd, r->st[w].med, "-",
				       (double)hot / r->n);
		}
		printf(" %5u\n", r->tree_depth);
	}
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
		"          [--family 4|6] [--mem MiB] [--carrier] [--proto] [--thp]\n"
		"          [--xbits N] [--quiet]\n",
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
		{ "proto", 0, NULL, 'p' }, { "thp", 0, NULL, 'H' },
		{ "xbits", 1, NULL, 'x' },
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
		case 'p': opt_proto = 1; break;
		case 'H': opt_thp = 1; break;
		case 'x': opt_xbits = atoi(optarg); break;
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
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	sched_setaffinity(0, sizeof(cpus), &cpus);
	if (opt_thp)
		thp_heap();

	rnd_seed(opt_seed);
	carrier_blocks();
	if (!opt_quiet)
		printf("op25b vs %s lookup: %u distinct addresses, %u reps, seed %llu, %s prefixes\n",
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
	print_table();
	rte_eal_cleanup();
	if (failures) {
		printf("FAIL: %d disagreements (see stderr)\n", failures);
		return 1;
	}
	printf("all lookups agree (op25b == DPDK%s)\n",
	       opt_sizes[0] <= 1000 ? ", and == naive scan on samples" : "");
	return 0;
}

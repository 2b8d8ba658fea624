// SPDX-License-Identifier: GPL-2.0
/*
 * The Space-Saving offenders summary against an exact count: Zipf-like
 * streams of IPv4 and IPv6 sources, single summaries and merges of
 * several, checked for the bounds op25bctl top promises; then exact
 * cases (counts, ranking, times, destinations, reset, copy).
 */
#include <stdio.h>

#include "op25b_topk.h"
#include "tap.h"

#define UNIVERSE	2000
#define CPUS		4

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Key number id: even ones IPv4 10.x.y.z, odd ones IPv6 2001:db8:id::/64. */
static struct op25b_topk_key key_of(u32 id)
{
	struct op25b_topk_key k = { .family = id & 1 ? 6 : 4 };

	if (k.family == 4)
		k.addr = 0x0a000000u | id;
	else
		k.addr = ((__uint128_t)0x20010db8ULL << 96) |
			 ((__uint128_t)id << 64);
	return k;
}

static u32 id_of(const struct op25b_topk_key *k)
{
	if (k->family == 4)
		return (u32)k->addr & 0xffffff;
	return (u32)(k->addr >> 64);
}

static double cdf[UNIVERSE];

/* Newton's square root: the test links no libm. */
static double root(double x)
{
	double r = x;
	int i;

	for (i = 0; i < 60; i++)
		r = (r + x / r) / 2;
	return r;
}

/* Weights 1 / r^(halves / 2) for rank r. */
static void zipf_init(int halves)
{
	double sum = 0;
	int i, h;

	for (i = 0; i < UNIVERSE; i++) {
		double w = 1;

		for (h = 0; h < halves; h++)
			w /= root(i + 1);
		cdf[i] = sum += w;
	}
	for (i = 0; i < UNIVERSE; i++)
		cdf[i] /= sum;
}

/* A Zipf-distributed key number, rank r scrambled so ids look random. */
static u32 zipf_draw(void)
{
	double u = (double)(rnd() >> 11) / (double)(1ULL << 53);
	int lo = 0, hi = UNIVERSE - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (u32)(lo * 7919u) % UNIVERSE;
}

/* Everything a summary holds, through a merge of itself alone. */
static u32 contents(struct op25b_topk *s, struct op25b_offender *out, u32 max)
{
	return op25b_topk_merge(&s, 1, out, max);
}

/*
 * The bounds of a summary (or merge) with guaranteed error total / slots:
 * every reported key brackets its true count, and every key above the
 * bound is reported.  Also no key twice, and the order of the report.
 */
static int check_bounds(const struct op25b_offender *o, u32 n,
			const u64 *truth, u64 total, u32 slots)
{
	static bool seen[UNIVERSE];
	int bad = 0;
	u32 i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		u32 id = id_of(&o[i].key);
		u64 t;

		if (id >= UNIVERSE || seen[id]) {
			bad++;
			continue;
		}
		t = truth[id];
		seen[id] = true;
		if (o[i].count < t || o[i].count - o[i].error > t ||
		    o[i].error > o[i].count || o[i].error * slots > total)
			bad++;
		if (i && (o[i - 1].count < o[i].count ||
			  (o[i - 1].count == o[i].count &&
			   o[i - 1].error > o[i].error)))
			bad++;
	}
	for (i = 0; i < UNIVERSE; i++)
		if (truth[i] * slots > total && !seen[i])
			bad++;
	return bad;
}

/* The merge rule, by brute force over what each summary holds. */
static u32 reference_merge(struct op25b_topk **s, u32 ns,
			   struct op25b_offender *out)
{
	static struct op25b_offender one[CPUS + 1][64];
	static struct op25b_offender acc[UNIVERSE];
	static int present[UNIVERSE];
	u32 n[CPUS + 1], i, j, k = 0;
	u64 floor[CPUS + 1], floor_sum = 0;

	memset(present, 0, sizeof(present));
	for (i = 0; i < ns; i++) {
		n[i] = s[i] ? contents(s[i], one[i], 64) : 0;
		floor[i] = n[i] && n[i] == op25b_topk_slots(s[i]) ?
			   one[i][n[i] - 1].count : 0;
		floor_sum += floor[i];
	}
	for (i = 0; i < ns; i++) {
		for (j = 0; j < n[i]; j++) {
			const struct op25b_offender *x = &one[i][j];
			struct op25b_offender *a = &acc[id_of(&x->key)];

			if (!present[id_of(&x->key)]++) {
				*a = *x;
				a->count = floor_sum - floor[i] + x->count;
				a->error = floor_sum - floor[i] + x->error;
				continue;
			}
			a->count += x->count - floor[i];
			a->error += x->error - floor[i];
			a->dst_bits |= x->dst_bits;
			a->first = x->first < a->first ? x->first : a->first;
			a->last = x->last > a->last ? x->last : a->last;
		}
	}
	for (i = 0; i < UNIVERSE; i++)
		if (present[i])
			out[k++] = acc[i];
	return k;
}

static int offender_cmp(const void *pa, const void *pb)
{
	const struct op25b_offender *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->error != b->error)
		return a->error < b->error ? -1 : 1;
	if (a->key.family != b->key.family)
		return a->key.family < b->key.family ? -1 : 1;
	return a->key.addr < b->key.addr ? -1 : a->key.addr > b->key.addr;
}

static bool same_offender(const struct op25b_offender *a,
			  const struct op25b_offender *b)
{
	return a->key.family == b->key.family && a->key.addr == b->key.addr &&
	       a->count == b->count && a->error == b->error &&
	       a->first == b->first && a->last == b->last &&
	       a->dst_bits == b->dst_bits;
}

/* The merge of s[0..ns-1] equals the brute-force rule, also cut short. */
static int check_merge(struct op25b_topk **s, u32 ns)
{
	static struct op25b_offender got[CPUS * 64], want[CPUS * 64];
	u32 n = op25b_topk_merge(s, ns, got, CPUS * 64);
	u32 m = reference_merge(s, ns, want), i, cut;
	int bad = 0;

	qsort(want, m, sizeof(want[0]), offender_cmp);
	if (n != m)
		return 1;
	for (i = 0; i < n; i++)
		bad += !same_offender(&got[i], &want[i]);
	cut = n / 3;
	if (op25b_topk_merge(s, ns, got, cut) != cut)
		bad++;
	for (i = 0; i < cut; i++)
		bad += !same_offender(&got[i], &want[i]);
	return bad;
}

/* Space-Saving keeps sum(count) == total exactly. */
static bool sums_to_total(struct op25b_topk *s)
{
	static struct op25b_offender o[64];
	u32 n = contents(s, o, 64), i;
	u64 sum = 0;

	for (i = 0; i < n; i++)
		sum += o[i].count;
	return sum == op25b_topk_total(s);
}

static void property(u64 seed, int halves, u32 slots, u32 len)
{
	static u64 truth[UNIVERSE], part[CPUS][UNIVERSE];
	static struct op25b_offender o[CPUS * 64];
	struct op25b_topk *one = op25b_topk_new(slots), *cpu[CPUS];
	struct op25b_topk *two[2], *sparse[5], *empty = op25b_topk_new(slots);
	int bad = 0, badm = 0, badr = 0;
	u64 total = 0;
	u32 i, n;

	rng_state = seed;
	zipf_init(halves);
	memset(truth, 0, sizeof(truth));
	memset(part, 0, sizeof(part));
	for (i = 0; i < CPUS; i++)
		cpu[i] = op25b_topk_new(slots);
	for (i = 0; i < len; i++) {
		u32 id = zipf_draw(), c = rnd() % CPUS;
		struct op25b_topk_key k = key_of(id);

		truth[id]++;
		part[c][id]++;
		op25b_topk_hit(one, &k, (u32)rnd(), 1700000000 + i / 100);
		op25b_topk_hit(cpu[c], &k, (u32)rnd(), 1700000000 + i / 100);
	}
	n = contents(one, o, 64);
	bad += check_bounds(o, n, truth, len, slots);
	bad += op25b_topk_total(one) != len || !sums_to_total(one);
	for (i = 0; i < CPUS; i++) {
		n = contents(cpu[i], o, 64);
		bad += check_bounds(o, n, part[i], op25b_topk_total(cpu[i]),
				    slots);
		bad += !sums_to_total(cpu[i]);
		total += op25b_topk_total(cpu[i]);
	}
	n = op25b_topk_merge(cpu, CPUS, o, CPUS * 64);
	badm += total != len || check_bounds(o, n, truth, total, slots);
	/* four summaries group in scratch memory, two look keys up */
	badr += check_merge(cpu, CPUS);
	two[0] = cpu[0];
	two[1] = cpu[3];
	badr += check_merge(two, 2);
	sparse[0] = NULL;
	sparse[1] = cpu[1];
	sparse[2] = cpu[2];
	badr += check_merge(sparse, 3);
	/* scratch memory again, around a missing and an empty summary */
	sparse[0] = cpu[1];
	sparse[1] = NULL;
	sparse[2] = empty;
	sparse[3] = cpu[2];
	sparse[4] = cpu[0];
	badr += check_merge(sparse, 5);
	tap_ok(!bad && !badm && !badr,
	       "slots %u, %u attempts, skew %.1f: bounds of one summary (%d bad), of %d merged (%d bad), merges by the rule (%d bad)",
	       slots, len, halves / 2.0, bad, CPUS, badm, badr);
	for (i = 0; i < CPUS; i++)
		op25b_topk_free(cpu[i]);
	op25b_topk_free(one);
	op25b_topk_free(empty);
}

static void hits(struct op25b_topk *s, u32 id, u32 n, u64 now)
{
	struct op25b_topk_key k = key_of(id);

	while (n--)
		op25b_topk_hit(s, &k, 0, now);
}

static void exact_counts(void)
{
	struct op25b_topk *s = op25b_topk_new(64);
	struct op25b_offender o[64];
	u32 want[50], left[50], i, n;
	int bad = 0;

	for (i = 0; i < 50; i++)
		left[i] = want[i] = 1 + rnd() % 40;
	for (i = 0; i < 2000; i++) {
		u32 id = rnd() % 50;

		if (left[id]) {
			hits(s, id, 1, 1);
			left[id]--;
		}
	}
	for (i = 0; i < 50; i++)
		hits(s, i, left[i], 1);
	n = contents(s, o, 64);
	for (i = 0; i < n; i++)
		bad += o[i].error || o[i].count != want[id_of(&o[i].key)];
	tap_ok(n == 50 && !bad, "50 keys in 64 slots: exact counts, no error");
	op25b_topk_free(s);
}

static void ranking(void)
{
	struct op25b_topk *s = op25b_topk_new(8);
	struct op25b_offender o[8];
	u32 i, n;

	for (i = 0; i < 30; i++) {
		hits(s, 100, 1, 1);
		if (i < 20)
			hits(s, 201, 1, 1);
		if (i < 10)
			hits(s, 302, 1, 1);
	}
	n = contents(s, o, 8);
	tap_ok(n == 3 && id_of(&o[0].key) == 100 && o[0].count == 30 &&
	       id_of(&o[1].key) == 201 && o[1].count == 20 &&
	       id_of(&o[2].key) == 302 && o[2].count == 10 &&
	       !o[0].error && !o[1].error && !o[2].error,
	       "30/20/10 interleaved: ranked so, exactly");
	n = contents(s, o, 2);
	tap_ok(n == 2 && o[0].count == 30 && o[1].count == 20,
	       "top 2 of 3");
	op25b_topk_free(s);
}

static void slot_one(void)
{
	struct op25b_topk *s = op25b_topk_new(1);
	struct op25b_offender o[1];
	u32 n;

	hits(s, 1, 5, 10);
	hits(s, 2, 1, 20);
	n = contents(s, o, 1);
	tap_ok(n == 1 && id_of(&o[0].key) == 2 && o[0].count == 6 &&
	       o[0].error == 5 && o[0].first == 20 && o[0].last == 20,
	       "one slot: the newcomer takes min + 1, error min, its own times");
	op25b_topk_free(s);
	tap_ok(!op25b_topk_new(0) &&
	       !op25b_topk_new(OP25B_TOPK_SLOTS_MAX + 1),
	       "0 slots and too many slots are refused");
}

static void first_last(void)
{
	struct op25b_topk *a = op25b_topk_new(4), *b = op25b_topk_new(4);
	struct op25b_topk *both[2] = { a, b };
	struct op25b_offender o[8];
	u64 t0 = 1767225600;	/* 2026-01-01 */
	u32 n;

	hits(a, 7, 1, t0);
	hits(a, 7, 1, t0 + 3600);
	hits(a, 7, 1, t0 - 60);	/* the clock stepped back */
	hits(a, 9, 1, t0 + 10);
	n = contents(a, o, 8);
	tap_ok(n == 2 && id_of(&o[0].key) == 7 && o[0].first == t0 - 60 &&
	       o[0].last == t0 + 3600 && o[1].first == t0 + 10 &&
	       o[1].last == t0 + 10, "first and last seen");
	hits(b, 7, 1, t0 + 86400 * 400);	/* another epoch */
	hits(b, 7, 1, t0 - 86400 * 400);
	n = op25b_topk_merge(both, 2, o, 8);
	tap_ok(n == 2 && o[0].count == 5 && o[0].first == t0 - 86400 * 400 &&
	       o[0].last == t0 + 86400 * 400,
	       "merge: earliest first, latest last");
	op25b_topk_reset(a);
	hits(a, 3, 1, 1ULL << 40);	/* the far future is fine too */
	hits(a, 3, 1, (1ULL << 40) + 100);
	hits(a, 3, 1, (1ULL << 40) - 100);
	hits(a, 3, 1, (1ULL << 40) - (1ULL << 32));	/* beyond 68 years */
	n = contents(a, o, 8);
	tap_ok(n == 1 && o[0].first == (1ULL << 40) - (1ULL << 31) &&
	       o[0].last == (1ULL << 40) + 100,
	       "68 years either side of the first attempt");
	op25b_topk_reset(a);
	hits(a, 1, 1, 5);
	hits(a, 1, 1, 0);
	hits(a, 1, 1, ~0ULL);
	n = contents(a, o, 8);
	/* epoch 0: 0 is kept, the far future clamped to 2^32 - 1 */
	tap_ok(n == 1 && o[0].first == 0 && o[0].last == 0xffffffffULL,
	       "times near 0 and clamped");
	op25b_topk_free(a);
	op25b_topk_free(b);
}

/*
 * ndst destinations hashed as the kernel does (hash_32() of the address):
 * random addresses, or consecutive ones from a random start.
 */
static u32 dests_of(struct op25b_topk *s, u32 ndst, bool consecutive)
{
	struct op25b_topk_key k = key_of(42);
	struct op25b_offender o;
	u32 base = (u32)rnd(), i, j;

	op25b_topk_reset(s);
	for (i = 0; i < ndst; i++) {
		u32 dst = consecutive ? base + i : (u32)rnd();

		/* each destination more than once */
		for (j = 0; j < 3; j++)
			op25b_topk_hit(s, &k, dst * 0x61C88647u, 1);
	}
	contents(s, &o, 1);
	return op25b_topk_dests(o.dst_bits);
}

/* Linear counting over many sets: exact for 1, mostly for 5, unbiased. */
static void dests_trials(struct op25b_topk *s, u32 ndst, bool consecutive,
			 u32 lo, u32 hi, u32 min_exact)
{
	u32 trials = 2000, exact = 0, out = 0, i;
	u64 sum = 0;

	for (i = 0; i < trials; i++) {
		u32 d = dests_of(s, ndst, consecutive);

		sum += d;
		exact += d == ndst;
		out += d < lo || d > hi;
	}
	tap_ok(!out && exact * 100 >= min_exact * trials &&
	       sum * 10 >= (u64)trials * ndst * 9 &&
	       sum * 10 <= (u64)trials * ndst * 11,
	       "%u %s destinations: mean %.2f, %u%% exact, all in [%u, %u]",
	       ndst, consecutive ? "consecutive" : "random",
	       (double)sum / trials, exact * 100 / trials, lo, hi);
}

static void dests(void)
{
	struct op25b_topk *s = op25b_topk_new(4);
	int consecutive;

	for (consecutive = 0; consecutive < 2; consecutive++) {
		dests_trials(s, 1, consecutive, 1, 1, 100);
		/* 5 of 64 bits all differ with probability 0.85 */
		dests_trials(s, 5, consecutive, 3, 5, 80);
		dests_trials(s, 20, consecutive, 13, 28, 0);
		dests_trials(s, 100, consecutive, 70, 304, 0);
	}
	op25b_topk_free(s);
	tap_ok(op25b_topk_dests(0) == 0 && op25b_topk_dests(1) == 1 &&
	       op25b_topk_dests(0x1f00) == 5 &&
	       op25b_topk_dests(~0ULL) == 304 &&
	       op25b_topk_dests(~0ULL >> 1) == 266 &&
	       op25b_topk_dests(0xffffffff) == 44,
	       "linear counting table");
}

static void reset_and_families(void)
{
	struct op25b_topk *s = op25b_topk_new(4), *c = op25b_topk_new(4);
	struct op25b_topk *d = op25b_topk_new(5);
	struct op25b_topk_key k4 = { .addr = 0xc0000201, .family = 4 };
	struct op25b_topk_key k6 = { .addr = 0xc0000201, .family = 6 };
	struct op25b_offender o[4];
	u32 n;

	op25b_topk_hit(s, &k4, 0, 1);
	op25b_topk_hit(s, &k6, 0, 1);
	op25b_topk_hit(s, &k6, 0, 1);
	n = contents(s, o, 4);
	tap_ok(n == 2 && o[0].key.family == 6 && o[0].count == 2 &&
	       o[1].key.family == 4 && o[1].count == 1 &&
	       o[0].key.addr == o[1].key.addr,
	       "IPv4 and IPv6 keys with the same bits are distinct");
	tap_ok(!op25b_topk_copy(c, s) && contents(c, o, 4) == 2 &&
	       op25b_topk_total(c) == 3 && op25b_topk_copy(d, s) == -EINVAL,
	       "copy: same contents; other slots refused");
	op25b_topk_hit(c, &k4, 0, 1);
	n = contents(c, o, 4);
	tap_ok(n == 2 && o[0].count == 2 && o[1].count == 2,
	       "a copy counts on");
	op25b_topk_reset(s);
	tap_ok(!op25b_topk_total(s) && !contents(s, o, 4),
	       "reset empties");
	op25b_topk_hit(s, &k4, 0, 1);
	tap_ok(contents(s, o, 4) == 1 && o[0].count == 1 &&
	       op25b_topk_total(s) == 1, "and counts anew");
	op25b_topk_free(s);
	op25b_topk_free(c);
	op25b_topk_free(d);
	op25b_topk_free(NULL);
}

int main(void)
{
	static const u32 slots[] = { 1, 2, 3, 5, 8, 13, 16, 31, 32, 33, 64 };
	static const int halves[] = { 1, 2, 3 };
	u32 i, j;

	for (i = 0; i < ARRAY_SIZE(slots); i++)
		for (j = 0; j < ARRAY_SIZE(halves); j++)
			property(0x1234567ULL * (i * 3 + j + 1), halves[j],
				 slots[i], j == 1 ? 100000 : 1000 + i * 997);
	exact_counts();
	ranking();
	slot_one();
	first_last();
	dests();
	reset_and_families();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * op25b_bench.ko: the in-kernel cost of op25b_decide(), for benchmarks only
 * (never part of op25b.ko; built by "make bench-kmod" from
 * tests/bench/kmod/Kbuild with the table's files from src/ compiled in).
 *
 * At load it builds a policy like a carrier's: a subscriber table of
 * "prefixes" random IPv4 and as many random IPv6 prefixes, an allow table
 * of a few MTAs, empty exempt and target tables, scope all, mode enforce.
 * Then it times "iters" calls of
 *
 *   empty        a function of op25b_decide()'s signature that returns 0
 *   v4-other     op25b_decide() for IPv4 UDP to port 53 (not SMTP)
 *   v4-sub25     IPv4 TCP to port 25 from a subscriber to a foreign MTA
 *                (subscriber hit, exempt and allow misses: blocked)
 *   v4-nonsub25  IPv4 TCP to port 25 from a non-subscriber (one miss)
 *   v6-...       the same for IPv6
 *
 * each over an array of "npkts" packets with random addresses (the
 * subscriber sources inside random prefixes of the table), every call a
 * real, non-inlined call (noinline, noipa) whose result is summed.
 *
 * A measurement is "iters" calls with interrupts off (a few ms under
 * TCG), repeated "reps" times, the cases rotating within each rep.  On a
 * shared host the vCPU thread is descheduled for whole milliseconds at
 * random, which only ever adds time: the minimum over the reps is the
 * undisturbed cost and the primary figure; the median is printed beside
 * it.  Ratios are to the empty function: under QEMU/TCG absolute times
 * are inflated 10-50x (and memory accesses more than arithmetic), so
 * ratios are what to compare.
 *
 * Results: /sys/kernel/debug/op25b_bench/results.
 * Parameters: prefixes (100000), iters (65536), reps (101), npkts (4096),
 * seed (25).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/math64.h>
#include <linux/utsname.h>

#include "src/op25b_policy.h"
#include "bench.h"

static unsigned int prefixes = 100000;
module_param(prefixes, uint, 0444);
MODULE_PARM_DESC(prefixes, "random subscriber prefixes per family (default 100000)");
static unsigned int iters = 1U << 16;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "calls per measurement (default 2^16)");
static unsigned int reps = 101;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "measurements per case (default 101)");
static unsigned int npkts = 4096;
module_param(npkts, uint, 0444);
MODULE_PARM_DESC(npkts, "distinct packets per case, a power of two (default 4096)");
static unsigned int seed = 25;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "random seed (default 25)");
static unsigned int limit_calls = 1U << 18;
module_param(limit_calls, uint, 0444);
MODULE_PARM_DESC(limit_calls, "limiter calls a thread per measurement, 0: none (default 2^18; bench_limit.c)");
static unsigned int limit_reps = 7;
module_param(limit_reps, uint, 0444);
MODULE_PARM_DESC(limit_reps, "limiter measurements per case, at most 16 (default 7)");
static unsigned int limit_rate = 1000;
module_param(limit_rate, uint, 0444);
MODULE_PARM_DESC(limit_rate, "the limiter's rate a second (default 1000)");

#define BENCH_REPS_MAX	255
#define BENCH_OUT_MAX	4096

enum bench_case {
	BC_EMPTY,
	BC_V4_OTHER,
	BC_V4_SUB25,
	BC_V4_NONSUB25,
	BC_V6_OTHER,
	BC_V6_SUB25,
	BC_V6_NONSUB25,
	BC_MAX
};

static const char *const bench_names[BC_MAX] = {
	[BC_EMPTY] = "empty",
	[BC_V4_OTHER] = "v4-other",
	[BC_V4_SUB25] = "v4-sub25",
	[BC_V4_NONSUB25] = "v4-nonsub25",
	[BC_V6_OTHER] = "v6-other",
	[BC_V6_SUB25] = "v6-sub25",
	[BC_V6_NONSUB25] = "v6-nonsub25",
};

/* the reason each case must give: the benchmark checks it did */
static const int bench_reason[BC_MAX] = {
	[BC_EMPTY] = -1,
	[BC_V4_OTHER] = OP25B_REASON_NOT_SMTP,
	[BC_V4_SUB25] = OP25B_REASON_BLOCKED,
	[BC_V4_NONSUB25] = OP25B_REASON_NOT_SUBSCRIBER,
	[BC_V6_OTHER] = OP25B_REASON_NOT_SMTP,
	[BC_V6_SUB25] = OP25B_REASON_BLOCKED,
	[BC_V6_NONSUB25] = OP25B_REASON_NOT_SUBSCRIBER,
};

static struct op25b_policy bench_pol;
static struct op25b_packet *bench_pkts[BC_MAX];
static u64 bench_ns[BC_MAX][BENCH_REPS_MAX];
static u32 bench_niv4, bench_niv6;

static char bench_text[BENCH_OUT_MAX];
static size_t bench_len;
static struct debugfs_blob_wrapper bench_blob;
static struct dentry *bench_dir;

static u64 rng_state;

static u64 rnd64(void)
{
	/* xorshift64*: reproducible for a given seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static u32 rnd32(void)
{
	return (u32)(rnd64() >> 32);
}

__printf(1, 2) void bench_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_len += vscnprintf(bench_text + bench_len,
				sizeof(bench_text) - bench_len, fmt, ap);
	va_end(ap);
}

/* ---- the timed functions: real calls, never inlined or folded ---- */

static noinline __noipa int bench_empty(const struct op25b_policy *pol,
					const struct op25b_packet *p)
{
	return 0;
}

static noinline __noipa int bench_decide(const struct op25b_policy *pol,
					 const struct op25b_packet *p)
{
	return op25b_decide(pol, p);
}

static noinline u64 bench_loop_empty(const struct op25b_packet *pk, u32 n,
				     u32 mask, unsigned long *sum)
{
	unsigned long s = 0, flags;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		s += bench_empty(&bench_pol, &pk[i & mask]);
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	*sum += s;
	return t1 - t0;
}

static noinline u64 bench_loop_decide(const struct op25b_packet *pk, u32 n,
				      u32 mask, unsigned long *sum)
{
	unsigned long s = 0, flags;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		s += bench_decide(&bench_pol, &pk[i & mask]);
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	*sum += s;
	return t1 - t0;
}

/* ---- the policy ---- */

/* lengths per mille, as tests/bench/gen_data.py draws them */
static const u16 len4[][2] = {
	{16, 1}, {17, 2}, {18, 4}, {19, 8}, {20, 20}, {21, 40}, {22, 80},
	{23, 100}, {24, 500}, {25, 5}, {26, 5}, {27, 5}, {28, 5}, {29, 40},
	{30, 40}, {31, 5}, {32, 140},
};

static const u16 len6[][2] = {
	{32, 100}, {40, 100}, {44, 50}, {48, 400}, {56, 200}, {60, 50},
	{64, 100},
};

static unsigned int draw_len(const u16 (*t)[2], size_t n)
{
	u32 r = rnd32() % 1000, acc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc += t[i][1];
		if (r < acc)
			return t[i][0];
	}
	return t[n - 1][0];
}

static int entry_same(const struct op25b_entry *a, const struct op25b_entry *b)
{
	return !op25b_entry_cmp(a, b);
}

static struct op25b_table *build_table(struct op25b_entry *b, u32 n)
{
	struct op25b_table *empty, *t = NULL;
	enum op25b_table_err err;
	u32 bad, i, k;

	/* distinct entries only: a batch must not name one twice */
	sort(b, n, sizeof(*b), op25b_entry_cmp, NULL);
	for (i = 0, k = 0; i < n; i++) {
		if (k && entry_same(&b[k - 1], &b[i]))
			continue;
		b[k] = b[i];
		b[k].pos = k;
		k++;
	}
	empty = op25b_table_new();
	if (!empty)
		return NULL;
	err = op25b_table_apply(empty, OP25B_OP_ADD, b, k, k, &t, &bad);
	op25b_table_free(empty);
	if (err) {
		pr_err("building a table of %u entries: %s (entry %u)\n", k,
		       op25b_table_strerror(err), bad);
		return NULL;
	}
	return t;
}

static int build_policy(void)
{
	struct op25b_entry *b;
	u32 n = prefixes, i;
	int j;

	op25b_settings_default(&bench_pol.set);
	b = kvcalloc(max(2 * n, 8U), sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned int l = draw_len(len4, ARRAY_SIZE(len4));

		b[i].kind = OP25B_KIND_IPV4;
		b[i].plen = l;
		/* 1.0.0.0 - 223.255.255.255 */
		b[i].v4 = (0x01000000U + rnd32() % 0xdf000000U) & op25b_mask4(l);
	}
	for (i = n; i < 2 * n; i++) {
		unsigned int l = draw_len(len6, ARRAY_SIZE(len6));
		__uint128_t a = (__uint128_t)rnd64() << 64 | rnd64();

		b[i].kind = OP25B_KIND_IPV6;
		b[i].plen = l;
		/* 2000::/3 */
		a = (a >> 3) | ((__uint128_t)1 << 125);
		b[i].v6 = a & op25b_mask6(l);
	}
	bench_pol.tables[OP25B_TABLE_SUBSCRIBER] = build_table(b, 2 * n);
	/* the allow table: a few ISP MTAs */
	memset(b, 0, 8 * sizeof(*b));
	b[0].kind = OP25B_KIND_IPV4, b[0].plen = 32, b[0].v4 = 0xc0000219;
	b[1].kind = OP25B_KIND_IPV4, b[1].plen = 32, b[1].v4 = 0xc000021a;
	b[2].kind = OP25B_KIND_IPV4, b[2].plen = 32, b[2].v4 = 0xc000021b;
	b[3].kind = OP25B_KIND_IPV4, b[3].plen = 24, b[3].v4 = 0xc6121900;
	for (j = 4; j < 8; j++) {
		b[j].kind = OP25B_KIND_IPV6;
		b[j].plen = 128;
		b[j].v6 = (__uint128_t)0x20010db800ee0000ULL << 64 | (0x25 + j);
	}
	bench_pol.tables[OP25B_TABLE_ALLOW] = build_table(b, 8);
	kvfree(b);
	bench_pol.tables[OP25B_TABLE_EXEMPT] = op25b_table_new();
	bench_pol.tables[OP25B_TABLE_TARGET] = op25b_table_new();
	for (j = 0; j < __OP25B_TABLE_MAX; j++)
		if (!bench_pol.tables[j])
			return -ENOMEM;
	bench_niv4 = bench_pol.tables[OP25B_TABLE_SUBSCRIBER]->keys4.niv;
	bench_niv6 = bench_pol.tables[OP25B_TABLE_SUBSCRIBER]->keys6.niv;
	return 0;
}

static void free_policy(void)
{
	int j;

	for (j = 0; j < __OP25B_TABLE_MAX; j++) {
		if (bench_pol.tables[j])
			op25b_table_free(bench_pol.tables[j]);
		bench_pol.tables[j] = NULL;
	}
}

/* ---- the packets ---- */

static u32 sub_addr4(const struct op25b_table *t)
{
	const struct op25b_keys *k = &t->keys4;
	u32 i = rnd32() % k->n;

	return (u32)op25b_key_at(k, i) | (rnd32() & ~op25b_mask4(k->plen[i]));
}

static __uint128_t sub_addr6(const struct op25b_table *t)
{
	const struct op25b_keys *k = &t->keys6;
	u32 i = rnd32() % k->n;
	__uint128_t r = (__uint128_t)rnd64() << 64 | rnd64();

	return op25b_key_at(k, i) | (r & ~op25b_mask6(k->plen[i]));
}

static __uint128_t any_addr6(void)
{
	__uint128_t a = (__uint128_t)rnd64() << 64 | rnd64();

	return (a >> 3) | ((__uint128_t)1 << 125);
}

static int build_packets(void)
{
	const struct op25b_table *sub = bench_pol.tables[OP25B_TABLE_SUBSCRIBER];
	const struct op25b_table *allow = bench_pol.tables[OP25B_TABLE_ALLOW];
	int c;
	u32 i;

	for (c = 0; c < BC_MAX; c++) {
		struct op25b_packet *pk;

		pk = kvcalloc(npkts, sizeof(*pk), GFP_KERNEL);
		if (!pk)
			return -ENOMEM;
		bench_pkts[c] = pk;
		for (i = 0; i < npkts; i++) {
			struct op25b_packet *p = &pk[i];
			bool v6 = c >= BC_V6_OTHER;

			p->family = v6 ? 6 : 4;
			p->proto = IPPROTO_TCP;
			p->dport = OP25B_SMTP_PORT;
			if (c == BC_EMPTY || c == BC_V4_OTHER || c == BC_V6_OTHER) {
				p->proto = IPPROTO_UDP;
				p->dport = 53;
			}
			if (c == BC_V4_NONSUB25 || c == BC_EMPTY) {
				do
					p->src4 = 0x01000000U + rnd32() % 0xdf000000U;
				while (op25b_set4_has(&sub->v4, &p->src4));
			} else {
				p->src4 = sub_addr4(sub);
			}
			if (c == BC_V6_NONSUB25) {
				do
					p->src6 = any_addr6();
				while (op25b_set6_has(&sub->v6, p->src6));
			} else {
				p->src6 = sub_addr6(sub);
			}
			do
				p->dst4 = 0x01000000U + rnd32() % 0xdf000000U;
			while (op25b_set4_has(&allow->v4, &p->dst4));
			do
				p->dst6 = any_addr6();
			while (op25b_set6_has(&allow->v6, p->dst6));
			p->iifname = NULL;
			if (bench_reason[c] >= 0 &&
			    op25b_decide(&bench_pol, p) != bench_reason[c]) {
				pr_err("%s: packet %u decides %d, not %d\n",
				       bench_names[c], i,
				       op25b_decide(&bench_pol, p),
				       bench_reason[c]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void free_packets(void)
{
	int c;

	for (c = 0; c < BC_MAX; c++) {
		kvfree(bench_pkts[c]);
		bench_pkts[c] = NULL;
	}
}

/* ---- measuring ---- */

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_sorted[BENCH_REPS_MAX];

static u64 median(const u64 *v, unsigned int n)
{
	u64 *t = bench_sorted;

	memcpy(t, v, n * sizeof(*v));
	sort(t, n, sizeof(*t), cmp_u64, NULL);
	return n & 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

u64 bench_min(const u64 *v, unsigned int n)
{
	u64 m = v[0];
	unsigned int i;

	for (i = 1; i < n; i++)
		m = min(m, v[i]);
	return m;
}

/* @num / @den with two decimals (both positive), into @buf */
const char *bench_fix2(char *buf, size_t len, u64 num, u64 den)
{
	u64 x = den ? div64_u64(num * 100 + den / 2, den) : 0;

	scnprintf(buf, len, "%llu.%02llu", x / 100, x % 100);
	return buf;
}

static void measure(void)
{
	unsigned long sum = 0;
	unsigned int r, k;
	u32 mask = npkts - 1;
	u64 mn[BC_MAX], med[BC_MAX];
	char b1[24], b2[24], b3[24], b4[24], b5[24];

	/* one untimed pass over everything: code translated, tables warm */
	bench_loop_empty(bench_pkts[BC_EMPTY], iters, mask, &sum);
	for (k = BC_V4_OTHER; k < BC_MAX; k++)
		bench_loop_decide(bench_pkts[k], iters, mask, &sum);
	for (r = 0; r < reps; r++) {
		for (k = 0; k < BC_MAX; k++) {
			unsigned int c = (k + r) % BC_MAX;
			const struct op25b_packet *pk = bench_pkts[c];

			if (c == BC_EMPTY)
				bench_ns[c][r] = bench_loop_empty(pk, iters, mask, &sum);
			else
				bench_ns[c][r] = bench_loop_decide(pk, iters, mask, &sum);
			cond_resched();
		}
	}
	for (k = 0; k < BC_MAX; k++) {
		mn[k] = bench_min(bench_ns[k], reps);
		med[k] = median(bench_ns[k], reps);
	}

	bench_out("# op25b_bench: kernel %s, %u IPv4 + %u IPv6 random subscriber prefixes (%u + %u intervals), allow 4 + 4, %u calls x %u reps over %u packets (checksum %lu)\n",
	    init_utsname()->release, prefixes, prefixes, bench_niv4,
	    bench_niv6, iters, reps, npkts, sum);
	bench_out("# ns per call: min and median over the reps; ratio = case / empty (min, median); net = min - empty's min\n");
	bench_out("%-12s %9s %9s %9s %9s %9s\n", "case", "min_ns", "median_ns",
	    "ratio", "ratio_med", "net_ns");
	for (k = 0; k < BC_MAX; k++) {
		u64 net = mn[k] > mn[BC_EMPTY] ? mn[k] - mn[BC_EMPTY] : 0;

		bench_out("%-12s %9s %9s %9s %9s %9s\n", bench_names[k],
		    bench_fix2(b1, sizeof(b1), mn[k], iters),
		    bench_fix2(b2, sizeof(b2), med[k], iters),
		    bench_fix2(b3, sizeof(b3), mn[k], mn[BC_EMPTY]),
		    bench_fix2(b4, sizeof(b4), med[k], med[BC_EMPTY]),
		    bench_fix2(b5, sizeof(b5), net, iters));
	}
}

static int __init op25b_bench_init(void)
{
	int err;

	if (!prefixes || !iters || !reps || reps > BENCH_REPS_MAX ||
	    !npkts || (npkts & (npkts - 1)) || !limit_reps || limit_reps > 16 ||
	    !limit_rate || limit_rate > NSEC_PER_SEC) {
		pr_err("bad parameters (prefixes, iters, reps <= %d, npkts a power of two, limit_reps <= 16, limit_rate 1 to 10^9)\n",
		       BENCH_REPS_MAX);
		return -EINVAL;
	}
	rng_state = 0x9e3779b97f4a7c15ULL ^ ((u64)seed << 1 | 1);
	err = build_policy();
	if (!err)
		err = build_packets();
	if (err)
		goto fail;
	measure();
	free_packets();
	free_policy();
	if (limit_calls) {
		err = bench_limit(limit_calls, limit_reps, limit_rate);
		if (err)
			return err;
	}
	bench_blob.data = bench_text;
	bench_blob.size = bench_len;
	bench_dir = debugfs_create_dir("op25b_bench", NULL);
	debugfs_create_blob("results", 0444, bench_dir, &bench_blob);
	pr_info("done: %u prefixes, %u calls x %u reps; results in /sys/kernel/debug/op25b_bench/results\n",
		prefixes, iters, reps);
	return 0;

fail:
	free_packets();
	free_policy();
	return err;
}

static void __exit op25b_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
}

module_init(op25b_bench_init);
module_exit(op25b_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("op25b benchmark: the cost of op25b_decide() (tests/bench/kmod)");

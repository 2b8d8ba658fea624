// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path's rate limiter (src/op25b_limit.c) under a blocked
 * flood on every CPU, as on a gateway whose NIC spreads it over its
 * queues: one kthread bound to each online CPU calls one shared limiter
 * "limit_calls" times as fast as it can, at "limit_rate" (default 1000/s,
 * the reject limiter's) burst 5, which the flood exceeds by far; first
 * one thread, then one a CPU, started together.  (A high limit_rate, a
 * slot every few calls, has the CPUs race for nearly every slot: what
 * make check uses to see the rate kept.)
 *
 *   op25b   op25b_limit_pass(): an exhausted limit is only read
 *   write   a reference that writes the word on every call (a
 *           compare-and-exchange even when nothing conforms), as a limiter
 *           built on a lock or on an unconditional exchange does
 *   local   op25b_limit_pass() on a limiter of the thread's own, in a
 *           cache line of its own: the cost of the call with nothing
 *           shared, as per-CPU budgets would have it (each then lets
 *           its own rate through: its "most" is per thread)
 *   exact   op25b_limit_pass_at() on a clock that only the calls advance,
 *           a tenth of an interval each (a shared counter): no time
 *           passes without callers, so a correct limiter lets through
 *           exactly burst + time / interval; more means two CPUs took
 *           the same slot.  Its time per call includes the counter's.
 *           EXACT_MORE times the calls, as they are short: the threads
 *           then overlap even when the host runs a vCPU late.
 *
 * Each thread times its own calls; a rep's figure is the threads' ns per
 * call, the minimum over the reps the primary one (see bench_decide.c).
 * "passed" counts the calls that conformed, against the most the limit
 * allows over the time the threads ran (burst + time / interval), in the
 * rep that came nearest that bound or went furthest past it: the rate
 * kept, however many CPUs ask.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "src/op25b_limit.h"
#include "bench.h"

#define LIMIT_BURST	5
#define EXACT_MORE	16

enum { LIMIT_OP25B, LIMIT_WRITE, LIMIT_LOCAL, LIMIT_EXACT, LIMIT_MAX };
static const char *const limit_names[LIMIT_MAX] = { "op25b", "write",
						    "local", "exact" };

struct limit_thread {
	struct op25b_limiter own ____cacheline_aligned;
	struct limit_run *run;
	struct completion done;
	u64 t0, t1, passed;
	u64 first, last;	/* the limiter's clock: exact's own, else t0, t1 */
};

struct limit_run {
	struct op25b_limiter l;
	unsigned int variant, calls, nthreads, rate;
	atomic_t ready;
	atomic64_t clock;	/* exact: calls so far */
};

/* the reference: the same decision, the word exchanged on every call */
static noinline bool limit_write_every(struct op25b_limiter *l, u64 now,
					     u32 rate)
{
	u64 interval = NSEC_PER_SEC / rate;
	u64 old = READ_ONCE(l->tat), tat, next;
	bool pass;

	do {
		tat = max(old, now);
		pass = tat - now <= interval * (LIMIT_BURST - 1);
		next = pass ? tat + interval : old;
	} while (!try_cmpxchg64(&l->tat, &old, next));
	return pass;
}

static bool limit_exact(struct limit_run *r, struct limit_thread *t)
{
	u64 now = atomic64_inc_return(&r->clock) *
		  (NSEC_PER_SEC / r->rate / 10 ?: 1);

	t->first = min(t->first, now);
	t->last = max(t->last, now);
	return op25b_limit_pass_at(&r->l, now, r->rate, LIMIT_BURST);
}

static noinline bool limit_call(struct limit_run *r, struct limit_thread *t)
{
	if (r->variant == LIMIT_WRITE)
		return limit_write_every(&r->l, ktime_get_mono_fast_ns(),
					 r->rate);
	if (r->variant == LIMIT_LOCAL)
		return op25b_limit_pass(&t->own, r->rate, LIMIT_BURST);
	if (r->variant == LIMIT_EXACT)
		return limit_exact(r, t);
	return op25b_limit_pass(&r->l, r->rate, LIMIT_BURST);
}

static int limit_thread_fn(void *arg)
{
	struct limit_thread *t = arg;
	struct limit_run *r = t->run;
	unsigned int i, n = r->calls;

	atomic_inc(&r->ready);
	while (atomic_read(&r->ready) < r->nthreads)
		cond_resched();
	if (r->variant == LIMIT_EXACT)
		n *= EXACT_MORE;
	t->t0 = ktime_get_mono_fast_ns();
	for (i = 0; i < n; i++) {
		t->passed += limit_call(r, t);
		if (!(i & 4095))
			cond_resched();
	}
	t->t1 = ktime_get_mono_fast_ns();
	if (r->variant != LIMIT_EXACT) {
		t->first = t->t0;
		t->last = t->t1;
	}
	complete(&t->done);
	return 0;
}

/* One rep: @nthreads threads on the first CPUs; ns per call, and passes. */
static int limit_rep(struct limit_run *r, struct limit_thread *t, u64 *ns,
		     u64 *passed, u64 *most)
{
	u64 t0 = U64_MAX, t1 = 0, sum = 0;
	unsigned int i = 0, cpu, started = 0;
	struct task_struct *task;

	memset(&r->l, 0, sizeof(r->l));
	atomic_set(&r->ready, 0);
	atomic64_set(&r->clock, 0);
	for_each_online_cpu(cpu) {
		if (i == r->nthreads)
			break;
		t[i] = (struct limit_thread){ .run = r, .first = U64_MAX };
		init_completion(&t[i].done);
		task = kthread_create(limit_thread_fn, &t[i], "op25b_limit/%u",
				      cpu);
		if (IS_ERR(task))
			break;
		kthread_bind(task, cpu);
		wake_up_process(task);
		started++;
		i++;
	}
	/* a thread that could not start: the others must still finish */
	atomic_add(r->nthreads - started, &r->ready);
	for (i = 0; i < started; i++)
		wait_for_completion(&t[i].done);
	if (started < r->nthreads)
		return -ENOMEM;
	*passed = 0;
	for (i = 0; i < started; i++) {
		t0 = min(t0, t[i].first);
		t1 = max(t1, t[i].last);
		sum += t[i].t1 - t[i].t0;
		*passed += t[i].passed;
	}
	*ns = sum;
	*most = LIMIT_BURST + div64_u64(t1 - t0, NSEC_PER_SEC / r->rate);
	if (r->variant == LIMIT_LOCAL)
		*most *= started;
	return 0;
}

static int limit_case(struct limit_run *r, struct limit_thread *t,
		      unsigned int reps, u64 *one_thread)
{
	u64 ns[16], passed = 0, most = 0, p, m, mn;
	char b1[24], b2[24];
	unsigned int k;
	int err;

	reps = min_t(unsigned int, reps, ARRAY_SIZE(ns));
	for (k = 0; k < reps; k++) {
		err = limit_rep(r, t, &ns[k], &p, &m);
		if (err)
			return err;
		/* the rep that came nearest its bound, or went furthest past */
		if (!k || (s64)(p - m) > (s64)(passed - most)) {
			passed = p;
			most = m;
		}
	}
	/* per call of one thread: the threads' time over all their calls */
	mn = bench_min(ns, reps);
	if (r->nthreads == 1)
		*one_thread = mn;
	bench_out("%-6s %7u %9s %9s %9llu %9llu\n", limit_names[r->variant],
		  r->nthreads,
		  bench_fix2(b1, sizeof(b1), mn, (u64)r->calls * r->nthreads *
			     (r->variant == LIMIT_EXACT ? EXACT_MORE : 1)),
		  bench_fix2(b2, sizeof(b2), mn, *one_thread * r->nthreads),
		  passed, most);
	return 0;
}

int bench_limit(unsigned int calls, unsigned int reps, unsigned int rate)
{
	unsigned int n = num_online_cpus(), v;
	struct limit_thread *t;
	struct limit_run r = { .calls = calls, .rate = rate };
	u64 one = 0;
	int err = 0;

	/* whole cache lines each (____cacheline_aligned), from kmalloc: the
	 * threads' own limiters never share one
	 */
	t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	bench_out("# limiter: one shared limit at %u/s burst %d, %u calls a thread x %u reps, threads bound one a CPU and started together\n",
		  rate, LIMIT_BURST, calls, reps);
	bench_out("# ns per call (min over the reps); ratio = that / one thread's; passed: calls that conformed, most: burst + time / interval (the rep nearest or furthest past it)\n");
	bench_out("%-6s %7s %9s %9s %9s %9s\n", "limit", "threads", "min_ns",
		  "ratio", "passed", "most");
	for (v = 0; v < LIMIT_MAX && !err; v++) {
		r.variant = v;
		r.nthreads = 1;
		err = limit_case(&r, t, reps, &one);
		if (!err && n > 1) {
			r.nthreads = n;
			err = limit_case(&r, t, reps, &one);
		}
	}
	kfree(t);
	return err;
}

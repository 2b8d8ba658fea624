// SPDX-License-Identifier: GPL-2.0
/*
 * The GCRA limiter (src/op25b_limit.c): its burst, its rate, the bound on
 * what conforms over any span of time, and that bound kept when threads
 * race for the same limiter.
 */
#include <pthread.h>
#include <time.h>

#include "op25b_limit.h"
#include "tap.h"

#define NS	1000000000ULL

static u64 rng = 25;

static u64 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_burst_then_rate(void)
{
	struct op25b_limiter l = { 0 };
	u64 t0 = 5 * NS, t;
	int n = 0, i;

	for (i = 0; i < 100; i++)
		n += op25b_limit_pass_at(&l, t0, 10, 5);
	tap_ok(n == 5, "an idle limit lets its burst through at once (%d of 5)",
	       n);
	/*
	 * one a ms for 10 s at 10/s: the burst spent, one every 100 ms
	 * from t0 + 100 ms, 99 before t0 + 10 s
	 */
	n = 0;
	for (t = t0; t < t0 + 10 * NS; t += NS / 1000)
		n += op25b_limit_pass_at(&l, t, 10, 5);
	tap_ok(n == 99, "then rate a second (%d of 99 in 10 s at 10/s)", n);
	tap_ok(op25b_limit_pass_at(&l, t0 + 20 * NS, 10, 5),
	       "an event after a pause conforms");
}

static void test_zero_means_one(void)
{
	struct op25b_limiter l = { 0 };
	int n = 0, i;

	for (i = 0; i < 10; i++)
		n += op25b_limit_pass_at(&l, NS, 0, 0);
	tap_ok(n == 1, "rate 0 and burst 0 read as 1 (%d passed)", n);
}

/*
 * Random event times, random rate and burst: no span [t_i, t_j] of
 * passed events holds more than burst + (t_j - t_i) / interval of them,
 * and a limit that has been idle for burst intervals lets one through.
 */
static void test_bound(void)
{
	enum { EVENTS = 1500, ROUNDS = 40 };
	static u64 at[EVENTS];
	int r, i, j, bad = 0, missed = 0;

	for (r = 0; r < ROUNDS; r++) {
		struct op25b_limiter l = { 0 };
		u32 rate = 1 + next_rand() % 5000, burst = 1 + next_rand() % 20;
		u64 interval = NS / rate, t = NS + next_rand() % NS, last = 0;
		int n = 0;
		bool idle, pass;

		for (i = 0; i < EVENTS; i++) {
			t += next_rand() % (3 * interval);
			idle = !n || t - last >= burst * interval;
			pass = op25b_limit_pass_at(&l, t, rate, burst);
			missed += idle && !pass;
			if (pass)
				at[n++] = last = t;
		}
		for (i = 0; i < n; i++)
			for (j = i; j < n; j++)
				if ((u64)(j - i + 1) >
				    burst + (at[j] - at[i]) / interval)
					bad++;
	}
	tap_ok(!bad, "no span of time lets more than burst + span / interval through (%d spans over)",
	       bad);
	tap_ok(!missed, "a limit idle for burst intervals lets the next event through (%d refused)",
	       missed);
}

struct racer {
	struct op25b_limiter *l;
	u64 end;
	long passed, calls;
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NS + (u64)ts.tv_nsec;
}

static void *race(void *arg)
{
	struct racer *r = arg;
	u64 t;

	while ((t = now_ns()) < r->end) {
		r->calls++;
		r->passed += op25b_limit_pass_at(r->l, t, 1000, 5);
	}
	return NULL;
}

/*
 * Threads flooding one limit, as CPUs do on a gateway: together they get
 * no more than the burst and the rate allow over the time they ran.
 */
static void test_threads(void)
{
	enum { THREADS = 4 };
	struct op25b_limiter l = { 0 };
	struct racer r[THREADS];
	pthread_t th[THREADS];
	long passed = 0, calls = 0;
	u64 t0 = now_ns(), t1;
	int i;

	for (i = 0; i < THREADS; i++) {
		r[i] = (struct racer){ .l = &l, .end = t0 + NS / 5 };
		pthread_create(&th[i], NULL, race, &r[i]);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		passed += r[i].passed;
		calls += r[i].calls;
	}
	t1 = now_ns();
	tap_ok(passed > 5 && (u64)passed <= 5 + (t1 - t0) / (NS / 1000),
	       "%d threads at 1000/s burst 5 over %.3f s: %ld of %ld calls passed (at most %llu)",
	       THREADS, (double)(t1 - t0) / NS, passed, calls,
	       (unsigned long long)(5 + (t1 - t0) / (NS / 1000)));
}

int main(void)
{
	test_burst_then_rate();
	test_zero_means_one();
	test_bound();
	test_threads();
	return tap_done();
}

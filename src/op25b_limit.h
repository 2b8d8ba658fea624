/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A rate limit shared by all CPUs without a lock: GCRA, which keeps only
 * the theoretical arrival time (tat) of the next event.  An event at
 * @now conforms when now >= tat - (burst - 1) intervals; each conforming
 * event pushes tat one interval further, by compare-and-exchange.
 *
 * Over any span of T ns from an idle start, at most burst + T / interval
 * events conform, however many CPUs ask at once: the word is the whole
 * state, and a CPU that loses the exchange decides again on what the
 * winner wrote.
 *
 * A flood that has exhausted the limit only reads the word: the exchange
 * is tried only for an event that conforms, at most rate times a second,
 * so on a gateway whose blocked flood arrives on every CPU the limit's
 * cache line stays shared among them rather than bouncing for every
 * packet (docs/benchmarks.md, "The limiter on many CPUs").
 *
 * This file is plain C shared by the module and the host-side tests.
 */
#ifndef OP25B_LIMIT_H
#define OP25B_LIMIT_H

#include "op25b_compat.h"

struct op25b_limiter {
	u64 tat;		/* ns, on the caller's clock; 0: idle */
};

/* True when an event at @now conforms to @rate per second, @burst at once. */
bool op25b_limit_pass_at(struct op25b_limiter *l, u64 now, u32 rate,
			 u32 burst);

#ifdef __KERNEL__
bool op25b_limit_pass(struct op25b_limiter *l, u32 rate, u32 burst);
#endif

#endif

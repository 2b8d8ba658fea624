// SPDX-License-Identifier: GPL-2.0
/* GCRA rate limits (op25b_limit.h); plain C shared with the host tests. */
#include "op25b_limit.h"

#ifdef __KERNEL__
#include <linux/timekeeping.h>
#endif

#define OP25B_NSEC_PER_SEC	1000000000ULL

bool op25b_limit_pass_at(struct op25b_limiter *l, u64 now, u32 rate,
			 u32 burst)
{
	u64 interval = OP25B_NSEC_PER_SEC / (rate ? rate : 1);
	u64 tolerance = interval * ((burst ? burst : 1) - 1);
	u64 old = op25b_read_u64(&l->tat);
	u64 tat;

	do {
		tat = old > now ? old : now;
		if (tat - now > tolerance)
			return false;
	} while (!op25b_try_cmpxchg_u64(&l->tat, &old, tat + interval));
	return true;
}

#ifdef __KERNEL__
/*
 * The packet path's clock: NMI-safe and lock-free, and read on the same
 * CPUs as the packets' own timestamps.
 */
bool op25b_limit_pass(struct op25b_limiter *l, u32 rate, u32 burst)
{
	return op25b_limit_pass_at(l, ktime_get_mono_fast_ns(), rate, burst);
}
#endif

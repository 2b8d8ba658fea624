/* SPDX-License-Identifier: GPL-2.0 */
/* What the files of op25b_bench.ko share. */
#ifndef OP25B_BENCH_H
#define OP25B_BENCH_H

#include <linux/compiler.h>
#include <linux/types.h>

__printf(1, 2) void bench_out(const char *fmt, ...);
const char *bench_fix2(char *buf, size_t len, u64 num, u64 den);
u64 bench_min(const u64 *v, unsigned int n);
int bench_limit(unsigned int calls, unsigned int reps, unsigned int rate);

#endif

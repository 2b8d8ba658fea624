/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities that the shared code (tables, parser, policy)
 * needs, mapped onto libc when that code is built on the host for unit
 * tests, fuzzing and benchmarks.  Nothing here may change behaviour
 * between the two builds.
 */
#ifndef OP25B_COMPAT_H
#define OP25B_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/compiler.h>
#include <linux/if.h>
#include <linux/in.h>

/* sizes here are users' choices: a failure is ENOMEM, never a warning */
#define op25b_alloc_array(n, size) \
	kvmalloc_array((n), (size), GFP_KERNEL_ACCOUNT | __GFP_NOWARN)
#define op25b_zalloc(size)	kzalloc((size), GFP_KERNEL_ACCOUNT)
#define op25b_free(p)		kvfree(p)
#define op25b_sort(base, n, size, cmp) sort((base), (n), (size), (cmp), NULL)
#define op25b_cond_resched()	cond_resched()
#define op25b_read_u64(p)	READ_ONCE(*(p))
#define op25b_try_cmpxchg_u64(p, oldp, new) try_cmpxchg64((p), (oldp), (new))

#else /* userspace */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef IFNAMSIZ
#define IFNAMSIZ	16
#endif

static inline void *op25b_alloc_array(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return malloc(n && size ? n * size : 1);
}

#define op25b_zalloc(size)	calloc(1, (size))
#define op25b_free(p)		free(p)
#define op25b_sort(base, n, size, cmp) qsort((base), (n), (size), (cmp))
#define op25b_cond_resched()	do { } while (0)
#define op25b_read_u64(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define op25b_try_cmpxchg_u64(p, oldp, new) \
	__atomic_compare_exchange_n((p), (oldp), (new), false, \
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#endif

/*
 * IPv6 keys are __uint128_t in host order, so that comparing and masking
 * prefixes is plain arithmetic.  Every 64-bit architecture a carrier
 * gateway runs on has it.
 */
#ifndef __SIZEOF_INT128__
#error "op25b needs a compiler with 128-bit integers (a 64-bit target)"
#endif

#endif /* OP25B_COMPAT_H */

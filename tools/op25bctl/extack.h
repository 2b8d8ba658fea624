/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's answer to a failed request: NLMSG_ERROR (or, for a dump,
 * NLMSG_DONE) with extended-ACK TLVs.  Parsed here from raw bytes, with
 * no libnl, so that the host tests can feed it hand-built messages.
 */
#ifndef OP25BCTL_EXTACK_H
#define OP25BCTL_EXTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXTACK_MSG_MAX	256

struct extack {
	int error;			/* negative errno; 0 for a plain ACK */
	bool has_msg;
	char msg[EXTACK_MSG_MAX];	/* NLMSGERR_ATTR_MSG, sanitized */
	bool has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	bool has_miss_nest;
	uint32_t miss_nest;		/* NLMSGERR_ATTR_MISS_NEST */
};

/*
 * Where one attribute of a request lies, in bytes from the start of its
 * nlmsghdr: the unit in which the kernel reports NLMSGERR_ATTR_OFFS.
 */
struct extack_span {
	uint32_t start;
	uint32_t len;
};

/*
 * Parses the NLMSG_ERROR or NLMSG_DONE message at @buf (@len bytes
 * available).  Returns 0, or -EBADMSG when the message is not one of
 * those or its fixed part is truncated.  Malformed TLVs end the TLV
 * walk but do not fail the parse: the error code alone is still useful.
 */
int extack_parse(const void *buf, size_t len, struct extack *ack);

/*
 * Index of the span containing byte @offs, or -1.  @spans must be sorted
 * by start and disjoint, as they are when recorded while building.
 */
long extack_find_span(const struct extack_span *spans, size_t n,
		      uint32_t offs);

/* The offset to blame: NLMSGERR_ATTR_OFFS, else the missing-attr nest. */
bool extack_offset(const struct extack *ack, uint32_t *offs);

#endif /* OP25BCTL_EXTACK_H */

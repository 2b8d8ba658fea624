// SPDX-License-Identifier: GPL-2.0
/*
 * Extended ACK parsing over a byte buffer.
 *
 * Layout (see netlink_ack() in net/netlink/af_netlink.c):
 *   nlmsghdr (type NLMSG_ERROR)
 *   struct nlmsgerr { int error; struct nlmsghdr msg; }
 *   the request's payload, nlmsg_len(msg) bytes, unless NLM_F_CAPPED
 *   TLVs, 4-byte aligned, if NLM_F_ACK_TLVS
 * or, ending a dump:
 *   nlmsghdr (type NLMSG_DONE), int error, TLVs if NLM_F_ACK_TLVS
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>

#include "extack.h"

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* TLVs are only 4-byte aligned */
	return v;
}

/* Copies the kernel's text; control bytes would garble a terminal. */
static void copy_msg(struct extack *ack, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < EXTACK_MSG_MAX - 1 && p[i]; i++)
		ack->msg[i] = (p[i] < 0x20 || p[i] == 0x7f) ? '?' : p[i];
	ack->msg[i] = '\0';
	ack->has_msg = i > 0;
}

static void parse_tlv(struct extack *ack, unsigned int type,
		      const unsigned char *p, size_t len)
{
	switch (type) {
	case NLMSGERR_ATTR_MSG:
		copy_msg(ack, p, len);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (len >= 4) {
			ack->offs = get_u32(p);
			ack->has_offs = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (len >= 4) {
			ack->miss_type = get_u32(p);
			ack->has_miss_type = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		if (len >= 4) {
			ack->miss_nest = get_u32(p);
			ack->has_miss_nest = true;
		}
		break;
	default:
		break;	/* cookies, policies: nothing for an operator */
	}
}

static void parse_tlvs(struct extack *ack, const unsigned char *p,
		       size_t len)
{
	while (len >= NLA_HDRLEN) {
		struct nlattr nla;
		size_t step;

		memcpy(&nla, p, sizeof(nla));
		if (nla.nla_len < NLA_HDRLEN || nla.nla_len > len)
			return;
		parse_tlv(ack, nla.nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN,
			  nla.nla_len - NLA_HDRLEN);
		step = NLA_ALIGN(nla.nla_len);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}

/* Offset of the TLVs from the nlmsghdr, or 0 when there is no room. */
static size_t error_tlv_offset(const struct nlmsghdr *nlh,
			       const struct nlmsgerr *e)
{
	size_t hlen = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* the echoed request; its header is already in *e */
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		hlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	return NLMSG_HDRLEN + NLMSG_ALIGN(hlen);
}

int extack_parse(const void *buf, size_t len, struct extack *ack)
{
	const unsigned char *p = buf;
	struct nlmsghdr nlh;
	struct nlmsgerr e;
	size_t tlv = 0;
	int error;

	memset(ack, 0, sizeof(*ack));
	if (len < NLMSG_HDRLEN)
		return -EBADMSG;
	memcpy(&nlh, p, sizeof(nlh));
	if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len)
		return -EBADMSG;
	len = nlh.nlmsg_len;

	if (nlh.nlmsg_type == NLMSG_ERROR) {
		if (len < NLMSG_HDRLEN + sizeof(e))
			return -EBADMSG;
		memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
		ack->error = e.error;
		tlv = error_tlv_offset(&nlh, &e);
	} else if (nlh.nlmsg_type == NLMSG_DONE) {
		if (len < NLMSG_HDRLEN + sizeof(error))
			return -EBADMSG;
		memcpy(&error, p + NLMSG_HDRLEN, sizeof(error));
		ack->error = error;
		tlv = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(error));
	} else {
		return -EBADMSG;
	}
	if ((nlh.nlmsg_flags & NLM_F_ACK_TLVS) && tlv && tlv < len)
		parse_tlvs(ack, p + tlv, len - tlv);
	return 0;
}

long extack_find_span(const struct extack_span *spans, size_t n,
		      uint32_t offs)
{
	size_t lo = 0, hi = n;

	/* the last span starting at or before offs */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (spans[mid].start <= offs)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	lo--;
	if (offs - spans[lo].start >= spans[lo].len)
		return -1;
	return (long)lo;
}

bool extack_offset(const struct extack *ack, uint32_t *offs)
{
	if (ack->has_offs) {
		*offs = ack->offs;
		return true;
	}
	if (ack->has_miss_nest) {
		*offs = ack->miss_nest;
		return true;
	}
	return false;
}

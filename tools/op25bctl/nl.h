/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the op25b generic netlink family: one request at a time,
 * answered by a reply, an ACK, a dump or an error with extended ACK.
 */
#ifndef OP25BCTL_NL_H
#define OP25BCTL_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>

#include "extack.h"

/* After an invalid dump this many times, the data is too busy to list. */
#define DUMP_TRIES	10

struct onl {
	struct nl_sock *sk;
	int family;
};

/* A request being built, with the attributes an error may point at. */
struct onl_req {
	struct nl_msg *msg;
	struct extack_span *spans;	/* sorted by start: appended in order */
	size_t nspans, cap;
};

/* How a request ended. */
struct onl_result {
	struct extack ack;	/* ack.error < 0: the kernel refused */
	long span;		/* span the kernel blamed, or -1 */
	int nlerr;		/* libnl's own failure (-NLE_*), or 0 */
	bool intr;		/* a dump reply had NLM_F_DUMP_INTR */
	unsigned int replies;	/* reply messages parsed */
};

/* Called for each reply message; return NL_OK, or NL_STOP on error. */
typedef int (*onl_parse_fn)(struct nl_msg *msg, void *arg);

/*
 * sock.c: opens a socket to the op25b family.  Prints why not (notably,
 * that the module is not loaded) and returns -1 on failure.
 */
int onl_open(struct onl *h);
void onl_close(struct onl *h);

/*
 * Starts a request for @cmd, with room for @payload bytes of attributes.
 * Returns 0, or -1 after printing an error.
 */
int onl_req_init(struct onl *h, struct onl_req *r, uint8_t cmd, int flags,
		 size_t payload);
void onl_req_free(struct onl_req *r);
/* Records where @nla lies, after it is complete; returns its index. */
int onl_req_span(struct onl_req *r, const struct nlattr *nla);

/*
 * Sends @r and reads replies until the ACK, the end of the dump or an
 * error, calling @parse for each reply.  Returns 0 when all went well;
 * otherwise -1 with @res telling why (see onl_print_error()).
 */
int onl_exchange(struct onl *h, struct onl_req *r, onl_parse_fn parse,
		 void *arg, struct onl_result *res);

/*
 * Prints the failure in @res: "@ctx: why", where @ctx names the command
 * ("allow add") and why is the kernel's extended ACK message, else the
 * errno text.  @culprit, if not NULL, names the entry the kernel blamed
 * ("allow add 192.0.2.25") and replaces @ctx.
 */
void onl_print_error(const struct onl_result *res, const char *ctx,
		     const char *culprit);

/*
 * The whole life of a simple request: open, send @cmd with the u8
 * attribute @attr = @val (none if @attr is 0), hand the reply to @parse
 * (which must then see exactly one), print any error, close.
 * Returns EXIT_OK or EXIT_ERR.
 */
int onl_simple(uint8_t cmd, int attr, uint8_t val, const char *ctx,
	       onl_parse_fn parse, void *arg);
/*
 * The same on an open socket; @attr may also be one of the u32
 * attributes OP25B_A_TXN and OP25B_A_TOP_LIMIT.
 */
int onl_simple_req(struct onl *h, uint8_t cmd, int attr, uint32_t val,
		   const char *ctx, onl_parse_fn parse, void *arg);

/*
 * Parses a reply's top-level attributes into @tb (OP25B_A_MAX + 1 slots),
 * checking their types.  Returns 0, or -1 if the reply is malformed.
 */
int onl_parse_reply(struct nl_msg *msg, struct nlattr **tb);

#endif /* OP25BCTL_NL_H */

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * op25b: Outbound Port 25 Blocking for Linux gateways.
 *
 * This header is the single source of truth for the generic netlink
 * family "op25b" spoken between the kernel module and op25bctl (or any
 * other client).  docs/netlink.md explains it in prose.
 *
 * Conventions
 * -----------
 * All state is per network namespace: a request acts on the namespace of
 * the socket that sent it.  Write commands need CAP_NET_ADMIN in the user
 * namespace owning that network namespace (GENL_UNS_ADMIN_PERM), and so
 * do OP25B_CMD_GET_ENTRIES, OP25B_CMD_GET_TOP and OP25B_CMD_CHECK, since
 * tables name customers and a verdict tells table membership; status and
 * statistics are open to any user.
 * While a transaction is open in a namespace, every other write there
 * (SET, ADD_ENTRIES, DEL_ENTRIES, FLUSH without OP25B_A_TXN) fails with
 * -EBUSY and a message: the commit would overwrite it.
 * Addresses are in network byte order: 4 bytes for IPv4, 16 for IPv6.
 * Attribute validation is strict and per command: a request may carry
 * only the attributes its command lists below; any other is refused
 * (-EINVAL, NLMSGERR_ATTR_OFFS at it).  A required attribute that is
 * missing is named by NLMSGERR_ATTR_MISS_TYPE.  Other errors carry an
 * extended ACK message; when the error concerns one entry of
 * OP25B_A_ENTRIES, the ACK's NLMSGERR_ATTR_OFFS points at that entry.
 * "genl ctrl policy name op25b" shows each command's policy.
 *
 * Attribute tree of each command
 * ------------------------------
 * OP25B_CMD_GET_STATUS (doit, any user)
 *   request:  (none)
 *   reply:    OP25B_A_MODE, OP25B_A_GENERATION, OP25B_A_TABLES, OP25B_A_STATS,
 *             the settings (OP25B_A_ACTION ... OP25B_A_LOG_PRIVACY),
 *             OP25B_A_TOP_SLOTS, [OP25B_A_TXN_OPEN]
 *
 * OP25B_CMD_SET (doit, admin)
 *   request:  any of the settings: OP25B_A_MODE, OP25B_A_ACTION,
 *             OP25B_A_SCOPE, OP25B_A_REJECT_RATE, OP25B_A_REJECT_BURST,
 *             OP25B_A_LOG, OP25B_A_LOG_RATE, OP25B_A_LOG_BURST,
 *             OP25B_A_LOG_PRIVACY, OP25B_A_NFLOG, OP25B_A_NFLOG_GROUP,
 *             OP25B_A_NFLOG_PREFIX, OP25B_A_NFLOG_SNAPLEN,
 *             OP25B_A_ALERT_ATTEMPTS, OP25B_A_ALERT_SECONDS; [OP25B_A_TXN]
 *   All given settings change at once.  With OP25B_A_TXN they are staged
 *   in that transaction instead.  A reject action first loads the
 *   kernel's nf_reject_ipv4 and nf_reject_ipv6 (-ENOENT and a message if
 *   they cannot be); OP25B_A_LOG 1 outside the initial namespace needs
 *   net.netfilter.nf_log_all_netns=1 there (-EPERM and a message);
 *   OP25B_A_NFLOG 1 first loads the kernel's nfnetlink_log (-ENOENT and a
 *   message if it cannot be).
 *
 * OP25B_CMD_ADD_ENTRIES, OP25B_CMD_DEL_ENTRIES (doit, admin)
 *   request:  OP25B_A_TABLE, OP25B_A_ENTRIES, [OP25B_A_TXN] (add only)
 *   All entries of one message are applied at once or not at all.  With
 *   OP25B_A_TXN the entries are staged in that transaction instead.
 *   Adding an entry that is in the table with a timeout refreshes it:
 *   its timeout and expiry become those of the request (none: the entry
 *   is permanent from now on), its comment too when one is given.  An
 *   entry in the table without a timeout cannot be added again (-EEXIST).
 *
 * Entry timeouts
 * --------------
 *   OP25B_ENTRY_A_TIMEOUT gives an entry a lifetime of 1 to
 *   OP25B_TIMEOUT_MAX seconds; OP25B_ENTRY_A_EXPIRES, at most the
 *   timeout, how much of it is left (a saved configuration restored;
 *   default: all of it).  Expiry is counted in whole seconds of
 *   CLOCK_BOOTTIME: an entry added with timeout T goes at the start of
 *   the T-th second boundary after it was added.  The module removes all
 *   entries of a namespace that are due in the same second with one
 *   change of each table concerned (a config event OP25B_EVENT_EXPIRE
 *   per table, counter OP25B_CNT_EXPIRED), as if a DEL had been sent.
 *   Interface patterns do not expire.
 *
 * OP25B_CMD_GET_ENTRIES (dumpit, admin)
 *   request:  OP25B_A_TABLE
 *   replies:  OP25B_A_TABLE, OP25B_A_ENTRIES (as many as fit per message)
 *   A dump that raced with a change of that table is flagged
 *   NLM_F_DUMP_INTR and should be retried; settings and other tables
 *   have generations of their own and do not interrupt it.
 *
 * OP25B_CMD_FLUSH (doit, admin)
 *   request:  OP25B_A_TABLE
 *
 * OP25B_CMD_GET_STATS (doit, any user)
 *   reply:    OP25B_A_STATS
 *
 * OP25B_CMD_RESET_STATS (doit, admin)
 *
 * OP25B_CMD_CHECK (doit, admin): the hook's own decision for a packet
 *   request:  OP25B_A_SRC, OP25B_A_DST, [OP25B_A_DPORT (default 25)],
 *             [OP25B_A_PROTO (default IPPROTO_TCP)], [OP25B_A_IIFNAME]
 *   reply:    OP25B_A_VERDICT, OP25B_A_REASON, OP25B_A_MODE, OP25B_A_SCOPE,
 *             [OP25B_A_MATCH_SUBSCRIBER], [OP25B_A_MATCH_EXEMPT],
 *             [OP25B_A_MATCH_ALLOW], [OP25B_A_MATCH_TARGET]
 *
 * OP25B_CMD_GET_TOP (dumpit, admin): the offenders, most attempts first
 *   request:  [OP25B_A_TOP_LIMIT (default: all)]
 *   replies:  OP25B_A_TOP_TOTAL, OP25B_A_TOP_SLOTS, OP25B_A_OFFENDERS
 *             (as many as fit per message)
 *   The counts are Space-Saving estimates: an offender's true number of
 *   attempts lies in [COUNT - ERROR, COUNT], ERROR <= TOTAL / SLOTS, and
 *   every source with more than TOTAL / SLOTS attempts is listed.
 *   Attempts are connection attempts (see enum op25b_counter).  The
 *   snapshot a dump takes lives until the dump is read to its end or its
 *   socket closes; a namespace has at most OP25B_TOP_DUMPS_MAX at once
 *   (beyond, the dump ends at once: -EBUSY and its message in NLMSG_DONE).
 *
 * OP25B_CMD_RESET_TOP (doit, admin)
 *
 * OP25B_CMD_TXN_BEGIN (doit, admin): opens the namespace's transaction
 *   reply:    OP25B_A_TXN
 *   A transaction stages a whole new configuration, starting from the
 *   defaults with all tables empty: OP25B_CMD_SET and
 *   OP25B_CMD_ADD_ENTRIES carrying OP25B_A_TXN add to it.  One
 *   transaction per namespace at a time (-EBUSY); it belongs to the
 *   socket that opened it and is aborted when that socket closes.
 *
 * OP25B_CMD_TXN_COMMIT (doit, admin)
 *   request:  OP25B_A_TXN
 *   Replaces the configuration (settings and all tables, comments
 *   included) with the staged one in one step: a packet sees either the
 *   old or the new configuration.  On error nothing changes and the
 *   transaction is gone.
 *
 * OP25B_CMD_TXN_ABORT (doit, admin)
 *   request:  OP25B_A_TXN
 *
 * OP25B_CMD_EVENT (multicast by the module, groups OP25B_MCGRP_CONFIG and
 *   OP25B_MCGRP_ALERTS): OP25B_A_EVENT (enum op25b_event) and
 *   config events (group OP25B_MCGRP_CONFIG), one per committed change and
 *   none for a failed request: OP25B_A_GENERATION (after the change),
 *     OP25B_A_EVENT_PID, OP25B_A_EVENT_UID, OP25B_A_EVENT_PORTID, and
 *     SET: OP25B_A_EVENT_OLD, OP25B_A_EVENT_NEW: nests holding the
 *       settings that changed, as top-level attributes
 *     ADD, DEL: OP25B_A_TABLE, OP25B_A_EVENT_COUNT (entries of the request)
 *     FLUSH: OP25B_A_TABLE, OP25B_A_EVENT_COUNT (entries removed)
 *     LOAD: OP25B_A_EVENT_COUNT (entries), OP25B_A_EVENT_TABLES (tables
 *       with entries)
 *     RESET_STATS, RESET_TOP: nothing more
 *     EXPIRE: OP25B_A_TABLE, OP25B_A_EVENT_COUNT (entries that expired);
 *       no OP25B_A_EVENT_PID, _UID or _PORTID: the module made the change
 *   ALERT (group OP25B_MCGRP_ALERTS): OP25B_A_SRC (one entry: the source;
 *     IPv6 sources are followed per /64; under log privacy cut to /24 or
 *     /48), OP25B_A_EVENT_COUNT (attempts), OP25B_A_ALERT_SECONDS (the
 *     window), OP25B_A_IIFNAME, OP25B_A_VERDICT (block or monitor)
 *   A listener that reads too slowly loses events (its socket's drops,
 *   ENOBUFS on the next read); writers and packets never wait for it.
 *
 * Nested attribute sets
 * ---------------------
 * OP25B_A_ENTRIES:   array of OP25B_LIST_A_ENTRY, each a nest of
 *   OP25B_ENTRY_A_ADDR4 | OP25B_ENTRY_A_ADDR6 | OP25B_ENTRY_A_IIFNAME,
 *   OP25B_ENTRY_A_PREFIXLEN (u8, addresses only; absent: a host route),
 *   [OP25B_ENTRY_A_COMMENT] (string, add and list only),
 *   [OP25B_ENTRY_A_TIMEOUT] (u32 seconds, addresses only, add and list
 *   only), [OP25B_ENTRY_A_EXPIRES] (u32 seconds left: with a timeout)
 * OP25B_A_SRC, OP25B_A_DST, OP25B_A_MATCH_*: one entry nest as above.
 * OP25B_A_TABLES:    array of OP25B_TABLES_A_TABLE, each a nest of
 *   OP25B_TINFO_A_ID, OP25B_TINFO_A_IPV4, OP25B_TINFO_A_IPV6,
 *   OP25B_TINFO_A_IIF, OP25B_TINFO_A_LIMIT, OP25B_TINFO_A_TIMED,
 *   [OP25B_TINFO_A_NEXT_EXPIRY] (when TIMED is not 0)
 * OP25B_A_STATS:     OP25B_STATS_A_IPV4 and OP25B_STATS_A_IPV6, each a nest
 *   whose attribute type is enum op25b_counter + 1, value u64.
 * OP25B_A_OFFENDERS: array of OP25B_OFFENDERS_A_OFFENDER, each a nest of
 *   OP25B_OFFENDER_A_ADDR4 | OP25B_OFFENDER_A_ADDR6, OP25B_OFFENDER_A_PREFIXLEN,
 *   OP25B_OFFENDER_A_COUNT, OP25B_OFFENDER_A_ERROR, OP25B_OFFENDER_A_FIRST,
 *   OP25B_OFFENDER_A_LAST, OP25B_OFFENDER_A_DESTS
 */
#ifndef _UAPI_LINUX_OP25B_H
#define _UAPI_LINUX_OP25B_H

#define OP25B_GENL_NAME		"op25b"
#define OP25B_GENL_VERSION	1

/* The port this whole module is about (RFC 5321). */
#define OP25B_SMTP_PORT		25

/* Default bound on the entries of one table; module parameter table_max,
 * at most OP25B_TABLE_SIZE_LIMIT.
 */
#define OP25B_TABLE_SIZE_DEFAULT	1048576
#define OP25B_TABLE_SIZE_LIMIT		16777216
/* Interface patterns are matched one by one; keep them few. */
#define OP25B_IIF_MAX		256
/* Bytes of an entry comment, UTF-8, without the terminating NUL. */
#define OP25B_COMMENT_MAX	64
/* Longest entry timeout, seconds: 365 days. */
#define OP25B_TIMEOUT_MAX	31536000
/* Default slots of the offenders store; module parameter offenders_max,
 * at most OP25B_OFFENDERS_LIMIT (2^20 slots are some 64 MiB per CPU).
 */
#define OP25B_OFFENDERS_DEFAULT	4096
#define OP25B_OFFENDERS_LIMIT	1048576
/* OP25B_CMD_GET_TOP dumps one namespace may have open at once: each holds
 * a snapshot of the offenders until it is read to its end (-EBUSY beyond).
 */
#define OP25B_TOP_DUMPS_MAX	8
/* Rates are events per second; bursts are events. */
#define OP25B_RATE_MAX		1000000
#define OP25B_REJECT_RATE_DEFAULT	1000
#define OP25B_LOG_RATE_DEFAULT	10
/* Log lines per second of all namespaces together; module parameter
 * log_rate_max, at most OP25B_RATE_MAX.
 */
#define OP25B_LOG_RATE_MAX_DEFAULT	100
#define OP25B_BURST_DEFAULT	5
/*
 * NFLOG: each logged attempt (after the log rate) also goes to this
 * nfnetlink_log group, with the prefix "PREFIX blocked" or "PREFIX
 * monitored".  The prefix: printable ASCII.  With log privacy on, the
 * packet logged is a copy whose addresses are cut as in the kernel log.
 */
#define OP25B_NFLOG_PREFIX_MAX		31
#define OP25B_NFLOG_PREFIX_DEFAULT	"op25b"
#define OP25B_NFLOG_SNAPLEN_MAX		65535
/*
 * Offender alerts: a source with OP25B_A_ALERT_ATTEMPTS attempts within
 * OP25B_A_ALERT_SECONDS raises one alert for that window.  At most
 * OP25B_ALERT_SOURCES sources are followed at once per namespace (the
 * least recently seen makes room), and at most OP25B_ALERT_RATE alerts a
 * second leave a namespace (OP25B_ALERT_BURST at once).
 */
#define OP25B_ALERT_SECONDS_MAX		86400
#define OP25B_ALERT_SECONDS_DEFAULT	60
#define OP25B_ALERT_SOURCES		4096
#define OP25B_ALERT_RATE		10
#define OP25B_ALERT_BURST		20
/*
 * Multicast groups: "config" carries an event for every committed change,
 * "alerts" the offender alerts; joining either needs CAP_NET_ADMIN in the
 * user namespace that owns the network namespace.  Events never leave
 * their namespace.
 */
#define OP25B_MCGRP_CONFIG		"config"
#define OP25B_MCGRP_ALERTS		"alerts"

/* IPv6 offenders are counted per /64, as blocklists list them. */
#define OP25B_OFFENDER_PLEN6	64
/* With log privacy on, logged addresses are cut to these prefixes. */
#define OP25B_LOG_PRIVACY_PLEN4	24
#define OP25B_LOG_PRIVACY_PLEN6	48

enum op25b_cmd {
	OP25B_CMD_UNSPEC,
	OP25B_CMD_GET_STATUS,
	OP25B_CMD_SET,
	OP25B_CMD_ADD_ENTRIES,
	OP25B_CMD_DEL_ENTRIES,
	OP25B_CMD_GET_ENTRIES,
	OP25B_CMD_FLUSH,
	OP25B_CMD_GET_STATS,
	OP25B_CMD_RESET_STATS,
	OP25B_CMD_CHECK,
	OP25B_CMD_GET_TOP,
	OP25B_CMD_RESET_TOP,
	OP25B_CMD_TXN_BEGIN,
	OP25B_CMD_TXN_COMMIT,
	OP25B_CMD_TXN_ABORT,
	OP25B_CMD_EVENT,		/* multicast by the module only */
	__OP25B_CMD_MAX
};
#define OP25B_CMD_MAX (__OP25B_CMD_MAX - 1)

enum op25b_mode {
	OP25B_MODE_OFF,		/* pass everything, count nothing */
	OP25B_MODE_MONITOR,	/* pass, count what would be blocked */
	OP25B_MODE_ENFORCE,	/* drop (the default after load) */
	__OP25B_MODE_MAX
};
#define OP25B_MODE_MAX (__OP25B_MODE_MAX - 1)

/* What enforce mode does with a blocked packet. */
enum op25b_action {
	OP25B_ACTION_DROP,		/* silently (the default) */
	OP25B_ACTION_REJECT_TCP,	/* drop and answer with a TCP RST */
	OP25B_ACTION_REJECT_ICMP,	/* drop and answer with ICMP(v6)
					 * administratively prohibited
					 */
	__OP25B_ACTION_MAX
};
#define OP25B_ACTION_MAX (__OP25B_ACTION_MAX - 1)

/* Which destinations are policed. */
enum op25b_scope {
	OP25B_SCOPE_ALL,		/* every one not allowlisted (default) */
	OP25B_SCOPE_TARGETS,		/* only those in the target table */
	__OP25B_SCOPE_MAX
};
#define OP25B_SCOPE_MAX (__OP25B_SCOPE_MAX - 1)

enum op25b_table_id {
	OP25B_TABLE_SUBSCRIBER,	/* sources that are policed */
	OP25B_TABLE_ALLOW,	/* destinations always reachable: own MTAs */
	OP25B_TABLE_EXEMPT,	/* subscriber sources that are not policed */
	OP25B_TABLE_TARGET,	/* policed destinations under scope targets */
	__OP25B_TABLE_MAX
};
#define OP25B_TABLE_MAX (__OP25B_TABLE_MAX - 1)

enum op25b_verdict {
	OP25B_VERDICT_PASS,
	OP25B_VERDICT_BLOCK,
	OP25B_VERDICT_MONITOR,	/* would be blocked; passes in monitor mode */
	__OP25B_VERDICT_MAX
};

/* Why a packet got its verdict, in the order the hook decides. */
enum op25b_reason {
	OP25B_REASON_NOT_SMTP,		/* not TCP to port 25 */
	OP25B_REASON_MODE_OFF,
	OP25B_REASON_NOT_SUBSCRIBER,
	OP25B_REASON_EXEMPT,
	OP25B_REASON_ALLOWED_MTA,
	OP25B_REASON_BLOCKED,		/* verdict BLOCK or MONITOR */
	OP25B_REASON_NOT_TARGET,	/* scope targets, destination not one;
					 * decided after ALLOWED_MTA
					 */
	__OP25B_REASON_MAX
};

/*
 * Counters, per address family.  Packet counters count every TCP/25
 * packet of the flows they judge (a blocked flow's SYN, its
 * retransmissions, and any later segment); attempt counters count
 * connection attempts only: SYN without ACK, or a first fragment too
 * short to show the flags.  The offenders store and the log are fed by
 * attempts, so that one long mail session does not outrank a bot.
 */
enum op25b_counter {
	OP25B_CNT_INSPECTED,	  /* packets: TCP/25 from subscribers */
	OP25B_CNT_BLOCKED,	  /* packets dropped */
	OP25B_CNT_MONITORED,	  /* packets that would have been dropped
				   * (monitor mode)
				   */
	OP25B_CNT_ALLOWED_MTA,	  /* packets to an allowlisted MTA */
	OP25B_CNT_ALLOWED_EXEMPT, /* packets from an exempt source */
	OP25B_CNT_NOT_SUBSCRIBER, /* TCP/25 packets from other sources, while
				   * the namespace has subscribers and mode
				   * is not off (else op25b has no hook)
				   */
	OP25B_CNT_REJECT_SENT,	  /* blocked packets answered: a RST or an
				   * ICMP error handed to the kernel, which
				   * may still not send it (no route back;
				   * for ICMP, net.ipv4.icmp_ratelimit and
				   * net.ipv6.icmp.ratelimit)
				   */
	OP25B_CNT_REJECT_LIMITED, /* blocked, answer suppressed by the rate */
	OP25B_CNT_NOT_TARGET,	  /* packets passed: scope targets, not a
				   * target
				   */
	OP25B_CNT_LOGGED,	  /* attempts written to the kernel log */
	OP25B_CNT_LOG_SUPPRESSED, /* attempts not logged: the namespace's
				   * log rate, the global cap (module
				   * parameter log_rate_max), or a
				   * namespace that may not log
				   */
	OP25B_CNT_REJECT_UNANSWERABLE, /* blocked packets that cannot be
					* answered: a RST (for reject-tcp), a
					* fragment, a bad checksum, a TCP
					* header cut short
					*/
	OP25B_CNT_ATTEMPTS_BLOCKED,   /* connection attempts dropped */
	OP25B_CNT_ATTEMPTS_MONITORED, /* connection attempts that would have
				       * been dropped (monitor mode)
				       */
	OP25B_CNT_NFLOGGED,	  /* attempts sent to NFLOG */
	OP25B_CNT_ALERTS,	  /* offender alerts raised */
	OP25B_CNT_ALERTS_SUPPRESSED, /* alerts not sent: the namespace's
				      * alert rate
				      */
	OP25B_CNT_EXPIRED,	  /* table entries removed by their timeout
				   * (not a packet counter)
				   */
	__OP25B_CNT_MAX
};

/* OP25B_CMD_EVENT messages, by OP25B_A_EVENT; see the header's top. */
enum op25b_event {
	OP25B_EVENT_SET,		/* settings changed */
	OP25B_EVENT_ADD,		/* entries added to a table */
	OP25B_EVENT_DEL,		/* entries deleted */
	OP25B_EVENT_FLUSH,		/* a table emptied */
	OP25B_EVENT_LOAD,		/* a transaction committed */
	OP25B_EVENT_RESET_STATS,
	OP25B_EVENT_RESET_TOP,
	OP25B_EVENT_ALERT,		/* an offender crossed the threshold */
	OP25B_EVENT_EXPIRE,		/* entries of a table expired */
	__OP25B_EVENT_MAX
};

enum op25b_attr {
	OP25B_A_UNSPEC,
	OP25B_A_MODE,			/* u8, enum op25b_mode */
	OP25B_A_TABLE,			/* u8, enum op25b_table_id */
	OP25B_A_ENTRIES,		/* nest, see above */
	OP25B_A_GENERATION,		/* u32, bumped by every change */
	OP25B_A_TABLES,			/* nest, see above */
	OP25B_A_STATS,			/* nest, see above */
	OP25B_A_SRC,			/* nest: one entry */
	OP25B_A_DST,			/* nest: one entry */
	OP25B_A_DPORT,			/* u16, host byte order */
	OP25B_A_PROTO,			/* u8, IPPROTO_* */
	OP25B_A_IIFNAME,		/* string */
	OP25B_A_VERDICT,		/* u8, enum op25b_verdict */
	OP25B_A_REASON,			/* u8, enum op25b_reason */
	OP25B_A_MATCH_SUBSCRIBER,	/* nest: one entry */
	OP25B_A_MATCH_EXEMPT,		/* nest: one entry */
	OP25B_A_MATCH_ALLOW,		/* nest: one entry */
	OP25B_A_MATCH_TARGET,		/* nest: one entry */
	OP25B_A_ACTION,			/* u8, enum op25b_action */
	OP25B_A_SCOPE,			/* u8, enum op25b_scope */
	OP25B_A_REJECT_RATE,		/* u32, rejects per second */
	OP25B_A_REJECT_BURST,		/* u32, rejects sent back to back */
	OP25B_A_LOG,			/* u8, 0 or 1 */
	OP25B_A_LOG_RATE,		/* u32, log lines per second */
	OP25B_A_LOG_BURST,		/* u32 */
	OP25B_A_LOG_PRIVACY,		/* u8, 0 or 1: cut logged addresses */
	OP25B_A_TXN,			/* u32, transaction id */
	OP25B_A_TXN_OPEN,		/* flag: a transaction is open */
	OP25B_A_TOP_LIMIT,		/* u32, most offenders to list */
	OP25B_A_TOP_TOTAL,		/* u64, attempts recorded */
	OP25B_A_TOP_SLOTS,		/* u32, offenders kept per CPU */
	OP25B_A_OFFENDERS,		/* nest, see above */
	OP25B_A_PAD,			/* alignment of u64 attributes */
	OP25B_A_NFLOG,			/* u8, 0 or 1: logged attempts to NFLOG */
	OP25B_A_NFLOG_GROUP,		/* u16, nfnetlink_log group */
	OP25B_A_NFLOG_PREFIX,		/* string, OP25B_NFLOG_PREFIX_MAX */
	OP25B_A_NFLOG_SNAPLEN,		/* u32, bytes copied; 0: all */
	OP25B_A_ALERT_ATTEMPTS,		/* u32, 0: no alerts */
	OP25B_A_ALERT_SECONDS,		/* u32, the window */
	OP25B_A_EVENT,			/* u8, enum op25b_event */
	OP25B_A_EVENT_PID,		/* u32: the writer's process */
	OP25B_A_EVENT_UID,		/* u32: its user, in the namespace's
					 * user namespace
					 */
	OP25B_A_EVENT_PORTID,		/* u32: its netlink port */
	OP25B_A_EVENT_COUNT,		/* u32: entries, or attempts */
	OP25B_A_EVENT_TABLES,		/* u32: tables a load filled */
	OP25B_A_EVENT_OLD,		/* nest: settings before */
	OP25B_A_EVENT_NEW,		/* nest: settings after */
	__OP25B_A_MAX
};
#define OP25B_A_MAX (__OP25B_A_MAX - 1)

enum op25b_list_attr {
	OP25B_LIST_A_UNSPEC,
	OP25B_LIST_A_ENTRY,		/* nest, enum op25b_entry_attr */
	__OP25B_LIST_A_MAX
};
#define OP25B_LIST_A_MAX (__OP25B_LIST_A_MAX - 1)

enum op25b_entry_attr {
	OP25B_ENTRY_A_UNSPEC,
	OP25B_ENTRY_A_ADDR4,		/* 4 bytes */
	OP25B_ENTRY_A_ADDR6,		/* 16 bytes */
	OP25B_ENTRY_A_PREFIXLEN,	/* u8 */
	OP25B_ENTRY_A_IIFNAME,		/* string; a trailing '+' is a wildcard */
	OP25B_ENTRY_A_COMMENT,		/* string, at most OP25B_COMMENT_MAX
					 * bytes, no control characters
					 */
	OP25B_ENTRY_A_TIMEOUT,		/* u32, seconds; absent: permanent */
	OP25B_ENTRY_A_EXPIRES,		/* u32, seconds left of the timeout */
	__OP25B_ENTRY_A_MAX
};
#define OP25B_ENTRY_A_MAX (__OP25B_ENTRY_A_MAX - 1)

enum op25b_tables_attr {
	OP25B_TABLES_A_UNSPEC,
	OP25B_TABLES_A_TABLE,		/* nest, enum op25b_tinfo_attr */
	__OP25B_TABLES_A_MAX
};
#define OP25B_TABLES_A_MAX (__OP25B_TABLES_A_MAX - 1)

enum op25b_tinfo_attr {
	OP25B_TINFO_A_UNSPEC,
	OP25B_TINFO_A_ID,		/* u8, enum op25b_table_id */
	OP25B_TINFO_A_IPV4,		/* u32, IPv4 prefixes */
	OP25B_TINFO_A_IPV6,		/* u32, IPv6 prefixes */
	OP25B_TINFO_A_IIF,		/* u32, interface patterns */
	OP25B_TINFO_A_LIMIT,		/* u32, bound on all entries */
	OP25B_TINFO_A_TIMED,		/* u32, entries with a timeout */
	OP25B_TINFO_A_NEXT_EXPIRY,	/* u32, seconds to the next expiry */
	__OP25B_TINFO_A_MAX
};
#define OP25B_TINFO_A_MAX (__OP25B_TINFO_A_MAX - 1)

enum op25b_stats_attr {
	OP25B_STATS_A_UNSPEC,
	OP25B_STATS_A_IPV4,		/* nest: counters */
	OP25B_STATS_A_IPV6,		/* nest: counters */
	__OP25B_STATS_A_MAX
};
#define OP25B_STATS_A_MAX (__OP25B_STATS_A_MAX - 1)

enum op25b_offenders_attr {
	OP25B_OFFENDERS_A_UNSPEC,
	OP25B_OFFENDERS_A_OFFENDER,	/* nest, enum op25b_offender_attr */
	__OP25B_OFFENDERS_A_MAX
};
#define OP25B_OFFENDERS_A_MAX (__OP25B_OFFENDERS_A_MAX - 1)

enum op25b_offender_attr {
	OP25B_OFFENDER_A_UNSPEC,
	OP25B_OFFENDER_A_ADDR4,		/* 4 bytes: the source address */
	OP25B_OFFENDER_A_ADDR6,		/* 16 bytes: the source's /64 */
	OP25B_OFFENDER_A_PREFIXLEN,	/* u8: 32 or 64 */
	OP25B_OFFENDER_A_COUNT,		/* u64: attempts, an upper bound */
	OP25B_OFFENDER_A_ERROR,		/* u64: COUNT - ERROR is a lower bound */
	OP25B_OFFENDER_A_FIRST,		/* u64: first attempt, Unix seconds */
	OP25B_OFFENDER_A_LAST,		/* u64: last attempt, Unix seconds */
	OP25B_OFFENDER_A_DESTS,		/* u32: distinct destinations, estimated
					 * by linear counting over 64 bits
					 */
	OP25B_OFFENDER_A_PAD,
	__OP25B_OFFENDER_A_MAX
};
#define OP25B_OFFENDER_A_MAX (__OP25B_OFFENDER_A_MAX - 1)

/*
 * Inside OP25B_STATS_A_IPV4/IPV6 the counter enum op25b_counter N is
 * attribute N + 1 (u64).  OP25B_COUNTER_A_PAD only aligns them; its number
 * is fixed above any counter so that new counters never collide with it.
 */
#define OP25B_COUNTER_A_PAD	255

#endif /* _UAPI_LINUX_OP25B_H */

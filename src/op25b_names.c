// SPDX-License-Identifier: GPL-2.0
/* Names shared by the module and op25bctl; see op25b_names.h. */
#include "op25b_names.h"

const char *const op25b_mode_names[__OP25B_MODE_MAX] = {
	[OP25B_MODE_OFF]	= "off",
	[OP25B_MODE_MONITOR]	= "monitor",
	[OP25B_MODE_ENFORCE]	= "enforce",
};

const char *const op25b_table_names[__OP25B_TABLE_MAX] = {
	[OP25B_TABLE_SUBSCRIBER] = "subscriber",
	[OP25B_TABLE_ALLOW]	 = "allow",
	[OP25B_TABLE_EXEMPT]	 = "exempt",
	[OP25B_TABLE_TARGET]	 = "target",
};

const char *const op25b_counter_names[__OP25B_CNT_MAX] = {
	[OP25B_CNT_INSPECTED]	   = "inspected",
	[OP25B_CNT_BLOCKED]	   = "blocked",
	[OP25B_CNT_MONITORED]	   = "monitored",
	[OP25B_CNT_ALLOWED_MTA]	   = "allowed_mta",
	[OP25B_CNT_ALLOWED_EXEMPT] = "allowed_exempt",
	[OP25B_CNT_NOT_SUBSCRIBER] = "not_subscriber",
	[OP25B_CNT_REJECT_SENT]	   = "reject_sent",
	[OP25B_CNT_REJECT_LIMITED] = "reject_limited",
	[OP25B_CNT_NOT_TARGET]	   = "not_target",
	[OP25B_CNT_LOGGED]	   = "logged",
	[OP25B_CNT_LOG_SUPPRESSED] = "log_suppressed",
	[OP25B_CNT_REJECT_UNANSWERABLE] = "reject_unanswerable",
	[OP25B_CNT_ATTEMPTS_BLOCKED]	= "attempts_blocked",
	[OP25B_CNT_ATTEMPTS_MONITORED]	= "attempts_monitored",
	[OP25B_CNT_NFLOGGED]		= "nflogged",
	[OP25B_CNT_ALERTS]		= "alerts",
	[OP25B_CNT_ALERTS_SUPPRESSED]	= "alerts_suppressed",
	[OP25B_CNT_EXPIRED]		= "expired",
};

#ifndef __KERNEL__
/* One sentence each, for op25bctl (Prometheus' HELP); op25b(4) says more. */
const char *const op25b_counter_help[__OP25B_CNT_MAX] = {
	[OP25B_CNT_INSPECTED]	   = "TCP/25 packets from subscribers inspected.",
	[OP25B_CNT_BLOCKED]	   = "TCP/25 packets from subscribers dropped.",
	[OP25B_CNT_MONITORED]	   = "TCP/25 packets from subscribers that would have been dropped (monitor mode).",
	[OP25B_CNT_ALLOWED_MTA]	   = "TCP/25 packets from subscribers to an allowlisted MTA.",
	[OP25B_CNT_ALLOWED_EXEMPT] = "TCP/25 packets from exempt subscriber sources.",
	[OP25B_CNT_NOT_SUBSCRIBER] = "TCP/25 packets from sources that are not subscribers (while the namespace has subscribers and mode is not off).",
	[OP25B_CNT_REJECT_SENT]	   = "Dropped packets answered: a TCP RST or an ICMP error handed to the kernel (which may still withhold an ICMP error: icmp_ratelimit).",
	[OP25B_CNT_REJECT_LIMITED] = "Dropped packets left unanswered: reject rate exceeded.",
	[OP25B_CNT_NOT_TARGET]	   = "TCP/25 packets from subscribers passed: scope targets, destination not a target.",
	[OP25B_CNT_LOGGED]	   = "Blocked or monitored connection attempts written to the kernel log.",
	[OP25B_CNT_LOG_SUPPRESSED] = "Blocked or monitored connection attempts not logged: log rate, global cap or a namespace that may not log.",
	[OP25B_CNT_REJECT_UNANSWERABLE] = "Dropped packets that cannot be answered: a RST, a fragment, a bad checksum or a cut TCP header.",
	[OP25B_CNT_ATTEMPTS_BLOCKED]	= "Connection attempts (SYN without ACK) from subscribers dropped.",
	[OP25B_CNT_ATTEMPTS_MONITORED]	= "Connection attempts (SYN without ACK) from subscribers that would have been dropped (monitor mode).",
	[OP25B_CNT_NFLOGGED]		= "Blocked or monitored connection attempts sent to NFLOG.",
	[OP25B_CNT_ALERTS]		= "Offender alerts raised: a source over the alert threshold within its window.",
	[OP25B_CNT_ALERTS_SUPPRESSED]	= "Offender alerts not sent: the namespace's alert rate.",
	[OP25B_CNT_EXPIRED]		= "Table entries removed by their timeout.",
};
#endif

const char *const op25b_reason_names[__OP25B_REASON_MAX] = {
	[OP25B_REASON_NOT_SMTP]		= "not_smtp",
	[OP25B_REASON_MODE_OFF]		= "mode_off",
	[OP25B_REASON_NOT_SUBSCRIBER]	= "not_subscriber",
	[OP25B_REASON_EXEMPT]		= "exempt",
	[OP25B_REASON_ALLOWED_MTA]	= "allowed_mta",
	[OP25B_REASON_BLOCKED]		= "blocked",
	[OP25B_REASON_NOT_TARGET]	= "not_target",
};

const char *const op25b_verdict_names[__OP25B_VERDICT_MAX] = {
	[OP25B_VERDICT_PASS]	= "pass",
	[OP25B_VERDICT_BLOCK]	= "block",
	[OP25B_VERDICT_MONITOR]	= "monitor",
};

const char *const op25b_action_names[__OP25B_ACTION_MAX] = {
	[OP25B_ACTION_DROP]		= "drop",
	[OP25B_ACTION_REJECT_TCP]	= "reject-tcp",
	[OP25B_ACTION_REJECT_ICMP]	= "reject-icmp",
};

const char *const op25b_scope_names[__OP25B_SCOPE_MAX] = {
	[OP25B_SCOPE_ALL]	= "all",
	[OP25B_SCOPE_TARGETS]	= "targets",
};

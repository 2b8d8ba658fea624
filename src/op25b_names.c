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
};

const char *const op25b_counter_names[__OP25B_CNT_MAX] = {
	[OP25B_CNT_INSPECTED]	   = "inspected",
	[OP25B_CNT_BLOCKED]	   = "blocked",
	[OP25B_CNT_MONITORED]	   = "monitored",
	[OP25B_CNT_ALLOWED_MTA]	   = "allowed_mta",
	[OP25B_CNT_ALLOWED_EXEMPT] = "allowed_exempt",
	[OP25B_CNT_NOT_SUBSCRIBER] = "not_subscriber",
};

const char *const op25b_reason_names[__OP25B_REASON_MAX] = {
	[OP25B_REASON_NOT_SMTP]		= "not_smtp",
	[OP25B_REASON_MODE_OFF]		= "mode_off",
	[OP25B_REASON_NOT_SUBSCRIBER]	= "not_subscriber",
	[OP25B_REASON_EXEMPT]		= "exempt",
	[OP25B_REASON_ALLOWED_MTA]	= "allowed_mta",
	[OP25B_REASON_BLOCKED]		= "blocked",
};

const char *const op25b_verdict_names[__OP25B_VERDICT_MAX] = {
	[OP25B_VERDICT_PASS]	= "pass",
	[OP25B_VERDICT_BLOCK]	= "block",
	[OP25B_VERDICT_MONITOR]	= "monitor",
};

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of a namespace, stated once.  Each is a field of struct
 * op25b_settings, a netlink attribute of the same width, a range and a
 * default: the module's netlink policy, parser and replies and op25bctl's
 * requests, replies and defaults all walk op25b_settings_map, so a new
 * setting is one line there.  Plain C shared by the module and op25bctl.
 */
#ifndef OP25B_SETTINGS_H
#define OP25B_SETTINGS_H

#include "op25b_compat.h"
#include "../include/uapi/linux/op25b.h"

/* Everything "op25bctl save" writes besides the tables. */
struct op25b_settings {
	u8 mode;		/* enum op25b_mode */
	u8 action;		/* enum op25b_action */
	u8 scope;		/* enum op25b_scope */
	u8 log;			/* 0 or 1 */
	u8 log_privacy;		/* 0 or 1 */
	u32 reject_rate;	/* per second, 1..OP25B_RATE_MAX */
	u32 reject_burst;	/* 1..OP25B_RATE_MAX */
	u32 log_rate;
	u32 log_burst;
};

struct op25b_setting {
	const char *name;	/* op25bctl's JSON and Prometheus spelling */
	u16 attr;		/* OP25B_A_*: NLA_U8 or NLA_U32 by width */
	u8 width;		/* bytes, of the field and of the attribute */
	u8 offset;		/* of the field in struct op25b_settings */
	u32 min, max;		/* what the module accepts */
	u32 def;		/* after module load, and in a new namespace */
};

enum op25b_setting_id {
	OP25B_SET_MODE,
	OP25B_SET_ACTION,
	OP25B_SET_SCOPE,
	OP25B_SET_REJECT_RATE,
	OP25B_SET_REJECT_BURST,
	OP25B_SET_LOG,
	OP25B_SET_LOG_RATE,
	OP25B_SET_LOG_BURST,
	OP25B_SET_LOG_PRIVACY,
	__OP25B_SET_MAX
};

extern const struct op25b_setting op25b_settings_map[__OP25B_SET_MAX];

u32 op25b_setting_get(const struct op25b_settings *s, enum op25b_setting_id id);
void op25b_setting_put(struct op25b_settings *s, enum op25b_setting_id id,
		       u32 v);
void op25b_settings_default(struct op25b_settings *s);

#endif /* OP25B_SETTINGS_H */

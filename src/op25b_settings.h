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
	u8 nflog;		/* 0 or 1 */
	u16 nflog_group;
	u32 nflog_snaplen;	/* 0: the whole packet */
	u32 alert_attempts;	/* 0: no alerts */
	u32 alert_seconds;
	/* NUL-padded, so that settings compare with memcmp() */
	char nflog_prefix[OP25B_NFLOG_PREFIX_MAX + 1];
};

/*
 * A number is NLA_U8, NLA_U16 or NLA_U32 by its width, with min..max; a
 * string is NLA_NUL_STRING of min..max printable ASCII bytes in a char
 * array of @width bytes, its default @def_str.
 */
struct op25b_setting {
	const char *name;	/* op25bctl's JSON spelling */
	u16 attr;		/* OP25B_A_* */
	bool string;
	u8 width;		/* bytes, of the field (and of a number) */
	u8 offset;		/* of the field in struct op25b_settings */
	u32 min, max;		/* what the module accepts */
	u32 def;		/* after module load, and in a new namespace */
	const char *def_str;
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
	OP25B_SET_NFLOG,
	OP25B_SET_NFLOG_GROUP,
	OP25B_SET_NFLOG_PREFIX,
	OP25B_SET_NFLOG_SNAPLEN,
	OP25B_SET_ALERT_ATTEMPTS,
	OP25B_SET_ALERT_SECONDS,
	__OP25B_SET_MAX
};

extern const struct op25b_setting op25b_settings_map[__OP25B_SET_MAX];

/* Numbers. */
u32 op25b_setting_get(const struct op25b_settings *s, enum op25b_setting_id id);
void op25b_setting_put(struct op25b_settings *s, enum op25b_setting_id id,
		       u32 v);
/* Strings: the field itself, and a copy of @v padded with NULs. */
const char *op25b_setting_str(const struct op25b_settings *s,
			      enum op25b_setting_id id);
void op25b_setting_put_str(struct op25b_settings *s, enum op25b_setting_id id,
			   const char *v);
/* A string @v fits setting @id: its length, printable ASCII only. */
bool op25b_setting_str_valid(enum op25b_setting_id id, const char *v);
/* Setting @id is the same in @a and @b. */
bool op25b_setting_same(const struct op25b_settings *a,
			const struct op25b_settings *b,
			enum op25b_setting_id id);
void op25b_settings_default(struct op25b_settings *s);

#endif /* OP25B_SETTINGS_H */

// SPDX-License-Identifier: GPL-2.0
/* The settings map; see op25b_settings.h. */
#include "op25b_settings.h"

#define OP25B_SETTING(id, nm, field, a, lo, hi, dflt)			\
	[id] = {							\
		.name = (nm),						\
		.attr = (a),						\
		.width = sizeof(((struct op25b_settings *)0)->field),	\
		.offset = offsetof(struct op25b_settings, field),	\
		.min = (lo), .max = (hi), .def = (dflt),		\
	}
#define OP25B_SETTING_STR(id, nm, field, a, lo, hi, dflt)		\
	[id] = {							\
		.name = (nm),						\
		.attr = (a),						\
		.string = true,						\
		.width = sizeof(((struct op25b_settings *)0)->field),	\
		.offset = offsetof(struct op25b_settings, field),	\
		.min = (lo), .max = (hi), .def_str = (dflt),		\
	}

const struct op25b_setting op25b_settings_map[__OP25B_SET_MAX] = {
	OP25B_SETTING(OP25B_SET_MODE, "mode", mode, OP25B_A_MODE,
		      0, OP25B_MODE_MAX, OP25B_MODE_ENFORCE),
	OP25B_SETTING(OP25B_SET_ACTION, "action", action, OP25B_A_ACTION,
		      0, OP25B_ACTION_MAX, OP25B_ACTION_DROP),
	OP25B_SETTING(OP25B_SET_SCOPE, "scope", scope, OP25B_A_SCOPE,
		      0, OP25B_SCOPE_MAX, OP25B_SCOPE_ALL),
	OP25B_SETTING(OP25B_SET_REJECT_RATE, "reject_rate", reject_rate,
		      OP25B_A_REJECT_RATE, 1, OP25B_RATE_MAX,
		      OP25B_REJECT_RATE_DEFAULT),
	OP25B_SETTING(OP25B_SET_REJECT_BURST, "reject_burst", reject_burst,
		      OP25B_A_REJECT_BURST, 1, OP25B_RATE_MAX,
		      OP25B_BURST_DEFAULT),
	OP25B_SETTING(OP25B_SET_LOG, "log", log, OP25B_A_LOG, 0, 1, 0),
	OP25B_SETTING(OP25B_SET_LOG_RATE, "log_rate", log_rate,
		      OP25B_A_LOG_RATE, 1, OP25B_RATE_MAX,
		      OP25B_LOG_RATE_DEFAULT),
	OP25B_SETTING(OP25B_SET_LOG_BURST, "log_burst", log_burst,
		      OP25B_A_LOG_BURST, 1, OP25B_RATE_MAX,
		      OP25B_BURST_DEFAULT),
	/* addresses leave op25b cut unless the operator says otherwise */
	OP25B_SETTING(OP25B_SET_LOG_PRIVACY, "log_privacy", log_privacy,
		      OP25B_A_LOG_PRIVACY, 0, 1, 1),
	OP25B_SETTING(OP25B_SET_NFLOG, "nflog", nflog, OP25B_A_NFLOG, 0, 1, 0),
	OP25B_SETTING(OP25B_SET_NFLOG_GROUP, "nflog_group", nflog_group,
		      OP25B_A_NFLOG_GROUP, 0, 65535, 0),
	OP25B_SETTING_STR(OP25B_SET_NFLOG_PREFIX, "nflog_prefix",
			  nflog_prefix, OP25B_A_NFLOG_PREFIX, 1,
			  OP25B_NFLOG_PREFIX_MAX, OP25B_NFLOG_PREFIX_DEFAULT),
	OP25B_SETTING(OP25B_SET_NFLOG_SNAPLEN, "nflog_snaplen", nflog_snaplen,
		      OP25B_A_NFLOG_SNAPLEN, 0, OP25B_NFLOG_SNAPLEN_MAX, 0),
	OP25B_SETTING(OP25B_SET_ALERT_ATTEMPTS, "alert_attempts",
		      alert_attempts, OP25B_A_ALERT_ATTEMPTS, 0, OP25B_RATE_MAX,
		      0),
	OP25B_SETTING(OP25B_SET_ALERT_SECONDS, "alert_seconds", alert_seconds,
		      OP25B_A_ALERT_SECONDS, 1, OP25B_ALERT_SECONDS_MAX,
		      OP25B_ALERT_SECONDS_DEFAULT),
};

u32 op25b_setting_get(const struct op25b_settings *s, enum op25b_setting_id id)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	const u8 *p = (const u8 *)s + d->offset;
	u16 v16;
	u32 v32;

	switch (d->width) {
	case sizeof(u8):
		return *p;
	case sizeof(u16):
		memcpy(&v16, p, sizeof(v16));
		return v16;
	default:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
}

void op25b_setting_put(struct op25b_settings *s, enum op25b_setting_id id,
		       u32 v)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	u8 *p = (u8 *)s + d->offset;
	u16 v16 = v;

	switch (d->width) {
	case sizeof(u8):
		*p = v;
		break;
	case sizeof(u16):
		memcpy(p, &v16, sizeof(v16));
		break;
	default:
		memcpy(p, &v, sizeof(v));
		break;
	}
}

const char *op25b_setting_str(const struct op25b_settings *s,
			      enum op25b_setting_id id)
{
	return (const char *)s + op25b_settings_map[id].offset;
}

void op25b_setting_put_str(struct op25b_settings *s, enum op25b_setting_id id,
			   const char *v)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	char *p = (char *)s + d->offset;
	size_t len = strnlen(v, d->width - 1);

	memset(p, 0, d->width);
	memcpy(p, v, len);
}

bool op25b_setting_str_valid(enum op25b_setting_id id, const char *v)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	size_t len = strnlen(v, d->max + 1);
	size_t i;

	if (len < d->min || len > d->max)
		return false;
	/* it ends up in log lines and NFLOG prefixes: no control bytes */
	for (i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return false;
	return true;
}

bool op25b_setting_same(const struct op25b_settings *a,
			const struct op25b_settings *b,
			enum op25b_setting_id id)
{
	if (op25b_settings_map[id].string)
		return !strcmp(op25b_setting_str(a, id),
			       op25b_setting_str(b, id));
	return op25b_setting_get(a, id) == op25b_setting_get(b, id);
}

void op25b_settings_default(struct op25b_settings *s)
{
	const struct op25b_setting *d;
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < __OP25B_SET_MAX; i++) {
		d = &op25b_settings_map[i];
		if (d->string)
			op25b_setting_put_str(s, i, d->def_str);
		else
			op25b_setting_put(s, i, d->def);
	}
}

// SPDX-License-Identifier: GPL-2.0
/* The settings map; see op25b_settings.h. */
#include "op25b_settings.h"

#define OP25B_SETTING(id, nm, field, a, lo, hi, dflt)			\
	[id] = {							\
		.name = nm,						\
		.attr = a,						\
		.width = sizeof(((struct op25b_settings *)0)->field),	\
		.offset = offsetof(struct op25b_settings, field),	\
		.min = lo, .max = hi, .def = dflt,			\
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
};

u32 op25b_setting_get(const struct op25b_settings *s, enum op25b_setting_id id)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	const u8 *p = (const u8 *)s + d->offset;
	u32 v;

	if (d->width == sizeof(u8))
		return *p;
	memcpy(&v, p, sizeof(v));
	return v;
}

void op25b_setting_put(struct op25b_settings *s, enum op25b_setting_id id,
		       u32 v)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	u8 *p = (u8 *)s + d->offset;

	if (d->width == sizeof(u8))
		*p = v;
	else
		memcpy(p, &v, sizeof(v));
}

void op25b_settings_default(struct op25b_settings *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < __OP25B_SET_MAX; i++)
		op25b_setting_put(s, i, op25b_settings_map[i].def);
}

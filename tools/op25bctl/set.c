// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl action", "op25bctl scope", "op25bctl set reject-rate|log":
 * the settings, one OP25B_CMD_SET each; given settings change at once.
 * The words are parsed by conf.c, as in the configuration file.
 */
#include <string.h>

#include "set.h"

/* One setting as its attribute: NLA_U8/16/32 by width, or a string. */
static int setting_put(struct nl_msg *msg, const struct settings *s, int id)
{
	const struct op25b_setting *d = &op25b_settings_map[id];
	uint32_t v;

	if (d->string)
		return nla_put_string(msg, d->attr, op25b_setting_str(&s->v, id));
	v = op25b_setting_get(&s->v, id);
	switch (d->width) {
	case sizeof(uint8_t):
		return nla_put_u8(msg, d->attr, v);
	case sizeof(uint16_t):
		return nla_put_u16(msg, d->attr, v);
	default:
		return nla_put_u32(msg, d->attr, v);
	}
}

int settings_put(struct nl_msg *msg, const struct settings *s,
		 const uint32_t *txn)
{
	int i;

	if (txn && nla_put_u32(msg, OP25B_A_TXN, *txn))
		return -1;
	for (i = 0; i < __OP25B_SET_MAX; i++)
		if ((s->has & SET_BIT(i)) && setting_put(msg, s, i))
			return -1;
	return 0;
}

int settings_send(struct onl *h, const struct settings *s,
		  const uint32_t *txn, const char *ctx)
{
	struct onl_result res;
	struct onl_req r;
	int ret = EXIT_ERR;

	if (onl_req_init(h, &r, OP25B_CMD_SET, 0, SETTINGS_PAYLOAD))
		return EXIT_ERR;
	if (settings_put(r.msg, s, txn))
		err_msg("%s: cannot build the request", ctx);
	else if (onl_exchange(h, &r, NULL, NULL, &res))
		onl_print_error(&res, ctx, NULL);
	else
		ret = EXIT_OK;
	onl_req_free(&r);
	return ret;
}

/* Parses the words after the keyword, then sends them. */
static int set_one(enum conf_key key, bool partial, const char *ctx,
		   int argc, char **argv)
{
	bool is_set = key == CONF_REJECT_RATE || key == CONF_LOG ||
		      key == CONF_ALERT;
	struct settings s = { 0 };
	char err[256];
	struct onl h;
	int ret;

	if (settings_parse(&s, key, argv, argc, partial, err, sizeof(err)))
		return usage_err("%s%s", is_set ? "set " : "", err);
	if (onl_open(&h))
		return EXIT_ERR;
	ret = settings_send(&h, &s, NULL, ctx);
	onl_close(&h);
	return ret;
}

int cmd_action(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return set_one(CONF_ACTION, false, "action", argc - 1, argv + 1);
}

int cmd_scope(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return set_one(CONF_SCOPE, false, "scope", argc - 1, argv + 1);
}

/* The verbs of set (registered in cmd.c); argv: set SETTING ... */
int cmd_set_reject_rate(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return set_one(CONF_REJECT_RATE, false, "set reject-rate", argc - 2,
		       argv + 2);
}

int cmd_set_alert(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return set_one(CONF_ALERT, false, "set alert", argc - 2, argv + 2);
}

int cmd_set_log(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return set_one(CONF_LOG, true, "set log", argc - 2, argv + 2);
}

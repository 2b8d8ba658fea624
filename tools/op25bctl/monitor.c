// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl monitor [config|alerts|all]": the module's events, one line
 * each (JSON lines with -j), until interrupted, like "nft monitor".  The
 * events come from the family's multicast groups (op25b(4), the UAPI
 * header): every committed change in "config", offender alerts in
 * "alerts".  Joining needs CAP_NET_ADMIN in the namespace's user
 * namespace.  Lines are flushed one by one, for pipes to logger(1).
 */
/* ppoll() */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "../../src/op25b_names.h"
#include "../../src/op25b_settings.h"
#include "entry.h"
#include "entrytext.h"
#include "json.h"
#include "nl.h"

static const char *const event_names[__OP25B_EVENT_MAX] = {
	[OP25B_EVENT_SET]		= "set",
	[OP25B_EVENT_ADD]		= "add",
	[OP25B_EVENT_DEL]		= "del",
	[OP25B_EVENT_FLUSH]		= "flush",
	[OP25B_EVENT_LOAD]		= "load",
	[OP25B_EVENT_RESET_STATS]	= "reset-stats",
	[OP25B_EVENT_RESET_TOP]		= "reset-top",
	[OP25B_EVENT_ALERT]		= "alert",
	[OP25B_EVENT_EXPIRE]		= "expire",
};

struct monitor {
	bool json;
	unsigned long lost;	/* overflows of the socket */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint32_t u32_or0(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

/* A setting's value as words: names for enums, on|off, numbers, text. */
static void setting_text(const struct op25b_settings *s, int id, char *buf,
			 size_t len)
{
	uint32_t v = op25b_setting_get(s, id);
	const char *name = NULL;

	switch (id) {
	case OP25B_SET_MODE:
		name = name_of(op25b_mode_names, __OP25B_MODE_MAX, v);
		break;
	case OP25B_SET_ACTION:
		name = name_of(op25b_action_names, __OP25B_ACTION_MAX, v);
		break;
	case OP25B_SET_SCOPE:
		name = name_of(op25b_scope_names, __OP25B_SCOPE_MAX, v);
		break;
	case OP25B_SET_LOG:
	case OP25B_SET_LOG_PRIVACY:
	case OP25B_SET_NFLOG:
		name = v ? "on" : "off";
		break;
	case OP25B_SET_NFLOG_PREFIX:
		name = op25b_setting_str(s, id);
		break;
	}
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%" PRIu32, v);
}

/* The settings of a nest of OP25B_A_EVENT_OLD or _NEW; bits in *@has. */
static void settings_of(struct nlattr *nest, struct op25b_settings *s,
			unsigned int *has)
{
	struct nlattr *a;
	int rem, i;

	memset(s, 0, sizeof(*s));
	*has = 0;
	if (!nest)
		return;
	nla_for_each_nested(a, nest, rem) {
		for (i = 0; i < __OP25B_SET_MAX; i++) {
			const struct op25b_setting *d = &op25b_settings_map[i];

			if (nla_type(a) != d->attr)
				continue;
			if (d->string)
				op25b_setting_put_str(s, i, nla_get_string(a));
			else if (nla_len(a) == (int)d->width)
				op25b_setting_put(s, i, d->width == 1 ?
						  nla_get_u8(a) : d->width == 2 ?
						  nla_get_u16(a) : nla_get_u32(a));
			else
				continue;
			*has |= 1U << i;
		}
	}
}

static void print_changes(struct monitor *m, struct json *j,
			  struct nlattr **tb)
{
	struct op25b_settings o, n;
	unsigned int ho, hn;
	char a[64], b[64];
	bool first = true;
	int i;

	settings_of(tb[OP25B_A_EVENT_OLD], &o, &ho);
	settings_of(tb[OP25B_A_EVENT_NEW], &n, &hn);
	if (m->json)
		json_object_begin(j, "changes");
	for (i = 0; i < __OP25B_SET_MAX; i++) {
		if (!(hn & (1U << i)))
			continue;
		setting_text(&o, i, a, sizeof(a));
		setting_text(&n, i, b, sizeof(b));
		if (m->json) {
			json_object_begin(j, op25b_settings_map[i].name);
			json_string(j, "old", ho & (1U << i) ? a : NULL);
			json_string(j, "new", b);
			json_object_end(j);
		} else {
			printf("%s %s %s -> %s", first ? "" : ",",
			       op25b_settings_map[i].name, a, b);
			first = false;
		}
	}
	if (m->json)
		json_object_end(j);
}

static const char *table_name(struct nlattr **tb)
{
	return tb[OP25B_A_TABLE] ?
	       name_of(op25b_table_names, __OP25B_TABLE_MAX,
		       nla_get_u8(tb[OP25B_A_TABLE])) : NULL;
}

/* What the change was, after "gen N EVENT". */
static void print_config(struct monitor *m, struct json *j, uint8_t ev,
			 struct nlattr **tb)
{
	uint32_t n = u32_or0(tb[OP25B_A_EVENT_COUNT]);
	const char *t = table_name(tb);

	switch (ev) {
	case OP25B_EVENT_SET:
		print_changes(m, j, tb);
		break;
	case OP25B_EVENT_ADD:
	case OP25B_EVENT_DEL:
	case OP25B_EVENT_FLUSH:
	case OP25B_EVENT_EXPIRE:
		if (m->json) {
			json_string(j, "table", t);
			json_u64(j, "entries", n);
		} else {
			printf(" %s %" PRIu32 " entr%s", t ? t : "?", n,
			       n == 1 ? "y" : "ies");
		}
		break;
	case OP25B_EVENT_LOAD:
		if (m->json) {
			json_u64(j, "entries", n);
			json_u64(j, "tables", u32_or0(tb[OP25B_A_EVENT_TABLES]));
		} else {
			printf(" %" PRIu32 " entries in %" PRIu32 " tables", n,
			       u32_or0(tb[OP25B_A_EVENT_TABLES]));
		}
		break;
	}
	if (ev == OP25B_EVENT_EXPIRE)
		return;		/* the module's own change: nobody sent it */
	if (m->json) {
		json_u64(j, "pid", u32_or0(tb[OP25B_A_EVENT_PID]));
		json_u64(j, "uid", u32_or0(tb[OP25B_A_EVENT_UID]));
		json_u64(j, "portid", u32_or0(tb[OP25B_A_EVENT_PORTID]));
	} else {
		printf(" (pid %" PRIu32 " uid %" PRIu32 " port %" PRIu32 ")",
		       u32_or0(tb[OP25B_A_EVENT_PID]),
		       u32_or0(tb[OP25B_A_EVENT_UID]),
		       u32_or0(tb[OP25B_A_EVENT_PORTID]));
	}
}

static void print_alert(struct monitor *m, struct json *j, struct nlattr **tb)
{
	struct op25b_entry src = { 0 };
	char text[ENTRY_TEXT_MAX] = "?";
	const char *iif = tb[OP25B_A_IIFNAME] ?
			  nla_get_string(tb[OP25B_A_IIFNAME]) : NULL;
	const char *verdict = tb[OP25B_A_VERDICT] ?
		name_of(op25b_verdict_names, __OP25B_VERDICT_MAX,
			nla_get_u8(tb[OP25B_A_VERDICT])) : NULL;

	if (tb[OP25B_A_SRC] && !entry_get(tb[OP25B_A_SRC], &src))
		entry_format(&src, text, sizeof(text));
	if (m->json) {
		json_string(j, "source", text);
		json_u64(j, "attempts", u32_or0(tb[OP25B_A_EVENT_COUNT]));
		json_u64(j, "seconds", u32_or0(tb[OP25B_A_ALERT_SECONDS]));
		json_string(j, "iif", iif);
		json_string(j, "verdict", verdict);
		return;
	}
	printf(" %s %" PRIu32 " attempts in %" PRIu32 "s in=%s (%s)", text,
	       u32_or0(tb[OP25B_A_EVENT_COUNT]),
	       u32_or0(tb[OP25B_A_ALERT_SECONDS]), iif ? iif : "?",
	       verdict ? verdict : "?");
}

static int monitor_event(struct nl_msg *msg, void *arg)
{
	struct monitor *m = arg;
	struct nlattr *tb[OP25B_A_MAX + 1];
	const char *name;
	struct json j;
	uint8_t ev;

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_EVENT])
		return NL_OK;
	ev = nla_get_u8(tb[OP25B_A_EVENT]);
	name = name_of(event_names, __OP25B_EVENT_MAX, ev);
	if (!name)
		return NL_OK;	/* a newer module's event */
	if (m->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "event", name);
		if (tb[OP25B_A_GENERATION])
			json_u64(&j, "generation",
				 nla_get_u32(tb[OP25B_A_GENERATION]));
	} else if (ev == OP25B_EVENT_ALERT) {
		printf("alert");
	} else {
		printf("gen %" PRIu32 " %s", u32_or0(tb[OP25B_A_GENERATION]),
		       name);
	}
	if (ev == OP25B_EVENT_ALERT)
		print_alert(m, &j, tb);
	else
		print_config(m, &j, ev, tb);
	if (m->json) {
		json_object_end(&j);
		json_finish(&j);
	} else {
		putchar('\n');
	}
	fflush(stdout);
	return NL_OK;
}

static int join(struct onl *h, const char *group)
{
	int id = genl_ctrl_resolve_grp(h->sk, OP25B_GENL_NAME, group);
	int err;

	if (id < 0) {
		err_msg("monitor: the module has no event group '%s' (an older op25b?)",
			group);
		return -1;
	}
	err = nl_socket_add_membership(h->sk, id);
	if (err == -NLE_PERM) {
		err_msg("monitor: %s: CAP_NET_ADMIN is needed in the user namespace that owns this network namespace",
			group);
		return -1;
	}
	if (err) {
		err_msg("monitor: joining %s: %s", group, nl_geterror(err));
		return -1;
	}
	return 0;
}

/*
 * Waits in ppoll() with SIGINT and SIGTERM unblocked only there: libnl
 * restarts a read that a signal interrupts, so a signal that came while
 * reading, or just before the wait, would otherwise be seen only at the
 * next event, which may never come.
 */
static int monitor_wait(struct onl *h, const sigset_t *unblocked)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(h->sk), .events = POLLIN };

	if (ppoll(&pfd, 1, NULL, unblocked) >= 0 || errno == EINTR)
		return 0;
	err_msg("monitor: %s", strerror(errno));
	return -1;
}

static int monitor_loop(struct onl *h, struct monitor *m,
			const sigset_t *unblocked)
{
	int err;

	nl_socket_disable_seq_check(h->sk);
	nl_socket_modify_cb(h->sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_event, m);
	for (;;) {
		if (monitor_wait(h, unblocked))
			return EXIT_ERR;
		if (stop)
			return EXIT_OK;
		err = nl_recvmsgs_default(h->sk);
		if (!err)
			continue;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped what did not fit */
			m->lost++;
			fprintf(stderr, "op25bctl: monitor: events lost (this reader was too slow)\n");
			continue;
		}
		if (err == -NLE_INTR)
			continue;
		err_msg("monitor: %s", nl_geterror(err));
		return EXIT_ERR;
	}
}

int cmd_monitor(const struct opts *o, int argc, char **argv)
{
	struct monitor m = { .json = o->json };
	bool config = true, alerts = true;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, unblocked;
	struct onl h;
	int ret = EXIT_ERR;

	if (argc > 2)
		return usage_err("monitor: unexpected '%s'", argv[2]);
	if (argc == 2) {
		config = !strcmp(argv[1], "config") || !strcmp(argv[1], "all");
		alerts = !strcmp(argv[1], "alerts") || !strcmp(argv[1], "all");
		if (!config && !alerts)
			return usage_err("monitor: unknown kind '%s' (config, alerts, all)",
					 argv[1]);
	}
	/* delivered only inside ppoll(), which it ends (monitor_wait()) */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (onl_open(&h))
		return EXIT_ERR;
	if ((config && join(&h, OP25B_MCGRP_CONFIG)) ||
	    (alerts && join(&h, OP25B_MCGRP_ALERTS)))
		goto out;
	ret = monitor_loop(&h, &m, &unblocked);
out:
	onl_close(&h);
	return ret;
}

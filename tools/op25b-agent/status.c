// SPDX-License-Identifier: GPL-2.0
/*
 * A gateway's status document, as the agent writes it to
 * /op25b/FLEET/status/NAME (under its lease) and /op25b/FLEET/last/NAME
 * (kept when the gateway dies).  docs/fleet.md shows one.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agent.h"

static const char *const state_names[] = {
	[NS_NONE] = "none",
	[NS_APPLIED] = "applied",
	[NS_STALE] = "stale",
	[NS_DRIFTED] = "drifted",
	[NS_REJECTED] = "rejected",
};

const char *ns_state_name(enum ns_state s)
{
	return (unsigned int)s < ARRAY_SIZE(state_names) ? state_names[s] : "unknown";
}

/* The gateway's state is its worst namespace's */
enum ns_state gateway_state(const struct ns_status *ns, int n)
{
	enum ns_state s = NS_APPLIED;
	int i;

	for (i = 0; i < n; i++)
		if (ns[i].state > s)
			s = ns[i].state;
	return s;
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_time(json_object *o, const char *k, long long t)
{
	char buf[32];

	time_iso(t, buf);
	add_str(o, k, buf);
}

static json_object *attempt_json(const struct attempt *a)
{
	json_object *o = json_object_new_object();

	add_str(o, "key", a->key);
	add_int(o, "revision", a->revision);
	add_str(o, "sha256", a->sha256);
	add_int(o, "exit", a->exit);
	add_str(o, "error", a->error);
	return o;
}

/* A namespace's fields, into @o */
static void ns_fields(json_object *o, const struct ns_status *s)
{
	add_str(o, "state", ns_state_name(s->state));
	add_time(o, "since", s->since);
	if (s->revision) {
		add_str(o, "key", s->key);
		add_int(o, "revision", s->revision);
		add_str(o, "sha256", s->sha256);
		add_time(o, "applied_at", s->applied_at);
	}
	if (s->rejected.revision)
		json_object_object_add(o, s->state == NS_STALE ? "not_applied" : "rejected",
				       attempt_json(&s->rejected));
	if (s->drift[0])
		add_str(o, "drift", s->drift);
	add_int(o, "reasserted", s->reasserted);
}

static json_object *ns_json(const struct ns_status *s)
{
	json_object *o = json_object_new_object();

	add_str(o, "name", s->name);
	ns_fields(o, s);
	return o;
}

/*
 * The gateway's fields are those of its worst namespace (the first one
 * when all are alike), so that a one-namespace gateway reads simply and a
 * many-namespace one never hides a problem; "namespaces" has them all.
 */
char *status_json(const struct agent_conf *c, const struct ns_status *ns,
		  int n, long long now)
{
	enum ns_state st = gateway_state(ns, n);
	const struct ns_status *w = &ns[0];
	json_object *o, *arr;
	char *ret;
	int i;

	for (i = 0; i < n; i++)
		if (ns[i].state == st) {
			w = &ns[i];
			break;
		}
	o = json_object_new_object();
	add_str(o, "fleet", c->fleet);
	add_str(o, "gateway", c->gateway);
	ns_fields(o, w);
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, ns_json(&ns[i]));
	json_object_object_add(o, "namespaces", arr);
	add_time(o, "updated", now);
	add_str(o, "agent", "op25b-agent " AGENT_VERSION);
	ret = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ret;
}

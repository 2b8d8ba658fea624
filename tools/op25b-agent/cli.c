// SPDX-License-Identifier: GPL-2.0
/*
 * The operator's commands: "publish" (validate locally, then write with a
 * compare-and-swap on the key's revision) and "status" (every gateway of
 * the fleet, alive or not).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "agent.h"

/* FILE, at most AGENT_MAX_VALUE bytes; NULL with a message */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = AGENT_MAX_VALUE + 1, n;
	char *buf;

	if (!f) {
		logmsg("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		fclose(f);
		logmsg("out of memory");
		return NULL;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f) || n == cap) {
		if (n == cap)
			logmsg("%s: larger than %d bytes, the agent's limit for a configuration (op25b-agent(8)): nothing published",
			       path, AGENT_MAX_VALUE);
		else
			logmsg("%s: read error", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct pub_opts {
	bool force;
	const char *gateway;
	int64_t revision;	/* -1: the one read now */
	const char *file;
};

static int pub_args(int argc, char **argv, struct pub_opts *o)
{
	char *end;
	int i;

	*o = (struct pub_opts){ .revision = -1 };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			o->force = true;
		} else if (!strcmp(argv[i], "--gateway") && i + 1 < argc) {
			o->gateway = argv[++i];
			if (!name_valid(o->gateway)) {
				logmsg("publish: '%s' is not a gateway name", o->gateway);
				return -1;
			}
		} else if (!strcmp(argv[i], "--revision") && i + 1 < argc) {
			errno = 0;
			o->revision = strtoll(argv[++i], &end, 10);
			if (errno || *end || o->revision < 0) {
				logmsg("publish: '%s' is not a revision", argv[i]);
				return -1;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			logmsg("publish: unknown option %s", argv[i]);
			return -1;
		} else if (!o->file) {
			o->file = argv[i];
		} else {
			logmsg("publish: one FILE only");
			return -1;
		}
	}
	if (!o->file) {
		logmsg("publish: no FILE (usage: publish [--force] [--revision REV] [--gateway NAME] FILE)");
		return -1;
	}
	return 0;
}

/* op25bctl load --check FILE, here; its messages go straight to stderr */
static int validate(struct agent_conf *c, const char *file)
{
	char *args[] = { c->op25bctl, "load", "--check", (char *)file, NULL };
	struct run_result r;

	if (run_op25bctl(c, "self", NULL, args, false, false, 0, &r)) {
		logmsg("%s", r.err);
		return -1;
	}
	if (r.exit) {
		fprintf(stderr, "%s\n", r.err);
		logmsg("%s does not validate (op25bctl exit %d): nothing published", file, r.exit);
		return -1;
	}
	return 0;
}

static int publish(struct agent_conf *c, struct etcd *e, const struct pub_opts *o,
		   const char *text, size_t len)
{
	char key[AGENT_PATH_MAX], err[AGENT_MAX_ERR], sha[65];
	struct etcd_put p = { .key = key, .value = text, .len = len };
	struct etcd_kv kv;
	int64_t was, rev = 0;
	bool ok = false;

	if (o->gateway) {
		struct agent_conf g = *c;

		snprintf(g.gateway, sizeof(g.gateway), "%s", o->gateway);
		key_gateway_conf(&g, key, sizeof(key));
	} else {
		key_fleet_conf(c, key, sizeof(key));
	}
	if (etcd_get(e, key, true, 0, &kv, NULL, err, sizeof(err)) == -1) {
		logmsg("%s", err);
		return AGENT_EXIT_ERR;
	}
	was = kv.found ? kv.mod_revision : 0;
	etcd_kv_free(&kv);
	if (o->revision >= 0 && !o->force && o->revision != was) {
		logmsg("%s is at revision %lld, not %lld: nothing written (check what changed, or --force)",
		       key, (long long)was, (long long)o->revision);
		return AGENT_EXIT_CONFLICT;
	}
	if (etcd_txn_put(e, &p, 1, o->force ? NULL : key, was, &ok, &rev, err, sizeof(err))) {
		logmsg("%s", err);
		return AGENT_EXIT_ERR;
	}
	if (!ok) {
		logmsg("%s changed since it was read at revision %lld: nothing written (check what changed, or --force)",
		       key, (long long)was);
		return AGENT_EXIT_CONFLICT;
	}
	sha256_hex(text, len, sha);
	if (was)
		printf("published %s revision %lld sha256 %s (was revision %lld)\n",
		       key, (long long)rev, sha, (long long)was);
	else
		printf("published %s revision %lld sha256 %s (new)\n", key, (long long)rev, sha);
	return AGENT_EXIT_OK;
}

int cmd_publish(struct agent_conf *c, int argc, char **argv)
{
	char err[AGENT_MAX_ERR], *text;
	struct pub_opts o;
	struct etcd *e;
	size_t len = 0;
	int ret;

	if (pub_args(argc, argv, &o))
		return AGENT_EXIT_USAGE;
	text = read_file(o.file, &len);
	if (!text)
		return AGENT_EXIT_ERR;
	if (validate(c, o.file)) {
		free(text);
		return AGENT_EXIT_ERR;
	}
	e = etcd_new(c, err, sizeof(err));
	if (!e) {
		logmsg("%s", err);
		free(text);
		return AGENT_EXIT_ERR;
	}
	ret = publish(c, e, &o, text, len);
	etcd_free(e);
	free(text);
	return ret;
}

/* --- status --------------------------------------------------------------- */

/* Every key under @prefix: @kvs (NULL: none; owned by @ans) */
static int range_prefix(struct etcd *e, const char *prefix, json_object **ans,
			json_object **kvs, char *err, size_t errlen)
{
	json_object *req = json_object_new_object();
	char end[AGENT_PATH_MAX];
	size_t n = strlen(prefix);
	int ret;

	snprintf(end, sizeof(end), "%s", prefix);
	end[n - 1]++;		/* "/op25b/lab/status/" -> "/op25b/lab/status0" */
	json_object_object_add(req, "key", jb64(prefix, n));
	json_object_object_add(req, "range_end", jb64(end, n));
	ret = etcd_call(e, "/v3/kv/range", json_object_to_json_string(req), ans, err, errlen);
	json_object_put(req);
	*kvs = ret ? NULL : jget(*ans, "kvs");
	return ret;
}

/* The document of gateway @name in @arr, or NULL */
static json_object *find_gw(json_object *arr, const char *name)
{
	json_object *doc;
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		doc = json_object_array_get_idx(arr, i);
		if (!strcmp(json_object_get_string(jget(doc, "gateway")), name))
			return doc;
	}
	return NULL;
}

/* Parses a kv's base64 value as a JSON document; NULL if it is not one */
static json_object *kv_doc(json_object *kv, char *name, size_t namelen)
{
	const char *k64 = json_object_get_string(jget(kv, "key"));
	const char *v64 = json_object_get_string(jget(kv, "value"));
	unsigned char *val;
	json_object *doc = NULL;
	char *slash;
	long len;

	if (!k64 || !v64)
		return NULL;
	len = b64_decode(k64, strlen(k64), (unsigned char *)name, namelen - 1);
	if (len < 0)
		return NULL;
	name[len] = '\0';
	slash = strrchr(name, '/');
	if (!slash || !name_valid(slash + 1))
		return NULL;
	memmove(name, slash + 1, strlen(slash));
	val = malloc(strlen(v64) / 4 * 3 + 1);
	if (!val)
		return NULL;
	len = b64_decode(v64, strlen(v64), val, strlen(v64) / 4 * 3);
	if (len >= 0) {
		val[len] = '\0';
		doc = json_tokener_parse((char *)val);
	}
	free(val);
	if (doc && !json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		doc = NULL;
	}
	return doc;
}

/*
 * The documents of @kvs into @arr, each with "alive" and its gateway's
 * name from the key; a gateway already there (alive) is not added again.
 */
static void collect(json_object *kvs, bool alive, json_object *arr)
{
	size_t i, n = kvs ? json_object_array_length(kvs) : 0;
	char name[AGENT_PATH_MAX];
	json_object *doc;

	for (i = 0; i < n; i++) {
		doc = kv_doc(json_object_array_get_idx(kvs, i), name, sizeof(name));
		if (!doc)
			continue;
		json_object_object_add(doc, "gateway", json_object_new_string(name));
		if (find_gw(arr, name)) {
			json_object_put(doc);
			continue;
		}
		json_object_object_add(doc, "alive", json_object_new_boolean(alive));
		json_object_array_add(arr, doc);
	}
}

static const char *jstr(json_object *o, const char *path)
{
	const char *s = json_object_get_string(jget(o, path));

	return s ? s : "";
}

/* The words an operator needs next to the state */
static const char *detail(json_object *doc)
{
	const char *st = jstr(doc, "state");

	if (!strcmp(st, "rejected"))
		return jstr(doc, "rejected.error");
	if (!strcmp(st, "stale"))
		return jstr(doc, "not_applied.error");
	if (!strcmp(st, "drifted"))
		return jstr(doc, "drift");
	if (strstr(jstr(doc, "key"), "/gateways/"))
		return "its own configuration (gateways/NAME/conf)";
	return "";
}

static long long parse_time(const char *s)
{
	struct tm tm = { 0 };

	if (!strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return (long long)timegm(&tm);
}

static void print_table(json_object *all, const char *key, int64_t rev)
{
	long long now = (long long)time(NULL);
	json_object *doc;
	char age[16];
	size_t i;

	if (rev)
		printf("fleet configuration %s: revision %lld\n", key, (long long)rev);
	else
		printf("fleet configuration %s: none\n", key);
	printf("%-16s %-5s %-8s %-12s %-8s %-5s %s\n", "GATEWAY", "ALIVE", "REVISION",
	       "SHA256", "STATE", "AGE", "DETAIL");
	for (i = 0; i < json_object_array_length(all); i++) {
		doc = json_object_array_get_idx(all, i);
		age_text(now - parse_time(jstr(doc, "since")), age, sizeof(age));
		printf("%-16s %-5s %-8s %-12.12s %-8s %-5s %s\n", jstr(doc, "gateway"),
		       json_object_get_boolean(jget(doc, "alive")) ? "yes" : "no",
		       jget(doc, "revision") ? jstr(doc, "revision") : "-",
		       jget(doc, "sha256") ? jstr(doc, "sha256") : "-",
		       jstr(doc, "state"), age, detail(doc));
	}
}

static int status_print(struct agent_conf *c, struct etcd *e, bool json,
			const char *only)
{
	json_object *ans1 = NULL, *ans2 = NULL, *alive = NULL, *last = NULL;
	json_object *all, *out, *one = NULL, *sel;
	char pstatus[AGENT_PATH_MAX], plast[AGENT_PATH_MAX], key[AGENT_PATH_MAX];
	char err[AGENT_MAX_ERR];
	struct etcd_kv kv = { 0 };
	int ret = AGENT_EXIT_ERR;

	key_fleet_conf(c, key, sizeof(key));
	snprintf(pstatus, sizeof(pstatus), "/op25b/%s/status/", c->fleet);
	snprintf(plast, sizeof(plast), "/op25b/%s/last/", c->fleet);
	if (range_prefix(e, pstatus, &ans1, &alive, err, sizeof(err)) ||
	    range_prefix(e, plast, &ans2, &last, err, sizeof(err)) ||
	    etcd_get(e, key, true, 0, &kv, NULL, err, sizeof(err)) == -1) {
		logmsg("%s", err);
		goto out;
	}
	all = json_object_new_array();
	collect(alive, true, all);
	collect(last, false, all);
	if (only) {
		one = find_gw(all, only);
		if (!one) {
			logmsg("no gateway %s in fleet %s", only, c->fleet);
			json_object_put(all);
			goto out;
		}
	}
	if (json && only) {
		puts(json_object_to_json_string_ext(one, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	} else if (json) {
		out = json_object_new_object();
		json_object_object_add(out, "fleet", json_object_new_string(c->fleet));
		json_object_object_add(out, "key", json_object_new_string(key));
		json_object_object_add(out, "revision", json_object_new_int64(kv.mod_revision));
		json_object_object_add(out, "gateways", json_object_get(all));
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else if (only) {
		sel = json_object_new_array();
		json_object_array_add(sel, json_object_get(one));
		print_table(sel, key, kv.mod_revision);
		json_object_put(sel);
	} else {
		print_table(all, key, kv.mod_revision);
	}
	json_object_put(all);
	ret = AGENT_EXIT_OK;
out:
	etcd_kv_free(&kv);
	json_object_put(ans1);
	json_object_put(ans2);
	return ret;
}

int cmd_status(struct agent_conf *c, int argc, char **argv)
{
	const char *only = NULL;
	char err[AGENT_MAX_ERR];
	bool json = false;
	struct etcd *e;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!only && name_valid(argv[i])) {
			only = argv[i];
		} else {
			logmsg("status: unexpected argument '%s'", argv[i]);
			return AGENT_EXIT_USAGE;
		}
	}
	e = etcd_new(c, err, sizeof(err));
	if (!e) {
		logmsg("%s", err);
		return AGENT_EXIT_ERR;
	}
	ret = status_print(c, e, json, only);
	etcd_free(e);
	return ret;
}

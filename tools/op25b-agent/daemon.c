// SPDX-License-Identifier: GPL-2.0
/*
 * "op25b-agent run": the daemon.
 *
 * It keeps every managed namespace on the gateway's effective text (the
 * gateway's own /op25b/FLEET/gateways/NAME/conf if there is one, else the
 * fleet's /op25b/FLEET/conf): read on start, then again after every
 * change a watch reports.  A text is validated ("op25bctl load --check")
 * and applied ("op25bctl load", one kernel transaction) in each
 * namespace; one that fails either changes nothing there.  The status
 * goes to /op25b/FLEET/status/NAME under a lease (it vanishes with the
 * agent) and to /op25b/FLEET/last/NAME (it stays).
 *
 * Losing etcd never touches the gateway: the agent keeps its lease alive
 * every lease_ttl/3 seconds, and a failed keepalive, a watch that ends or
 * is cancelled, or an unreachable endpoint end the connection; it then
 * tries the endpoints in turn with jittered exponential backoff, resumes
 * its watches at the revision after the last one it read (so what changed
 * meanwhile arrives as events), and, when that revision has been
 * compacted away, reads the keys afresh and watches from there.  Drift
 * checks ("op25bctl save" against what save said right after the load)
 * go on while etcd is away; "reassert" re-applies the text the agent
 * holds.  Nothing here ever flushes a table or loads an empty text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "agent.h"

struct agent {
	struct agent_conf *c;
	struct etcd *e;
	struct ns_status ns[AGENT_MAX_NS];
	char *text[AGENT_MAX_NS];	/* each namespace's applied text */
	size_t text_len[AGENT_MAX_NS];
	int n;
	char key_fleet[AGENT_PATH_MAX], key_gw[AGENT_PATH_MAX];
	char key_status[AGENT_PATH_MAX], key_last[AGENT_PATH_MAX];
	struct watch w[2];		/* fleet, gateway */
	bool connected;
	int64_t next_rev;		/* watches resume here; 0: read first */
	bool need_sync;			/* the last read did not get through */
	int64_t lease;
	long long next_keepalive, next_drift, next_try;
	unsigned int backoff_ms;
	bool status_dirty;
	bool notified;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long wall(void)
{
	return (long long)time(NULL);
}

/* systemd's readiness protocol (Type=notify), without libsystemd */
static void sd_notify_msg(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract socket */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
		logmsg("NOTIFY_SOCKET: %s", strerror(errno));
	close(fd);
}

static void set_state(struct agent *a, int i, enum ns_state s)
{
	if (a->ns[i].state != s) {
		a->ns[i].state = s;
		a->ns[i].since = wall();
	}
	a->status_dirty = true;
}

/* --- applying ------------------------------------------------------------- */

/* The text's file under state_dir: the key without its leading '/' */
static int write_text(struct agent *a, const char *key, const void *text,
		      size_t len, char *err, size_t errlen)
{
	char path[2 * AGENT_PATH_MAX], tmp[2 * AGENT_PATH_MAX + 8], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", a->c->state_dir, key + 1);
	for (p = path + strlen(a->c->state_dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			snprintf(err, errlen, "op25b-agent: %s: %s", path, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		snprintf(err, errlen, "op25b-agent: %s: %s", tmp, strerror(errno));
		if (f)
			unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		snprintf(err, errlen, "op25b-agent: %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* save's configuration lines in namespace @i; NULL on failure */
static char **save_lines(struct agent *a, int i, size_t *n, char *err, size_t errlen)
{
	char *args[] = { a->c->op25bctl, "save", NULL };
	struct run_result r;
	char **lines = NULL;

	if (run_op25bctl(a->c, a->ns[i].name, NULL, args, true, true, AGENT_MAX_SAVE, &r) ||
	    r.exit) {
		snprintf(err, errlen, "save: exit %d: %.1900s", r.exit, r.err);
	} else if (r.out_len >= AGENT_MAX_SAVE) {
		snprintf(err, errlen, "save: more than %d bytes", AGENT_MAX_SAVE);
	} else {
		lines = config_lines(r.out ? r.out : "", r.out_len, n);
		if (!lines)
			snprintf(err, errlen, "save: out of memory");
	}
	run_result_free(&r);
	return lines;
}

static void refused(struct agent *a, int i, enum ns_state s, const char *key,
		    int64_t rev, const char *sha, int exit, const char *msg)
{
	struct attempt *t = &a->ns[i].rejected;

	snprintf(t->key, sizeof(t->key), "%s", key);
	t->revision = rev;
	snprintf(t->sha256, sizeof(t->sha256), "%s", sha);
	t->exit = exit;
	snprintf(t->error, sizeof(t->error), "%s", msg);
	set_state(a, i, s);
	logmsg("%s %s revision %lld (sha256 %.12s) in %s: %s%s", ns_state_name(s),
	       key, (long long)rev, sha, a->ns[i].name, msg,
	       a->ns[i].revision ? "; the namespace keeps what it had" : "");
}

/* RUN_* statuses: op25bctl did not get to judge the text */
static bool not_the_text(const struct run_result *r, int rc)
{
	return rc || r->exit == RUN_NO_NETNS || r->exit == RUN_NO_MODULE ||
	       r->exit == RUN_NO_EXEC || r->exit > 128;
}

/*
 * Validates and loads the text (already in its file) in namespace @i.
 * 0 applied; -1 not (the state says why).
 */
static int apply_ns(struct agent *a, int i, const char *key, int64_t rev,
		    const char *sha, const char *text, size_t len)
{
	char *check[] = { a->c->op25bctl, "load", "--check", (char *)key + 1, NULL };
	char *load[] = { a->c->op25bctl, "load", (char *)key + 1, NULL };
	struct ns_status *s = &a->ns[i];
	char err[AGENT_MAX_ERR];
	struct run_result r;
	size_t n = 0;
	int rc;

	rc = run_op25bctl(a->c, s->name, a->c->state_dir, check, true, false, 0, &r);
	if (rc || r.exit) {
		refused(a, i, not_the_text(&r, rc) ? NS_STALE : NS_REJECTED, key, rev, sha, r.exit, r.err);
		return -1;
	}
	rc = run_op25bctl(a->c, s->name, a->c->state_dir, load, true, false, 0, &r);
	if (rc || r.exit) {
		refused(a, i, not_the_text(&r, rc) ? NS_STALE : NS_REJECTED, key, rev, sha, r.exit, r.err);
		return -1;
	}
	snprintf(s->key, sizeof(s->key), "%s", key);
	s->revision = rev;
	snprintf(s->sha256, sizeof(s->sha256), "%s", sha);
	s->applied_at = wall();
	s->since = s->applied_at;	/* a new revision is a new state */
	s->rejected.revision = 0;
	s->drift[0] = '\0';
	free(a->text[i]);
	a->text[i] = malloc(len + 1);
	if (a->text[i]) {
		memcpy(a->text[i], text, len);
		a->text[i][len] = '\0';
	}
	a->text_len[i] = a->text[i] ? len : 0;
	lines_free(s->baseline);
	s->baseline = save_lines(a, i, &n, err, sizeof(err));
	s->n_baseline = n;
	if (!s->baseline)
		logmsg("applied, but %s in %s: no drift checks until the next load", err, s->name);
	set_state(a, i, NS_APPLIED);
	logmsg("applied %s revision %lld (sha256 %.12s) in %s", key, (long long)rev, sha, s->name);
	return 0;
}

/* Does namespace @i already have this (key, revision), or refused it? */
static bool done_with(const struct ns_status *s, const char *key, int64_t rev)
{
	if (s->state == NS_STALE || s->state == NS_NONE)
		return false;		/* try again */
	if (s->state == NS_REJECTED)
		return s->rejected.revision == rev && !strcmp(s->rejected.key, key);
	return s->revision == rev && !strcmp(s->key, key);
}

/* No text in etcd: the namespaces keep what they have, and say so */
static void no_text(struct agent *a)
{
	char msg[2 * AGENT_PATH_MAX + 64];
	int i;

	snprintf(msg, sizeof(msg), "no configuration at %s (nor %s)", a->key_fleet, a->key_gw);
	for (i = 0; i < a->n; i++) {
		/* said already */
		if (a->ns[i].rejected.revision == -1 &&
		    (a->ns[i].state == NS_NONE || a->ns[i].state == NS_STALE))
			continue;
		if (a->ns[i].revision)
			refused(a, i, NS_STALE, a->key_fleet, -1, "", 0, msg);
		else {
			a->ns[i].rejected.revision = -1;
			set_state(a, i, NS_NONE);
			logmsg("%s: %s; nothing to apply", a->ns[i].name, msg);
		}
	}
}

/*
 * Which key is in force, at one revision: a transaction of two key-only
 * ranges.  @key gets it ("" when neither exists), @mod its mod_revision,
 * @rev the store's revision.
 */
static int effective_key(struct agent *a, char *key, int64_t *mod, int64_t *rev,
			 char *err, size_t errlen)
{
	json_object *req = json_object_new_object(), *ops = json_object_new_array();
	json_object *ans = NULL, *r, *kvs;
	const char *keys[2] = { a->key_gw, a->key_fleet };
	int i, ret;

	for (i = 0; i < 2; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "key", jb64(keys[i], strlen(keys[i])));
		json_object_object_add(r, "keys_only", json_object_new_boolean(1));
		kvs = json_object_new_object();
		json_object_object_add(kvs, "request_range", r);
		json_object_array_add(ops, kvs);
	}
	json_object_object_add(req, "success", ops);
	ret = etcd_call(a->e, "/v3/kv/txn", json_object_to_json_string(req), &ans, err, errlen);
	json_object_put(req);
	if (ret)
		return -1;
	*rev = jint(ans, "header.revision");
	key[0] = '\0';
	*mod = 0;
	for (i = 0; i < 2 && !key[0]; i++) {
		kvs = jget(json_object_array_get_idx(jget(ans, "responses"), (size_t)i),
			   "response_range.kvs");
		if (kvs && json_object_array_length(kvs)) {
			snprintf(key, AGENT_PATH_MAX, "%s", keys[i]);
			*mod = jint(json_object_array_get_idx(kvs, 0), "mod_revision");
		}
	}
	json_object_put(ans);
	return 0;
}

/* Did a watch see a message too large to hold for @key at @mod? */
static bool oversized(const struct agent *a, const char *key, int64_t mod)
{
	int i;

	for (i = 0; i < 2; i++)
		if (!strcmp(a->w[i].key, key) && a->w[i].oversize_revision == mod)
			return true;
	return false;
}

/* Reads the effective text and applies it where it is new; -1: etcd failed */
static int sync_now(struct agent *a)
{
	char key[AGENT_PATH_MAX], err[AGENT_MAX_ERR], sha[65];
	struct etcd_kv kv;
	int64_t mod, rev;
	int i, rc;
	bool todo = false;

	/* until this read is through, a reconnection reads afresh */
	a->need_sync = true;
	if (effective_key(a, key, &mod, &rev, err, sizeof(err))) {
		logmsg("reading the configuration: %s", err);
		return -1;
	}
	a->next_rev = rev + 1;
	if (!key[0]) {
		no_text(a);
		a->need_sync = false;
		return 0;
	}
	for (i = 0; i < a->n; i++)
		todo |= !done_with(&a->ns[i], key, mod);
	if (!todo) {
		a->need_sync = false;
		return 0;
	}
	if (oversized(a, key, mod)) {
		/* the watch saw it: not fetched, not marshalled by etcd again */
		snprintf(err, sizeof(err), "%s (revision %lld): value over the agent's limit of %d bytes (a watch message of more than %d)",
			 key, (long long)mod, AGENT_MAX_VALUE, AGENT_MAX_RESPONSE);
		rc = -2;
		memset(&kv, 0, sizeof(kv));
	} else {
		rc = etcd_get(a->e, key, false, rev, &kv, NULL, err, sizeof(err));
	}
	if (rc == -1) {
		logmsg("reading %s: %s", key, err);
		return -1;
	}
	a->need_sync = false;
	if (rc == -2 || !kv.found) {	/* too large; or gone since */
		for (i = 0; i < a->n; i++)
			if (!done_with(&a->ns[i], key, mod))
				refused(a, i, NS_REJECTED, key, mod, "", 0,
					rc == -2 ? err : "deleted while read");
		etcd_kv_free(&kv);
		return 0;
	}
	sha256_hex(kv.value, kv.len, sha);
	if (write_text(a, key, kv.value, kv.len, err, sizeof(err))) {
		for (i = 0; i < a->n; i++)
			refused(a, i, NS_STALE, key, mod, sha, 0, err);
	} else {
		for (i = 0; i < a->n; i++)
			if (!done_with(&a->ns[i], key, mod))
				apply_ns(a, i, key, mod, sha, (char *)kv.value, kv.len);
	}
	etcd_kv_free(&kv);
	return 0;
}

/* --- drift ---------------------------------------------------------------- */

/*
 * Loads namespace @i's applied text again (reassert).  A namespace that
 * had refused a newer text still says so afterwards.
 */
static void reassert(struct agent *a, int i)
{
	struct ns_status *s = &a->ns[i];
	char err[AGENT_MAX_ERR], key[AGENT_PATH_MAX], sha[65], drift[sizeof(s->drift)];
	struct attempt keep = s->rejected;
	enum ns_state was = s->state;
	char *text = a->text[i];
	size_t len = a->text_len[i];

	if (!text) {
		logmsg("%s: no text held to reassert", s->name);
		return;
	}
	snprintf(key, sizeof(key), "%s", s->key);
	snprintf(sha, sizeof(sha), "%s", s->sha256);
	snprintf(drift, sizeof(drift), "%s", s->drift);
	if (write_text(a, key, text, len, err, sizeof(err))) {
		logmsg("%s: reassert: %s", s->name, err);
		return;
	}
	a->text[i] = NULL;	/* apply_ns keeps a copy of what it applied */
	if (apply_ns(a, i, key, s->revision, sha, text, len)) {
		a->text[i] = text;
		return;
	}
	s->reasserted++;
	if (was == NS_REJECTED || was == NS_STALE) {
		s->rejected = keep;
		set_state(a, i, was);
	}
	logmsg("reasserted %s revision %lld in %s (undid: %s)", key,
	       (long long)s->revision, s->name, drift);
	free(text);
}

/*
 * save against the baseline.  A difference makes an applied namespace
 * "drifted"; one that refused a newer text stays "rejected" (or "stale")
 * with the difference in its "drift" field, since both need telling.
 */
static void drift_ns(struct agent *a, int i)
{
	struct ns_status *s = &a->ns[i];
	char err[AGENT_MAX_ERR], summary[sizeof(s->drift)];
	char **now;
	size_t n = 0, d;

	if (!s->baseline || !s->revision)
		return;
	now = save_lines(a, i, &n, err, sizeof(err));
	if (!now) {
		logmsg("drift check in %s: %s", s->name, err);
		return;
	}
	d = lines_diff(s->baseline, s->n_baseline, now, n, summary, sizeof(summary));
	lines_free(now);
	if (!d && s->drift[0]) {
		logmsg("%s matches revision %lld again", s->name, (long long)s->revision);
		s->drift[0] = '\0';
		a->status_dirty = true;
		if (s->state == NS_DRIFTED)
			set_state(a, i, NS_APPLIED);
	} else if (d && strcmp(summary, s->drift)) {
		snprintf(s->drift, sizeof(s->drift), "%s", summary);
		a->status_dirty = true;
		if (s->state == NS_APPLIED)
			set_state(a, i, NS_DRIFTED);
		logmsg("drift in %s from revision %lld: %s", s->name, (long long)s->revision, summary);
	}
	if (d && a->c->reassert)
		reassert(a, i);
}

static void drift_tick(struct agent *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		drift_ns(a, i);
}

/* --- etcd: lease, status, watches ---------------------------------------- */

static int put_status(struct agent *a)
{
	char err[AGENT_MAX_ERR], *doc;
	struct etcd_put p[2];
	bool ok = false;
	int ret;

	doc = status_json(a->c, a->ns, a->n, wall());
	if (!doc)
		return -1;
	p[0] = (struct etcd_put){ a->key_status, doc, strlen(doc), a->lease };
	p[1] = (struct etcd_put){ a->key_last, doc, strlen(doc), 0 };
	ret = etcd_txn_put(a->e, p, 2, NULL, 0, &ok, NULL, err, sizeof(err));
	if (ret)
		logmsg("writing the status: %s", err);
	else
		a->status_dirty = false;
	free(doc);
	return ret;
}

static void stop_watches(struct agent *a)
{
	etcd_watch_stop(a->e, &a->w[0]);
	etcd_watch_stop(a->e, &a->w[1]);
}

static int start_watches(struct agent *a)
{
	char err[256];

	if (etcd_watch_start(a->e, &a->w[0], a->next_rev, err, sizeof(err)) ||
	    etcd_watch_start(a->e, &a->w[1], a->next_rev, err, sizeof(err))) {
		logmsg("watch: %s", err);
		return -1;
	}
	return 0;
}

static void disconnect(struct agent *a, const char *why)
{
	unsigned int wait;

	stop_watches(a);
	a->connected = false;
	a->backoff_ms = backoff_next(a->backoff_ms);
	wait = backoff_jitter(a->backoff_ms, (unsigned int)random());
	a->next_try = mono_ms() + wait;
	if (a->ns[0].revision)
		logmsg("lost etcd (%s); the gateway keeps enforcing revision %lld; next try in %u ms",
		       why, (long long)a->ns[0].revision, wait);
	else
		logmsg("lost etcd (%s); nothing applied yet, the gateway keeps what it has; next try in %u ms",
		       why, wait);
}

static int keepalive(struct agent *a)
{
	char err[AGENT_MAX_ERR];
	int64_t ttl = 0;

	if (a->lease && etcd_lease_keepalive(a->e, a->lease, &ttl, err, sizeof(err))) {
		logmsg("lease keepalive: %s", err);
		return -1;
	}
	if (a->lease && ttl <= 0) {
		logmsg("lease %llx expired: the status is written again under a new one",
		       (long long)a->lease);
		a->lease = 0;
	}
	if (!a->lease) {
		if (etcd_lease_grant(a->e, a->c->lease_ttl, &a->lease, err, sizeof(err))) {
			logmsg("lease grant: %s", err);
			return -1;
		}
		a->status_dirty = true;
	}
	a->next_keepalive = mono_ms() + a->c->lease_ttl * 1000 / 3;
	return 0;
}

/*
 * (Re)connects: the lease first (a failure there means etcd is not
 * reachable), then either a fresh read (on start and after a compaction)
 * or a watch resuming where the last read ended.
 */
static int connect_etcd(struct agent *a)
{
	bool fresh = !a->next_rev || a->need_sync;

	if (keepalive(a))
		return -1;
	if (fresh && sync_now(a))
		return -1;
	if (start_watches(a))
		return -1;
	logmsg("connected to %s; %s revision %lld", etcd_endpoint(a->e),
	       fresh ? "read up to" : "watching from", (long long)a->next_rev - (fresh ? 1 : 0));
	a->connected = true;
	a->backoff_ms = 0;
	a->status_dirty = true;
	return 0;
}

/* What the watches said; -1: the connection is lost */
static int watch_events(struct agent *a)
{
	bool resync = false, restart = false;
	struct watch *w;
	int i;

	for (i = 0; i < 2; i++) {
		w = &a->w[i];
		if (w->compact_revision) {
			logmsg("watch %s: revision %lld was compacted (compact_revision %lld): reading afresh",
			       w->key, (long long)a->next_rev, (long long)w->compact_revision);
			w->compact_revision = 0;
			resync = restart = true;
		} else if (w->canceled || w->ended) {
			logmsg("watch %s: %s", w->key, w->error[0] ? w->error : "ended");
			return -1;
		}
		if (w->changed) {
			w->changed = false;
			resync = true;
		}
	}
	if (resync && sync_now(a))
		return -1;
	if (restart) {
		stop_watches(a);
		if (start_watches(a))
			return -1;
	}
	return 0;
}

static int min_int(long long a, long long b)
{
	return (int)(a < b ? a : b);
}

static void loop_once(struct agent *a)
{
	long long now = mono_ms(), wait;

	if (!a->connected) {
		if (now >= a->next_try && connect_etcd(a)) {
			stop_watches(a);
			disconnect(a, "connecting failed");
		}
	} else {
		wait = min_int(500, a->next_keepalive - now);
		etcd_watch_poll(a->e, wait > 0 ? (int)wait : 0);
		if (watch_events(a))
			disconnect(a, "watch");
		else if (mono_ms() >= a->next_keepalive && keepalive(a))
			disconnect(a, "keepalive");
	}
	if (a->c->drift_interval && mono_ms() >= a->next_drift) {
		drift_tick(a);
		/* a namespace that could not be tried: try again now */
		if (a->connected && gateway_state(a->ns, a->n) == NS_STALE && sync_now(a))
			disconnect(a, "reading");
		a->next_drift = mono_ms() + a->c->drift_interval * 1000LL;
	}
	if (a->connected && a->status_dirty && put_status(a))
		disconnect(a, "status");
	if (!a->notified) {
		sd_notify_msg("READY=1");
		a->notified = true;
	}
	if (!a->connected) {
		wait = min_int(500, a->next_try - mono_ms());
		if (wait > 0)
			etcd_watch_poll(a->e, (int)wait);
	}
}

static int agent_init(struct agent *a, struct agent_conf *c)
{
	char err[512];
	int i;

	memset(a, 0, sizeof(*a));
	a->c = c;
	a->n = c->n_namespaces;
	for (i = 0; i < a->n; i++) {
		snprintf(a->ns[i].name, sizeof(a->ns[i].name), "%s", c->namespaces[i]);
		a->ns[i].state = NS_NONE;
		a->ns[i].since = wall();
	}
	key_fleet_conf(c, a->key_fleet, sizeof(a->key_fleet));
	key_gateway_conf(c, a->key_gw, sizeof(a->key_gw));
	key_status(c, c->gateway, a->key_status, sizeof(a->key_status));
	key_last(c, c->gateway, a->key_last, sizeof(a->key_last));
	snprintf(a->w[0].key, sizeof(a->w[0].key), "%s", a->key_fleet);
	snprintf(a->w[1].key, sizeof(a->w[1].key), "%s", a->key_gw);
	if (mkdir(c->state_dir, 0700) && errno != EEXIST) {
		logmsg("state_dir %s: %s", c->state_dir, strerror(errno));
		return -1;
	}
	a->e = etcd_new(c, err, sizeof(err));
	if (!a->e) {
		logmsg("%s", err);
		return -1;
	}
	srandom((unsigned int)(mono_ms() ^ getpid()));
	a->next_drift = mono_ms() + c->drift_interval * 1000LL;
	return 0;
}

static void agent_fini(struct agent *a)
{
	char err[AGENT_MAX_ERR];
	int i;

	stop_watches(a);
	/* the status goes with the agent; last/NAME keeps the final state */
	if (a->connected && a->lease && etcd_lease_revoke(a->e, a->lease, err, sizeof(err)))
		logmsg("lease revoke: %s", err);
	etcd_free(a->e);
	for (i = 0; i < a->n; i++) {
		lines_free(a->ns[i].baseline);
		free(a->text[i]);
	}
}

int agent_run(struct agent_conf *c)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct agent *a = malloc(sizeof(*a));

	if (!a || agent_init(a, c)) {
		free(a);
		return AGENT_EXIT_ERR;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	logmsg("fleet %s, gateway %s, %d namespace(s), endpoints %d, drift every %us%s",
	       c->fleet, c->gateway, a->n, c->n_endpoints, c->drift_interval,
	       c->reassert ? ", reassert" : "");
	while (!stopping)
		loop_once(a);
	sd_notify_msg("STOPPING=1");
	logmsg("stopping; the gateway keeps its configuration");
	agent_fini(a);
	free(a);
	return AGENT_EXIT_OK;
}

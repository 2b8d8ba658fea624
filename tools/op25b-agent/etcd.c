// SPDX-License-Identifier: GPL-2.0
/*
 * etcd's v3 JSON gateway (grpc-gateway, /v3/...) over libcurl: keys and
 * values in base64, numbers as strings, errors as {"error", "code",
 * "message"} with an HTTP status.  Requests are synchronous, one easy
 * handle reused; watches are streaming POSTs on their own handles in a
 * multi handle, polled by the daemon's loop.
 *
 * Every answer is read into a buffer of at most AGENT_MAX_RESPONSE bytes:
 * a longer one is cut off and reported, whatever etcd holds.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "agent.h"

struct buf {
	char *p;
	size_t len, max;
	bool overflow;
};

struct etcd {
	const struct agent_conf *c;
	int cur;			/* the endpoint in use */
	char password[256];
	char token[512];
	char curl_err[CURL_ERROR_SIZE];	/* libcurl's words for a failure */
	CURL *h;
	CURLM *multi;
	struct watch *watches[4];
};

static size_t buf_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	char *p;

	if (b->len + n > b->max) {
		b->overflow = true;
		return 0;	/* ends the transfer: CURLE_WRITE_ERROR */
	}
	p = realloc(b->p, b->len + n + 1);
	if (!p)
		return 0;
	b->p = p;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

static int read_password(struct etcd *e, char *err, size_t errlen)
{
	FILE *f = fopen(e->c->password_file, "r");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "password_file %s: %m", e->c->password_file);
		return -1;
	}
	n = fread(e->password, 1, sizeof(e->password) - 1, f);
	fclose(f);
	e->password[n] = '\0';
	e->password[strcspn(e->password, "\r\n")] = '\0';
	if (!e->password[0]) {
		snprintf(err, errlen, "password_file %s: empty", e->c->password_file);
		return -1;
	}
	return 0;
}

struct etcd *etcd_new(const struct agent_conf *c, char *err, size_t errlen)
{
	struct etcd *e;

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "libcurl: initialisation failed");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->c = c;
	if (c->user[0] && read_password(e, err, errlen))
		goto fail;
	e->h = curl_easy_init();
	e->multi = curl_multi_init();
	if (!e->h || !e->multi) {
		snprintf(err, errlen, "libcurl: no handle");
		goto fail;
	}
	return e;
fail:
	etcd_free(e);
	return NULL;
}

void etcd_free(struct etcd *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < ARRAY_SIZE(e->watches); i++)
		if (e->watches[i])
			etcd_watch_stop(e, e->watches[i]);
	if (e->multi)
		curl_multi_cleanup(e->multi);
	if (e->h)
		curl_easy_cleanup(e->h);
	memset(e->password, 0, sizeof(e->password));
	free(e);
}

const char *etcd_endpoint(const struct etcd *e)
{
	return e->c->endpoints[e->cur];
}

/* What every request to @url needs: TLS files, timeouts, headers */
static void setup(struct etcd *e, CURL *h, const char *url, const char *body,
		  struct curl_slist *hdr, long timeout_ms)
{
	const struct agent_conf *c = e->c;

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 timeout_ms && timeout_ms < 3000 ? timeout_ms : 3000L);
	if (timeout_ms)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	/* a member that vanished without a FIN still ends a watch */
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 5L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 2L);
	if (c->cacert[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
	if (c->cert[0]) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, c->key);
	}
}

static struct curl_slist *headers(const struct etcd *e, bool with_token)
{
	struct curl_slist *hdr = NULL, *t;
	char auth[600];

	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (with_token && e->token[0]) {
		snprintf(auth, sizeof(auth), "Authorization: %s", e->token);
		t = curl_slist_append(hdr, auth);
		if (t)
			hdr = t;
	}
	return hdr;
}

/*
 * Under TLS 1.3 a server that refuses the client certificate does so
 * after the client has finished its handshake: the client sees only the
 * connection go, not why.  Where it sees it depends on timing: sending or
 * reading the request, or inside HTTP/2 (etcd offers h2), or an answer
 * that never came.
 */
static bool lost_after_handshake(CURLcode rc)
{
	return rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM ||
	       rc == CURLE_GOT_NOTHING;
}

static const char *cert_hint(const struct etcd *e, CURLcode rc)
{
	if (!lost_after_handshake(rc) || !e->c->cert[0] ||
	    strncmp(etcd_endpoint(e), "https://", 8))
		return "";
	return " (right after the TLS handshake: etcd may refuse the client certificate; is it signed by etcd's --trusted-ca-file?)";
}

/* One request to the current endpoint; 0 with the answer, -1: no answer */
static int perform(struct etcd *e, const char *path, const char *body,
		   bool with_token, struct buf *b, long *status,
		   char *err, size_t errlen)
{
	struct curl_slist *hdr = headers(e, with_token);
	char url[AGENT_PATH_MAX + 64];
	CURLcode rc;

	snprintf(url, sizeof(url), "%s%s", etcd_endpoint(e), path);
	free(b->p);
	*b = (struct buf){ .max = AGENT_MAX_RESPONSE };
	setup(e, e->h, url, body, hdr, (long)e->c->timeout * 1000);
	curl_easy_setopt(e->h, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(e->h, CURLOPT_WRITEDATA, b);
	e->curl_err[0] = '\0';
	curl_easy_setopt(e->h, CURLOPT_ERRORBUFFER, e->curl_err);
	rc = curl_easy_perform(e->h);
	curl_slist_free_all(hdr);
	if (b->overflow) {
		snprintf(err, errlen, "%s: answer larger than %d bytes: refused",
			 etcd_endpoint(e), AGENT_MAX_RESPONSE);
		return -2;
	}
	if (rc != CURLE_OK) {
		/* the error buffer has the details: which TLS alert, ... */
		snprintf(err, errlen, "%s: %s%s", etcd_endpoint(e),
			 e->curl_err[0] ? e->curl_err : curl_easy_strerror(rc),
			 cert_hint(e, rc));
		return -1;
	}
	curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

static json_object *jnew_str(const char *s)
{
	return json_object_new_string(s);
}

/*
 * What an answer that is not a success says: etcd's "message", or the
 * body's first line when it is not JSON (etcd 3.4 answers a client
 * certificate with a CommonName on its JSON gateway in plain text).
 */
static void answer_error(struct etcd *e, long status, json_object *ans,
			 const struct buf *b, char *err, size_t errlen)
{
	json_object *m = jget(ans, "message");
	const char *body = b->p ? b->p : "";

	if (!m)		/* a streamed call's error comes in-band, after a 200 */
		m = jget(ans, "error.message");
	if (m)
		snprintf(err, errlen, "%s: %s", etcd_endpoint(e), json_object_get_string(m));
	else
		snprintf(err, errlen, "%s: HTTP %ld: %.*s", etcd_endpoint(e), status,
			 (int)strcspn(body, "\r\n"), body);
	text_sanitize(err);
}

static int authenticate(struct etcd *e, char *err, size_t errlen)
{
	json_object *req = json_object_new_object(), *ans = NULL, *t;
	struct buf b = { 0 };
	long status = 0;
	int ret = -1;

	json_object_object_add(req, "name", jnew_str(e->c->user));
	json_object_object_add(req, "password", jnew_str(e->password));
	if (perform(e, "/v3/auth/authenticate", json_object_to_json_string(req),
		    false, &b, &status, err, errlen))
		goto out;
	ans = json_tokener_parse(b.p ? b.p : "");
	t = jget(ans, "token");
	if (status != 200 || !t) {
		char why[AGENT_MAX_ERR];

		answer_error(e, status, ans, &b, why, sizeof(why));
		snprintf(err, errlen, "authentication as %s failed: %.1900s", e->c->user, why);
		goto out;
	}
	snprintf(e->token, sizeof(e->token), "%s", json_object_get_string(t));
	ret = 0;
out:
	json_object_put(req);
	json_object_put(ans);
	free(b.p);
	return ret;
}

/* etcd's errors that another member may not have */
static bool unavailable(long status, const char *msg)
{
	return status == 503 || strstr(msg, "no leader") || strstr(msg, "leader changed") ||
	       strstr(msg, "timed out") || strstr(msg, "not capable") ||
	       strstr(msg, "unhealthy");
}

static void next_endpoint(struct etcd *e)
{
	e->cur = (e->cur + 1) % e->c->n_endpoints;
}

/*
 * One endpoint: 0 answered (@out), 1 try the next endpoint, -1 an error
 * that another endpoint would give too.
 */
static int call_one(struct etcd *e, const char *path, const char *body,
		    json_object **out, char *err, size_t errlen)
{
	struct buf b = { 0 };
	json_object *ans = NULL;
	int tries, rc, ret = 1;
	long status = 0;

	for (tries = 0; tries < 2; tries++) {
		if (e->c->user[0] && !e->token[0] && authenticate(e, err, errlen))
			break;
		rc = perform(e, path, body, true, &b, &status, err, errlen);
		if (rc == -2)
			ret = -1;
		if (rc)
			break;
		json_object_put(ans);
		ans = json_tokener_parse(b.p ? b.p : "");
		/*
		 * Streamed calls (lease keepalive) answer 200 before they know,
		 * and put an error in the body: a keepalive that failed must not
		 * read as a lease that expired.
		 */
		if (status == 200 && ans && !jget(ans, "error")) {
			*out = ans;
			ans = NULL;
			ret = 0;
			break;
		}
		answer_error(e, status, ans, &b, err, errlen);
		if (strstr(err, "invalid auth token") || strstr(err, "user name is empty")) {
			e->token[0] = '\0';	/* expired: once more with a new one */
			continue;
		}
		ret = unavailable(status, err) ? 1 : -1;
		break;
	}
	json_object_put(ans);
	free(b.p);
	return ret;
}

int etcd_call(struct etcd *e, const char *path, const char *body,
	      json_object **out, char *err, size_t errlen)
{
	int i, rc;

	*out = NULL;
	for (i = 0; i < e->c->n_endpoints; i++) {
		rc = call_one(e, path, body, out, err, errlen);
		if (rc <= 0)
			return rc;
		next_endpoint(e);
	}
	return -1;
}

json_object *jget(json_object *o, const char *path)
{
	char name[64];
	const char *dot;
	size_t n;

	while (o && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(name))
			return NULL;
		memcpy(name, path, n);
		name[n] = '\0';
		if (!json_object_object_get_ex(o, name, &o))
			return NULL;
		path += n + (dot ? 1 : 0);
	}
	return o;
}

int64_t jint(json_object *o, const char *path)
{
	o = jget(o, path);
	return o ? json_object_get_int64(o) : 0;	/* also parses "123" */
}

json_object *jb64(const void *data, size_t n)
{
	char *s = malloc(b64_encoded_len(n) + 1);
	json_object *o;

	if (!s)
		return NULL;
	b64_encode(data, n, s);
	o = json_object_new_string(s);
	free(s);
	return o;
}

void etcd_kv_free(struct etcd_kv *kv)
{
	free(kv->value);
	memset(kv, 0, sizeof(*kv));
}

/* The kv of a range answer's "kvs" array; its value decoded, bounded */
static int kv_from(json_object *kvs, const char *key, struct etcd_kv *kv,
		   char *err, size_t errlen)
{
	json_object *v;
	const char *s;
	size_t n;
	long len;

	memset(kv, 0, sizeof(*kv));
	if (!kvs || !json_object_array_length(kvs))
		return 0;
	kv->found = true;
	kv->mod_revision = jint(json_object_array_get_idx(kvs, 0), "mod_revision");
	v = jget(json_object_array_get_idx(kvs, 0), "value");
	s = v ? json_object_get_string(v) : "";
	n = strlen(s);
	if (n / 4 * 3 > AGENT_MAX_VALUE + 2) {
		snprintf(err, errlen, "%s (revision %lld): value of about %zu bytes, over the agent's limit of %d",
			 key, (long long)kv->mod_revision, n / 4 * 3, AGENT_MAX_VALUE);
		return -2;
	}
	kv->value = malloc(n / 4 * 3 + 1);
	if (!kv->value) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = b64_decode(s, n, kv->value, n / 4 * 3);
	if (len < 0) {
		snprintf(err, errlen, "%s: value is not base64", key);
		etcd_kv_free(kv);
		return -1;
	}
	if (len > AGENT_MAX_VALUE) {
		snprintf(err, errlen, "%s (revision %lld): value of %ld bytes, over the agent's limit of %d",
			 key, (long long)kv->mod_revision, len, AGENT_MAX_VALUE);
		etcd_kv_free(kv);
		kv->found = true;
		return -2;
	}
	kv->value[len] = '\0';
	kv->len = (size_t)len;
	kv->found = true;
	return 0;
}

/*
 * @key at revision @rev (0: the newest).  0, -1 (no answer), -2 (the
 * value is over the limit: an answer, but not one to apply).
 */
int etcd_get(struct etcd *e, const char *key, bool keys_only, int64_t rev,
	     struct etcd_kv *kv, int64_t *header_rev, char *err, size_t errlen)
{
	json_object *req = json_object_new_object(), *ans = NULL;
	int ret;

	memset(kv, 0, sizeof(*kv));
	json_object_object_add(req, "key", jb64(key, strlen(key)));
	if (keys_only)
		json_object_object_add(req, "keys_only", json_object_new_boolean(1));
	if (rev)
		json_object_object_add(req, "revision", json_object_new_int64(rev));
	ret = etcd_call(e, "/v3/kv/range", json_object_to_json_string(req), &ans, err, errlen);
	if (ret && strstr(err, "answer larger than")) {
		/* the value itself: say which key, as kv_from would */
		snprintf(err, errlen, "%s: value over the agent's limit of %d bytes (answer cut at %d)",
			 key, AGENT_MAX_VALUE, AGENT_MAX_RESPONSE);
		ret = -2;
	}
	if (!ret) {
		if (header_rev)
			*header_rev = jint(ans, "header.revision");
		ret = kv_from(jget(ans, "kvs"), key, kv, err, errlen);
	}
	json_object_put(req);
	json_object_put(ans);
	return ret;
}

/* --- watches ------------------------------------------------------------- */

static void watch_message(struct watch *w, const char *line)
{
	json_object *o = json_tokener_parse(line), *r, *ev, *m;
	size_t i, n;
	int64_t rev;

	if (!o)
		return;
	m = jget(o, "error.message");
	if (m || !(r = jget(o, "result"))) {
		snprintf(w->error, sizeof(w->error), "%s", m ? json_object_get_string(m) : "no result");
		w->canceled = true;
		goto out;
	}
	if (jget(r, "created"))
		w->created = true;
	ev = jget(r, "events");
	n = ev ? json_object_array_length(ev) : 0;
	for (i = 0; i < n; i++) {
		rev = jint(json_object_array_get_idx(ev, i), "kv.mod_revision");
		if (rev > w->last_revision)
			w->last_revision = rev;
		w->changed = true;
	}
	if (jint(r, "compact_revision"))
		w->compact_revision = jint(r, "compact_revision");
	if (jget(r, "canceled")) {
		m = jget(r, "cancel_reason");
		snprintf(w->error, sizeof(w->error), "%s", m ? json_object_get_string(m) : "canceled");
		w->canceled = true;
	}
out:
	json_object_put(o);
}

/*
 * A message too long to hold: its event's mod_revision, which comes
 * before the value, from what arrived of it (the held part, else the
 * chunk at hand); the daemon then refuses that revision without fetching.
 */
static int64_t mod_revision_in(const char *hay, size_t n)
{
	static const char tag[] = "\"mod_revision\":\"";
	const char *p = hay ? memmem(hay, n, tag, sizeof(tag) - 1) : NULL;
	int64_t rev = 0;

	if (!p)
		return 0;
	for (p += sizeof(tag) - 1; p < hay + n && *p >= '0' && *p <= '9'; p++)
		rev = rev * 10 + (*p - '0');
	return rev;
}

static void oversize(struct watch *w, const char *data, size_t chunk)
{
	int64_t rev = mod_revision_in(w->buf, w->len);

	w->oversize_revision = rev ? rev : mod_revision_in(data, chunk);
}

/*
 * The stream is one JSON document per line.  A line longer than
 * AGENT_MAX_RESPONSE (a huge value was put) is skipped to its end and
 * taken as a change: the agent then reads the key, and refuses it there
 * with the reason.
 */
void watch_feed(struct watch *w, const char *data, size_t n)
{
	const char *nl;
	size_t chunk;
	char *p;

	while (n) {
		nl = memchr(data, '\n', n);
		chunk = nl ? (size_t)(nl - data) : n;
		if (!w->skipping && w->len + chunk > AGENT_MAX_RESPONSE) {
			w->skipping = true;
			oversize(w, data, chunk);
			w->len = 0;
		}
		if (!w->skipping) {
			p = realloc(w->buf, w->len + chunk + 1);
			if (!p) {
				w->skipping = true;	/* as if too long */
				w->len = 0;
			} else {
				w->buf = p;
				memcpy(w->buf + w->len, data, chunk);
				w->len += chunk;
				w->buf[w->len] = '\0';
			}
		}
		if (!nl)
			return;
		if (w->skipping) {
			w->skipping = false;
			w->changed = true;
		} else if (w->len) {
			watch_message(w, w->buf);
		}
		w->len = 0;
		data = nl + 1;
		n -= chunk + 1;
	}
}

static size_t watch_write(char *data, size_t size, size_t nmemb, void *arg)
{
	watch_feed(arg, data, size * nmemb);
	return size * nmemb;
}

int etcd_watch_start(struct etcd *e, struct watch *w, int64_t start_rev,
		     char *err, size_t errlen)
{
	json_object *req = json_object_new_object(), *cr = json_object_new_object();
	char url[AGENT_PATH_MAX + 64];
	struct curl_slist *hdr;
	size_t i, slot = ARRAY_SIZE(e->watches);
	CURL *h;

	etcd_watch_stop(e, w);
	for (i = 0; i < ARRAY_SIZE(e->watches); i++)
		if (!e->watches[i]) {
			slot = i;
			break;
		}
	h = curl_easy_init();
	if (slot == ARRAY_SIZE(e->watches) || !h) {
		snprintf(err, errlen, "no watch handle");
		json_object_put(req);
		json_object_put(cr);
		if (h)
			curl_easy_cleanup(h);
		return -1;
	}
	json_object_object_add(cr, "key", jb64(w->key, strlen(w->key)));
	json_object_object_add(cr, "start_revision", json_object_new_int64(start_rev));
	json_object_object_add(req, "create_request", cr);
	snprintf(w->body, sizeof(w->body), "%s", json_object_to_json_string(req));
	json_object_put(req);
	w->created = w->changed = w->canceled = w->ended = false;
	w->compact_revision = 0;
	w->error[0] = '\0';
	w->len = 0;
	w->skipping = false;
	snprintf(url, sizeof(url), "%s/v3/watch", etcd_endpoint(e));
	hdr = headers(e, true);
	setup(e, h, url, w->body, hdr, 0);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, w);
	w->curl_err[0] = '\0';
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, w->curl_err);
	curl_easy_setopt(h, CURLOPT_PRIVATE, hdr);
	curl_multi_add_handle(e->multi, h);
	w->h = h;
	e->watches[slot] = w;
	return 0;
}

void etcd_watch_stop(struct etcd *e, struct watch *w)
{
	struct curl_slist *hdr = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(e->watches); i++)
		if (e->watches[i] == w)
			e->watches[i] = NULL;
	if (!w->h)
		return;
	curl_easy_getinfo(w->h, CURLINFO_PRIVATE, (char **)&hdr);
	curl_multi_remove_handle(e->multi, w->h);
	curl_easy_cleanup(w->h);
	curl_slist_free_all(hdr);
	w->h = NULL;
	free(w->buf);
	w->buf = NULL;
	w->len = 0;
}

int etcd_watch_poll(struct etcd *e, int ms)
{
	struct watch *w;
	CURLMsg *msg;
	int running, left;
	size_t i;

	if (curl_multi_poll(e->multi, NULL, 0, ms, NULL) != CURLM_OK)
		return -1;
	curl_multi_perform(e->multi, &running);
	while ((msg = curl_multi_info_read(e->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < ARRAY_SIZE(e->watches); i++) {
			w = e->watches[i];
			if (!w || w->h != msg->easy_handle)
				continue;
			w->ended = true;
			if (!w->error[0])
				snprintf(w->error, sizeof(w->error), "%s: stream ended: %s",
					 etcd_endpoint(e), w->curl_err[0] ? w->curl_err :
					 curl_easy_strerror(msg->data.result));
		}
	}
	return 0;
}

/* --- leases and writes ---------------------------------------------------- */

int etcd_lease_grant(struct etcd *e, unsigned int ttl, int64_t *id,
		     char *err, size_t errlen)
{
	json_object *ans = NULL;
	char body[64];
	int ret;

	snprintf(body, sizeof(body), "{\"TTL\":\"%u\"}", ttl);
	ret = etcd_call(e, "/v3/lease/grant", body, &ans, err, errlen);
	if (!ret) {
		*id = jint(ans, "ID");
		if (!*id) {
			snprintf(err, errlen, "%s: lease grant: no ID in the answer", etcd_endpoint(e));
			ret = -1;
		}
	}
	json_object_put(ans);
	return ret;
}

/* @ttl: what is left of the lease; 0 when etcd no longer has it */
int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl,
			 char *err, size_t errlen)
{
	json_object *ans = NULL;
	char body[64];
	int ret;

	snprintf(body, sizeof(body), "{\"ID\":\"%lld\"}", (long long)id);
	ret = etcd_call(e, "/v3/lease/keepalive", body, &ans, err, errlen);
	if (!ret)
		*ttl = jint(ans, "result.TTL");
	json_object_put(ans);
	return ret;
}

int etcd_lease_revoke(struct etcd *e, int64_t id, char *err, size_t errlen)
{
	json_object *ans = NULL;
	char body[64];
	int ret;

	snprintf(body, sizeof(body), "{\"ID\":\"%lld\"}", (long long)id);
	ret = etcd_call(e, "/v3/lease/revoke", body, &ans, err, errlen);
	json_object_put(ans);
	return ret;
}

/*
 * The puts of @p in one transaction; with @cmp_key, only if that key's
 * mod_revision is still @cmp_rev (0: the key does not exist).
 * @succeeded says whether the puts were done; @rev is the revision after.
 */
int etcd_txn_put(struct etcd *e, const struct etcd_put *p, int n,
		 const char *cmp_key, int64_t cmp_rev, bool *succeeded,
		 int64_t *rev, char *err, size_t errlen)
{
	json_object *req = json_object_new_object(), *ops = json_object_new_array();
	json_object *ans = NULL, *op, *put, *cmp;
	int i, ret;

	for (i = 0; i < n; i++) {
		put = json_object_new_object();
		json_object_object_add(put, "key", jb64(p[i].key, strlen(p[i].key)));
		json_object_object_add(put, "value", jb64(p[i].value, p[i].len));
		if (p[i].lease)
			json_object_object_add(put, "lease", json_object_new_int64(p[i].lease));
		op = json_object_new_object();
		json_object_object_add(op, "request_put", put);
		json_object_array_add(ops, op);
	}
	json_object_object_add(req, "success", ops);
	if (cmp_key) {
		cmp = json_object_new_object();
		json_object_object_add(cmp, "key", jb64(cmp_key, strlen(cmp_key)));
		json_object_object_add(cmp, "target", jnew_str("MOD"));
		json_object_object_add(cmp, "result", jnew_str("EQUAL"));
		json_object_object_add(cmp, "mod_revision", json_object_new_int64(cmp_rev));
		op = json_object_new_array();
		json_object_array_add(op, cmp);
		json_object_object_add(req, "compare", op);
	}
	ret = etcd_call(e, "/v3/kv/txn", json_object_to_json_string(req), &ans, err, errlen);
	if (!ret) {
		*succeeded = json_object_get_boolean(jget(ans, "succeeded"));
		if (rev)
			*rev = jint(ans, "header.revision");
	}
	json_object_put(req);
	json_object_put(ans);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * op25b-agent: keeps op25b's configuration on a gateway equal to its
 * fleet's text in etcd (docs/fleet.md, op25b-agent(8)).
 * Declarations shared by the agent's files.
 */
#ifndef OP25B_AGENT_H
#define OP25B_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_VERSION		"0.1"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * The largest configuration text the agent accepts from etcd or
 * publishes: 1 MiB.  etcd refuses requests over 1.5 MiB by default
 * (--max-request-bytes) and is meant for small values; a text is a few
 * kilobytes per thousand entries.
 */
#define AGENT_MAX_VALUE		(1024 * 1024)
/*
 * The most bytes read from etcd in one answer or one watch message: a
 * value at the limit, base64 (4/3) and JSON around it.  Anything longer
 * is cut off and reported, never buffered whole.
 */
#define AGENT_MAX_RESPONSE	(2 * 1024 * 1024)
/* The most bytes of op25bctl's standard error kept (status, log) */
#define AGENT_MAX_ERR		2048
/* op25bctl save's output, compared for drift */
#define AGENT_MAX_SAVE		(16 * 1024 * 1024)

#define AGENT_MAX_ENDPOINTS	8
#define AGENT_MAX_NS		16
#define AGENT_NAME_MAX		64
#define AGENT_PATH_MAX		256

/* Exit statuses of op25b-agent's commands (op25b-agent(8)) */
enum {
	AGENT_EXIT_OK		= 0,
	AGENT_EXIT_ERR		= 1,	/* etcd, files, op25bctl */
	AGENT_EXIT_USAGE	= 2,	/* bad usage or configuration */
	AGENT_EXIT_CONFLICT	= 3,	/* publish: changed since read */
};

/* /etc/op25b/agent.conf (conf.c, packaging/agent.conf) */
struct agent_conf {
	char endpoints[AGENT_MAX_ENDPOINTS][AGENT_PATH_MAX];
	int n_endpoints;
	char fleet[AGENT_NAME_MAX];
	char gateway[AGENT_NAME_MAX];
	char cacert[AGENT_PATH_MAX];
	char cert[AGENT_PATH_MAX];
	char key[AGENT_PATH_MAX];
	char user[AGENT_NAME_MAX];
	char password_file[AGENT_PATH_MAX];
	/* names under /run/netns; "self" is the agent's own namespace */
	char namespaces[AGENT_MAX_NS][AGENT_NAME_MAX];
	int n_namespaces;
	char op25bctl[AGENT_PATH_MAX];
	char state_dir[AGENT_PATH_MAX];
	unsigned int drift_interval;	/* seconds; 0: no drift checks */
	bool reassert;
	unsigned int lease_ttl;		/* seconds */
	unsigned int timeout;		/* seconds per etcd request */
};

/* Defaults, then FILE; on error a message "FILE:LINE: ..." in @err. */
void conf_defaults(struct agent_conf *c);
int conf_parse(struct agent_conf *c, const char *text, size_t len,
	       const char *name, char *err, size_t errlen);
int conf_load(struct agent_conf *c, const char *path, char *err, size_t errlen);
/* The keys of a fleet: "/op25b/FLEET/conf" and so on (@out, @len) */
void key_fleet_conf(const struct agent_conf *c, char *out, size_t len);
void key_gateway_conf(const struct agent_conf *c, char *out, size_t len);
void key_status(const struct agent_conf *c, const char *gw, char *out, size_t len);
void key_last(const struct agent_conf *c, const char *gw, char *out, size_t len);
/* A fleet or gateway name: 1-63 of [A-Za-z0-9._-], not "." or ".." */
bool name_valid(const char *s);

/* base64 (RFC 4648, with padding), as etcd's JSON gateway wants keys and values */
size_t b64_encoded_len(size_t n);
void b64_encode(const unsigned char *in, size_t n, char *out);
/* -1 on a character outside the alphabet or bad padding; else the length */
long b64_decode(const char *in, size_t n, unsigned char *out, size_t outlen);

/* text.c: what the agent compares and reports */
void sha256_hex(const void *data, size_t len, char out[65]);
/*
 * The configuration lines of an "op25bctl save" output: no comments, no
 * blank lines, blanks at either end trimmed; one line per element of
 * @lines (malloc'ed, NULL-terminated, sorted); free with lines_free.
 */
char **config_lines(const char *text, size_t len, size_t *n);
void lines_free(char **lines);
/*
 * Differences between two sorted line sets, in words: "2 lines differ:
 * +allow 198.51.100.25, -mode enforce" (at most @len bytes).  Returns the
 * number of lines that differ (0: the same).
 */
size_t lines_diff(char **a, size_t na, char **b, size_t nb, char *out, size_t len);
/* Bytes that are not valid UTF-8 or are control characters become '?' */
void text_sanitize(char *s);
/* The UTC time of @t as 2026-01-31T12:00:00Z */
void time_iso(long long t, char out[32]);
/* "12s", "5m", "3h", "2d" */
void age_text(long long seconds, char *out, size_t len);
/* Exponential backoff with jitter (ms): the next nominal delay; the wait */
unsigned int backoff_next(unsigned int nominal_ms);
unsigned int backoff_jitter(unsigned int nominal_ms, unsigned int rnd);
#define BACKOFF_MIN_MS		250
#define BACKOFF_MAX_MS		8000

/* Log lines on stderr ("op25b-agent: ...", the journal under systemd) */
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool log_quiet;

/* status.c: one gateway's status, as stored in etcd */
enum ns_state {		/* from best to worst */
	NS_APPLIED,
	NS_NONE,	/* nothing applied yet: no text in etcd, or not read yet */
	NS_STALE,	/* the newest text could not be tried here */
	NS_DRIFTED,
	NS_REJECTED,
};
const char *ns_state_name(enum ns_state s);

struct attempt {		/* the last text that was refused */
	char key[AGENT_PATH_MAX];
	int64_t revision;
	char sha256[65];
	int exit;
	char error[AGENT_MAX_ERR];
};

struct ns_status {
	char name[AGENT_NAME_MAX];
	enum ns_state state;
	long long since;		/* the state was entered */
	char key[AGENT_PATH_MAX];	/* what is applied */
	int64_t revision;
	char sha256[65];
	long long applied_at;
	struct attempt rejected;	/* revision 0: none */
	char drift[512];		/* the last difference seen */
	unsigned int reasserted;
	/* save's configuration lines just after the last load */
	char **baseline;
	size_t n_baseline;
};

/* The gateway's state: the worst of its namespaces'; the JSON document */
enum ns_state gateway_state(const struct ns_status *ns, int n);
char *status_json(const struct agent_conf *c, const struct ns_status *ns,
		  int n, long long now);

/* etcd.c: etcd's v3 JSON gateway over libcurl */
struct etcd;
struct json_object;
struct etcd *etcd_new(const struct agent_conf *c, char *err, size_t errlen);
void etcd_free(struct etcd *e);
/* The endpoint requests go to now */
const char *etcd_endpoint(const struct etcd *e);
/*
 * A request to PATH (e.g. "/v3/kv/range") with a JSON body; the parsed
 * answer in @out (put it with json_object_put).  Tries each endpoint once,
 * starting with the current one, and authenticates again when the token
 * has expired.  0 or -1 with a message in @err.
 */
int etcd_call(struct etcd *e, const char *path, const char *body,
	      struct json_object **out, char *err, size_t errlen);
/* A kv of a range answer */
struct etcd_kv {
	bool found;
	int64_t mod_revision;
	unsigned char *value;	/* NUL-terminated, malloc'ed */
	size_t len;
};
int etcd_get(struct etcd *e, const char *key, bool keys_only, int64_t rev,
	     struct etcd_kv *kv, int64_t *header_rev, char *err, size_t errlen);
void etcd_kv_free(struct etcd_kv *kv);
int etcd_lease_grant(struct etcd *e, unsigned int ttl, int64_t *id,
		     char *err, size_t errlen);
int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl,
			 char *err, size_t errlen);
int etcd_lease_revoke(struct etcd *e, int64_t id, char *err, size_t errlen);
struct etcd_put {
	const char *key;
	const void *value;
	size_t len;
	int64_t lease;		/* 0: none */
};
int etcd_txn_put(struct etcd *e, const struct etcd_put *p, int n,
		 const char *cmp_key, int64_t cmp_rev, bool *succeeded,
		 int64_t *rev, char *err, size_t errlen);
/* json helpers for etcd's answers: numbers come as strings */
int64_t jint(struct json_object *o, const char *path);
struct json_object *jget(struct json_object *o, const char *path);
/* A JSON string of @data in base64 */
struct json_object *jb64(const void *data, size_t n);

/* Watches: streaming POST /v3/watch, driven by etcd_watch_poll */
struct watch {
	char key[AGENT_PATH_MAX];
	void *h;		/* CURL * while running */
	char *buf;		/* the message being received */
	size_t len;
	bool skipping;		/* a message over AGENT_MAX_RESPONSE */
	/* what the messages said since the flags were cleared */
	bool created, changed, canceled, ended;
	int64_t compact_revision;
	int64_t last_revision;	/* the newest event's */
	int64_t oversize_revision;	/* of the last message too long to hold */
	char error[600];
	char curl_err[256];	/* CURL_ERROR_SIZE */
	char body[512];
};
int etcd_watch_start(struct etcd *e, struct watch *w, int64_t start_rev,
		     char *err, size_t errlen);
void etcd_watch_stop(struct etcd *e, struct watch *w);
/* Waits at most @ms for the watches' streams; handles what arrived */
int etcd_watch_poll(struct etcd *e, int ms);
/* Feeds received bytes to a watch's line parser (also the unit tests') */
void watch_feed(struct watch *w, const char *data, size_t n);

/* run.c: op25bctl in a network namespace */
struct run_result {
	int exit;		/* op25bctl's status; see RUN_* below */
	char err[AGENT_MAX_ERR];
	char *out;		/* standard output, when asked for */
	size_t out_len;
};
/* exit statuses of the child when op25bctl did not run */
#define RUN_NO_NETNS	124	/* /run/netns/NAME cannot be entered */
#define RUN_NO_MODULE	125	/* op25b is not loaded there */
#define RUN_NO_EXEC	127
/*
 * Runs "op25bctl ARGS..." in namespace @ns ("self": the agent's), in
 * directory @dir (NULL: the current one), after checking that op25b is
 * loaded there if @need_module; keeps at most @out_max bytes of standard
 * output when @want_out (else it goes with standard error).  0 when it
 * ran (see r->exit), -1 when it could not start.
 */
int run_op25bctl(const struct agent_conf *c, const char *ns, const char *dir,
		 char *const args[], bool need_module, bool want_out,
		 size_t out_max, struct run_result *r);
void run_result_free(struct run_result *r);

/* daemon.c, cli.c */
int agent_run(struct agent_conf *c);
int cmd_publish(struct agent_conf *c, int argc, char **argv);
int cmd_status(struct agent_conf *c, int argc, char **argv);

#endif

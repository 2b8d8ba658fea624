// SPDX-License-Identifier: GPL-2.0
/*
 * /etc/op25b/agent.conf: "key = value" lines, '#' comments, every key at
 * most once.  The keys are documented in op25b-agent(8) and in the
 * example packaging/agent.conf; an unknown key is an error, so that a
 * typo does not silently leave a default in place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

void conf_defaults(struct agent_conf *c)
{
	memset(c, 0, sizeof(*c));
	/* the host's name, as a gateway name (cut at the first dot) */
	if (!gethostname(c->gateway, sizeof(c->gateway) - 1))
		c->gateway[strcspn(c->gateway, ".")] = '\0';
	snprintf(c->namespaces[0], sizeof(c->namespaces[0]), "self");
	c->n_namespaces = 1;
	snprintf(c->op25bctl, sizeof(c->op25bctl), "/usr/sbin/op25bctl");
	snprintf(c->state_dir, sizeof(c->state_dir), "/run/op25b-agent");
	c->drift_interval = 30;
	c->lease_ttl = 15;
	c->timeout = 5;
}

bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= AGENT_NAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") == n;
}

struct parse {
	struct agent_conf *c;
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
	unsigned int seen;	/* one bit per key */
};

static int __attribute__((format(printf, 2, 3)))
perr(struct parse *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->line)
		snprintf(p->err, p->errlen, "%s:%u: %s", p->name, p->line, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->name, msg);
	return -1;
}

static int set_str(struct parse *p, char *dst, size_t size, const char *key,
		   const char *v)
{
	if (strlen(v) >= size)
		return perr(p, "%s: value too long (at most %zu bytes)", key, size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_uint(struct parse *p, unsigned int *dst, const char *key,
		    const char *v, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n < min || n > max)
		return perr(p, "%s: not a number from %lu to %lu", key, min, max);
	*dst = (unsigned int)n;
	return 0;
}

static int set_bool(struct parse *p, bool *dst, const char *key, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on")) {
		*dst = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off")) {
		*dst = false;
		return 0;
	}
	return perr(p, "%s: '%s' is not yes or no", key, v);
}

/* endpoints: http:// or https:// URLs, separated by blanks or commas */
static int set_endpoints(struct parse *p, char *v)
{
	struct agent_conf *c = p->c;
	char *save = NULL, *tok;

	c->n_endpoints = 0;
	for (tok = strtok_r(v, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		size_t n = strlen(tok);

		if (strncmp(tok, "http://", 7) && strncmp(tok, "https://", 8))
			return perr(p, "endpoints: '%s' is not an http:// or https:// URL", tok);
		while (n > 0 && tok[n - 1] == '/')	/* paths are appended */
			tok[--n] = '\0';
		if (c->n_endpoints == AGENT_MAX_ENDPOINTS)
			return perr(p, "endpoints: more than %d", AGENT_MAX_ENDPOINTS);
		if (set_str(p, c->endpoints[c->n_endpoints], AGENT_PATH_MAX, "endpoints", tok))
			return -1;
		c->n_endpoints++;
	}
	if (!c->n_endpoints)
		return perr(p, "endpoints: no URL");
	return 0;
}

static int set_namespaces(struct parse *p, char *v)
{
	struct agent_conf *c = p->c;
	char *save = NULL, *tok;
	int i;

	c->n_namespaces = 0;
	for (tok = strtok_r(v, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		if (!name_valid(tok))
			return perr(p, "namespaces: '%s' is not a network namespace name", tok);
		for (i = 0; i < c->n_namespaces; i++)
			if (!strcmp(c->namespaces[i], tok))
				return perr(p, "namespaces: '%s' given twice", tok);
		if (c->n_namespaces == AGENT_MAX_NS)
			return perr(p, "namespaces: more than %d", AGENT_MAX_NS);
		snprintf(c->namespaces[c->n_namespaces++], AGENT_NAME_MAX, "%s", tok);
	}
	if (!c->n_namespaces)
		return perr(p, "namespaces: none given");
	return 0;
}

enum {
	K_ENDPOINTS, K_FLEET, K_GATEWAY, K_CACERT, K_CERT, K_KEY, K_USER,
	K_PASSWORD_FILE, K_NAMESPACES, K_OP25BCTL, K_STATE_DIR, K_DRIFT,
	K_REASSERT, K_LEASE_TTL, K_TIMEOUT, K_MAX
};

static const char *const keys[K_MAX] = {
	[K_ENDPOINTS] = "endpoints", [K_FLEET] = "fleet", [K_GATEWAY] = "gateway",
	[K_CACERT] = "cacert", [K_CERT] = "cert", [K_KEY] = "key",
	[K_USER] = "user", [K_PASSWORD_FILE] = "password_file",
	[K_NAMESPACES] = "namespaces", [K_OP25BCTL] = "op25bctl",
	[K_STATE_DIR] = "state_dir", [K_DRIFT] = "drift_interval",
	[K_REASSERT] = "reassert", [K_LEASE_TTL] = "lease_ttl",
	[K_TIMEOUT] = "timeout",
};

static int set_path(struct parse *p, char *dst, const char *key, const char *v)
{
	if (v[0] != '/')
		return perr(p, "%s: '%s' is not an absolute path", key, v);
	return set_str(p, dst, AGENT_PATH_MAX, key, v);
}

static int set_name(struct parse *p, char *dst, const char *key, const char *v)
{
	if (!name_valid(v))
		return perr(p, "%s: '%s' is not a name (1-63 of A-Z a-z 0-9 . _ -)", key, v);
	snprintf(dst, AGENT_NAME_MAX, "%s", v);
	return 0;
}

static int set_key(struct parse *p, int k, char *v)
{
	struct agent_conf *c = p->c;

	switch (k) {
	case K_ENDPOINTS:	return set_endpoints(p, v);
	case K_FLEET:		return set_name(p, c->fleet, "fleet", v);
	case K_GATEWAY:		return set_name(p, c->gateway, "gateway", v);
	case K_CACERT:		return set_path(p, c->cacert, "cacert", v);
	case K_CERT:		return set_path(p, c->cert, "cert", v);
	case K_KEY:		return set_path(p, c->key, "key", v);
	case K_USER:		return set_name(p, c->user, "user", v);
	case K_PASSWORD_FILE:	return set_path(p, c->password_file, "password_file", v);
	case K_NAMESPACES:	return set_namespaces(p, v);
	case K_OP25BCTL:	return set_path(p, c->op25bctl, "op25bctl", v);
	case K_STATE_DIR:	return set_path(p, c->state_dir, "state_dir", v);
	case K_DRIFT:		return set_uint(p, &c->drift_interval, "drift_interval", v, 0, 86400);
	case K_REASSERT:	return set_bool(p, &c->reassert, "reassert", v);
	case K_LEASE_TTL:	return set_uint(p, &c->lease_ttl, "lease_ttl", v, 3, 3600);
	case K_TIMEOUT:		return set_uint(p, &c->timeout, "timeout", v, 1, 300);
	}
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_line(struct parse *p, char *line)
{
	char *eq, *k, *v;
	int i;

	line[strcspn(line, "#")] = '\0';	/* no value holds a '#' */
	line = trim(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return perr(p, "'%s': not key = value", line);
	*eq = '\0';
	k = trim(line);
	v = trim(eq + 1);
	for (i = 0; i < K_MAX; i++)
		if (!strcmp(k, keys[i]))
			break;
	if (i == K_MAX)
		return perr(p, "unknown key '%s'", k);
	if (p->seen & (1u << i))
		return perr(p, "%s given twice", k);
	p->seen |= 1u << i;
	if (!*v)
		return perr(p, "%s: no value", k);
	return set_key(p, i, v);
}

/* What only the whole file can tell */
static int check_whole(struct parse *p)
{
	struct agent_conf *c = p->c;

	p->line = 0;
	if (!c->n_endpoints)
		return perr(p, "no endpoints");
	if (!c->fleet[0])
		return perr(p, "no fleet");
	if (!name_valid(c->gateway))
		return perr(p, "no gateway (and the host name is not a valid one)");
	if (!!c->cert[0] != !!c->key[0])
		return perr(p, "cert and key go together");
	if (!!c->user[0] != !!c->password_file[0])
		return perr(p, "user and password_file go together");
	return 0;
}

int conf_parse(struct agent_conf *c, const char *text, size_t len,
	       const char *name, char *err, size_t errlen)
{
	struct parse p = { .c = c, .name = name, .err = err, .errlen = errlen };
	char *copy, *line, *next;
	int ret = 0;

	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: holds a NUL byte", name);
		return -1;
	}
	copy = strndup(text, len);
	if (!copy) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (line = copy; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p.line++;
		ret = parse_line(&p, line);
	}
	free(copy);
	if (!ret)
		ret = check_whole(&p);
	return ret;
}

int conf_load(struct agent_conf *c, const char *path, char *err, size_t errlen)
{
	char buf[65536];
	size_t n;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (n == sizeof(buf) || ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" : "larger than 64 KiB");
		fclose(f);
		return -1;
	}
	fclose(f);
	return conf_parse(c, buf, n, path, err, errlen);
}

void key_fleet_conf(const struct agent_conf *c, char *out, size_t len)
{
	snprintf(out, len, "/op25b/%s/conf", c->fleet);
}

void key_gateway_conf(const struct agent_conf *c, char *out, size_t len)
{
	snprintf(out, len, "/op25b/%s/gateways/%s/conf", c->fleet, c->gateway);
}

void key_status(const struct agent_conf *c, const char *gw, char *out, size_t len)
{
	snprintf(out, len, "/op25b/%s/status/%s", c->fleet, gw);
}

void key_last(const struct agent_conf *c, const char *gw, char *out, size_t len)
{
	snprintf(out, len, "/op25b/%s/last/%s", c->fleet, gw);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Tables against a naive reference: random prefixes of random lengths,
 * added and deleted in random batches; membership of random and boundary
 * addresses must equal "some remaining prefix covers it".
 */
#include "op25b_parse.h"
#include "op25b_policy.h"
#include "tap.h"

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static struct op25b_entry pfx4(u32 a, u8 plen)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV4, .plen = plen };

	e.v4 = a & op25b_mask4(plen);
	return e;
}

static struct op25b_entry pfx6(__uint128_t a, u8 plen)
{
	struct op25b_entry e = { .kind = OP25B_KIND_IPV6, .plen = plen };

	e.v6 = a & op25b_mask6(plen);
	return e;
}

static struct op25b_entry entry(const char *s)
{
	struct op25b_entry e;

	if (op25b_parse_prefix(s, strlen(s), &e))
		abort();
	return e;
}

static bool naive_has(const struct op25b_entry *ref, size_t n,
		      const struct op25b_entry *addr)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ref[i].kind != addr->kind)
			continue;
		if (addr->kind == OP25B_KIND_IPV4 &&
		    (addr->v4 & op25b_mask4(ref[i].plen)) == ref[i].v4)
			return true;
		if (addr->kind == OP25B_KIND_IPV6 &&
		    (addr->v6 & op25b_mask6(ref[i].plen)) == ref[i].v6)
			return true;
	}
	return false;
}

/* op25b_set4_has() of an address given by value. */
static bool has4(const struct op25b_set4 *s, u32 a)
{
	return op25b_set4_has(s, &a);
}

static bool table_has(const struct op25b_table *t, const struct op25b_entry *a)
{
	return a->kind == OP25B_KIND_IPV4 ? has4(&t->v4, a->v4) :
					    op25b_set6_has(&t->v6, a->v6);
}

/* A random prefix in a crowded space, so that prefixes overlap. */
static struct op25b_entry random_prefix(bool v6, int space_bits)
{
	if (!v6) {
		/* clustered: four /8s, so that prefixes overlap */
		u32 a = (u32)(rnd() % 4) << 24 |
			((u32)rnd() & (0xffffffu >> (space_bits - 8)));

		return pfx4(a, 8 + rnd() % 25);
	}
	{
		__uint128_t a = (__uint128_t)(rnd() % 4) << 126 |
			       (__uint128_t)(rnd() >> space_bits) << 64 | rnd();

		return pfx6(a, 16 + rnd() % 113);
	}
}

static int compare_all(const struct op25b_table *t,
		       const struct op25b_entry *ref, size_t n, bool v6)
{
	int bad = 0;
	size_t i;
	int k;

	for (i = 0; i < n && !bad; i++) {
		/* the edges of every prefix and one past them */
		for (k = 0; k < 4; k++) {
			struct op25b_entry a = ref[i];

			if (!v6) {
				u32 hi = a.v4 | ~op25b_mask4(a.plen);

				a.v4 = k == 0 ? a.v4 : k == 1 ? a.v4 - 1 :
				       k == 2 ? hi : hi + 1;
			} else {
				__uint128_t hi = a.v6 | ~op25b_mask6(a.plen);

				a.v6 = k == 0 ? a.v6 : k == 1 ? a.v6 - 1 :
				       k == 2 ? hi : hi + 1;
			}
			bad += table_has(t, &a) != naive_has(ref, n, &a);
		}
	}
	for (i = 0; i < 2000; i++) {
		struct op25b_entry a = random_prefix(v6, 8);

		a.plen = v6 ? 128 : 32;
		if (!v6)
			a.v4 |= rnd() & 0xff;
		bad += table_has(t, &a) != naive_has(ref, n, &a);
	}
	return bad;
}

/* Adds then deletes random batches, checking after every step. */
static void property(bool v6, int rounds, int max_batch)
{
	struct op25b_table *t = op25b_table_new();
	struct op25b_entry *ref = calloc(rounds * max_batch, sizeof(*ref));
	size_t n = 0;
	int r, mismatches = 0, failures = 0;

	for (r = 0; r < rounds; r++) {
		struct op25b_entry batch[64];
		struct op25b_table *nt;
		int nb = 1 + rnd() % max_batch, i, j;
		bool del = n > 10 && rnd() % 3 == 0;
		u32 bad;

		for (i = 0; i < nb; i++) {
			if (del) {
				/* distinct existing entries */
				size_t k = rnd() % n;

				for (j = 0; j < i; j++)
					if (!op25b_entry_cmp(&batch[j], &ref[k]))
						break;
				if (j < i) {
					nb = i;
					break;
				}
				batch[i] = ref[k];
			} else {
				batch[i] = random_prefix(v6, 20);
				for (j = 0; j < i; j++)
					if (!op25b_entry_cmp(&batch[j], &batch[i]))
						break;
				for (size_t k = 0; j == i && k < n; k++)
					if (!op25b_entry_cmp(&ref[k], &batch[i]))
						j = -1;
				if (j != i) {
					nb = i;
					break;
				}
			}
			batch[i].pos = i;
		}
		if (!nb)
			continue;
		if (op25b_table_apply(t, del ? OP25B_OP_DEL : OP25B_OP_ADD,
				      batch, nb, 1 << 20, &nt, &bad)) {
			failures++;
			continue;
		}
		op25b_table_free(t);
		t = nt;
		for (i = 0; i < nb; i++) {
			if (!del) {
				ref[n++] = batch[i];
				continue;
			}
			for (size_t k = 0; k < n; k++) {
				if (!op25b_entry_cmp(&ref[k], &batch[i])) {
					ref[k] = ref[--n];
					break;
				}
			}
		}
		if (op25b_table_size(t) != n)
			failures++;
		mismatches += compare_all(t, ref, n, v6);
	}
	tap_ok(!failures && !mismatches,
	       "%s: %d rounds of random add/del batches match the reference "
	       "(%d mismatches, %d failures, %zu entries left)",
	       v6 ? "ipv6" : "ipv4", rounds, mismatches, failures, n);
	op25b_table_free(t);
	free(ref);
}

static struct op25b_table *build(const char *const *list, int n)
{
	struct op25b_table *t = op25b_table_new(), *nt;
	struct op25b_entry b[16];
	u32 bad;
	int i;

	for (i = 0; i < n; i++) {
		if (!strncmp(list[i], "iif ", 4)) {
			memset(&b[i], 0, sizeof(b[i]));
			b[i].kind = OP25B_KIND_IIF;
			strcpy(b[i].ifname, list[i] + 4);
		} else {
			b[i] = entry(list[i]);
		}
		b[i].pos = i;
	}
	if (op25b_table_apply(t, OP25B_OP_ADD, b, n, 100, &nt, &bad))
		abort();
	op25b_table_free(t);
	return nt;
}

static void errors(void)
{
	static const char *const init[] = { "10.0.0.0/8", "2001:db8::/32" };
	struct op25b_table *t = build(init, 2), *nt = NULL;
	struct op25b_entry b[3];
	u32 bad;
	int err;

	b[0] = entry("192.0.2.0/24");
	b[1] = entry("10.0.0.0/8");
	b[0].pos = 0;
	b[1].pos = 1;
	err = op25b_table_apply(t, OP25B_OP_ADD, b, 2, 100, &nt, &bad);
	tap_ok(err == OP25B_TERR_EXISTS && bad == 1 && !nt,
	       "adding an existing entry fails and names it");
	b[0] = entry("10.0.0.0/8");
	b[1] = entry("10.0.0.0/9");
	b[0].pos = 0;
	b[1].pos = 1;
	err = op25b_table_apply(t, OP25B_OP_DEL, b, 2, 100, &nt, &bad);
	tap_ok(err == OP25B_TERR_MISSING && bad == 1 && !nt,
	       "deleting a missing entry fails and names it");
	b[0] = entry("192.0.2.0/24");
	b[1] = entry("192.0.2.0/24");
	b[0].pos = 0;
	b[1].pos = 1;
	err = op25b_table_apply(t, OP25B_OP_ADD, b, 2, 100, &nt, &bad);
	tap_ok(err == OP25B_TERR_DUPLICATE && bad == 1,
	       "an entry twice in one request is refused");
	b[0] = entry("192.0.2.0/24");
	b[0].v4 |= 1;
	b[0].pos = 0;
	err = op25b_table_apply(t, OP25B_OP_ADD, b, 1, 100, &nt, &bad);
	tap_ok(err == OP25B_TERR_HOSTBITS, "host bits are refused");
	b[0] = entry("192.0.2.0/24");
	b[1] = entry("198.51.100.0/24");
	b[0].pos = 0;
	b[1].pos = 1;
	err = op25b_table_apply(t, OP25B_OP_ADD, b, 2, 3, &nt, &bad);
	tap_ok(err == OP25B_TERR_FULL && op25b_table_errno(err) == -ENOSPC,
	       "a table past its bound refuses with ENOSPC");
	memset(&b[0], 0, sizeof(b[0]));
	b[0].kind = OP25B_KIND_IIF;
	strcpy(b[0].ifname, "pp+p");
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_IFNAME,
	       "'+' only as the last character of an interface");
	tap_ok(op25b_table_size(t) == 2 &&
	       has4(&t->v4, 0x0a000001),
	       "failed requests left the table as it was");
	op25b_table_free(t);
}

static void overlaps(void)
{
	static const char *const init[] = {
		"10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "11.0.0.0/8",
		"12.0.0.0/8", "255.255.255.255",
	};
	struct op25b_table *t = build(init, 6), *nt;
	struct op25b_entry b[2], e;
	u32 bad;

	tap_ok(t->keys4.niv == 2, "overlapping and adjacent prefixes collapse "
	       "into 2 intervals (got %u)", t->keys4.niv);
	tap_ok(op25b_table_find4(t, 0x0a010203, &e) && e.plen == 32,
	       "the most specific entry explains a match");
	tap_ok(op25b_table_find4(t, 0x0a010204, &e) && e.plen == 16,
	       "then the next most specific");
	b[0] = entry("10.0.0.0/8");
	b[0].pos = 0;
	if (op25b_table_apply(t, OP25B_OP_DEL, b, 1, 100, &nt, &bad))
		abort();
	tap_ok(has4(&nt->v4, 0x0a010001) &&
	       !has4(&nt->v4, 0x0a020001) &&
	       !has4(&nt->v4, 0x0a000001) &&
	       has4(&nt->v4, 0x0b000001),
	       "deleting the /8 keeps exactly what the others cover");
	tap_ok(has4(&nt->v4, 0xffffffff) &&
	       !has4(&nt->v4, 0xfffffffe),
	       "the last address of the space is handled");
	op25b_table_free(t);
	op25b_table_free(nt);
}

static struct op25b_packet pkt4(const char *src, const char *dst, u16 port,
				const char *iif)
{
	struct op25b_packet p = { .family = 4, .proto = 6, .dport = port };

	p.src4 = entry(src).v4;
	p.dst4 = entry(dst).v4;
	p.iifname = iif;
	return p;
}

static void decide(void)
{
	static const char *const subs[] = { "10.10.0.0/16", "iif ppp+",
					    "iif wan0" };
	static const char *const allow[] = { "192.0.2.25" };
	static const char *const exempt[] = { "10.10.9.0/24" };
	static const char *const target[] = { "198.51.100.0/24" };
	struct op25b_policy pol;
	struct op25b_packet p;

	op25b_settings_default(&pol.set);
	pol.tables[OP25B_TABLE_SUBSCRIBER] = build(subs, 3);
	pol.tables[OP25B_TABLE_ALLOW] = build(allow, 1);
	pol.tables[OP25B_TABLE_EXEMPT] = build(exempt, 1);
	pol.tables[OP25B_TABLE_TARGET] = build(target, 1);

	p = pkt4("10.10.0.2", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_BLOCKED,
	       "subscriber to a foreign MTA is blocked");
	p = pkt4("10.10.0.2", "192.0.2.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_ALLOWED_MTA,
	       "subscriber to the ISP's MTA passes");
	p = pkt4("10.10.0.2", "198.51.100.25", 587, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_NOT_SMTP,
	       "port 587 passes");
	p = pkt4("10.10.0.2", "198.51.100.25", 25, "eth0");
	p.proto = 17;
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_NOT_SMTP,
	       "UDP to 25 passes");
	p = pkt4("10.20.0.2", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_NOT_SUBSCRIBER,
	       "a non-subscriber passes");
	p = pkt4("10.10.9.7", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_EXEMPT,
	       "an exempt subscriber passes");
	p = pkt4("10.20.0.2", "198.51.100.25", 25, "ppp7");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_BLOCKED,
	       "a packet from ppp+ is a subscriber's");
	p = pkt4("10.20.0.2", "198.51.100.25", 25, "wan0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_BLOCKED,
	       "an exact interface name matches");
	p = pkt4("10.20.0.2", "198.51.100.25", 25, "wan01");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_NOT_SUBSCRIBER,
	       "an exact name does not match a longer one");
	pol.set.scope = OP25B_SCOPE_TARGETS;
	p = pkt4("10.10.0.2", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_BLOCKED,
	       "scope targets: a target is blocked");
	p = pkt4("10.10.0.2", "203.0.113.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_NOT_TARGET,
	       "scope targets: another destination passes");
	p = pkt4("10.10.0.2", "192.0.2.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_ALLOWED_MTA,
	       "scope targets: the allowlist is decided first");
	pol.set.scope = OP25B_SCOPE_ALL;
	p = pkt4("10.10.0.2", "203.0.113.25", 25, "eth0");
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_BLOCKED,
	       "scope all: any foreign destination is blocked");
	pol.set.mode = OP25B_MODE_MONITOR;
	p = pkt4("10.10.0.2", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_verdict_of(pol.set.mode, op25b_decide(&pol, &p)) ==
	       OP25B_VERDICT_MONITOR, "monitor mode would block, passes");
	pol.set.mode = OP25B_MODE_OFF;
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_MODE_OFF,
	       "off passes everything");
	for (int i = 0; i < __OP25B_TABLE_MAX; i++)
		op25b_table_free(pol.tables[i]);
}

static struct op25b_entry noted(const char *s, const char *comment)
{
	struct op25b_entry e = entry(s);

	e.comment = comment;
	return e;
}

static const char *comment_of(const struct op25b_table *t, const char *s)
{
	struct op25b_entry want = entry(s), e;
	u32 i;

	for (i = 0; i < op25b_table_size(t); i++) {
		op25b_table_get(t, i, &e);
		if (!op25b_entry_cmp(&e, &want))
			return e.comment ? e.comment : "";
	}
	return "(absent)";
}

static void comments(void)
{
	struct op25b_table *t0 = op25b_table_new(), *t1, *t2, *t3;
	struct op25b_entry b[4];
	u32 bad;
	char long_text[70];

	b[0] = noted("10.0.0.0/8", "ticket 4711, static IP plan");
	b[1] = noted("192.0.2.1", NULL);
	b[2] = noted("2001:db8::/32", "\xe6\x97\xa5\xe6\x9c\xac");
	tap_ok(!op25b_table_apply(t0, OP25B_OP_ADD, b, 3, 100, &t1, &bad),
	       "entries with comments are added");
	tap_ok(!strcmp(comment_of(t1, "10.0.0.0/8"),
		       "ticket 4711, static IP plan") &&
	       !strcmp(comment_of(t1, "192.0.2.1"), "") &&
	       !strcmp(comment_of(t1, "2001:db8::/32"),
		       "\xe6\x97\xa5\xe6\x9c\xac"),
	       "each entry keeps its own comment");
	b[0] = noted("10.0.0.1", "new");
	tap_ok(!op25b_table_apply(t1, OP25B_OP_ADD, b, 1, 100, &t2, &bad) &&
	       !strcmp(comment_of(t2, "10.0.0.0/8"),
		       "ticket 4711, static IP plan") &&
	       !strcmp(comment_of(t2, "10.0.0.1"), "new"),
	       "an add keeps the old entries' comments");
	b[0] = noted("10.0.0.0/8", NULL);
	tap_ok(!op25b_table_apply(t2, OP25B_OP_DEL, b, 1, 100, &t3, &bad) &&
	       !strcmp(comment_of(t3, "10.0.0.1"), "new") &&
	       !strcmp(comment_of(t3, "2001:db8::/32"),
		       "\xe6\x97\xa5\xe6\x9c\xac") &&
	       !strcmp(comment_of(t3, "10.0.0.0/8"), "(absent)"),
	       "a delete keeps the remaining comments");
	op25b_table_free(t3);
	b[0] = noted("10.0.0.0/8", NULL);
	b[1] = noted("10.0.0.1", NULL);
	b[2] = noted("2001:db8::/32", NULL);
	tap_ok(!op25b_table_apply(t2, OP25B_OP_DEL, b, 3, 100, &t3, &bad) &&
	       !t3->note, "no comment left, no comment pool");
	op25b_table_free(t3);

	memset(long_text, 'x', sizeof(long_text));
	long_text[OP25B_COMMENT_MAX] = '\0';
	b[0] = noted("10.9.0.0/16", long_text);
	tap_ok(!op25b_entry_validate(&b[0]), "64 bytes of comment are fine");
	long_text[OP25B_COMMENT_MAX] = 'x';
	long_text[OP25B_COMMENT_MAX + 1] = '\0';
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_COMMENT,
	       "65 bytes are too many");
	b[0].comment = "tab\there";
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_COMMENT,
	       "control characters are refused");
	b[0].comment = "\xc3\x28";
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_COMMENT,
	       "broken UTF-8 is refused");
	b[0].comment = "\xed\xa0\x80";
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_COMMENT,
	       "UTF-16 surrogates are refused");
	b[0].comment = "\xc0\xaf";
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_COMMENT,
	       "overlong encodings are refused");
	b[0].comment = "caf\xc3\xa9 \xf0\x9f\x93\xa7";
	tap_ok(!op25b_entry_validate(&b[0]), "accents and emoji are fine");
	op25b_table_free(t0);
	op25b_table_free(t1);
	op25b_table_free(t2);
}

/* ---- the lookup structure: scale, clusters, thresholds, extremes ---- */

/*
 * An independent reference for big tables: the prefixes sorted and
 * merged into intervals (checked against naive_has() on small ones),
 * membership by binary search.
 */
struct ref {
	size_t n;
	__uint128_t *s, *e;	/* IPv4 in the low 32 bits */
};

static int cmp_entry(const void *a, const void *b)
{
	return op25b_entry_cmp(a, b);
}

static void ref_build(struct ref *r, const struct op25b_entry *p, size_t n,
		      bool v6)
{
	struct op25b_entry *q = malloc(sizeof(*q) * (n ? n : 1));
	size_t i;

	memcpy(q, p, sizeof(*q) * n);
	qsort(q, n, sizeof(*q), cmp_entry);
	r->s = malloc(sizeof(*r->s) * (n ? n : 1));
	r->e = malloc(sizeof(*r->e) * (n ? n : 1));
	r->n = 0;
	for (i = 0; i < n; i++) {
		__uint128_t s = v6 ? q[i].v6 : q[i].v4;
		__uint128_t e = v6 ? s | ~op25b_mask6(q[i].plen) :
				     s | (u32)~op25b_mask4(q[i].plen);

		if (r->n && (s <= r->e[r->n - 1] || s - 1 == r->e[r->n - 1])) {
			if (e > r->e[r->n - 1])
				r->e[r->n - 1] = e;
			continue;
		}
		r->s[r->n] = s;
		r->e[r->n++] = e;
	}
	free(q);
}

static bool ref_has(const struct ref *r, __uint128_t a)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->s[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && a <= r->e[lo - 1];
}

static void ref_free(struct ref *r)
{
	free(r->s);
	free(r->e);
}

/* Levels and slots of a set's tree, by walking it as the lookups do. */
struct shape {
	u32 depth, slots, leaves, nodes;
	u32 none_at;		/* a NODES top's shared empty child, or ~0 */
};

/*
 * Walks the slots @t, nb buckets of 2^sh from b0, and what they lead to;
 * @t NULL: the top level of @s, whatever its kind.
 */
static void walk4(const struct op25b_set4 *s, const struct op25b_slot4 *t,
		  u32 nb, u32 sh, u32 b0, u32 depth, struct shape *w)
{
	u32 j, k, at;

	if (!t)
		op25b_set4_top(s, 0, &nb, &sh, &b0);
	if (depth > w->depth)
		w->depth = depth;
	w->slots += nb;
	for (j = 0; j < nb; j++) {
		struct op25b_slot4 e = t ? t[j] :
				       op25b_set4_top(s, j, &nb, &sh, &b0);
		u32 bs = b0 + (j << sh), csh = e.y & 31;

		if (e.y < OP25B_SLOT4_LEAF)
			continue;
		if (e.y < OP25B_SLOT4_NODE) {
			w->leaves++;
			w->slots += 1U << (e.y & 31);
			continue;
		}
		w->nodes++;
		at = e.x + (bs >> csh);
		/* the empty buckets of a NODES top share one child */
		if (at == w->none_at)
			continue;
		walk4(s, s->ext + at, 1U << (sh - csh), csh, bs, depth + 1, w);
		for (k = 0; k < 1U << (sh - csh) && !s->ext[at + k].y; k++)
			;
		if (depth == 1 && k == 1U << (sh - csh))
			w->none_at = at;
	}
}

/* Bytes of an IPv4 set's top level, in slots of 8 bytes. */
static size_t top4_slots(const struct op25b_set4 *s)
{
	return s->kind == OP25B_TOP4_SPAN ? s->ntop :
	       s->kind == OP25B_TOP4_DIRECT ? OP25B_TOP4_SLOTS :
					      OP25B_TOP4_SLOTS / 2;
}

static void walk6(const struct op25b_set6 *s, const union op25b_slot6 *t,
		  u32 nb, u32 depth, struct shape *w)
{
	u32 j;

	if (depth > w->depth)
		w->depth = depth;
	w->slots += nb;
	for (j = 0; j < nb; j++) {
		u64 y = t[j].y;

		if (y < OP25B_SLOT6_LEAF)
			continue;
		if (y < OP25B_SLOT6_NODE) {
			w->leaves++;
			w->slots += (1U << (y & 31)) <<
				    !!(y & OP25B_SLOT6_WIDE);
			continue;
		}
		w->nodes++;
		walk6(s, s->ext + (u32)t[j].x, 1U << ((y >> 8) & 31),
		      depth + 1, w);
	}
}

static __uint128_t rnd128(void)
{
	return (__uint128_t)rnd() << 64 | rnd();
}

/*
 * Probes a table against the reference: both sides of every interval
 * edge, both sides of top-level bucket edges, and random addresses, half
 * near an interval.  Returns the mismatches.
 */
static size_t probe(const struct op25b_table *t, const struct ref *r, bool v6)
{
	__uint128_t max = v6 ? ~(__uint128_t)0 : 0xffffffffU, a, span;
	size_t bad = 0, i;
	int k;

#define PROBE(x) do {							\
		__uint128_t x_ = (x) & max;				\
		bool h_ = v6 ? op25b_set6_has(&t->v6, x_) :		\
			       has4(&t->v4, (u32)x_);		\
		bad += h_ != ref_has(r, x_);				\
	} while (0)

	for (i = 0; i < r->n; i++) {
		PROBE(r->s[i] - 1);
		PROBE(r->s[i]);
		PROBE(r->e[i]);
		PROBE(r->e[i] + 1);
	}
	for (i = 0; i < 4096; i++) {
		u32 ntop = t->v6.ntop, sh = t->v6.shift, b0;
		__uint128_t base = t->v6.base, j;

		if (!v6) {
			op25b_set4_top(&t->v4, 0, &ntop, &sh, &b0);
			base = b0;
		}
		j = ntop ? rnd() % (ntop + 1) : 0;

		PROBE(base + (j << sh) - 1);
		PROBE(base + (j << sh));
	}
	for (i = 0; i < 20000; i++) {
		a = rnd128();
		if (r->n && (i & 1)) {
			k = (int)(rnd() % r->n);
			span = r->e[k] - r->s[k] + 3;
			a = r->s[k] - 1 + (span ? a % span : a);
		}
		PROBE(a);
	}
#undef PROBE
	return bad;
}

static struct op25b_entry mk(bool v6, __uint128_t a, unsigned int plen)
{
	return v6 ? pfx6(a, plen) : pfx4((u32)a, plen);
}

/* Distinct entries of @p (in place), sorted; returns how many remain. */
static size_t distinct(struct op25b_entry *p, size_t n)
{
	size_t i, k = 0;

	qsort(p, n, sizeof(*p), cmp_entry);
	for (i = 0; i < n; i++)
		if (!k || op25b_entry_cmp(&p[k - 1], &p[i]))
			p[k++] = p[i];
	for (i = 0; i < k; i++)
		p[i].pos = i;
	return k;
}

/* IPv4 tables checked, by kind of top level (enum op25b_top4_kind) */
static unsigned int kinds_seen[3];

/*
 * Builds a table of @p and checks it: lookups against the reference, the
 * interval count, depth within bounds and memory per interval bounded.
 */
static void check_table(const char *what, struct op25b_entry *p, size_t n,
			bool v6)
{
	struct op25b_table *e0 = op25b_table_new(), *t;
	struct shape w = { 0 };
	size_t bad = 0, niv, slots;
	struct ref r;
	u32 pos;
	int err;

	n = distinct(p, n);
	ref_build(&r, p, n, v6);
	err = op25b_table_apply(e0, OP25B_OP_ADD, p, n, 1U << 22, &t, &pos);
	if (err) {
		tap_ok(0, "%s: build failed (%s)", what,
		       op25b_table_strerror(err));
		goto out;
	}
	bad = probe(t, &r, v6);
	niv = v6 ? t->keys6.niv : t->keys4.niv;
	w.none_at = ~0U;
	if (v6 && t->v6.ntop) {
		walk6(&t->v6, t->v6.slot, t->v6.ntop, 1, &w);
	} else if (!v6 && niv) {
		u32 nb, sh, b0;

		op25b_set4_top(&t->v4, 0, &nb, &sh, &b0);
		walk4(&t->v4, NULL, 0, 0, 0, 1, &w);
		/* a NODES top is x only: in slots of 8 bytes, half */
		w.slots -= nb - top4_slots(&t->v4);
	}
	slots = v6 ? (size_t)t->v6.ntop + t->keys6.next :
		     top4_slots(&t->v4) + t->keys4.next;
	if (!v6 && niv)
		kinds_seen[t->v4.kind]++;
	/*
	 * Top level at most 2^(fls(niv) + 4) slots (or 4), or IPv4's fixed
	 * one (2^16), below it at most 16 slots per interval per level,
	 * alignment included.
	 */
	tap_ok(!bad && niv == r.n && w.depth <= 8 && w.slots <= slots &&
	       (!niv || slots <= (v6 || t->v4.kind == OP25B_TOP4_SPAN ?
				  16 * (2 * niv + 2) : OP25B_TOP4_SLOTS) +
				 16 * niv * w.depth),
	       "%s: %zu entries, %zu intervals, %zu slots, depth %u, %u leaves, "
	       "%u child arrays: lookups match the reference (%zu mismatches)",
	       what, n, niv, slots, w.depth, w.leaves, w.nodes, bad);
	op25b_table_free(t);
out:
	op25b_table_free(e0);
	ref_free(&r);
}

/* The reference itself, against the naive scan. */
static void reference(void)
{
	struct op25b_entry p[200];
	size_t bad = 0, i, n;
	struct ref r;
	int v;

	for (v = 0; v < 2; v++) {
		for (i = 0; i < 200; i++)
			p[i] = random_prefix(v, 8 + rnd() % 12);
		n = distinct(p, 200);
		ref_build(&r, p, n, v);
		for (i = 0; i < 20000; i++) {
			struct op25b_entry a = random_prefix(v, 8);

			a.plen = v ? 128 : 32;
			if (!v)
				a.v4 |= rnd() & 0xff;
			bad += ref_has(&r, v ? a.v6 : a.v4) !=
			       naive_has(p, n, &a);
		}
		ref_free(&r);
	}
	tap_ok(!bad, "the scale tests' reference equals the naive scan (%zu mismatches)",
	       bad);
}

/* Disjoint, non-adjacent single addresses: exactly n intervals. */
static void singles(bool v6, size_t n, const char *what)
{
	struct op25b_entry *p = malloc(sizeof(*p) * (n ? n : 1));
	size_t i, k;

	do {
		for (i = 0; i < n; i++)
			p[i] = v6 ? pfx6(rnd128() << 1, 128) :
				    pfx4((u32)rnd() << 1, 32);
		k = distinct(p, n);
	} while (k != n);
	check_table(what, p, n, v6);
	free(p);
}

/* RIB-like: lengths as in the benchmark, over the whole space. */
static void rib(bool v6, size_t n)
{
	struct op25b_entry *p = malloc(sizeof(*p) * n);
	char what[64];
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int l = v6 ? 32 + rnd() % 33 : 16 + rnd() % 9;

		if (rnd() % 10 == 0)
			l = v6 ? 128 : 32;
		p[i] = mk(v6, v6 ? rnd128() >> 3 | (__uint128_t)1 << 125 :
				  rnd(), l);
	}
	snprintf(what, sizeof(what), "%s RIB-like", v6 ? "ipv6" : "ipv4");
	check_table(what, p, n, v6);
	free(p);
}

/*
 * Clustered: a carrier's subscribers, mostly single addresses and small
 * prefixes, in a few blocks spread over the space (crowded buckets, child
 * arrays; on IPv6 windows far smaller than the bucket).
 */
static void clustered(bool v6, size_t n, unsigned int blocks,
		      unsigned int blen)
{
	struct op25b_entry *p = malloc(sizeof(*p) * (n + 2));
	__uint128_t base[16];
	unsigned int bits = v6 ? 128 : 32;
	char what[80];
	size_t i;

	for (i = 0; i < blocks; i++)
		base[i] = v6 ? rnd128() : rnd();
	for (i = 0; i < n; i++) {
		/* mostly single addresses, else up to 2^8 of them */
		unsigned int l = rnd() % 4 ? bits : bits - rnd() % 9;
		__uint128_t a = base[rnd() % blocks];

		a &= v6 ? op25b_mask6(blen) : op25b_mask4(blen);
		a |= rnd128() & (v6 ? ~op25b_mask6(blen) :
				 (u32)~op25b_mask4(blen));
		p[i] = mk(v6, a, l);
	}
	snprintf(what, sizeof(what), "%s clustered: %u /%u blocks",
		 v6 ? "ipv6" : "ipv4", blocks, blen);
	check_table(what, p, n, v6);
	free(p);
}

/*
 * Dense: single addresses one apart in a tiny range, plus the two ends of
 * the space, so that the range is a speck in a huge bucket and splitting
 * cannot separate them (leaves, or on IPv6 chains of windows).
 */
static void dense(bool v6, size_t n, unsigned int gap)
{
	struct op25b_entry *p = malloc(sizeof(*p) * (n + 2));
	__uint128_t a0 = v6 ? rnd128() : rnd();
	char what[64];
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = mk(v6, a0 + gap * i, v6 ? 128 : 32);
	p[n] = mk(v6, 0, v6 ? 128 : 32);
	p[n + 1] = mk(v6, ~(__uint128_t)0, v6 ? 128 : 32);
	snprintf(what, sizeof(what), "%s dense: %zu addresses %u apart",
		 v6 ? "ipv6" : "ipv4", n, gap);
	check_table(what, p, n + 2, v6);
	free(p);
}

static void extremes(void)
{
	static const char *const cases[][4] = {
		{ "0.0.0.0/0" },
		{ "0.0.0.0/32", "255.255.255.255/32" },
		{ "0.0.0.0/1", "128.0.0.0/1" },
		{ "0.0.0.0/32" },
		{ "255.255.255.255/32" },
		{ "10.0.0.0/8", "10.0.0.0/32", "255.255.255.254/31" },
		{ "::/0" },
		{ "::/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" },
		{ "::/1", "8000::/1" },
		{ "::/128" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" },
		{ "::/64", "0:0:0:1::/64", "ffff:ffff:ffff:ffff::/64" },
		/* around the 2^64 boundary of direct slots */
		{ "::ffff:ffff:ffff:ffff/128", "0:0:0:1::/128" },
		{ "2001:db8::/63", "2001:db8:0:2::/127", "2001:db8:0:3::/64" },
	};
	struct op25b_entry p[4];
	size_t c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		for (i = 0; i < 4 && cases[c][i]; i++)
			p[i] = entry(cases[c][i]);
		check_table(cases[c][0], p, i, p[0].kind == OP25B_KIND_IPV6);
	}
}

/*
 * IPv6 shifts 62 and 64 (never 63): two /128s whose span makes the top
 * level's shift land there, for each table size around it.
 */
static void shifts6(void)
{
	struct op25b_entry p[40];
	size_t n, i;
	char what[64];

	for (n = 2; n <= 40; n += 2) {
		for (i = 0; i < n; i++)
			p[i] = pfx6((__uint128_t)i << (58 + rnd() % 12) |
				    rnd(), 128 - rnd() % 3);
		snprintf(what, sizeof(what), "ipv6 spans near 2^64, %zu entries",
			 n);
		check_table(what, p, n, true);
	}
}

/* Buckets holding exactly the leaf limits and one more. */
static void leaf_limits(void)
{
	struct op25b_entry p[64];
	size_t k, i;
	char what[64];
	int v;

	for (v = 0; v < 2; v++) {
		for (k = 2; k <= 10; k++) {
			/* k intervals in one spot, two far away */
			__uint128_t a0 = v ? rnd128() : rnd();

			for (i = 0; i < k; i++)
				p[i] = mk(v, a0 + 4 * i, v ? 127 : 31);
			p[k] = mk(v, 0, v ? 128 : 32);
			p[k + 1] = mk(v, ~(__uint128_t)0, v ? 128 : 32);
			snprintf(what, sizeof(what), "%s %zu intervals in one bucket",
				 v ? "ipv6" : "ipv4", k);
			check_table(what, p, k + 2, v);
		}
	}
}

/* A batch that leaves a family alone shares its arrays, safely. */
static void sharing(void)
{
	static const char *const init[] = { "10.0.0.0/8", "2001:db8::/32" };
	struct op25b_table *t = build(init, 2), *nt;
	struct op25b_entry b[1];
	u32 bad;
	bool same;

	b[0] = entry("192.0.2.0/24");
	b[0].pos = 0;
	if (op25b_table_apply(t, OP25B_OP_ADD, b, 1, 100, &nt, &bad))
		abort();
	same = nt->v6.slot == t->v6.slot && nt->keys6.addr == t->keys6.addr &&
	       nt->v4.top != t->v4.top;
	op25b_table_free(t);
	tap_ok(same && op25b_set6_has(&nt->v6, entry("2001:db8::1").v6) &&
	       !op25b_set6_has(&nt->v6, entry("2001:db9::1").v6) &&
	       has4(&nt->v4, entry("192.0.2.1").v4),
	       "an IPv4 batch shares the IPv6 arrays, which outlive the old table");
	op25b_table_free(nt);
}

static void scale(void)
{
	static const size_t sizes4[] = {
		1, 2, 3, 8, 9, 63, 64, 100, 1023, 1024, 1025, 4095, 4096,
		4097, 16383, 16384, 32767, 32768, 32769,
	};
	static const size_t sizes6[] = { 1, 2, 5, 100, 32767, 32768, 32769 };
	char what[64];
	size_t i;

	reference();
	for (i = 0; i < ARRAY_SIZE(sizes4); i++) {
		snprintf(what, sizeof(what), "ipv4 %zu single addresses", sizes4[i]);
		singles(false, sizes4[i], what);
	}
	for (i = 0; i < ARRAY_SIZE(sizes6); i++) {
		snprintf(what, sizeof(what), "ipv6 %zu single addresses", sizes6[i]);
		singles(true, sizes6[i], what);
	}
	rib(false, 100000);
	rib(true, 50000);
	clustered(false, 50000, 16, 12);
	clustered(false, 1000, 16, 12);
	clustered(false, 5000, 2, 16);
	clustered(true, 50000, 4, 32);
	clustered(true, 20000, 3, 64);
	clustered(true, 2000, 2, 100);
	dense(false, 1000, 2);
	dense(true, 1000, 2);
	dense(true, 300, 1000);
	extremes();
	shifts6();
	leaf_limits();
	sharing();
	tap_ok(kinds_seen[OP25B_TOP4_SPAN] && kinds_seen[OP25B_TOP4_DIRECT] &&
	       kinds_seen[OP25B_TOP4_NODES],
	       "IPv4 tables of every kind of top level checked (span %u, "
	       "direct %u, nodes %u)", kinds_seen[OP25B_TOP4_SPAN],
	       kinds_seen[OP25B_TOP4_DIRECT], kinds_seen[OP25B_TOP4_NODES]);
}

static struct op25b_entry timed(const char *s, u32 timeout, u64 expires,
				const char *comment)
{
	struct op25b_entry e = noted(s, comment);

	e.timeout = timeout;
	e.expires = expires;
	return e;
}

/* The entry @s of @t, or kind 0xff if it is not there. */
static struct op25b_entry entry_of(const struct op25b_table *t, const char *s)
{
	struct op25b_entry want = entry(s), e;
	u32 i;

	for (i = 0; i < op25b_table_size(t); i++) {
		op25b_table_get(t, i, &e);
		if (!op25b_entry_cmp(&e, &want))
			return e;
	}
	memset(&e, 0, sizeof(e));
	e.kind = 0xff;
	return e;
}

static void timeouts_refresh(void)
{
	struct op25b_table *t0 = op25b_table_new(), *t1, *t2, *t3;
	struct op25b_entry b[4], e;
	u32 bad;

	b[0] = timed("10.0.0.1", 60, 160, "ticket 1");
	b[1] = timed("10.0.0.2", 0, 0, NULL);
	b[2] = timed("2001:db8::1", 3600, 3700, NULL);
	tap_ok(!op25b_table_apply(t0, OP25B_OP_ADD, b, 3, 100, &t1, &bad) &&
	       t1->ntimed == 2 && t1->next_expiry == 160,
	       "timed entries are counted, with the first expiry");
	e = entry_of(t1, "2001:db8::1");
	tap_ok(e.timeout == 3600 && e.expires == 3700 &&
	       !entry_of(t1, "10.0.0.2").timeout,
	       "each entry keeps its own timeout; no timeout is permanent");

	b[0] = timed("10.0.0.1", 120, 300, NULL);
	b[1] = timed("10.0.0.3", 0, 0, NULL);
	tap_ok(!op25b_table_apply(t1, OP25B_OP_ADD, b, 2, 100, &t2, &bad) &&
	       op25b_table_size(t2) == 4, "an add refreshes a timed entry");
	e = entry_of(t2, "10.0.0.1");
	tap_ok(e.timeout == 120 && e.expires == 300 &&
	       e.comment && !strcmp(e.comment, "ticket 1") &&
	       t2->next_expiry == 300 && t2->ntimed == 2,
	       "the refresh moves the expiry and keeps the comment");
	tap_ok(table_has(t2, &b[0]) && table_has(t2, &b[1]),
	       "lookups see the refreshed and the new entry");
	op25b_table_free(t1);

	b[0] = timed("10.0.0.1", 0, 0, "now permanent");
	tap_ok(!op25b_table_apply(t2, OP25B_OP_ADD, b, 1, 100, &t3, &bad) &&
	       !entry_of(t3, "10.0.0.1").timeout && t3->ntimed == 1 &&
	       !strcmp(entry_of(t3, "10.0.0.1").comment, "now permanent"),
	       "an add without a timeout makes a timed entry permanent");
	b[0] = timed("2001:db8::1", 0, 0, NULL);
	op25b_table_free(t2);
	tap_ok(!op25b_table_apply(t3, OP25B_OP_ADD, b, 1, 100, &t2, &bad) &&
	       !t2->ntimed && !t2->ttl,
	       "no timed entry left, no timeout array");
	op25b_table_free(t3);
	b[0] = timed("10.0.0.2", 60, 60, NULL);
	tap_ok(op25b_table_apply(t2, OP25B_OP_ADD, b, 1, 100, &t3, &bad) ==
	       OP25B_TERR_EXISTS, "a permanent entry does not become timed");
	b[0] = timed("10.0.0.5", 60, 60, NULL);
	b[1] = timed("10.0.0.6", 60, 60, NULL);
	tap_ok(op25b_table_apply(t2, OP25B_OP_ADD, b, 2, 5, &t3, &bad) ==
	       OP25B_TERR_FULL, "timed entries count against the bound");
	op25b_table_free(t2);
	op25b_table_free(t0);
}

static void timeouts_expire(void)
{
	struct op25b_table *t0 = op25b_table_new(), *t1, *t2;
	struct op25b_entry b[5];
	u32 bad, n[2];

	b[0] = timed("10.0.0.0/24", 10, 110, "a");
	b[1] = timed("10.0.1.0/24", 20, 120, NULL);
	b[2] = timed("10.0.2.0/24", 0, 0, "permanent");
	b[3] = timed("2001:db8::/48", 10, 110, NULL);
	b[4] = timed("2001:db8:1::/48", 30, 130, NULL);
	tap_ok(!op25b_table_apply(t0, OP25B_OP_ADD, b, 5, 100, &t1, &bad),
	       "timed entries of both families are added");
	tap_ok(!op25b_table_expire(t1, 109, &t2, n) &&
	       op25b_table_size(t2) == 5 && !n[0] && !n[1],
	       "nothing is due before the first expiry");
	op25b_table_free(t2);
	tap_ok(!op25b_table_expire(t1, 120, &t2, n) && n[0] == 2 && n[1] == 1 &&
	       op25b_table_size(t2) == 2 && t2->ntimed == 1 &&
	       t2->next_expiry == 130,
	       "everything due goes in one rebuild, counted per family");
	tap_ok(!table_has(t2, &b[0]) && !table_has(t2, &b[1]) &&
	       table_has(t2, &b[2]) && !table_has(t2, &b[3]) &&
	       table_has(t2, &b[4]) &&
	       !strcmp(entry_of(t2, "10.0.2.0/24").comment, "permanent"),
	       "lookups lose exactly the expired entries");
	op25b_table_free(t1);
	b[0] = timed("10.0.0.1", 10, 110, NULL);
	b[0].kind = OP25B_KIND_IIF;
	strcpy(b[0].ifname, "eth0");
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_TIMEOUT_IIF,
	       "interface patterns cannot expire");
	b[0] = timed("10.0.0.1", OP25B_TIMEOUT_MAX + 1, 0, NULL);
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_TIMEOUT,
	       "a timeout over 365 days is refused");
	b[0] = timed("10.0.0.1", 60, 0, NULL);
	b[0].left = 61;
	tap_ok(op25b_entry_validate(&b[0]) == OP25B_TERR_TIMEOUT,
	       "more left than the timeout is refused");
	op25b_table_free(t2);
	op25b_table_free(t0);
}

/*
 * Random adds, refreshes, deletes and expiries against a model: a list
 * of (address, timeout, expires) in which a refresh overwrites.
 */
struct model_entry {
	u32 a;
	u32 timeout;
	u64 expires;
	bool live;
};

static void timeouts_property(void)
{
	static struct model_entry m[256];
	struct op25b_table *t = op25b_table_new(), *nt;
	struct op25b_entry b[8], e;
	u32 bad, n[2], now = 1000, i, k, mism = 0, rounds;

	memset(m, 0, sizeof(m));
	for (rounds = 0; rounds < 2000; rounds++) {
		u32 nb = 1 + rnd() % 4;
		bool del = rnd() % 4 == 0;
		u8 used[256] = { 0 };
		enum op25b_table_err err;

		k = 0;
		for (i = 0; i < nb; i++) {
			u32 a = rnd() % 256;

			if (used[a] || (del && !m[a].live) ||
			    (!del && m[a].live && !m[a].timeout))
				continue;
			used[a] = 1;
			b[k] = pfx4(0x0a000000 | a, 32);
			b[k].timeout = rnd() % 3 ? 1 + rnd() % 20 : 0;
			b[k].expires = b[k].timeout ? now + b[k].timeout : 0;
			b[k].pos = k;
			k++;
		}
		if (!k)
			continue;
		err = op25b_table_apply(t, del ? OP25B_OP_DEL : OP25B_OP_ADD,
					b, k, 1000, &nt, &bad);
		if (err) {
			mism++;
			continue;
		}
		op25b_table_free(t);
		t = nt;
		for (i = 0; i < k; i++) {
			struct model_entry *me = &m[b[i].v4 & 0xff];

			me->live = !del;
			me->timeout = b[i].timeout;
			me->expires = b[i].expires;
		}
		now += rnd() % 3;
		if (op25b_table_expire(t, now, &nt, n)) {
			mism++;
			continue;
		}
		op25b_table_free(t);
		t = nt;
		for (i = 0; i < 256; i++)
			if (m[i].live && m[i].timeout && m[i].expires <= now)
				m[i].live = false;
	}
	for (i = 0, k = 0; i < 256; i++) {
		struct op25b_entry want = pfx4(0x0a000000 | i, 32);

		if (!m[i].live) {
			mism += table_has(t, &want);
			continue;
		}
		op25b_table_get(t, k++, &e);
		mism += op25b_entry_cmp(&e, &want) || e.timeout != m[i].timeout ||
			(e.timeout && e.expires != m[i].expires);
	}
	tap_ok(!mism && k == op25b_table_size(t),
	       "2000 rounds of adds, refreshes, deletes and expiries match the model (%u mismatches)",
	       mism);
	op25b_table_free(t);
}

int main(void)
{
	errors();
	comments();
	timeouts_refresh();
	timeouts_expire();
	timeouts_property();
	overlaps();
	decide();
	property(false, 300, 40);
	property(true, 300, 40);
	property(false, 50, 1);
	scale();
	return tap_done();
}

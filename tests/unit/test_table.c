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

static bool table_has(const struct op25b_table *t, const struct op25b_entry *a)
{
	return a->kind == OP25B_KIND_IPV4 ? op25b_set4_has(&t->v4, a->v4) :
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
	       op25b_set4_has(&t->v4, 0x0a000001),
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

	tap_ok(t->v4.niv == 2, "overlapping and adjacent prefixes collapse "
	       "into 2 intervals (got %u)", t->v4.niv);
	tap_ok(op25b_table_find4(t, 0x0a010203, &e) && e.plen == 32,
	       "the most specific entry explains a match");
	tap_ok(op25b_table_find4(t, 0x0a010204, &e) && e.plen == 16,
	       "then the next most specific");
	b[0] = entry("10.0.0.0/8");
	b[0].pos = 0;
	if (op25b_table_apply(t, OP25B_OP_DEL, b, 1, 100, &nt, &bad))
		abort();
	tap_ok(op25b_set4_has(&nt->v4, 0x0a010001) &&
	       !op25b_set4_has(&nt->v4, 0x0a020001) &&
	       !op25b_set4_has(&nt->v4, 0x0a000001) &&
	       op25b_set4_has(&nt->v4, 0x0b000001),
	       "deleting the /8 keeps exactly what the others cover");
	tap_ok(op25b_set4_has(&nt->v4, 0xffffffff) &&
	       !op25b_set4_has(&nt->v4, 0xfffffffe),
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
	struct op25b_policy pol = { .mode = OP25B_MODE_ENFORCE };
	struct op25b_packet p;

	pol.tables[OP25B_TABLE_SUBSCRIBER] = build(subs, 3);
	pol.tables[OP25B_TABLE_ALLOW] = build(allow, 1);
	pol.tables[OP25B_TABLE_EXEMPT] = build(exempt, 1);

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
	pol.mode = OP25B_MODE_MONITOR;
	p = pkt4("10.10.0.2", "198.51.100.25", 25, "eth0");
	tap_ok(op25b_verdict_of(pol.mode, op25b_decide(&pol, &p)) ==
	       OP25B_VERDICT_MONITOR, "monitor mode would block, passes");
	pol.mode = OP25B_MODE_OFF;
	tap_ok(op25b_decide(&pol, &p) == OP25B_REASON_MODE_OFF,
	       "off passes everything");
	for (int i = 0; i < __OP25B_TABLE_MAX; i++)
		op25b_table_free(pol.tables[i]);
}

int main(void)
{
	errors();
	overlaps();
	decide();
	property(false, 300, 40);
	property(true, 300, 40);
	property(false, 50, 1);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup tables: what op25b_table.h declares, built from the sorted keys
 * of each family (op25b_keys.c), their lookup trees (op25b_lookup.c) and
 * the interface patterns, with the comments beside them.
 * Plain C shared by the module and the host-side tests.
 */
#include "op25b_keys.h"
#include "op25b_lookup.h"

static bool op25b_batch_sorted(const struct op25b_entry *b, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (op25b_entry_cmp(&b[i - 1], &b[i]) > 0)
			return false;
	return true;
}

/* ---- interface patterns: few, kept sorted by name ---- */

static int op25b_iif_cmp(const struct op25b_iif *p, const struct op25b_entry *e)
{
	return strncmp(p->name, e->ifname, IFNAMSIZ);
}

static enum op25b_table_err op25b_iif_merge(const struct op25b_table *old,
					    enum op25b_table_op op,
					    const struct op25b_entry *b,
					    u32 nb, struct op25b_table *t,
					    u32 *bad_pos)
{
	u32 i = 0, j = 0, k = 0;
	u32 n = op == OP25B_OP_ADD ? old->niif + nb : old->niif;

	if (n > OP25B_IIF_MAX) {
		*bad_pos = nb ? b[0].pos : 0;
		return OP25B_TERR_IIF_FULL;
	}
	t->iif = op25b_alloc_array(n ? n : 1, sizeof(*t->iif));
	if (!t->iif)
		return OP25B_TERR_NOMEM;
	while (i < old->niif || j < nb) {
		int c;

		if (i < old->niif && j < nb)
			c = op25b_iif_cmp(&old->iif[i], &b[j]);
		else
			c = i < old->niif ? -1 : 1;
		if (c < 0) {
			t->iif[k++] = old->iif[i++];
		} else if (c == 0) {
			if (op == OP25B_OP_ADD) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_EXISTS;
			}
			i++;
			j++;
		} else {
			struct op25b_iif *p = &t->iif[k];

			if (op == OP25B_OP_DEL) {
				*bad_pos = b[j].pos;
				return OP25B_TERR_MISSING;
			}
			memset(p, 0, sizeof(*p));
			memcpy(p->name, b[j].ifname, IFNAMSIZ);
			p->len = strnlen(p->name, IFNAMSIZ);
			p->wildcard = p->name[p->len - 1] == '+';
			if (p->wildcard)
				p->len--;
			k++;
			j++;
		}
	}
	t->niif = k;
	return OP25B_TERR_NONE;
}

/* ---- tables ---- */

/* An empty table needs no arrays: every reader checks the counts first. */
struct op25b_table *op25b_table_new(void)
{
	struct op25b_table *t = op25b_zalloc(sizeof(*t));

	if (t) {
		t->keys4.width = sizeof(u32);
		t->keys6.width = sizeof(__uint128_t);
	}
	return t;
}

void op25b_table_free(struct op25b_table *t)
{
	if (!t)
		return;
	op25b_keys_put(&t->keys4);
	op25b_keys_put(&t->keys6);
	op25b_free(t->iif);
	op25b_free(t->note);
	op25b_free(t->notes);
	op25b_free(t->ttl);
	op25b_free(t);
}

static const char *op25b_table_note(const struct op25b_table *t, u32 idx)
{
	return t->note && t->note[idx] ? t->notes + t->note[idx] : NULL;
}

static bool op25b_batch_has_extras(const struct op25b_entry *b, u32 n,
				   bool timeouts)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (timeouts ? b[i].timeout : b[i].comment && b[i].comment[0])
			return true;
	return false;
}

static void op25b_note_put(struct op25b_table *t, u32 idx, const char *text)
{
	size_t len;

	if (!text || !text[0])
		return;
	len = strlen(text) + 1;
	memcpy(t->notes + t->notes_len, text, len);
	t->note[idx] = t->notes_len;
	t->notes_len += len;
}

static void op25b_ttl_put(struct op25b_table *t, u32 idx,
			  const struct op25b_ttl *ttl)
{
	t->ttl[idx] = *ttl;
	if (!ttl->timeout)
		return;
	if (!t->ntimed++ || ttl->expires < t->next_expiry)
		t->next_expiry = ttl->expires;
}

static enum op25b_table_err op25b_extras_alloc(const struct op25b_table *old,
					       enum op25b_table_op op,
					       const struct op25b_entry *b,
					       u32 nb, struct op25b_table *t)
{
	u32 n = op25b_table_size(t), cap = 1, i;
	bool add = op == OP25B_OP_ADD;

	if (old->note || (add && op25b_batch_has_extras(b, nb, false))) {
		cap += old->notes_len;
		for (i = 0; add && i < nb; i++)
			if (b[i].comment)
				cap += strlen(b[i].comment) + 1;
		t->note = op25b_alloc_array(n ? n : 1, sizeof(*t->note));
		t->notes = op25b_alloc_array(cap, 1);
		if (!t->note || !t->notes)
			return OP25B_TERR_NOMEM;
		t->notes[0] = '\0';
		t->notes_len = 1;
	}
	if (old->ttl || (add && op25b_batch_has_extras(b, nb, true))) {
		t->ttl = op25b_alloc_array(n ? n : 1, sizeof(*t->ttl));
		if (!t->ttl)
			return OP25B_TERR_NOMEM;
	}
	return OP25B_TERR_NONE;
}

/* Frees what no entry of the finished @t uses. */
static void op25b_extras_trim(struct op25b_table *t)
{
	if (t->note && t->notes_len == 1) {
		op25b_free(t->note);
		op25b_free(t->notes);
		t->note = NULL;
		t->notes = NULL;
		t->notes_len = 0;
	}
	if (t->ttl && !t->ntimed) {
		op25b_free(t->ttl);
		t->ttl = NULL;
	}
}

/*
 * Gives the freshly merged @t the comments and timeouts of its entries:
 * each entry came either from the batch (an add, or a refresh) or from
 * @old, and all three lists are in the same order, so one walk over them
 * pairs every entry with its origin.
 */
static enum op25b_table_err op25b_table_extras(const struct op25b_table *old,
					       enum op25b_table_op op,
					       const struct op25b_entry *b,
					       u32 nb, struct op25b_table *t)
{
	u32 n = op25b_table_size(t), i = 0, j = 0, k;
	struct op25b_entry e, o;
	struct op25b_ttl ttl;
	enum op25b_table_err err;
	const char *note;

	err = op25b_extras_alloc(old, op, b, nb, t);
	if (err || (!t->note && !t->ttl))
		return err;
	for (k = 0; k < n; k++) {
		if (t->note)
			t->note[k] = 0;
		if (t->ttl)
			t->ttl[k].timeout = 0;
		op25b_table_get(t, k, &e);
		if (op == OP25B_OP_ADD && j < nb && !op25b_entry_cmp(&b[j], &e)) {
			note = b[j].comment;
			ttl.expires = b[j].expires;
			ttl.timeout = b[j++].timeout;
		} else {
			/* from @old: skip the entries deleted in between */
			for (;;) {
				op25b_table_get(old, i, &o);
				if (!op25b_entry_cmp(&o, &e))
					break;
				i++;
			}
			note = o.comment;
			ttl.expires = o.expires;
			ttl.timeout = o.timeout;
			i++;
		}
		if (t->note)
			op25b_note_put(t, k, note);
		if (t->ttl)
			op25b_ttl_put(t, k, &ttl);
		if (!(k & 0xffff))
			op25b_cond_resched();
	}
	op25b_extras_trim(t);
	return OP25B_TERR_NONE;
}

/*
 * Marks the entries of an add that are in @old with a timeout: the add
 * refreshes them (keeping their comment unless it brings one).  An entry
 * in @old without a timeout stays an error, as before timeouts: a
 * permanent entry never becomes temporary by accident.
 */
static enum op25b_table_err op25b_batch_refresh(const struct op25b_table *old,
						struct op25b_entry *b, u32 n,
						u32 *nref, u32 *bad_pos)
{
	const struct op25b_keys *k;
	u32 i, idx, base;

	*nref = 0;
	if (!old->ntimed)
		return OP25B_TERR_NONE;
	for (i = 0; i < n && b[i].kind != OP25B_KIND_IIF; i++) {
		k = b[i].kind == OP25B_KIND_IPV4 ? &old->keys4 : &old->keys6;
		base = b[i].kind == OP25B_KIND_IPV4 ? 0 : old->keys4.n;
		idx = op25b_keys_index(k, b[i].kind == OP25B_KIND_IPV4 ?
				       b[i].v4 : b[i].v6, b[i].plen);
		if (idx == k->n)
			continue;
		if (!old->ttl[base + idx].timeout) {
			*bad_pos = b[i].pos;
			return OP25B_TERR_EXISTS;
		}
		b[i].refresh = true;
		if (!b[i].comment || !b[i].comment[0])
			b[i].comment = op25b_table_note(old, base + idx);
		(*nref)++;
	}
	return OP25B_TERR_NONE;
}

/* True when all @n > 0 entries of @b refresh entries of the table. */
static bool op25b_batch_refreshes(const struct op25b_entry *b, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!b[i].refresh)
			return false;
	return n;
}

static enum op25b_table_err op25b_batch_check(struct op25b_entry *b, u32 n,
					      u32 *bad_pos)
{
	enum op25b_table_err err;
	u32 i;

	for (i = 0; i < n; i++) {
		b[i].refresh = false;
		err = op25b_entry_validate(&b[i]);
		if (err) {
			*bad_pos = b[i].pos;
			return err;
		}
	}
	/* op25bctl sends sorted batches; sorting 10^6 entries again is slow */
	if (!op25b_batch_sorted(b, n))
		op25b_sort(b, n, sizeof(*b), op25b_entry_cmp);
	for (i = 1; i < n; i++) {
		if (!op25b_entry_cmp(&b[i - 1], &b[i])) {
			*bad_pos = b[i].pos > b[i - 1].pos ? b[i].pos :
							     b[i - 1].pos;
			return OP25B_TERR_DUPLICATE;
		}
	}
	return OP25B_TERR_NONE;
}

/*
 * The sets of the new table @t.  A family the batch leaves alone keeps
 * its keys with its tree (op25b_keys_merge()), and so its set.
 */
static enum op25b_table_err op25b_table_sets(const struct op25b_table *old,
					     enum op25b_table_op op,
					     const struct op25b_entry *b,
					     u32 n4, u32 n6,
					     struct op25b_table *t,
					     u32 *bad_pos)
{
	/* refreshes alone leave a family's keys, and so its set, as they are */
	u32 m4 = op25b_batch_refreshes(b, n4) ? 0 : n4;
	u32 m6 = op25b_batch_refreshes(b + n4, n6) ? 0 : n6;
	enum op25b_table_err err;

	err = op25b_keys_merge(&old->keys4, op, b, m4, &t->keys4, bad_pos);
	if (!err)
		err = op25b_keys_merge(&old->keys6, op, b + n4, m6, &t->keys6,
				       bad_pos);
	if (err)
		return err;
	t->v4 = old->v4;
	t->v6 = old->v6;
	if ((m4 && op25b_set4_build(&t->v4, &t->keys4)) ||
	    (m6 && op25b_set6_build(&t->v6, &t->keys6)))
		return OP25B_TERR_NOMEM;
	return OP25B_TERR_NONE;
}

enum op25b_table_err op25b_table_apply(const struct op25b_table *old,
				       enum op25b_table_op op,
				       struct op25b_entry *batch, u32 n,
				       u32 max, struct op25b_table **out,
				       u32 *bad_pos)
{
	enum op25b_table_err err;
	struct op25b_table *t;
	u32 n4 = 0, n6, i, nref = 0;

	*bad_pos = 0;
	err = op25b_batch_check(batch, n, bad_pos);
	if (!err && op == OP25B_OP_ADD)
		err = op25b_batch_refresh(old, batch, n, &nref, bad_pos);
	if (err)
		return err;
	if (op == OP25B_OP_ADD &&
	    (u64)op25b_table_size(old) + n - nref > max) {
		*bad_pos = n ? batch[0].pos : 0;
		return OP25B_TERR_FULL;
	}
	while (n4 < n && batch[n4].kind == OP25B_KIND_IPV4)
		n4++;
	for (i = n4; i < n && batch[i].kind == OP25B_KIND_IPV6; i++)
		;
	n6 = i - n4;

	t = op25b_table_new();
	if (!t)
		return OP25B_TERR_NOMEM;
	err = op25b_table_sets(old, op, batch, n4, n6, t, bad_pos);
	if (!err)
		err = op25b_iif_merge(old, op, batch + n4 + n6, n - n4 - n6,
				      t, bad_pos);
	if (!err)
		err = op25b_table_extras(old, op, batch, n, t);
	if (err) {
		op25b_table_free(t);
		return err;
	}
	*out = t;
	return OP25B_TERR_NONE;
}

void op25b_table_get(const struct op25b_table *t, u32 idx,
		     struct op25b_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->comment = op25b_table_note(t, idx);
	if (t->ttl && t->ttl[idx].timeout) {
		e->timeout = t->ttl[idx].timeout;
		e->expires = t->ttl[idx].expires;
	}
	if (idx < t->keys4.n) {
		e->kind = OP25B_KIND_IPV4;
		e->v4 = (u32)op25b_key_at(&t->keys4, idx);
		e->plen = t->keys4.plen[idx];
		return;
	}
	idx -= t->keys4.n;
	if (idx < t->keys6.n) {
		e->kind = OP25B_KIND_IPV6;
		e->v6 = op25b_key_at(&t->keys6, idx);
		e->plen = t->keys6.plen[idx];
		return;
	}
	idx -= t->keys6.n;
	e->kind = OP25B_KIND_IIF;
	memcpy(e->ifname, t->iif[idx].name, IFNAMSIZ);
	if (t->iif[idx].wildcard)
		e->ifname[t->iif[idx].len] = '+';
}

enum op25b_table_err op25b_table_expire(const struct op25b_table *old,
					u64 now, struct op25b_table **out,
					u32 expired[2])
{
	struct op25b_entry *batch;
	enum op25b_table_err err;
	u32 i, n = 0, bad;

	expired[0] = 0;
	expired[1] = 0;
	batch = op25b_alloc_array(old->ntimed ? old->ntimed : 1,
				  sizeof(*batch));
	if (!batch)
		return OP25B_TERR_NOMEM;
	/* only addresses expire: the interface patterns come last */
	for (i = 0; old->ntimed && i < old->keys4.n + old->keys6.n; i++) {
		if (!old->ttl[i].timeout || old->ttl[i].expires > now)
			continue;
		op25b_table_get(old, i, &batch[n]);
		batch[n].pos = n;
		expired[batch[n++].kind != OP25B_KIND_IPV4]++;
	}
	err = op25b_table_apply(old, OP25B_OP_DEL, batch, n, 0, out, &bad);
	op25b_free(batch);
	return err;
}

bool op25b_table_find4(const struct op25b_table *t, u32 a,
		       struct op25b_entry *e)
{
	u32 i = op25b_keys_find(&t->keys4, a);

	if (i == t->keys4.n)
		return false;
	op25b_table_get(t, i, e);
	return true;
}

bool op25b_table_find6(const struct op25b_table *t, __uint128_t a,
		       struct op25b_entry *e)
{
	u32 i = op25b_keys_find(&t->keys6, a);

	if (i == t->keys6.n)
		return false;
	op25b_table_get(t, t->keys4.n + i, e);
	return true;
}

bool op25b_table_find_iif(const struct op25b_table *t, const char *name,
			  struct op25b_entry *e)
{
	u32 i;

	/* an exact name is more specific than any wildcard */
	for (i = 0; i < t->niif; i++) {
		if (!t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, IFNAMSIZ)) {
			op25b_table_get(t, t->keys4.n + t->keys6.n + i, e);
			return true;
		}
	}
	for (i = 0; i < t->niif; i++) {
		if (t->iif[i].wildcard &&
		    !strncmp(name, t->iif[i].name, t->iif[i].len)) {
			op25b_table_get(t, t->keys4.n + t->keys6.n + i, e);
			return true;
		}
	}
	return false;
}

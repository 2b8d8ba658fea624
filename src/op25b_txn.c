// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions: "op25bctl load" stages a whole configuration over many
 * netlink messages (10^6 prefixes do not fit in one) and publishes it in
 * one step, so that a packet sees either the old or the new configuration,
 * never a half-loaded table.  Staging only appends entries; all checks
 * that need the whole table (duplicates, size) happen at commit, where
 * the tables are built the way single writes build them.
 *
 * A transaction belongs to the netlink socket that opened it and dies
 * with it, so a killed op25bctl cannot block the namespace.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "op25b_net.h"

struct op25b_txn_table {
	struct op25b_entry *entry;
	u32 *note;		/* offset of each entry's comment in text */
	u32 n, cap;
};

struct op25b_txn {
	u32 id;
	u32 portid;		/* of the socket that owns it */
	struct op25b_settings set;
	struct op25b_txn_table table[__OP25B_TABLE_MAX];
	char *text;		/* comments; text[0] is "" */
	u32 text_len, text_cap;
};

static void op25b_txn_free(struct op25b_txn *txn)
{
	int i;

	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		kvfree(txn->table[i].entry);
		kvfree(txn->table[i].note);
	}
	kvfree(txn->text);
	kfree(txn);
}

int op25b_txn_begin(struct op25b_net *on, u32 portid, u32 *id)
{
	struct op25b_txn *txn;

	lockdep_assert_held(&on->lock);
	if (on->txn)
		return -EBUSY;
	txn = kzalloc(sizeof(*txn), GFP_KERNEL_ACCOUNT);
	if (!txn)
		return -ENOMEM;
	/* 0 never names a transaction: a zeroed attribute is a bug */
	if (!++on->txn_seq)
		on->txn_seq = 1;
	txn->id = on->txn_seq;
	txn->portid = portid;
	op25b_settings_default(&txn->set);
	on->txn = txn;
	WRITE_ONCE(on->txn_portid, portid);
	*id = txn->id;
	return 0;
}

struct op25b_txn *op25b_txn_find(struct op25b_net *on, u32 id, u32 portid)
{
	struct op25b_txn *txn = on->txn;

	lockdep_assert_held(&on->lock);
	return txn && txn->id == id && txn->portid == portid ? txn : NULL;
}

struct op25b_settings *op25b_txn_settings(struct op25b_txn *txn)
{
	return &txn->set;
}

void op25b_txn_abort(struct op25b_net *on)
{
	lockdep_assert_held(&on->lock);
	if (on->txn)
		op25b_txn_free(on->txn);
	on->txn = NULL;
	WRITE_ONCE(on->txn_portid, 0);
}

/* Grows @*p from @old to @new elements of @size, keeping the contents. */
static int op25b_txn_grow(void **p, u32 old, u32 new, size_t size)
{
	void *q = kvmalloc_array(new, size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	if (!q)
		return -ENOMEM;
	if (*p)
		memcpy(q, *p, (size_t)old * size);
	kvfree(*p);
	*p = q;
	return 0;
}

/*
 * Room for @n more entries, doubling, but never past @max (which the
 * caller checked t->n + n against): kvmalloc refuses, with a warning,
 * anything over INT_MAX bytes, and table_max keeps far below that.
 */
static int op25b_txn_reserve(struct op25b_txn_table *t, u32 n, u32 max)
{
	u32 cap = t->cap ? t->cap : min(1024U, max);

	while (cap < t->n + n)
		cap = min_t(u64, (u64)cap * 2, max);
	if (cap == t->cap)
		return 0;
	if (op25b_txn_grow((void **)&t->entry, t->n, cap, sizeof(*t->entry)) ||
	    op25b_txn_grow((void **)&t->note, t->n, cap, sizeof(*t->note)))
		return -ENOMEM;
	t->cap = cap;
	return 0;
}

/* Copies a comment into the transaction; 0 for none. */
static int op25b_txn_note(struct op25b_txn *txn, const char *s, u32 *off)
{
	u32 len = s ? strlen(s) : 0, need, cap;

	*off = 0;
	if (!len)
		return 0;
	/* offset 0 is the empty string every comment-less entry points at */
	need = max(txn->text_len, 1U) + len + 1;
	if (need > txn->text_cap) {
		cap = max(txn->text_cap * 2, 4096U);
		while (cap < need)
			cap *= 2;
		if (op25b_txn_grow((void **)&txn->text, txn->text_len, cap, 1))
			return -ENOMEM;
		txn->text_cap = cap;
		if (!txn->text_len)
			txn->text[txn->text_len++] = '\0';
	}
	*off = txn->text_len;
	memcpy(txn->text + txn->text_len, s, len + 1);
	txn->text_len += len + 1;
	return 0;
}

/* The batch was validated entry by entry; @max bounds the staged table. */
int op25b_txn_stage(struct op25b_txn *txn, u8 id,
		    const struct op25b_entry *batch, u32 n, u32 max)
{
	struct op25b_txn_table *t = &txn->table[id];
	u32 i, n0 = t->n;
	int err;

	if ((u64)t->n + n > max)
		return -ENOSPC;
	err = op25b_txn_reserve(t, n, max);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = op25b_txn_note(txn, batch[i].comment, &t->note[t->n]);
		if (err) {
			t->n = n0;	/* a message is staged whole or not */
			return err;
		}
		t->entry[t->n] = batch[i];
		t->entry[t->n].comment = NULL;
		t->entry[t->n].pos = t->n;
		t->n++;
	}
	return 0;
}

static int op25b_txn_build(struct op25b_txn *txn, u8 id, u32 max,
			   struct op25b_table **out, enum op25b_table_err *terr)
{
	static const struct op25b_table empty;
	struct op25b_txn_table *t = &txn->table[id];
	u32 i, bad;

	/* the text no longer grows: comments can point into it now */
	for (i = 0; i < t->n; i++)
		t->entry[i].comment = t->note[i] ? txn->text + t->note[i] :
						   NULL;
	*terr = op25b_table_apply(&empty, OP25B_OP_ADD, t->entry, t->n, max,
				  out, &bad);
	return *terr ? op25b_table_errno(*terr) : 0;
}

int op25b_txn_commit(struct op25b_net *on, u32 max, u8 *bad_table,
		     enum op25b_table_err *terr)
{
	struct op25b_table *tables[__OP25B_TABLE_MAX] = {};
	struct op25b_txn *txn = on->txn;
	int i, err = 0;

	lockdep_assert_held(&on->lock);
	*terr = OP25B_TERR_NONE;
	for (i = 0; i < __OP25B_TABLE_MAX && !err; i++) {
		*bad_table = i;
		err = op25b_txn_build(txn, i, max, &tables[i], terr);
	}
	if (!err && op25b_table_size(tables[OP25B_TABLE_SUBSCRIBER]))
		err = op25b_top_ensure(on);
	if (err) {
		for (i = 0; i < __OP25B_TABLE_MAX; i++)
			op25b_table_free(tables[i]);
	} else {
		err = op25b_net_replace(on, &txn->set, tables);
	}
	op25b_txn_abort(on);
	return err;
}

/* The owner's socket is closing: its transaction goes with it. */
static int op25b_txn_notify(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;
	struct op25b_net *on;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	on = op25b_pernet(n->net);
	/*
	 * Every genl socket closed in the namespace comes here (nl80211,
	 * ethtool, ...): look without the lock, which a large commit holds.
	 * A transaction opened after this read belongs to another socket.
	 */
	if (READ_ONCE(on->txn_portid) != n->portid)
		return NOTIFY_DONE;
	mutex_lock(&on->lock);
	if (on->txn && on->txn->portid == n->portid)
		op25b_txn_abort(on);
	mutex_unlock(&on->lock);
	return NOTIFY_DONE;
}

static struct notifier_block op25b_txn_nb = {
	.notifier_call = op25b_txn_notify,
};

int __init op25b_txn_init(void)
{
	return netlink_register_notifier(&op25b_txn_nb);
}

void op25b_txn_exit(void)
{
	netlink_unregister_notifier(&op25b_txn_nb);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Settings as OP25B_CMD_SET attributes. */
#ifndef OP25BCTL_SET_H
#define OP25BCTL_SET_H

#include "conf.h"
#include "nl.h"

/* Room settings_put() needs at most. */
#define SETTINGS_PAYLOAD	256

/*
 * Appends the settings in s->has, and OP25B_A_TXN = *@txn if @txn.
 * Returns 0, or -1 if the message is full.
 */
int settings_put(struct nl_msg *msg, const struct settings *s,
		 const uint32_t *txn);

/* Sends one SET with @s on @h; prints any error under @ctx. */
int settings_send(struct onl *h, const struct settings *s,
		  const uint32_t *txn, const char *ctx);

#endif /* OP25BCTL_SET_H */

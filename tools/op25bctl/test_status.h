/* SPDX-License-Identifier: GPL-2.0 */
/* A made-up GET_STATUS reply for the host tests of what op25bctl prints. */
#ifndef OP25BCTL_TEST_STATUS_H
#define OP25BCTL_TEST_STATUS_H

#include <string.h>

#include "status.h"

/*
 * What a current module reports before any change: mode enforce, every
 * setting, every table present and empty with the default limit; the
 * tests then set what they are about.
 */
static inline void status_fixture(struct status *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->mode = OP25B_MODE_ENFORCE;
	st->set.has = SET_ALL;
	op25b_settings_default(&st->set.v);
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		st->t[i].present = true;
		st->t[i].max = 1048576;
	}
}

#endif /* OP25BCTL_TEST_STATUS_H */

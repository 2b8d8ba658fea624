/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of modes, tables and counters as operators read and type them:
 * in /proc/net/op25b/, op25bctl's output and the configuration file.
 * Shared by the module and op25bctl so the spellings cannot drift.
 */
#ifndef OP25B_NAMES_H
#define OP25B_NAMES_H

#include "../include/uapi/linux/op25b.h"

extern const char *const op25b_mode_names[__OP25B_MODE_MAX];
extern const char *const op25b_table_names[__OP25B_TABLE_MAX];
extern const char *const op25b_counter_names[__OP25B_CNT_MAX];
#ifndef __KERNEL__
extern const char *const op25b_counter_help[__OP25B_CNT_MAX];
#endif
extern const char *const op25b_reason_names[__OP25B_REASON_MAX];
extern const char *const op25b_verdict_names[__OP25B_VERDICT_MAX];
extern const char *const op25b_action_names[__OP25B_ACTION_MAX];
extern const char *const op25b_scope_names[__OP25B_SCOPE_MAX];

#endif /* OP25B_NAMES_H */

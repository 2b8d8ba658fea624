/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer: enough for op25bctl's documents, with
 * correct string escaping.  Callers gather all data first and write the
 * document in one go, so an error never leaves half a document behind.
 */
#ifndef OP25BCTL_JSON_H
#define OP25BCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX	8

struct json {
	FILE *f;
	unsigned int depth;
	bool comma[JSON_DEPTH_MAX];	/* a value was written at this level */
};

void json_init(struct json *j, FILE *f);
/* @key is NULL inside arrays and for the top-level value. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
/* A NULL @val writes null. */
void json_string(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_null(struct json *j, const char *key);
void json_bool(struct json *j, const char *key, bool val);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/* Writes @s as a JSON string literal, quotes included. */
void json_escape(FILE *f, const char *s);

#endif /* OP25BCTL_JSON_H */

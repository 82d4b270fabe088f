/*
 * arena.c - bump allocation in growing blocks; see arena.h.
 */
#include "common/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_BLOCK (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t cap;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total_len = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	arena_init(a);
}

static struct arena_block *arena_grow(struct arena *a, size_t len)
{
	size_t cap = ARENA_MIN_BLOCK;
	struct arena_block *b;

	/* Blocks double with the arena's size so a big trace makes few mallocs. */
	if (a->total_len / 4 > cap)
		cap = a->total_len / 4;
	if (cap > 64u * 1024 * 1024)
		cap = 64u * 1024 * 1024;
	if (len > cap)
		cap = len;
	b = malloc(sizeof(*b) + cap);
	if (!b)
		return NULL;
	b->used = 0;
	b->cap = cap;
	b->next = a->head;
	a->head = b;
	return b;
}

void *arena_alloc(struct arena *a, size_t len)
{
	struct arena_block *b = a->head;
	size_t start;

	if (len > SIZE_MAX / 2)
		return NULL;
	if (len == 0)
		len = 1;
	start = b ? (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1) : 0;
	if (!b || start + len > b->cap) {
		b = arena_grow(a, len);
		if (!b)
			return NULL;
		start = 0;
	}
	b->used = start + len;
	a->total_len += len;
	return b->data + start;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / 2 / size)
		return NULL;
	p = arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (len >= SIZE_MAX / 2)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_memdup(struct arena *a, const void *p, size_t len)
{
	void *q = arena_alloc(a, len);

	if (q && len)
		memcpy(q, p, len);
	return q;
}

/*
 * arena.h - a bump allocator that owns many small objects with one lifetime.
 *
 * A loaded trace or a decoded pickle owns one arena: every string and
 * payload lives there, objects hold borrowed pointers into it, and one
 * arena_release() frees everything. Leaks become structural, not local.
 * Allocation failure returns NULL; callers turn that into an mp_err.
 */
#ifndef MP_ARENA_H
#define MP_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first; owned */
	size_t total_len; /* bytes handed out, for reports and caps */
};

void arena_init(struct arena *a);
/* Frees every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/* Returns len bytes aligned for any type, or NULL when out of memory
 * (also when len is absurd). The memory is not zeroed. */
void *arena_alloc(struct arena *a, size_t len);
/* Like arena_alloc, zeroed. count * size overflow returns NULL. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies len bytes and adds a NUL after them. NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
void *arena_memdup(struct arena *a, const void *p, size_t len);

#endif

/*
 * pidmap.c - linear probing with tombstones; see pidmap.h.
 */
#include "tracer/pidmap.h"

#include <stdint.h>
#include <stdlib.h>

#define EMPTY 0
#define DELETED (-1)

void pidmap_init(struct pidmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->used = 0;
}

void pidmap_release(struct pidmap *m)
{
	free(m->slots);
	pidmap_init(m);
}

static size_t slot_of(const struct pidmap *m, int key)
{
	return ((uint32_t)key * 2654435761u) & (m->cap - 1);
}

/* Rehashes into a table sized for the live keys: threads come and go all
 * run long, and their tombstones must not make the table grow for ever. */
static int grow(struct pidmap *m)
{
	struct pidmap_slot *old = m->slots;
	size_t old_cap = m->cap, live = 0, cap = 64;

	for (size_t i = 0; i < old_cap; i++)
		live += old[i].key > 0;
	while (cap < (live + 1) * 4)
		cap *= 2;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -1;
	}
	m->cap = cap;
	m->used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key > 0)
			pidmap_put(m, old[i].key, old[i].value);
	free(old);
	return 0;
}

int pidmap_put(struct pidmap *m, int key, int value)
{
	size_t i;
	struct pidmap_slot *tomb = NULL;

	if ((m->used + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	for (i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		struct pidmap_slot *s = &m->slots[i];

		if (s->key == key) {
			s->value = value;
			return 0;
		}
		if (s->key == DELETED && !tomb)
			tomb = s;
		if (s->key == EMPTY) {
			if (!tomb) {
				tomb = s;
				m->used++;
			}
			tomb->key = key;
			tomb->value = value;
			return 0;
		}
	}
}

bool pidmap_get(const struct pidmap *m, int key, int *value)
{
	if (m->cap == 0)
		return false;
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		const struct pidmap_slot *s = &m->slots[i];

		if (s->key == key) {
			*value = s->value;
			return true;
		}
		if (s->key == EMPTY)
			return false;
	}
}

void pidmap_remove(struct pidmap *m, int key)
{
	if (m->cap == 0)
		return;
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		struct pidmap_slot *s = &m->slots[i];

		if (s->key == key) {
			s->key = DELETED;
			return;
		}
		if (s->key == EMPTY)
			return;
	}
}

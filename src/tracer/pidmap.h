/*
 * pidmap.h - a small open-addressing map from pid (or tid) to an int.
 *
 * The ptrace loop looks up the stopped task on every event; a linear scan
 * over hundreds of processes and threads would show in the Pool benchmark.
 * The caller owns the struct; pidmap_release() frees it.
 */
#ifndef MP_TRACER_PIDMAP_H
#define MP_TRACER_PIDMAP_H

#include <stdbool.h>
#include <stddef.h>

struct pidmap_slot {
	int key; /* 0 = empty, -1 = deleted */
	int value;
};

struct pidmap {
	struct pidmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t used; /* live + deleted slots */
};

void pidmap_init(struct pidmap *m);
void pidmap_release(struct pidmap *m);
/* Sets key (> 0) to value. -1 when out of memory. */
int pidmap_put(struct pidmap *m, int key, int value);
/* True and *value when key is present. */
bool pidmap_get(const struct pidmap *m, int key, int *value);
void pidmap_remove(struct pidmap *m, int key);

#endif

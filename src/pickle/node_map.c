/*
 * node_map.c - the decoder's memo: memo index to node. Open addressing
 * with linear probing, kept at most half full; grows by doubling, so its
 * size follows the number of memo puts (at most one per input byte).
 */
#include <stdlib.h>

#include "pickle/internal.h"

static size_t slot(const struct pk_node_map *map, int64_t key)
{
	size_t mask = map->cap - 1;
	size_t i = (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15u) >> 20) & mask;

	while (map->vals[i] && map->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static bool grow(struct pk_node_map *map)
{
	struct pk_node_map g = { .cap = map->cap ? map->cap * 2 : 256, .count = map->count };

	g.keys = malloc(g.cap * sizeof(*g.keys));
	g.vals = calloc(g.cap, sizeof(*g.vals));
	if (!g.keys || !g.vals) {
		free(g.keys);
		free(g.vals);
		return false;
	}
	for (size_t k = 0; k < map->cap; k++)
		if (map->vals[k]) {
			size_t i = slot(&g, map->keys[k]);

			g.keys[i] = map->keys[k];
			g.vals[i] = map->vals[k];
		}
	pk_node_map_release(map);
	*map = g;
	return true;
}

bool pk_node_map_put(struct pk_node_map *map, int64_t key, struct pickle_node *n)
{
	size_t i;

	if (2 * (map->count + 1) > map->cap && !grow(map))
		return false;
	i = slot(map, key);
	if (!map->vals[i])
		map->count++;
	map->keys[i] = key;
	map->vals[i] = n;
	return true;
}

struct pickle_node *pk_node_map_get(const struct pk_node_map *map, int64_t key)
{
	return map->cap ? map->vals[slot(map, key)] : NULL;
}

void pk_node_map_release(struct pk_node_map *map)
{
	free(map->keys);
	free(map->vals);
	map->keys = NULL;
	map->vals = NULL;
	map->count = map->cap = 0;
}

/*
 * paths.h - where mpscope's data lives (the probe, lessons/, traces/), found
 * from the binary's own location so the same binary works in the source
 * tree and after `make install`. MPSCOPE_DATA overrides both.
 */
#ifndef MP_CLI_PATHS_H
#define MP_CLI_PATHS_H

#define MPSCOPE_VERSION "0.1.0"

/* Call once from main with argv[0]. */
void paths_init(const char *argv0);
/* The data root: the source tree's top, or PREFIX/share/mpscope. Never NULL. */
const char *paths_data_dir(void);
/* The folder holding sitecustomize.py (src/probe or DATA/probe). */
const char *paths_probe_dir(void);
/* lessons/ and traces/ under the data root. */
const char *paths_traces_dir(void);
const char *paths_lessons_dir(void);

#endif

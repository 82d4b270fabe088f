/*
 * paths.c - locating mpscope's data next to its binary; see paths.h.
 *
 * Global state with a reason: the paths are computed once from argv[0] at
 * start-up and only read afterwards.
 */
#include "cli/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char data_dir[PATH_MAX] = ".";
static char probe_dir[PATH_MAX + 16] = "src/probe";
static char traces_dir[PATH_MAX + 16] = "traces";
static char lessons_dir[PATH_MAX + 16] = "lessons";

static bool is_file(const char *dir, const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, R_OK) == 0;
}

/* argv[0] as an absolute path: itself when it has a slash, else the PATH entry. */
static bool find_self(const char *argv0, char *out)
{
	const char *path_env = getenv("PATH");
	char cand[PATH_MAX * 2];

	if (strchr(argv0, '/'))
		return realpath(argv0, out) != NULL;
	while (path_env && *path_env) {
		size_t n = strcspn(path_env, ":");

		snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, path_env, argv0);
		if (access(cand, X_OK) == 0 && realpath(cand, out))
			return true;
		path_env += n + (path_env[n] == ':');
	}
	return false;
}

static void set_root(const char *root, const char *probe_sub)
{
	snprintf(data_dir, sizeof(data_dir), "%s", root);
	snprintf(probe_dir, sizeof(probe_dir), "%s/%s", root, probe_sub);
	snprintf(traces_dir, sizeof(traces_dir), "%s/traces", root);
	snprintf(lessons_dir, sizeof(lessons_dir), "%s/lessons", root);
}

void paths_init(const char *argv0)
{
	const char *env = getenv("MPSCOPE_DATA");
	char self[PATH_MAX];
	char dir[PATH_MAX];
	char *slash;

	if (env && *env) {
		set_root(env, is_file(env, "src/probe/sitecustomize.py") ? "src/probe" : "probe");
		return;
	}
	if (!find_self(argv0, self))
		return;
	snprintf(dir, sizeof(dir), "%s", self);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	/* The binary sits at the top of the source tree, or in build/ below it. */
	for (int up = 0; up < 3; up++) {
		if (is_file(dir, "src/probe/sitecustomize.py")) {
			set_root(dir, "src/probe");
			return;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	/* Installed: PREFIX/bin/mpscope with data in PREFIX/share/mpscope. */
	snprintf(dir, sizeof(dir), "%s", self);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	{
		char root[PATH_MAX + 32];

		snprintf(root, sizeof(root), "%s/../share/mpscope", dir);
		if (realpath(root, self))
			set_root(self, "probe");
	}
}

const char *paths_data_dir(void)
{
	return data_dir;
}

const char *paths_probe_dir(void)
{
	return probe_dir;
}

const char *paths_traces_dir(void)
{
	return traces_dir;
}

const char *paths_lessons_dir(void)
{
	return lessons_dir;
}

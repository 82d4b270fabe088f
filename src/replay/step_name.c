/*
 * step_name.c - steps named by what they are: "exec", "pickle:2". The CLI's
 * --print, lessons and exports point at a moment of the story this way, so a
 * name stays right when a trace is re-recorded and step numbers move.
 * Pure C: no I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "replay/story.h"

static int parse_nth(const char *s, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int story_find_named(const struct story *st, const char *name, size_t *step, struct mp_err *err)
{
	size_t kind_len = strcspn(name, ":"), seen = 0;
	long nth = 1;

	if (name[kind_len] == ':' && parse_nth(name + kind_len + 1, &nth) < 0) {
		mp_err_set(err, "'%s': N must be a number from 1", name);
		return -1;
	}
	for (size_t k = 0; k < st->step_count; k++) {
		const char *kind = step_kind_name(st->steps[k].kind);

		if (strlen(kind) == kind_len && strncmp(kind, name, kind_len) == 0 &&
		    ++seen == (size_t)nth) {
			*step = k;
			return 0;
		}
	}
	mp_err_set(err, "'%s': the story has %zu such steps", name, seen);
	return -1;
}

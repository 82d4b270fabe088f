/*
 * fields.c - the fields a trigger matches and a text names, one row each:
 * its name, its type and the event kinds that have it; and the words a
 * field with a fixed vocabulary accepts (roles, methods, what a pickle
 * carries...), so that a typo in lesson.json is refused when it is read
 * rather than found as "no such event" later. How a field is read from an
 * event is in match.c.
 */
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"

#define K(kind) (1u << (kind))
#define ALL_KINDS ((1u << EV_UNKNOWN) - 1)
#define PICKLES (K(EV_PICKLE_DUMP) | K(EV_PICKLE_LOAD))

_Static_assert(EV_KIND_COUNT <= 32, "event kinds must fit in the kinds mask");

static const struct {
	const char *name;
	enum lesson_field_type type;
	unsigned kinds;
} fields[LESSON_FIELD_COUNT] = {
	[LF_PID] = { "pid", LFT_PID, ALL_KINDS },
	[LF_ROLE] = { "role", LFT_TEXT, ALL_KINDS },
	[LF_PROC_METHOD] = { "proc_method", LFT_TEXT, ALL_KINDS },
	[LF_CHILD] = { "child", LFT_PID, K(EV_FORK) },
	[LF_CHILD_ROLE] = { "child_role", LFT_TEXT, K(EV_FORK) },
	[LF_VIA] = { "via", LFT_TEXT, K(EV_FORK) | K(EV_FDS_PASS) },
	[LF_PATH] = { "path", LFT_TEXT, K(EV_EXEC) },
	[LF_CODE] = { "code", LFT_NUMBER, K(EV_EXIT) },
	[LF_SIGNAL] = { "signal", LFT_NUMBER, K(EV_EXIT) },
	[LF_AT] = { "at", LFT_TEXT, K(EV_FDS) | K(EV_MEMORY) },
	[LF_COUNT] = { "count", LFT_NUMBER, K(EV_THREADS) | K(EV_FDS) | K(EV_FDS_PASS) },
	[LF_RSS] = { "rss", LFT_NUMBER, K(EV_MEMORY) },
	[LF_SHARED] = { "shared", LFT_NUMBER, K(EV_MEMORY) },
	[LF_METHOD] = { "method", LFT_TEXT, K(EV_START_METHOD) },
	[LF_EXPLICIT] = { "explicit", LFT_BOOL, K(EV_START_METHOD) },
	[LF_MODULE] = { "module", LFT_TEXT, K(EV_IMPORT) | K(EV_PICKLE_FIND_CLASS) },
	[LF_FILE] = { "file", LFT_TEXT, K(EV_IMPORT) },
	[LF_BY] = { "by", LFT_TEXT, K(EV_IMPORT) },
	[LF_NAME] = { "name", LFT_TEXT, K(EV_PICKLE_FIND_CLASS) },
	[LF_SIZE] = { "size", LFT_NUMBER, PICKLES },
	[LF_WHAT] = { "what", LFT_TEXT, PICKLES | K(EV_FDS_LABEL) },
	[LF_TYPE] = { "type", LFT_TEXT, PICKLES },
	[LF_TO] = { "to", LFT_PID, K(EV_PICKLE_DUMP) | K(EV_FDS_PASS) },
	[LF_TO_ROLE] = { "to_role", LFT_TEXT, K(EV_PICKLE_DUMP) | K(EV_FDS_PASS) },
	[LF_FROM] = { "from", LFT_PID, K(EV_PICKLE_LOAD) },
	[LF_FROM_ROLE] = { "from_role", LFT_TEXT, K(EV_PICKLE_LOAD) },
	[LF_TRUNCATED] = { "truncated", LFT_BOOL, PICKLES },
	[LF_REDACTED] = { "redacted", LFT_BOOL, PICKLES },
	[LF_ERROR] = { "error", LFT_TEXT, PICKLES },
	[LF_GLOBAL] = { "global", LFT_TEXT, PICKLES },
	[LF_OWN] = { "own", LFT_BOOL, PICKLES | K(EV_IMPORT) | K(EV_PICKLE_FIND_CLASS) },
	[LF_STREAM] = { "stream", LFT_TEXT, K(EV_OUTPUT) },
	[LF_TEXT] = { "text", LFT_TEXT, K(EV_OUTPUT) },
	[LF_MESSAGE] = { "message", LFT_TEXT, K(EV_ERROR) },
	[LF_SOCKET] = { "socket", LFT_TEXT, K(EV_FDS_PASS) },
	[LF_FD] = { "fd", LFT_NUMBER, K(EV_FDS_LABEL) },
	[LF_TARGET] = { "target", LFT_TEXT, K(EV_FDS_LABEL) },
	[LF_PEER] = { "peer", LFT_PID, K(EV_FDS_LABEL) },
};

const char *lesson_field_name(enum lesson_field f)
{
	return (unsigned)f < LESSON_FIELD_COUNT ? fields[f].name : NULL;
}

int lesson_field_from_name(const char *name)
{
	for (int f = 0; f < LESSON_FIELD_COUNT; f++)
		if (strcmp(fields[f].name, name) == 0)
			return f;
	return -1;
}

enum lesson_field_type lesson_field_type(enum lesson_field f)
{
	return (unsigned)f < LESSON_FIELD_COUNT ? fields[f].type : LFT_TEXT;
}

bool lesson_field_applies(enum lesson_field f, enum ev_kind kind)
{
	return (unsigned)f < LESSON_FIELD_COUNT && (unsigned)kind < EV_UNKNOWN &&
		(fields[f].kinds & K(kind));
}

void lesson_field_list(enum ev_kind kind, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int f = 0; f < LESSON_FIELD_COUNT && used < len; f++)
		if (lesson_field_applies((enum lesson_field)f, kind))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 fields[f].name);
}

/* ---- fixed vocabularies ---- */

/* The pickle kinds the probe names (docs/trace-format.md, pickle.dump). */
static const char *const pickle_whats[] = { "process",    "preparation", "pool_task", "pool_result",
					    "queue_item", "other",       NULL };
static const char *const methods[] = { "fork", "spawn", "forkserver", NULL };
static const char *const no_words[] = { NULL };

/* The model's name functions, over ints, end with NULL past the last. */
typedef const char *name_fn(int v);
#define NAMER(fn, type)                                                                            \
	static const char *fn##_of_int(int v)                                                      \
	{                                                                                          \
		return fn##_name((type)v);                                                         \
	}
NAMER(role, enum role)
NAMER(fork_via, enum fork_via)
NAMER(pass_via, enum pass_via)
NAMER(fds_at, enum fds_at)
NAMER(mem_at, enum mem_at)
NAMER(stream, enum out_stream)
NAMER(fd_purpose, enum fd_purpose)

/* The vocabulary of a field for a kind: a NULL-ended list or a namer
 * (both NULL: free text). */
static void vocabulary(enum lesson_field f, enum ev_kind kind, const char *const **list,
		       name_fn **namer)
{
	*list = NULL;
	*namer = NULL;
	switch (f) {
	case LF_ROLE:
	case LF_CHILD_ROLE:
	case LF_TO_ROLE:
	case LF_FROM_ROLE:
		*namer = role_of_int;
		break;
	case LF_PROC_METHOD:
	case LF_METHOD:
		*list = methods;
		break;
	case LF_VIA:
		*namer = kind == EV_FORK ? fork_via_of_int : pass_via_of_int;
		break;
	case LF_AT:
		*namer = kind == EV_FDS ? fds_at_of_int : mem_at_of_int;
		break;
	case LF_STREAM:
		*namer = stream_of_int;
		break;
	case LF_WHAT:
		if (kind == EV_FDS_LABEL)
			*namer = fd_purpose_of_int;
		else
			*list = pickle_whats;
		break;
	default:
		*list = no_words;
		break;
	}
}

bool lesson_field_word_ok(enum lesson_field f, enum ev_kind kind, const char *word, char *buf,
			  size_t len)
{
	const char *const *list;
	name_fn *namer;
	size_t used = 0;

	buf[0] = '\0';
	vocabulary(f, kind, &list, &namer);
	if (list == no_words)
		return true;
	for (int i = 0;; i++) {
		const char *w = list ? list[i] : namer(i);

		if (!w)
			break;
		if (strcmp(w, word) == 0)
			return true;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", w);
	}
	return false;
}

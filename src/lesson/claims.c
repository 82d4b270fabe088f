/*
 * claims.c - the claims a course proves (issue 14), one row each: the id a
 * lesson's "proves" names and the sentence a student reads. A lesson only
 * declares what it proves; `mpscope lessons --check` makes sure every
 * claim has a lesson.
 */
#include <string.h>

#include "lesson/lesson.h"

static const struct {
	const char *id;
	const char *sentence;
} claims[CLAIM_COUNT] = {
	[CLAIM_FORK_COPIES] = { "fork-copies",
				"under fork nothing is pickled to start a Process: the child "
				"is a copy" },
	[CLAIM_SPAWN_PICKLES] = { "spawn-pickles",
				  "under spawn the target and its args are pickled and sent "
				  "to the child" },
	[CLAIM_CALLEE_NOT_PICKLED] = { "callee-not-pickled",
				       "a function that the target calls is not pickled, yet "
				       "the child can call it, also when it lives in another "
				       "file, because the child imports it as the parent did" },
	[CLAIM_BY_REFERENCE] = { "by-reference",
				 "pickling f stores only its module and name (GLOBAL "
				 "'__main__ f'), no code" },
	[CLAIM_REIMPORT_MAIN] = { "reimport-main",
				  "the child re-imports the main module (as __mp_main__) and "
				  "then unpickles" },
	[CLAIM_GET_CONTEXT] = { "get-context",
				"get_context('spawn') gives Windows' behaviour on Linux" },
	[CLAIM_FDS_INHERIT] = { "fds-inherit",
				"spawn passes only what run() needs; fork passes every "
				"descriptor" },
	[CLAIM_FORKSERVER_SINGLE_THREAD] = { "forkserver-single-thread",
					     "the forkserver is started once, is "
					     "single-threaded, and forks every child" },
	[CLAIM_REBIND_MAIN] = { "rebind-main", "rebinding __main__.f changes what is unpickled" },
	[CLAIM_FDS_OVER_SOCKET] = { "fds-over-socket",
				    "forkserver needs descriptors passed over Unix sockets, "
				    "and uses them" },
};

const char *lesson_claim_id(enum lesson_claim c)
{
	return (unsigned)c < CLAIM_COUNT ? claims[c].id : NULL;
}

const char *lesson_claim_sentence(enum lesson_claim c)
{
	return (unsigned)c < CLAIM_COUNT ? claims[c].sentence : NULL;
}

int lesson_claim_from_id(const char *id)
{
	for (int c = 0; c < CLAIM_COUNT; c++)
		if (strcmp(claims[c].id, id) == 0)
			return c;
	return -1;
}

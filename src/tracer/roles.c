/*
 * roles.c - what each traced process is (main, child, forkserver, resource
 * tracker, manager, other) when the trace is finished (finish.c): the
 * probe's word first, then the command line, then how it was started.
 */
#include <string.h>

#include "tracer/tracer_internal.h"

/* How CPython's multiprocessing starts its helper interpreters (3.8-3.13):
 * `python -c 'from multiprocessing.spawn import spawn_main; spawn_main(...)'
 * --multiprocessing-fork`, and the same with forkserver / resource_tracker. */
static const struct {
	const char *needle;
	enum role role;
} argv_roles[] = {
	{ "from multiprocessing.spawn import spawn_main", ROLE_CHILD },
	{ "from multiprocessing.forkserver import main", ROLE_FORKSERVER },
	{ "from multiprocessing.resource_tracker import main", ROLE_RESOURCE_TRACKER },
	{ "from multiprocessing.semaphore_tracker import main", ROLE_RESOURCE_TRACKER }, /* 3.7 */
};

enum role roles_from_argv(const struct strv *argv, bool *is_known)
{
	for (size_t i = 0; i < argv->count; i++)
		for (size_t k = 0; k < sizeof(argv_roles) / sizeof(argv_roles[0]); k++)
			if (argv->items[i] && strstr(argv->items[i], argv_roles[k].needle)) {
				*is_known = true;
				return argv_roles[k].role;
			}
	*is_known = false;
	return ROLE_OTHER;
}

enum role roles_of(struct tracer *t, const struct tproc *p)
{
	bool is_known;
	enum role r;

	if (p->has_probe_role)
		return p->role;
	if (p->is_root)
		return ROLE_MAIN;
	r = roles_from_argv(&p->argv, &is_known);
	if (is_known)
		return r;
	/* A forked copy of a traced Python process (fork method, a
	 * forkserver's children, Pool workers) is one of its children. */
	if (!p->has_execed && record_find_proc(t, p->ppid))
		return ROLE_CHILD;
	return ROLE_OTHER;
}

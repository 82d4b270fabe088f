/*
 * record.c - what a run keeps as it goes: the table of traced processes
 * (struct tproc by pid), the events added to the trace, and the failure
 * that ends the run. Every loop of the tracer (ptrace_loop.c, wait_loop.c,
 * merge.c) records through these.
 */
#include <stdlib.h>

#include "tracer/tracer_internal.h"

struct tproc *record_find_proc(struct tracer *t, int pid)
{
	int i;

	if (pid <= 0 || !pidmap_get(&t->proc_index, pid, &i))
		return NULL;
	return t->procs[i];
}

struct tproc *record_add_proc(struct tracer *t, int pid, int ppid, int64_t start)
{
	struct tproc *p;

	if (t->proc_count == t->proc_cap) {
		size_t cap = t->proc_cap ? t->proc_cap * 2 : 64;
		struct tproc **grown = realloc(t->procs, cap * sizeof(*grown));

		if (!grown)
			goto oom;
		t->procs = grown;
		t->proc_cap = cap;
	}
	p = arena_alloc(&t->proc_arena, sizeof(*p));
	if (!p || pidmap_put(&t->proc_index, pid, (int)t->proc_count) < 0)
		goto oom;
	t->procs[t->proc_count++] = p;
	*p = (struct tproc){
		.pid = pid, .ppid = ppid, .start = start, .thread_count = 1, .role = ROLE_OTHER
	};
	procfs_fd_cache_init(&p->fd_cache, &t->fdinfo_files);
	return p;
oom:
	if (!t->has_fatal) {
		mp_err_set(&t->fatal, "out of memory while tracking process %d", pid);
		t->has_fatal = true;
	}
	return NULL;
}

void record_event(struct tracer *t, struct event *ev)
{
	struct mp_err err;

	ev->seq = t->next_seq++;
	if (trace_add_event(t->tr, ev, &err) < 0)
		record_failure(t, &err);
}

void record_failure(struct tracer *t, const struct mp_err *err)
{
	if (t->has_fatal)
		return;
	t->fatal = *err;
	t->has_fatal = true;
}

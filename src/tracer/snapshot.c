/*
 * snapshot.c - what a process holds at its start, right after fork and
 * around each exec, read from /proc while it is stopped.
 *
 * Emits `fds`, `threads` and `memory` events, and the `fds.pass` events
 * that make inheritance visible: at fork (what the child got) and at exec
 * (what survived, and what close-on-exec dropped).
 */
#include <string.h>

#include "procfs.h"
#include "tracer_internal.h"

#define PROC_ROOT "/proc"

int snapshot_take(struct tracer *t, struct tproc *p, enum fds_at at, int64_t now)
{
	struct procfs_status st;
	struct fd_entry *fds;
	size_t count;
	uint64_t rss, shared;
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_FDS };

	/* Any failure here means the process died under us (SIGKILL): its
	 * exit is reported by waitpid, nothing else to record. */
	if (procfs_read_fds(PROC_ROOT, p->pid, &t->tr->arena, &fds, &count, NULL) < 0)
		return -1;
	p->fds = fds;
	p->fd_count = count;
	ev.u.fds.at = at;
	ev.u.fds.fds = fds;
	ev.u.fds.fd_count = count;
	tracer_emit(t, &ev);
	/* A new process has one thread: fork copies only the calling one. */
	st.threads = 1;
	if (at == FDS_AT_FORK || procfs_read_status(PROC_ROOT, p->pid, &st, NULL) == 0) {
		p->thread_count = st.threads;
		ev = (struct event){ .t = now, .pid = p->pid, .kind = EV_THREADS };
		ev.u.threads.count = st.threads;
		tracer_emit(t, &ev);
	}
	if (procfs_read_memory(PROC_ROOT, p->pid, &rss, &shared, NULL) == 0) {
		ev = (struct event){ .t = now, .pid = p->pid, .kind = EV_MEMORY };
		ev.u.memory.rss = rss;
		ev.u.memory.shared = shared;
		tracer_emit(t, &ev);
	}
	return 0;
}

void snapshot_new_child(struct tracer *t, struct tproc *child, int64_t now)
{
	struct event ev = { .t = now, .pid = child->pid, .kind = EV_PROC_START };

	child->is_snapshotted = true;
	tracer_emit(t, &ev);
	if (snapshot_take(t, child, FDS_AT_FORK, now) < 0 || !tracer_find(t, child->ppid))
		return;
	ev = (struct event){ .t = now, .pid = child->ppid, .kind = EV_FDS_PASS };
	ev.u.fds_pass.via = PASS_FORK;
	ev.u.fds_pass.to = child->pid;
	ev.u.fds_pass.fds = child->fds;
	ev.u.fds_pass.fd_count = child->fd_count;
	ev.u.fds_pass.pickle_seq = -1;
	tracer_emit(t, &ev);
}

void snapshot_before_exec(struct tracer *t, struct tproc *p)
{
	struct fd_entry *fds;
	size_t count;

	/* Tables read at fork can be stale by now: a vfork child (spawn in
	 * 3.11) dup2()s and closes descriptors right before its exec. */
	if (procfs_read_fds(PROC_ROOT, p->pid, &t->tr->arena, &fds, &count, NULL) == 0) {
		p->fds = fds;
		p->fd_count = count;
	}
}

static bool has_fd(const struct fd_entry *fds, size_t count, int fd)
{
	for (size_t i = 0; i < count; i++)
		if (fds[i].fd == fd)
			return true;
	return false;
}

void snapshot_after_exec(struct tracer *t, struct tproc *p, int64_t now)
{
	const struct fd_entry *before = p->fds;
	size_t before_count = p->fd_count, closed_count = 0;
	struct fd_entry *closed;
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_FDS_PASS };

	if (snapshot_take(t, p, FDS_AT_EXEC, now) < 0)
		return;
	closed = before_count ? trace_alloc(t->tr, before_count * sizeof(*closed)) : NULL;
	if (before_count && !closed) {
		struct mp_err err;

		mp_err_set(&err, "out of memory while recording an exec");
		tracer_fail(t, &err);
		return;
	}
	for (size_t i = 0; i < before_count; i++)
		if (!has_fd(p->fds, p->fd_count, before[i].fd))
			closed[closed_count++] = before[i];
	ev.u.fds_pass.via = PASS_EXEC;
	ev.u.fds_pass.to = p->pid;
	ev.u.fds_pass.fds = p->fds;
	ev.u.fds_pass.fd_count = p->fd_count;
	ev.u.fds_pass.closed = closed_count ? closed : NULL;
	ev.u.fds_pass.closed_count = closed_count;
	ev.u.fds_pass.pickle_seq = -1;
	tracer_emit(t, &ev);
}

/*
 * memory.c - when a process's memory is sampled, and each sample as a
 * `memory` event with its `at`.
 *
 * A sample is taken only when it says something: never in the instant after
 * an exec, when the new image has barely been loaded (16 kB). `start`: as the
 * probe connects, the interpreter running (read by the probe reader thread,
 * probe_server.c, added after the run); `fork`: both sides, while both are
 * stopped at the fork event; `exit`: at the exit stop, before the kernel frees
 * the memory; `sample`: now and then while a process lives, so a long one
 * shows how it grows (and how copy-on-write unshares a fork child's pages).
 */
#include "tracer/probe_server.h"
#include "tracer/procfs.h"
#include "tracer/tracer_internal.h"

#define PROC_ROOT "/proc"

/* Every 250 ms of a process's life at first; the interval doubles after
 * every 8 samples and a process gets at most 64 (the last ones 32 s
 * apart), so a long run costs a bounded number of reads per process. With
 * more than 8 processes alive the interval stretches in proportion, so the
 * whole run reads at most about 32 samples a second: one smaps_rollup costs
 * 170-230 us of CPU (measured on 8 and 15 MB Pythons, load 4), and a
 * 64-process run sampled every 250 ms spent 110 ms of CPU on it. */
#define SAMPLE_EVERY_NS (250 * 1000000LL)
#define SAMPLES_PER_STEP 8
#define SAMPLE_MAX 64
#define SAMPLED_PROCS 8

static void record_memory(struct tracer *t, int pid, const struct procfs_memory *m, enum mem_at at,
			  int64_t when)
{
	struct event ev = { .t = when, .pid = pid, .kind = EV_MEMORY };

	ev.u.memory.rss = m->rss;
	ev.u.memory.shared = m->shared;
	ev.u.memory.has_at = true;
	ev.u.memory.at = at;
	record_event(t, &ev);
}

void memory_sample(struct tracer *t, const struct tproc *p, enum mem_at at, int64_t now)
{
	struct procfs_memory m;

	if (!read_budget_take(&t->memory_reads, now))
		return;
	if (procfs_read_memory(PROC_ROOT, p->pid, &m, NULL) == 0)
		record_memory(t, p->pid, &m, at, now);
}

void memory_sample_new_child(struct tracer *t, const struct tproc *child, int64_t now)
{
	/* A vfork child runs in its parent's memory until it execs: it has
	 * none of its own to show. A child adopted before its parent's fork
	 * event (has_fork_event false) may be a vfork child too. Nearly all
	 * of a fork child's RSS is shared with its parent, but not always all
	 * of it (measured: one 4 kB page short in 5 forks of 7), so it is
	 * read like any other sample rather than assumed. */
	if (child->has_fork_event && child->via != VIA_VFORK)
		memory_sample(t, child, MEM_AT_FORK, now);
}

/* p's next periodic sample, counted from now. */
static void schedule(const struct tracer *t, struct tproc *p, int64_t now)
{
	unsigned step = p->sample_count / SAMPLES_PER_STEP;
	int64_t every = SAMPLE_EVERY_NS << step;

	if (t->live_procs > SAMPLED_PROCS)
		every = every / SAMPLED_PROCS * t->live_procs;
	p->next_sample_at = p->sample_count < SAMPLE_MAX ? now + every : 0;
}

void memory_schedule(struct tracer *t, struct tproc *p, int64_t now)
{
	schedule(t, p, now);
	if (p->next_sample_at && (!t->next_sample_due || p->next_sample_at < t->next_sample_due))
		t->next_sample_due = p->next_sample_at;
}

/* Whether /proc shows p's own, running image now. */
static bool is_worth_sampling(const struct tproc *p)
{
	return !p->is_execing && !(p->via == VIA_VFORK && p->has_fork_event && !p->has_execed);
}

void memory_sample_due(struct tracer *t)
{
	int64_t now, next = 0;

	/* Without the seccomp filter there is no stop before an exec, and a
	 * sample could fall between an exec and its report (is_execing). */
	if (!t->next_sample_due || !t->res->has_output_capture || t->is_killing)
		return;
	now = run_now(t);
	if (now < t->next_sample_due)
		return;
	for (size_t i = 0; i < t->proc_count; i++) {
		struct tproc *p = t->procs[i];

		if (p->has_exit || p->is_exiting)
			p->next_sample_at = 0;
		if (!p->next_sample_at)
			continue;
		if (p->next_sample_at <= now) {
			if (is_worth_sampling(p)) {
				memory_sample(t, p, MEM_AT_SAMPLE, now);
				p->sample_count++;
			}
			schedule(t, p, now);
		}
		if (p->next_sample_at && (!next || p->next_sample_at < next))
			next = p->next_sample_at;
	}
	t->next_sample_due = next;
}

void memory_add_start_samples(struct tracer *t, const struct probe_server *ps)
{
	for (size_t i = 0; i < ps->sample_count; i++) {
		const struct probe_start_sample *s = &ps->samples[i];
		const struct tproc *p = record_find_proc(t, s->pid);
		int64_t when = s->when - t->t0;

		/* Without ptrace a process starts with its first probe message,
		 * stamped by the probe a moment after it connected. A reader
		 * delayed on a busy machine can read a process that has already
		 * ended (its pid reused): that is not its memory. */
		if (!p || (p->has_end && when > p->end))
			continue;
		record_memory(t, p->pid, &s->mem, MEM_AT_START, when > p->start ? when : p->start);
	}
}

/*
 * narrate.c - the words of the replay: what each step means, as sentences.
 *
 * Generated from the events themselves, so they stay true when Python
 * changes; the method-specific sentences follow what docs/python-versions.md
 * measured (e.g. under fork starting a Process pickles nothing, under spawn
 * the child re-imports the main module as __mp_main__ and looks the target
 * up by name), under the start method of the process a sentence is about,
 * and say only what the trace shows (a child "will read" a pickle only when
 * it does). One function per step kind, chosen by a table; descriptors are
 * told in narrate_fds.c, printed lines put together in output.c.
 */
#include "replay/narrate_internal.h"

#include <stdio.h>
#include <string.h>

typedef void (*narrate_fn)(const struct replay *rp, const struct step *s, struct sbuf *out);

static const struct event *ev_of(const struct replay *rp, const struct step *s)
{
	return &rp->tr->events[s->ev];
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "?";
}

static bool is_method(const char *m, const char *want)
{
	return m && strcmp(m, want) == 0;
}

/* The start method of process pid (replay_proc_method), or NULL. */
static const char *method_of_pid(const struct replay *rp, int pid)
{
	const struct process *p = pid ? trace_find_proc(rp->tr, pid) : NULL;

	return p ? replay_proc_method(rp, p) : NULL;
}

static bool has_several_methods(const struct replay *rp)
{
	const char *m[2];

	return replay_methods(rp, m, 2) > 1;
}

bool narrate_execs_after(const struct replay *rp, size_t i, int pid)
{
	const struct replay_proc_facts *f = replay_proc_facts(rp, pid);

	return f && f->first_exec != SIZE_MAX && f->first_exec > i;
}

bool narrate_is_mp_started(const struct replay *rp, const struct process *p)
{
	if (p->role == ROLE_RESOURCE_TRACKER || p->role == ROLE_FORKSERVER)
		return true;
	return p->role == ROLE_CHILD && is_method(replay_proc_method(rp, p), "spawn");
}

/* Does pid unpickle a process object / preparation data after event i? */
static bool loads_later(const struct replay *rp, size_t i, int pid, bool is_process)
{
	const struct replay_proc_facts *f = replay_proc_facts(rp, pid);
	size_t last = !f ? SIZE_MAX : is_process ? f->last_process_load : f->last_prep_load;

	return last != SIZE_MAX && last > i;
}

/* Did pid re-import the main module as __mp_main__ before event i? */
static bool has_mp_main(const struct replay *rp, size_t i, int pid)
{
	const struct replay_proc_facts *f = replay_proc_facts(rp, pid);

	return f && f->first_mp_main < i;
}

static void add_globals(struct sbuf *out, const struct event *ev)
{
	for (size_t i = 0; i < ev->u.pickle.global_count; i++)
		sbuf_addf(out, "%s%s.%s", i ? ", " : "", ev->u.pickle.globals[i].module,
			  ev->u.pickle.globals[i].name);
}

/* A reference to the program's own code (not multiprocessing's classes). */
static const struct global_ref *user_global(const struct event *ev)
{
	for (size_t i = 0; i < ev->u.pickle.global_count; i++) {
		const char *m = ev->u.pickle.globals[i].module;

		if (strncmp(m, "multiprocessing", 15) != 0 && strcmp(m, "builtins") != 0 &&
		    strcmp(m, "copyreg") != 0 && strcmp(m, "_codecs") != 0)
			return &ev->u.pickle.globals[i];
	}
	return NULL;
}

static bool was_pickled_for(const struct replay *rp, int child)
{
	for (size_t i = 0; i < rp->tr->event_count; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (ev->kind == EV_PICKLE_DUMP && ev->u.pickle.peer == child && ev->u.pickle.what &&
		    strcmp(ev->u.pickle.what, "process") == 0)
			return true;
	}
	return false;
}

static void say_methods(const struct replay *rp, struct sbuf *out)
{
	const char *m[8];
	size_t n = replay_methods(rp, m, 8);

	if (n == 0)
		return;
	/* Without meta.methods a program's other methods may be unrecorded:
	 * then only what the trace was recorded under is certain. */
	if (n == 1 && rp->tr->meta.methods.count == 0) {
		sbuf_addf(out, " The trace was recorded under the %s start method.", m[0]);
		return;
	}
	if (n == 1) {
		sbuf_addf(out, " The program used the %s start method.", m[0]);
		return;
	}
	sbuf_addf(out, " The program used %zu start methods: ", n);
	for (size_t i = 0; i < n && i < 8; i++)
		sbuf_addf(out, "%s%s", i == 0 ? "" : i + 1 == n || i == 7 ? " and " : ", ", m[i]);
	if (n > 8)
		sbuf_addf(out, " and %zu more", n - 8);
	sbuf_adds(out, "; each child's is said where it starts.");
}

static void say_start(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct proc_state *ps = replay_proc(rp, s->pid);

	if (!ps) {
		sbuf_adds(out, "The trace has no events to tell.");
		return;
	}
	sbuf_addf(out, "%d started: ", s->pid);
	replay_proc_label(rp, ps, out);
	sbuf_addf(out, " (%s).", role_name(ps->proc->role));
	say_methods(rp, out);
}

static void say_method(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const char *m = ev->u.start_method.method;
	const char *asked = rp->tr->meta.requested_method;

	/* Not chosen by the program: either mpscope run -m set it, or it is
	 * this Python's default on this platform. */
	if (ev->u.start_method.is_explicit)
		sbuf_addf(out, "%d uses the %s start method (chosen by the program).", s->pid, m);
	else if (asked && strcmp(asked, m) == 0)
		sbuf_addf(out, "%d uses the %s start method (set by mpscope run -m %s).", s->pid, m,
			  m);
	else
		sbuf_addf(out, "%d uses the %s start method (the default here).", s->pid, m);
	if (strcmp(m, "fork") == 0)
		sbuf_adds(
			out,
			" A child will be a copy of this process: nothing is pickled to start it.");
	else if (strcmp(m, "spawn") == 0)
		sbuf_adds(
			out,
			" A child will be a fresh interpreter: the target and its args are pickled "
			"and sent to it through a pipe.");
	else if (strcmp(m, "forkserver") == 0)
		sbuf_adds(out,
			  " A single-threaded server will fork the children; the target and its "
			  "args are pickled and sent to each child through a pipe.");
}

static void say_fork(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const struct proc_state *parent = replay_proc(rp, s->pid);
	const struct proc_state *child = replay_proc(rp, s->peer);
	const char *method = child ? replay_proc_method(rp, child->proc) : NULL;
	bool by_server = parent && parent->proc->role == ROLE_FORKSERVER;
	bool will_exec = narrate_execs_after(rp, s->ev, s->peer);

	sbuf_addf(out, "%d created %d with %s", s->pid, s->peer, fork_via_name(ev->u.fork.via));
	if (child)
		sbuf_addf(out, " (%s)", role_name(child->proc->role));
	sbuf_adds(out, ".");
	if (method && has_several_methods(rp))
		sbuf_addf(out, " Its start method is %s.", method);
	if (by_server) {
		sbuf_addf(out,
			  " The forkserver forked it: %d is a copy of the single-threaded server, "
			  "not of the main program.",
			  s->peer);
	} else if (will_exec) {
		sbuf_addf(out,
			  " %d will exec a fresh interpreter at once: nothing of %d's memory "
			  "survives that.",
			  s->peer, s->pid);
	} else if (is_method(method, "fork") && !was_pickled_for(rp, s->peer)) {
		sbuf_addf(out,
			  " Nothing was pickled to start %d: the child is a copy of %d, its "
			  "memory, open fds and the target included.",
			  s->peer, s->pid);
	} else if (!method) {
		sbuf_addf(out, " %d is a copy of %d, its memory and open fds included.", s->peer,
			  s->pid);
	}
	if (parent && parent->thread_count > 1 && ev->u.fork.via == VIA_FORK)
		sbuf_addf(out,
			  " Careful: %d had %d threads; only the forking thread exists in the "
			  "child, and locks the others held stay locked.",
			  s->pid, parent->thread_count);
}

static void say_exec(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const struct proc_state *ps = replay_proc(rp, s->pid);
	bool reads_prep = loads_later(rp, s->ev, s->pid, false);
	bool reads_proc = loads_later(rp, s->ev, s->pid, true);

	sbuf_addf(out, "%d exec'd %s", s->pid, base_name(ev->u.exec.path));
	if (ps) {
		sbuf_adds(out, " to run ");
		replay_proc_label(rp, ps, out);
	}
	sbuf_adds(out, ": a fresh interpreter, its memory starts empty.");
	if (ps && ps->proc->role == ROLE_FORKSERVER)
		sbuf_adds(out,
			  " This is the forkserver: started once, single-threaded, it forks every "
			  "child from now on.");
	else if (ps && ps->proc->role == ROLE_RESOURCE_TRACKER)
		sbuf_adds(out,
			  " The resource tracker cleans up shared memory and semaphores the "
			  "program leaks.");
	else if (reads_prep || reads_proc)
		sbuf_addf(out, " It will read the pickled %s from a pipe.",
			  reads_prep && reads_proc ? "preparation data and process object"
				  : reads_proc     ? "process object"
						   : "preparation data");
}

static void say_fds_pass(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	narrate_fds_pass(rp, s, out);
}

/* The name a pickle of the trace gives from module `mod`, or NULL when no
 * pickle names anything of it. */
static const struct global_ref *pickled_from(const struct trace *tr, const char *mod)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD)
			continue;
		for (size_t g = 0; g < ev->u.pickle.global_count; g++)
			if (ev->u.pickle.globals[g].module &&
			    strcmp(ev->u.pickle.globals[g].module, mod) == 0)
				return &ev->u.pickle.globals[g];
	}
	return NULL;
}

/* "helper.py" for a module's file, else its dotted name. */
static const char *module_file(const struct event *ev)
{
	return ev->u.import.file ? base_name(ev->u.import.file) : ev->u.import.module;
}

/* One of the program's own modules imported: by whom, and what it means
 * for a child, which gets the module's code this way and not by pickle. */
static void say_own_import(const struct replay *rp, int pid, const struct event *ev,
			   struct sbuf *out)
{
	const struct process *p = trace_find_proc(rp->tr, pid);
	const char *by = ev->u.import.by;
	const struct global_ref *g;

	if (strcmp(by, "__mp_main__") == 0)
		sbuf_addf(out, "Re-importing %s imported %s", base_name(rp->tr->meta.program),
			  module_file(ev));
	else if (strcmp(by, "__main__") == 0)
		sbuf_addf(out, "%s imported %s", base_name(rp->tr->meta.program), module_file(ev));
	else
		sbuf_addf(out, "%s imported %s", by, module_file(ev));
	if (!p || p->role != ROLE_CHILD) {
		sbuf_addf(out, " in %d, one of the program's own modules.", pid);
		return;
	}
	g = pickled_from(rp->tr, ev->u.import.module);
	if (!g) {
		sbuf_addf(out, ": that is how %d has %s's code; nothing of it was pickled.", pid,
			  ev->u.import.module);
		return;
	}
	sbuf_addf(out,
		  " in %d: a pickle names %s.%s by reference, and unpickling finds it in "
		  "this module.",
		  pid, g->module, g->name);
}

static bool is_own_import(const struct event *ev)
{
	return ev->kind == EV_IMPORT && ev->u.import.by && ev->u.import.module &&
		strcmp(ev->u.import.module, "__mp_main__") != 0;
}

static void say_import_main(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	size_t said = 0;

	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (!story_step_has_member(rp->tr, s, i) || ev->kind != EV_IMPORT)
			continue;
		sbuf_adds(out, said++ ? " " : "");
		if (is_own_import(ev)) {
			say_own_import(rp, s->pid, ev, out);
			continue;
		}
		sbuf_addf(out,
			  "%d re-imported %s as __mp_main__: the program's top-level code ran "
			  "again in the child, but not the `if __name__ == '__main__':` block.",
			  s->pid,
			  base_name(ev->u.import.file ? ev->u.import.file : rp->tr->meta.program));
	}
}

static void say_what(struct sbuf *out, const char *what, const char *type)
{
	if (!what || strcmp(what, "other") == 0)
		sbuf_addf(out, "an object%s%s", type ? " of type " : "", type ? type : "");
	else if (strcmp(what, "process") == 0)
		sbuf_adds(out, "the process object");
	else if (strcmp(what, "preparation") == 0)
		sbuf_adds(out, "the preparation data");
	else if (strcmp(what, "pool_task") == 0)
		sbuf_adds(out, "a pool task");
	else if (strcmp(what, "pool_result") == 0)
		sbuf_adds(out, "a pool result");
	else if (strcmp(what, "queue_item") == 0)
		sbuf_adds(out, "a queue item");
	else
		sbuf_addf(out, "%s", what);
}

static void say_pickle(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const struct global_ref *ref = user_global(ev);
	bool is_dump = ev->kind == EV_PICKLE_DUMP;
	const char *what = ev->u.pickle.what ? ev->u.pickle.what : "";

	if (ev->u.pickle.error) {
		sbuf_addf(out, "%d could not pickle ", s->pid);
		say_what(out, ev->u.pickle.what, ev->u.pickle.type);
		sbuf_addf(out, ": %s.", ev->u.pickle.error);
		sbuf_adds(out,
			  " Pickle stores a function as module and name, so lambdas and local "
			  "functions cannot be found by name and fail.");
		return;
	}
	sbuf_addf(out, "%d %s ", s->pid, is_dump ? "pickled" : "unpickled");
	say_what(out, ev->u.pickle.what, ev->u.pickle.type);
	if (strcmp(what, "process") == 0 && ev->u.pickle.type)
		sbuf_addf(out, " (a %s, ", ev->u.pickle.type);
	else
		sbuf_adds(out, " (");
	sbuf_add_size(out, ev->u.pickle.size);
	sbuf_adds(out, ")");
	if (s->peer)
		sbuf_addf(out, " %s %d", is_dump ? "for" : "from", s->peer);
	sbuf_adds(out, ".");
	if (is_dump && ref)
		sbuf_addf(out, " %s.%s is stored by reference (module and name), not as code.",
			  ref->module, ref->name);
	else if (!is_dump && ref)
		sbuf_addf(out, " Unpickling looks %s.%s up by name in the child.", ref->module,
			  ref->name);
	if (strcmp(what, "preparation") == 0 && is_dump)
		sbuf_adds(out,
			  " It holds the main module's path, sys.path and the working directory, "
			  "so the child can re-import the program.");
	if ((strcmp(what, "pool_task") == 0 || strcmp(what, "queue_item") == 0) &&
	    is_method(method_of_pid(rp, is_dump ? s->peer : s->pid), "fork"))
		sbuf_adds(out, " Even under fork, pool tasks and queue items are pickled.");
	if (ev->u.pickle.global_count > 0) {
		sbuf_adds(out, " References: ");
		add_globals(out, ev);
		sbuf_adds(out, ".");
	}
}

static void say_group(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	uint64_t bytes = 0;
	size_t pickles = 0, lookups = 0;
	const char *what = ev_of(rp, s)->u.pickle.what;

	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (!story_step_has_member(rp->tr, s, i))
			continue;
		if (ev->kind == EV_PICKLE_FIND_CLASS) {
			lookups++;
			continue;
		}
		pickles++;
		bytes += ev->u.pickle.size;
	}
	sbuf_addf(out, "%zu pickles of pool tasks, results or queue items (", pickles);
	sbuf_add_size(out, bytes);
	sbuf_addf(out, " in all), starting with %s", what ? what : "other");
	if (lookups)
		sbuf_addf(out, ", and %zu name lookups", lookups);
	sbuf_adds(out,
		  ". Every task's function and arguments are pickled, under every start "
		  "method. Press Enter to see them one by one.");
}

/* The pickles a process made or read past the first ones of their kind:
 * what they were, that they were counted and not kept one by one, and how
 * to keep every one. Every view words one count the same way
 * (trace_counted_format). */
static void say_counted(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	uint64_t bytes = 0, total = 0;
	size_t told = 0;

	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (!story_step_has_member(rp->tr, s, i))
			continue;
		if (told++)
			sbuf_adds(out, told == s->member_count ? " and " : ", ");
		trace_counted_format(ev->u.pickle_summary.what, ev->u.pickle_summary.op,
				     ev->u.pickle_summary.count, out);
		if (told == 1)
			sbuf_addf(out, " by %d", s->pid);
		bytes += ev->u.pickle_summary.size;
		total += ev->u.pickle_summary.count;
	}
	sbuf_adds(out, " (");
	sbuf_add_size(out, bytes);
	sbuf_addf(out, "%s) %s counted, not kept one by one: mpscope ",
		  s->member_count > 1 ? " in all" : "", total == 1 ? "was" : "were");
	if (!trace_keep_format(&rp->tr->meta, out))
		sbuf_adds(out, "kept only the first ones of each kind per process");
	sbuf_adds(out, " (mpscope run --all-payloads keeps every one).");
}

static void say_find_class(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	size_t n = 0;
	bool has_main = false;

	sbuf_addf(out, "%d looked up ", s->pid);
	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (!story_step_has_member(rp->tr, s, i))
			continue;
		if (n < 5)
			sbuf_addf(out, "%s%s.%s", n ? ", " : "", ev->u.find_class.module,
				  ev->u.find_class.name);
		if (strcmp(ev->u.find_class.module, "__main__") == 0 ||
		    strcmp(ev->u.find_class.module, "__mp_main__") == 0)
			has_main = true;
		n++;
	}
	if (n > 5)
		sbuf_addf(out, " and %zu more", n - 5);
	sbuf_adds(out, " by name while unpickling.");
	if (has_main)
		sbuf_adds(out, " Whatever that name means in the child now is what runs.");
	if (has_main && has_mp_main(rp, s->ev, s->pid))
		sbuf_adds(out, " In this child __main__ is the re-imported __mp_main__.");
}

#define OUTPUT_PIDS_SHOWN 8

/* Did a process write, then another, then the first again in step s? */
static bool is_interleaved(const struct replay *rp, const struct step *s)
{
	int seen[OUTPUT_PIDS_SHOWN * 4];
	size_t n = 0;

	for (size_t i = s->ev; i < s->ev_end; i++) {
		int pid = rp->tr->events[i].pid;

		if (!story_step_has_member(rp->tr, s, i) || (n && seen[n - 1] == pid))
			continue;
		for (size_t j = 0; j < n; j++)
			if (seen[j] == pid)
				return true;
		/* Past what it can hold, many writers: say they interleaved. */
		if (n == sizeof(seen) / sizeof(seen[0]))
			return true;
		seen[n++] = pid;
	}
	return false;
}

static void say_output(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	size_t k = (size_t)(s - rp->story.steps);
	int pids[OUTPUT_PIDS_SHOWN];
	size_t n = replay_output_pids(rp, k, pids, OUTPUT_PIDS_SHOWN);
	const char *verb = ev->u.output.stream == STREAM_STDERR ? "wrote to stderr" : "printed";

	for (size_t i = 0; i < n && i < OUTPUT_PIDS_SHOWN; i++) {
		struct sbuf lines;
		struct replay_output info;

		sbuf_init(&lines);
		replay_output_lines(rp, k, pids[i], &lines, &info);
		sbuf_adds(out, i ? "\n" : "");
		/* A line is told whole at the step where it began; here only
		 * that its last writes came now. */
		if (info.has_earlier_line && info.line_count == 0)
			sbuf_addf(out,
				  "%d finished the line it began at step %zu (one print() is "
				  "several writes, and other events came between them).",
				  pids[i], info.began_step + 1);
		else if (info.has_earlier_line)
			sbuf_addf(out,
				  "%d finished the line it began at step %zu, then %s: ", pids[i],
				  info.began_step + 1, verb);
		else
			sbuf_addf(out, "%d %s: ", pids[i], verb);
		if (info.line_count > 0)
			sbuf_add(out, lines.data, lines.len);
		sbuf_release(&lines);
	}
	if (n > OUTPUT_PIDS_SHOWN)
		sbuf_addf(out, "\n(and %zu more processes)", n - OUTPUT_PIDS_SHOWN);
	if (n > 1 && is_interleaved(rp, s))
		sbuf_addf(out,
			  "\nThese %zu processes wrote at the same time and their writes "
			  "interleaved (one print() is several writes); each one's text is put "
			  "back together here.",
			  n);
}

static void say_exit(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	char status[64];

	trace_exit_format(&ev_of(rp, s)->u.exit, EXIT_SENTENCE, status, sizeof(status));
	sbuf_addf(out, "%d %s.", s->pid, status);
}

static void say_error(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	sbuf_addf(out, "%d reported an error: %s", s->pid, ev_of(rp, s)->u.error.message);
}

static const narrate_fn narrators[STEP_KIND_COUNT] = {
	[STEP_START] = say_start,
	[STEP_METHOD] = say_method,
	[STEP_FORK] = say_fork,
	[STEP_EXEC] = say_exec,
	[STEP_FDS_PASS] = say_fds_pass,
	[STEP_IMPORT_MAIN] = say_import_main,
	[STEP_PICKLE_DUMP] = say_pickle,
	[STEP_PICKLE_LOAD] = say_pickle,
	[STEP_PICKLE_GROUP] = say_group,
	[STEP_PICKLE_SUMMARY] = say_counted,
	[STEP_FIND_CLASS] = say_find_class,
	[STEP_OUTPUT] = say_output,
	[STEP_EXIT] = say_exit,
	[STEP_ERROR] = say_error,
};

void replay_narrate(const struct replay *rp, size_t k, struct sbuf *out)
{
	const struct step *s;

	if (k >= rp->story.step_count)
		return;
	s = &rp->story.steps[k];
	if (rp->tr->event_count == 0 || s->member_count == 0) {
		sbuf_adds(out, "The trace has no events to tell.");
		return;
	}
	narrators[s->kind](rp, s, out);
}

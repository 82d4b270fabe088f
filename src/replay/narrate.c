/*
 * narrate.c - the words of the replay: what each step means, as sentences.
 *
 * Generated from the events themselves, so they stay true when Python
 * changes; the method-specific sentences follow what docs/python-versions.md
 * measured (e.g. under fork starting a Process pickles nothing, under spawn
 * the child re-imports the main module as __mp_main__ and looks the target
 * up by name). One function per step kind, chosen by a table.
 */
#include "replay/replay.h"

#include <stdio.h>
#include <string.h>

typedef void (*narrate_fn)(const struct replay *rp, const struct step *s, struct sbuf *out);

static const char *method_of(const struct replay *rp)
{
	return rp->tr->meta.method ? rp->tr->meta.method : "";
}

static bool method_is(const struct replay *rp, const char *m)
{
	return strcmp(method_of(rp), m) == 0;
}

static const struct event *ev_of(const struct replay *rp, const struct step *s)
{
	return &rp->tr->events[s->ev];
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "?";
}

static const struct strv *argv_now(const struct proc_state *ps)
{
	if (ps->exec && ps->exec->u.exec.argv.count > 0)
		return &ps->exec->u.exec.argv;
	return &ps->proc->argv;
}

void replay_proc_label(const struct replay *rp, const struct proc_state *ps, struct sbuf *out)
{
	const struct strv *av = argv_now(ps);

	(void)rp;
	for (size_t i = 0; i < av->count; i++) {
		const char *a = av->items[i];

		/* multiprocessing starts its helpers with `python -c "from ...
		 * import spawn_main; ..."`: name them by what they run. */
		if (strstr(a, "spawn_main")) {
			sbuf_adds(out, "spawn_main");
			return;
		}
		if (strstr(a, "forkserver")) {
			/* A forkserver child still has the server's argv. */
			sbuf_adds(out,
				  ps->proc->role == ROLE_FORKSERVER ? "forkserver"
								    : "via forkserver");
			return;
		}
		if (strstr(a, "resource_tracker")) {
			sbuf_adds(out, "resource_tracker");
			return;
		}
	}
	for (size_t i = 1; i < av->count; i++) {
		if (av->items[i][0] != '-') {
			sbuf_adds(out, base_name(av->items[i]));
			return;
		}
	}
	sbuf_adds(out, av->count ? base_name(av->items[0]) : role_name(ps->proc->role));
}

static void add_fd_list(struct sbuf *out, const struct fd_entry *fds, size_t count)
{
	const size_t shown = 6;

	for (size_t i = 0; i < count && i < shown; i++)
		sbuf_addf(out, "%s%d (%s)", i ? ", " : "", fds[i].fd, fd_type_name(fds[i].type));
	if (count > shown)
		sbuf_addf(out, " and %zu more", count - shown);
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
	if (*method_of(rp))
		sbuf_addf(out, " The trace was recorded under the %s start method.", method_of(rp));
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
			"and sent to it.");
	else if (strcmp(m, "forkserver") == 0)
		sbuf_adds(out,
			  " A single-threaded server will fork the children; the target and its "
			  "args are pickled and sent to it.");
}

static void say_fork(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const struct proc_state *parent = replay_proc(rp, s->pid);
	const struct proc_state *child = replay_proc(rp, s->peer);
	bool by_server = parent && parent->proc->role == ROLE_FORKSERVER;

	sbuf_addf(out, "%d created %d with %s", s->pid, s->peer, fork_via_name(ev->u.fork.via));
	if (child)
		sbuf_addf(out, " (%s)", role_name(child->proc->role));
	sbuf_adds(out, ".");
	if (by_server) {
		sbuf_addf(out,
			  " The forkserver forked it: %d is a copy of the single-threaded server, "
			  "not of the main program.",
			  s->peer);
	} else if (method_is(rp, "fork") && ev->u.fork.via == VIA_FORK &&
		   !was_pickled_for(rp, s->peer)) {
		sbuf_addf(out,
			  " Nothing was pickled to start %d: the child is a copy of %d, its "
			  "memory, open fds and the target included.",
			  s->peer, s->pid);
	} else if (ev->u.fork.via != VIA_FORK || method_is(rp, "spawn")) {
		sbuf_addf(out,
			  " %d will exec a fresh interpreter at once: nothing of %d's memory "
			  "survives that.",
			  s->peer, s->pid);
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
	else if (method_is(rp, "spawn") || method_is(rp, "forkserver"))
		sbuf_adds(out,
			  " It will read the pickled preparation data and process object from "
			  "a pipe.");
}

/* The descriptor table process pid had just before the exec that event i
 * reports (its table at fork or start), or NULL when the trace has none. */
static const struct event *table_before_exec(const struct trace *tr, size_t i, int pid)
{
	bool is_past_exec = false;

	while (i-- > 0) {
		const struct event *ev = &tr->events[i];

		if (ev->pid != pid)
			continue;
		if (ev->kind == EV_EXEC)
			is_past_exec = true;
		else if (is_past_exec && ev->kind == EV_FDS)
			return ev;
	}
	return NULL;
}

/* The fds an exec closed: as the tracer recorded them, or else what the
 * table before the exec had and the table after it lacks. */
static void add_closed_at_exec(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	const struct fd_entry *closed = ev->u.fds_pass.closed;
	size_t count = ev->u.fds_pass.closed_count, said = 0;
	const struct event *before = NULL;

	if (count == 0) {
		before = table_before_exec(rp->tr, s->ev, s->pid);
		if (!before)
			return;
		closed = before->u.fds.fds;
		count = before->u.fds.fd_count;
	}
	for (size_t i = 0; i < count; i++) {
		const struct fd_entry *c = &closed[i];

		if (before && trace_fd_find(ev->u.fds_pass.fds, ev->u.fds_pass.fd_count, c->fd))
			continue;
		if (++said > 4)
			continue;
		if (said == 1)
			sbuf_adds(out, " Closed at exec:");
		sbuf_addf(out, "%s %d (%s)", said > 1 ? "," : "", c->fd, fd_type_name(c->type));
	}
	if (said > 4)
		sbuf_addf(out, " and %zu more", said - 4);
	if (!said)
		return;
	if (method_is(rp, "spawn") || method_is(rp, "forkserver"))
		sbuf_addf(out, ". %s not inherited: %s passes on only the fds it names.",
			  said == 1 ? "It was" : "They were", method_of(rp));
	else
		sbuf_addf(out, ". %s close-on-exec.", said == 1 ? "It was" : "They were");
}

static void say_fds_pass(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	size_t n = ev->u.fds_pass.fd_count;
	int to = ev->u.fds_pass.to ? ev->u.fds_pass.to : s->pid;

	switch (ev->u.fds_pass.via) {
	case PASS_FORK:
		sbuf_addf(out, "%d inherited %zu fd%s from %d by fork: ", to, n, n == 1 ? "" : "s",
			  s->pid);
		add_fd_list(out, ev->u.fds_pass.fds, n);
		sbuf_adds(out, ". A forked child gets a copy of every open descriptor.");
		break;
	case PASS_EXEC:
		sbuf_addf(out, "At exec %d kept %zu fd%s", s->pid, n, n == 1 ? "" : "s");
		if (n) {
			sbuf_adds(out, ": ");
			add_fd_list(out, ev->u.fds_pass.fds, n);
		}
		sbuf_adds(out, ".");
		add_closed_at_exec(rp, s, out);
		break;
	case PASS_SCM_RIGHTS:
		sbuf_addf(out, "%d sent %zu fd%s to %d over a Unix socket (SCM_RIGHTS): ", s->pid,
			  n, n == 1 ? "" : "s", to);
		add_fd_list(out, ev->u.fds_pass.fds, n);
		sbuf_adds(out, ". The kernel installs copies in the receiver under new numbers.");
		break;
	case PASS_RESOURCE_SHARER:
		sbuf_addf(out, "%d handed %zu fd%s to %d through its resource sharer: ", s->pid, n,
			  n == 1 ? "" : "s", to);
		add_fd_list(out, ev->u.fds_pass.fds, n);
		sbuf_adds(out,
			  ". The pickle carried only a reference; the fd itself came over a "
			  "Unix socket.");
		break;
	case PASS_VIA_COUNT:
		break;
	}
}

static void say_import_main(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);

	sbuf_addf(out,
		  "%d re-imported %s as __mp_main__: the program's top-level code ran again "
		  "in the child, but not the `if __name__ == '__main__':` block.",
		  s->pid, base_name(ev->u.import.file ? ev->u.import.file : rp->tr->meta.program));
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
	    method_is(rp, "fork"))
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
	if (has_main && !method_is(rp, "fork"))
		sbuf_adds(out, " In this child __main__ is the re-imported __mp_main__.");
}

size_t replay_output_pids(const struct replay *rp, size_t k, int *pids, size_t max)
{
	const struct step *s;
	size_t n = 0;

	if (k >= rp->story.step_count || rp->story.steps[k].kind != STEP_OUTPUT)
		return 0;
	s = &rp->story.steps[k];
	for (size_t i = s->ev; i < s->ev_end; i++) {
		int pid = rp->tr->events[i].pid;
		bool is_new = true;

		if (!story_step_has_member(rp->tr, s, i))
			continue;
		for (size_t j = 0; j < n && j < max; j++)
			is_new = is_new && pids[j] != pid;
		if (!is_new)
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	return n;
}

void replay_output_text(const struct replay *rp, size_t k, int pid, struct sbuf *out)
{
	const struct step *s;
	size_t start = out->len;

	if (k >= rp->story.step_count)
		return;
	s = &rp->story.steps[k];
	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &rp->tr->events[i];

		if (ev->pid == pid && story_step_has_member(rp->tr, s, i))
			sbuf_add(out, ev->u.output.text, ev->u.output.text_len);
	}
	/* One print is several writes with PYTHONUNBUFFERED=1; the joined text
	 * usually ends in a newline that says nothing on screen. */
	while (out->len > start && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
}

#define OUTPUT_PIDS_SHOWN 8
#define LINE_HEAD_MAX 4096

/* Before event i, did pid leave a line unfinished on the stream (a print
 * whose writes another step interrupted)? Appends that beginning of the
 * line and returns true. */
static bool add_line_head(const struct replay *rp, size_t i, int pid, enum out_stream stream,
			  struct sbuf *out)
{
	size_t first = i, len = 0;

	/* Back to the newline that began the line, within a bounded look. */
	while (first > 0 && i - first < LINE_HEAD_MAX) {
		const struct event *ev = &rp->tr->events[first - 1];
		const char *nl;

		if (ev->kind != EV_OUTPUT || ev->pid != pid || ev->u.output.stream != stream) {
			first--;
			continue;
		}
		nl = memrchr(ev->u.output.text, '\n', ev->u.output.text_len);
		if (!nl && len + ev->u.output.text_len > LINE_HEAD_MAX)
			break;
		len += nl ? ev->u.output.text_len - (size_t)(nl + 1 - ev->u.output.text)
			  : ev->u.output.text_len;
		first--;
		if (nl)
			break;
	}
	if (len == 0)
		return false;
	for (size_t j = first; j < i; j++) {
		const struct event *ev = &rp->tr->events[j];
		const char *nl;

		if (ev->kind != EV_OUTPUT || ev->pid != pid || ev->u.output.stream != stream)
			continue;
		nl = memrchr(ev->u.output.text, '\n', ev->u.output.text_len);
		if (nl)
			sbuf_add(out, nl + 1,
				 ev->u.output.text_len - (size_t)(nl + 1 - ev->u.output.text));
		else
			sbuf_add(out, ev->u.output.text, ev->u.output.text_len);
	}
	return true;
}

static void say_output(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = ev_of(rp, s);
	size_t k = (size_t)(s - rp->story.steps);
	int pids[OUTPUT_PIDS_SHOWN];
	size_t n = replay_output_pids(rp, k, pids, OUTPUT_PIDS_SHOWN);
	const char *verb = ev->u.output.stream == STREAM_STDERR ? "wrote to stderr" : "printed";

	for (size_t i = 0; i < n && i < OUTPUT_PIDS_SHOWN; i++) {
		struct sbuf head;

		/* A line begun in an earlier step is shown whole, and said to be. */
		sbuf_init(&head);
		if (add_line_head(rp, s->ev, pids[i], ev->u.output.stream, &head) && !head.is_oom) {
			sbuf_addf(out, "%s%d %s (finishing a line): ", i ? "\n" : "", pids[i],
				  verb);
			sbuf_add(out, head.data, head.len);
		} else {
			sbuf_addf(out, "%s%d %s: ", i ? "\n" : "", pids[i], verb);
		}
		sbuf_release(&head);
		replay_output_text(rp, k, pids[i], out);
	}
	if (n > OUTPUT_PIDS_SHOWN)
		sbuf_addf(out, "\n(and %zu more processes)", n - OUTPUT_PIDS_SHOWN);
	if (n > 1)
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
	[STEP_START] = say_start,        [STEP_METHOD] = say_method,
	[STEP_FORK] = say_fork,          [STEP_EXEC] = say_exec,
	[STEP_FDS_PASS] = say_fds_pass,  [STEP_IMPORT_MAIN] = say_import_main,
	[STEP_PICKLE_DUMP] = say_pickle, [STEP_PICKLE_LOAD] = say_pickle,
	[STEP_PICKLE_GROUP] = say_group, [STEP_FIND_CLASS] = say_find_class,
	[STEP_OUTPUT] = say_output,      [STEP_EXIT] = say_exit,
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

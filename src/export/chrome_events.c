/*
 * chrome_events.c - what each kind of event is in `export -f chrome`, one
 * row per kind: its shape (a slice, an instant, a counter), its category,
 * the name its slice shows (in the screen's words where the screen has
 * them) and the args a click on it lists. Pickles counted, not kept one by
 * one (pickle.summary), are an instant at the process's end with their
 * count and bytes. See chrome_internal.h.
 */
#include <string.h>

#include "export/chrome_internal.h"

#define NAME_TEXT_MAX 60 /* of an output line, in a slice's name */

static void name_fork(struct chrome *c, const struct event *ev)
{
	sbuf_addf(&c->name, "%s → %d", fork_via_name(ev->u.fork.via), ev->u.fork.child);
}

static void name_exec(struct chrome *c, const struct event *ev)
{
	const struct proc_state *ps = replay_proc(c->rp, ev->pid);

	sbuf_adds(&c->name, "exec ");
	if (ps)
		replay_proc_label(c->rp, ps, &c->name);
}

static void name_pickle(struct chrome *c, const struct event *ev)
{
	sbuf_addf(&c->name, "%s %s%s", ev->kind == EV_PICKLE_DUMP ? "pickle" : "unpickle",
		  ev->u.pickle.what ? ev->u.pickle.what : "object",
		  ev->u.pickle.error ? " FAILED" : "");
}

static void name_find(struct chrome *c, const struct event *ev)
{
	sbuf_addf(&c->name, "find %s.%s", ev->u.find_class.module, ev->u.find_class.name);
}

static void name_import(struct chrome *c, const struct event *ev)
{
	sbuf_addf(&c->name, "import %s", ev->u.import.module);
}

static void name_output(struct chrome *c, const struct event *ev)
{
	const char *nl = memchr(ev->u.output.text, '\n', ev->u.output.text_len);
	size_t len = nl ? (size_t)(nl - ev->u.output.text) : ev->u.output.text_len;

	sbuf_addf(&c->name, "%s: ", ev->u.output.stream == STREAM_STDERR ? "err" : "out");
	/* Whole characters only: the name is cut, not broken. */
	while (len > NAME_TEXT_MAX ||
	       (len < ev->u.output.text_len && len > 0 &&
		((unsigned char)ev->u.output.text[len] & 0xC0) == 0x80))
		len--;
	sbuf_add(&c->name, ev->u.output.text, len);
}

static void name_exit(struct chrome *c, const struct event *ev)
{
	char status[64];

	trace_exit_format(&ev->u.exit, EXIT_STATUS, status, sizeof(status));
	sbuf_adds(&c->name, status);
}

static void name_error(struct chrome *c, const struct event *ev)
{
	(void)ev;
	sbuf_adds(&c->name, "error");
}

static void name_method(struct chrome *c, const struct event *ev)
{
	sbuf_addf(&c->name, "method %s", ev->u.start_method.method);
}

/* As the brief says it: "4212 inherits 7 fds", "sends 2 fds → 4213
 * (scm_rights)"; a pass at fork is on the parent's track. */
static void name_pass(struct chrome *c, const struct event *ev)
{
	if (ev->u.fds_pass.via == PASS_FORK)
		sbuf_addf(&c->name, "%d inherits %zu fds", ev->u.fds_pass.to,
			  ev->u.fds_pass.fd_count);
	else if (ev->u.fds_pass.via == PASS_EXEC)
		sbuf_addf(&c->name, "%d keeps %zu fds at exec", ev->u.fds_pass.to,
			  ev->u.fds_pass.fd_count);
	else
		sbuf_addf(&c->name, "sends %zu fds → %d (%s)", ev->u.fds_pass.fd_count,
			  ev->u.fds_pass.to, pass_via_name(ev->u.fds_pass.via));
}

/* "1,968 more pool tasks pickled (counted, not kept)", in the words of
 * every view. */
static void name_counted(struct chrome *c, const struct event *ev)
{
	trace_counted_format(ev->u.pickle_summary.what, ev->u.pickle_summary.op,
			     ev->u.pickle_summary.count, &c->name);
	sbuf_adds(&c->name, " (counted, not kept)");
}

static void name_memory(struct chrome *c, const struct event *ev)
{
	(void)ev;
	sbuf_adds(&c->name, "memory");
}

static void name_threads(struct chrome *c, const struct event *ev)
{
	(void)ev;
	sbuf_adds(&c->name, "threads");
}

static void args_fork(struct chrome *c, const struct event *ev)
{
	chrome_arg_num(c, "child", ev->u.fork.child);
	chrome_arg_str(c, "via", fork_via_name(ev->u.fork.via));
}

static void args_exec(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "path", ev->u.exec.path);
	chrome_add_strv(c, "argv", &ev->u.exec.argv);
}

static void args_pickle(struct chrome *c, const struct event *ev)
{
	const struct global_ref *g = replay_payload_ref(ev);

	chrome_arg_num(c, "size", (long long)ev->u.pickle.size);
	chrome_arg_str(c, "what", ev->u.pickle.what);
	chrome_arg_str(c, "type", ev->u.pickle.type);
	if (ev->u.pickle.peer)
		chrome_arg_num(c, ev->kind == EV_PICKLE_DUMP ? "to" : "from", ev->u.pickle.peer);
	if (g) {
		sbuf_clear(&c->name);
		sbuf_addf(&c->name, "%s.%s", g->module, g->name);
		chrome_key(c, "reference");
		chrome_add_string(c, c->name.data, c->name.len);
	}
	chrome_key(c, "globals");
	sbuf_addc(c->out, '[');
	for (size_t i = 0; i < ev->u.pickle.global_count; i++) {
		sbuf_clear(&c->name);
		sbuf_addf(&c->name, "%s.%s", ev->u.pickle.globals[i].module,
			  ev->u.pickle.globals[i].name);
		if (i)
			sbuf_addc(c->out, ',');
		chrome_add_string(c, c->name.data, c->name.len);
	}
	sbuf_addc(c->out, ']');
	if (ev->u.pickle.is_truncated)
		chrome_arg_num(c, "captured", (long long)ev->u.pickle.bytes_len);
	if (ev->u.pickle.is_redacted)
		chrome_arg_str(c, "authkey", "hidden");
	chrome_arg_str(c, "error", ev->u.pickle.error);
}

static void args_find(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "module", ev->u.find_class.module);
	chrome_arg_str(c, "name", ev->u.find_class.name);
}

static void args_import(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "module", ev->u.import.module);
	chrome_arg_str(c, "file", ev->u.import.file);
	chrome_arg_str(c, "by", ev->u.import.by);
}

static void args_output(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "stream", stream_name(ev->u.output.stream));
	chrome_key(c, "text");
	chrome_add_string(c, ev->u.output.text, ev->u.output.text_len);
}

static void args_exit(struct chrome *c, const struct event *ev)
{
	if (ev->u.exit.is_signal)
		chrome_arg_num(c, "signal", ev->u.exit.signal);
	else
		chrome_arg_num(c, "code", ev->u.exit.code);
}

static void args_error(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "message", ev->u.error.message);
}

static void args_method(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "method", ev->u.start_method.method);
	sbuf_addf(c->out, ",\"explicit\":%s", ev->u.start_method.is_explicit ? "true" : "false");
}

static void add_fds(struct chrome *c, const char *name, const struct fd_entry *fds, size_t n)
{
	chrome_key(c, name);
	sbuf_addc(c->out, '[');
	for (size_t i = 0; i < n; i++) {
		sbuf_clear(&c->name);
		sbuf_addf(&c->name, "%d", fds[i].fd);
		if (fds[i].as_fd >= 0 && fds[i].as_fd != fds[i].fd)
			sbuf_addf(&c->name, " → %d", fds[i].as_fd);
		sbuf_adds(&c->name, " ");
		replay_fd_name(&fds[i], false, &c->name);
		if (i)
			sbuf_addc(c->out, ',');
		chrome_add_string(c, c->name.data, c->name.len);
	}
	sbuf_addc(c->out, ']');
}

static void args_pass(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "via", pass_via_name(ev->u.fds_pass.via));
	if (ev->u.fds_pass.to)
		chrome_arg_num(c, "to", ev->u.fds_pass.to);
	chrome_arg_str(c, "socket", ev->u.fds_pass.socket);
	add_fds(c, "fds", ev->u.fds_pass.fds, ev->u.fds_pass.fd_count);
	if (ev->u.fds_pass.closed_count)
		add_fds(c, "closed", ev->u.fds_pass.closed, ev->u.fds_pass.closed_count);
}

static void args_counted(struct chrome *c, const struct event *ev)
{
	chrome_arg_str(c, "what", ev->u.pickle_summary.what);
	chrome_arg_str(c, "op", pickle_direction_name(ev->u.pickle_summary.op));
	chrome_arg_num(c, "count", (long long)ev->u.pickle_summary.count);
	chrome_arg_num(c, "size", (long long)ev->u.pickle_summary.size);
}

/* A counter's args are its values, numbers only, the first without a
 * comma before it; memory in MB, as people read it. */
static void args_memory(struct chrome *c, const struct event *ev)
{
	sbuf_addf(c->out, "\"rss MB\":%.3f", (double)ev->u.memory.rss / 1e6);
	sbuf_addf(c->out, ",\"shared MB\":%.3f", (double)ev->u.memory.shared / 1e6);
}

static void args_threads(struct chrome *c, const struct event *ev)
{
	sbuf_addf(c->out, "\"count\":%d", ev->u.threads.count);
}

/* Kinds missing here (proc.start, descriptor tables and labels, a kind
 * from a newer mpscope) are not drawn: the lifetime slice, the passes and
 * the story say what they would. */
static const struct chrome_kind kinds[] = {
	{ EV_FORK, CHROME_SLICE, "process", name_fork, args_fork },
	{ EV_EXEC, CHROME_SLICE, "process", name_exec, args_exec },
	{ EV_PICKLE_DUMP, CHROME_SLICE, "pickle", name_pickle, args_pickle },
	{ EV_PICKLE_LOAD, CHROME_SLICE, "pickle", name_pickle, args_pickle },
	{ EV_PICKLE_FIND_CLASS, CHROME_INSTANT, "pickle", name_find, args_find },
	{ EV_PICKLE_SUMMARY, CHROME_INSTANT, "pickle", name_counted, args_counted },
	{ EV_IMPORT, CHROME_INSTANT, "import", name_import, args_import },
	{ EV_OUTPUT, CHROME_INSTANT, "output", name_output, args_output },
	{ EV_EXIT, CHROME_INSTANT, "process", name_exit, args_exit },
	{ EV_ERROR, CHROME_INSTANT, "error", name_error, args_error },
	{ EV_START_METHOD, CHROME_INSTANT, "process", name_method, args_method },
	{ EV_FDS_PASS, CHROME_INSTANT, "fds", name_pass, args_pass },
	{ EV_MEMORY, CHROME_COUNTER, "memory", name_memory, args_memory },
	{ EV_THREADS, CHROME_COUNTER, "threads", name_threads, args_threads },
};

const struct chrome_kind *chrome_kind_of(enum ev_kind k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == k)
			return &kinds[i];
	return NULL;
}

enum chrome_shape chrome_shape_of(const struct event *ev)
{
	const struct chrome_kind *r = chrome_kind_of(ev->kind);

	return r ? r->shape : CHROME_NONE;
}

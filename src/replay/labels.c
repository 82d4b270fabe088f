/*
 * labels.c - what processes and descriptors are called, from facts the
 * trace records: a process by its role and what it runs (the `-c` command
 * multiprocessing starts it with, the script), its start method; a
 * descriptor by its target and by what multiprocessing said it is
 * (fds.label), or as the shell's. Never a guess from a substring of a
 * path. Part of replay/ (trace/ -> replay/ -> ui/); see replay.h.
 */
#include "replay/replay.h"

#include <string.h>

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

/* multiprocessing starts its helpers with `python -c "from
 * multiprocessing.X import F; F(...)"`: the function it runs, or the module
 * X when F is its `main`. NULL for any other command. */
static size_t mp_command_name(const char *cmd, const char **name)
{
	static const char from[] = "from multiprocessing.";
	const char *mod, *imp, *fn;
	size_t mod_len, fn_len;

	if (strncmp(cmd, from, sizeof(from) - 1) != 0)
		return 0;
	mod = cmd + sizeof(from) - 1;
	mod_len = strspn(mod, "abcdefghijklmnopqrstuvwxyz_");
	imp = mod + mod_len;
	if (mod_len == 0 || strncmp(imp, " import ", 8) != 0)
		return 0;
	fn = imp + 8;
	fn_len = strspn(fn, "abcdefghijklmnopqrstuvwxyz_");
	if (fn_len == 0)
		return 0;
	if (fn_len == 4 && strncmp(fn, "main", 4) == 0) {
		*name = mod;
		return mod_len;
	}
	*name = fn;
	return fn_len;
}

/* Interpreter options that take the next argument as their value. */
static bool takes_value(const char *opt)
{
	return strcmp(opt, "-W") == 0 || strcmp(opt, "-X") == 0 ||
		strcmp(opt, "--check-hash-based-pycs") == 0;
}

/* Appends what the command line runs: the `-c` function, the `-m` module,
 * the script's base name; false when it says none of these. */
static bool add_what_runs(const struct strv *av, struct sbuf *out)
{
	for (size_t i = 1; i < av->count; i++) {
		const char *a = av->items[i];
		const char *name = NULL;
		size_t len;

		if (strcmp(a, "-c") == 0) {
			len = i + 1 < av->count ? mp_command_name(av->items[i + 1], &name) : 0;
			if (len)
				sbuf_add(out, name, len);
			else
				sbuf_adds(out, "-c");
			return true;
		}
		if (strcmp(a, "-m") == 0 && i + 1 < av->count) {
			sbuf_adds(out, av->items[i + 1]);
			return true;
		}
		if (takes_value(a)) {
			i++;
			continue;
		}
		if (a[0] != '-') {
			sbuf_adds(out, base_name(a));
			return true;
		}
	}
	return false;
}

void replay_proc_label(const struct replay *rp, const struct proc_state *ps, struct sbuf *out)
{
	const struct process *parent = trace_find_proc(rp->tr, ps->proc->ppid);
	const struct strv *av = argv_now(ps);

	switch (ps->proc->role) {
	case ROLE_FORKSERVER:
		sbuf_adds(out, "forkserver");
		return;
	case ROLE_RESOURCE_TRACKER:
		sbuf_adds(out, "resource_tracker");
		return;
	default:
		break;
	}
	/* A child the forkserver forked has not exec'd: its argv is still
	 * the server's, but what it runs is the program's target. */
	if (ps->proc->role == ROLE_CHILD && !ps->exec && parent && parent != ps->proc &&
	    parent->role == ROLE_FORKSERVER) {
		sbuf_adds(out, "via forkserver");
		return;
	}
	if (add_what_runs(av, out))
		return;
	sbuf_adds(out, av->count ? base_name(av->items[0]) : role_name(ps->proc->role));
}

const char *replay_proc_method(const struct replay *rp, const struct process *p)
{
	if (p->method)
		return p->method;
	return p->role == ROLE_CHILD ? rp->tr->meta.method : NULL;
}

static size_t add_method(const char **out, size_t max, size_t n, const char *m)
{
	if (!m || !*m)
		return n;
	for (size_t i = 0; i < n && i < max; i++)
		if (strcmp(out[i], m) == 0)
			return n;
	if (n < max)
		out[n] = m;
	return n + 1;
}

void replay_methods_index(struct replay *rp)
{
	const struct trace *tr = rp->tr;
	size_t max = REPLAY_METHODS_MAX, n = 0;

	if (tr->meta.methods.count > 0) {
		for (size_t i = 0; i < tr->meta.methods.count; i++)
			n = add_method(rp->methods, max, n, tr->meta.methods.items[i]);
	} else {
		n = add_method(rp->methods, max, n, tr->meta.method);
		for (size_t i = 0; i < tr->event_count; i++)
			if (tr->events[i].kind == EV_START_METHOD)
				n = add_method(rp->methods, max, n,
					       tr->events[i].u.start_method.method);
		for (size_t i = 0; i < tr->proc_count; i++)
			n = add_method(rp->methods, max, n, tr->procs[i].method);
	}
	rp->method_count = n < max ? n : max;
}

size_t replay_methods(const struct replay *rp, const char **out, size_t max)
{
	for (size_t i = 0; i < rp->method_count && i < max; i++)
		out[i] = rp->methods[i];
	return rp->method_count;
}

/* ---- descriptors ---- */

/* One row per purpose multiprocessing gives a descriptor (fds.label). */
static const struct {
	const char *word; /* before the name on a narrow panel */
	const char *phrase; /* in a sentence */
} purposes[FD_PURPOSE_COUNT] = {
	[FD_STARTUP_DATA] = { "start-up", "the start-up data pipe" },
	[FD_SENTINEL] = { "sentinel", "the sentinel" },
	[FD_PARENT_SENTINEL] = { "parent-sentinel", "the parent sentinel" },
	[FD_RESOURCE_TRACKER] = { "tracker", "the resource tracker's pipe" },
	[FD_FORKSERVER_LISTENER] = { "listener", "the forkserver's listening socket" },
	[FD_FORKSERVER_CLIENT] = { "client", "a connection to the forkserver" },
	[FD_FORKSERVER_ALIVE] = { "alive", "the pipe that keeps the forkserver alive" },
	[FD_CONNECTION] = { "conn", "an end of a Pipe or Queue" },
};

/* Targets name one object (a pipe, a socket) only when they are not a
 * path: two opens of /dev/null are two descriptions of one file. */
static bool names_object(const char *target)
{
	return target && *target && target[0] != '/';
}

static bool same_object(const struct fd_entry *a, const struct fd_entry *b)
{
	if (a->type != b->type)
		return false;
	if (a->target && b->target)
		return strcmp(a->target, b->target) == 0;
	return !a->target && !b->target;
}

struct fd_role replay_fd_role(const struct replay *rp, int pid, const struct fd_entry *e)
{
	const struct trace *tr = rp->tr;
	const struct event *by_number = NULL;
	struct fd_role r = { .kind = FD_ROLE_NONE };

	for (size_t i = 0; i < rp->label_count; i++) {
		const struct event *ev = &tr->events[rp->labels[i]];

		if ((unsigned)ev->u.fds_label.what >= FD_PURPOSE_COUNT)
			continue;
		/* The same pipe or socket is the same thing in every process. */
		if (names_object(e->target) && ev->u.fds_label.target &&
		    strcmp(ev->u.fds_label.target, e->target) == 0) {
			r.kind = FD_ROLE_LABEL;
			r.what = ev->u.fds_label.what;
			r.peer = ev->u.fds_label.peer;
			return r;
		}
		/* A number names a descriptor only in the process that
		 * labelled it, and only from the label on. */
		if (!ev->u.fds_label.target && ev->pid == pid && ev->u.fds_label.fd == e->fd &&
		    rp->labels[i] < rp->applied)
			by_number = ev;
	}
	if (by_number) {
		r.kind = FD_ROLE_LABEL;
		r.what = by_number->u.fds_label.what;
		r.peer = by_number->u.fds_label.peer;
		return r;
	}
	if (rp->shell_fds) {
		const struct fd_entry *s = trace_fd_find(rp->shell_fds->u.fds.fds,
							 rp->shell_fds->u.fds.fd_count, e->fd);

		if (s && s->target && same_object(s, e))
			r.kind = FD_ROLE_SHELL;
	}
	return r;
}

const char *replay_fd_role_word(const struct fd_role *r)
{
	if (r->kind == FD_ROLE_SHELL)
		return "shell";
	if (r->kind == FD_ROLE_LABEL && (unsigned)r->what < FD_PURPOSE_COUNT)
		return purposes[r->what].word;
	return "";
}

const char *replay_fd_role_phrase(const struct fd_role *r)
{
	if (r->kind == FD_ROLE_SHELL)
		return "from the shell that started the program";
	if (r->kind == FD_ROLE_LABEL && (unsigned)r->what < FD_PURPOSE_COUNT)
		return purposes[r->what].phrase;
	return NULL;
}

void replay_fd_name(const struct fd_entry *e, bool is_short, struct sbuf *out)
{
	const char *t = e->target;

	if (!t || !*t) {
		sbuf_adds(out, fd_type_name(e->type));
		return;
	}
	/* "pipe:[1234]" says pipe twice: keep the inode, which tells two
	 * pipes apart; "anon_inode:[eventpoll]" is the eventpoll. */
	if (strncmp(t, "pipe:[", 6) == 0 || strncmp(t, "socket:[", 8) == 0) {
		const char *open = strchr(t, '[');

		sbuf_addf(out, "%s %.*s", fd_type_name(e->type), (int)strcspn(open + 1, "]"),
			  open + 1);
		return;
	}
	if (strncmp(t, "anon_inode:", 11) == 0) {
		const char *name = t + 11 + (t[11] == '[');

		sbuf_add(out, name, strcspn(name, "]"));
		return;
	}
	if (e->type == FD_TTY) {
		sbuf_addf(out, "tty %s", strncmp(t, "/dev/", 5) == 0 ? t + 5 : t);
		return;
	}
	/* /dev/null by its name; the user's own file by its path. */
	if (is_short && strcmp(t, "/dev/null") != 0 && strrchr(t, '/') && strrchr(t, '/')[1])
		sbuf_adds(out, strrchr(t, '/') + 1);
	else
		sbuf_adds(out, t);
}

/*
 * brief.c - one line per step, for lists and compare columns; see replay.h.
 */
#include "replay/replay.h"

#include <string.h>

static size_t members(const struct replay *rp, const struct step *s, enum ev_kind kind)
{
	size_t n = 0;

	for (size_t i = s->ev; i < s->ev_end; i++)
		if (rp->tr->events[i].kind == kind && story_step_has_member(rp->tr, s, i))
			n++;
	return n;
}

/* The first line pid began in output step k, and how many more: a brief
 * is one line. */
static void add_first_line(const struct replay *rp, size_t k, int pid, struct sbuf *out)
{
	struct sbuf lines;
	struct replay_output info;
	const char *nl;

	sbuf_init(&lines);
	replay_output_lines(rp, k, pid, &lines, &info);
	if (info.line_count == 0) {
		sbuf_adds(out, "(the rest of a line)");
	} else {
		nl = memchr(lines.data, '\n', lines.len);
		sbuf_add(out, lines.data, nl ? (size_t)(nl - lines.data) : lines.len);
		if (info.line_count > 1)
			sbuf_addf(out, " +%zu line%s", info.line_count - 1,
				  info.line_count == 2 ? "" : "s");
	}
	sbuf_release(&lines);
}

void replay_brief(const struct replay *rp, size_t k, struct sbuf *out)
{
	const struct step *s;
	const struct event *ev;
	const struct proc_state *ps;

	if (k >= rp->story.step_count)
		return;
	s = &rp->story.steps[k];
	if (s->member_count == 0 || rp->tr->event_count == 0) {
		sbuf_adds(out, "(no events)");
		return;
	}
	ev = &rp->tr->events[s->ev];
	ps = replay_proc(rp, s->pid);
	switch (s->kind) {
	case STEP_START:
		sbuf_addf(out, "%d started ", s->pid);
		if (ps)
			replay_proc_label(rp, ps, out);
		break;
	case STEP_METHOD:
		sbuf_addf(out, "%d method %s", s->pid, ev->u.start_method.method);
		break;
	case STEP_FORK:
		sbuf_addf(out, "%d %s → %d", s->pid, fork_via_name(ev->u.fork.via), s->peer);
		break;
	case STEP_EXEC:
		sbuf_addf(out, "%d exec ", s->pid);
		if (ps)
			replay_proc_label(rp, ps, out);
		break;
	case STEP_FDS_PASS:
		switch (ev->u.fds_pass.via) {
		case PASS_FORK:
			sbuf_addf(out, "%d inherits %zu fds", ev->u.fds_pass.to,
				  ev->u.fds_pass.fd_count);
			break;
		case PASS_EXEC:
			sbuf_addf(out, "%d keeps %zu fds at exec", ev->u.fds_pass.to,
				  ev->u.fds_pass.fd_count);
			break;
		default:
			sbuf_addf(out, "%d sends %zu fds → %d (%s)", s->pid,
				  ev->u.fds_pass.fd_count, ev->u.fds_pass.to,
				  pass_via_name(ev->u.fds_pass.via));
			break;
		}
		if (ev->u.fds_pass.closed_count)
			sbuf_addf(out, ", %zu closed", ev->u.fds_pass.closed_count);
		break;
	case STEP_IMPORT_MAIN:
		sbuf_addf(out, "%d import %s", s->pid, ev->u.import.module);
		if (s->member_count > 1)
			sbuf_addf(out, " +%zu", s->member_count - 1);
		break;
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
		sbuf_addf(out, "%d %s %s ", s->pid,
			  s->kind == STEP_PICKLE_DUMP ? "pickle" : "unpickle",
			  ev->u.pickle.what ? ev->u.pickle.what : "object");
		if (ev->u.pickle.error) {
			sbuf_adds(out, "FAILED");
			break;
		}
		sbuf_add_size(out, ev->u.pickle.size);
		if (s->peer)
			sbuf_addf(out, " %s %d", s->kind == STEP_PICKLE_DUMP ? "→" : "←", s->peer);
		break;
	case STEP_PICKLE_GROUP:
		sbuf_addf(out, "%zu pickles (pool/queue) ▸",
			  members(rp, s, EV_PICKLE_DUMP) + members(rp, s, EV_PICKLE_LOAD));
		break;
	case STEP_PICKLE_SUMMARY: {
		uint64_t count = 0, bytes = 0;

		for (size_t i = s->ev; i < s->ev_end; i++)
			if (story_step_has_member(rp->tr, s, i)) {
				count += rp->tr->events[i].u.pickle_summary.count;
				bytes += rp->tr->events[i].u.pickle_summary.size;
			}
		sbuf_addf(out, "%d counted ", s->pid);
		sbuf_add_count(out, count);
		sbuf_addf(out, " more pickle%s, ", count == 1 ? "" : "s");
		sbuf_add_size(out, bytes);
		break;
	}
	case STEP_FIND_CLASS:
		sbuf_addf(out, "%d find %s.%s", s->pid, ev->u.find_class.module,
			  ev->u.find_class.name);
		if (s->member_count > 1)
			sbuf_addf(out, " +%zu", s->member_count - 1);
		break;
	case STEP_OUTPUT: {
		int pids[4];
		size_t n = replay_output_pids(rp, k, pids, 4);

		for (size_t i = 0; i < n && i < 4; i++) {
			sbuf_addf(out, "%s%d %s ", i ? " · " : "", pids[i],
				  ev->u.output.stream == STREAM_STDERR ? "err" : "out");
			add_first_line(rp, k, pids[i], out);
		}
		if (n > 4)
			sbuf_addf(out, " · +%zu", n - 4);
		break;
	}
	case STEP_EXIT: {
		char status[64];

		trace_exit_format(&ev->u.exit, EXIT_STATUS, status, sizeof(status));
		sbuf_addf(out, "%d %s", s->pid, status);
		break;
	}
	case STEP_ERROR:
		sbuf_addf(out, "%d error: %s", s->pid, ev->u.error.message);
		break;
	case STEP_KIND_COUNT:
		break;
	}
}

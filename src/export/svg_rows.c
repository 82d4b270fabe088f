/*
 * svg_rows.c - the slide's rows: which steps of the folded story get one
 * (the key moments, what was printed, each exit and error, and the births
 * a folded step holds) and what each draws: forks, payloads and passed
 * descriptors as arrows from one lifeline to another, the rest as marks
 * with the replay's words. A payload is labelled with its size and the
 * first name of the program it refers to ("344 B __main__.f"); the pickles
 * a process counted but did not keep, with how many ("3,936 more pickles
 * counted, not kept").
 */
#include <stdlib.h>
#include <string.h>

#include "export/svg_internal.h"

#define WRITERS_MAX 4 /* output rows a step; more writers are left out */

const struct proc_state *svg_parent(const struct replay *rp, const struct proc_state *ps)
{
	return ps->proc->ppid ? replay_proc(rp, ps->proc->ppid) : NULL;
}

/* Whether step s draws the arrow to process ps's birth itself. */
static bool draws_birth(const struct step *s, const struct proc_state *ps)
{
	return s->kind == STEP_FORK && s->peer == ps->proc->pid;
}

/* Processes born in story step k that the step itself does not draw an
 * arrow to: a folded story tells the resource tracker's fork inside
 * another step ("method spawn"), yet the slide shows where every
 * lifeline comes from. */
static size_t hidden_births(const struct replay *rp, size_t k, const struct step *s)
{
	size_t n = 0;

	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);

		if (rp->born_step[ps->proc - rp->tr->procs] == k && svg_parent(rp, ps) &&
		    !draws_birth(s, ps))
			n++;
	}
	return n;
}

/* The first line process pid began printing in output step k, or "". */
static void first_line(const struct replay *rp, size_t k, int pid, struct sbuf *t)
{
	struct sbuf lines;
	const char *nl;

	sbuf_init(&lines);
	replay_output_lines(rp, k, pid, &lines, NULL);
	nl = lines.data ? memchr(lines.data, '\n', lines.len) : NULL;
	sbuf_add(t, lines.data ? lines.data : "", nl ? (size_t)(nl - lines.data) : lines.len);
	if (lines.is_oom)
		t->is_oom = true;
	sbuf_release(&lines);
}

/* Whether process pid prints a line in output step k: a write that only
 * finishes a line told at an earlier step does not. */
static bool prints_line(const struct replay *rp, size_t k, int pid)
{
	struct sbuf t;
	bool has_line;

	sbuf_init(&t);
	first_line(rp, k, pid, &t);
	has_line = t.len > 0;
	sbuf_release(&t);
	return has_line;
}

static void add_row(struct svg_diagram *d, size_t k, bool is_births, size_t writer)
{
	if (d->row_count < SVG_ROWS_MAX)
		d->rows[d->row_count++] = (struct svg_row){ k, is_births, writer };
	else
		d->hidden++;
}

/* An output step: a row for each of its writers that prints a line, so
 * that every line stands beside its own lifeline. */
static void add_output_rows(struct svg_diagram *d, size_t k)
{
	int pids[WRITERS_MAX];
	size_t n = replay_output_pids(d->rp, k, pids, WRITERS_MAX);

	for (size_t i = 0; i < n && i < WRITERS_MAX; i++)
		if (replay_proc(d->rp, pids[i]) && prints_line(d->rp, k, pids[i]))
			add_row(d, k, false, i);
}

int svg_rows_plan(struct svg_diagram *d, struct mp_err *err)
{
	struct replay *rp = d->rp;
	size_t n = replay_step_count(rp);

	/* At most WRITERS_MAX + 1 rows a step: its own (one a writer), then
	 * the births it holds (the bookkeeping a folded step carries happened
	 * after it). */
	d->rows = malloc((n ? (WRITERS_MAX + 1) * n : 1) * sizeof(*d->rows));
	if (!d->rows)
		return mp_err_set(err, "out of memory while drawing the diagram");
	d->row_count = d->hidden = d->told = 0;
	for (size_t k = 0; k < n; k++) {
		const struct step *s = &rp->story.steps[k];
		size_t before = d->row_count + d->hidden;

		if (s->kind == STEP_OUTPUT)
			add_output_rows(d, k);
		else if (story_step_is_key(rp->tr, s) || s->kind == STEP_EXIT ||
			 s->kind == STEP_ERROR)
			add_row(d, k, false, 0);
		if (hidden_births(rp, k, s))
			add_row(d, k, true, 0);
		if (d->row_count + d->hidden > before)
			d->told++;
	}
	return 0;
}

/* "344 B __main__.f": the payload's size and the first name of the
 * program it refers to. */
static void payload_label(const struct event *ev, struct sbuf *t)
{
	const struct global_ref *g = replay_payload_ref(ev);

	sbuf_add_size(t, ev->u.pickle.size);
	if (g)
		sbuf_addf(t, " %s.%s", g->module, g->name);
}

static bool take_sent(struct svg_diagram *d, int from, int to, uint64_t size)
{
	for (size_t i = 0; i < d->sent_count; i++)
		if (d->sent[i].from == from && d->sent[i].to == to && d->sent[i].size == size) {
			d->sent[i] = d->sent[--d->sent_count];
			return true;
		}
	return false;
}

static bool is_alive(const struct replay *rp, int pid)
{
	const struct proc_state *ps = pid ? replay_proc(rp, pid) : NULL;

	return ps && ps->is_started && !ps->has_exited;
}

static void draw_pickle(struct sbuf *out, struct svg_diagram *d, const struct step *s, double y,
			struct sbuf *t)
{
	const struct replay *rp = d->rp;
	const struct event *ev = &rp->tr->events[s->ev];
	double x = svg_lane_x(d, replay_proc(rp, s->pid)->lane);
	const struct proc_state *peer = s->peer ? replay_proc(rp, s->peer) : NULL;
	bool is_dump = s->kind == STEP_PICKLE_DUMP;

	if (ev->u.pickle.error) {
		sbuf_addf(t, "pickling failed: %s", ev->u.pickle.error);
		svg_mark(out, x, y, SVG_DIAMOND, SVG_C_WARN, t->data);
		d->used |= SVG_USED_WARN;
		return;
	}
	if (is_dump && peer && is_alive(rp, s->peer)) {
		payload_label(ev, t);
		svg_arrow(out, x, svg_lane_x(d, peer->lane), y, SVG_C_PAYLOAD, "payload", false,
			  t->data);
		if (d->sent_count < sizeof(d->sent) / sizeof(d->sent[0]))
			d->sent[d->sent_count++] =
				(struct svg_sent){ s->pid, s->peer, ev->u.pickle.size };
		d->used |= SVG_USED_PAYLOAD;
	} else if (is_dump) {
		sbuf_adds(t, "pickled ");
		payload_label(ev, t);
		if (s->peer)
			sbuf_addf(t, " for %d", s->peer);
		svg_mark(out, x, y, SVG_DIAMOND, SVG_C_PAYLOAD, t->data);
		d->used |= SVG_USED_PICKLE;
	} else if (peer && !take_sent(d, s->peer, s->pid, ev->u.pickle.size)) {
		/* Read by a process that did not exist when it was made (spawn,
		 * forkserver): the arrow is drawn where it arrives. */
		payload_label(ev, t);
		svg_arrow(out, svg_lane_x(d, peer->lane), x, y, SVG_C_PAYLOAD, "payload", true,
			  t->data);
		d->used |= SVG_USED_PAYLOAD_LATE;
	} else {
		sbuf_adds(t, "unpickled ");
		payload_label(ev, t);
		svg_mark(out, x, y, SVG_DIAMOND, SVG_C_PAYLOAD, t->data);
		d->used |= SVG_USED_PICKLE;
	}
}

/* The writer-th process of output step k and its first line. */
static void draw_output(struct sbuf *out, struct svg_diagram *d, size_t k, size_t writer, double y,
			const struct event *ev, struct sbuf *t)
{
	const struct replay *rp = d->rp;
	int pids[WRITERS_MAX];
	size_t n = replay_output_pids(rp, k, pids, WRITERS_MAX);
	const struct proc_state *w = writer < n ? replay_proc(rp, pids[writer]) : NULL;

	if (!w)
		return;
	sbuf_adds(t, ev->u.output.stream == STREAM_STDERR ? "err: " : "out: ");
	first_line(rp, k, pids[writer], t);
	svg_mark(out, svg_lane_x(d, w->lane), y, SVG_SMALL, SVG_C_INK, t->data);
	d->used |= SVG_USED_OUTPUT;
}

/* The arrows to the processes born in step k that the step does not
 * draw itself, from their parents' lifelines. */
static void draw_births(struct sbuf *out, struct svg_diagram *d, size_t k, const struct step *s,
			double y)
{
	const struct replay *rp = d->rp;

	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane), *parent = svg_parent(rp, ps);

		if (rp->born_step[ps->proc - rp->tr->procs] != k || !parent || draws_birth(s, ps))
			continue;
		svg_arrow(out, svg_lane_x(d, parent->lane), svg_lane_x(d, lane), y, SVG_C_DIM,
			  "fork", false, ps->fork_ev ? fork_via_name(ps->fork_ev->u.fork.via) : "");
		d->used |= SVG_USED_FORK;
	}
}

/* "3,936 more pickles counted, not kept": the counts of step s in all. */
static void counted_label(const struct replay *rp, const struct step *s, struct sbuf *t)
{
	uint64_t count = 0;

	for (size_t i = s->ev; i < s->ev_end; i++)
		if (story_step_has_member(rp->tr, s, i))
			count += rp->tr->events[i].u.pickle_summary.count;
	sbuf_add_count(t, count);
	sbuf_addf(t, " more pickle%s counted, not kept", count == 1 ? "" : "s");
}

/* "+2" after a lookup or an import that stands for several. */
static void add_more(const struct step *s, struct sbuf *t)
{
	if (s->member_count > 1)
		sbuf_addf(t, " +%zu", s->member_count - 1);
}

void svg_row_draw(struct sbuf *out, struct svg_diagram *d, size_t r, struct sbuf *t)
{
	struct replay *rp = d->rp;
	size_t k = d->rows[r].k;
	const struct step *s;
	const struct event *ev;
	const struct proc_state *me, *peer;
	double y = svg_row_y(r), x;
	char status[64];

	replay_seek(rp, k);
	s = replay_current(rp);
	if (d->rows[r].is_births) {
		draw_births(out, d, k, s, y);
		return;
	}
	if (rp->tr->event_count == 0 || !(me = replay_proc(rp, s->pid)))
		return;
	ev = &rp->tr->events[s->ev];
	peer = s->peer ? replay_proc(rp, s->peer) : NULL;
	x = svg_lane_x(d, me->lane);
	sbuf_clear(t);
	switch (s->kind) {
	case STEP_FORK:
		if (!peer)
			break;
		svg_arrow(out, x, svg_lane_x(d, peer->lane), y, SVG_C_DIM, "fork", false,
			  fork_via_name(ev->u.fork.via));
		d->used |= SVG_USED_FORK;
		break;
	case STEP_EXEC:
		sbuf_adds(t, "exec ");
		replay_proc_label(rp, me, t);
		svg_mark(out, x, y, SVG_DOT, SVG_C_INK, t->data);
		d->used |= SVG_USED_EXEC;
		break;
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
		draw_pickle(out, d, s, y, t);
		break;
	case STEP_PICKLE_GROUP:
		replay_brief(rp, k, t);
		/* The screen's sign that Enter opens the group; a slide has none. */
		if (t->len >= 4 && memcmp(t->data + t->len - 4, " ▸", 4) == 0) {
			t->len -= 4;
			t->data[t->len] = '\0';
		}
		svg_mark(out, x, y, SVG_DIAMOND, SVG_C_PAYLOAD, t->data);
		d->used |= SVG_USED_PICKLE;
		break;
	case STEP_PICKLE_SUMMARY:
		counted_label(rp, s, t);
		svg_mark(out, x, y, SVG_HOLLOW_DIAMOND, SVG_C_PAYLOAD, t->data);
		d->used |= SVG_USED_COUNTED;
		break;
	case STEP_FDS_PASS:
		sbuf_addf(t, "%zu fds (%s)", ev->u.fds_pass.fd_count,
			  pass_via_name(ev->u.fds_pass.via));
		if (peer) {
			svg_arrow(out, x, svg_lane_x(d, peer->lane), y, SVG_C_DIM, "fork", true,
				  t->data);
			d->used |= SVG_USED_FDS;
		}
		break;
	case STEP_IMPORT_MAIN:
		sbuf_addf(t, "import %s", ev->u.import.module);
		add_more(s, t);
		svg_mark(out, x, y, SVG_RING, SVG_C_REF, t->data);
		d->used |= SVG_USED_LOOKUP;
		break;
	case STEP_FIND_CLASS:
		sbuf_addf(t, "find %s.%s", ev->u.find_class.module, ev->u.find_class.name);
		add_more(s, t);
		svg_mark(out, x, y, SVG_RING, SVG_C_REF, t->data);
		d->used |= SVG_USED_LOOKUP;
		break;
	case STEP_OUTPUT:
		draw_output(out, d, k, d->rows[r].writer, y, ev, t);
		break;
	case STEP_EXIT:
		trace_exit_format(&ev->u.exit, EXIT_STATUS, status, sizeof(status));
		if (ev->u.exit.is_signal || ev->u.exit.code) {
			svg_mark(out, x, y, SVG_SQUARE, SVG_C_WARN, status);
			d->used |= SVG_USED_WARN;
		} else {
			svg_mark(out, x, y, SVG_SQUARE, SVG_C_DIM, status);
		}
		d->used |= SVG_USED_EXIT;
		break;
	case STEP_ERROR:
		sbuf_addf(t, "error: %s", ev->u.error.message);
		svg_mark(out, x, y, SVG_SQUARE, SVG_C_WARN, t->data);
		d->used |= SVG_USED_WARN;
		break;
	default:
		replay_brief(rp, k, t);
		svg_mark(out, x, y, SVG_SMALL, SVG_C_DIM, t->data ? t->data : "");
		break;
	}
}

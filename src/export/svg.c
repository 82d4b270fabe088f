/*
 * svg.c - `export -f svg`: the story as a sequence diagram for a slide.
 * One lifeline per process (pid, role, what it runs), time downwards, one
 * row per key moment of the folded story plus what was printed and each
 * exit; forks and payloads are arrows from one lifeline to another, a
 * payload labelled with its size and the first name of the program it
 * refers to ("344 B __main__.f"). Several traces stand side by side. A
 * standalone SVG 1.1 document: presentation attributes only (slide tools
 * read those), generic fonts, every string from the trace escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "export/html_internal.h"

#define PAD 16
#define HEAD_Y 58 /* top of the lifelines' heads */
#define HEAD_H 38
#define ROW_H 28
#define FIRST_ROW_Y (HEAD_Y + HEAD_H + 24)
#define CHAR_W 7.3 /* 12 px monospace, as browsers draw it */
#define LABEL_CHARS 28 /* a head's or mark's text is cut there */
#define ROWS_MAX 60 /* a slide's worth; more are counted, not drawn */
#define LEGEND_H 34

static const char *const role_words[ROLE_COUNT] = {
	[ROLE_MAIN] = "main",         [ROLE_CHILD] = "child",
	[ROLE_FORKSERVER] = "server", [ROLE_RESOURCE_TRACKER] = "tracker",
	[ROLE_MANAGER] = "manager",   [ROLE_OTHER] = "other",
};

static const char *role_colour(enum role r)
{
	switch (r) {
	case ROLE_MAIN:
		return "#1f5fa8";
	case ROLE_CHILD:
		return "#2e7d32";
	default:
		return "#6a4c93";
	}
}

#define C_PAYLOAD "#b85c00"
#define C_REF "#a0136b"
#define C_WARN "#c62828"
#define C_DIM "#666666"
#define C_LINE "#9e9e9e"

/* Appends s cleaned, cut to max characters with "…", escaped for XML;
 * returns the characters it shows. */
static size_t add_text(struct sbuf *out, const char *s, size_t len, size_t max)
{
	struct sbuf clean;
	size_t i = 0, chars = 0;

	sbuf_init(&clean);
	html_text_clean(s, len, &clean);
	while (i < clean.len && chars < max) {
		size_t n = utf8_valid_prefix((const unsigned char *)clean.data + i, clean.len - i);

		i += n ? n : 1;
		chars++;
	}
	if (i < clean.len) { /* cut: the last character gives way to "…" */
		while (i > 0 && ((unsigned char)clean.data[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0)
			i--;
		html_xml_text(clean.data, i, out);
		sbuf_adds(out, "…");
	} else {
		html_xml_text(clean.data ? clean.data : "", clean.len, out);
	}
	if (clean.is_oom)
		out->is_oom = true;
	sbuf_release(&clean);
	return chars;
}

/* Words beside a mark or over an arrow, on a white ground so that a
 * lifeline they cross does not strike them through. anchor_mid: x is
 * their middle, else their start. */
static void label(struct sbuf *out, double x, double y, bool anchor_mid, const char *colour,
		  const char *s, size_t max)
{
	struct sbuf text;
	size_t chars;
	double w;

	if (!*s)
		return;
	sbuf_init(&text);
	chars = add_text(&text, s, strlen(s), max);
	w = (double)chars * 6.7 + 6;
	sbuf_addf(out,
		  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"15\" fill=\"#ffffff\" "
		  "fill-opacity=\"0.9\"/>\n",
		  anchor_mid ? x - w / 2 : x - 3, y - 11, w);
	sbuf_addf(out,
		  "<text x=\"%.1f\" y=\"%.1f\" font-family=\"monospace\" font-size=\"11\" "
		  "fill=\"%s\"%s>",
		  x, y, colour, anchor_mid ? " text-anchor=\"middle\"" : "");
	sbuf_add(out, text.data ? text.data : "", text.len);
	sbuf_adds(out, "</text>\n");
	if (text.is_oom)
		out->is_oom = true;
	sbuf_release(&text);
}

/* <text> at x, y with its attributes, then the cut and escaped text. */
static void text_at(struct sbuf *out, double x, double y, const char *attrs, const char *s,
		    size_t max)
{
	sbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	add_text(out, s, strlen(s), max);
	sbuf_adds(out, "</text>\n");
}

/* What one trace's diagram needs: its rows and lifelines. */
struct diagram {
	struct replay *rp;
	size_t *rows; /* story steps shown, in order */
	size_t row_count, hidden;
	int col_w;
	double x0; /* left edge of the panel */
	int width, height;
};

static bool is_row(const struct replay *rp, const struct step *s)
{
	return story_step_is_key(rp->tr, s) || s->kind == STEP_OUTPUT || s->kind == STEP_EXIT ||
		s->kind == STEP_ERROR;
}

static double lane_x(const struct diagram *d, size_t lane)
{
	return d->x0 + PAD + (double)d->col_w * ((double)lane + 0.5);
}

static double row_y(size_t row)
{
	return FIRST_ROW_Y + (double)row * ROW_H;
}

static int plan(struct diagram *d, struct mp_err *err)
{
	struct replay *rp = d->rp;
	size_t n = replay_step_count(rp);

	d->rows = malloc((n ? n : 1) * sizeof(*d->rows));
	if (!d->rows)
		return mp_err_set(err, "out of memory while drawing the diagram");
	d->row_count = d->hidden = 0;
	for (size_t k = 0; k < n; k++) {
		if (!is_row(rp, &rp->story.steps[k]))
			continue;
		if (d->row_count < ROWS_MAX)
			d->rows[d->row_count++] = k;
		else
			d->hidden++;
	}
	d->col_w = (int)(CHAR_W * 20) + 12;
	d->width = 2 * PAD + d->col_w * (int)rp->tr->proc_count + 230;
	d->height = (int)row_y(d->row_count + (d->hidden ? 1 : 0)) + 8;
	return 0;
}

/* The lifelines' heads: "PID ROLE", then what it runs at the end. */
static void draw_heads(struct sbuf *out, const struct diagram *d)
{
	struct replay *rp = d->rp;
	struct sbuf label;

	replay_seek(rp, replay_step_count(rp) - 1);
	sbuf_init(&label);
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		double x = lane_x(d, lane);
		char head[48];

		snprintf(head, sizeof(head), "%d %s", ps->proc->pid, role_words[ps->proc->role]);
		sbuf_clear(&label);
		replay_proc_label(rp, ps, &label);
		sbuf_addf(out,
			  "<rect x=\"%.1f\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
			  "fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
			  x - d->col_w / 2.0 + 4, HEAD_Y, d->col_w - 8, HEAD_H,
			  role_colour(ps->proc->role));
		sbuf_addf(out,
			  "<g font-family=\"monospace\" font-size=\"12\" text-anchor=\"middle\">");
		{
			char attrs[96];

			snprintf(attrs, sizeof(attrs), "font-weight=\"bold\" fill=\"%s\"",
				 role_colour(ps->proc->role));
			text_at(out, x, HEAD_Y + 16, attrs, head, 20);
		}
		text_at(out, x, HEAD_Y + 31, "fill=\"" C_DIM "\"", label.data ? label.data : "",
			20);
		sbuf_adds(out, "</g>\n");
	}
	sbuf_release(&label);
}

/* The row of story step k, or where it would be: the first row at or
 * after it (a lifeline born in a step that is not a row starts there). */
static double y_of_step(const struct diagram *d, size_t k, bool is_end)
{
	for (size_t r = 0; r < d->row_count; r++)
		if (d->rows[r] >= k)
			return d->rows[r] == k || !is_end ? row_y(r) : row_y(r) - ROW_H / 2.0;
	return row_y(d->row_count) - ROW_H / 2.0;
}

static void draw_lifelines(struct sbuf *out, const struct diagram *d)
{
	const struct replay *rp = d->rp;

	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		size_t i = (size_t)(ps->proc - rp->tr->procs);
		size_t born = rp->born_step[i], end = rp->exit_step[i];
		double x = lane_x(d, lane),
		       y0 = born == SIZE_MAX ? HEAD_Y + HEAD_H : y_of_step(d, born, false);
		double y1 = end == SIZE_MAX ? row_y(d->row_count) : y_of_step(d, end, true);

		if (born == 0)
			y0 = HEAD_Y + HEAD_H;
		/* Not yet alive: a faint dashed line from its head. */
		if (y0 > HEAD_Y + HEAD_H)
			sbuf_addf(out,
				  "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
				  "stroke=\"#d0d0d0\" "
				  "stroke-dasharray=\"3 4\"/>\n",
				  x, HEAD_Y + HEAD_H, x, y0);
		if (y1 > y0)
			sbuf_addf(out,
				  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				  "stroke=\"%s\" "
				  "stroke-width=\"2\"/>\n",
				  x, y0, x, y1, role_colour(ps->proc->role));
	}
}

/* An arrow from one lifeline to another with its label above it. */
static void arrow(struct sbuf *out, double x1, double x2, double y, const char *colour,
		  const char *marker, bool is_dashed, const char *words)
{
	double mid = (x1 + x2) / 2, dir = x2 > x1 ? 1 : -1;

	sbuf_addf(out,
		  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		  "stroke-width=\"1.6\"%s marker-end=\"url(#%s)\"/>\n",
		  x1 + 4 * dir, y, x2 - 6 * dir, y, colour,
		  is_dashed ? " stroke-dasharray=\"5 3\"" : "", marker);
	label(out, mid, y - 5, true, colour, words, LABEL_CHARS + 6);
}

/* A mark on a lifeline and its words beside it. */
static void mark(struct sbuf *out, double x, double y, const char *shape, const char *colour,
		 const char *words)
{

	if (strcmp(shape, "dot") == 0)
		sbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", x, y,
			  colour);
	else if (strcmp(shape, "ring") == 0)
		sbuf_addf(
			out,
			"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"#ffffff\" stroke=\"%s\" "
			"stroke-width=\"2\"/>\n",
			x, y, colour);
	else if (strcmp(shape, "small") == 0)
		sbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y,
			  colour);
	else if (strcmp(shape, "square") == 0)
		sbuf_addf(out,
			  "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
			  x - 5, y - 5, colour);
	else /* a diamond: a pickle */
		sbuf_addf(out, "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" fill=\"%s\"/>\n", x,
			  y - 6, colour);
	label(out, x + 11, y + 4, false, colour, words, LABEL_CHARS + 12);
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

/* Payload arrows drawn at a dump, so that the load does not draw one
 * again: sender, receiver, size. */
struct sent {
	int from, to;
	uint64_t size;
};

static bool take_sent(struct sent *sent, size_t *count, int from, int to, uint64_t size)
{
	for (size_t i = 0; i < *count; i++)
		if (sent[i].from == from && sent[i].to == to && sent[i].size == size) {
			sent[i] = sent[--*count];
			return true;
		}
	return false;
}

static bool is_alive(const struct replay *rp, int pid)
{
	const struct proc_state *ps = pid ? replay_proc(rp, pid) : NULL;

	return ps && ps->is_started && !ps->has_exited;
}

static void draw_pickle(struct sbuf *out, const struct diagram *d, const struct step *s, double y,
			struct sent *sent, size_t *sent_count, size_t sent_max, struct sbuf *t)
{
	const struct replay *rp = d->rp;
	const struct event *ev = &rp->tr->events[s->ev];
	const struct proc_state *me = replay_proc(rp, s->pid);
	const struct proc_state *peer = s->peer ? replay_proc(rp, s->peer) : NULL;
	bool is_dump = s->kind == STEP_PICKLE_DUMP;

	sbuf_clear(t);
	if (ev->u.pickle.error) {
		sbuf_addf(t, "pickling failed: %s", ev->u.pickle.error);
		mark(out, lane_x(d, me->lane), y, "diamond", C_WARN, t->data);
		return;
	}
	payload_label(ev, t);
	if (is_dump && peer && is_alive(rp, s->peer)) {
		arrow(out, lane_x(d, me->lane), lane_x(d, peer->lane), y, C_PAYLOAD, "payload",
		      false, t->data);
		if (*sent_count < sent_max)
			sent[(*sent_count)++] = (struct sent){ s->pid, s->peer, ev->u.pickle.size };
	} else if (is_dump) {
		sbuf_clear(t);
		sbuf_adds(t, "pickled ");
		payload_label(ev, t);
		if (s->peer)
			sbuf_addf(t, " for %d", s->peer);
		mark(out, lane_x(d, me->lane), y, "diamond", C_PAYLOAD, t->data);
	} else if (peer && !take_sent(sent, sent_count, s->peer, s->pid, ev->u.pickle.size)) {
		/* Read by a process that did not exist when it was made (spawn,
		 * forkserver): the arrow is drawn where it arrives. */
		arrow(out, lane_x(d, peer->lane), lane_x(d, me->lane), y, C_PAYLOAD, "payload",
		      true, t->data);
	} else {
		sbuf_clear(t);
		sbuf_adds(t, "unpickled ");
		payload_label(ev, t);
		mark(out, lane_x(d, me->lane), y, "diamond", C_PAYLOAD, t->data);
	}
}

/* The words of an output row: the first line the process printed. */
static void output_label(const struct replay *rp, size_t k, int pid, const struct event *ev,
			 struct sbuf *t)
{
	struct sbuf lines;
	const char *nl;

	sbuf_init(&lines);
	replay_output_lines(rp, k, pid, &lines, NULL);
	sbuf_clear(t);
	sbuf_adds(t, ev->u.output.stream == STREAM_STDERR ? "err: " : "out: ");
	nl = lines.data ? memchr(lines.data, '\n', lines.len) : NULL;
	sbuf_add(t, lines.data ? lines.data : "", nl ? (size_t)(nl - lines.data) : lines.len);
	if (!lines.len) { /* the rest of a line told where it began */
		sbuf_clear(t);
		sbuf_adds(t, ev->u.output.stream == STREAM_STDERR ? "err" : "out");
	}
	sbuf_release(&lines);
}

static void draw_row(struct sbuf *out, struct diagram *d, size_t row, struct sent *sent,
		     size_t *sent_count, size_t sent_max, struct sbuf *t)
{
	struct replay *rp = d->rp;
	size_t k = d->rows[row];
	const struct step *s;
	const struct event *ev;
	const struct proc_state *me, *peer;
	double y = row_y(row);

	replay_seek(rp, k);
	s = replay_current(rp);
	if (rp->tr->event_count == 0 || !(me = replay_proc(rp, s->pid)))
		return;
	ev = &rp->tr->events[s->ev];
	peer = s->peer ? replay_proc(rp, s->peer) : NULL;
	sbuf_clear(t);
	switch (s->kind) {
	case STEP_FORK:
		if (!peer)
			break;
		arrow(out, lane_x(d, me->lane), lane_x(d, peer->lane), y, C_DIM, "fork", false,
		      fork_via_name(ev->u.fork.via));
		break;
	case STEP_EXEC:
		sbuf_adds(t, "exec ");
		replay_proc_label(rp, me, t);
		mark(out, lane_x(d, me->lane), y, "dot", "#222222", t->data);
		break;
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
		draw_pickle(out, d, s, y, sent, sent_count, sent_max, t);
		break;
	case STEP_PICKLE_GROUP:
		replay_brief(rp, k, t);
		mark(out, lane_x(d, me->lane), y, "diamond", C_PAYLOAD, t->data);
		break;
	case STEP_FDS_PASS:
		sbuf_addf(t, "%zu fds (%s)", ev->u.fds_pass.fd_count,
			  pass_via_name(ev->u.fds_pass.via));
		if (peer)
			arrow(out, lane_x(d, me->lane), lane_x(d, peer->lane), y, C_DIM, "fork",
			      true, t->data);
		break;
	case STEP_IMPORT_MAIN:
		sbuf_addf(t, "import %s", ev->u.import.module);
		if (s->member_count > 1)
			sbuf_addf(t, " +%zu", s->member_count - 1);
		mark(out, lane_x(d, me->lane), y, "ring", C_REF, t->data);
		break;
	case STEP_FIND_CLASS:
		sbuf_addf(t, "find %s.%s", ev->u.find_class.module, ev->u.find_class.name);
		if (s->member_count > 1)
			sbuf_addf(t, " +%zu", s->member_count - 1);
		mark(out, lane_x(d, me->lane), y, "ring", C_REF, t->data);
		break;
	case STEP_OUTPUT: {
		int pids[4];
		size_t n = replay_output_pids(rp, k, pids, 4);

		for (size_t i = 0; i < n && i < 4; i++) {
			const struct proc_state *w = replay_proc(rp, pids[i]);

			if (!w)
				continue;
			output_label(rp, k, pids[i], ev, t);
			mark(out, lane_x(d, w->lane), y, "small", "#222222",
			     i + 1 == n || i == 3 ? t->data : "");
		}
		break;
	}
	case STEP_EXIT: {
		char status[64];
		bool is_bad = ev->u.exit.is_signal || ev->u.exit.code;

		trace_exit_format(&ev->u.exit, EXIT_STATUS, status, sizeof(status));
		mark(out, lane_x(d, me->lane), y, "square", is_bad ? C_WARN : C_DIM, status);
		break;
	}
	case STEP_ERROR:
		sbuf_addf(t, "error: %s", ev->u.error.message);
		mark(out, lane_x(d, me->lane), y, "square", C_WARN, t->data);
		break;
	default:
		replay_brief(rp, k, t);
		mark(out, lane_x(d, me->lane), y, "small", C_DIM, t->data ? t->data : "");
		break;
	}
}

static int draw_trace(struct sbuf *out, struct diagram *d, const struct export_input *in,
		      const char *column, struct mp_err *err)
{
	struct replay *rp = d->rp;
	struct sent sent[64];
	size_t sent_count = 0;
	struct sbuf t;
	char sub[160];

	sbuf_init(&t);
	sbuf_addf(out, "<g>\n");
	text_at(out, d->x0 + PAD, 24,
		"font-family=\"sans-serif\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\"",
		column, 60);
	const char *slash = in->name ? strrchr(in->name, '/') : NULL;

	snprintf(sub, sizeof(sub), "%s · %zu key moments%s%s",
		 slash              ? slash + 1
			 : in->name ? in->name
				    : "trace",
		 d->row_count + d->hidden, rp->tr->meta.python ? " · python " : "",
		 rp->tr->meta.python ? rp->tr->meta.python : "");
	text_at(out, d->x0 + PAD, 42,
		"font-family=\"sans-serif\" font-size=\"12\" fill=\"" C_DIM "\"", sub, 90);
	draw_heads(out, d);
	draw_lifelines(out, d);
	for (size_t r = 0; r < d->row_count; r++)
		draw_row(out, d, r, sent, &sent_count, sizeof(sent) / sizeof(sent[0]), &t);
	if (d->hidden) {
		snprintf(sub, sizeof(sub), "… %zu more key moments: mpscope replay shows them all",
			 d->hidden);
		text_at(out, d->x0 + PAD, row_y(d->row_count) + 4,
			"font-family=\"sans-serif\" font-size=\"12\" fill=\"" C_DIM "\"", sub, 90);
	}
	sbuf_adds(out, "</g>\n");
	if (t.is_oom || out->is_oom) {
		sbuf_release(&t);
		return mp_err_set(err, "out of memory while drawing the diagram");
	}
	sbuf_release(&t);
	return 0;
}

static void draw_legend(struct sbuf *out, double y)
{
	static const struct {
		const char *shape, *colour, *words;
	} items[] = {
		{ "fork", C_DIM, "fork" },
		{ "dot", "#222222", "exec" },
		{ "payload", C_PAYLOAD, "payload: size, first name" },
		{ "ring", C_REF, "import / name looked up" },
		{ "small", "#222222", "output" },
		{ "square", C_DIM, "exit" },
	};
	double x = PAD;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (strcmp(items[i].shape, "fork") == 0 || strcmp(items[i].shape, "payload") == 0) {
			arrow(out, x, x + 34, y + 4, items[i].colour, items[i].shape, false, "");
			x += 40;
			text_at(out, x, y + 8,
				"font-family=\"sans-serif\" font-size=\"12\" fill=\"#222222\"",
				items[i].words, 40);
		} else {
			mark(out, x + 6, y + 4, items[i].shape, items[i].colour, "");
			x += 18;
			text_at(out, x, y + 8,
				"font-family=\"sans-serif\" font-size=\"12\" fill=\"#222222\"",
				items[i].words, 40);
		}
		x += CHAR_W * (double)strlen(items[i].words) + 26;
	}
}

static void add_markers(struct sbuf *out)
{
	static const struct {
		const char *id, *colour;
	} m[] = { { "fork", C_DIM }, { "payload", C_PAYLOAD } };

	sbuf_adds(out, "<defs>\n");
	for (size_t i = 0; i < 2; i++)
		sbuf_addf(out,
			  "<marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			  "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
			  "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"%s\"/></marker>\n",
			  m[i].id, m[i].colour);
	sbuf_adds(out, "</defs>\n");
}

static long column_name(const struct replay *rps, size_t count, size_t c, char *buf, size_t len)
{
	const struct trace_meta *m = &rps[c].tr->meta;
	bool same_python = true;

	for (size_t i = 1; i < count; i++) {
		const char *a = rps[0].tr->meta.python, *b = rps[i].tr->meta.python;

		if (!a != !b || (a && strcmp(a, b) != 0))
			same_python = false;
	}
	const char *slash = m->program ? strrchr(m->program, '/') : NULL;
	const char *prog = slash ? slash + 1 : m->program ? m->program : "trace";

	if (m->python && !same_python)
		return snprintf(buf, len, "%s · python %s", prog, m->python);
	return snprintf(buf, len, "%s · %s", prog, m->method ? m->method : "?");
}

int export_svg(const struct export_input *in, size_t count, const struct export_opts *o,
	       struct sbuf *out, struct mp_err *err)
{
	struct trace *traces;
	struct replay *replays;
	struct diagram *d;
	int rc = 0, width = 0, height = 0;

	if (count == 0)
		return mp_err_set(err, "no trace to export");
	traces = malloc(count * sizeof(*traces));
	d = calloc(count, sizeof(*d));
	if (!traces || !d) {
		free(traces);
		free(d);
		return mp_err_set(err, "out of memory while exporting %zu traces", count);
	}
	for (size_t i = 0; i < count; i++)
		traces[i] = *in[i].tr; /* shallow, borrowed: the replays want an array */
	if (replay_array_new(traces, count, &replays, err) < 0) {
		free(traces);
		free(d);
		return -1;
	}
	for (size_t c = 0; c < count && rc == 0; c++) {
		d[c].rp = &replays[c];
		d[c].x0 = width;
		rc = replay_set_folded(&replays[c], true, err);
		if (rc == 0)
			rc = plan(&d[c], err);
		width += d[c].width;
		height = d[c].height > height ? d[c].height : height;
	}
	if (rc == 0) {
		sbuf_addf(out,
			  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
			  "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>",
			  width, height + LEGEND_H, width, height + LEGEND_H);
		{
			const char *title =
				o->title ? o->title : "mpscope: what multiprocessing did";

			add_text(out, title, strlen(title), 120);
		}
		sbuf_addf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
			  width, height + LEGEND_H);
		add_markers(out);
		for (size_t c = 0; c < count && rc == 0; c++) {
			char column[200];

			column_name(replays, count, c, column, sizeof(column));
			rc = draw_trace(out, &d[c], &in[c], column, err);
		}
		draw_legend(out, height + 6);
		sbuf_adds(out, "</svg>\n");
		if (rc == 0 && out->is_oom)
			rc = mp_err_set(err, "out of memory while drawing the diagram");
	}
	for (size_t c = 0; c < count; c++)
		free(d[c].rows);
	free(d);
	replay_array_free(replays, count);
	free(traces);
	return rc;
}

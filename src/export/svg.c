/*
 * svg.c - `export -f svg`: the story as a sequence diagram for a slide.
 * One lifeline per process (pid, role, what it runs), time downwards, one
 * row per moment (svg_rows.c); several traces stand side by side; a
 * legend says what the marks and arrows drawn mean. A standalone SVG 1.1
 * document: presentation attributes only (slide tools read those),
 * generic fonts, every string from the trace escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/html_internal.h"
#include "export/svg_internal.h"

#define LEGEND_LINE_H 22

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

static int plan(struct svg_diagram *d, struct mp_err *err)
{
	if (svg_rows_plan(d, err) < 0)
		return -1;
	d->col_w = (int)(SVG_CHAR_W * 20) + 12;
	d->width = 2 * SVG_PAD + d->col_w * (int)d->rp->tr->proc_count + 230;
	d->height = (int)svg_row_y(d->row_count + (d->hidden ? 1 : 0)) + 8;
	return 0;
}

/* The lifelines' heads: "PID ROLE", then what it runs at the end. */
static void draw_heads(struct sbuf *out, const struct svg_diagram *d)
{
	struct replay *rp = d->rp;
	struct sbuf label;

	replay_seek(rp, replay_step_count(rp) - 1);
	sbuf_init(&label);
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		const char *colour = role_colour(ps->proc->role);
		double x = svg_lane_x(d, lane);
		char head[48], attrs[96];

		snprintf(head, sizeof(head), "%d %s", ps->proc->pid, role_words[ps->proc->role]);
		snprintf(attrs, sizeof(attrs), "font-weight=\"bold\" fill=\"%s\"", colour);
		sbuf_clear(&label);
		replay_proc_label(rp, ps, &label);
		sbuf_addf(out,
			  "<rect x=\"%.1f\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
			  "fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
			  x - d->col_w / 2.0 + 4, SVG_HEAD_Y, d->col_w - 8, SVG_HEAD_H, colour);
		sbuf_adds(out,
			  "<g font-family=\"monospace\" font-size=\"12\" text-anchor=\"middle\">");
		svg_text_at(out, x, SVG_HEAD_Y + 16, attrs, head, 20);
		svg_text_at(out, x, SVG_HEAD_Y + 31, "fill=\"" SVG_C_DIM "\"",
			    label.data ? label.data : "", 20);
		sbuf_adds(out, "</g>\n");
	}
	if (label.is_oom)
		out->is_oom = true;
	sbuf_release(&label);
}

/* Where a lifeline ends at story step k: its own row (the exit's mark),
 * else half a row before the next one. */
static double end_y(const struct svg_diagram *d, size_t k)
{
	for (size_t r = 0; r < d->row_count; r++)
		if (d->rows[r].k >= k)
			return d->rows[r].k == k ? svg_row_y(r) : svg_row_y(r) - SVG_ROW_H / 2.0;
	return svg_row_y(d->row_count) - SVG_ROW_H / 2.0;
}

/* Where the lifeline of ps, born at story step k, begins: the row with
 * the arrow to it, else the first row after its birth. */
static double birth_y(const struct svg_diagram *d, size_t k, const struct proc_state *ps)
{
	const struct step *s = &d->rp->story.steps[k];

	for (size_t r = 0; r < d->row_count; r++)
		if (d->rows[r].k == k &&
		    (d->rows[r].is_births || (s->kind == STEP_FORK && s->peer == ps->proc->pid)))
			return svg_row_y(r);
	for (size_t r = 0; r < d->row_count; r++)
		if (d->rows[r].k >= k)
			return svg_row_y(r);
	return svg_row_y(d->row_count);
}

static void draw_lifelines(struct sbuf *out, const struct svg_diagram *d)
{
	const struct replay *rp = d->rp;

	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		size_t i = (size_t)(ps->proc - rp->tr->procs);
		size_t born = rp->born_step[i], end = rp->exit_step[i];
		double x = svg_lane_x(d, lane), top = SVG_HEAD_Y + SVG_HEAD_H;
		double y0 = born == SIZE_MAX ? top : birth_y(d, born, ps);
		double y1 = end == SIZE_MAX ? svg_row_y(d->row_count) : end_y(d, end);

		/* There from the start, unless an arrow shows where it came from. */
		if (born == 0 && !svg_parent(rp, ps))
			y0 = top;
		/* Not yet alive: a faint dashed line from its head. */
		if (y0 > top)
			sbuf_addf(out,
				  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				  "stroke=\"#d0d0d0\" stroke-dasharray=\"3 4\"/>\n",
				  x, top, x, y0);
		if (y1 > y0)
			sbuf_addf(out,
				  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				  "stroke=\"%s\" stroke-width=\"2\"/>\n",
				  x, y0, x, y1, role_colour(ps->proc->role));
	}
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "trace";
}

static void draw_trace(struct sbuf *out, struct svg_diagram *d, const struct export_input *in,
		       const char *column)
{
	struct replay *rp = d->rp;
	const char *python = rp->tr->meta.python;
	struct sbuf t;
	char sub[200];

	sbuf_init(&t);
	sbuf_adds(out, "<g>\n");
	svg_text_at(out, d->x0 + SVG_PAD, 24,
		    "font-family=\"sans-serif\" font-size=\"16\" font-weight=\"bold\" "
		    "fill=\"" SVG_C_INK "\"",
		    column, 60);
	snprintf(sub, sizeof(sub), "%s · %zu of %zu steps%s%s", base_name(in->name), d->told,
		 replay_step_count(rp), python ? " · python " : "", python ? python : "");
	svg_text_at(out, d->x0 + SVG_PAD, 42,
		    "font-family=\"sans-serif\" font-size=\"12\" fill=\"" SVG_C_DIM "\"", sub, 90);
	draw_heads(out, d);
	draw_lifelines(out, d);
	for (size_t r = 0; r < d->row_count; r++)
		svg_row_draw(out, d, r, &t);
	if (d->hidden) {
		snprintf(sub, sizeof(sub), "… %zu more: mpscope replay shows them all", d->hidden);
		svg_text_at(out, d->x0 + SVG_PAD, svg_row_y(d->row_count) + 4,
			    "font-family=\"sans-serif\" font-size=\"12\" fill=\"" SVG_C_DIM "\"",
			    sub, 90);
	}
	sbuf_adds(out, "</g>\n");
	if (t.is_oom)
		out->is_oom = true;
	sbuf_release(&t);
}

/* The legend's items: an arrow (marker set) or a mark, and its words. */
static const struct legend_item {
	unsigned used; /* enum svg_used: shown when the diagram drew it */
	const char *marker; /* an arrow's head, or NULL for a mark */
	enum svg_shape shape;
	const char *colour, *words;
	bool is_dashed;
} legend_items[] = {
	{ SVG_USED_FORK, "fork", 0, SVG_C_DIM, "fork", false },
	{ SVG_USED_EXEC, NULL, SVG_DOT, SVG_C_INK, "exec", false },
	{ SVG_USED_PAYLOAD, "payload", 0, SVG_C_PAYLOAD, "payload sent: size, first name", false },
	{ SVG_USED_PAYLOAD_LATE, "payload", 0, SVG_C_PAYLOAD, "payload read by a later process",
	  true },
	{ SVG_USED_PICKLE, NULL, SVG_DIAMOND, SVG_C_PAYLOAD, "pickled / unpickled", false },
	{ SVG_USED_COUNTED, NULL, SVG_HOLLOW_DIAMOND, SVG_C_PAYLOAD, "counted, not kept one by one",
	  false },
	{ SVG_USED_FDS, "fork", 0, SVG_C_DIM, "descriptors passed", true },
	{ SVG_USED_LOOKUP, NULL, SVG_RING, SVG_C_REF, "import / name looked up", false },
	{ SVG_USED_OUTPUT, NULL, SVG_SMALL, SVG_C_INK, "output", false },
	{ SVG_USED_EXIT, NULL, SVG_SQUARE, SVG_C_DIM, "exit", false },
	{ SVG_USED_WARN, NULL, SVG_SQUARE, SVG_C_WARN, "failed / bad exit", false },
};

/* Lays out the items of `used` in lines no wider than width; draws them
 * at y when out is not NULL. Returns the legend's height. */
static int legend(struct sbuf *out, unsigned used, double y, int width)
{
	static const char attrs[] =
		"font-family=\"sans-serif\" font-size=\"12\" fill=\"" SVG_C_INK "\"";
	double x = SVG_PAD;
	int lines = 1;

	for (size_t i = 0; i < sizeof(legend_items) / sizeof(legend_items[0]); i++) {
		const struct legend_item *it = &legend_items[i];
		double icon = it->marker ? 40 : 18;
		double w = icon + 6.5 * (double)strlen(it->words) + 24; /* 12 px sans-serif */

		if (!(used & it->used))
			continue;
		if (x > SVG_PAD && x + w > width - SVG_PAD) {
			x = SVG_PAD;
			y += LEGEND_LINE_H;
			lines++;
		}
		if (out && it->marker)
			svg_arrow(out, x, x + 34, y + 4, it->colour, it->marker, it->is_dashed, "");
		else if (out)
			svg_mark(out, x + 6, y + 4, it->shape, it->colour, "");
		if (out)
			svg_text_at(out, x + icon, y + 8, attrs, it->words, 40);
		x += w;
	}
	return lines * LEGEND_LINE_H + 10;
}

static void add_markers(struct sbuf *out)
{
	static const struct {
		const char *id, *colour;
	} m[] = { { "fork", SVG_C_DIM }, { "payload", SVG_C_PAYLOAD } };

	sbuf_adds(out, "<defs>\n");
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		sbuf_addf(out,
			  "<marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			  "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
			  "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"%s\"/></marker>\n",
			  m[i].id, m[i].colour);
	sbuf_adds(out, "</defs>\n");
}

/* A column's title: the program and what tells it apart, its Python
 * when the traces ran under several, else its method. */
static void column_name(const struct replay *rps, size_t count, size_t c, char *buf, size_t len)
{
	const struct trace_meta *m = &rps[c].tr->meta;
	bool same_python = true;

	for (size_t i = 1; i < count; i++) {
		const char *a = rps[0].tr->meta.python, *b = rps[i].tr->meta.python;

		if (!a != !b || (a && strcmp(a, b) != 0))
			same_python = false;
	}
	if (m->python && !same_python)
		snprintf(buf, len, "%s · python %s", base_name(m->program), m->python);
	else
		snprintf(buf, len, "%s · %s", base_name(m->program), m->method ? m->method : "?");
}

/* The document around the drawn diagrams (body): its size, title,
 * arrowheads and legend. */
static void add_document(struct sbuf *out, const struct export_opts *o, const struct sbuf *body,
			 unsigned used, int width, int height)
{
	const char *title = o->title ? o->title : "mpscope: what multiprocessing did";
	int legend_h = legend(NULL, used, 0, width);

	sbuf_addf(out,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
		  "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>",
		  width, height + legend_h, width, height + legend_h);
	svg_text(out, title, strlen(title), 120);
	sbuf_addf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width,
		  height + legend_h);
	add_markers(out);
	sbuf_add(out, body->data ? body->data : "", body->len);
	legend(out, used, height + 6, width);
	sbuf_adds(out, "</svg>\n");
}

int export_svg(const struct export_input *in, size_t count, const struct export_opts *o,
	       struct sbuf *out, struct mp_err *err)
{
	struct trace *traces;
	struct replay *replays;
	struct svg_diagram *d;
	struct sbuf body;
	unsigned used = 0;
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
	sbuf_init(&body);
	for (size_t c = 0; c < count && rc == 0; c++) {
		d[c].rp = &replays[c];
		d[c].x0 = width;
		rc = replay_set_folded(&replays[c], true, err);
		if (rc == 0)
			rc = plan(&d[c], err);
		width += d[c].width;
		height = d[c].height > height ? d[c].height : height;
	}
	for (size_t c = 0; c < count && rc == 0; c++) {
		char column[200];

		column_name(replays, count, c, column, sizeof(column));
		draw_trace(&body, &d[c], &in[c], column);
		used |= d[c].used;
	}
	if (rc == 0)
		add_document(out, o, &body, used, width, height);
	if (rc == 0 && (out->is_oom || body.is_oom))
		rc = mp_err_set(err, "out of memory while drawing the diagram");
	sbuf_release(&body);
	for (size_t c = 0; c < count; c++)
		free(d[c].rows);
	free(d);
	replay_array_free(replays, count);
	free(traces);
	return rc;
}

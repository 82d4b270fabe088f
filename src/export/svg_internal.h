/*
 * svg_internal.h - what the slide's files share inside export/: the
 * diagram's geometry and colours, one trace's diagram (its rows and
 * lifelines), the drawing primitives (svg_draw.c) and the rows
 * (svg_rows.c). svg.c puts them together into the document. Not for other
 * modules.
 */
#ifndef MP_EXPORT_SVG_INTERNAL_H
#define MP_EXPORT_SVG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sbuf.h"
#include "replay/replay.h"

#define SVG_PAD 16
#define SVG_HEAD_Y 58 /* top of the lifelines' heads */
#define SVG_HEAD_H 38
#define SVG_ROW_H 28
#define SVG_FIRST_ROW_Y (SVG_HEAD_Y + SVG_HEAD_H + 24)
#define SVG_CHAR_W 7.3 /* 12 px monospace, as browsers draw it */
#define SVG_LABEL_CHARS 28 /* a head's or mark's text is cut about there */
#define SVG_ROWS_MAX 60 /* a slide's worth; more are counted, not drawn */

#define SVG_C_PAYLOAD "#b85c00"
#define SVG_C_REF "#a0136b"
#define SVG_C_WARN "#c62828"
#define SVG_C_DIM "#666666"
#define SVG_C_INK "#222222"

/* What a diagram drew, so that its legend explains that and no more. */
enum svg_used {
	SVG_USED_FORK = 1 << 0,
	SVG_USED_EXEC = 1 << 1,
	SVG_USED_PAYLOAD = 1 << 2, /* sent to a process that was there */
	SVG_USED_PAYLOAD_LATE = 1 << 3, /* read by a process started after it was made */
	SVG_USED_FDS = 1 << 4,
	SVG_USED_LOOKUP = 1 << 5,
	SVG_USED_OUTPUT = 1 << 6,
	SVG_USED_EXIT = 1 << 7,
	SVG_USED_WARN = 1 << 8,
	SVG_USED_PICKLE = 1 << 9, /* made or read with no arrow: no reader yet */
	SVG_USED_COUNTED = 1 << 10, /* pickles counted, not kept one by one */
};

/* One row of the diagram: story step k's own mark or arrows (of an
 * output step, the line of its writer-th process), or the arrows to the
 * processes born in it that the step does not draw. */
struct svg_row {
	size_t k;
	bool is_births;
	size_t writer;
};

/* A payload arrow drawn at its dump, so that its load draws no second. */
struct svg_sent {
	int from, to;
	uint64_t size;
};

/* One trace's diagram; the rows are the caller's to free. */
struct svg_diagram {
	struct replay *rp; /* folded */
	struct svg_row *rows;
	size_t row_count, hidden; /* hidden: rows past SVG_ROWS_MAX */
	size_t told; /* story steps with a row, drawn or hidden */
	int col_w;
	double x0; /* left edge of its panel */
	int width, height;
	unsigned used; /* enum svg_used */
	struct svg_sent sent[64];
	size_t sent_count;
};

/* ---- drawing (svg_draw.c) ---- */

double svg_lane_x(const struct svg_diagram *d, size_t lane);
double svg_row_y(size_t row);
/* Appends s cleaned (html_text_clean), cut to max characters with "…",
 * escaped for XML; returns the characters it shows. */
size_t svg_text(struct sbuf *out, const char *s, size_t len, size_t max);
/* <text> at x, y with its attributes, then the cut and escaped text. */
void svg_text_at(struct sbuf *out, double x, double y, const char *attrs, const char *s,
		 size_t max);
/* An arrow from x1 to x2 at y, with its words above it; marker is the id
 * of its head ("fork", "payload"). */
void svg_arrow(struct sbuf *out, double x1, double x2, double y, const char *colour,
	       const char *marker, bool is_dashed, const char *words);
enum svg_shape {
	SVG_DOT, /* exec */
	SVG_RING, /* import, name looked up */
	SVG_SMALL, /* output */
	SVG_SQUARE, /* exit, error */
	SVG_DIAMOND, /* a pickle */
	SVG_HOLLOW_DIAMOND, /* pickles counted, not kept */
};
/* A mark on a lifeline and its words beside it. */
void svg_mark(struct sbuf *out, double x, double y, enum svg_shape shape, const char *colour,
	      const char *words);

/* ---- rows (svg_rows.c) ---- */

/* Plans d's rows from its replay: every key moment, each exit, error and
 * output that prints a line, and each birth the step that holds it does
 * not draw. -1 with err on out-of-memory. */
int svg_rows_plan(struct svg_diagram *d, struct mp_err *err);
/* The process a lifeline's arrow comes from: its parent, when the trace
 * has it; else NULL. */
const struct proc_state *svg_parent(const struct replay *rp, const struct proc_state *ps);
/* Draws row r of d; t is scratch. */
void svg_row_draw(struct sbuf *out, struct svg_diagram *d, size_t r, struct sbuf *t);

#endif

/*
 * canvas.h - a grid of cells (one glyph + a style id) that views draw into.
 *
 * Views never talk to the terminal: they draw here, ui/term.c puts the
 * canvas on screen, canvas_to_text() renders it for golden tests. Every
 * text that enters goes through one sanitiser: escape sequences, C0/C1
 * control characters, invalid UTF-8, zero-width and bidi-control code
 * points become '?' (a newline shows as '↵', a tab as a space), so nothing
 * a traced program wrote can reach the terminal raw. Drawing outside the
 * grid is clipped, never an error.
 */
#ifndef MP_UI_CANVAS_H
#define MP_UI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sbuf.h"
#include "ui/style.h"

/* The right half of a double-width glyph: drawn by the cell to its left. */
#define CANVAS_WIDE_TAIL 0u

struct cell {
	uint32_t cp; /* Unicode code point, or CANVAS_WIDE_TAIL */
	uint8_t style; /* enum style */
};

struct rect {
	int x, y, w, h;
};

struct canvas {
	int cols;
	int rows;
	struct cell *cells; /* rows * cols, row-major; owned */
	struct rect clip; /* drawing outside it is dropped */
};

/* NULL when out of memory. Sizes below 1 are taken as 1. */
struct canvas *canvas_new(int cols, int rows);
void canvas_free(struct canvas *cv);
/* Resizes and clears; -1 (canvas unchanged) when out of memory. */
int canvas_resize(struct canvas *cv, int cols, int rows);
/* Every cell a blank in ST_NORMAL. */
void canvas_clear(struct canvas *cv);

/* Limits drawing to r (NULL: the whole canvas) until the next call. */
void canvas_set_clip(struct canvas *cv, const struct rect *r);

const struct cell *canvas_at(const struct canvas *cv, int x, int y);
void canvas_set(struct canvas *cv, int x, int y, uint32_t cp, enum style st);
void canvas_fill(struct canvas *cv, struct rect r, uint32_t cp, enum style st);
/* Restyles the cells of r, keeping their glyphs. */
void canvas_paint(struct canvas *cv, struct rect r, enum style st);

/* Reads one glyph of untrusted text at s[*i]: sets *cp to what may be shown
 * and *width to its columns (1 or 2), advances *i. */
void canvas_next_glyph(const char *s, size_t len, size_t *i, uint32_t *cp, int *width);
/* Columns that text takes once sanitised. */
int canvas_text_width(const char *s, size_t len);

/* Draws text at (x, y) in at most max_w columns (a double-width glyph that
 * would not fit is left out). Returns the columns used. */
int canvas_print(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s,
		 size_t len);
int canvas_prints(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s);
int canvas_printf(struct canvas *cv, int x, int y, int max_w, enum style st, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The same, but text wider than max_w ends in an ellipsis (…) at the last
 * column, so that a reader sees it was cut. */
int canvas_print_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s,
		     size_t len);
int canvas_prints_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s);
int canvas_printf_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *fmt,
		      ...) __attribute__((format(printf, 6, 7)));

/* Word-wraps text into r, skipping the first `skip` lines. Returns the
 * number of lines the whole text needs at this width. */
int canvas_wrap(struct canvas *cv, struct rect r, enum style st, const char *s, size_t len,
		int skip);
/* The lines canvas_wrap() makes of text at width w, drawing nothing. */
int canvas_wrap_count(const char *s, size_t len, int w);

/* A frame around r with a title in its top border, in the box glyphs of
 * ui/glyph.h. */
void canvas_box(struct canvas *cv, struct rect r, enum style st, const char *title);

/* Appends the canvas as text, one line per row with trailing blanks cut.
 * With is_ascii every glyph goes through glyph_ascii(). */
void canvas_to_text(const struct canvas *cv, bool is_ascii, struct sbuf *out);

#endif

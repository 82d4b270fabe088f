/*
 * canvas.c - the cell grid, its one text sanitiser, boxes and wrapping;
 * see canvas.h. No ncurses here: golden tests and the benchmark use it
 * without a terminal.
 */
#include "ui/canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "ui/glyph.h"

struct range {
	uint32_t lo, hi;
};

/* Code points that take no column or reorder text (combining marks, zero
 * width, bidi controls, soft hyphen, tags): shown as '?', because a cell
 * grid cannot place them and a hostile string uses them to hide text. */
static const struct range invisible[] = {
	{ 0x00AD, 0x00AD },   { 0x0300, 0x036F },   { 0x0483, 0x0489 }, { 0x0591, 0x05C7 },
	{ 0x0610, 0x061C },   { 0x064B, 0x065F },   { 0x0670, 0x0670 }, { 0x06D6, 0x06ED },
	{ 0x0900, 0x0903 },   { 0x093A, 0x094F },   { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F },   { 0x2028, 0x202E },   { 0x2060, 0x206F }, { 0x20D0, 0x20FF },
	{ 0xFE00, 0xFE0F },   { 0xFE20, 0xFE2F },   { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB },
	{ 0xE0000, 0xE007F }, { 0xE0100, 0xE01EF },
};

/* East Asian wide and emoji blocks: two columns. */
static const struct range wide[] = {
	{ 0x1100, 0x115F },   { 0x2E80, 0x303E },   { 0x3041, 0x33FF },   { 0x3400, 0x4DBF },
	{ 0x4E00, 0x9FFF },   { 0xA000, 0xA4CF },   { 0xAC00, 0xD7A3 },   { 0xF900, 0xFAFF },
	{ 0xFE30, 0xFE4F },   { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },   { 0x1F300, 0x1F64F },
	{ 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

static bool in_ranges(const struct range *r, size_t n, uint32_t cp)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void canvas_next_glyph(const char *s, size_t len, size_t *i, uint32_t *cp, int *width)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n = utf8_valid_prefix(p, len - *i);
	uint32_t c;

	*width = 1;
	if (n == 0) { /* invalid or cut UTF-8: one byte at a time */
		*i += 1;
		*cp = '?';
		return;
	}
	*i += n;
	c = utf8_decode(p, n);
	if (c == '\n')
		c = glyph_cp(GLYPH_NEWLINE);
	else if (c == '\t')
		c = ' ';
	else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || in_ranges(invisible, COUNT(invisible), c))
		c = '?';
	else if (in_ranges(wide, COUNT(wide), c))
		*width = 2;
	*cp = c;
}

int canvas_text_width(const char *s, size_t len)
{
	size_t i = 0;
	int w = 0;

	while (i < len) {
		uint32_t cp;
		int gw;

		canvas_next_glyph(s, len, &i, &cp, &gw);
		w += gw;
	}
	return w;
}

struct canvas *canvas_new(int cols, int rows)
{
	struct canvas *cv = calloc(1, sizeof(*cv));

	if (!cv)
		return NULL;
	if (canvas_resize(cv, cols, rows) < 0) {
		free(cv);
		return NULL;
	}
	return cv;
}

void canvas_free(struct canvas *cv)
{
	if (!cv)
		return;
	free(cv->cells);
	free(cv);
}

int canvas_resize(struct canvas *cv, int cols, int rows)
{
	struct cell *cells;

	cols = cols < 1 ? 1 : cols;
	rows = rows < 1 ? 1 : rows;
	if (cols != cv->cols || rows != cv->rows || !cv->cells) {
		cells = malloc((size_t)cols * (size_t)rows * sizeof(*cells));
		if (!cells)
			return -1;
		free(cv->cells);
		cv->cells = cells;
		cv->cols = cols;
		cv->rows = rows;
	}
	canvas_clear(cv);
	return 0;
}

void canvas_set_clip(struct canvas *cv, const struct rect *r)
{
	cv->clip = r ? *r : (struct rect){ 0, 0, cv->cols, cv->rows };
}

void canvas_clear(struct canvas *cv)
{
	canvas_set_clip(cv, NULL);
	size_t n = (size_t)cv->cols * (size_t)cv->rows;

	for (size_t i = 0; i < n; i++)
		cv->cells[i] = (struct cell){ .cp = ' ', .style = ST_NORMAL };
}

const struct cell *canvas_at(const struct canvas *cv, int x, int y)
{
	if (x < 0 || y < 0 || x >= cv->cols || y >= cv->rows)
		return NULL;
	return &cv->cells[(size_t)y * (size_t)cv->cols + (size_t)x];
}

static struct cell *cell_at(struct canvas *cv, int x, int y)
{
	return (struct cell *)canvas_at(cv, x, y);
}

static bool in_clip(const struct canvas *cv, int x, int y)
{
	return x >= cv->clip.x && y >= cv->clip.y && x < cv->clip.x + cv->clip.w &&
		y < cv->clip.y + cv->clip.h;
}

void canvas_set(struct canvas *cv, int x, int y, uint32_t cp, enum style st)
{
	struct cell *c = cell_at(cv, x, y);

	if (!c || !in_clip(cv, x, y))
		return;
	/* Overwriting half of a wide glyph blanks the other half. */
	if (c->cp == CANVAS_WIDE_TAIL && x > 0)
		cell_at(cv, x - 1, y)->cp = ' ';
	else if (x + 1 < cv->cols && cell_at(cv, x + 1, y)->cp == CANVAS_WIDE_TAIL)
		cell_at(cv, x + 1, y)->cp = ' ';
	c->cp = cp;
	c->style = (uint8_t)st;
}

void canvas_fill(struct canvas *cv, struct rect r, uint32_t cp, enum style st)
{
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			canvas_set(cv, x, y, cp, st);
}

void canvas_paint(struct canvas *cv, struct rect r, enum style st)
{
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++) {
			struct cell *c = cell_at(cv, x, y);

			if (c)
				c->style = (uint8_t)st;
		}
}

int canvas_print(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s,
		 size_t len)
{
	size_t i = 0;
	int used = 0;

	while (i < len && used < max_w) {
		uint32_t cp;
		int gw;

		canvas_next_glyph(s, len, &i, &cp, &gw);
		if (used + gw > max_w)
			break;
		canvas_set(cv, x + used, y, cp, st);
		if (gw == 2) {
			struct cell *tail = cell_at(cv, x + used + 1, y);

			/* Both halves inside the clip, or the glyph is cut: a
			 * tail set past the clip would take a neighbour's cell,
			 * and one without its head would drop a column. */
			if (tail && in_clip(cv, x + used, y) && in_clip(cv, x + used + 1, y)) {
				canvas_set(cv, x + used + 1, y, ' ', st);
				tail->cp = CANVAS_WIDE_TAIL;
			} else { /* a wide glyph cut by the right edge or the clip */
				canvas_set(cv, x + used, y, '?', st);
			}
		}
		used += gw;
	}
	return used;
}

int canvas_prints(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s)
{
	return canvas_print(cv, x, y, max_w, st, s, strlen(s));
}

int canvas_printf(struct canvas *cv, int x, int y, int max_w, enum style st, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return canvas_print(cv, x, y, max_w, st, buf,
			    (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

int canvas_print_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s,
		     size_t len)
{
	int used;

	if (max_w <= 0)
		return 0;
	if (canvas_text_width(s, len) <= max_w)
		return canvas_print(cv, x, y, max_w, st, s, len);
	used = canvas_print(cv, x, y, max_w - 1, st, s, len);
	canvas_set(cv, x + used, y, glyph_cp(GLYPH_ELLIPSIS), st);
	return used + 1;
}

int canvas_prints_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *s)
{
	return canvas_print_cut(cv, x, y, max_w, st, s, strlen(s));
}

int canvas_printf_cut(struct canvas *cv, int x, int y, int max_w, enum style st, const char *fmt,
		      ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return canvas_print_cut(cv, x, y, max_w, st, buf,
				(size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* One wrapped line starting at byte i: [i, *end) is drawn, *next starts the
 * following line. Breaks at the last space that fits, at a newline; in a
 * word wider than the line (a dotted name like
 * multiprocessing.process.AuthenticationString) after its last '.' or '/'
 * that fits, and mid-word only when there is none. */
static void wrap_line(const char *s, size_t len, size_t i, int w, size_t *end, size_t *next)
{
	size_t j = i, space = SIZE_MAX, after_space = 0, after_dot = SIZE_MAX;
	int col = 0;

	while (j < len) {
		size_t k = j;
		uint32_t cp;
		int gw;

		if (s[j] == '\n') {
			*end = j;
			*next = j + 1;
			return;
		}
		canvas_next_glyph(s, len, &k, &cp, &gw);
		if (col + gw > w) {
			if (cp == ' ') { /* the line ends just before a space */
				*end = j;
				*next = k;
			} else if (space != SIZE_MAX) {
				*end = space;
				*next = after_space;
			} else if (after_dot != SIZE_MAX) {
				*end = *next = after_dot;
			} else {
				*end = j;
				*next = j > i ? j : k; /* always make progress */
			}
			return;
		}
		if (cp == ' ') {
			space = j;
			after_space = k;
		}
		if (cp == '.' || cp == '/')
			after_dot = k;
		col += gw;
		j = k;
	}
	*end = *next = len;
}

/* Wraps s at width w (> 0); draws the lines when cv is not NULL. */
static int wrap(struct canvas *cv, struct rect r, enum style st, const char *s, size_t len,
		int skip)
{
	size_t i = 0;
	int line = 0;

	while (i < len) {
		size_t end, next;

		wrap_line(s, len, i, r.w, &end, &next);
		if (cv && line >= skip && line - skip < r.h)
			canvas_print(cv, r.x, r.y + line - skip, r.w, st, s + i, end - i);
		line++;
		i = next;
		/* A line that starts with the space it broke at shows none. */
		while (i < len && s[i] == ' ')
			i++;
	}
	return line;
}

int canvas_wrap(struct canvas *cv, struct rect r, enum style st, const char *s, size_t len,
		int skip)
{
	return r.w > 0 ? wrap(cv, r, st, s, len, skip) : 0;
}

int canvas_wrap_count(const char *s, size_t len, int w)
{
	return w > 0 ? wrap(NULL, (struct rect){ 0, 0, w, 0 }, ST_NORMAL, s, len, 0) : 0;
}

void canvas_box(struct canvas *cv, struct rect r, enum style st, const char *title)
{
	if (r.w < 2 || r.h < 2)
		return;
	for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
		canvas_set(cv, x, r.y, glyph_cp(GLYPH_BOX_H), st);
		canvas_set(cv, x, r.y + r.h - 1, glyph_cp(GLYPH_BOX_H), st);
	}
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		canvas_set(cv, r.x, y, glyph_cp(GLYPH_BOX_V), st);
		canvas_set(cv, r.x + r.w - 1, y, glyph_cp(GLYPH_BOX_V), st);
	}
	canvas_set(cv, r.x, r.y, glyph_cp(GLYPH_BOX_TOP_LEFT), st);
	canvas_set(cv, r.x + r.w - 1, r.y, glyph_cp(GLYPH_BOX_TOP_RIGHT), st);
	canvas_set(cv, r.x, r.y + r.h - 1, glyph_cp(GLYPH_BOX_BOTTOM_LEFT), st);
	canvas_set(cv, r.x + r.w - 1, r.y + r.h - 1, glyph_cp(GLYPH_BOX_BOTTOM_RIGHT), st);
	if (title && *title && r.w > 4) {
		int used = canvas_prints_cut(cv, r.x + 2, r.y, r.w - 4, ST_TITLE, title);

		canvas_set(cv, r.x + 1, r.y, ' ', st);
		if (r.x + 2 + used < r.x + r.w - 1)
			canvas_set(cv, r.x + 2 + used, r.y, ' ', st);
	}
}

void canvas_to_text(const struct canvas *cv, bool is_ascii, struct sbuf *out)
{
	for (int y = 0; y < cv->rows; y++) {
		size_t keep = out->len;

		for (int x = 0; x < cv->cols; x++) {
			uint32_t cp = canvas_at(cv, x, y)->cp;
			char buf[4];

			/* ASCII has no double-width glyphs: "??" keeps the columns. */
			if (cp == CANVAS_WIDE_TAIL && !is_ascii)
				continue;
			if (is_ascii)
				cp = cp == CANVAS_WIDE_TAIL ? '?' : glyph_ascii(cp);
			sbuf_add(out, buf, utf8_encode(cp, buf));
			if (cp != ' ')
				keep = out->len;
		}
		out->len = keep;
		sbuf_addc(out, '\n');
	}
}

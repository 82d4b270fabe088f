/*
 * style.h - what a cell means, not how it looks. ui/term.c maps each style
 * to colours (8 or 256) or, under NO_COLOR and on monochrome terminals, to
 * bold/reverse/underline alone, so every style stays distinguishable.
 */
#ifndef MP_UI_STYLE_H
#define MP_UI_STYLE_H

enum style {
	ST_NORMAL,
	ST_DIM, /* secondary text: hints, offsets */
	ST_BORDER,
	ST_BORDER_FOCUS, /* the panel that ↑/↓ and Enter act on */
	ST_TITLE, /* panel titles */
	ST_BAR, /* status line and key bar */
	ST_BAR_KEY, /* a key name inside the key bar */
	ST_SELECTED, /* selected lane or row */
	ST_MAIN, /* lanes by role */
	ST_CHILD,
	ST_SERVER, /* forkserver, resource tracker, manager */
	ST_PAYLOAD, /* the pickle glyph and pickle marks */
	ST_PAYLOAD_BOX, /* the travelling payload's label: size and first reference */
	ST_REF, /* GLOBAL / STACK_GLOBAL: a reference, not code */
	ST_INHERITED, /* an fd that crossed into the child */
	ST_GONE, /* an fd closed at exec */
	ST_WARN, /* hazards: threads at fork, errors, failed pickles */
	ST_DIFF, /* compare mode: a step the other methods do not have */
	ST_COUNT
};

#endif

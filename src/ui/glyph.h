/*
 * glyph.h - every glyph the screen draws, by name, with the ASCII a
 * terminal without UTF-8 shows in its place: one row each in glyph.c.
 *
 * A view names the glyph it draws on its own (a lane mark, a box line, a
 * cursor, a scroll hint): canvas_set(cv, x, y, glyph_cp(GLYPH_FORK_BRANCH),
 * st), or glyph_text() inside a format. Punctuation inside words and
 * sentences (the · of a title, the → of a key label, narration's arrows)
 * stays text, and its ASCII comes from the same rows. Several names may
 * share a code point (a box's side and a fork's line are both │); the
 * canvas stores code points, so such rows share their ASCII too.
 */
#ifndef MP_UI_GLYPH_H
#define MP_UI_GLYPH_H

#include <stdint.h>

enum glyph {
	/* Box lines (canvas_box). */
	GLYPH_BOX_H,
	GLYPH_BOX_V,
	GLYPH_BOX_TOP_LEFT,
	GLYPH_BOX_TOP_RIGHT,
	GLYPH_BOX_BOTTOM_LEFT,
	GLYPH_BOX_BOTTOM_RIGHT,
	/* The lanes. */
	GLYPH_LANE, /* a process alive at that step */
	GLYPH_FORK_BRANCH, /* the fork, on the parent's lane */
	GLYPH_FORK_LINE, /* from the parent's lane down to the child's */
	GLYPH_FORK_CHILD, /* the fork, on the child's lane */
	GLYPH_START, /* a process starts or execs */
	GLYPH_PICKLE, /* a pickle, made or read; also the payload travelling */
	GLYPH_PICKLE_FAILED, /* a pickle that raised */
	GLYPH_COUNTED, /* pickles counted, not kept one by one, at a process's end */
	GLYPH_PAYLOAD_PATH, /* the way the payload travels between lanes */
	GLYPH_LOOKUP, /* the main module re-imported, a name looked up */
	GLYPH_OUTPUT, /* the process wrote to stdout or stderr */
	GLYPH_EXIT,
	GLYPH_ERROR, /* the tracer reported a problem */
	GLYPH_STEP_CURSOR, /* on the frame above the current step */
	/* Cursors, state and hints. */
	GLYPH_ROW_CURSOR, /* compare mode: the row under the cursor */
	GLYPH_PLAYING,
	GLYPH_PAUSED,
	GLYPH_MORE_ABOVE, /* a panel scrolled: more above */
	GLYPH_MORE_BELOW,
	GLYPH_NONE, /* an empty table cell */
	GLYPH_GAP, /* compare mode: a step this trace does not have */
	GLYPH_NEWLINE, /* a newline inside one line of text (the sanitiser) */
	GLYPH_ELLIPSIS, /* text cut to fit (canvas_print_cut) */
	GLYPH_STRIKE, /* a descriptor an exec is closing, while it goes */
	/* Text: in words, labels and the narration. */
	GLYPH_MIDDLE_DOT,
	GLYPH_TIMES,
	GLYPH_MINUS,
	GLYPH_EN_DASH,
	GLYPH_EM_DASH,
	GLYPH_ARROW_RIGHT,
	GLYPH_ARROW_LEFT,
	GLYPH_ARROW_UP,
	GLYPH_ARROW_DOWN,
	GLYPH_POINTER_LEFT,
	GLYPH_POINTER_RIGHT,
	GLYPH_TRIANGLE_LEFT,
	GLYPH_TRIANGLE_RIGHT_SMALL,
	GLYPH_TRIANGLE_UP,
	GLYPH_ANGLE_RIGHT,
	GLYPH_DASH3_H,
	GLYPH_DASH4_H,
	GLYPH_DASH2_H,
	GLYPH_DASH3_V,
	GLYPH_DASH2_V,
	GLYPH_TEE_RIGHT,
	GLYPH_TEE_LEFT,
	GLYPH_TEE_UP,
	GLYPH_CROSS,
	/* Lessons: the menu and the quizzes. */
	GLYPH_CHECK, /* done, right */
	GLYPH_WRONG, /* a wrong answer, a lesson that cannot be read */
	GLYPH_INPUT_CURSOR, /* where a typed answer goes on */
	GLYPH_BULLET, /* an item of a list */
	GLYPH_COUNT
};

struct glyph_row {
	uint32_t cp; /* Unicode code point */
	const char *text; /* the same, in UTF-8 */
	char ascii; /* what a terminal without UTF-8 shows */
};

extern const struct glyph_row glyph_table[GLYPH_COUNT];

static inline uint32_t glyph_cp(enum glyph g)
{
	return glyph_table[g].cp;
}

static inline const char *glyph_text(enum glyph g)
{
	return glyph_table[g].text;
}

/* The ASCII stand-in for any code point: ASCII as is, a glyph of the table
 * its row's ASCII, anything else '?'. */
uint32_t glyph_ascii(uint32_t cp);

#endif

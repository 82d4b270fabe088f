/*
 * screen.h - what the terminal loop (ui/term.c) asks of a screen: the
 * replay, the lesson menu and the lesson player are each a state and the
 * functions that settle, draw, take keys and time. The loop reads keys,
 * passes time while the screen moves, and draws a settled state; a screen
 * never talks to the terminal, so every screen also runs headless.
 */
#ifndef MP_UI_SCREEN_H
#define MP_UI_SCREEN_H

#include <stdbool.h>

#include "common/err.h"
#include "ui/canvas.h"
#include "ui/ui.h"

struct ui_screen {
	void *state;
	/* Makes the state fit cols x rows before drawing (scrolls, caches). */
	void (*settle)(void *state, int cols, int rows);
	/* Draws the whole canvas from a settled state; changes nothing. */
	void (*draw)(struct canvas *cv, const void *state);
	/* A key (enum ui_key or ASCII): reaction flags (UI_REDRAW, UI_QUIT). */
	unsigned (*key)(void *state, int key);
	/* elapsed_ms of wall time passed: UI_REDRAW when something moved. */
	unsigned (*tick)(void *state, double elapsed_ms);
	/* A click at a screen cell; NULL when the screen takes none. */
	unsigned (*click)(void *state, int cols, int rows, int x, int y);
	/* True while frames must come by themselves (playing, a transition). */
	bool (*is_moving)(const void *state);
};

/* Runs s until a key returns UI_QUIT or the terminal goes away (0), or
 * -1 with err when drawing runs out of memory. */
int ui_term_run(struct ui_term *t, const struct ui_screen *s, struct mp_err *err);
/* Draws s once, reading no key: a page shown while the caller works. */
void ui_term_show(struct ui_term *t, const struct ui_screen *s);

#endif

/*
 * ui.h - what the rest of mpscope asks of the screen: show traces, or
 * render frames of them as text without a terminal.
 *
 * Callers load and validate the traces first, so that a bad file is
 * reported before the terminal is touched. The live run verb calls
 * ui_replay() after the run, with the traces it recorded (docs/screen.md).
 */
#ifndef MP_UI_H
#define MP_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "common/sbuf.h"
#include "trace/trace.h"

enum ui_replay_flags {
	/* Steps change at once: no payload travelling, no descriptor column
	 * filling (also MPSCOPE_NO_ANIMATION=1 in the environment). */
	UI_NO_ANIMATION = 1 << 0,
};

/* Animates count finished traces (two or more open compare mode, with the
 * bookkeeping steps folded) until the user quits. Installs signal handlers
 * that restore the terminal on Ctrl-C, SIGTERM and fatal signals, then
 * re-raise. title may be NULL (the program's name is shown); flags are
 * ui_replay_flags. Returns 0, or -1 with err when there is no usable
 * terminal or memory runs out; the terminal is restored either way. */
int ui_replay(const struct trace *traces, size_t count, const char *title, unsigned flags,
	      struct mp_err *err);

/* A frame as text, for golden tests and `mpscope replay --print`. */
struct ui_frame_opts {
	int cols, rows;
	size_t step; /* 0-based story step of the shown trace */
	const char *
		keys; /* keys pressed after seeking, as ASCII ('\t' Tab, '\n' Enter); may be NULL */
	bool is_ascii; /* render as a terminal without UTF-8 would show it */
};
int ui_render_frame(const struct trace *traces, size_t count, const struct ui_frame_opts *o,
		    struct sbuf *out, struct mp_err *err);

/* Headless timing of the draw path: builds the replay, draws the first
 * frame, then steps through `frames` steps drawing each. Times are wall
 * milliseconds (CLOCK_MONOTONIC). */
struct ui_bench {
	double first_frame_ms; /* replay built + first frame drawn */
	double frame_avg_ms;
	double frame_p99_ms;
	double frame_max_ms;
	size_t frames;
	size_t steps;
};
int ui_bench_frames(const struct trace *tr, int cols, int rows, size_t frames, struct ui_bench *out,
		    struct mp_err *err);

#endif

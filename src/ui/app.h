/*
 * app.h - the replay screen's state, its views and its keys.
 *
 * ui/ is the top of the data flow (trace/ -> replay/ -> ui/). Every view is
 * `ui_X_draw(canvas, app, rect)`: it reads the state and draws into the
 * canvas, nothing else. `ui_app_key()` changes the state and returns
 * reaction flags; it never draws. Only ui/term.c talks to the terminal, so
 * everything declared here runs headless (golden frames, benchmark).
 */
#ifndef MP_UI_APP_H
#define MP_UI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/err.h"
#include "common/sbuf.h"
#include "replay/align.h"
#include "replay/replay.h"
#include "ui/canvas.h"

/* The smallest screen the layout is designed for. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* Keys as the app sees them: ASCII, or these codes (term.c translates). */
enum ui_key {
	UI_KEY_LEFT = 0x110001,
	UI_KEY_RIGHT,
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_ENTER,
	UI_KEY_TAB,
	UI_KEY_BTAB,
	UI_KEY_ESC,
};

enum ui_reaction {
	UI_REDRAW = 1 << 0,
	UI_QUIT = 1 << 1,
};

enum ui_focus { FOCUS_LANES, FOCUS_PAYLOAD, FOCUS_RESOURCES, FOCUS_NARRATION, FOCUS_COUNT };
enum ui_payload_mode { PAYLOAD_DIS, PAYLOAD_DECODED, PAYLOAD_HEX };

/* The payload panel's text, rebuilt only when the payload or mode changes. */
struct payload_text {
	const struct event *ev;
	enum ui_payload_mode mode;
	struct sbuf text; /* lines separated by '\n'; owned */
	struct sbuf ref_lines; /* one byte per line: 1 = a reference (GLOBAL...) */
	size_t line_count;
	size_t first_ref_line; /* first reference to the program's own code, or SIZE_MAX */
	bool is_valid;
};

struct ui_app {
	struct replay *replays; /* borrowed; replay_count of them, one per trace */
	size_t replay_count;
	size_t current; /* the replay shown outside compare mode */
	const char *title; /* lesson or program name; may be NULL */
	enum ui_focus focus;
	enum ui_payload_mode payload_mode;
	int scroll[FOCUS_COUNT];
	bool is_following; /* the selection follows the story */
	int selected_pid;
	bool is_compare;
	bool show_help;
	size_t compare_row; /* aligned row under the cursor in compare mode */
	struct alignment align; /* compare rows; rebuilt when a story changes */
	size_t align_key; /* sum of step counts the alignment was built for */
	struct payload_text payload;
	struct mp_err err; /* shown once in the status line, then cleared */
	bool has_err;
};

/* The app borrows the replays; compare mode needs two or more. */
void ui_app_init(struct ui_app *app, struct replay *replays, size_t count, const char *title);
void ui_app_release(struct ui_app *app);

struct replay *ui_app_replay(struct ui_app *app);
/* The process the resources view is about. */
int ui_app_selected_pid(const struct ui_app *app);

/* The compare rows, built on first use and again when a story changed;
 * NULL (and app->err set) when memory runs out. */
const struct alignment *ui_app_alignment(struct ui_app *app);

/* Draws the whole screen (or the size message when it is too small). */
void ui_app_draw(struct canvas *cv, struct ui_app *app);
unsigned ui_app_key(struct ui_app *app, int key);
/* Time passes while playing; UI_REDRAW when the screen changed. */
unsigned ui_app_tick(struct ui_app *app, double elapsed_ms);
/* A mouse click at a screen cell: selects the lane or event under it. */
unsigned ui_app_click(struct ui_app *app, int cols, int rows, int x, int y);

/* The views. */
void ui_status_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_keybar_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_lanes_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_payload_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_resources_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_narration_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_help_draw(struct canvas *cv, struct ui_app *app, struct rect r);
void ui_compare_draw(struct canvas *cv, struct ui_app *app, struct rect r);
/* What every compared trace shares (" · spawn", " · python 3.11.7"), for
 * the status line; the column titles say what differs. */
void ui_compare_shared(const struct ui_app *app, char *buf, size_t len);

/* Lane under row `row` of a lanes panel at r, or -1 (used by mouse). */
int ui_lanes_pid_at(struct ui_app *app, struct rect r, int row);
/* Story step drawn in column x of a lanes panel at r, or -1. */
long ui_lanes_step_at(struct ui_app *app, struct rect r, int x);

/* The key table, for the help screen: key label and what it does. */
struct ui_key_help {
	const char *label;
	const char *what;
};
size_t ui_key_help(const struct ui_key_help **rows);

#endif

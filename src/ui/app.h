/*
 * app.h - the replay screen's state, its views and its keys.
 *
 * ui/ is the top of the data flow (trace/ -> replay/ -> ui/). A frame is
 * two steps: `ui_app_settle()` makes the state fit a screen size (scrolls
 * clamped, compared replays sought, the payload text and the compare rows
 * rebuilt), then `ui_app_draw()` has every view read it: a view is
 * `ui_X_draw(canvas, const app, rect)` and draws into the canvas, nothing
 * else, so the order views draw in cannot matter. `ui_app_key()` changes
 * the state and returns reaction flags; it never draws. Only ui/term.c
 * talks to the terminal, so everything declared here runs headless (golden
 * frames, benchmark).
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
#include "ui/glyph.h"
#include "ui/ui.h"

/* The smallest screen the layout is designed for. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
/* From this size on, the processes take the whole width and the panels
 * below them the rest (ui_app_layout). */
#define UI_WIDE_COLS 120
#define UI_WIDE_ROWS 36

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
	UI_KEY_BACKSPACE,
};

enum ui_reaction {
	UI_REDRAW = 1 << 0,
	UI_QUIT = 1 << 1,
};

enum ui_focus { FOCUS_LANES, FOCUS_PAYLOAD, FOCUS_RESOURCES, FOCUS_NARRATION, FOCUS_COUNT };
enum ui_payload_mode { PAYLOAD_DIS, PAYLOAD_DECODED, PAYLOAD_HEX };

/* A transition between two steps, so the eye follows what changed: the
 * payload travels from its sender's lane to its receiver's, a forked
 * child's descriptor column fills from its parent's, the descriptors an
 * exec closes are struck out before they go. Time-based: ui_app_tick()
 * moves it; the views read how far it has got (ui_anim_progress). */
enum ui_anim_kind { UI_ANIM_NONE, UI_ANIM_PAYLOAD, UI_ANIM_FORK_FILL, UI_ANIM_EXEC_STRIKE };

struct ui_anim {
	enum ui_anim_kind kind; /* UI_ANIM_NONE: everything at rest */
	size_t replay; /* the replay and step it moves into */
	size_t step;
	int pid; /* the fork's child, the exec'ing process, the payload's receiver */
	double elapsed_ms;
	double duration_ms;
	/* The replay and step the screen last settled on: a move from there
	 * forward starts a transition. */
	size_t seen_replay;
	size_t seen_step;
	bool has_seen;
};

#define UI_ANIM_PAYLOAD_MS 700.0
#define UI_ANIM_FILL_MS 600.0
#define UI_ANIM_STRIKE_MS 900.0

/* The payload panel's text, rebuilt only when the payload or mode changes;
 * its verdict line only when the payload changes (judging a big pickle
 * takes a while, and the verdict is the same in every mode). */
struct payload_text {
	const struct event *ev;
	enum ui_payload_mode mode;
	struct sbuf text; /* lines separated by '\n'; owned */
	struct sbuf ref_lines; /* one byte per line: 1 = a reference (GLOBAL...) */
	size_t line_count;
	size_t first_ref_line; /* first reference to the program's own code, or SIZE_MAX */
	bool is_valid;
	const struct event *verdict_ev; /* the payload `verdict` judges, or NULL */
	struct sbuf verdict; /* "verdict: WORD — reason"; empty: no bytes to judge; owned */
	bool is_dangerous;
};

struct ui_app {
	/* Borrowed, replay_count of them, one per trace. Writable replays were
	 * given to ui_app_init(); they are read-only here so that a view, which
	 * gets a const app, can only read them. ui_app_replay_rw() is the way
	 * to move one. */
	const struct replay *replays;
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
	bool is_folded; /* the stories hide their bookkeeping (a) */
	bool is_animated; /* transitions move; off: --no-animation, or headless */
	struct ui_anim anim;
	bool is_compare_payload; /* compare: the selected trace's payload below the columns */
	/* Where c last left compare mode, so that c again comes back to that
	 * row while the shown trace has not moved. */
	bool has_compare_left;
	size_t compare_left_row, compare_left_current, compare_left_step;
	/* Where a run of m presses started, so that passing through a trace
	 * that has no such moment (fork has no unpickle) does not lose it:
	 * each m matches from there while the user has not moved. */
	bool has_method_origin;
	size_t method_origin, method_origin_step, method_last, method_last_step;
	struct payload_text payload;
	/* The replay, step and process the resources panel last scrolled to
	 * the step's descriptors for: another one scrolls there again. */
	size_t resources_replay, resources_step;
	int resources_pid;
	bool has_resources_place;
	struct mp_err err; /* shown once in the status line, then cleared */
	bool has_err;
	/* The `e` key: who writes exports (NULL: this screen cannot), the
	 * format prompt open in the status line, and what the last export
	 * said (where the file went), shown once there like err. */
	const struct ui_exporter *exporter;
	bool is_export_prompt;
	char note[MP_ERR_MAX];
	bool has_note;
	/* Where the replay is drawn. Unframed (the replay verb): the whole
	 * screen, status line and key bar included. Framed (the lesson
	 * player, which draws its own bar and text around it): only the
	 * panels, inside `area`, in classroom proportions when is_present. */
	bool is_framed;
	struct rect area;
	bool is_present;
};

/* The app borrows the replays; compare mode needs two or more. */
void ui_app_init(struct ui_app *app, struct replay *replays, size_t count, const char *title);
void ui_app_release(struct ui_app *app);

/* The replay shown outside compare mode, to read. */
const struct replay *ui_app_replay(const struct ui_app *app);
/* Replay c (< replay_count), to move: for keys, ticks and settling. */
struct replay *ui_app_replay_rw(struct ui_app *app, size_t c);
/* The process the resources view is about. */
int ui_app_selected_pid(const struct ui_app *app);

/* The compare rows, built on first use and again when a story changed;
 * NULL (and app->err set) when memory runs out. */
const struct alignment *ui_app_alignment(struct ui_app *app);

/* Folds every story's bookkeeping (replay_set_folded) or shows all steps,
 * keeping the place: each trace stays at the step that holds its current
 * one, compare mode on the row of the shown trace's step. -1 with app->err
 * on out-of-memory. The screen opens folded in compare mode. */
int ui_app_set_folded(struct ui_app *app, bool is_folded);

/* The transition playing at the shown step, or NULL when all is at rest. */
const struct ui_anim *ui_app_anim(const struct ui_app *app);
/* How far a transition has got: 0 at its start, 1 at rest. */
double ui_anim_progress(const struct ui_anim *a);
bool ui_app_is_animating(const struct ui_app *app);

/* Where each part of the screen goes at cols x rows. The processes panel
 * is as tall as the shown trace's lanes (and the legend) need, within a
 * share of the screen: the rest goes to the panels that have text. A
 * framed app has no status line or key bar (their rects are empty) and
 * its body is app->area; classroom proportions (is_present) give the
 * lanes the width and the payload most of what is below them. */
struct ui_layout {
	struct rect status, keys, body, lanes, payload, resources, narration;
};
struct ui_layout ui_app_layout(const struct ui_app *app, int cols, int rows);

/* Makes the state fit a cols x rows screen before any view draws: clamps
 * the panels' scrolls, seeks every compared replay to the cursor row,
 * rebuilds the payload text and the compare rows when they are stale. Call
 * it after any change (key, tick, click, resize) and before ui_app_draw. */
void ui_app_settle(struct ui_app *app, int cols, int rows);
/* Draws the whole screen (or the size message when it is too small) from
 * a settled state. */
void ui_app_draw(struct canvas *cv, const struct ui_app *app);
/* The same without clearing the canvas first and without the size
 * message: for a framed app, whose owner draws around it. */
void ui_app_draw_in(struct canvas *cv, const struct ui_app *app);
/* The one-line message a screen smaller than UI_MIN_COLS x UI_MIN_ROWS
 * shows instead of everything else; true when it was drawn. */
bool ui_draw_too_small(struct canvas *cv);
unsigned ui_app_key(struct ui_app *app, int key);
/* Time passes while playing; UI_REDRAW when the screen changed. */
unsigned ui_app_tick(struct ui_app *app, double elapsed_ms);
/* A mouse click at a screen cell: selects the lane or event under it. */
unsigned ui_app_click(struct ui_app *app, int cols, int rows, int x, int y);

/* The views: each draws its part of the screen at r from a settled state. */
void ui_status_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_keybar_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_lanes_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_payload_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_resources_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_narration_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_help_draw(struct canvas *cv, const struct ui_app *app, struct rect r);
void ui_compare_draw(struct canvas *cv, const struct ui_app *app, struct rect r);

/* Each view's part of ui_app_settle(), for its panel at r: what the view
 * would otherwise compute while drawing and keep (scroll, caches). */
void ui_lanes_settle(struct ui_app *app, struct rect r);
void ui_payload_settle(struct ui_app *app, struct rect r);
void ui_resources_settle(struct ui_app *app, struct rect r);
void ui_narration_settle(struct ui_app *app, struct rect r);
void ui_compare_settle(struct ui_app *app, struct rect r);

/* The lanes of compared replay c inside r (no frame, no selection), for a
 * compare column. */
void ui_lanes_draw_in(struct canvas *cv, const struct ui_app *app, size_t c, struct rect r);
/* The legend of the lanes' glyphs in one line at (x, y), whole entries
 * only, long words when all fit; returns the columns used (0: none fit). */
int ui_legend_draw(struct canvas *cv, const struct ui_app *app, int x, int y, int max_w);
/* The legend's entries, for the help screen: glyphs and what they mean.
 * The mark of counted pickles is explained only when a trace shown (the
 * current one; in compare mode, any) has some. */
struct ui_legend_entry {
	enum glyph g1, g2; /* g2 == GLYPH_COUNT: one glyph */
	const char *word; /* at 80 columns */
	const char *words; /* when there is room */
};
size_t ui_legend(const struct ui_app *app, const struct ui_legend_entry **rows);

/* Lane under row `row` of a lanes panel at r, or -1 (used by mouse). */
int ui_lanes_pid_at(const struct ui_app *app, struct rect r, int row);
/* Story step drawn in column x of a lanes panel at r, or -1. */
long ui_lanes_step_at(const struct ui_app *app, struct rect r, int x);

/* The key that picks export format i of x in the `e` prompt: the first
 * letter of its name that no format before it took. */
int ui_export_key(const struct ui_exporter *x, size_t i);

/* The key table, for the help screen: key label and what it does. */
struct ui_key_help {
	const char *label;
	const char *what;
};
size_t ui_key_help(const struct ui_key_help **rows);

#endif

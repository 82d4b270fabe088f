/*
 * term.c - the only file that talks to the terminal (ncurses).
 *
 * Puts canvases on screen by diffing against the previous frame (only
 * changed cells are written, one doupdate per frame: no flicker), maps
 * styles to 8 or 256 colours or to attributes alone (NO_COLOR, monochrome),
 * draws ASCII when the locale is not UTF-8, and turns ncurses keys, mouse
 * clicks and resizes into events of whichever screen runs (ui/screen.h:
 * the replay, the lesson menu, a lesson), one terminal for a session. The terminal is restored on every
 * exit: q, Ctrl-C, SIGTERM, SIGHUP and fatal signals (handlers are in place
 * before the screen is set up; they restore, then re-raise, as htop does).
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "ui/app.h"
#include "ui/glyph.h"
#include "ui/screen.h"
#include "ui/ui.h"

#define FRAME_MS 33 /* while playing: ~30 frames a second */

static volatile sig_atomic_t is_screen_up;
static SCREEN *screen;

static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
				       SIGBUS, SIGFPE,  SIGILL, SIGABRT };
#define HANDLED_COUNT (sizeof(handled_signals) / sizeof(handled_signals[0]))
static struct sigaction old_actions[HANDLED_COUNT];

static void restore_terminal(void)
{
	if (is_screen_up) {
		is_screen_up = 0;
		endwin();
	}
}

/* endwin() is not async-signal-safe; like htop we accept that, because a
 * terminal left in raw mode is worse than the small risk. */
static void on_signal(int sig)
{
	static const char crashed[] = "mpscope: crashed; the terminal was restored\n";

	restore_terminal();
	if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP)
		(void)!write(STDERR_FILENO, crashed, sizeof(crashed) - 1);
	for (size_t i = 0; i < HANDLED_COUNT; i++)
		if (handled_signals[i] == sig)
			sigaction(sig, &old_actions[i], NULL);
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < HANDLED_COUNT; i++) {
		sigaction(handled_signals[i], NULL, &old_actions[i]);
		/* A signal ignored when we started (SIGHUP under nohup, SIGINT in
		 * a background job) stays ignored: catching it would end the
		 * screen for a signal the user asked not to act on. */
		if (old_actions[i].sa_handler != SIG_IGN)
			sigaction(handled_signals[i], &sa, NULL);
	}
}

static void remove_handlers(void)
{
	for (size_t i = 0; i < HANDLED_COUNT; i++)
		sigaction(handled_signals[i], &old_actions[i], NULL);
}

/* ---- styles ---- */

struct look {
	short fg; /* -1: the terminal's default */
	attr_t attr; /* with colour */
	attr_t mono; /* without colour: attributes alone must tell styles apart */
};

static const struct look looks[ST_COUNT] = {
	[ST_NORMAL] = { -1, A_NORMAL, A_NORMAL },
	[ST_DIM] = { -1, A_DIM, A_DIM },
	[ST_BORDER] = { COLOR_BLUE, A_NORMAL, A_NORMAL },
	[ST_BORDER_FOCUS] = { COLOR_CYAN, A_BOLD, A_BOLD },
	[ST_TITLE] = { -1, A_BOLD, A_BOLD },
	[ST_BAR] = { -1, A_REVERSE, A_REVERSE },
	[ST_BAR_KEY] = { -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
	[ST_SELECTED] = { -1, A_REVERSE, A_REVERSE },
	[ST_MAIN] = { COLOR_YELLOW, A_NORMAL, A_BOLD },
	[ST_CHILD] = { COLOR_GREEN, A_NORMAL, A_NORMAL },
	[ST_SERVER] = { COLOR_MAGENTA, A_NORMAL, A_DIM },
	[ST_PAYLOAD] = { COLOR_CYAN, A_BOLD, A_BOLD },
	[ST_PAYLOAD_BOX] = { COLOR_CYAN, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
	[ST_REF] = { COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
	[ST_INHERITED] = { COLOR_GREEN, A_NORMAL, A_UNDERLINE },
	[ST_GONE] = { COLOR_RED, A_DIM, A_DIM },
	[ST_WARN] = { COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[ST_DIFF] = { COLOR_MAGENTA, A_BOLD, A_BOLD },
};

static attr_t style_attrs[ST_COUNT];

static void setup_styles(void)
{
	const char *no_color = getenv("NO_COLOR");
	bool use_colour = has_colors() && !(no_color && *no_color);

	if (use_colour && start_color() == OK) {
		use_default_colors();
		for (int s = 0; s < ST_COUNT; s++) {
			short fg = looks[s].fg;

			/* On 256 colours, dim text is a grey rather than A_DIM,
			 * which some terminals ignore. */
			if (s == ST_DIM && COLORS >= 256)
				fg = 244;
			init_pair((short)(s + 1), fg, -1);
			style_attrs[s] = (s == ST_DIM && COLORS >= 256 ? A_NORMAL : looks[s].attr) |
				COLOR_PAIR(s + 1);
		}
		return;
	}
	for (int s = 0; s < ST_COUNT; s++)
		style_attrs[s] = looks[s].mono;
}

/* ---- output ---- */

/* The terminal while the screen is up: the canvas being drawn and the
 * one on screen, so that only changed cells are written. */
struct ui_term {
	struct canvas *cur;
	struct canvas *prev; /* what the screen shows; NULL forces a full draw */
	bool is_utf8;
};

static void put_cell(const struct ui_term *t, int x, int y, const struct cell *c, bool is_wide)
{
	wchar_t w[3] = { 0 };

	if (t->is_utf8) {
		w[0] = (wchar_t)c->cp;
	} else {
		w[0] = (wchar_t)glyph_ascii(c->cp);
		if (is_wide)
			w[1] = '?';
	}
	attrset(style_attrs[c->style]);
	mvaddwstr(y, x, w);
}

static void flush_canvas(struct ui_term *t)
{
	const struct canvas *cv = t->cur;

	for (int y = 0; y < cv->rows; y++)
		for (int x = 0; x < cv->cols; x++) {
			const struct cell *c = canvas_at(cv, x, y);
			const struct cell *p = t->prev ? canvas_at(t->prev, x, y) : NULL;
			const struct cell *next = canvas_at(cv, x + 1, y);
			bool is_wide = next && next->cp == CANVAS_WIDE_TAIL;

			if (c->cp == CANVAS_WIDE_TAIL)
				continue;
			if (p && p->cp == c->cp && p->style == c->style &&
			    (!is_wide || canvas_at(t->prev, x + 1, y)->cp == CANVAS_WIDE_TAIL))
				continue;
			/* The bottom-right cell would scroll some terminals. */
			if (y == cv->rows - 1 && x == cv->cols - 1)
				continue;
			put_cell(t, x, y, c, is_wide);
		}
	attrset(A_NORMAL);
	wnoutrefresh(stdscr);
	doupdate();
}

static int draw(struct ui_term *t, const struct ui_screen *s)
{
	int rows, cols;
	struct canvas *swap;

	getmaxyx(stdscr, rows, cols);
	if (!t->prev || t->cur->cols != cols || t->cur->rows != rows) {
		if (canvas_resize(t->cur, cols, rows) < 0)
			return -1;
		clearok(curscr, TRUE);
		erase();
		canvas_free(t->prev);
		t->prev = NULL;
	}
	s->settle(s->state, t->cur->cols, t->cur->rows);
	s->draw(t->cur, s->state);
	flush_canvas(t);
	if (!t->prev) {
		t->prev = canvas_new(cols, rows);
		if (!t->prev)
			return -1;
	}
	swap = t->prev;
	t->prev = t->cur;
	t->cur = swap;
	return 0;
}

/* ---- input ---- */

static int translate(wint_t ch, int kind)
{
	if (kind == KEY_CODE_YES) {
		switch (ch) {
		case KEY_LEFT:
			return UI_KEY_LEFT;
		case KEY_RIGHT:
			return UI_KEY_RIGHT;
		case KEY_UP:
			return UI_KEY_UP;
		case KEY_DOWN:
			return UI_KEY_DOWN;
		case KEY_HOME:
			return UI_KEY_HOME;
		case KEY_END:
			return UI_KEY_END;
		case KEY_PPAGE:
			return UI_KEY_PGUP;
		case KEY_NPAGE:
			return UI_KEY_PGDN;
		case KEY_ENTER:
			return UI_KEY_ENTER;
		case KEY_BTAB:
			return UI_KEY_BTAB;
		case KEY_BACKSPACE:
			return UI_KEY_BACKSPACE;
		default:
			return 0;
		}
	}
	switch (ch) {
	case '\n':
	case '\r':
		return UI_KEY_ENTER;
	case '\t':
		return UI_KEY_TAB;
	case 27:
		return UI_KEY_ESC;
	case 8:
	case 127:
		return UI_KEY_BACKSPACE;
	default:
		return ch < 0x80 ? (int)ch : 0;
	}
}

/* Reads every pending key; returns the reactions. */
static unsigned drain_input(const struct ui_screen *s)
{
	unsigned react = 0;
	wint_t ch;
	int kind;

	while ((kind = get_wch(&ch)) != ERR) {
		MEVENT me;

		if (kind == KEY_CODE_YES && ch == KEY_RESIZE) {
			react |= UI_REDRAW;
		} else if (kind == KEY_CODE_YES && ch == KEY_MOUSE) {
			if (getmouse(&me) == OK &&
			    (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) && s->click)
				react |= s->click(s->state, COLS, LINES, me.x, me.y);
		} else {
			react |= s->key(s->state, translate(ch, kind));
		}
		if (react & UI_QUIT)
			break;
	}
	return react;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ui_term_run(struct ui_term *t, const struct ui_screen *s, struct mp_err *err)
{
	double last = now_ms();
	unsigned react = UI_REDRAW;

	/* Another screen may have been up: draw every cell of this one. */
	canvas_free(t->prev);
	t->prev = NULL;
	for (;;) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		double now;

		if (react & UI_REDRAW) {
			if (draw(t, s) < 0)
				return mp_err_set(err, "out of memory while drawing the screen");
		}
		react = 0;
		/* SIGWINCH interrupts poll: retry; ncurses then reports
		 * KEY_RESIZE through get_wch. */
		if (poll(&pfd, 1, s->is_moving(s->state) ? FRAME_MS : -1) < 0 && errno != EINTR)
			return mp_err_set(err, "cannot wait for keys: %s", strerror(errno));
		/* The terminal went away without a SIGHUP (a closed pty): poll
		 * would report it at once forever, so leave as on q. */
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return 0;
		react |= drain_input(s);
		if (react & UI_QUIT)
			return 0;
		now = now_ms();
		react |= s->tick(s->state, now - last);
		last = now;
	}
}

void ui_term_show(struct ui_term *t, const struct ui_screen *s)
{
	canvas_free(t->prev);
	t->prev = NULL;
	draw(t, s);
}

void ui_term_discard_keys(struct ui_term *t)
{
	(void)t;
	flushinp();
}

static bool wants_animation(unsigned flags)
{
	const char *env = getenv("MPSCOPE_NO_ANIMATION");

	return !(flags & UI_NO_ANIMATION) && !(env && strcmp(env, "1") == 0);
}

bool ui_wants_animation(unsigned flags)
{
	return wants_animation(flags);
}

int ui_term_open(struct ui_term **out, const char *no_tty, struct mp_err *err)
{
	struct ui_term *t;
	const char *codeset;

	*out = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return mp_err_set(err, "%s", no_tty);
	t = calloc(1, sizeof(*t));
	if (!t || !(t->cur = canvas_new(1, 1))) {
		free(t);
		return mp_err_set(err, "out of memory while setting up the screen");
	}
	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	t->is_utf8 = codeset && strcmp(codeset, "UTF-8") == 0;
	install_handlers();
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		remove_handlers();
		canvas_free(t->cur);
		free(t);
		return mp_err_set(err, "cannot use this terminal (TERM=%s)",
				  getenv("TERM") ? getenv("TERM") : "unset");
	}
	is_screen_up = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	setup_styles();
	*out = t;
	return 0;
}

void ui_term_close(struct ui_term *t)
{
	if (!t)
		return;
	restore_terminal();
	delscreen(screen);
	screen = NULL;
	remove_handlers();
	canvas_free(t->cur);
	canvas_free(t->prev);
	free(t);
}

/* ---- the replay screen ---- */

static void app_settle(void *state, int cols, int rows)
{
	ui_app_settle(state, cols, rows);
}

static void app_draw(struct canvas *cv, const void *state)
{
	ui_app_draw(cv, state);
}

static unsigned app_key(void *state, int key)
{
	return ui_app_key(state, key);
}

static unsigned app_tick(void *state, double elapsed_ms)
{
	return ui_app_tick(state, elapsed_ms);
}

static unsigned app_click(void *state, int cols, int rows, int x, int y)
{
	return ui_app_click(state, cols, rows, x, y);
}

/* Frames come by themselves while the story plays or a step moves. */
static bool app_is_moving(const void *state)
{
	const struct ui_app *app = state;

	return ui_app_replay(app)->is_playing || ui_app_is_animating(app);
}

int ui_replay(const struct trace *traces, size_t count, const char *title, unsigned flags,
	      const struct ui_exporter *exporter, struct mp_err *err)
{
	struct replay *rps = NULL;
	struct ui_app app;
	struct ui_term *t = NULL;
	struct ui_screen s = { &app,     app_settle, app_draw,     app_key,
			       app_tick, app_click,  app_is_moving };
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return mp_err_set(err,
				  "the replay screen needs a terminal (try 'mpscope info FILE')");
	if (replay_array_new(traces, count, &rps, err) < 0)
		return -1;
	ui_app_init(&app, rps, count, title);
	/* Several traces of one program are there to be compared: open on them
	 * side by side (docs/cli.md), bookkeeping folded; c shows one at a
	 * time, a shows every step. */
	app.is_compare = count > 1;
	app.is_animated = wants_animation(flags);
	app.exporter = exporter;
	if (app.is_compare && ui_app_set_folded(&app, true) < 0) {
		rc = mp_err_set(err, "%s", app.err.msg);
		goto out;
	}
	rc = ui_term_open(&t, "the replay screen needs a terminal (try 'mpscope info FILE')", err);
	if (rc == 0) {
		rc = ui_term_run(t, &s, err);
		ui_term_close(t);
	}
out:
	ui_app_release(&app);
	replay_array_free(rps, count);
	return rc;
}

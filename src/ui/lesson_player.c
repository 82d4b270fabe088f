/*
 * lesson_player.c - the lesson player's state and moves (lesson_player.h):
 * pausing at each lesson step on the story step its event is told in,
 * opening the pickle group it is in, bringing an output's line into the
 * narration, playing the story from one pause to the next, and the
 * player on the terminal. Keys are in lesson_keys.c, quizzes in quiz.c,
 * drawing in lesson_view.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/lesson_player.h"
#include "ui/screen.h"

void lp_fail(struct lesson_player *p, const struct mp_err *err)
{
	p->err = *err;
	p->has_err = true;
}

static struct replay *shown(struct lesson_player *p)
{
	return ui_app_replay_rw(&p->app, p->app.current);
}

/* Seeks the shown replay the way a step key of the replay does: the
 * selection follows the story, the narration starts at its top. */
static void seek(struct lesson_player *p, size_t k)
{
	replay_seek(shown(p), k);
	p->app.is_following = true;
	p->app.scroll[FOCUS_NARRATION] = 0;
}

/* The story step that tells event ev in rp, the group it is in opened
 * first, so that the payload panel shows that very pickle. */
static size_t pause_step(struct lesson_player *p, struct replay *rp, size_t ev)
{
	size_t s = story_step_of_event(&rp->story, ev);
	size_t from = rp->step;

	if (!rp->story.steps[s].is_group)
		return s;
	replay_seek(rp, s);
	if (replay_toggle_group(rp, &p->app.err) < 0)
		p->app.has_err = true;
	s = story_step_of_event(&rp->story, ev);
	/* The way there starts where the replay was: steps before the
	 * group keep their numbers. */
	replay_seek(rp, from < s ? from : s);
	return s;
}

/* The text an output step's line is found by: the trigger's own text,
 * else the first line of what the event wrote. */
static void want_line(struct lesson_player *p, const struct event *ev)
{
	const struct lesson_step *ls = &p->l->steps[p->step];
	const char *text = NULL;
	size_t len = 0;

	for (size_t m = 0; ls->at == LESSON_AT_EVENT && m < ls->match.matcher_count; m++)
		if (ls->match.matchers[m].field == LF_TEXT &&
		    ls->match.matchers[m].values[0].kind == LV_TEXT) {
			text = ls->match.matchers[m].values[0].text;
			len = strlen(text);
		}
	if (!text) {
		text = ev->u.output.text;
		len = strcspn(text, "\n");
		if (len > ev->u.output.text_len)
			len = ev->u.output.text_len;
	}
	if (len == 0)
		return;
	if (len >= sizeof(p->find))
		len = sizeof(p->find) - 1;
	memcpy(p->find, text, len);
	p->find[len] = '\0';
	p->has_find = true;
}

void lp_arrive(struct lesson_player *p)
{
	const struct lesson_bound_step *bs = &p->b->steps[p->step];
	const struct trace *tr = shown(p)->tr;

	if (p->is_travelling) {
		p->is_travelling = false;
		p->is_held = false;
		seek(p, p->travel_to);
	}
	p->has_find = false;
	if (bs->ev < tr->event_count && tr->events[bs->ev].kind == EV_OUTPUT) {
		want_line(p, &tr->events[bs->ev]);
		/* A traceback is read in the narration: ↑↓ scroll it. */
		p->app.focus = FOCUS_NARRATION;
	}
}

void lp_go(struct lesson_player *p, size_t i, bool is_travel)
{
	const struct lesson_bound_step *bs = &p->b->steps[i];
	struct replay *rp;
	size_t from, to;
	/* Classroom mode always paces its way, one story step per beat, the
	 * steps at rest under --no-animation; a student's way is a
	 * transition, and --no-animation goes at once. */
	bool can_travel = p->is_present || p->app.is_animated;

	p->step = i;
	p->is_travelling = false;
	p->is_held = false;
	p->app.is_compare = false;
	if (p->app.current != bs->key) {
		p->app.current = bs->key;
		p->app.payload.is_valid = false;
		p->app.anim.has_seen = false;
		p->app.has_method_origin = false;
	}
	rp = shown(p);
	rp->is_playing = false;
	to = pause_step(p, rp, bs->ev);
	from = rp->step;
	if (is_travel && can_travel && from < to) {
		if (to - from > LP_TRAVEL_MAX) {
			seek(p, to - LP_TRAVEL_MAX);
			/* The jump nearer is no step of the story to animate. */
			p->app.anim.has_seen = false;
		}
		p->is_travelling = true;
		p->travel_to = to;
		p->travel_ms = 0;
		return;
	}
	seek(p, to);
	lp_arrive(p);
}

size_t lp_next_quiz(const struct lesson_player *p)
{
	for (size_t q = 0; q < p->l->quiz_count; q++)
		if (p->l->quizzes[q].after == p->step && !p->is_asked[q])
			return q;
	return SIZE_MAX;
}

/* The summary: the host hears the lesson is done once per arrival. */
static void finish(struct lesson_player *p)
{
	struct mp_err err;

	p->is_travelling = false;
	p->phase = LP_SUMMARY;
	p->show_help = false;
	if (p->spec.host && p->spec.host->finish &&
	    p->spec.host->finish(p->spec.host->ctx, &err) < 0)
		lp_fail(p, &err);
	p->is_finished = true;
}

void lp_forward(struct lesson_player *p)
{
	size_t q = lp_next_quiz(p);

	p->phase = LP_STEP;
	if (q != SIZE_MAX)
		lp_quiz_open(p, q);
	else if (p->step + 1 < p->l->step_count)
		lp_go(p, p->step + 1, true);
	else
		finish(p);
}

unsigned lp_look(struct lesson_player *p, int key)
{
	unsigned react;

	if (p->is_travelling)
		lp_arrive(p);
	react = ui_app_key(&p->app, key);
	/* The replay's own play is not the lesson's: the story moves
	 * between pauses only. */
	shown(p)->is_playing = false;
	return react | UI_REDRAW;
}

void lp_change_speed(struct lesson_player *p, int delta)
{
	for (size_t c = 0; c < p->replay_count; c++)
		replay_change_speed(ui_app_replay_rw(&p->app, c), delta);
}

unsigned lp_tick(struct lesson_player *p, double elapsed_ms)
{
	struct replay *rp = shown(p);
	unsigned react = ui_app_tick(&p->app, elapsed_ms);
	double beat = REPLAY_BEAT_MS / replay_speed(rp);

	if (!p->is_travelling || p->is_held)
		return react;
	p->travel_ms += elapsed_ms;
	while (p->travel_ms >= beat && rp->step < p->travel_to) {
		p->travel_ms -= beat;
		seek(p, rp->step + 1);
		react |= UI_REDRAW;
	}
	if (rp->step >= p->travel_to) {
		lp_arrive(p);
		react |= UI_REDRAW;
	}
	return react;
}

unsigned lp_click(struct lesson_player *p, int cols, int rows, int x, int y)
{
	struct lp_layout l = lp_layout(p, cols, rows);

	if (p->phase == LP_SUMMARY || p->show_help || y < l.body.y || y >= l.body.y + l.body.h)
		return 0;
	if (p->is_travelling)
		lp_arrive(p);
	return ui_app_click(&p->app, cols, rows, x, y);
}

bool lp_is_moving(const struct lesson_player *p)
{
	return (p->is_travelling && !p->is_held) || ui_app_is_animating(&p->app);
}

/* Brings the line an output step paused on into the narration panel,
 * from the start of the message it belongs to: a line's indented
 * continuation goes up to the unindented line it continues (the
 * "RuntimeError:" above an explanation), at most four lines up; an
 * unindented line gets one line of context. */
static void settle_find(struct lesson_player *p, struct rect r)
{
	const struct replay *rp = shown(p);
	int w = r.w - 4;
	struct sbuf text;
	const char *at;

	p->has_find = false;
	if (w <= 0)
		return;
	sbuf_init(&text);
	replay_narrate(rp, rp->step, &text);
	at = text.is_oom || !text.data ? NULL : strstr(text.data, p->find);
	if (at) {
		size_t start = (size_t)(at - text.data);
		int up = 0, line;

		while (start > 0 && text.data[start - 1] != '\n')
			start--;
		while (up < 4 && start > 0 &&
		       (text.data[start] == ' ' || text.data[start] == '\t')) {
			start--;
			while (start > 0 && text.data[start - 1] != '\n')
				start--;
			up++;
		}
		line = canvas_wrap_count(text.data, start, w) - (up == 0);
		p->app.scroll[FOCUS_NARRATION] = line > 0 ? line : 0;
	}
	sbuf_release(&text);
}

void lp_settle(struct lesson_player *p, int cols, int rows)
{
	struct lp_layout l = lp_layout(p, cols, rows);

	p->app.area = l.body;
	if (p->has_find && !p->is_travelling)
		settle_find(p, ui_app_layout(&p->app, cols, rows).narration);
	ui_app_settle(&p->app, cols, rows);
}

int lp_init(struct lesson_player *p, const struct ui_lesson_spec *spec, bool is_animated,
	    struct mp_err *err)
{
	memset(p, 0, sizeof(*p));
	p->spec = *spec;
	p->l = spec->lesson;
	p->b = spec->binding;
	p->is_present = (spec->flags & UI_LESSON_PRESENT) != 0;
	p->is_from_menu = (spec->flags & UI_LESSON_FROM_MENU) != 0;
	p->show_notice = spec->notice && *spec->notice;
	p->replay_count = p->l->keys.count;
	p->is_asked = calloc(p->l->quiz_count + 1, sizeof(*p->is_asked));
	p->answers = calloc(p->l->quiz_count + 1, sizeof(*p->answers));
	if (!p->is_asked || !p->answers) {
		lp_release(p);
		return mp_err_set(err, "out of memory while opening the lesson");
	}
	if (replay_array_new(spec->traces, p->replay_count, &p->replays, err) < 0) {
		lp_release(p);
		return -1;
	}
	ui_app_init(&p->app, p->replays, p->replay_count, p->l->title);
	p->app.is_framed = true;
	p->app.is_present = p->is_present;
	p->app.is_animated = is_animated;
	/* Between two pauses the bookkeeping would only slow the way. */
	if (ui_app_set_folded(&p->app, true) < 0) {
		*err = p->app.err;
		lp_release(p);
		return -1;
	}
	/* A student's way between pauses is brisk; a class watches it. */
	lp_change_speed(p, p->is_present ? +1 : +2);
	lp_go(p, 0, true);
	return 0;
}

void lp_release(struct lesson_player *p)
{
	if (p->replays) {
		ui_app_release(&p->app);
		replay_array_free(p->replays, p->replay_count);
	}
	free(p->is_asked);
	free(p->answers);
	memset(p, 0, sizeof(*p));
}

/* ---- on the terminal ---- */

static void screen_settle(void *state, int cols, int rows)
{
	lp_settle(state, cols, rows);
}

static void screen_draw(struct canvas *cv, const void *state)
{
	lp_draw(cv, state);
}

static unsigned screen_key(void *state, int key)
{
	return lp_key(state, key);
}

static unsigned screen_tick(void *state, double elapsed_ms)
{
	return lp_tick(state, elapsed_ms);
}

static unsigned screen_click(void *state, int cols, int rows, int x, int y)
{
	return lp_click(state, cols, rows, x, y);
}

static bool screen_is_moving(const void *state)
{
	return lp_is_moving(state);
}

int ui_lesson(struct ui_term *t, const struct ui_lesson_spec *spec, enum ui_lesson_end *end,
	      struct mp_err *err)
{
	struct lesson_player p;
	struct ui_screen s = { &p,          screen_settle, screen_draw,     screen_key,
			       screen_tick, screen_click,  screen_is_moving };
	int rc;

	*end = UI_LESSON_QUIT;
	if (lp_init(&p, spec,
		    ui_wants_animation(spec->flags & UI_LESSON_NO_ANIMATION ? UI_NO_ANIMATION : 0),
		    err) < 0)
		return -1;
	rc = ui_term_run(t, &s, err);
	*end = p.end;
	lp_release(&p);
	return rc;
}

/*
 * keys.c - every key of the replay screen in one table: the key, the help
 * text, and a small action that changes the state and returns reactions.
 * Actions never draw. The help screen and the key bar are built from it.
 */
#include "ui/app.h"

typedef unsigned (*key_action)(struct ui_app *app);

struct key_binding {
	int key;
	int alt_key; /* 0 = none */
	const char *label;
	const char *what; /* for the help screen */
	key_action act;
};

/* The replay shown, to move. */
static struct replay *shown(struct ui_app *app)
{
	return ui_app_replay_rw(app, app->current);
}

static void seek_and_follow(struct ui_app *app, size_t step)
{
	replay_seek(shown(app), step);
	app->is_following = true;
	app->scroll[FOCUS_NARRATION] = 0;
}

static unsigned act_play(struct ui_app *app)
{
	replay_toggle_play(shown(app));
	return UI_REDRAW;
}

static unsigned act_next(struct ui_app *app)
{
	struct replay *rp = shown(app);

	rp->is_playing = false;
	if (app->is_compare)
		app->compare_row++;
	else
		seek_and_follow(app, rp->step + 1);
	return UI_REDRAW;
}

static unsigned act_prev(struct ui_app *app)
{
	struct replay *rp = shown(app);

	rp->is_playing = false;
	if (app->is_compare) {
		if (app->compare_row > 0)
			app->compare_row--;
	} else if (rp->step > 0) {
		seek_and_follow(app, rp->step - 1);
	}
	return UI_REDRAW;
}

static unsigned act_home(struct ui_app *app)
{
	shown(app)->is_playing = false;
	app->compare_row = 0;
	seek_and_follow(app, 0);
	return UI_REDRAW;
}

static unsigned act_end(struct ui_app *app)
{
	struct replay *rp = shown(app);

	rp->is_playing = false;
	app->compare_row = SIZE_MAX / 2; /* clamped by ui_compare_settle() */
	seek_and_follow(app, replay_step_count(rp) - 1);
	return UI_REDRAW;
}

static unsigned act_faster(struct ui_app *app)
{
	replay_change_speed(shown(app), +1);
	return UI_REDRAW;
}

static unsigned act_slower(struct ui_app *app)
{
	replay_change_speed(shown(app), -1);
	return UI_REDRAW;
}

static unsigned act_focus_next(struct ui_app *app)
{
	app->focus = (enum ui_focus)((app->focus + 1) % FOCUS_COUNT);
	return UI_REDRAW;
}

static unsigned act_focus_prev(struct ui_app *app)
{
	app->focus = (enum ui_focus)((app->focus + FOCUS_COUNT - 1) % FOCUS_COUNT);
	return UI_REDRAW;
}

/* In the lanes, ↑/↓ pick another process (the resources follow it);
 * elsewhere they scroll the focused panel. */
static unsigned move(struct ui_app *app, int delta)
{
	const struct replay *rp = ui_app_replay(app);

	if (app->focus != FOCUS_LANES) {
		app->scroll[app->focus] += delta;
		if (app->scroll[app->focus] < 0)
			app->scroll[app->focus] = 0;
		return UI_REDRAW;
	}
	{
		const struct proc_state *cur = replay_proc(rp, ui_app_selected_pid(app));
		long lane = cur ? (long)cur->lane : 0;
		long step = delta > 0 ? 1 : -1;
		int moved = 0, want = delta > 0 ? delta : -delta;

		for (long l = lane + step; l >= 0 && l < (long)rp->tr->proc_count; l += step) {
			const struct proc_state *ps = replay_lane(rp, (size_t)l);

			if (!ps->is_started)
				continue;
			app->selected_pid = ps->proc->pid;
			app->is_following = false;
			if (++moved == want)
				break;
		}
		if (moved == 0 && app->is_following && cur) {
			app->selected_pid = cur->proc->pid;
			app->is_following = false;
		}
	}
	app->scroll[FOCUS_RESOURCES] = 0;
	return UI_REDRAW;
}

static unsigned act_up(struct ui_app *app)
{
	return move(app, -1);
}

static unsigned act_down(struct ui_app *app)
{
	return move(app, +1);
}

static unsigned act_page_up(struct ui_app *app)
{
	return move(app, -10);
}

static unsigned act_page_down(struct ui_app *app)
{
	return move(app, +10);
}

static unsigned act_expand(struct ui_app *app)
{
	if (replay_toggle_group(shown(app), &app->err) < 0)
		app->has_err = true;
	return UI_REDRAW;
}

/* The row under the cursor has a key moment in any trace. */
static bool is_key_row(const struct ui_app *app, const struct alignment *al, size_t r)
{
	for (size_t c = 0; c < app->replay_count; c++) {
		const struct replay *rp = &app->replays[c];
		size_t k = alignment_at(al, r, c);

		if (k != ALIGN_GAP && story_step_is_key(rp->tr, &rp->story.steps[k]))
			return true;
	}
	return false;
}

/* n / N: the next or previous key moment (story_step_is_key); in compare
 * mode the next row where any trace has one. */
static unsigned key_moment(struct ui_app *app, int dir)
{
	struct replay *rp = shown(app);
	size_t k = SIZE_MAX;

	rp->is_playing = false;
	if (app->is_compare) {
		const struct alignment *al = ui_app_alignment(app);
		size_t r = app->compare_row;

		if (!al)
			return UI_REDRAW;
		if (r >= al->row_count)
			r = al->row_count ? al->row_count - 1 : 0;
		while (dir > 0 ? r + 1 < al->row_count : r > 0) {
			r = dir > 0 ? r + 1 : r - 1;
			if (is_key_row(app, al, r)) {
				k = r;
				break;
			}
		}
		if (k != SIZE_MAX)
			app->compare_row = k;
	} else {
		k = story_next_key(&rp->story, rp->tr, rp->step, dir);
		if (k != SIZE_MAX)
			seek_and_follow(app, k);
	}
	if (k == SIZE_MAX) {
		mp_err_set(&app->err, "no key moment %s this one", dir > 0 ? "after" : "before");
		app->has_err = true;
	}
	return UI_REDRAW;
}

static unsigned act_next_key(struct ui_app *app)
{
	return key_moment(app, +1);
}

static unsigned act_prev_key(struct ui_app *app)
{
	return key_moment(app, -1);
}

static unsigned act_fold(struct ui_app *app)
{
	shown(app)->is_playing = false;
	ui_app_set_folded(app, !app->is_folded);
	return UI_REDRAW;
}

/* m: the next trace, at the step that matches this one (replay_match_step):
 * the same aligned row, else the same kind and rank. A run of m presses
 * matches from where it started, so a trace that has no such moment on
 * the way does not lose it. In compare mode every column already follows
 * the cursor row: m selects the next column. */
static unsigned act_method(struct ui_app *app)
{
	const struct alignment *al;
	size_t step, next;

	if (app->replay_count < 2) {
		mp_err_set(&app->err,
			   "only one trace is open: 'mpscope replay A.json B.json' opens more");
		app->has_err = true;
		return UI_REDRAW;
	}
	shown(app)->is_playing = false;
	if (!app->has_method_origin || app->method_last != app->current ||
	    app->method_last_step != shown(app)->step) {
		app->has_method_origin = true;
		app->method_origin = app->current;
		app->method_origin_step = shown(app)->step;
	}
	next = (app->current + 1) % app->replay_count;
	al = ui_app_alignment(app);
	step = al ? replay_match_step(app->replays, al, app->method_origin, app->method_origin_step,
				      next)
		  : app->replays[next].step;
	app->current = next;
	app->payload.is_valid = false;
	app->anim.has_seen = false;
	if (!app->is_compare)
		seek_and_follow(app, step);
	app->method_last = app->current;
	app->method_last_step = shown(app)->step;
	return UI_REDRAW;
}

/* c: compare mode opens on the row of the step the shown trace is at (or
 * the row c left from, if the trace has not moved since); leaving it, the
 * shown trace stays at the cursor row's moment - on a row it has no step
 * in, the matching step of the trace that has one. */
static unsigned act_compare(struct ui_app *app)
{
	const struct alignment *al;
	struct replay *rp = shown(app);

	if (app->replay_count < 2) {
		mp_err_set(&app->err,
			   "compare needs two or more traces: 'mpscope replay A.json B.json'");
		app->has_err = true;
		return UI_REDRAW;
	}
	rp->is_playing = false;
	app->anim.has_seen = false;
	al = ui_app_alignment(app);
	if (!al) {
		app->is_compare = !app->is_compare;
		return UI_REDRAW;
	}
	if (!app->is_compare) {
		size_t r = alignment_row_of(al, app->current, rp->step);

		if (app->has_compare_left && app->compare_left_current == app->current &&
		    app->compare_left_step == rp->step)
			r = app->compare_left_row;
		if (r != SIZE_MAX)
			app->compare_row = r;
		app->is_compare = true;
		return UI_REDRAW;
	}
	if (app->compare_row < al->row_count &&
	    alignment_at(al, app->compare_row, app->current) == ALIGN_GAP)
		for (size_t c = 0; c < app->replay_count; c++) {
			size_t k = alignment_at(al, app->compare_row, c);

			if (k == ALIGN_GAP)
				continue;
			seek_and_follow(app,
					replay_match_step(app->replays, al, c, k, app->current));
			break;
		}
	app->is_compare = false;
	app->has_compare_left = true;
	app->compare_left_row = app->compare_row;
	app->compare_left_current = app->current;
	app->compare_left_step = rp->step;
	app->is_following = true;
	return UI_REDRAW;
}

/* In compare mode the selected trace's payload opens below the columns;
 * the key of the view already shown closes it. */
static unsigned set_payload_mode(struct ui_app *app, enum ui_payload_mode m)
{
	if (app->is_compare)
		app->is_compare_payload = !(app->is_compare_payload && app->payload_mode == m);
	app->payload_mode = m;
	app->focus = FOCUS_PAYLOAD;
	return UI_REDRAW;
}

static unsigned act_dis(struct ui_app *app)
{
	return set_payload_mode(app, PAYLOAD_DIS);
}

static unsigned act_decoded(struct ui_app *app)
{
	return set_payload_mode(app, PAYLOAD_DECODED);
}

static unsigned act_hex(struct ui_app *app)
{
	return set_payload_mode(app, PAYLOAD_HEX);
}

/* e: the format prompt opens in the status line; the next key picks a
 * format (export_prompt_key). Nothing is written yet. */
static unsigned act_export(struct ui_app *app)
{
	if (!app->exporter || app->exporter->format_count == 0) {
		mp_err_set(&app->err,
			   "this screen cannot export: 'mpscope export -f FORMAT "
			   "TRACE...' writes what it shows");
		app->has_err = true;
		return UI_REDRAW;
	}
	shown(app)->is_playing = false;
	app->is_export_prompt = true;
	return UI_REDRAW;
}

#define EXPORT_KEYS_MAX 16

int ui_export_key(const struct ui_exporter *x, size_t i)
{
	int keys[EXPORT_KEYS_MAX];

	if (i >= x->format_count || i >= EXPORT_KEYS_MAX)
		return 0;
	for (size_t f = 0; f <= i; f++) {
		keys[f] = 0;
		for (const char *c = x->formats[f]; *c && !keys[f]; c++) {
			bool is_taken = !(*c >= 'a' && *c <= 'z');

			for (size_t g = 0; g < f && !is_taken; g++)
				is_taken = keys[g] == *c;
			if (!is_taken)
				keys[f] = *c;
		}
	}
	return keys[i];
}

/* While the prompt is open: a format's key exports what is on screen -
 * the shown trace, or every trace in compare mode - Esc closes it, and
 * any other key leaves it open. */
static unsigned export_prompt_key(struct ui_app *app, int key)
{
	const struct ui_exporter *x = app->exporter;

	if (key == UI_KEY_ESC) {
		app->is_export_prompt = false;
		return UI_REDRAW;
	}
	for (size_t f = 0; f < x->format_count; f++) {
		if (ui_export_key(x, f) != key)
			continue;
		app->is_export_prompt = false;
		if (x->write(x->ctx, f, app->is_compare ? 0 : app->current,
			     app->is_compare ? app->replay_count : 1, app->note, sizeof(app->note),
			     &app->err) < 0)
			app->has_err = true;
		else
			app->has_note = true;
		return UI_REDRAW;
	}
	return 0;
}

static unsigned act_help(struct ui_app *app)
{
	app->show_help = !app->show_help;
	return UI_REDRAW;
}

static unsigned act_quit(struct ui_app *app)
{
	(void)app;
	return UI_QUIT;
}

static const struct key_binding bindings[] = {
	{ ' ', 0, "space", "play / pause", act_play },
	{ UI_KEY_RIGHT, 'l', "→ l", "next step", act_next },
	{ UI_KEY_LEFT, 'h', "← h", "previous step", act_prev },
	{ 'n', 0, "n", "next key moment", act_next_key },
	{ 'N', 0, "N", "previous key moment", act_prev_key },
	{ 'a', 0, "a", "all steps / fold bookkeeping", act_fold },
	{ UI_KEY_HOME, 'g', "Home g", "first step", act_home },
	{ UI_KEY_END, 'G', "End G", "last step", act_end },
	{ '+', '=', "+", "faster", act_faster },
	{ '-', '_', "−", "slower", act_slower },
	{ UI_KEY_TAB, 0, "Tab", "next panel", act_focus_next },
	{ UI_KEY_BTAB, 0, "S-Tab", "previous panel", act_focus_prev },
	{ UI_KEY_UP, 'k', "↑ k", "lane above / scroll up", act_up },
	{ UI_KEY_DOWN, 'j', "↓ j", "lane below / scroll down", act_down },
	{ UI_KEY_PGUP, 0, "PgUp", "ten up", act_page_up },
	{ UI_KEY_PGDN, 0, "PgDn", "ten down", act_page_down },
	{ UI_KEY_ENTER, 0, "Enter", "expand / fold a pickle group", act_expand },
	{ 'm', 0, "m", "next trace, same moment", act_method },
	{ 'c', 0, "c", "compare traces side by side", act_compare },
	{ 'p', 0, "p", "payload: disassembly", act_dis },
	{ 'd', 0, "d", "payload: decoded object", act_decoded },
	{ 'x', 0, "x", "payload: hex", act_hex },
	{ 'e', 0, "e", "export what is on screen", act_export },
	{ '?', 0, "?", "this help", act_help },
	{ 'q', 'Q', "q", "quit", act_quit },
};

#define BINDING_COUNT (sizeof(bindings) / sizeof(bindings[0]))

unsigned ui_app_key(struct ui_app *app, int key)
{
	if (app->show_help && key != '?' && key != 'q') {
		app->show_help = false; /* any key closes help */
		return UI_REDRAW;
	}
	app->has_err = false;
	app->has_note = false;
	if (app->is_export_prompt)
		return export_prompt_key(app, key);
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].key == key || (bindings[i].alt_key && bindings[i].alt_key == key))
			return bindings[i].act(app);
	return 0;
}

size_t ui_key_help(const struct ui_key_help **rows)
{
	/* Every binding, then what is not a key. */
	static struct ui_key_help help[BINDING_COUNT + 2];

	for (size_t i = 0; i < BINDING_COUNT; i++)
		help[i] = (struct ui_key_help){ bindings[i].label, bindings[i].what };
	help[BINDING_COUNT] = (struct ui_key_help){ "mouse", "click a lane / a panel" };
	help[BINDING_COUNT + 1] = (struct ui_key_help){ "Ctrl-C", "quit at once" };
	*rows = help;
	return BINDING_COUNT + 2;
}

/*
 * headless.c - the screen without a terminal: frames rendered to text for
 * golden tests, `mpscope replay --print` and `mpscope lesson --print`, and
 * the draw-path benchmark. Same app, same views as ui/term.c; only the
 * output differs.
 */
#include <stdlib.h>
#include <time.h>

#include "ui/app.h"
#include "ui/lesson_player.h"
#include "ui/ui.h"

static int key_of(char c)
{
	switch (c) {
	case '\t':
		return UI_KEY_TAB;
	case '\n':
		return UI_KEY_ENTER;
	case '>':
		return UI_KEY_RIGHT;
	case '<':
		return UI_KEY_LEFT;
	case '\b':
		return UI_KEY_BACKSPACE;
	case 0x1b:
		return UI_KEY_ESC;
	default:
		return (unsigned char)c;
	}
}

int ui_render_frame(const struct trace *traces, size_t count, const struct ui_frame_opts *o,
		    struct sbuf *out, struct mp_err *err)
{
	struct replay *rps;
	struct ui_app app;
	struct canvas *cv;
	int rc = 0;

	if (replay_array_new(traces, count, &rps, err) < 0)
		return -1;
	cv = canvas_new(o->cols, o->rows);
	if (!cv) {
		replay_array_free(rps, count);
		return mp_err_set(err, "out of memory for a %dx%d screen", o->cols, o->rows);
	}
	ui_app_init(&app, rps, count, NULL);
	replay_seek(&rps[0], o->step);
	for (const char *k = o->keys; k && *k; k++)
		ui_app_key(&app, key_of(*k));
	ui_app_settle(&app, cv->cols, cv->rows);
	ui_app_draw(cv, &app);
	canvas_to_text(cv, o->is_ascii, out);
	if (out->is_oom)
		rc = mp_err_set(err, "out of memory while rendering a frame");
	ui_app_release(&app);
	canvas_free(cv);
	replay_array_free(rps, count);
	return rc;
}

int ui_lesson_render(const struct ui_lesson_spec *spec, const struct ui_lesson_frame_opts *o,
		     struct sbuf *out, struct mp_err *err)
{
	struct ui_lesson_spec quiet = *spec;
	struct lesson_player p;
	struct canvas *cv = canvas_new(o->cols, o->rows);
	int rc = 0;

	if (!cv)
		return mp_err_set(err, "out of memory for a %dx%d screen", o->cols, o->rows);
	/* A frame records nothing. */
	quiet.host = NULL;
	if (lp_init(&p, &quiet, false, err) < 0) {
		canvas_free(cv);
		return -1;
	}
	lp_arrive(&p);
	if (o->step > 0)
		lp_go(&p, o->step < p.l->step_count ? o->step : p.l->step_count - 1, false);
	for (const char *k = o->keys; k && *k; k++) {
		lp_key(&p, key_of(*k));
		/* Frames are at rest: a way between pauses is already over. */
		lp_arrive(&p);
	}
	lp_settle(&p, cv->cols, cv->rows);
	lp_draw(cv, &p);
	canvas_to_text(cv, o->is_ascii, out);
	if (out->is_oom)
		rc = mp_err_set(err, "out of memory while rendering a frame");
	lp_release(&p);
	canvas_free(cv);
	return rc;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int ui_bench_frames(const struct trace *tr, int cols, int rows, size_t frames, struct ui_bench *out,
		    struct mp_err *err)
{
	struct replay rp;
	struct ui_app app;
	struct canvas *cv = canvas_new(cols, rows);
	double *times = malloc((frames ? frames : 1) * sizeof(*times));
	double t0 = now_ms(), sum = 0;

	if (!cv || !times) {
		canvas_free(cv);
		free(times);
		return mp_err_set(err, "out of memory for a %dx%d screen", cols, rows);
	}
	if (replay_init(&rp, tr, err) < 0) {
		canvas_free(cv);
		free(times);
		return -1;
	}
	ui_app_init(&app, &rp, 1, NULL);
	ui_app_settle(&app, cv->cols, cv->rows);
	ui_app_draw(cv, &app);
	out->first_frame_ms = now_ms() - t0;
	out->steps = replay_step_count(&rp);
	out->frames = 0;
	replay_seek(&rp, out->steps / 2);
	for (size_t i = 0; i < frames; i++) {
		double t = now_ms(), dt;

		/* Mostly → and one ← in ten: a step back replays the trace from
		 * its start, the worst case a key can cause. */
		if (i % 10 == 9)
			replay_step_by(&rp, -1);
		else
			replay_step_by(&rp, +1);
		ui_app_settle(&app, cv->cols, cv->rows);
		ui_app_draw(cv, &app);
		dt = now_ms() - t;
		sum += dt;
		times[out->frames++] = dt;
	}
	qsort(times, out->frames, sizeof(*times), cmp_double);
	out->frame_avg_ms = out->frames ? sum / (double)out->frames : 0;
	out->frame_p99_ms = out->frames ? times[out->frames * 99 / 100] : 0;
	out->frame_max_ms = out->frames ? times[out->frames - 1] : 0;
	free(times);
	ui_app_release(&app);
	replay_release(&rp);
	canvas_free(cv);
	return 0;
}

/*
 * say.c - the lesson's templates: "{size} bytes for {to}" filled from the
 * event a step shows (or a quiz's answer matched), "{{" and "}}" for
 * literal braces. The syntax is checked when lesson.json is read
 * (lesson_text_check); whether a trace can fill every placeholder is
 * found when the lesson is bound to it, so the screen never shows "{x}".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lesson/internal.h"

/* Placeholders beyond the fields (every field but `global` is one). */
enum extra {
	PH_REF, /* the first global of the program's own code, module.name */
	PH_GLOBALS, /* every global, "a.b, c.d" */
	PH_FDS, /* the descriptor numbers of an fds.pass or fds */
	PH_PYTHON, /* meta.python */
	PH_TRACE_METHOD, /* meta.method */
	PH_ANSWER, /* explain only: the right answer */
	PH_COUNT
};
static const char *const extra_names[PH_COUNT] = { "ref",    "globals",      "fds",
						   "python", "trace_method", "answer" };

#define NAME_MAX_LEN 32

struct placeholder {
	bool is_field;
	enum lesson_field field;
	enum extra extra;
	char name[NAME_MAX_LEN];
};

static bool lookup(const char *name, struct placeholder *ph)
{
	int f = lesson_field_from_name(name);

	if (f >= 0 && f != LF_GLOBAL) {
		ph->is_field = true;
		ph->field = (enum lesson_field)f;
		return true;
	}
	for (int e = 0; e < PH_COUNT; e++)
		if (strcmp(extra_names[e], name) == 0) {
			ph->is_field = false;
			ph->extra = (enum extra)e;
			return true;
		}
	return false;
}

/* Reads the placeholder at text[*at] == '{' (not "{{"): its name up to
 * "}", advancing *at past it. -1 with err for a brace left open or a name
 * that is no placeholder. */
static int read_placeholder(const char *text, size_t *at, struct placeholder *ph,
			    struct mp_err *err)
{
	const char *start = text + *at + 1;
	size_t n = strcspn(start, "{}");
	char quoted[64];

	if (start[n] != '}')
		return mp_err_set(err, "a \"{\" is not closed (write {{ for a brace)");
	mp_quote(quoted, sizeof(quoted), start, n);
	if (n == 0 || n >= NAME_MAX_LEN)
		return mp_err_set(err, "{%s} is not a placeholder (docs/lessons.md lists them)",
				  quoted);
	memcpy(ph->name, start, n);
	ph->name[n] = '\0';
	if (!lookup(ph->name, ph))
		return mp_err_set(err, "{%s} is not a placeholder (docs/lessons.md lists them)",
				  quoted);
	*at += n + 2;
	return 0;
}

/* Walks a template: literal text goes to out (when not NULL), each
 * placeholder to fn. */
typedef int placeholder_fn(const struct placeholder *ph, void *ctx, struct mp_err *err);

static int walk(const char *text, struct sbuf *out, placeholder_fn *fn, void *ctx,
		struct mp_err *err)
{
	size_t at = 0;

	while (text[at]) {
		size_t run = strcspn(text + at, "{}");
		struct placeholder ph;

		if (out)
			sbuf_add(out, text + at, run);
		at += run;
		if (!text[at])
			break;
		if (text[at + 1] == text[at]) { /* "{{" or "}}" */
			if (out)
				sbuf_addc(out, text[at]);
			at += 2;
			continue;
		}
		if (text[at] == '}')
			return mp_err_set(err, "a \"}\" closes nothing (write }} for a brace)");
		if (read_placeholder(text, &at, &ph, err) < 0 || fn(&ph, ctx, err) < 0)
			return -1;
	}
	return 0;
}

static int check_one(const struct placeholder *ph, void *ctx, struct mp_err *err)
{
	const enum lesson_text_use *use = ctx;

	if (!ph->is_field && ph->extra == PH_ANSWER && *use != LESSON_TEXT_EXPLAIN)
		return mp_err_set(err, "{answer} can be used only in \"explain\"");
	return 0;
}

int lesson_text_check(const char *text, enum lesson_text_use use, struct mp_err *err)
{
	return walk(text, NULL, check_one, &use, err);
}

void say_number(double v, struct sbuf *out)
{
	/* Integers below 2^53 are exact in a double; the range check comes
	 * first, as converting a larger double to int64_t is undefined. */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v)
		sbuf_addf(out, "%.0f", v);
	else
		sbuf_addf(out, "%g", v);
}

/* ---- filling ---- */

struct fill {
	const struct lesson_scene *sc;
	size_t ev;
	const char *answer;
	const char *no_event;
	struct sbuf *out;
};

static int cannot(const struct fill *f, const struct placeholder *ph, struct mp_err *err,
		  const char *why)
{
	return mp_err_set(err, "{%s} cannot be filled: %s (%s)", ph->name, why, f->sc->name);
}

static int fill_field(const struct fill *f, const struct placeholder *ph, const struct event *ev,
		      struct mp_err *err)
{
	struct field_value v;
	char why[128];
	size_t start = f->out->len;

	if (!lesson_field_applies(ph->field, ev->kind)) {
		snprintf(why, sizeof(why), "a %s has no %s", ev_kind_name(ev->kind), ph->name);
		return cannot(f, ph, err, why);
	}
	/* LF_TEXT's line is written to out itself, then cut at its end. */
	if (!match_field(f->sc, f->ev, ph->field, f->out, &v)) {
		f->out->len = start;
		snprintf(why, sizeof(why), "this %s has no %s", ev_kind_name(ev->kind), ph->name);
		return cannot(f, ph, err, why);
	}
	if (ph->field == LF_TEXT) {
		const char *nl = memchr(v.text, '\n', v.text_len);

		f->out->len = nl ? (size_t)(nl - f->out->data) : f->out->len;
		if (f->out->data)
			f->out->data[f->out->len] = '\0';
		return 0;
	}
	if (v.type == LFT_TEXT)
		sbuf_add(f->out, v.text, v.text_len);
	else if (v.type == LFT_BOOL)
		sbuf_adds(f->out, v.is_true ? "true" : "false");
	else
		say_number(v.number, f->out);
	return 0;
}

static int fill_globals(const struct fill *f, const struct placeholder *ph, const struct event *ev,
			struct mp_err *err)
{
	char why[128];
	bool is_ref = ph->extra == PH_REF;

	if (ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD) {
		snprintf(why, sizeof(why), "a %s has no globals", ev_kind_name(ev->kind));
		return cannot(f, ph, err, why);
	}
	for (size_t g = 0, said = 0; g < ev->u.pickle.global_count; g++) {
		const struct global_ref *r = &ev->u.pickle.globals[g];

		if (is_ref && !scene_is_own(f->sc, r->module))
			continue;
		sbuf_addf(f->out, "%s%s.%s", said++ ? ", " : "", r->module, r->name);
		if (is_ref)
			return 0;
	}
	if (ev->u.pickle.global_count && !is_ref)
		return 0;
	snprintf(why, sizeof(why), "this %s names %s", ev_kind_name(ev->kind),
		 is_ref ? "nothing of the program's own code" : "no globals");
	return cannot(f, ph, err, why);
}

static int fill_fds(const struct fill *f, const struct placeholder *ph, const struct event *ev,
		    struct mp_err *err)
{
	const struct fd_entry *fds = ev->kind == EV_FDS ? ev->u.fds.fds : ev->u.fds_pass.fds;
	size_t count = ev->kind == EV_FDS ? ev->u.fds.fd_count : ev->u.fds_pass.fd_count;
	char why[128];

	if (ev->kind != EV_FDS && ev->kind != EV_FDS_PASS) {
		snprintf(why, sizeof(why), "a %s has no descriptors", ev_kind_name(ev->kind));
		return cannot(f, ph, err, why);
	}
	if (count == 0) {
		snprintf(why, sizeof(why), "this %s holds no descriptors", ev_kind_name(ev->kind));
		return cannot(f, ph, err, why);
	}
	for (size_t i = 0; i < count; i++)
		sbuf_addf(f->out, "%s%d", i ? ", " : "", fds[i].fd);
	return 0;
}

static int fill_one(const struct placeholder *ph, void *ctx, struct mp_err *err)
{
	const struct fill *f = ctx;
	const struct trace_meta *meta = &f->sc->tr->meta;
	const struct event *ev = f->ev != SIZE_MAX ? &f->sc->tr->events[f->ev] : NULL;

	if (!ph->is_field && ph->extra == PH_ANSWER) {
		sbuf_adds(f->out, f->answer ? f->answer : "");
		return 0;
	}
	if (!ph->is_field && ph->extra == PH_PYTHON) {
		if (!meta->python)
			return cannot(f, ph, err, "the trace does not say which Python ran");
		sbuf_adds(f->out, meta->python);
		return 0;
	}
	if (!ph->is_field && ph->extra == PH_TRACE_METHOD) {
		sbuf_adds(f->out, meta->method ? meta->method : "");
		return 0;
	}
	if (!ev)
		return cannot(f, ph, err, f->no_event);
	if (ph->is_field)
		return fill_field(f, ph, ev, err);
	if (ph->extra == PH_FDS)
		return fill_fds(f, ph, ev, err);
	return fill_globals(f, ph, ev, err);
}

int say_fill(const struct lesson_scene *sc, size_t ev, const char *text, const char *answer,
	     const char *no_event, struct sbuf *out, struct mp_err *err)
{
	struct fill f = { sc, ev, answer, no_event, out };

	if (walk(text, out, fill_one, &f, err) < 0)
		return -1;
	if (out->is_oom)
		return mp_err_set(err, "out of memory while filling a lesson's text");
	return 0;
}

/*
 * match.c - triggers over a finished trace: the value of a field in an
 * event (its own fields and the derived ones: roles, the start method of
 * the acting process, own, the line an output write begins), whether an
 * event passes a match, the Nth such event, and the words for a match
 * that found too little. See internal.h.
 */
#include <stdint.h>
#include <string.h>

#include "lesson/internal.h"

static bool text_value(const char *s, struct field_value *out)
{
	if (!s)
		return false;
	out->type = LFT_TEXT;
	out->text = s;
	out->text_len = strlen(s);
	return true;
}

static bool number_value(double v, enum lesson_field_type type, struct field_value *out)
{
	out->type = type;
	out->number = v;
	return true;
}

/* A pid field: 0 means the trace does not know the process. */
static bool pid_value(int pid, struct field_value *out)
{
	return pid > 0 && number_value(pid, LFT_PID, out);
}

static bool bool_value(bool b, struct field_value *out)
{
	out->type = LFT_BOOL;
	out->is_true = b;
	return true;
}

static bool role_value(const struct lesson_scene *sc, int pid, struct field_value *out)
{
	const struct process *p = pid > 0 ? trace_find_proc(sc->tr, pid) : NULL;

	return p && text_value(role_name(p->role), out);
}

static bool is_own_event(const struct lesson_scene *sc, const struct event *ev)
{
	switch (ev->kind) {
	case EV_PICKLE_DUMP:
	case EV_PICKLE_LOAD:
		for (size_t g = 0; g < ev->u.pickle.global_count; g++)
			if (scene_is_own(sc, ev->u.pickle.globals[g].module))
				return true;
		return false;
	case EV_IMPORT:
		return scene_is_own(sc, ev->u.import.module);
	case EV_PICKLE_FIND_CLASS:
		return scene_is_own(sc, ev->u.find_class.module);
	default:
		return false;
	}
}

static int peer_of(const struct event *ev)
{
	switch (ev->kind) {
	case EV_PICKLE_DUMP:
	case EV_PICKLE_LOAD:
		return ev->u.pickle.peer;
	case EV_FDS_PASS:
		return ev->u.fds_pass.to;
	case EV_FORK:
		return ev->u.fork.child;
	default:
		return 0;
	}
}

static bool count_value(const struct event *ev, struct field_value *out)
{
	switch (ev->kind) {
	case EV_THREADS:
		return number_value(ev->u.threads.count, LFT_NUMBER, out);
	case EV_FDS:
		return number_value((double)ev->u.fds.fd_count, LFT_NUMBER, out);
	default:
		return number_value((double)ev->u.fds_pass.fd_count, LFT_NUMBER, out);
	}
}

/* The fields of the event's own kind; the table in fields.c has already
 * said that the kind has the field. */
static bool own_field(const struct event *ev, enum lesson_field f, struct field_value *out)
{
	const bool is_pickle = ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD;

	switch (f) {
	case LF_CHILD:
		return pid_value(ev->u.fork.child, out);
	case LF_VIA:
		return text_value(ev->kind == EV_FORK ? fork_via_name(ev->u.fork.via)
						      : pass_via_name(ev->u.fds_pass.via),
				  out);
	case LF_PATH:
		return text_value(ev->u.exec.path, out);
	case LF_CODE:
		return !ev->u.exit.is_signal && number_value(ev->u.exit.code, LFT_NUMBER, out);
	case LF_SIGNAL:
		return ev->u.exit.is_signal && number_value(ev->u.exit.signal, LFT_NUMBER, out);
	case LF_AT:
		if (ev->kind == EV_FDS)
			return text_value(fds_at_name(ev->u.fds.at), out);
		return ev->u.memory.has_at && text_value(mem_at_name(ev->u.memory.at), out);
	case LF_COUNT:
		return count_value(ev, out);
	case LF_RSS:
		return number_value((double)ev->u.memory.rss, LFT_NUMBER, out);
	case LF_SHARED:
		return number_value((double)ev->u.memory.shared, LFT_NUMBER, out);
	case LF_METHOD:
		return text_value(ev->u.start_method.method, out);
	case LF_EXPLICIT:
		return bool_value(ev->u.start_method.is_explicit, out);
	case LF_MODULE:
		return text_value(
			ev->kind == EV_IMPORT ? ev->u.import.module : ev->u.find_class.module, out);
	case LF_FILE:
		return text_value(ev->u.import.file, out);
	case LF_BY:
		return text_value(ev->u.import.by, out);
	case LF_NAME:
		return text_value(ev->u.find_class.name, out);
	case LF_SIZE:
		return number_value((double)ev->u.pickle.size, LFT_NUMBER, out);
	case LF_WHAT:
		return text_value(
			is_pickle ? ev->u.pickle.what : fd_purpose_name(ev->u.fds_label.what), out);
	case LF_TYPE:
		return text_value(ev->u.pickle.type, out);
	case LF_TO:
	case LF_FROM:
	case LF_PEER:
		return pid_value(ev->kind == EV_FDS_LABEL ? ev->u.fds_label.peer : peer_of(ev),
				 out);
	case LF_TRUNCATED:
		return bool_value(ev->u.pickle.is_truncated, out);
	case LF_REDACTED:
		return bool_value(ev->u.pickle.is_redacted, out);
	case LF_ERROR:
		return text_value(ev->u.pickle.error, out);
	case LF_STREAM:
		return text_value(stream_name(ev->u.output.stream), out);
	case LF_MESSAGE:
		return text_value(ev->u.error.message, out);
	case LF_SOCKET:
		return text_value(ev->u.fds_pass.socket, out);
	case LF_FD:
		return number_value(ev->u.fds_label.fd, LFT_NUMBER, out);
	case LF_TARGET:
		return text_value(ev->u.fds_label.target, out);
	default:
		return false;
	}
}

bool match_field(const struct lesson_scene *sc, size_t i, enum lesson_field f, struct sbuf *scratch,
		 struct field_value *out)
{
	const struct event *ev = &sc->tr->events[i];
	const struct process *p;

	memset(out, 0, sizeof(*out));
	if (!lesson_field_applies(f, ev->kind))
		return false;
	switch (f) {
	case LF_PID:
		return pid_value(ev->pid, out);
	case LF_ROLE:
		return role_value(sc, ev->pid, out);
	case LF_PROC_METHOD:
		p = trace_find_proc(sc->tr, ev->pid);
		return p && text_value(p->method, out);
	case LF_CHILD_ROLE:
	case LF_TO_ROLE:
	case LF_FROM_ROLE:
		return role_value(sc, peer_of(ev), out);
	case LF_OWN:
		return bool_value(is_own_event(sc, ev), out);
	case LF_TEXT: {
		size_t start = scratch->len;

		scene_line(sc, i, scratch);
		out->type = LFT_TEXT;
		out->text = scratch->data ? scratch->data + start : "";
		out->text_len = scratch->len - start;
		return !scratch->is_oom;
	}
	case LF_GLOBAL:
		return false;
	default:
		return own_field(ev, f, out);
	}
}

static bool has_global(const struct event *ev, const char *dotted)
{
	for (size_t g = 0; g < ev->u.pickle.global_count; g++) {
		const struct global_ref *r = &ev->u.pickle.globals[g];
		size_t n = strlen(r->module);

		if (strncmp(dotted, r->module, n) == 0 && dotted[n] == '.' &&
		    strcmp(dotted + n + 1, r->name) == 0)
			return true;
	}
	return false;
}

static bool value_equals(const struct lesson_scene *sc, const struct field_value *got,
			 const struct lesson_value *want)
{
	switch (got->type) {
	case LFT_TEXT:
		return want->kind == LV_TEXT && strlen(want->text) == got->text_len &&
			memcmp(want->text, got->text, got->text_len) == 0;
	case LFT_NUMBER:
		return want->kind == LV_NUMBER && want->number == got->number;
	case LFT_PID:
		return scene_pid(sc, want) == (int)got->number;
	case LFT_BOOL:
		return want->kind == LV_BOOL && want->is_true == got->is_true;
	}
	return false;
}

static bool passes(const struct lesson_scene *sc, size_t i, const struct lesson_matcher *mt,
		   struct sbuf *scratch)
{
	const struct event *ev = &sc->tr->events[i];
	struct field_value got;

	if (mt->field == LF_GLOBAL) {
		for (size_t v = 0; v < mt->value_count; v++)
			if (has_global(ev, mt->values[v].text))
				return true;
		return false;
	}
	/* A line is matched where it begins, so each line counts once. */
	if (mt->field == LF_TEXT && sc->is_continued[i])
		return false;
	sbuf_clear(scratch);
	if (!match_field(sc, i, mt->field, scratch, &got))
		return false;
	for (size_t v = 0; v < mt->value_count; v++) {
		const char *want = mt->values[v].text;

		if (mt->field != LF_TEXT
			    ? value_equals(sc, &got, &mt->values[v])
			    : memmem(got.text, got.text_len, want, strlen(want)) != NULL)
			return true;
	}
	return false;
}

bool match_event(const struct lesson_scene *sc, const struct lesson_match *m, size_t i,
		 struct sbuf *scratch)
{
	if (sc->tr->events[i].kind != m->kind)
		return false;
	for (size_t k = 0; k < m->matcher_count; k++)
		if (!passes(sc, i, &m->matchers[k], scratch))
			return false;
	return true;
}

size_t match_find(const struct lesson_scene *sc, const struct lesson_match *m, size_t *found)
{
	struct sbuf scratch;
	size_t at = SIZE_MAX;

	sbuf_init(&scratch);
	*found = 0;
	for (size_t i = 0; i < sc->tr->event_count; i++) {
		if (!match_event(sc, m, i, &scratch))
			continue;
		if (++*found == m->nth && at == SIZE_MAX)
			at = i;
	}
	sbuf_release(&scratch);
	return at;
}

int match_check_pids(const struct lesson_scene *sc, const struct lesson_match *m,
		     struct mp_err *err)
{
	for (size_t k = 0; k < m->matcher_count; k++)
		for (size_t v = 0; v < m->matchers[k].value_count; v++) {
			const struct lesson_value *val = &m->matchers[k].values[v];
			const char *field = lesson_field_name(m->matchers[k].field);

			if (val->kind == LV_MAIN && !sc->main_pid)
				return mp_err_set(err, "%s = main, but %s has no main process",
						  field, sc->name);
			if (val->kind == LV_CHILD && val->child > sc->child_count)
				return mp_err_set(err, "%s = %s, but %s has %zu child process%s",
						  field, lesson_pid_symbol_name(val), sc->name,
						  sc->child_count,
						  sc->child_count == 1 ? "" : "es");
		}
	return 0;
}

static void describe_value(const struct lesson_value *v, struct sbuf *out)
{
	const char *symbol = lesson_pid_symbol_name(v);
	char quoted[96];

	if (symbol) {
		sbuf_adds(out, symbol);
	} else if (v->kind == LV_TEXT) {
		mp_quote(quoted, sizeof(quoted), v->text, strlen(v->text));
		sbuf_addf(out, "\"%s\"", quoted);
	} else if (v->kind == LV_BOOL) {
		sbuf_adds(out, v->is_true ? "true" : "false");
	} else {
		say_number(v->number, out);
	}
}

void match_describe(const struct lesson_match *m, struct sbuf *out)
{
	sbuf_adds(out, ev_kind_name(m->kind));
	for (size_t k = 0; k < m->matcher_count; k++) {
		const struct lesson_matcher *mt = &m->matchers[k];

		sbuf_addf(out, " %s %s %s ", k ? "and" : "with", lesson_field_name(mt->field),
			  mt->field == LF_TEXT ? "containing" : "=");
		for (size_t v = 0; v < mt->value_count; v++) {
			sbuf_adds(out, v ? " or " : "");
			describe_value(&mt->values[v], out);
		}
	}
}

int match_err(const struct lesson_scene *sc, const struct lesson_match *m, size_t found,
	      struct mp_err *err)
{
	struct sbuf what;
	int rc;

	sbuf_init(&what);
	match_describe(m, &what);
	if (what.is_oom)
		rc = mp_err_set(err, "out of memory while describing a match");
	else if (found == 0)
		rc = mp_err_set(err, "no %s in %s", what.data, sc->name);
	else
		rc = mp_err_set(err, "only %zu event%s %s %s in %s (nth is %zu)", found,
				found == 1 ? "" : "s", found == 1 ? "matches" : "match", what.data,
				sc->name, m->nth);
	sbuf_release(&what);
	return rc;
}

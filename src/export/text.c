/*
 * text.c - `export -f text`: the story as a transcript, for handouts and
 * for reading without the screen. A header per trace (program, methods,
 * Python, when, the processes), then every step of the story the screen
 * opens on - bookkeeping shown, a run of pool pickles one step - so that
 * "step 8/35" here is step 8/35 there: its time, its brief line, the
 * narration in the screen's own words (replay_brief, replay_narrate), and
 * the facts of its payload or descriptors; pickles counted but not kept
 * one by one are a step too, and the header says what was kept. Key moments (what `n` stops
 * at) are marked. Several traces come one after another, each under its
 * own heading: every one keeps the numbering its screen shows, and a
 * reader compares them the way the lessons do, trace by trace. See
 * export.h.
 */
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "export/export.h"
#include "replay/replay.h"

#define INDENT 4 /* narration and facts, under the step line */
#define KEY_MARK '*'

/* Appends len bytes of text from a trace, safe to cat to a terminal:
 * invalid UTF-8 and control characters (escape sequences) become '?',
 * a tab a space; newlines stay. */
static void add_clean(struct sbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_valid_prefix((const unsigned char *)s + i, len - i);

		if (s[i] == '\n' || s[i] == '\t')
			sbuf_addc(out, s[i] == '\n' ? '\n' : ' ');
		else if (utf8_is_unsafe((const unsigned char *)s + i, n))
			sbuf_addc(out, '?');
		else
			sbuf_add(out, s + i, n);
		i += n ? n : 1;
	}
}

static bool is_lead_byte(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

/* Where the line that starts at i ends (*end) and the next one starts
 * (*next), for `width` columns of one code point each: at a newline, at
 * the last space that fits, after the last '.' or '/' of a long dotted
 * name, mid-word only when there is none. */
static void line_at(const char *s, size_t len, size_t i, size_t width, size_t *end, size_t *next)
{
	size_t j = i, col = 0, space = SIZE_MAX, after_dot = SIZE_MAX;

	while (j < len && s[j] != '\n') {
		if (is_lead_byte(s[j]) && col++ == width)
			break;
		if (s[j] == ' ')
			space = j;
		else if ((s[j] == '.' || s[j] == '/') && j + 1 < len)
			after_dot = j + 1;
		j++;
	}
	if (j >= len || s[j] == '\n') {
		*end = j;
		*next = j < len ? j + 1 : j;
	} else if (s[j] == ' ') {
		*end = j;
		*next = j + 1;
	} else if (space != SIZE_MAX && space > i) {
		*end = space;
		*next = space + 1;
	} else if (after_dot != SIZE_MAX && after_dot > i) {
		*end = *next = after_dot;
	} else {
		*end = *next = j > i ? j : j + 1;
	}
}

/* Appends clean text wrapped to EXPORT_TEXT_COLUMNS: the first line
 * after the `first` columns the caller already wrote on it, the others
 * indented by `indent`. */
static void add_wrapped(struct sbuf *out, const char *s, size_t len, size_t first, size_t indent)
{
	size_t i = 0, used = first;
	bool is_soft = false; /* the line before ended at a wrap, not a newline */
	bool is_first = true;

	while (i < len) {
		size_t end, next;

		/* A wrapped line does not start with the space it broke at. */
		while (is_soft && i < len && s[i] == ' ')
			i++;
		line_at(s, len, i, EXPORT_TEXT_COLUMNS - used, &end, &next);
		if (!is_first && end > i)
			sbuf_addf(out, "%*s", (int)indent, "");
		is_first = false;
		while (end > i && s[end - 1] == ' ')
			end--;
		sbuf_add(out, s + i, end - i);
		sbuf_addc(out, '\n');
		is_soft = next == end || (next > 0 && s[next - 1] == ' ');
		i = next;
		used = indent;
	}
	if (len == 0)
		sbuf_addc(out, '\n');
}

/* The text of a builder (brief, narration), cleaned, then wrapped. */
static void add_paragraph(struct sbuf *out, struct sbuf *scratch, const struct sbuf *text,
			  size_t first, size_t indent)
{
	sbuf_clear(scratch);
	add_clean(scratch, text->data ? text->data : "", text->len);
	add_wrapped(out, scratch->data ? scratch->data : "", scratch->len, first, indent);
}

#define FIELD 11 /* the header's values start in this column */

static void add_field(struct sbuf *out, const char *label, const char *value, struct sbuf *line)
{
	sbuf_addf(out, "%-*s", FIELD, label);
	sbuf_clear(line);
	add_clean(line, value ? value : "unknown", value ? strlen(value) : 7);
	add_wrapped(out, line->data ? line->data : "", line->len, FIELD, FIELD);
}

static void add_methods(struct sbuf *out, const struct replay *rp)
{
	const char *m[REPLAY_METHODS_MAX];
	size_t n = replay_methods(rp, m, REPLAY_METHODS_MAX);
	const char *requested = rp->tr->meta.requested_method;

	sbuf_addf(out, "%-*s", FIELD, "method");
	/* As the screen's status line names them: "fork+spawn". */
	for (size_t i = 0; i < n && i < REPLAY_METHODS_MAX; i++)
		sbuf_addf(out, "%s%s", i ? "+" : "", m[i]);
	if (n == 0)
		add_clean(out, rp->tr->meta.method ? rp->tr->meta.method : "unknown",
			  strlen(rp->tr->meta.method ? rp->tr->meta.method : "unknown"));
	if (requested) {
		sbuf_adds(out, " (requested: ");
		add_clean(out, requested, strlen(requested));
		sbuf_addc(out, ')');
	}
	sbuf_addc(out, '\n');
}

/* Every process in tree order as the last step shows it: its label and
 * how it ended. */
static void add_processes(struct sbuf *out, struct replay *rp, struct sbuf *scratch,
			  struct sbuf *line)
{
	sbuf_addf(out, "%-*s%zu\n", FIELD, "processes", rp->tr->proc_count);
	replay_seek(rp, replay_step_count(rp) - 1);
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		char status[64];
		int depth = ps->depth < 8 ? ps->depth : 8;

		sbuf_clear(scratch);
		replay_proc_label(rp, ps, scratch);
		if (ps->has_exited)
			trace_exit_format(&ps->exit, EXIT_STATUS, status, sizeof(status));
		else if (ps->proc->has_exit)
			trace_exit_format(&ps->proc->exit, EXIT_STATUS, status, sizeof(status));
		else
			snprintf(status, sizeof(status), "no exit seen");
		sbuf_addf(out, "%*s%-7d %-17s ", FIELD + 2 * depth, "", ps->proc->pid,
			  role_name(ps->proc->role));
		sbuf_clear(line);
		add_clean(line, scratch->data ? scratch->data : "", scratch->len);
		sbuf_addf(line, ", %s", status);
		/* The label under itself: pid and role take 26 columns. */
		add_wrapped(out, line->data, line->len, (size_t)(FIELD + 2 * depth + 26),
			    (size_t)(FIELD + 2 * depth + 26));
	}
}

/* What the recording kept of the pickles and how many more it only
 * counted, in the words of `info` and the screen; nothing when the trace
 * does not say and counted none. */
static void add_kept(struct sbuf *out, const struct replay *rp, struct sbuf *scratch,
		     struct sbuf *line)
{
	uint64_t counted = 0;

	for (size_t i = 0; i < rp->tr->event_count; i++)
		if (rp->tr->events[i].kind == EV_PICKLE_SUMMARY)
			counted += rp->tr->events[i].u.pickle_summary.count;
	sbuf_clear(scratch);
	if (!trace_keep_format(&rp->tr->meta, scratch) && counted == 0)
		return;
	if (scratch->len == 0)
		sbuf_adds(scratch, "kept the first ones of each kind per process");
	if (counted) {
		sbuf_adds(scratch, "; ");
		sbuf_add_count(scratch, counted);
		sbuf_adds(scratch, " more were only counted (the steps \"counted\")");
	}
	add_field(out, "pickles", scratch->data, line);
}

static void add_header(struct sbuf *out, struct replay *rp, struct sbuf *scratch, struct sbuf *line)
{
	const struct trace_meta *m = &rp->tr->meta;
	char text[160];

	add_field(out, "program", m->program, line);
	add_methods(out, rp);
	snprintf(text, sizeof(text), "%s%s%s", m->python ? m->python : "unknown",
		 m->platform ? " on " : "", m->platform ? m->platform : "");
	add_field(out, "python", text, line);
	add_field(out, "recorded", m->recorded_at ? m->recorded_at : "(not recorded)", line);
	snprintf(text, sizeof(text), "%.1f ms", (double)trace_duration(rp->tr) / 1e6);
	add_field(out, "duration", text, line);
	if (m->dropped_events) {
		snprintf(text, sizeof(text), "%llu probe events were lost: the trace is incomplete",
			 (unsigned long long)m->dropped_events);
		add_field(out, "warning", text, line);
	}
	add_kept(out, rp, scratch, line);
	add_processes(out, rp, scratch, line);
	sbuf_addf(out, "%-*s%zu; %c marks a key moment (where n stops on the screen)\n", FIELD,
		  "steps", replay_step_count(rp), KEY_MARK);
}

static size_t columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += is_lead_byte(s[i]);
	return n;
}

/* Facts separated by FACT_SEP, joined by " · ", a line broken between two
 * facts rather than inside one; a fact too long for a line of its own is
 * wrapped like a paragraph. */
#define FACT_SEP '\x1f'
static void add_facts(struct sbuf *out, const char *s, size_t len)
{
	size_t col = INDENT, i = 0;

	sbuf_addf(out, "%*s", INDENT, "");
	while (i < len) {
		const char *sep = memchr(s + i, FACT_SEP, len - i);
		size_t n = sep ? (size_t)(sep - (s + i)) : len - i, w = columns(s + i, n);

		if (i > 0 && col + 3 + w > EXPORT_TEXT_COLUMNS) {
			sbuf_addf(out, " ·\n%*s", INDENT + 2, "");
			col = INDENT + 2;
		} else if (i > 0) {
			sbuf_adds(out, " · ");
			col += 3;
		}
		if (col + w > EXPORT_TEXT_COLUMNS) {
			add_wrapped(out, s + i, n, col, INDENT + 2);
			/* Its newline goes: the next fact may follow. */
			if (out->len > 0 && out->data[out->len - 1] == '\n')
				out->data[--out->len] = '\0';
			col = EXPORT_TEXT_COLUMNS;
		} else {
			sbuf_add(out, s + i, n);
			col += w;
		}
		i += n + (sep != NULL);
	}
	sbuf_addc(out, '\n');
}

/* "payload 344 B · Process · → __main__.f by reference": what the
 * screen's payload panel says above the listing. */
static void add_payload_facts(struct sbuf *out, const struct event *ev, struct sbuf *facts)
{
	const struct global_ref *g = replay_payload_ref(ev);

	sbuf_clear(facts);
	sbuf_adds(facts, "payload ");
	sbuf_add_size(facts, ev->u.pickle.size);
	if (ev->u.pickle.type) {
		sbuf_addc(facts, FACT_SEP);
		add_clean(facts, ev->u.pickle.type, strlen(ev->u.pickle.type));
	}
	if (g) {
		sbuf_addc(facts, FACT_SEP);
		sbuf_adds(facts, "→ ");
		add_clean(facts, g->module, strlen(g->module));
		sbuf_addc(facts, '.');
		add_clean(facts, g->name, strlen(g->name));
		sbuf_adds(facts, " by reference");
	}
	if (ev->u.pickle.is_truncated) {
		sbuf_addc(facts, FACT_SEP);
		sbuf_adds(facts, "cut: ");
		sbuf_add_size(facts, ev->u.pickle.bytes_len);
		sbuf_adds(facts, " captured");
	}
	if (ev->u.pickle.is_redacted) {
		sbuf_addc(facts, FACT_SEP);
		sbuf_adds(facts, "authkey hidden");
	}
	if (ev->u.pickle.error) {
		sbuf_addc(facts, FACT_SEP);
		sbuf_adds(facts, "pickling failed");
	}
	add_facts(out, facts->data ? facts->data : "", facts->len);
}

/* "fd 4 → 3   pipe 2419301 (the resource tracker's pipe)", wrapped under
 * the name. */
static void add_fd_line(struct sbuf *out, const struct replay *rp, int pid,
			const struct fd_entry *e, bool has_as, struct sbuf *name, struct sbuf *line)
{
	struct fd_role role = replay_fd_role(rp, pid, e);
	const char *phrase = replay_fd_role_phrase(&role);
	char number[48];
	int n = snprintf(number, sizeof(number), "fd %d", e->fd), pad;

	/* "fd 4 → 3": the number it got in the receiver, when another; n
	 * counts columns ("→" is one). */
	if (has_as && e->as_fd >= 0 && e->as_fd != e->fd)
		n += snprintf(number + n, sizeof(number) - (size_t)n, " → %d", e->as_fd) - 2;
	pad = n < 7 ? 7 - n : 2;
	sbuf_addf(out, "%*s%s%*s", INDENT + 2, "", number, pad, "");
	sbuf_clear(name);
	replay_fd_name(e, false, name);
	sbuf_clear(line);
	add_clean(line, name->data ? name->data : "", name->len);
	if (phrase)
		sbuf_addf(line, " (%s)", phrase);
	add_wrapped(out, line->data ? line->data : "", line->len, (size_t)(INDENT + 2 + n + pad),
		    INDENT + 4);
}

/* The descriptors a pass carries, as the sender saw them, with their
 * number in the receiver; those an exec closed. */
static void add_fds_facts(struct sbuf *out, const struct replay *rp, const struct event *ev,
			  struct sbuf *name, struct sbuf *line)
{
	const char *how = ev->u.fds_pass.via == PASS_EXEC ? "kept" : "passed";

	if (ev->u.fds_pass.fd_count)
		sbuf_addf(out, "%*sdescriptors %s:\n", INDENT, "", how);
	for (size_t i = 0; i < ev->u.fds_pass.fd_count; i++)
		add_fd_line(out, rp, ev->pid, &ev->u.fds_pass.fds[i], true, name, line);
	if (ev->u.fds_pass.closed_count)
		sbuf_addf(out, "%*sclosed at exec:\n", INDENT, "");
	for (size_t i = 0; i < ev->u.fds_pass.closed_count; i++)
		add_fd_line(out, rp, ev->pid, &ev->u.fds_pass.closed[i], false, name, line);
}

struct writer {
	struct sbuf *out;
	struct sbuf brief, narration, scratch, line;
};

static void add_step(struct writer *w, struct replay *rp, size_t k)
{
	const struct step *s = &rp->story.steps[k];
	const struct event *ev = rp->tr->event_count ? &rp->tr->events[s->ev] : NULL;
	size_t before = w->out->len;

	replay_seek(rp, k);
	sbuf_clear(&w->brief);
	sbuf_clear(&w->narration);
	replay_brief(rp, k, &w->brief);
	replay_narrate(rp, k, &w->narration);
	sbuf_addf(w->out, "%c step %zu/%zu  t=%.1f ms  ",
		  ev && story_step_is_key(rp->tr, s) ? KEY_MARK : ' ', k + 1, replay_step_count(rp),
		  (double)replay_time(rp) / 1e6);
	add_paragraph(w->out, &w->scratch, &w->brief, w->out->len - before, INDENT);
	if (w->narration.len)
		sbuf_addf(w->out, "%*s", INDENT, "");
	add_paragraph(w->out, &w->scratch, &w->narration, INDENT, INDENT);
	if (ev && (s->kind == STEP_PICKLE_DUMP || s->kind == STEP_PICKLE_LOAD))
		add_payload_facts(w->out, ev, &w->scratch);
	if (ev && s->kind == STEP_FDS_PASS)
		add_fds_facts(w->out, rp, ev, &w->scratch, &w->line);
	sbuf_addc(w->out, '\n');
}

static void add_heading(struct sbuf *out, const char *title, size_t i, size_t count,
			const char *name)
{
	if (count > 1) {
		sbuf_addf(out, "%s%.78s\n", i ? "\n" : "",
			  "==============================================================="
			  "===============");
		sbuf_addf(out, "trace %zu of %zu: ", i + 1, count);
	} else {
		sbuf_adds(out, "mpscope transcript: ");
	}
	add_clean(out, name ? name : "trace", strlen(name ? name : "trace"));
	if (title) {
		sbuf_adds(out, " · ");
		add_clean(out, title, strlen(title));
	}
	sbuf_adds(out, count > 1 ? "\n" : "\n\n");
	if (count > 1)
		sbuf_addf(out, "%.78s\n\n",
			  "==============================================================="
			  "===============");
}

static int add_trace(struct writer *w, const struct export_input *in, size_t i, size_t count,
		     const struct export_opts *o, struct mp_err *err)
{
	struct replay rp;

	if (replay_init(&rp, in->tr, err) < 0)
		return mp_err_prefix(err, "cannot tell %s", in->name ? in->name : "the trace");
	add_heading(w->out, o->title, i, count, in->name);
	add_header(w->out, &rp, &w->scratch, &w->line);
	sbuf_addc(w->out, '\n');
	for (size_t k = 0; k < replay_step_count(&rp); k++)
		add_step(w, &rp, k);
	replay_release(&rp);
	return 0;
}

int export_text(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err)
{
	struct writer w = { .out = out };
	struct export_keys keys;
	size_t start = out->len;
	int rc = 0;

	sbuf_init(&w.brief);
	sbuf_init(&w.narration);
	sbuf_init(&w.scratch);
	sbuf_init(&w.line);
	export_keys_init(&keys);
	for (size_t i = 0; i < count && rc == 0; i++) {
		rc = add_trace(&w, &in[i], i, count, o, err);
		if (rc == 0 && !(o->flags & EXPORT_NO_REDACT))
			rc = export_keys_collect(&keys, in[i].tr, err);
	}
	if (rc == 0 &&
	    (out->is_oom || w.brief.is_oom || w.narration.is_oom || w.scratch.is_oom ||
	     w.line.is_oom))
		rc = mp_err_set(err, "out of memory while writing the transcript");
	/* The narration quotes what the program printed: a key it printed is
	 * found there too. */
	if (rc == 0 && out->len > start)
		export_keys_scrub(&keys, out->data + start, out->len - start);
	export_keys_release(&keys);
	sbuf_release(&w.brief);
	sbuf_release(&w.narration);
	sbuf_release(&w.scratch);
	sbuf_release(&w.line);
	return rc;
}

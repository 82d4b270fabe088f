/*
 * chrome.c - `export -f chrome`: the trace as Chrome's Trace Event format,
 * the JSON object form {"traceEvents": [...], "otherData": {...}} that
 * Perfetto (ui.perfetto.dev) and chrome://tracing open. One track per
 * process, named by role and command line, in the screen's tree order,
 * its lifetime a complete ("X") slice; forks, execs and pickles are
 * slices joined by arrows (parent to child, sender to receiver); lookups,
 * imports, descriptor passes, output, the start method, exits and the
 * pickles a process counted but did not keep are instants; memory and
 * threads are counters. A lifetime's args give the process's pickles in
 * all, those kept and those counted. Every event says which step
 * of the story it belongs to, with the step's brief and narration (the
 * screen's words). Times are microseconds, as the format requires. See
 * export.h and docs/export.md.
 *
 * Arrows are flow events "v2": a bind_id with flow_out on the sender's
 * complete slice and flow_in on the receiver's. Both importers bind them
 * to the slice that carries them (Perfetto's json_trace_parser,
 * catapult's trace_event_importer), where "v1" s/f events bind by
 * timestamp and resolve a shared microsecond differently; neither binds a
 * flow to an instant, and both draw one only forward in time. So every
 * end of an arrow is a slice, and the layout (chrome_layout.c) gives each
 * mark on a track its own nanosecond, after the arrow's start. What each
 * kind of event is called and carries is chrome_events.c's table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "export/chrome_internal.h"

#define MAX_TRACES 1000

/* ---- JSON text ---- */

void chrome_add_string(struct chrome *c, const char *s, size_t len)
{
	struct sbuf *t = &c->text;
	size_t i = 0;

	sbuf_clear(t);
	sbuf_add(t, s, len);
	if (c->keys && t->len)
		export_keys_scrub(c->keys, t->data, t->len);
	sbuf_addc(c->out, '"');
	while (i < t->len) {
		unsigned char ch = (unsigned char)t->data[i];
		size_t n = utf8_valid_prefix((const unsigned char *)t->data + i, t->len - i);

		if (ch == '"' || ch == '\\')
			sbuf_addf(c->out, "\\%c", ch);
		else if (ch == '\n')
			sbuf_adds(c->out, "\\n");
		else if (ch == '\t')
			sbuf_adds(c->out, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			sbuf_addf(c->out, "\\u%04x", ch);
		else if (n == 0)
			sbuf_adds(c->out, "\\ufffd");
		else
			sbuf_add(c->out, t->data + i, n);
		i += n ? n : 1;
	}
	sbuf_addc(c->out, '"');
}

void chrome_add_cstring(struct chrome *c, const char *s)
{
	chrome_add_string(c, s ? s : "", s ? strlen(s) : 0);
}

/* Trace nanoseconds as the format's microseconds, exactly. */
static void add_us(struct sbuf *o, int64_t ns)
{
	sbuf_addf(o, "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
}

void chrome_key(struct chrome *c, const char *name)
{
	sbuf_addf(c->out, ",\"%s\":", name);
}

void chrome_arg_str(struct chrome *c, const char *name, const char *value)
{
	if (!value)
		return;
	chrome_key(c, name);
	chrome_add_cstring(c, value);
}

void chrome_arg_num(struct chrome *c, const char *name, long long value)
{
	sbuf_addf(c->out, ",\"%s\":%lld", name, value);
}

void chrome_add_strv(struct chrome *c, const char *name, const struct strv *v)
{
	chrome_key(c, name);
	sbuf_addc(c->out, '[');
	for (size_t i = 0; i < v->count; i++) {
		if (i)
			sbuf_addc(c->out, ',');
		chrome_add_cstring(c, v->items[i]);
	}
	sbuf_addc(c->out, ']');
}

/* The start of an event: phase, time, track; the caller adds the rest
 * and closes it. "ts" comes first: Perfetto's tokenizer reads the keys
 * before it as plain strings. */
static void begin_event(struct chrome *c, char ph, int64_t t, long pid)
{
	sbuf_adds(c->out, c->has_events ? ",\n" : "\n");
	c->has_events = true;
	sbuf_addf(c->out, "{\"ph\":\"%c\",\"ts\":", ph);
	add_us(c->out, t);
	sbuf_addf(c->out, ",\"pid\":%ld,\"tid\":%ld", pid, pid);
}

static void metadata(struct chrome *c, long pid, const char *what, const char *value, long number)
{
	sbuf_adds(c->out, c->has_events ? ",\n" : "\n");
	c->has_events = true;
	sbuf_addf(c->out, "{\"ph\":\"M\",\"pid\":%ld,\"tid\":%ld,\"name\":\"%s\",\"args\":{", pid,
		  pid, what);
	if (value) {
		sbuf_adds(c->out, "\"name\":");
		chrome_add_cstring(c, value);
	} else {
		sbuf_addf(c->out, "\"sort_index\":%ld", number);
	}
	sbuf_adds(c->out, "}}");
}

/* Where pid's events go: its track's pid in the export. */
static long out_pid(const struct chrome *c, int pid)
{
	const struct chrome_track *t = chrome_track_of(c, pid);

	return t ? t->out_pid : pid;
}

/* ---- writing ---- */

/* A command line, the program by its base name (as `info` shows it), cut
 * after max bytes at a character's start. */
static void add_cut(struct sbuf *o, const struct strv *v, size_t max)
{
	size_t start = o->len;

	for (size_t i = 0; i < v->count && o->len - start <= max; i++) {
		const char *slash = i == 0 ? strrchr(v->items[i], '/') : NULL;

		sbuf_addf(o, "%s%s", i ? " " : "", slash ? slash + 1 : v->items[i]);
	}
	if (o->is_oom || o->len - start <= max)
		return;
	o->len = start + max;
	while (o->len > start && ((unsigned char)o->data[o->len] & 0xC0) == 0x80)
		o->len--;
	o->data[o->len] = '\0';
	sbuf_adds(o, "…");
}

/* "01-what-gets-pickled.spawn · ": which trace a process is of. */
static void add_trace_label(struct sbuf *o, const char *name)
{
	size_t len;

	if (!name || !*name)
		name = "trace";
	len = strlen(name);
	if (len > 5 && strcmp(name + len - 5, ".json") == 0)
		len -= 5;
	sbuf_addf(o, "%.*s · ", (int)len, name);
}

/* The pickles process pid made and read in all: the events kept one by
 * one and the counts of the rest (pickle.summary) add up to them. */
static void add_pickle_totals(struct chrome *c, int pid)
{
	uint64_t count[DIRECTION_COUNT] = { 0 }, size[DIRECTION_COUNT] = { 0 };
	const struct trace *tr = c->rp->tr;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->pid != pid)
			continue;
		if ((ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD) &&
		    !ev->u.pickle.error) {
			enum pickle_direction d =
				ev->kind == EV_PICKLE_DUMP ? DIRECTION_DUMP : DIRECTION_LOAD;

			count[d]++;
			size[d] += ev->u.pickle.size;
		} else if (ev->kind == EV_PICKLE_SUMMARY &&
			   (unsigned)ev->u.pickle_summary.op < DIRECTION_COUNT) {
			count[ev->u.pickle_summary.op] += ev->u.pickle_summary.count;
			size[ev->u.pickle_summary.op] += ev->u.pickle_summary.size;
		}
	}
	chrome_arg_num(c, "pickled", (long long)count[DIRECTION_DUMP]);
	chrome_arg_num(c, "pickled bytes", (long long)size[DIRECTION_DUMP]);
	chrome_arg_num(c, "unpickled", (long long)count[DIRECTION_LOAD]);
	chrome_arg_num(c, "unpickled bytes", (long long)size[DIRECTION_LOAD]);
}

static void write_process(struct chrome *c, const struct proc_state *ps)
{
	const struct process *p = ps->proc;
	const struct chrome_track *t = &c->tracks[p - c->rp->tr->procs];
	const char *method = replay_proc_method(c->rp, p);
	char status[64] = "no exit seen";

	sbuf_clear(&c->name);
	if (c->count > 1)
		add_trace_label(&c->name, c->in->name);
	sbuf_addf(&c->name, "%s: ", role_name(p->role));
	add_cut(&c->name, &p->argv, 100);
	metadata(c, t->out_pid, "process_name", c->name.data, 0);
	metadata(c, t->out_pid, "process_sort_index", NULL,
		 (long)c->index * CHROME_PID_STRIDE + (long)ps->lane);
	if (c->count > 1)
		metadata(c, t->out_pid, "process_labels", c->in->name ? c->in->name : "trace", 0);
	sbuf_clear(&c->name);
	sbuf_addf(&c->name, "%d ", p->pid);
	replay_proc_label(c->rp, ps, &c->name);
	metadata(c, t->out_pid, "thread_name", c->name.data, 0);

	if (p->has_exit)
		trace_exit_format(&p->exit, EXIT_STATUS, status, sizeof(status));
	begin_event(c, 'X', t->start, t->out_pid);
	sbuf_adds(c->out, ",\"dur\":");
	add_us(c->out, t->end - t->start);
	sbuf_adds(c->out, ",\"cat\":\"process\",\"name\":");
	sbuf_clear(&c->name);
	sbuf_addf(&c->name, "%s ", role_name(p->role));
	replay_proc_label(c->rp, ps, &c->name);
	chrome_add_string(c, c->name.data, c->name.len);
	sbuf_addf(c->out, ",\"args\":{\"pid\":%d,\"ppid\":%d", p->pid, p->ppid);
	chrome_arg_str(c, "role", role_name(p->role));
	chrome_add_strv(c, "argv", &p->argv);
	chrome_arg_str(c, "exe", p->exe);
	chrome_arg_str(c, "method", method);
	chrome_arg_str(c, "exit", status);
	add_pickle_totals(c, p->pid);
	if (c->count > 1)
		chrome_arg_str(c, "trace", c->in->name);
	sbuf_adds(c->out, "}}");
}

/* The story step of event i: seeks the replay there (labels and briefs
 * read its state) and keeps the step's words. */
static void enter_step(struct chrome *c, size_t i)
{
	size_t k = story_step_of_event(&c->rp->story, i);

	c->is_step_start = c->rp->story.steps[k].ev == i;
	if (k == c->step && c->brief.len)
		return;
	c->step = k;
	replay_seek(c->rp, k);
	sbuf_clear(&c->brief);
	sbuf_clear(&c->narration);
	replay_brief(c->rp, k, &c->brief);
	replay_narrate(c->rp, k, &c->narration);
}

static void write_mark(struct chrome *c, const struct event *ev, const struct chrome_kind *r,
		       const struct chrome_mark *m)
{
	begin_event(c,
		    r->shape == CHROME_SLICE             ? 'X'
			    : r->shape == CHROME_INSTANT ? 'i'
							 : 'C',
		    m->t, out_pid(c, ev->pid));
	if (r->shape == CHROME_SLICE) {
		sbuf_adds(c->out, ",\"dur\":");
		add_us(c->out, m->dur);
	}
	if (r->shape == CHROME_INSTANT)
		sbuf_adds(c->out, ",\"s\":\"t\"");
	if (m->flow)
		sbuf_addf(c->out, ",\"bind_id\":%llu,\"%s\":true", (unsigned long long)m->flow,
			  m->is_flow_out ? "flow_out" : "flow_in");
	sbuf_addf(c->out, ",\"cat\":\"%s\",\"name\":", r->cat);
	sbuf_clear(&c->name);
	r->name(c, ev);
	chrome_add_string(c, c->name.data, c->name.len);
	sbuf_adds(c->out, ",\"args\":{");
	if (r->shape == CHROME_COUNTER) {
		/* A counter's args are its values, and nothing else. */
		r->args(c, ev);
		sbuf_adds(c->out, "}}");
		return;
	}
	sbuf_addf(c->out, "\"step\":%zu", c->step + 1);
	r->args(c, ev);
	chrome_key(c, "brief");
	chrome_add_string(c, c->brief.data ? c->brief.data : "", c->brief.len);
	if (c->is_step_start) {
		chrome_key(c, "narration");
		chrome_add_string(c, c->narration.data ? c->narration.data : "", c->narration.len);
	}
	sbuf_adds(c->out, "}}");
}

/* The slice a fork's arrow ends at, at the start of the child's track. */
static void write_started(struct chrome *c, const struct event *fork)
{
	const struct chrome_track *t = chrome_track_of(c, fork->u.fork.child);

	begin_event(c, 'X', t->started.t, t->out_pid);
	sbuf_adds(c->out, ",\"dur\":");
	add_us(c->out, t->started.dur);
	sbuf_addf(c->out, ",\"bind_id\":%llu,\"flow_in\":true,\"cat\":\"process\",\"name\":",
		  (unsigned long long)t->started.flow);
	sbuf_clear(&c->name);
	sbuf_addf(&c->name, "started by %d (%s)", fork->pid, fork_via_name(fork->u.fork.via));
	chrome_add_string(c, c->name.data, c->name.len);
	sbuf_addf(c->out, ",\"args\":{\"step\":%zu", c->step + 1);
	chrome_arg_num(c, "parent", fork->pid);
	chrome_key(c, "brief");
	chrome_add_string(c, c->brief.data ? c->brief.data : "", c->brief.len);
	sbuf_adds(c->out, "}}");
}

static void write_events(struct chrome *c)
{
	const struct trace *tr = c->rp->tr;

	c->step = SIZE_MAX;
	sbuf_clear(&c->brief);
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		const struct chrome_kind *r = chrome_kind_of(ev->kind);

		if (!r)
			continue;
		enter_step(c, i);
		write_mark(c, ev, r, &c->marks[i]);
		if (chrome_owns_started(c, i))
			write_started(c, ev);
	}
}

static bool needs_renumbering(const struct export_input *in, size_t count)
{
	for (size_t k = 0; k < count && count > 1; k++)
		for (size_t p = 0; p < in[k].tr->proc_count; p++)
			if (in[k].tr->procs[p].pid >= CHROME_PID_STRIDE)
				return true;
	return false;
}

static int write_trace(struct chrome *c, bool is_renumbered, struct mp_err *err)
{
	const struct trace *tr = c->in->tr;
	struct replay *rp = &c->replay;
	int rc;

	if (replay_init(rp, tr, err) < 0)
		return mp_err_prefix(err, "cannot tell %s",
				     c->in->name ? c->in->name : "the trace");
	c->rp = rp;
	c->marks = calloc(tr->event_count + 1, sizeof(*c->marks));
	c->tracks = calloc(tr->proc_count + 1, sizeof(*c->tracks));
	rc = c->marks && c->tracks ? 0
				   : mp_err_set(err, "out of memory while exporting %s",
						c->in->name ? c->in->name : "a trace");
	if (rc == 0)
		rc = chrome_pair_pickles(c, err);
	if (rc == 0) {
		chrome_lay_out(c, is_renumbered);
		/* Labels after the last exec, exits: the whole story told. */
		replay_seek(rp, replay_step_count(rp) - 1);
		for (size_t lane = 0; lane < tr->proc_count; lane++)
			write_process(c, replay_lane(rp, lane));
		write_events(c);
	}
	free(c->marks);
	free(c->tracks);
	c->marks = NULL;
	c->tracks = NULL;
	replay_release(rp);
	c->rp = NULL;
	return rc;
}

static void write_other_data(struct chrome *c, bool is_renumbered)
{
	sbuf_adds(c->out, "\n],\n\"otherData\":{\"generator\":\"mpscope export -f chrome\"");
	sbuf_adds(c->out, ",\"time\":\"ts and dur are microseconds since each trace started\"");
	if (c->count > 1)
		sbuf_addf(c->out, ",\"pids\":\"trace k's pids are %s\"",
			  is_renumbered ? "k * 4194304 + its lane in tree order + 1"
					: "moved up by k * 4194304 (k from 0)");
	chrome_key(c, "traces");
	sbuf_addc(c->out, '[');
	for (size_t k = 0; k < c->count; k++) {
		const struct trace_meta *m = &c->all[k].tr->meta;

		sbuf_adds(c->out, k ? ",{\"name\":" : "{\"name\":");
		chrome_add_cstring(c, c->all[k].name);
		chrome_arg_str(c, "program", m->program);
		chrome_arg_str(c, "method", m->method);
		chrome_arg_str(c, "python", m->python);
		chrome_arg_str(c, "recorded_at", m->recorded_at);
		sbuf_addc(c->out, '}');
	}
	sbuf_adds(c->out, "]}}\n");
}

int export_chrome(const struct export_input *in, size_t count, const struct export_opts *o,
		  struct sbuf *out, struct mp_err *err)
{
	struct chrome c = { .out = out, .all = in, .count = count, .next_flow = 1 };
	struct export_keys keys;
	bool is_renumbered = needs_renumbering(in, count);
	int rc = 0;

	if (count > MAX_TRACES)
		return mp_err_set(err,
				  "-f chrome shows at most %d traces side by side; %zu were given",
				  MAX_TRACES, count);
	export_keys_init(&keys);
	for (size_t k = 0; k < count && rc == 0 && !(o->flags & EXPORT_NO_REDACT); k++)
		rc = export_keys_collect(&keys, in[k].tr, err);
	c.keys = o->flags & EXPORT_NO_REDACT ? NULL : &keys;
	sbuf_init(&c.text);
	sbuf_init(&c.name);
	sbuf_init(&c.brief);
	sbuf_init(&c.narration);
	if (rc == 0)
		sbuf_adds(out, "{\"traceEvents\":[");
	for (size_t k = 0; k < count && rc == 0; k++) {
		c.index = k;
		c.in = &in[k];
		rc = write_trace(&c, is_renumbered, err);
	}
	if (rc == 0)
		write_other_data(&c, is_renumbered);
	if (rc == 0 &&
	    (out->is_oom || c.text.is_oom || c.name.is_oom || c.brief.is_oom || c.narration.is_oom))
		rc = mp_err_set(err, "out of memory while writing Chrome trace events");
	sbuf_release(&c.text);
	sbuf_release(&c.name);
	sbuf_release(&c.brief);
	sbuf_release(&c.narration);
	export_keys_release(&keys);
	return rc;
}

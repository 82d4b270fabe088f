/*
 * html_data.c - the page's data: every trace's folded story told once, in
 * the replay's own words, so the player only looks things up. Per step: its
 * kind, the lanes it acts on, the payload in flight, the time, its brief
 * and narration, the acting process's descriptor rows, what each child has
 * got; per process: its lane, label and life. Payloads and descriptor
 * tables are stored once however many steps show them, and every string
 * once in one table (html_strings). Several traces are aligned as compare
 * mode aligns them. The shape is written down in docs/export-page.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/html_internal.h"
#include "replay/align.h"

static const char *const short_roles[ROLE_COUNT] = {
	[ROLE_MAIN] = "main",         [ROLE_CHILD] = "child",
	[ROLE_FORKSERVER] = "server", [ROLE_RESOURCE_TRACKER] = "tracker",
	[ROLE_MANAGER] = "manager",   [ROLE_OTHER] = "other",
};

enum step_flags {
	STEP_F_KEY = 1 << 0, /* a key moment: n / N stop here */
	STEP_F_WARN = 1 << 1, /* a failed pickle, an exit with a bad status */
};

/* What one export is building; every string goes into strs. */
struct page {
	struct replay *replays;
	size_t count;
	unsigned flags;
	const struct export_keys *keys; /* the authkeys the traces' payloads hold */
	struct html_strings strs;
	struct sbuf payloads; /* the P array's items */
	size_t payload_count;
	struct mp_err *err;
};

/* The process the resources panel follows at this step, as the screen's
 * does: a fork's child, a pickle's receiver, the receiver of descriptors
 * once it exists; else the process that acts. */
static int followed_pid(const struct replay *rp)
{
	const struct step *s = replay_current(rp);
	bool goes_to_peer =
		s->kind == STEP_FORK || s->kind == STEP_PICKLE_DUMP || s->kind == STEP_FDS_PASS;
	const struct proc_state *peer = goes_to_peer && s->peer ? replay_proc(rp, s->peer) : NULL;

	return peer && peer->is_started ? s->peer : s->pid;
}

static long lane_of(const struct replay *rp, int pid)
{
	const struct proc_state *ps = pid ? replay_proc(rp, pid) : NULL;

	return ps ? (long)ps->lane : -1;
}

static long add_sbuf(struct page *pg, const struct sbuf *t)
{
	return html_strings_add(&pg->strs, t->data ? t->data : "", t->len);
}

/* "PID ROLE" and what it runs, the screen's lane label; the child's own
 * method after it when the program used several. */
static long lane_label(struct page *pg, const struct replay *rp, const struct proc_state *ps)
{
	const char *methods[2];
	const char *own = replay_proc_method(rp, ps->proc);
	struct sbuf t;
	long id;

	sbuf_init(&t);
	replay_proc_label(rp, ps, &t);
	if (own && replay_methods(rp, methods, 2) > 1)
		sbuf_addf(&t, " (%s)", own);
	id = add_sbuf(pg, &t);
	sbuf_release(&t);
	return id;
}

/* The labels of every process, step by step: what a process runs changes
 * at its exec. Appends, per lane, [[step, label], ...] with a pair only
 * where the label changes. */
static int add_lanes(struct page *pg, struct replay *rp, struct sbuf *out)
{
	const struct trace *tr = rp->tr;
	size_t n = replay_step_count(rp), procs = tr->proc_count;
	long *last = malloc((procs ? procs : 1) * sizeof(*last));
	struct sbuf *changes = calloc(procs ? procs : 1, sizeof(*changes));
	int rc = 0;

	if (!last || !changes) {
		free(last);
		free(changes);
		return mp_err_set(pg->err, "out of memory while labelling the lanes");
	}
	for (size_t lane = 0; lane < procs; lane++) {
		last[lane] = -1;
		sbuf_init(&changes[lane]);
	}
	for (size_t k = 0; k < n; k++) {
		replay_seek(rp, k);
		for (size_t lane = 0; lane < procs; lane++) {
			const struct proc_state *ps = replay_lane(rp, lane);
			long id;

			if (!ps->is_started)
				continue;
			id = lane_label(pg, rp, ps);
			if (id != last[lane])
				sbuf_addf(&changes[lane], "%s[%zu,%ld]", last[lane] < 0 ? "" : ",",
					  k, id);
			last[lane] = id;
		}
	}
	sbuf_adds(out, "\"L\":[");
	for (size_t lane = 0; lane < procs; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		size_t i = (size_t)(ps->proc - tr->procs);
		size_t born = rp->born_step[i], end = rp->exit_step[i];

		sbuf_addf(out, "%s[%d,%ld,%d,[", lane ? "," : "", ps->proc->pid,
			  html_strings_adds(&pg->strs, short_roles[ps->proc->role]), ps->depth);
		sbuf_add(out, changes[lane].data ? changes[lane].data : "", changes[lane].len);
		sbuf_addf(out, "],%ld,%ld,%ld]", born == SIZE_MAX ? -1L : (long)born,
			  end == SIZE_MAX ? -1L : (long)end, lane_of(rp, ps->proc->ppid));
		if (changes[lane].is_oom)
			rc = mp_err_set(pg->err, "out of memory while labelling the lanes");
		sbuf_release(&changes[lane]);
	}
	sbuf_addc(out, ']');
	free(last);
	free(changes);
	return rc;
}

/* What each child has got by this step, one line each (compare mode's
 * wide form: "31587 got 2 pickles, 963 B, 6 fds kept at exec"). */
static long got_lines(struct page *pg, const struct replay *rp)
{
	static const char *const via[PASS_VIA_COUNT] = {
		[PASS_FORK] = " inherited",
		[PASS_EXEC] = " kept at exec",
		[PASS_SCM_RIGHTS] = " via socket",
		[PASS_RESOURCE_SHARER] = " via sharer",
	};
	struct replay_got got[16];
	size_t n = replay_children_got(rp, got, 16);
	struct sbuf t;
	long id;

	sbuf_init(&t);
	for (size_t i = 0; i < n && i < 16; i++) {
		const struct replay_got *g = &got[i];

		sbuf_addf(&t, "%s%d got ", i ? "\n" : "", g->pid);
		if (g->pickle_count) {
			sbuf_addf(&t, "%zu pickle%s, ", g->pickle_count,
				  g->pickle_count > 1 ? "s" : "");
			sbuf_add_size(&t, g->pickle_bytes);
		} else {
			sbuf_adds(&t, "no pickle");
		}
		if (g->has_fds)
			sbuf_addf(&t, ", %zu fds%s", g->fd_count,
				  g->has_via && g->via < PASS_VIA_COUNT ? via[g->via] : "");
	}
	if (n > 16)
		sbuf_addf(&t, "\n+%zu children", n - 16);
	id = add_sbuf(pg, &t);
	sbuf_release(&t);
	return id;
}

/* The payload of an event, stored once: its index in P. */
static long payload_index(struct page *pg, const struct replay *rp, const struct event *ev,
			  long *seen)
{
	size_t i = (size_t)(ev - rp->tr->events);

	if (seen[i] >= 0)
		return seen[i];
	if (pg->payload_count)
		sbuf_addc(&pg->payloads, ',');
	if (html_payload_json(ev, pg->flags, pg->keys, &pg->strs, &pg->payloads, pg->err) < 0)
		return -2;
	seen[i] = (long)pg->payload_count++;
	return seen[i];
}

/* The step's last field: the lanes that wrote (output), the exit status
 * (exit), or -1. */
static void add_extra(struct page *pg, const struct replay *rp, size_t k, const struct step *s,
		      unsigned *flags, struct sbuf *out)
{
	const struct event *ev = &rp->tr->events[s->ev];

	if (s->kind == STEP_OUTPUT) {
		int pids[16];
		size_t n = replay_output_pids(rp, k, pids, 16);

		sbuf_addc(out, '[');
		for (size_t i = 0; i < n && i < 16; i++)
			sbuf_addf(out, "%s%ld", i ? "," : "", lane_of(rp, pids[i]));
		sbuf_addc(out, ']');
	} else if (s->kind == STEP_EXIT && ev->kind == EV_EXIT) {
		char text[64];

		trace_exit_format(&ev->u.exit, EXIT_STATUS, text, sizeof(text));
		if (ev->u.exit.is_signal || ev->u.exit.code)
			*flags |= STEP_F_WARN;
		sbuf_addf(out, "%ld", html_strings_adds(&pg->strs, text));
	} else {
		sbuf_adds(out, "-1");
	}
}

/* One step: [kind, lane, peer lane, payload, time in 0.1 ms, brief,
 * narration, descriptor table, flags, extra, got]. */
static int add_step(struct page *pg, struct replay *rp, size_t k, long *seen,
		    struct html_strings *tables, struct sbuf *out)
{
	const struct step *s;
	struct sbuf t, extra;
	long payload = -1, brief, narr, table;
	unsigned flags = 0;
	int rc = 0;

	replay_seek(rp, k);
	s = replay_current(rp);
	if (rp->payload && (payload = payload_index(pg, rp, rp->payload, seen)) < -1)
		return -1;
	sbuf_init(&t);
	sbuf_init(&extra);
	replay_brief(rp, k, &t);
	brief = add_sbuf(pg, &t);
	sbuf_clear(&t);
	replay_narrate(rp, k, &t);
	narr = add_sbuf(pg, &t);
	sbuf_clear(&t);
	if (html_fds_json(rp, followed_pid(rp), &pg->strs, &t, pg->err) < 0)
		rc = -1;
	table = html_strings_add(tables, t.data ? t.data : "null", t.data ? t.len : 4);
	if (story_step_is_key(rp->tr, s))
		flags |= STEP_F_KEY;
	if (rp->tr->event_count && (s->kind == STEP_PICKLE_DUMP || s->kind == STEP_PICKLE_LOAD) &&
	    rp->tr->events[s->ev].u.pickle.error)
		flags |= STEP_F_WARN;
	if (rp->tr->event_count)
		add_extra(pg, rp, k, s, &flags, &extra);
	else
		sbuf_adds(&extra, "-1");
	sbuf_addf(out, "%s[%d,%ld,%ld,%ld,%lld,%ld,%ld,%ld,%u,", k ? "," : "", (int)s->kind,
		  lane_of(rp, s->pid), lane_of(rp, s->peer), payload,
		  (long long)((replay_time(rp) + 50000) / 100000), brief, narr, table, flags);
	sbuf_add(out, extra.data ? extra.data : "-1", extra.data ? extra.len : 2);
	sbuf_addf(out, ",%ld]", got_lines(pg, rp));
	if (t.is_oom || extra.is_oom || pg->strs.is_oom || tables->is_oom)
		rc = mp_err_set(pg->err, "out of memory while telling step %zu", k + 1);
	sbuf_release(&t);
	sbuf_release(&extra);
	return rc;
}

/* Appends the F array: each descriptor table once, as the JSON it is. */
static void add_tables(const struct html_strings *tables, struct sbuf *out)
{
	sbuf_adds(out, "\"F\":[");
	for (size_t i = 0; i < tables->count; i++) {
		size_t end =
			i + 1 < tables->count ? tables->starts[i + 1] - 1 : tables->text.len - 1;

		if (i)
			sbuf_addc(out, ',');
		sbuf_add(out, tables->text.data + tables->starts[i], end - tables->starts[i]);
	}
	sbuf_addc(out, ']');
}

static int add_steps(struct page *pg, struct replay *rp, struct sbuf *out)
{
	struct html_strings tables;
	long *seen = malloc((rp->tr->event_count ? rp->tr->event_count : 1) * sizeof(*seen));
	int rc = 0;

	if (!seen)
		return mp_err_set(pg->err, "out of memory while telling the story");
	for (size_t i = 0; i < rp->tr->event_count; i++)
		seen[i] = -1;
	html_strings_init(&tables);
	sbuf_adds(out, "\"K\":[");
	for (size_t k = 0; k < replay_step_count(rp) && rc == 0; k++)
		rc = add_step(pg, rp, k, seen, &tables, out);
	sbuf_adds(out, "],");
	add_tables(&tables, out);
	html_strings_release(&tables);
	free(seen);
	return rc;
}

/* What tells the traces apart, as compare mode titles its columns. */
static long column_title(struct page *pg, const struct replay *rp)
{
	char buf[160];

	replay_column_title(pg->replays, pg->count, rp, buf, sizeof(buf));
	return html_strings_adds(&pg->strs, buf);
}

/* The methods the program used, "fork+spawn", for the status line. */
static long methods_text(struct page *pg, const struct replay *rp)
{
	const char *methods[4];
	size_t n = replay_methods(rp, methods, 4);
	struct sbuf t;
	long id;

	sbuf_init(&t);
	for (size_t i = 0; i < n && i < 4; i++)
		sbuf_addf(&t, "%s%s", i ? "+" : "", methods[i]);
	if (!n)
		sbuf_adds(&t, rp->tr->meta.method ? rp->tr->meta.method : "?");
	id = add_sbuf(pg, &t);
	sbuf_release(&t);
	return id;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "trace";
}

static int add_trace(struct page *pg, size_t c, const struct export_input *in, struct sbuf *out)
{
	struct replay *rp = &pg->replays[c];

	sbuf_addf(out, "%s{\"n\":%ld,\"c\":%ld,\"m\":%ld,\"pr\":%ld,\"py\":%ld,", c ? "," : "",
		  html_strings_adds(&pg->strs, in->name ? base_name(in->name) : "trace"),
		  column_title(pg, rp), methods_text(pg, rp),
		  html_strings_adds(&pg->strs, base_name(rp->tr->meta.program)),
		  html_strings_adds(&pg->strs, rp->tr->meta.python ? rp->tr->meta.python : ""));
	if (add_lanes(pg, rp, out) < 0)
		return -1;
	sbuf_addc(out, ',');
	if (add_steps(pg, rp, out) < 0)
		return -1;
	sbuf_addc(out, '}');
	return 0;
}

/* The aligned rows (A) and, per trace, where `m` goes in the next one
 * (M): compare mode's alignment of the folded stories. */
static int add_alignment(struct page *pg, struct sbuf *out)
{
	struct alignment al;

	if (replay_align(pg->replays, pg->count, &al, pg->err) < 0)
		return -1;
	sbuf_adds(out, ",\"A\":[");
	for (size_t r = 0; r < al.row_count; r++) {
		sbuf_addf(out, "%s[", r ? "," : "");
		for (size_t c = 0; c < al.col_count; c++) {
			size_t k = alignment_at(&al, r, c);

			sbuf_addf(out, "%s%ld", c ? "," : "", k == ALIGN_GAP ? -1L : (long)k);
		}
		sbuf_addc(out, ']');
	}
	sbuf_adds(out, "],\"M\":[");
	for (size_t c = 0; c < pg->count; c++) {
		sbuf_addf(out, "%s[", c ? "," : "");
		for (size_t k = 0; k < replay_step_count(&pg->replays[c]); k++)
			sbuf_addf(out, "%s%zu", k ? "," : "",
				  replay_match_step(pg->replays, &al, c, k, (c + 1) % pg->count));
		sbuf_addc(out, ']');
	}
	sbuf_addc(out, ']');
	alignment_release(&al);
	return 0;
}

static void add_words(struct sbuf *out)
{
	sbuf_adds(out, "\"k\":[");
	for (int k = 0; k < STEP_KIND_COUNT; k++)
		sbuf_addf(out, "%s\"%s\"", k ? "," : "", step_kind_name((enum step_kind)k));
	sbuf_adds(out, "],\"hw\":[");
	for (int h = 0; h < FD_HOW_COUNT; h++)
		sbuf_addf(out, "%s\"%s\"", h ? "," : "", replay_fd_how_word((enum fd_how)h));
	sbuf_adds(out, "],");
}

/* What every trace shares, said once: " · spawn", " · python 3.11.7". */
static long shared_text(struct page *pg)
{
	char buf[160];

	replay_shared_text(pg->replays, pg->count, buf, sizeof(buf));
	return html_strings_adds(&pg->strs, buf);
}

/* What compare mode says where a trace has no such step: the screen's
 * words, but for traces of one method under several Pythons, where it is
 * the Python that differs. */
static const char *gap_sentence(const struct page *pg)
{
	if (replay_all_share(pg->replays, pg->count, false) &&
	    !replay_all_share(pg->replays, pg->count, true))
		return "This trace has no such step: nothing like it happens under this Python.";
	return "This trace has no such step: nothing like it happens under this method.";
}

int html_page_data(struct replay *replays, size_t count, const struct export_input *in,
		   const struct export_opts *o, struct sbuf *out, struct mp_err *err)
{
	struct page pg = { .replays = replays, .count = count, .flags = o->flags, .err = err };
	struct export_keys keys;
	struct sbuf body;
	size_t start = out->len;
	int rc = 0;

	if (count == 0)
		return mp_err_set(err, "no trace to export");
	/* A key the decoder finds in one payload may sit in another's bytes in
	 * a form it does not walk to, or in printed output: every form of it
	 * goes, from the payloads before they are encoded and from all else. */
	export_keys_init(&keys);
	pg.keys = &keys;
	for (size_t c = 0; c < count && rc == 0 && !(o->flags & EXPORT_NO_REDACT); c++)
		rc = export_keys_collect(&keys, replays[c].tr, err);
	if (rc < 0) {
		export_keys_release(&keys);
		return -1;
	}
	/* The story the page tells is the folded one, as compare mode and
	 * lessons show it: the bookkeeping rides with the step before it. */
	for (size_t c = 0; c < count; c++)
		if (replay_set_folded(&replays[c], true, err) < 0)
			return -1;
	html_strings_init(&pg.strs);
	sbuf_init(&pg.payloads);
	sbuf_init(&body);
	add_words(&body);
	sbuf_addf(&body, "\"title\":%ld,\"sh\":%ld,\"gap\":%ld,\"T\":[",
		  html_strings_adds(&pg.strs,
				    o->title ? o->title : base_name(replays[0].tr->meta.program)),
		  shared_text(&pg), html_strings_adds(&pg.strs, gap_sentence(&pg)));
	for (size_t c = 0; c < count && rc == 0; c++)
		rc = add_trace(&pg, c, &in[c], &body);
	sbuf_addc(&body, ']');
	if (rc == 0 && count > 1)
		rc = add_alignment(&pg, &body);
	if (rc == 0) {
		sbuf_adds(out, "{\"v\":1,");
		sbuf_add(out, body.data, body.len);
		sbuf_adds(out, ",\"P\":[");
		sbuf_add(out, pg.payloads.data ? pg.payloads.data : "", pg.payloads.len);
		sbuf_adds(out, "],\"S\":");
		html_strings_json(&pg.strs, out);
		sbuf_addc(out, '}');
		if (body.is_oom || pg.payloads.is_oom || pg.strs.is_oom || out->is_oom)
			rc = mp_err_set(err, "out of memory while writing the page's data");
	}
	/* The payloads' bytes were scrubbed before encoding, so this touches
	 * only text: output, command lines, names. */
	if (rc == 0 && out->len > start)
		export_keys_scrub(&keys, out->data + start, out->len - start);
	sbuf_release(&body);
	sbuf_release(&pg.payloads);
	html_strings_release(&pg.strs);
	export_keys_release(&keys);
	return rc;
}

/*
 * test_export.c - the export formats over every fixture and recorded
 * trace: chrome read back as JSON (every process named, arrows that join
 * real processes forward in time and pair up, microseconds, one track at a
 * time in order), text (every step, in the words replay_narrate says them),
 * json (the loader reads it back; --no-payloads keeps sizes and names),
 * and the format table. The authkey is test_export_keys.c's.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "common/utf8.h"
#include "export/export.h"
#include "json/trace_json.h"
#include "replay/replay.h"

#define LESSON1 "traces/01-what-gets-pickled."
#define PID_STRIDE 4194304

static void load(const char *path, struct trace *tr)
{
	struct mp_err err;

	trace_init(tr);
	if (trace_json_load(path, tr, &err) < 0)
		fail_msg("%s", err.msg);
}

static void export_to(const char *format, const struct export_input *in, size_t count,
		      unsigned flags, struct sbuf *out)
{
	const struct export_format *f = export_format_find(format);
	struct export_opts o = { .flags = flags };
	struct mp_err err = { { 0 } };

	assert_non_null(f);
	sbuf_init(out);
	if (f->write(in, count, &o, out, &err) < 0)
		fail_msg("-f %s: %s", format, err.msg);
	assert_false(out->is_oom);
}

/* Calls fn for every trace file of a folder. */
static size_t each_trace(const char *dir, void (*fn)(const char *path))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512];
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fn(path);
		n++;
	}
	closedir(d);
	return n;
}

/* ---- chrome ---- */

static cJSON *field(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

static double num(const cJSON *o, const char *name)
{
	const cJSON *v = field(o, name);

	if (!cJSON_IsNumber(v))
		fail_msg("\"%s\" is not a number", name);
	return v->valuedouble;
}

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *v = field(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The dumps that load as the same bytes: same sender, receiver and size,
 * first come first paired - counted the slow, obvious way. */
static size_t pickle_pairs(const struct trace *tr)
{
	bool *used = calloc(tr->event_count + 1, sizeof(*used));
	size_t n = 0;

	assert_non_null(used);
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ld = &tr->events[i];

		if (ld->kind != EV_PICKLE_LOAD || !ld->u.pickle.peer)
			continue;
		for (size_t d = 0; d < i; d++) {
			const struct event *dp = &tr->events[d];

			if (used[d] || dp->kind != EV_PICKLE_DUMP || dp->u.pickle.error ||
			    dp->pid != ld->u.pickle.peer || dp->u.pickle.peer != ld->pid ||
			    dp->u.pickle.size != ld->u.pickle.size)
				continue;
			used[d] = true;
			n++;
			break;
		}
	}
	free(used);
	return n;
}

struct flow {
	double out_ts;
	long out_pid;
	size_t outs, ins;
	const char *cat;
};

/* What Perfetto's and catapult's importers need of a trace, checked on
 * the parsed export of traces in[0..count). */
static void check_chrome(const cJSON *root, const struct trace *traces, size_t count)
{
	const cJSON *events = field(root, "traceEvents"), *e;
	size_t n = cJSON_GetArraySize(events), procs = 0, pickle_flows = 0, want_pickles = 0;
	struct flow *flows = calloc(n + 1, sizeof(*flows));
	long *named = calloc(n + 1, sizeof(*named));
	size_t named_count = 0;
	/* Per track, the last ts and where its slices end. */
	struct track {
		long pid;
		double last, life_end, slice_end;
	} *tracks = calloc(n + 1, sizeof(*tracks));
	size_t track_count = 0;

	assert_true(cJSON_IsArray(events));
	assert_non_null(flows);
	assert_non_null(named);
	assert_non_null(tracks);
	cJSON_ArrayForEach(e, events)
	{
		const char *ph = str(e, "ph");
		long pid = (long)num(e, "pid");
		struct track *t = NULL;
		double ts, end;

		assert_non_null(ph);
		if (strcmp(ph, "M") == 0) {
			if (strcmp(str(e, "name"), "process_name") == 0) {
				assert_true(strlen(str(field(e, "args"), "name")) > 0);
				named[named_count++] = pid;
			}
			continue;
		}
		assert_true(strchr("XiC", ph[0]) != NULL);
		ts = num(e, "ts");
		if (ph[0] == 'C')
			continue;
		assert_int_equal((long)num(e, "tid"), pid);
		assert_string_equal(ph[0] == 'i' ? str(e, "s") : "t", "t");
		for (size_t i = 0; i < track_count && !t; i++)
			if (tracks[i].pid == pid)
				t = &tracks[i];
		end = ts + (ph[0] == 'X' ? num(e, "dur") : 0);
		if (!t) {
			/* A track opens with its process's lifetime... */
			t = &tracks[track_count++];
			*t = (struct track){ pid, ts, end, ts };
			assert_string_equal(ph, "X");
			assert_string_equal(str(e, "cat"), "process");
			continue;
		}
		/* ...which every later mark nests in, in time order, and no
		 * two slices of a track overlap. */
		assert_true(ts > t->last);
		assert_true(ts >= t->slice_end);
		assert_true(end < t->life_end);
		t->last = ts;
		t->slice_end = end;
		if (field(e, "bind_id")) {
			size_t id = (size_t)num(e, "bind_id");

			assert_string_equal(ph, "X");
			assert_true(id > 0 && id <= n);
			if (cJSON_IsTrue(field(e, "flow_out"))) {
				flows[id].outs++;
				flows[id].out_ts = ts;
				flows[id].out_pid = pid;
				flows[id].cat = str(e, "cat");
			} else {
				assert_true(cJSON_IsTrue(field(e, "flow_in")));
				/* An arrow runs forward, from another process. */
				assert_int_equal(flows[id].outs, 1);
				assert_true(ts > flows[id].out_ts);
				assert_true(pid != flows[id].out_pid);
				flows[id].ins++;
			}
		}
	}
	for (size_t id = 1; id <= n; id++) {
		assert_true(flows[id].outs <= 1);
		if (flows[id].outs)
			assert_true(flows[id].ins >= 1);
		pickle_flows += flows[id].outs && strcmp(flows[id].cat, "pickle") == 0;
	}
	/* Every process of every trace is there, under its own pid. */
	for (size_t k = 0; k < count; k++) {
		for (size_t p = 0; p < traces[k].proc_count; p++) {
			long pid = (long)k * PID_STRIDE + traces[k].procs[p].pid;
			bool is_named = false;

			for (size_t i = 0; i < named_count; i++)
				is_named |= named[i] == pid;
			if (!is_named)
				fail_msg("process %ld of trace %zu has no name", pid, k);
		}
		procs += traces[k].proc_count;
		want_pickles += pickle_pairs(&traces[k]);
	}
	assert_int_equal(named_count, procs);
	assert_int_equal(pickle_flows, want_pickles);
	free(flows);
	free(named);
	free(tracks);
}

static void check_chrome_file(const char *path)
{
	struct trace tr;
	struct export_input in;
	struct sbuf out;
	cJSON *root;

	load(path, &tr);
	in = (struct export_input){ &tr, path };
	export_to("chrome", &in, 1, 0, &out);
	root = cJSON_ParseWithLength(out.data, out.len);
	if (!root)
		fail_msg("%s: the chrome export is not JSON near '%.40s'", path,
			 cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "");
	check_chrome(root, &tr, 1);
	cJSON_Delete(root);
	sbuf_release(&out);
	trace_release(&tr);
}

static void chrome_reads_back_for_every_trace(void **state)
{
	(void)state;
	assert_true(each_trace("tests/fixtures/replay", check_chrome_file) >= 10);
	assert_true(each_trace("traces", check_chrome_file) >= 30);
	assert_true(each_trace("tests/fixtures/traces", check_chrome_file) >= 1);
}

/* Microseconds: the root's lifetime starts at its start / 1000, a fork
 * arrow joins the parent's slice to its child's, and a pickle's arrow
 * says what the screen says of it. */
static void chrome_says_what_happened_in_microseconds(void **state)
{
	struct trace tr;
	struct export_input in;
	struct sbuf out;
	cJSON *root, *e;
	bool has_process_arrow = false, has_lifetime = false;

	(void)state;
	load(LESSON1 "spawn.json", &tr);
	in = (struct export_input){ &tr, "01-what-gets-pickled.spawn.json" };
	export_to("chrome", &in, 1, 0, &out);
	root = cJSON_ParseWithLength(out.data, out.len);
	assert_non_null(root);
	cJSON_ArrayForEach(e, field(root, "traceEvents"))
	{
		const cJSON *args = field(e, "args");
		const char *name = str(e, "name");

		if (strcmp(str(e, "ph"), "X") == 0 && (int)num(e, "pid") == trace_root(&tr)->pid &&
		    strcmp(str(e, "cat"), "process") == 0 && strncmp(name, "main ", 5) == 0) {
			assert_float_equal(num(e, "ts"), (double)trace_root(&tr)->start / 1000,
					   1e-9);
			assert_string_equal(str(args, "exit"), "exit 0");
			has_lifetime = true;
		}
		if (name && strcmp(name, "pickle process") == 0) {
			assert_true(cJSON_IsTrue(field(e, "flow_out")));
			assert_int_equal((int)num(args, "size"), 344);
			assert_string_equal(str(args, "type"), "Process");
			assert_string_equal(str(args, "what"), "process");
			assert_string_equal(str(args, "reference"), "__main__.f");
			assert_string_equal(str(args, "authkey"), "hidden");
			assert_non_null(strstr(str(args, "narration"), "by reference"));
		}
		if (name && strncmp(name, "started by ", 11) == 0)
			has_process_arrow = cJSON_IsTrue(field(e, "flow_in"));
	}
	assert_true(has_lifetime);
	assert_true(has_process_arrow);
	cJSON_Delete(root);
	sbuf_release(&out);
	trace_release(&tr);
}

/* Pickles counted, not kept: an instant each at the process's end with
 * what, op, count and size; each lifetime's totals add the kept and the
 * counted. */
static void chrome_counts_what_was_not_kept(void **state)
{
	struct trace tr;
	struct export_input in;
	struct sbuf out;
	cJSON *root, *e;
	size_t instants = 0, lifetimes = 0;

	(void)state;
	load("tests/fixtures/replay/pool-counted.fork.json", &tr);
	in = (struct export_input){ &tr, "pool-counted.fork.json" };
	export_to("chrome", &in, 1, 0, &out);
	root = cJSON_ParseWithLength(out.data, out.len);
	assert_non_null(root);
	cJSON_ArrayForEach(e, field(root, "traceEvents"))
	{
		const cJSON *args = field(e, "args");
		const char *name = str(e, "name");

		if (strcmp(str(e, "ph"), "X") == 0 && field(args, "ppid")) {
			/* 3 kept and 19,965 counted each way in each process. */
			assert_int_equal((long)num(args, "pickled"), 3 + 19965);
			assert_int_equal((long)num(args, "unpickled"), 3 + 19965);
			lifetimes++;
		}
		if (!name || strcmp(name, "19,965 more pool tasks unpickled (counted, not kept)"))
			continue;
		assert_string_equal(str(e, "ph"), "i");
		assert_string_equal(str(e, "cat"), "pickle");
		assert_int_equal((int)num(e, "pid"), 5201);
		assert_string_equal(str(args, "what"), "pool_task");
		assert_string_equal(str(args, "op"), "load");
		assert_int_equal((long)num(args, "count"), 19965);
		assert_int_equal((long)num(args, "size"), 1697025);
		assert_string_equal(str(args, "brief"), "5201 counted 39,930 more pickles, 2.3 MB");
		assert_non_null(
			strstr(str(args, "narration"), "were counted, not kept one by one"));
		instants++;
	}
	assert_int_equal(lifetimes, 2);
	assert_int_equal(instants, 1);
	cJSON_Delete(root);
	sbuf_release(&out);
	trace_release(&tr);
}

static void chrome_puts_several_traces_side_by_side(void **state)
{
	static const char *const methods[] = { "fork", "spawn", "forkserver" };
	struct trace tr[3];
	struct export_input in[3];
	struct sbuf out;
	cJSON *root;

	(void)state;
	for (int k = 0; k < 3; k++) {
		char path[128];

		snprintf(path, sizeof(path), LESSON1 "%s.json", methods[k]);
		load(path, &tr[k]);
		in[k] = (struct export_input){ &tr[k], methods[k] };
	}
	export_to("chrome", in, 3, 0, &out);
	root = cJSON_ParseWithLength(out.data, out.len);
	assert_non_null(root);
	check_chrome(root, tr, 3);
	assert_int_equal(cJSON_GetArraySize(field(field(root, "otherData"), "traces")), 3);
	/* A process's name says which trace it is of. */
	assert_non_null(strstr(out.data, "\"name\":\"forkserver · forkserver: "));
	cJSON_Delete(root);
	sbuf_release(&out);
	for (int k = 0; k < 3; k++)
		trace_release(&tr[k]);
}

/* ---- text ---- */

/* Text as a transcript shows it, without white space (wrapping moves
 * and adds line breaks): what a terminal must not get raw is '?'. */
static char *collapse(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0, i = 0;

	assert_non_null(out);
	while (i < len) {
		size_t k = utf8_valid_prefix((const unsigned char *)s + i, len - i);
		bool is_space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';

		if (is_space) {
			i++;
			continue;
		}
		if (utf8_is_unsafe((const unsigned char *)s + i, k)) {
			out[n++] = '?';
		} else {
			memcpy(out + n, s + i, k);
			n += k;
		}
		i += k ? k : 1;
	}
	out[n] = '\0';
	return out;
}

static size_t max_line(const struct sbuf *s)
{
	size_t longest = 0, col = 0;

	for (size_t i = 0; i < s->len; i++) {
		if (s->data[i] == '\n')
			col = 0;
		else if (((unsigned char)s->data[i] & 0xC0) != 0x80 && ++col > longest)
			longest = col;
	}
	return longest;
}

static void check_text_file(const char *path)
{
	struct trace tr;
	struct replay rp;
	struct export_input in;
	struct sbuf out, words;
	char *text;
	size_t keys = 0, marks = 0;

	load(path, &tr);
	in = (struct export_input){ &tr, path };
	export_to("text", &in, 1, 0, &out);
	text = collapse(out.data, out.len);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	sbuf_init(&words);
	for (size_t k = 0; k < replay_step_count(&rp); k++) {
		char head[64];
		char *said;

		replay_seek(&rp, k);
		snprintf(head, sizeof(head), "step%zu/%zut=", k + 1, replay_step_count(&rp));
		if (!strstr(text, head))
			fail_msg("%s: no '%s' in the transcript", path, head);
		sbuf_clear(&words);
		replay_narrate(&rp, k, &words);
		said = collapse(words.data ? words.data : "", words.len);
		/* Clean text: a fixture's hostile bytes come out as '?'. */
		if (!strstr(text, said))
			fail_msg("%s: step %zu's narration is not in the transcript: %s", path,
				 k + 1, said);
		free(said);
		keys += story_step_is_key(&tr, &rp.story.steps[k]);
	}
	for (const char *p = out.data; (p = strstr(p, "\n* step ")) != NULL; p++)
		marks++;
	marks += strncmp(out.data, "* step ", 7) == 0;
	assert_int_equal(marks, keys);
	if (max_line(&out) > EXPORT_TEXT_COLUMNS)
		fail_msg("%s: a line of the transcript is longer than %d columns", path,
			 EXPORT_TEXT_COLUMNS);
	/* Safe to cat: no escape sequences, no control characters. */
	for (size_t i = 0; i < out.len; i++)
		assert_true(out.data[i] == '\n' || (unsigned char)out.data[i] >= 0x20);
	sbuf_release(&words);
	replay_release(&rp);
	free(text);
	sbuf_release(&out);
	trace_release(&tr);
}

static void text_tells_every_step_in_the_screens_words(void **state)
{
	(void)state;
	assert_true(each_trace("tests/fixtures/replay", check_text_file) >= 10);
	assert_true(each_trace("traces", check_text_file) >= 30);
}

static void text_tells_several_traces_one_after_another(void **state)
{
	static const char *const names[] = { "01-what-gets-pickled.fork.json",
					     "01-what-gets-pickled.spawn.json",
					     "01-what-gets-pickled.forkserver.json" };
	struct trace tr[3];
	struct export_input in[3];
	struct sbuf out;
	const char *t1, *t2, *t3;

	(void)state;
	for (int k = 0; k < 3; k++) {
		char path[128];

		snprintf(path, sizeof(path), "traces/%s", names[k]);
		load(path, &tr[k]);
		in[k] = (struct export_input){ &tr[k], names[k] };
	}
	export_to("text", in, 3, 0, &out);
	t1 = strstr(out.data, "trace 1 of 3: 01-what-gets-pickled.fork.json\n");
	t2 = strstr(out.data, "trace 2 of 3: 01-what-gets-pickled.spawn.json\n");
	t3 = strstr(out.data, "trace 3 of 3: 01-what-gets-pickled.forkserver.json\n");
	assert_true(t1 && t2 && t3 && t1 < t2 && t2 < t3);
	/* The spawn trace's process object, with its payload's facts. */
	assert_non_null(strstr(t2, "payload 344 B · Process · → __main__.f by reference"));
	assert_true(max_line(&out) <= EXPORT_TEXT_COLUMNS);
	sbuf_release(&out);
	for (int k = 0; k < 3; k++)
		trace_release(&tr[k]);
}

/* The header says what was kept and how many more were counted; the
 * counted steps tell them. */
static void text_says_what_was_counted(void **state)
{
	struct trace tr;
	struct export_input in;
	struct sbuf out;

	(void)state;
	load("tests/fixtures/replay/pool-counted.fork.json", &tr);
	in = (struct export_input){ &tr, "pool-counted.fork.json" };
	export_to("text", &in, 1, 0, &out);
	assert_non_null(strstr(out.data,
			       "\npickles    kept the first 3 of each kind per process; "
			       "79,860 more were only\n           counted (the steps "
			       "\"counted\")\n"));
	assert_non_null(strstr(out.data,
			       "* step 6/9  t=1.9 ms  5201 counted 39,930 more pickles, "
			       "2.3 MB\n    19,965 more pool tasks unpickled by 5201 and "
			       "19,965 more pool results\n"));
	sbuf_release(&out);
	trace_release(&tr);
}

/* ---- json ---- */

static void json_round_trips_through_the_loader(void **state)
{
	struct trace tr, back;
	struct export_input in;
	struct sbuf out;
	struct mp_err err;

	(void)state;
	load("tests/fixtures/replay/classic.spawn.json", &tr);
	in = (struct export_input){ &tr, "classic.spawn.json" };
	export_to("json", &in, 1, 0, &out);
	trace_init(&back);
	if (trace_json_load_buffer("export.json", out.data, out.len, &back, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.proc_count, tr.proc_count);
	assert_int_equal(back.event_count, tr.event_count);
	for (size_t i = 0; i < tr.event_count; i++) {
		assert_int_equal(back.events[i].kind, tr.events[i].kind);
		assert_int_equal(back.events[i].t, tr.events[i].t);
		if (tr.events[i].kind == EV_PICKLE_DUMP && tr.events[i].u.pickle.bytes) {
			assert_int_equal(back.events[i].u.pickle.bytes_len,
					 tr.events[i].u.pickle.bytes_len);
			assert_memory_equal(back.events[i].u.pickle.bytes,
					    tr.events[i].u.pickle.bytes,
					    tr.events[i].u.pickle.bytes_len);
		}
	}
	sbuf_release(&out);
	trace_release(&back);
	trace_release(&tr);
}

static void json_without_payloads_keeps_sizes_and_names(void **state)
{
	struct trace tr, back;
	struct export_input in;
	struct sbuf out;
	struct mp_err err;
	size_t pickles = 0;

	(void)state;
	load(LESSON1 "spawn.json", &tr);
	in = (struct export_input){ &tr, "spawn.json" };
	export_to("json", &in, 1, EXPORT_NO_PAYLOADS, &out);
	trace_init(&back);
	if (trace_json_load_buffer("export.json", out.data, out.len, &back, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < tr.event_count; i++) {
		const struct event *a = &tr.events[i], *b = &back.events[i];

		if (a->kind != EV_PICKLE_DUMP && a->kind != EV_PICKLE_LOAD)
			continue;
		pickles++;
		assert_null(b->u.pickle.bytes);
		assert_int_equal(b->u.pickle.size, a->u.pickle.size);
		assert_int_equal(b->u.pickle.global_count, a->u.pickle.global_count);
		for (size_t g = 0; g < a->u.pickle.global_count; g++)
			assert_string_equal(b->u.pickle.globals[g].name,
					    a->u.pickle.globals[g].name);
	}
	assert_true(pickles >= 8);
	sbuf_release(&out);
	trace_release(&back);
	trace_release(&tr);
}

static void json_takes_one_trace(void **state)
{
	struct trace tr;
	struct export_input in[2];
	struct export_opts o = { 0 };
	struct sbuf out;
	struct mp_err err;
	const struct export_format *f = export_format_find("json");

	(void)state;
	load("tests/fixtures/replay/classic.fork.json", &tr);
	in[0] = in[1] = (struct export_input){ &tr, "classic.fork.json" };
	assert_int_equal(f->max_traces, 1);
	sbuf_init(&out);
	assert_int_equal(f->write(in, 2, &o, &out, &err), -1);
	assert_string_equal(err.msg, "-f json writes one trace at a time; 2 were given");
	sbuf_release(&out);
	trace_release(&tr);
}

/* ---- the table ---- */

static void every_format_has_a_row(void **state)
{
	const struct export_format *f;
	size_t n = export_formats(&f);

	(void)state;
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(export_format_find(f[i].name), &f[i]);
		assert_non_null(f[i].write);
		assert_true(strlen(f[i].ext) > 0 && f[i].ext[0] != '.');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(f[i].name, f[j].name);
	}
	assert_null(export_format_find("pdf"));
	assert_string_equal(export_format_find("chrome")->ext, "chrome.json");
	assert_string_equal(export_format_find("text")->ext, "txt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chrome_reads_back_for_every_trace),
		cmocka_unit_test(chrome_says_what_happened_in_microseconds),
		cmocka_unit_test(chrome_counts_what_was_not_kept),
		cmocka_unit_test(chrome_puts_several_traces_side_by_side),
		cmocka_unit_test(text_tells_every_step_in_the_screens_words),
		cmocka_unit_test(text_tells_several_traces_one_after_another),
		cmocka_unit_test(text_says_what_was_counted),
		cmocka_unit_test(json_round_trips_through_the_loader),
		cmocka_unit_test(json_without_payloads_keeps_sizes_and_names),
		cmocka_unit_test(json_takes_one_trace),
		cmocka_unit_test(every_format_has_a_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

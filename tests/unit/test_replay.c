/*
 * test_replay.c - the replay engine: which events become steps, the state
 * at step N as a pure function of the trace and N, play and speed, and
 * narration that matches the CPython 3.11 facts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures/replay/builder.h"
#include "replay/align.h"
#include "replay/replay.h"

static void narrate(const struct replay *rp, size_t k, char *buf, size_t len)
{
	struct sbuf sb;

	sbuf_init(&sb);
	replay_narrate(rp, k, &sb);
	assert_false(sb.is_oom);
	snprintf(buf, len, "%s", sb.data ? sb.data : "");
	sbuf_release(&sb);
}

static long find_step(const struct replay *rp, enum step_kind kind)
{
	for (size_t k = 0; k < replay_step_count(rp); k++)
		if (rp->story.steps[k].kind == kind)
			return (long)k;
	return -1;
}

static void spawn_story_folds_noise_and_joins_writes(void **state)
{
	static const enum step_kind want[] = {
		STEP_START,      STEP_METHOD,   STEP_PICKLE_DUMP, STEP_FORK,
		STEP_EXEC,       STEP_FDS_PASS, STEP_IMPORT_MAIN, STEP_PICKLE_LOAD,
		STEP_FIND_CLASS, STEP_OUTPUT,   STEP_EXIT,        STEP_EXIT,
	};
	struct trace tr;
	struct replay rp;

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_step_count(&rp), sizeof(want) / sizeof(want[0]));
	for (size_t k = 0; k < replay_step_count(&rp); k++)
		assert_int_equal(rp.story.steps[k].kind, want[k]);
	/* Three writes of one print are one step; two lookups are one step. */
	assert_int_equal(rp.story.steps[9].member_count, 3);
	assert_int_equal(rp.story.steps[8].member_count, 2);
	replay_release(&rp);
	trace_release(&tr);
}

/* Lessons, exports and --print name a step by kind: "exit:2". */
static void steps_found_by_name(void **state)
{
	struct trace tr;
	struct replay rp;
	struct mp_err err;
	size_t k = 0;

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(story_find_named(&rp.story, "exec", &k, &err), 0);
	assert_int_equal(k, 4);
	assert_int_equal(story_find_named(&rp.story, "exit:2", &k, &err), 0);
	assert_int_equal(k, 11);
	assert_int_equal(story_find_named(&rp.story, "exit:3", &k, &err), -1);
	assert_string_equal(err.msg, "'exit:3': the story has 2 such steps");
	assert_int_equal(story_find_named(&rp.story, "exit:0", &k, &err), -1);
	assert_string_equal(err.msg, "'exit:0': N must be a number from 1");
	assert_int_equal(story_find_named(&rp.story, "exit:-1", &k, &err), -1);
	assert_int_equal(story_find_named(&rp.story, "nothing", &k, &err), -1);
	replay_release(&rp);
	trace_release(&tr);
}

static void fork_story_has_no_pickle(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	long k;

	(void)state;
	assert_int_equal(builder_classic(&tr, "fork"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_step_count(&rp), 6);
	assert_int_equal(find_step(&rp, STEP_PICKLE_DUMP), -1);
	k = find_step(&rp, STEP_FORK);
	narrate(&rp, (size_t)k, text, sizeof(text));
	assert_non_null(
		strstr(text, "Nothing was pickled to start 101: the child is a copy of 100"));
	/* The parent had three threads: the multithreaded-fork hazard is named. */
	replay_seek(&rp, (size_t)k);
	narrate(&rp, (size_t)k, text, sizeof(text));
	assert_non_null(strstr(text, "100 had 3 threads"));
	replay_release(&rp);
	trace_release(&tr);
}

static void spawn_narration_tells_reference_and_reimport(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, (size_t)find_step(&rp, STEP_PICKLE_DUMP), text, sizeof(text));
	assert_non_null(strstr(text, "100 pickled the process object (a Process, 344 B) for 101."));
	assert_non_null(
		strstr(text, "__main__.f is stored by reference (module and name), not as code"));
	narrate(&rp, (size_t)find_step(&rp, STEP_IMPORT_MAIN), text, sizeof(text));
	assert_non_null(strstr(text, "101 re-imported example.py as __mp_main__"));
	narrate(&rp, (size_t)find_step(&rp, STEP_FIND_CLASS), text, sizeof(text));
	assert_non_null(
		strstr(text, "101 looked up multiprocessing.context.Process, __main__.f by name"));
	narrate(&rp, (size_t)find_step(&rp, STEP_FDS_PASS), text, sizeof(text));
	assert_non_null(strstr(text,
			       "Closed at exec: 9 (/home/student/notes.txt). A spawned child "
			       "gets only the standard streams and the descriptors "
			       "multiprocessing passes."));
	narrate(&rp, (size_t)find_step(&rp, STEP_OUTPUT), text, sizeof(text));
	assert_string_equal(text, "101 printed: hello world! 1");
	replay_release(&rp);
	trace_release(&tr);
}

static void assert_same_state(const struct replay *a, const struct replay *b)
{
	assert_int_equal(a->step, b->step);
	assert_ptr_equal(a->payload, b->payload);
	for (size_t i = 0; i < a->tr->proc_count; i++) {
		const struct proc_state *x = &a->procs[i], *y = &b->procs[i];

		assert_int_equal(x->is_started, y->is_started);
		assert_int_equal(x->has_exited, y->has_exited);
		assert_ptr_equal(x->fds, y->fds);
		assert_ptr_equal(x->exec, y->exec);
		assert_ptr_equal(x->exec_pass, y->exec_pass);
		assert_int_equal(x->thread_count, y->thread_count);
		assert_int_equal(x->rss, y->rss);
	}
}

static void state_at_step_is_pure(void **state)
{
	struct trace tr;
	struct replay walked, jumped;

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(replay_init(&walked, &tr, NULL), 0);
	assert_int_equal(replay_init(&jumped, &tr, NULL), 0);
	walked.checkpoint_every = 3; /* many checkpoints in a small trace */
	/* Walk to the end and back one by one; every step must equal a fresh
	 * replay that jumped straight there. */
	for (size_t k = 0; k < replay_step_count(&walked); k++) {
		replay_seek(&walked, k);
		replay_release(&jumped);
		assert_int_equal(replay_init(&jumped, &tr, NULL), 0);
		replay_seek(&jumped, k);
		assert_same_state(&walked, &jumped);
	}
	for (size_t k = replay_step_count(&walked); k-- > 0;) {
		replay_seek(&walked, k);
		replay_seek(&jumped, replay_step_count(&jumped) - 1);
		replay_seek(&jumped, k);
		assert_same_state(&walked, &jumped);
	}
	/* At the exec step the child's table is not the parent's any more. */
	replay_seek(&walked, (size_t)find_step(&walked, STEP_FDS_PASS));
	assert_non_null(replay_proc(&walked, 101)->exec_pass);
	assert_int_equal(replay_proc(&walked, 101)->fds->u.fds.fd_count, 3);
	replay_release(&walked);
	replay_release(&jumped);
	trace_release(&tr);
}

static void pool_tasks_group_and_expand(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	long g;

	(void)state;
	assert_int_equal(builder_pool(&tr, 12), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* start, fork, one group of 12 tasks (36 events), two exits */
	assert_int_equal(replay_step_count(&rp), 5);
	g = find_step(&rp, STEP_PICKLE_GROUP);
	assert_int_equal(g, 2);
	assert_int_equal(rp.story.steps[g].member_count, 36);
	narrate(&rp, (size_t)g, text, sizeof(text));
	assert_non_null(strstr(text, "24 pickles of pool tasks"));
	assert_non_null(strstr(text, "under every start method"));
	replay_seek(&rp, (size_t)g);
	assert_int_equal(replay_toggle_group(&rp, NULL), 0);
	assert_int_equal(rp.step, 2);
	/* each task: dump, load, lookup */
	assert_int_equal(replay_step_count(&rp), 4 + 36);
	replay_seek(&rp, 7);
	assert_int_equal(replay_toggle_group(&rp, NULL), 0);
	assert_int_equal(replay_step_count(&rp), 5);
	assert_int_equal(rp.step, 2);
	replay_release(&rp);
	trace_release(&tr);
}

/* What a process counted and did not keep is one step at its end, told in
 * the words every view uses, with the policy and how to keep them all. */
static void counted_pickles_are_a_step_at_each_end(void **state)
{
	/* Each process's counts share the instant of its exit and come
	 * right after it. */
	static const enum step_kind want[] = {
		STEP_START,          STEP_FORK, STEP_PICKLE_GROUP,   STEP_EXIT,
		STEP_PICKLE_SUMMARY, STEP_EXIT, STEP_PICKLE_SUMMARY,
	};
	struct trace tr;
	struct replay rp;
	struct sbuf brief;
	struct replay_got got[2];
	char text[1024];
	size_t k;

	(void)state;
	assert_int_equal(builder_pool_counted(&tr, 3, 19968, true), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_true(rp.has_counted);
	assert_int_equal(replay_step_count(&rp), 7);
	for (k = 0; k < replay_step_count(&rp); k++)
		assert_int_equal(rp.story.steps[k].kind, want[k]);
	assert_int_equal(story_find_named(&rp.story, "counted:2", &k, NULL), 0);
	assert_int_equal(k, 6);
	assert_int_equal(rp.story.steps[4].pid, 201);
	assert_int_equal(rp.story.steps[4].member_count, 2);
	assert_true(story_step_is_key(&tr, &rp.story.steps[4]));
	narrate(&rp, 4, text, sizeof(text));
	assert_string_equal(text,
			    "19,968 more pool tasks unpickled by 201 and 19,968 more pool results "
			    "pickled (2.6 MB in all) were counted, not kept one by one: mpscope "
			    "kept the first 3 of each kind per process (mpscope run "
			    "--all-payloads keeps every one).");
	sbuf_init(&brief);
	replay_brief(&rp, 6, &brief);
	assert_string_equal(brief.data, "200 counted 39,936 more pickles, 2.6 MB");
	sbuf_release(&brief);
	/* What the child got: its kept loads and the ones it only counted. */
	replay_seek(&rp, 3);
	assert_int_equal(replay_children_got(&rp, got, 2), 1);
	assert_int_equal(got[0].pickle_count, 3);
	replay_seek(&rp, 4);
	assert_int_equal(replay_children_got(&rp, got, 2), 1);
	assert_int_equal(got[0].pickle_count, 3 + 19968);
	assert_int_equal(got[0].pickle_bytes, 3 * 100 + 19968 * 100);
	/* Folded, the counts stay steps of their own. */
	assert_int_equal(replay_set_folded(&rp, true, NULL), 0);
	assert_int_equal(find_step(&rp, STEP_PICKLE_SUMMARY), 4);
	replay_release(&rp);
	trace_release(&tr);
}

/* A trace that counted but does not say its policy still says why. */
static void counted_without_policy_says_the_first_ones(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	assert_int_equal(builder_pool_counted(&tr, 1, 1, false), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, (size_t)find_step(&rp, STEP_PICKLE_SUMMARY), text, sizeof(text));
	assert_string_equal(text,
			    "1 more pool task unpickled by 201 and 1 more pool result pickled "
			    "(130 B in all) were counted, not kept one by one: mpscope kept only "
			    "the first ones of each kind per process (mpscope run --all-payloads "
			    "keeps every one).");
	replay_release(&rp);
	trace_release(&tr);
}

static void play_advances_one_step_per_beat(void **state)
{
	struct trace tr;
	struct replay rp;

	(void)state;
	assert_int_equal(builder_classic(&tr, "fork"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_false(replay_tick(&rp, 5000)); /* paused: time does not move */
	replay_toggle_play(&rp);
	replay_tick(&rp, REPLAY_BEAT_MS / 2);
	assert_int_equal(rp.step, 0);
	assert_true(replay_tick(&rp, REPLAY_BEAT_MS / 2 + 1));
	assert_int_equal(rp.step, 1);
	replay_change_speed(&rp, +1); /* 2x: a beat in half the time */
	replay_tick(&rp, REPLAY_BEAT_MS / 2 + 1);
	assert_int_equal(rp.step, 2);
	replay_tick(&rp, 1e9); /* plays to the end and stops there */
	assert_int_equal(rp.step, replay_step_count(&rp) - 1);
	assert_false(rp.is_playing);
	for (int i = 0; i < 20; i++)
		replay_change_speed(&rp, -1);
	assert_true(replay_speed(&rp) > 0.2 && replay_speed(&rp) < 0.3);
	replay_release(&rp);
	trace_release(&tr);
}

static void fork_and_spawn_align_on_shared_steps(void **state)
{
	struct trace tr[2];
	struct replay rp[2];
	struct alignment al;
	size_t gaps = 0, full = 0;

	(void)state;
	assert_int_equal(builder_classic(&tr[0], "fork"), 0);
	assert_int_equal(builder_classic(&tr[1], "spawn"), 0);
	assert_int_equal(replay_init(&rp[0], &tr[0], NULL), 0);
	assert_int_equal(replay_init(&rp[1], &tr[1], NULL), 0);
	assert_int_equal(replay_align(rp, 2, &al, NULL), 0);
	/* Every fork step is matched; spawn's extra steps are rows with a gap. */
	assert_int_equal(al.row_count, replay_step_count(&rp[1]));
	for (size_t r = 0; r < al.row_count; r++) {
		if (alignment_at(&al, r, 0) == ALIGN_GAP)
			gaps++;
		else
			full++;
		if (alignment_at(&al, r, 0) != ALIGN_GAP && alignment_at(&al, r, 1) != ALIGN_GAP)
			assert_int_equal(rp[0].story.steps[alignment_at(&al, r, 0)].kind,
					 rp[1].story.steps[alignment_at(&al, r, 1)].kind);
	}
	assert_int_equal(full, replay_step_count(&rp[0]));
	assert_int_equal(gaps, replay_step_count(&rp[1]) - replay_step_count(&rp[0]));
	alignment_release(&al);
	replay_release(&rp[0]);
	replay_release(&rp[1]);
	trace_release(&tr[0]);
	trace_release(&tr[1]);
}

static void empty_trace_has_one_step(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[256];

	(void)state;
	trace_init(&tr);
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_step_count(&rp), 1);
	replay_step_by(&rp, 5);
	replay_step_by(&rp, -9);
	narrate(&rp, 0, text, sizeof(text));
	assert_string_equal(text, "The trace has no events to tell.");
	replay_release(&rp);
	trace_release(&tr);
}

/* Two forked children printing at once interleave the writes of their
 * print() calls; the story tells the run as one step, and the narration puts
 * each child's line back together. */
static void interleaved_writes_are_one_step_per_run(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	struct sbuf brief;
	long k;

	(void)state;
	trace_init(&tr);
	builder_t = 0;
	tr.meta.method = "fork";
	builder_proc(&tr, 300, 1, ROLE_MAIN, false);
	builder_ev(&tr, 300, EV_PROC_START, (struct event){ 0 });
	builder_proc(&tr, 301, 300, ROLE_CHILD, false);
	builder_ev(&tr, 300, EV_FORK, (struct event){ .u.fork = { 301, VIA_FORK } });
	builder_proc(&tr, 302, 300, ROLE_CHILD, false);
	builder_ev(&tr, 300, EV_FORK, (struct event){ .u.fork = { 302, VIA_FORK } });
	builder_output(&tr, 301, "hello world!");
	builder_output(&tr, 302, "hello world!");
	builder_output(&tr, 301, " ");
	builder_output(&tr, 301, "0");
	builder_output(&tr, 302, " ");
	builder_output(&tr, 301, "\n");
	builder_output(&tr, 302, "1");
	builder_output(&tr, 302, "\n");
	builder_ev(&tr, 301, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	builder_ev(&tr, 302, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* start, fork, fork, output, exit, exit */
	assert_int_equal(replay_step_count(&rp), 6);
	k = find_step(&rp, STEP_OUTPUT);
	assert_int_equal(k, 3);
	assert_int_equal(rp.story.steps[k].member_count, 8);
	narrate(&rp, (size_t)k, text, sizeof(text));
	assert_non_null(strstr(text, "301 printed: hello world! 0\n302 printed: hello world! 1\n"));
	assert_non_null(strstr(text, "their writes interleaved"));
	sbuf_init(&brief);
	replay_brief(&rp, (size_t)k, &brief);
	assert_string_equal(brief.data, "301 out hello world! 0 · 302 out hello world! 1");
	sbuf_release(&brief);
	replay_release(&rp);
	trace_release(&tr);
}

/* A line that another step interrupted is told whole at the step where it
 * began, and only said to be finished at the step of its last writes. */
static void interrupted_line_is_finished_whole(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	trace_init(&tr);
	builder_t = 0;
	tr.meta.method = "fork";
	builder_proc(&tr, 500, 1, ROLE_MAIN, false);
	builder_ev(&tr, 500, EV_PROC_START, (struct event){ 0 });
	builder_proc(&tr, 501, 500, ROLE_CHILD, false);
	builder_ev(&tr, 500, EV_FORK, (struct event){ .u.fork = { 501, VIA_FORK } });
	builder_output(&tr, 501, "done\nhello from");
	builder_ev(&tr, 500, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	builder_output(&tr, 501, " 501");
	builder_output(&tr, 501, "\n");
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* start, fork, output, exit, output */
	assert_int_equal(replay_step_count(&rp), 5);
	narrate(&rp, 2, text, sizeof(text));
	assert_string_equal(text, "501 printed: done\nhello from 501");
	narrate(&rp, 4, text, sizeof(text));
	assert_string_equal(text,
			    "501 finished the line it began at step 3 (one print() is "
			    "several writes, and other events came between them).");
	replay_release(&rp);
	trace_release(&tr);
}

/* Who chose the start method: the program, `mpscope run -m`, or the
 * platform's default; the narration must say which is true. */
static void method_narration_says_who_chose_it(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	for (size_t i = 0; i < tr.event_count; i++)
		if (tr.events[i].kind == EV_START_METHOD)
			tr.events[i].u.start_method.is_explicit = false;
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, (size_t)find_step(&rp, STEP_METHOD), text, sizeof(text));
	assert_non_null(strstr(text, "100 uses the spawn start method (the default here)."));
	tr.meta.requested_method = "spawn";
	narrate(&rp, (size_t)find_step(&rp, STEP_METHOD), text, sizeof(text));
	assert_non_null(
		strstr(text, "100 uses the spawn start method (set by mpscope run -m spawn)."));
	replay_release(&rp);
	trace_release(&tr);
}

/* Under forkserver the fresh interpreter is the server's exec; under spawn
 * it is each child's. Compare mode puts the two on one row. */
static void forkserver_exec_aligns_with_spawn_exec(void **state)
{
	struct trace tr[2];
	struct replay rp[2];
	struct alignment al;
	size_t exec_rows = 0;

	(void)state;
	for (int i = 0; i < 2; i++) {
		bool is_server = i == 1;

		trace_init(&tr[i]);
		builder_t = 0;
		tr[i].meta.method = is_server ? "forkserver" : "spawn";
		builder_proc(&tr[i], 400, 1, ROLE_MAIN, false);
		builder_ev(&tr[i], 400, EV_PROC_START, (struct event){ 0 });
		builder_proc(&tr[i], 401, 400, is_server ? ROLE_FORKSERVER : ROLE_CHILD, true);
		builder_ev(&tr[i], 400, EV_FORK, (struct event){ .u.fork = { 401, VIA_VFORK } });
		builder_ev(&tr[i], 401, EV_EXEC,
			   (struct event){
				   .u.exec = { "/usr/bin/python3", { builder_spawn_argv, 3 } } });
		if (is_server) {
			builder_proc(&tr[i], 402, 401, ROLE_CHILD, true);
			builder_ev(&tr[i], 401, EV_FORK,
				   (struct event){ .u.fork = { 402, VIA_FORK } });
		}
		builder_output(&tr[i], is_server ? 402 : 401, "hi\n");
		assert_int_equal(trace_finish(&tr[i], NULL), 0);
		assert_int_equal(replay_init(&rp[i], &tr[i], NULL), 0);
	}
	assert_int_equal(replay_align(rp, 2, &al, NULL), 0);
	for (size_t r = 0; r < al.row_count; r++) {
		size_t a = alignment_at(&al, r, 0), b = alignment_at(&al, r, 1);

		if (a != ALIGN_GAP && rp[0].story.steps[a].kind == STEP_EXEC) {
			assert_true(b != ALIGN_GAP);
			assert_int_equal(rp[1].story.steps[b].kind, STEP_EXEC);
			exec_rows++;
		}
	}
	assert_int_equal(exec_rows, 1);
	alignment_release(&al);
	for (int i = 0; i < 2; i++) {
		replay_release(&rp[i]);
		trace_release(&tr[i]);
	}
}

/* ---- key moments, the fold, keeping the place, payload facts ---- */

/* spawn with multiprocessing's bookkeeping: main 300 starts the resource
 * tracker 301 (fork, inherited fds, exec, kept fds), then child 302 (a
 * pickle for it, its fork and inherited fds, its exec and kept fds); the
 * tracker exits last. */
static struct fd_entry tracker_fds[] = {
	{ .fd = 0, .type = FD_TTY, .target = "/dev/pts/0", .as_fd = -1 },
	{ .fd = 5, .type = FD_PIPE, .target = "pipe:[77]", .is_cloexec = true, .as_fd = -1 },
};

static void tracker_pass(struct trace *tr, int pid, int to, enum pass_via via)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.u.fds_pass.via = via;
	ev.u.fds_pass.to = to;
	ev.u.fds_pass.fds = tracker_fds;
	ev.u.fds_pass.fd_count = via == PASS_EXEC ? 1 : 2;
	ev.u.fds_pass.pickle_seq = -1;
	builder_ev(tr, pid, EV_FDS_PASS, ev);
}

static void build_with_tracker(struct trace *tr)
{
	struct event ev;

	trace_init(tr);
	builder_t = 0;
	tr->meta.method = "spawn";
	builder_proc(tr, 300, 1, ROLE_MAIN, false);
	builder_proc(tr, 301, 300, ROLE_RESOURCE_TRACKER, true);
	builder_proc(tr, 302, 300, ROLE_CHILD, true);
	builder_ev(tr, 300, EV_PROC_START, (struct event){ 0 });
	builder_ev(tr, 300, EV_START_METHOD, (struct event){ .u.start_method = { "spawn", true } });
	builder_ev(tr, 300, EV_FORK, (struct event){ .u.fork = { 301, VIA_VFORK } });
	tracker_pass(tr, 300, 301, PASS_FORK);
	builder_ev(tr, 301, EV_EXEC,
		   (struct event){ .u.exec = { "/usr/bin/python3", { builder_spawn_argv, 3 } } });
	tracker_pass(tr, 301, 301, PASS_EXEC);
	memset(&ev, 0, sizeof(ev));
	ev.u.pickle.size = 344;
	ev.u.pickle.what = "process";
	ev.u.pickle.peer = 302;
	ev.u.pickle.globals = builder_globals;
	ev.u.pickle.global_count = 2;
	builder_ev(tr, 300, EV_PICKLE_DUMP, ev);
	builder_ev(tr, 300, EV_FORK, (struct event){ .u.fork = { 302, VIA_VFORK } });
	builder_ev(tr, 302, EV_FDS, (struct event){ .u.fds = { FDS_AT_FORK, tracker_fds, 2 } });
	tracker_pass(tr, 300, 302, PASS_FORK);
	builder_ev(tr, 302, EV_EXEC,
		   (struct event){ .u.exec = { "/usr/bin/python3", { builder_spawn_argv, 3 } } });
	builder_ev(tr, 302, EV_FDS, (struct event){ .u.fds = { FDS_AT_EXEC, tracker_fds, 1 } });
	tracker_pass(tr, 302, 302, PASS_EXEC);
	ev.u.pickle.peer = 300;
	builder_ev(tr, 302, EV_PICKLE_LOAD, ev);
	builder_ev(tr, 302, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	builder_ev(tr, 300, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	builder_ev(tr, 301, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	assert_int_equal(trace_finish(tr, NULL), 0);
}

static void key_moments_are_forks_execs_and_pickles(void **state)
{
	struct trace tr;
	struct replay rp;
	size_t k, keys = 0;

	(void)state;
	build_with_tracker(&tr);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	for (k = 0; k < replay_step_count(&rp); k++) {
		const struct step *s = &rp.story.steps[k];
		bool is_tracker = s->pid == 301 || s->peer == 301;
		bool want = !is_tracker &&
			(s->kind == STEP_FORK || s->kind == STEP_EXEC ||
			 s->kind == STEP_PICKLE_DUMP || s->kind == STEP_PICKLE_LOAD);

		assert_int_equal(story_step_is_key(&tr, s), want);
		keys += want;
	}
	assert_int_equal(keys, 4); /* pickle, fork, exec, unpickle of 302; none of 301 */
	/* n from the start lands on the pickle, then the child's fork... */
	k = story_next_key(&rp.story, &tr, 0, +1);
	assert_int_equal(rp.story.steps[k].kind, STEP_PICKLE_DUMP);
	k = story_next_key(&rp.story, &tr, k, +1);
	assert_int_equal(rp.story.steps[k].kind, STEP_FORK);
	assert_int_equal(rp.story.steps[k].peer, 302);
	/* ...N from there goes back to the pickle; nothing before it. */
	k = story_next_key(&rp.story, &tr, k, -1);
	assert_int_equal(rp.story.steps[k].kind, STEP_PICKLE_DUMP);
	assert_int_equal(story_next_key(&rp.story, &tr, k, -1), SIZE_MAX);
	k = story_next_key(&rp.story, &tr, replay_step_count(&rp) - 1, -1);
	assert_int_equal(rp.story.steps[k].kind, STEP_PICKLE_LOAD);
	assert_int_equal(story_next_key(&rp.story, &tr, k, +1), SIZE_MAX);
	replay_release(&rp);
	trace_release(&tr);
}

/* Folded, the tracker's steps and the fds a fork or exec step already
 * shows are not steps any more, but their state still applies. */
static void fold_hides_bookkeeping_and_keeps_its_state(void **state)
{
	static const enum step_kind folded[] = {
		STEP_START, STEP_METHOD,      STEP_PICKLE_DUMP, STEP_FORK,
		STEP_EXEC,  STEP_PICKLE_LOAD, STEP_EXIT,        STEP_EXIT,
	};
	struct trace tr;
	struct replay rp;
	size_t all, exec;
	long fork;

	(void)state;
	build_with_tracker(&tr);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	all = replay_step_count(&rp);
	assert_int_equal(all, 15);
	replay_seek(&rp, 4); /* the tracker's exec: folded, it rides on "method" */
	assert_int_equal(rp.story.steps[4].kind, STEP_EXEC);
	assert_int_equal(replay_set_folded(&rp, true, NULL), 0);
	assert_true(rp.story.is_folded);
	assert_int_equal(replay_step_count(&rp), sizeof(folded) / sizeof(folded[0]));
	assert_int_equal(rp.story.folded_count, all - replay_step_count(&rp));
	for (size_t k = 0; k < replay_step_count(&rp); k++)
		assert_int_equal(rp.story.steps[k].kind, folded[k]);
	assert_int_equal(rp.step, 1);
	/* The tracker's lane is there from the step that holds its fork. */
	assert_true(replay_proc(&rp, 301)->is_started);
	assert_int_equal(rp.born_step[1], 1);
	/* The fork step shows the child's fds as they came (the pass rode
	 * with it); the exec step what the exec kept. */
	fork = find_step(&rp, STEP_FORK);
	replay_seek(&rp, (size_t)fork);
	assert_non_null(replay_proc(&rp, 302)->pass_in);
	assert_int_equal(replay_proc(&rp, 302)->pass_in->u.fds_pass.via, PASS_FORK);
	exec = (size_t)find_step(&rp, STEP_EXEC);
	replay_seek(&rp, exec);
	assert_non_null(replay_proc(&rp, 302)->exec_pass);
	/* Unfolding stays at the same moment: the exec of 302. */
	assert_int_equal(replay_set_folded(&rp, false, NULL), 0);
	assert_int_equal(replay_step_count(&rp), all);
	assert_int_equal(rp.story.steps[rp.step].kind, STEP_EXEC);
	assert_int_equal(rp.story.steps[rp.step].pid, 302);
	assert_int_equal(story_step_of_event(&rp.story, rp.story.steps[rp.step].ev), rp.step);
	replay_release(&rp);
	trace_release(&tr);
}

/* The tracker dying of a signal is not bookkeeping: it stays a step. */
static void fold_keeps_an_abnormal_exit(void **state)
{
	struct trace tr;
	struct replay rp;

	(void)state;
	build_with_tracker(&tr);
	tr.events[tr.event_count - 1].u.exit =
		(struct exit_status){ .is_signal = true, .signal = 9 };
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_set_folded(&rp, true, NULL), 0);
	assert_int_equal(rp.story.steps[replay_step_count(&rp) - 1].pid, 301);
	replay_release(&rp);
	trace_release(&tr);
}

/* Two small stories whose pickles do not align (what they pickle differs,
 * so does the signature): the pickle still finds the pickle of the same
 * rank; a step the other trace has nothing like falls back to the row
 * above. */
static void build_pickles(struct trace *tr, const char *what, bool has_exec)
{
	struct event ev;

	trace_init(tr);
	builder_t = 0;
	tr->meta.method = "spawn";
	builder_proc(tr, 500, 1, ROLE_MAIN, false);
	builder_proc(tr, 501, 500, ROLE_CHILD, true);
	builder_ev(tr, 500, EV_PROC_START, (struct event){ 0 });
	memset(&ev, 0, sizeof(ev));
	ev.u.pickle.size = 100;
	ev.u.pickle.what = what;
	ev.u.pickle.peer = 501;
	builder_ev(tr, 500, EV_PICKLE_DUMP, ev);
	builder_ev(tr, 500, EV_PICKLE_DUMP, ev);
	builder_ev(tr, 500, EV_FORK, (struct event){ .u.fork = { 501, VIA_VFORK } });
	if (has_exec)
		builder_ev(tr, 501, EV_EXEC,
			   (struct event){
				   .u.exec = { "/usr/bin/python3", { builder_spawn_argv, 3 } } });
	builder_ev(tr, 501, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	assert_int_equal(trace_finish(tr, NULL), 0);
}

static void match_step_keeps_the_moment(void **state)
{
	struct trace tr[2];
	struct replay rp[2];
	struct alignment al;
	size_t r;

	(void)state;
	build_pickles(&tr[0], "process", true);
	build_pickles(&tr[1], "other", false);
	for (int i = 0; i < 2; i++)
		assert_int_equal(replay_init(&rp[i], &tr[i], NULL), 0);
	assert_int_equal(replay_align(rp, 2, &al, NULL), 0);
	/* Steps: start, pickle, pickle, fork, [exec], exit. The fork is on one
	 * row in both: the same step. */
	assert_int_equal(replay_match_step(rp, &al, 0, 3, 1), 3);
	/* The pickles are on rows of their own: the second pickle matches the
	 * second pickle, by kind and rank. */
	r = alignment_row_of(&al, 0, 2);
	assert_int_equal(alignment_at(&al, r, 1), ALIGN_GAP);
	assert_int_equal(replay_match_step(rp, &al, 0, 2, 1), 2);
	assert_int_equal(replay_match_step(rp, &al, 1, 1, 0), 1);
	/* The exec has nothing like it in the other trace: the row above. */
	assert_int_equal(rp[0].story.steps[4].kind, STEP_EXEC);
	assert_int_equal(replay_match_step(rp, &al, 0, 4, 1), 3);
	r = alignment_row_of(&al, 0, 4);
	assert_int_equal(alignment_step_near(&al, r, 1), 3);
	assert_int_equal(replay_match_step(rp, &al, 0, 4, 0), 4);
	alignment_release(&al);
	for (int i = 0; i < 2; i++) {
		replay_release(&rp[i]);
		trace_release(&tr[i]);
	}
}

/* Compare mode's facts: the first name of the program's own in a payload,
 * what each child got by the step. */
static void payload_facts_for_compare(void **state)
{
	struct trace tr[2];
	struct replay rp[2];
	struct replay_got got[4];
	const struct global_ref *g;

	(void)state;
	assert_int_equal(builder_classic(&tr[0], "spawn"), 0);
	assert_int_equal(builder_classic(&tr[1], "fork"), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(replay_init(&rp[i], &tr[i], NULL), 0);
	replay_seek(&rp[0], (size_t)find_step(&rp[0], STEP_PICKLE_DUMP));
	g = replay_payload_ref(rp[0].payload);
	assert_non_null(g);
	assert_string_equal(g->module, "__main__");
	assert_string_equal(g->name, "f");
	assert_null(replay_payload_ref(&tr[0].events[0]));
	/* Before the child exists there is nobody to have got anything. */
	replay_seek(&rp[0], 0);
	assert_int_equal(replay_children_got(&rp[0], got, 4), 0);
	replay_seek(&rp[0], replay_step_count(&rp[0]) - 1);
	assert_int_equal(replay_children_got(&rp[0], got, 4), 1);
	assert_int_equal(got[0].pid, 101);
	assert_int_equal(got[0].pickle_count, 1);
	assert_int_equal(got[0].pickle_bytes, 344);
	assert_int_equal(got[0].fd_count, 3);
	assert_true(got[0].has_via);
	assert_int_equal(got[0].via, PASS_EXEC);
	/* Under fork the child read no pickle: it is a copy. */
	replay_seek(&rp[1], replay_step_count(&rp[1]) - 1);
	assert_int_equal(replay_children_got(&rp[1], got, 4), 1);
	assert_int_equal(got[0].pickle_count, 0);
	assert_int_equal(got[0].fd_count, 4);
	for (int i = 0; i < 2; i++) {
		replay_release(&rp[i]);
		trace_release(&tr[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spawn_story_folds_noise_and_joins_writes),
		cmocka_unit_test(fork_story_has_no_pickle),
		cmocka_unit_test(steps_found_by_name),
		cmocka_unit_test(spawn_narration_tells_reference_and_reimport),
		cmocka_unit_test(state_at_step_is_pure),
		cmocka_unit_test(pool_tasks_group_and_expand),
		cmocka_unit_test(counted_pickles_are_a_step_at_each_end),
		cmocka_unit_test(counted_without_policy_says_the_first_ones),
		cmocka_unit_test(play_advances_one_step_per_beat),
		cmocka_unit_test(fork_and_spawn_align_on_shared_steps),
		cmocka_unit_test(empty_trace_has_one_step),
		cmocka_unit_test(interleaved_writes_are_one_step_per_run),
		cmocka_unit_test(interrupted_line_is_finished_whole),
		cmocka_unit_test(method_narration_says_who_chose_it),
		cmocka_unit_test(forkserver_exec_aligns_with_spawn_exec),
		cmocka_unit_test(key_moments_are_forks_execs_and_pickles),
		cmocka_unit_test(fold_hides_bookkeeping_and_keeps_its_state),
		cmocka_unit_test(fold_keeps_an_abnormal_exit),
		cmocka_unit_test(match_step_keeps_the_moment),
		cmocka_unit_test(payload_facts_for_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

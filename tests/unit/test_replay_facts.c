/*
 * test_replay_facts.c - what the screen says must be what happened (issue
 * 13): descriptor rows of one moment, what a descriptor and a process are
 * called, narration that fits each child's start method, output as it was
 * printed, the program's own imports. The traces are built in C
 * (tests/fixtures/replay/builder.h), with and without the fields recorded
 * traces gained for this.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures/replay/builder.h"
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

/* The nth step (from 1) of a kind. */
static size_t nth_step(const struct replay *rp, enum step_kind kind, int nth)
{
	for (size_t k = 0; k < replay_step_count(rp); k++)
		if (rp->story.steps[k].kind == kind && --nth == 0)
			return k;
	fail_msg("no step %d of kind %s", nth, step_kind_name(kind));
	return 0;
}

static const struct fd_row *row_of(const struct fd_rows *r, int fd, enum fd_how how)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->rows[i].fd == fd && r->rows[i].how == how)
			return &r->rows[i];
	return NULL;
}

/* Every row of every process at every step pairs one object. */
static void assert_rows_pair_one_object(const struct trace *tr)
{
	struct mp_err err = { { 0 } };

	if (replay_check_fd_rows(tr, &err) < 0)
		fail_msg("%s", err.msg);
}

/* ---- 3. descriptor rows of one moment ---- */

/* traces/01 fork step 4 showed `4 pipe 2872409 | pipe 2871974 ◄ fork`:
 * the parent's table of the second fork beside the first child's. */
static void fork_rows_pair_the_table_of_the_fork(void **state)
{
	struct trace tr;
	struct replay rp;
	struct fd_rows rows;
	const struct fd_row *r4;
	size_t k;

	(void)state;
	assert_int_equal(builder_fork_two(&tr), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	fd_rows_init(&rows);
	k = nth_step(&rp, STEP_FDS_PASS, 1);
	replay_seek(&rp, k);
	/* The parent's newest table is the second fork's... */
	assert_string_equal(trace_fd_find(replay_proc(&rp, 400)->fds->u.fds.fds,
					  replay_proc(&rp, 400)->fds->u.fds.fd_count, 4)
				    ->target,
			    "pipe:[409]");
	/* ...but 401's rows pair what 401 got at its own fork. */
	assert_int_equal(replay_fd_rows(&rp, 401, &rows, NULL), 0);
	assert_int_equal(rows.parent_pid, 400);
	assert_int_equal(rows.count, 7);
	r4 = row_of(&rows, 4, FD_HOW_FORK);
	assert_non_null(r4);
	assert_string_equal(r4->parent->target, "pipe:[74]");
	assert_string_equal(r4->child->target, "pipe:[74]");
	assert_true(r4->is_step);
	assert_int_equal(rows.first_step_row, 0);
	assert_null(row_of(&rows, 7, FD_HOW_FORK));
	/* The second child pairs the second table. */
	replay_seek(&rp, replay_step_count(&rp) - 1);
	assert_int_equal(replay_fd_rows(&rp, 402, &rows, NULL), 0);
	assert_string_equal(row_of(&rows, 4, FD_HOW_FORK)->parent->target, "pipe:[409]");
	assert_int_equal(rows.count, 9);
	assert_rows_pair_one_object(&tr);
	fd_rows_release(&rows);
	replay_release(&rp);
	trace_release(&tr);
}

/* traces/01 forkserver: fd 8 was sent, the parent column showed the pipe
 * main had under 8 at the server's fork. Received descriptors pair what
 * the pass named, under the sender's number. */
static void socket_rows_pair_what_the_pass_named(void **state)
{
	struct trace tr;
	struct replay rp;
	struct fd_rows rows;
	const struct fd_row *r;
	size_t scm;

	(void)state;
	assert_int_equal(builder_forkserver(&tr, false), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	fd_rows_init(&rows);
	scm = nth_step(&rp, STEP_FDS_PASS, 5); /* fork, exec, fork, exec, scm */
	assert_int_equal(tr.events[rp.story.steps[scm].ev].u.fds_pass.via, PASS_SCM_RIGHTS);
	replay_seek(&rp, scm);
	/* The server's next table is not recorded yet: the pass says what it
	 * got. */
	assert_int_equal(replay_fd_rows(&rp, 501, &rows, NULL), 0);
	assert_int_equal(rows.parent_pid, 500);
	r = row_of(&rows, 10, FD_HOW_SOCKET);
	assert_non_null(r);
	assert_int_equal(r->parent->fd, 8);
	assert_string_equal(r->parent->target, "pipe:[95]");
	assert_string_equal(r->child->target, "pipe:[95]");
	assert_int_equal(r->from, 500);
	assert_true(r->is_step);
	assert_int_equal(rows.first_step_row, (size_t)(r - rows.rows));
	/* Main had pipe 92 under 8 at the server's fork: the exec closed it. */
	r = row_of(&rows, 8, FD_HOW_CLOSED);
	assert_non_null(r);
	assert_string_equal(r->parent->target, "pipe:[92]");
	assert_false(r->is_step);
	assert_non_null(row_of(&rows, 3, FD_HOW_KEPT));
	/* Once the server's table shows them, the same pairing. */
	replay_seek(&rp, nth_step(&rp, STEP_FORK, 3));
	assert_int_equal(replay_fd_rows(&rp, 501, &rows, NULL), 0);
	r = row_of(&rows, 11, FD_HOW_SOCKET);
	assert_non_null(r);
	assert_int_equal(r->parent->fd, 7);
	assert_string_equal(r->parent->target, "pipe:[94]");
	/* The server's child pairs the server's table at its fork. */
	assert_int_equal(replay_fd_rows(&rp, 502, &rows, NULL), 0);
	assert_int_equal(rows.parent_pid, 501);
	assert_string_equal(row_of(&rows, 10, FD_HOW_FORK)->parent->target, "pipe:[95]");
	assert_rows_pair_one_object(&tr);
	replay_release(&rp);
	trace_release(&tr);

	/* traces/03: the pass recorded before the server's exec. What it gave
	 * under 10 replaces the /dev/null the server's table at its fork had
	 * there; the parent's /dev/null stays, alone on its side. */
	assert_int_equal(builder_forkserver(&tr, true), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	scm = nth_step(&rp, STEP_FDS_PASS, 4); /* tracker fork, exec, server fork, scm */
	assert_int_equal(tr.events[rp.story.steps[scm].ev].u.fds_pass.via, PASS_SCM_RIGHTS);
	replay_seek(&rp, scm);
	assert_int_equal(replay_fd_rows(&rp, 501, &rows, NULL), 0);
	r = row_of(&rows, 10, FD_HOW_SOCKET);
	assert_non_null(r);
	assert_string_equal(r->child->target, "pipe:[95]");
	assert_null(row_of(&rows, 10, FD_HOW_FORK));
	r = row_of(&rows, 10, FD_HOW_UNKNOWN);
	assert_non_null(r);
	assert_null(r->child);
	assert_string_equal(r->parent->target, "/dev/null");
	assert_rows_pair_one_object(&tr);
	fd_rows_release(&rows);
	replay_release(&rp);
	trace_release(&tr);
}

/* The root's table is its own alone; what it had at start came from the
 * shell. A child whose parent's table of the fork's instant is missing
 * stands alone too: two moments are never paired. */
static void shell_descriptors_and_lone_tables(void **state)
{
	struct trace tr;
	struct replay rp;
	struct fd_rows rows;
	struct fd_role role;

	(void)state;
	assert_int_equal(builder_spawn_labelled(&tr), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	fd_rows_init(&rows);
	replay_seek(&rp, 0);
	assert_int_equal(replay_fd_rows(&rp, 300, &rows, NULL), 0);
	assert_int_equal(rows.parent_pid, 0);
	assert_int_equal(rows.count, 3);
	assert_int_equal(rows.rows[0].how, FD_HOW_SHELL);
	/* In the child the shell's tty is still the shell's. */
	replay_seek(&rp, replay_step_count(&rp) - 1);
	role = replay_fd_role(&rp, 301, &rp.shell_fds->u.fds.fds[0]);
	assert_int_equal(role.kind, FD_ROLE_SHELL);
	assert_string_equal(replay_fd_role_word(&role), "shell");
	fd_rows_release(&rows);
	replay_release(&rp);
	trace_release(&tr);

	/* Without the parent's table at the fork: the child alone, ◄ fork. */
	assert_int_equal(builder_classic(&tr, "fork"), 0);
	for (size_t i = 0; i < tr.event_count; i++)
		if (tr.events[i].kind == EV_FDS && tr.events[i].u.fds.at == FDS_AT_FORK &&
		    tr.events[i].pid == 100)
			tr.events[i].t -= 1; /* no longer the fork's instant */
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	replay_seek(&rp, nth_step(&rp, STEP_FORK, 1));
	assert_int_equal(replay_fd_rows(&rp, 101, &rows, NULL), 0);
	assert_int_equal(rows.parent_pid, 0);
	assert_int_equal(rows.count, 4);
	assert_int_equal(rows.rows[3].how, FD_HOW_FORK);
	assert_null(rows.rows[3].parent);
	fd_rows_release(&rows);
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- what a descriptor is called ---- */

static void name_of(const struct fd_entry *e, bool is_short, char *buf, size_t len)
{
	struct sbuf sb;

	sbuf_init(&sb);
	replay_fd_name(e, is_short, &sb);
	snprintf(buf, len, "%s", sb.data ? sb.data : "");
	sbuf_release(&sb);
}

static void descriptors_named_for_what_they_are(void **state)
{
	static const struct {
		struct fd_entry e;
		const char *name, *short_name;
	} cases[] = {
		{ { 1, FD_FILE, false, "/dev/null", -1 }, "/dev/null", "/dev/null" },
		{ { 9, FD_FILE, false, "/home/student/notes.txt", -1 },
		  "/home/student/notes.txt",
		  "notes.txt" },
		{ { 4, FD_PIPE, false, "pipe:[2872065]", -1 }, "pipe 2872065", "pipe 2872065" },
		{ { 3, FD_SOCKET, false, "socket:[90]", -1 }, "socket 90", "socket 90" },
		{ { 0, FD_TTY, false, "/dev/pts/0", -1 }, "tty pts/0", "tty pts/0" },
		{ { 8, FD_OTHER, false, "anon_inode:[eventpoll]", -1 }, "eventpoll", "eventpoll" },
		{ { 5, FD_PIPE, false, NULL, -1 }, "pipe", "pipe" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		name_of(&cases[i].e, false, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].name);
		name_of(&cases[i].e, true, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].short_name);
	}
}

/* fds.label names an object by its target in every process; without a
 * target, a number in the process that labelled it, from the label on. */
static void labels_name_descriptors(void **state)
{
	struct trace tr;
	struct replay rp;
	struct fd_role role;
	struct fd_entry conn = BUILDER_PIPE(20, "pipe:[77]", false);
	struct fd_entry tracker = BUILDER_PIPE(3, "pipe:[10]", true);
	struct fd_rows rows;

	(void)state;
	assert_int_equal(builder_spawn_labelled(&tr), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* Labelled by main under fd 4; main's fd 3 is the same pipe. */
	role = replay_fd_role(&rp, 301, &tracker);
	assert_int_equal(role.kind, FD_ROLE_LABEL);
	assert_int_equal(role.what, FD_RESOURCE_TRACKER);
	assert_string_equal(replay_fd_role_word(&role), "tracker");
	assert_string_equal(replay_fd_role_phrase(&role), "the resource tracker's pipe");
	assert_int_equal(replay_fd_role(&rp, 301, &conn).kind, FD_ROLE_NONE);
	replay_seek(&rp, replay_step_count(&rp) - 1);
	role = replay_fd_role(&rp, 301, &conn);
	assert_int_equal(role.kind, FD_ROLE_LABEL);
	assert_int_equal(role.what, FD_CONNECTION);
	assert_int_equal(role.peer, 300);
	/* Another process's fd 20 is not it. */
	assert_int_equal(replay_fd_role(&rp, 300, &conn).kind, FD_ROLE_NONE);
	/* The child's rows after its exec: kept, closed, each one object. */
	fd_rows_init(&rows);
	assert_int_equal(replay_fd_rows(&rp, 301, &rows, NULL), 0);
	assert_int_equal(rows.count, 12);
	assert_non_null(row_of(&rows, 5, FD_HOW_KEPT));
	assert_string_equal(row_of(&rows, 9, FD_HOW_CLOSED)->parent->target,
			    "/home/student/notes.txt");
	fd_rows_release(&rows);
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- 4. labels from facts ---- */

static void label_of(const struct replay *rp, int pid, char *buf, size_t len)
{
	struct sbuf sb;

	sbuf_init(&sb);
	replay_proc_label(rp, replay_proc(rp, pid), &sb);
	snprintf(buf, len, "%s", sb.data ? sb.data : "");
	sbuf_release(&sb);
}

static void process_labels_come_from_roles_and_commands(void **state)
{
	static const char *dash_m[] = { "python3", "-W", "ignore", "-m", "pkg.tool" };
	static const char *dash_w[] = { "python3", "-X", "dev", "-W", "ignore", "job.py" };
	static const char *dash_c[] = { "python3", "-c", "print('forkserver')" };
	struct trace tr;
	struct replay rp;
	char buf[64];
	char text[1024];

	(void)state;
	assert_int_equal(builder_forkserver(&tr, false), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	replay_seek(&rp, replay_step_count(&rp) - 1);
	/* The script's path holds "forkserver"; main is still its script. */
	label_of(&rp, 500, buf, sizeof(buf));
	assert_string_equal(buf, "example.py");
	narrate(&rp, 0, text, sizeof(text));
	assert_non_null(strstr(text, "500 started: example.py (main)."));
	label_of(&rp, 501, buf, sizeof(buf));
	assert_string_equal(buf, "forkserver");
	label_of(&rp, 503, buf, sizeof(buf));
	assert_string_equal(buf, "resource_tracker");
	label_of(&rp, 502, buf, sizeof(buf));
	assert_string_equal(buf, "via forkserver");
	/* Commands that are not multiprocessing's say what they run. */
	tr.procs[0].argv = (struct strv){ dash_m, 5 };
	label_of(&rp, 500, buf, sizeof(buf));
	assert_string_equal(buf, "pkg.tool");
	tr.procs[0].argv = (struct strv){ dash_w, 6 };
	label_of(&rp, 500, buf, sizeof(buf));
	assert_string_equal(buf, "job.py");
	tr.procs[0].argv = (struct strv){ dash_c, 3 };
	label_of(&rp, 500, buf, sizeof(buf));
	assert_string_equal(buf, "-c");
	replay_release(&rp);
	trace_release(&tr);

	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	replay_seek(&rp, replay_step_count(&rp) - 1);
	label_of(&rp, 101, buf, sizeof(buf));
	assert_string_equal(buf, "spawn_main");
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- 5. narration that fits the method ---- */

/* Under spawn the vfork's copy of every descriptor lasts an instant: the
 * exec keeps only the ones multiprocessing names. */
static void spawn_vfork_says_what_the_exec_keeps(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	assert_int_equal(builder_spawn_labelled(&tr), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 1), text, sizeof(text));
	assert_string_equal(text,
			    "301 starts as a copy of 300 with its 12 descriptors; its exec then "
			    "closes all but 0, 1, 2 (the standard streams) and 4, 5, 6 (the ones "
			    "multiprocessing passes: the resource tracker's pipe, the start-up "
			    "data pipe, the sentinel).");
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 2), text, sizeof(text));
	assert_non_null(strstr(text,
			       "At exec 301 kept 6 fds: 0 (tty), 1 (tty), 2 (tty), 4 (the "
			       "resource tracker's pipe), 5 (the start-up data pipe), 6 "
			       "(the sentinel)."));
	assert_non_null(strstr(text,
			       "Closed at exec: 3 (the resource tracker's pipe), 7 (the "
			       "start-up data pipe), 8 (the sentinel), 9 "
			       "(/home/student/notes.txt) and 2 "
			       "more."));
	assert_non_null(strstr(text,
			       "A spawned child gets only the standard streams and the "
			       "descriptors multiprocessing passes."));
	replay_release(&rp);
	trace_release(&tr);
}

/* Who closes what is each process's own story: the resource tracker's
 * exec is not the forkserver's doing. */
static void each_exec_is_credited_to_its_starter(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];

	(void)state;
	assert_int_equal(builder_forkserver(&tr, false), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 2), text, sizeof(text));
	assert_non_null(strstr(text, "At exec 503 kept 4 fds"));
	assert_non_null(strstr(text,
			       "Closed at exec: 4 (pipe). The resource tracker gets only "
			       "the standard streams and the descriptors multiprocessing "
			       "passes."));
	assert_null(strstr(text, "forkserver"));
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 3), text, sizeof(text));
	assert_non_null(strstr(text,
			       "501 starts as a copy of 500 with its 10 descriptors; its "
			       "exec then closes all but 0, 1, 2 (the standard streams) and "
			       "3, 5 (the ones multiprocessing passes)."));
	/* The exec's list has no "closed": the table before it says it. */
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 4), text, sizeof(text));
	assert_non_null(strstr(text,
			       "Closed at exec: 4 (pipe), 6 (pipe), 7 (pipe), 8 (pipe) and "
			       "1 more. The forkserver gets only"));
	narrate(&rp, nth_step(&rp, STEP_FDS_PASS, 5), text, sizeof(text));
	assert_string_equal(text,
			    "500 sent 2 fds to the forkserver 501 over a Unix socket "
			    "(SCM_RIGHTS): 8 (pipe) as 10, 7 (pipe) as 11. The kernel installs "
			    "copies in the receiver under new numbers. The forkserver's next "
			    "child, 502, inherits them by fork.");
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- 8. several start methods ---- */

static void each_child_is_told_under_its_own_method(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	const char *m[4];

	(void)state;
	assert_int_equal(builder_two_methods(&tr, true), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_methods(&rp, m, 4), 2);
	assert_string_equal(replay_proc_method(&rp, trace_find_proc(&tr, 602)), "spawn");
	assert_null(replay_proc_method(&rp, trace_find_proc(&tr, 600)));
	narrate(&rp, 0, text, sizeof(text));
	assert_non_null(strstr(text,
			       "The program used 2 start methods: fork and spawn; each "
			       "child's is said where it starts."));
	narrate(&rp, nth_step(&rp, STEP_FORK, 1), text, sizeof(text));
	assert_non_null(strstr(text, "Its start method is fork. Nothing was pickled to start 601"));
	narrate(&rp, nth_step(&rp, STEP_FORK, 2), text, sizeof(text));
	assert_non_null(strstr(text,
			       "Its start method is spawn. 602 will exec a fresh "
			       "interpreter at once"));
	narrate(&rp, nth_step(&rp, STEP_EXEC, 1), text, sizeof(text));
	assert_non_null(strstr(text, "It will read the pickled process object from a pipe."));
	replay_release(&rp);
	trace_release(&tr);

	/* A trace from before the fields: only what it was recorded under,
	 * and no child claims a method it may not have had. */
	assert_int_equal(builder_two_methods(&tr, false), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	assert_int_equal(replay_methods(&rp, m, 4), 1);
	narrate(&rp, 0, text, sizeof(text));
	assert_non_null(strstr(text, "The trace was recorded under the fork start method."));
	narrate(&rp, nth_step(&rp, STEP_FORK, 2), text, sizeof(text));
	assert_null(strstr(text, "Its start method"));
	assert_null(strstr(text, "Nothing was pickled"));
	assert_non_null(strstr(text, "602 will exec a fresh interpreter at once"));
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- 6. output as printed ---- */

static void start_output_trace(struct trace *tr)
{
	trace_init(tr);
	builder_t = 0;
	tr->meta.method = "fork";
	builder_proc(tr, 700, 1, ROLE_MAIN, false);
	builder_ev(tr, 700, EV_PROC_START, (struct event){ 0 });
	builder_proc(tr, 701, 700, ROLE_CHILD, false);
	builder_ev(tr, 700, EV_FORK, (struct event){ .u.fork = { 701, VIA_FORK } });
}

static int builder_err(struct trace *tr, int pid, const char *text)
{
	return builder_ev(tr, pid, EV_OUTPUT,
			  (struct event){ .u.output = { STREAM_STDERR, text, strlen(text) } });
}

/* print('hello world!', i) is four writes; a line begun before another
 * step is told whole where it began, never twice, never joined. */
static void printed_lines_are_whole_and_told_once(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	struct sbuf brief;

	(void)state;
	start_output_trace(&tr);
	builder_output(&tr, 701, "hello world!");
	builder_output(&tr, 701, " ");
	builder_output(&tr, 701, "0");
	builder_output(&tr, 701, "\n");
	builder_output(&tr, 701, "hello from");
	builder_ev(&tr, 700, EV_EXIT, (struct event){ .u.exit = { .code = 0 } });
	builder_output(&tr, 701, " ");
	builder_output(&tr, 701, "701\nnext");
	builder_output(&tr, 701, " line\n");
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* start, fork, output, exit, output */
	assert_int_equal(replay_step_count(&rp), 5);
	narrate(&rp, 2, text, sizeof(text));
	assert_string_equal(text, "701 printed: hello world! 0\nhello from 701");
	sbuf_init(&brief);
	replay_brief(&rp, 2, &brief);
	assert_string_equal(brief.data, "701 out hello world! 0 +1 line");
	narrate(&rp, 4, text, sizeof(text));
	assert_string_equal(text,
			    "701 finished the line it began at step 3, then printed: next line");
	sbuf_clear(&brief);
	replay_brief(&rp, 4, &brief);
	assert_string_equal(brief.data, "701 out next line");
	sbuf_release(&brief);
	replay_release(&rp);
	trace_release(&tr);
}

/* A traceback the user sees shows the program's frames, not the probe's. */
static void probe_frames_are_hidden(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[2048];
	struct replay_output info;
	struct sbuf lines;

	(void)state;
	start_output_trace(&tr);
	builder_err(&tr, 701, "Traceback (most recent call last):\n");
	builder_err(&tr, 701,
		    "  File \"/usr/lib/mpscope/probe/mpscope_probe/patching.py\", line 40, in run\n"
		    "    return fn(*args)\n"
		    "           ^^^^^^^^^\n");
	builder_err(&tr, 701,
		    "  File \"/work/mpscope/src/probe/sitecustomize.py\", line 9, in f\n"
		    "    wrapped()\n");
	builder_err(&tr, 701, "  File \"/home/student/example.py\", line 5, in f\n    1 / 0\n");
	builder_err(&tr, 701,
		    "  File \"/usr/lib/mpscope/probe/mpscope_probe/lazy.py\", line 3, in g\n");
	builder_err(&tr, 701, "ZeroDivisionError: division by zero\n");
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, 2, text, sizeof(text));
	assert_string_equal(text,
			    "701 wrote to stderr: Traceback (most recent call last):\n"
			    "  (2 mpscope probe frames hidden)\n"
			    "  File \"/home/student/example.py\", line 5, in f\n"
			    "    1 / 0\n"
			    "  (1 mpscope probe frame hidden)\n"
			    "ZeroDivisionError: division by zero");
	sbuf_init(&lines);
	replay_output_lines(&rp, 2, 701, &lines, &info);
	assert_int_equal(info.hidden_frames, 3);
	assert_int_equal(info.line_count, 6);
	sbuf_release(&lines);
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- 7. the program's own modules ---- */

static void builder_imports(struct trace *tr, bool is_pickled)
{
	static struct global_ref by_name[] = { { "helper", "randomfunction" } };
	struct event ev;

	start_output_trace(tr);
	tr->meta.program = "/home/student/example.py";
	tr->meta.method = "spawn";
	builder_ev(
		tr, 700, EV_IMPORT,
		(struct event){ .u.import = { "helper", "/home/student/helper.py", "__main__" } });
	builder_ev(
		tr, 701, EV_IMPORT,
		(struct event){ .u.import = { "__mp_main__", "/home/student/example.py", NULL } });
	builder_ev(tr, 701, EV_MEMORY, (struct event){ .u.memory = { 1000, 0, false, 0 } });
	builder_ev(tr, 701, EV_IMPORT,
		   (struct event){
			   .u.import = { "helper", "/home/student/helper.py", "__mp_main__" } });
	/* The interpreter's own imports stay noise. */
	builder_ev(tr, 701, EV_IMPORT, (struct event){ .u.import = { "encodings", NULL, NULL } });
	memset(&ev, 0, sizeof(ev));
	ev.u.pickle.size = 300;
	ev.u.pickle.what = "process";
	ev.u.pickle.peer = 700;
	if (is_pickled) {
		ev.u.pickle.globals = by_name;
		ev.u.pickle.global_count = 1;
	}
	builder_ev(tr, 701, EV_PICKLE_LOAD, ev);
	assert_int_equal(trace_finish(tr, NULL), 0);
}

static void own_imports_are_told(void **state)
{
	struct trace tr;
	struct replay rp;
	char text[1024];
	size_t k;

	(void)state;
	builder_imports(&tr, false);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	/* start, import (main), fork, import (child: two modules), unpickle */
	assert_int_equal(replay_step_count(&rp), 5);
	k = nth_step(&rp, STEP_IMPORT_MAIN, 1);
	assert_true(story_step_is_key(&tr, &rp.story.steps[k]));
	narrate(&rp, k, text, sizeof(text));
	assert_string_equal(text,
			    "example.py imported helper.py in 700, one of the program's own "
			    "modules.");
	k = nth_step(&rp, STEP_IMPORT_MAIN, 2);
	assert_int_equal(rp.story.steps[k].member_count, 2);
	assert_true(story_step_is_key(&tr, &rp.story.steps[k]));
	narrate(&rp, k, text, sizeof(text));
	assert_non_null(strstr(text, "701 re-imported example.py as __mp_main__"));
	assert_non_null(strstr(text,
			       "block. Re-importing example.py imported helper.py: that is "
			       "how 701 has helper's code; nothing of it was pickled."));
	replay_release(&rp);
	trace_release(&tr);

	/* When a pickle names the module, it is not said that nothing was. */
	builder_imports(&tr, true);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	narrate(&rp, nth_step(&rp, STEP_IMPORT_MAIN, 2), text, sizeof(text));
	assert_null(strstr(text, "nothing of it was pickled"));
	assert_non_null(strstr(text,
			       "a pickle names helper.randomfunction by reference, and "
			       "unpickling finds it in this module."));
	replay_release(&rp);
	trace_release(&tr);
}

/* ---- the property over the classic stories too ---- */

static void rows_pair_one_object_in_every_story(void **state)
{
	static const char *methods[] = { "fork", "spawn" };
	struct trace tr;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(builder_classic(&tr, methods[i]), 0);
		assert_rows_pair_one_object(&tr);
		trace_release(&tr);
	}
	assert_int_equal(builder_spawn_labelled(&tr), 0);
	assert_rows_pair_one_object(&tr);
	trace_release(&tr);
	assert_int_equal(builder_pool(&tr, 5), 0);
	assert_rows_pair_one_object(&tr);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_rows_pair_the_table_of_the_fork),
		cmocka_unit_test(socket_rows_pair_what_the_pass_named),
		cmocka_unit_test(shell_descriptors_and_lone_tables),
		cmocka_unit_test(descriptors_named_for_what_they_are),
		cmocka_unit_test(labels_name_descriptors),
		cmocka_unit_test(process_labels_come_from_roles_and_commands),
		cmocka_unit_test(spawn_vfork_says_what_the_exec_keeps),
		cmocka_unit_test(each_exec_is_credited_to_its_starter),
		cmocka_unit_test(each_child_is_told_under_its_own_method),
		cmocka_unit_test(printed_lines_are_whole_and_told_once),
		cmocka_unit_test(probe_frames_are_hidden),
		cmocka_unit_test(own_imports_are_told),
		cmocka_unit_test(rows_pair_one_object_in_every_story),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

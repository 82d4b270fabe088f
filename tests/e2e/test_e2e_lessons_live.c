/*
 * test_e2e_lessons_live.c - every lesson of the course tells a LIVE run,
 * not only its recording: each lesson's example.py is recorded with
 * `mpscope run` under every CPython 3.8-3.13 that pyenv has here (an
 * absent version is skipped with a message), once per trace key as `make
 * traces` does, into temporary files, and lesson_check must find every
 * step's event, fill every text and compute every answer. A lesson whose
 * keys name Pythons (python3.11...) is recorded with those. Runs are made
 * as `mpscope lesson` makes them, on a fresh pseudo-terminal (the program
 * prints line by line, as at a terminal), two at a time: the machine has
 * two cores.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/lesson_json.h"
#include "json/trace_json.h"
#include "lesson/bind.h"
#include "lesson/course.h"
#include "support/support.h"

#define JOBS_AT_ONCE 2
#define MAX_RUNS 256

/* The newest pyenv CPython "3.minor", or NULL. */
static const char *pyenv_python(const char *version, char *buf, size_t len)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char pattern[512];
	const char *best = NULL;
	glob_t g;

	if (root && *root)
		snprintf(pattern, sizeof(pattern), "%s/versions/%s.*/bin/python3", root, version);
	else
		snprintf(pattern, sizeof(pattern), "%s/.pyenv/versions/%s.*/bin/python3",
			 home ? home : "/root", version);
	if (glob(pattern, 0, NULL, &g) != 0)
		return NULL;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!best || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	snprintf(buf, len, "%s", best);
	globfree(&g);
	return buf;
}

/* One recording: `mpscope run` of a lesson's example under one key. */
struct run {
	char cmd[2048];
	char out[256];
	pid_t pid;
	int master; /* the pty its streams are on; -1 when not running */
	int status;
};

/* Starts r on a fresh pty, its own session, like a program at a terminal. */
static void run_start(struct run *r)
{
	char pty[256];
	int slave;

	r->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(r->master >= 0);
	assert_int_equal(grantpt(r->master), 0);
	assert_int_equal(unlockpt(r->master), 0);
	assert_int_equal(ptsname_r(r->master, pty, sizeof(pty)), 0);
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		setsid();
		slave = open(pty, O_RDWR);
		if (slave < 0)
			_exit(126);
		for (int i = 0; i < 3; i++)
			dup2(slave, i);
		for (int i = 3; i < 1024; i++)
			close(i);
		execl("/bin/sh", "sh", "-c", r->cmd, (char *)NULL);
		_exit(127);
	}
}

/* Reads (and drops) what r printed; true once it has ended. */
static bool run_drain(struct run *r)
{
	char buf[4096];
	ssize_t n = read(r->master, buf, sizeof(buf));

	if (n > 0 || (n < 0 && errno == EINTR))
		return false;
	/* EIO: no process has the terminal any more. */
	while (waitpid(r->pid, &r->status, 0) < 0 && errno == EINTR)
		;
	close(r->master);
	r->master = -1;
	return true;
}

/* Runs every recording, JOBS_AT_ONCE at a time. */
static void run_all(struct run *runs, size_t count)
{
	size_t next = 0, running = 0;

	while (next < count || running > 0) {
		struct pollfd pfd[JOBS_AT_ONCE];
		struct run *who[JOBS_AT_ONCE];
		size_t n = 0;

		while (running < JOBS_AT_ONCE && next < count) {
			run_start(&runs[next++]);
			running++;
		}
		for (size_t i = 0; i < next; i++)
			if (runs[i].master >= 0) {
				pfd[n] = (struct pollfd){ .fd = runs[i].master, .events = POLLIN };
				who[n++] = &runs[i];
			}
		if (poll(pfd, n, -1) < 0) {
			assert_int_equal(errno, EINTR);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents && run_drain(who[i]))
				running--;
	}
}

struct plan {
	struct course course;
	struct run runs[MAX_RUNS];
	size_t run_count;
	/* For each planned lesson: its entry, its python label, its first run. */
	size_t lesson[MAX_RUNS], first[MAX_RUNS];
	const char *label[MAX_RUNS];
	size_t lesson_count;
};

static void plan_run(struct plan *pl, const struct course_entry *e, const char *py,
		     const char *method)
{
	struct run *r = &pl->runs[pl->run_count];
	char out[sizeof(r->out)];

	assert_true(pl->run_count < MAX_RUNS);
	snprintf(out, sizeof(out), "/tmp/mpscope-live-%d-%zu.json", (int)getpid(), pl->run_count);
	snprintf(r->cmd, sizeof(r->cmd),
		 "exec '%s' run --no-ui --timeout 120 %s%s --python '%s' -o '%s' '%s/example.py'",
		 support_mpscope(), method ? "-m " : "", method ? method : "", py, out, e->dir);
	memcpy(r->out, out, sizeof(out));
	r->master = -1;
	pl->run_count++;
}

/* The recordings of lesson e: one per key, under py, or under each key's
 * own Python when the keys name them (false when one is not here). */
static bool plan_lesson(struct plan *pl, size_t i, const char *py, const char *label)
{
	const struct course_entry *e = &pl->course.entries[i];
	const struct lesson *l = &e->lesson;
	char own[512];
	size_t first = pl->run_count;

	for (size_t k = 0; k < l->keys.count; k++) {
		const char *key = l->keys.items[k], *method = key;

		if (strncmp(key, "python", 6) == 0) {
			if (!pyenv_python(key + 6, own, sizeof(own))) {
				print_message("skipped %s: no Python %s under pyenv here\n",
					      e->folder, key + 6);
				pl->run_count = first;
				return false;
			}
			py = own;
			method = l->methods.items[0];
		}
		plan_run(pl, e, py, strcmp(method, "default") == 0 ? NULL : method);
	}
	pl->lesson[pl->lesson_count] = i;
	pl->first[pl->lesson_count] = first;
	pl->label[pl->lesson_count] = label;
	pl->lesson_count++;
	return true;
}

/* Checks every planned lesson against its recordings; the problems of all
 * of them in one message. */
static void check_all(struct plan *pl)
{
	static char problems[16384];
	size_t len = 0, checked = 0;

	problems[0] = '\0';
	for (size_t j = 0; j < pl->lesson_count; j++) {
		const struct course_entry *e = &pl->course.entries[pl->lesson[j]];
		const struct lesson *l = &e->lesson;
		struct trace traces[LESSON_MAX_KEYS];
		struct lesson_trace named[LESSON_MAX_KEYS];
		struct mp_err err;
		size_t loaded = 0;
		int rc = 0;

		for (; loaded < l->keys.count && rc == 0; loaded++) {
			struct run *r = &pl->runs[pl->first[j] + loaded];

			trace_init(&traces[loaded]);
			rc = trace_json_load(r->out, &traces[loaded], &err);
			named[loaded] = (struct lesson_trace){ &traces[loaded], r->out };
		}
		if (rc == 0)
			rc = lesson_check(l, named, &err);
		if (rc < 0) {
			len += (size_t)snprintf(problems + len, sizeof(problems) - len,
						"  under %s: %s (its recordings are kept)\n",
						pl->label[j], err.msg);
			/* Kept for whoever reads the failure. */
			for (size_t k = 0; k < l->keys.count; k++)
				pl->runs[pl->first[j] + k].out[0] = '\0';
		}
		for (size_t k = 0; k < loaded; k++)
			trace_release(&traces[k]);
		checked++;
		if (len >= sizeof(problems) - 1)
			break;
	}
	for (size_t i = 0; i < pl->run_count; i++)
		if (pl->runs[i].out[0])
			unlink(pl->runs[i].out);
	if (len > 0)
		fail_msg("lessons that do not tell a live run:\n%s", problems);
	print_message("%zu lessons x Pythons told their live runs (%zu recordings)\n", checked,
		      pl->run_count);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void every_lesson_tells_live_runs_on_every_python(void **state)
{
	static struct plan pl;
	static char pythons[6][512], labels[6][32];
	struct mp_err err;
	double t0 = now_s();
	size_t found = 0;

	(void)state;
	memset(&pl, 0, sizeof(pl));
	course_init(&pl.course);
	assert_int_equal(lesson_json_load_course("lessons", &pl.course, &err), 0);
	assert_true(pl.course.count > 0);
	for (int minor = 8; minor <= 13; minor++) {
		char version[8];

		snprintf(version, sizeof(version), "3.%d", minor);
		if (!pyenv_python(version, pythons[found], sizeof(pythons[found]))) {
			print_message("skipped: no Python %s under pyenv here\n", version);
			continue;
		}
		snprintf(labels[found], sizeof(labels[found]), "Python %s", version);
		for (size_t i = 0; i < pl.course.count; i++) {
			const struct course_entry *e = &pl.course.entries[i];

			assert_true(e->is_loaded);
			if (e->lesson.pythons.count == 0)
				plan_lesson(&pl, i, pythons[found], labels[found]);
		}
		found++;
	}
	if (found == 0) {
		course_release(&pl.course);
		skip();
	}
	/* The lessons that name their Pythons, once each. */
	for (size_t i = 0; i < pl.course.count; i++)
		if (pl.course.entries[i].lesson.pythons.count > 0)
			plan_lesson(&pl, i, NULL, "its own Pythons");
	run_all(pl.runs, pl.run_count);
	check_all(&pl);
	print_message("%zu Pythons, %zu recordings in %.1f s\n", found, pl.run_count, now_s() - t0);
	course_release(&pl.course);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_lesson_tells_live_runs_on_every_python),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

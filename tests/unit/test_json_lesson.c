/*
 * test_json_lesson.c - lesson.json read strictly and checked against
 * recorded traces. Broken lesson files are refused with one exact
 * sentence each (tests/lessons/bad/NAME.json + NAME.err); lessons that
 * read but do not tell their traces are named by lesson_check
 * (tests/lessons/unbound/, against the fixture course's traces); the
 * fixture course (tests/lessons/lessons/) binds to its traces with the
 * words a student will read; a course is found by folder.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/lesson_json.h"
#include "json/trace_json.h"
#include "lesson/bind.h"
#include "support/support.h"

#define COURSE "tests/lessons/lessons"
#define TRACES "tests/lessons/traces"

/* A lesson's traces, loaded from a folder. */
struct loaded {
	struct trace traces[LESSON_MAX_KEYS];
	struct lesson_trace named[LESSON_MAX_KEYS];
	char paths[LESSON_MAX_KEYS][256];
	size_t count;
};

static void load_traces(const struct lesson *l, const char *dir, struct loaded *t)
{
	struct mp_err err;

	t->count = l->keys.count;
	for (size_t k = 0; k < l->keys.count; k++) {
		trace_init(&t->traces[k]);
		assert_true(lesson_trace_path(l, k, dir, t->paths[k], sizeof(t->paths[k])));
		if (trace_json_load(t->paths[k], &t->traces[k], &err) < 0)
			fail_msg("%s", err.msg);
		t->named[k] = (struct lesson_trace){ &t->traces[k], t->paths[k] };
	}
}

static void release_traces(struct loaded *t)
{
	for (size_t k = 0; k < t->count; k++)
		trace_release(&t->traces[k]);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The .err beside path, its first line. */
static char *expected_for(const char *path)
{
	char err_path[512];
	size_t len;
	char *want, *nl;

	snprintf(err_path, sizeof(err_path), "%.*s.err", (int)strlen(path) - 5, path);
	want = support_read_file(err_path, &len);
	if (!want)
		fail_msg("%s has no .err file beside it", path);
	nl = strchr(want, '\n');
	if (nl)
		*nl = '\0';
	return want;
}

/* Reads a corpus file as the lesson of folder 90-classic. */
static int load_as_classic(const char *path, struct lesson *l, struct mp_err *err)
{
	size_t len;
	char *text = support_read_file(path, &len);
	int rc;

	if (!text)
		fail_msg("cannot read %s", path);
	rc = lesson_json_load_buffer(path, "90-classic", text, len, l, err);
	free(text);
	return rc;
}

typedef void corpus_fn(const char *path, const char *want);

static size_t each_case(const char *dir, corpus_fn *fn)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cases = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[512];
		char *want;

		if (!ends_with(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		want = expected_for(path);
		fn(path, want);
		free(want);
		cases++;
	}
	closedir(d);
	return cases;
}

static void refused(const char *path, const char *want)
{
	struct mp_err err = { { 0 } };
	struct lesson l;

	lesson_init(&l);
	if (load_as_classic(path, &l, &err) == 0)
		fail_msg("%s was accepted", path);
	/* Refused, the lesson is empty (and still safe to release). */
	assert_null(l.title);
	lesson_release(&l);
	if (strcmp(err.msg, want) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", path, err.msg, want);
}

static void every_broken_lesson_gives_its_message(void **state)
{
	(void)state;
	assert_true(each_case("tests/lessons/bad", refused) >= 60);
}

static void unbound(const char *path, const char *want)
{
	struct mp_err err = { { 0 } };
	struct loaded t;
	struct lesson l;

	lesson_init(&l);
	if (load_as_classic(path, &l, &err) < 0)
		fail_msg("%s is refused when read: %s", path, err.msg);
	load_traces(&l, TRACES, &t);
	if (lesson_check(&l, t.named, &err) == 0)
		fail_msg("%s tells its traces", path);
	if (strcmp(err.msg, want) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", path, err.msg, want);
	release_traces(&t);
	lesson_release(&l);
}

static void every_lesson_that_misses_its_traces_is_named(void **state)
{
	(void)state;
	assert_true(each_case("tests/lessons/unbound", unbound) >= 10);
}

static void the_fixture_lesson_reads_as_written(void **state)
{
	struct mp_err err;
	struct lesson l;

	(void)state;
	lesson_init(&l);
	if (lesson_json_load_dir(COURSE "/90-classic/", &l, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(l.path, COURSE "/90-classic/lesson.json");
	assert_string_equal(l.folder, "90-classic");
	assert_string_equal(l.slug, "classic");
	assert_int_equal(l.number, 90);
	assert_string_equal(l.title, "What gets pickled? (fixture)");
	assert_int_equal(l.goals.count, 2);
	assert_int_equal(l.prove_count, 7);
	assert_true(lesson_proves(&l, CLAIM_FDS_OVER_SOCKET));
	assert_false(lesson_proves(&l, CLAIM_REBIND_MAIN));
	assert_int_equal(l.keys.count, 3);
	assert_string_equal(l.keys.items[2], "forkserver");
	assert_int_equal(l.step_count, 7);
	assert_int_equal(l.steps[0].key, 0);
	assert_int_equal(l.steps[2].key, 1);
	assert_int_equal(l.steps[2].match.kind, EV_PICKLE_DUMP);
	assert_int_equal(l.steps[2].match.matcher_count, 2);
	assert_int_equal(l.steps[6].at, LESSON_AT_END);
	assert_int_equal(l.quiz_count, 5);
	/* A quiz's trace is its step's unless it names one. */
	assert_int_equal(l.quizzes[0].key, 1);
	assert_int_equal(l.quizzes[4].key, 2);
	assert_int_equal(l.quizzes[1].answer, LESSON_ANSWER_TEXT);
	lesson_release(&l);

	lesson_init(&l);
	assert_int_equal(lesson_json_load_dir(COURSE "/91-versions", &l, &err), 0);
	assert_int_equal(l.keys.count, 1);
	assert_string_equal(l.keys.items[0], "python3.11");
	lesson_release(&l);
}

static void the_fixture_lesson_tells_its_traces(void **state)
{
	struct lesson_binding b;
	struct mp_err err;
	struct loaded t;
	struct lesson l;

	(void)state;
	lesson_init(&l);
	assert_int_equal(lesson_json_load_dir(COURSE "/90-classic", &l, &err), 0);
	load_traces(&l, TRACES, &t);
	if (lesson_bind(&b, &l, t.named, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(b.step_count, 7);
	assert_string_equal(b.steps[0].say,
			    "Under fork, 4212 starts as a copy of 4211: nothing is "
			    "pickled to start it.");
	assert_string_equal(b.steps[1].say, "4212 prints \"hello world! 1\" in {three} writes.");
	assert_int_equal(t.traces[0].events[b.steps[1].ev].seq, 10);
	assert_int_equal(b.steps[2].key, 1);
	assert_int_equal(t.traces[1].events[b.steps[2].ev].seq, 22);
	assert_string_equal(b.steps[2].say,
			    "4211 pickles the process object for 4213 (child): 344 "
			    "bytes; f travels as a reference, __main__.f.");
	assert_string_equal(b.steps[3].say,
			    "4213 re-imports /home/student/lesson/example.py as __mp_main__.");
	assert_string_equal(b.steps[4].say,
			    "4211 sends descriptors 8, 10 to the forkserver 4212 "
			    "over /tmp/pymp-x1/listener-k2.");
	assert_string_equal(b.steps[6].say,
			    "Every child was forked by the forkserver (forkserver, "
			    "Python 3.11.7).");
	assert_int_equal(b.steps[6].story_step + 1, 29);

	assert_string_equal(b.quizzes[0].ask,
			    "How many bytes did 4211 pickle to start its first child?");
	assert_int_equal(b.quizzes[0].reply, LESSON_REPLY_NUMBER);
	assert_string_equal(b.quizzes[0].answer, "697");
	assert_int_equal(lesson_judge(&b.quizzes[0], "697"), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[0], "344"), LESSON_WRONG);
	assert_string_equal(b.quizzes[0].explain,
			    "697 bytes: the preparation data and the process object.");
	assert_int_equal(b.quizzes[1].right_choice, 0);
	assert_string_equal(b.quizzes[1].explain,
			    "It looked up __main__.f: a reference, not code.");
	assert_string_equal(b.quizzes[2].answer, "2");
	assert_int_equal(b.quizzes[3].right_choice, 2);
	assert_int_equal(b.quizzes[4].reply, LESSON_REPLY_NUMBER);
	assert_int_equal(lesson_judge(&b.quizzes[4], "1"), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[4], "2"), LESSON_WRONG);
	lesson_binding_release(&b);
	release_traces(&t);
	lesson_release(&l);
}

/* ---- courses ---- */

static void write_lesson(const char *root, const char *folder, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, folder);
	assert_int_equal(mkdir(path, 0755), 0);
	if (!text)
		return;
	snprintf(path, sizeof(path), "%s/%s/lesson.json", root, folder);
	assert_int_equal(support_write_file(path, text, strlen(text)), 0);
}

static const char *small_lesson =
	"{\"version\": 1, \"title\": \"Small\", \"question\": \"Q?\", \"proves\": "
	"[\"get-context\"], \"methods\": [\"spawn\"], \"steps\": [{\"at\": \"start\", \"say\": "
	"\"Hi.\"}]}";

static void a_course_is_found_by_folder(void **state)
{
	char root[] = "/tmp/mpscope-course-XXXXXX", path[512], want[600];
	const struct course_entry *e;
	struct course c;
	struct mp_err err;

	(void)state;
	assert_non_null(mkdtemp(root));
	write_lesson(root, "02-good", small_lesson);
	write_lesson(root, "01-broken", "{\"version\": 1,");
	write_lesson(root, "3-not-a-lesson", small_lesson);
	write_lesson(root, "04-no-lesson-yet", NULL);
	snprintf(path, sizeof(path), "%s/README.md", root);
	assert_int_equal(support_write_file(path, "#\n", 2), 0);

	course_init(&c);
	assert_int_equal(lesson_json_load_course(root, &c, &err), 0);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.entries[0].folder, "01-broken");
	assert_false(c.entries[0].is_loaded);
	snprintf(want, sizeof(want), "%s/01-broken/lesson.json: line 1, byte 14: not valid JSON",
		 root);
	assert_string_equal(c.entries[0].problem, want);
	assert_true(c.entries[1].is_loaded);
	assert_string_equal(c.entries[1].lesson.title, "Small");
	snprintf(want, sizeof(want), "%s/02-good", root);
	assert_string_equal(c.entries[1].dir, want);

	e = course_find(&c, "2");
	assert_ptr_equal(e, &c.entries[1]);
	assert_ptr_equal(course_find(&c, "02"), e);
	assert_ptr_equal(course_find(&c, "good"), e);
	assert_ptr_equal(course_find(&c, "02-good"), e);
	assert_null(course_find(&c, "9"));
	assert_null(course_find(&c, "go"));
	/* Only one claim is proved, by a lesson that loads. */
	assert_int_equal(course_check(&c, &err), -1);
	assert_string_equal(err.msg,
			    "no lesson proves \"fork-copies\": under fork nothing is "
			    "pickled to start a Process: the child is a copy");
	course_release(&c);

	write_lesson(root, "02-twin", small_lesson);
	course_init(&c);
	assert_int_equal(lesson_json_load_course(root, &c, &err), 0);
	assert_int_equal(course_check(&c, &err), -1);
	assert_string_equal(err.msg, "lessons 02-good and 02-twin have the same number");
	course_release(&c);

	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);

	course_init(&c);
	assert_int_equal(lesson_json_load_course(root, &c, &err), -1);
	snprintf(want, sizeof(want), "cannot read the lessons in '%s': No such file or directory",
		 root);
	assert_string_equal(err.msg, want);
	course_release(&c);
}

static void the_fixture_course_proves_every_claim(void **state)
{
	struct course c;
	struct mp_err err;

	(void)state;
	course_init(&c);
	assert_int_equal(lesson_json_load_course(COURSE, &c, &err), 0);
	assert_int_equal(c.count, 2);
	assert_true(c.entries[0].is_loaded && c.entries[1].is_loaded);
	assert_int_equal(course_check(&c, &err), 0);
	course_release(&c);
}

static void a_folder_must_be_named_like_a_lesson(void **state)
{
	char root[] = "/tmp/mpscope-folder-XXXXXX", dir[512], want[600];
	struct mp_err err;
	struct lesson l;

	(void)state;
	assert_non_null(mkdtemp(root));
	write_lesson(root, "1-x", small_lesson);
	snprintf(dir, sizeof(dir), "%s/1-x", root);
	lesson_init(&l);
	assert_int_equal(lesson_json_load_dir(dir, &l, &err), -1);
	snprintf(want, sizeof(want),
		 "%s/1-x/lesson.json: a lesson's folder is named NN-slug: two digits, a dash, "
		 "then lowercase words joined by dashes",
		 root);
	assert_string_equal(err.msg, want);
	snprintf(dir, sizeof(dir), "%s/05-missing", root);
	assert_int_equal(lesson_json_load_dir(dir, &l, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot open '%s/05-missing/lesson.json': No such file or "
		 "directory",
		 root);
	assert_string_equal(err.msg, want);
	lesson_release(&l);
	snprintf(dir, sizeof(dir), "rm -rf '%s'", root);
	assert_int_equal(system(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_broken_lesson_gives_its_message),
		cmocka_unit_test(every_lesson_that_misses_its_traces_is_named),
		cmocka_unit_test(the_fixture_lesson_reads_as_written),
		cmocka_unit_test(the_fixture_lesson_tells_its_traces),
		cmocka_unit_test(a_course_is_found_by_folder),
		cmocka_unit_test(the_fixture_course_proves_every_claim),
		cmocka_unit_test(a_folder_must_be_named_like_a_lesson),
	};

	return cmocka_run_group_tests_name("json_lesson", tests, NULL, NULL);
}

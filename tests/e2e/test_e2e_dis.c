/*
 * test_e2e_dis.c - `mpscope dis` as a user runs it: the listing of a real
 * spawn payload equals pickletools' (committed beside it), --decode and
 * --summary match their golden files, every bad pickle gets its one line on
 * stderr and a non-zero exit, deep MARK nesting gives a bounded listing,
 * decoding a pickle that would run a command runs nothing, and a failed
 * write (a full disk) exits 1.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "support/support.h"

#define SPAWN "tests/golden/dis/spawn-process"
#define BAD_DIR "tests/bad-pickles"

static void spawn_payload_listing_is_pickletools_byte_for_byte(void **state)
{
	char *out, *want;
	size_t want_len;

	(void)state;
	assert_int_equal(support_runf(&out, "'%s' dis " SPAWN ".pickle", support_mpscope()), 0);
	want = support_read_file(SPAWN ".dis", &want_len);
	assert_non_null(want);
	assert_int_equal(strlen(out), want_len);
	assert_memory_equal(out, want, want_len);
	free(want);
	free(out);
	/* The same bytes on standard input. */
	assert_int_equal(support_runf(&out, "'%s' dis - < " SPAWN ".pickle", support_mpscope()), 0);
	assert_int_equal(strlen(out), want_len);
	free(out);
}

static void spawn_payload_decodes_and_summarizes(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(
		support_runf(&out, "'%s' dis --decode " SPAWN ".pickle", support_mpscope()), 0);
	support_assert_golden(out, strlen(out), SPAWN ".decoded");
	free(out);
	assert_int_equal(
		support_runf(&out, "'%s' dis --summary " SPAWN ".pickle", support_mpscope()), 0);
	support_assert_golden(out, strlen(out), SPAWN ".summary");
	free(out);
}

/* Runs one mode over one bad pickle; stderr must equal the .err file. */
static void check_bad(const char *base, const char *mode, const char *suffix)
{
	char path[512], *err, *want;
	size_t want_len;
	int rc;

	snprintf(path, sizeof(path), BAD_DIR "/%s%s", base, suffix);
	want = support_read_file(path, &want_len);
	if (!want)
		fail_msg("missing expected stderr '%s'", path);
	rc = support_runf(&err, "'%s' dis %s '" BAD_DIR "/%s.pickle' 2>&1 >/dev/null",
			  support_mpscope(), mode, base);
	if (strcmp(err, want) != 0)
		fail_msg("%s %s: stderr is\n%s\nexpected\n%s", base, mode, err, want);
	if (want_len > 0) {
		assert_int_equal(rc, 1);
		assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
		assert_memory_equal(err, "mpscope: byte ", 14);
	} else {
		assert_int_equal(rc, 0);
	}
	free(err);
	free(want);
}

static void bad_pickles_get_one_clear_line(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	size_t count = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char base[256];
		size_t n = strlen(de->d_name);

		if (n < 8 || strcmp(de->d_name + n - 7, ".pickle") != 0)
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)(n - 7), de->d_name);
		check_bad(base, "", ".err");
		check_bad(base, "--decode", ".decode.err");
		count++;
	}
	closedir(d);
	assert_true(count >= 20);
}

static void deep_marks_give_a_bounded_listing(void **state)
{
	char *out;
	long bytes;

	(void)state;
	/* pickletools would print about 20 GB for these 100,000 nested MARKs. */
	assert_int_equal(support_runf(&out,
				      "'%s' dis " BAD_DIR
				      "/nested-marks-100000.pickle 2>/dev/null | wc -c",
				      support_mpscope()),
			 0);
	bytes = atol(out);
	assert_true(bytes > 1000000);
	assert_true(bytes < 80L * 1000 * 1000);
	free(out);
}

static void a_command_in_a_pickle_is_never_run(void **state)
{
	char dir[] = "/tmp/mpscope-dis-XXXXXX", sentinel[128], pickle[256], body[256], *out;
	FILE *f;
	int n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sentinel, sizeof(sentinel), "%s/sentinel", dir);
	snprintf(pickle, sizeof(pickle), "%s/evil.pickle", dir);
	/* What pickle.dumps of an object whose __reduce__ returns
	 * (os.system, ("touch SENTINEL",)) looks like at protocol 0. */
	n = snprintf(body, sizeof(body), "cposix\nsystem\np0\n(Vtouch %s\np1\ntp2\nRp3\n.",
		     sentinel);
	f = fopen(pickle, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_int_equal(support_runf(&out, "'%s' dis --decode '%s'", support_mpscope(), pickle),
			 0);
	assert_non_null(strstr(out, "posix.system('touch "));
	free(out);
	assert_int_equal(support_runf(&out, "'%s' dis --summary '%s'", support_mpscope(), pickle),
			 0);
	assert_non_null(strstr(out, "posix.system"));
	free(out);
	assert_int_equal(support_runf(&out, "'%s' dis '%s'", support_mpscope(), pickle), 0);
	free(out);
	assert_int_equal(access(sentinel, F_OK), -1);
	unlink(pickle);
	rmdir(dir);
}

static void authkey_shows_only_when_asked(void **state)
{
	char dir[] = "/tmp/mpscope-dis-XXXXXX", path[128], *data, *out;
	size_t len;
	char *at;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/real-authkey.pickle", dir);
	data = support_read_file(SPAWN ".pickle", &len);
	assert_non_null(data);
	/* Put a "real" authkey where the probe's marker is. */
	at = memmem(data, len, "<authkey-redacted>", 18);
	assert_non_null(at);
	memset(at, 'Z', 32);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	assert_int_equal(support_runf(&out, "'%s' dis '%s'", support_mpscope(), path), 0);
	assert_non_null(strstr(out, "SHORT_BINBYTES b'<authkey-redacted>**************'"));
	assert_null(strstr(out, "ZZZZ"));
	free(out);
	assert_int_equal(support_runf(&out, "'%s' dis --decode '%s'", support_mpscope(), path), 0);
	assert_non_null(strstr(out, "AuthenticationString(<redacted, 32 bytes>)"));
	assert_null(strstr(out, "ZZZZ"));
	free(out);
	assert_int_equal(
		support_runf(&out, "'%s' dis --show-authkey '%s'", support_mpscope(), path), 0);
	assert_non_null(strstr(out, "SHORT_BINBYTES b'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ'"));
	free(out);
	free(data);
	unlink(path);
	rmdir(dir);
}

static void usage_errors_exit_2(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(support_runf(&out, "'%s' dis --bogus 2>&1", support_mpscope()), 2);
	assert_non_null(strstr(out, "mpscope: dis: unknown option '--bogus'"));
	free(out);
	assert_int_equal(
		support_runf(&out, "'%s' dis /nonexistent/x.pickle 2>&1", support_mpscope()), 1);
	assert_non_null(strstr(out, "mpscope: cannot read '/nonexistent/x.pickle'"));
	free(out);
}

/* A full disk is an error, not a silent exit 0: stdio keeps the last bytes
 * until exit unless dis flushes and checks them itself. */
static void write_errors_exit_1(void **state)
{
	static const char *const modes[] = { "", "--decode", "--summary" };
	char *out;

	(void)state;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(support_runf(&out, "'%s' dis %s " SPAWN ".pickle 2>&1 >/dev/full",
					      support_mpscope(), modes[i]),
				 1);
		assert_non_null(strstr(out, "mpscope: cannot write"));
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spawn_payload_listing_is_pickletools_byte_for_byte),
		cmocka_unit_test(spawn_payload_decodes_and_summarizes),
		cmocka_unit_test(bad_pickles_get_one_clear_line),
		cmocka_unit_test(deep_marks_give_a_bounded_listing),
		cmocka_unit_test(a_command_in_a_pickle_is_never_run),
		cmocka_unit_test(authkey_shows_only_when_asked),
		cmocka_unit_test(usage_errors_exit_2),
		cmocka_unit_test(write_errors_exit_1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_json_big.c - a trace of 2 million events loads, quickly, and the
 * loader's peak memory stays below 3x the file size (measured in a child
 * process, so the test's own buffers do not count).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/trace_json.h"

#define EVENT_COUNT 2000000

/* ASan's shadow memory and quarantine make RSS meaningless there. */
#if defined(__SANITIZE_ADDRESS__)
#define HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAS_ASAN 1
#endif
#endif
#ifndef HAS_ASAN
#define HAS_ASAN 0
#endif

/* A main process and a child; the events cycle through the common kinds
 * of a real run (output, pickles with bytes, fds, threads). */
static void write_big_trace(const char *path, size_t *file_len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("{\"format\": \"mpscope-trace\", \"version\": 1,\n"
	      " \"meta\": {\"program\": \"big.py\", \"method\": \"fork\","
	      " \"capture\": {\"ptrace\": true, \"probe\": true}},\n"
	      " \"processes\": [{\"pid\": 100, \"ppid\": 1, \"role\": \"main\", \"start\": 0},"
	      " {\"pid\": 101, \"ppid\": 100, \"role\": \"child\", \"start\": 5}],\n"
	      " \"events\": [\n",
	      f);
	for (long i = 0; i < EVENT_COUNT; i++) {
		int pid = 100 + (int)(i & 1);

		fprintf(f, "%s{\"seq\": %ld, \"t\": %ld, \"pid\": %d, ", i ? ",\n" : "", i, i * 10,
			pid);
		switch (i % 4) {
		case 0:
			fputs("\"kind\": \"output\", \"stream\": \"stdout\", \"text\": "
			      "\"step\\n\"}",
			      f);
			break;
		case 1:
			fputs("\"kind\": \"pickle.dump\", \"size\": 5, \"what\": \"queue_item\","
			      " \"to\": 100, \"bytes\": \"gARLAi4=\"}",
			      f);
			break;
		case 2:
			fputs("\"kind\": \"threads\", \"count\": 2}", f);
			break;
		default:
			fputs("\"kind\": \"fds\", \"at\": \"fork\", \"fds\": [{\"fd\": 0, \"type\":"
			      " \"tty\", \"target\": \"/dev/pts/0\", \"cloexec\": false}]}",
			      f);
			break;
		}
	}
	fputs("\n]}\n", f);
	*file_len = (size_t)ftell(f);
	assert_int_equal(fclose(f), 0);
}

static void two_million_events_load_in_bounded_memory(void **state)
{
	char path[] = "/tmp/mpscope-big-XXXXXX";
	size_t file_len = 0;
	struct rusage ru;
	struct timeval t0, t1;
	int status = 0, fd = mkstemp(path);
	pid_t child;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_big_trace(path, &file_len);
	gettimeofday(&t0, NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct trace tr;
		struct mp_err err = { { 0 } };
		int ok;

		trace_init(&tr);
		ok = trace_json_load(path, &tr, &err) == 0 && tr.event_count == EVENT_COUNT &&
			tr.events[EVENT_COUNT - 1].seq == EVENT_COUNT - 1 &&
			tr.events[1].u.pickle.bytes_len == 5;
		if (!ok)
			fprintf(stderr, "big trace: %s (%zu events)\n", err.msg, tr.event_count);
		trace_release(&tr);
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(wait4(child, &status, 0, &ru), child);
	gettimeofday(&t1, NULL);
	unlink(path);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("2,000,000 events, %zu MB file: loaded in %.2f s, peak RSS %ld MB (%.2fx)\n",
		      file_len >> 20,
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6,
		      ru.ru_maxrss >> 10, (double)ru.ru_maxrss * 1024 / (double)file_len);
	if (!HAS_ASAN)
		assert_true((size_t)ru.ru_maxrss * 1024 < 3 * file_len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_million_events_load_in_bounded_memory),
	};

	return cmocka_run_group_tests_name("json_big", tests, NULL, NULL);
}

/*
 * test_tracer_procfs.c - the /proc readers on a fake proc tree
 * (tests/fixtures/proc/): descriptor types, targets and close-on-exec
 * flags, thread and parent counts, memory (smaps_rollup in a fake root made
 * in /tmp, statm), argv, and clear failures for a vanished, exiting or
 * malformed process.
 */
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

#include "tracer/procfs.h"

#define ROOT "tests/fixtures/proc"

static void fds_come_sorted_with_type_target_and_cloexec(void **state)
{
	struct arena a;
	struct fd_entry *fds;
	size_t n;
	struct mp_err err;

	(void)state;
	arena_init(&a);
	assert_int_equal(procfs_read_fds(ROOT, 4242, &a, &fds, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_int_equal(fds[0].fd, 0);
	assert_int_equal(fds[0].type, FD_TTY);
	assert_string_equal(fds[0].target, "/dev/pts/0");
	assert_false(fds[0].is_cloexec);
	assert_int_equal(fds[1].fd, 1);
	assert_int_equal(fds[1].type, FD_PIPE);
	assert_string_equal(fds[1].target, "pipe:[1234]");
	assert_true(fds[1].is_cloexec); /* flags 02000001: O_CLOEXEC|O_WRONLY */
	assert_int_equal(fds[2].fd, 3);
	assert_int_equal(fds[2].type, FD_SOCKET);
	assert_true(fds[2].is_cloexec);
	assert_int_equal(fds[3].fd, 5);
	assert_int_equal(fds[3].type, FD_OTHER);
	assert_false(fds[3].is_cloexec);
	/* 10 sorts after 5: numbers, not names */
	assert_int_equal(fds[4].fd, 10);
	assert_int_equal(fds[4].type, FD_FILE);
	assert_string_equal(fds[4].target, "/tmp/data.txt");
	assert_int_equal(fds[4].as_fd, -1);
	arena_release(&a);
}

/* A fake /proc/7/ in /tmp whose table a test changes between reads. */
struct fake_proc {
	char root[64];
};

static void fake_fd(const struct fake_proc *fp, int fd, const char *target, const char *flags,
		    unsigned ino)
{
	char path[256], text[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/7/fd/%d", fp->root, fd);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/7/fdinfo/%d", fp->root, fd);
	f = fopen(path, "w");
	assert_non_null(f);
	snprintf(text, sizeof(text), "pos:\t0\nflags:\t%s\nmnt_id:\t15\nino:\t%u\n", flags, ino);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void fake_close(const struct fake_proc *fp, int fd)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/7/fd/%d", fp->root, fd);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/7/fdinfo/%d", fp->root, fd);
	assert_int_equal(unlink(path), 0);
}

/* The cache gives what a plain read gives, after every change: a flag set,
 * a number reused for another pipe, a file replaced at the same inode
 * number, a descriptor closed; and its open files come back to the budget. */
static void a_cached_read_sees_every_change(void **state)
{
	struct fake_proc fp;
	struct procfs_fd_cache cache;
	struct arena a;
	struct fd_entry *fds, *plain;
	size_t n, plain_n, budget = 2;
	struct mp_err err;
	char cmd[256];

	(void)state;
	snprintf(fp.root, sizeof(fp.root), "/tmp/mpscope-fdcache-XXXXXX");
	assert_non_null(mkdtemp(fp.root));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/7/fd' '%s/7/fdinfo'", fp.root, fp.root);
	assert_int_equal(system(cmd), 0);
	arena_init(&a);
	procfs_fd_cache_init(&cache, &budget);
	fake_fd(&fp, 3, "pipe:[100]", "02000000", 100);
	fake_fd(&fp, 4, "socket:[200]", "02", 200);
	fake_fd(&fp, 5, "/tmp/a.txt", "0100000", 300);
	assert_int_equal(procfs_read_fds_cached(fp.root, 7, &cache, &a, &fds, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(budget, 0); /* two fdinfo files kept open, the third read plainly */
	fake_fd(&fp, 4, "socket:[200]", "02000002", 200); /* FD_CLOEXEC set on it */
	fake_fd(&fp, 3, "pipe:[101]", "0", 101); /* 3 closed, reopened as another pipe */
	fake_fd(&fp, 5, "/tmp/b.txt", "0100000", 300); /* the same inode number, renamed */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(procfs_read_fds_cached(fp.root, 7, &cache, &a, &fds, &n, &err), 0);
		assert_int_equal(procfs_read_fds(fp.root, 7, &a, &plain, &plain_n, &err), 0);
		assert_int_equal(n, plain_n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(fds[i].fd, plain[i].fd);
			assert_int_equal(fds[i].type, plain[i].type);
			assert_string_equal(fds[i].target, plain[i].target);
			assert_int_equal(fds[i].is_cloexec, plain[i].is_cloexec);
		}
	}
	assert_string_equal(fds[0].target, "pipe:[101]");
	assert_false(fds[0].is_cloexec);
	assert_true(fds[1].is_cloexec);
	assert_string_equal(fds[2].target, "/tmp/b.txt");
	fake_close(&fp, 3);
	assert_int_equal(procfs_read_fds_cached(fp.root, 7, &cache, &a, &fds, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(fds[0].fd, 4);
	procfs_fd_cache_release(&cache);
	assert_int_equal(budget, 2);
	arena_release(&a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fp.root);
	assert_int_equal(system(cmd), 0);
}

static void status_gives_tgid_ppid_and_threads(void **state)
{
	struct procfs_status st;
	struct mp_err err;

	(void)state;
	assert_int_equal(procfs_read_status(ROOT, 4242, &st, &err), 0);
	assert_int_equal(st.tgid, 4242);
	assert_int_equal(st.ppid, 4200);
	assert_int_equal(st.threads, 3);
}

/* Without smaps_rollup (the fixture has none, as Linux < 4.14) the rss
 * comes from statm, and nothing is claimed about sharing. */
static void memory_without_smaps_rollup_is_statm_rss_alone(void **state)
{
	struct procfs_memory m;
	uint64_t rss;
	struct mp_err err;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	(void)state;
	assert_int_equal(procfs_read_memory(ROOT, 4242, &m, &err), 0);
	assert_int_equal(m.rss, 1234 * page);
	assert_false(m.has_shared);
	assert_int_equal(m.shared, 0);
	assert_int_equal(procfs_read_rss(ROOT, 4242, &rss, &err), 0);
	assert_int_equal(rss, 1234 * page);
}

/* A fake proc root in /tmp with one process (pid 100) whose files hold
 * `smaps_rollup` and `statm`; removed by remove_fake_proc. */
static void make_fake_proc(char *root, const char *smaps_rollup, const char *statm)
{
	char path[256];
	FILE *f;

	strcpy(root, "/tmp/mpscope-procfs-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/100", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/100/smaps_rollup", root);
	assert_non_null(f = fopen(path, "w"));
	fputs(smaps_rollup, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/100/statm", root);
	assert_non_null(f = fopen(path, "w"));
	fputs(statm, f);
	fclose(f);
}

static void remove_fake_proc(const char *root)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/100/smaps_rollup", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/100/statm", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/100", root);
	rmdir(path);
	rmdir(root);
}

/* A real smaps_rollup of a Python 3.11 process, cut after the lines read. */
static const char python_rollup[] =
	"562d03f3f000-7ffdc1bef000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:               14624 kB\n"
	"Pss:               10505 kB\n"
	"Shared_Clean:       7008 kB\n"
	"Shared_Dirty:        312 kB\n"
	"Private_Clean:         8 kB\n"
	"Private_Dirty:      7296 kB\n";

static void memory_is_rss_and_the_shared_pages_of_smaps_rollup(void **state)
{
	char root[64];
	struct procfs_memory m;
	struct mp_err err;

	(void)state;
	make_fake_proc(root, python_rollup, "5000 1234 567 800 0 2000 0\n");
	assert_int_equal(procfs_read_memory(root, 100, &m, &err), 0);
	assert_int_equal(m.rss, 14624 * 1024);
	assert_true(m.has_shared);
	assert_int_equal(m.shared, (7008 + 312) * 1024);
	remove_fake_proc(root);
	/* and the live one of this test */
	assert_int_equal(procfs_read_memory("/proc", getpid(), &m, &err), 0);
	assert_true(m.rss > 0 && m.shared <= m.rss);
	assert_true(m.has_shared);
}

/* A zombie has no memory: its statm is all zeros, and it must not show as
 * a process of 0 bytes. */
static void a_process_without_memory_is_a_failure(void **state)
{
	char root[64];
	struct procfs_memory m;
	uint64_t rss;
	struct mp_err err;

	(void)state;
	make_fake_proc(root, "[rollup]\nRss: 0 kB\nShared_Clean: 0 kB\nShared_Dirty: 0 kB\n",
		       "0 0 0 0 0 0 0\n");
	assert_int_equal(procfs_read_memory(root, 100, &m, &err), -1);
	assert_non_null(strstr(err.msg, "shows no resident page: the process is exiting"));
	assert_int_equal(procfs_read_rss(root, 100, &rss, &err), -1);
	assert_non_null(strstr(err.msg, "statm' shows no resident page"));
	remove_fake_proc(root);
	make_fake_proc(root, "[rollup]\nRss: 10 kB\n", "0 0 0 0 0 0 0\n");
	assert_int_equal(procfs_read_memory(root, 100, &m, &err), -1);
	assert_non_null(strstr(err.msg, "has no Rss, Shared_Clean or Shared_Dirty line"));
	remove_fake_proc(root);
}

static void cmdline_splits_on_nul(void **state)
{
	struct arena a;
	struct strv argv;
	const char *exe;
	struct mp_err err;

	(void)state;
	arena_init(&a);
	assert_int_equal(procfs_read_cmdline(ROOT, 4242, &a, &argv, &err), 0);
	assert_int_equal(argv.count, 5);
	assert_string_equal(argv.items[0], "/usr/bin/python3");
	assert_string_equal(
		argv.items[3],
		"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5)");
	assert_string_equal(argv.items[4], "--multiprocessing-fork");
	assert_int_equal(procfs_read_exe(ROOT, 4242, &a, &exe, &err), 0);
	assert_string_equal(exe, "/usr/bin/python3.11");
	arena_release(&a);
}

static void fd_types_follow_the_link_target(void **state)
{
	(void)state;
	assert_int_equal(procfs_fd_type("/dev/tty1"), FD_TTY);
	assert_int_equal(procfs_fd_type("/dev/null"), FD_FILE);
	assert_int_equal(procfs_fd_type("pipe:[5]"), FD_PIPE);
	assert_int_equal(procfs_fd_type("socket:[5]"), FD_SOCKET);
	assert_int_equal(procfs_fd_type("anon_inode:[pidfd]"), FD_OTHER);
}

static void gone_or_malformed_processes_fail_with_a_sentence(void **state)
{
	struct arena a;
	struct fd_entry *fds;
	size_t n;
	struct procfs_status st;
	struct procfs_memory m;
	struct mp_err err;

	(void)state;
	arena_init(&a);
	assert_int_equal(procfs_read_fds(ROOT, 9999, &a, &fds, &n, &err), -1);
	assert_non_null(strstr(err.msg, "tests/fixtures/proc/9999/fd"));
	assert_int_equal(procfs_read_status(ROOT, 4300, &st, &err), -1);
	assert_non_null(strstr(err.msg, "has no Tgid, PPid or Threads line"));
	assert_int_equal(procfs_read_memory(ROOT, 4300, &m, &err), -1);
	assert_non_null(strstr(err.msg, "two page counts"));
	assert_int_equal(procfs_read_memory(ROOT, 9999, &m, &err), -1);
	assert_non_null(strstr(err.msg, "tests/fixtures/proc/9999/statm"));
	arena_release(&a);
}

static void descendants_follow_the_ppid_chain(void **state)
{
	(void)state;
	assert_true(procfs_is_descendant(ROOT, 4242, 4242));
	/* 4200 is not in the fixture: the chain stops there */
	assert_false(procfs_is_descendant(ROOT, 4242, 1));
	/* and on the live system, this test is a descendant of its parent */
	assert_true(procfs_is_descendant("/proc", getpid(), getppid()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fds_come_sorted_with_type_target_and_cloexec),
		cmocka_unit_test(a_cached_read_sees_every_change),
		cmocka_unit_test(status_gives_tgid_ppid_and_threads),
		cmocka_unit_test(memory_without_smaps_rollup_is_statm_rss_alone),
		cmocka_unit_test(memory_is_rss_and_the_shared_pages_of_smaps_rollup),
		cmocka_unit_test(a_process_without_memory_is_a_failure),
		cmocka_unit_test(cmdline_splits_on_nul),
		cmocka_unit_test(fd_types_follow_the_link_target),
		cmocka_unit_test(gone_or_malformed_processes_fail_with_a_sentence),
		cmocka_unit_test(descendants_follow_the_ppid_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * procfs.h - what /proc says about a process: its descriptor table, thread
 * count, memory, parent, command line and executable.
 *
 * Every reader takes the proc root ("/proc" live, a folder under
 * tests/fixtures/proc/ in unit tests) so the parsing is testable without a
 * running process. Strings and arrays are allocated in the caller's arena.
 * A process that vanished while being read (ENOENT/ESRCH) is an ordinary
 * failure: -1 with a sentence in err.
 */
#ifndef MP_TRACER_PROCFS_H
#define MP_TRACER_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "trace/trace.h"

/* Descriptor tables bigger than this are cut (a fork bomb of fds is not a lesson). */
#define PROCFS_MAX_FDS 4096

struct procfs_status {
	int tgid;
	int ppid;
	int threads;
};

/* The open descriptors of pid, sorted by number, with type, target and
 * close-on-exec flag (from fdinfo). *fds is NULL when none are open. */
int procfs_read_fds(const char *root, int pid, struct arena *a, struct fd_entry **fds,
		    size_t *count, struct mp_err *err);

/* What one process's descriptors were when its table was last read, so the
 * next read costs one pread per descriptor instead of four system calls: a
 * process that started 64 children held 75 descriptors at the last fork,
 * and reading its table at each fork was most of the tracing cost. The
 * fdinfo file of each descriptor stays open (it always shows what that
 * number is now: a new object, or ENOENT once closed), and a pipe or
 * socket whose identity (mnt_id, ino) is unchanged keeps its target
 * without a readlink. Exact: nothing is assumed that fdinfo does not say.
 * Each open file counts against *open_budget, shared by every cache of a
 * run; past it, descriptors are read the plain way. */
struct procfs_fd_cache {
	struct procfs_fd_seen *seen; /* sorted by fd; malloc'd */
	size_t count;
	int fdinfo_dir; /* /proc/PID/fdinfo, open; -1 before the first read */
	size_t *open_budget;
};
void procfs_fd_cache_init(struct procfs_fd_cache *c, size_t *open_budget);
void procfs_fd_cache_release(struct procfs_fd_cache *c);
/* procfs_read_fds through c (which must be used for one pid only). */
int procfs_read_fds_cached(const char *root, int pid, struct procfs_fd_cache *c, struct arena *a,
			   struct fd_entry **fds, size_t *count, struct mp_err *err);

/* Tgid, PPid and Threads from /proc/PID/status. */
int procfs_read_status(const char *root, int pid, struct procfs_status *st, struct mp_err *err);

struct procfs_memory {
	uint64_t rss; /* bytes resident */
	uint64_t shared; /* bytes of rss also mapped by another process */
	bool has_shared; /* false: only statm could be read, which cannot tell */
};

/* Rss and Shared_Clean + Shared_Dirty from /proc/PID/smaps_rollup; where the
 * kernel lacks it (before 4.14), rss alone from statm. smaps_rollup walks the
 * page tables: about 160 us for a 15 MB Python against 5 us for statm
 * (measured here), so callers take it only at moments worth it. A process
 * without memory (exiting, a zombie) is a failure, like a vanished one. */
int procfs_read_memory(const char *root, int pid, struct procfs_memory *m, struct mp_err *err);

/* Resident bytes from /proc/PID/statm alone; 0 resident pages (a zombie)
 * is a failure. */
int procfs_read_rss(const char *root, int pid, uint64_t *rss, struct mp_err *err);

/* argv from /proc/PID/cmdline (NUL-separated). */
int procfs_read_cmdline(const char *root, int pid, struct arena *a, struct strv *argv,
			struct mp_err *err);

/* The target of /proc/PID/exe, in the arena. */
int procfs_read_exe(const char *root, int pid, struct arena *a, const char **exe,
		    struct mp_err *err);

/* Whether pid is ancestor or one of its descendants (PPid chain). */
enum procfs_kinship {
	PROCFS_DESCENDANT,
	PROCFS_STRANGER,
	PROCFS_GONE, /* pid (or a process of its chain) ended before it could be read */
};
enum procfs_kinship procfs_kinship(const char *root, int pid, int ancestor);
/* procfs_kinship() == PROCFS_DESCENDANT. */
bool procfs_is_descendant(const char *root, int pid, int ancestor);

/* Calls fn for every process listed under root, until fn returns false. */
int procfs_for_each_pid(const char *root, bool (*fn)(int pid, void *ctx), void *ctx,
			struct mp_err *err);

/* Classifies a descriptor by its /proc/PID/fd link target. */
enum fd_type procfs_fd_type(const char *target);

#endif

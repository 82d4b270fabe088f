/*
 * procfs.c - parsing /proc/PID/{fd,fdinfo,status,smaps_rollup,statm,cmdline,exe};
 * see procfs.h.
 *
 * Part of the tracer (the only module that reads /proc). Most readers are
 * called while the process is stopped by ptrace, so its tables do not change
 * under us (memory is also sampled while it runs); a process can still die
 * (SIGKILL) in between, which is reported as an error the caller treats as
 * "process gone".
 */
#include "tracer/procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/PID/cmdline of a Python process is short; this bounds a hostile one. */
#define PROCFS_MAX_CMDLINE (256 * 1024)

static int read_small_file(const char *path, char *buf, size_t cap, size_t *len, struct mp_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return mp_err_set(err, "cannot open '%s': %s", path, strerror(errno));
	while (got + 1 < cap) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return mp_err_set(err, "cannot read '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return 0;
}

enum fd_type procfs_fd_type(const char *target)
{
	if (strncmp(target, "pipe:", 5) == 0)
		return FD_PIPE;
	if (strncmp(target, "socket:", 7) == 0)
		return FD_SOCKET;
	if (strncmp(target, "/dev/pts/", 9) == 0 || strncmp(target, "/dev/tty", 8) == 0 ||
	    strcmp(target, "/dev/console") == 0)
		return FD_TTY;
	if (target[0] == '/')
		return FD_FILE;
	return FD_OTHER; /* anon_inode:[eventfd], memfd, ... */
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int collect_fd_numbers(DIR *dir, int *nums, size_t *count)
{
	struct dirent *de;

	*count = 0;
	/* errno is reset before every readdir(): only it may set it, and
	 * strtol() below can leave ERANGE behind. */
	while ((errno = 0, de = readdir(dir)) != NULL) {
		char *end;
		long n = strtol(de->d_name, &end, 10);

		if (de->d_name[0] == '.' || *end != '\0' || n < 0 || n > INT_MAX)
			continue;
		if (*count == PROCFS_MAX_FDS)
			break;
		nums[(*count)++] = (int)n;
	}
	if (errno != 0)
		return -1;
	/* In number order: the table comes out sorted, and the cache is
	 * searched by number. */
	qsort(nums, *count, sizeof(*nums), cmp_int);
	return 0;
}

/* One descriptor as the cache last saw it. */
struct procfs_fd_seen {
	int fd;
	int info_fd; /* its fdinfo file, open; -1 */
	bool has_id; /* fdinfo said mnt_id and ino */
	uint64_t mnt_id, ino;
	enum fd_type type;
	const char *target; /* in the arena of the read that found it */
};

void procfs_fd_cache_init(struct procfs_fd_cache *c, size_t *open_budget)
{
	memset(c, 0, sizeof(*c));
	c->fdinfo_dir = -1;
	c->open_budget = open_budget;
}

static void forget_seen(struct procfs_fd_cache *c, struct procfs_fd_seen *s)
{
	if (s->info_fd < 0)
		return;
	close(s->info_fd);
	s->info_fd = -1;
	if (c->open_budget)
		(*c->open_budget)++;
}

void procfs_fd_cache_release(struct procfs_fd_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		forget_seen(c, &c->seen[i]);
	free(c->seen);
	if (c->fdinfo_dir >= 0)
		close(c->fdinfo_dir);
	procfs_fd_cache_init(c, c->open_budget);
}

static struct procfs_fd_seen *find_seen(struct procfs_fd_cache *c, int fd)
{
	size_t lo = 0, hi = c ? c->count : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->seen[mid].fd == fd)
			return &c->seen[mid];
		if (c->seen[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static ssize_t pread_text(int fd, char *buf, size_t cap)
{
	ssize_t n;

	do
		n = pread(fd, buf, cap - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* fdinfo's text of descriptor fd: through the file the cache keeps open,
 * opening (and keeping, budget permitting) one when it has none. */
static ssize_t read_fdinfo(struct procfs_fd_cache *c, struct procfs_fd_seen *now, int fdinfo_dir,
			   char *buf, size_t cap)
{
	char name[16];
	ssize_t n;
	int f;

	if (now->info_fd >= 0)
		return pread_text(now->info_fd, buf, cap);
	snprintf(name, sizeof(name), "%d", now->fd);
	f = openat(fdinfo_dir, name, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	n = pread_text(f, buf, cap);
	if (n > 0 && c && c->open_budget && *c->open_budget > 0) {
		(*c->open_budget)--;
		now->info_fd = f;
	} else {
		close(f);
	}
	return n;
}

static uint64_t info_number(const char *text, const char *field, int base, bool *found)
{
	const char *at = strstr(text, field);

	if (!at) {
		*found = false;
		return 0;
	}
	return strtoull(at + strlen(field), NULL, base);
}

/* Describes descriptor now->fd into e. 0, or -1 when it closed meanwhile
 * (then it is left out, as a readdir/readlink race always was). */
static int describe_one(struct procfs_fd_cache *c, const struct procfs_fd_seen *before, int fd_dir,
			int fdinfo_dir, struct procfs_fd_seen *now, struct arena *a,
			struct fd_entry *e)
{
	char info[512], name[16], target[PATH_MAX];
	bool has_flags = true, has_mnt = true, has_ino = true;
	uint64_t flags;
	ssize_t tlen;

	if (read_fdinfo(c, now, fdinfo_dir, info, sizeof(info)) <= 0)
		return -1;
	/* "flags:\t02100002" in fdinfo is octal; O_CLOEXEC there is the kernel's
	 * 02000000 on every architecture mpscope builds for. */
	flags = info_number(info, "flags:", 8, &has_flags);
	now->mnt_id = info_number(info, "mnt_id:", 10, &has_mnt);
	now->ino = info_number(info, "ino:", 10, &has_ino);
	now->has_id = has_mnt && has_ino;
	if (!has_flags)
		return -1;
	/* A pipe's or socket's target is its inode: the same inode, the
	 * same text. (Anonymous inodes share one ino; files can be renamed.) */
	if (before && before->has_id && now->has_id && before->mnt_id == now->mnt_id &&
	    before->ino == now->ino && (before->type == FD_PIPE || before->type == FD_SOCKET)) {
		now->type = before->type;
		now->target = before->target;
	} else {
		snprintf(name, sizeof(name), "%d", now->fd);
		tlen = readlinkat(fd_dir, name, target, sizeof(target) - 1);
		if (tlen < 0)
			return -1;
		target[tlen] = '\0';
		now->type = procfs_fd_type(target);
		now->target = arena_strndup(a, target, (size_t)tlen);
		if (!now->target)
			return -2;
	}
	e->fd = now->fd;
	e->type = now->type;
	e->as_fd = -1;
	e->target = now->target;
	e->is_cloexec = (flags & 02000000) != 0;
	return 0;
}

/* Fills out[] from the listed numbers; names are resolved relative to the
 * open fd/ and fdinfo/ folders (one path component each instead of a walk
 * from the root: /proc lookups are most of a fork's tracing cost). With a
 * cache, what it saw replaces what the cache held. */
static int describe_fds(struct procfs_fd_cache *c, int fd_dir, int fdinfo_dir, const int *nums,
			size_t n, struct arena *a, struct fd_entry *out, size_t *kept)
{
	struct procfs_fd_seen *seen = calloc(n ? n : 1, sizeof(*seen));
	size_t seen_count = 0;
	int rc = 0;

	if (!seen)
		return -1;
	*kept = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct procfs_fd_seen *before = find_seen(c, nums[i]), *now = &seen[seen_count];
		int got;

		*now = (struct procfs_fd_seen){ .fd = nums[i], .info_fd = -1 };
		if (before) { /* its open fdinfo file moves to the new entry */
			now->info_fd = before->info_fd;
			before->info_fd = -1;
		}
		got = describe_one(c, before, fd_dir, fdinfo_dir, now, a, &out[*kept]);
		if (got == -2)
			rc = -1;
		if (got < 0) {
			forget_seen(c, now);
			continue;
		}
		(*kept)++;
		seen_count++;
	}
	if (!c) {
		free(seen);
		return rc;
	}
	for (size_t i = 0; i < c->count; i++)
		forget_seen(c, &c->seen[i]); /* descriptors closed since */
	free(c->seen);
	c->seen = seen;
	c->count = seen_count;
	return rc;
}

int procfs_read_fds_cached(const char *root, int pid, struct procfs_fd_cache *c, struct arena *a,
			   struct fd_entry **fds, size_t *count, struct mp_err *err)
{
	char path[PATH_MAX], info_path[PATH_MAX];
	int *nums = NULL, fdinfo_dir = -1, rc = -1;
	size_t n = 0, kept = 0;
	DIR *dir;
	struct fd_entry *out = NULL;

	*fds = NULL;
	*count = 0;
	snprintf(path, sizeof(path), "%s/%d/fd", root, pid);
	snprintf(info_path, sizeof(info_path), "%s/%d/fdinfo", root, pid);
	dir = opendir(path);
	if (!dir)
		return mp_err_set(err, "cannot list '%s': %s", path, strerror(errno));
	fdinfo_dir = c && c->fdinfo_dir >= 0 ? c->fdinfo_dir
					     : open(info_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c)
		c->fdinfo_dir = fdinfo_dir;
	nums = malloc(PROCFS_MAX_FDS * sizeof(*nums));
	if (fdinfo_dir < 0) {
		mp_err_set(err, "cannot open '%s': %s", info_path, strerror(errno));
	} else if (!nums) {
		mp_err_set(err, "out of memory while listing '%s'", path);
	} else if (collect_fd_numbers(dir, nums, &n) < 0) {
		mp_err_set(err, "cannot list '%s': %s", path, strerror(errno));
	} else if (n && !(out = arena_calloc(a, n, sizeof(*out)))) {
		mp_err_set(err, "out of memory while listing '%s'", path);
	} else if (describe_fds(c, dirfd(dir), fdinfo_dir, nums, n, a, out, &kept) < 0) {
		mp_err_set(err, "out of memory while listing '%s'", path);
	} else {
		*fds = kept ? out : NULL;
		*count = kept;
		rc = 0;
	}
	closedir(dir);
	if (!c && fdinfo_dir >= 0)
		close(fdinfo_dir);
	free(nums);
	return rc;
}

int procfs_read_fds(const char *root, int pid, struct arena *a, struct fd_entry **fds,
		    size_t *count, struct mp_err *err)
{
	return procfs_read_fds_cached(root, pid, NULL, a, fds, count, err);
}

static int status_field(const char *buf, const char *name, int *value)
{
	const char *p = buf;
	size_t nlen = strlen(name);

	while (p && *p) {
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':') {
			*value = (int)strtol(p + nlen + 1, NULL, 10);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int procfs_read_status(const char *root, int pid, struct procfs_status *st, struct mp_err *err)
{
	char path[PATH_MAX], buf[4096];
	size_t len;

	snprintf(path, sizeof(path), "%s/%d/status", root, pid);
	if (read_small_file(path, buf, sizeof(buf), &len, err) < 0)
		return -1;
	if (status_field(buf, "Tgid", &st->tgid) < 0 || status_field(buf, "PPid", &st->ppid) < 0 ||
	    status_field(buf, "Threads", &st->threads) < 0)
		return mp_err_set(err, "'%s' has no Tgid, PPid or Threads line", path);
	return 0;
}

int procfs_read_rss(const char *root, int pid, uint64_t *rss, struct mp_err *err)
{
	char path[PATH_MAX], buf[256];
	size_t len;
	unsigned long long size, resident;
	long page = sysconf(_SC_PAGESIZE);

	snprintf(path, sizeof(path), "%s/%d/statm", root, pid);
	if (read_small_file(path, buf, sizeof(buf), &len, err) < 0)
		return -1;
	if (sscanf(buf, "%llu %llu", &size, &resident) != 2)
		return mp_err_set(err, "'%s' does not start with two page counts", path);
	/* A zombie's statm is all zeros: it has no memory left to show. */
	if (resident == 0)
		return mp_err_set(err, "'%s' shows no resident page: the process is exiting", path);
	*rss = resident * (uint64_t)(page > 0 ? page : 4096);
	return 0;
}

/* The value of a "Name:   123 kB" line, in bytes; false when absent. */
static bool kb_field(const char *buf, const char *name, uint64_t *bytes)
{
	size_t nl = strlen(name);
	unsigned long long kb;
	const char *line = buf;

	while (line) {
		if (strncmp(line, name, nl) == 0 && line[nl] == ':' &&
		    sscanf(line + nl + 1, "%llu", &kb) == 1) {
			*bytes = (uint64_t)kb * 1024;
			return true;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

int procfs_read_memory(const char *root, int pid, struct procfs_memory *m, struct mp_err *err)
{
	char path[PATH_MAX], buf[2048];
	size_t len;
	uint64_t clean, dirty;

	snprintf(path, sizeof(path), "%s/%d/smaps_rollup", root, pid);
	if (access(path, F_OK) < 0) {
		/* No smaps_rollup (Linux < 4.14), or no process (statm then
		 * fails too). statm's third count is every file-backed page,
		 * whether or not another process maps it: not "shared". */
		m->shared = 0;
		m->has_shared = false;
		return procfs_read_rss(root, pid, &m->rss, err);
	}
	if (read_small_file(path, buf, sizeof(buf), &len, err) < 0)
		return -1; /* a zombie's: ESRCH */
	if (!kb_field(buf, "Rss", &m->rss) || !kb_field(buf, "Shared_Clean", &clean) ||
	    !kb_field(buf, "Shared_Dirty", &dirty))
		return mp_err_set(err, "'%s' has no Rss, Shared_Clean or Shared_Dirty line", path);
	if (m->rss == 0)
		return mp_err_set(err, "'%s' shows no resident page: the process is exiting", path);
	m->shared = clean + dirty;
	m->has_shared = true;
	return 0;
}

int procfs_read_cmdline(const char *root, int pid, struct arena *a, struct strv *argv,
			struct mp_err *err)
{
	char path[PATH_MAX];
	char *buf = malloc(PROCFS_MAX_CMDLINE);
	size_t len, n = 0;

	argv->items = NULL;
	argv->count = 0;
	if (!buf)
		return mp_err_set(err, "out of memory while reading a command line");
	snprintf(path, sizeof(path), "%s/%d/cmdline", root, pid);
	if (read_small_file(path, buf, PROCFS_MAX_CMDLINE, &len, err) < 0) {
		free(buf);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\0';
	if (len && buf[len - 1] != '\0')
		n++; /* a process may rewrite its cmdline without the final NUL */
	argv->items = n ? arena_calloc(a, n, sizeof(*argv->items)) : NULL;
	for (size_t i = 0, k = 0; argv->items && i < len && k < n; k++) {
		size_t l = strnlen(buf + i, len - i);

		argv->items[k] = arena_strndup(a, buf + i, l);
		if (!argv->items[k])
			break;
		argv->count = k + 1;
		i += l + 1;
	}
	free(buf);
	if (argv->count != n)
		return mp_err_set(err, "out of memory while reading '%s'", path);
	return 0;
}

int procfs_read_exe(const char *root, int pid, struct arena *a, const char **exe,
		    struct mp_err *err)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/exe", root, pid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return mp_err_set(err, "cannot read the link '%s': %s", path, strerror(errno));
	*exe = arena_strndup(a, target, (size_t)n);
	if (!*exe)
		return mp_err_set(err, "out of memory while reading '%s'", path);
	return 0;
}

enum procfs_kinship procfs_kinship(const char *root, int pid, int ancestor)
{
	/* PPid is the real parent even while a process is ptraced. */
	for (int steps = 0; pid > 1 && steps < 4096; steps++) {
		struct procfs_status st;

		if (pid == ancestor)
			return PROCFS_DESCENDANT;
		if (procfs_read_status(root, pid, &st, NULL) < 0)
			return PROCFS_GONE;
		pid = st.ppid;
	}
	return pid == ancestor ? PROCFS_DESCENDANT : PROCFS_STRANGER;
}

bool procfs_is_descendant(const char *root, int pid, int ancestor)
{
	return procfs_kinship(root, pid, ancestor) == PROCFS_DESCENDANT;
}

int procfs_for_each_pid(const char *root, bool (*fn)(int pid, void *ctx), void *ctx,
			struct mp_err *err)
{
	DIR *dir = opendir(root);
	struct dirent *de;

	if (!dir)
		return mp_err_set(err, "cannot list '%s': %s", root, strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || *end != '\0' || pid > INT_MAX)
			continue;
		if (!fn((int)pid, ctx))
			break;
	}
	closedir(dir);
	return 0;
}

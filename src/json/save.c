/*
 * save.c - writing a file atomically: the text goes to a temporary file
 * beside the target and is renamed over it. A writer that fails or is
 * killed leaves the old file (or none), never a torn one. A durable save
 * also fsyncs the file and then its folder, so that the rename survives a
 * crash of the machine: the student's progress is saved so; a recording is
 * not (the fsync alone was 4 ms, an eighth of a two-process run, and a
 * recording lost to a power cut is made again).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json/save.h"
#include "json/trace_json.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The folder of path ("." when it has none), for the temp file and fsync. */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

static int sync_dir(const char *path)
{
	char dir[4096];
	int fd, rc;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int json_save_atomic(const char *path, const char *data, size_t len, enum json_save how,
		     struct mp_err *err)
{
	bool is_durable = how == JSON_SAVE_DURABLE;
	char tmp[4096];
	mode_t mask;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return mp_err_set(err, "cannot write '%s': the path is too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return mp_err_set(err, "cannot write '%s': %s", path, strerror(errno));
	/* mkstemp makes the file private (0600); a trace or the progress
	 * file is an ordinary file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, data, len) < 0 ||
	    (is_durable && fsync(fd) < 0)) {
		int saved = errno;

		close(fd);
		unlink(tmp);
		return mp_err_set(err, "cannot write '%s': %s", path, strerror(saved));
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int saved = errno;

		unlink(tmp);
		return mp_err_set(err, "cannot write '%s': %s", path, strerror(saved));
	}
	if (is_durable && sync_dir(path) < 0)
		return mp_err_set(err, "wrote '%s' but could not sync its folder: %s", path,
				  strerror(errno));
	return 0;
}

int trace_json_save(const char *path, const struct trace *tr, struct mp_err *err)
{
	struct sbuf text;
	int rc;

	sbuf_init(&text);
	rc = trace_json_dump(tr, &text, err);
	if (rc == 0)
		rc = json_save_atomic(path, text.data, text.len, JSON_SAVE_QUICK, err);
	sbuf_release(&text);
	return rc;
}

/*
 * whole_file.c - see whole_file.h. A trace is read in full anyway (the
 * model holds it), and one buffer lets the parsers run without refills.
 */
#include "json/whole_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checks what fd is before anything is allocated for it. */
static int check_file(int fd, const char *path, size_t max, const char *what, struct stat *st,
		      struct mp_err *err)
{
	if (fstat(fd, st) < 0)
		return mp_err_set(err, "cannot read '%s': %s", path, strerror(errno));
	if (!S_ISREG(st->st_mode))
		return mp_err_set(err, "cannot read '%s': %s", path,
				  S_ISDIR(st->st_mode) ? "it is a folder" : "not a regular file");
	if (max && (unsigned long long)st->st_size > max)
		return mp_err_set(err, "%s: a %s is at most %zu bytes (this one has %lld)", path,
				  what, max, (long long)st->st_size);
	return 0;
}

char *json_read_whole_file(const char *path, size_t max, const char *what, size_t *len,
			   struct mp_err *err)
{
	struct stat st;
	char *buf;
	size_t used = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return mp_err_set(err, "cannot open '%s': %s", path, strerror(errno)), NULL;
	if (check_file(fd, path, max, what, &st, err) < 0) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return mp_err_set(err, "cannot read '%s': out of memory", path), NULL;
	}
	while (used < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + used, (size_t)st.st_size - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mp_err_set(err, "cannot read '%s': %s", path,
				   n < 0 ? strerror(errno) : "the file shrank while reading");
			free(buf);
			close(fd);
			return NULL;
		}
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;
}

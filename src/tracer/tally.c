/*
 * tally.c - the pickles a process counted but did not send one by one
 * (src/probe/mpscope_probe/tally.py), read from the tally file it wrote in
 * the probe's folder and added to the trace as pickle.summary events, one
 * per purpose and direction, stamped at the process's end.
 *
 * The file is the probe's: its name comes in a probe.tally message (which
 * names only a file of the private folder), and every number in it is
 * checked before use. A file that is missing, short or not a tally adds
 * nothing, and the trace says the run lost events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracer/tally.h"
#include "tracer/tracer_internal.h"

/* The layout of tally.py, in 64-bit words. */
#define TALLY_MAGIC 0x31594C4C4154504DULL /* "MPTALLY1" */
#define TALLY_VERSION 1
#define TALLY_HEADER_WORDS 4
#define TALLY_ROWS 64
#define TALLY_WHATS 6
#define TALLY_SLOTS (2 * TALLY_WHATS)
#define TALLY_WORDS (TALLY_HEADER_WORDS + TALLY_ROWS * 2 * TALLY_SLOTS)

/* In tally.py's order. */
static const char *const tally_whats[TALLY_WHATS] = {
	"process", "preparation", "pool_task", "pool_result", "queue_item", "other",
};

bool tally_is_file_name(const char *name)
{
	const char *at;

	if (!name || strncmp(name, "tally-", 6) != 0)
		return false;
	for (at = name + 6; *at; at++)
		if ((*at < '0' || *at > '9') && *at != '-')
			return false;
	return at > name + 6 && at - name < 40;
}

/* Reads the whole file into words. -1 when it is not a whole tally. */
static int read_words(int dir_fd, const char *name, uint64_t words[TALLY_WORDS])
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < sizeof(uint64_t) * TALLY_WORDS) {
		ssize_t n = read(fd, (char *)words + got, sizeof(uint64_t) * TALLY_WORDS - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == sizeof(uint64_t) * TALLY_WORDS ? 0 : -1;
}

int tally_read(int dir_fd, const char *name, int pid, struct tally *out)
{
	uint64_t words[TALLY_WORDS];
	uint64_t rows;

	memset(out, 0, sizeof(*out));
	if (!tally_is_file_name(name) || read_words(dir_fd, name, words) < 0)
		return -1;
	rows = words[3];
	if (words[0] != TALLY_MAGIC || words[1] != TALLY_VERSION || words[2] != (uint64_t)pid ||
	    rows > TALLY_ROWS)
		return -1;
	for (uint64_t r = 0; r < rows; r++) {
		const uint64_t *row = &words[TALLY_HEADER_WORDS + r * 2 * TALLY_SLOTS];

		for (int slot = 0; slot < TALLY_SLOTS; slot++) {
			out->count[slot] += row[2 * slot];
			out->size[slot] += row[2 * slot + 1];
		}
	}
	return 0;
}

const char *tally_what(int slot)
{
	return slot >= 0 && slot < TALLY_SLOTS ? tally_whats[slot / 2] : NULL;
}

enum pickle_direction tally_direction(int slot)
{
	return slot % 2 ? DIRECTION_LOAD : DIRECTION_DUMP;
}

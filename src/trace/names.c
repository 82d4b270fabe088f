/*
 * names.c - the spelling of every enum of the trace contract, in one table
 * per enum, so reader, writer and docs agree.
 */
#include <string.h>

#include "trace/trace.h"

static const char *const ev_kind_names[EV_KIND_COUNT] = {
	[EV_PROC_START] = "proc.start",
	[EV_FORK] = "fork",
	[EV_EXEC] = "exec",
	[EV_EXIT] = "exit",
	[EV_FDS] = "fds",
	[EV_THREADS] = "threads",
	[EV_MEMORY] = "memory",
	[EV_START_METHOD] = "start_method",
	[EV_IMPORT] = "import",
	[EV_PICKLE_DUMP] = "pickle.dump",
	[EV_PICKLE_LOAD] = "pickle.load",
	[EV_PICKLE_FIND_CLASS] = "pickle.find_class",
	[EV_OUTPUT] = "output",
	[EV_ERROR] = "error",
	[EV_FDS_PASS] = "fds.pass",
	[EV_FDS_LABEL] = "fds.label",
	[EV_PICKLE_SUMMARY] = "pickle.summary",
	[EV_UNKNOWN] = "unknown",
};

static const char *const role_names[ROLE_COUNT] = {
	"main", "child", "forkserver", "resource_tracker", "manager", "other",
};

static const char *const fork_via_names[VIA_COUNT] = { "fork", "vfork", "clone" };
static const char *const fd_type_names[FD_TYPE_COUNT] = { "file", "pipe", "socket", "tty",
							  "other" };
static const char *const fds_at_names[FDS_AT_COUNT] = { "start", "fork", "exec" };
static const char *const stream_names[STREAM_COUNT] = { "stdout", "stderr" };
static const char *const pass_via_names[PASS_VIA_COUNT] = {
	"fork",
	"exec",
	"scm_rights",
	"resource_sharer",
};

static const char *const mem_at_names[MEM_AT_COUNT] = { "start", "fork", "exit", "sample" };
static const char *const fd_purpose_names[FD_PURPOSE_COUNT] = {
	[FD_STARTUP_DATA] = "startup_data",
	[FD_SENTINEL] = "sentinel",
	[FD_PARENT_SENTINEL] = "parent_sentinel",
	[FD_RESOURCE_TRACKER] = "resource_tracker",
	[FD_FORKSERVER_LISTENER] = "forkserver_listener",
	[FD_FORKSERVER_CLIENT] = "forkserver_client",
	[FD_FORKSERVER_ALIVE] = "forkserver_alive",
	[FD_CONNECTION] = "connection",
};

static const char *const pickle_direction_names[DIRECTION_COUNT] = { "dump", "load" };

static const char *name_of(const char *const *names, int count, int v)
{
	return (v >= 0 && v < count) ? names[v] : NULL;
}

static int index_of(const char *const *names, int count, const char *s)
{
	for (int i = 0; i < count; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define NAME_PAIR(fn, type, table, count)                                                          \
	const char *fn##_name(type v)                                                              \
	{                                                                                          \
		return name_of(table, count, (int)v);                                              \
	}                                                                                          \
	int fn##_from_name(const char *s)                                                          \
	{                                                                                          \
		return index_of(table, count, s);                                                  \
	}

NAME_PAIR(role, enum role, role_names, ROLE_COUNT)
NAME_PAIR(fork_via, enum fork_via, fork_via_names, VIA_COUNT)
NAME_PAIR(fd_type, enum fd_type, fd_type_names, FD_TYPE_COUNT)
NAME_PAIR(fds_at, enum fds_at, fds_at_names, FDS_AT_COUNT)
NAME_PAIR(stream, enum out_stream, stream_names, STREAM_COUNT)
NAME_PAIR(pass_via, enum pass_via, pass_via_names, PASS_VIA_COUNT)
NAME_PAIR(mem_at, enum mem_at, mem_at_names, MEM_AT_COUNT)
NAME_PAIR(fd_purpose, enum fd_purpose, fd_purpose_names, FD_PURPOSE_COUNT)
NAME_PAIR(pickle_direction, enum pickle_direction, pickle_direction_names, DIRECTION_COUNT)

const char *ev_kind_name(enum ev_kind k)
{
	return name_of(ev_kind_names, EV_KIND_COUNT, (int)k);
}

int ev_kind_from_name(const char *s)
{
	/* "unknown" is our placeholder, not a kind a file may use by that name. */
	int k = index_of(ev_kind_names, EV_UNKNOWN, s);

	return k;
}

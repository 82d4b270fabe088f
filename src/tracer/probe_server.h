/*
 * probe_server.h - the tracer's end of the probe socket (docs/probe-protocol.md).
 *
 * A SOCK_SEQPACKET listener in a private 0700 folder, served by one reader
 * thread that accepts connections and stores every message as it arrives.
 * Why a thread and not polling between ptrace waits: the probe's send()
 * blocks when the socket queue is full, and the ptrace loop sleeps in
 * waitpid(); a tracee blocked on send raises no ptrace event, so a
 * single-threaded tracer could wait forever on a program that waits on it.
 * The thread never touches ptrace (only the attaching thread may) nor the
 * trace: it only queues raw packets, and each new peer's memory read from
 * /proc as it connects, which the main thread merges at the end.
 *
 * Only peers that are descendants of this process and run under our uid are
 * accepted (SO_PEERCRED at accept); mpscope is a child subreaper for the run,
 * so orphaned descendants stay descendants.
 */
#ifndef MP_TRACER_PROBE_SERVER_H
#define MP_TRACER_PROBE_SERVER_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "tracer/procfs.h"
#include "tracer/read_budget.h"

/* The protocol caps a message at 200 KiB; anything longer is refused. */
#define PROBE_MSG_MAX (200 * 1024)

/* A packet as received: one probe message, or several separated by '\n'
 * (docs/probe-protocol.md, "Transport"). */
struct probe_packet {
	struct probe_packet *next;
	int peer_pid; /* the sender according to the kernel (SO_PEERCRED) */
	/* False when the sender had already ended when its connection was
	 * accepted, so it could not be checked to be ours: merge.c takes its
	 * messages only if the run knows that process. */
	bool is_verified;
	size_t len;
	char data[]; /* the JSON text, NUL-terminated */
};

/* A process's memory as its probe connected (then sends probe.hello): the
 * moment its interpreter is running, the first one worth a `memory at
 * start`. The reader thread reads it as it accepts, since the ptrace loop
 * only hears of the probe at the end of the run. */
struct probe_start_sample {
	int pid;
	int64_t when; /* CLOCK_MONOTONIC ns */
	struct procfs_memory mem;
};

struct probe_server {
	char dir[64]; /* the private folder, removed by probe_server_release */
	char path[96]; /* the socket inside it: the probe's MPSCOPE_SOCK */
	int listen_fd;
	int wake_fd; /* eventfd: asks the thread to drain and finish */
	pthread_t thread;
	bool has_thread;
	/* Written by the thread; read only after probe_server_stop(). */
	struct probe_packet *head, *tail; /* in arrival order */
	size_t packet_count;
	uint64_t refused_peers; /* connections from processes that are not ours */
	uint64_t oversized; /* messages over PROBE_MSG_MAX, dropped */
	int thread_errno; /* first failure that ended the thread early, or 0 */
	uint64_t *probe_inodes; /* the probe's end of each connection ("socket:[N]"), malloc'd */
	size_t probe_inode_count;
	size_t probe_inode_cap;
	struct probe_start_sample *samples; /* one per accepted connection, malloc'd */
	struct read_budget
		start_reads; /* the reader thread's own: it runs beside the ptrace side */
	size_t sample_count;
	size_t sample_cap;
};

/* Creates the folder and the listening socket, starts the reader thread.
 * Call before forking the program. On failure everything is undone. The
 * thread starts with every signal blocked, so signals reach the main thread. */
int probe_server_start(struct probe_server *ps, struct mp_err *err);

/* Asks the thread to read everything still queued and end; joins it. Call
 * once all traced processes are gone. -1 with err if the thread failed. */
int probe_server_stop(struct probe_server *ps, struct mp_err *err);

/* Frees the packets, removes the socket and its folder. Safe after a
 * failed start and to call twice. */
void probe_server_release(struct probe_server *ps);

#endif

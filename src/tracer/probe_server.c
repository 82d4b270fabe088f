/*
 * probe_server.c - the probe socket and its reader thread; see probe_server.h.
 */
#include "tracer/probe_server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tracer/procfs.h"
#include "tracer/tally.h"
#include "tracer/unix_peer.h"

/* Far above the processes a lesson starts; more connections wait in the
 * listen backlog until one closes. */
#define MAX_CONNS 1024

struct conn {
	int fd;
	int pid;
	bool is_verified; /* see struct probe_packet */
};

struct reader {
	struct probe_server *ps;
	struct conn conns[MAX_CONNS];
	size_t conn_count;
	char *buf; /* one receive buffer, PROBE_MSG_MAX + 1 bytes */
};

static int store_msg(struct probe_server *ps, const struct conn *c, const char *data, size_t len)
{
	struct probe_packet *m = malloc(sizeof(*m) + len + 1);

	if (!m)
		return -1;
	m->next = NULL;
	m->peer_pid = c->pid;
	m->is_verified = c->is_verified;
	m->len = len;
	memcpy(m->data, data, len);
	m->data[len] = '\0';
	if (ps->tail)
		ps->tail->next = m;
	else
		ps->head = m;
	ps->tail = m;
	ps->packet_count++;
	return 0;
}

/* Best effort: without it the probe's socket shows in the fd tables. */
static void remember_probe_inode(struct probe_server *ps, int fd)
{
	uint64_t ino;

	if (unix_peer_inode(fd, &ino) < 0)
		return;
	if (ps->probe_inode_count == ps->probe_inode_cap) {
		size_t cap = ps->probe_inode_cap ? ps->probe_inode_cap * 2 : 64;
		uint64_t *grown = realloc(ps->probe_inodes, cap * sizeof(*grown));

		if (!grown)
			return;
		ps->probe_inodes = grown;
		ps->probe_inode_cap = cap;
	}
	ps->probe_inodes[ps->probe_inode_count++] = ino;
}

/* Best effort, like the inode: without it the process has no start sample. */
static void remember_start_memory(struct probe_server *ps, int pid)
{
	struct probe_start_sample s = { .pid = pid };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	s.when = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	if (!read_budget_take(&ps->start_reads, s.when) ||
	    procfs_read_memory("/proc", pid, &s.mem, NULL) < 0)
		return;
	if (ps->sample_count == ps->sample_cap) {
		size_t cap = ps->sample_cap ? ps->sample_cap * 2 : 64;
		struct probe_start_sample *grown = realloc(ps->samples, cap * sizeof(*grown));

		if (!grown)
			return;
		ps->samples = grown;
		ps->sample_cap = cap;
	}
	ps->samples[ps->sample_count++] = s;
}

static void accept_pending(struct reader *r)
{
	for (;;) {
		struct ucred cred;
		socklen_t clen = sizeof(cred);
		enum procfs_kinship kin;
		int fd = accept4(r->ps->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			return; /* EAGAIN: no more waiting; other errors: the peer gave up */
		/* A short-lived process (a forkserver child that prints and
		 * exits) may be gone, reaped by the ptrace loop, before this
		 * thread accepts it: it cannot be checked here, but its
		 * messages are queued and still sit in the socket. */
		kin = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
				cred.uid != getuid()
			? PROCFS_STRANGER
			: procfs_kinship("/proc", cred.pid, getpid());
		if (kin == PROCFS_STRANGER || r->conn_count == MAX_CONNS) {
			r->ps->refused_peers++;
			close(fd);
			continue;
		}
		r->conns[r->conn_count++] = (struct conn){
			.fd = fd, .pid = cred.pid, .is_verified = kin == PROCFS_DESCENDANT
		};
		remember_probe_inode(r->ps, fd);
		remember_start_memory(r->ps, cred.pid);
	}
}

/* Reads every message queued on c. Returns false when the peer closed. */
static bool drain_conn(struct reader *r, struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, r->buf, PROBE_MSG_MAX + 1, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		if (n == 0)
			return false;
		if (n > PROBE_MSG_MAX) {
			r->ps->oversized++;
			continue;
		}
		if (store_msg(r->ps, c, r->buf, (size_t)n) < 0) {
			r->ps->thread_errno = ENOMEM;
			return false;
		}
	}
}

/* Returns how many packets were read. */
static size_t drain_all(struct reader *r)
{
	size_t before = r->ps->packet_count;

	for (size_t i = 0; i < r->conn_count;) {
		if (drain_conn(r, &r->conns[i])) {
			i++;
			continue;
		}
		close(r->conns[i].fd);
		r->conns[i] = r->conns[--r->conn_count];
	}
	return r->ps->packet_count - before;
}

static const struct timespec batch_nap = { .tv_sec = 0, .tv_nsec = 1000000 };

static void *reader_main(void *arg)
{
	static struct pollfd pfd[MAX_CONNS + 2];
	struct reader *r = arg;
	bool is_stopping = false;

	while (!is_stopping && r->ps->thread_errno == 0) {
		size_t n = 0;

		pfd[n++] = (struct pollfd){ .fd = r->ps->wake_fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = r->ps->listen_fd, .events = POLLIN };
		for (size_t i = 0; i < r->conn_count; i++)
			pfd[n++] = (struct pollfd){ .fd = r->conns[i].fd, .events = POLLIN };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			r->ps->thread_errno = errno;
			break;
		}
		is_stopping = pfd[0].revents != 0;
		if (pfd[1].revents)
			accept_pending(r);
		/* A busy program (a Pool: ~30 messages a millisecond) would wake
		 * this thread for every message, and the wakeups cost more than
		 * the reads. A short nap lets messages pile up: then one wakeup
		 * reads dozens. The queue (the sender's ~200 KB socket buffer)
		 * holds far more than a millisecond's worth, so the probe does
		 * not block on it. */
		if (drain_all(r) > 0 && !is_stopping)
			nanosleep(&batch_nap, NULL);
	}
	/* Every traced process is gone: what they sent is queued. A last
	 * accept catches connections made just before the end. */
	accept_pending(r);
	drain_all(r);
	for (size_t i = 0; i < r->conn_count; i++)
		close(r->conns[i].fd);
	r->conn_count = 0;
	return NULL;
}

static struct reader the_reader; /* one server per run; 16 KiB of conns is too big for a stack */

int probe_server_start(struct probe_server *ps, struct mp_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	sigset_t all, old;
	int rc;

	memset(ps, 0, sizeof(*ps));
	ps->listen_fd = -1;
	ps->wake_fd = -1;
	snprintf(ps->dir, sizeof(ps->dir), "/tmp/mpscope-XXXXXX");
	if (!mkdtemp(ps->dir)) { /* mkdtemp makes the folder 0700 */
		ps->dir[0] = '\0';
		return mp_err_set(err,
				  "cannot create a private folder in /tmp for the probe socket: %s",
				  strerror(errno));
	}
	snprintf(ps->path, sizeof(ps->path), "%s/probe.sock", ps->dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", ps->path);
	ps->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ps->listen_fd < 0 || bind(ps->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(ps->listen_fd, SOMAXCONN) < 0) {
		mp_err_set(err, "cannot open the probe socket '%s': %s", ps->path, strerror(errno));
		probe_server_release(ps);
		return -1;
	}
	ps->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	the_reader = (struct reader){ .ps = ps, .buf = malloc(PROBE_MSG_MAX + 1) };
	if (ps->wake_fd < 0 || !the_reader.buf) {
		mp_err_set(err, "cannot set up the probe reader: %s",
			   strerror(errno ? errno : ENOMEM));
		probe_server_release(ps);
		return -1;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ps->thread, NULL, reader_main, &the_reader);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		mp_err_set(err, "cannot start the probe reader thread: %s", strerror(rc));
		probe_server_release(ps);
		return -1;
	}
	ps->has_thread = true;
	return 0;
}

int probe_server_stop(struct probe_server *ps, struct mp_err *err)
{
	uint64_t one = 1;

	if (!ps->has_thread)
		return 0;
	if (write(ps->wake_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		return mp_err_set(err, "cannot wake the probe reader: %s", strerror(errno));
	pthread_join(ps->thread, NULL);
	ps->has_thread = false;
	if (ps->thread_errno)
		return mp_err_set(err, "the probe reader stopped early: %s",
				  strerror(ps->thread_errno));
	return 0;
}

/* The probes' tally files (tally.c) go with the folder; anything else
 * the program put there is its own, and keeps the folder. */
static void remove_tallies(const char *dir)
{
	DIR *d = opendir(dir);
	const struct dirent *entry;

	if (!d)
		return;
	while ((entry = readdir(d)))
		if (tally_is_file_name(entry->d_name))
			unlinkat(dirfd(d), entry->d_name, 0);
	closedir(d);
}

void probe_server_release(struct probe_server *ps)
{
	struct mp_err ignored;

	if (ps->has_thread)
		probe_server_stop(ps, &ignored);
	while (ps->head) {
		struct probe_packet *next = ps->head->next;

		free(ps->head);
		ps->head = next;
	}
	ps->tail = NULL;
	ps->packet_count = 0;
	free(ps->probe_inodes);
	ps->probe_inodes = NULL;
	ps->probe_inode_count = ps->probe_inode_cap = 0;
	free(ps->samples);
	ps->samples = NULL;
	ps->sample_count = ps->sample_cap = 0;
	if (ps->listen_fd >= 0)
		close(ps->listen_fd);
	if (ps->wake_fd >= 0)
		close(ps->wake_fd);
	ps->listen_fd = ps->wake_fd = -1;
	if (ps->path[0])
		unlink(ps->path);
	if (ps->dir[0]) {
		remove_tallies(ps->dir);
		rmdir(ps->dir);
	}
	ps->path[0] = ps->dir[0] = '\0';
	if (the_reader.ps == ps) {
		free(the_reader.buf);
		the_reader = (struct reader){ 0 };
	}
}

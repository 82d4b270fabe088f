/*
 * output.c - turning a seccomp stop on write/writev(fd 1|2) into an
 * `output` event.
 *
 * The stop happens at syscall entry, so the bytes are what the program asked
 * to write (a short write later is the program's business). Each write is
 * one event; joining a process's writes for display is the UI's job.
 */
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "tracer/tracee_mem.h"
#include "tracer/tracer_internal.h"

/* Bytes kept per write: enough for any lesson, bounded for a runaway loop. */
#define OUTPUT_CAP (64 * 1024)
/* iovec entries read per writev (CPython's print never uses writev). */
#define OUTPUT_MAX_IOV 64
/* Output kept per run: a program that prints without end must not grow
 * the trace (and mpscope's memory) without end. */
#define OUTPUT_BUDGET (16u * 1024 * 1024)

static size_t read_write_buf(int tid, const uint64_t args[6], char *buf)
{
	size_t want = args[2] < OUTPUT_CAP ? (size_t)args[2] : OUTPUT_CAP;
	ssize_t n = tracee_mem_read(tid, args[1], buf, want);

	return n > 0 ? (size_t)n : 0;
}

static size_t read_writev_buf(int tid, const uint64_t args[6], char *buf)
{
	struct iovec iov[OUTPUT_MAX_IOV];
	size_t cnt = args[2] < OUTPUT_MAX_IOV ? (size_t)args[2] : OUTPUT_MAX_IOV;
	ssize_t got = tracee_mem_read(tid, args[1], iov, cnt * sizeof(iov[0]));
	size_t len = 0;

	if (got <= 0)
		return 0;
	cnt = (size_t)got / sizeof(iov[0]);
	for (size_t i = 0; i < cnt && len < OUTPUT_CAP; i++) {
		size_t want = iov[i].iov_len < OUTPUT_CAP - len ? iov[i].iov_len : OUTPUT_CAP - len;
		ssize_t n =
			tracee_mem_read(tid, (uint64_t)(uintptr_t)iov[i].iov_base, buf + len, want);

		if (n <= 0)
			break;
		len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	return len;
}

static void capped_once(struct tracer *t, const struct tproc *p, int64_t now)
{
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_ERROR };

	if (t->is_output_capped)
		return;
	t->is_output_capped = true;
	ev.u.error.message = "mpscope: the program wrote more than 16 MiB to stdout and stderr; "
			     "later output is not recorded";
	record_event(t, &ev);
}

void output_record(struct tracer *t, int tid, struct tproc *p, uint64_t nr, const uint64_t args[6],
		   int64_t now)
{
	static char buf[OUTPUT_CAP]; /* the loop is single-threaded */
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_OUTPUT };
	size_t len;

	if (nr == __NR_write)
		len = read_write_buf(tid, args, buf);
	else if (nr == __NR_writev)
		len = read_writev_buf(tid, args, buf);
	else
		return;
	if (len == 0)
		return;
	if (t->output_len + len > OUTPUT_BUDGET) {
		capped_once(t, p, now);
		return;
	}
	t->output_len += len;
	ev.u.output.stream = (args[0] & 0xffffffffu) == 1 ? STREAM_STDOUT : STREAM_STDERR;
	ev.u.output.text = trace_memdup(t->tr, buf, len);
	ev.u.output.text_len = len;
	if (!ev.u.output.text) {
		struct mp_err err;

		mp_err_set(&err, "out of memory while recording output");
		record_failure(t, &err);
		return;
	}
	record_event(t, &ev);
}

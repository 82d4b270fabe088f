/*
 * tracee_mem.c - tracee memory reads with process_vm_readv; see tracee_mem.h.
 *
 * process_vm_readv copies a whole range in one syscall (PTRACE_PEEKDATA
 * would take one per word). It stops at the first unmapped page, so a
 * partially valid buffer still yields its valid prefix.
 */
#include "tracer/tracee_mem.h"

#include <errno.h>
#include <sys/uio.h>

ssize_t tracee_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;

	if (len == 0)
		return 0;
	do
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

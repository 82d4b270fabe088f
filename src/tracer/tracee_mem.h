/*
 * tracee_mem.h - the one way the tracer reads a tracee's memory.
 */
#ifndef MP_TRACER_TRACEE_MEM_H
#define MP_TRACER_TRACEE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copies up to len bytes at addr in pid into buf. Returns the bytes copied
 * (fewer when the range crosses into unmapped memory) or -1 with errno
 * (ESRCH: the process is gone). */
ssize_t tracee_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);

#endif

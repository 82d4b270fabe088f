/*
 * seccomp.c - the classic-BPF program behind seccomp.h.
 *
 * SECCOMP_RET_TRACE turns a matching syscall into a PTRACE_EVENT_SECCOMP
 * stop (the tracer set PTRACE_O_TRACESECCOMP). Caution: a RET_TRACE syscall
 * with no tracer attached fails with ENOSYS, so the filter must go in only
 * after the tracer has seized the child. Foreign-ABI syscalls (i386 code on
 * x86-64) are allowed untouched: their numbers mean something else.
 */
#include "tracer/seccomp.h"

#include <errno.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* On an architecture not listed here the filter is not installed and
 * the run goes on without output events (cli/ says so). */
#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The low 32 bits of args[0] (an fd is an int). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG0_LOW offsetof(struct seccomp_data, args[0])
#else
#define ARG0_LOW (offsetof(struct seccomp_data, args[0]) + 4)
#endif

#define TRACE_AS(kind) (SECCOMP_RET_TRACE | (kind))

#ifndef NATIVE_AUDIT_ARCH
int seccomp_install_output_filter(void)
{
	return -ENOSYS;
}
#else
int seccomp_install_output_filter(void)
{
	/* Jump offsets count the instructions skipped. */
	static struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_writev, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, TRACE_AS(SECCOMP_STOP_EXEC)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* write/writev: only fd 1 and 2 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, TRACE_AS(SECCOMP_STOP_OUTPUT)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	/* Without CAP_SYS_ADMIN a filter needs no_new_privs: set-uid
	 * programs the traced program runs then keep its privileges (as
	 * they would under a tracer without CAP_SYS_PTRACE anyway). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		return -errno;
	return 0;
}
#endif

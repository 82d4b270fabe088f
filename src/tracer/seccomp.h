/*
 * seccomp.h - the syscall filter that makes traced programs stop only for
 * what mpscope records: write/writev on fd 1 and 2 (output events) and
 * execve/execveat (the descriptor table just before an exec, to see which
 * fds close-on-exec drops). Every other syscall runs at full speed.
 *
 * Installed in the first child before it execs the interpreter; the kernel
 * keeps it across fork, clone and exec, so every descendant has it.
 */
#ifndef MP_TRACER_SECCOMP_H
#define MP_TRACER_SECCOMP_H

/* SECCOMP_RET_TRACE data values, read back with PTRACE_GETEVENTMSG. */
enum seccomp_stop_kind { SECCOMP_STOP_OUTPUT = 1, SECCOMP_STOP_EXEC = 2 };

/* Installs the filter in the calling process. Async-signal-safe (called in
 * a child forked from a threaded process): returns 0 or -errno, no err. */
int seccomp_install_output_filter(void);

#endif

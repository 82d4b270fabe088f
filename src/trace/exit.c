/*
 * exit.c - the one wording of an exit status, shared by every verb and view,
 * so a student reads "killed by SIGKILL" everywhere and never "signal 9" in
 * one place and a name in another. Pure: no I/O.
 */
#include <stdio.h>

#include "trace/trace.h"

/* Linux's signal numbers (the trace records the kernel's number). Real-time
 * signals are named from the kernel's SIGRTMIN (32), as `kill -l` does. */
static const char *const signal_names[] = {
	NULL,        "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
	"SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
	"SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};
#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGRTMAX 64

int trace_signal_name(int sig, char *buf, size_t len)
{
	int known = (int)(sizeof(signal_names) / sizeof(signal_names[0]));

	if (sig > 0 && sig < known)
		return snprintf(buf, len, "%s", signal_names[sig]);
	if (sig >= KERNEL_SIGRTMIN && sig <= KERNEL_SIGRTMAX)
		return snprintf(buf, len, "SIGRTMIN+%d", sig - KERNEL_SIGRTMIN);
	return snprintf(buf, len, "signal %d", sig);
}

int trace_exit_format(const struct exit_status *st, enum exit_wording w, char *buf, size_t len)
{
	char sig[24];
	const char *core = st->core_dumped && w != EXIT_TERSE ? " (core dumped)" : "";

	if (!st->is_signal) {
		switch (w) {
		case EXIT_SENTENCE:
			return snprintf(buf, len, "exited with status %d", st->code);
		case EXIT_STATUS:
			return snprintf(buf, len, "exit %d", st->code);
		case EXIT_TERSE:
			return snprintf(buf, len, "%d", st->code);
		}
	}
	trace_signal_name(st->signal, sig, sizeof(sig));
	switch (w) {
	case EXIT_SENTENCE:
		return snprintf(buf, len, "was killed by %s%s", sig, core);
	case EXIT_STATUS:
		return snprintf(buf, len, "killed by %s%s", sig, core);
	case EXIT_TERSE:
		return snprintf(buf, len, "%s", sig);
	}
	return snprintf(buf, len, "?");
}

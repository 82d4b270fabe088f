/*
 * launch.c - starting the interpreter under observation.
 *
 * The child is forked, waits on a pipe until the parent has seized it
 * (PTRACE_SEIZE works on a running task and sets the options at once),
 * then installs the seccomp filter and execs the real interpreter. The
 * filter goes in only after the seize: a SECCOMP_RET_TRACE syscall with no
 * tracer fails with ENOSYS. Between fork and exec the child calls only
 * async-signal-safe functions, because mpscope already runs the probe
 * reader thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "tracer/seccomp.h"
#include "tracer/tracer_internal.h"

extern char **environ;

/* Our variables replace any the user had; the probe restores PYTHONPATH
 * for the program from MPSCOPE_CHAIN_PYTHONPATH. */
static bool is_ours(const char *entry)
{
	return strncmp(entry, "MPSCOPE_", 8) == 0 || strncmp(entry, "PYTHONPATH=", 11) == 0;
}

static char *env_entry(struct tracer *t, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 2;
	char *s = trace_alloc(t->tr, len);

	if (s)
		snprintf(s, len, "%s=%s", name, value);
	return s;
}

/* Builds envp in the trace's arena. *ptrace_slot is the index of the
 * MPSCOPE_PTRACE entry the child sets once it knows (-1 without probe). */
static char **build_env(struct tracer *t, const char *sock_path, int *ptrace_slot)
{
	const struct tracer_opts *o = t->o;
	const char *user_path = getenv("PYTHONPATH");
	size_t n = 0, k = 0;
	char **envp, cap[32], keep[16], *pp;

	while (environ[n])
		n++;
	envp = trace_alloc(t->tr, (n + 8) * sizeof(*envp)); /* our 7, then NULL */
	if (!envp)
		return NULL;
	*ptrace_slot = -1;
	for (size_t i = 0; i < n; i++)
		if (!o->probe_dir || !is_ours(environ[i]))
			envp[k++] = environ[i];
	if (o->probe_dir) {
		size_t plen = strlen(o->probe_dir) + (user_path ? strlen(user_path) : 0) + 2;

		pp = trace_alloc(t->tr, plen);
		if (!pp)
			return NULL;
		snprintf(pp, plen, "%s%s%s", o->probe_dir, user_path && *user_path ? ":" : "",
			 user_path ? user_path : "");
		snprintf(cap, sizeof(cap), "%llu", (unsigned long long)o->payload_cap);
		envp[k++] = env_entry(t, "PYTHONPATH", pp);
		envp[k++] = env_entry(t, "MPSCOPE_CHAIN_PYTHONPATH", user_path ? user_path : "");
		envp[k++] = env_entry(t, "MPSCOPE_SOCK", sock_path);
		envp[k++] = env_entry(t, "MPSCOPE_METHOD", o->method ? o->method : "");
		envp[k++] = env_entry(t, "MPSCOPE_PAYLOAD_CAP", cap);
		if (o->all_payloads)
			snprintf(keep, sizeof(keep), "all");
		else
			snprintf(keep, sizeof(keep), "%u", o->keep_first);
		envp[k++] = env_entry(t, "MPSCOPE_KEEP_PAYLOADS", keep);
		*ptrace_slot = (int)k;
		envp[k++] = "MPSCOPE_PTRACE=0";
		for (size_t i = n; i < k; i++)
			if (!envp[i])
				return NULL;
	}
	envp[k] = NULL;
	return envp;
}

static char **build_argv(struct tracer *t)
{
	const struct tracer_opts *o = t->o;
	char **argv = trace_alloc(t->tr, ((size_t)o->arg_count + 3) * sizeof(*argv));

	if (!argv)
		return NULL;
	/* argv[0] is the real path: CPython derives sys.executable from it,
	 * and spawn re-executes sys.executable (a shim there would be traced). */
	argv[0] = (char *)o->python->exe;
	argv[1] = (char *)o->script;
	for (int i = 0; i < o->arg_count; i++)
		argv[2 + i] = o->args[i];
	argv[2 + o->arg_count] = NULL;
	t->launch_argv.items = (const char **)argv;
	t->launch_argv.count = (size_t)o->arg_count + 2;
	return argv;
}

/* In the child: wait for the verdict, then become the interpreter. */
static void child_exec(int go_fd, int ready_fd, const char *exe, char **argv, char **envp,
		       int ptrace_slot)
{
	char go = 0, ready;

	/* If mpscope dies before the seize, nothing is left behind. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(go_fd, &go, 1) != 1)
		_exit(127);
	ready = 'P';
	if (go == 'T') {
		if (ptrace_slot >= 0)
			envp[ptrace_slot] = "MPSCOPE_PTRACE=1";
		ready = seccomp_install_output_filter() == 0 ? 'S' : 'N';
	}
	if (write(ready_fd, &ready, 1) != 1)
		_exit(127);
	execve(exe, argv, envp);
	_exit(127);
}

int launch_program(struct tracer *t, const char *sock_path, struct mp_err *err)
{
	int go[2], ready[2], ptrace_slot = -1;
	char **envp = build_env(t, sock_path, &ptrace_slot);
	char **argv = build_argv(t);
	char verdict, answer = 0;
	pid_t pid;

	t->is_traced = false;
	if (!envp || !argv)
		return mp_err_set(err, "out of memory while preparing the program's environment");
	if (pipe2(go, O_CLOEXEC) < 0)
		return mp_err_set(err, "cannot create a pipe: %s", strerror(errno));
	if (pipe2(ready, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return mp_err_set(err, "cannot create a pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		child_exec(go[0], ready[1], t->o->python->exe, argv, envp, ptrace_slot);
	}
	close(go[0]);
	close(ready[1]);
	if (pid < 0) {
		close(go[1]);
		close(ready[0]);
		return mp_err_set(err, "cannot start the program: fork failed: %s",
				  strerror(errno));
	}
	t->root_pid = pid;
	/* EPERM in a container that forbids ptrace; any failure falls back
	 * to the probe alone rather than losing the run. */
	if (t->o->use_ptrace) {
		t->is_traced = ptrace_loop_seize(pid) == 0;
		t->res->is_ptrace_denied = !t->is_traced;
	}
	verdict = t->is_traced ? 'T' : 'P';
	if (write(go[1], &verdict, 1) != 1 || read(ready[0], &answer, 1) != 1)
		answer = 0;
	close(go[1]);
	close(ready[0]);
	if (answer == 0) {
		kill(pid, SIGKILL);
		return mp_err_set(err, "cannot start the program: the launcher child failed");
	}
	t->res->has_output_capture = answer == 'S';
	return 0;
}

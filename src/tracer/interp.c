/*
 * interp.c - finding the real interpreter behind a name such as `python3`.
 *
 * On this kind of machine `python3` is often a pyenv shim (a bash script
 * that execs the real binary); tracing through it would put bash and
 * pyenv's helpers in every trace. So a name that is not a binary is run
 * once and asked for sys.executable and its version; the run then execs
 * that file directly. A name that already is a binary (an ELF file) is
 * only asked `-V`, which answers before the interpreter initialises (~2 ms
 * against ~15 ms for a bare `-c`): that is most of mpscope's fixed cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/tracer.h"

extern char **environ;

/* Valid Python 2.7 and 3.x alike; -E -S keep the user's site and env out. */
static const char ASK_SCRIPT[] = "import sys; sys.stdout.write(sys.executable + '\\n' + "
				 "'%d.%d.%d\\n' % tuple(sys.version_info[:3]))";

static int read_all(int fd, char *buf, size_t cap, size_t *len)
{
	size_t got = 0;

	while (got + 1 < cap) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	return 0;
}

static int parse_answer(const char *name, char *out, struct tracer_python *py, struct mp_err *err)
{
	char *nl = strchr(out, '\n');
	char *ver;

	if (!nl)
		return mp_err_set(err, "'%s' did not answer like a Python interpreter", name);
	*nl = '\0';
	ver = nl + 1;
	ver[strcspn(ver, "\n")] = '\0';
	if (sscanf(ver, "%d.%d", &py->major, &py->minor) != 2 || out[0] != '/')
		return mp_err_set(err, "'%s' did not answer like a Python interpreter", name);
	if (strlen(out) >= sizeof(py->exe) || strlen(ver) >= sizeof(py->version))
		return mp_err_set(err, "'%s' reports an interpreter path that is too long", name);
	memcpy(py->exe, out, strlen(out) + 1);
	memcpy(py->version, ver, strlen(ver) + 1);
	return 0;
}

/* The file `name` runs: itself when it has a slash, else the first
 * executable PATH entry. Absolute, but symlinks are kept: a venv's
 * bin/python finds its pyvenv.cfg through the link's own folder. */
static bool find_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char cwd[4096];

	if (strchr(name, '/')) {
		if (name[0] == '/')
			return (size_t)snprintf(out, len, "%s", name) < len;
		return getcwd(cwd, sizeof(cwd)) &&
			(size_t)snprintf(out, len, "%s/%s", cwd, name) < len;
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n > 0 && (size_t)snprintf(out, len, "%.*s/%s", (int)n, path, name) < len &&
		    access(out, X_OK) == 0)
			return out[0] == '/';
		path += n + (path[n] == ':');
	}
	return false;
}

static bool is_elf(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	close(fd);
	return yes;
}

/* Runs argv with stdout (and stderr when wanted) into out. 0 when it
 * exited 0. */
static int run_and_read(char *const argv[], bool with_stderr, char *out, size_t cap,
			struct mp_err *err)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, rc;
	pid_t pid;
	size_t len = 0;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return mp_err_set(err, "cannot ask '%s' for its version: %s", argv[0],
				  strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return mp_err_set(err, "cannot run the interpreter '%s': %s", argv[0],
				  strerror(rc));
	}
	rc = read_all(pipefd[0], out, cap, &len);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return mp_err_set(err, "cannot wait for '%s': %s", argv[0],
					  strerror(errno));
	if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return mp_err_set(
			err,
			"cannot run the interpreter '%s': it failed when asked for its version",
			argv[0]);
	return 0;
}

/* `python -V` says "Python 3.11.7" (Python 2 says it on stderr). */
static int ask_version(const char *exe, const char *name, struct tracer_python *py,
		       struct mp_err *err)
{
	char *const argv[] = { (char *)exe, "-V", NULL };
	char out[256], *ver;

	if (run_and_read(argv, true, out, sizeof(out), err) < 0)
		return -1;
	ver = strstr(out, "Python ");
	if (!ver || sscanf(ver + 7, "%d.%d", &py->major, &py->minor) != 2)
		return mp_err_set(err, "'%s' did not answer like a Python interpreter", name);
	ver += 7;
	ver[strcspn(ver, " \r\n")] = '\0';
	if (strlen(ver) >= sizeof(py->version) || strlen(exe) >= sizeof(py->exe))
		return mp_err_set(err, "'%s' reports a version or path that is too long", name);
	memcpy(py->version, ver, strlen(ver) + 1);
	memcpy(py->exe, exe, strlen(exe) + 1);
	return 0;
}

static int ask_executable(const char *name, struct tracer_python *py, struct mp_err *err)
{
	char *const argv[] = { (char *)name, "-E", "-S", "-c", (char *)ASK_SCRIPT, NULL };
	char out[sizeof(py->exe) + 64];

	if (run_and_read(argv, false, out, sizeof(out), err) < 0)
		return -1;
	return parse_answer(name, out, py, err);
}

int tracer_resolve_python(const char *name, struct tracer_python *py, struct mp_err *err)
{
	char exe[sizeof(py->exe)];

	memset(py, 0, sizeof(*py));
	if (!find_program(name, exe, sizeof(exe)))
		return mp_err_set(err, "cannot run the interpreter '%s': %s", name,
				  strerror(ENOENT));
	if (is_elf(exe))
		return ask_version(exe, name, py, err);
	return ask_executable(name, py, err);
}

bool tracer_python_has_probe_support(const struct tracer_python *py)
{
	return py->major > 3 || (py->major == 3 && py->minor >= 8);
}

/*
 * support.c - see support.h.
 */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

char *support_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t used = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - used < 4096) {
			char *p = realloc(buf, cap ? cap * 2 : 8192);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(buf + used, 1, cap - used - 1, f);
		used += n;
	} while (n > 0);
	fclose(f);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

int support_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

void support_assert_golden(const char *text, size_t len, const char *golden_path)
{
	size_t want_len = 0;
	char *want;
	const char *update = getenv("MPSCOPE_GOLDEN_UPDATE");

	if (update && strcmp(update, "1") == 0) {
		assert_int_equal(support_write_file(golden_path, text, len), 0);
		return;
	}
	want = support_read_file(golden_path, &want_len);
	if (!want)
		fail_msg("golden file '%s' is missing (make golden-update writes it)", golden_path);
	if (want_len != len || memcmp(want, text, len) != 0) {
		size_t line = 1, i = 0;

		while (i < len && i < want_len && text[i] == want[i]) {
			if (text[i] == '\n')
				line++;
			i++;
		}
		print_error("output differs from %s at line %zu\n--- got ---\n%.*s\n", golden_path,
			    line, (int)(len > 4000 ? 4000 : len), text);
		free(want);
		fail();
	}
	free(want);
}

int support_run(const char *cmd, char **out, int merge_stderr)
{
	char full[8192];
	FILE *p;
	char *buf = NULL;
	size_t used = 0, cap = 0, n;
	int status;

	snprintf(full, sizeof(full), "%s%s", cmd, merge_stderr ? " 2>&1" : "");
	p = popen(full, "r");
	if (!p)
		return -1;
	do {
		if (cap - used < 4096) {
			char *q = realloc(buf, cap ? cap * 2 : 8192);

			if (!q) {
				free(buf);
				pclose(p);
				return -1;
			}
			buf = q;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(buf + used, 1, cap - used - 1, p);
		used += n;
	} while (n > 0);
	buf[used] = '\0';
	status = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int support_runf(char **out, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return support_run(cmd, out, 0);
}

const char *support_mpscope(void)
{
	const char *m = getenv("MPSCOPE");

	return (m && *m) ? m : "./mpscope";
}

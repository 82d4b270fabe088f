/*
 * cmd_info.c - `mpscope info FILE`: a short summary of a trace (program,
 * start method, capture sources, the process tree with exit statuses,
 * event counts, bytes pickled and what was counted but not kept), or one
 * line saying why the file is not a valid trace. The loader does all
 * validation; this file only prints.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "common/sbuf.h"
#include "json/trace_json.h"

#define INFO_USAGE "usage: mpscope info FILE\n"
#define ARGV_COLUMNS 44
#define MAX_INDENT_LEVELS 12
/* A summary stays short: a pool of 10,000 workers is not listed in full. */
#define MAX_TREE_LINES 64
/* Counted pickles, one line per purpose and direction; a trace that makes
 * up purposes without end is not listed in full either. */
#define MAX_COUNTED_LINES 16

static void format_exit(const struct process *p, char *buf, size_t len)
{
	if (!p->has_exit)
		snprintf(buf, len, "no exit seen");
	else
		trace_exit_format(&p->exit, EXIT_STATUS, buf, len);
}

/* argv joined by spaces, the program shown by its base name, cut to fit;
 * control characters in the trace never reach the terminal. */
static void format_argv(const struct strv *argv, char *buf, size_t len)
{
	char joined[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < argv->count && used + 1 < sizeof(joined); i++) {
		const char *arg = argv->items[i];
		const char *slash = i == 0 ? strrchr(arg, '/') : NULL;

		used += (size_t)snprintf(joined + used, sizeof(joined) - used, "%s%s", i ? " " : "",
					 slash ? slash + 1 : arg);
	}
	if (used >= sizeof(joined))
		used = sizeof(joined) - 1;
	mp_quote(buf, len, joined, used);
}

static int cmp_by_parent(const void *a, const void *b)
{
	const struct process *pa = *(const struct process *const *)a;
	const struct process *pb = *(const struct process *const *)b;

	if (pa->ppid != pb->ppid)
		return (pa->ppid > pb->ppid) - (pa->ppid < pb->ppid);
	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

static void print_process(const struct process *p, size_t depth)
{
	char argv[ARGV_COLUMNS + 4], status[64];
	size_t indent = 2 + 2 * (depth < MAX_INDENT_LEVELS ? depth : MAX_INDENT_LEVELS);

	format_argv(&p->argv, argv, sizeof(argv));
	format_exit(p, status, sizeof(status));
	printf("%*s%-6d %-17s %-*s  %s\n", (int)indent, "", p->pid, role_name(p->role),
	       ARGV_COLUMNS, argv, status);
}

/* Prints the tree depth-first with an explicit stack: a hostile trace can
 * hold a parent chain far deeper than the C stack. Roots are processes
 * whose parent is not in the trace. */
static int print_tree(const struct trace *tr)
{
	size_t n = tr->proc_count;
	const struct process **by_parent = malloc((n + 1) * sizeof(*by_parent));
	struct frame {
		const struct process *p;
		size_t depth;
	} *stack = malloc((n + 1) * sizeof(*stack));
	size_t top = 0, shown = 0;

	if (!by_parent || !stack) {
		free(by_parent);
		free(stack);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		by_parent[i] = &tr->procs[i];
	qsort(by_parent, n, sizeof(*by_parent), cmp_by_parent);
	/* Push roots in reverse so they come out in pid order. */
	for (size_t i = n; i-- > 0;)
		if (!trace_find_proc(tr, tr->procs[i].ppid))
			stack[top++] = (struct frame){ &tr->procs[i], 0 };
	while (top > 0 && shown < MAX_TREE_LINES) {
		struct frame f = stack[--top];
		size_t lo = 0, hi = n, end;

		print_process(f.p, f.depth);
		shown++;
		while (lo < hi) { /* first child of f.p in by_parent */
			size_t mid = lo + (hi - lo) / 2;

			if (by_parent[mid]->ppid < f.p->pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (end = lo; end < n && by_parent[end]->ppid == f.p->pid; end++)
			;
		while (end-- > lo)
			stack[top++] = (struct frame){ by_parent[end], f.depth + 1 };
	}
	if (shown < n)
		printf("  ... and %zu more processes\n", n - shown);
	free(by_parent);
	free(stack);
	return 0;
}

static void print_events(const struct trace *tr)
{
	size_t counts[EV_KIND_COUNT];
	size_t column = 2;
	bool is_first = true;

	trace_count_kinds(tr, counts);
	printf("\nevents (%zu)\n", tr->event_count);
	if (tr->event_count == 0)
		return;
	fputs("  ", stdout);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		char item[64];
		size_t len;

		if (counts[k] == 0)
			continue;
		len = (size_t)snprintf(item, sizeof(item), "%s %zu",
				       k == EV_UNKNOWN ? "(unknown kinds)"
						       : ev_kind_name((enum ev_kind)k),
				       counts[k]);
		if (!is_first && column + 2 + len > 78) {
			fputs(",\n  ", stdout);
			column = 2;
		} else if (!is_first) {
			fputs(", ", stdout);
			column += 2;
		}
		is_first = false;
		fputs(item, stdout);
		column += len;
	}
	printf("\n");
}

static void print_pickles(const struct trace *tr)
{
	size_t dumps = 0, loads = 0, failed = 0;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_PICKLE_DUMP && ev->u.pickle.error)
			failed++;
		else if (ev->kind == EV_PICKLE_DUMP)
			dumps++;
		else if (ev->kind == EV_PICKLE_LOAD)
			loads++;
	}
	printf("\npickled    %llu bytes in %zu payload%s (%zu unpickled",
	       (unsigned long long)trace_bytes_pickled(tr), dumps, dumps == 1 ? "" : "s", loads);
	if (failed)
		printf(", %zu failed to pickle", failed);
	printf(")\n");
}

/* The pickles counted, not kept one by one, of one purpose and direction
 * over every process. */
struct counted {
	const char *what;
	enum pickle_direction op;
	uint64_t count, size;
};

/* Adds a pickle.summary to its row of rows (in order of first count);
 * false when it needs a new row and there is no room. */
static bool add_counted(struct counted *rows, size_t *n, const struct event *ev)
{
	const char *what = ev->u.pickle_summary.what;

	for (size_t i = 0; i < *n; i++) {
		if (rows[i].op == ev->u.pickle_summary.op && strcmp(rows[i].what, what) == 0) {
			rows[i].count += ev->u.pickle_summary.count;
			rows[i].size += ev->u.pickle_summary.size;
			return true;
		}
	}
	if (*n == MAX_COUNTED_LINES)
		return false;
	rows[(*n)++] = (struct counted){ what, ev->u.pickle_summary.op, ev->u.pickle_summary.count,
					 ev->u.pickle_summary.size };
	return true;
}

static int cmp_counted(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;
	int c = strcmp(x->what, y->what);

	return c ? c : (int)x->op - (int)y->op;
}

/* Under "pickled": what the recording kept, and what it only counted, in
 * the words every view uses (trace_keep_format, trace_counted_format). A
 * trace that says neither gets no line. */
static void print_counted(const struct trace *tr)
{
	struct counted rows[MAX_COUNTED_LINES] = { { 0 } };
	size_t n = 0, left_out = 0;
	struct sbuf line;
	char safe[256];

	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_PICKLE_SUMMARY &&
		    !add_counted(rows, &n, &tr->events[i]))
			left_out++;
	/* Whichever process ended first counted first: by kind reads better. */
	qsort(rows, n, sizeof(rows[0]), cmp_counted);
	sbuf_init(&line);
	if (trace_keep_format(&tr->meta, &line) || n > 0) {
		if (line.len == 0)
			sbuf_adds(&line, "kept the first ones of each kind per process");
		if (n)
			sbuf_adds(&line, "; the rest only counted:");
		else if (!tr->meta.is_all_payloads)
			sbuf_adds(&line, "; no process went past that");
		mp_quote(safe, sizeof(safe), line.data, line.len);
		printf("%-10s %s\n", "", safe);
	}
	for (size_t i = 0; i < n; i++) {
		sbuf_clear(&line);
		trace_counted_format(rows[i].what, rows[i].op, rows[i].count, &line);
		sbuf_adds(&line, " (");
		sbuf_add_size(&line, rows[i].size);
		sbuf_adds(&line, ")");
		mp_quote(safe, sizeof(safe), line.data ? line.data : "", line.len);
		printf("%-10s   %s\n", "", safe);
	}
	if (left_out)
		printf("%-10s   and %zu more counts of other kinds\n", "", left_out);
	sbuf_release(&line);
}

static void print_line(const char *label, const char *value)
{
	char safe[256];

	mp_quote(safe, sizeof(safe), value ? value : "?", value ? strlen(value) : 1);
	printf("%-10s %s\n", label, safe);
}

static void print_summary(const char *path, const struct trace *tr)
{
	const struct trace_meta *m = &tr->meta;
	char line[512];

	print_line("trace", path);
	print_line("program", m->program);
	if (m->requested_method)
		snprintf(line, sizeof(line), "%s (requested: %s)", m->method, m->requested_method);
	else
		snprintf(line, sizeof(line), "%s", m->method);
	print_line("method", line);
	snprintf(line, sizeof(line), "%s%s%s", m->python ? m->python : "unknown",
		 m->platform ? " on " : "", m->platform ? m->platform : "");
	print_line("python", line);
	if (m->recorded_at)
		print_line("recorded", m->recorded_at);
	snprintf(line, sizeof(line), "%s%s%s", m->has_ptrace ? "ptrace" : "",
		 m->has_ptrace && m->has_probe ? " + " : "", m->has_probe ? "probe" : "");
	print_line("capture", line[0] ? line : "none recorded");
	if (m->dropped_events) {
		snprintf(line, sizeof(line), "%llu probe events were lost: the trace is incomplete",
			 (unsigned long long)m->dropped_events);
		print_line("warning", line);
	}
	snprintf(line, sizeof(line), "%.1f ms", (double)trace_duration(tr) / 1e6);
	print_line("duration", line);
}

int cmd_info(int argc, char **argv)
{
	struct trace tr;
	struct mp_err err = { { 0 } };
	int rc = 0;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(INFO_USAGE "Prints a summary of a recorded trace, or why it is not valid.\n",
		      stdout);
		return 0;
	}
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
		fputs(INFO_USAGE, stderr);
		return 2;
	}
	trace_init(&tr);
	if (trace_json_load(argv[1], &tr, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		trace_release(&tr);
		return 1;
	}
	print_summary(argv[1], &tr);
	printf("\nprocesses (%zu)\n", tr.proc_count);
	if (print_tree(&tr) < 0) {
		fprintf(stderr, "mpscope: out of memory while listing processes\n");
		rc = 1;
	}
	print_events(&tr);
	print_pickles(&tr);
	print_counted(&tr);
	trace_release(&tr);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mpscope: cannot write the summary to standard output\n");
		rc = 1;
	}
	return rc;
}

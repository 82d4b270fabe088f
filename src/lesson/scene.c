/*
 * scene.c - a trace read once for a lesson: its unfolded story, the
 * processes "main" and "first_child"... name, the modules that are the
 * program's own code (what `own` and {ref} mean) and where output lines
 * begin (what `text` matches). See internal.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/internal.h"

static int cmp_start(const void *a, const void *b)
{
	const struct process *pa = *(const struct process *const *)a;
	const struct process *pb = *(const struct process *const *)b;

	if (pa->start != pb->start)
		return (pa->start > pb->start) - (pa->start < pb->start);
	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

static int find_children(struct lesson_scene *sc)
{
	const struct trace *tr = sc->tr;
	const struct process **kids = malloc((tr->proc_count + 1) * sizeof(*kids));

	sc->children = malloc((tr->proc_count + 1) * sizeof(*sc->children));
	if (!kids || !sc->children) {
		free(kids);
		return -1;
	}
	for (size_t i = 0; i < tr->proc_count; i++)
		if (tr->procs[i].role == ROLE_CHILD)
			kids[sc->child_count++] = &tr->procs[i];
	qsort(kids, sc->child_count, sizeof(*kids), cmp_start);
	for (size_t i = 0; i < sc->child_count; i++)
		sc->children[i] = kids[i]->pid;
	free(kids);
	return 0;
}

/* The length of the folder part of a path ("a/b/c.py" -> 3), 0 for none. */
static size_t folder_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

/* True when file sits in the folder of the traced program. A program
 * named relatively ("lessons/01-x/example.py") was recorded from some
 * folder the trace does not say, so its folder matches the end of the
 * file's ("/home/me/mpscope/lessons/01-x"). A program with no folder part
 * leaves only the probe's own rule: it records imports of the program's
 * modules alone, never the standard library's or installed packages'. */
static bool is_program_file(const char *program, const char *file)
{
	size_t plen, flen;

	while (strncmp(program, "./", 2) == 0)
		program += 2;
	plen = folder_len(program);
	flen = folder_len(file);
	if (plen == 0)
		return true;
	if (program[0] == '/' || flen == plen)
		return flen == plen && strncmp(file, program, plen) == 0;
	return flen > plen && file[flen - plen - 1] == '/' &&
		strncmp(file + flen - plen, program, plen) == 0;
}

static int find_own(struct lesson_scene *sc)
{
	const struct trace *tr = sc->tr;
	const char *program = tr->meta.program ? tr->meta.program : "";
	size_t cap = 2;

	for (size_t i = 0; i < tr->event_count; i++)
		cap += tr->events[i].kind == EV_IMPORT;
	sc->own = malloc(cap * sizeof(*sc->own));
	if (!sc->own)
		return -1;
	sc->own[sc->own_count++] = "__main__";
	sc->own[sc->own_count++] = "__mp_main__";
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind != EV_IMPORT || !ev->u.import.module || !ev->u.import.file ||
		    !is_program_file(program, ev->u.import.file) ||
		    scene_is_own(sc, ev->u.import.module))
			continue;
		sc->own[sc->own_count++] = ev->u.import.module;
	}
	return 0;
}

/* A write continues a line when the same process's previous write to the
 * same stream did not end one: print() is often several writes. */
static int find_continued(struct lesson_scene *sc)
{
	const struct trace *tr = sc->tr;
	struct open_line {
		int pid;
		enum out_stream stream;
		bool is_open;
	} *open = calloc(tr->proc_count * STREAM_COUNT + 1, sizeof(*open));
	size_t open_count = 0;

	sc->is_continued = calloc(tr->event_count + 1, sizeof(*sc->is_continued));
	if (!open || !sc->is_continued) {
		free(open);
		return -1;
	}
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		size_t k = 0;

		if (ev->kind != EV_OUTPUT)
			continue;
		while (k < open_count &&
		       !(open[k].pid == ev->pid && open[k].stream == ev->u.output.stream))
			k++;
		if (k == open_count) {
			if (open_count == tr->proc_count * STREAM_COUNT)
				continue; /* not a process of the trace: trace_finish refuses it */
			open[open_count++] =
				(struct open_line){ ev->pid, ev->u.output.stream, false };
		}
		sc->is_continued[i] = open[k].is_open;
		open[k].is_open = ev->u.output.text_len > 0 &&
			ev->u.output.text[ev->u.output.text_len - 1] != '\n';
	}
	free(open);
	return 0;
}

int scene_init(struct lesson_scene *sc, const struct trace *tr, const char *name,
	       struct mp_err *err)
{
	const struct process *root = trace_root(tr);

	memset(sc, 0, sizeof(*sc));
	sc->tr = tr;
	sc->name = name;
	if (tr->event_count == 0)
		return mp_err_set(err, "%s has no events", name);
	if (story_build(&sc->story, tr, err) < 0)
		return -1;
	sc->main_pid = root ? root->pid : 0;
	if (find_children(sc) < 0 || find_own(sc) < 0 || find_continued(sc) < 0) {
		scene_release(sc);
		return mp_err_set(err, "out of memory while reading %s for a lesson", name);
	}
	return 0;
}

void scene_release(struct lesson_scene *sc)
{
	story_release(&sc->story);
	free(sc->children);
	free(sc->own);
	free(sc->is_continued);
	memset(sc, 0, sizeof(*sc));
}

int scene_pid(const struct lesson_scene *sc, const struct lesson_value *v)
{
	switch (v->kind) {
	case LV_MAIN:
		return sc->main_pid;
	case LV_CHILD:
		return v->child >= 1 && v->child <= sc->child_count ? sc->children[v->child - 1]
								    : 0;
	case LV_NUMBER:
		return v->number >= 1 && v->number <= TRACE_MAX_PID ? (int)v->number : 0;
	default:
		return 0;
	}
}

bool scene_is_own(const struct lesson_scene *sc, const char *module)
{
	for (size_t i = 0; i < sc->own_count; i++)
		if (strcmp(sc->own[i], module) == 0)
			return true;
	return false;
}

void scene_line(const struct lesson_scene *sc, size_t i, struct sbuf *out)
{
	const struct event *first = &sc->tr->events[i];
	size_t start = out->len;

	for (size_t j = i; j < sc->tr->event_count; j++) {
		const struct event *ev = &sc->tr->events[j];
		size_t room = SCENE_LINE_MAX - (out->len - start);
		size_t n;

		if (ev->kind != EV_OUTPUT || ev->pid != first->pid ||
		    ev->u.output.stream != first->u.output.stream)
			continue;
		n = ev->u.output.text_len < room ? ev->u.output.text_len : room;
		sbuf_add(out, ev->u.output.text, n);
		if (memchr(ev->u.output.text, '\n', n) || out->len - start >= SCENE_LINE_MAX ||
		    out->is_oom)
			break;
	}
}

size_t scene_step_of(const struct lesson_scene *sc, size_t i)
{
	/* Steps cover the events in order: the last step starting at or
	 * before i tells it, or, for an event the story keeps as state
	 * (descriptor tables, thread counts), is the first whose state
	 * includes it. */
	return story_step_of_event(&sc->story, i);
}

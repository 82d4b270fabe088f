/*
 * output.c - what a program printed, as the lines it printed.
 *
 * One print() is several writes (`print('hello world!', i)` is four), and
 * children printing at once interleave theirs, so an output step holds
 * pieces of lines. Here each process's pieces become whole lines, each told
 * once, at the step where it began; tracebacks lose the frames of
 * mpscope's own probe. Part of replay/ (trace/ -> replay/ -> ui/).
 */
#include "replay/replay.h"

#include <stdio.h>
#include <string.h>

/* How far back to look for the start of a line, and ahead for its end:
 * a line longer than this is cut ("…"). */
#define LINE_MAX_BYTES 4096
#define LOOK_EVENTS 100000

static bool is_write(const struct event *ev, int pid, enum out_stream st)
{
	return ev->kind == EV_OUTPUT && ev->pid == pid && ev->u.output.stream == st &&
		ev->u.output.text_len > 0;
}

size_t replay_output_pids(const struct replay *rp, size_t k, int *pids, size_t max)
{
	const struct step *s;
	size_t n = 0;

	if (k >= rp->story.step_count || rp->story.steps[k].kind != STEP_OUTPUT)
		return 0;
	s = &rp->story.steps[k];
	for (size_t i = s->ev; i < s->ev_end; i++) {
		int pid = rp->tr->events[i].pid;
		bool is_new = true;

		if (!story_step_has_member(rp->tr, s, i))
			continue;
		for (size_t j = 0; j < n && j < max; j++)
			is_new = is_new && pids[j] != pid;
		if (!is_new)
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	return n;
}

/* Was pid at the start of a line on stream st just before event i? When
 * it was not, *began is the event where its unfinished line began. */
static bool at_line_start(const struct trace *tr, size_t i, int pid, enum out_stream st,
			  size_t *began)
{
	size_t later = i, bytes = 0;
	bool is_first = true;

	for (size_t j = i, looked = 0; j-- > 0 && looked < LOOK_EVENTS; looked++) {
		const struct event *ev = &tr->events[j];
		const char *text = ev->u.output.text;
		size_t len = ev->u.output.text_len;
		const char *nl;

		if (!is_write(ev, pid, st))
			continue;
		if (is_first && text[len - 1] == '\n')
			return true;
		is_first = false;
		nl = memrchr(text, '\n', len);
		if (nl) {
			/* A newline ends this write's text: the line began in
			 * the write after it. */
			*began = nl == text + len - 1 ? later : j;
			return false;
		}
		later = j;
		*began = j;
		bytes += len;
		if (bytes > LINE_MAX_BYTES)
			break;
	}
	/* No newline before: the line began with pid's first write seen. */
	return is_first;
}

/* Appends pid's writes after event i up to and including the newline that
 * ends the line being read. */
static void read_ahead(const struct trace *tr, size_t i, int pid, enum out_stream st,
		       struct sbuf *text)
{
	size_t bytes = 0;

	for (size_t j = i, looked = 0; j < tr->event_count && looked < LOOK_EVENTS; j++, looked++) {
		const struct event *ev = &tr->events[j];
		const char *nl;

		if (!is_write(ev, pid, st))
			continue;
		nl = memchr(ev->u.output.text, '\n', ev->u.output.text_len);
		if (nl) {
			sbuf_add(text, ev->u.output.text, (size_t)(nl + 1 - ev->u.output.text));
			return;
		}
		sbuf_add(text, ev->u.output.text, ev->u.output.text_len);
		bytes += ev->u.output.text_len;
		if (bytes > LINE_MAX_BYTES) {
			sbuf_adds(text, "…");
			return;
		}
	}
}

/* ---- tracebacks ---- */

static bool starts_with(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(line, prefix, n) == 0;
}

/* `  File "PATH", line N, in F` of a file of mpscope's probe: the package
 * mpscope_probe or the probe's sitecustomize.py. */
static bool is_probe_frame(const char *line, size_t len)
{
	static const char head[] = "  File \"";
	const char *path = line + sizeof(head) - 1, *end;
	size_t plen;

	if (!starts_with(line, len, head))
		return false;
	end = memchr(path, '"', len - (sizeof(head) - 1));
	if (!end)
		return false;
	plen = (size_t)(end - path);
	if (memmem(path, plen, "mpscope_probe/", 14))
		return true;
	return plen >= 23 && memcmp(end - 23, "/probe/sitecustomize.py", 23) == 0;
}

struct line_sink {
	struct sbuf *out;
	size_t start; /* where the text began in out */
	size_t lines;
	size_t hidden_run;
	size_t hidden;
};

static void emit(struct line_sink *k, const char *line, size_t len)
{
	if (k->out->len > k->start)
		sbuf_addc(k->out, '\n');
	sbuf_add(k->out, line, len);
	k->lines++;
}

static void flush_hidden(struct line_sink *k)
{
	char note[64];
	int n;

	if (k->hidden_run == 0)
		return;
	n = snprintf(note, sizeof(note), "  (%zu mpscope probe frame%s hidden)", k->hidden_run,
		     k->hidden_run == 1 ? "" : "s");
	emit(k, note, (size_t)n);
	k->hidden += k->hidden_run;
	k->hidden_run = 0;
}

/* Appends the lines of text, the probe's traceback frames (their `File`
 * line and the indented source lines under it) left out. */
static void add_lines(const char *text, size_t len, struct line_sink *k)
{
	bool is_hiding = false;

	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;

		at += n + 1;
		if (starts_with(line, n, "  File \"")) {
			is_hiding = is_probe_frame(line, n);
			if (is_hiding) {
				k->hidden_run++;
				continue;
			}
		} else if (is_hiding && starts_with(line, n, "    ")) {
			continue;
		} else {
			is_hiding = false;
		}
		flush_hidden(k);
		emit(k, line, n);
	}
	flush_hidden(k);
}

void replay_output_lines(const struct replay *rp, size_t k, int pid, struct sbuf *out,
			 struct replay_output *info)
{
	const struct trace *tr = rp->tr;
	struct replay_output none;
	const struct step *s;
	struct line_sink sink = { .out = out, .start = out->len };
	struct sbuf text;
	size_t first = SIZE_MAX, from = 0, began = 0;
	enum out_stream st;

	if (!info)
		info = &none;
	memset(info, 0, sizeof(*info));
	if (k >= rp->story.step_count || rp->story.steps[k].kind != STEP_OUTPUT)
		return;
	s = &rp->story.steps[k];
	st = tr->events[s->ev].u.output.stream;
	sbuf_init(&text);
	for (size_t i = s->ev; i < s->ev_end; i++) {
		const struct event *ev = &tr->events[i];

		if (!story_step_has_member(tr, s, i) || !is_write(ev, pid, st))
			continue;
		if (first == SIZE_MAX)
			first = i;
		sbuf_add(&text, ev->u.output.text, ev->u.output.text_len);
	}
	if (first == SIZE_MAX || text.is_oom) {
		sbuf_release(&text);
		return;
	}
	/* The first piece may end a line told at the step that began it. */
	if (!at_line_start(tr, first, pid, st, &began)) {
		const char *nl = memchr(text.data, '\n', text.len);

		from = nl ? (size_t)(nl + 1 - text.data) : text.len;
		info->has_earlier_line = true;
		info->began_step = story_step_of_event(&rp->story, began);
	}
	/* The last line is told whole: its later pieces are read ahead. */
	if (from < text.len && text.data[text.len - 1] != '\n')
		read_ahead(tr, s->ev_end, pid, st, &text);
	while (text.len > from && text.data[text.len - 1] == '\n')
		text.len--;
	if (!text.is_oom)
		add_lines(text.data + from, text.len - from, &sink);
	info->line_count = sink.lines;
	info->hidden_frames = sink.hidden;
	sbuf_release(&text);
}

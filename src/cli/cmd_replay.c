/*
 * cmd_replay.c - `mpscope replay FILE [FILE...]`: animate recorded traces;
 * several traces of one program open side by side (compare mode, c).
 *
 * Every file is loaded and validated before the terminal is touched, so a
 * bad file costs one line on stderr and exit 1. --print renders one frame
 * as text without a terminal (golden tests, docs), at a step given by
 * number or by what happens there ("fork", "pickle:2"), so that a golden
 * frame survives re-recording its trace; --bench times the draw path
 * headless (bench/bench-replay.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/export_file.h"
#include "json/trace_json.h"
#include "replay/story.h"
#include "ui/ui.h"

#define REPLAY_USAGE                                                                               \
	"usage: mpscope replay [OPTIONS] FILE [FILE...]\n"                                         \
	"Animates recorded traces; several traces of one program open side by side.\n\n"           \
	"  --print STEP      print the screen at story step STEP (1 = first) as text; STEP\n"      \
	"                    may be KIND[:N], the Nth step of a kind (fork, exec, fds,\n"          \
	"                    pickle, unpickle, lookup, import, output, exit...)\n"                 \
	"  --size COLSxROWS  screen size for --print and --bench (default 80x24)\n"                \
	"  --keys KEYS       keys pressed before --print draws ('<' '>' step, TAB, Enter)\n"       \
	"  --ascii           --print as a terminal without UTF-8 shows it\n"                       \
	"  --bench FRAMES    time the first frame and FRAMES steps, headless\n"                    \
	"  --no-animation    steps change at once (also MPSCOPE_NO_ANIMATION=1)\n"

struct replay_opts {
	long print_step; /* 0: show the screen (unless print_at) */
	const char *print_at; /* --print KIND[:N], resolved once the trace is loaded */
	long bench_frames;
	int cols, rows;
	const char *keys;
	bool is_ascii;
	bool is_still; /* --no-animation */
	int first_file;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int parse_number(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_opts *o)
{
	int i;

	*o = (struct replay_opts){ .cols = 80, .rows = 24 };
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(REPLAY_USAGE, stdout);
			return 1;
		}
		if (strcmp(a, "--ascii") == 0) {
			o->is_ascii = true;
			continue;
		}
		if (strcmp(a, "--no-animation") == 0) {
			o->is_still = true;
			continue;
		}
		if (!val) {
			fprintf(stderr, "mpscope: replay: '%s' needs a value\n%s", a, REPLAY_USAGE);
			return 2;
		}
		i++;
		if (strcmp(a, "--print") == 0 && parse_number(val, &o->print_step) == 0)
			continue;
		if (strcmp(a, "--print") == 0 && val[0] >= 'a' && val[0] <= 'z') {
			o->print_at = val;
			continue;
		}
		if (strcmp(a, "--bench") == 0 && parse_number(val, &o->bench_frames) == 0)
			continue;
		if (strcmp(a, "--keys") == 0) {
			o->keys = val;
			continue;
		}
		if (strcmp(a, "--size") == 0 && sscanf(val, "%dx%d", &o->cols, &o->rows) == 2 &&
		    o->cols > 0 && o->rows > 0 && o->cols <= 1000 && o->rows <= 1000)
			continue;
		fprintf(stderr, "mpscope: replay: '%s %s' is not an option I know\n%s", a, val,
			REPLAY_USAGE);
		return 2;
	}
	if (i >= argc) {
		fputs(REPLAY_USAGE, stderr);
		return 2;
	}
	o->first_file = i;
	return 0;
}

/* The step `KIND[:N]` names in the first trace's story (see story_find_named). */
static int resolve_step(const struct trace *tr, const char *at, size_t *step)
{
	struct story st = { 0 };
	struct mp_err err;
	int rc = story_build(&st, tr, &err);

	if (rc == 0)
		rc = story_find_named(&st, at, step, &err);
	if (rc < 0)
		fprintf(stderr, "mpscope: replay: --print %s\n", err.msg);
	story_release(&st);
	return rc;
}

static int print_frame(const struct trace *traces, size_t count, const struct replay_opts *o)
{
	struct ui_frame_opts fo = { .cols = o->cols,
				    .rows = o->rows,
				    .step = (size_t)(o->print_step - 1),
				    .keys = o->keys,
				    .is_ascii = o->is_ascii };
	struct sbuf out;
	struct mp_err err;
	int rc = 0;

	if (o->print_at && resolve_step(&traces[0], o->print_at, &fo.step) < 0)
		return 1;
	sbuf_init(&out);
	if (ui_render_frame(traces, count, &fo, &out, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		rc = 1;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	sbuf_release(&out);
	return rc;
}

static int bench(const struct trace *tr, double load_ms, const struct replay_opts *o)
{
	struct ui_bench b;
	struct mp_err err;

	if (ui_bench_frames(tr, o->cols, o->rows, (size_t)o->bench_frames, &b, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 1;
	}
	printf("processes %zu\nevents %zu\nsteps %zu\nload_ms %.1f\nfirst_frame_ms %.1f\n"
	       "time_to_first_frame_ms %.1f\nframes %zu\nframe_avg_ms %.3f\nframe_p99_ms %.3f\n"
	       "frame_max_ms %.3f\n",
	       tr->proc_count, tr->event_count, b.steps, load_ms, b.first_frame_ms,
	       load_ms + b.first_frame_ms, b.frames, b.frame_avg_ms, b.frame_p99_ms,
	       b.frame_max_ms);
	return 0;
}

/* The screen; `e` exports what it shows, named after the files. */
static int show(const struct trace *traces, size_t count, const char *const *names,
		const struct replay_opts *o)
{
	struct export_screen ex;
	struct mp_err err;

	export_screen_init(&ex, traces, names, count);
	if (ui_replay(traces, count, NULL, o->is_still ? UI_NO_ANIMATION : 0, &ex.exporter, &err) <
	    0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 1;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct trace *traces;
	size_t count, loaded = 0;
	struct mp_err err;
	double t0;
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	count = (size_t)(argc - o.first_file);
	traces = calloc(count, sizeof(*traces));
	if (!traces) {
		fprintf(stderr, "mpscope: out of memory opening %zu traces\n", count);
		return 1;
	}
	t0 = now_ms();
	for (; loaded < count; loaded++) {
		trace_init(&traces[loaded]);
		if (trace_json_load(argv[o.first_file + (int)loaded], &traces[loaded], &err) < 0) {
			fprintf(stderr, "mpscope: %s\n", err.msg);
			loaded++;
			rc = 1;
			goto out;
		}
	}
	if (o.bench_frames)
		rc = bench(&traces[0], now_ms() - t0, &o);
	else if (o.print_step || o.print_at)
		rc = print_frame(traces, count, &o);
	else
		rc = show(traces, count, (const char *const *)argv + o.first_file, &o);
out:
	for (size_t i = 0; i < loaded; i++)
		trace_release(&traces[i]);
	free(traces);
	return rc;
}

/*
 * test_ui_payload.c - the payload panel's verdict line: under the header,
 * what loading the captured bytes would do (docs/verdict.md), in the alarm
 * style only when dangerous; a cut capture or a malformed pickle says how
 * much was judged; no bytes, no line. The pickles are hand-written into the
 * small classic spawn story of tests/fixtures/replay/builder.h. Golden
 * frames of real payloads are lesson 16's (tests/e2e/ui-frames.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures/replay/builder.h"
#include "pickle/pickle.h"
#include "ui/app.h"

/* pickle.dumps({'task': 1}, protocol=2) */
static const uint8_t data_pickle[] = "\x80\x02}q\x00X\x04\x00\x00\x00taskq\x01K\x01s.";
/* posix.system('echo pwned'), protocol 0, as a __reduce__ would make it */
static const uint8_t dangerous_pickle[] = "cposix\nsystem\n(S'echo pwned'\ntR.";
/* a valid start, then an opcode that does not exist */
static const uint8_t malformed_pickle[] = "\x80\x02K\x01\xff";

struct fixture {
	struct trace tr;
	struct replay rp;
	struct ui_app app;
	struct canvas *cv;
	struct rect panel;
};

/* The classic spawn story, its process object's bytes set to b[0..len)
 * of a pickle of size bytes (b NULL: not captured), the screen at 80x24
 * on the step that pickles it. */
static void open_at(struct fixture *fx, const uint8_t *b, size_t len, size_t size)
{
	struct event *ev = NULL;

	assert_int_equal(builder_classic(&fx->tr, "spawn"), 0);
	for (size_t i = 0; i < fx->tr.event_count && !ev; i++)
		if (fx->tr.events[i].kind == EV_PICKLE_DUMP)
			ev = &fx->tr.events[i];
	assert_non_null(ev);
	ev->u.pickle.bytes = b;
	ev->u.pickle.bytes_len = len;
	ev->u.pickle.size = size;
	ev->u.pickle.is_truncated = len < size;
	assert_int_equal(replay_init(&fx->rp, &fx->tr, NULL), 0);
	ui_app_init(&fx->app, &fx->rp, 1, NULL);
	for (size_t k = 0; k < replay_step_count(&fx->rp); k++)
		if (&fx->tr.events[fx->rp.story.steps[k].ev] == ev)
			replay_seek(&fx->rp, k);
	assert_ptr_equal(fx->rp.payload, ev);
	fx->cv = canvas_new(80, 24);
	assert_non_null(fx->cv);
	ui_app_settle(&fx->app, 80, 24);
	ui_app_draw(fx->cv, &fx->app);
	fx->panel = ui_app_layout(&fx->app, 80, 24).payload;
}

static void close_fixture(struct fixture *fx)
{
	canvas_free(fx->cv);
	ui_app_release(&fx->app);
	replay_release(&fx->rp);
	trace_release(&fx->tr);
}

/* The screen's row at the panel's row y (0: its top border), as text. */
static void panel_row(const struct fixture *fx, int y, char *buf, size_t len)
{
	struct sbuf sb;
	const char *p;
	size_t n;

	sbuf_init(&sb);
	canvas_to_text(fx->cv, false, &sb);
	assert_false(sb.is_oom);
	p = sb.data;
	for (int i = 0; i < fx->panel.y + y && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_non_null(p);
	n = strcspn(p, "\n");
	snprintf(buf, len, "%.*s", (int)n, p);
	sbuf_release(&sb);
}

/* The verdict row's text inside the panel's borders. */
static void verdict_row(const struct fixture *fx, char *buf, size_t len)
{
	char row[1024];
	const char *at;

	panel_row(fx, 2, row, sizeof(row));
	/* the payload panel is the right half: after the lanes panel's "│" */
	at = strstr(row, "││");
	assert_non_null(at);
	snprintf(buf, len, "%s", at + strlen("││"));
}

static void assert_row_style(const struct fixture *fx, enum style want)
{
	const struct cell *c = canvas_at(fx->cv, fx->panel.x + 1, fx->panel.y + 2);

	assert_non_null(c);
	assert_int_equal(c->style, want);
}

static void harmless_is_plain(void **state)
{
	struct fixture fx;
	char row[512];

	(void)state;
	open_at(&fx, data_pickle, sizeof(data_pickle) - 1, sizeof(data_pickle) - 1);
	verdict_row(&fx, row, sizeof(row));
	assert_true(strncmp(row, "verdict: data — imports nothing; buil…│",
			    strlen("verdict: data — imports nothing; buil…│")) == 0);
	assert_row_style(&fx, ST_NORMAL);
	/* the listing starts under it */
	panel_row(&fx, 3, row, sizeof(row));
	assert_non_null(strstr(row, "0: PROTO      2"));
	close_fixture(&fx);
}

static void dangerous_is_alarm(void **state)
{
	struct fixture fx;
	char row[512];

	(void)state;
	open_at(&fx, dangerous_pickle, sizeof(dangerous_pickle) - 1, sizeof(dangerous_pickle) - 1);
	verdict_row(&fx, row, sizeof(row));
	assert_true(strncmp(row, "verdict: dangerous — calls posix.syst…",
			    strlen("verdict: dangerous — calls posix.syst…")) == 0);
	assert_row_style(&fx, ST_WARN);
	assert_string_equal(fx.app.payload.verdict.data,
			    "verdict: dangerous — calls posix.system('echo pwned') at byte 30");
	/* Another view of the same payload is not judged again. */
	{
		const char *before = fx.app.payload.verdict.data;

		fx.app.payload_mode = PAYLOAD_HEX;
		ui_app_settle(&fx.app, 80, 24);
		assert_ptr_equal(fx.app.payload.verdict_ev, fx.rp.payload);
		assert_ptr_equal(fx.app.payload.verdict.data, before);
		assert_true(fx.app.payload.is_dangerous);
	}
	close_fixture(&fx);
}

/* Cut at 20 of 33 bytes: the command is not in them, so no "dangerous";
 * the line says it judged only what was captured. */
static void cut_capture_says_so(void **state)
{
	struct fixture fx;

	(void)state;
	open_at(&fx, dangerous_pickle, 20, sizeof(dangerous_pickle) - 1);
	assert_true(strncmp(fx.app.payload.verdict.data,
			    "verdict (of the first 20 B): imports — imports standard-library "
			    "names only; calls nothing",
			    strlen("verdict (of the first 20 B): imports — imports standard-"
				   "library names only; calls nothing")) == 0);
	assert_row_style(&fx, ST_NORMAL);
	close_fixture(&fx);
}

static void malformed_says_so(void **state)
{
	struct fixture fx;

	(void)state;
	open_at(&fx, malformed_pickle, sizeof(malformed_pickle) - 1, sizeof(malformed_pickle) - 1);
	assert_true(strncmp(fx.app.payload.verdict.data, "verdict (of a malformed pickle): data — ",
			    strlen("verdict (of a malformed pickle): data — ")) == 0);
	close_fixture(&fx);
}

/* Not captured: the header, then the references, and no verdict. */
static void no_bytes_no_line(void **state)
{
	struct fixture fx;
	char row[512];

	(void)state;
	open_at(&fx, NULL, 0, 344);
	assert_int_equal(fx.app.payload.verdict.len, 0);
	verdict_row(&fx, row, sizeof(row));
	assert_non_null(strstr(row, "(the bytes were not captured)"));
	close_fixture(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(harmless_is_plain),   cmocka_unit_test(dangerous_is_alarm),
		cmocka_unit_test(cut_capture_says_so), cmocka_unit_test(malformed_says_so),
		cmocka_unit_test(no_bytes_no_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

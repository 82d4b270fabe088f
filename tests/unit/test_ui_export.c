/*
 * test_ui_export.c - the replay screen's `e` key without a terminal: the
 * prompt in the status line built from the exporter's formats, the key
 * that picks one, what is exported (the trace shown, or every trace in
 * compare mode), where it went or why not, Esc, and a screen that cannot
 * export. The exporter is a fake that records what it was asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures/replay/builder.h"
#include "ui/app.h"

struct asked {
	size_t calls, format, first, count;
	bool fails;
};

static int fake_write(void *ctx, size_t format, size_t first, size_t count, char *said,
		      size_t said_len, struct mp_err *err)
{
	struct asked *a = ctx;

	a->calls++;
	a->format = format;
	a->first = first;
	a->count = count;
	if (a->fails)
		return mp_err_set(err, "cannot write 'x.txt': Permission denied");
	snprintf(said, said_len, "wrote example.%zu (12 bytes)", format);
	return 0;
}

static const char *const formats[] = { "json", "chrome", "html", "text", "svg", "jsonl" };

struct screen {
	struct trace tr[2];
	struct replay rp[2];
	struct ui_app app;
	struct canvas *cv;
	struct asked asked;
	struct ui_exporter x;
	char status[512];
};

static void open_screen(struct screen *s, size_t count, bool has_exporter)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(builder_classic(&s->tr[0], "spawn"), 0);
	assert_int_equal(builder_classic(&s->tr[1], "fork"), 0);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(replay_init(&s->rp[i], &s->tr[i], NULL), 0);
	ui_app_init(&s->app, s->rp, count, NULL);
	s->x = (struct ui_exporter){ &s->asked, formats, 6, fake_write };
	s->app.exporter = has_exporter ? &s->x : NULL;
	s->cv = canvas_new(100, 30);
	assert_non_null(s->cv);
}

static void close_screen(struct screen *s, size_t count)
{
	ui_app_release(&s->app);
	canvas_free(s->cv);
	for (size_t i = 0; i < count; i++)
		replay_release(&s->rp[i]);
	trace_release(&s->tr[0]);
	trace_release(&s->tr[1]);
}

/* Presses a key, draws the screen and keeps its status line. */
static unsigned press(struct screen *s, int key)
{
	unsigned react = ui_app_key(&s->app, key);
	struct sbuf text;
	const char *nl;

	ui_app_settle(&s->app, s->cv->cols, s->cv->rows);
	ui_app_draw(s->cv, &s->app);
	sbuf_init(&text);
	canvas_to_text(s->cv, false, &text);
	assert_false(text.is_oom);
	nl = strchr(text.data, '\n');
	snprintf(s->status, sizeof(s->status), "%.*s", (int)(nl - text.data), text.data);
	sbuf_release(&text);
	return react;
}

static void keys_are_first_free_letters(void **state)
{
	struct ui_exporter x = { NULL, formats, 6, fake_write };

	(void)state;
	assert_int_equal(ui_export_key(&x, 0), 'j');
	assert_int_equal(ui_export_key(&x, 1), 'c');
	assert_int_equal(ui_export_key(&x, 2), 'h');
	assert_int_equal(ui_export_key(&x, 3), 't');
	assert_int_equal(ui_export_key(&x, 4), 's');
	/* "jsonl": j and s are taken, o is not. */
	assert_int_equal(ui_export_key(&x, 5), 'o');
	assert_int_equal(ui_export_key(&x, 6), 0);
}

static void e_opens_the_prompt_and_a_key_exports_the_shown_trace(void **state)
{
	struct screen s;

	(void)state;
	open_screen(&s, 2, true);
	assert_int_equal(press(&s, 'e'), UI_REDRAW);
	assert_non_null(strstr(s.status,
			       "export as: j json · c chrome · h html · t text · s svg · "
			       "o jsonl — Esc cancels"));
	assert_int_equal(s.asked.calls, 0);
	/* A key that is no format leaves the prompt as it is. */
	press(&s, 'x');
	assert_non_null(strstr(s.status, "export as:"));
	assert_int_equal(s.asked.calls, 0);
	press(&s, 't');
	assert_int_equal(s.asked.calls, 1);
	assert_int_equal(s.asked.format, 3);
	assert_int_equal(s.asked.first, 0);
	assert_int_equal(s.asked.count, 1);
	assert_non_null(strstr(s.status, " wrote example.3 (12 bytes)"));
	/* Said once: the next key is the screen's again. */
	press(&s, UI_KEY_RIGHT);
	assert_null(strstr(s.status, "wrote"));
	assert_non_null(strstr(s.status, "step 2/"));
	/* m shows the other trace: that is the one exported. */
	press(&s, 'm');
	press(&s, 'e');
	press(&s, 'c');
	assert_int_equal(s.asked.first, 1);
	assert_int_equal(s.asked.count, 1);
	close_screen(&s, 2);
}

static void compare_mode_exports_every_trace(void **state)
{
	struct screen s;

	(void)state;
	open_screen(&s, 2, true);
	press(&s, 'c');
	press(&s, 'e');
	assert_non_null(strstr(s.status, "export 2 traces as: j json"));
	press(&s, 'c');
	assert_int_equal(s.asked.first, 0);
	assert_int_equal(s.asked.count, 2);
	close_screen(&s, 2);
}

static void esc_cancels_and_a_failure_is_said(void **state)
{
	struct screen s;

	(void)state;
	open_screen(&s, 1, true);
	press(&s, 'e');
	press(&s, UI_KEY_ESC);
	assert_null(strstr(s.status, "export as:"));
	assert_int_equal(s.asked.calls, 0);
	/* Keys work again: q quits. */
	assert_int_equal(ui_app_key(&s.app, 'q'), UI_QUIT);
	s.asked.fails = true;
	press(&s, 'e');
	press(&s, 'h');
	assert_int_equal(s.asked.calls, 1);
	assert_non_null(strstr(s.status, "cannot write 'x.txt': Permission denied"));
	close_screen(&s, 1);
}

static void a_screen_without_exporter_says_so(void **state)
{
	struct screen s;

	(void)state;
	open_screen(&s, 1, false);
	press(&s, 'e');
	assert_non_null(strstr(s.status, "this screen cannot export"));
	/* No prompt: t is the screen's key again (nothing), not a format. */
	press(&s, 't');
	assert_null(strstr(s.status, "export"));
	close_screen(&s, 1);
}

/* The help lists e with the other keys. */
static void help_lists_e(void **state)
{
	const struct ui_key_help *rows;
	size_t n = ui_key_help(&rows);
	bool has_e = false;

	(void)state;
	for (size_t i = 0; i < n; i++)
		has_e |= strcmp(rows[i].label, "e") == 0 &&
			strcmp(rows[i].what, "export what is on screen") == 0;
	assert_true(has_e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_are_first_free_letters),
		cmocka_unit_test(e_opens_the_prompt_and_a_key_exports_the_shown_trace),
		cmocka_unit_test(compare_mode_exports_every_trace),
		cmocka_unit_test(esc_cancels_and_a_failure_is_said),
		cmocka_unit_test(a_screen_without_exporter_says_so),
		cmocka_unit_test(help_lists_e),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

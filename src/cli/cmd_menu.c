/*
 * cmd_menu.c - `mpscope` alone, at a terminal: the lesson menu. A lesson
 * opened from it plays (lesson_session.c) and q brings the menu back with
 * the progress it made; the next lesson can follow from a lesson's
 * summary. q in the menu quits.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/lesson_session.h"

int cmd_menu(int argc, char **argv)
{
	struct lesson_opts o = { 0 };
	struct lesson_session s;
	struct mp_err err;
	enum ui_lesson_end end;
	size_t cursor = 0, i, next;
	int rc = 0;

	(void)argc;
	(void)argv;
	o.is_menu = true;
	if (session_open(&s, &o, &err) < 0 || session_screen(&s, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		session_close(&s);
		return 1;
	}
	for (;;) {
		rc = ui_menu(s.term, &s.course, s.has_progress ? &s.pg : NULL, s.note, &cursor,
			     &err);
		if (rc <= 0)
			break;
		s.note[0] = '\0';
		for (i = cursor, end = UI_LESSON_NEXT; end == UI_LESSON_NEXT && i != SIZE_MAX;
		     i = next) {
			cursor = i;
			if (session_play(&s, i, &end, &next, &err) < 0) {
				/* The menu says why; the other lessons stay open. */
				snprintf(s.note, sizeof(s.note), "%s", err.msg);
				break;
			}
		}
	}
	session_close(&s);
	if (rc < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 1;
	}
	return 0;
}

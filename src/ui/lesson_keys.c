/*
 * lesson_keys.c - the lesson player's keys (lesson_player.h): one table of
 * the lesson keys for students and teachers, what they do at a step and
 * on the summary, the help built from it, and every other key handed to
 * the replay screen to look around. Quiz keys are in quiz.c. Actions
 * change the state and return reactions; they never draw.
 */
#include <stdlib.h>

#include "ui/lesson_player.h"

static unsigned act_next(struct lesson_player *p)
{
	if (p->is_travelling)
		lp_arrive(p);
	else
		lp_forward(p);
	return UI_REDRAW;
}

/* Classroom mode: space holds the way and lets it go on; at a pause it
 * goes on, as → does. */
static unsigned act_space(struct lesson_player *p)
{
	if (p->is_present && p->is_travelling) {
		p->is_held = !p->is_held;
		return UI_REDRAW;
	}
	return act_next(p);
}

static unsigned act_prev(struct lesson_player *p)
{
	lp_go(p, p->step > 0 ? p->step - 1 : 0, false);
	return UI_REDRAW;
}

/* Classroom jumps: at once, no quiz asked. */
static void jump(struct lesson_player *p, size_t i)
{
	if (i >= p->l->step_count)
		i = p->l->step_count - 1;
	p->jump_len = 0;
	lp_go(p, i, false);
}

static unsigned act_enter(struct lesson_player *p)
{
	size_t n;

	if (!p->is_present || p->jump_len == 0)
		return act_next(p);
	p->jump[p->jump_len] = '\0';
	n = (size_t)strtoul(p->jump, NULL, 10);
	jump(p, n > 0 ? n - 1 : 0);
	return UI_REDRAW;
}

static unsigned act_jump_next(struct lesson_player *p)
{
	jump(p, p->step + 1);
	return UI_REDRAW;
}

static unsigned act_first(struct lesson_player *p)
{
	jump(p, 0);
	return UI_REDRAW;
}

static unsigned act_last(struct lesson_player *p)
{
	jump(p, p->l->step_count - 1);
	return UI_REDRAW;
}

static unsigned act_esc(struct lesson_player *p)
{
	p->jump_len = 0;
	return UI_REDRAW;
}

static unsigned act_group(struct lesson_player *p)
{
	return lp_look(p, UI_KEY_ENTER);
}

static unsigned act_faster(struct lesson_player *p)
{
	lp_change_speed(p, +1);
	return UI_REDRAW;
}

static unsigned act_slower(struct lesson_player *p)
{
	lp_change_speed(p, -1);
	return UI_REDRAW;
}

static unsigned act_help(struct lesson_player *p)
{
	p->show_help = true;
	return UI_REDRAW;
}

static unsigned act_quit(struct lesson_player *p)
{
	p->end = UI_LESSON_QUIT;
	return UI_QUIT;
}

enum { FOR_STUDENT = 1 << 0, FOR_TEACHER = 1 << 1, FOR_BOTH = 3 };

struct lp_binding {
	int key;
	int alt_key; /* 0 = none */
	unsigned who; /* FOR_STUDENT, FOR_TEACHER */
	const char *label;
	const char *what;
	unsigned (*act)(struct lesson_player *p);
};

static const struct lp_binding bindings[] = {
	{ UI_KEY_RIGHT, 0, FOR_BOTH, "→ Enter", "next step (its quiz first)", act_next },
	{ UI_KEY_ENTER, 0, FOR_STUDENT, NULL, NULL, act_enter },
	{ ' ', 0, FOR_STUDENT, "space", "next step", act_space },
	{ ' ', 0, FOR_TEACHER, "space", "hold / go on; at a step: next", act_space },
	{ UI_KEY_LEFT, 0, FOR_BOTH, "←", "previous step", act_prev },
	{ UI_KEY_ENTER, 0, FOR_TEACHER, "1-9 Enter", "go to step N (no quiz)", act_enter },
	{ ']', 0, FOR_TEACHER, "] [", "next / previous step (no quiz)", act_jump_next },
	{ '[', 0, FOR_TEACHER, NULL, NULL, act_prev },
	{ UI_KEY_HOME, 0, FOR_TEACHER, "Home End", "first / last step", act_first },
	{ UI_KEY_END, 0, FOR_TEACHER, NULL, NULL, act_last },
	{ UI_KEY_ESC, 0, FOR_TEACHER, NULL, NULL, act_esc },
	{ '+', '=', FOR_BOTH, "+ −", "faster / slower between steps", act_faster },
	{ '-', '_', FOR_BOTH, NULL, NULL, act_slower },
	{ 'e', 0, FOR_BOTH, "e", "open / close a pickle group", act_group },
	{ '?', 0, FOR_BOTH, "?", "this help", act_help },
	{ 'q', 'Q', FOR_BOTH, "q", "quit (back to the menu when opened from it)", act_quit },
};

#define BINDING_COUNT (sizeof(bindings) / sizeof(bindings[0]))

/* The replay keys that still work in a lesson, to look around. */
static const struct lp_key_help look_keys[] = {
	{ "h l", "one story step back / on" },
	{ "n N", "next / previous key moment" },
	{ "g G", "first / last story step" },
	{ "m c", "another trace / compare them" },
	{ "p d x", "payload: disassembly, decoded, hex" },
	{ "a", "all story steps / fold bookkeeping" },
	{ "Tab ↑↓", "panel; lane or scroll" },
};

static unsigned who(const struct lesson_player *p)
{
	return p->is_present ? FOR_TEACHER : FOR_STUDENT;
}

size_t lp_key_help(const struct lesson_player *p, struct lp_key_help *rows, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < BINDING_COUNT && n < max; i++)
		if ((bindings[i].who & who(p)) && bindings[i].label)
			rows[n++] = (struct lp_key_help){ bindings[i].label, bindings[i].what };
	if (!p->is_present && n < max)
		rows[n++] = (struct lp_key_help){ "Home End", "first / last story step" };
	for (size_t i = 0; i < sizeof(look_keys) / sizeof(look_keys[0]) && n < max; i++)
		rows[n++] = look_keys[i];
	if (n < max)
		rows[n++] = (struct lp_key_help){ "Ctrl-C", "quit at once" };
	return n;
}

static unsigned step_key(struct lesson_player *p, int key)
{
	if (p->is_present && key >= '0' && key <= '9') {
		if (p->jump_len + 1 < sizeof(p->jump))
			p->jump[p->jump_len++] = (char)key;
		return UI_REDRAW;
	}
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if ((bindings[i].who & who(p)) &&
		    (bindings[i].key == key || (bindings[i].alt_key && bindings[i].alt_key == key)))
			return bindings[i].act(p);
	return lp_look(p, key);
}

static unsigned summary_key(struct lesson_player *p, int key)
{
	switch (key) {
	case 'n':
	case UI_KEY_ENTER:
	case UI_KEY_RIGHT:
	case ' ':
		if (!p->spec.next)
			return 0;
		p->end = UI_LESSON_NEXT;
		return UI_QUIT;
	case UI_KEY_LEFT:
		p->phase = LP_STEP;
		lp_go(p, p->l->step_count - 1, false);
		return UI_REDRAW;
	case '?':
		return act_help(p);
	case 'q':
	case 'Q':
		return act_quit(p);
	default:
		return 0;
	}
}

unsigned lp_key(struct lesson_player *p, int key)
{
	p->has_err = false;
	p->show_notice = false;
	if (p->show_help) {
		p->show_help = false;
		return key == 'q' || key == 'Q' ? act_quit(p) : UI_REDRAW;
	}
	switch (p->phase) {
	case LP_STEP:
		return step_key(p, key);
	case LP_SUMMARY:
		return summary_key(p, key);
	default:
		return lp_quiz_key(p, key);
	}
}

/*
 * model.c - the lesson's lifecycle and the small rules of the contract
 * that are not about events: trace keys, folder names, trace file names
 * and symbolic pids. See lesson.h.
 */
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"

void lesson_init(struct lesson *l)
{
	memset(l, 0, sizeof(*l));
	arena_init(&l->arena);
}

void lesson_release(struct lesson *l)
{
	arena_release(&l->arena);
	lesson_init(l);
}

bool lesson_proves(const struct lesson *l, enum lesson_claim c)
{
	for (size_t i = 0; i < l->prove_count; i++)
		if (l->proves[i] == c)
			return true;
	return false;
}

int lesson_key_index(const struct lesson *l, const char *key)
{
	for (size_t k = 0; k < l->keys.count; k++)
		if (strcmp(l->keys.items[k], key) == 0)
			return (int)k;
	return -1;
}

/* With Pythons the keys are "python3.8"...: the lesson then has a single
 * method, which every key runs with. */
int lesson_keys_make(struct lesson *l, struct arena *a, struct mp_err *err)
{
	const struct strv *from = l->pythons.count ? &l->pythons : &l->methods;
	const char **keys = arena_calloc(a, from->count ? from->count : 1, sizeof(*keys));

	if (!keys)
		return mp_err_set(err, "out of memory while reading a lesson");
	for (size_t i = 0; i < from->count; i++) {
		if (l->pythons.count) {
			size_t n = strlen(from->items[i]) + sizeof("python");
			char *k = arena_alloc(a, n);

			if (!k)
				return mp_err_set(err, "out of memory while reading a lesson");
			snprintf(k, n, "python%s", from->items[i]);
			keys[i] = k;
		} else {
			keys[i] = from->items[i];
		}
	}
	l->keys.items = keys;
	l->keys.count = from->count;
	return 0;
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool lesson_folder_parse(const char *name, int *number, const char **slug)
{
	const char *s = name + 3;

	if (!(name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' &&
	      name[2] == '-'))
		return false;
	/* Words joined by single dashes: no dash first, last or doubled. */
	if (!is_lower_alnum(*s))
		return false;
	for (const char *p = s; *p; p++)
		if (!is_lower_alnum(*p) && !(*p == '-' && is_lower_alnum(p[1])))
			return false;
	*number = (name[0] - '0') * 10 + (name[1] - '0');
	*slug = s;
	return true;
}

bool lesson_trace_path(const struct lesson *l, size_t key, const char *traces_dir, char *buf,
		       size_t len)
{
	int n;

	if (key >= l->keys.count)
		return false;
	if (traces_dir && *traces_dir)
		n = snprintf(buf, len, "%s/%s.%s.json", traces_dir, l->folder, l->keys.items[key]);
	else
		n = snprintf(buf, len, "%s.%s.json", l->folder, l->keys.items[key]);
	return n >= 0 && (size_t)n < len;
}

/* Enough for the lessons' programs; a pool of 40 workers is named by what
 * it does, not by which child it is. */
static const char *const child_names[] = {
	"first_child", "second_child", "third_child",    "fourth_child",
	"fifth_child", "sixth_child",  "seventh_child",  "eighth_child",
	"ninth_child", "tenth_child",  "eleventh_child", "twelfth_child",
};
#define CHILD_NAME_COUNT (sizeof(child_names) / sizeof(child_names[0]))

bool lesson_pid_symbol(const char *s, struct lesson_value *out)
{
	if (strcmp(s, "main") == 0) {
		*out = (struct lesson_value){ .kind = LV_MAIN };
		return true;
	}
	for (size_t i = 0; i < CHILD_NAME_COUNT; i++)
		if (strcmp(s, child_names[i]) == 0) {
			*out = (struct lesson_value){ .kind = LV_CHILD, .child = i + 1 };
			return true;
		}
	return false;
}

const char *lesson_pid_symbol_name(const struct lesson_value *v)
{
	if (v->kind == LV_MAIN)
		return "main";
	if (v->kind == LV_CHILD && v->child >= 1 && v->child <= CHILD_NAME_COUNT)
		return child_names[v->child - 1];
	return NULL;
}

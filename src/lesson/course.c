/*
 * course.c - the lessons found by folder, kept in folder order; finding
 * one by number, folder or slug; the course's rules. See course.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lesson/course.h"

void course_init(struct course *c)
{
	memset(c, 0, sizeof(*c));
}

void course_release(struct course *c)
{
	for (size_t i = 0; i < c->count; i++) {
		lesson_release(&c->entries[i].lesson);
		free(c->entries[i].folder);
		free(c->entries[i].dir);
	}
	free(c->entries);
	course_init(c);
}

struct course_entry *course_add(struct course *c, const char *dir, const char *folder, int number,
				struct mp_err *err)
{
	struct course_entry *grown = realloc(c->entries, (c->count + 1) * sizeof(*grown));
	struct course_entry *e;

	if (!grown)
		return mp_err_set(err, "out of memory while listing lessons"), NULL;
	c->entries = grown;
	e = &c->entries[c->count];
	memset(e, 0, sizeof(*e));
	e->folder = strdup(folder);
	e->dir = strdup(dir);
	if (!e->folder || !e->dir) {
		free(e->folder);
		free(e->dir);
		return mp_err_set(err, "out of memory while listing lessons"), NULL;
	}
	e->number = number;
	lesson_init(&e->lesson);
	c->count++;
	return e;
}

static int cmp_folder(const void *a, const void *b)
{
	return strcmp(((const struct course_entry *)a)->folder,
		      ((const struct course_entry *)b)->folder);
}

void course_sort(struct course *c)
{
	if (c->count > 1)
		qsort(c->entries, c->count, sizeof(*c->entries), cmp_folder);
}

/* "3" or "03": a number of one or two digits. */
static int number_of(const char *name)
{
	size_t n = strlen(name);

	if (n < 1 || n > 2 || strspn(name, "0123456789") != n)
		return -1;
	return atoi(name);
}

const struct course_entry *course_find(const struct course *c, const char *name)
{
	int number = number_of(name);

	for (size_t i = 0; i < c->count; i++) {
		const struct course_entry *e = &c->entries[i];

		if (e->number == number || strcmp(e->folder, name) == 0 ||
		    strcmp(e->folder + 3, name) == 0)
			return e;
	}
	return NULL;
}

int course_check(const struct course *c, struct mp_err *err)
{
	for (size_t i = 0; i + 1 < c->count; i++)
		for (size_t j = i + 1; j < c->count; j++)
			if (c->entries[i].number == c->entries[j].number)
				return mp_err_set(err, "lessons %s and %s have the same number",
						  c->entries[i].folder, c->entries[j].folder);
	for (int claim = 0; claim < CLAIM_COUNT; claim++) {
		bool is_proved = false;

		for (size_t i = 0; i < c->count && !is_proved; i++)
			is_proved = c->entries[i].is_loaded &&
				lesson_proves(&c->entries[i].lesson, (enum lesson_claim)claim);
		if (!is_proved)
			return mp_err_set(err, "no lesson proves \"%s\": %s",
					  lesson_claim_id((enum lesson_claim)claim),
					  lesson_claim_sentence((enum lesson_claim)claim));
	}
	return 0;
}

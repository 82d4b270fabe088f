/*
 * progress.c - the student's progress as a model: entries found or added
 * by lesson folder, answers and completion recorded, the score counted
 * and worded. See progress.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lesson/progress.h"

void progress_init(struct progress *pg)
{
	memset(pg, 0, sizeof(*pg));
}

static void release_answer(struct progress_answer *a)
{
	free(a->answer);
	free(a->at);
	memset(a, 0, sizeof(*a));
}

void progress_release(struct progress *pg)
{
	for (size_t i = 0; i < pg->lesson_count; i++) {
		struct progress_lesson *pl = &pg->lessons[i];

		for (size_t q = 0; q < pl->quiz_count; q++)
			release_answer(&pl->quiz[q]);
		free(pl->quiz);
		free(pl->folder);
		free(pl->finished_at);
	}
	free(pg->lessons);
	progress_init(pg);
}

struct progress_lesson *progress_find(const struct progress *pg, const char *folder)
{
	for (size_t i = 0; i < pg->lesson_count; i++)
		if (strcmp(pg->lessons[i].folder, folder) == 0)
			return &pg->lessons[i];
	return NULL;
}

struct progress_lesson *progress_get(struct progress *pg, const char *folder, struct mp_err *err)
{
	struct progress_lesson *pl = progress_find(pg, folder);
	struct progress_lesson *grown;
	char *name;

	if (pl)
		return pl;
	grown = realloc(pg->lessons, (pg->lesson_count + 1) * sizeof(*grown));
	if (!grown)
		return mp_err_set(err, "out of memory while recording progress"), NULL;
	pg->lessons = grown;
	name = strdup(folder);
	if (!name)
		return mp_err_set(err, "out of memory while recording progress"), NULL;
	pl = &pg->lessons[pg->lesson_count++];
	memset(pl, 0, sizeof(*pl));
	pl->folder = name;
	return pl;
}

int progress_set_answer(struct progress_lesson *pl, size_t quiz, bool is_right, const char *answer,
			const char *at, struct mp_err *err)
{
	char *a = strdup(answer), *t = strdup(at);

	if (!a || !t || quiz >= (size_t)-1 / sizeof(*pl->quiz) - 1)
		goto oom;
	if (quiz >= pl->quiz_count) {
		struct progress_answer *grown = realloc(pl->quiz, (quiz + 1) * sizeof(*grown));

		if (!grown)
			goto oom;
		memset(grown + pl->quiz_count, 0, (quiz + 1 - pl->quiz_count) * sizeof(*grown));
		pl->quiz = grown;
		pl->quiz_count = quiz + 1;
	}
	release_answer(&pl->quiz[quiz]);
	pl->quiz[quiz] = (struct progress_answer){
		.is_answered = true, .is_right = is_right, .answer = a, .at = t
	};
	return 0;
oom:
	free(a);
	free(t);
	return mp_err_set(err, "out of memory while recording progress");
}

int progress_set_done(struct progress_lesson *pl, const char *at, struct mp_err *err)
{
	char *t = strdup(at);

	if (!t)
		return mp_err_set(err, "out of memory while recording progress");
	free(pl->finished_at);
	pl->finished_at = t;
	pl->is_done = true;
	return 0;
}

void progress_time(time_t t, char buf[PROGRESS_TIME_LEN])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, PROGRESS_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00Z");
}

int progress_answer(struct progress *pg, const char *folder, size_t quiz, bool is_right,
		    const char *answer, time_t now, struct mp_err *err)
{
	struct progress_lesson *pl = progress_get(pg, folder, err);
	char at[PROGRESS_TIME_LEN];

	if (!pl)
		return -1;
	progress_time(now, at);
	return progress_set_answer(pl, quiz, is_right, answer, at, err);
}

int progress_finish(struct progress *pg, const char *folder, time_t now, struct mp_err *err)
{
	struct progress_lesson *pl = progress_get(pg, folder, err);
	char at[PROGRESS_TIME_LEN];

	if (!pl)
		return -1;
	progress_time(now, at);
	return progress_set_done(pl, at, err);
}

struct progress_score progress_score(const struct progress *pg, const char *folder,
				     size_t quiz_count)
{
	const struct progress_lesson *pl = progress_find(pg, folder);
	struct progress_score s = { 0, 0, quiz_count };

	for (size_t q = 0; pl && q < quiz_count && q < pl->quiz_count; q++) {
		if (!pl->quiz[q].is_answered)
			continue;
		s.unanswered--;
		if (pl->quiz[q].is_right)
			s.right++;
		else
			s.wrong++;
	}
	return s;
}

void progress_describe(const struct progress *pg, const char *folder, size_t quiz_count,
		       struct sbuf *out)
{
	const struct progress_lesson *pl = progress_find(pg, folder);
	struct progress_score s = progress_score(pg, folder, quiz_count);

	if (!pl) {
		sbuf_adds(out, "not started");
		return;
	}
	sbuf_adds(out, pl->is_done ? "done" : "started");
	if (quiz_count && s.unanswered < quiz_count)
		sbuf_addf(out, ", quiz %zu/%zu right", s.right, quiz_count);
}

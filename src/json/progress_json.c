/*
 * progress_json.c - progress.json read into the progress model and
 * written back atomically; its place under XDG_STATE_HOME; a corrupt file
 * moved aside. Members this version does not know are ignored, so a file
 * from a later format 1 still reads. See progress_json.h. json/ ->
 * lesson/; never prints.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json/progress_json.h"
#include "json/read.h"
#include "json/save.h"

int progress_json_path(char *buf, size_t len, struct mp_err *err)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	/* The XDG spec: a relative XDG_STATE_HOME is invalid and ignored. */
	if (state && state[0] == '/')
		n = snprintf(buf, len, "%s/mpscope/progress.json", state);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.local/state/mpscope/progress.json", home);
	else
		return mp_err_set(err,
				  "cannot tell where to keep progress: neither "
				  "XDG_STATE_HOME nor HOME is set");
	if (n < 0 || (size_t)n >= len)
		return mp_err_set(err, "cannot keep progress: the path under %s is too long",
				  state && state[0] == '/' ? "XDG_STATE_HOME" : "HOME");
	return 0;
}

/* ---- reading ---- */

struct progress_reader {
	struct progress *pg;
	struct mp_err *err;
};

static int expected(struct progress_reader *rd, const struct place *at, const char *what,
		    const cJSON *v)
{
	char got[64];

	json_describe(v, got, sizeof(got));
	return place_err(rd->err, at, "expected %s, got %s", what, got);
}

/* An optional string member: NULL when absent. */
static int string_member(struct progress_reader *rd, const cJSON *obj, const char *name,
			 const struct place *at, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	struct place here = { at, name, 0, false };

	*out = NULL;
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return expected(rd, &here, "a string", v);
	*out = v->valuestring;
	return 0;
}

static int read_answer(struct progress_reader *rd, const cJSON *v, const struct place *at,
		       struct progress_lesson *pl, size_t i)
{
	const cJSON *right = cJSON_GetObjectItemCaseSensitive(v, "right");
	struct place right_at = { at, "right", 0, false };
	const char *answer, *when;

	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return expected(rd, at, "an answer object or null", v);
	if (!right)
		return place_err(rd->err, at, "missing \"right\"");
	if (!cJSON_IsBool(right))
		return expected(rd, &right_at, "true or false", right);
	if (string_member(rd, v, "answer", at, &answer) < 0 ||
	    string_member(rd, v, "at", at, &when) < 0)
		return -1;
	return progress_set_answer(pl, i, cJSON_IsTrue(right), answer ? answer : "",
				   when ? when : "", rd->err);
}

static int read_lesson(struct progress_reader *rd, const cJSON *v, const struct place *at)
{
	const cJSON *done = cJSON_GetObjectItemCaseSensitive(v, "done");
	const cJSON *quiz = cJSON_GetObjectItemCaseSensitive(v, "quiz");
	struct place done_at = { at, "done", 0, false }, quiz_at = { at, "quiz", 0, false };
	struct progress_lesson *pl;
	const char *finished;
	const cJSON *item;
	size_t i = 0;

	if (!cJSON_IsObject(v))
		return expected(rd, at, "an object", v);
	if (done && !cJSON_IsBool(done))
		return expected(rd, &done_at, "true or false", done);
	if (quiz && !cJSON_IsArray(quiz))
		return expected(rd, &quiz_at, "an array", quiz);
	if (string_member(rd, v, "finished_at", at, &finished) < 0)
		return -1;
	if (progress_find(rd->pg, v->string))
		return place_err(rd->err, at, "appears twice");
	pl = progress_get(rd->pg, v->string, rd->err);
	if (!pl)
		return -1;
	if (cJSON_IsTrue(done) && progress_set_done(pl, finished ? finished : "", rd->err) < 0)
		return -1;
	cJSON_ArrayForEach(item, quiz)
	{
		struct place el = { &quiz_at, NULL, i, true };

		if (read_answer(rd, item, &el, pl, i) < 0)
			return -1;
		i++;
	}
	return 0;
}

static int read_document(struct progress_reader *rd, const cJSON *doc, bool *is_corrupt)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");
	const cJSON *lessons = cJSON_GetObjectItemCaseSensitive(doc, "lessons");
	struct place lessons_at = { NULL, "lessons", 0, false };
	const cJSON *item;

	if (!cJSON_IsObject(doc))
		return mp_err_set(rd->err, "expected a JSON object at the top");
	if (!cJSON_IsString(format) || strcmp(format->valuestring, PROGRESS_FORMAT_NAME) != 0)
		return mp_err_set(rd->err, "not a progress file (\"format\" is not \"%s\")",
				  PROGRESS_FORMAT_NAME);
	if (!cJSON_IsNumber(version) || version->valuedouble < 1)
		return mp_err_set(rd->err, "\"version\" is not a version number");
	if (version->valuedouble > PROGRESS_FORMAT_VERSION) {
		/* A newer mpscope's progress: not ours to move aside. */
		*is_corrupt = false;
		return mp_err_set(rd->err,
				  "written by a newer mpscope (version %.0f; this one reads %d)",
				  version->valuedouble, PROGRESS_FORMAT_VERSION);
	}
	if (!cJSON_IsObject(lessons))
		return lessons ? expected(rd, &lessons_at, "an object", lessons)
			       : mp_err_set(rd->err, "missing \"lessons\"");
	cJSON_ArrayForEach(item, lessons)
	{
		struct place at = { &lessons_at, item->string, 0, false };

		if (read_lesson(rd, item, &at) < 0)
			return -1;
	}
	return 0;
}

int progress_json_load_buffer(const char *name, const char *buf, size_t len, struct progress *pg,
			      bool *is_corrupt, struct mp_err *err)
{
	struct progress_reader rd = { pg, err };
	const char *end = NULL;
	cJSON *doc;
	int rc = -1;

	progress_release(pg);
	*is_corrupt = true;
	doc = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (!doc)
		mp_err_set(err, "not valid JSON (at byte %zu)",
			   end && end >= buf ? (size_t)(end - buf) + 1 : (size_t)1);
	else
		rc = read_document(&rd, doc, is_corrupt);
	cJSON_Delete(doc);
	if (rc == 0)
		return 0;
	progress_release(pg);
	return mp_err_prefix(err, "%s", name);
}

int progress_json_load(const char *path, struct progress *pg, bool *is_corrupt, struct mp_err *err)
{
	struct stat st;
	size_t used = 0;
	char *buf;
	ssize_t n;
	int fd, rc;

	progress_release(pg);
	*is_corrupt = false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return mp_err_set(err, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int saved = errno;

		close(fd);
		return mp_err_set(err, "cannot read '%s': %s", path, strerror(saved));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return mp_err_set(err, "cannot read '%s': not a regular file", path);
	}
	if (st.st_size > PROGRESS_FILE_MAX) {
		close(fd);
		*is_corrupt = true;
		return mp_err_set(err, "%s: larger than any progress file (%lld bytes)", path,
				  (long long)st.st_size);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return mp_err_set(err, "cannot read '%s': out of memory", path);
	}
	/* Up to the size fstat gave: a file growing meanwhile is cut there. */
	while (used < (size_t)st.st_size) {
		n = read(fd, buf + used, (size_t)st.st_size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			mp_err_set(err, "cannot read '%s': %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	rc = progress_json_load_buffer(path, buf, used, pg, is_corrupt, err);
	free(buf);
	return rc;
}

/* ---- writing ---- */

static cJSON *answer_json(const struct progress_answer *a)
{
	cJSON *obj;

	if (!a->is_answered)
		return cJSON_CreateNull();
	obj = cJSON_CreateObject();
	if (obj &&
	    (!cJSON_AddBoolToObject(obj, "right", a->is_right) ||
	     !cJSON_AddStringToObject(obj, "answer", a->answer) ||
	     !cJSON_AddStringToObject(obj, "at", a->at))) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

static cJSON *lesson_json(const struct progress_lesson *pl)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *quiz;

	if (!obj || !cJSON_AddBoolToObject(obj, "done", pl->is_done) ||
	    (pl->finished_at && !cJSON_AddStringToObject(obj, "finished_at", pl->finished_at)) ||
	    !(quiz = cJSON_AddArrayToObject(obj, "quiz")))
		goto oom;
	for (size_t q = 0; q < pl->quiz_count; q++) {
		cJSON *a = answer_json(&pl->quiz[q]);

		if (!a || !cJSON_AddItemToArray(quiz, a)) {
			cJSON_Delete(a);
			goto oom;
		}
	}
	return obj;
oom:
	cJSON_Delete(obj);
	return NULL;
}

static cJSON *progress_to_json(const struct progress *pg)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *lessons;

	if (!doc || !cJSON_AddStringToObject(doc, "format", PROGRESS_FORMAT_NAME) ||
	    !cJSON_AddNumberToObject(doc, "version", PROGRESS_FORMAT_VERSION) ||
	    !(lessons = cJSON_AddObjectToObject(doc, "lessons")))
		goto oom;
	for (size_t i = 0; i < pg->lesson_count; i++) {
		cJSON *pl = lesson_json(&pg->lessons[i]);

		if (!pl || !cJSON_AddItemToObject(lessons, pg->lessons[i].folder, pl)) {
			cJSON_Delete(pl);
			goto oom;
		}
	}
	return doc;
oom:
	cJSON_Delete(doc);
	return NULL;
}

int progress_json_dump(const struct progress *pg, struct sbuf *out, struct mp_err *err)
{
	cJSON *doc = progress_to_json(pg);
	char *text = doc ? cJSON_Print(doc) : NULL;

	cJSON_Delete(doc);
	if (!text)
		return mp_err_set(err, "out of memory while writing progress");
	sbuf_adds(out, text);
	sbuf_addc(out, '\n');
	cJSON_free(text);
	return out->is_oom ? mp_err_set(err, "out of memory while writing progress") : 0;
}

/* Makes every missing folder above path (private to the student, as the
 * XDG spec asks of the state folder). */
static int make_folders(const char *path, struct mp_err *err)
{
	char dir[4096];

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return mp_err_set(err, "cannot write '%s': the path is too long", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return mp_err_set(err, "cannot make the folder '%s': %s", dir,
					  strerror(errno));
		*p = '/';
	}
	return 0;
}

int progress_json_save(const char *path, const struct progress *pg, struct mp_err *err)
{
	struct sbuf text;
	int rc;

	sbuf_init(&text);
	rc = progress_json_dump(pg, &text, err);
	if (rc == 0)
		rc = make_folders(path, err);
	if (rc == 0)
		rc = json_save_atomic(path, text.data, text.len, JSON_SAVE_DURABLE, err);
	sbuf_release(&text);
	return rc;
}

/* ---- a corrupt file ---- */

static int move_aside(const char *path, time_t now, char *aside, size_t len, struct mp_err *err)
{
	char stamp[32];
	struct tm tm;

	if (!gmtime_r(&now, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm) == 0)
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	/* Two corrupt files in one second keep both. */
	for (int k = 1; k < 100; k++) {
		int n = k == 1 ? snprintf(aside, len, "%s.corrupt-%s", path, stamp)
			       : snprintf(aside, len, "%s.corrupt-%s-%d", path, stamp, k);

		if (n < 0 || (size_t)n >= len)
			return mp_err_set(err, "cannot move '%s' aside: the path is too long",
					  path);
		if (access(aside, F_OK) == 0)
			continue;
		if (rename(path, aside) < 0)
			return mp_err_set(err, "cannot move '%s' aside: %s", path, strerror(errno));
		return 0;
	}
	return mp_err_set(err, "cannot move '%s' aside: too many corrupt copies beside it", path);
}

int progress_json_open(const char *path, struct progress *pg, time_t now, char *note,
		       size_t note_len, struct mp_err *err)
{
	struct mp_err why;
	char aside[4200];
	bool is_corrupt;

	note[0] = '\0';
	if (progress_json_load(path, pg, &is_corrupt, &why) == 0)
		return 0;
	if (!is_corrupt)
		return mp_err_set(err, "%s", why.msg);
	if (move_aside(path, now, aside, sizeof(aside), err) < 0)
		return -1;
	snprintf(note, note_len, "%s; moved it to '%s' and starting afresh", why.msg, aside);
	return 0;
}

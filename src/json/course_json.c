/*
 * course_json.c - lessons from disk: a lesson's folder read (its name is
 * the lesson's number and slug, its lesson.json the lesson), and a
 * course's lessons found by folder, each loaded or kept with its problem.
 * See lesson_json.h. json/ -> lesson/; never prints.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/lesson_json.h"
#include "json/whole_file.h"

int lesson_json_load_dir(const char *dir, struct lesson *l, struct mp_err *err)
{
	char path[4096], name[256];
	size_t n = strlen(dir), len = 0;
	const char *base;
	char *buf;
	int rc;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (base = dir + n; base > dir && base[-1] != '/'; base--)
		;
	if (snprintf(path, sizeof(path), "%.*s/lesson.json", (int)n, dir) >= (int)sizeof(path) ||
	    snprintf(name, sizeof(name), "%.*s", (int)(dir + n - base), base) >= (int)sizeof(name))
		return mp_err_set(err, "cannot read '%s': the path is too long", dir);
	lesson_release(l);
	buf = json_read_whole_file(path, LESSON_FILE_MAX, "lesson.json", &len, err);
	if (!buf)
		return -1;
	rc = lesson_json_load_buffer(path, name, buf, len, l, err);
	free(buf);
	return rc;
}

int lesson_json_load_course(const char *lessons_dir, struct course *c, struct mp_err *err)
{
	DIR *d = opendir(lessons_dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return mp_err_set(err, "cannot read the lessons in '%s': %s", lessons_dir,
				  strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char dir[4096], file[4200];
		struct course_entry *e;
		const char *slug;
		struct mp_err why;
		int number;

		if (!lesson_folder_parse(de->d_name, &number, &slug) ||
		    snprintf(dir, sizeof(dir), "%s/%s", lessons_dir, de->d_name) >=
			    (int)sizeof(dir))
			continue;
		snprintf(file, sizeof(file), "%s/lesson.json", dir);
		if (access(file, F_OK) != 0)
			continue;
		e = course_add(c, dir, de->d_name, number, err);
		if (!e) {
			rc = -1;
			break;
		}
		e->is_loaded = lesson_json_load_dir(dir, &e->lesson, &why) == 0;
		if (!e->is_loaded)
			snprintf(e->problem, sizeof(e->problem), "%s", why.msg);
	}
	closedir(d);
	course_sort(c);
	return rc;
}

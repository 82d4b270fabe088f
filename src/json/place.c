/*
 * place.c - naming where a value sits in a trace file ("events[12].pid")
 * and describing a JSON value ("\"10\"", "an object") for messages. The
 * place chain is rendered only when there is an error to report.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/read.h"

void place_format(const struct place *at, char *buf, size_t len)
{
	size_t used;

	buf[0] = '\0';
	if (!at)
		return;
	place_format(at->up, buf, len);
	used = strlen(buf);
	if (at->name)
		snprintf(buf + used, len - used, "%s%s", used && at->up ? "." : "", at->name);
	used = strlen(buf);
	if (at->has_index)
		snprintf(buf + used, len - used, "[%zu]", at->index);
}

int place_err(struct mp_err *err, const struct place *at, const char *fmt, ...)
{
	char where[160];
	char msg[MP_ERR_MAX];
	va_list ap;

	place_format(at, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mp_err_set(err, "%s: %s", where, msg);
}

void json_describe(const cJSON *v, char *buf, size_t len)
{
	char quoted[48];

	if (cJSON_IsString(v)) {
		mp_quote(quoted, sizeof(quoted), v->valuestring, strlen(v->valuestring));
		snprintf(buf, len, "\"%s\"", quoted);
	} else if (cJSON_IsNumber(v)) {
		/* The shortest spelling that reads back as the same number. */
		snprintf(buf, len, "%.15g", v->valuedouble);
		if (strtod(buf, NULL) != v->valuedouble)
			snprintf(buf, len, "%.17g", v->valuedouble);
	} else if (cJSON_IsObject(v)) {
		snprintf(buf, len, "an object");
	} else if (cJSON_IsArray(v)) {
		snprintf(buf, len, "an array");
	} else if (cJSON_IsTrue(v)) {
		snprintf(buf, len, "true");
	} else if (cJSON_IsFalse(v)) {
		snprintf(buf, len, "false");
	} else {
		snprintf(buf, len, "null");
	}
}

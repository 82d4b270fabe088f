/*
 * html_text.c - text from the trace on its way into a page or a slide: made
 * safe to show (the screen's rules), escaped for a JSON string inside a
 * <script> element or for XML, base64 for payload bytes, and a table that
 * stores each string once. Everything the trace says is hostile input: a
 * process's argv, what it printed and a pickle's strings all pass here.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "export/html_internal.h"

struct range {
	uint32_t lo, hi;
};

/* Code points that hide or reorder text: a hostile argv uses them to make
 * "evil.py" read as something else (the screen shows them as '?' too). */
static const struct range hiding[] = {
	{ 0x00AD, 0x00AD }, { 0x061C, 0x061C }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
	{ 0x2060, 0x206F }, { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB }, { 0xE0000, 0xE007F },
};

static bool is_hiding(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(hiding) / sizeof(hiding[0]); i++)
		if (cp >= hiding[i].lo && cp <= hiding[i].hi)
			return true;
	return false;
}

void html_text_clean(const char *s, size_t len, struct sbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_valid_prefix(p + i, len - i);
		uint32_t cp;

		if (n == 0) { /* invalid or cut: one byte at a time */
			sbuf_addc(out, '?');
			i++;
			continue;
		}
		cp = utf8_decode(p + i, n);
		if (cp == '\n')
			sbuf_addc(out, '\n');
		else if (cp == '\t')
			sbuf_addc(out, ' ');
		else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || is_hiding(cp))
			sbuf_addc(out, '?');
		else
			sbuf_add(out, p + i, n);
		i += n;
	}
}

void html_json_string(const char *s, size_t len, struct sbuf *out)
{
	sbuf_addc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			sbuf_adds(out, "\\\"");
			break;
		case '\\':
			sbuf_adds(out, "\\\\");
			break;
		case '\n':
			sbuf_adds(out, "\\n");
			break;
		case '<':
		case '>':
		case '&':
			sbuf_addf(out, "\\u%04x", c);
			break;
		default:
			/* Clean text has no other control; this keeps the JSON
			 * valid whatever a caller passes. */
			if (c < 0x20)
				sbuf_addf(out, "\\u%04x", c);
			else
				sbuf_addc(out, (char)c);
		}
	}
	sbuf_addc(out, '"');
}

void html_xml_text(const char *s, size_t len, struct sbuf *out)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			sbuf_adds(out, "&amp;");
			break;
		case '<':
			sbuf_adds(out, "&lt;");
			break;
		case '>':
			sbuf_adds(out, "&gt;");
			break;
		case '"':
			sbuf_adds(out, "&quot;");
			break;
		case '\'':
			sbuf_adds(out, "&#39;");
			break;
		case '\n':
			sbuf_addc(out, ' ');
			break;
		default:
			/* XML 1.0 has no way to write other C0 controls at all. */
			sbuf_addc(out, (unsigned char)s[i] < 0x20 ? '?' : s[i]);
		}
	}
}

void html_base64(const uint8_t *p, size_t len, struct sbuf *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		sbuf_addc(out, digits[(v >> 18) & 63]);
		sbuf_addc(out, digits[(v >> 12) & 63]);
		sbuf_addc(out, n > 1 ? digits[(v >> 6) & 63] : '=');
		sbuf_addc(out, n > 2 ? digits[v & 63] : '=');
	}
}

/* ---- strings stored once ---- */

void html_strings_init(struct html_strings *t)
{
	memset(t, 0, sizeof(*t));
	sbuf_init(&t->text);
}

void html_strings_release(struct html_strings *t)
{
	sbuf_release(&t->text);
	free(t->starts);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static uint64_t hash_of(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static const char *string_at(const struct html_strings *t, size_t i, size_t *len)
{
	size_t end = i + 1 < t->count ? t->starts[i + 1] - 1 : t->text.len - 1;

	*len = end - t->starts[i];
	return t->text.data + t->starts[i];
}

/* The slot where s is, or the empty one where it goes. */
static size_t *slot_of(const struct html_strings *t, const char *s, size_t len)
{
	size_t at = (size_t)(hash_of(s, len) & (t->slot_count - 1));

	for (;; at = (at + 1) & (t->slot_count - 1)) {
		size_t *slot = &t->slots[at], other_len;
		const char *other;

		if (*slot == 0)
			return slot;
		other = string_at(t, *slot - 1, &other_len);
		if (other_len == len && memcmp(other, s, len) == 0)
			return slot;
	}
}

/* Keeps the table at most half full, so a probe ends soon. */
static int grow(struct html_strings *t)
{
	size_t n = t->slot_count ? t->slot_count * 2 : 256;
	size_t *old = t->slots, old_count = t->slot_count;

	t->slots = calloc(n, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -1;
	}
	t->slot_count = n;
	for (size_t i = 0; i < old_count; i++)
		if (old[i]) {
			size_t len;
			const char *s = string_at(t, old[i] - 1, &len);

			*slot_of(t, s, len) = old[i];
		}
	free(old);
	return 0;
}

long html_strings_add(struct html_strings *t, const char *s, size_t len)
{
	size_t start = t->text.len, clean_len, *slot;

	if (t->is_oom)
		return -1;
	if ((t->count + 1) * 2 > t->slot_count && grow(t) < 0)
		goto oom;
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		size_t *starts = realloc(t->starts, cap * sizeof(*starts));

		if (!starts)
			goto oom;
		t->starts = starts;
		t->cap = cap;
	}
	/* Cleaned in place at the end of the text, kept only when new. */
	html_text_clean(s, len, &t->text);
	sbuf_addc(&t->text, '\0');
	if (t->text.is_oom)
		goto oom;
	clean_len = t->text.len - start - 1;
	t->starts[t->count] = start;
	t->count++;
	slot = slot_of(t, t->text.data + start, clean_len);
	t->count--;
	if (*slot) {
		t->text.len = start;
		return (long)(*slot - 1);
	}
	*slot = t->count + 1;
	return (long)t->count++;
oom:
	t->is_oom = true;
	return -1;
}

long html_strings_adds(struct html_strings *t, const char *s)
{
	return html_strings_add(t, s, strlen(s));
}

void html_strings_json(const struct html_strings *t, struct sbuf *out)
{
	sbuf_addc(out, '[');
	for (size_t i = 0; i < t->count; i++) {
		size_t len;
		const char *s = string_at(t, i, &len);

		if (i)
			sbuf_addc(out, ',');
		html_json_string(s, len, out);
	}
	sbuf_addc(out, ']');
}

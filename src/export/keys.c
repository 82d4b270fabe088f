/*
 * keys.c - the authkeys a trace's payloads hold, and the same keys found
 * again in text an export writes (a program that printed its authkey, a
 * decoded value): the second lock behind the probe's redaction, for the
 * formats that carry no bytes. See export.h.
 */
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "pickle/pickle.h"

/* The forms a key is searched for: raw, hex twice, base64 at three
 * alignments in two alphabets, Python's escapes with either quote. */
#define FORM_COUNT 11

void export_keys_init(struct export_keys *k)
{
	memset(k, 0, sizeof(*k));
	arena_init(&k->arena);
}

void export_keys_release(struct export_keys *k)
{
	free(k->forms);
	free(k->form_lens);
	arena_release(&k->arena);
	memset(k, 0, sizeof(*k));
}

static bool has_key(const struct export_keys *k, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < k->form_count; i += FORM_COUNT)
		if (k->form_lens[i] == len && memcmp(k->forms[i], p, len) == 0)
			return true;
	return false;
}

static int grow(struct export_keys *k)
{
	size_t cap = k->form_cap ? 2 * k->form_cap : FORM_COUNT * 2;
	const char **forms = realloc(k->forms, cap * sizeof(*forms));
	size_t *lens;

	if (!forms)
		return -1;
	k->forms = forms;
	lens = realloc(k->form_lens, cap * sizeof(*lens));
	if (!lens)
		return -1;
	k->form_lens = lens;
	k->form_cap = cap;
	return 0;
}

static void add_hex(struct sbuf *s, const uint8_t *p, size_t len, const char *digits)
{
	for (size_t i = 0; i < len; i++) {
		sbuf_addc(s, digits[p[i] >> 4]);
		sbuf_addc(s, digits[p[i] & 15]);
	}
}

/* The characters that only these bytes make, whatever comes before and
 * after them in the encoded stream: whole groups of three from `skip` on. */
static void add_base64(struct sbuf *s, const uint8_t *p, size_t len, size_t skip,
		       const char *alphabet)
{
	for (size_t i = skip; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		for (int shift = 18; shift >= 0; shift -= 6)
			sbuf_addc(s, alphabet[(v >> shift) & 63]);
	}
}

/* The body of Python's repr() of the bytes, between its quotes. */
static void add_python_escaped(struct sbuf *s, const uint8_t *p, size_t len, char quote)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (c == '\\' || c == (uint8_t)quote)
			sbuf_addf(s, "\\%c", c);
		else if (c == '\t')
			sbuf_adds(s, "\\t");
		else if (c == '\n')
			sbuf_adds(s, "\\n");
		else if (c == '\r')
			sbuf_adds(s, "\\r");
		else if (c >= 0x20 && c < 0x7f)
			sbuf_addc(s, (char)c);
		else
			sbuf_addf(s, "\\x%02x", c);
	}
}

static void make_form(struct sbuf *s, const uint8_t *p, size_t len, int form)
{
	static const char std64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char url64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	sbuf_clear(s);
	if (form == 0)
		sbuf_add(s, p, len);
	else if (form == 1)
		add_hex(s, p, len, "0123456789abcdef");
	else if (form == 2)
		add_hex(s, p, len, "0123456789ABCDEF");
	else if (form < 9)
		add_base64(s, p, len, (size_t)(form - 3) % 3, form < 6 ? std64 : url64);
	else
		add_python_escaped(s, p, len, form == 9 ? '\'' : '"');
}

static int add_key(struct export_keys *k, const uint8_t *p, size_t len, struct mp_err *err)
{
	struct sbuf form;
	int rc = 0;

	if (len < EXPORT_KEY_MIN_LEN || has_key(k, p, len) || pickle_is_authkey_marker(p, len))
		return 0;
	if (k->form_count + FORM_COUNT > k->form_cap && grow(k) < 0)
		return mp_err_set(err, "out of memory while looking for authkeys");
	sbuf_init(&form);
	for (int f = 0; f < FORM_COUNT && rc == 0; f++) {
		char *copy;

		make_form(&form, p, len, f);
		copy = form.is_oom ? NULL : arena_memdup(&k->arena, form.data, form.len);
		if (!copy) {
			rc = mp_err_set(err, "out of memory while looking for authkeys");
			break;
		}
		k->forms[k->form_count + (size_t)f] = copy;
		k->form_lens[k->form_count + (size_t)f] = form.len;
	}
	sbuf_release(&form);
	if (rc == 0) {
		k->form_count += FORM_COUNT;
		k->key_count++;
	}
	return rc;
}

/* The keys of one payload: the arguments pickle_find_authkeys points at. */
static int collect_payload(struct export_keys *k, const struct event *ev, struct mp_err *err)
{
	struct arena a;
	struct pickle_redactions found = { 0 };
	struct pickle_listing listing = { 0 };
	int rc = 0;

	arena_init(&a);
	/* Both report what they read before a cut or a bad opcode: a key
	 * before it is still a key. */
	pickle_find_authkeys(ev->u.pickle.bytes, ev->u.pickle.bytes_len, &a, &found, NULL);
	if (found.count > 0)
		pickle_dis(ev->u.pickle.bytes, ev->u.pickle.bytes_len, &a, &listing, NULL);
	for (size_t i = 0; i < listing.insn_count && rc == 0; i++) {
		const struct pickle_insn *in = &listing.insns[i];

		for (size_t f = 0; f < found.count; f++)
			if (found.offsets[f] == in->offset && in->arg.data)
				rc = add_key(k, in->arg.data, in->arg.data_len, err);
	}
	arena_release(&a);
	return rc;
}

int export_keys_collect(struct export_keys *k, const struct trace *tr, struct mp_err *err)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if ((ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD) &&
		    ev->u.pickle.bytes && collect_payload(k, ev, err) < 0)
			return -1;
	}
	return 0;
}

static size_t scrub_form(char *buf, size_t len, const char *form, size_t form_len)
{
	size_t n = 0;
	char *at = buf, *end = buf + len;

	/* Base64 of a short key at an odd alignment is shorter than the key:
	 * never search for fewer characters than the cut-off. */
	if (form_len < EXPORT_KEY_MIN_LEN)
		return 0;
	while ((at = memmem(at, (size_t)(end - at), form, form_len)) != NULL) {
		pickle_authkey_marker(at, form_len);
		at += form_len;
		n++;
	}
	return n;
}

size_t export_keys_scrub(const struct export_keys *k, char *buf, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < k->form_count; i++)
		n += scrub_form(buf, len, k->forms[i], k->form_lens[i]);
	return n;
}

size_t export_keys_redact_payload(const struct export_keys *k, uint8_t *bytes, size_t len)
{
	size_t redacted = 0;
	struct mp_err ignored;

	pickle_redact_authkeys(bytes, len, &redacted, &ignored);
	return redacted + export_keys_scrub(k, (char *)bytes, len);
}

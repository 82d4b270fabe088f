/*
 * redact.c - the multiprocessing authkey overwritten in pickle bytes
 * themselves, for whatever leaves mpscope as bytes (an exported trace, a
 * page's hex view). The probe already redacts what it captures; this is
 * the second lock, for traces made elsewhere or by hand. The argument's
 * bytes become the same-length marker, so sizes and offsets stay true and
 * the listing still walks.
 */
#include <string.h>

#include "common/arena.h"
#include "pickle/pickle.h"

static bool is_authkey_at(const struct pickle_redactions *keys, size_t offset)
{
	for (size_t i = 0; i < keys->count; i++)
		if (keys->offsets[i] == offset)
			return true;
	return false;
}

int pickle_redact_authkeys(uint8_t *buf, size_t len, size_t *redacted, struct mp_err *err)
{
	struct arena a;
	struct pickle_redactions keys = { 0 };
	struct pickle_listing listing = { 0 };
	int rc;

	*redacted = 0;
	arena_init(&a);
	/* Both report what they found before a cut: a truncated payload is
	 * still redacted as far as it goes. */
	rc = pickle_find_authkeys(buf, len, &a, &keys, err);
	if (keys.count > 0 && pickle_dis(buf, len, &a, &listing, err) < 0)
		rc = -1;
	for (size_t i = 0; i < listing.insn_count; i++) {
		const struct pickle_arg *arg = &listing.insns[i].arg;

		if (!is_authkey_at(&keys, listing.insns[i].offset) || !arg->data)
			continue;
		pickle_authkey_marker((char *)buf + (arg->data - buf), arg->data_len);
		(*redacted)++;
	}
	arena_release(&a);
	return rc;
}

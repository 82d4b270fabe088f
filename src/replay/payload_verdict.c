/*
 * payload_verdict.c - the one line the screen and the exported page show
 * under a payload's header: what loading its captured bytes would import
 * and call (docs/verdict.md), judged by src/pickle/ on symbols, so nothing
 * is ever loaded. It says when the judgement covers only part of the
 * pickle: a capture cut at the tracer's cap, or bytes that stop making
 * sense. Also what both mark in a payload's disassembly: the instructions
 * that name a global, and whether that global is the program's own. Pure
 * C over bytes: no I/O, no trace walking.
 */
#include <string.h>

#include "pickle/pickle.h"
#include "replay/replay.h"

bool replay_insn_names_global(const struct pickle_insn *in)
{
	const char *name = in->op->name;

	return strcmp(name, "GLOBAL") == 0 || strcmp(name, "STACK_GLOBAL") == 0 ||
		strcmp(name, "INST") == 0;
}

bool replay_global_is_machinery(const struct pickle_global *globals, size_t count, size_t offset)
{
	for (size_t i = 0; i < count; i++)
		if (globals[i].offset == offset)
			return strncmp(globals[i].module, "multiprocessing", 15) == 0 ||
				strcmp(globals[i].module, "builtins") == 0;
	return true;
}

int replay_payload_verdict(const uint8_t *bytes, size_t len, uint64_t size, struct sbuf *out)
{
	static const char word[] = "verdict:";
	struct pickle_analysis an;
	struct arena a;
	struct mp_err err;
	struct sbuf line;
	int rc;

	if (!bytes || !len)
		return -1;
	arena_init(&a);
	sbuf_init(&line);
	rc = pickle_analyze(bytes, len, &a, &an, &err);
	/* A complete analysis that still failed, or a decoder that ran out
	 * of memory, judged less than the bytes hold: no verdict beats a
	 * wrong "data". */
	if (rc < 0 && (an.is_complete || strstr(err.msg, "out of memory"))) {
		out->is_oom = true;
		rc = -1;
	} else if (an.is_complete) {
		pickle_verdict_line(&an, out);
		rc = (int)an.verdict;
	} else {
		/* The reason ends with where the judgement stopped; the word
		 * before it says so too, where a narrow panel still shows it. */
		pickle_verdict_line(&an, &line);
		if (line.is_oom || strncmp(line.data, word, strlen(word)) != 0) {
			out->is_oom = true;
			rc = -1;
		} else {
			sbuf_adds(out, "verdict (of ");
			if (len < size) {
				sbuf_adds(out, "the first ");
				sbuf_add_size(out, len);
			} else {
				sbuf_adds(out, "a malformed pickle");
			}
			sbuf_addc(out, ')');
			sbuf_add(out, line.data + strlen(word) - 1, line.len - strlen(word) + 1);
			rc = (int)an.verdict;
		}
	}
	sbuf_release(&line);
	arena_release(&a);
	return rc;
}

/*
 * fdpass_links.h - joining the two halves of a descriptor pass reported by
 * the probe (docs/probe-protocol.md, "Descriptor passing"): the sender's
 * fds.pass and the receiver's probe.fds_recv share a pass_ref, which gives
 * each passed fd its number on the receiving side (`as`); a resource-sharer
 * pass's pickle_ref names the pickle.dump that carried it (`pickle_seq`).
 *
 * Notes are taken while probe messages are merged (merge.c: events still
 * in emission order, indexes stable); fdpass_links_apply runs once all
 * messages are in, before the trace is sorted. pickle_seq is set to the
 * dump's emission seq; finish_trace (finish.c) maps it to the final seq.
 */
#ifndef MP_TRACER_FDPASS_LINKS_H
#define MP_TRACER_FDPASS_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

/* One note. ref and fds are borrowed: they live in the trace's arena. */
struct fdpass_note {
	const char *ref; /* pass_ref, pickle_ref or one of pickle_refs */
	size_t index; /* event index (passes) */
	uint64_t seq; /* emission seq (dumps) */
	const int *fds; /* received numbers (probe.fds_recv) */
	size_t fd_count;
};

struct fdpass_notes {
	struct fdpass_note *items;
	size_t count, cap;
};

struct fdpass_links {
	struct fdpass_notes passes; /* fds.pass by pass_ref */
	struct fdpass_notes sharers; /* fds.pass by pickle_ref */
	struct fdpass_notes dumps; /* pickle.dump by each of its pickle_refs */
	struct fdpass_notes recvs; /* probe.fds_recv by pass_ref */
};

void fdpass_links_init(struct fdpass_links *l);
void fdpass_links_release(struct fdpass_links *l);
/* The fds.pass event at `index` of the trace, with the references its
 * message carried (each may be NULL). */
void fdpass_links_note_pass(struct fdpass_links *l, size_t index, const char *pass_ref,
			    const char *pickle_ref);
/* The pickle.dump numbered seq, with the pickle_refs its message carried. */
void fdpass_links_note_dump(struct fdpass_links *l, uint64_t seq, const struct strv *pickle_refs);
/* A probe.fds_recv: the numbers the receiver got, in the order sent. */
void fdpass_links_note_recv(struct fdpass_links *l, const char *pass_ref, const int *fds,
			    size_t fd_count);
/* Fills `as_fd` and `pickle_seq` (emission seq) of the noted fds.pass events. */
void fdpass_links_apply(const struct fdpass_links *l, struct trace *tr);

#endif

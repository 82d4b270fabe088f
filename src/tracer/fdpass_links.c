/*
 * fdpass_links.c - pass_ref / pickle_ref matching; see fdpass_links.h.
 *
 * Counts are small (a forkserver pass per child, a sharer pass per pickled
 * Connection), so lookups are linear. Allocation failures drop a note: the
 * trace then lacks one `as`, it is never wrong. Nothing here reads JSON:
 * merge.c hands over the references probe_json.c read.
 */
#include "tracer/fdpass_links.h"

#include <stdlib.h>
#include <string.h>

void fdpass_links_init(struct fdpass_links *l)
{
	memset(l, 0, sizeof(*l));
}

static void notes_release(struct fdpass_notes *n)
{
	free(n->items);
	memset(n, 0, sizeof(*n));
}

void fdpass_links_release(struct fdpass_links *l)
{
	notes_release(&l->passes);
	notes_release(&l->sharers);
	notes_release(&l->dumps);
	notes_release(&l->recvs);
}

static struct fdpass_note *add(struct fdpass_notes *n, const char *ref)
{
	struct fdpass_note *note;

	if (n->count == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 16;
		struct fdpass_note *grown = realloc(n->items, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		n->items = grown;
		n->cap = cap;
	}
	note = &n->items[n->count++];
	*note = (struct fdpass_note){ .ref = ref };
	return note;
}

static const struct fdpass_note *find(const struct fdpass_notes *n, const char *ref)
{
	for (size_t i = 0; i < n->count; i++)
		if (strcmp(n->items[i].ref, ref) == 0)
			return &n->items[i];
	return NULL;
}

void fdpass_links_note_pass(struct fdpass_links *l, size_t index, const char *pass_ref,
			    const char *pickle_ref)
{
	struct fdpass_note *note;

	if (pass_ref && (note = add(&l->passes, pass_ref)))
		note->index = index;
	if (pickle_ref && (note = add(&l->sharers, pickle_ref)))
		note->index = index;
}

void fdpass_links_note_dump(struct fdpass_links *l, uint64_t seq, const struct strv *pickle_refs)
{
	struct fdpass_note *note;

	for (size_t i = 0; i < pickle_refs->count; i++)
		if ((note = add(&l->dumps, pickle_refs->items[i])))
			note->seq = seq;
}

void fdpass_links_note_recv(struct fdpass_links *l, const char *pass_ref, const int *fds,
			    size_t fd_count)
{
	struct fdpass_note *note;

	if (!pass_ref || fd_count == 0 || !(note = add(&l->recvs, pass_ref)))
		return;
	note->fds = fds;
	note->fd_count = fd_count;
}

void fdpass_links_apply(const struct fdpass_links *l, struct trace *tr)
{
	for (size_t i = 0; i < l->recvs.count; i++) {
		const struct fdpass_note *recv = &l->recvs.items[i];
		const struct fdpass_note *pass = find(&l->passes, recv->ref);
		struct event *ev;

		if (!pass || pass->index >= tr->event_count)
			continue;
		ev = &tr->events[pass->index];
		if (ev->kind != EV_FDS_PASS)
			continue;
		/* SCM_RIGHTS keeps the order: the i-th sent is the i-th received. */
		for (size_t k = 0; k < ev->u.fds_pass.fd_count && k < recv->fd_count; k++)
			ev->u.fds_pass.fds[k].as_fd = recv->fds[k];
	}
	for (size_t i = 0; i < l->sharers.count; i++) {
		const struct fdpass_note *pass = &l->sharers.items[i];
		const struct fdpass_note *dump = find(&l->dumps, pass->ref);

		if (dump && pass->index < tr->event_count &&
		    tr->events[pass->index].kind == EV_FDS_PASS)
			tr->events[pass->index].u.fds_pass.pickle_seq = (int64_t)dump->seq;
	}
}

/*
 * align.c - lining up stories by step; see align.h.
 */
#include "replay/align.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What makes two steps "the same step" across methods: pids differ from run
 * to run, the kind, the actor's role and what was pickled do not. */
static uint32_t signature(const struct replay *rp, size_t k)
{
	const struct step *s = &rp->story.steps[k];
	const struct process *p = trace_find_proc(rp->tr, s->pid);
	enum role role = p ? p->role : ROLE_OTHER;
	uint32_t sig;

	/* The fresh interpreter that will serve the children is exec'd by the
	 * forkserver under forkserver and by each child under spawn: the same
	 * moment of the story, so the same row. */
	if (role == ROLE_FORKSERVER && rp->tr->event_count &&
	    (s->kind == STEP_EXEC ||
	     (s->kind == STEP_FDS_PASS && rp->tr->events[s->ev].u.fds_pass.via == PASS_EXEC)))
		role = ROLE_CHILD;
	sig = (uint32_t)s->kind * 64u + (uint32_t)role * 8u;

	if ((s->kind == STEP_PICKLE_DUMP || s->kind == STEP_PICKLE_LOAD) && rp->tr->event_count) {
		const char *w = rp->tr->events[s->ev].u.pickle.what;

		sig += w ? (uint32_t)(w[0] % 8) : 0u;
	}
	/* Descriptors inherited at a fork are not descriptors sent over a socket. */
	if (s->kind == STEP_FDS_PASS && rp->tr->event_count)
		sig += (uint32_t)rp->tr->events[s->ev].u.fds_pass.via % 8u;
	return sig;
}

size_t alignment_at(const struct alignment *al, size_t r, size_t c)
{
	return al->cells[r * al->col_count + c];
}

void alignment_release(struct alignment *al)
{
	free(al->cells);
	memset(al, 0, sizeof(*al));
}

static uint32_t row_signature(const struct alignment *al, const size_t *cells,
			      const struct replay *replays, size_t r, size_t cols)
{
	for (size_t c = 0; c < cols; c++) {
		size_t k = cells[r * al->col_count + c];

		if (k != ALIGN_GAP)
			return signature(&replays[c], k);
	}
	return UINT32_MAX;
}

/* Merges column c into rows [0, *rows) with an LCS table; writes the new
 * rows into out (room for *rows + steps of c). */
static int merge_column(const struct replay *replays, size_t c, const size_t *in, size_t in_rows,
			size_t *out, size_t *out_rows, size_t cols, struct mp_err *err)
{
	const struct replay *rp = &replays[c];
	size_t m = replay_step_count(rp), w = m + 1;
	uint32_t *tab = malloc((in_rows + 1) * w * sizeof(*tab));
	/* Each row's and step's signature once, not once per table cell (each
	 * costs a process look-up): row_sig[in_rows], then step_sig[m]. */
	uint32_t *row_sig = malloc((in_rows + m + 1) * sizeof(*row_sig)), *step_sig;
	struct alignment shape = { .col_count = cols };
	size_t i = in_rows, j = m, n = 0;
	size_t *rev;

	if (!tab || !row_sig) {
		free(tab);
		free(row_sig);
		return mp_err_set(err, "out of memory while aligning the traces");
	}
	step_sig = row_sig + in_rows;
	for (size_t a = 0; a < in_rows; a++)
		row_sig[a] = row_signature(&shape, in, replays, a, c);
	for (size_t b = 0; b < m; b++)
		step_sig[b] = signature(rp, b);
	for (size_t a = 0; a <= in_rows; a++)
		for (size_t b = 0; b <= m; b++) {
			uint32_t *t = &tab[a * w + b];

			if (a == 0 || b == 0)
				*t = 0;
			else if (row_sig[a - 1] == step_sig[b - 1])
				*t = tab[(a - 1) * w + b - 1] + 1;
			else
				*t = tab[(a - 1) * w + b] > tab[a * w + b - 1]
					? tab[(a - 1) * w + b]
					: tab[a * w + b - 1];
		}
	/* Trace back from the end, writing rows in reverse, then flip. */
	rev = out;
	while (i > 0 || j > 0) {
		size_t *row = &rev[n * cols];

		if (i > 0 && j > 0 && row_sig[i - 1] == step_sig[j - 1]) {
			memcpy(row, &in[(i - 1) * cols], cols * sizeof(*row));
			row[c] = j - 1;
			i--, j--;
		} else if (i > 0 && (j == 0 || tab[(i - 1) * w + j] >= tab[i * w + j - 1])) {
			memcpy(row, &in[(i - 1) * cols], cols * sizeof(*row));
			i--;
		} else {
			for (size_t x = 0; x < cols; x++)
				row[x] = ALIGN_GAP;
			row[c] = j - 1;
			j--;
		}
		n++;
	}
	for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--)
		for (size_t x = 0; x < cols; x++) {
			size_t t = rev[a * cols + x];

			rev[a * cols + x] = rev[b * cols + x];
			rev[b * cols + x] = t;
		}
	*out_rows = n;
	free(tab);
	free(row_sig);
	return 0;
}

static int side_by_side(const struct replay *replays, size_t count, struct alignment *out,
			struct mp_err *err)
{
	size_t rows = 0;

	for (size_t c = 0; c < count; c++)
		if (replay_step_count(&replays[c]) > rows)
			rows = replay_step_count(&replays[c]);
	out->cells = malloc(rows * count * sizeof(*out->cells));
	if (!out->cells)
		return mp_err_set(err, "out of memory while aligning the traces");
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < count; c++)
			out->cells[r * count + c] =
				r < replay_step_count(&replays[c]) ? r : ALIGN_GAP;
	out->row_count = rows;
	return 0;
}

int replay_align(const struct replay *replays, size_t count, struct alignment *out,
		 struct mp_err *err)
{
	size_t total = 0, rows;
	size_t *a = NULL, *b = NULL;

	memset(out, 0, sizeof(*out));
	out->col_count = count;
	if (count == 0)
		return 0;
	for (size_t c = 0; c < count; c++)
		total += replay_step_count(&replays[c]);
	for (size_t c = 1; c < count; c++)
		if ((total + 1) * (replay_step_count(&replays[c]) + 1) > ALIGN_MAX_CELLS)
			return side_by_side(replays, count, out, err);
	a = malloc(total * count * sizeof(*a));
	b = malloc(total * count * sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		return mp_err_set(err, "out of memory while aligning the traces");
	}
	rows = replay_step_count(&replays[0]);
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < count; c++)
			a[r * count + c] = c == 0 ? r : ALIGN_GAP;
	for (size_t c = 1; c < count; c++) {
		size_t *t;

		if (merge_column(replays, c, a, rows, b, &rows, count, err) < 0) {
			free(a);
			free(b);
			return -1;
		}
		t = a, a = b, b = t;
	}
	free(b);
	out->cells = a;
	out->row_count = rows;
	return 0;
}

/* ---- keeping the place across traces ---- */

size_t alignment_row_of(const struct alignment *al, size_t c, size_t step)
{
	for (size_t r = 0; r < al->row_count; r++)
		if (alignment_at(al, r, c) == step)
			return r;
	return SIZE_MAX;
}

size_t alignment_step_near(const struct alignment *al, size_t r, size_t c)
{
	if (al->row_count == 0)
		return 0;
	for (size_t up = (r < al->row_count ? r : al->row_count - 1) + 1; up-- > 0;)
		if (alignment_at(al, up, c) != ALIGN_GAP)
			return alignment_at(al, up, c);
	return 0;
}

/* Step k's rank among the steps of its kind (0 = the first), or the step
 * of kind `kind` and rank `rank` (SIZE_MAX when the story has fewer). */
static size_t rank_of(const struct story *st, size_t k)
{
	size_t n = 0;

	for (size_t i = 0; i < k; i++)
		n += st->steps[i].kind == st->steps[k].kind;
	return n;
}

static size_t step_of_rank(const struct story *st, enum step_kind kind, size_t rank)
{
	for (size_t i = 0; i < st->step_count; i++)
		if (st->steps[i].kind == kind && rank-- == 0)
			return i;
	return SIZE_MAX;
}

size_t replay_match_step(const struct replay *replays, const struct alignment *al, size_t from,
			 size_t step, size_t to)
{
	const struct story *a = &replays[from].story, *b = &replays[to].story;
	size_t r = alignment_row_of(al, from, step), k;

	if (from == to)
		return step;
	if (r != SIZE_MAX && alignment_at(al, r, to) != ALIGN_GAP)
		return alignment_at(al, r, to);
	if (step < a->step_count) {
		k = step_of_rank(b, a->steps[step].kind, rank_of(a, step));
		if (k != SIZE_MAX)
			return k;
	}
	return r != SIZE_MAX ? alignment_step_near(al, r, to) : 0;
}

bool replay_all_share(const struct replay *replays, size_t count, bool is_python)
{
	for (size_t c = 1; c < count; c++) {
		const struct trace_meta *a = &replays[0].tr->meta, *b = &replays[c].tr->meta;
		const char *x = is_python ? a->python : a->method,
			   *y = is_python ? b->python : b->method;

		if (!x != !y || (x && strcmp(x, y) != 0))
			return false;
	}
	return true;
}

void replay_column_title(const struct replay *replays, size_t count, const struct replay *rp,
			 char *buf, size_t len)
{
	const char *method = rp->tr->meta.method ? rp->tr->meta.method : "?";
	const char *python = rp->tr->meta.python;
	bool same_method = replay_all_share(replays, count, false);

	if (python && !replay_all_share(replays, count, true))
		snprintf(buf, len, "python %s%s%s", python, same_method ? "" : " · ",
			 same_method ? "" : method);
	else
		snprintf(buf, len, "%s", method);
}

void replay_shared_text(const struct replay *replays, size_t count, char *buf, size_t len)
{
	const struct trace_meta *m = &replays[0].tr->meta;
	bool same_method = replay_all_share(replays, count, false),
	     same_python = replay_all_share(replays, count, true);

	snprintf(buf, len, "%s%s%s%s", same_method && m->method ? " · " : "",
		 same_method && m->method ? m->method : "",
		 same_python && m->python ? " · python " : "",
		 same_python && m->python ? m->python : "");
}

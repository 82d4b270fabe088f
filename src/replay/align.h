/*
 * align.h - several stories of the same program (fork | spawn | forkserver,
 * or one script under several Pythons) lined up step by step, so that what
 * one method does and another does not stands out as a row with gaps.
 * Pure C over replays; no ncurses.
 */
#ifndef MP_REPLAY_ALIGN_H
#define MP_REPLAY_ALIGN_H

#include <stddef.h>

#include "replay/replay.h"

#define ALIGN_GAP SIZE_MAX

struct alignment {
	size_t col_count;
	size_t row_count;
	size_t *cells; /* row_count * col_count step indexes, ALIGN_GAP for none; owned */
};

/* Aligns the stories of count replays: steps match when they are the same
 * kind of step done by a process of the same role (pickles also by what is
 * pickled). Progressive longest-common-subsequence against the rows so far;
 * stories too long for that (over ALIGN_MAX_CELLS table cells) are put side
 * by side by step number. -1 with err on out-of-memory. */
#define ALIGN_MAX_CELLS ((size_t)8 * 1000 * 1000)
int replay_align(const struct replay *replays, size_t count, struct alignment *out,
		 struct mp_err *err);
void alignment_release(struct alignment *al);

/* What tells compared traces apart, as the screen and the exported page
 * title them. replay_all_share: every trace has the same start method
 * (is_python false) or the same Python version (true); a missing one
 * matches only a missing one. replay_column_title: "python 3.8.18" (and
 * " · spawn" when the methods differ too) for one program under several
 * Pythons, else the method. replay_shared_text: what all share, said
 * once: " · spawn · python 3.11.7", either part left out. */
bool replay_all_share(const struct replay *replays, size_t count, bool is_python);
void replay_column_title(const struct replay *replays, size_t count, const struct replay *rp,
			 char *buf, size_t len);
void replay_shared_text(const struct replay *replays, size_t count, char *buf, size_t len);

/* Step of column c in row r, or ALIGN_GAP. */
size_t alignment_at(const struct alignment *al, size_t r, size_t c);

/* ---- keeping the place across traces ---- */

/* The row that holds step `step` of column c, or SIZE_MAX. */
size_t alignment_row_of(const struct alignment *al, size_t c, size_t step);
/* Column c's step at row r or, when c has none there, at the nearest row
 * above that has one (what c has told so far); 0 when no row above has. */
size_t alignment_step_near(const struct alignment *al, size_t r, size_t c);
/* The step of trace `to` that matches step `step` of trace `from`: the one
 * on the same aligned row; when `to` has none there, the step of the same
 * kind and rank (the second pickle for the second pickle); else the
 * nearest row above. al aligns the replays (replay_align). */
size_t replay_match_step(const struct replay *replays, const struct alignment *al, size_t from,
			 size_t step, size_t to);

#endif

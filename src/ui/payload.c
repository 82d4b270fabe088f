/*
 * payload.c - the pickle in flight: disassembly (p), decoded object (d) or
 * hex (x), with what it is, its size and who sent it to whom.
 *
 * The text comes from src/pickle/, which never executes a pickle. Lines of
 * GLOBAL / STACK_GLOBAL / INST are references - the module and name the
 * receiver will look up - and are highlighted with the name they resolve to.
 * The text is built once per payload and mode (when the screen settles),
 * then only scrolled; it opens where the program's own code is referenced
 * (the STACK_GLOBAL of __main__.f, the process object's _target), and that
 * name stays in the header line however the text is scrolled. Under it, the
 * verdict on what loading the captured bytes would import and call
 * (docs/verdict.md), judged once per payload, in the alarm style when
 * dangerous.
 */
#include <stdio.h>
#include <string.h>

#include "pickle/pickle.h"
#include "ui/app.h"

static void add_line_mark(struct payload_text *pt, bool is_ref)
{
	sbuf_addc(&pt->ref_lines, is_ref ? 1 : 0);
	pt->line_count++;
}

static void add_text_lines(struct payload_text *pt, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		sbuf_addc(&pt->text, s[i]);
		if (s[i] == '\n')
			add_line_mark(pt, false);
	}
	if (len && s[len - 1] != '\n') {
		sbuf_addc(&pt->text, '\n');
		add_line_mark(pt, false);
	}
}

static void build_dis(struct payload_text *pt, const struct event *ev, struct arena *a)
{
	struct pickle_listing lst;
	struct pickle_redactions red = { 0 };
	struct pickle_global *globals = NULL;
	size_t global_count = 0;
	struct mp_err err;
	bool ok = pickle_dis(ev->u.pickle.bytes, ev->u.pickle.bytes_len, a, &lst, &err) == 0;

	pickle_globals(ev->u.pickle.bytes, ev->u.pickle.bytes_len, a, &globals, &global_count,
		       NULL);
	pickle_find_authkeys(ev->u.pickle.bytes, ev->u.pickle.bytes_len, a, &red, NULL);
	for (size_t i = 0; i < lst.insn_count; i++) {
		const struct pickle_insn *in = &lst.insns[i];
		bool is_ref = replay_insn_names_global(in);

		/* Without the opcode byte, which says again what the name says:
		 * a 40-column panel needs the room for the argument. The line is
		 * left open for the name a reference resolves to. */
		pickle_insn_format_with(in, &red, PK_FMT_NO_OPCODE_BYTE | PK_FMT_NO_NEWLINE,
					&pt->text);
		if (is_ref && pt->first_ref_line == SIZE_MAX &&
		    !replay_global_is_machinery(globals, global_count, in->offset))
			pt->first_ref_line = pt->line_count;
		for (size_t g = 0; is_ref && g < global_count; g++)
			if (globals[g].offset == in->offset)
				sbuf_addf(&pt->text, "  %s %s.%s", glyph_text(GLYPH_ARROW_RIGHT),
					  globals[g].module, globals[g].name);
		sbuf_addc(&pt->text, '\n');
		add_line_mark(pt, is_ref);
	}
	if (!ok) {
		sbuf_addf(&pt->text, "%s\n",
			  ev->u.pickle.is_truncated ? "(the rest was not captured)" : err.msg);
		add_line_mark(pt, false);
	}
}

/* The decoded line that names the program's own code: a process object's
 * `_target=`, else the first line that holds its first own reference. */
static void mark_own_line(struct payload_text *pt, const struct event *ev)
{
	const struct global_ref *g = replay_payload_ref(ev);
	const char *keys[2] = { "_target=", NULL };
	char name[256];

	if (g) {
		snprintf(name, sizeof(name), "%s.%s", g->module, g->name);
		keys[1] = name;
	}
	for (int k = 0; k < 2; k++) {
		size_t line = 0;

		for (size_t i = 0; keys[k] && i < pt->text.len; line++) {
			const char *nl = memchr(pt->text.data + i, '\n', pt->text.len - i);
			size_t end = nl ? (size_t)(nl - pt->text.data) : pt->text.len;

			if (memmem(pt->text.data + i, end - i, keys[k], strlen(keys[k]))) {
				pt->first_ref_line = line;
				if (line < pt->ref_lines.len)
					pt->ref_lines.data[line] = 1;
				return;
			}
			i = end + 1;
		}
	}
}

static void build_decoded(struct payload_text *pt, const struct event *ev, struct arena *a)
{
	struct pickle_node *root = NULL;
	struct mp_err err;
	struct sbuf tmp;

	if (pickle_decode(ev->u.pickle.bytes, ev->u.pickle.bytes_len, a, &root, &err) < 0) {
		add_text_lines(pt, err.msg, strlen(err.msg));
		return;
	}
	sbuf_init(&tmp);
	pickle_render(root, PK_RENDER_ELIDE, &tmp);
	if (tmp.is_oom)
		pt->text.is_oom = true;
	else
		add_text_lines(pt, tmp.data, tmp.len);
	sbuf_release(&tmp);
	if (!pt->text.is_oom && !pt->ref_lines.is_oom)
		mark_own_line(pt, ev);
}

static void build_hex(struct payload_text *pt, const struct event *ev)
{
	const uint8_t *b = ev->u.pickle.bytes;

	for (size_t off = 0; off < ev->u.pickle.bytes_len; off += 8) {
		sbuf_addf(&pt->text, "%04zx ", off);
		for (size_t i = off; i < off + 8; i++)
			if (i < ev->u.pickle.bytes_len)
				sbuf_addf(&pt->text, "%02x ", b[i]);
			else
				sbuf_adds(&pt->text, "   ");
		for (size_t i = off; i < off + 8 && i < ev->u.pickle.bytes_len; i++)
			sbuf_addc(&pt->text, b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.');
		sbuf_addc(&pt->text, '\n');
		add_line_mark(pt, false);
	}
}

static void build(struct payload_text *pt, const struct event *ev, enum ui_payload_mode mode)
{
	struct arena a;

	sbuf_clear(&pt->text);
	sbuf_clear(&pt->ref_lines);
	pt->line_count = 0;
	pt->first_ref_line = SIZE_MAX;
	pt->ev = ev;
	pt->mode = mode;
	pt->is_valid = true;
	if (ev->u.pickle.error) {
		add_text_lines(pt, ev->u.pickle.error, strlen(ev->u.pickle.error));
		return;
	}
	if (!ev->u.pickle.bytes || ev->u.pickle.bytes_len == 0) {
		sbuf_adds(&pt->text, "(the bytes were not captured)\n");
		add_line_mark(pt, false);
		for (size_t i = 0; i < ev->u.pickle.global_count; i++) {
			sbuf_addf(&pt->text, "reference %s.%s\n", ev->u.pickle.globals[i].module,
				  ev->u.pickle.globals[i].name);
			add_line_mark(pt, true);
		}
		return;
	}
	arena_init(&a);
	if (mode == PAYLOAD_DIS)
		build_dis(pt, ev, &a);
	else if (mode == PAYLOAD_DECODED)
		build_decoded(pt, ev, &a);
	else
		build_hex(pt, ev);
	arena_release(&a);
}

/* The verdict line, once per payload: the mode changes only the text. */
static void judge(struct payload_text *pt, const struct event *ev)
{
	int v = -1;

	if (pt->verdict.is_oom)
		sbuf_release(&pt->verdict);
	sbuf_clear(&pt->verdict);
	pt->verdict_ev = ev;
	if (!ev->u.pickle.error)
		v = replay_payload_verdict(ev->u.pickle.bytes, ev->u.pickle.bytes_len,
					   ev->u.pickle.size, &pt->verdict);
	pt->is_dangerous = v == PK_VERDICT_DANGEROUS;
}

static bool has_verdict(const struct payload_text *pt, const struct event *ev)
{
	return pt->verdict_ev == ev && pt->verdict.len > 0;
}

static const char *what_label(const char *what)
{
	if (!what)
		return "object";
	if (strcmp(what, "process") == 0)
		return "process object";
	if (strcmp(what, "preparation") == 0)
		return "preparation data";
	if (strcmp(what, "pool_task") == 0)
		return "pool task";
	if (strcmp(what, "pool_result") == 0)
		return "pool result";
	if (strcmp(what, "queue_item") == 0)
		return "queue item";
	return what;
}

static void draw_header(struct canvas *cv, const struct ui_app *app, struct rect r,
			const struct event *ev)
{
	static const char *const modes[] = { " p dis ", " d decoded ", " x hex " };
	const struct global_ref *g = replay_payload_ref(ev);
	char title[96], ref[160] = "";
	int x = r.x + 1, used;

	if (ev->kind == EV_PICKLE_DUMP)
		snprintf(title, sizeof(title), "payload %d → %d · %llu B", ev->pid,
			 ev->u.pickle.peer, (unsigned long long)ev->u.pickle.size);
	else
		snprintf(title, sizeof(title), "payload %d ← %d · %llu B", ev->pid,
			 ev->u.pickle.peer, (unsigned long long)ev->u.pickle.size);
	if (!ev->u.pickle.peer)
		snprintf(title, sizeof(title), "payload %d · %llu B", ev->pid,
			 (unsigned long long)ev->u.pickle.size);
	canvas_box(cv, r, app->focus == FOCUS_PAYLOAD ? ST_BORDER_FOCUS : ST_BORDER, title);
	/* What it is, then the name of the program's code it refers to: that
	 * stays in sight whatever the listing is scrolled to. */
	used = canvas_prints_cut(cv, x, r.y + 1, r.w - 2, ST_DIM, what_label(ev->u.pickle.what));
	if (g) {
		snprintf(ref, sizeof(ref), " · %s %s.%s", glyph_text(GLYPH_ARROW_RIGHT), g->module,
			 g->name);
		used += canvas_prints_cut(cv, x + used, r.y + 1, r.w - 2 - used, ST_REF, ref);
	}
	canvas_printf_cut(cv, x + used, r.y + 1, r.w - 2 - used, ST_DIM, "%s%s%s%s",
			  ev->u.pickle.type ? " · " : "",
			  ev->u.pickle.type ? ev->u.pickle.type : "",
			  ev->u.pickle.is_truncated ? " · cut" : "",
			  ev->u.pickle.is_redacted ? " · authkey hidden" : "");
	/* The views on the bottom border, the current one marked. */
	x = r.x + 2;
	for (int m = 0; m < 3; m++) {
		int room = r.x + r.w - 14 - x;

		if (room <= 0)
			break;
		x += canvas_prints(cv, x, r.y + r.h - 1, room,
				   m == (int)app->payload_mode ? ST_SELECTED : ST_DIM, modes[m]);
	}
}

/* Under the header line, and the verdict line when there is one. */
static struct rect body_of(struct rect r, const struct payload_text *pt, const struct event *ev)
{
	int top = has_verdict(pt, ev) ? 3 : 2;

	return (struct rect){ r.x + 1, r.y + top, r.w - 2, r.h - top - 1 };
}

void ui_payload_settle(struct ui_app *app, struct rect r)
{
	const struct event *ev = ui_app_replay(app)->payload;
	struct payload_text *pt = &app->payload;
	int *scroll = &app->scroll[FOCUS_PAYLOAD];

	if (!ev)
		return;
	if (pt->verdict_ev != ev)
		judge(pt, ev);
	if (!pt->is_valid || pt->ev != ev || pt->mode != app->payload_mode) {
		build(pt, ev, app->payload_mode);
		/* Open where the program's own name is referenced: that line is
		 * the lesson (a function travels as module and name). */
		*scroll = pt->first_ref_line != SIZE_MAX && pt->first_ref_line > 2
			? (int)pt->first_ref_line - 2
			: 0;
	}
	if (pt->verdict.is_oom)
		pt->verdict_ev = NULL; /* judge again next time */
	if (pt->text.is_oom || pt->ref_lines.is_oom || pt->verdict.is_oom) {
		pt->is_valid = false; /* try again next time */
		return;
	}
	if (*scroll > (int)pt->line_count - body_of(r, pt, ev).h)
		*scroll = (int)pt->line_count - body_of(r, pt, ev).h;
	if (*scroll < 0)
		*scroll = 0;
}

void ui_payload_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	const struct event *ev = rp->payload;
	const struct payload_text *pt = &app->payload;
	struct rect body = body_of(r, pt, ev);
	int scroll = app->scroll[FOCUS_PAYLOAD];
	size_t line = 0, i = 0;

	if (!ev) {
		canvas_box(cv, r, app->focus == FOCUS_PAYLOAD ? ST_BORDER_FOCUS : ST_BORDER,
			   "payload");
		canvas_wrap(cv, (struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 }, ST_DIM,
			    "Nothing has been pickled up to this step.", 41, 0);
		return;
	}
	draw_header(cv, app, r, ev);
	if (has_verdict(pt, ev))
		canvas_print_cut(cv, r.x + 1, r.y + 2, r.w - 2,
				 pt->is_dangerous ? ST_WARN : ST_NORMAL, pt->verdict.data,
				 pt->verdict.len);
	if (pt->text.is_oom || pt->ref_lines.is_oom || pt->verdict.is_oom) {
		canvas_prints(cv, body.x, body.y, body.w, ST_WARN,
			      "out of memory showing this payload");
		return;
	}
	while (i < pt->text.len && line < (size_t)scroll + (size_t)body.h) {
		const char *nl = memchr(pt->text.data + i, '\n', pt->text.len - i);
		size_t end = nl ? (size_t)(nl - pt->text.data) : pt->text.len;

		/* A name from the trace's JSON may hold a newline, which
		 * makes more lines than marks: no mark, no highlight. */
		if (line >= (size_t)scroll)
			canvas_print_cut(cv, body.x, body.y + (int)(line - (size_t)scroll), body.w,
					 line < pt->ref_lines.len && pt->ref_lines.data[line]
						 ? ST_REF
						 : ST_NORMAL,
					 pt->text.data + i, end - i);
		line++;
		i = end + 1;
	}
	if (pt->line_count > (size_t)body.h)
		canvas_printf(cv, r.x + r.w - 12, r.y + r.h - 1, 10, ST_DIM, " %d/%zu ", scroll + 1,
			      pt->line_count);
}

/*
 * glyph.c - the glyph table (see glyph.h): each glyph's code point, its
 * UTF-8 and its ASCII stand-in, side by side, so a new glyph cannot come
 * without its fallback. tests/unit/test_ui_canvas.c checks that each row's
 * text is its code point and that rows sharing a code point agree.
 */
#include "ui/glyph.h"

const struct glyph_row glyph_table[GLYPH_COUNT] = {
	[GLYPH_BOX_H] = { 0x2500, "─", '-' },
	[GLYPH_BOX_V] = { 0x2502, "│", '|' },
	[GLYPH_BOX_TOP_LEFT] = { 0x250C, "┌", '+' },
	[GLYPH_BOX_TOP_RIGHT] = { 0x2510, "┐", '+' },
	[GLYPH_BOX_BOTTOM_LEFT] = { 0x2514, "└", '+' },
	[GLYPH_BOX_BOTTOM_RIGHT] = { 0x2518, "┘", '+' },

	[GLYPH_LANE] = { 0x2500, "─", '-' },
	[GLYPH_FORK_BRANCH] = { 0x252C, "┬", '+' },
	[GLYPH_FORK_LINE] = { 0x2502, "│", '|' },
	[GLYPH_FORK_CHILD] = { 0x2514, "└", '+' },
	[GLYPH_START] = { 0x25CF, "●", '*' },
	/* '@', not '*': a pickle must not read as a start. */
	[GLYPH_PICKLE] = { 0x25C6, "◆", '@' },
	[GLYPH_PICKLE_FAILED] = { 'x', "x", 'x' },
	/* A hollow pickle: pickles whose bytes are not there, only counted;
	 * '=' for their total. */
	[GLYPH_COUNTED] = { 0x25C7, "◇", '=' },
	[GLYPH_PAYLOAD_PATH] = { 0x250A, "┊", '|' },
	[GLYPH_LOOKUP] = { 0x25CB, "○", 'o' },
	[GLYPH_OUTPUT] = { 0x2022, "•", '.' },
	[GLYPH_EXIT] = { 0x25A0, "■", '#' },
	[GLYPH_ERROR] = { '!', "!", '!' },
	[GLYPH_STEP_CURSOR] = { 0x25BC, "▼", 'v' },

	[GLYPH_ROW_CURSOR] = { 0x25B6, "▶", '>' },
	[GLYPH_PLAYING] = { 0x25B6, "▶", '>' },
	[GLYPH_PAUSED] = { 0x2016, "‖", '"' },
	[GLYPH_MORE_ABOVE] = { 0x2191, "↑", '^' },
	[GLYPH_MORE_BELOW] = { 0x2193, "↓", 'v' },
	[GLYPH_NONE] = { 0x2014, "—", '-' },
	[GLYPH_GAP] = { 0x00B7, "·", '.' },
	[GLYPH_NEWLINE] = { 0x21B5, "↵", '/' },
	[GLYPH_ELLIPSIS] = { 0x2026, "…", '~' },
	[GLYPH_STRIKE] = { 0x2573, "╳", 'X' },

	[GLYPH_MIDDLE_DOT] = { 0x00B7, "·", '.' },
	[GLYPH_TIMES] = { 0x00D7, "×", 'x' },
	[GLYPH_MINUS] = { 0x2212, "−", '-' },
	[GLYPH_EN_DASH] = { 0x2013, "–", '-' },
	[GLYPH_EM_DASH] = { 0x2014, "—", '-' },
	[GLYPH_ARROW_RIGHT] = { 0x2192, "→", '>' },
	[GLYPH_ARROW_LEFT] = { 0x2190, "←", '<' },
	[GLYPH_ARROW_UP] = { 0x2191, "↑", '^' },
	[GLYPH_ARROW_DOWN] = { 0x2193, "↓", 'v' },
	[GLYPH_POINTER_LEFT] = { 0x25C4, "◄", '<' },
	[GLYPH_POINTER_RIGHT] = { 0x25BA, "►", '>' },
	[GLYPH_TRIANGLE_LEFT] = { 0x25C0, "◀", '<' },
	[GLYPH_TRIANGLE_RIGHT_SMALL] = { 0x25B8, "▸", '>' },
	[GLYPH_TRIANGLE_UP] = { 0x25B2, "▲", '^' },
	[GLYPH_ANGLE_RIGHT] = { 0x203A, "›", '>' },
	[GLYPH_DASH3_H] = { 0x2504, "┄", '-' },
	[GLYPH_DASH4_H] = { 0x2508, "┈", '-' },
	[GLYPH_DASH2_H] = { 0x254C, "╌", '-' },
	[GLYPH_DASH3_V] = { 0x2506, "┆", '|' },
	[GLYPH_DASH2_V] = { 0x254E, "╎", '|' },
	[GLYPH_TEE_RIGHT] = { 0x251C, "├", '+' },
	[GLYPH_TEE_LEFT] = { 0x2524, "┤", '+' },
	[GLYPH_TEE_UP] = { 0x2534, "┴", '+' },
	[GLYPH_CROSS] = { 0x253C, "┼", '+' },

	[GLYPH_CHECK] = { 0x2713, "✓", '+' },
	[GLYPH_WRONG] = { 0x2717, "✗", 'x' },
	[GLYPH_INPUT_CURSOR] = { 0x2581, "▁", '_' },
	[GLYPH_BULLET] = { 0x2022, "•", '.' },
};

uint32_t glyph_ascii(uint32_t cp)
{
	if (cp < 0x80)
		return cp;
	for (int g = 0; g < GLYPH_COUNT; g++)
		if (glyph_table[g].cp == cp)
			return (uint32_t)(unsigned char)glyph_table[g].ascii;
	return '?';
}

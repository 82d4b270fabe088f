/*
 * svg_draw.c - the slide's primitives: where a lifeline and a row are,
 * text from the trace cut and escaped for XML, an arrow between two
 * lifelines, a mark on one, each with its words on a white ground. Only
 * presentation attributes and generic fonts, which slide tools read.
 */
#include <string.h>

#include "common/utf8.h"
#include "export/html_internal.h"
#include "export/svg_internal.h"

double svg_lane_x(const struct svg_diagram *d, size_t lane)
{
	return d->x0 + SVG_PAD + (double)d->col_w * ((double)lane + 0.5);
}

double svg_row_y(size_t row)
{
	return SVG_FIRST_ROW_Y + (double)row * SVG_ROW_H;
}

size_t svg_text(struct sbuf *out, const char *s, size_t len, size_t max)
{
	struct sbuf clean;
	size_t i = 0, chars = 0;

	sbuf_init(&clean);
	html_text_clean(s, len, &clean);
	while (i < clean.len && chars < max) {
		size_t n = utf8_valid_prefix((const unsigned char *)clean.data + i, clean.len - i);

		i += n ? n : 1;
		chars++;
	}
	if (i < clean.len) { /* cut: the last character gives way to "…" */
		while (i > 0 && ((unsigned char)clean.data[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0)
			i--;
		html_xml_text(clean.data, i, out);
		sbuf_adds(out, "…");
	} else {
		html_xml_text(clean.data ? clean.data : "", clean.len, out);
	}
	if (clean.is_oom)
		out->is_oom = true;
	sbuf_release(&clean);
	return chars;
}

void svg_text_at(struct sbuf *out, double x, double y, const char *attrs, const char *s, size_t max)
{
	sbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	svg_text(out, s, strlen(s), max);
	sbuf_adds(out, "</text>\n");
}

/* Words beside a mark or over an arrow, on a white ground so that a
 * lifeline they cross does not strike them through. anchor_mid: x is
 * their middle, else their start. */
static void label(struct sbuf *out, double x, double y, bool anchor_mid, const char *colour,
		  const char *s, size_t max)
{
	struct sbuf text;
	size_t chars;
	double w;

	if (!*s)
		return;
	sbuf_init(&text);
	chars = svg_text(&text, s, strlen(s), max);
	w = (double)chars * 6.7 + 6; /* 11 px monospace */
	sbuf_addf(out,
		  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"15\" fill=\"#ffffff\" "
		  "fill-opacity=\"0.9\"/>\n",
		  anchor_mid ? x - w / 2 : x - 3, y - 11, w);
	sbuf_addf(out,
		  "<text x=\"%.1f\" y=\"%.1f\" font-family=\"monospace\" font-size=\"11\" "
		  "fill=\"%s\"%s>",
		  x, y, colour, anchor_mid ? " text-anchor=\"middle\"" : "");
	sbuf_add(out, text.data ? text.data : "", text.len);
	sbuf_adds(out, "</text>\n");
	if (text.is_oom)
		out->is_oom = true;
	sbuf_release(&text);
}

void svg_arrow(struct sbuf *out, double x1, double x2, double y, const char *colour,
	       const char *marker, bool is_dashed, const char *words)
{
	double mid = (x1 + x2) / 2, dir = x2 > x1 ? 1 : -1;

	sbuf_addf(out,
		  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		  "stroke-width=\"1.6\"%s marker-end=\"url(#%s)\"/>\n",
		  x1 + 4 * dir, y, x2 - 6 * dir, y, colour,
		  is_dashed ? " stroke-dasharray=\"5 3\"" : "", marker);
	label(out, mid, y - 5, true, colour, words, SVG_LABEL_CHARS + 6);
}

void svg_mark(struct sbuf *out, double x, double y, enum svg_shape shape, const char *colour,
	      const char *words)
{
	switch (shape) {
	case SVG_DOT:
		sbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", x, y,
			  colour);
		break;
	case SVG_RING:
		sbuf_addf(out,
			  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"#ffffff\" "
			  "stroke=\"%s\" stroke-width=\"2\"/>\n",
			  x, y, colour);
		break;
	case SVG_SMALL:
		sbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y,
			  colour);
		break;
	case SVG_SQUARE:
		sbuf_addf(out,
			  "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
			  x - 5, y - 5, colour);
		break;
	case SVG_DIAMOND:
		sbuf_addf(out, "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" fill=\"%s\"/>\n", x,
			  y - 6, colour);
		break;
	case SVG_HOLLOW_DIAMOND:
		sbuf_addf(out,
			  "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" fill=\"#ffffff\" "
			  "stroke=\"%s\" stroke-width=\"2\"/>\n",
			  x, y - 6, colour);
		break;
	}
	label(out, x + 11, y + 4, false, colour, words, SVG_LABEL_CHARS + 12);
}

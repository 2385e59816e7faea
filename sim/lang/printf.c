/* printf.c — print's printf form: a format split into conversions, and each one formatted.
 *
 * The design choice to know: the format a conversion is formatted with is not the scenario's
 * text but one this module writes when it splits the format, from the flags, width and
 * precision it has read and checked, with the length that matches the value it passes
 * (gint64, guint64, int or a string). So GLib's printf does the formatting exactly as C's
 * does, and no text from a scenario ever reaches it as a format.
 */
#include "msgsim/lang/printf.h"

#include <string.h>

static void text_clear(SimText *text)
{
	for (guint i = 0; i < text->n_parts; i++) {
		g_free(text->parts[i].lit);
		sim_expr_free(text->parts[i].expr);
	}
	g_free(text->parts);
	g_free(text->literal);
}

void sim_printf_free(SimPrintf *pf)
{
	if (!pf)
		return;
	for (guint i = 0; i < pf->n_convs; i++) {
		SimPrintfConv *c = &pf->convs[i];
		g_free(c->lit);
		g_free(c->spec);
		sim_expr_free(c->num);
		text_clear(&c->text);
	}
	g_free(pf->convs);
	g_free(pf->tail);
	g_free(pf);
}

static gboolean refuse(char **err, gsize *at, gsize where, char *text)
{
	*err = text;
	*at = where;
	return FALSE;
}

/* A width or precision: digits, at most SIM_PRINTF_MAX_WIDTH. */
static gboolean digits(const char **c, guint *out)
{
	guint n = 0;
	while (g_ascii_isdigit(**c)) {
		n = n * 10 + (guint)(**c - '0');
		if (n > SIM_PRINTF_MAX_WIDTH)
			return FALSE;
		(*c)++;
	}
	*out = n;
	return TRUE;
}

/* The length modifier at c: the bits of the C type it names with a d (hh 8, h 16, none 32,
 * l ll z j 64), and how many characters it takes. */
static int length_bits(const char *c, guint *len)
{
	*len = 2;
	if (strncmp(c, "hh", 2) == 0)
		return 8;
	if (strncmp(c, "ll", 2) == 0)
		return 64;
	*len = 1;
	if (*c == 'h')
		return 16;
	if (*c == 'l' || *c == 'z' || *c == 'j')
		return 64;
	*len = 0;
	return 32;
}

/* Reads the conversion that starts after the '%' at *c into conv, moving *c past it. */
static gboolean one_conv(const char *format, const char **c, SimPrintfConv *conv, char **err,
			 gsize *at)
{
	gsize start = (gsize)(*c - format) - 1;
	GString *spec = g_string_new("%");
	const char *flags = *c;
	while (**c && strchr("-0+ #", **c))
		(*c)++;
	g_string_append_len(spec, flags, *c - flags);
	guint width = 0, prec = 0;
	if (**c == '*')
		return g_string_free(spec, TRUE),
		       refuse(err, at, (gsize)(*c - format),
			      g_strdup("a '*' width is not supported: write the width as digits"));
	if (!digits(c, &width))
		return g_string_free(spec, TRUE),
		       refuse(err, at, start,
			      g_strdup_printf("a width of more than %d", SIM_PRINTF_MAX_WIDTH));
	if (width)
		g_string_append_printf(spec, "%u", width);
	if (**c == '.') {
		(*c)++;
		if (!digits(c, &prec))
			return g_string_free(spec, TRUE),
			       refuse(err, at, start,
				      g_strdup_printf("a precision of more than %d",
						      SIM_PRINTF_MAX_WIDTH));
		g_string_append_printf(spec, ".%u", prec);
	}
	guint len = 0;
	int bits = length_bits(*c, &len);
	*c += len;
	char k = **c;
	if (!k || !strchr("diuxXocs", k)) {
		g_autofree char *what = k ? g_strdup_printf("'%c'", k) : g_strdup("end of text");
		g_string_free(spec, TRUE);
		return refuse(err, at, start,
			      g_strdup_printf("unknown conversion: expected d, i, u, x, X, o, c, s "
					      "or %% after '%%' (and its flags, width, precision "
					      "and l, ll, h, hh, z or j), found %s",
					      what));
	}
	(*c)++;
	if (k == 'c' || k == 's') {
		if (len)
			return g_string_free(spec, TRUE),
			       refuse(err, at, start,
				      g_strdup_printf("'%%%c' takes no length modifier", k));
		g_string_append_c(spec, k);
	} else {
		gboolean sign = k == 'd' || k == 'i';
		g_string_append(spec, sign ? G_GINT64_MODIFIER "d" : G_GINT64_MODIFIER);
		if (!sign)
			g_string_append_c(spec, k);
	}
	conv->conv = k;
	conv->bits = bits;
	conv->spec = g_string_free(spec, FALSE);
	return TRUE;
}

gboolean sim_printf_split(const char *format, SimPrintf **out, char **err, gsize *at)
{
	g_autoptr(SimPrintf) pf = g_new0(SimPrintf, 1);
	g_autoptr(GArray) convs = g_array_new(FALSE, TRUE, sizeof(SimPrintfConv));
	g_autoptr(GString) lit = g_string_new(NULL);
	const char *c = format;
	gboolean ok = TRUE;
	while (*c) {
		if (*c != '%') {
			g_string_append_c(lit, *c++);
			continue;
		}
		c++;
		if (*c == '%') {
			g_string_append_c(lit, *c++);
			continue;
		}
		SimPrintfConv conv = { 0 };
		if (!one_conv(format, &c, &conv, err, at)) {
			ok = FALSE;
			break;
		}
		conv.lit = g_strdup(lit->str);
		g_string_truncate(lit, 0);
		g_array_append_val(convs, conv);
	}
	/* The conversions read so far are freed with pf, even when one was refused. */
	pf->n_convs = convs->len;
	pf->convs = (SimPrintfConv *)(void *)g_array_free(g_steal_pointer(&convs), FALSE);
	pf->tail = g_strdup(lit->str);
	if (ok)
		*out = g_steal_pointer(&pf);
	return ok;
}

/* The value as the C program's variable of that many bits would hold it: what a 32-bit
 * int holds for %d, an unsigned one for %x. */
static gint64 cut(gint64 v, int bits, gboolean sign)
{
	if (bits == 64)
		return v;
	guint64 mask = (G_GUINT64_CONSTANT(1) << bits) - 1, u = (guint64)v & mask;
	if (sign && (u >> (bits - 1)))
		return (gint64)(u | ~mask);
	return (gint64)u;
}

/* The spec is this module's own (one_conv wrote it), never the scenario's text. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void sim_printf_append(GString *out, const SimPrintfConv *c, gint64 v, const char *s)
{
	switch (c->conv) {
	case 's':
		g_string_append_printf(out, c->spec, s ? s : "");
		break;
	case 'c':
		g_string_append_printf(out, c->spec, (int)(unsigned char)v);
		break;
	case 'd':
	case 'i':
		g_string_append_printf(out, c->spec, cut(v, c->bits, TRUE));
		break;
	default:
		g_string_append_printf(out, c->spec, (guint64)cut(v, c->bits, FALSE));
		break;
	}
}
#pragma GCC diagnostic pop

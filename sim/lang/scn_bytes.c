/* scn_bytes.c — patterned data where a message text or a write's data goes.
 *
 * `bytes=N pattern=A..B` stands for N bytes counting A, A+1, ... B and round again, and
 * `bytes=N pattern="TEXT"` for TEXT repeated (its escapes may make any byte) and cut to N
 * bytes; without a pattern it counts 0..255. A test of data that must pass through
 * unchanged wants every byte value and a length past a page, which no one types by hand.
 *
 * The design choice: the bytes are made here, once, into the text's literal, so every layer
 * after the parser (the run, the trace, the cross-check) sees an ordinary text with its
 * length, and a send in a loop costs no more than a written text.
 */
#include "lang/scn_int.h"

#include <string.h>

#define GEN_MAX (16 * 1024 * 1024) /* bytes one pattern makes: a scenario stays small */

gboolean scn_at_bytes_gen(const Parser *p)
{
	return is_word(tok(p), "bytes") && is_char(peek(p, 1), '=') && peek(p, 1)->glued;
}

/* pattern=A..B, after the '=': the two bounds, each a byte. */
static gboolean take_range(Parser *p, guint *lo, guint *hi)
{
	gint64 a = 0, b = 0;
	if (!scn_take_int(p, "pattern bound", "after 'pattern='", 0, 255, &a))
		return FALSE;
	if (!is_char(tok(p), '.') || !is_char(peek(p, 1), '.') || !peek(p, 1)->glued)
		return scn_expected(p, "'..' in 'pattern=A..B'");
	advance(p);
	advance(p);
	SimLoc at = tok(p)->loc;
	if (!scn_take_int(p, "pattern bound", "after '..'", 0, 255, &b))
		return FALSE;
	if (b < a)
		return scn_fail_at(p, at, E_NUMBER,
				   "bad pattern %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
				   ": the upper bound is below the lower one",
				   a, b);
	*lo = (guint)a;
	*hi = (guint)b;
	return TRUE;
}

gboolean scn_take_bytes_gen(Parser *p, SimText *out)
{
	gint64 n = 0;
	advance(p);
	advance(p);
	if (!scn_take_int(p, "byte count", "after 'bytes='", 0, GEN_MAX, &n))
		return FALSE;
	guint lo = 0, hi = 255;
	g_autofree char *unit = NULL;
	gsize unit_len = 0;
	if (is_word(tok(p), "pattern") && is_char(peek(p, 1), '=') && peek(p, 1)->glued) {
		advance(p);
		advance(p);
		const Tok *t = tok(p);
		if (t->kind == TOK_STRING || t->kind == TOK_BYTES) {
			if (!t->len)
				return scn_fail_tok(
					p, t, E_SYNTAX,
					"an empty pattern makes no bytes: give at least "
					"one");
			unit = g_memdup2(t->text, t->len);
			unit_len = t->len;
			advance(p);
		} else if (!take_range(p, &lo, &hi)) {
			return FALSE;
		}
	}
	char *data = g_malloc((gsize)n + 1);
	for (gsize i = 0; i < (gsize)n; i++)
		if (unit)
			data[i] = unit[i % unit_len];
		else
			data[i] = (char)(guchar)(lo + i % (hi - lo + 1));
	data[n] = '\0';
	out->literal = data;
	out->literal_len = (gsize)n;
	return TRUE;
}

gboolean scn_take_expect_bytes(Parser *p, char **text, gsize *len, char **shown)
{
	if (scn_at_bytes_gen(p)) {
		SimText t = { 0 };
		gsize from = tok(p)->start;
		if (!scn_take_bytes_gen(p, &t))
			return FALSE;
		*text = t.literal;
		*len = t.literal_len;
		/* The report shows the pattern as written, not its thousands of bytes. */
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		*shown = g_strndup(p->src + from, last->end - from);
		return TRUE;
	}
	const Tok *t = tok(p);
	*text = g_memdup2(t->text, t->len + 1);
	*len = t->len;
	advance(p);
	return TRUE;
}

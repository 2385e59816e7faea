/* scn_printf.c — reads print's printf form: `print "FORMAT", ARG, ARG ...`.
 *
 * The format is split (printf.h) and each conversion takes the next argument: a number's
 * conversions (%d %x %c ...) an expression, as `if` reads one (`n`, `i * 2`, `m.type`,
 * a parameter), and %s a text in double quotes, with its $ parts (`"$m"` for a message's
 * text). The design choice to know: the format itself must be fixed when the file is read
 * (parameters are fine, `$i` is not), so that what is a conversion is decided here, once,
 * and a message's text that holds a '%' can never become one at run time.
 */
#include "lang/scn_int.h"
#include "msgsim/lang/printf.h"

/* The column of byte `at` of the format token's text: exact unless a \ escape comes
 * before it, as for a text's $ parts. */
static SimLoc format_loc(const Tok *fmt, gsize at)
{
	SimLoc loc = fmt->loc;
	loc.col += 1 + (guint)g_utf8_strlen(fmt->text, (gssize)at);
	return loc;
}

/* The argument of conversion c, at the cursor. */
static gboolean take_arg(Parser *p, SimPrintfConv *c, guint n)
{
	const Tok *t = tok(p);
	if (c->conv == 's') {
		if (t->kind != TOK_STRING)
			return scn_expected(p,
					    "a text in double quotes for '%%s' (argument %u of "
					    "print; \"$m\" for a message's text)",
					    n);
		if (!scn_parse_text(p, t, &c->text))
			return FALSE;
		advance(p);
		return TRUE;
	}
	if (t->kind == TOK_STRING)
		return scn_expected(p,
				    "a number for '%%%c' (argument %u of print), not a text: "
				    "use '%%s' for a text",
				    c->conv, n);
	if (t->kind == TOK_EOF || is_char(t, '}') || is_char(t, ','))
		return scn_expected(p, "a number for '%%%c' (argument %u of print)", c->conv, n);
	c->num = scn_take_expr(p);
	if (!c->num)
		return FALSE;
	gint64 v;
	/* A constant is computed now, so that its fault is the file's error, not the run's. */
	return !sim_expr_is_const(c->num) || scn_fold(p, c->num, &v);
}

gboolean scn_take_printf(Parser *p, const Tok *fmt, SimPrintf **out)
{
	const Tok *comma = tok(p);
	g_autofree char *err = NULL;
	gsize at = 0;
	g_autoptr(SimPrintf) pf = NULL;
	if (!sim_printf_split(fmt->text, &pf, &err, &at))
		return scn_fail_at(p, format_loc(fmt, at), E_SYNTAX, "bad print format: %s", err);
	if (pf->n_convs == 0)
		return scn_fail_tok(p, comma, E_SYNTAX,
				    "print has arguments but its format has no conversion (%%d, "
				    "%%s ...) to take them");
	for (guint i = 0; i < pf->n_convs; i++) {
		if (!is_char(tok(p), ',')) {
			guint line = g_array_index(p->toks, Tok, p->pos - 1).loc.line;
			if (tok(p)->kind != TOK_EOF && !is_char(tok(p), '}') &&
			    tok(p)->loc.line == line)
				return scn_expected(p, "',' before argument %u of print", i + 1);
			return scn_expected(p,
					    "argument %u of print: its format has %u conversions "
					    "and %u argument%s",
					    i + 1, pf->n_convs, i, i == 1 ? "" : "s");
		}
		advance(p);
		if (!take_arg(p, &pf->convs[i], i + 1))
			return FALSE;
	}
	guint line = g_array_index(p->toks, Tok, p->pos - 1).loc.line;
	if (tok(p)->kind == TOK_STRING && tok(p)->loc.line == line)
		return scn_expected(p, "',' before a text: print's format has %u conversion%s",
				    pf->n_convs, pf->n_convs == 1 ? "" : "s");
	if (is_char(tok(p), ','))
		return scn_fail_tok(p, tok(p), E_SYNTAX,
				    "too many arguments: print's format has %u conversion%s",
				    pf->n_convs, pf->n_convs == 1 ? "" : "s");
	*out = g_steal_pointer(&pf);
	return TRUE;
}

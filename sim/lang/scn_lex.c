/* scn_lex.c — the scenario lexer: GScanner words in, tokens out; errors; values; options.
 *
 * GScanner runs over the whole text first and leaves an array of tokens, each carrying the
 * line:col of its FIRST character (GScanner itself only knows where a token ends), so the
 * recursive-descent parser has free look-ahead and every error points at the start of what
 * is wrong. Digits are identifier characters, so `5ms`, `0666` and `worker` are all words
 * and the helpers here convert numbers, times and choices themselves.
 *
 * Everything a "FILE:LINE:COL: error: ..." message is made of lives here too: the first
 * error is kept in p->err and every later one is dropped, so callers just return FALSE.
 */
#include "lang/scn_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void scn_tok_clear(gpointer data)
{
	Tok *t = data;
	g_free(t->text);
}

/* ---- Small helpers ---- */

int scn_pick(const char *word, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(word, words[i]) == 0)
			return i;
	return -1;
}

/* "a, b or c", for the lists of what was expected. */
char *scn_either(const char *const *words)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; words[i]; i++) {
		if (i > 0)
			g_string_append(s, words[i + 1] ? ", " : " or ");
		g_string_append(s, words[i]);
	}
	return g_string_free(s, FALSE);
}

/* The edit distance of a and b (insertions, deletions, substitutions and swaps of two
 * neighbours, each 1), or a number above `cap` once it must be above it. Words are short:
 * a row of at most 64 cells. */
static guint distance(const char *a, const char *b, guint cap)
{
	gsize n = strlen(a), m = strlen(b);
	if (n > 63 || m > 63 || (n > m ? n - m : m - n) > cap)
		return cap + 1;
	guint prev2[64], prev[64], row[64];
	for (gsize j = 0; j <= m; j++)
		prev[j] = (guint)j;
	for (gsize i = 1; i <= n; i++) {
		row[0] = (guint)i;
		for (gsize j = 1; j <= m; j++) {
			guint sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			guint best = MIN(MIN(prev[j] + 1, row[j - 1] + 1), sub);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				best = MIN(best, prev2[j - 2] + 1);
			row[j] = best;
		}
		memcpy(prev2, prev, sizeof(prev));
		memcpy(prev, row, sizeof(row));
	}
	return prev[m];
}

/* ": did you mean 'send'?" when one of `words` is close to `word` (one edit for a short word,
 * two for a longer one, the closest and first), else "". Never NULL; g_free it. */
char *scn_did_you_mean(const char *word, const char *const *words)
{
	guint cap = strlen(word) <= 4 ? 1 : 2, best = cap + 1;
	const char *pick = NULL;
	if (strlen(word) < 3) /* one letter off a short name is any other short name */
		return g_strdup("");
	for (guint i = 0; words && words[i]; i++) {
		guint d = distance(word, words[i], cap);
		if (d < best && strcmp(word, words[i]) != 0) {
			best = d;
			pick = words[i];
		}
	}
	return pick ? g_strdup_printf(": did you mean '%s'?", pick) : g_strdup("");
}

/* scn_did_you_mean among the keys of a table of names. */
char *scn_did_you_mean_key(const char *word, GHashTable *names)
{
	g_autofree const char **keys =
		names ? (const char **)g_hash_table_get_keys_as_array(names, NULL) : NULL;
	if (keys) /* the table's order is no order: the same candidates, sorted */
		qsort(keys, g_hash_table_size(names), sizeof(*keys), scn_cmp_str);
	return scn_did_you_mean(word, keys);
}

int scn_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Bytes in the UTF-8 character at s (g_utf8_next_char() would cast away const). */
gsize scn_char_len(const char *s)
{
	return (gsize)g_utf8_skip[*(const guchar *)s];
}

gboolean scn_loc_before(SimLoc a, SimLoc b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* ---- Errors ---- */

/* "NAME:LINE:COL" of a location (NAME only for an included file, unless `always`). */
static void append_loc(GString *s, const Parser *p, SimLoc loc, gboolean always)
{
	guint file = loc_file(loc);
	if (file || always)
		g_string_append_printf(s, "%s:", file ? scn_source(p, file)->name : p->file);
	g_string_append_printf(s, "%u:%u", loc.line, loc.col & LOC_COL_MASK);
}

/* A message's "L:C" references to places in included files (whose columns carry the file)
 * become "FILE:L:C"; those in the scenario file stay as they are. */
static void name_places(GString *out, const Parser *p, const char *what)
{
	for (const char *c = what; *c;) {
		char *end = NULL;
		if (g_ascii_isdigit(*c) && (c == what || !g_ascii_isalnum(c[-1]))) {
			guint64 line = g_ascii_strtoull(c, &end, 10);
			if (*end == ':' && g_ascii_isdigit(end[1])) {
				char *end2 = NULL;
				guint64 col = g_ascii_strtoull(end + 1, &end2, 10);
				guint64 file = col >> LOC_FILE_SHIFT;
				if (file && file < p->sources->len && line <= G_MAXUINT) {
					append_loc(out, p, (SimLoc){ (guint)line, (guint)col }, FALSE);
					c = end2;
					continue;
				}
			}
			g_string_append_len(out, c, end - c);
			c = end;
			continue;
		}
		g_string_append_c(out, *c++);
	}
}

G_GNUC_PRINTF(4, 0)
static gboolean vfail(Parser *p, SimLoc loc, SimScnErrorCode code, const char *fmt, va_list ap)
{
	if (p->err)
		return FALSE;
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	g_autoptr(GString) s = g_string_new(NULL);
	append_loc(s, p, loc, TRUE);
	g_string_append(s, ": error: ");
	if (p->sources && p->sources->len > 1)
		name_places(s, p, what);
	else
		g_string_append(s, what);
	/* In an included file: then where it was included from, out to the scenario file. */
	for (guint f = loc_file(loc), n = 0; f != 0; n++) {
		SimLoc at = scn_source(p, f)->from;
		g_string_append(s, n ? ", " : " (in the file included from ");
		append_loc(s, p, at, TRUE);
		f = loc_file(at);
		if (!f)
			g_string_append_c(s, ')');
	}
	g_set_error_literal(&p->err, SIM_SCN_ERROR, (gint)code, s->str);
	return FALSE;
}

G_GNUC_PRINTF(4, 5)
gboolean scn_fail_at(Parser *p, SimLoc loc, SimScnErrorCode code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, loc, code, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* Fails at a token; a token the scanner could not read reports its own error instead, since
 * that is the real problem (an unterminated string, say). */
G_GNUC_PRINTF(4, 5)
gboolean scn_fail_tok(Parser *p, const Tok *t, SimScnErrorCode code, const char *fmt, ...)
{
	if (t->kind == TOK_BAD)
		return scn_fail_at(p, t->loc, t->code, "%s", t->text);
	va_list ap;
	va_start(ap, fmt);
	vfail(p, t->loc, code, fmt, ap);
	va_end(ap);
	return FALSE;
}

#define BYTES_NOTE                                                                         \
	" (a \\ escape in it makes bytes that are not text, a NUL or no UTF-8: only the data " \
	"of a message or a write may hold them)"

/* A token quoted as written, or "end of file". */
static char *describe(const Parser *p, const Tok *t)
{
	if (t->kind == TOK_EOF)
		return g_strdup("end of file");
	const char *s = p->src + t->start;
	gsize end = t->end;
	/* GScanner hands out a non-ASCII character one byte at a time; quote all of it. */
	if (t->kind == TOK_CHAR)
		end = t->start + scn_char_len(s);
	if (g_utf8_strlen(s, (gssize)(end - t->start)) > 40) {
		const char *cut = g_utf8_offset_to_pointer(s, 37);
		return g_strdup_printf("'%.*s...'", (int)(cut - s), s);
	}
	return g_strdup_printf("'%.*s'", (int)(end - t->start), s);
}

G_GNUC_PRINTF(3, 0)
static gboolean vexpected(Parser *p, const Tok *t, const char *fmt, va_list ap)
{
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	g_autofree char *found = describe(p, t);
	return scn_fail_tok(p, t, E_SYNTAX, "expected %s, found %s%s", what, found,
			    t->kind == TOK_BYTES ? BYTES_NOTE : "");
}

/* Fails with "expected WHAT, found 'X'" at token t. */
G_GNUC_PRINTF(3, 4)
gboolean scn_expected_at(Parser *p, const Tok *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vexpected(p, t, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* Fails with "expected WHAT, found 'X'" at the current token. */
G_GNUC_PRINTF(2, 3)
gboolean scn_expected(Parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vexpected(p, &g_array_index(p->toks, Tok, p->pos), fmt, ap);
	va_end(ap);
	return FALSE;
}

/* ---- Lexing ---- */

static const GScannerConfig scan_config = {
	.cset_skip_characters = SKIP_CHARS,
	.cset_identifier_first = WORD_CHARS,
	.cset_identifier_nth = WORD_CHARS,
	.cpair_comment_single = "#\n",
	.case_sensitive = TRUE,
	.skip_comment_single = TRUE,
	.scan_identifier = TRUE,
	.scan_identifier_1char = TRUE,
	.scan_string_dq = TRUE,
	.char_2_token = TRUE,
	.store_int64 = TRUE,
};

/* Moves a line:col cursor forward to byte `off`. Tokens come in order, so the whole file is
 * walked once. Columns count characters, so UTF-8 continuation bytes do not move them. */
static SimLoc locate(const char *src, gsize *at, SimLoc *loc, gsize off)
{
	for (; *at < off; (*at)++) {
		guchar b = (guchar)src[*at];
		if (b == '\n') {
			loc->line++;
			loc->col = 1;
		} else if ((b & 0xc0) != 0x80) {
			loc->col++;
		}
	}
	return *loc;
}

/* Skips what GScanner skips between tokens (blanks and # comments) to a token's first byte. */
static gsize skip_gap(const char *src, gsize len, gsize off)
{
	while (off < len) {
		if (strchr(SKIP_CHARS, src[off])) {
			off++;
		} else if (src[off] == '#') {
			while (off < len && src[off] != '\n')
				off++;
		} else {
			break;
		}
	}
	return off;
}

/* The bytes of a string's inside (the `n` bytes between its quotes), its escapes undone as
 * GScanner undoes them (\\ \" \n \t \r \b \f, octal \NNN cut to a byte, and any other
 * \c as c) and \xH or \xHH as that byte, which GScanner would have read as "xHH". GScanner's
 * own value stops at the first NUL, so the bytes are read again here, with their length. */
static char *unescape(const char *s, gsize n, gsize *len)
{
	GString *out = g_string_sized_new(n);
	for (gsize i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\\' || i + 1 == n) {
			g_string_append_c(out, c);
			continue;
		}
		c = s[++i];
		static const char from[] = "ntrbf", to[] = "\n\t\r\b\f";
		const char *k = strchr(from, c);
		if (c && k) {
			g_string_append_c(out, to[k - from]);
		} else if (c >= '0' && c <= '7') {
			guint v = (guint)(c - '0');
			for (int d = 1; d < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; d++)
				v = v * 8 + (guint)(s[++i] - '0');
			g_string_append_c(out, (char)(guchar)v);
		} else if (c == 'x' && i + 1 < n && g_ascii_isxdigit(s[i + 1])) {
			guint v = (guint)g_ascii_xdigit_value(s[++i]);
			if (i + 1 < n && g_ascii_isxdigit(s[i + 1]))
				v = v * 16 + (guint)g_ascii_xdigit_value(s[++i]);
			g_string_append_c(out, (char)(guchar)v);
		} else {
			g_string_append_c(out, c);
		}
	}
	*len = out->len;
	return g_string_free(out, FALSE);
}

static void bad_tok(Tok *t, const char *what)
{
	t->kind = TOK_BAD;
	t->code = E_SYNTAX;
	t->text = g_strdup(what);
}

/* Scans the `len` bytes of the source at byte `base` of p->src (the scenario file, or an
 * included file appended to it) into `into`, every location in file `file`. A token the
 * scanner cannot read becomes the last one, TOK_BAD, so its error is reported only if the
 * parser gets that far; the last token is TOK_EOF otherwise. */
void scn_lex_part(Parser *p, gsize base, gsize len, guint file, GArray *into)
{
	g_autoptr(GScanner) sc = g_scanner_new(&scan_config);
	gsize at = base, prev = base, end = base + len;
	guint first = into->len;
	SimLoc loc = { 1, 1 };
	g_scanner_input_text(sc, p->src + base, (guint)len);
	for (;;) {
		GTokenType type = g_scanner_get_next_token(sc);
		Tok t = { 0 };
		t.start = skip_gap(p->src, end, prev);
		t.end = (gsize)(sc->text - p->src);
		t.loc = locate(p->src, &at, &loc, t.start);
		t.loc.col |= file << LOC_FILE_SHIFT;
		t.glued = into->len > first && t.start == prev;
		switch ((int)type) {
		case G_TOKEN_EOF:
			t.kind = TOK_EOF;
			break;
		case G_TOKEN_IDENTIFIER:
			t.kind = TOK_WORD;
			t.text = g_strdup(sc->value.v_identifier);
			break;
		case G_TOKEN_STRING:
			/* GScanner lets a string run over lines; a forgotten quote would then
			 * swallow the code up to the next string, so a raw newline ends it. */
			if (memchr(p->src + t.start, '\n', t.end - t.start)) {
				bad_tok(&t, "unterminated string");
			} else {
				t.text = unescape(p->src + t.start + 1, t.end - t.start - 2, &t.len);
				t.kind = memchr(t.text, 0, t.len) || !g_utf8_validate_len(t.text, t.len, NULL)
						 ? TOK_BYTES
						 : TOK_STRING;
			}
			break;
		case G_TOKEN_ERROR:
			if (sc->value.v_error == G_ERR_UNEXP_EOF_IN_STRING)
				bad_tok(&t, "unterminated string");
			else
				bad_tok(&t, "unreadable text");
			break;
		default:
			if ((int)type < 256) {
				t.kind = TOK_CHAR;
				t.ch = (char)type;
			} else {
				bad_tok(&t, "unreadable text");
			}
			break;
		}
		g_array_append_val(into, t);
		prev = t.end;
		if (t.kind == TOK_EOF || t.kind == TOK_BAD)
			return;
	}
}

void scn_lex(Parser *p)
{
	scn_lex_part(p, 0, p->len, 0, p->toks);
}

/* Scenario files are UTF-8 text; a NUL byte or a broken sequence is located and refused.
 * `text` is file `file`'s, of `len` bytes. */
gboolean scn_check_source(Parser *p, const char *text, gsize len, guint file)
{
	const char *bad = NULL;
	if (len > G_MAXUINT)
		return scn_fail_at(p, (SimLoc){ 1, 1 | file << LOC_FILE_SHIFT }, E_SYNTAX,
				   "the scenario is too large");
	if (g_utf8_validate_len(text, len, &bad))
		return TRUE;
	gsize at = 0;
	SimLoc loc = { 1, 1 };
	locate(text, &at, &loc, (gsize)(bad - text));
	loc.col |= file << LOC_FILE_SHIFT;
	if (*bad == '\0')
		return scn_fail_at(p, loc, E_SYNTAX, "NUL byte: a scenario must be UTF-8 text");
	return scn_fail_at(p, loc, E_SYNTAX,
			   "invalid UTF-8 byte 0x%02x: a scenario must be UTF-8 text",
			   (guint)(guchar)*bad);
}

gboolean scn_check_text(Parser *p)
{
	return scn_check_source(p, p->src, p->len, 0);
}

/* ---- Values ---- */

/* Converts a number word written like C: decimal, 0x hex, or octal after a leading 0. */
gboolean scn_to_u64(const char *w, guint64 *out, gboolean *big)
{
	guint base = 10;
	guint64 n = 0;
	if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
		base = 16;
		w += 2;
	} else if (w[0] == '0' && w[1]) {
		base = 8;
		w++;
	}
	if (!*w)
		return FALSE;
	*big = FALSE;
	for (; *w; w++) {
		int d = g_ascii_xdigit_value(*w);
		if (d < 0 || (guint)d >= base)
			return FALSE;
		if (n > (G_MAXUINT64 - (guint64)d) / base)
			*big = TRUE;
		else
			n = n * base + (guint64)d;
	}
	*out = n;
	return TRUE;
}

/* Reads a whole number word, with a '-' written right before it when min allows, and checks
 * that it lies within [min, max]. `what` names it in errors, `ctx` says where it belongs. */
gboolean scn_take_int(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
		      gint64 *out)
{
	if (scn_at_value(p))
		return scn_take_int_value(p, what, min, max, out);
	SimLoc loc = tok(p)->loc;
	gboolean neg = at_negative(p);
	const Tok *t = neg ? peek(p, 1) : tok(p);
	if (!is_number_word(t))
		return scn_expected_at(p, tok(p), "a number %s", ctx);
	g_autofree char *written = g_strconcat(neg ? "-" : "", t->text, NULL);
	guint64 n = 0;
	gboolean big = FALSE;
	if (!scn_to_u64(t->text, &n, &big))
		return scn_fail_at(
			p, loc, E_NUMBER,
			"bad %s '%s': expected a whole number (decimal, 0x hex or 0 octal)", what,
			written);
	big = big || n > (guint64)G_MAXINT64 + (neg ? 1u : 0u);
	gint64 v = 0;
	if (!big)
		v = !neg ? (gint64)n : n > (guint64)G_MAXINT64 ? G_MININT64 : -(gint64)n;
	if (big && !neg && max == G_MAXINT64)
		return scn_fail_at(p, loc, E_NUMBER,
				   "bad %s '%s': too large (at most %" G_GINT64_FORMAT ")", what,
				   written, max);
	if (big && neg && min == G_MININT64)
		return scn_fail_at(p, loc, E_NUMBER,
				   "bad %s '%s': too small (at least %" G_GINT64_FORMAT ")", what,
				   written, min);
	if (big || v < min || v > max) {
		if (max == G_MAXINT64)
			return scn_fail_at(
				p, loc, E_NUMBER,
				"bad %s '%s': expected a whole number of %" G_GINT64_FORMAT
				" or more",
				what, written, min);
		return scn_fail_at(p, loc, E_NUMBER,
				   "bad %s '%s': expected a whole number from %" G_GINT64_FORMAT
				   " to %" G_GINT64_FORMAT,
				   what, written, min, max);
	}
	*out = v;
	advance(p);
	if (neg)
		advance(p);
	return TRUE;
}

/* take_int for a value whose bounds read better as written than in decimal: out of [min, max]
 * it fails with "bad WHAT 'N': expected RANGE" ("a mode from 0 to 0777"). */
gboolean scn_take_int_in(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
			 const char *range, gint64 *out)
{
	const Tok *first = tok(p);
	gint64 v = 0;
	/* An expression or a parameter has no written form to quote: its range says it. */
	if (scn_at_value(p))
		return scn_take_int_value(p, what, min, max, out);
	if (!scn_take_int(p, what, ctx, G_MININT64, G_MAXINT64, &v))
		return FALSE;
	if (v < min || v > max) {
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		return scn_fail_at(p, first->loc, E_NUMBER, "bad %s '%.*s': expected %s", what,
				   (int)(last->end - first->start), p->src + first->start, range);
	}
	*out = v;
	return TRUE;
}

/* Reads permission bits such as 0666. */
gboolean scn_take_mode(Parser *p, const char *what, gint64 *out)
{
	g_autofree char *ctx = g_strdup_printf("after '%s='", what);
	return scn_take_int_in(p, what, ctx, 0, MODE_MAX,
			       "a mode from 0 to 0777 (permission bits such as 0666)", out);
}

/* Reads a time word such as 5ms: a number and a unit, always both. */
gboolean scn_take_time(Parser *p, const char *ctx, SimTime *out)
{
	const Tok *t = tok(p);
	if (scn_at_expr(p))
		return scn_take_time_value(p, ctx, out);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a time like 5ms %s", ctx);
	/* A text parameter may hold a time: param T = "5ms", then `sleep T`. */
	const SimScnParam *prm = scn_find_param(p, t->text);
	if (prm && prm->text && sim_time_parse(prm->text, out)) {
		advance(p);
		return TRUE;
	}
	if (prm)
		return scn_fail_tok(p, t, E_NUMBER,
				    "bad time: parameter '%s' holds %s%s%s, not a time like \"5ms\"",
				    t->text, prm->text ? "\"" : "", prm->text ? prm->text : "a number",
				    prm->text ? "\"" : "");
	if (!sim_time_parse(t->text, out)) {
		const char *unit = t->text;
		while (g_ascii_isdigit(*unit))
			unit++;
		if (unit > t->text && !*unit)
			return scn_fail_tok(
				p, t, E_NUMBER,
				"bad time '%s': the unit is missing (expected a number with a "
				"unit ns, us, ms or s)",
				t->text);
		if (unit > t->text && (!strcmp(unit, "ns") || !strcmp(unit, "us") ||
				       !strcmp(unit, "ms") || !strcmp(unit, "s")))
			return scn_fail_tok(p, t, E_NUMBER,
					    "bad time '%s': too large (a time is at most "
					    "9223372036854775807ns, about 292 years)",
					    t->text);
		return scn_fail_tok(p, t, E_NUMBER,
				    "bad time '%s': expected a number with a unit ns, us, ms or s",
				    t->text);
	}
	advance(p);
	return TRUE;
}

/* Reads one of `names` after `what=`; hyphenated words such as first-waiter arrive as
 * word '-' word and are joined back when nothing separates them. Returns the index or -1. */
int scn_take_choice(Parser *p, const char *what, const char *ctx, const char *const *names)
{
	g_autofree char *list = scn_either(names);
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD) {
		scn_expected(p, "%s %s", list, ctx);
		return -1;
	}
	/* A text parameter stands for the word it holds (deliver=POLICY). */
	const SimScnParam *prm = scn_find_param(p, t->text);
	g_autoptr(GString) word = g_string_new(prm && prm->text ? prm->text : t->text);
	advance(p);
	while (is_char(tok(p), '-') && tok(p)->glued && peek(p, 1)->kind == TOK_WORD &&
	       peek(p, 1)->glued) {
		g_string_append_printf(word, "-%s", peek(p, 1)->text);
		advance(p);
		advance(p);
	}
	int i = scn_pick(word->str, names);
	if (i < 0 && prm && prm->text)
		scn_fail_tok(p, t, E_SYNTAX, "bad %s '%s' (parameter %s): expected %s", what,
			     word->str, t->text, list);
	else if (i < 0) {
		g_autofree char *near = scn_did_you_mean(word->str, names);
		scn_fail_tok(p, t, E_SYNTAX, "bad %s '%s': expected %s%s", what, word->str, list,
			     near);
	}
	return i;
}

/* Reads 0, N or `unbounded`. */
gboolean scn_take_capacity(Parser *p, gint64 *out)
{
	const Tok *t = tok(p);
	if (is_word(t, "unbounded")) {
		*out = SIM_CAPACITY_UNBOUNDED;
		advance(p);
		return TRUE;
	}
	if (is_name_word(t) && !scn_at_value(p))
		return scn_fail_tok(p, t, E_NUMBER,
				    "bad capacity '%s': expected 0, a number or unbounded",
				    t->text);
	return scn_take_int(p, "capacity", "or 'unbounded' after 'capacity='", 0, G_MAXINT64, out);
}

/* Reads `ok` or an errno name such as EAGAIN, or with `eof` also `eof` (SIM_BREAK_EOF). */
gboolean scn_take_errno(Parser *p, const char *ctx, gboolean eof, int *out)
{
	const Tok *t = tok(p);
	const char *ok = eof ? "ok, eof" : "ok";
	if (t->kind != TOK_WORD)
		return scn_expected(p, "%s or an errno name like EAGAIN %s", ok, ctx);
	if (eof && is_word(t, "eof")) {
		*out = SIM_BREAK_EOF;
		advance(p);
		return TRUE;
	}
	*out = sim_errno_from_name(t->text);
	if (*out < 0)
		return scn_fail_tok(
			p, t, E_NAME,
			"unknown errno name '%s' (expected %s or a name like EAGAIN, ENOMSG, "
			"EIDRM, EPERM or EBUSY)",
			t->text, ok);
	advance(p);
	return TRUE;
}

gboolean scn_take_name(Parser *p, const char *what, char **name, SimLoc *loc)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return scn_expected(p, "%s", what);
	*name = g_strdup(t->text);
	*loc = t->loc;
	advance(p);
	return TRUE;
}

/* The names of the options of `o`, for "expected a, b or c" (names has OPT_MAX + 1 slots). */
static void opt_names(const Opts *o, const char **names, gboolean access_only)
{
	guint n = 0;
	for (guint i = 0; o->specs[i].name; i++)
		if (!access_only || o->specs[i].access)
			names[n++] = o->specs[i].name;
	names[n] = NULL;
}

int scn_opt_index(const Opts *o, const char *name)
{
	for (int i = 0; o->specs[i].name; i++)
		if (strcmp(o->specs[i].name, name) == 0)
			return i;
	return -1;
}

/* A second access mode: rdonly, wronly and rdwr say one thing, so one of them is given. */
static gboolean second_access(Parser *p, const Opts *o, int k)
{
	for (int i = 0; o->specs[i].name; i++) {
		if (i == k || !o->specs[i].access || !o->seen[i].line)
			continue;
		const char *names[OPT_MAX + 1];
		opt_names(o, names, TRUE);
		g_autofree char *modes = scn_either(names);
		return scn_fail_at(p, o->seen[k], E_SYNTAX,
				   "a second access mode '%s' (after '%s' at %u:%u): %s takes one "
				   "of %s",
				   o->specs[k].name, o->specs[i].name, o->seen[i].line,
				   o->seen[i].col, o->what, modes);
	}
	return TRUE;
}

/* Takes the next option and returns its index, OPT_END when the next token starts something
 * else, or OPT_ERR. A word followed by '=' is always taken as an option attempt, since no
 * keyword is ever followed by '='; a known key without '=' is an error too. */
int scn_take_opt(Parser *p, Opts *o)
{
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return OPT_END;
	gboolean has_eq = is_char(eq, '=');
	int k = scn_opt_index(o, t->text);
	gboolean flag = k >= 0 && (o->specs[k].kind == OPT_FLAG || o->specs[k].kind == OPT_BOOL);
	if (k < 0 && !has_eq)
		return OPT_END;
	if (k < 0) {
		const char *names[OPT_MAX + 1];
		opt_names(o, names, FALSE);
		g_autofree char *list = scn_either(names);
		g_autofree char *near = scn_did_you_mean(t->text, names);
		scn_fail_tok(p, t, E_SYNTAX, "unknown option '%s' for %s (expected %s)%s", t->text,
			     o->what, list, near);
		return OPT_ERR;
	}
	if (!flag && !has_eq) {
		scn_expected_at(p, eq, "'=' after '%s'", t->text);
		return OPT_ERR;
	}
	if (flag && has_eq) {
		scn_fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value",
			     t->text);
		return OPT_ERR;
	}
	if (o->seen[k].line) {
		scn_fail_tok(p, t, E_SYNTAX, "repeated option '%s': already given at %u:%u",
			     t->text, o->seen[k].line, o->seen[k].col);
		return OPT_ERR;
	}
	o->seen[k] = t->loc;
	if (o->specs[k].access && !second_access(p, o, k))
		return OPT_ERR;
	advance(p);
	if (has_eq)
		advance(p);
	return k;
}

/* Reads the value of option k, just taken by scn_take_opt, into obj as its row says. */
gboolean scn_opt_value(Parser *p, Opts *o, int k, void *obj)
{
	const OptSpec *s = &o->specs[k];
	void *field = (char *)obj + s->at;
	g_autofree char *ctx = g_strdup_printf("after '%s='", s->name);
	int v = 0;
	switch (s->kind) {
	case OPT_FLAG:
		*(guint *)field |= s->bits;
		return TRUE;
	case OPT_BOOL:
		*(gboolean *)field = TRUE;
		return TRUE;
	case OPT_INT:
		return scn_take_int(p, s->name, ctx, s->min, s->max, field);
	case OPT_MODE:
		return scn_take_mode(p, s->name, field);
	case OPT_TIME:
		return scn_take_time(p, ctx, field);
	case OPT_ENUM:
		v = scn_take_choice(p, s->name, ctx, s->names);
		if (v >= 0)
			*(int *)field = v;
		return v >= 0;
	case OPT_TAKE:
		return s->take(p, o, k, obj);
	}
	g_assert_not_reached();
}

/* Reads options into obj until something else comes. */
gboolean scn_take_opts(Parser *p, Opts *o, void *obj)
{
	int k;
	while ((k = scn_take_opt(p, o)) >= 0)
		if (!scn_opt_value(p, o, k, obj))
			return FALSE;
	return k == OPT_END;
}

/* scn_expr.c — the language's values beyond plain numbers: expressions and parameters.
 *
 * `${EXPR}` may stand wherever a number or a time is read (through scn_take_int and
 * scn_take_time, so every call's options get it with no code of their own) and inside a
 * text; `if EXPR { }` reads one too. `param NAME = VALUE` declares a parameter, which -D
 * NAME=VALUE overrides and `random A..B` draws from the run's seed; a parameter may be
 * written bare where a number is read (`repeat N`, `process w[N]`), as `$N` in a text, or in
 * an expression.
 *
 * The design choice to know: expressions are read from the source text, character by
 * character, not from the token array. GScanner's words glue digits and letters (`i*2` is
 * fine, but `2ms` and `0x1f` are one word, and a '-' or '=' must be looked at twice), and a
 * text's `${...}` is inside a string token anyway, so one small reader over characters
 * serves both; for the token stream it starts at the '{' and, when done, skips the tokens it
 * covered. An expression without variables is folded to its number where it is read, with
 * the same range check and error as a number written out; one that names a variable of the
 * body becomes a SimDynOp of the statement being read (scn.h), evaluated when it runs.
 */
#include "lang/scn_int.h"

#include "msgsim/calls/call.h"

#include <string.h>

#define EXPR_MAX_DEPTH 64 /* parentheses and unary operators nested in one expression */

static void param_clear(SimScnParam *prm)
{
	g_free(prm->text);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SimScnParam, param_clear)

/* ---- Reading an expression from characters ---- */

typedef struct {
	Parser *p;
	const char *c;	 /* the next character */
	const char *end; /* where the text ends */
	SimLoc loc;	 /* of c */
	guint depth;
	gboolean lines; /* newlines may come between the parts (not in a text) */
} Scan;

static char cur(const Scan *s)
{
	return s->c < s->end ? *s->c : '\0';
}

static char next_char(const Scan *s)
{
	return s->c + 1 < s->end ? s->c[1] : '\0';
}

static void step(Scan *s)
{
	if (s->c >= s->end)
		return;
	if (*s->c == '\n') {
		s->loc.line++;
		s->loc.col = 1;
	} else if (((guchar)*s->c & 0xc0) != 0x80) {
		s->loc.col++;
	}
	s->c++;
}

static void blanks(Scan *s)
{
	while (cur(s) == ' ' || cur(s) == '\t' || (s->lines && strchr("\r\n\f\v", cur(s)) &&
						   cur(s) != '\0'))
		step(s);
}

/* What is at the cursor, quoted for an error ("'#'", "end of text"). */
static char *found(const Scan *s)
{
	if (s->c >= s->end || !*s->c)
		return g_strdup("end of expression");
	const char *e = s->c;
	while (e < s->end && (g_ascii_isalnum(*e) || *e == '_'))
		e++; /* a word is quoted whole */
	if (e == s->c)
		e += scn_char_len(s->c);
	return g_strdup_printf("'%.*s'", (int)(e - s->c), s->c);
}

static SimExpr *expected(Scan *s, const char *what)
{
	g_autofree char *f = found(s);
	scn_fail_at(s->p, s->loc, E_SYNTAX, "expected %s in an expression, found %s", what, f);
	return NULL;
}

static SimExpr *parse_or(Scan *s);

static SimExpr *binary(SimExprOp op, SimLoc loc, SimExpr *a, SimExpr *b)
{
	SimExpr *e = sim_expr_new(op, loc);
	e->a = a;
	e->b = b;
	return e;
}

/* The fields of struct msqid_ds by their C names without the msg_ prefix, in SimExprField
 * order from SIM_EXPR_FIELD_DS_KEY; `msg_qnum` and `msg_perm.mode` are read as well, as a
 * student copies them from the C program. */
static const char *const ds_fields[] = { "perm.key",  "perm.uid",  "perm.gid", "perm.cuid",
					 "perm.cgid", "perm.mode", "perm.seq", "stime",
					 "rtime",     "ctime",	   "cbytes",   "qnum",
					 "qbytes",    "lspid",	   "lrpid",    NULL };
G_STATIC_ASSERT(G_N_ELEMENTS(ds_fields) == SIM_DS_N + 1);

int scn_stat_field(Parser *p, const char *name, const char *s, const char *end, SimLoc loc,
		   gsize *len)
{
	const char *w = s + 1, *e = w;
	/* A word, and a second one after "perm." */
	while (e < end && (g_ascii_isalnum(*e) || *e == '_' ||
			   (*e == '.' && e + 1 < end && g_ascii_isalpha(e[1]) &&
			    (gsize)(e - w) >= 4 && strncmp(e - 4, "perm", 4) == 0)))
		e++;
	g_autofree char *word = g_strndup(w, (gsize)(e - w));
	const char *bare = g_str_has_prefix(word, "msg_") ? word + 4 : word;
	int f = *s == '.' ? scn_pick(bare, ds_fields) : -1;
	if (f < 0) {
		scn_fail_at(p, loc, E_NAME,
			    "unknown field '%s' of IPC_STAT result '%s' (expected qnum, qbytes, "
			    "cbytes, lspid, lrpid, stime, rtime, ctime, or perm.key, perm.uid, "
			    "perm.gid, perm.cuid, perm.cgid, perm.mode, perm.seq)",
			    *s == '.' ? word : "", name);
		return -1;
	}
	*len = (gsize)(e - s);
	return SIM_EXPR_FIELD_DS_KEY + f;
}

/* ftok("PATH", ID), the cursor at its '(': the key ftok(3) gives for a declared file, as
 * msgget's key=ftok(...) computes it. The file may be declared later, so the node gets its
 * key when the whole scenario has been read (scn_resolve.c); ID is a number from 0 to 255,
 * known before the run. */
static SimExpr *ftok_expr(Scan *s, SimLoc loc)
{
	step(s); /* ( */
	blanks(s);
	if (cur(s) != '"')
		return expected(s, "a file path in double quotes after 'ftok('");
	step(s);
	SimLoc path_loc = s->loc;
	const char *start = s->c;
	while (s->c < s->end && cur(s) != '"' && cur(s) != '\n' && cur(s) != '\\')
		step(s);
	if (cur(s) != '"')
		return expected(s, "the '\"' that ends ftok's path (no escapes in it)");
	g_autofree char *path = g_strndup(start, (gsize)(s->c - start));
	step(s);
	blanks(s);
	if (cur(s) != ',')
		return expected(s, "',' after ftok's path");
	step(s);
	blanks(s);
	SimLoc id_loc = s->loc;
	g_autoptr(SimExpr) id = parse_or(s);
	if (!id)
		return NULL;
	gint64 v = 0;
	if (!sim_expr_is_const(id)) {
		scn_fail_at(s->p, id_loc, E_MISUSE,
			    "ftok's id must be known before the run: a number or a parameter");
		return NULL;
	}
	if (!scn_fold(s->p, id, &v))
		return NULL;
	if (v < 0 || v > 255) {
		scn_fail_at(s->p, id_loc, E_NUMBER,
			    "bad ftok id %" G_GINT64_FORMAT ": expected 0 to 255 (ftok uses its "
			    "low 8 bits)",
			    v);
		return NULL;
	}
	blanks(s);
	if (cur(s) != ')')
		return expected(s, "')' after ftok's id");
	step(s);
	SimExpr *e = sim_expr_new(SIM_EXPR_FTOK, loc);
	e->var = (int)v;
	FtokUse u = { e, g_steal_pointer(&path), path_loc };
	g_array_append_val(s->p->ftok_exprs, u);
	return e;
}

/* self.pid, the cursor at the '.': the pid of the process that evaluates it (`run` gives
 * the model's pids, the cross-check the kernel's), so that a handler's body can tell a
 * signal its own process sent from another's without naming a pid. */
static SimExpr *self_pid(Scan *s, SimLoc loc)
{
	if (cur(s) != '.' || s->end - s->c < 4 || strncmp(s->c + 1, "pid", 3) != 0 ||
	    (s->end - s->c > 4 && (g_ascii_isalnum(s->c[4]) || s->c[4] == '_')))
		return expected(s, "'.pid' after 'self' (self.pid is the process's own pid)");
	for (int i = 0; i < 4; i++)
		step(s);
	SimExpr *x = sim_expr_new(SIM_EXPR_FIELD, loc);
	x->var = -1;
	x->num = SIM_EXPR_FIELD_SELF_PID;
	return x;
}

/* A name in an expression: a parameter (its value), `index`, or an integer variable of the
 * body being read, set before this point. */
static SimExpr *name_expr(Scan *s, const char *name, SimLoc loc)
{
	Parser *p = s->p;
	const SimScnParam *prm = scn_find_param(p, name);
	if (prm && prm->text) {
		scn_fail_at(p, loc, E_MISUSE,
			    "parameter '%s' is a text (\"%s\"), not a number: an expression needs "
			    "a number",
			    name, prm->text);
		return NULL;
	}
	if (prm) {
		SimExpr *e = sim_expr_new(SIM_EXPR_NUM, loc);
		e->num = prm->value;
		return e;
	}
	if (strcmp(name, "index") == 0)
		return sim_expr_new(SIM_EXPR_INDEX, loc);
	if (strcmp(name, "ftok") == 0 && cur(s) == '(')
		return ftok_expr(s, loc);
	if (strcmp(name, "self") == 0)
		return self_pid(s, loc);
	/* st.qnum, st.perm.mode: a field of an IPC_STAT result, set before this point. */
	int ds = p->body && cur(s) == '.' ? scn_stat_var(p, name) : -1;
	if (ds >= 0) {
		gsize len = 0;
		int f = scn_stat_field(p, name, s->c, s->end, s->loc, &len);
		if (f < 0)
			return NULL;
		for (gsize i = 0; i < len; i++)
			step(s);
		SimExpr *x = sim_expr_new(SIM_EXPR_FIELD, loc);
		x->var = ds;
		x->num = f;
		return x;
	}
	/* m.type, m.prio, m.len: a message variable's numbers (checked when the body ends). */
	static const char *const fields[] = { "type", "prio", "len", NULL };
	if (cur(s) == '.' && p->body) {
		const char *w = s->c + 1, *e = w;
		while (e < s->end && (g_ascii_isalnum(*e) || *e == '_'))
			e++;
		g_autofree char *word = g_strndup(w, (gsize)(e - w));
		if (strcmp(name, "si") == 0 && (p->body->handler || scn_pick(word, fields) < 0)) {
			while (s->c < e)
				step(s);
			return scn_si_field(p, word, loc);
		}
		int f = scn_pick(word, fields);
		if (f < 0) {
			scn_fail_at(s->p, s->loc, E_NAME,
				    "unknown field '%s' of '%s' in an expression (expected type, "
				    "prio or len)",
				    word, name);
			return NULL;
		}
		while (s->c < e)
			step(s);
		SimExpr *x = sim_expr_new(SIM_EXPR_FIELD, loc);
		x->var = scn_use_var(p, name, loc, TRUE, FALSE);
		x->num = f;
		scn_note_msg_field(p, x->var, fields[f], loc);
		return x;
	}
	int slot = scn_int_var(p, name, loc);
	if (slot < 0)
		return NULL;
	SimExpr *e = sim_expr_new(SIM_EXPR_VAR, loc);
	e->var = slot;
	return e;
}

static SimExpr *primary(Scan *s)
{
	SimLoc loc = s->loc;
	char c = cur(s);
	if (c == '(') {
		step(s);
		SimExpr *e = parse_or(s);
		if (!e)
			return NULL;
		blanks(s);
		if (cur(s) != ')') {
			sim_expr_free(e);
			return expected(s, "')'");
		}
		step(s);
		return e;
	}
	/* `$i` and `$m.len` read as they do in a text. */
	if (c == '$' && (g_ascii_isalpha(next_char(s)) || next_char(s) == '_'))
		step(s);
	const char *start = s->c;
	while (s->c < s->end && (g_ascii_isalnum(cur(s)) || cur(s) == '_'))
		step(s);
	if (s->c == start)
		return expected(s, "a number, a parameter, a variable or '('");
	g_autofree char *word = g_strndup(start, (gsize)(s->c - start));
	if (!g_ascii_isdigit(word[0]))
		return name_expr(s, word, loc);
	guint64 n = 0;
	gboolean big = FALSE;
	if (!scn_to_u64(word, &n, &big)) {
		scn_fail_at(s->p, loc, E_NUMBER,
			    "bad number '%s' in an expression: expected a whole number (decimal, "
			    "0x hex or 0 octal)",
			    word);
		return NULL;
	}
	if (big || n > (guint64)G_MAXINT64) {
		scn_fail_at(s->p, loc, E_NUMBER,
			    "bad number '%s' in an expression: too large (at most %" G_GINT64_FORMAT
			    ")",
			    word, G_MAXINT64);
		return NULL;
	}
	SimExpr *e = sim_expr_new(SIM_EXPR_NUM, loc);
	e->num = (gint64)n;
	return e;
}

static SimExpr *unary(Scan *s)
{
	blanks(s);
	char c = cur(s);
	if (++s->depth > EXPR_MAX_DEPTH) {
		scn_fail_at(s->p, s->loc, SIM_SCN_ERROR_LIMIT,
			    "expression nested too deeply: at most %d parentheses and signs",
			    EXPR_MAX_DEPTH);
		return NULL;
	}
	SimExpr *e = NULL;
	if ((c == '-' || c == '!') && next_char(s) != '=') {
		SimLoc loc = s->loc;
		step(s);
		SimExpr *a = unary(s);
		if (a) {
			e = sim_expr_new(c == '-' ? SIM_EXPR_NEG : SIM_EXPR_NOT, loc);
			e->a = a;
		}
	} else {
		e = primary(s);
	}
	s->depth--;
	return e;
}

/* The operator at the cursor among `ops` (longest first), or -1; *len its characters. */
static int at_op(Scan *s, const char *const *ops, guint *len)
{
	blanks(s);
	for (int i = 0; ops[i]; i++) {
		gsize n = strlen(ops[i]);
		if ((gsize)(s->end - s->c) >= n && strncmp(s->c, ops[i], n) == 0) {
			*len = (guint)n;
			return i;
		}
	}
	return -1;
}

/* One level of left-associative binary operators: ops[i] makes codes[i]. */
static SimExpr *level(Scan *s, const char *const *ops, const SimExprOp *codes,
		      SimExpr *(*operand)(Scan *), gboolean chain)
{
	SimExpr *e = operand(s);
	guint len = 0;
	int k;
	while (e && (k = at_op(s, ops, &len)) >= 0) {
		SimLoc loc = s->loc;
		for (guint i = 0; i < len; i++)
			step(s);
		SimExpr *b = operand(s);
		if (!b) {
			sim_expr_free(e);
			return NULL;
		}
		e = binary(codes[k], loc, e, b);
		if (!chain)
			break;
	}
	return e;
}

static SimExpr *mul(Scan *s)
{
	static const char *const ops[] = { "*", "/", "%", NULL };
	static const SimExprOp codes[] = { SIM_EXPR_MUL, SIM_EXPR_DIV, SIM_EXPR_MOD };
	return level(s, ops, codes, unary, TRUE);
}

static SimExpr *add(Scan *s)
{
	static const char *const ops[] = { "+", "-", NULL };
	static const SimExprOp codes[] = { SIM_EXPR_ADD, SIM_EXPR_SUB };
	return level(s, ops, codes, mul, TRUE);
}

/* Comparisons do not chain: `a < b < c` is an error, not (a < b) < c. */
static SimExpr *cmp(Scan *s)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">", NULL };
	static const SimExprOp codes[] = { SIM_EXPR_EQ, SIM_EXPR_NE, SIM_EXPR_LE,
					   SIM_EXPR_GE, SIM_EXPR_LT, SIM_EXPR_GT };
	SimExpr *e = level(s, ops, codes, add, FALSE);
	guint len = 0;
	if (e && e->op >= SIM_EXPR_EQ && e->op <= SIM_EXPR_GE && at_op(s, ops, &len) >= 0) {
		sim_expr_free(e);
		scn_fail_at(s->p, s->loc, E_SYNTAX,
			    "comparisons do not chain: write (a < b) && (b < c), not a < b < c");
		return NULL;
	}
	return e;
}

static SimExpr *and_level(Scan *s)
{
	static const char *const ops[] = { "&&", NULL };
	static const SimExprOp codes[] = { SIM_EXPR_AND };
	return level(s, ops, codes, cmp, TRUE);
}

static SimExpr *parse_or(Scan *s)
{
	static const char *const ops[] = { "||", NULL };
	static const SimExprOp codes[] = { SIM_EXPR_OR };
	return level(s, ops, codes, and_level, TRUE);
}

/* An expression in a text: from `s` (just after "${"), which is at `loc`, up to its '}'.
 * *used gets the bytes read, the '}' included. */
SimExpr *scn_parse_text_expr(Parser *p, const char *s, SimLoc loc, gsize *used)
{
	Scan sc = { p, s, s + strlen(s), loc, 0, FALSE };
	SimExpr *e = parse_or(&sc);
	if (!e)
		return NULL;
	blanks(&sc);
	if (cur(&sc) != '}') {
		sim_expr_free(e);
		return expected(&sc, "an operator or '}' to end '${'");
	}
	*used = (gsize)(sc.c - s) + 1;
	return e;
}

/* Skips the tokens an expression covered, from byte `from` to byte `off` of its source (the
 * tokens of an included file come with offsets of their own, so both bounds count). */
static void skip_to(Parser *p, gsize from, gsize off)
{
	while (tok(p)->kind != TOK_EOF && tok(p)->kind != TOK_BAD && tok(p)->start >= from &&
	       tok(p)->start < off)
		advance(p);
}

/* Where the source of token t ends in p->src: an expression is read no further. */
static const char *source_end(const Parser *p, const Tok *t)
{
	const Source *s = scn_source(p, loc_file(t->loc));
	return p->src + s->base + s->len;
}

gboolean scn_at_expr(const Parser *p)
{
	return is_char(tok(p), '$') && is_char(peek(p, 1), '{') && peek(p, 1)->glued;
}

/* Reads `${ EXPR }` from the token stream (scn_at_expr is TRUE). */
static SimExpr *take_braced(Parser *p)
{
	const Tok *open = peek(p, 1);
	gsize from = tok(p)->start;
	Scan sc = { p, p->src + open->end, source_end(p, open), open->loc, 0, TRUE };
	sc.loc.col++;
	SimExpr *e = parse_or(&sc);
	if (!e)
		return NULL;
	blanks(&sc);
	if (cur(&sc) != '}') {
		sim_expr_free(e);
		return expected(&sc, "an operator or '}' to end '${'");
	}
	skip_to(p, from, (gsize)(sc.c - p->src) + 1);
	return e;
}

/* The condition of `if`: an expression up to the '{' of its block. */
SimExpr *scn_take_cond(Parser *p, const char *ctx)
{
	const Tok *t = tok(p);
	if (t->kind == TOK_EOF || is_char(t, '{')) {
		scn_expected(p, "a condition %s", ctx);
		return NULL;
	}
	gsize from = t->start;
	Scan sc = { p, p->src + t->start, source_end(p, t), t->loc, 0, TRUE };
	SimExpr *e = parse_or(&sc);
	if (!e)
		return NULL;
	blanks(&sc);
	if (cur(&sc) != '{') {
		sim_expr_free(e);
		return expected(&sc, "an operator or '{' after the condition");
	}
	skip_to(p, from, (gsize)(sc.c - p->src));
	return e;
}

/* The condition of `assert`: an expression, ended by whatever cannot go on it (the next
 * statement, a '}'). */
SimExpr *scn_take_assert_cond(Parser *p, const char *ctx)
{
	const Tok *t = tok(p);
	if (t->kind == TOK_EOF || is_char(t, '}')) {
		scn_expected(p, "a condition %s", ctx);
		return NULL;
	}
	return scn_take_expr(p);
}

/* An expression at the cursor, ended by whatever cannot go on it (a ',', the next
 * statement, a '}'). */
SimExpr *scn_take_expr(Parser *p)
{
	const Tok *t = tok(p);
	gsize from = t->start;
	Scan sc = { p, p->src + t->start, source_end(p, t), t->loc, 0, TRUE };
	SimExpr *e = parse_or(&sc);
	if (e)
		skip_to(p, from, (gsize)(sc.c - p->src));
	return e;
}

/* ---- Values: folded now, or kept for the run ---- */

/* The value of a constant tree, or an error at the node that faulted. */
gboolean scn_fold(Parser *p, const SimExpr *e, gint64 *out)
{
	SimExprFault fault;
	const SimExpr *at = NULL;
	if (sim_expr_eval(e, NULL, out, &fault, &at))
		return TRUE;
	return scn_fail_at(p, at->loc, E_NUMBER, "'%s' %s", sim_expr_op_text(at->op),
			   sim_expr_fault_text(fault));
}

/* A number read from `${...}` or a parameter, for a field at `out` of the statement being
 * read, with no fixed value: the placeholder goes in the field and a SimDynOp says how to
 * fill it when the statement runs. Only a field of that statement can wait for the run. */
static gboolean keep_for_run(Parser *p, SimLoc loc, gint64 *out, SimDynOp op)
{
	char *at = (char *)out, *base = (char *)p->cur_stmt;
	if (!p->cur_stmt || at < base || at + sizeof(gint64) > base + sizeof(SimStmt)) {
		sim_expr_free(op.expr);
		return scn_fail_at(p, loc, E_MISUSE,
				   "this %s must be known before the run: its expression names a "
				   "variable of the process (only numbers and parameters may be "
				   "used here)",
				   op.what);
	}
	op.at = (gsize)(at - base);
	*out = CLAMP(0, op.min, op.max);
	g_array_append_val(p->cur_dyn, op);
	return TRUE;
}

gboolean scn_at_value(const Parser *p)
{
	return scn_at_expr(p) || (tok(p)->kind == TOK_WORD && scn_find_param(p, tok(p)->text));
}

/* The number of `${...}` or a bare parameter (scn_at_value is TRUE), for scn_take_int. */
gboolean scn_take_int_value(Parser *p, const char *what, gint64 min, gint64 max, gint64 *out)
{
	const Tok *t = tok(p);
	SimLoc loc = t->loc;
	g_autoptr(SimExpr) e = NULL;
	g_autofree char *shown = NULL;
	if (scn_at_expr(p)) {
		e = take_braced(p);
		if (!e)
			return FALSE;
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		shown = g_strdup_printf("%.*s", (int)(last->end - t->start), p->src + t->start);
	} else {
		const SimScnParam *prm = scn_find_param(p, t->text);
		if (prm->text)
			return scn_fail_tok(p, t, E_MISUSE,
					    "parameter '%s' is a text (\"%s\"), not a number (the "
					    "%s needs a number)",
					    t->text, prm->text, what);
		e = sim_expr_new(SIM_EXPR_NUM, loc);
		e->num = prm->value;
		shown = g_strdup(t->text);
		advance(p);
	}
	if (!sim_expr_is_const(e))
		return keep_for_run(p, loc, out,
				    (SimDynOp){ .kind = SIM_DYN_INT,
						.unit = 1,
						.min = min,
						.max = max,
						.what = what,
						.expr = g_steal_pointer(&e) });
	gint64 v = 0;
	if (!scn_fold(p, e, &v))
		return FALSE;
	if (v < min || v > max) {
		if (max == G_MAXINT64)
			return scn_fail_at(p, loc, E_NUMBER,
					   "bad %s %s = %" G_GINT64_FORMAT
					   ": expected a whole number of %" G_GINT64_FORMAT " or more",
					   what, shown, v, min);
		return scn_fail_at(p, loc, E_NUMBER,
				   "bad %s %s = %" G_GINT64_FORMAT ": expected a whole number from "
				   "%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
				   what, shown, v, min, max);
	}
	*out = v;
	return TRUE;
}

/* `${EXPR}UNIT` where a time is read: the unit is glued to the '}'. */
gboolean scn_take_time_value(Parser *p, const char *ctx, SimTime *out)
{
	static const struct {
		const char *name;
		SimTime unit;
	} units[] = { { "ns", SIM_NS }, { "us", SIM_US }, { "ms", SIM_MS }, { "s", SIM_S } };
	SimLoc loc = tok(p)->loc;
	g_autoptr(SimExpr) e = take_braced(p);
	if (!e)
		return FALSE;
	const Tok *u = tok(p);
	gint64 unit = 0;
	for (guint i = 0; u->kind == TOK_WORD && u->glued && i < G_N_ELEMENTS(units); i++)
		if (strcmp(u->text, units[i].name) == 0)
			unit = units[i].unit;
	if (!unit)
		return scn_fail_at(p, loc, E_NUMBER,
				   "a time written ${...} needs its unit right after the '}': "
				   "${...}ns, ${...}us, ${...}ms or ${...}s %s",
				   ctx);
	advance(p);
	if (!sim_expr_is_const(e))
		return keep_for_run(p, loc, out,
				    (SimDynOp){ .kind = SIM_DYN_TIME,
						.unit = unit,
						.min = 0,
						.max = SIM_TIME_MAX / unit,
						.what = "time",
						.expr = g_steal_pointer(&e) });
	gint64 v = 0;
	if (!scn_fold(p, e, &v))
		return FALSE;
	if (v < 0 || v > SIM_TIME_MAX / unit)
		return scn_fail_at(p, loc, E_NUMBER,
				   "bad time: %" G_GINT64_FORMAT " units: expected 0 or more, at "
				   "most about 292 years in all",
				   v);
	*out = v * unit;
	return TRUE;
}

/* ---- Parameters ---- */

const SimScnParam *scn_find_param(const Parser *p, const char *name)
{
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(p->param_index, name));
	return i ? &g_array_index(p->params, SimScnParam, i - 1) : NULL;
}

/* A -D value: a whole number, as a scenario writes one (a sign allowed). */
static gboolean define_value(Parser *p, const char *name, const char *text, gint64 *out)
{
	const char *digits = text[0] == '-' ? text + 1 : text;
	guint64 n = 0;
	gboolean big = FALSE;
	if (!*digits || !g_ascii_isdigit(*digits) || !scn_to_u64(digits, &n, &big) || big ||
	    n > (guint64)G_MAXINT64) {
		g_set_error(&p->err, SIM_SCN_ERROR, SIM_SCN_ERROR_NUMBER,
			    "%s: error: -D %s=%s: expected a whole number (decimal, 0x hex or 0 "
			    "octal) for parameter '%s'",
			    p->file, name, text, name);
		return FALSE;
	}
	*out = text[0] == '-' ? -(gint64)n : (gint64)n;
	return TRUE;
}

/* The seed random parameters draw from, mixed with the name so that each parameter's draw
 * stays the same when others are added or moved. */
static gint64 draw(const Parser *p, const char *name, gint64 lo, gint64 hi)
{
	guint64 seed = p->opts && p->opts->seed_set ? p->opts->seed : p->scn->seed;
	SimRng rng;
	sim_rng_seed(&rng, seed ^ (guint64)g_str_hash(name) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15));
	guint64 span = (guint64)hi - (guint64)lo + 1;
	guint64 r = span == 0 ? sim_rng_next(&rng) : sim_rng_next(&rng) % span;
	return (gint64)((guint64)lo + r);
}

/* param NAME = VALUE | random A..B | "TEXT" */
gboolean scn_parse_param(Parser *p)
{
	g_auto(SimScnParam) prm = { 0 };
	advance(p);
	if (!scn_take_name(p, "a parameter name after 'param'", &prm.name, &prm.loc))
		return FALSE;
	g_autofree char *name = prm.name;
	if (!scn_not_reserved(p, name, prm.loc, "parameter"))
		return FALSE;
	/* A parameter stands where a number is read, so a keyword there would be taken for
	 * one (`exit send ...`). */
	if (sim_call_by_name(name) || scn_pick(name, scn_decl_words) >= 0)
		return scn_fail_at(p, prm.loc, E_NAME,
				   "'%s' is a keyword of the language: it cannot name a parameter",
				   name);
	const SimScnParam *old = scn_find_param(p, name);
	if (old)
		return scn_fail_at(p, prm.loc, E_NAME,
				   "duplicate parameter '%s': already declared at %u:%u", name,
				   old->loc.line, old->loc.col);
	if (!is_char(tok(p), '='))
		return scn_expected(p, "'=' after 'param %s'", name);
	advance(p);
	gboolean here = loc_file(tok(p)->loc) == 0;
	gsize value_start = tok(p)->start;
	if (tok(p)->kind == TOK_STRING) {
		prm.text = g_strdup(tok(p)->text);
		advance(p);
	} else if (is_word(tok(p), "random")) {
		advance(p);
		prm.random = TRUE;
		if (!scn_take_int(p, "random bound", "after 'random'", G_MININT64, G_MAXINT64,
				  &prm.lo))
			return FALSE;
		if (!is_char(tok(p), '.') || !is_char(peek(p, 1), '.') || !peek(p, 1)->glued)
			return scn_expected(p, "'..' in 'random A..B'");
		advance(p);
		advance(p);
		SimLoc hi_loc = tok(p)->loc;
		if (!scn_take_int(p, "random bound", "after '..'", G_MININT64, G_MAXINT64,
				  &prm.hi))
			return FALSE;
		if (prm.hi < prm.lo)
			return scn_fail_at(p, hi_loc, E_NUMBER,
					   "bad range %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
					   ": the upper bound is below the lower one",
					   prm.lo, prm.hi);
		prm.value = draw(p, name, prm.lo, prm.hi);
	} else if (!scn_take_int(p, "parameter value", "after '='", G_MININT64, G_MAXINT64,
				 &prm.value)) {
		return FALSE;
	}
	const char *def = p->defines ? g_hash_table_lookup(p->defines, name) : NULL;
	if (def && prm.text) {
		g_free(prm.text);
		prm.text = g_strdup(def);
	} else if (def && !define_value(p, name, def, &prm.value)) {
		return FALSE;
	}
	if (def) {
		prm.defined = TRUE;
		g_hash_table_remove(p->defines, name);
	}
	if (here) {
		prm.src_start = value_start;
		prm.src_end = g_array_index(p->toks, Tok, p->pos - 1).end;
	}
	prm.name = g_strdup(name);
	g_array_append_val(p->params, prm);
	prm = (SimScnParam){ 0 }; /* p->params owns it now */
	g_hash_table_insert(p->param_index, g_strdup(name), GUINT_TO_POINTER(p->params->len));
	return TRUE;
}

/* The -D NAME=VALUE strings, split into p->defines; each must name a parameter, which the
 * end of the parse checks (scn_check_defines). */
gboolean scn_take_defines(Parser *p)
{
	if (!p->opts || !p->opts->defines)
		return TRUE;
	p->defines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; p->opts->defines[i]; i++) {
		const char *d = p->opts->defines[i];
		const char *eq = strchr(d, '=');
		g_autofree char *name = eq ? g_strndup(d, (gsize)(eq - d)) : NULL;
		if (!eq || !*name || !eq[1]) {
			g_set_error(&p->err, SIM_SCN_ERROR, SIM_SCN_ERROR_SYNTAX,
				    "%s: error: -D '%s': expected NAME=VALUE, like -D N=5", p->file,
				    d);
			return FALSE;
		}
		g_hash_table_replace(p->defines, g_steal_pointer(&name), g_strdup(eq + 1));
	}
	return TRUE;
}

/* A -D that no `param` declared: a typo the user would not see otherwise. */
gboolean scn_check_defines(Parser *p)
{
	if (!p->defines || g_hash_table_size(p->defines) == 0)
		return TRUE;
	g_autoptr(GList) left = g_hash_table_get_keys(p->defines);
	left = g_list_sort(left, (GCompareFunc)strcmp);
	g_autoptr(GString) known = g_string_new(NULL);
	for (guint i = 0; i < p->params->len; i++)
		g_string_append_printf(known, "%s%s", i ? ", " : "",
				       g_array_index(p->params, SimScnParam, i).name);
	g_set_error(&p->err, SIM_SCN_ERROR, SIM_SCN_ERROR_NAME,
		    "%s: error: -D %s: the scenario declares no parameter '%s' (its parameters: "
		    "%s)",
		    p->file, (const char *)left->data, (const char *)left->data,
		    known->len ? known->str : "none");
	return FALSE;
}

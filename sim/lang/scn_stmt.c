/* scn_stmt.c — the blocks of a process body, and what the statements in them share.
 *
 * parse_stmt reads a statement's label and keyword, finds the keyword's row in the call table
 * (sim_call_by_name) and hands the rest of the statement to the row's parse hook, which lives
 * with the call in its family's file (sim/calls/call_*.c). This file keeps what more than one
 * family reads: texts with $variables, the descriptor operand, `-> VAR`, a statement's
 * options, SysV keys and signal names. Names are not looked up here: uses of mailboxes,
 * processes, queues and files are recorded (scn_add_ref) and variables are noted in the body
 * being read (scn_use_var, scn_assign_var), for scn_resolve.c to settle once the body or the
 * whole file has been read.
 *
 * The descriptor operand of the mq_* and file calls (scn_take_fd): a string is a `posix
 * queue` (looked up at the end), a number is the descriptor itself, a word is an integer
 * variable of the body and `p.r`/`p.w` an end of a pipe variable (both checked when the body
 * ends).
 */
#include "lang/scn_int.h"

#include "msgsim/calls/call.h"
#include "msgsim/kernel/signal.h"

#include <string.h>

/* ---- SysV keys and signals ---- */

/* Reads the value of key=: a number (0 is IPC_PRIVATE), `private`, or ftok("PATH", ID). The
 * path of an ftok key names a `file`, looked up when the whole file has been read (`ref`
 * says whose key it is: a msgget statement or a `sysv queue`). */
gboolean scn_take_key(Parser *p, RefKind ref, guint index, SimKey *out)
{
	const Tok *t = tok(p);
	*out = (SimKey){ SIM_KEY_PRIVATE, 0, -1 };
	if (is_word(t, "private")) {
		advance(p);
		return TRUE;
	}
	if (is_word(t, "ftok")) {
		advance(p);
		if (!is_char(tok(p), '('))
			return scn_expected(p, "'(' after 'ftok'");
		advance(p);
		const Tok *path = tok(p);
		if (path->kind != TOK_STRING)
			return scn_expected(p, "a file path in double quotes after 'ftok('");
		advance(p);
		if (!is_char(tok(p), ','))
			return scn_expected(p, "',' after 'ftok(\"%s\"'", path->text);
		advance(p);
		if (!scn_take_int(p, "ftok id", "after 'ftok(\"PATH\",'", 0, 255, &out->value))
			return FALSE;
		if (!is_char(tok(p), ')'))
			return scn_expected(p, "')' after the id of 'ftok(\"%s\", ...'",
					    path->text);
		advance(p);
		out->kind = SIM_KEY_FTOK;
		scn_add_ref(p, ref, path->text, path->loc, index, 0, NULL);
		return TRUE;
	}
	if (is_name_word(t) && !scn_at_value(p))
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad key '%s': expected a number, private or ftok(\"PATH\", ID)", t->text);
	if (!is_number_word(t) && !at_negative(p) && !scn_at_value(p))
		return scn_expected(p, "a number, private or ftok(\"PATH\", ID) after 'key='");
	if (!scn_take_int_in(p, "key", "after 'key='", 0, KEY_MAX,
			     "a key from 0 to 0xffffffff (32 bits)", &out->value))
		return FALSE;
	out->kind = out->value ? SIM_KEY_VALUE : SIM_KEY_PRIVATE;
	return TRUE;
}

/* Reads a signal name such as SIGUSR1. */
gboolean scn_take_signal(Parser *p, const char *ctx, int *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a signal name like SIGUSR1 %s", ctx);
	*out = sim_scn_signal_from_name(t->text);
	if (*out < 0) {
		/* The 31 names would drown the message: the range, and the likely one. */
		g_autofree char *sig = g_strconcat("SIG", t->text, NULL);
		g_autofree char *near = sim_scn_signal_from_name(sig) >= 0
						? g_strdup_printf(": did you mean '%s'?", sig)
						: scn_did_you_mean(t->text, scn_signal_names);
		return scn_fail_tok(p, t, E_NAME,
				    "unknown signal '%s' (expected a standard signal's name, "
				    "SIGHUP to SIGSYS, as signal(7) lists them)%s",
				    t->text, near);
	}
	advance(p);
	return TRUE;
}

/* A signal a call sends: any standard one. The stop signals stop their target by default
 * (world.c); they were once refused here, and the one entry point stays for the callers. */
gboolean scn_take_sent_signal(Parser *p, const char *ctx, int *out)
{
	return scn_take_signal(p, ctx, out);
}

/* ---- Texts ---- */

static void add_lit(GArray *parts, GString *lit)
{
	if (!lit->len)
		return;
	SimTextPart part = { SIM_TEXT_LIT, g_memdup2(lit->str, lit->len + 1), -1, NULL, lit->len };
	g_array_append_val(parts, part);
	g_string_truncate(lit, 0);
}

static void clear_part(gpointer data)
{
	g_free(((SimTextPart *)data)->lit);
	sim_expr_free(((SimTextPart *)data)->expr);
}

static gboolean is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* What follows a '$' in a text, for an error: the character quoted, or "end of text". */
static char *after_dollar(const char *s)
{
	if (!*s)
		return g_strdup("end of text");
	return g_strdup_printf("'%.*s'", (int)scn_char_len(s), s);
}

/* The fields of a message variable in a text: `$m.type`. SIM_TEXT_VAR_FROM serves two. */
static const struct {
	const char *name;
	SimTextPartKind kind;
} msg_fields[] = {
	{ "from", SIM_TEXT_VAR_FROM }, { "sender", SIM_TEXT_VAR_FROM }, { "type", SIM_TEXT_VAR_TYPE },
	{ "prio", SIM_TEXT_VAR_PRIO }, { "len", SIM_TEXT_VAR_LEN },
};

/* The field `.word` at e (a name's end), or -1; *len its bytes, '.' included (0: none). */
static int text_field(const char *e, gsize *len)
{
	*len = 0;
	if (*e != '.' || !(g_ascii_isalpha(e[1]) || e[1] == '_'))
		return -1;
	const char *w = e + 1;
	while (is_ident_char(*w))
		w++;
	*len = (gsize)(w - e);
	for (guint i = 0; i < G_N_ELEMENTS(msg_fields); i++)
		if (strlen(msg_fields[i].name) == *len - 1 &&
		    strncmp(e + 1, msg_fields[i].name, *len - 1) == 0)
			return (int)i;
	return -2; /* a word that is no field */
}

/* `${EXPR}` in a text at c (its '$'), at `at`: a number now, or a part for the run. */
static const char *text_expr(Parser *p, const char *c, SimLoc at, GString *lit, GArray *parts,
			     gboolean *vars)
{
	gsize used = 0;
	SimLoc in = { at.line, at.col + 2 };
	g_autoptr(SimExpr) e = scn_parse_text_expr(p, c + 2, in, &used);
	if (!e)
		return NULL;
	if (sim_expr_is_const(e)) {
		gint64 v = 0;
		if (!scn_fold(p, e, &v))
			return NULL;
		g_string_append_printf(lit, "%" G_GINT64_FORMAT, v);
	} else {
		SimTextPart part = { SIM_TEXT_EXPR, NULL, -1, g_steal_pointer(&e), 0 };
		if (p->cur_dyn) {
			SimDynOp op = { .kind = SIM_DYN_TEXT, .what = "text", .expr = part.expr };
			g_array_append_val(p->cur_dyn, op);
		}
		add_lit(parts, lit);
		g_array_append_val(parts, part);
		*vars = TRUE;
	}
	return c + 2 + used;
}

/* `$st.qnum` or `${st.perm.mode}`, name at n..e, when the name is an IPC_STAT result (else
 * text_dollar goes on): a part that shows the field's number. */
static const char *text_stat_field(Parser *p, const char *c, const char *n, const char *e,
				   SimLoc at, gboolean brace, GString *lit, GArray *parts,
				   gboolean *vars)
{
	g_autofree char *name = g_strndup(n, (gsize)(e - n));
	int slot = scn_stat_var(p, name);
	if (slot < 0)
		return c; /* not one: the caller reads it as it always has */
	gsize len = 0;
	int f = scn_stat_field(p, name, e, e + strlen(e), at, &len);
	if (f < 0)
		return NULL;
	e += len;
	if (brace && *e != '}')
		return scn_fail_at(p, at, E_SYNTAX, "expected '}' after '${%s' in text", name),
		       NULL;
	SimExpr *x = sim_expr_new(SIM_EXPR_FIELD, at);
	x->var = slot;
	x->num = f;
	SimTextPart part = { SIM_TEXT_EXPR, NULL, -1, x, 0 };
	if (p->cur_dyn) {
		SimDynOp op = { .kind = SIM_DYN_TEXT, .what = "text", .expr = part.expr };
		g_array_append_val(p->cur_dyn, op);
	}
	add_lit(parts, lit);
	g_array_append_val(parts, part);
	*vars = TRUE;
	return brace ? e + 1 : e;
}

/* One `$...` of a text at c, whose '$' is at `at`; returns where the text goes on, or NULL
 * after an error. */
static const char *text_dollar(Parser *p, const char *c, SimLoc at, GString *lit, GArray *parts,
			       gboolean *vars)
{
	gboolean brace = c[1] == '{';
	const char *n = c + (brace ? 2 : 1), *e = n;
	if (g_ascii_isalpha(*e) || *e == '_')
		while (is_ident_char(*e))
			e++;
	gsize flen = 0;
	int field = text_field(e, &flen);
	const char *after = e + (field == -1 ? 0 : flen);
	/* si.FIELD in a handler's body: the siginfo, not a message variable's field. */
	if (e - n == 2 && strncmp(n, "si", 2) == 0 && p->body && p->body->handler && flen &&
	    (!brace || *after == '}')) {
		g_autofree char *word = g_strndup(e + 1, flen - 1);
		SimTextPart part = { SIM_TEXT_EXPR, NULL, -1, NULL, 0 };
		if (!(part.expr = scn_si_field(p, word, at)))
			return NULL;
		if (p->cur_dyn) {
			SimDynOp op = { .kind = SIM_DYN_TEXT, .what = "text", .expr = part.expr };
			g_array_append_val(p->cur_dyn, op);
		}
		add_lit(parts, lit);
		g_array_append_val(parts, part);
		*vars = TRUE;
		return brace ? after + 1 : after;
	}
	if (e > n && *e == '.') {
		const char *r = text_stat_field(p, c, n, e, at, brace, lit, parts, vars);
		if (r != c)
			return r;
	}
	if (brace && e > n && field == -2 && *after == '}')
		return scn_fail_at(p, at, E_NAME,
				   "unknown field '%.*s' in '${%.*s}' (expected type, prio, sender, "
				   "from or len)",
				   (int)flen - 1, e + 1, (int)(after - n), n),
		       NULL;
	if (brace && e > n && !*after) {
		g_autofree char *what = g_strndup(n, (gsize)(after - n));
		return scn_fail_at(p, at, E_SYNTAX,
				   "expected '}' after '${%s' in text, found end of text", what),
		       NULL;
	}
	/* ${...} that is not a name (or name.field) up to its '}' is an expression. */
	if (brace && (e == n || *after != '}'))
		return text_expr(p, c, at, lit, parts, vars);
	if (e == n) {
		g_autofree char *found = after_dollar(n);
		return scn_fail_at(p, at, E_SYNTAX,
				   "expected a variable name, {name} or $ after '$' in text, "
				   "found %s",
				   found),
		       NULL;
	}
	g_autofree char *name = g_strndup(n, (gsize)(e - n));
	const SimScnParam *prm = scn_find_param(p, name);
	if (prm && field < 0) {
		if (prm->text)
			g_string_append(lit, prm->text);
		else
			g_string_append_printf(lit, "%" G_GINT64_FORMAT, prm->value);
		return brace ? e + 1 : e;
	}
	if ((scn_is_builtin(name) || prm) && field >= 0)
		return scn_fail_at(p, at, E_NAME,
				   "'$%s.%s': '%s' is %s and has no %s ('.%s' needs a message "
				   "variable)",
				   name, msg_fields[field].name, name,
				   prm ? "a parameter" : "built in",
				   field == 0 ? "sender" : "fields", msg_fields[field].name),
		       NULL;
	SimTextPart part = { SIM_TEXT_VAR, NULL, -1, NULL, 0 };
	if (strcmp(name, "self") == 0) {
		part.kind = SIM_TEXT_SELF;
	} else if (strcmp(name, "index") == 0) {
		part.kind = SIM_TEXT_INDEX;
	} else if (field >= 0) {
		part.kind = msg_fields[field].kind;
		part.var = scn_use_var(p, name, at, TRUE, FALSE);
		scn_note_msg_field(p, part.var, msg_fields[field].name, at);
		e += flen;
	} else {
		part.var = scn_use_var(p, name, at, FALSE, FALSE);
		/* `$m.typo`: an error if m turns out to hold a message, text after a counter. */
		if (field == -2)
			scn_note_field(p, part.var, e + 1, flen - 1, at);
	}
	add_lit(parts, lit);
	g_array_append_val(parts, part);
	*vars = TRUE;
	return brace ? e + 1 : e;
}

/* Splits a string into literal parts and $name, ${name}, $name.FIELD, ${EXPR}, $self and
 * $index parts; $$ is a literal '$', and parameters and constant expressions become text.
 * A text without run-time parts keeps just `literal`. */
gboolean scn_parse_text(Parser *p, const Tok *t, SimText *out)
{
	const char *s = t->text;
	g_autoptr(GString) lit = g_string_new(NULL);
	g_autoptr(GArray) parts = scn_array_new(sizeof(SimTextPart), clear_part);
	gboolean vars = FALSE;
	for (const char *c = s; c < s + t->len;) {
		if (*c != '$' || c[1] == '$') {
			g_string_append_c(lit, *c);
			c += *c == '$' ? 2 : 1;
			continue;
		}
		/* The column is exact unless a \ escape comes before the '$'. */
		SimLoc at = { t->loc.line, t->loc.col + 1 + (guint)g_utf8_strlen(s, c - s) };
		c = text_dollar(p, c, at, lit, parts, &vars);
		if (!c)
			return FALSE;
	}
	if (!vars) {
		out->literal_len = lit->len;
		out->literal = g_string_free(g_steal_pointer(&lit), FALSE);
		return TRUE;
	}
	add_lit(parts, lit);
	out->parts = scn_steal_array(&parts, &out->n_parts);
	return TRUE;
}

gboolean scn_take_text(Parser *p, const char *ctx, SimText *out)
{
	const Tok *t = tok(p);
	if (scn_at_bytes_gen(p))
		return scn_take_bytes_gen(p, out);
	if (t->kind != TOK_STRING && t->kind != TOK_BYTES)
		return scn_expected(p, "a text in double quotes %s", ctx);
	if (!scn_parse_text(p, t, out))
		return FALSE;
	advance(p);
	return TRUE;
}

/* ---- Statements ---- */

StmtInfo *scn_info_of(Parser *p, guint id)
{
	return &g_array_index(p->stmt_info, StmtInfo, id);
}

/* `-> VAR` among the options of msgget, msgrcv, mq_open, open, pipe ..., or after wait, at
 * most once; `seen` is where. */
gboolean scn_take_arrow(Parser *p, SimStmt *st, VarRole role, SimLoc *seen)
{
	const Tok *arrow = tok(p);
	g_autofree char *var = NULL;
	SimLoc loc;
	if (seen->line)
		return scn_fail_tok(p, arrow, E_SYNTAX, "repeated '->': already given at %u:%u",
				    seen->line, seen->col);
	*seen = arrow->loc;
	advance(p);
	advance(p);
	if (!scn_take_name(p, "a variable name after '->'", &var, &loc))
		return FALSE;
	st->var = scn_assign_var(p, var, loc, role);
	return st->var >= 0;
}

/* The options of a statement as its table says, with what may come among them: `-> VAR`
 * when the statement has one (`role`), and its TEXT when it may come among the options
 * (`text_ctx`), as in `msgsnd q type=2 "x"`, which reads like the C call's struct msgbuf. */
gboolean scn_take_stmt_opts(Parser *p, SimStmt *st, StmtOpts *so)
{
	for (;;) {
		if (so->role >= 0 && at_arrow(p)) {
			if (!scn_take_arrow(p, st, (VarRole)so->role, &so->arrow))
				return FALSE;
			continue;
		}
		if (so->text_ctx && !so->text &&
		    (tok(p)->kind == TOK_STRING || tok(p)->kind == TOK_BYTES || scn_at_bytes_gen(p))) {
			if (!scn_take_text(p, so->text_ctx, &st->text))
				return FALSE;
			so->text = TRUE;
			continue;
		}
		int k = scn_take_opt(p, &so->o);
		if (k < 0)
			return k == OPT_END;
		if (!scn_opt_value(p, &so->o, k, st))
			return FALSE;
	}
}

/* ---- Descriptors ---- */

/* The descriptor operand D of the mq_* calls (but mq_open and mq_unlink) and of close, read,
 * write, fcntl and ioctl, `how`:
 *   "/name"  a `posix queue` (mq_* only), looked up when the whole file has been read;
 *   7        the descriptor itself, SIM_EP_FDNUM (any int; -1 is written -1);
 *   v        an integer variable of the body, checked when the body ends;
 *   p.r p.w  an end of a pipe variable (GScanner reads word '.' word: all three glued).
 * `ctx`, when not NULL, gets "after 'how D'" for the errors of what follows. */
gboolean scn_take_fd(Parser *p, SimStmt *st, const char *how, char **ctx)
{
	gboolean mq = g_str_has_prefix(how, "mq_");
	const Tok *t = tok(p), *dot = peek(p, 1), *end = peek(p, 2);
	guint first = p->pos;
	if (t->kind == TOK_STRING && mq) {
		st->ep = (SimEndpoint){ SIM_EP_PQ, -1, t->loc, SIM_FD_PLAIN };
		scn_add_ref(p, REF_POSIXQ, t->text, t->loc, st->id, 0, NULL);
		advance(p);
	} else if (is_number_word(t) && is_char(dot, '.') && dot->glued && end->glued &&
		   end->kind == TOK_WORD) {
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad descriptor '%s.%s': a descriptor number is a whole number; "
			"only a pipe variable has ends (p.r, p.w)",
			t->text, end->text);
	} else if (is_number_word(t) || at_negative(p) || scn_at_expr(p) ||
		   (is_name_word(t) && scn_find_param(p, t->text))) {
		gint64 fd = 0;
		g_autofree char *after = g_strdup_printf("after '%s'", how);
		/* Any int, as C passes it: the call's EBADF for one no process can have. */
		if (!scn_take_int_in(p, "descriptor", after, G_MININT32, G_MAXINT32,
				     "a descriptor from -2147483648 to 2147483647 (an int)", &fd))
			return FALSE;
		st->ep = (SimEndpoint){ SIM_EP_FDNUM, (int)fd, t->loc, SIM_FD_PLAIN };
	} else if (is_name_word(t)) {
		SimFdEnd which = SIM_FD_PLAIN;
		if (is_char(dot, '.') && !dot->glued)
			return scn_expected_at(
				p, dot,
				"a pipe end written %s.r or %s.w, without blanks, after "
				"'%s %s'",
				t->text, t->text, how, t->text);
		if (is_char(dot, '.')) {
			if (!end->glued || !(is_word(end, "r") || is_word(end, "w")))
				return scn_expected_at(
					p, end,
					"r or w right after '%s.' (a pipe end is written "
					"%s.r or %s.w, without blanks)",
					t->text, t->text, t->text);
			which = is_word(end, "r") ? SIM_FD_READ : SIM_FD_WRITE;
		}
		st->ep =
			(SimEndpoint){ SIM_EP_FDVAR, scn_use_fd_var(p, t->text, t->loc, how, which),
				       t->loc, which };
		advance(p);
		if (which != SIM_FD_PLAIN) {
			advance(p);
			advance(p);
		}
	} else if (mq) {
		return scn_expected(
			p,
			"a `posix queue` \"/name\", a variable set by 'mq_open ... -> d' or a "
			"descriptor number after '%s'",
			how);
	} else {
		return scn_expected(
			p,
			"a descriptor after '%s': a variable set by 'open ... -> d', a pipe "
			"end like p.r or p.w, or a number",
			how);
	}
	if (ctx) {
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		const Tok *from = &g_array_index(p->toks, Tok, first);
		*ctx = t->kind == TOK_STRING ? g_strdup_printf("after '%s \"%s\"'", how, t->text)
					     : g_strdup_printf("after '%s %.*s'", how,
							       (int)(last->end - from->start),
							       p->src + from->start);
	}
	return TRUE;
}

/* mq_send and mq_receive block or not as their descriptor says (O_NONBLOCK), and read and
 * write take `nonblock`: a `nowait` after them would be a mistake, so it gets an error of its
 * own. */
gboolean scn_no_nowait(Parser *p, const char *how)
{
	const Tok *t = tok(p);
	if (!is_word(t, "nowait"))
		return TRUE;
	if (!g_str_has_prefix(how, "mq_"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'nowait' is not an option of %s: write 'nonblock' for this call "
			"alone, or 'fcntl D nonblock' for every call on the descriptor",
			how);
	return scn_fail_tok(p, t, E_SYNTAX,
			    "'nowait' is not an option of %s: the call does not block when its "
			    "descriptor is non-blocking ('mq_open ... nonblock' or 'mq_setattr D "
			    "nonblock')",
			    how);
}

/* ---- The statement dispatcher ---- */

/* A word that is not a statement: say what it is, since a missing '}' is the usual cause
 * of a declaration showing up here. */
static gboolean bad_stmt(Parser *p, const Tok *t, SimLoc open)
{
	if (scn_pick(t->text, scn_decl_words) >= 0)
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' starts a declaration, not a statement: is the '}' for the '{' "
			"at %u:%u missing?",
			t->text, open.line, open.col);
	/* Every keyword, in SimStmtKind order: the table's order, not its index's. */
	const char *words[SIM_CALL_N_KINDS + 1];
	guint n = 0;
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++)
		if (k != SIM_STMT_ELSE) /* not a statement of its own: it follows an if */
			words[n++] = sim_call_desc((SimStmtKind)k)->name;
	words[n] = NULL;
	g_autofree char *list = scn_either(words);
	g_autofree char *near = scn_did_you_mean(t->text, words);
	return scn_fail_tok(p, t, E_SYNTAX, "unknown statement '%s' (expected %s)%s", t->text, list,
			    near);
}

static gboolean add_label(Parser *p, const char *label, SimLoc loc, guint id)
{
	const LabelDef *old = g_hash_table_lookup(p->labels, label);
	if (old)
		return scn_fail_at(p, loc, E_NAME,
				   "duplicate label '%s': already declared at %u:%u", label,
				   old->loc.line, old->loc.col);
	LabelDef *d = g_new(LabelDef, 1);
	*d = (LabelDef){ id, loc };
	g_hash_table_insert(p->labels, g_strdup(label), d);
	return TRUE;
}

/* A statement of `kind` at `loc`, its head at the defaults every call shares. Its family's
 * arguments are zero: each family's parse hooks set their own defaults before they read
 * anything (a union member is only ever initialised for its own family). */
void scn_stmt_init(Parser *p, SimStmt *st, SimStmtKind kind, SimLoc loc)
{
	st->kind = kind;
	st->loc = loc;
	st->id = p->n_stmts++;
	st->ep = (SimEndpoint){ SIM_EP_MBOX, -1, { 0, 0 }, SIM_FD_PLAIN };
	st->var = -1;
	StmtInfo info = { p->body->index, { 0, 0 } };
	g_array_append_val(p->stmt_info, info);
}

/* What follows a call's keyword, read by its row into st. Operands written ${...} with
 * run-time variables are noted against this statement (scn_expr.c) and handed to it once
 * it is read. */
static gboolean parse_call(Parser *p, const SimCallDesc *call, SimStmt *st)
{
	SimStmt *outer = p->cur_stmt;
	GArray *outer_dyn = p->cur_dyn;
	g_autoptr(GArray) dyn = g_array_new(FALSE, TRUE, sizeof(SimDynOp));
	p->cur_stmt = st;
	p->cur_dyn = dyn;
	gboolean ok = call->parse(p, st);
	p->cur_stmt = outer;
	p->cur_dyn = outer_dyn;
	if (dyn->len) {
		st->dyn = g_malloc(sizeof(SimDynOps) + dyn->len * sizeof(SimDynOp));
		st->dyn->n = dyn->len;
		memcpy(st->dyn->ops, dyn->data, dyn->len * sizeof(SimDynOp));
		g_array_set_size(dyn, 0); /* the statement owns the expressions now */
	}
	return ok;
}

/* One statement with its optional label, appended to `into`; `open` is the enclosing '{'. */
static gboolean parse_stmt(Parser *p, GArray *into, SimLoc open)
{
	g_auto(SimStmt) st = { 0 };
	const Tok *t = tok(p);
	if (is_char(t, '@')) {
		SimLoc name_loc;
		st.label_loc = t->loc;
		advance(p);
		if (!scn_take_name(p, "a label name after '@'", &st.label, &name_loc))
			return FALSE;
		t = tok(p);
		if (t->kind != TOK_WORD)
			return scn_expected(p, "a statement after the label '@%s'", st.label);
	}
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a statement or '}'");
	const SimCallDesc *call = sim_call_by_name(t->text);
	if (!call)
		return bad_stmt(p, t, open);
	scn_stmt_init(p, &st, call->kind, t->loc);
	if (st.label && !add_label(p, st.label, st.label_loc, st.id))
		return FALSE;
	advance(p);
	if (!parse_call(p, call, &st))
		return FALSE;
	g_array_append_val(into, st);
	st = (SimStmt){ 0 }; /* the block owns it now */
	/* `ipcrm -q 1 -s 2`: each further option is a statement of its own, in order. */
	while (call->more && call->more(p)) {
		const SimStmt *first = &g_array_index(into, SimStmt, into->len - 1);
		if (first->label)
			return scn_fail_at(p, tok(p)->loc, E_SYNTAX,
					   "a labelled %s takes one option: '@%s' names one "
					   "statement's result (write one %s per label)",
					   call->name, first->label, call->name);
		scn_stmt_init(p, &st, call->kind, tok(p)->loc);
		if (!parse_call(p, call, &st))
			return FALSE;
		g_array_append_val(into, st);
		st = (SimStmt){ 0 };
	}
	return TRUE;
}

/* The statements of a block up to its '}', which it consumes; `open` is where its '{' is. */
static gboolean parse_stmts(Parser *p, SimLoc open, SimBlock *out)
{
	g_autoptr(GArray) stmts = scn_array_new(sizeof(SimStmt), scn_clear_stmt);
	while (!is_char(tok(p), '}')) {
		if (tok(p)->kind == TOK_EOF)
			return scn_fail_at(p, open, E_SYNTAX,
					   "unterminated block: '{' at %u:%u has no matching '}'",
					   open.line, open.col);
		if (!parse_stmt(p, stmts, open))
			return FALSE;
	}
	advance(p);
	out->stmts = scn_steal_array(&stmts, &out->n_stmts);
	return TRUE;
}

/* '{' STATEMENTS '}'; `ctx` says what the '{' starts, for the error when it is missing. */
gboolean scn_parse_block(Parser *p, const char *ctx, SimBlock *out)
{
	const Tok *open = tok(p);
	if (!is_char(open, '{'))
		return scn_expected(p, "'{' %s", ctx);
	/* Blocks nest by recursion, here and in every pass over the statements; the cap keeps
	 * all of them far from the end of the stack. */
	if (p->depth >= SIM_SCN_MAX_DEPTH)
		return scn_fail_at(
			p, open->loc, SIM_SCN_ERROR_LIMIT,
			"blocks nested too deeply: at most %d may be open at once (process, "
			"fork, repeat and loop bodies each count one)",
			SIM_SCN_MAX_DEPTH);
	advance(p);
	p->depth++;
	gboolean ok = parse_stmts(p, open->loc, out);
	p->depth--;
	return ok;
}

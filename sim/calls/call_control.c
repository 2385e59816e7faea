/* call_control.c — the control family: what a body does without a kernel object.
 *
 * compute burns CPU, sleep waits on a timer, print writes to the trace, and repeat, loop and
 * break are control flow the compiler turns into jumps (let, if and assert are one
 * instruction each, computed where they stand, taking no time). Only compute and sleep are traced as
 * calls (print has an event of its own); they show their duration and no result, since
 * neither can fail.
 *
 * Execution: compute is not a system call; it only sets the CPU time the engine then burns
 * in slices it can preempt. The control flow rows have no exec: their `op` tells the
 * compiler which instructions to emit.
 *
 * Parsing: repeat and loop read their body as a block one level deeper (break needs one),
 * and `repeat N as v` makes v the counter while the body is read.
 *
 * neither can fail. None of them touches a kernel object: their footprint is the task
 * itself, and the output for print.
 */
#include "calls/call_int.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "msgsim/lang/printf.h"

static void duration_text(GString *s, const SimTraceEvent *ev)
{
	char buf[32];
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name,
			       sim_trace_time(ev->stmt->ctl.duration, buf, sizeof(buf)));
}

static void duration_json(GString *s, const SimTraceEvent *ev)
{
	sim_trace_json_int(s, "duration", ev->stmt->ctl.duration);
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimControlArgs ctl_defaults = { 0 };

/* The statements that are a word and one operand. */
static gboolean compute_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	return scn_take_time(p, "after 'compute'", &st->ctl.duration);
}

static gboolean sleep_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	return scn_take_time(p, "after 'sleep'", &st->ctl.duration);
}

/* print "TEXT" is puts; print "FORMAT", ARG... is printf (printf.h), whose format must be
 * fixed when the file is read: a run-time $ part could hold a '%'. */
static gboolean print_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	/* print's text is a line of output: bytes that are not text belong to data. */
	if (tok(p)->kind == TOK_BYTES || scn_at_bytes_gen(p))
		return scn_expected(p, "a text in double quotes after 'print'");
	Tok fmt = *tok(p); /* a copy: the token array may grow while the arguments are read */
	if (!scn_take_text(p, "after 'print'", &st->text))
		return FALSE;
	if (!is_char(tok(p), ','))
		return TRUE;
	if (!st->text.literal)
		return scn_fail_tok(p, &fmt, E_MISUSE,
				    "a print with arguments takes its values as arguments, not as "
				    "$ parts of its format: write %%d in the format and the "
				    "variable after the ','");
	return scn_take_printf(p, &fmt, &st->ctl.pf);
}

/* The body of a repeat or loop, one level deeper; `counter` is the repeat's `as` variable. */
static gboolean parse_loop_body(Parser *p, SimStmt *st, const Counter *counter, const char *ctx)
{
	BodyBuilder *b = p->body;
	if (counter->slot >= 0)
		g_array_append_val(b->counters, *counter);
	b->depth++;
	b->max_depth = MAX(b->max_depth, b->depth);
	gboolean ok = scn_parse_block(p, ctx, &st->ctl.body);
	b->depth--;
	if (counter->slot >= 0)
		g_array_set_size(b->counters, b->counters->len - 1);
	return ok;
}

static gboolean repeat_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	Counter counter = { -1, { 0, 0 } };
	SimLoc count_loc = tok(p)->loc;
	if (!scn_take_int(p, "repeat count", "after 'repeat'", 0, G_MAXINT64, &st->ctl.count))
		return FALSE;
	/* A loop's bound is read once, when it starts: from numbers and parameters only. */
	if (st->dyn || p->cur_dyn->len)
		return scn_fail_at(p, count_loc, E_MISUSE,
				   "a repeat count must be known before the run: its expression "
				   "names a variable (use numbers and parameters, or 'loop' with "
				   "'break')");
	if (is_word(tok(p), "as")) {
		g_autofree char *var = NULL;
		advance(p);
		if (!scn_take_name(p, "a variable name after 'as'", &var, &counter.loc))
			return FALSE;
		st->var = scn_assign_var(p, var, counter.loc, ROLE_COUNTER);
		if (st->var < 0)
			return FALSE;
		counter.slot = st->var;
	}
	return parse_loop_body(p, st, &counter, "to start the body of 'repeat'");
}

static gboolean loop_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	return parse_loop_body(p, st, &(Counter){ -1, { 0, 0 } }, "to start the body of 'loop'");
}

static gboolean break_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	if (p->body->depth == 0)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'break' outside a repeat or loop: there is nothing to break out of");
	st->ctl.uncond = TRUE;
	if (!is_word(tok(p), "if"))
		return TRUE;
	advance(p);
	st->ctl.uncond = FALSE;
	return scn_take_errno(p, "after 'break if'", TRUE, &st->ctl.break_err);
}

/* if EXPR { ... } [else { ... }]: both blocks go in the one body, the second after a
 * SIM_STMT_ELSE, so that every walk over nested statements (sim_stmt_body) sees them both
 * without knowing about if. */
static gboolean if_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	st->ctl.cond = scn_take_cond(p, "after 'if'");
	if (!st->ctl.cond)
		return FALSE;
	SimBlock then = { 0 }, other = { 0 };
	if (!scn_parse_block(p, "to start the body of 'if'", &then)) {
		st->ctl.body = then;
		return FALSE;
	}
	st->ctl.body = then;
	if (!is_word(tok(p), "else"))
		return TRUE;
	SimStmt mark = { 0 };
	scn_stmt_init(p, &mark, SIM_STMT_ELSE, tok(p)->loc);
	advance(p);
	gboolean ok = scn_parse_block(p, "after 'else' (write 'else { if ... }' for a chain)",
				      &other);
	/* The body owns both blocks and the mark from here, whatever happened. */
	SimBlock *b = &st->ctl.body;
	b->stmts = g_renew(SimStmt, b->stmts, then.n_stmts + 1 + other.n_stmts);
	b->stmts[then.n_stmts] = mark;
	if (other.n_stmts)
		memcpy(&b->stmts[then.n_stmts + 1], other.stmts, other.n_stmts * sizeof(SimStmt));
	b->n_stmts = then.n_stmts + 1 + other.n_stmts;
	g_free(other.stmts);
	return ok;
}

/* `else` where no if ends: the else of an if is read with the if. */
static gboolean else_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	return scn_fail_at(p, st->loc, E_SYNTAX,
			   "'else' without 'if': an else comes right after the '}' of an "
			   "'if EXPR { ... }'");
}

/* assert EXPR: a check in the middle of a run. Each one is also an expectation of the
 * scenario (kind SIM_EXPECT_ASSERT, made here), which the report checks with the others. */
static gboolean assert_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	gsize from = tok(p)->start;
	st->ctl.cond = scn_take_assert_cond(p, "after 'assert'");
	if (!st->ctl.cond)
		return FALSE;
	const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
	SimScnExpect e = { .kind = SIM_EXPECT_ASSERT,
			   .loc = st->loc,
			   .proc = -1,
			   .mbox = -1,
			   .sysvq = -1,
			   .exit_code = -1,
			   .count = -1,
			   .proc2 = -1,
			   .text = g_strndup(p->src + from, last->end - from) };
	ExpectInfo info = { 0 };
	AssertUse use = { p->expects->len, st->id };
	g_array_append_val(p->expects, e);
	g_array_append_val(p->expect_info, info);
	g_array_append_val(p->asserts, use);
	return TRUE;
}

/* let VAR = EXPR: the value is read before the variable is set, so `let n = n + 1` needs
 * n set before, and a first `let n = 0` makes n an integer of the body from there on. */
static gboolean let_parse(Parser *p, SimStmt *st)
{
	st->ctl = ctl_defaults;
	g_autofree char *var = NULL;
	SimLoc loc;
	if (!scn_take_name(p, "a variable name after 'let'", &var, &loc))
		return FALSE;
	if (!is_char(tok(p), '='))
		return scn_expected(p, "'=' after 'let %s'", var);
	advance(p);
	const Tok *t = tok(p);
	if (t->kind == TOK_EOF || is_char(t, '}'))
		return scn_expected(p, "a value (an expression) after 'let %s ='", var);
	st->ctl.cond = scn_take_expr(p);
	if (!st->ctl.cond)
		return FALSE;
	gint64 v;
	if (sim_expr_is_const(st->ctl.cond) && !scn_fold(p, st->ctl.cond, &v))
		return FALSE;
	st->var = scn_assign_var(p, var, loc, ROLE_VALUE);
	return st->var >= 0;
}

/* ---- Execution ---- */

/* compute, sleep: calls with no object, traced with their duration. */
static void trace_plain(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
	sim_world_emit(w, &ev);
}

/* Not a system call: it burns CPU in slices the engine can preempt. */
static void compute_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	if (w->trace)
		trace_plain(w, t, st);
	t->compute_left = st->ctl.duration;
	sim_interp_returned(w, t, st, 0);
}

static void sleep_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	if (w->trace)
		trace_plain(w, t, st);
	sim_interp_returned(w, t, st, 0);
	sim_world_sleep(w, t, st->ctl.duration);
}

/* print's printf form into out (NULL: only computed). Its numbers are computed traced or
 * not, since a fault (a division by zero) stops the run whoever watches; FALSE then. */
static gboolean print_format(SimWorld *w, SimTask *t, const SimPrintf *pf, GString *out)
{
	for (guint i = 0; i < pf->n_convs; i++) {
		const SimPrintfConv *c = &pf->convs[i];
		gint64 v = 0;
		if (c->num && !sim_interp_eval(w, t, c->num, &v))
			return FALSE;
		if (!out)
			continue;
		g_string_append(out, c->lit);
		if (c->num) {
			sim_printf_append(out, c, v, NULL);
		} else if (c->text.literal) {
			sim_printf_append(out, c, 0, c->text.literal);
		} else {
			sim_interp_expand(w, t, &c->text);
			sim_printf_append(out, c, 0, w->scratch->str);
		}
	}
	if (out)
		g_string_append(out, pf->tail);
	return TRUE;
}

static void print_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	/* A fault stops the run before the call is made, as for a call's ${...} operands. */
	const SimPrintf *pf = st->ctl.pf;
	if (pf && !print_format(w, t, pf, NULL))
		return;
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	if (pf) {
		if (w->trace) {
			g_autoptr(GString) out = g_string_new(NULL);
			print_format(w, t, pf, out);
			/* value 1: the text is the bytes written, its newlines its own. */
			SimTraceEvent ev = { .kind = SIM_TR_PRINT,
					     .task = t->name,
					     .text = out->str,
					     .line = st->loc.line,
					     .value = 1,
					     .stmt = st };
			sim_world_emit(w, &ev);
		}
	} else if (w->trace) {
		const char *text = st->text.literal;
		if (!text) {
			sim_interp_expand(w, t, &st->text);
			text = w->scratch->str;
		}
		SimTraceEvent ev = { .kind = SIM_TR_PRINT,
				     .task = t->name,
				     .text = text,
				     .line = st->loc.line,
				     .stmt = st };
		sim_world_emit(w, &ev);
	}
	sim_interp_returned(w, t, st, 0);
}

/* ---- Footprint ---- */

/* compute, sleep, repeat, loop, break: nothing but the task itself, which reads whether it
 * is still alive (a kill ends a compute as it ends any call). */
static void self_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	(void)st;
	sim_call_fp_self(fp, t, FALSE);
}

/* print: and the output, whose order of lines is the order of the prints. */
static void print_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	self_footprint(w, t, st, fp);
	sim_footprint_add(fp, SIM_OBJ_OUTPUT, 0, TRUE);
}

const SimCallDesc sim_call_control_rows[] = {
	{
		.kind = SIM_STMT_COMPUTE,
		.name = "compute",
		.family = SIM_CALL_CONTROL,
		.text_call = duration_text,
		.json_call = duration_json,
		.exec = compute_exec,
		.parse = compute_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_SLEEP,
		.name = "sleep",
		.family = SIM_CALL_CONTROL,
		.text_call = duration_text,
		.json_call = duration_json,
		.exec = sleep_exec,
		.parse = sleep_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_PRINT,
		.name = "print",
		.family = SIM_CALL_CONTROL,
		.exec = print_exec,
		.parse = print_parse,
		.footprint = print_footprint,
	},
	/* Control flow: no exec; the compiler turns these into jumps. */
	{
		.kind = SIM_STMT_REPEAT,
		.name = "repeat",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_REPEAT,
		.parse = repeat_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_LOOP,
		.name = "loop",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_JUMP,
		.parse = loop_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_BREAK,
		.name = "break",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_BREAK,
		.parse = break_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_IF,
		.name = "if",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_IF,
		.parse = if_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_ASSERT,
		.name = "assert",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_ASSERT,
		.parse = assert_parse,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_LET,
		.name = "let",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_LET,
		.parse = let_parse,
		.footprint = self_footprint,
	},
	{
		/* Compiled by its if; this row only reads a stray else, as an error. */
		.kind = SIM_STMT_ELSE,
		.name = "else",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_JUMP,
		.parse = else_parse,
		.footprint = self_footprint,
	},
};
const guint sim_call_control_n_rows = G_N_ELEMENTS(sim_call_control_rows);

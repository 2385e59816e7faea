/* xcheck_handler.c — handler bodies that send signals, in the lockstep.
 *
 * A body's `kill` is made by the kernel's process from inside its real handler (the worker
 * is handed the body's kills with the sigaction: real_hkill.c), at the moment the kernel
 * runs that handler, and the lockstep makes that the model's moment: the handler of an idle
 * worker (whose caught signals wait blocked for its next call) is let run when the model's
 * body makes its first kill, by a call that does nothing else (kill(pid, 0) on itself); a
 * worker held back in a call a caught signal interrupted is let go on then. The model's kill
 * is then compared with the kernel's, which the handler logged with its result.
 *
 * The one design choice to know: the kernel's handler makes all of a body's kills at once,
 * the model's body one statement after the other, so only what a handler can do is taken:
 * kills (at most SIM_REAL_HKILL_MAX per body), at the top or under `if`s whose conditions
 * read only numbers, the siginfo (si.FIELD) and self.pid - the handler computes them from
 * the siginfo_t the kernel hands it, as a small forward-only program (real.h), so the two
 * sides decide each body alike, and a kill one side made alone is a mismatch
 * (xc_handler_leftover) - beside statements no worker makes (print, let, assert, compute).
 * Anything else makes the scenario not cross-checkable, with the reason. The targets' pids
 * are those the coordinator knows when the model's body runs: it keeps them current in
 * the shared page at every step.
 *
 * Free runs take the same kills: the kernel's handler makes them when it runs, stamped
 * with the time, and the free driver (xcheck_free.c) makes each in the model in that
 * order among the calls the workers stamped; an idle worker, whose caught signals wait
 * blocked, is let take them by a call that does nothing (xc_handler_nudge).
 */
#include "real/xcheck_int.h"

#include <signal.h>
#include <string.h>

#include "msgsim/calls/call.h"

/* Whether the worker's handler can compute e as the model does: numbers, the siginfo's
 * fields, self.pid and the operators; not a variable of the body (a `let`), which the
 * handler does not keep. */
static gboolean cond_computable(const SimExpr *e)
{
	if (!e)
		return TRUE;
	switch (e->op) {
	case SIM_EXPR_NUM:
		return TRUE;
	case SIM_EXPR_FIELD:
		return e->var < 0;
	case SIM_EXPR_VAR:
	case SIM_EXPR_INDEX:
	case SIM_EXPR_FTOK:
		return FALSE;
	default:
		return cond_computable(e->a) && cond_computable(e->b);
	}
}

static gboolean block_kills(const SimBlock *b);

/* Why block b of a handler's body holds a call the worker's handler cannot make (static
 * text), or NULL; *kills counts its kills. */
static const char *body_refusal(const SimBlock *b, guint *kills)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		const SimBlock *in = sim_stmt_body(st);
		if (in) {
			if (st->kind != SIM_STMT_IF && block_kills(in))
				return "makes a kill in a loop, which the worker's handler does not run";
			if (st->kind == SIM_STMT_IF && block_kills(in) &&
			    !cond_computable(st->ctl.cond))
				return "makes a kill under an if that reads a variable of the body, "
				       "which the worker's handler does not keep (it reads numbers, "
				       "si.FIELD and self.pid)";
			const char *why = body_refusal(in, kills);
			if (why)
				return why;
		}
		if (!sim_call_desc(st->kind)->replay)
			continue;
		if (st->kind != SIM_STMT_KILL)
			return "makes a call other than kill";
		if (st->ep.index >= SIM_REAL_HKILL_TASKS)
			return "kills a process past the ones a handler can name";
		if (++*kills > SIM_REAL_HKILL_MAX)
			return "makes more kills than a worker's handler takes (" G_STRINGIFY(
				SIM_REAL_HKILL_MAX) ")";
	}
	return NULL;
}

/* ---- The body as the worker's handler runs it (real.h: sim_real_hkill_program) ---- */

/* The worker's operator for e's, or -1. */
static int hk_operator(SimExprOp op)
{
	static const struct {
		SimExprOp op;
		int hk;
	} map[] = {
		{ SIM_EXPR_NEG, SIM_REAL_HK_NEG }, { SIM_EXPR_NOT, SIM_REAL_HK_NOT },
		{ SIM_EXPR_ADD, SIM_REAL_HK_ADD }, { SIM_EXPR_SUB, SIM_REAL_HK_SUB },
		{ SIM_EXPR_MUL, SIM_REAL_HK_MUL }, { SIM_EXPR_DIV, SIM_REAL_HK_DIV },
		{ SIM_EXPR_MOD, SIM_REAL_HK_MOD }, { SIM_EXPR_EQ, SIM_REAL_HK_EQ },
		{ SIM_EXPR_NE, SIM_REAL_HK_NE },   { SIM_EXPR_LT, SIM_REAL_HK_LT },
		{ SIM_EXPR_LE, SIM_REAL_HK_LE },   { SIM_EXPR_GT, SIM_REAL_HK_GT },
		{ SIM_EXPR_GE, SIM_REAL_HK_GE },   { SIM_EXPR_AND, SIM_REAL_HK_AND },
		{ SIM_EXPR_OR, SIM_REAL_HK_OR },
	};
	for (guint i = 0; i < G_N_ELEMENTS(map); i++)
		if (map[i].op == op)
			return map[i].hk;
	return -1;
}

/* The program being written: its tokens, a jump's target patched once known. */
typedef struct Prog {
	GPtrArray *tok; /* owned strings */
} Prog;

static guint emit(Prog *p, char *tok)
{
	g_ptr_array_add(p->tok, tok);
	return p->tok->len - 1;
}

/* e in postfix; FALSE when the handler cannot compute it (cond_computable). */
static gboolean emit_expr(Prog *p, const SimExpr *e)
{
	if (e->op == SIM_EXPR_NUM) {
		emit(p, g_strdup_printf("#%" G_GINT64_FORMAT, e->num));
		return TRUE;
	}
	if (e->op == SIM_EXPR_FIELD) {
		if (e->var >= 0)
			return FALSE;
		gint64 f = e->num == SIM_EXPR_FIELD_SELF_PID
				   ? SIM_REAL_HK_SELF_PID
				   : SIM_REAL_HK_SI_SIGNO + (e->num - SIM_EXPR_FIELD_SI_SIGNO);
		emit(p, g_strdup_printf("f%" G_GINT64_FORMAT, f));
		return TRUE;
	}
	int op = hk_operator(e->op);
	if (op < 0 || !e->a || !emit_expr(p, e->a) || (e->b && !emit_expr(p, e->b)))
		return FALSE;
	emit(p, g_strdup_printf("%c%d", e->b ? 'b' : 'u', op));
	return TRUE;
}

static gboolean emit_block(Prog *p, const SimBlock *b, guint from, guint to);

/* `if COND { A } [else { B }]`: COND, a jump past A when 0, A, [a jump past B, B]. */
static gboolean emit_if(Prog *p, const SimStmt *st)
{
	const SimBlock *in = &st->ctl.body;
	if (!block_kills(in))
		return TRUE; /* nothing the handler makes: the condition does not matter */
	guint split = in->n_stmts;
	for (guint i = 0; i < in->n_stmts; i++)
		if (in->stmts[i].kind == SIM_STMT_ELSE && split == in->n_stmts)
			split = i;
	if (!emit_expr(p, st->ctl.cond))
		return FALSE;
	guint jz = emit(p, NULL);
	if (!emit_block(p, in, 0, split))
		return FALSE;
	guint jmp = split < in->n_stmts ? emit(p, NULL) : 0;
	g_ptr_array_index(p->tok, jz) = g_strdup_printf("z%u", p->tok->len);
	if (split < in->n_stmts) {
		if (!emit_block(p, in, split + 1, in->n_stmts))
			return FALSE;
		g_ptr_array_index(p->tok, jmp) = g_strdup_printf("j%u", p->tok->len);
	}
	return TRUE;
}

static gboolean emit_block(Prog *p, const SimBlock *b, guint from, guint to)
{
	for (guint i = from; i < to; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_KILL)
			emit(p, g_strdup_printf("%" G_GINT64_FORMAT ":%d", (gint64)st->ep.index,
						(int)st->proc.sig));
		else if (st->kind == SIM_STMT_IF && !emit_if(p, st))
			return FALSE;
	}
	return TRUE;
}

/* Appends body b as the handler's program text; FALSE when it does not fit one. */
static gboolean program(const SimBlock *b, GString *out)
{
	Prog p = { g_ptr_array_new_with_free_func(g_free) };
	gboolean ok = emit_block(&p, b, 0, b->n_stmts) && p.tok->len <= SIM_REAL_HKILL_INS;
	for (guint i = 0; ok && i < p.tok->len; i++)
		g_string_append_printf(out, "%s%s", out->len ? " " : "",
				       (const char *)g_ptr_array_index(p.tok, i));
	g_ptr_array_unref(p.tok);
	return ok;
}

char *xc_handler_unsupported(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++) {
		if (!scn->bodies[i]->handler)
			continue;
		guint kills = 0;
		const char *why = body_refusal(&scn->bodies[i]->block, &kills);
		g_autoptr(GString) prog = g_string_new(NULL);
		if (!why && !program(&scn->bodies[i]->block, prog))
			why = "is longer than a worker's handler takes (" G_STRINGIFY(
				SIM_REAL_HKILL_INS) " steps)";
		if (why)
			return g_strdup_printf(
				"a handler's body %s: the worker's real handler makes "
				"the body's kills itself, as the kernel runs it",
				why);
	}
	return NULL;
}

static gboolean block_kills(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimBlock *in = sim_stmt_body(&b->stmts[i]);
		if (b->stmts[i].kind == SIM_STMT_KILL || (in && block_kills(in)))
			return TRUE;
	}
	return FALSE;
}

void xc_handler_init(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	for (guint i = 0; i < scn->n_bodies && !xc->hkill; i++)
		xc->hkill = scn->bodies[i]->handler && block_kills(&scn->bodies[i]->block);
	if (!xc->hkill)
		return;
	sim_real_hkill_reset(); /* a page this process made before holds another run's log */
	xc->hk_taken = g_new0(guchar, SIM_REAL_HKILL_LOG);
	for (guint i = 0; i < xc->n && i < SIM_REAL_HKILL_TASKS; i++)
		sim_real_hkill_set_pid((int)i, (pid_t)xc_task_pid(xc, (int)i));
}

void xc_handler_free(Xc *xc)
{
	g_clear_pointer(&xc->hk_taken, g_free);
}

void xc_handler_program(Xc *xc, const SimStmt *on, GString *data)
{
	if (!on->proc.has_body)
		return;
	program(&xc->scn->bodies[on->proc.body]->block, data);
}

/* The model's body is about to kill: the kernel's handler must have run by now. */
static void body_started(Xc *xc, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	xc->calls++;
	guint mark = x->recv_mark; /* the interrupted call's, kept */
	xc_kernel_started(xc, t, st);
	x->recv_mark = mark;
	if (!x->started || x->gone || x->wk.pid <= 0)
		return; /* found missing when the result is compared */
	if (x->held) {
		xc_release(xc, x, t, st);
	} else if (!x->sent) {
		SimRealResult r;
		gint64 a[6] = { x->wk.pid, 0 };
		if (!xc_call_now(xc, &x->wk, SIM_REAL_KILL, a, NULL, &r, NULL))
			return;
	}
	g_autofree char *who =
		g_strdup_printf("%s's handler, kill (line %u)", t->name, st->loc.line);
	xc_quiesce(xc, who, NULL);
}

/* The model's body killed: compare with the kill the kernel's handler logged. */
static void body_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	int kerr = 0, found = 0;
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (gulong pause = 20; x->wk.pid > 0; pause = MIN(pause * 2, 1000)) {
		found = sim_real_hkill_find(x->wk.pid, (int)st->ep.index, (int)st->proc.sig,
					    xc->hk_taken, &kerr, NULL);
		if (found || g_get_monotonic_time() > deadline || xc_stopped(xc))
			break;
		g_usleep(pause);
	}
	int merr = sim_world_result(w, st)->err;
	int sig = 0;
	sim_sigbody_info(t, &sig);
	xc->step++;
	g_autofree char *call = g_strdup_printf("kill in %s's handler", sim_scn_signal_name(sig));
	const char *mt = merr ? sim_errno_name(merr) : "ok 0";
	const char *kt = !found ? "no kill made" : kerr ? sim_errno_name(kerr) : "ok 0";
	gboolean match = found && kerr == merr;
	xc_row(xc, t, call, st->loc.line, mt, kt, match);
	XTask k = *x; /* the kernel's answer, as expectations read one */
	k.res.err = kerr;
	k.res.ret = kerr ? -1 : 0;
	xc_kernel_returned(xc, t, st, &k, found, match);
	if (xc->free)
		return; /* nothing waits for the kernel to settle in a free run */
	g_autofree char *who =
		g_strdup_printf("%s's handler, kill (line %u)", t->name, st->loc.line);
	xc_quiesce(xc, who, NULL);
}

gboolean xc_handler_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	if (!xc->hkill)
		return FALSE;
	/* The pids the kernel's handlers kill: as the coordinator knows them now. */
	for (guint i = 0; i < xc->n && i < SIM_REAL_HKILL_TASKS; i++)
		sim_real_hkill_set_pid((int)i, (pid_t)xc_task_pid(xc, (int)i));
	if (!st || st->kind != SIM_STMT_KILL || !sim_sigbody_active(t))
		return FALSE;
	if (ph == SIM_CALL_STARTED)
		body_started(xc, t, st);
	else if (ph == SIM_CALL_FINISHED)
		body_finished(xc, w, t, st);
	return TRUE;
}

void xc_handler_leftover(Xc *xc)
{
	if (!xc->hkill)
		return;
	guint from = 0;
	pid_t by;
	int task, sig;
	while (sim_real_hkill_untaken(xc->hk_taken, &from, &by, &task, &sig)) {
		const SimTask *t = NULL;
		for (guint i = 0; i < xc->n && !t; i++)
			if (xc->x[i].wk.pid == by || xc->x[i].pid == by)
				t = &xc->w->tasks[i];
		if (!t)
			continue; /* a process the run no longer knows: nothing to name */
		xc->step++;
		g_autofree char *call = g_strdup_printf(
			"kill %s %s in %s's handler", task < (int)xc->n ? xc->w->tasks[task].name : "?",
			sim_scn_signal_name(sig), t->name);
		xc_row(xc, t, call, 0, "not made", "made", FALSE);
	}
}

/* ---- Free runs: the kernel's handler made the kills when it ran; the model makes them
 * in the order the kernel made them among the other calls (xcheck_free.c) ---- */

static void keep_pids(Xc *xc)
{
	for (guint i = 0; i < xc->n && i < SIM_REAL_HKILL_TASKS; i++)
		sim_real_hkill_set_pid((int)i, (pid_t)xc_task_pid(xc, (int)i));
}

int xc_handler_free_next(Xc *xc, guint i, gint64 *at_us)
{
	if (!xc->hkill)
		return 0;
	const SimTask *t = &xc->w->tasks[i];
	const SimStmt *st = sim_world_next_stmt(xc->w, i);
	/* A caught signal pending, or a body owed, starts its body at the task's next step,
	 * before anything else it does. */
	const SimSigBodies *b = t->sigb;
	if (t->state != SIM_STATE_BLOCKED && b &&
	    ((b->owed | t->sig_pending) & ~b->blocked & ~G_GUINT64_CONSTANT(1)))
		for (int sig = 1; sig < 64; sig++)
			if ((((b->owed | t->sig_pending) & ~b->blocked) >> sig & 1) && b->body[sig])
				return 2;
	if (!sim_sigbody_active(t) || !st)
		return 0; /* at a body's end, the step goes on to the call after it */
	if (st->kind != SIM_STMT_KILL)
		return 2;
	const XTask *x = &xc->x[i];
	if (x->wk.pid <= 0)
		return 1; /* no process: the kill is found missing when compared */
	*at_us = 0;
	return sim_real_hkill_peek(x->wk.pid, (int)st->ep.index, (int)st->proc.sig, xc->hk_taken,
				   at_us) == 1
		       ? 1
		       : -1;
}

gint64 xc_handler_free_pending(Xc *xc)
{
	return xc->hkill ? sim_real_hkill_pending_since(xc->hk_taken) : G_MAXINT64;
}

gboolean xc_handler_nudge(Xc *xc, guint i)
{
	XTask *x = &xc->x[i];
	if (!x->started || x->gone || x->wk.pid <= 0)
		return TRUE;
	keep_pids(xc);
	SimRealResult r;
	gint64 a[6] = { x->wk.pid, 0 };
	return xc_call_now(xc, &x->wk, SIM_REAL_KILL, a, NULL, &r, NULL);
}

gboolean xc_handler_free_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimCallPhase ph)
{
	if (!xc->hkill)
		return FALSE;
	keep_pids(xc);
	if (!st || st->kind != SIM_STMT_KILL || !sim_sigbody_active(t))
		return FALSE;
	if (ph == SIM_CALL_STARTED)
		xc->calls++;
	else if (ph == SIM_CALL_FINISHED)
		body_finished(xc, w, t, st);
	return TRUE;
}

const SimStmt *xc_handler_next_stmt(Xc *xc, guint i)
{
	const SimTask *t = &xc->w->tasks[i];
	const SimStmt *st = sim_world_next_stmt(xc->w, i);
	if (st || t->state == SIM_STATE_EXITED || !sim_sigbody_active(t))
		return st;
	/* At the body's END: the same step returns from it and makes what follows. */
	for (guint k = t->sigb->n_frames; k-- > 0;) {
		const SimSigFrame *fr = &t->sigb->frames[k];
		st = fr->prog->code[fr->pc].stmt;
		if (st)
			return st;
	}
	return NULL;
}

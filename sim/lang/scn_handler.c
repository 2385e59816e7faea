/* scn_handler.c — the body of a signal handler: `on SIGNAME handler [norestart] { BODY }`.
 *
 * A handler's body is a program of its own, parsed as a new body of the scenario (as exec's
 * and a SIGEV_THREAD thread's are), with variables of its own: a C handler sees none of the
 * locals of the code it interrupted. Inside it, `si.FIELD` (also `$si.FIELD` in a text) reads
 * the siginfo_t the kernel hands an SA_SIGINFO handler.
 *
 * The one design choice to know: a body may hold only statements that never block, in the
 * spirit of async-signal-safety: the engine runs a body between two statements of the
 * interrupted program, where the interrupted call has already ended (restarted or EINTR),
 * and a handler that slept would leave that program's call state half made. The check is
 * made here, when the body is read, so the run never meets a blocking call in a handler.
 */
#include "lang/scn_int.h"

#include <string.h>

#include "msgsim/calls/call.h"

/* The statements a handler may hold, and the words for the error. */
static const SimStmtKind allowed[] = {
	SIM_STMT_PRINT, SIM_STMT_LET,  SIM_STMT_ASSERT,	 SIM_STMT_IF,
	SIM_STMT_ELSE,	SIM_STMT_KILL, SIM_STMT_COMPUTE,
};
#define ALLOWED_WORDS "print, let, assert, if, kill and compute"

static const char *const si_fields[] = { "signo", "code", "pid", "uid", "value", "status", NULL };

SimExpr *scn_si_field(Parser *p, const char *word, SimLoc loc)
{
	if (!p->body || !p->body->handler) {
		scn_fail_at(p, loc, E_NAME,
			    "'si.%s' is the siginfo of a signal handler: it can be read only in the "
			    "body of 'on SIGNAME handler { ... }'",
			    word);
		return NULL;
	}
	int f = scn_pick(word, si_fields);
	if (f < 0) {
		scn_fail_at(p, loc, E_NAME,
			    "unknown field '%s' of 'si' (expected signo, code, pid, uid, value or "
			    "status)",
			    word);
		return NULL;
	}
	SimExpr *x = sim_expr_new(SIM_EXPR_FIELD, loc);
	x->var = -1;
	x->num = SIM_EXPR_FIELD_SI_SIGNO + f;
	return x;
}

static gboolean check_block(Parser *p, const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		gboolean ok = FALSE;
		for (guint k = 0; k < G_N_ELEMENTS(allowed); k++)
			ok = ok || st->kind == allowed[k];
		if (!ok)
			return scn_fail_at(p, st->loc, E_MISUSE,
					   "'%s' cannot be in a signal handler's body: a handler "
					   "must not block, so it may hold only " ALLOWED_WORDS,
					   sim_call_desc(st->kind)->name);
		if (st->kind == SIM_STMT_IF && !check_block(p, &st->ctl.body))
			return FALSE;
	}
	return TRUE;
}

/* Does a handler's body (or a block in it) hold a call the cross-check's worker would make? */
static gboolean block_has_call(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (sim_call_desc(st->kind)->replay ||
		    (st->kind == SIM_STMT_IF && block_has_call(&st->ctl.body)))
			return TRUE;
	}
	return FALSE;
}

gboolean sim_scn_handler_makes_calls(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++)
		if (scn->bodies[i]->handler && block_has_call(&scn->bodies[i]->block))
			return TRUE;
	return FALSE;
}

gboolean scn_parse_handler_body(Parser *p, SimStmt *st)
{
	BodyBuilder *b = p->body;
	st->proc.body = p->bodies->len; /* scn_parse_body adds it there */
	st->proc.has_body = TRUE;
	p->handler_next = TRUE;
	SimScnBody *body = scn_parse_body(p, "to start the handler's body", b->proc, b->n_procs,
					  b->name, NULL);
	p->handler_next = FALSE;
	if (body)
		body->handler = TRUE;
	return body && check_block(p, &body->block);
}

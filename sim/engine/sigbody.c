/* sigbody.c — running the body of a signal handler (`on SIGNAME handler { BODY }`).
 *
 * A handler's body is a program of its own (scn_handler.c). When a handler runs (on the
 * task's return to user space, where sim_interp_run_handlers counts it), its body is owed;
 * before the task's next statement the body starts: the task's program, pc, loop counters,
 * variables and last result are pushed on a frame, and the task runs the body from pc 0
 * with fresh variables. The body's END pops the frame, as sigreturn restores the
 * interrupted context, and the program goes on where it was.
 *
 * The one design choice to know: the signal being handled is blocked while its body runs
 * (sa_mask holds it, as sigaction sets it without SA_NODEFER), so the same signal sent again
 * stays pending and its body runs after this one ends; another signal's body nests on top.
 */
#include "engine/world_int.h"

#include <string.h>

#include "engine/interp_int.h"

static SimSigBodies *bodies(SimTask *t)
{
	if (!t->sigb)
		t->sigb = g_new0(SimSigBodies, 1);
	return t->sigb;
}

void sim_sigbody_install(SimTask *t, int sig, const SimProgram *body)
{
	if (body)
		bodies(t)->body[sig] = body;
	else if (t->sigb)
		t->sigb->body[sig] = NULL;
}

void sim_sigbody_fork(SimTask *child, const SimTask *parent)
{
	if (!parent->sigb)
		return;
	memcpy(bodies(child)->body, parent->sigb->body, sizeof(parent->sigb->body));
}

void sim_sigbody_exec(SimTask *t)
{
	if (t->sigb)
		memset(t->sigb->body, 0, sizeof(t->sigb->body));
}

void sim_sigbody_note(SimTask *t, int sig, const SimSigInfo *si)
{
	/* A standard signal already pending is not queued again: the first siginfo stays. */
	if (t->sigb && !(t->sig_pending & (G_GUINT64_CONSTANT(1) << sig)))
		t->sigb->pend[sig] = *si;
}

void sim_sigbody_ran(SimTask *t, int sig)
{
	if (t->sigb && t->sigb->body[sig])
		t->sigb->owed |= G_GUINT64_CONSTANT(1) << sig;
}

guint64 sim_sigbody_blocked(const SimTask *t)
{
	return t->sigb ? t->sigb->blocked : 0;
}

/* Starts every owed body that is not blocked, lowest signal first, each on top of the
 * last: the kernel sets up one frame per signal, so the last one set up runs first. */
void sim_sigbody_enter(SimTask *t)
{
	SimSigBodies *b = t->sigb;
	while (b && (b->owed & ~b->blocked)) {
		int sig = __builtin_ctzll(b->owed & ~b->blocked);
		guint64 bit = G_GUINT64_CONSTANT(1) << sig;
		b->owed &= ~bit;
		g_assert(b->n_frames < G_N_ELEMENTS(b->frames));
		const SimProgram *prog = b->body[sig];
		if (!prog)
			continue; /* reset to SIG_DFL by the body that ran before it */
		b->frames[b->n_frames++] = (SimSigFrame){ .prog = t->prog,
							  .pc = t->pc,
							  .counters = t->counters,
							  .vars = t->vars,
							  .last_err = t->last_err,
							  .last_ret = t->last_ret,
							  .sig = sig,
							  .si = b->pend[sig] };
		b->blocked |= bit;
		if (b->n_ran < G_N_ELEMENTS(b->ran)) {
			b->ran_sig[b->n_ran] = sig;
			b->ran[b->n_ran] = b->pend[sig];
		}
		b->n_ran++;
		b->frames[b->n_frames - 1].resume = t->resuming;
		t->resuming = FALSE;
		t->prog = prog;
		t->pc = 0;
		t->counters = g_new0(gint64, prog->max_depth + 1);
		t->vars = g_new0(SimVar, prog->n_vars + 1);
	}
}

gboolean sim_sigbody_active(const SimTask *t)
{
	return t->sigb && t->sigb->n_frames > 0;
}

const SimSigInfo *sim_sigbody_info(const SimTask *t, int *sig)
{
	if (!sim_sigbody_active(t))
		return NULL;
	const SimSigFrame *f = &t->sigb->frames[t->sigb->n_frames - 1];
	*sig = f->sig;
	return &f->si;
}

static void free_vars(SimMsgPool *pool, const SimProgram *prog, SimVar *vars)
{
	for (guint i = 0; vars && i < prog->n_vars; i++)
		sim_msg_pool_put(pool, vars[i].msg);
	g_free(vars);
}

/* The body's END: the interrupted program goes on as it was. */
void sim_sigbody_return(SimWorld *w, SimTask *t)
{
	SimSigBodies *b = t->sigb;
	const SimSigFrame *f = &b->frames[--b->n_frames];
	free_vars(&w->pool, t->prog, t->vars);
	g_free(t->counters);
	t->prog = f->prog;
	t->pc = f->pc;
	t->counters = f->counters;
	t->vars = f->vars;
	t->last_err = f->last_err;
	t->last_ret = f->last_ret;
	b->blocked &= ~(G_GUINT64_CONSTANT(1) << f->sig);
	t->resuming = f->resume;
	if (w->trace) {
		SimTraceEvent ev = { .kind = SIM_TR_SIGNAL,
				     .task = t->name,
				     .reason = f->resume ? "handler returns; the call starts over"
							 : "handler returns",
				     .text = sim_scn_signal_name(f->sig),
				     .value = f->sig };
		sim_world_emit(w, &ev);
	}
}

/* A blocked call interrupted by a handled signal, to be restarted (SA_RESTART): when a
 * handler has a body, the body runs first, and the call takes up again as just woken with
 * EINTR when the body ends (its waiter untouched meanwhile). TRUE when the caller must
 * return now and leave the call for later; FALSE when no body is to run (the handlers
 * are then the caller's to run, as before). */
gboolean sim_sigbody_restart_first(SimWorld *w, SimTask *t)
{
	if (!t->sigb || sim_interp_no_restart(t))
		return FALSE;
	guint64 run = t->sig_pending & ~t->sigb->blocked;
	gboolean body = FALSE;
	for (int sig = 1; sig < 64 && !body; sig++)
		body = (run & (G_GUINT64_CONSTANT(1) << sig)) && t->sigb->body[sig];
	if (!body)
		return FALSE;
	sim_interp_run_handlers(w, t);
	t->resuming = TRUE; /* saved in the first frame: the call resumes after the body */
	sim_sigbody_enter(t);
	return TRUE;
}

/* A task that ends inside a body: back to its own program, so that what is read of it
 * afterwards (its variables) is its own. */
void sim_sigbody_clear(SimWorld *w, SimTask *t)
{
	if (!t->sigb)
		return;
	while (t->sigb->n_frames)
		sim_sigbody_return(w, t);
	g_clear_pointer(&t->sigb, g_free);
}

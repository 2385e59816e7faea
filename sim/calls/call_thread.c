/* call_thread.c — the threads family: `thread NAME { BODY }` starts a thread of the process,
 * `join NAME` waits for one to end (pthread_create and pthread_join).
 *
 * Parsing: a thread is declared where it is written, as a forked child is: a task of its
 * own (SIM_START_THREAD) whose body starts with a copy of the creator's variables. join
 * names a thread of the same process, declared before it.
 *
 * Execution: thread starts the task through the engine (thread.c), which gives it its
 * process's descriptor table; join sleeps on the caller's own child list (chld_wait), as
 * wait does, and the thread's end wakes it. On the real kernel the thread is a real thread
 * of its process's worker (real_thread.c, xcheck_thread.c); join has no call to compare.
 *
 * Footprint: thread reads the process's descriptor table and starts the thread; join reads
 * the thread's state. Exploration sees a thread's descriptor calls as the process's (call.c
 * maps a thread's table to its process's).
 */
#include "calls/call_int.h"

#include <errno.h>

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- What the call asked for ---- */

static void thread_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

/* ---- Parsing ---- */

static const SimProcArgs thread_defaults = { 0 };

/* The main task of proc: itself, or the process a thread belongs to. */
static guint group_of(Parser *p, guint proc)
{
	const SimScnProc *pr = &g_array_index(p->procs, SimScnProc, proc);
	while (pr->start == SIM_START_THREAD) {
		proc = (guint)pr->parent;
		pr = &g_array_index(p->procs, SimScnProc, proc);
	}
	return proc;
}

/* thread NAME { BODY }: in no repeat or loop and no replicated process, as fork. */
static gboolean thread_parse(Parser *p, SimStmt *st)
{
	st->proc = thread_defaults;
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (b->n_procs > 1)
		return scn_fail_at(p, st->loc, E_MISUSE,
				   "'thread' in replicated process '%s[%u]': each thread statement "
				   "names one thread (expected it in a process that is not "
				   "replicated)",
				   b->name, b->n_procs);
	if (b->depth > 0)
		return scn_fail_at(p, st->loc, E_MISUSE,
				   "'thread' inside a repeat or loop: each thread statement names "
				   "one thread, so it runs at most once (expected it outside every "
				   "repeat and loop)");
	if (!scn_take_name(p, "a thread name after 'thread'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "thread"))
		return FALSE;
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(p, v->use_loc, E_NAME,
					   "variable '%s' is used before 'thread %s' (at %u:%u) but "
					   "not set before it: the thread starts with a copy of the "
					   "variables set before it",
					   v->name, name, st->loc.line, st->loc.col);
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS)
		return scn_fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
				   "too many processes: 'thread %s' makes one more task than %d", name,
				   SIM_SCN_MAX_PROCS);
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
				   "too many copied variables: 'thread %s' copies the %u variables "
				   "of '%s', and started tasks may hold at most %d copies in all",
				   name, b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	if (!scn_declare_child(p, name, loc, index, SIM_START_THREAD))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)index, loc, SIM_FD_PLAIN };
	st->proc.n_inherit = b->vars->len;
	g_autofree char *ctx = g_strdup_printf("to start the body of 'thread %s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, index, 1, name, b);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* join NAME: a thread of the same process, declared before (a thread statement comes
 * before the join of it, in this body or an enclosing one). */
static gboolean join_parse(Parser *p, SimStmt *st)
{
	st->proc = thread_defaults;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (!scn_take_name(p, "a thread name after 'join'", &name, &loc))
		return FALSE;
	const NameDef *d = g_hash_table_lookup(p->names, name);
	const SimScnProc *pr = d && d->kind == NAME_PROC
				       ? &g_array_index(p->procs, SimScnProc, d->index)
				       : NULL;
	if (!pr || pr->start != SIM_START_THREAD ||
	    group_of(p, d->index) != group_of(p, p->body->proc) || d->index == p->body->proc)
		return scn_fail_at(p, loc, E_NAME,
				   "'%s' is not a thread of process '%s': 'join' needs a thread "
				   "that this process starts with 'thread %s { ... }' before it",
				   name, p->body->name, name);
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)d->index, loc, SIM_FD_PLAIN };
	return TRUE;
}

/* ---- Execution ---- */

static void trace_thread(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
			 const char *object, int err, const char *why)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, object, NULL, err, why, -1);
	sim_world_emit(w, &ev);
}

static void thread_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTask *th = &w->tasks[st->ep.index];
	if (w->trace)
		trace_thread(w, SIM_TR_CALL, t, st, th->name, 0, NULL);
	sim_interp_returned(w, t, st, 0);
	sim_world_thread(w, t, th, st->proc.n_inherit);
}

/* pthread_join: returns at once when the thread has ended, else sleeps until it does. A
 * signal does not interrupt it (futex waits in pthread_join restart). */
static void join_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimTask *th = &w->tasks[st->ep.index];
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	/* A caught signal runs its handler and the join goes on (pthread_join restarts). */
	if (t->sig_pending)
		sim_interp_run_handlers(w, t);
	/* A thread that was never started cannot be joined: ESRCH, as for a bad thread id. */
	int err = th->state == SIM_STATE_NEW ? ESRCH : 0;
	if (!err && th->state != SIM_STATE_EXITED) {
		const char *why = "thread still running";
		sim_interp_blocked(w, st);
		t->wait_child = th->id;
		sim_waitq_sleep(&t->chld_wait, &t->waiter);
		if (w->trace)
			trace_thread(w, SIM_TR_CALL, t, st, th->name, 0, why);
		sim_world_block(w, t, -1, th->name, why);
		return;
	}
	t->wait_child = -1;
	if (w->trace)
		trace_thread(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, th->name, err, NULL);
	sim_interp_finish(w, t, st, err, 0);
}

/* ---- Footprint ---- */

static void thread_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->group, FALSE);
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, TRUE);
}

static void join_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			   SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, TRUE);
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, FALSE);
}

/* ---- Cross-check ---- */

/* The thread's worker is a real thread of the process's worker, serving the channel slot
 * the coordinator prepared for it (real_thread.c). */
static gboolean thread_replay(SimReplay *r)
{
	gint64 n_desc;
	r->c->op = SIM_REAL_THREAD;
	xc_fork_slot(r->xc, r->st->ep.index, &r->c->a[0], &n_desc);
	return TRUE;
}

/* thread: the kernel's tid is not comparable. */
static void thread_model_cell(SimModelCell *mc)
{
	mc->m->ret = 0;
}

static void thread_kernel_cell(SimKernelCell *kc)
{
	kc->k->ret = 0;
}

#define THREAD_ROW(k, word, ...)                                                             \
	{                                                                                    \
		.kind = (k), .name = (word), .family = SIM_CALL_PROC, .text_call = thread_text, \
		.text_result = sim_call_text_result, .json_result = sim_call_json_ret,       \
		__VA_ARGS__                                                                  \
	}

const SimCallDesc sim_call_thread_rows[] = {
	THREAD_ROW(SIM_STMT_THREAD, "thread", .exec = thread_exec, .parse = thread_parse,
		   .real_name = "pthread_create", .replay = thread_replay,
		   .model_cell = thread_model_cell, .kernel_cell = thread_kernel_cell,
		   .footprint = thread_footprint),
	/* pthread_join waits on a futex the kernel clears at the thread's end: no call of
	 * its own to compare; the thread's end is (xcheck_thread.c). */
	THREAD_ROW(SIM_STMT_JOIN, "join", .exec = join_exec, .parse = join_parse,
		   .footprint = join_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_TAKES,
		   .wait_obj = SIM_OBJ_TASK),
};
const guint sim_call_thread_n_rows = G_N_ELEMENTS(sim_call_thread_rows);

/* call_proc.c — the processes family: fork, wait, exit, kill and on (sigaction), the calls
 * whose objects are tasks and their signal state rather than a kernel queue or a file.
 *
 * Execution: wait sleeps on its own task's child list (chld_wait) and, when woken, runs its
 * exec again with `resuming` set, as do_wait loops; a caught signal interrupts it, and it
 * restarts after the handler (SA_RESTART) or fails with EINTR. fork starts the child that
 * the parser declared; exit and a fatal signal end a task through the engine (world.c).
 *
 * Parsing: `fork NAME { BODY }` declares the child process right where it is written, after
 * its parent, and reads its body with a copy of the parent's variables; wait names a child
 * that the body's forks are checked against when the body ends.
 *
 * Footprint: the process calls touch tasks. kill and exit are the wide ones: the end of a
 * task reaches every object it holds or waits on (sim_call_footprint_end, call.h).
 */
#include "calls/call_int.h"

#include <signal.h>

#include "msgsim/kernel/signal.h"
#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- What the call asked for ---- */

/* fork, wait: the keyword and the child. */
static void child_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

static void kill_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "kill %s %s", ev->other, sim_scn_signal_name(ev->stmt->proc.sig));
}

static void on_text(GString *s, const SimTraceEvent *ev)
{
	static const char *const acts[] = { [SIM_SIG_DEFAULT] = "default",
					    [SIM_SIG_IGNORE] = "ignore",
					    [SIM_SIG_HANDLER] = "handler" };
	g_string_append_printf(s, "on %s %s", sim_scn_signal_name(ev->stmt->proc.sig),
			       acts[ev->stmt->proc.action]);
}

/* ---- What came of it ---- */

static void wait_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", status %" G_GINT64_FORMAT, ev->ret);
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimProcArgs proc_defaults = { 0 };

/* fork NAME { BODY }. The child is appended to the processes here, so it follows its parent
 * (and the children forked before it, with theirs) without moving any index handed out so
 * far; it copies the parent's declared options, and its body starts with the parent's
 * variable slots as they are now. */
static gboolean fork_parse(Parser *p, SimStmt *st)
{
	st->proc = proc_defaults;
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (b->n_procs > 1)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' in replicated process '%s[%u]': each fork names one child, "
			"and %u replicas cannot all make it (expected fork in a process "
			"that is not replicated)",
			b->name, b->n_procs, b->n_procs);
	if (b->depth > 0)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' inside a repeat or loop: each fork names one child, so it "
			"runs at most once (expected it outside every repeat and loop)");
	if (!scn_take_name(p, "a process name after 'fork'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "process"))
		return FALSE;
	/* The child gets a copy of each slot, so each must have its value by now. A fork is
	 * in no loop, so what is written before it has run before it. */
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(
				p, v->use_loc, E_NAME,
				"variable '%s' is used before 'fork %s' (at %u:%u) but not "
				"set before it: the child starts with a copy of the "
				"variables set before the fork",
				v->name, name, st->loc.line, st->loc.col);
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many processes: 'fork %s' makes one more than %d (a scenario "
			"may have at most %d, replicas and forked children included)",
			name, SIM_SCN_MAX_PROCS, SIM_SCN_MAX_PROCS);
	/* Each child copies every slot of its parent, so forks times variables could grow
	 * much faster than the file: the copies are counted and capped. */
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many copied variables: 'fork %s' copies the %u variables of "
			"'%s', and forked children may hold at most %d copies in all",
			name, b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	if (!scn_declare_child(p, name, loc, index, SIM_START_FORK))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)index, loc, SIM_FD_PLAIN };
	st->proc.n_inherit = b->vars->len;
	g_array_append_val(b->forks, index);
	g_autofree char *ctx = g_strdup_printf("to start the body of 'fork %s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, index, 1, name, b);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* wait NAME [-> VAR]: NAME is checked against the body's forks when the body ends. */
static gboolean wait_parse(Parser *p, SimStmt *st)
{
	st->proc = proc_defaults;
	WaitUse w = { st->id, NULL, { 0, 0 } };
	SimLoc arrow = { 0, 0 };
	if (!scn_take_name(p, "a child process name after 'wait'", &w.name, &w.loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, w.loc, SIM_FD_PLAIN };
	g_array_append_val(p->body->waits, w);
	return !at_arrow(p) || scn_take_arrow(p, st, ROLE_STATUS, &arrow);
}

/* exit [STATUS]: 0 to 255; without one the process exits with 0. */
static gboolean exit_parse(Parser *p, SimStmt *st)
{
	st->proc = proc_defaults;
	return !(is_number_word(tok(p)) || at_negative(p) || scn_at_value(p)) ||
	       scn_take_int(p, "exit status", "after 'exit'", 0, 255, &st->proc.status);
}

/* kill PROC SIGNAME: the process is the statement's endpoint (SIM_EP_PROC). */
static gboolean kill_parse(Parser *p, SimStmt *st)
{
	st->proc = proc_defaults;
	g_autofree char *proc = NULL;
	SimLoc loc;
	if (!scn_take_name(p, "a process name after 'kill'", &proc, &loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, loc, SIM_FD_PLAIN };
	scn_add_ref(p, REF_KILL, proc, loc, st->id, 0, "after 'kill'");
	g_autofree char *ctx = g_strdup_printf("after 'kill %s'", proc);
	return scn_take_sent_signal(p, ctx, &st->proc.sig);
}

/* `{ BODY }` after `on SIGNAME handler [norestart]`: the handler's statements. */
static gboolean on_body(Parser *p, SimStmt *st, const Tok *sig)
{
	if (!is_char(tok(p), '{'))
		return TRUE;
	if (st->proc.action != SIM_SIG_HANDLER)
		return scn_fail_tok(p, tok(p), E_SYNTAX,
				    "unexpected '{' after 'on %s %s': only 'handler' has a body",
				    sig->text, scn_action_names[st->proc.action]);
	return scn_parse_handler_body(p, st);
}

/* on SIGNAME handler [norestart] [{ BODY }] | ignore | default */
static gboolean on_parse(Parser *p, SimStmt *st)
{
	st->proc = proc_defaults;
	const Tok *t = tok(p);
	if (!scn_take_signal(p, "after 'on'", &st->proc.sig))
		return FALSE;
	if (st->proc.sig == SIGKILL || st->proc.sig == SIGSTOP)
		return scn_fail_tok(p, t, E_MISUSE,
				    "%s cannot be caught or ignored: 'on %s' is not allowed",
				    t->text, t->text);
	g_autofree char *ctx = g_strdup_printf("after 'on %s'", t->text);
	int a = scn_take_choice(p, "signal action", ctx, scn_action_names);
	st->proc.action = (SimSigAction)MAX(a, 0);
	if (a < 0)
		return FALSE;
	const Tok *n = tok(p);
	if (!is_word(n, "norestart"))
		return on_body(p, st, t);
	if (st->proc.action != SIM_SIG_HANDLER)
		return scn_fail_tok(
			p, n, E_SYNTAX,
			"unexpected 'norestart' after 'on %s %s': only 'handler' takes it (a "
			"handler without SA_RESTART)",
			t->text, scn_action_names[a]);
	st->proc.norestart = TRUE;
	advance(p);
	return on_body(p, st, t);
}

/* ---- Execution ---- */

/* fork, wait: an event about the child (object); ret the status a wait took. */
static void trace_child(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
			const char *object, int err, const char *why, gint64 ret)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, object, NULL, err, why, -1);
	ev.ret = ret;
	sim_world_emit(w, &ev);
}

static void fork_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTask *child = &w->tasks[st->ep.index];
	if (w->trace)
		trace_child(w, SIM_TR_CALL, t, st, child->name, 0, NULL, 0);
	sim_interp_returned(w, t, st, 0);
	sim_world_fork(w, t, child, st->proc.n_inherit);
}

static void wait_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimTask *child = &w->tasks[st->ep.index];
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (resuming && child->state != SIM_STATE_EXITED && sim_sigbody_restart_first(w, t))
		return; /* a handler's body runs first, then the wait goes on */
	int err = 0;
	gint64 status = 0;
	/* do_wait: a zombie first, then a pending signal (EINTR, or the handler and a
	 * restart with SA_RESTART), then sleep. */
	if (sim_world_unforked(child) || child->reaped)
		err = ECHILD;
	else if (child->state != SIM_STATE_EXITED && t->sig_pending && sim_interp_no_restart(t))
		err = EINTR;
	else if (child->state != SIM_STATE_EXITED && t->sig_pending)
		sim_interp_run_handlers(w, t); /* SA_RESTART: then the wait goes on */
	if (err) {
		/* below */
	} else if (child->state != SIM_STATE_EXITED) {
		const char *why = "child still running";
		sim_interp_blocked(w, st);
		t->wait_child = child->id;
		sim_waitq_sleep(&t->chld_wait, &t->waiter);
		if (w->trace)
			trace_child(w, SIM_TR_CALL, t, st, child->name, 0, why, 0);
		sim_world_block(w, t, -1, child->name, why);
		return;
	} else {
		child->reaped = TRUE;
		status = child->exit_code;
	}
	t->wait_child = -1;
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : status;
	if (w->trace)
		trace_child(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, child->name, err,
			    NULL, status);
	sim_interp_finish(w, t, st, err, status);
}

static void exit_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	sim_interp_returned(w, t, st, 0);
	sim_world_exit_group(w, t, st->proc.status); /* in a thread too: the whole process */
}

/* kill, on: calls about signals, with no object of their own; other: the process that
 * kill names (-1: none). */
static void trace_signal(SimWorld *w, const SimTask *t, const SimStmt *st, int err, int other)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, other);
	sim_world_emit(w, &ev);
}

static void kill_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTask *target = &w->tasks[st->ep.index];
	/* A thread that has ended reaps itself at once (it is not its group's leader): its
	 * tid names nothing any more, even while its process lives on or is a zombie. */
	gboolean thread_gone =
		target->proc->start == SIM_START_THREAD && target->state == SIM_STATE_EXITED;
	if (target->proc->start == SIM_START_THREAD && target->state != SIM_STATE_NEW)
		target = &w->tasks[target->group]; /* kill(2) of a tid signals its process */
	/* A child not forked yet does not exist; an exited child its parent has not waited
	 * for is a zombie: kill succeeds and does nothing. */
	gboolean zombie = target->state == SIM_STATE_EXITED &&
			  target->proc->start == SIM_START_FORK && !target->reaped;
	int err = thread_gone || sim_world_unforked(target) ||
				  (target->state == SIM_STATE_EXITED && !zombie)
			  ? ESRCH
			  : 0;
	if (w->trace)
		trace_signal(w, t, st, err, target->id);
	sim_interp_returned(w, t, st, err);
	if (!err && !zombie)
		sim_world_signal(w, target, st->proc.sig);
}

static void on_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	t->sigact[st->proc.sig] = (guint8)st->proc.action;
	sim_sigbody_install(t, st->proc.sig, st->proc.has_body ? &w->progs[st->proc.body] : NULL);
	guint64 bit = G_GUINT64_CONSTANT(1) << st->proc.sig;
	t->norestart = st->proc.action == SIM_SIG_HANDLER && st->proc.norestart
			       ? t->norestart | bit
			       : t->norestart & ~bit;
	sim_world_share_sigact(w, t); /* one table of actions per process (CLONE_SIGHAND) */
	if (w->trace)
		trace_signal(w, t, st, 0, -1);
	sim_interp_returned(w, t, st, 0);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

/* Does b send a stop signal whose default action stops (kill, or mq_notify's sigevent)? A
 * stop signal is replayed as it is: the cross-check then holds its own workers back by
 * ptrace, which a stop or a continue of the scenario's does not touch (xcheck_stop.c). */
static gboolean block_stops(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		const SimBlock *body = sim_stmt_body(st);
		int sig = st->kind == SIM_STMT_KILL ? st->proc.sig
			  : st->kind == SIM_STMT_MQ_NOTIFY && st->mq.notify == SIM_NOTIFY_SIGNAL
				  ? st->mq.sig
				  : 0;
		if (sig >= 1 && sig <= SIM_SIG_STD_LAST && sim_signal_default(sig) == SIM_SIGDFL_STOP)
			return TRUE;
		if (body && block_stops(body))
			return TRUE;
	}
	return FALSE;
}

gboolean sim_call_sends_stop(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++)
		if (block_stops(&scn->bodies[i]->block))
			return TRUE;
	return FALSE;
}

static gboolean kill_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_KILL;
	r->c->a[0] = xc_task_pid(r->xc, r->st->ep.index);
	r->c->a[1] = r->st->proc.sig;
	return TRUE;
}

static gboolean on_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	r->c->op = SIM_REAL_SIGACTION;
	r->c->a[0] = st->proc.sig;
	r->c->a[1] = st->proc.action == SIM_SIG_DEFAULT	 ? 0
		     : st->proc.action == SIM_SIG_IGNORE ? 1
							 : 2;
	r->c->a[2] = !st->proc.norestart;
	xc_handler_program(r->xc, st, r->data); /* a body's kills, made by the real handler */
	return TRUE;
}

/* The child's worker is its family's: the parent's worker forks into the child's slot. */
static gboolean fork_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_FORK;
	xc_fork_slot(r->xc, r->st->ep.index, &r->c->a[0], &r->c->a[1]);
	return TRUE;
}

static gboolean wait_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_WAIT;
	r->c->a[0] = xc_task_pid(r->xc, r->st->ep.index);
	return TRUE;
}

/* wait: the status, and not the pid (the kernel's pids are not the model's). */
static void wait_model_cell(SimModelCell *mc)
{
	xc_model_ret2(mc, "status", mc->m->ret);
	if (!mc->m->err)
		mc->m->ret = 0;
}

static void wait_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_ret2(kc, "status");
	if (!kc->r->err)
		kc->k->ret = 0;
}

/* fork: the child's pid is not comparable. */
static void fork_model_cell(SimModelCell *mc)
{
	mc->m->ret = 0;
}

static void fork_kernel_cell(SimKernelCell *kc)
{
	kc->k->ret = 0;
}

/* ---- Footprint ---- */

/* fork: starts the child with a copy of the parent's descriptor table. The descriptions
 * are shared, but a fork changes none of them as others see them. */
static void fork_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, FALSE);
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)st->ep.index, TRUE);
}

/* wait: reads the child's state (its exit) and changes the task's own (the child reaped,
 * which kill then sees). on: changes the signal action that a kill on the task reads. */
static void self_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, TRUE);
	if (st->kind == SIM_STMT_WAIT)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, FALSE);
}

/* What the end of task x changes, by exit or by a signal: x itself, its descriptor table
 * and every object behind it (readers see end of file, writers EPIPE), the mailboxes it
 * owns (destroyed), the tasks that start after it, and, when x is blocked, whatever its
 * blocked call waits on (the waiter leaves it; a signal with a handler does the same). */
void sim_call_footprint_end(const SimWorld *w, const SimTask *x, SimFootprint *fp)
{
	/* The end of a task of a threaded process ends them all (exit_group, a fatal signal):
	 * counted as touching everything, which keeps exploration sound. */
	if (w->tasks[x->group].threaded)
		fp->everything = TRUE;
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)x->id, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)x->group, TRUE);
	for (guint fd = 0; fd < x->fdt.n; fd++) {
		const SimFile *f = sim_fdt_get(&x->fdt, fd);
		if (!f)
			continue;
		sim_call_fp_file(fp, f, TRUE);
		if (f->kind == SIM_FILE_MQ)
			sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE); /* an unlinked one freed */
	}
	for (guint i = 0; i < w->n_mboxes; i++)
		if (w->mboxes[i].owner == x->id && !w->mboxes[i].destroyed)
			sim_footprint_add(fp, SIM_OBJ_MBOX, i, TRUE);
	/* Its SEM_UNDO adjustments go back into their sets (exit_sem), and its attachments
	 * are dropped (a segment marked for removal goes with the last one). */
	for (const SimSemUndo *u = x->sem_undo; u; u = u->next)
		if (u->semid >= 0)
			sim_footprint_add(fp, SIM_OBJ_SEM, (guint64)u->semid, TRUE);
	const SimShmMaps *maps = w->shm_maps ? &w->shm_maps[x->id] : NULL;
	if (maps && maps->maps && maps->maps->len) {
		sim_footprint_add(fp, SIM_OBJ_SHM, SIM_OBJ_ALL, TRUE);
		sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, TRUE);
	}
	sim_call_alpc_footprint_end(w, x, fp); /* its ALPC ports die with it */
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *o = &w->tasks[i];
		if (o->state == SIM_STATE_NEW && o->proc->start == SIM_START_AFTER &&
		    o->proc->start_after == x->id)
			sim_footprint_add(fp, SIM_OBJ_TASK, i, TRUE);
	}
	/* Its children that exited are reaped with it (a kill then finds no zombie), and its
	 * parent learns of the end (its wait wakes; whether x is reaped at once depends on the
	 * parent's own state and SIGCHLD action). */
	for (int c = x->first_child; c >= 0; c = w->tasks[c].next_sibling)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)c, TRUE);
	if (x->proc->start == SIM_START_FORK)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)x->proc->parent, TRUE);
	const SimStmt *at = x->state == SIM_STATE_BLOCKED ? x->prog->code[x->pc].stmt : NULL;
	if (!at)
		return;
	SimFootprint in;
	sim_call_footprint(w, x, at, &in);
	if (in.everything)
		fp->everything = TRUE;
	for (guint i = 0; i < in.n; i++)
		sim_footprint_add(fp, in.refs[i].kind, in.refs[i].id, TRUE);
}

static void exit_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)st;
	sim_call_footprint_end(w, t, fp);
}

/* kill: what the signal may do to the target, up to ending it. */
static void kill_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_footprint_end(w, &w->tasks[st->ep.index], fp);
}

#define PROC_ROW(k, word, text, result, json, ...)                                         \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_PROC, .text_call = (text), \
		.text_result = (result), .json_result = (json), __VA_ARGS__                \
	}

const SimCallDesc sim_call_proc_rows[] = {
	PROC_ROW(SIM_STMT_FORK, "fork", child_text, sim_call_text_result, sim_call_json_ret,
		 .exec = fork_exec, .parse = fork_parse, .real_name = "fork", .replay = fork_replay,
		 .model_cell = fork_model_cell, .kernel_cell = fork_kernel_cell,
		 .footprint = fork_footprint),
	PROC_ROW(SIM_STMT_WAIT, "wait", child_text, wait_result, sim_call_json_ret,
		 .exec = wait_exec, .parse = wait_parse, .real_name = "wait", .replay = wait_replay,
		 .model_cell = wait_model_cell, .kernel_cell = wait_kernel_cell,
		 .footprint = self_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_TAKES,
		 .wait_obj = SIM_OBJ_TASK),
	PROC_ROW(SIM_STMT_KILL, "kill", kill_text, sim_call_text_result, sim_call_json_ret,
		 .exec = kill_exec, .parse = kill_parse, .real_name = "kill", .replay = kill_replay,
		 .footprint = kill_footprint),
	PROC_ROW(SIM_STMT_ON, "on", on_text, sim_call_text_result, sim_call_json_ret,
		 .exec = on_exec, .parse = on_parse, .real_name = "sigaction", .replay = on_replay,
		 .footprint = self_footprint),
	/* Traced as an exit event (SIM_TR_EXIT), never as a call. */
	PROC_ROW(SIM_STMT_EXIT, "exit", NULL, NULL, NULL, .exec = exit_exec, .parse = exit_parse,
		 .real_name = NULL /* the worker's own end (on_exited), not a call */,
		 .footprint = exit_footprint),
};
const guint sim_call_proc_n_rows = G_N_ELEMENTS(sim_call_proc_rows);

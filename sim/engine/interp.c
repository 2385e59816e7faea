/* interp.c — compiling process bodies to flat code, and executing one call at a time.
 *
 * The design choice to know: a call that blocks leaves the program counter on its
 * instruction. When the task is woken and runs again, `resuming` is set and the same
 * instruction finishes the call from what the waker left in the task's waiter (the
 * message, or an error such as EIDRM). That is how a kernel system call sleeps and
 * returns, and it keeps every task plain data: no stacks, no threads.
 */
#include "msgsim/engine/interp.h"

#include <string.h>

#include "msgsim/calls/call.h"
#include "msgsim/output/ipcs.h"
#include "engine/interp_int.h"

/* ---- Compilation ---- */

typedef struct {
	GArray *code;	   /* SimInsn */
	GArray *breaks;	   /* indices of BREAK insns waiting for their loop's end */
	guint loop_breaks; /* first entry of `breaks` that belongs to the innermost loop */
} Compiler;

static guint emit(Compiler *c, SimOp op, guint depth, const SimStmt *st)
{
	SimInsn in = { .op = op, .depth = depth, .jump = 0, .stmt = st };
	g_array_append_val(c->code, in);
	return c->code->len - 1;
}

static SimInsn *insn(Compiler *c, guint i)
{
	return &g_array_index(c->code, SimInsn, i);
}

static void compile_block(Compiler *c, const SimBlock *b, guint depth);

static void compile_loop(Compiler *c, const SimStmt *st, guint depth)
{
	guint saved = c->loop_breaks;
	c->loop_breaks = c->breaks->len;
	guint head = 0, start;
	if (st->kind == SIM_STMT_REPEAT) {
		head = emit(c, SIM_OP_REPEAT, depth, st);
		start = c->code->len;
		compile_block(c, &st->body, depth + 1);
		guint next = emit(c, SIM_OP_NEXT, depth, st);
		insn(c, next)->jump = start;
	} else {
		start = c->code->len;
		compile_block(c, &st->body, depth + 1);
		guint j = emit(c, SIM_OP_JUMP, depth, st);
		insn(c, j)->jump = start;
	}
	guint end = c->code->len;
	if (st->kind == SIM_STMT_REPEAT)
		insn(c, head)->jump = end;
	for (guint i = c->loop_breaks; i < c->breaks->len; i++)
		insn(c, g_array_index(c->breaks, guint, i))->jump = end;
	g_array_set_size(c->breaks, c->loop_breaks);
	c->loop_breaks = saved;
}

/* Each statement's row says which instruction it becomes; only control flow is compiled
 * into more than one instruction (loops) or leaves a jump to patch (break). */
static void compile_block(Compiler *c, const SimBlock *b, guint depth)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		SimOp op = sim_call_desc(st->kind)->op;
		if (op == SIM_OP_REPEAT || op == SIM_OP_JUMP) {
			compile_loop(c, st, depth);
		} else if (op == SIM_OP_BREAK) {
			guint at = emit(c, SIM_OP_BREAK, depth, st);
			g_array_append_val(c->breaks, at);
		} else {
			emit(c, op, depth, st);
		}
	}
}

void sim_interp_compile(SimProgram *prog, const SimScnBody *body)
{
	Compiler c = {
		.code = g_array_new(FALSE, TRUE, sizeof(SimInsn)),
		.breaks = g_array_new(FALSE, FALSE, sizeof(guint)),
		.loop_breaks = 0,
	};
	compile_block(&c, &body->block, 0);
	emit(&c, SIM_OP_END, 0, NULL);
	g_assert(c.breaks->len == 0); /* the parser rejects a break outside a loop */
	g_array_unref(c.breaks);
	prog->n_code = c.code->len;
	prog->code = (SimInsn *)(void *)g_array_free(c.code, FALSE);
	prog->max_depth = body->max_depth;
	prog->n_vars = body->n_vars;
	prog->body = body;
}

void sim_interp_program_clear(SimProgram *prog)
{
	g_clear_pointer(&prog->code, g_free);
	prog->n_code = 0;
}

/* ---- Execution helpers ---- */

/* Expands a text template into w->scratch. */
void sim_interp_expand(SimWorld *w, const SimTask *t, const SimText *text)
{
	GString *s = w->scratch;
	g_string_truncate(s, 0);
	/* A text that doubles itself in a loop ("$m$m") must not take the machine's memory
	 * before the guard rail sees it: built here, then copied into a message, it may take
	 * at most half of what the model has left. Only a received message is long enough to
	 * matter; the other parts are names and numbers. */
	guint64 used = sim_world_memory(w);
	gsize room = used < w->max_memory ? (gsize)(w->max_memory - used) / 2 : 0;
	for (guint i = 0; i < text->n_parts; i++) {
		const SimTextPart *p = &text->parts[i];
		const SimVar *v = p->var >= 0 ? &t->vars[p->var] : NULL;
		if (p->kind == SIM_TEXT_VAR && v->msg && s->len + v->msg->len > room) {
			sim_world_halt(w, SIM_RUN_MEMORY_LIMIT, t, w->at, 0,
				       (SimTime)(s->len + v->msg->len));
			break;
		}
		switch (p->kind) {
		case SIM_TEXT_LIT:
			g_string_append(s, p->lit);
			break;
		case SIM_TEXT_VAR:
			if (t->prog->body->vars[p->var].is_int)
				g_string_append_printf(s, "%" G_GINT64_FORMAT, v->num);
			else if (v->msg)
				g_string_append_len(s, v->msg->text, (gssize)v->msg->len);
			break;
		case SIM_TEXT_VAR_FROM:
			if (v->msg && v->msg->from >= 0) /* bytes read from a pipe have no sender */
				g_string_append(s, w->tasks[v->msg->from].name);
			break;
		case SIM_TEXT_SELF:
			g_string_append(s, t->name);
			break;
		case SIM_TEXT_INDEX:
			g_string_append_printf(s, "%u", t->proc->replica);
			break;
		}
	}
}

const char *sim_interp_text(SimWorld *w, const SimTask *t, const SimText *text, gsize *len)
{
	if (text->literal) {
		*len = strlen(text->literal);
		return text->literal;
	}
	*len = 0;
	if (!text->n_parts)
		return NULL;
	sim_interp_expand(w, t, text);
	*len = w->scratch->len;
	return w->scratch->str;
}

static SimMsg *make_msg(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	SimMsg *m = sim_msg_pool_get(&w->pool);
	m->from = t->id;
	m->to = st->to;
	m->type = st->type;
	m->prio = st->prio;
	m->seq = w->msg_seq++;
	if (st->text.literal) {
		/* The common case allocates nothing: the text stays in the scenario. */
		m->text = st->text.literal;
		m->len = strlen(st->text.literal);
	} else {
		sim_interp_expand(w, t, &st->text);
		sim_msg_own_text(&w->pool, m, w->scratch->str, w->scratch->len);
	}
	return m;
}

static SimStmtResult *result_of(SimWorld *w, const SimStmt *st)
{
	return &w->results[st->id];
}

static void hook(SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase phase)
{
	if (w->hook.fn)
		w->hook.fn(w->hook.data, w, t, st, phase);
}

void sim_interp_started(SimWorld *w, const SimStmt *st)
{
	SimStmtResult *r = result_of(w, st);
	r->runs++;
	r->blocked = FALSE;
	r->returned = FALSE;
	if (w->out.text) {
		w->out.got = FALSE;
		g_string_truncate(w->out.text, 0);
	}
	hook(w, w->cur, st, SIM_CALL_STARTED);
}

void sim_interp_blocked(SimWorld *w, const SimStmt *st)
{
	SimStmtResult *r = result_of(w, st);
	r->blocked = TRUE;
	r->blocks++;
	hook(w, w->cur, st, SIM_CALL_BLOCKED);
}

void sim_interp_finish(SimWorld *w, SimTask *t, const SimStmt *st, int err, gint64 ret)
{
	SimStmtResult *r = result_of(w, st);
	r->returned = TRUE;
	r->err = err;
	r->ret = err ? -1 : ret;
	t->last_err = err;
	t->last_ret = r->ret;
	t->pc++;
	hook(w, t, st, SIM_CALL_FINISHED);
}

void sim_interp_returned(SimWorld *w, SimTask *t, const SimStmt *st, int err)
{
	sim_interp_finish(w, t, st, err, 0);
}

/* The name a call's trace line shows: the mailbox, the peer process, or `any`. */
static const char *endpoint_name(const SimWorld *w, const SimTask *t, const SimStmt *st,
				 const SimMbox *mb)
{
	switch (st->ep.kind) {
	case SIM_EP_PROC:
		return w->tasks[st->ep.index].name;
	case SIM_EP_ANY:
		return "any";
	case SIM_EP_VAR:
		return mb ? mb->name : t->prog->body->vars[st->ep.index].name;
	case SIM_EP_MBOX:
	case SIM_EP_SYSVQ: /* not a mailbox call */
	case SIM_EP_IDVAR:
	case SIM_EP_FDVAR:
	case SIM_EP_PQ:
	case SIM_EP_FDNUM:
		break;
	}
	return mb ? mb->name : NULL;
}

/* The part of a call's trace event every object shares; callers add their object's state. */
SimTraceEvent sim_interp_call_event(const SimWorld *w, SimTraceKind kind, const SimTask *t,
				    const SimStmt *st, const char *object, const SimMsg *m, int err,
				    const char *blocked, int other)
{
	SimTraceEvent ev = {
		.kind = kind,
		.task = t->name,
		.other = other >= 0 ? w->tasks[other].name : NULL,
		.object = object,
		.stmt = st,
		.msg = m,
		.msg_from = m && m->from >= 0 ? w->tasks[m->from].name : NULL,
		.err = err,
		.blocked = blocked != NULL,
		.reason = blocked,
		.line = st->loc.line,
	};
	return ev;
}

static void trace_call(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		       const SimMbox *mb, const SimMsg *m, int err, const char *blocked, int other)
{
	gboolean call = st->kind == SIM_STMT_SEND || st->kind == SIM_STMT_RECEIVE;
	SimTraceEvent ev = sim_interp_call_event(
		w, kind, t, st, call ? endpoint_name(w, t, st, mb) : NULL, m, err, blocked, other);
	sim_world_emit(w, &ev);
}

static void trace_deliver(SimWorld *w, const SimMsg *m, int receiver, const SimMbox *mb)
{
	SimTraceEvent ev = {
		.kind = SIM_TR_DELIVER,
		.task = w->tasks[m->from].name,
		.other = w->tasks[receiver].name,
		.object = mb->is_inbox ? NULL : mb->name, /* NULL: a direct link */
		.msg = m,
		.msg_from = w->tasks[m->from].name,
	};
	sim_world_emit(w, &ev);
}

/* The mailbox a send goes to: a declared one, a process's inbox, or a reply target. */
static SimMbox *send_target(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	switch (st->ep.kind) {
	case SIM_EP_MBOX:
		return &w->mboxes[st->ep.index];
	case SIM_EP_PROC:
		return &w->mboxes[w->tasks[st->ep.index].inbox];
	case SIM_EP_VAR: {
		const SimMsg *m = t->vars[st->ep.index].msg;
		return m && m->from >= 0 ? &w->mboxes[w->tasks[m->from].inbox] : NULL;
	}
	case SIM_EP_ANY:
	case SIM_EP_SYSVQ:
	case SIM_EP_IDVAR:
	case SIM_EP_FDVAR:
	case SIM_EP_PQ:
	case SIM_EP_FDNUM:
		break;
	}
	g_assert_not_reached();
	return NULL;
}

static const char *block_reason(const SimMbox *mb, gboolean sending)
{
	if (!sending)
		return mb->is_inbox ? "no message from the wanted sender" : "no message";
	return mb->capacity == 0 ? "waiting for a receiver (rendezvous)" : "mailbox full";
}

/* ---- Calls ---- */

/* A mailbox call that must wait: record it, trace it, and put the task to sleep on mb. */
static void block_on_mbox(SimWorld *w, SimTask *t, const SimStmt *st, const SimMbox *mb,
			  const SimMsg *m)
{
	const char *why = block_reason(mb, st->kind == SIM_STMT_SEND);
	sim_interp_blocked(w, st);
	if (w->trace)
		trace_call(w, SIM_TR_CALL, t, st, mb, m, 0, why, -1);
	SIM_CHECK(sim_mbox_check(mb));
	sim_world_block(w, t, mb->index, mb->name, why);
}

static void finish_send(SimWorld *w, SimTask *t, const SimStmt *st, int err)
{
	if (err == 0)
		t->n_sent++;
	sim_interp_returned(w, t, st, err);
}

static void do_send(SimWorld *w, SimTask *t, const SimStmt *st)
{
	if (t->resuming) {
		t->resuming = FALSE;
		int err = t->waiter.result;
		SimMbox *mb = send_target(w, t, st);
		/* On success the message left with the receiver; on error it is still ours. */
		sim_msg_pool_put(&w->pool, t->waiter.msg);
		t->waiter.msg = NULL;
		if (w->trace)
			trace_call(w, SIM_TR_RETURN, t, st, mb, NULL, err, NULL, -1);
		finish_send(w, t, st, err);
		return;
	}
	sim_interp_started(w, st);
	SimMbox *mb = send_target(w, t, st);
	SimMsg *m = make_msg(w, t, st);
	sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, m->len));
	if (!mb) {
		if (w->trace)
			trace_call(w, SIM_TR_CALL, t, st, NULL, m, EINVAL, NULL, -1);
		sim_msg_pool_put(&w->pool, m);
		sim_interp_returned(w, t, st, EINVAL);
		return;
	}
	int handed = -1;
	t->waiter.prio = t->priority;
	int err = sim_mbox_send(mb, &w->mctx, &t->waiter, m, st->nowait, &handed);
	if (err == SIM_BLOCKED) {
		block_on_mbox(w, t, st, mb, m);
		return;
	}
	if (w->trace) {
		trace_call(w, SIM_TR_CALL, t, st, mb, m, err, NULL, handed);
		if (handed >= 0)
			trace_deliver(w, m, handed, mb);
	}
	if (err != 0)
		sim_msg_pool_put(&w->pool, m);
	finish_send(w, t, st, err);
	SIM_CHECK(sim_mbox_check(mb));
	sim_world_wake_all(w, t, mb);
}

/* Keeps a received message: in the -> variable, in the expectation log, or back to the pool. */
void sim_interp_keep_received(SimWorld *w, SimTask *t, const SimStmt *st, SimMsg *m)
{
	t->n_received++;
	if (w->out.text) {
		w->out.got = TRUE;
		g_string_assign(w->out.text, "");
		g_string_append_len(w->out.text, m->text, (gssize)m->len);
		w->out.size = m->size;
		w->out.type = m->type;
		w->out.prio = m->prio;
	}
	if (t->received) {
		SimRecv r = { g_strndup(m->text, m->len), m->type, m->from };
		g_array_append_val(t->received, r);
		w->mem += sizeof(SimRecv) + m->len + 1;
	}
	if (w->scn->cost_byte)
		sim_world_charge(w, sim_interp_cost(w, 0, m->len));
	if (st->var >= 0) {
		SimVar *v = &t->vars[st->var];
		sim_msg_pool_put(&w->pool, v->msg);
		v->msg = m;
	} else {
		sim_msg_pool_put(&w->pool, m);
	}
}

static SimMbox *receive_source(SimWorld *w, const SimTask *t, const SimStmt *st, int *from)
{
	*from = -1;
	switch (st->ep.kind) {
	case SIM_EP_MBOX:
		return &w->mboxes[st->ep.index];
	case SIM_EP_PROC:
		*from = st->ep.index;
		return &w->mboxes[t->inbox];
	case SIM_EP_ANY:
		return &w->mboxes[t->inbox];
	case SIM_EP_VAR:
	case SIM_EP_SYSVQ:
	case SIM_EP_IDVAR:
	case SIM_EP_FDVAR:
	case SIM_EP_PQ:
	case SIM_EP_FDNUM:
		break;
	}
	g_assert_not_reached();
	return NULL;
}

static void do_receive(SimWorld *w, SimTask *t, const SimStmt *st)
{
	int from;
	SimMbox *mb = receive_source(w, t, st, &from);
	if (t->resuming) {
		t->resuming = FALSE;
		int err = t->waiter.result;
		SimMsg *m = t->waiter.msg;
		t->waiter.msg = NULL;
		if (w->trace)
			trace_call(w, SIM_TR_RETURN, t, st, mb, m, err, NULL, m ? m->from : -1);
		if (m)
			sim_interp_keep_received(w, t, st, m);
		sim_interp_returned(w, t, st, err);
		return;
	}
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimMsg *m = NULL;
	t->waiter.prio = t->priority;
	int err = sim_mbox_receive(mb, &w->mctx, &t->waiter, from, st->nowait, &m);
	if (err == SIM_BLOCKED) {
		block_on_mbox(w, t, st, mb, NULL);
		return;
	}
	if (w->trace) {
		trace_call(w, SIM_TR_CALL, t, st, mb, m, err, NULL, m ? m->from : -1);
		if (m)
			trace_deliver(w, m, t->id, mb);
	}
	if (m)
		sim_interp_keep_received(w, t, st, m);
	sim_interp_returned(w, t, st, err);
	SIM_CHECK(sim_mbox_check(mb));
	sim_world_wake_all(w, t, mb);
}

/* ---- System V calls ---- */

/* The id a SysV call names: a declared queue's, or an integer variable's value. */
int sim_interp_queue_id(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->ep.kind == SIM_EP_SYSVQ)
		return w->sysvq_ids[st->ep.index];
	gint64 v = t->vars[st->ep.index].num;
	return v < 0 || v > G_MAXINT ? -1 : (int)v;
}

/* The name the trace shows for the queue operand: the scenario's word for it. */
static const char *queue_word(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->ep.kind == SIM_EP_SYSVQ)
		return w->scn->sysvqs[st->ep.index].name;
	return t->prog->body->vars[st->ep.index].name;
}

static SimMsgqCtx msgq_ctx(SimWorld *w, const SimTask *t)
{
	SimMsgqCtx c = { .wake = &w->wake,
			 .pool = &w->pool,
			 .now = sim_world_now(w),
			 .task = t->id,
			 .cred = &t->cred,
			 .ns = &w->ipcns,
			 .signal_pending = t->sig_pending != 0 };
	return c;
}

static void trace_sysv(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		       const SimMsgq *q, const SimMsg *m, int err, const char *blocked, int other,
		       gint64 ret)
{
	SimTraceEvent ev = sim_interp_call_event(
		w, kind, t, st, st->kind == SIM_STMT_MSGGET ? NULL : queue_word(w, t, st), m, err,
		blocked, other);
	ev.msgq = q;
	ev.ret = ret;
	if (st->kind == SIM_STMT_MSGGET)
		ev.value = sim_world_key(w, &st->key);
	if (q && st->kind == SIM_STMT_MSGCTL && st->ctl == SIM_CTL_STAT && !err) {
		ev.lspid = q->lspid >= 0 ? w->tasks[q->lspid].name : NULL;
		ev.lrpid = q->lrpid >= 0 ? w->tasks[q->lrpid].name : NULL;
	}
	sim_world_emit(w, &ev);
}

/* After an operation that may have run the sender wake-up scan: say who races. */
static void trace_race(SimWorld *w, const SimMsgqCtx *c, const SimMsgq *q, const char *word)
{
	if (!w->trace || c->n_woken_senders < 2)
		return;
	const char *names[64];
	guint n = 0;
	for (SimWaiter *x = w->wake.first; x && n < G_N_ELEMENTS(names); x = x->wake_next)
		if (x->queue == &q->senders)
			names[n++] = w->tasks[x->task].name;
	SimTraceEvent ev = { .kind = SIM_TR_RACE, .object = word, .names = names, .n_names = n };
	sim_world_emit(w, &ev);
}

static void do_msgget(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int id = -1;
	SimMsgqCtx c = msgq_ctx(w, t);
	guint made = w->msgqs->len; /* queues are kept after IPC_RMID, for the report */
	int err = sim_msgq_get(&w->ipcns, w->msgqs, sim_world_key(w, &st->key), st->flags,
			       (guint)st->perm, &t->cred, c.now, &id);
	w->mem += (w->msgqs->len - made) * sizeof(SimMsgq);
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : id; /* what the C call returns */
	if (w->trace)
		trace_sysv(w, SIM_TR_CALL, t, st, err ? NULL : sim_msgq_lookup(&w->ipcns, id), NULL,
			   err, NULL, -1, err ? -1 : id);
	sim_interp_finish(w, t, st, err, id);
}

static void finish_sysv(SimWorld *w, SimTask *t, const SimStmt *st, SimMsgqCtx *c, const SimMsgq *q,
			int err, gint64 ret)
{
	SIM_CHECK(!q || sim_msgq_check(q));
	sim_interp_finish(w, t, st, err, ret);
	trace_race(w, c, q, queue_word(w, t, st));
	t->wait_msgq = NULL;
	sim_world_wake_all(w, t, NULL);
}

static void do_msgsnd(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimMsgqCtx c = msgq_ctx(w, t);
	SimMsgq *q = t->wait_msgq;
	SimMsg *m = t->waiter.msg;
	int err, handed = -1;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = sim_msgq_send(q, &c, &t->waiter, m, st->flags, TRUE, &handed);
	} else {
		sim_interp_started(w, st);
		m = make_msg(w, t, st);
		m->size = st->size >= 0 ? (gsize)st->size : m->len;
		sim_msg_cut(&w->pool, m, m->size); /* the bytes copied are msgsz, text included */
		sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, m->size));
		c.now = sim_world_now(w);
		int id = sim_interp_queue_id(w, t, st);
		q = NULL;
		if ((gint64)m->size > w->ipcns.limits.msgmax || id < 0 || st->type < 1)
			err = EINVAL; /* do_msgsnd: size and id, then type, before the lookup */
		else if (!(q = sim_msgq_lookup(&w->ipcns, id)))
			err = EINVAL;
		else
			err = sim_msgq_send(q, &c, &t->waiter, m, st->flags, FALSE, &handed);
	}
	if (err == SIM_BLOCKED) {
		const char *why = resuming ? "queue full again: back to the tail of the senders"
					   : "queue full";
		sim_interp_blocked(w, st);
		t->wait_msgq = q;
		if (w->trace)
			trace_sysv(w, SIM_TR_CALL, t, st, q, m, 0, why, -1, 0);
		SIM_CHECK(sim_msgq_check(q));
		sim_world_block(w, t, -1, queue_word(w, t, st), why);
		return;
	}
	if (w->trace)
		trace_sysv(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, q, m, err, NULL,
			   handed, err ? -1 : 0);
	if (err) {
		sim_msg_pool_put(&w->pool, m);
	} else {
		t->n_sent++;
		if (w->trace && handed >= 0) {
			SimTraceEvent ev = { .kind = SIM_TR_DELIVER,
					     .task = t->name,
					     .other = w->tasks[handed].name,
					     .object = queue_word(w, t, st),
					     .msg = m,
					     .msg_from = t->name };
			sim_world_emit(w, &ev);
		}
	}
	t->waiter.msg = NULL;
	finish_sysv(w, t, st, &c, q, err, 0);
}

static void do_msgrcv(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimMsgqCtx c = msgq_ctx(w, t);
	gint64 size = st->size >= 0 ? st->size : w->ipcns.limits.msgmax;
	SimMsgqFilter f = { st->type, st->flags, size };
	SimMsgq *q = t->wait_msgq;
	SimMsg *m = NULL;
	int err;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = sim_msgq_receive(q, &c, &t->waiter, &f, TRUE, &m);
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		c.now = sim_world_now(w);
		int id = sim_interp_queue_id(w, t, st);
		q = id < 0 ? NULL : sim_msgq_lookup(&w->ipcns, id);
		err = q ? sim_msgq_receive(q, &c, &t->waiter, &f, FALSE, &m) : EINVAL;
	}
	if (err == SIM_BLOCKED) {
		const char *why = "no message of the wanted type";
		sim_interp_blocked(w, st);
		t->wait_msgq = q;
		if (w->trace)
			trace_sysv(w, SIM_TR_CALL, t, st, q, NULL, 0, why, -1, 0);
		SIM_CHECK(sim_msgq_check(q));
		sim_world_block(w, t, -1, queue_word(w, t, st), why);
		return;
	}
	gint64 got = -1;
	if (m) {
		/* MSG_NOERROR cuts the message to the buffer; the rest is lost. */
		got = MIN((gint64)m->size, size);
		sim_msg_cut(&w->pool, m, (gsize)got);
	}
	if (w->trace)
		trace_sysv(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, q, m, err, NULL,
			   m ? m->from : -1, got);
	if (m)
		sim_interp_keep_received(w, t, st, m);
	finish_sysv(w, t, st, &c, q, err, got); /* msgrcv gives the bytes copied */
}

/* IPC_INFO / MSG_INFO: the struct msginfo the call fills, for the trace. MSG_INFO counts
 * the namespace's queues, messages and bytes; IPC_INFO gives the limits. */
static void trace_info(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 ret)
{
	SimTraceEvent ev = { .kind = SIM_TR_CALL,
			     .task = t->name,
			     .object = queue_word(w, t, st),
			     .stmt = st,
			     .line = st->loc.line,
			     .ret = ret,
			     .counts = { w->ipcns.in_use, 0, 0, w->ipcns.limits.msgmax,
					 w->ipcns.limits.msgmnb, w->ipcns.limits.msgmni } };
	for (guint i = 0; i < w->ipcns.n_slots; i++) {
		const SimMsgq *q = w->ipcns.slots[i];
		if (q) {
			ev.counts[1] += (gint64)q->qnum;
			ev.counts[2] += (gint64)q->cbytes;
		}
	}
	sim_world_emit(w, &ev);
}

static void do_msgctl(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimMsgqCtx c = msgq_ctx(w, t);
	int id = sim_interp_queue_id(w, t, st);
	SimMsgq *q = id < 0 ? NULL : sim_msgq_lookup(&w->ipcns, id);
	int err = 0;
	gint64 ret = 0;
	if (id < 0) {
		err = EINVAL;
	} else if (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO) {
		ret = MAX(w->ipcns.max_idx_used, 0); /* the highest index in use */
	} else if (!q) {
		err = EINVAL;
	} else if (st->ctl == SIM_CTL_STAT) {
		if (sim_ipcns_denied(&q->perm, &t->cred, 0444))
			err = EACCES;
	} else if (!sim_ipcns_may_control(&q->perm, &t->cred)) {
		err = EPERM;
	} else if (st->ctl == SIM_CTL_SET) {
		guint64 qbytes = st->qbytes >= 0 ? (guint64)st->qbytes : q->qbytes;
		if (qbytes > (guint64)w->ipcns.limits.msgmnb &&
		    !(t->cred.caps & SIM_CAP_SYS_RESOURCE))
			err = EPERM;
		else
			sim_msgq_set(q, &c, qbytes, st->set_uid, st->set_gid, st->perm);
	} else {
		ret = sim_msgq_remove(q, &c);
		sim_ipcns_free(&w->ipcns, id);
	}
	if (w->trace && !err && (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO))
		trace_info(w, t, st, ret);
	else if (w->trace)
		trace_sysv(w, SIM_TR_CALL, t, st, q, NULL, err, NULL, -1, ret);
	/* IPC_RMID returns 0; the waiters it failed were only for the trace. */
	finish_sysv(w, t, st, &c, q, err, st->ctl == SIM_CTL_RMID ? 0 : ret);
}

static void do_kill(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTask *target = &w->tasks[st->ep.index];
	/* A child not forked yet does not exist; an exited child its parent has not waited
	 * for is a zombie: kill succeeds and does nothing. */
	gboolean zombie = target->state == SIM_STATE_EXITED &&
			  target->proc->start == SIM_START_FORK && !target->reaped;
	int err = sim_world_unforked(target) || (target->state == SIM_STATE_EXITED && !zombie)
			  ? ESRCH
			  : 0;
	if (w->trace)
		trace_call(w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, target->id);
	sim_interp_returned(w, t, st, err);
	if (!err && !zombie)
		sim_world_signal(w, target, st->sig);
}

static void do_on(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	t->sigact[st->sig] = (guint8)st->action;
	t->norestart[st->sig] = st->action == SIM_SIG_HANDLER && st->norestart;
	if (w->trace)
		trace_call(w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
	sim_interp_returned(w, t, st, 0);
}

static void do_ipcs(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	if (w->trace) {
		g_autoptr(GString) table = g_string_new(NULL);
		sim_ipcs_format(table, w, st->view);
		SimTraceEvent ev = { .kind = SIM_TR_IPCS,
				     .task = t->name,
				     .text = table->str,
				     .line = st->loc.line };
		sim_world_emit(w, &ev);
	}
	sim_interp_returned(w, t, st, 0);
}

/* ---- POSIX message queues ---- */

/* The descriptor a POSIX call names: a variable's value, or the one the run opened for a
 * declared queue (declared queues get 3, 4, ... in declaration order in every process). */
gint64 sim_interp_fd(const SimTask *t, const SimStmt *st)
{
	switch (st->ep.kind) {
	case SIM_EP_PQ:
		return SIM_FD_FIRST + st->ep.index;
	case SIM_EP_FDNUM:
		return st->ep.index;
	case SIM_EP_FDVAR: {
		const SimVar *v = &t->vars[st->ep.index];
		return st->ep.fd_end == SIM_FD_WRITE ? v->num2 : v->num;
	}
	case SIM_EP_MBOX:
	case SIM_EP_PROC:
	case SIM_EP_ANY:
	case SIM_EP_VAR:
	case SIM_EP_SYSVQ:
	case SIM_EP_IDVAR:
		break;
	}
	g_assert_not_reached();
	return -1;
}

const char *sim_interp_fd_word(const SimWorld *w, const SimTask *t, const SimStmt *st, char *buf,
			       gsize size)
{
	static const char *const ends[] = {
		[SIM_FD_PLAIN] = "", [SIM_FD_READ] = ".r", [SIM_FD_WRITE] = ".w"
	};
	if (st->ep.kind == SIM_EP_PQ)
		return w->scn->posixqs[st->ep.index].name;
	if (st->ep.kind == SIM_EP_FDNUM)
		g_snprintf(buf, size, "%d", st->ep.index);
	else
		g_snprintf(buf, size, "%s%s", t->prog->body->vars[st->ep.index].name,
			   ends[st->ep.fd_end]);
	return buf;
}

static gint64 mq_fd(const SimTask *t, const SimStmt *st)
{
	return sim_interp_fd(t, st);
}

static const char *mq_word(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return sim_interp_fd_word(w, t, st, w->word, sizeof(w->word));
}

/* The queue name mq_open/mq_unlink use: the literal, or the template expanded (scratch). */
static const char *mq_name(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->text.literal)
		return st->text.literal;
	sim_interp_expand(w, t, &st->text);
	return w->scratch->str;
}

/* The open queue behind fd if it allows `access` (SIM_O_WRONLY / SIM_O_RDONLY), else NULL. */
static SimFile *mq_file(const SimTask *t, gint64 fd, guint access)
{
	SimFile *f = sim_fdt_get(&t->fdt, fd);
	if (!f || f->kind != SIM_FILE_MQ)
		return NULL;
	if (access == SIM_O_WRONLY && !(f->flags & (SIM_O_WRONLY | SIM_O_RDWR)))
		return NULL;
	if (access == SIM_O_RDONLY && !(f->flags & (SIM_O_RDONLY | SIM_O_RDWR)))
		return NULL;
	return f;
}

static SimTime deadline_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	switch (st->timeout) {
	case SIM_TIMEOUT_RELATIVE:
		return sim_world_later(w, t, st, st->timeout_at);
	case SIM_TIMEOUT_ABSOLUTE:
		return st->timeout_at;
	case SIM_TIMEOUT_NONE:
	case SIM_TIMEOUT_INVALID:
		break;
	}
	return SIM_TIME_MAX;
}

static void trace_mq(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		     const SimMqueue *q, const SimMsg *m, int err, const char *blocked, int other,
		     gint64 ret)
{
	gboolean named = st->kind == SIM_STMT_MQ_OPEN || st->kind == SIM_STMT_MQ_UNLINK;
	SimTraceEvent ev =
		sim_interp_call_event(w, kind, t, st, named ? mq_name(w, t, st) : mq_word(w, t, st),
				      m, err, blocked, other);
	ev.mq = q;
	ev.ret = ret;
	if (q && q->notify_task >= 0)
		ev.lspid = w->tasks[q->notify_task].name; /* the NOTIFY_PID, for getattr */
	sim_world_emit(w, &ev);
}

/* A notification fired: the owner gets its signal, from the sender. */
static void notify(SimWorld *w, const SimMqueueCtx *c)
{
	if (c->notify_task >= 0 && c->notify_sig > 0)
		sim_world_signal(w, &w->tasks[c->notify_task], c->notify_sig);
}

/* Does a pending caught signal forbid restarting (a `handler norestart`)? */
gboolean sim_interp_no_restart(const SimTask *t)
{
	for (int sig = 1; sig < 64; sig++)
		if ((t->sig_pending & (G_GUINT64_CONSTANT(1) << sig)) && t->norestart[sig])
			return TRUE;
	return FALSE;
}

static void do_mq_open(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimMqueue *q = NULL;
	int fd = -1;
	g_autofree char *name = g_strdup(mq_name(w, t, st)); /* scratch is reused below */
	int err = sim_mqueue_check_name(name);
	if (!err && (fd = sim_fdt_alloc(&t->fdt, 0)) < 0)
		err = EMFILE; /* RLIMIT_NOFILE */
	if (!err) {
		guint made = w->mqueues->len; /* queues are kept after mq_unlink, for the report */
		err = sim_mqueue_open(&w->ipcns, w->mqueues, name, st->flags, (guint)st->perm,
				      st->maxmsg, st->msgsize, &t->cred, t->proc->rlimit_msgqueue,
				      &q);
		if (w->mqueues->len > made)
			w->mem += sizeof(SimMqueue) + strlen(name) + 1;
	}
	if (!err) {
		guint keep = SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR | SIM_O_NONBLOCK;
		SimFile *f = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_MQ,
							      .mq = q,
							      .flags = st->flags & keep,
							      .refs = 1 });
		sim_world_fd_install(w, t, fd, f);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		trace_mq(w, SIM_TR_CALL, t, st, q, NULL, err, NULL, -1, err ? -1 : fd);
	sim_interp_finish(w, t, st, err, fd);
}

/* mq_timedsend/mq_timedreceive, from the checks to the queue; also the restart. */
static int mq_call(SimWorld *w, SimTask *t, const SimStmt *st, SimMqueueCtx *c, SimMsg *m,
		   SimMsg **out, SimMqueue **qp)
{
	gboolean sending = st->kind == SIM_STMT_MQ_SEND;
	if (st->timeout == SIM_TIMEOUT_INVALID)
		return EINVAL; /* validated first, even when the call could complete */
	if (sending && m->prio >= SIM_MQ_PRIO_MAX)
		return EINVAL;
	SimFile *f = mq_file(t, mq_fd(t, st), sending ? SIM_O_WRONLY : SIM_O_RDONLY);
	if (!f)
		return EBADF;
	SimMqueue *q = *qp = f->mq;
	if (sending && (gint64)m->size > q->msgsize)
		return EMSGSIZE;
	if (!sending && st->size >= 0 && st->size < q->msgsize)
		return EMSGSIZE; /* the buffer must hold the largest message */
	c->expired = t->deadline <= sim_world_now(w);
	t->waiter.prio = t->priority;
	gboolean nonblock = (f->flags & SIM_O_NONBLOCK) != 0;
	return sending ? sim_mqueue_send(q, c, &t->waiter, m, nonblock)
		       : sim_mqueue_receive(q, c, &t->waiter, nonblock, out);
}

static void do_mq_io(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean sending = st->kind == SIM_STMT_MQ_SEND;
	SimMqueueCtx c = { .wake = &w->wake, .task = t->id, .notify_task = -1, .handed_to = -1 };
	SimMqueue *q = t->wait_mq;
	SimMsg *m = sending ? t->waiter.msg : NULL, *got = NULL, *shown = m;
	int err;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = t->waiter.result;
		got = sending ? NULL : t->waiter.msg;
		t->waiter.msg = sending ? m : NULL;
		if (err == EINTR && !sim_interp_no_restart(t)) {
			/* SA_RESTART: the handler runs, and the call starts over, re-joining the
			 * wait list behind waiters of its own priority. */
			sim_interp_run_handlers(w, t);
			err = mq_call(w, t, st, &c, m, &got, &q);
		} else if (err == 0 && sending) {
			m = NULL; /* the slot was ours: the message is in the queue */
		}
	} else {
		sim_interp_started(w, st);
		if (sending) {
			m = make_msg(w, t, st);
			m->size = st->size >= 0 ? (gsize)st->size : m->len;
			sim_msg_cut(&w->pool, m, m->size);
			m->type = m->prio; /* what the expectations' numbers mean for POSIX */
			shown = m;
		}
		sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, sending ? m->size : 0));
		t->deadline = deadline_of(w, t, st);
		err = mq_call(w, t, st, &c, m, &got, &q);
		if (sending && err == 0)
			m = NULL;
	}
	if (err == SIM_BLOCKED) {
		const char *why = sending ? "queue full" : "queue empty";
		sim_interp_blocked(w, st);
		t->wait_mq = q;
		if (w->trace)
			trace_mq(w, SIM_TR_CALL, t, st, q, shown, 0, why, -1, 0);
		SIM_CHECK(sim_mqueue_check(q));
		sim_world_block(w, t, -1, mq_word(w, t, st), why);
		if (t->deadline != SIM_TIME_MAX)
			sim_world_timeout(w, t, t->deadline);
		return;
	}
	t->wait_mq = NULL;
	t->deadline = SIM_TIME_MAX;
	if (w->trace)
		trace_mq(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, q, sending ? shown : got,
			 err, NULL, got ? got->from : (sending && !err ? c.handed_to : -1),
			 got ? (gint64)got->size : -1);
	if (sending) {
		if (err)
			sim_msg_pool_put(&w->pool, m);
		else
			t->n_sent++;
		t->waiter.msg = NULL;
	}
	gint64 ret = got ? (gint64)got->size : 0; /* mq_receive gives the message's length */
	if (got)
		sim_interp_keep_received(w, t, st, got);
	sim_interp_finish(w, t, st, err, ret);
	SIM_CHECK(!q || sim_mqueue_check(q));
	notify(w, &c);
	sim_world_wake_all(w, t, NULL);
}

static void do_mq_misc(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = st->kind == SIM_STMT_MQ_UNLINK ? NULL : mq_file(t, mq_fd(t, st), 0);
	SimMqueue *q = f ? f->mq : NULL;
	gint64 flags = f && (f->flags & SIM_O_NONBLOCK) ? 0x800 : 0; /* before mq_close frees f */
	int err = 0;
	switch (st->kind) {
	case SIM_STMT_MQ_GETATTR:
		err = f ? 0 : EBADF;
		break;
	case SIM_STMT_MQ_SETATTR:
		if (f)
			f->flags =
				(f->flags & ~(guint)SIM_O_NONBLOCK) | (st->flags & SIM_O_NONBLOCK);
		else
			err = EBADF;
		break;
	case SIM_STMT_MQ_NOTIFY:
		err = f ? sim_mqueue_notify(q, t->id, st->notify, st->sig) : EBADF;
		break;
	case SIM_STMT_MQ_CLOSE:
		err = sim_world_fd_close(w, t, mq_fd(t, st));
		break;
	case SIM_STMT_MQ_UNLINK:
		err = sim_mqueue_unlink(&w->ipcns, mq_name(w, t, st), &t->cred);
		break;
	default:
		g_assert_not_reached();
	}
	if (w->trace)
		trace_mq(w, SIM_TR_CALL, t, st, q, NULL, err, NULL, -1, flags);
	sim_interp_returned(w, t, st, err);
}

/* Handlers run when the task returns to user space: after a call, before the next. */
void sim_interp_run_handlers(SimWorld *w, SimTask *t)
{
	for (int sig = 1; sig < 64; sig++) {
		if (!(t->sig_pending & (G_GUINT64_CONSTANT(1) << sig)))
			continue;
		if (w->trace) {
			SimTraceEvent ev = { .kind = SIM_TR_SIGNAL,
					     .task = t->name,
					     .reason = "handler runs",
					     .text = sim_scn_signal_name(sig),
					     .value = sig };
			sim_world_emit(w, &ev);
		}
	}
	t->sig_pending = 0;
}

static void do_simple(SimWorld *w, SimTask *t, const SimInsn *in)
{
	const SimStmt *st = in->stmt;
	sim_interp_started(w, st);
	switch (in->op) {
	case SIM_OP_COMPUTE:
		/* Not a system call: it burns CPU in slices the engine can preempt. */
		if (w->trace)
			trace_call(w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
		t->compute_left = st->duration;
		sim_interp_returned(w, t, st, 0);
		break;
	case SIM_OP_SLEEP:
		sim_world_charge(w, w->scn->cost_syscall);
		if (w->trace)
			trace_call(w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
		sim_interp_returned(w, t, st, 0);
		sim_world_sleep(w, t, st->duration);
		break;
	case SIM_OP_PRINT:
		sim_world_charge(w, w->scn->cost_syscall);
		if (w->trace) {
			const char *text = st->text.literal;
			if (!text) {
				sim_interp_expand(w, t, &st->text);
				text = w->scratch->str;
			}
			SimTraceEvent ev = { .kind = SIM_TR_PRINT,
					     .task = t->name,
					     .text = text,
					     .line = st->loc.line };
			sim_world_emit(w, &ev);
		}
		sim_interp_returned(w, t, st, 0);
		break;
	case SIM_OP_EXIT:
		sim_world_charge(w, w->scn->cost_syscall);
		sim_interp_returned(w, t, st, 0);
		sim_world_exit(w, t, st->count);
		break;
	default:
		g_assert_not_reached();
	}
}

void sim_interp_abandon(SimWorld *w, SimTask *t)
{
	if (t->wait_pipe)
		sim_interp_file_abandon(w, t); /* read, write, FIFO open */
}

void sim_interp_step(SimWorld *w, SimTask *t)
{
	if (t->sig_pending && !t->resuming)
		sim_interp_run_handlers(w, t);
	for (;;) {
		const SimInsn *in = &t->prog->code[t->pc];
		w->steps++;
		w->at = in->stmt;
		switch (in->op) {
		case SIM_OP_MSGGET:
			do_msgget(w, t, in->stmt);
			return;
		case SIM_OP_MSGSND:
			do_msgsnd(w, t, in->stmt);
			return;
		case SIM_OP_MSGRCV:
			do_msgrcv(w, t, in->stmt);
			return;
		case SIM_OP_MSGCTL:
			do_msgctl(w, t, in->stmt);
			return;
		case SIM_OP_KILL:
			do_kill(w, t, in->stmt);
			return;
		case SIM_OP_ON:
			do_on(w, t, in->stmt);
			return;
		case SIM_OP_IPCS:
			do_ipcs(w, t, in->stmt);
			return;
		case SIM_OP_MQ_OPEN:
			do_mq_open(w, t, in->stmt);
			return;
		case SIM_OP_MQ_IO:
			do_mq_io(w, t, in->stmt);
			return;
		case SIM_OP_MQ_MISC:
			do_mq_misc(w, t, in->stmt);
			return;
		case SIM_OP_FILE:
			sim_interp_file_call(w, t, in->stmt);
			return;
		case SIM_OP_FORK:
			sim_interp_fork(w, t, in->stmt);
			return;
		case SIM_OP_WAIT:
			sim_interp_wait(w, t, in->stmt);
			return;
		case SIM_OP_SEND:
			do_send(w, t, in->stmt);
			return;
		case SIM_OP_RECEIVE:
			do_receive(w, t, in->stmt);
			return;
		case SIM_OP_COMPUTE:
		case SIM_OP_SLEEP:
		case SIM_OP_PRINT:
		case SIM_OP_EXIT:
			do_simple(w, t, in);
			return;
		case SIM_OP_END:
			sim_world_exit(w, t, 0);
			return;
		case SIM_OP_REPEAT:
			t->counters[in->depth] = 0;
			if (in->stmt->var >= 0)
				t->vars[in->stmt->var].num = 0;
			t->pc = in->stmt->count > 0 ? t->pc + 1 : in->jump;
			break;
		case SIM_OP_NEXT:
			if (++t->counters[in->depth] < in->stmt->count) {
				if (in->stmt->var >= 0)
					t->vars[in->stmt->var].num = t->counters[in->depth];
				t->pc = in->jump;
			} else {
				t->pc++;
			}
			break;
		case SIM_OP_JUMP:
			t->pc = in->jump;
			break;
		case SIM_OP_BREAK: {
			const SimStmt *st = in->stmt;
			gboolean take = st->uncond || t->last_err == st->break_err ||
					(st->break_err == SIM_BREAK_EOF && t->last_err == 0 &&
					 t->last_ret == 0);
			t->pc = take ? in->jump : t->pc + 1;
			break;
		}
		}
		/* A loop with no call in it must still meet the step limit. */
		if (w->steps >= w->max_steps)
			return;
	}
}

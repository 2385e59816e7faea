/* interp.c — compiling process bodies to flat code, and the protocol every call follows.
 *
 * The design choice to know: a call that blocks leaves the program counter on its
 * instruction. When the task is woken and runs again, `resuming` is set and the same
 * instruction finishes the call from what the waker left in the task's waiter (the
 * message, or an error such as EIDRM). That is how a kernel system call sleeps and
 * returns, and it keeps every task plain data: no stacks, no threads.
 *
 * The calls themselves live with their families (sim/calls/call_*.c): each row of the call
 * table has an `exec`, the compiler copies it into the statement's CALL instruction, and a
 * step runs it with one indirect call. What stays here is what every call shares: the
 * call protocol, message texts and variables, operands, and signal handlers.
 */
#include "msgsim/engine/interp.h"

#include <string.h>

#include "msgsim/calls/call.h"
#include "engine/interp_int.h"

/* ---- Compilation ---- */

typedef struct {
	GArray *code;	   /* SimInsn */
	GArray *breaks;	   /* indices of BREAK insns waiting for their loop's end */
	guint loop_breaks; /* first entry of `breaks` that belongs to the innermost loop */
} Compiler;

static guint emit(Compiler *c, SimOp op, guint depth, const SimStmt *st)
{
	SimInsn in = { .op = op, .depth = depth, .jump = 0, .stmt = st, .exec = NULL };
	g_array_append_val(c->code, in);
	return c->code->len - 1;
}

static SimInsn *insn(Compiler *c, guint i)
{
	return &g_array_index(c->code, SimInsn, i);
}

static void compile_block(Compiler *c, const SimBlock *b, guint depth);

/* A loop whose row's op is `op`: REPEAT counts its iterations, JUMP (loop) does not. */
static void compile_loop(Compiler *c, const SimStmt *st, SimOp op, guint depth)
{
	guint saved = c->loop_breaks;
	c->loop_breaks = c->breaks->len;
	guint head = 0, start;
	if (op == SIM_OP_REPEAT) {
		head = emit(c, SIM_OP_REPEAT, depth, st);
		start = c->code->len;
		compile_block(c, &SIM_STMT_ARGS(st, SIM_CALL_CONTROL, ctl).body, depth + 1);
		guint next = emit(c, SIM_OP_NEXT, depth, st);
		insn(c, next)->jump = start;
	} else {
		start = c->code->len;
		compile_block(c, &SIM_STMT_ARGS(st, SIM_CALL_CONTROL, ctl).body, depth + 1);
		guint j = emit(c, SIM_OP_JUMP, depth, st);
		insn(c, j)->jump = start;
	}
	guint end = c->code->len;
	if (op == SIM_OP_REPEAT)
		insn(c, head)->jump = end;
	for (guint i = c->loop_breaks; i < c->breaks->len; i++)
		insn(c, g_array_index(c->breaks, guint, i))->jump = end;
	g_array_set_size(c->breaks, c->loop_breaks);
	c->loop_breaks = saved;
}

/* if: IF jumps to the else block (or past the if) when the condition is 0; the first block
 * ends with a JUMP past the else block. Both blocks are at the if's depth, so a break in
 * them leaves the loop around the if. */
static void compile_if(Compiler *c, const SimStmt *st, guint depth)
{
	const SimBlock *body = &SIM_STMT_ARGS(st, SIM_CALL_CONTROL, ctl).body;
	guint n_then = 0;
	while (n_then < body->n_stmts && body->stmts[n_then].kind != SIM_STMT_ELSE)
		n_then++;
	guint test = emit(c, SIM_OP_IF, depth, st);
	compile_block(c, &(SimBlock){ body->stmts, n_then }, depth);
	if (n_then == body->n_stmts) {
		insn(c, test)->jump = c->code->len;
		return;
	}
	guint skip = emit(c, SIM_OP_JUMP, depth, &body->stmts[n_then]);
	insn(c, test)->jump = c->code->len;
	compile_block(c, &(SimBlock){ body->stmts + n_then + 1, body->n_stmts - n_then - 1 },
		      depth);
	insn(c, skip)->jump = c->code->len;
}

/* A call becomes one CALL instruction that carries its row's exec; only control flow,
 * whose rows have no exec, is compiled into more than one instruction (loops) or leaves a
 * jump to patch (break). */
static void compile_block(Compiler *c, const SimBlock *b, guint depth)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		const SimCallDesc *d = sim_call_desc(st->kind);
		if (d->exec) {
			guint at = emit(c, SIM_OP_CALL, depth, st);
			insn(c, at)->exec = d->exec;
		} else if (d->op == SIM_OP_IF) {
			compile_if(c, st, depth);
		} else if (d->op == SIM_OP_ASSERT || d->op == SIM_OP_LET) {
			emit(c, d->op, depth, st);
		} else if (d->op == SIM_OP_REPEAT || d->op == SIM_OP_JUMP) {
			compile_loop(c, st, d->op, depth);
		} else {
			g_assert(d->op == SIM_OP_BREAK); /* the only other row without an exec */
			guint at = emit(c, SIM_OP_BREAK, depth, st);
			g_array_append_val(c->breaks, at);
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

/* ---- Texts and messages ---- */

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
	/* A message's length has 32 bits (msg.h): a rail set above 8 GB does not lift it. */
	room = MIN(room, (gsize)SIM_MSG_MAX_LEN);
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
			g_string_append_len(s, p->lit, (gssize)p->lit_len);
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
		case SIM_TEXT_VAR_TYPE:
		case SIM_TEXT_VAR_PRIO:
		case SIM_TEXT_VAR_LEN:
			if (v->msg)
				g_string_append_printf(
					s, "%" G_GINT64_FORMAT,
					p->kind == SIM_TEXT_VAR_TYPE   ? v->msg->type
					: p->kind == SIM_TEXT_VAR_PRIO ? v->msg->prio
								       : (gint64)v->msg->len);
			break;
		case SIM_TEXT_EXPR: {
			gint64 n = 0;
			if (sim_interp_eval(w, t, p->expr, &n))
				g_string_append_printf(s, "%" G_GINT64_FORMAT, n);
			break;
		}
		case SIM_TEXT_INDEX:
			g_string_append_printf(s, "%u", t->proc->replica);
			break;
		}
	}
	if (G_UNLIKELY(s->len > SIM_MSG_MAX_LEN)) {
		/* Names and numbers after the last long part passed the bound: the run stops
		 * as for a long part, and the text stays within what a message can hold. */
		sim_world_halt(w, SIM_RUN_MEMORY_LIMIT, t, w->at, 0, (SimTime)s->len);
		g_string_truncate(s, SIM_MSG_MAX_LEN);
	}
}

const char *sim_interp_text(SimWorld *w, const SimTask *t, const SimText *text, gsize *len)
{
	if (text->literal) {
		*len = text->literal_len;
		return text->literal;
	}
	*len = 0;
	if (!text->n_parts)
		return NULL;
	sim_interp_expand(w, t, text);
	*len = w->scratch->len;
	return w->scratch->str;
}

SimMsg *sim_interp_make_msg(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 type,
			    gint64 prio, int to)
{
	SimMsg *m = sim_msg_pool_get(&w->pool);
	m->from = t->id;
	m->to = to;
	m->type = type;
	m->prio = prio;
	m->seq = w->msg_seq++;
	if (st->text.literal) {
		/* The common case allocates nothing: the text stays in the scenario. */
		m->text = st->text.literal;
		m->len = (guint32)st->text.literal_len; /* a scenario is far below 4 GB */
	} else {
		sim_interp_expand(w, t, &st->text);
		sim_msg_own_text(&w->pool, m, w->scratch->str, w->scratch->len);
	}
	return m;
}

/* A copy of len bytes that may hold a NUL, with a NUL after them. */
static char *bytes_dup(const char *s, gsize len)
{
	char *d = g_malloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
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
		SimRecv r = { bytes_dup(m->text, m->len), m->type, m->from, m->len };
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

/* Keeps bytes a call took that carry no sender (a pipe's, a socket's, memory's, a poll's
 * answer) as a received message: data, len bytes, standing for size bytes taken. */
void sim_interp_keep_bytes(SimWorld *w, SimTask *t, const SimStmt *st, const char *data, gsize len,
			   gsize size)
{
	SimMsg *m = sim_msg_pool_get(&w->pool);
	m->from = -1;
	m->to = t->id;
	m->type = 0;
	m->prio = 0;
	m->seq = w->msg_seq++;
	sim_msg_own_text(&w->pool, m, data, len);
	m->size = size;
	m->len = (guint32)size; /* at most a pipe's or a segment's size: it fits (msg.h) */
	sim_interp_keep_received(w, t, st, m);
}

/* ---- Expressions ---- */

static gint64 var_value(const void *ctx, int slot)
{
	return ((const SimTask *)ctx)->vars[slot].num;
}

static gint64 siginfo_field(const SimTask *t, SimExprField f)
{
	int sig = 0;
	const SimSigInfo *si = sim_sigbody_info(t, &sig);
	g_assert(si); /* the parser allows si. only in a handler's body */
	switch (f) {
	case SIM_EXPR_FIELD_SI_SIGNO:
		return sig;
	case SIM_EXPR_FIELD_SI_CODE:
		return si->code;
	case SIM_EXPR_FIELD_SI_PID:
		return si->pid;
	case SIM_EXPR_FIELD_SI_UID:
		return si->uid;
	case SIM_EXPR_FIELD_SI_VALUE:
		return si->value;
	default:
		return si->status;
	}
}

static gint64 field_value(const void *ctx, int slot, SimExprField f)
{
	if (f == SIM_EXPR_FIELD_SELF_PID)
		return ((const SimTask *)ctx)->pid;
	if (slot < 0)
		return siginfo_field(ctx, f);
	const SimVar *v = &((const SimTask *)ctx)->vars[slot];
	if (f >= SIM_EXPR_FIELD_DS_KEY) /* 0 before an IPC_STAT filled it, as a zeroed struct */
		return v->ds ? v->ds[f - SIM_EXPR_FIELD_DS_KEY] : 0;
	const SimMsg *m = v->msg;
	if (!m)
		return 0;
	return f == SIM_EXPR_FIELD_TYPE ? m->type : f == SIM_EXPR_FIELD_PRIO ? m->prio : m->len;
}

gboolean sim_interp_eval(SimWorld *w, const SimTask *t, const SimExpr *e, gint64 *out)
{
	SimExprEnv env = { var_value, field_value, t, (gint64)t->proc->replica };
	SimExprFault fault = SIM_EXPR_FINE;
	const SimExpr *at = NULL;
	if (sim_expr_eval(e, &env, out, &fault, &at))
		return TRUE;
	/* The column without the bits that name an included file (sim/lang/scn_int.h). */
	sim_world_halt(w, SIM_RUN_EXPR_FAULT, t, w->at, (SimTime)fault,
		       (SimTime)(((guint64)at->loc.line << 32) | (at->loc.col & 0xffffffu)));
	return FALSE;
}

/* st with its ${...} operands evaluated for t, in t's own copy (a call that blocks is run
 * again when woken, and finds its copy as it left it); NULL after a fault, which stops the
 * run before the call is made. */
static const SimStmt *patch(SimWorld *w, SimTask *t, const SimStmt *st)
{
	if (!w->patched)
		w->patched = g_new0(SimStmt, w->n_tasks);
	SimStmt *c = &w->patched[t->id];
	*c = *st;
	for (guint i = 0; i < st->dyn->n; i++) {
		const SimDynOp *op = &st->dyn->ops[i];
		gint64 v = 0;
		if (!sim_interp_eval(w, t, op->expr, &v))
			return NULL;
		if (op->kind == SIM_DYN_TEXT)
			continue;
		if (v < op->min || v > op->max) {
			sim_world_halt(w, SIM_RUN_EXPR_FAULT, t, st, -1 - (SimTime)i, v);
			return NULL;
		}
		*(gint64 *)(void *)((char *)c + op->at) = op->kind == SIM_DYN_TIME ? v * op->unit
										  : v;
	}
	return c;
}

/* ---- The call protocol ---- */

static SimStmtResult *result_of(SimWorld *w, const SimStmt *st)
{
	return &w->results[st->id];
}

static void hook(SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase phase)
{
	if (w->hook.fn)
		w->hook.fn(w->hook.data, w, t, st, phase);
}

/* t's own record of st, kept only for `expect PROC@LABEL`: NULL at the cost of one test. */
static inline SimStmtResult *own_result(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return G_LIKELY(!w->task_results) ? NULL : sim_world_task_result_mut(w, t, st);
}

/* A statement's record changes the same way for the whole run and for one task. */
static void result_started(SimStmtResult *r)
{
	r->runs++;
	r->blocked = FALSE;
	r->returned = FALSE;
}

static void result_blocked(SimStmtResult *r)
{
	r->blocked = TRUE;
	r->blocks++;
}

static void result_finished(SimStmtResult *r, int err, gint64 ret, guint64 step)
{
	if (!r->first_done)
		r->first_done = step;
	r->returned = TRUE;
	r->err = err;
	r->ret = err ? -1 : ret;
}

void sim_interp_started(SimWorld *w, const SimStmt *st)
{
	SimStmtResult *r = result_of(w, st);
	result_started(r);
	SimStmtResult *own = own_result(w, w->cur, st);
	if (own)
		result_started(own);
	if (w->out.text) {
		w->out.got = FALSE;
		g_string_truncate(w->out.text, 0);
	}
	hook(w, w->cur, st, SIM_CALL_STARTED);
}

void sim_interp_blocked(SimWorld *w, const SimStmt *st)
{
	SimStmtResult *r = result_of(w, st);
	result_blocked(r);
	SimStmtResult *own = own_result(w, w->cur, st);
	if (own)
		result_blocked(own);
	hook(w, w->cur, st, SIM_CALL_BLOCKED);
}

void sim_interp_untouched(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 n)
{
	result_of(w, st)->untouched = n;
	SimStmtResult *own = own_result(w, t, st);
	if (own)
		own->untouched = n;
}

void sim_interp_out(SimWorld *w, const SimTask *t, const SimStmt *st, const gint64 *out)
{
	memcpy(result_of(w, st)->out, out, sizeof result_of(w, st)->out);
	SimStmtResult *own = own_result(w, t, st);
	if (own)
		memcpy(own->out, out, sizeof own->out);
}

void sim_interp_finish(SimWorld *w, SimTask *t, const SimStmt *st, int err, gint64 ret)
{
	SimStmtResult *r = result_of(w, st);
	result_finished(r, err, ret, w->steps);
	SimStmtResult *own = own_result(w, t, st);
	if (own)
		result_finished(own, err, ret, w->steps);
	t->last_err = err;
	t->last_ret = r->ret;
	t->pc++;
	hook(w, t, st, SIM_CALL_FINISHED);
}

void sim_interp_returned(SimWorld *w, SimTask *t, const SimStmt *st, int err)
{
	sim_interp_finish(w, t, st, err, 0);
}

/* ---- Operands ---- */

/* The id a SysV call names: a declared queue's, or an integer variable's value. */
int sim_interp_queue_id(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->ep.kind == SIM_EP_SYSVQ)
		return w->sysvq_ids[st->ep.index];
	gint64 v = t->vars[st->ep.index].num;
	return v < 0 || v > G_MAXINT ? -1 : (int)v;
}

/* The descriptor a call names (a POSIX queue, a pipe end): a variable's value, a number,
 * or the one the run opened for a declared queue (declared queues get 3, 4, ... in
 * declaration order in every process). */
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

/* ---- Signals ---- */

/* Does a pending caught signal forbid restarting (a `handler norestart`)? */
gboolean sim_interp_no_restart(const SimTask *t)
{
	return (t->sig_pending & t->norestart) != 0;
}

/* Handlers run when the task returns to user space: after a call, before the next. A signal
 * whose handler body is running stays pending (blocked) until that body ends; a handler
 * with a body owes it, and the body starts before the next statement (sigbody.c). */
void sim_interp_run_handlers(SimWorld *w, SimTask *t)
{
	guint64 run = t->sig_pending & ~sim_sigbody_blocked(t);
	for (int sig = 1; sig < 64; sig++) {
		if (!(run & (G_GUINT64_CONSTANT(1) << sig)))
			continue;
		sim_sigbody_ran(t, sig);
		sim_world_count_signal(w, t, sig, 1);
		if (w->trace) {
			SimTraceEvent ev = { .kind = SIM_TR_SIGNAL,
					     .task = t->name,
					     .reason = "handler runs",
					     .text = sim_scn_signal_name(sig),
					     .value = sig };
			sim_world_emit(w, &ev);
		}
	}
	t->sig_pending &= ~run;
}

/* ---- Execution ---- */

/* The call the task was in when it died ends as its row says (a pipe read or write, a
 * FIFO open); calls whose rows have no abandon have nothing to undo. */
void sim_interp_abandon(SimWorld *w, SimTask *t)
{
	const SimStmt *st = t->prog->code[t->pc].stmt;
	const SimCallDesc *d = st ? sim_call_desc(st->kind) : NULL;
	if (d && d->abandon)
		d->abandon(w, t, st);
}

/* One control-flow instruction (a loop's head or end, a jump, a break, an if, an assert):
 * moves t's pc. FALSE when an expression's fault stopped the world (the pc stays). */
static inline gboolean control(SimWorld *w, SimTask *t, const SimInsn *in)
{
	switch (in->op) {
	case SIM_OP_REPEAT:
		t->counters[in->depth] = 0;
		if (in->stmt->var >= 0)
			t->vars[in->stmt->var].num = 0;
		if (SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl).count > 0)
			t->pc++;
		else
			t->pc = in->jump;
		break;
	case SIM_OP_NEXT:
		if (++t->counters[in->depth] < SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl).count) {
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
		const SimControlArgs *a = &SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl);
		gboolean take = a->uncond || t->last_err == a->break_err ||
				(a->break_err == SIM_BREAK_EOF && t->last_err == 0 && t->last_ret == 0);
		t->pc = take ? in->jump : t->pc + 1;
		break;
	}
	case SIM_OP_ASSERT: {
		gint64 v = 0;
		if (!sim_interp_eval(w, t, SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl).cond, &v))
			return FALSE;
		SimStmtResult *r = result_of(w, in->stmt);
		r->runs++;
		if (!v && !r->failures++) {
			r->fail_task = t->id;
			r->fail_at = sim_world_now(w);
		}
		t->pc++;
		break;
	}
	case SIM_OP_IF: {
		gint64 v = 0;
		if (!sim_interp_eval(w, t, SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl).cond, &v))
			return FALSE;
		t->pc = v ? t->pc + 1 : in->jump;
		break;
	}
	case SIM_OP_LET: {
		gint64 v = 0;
		if (!sim_interp_eval(w, t, SIM_STMT_ARGS(in->stmt, SIM_CALL_CONTROL, ctl).cond, &v))
			return FALSE;
		t->vars[in->stmt->var].num = v;
		t->pc++;
		break;
	}
	case SIM_OP_CALL:
	case SIM_OP_END:
		g_assert_not_reached();
	}
	return TRUE;
}

static void step(SimWorld *w, SimTask *t);

/* One step, then the tasks blocked in poll or select are asked again: a step is the only
 * place where an object they watch changes, and the question costs nothing while nobody
 * polls. */
void sim_interp_step(SimWorld *w, SimTask *t)
{
	step(w, t);
	if (G_UNLIKELY(w->pollers.len))
		sim_call_poll_recheck(w, t);
}

static void step(SimWorld *w, SimTask *t)
{
	if (G_UNLIKELY((t->sig_pending || t->sigb) && !t->resuming)) {
		sim_interp_run_handlers(w, t);
		sim_sigbody_enter(t);
	}
	for (;;) {
		const SimInsn *in = &t->prog->code[t->pc];
		w->steps++;
		w->at = in->stmt;
		switch (in->op) {
		case SIM_OP_CALL:
			if (G_UNLIKELY(in->stmt->dyn)) {
				const SimStmt *st = patch(w, t, in->stmt);
				if (st)
					in->exec(w, t, st);
				return;
			}
			in->exec(w, t, in->stmt);
			return;
		case SIM_OP_END:
			if (G_UNLIKELY(sim_sigbody_active(t))) {
				/* sigreturn: a signal left pending while the body ran comes now. */
				sim_sigbody_return(w, t);
				sim_interp_run_handlers(w, t);
				sim_sigbody_enter(t);
				break;
			}
			sim_world_exit(w, t, 0);
			return;
		case SIM_OP_REPEAT:
		case SIM_OP_NEXT:
		case SIM_OP_JUMP:
		case SIM_OP_BREAK:
		case SIM_OP_IF:
		case SIM_OP_ASSERT:
		case SIM_OP_LET:
			if (!control(w, t, in))
				return;
			break;
		}
		/* A loop with no call in it must still meet the step limit. */
		if (w->steps >= w->max_steps)
			return;
	}
}

gboolean sim_interp_settle(SimWorld *w, SimTask *t)
{
	for (;;) {
		const SimInsn *in = &t->prog->code[t->pc];
		if (in->op == SIM_OP_CALL || in->op == SIM_OP_END)
			return TRUE;
		w->steps++;
		if (!control(w, t, in) || w->steps >= w->max_steps)
			return FALSE;
	}
}

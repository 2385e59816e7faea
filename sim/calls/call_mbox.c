/* call_mbox.c — the mailbox family: send and receive on the textbook's mailboxes, ports and
 * direct links (mbox.h).
 *
 * The trace shows a send with the message actually sent and where it went (handed straight
 * to a waiting receiver, or queued), and a receive with the message it got and who sent it.
 * Type and priority are shown only when they are not the defaults (1 and 0), so textbook
 * traces stay short.
 *
 * Execution: a send or receive that must wait sleeps on the mailbox; the one that wakes
 * it completes the transfer and leaves the result in the task's waiter, so the woken exec
 * only reports and finishes the call.
 *
 * Parsing: a target or source is a name looked up once the whole file is read (a mailbox,
 * a port or a process), and a send may answer `$v`, the sender of a received message. When
 * names are resolved, the rows' resolve hooks check what depends on them: to= against a
 * mailbox's deliver=, no process sending to or receiving from itself, a port's owner alone
 * receiving on it.
 *
 * Footprint: the one mailbox the call resolves to, written (a send that hands its message
 * to a waiting receiver changes that receiver's wait, which is on the same mailbox).
 */
#include "calls/call_int.h"

#include <errno.h>

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* The hooks below write millions of lines in a long run: they append without printf. */
static void send_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	sim_trace_puts(s, "send ");
	sim_trace_puts(s, ev->object ? ev->object : "?");
	if (ev->msg) {
		sim_trace_putc(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
	}
	if (st->mbox.type != 1) {
		sim_trace_puts(s, " type=");
		sim_trace_int(s, st->mbox.type);
	}
	if (st->mbox.prio != 0) {
		sim_trace_puts(s, " prio=");
		sim_trace_int(s, st->mbox.prio);
	}
	if (st->mbox.nowait)
		sim_trace_puts(s, " nowait");
}

static void send_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (!sim_call_result_head(s, ev, arrow))
		return;
	if (ev->kind == SIM_TR_CALL)
		sim_trace_puts(s, ev->other ? ", handed to " : ", queued");
	if (ev->other)
		sim_trace_puts(s, ev->other);
}

static void receive_text(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, "receive ");
	sim_trace_puts(s, ev->object);
	if (ev->stmt->mbox.nowait)
		sim_trace_puts(s, " nowait");
}

static void receive_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimMsg *m = ev->msg;
	if (!sim_call_result_head(s, ev, arrow) || !m)
		return; /* a failed receive took no message */
	sim_trace_putc(s, ' ');
	sim_trace_quote(s, m->text, m->len);
	sim_trace_puts(s, " from ");
	sim_trace_puts(s, ev->msg_from);
	sim_trace_puts(s, " (#");
	sim_trace_seq(s, m->seq);
	if (m->type != 1) {
		sim_trace_puts(s, ", type ");
		sim_trace_int(s, m->type);
	}
	if (m->prio != 0) {
		sim_trace_puts(s, ", prio ");
		sim_trace_int(s, m->prio);
	}
	sim_trace_putc(s, ')');
}

/* send, receive: `nowait`, for the JSON. */
static gboolean mbox_nowait(const SimStmt *st)
{
	return st->mbox.nowait;
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimMboxArgs mbox_defaults = { .type = 1, .to = -1 };

/* to=PROC: the addressed receiver, looked up at the end. */
static gboolean take_to(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	g_autofree char *to = NULL;
	SimLoc loc;
	(void)o, (void)k;
	if (!scn_take_name(p, "a process name after 'to='", &to, &loc))
		return FALSE;
	scn_add_ref(p, REF_TO, to, loc, st->id, 0, "after 'to='");
	scn_info_of(p, st->id)->to_loc = loc;
	return TRUE;
}

static const OptSpec send_opts[] = {
	INT_OPT("type", ST(mbox.type), 1, G_MAXINT64),
	INT_OPT("prio", ST(mbox.prio), 0, G_MAXINT64),
	TAKE_OPT("to", take_to),
	BOOL_OPT("nowait", ST(mbox.nowait)),
	OPTS_END,
};

/* send TARGET|$v TEXT [type=N] [prio=N] [to=PROC] [nowait] */
static gboolean send_parse(Parser *p, SimStmt *st)
{
	st->mbox = mbox_defaults;
	const Tok *t = tok(p);
	g_autofree char *target = NULL;
	st->ep.loc = t->loc;
	if (is_char(t, '$')) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		if (!scn_take_name(p, "a variable name after 'send $'", &var, &loc))
			return FALSE;
		if (scn_is_builtin(var))
			return scn_fail_at(
				p, t->loc, E_NAME,
				"cannot reply to '$%s': 'send $v' needs a variable set by "
				"'receive ... -> v'",
				var);
		st->ep.kind = SIM_EP_VAR;
		st->ep.index = scn_use_var(p, var, t->loc, TRUE, TRUE);
		target = g_strconcat("$", var, NULL);
	} else if (is_word(t, "any")) {
		return scn_fail_tok(
			p, t, E_MISUSE,
			"cannot send to 'any': it is receive-only (expected a mailbox, port "
			"or process name)");
	} else if (is_name_word(t)) {
		scn_add_ref(p, REF_TARGET, t->text, t->loc, st->id, 0, NULL);
		target = g_strdup(t->text);
		advance(p);
	} else {
		return scn_expected(p, "a mailbox, port or process name after 'send'");
	}
	g_autofree char *ctx = g_strdup_printf("after 'send %s'", target);
	if (!scn_take_text(p, ctx, &st->text))
		return FALSE;
	StmtOpts so = { .o = { .what = "send", .specs = send_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so);
}

static const OptSpec receive_opts[] = {
	BOOL_OPT("nowait", ST(mbox.nowait)),
	OPTS_END,
};

/* receive SOURCE|any [-> VAR] [nowait] */
static gboolean receive_parse(Parser *p, SimStmt *st)
{
	st->mbox = mbox_defaults;
	const Tok *t = tok(p);
	st->ep.loc = t->loc;
	if (is_word(t, "any")) {
		st->ep.kind = SIM_EP_ANY;
	} else if (is_name_word(t)) {
		scn_add_ref(p, REF_SOURCE, t->text, t->loc, st->id, 0, NULL);
	} else {
		return scn_expected(p, "a mailbox, port or process name or 'any' after 'receive'");
	}
	advance(p);
	if (at_arrow(p)) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		advance(p);
		if (!scn_take_name(p, "a variable name after '->'", &var, &loc))
			return FALSE;
		st->var = scn_assign_var(p, var, loc, ROLE_MESSAGE);
		if (st->var < 0)
			return FALSE;
	}
	/* `-> VAR` comes right after the source, not among the options. */
	StmtOpts so = { .o = { .what = "receive", .specs = receive_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so);
}

/* What a send and a receive check once the whole file is read and every name resolved. */

/* Checks of a send that do not depend on which process runs it: to= and deliver=addressed. */
static gboolean check_send(Parser *p, const SimStmt *st, SimLoc to_loc)
{
	const SimScenario *scn = p->scn;
	const SimScnMbox *m = st->ep.kind == SIM_EP_MBOX ? &scn->mboxes[st->ep.index] : NULL;
	gboolean addressed = m && m->deliver == SIM_DELIVER_ADDRESSED;
	if (to_loc.line && !addressed) {
		g_autofree char *why = m ? g_strdup_printf("%s '%s' has deliver=%s",
							   m->is_port ? "port" : "mailbox", m->name,
							   sim_scn_deliver_name(m->deliver))
				       : st->ep.kind == SIM_EP_PROC
					       ? g_strdup_printf("'%s' is a process",
								 scn->procs[st->ep.index].name)
					       : g_strdup("a reply goes to a process");
		return scn_fail_at(p, to_loc, E_MISUSE,
				   "to= needs a mailbox with deliver=addressed, but %s", why);
	}
	if (addressed && !to_loc.line)
		return scn_fail_at(
			p, st->ep.loc, E_MISUSE,
			"mailbox '%s' has deliver=addressed: every send to it needs to=PROC",
			m->name);
	return TRUE;
}

/* A check that depends on the process `self` running the statement. */
typedef gboolean (*RunnerCheck)(Parser *p, const SimStmt *st, int self);

/* Runs `check` for each process that runs st: its own, or each replica of a shared body. */
static gboolean each_runner(Parser *p, const SimStmt *st, RunnerCheck check)
{
	guint body = scn_info_of(p, st->id)->body;
	const BodyProcs *runs = &g_array_index(p->body_procs, BodyProcs, body);
	for (guint i = runs->first; i < runs->first + runs->n; i++)
		if (!check(p, st, (int)i))
			return FALSE;
	return TRUE;
}

static gboolean send_runner(Parser *p, const SimStmt *st, int self)
{
	if (st->ep.kind == SIM_EP_PROC && st->ep.index == self)
		return scn_fail_at(p, st->ep.loc, E_MISUSE,
				   "process '%s' sends to itself: name another process, a "
				   "mailbox or a port",
				   p->scn->procs[self].name);
	return TRUE;
}

static gboolean receive_runner(Parser *p, const SimStmt *st, int self)
{
	const SimScenario *scn = p->scn;
	const char *name = scn->procs[self].name;
	if (st->ep.kind == SIM_EP_PROC && st->ep.index == self)
		return scn_fail_at(p, st->ep.loc, E_MISUSE,
				   "process '%s' receives from itself: name another process, "
				   "a mailbox, a port or any",
				   name);
	if (st->ep.kind == SIM_EP_MBOX) {
		const SimScnMbox *m = &scn->mboxes[st->ep.index];
		if (m->is_port && m->owner != self)
			return scn_fail_at(
				p, st->loc, E_MISUSE,
				"process '%s' receives on port '%s' owned by '%s': only a "
				"port's owner may receive",
				name, m->name, scn->procs[m->owner].name);
	}
	return TRUE;
}

static gboolean send_resolve(Parser *p, const SimStmt *st)
{
	return check_send(p, st, scn_info_of(p, st->id)->to_loc) && each_runner(p, st, send_runner);
}

static gboolean receive_resolve(Parser *p, const SimStmt *st)
{
	return each_runner(p, st, receive_runner);
}

/* ---- Execution ---- */

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

static void trace_call(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		       const SimMbox *mb, const SimMsg *m, int err, const char *blocked, int other)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, endpoint_name(w, t, st, mb), m, err,
				   blocked, other);
	sim_world_emit(w, &ev);
}

/* Why a sent message went to the receiver it did when several waited for it (msgsim run
 * --explain): the candidates in wait order and the mailbox's deliver rule, found before
 * the send (which takes the chosen one off the wait list). Only a run with --explain
 * looks; its delivery event carries them in names and reason. */
#define WHY_MAX 16
typedef struct Why {
	const char *names[WHY_MAX];
	guint n; /* candidates, 0 when there was no choice to explain */
	char rule[160];
} Why;

static void why_before(const SimWorld *w, const SimMbox *mb, const SimMsg *m, Why *why)
{
	int tasks[WHY_MAX];
	why->n = 0;
	if (!mb->receivers.head || !mb->receivers.head->next)
		return; /* at most one waits: no choice */
	guint n = sim_mbox_candidates(mb, m, tasks, WHY_MAX);
	if (n < 2)
		return;
	why->n = MIN(n, WHY_MAX);
	for (guint i = 0; i < why->n; i++)
		why->names[i] = w->names[tasks[i]];
	const char *rule = sim_scn_deliver_name(mb->deliver);
	switch (mb->deliver) {
	case SIM_DELIVER_ROUND_ROBIN:
		if (mb->rr_last >= 0)
			g_snprintf(why->rule, sizeof(why->rule),
				   "deliver=%s: the first waiting receiver after %s, the one "
				   "served last, in process declaration order",
				   rule, w->names[mb->rr_last]);
		else
			g_snprintf(why->rule, sizeof(why->rule),
				   "deliver=%s: the first waiting receiver in process declaration "
				   "order (none served yet)",
				   rule);
		return;
	case SIM_DELIVER_RANDOM:
		g_snprintf(why->rule, sizeof(why->rule), "deliver=%s: %s", rule,
			   w->mctx.choose ? "the schedule's choice"
					  : "a draw from the run's seed, each equally likely");
		return;
	case SIM_DELIVER_FIRST_WAITER:
	case SIM_DELIVER_PAIR:
	case SIM_DELIVER_EXCLUSIVE:
	case SIM_DELIVER_ADDRESSED:
		break;
	}
	g_snprintf(why->rule, sizeof(why->rule),
		   "deliver=%s: the receiver that has waited longest", rule);
}

static void trace_deliver(SimWorld *w, const SimMsg *m, int receiver, const SimMbox *mb)
{
	if (!sim_trace_wants(w->trace, SIM_TR_DELIVER))
		return; /* a text trace shows it on the receive */
	SimTraceEvent ev; /* one a message in a JSON Lines trace: zeroed the cheap way */
	sim_trace_event_clear(&ev);
	ev.kind = SIM_TR_DELIVER;
	ev.task = w->names[m->from];
	ev.other = w->names[receiver];
	ev.object = mb->is_inbox ? NULL : mb->name; /* NULL: a direct link */
	ev.msg = m;
	ev.msg_from = ev.task;
	sim_world_emit(w, &ev);
}

/* The same with --explain: the candidates and the rule ride on the delivery event. Apart,
 * so that a run without it pays nothing on the receive path and one test per send. */
static void trace_deliver_why(SimWorld *w, const SimMsg *m, int receiver, const SimMbox *mb,
			      const Why *why)
{
	if (!why->n) {
		trace_deliver(w, m, receiver, mb);
		return;
	}
	SimTraceEvent ev = { .kind = SIM_TR_DELIVER,
			     .task = w->names[m->from],
			     .other = w->names[receiver],
			     .object = mb->is_inbox ? NULL : mb->name,
			     .msg = m,
			     .msg_from = w->names[m->from],
			     .names = why->names,
			     .n_names = why->n,
			     .reason = why->rule };
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

/* A mailbox call that must wait: record it, trace it, and put the task to sleep on mb. */
static void block_on_mbox(SimWorld *w, SimTask *t, const SimStmt *st, const SimMbox *mb,
			  const SimMsg *m, gboolean sending)
{
	const char *why = block_reason(mb, sending);
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

static void send_exec(SimWorld *w, SimTask *t, const SimStmt *st)
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
	SimMsg *m = sim_interp_make_msg(w, t, st, st->mbox.type, st->mbox.prio, st->mbox.to);
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
	Why why;
	if (G_UNLIKELY(w->explain))
		why_before(w, mb, m, &why);
	int err = sim_mbox_send(mb, &w->mctx, &t->waiter, m, st->mbox.nowait, &handed);
	if (err == SIM_BLOCKED) {
		block_on_mbox(w, t, st, mb, m, TRUE);
		return;
	}
	if (w->trace) {
		trace_call(w, SIM_TR_CALL, t, st, mb, m, err, NULL, handed);
		if (handed >= 0 && G_UNLIKELY(w->explain))
			trace_deliver_why(w, m, handed, mb, &why);
		else if (handed >= 0)
			trace_deliver(w, m, handed, mb);
	}
	if (err != 0)
		sim_msg_pool_put(&w->pool, m);
	finish_send(w, t, st, err);
	SIM_CHECK(sim_mbox_check(mb));
	sim_world_wake_all(w, t, mb);
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

static void receive_exec(SimWorld *w, SimTask *t, const SimStmt *st)
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
	int err = sim_mbox_receive(mb, &w->mctx, &t->waiter, from, st->mbox.nowait, &m);
	if (err == SIM_BLOCKED) {
		block_on_mbox(w, t, st, mb, NULL, FALSE);
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

/* ---- Cross-check: replay on the real kernel, and comparison ----
 *
 * A mailbox is replayed as a POSIX queue (sim/real/xcheck_mbox.c makes them): each has two
 * descriptors of its own in every worker, one blocking, one not. The textbook's type is not
 * sent; its priority only when the mailbox orders by it. */

#define MQ_PRIO_LIMIT 32768 /* a POSIX queue's priorities are 0 to MQ_PRIO_MAX - 1 */

/* A direct link has no kernel counterpart. */
static char *receive_unreplayable(const SimScenario *scn, const SimStmt *st)
{
	(void)scn;
	if (st->ep.kind != SIM_EP_MBOX)
		return g_strdup_printf("line %u: direct send/receive between processes has no "
				       "kernel counterpart",
				       st->loc.line);
	return NULL;
}

/* ... and a mailbox ordered by priority needs the send's to be a POSIX queue's. */
static char *send_unreplayable(const SimScenario *scn, const SimStmt *st)
{
	char *why = receive_unreplayable(scn, st);
	if (why)
		return why;
	const SimScnMbox *mb = &scn->mboxes[st->ep.index];
	if (mb->order == SIM_ORDER_PRIORITY &&
	    (st->mbox.prio < 0 || st->mbox.prio >= MQ_PRIO_LIMIT))
		return g_strdup_printf("line %u: prio=%" G_GINT64_FORMAT " is outside a POSIX "
				       "queue's priorities (0 to %d)",
				       st->loc.line, st->mbox.prio, MQ_PRIO_LIMIT - 1);
	return NULL;
}

static gboolean send_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MQ_SEND;
	a[0] = XC_MBOX_FD(st->ep.index, st->mbox.nowait);
	a[1] = xc_mbox_by_prio(r->xc, st->ep.index) ? st->mbox.prio : 0;
	stmt_text(r->w, r->t, st, NULL, r->data);
	a[2] = (gint64)r->data->len;
	a[3] = -1;
	return TRUE;
}

static gboolean receive_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MQ_RECEIVE;
	a[0] = XC_MBOX_FD(st->ep.index, st->mbox.nowait);
	a[1] = xc_mbox_msgsize(r->xc, st->ep.index);
	a[3] = -1;
	return TRUE;
}

/* A receive returns the message's length, as mq_receive counts it, and its priority when
 * the mailbox orders by it. */
static void receive_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
	if (mc->m->err)
		return;
	mc->m->ret = (gint64)mc->m->len;
	if (xc_mbox_by_prio(mc->xc, mc->st->ep.index))
		xc_model_ret2(mc, "prio", sim_world_call_out(mc->w)->prio);
}

static void receive_kernel_cell(SimKernelCell *kc)
{
	/* The textbook's ENOMSG for an empty mailbox is a POSIX queue's EAGAIN. */
	if (kc->r->err == EAGAIN)
		kc->k->err = ENOMSG;
	xc_kernel_data(kc);
	if (xc_mbox_by_prio(kc->xc, kc->st->ep.index))
		xc_kernel_ret2(kc, "prio");
}

/* ---- Footprint ---- */

/* The mailbox a send goes to, as execution finds it: a declared one, the target process's
 * inbox, or the inbox of the sender of the message a variable holds (a reply). A reply
 * with no sender to go to fails; conservatively it stands for every mailbox. */
static void send_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	guint64 mb = SIM_OBJ_ALL;
	if (st->ep.kind == SIM_EP_MBOX) {
		mb = (guint64)st->ep.index;
	} else if (st->ep.kind == SIM_EP_PROC) {
		mb = (guint64)w->tasks[st->ep.index].inbox;
	} else if (st->ep.kind == SIM_EP_VAR) {
		const SimMsg *m = t->vars[st->ep.index].msg;
		if (m && m->from >= 0)
			mb = (guint64)w->tasks[m->from].inbox;
	}
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_MBOX, mb, TRUE);
}

/* A receive takes from a declared mailbox or from the task's own inbox (from a named
 * process or from any). Both change the mailbox: a message leaves it, or a waiter joins. */
static void receive_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimFootprint *fp)
{
	(void)w;
	guint64 mb = st->ep.kind == SIM_EP_MBOX ? (guint64)st->ep.index : (guint64)t->inbox;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_MBOX, mb, TRUE);
}

/* ---- Deadlock report ---- */

/* A send reaches a mailbox by name, a process's inbox, or, as a reply ($v), the inbox of
 * whoever sent the message the variable will hold: any one. */
static gboolean send_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     const SimObjRef *obj)
{
	(void)t;
	int mb = -1;
	if (st->ep.kind == SIM_EP_VAR)
		return TRUE;
	if (st->ep.kind == SIM_EP_MBOX)
		mb = st->ep.index;
	else if (st->ep.kind == SIM_EP_PROC)
		mb = w->tasks[st->ep.index].inbox;
	return mb >= 0 && (guint64)mb == obj->id;
}

/* A receive takes from the mailbox it names, or else from its own task's inbox. */
static gboolean receive_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
				const SimObjRef *obj)
{
	(void)w;
	int mb = st->ep.kind == SIM_EP_MBOX ? st->ep.index : t->inbox;
	return mb >= 0 && (guint64)mb == obj->id;
}

const SimCallDesc sim_call_mbox_rows[] = {
	{
		.kind = SIM_STMT_SEND,
		.name = "send",
		.family = SIM_CALL_MBOX,
		.text_call = send_text,
		.text_result = send_result,
		.nowait = mbox_nowait,
		.trace_memo = TRUE,
		.exec = send_exec,
		.parse = send_parse,
		.resolve = send_resolve,
		.real_name = "send",
		.replay = send_replay,
		.unreplayable = send_unreplayable,
		.footprint = send_footprint,
		.blocks = TRUE,
		.wait_role = SIM_WAIT_PUTS,
		.wait_obj = SIM_OBJ_MBOX,
		.reaches = send_reaches,
	},
	{
		.kind = SIM_STMT_RECEIVE,
		.name = "receive",
		.family = SIM_CALL_MBOX,
		.text_call = receive_text,
		.text_result = receive_result,
		.nowait = mbox_nowait,
		.trace_memo = TRUE,
		.exec = receive_exec,
		.parse = receive_parse,
		.resolve = receive_resolve,
		.real_name = "receive",
		.replay = receive_replay,
		.model_cell = receive_model_cell,
		.kernel_cell = receive_kernel_cell,
		.unreplayable = receive_unreplayable,
		.footprint = receive_footprint,
		.blocks = TRUE,
		.wait_role = SIM_WAIT_TAKES,
		.wait_obj = SIM_OBJ_MBOX,
		.reaches = receive_reaches,
	},
};
const guint sim_call_mbox_n_rows = G_N_ELEMENTS(sim_call_mbox_rows);

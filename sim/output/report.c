/* report.c — deadlock explanation, expectation checks, summaries and the verdict.
 *
 * The design choice to know: the wait-for list of a stuck task is derived from the
 * programs, not from history: a receiver on mailbox A waits for every live process whose
 * body has a send to A. That is the list a student needs ("who could still help?"), and
 * it is empty exactly when no one can.
 */
#include "msgsim/output/report.h"
#include "msgsim/calls/call.h"

#include "engine/world_int.h" /* the report reads the whole final state: see world_int.h */
#include "msgsim/engine/holders.h"
#include "msgsim/kernel/sock.h"

#include <string.h>

#define MAX_LISTED 64

/* ---- What a body can do (a static look at the statements) ---- */

/* Does the block have a call of role `role` (its row's) that can reach obj: a send to the
 * mailbox, a msgrcv from the queue, an open of a FIFO? The rows' reaches hooks read the
 * operands; a loop's body counts as the loop. */
static gboolean block_reaches(const SimWorld *w, const SimTask *o, const SimBlock *b,
			      SimCallWaitRole role, const SimObjRef *obj)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		const SimBlock *body = sim_stmt_body(st);
		if (body ? block_reaches(w, o, body, role, obj)
			 : sim_call_reaches(w, o, st, role, obj))
			return TRUE;
	}
	return FALSE;
}

/* The live tasks other than t whose bodies have a call of role `role` that can reach obj:
 * those that could still release t. */
static guint releasers(const SimWorld *w, const SimTask *t, SimCallWaitRole role, SimObjRef obj,
		       const char **names)
{
	guint n = 0;
	for (guint i = 0; i < w->n_tasks && n < MAX_LISTED; i++) {
		const SimTask *o = &w->tasks[i];
		if (o != t && o->state != SIM_STATE_EXITED &&
		    block_reaches(w, o, &o->prog->body->block, role, &obj))
			names[n++] = o->name;
	}
	return n;
}

/* Who releases a task blocked in a call of role `role` on a queue or mailbox: a receiver
 * waits for a call that puts, a sender for one that takes. */
static SimCallWaitRole other_side(SimCallWaitRole role)
{
	return role == SIM_WAIT_PUTS ? SIM_WAIT_TAKES : SIM_WAIT_PUTS;
}

/* Who holds a descriptor of pipe p open for the other side: "child (fd 4)". A reader
 * waits for the write ends (and a writer for the read ends), its own included: that is
 * the classic culprit, a write end nobody closed. */
typedef struct HolderNames {
	const char **names;
	GPtrArray *keep;
	guint n;
} HolderNames;

static void holder_name(const SimTask *o, guint fd, gpointer data)
{
	HolderNames *h = data;
	if (h->n >= MAX_LISTED)
		return;
	char *name = g_strdup_printf("%s (fd %u)", o->name, fd);
	g_ptr_array_add(h->keep, name);
	h->names[h->n++] = name;
}

static guint pipe_holders(const SimWorld *w, const SimPipe *p, gboolean want_writers,
			  const char **names, GPtrArray *keep)
{
	HolderNames h = { names, keep, 0 };
	sim_world_pipe_holders(w, p, want_writers, holder_name, &h);
	return h.n;
}

/* The socket end a task blocked in a socket call waits on (its descriptor's), or NULL. */
static const SimSock *waits_on_sock(const SimTask *t, const SimStmt *st)
{
	if (t->state != SIM_STATE_BLOCKED || !st ||
	    sim_call_desc(st->kind)->family != SIM_CALL_SOCK)
		return NULL;
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	return f && f->kind == SIM_FILE_SOCK ? f->sock : NULL;
}

/* Who holds a descriptor of the other end of s: "child (fd 4)". Only they can send to a
 * stuck reader or free a stuck sender's buffers (a task's own descriptor of it included:
 * the forgotten end, as with pipes). */
static guint sock_holders(const SimWorld *w, const SimSock *s, const char **names,
			  GPtrArray *keep)
{
	const SimSock *peer = &s->pair->end[s == &s->pair->end[0] ? 1 : 0];
	guint n = 0;
	for (guint i = 0; i < w->n_tasks && n < MAX_LISTED; i++) {
		const SimTask *o = &w->tasks[i];
		if (o->state == SIM_STATE_EXITED)
			continue;
		for (guint fd = 0; fd < o->fdt.n && n < MAX_LISTED; fd++) {
			const SimFile *f = sim_fdt_get(&o->fdt, fd);
			if (!f || f->kind != SIM_FILE_SOCK || f->sock != peer)
				continue;
			char *name = g_strdup_printf("%s (fd %u)", o->name, fd);
			g_ptr_array_add(keep, name);
			names[n++] = name;
		}
	}
	return n;
}

/* A task stuck in poll or select waits for whoever could make one of its descriptors
 * ready: the holders of a watched pipe's other side or of a watched socket's peer, and
 * the processes that could send to or receive from a watched queue. Each is named once. */
static guint poll_waits_for(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    const char **names, GPtrArray *keep)
{
	const SimFile *files[MAX_LISTED];
	guint n_files = sim_call_poll_files(t, st, files, MAX_LISTED), n = 0;
	for (guint i = 0; i < n_files; i++) {
		const SimFile *f = files[i];
		const char *got[MAX_LISTED];
		guint k = 0;
		if (f->kind == SIM_FILE_PIPE)
			k = pipe_holders(w, f->pipe, !(f->flags & SIM_O_WRONLY), got, keep);
		else if (f->kind == SIM_FILE_SOCK)
			k = sock_holders(w, f->sock, got, keep);
		else if (f->kind == SIM_FILE_MQ)
			k = releasers(w, t, SIM_WAIT_BOTH,
				      (SimObjRef){ SIM_OBJ_MQ, (guint64)(guintptr)f->mq }, got);
		for (guint j = 0; j < k && n < MAX_LISTED; j++) {
			gboolean seen = FALSE;
			for (guint m = 0; m < n && !seen; m++)
				seen = strcmp(names[m], got[j]) == 0;
			if (!seen)
				names[n++] = got[j];
		}
	}
	return n;
}

static guint wait_for(const SimWorld *w, const SimTask *t, const char **names, GPtrArray *keep)
{
	if (t->state == SIM_STATE_BLOCKED && t->prog->code[t->pc].stmt &&
	    (t->prog->code[t->pc].stmt->kind == SIM_STMT_POLL ||
	     t->prog->code[t->pc].stmt->kind == SIM_STMT_SELECT))
		return poll_waits_for(w, t, t->prog->code[t->pc].stmt, names, keep);
	guint n = 0;
	const SimStmt *st = t->prog->code[t->pc].stmt;
	if (t->state == SIM_STATE_BLOCKED && t->wait_child >= 0) {
		names[n++] = w->tasks[t->wait_child].name;
		return n;
	}
	const SimSock *sock = waits_on_sock(t, st);
	if (sock)
		return sock_holders(w, sock, names, keep);
	SimCallWaitRole on_pipe = sim_call_wait_role(st, SIM_OBJ_PIPE);
	if (t->state == SIM_STATE_BLOCKED && t->wait_pipe && st && on_pipe != SIM_WAIT_OPENS)
		return pipe_holders(w, t->wait_pipe, on_pipe == SIM_WAIT_TAKES, names, keep);
	if (t->state == SIM_STATE_BLOCKED && t->wait_pipe) {
		/* A FIFO opener waits for anyone who may still open the FIFO. */
		SimObjRef fifo = { SIM_OBJ_PIPE, (guint64)(guintptr)t->wait_pipe };
		return releasers(w, t, SIM_WAIT_OPENS, fifo, names);
	}
	if (t->state == SIM_STATE_NEW) {
		if (t->proc->start == SIM_START_AFTER)
			names[n++] = w->tasks[t->proc->start_after].name;
		return n;
	}
	if (t->state == SIM_STATE_BLOCKED && t->wait_mq) {
		SimObjRef q = { SIM_OBJ_MQ, (guint64)(guintptr)t->wait_mq };
		return releasers(w, t, other_side(sim_call_wait_role(st, SIM_OBJ_MQ)), q, names);
	}
	if (t->state == SIM_STATE_BLOCKED && t->wait_msgq) {
		SimObjRef q = { SIM_OBJ_SYSVQ, (guint64)t->wait_msgq->perm.id };
		return releasers(w, t, other_side(sim_call_wait_role(st, SIM_OBJ_SYSVQ)), q, names);
	}
	if (t->state == SIM_STATE_BLOCKED && t->wait_sem) {
		/* A semop waits for a change of the set: any semop or semctl that reaches it. */
		SimObjRef set = { SIM_OBJ_SEM, (guint64)t->wait_sem->perm.id };
		return releasers(w, t, SIM_WAIT_PUTS, set, names);
	}
	if (t->state != SIM_STATE_BLOCKED || t->wait_obj < 0)
		return 0;
	const SimMbox *mb = &w->mboxes[t->wait_obj];
	SimCallWaitRole role = sim_call_wait_role(st, SIM_OBJ_MBOX);
	if (role != SIM_WAIT_PUTS && st && st->ep.kind == SIM_EP_PROC) {
		const SimTask *p = &w->tasks[st->ep.index];
		if (p->state != SIM_STATE_EXITED)
			names[n++] = p->name;
		return n;
	}
	if (role == SIM_WAIT_PUTS && mb->is_inbox) {
		const SimTask *p = &w->tasks[mb->owner];
		if (p->state != SIM_STATE_EXITED)
			names[n++] = p->name;
		return n;
	}
	SimObjRef box = { SIM_OBJ_MBOX, (guint64)mb->index };
	return releasers(w, t, other_side(role), box, names);
}

/* What the stuck statement names: a mailbox, the peer process, or `any`. */
static const char *stuck_on(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (t->wait_child >= 0)
		return w->tasks[t->wait_child].name;
	if (t->wait_pipe)
		return t->wait_pipe->name;
	if (waits_on_sock(t, st))
		return waits_on_sock(t, st)->pair->name;
	if (t->wait_mq && st)
		return t->wait_mq->name;
	if (t->wait_msgq && st)
		return st->ep.kind == SIM_EP_SYSVQ ? w->scn->sysvqs[st->ep.index].name
						   : t->prog->body->vars[st->ep.index].name;
	if (t->wait_sem && st)
		return t->prog->body->vars[st->ep.index].name;
	if (t->wait_obj < 0 || !st)
		return NULL;
	const SimMbox *mb = &w->mboxes[t->wait_obj];
	if (!mb->is_inbox)
		return mb->name;
	if (sim_call_wait_role(st, SIM_OBJ_MBOX) == SIM_WAIT_PUTS)
		return mb->name; /* a send: the receiving process */
	return st->ep.kind == SIM_EP_PROC ? w->tasks[st->ep.index].name : "any";
}

/* The word for what a stuck task is doing: the keyword of a call that may block, as its
 * row says, and "receive" for anything else. */
static const char *op_word(const SimStmt *st)
{
	const SimCallDesc *d = sim_call_desc(st->kind);
	return d->blocks ? d->name : "receive";
}

static void report_stuck(const SimWorld *w, SimTrace *tr)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->state == SIM_STATE_EXITED || sim_world_unforked(t))
			continue;
		const char *names[MAX_LISTED];
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
		guint n = wait_for(w, t, names, keep);
		const SimStmt *st = t->prog->code[t->pc].stmt;
		/* A semop says which semaphore holds it, with what operation, and the values. */
		g_autoptr(GString) why = NULL;
		if (t->stopped_by) {
			/* The run is over, so no live process sends it SIGCONT: that, not the
			 * call it may be in, is what keeps it. */
			why = g_string_new(NULL);
			g_string_printf(why, "stopped (%s), nobody sends SIGCONT",
					sim_scn_signal_name(t->stopped_by));
			n = 0;
		} else if (t->state == SIM_STATE_BLOCKED && t->wait_sem && t->waiter.op) {
			why = g_string_new(t->wait_why ? t->wait_why : "blocked");
			g_string_append(why, ": ");
			sim_sem_describe_wait(t->wait_sem, t->waiter.op, why);
		}
		/* Stopped outside any call (or its call withdrawn): the stop is all it is in. */
		gboolean stop_only = t->stopped_by && t->state != SIM_STATE_BLOCKED;
		SimTraceEvent ev = {
			.kind = SIM_TR_DEADLOCK,
			.time = sim_world_now(w),
			.task = t->name,
			.object = stop_only ? NULL : stuck_on(w, t, st),
			.op = t->state == SIM_STATE_NEW ? "start"
			      : stop_only		? "a stop"
			      : st			? op_word(st)
							: "?",
			.reason = t->state == SIM_STATE_NEW ? "waiting for a process to exit"
				  : why			    ? why->str
							    : t->wait_why,
			.line = st ? st->loc.line : t->proc->loc.line,
			.names = names,
			.n_names = n,
		};
		sim_trace_emit(tr, &ev);
	}
}

/* ---- Expectations ---- */

/* How an expectation's processes are the run's tasks, and what they are called: run's
 * world (process i is task i), or msgsim exec's programs (SimReportRun). */
typedef struct Procs {
	const SimWorld *w;
	const SimReportRun *r;
} Procs;

/* The task of expectation process p (-1: any, or a program not found). */
static int proc_task(const Procs *ps, int p)
{
	return ps->w || p < 0 ? p : ps->r->program(ps->r->data, p, NULL);
}

static const char *task_name(const Procs *ps, int i)
{
	return ps->w ? ps->w->tasks[i].name : ps->r->name(ps->r->data, i);
}

static gboolean item_matches(const SimExpectMsg *x, int from, const SimRecv *r)
{
	return r->len == x->len && memcmp(r->text, x->text, x->len) == 0 &&
	       (x->type < 0 || x->type == r->type) && (x->from < 0 || from == r->from);
}

/* Kuhn's augmenting path: item i takes a message, moving earlier takers elsewhere if it must
 * (an item that leaves its type or sender open may fit several messages). */
static gboolean match_item(const SimScnExpect *e, const int *from, const GArray *got, guint i,
			   int *owner, gboolean *tried)
{
	for (guint j = 0; j < got->len; j++) {
		if (tried[j] ||
		    !item_matches(&e->msgs[i], from[i], &g_array_index(got, SimRecv, j)))
			continue;
		tried[j] = TRUE;
		if (owner[j] < 0 || match_item(e, from, got, (guint)owner[j], owner, tried)) {
			owner[j] = (int)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* `received {...}`: every message matched by one item, in any order. Quadratic and
 * recursive in the number of messages, which an expectation lists by hand. */
static gboolean received_unordered(const SimScnExpect *e, const int *from, const GArray *got)
{
	if (got->len != e->n_msgs)
		return FALSE;
	g_autofree int *owner = g_new(int, MAX(got->len, 1));
	g_autofree gboolean *tried = g_new(gboolean, MAX(got->len, 1));
	for (guint j = 0; j < got->len; j++)
		owner[j] = -1;
	for (guint i = 0; i < e->n_msgs; i++) {
		memset(tried, 0, got->len * sizeof(*tried));
		if (!match_item(e, from, got, i, owner, tried))
			return FALSE;
	}
	return TRUE;
}

static gboolean check_received(const Procs *ps, const SimTask *t, const SimScnExpect *e,
			       GString *seen)
{
	static const GArray none = { 0 };
	const GArray *got = t->received ? t->received : &none;
	g_autofree int *from = g_new(int, MAX(e->n_msgs, 1));
	for (guint i = 0; i < e->n_msgs; i++)
		from[i] = proc_task(ps, e->msgs[i].from);
	gboolean ok = got->len == e->n_msgs;
	for (guint i = 0; ok && !e->unordered && i < e->n_msgs; i++)
		ok = item_matches(&e->msgs[i], from[i], &g_array_index(got, SimRecv, i));
	if (e->unordered)
		ok = received_unordered(e, from, got);
	if (e->count >= 0) {
		ok = (gint64)got->len == e->count;
		if (seen)
			g_string_append_printf(seen, "received count=%u: ", got->len);
	}
	if (seen) {
		g_string_append(seen, "received [");
		for (guint i = 0; i < got->len; i++) {
			const SimRecv *r = &g_array_index(got, SimRecv, i);
			if (i)
				g_string_append(seen, ", ");
			if (r->from >= 0) /* bytes read from a pipe have no type and no sender */
				g_string_append_printf(seen, "%" G_GINT64_FORMAT " ", r->type);
			sim_trace_quote(seen, r->text, r->len);
			if (r->from >= 0)
				g_string_append_printf(seen, " from %s", task_name(ps, r->from));
		}
		g_string_append(seen, "]");
	}
	return ok;
}

/* A labelled statement's record: one process's runs (PROC@LABEL) or every process's. */
static const SimStmtResult *label_result(const SimWorld *w, int proc, const SimStmt *st)
{
	return proc >= 0 ? sim_world_task_result(w, (guint)proc, st) : &w->results[st->id];
}

static gboolean check_label(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const SimStmtResult *r = label_result(w, e->proc, e->stmt);
	gboolean ok = FALSE;
	switch (e->result) {
	case SIM_LABEL_BLOCKED_THEN:
		ok = r->runs > 0 && r->blocked && r->returned && r->err == e->err;
		break;
	case SIM_LABEL_BLOCKED:
		/* In a loop, "it blocked" means at least once. */
		ok = r->blocks > 0;
		break;
	case SIM_LABEL_OK:
		/* ok means it returned success at once; "blocked, then ok" is `blocked`. */
		ok = r->runs > 0 && r->returned && r->err == 0 && !r->blocked;
		break;
	case SIM_LABEL_ERRNO:
		ok = r->runs > 0 && r->returned && r->err == e->err;
		break;
	case SIM_LABEL_ANY:
		ok = r->runs > 0 && r->returned;
		break;
	}
	if (e->check_ret)
		ok = ok && r->runs > 0 && r->returned && r->ret == e->ret;
	if (e->untouched >= 0)
		ok = ok && r->runs > 0 && r->returned && !r->err && r->untouched == e->untouched;
	for (guint i = 0; i < e->n_fields; i++)
		ok = ok && r->runs > 0 && r->returned && !r->err &&
		     r->out[sim_out_field(e->fields[i].field)->slot] == e->fields[i].value;
	if (seen) {
		if (r->runs > 1)
			g_string_append_printf(seen,
					       "ran %" G_GUINT64_FORMAT
					       " times, blocked %" G_GUINT64_FORMAT
					       " times; last run: ",
					       r->runs, r->blocks);
		if (r->runs == 0)
			g_string_append(seen, "never ran");
		else if (!r->returned)
			g_string_append(seen, "blocked, never returned");
		else
			g_string_append_printf(seen, "%s%s", r->blocked ? "blocked, then " : "",
					       r->err ? sim_errno_name(r->err) : "ok");
		if (r->runs > 0 && r->returned && e->check_ret)
			g_string_append_printf(seen, ", ret %" G_GINT64_FORMAT, r->ret);
		if (r->runs > 0 && r->returned && e->untouched >= 0)
			g_string_append_printf(seen, ", %" G_GINT64_FORMAT " bytes untouched",
					       r->untouched);
		if (r->runs > 0 && r->returned && !r->err && e->n_fields)
			g_string_append(seen, ",");
		for (guint i = 0; r->runs > 0 && r->returned && !r->err && i < e->n_fields; i++) {
			const SimOutField *f = sim_out_field(e->fields[i].field);
			sim_out_append(seen, f, r->out[f->slot]);
		}
	}
	return ok;
}

/* `assert EXPR`: it held every time it was reached (an assert never reached holds). */
static gboolean check_assert(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const SimStmtResult *r = &w->results[e->stmt->id];
	char buf[32];
	if (seen && r->runs == 0)
		g_string_append(seen, "never reached");
	else if (seen && !r->failures)
		g_string_append_printf(seen, "held %" G_GUINT64_FORMAT " time%s", r->runs,
				       r->runs == 1 ? "" : "s");
	else if (seen)
		g_string_append_printf(seen,
				       "failed %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
				       " times, first in %s at %s",
				       r->failures, r->runs, w->tasks[r->fail_task].name,
				       sim_trace_time(r->fail_at, buf, sizeof(buf)));
	return r->failures == 0;
}

/* `expect A before B`: A first returned at an earlier step than B first did. */
static gboolean check_order(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const SimStmtResult *a = label_result(w, e->proc, e->stmt);
	const SimStmtResult *b = label_result(w, e->proc2, e->stmt2);
	if (seen) {
		if (!a->first_done || !b->first_done)
			g_string_append_printf(seen, "%s never returned",
					       !a->first_done ? "the first" : "the second");
		else
			g_string_append_printf(seen, "the first returned at step %" G_GUINT64_FORMAT
						     ", the second at step %" G_GUINT64_FORMAT,
					       a->first_done, b->first_done);
	}
	return a->first_done && b->first_done && a->first_done < b->first_done;
}

static gint64 stat_value(const SimMbox *mb, SimStatKey key)
{
	switch (key) {
	case SIM_STAT_QNUM:
		return (gint64)sim_mbox_qnum(mb);
	case SIM_STAT_SENT:
		return (gint64)mb->sent;
	case SIM_STAT_RECEIVED:
		return (gint64)mb->received;
	case SIM_STAT_MAX_QNUM:
		return (gint64)mb->max_qnum;
	case SIM_STAT_DESTROYED:
		return mb->destroyed;
	default: /* SysV keys: the parser allows them only on SysV queues */
		g_assert_not_reached();
	}
	return 0;
}

static gint64 msgq_value(const SimMsgq *q, SimStatKey key)
{
	switch (key) {
	case SIM_STAT_QNUM:
		return (gint64)q->qnum;
	case SIM_STAT_CBYTES:
		return (gint64)q->cbytes;
	case SIM_STAT_QBYTES:
		return (gint64)q->qbytes;
	case SIM_STAT_LSPID:
		return q->lspid;
	case SIM_STAT_LRPID:
		return q->lrpid;
	case SIM_STAT_REMOVED:
		return q->removed;
	case SIM_STAT_ID:
		return q->perm.id;
	case SIM_STAT_MODE:
		return q->perm.mode;
	case SIM_STAT_KEY:
		return q->perm.key;
	case SIM_STAT_UID:
		return q->perm.uid;
	case SIM_STAT_GID:
		return q->perm.gid;
	case SIM_STAT_CUID:
		return q->perm.cuid;
	case SIM_STAT_CGID:
		return q->perm.cgid;
	case SIM_STAT_STIME:
		return q->stime;
	case SIM_STAT_RTIME:
		return q->rtime;
	case SIM_STAT_CTIME:
		return q->ctime;
	default: /* mailbox keys: the parser allows them only on mailboxes */
		g_assert_not_reached();
	}
	return 0;
}

/* The SysV queue an expectation names: a declared one (even removed; w is then the world),
 * the live one by key, or the last one with the id (msqid=N, even removed). */
static const SimMsgq *expected_queue(const GPtrArray *msgqs, const SimWorld *w,
				     const SimScnExpect *e)
{
	const SimMsgq *found = NULL;
	for (guint i = 0; i < msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(msgqs, i);
		if (e->by_id) {
			found = q->perm.id == e->msqid ? q : found;
			continue;
		}
		if (e->by_key ? (!q->removed && q->perm.key == e->key)
			      : (q->perm.id == w->sysvq_ids[e->sysvq]))
			return q;
	}
	return found;
}

/* How a value reads in "seen": names for pids, yes/no, octal modes. */
static void append_value(GString *s, const Procs *ps, SimStatKey key, gint64 v)
{
	switch (key) {
	case SIM_STAT_LSPID:
	case SIM_STAT_LRPID:
	case SIM_STAT_NOTIFY_PID:
	case SIM_STAT_PID:
		g_string_append(s, v >= 0 ? task_name(ps, (int)v) : "none");
		break;
	case SIM_STAT_DESTROYED:
	case SIM_STAT_REMOVED:
	case SIM_STAT_UNLINKED:
		g_string_append(s, v ? "yes" : "no");
		break;
	case SIM_STAT_MODE:
		g_string_append_printf(s, "0%" G_GINT64_MODIFIER "o", v);
		break;
	case SIM_STAT_KEY:
		g_string_append_printf(s, "0x%08" G_GINT64_MODIFIER "x", v);
		break;
	case SIM_STAT_STIME:
	case SIM_STAT_RTIME:
	case SIM_STAT_CTIME: {
		char buf[32];
		g_string_append(s, sim_trace_time(v, buf, sizeof(buf)));
		break;
	}
	default:
		g_string_append_printf(s, "%" G_GINT64_FORMAT, v);
		break;
	}
}

static const char *stat_name(SimStatKey key)
{
	static const char *const names[] = {
		[SIM_STAT_QNUM] = "qnum",
		[SIM_STAT_SENT] = "sent",
		[SIM_STAT_RECEIVED] = "received",
		[SIM_STAT_MAX_QNUM] = "max_qnum",
		[SIM_STAT_DESTROYED] = "destroyed",
		[SIM_STAT_CBYTES] = "cbytes",
		[SIM_STAT_QBYTES] = "qbytes",
		[SIM_STAT_LSPID] = "lspid",
		[SIM_STAT_LRPID] = "lrpid",
		[SIM_STAT_REMOVED] = "removed",
		[SIM_STAT_ID] = "id",
		[SIM_STAT_MODE] = "mode",
		[SIM_STAT_CURMSGS] = "curmsgs",
		[SIM_STAT_MAXMSG] = "maxmsg",
		[SIM_STAT_MSGSIZE] = "msgsize",
		[SIM_STAT_QSIZE] = "qsize",
		[SIM_STAT_NOTIFY_PID] = "notify_pid",
		[SIM_STAT_UNLINKED] = "unlinked",
		[SIM_STAT_KEY] = "key",
		[SIM_STAT_UID] = "uid",
		[SIM_STAT_GID] = "gid",
		[SIM_STAT_CUID] = "cuid",
		[SIM_STAT_CGID] = "cgid",
		[SIM_STAT_STIME] = "stime",
		[SIM_STAT_RTIME] = "rtime",
		[SIM_STAT_CTIME] = "ctime",
		[SIM_STAT_VAL] = "val",
		[SIM_STAT_NCNT] = "ncnt",
		[SIM_STAT_ZCNT] = "zcnt",
		[SIM_STAT_PID] = "pid",
	};
	return names[key];
}

/* The POSIX queue that last had the name (the newest one created with it). */
static const SimMqueue *expected_mqueue(const GPtrArray *mqueues, const char *name)
{
	for (guint i = mqueues->len; i-- > 0;) {
		const SimMqueue *q = g_ptr_array_index(mqueues, i);
		if (strcmp(q->name, name) == 0)
			return q;
	}
	return NULL;
}

static gint64 mqueue_value(const SimMqueue *q, SimStatKey key)
{
	switch (key) {
	case SIM_STAT_CURMSGS:
		return (gint64)q->curmsgs;
	case SIM_STAT_MAXMSG:
		return q->maxmsg;
	case SIM_STAT_MSGSIZE:
		return q->msgsize;
	case SIM_STAT_QSIZE:
		return (gint64)q->qsize;
	case SIM_STAT_NOTIFY_PID:
		return q->notify_task;
	case SIM_STAT_UNLINKED:
		return q->unlinked;
	default: /* other keys: the parser allows these only on POSIX queues */
		g_assert_not_reached();
	}
	return 0;
}

/* The object a statistics expectation names: exactly one of the three is set. */
typedef struct {
	const SimMbox *mb;
	const SimMsgq *q;
	const SimMqueue *mq;
} StatTarget;

static gint64 target_value(const StatTarget *t, SimStatKey key)
{
	if (t->mb)
		return stat_value(t->mb, key);
	return t->q ? msgq_value(t->q, key) : mqueue_value(t->mq, key);
}

/* ---- One semaphore: `expect sem key=K NUM val= ncnt= zcnt= pid=` ---- */

/* The set that last had the key: the live one, or else the newest removed one, as it was
 * at its IPC_RMID (scenarios remove their sets before they end, as they should). A live
 * set is the newest with its key: no other can be made with the key while it lives. */
static const SimSemArray *expected_sem_set(const SimWorld *w, gint64 key)
{
	for (guint i = w->semns.all->len; i-- > 0;) {
		const SimSemArray *sma = g_ptr_array_index(w->semns.all, i);
		if (sma->perm.key == key)
			return sma;
	}
	return NULL;
}

static gint64 sem_value(const SimSemArray *sma, guint num, SimStatKey key)
{
	switch (key) {
	case SIM_STAT_VAL:
		return sma->sems[num].semval;
	case SIM_STAT_NCNT:
		return sim_sem_count(sma, num, FALSE);
	case SIM_STAT_ZCNT:
		return sim_sem_count(sma, num, TRUE);
	case SIM_STAT_PID:
		return sma->sems[num].sempid;
	default: /* the parser allows only the four */
		g_assert_not_reached();
	}
	return 0;
}

static gboolean check_sem(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const Procs ps = { w, NULL };
	const SimSemArray *sma = expected_sem_set(w, e->key);
	if (!sma || (guint64)e->sem_num >= sma->nsems) {
		if (seen && sma)
			g_string_append_printf(seen, "the set has %u semaphores", sma->nsems);
		else if (seen)
			g_string_append_printf(
				seen, "no semaphore set ever had key 0x%08" G_GINT64_MODIFIER "x",
				e->key);
		return FALSE;
	}
	gboolean ok = TRUE;
	for (guint i = 0; i < e->n_stats; i++) {
		gint64 v = sem_value(sma, (guint)e->sem_num, e->stats[i].key);
		ok = ok && v == e->stats[i].value;
		if (seen) {
			g_string_append_printf(seen, "%s%s=", i ? " " : "",
					       stat_name(e->stats[i].key));
			append_value(seen, &ps, e->stats[i].key, v);
		}
	}
	return ok;
}

/* The last queue made with key that was removed since: what a file of programs that says
 * key=K for it should say instead (key= finds a live queue, as in a scenario). */
static const SimMsgq *removed_with_key(const GPtrArray *msgqs, gint64 key)
{
	const SimMsgq *found = NULL;
	for (guint i = 0; i < msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(msgqs, i);
		found = q->removed && q->perm.key == key ? q : found;
	}
	return found;
}

static gboolean is_pid_key(SimStatKey key)
{
	return key == SIM_STAT_LSPID || key == SIM_STAT_LRPID || key == SIM_STAT_NOTIFY_PID ||
	       key == SIM_STAT_PID;
}

/* A mailbox (w only), a SysV queue of msgqs or a POSIX queue of mqueues (may be NULL). */
static gboolean check_stats(const Procs *ps, const GPtrArray *msgqs, const GPtrArray *mqueues,
			    const SimScnExpect *e, GString *seen)
{
	const SimWorld *w = ps->w;
	StatTarget t = { 0 };
	if (e->sem)
		return check_sem(w, e, seen);
	if (e->mq_name)
		t.mq = mqueues ? expected_mqueue(mqueues, e->mq_name) : NULL;
	else if (e->mbox >= 0)
		t.mb = &w->mboxes[e->mbox];
	else
		t.q = expected_queue(msgqs, w, e);
	if (!t.mb && !t.q && !t.mq) {
		if (seen && e->mq_name)
			g_string_append_printf(seen, "no queue was ever named \"%s\"", e->mq_name);
		else if (seen && e->by_id)
			g_string_append_printf(seen, "no queue ever had id %" G_GINT64_FORMAT,
					       e->msqid);
		else if (seen && e->by_key && !w && (t.q = removed_with_key(msgqs, e->key)))
			g_string_append_printf(seen,
					       "no live queue has key 0x%08" G_GINT64_MODIFIER
					       "x (msqid=%d had it, and was removed: name it so)",
					       e->key, t.q->perm.id);
		else if (seen)
			g_string_append_printf(
				seen, "no queue with key 0x%08" G_GINT64_MODIFIER "x", e->key);
		return FALSE;
	}
	gboolean ok = TRUE;
	for (guint i = 0; i < e->n_stats; i++) {
		gint64 v = target_value(&t, e->stats[i].key), want = e->stats[i].value;
		if (is_pid_key(e->stats[i].key) && want >= 0)
			want = proc_task(ps, (int)want);
		if (v != want)
			ok = FALSE;
		if (seen) {
			g_string_append_printf(seen, "%s%s=", i ? " " : "",
					       stat_name(e->stats[i].key));
			append_value(seen, ps, e->stats[i].key, v);
		}
	}
	return ok;
}

static gboolean compare(SimTime a, SimCmp cmp, SimTime b)
{
	switch (cmp) {
	case SIM_CMP_EQ:
		return a == b;
	case SIM_CMP_LT:
		return a < b;
	case SIM_CMP_LE:
		return a <= b;
	case SIM_CMP_GT:
		return a > b;
	case SIM_CMP_GE:
		return a >= b;
	}
	return FALSE;
}

/* exit=N: it ended with exit(N) (or the end of its body: 0); killed=SIG: signal SIG ended it.
 * It reads the task alone, so that msgsim exec judges its programs (external tasks) by it. */
gboolean sim_report_exit(const SimTask *t, const SimScnExpect *e, GString *seen)
{
	gboolean exited = t->state == SIM_STATE_EXITED;
	if (seen) {
		if (!exited)
			g_string_append_printf(seen, "state=%s", sim_scn_state_name(t->state));
		else if (t->killed_by && sim_scn_signal_name(t->killed_by))
			g_string_append_printf(seen, "killed=%s",
					       sim_scn_signal_name(t->killed_by));
		else if (t->killed_by) /* a real program's real-time signal: no name */
			g_string_append_printf(seen, "killed=%d", t->killed_by);
		else
			g_string_append_printf(seen, "exit=%" G_GINT64_FORMAT, t->exit_code);
	}
	if (!exited)
		return FALSE;
	if (e->exit_sig)
		return t->killed_by == e->exit_sig;
	return !t->killed_by && t->exit_code == e->exit_code;
}

gboolean sim_report_state(const SimTask *t, const SimScnExpect *e, GString *seen)
{
	/* A stopped task shows as stopped, whatever state it keeps underneath. */
	gboolean stopped = t->stopped_by && t->state != SIM_STATE_EXITED;
	SimTaskState s = stopped ? (SimTaskState)SIM_SCN_STATE_STOPPED : t->state;
	if (seen)
		g_string_append_printf(seen, "state=%s", sim_scn_state_name(s));
	return s == e->state;
}

const char *sim_report_mode_note(const SimScnExpect *e)
{
	if (e->kind == SIM_EXPECT_OUTCOMES)
		return "";
	if (e->mode == SIM_EXPECT_PLAIN)
		return "(always) ";
	return "";
}

gboolean sim_report_one_schedule(const SimScnExpect *e)
{
	return e->mode != SIM_EXPECT_POSSIBLE && e->kind != SIM_EXPECT_OUTCOMES;
}

gboolean sim_report_expectation(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	char buf[32];
	gboolean deadlock = w->status == SIM_RUN_DEADLOCK;
	const Procs ps = { w, NULL };
	switch (e->kind) {
	case SIM_EXPECT_RECEIVED:
		return check_received(&ps, &w->tasks[e->proc], e, seen);
	case SIM_EXPECT_LABEL:
		return check_label(w, e, seen);
	case SIM_EXPECT_STATS:
		return check_stats(&ps, w->msgqs, w->mqueues, e, seen);
	case SIM_EXPECT_CALLS: /* the parser allows it in a programs file only */
		if (seen)
			g_string_append(seen, "judged by msgsim exec only");
		return FALSE;
	case SIM_EXPECT_MQ_FLAGS:
	case SIM_EXPECT_PIPE:
		return sim_report_fd_expectation(w, e, seen);
	case SIM_EXPECT_STATE:
		return sim_report_state(&w->tasks[e->proc], e, seen);
	case SIM_EXPECT_DEADLOCK:
	case SIM_EXPECT_NO_DEADLOCK:
		if (seen)
			g_string_append(seen, deadlock ? "deadlock" : "no deadlock");
		return deadlock == (e->kind == SIM_EXPECT_DEADLOCK);
	case SIM_EXPECT_TIME:
		if (seen)
			g_string_append_printf(seen, "time %s",
					       sim_trace_time(sim_world_now(w), buf, sizeof(buf)));
		return compare(sim_world_now(w), e->cmp, e->time);
	case SIM_EXPECT_EXIT:
		return sim_report_exit(&w->tasks[e->proc], e, seen);
	case SIM_EXPECT_OUTCOMES: /* a property of all schedules: explore's alone */
		if (seen)
			g_string_append(seen, "checked by msgsim explore");
		return TRUE;
	case SIM_EXPECT_ORDER:
		return check_order(w, e, seen);
	case SIM_EXPECT_ASSERT:
		return check_assert(w, e, seen);
	case SIM_EXPECT_SIGNAL: {
		guint64 delivered = 0, handled = 0;
		sim_world_signal_counts(w, (guint)e->proc, e->sig, &delivered, &handled);
		if (seen)
			g_string_append_printf(seen,
					       "delivered=%" G_GUINT64_FORMAT
					       " handled=%" G_GUINT64_FORMAT,
					       delivered, handled);
		return (e->delivered < 0 || (guint64)e->delivered == delivered) &&
		       (e->handled < 0 || (guint64)e->handled == handled);
	}
	}
	return FALSE;
}

/* One item of `calls [...]`, as the language writes it. */
static void append_call(GString *s, guint i, const char *name, gint64 ret, int err,
			gboolean blocked)
{
	g_string_append_printf(s, "%s%s%s", i ? ", " : "", name, blocked ? " blocked" : "");
	if (err)
		g_string_append_printf(s, " errno=%s", sim_errno_name(err));
	else
		g_string_append_printf(s, " ret=%" G_GINT64_FORMAT, ret);
}

void sim_report_describe_calls(GString *s, const SimScnExpect *e, const char *proc)
{
	g_string_append_printf(s, "%s calls [", proc);
	for (guint i = 0; i < e->n_calls; i++)
		append_call(s, i, e->calls[i].name, e->calls[i].ret, e->calls[i].err,
			    e->calls[i].blocked);
	g_string_append_c(s, ']');
}

/* `PROG calls [...]`: the program's calls of the model, each with its result, in order. */
static gboolean check_calls(const GArray *got, const SimScnExpect *e, GString *seen)
{
	static const GArray none = { 0 };
	got = got ? got : &none;
	gboolean ok = got->len == e->n_calls;
	for (guint i = 0; ok && i < e->n_calls; i++) {
		const SimExpectCall *x = &e->calls[i];
		const SimReportCall *c = &g_array_index(got, SimReportCall, i);
		ok = strcmp(x->name, c->name) == 0 && x->err == c->err && x->ret == c->ret &&
		     x->blocked == c->blocked;
	}
	if (seen) {
		g_string_append(seen, "calls [");
		for (guint i = 0; i < got->len; i++) {
			const SimReportCall *c = &g_array_index(got, SimReportCall, i);
			append_call(seen, i, c->name, c->ret, c->err, c->blocked);
		}
		g_string_append_c(seen, ']');
	}
	return ok;
}

/* The first program e names that the run has not, with why in seen; TRUE: none. */
static gboolean programs_found(const SimReportRun *r, const SimScnExpect *e, GString *seen)
{
	g_autoptr(GString) why = g_string_new(NULL);
	gboolean ok = e->proc < 0 || r->program(r->data, e->proc, why) >= 0;
	for (guint i = 0; ok && i < e->n_msgs; i++)
		ok = e->msgs[i].from < 0 || r->program(r->data, e->msgs[i].from, why) >= 0;
	for (guint i = 0; ok && e->kind == SIM_EXPECT_STATS && i < e->n_stats; i++)
		ok = !is_pid_key(e->stats[i].key) || e->stats[i].value < 0 ||
		     r->program(r->data, (int)e->stats[i].value, why) >= 0;
	if (!ok && seen)
		g_string_append(seen, why->str);
	return ok;
}

gboolean sim_report_program_expectation(const SimReportRun *r, const SimScnExpect *e,
					GString *seen)
{
	char buf[32];
	const Procs ps = { NULL, r };
	if (!programs_found(r, e, seen))
		return FALSE;
	int t = proc_task(&ps, e->proc);
	switch (e->kind) {
	case SIM_EXPECT_RECEIVED:
		return check_received(&ps, r->task(r->data, t), e, seen);
	case SIM_EXPECT_CALLS:
		return check_calls(r->calls ? r->calls(r->data, t) : NULL, e, seen);
	case SIM_EXPECT_STATS:
		return check_stats(&ps, r->msgqs, r->mqueues, e, seen);
	case SIM_EXPECT_STATE:
		return sim_report_state(r->task(r->data, t), e, seen);
	case SIM_EXPECT_EXIT:
		return sim_report_exit(r->task(r->data, t), e, seen);
	case SIM_EXPECT_DEADLOCK:
	case SIM_EXPECT_NO_DEADLOCK:
		if (seen)
			g_string_append(seen, r->deadlock ? "deadlock" : "no deadlock");
		return r->deadlock == (e->kind == SIM_EXPECT_DEADLOCK);
	case SIM_EXPECT_TIME:
		if (seen)
			g_string_append_printf(seen, "time %s",
					       sim_trace_time(r->now, buf, sizeof(buf)));
		return compare(r->now, e->cmp, e->time);
	default: /* the parser refuses the others in a programs file (scn_programs.c) */
		if (seen)
			g_string_append(seen, "not judged on programs");
		return FALSE;
	}
}

/* A statistics expectation: its object, then KEY=VALUE each. */
static void describe_stats(const SimWorld *w, const SimScnExpect *e, GString *s)
{
	const Procs ps = { w, NULL };
	if (e->mq_name)
		g_string_append_printf(s, "\"%s\"", e->mq_name);
	else if (e->mbox >= 0)
		g_string_append(s, w->mboxes[e->mbox].name);
	else if (e->by_key)
		g_string_append_printf(s, "%skey=0x%08" G_GINT64_MODIFIER "x", e->sem ? "sem " : "",
				       e->key);
	else if (e->by_id)
		g_string_append_printf(s, "msqid=%" G_GINT64_FORMAT, e->msqid);
	else
		g_string_append(s, w->scn->sysvqs[e->sysvq].name);
	if (e->sem)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, e->sem_num);
	for (guint i = 0; i < e->n_stats; i++) {
		g_string_append_printf(s, " %s=", stat_name(e->stats[i].key));
		append_value(s, &ps, e->stats[i].key, e->stats[i].value);
	}
}

/* What the expectation says, in the scenario's own words (for the report line). */
void sim_report_describe(const SimWorld *w, const SimScnExpect *e, GString *s)
{
	char buf[32];
	static const char *const cmps[] = { "==", "<", "<=", ">", ">=" };
	if (e->mode == SIM_EXPECT_ALWAYS && e->kind == SIM_EXPECT_NO_DEADLOCK) {
		g_string_append(s, "never deadlock");
		return;
	}
	/* `run` says where the line is checked, not what it says: run's report shows it as
	 * a plain one, and explore says how it reads it. */
	if (e->mode != SIM_EXPECT_PLAIN && e->mode != SIM_EXPECT_RUN)
		g_string_append(s, e->mode == SIM_EXPECT_ALWAYS ? "always " : "possible ");
	switch (e->kind) {
	case SIM_EXPECT_OUTCOMES:
		g_string_append_printf(s, "outcomes %" G_GINT64_FORMAT, e->outcomes);
		break;
	case SIM_EXPECT_RECEIVED:
		if (e->count >= 0) {
			g_string_append_printf(s, "%s received count=%" G_GINT64_FORMAT,
					       w->tasks[e->proc].name, e->count);
			break;
		}
		g_string_append_printf(s, "%s received %c", w->tasks[e->proc].name,
				       e->unordered ? '{' : '[');
		for (guint i = 0; i < e->n_msgs; i++) {
			const SimExpectMsg *x = &e->msgs[i];
			if (i)
				g_string_append(s, ", ");
			if (x->type >= 0)
				g_string_append_printf(s, "%" G_GINT64_FORMAT " ", x->type);
			if (x->shown)
				g_string_append(s, x->shown);
			else
				sim_trace_quote(s, x->text, x->len);
			if (x->from >= 0)
				g_string_append_printf(s, " from %s", w->tasks[x->from].name);
		}
		g_string_append_c(s, e->unordered ? '}' : ']');
		break;
	case SIM_EXPECT_ASSERT:
		g_string_append_printf(s, "assert %s", e->text);
		break;
	case SIM_EXPECT_SIGNAL:
		g_string_append_printf(s, "%s signal %s", w->tasks[e->proc].name,
				       sim_scn_signal_name(e->sig));
		if (e->delivered >= 0)
			g_string_append_printf(s, " delivered=%" G_GINT64_FORMAT, e->delivered);
		if (e->handled >= 0)
			g_string_append_printf(s, " handled=%" G_GINT64_FORMAT, e->handled);
		break;
	case SIM_EXPECT_ORDER:
		g_string_append_printf(s, "%s@%s before %s@%s",
				       e->proc >= 0 ? w->tasks[e->proc].name : "", e->stmt->label,
				       e->proc2 >= 0 ? w->tasks[e->proc2].name : "",
				       e->stmt2->label);
		break;
	case SIM_EXPECT_LABEL:
		g_string_append_printf(s, "%s@%s", e->proc >= 0 ? w->tasks[e->proc].name : "",
				       e->stmt->label);
		if (e->result == SIM_LABEL_BLOCKED)
			g_string_append(s, " blocked");
		else if (e->result == SIM_LABEL_BLOCKED_THEN)
			g_string_append_printf(s, " blocked then %s",
					       e->err ? "errno=" : "ok");
		if (e->result == SIM_LABEL_BLOCKED_THEN && e->err)
			g_string_append(s, sim_errno_name(e->err));
		else if (e->result == SIM_LABEL_OK)
			g_string_append(s, " ok");
		else if (e->result == SIM_LABEL_ERRNO)
			g_string_append_printf(s, " errno=%s", sim_errno_name(e->err));
		if (e->check_ret)
			g_string_append_printf(s, " ret=%" G_GINT64_FORMAT, e->ret);
		if (e->untouched >= 0)
			g_string_append_printf(s, " untouched=%" G_GINT64_FORMAT, e->untouched);
		for (guint i = 0; i < e->n_fields; i++)
			sim_out_append(s, sim_out_field(e->fields[i].field), e->fields[i].value);
		break;
	case SIM_EXPECT_STATS:
		describe_stats(w, e, s);
		break;
	case SIM_EXPECT_MQ_FLAGS:
	case SIM_EXPECT_PIPE:
		sim_report_fd_describe(w, e, s);
		break;
	case SIM_EXPECT_CALLS:
		sim_report_describe_calls(s, e, w->tasks[e->proc].name);
		break;
	case SIM_EXPECT_STATE:
		g_string_append_printf(s, "%s state=%s", w->tasks[e->proc].name,
				       sim_scn_state_name(e->state));
		break;
	case SIM_EXPECT_DEADLOCK:
		g_string_append(s, "deadlock");
		break;
	case SIM_EXPECT_NO_DEADLOCK:
		g_string_append(s, "no deadlock");
		break;
	case SIM_EXPECT_TIME:
		g_string_append_printf(s, "time %s %s", cmps[e->cmp],
				       sim_trace_time(e->time, buf, sizeof(buf)));
		break;
	case SIM_EXPECT_EXIT:
		if (e->exit_sig)
			g_string_append_printf(s, "%s killed=%s", w->tasks[e->proc].name,
					       sim_scn_signal_name(e->exit_sig));
		else
			g_string_append_printf(s, "%s exit=%" G_GINT64_FORMAT,
					       w->tasks[e->proc].name, e->exit_code);
		break;
	}
}

/* ---- Summary ---- */

static void summarize(const SimWorld *w, SimTrace *tr)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		SimTraceEvent ev = {
			.kind = SIM_TR_TASK_SUMMARY,
			.time = sim_world_now(w),
			.task = t->name,
			.reason = t->stopped_by && t->state != SIM_STATE_EXITED ? "stopped"
									 : sim_scn_state_name(t->state),
			.counts = { sim_task_cpu(t, sim_world_now(w)),
				    sim_task_blocked(t, sim_world_now(w)), (gint64)t->n_sent,
				    (gint64)t->n_received, t->exit_code },
		};
		sim_trace_emit(tr, &ev);
	}
	for (guint i = 0; i < w->n_mboxes; i++) {
		const SimMbox *mb = &w->mboxes[i];
		if (mb->is_inbox && mb->sent == 0)
			continue; /* a process nobody wrote to directly */
		SimTraceEvent ev = {
			.kind = SIM_TR_OBJ_SUMMARY,
			.time = sim_world_now(w),
			.object = mb->name,
			.op = mb->is_inbox  ? "inbox"
			      : mb->is_port ? "port"
					    : "mailbox",
			.counts = { (gint64)mb->sent, (gint64)mb->received,
				    (gint64)sim_mbox_qnum(mb), (gint64)mb->max_qnum,
				    (gint64)mb->bytes, mb->destroyed && !mb->is_inbox },
		};
		sim_trace_emit(tr, &ev);
	}
}

static void summarize_queues(const SimWorld *w, SimTrace *tr)
{
	for (guint i = 0; i < w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		char label[32];
		g_snprintf(label, sizeof(label), "id %d", q->perm.id);
		SimTraceEvent ev = {
			.kind = SIM_TR_OBJ_SUMMARY,
			.time = sim_world_now(w),
			.object = q->name ? q->name : label,
			.op = "msgq",
			.counts = { (gint64)q->sent, (gint64)q->received, (gint64)q->qnum, -1,
				    (gint64)q->cbytes, q->removed },
		};
		sim_trace_emit(tr, &ev);
	}
}

static void summarize_mqueues(const SimWorld *w, SimTrace *tr)
{
	for (guint i = 0; i < w->mqueues->len; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		SimTraceEvent ev = {
			.kind = SIM_TR_OBJ_SUMMARY,
			.time = sim_world_now(w),
			.object = q->name,
			.op = "mqueue",
			.counts = { (gint64)q->sent, (gint64)q->received, (gint64)q->curmsgs, -1,
				    (gint64)q->qsize, q->unlinked },
		};
		sim_trace_emit(tr, &ev);
	}
}

/* ---- Guard rails ---- */

/* 1073741824 -> "1.0 GiB"; below a KiB, in bytes. */
static void append_size(GString *s, guint64 bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	if (bytes < 1024) {
		g_string_append_printf(s, "%" G_GUINT64_FORMAT " bytes", bytes);
		return;
	}
	double v = (double)bytes / 1024;
	guint u = 0;
	while (v >= 1024 && u + 1 < G_N_ELEMENTS(units)) {
		v /= 1024;
		u++;
	}
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append_printf(s, "%s %s", g_ascii_formatd(buf, sizeof(buf), "%.1f", v),
			       units[u]);
}

/* The object that holds the most, found when the memory guard rail trips: a look at every
 * object once (the run is over), with the same per-item costs the world charged. */
typedef struct {
	guint64 bytes; /* what the best candidate so far holds */
	GString *what; /* how the report names it */
} Top;

static gboolean beats(Top *top, guint64 bytes)
{
	if (bytes <= top->bytes)
		return FALSE;
	top->bytes = bytes;
	g_string_truncate(top->what, 0);
	return TRUE;
}

static guint64 list_bytes(const SimMsgList *l)
{
	guint64 n = 0;
	for (const SimMsg *m = l->head; m; m = m->next)
		n += sizeof(SimMsg) + (m->owned ? m->len + 1 : 0);
	return n;
}

static void holds_messages(Top *top, const SimMsgList *l, const char *kind, const char *name)
{
	if (!beats(top, list_bytes(l)))
		return;
	g_string_append_printf(top->what, "%s%s holds ", kind, name);
	sim_trace_count(top->what, l->len);
	g_string_append(top->what, l->len == 1 ? " message" : " messages");
}

static void holds_objects(Top *top, guint n, gsize each, const char *what)
{
	if (beats(top, (guint64)n * each)) {
		sim_trace_count(top->what, n);
		g_string_append_c(top->what, ' ');
		g_string_append(top->what, what);
	}
}

static void task_holdings(Top *top, const SimTask *t)
{
	if (t->received && t->received->len) {
		guint64 bytes = 0;
		for (guint i = 0; i < t->received->len; i++)
			bytes += sizeof(SimRecv) + g_array_index(t->received, SimRecv, i).len + 1;
		if (beats(top, bytes)) {
			g_string_append_printf(top->what, "the log of what %s received (for its "
							  "`expect received`) holds ",
					       t->name);
			sim_trace_count(top->what, t->received->len);
			g_string_append(top->what, " messages");
		}
	}
	/* Descriptors: the table, and each one's share of its description and pipe. */
	guint open = 0;
	guint64 bytes = sim_fdt_bytes(&t->fdt);
	for (guint fd = 0; fd < t->fdt.n; fd++) {
		const SimFile *f = sim_fdt_get(&t->fdt, fd);
		if (!f)
			continue;
		open++;
		bytes += sizeof(SimFile) / f->refs;
		if (f->kind == SIM_FILE_PIPE)
			bytes += sim_pipe_bytes(f->pipe) / MAX(f->pipe->files, 1) / f->refs;
	}
	if (open && beats(top, bytes)) {
		g_string_append_printf(top->what, "%s holds ", t->name);
		sim_trace_count(top->what, open);
		g_string_append(top->what, " open descriptors (pipes count their pages)");
	}
}

static void find_top(const SimWorld *w, Top *top)
{
	for (guint i = 0; i < w->n_mboxes; i++) {
		const SimMbox *mb = &w->mboxes[i];
		holds_messages(top, &mb->msgs,
			       mb->is_inbox  ? "the inbox of "
			       : mb->is_port ? "port "
					     : "mailbox ",
			       mb->name);
	}
	for (guint i = 0; i < w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		char label[32];
		g_snprintf(label, sizeof(label), "id %d", q->perm.id);
		holds_messages(top, &q->msgs, "SysV queue ", q->name ? q->name : label);
	}
	for (guint i = 0; i < w->mqueues->len; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		holds_messages(top, &q->msgs, "POSIX queue ", q->name);
	}
	for (guint i = 0; i < w->n_tasks; i++)
		task_holdings(top, &w->tasks[i]);
	holds_objects(top, w->msgqs->len, sizeof(SimMsgq),
		      "SysV queues made (removed ones stay, for the report)");
	holds_objects(top, w->mqueues->len, sizeof(SimMqueue),
		      "POSIX queues made (unlinked ones stay, for the report)");
	holds_objects(top, w->fifos->len, sizeof(SimFifo),
		      "FIFOs made (unlinked ones stay, for the report)");
	/* The heap's slots, not only its pending events: it grows by doubling and keeps its
	 * size, and holds process starts as well as sleeps and deadlines. */
	if (beats(top, (guint64)w->evq.cap * sizeof(SimEvent))) {
		g_string_append(top->what, "the event heap has room for ");
		sim_trace_count(top->what, w->evq.cap);
		g_string_append(top->what, " events (process starts, sleeps and deadlines; a "
					   "deadline or a sleep cut short stays until its time), ");
		sim_trace_count(top->what, w->evq.len);
		g_string_append(top->what, " pending");
	}
	holds_objects(top, w->n_tasks, sizeof(SimTask) + sizeof(SimMbox), "processes");
}

/* Who asked for the time that overflowed: "P's sleep (line 3)". */
static void append_culprit(GString *s, const SimWorld *w)
{
	if (!w->halt_task) {
		g_string_append(s, "a timer");
		return;
	}
	if (!w->halt_stmt) {
		g_string_append_printf(s, "the context switch to %s", w->halt_task->name);
		return;
	}
	g_string_append_printf(s, "%s's %s (line %u)", w->halt_task->name,
			       sim_trace_stmt_name(w->halt_stmt), w->halt_stmt->loc.line);
}

/* What a ${...} did wrong when the run had to evaluate it (world_int.h: halt_base). */
static void append_expr_fault(GString *s, const SimWorld *w)
{
	g_string_append(s, "an expression failed: ");
	append_culprit(s, w);
	if (w->halt_base < 0 && w->halt_stmt && w->halt_stmt->dyn) {
		const SimDynOp *op = &w->halt_stmt->dyn->ops[-1 - w->halt_base];
		g_string_append_printf(s,
				       ": its %s is %" G_GINT64_FORMAT ", out of range (%" G_GINT64_FORMAT
				       " to %" G_GINT64_FORMAT ")",
				       op->what, (gint64)w->halt_add, op->min, op->max);
		return;
	}
	guint64 at = (guint64)w->halt_add;
	g_string_append_printf(s, ": at %u:%u %s", (guint)(at >> 32), (guint)(at & 0xffffffffu),
			       sim_expr_fault_text((SimExprFault)w->halt_base));
}

gboolean sim_report_stop(const SimWorld *w, GString *s)
{
	char buf[32], buf2[32];
	const char *now = sim_trace_time(sim_world_now(w), buf, sizeof(buf));
	switch (w->status) {
	case SIM_RUN_STEP_LIMIT:
		g_string_append(s, "--max-steps ");
		sim_trace_count(s, w->max_steps);
		g_string_append_printf(s, " reached at %s (a loop with no way out?); to run "
					  "longer, raise it with --max-steps N",
				       now);
		return TRUE;
	case SIM_RUN_TIME_LIMIT:
		g_string_append_printf(s, "--max-time %s reached at %s; to run longer, raise it "
					  "with --max-time TIME",
				       sim_trace_time(w->max_time, buf2, sizeof(buf2)), now);
		return TRUE;
	case SIM_RUN_MEMORY_LIMIT: {
		g_string_append(s, "--max-memory ");
		append_size(s, w->max_memory);
		g_string_append_printf(s, " reached at %s: ", now);
		if (w->setup_what) {
			g_string_append_printf(s, "%s: ", w->setup_what);
			sim_trace_count(s, w->setup_holders);
			g_string_append(s, " processes each holding ");
			sim_trace_count(s, w->setup_each);
			g_string_append(s, w->setup_unit ? w->setup_unit : "");
			g_string_append(s, " would take at least ");
			append_size(s, w->setup_bytes);
			g_string_append(s, " before the run starts");
		} else if (w->halt == SIM_RUN_MEMORY_LIMIT) {
			append_culprit(s, w);
			g_string_append(s, " would build a text of ");
			sim_trace_count(s, (guint64)w->halt_add);
			g_string_append(s, " bytes");
		} else {
			Top top = { 0, g_string_new(NULL) };
			find_top(w, &top);
			g_string_append_printf(s, "%s (", top.what->str);
			append_size(s, top.bytes);
			g_string_append(s, " of the model's ");
			append_size(s, sim_world_memory(w));
			g_string_append(s, ")");
			g_string_free(top.what, TRUE);
		}
		g_string_append(s, "; raise it with --max-memory SIZE");
		return TRUE;
	}
	case SIM_RUN_TIME_OVERFLOW:
		g_string_append(s, "simulated time overflows: ");
		append_culprit(s, w);
		if (w->halt_add == SIM_TIME_MAX) /* a cost that saturated on its own */
			g_string_append(s, " costs more time than the clock can count");
		else
			g_string_append_printf(s, " adds %s to %s",
					       sim_trace_time(w->halt_add, buf2, sizeof(buf2)),
					       sim_trace_time(w->halt_base, buf, sizeof(buf)));
		g_string_append(s, ", past the largest time (about 292 years)");
		return TRUE;
	case SIM_RUN_EXPR_FAULT:
		append_expr_fault(s, w);
		return TRUE;
	case SIM_RUN_DONE:
	case SIM_RUN_DEADLOCK:
	case SIM_RUN_STOPPED:
		break;
	}
	return FALSE;
}

static const char *rail_name(SimRunStatus s)
{
	switch (s) {
	case SIM_RUN_STEP_LIMIT:
		return "max-steps";
	case SIM_RUN_TIME_LIMIT:
		return "max-time";
	case SIM_RUN_MEMORY_LIMIT:
		return "max-memory";
	case SIM_RUN_TIME_OVERFLOW:
		return "time-overflow";
	case SIM_RUN_EXPR_FAULT:
		return "expression";
	default:
		return NULL;
	}
}

static gint64 rail_limit(const SimWorld *w)
{
	switch (w->status) {
	case SIM_RUN_STEP_LIMIT:
		return (gint64)w->max_steps;
	case SIM_RUN_TIME_LIMIT:
		return w->max_time;
	case SIM_RUN_MEMORY_LIMIT:
		return (gint64)w->max_memory;
	default:
		return SIM_TIME_MAX;
	}
}

static gboolean deadlock_expected(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_expects; i++)
		if (scn->expects[i].kind == SIM_EXPECT_DEADLOCK)
			return TRUE;
	return FALSE;
}

SimVerdict sim_report_finish(SimWorld *w, SimTrace *tr)
{
	SimVerdict v = { 0, 0, w->status == SIM_RUN_DEADLOCK, SIM_EXIT_OK };
	SimTime now = sim_world_now(w);
	if (tr && v.deadlock)
		report_stuck(w, tr);
	const char *rail = rail_name(w->status);
	if (tr && rail) {
		g_autoptr(GString) text = g_string_new(NULL);
		sim_report_stop(w, text);
		SimTraceEvent ev = { .kind = SIM_TR_LIMIT,
				     .time = now,
				     .reason = rail,
				     .text = text->str,
				     .value = rail_limit(w) };
		sim_trace_emit(tr, &ev);
	}
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(GString) said = g_string_new(NULL);
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		g_string_truncate(seen, 0);
		g_string_truncate(said, 0);
		/* All schedules (explore's forms): one schedule cannot show that something is
		 * possible, or how many outcomes there are, so run leaves those out; `always`
		 * and `never deadlock` failing here fail over all schedules, so run shows them
		 * when they fail, and is silent when they hold, as its trace is then unchanged. */
		if (!sim_report_one_schedule(e))
			continue;
		gboolean pass = sim_report_expectation(w, e, seen);
		if (pass && e->mode == SIM_EXPECT_ALWAYS)
			continue;
		sim_report_describe(w, e, said);
		if (pass)
			v.passed++;
		else
			v.failed++;
		if (tr) {
			SimTraceEvent ev = { .kind = SIM_TR_EXPECT,
					     .time = now,
					     .pass = pass,
					     .line = e->loc.line,
					     .text = said->str,
					     .detail = seen->str };
			sim_trace_emit(tr, &ev);
		}
	}
	if (tr) {
		summarize(w, tr);
		summarize_queues(w, tr);
		summarize_mqueues(w, tr);
	}

	/* The precedence of the status table (README, "Exit status"): a run that did not end
	 * (3) cannot be judged; a run that ended is judged by its expectations first (1), so a
	 * grader that tests for 1 sees a wrong answer even when the run also deadlocked; an
	 * unexpected deadlock with every expectation held is 3. */
	const char *verdict;
	gboolean stuck = v.deadlock && !deadlock_expected(w->scn);
	if (rail) {
		v.exit_status = SIM_EXIT_STUCK;
		verdict = "stopped by a guard rail";
	} else if (v.failed) {
		v.exit_status = SIM_EXIT_EXPECT_FAILED;
		verdict = stuck ? "expectations failed, and an unexpected deadlock"
				: "expectations failed";
	} else if (stuck) {
		v.exit_status = SIM_EXIT_STUCK;
		verdict = "unexpected deadlock";
	} else {
		verdict = v.deadlock ? "deadlock, as expected" : "all processes exited";
	}
	if (tr) {
		SimTraceEvent ev = { .kind = SIM_TR_END,
				     .time = now,
				     .text = verdict,
				     .value = v.exit_status,
				     .counts = { (gint64)v.passed, (gint64)v.failed,
						 (gint64)w->steps, (gint64)w->switches } };
		sim_trace_emit(tr, &ev);
	}
	return v;
}

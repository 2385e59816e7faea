/* timeline.c — a run gathered from its trace events, for the pictures to draw.
 *
 * The design choice to know: each task is a small state machine driven by the events that
 * concern it (start, dispatch, preempt, block, wake, sleep, exit), and a state's span is
 * closed when the next one begins, so spans never overlap and cover the task's whole life.
 * Messages are matched by sequence number: the send that made one, the delivery or receive
 * that took it. Which calls send and which take is asked of the call table (wait_role),
 * never of a keyword.
 */
#include "msgsim/output/timeline.h"

#include "msgsim/calls/call.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"

#include <string.h>

SimTimeline *sim_timeline_new(void)
{
	SimTimeline *tl = g_new0(SimTimeline, 1);
	tl->strs = g_string_chunk_new(64 * 1024);
	tl->tasks = g_array_new(FALSE, TRUE, sizeof(SimTlTask));
	tl->calls = g_array_new(FALSE, TRUE, sizeof(SimTlCall));
	tl->msgs = g_array_new(FALSE, TRUE, sizeof(SimTlMsg));
	tl->objects = g_array_new(FALSE, TRUE, sizeof(SimTlObject));
	tl->deadlocks = g_array_new(FALSE, TRUE, sizeof(SimTlDeadlock));
	tl->expects = g_array_new(FALSE, TRUE, sizeof(SimTlExpect));
	tl->task_ix = g_hash_table_new(g_str_hash, g_str_equal);
	tl->obj_ix = g_hash_table_new(g_str_hash, g_str_equal);
	tl->msg_ix = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	tl->limits = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return tl;
}

void sim_timeline_free(SimTimeline *tl)
{
	if (!tl)
		return;
	for (guint i = 0; i < tl->tasks->len; i++)
		g_array_unref(sim_timeline_task(tl, i)->spans);
	for (guint i = 0; i < tl->objects->len; i++)
		g_array_unref(g_array_index(tl->objects, SimTlObject, i).levels);
	for (guint i = 0; i < tl->deadlocks->len; i++)
		g_ptr_array_unref(g_array_index(tl->deadlocks, SimTlDeadlock, i).waits);
	g_array_unref(tl->tasks);
	g_array_unref(tl->calls);
	g_array_unref(tl->msgs);
	g_array_unref(tl->objects);
	g_array_unref(tl->deadlocks);
	g_array_unref(tl->expects);
	g_hash_table_unref(tl->task_ix);
	g_hash_table_unref(tl->obj_ix);
	g_hash_table_unref(tl->msg_ix);
	g_hash_table_unref(tl->limits);
	g_string_chunk_free(tl->strs);
	g_free(tl);
}

const char *sim_timeline_state_name(SimTlState s)
{
	static const char *const names[] = { "ready", "running", "blocked", "sleeping", "exited" };
	return s < SIM_TL_N_STATES ? names[s] : "?";
}

static char *intern(SimTimeline *tl, const char *s)
{
	return s ? g_string_chunk_insert_const(tl->strs, s) : NULL;
}

/* The index of the task named name, made (ready, from t) the first time it is named. */
static guint task_index(SimTimeline *tl, const char *name, SimTime t)
{
	gpointer v = g_hash_table_lookup(tl->task_ix, name);
	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	char *key = intern(tl, name);
	SimTlTask task = { .name = key,
			   .spans = g_array_new(FALSE, FALSE, sizeof(SimTlSpan)),
			   .state = SIM_TL_READY,
			   .since = t,
			   .mark = t,
			   .open_call = SIM_TL_NONE,
			   .last_call = SIM_TL_NONE };
	g_array_append_val(tl->tasks, task);
	g_hash_table_insert(tl->task_ix, key, GUINT_TO_POINTER(tl->tasks->len));
	return tl->tasks->len - 1;
}

/* Closes the task's open span at t and opens one in state s. A span of no length is not
 * kept: a task that is woken and dispatched at once was never visibly ready. */
static void set_state(SimTlTask *task, SimTlState s, SimTime t, const char *object,
		      const char *reason)
{
	if (task->state == SIM_TL_EXITED)
		return;
	if (t > task->since) {
		SimTlSpan sp = { task->since, t, task->state, task->object, task->reason };
		g_array_append_val(task->spans, sp);
	}
	task->state = s;
	task->since = MAX(t, task->since);
	task->object = object;
	task->reason = reason;
}

void sim_timeline_set_limit(SimTimeline *tl, const char *name, gint64 limit)
{
	g_hash_table_replace(tl->limits, g_strdup(name), g_memdup2(&limit, sizeof limit));
}

static SimTlObject *object_named(SimTimeline *tl, const char *name, const char *unit, gint64 limit)
{
	gpointer v = g_hash_table_lookup(tl->obj_ix, name);
	if (v)
		return &g_array_index(tl->objects, SimTlObject, GPOINTER_TO_UINT(v) - 1);
	char *key = intern(tl, name);
	const gint64 *told = g_hash_table_lookup(tl->limits, name);
	if (limit < 0 && told)
		limit = *told;
	SimTlObject o = { .name = key,
			  .unit = unit,
			  .limit = limit,
			  .levels = g_array_new(FALSE, FALSE, sizeof(SimTlLevel)) };
	g_array_append_val(tl->objects, o);
	g_hash_table_insert(tl->obj_ix, key, GUINT_TO_POINTER(tl->objects->len));
	return &g_array_index(tl->objects, SimTlObject, tl->objects->len - 1);
}

/* Records the object's level at t when it changed (or is the first). */
static void level(SimTimeline *tl, const char *name, const char *unit, gint64 limit, SimTime t,
		  gint64 n)
{
	SimTlObject *o = object_named(tl, name, unit, limit);
	if (limit >= 0)
		o->limit = limit;
	GArray *lv = o->levels;
	if (lv->len && g_array_index(lv, SimTlLevel, lv->len - 1).level == n)
		return;
	if (lv->len && g_array_index(lv, SimTlLevel, lv->len - 1).t == t) {
		g_array_index(lv, SimTlLevel, lv->len - 1).level = n;
	} else {
		SimTlLevel p = { t, n };
		g_array_append_val(lv, p);
	}
	o->max = MAX(o->max, n);
}

/* The levels the kernel objects of a call tell: SysV in bytes against msg_qbytes, POSIX
 * in messages against mq_maxmsg, pipes in bytes against their size. */
static void kernel_levels(SimTimeline *tl, const SimTraceEvent *ev)
{
	if (ev->msgq && ev->object && !ev->msgq->removed)
		level(tl, ev->object, "bytes", (gint64)ev->msgq->qbytes, ev->time,
		      (gint64)ev->msgq->cbytes);
	if (ev->mq)
		level(tl, ev->mq->name, "msgs", ev->mq->maxmsg, ev->time, (gint64)ev->mq->curmsgs);
	if (ev->pipe)
		level(tl, ev->pipe->name, "bytes", sim_pipe_size(ev->pipe), ev->time,
		      (gint64)ev->pipe->bytes);
}

/* A mailbox's level is counted from its messages: the events carry no mailbox. */
static void mailbox_step(SimTimeline *tl, SimTlMsg *m, SimTime t, gint64 by)
{
	if (!m->object || !m->queued)
		return;
	SimTlObject *o = object_named(tl, m->object, "msgs", -1);
	GArray *lv = o->levels;
	gint64 n = lv->len ? g_array_index(lv, SimTlLevel, lv->len - 1).level : 0;
	level(tl, m->object, "msgs", -1, t, MAX(n + by, 0));
}

static guint msg_index(SimTimeline *tl, const SimTraceEvent *ev, guint from)
{
	gint64 seq = (gint64)ev->msg->seq;
	gpointer v = g_hash_table_lookup(tl->msg_ix, &seq);
	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	SimTlMsg m = { .seq = ev->msg->seq,
		       .text = g_string_chunk_insert_len(tl->strs, ev->msg->text,
							 (gssize)ev->msg->len),
		       .type = ev->msg->type,
		       .from = from,
		       .to = SIM_TL_NONE,
		       .sent = ev->time,
		       .send_call = SIM_TL_NONE,
		       .recv_call = SIM_TL_NONE };
	g_array_append_val(tl->msgs, m);
	g_hash_table_insert(tl->msg_ix, g_memdup2(&seq, sizeof(seq)),
			    GUINT_TO_POINTER(tl->msgs->len));
	return tl->msgs->len - 1;
}

/* A call that sends (its row PUTS) or takes (TAKES) a message: the message's record. */
static void call_message(SimTimeline *tl, const SimTraceEvent *ev, guint ci, guint ti)
{
	SimTlCall *c = sim_timeline_call(tl, ci);
	SimCallWaitRole role = sim_call_desc(ev->stmt->kind)->wait_role;
	gboolean mailbox = sim_call_desc(ev->stmt->kind)->family == SIM_CALL_MBOX;
	if (role & SIM_WAIT_PUTS) {
		guint mi = msg_index(tl, ev, ti);
		SimTlMsg *m = sim_timeline_msg(tl, mi);
		c->msg = mi;
		if (m->send_call == SIM_TL_NONE || c->of == m->send_call)
			m->send_call = c->of != SIM_TL_NONE ? c->of : ci;
		m->object = intern(tl, ev->object);
		if (ev->err && !ev->blocked) {
			m->failed = m->to == SIM_TL_NONE;
			return;
		}
		if (m->to != SIM_TL_NONE || ev->blocked)
			return;
		m->sent = ev->time; /* it entered the object now (a blocked send: at its return) */
		if (ev->other) {    /* handed to a waiting receiver */
			m->to = task_index(tl, ev->other, ev->time);
			return;
		}
		m->queued = mailbox;
		mailbox_step(tl, m, ev->time, 1);
		return;
	}
	if ((role & SIM_WAIT_TAKES) && !ev->err && !ev->blocked) {
		guint mi = msg_index(tl, ev,
				     ev->msg_from ? task_index(tl, ev->msg_from, ev->time)
						  : SIM_TL_NONE);
		SimTlMsg *m = sim_timeline_msg(tl, mi);
		c->msg = mi;
		if (m->recv_call == SIM_TL_NONE) {
			m->to = ti;
			m->taken = ev->time;
			m->recv_call = ci;
			mailbox_step(tl, m, ev->time, -1);
			m->queued = FALSE;
		}
	}
}

static const char *call_text(SimTimeline *tl, const SimTraceEvent *ev)
{
	g_autoptr(GString) s = g_string_new(NULL);
	sim_trace_text(s, ev);
	return intern(tl, s->str);
}

static void on_call(SimTimeline *tl, const SimTraceEvent *ev)
{
	if (!ev->stmt || !ev->task)
		return;
	guint ti = task_index(tl, ev->task, ev->time);
	SimTlTask *task = sim_timeline_task(tl, ti);
	const SimCallDesc *d = sim_call_desc(ev->stmt->kind);
	SimTlCall c = { .task = ti,
			.start = MIN(task->mark, ev->time),
			.end = ev->time,
			.name = d->name,
			.object = intern(tl, ev->object),
			.text = call_text(tl, ev),
			.line = ev->line,
			.err = ev->err,
			.blocked = ev->kind == SIM_TR_CALL && ev->blocked,
			.of = SIM_TL_NONE,
			.msg = SIM_TL_NONE };
	if (ev->kind == SIM_TR_RETURN) {
		c.of = task->open_call;
		task->open_call = SIM_TL_NONE;
	}
	gboolean compute = ev->stmt->kind == SIM_STMT_COMPUTE;
	if (compute) {
		c.start = ev->time;
		c.end = ev->time + SIM_STMT_ARGS(ev->stmt, SIM_CALL_CONTROL, ctl).duration;
	}
	g_array_append_val(tl->calls, c);
	guint ci = tl->calls->len - 1;
	task->mark = c.end;
	task->last_call = ci;
	if (c.blocked)
		task->open_call = ci;
	if (ev->msg)
		call_message(tl, ev, ci, ti);
	kernel_levels(tl, ev);
	if (ev->stmt->kind == SIM_STMT_SLEEP && !ev->blocked && !ev->err)
		set_state(task, SIM_TL_SLEEPING, ev->time, NULL, "sleep");
}

/* The waker's latest call woke task: "who it woke", in that call's details. */
static void on_wake(SimTimeline *tl, const SimTraceEvent *ev, SimTlTask *task)
{
	if (task->state != SIM_TL_RUNNING)
		set_state(task, SIM_TL_READY, ev->time, NULL, NULL);
	if (!ev->other)
		return;
	SimTlTask *waker = sim_timeline_task(tl, task_index(tl, ev->other, ev->time));
	if (waker->last_call == SIM_TL_NONE)
		return;
	SimTlCall *c = sim_timeline_call(tl, waker->last_call);
	g_autofree char *w =
		c->woke ? g_strconcat(c->woke, ", ", task->name, NULL) : g_strdup(task->name);
	c->woke = intern(tl, w);
}

static void on_deliver(SimTimeline *tl, const SimTraceEvent *ev)
{
	if (!ev->msg || !ev->task)
		return;
	guint mi = msg_index(tl, ev, task_index(tl, ev->task, ev->time));
	SimTlMsg *m = sim_timeline_msg(tl, mi);
	if (ev->other && m->to == SIM_TL_NONE)
		m->to = task_index(tl, ev->other, ev->time);
	mailbox_step(tl, m, ev->time, -1);
	m->queued = FALSE;
}

static void on_deadlock(SimTimeline *tl, const SimTraceEvent *ev)
{
	g_autoptr(GString) s = g_string_new(NULL);
	sim_trace_text(s, ev);
	const char *words = s->str;
	if (g_str_has_prefix(words, "-- deadlock: "))
		words += strlen("-- deadlock: ");
	SimTlDeadlock d = { .task = task_index(tl, ev->task, ev->time),
			    .text = intern(tl, words),
			    .reason = intern(tl, ev->reason),
			    .waits = g_ptr_array_new() };
	for (guint i = 0; i < ev->n_names; i++)
		g_ptr_array_add(d.waits, intern(tl, ev->names[i]));
	g_array_append_val(tl->deadlocks, d);
}

static void on_report(SimTimeline *tl, const SimTraceEvent *ev)
{
	switch (ev->kind) {
	case SIM_TR_HEADER:
		tl->file = intern(tl, ev->text);
		tl->policy = intern(tl, ev->op);
		tl->seed = ev->value;
		return;
	case SIM_TR_DEADLOCK:
		on_deadlock(tl, ev);
		return;
	case SIM_TR_LIMIT:
		tl->stopped = intern(tl, ev->text);
		return;
	case SIM_TR_EXPECT: {
		SimTlExpect x = { ev->line, ev->pass, intern(tl, ev->text),
				  intern(tl, ev->detail) };
		g_array_append_val(tl->expects, x);
		return;
	}
	case SIM_TR_END:
		tl->verdict = intern(tl, ev->text);
		tl->status = ev->value;
		tl->ended = TRUE;
		for (guint i = 0; i < tl->tasks->len; i++) { /* every open span ends here */
			SimTlTask *t = sim_timeline_task(tl, i);
			SimTlSpan sp = { t->since, MAX(ev->time, t->since), t->state, t->object,
					 t->reason };
			/* A task stuck at the end keeps its last state even when it began
			 * just now: a deadlock's blocked spans are what a picture must show. */
			if (sp.end > sp.start || t->state == SIM_TL_BLOCKED)
				g_array_append_val(t->spans, sp);
			t->since = sp.end;
		}
		return;
	default:
		return;
	}
}

/* What a blocked task waits on, as a reader would name it: the object of the block, except
 * that a receive from a direct link waits in the task's own inbox, which bears its own
 * name; then the call's object (the sender it waits for) says more. */
static const char *blocked_on(SimTimeline *tl, const SimTlTask *task, const SimTraceEvent *ev)
{
	if (ev->object && strcmp(ev->object, task->name) == 0 && task->open_call != SIM_TL_NONE) {
		const SimTlCall *c = sim_timeline_call(tl, task->open_call);
		if (c->object)
			return c->object;
	}
	return intern(tl, ev->object);
}

void sim_timeline_add(SimTimeline *tl, const SimTraceEvent *ev)
{
	tl->events++;
	if (ev->time > tl->end)
		tl->end = ev->time;
	if (tl->ended)
		return;
	SimTlTask *task = NULL;
	if (ev->task && ev->kind != SIM_TR_DEADLOCK && ev->kind != SIM_TR_TASK_SUMMARY)
		task = sim_timeline_task(tl, task_index(tl, ev->task, ev->time));
	switch (ev->kind) {
	case SIM_TR_START:
		set_state(task, SIM_TL_READY, ev->time, NULL, NULL);
		return;
	case SIM_TR_DISPATCH:
		if (ev->other) {
			SimTlTask *prev =
				sim_timeline_task(tl, task_index(tl, ev->other, ev->time));
			if (prev->state == SIM_TL_RUNNING)
				set_state(prev, SIM_TL_READY, ev->time, NULL, NULL);
		}
		set_state(task, SIM_TL_RUNNING, ev->time, NULL, NULL);
		task->mark = ev->time;
		return;
	case SIM_TR_PREEMPT:
		set_state(task, SIM_TL_READY, ev->time, NULL, ev->reason);
		if (task->last_call != SIM_TL_NONE) { /* a compute cut short */
			SimTlCall *c = sim_timeline_call(tl, task->last_call);
			c->end = MIN(c->end, MAX(ev->time, c->start));
		}
		return;
	case SIM_TR_CALL:
	case SIM_TR_RETURN:
		on_call(tl, ev);
		return;
	case SIM_TR_BLOCK:
		set_state(task, SIM_TL_BLOCKED, ev->time, blocked_on(tl, task, ev),
			  intern(tl, ev->reason));
		return;
	case SIM_TR_WAKE:
		on_wake(tl, ev, task);
		return;
	case SIM_TR_DELIVER:
		on_deliver(tl, ev);
		return;
	case SIM_TR_PRINT:
		task->mark = ev->time;
		return;
	case SIM_TR_EXIT:
		set_state(task, SIM_TL_EXITED, ev->time, NULL, NULL);
		return;
	default:
		on_report(tl, ev);
		return;
	}
}

/* ---- Helpers for the writers ---- */

void sim_timeline_us(GString *s, SimTime t)
{
	if (t < 0) {
		g_string_append_c(s, '-');
		t = -t;
	}
	sim_trace_uint(s, (guint64)t / 1000u);
	guint frac = (guint)((guint64)t % 1000u);
	if (!frac)
		return;
	char buf[5] = { '.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
			(char)('0' + frac % 10), 0 };
	gsize n = 4;
	while (buf[n - 1] == '0')
		n--;
	g_string_append_len(s, buf, (gssize)n);
}

void sim_timeline_json_escape(GString *s, const char *v)
{
	g_autofree char *valid = NULL;
	if (!g_utf8_validate(v, -1, NULL)) /* JSON is UTF-8: bad bytes become U+FFFD */
		v = valid = g_utf8_make_valid(v, -1);
	for (const guchar *c = (const guchar *)v; *c; c++) {
		switch (*c) {
		case '"':
			g_string_append(s, "\\\"");
			break;
		case '\\':
			g_string_append(s, "\\\\");
			break;
		case '\n':
			g_string_append(s, "\\n");
			break;
		case '\t':
			g_string_append(s, "\\t");
			break;
		case '<':
			g_string_append(s, "\\u003c");
			break;
		default:
			if (*c < 0x20)
				g_string_append_printf(s, "\\u%04x", *c);
			else
				g_string_append_c(s, (char)*c);
		}
	}
}

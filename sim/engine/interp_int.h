/* interp_int.h — what every call's exec shares with the interpreter (interp.c); not public.
 *
 * The calls execute in their families (sim/calls/call_*.c, the `exec` of each row of the
 * call table); this header is what they may use besides the world's services (world_int.h).
 * Every call follows one protocol: sim_interp_started when it begins, sim_interp_blocked
 * when it must wait (the pc stays put and the task comes back `resuming`, to the same
 * exec), and sim_interp_finish (or _returned, for calls that return 0) when it is over,
 * which records the result for label expectations and moves the pc on. An exec runs at
 * most one call: the step returns as soon as it does.
 */
#ifndef MSGSIM_INTERP_INT_H
#define MSGSIM_INTERP_INT_H

#include "engine/world_int.h"

/* The call protocol */
void sim_interp_started(SimWorld *w, const SimStmt *st);
void sim_interp_blocked(SimWorld *w, const SimStmt *st);
void sim_interp_finish(SimWorld *w, SimTask *t, const SimStmt *st, int err, gint64 ret);
/* A receive with fill=: how many bytes of its buffer past the data still hold the fill; call
 * before sim_interp_finish (the cross-check compares at the finish). */
void sim_interp_untouched(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 n);
void sim_interp_returned(SimWorld *w, SimTask *t, const SimStmt *st, int err);
/* A call that fills a struct (msgctl IPC_INFO, fstat): its SIM_OUT_SLOTS fields, in the slots
 * msgsim/lang/outfield.h gives them, for `expect @L FIELD=N`; call before sim_interp_finish. */
void sim_interp_out(SimWorld *w, const SimTask *t, const SimStmt *st, const gint64 *out);

/* What a call costs: `base` plus its bytes at the scenario's cost per byte, saturated
 * (sim_world_charge stops the run when the clock cannot take it). */
static inline SimTime sim_interp_cost(const SimWorld *w, SimTime base, guint64 bytes)
{
	return sim_time_add(base, sim_time_mul(w->scn->cost_byte, bytes));
}

/* Texts, messages and the trace */
void sim_interp_expand(SimWorld *w, const SimTask *t, const SimText *text); /* -> w->scratch */
/* The value of expression e for t; FALSE after a fault (division by zero, overflow), which
 * stops the run after the current statement (SIM_RUN_EXPR_FAULT). */
gboolean sim_interp_eval(SimWorld *w, const SimTask *t, const SimExpr *e, gint64 *out);
/* A message from t with the statement's text and the header its family gives (type, prio,
 * the addressed receiver or -1); from the pool, its text the scenario's own when literal
 * (no allocation), else expanded and owned. */
SimMsg *sim_interp_make_msg(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 type,
			    gint64 prio, int to);
void sim_interp_keep_received(SimWorld *w, SimTask *t, const SimStmt *st, SimMsg *m);
/* The same for bytes with no sender, a message made of them (interp.c). */
void sim_interp_keep_bytes(SimWorld *w, SimTask *t, const SimStmt *st, const char *data, gsize len,
			   gsize size);
/* The part of a call's trace event every object shares, in *ev; callers add their object's
 * state. Names come from the world's dense list by index, not from the tasks themselves,
 * which lie a task's size apart: a server answering 100,000 clients would miss the cache
 * on every one. The event is filled where the caller keeps it: built in a function and
 * returned, it was zeroed in one place and copied to another, and the copy waited for the
 * zeros to land (an eighth of a JSONL trace's time). */
static inline void sim_interp_call_event_init(SimTraceEvent *ev, const SimWorld *w,
					      SimTraceKind kind, const SimTask *t,
					      const SimStmt *st, const char *object,
					      const SimMsg *m, int err, const char *blocked,
					      int other)
{
	sim_trace_event_clear(ev);
	ev->kind = kind;
	ev->task = t->name;
	ev->other = other >= 0 ? w->names[other] : NULL;
	ev->object = object;
	ev->stmt = st;
	ev->msg = m;
	ev->msg_from = m && m->from >= 0 ? w->names[m->from] : NULL;
	ev->err = err;
	ev->blocked = blocked != NULL;
	ev->reason = blocked;
	ev->line = st->loc.line;
}
/* The same, returned: for events built off the hot path. */
static inline SimTraceEvent sim_interp_call_event(const SimWorld *w, SimTraceKind kind,
						  const SimTask *t, const SimStmt *st,
						  const char *object, const SimMsg *m, int err,
						  const char *blocked, int other)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, object, m, err, blocked, other);
	return ev;
}

/* Signals: handlers run on the way back to user space; a pending caught signal installed
 * without SA_RESTART forbids restarting an interrupted call. */
void sim_interp_run_handlers(SimWorld *w, SimTask *t);
gboolean sim_interp_no_restart(const SimTask *t);

/* Descriptors: how the trace shows a descriptor operand (written into buf); the number it
 * names is sim_interp_fd (interp.h). */
const char *sim_interp_fd_word(const SimWorld *w, const SimTask *t, const SimStmt *st, char *buf,
			       gsize size);

#endif /* MSGSIM_INTERP_INT_H */

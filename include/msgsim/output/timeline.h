/* timeline.h — a run gathered from its trace events: who was in which state when, every call
 * with its slice of time, every message from its send to the receive that took it, every
 * queue's and pipe's fill level, the deadlock and the expectations.
 *
 * The pictures (pictures.h: chrome, mermaid, dot, html) are drawn from this one model, so
 * they agree with each other and with the text trace, whose words they reuse
 * (sim_trace_text). It is fed only trace events, as any sink is, and knows nothing of the
 * world; what events do not say it does not invent. A mailbox's capacity is not in them:
 * whoever holds the scenario tells it beforehand (sim_timeline_set_limit), else a mailbox's
 * level has no limit.
 *
 * Times are the events' own: a call's slice runs from the moment its task last did
 * something on the CPU (its dispatch, its previous call) to the call's event, which the
 * engine emits once the call's cost is paid; a compute runs for its duration from its event.
 * Strings live in one chunk owned by the timeline; indices link the records (a message
 * names the calls that sent and took it), so the arrays may grow freely.
 */
#ifndef MSGSIM_TIMELINE_H
#define MSGSIM_TIMELINE_H

#include "msgsim/output/trace.h"

#define SIM_TL_NONE G_MAXUINT /* "no such record" in an index field */

typedef enum SimTlState {
	SIM_TL_READY,	 /* waits for the CPU */
	SIM_TL_RUNNING,	 /* has the CPU */
	SIM_TL_BLOCKED,	 /* waits in a call, on an object, for a reason */
	SIM_TL_SLEEPING, /* waits for its timer */
	SIM_TL_EXITED,	 /* gone */
	SIM_TL_N_STATES,
} SimTlState;

typedef struct SimTlSpan {
	SimTime start, end;
	SimTlState state;
	const char *object; /* BLOCKED: what it waits on, or NULL */
	const char *reason; /* BLOCKED: why, in the trace's words, or NULL */
} SimTlSpan;

typedef struct SimTlTask {
	const char *name;
	GArray *spans;	    /* SimTlSpan, in time order; the last one is closed at the end */
	SimTlState state;   /* the open span's state */
	SimTime since;	    /* ... and when it began */
	const char *object; /* ... its object and reason */
	const char *reason;
	SimTime mark;	 /* when it last did something on the CPU: a call's slice starts here */
	guint open_call; /* its call that blocked and has not returned, or SIM_TL_NONE */
	guint last_call; /* its latest call, or SIM_TL_NONE: a wake-up's waker */
} SimTlTask;

typedef struct SimTlCall {
	guint task;
	SimTime start, end; /* its slice of time */
	const char *name;   /* the statement's keyword: "send", "msgrcv", "compute" */
	const char *object; /* the object it names, or NULL */
	const char *text;   /* the text trace's words for it */
	guint line;	    /* its scenario line, or 0 */
	int err;	    /* 0 or errno */
	gboolean blocked;   /* it blocked (its return is another record) */
	guint of;	    /* a return: the call that blocked, else SIM_TL_NONE */
	guint msg;	    /* the message it sent or took, or SIM_TL_NONE */
	const char *woke;   /* the tasks it woke, ", " between them, or NULL */
} SimTlCall;

typedef struct SimTlMsg {
	guint64 seq;
	const char *text;
	gint64 type;
	const char *object;  /* where it was sent, or NULL (a direct link) */
	guint from, to;	     /* tasks; to is SIM_TL_NONE while it is queued */
	SimTime sent, taken; /* when it entered its object, and when a receive took it */
	guint send_call;     /* the call that sent it */
	guint recv_call;     /* the call (or return) that took it, or SIM_TL_NONE */
	gboolean queued;     /* it sat in a mailbox (it counts in the mailbox's level) */
	gboolean failed;     /* its send failed in the end: it never went anywhere */
} SimTlMsg;

typedef struct SimTlLevel {
	SimTime t;
	gint64 level;
} SimTlLevel;

typedef struct SimTlObject {
	const char *name;
	const char *unit; /* what the level counts: "msgs" or "bytes" */
	gint64 limit;	  /* the most it holds, or -1 when the events do not say */
	gint64 max;	  /* the highest level seen */
	GArray *levels;	  /* SimTlLevel, one per change */
} SimTlObject;

typedef struct SimTlDeadlock {
	guint task;
	const char *text;   /* the text report's words, after "-- deadlock: " */
	const char *reason; /* the reason alone */
	GPtrArray *waits;   /* names of the tasks it waits for (const char *; may be empty) */
} SimTlDeadlock;

typedef struct SimTlExpect {
	guint line;
	gboolean pass;
	const char *text; /* what was expected */
	const char *seen; /* what was seen, or NULL */
} SimTlExpect;

typedef struct SimTimeline {
	GStringChunk *strs;		       /* every string of the records */
	GArray *tasks;			       /* SimTlTask, in order of appearance */
	GArray *calls;			       /* SimTlCall, in trace order */
	GArray *msgs;			       /* SimTlMsg, in order of sending */
	GArray *objects;		       /* SimTlObject, in order of appearance */
	GArray *deadlocks;		       /* SimTlDeadlock */
	GArray *expects;		       /* SimTlExpect */
	GHashTable *task_ix, *obj_ix, *msg_ix; /* name or seq -> index + 1 */
	GHashTable *limits;		       /* name -> gint64 *: limits told beforehand */
	const char *file, *policy;	       /* the header's */
	gint64 seed;
	const char *stopped; /* what stopped the run (a guard rail), or NULL */
	const char *verdict; /* the end's verdict, or NULL before the end */
	gint64 status;	     /* the exit status */
	SimTime end;	     /* the time of the last event */
	guint64 events;	     /* events taken */
	gboolean ended;	     /* the END event came */
} SimTimeline;

/* Lifecycle */
SimTimeline *sim_timeline_new(void);
void sim_timeline_free(SimTimeline *tl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTimeline, sim_timeline_free)

/* Operations */
/* Tells the limit of the object named name (a mailbox's capacity, which no event
 * carries), for its fill chart; an object the run never touches is not drawn. */
void sim_timeline_set_limit(SimTimeline *tl, const char *name, gint64 limit);
/* Takes one event (any kind; those it has no use for are counted and dropped). At END
 * every task's open span is closed. */
void sim_timeline_add(SimTimeline *tl, const SimTraceEvent *ev);

/* Queries */
const char *sim_timeline_state_name(SimTlState s); /* "running", "blocked", ... */
static inline SimTlTask *sim_timeline_task(const SimTimeline *tl, guint i)
{
	return &g_array_index(tl->tasks, SimTlTask, i);
}
static inline SimTlCall *sim_timeline_call(const SimTimeline *tl, guint i)
{
	return &g_array_index(tl->calls, SimTlCall, i);
}
static inline SimTlMsg *sim_timeline_msg(const SimTimeline *tl, guint i)
{
	return &g_array_index(tl->msgs, SimTlMsg, i);
}
/* A time in microseconds as trace viewers want it: "1002", "1.5" (exact, no exponent). */
void sim_timeline_us(GString *s, SimTime t);
/* Appends v as the body of a JSON string (quotes not included); '<' is written \u003c so
 * that the text can sit inside an HTML script element. */
void sim_timeline_json_escape(GString *s, const char *v);

#endif /* MSGSIM_TIMELINE_H */

/* evq.h — the event queue and the simulation clock.
 *
 * The queue owns the clock: `now` only moves forward, and only here (sim_evq_advance,
 * sim_evq_jump). Events are totally ordered by (time, prio, seq): seq is a counter
 * stamped at push time, so events with equal time and priority keep insertion order
 * and every run of the same scenario pops the same events in the same order.
 *
 * Storage is a binary min-heap in one growable array of SimEvent values: push and pop
 * are O(log n) and allocate only when the array doubles, never per event.
 *
 * Events are never removed from the middle. A timer that became moot (the task was
 * woken by a message before its sleep ended, say) is left in the heap and recognised
 * when popped: its `gen` no longer equals the task's wait generation (see task.h).
 */
#ifndef MSGSIM_EVQ_H
#define MSGSIM_EVQ_H

#include "msgsim/base.h"

typedef enum SimEventKind {
	SIM_EV_START,	/* a task with start=TIME becomes ready */
	SIM_EV_TIMER,	/* a sleeping task's timer expires */
	SIM_EV_TIMEOUT, /* a blocked timed call's deadline passes (mq_timedsend/receive) */
	SIM_EV_ALARM,	/* a process's alarm expires: SIGALRM (gen: its alarm generation) */
} SimEventKind;

/* Priorities among events at the same time: lower runs first. */
enum { SIM_EVPRIO_TIMER = 0, SIM_EVPRIO_START = 1 };

typedef struct SimEvent {
	SimTime time;	   /* when it fires */
	int prio;	   /* order among equal times, lower first */
	guint64 seq;	   /* insertion order, stamped by sim_evq_push */
	SimEventKind kind; /* what to do */
	int task;	   /* the task it concerns (index in the world) */
	guint64 gen;	   /* the task's wait generation when pushed (SIM_EV_TIMER) */
} SimEvent;

typedef struct SimEvq {
	SimEvent *heap; /* binary min-heap, heap[0] is the next event */
	guint len;	/* events in the heap */
	guint cap;	/* allocated slots */
	guint64 seq;	/* next sequence number */
	SimTime now;	/* the simulation clock */
} SimEvq;

/* Lifecycle (embedded struct; clear frees the array only) */
void sim_evq_init(SimEvq *q);
void sim_evq_clear(SimEvq *q);

/* Operations */
void sim_evq_push(SimEvq *q, SimEvent ev);	    /* ev.seq is overwritten; ev.time >= now */
gboolean sim_evq_pop_due(SimEvq *q, SimEvent *out); /* pops the next event if its time <= now */
void sim_evq_drop_next(SimEvq *q);		    /* discards the next event; the clock stays */
void sim_evq_jump(SimEvq *q); /* now = time of the next event (queue not empty) */
/* Keeps only the events keep(ev, data) accepts, a heap again, their order unchanged (each
 * keeps its seq); O(len). For a queue whose moot events outnumber the live ones. */
void sim_evq_prune(SimEvq *q, gboolean (*keep)(const SimEvent *ev, void *data), void *data);

/* now += dt, dt >= 0; the caller checked that the sum stays below SIM_TIME_MAX (the world
 * stops the run otherwise). Inline: every call of every run moves the clock. */
static inline void sim_evq_advance(SimEvq *q, SimTime dt)
{
	g_assert(dt >= 0 && dt < SIM_TIME_MAX - q->now);
	q->now += dt;
}

/* Queries */
static inline SimTime sim_evq_now(const SimEvq *q)
{
	return q->now;
}
static inline gboolean sim_evq_empty(const SimEvq *q)
{
	return q->len == 0;
}
/* Time of the next event, or SIM_TIME_MAX when the queue is empty. */
static inline SimTime sim_evq_next_time(const SimEvq *q)
{
	return q->len ? q->heap[0].time : SIM_TIME_MAX;
}

/* An event is due now: what sim_evq_pop_due would pop. Inline, so that the engine's loop
 * asks it after every call without a function call, the usual answer being no. */
static inline gboolean sim_evq_due(const SimEvq *q)
{
	return q->len && q->heap[0].time <= q->now;
}

/* The next event (queue not empty), to decide whether it is stale before time moves. */
static inline const SimEvent *sim_evq_peek(const SimEvq *q)
{
	return &q->heap[0];
}

/* Debug: the heap property holds for every node. */
gboolean sim_evq_check(const SimEvq *q);

#endif /* MSGSIM_EVQ_H */

/* sched.h — the CPU scheduler: one CPU, a ready queue, and four policies.
 *
 * The ready queue is a binary min-heap of tasks keyed by (key, seq), which gives every
 * policy from one structure in O(log n) without allocation. Each entry carries its keys and
 * each task's slot is kept by task id (`pos`), so that moving an entry never reads or
 * writes a task: with a hundred thousand tasks ready, a pick touches the heap's few cache
 * lines, not seventeen tasks scattered through memory.
 *   fifo      key 0, seq = arrival: first come, first served; never preempts.
 *   rr        as fifo; the running task goes to the tail when its quantum is used up.
 *   priority  key = -priority: highest first, FIFO within a level; preemptive. A task
 *             preempted by a higher priority goes back to the HEAD of its level
 *             (as SCHED_FIFO does), a task that blocked or was woken to the tail.
 *   random    the pick draws a seeded random index among the ready tasks (removal from the
 *             middle of the heap, O(log n)), and the running task yields after every
 *             statement, so each statement goes to a uniformly random ready task.
 *             Every pick draws one number (even with one task ready) from the world's one
 *             random stream, which deliver=random mailboxes draw from too (mbox.h): the
 *             two interleave their draws in run order.
 * A stopped task (task.h `stopped_by`) is never on the heap: enqueueing it parks it (O(1)),
 * removing a parked task only unparks it, and sim_sched_resume queues it when SIGCONT comes.
 * So the pick never meets a stopped task, and no operation scans for one.
 */
#ifndef MSGSIM_SCHED_H
#define MSGSIM_SCHED_H

#include "msgsim/base.h"
#include "msgsim/engine/task.h"

typedef enum SimSchedPolicy {
	SIM_SCHED_FIFO,	    /* run to block or exit, ready queue in arrival order */
	SIM_SCHED_RR,	    /* round-robin with a quantum */
	SIM_SCHED_PRIORITY, /* preemptive, highest priority first, FIFO within a priority */
	SIM_SCHED_RANDOM,   /* a seeded random pick among ready tasks at every statement */
} SimSchedPolicy;

/* One ready task and the keys it is ordered by (sched.c). */
typedef struct SimReady {
	gint64 key;    /* priority: -priority; the other policies: 0 */
	gint64 seq;    /* arrival number (head inserts count down from -1) */
	SimTask *task; /* the ready task */
	guint id;      /* its id, for pos without a look at the task */
} SimReady;

typedef struct SimSched {
	SimSchedPolicy policy;
	SimTime quantum; /* rr */
	SimRng *rng;	 /* random: the world's stream, shared with deliver=random (not owned) */
	SimReady *heap;	 /* ready tasks, heap[0] runs next */
	guint len, cap;
	guint *pos; /* by task id: its slot in heap while ready (n_ids of them) */
	gint64 tail_seq; /* next arrival number (counts up) */
	gint64 head_seq; /* next head-insert number (counts down) */
	guint64 snapshot_visits; /* ready entries sim_sched_snapshot looked at (for tests) */
	guint n_woken;		 /* ready tasks woken in a blocked call (SimTask.resuming) */
	/* random: the ready tasks by id (a bit each, and the task), so that the trace's list in
	 * task order costs a word per 64 tasks, not a look at every ready one */
	guint64 *ready_bits;
	SimTask **by_id;
	guint n_ids; /* room in pos and by_id (ready_bits has n_ids / 64 words) */
	/* random under exploration (--timing strict): picks the heap slot (0..len-1) instead of
	 * a draw, so that every pick is tried; NULL: draw from rng. */
	guint (*choose)(void *data, guint n);
	void *choose_data;
	/* random: the index drawn or chosen counts the ready tasks in task order (lowest id
	 * first) instead of naming a heap slot, so that it means the same task whatever order
	 * they were queued in. A world of external tasks picks so (external.c). (Under any
	 * policy's choose, a return of n or more declines: the pick gives NULL.) */
	gboolean task_order;
} SimSched;

/* Lifecycle */
void sim_sched_init(SimSched *s, SimSchedPolicy policy, SimTime quantum, SimRng *rng);
void sim_sched_clear(SimSched *s);

/* Operations */
void sim_sched_enqueue(SimSched *s, SimTask *t, gboolean at_head); /* t is READY */
SimTask *sim_sched_pick(SimSched *s); /* NULL when empty, or when choose declined */
/* t is READY: take it off (killed, or picked out of turn); O(log n) by its slot (pos). */
void sim_sched_remove(SimSched *s, SimTask *t);
/* t, stopped and READY, was parked by sim_sched_enqueue: queue it now (at the tail). */
void sim_sched_resume(SimSched *s, SimTask *t);

/* Queries */
static inline guint sim_sched_len(const SimSched *s)
{
	return s->len;
}
/* The i-th task of the heap (i < len), in heap order, not run order. */
static inline SimTask *sim_sched_at(const SimSched *s, guint i)
{
	return s->heap[i].task;
}
/* Should the running task give up the CPU now (after a statement or a compute slice)? */
gboolean sim_sched_should_preempt(const SimSched *s, const SimTask *cur);
/* The first `max` ready tasks in the order they would run (random: task order); for the trace.
 * Run order costs O(max log max) whatever the queue's length (at most 2 max + 1 entries
 * looked at); random's task order reads one bit word per 64 task ids up to the last listed. */
guint sim_sched_snapshot(SimSched *s, const SimTask **out, guint max);
const char *sim_sched_policy_name(SimSchedPolicy p);

/* Debug */
gboolean sim_sched_check(const SimSched *s);

#endif /* MSGSIM_SCHED_H */

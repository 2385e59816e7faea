/* state.c — a 64-bit digest of a stepped world's state, for the stateful search.
 *
 * Two executions that reach worlds with equal digests have the same futures and the same
 * outcomes, so the search explores what follows only once (explore.c, --stateful). That
 * holds only if the digest covers everything a future step, the outcome text or an
 * expectation can read: per task its control state (state, pc, loop counters, variables and
 * the messages in them, last result, a pending woken call, what it waits for and what it
 * holds while it waits), its signal state and accounts, and what it has observed so far
 * (the recorder's line, so that the per-process result sequences of the outcome are in the
 * state); per mailbox its messages in order and its wait queues in order. Kept only where
 * something reads them: the sender of a message in a declared mailbox when a reply (`send
 * $m`, to the sender of the message in m) or a `received` expectation could read it
 * (sim_state_needs_senders; messages in inboxes and variables always keep theirs, since
 * `receive from P` and replies read it there); each statement's results when a label
 * expectation or an assert reads them; the mailboxes' statistics (peak length, totals)
 * when a statistics expectation does. The last two depend on the
 * path (how often a send blocked, how full a mailbox ever was), and a digest that kept
 * them where nothing reads them would tell apart states whose futures and outcomes are
 * the same.
 *
 * The design choice to know: the digest refuses rather than guesses. A world that holds
 * anything it does not cover (pollers, ALPC ports, what `expect P fd D` saw) gets no
 * digest, and the search then does not prune there. What it leaves out on purpose: the
 * clock and the context-switch count (under --timing any, time decides nothing: every step
 * may come at any moment; a pending alarm goes in as what alarm() would return now, see
 * snap_sig.c), the
 * step count, and a statement's first_done step (only `expect ... before ...` reads it; the
 * stateful search is not used when a scenario has one, nor with `expect time`).
 * SysV and POSIX message queues, semaphore sets, shared memory, and pipes, FIFOs, socket
 * pairs and the descriptor tables (every description once, a queue's as much as a pipe's
 * or a socket's) are digested by snap_msg.c, snap_mq.c, snap_sem.c, snap_shm.c,
 * snap_sock.c and snap_pipe.c, beside their snapshots (which say what they leave out); the
 * signal counts, the thread groups, the running handler bodies and the alarms by
 * snap_sig.c; the records `expect P@LABEL` reads here, with the statements' own.
 *
 * Cost: linear in the tasks, messages and statements; a few hundred nanoseconds for a
 * dozen processes. Collisions: two different states share a digest with probability about
 * n^2 / 2^65 over n states (1e-9 at 200 000 states); SPIN's hash-compact mode takes the
 * same kind of risk.
 */
#include "explore/explore_int.h"
#include "msgsim/lang/expr.h"
#include "explore/snap_mq.h"
#include "explore/snap_sem.h"
#include "explore/snap_pipe.h"
#include "explore/snap_shm.h"
#include "explore/snap_sig.h"

#include <string.h>

typedef struct Digest {
	guint64 h;
} Digest;

/* One 64-bit word into the digest: a multiply-xorshift round (fast, and every input bit
 * reaches every output bit after the final mix). */
static inline void mix(Digest *d, guint64 v)
{
	d->h ^= v;
	d->h *= G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
	d->h ^= d->h >> 29;
}

static void mix_bytes(Digest *d, const char *s, gsize len)
{
	mix(d, len);
	guint64 w;
	gsize i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		mix(d, w);
	}
	if (i < len) {
		w = 0;
		memcpy(&w, s + i, len - i);
		mix(d, w);
	}
}

/* A message; its sender only when someone can read it (`senders`, see sim_state_digest). */
static void mix_msg(Digest *d, const SimMsg *m, gboolean senders)
{
	if (!m) {
		mix(d, 0x6e6f6e65);
		return;
	}
	mix_bytes(d, m->text, m->len);
	mix(d, (guint64)m->type);
	mix(d, (guint64)m->prio);
	mix(d, m->size);
	mix(d, (guint64)(gint64)(senders ? m->from : -2));
	mix(d, (guint64)(gint64)m->to);
}

/* anon: the task's own id and its message's sender left out (sim_state_digest_canon). */
static void mix_waiter(Digest *d, const SimWaiter *wt, gboolean anon)
{
	mix(d, (guint64)(gint64)(anon ? -2 : wt->task));
	mix(d, (guint64)wt->prio);
	mix(d, (guint64)(gint64)wt->from);
	mix(d, (guint64)wt->type);
	mix(d, wt->flags);
	mix(d, (guint64)wt->maxsize);
	mix(d, (guint64)(gint64)wt->result);
	mix(d, (guint64)wt->done);
	mix_msg(d, wt->msg, !anon);
}

/* A task id as the digest keeps it: through map (a task's canonical slot) when there is one. */
static inline guint64 task_ref(int id, const guint *map)
{
	return (guint64)(gint64)(map && id >= 0 ? (int)map[id] : id);
}

static void mix_queue(Digest *d, const SimWaitQueue *q, const guint *map)
{
	mix(d, q->len);
	for (const SimWaiter *wt = q->head; wt; wt = wt->next)
		mix(d, task_ref(wt->task, map));
}

/* Whether anything of t lies outside what the canonical digest covers: handler bodies
 * and alarms are snap_sig.c's, which it does not call (a world with them is never
 * canonicalised: symmetry.c refuses their statements). */
static gboolean canon_covered(const SimTask *t)
{
	return !t->sigb && (t->alarm_at == SIM_TIME_MAX || t->state == SIM_STATE_EXITED);
}

/* The hash of task i's line, from the bytes appended since the last (FNV-1a, a byte at a
 * time, so that where the appends fell does not matter). */
static guint64 line_digest(SimRecorder *rec, guint i)
{
	const GString *s = rec->calls[i];
	gsize k = rec->line_hashed[i];
	guint64 h = rec->line_hash[i];
	if (k == 0 || k > s->len) {
		k = 0;
		h = G_GUINT64_CONSTANT(0xcbf29ce484222325);
	}
	for (; k < s->len; k++)
		h = (h ^ (guchar)s->str[k]) * G_GUINT64_CONSTANT(0x100000001b3);
	rec->line_hash[i] = h;
	rec->line_hashed[i] = s->len;
	return h ^ s->len;
}

/* The received list `expect P received` reads. */
static void mix_received(Digest *d, const SimTask *t)
{
	if (!t->received)
		return;
	mix(d, t->received->len);
	for (guint i = 0; i < t->received->len; i++) {
		const SimRecv *rv = &g_array_index(t->received, SimRecv, i);
		mix_bytes(d, rv->text, rv->len);
		mix(d, (guint64)rv->type);
		mix(d, (guint64)(gint64)rv->from);
	}
}

/* An ended task: only what its end left that something still reads (a wait, an outcome,
 * an expectation): how it ended, whether its status was collected, its counts and
 * received messages, what it observed. Where it stood and what it held when it ended
 * (its pc, variables, last result, the call it was blocked in) nothing reads again, and
 * two children killed one before its read and one in it are one state. */
static void mix_ended(Digest *d, const SimTask *t, guint64 seen)
{
	mix(d, (guint64)SIM_STATE_EXITED | (guint64)(t->reaped != 0) << 9 |
		       ((guint64)t->killed_by & 0xff) << 16);
	mix(d, (guint64)t->exit_code);
	mix(d, t->n_sent);
	mix(d, t->n_received);
	mix_received(d, t);
	mix(d, seen);
}

static void mix_task(Digest *d, const SimTask *t, guint64 seen, gboolean anon)
{
	if (t->state == SIM_STATE_EXITED) {
		mix_ended(d, t, seen);
		return;
	}
	/* RUNNING is never seen between steps; READY and RUNNING are one state here. Small
	 * fields go in one word each group, packed without overlap (a state below 256, a
	 * send stopped between two buffers (yielded: 0 to 2), a signal number below 65, a pc
	 * and errno and mailbox index in 32 bits). */
	guint64 state = t->state == SIM_STATE_RUNNING ? SIM_STATE_READY : (guint64)t->state;
	mix(d, (state & 0xff) | (guint64)(t->resuming != 0) << 8 | (guint64)(t->reaped != 0) << 9 |
		       ((guint64)t->yielded & 3) << 10 | ((guint64)t->killed_by & 0xff) << 16 |
		       (guint64)t->pc << 32);
	mix(d, (guint64)(guint32)t->last_err | (guint64)(guint32)t->wait_obj << 32);
	for (guint i = 0; i <= t->prog->max_depth; i++)
		mix(d, (guint64)t->counters[i]);
	for (guint i = 0; i < t->prog->n_vars; i++) {
		mix(d, (guint64)t->vars[i].num);
		mix(d, (guint64)t->vars[i].num2);
		mix_msg(d, t->vars[i].msg, !anon);
		for (guint k = 0; t->vars[i].ds && k < SIM_DS_N; k++)
			mix(d, (guint64)t->vars[i].ds[k]);
	}
	mix(d, (guint64)t->last_ret);
	/* Stopped or not, and what a SIGCONT will find (signal numbers below 65). */
	mix(d, ((guint64)t->stopped_by & 0xff) | ((guint64)t->kill_pending & 0xff) << 8 |
		       (guint64)(t->parked != 0) << 16 | (guint64)(t->stopped_asleep != 0) << 17);
	mix(d, (guint64)(guintptr)t->wait_why); /* static texts: one address each */
	mix(d, (guint64)(gint64)t->wait_child); /* which child a blocked wait waits for */
	if (t->state == SIM_STATE_BLOCKED || t->resuming)
		mix_waiter(d, &t->waiter, anon);
	if (t->n_sent >> 32 || t->n_received >> 32) {
		mix(d, G_MAXUINT64);
		mix(d, t->n_sent);
		mix(d, t->n_received);
	} else {
		mix(d, t->n_sent | t->n_received << 32);
	}
	/* What most tasks leave at zero, as one word when it is. */
	static const guint8 no_actions[sizeof(t->sigact)];
	gboolean plain = memcmp(t->sigact, no_actions, sizeof(t->sigact)) == 0;
	if (plain && !t->priority && !t->io_done && !t->norestart && !t->sig_pending &&
	    !t->exit_code && !t->chld_wait.len) {
		mix(d, 0x5349475f444654);
	} else {
		mix(d, 0x5349475f4f5448);
		mix(d, (guint64)t->priority);
		mix(d, (guint64)t->io_done);
		mix_bytes(d, (const char *)t->sigact, sizeof(t->sigact));
		mix(d, t->norestart);
		mix(d, t->sig_pending);
		mix(d, (guint64)t->exit_code);
		mix(d, t->chld_wait.len);
	}
	mix_received(d, t);
	mix(d, seen);
}

static void mix_mbox(Digest *d, const SimMbox *mb, gboolean stats, gboolean senders,
		     const guint *map)
{
	/* An inbox nobody used (most of them, most of the time) as one word. */
	if (mb->is_inbox && !stats && !mb->msgs.len && !mb->senders.len && !mb->receivers.len &&
	    !mb->destroyed && mb->pair[0] < 0 && mb->pair[1] < 0 && mb->rr_last < 0) {
		mix(d, 0x696e626f78);
		return;
	}
	mix(d, mb->msgs.len);
	for (const SimMsg *m = mb->msgs.head; m; m = m->next)
		mix_msg(d, m, senders || mb->is_inbox);
	mix_queue(d, &mb->senders, map);
	mix_queue(d, &mb->receivers, map);
	mix(d, (guint64)mb->destroyed);
	mix(d, task_ref(mb->pair[0], map));
	mix(d, task_ref(mb->pair[1], map));
	mix(d, task_ref(mb->rr_last, map));
	if (!stats)
		return;
	mix(d, mb->sent);
	mix(d, mb->received);
	mix(d, mb->max_qnum);
	mix(d, mb->bytes);
}

/* A statement's record as a verdict reads it (report.c): whether it ever ran, ever blocked,
 * ever failed its assert, never how often, which only grows along a path and would tell
 * apart states with the same verdicts ahead. Which task failed first is text only. */
static void mix_result(Digest *d, const SimStmtResult *r)
{
	mix(d, (guint64)(r->runs > 0) | (guint64)(r->blocked != 0) << 1 |
		       (guint64)(r->blocks > 0) << 2 | (guint64)(r->returned != 0) << 3 |
		       (guint64)(r->failures > 0) << 4 | (guint64)(guint32)r->err << 32);
	mix(d, (guint64)r->ret);
	mix(d, (guint64)r->untouched); /* what a label expectation reads of a receive, a stat */
	for (guint i = 0; i < SIM_OUT_SLOTS; i++)
		mix(d, (guint64)r->out[i]);
}

gboolean sim_state_needs_senders(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			if (st && sim_call_desc(st->kind)->family == SIM_CALL_MBOX &&
			    st->ep.kind == SIM_EP_VAR)
				return TRUE;
		}
	}
	for (guint i = 0; i < w->scn->n_expects; i++)
		if (w->scn->expects[i].kind == SIM_EXPECT_RECEIVED)
			return TRUE;
	return FALSE;
}

/* Whether the world holds, outside its tasks, anything the digest does not cover. */
static gboolean world_covered(const SimWorld *w)
{
	return !(w->fd_seen || w->halt != SIM_RUN_DONE || w->stopped);
}

gboolean sim_state_digest(const SimWorld *w, SimRecorder *rec, gboolean senders,
			  guint64 *out)
{
	if (!world_covered(w))
		return FALSE;
	Digest d = { G_GUINT64_CONSTANT(0x736d7367736d7367) };
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		mix_task(&d, t, line_digest(rec, i), FALSE);
		mix(&d, (guint64)(t->prog - w->progs)); /* which program: an exec changes it */
		mix(&d, snap_sig_task_digest(w, t, senders)); /* handler bodies, its alarm */
	}
	gboolean stats = FALSE;
	for (guint i = 0; i < w->scn->n_expects; i++)
		stats = stats || w->scn->expects[i].kind == SIM_EXPECT_STATS;
	for (guint i = 0; i < w->n_mboxes; i++)
		mix_mbox(&d, &w->mboxes[i], stats, senders, NULL);
	/* The records of the statements a label expectation or an assert reads, no others. */
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		if (e->kind == SIM_EXPECT_LABEL && e->proc >= 0) /* PROC@LABEL: one task's runs */
			mix_result(&d, sim_world_task_result(w, (guint)e->proc, e->stmt));
		else if (e->kind == SIM_EXPECT_LABEL || e->kind == SIM_EXPECT_ASSERT)
			mix_result(&d, &w->results[e->stmt->id]);
	}
	mix(&d, snap_mq_digest(w, senders)); /* POSIX queues; their descriptors: below */
	if (w->msgqs->len)
		mix(&d, snap_msg_digest(w, snap_msg_details(w), senders));
	/* Semaphore sets and undo records; which last pids count, only where there are sets. */
	mix(&d, snap_sem_digest(w, w->semns.all->len ? snap_sem_pids(w->scn) : 0));
	mix(&d, snap_shm_digest(w));
	mix(&d, snap_sig_digest(w)); /* signal counts, thread groups */
	guint64 part; /* pipes, FIFOs, and every descriptor table with its descriptions */
	if (!snap_pipe_digest(w, &part))
		return FALSE;
	mix(&d, part);
	mix(&d, d.h >> 32);
	*out = d.h;
	return TRUE;
}

/* Whether w holds nothing but mailboxes, ports and direct links, which is all the
 * canonical digest below covers: no queue, pipe, FIFO, semaphore set, segment, descriptor
 * or undo record (symmetry.c refuses their statements, but a declared object is there
 * before any statement runs). */
static gboolean only_mailboxes(const SimWorld *w)
{
	if (w->msgqs->len || w->mqueues->len || w->fifos->len || w->n_pipes || w->semns.all->len ||
	    w->shmns.all->len)
		return FALSE;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->sem_undo || t->wait_child >= 0 || t->chld_wait.len)
			return FALSE;
		for (guint fd = 0; fd < t->fdt.n; fd++)
			if (t->fdt.fds[fd])
				return FALSE;
	}
	return TRUE;
}

/* The canonical digest: every task is digested alone, without the ids that would tell
 * interchangeable replicas apart (its own in its waiter, its messages' senders: nothing
 * reads them where symmetry.c finds groups), with its inbox (which moves with it); then
 * the tasks in the order symmetry.c gives, and the mailboxes with their waiters' ids
 * mapped to the same slots. Two states that are one permutation of the replicas away get
 * the same digest; a seed of its own keeps it apart from sim_state_digest's. */
gboolean sim_state_digest_canon(const SimWorld *w, SimRecorder *rec, const SimSymmetry *sym,
				guint64 *out)
{
	guint n = w->n_tasks;
	/* Other objects are digested by their own modules, not here: a world with one never
	 * has symmetry (symmetry.c refuses their statements), and is not canonicalised. */
	if (!world_covered(w) || w->sig_counts || w->task_results || !only_mailboxes(w) ||
	    n > SIM_EXPLORE_MAX_TASKS)
		return FALSE;
	guint64 local[SIM_EXPLORE_MAX_TASKS] = { 0 };
	guint order[SIM_EXPLORE_MAX_TASKS], map[SIM_EXPLORE_MAX_TASKS];
	for (guint i = 0; i < n; i++) {
		const SimTask *t = &w->tasks[i];
		if (!canon_covered(t))
			return FALSE;
		Digest d = { G_GUINT64_CONSTANT(0x74736b6c6f63616c) };
		mix_task(&d, t, line_digest(rec, i), TRUE);
		mix(&d, sim_symmetry_prog(sym, (guint)(t->prog - w->progs)));
		mix_mbox(&d, &w->mboxes[t->inbox], FALSE, FALSE, NULL);
		local[i] = d.h;
	}
	sim_symmetry_order(sym, w, local, order, map);
	gboolean stats = FALSE;
	for (guint i = 0; i < w->scn->n_expects; i++)
		stats = stats || w->scn->expects[i].kind == SIM_EXPECT_STATS;
	Digest d = { G_GUINT64_CONSTANT(0x73796d6d65747279) };
	for (guint k = 0; k < n; k++)
		mix(&d, local[order[k]]);
	for (guint i = 0; i < w->n_mboxes; i++)
		if (!w->mboxes[i].is_inbox)
			mix_mbox(&d, &w->mboxes[i], stats, FALSE, map);
	mix(&d, d.h >> 32);
	*out = d.h;
	return TRUE;
}

/* ---- The set of digests seen: open addressing, linear probing ----
 * 0 marks a free slot, so a digest of 0 is stored as 1 (one more collision in 2^64). */

void sim_state_set_init(SimStateSet *s)
{
	s->cap = 1024;
	s->len = 0;
	s->slots = g_new0(guint64, s->cap);
}

void sim_state_set_clear(SimStateSet *s)
{
	g_clear_pointer(&s->slots, g_free);
	s->cap = s->len = 0;
}

static void put(guint64 *slots, gsize cap, guint64 h)
{
	gsize i = (gsize)(h ^ (h >> 31)) & (cap - 1);
	while (slots[i] && slots[i] != h)
		i = (i + 1) & (cap - 1);
	slots[i] = h;
}

gboolean sim_state_set_add(SimStateSet *s, guint64 h)
{
	h = h ? h : 1;
	gsize i = (gsize)(h ^ (h >> 31)) & (s->cap - 1);
	while (s->slots[i]) {
		if (s->slots[i] == h)
			return FALSE;
		i = (i + 1) & (s->cap - 1);
	}
	s->slots[i] = h;
	if (++s->len * 2 > s->cap) { /* at most half full: probes stay short */
		gsize cap = s->cap * 2;
		guint64 *slots = g_new0(guint64, cap);
		for (gsize k = 0; k < s->cap; k++)
			if (s->slots[k])
				put(slots, cap, s->slots[k]);
		g_free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	return TRUE;
}

/* sched.c — the ready queue and the preemption rules of the four policies.
 *
 * The design choice to know: every policy is the same heap with a different key, so
 * the engine has one code path for "who runs next" and the policies cannot drift apart.
 */
#include "msgsim/engine/sched.h"

#include <string.h>

void sim_sched_init(SimSched *s, SimSchedPolicy policy, SimTime quantum, SimRng *rng)
{
	s->policy = policy;
	s->quantum = quantum;
	s->rng = rng;
	s->heap = NULL;
	s->len = s->cap = 0;
	s->pos = NULL;
	s->tail_seq = 0;
	s->head_seq = -1;
	s->snapshot_visits = 0;
	s->n_woken = 0;
	s->choose = NULL;
	s->choose_data = NULL;
	s->task_order = FALSE;
	s->ready_bits = NULL;
	s->by_id = NULL;
	s->n_ids = 0;
}

void sim_sched_clear(SimSched *s)
{
	g_clear_pointer(&s->heap, g_free);
	s->len = s->cap = 0;
	g_clear_pointer(&s->pos, g_free);
	g_clear_pointer(&s->ready_bits, g_free);
	g_clear_pointer(&s->by_id, g_free);
	s->n_ids = 0;
}

static gboolean before(const SimReady *a, const SimReady *b)
{
	if (a->key != b->key)
		return a->key < b->key;
	return a->seq < b->seq;
}

/* Puts entry e in slot i and records the slot under its task's id. */
static inline void place(SimSched *s, guint i, SimReady e)
{
	s->heap[i] = e;
	s->pos[e.id] = i;
}

static void sift_up(SimSched *s, guint i)
{
	SimReady e = s->heap[i];
	while (i > 0) {
		guint parent = (i - 1) / 2;
		if (!before(&e, &s->heap[parent]))
			break;
		place(s, i, s->heap[parent]);
		i = parent;
	}
	place(s, i, e);
}

static void sift_down(SimSched *s, guint i)
{
	SimReady e = s->heap[i];
	for (;;) {
		guint child = 2 * i + 1;
		if (child >= s->len)
			break;
		if (child + 1 < s->len && before(&s->heap[child + 1], &s->heap[child]))
			child++;
		if (!before(&s->heap[child], &e))
			break;
		place(s, i, s->heap[child]);
		i = child;
	}
	place(s, i, e);
}

/* Room for task id `id` in the arrays by id: pos, and for random by_id and ready_bits. */
static void make_room(SimSched *s, guint id)
{
	if (id < s->n_ids)
		return;
	guint n = MAX(64u, s->n_ids);
	while (n <= id)
		n *= 2;
	s->pos = g_renew(guint, s->pos, n);
	if (s->policy == SIM_SCHED_RANDOM) {
		s->ready_bits = g_renew(guint64, s->ready_bits, n / 64);
		memset(s->ready_bits + s->n_ids / 64, 0, (n - s->n_ids) / 64 * sizeof(guint64));
		s->by_id = g_renew(SimTask *, s->by_id, n);
	}
	s->n_ids = n;
}

/* random: t's bit in the ready set (by id), for the snapshot in task order. */
static void mark_ready(SimSched *s, SimTask *t, gboolean ready)
{
	guint id = (guint)t->id;
	guint64 bit = G_GUINT64_CONSTANT(1) << (id % 64);
	if (ready) {
		s->ready_bits[id / 64] |= bit;
		s->by_id[id] = t;
	} else {
		s->ready_bits[id / 64] &= ~bit;
	}
}

void sim_sched_enqueue(SimSched *s, SimTask *t, gboolean at_head)
{
	g_assert(t->state == SIM_STATE_READY && t->id >= 0);
	if (G_UNLIKELY(t->stopped_by)) {
		t->parked = TRUE; /* it may not run until continued: sim_sched_resume */
		return;
	}
	SimReady e = { .key = 0, .task = t, .id = (guint)t->id };
	switch (s->policy) {
	case SIM_SCHED_PRIORITY:
		e.key = -t->priority;
		break;
	case SIM_SCHED_RANDOM: /* the pick is random; the key only keeps the heap valid */
	case SIM_SCHED_FIFO:
	case SIM_SCHED_RR:
		break;
	}
	e.seq = at_head ? s->head_seq-- : s->tail_seq++;
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->heap = g_renew(SimReady, s->heap, s->cap);
	}
	make_room(s, (guint)t->id);
	s->heap[s->len] = e;
	sift_up(s, s->len++);
	s->n_woken += t->resuming ? 1 : 0;
	if (s->policy == SIM_SCHED_RANDOM)
		mark_ready(s, t, TRUE);
}

/* Removes the task at heap slot i, keeping the heap property. */
static SimTask *remove_at(SimSched *s, guint i)
{
	SimTask *t = s->heap[i].task;
	if (s->policy == SIM_SCHED_RANDOM)
		mark_ready(s, t, FALSE);
	g_assert(!t->resuming || s->n_woken > 0);
	s->n_woken -= t->resuming ? 1 : 0;
	s->len--;
	if (i < s->len) {
		place(s, i, s->heap[s->len]);
		sift_down(s, i);
		sift_up(s, i);
	}
	return t;
}

/* random, task_order: the id of the i-th ready task counted in task order (i < len). */
static guint nth_ready(const SimSched *s, guint i)
{
	for (guint wi = 0;; wi++) {
		guint64 bits = s->ready_bits[wi];
		guint c = (guint)__builtin_popcountll(bits);
		if (i >= c) {
			i -= c;
			continue;
		}
		while (i--)
			bits &= bits - 1;
		return wi * 64 + (guint)__builtin_ctzll(bits);
	}
}

SimTask *sim_sched_pick(SimSched *s)
{
	if (s->len == 0)
		return NULL;
	/* Random: every ready task equally likely at every pick, whatever its history. */
	guint i = 0;
	if (s->policy == SIM_SCHED_RANDOM) {
		if (G_UNLIKELY(s->choose)) {
			i = s->choose(s->choose_data, s->len);
			if (i >= s->len)
				return NULL; /* the chooser declined: the run stops */
		} else {
			i = sim_rng_below(s->rng, s->len);
		}
		if (G_UNLIKELY(s->task_order))
			i = s->pos[nth_ready(s, i)];
	}
	return remove_at(s, i);
}

void sim_sched_remove(SimSched *s, SimTask *t)
{
	if (G_UNLIKELY(t->parked)) {
		t->parked = FALSE;
		return;
	}
	guint i = s->pos[t->id];
	g_assert(i < s->len && s->heap[i].task == t);
	remove_at(s, i);
}

void sim_sched_resume(SimSched *s, SimTask *t)
{
	g_assert(!t->stopped_by);
	if (!t->parked)
		return;
	t->parked = FALSE;
	sim_sched_enqueue(s, t, FALSE);
}

gboolean sim_sched_should_preempt(const SimSched *s, const SimTask *cur)
{
	if (s->len == 0)
		return FALSE;
	switch (s->policy) {
	case SIM_SCHED_FIFO:
		return FALSE;
	case SIM_SCHED_RR:
		return cur->slice_used >= s->quantum;
	case SIM_SCHED_PRIORITY:
		return s->heap[0].task->priority > cur->priority;
	case SIM_SCHED_RANDOM:
		return TRUE;
	}
	return FALSE;
}

/* A small binary heap of indices into s->heap, ordered by `before`: the frontier of a
 * best-first walk of the ready queue. */
static void frontier_push(const SimSched *s, guint *f, guint *n, guint idx)
{
	guint i = (*n)++;
	while (i > 0) {
		guint parent = (i - 1) / 2;
		if (!before(&s->heap[idx], &s->heap[f[parent]]))
			break;
		f[i] = f[parent];
		i = parent;
	}
	f[i] = idx;
}

static guint frontier_pop(const SimSched *s, guint *f, guint *n)
{
	guint top = f[0], last = f[--(*n)], i = 0;
	for (;;) {
		guint child = 2 * i + 1;
		if (child >= *n)
			break;
		if (child + 1 < *n && before(&s->heap[f[child + 1]], &s->heap[f[child]]))
			child++;
		if (!before(&s->heap[f[child]], &s->heap[last]))
			break;
		f[i] = f[child];
		i = child;
	}
	if (*n)
		f[i] = last;
	return top;
}

guint sim_sched_snapshot(SimSched *s, const SimTask **out, guint max)
{
	guint n = MIN(s->len, max);
	if (n == 0)
		return 0;
	if (s->policy == SIM_SCHED_RANDOM) {
		/* Task order: the ready set's bits, lowest id first, until n are listed. */
		guint k = 0;
		for (guint wi = 0; wi < s->n_ids / 64 && k < n; wi++) {
			guint64 bits = s->ready_bits[wi];
			s->snapshot_visits++;
			while (bits && k < n) {
				guint b = (guint)__builtin_ctzll(bits);
				bits &= bits - 1;
				out[k++] = s->by_id[wi * 64 + b];
				s->snapshot_visits++;
			}
		}
		g_assert(k == n);
		return n;
	}
	/* Run order: a best-first walk from the root takes the n first tasks and looks at
	 * no more than 2n + 1 entries, however long the queue (the heap's prefix is not the
	 * run order, but a task runs after its parent). */
	guint stack[2 * 64 + 2];
	guint *f = 2 * n + 1 <= G_N_ELEMENTS(stack) ? stack : g_new(guint, 2 * n + 1);
	guint fn = 0;
	frontier_push(s, f, &fn, 0);
	s->snapshot_visits++;
	for (guint i = 0; i < n; i++) {
		guint idx = frontier_pop(s, f, &fn);
		out[i] = s->heap[idx].task;
		for (guint c = 2 * idx + 1; c <= 2 * idx + 2 && c < s->len; c++) {
			frontier_push(s, f, &fn, c);
			s->snapshot_visits++;
		}
	}
	if (f != stack)
		g_free(f);
	return n;
}

const char *sim_sched_policy_name(SimSchedPolicy p)
{
	switch (p) {
	case SIM_SCHED_FIFO:
		return "fifo";
	case SIM_SCHED_RR:
		return "rr";
	case SIM_SCHED_PRIORITY:
		return "priority";
	case SIM_SCHED_RANDOM:
		return "random";
	}
	return "?";
}

gboolean sim_sched_check(const SimSched *s)
{
	for (guint i = 1; i < s->len; i++)
		if (before(&s->heap[i], &s->heap[(i - 1) / 2]))
			return FALSE;
	guint woken = 0;
	for (guint i = 0; i < s->len; i++) {
		const SimTask *t = s->heap[i].task;
		if (t->state != SIM_STATE_READY || s->pos[t->id] != i)
			return FALSE;
		woken += t->resuming ? 1 : 0;
	}
	return woken == s->n_woken;
}

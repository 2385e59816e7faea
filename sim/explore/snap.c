/* snap.c — a stepped world's state saved and put back in place, for the stateful search.
 *
 * The stateful search (explore.c) walks the state graph depth first. Without this, every
 * branch would make a fresh world and replay its whole prefix of steps; with it, a branch
 * point saves the world once and each further branch puts it back, so a state costs one
 * step and one restore.
 *
 * The design choice to know: the world is restored in place, into the same structs at the
 * same addresses, so that the many pointers between its parts (a wait queue's links into
 * the tasks' embedded waiters, the scheduler's task pointers) stay right without being
 * rewritten. Only what a step can change is saved: per task its struct (with its loop
 * counters and variables copied beside it), per mailbox its struct, the clock and pending
 * events, the ready queue, the random stream, the statements' results, the world's
 * counters and what each process has observed (the recorder). Messages are the one thing
 * that moves: they come from the world's pool and go back to it, so the snapshot keeps
 * copies of them and the restore returns the world's messages and takes new ones with the
 * same contents.
 *
 * A process's received list (kept for `expect P received`) only grows along a path, and a
 * restore always goes back to a state on the current path, so the saved length is enough.
 *
 * That list is complete only for worlds made of mailboxes, ports, direct links and the
 * body's own statements: sim_snap_fits says which scenarios those are, and sim_snap_save
 * refuses (FALSE) a state that holds anything else; the search then falls back to
 * replaying (explore.c). Other objects have parts of their own, each saved and put back
 * by its file: semaphore sets and their undo records (snap_sem.c), shared memory
 * (snap_shm.c), SysV queues (snap_msg.c), POSIX queues (snap_mq.c), UNIX-domain socket
 * pairs with their buffers and names (snap_sock.c, made anew at each restore before the
 * descriptions that reach them), and pipes, FIFOs and
 * the descriptor tables with every open file description, a queue's included
 * (snap_pipe.c, the one owner of the tables), which makes them anew at each restore; so
 * does a task's wait for a child: its list is in the task struct and links only that
 * task's waiter. A task's signal state (pending set, actions, stop state) and its thread
 * group are in its struct; the counts `expect P signal S` reads and the records `expect
 * P@LABEL` reads are snap_sig.c's, and so are its running handler bodies: while one runs,
 * the task's own program, counters and variables are in its bottom frame, and those are
 * what the task's slots here keep (snap_sig_base); the bodies' own are snap_sig.c's. A
 * pending alarm is its task's (alarm_at, alarm_gen) and the clock's (its event, which a
 * step never takes: the walk fires alarms itself): saved as the rest.
 */
#include "explore/explore_int.h"

#include <string.h>

#include "msgsim/calls/call.h"
#include "explore/snap_sem.h"
#include "explore/snap_mq.h"
#include "explore/snap_pipe.h"
#include "explore/snap_shm.h"
#include "explore/snap_sig.h"
#include "explore/snap_sock.h"

struct SimSnap {
	SimTask *tasks;
	gint64 *counters; /* every task's, one after another */
	SimVar *vars;	  /* every task's; msg holds 1 + an index into msgs, or 0 */
	SimMbox *mboxes;
	SnapMsgs msgs; /* per mailbox its list in order, then the tasks' (snap_msg.c) */
	guint64 *var_msg, *wait_msg; /* by task var / by task: 1 + index into msgs, or 0 */
	SimEvent *events;
	guint n_events;
	SimEvq evq;
	SimReady *ready;
	guint *pos;
	guint64 *ready_bits;
	SimSched sched;
	SimRng rng;
	SimStmtResult *results;
	guint64 steps, mem, msg_seq, switches;
	const SimStmt *at;
	SimTask *last;
	SimRunStatus status;
	gboolean out_got;
	SimStmt *patched; /* the tasks' evaluated statements (interp.c), when made */
	guint *n_received; /* by task: its received list's length (NULL list: 0) */
	GString **seen; /* the recorder's lines */
	guint64 *line_hash; /* and their hashes (SimRecorder) */
	gsize *line_hashed;
	guint n_counters, n_vars;
	guint cap_ids; /* room in pos, ready_bits and ready */
	SnapSem sem;   /* the semaphore sets (snap_sem.c) */
	SnapMsg msgq;  /* the SysV message queues (snap_msg.c) */
	SnapMq mq;     /* the POSIX queues (snap_mq.c) */
	SnapPipe pipe; /* pipes, FIFOs, descriptor tables (snap_pipe.c) */
	SnapShm shm;   /* shared memory segments and attachments (snap_shm.c) */
	SnapSig sig;   /* signal counts, one process's label records (snap_sig.c) */
	SnapSock sock; /* socket pairs, their buffers and names (snap_sock.c) */
};

gboolean sim_snap_fits(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			if (!st || snap_sig_fits(st))
				continue;
			SimCallFamily f = sim_call_desc(st->kind)->family;
			if (f == SIM_CALL_SEM && snap_sem_fits(st))
				continue;
			if ((f == SIM_CALL_SYSV && snap_msg_fits(st)) ||
			    (f == SIM_CALL_POSIX && snap_mq_fits(st)))
				continue;
			if ((f == SIM_CALL_FILE || f == SIM_CALL_PROC) && snap_pipe_fits(st))
				continue;
			if (f == SIM_CALL_SHM && snap_shm_fits(st))
				continue;
			if (f == SIM_CALL_SOCK && snap_sock_fits(st))
				continue;
			if (f != SIM_CALL_MBOX && f != SIM_CALL_CONTROL)
				return FALSE;
		}
	}
	return w->trace == NULL;
}

SimSnap *sim_snap_new(const SimWorld *w)
{
	SimSnap *s = g_new0(SimSnap, 1);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p;
		gint64 *c;
		SimVar *v;
		snap_sig_base(&w->tasks[i], &p, &c, &v); /* under its running bodies, if any */
		s->n_counters += p->max_depth + 1;
		s->n_vars += p->n_vars;
	}
	s->tasks = g_new(SimTask, w->n_tasks);
	s->counters = g_new(gint64, s->n_counters + 1);
	s->vars = g_new(SimVar, s->n_vars + 1);
	s->var_msg = g_new(guint64, s->n_vars + 1);
	s->wait_msg = g_new(guint64, w->n_tasks + 1);
	s->mboxes = g_new(SimMbox, w->n_mboxes + 1);
	snap_msgs_reset(&s->msgs);
	s->results = g_new(SimStmtResult, w->scn->n_stmts + 1);
	s->seen = g_new0(GString *, w->n_tasks + 1);
	s->line_hash = g_new0(guint64, w->n_tasks + 1);
	s->patched = g_new0(SimStmt, w->n_tasks + 1);
	s->n_received = g_new0(guint, w->n_tasks + 1);
	s->line_hashed = g_new0(gsize, w->n_tasks + 1);
	for (guint i = 0; i < w->n_tasks; i++)
		s->seen[i] = g_string_new(NULL);
	return s;
}

void sim_snap_free(SimSnap *s)
{
	if (!s)
		return;
	snap_msgs_clear(&s->msgs);
	snap_sem_clear(&s->sem);
	snap_msg_clear(&s->msgq);
	snap_mq_clear(&s->mq);
	snap_pipe_clear(&s->pipe);
	snap_shm_clear(&s->shm);
	snap_sig_clear(&s->sig);
	snap_sock_clear(&s->sock);
	for (guint i = 0; s->seen[i]; i++)
		g_string_free(s->seen[i], TRUE);
	g_free(s->seen);
	g_free(s->line_hash);
	g_free(s->patched);
	g_free(s->n_received);
	g_free(s->line_hashed);
	g_free(s->tasks);
	g_free(s->counters);
	g_free(s->vars);
	g_free(s->var_msg);
	g_free(s->wait_msg);
	g_free(s->mboxes);
	g_free(s->results);
	g_free(s->pos);
	g_free(s->ready_bits);
	g_free(s->ready);
	g_free(s->events);
	g_free(s);
}

/* memcpy, where an empty array may have no storage at all (NULL). */
static inline void copy(void *to, const void *from, gsize bytes)
{
	if (bytes)
		memcpy(to, from, bytes);
}

/* Whether the world holds anything outside the list in the header comment. */
static gboolean covered(const SimWorld *w)
{
	return !(w->fd_seen || w->alpc || w->cur || w->wake.first || w->halt != SIM_RUN_DONE ||
		 w->stopped || w->setup_what);
}

gboolean sim_snap_save(SimSnap *s, const SimWorld *w, const SimRecorder *rec)
{
	if (!covered(w) || !snap_sock_save(&s->sock, w) || !snap_pipe_save(&s->pipe, w, &s->sock))
		return FALSE;
	snap_sem_save(&s->sem, w);
	snap_shm_save(&s->shm, w);
	snap_msg_save(&s->msgq, w);
	snap_mq_save(&s->mq, w);
	if (!snap_sig_save(&s->sig, w))
		return FALSE;
	snap_msgs_reset(&s->msgs);
	copy(s->mboxes, w->mboxes, w->n_mboxes * sizeof(SimMbox));
	for (guint i = 0; i < w->n_mboxes; i++)
		snap_msgs_keep_list(&s->msgs, &w->mboxes[i].msgs);
	guint c = 0, v = 0;
	copy(s->tasks, w->tasks, w->n_tasks * sizeof(SimTask));
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		const SimProgram *prog; /* its own, under its running handler bodies */
		gint64 *counters;
		SimVar *vars;
		snap_sig_base(t, &prog, &counters, &vars);
		guint nc = prog->max_depth + 1, nv = prog->n_vars;
		copy(s->counters + c, counters, nc * sizeof(gint64));
		copy(s->vars + v, vars, nv * sizeof(SimVar));
		for (guint k = 0; k < nv; k++)
			s->var_msg[v + k] = snap_msgs_keep(&s->msgs, vars[k].msg);
		s->wait_msg[i] = snap_msgs_keep(&s->msgs, t->waiter.msg);
		c += nc;
		v += nv;
		g_string_truncate(s->seen[i], 0);
		g_string_append_len(s->seen[i], rec->calls[i]->str, (gssize)rec->calls[i]->len);
		s->line_hash[i] = rec->line_hash[i];
		s->line_hashed[i] = rec->line_hashed[i];
	}
	s->evq = w->evq;
	if (s->n_events < w->evq.len) {
		s->n_events = w->evq.cap;
		s->events = g_renew(SimEvent, s->events, s->n_events);
	}
	copy(s->events, w->evq.heap, w->evq.len * sizeof(SimEvent));
	s->sched = w->sched;
	guint n_ids = w->sched.n_ids;
	if (s->cap_ids < n_ids || s->cap_ids < w->sched.len) { /* the ready queue grew */
		s->cap_ids = MAX(n_ids, w->sched.len);
		s->pos = g_renew(guint, s->pos, s->cap_ids);
		s->ready_bits = g_renew(guint64, s->ready_bits, s->cap_ids / 64 + 1);
		s->ready = g_renew(SimReady, s->ready, s->cap_ids);
	}
	copy(s->ready, w->sched.heap, w->sched.len * sizeof(SimReady));
	copy(s->pos, w->sched.pos, n_ids * sizeof(guint));
	if (w->sched.ready_bits)
		copy(s->ready_bits, w->sched.ready_bits, (n_ids + 63) / 64 * sizeof(guint64));
	s->rng = w->rng;
	copy(s->results, w->results, w->scn->n_stmts * sizeof(SimStmtResult));
	s->steps = w->steps;
	s->mem = w->mem;
	s->msg_seq = w->msg_seq;
	s->switches = w->switches;
	s->at = w->at;
	s->last = w->last;
	s->status = w->status;
	s->out_got = w->out.got;
	if (w->patched)
		copy(s->patched, w->patched, w->n_tasks * sizeof(SimStmt));
	for (guint i = 0; i < w->n_tasks; i++)
		s->n_received[i] = w->tasks[i].received ? w->tasks[i].received->len : 0;
	return TRUE;
}

/* Gives every message the world holds back to its pool. */
static void release_msgs(SimWorld *w)
{
	for (guint i = 0; i < w->n_mboxes; i++)
		sim_msg_list_drain(&w->mboxes[i].msgs, &w->pool);
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		for (guint k = 0; k < t->prog->n_vars; k++) {
			sim_msg_pool_put(&w->pool, t->vars[k].msg);
			t->vars[k].msg = NULL;
		}
		sim_msg_pool_put(&w->pool, t->waiter.msg);
		t->waiter.msg = NULL;
	}
}

/* The tasks and mailboxes as saved, their arrays kept where they are now. */
static void put_objects(const SimSnap *s, SimWorld *w)
{
	guint64 next = 1; /* the mailboxes' messages come first among the copies */
	for (guint i = 0; i < w->n_mboxes; i++) {
		SimMbox *mb = &w->mboxes[i];
		*mb = s->mboxes[i];
		next = snap_msgs_make_list(w, &s->msgs, &mb->msgs, next);
	}
	guint c = 0, v = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		gint64 *counters = t->counters;
		SimVar *vars = t->vars;
		SimFdTable fdt = t->fdt;
		GArray *received = t->received;
		struct SimSemUndo *sem_undo = t->sem_undo;
		SimSigBodies *sigb = t->sigb; /* NULL (snap_sig_release); snap_sig_restore's */
		*t = s->tasks[i];
		t->counters = counters;
		t->vars = vars;
		t->fdt = fdt;
		t->received = received;
		t->sem_undo = sem_undo;
		t->sigb = sigb;
		const SimProgram *prog = snap_sig_saved_base(&s->sig, i, &s->tasks[i]);
		guint nc = prog->max_depth + 1, nv = prog->n_vars;
		copy(t->counters, s->counters + c, nc * sizeof(gint64));
		copy(t->vars, s->vars + v, nv * sizeof(SimVar));
		for (guint k = 0; k < nv; k++)
			t->vars[k].msg = snap_msgs_make(w, &s->msgs, s->var_msg[v + k]);
		t->waiter.msg = snap_msgs_make(w, &s->msgs, s->wait_msg[i]);
		c += nc;
		v += nv;
	}
}

void sim_snap_restore(const SimSnap *s, SimWorld *w, SimRecorder *rec)
{
	snap_sig_release(w); /* each task back on its own program, for release_msgs */
	release_msgs(w);
	snap_sem_release(w);
	snap_msg_release(w);
	snap_mq_release(w);
	snap_sock_release(w); /* reached through the descriptions, which go next */
	snap_pipe_release(w);
	put_objects(s, w);
	snap_sem_restore(&s->sem, w);
	snap_msg_restore(&s->msgq, w);
	snap_mq_restore(&s->mq, w);
	SimSockPair **socks = snap_sock_restore(&s->sock, w);
	snap_pipe_restore(&s->pipe, w, socks);
	g_free(socks);
	snap_shm_restore(&s->shm, w);
	snap_sig_restore(&s->sig, w);
	w->evq.len = s->evq.len;
	w->evq.seq = s->evq.seq;
	w->evq.now = s->evq.now;
	copy(w->evq.heap, s->events, s->evq.len * sizeof(SimEvent));
	w->sched.len = s->sched.len;
	w->sched.tail_seq = s->sched.tail_seq;
	w->sched.head_seq = s->sched.head_seq;
	w->sched.n_woken = s->sched.n_woken;
	guint n_ids = MIN(w->sched.n_ids, s->sched.n_ids);
	copy(w->sched.heap, s->ready, s->sched.len * sizeof(SimReady));
	copy(w->sched.pos, s->pos, n_ids * sizeof(guint));
	if (w->sched.ready_bits) {
		/* ids past the saved ones (the arrays grew since) were not ready then */
		memset(w->sched.ready_bits, 0, w->sched.n_ids / 64 * sizeof(guint64));
		copy(w->sched.ready_bits, s->ready_bits, (n_ids + 63) / 64 * sizeof(guint64));
	}
	w->rng = s->rng;
	copy(w->results, s->results, w->scn->n_stmts * sizeof(SimStmtResult));
	w->steps = s->steps;
	w->mem = s->mem;
	w->msg_seq = s->msg_seq;
	w->switches = s->switches;
	w->at = s->at;
	w->last = s->last;
	w->status = s->status;
	w->out.got = s->out_got;
	/* Made after the save, the copies held nothing a saved state's calls read. */
	if (w->patched)
		copy(w->patched, s->patched, w->n_tasks * sizeof(SimStmt));
	/* A received list only grows, and a restore goes back to a state before the current
	 * one on its path: the saved list is the current one's beginning. */
	for (guint i = 0; i < w->n_tasks; i++) {
		GArray *rv = w->tasks[i].received;
		for (guint k = s->n_received[i]; rv && k < rv->len; k++)
			g_free(g_array_index(rv, SimRecv, k).text);
		if (rv && rv->len > s->n_received[i])
			g_array_set_size(rv, s->n_received[i]);
	}
	w->cur = NULL;
	w->halt = SIM_RUN_DONE; /* a saved state never has a rail tripped (sim_snap_save) */
	w->halt_task = NULL;
	w->halt_stmt = NULL;
	w->halt_base = w->halt_add = 0;
	w->stopped = FALSE;
	for (guint i = 0; i < w->n_tasks; i++) {
		g_string_truncate(rec->calls[i], 0);
		g_string_append_len(rec->calls[i], s->seen[i]->str, (gssize)s->seen[i]->len);
		rec->line_hash[i] = s->line_hash[i];
		rec->line_hashed[i] = s->line_hashed[i];
	}
}

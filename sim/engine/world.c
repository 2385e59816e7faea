/* world.c — instantiating a scenario and running the engine loop (see world.h).
 *
 * The design choice to know: there is exactly one place where time passes (the clock in
 * the event queue, moved by sim_world_charge, compute slices and jumps to the next
 * event) and one place where tasks change hands (dispatch/preempt here, block/wake via
 * the objects' wake lists). Everything a student sees in the trace is emitted from
 * these few functions, which is what makes two runs of one scenario identical.
 */
#include "engine/world_int.h"
#include "msgsim/engine/holders.h"
#include "msgsim/calls/call.h"
#include "msgsim/kernel/alpc.h"
#include "msgsim/kernel/sock.h"
#include "msgsim/kernel/signal.h"
#include "msgsim/lang/expr.h"

#include <string.h>

/* A loop without a break meets the step limit in a few seconds; the longest scenario of the
 * course (a million messages each way) takes about 6 million steps. */
#define DEFAULT_MAX_STEPS 10000000ULL
/* Room for millions of messages, and a laptop keeps its memory. */
#define DEFAULT_MAX_MEMORY (G_GUINT64_CONSTANT(1) << 30)
#define MAX_LISTED 64 /* tasks listed in one trace line (ready queue, wait-for) */

/* ---- Lifecycle ---- */

static gboolean expected_received(const SimScenario *scn, int proc)
{
	for (guint i = 0; i < scn->n_expects; i++)
		if (scn->expects[i].kind == SIM_EXPECT_RECEIVED && scn->expects[i].proc == proc)
			return TRUE;
	return FALSE;
}

static guint body_index(const SimScenario *scn, const SimScnBody *body)
{
	for (guint i = 0; i < scn->n_bodies; i++)
		if (scn->bodies[i] == body)
			return i;
	g_assert_not_reached();
	return 0;
}

/* The key a scenario names: IPC_PRIVATE, a number, or ftok of a declared file. */
static gint64 resolve_key(const SimScenario *scn, const SimKey *key)
{
	switch (key->kind) {
	case SIM_KEY_PRIVATE:
		return 0;
	case SIM_KEY_VALUE:
		return key->value;
	case SIM_KEY_FTOK: {
		const SimScnFile *f = &scn->files[key->file];
		return sim_ipcns_ftok(f->dev, f->ino, key->value);
	}
	}
	return 0;
}

gint64 sim_world_key(const SimWorld *w, const SimKey *key)
{
	return resolve_key(w->scn, key);
}

/* Pushes an event; a heap that grows is charged to the memory guard rail (timers and
 * deadlines that became moot stay in the heap until their time, see evq.h). */
static void push(SimWorld *w, SimEvent ev)
{
	guint cap = w->evq.cap;
	sim_evq_push(&w->evq, ev);
	w->mem += (guint64)(w->evq.cap - cap) * sizeof(SimEvent);
}

/* `sysv queue`: created before the run as msgget(key, IPC_CREAT | perm) by its owner. Two
 * declarations with one key name the same queue, as two such msgget calls would. */
static void create_declared_queue(SimWorld *w, guint i)
{
	const SimScnSysvQueue *d = &w->scn->sysvqs[i];
	SimCred cred = { .uid = d->uid, .gid = d->gid, .caps = SIM_CAP_IPC_OWNER };
	int id = -1;
	int err = sim_msgq_get(&w->ipcns, w->msgqs, resolve_key(w->scn, &d->key), SIM_IPC_CREAT,
			       (guint)d->perm, &cred, 0, &id);
	g_assert(err == 0); /* a fresh namespace has room for every declared queue */
	w->sysvq_ids[i] = id;
	SimMsgq *q = sim_msgq_lookup(&w->ipcns, id);
	if (!q->name)
		q->name = d->name;
}

/* `posix queue`: created before the run by its owner (mq_open O_CREAT|O_EXCL), then every
 * process gets a descriptor for it, O_RDWR, in declaration order (3, 4, ...). */
static void create_declared_mqueue(SimWorld *w, guint i)
{
	const SimScnPosixQueue *d = &w->scn->posixqs[i];
	SimCred cred = { .uid = d->uid, .gid = d->gid, .caps = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN };
	SimMqueue *q = NULL;
	int err = sim_mqueue_open(&w->ipcns, w->mqueues, d->name,
				  SIM_O_CREAT | SIM_O_EXCL | SIM_O_RDWR, (guint)d->perm, d->maxmsg,
				  d->msgsize, &cred, G_MAXINT64, &q);
	g_assert(err == 0); /* the parser checked the name and the attributes */
	sim_mqueue_put(&w->ipcns, q); /* the creator's descriptor: the processes' ones count */
	for (guint t = 0; t < w->n_tasks; t++) {
		SimTask *task = &w->tasks[t];
		if (task->proc->start == SIM_START_FORK)
			continue; /* it gets its parent's descriptors at the fork */
		SimFile *f = sim_world_file_new(
			w, (SimFile){ .kind = SIM_FILE_MQ, .mq = q, .flags = SIM_O_RDWR, .refs = 1 });
		sim_mqueue_get(q);
		sim_world_fd_install(w, task, sim_fdt_alloc(&task->fdt, 0), f);
	}
}

/* What one process holds from the start: its task, its inbox, its loop counters and
 * variables, its declaration and name, its entries in the world's lists by task, and its
 * room in the ready queue (an entry and a slot number: every task may be ready at once). */
static guint64 proc_bytes(const SimScnProc *p)
{
	return sizeof(SimTask) + sizeof(SimMbox) + 2 * sizeof(SimTask *) + sizeof(char *) +
	       sizeof(SimReady) + sizeof(guint) +
	       (p->body->max_depth + 1) * sizeof(gint64) + (p->body->n_vars + 1) * sizeof(SimVar) +
	       sizeof(SimScnProc) + strlen(p->name) + 1;
}

/* The processes alone would pass the memory rail: the world records why (setup_what) and
 * the run stops before it starts, as for declared POSIX queues. The scenario's cap on
 * processes (SIM_SCN_MAX_PROCS) bounds what is made all the same. */
static void check_processes_fit(SimWorld *w)
{
	const SimScenario *scn = w->scn;
	guint64 bytes = 0;
	for (guint i = 0; i < scn->n_procs; i++)
		bytes += proc_bytes(&scn->procs[i]);
	if (bytes <= w->max_memory)
		return;
	w->setup_what = "processes";
	w->setup_unit = " bytes on average (task, inbox, variables)";
	w->setup_holders = scn->n_procs;
	w->setup_each = bytes / scn->n_procs;
	w->setup_bytes = bytes;
}

/* Each task's lists of what its exit reaches (task.h): its forked children and the tasks
 * that start after it, linked from the last so that each list is in index order. A child
 * and a start=after task are declared after the task they name. */
static void link_families(SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		t->first_child = t->next_sibling = t->first_after = t->next_after = -1;
		t->first_owned = -1;
	}
	for (guint i = w->n_tasks; i-- > 0;) {
		SimTask *t = &w->tasks[i];
		if (t->proc->start == SIM_START_FORK) {
			SimTask *parent = &w->tasks[t->proc->parent];
			t->next_sibling = parent->first_child;
			parent->first_child = (int)i;
		} else if (t->proc->start == SIM_START_AFTER) {
			SimTask *before = &w->tasks[t->proc->start_after];
			t->next_after = before->first_after;
			before->first_after = (int)i;
		}
	}
}

/* The programs, one task per process (its inbox comes with the mailboxes) and the names
 * trace lists use. */
static void make_tasks(SimWorld *w)
{
	const SimScenario *scn = w->scn;
	w->progs = g_new0(SimProgram, scn->n_bodies + 1);
	for (guint i = 0; i < scn->n_bodies; i++)
		sim_interp_compile(&w->progs[i], scn->bodies[i]);

	w->n_tasks = scn->n_procs;
	w->tasks = g_new0(SimTask, w->n_tasks + 1);
	const char **names = g_new0(const char *, w->n_tasks + 1);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimScnProc *p = &scn->procs[i];
		sim_task_init(&w->tasks[i], (int)i, p, &w->progs[body_index(scn, p->body)]);
		if (w->keep_received || expected_received(scn, (int)i))
			w->tasks[i].received = g_array_new(FALSE, FALSE, sizeof(SimRecv));
		names[i] = p->name;
		w->mem += proc_bytes(p);
	}
	w->names = names;
	w->cands = g_new0(SimTask *, w->n_tasks + 1);
	link_families(w);
}

/* Declared mailboxes and ports, then one inbox per task for direct links. */
static void make_mailboxes(SimWorld *w)
{
	const SimScenario *scn = w->scn;
	w->n_mboxes = scn->n_mboxes + w->n_tasks;
	w->mboxes = g_new0(SimMbox, w->n_mboxes + 1);
	for (guint i = 0; i < scn->n_mboxes; i++)
		sim_mbox_init(&w->mboxes[i], (int)i, &scn->mboxes[i], scn->mboxes[i].owner);
	/* Each owner's list of its declared mailboxes, in index order (see link_families). */
	w->next_owned = g_new(int, scn->n_mboxes + 1);
	for (guint i = scn->n_mboxes; i-- > 0;) {
		int owner = w->mboxes[i].owner;
		w->next_owned[i] = owner >= 0 ? w->tasks[owner].first_owned : -1;
		if (owner >= 0)
			w->tasks[owner].first_owned = (int)i;
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		guint mi = scn->n_mboxes + i;
		sim_mbox_init_inbox(&w->mboxes[mi], (int)mi, w->tasks[i].name, (int)i,
				    scn->direct_capacity);
		w->tasks[i].inbox = (int)mi;
	}
	w->mctx.wake = &w->wake;
	w->mctx.rng = &w->rng;
	w->mctx.n_tasks = w->n_tasks;
	w->mctx.pool = &w->pool;
}

/* Every process (but forked ones) holds every declared POSIX queue open: processes x
 * queues descriptors, each a description and a slot. That product can reach billions from
 * a small file, so the memory rail is asked before any is made; FALSE: it would be passed,
 * the world records why (setup_what) and the run stops before it starts. */
static gboolean declared_mqueues_fit(SimWorld *w)
{
	const SimScenario *scn = w->scn;
	guint64 holders = 0;
	for (guint t = 0; t < w->n_tasks; t++)
		if (w->tasks[t].proc->start != SIM_START_FORK)
			holders++;
	guint64 each = sizeof(SimFile) + sizeof(SimFile *);
	guint64 room = w->max_memory > w->mem ? w->max_memory - w->mem : 0;
	if (holders == 0 || scn->n_posixqs == 0 || scn->n_posixqs <= room / each / holders)
		return TRUE;
	w->setup_what = "descriptors of declared POSIX queues";
	w->setup_holders = holders;
	w->setup_each = scn->n_posixqs;
	w->setup_bytes = holders <= G_MAXUINT64 / each / scn->n_posixqs
				 ? holders * scn->n_posixqs * each
				 : G_MAXUINT64;
	return FALSE;
}

/* The IPC namespace and the declared SysV and POSIX queues; every task's descriptor table. */
static void make_ipc(SimWorld *w)
{
	const SimScenario *scn = w->scn;
	sim_ipcns_init(&w->ipcns, &scn->limits);
	w->msgqs = g_ptr_array_new();
	w->sysvq_ids = g_new0(int, scn->n_sysvqs + 1);
	for (guint i = 0; i < scn->n_sysvqs; i++)
		create_declared_queue(w, i);

	w->mqueues = g_ptr_array_new();
	sim_semns_init(&w->semns);
	sim_shmns_init(&w->shmns);
	sim_pipe_users_init(&w->pipe_users, scn->limits.pipe_user_pages_soft,
			    scn->limits.pipe_user_pages_hard);
	w->shm_maps = g_new0(SimShmMaps, w->n_tasks + 1);
	w->fifos = g_ptr_array_new();
	for (guint i = 0; i < w->n_tasks; i++) {
		sim_fdt_init(&w->tasks[i].fdt, scn->procs[i].rlimit_nofile);
		w->tasks[i].deadline = SIM_TIME_MAX;
	}
	if (w->setup_what || !declared_mqueues_fit(w))
		return;
	for (guint i = 0; i < scn->n_posixqs; i++)
		create_declared_mqueue(w, i);
}

/* Every start is an event, so equal start times keep declaration order. */
static void schedule_starts(SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimScnProc *p = &w->scn->procs[i];
		if (p->start == SIM_START_AT) {
			SimEvent ev = { .time = p->start_time,
					.prio = SIM_EVPRIO_START,
					.kind = SIM_EV_START,
					.task = (int)i };
			push(w, ev);
		}
	}
}

SimWorld *sim_world_new(const SimScenario *scn, const SimWorldOptions *opt)
{
	g_return_val_if_fail(scn != NULL && opt != NULL, NULL);
	SimWorld *w = g_new0(SimWorld, 1);
	w->scn = scn;
	sim_waitq_init(&w->pollers, SIM_ORDER_FIFO);
	/* The run's events go only to a trace with a sink that writes them: under --quiet the
	 * sinks take the report alone (written by sim_report_finish from the final state), so
	 * no call builds an event nobody reads. */
	w->trace = sim_trace_wants(opt->trace, SIM_TR_CALL) ? opt->trace : NULL;
	w->hook = opt->hook;
	w->alarm_due = opt->alarm_due;
	w->woken_first = opt->woken_first;
	w->pick = opt->pick;
	w->pick_data = opt->pick_data;
	w->keep_received = opt->keep_received;
	w->explain = opt->explain && w->trace;
	if (w->hook.fn)
		w->out.text = g_string_new(NULL);
	w->seed = opt->seed_set ? opt->seed : scn->seed;
	w->max_steps = opt->max_steps ? opt->max_steps : DEFAULT_MAX_STEPS;
	w->max_time = opt->max_time;
	w->max_memory = opt->max_memory ? opt->max_memory : DEFAULT_MAX_MEMORY;
	sim_rng_seed(&w->rng, w->seed);
	sim_evq_init(&w->evq);
	sim_sched_init(&w->sched, scn->policy, scn->quantum, &w->rng);
	w->sched.choose = opt->choose;
	w->sched.choose_data = opt->choose_data;
	w->mctx.choose = opt->choose;
	w->mctx.choose_data = opt->choose_data;
	sim_msg_pool_init(&w->pool);
	w->scratch = g_string_new(NULL);
	w->results = g_new0(SimStmtResult, scn->n_stmts + 1);
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		if (e->kind != SIM_EXPECT_SIGNAL)
			continue;
		if (!w->sig_counts)
			w->sig_counts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
							      g_free);
		gpointer key = GSIZE_TO_POINTER((gsize)e->proc * 64 + (gsize)e->sig + 1);
		if (!g_hash_table_contains(w->sig_counts, key))
			g_hash_table_insert(w->sig_counts, key, g_new0(guint64, 2));
	}
	for (guint i = 0; i < scn->n_expects && !w->task_results; i++)
		if ((scn->expects[i].kind == SIM_EXPECT_LABEL ||
		     scn->expects[i].kind == SIM_EXPECT_ORDER) &&
		    (scn->expects[i].proc >= 0 || scn->expects[i].proc2 >= 0))
			w->task_results = g_hash_table_new_full(g_direct_hash, g_direct_equal,
								NULL, g_free);

	sim_world_holders_init(w);
	check_processes_fit(w);
	make_tasks(w);
	make_mailboxes(w);
	make_ipc(w);
	schedule_starts(w);
	return w;
}

/* t waits in (or was woken from, and has not finished) a FIFO open, the call whose row
 * opens a pipe: it counts as one of the pipe's users (SimPipe.files) without a
 * descriptor. */
static gboolean in_fifo_open(const SimTask *t)
{
	const SimStmt *st = t->wait_pipe ? t->prog->code[t->pc].stmt : NULL;
	return sim_call_wait_role(st, SIM_OBJ_PIPE) == SIM_WAIT_OPENS;
}

/* A description lost a reference as the world goes: at the last it goes, with its pipe's or
 * socket's share (no wake-ups: nobody runs any more). */
static void free_file_ref(SimWorld *w, SimFile *f)
{
	if (!f || !sim_fdt_file_put(f))
		return;
	if (f->kind == SIM_FILE_PIPE && sim_pipe_file_put(f->pipe))
		sim_pipe_free(f->pipe);
	if (f->kind == SIM_FILE_SOCK)
		sim_world_sock_put(w, f->sock, NULL);
	g_free(f);
}

void sim_world_free(SimWorld *w)
{
	if (!w)
		return;
	/* The files that blocked calls of threads still hold (thread.c) go with the tables. */
	for (guint i = 0; i < w->n_tasks; i++) {
		free_file_ref(w, w->tasks[i].io_file);
		w->tasks[i].io_file = NULL;
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		/* A FIFO open still waiting for its partner counts as a user of the pipe, which
		 * no descriptor holds yet: the pipe goes with its last user, opener or file. */
		if (in_fifo_open(t) && sim_pipe_file_put(t->wait_pipe))
			sim_pipe_free(t->wait_pipe);
		t->wait_pipe = NULL;
		for (guint fd = 0; fd < t->fdt.n; fd++)
			free_file_ref(w, sim_fdt_remove(&t->fdt, fd));
		sim_fdt_clear(&t->fdt);
		/* A semop still waiting when the run ended, and the undo records left. */
		sim_sem_queue_free(t->waiter.op);
		sim_sem_undo_free_all(&t->sem_undo);
		if (w->shm_maps)
			sim_shm_maps_clear(&w->shm_maps[t->id]);
		sim_sigbody_clear(w, t);
		sim_task_clear(t, &w->pool);
	}
	if (w->sock_names)
		g_hash_table_destroy(w->sock_names);
	sim_alpc_space_free(w->alpc);
	for (guint i = 0; i < w->n_mboxes; i++)
		sim_mbox_clear(&w->mboxes[i], &w->pool);
	for (guint i = 0; i < w->scn->n_bodies; i++)
		sim_interp_program_clear(&w->progs[i]);
	g_free(w->progs);
	g_free(w->tasks);
	g_free(w->mboxes);
	g_free(w->next_owned);
	for (guint i = 0; i < w->msgqs->len; i++)
		sim_msgq_free(g_ptr_array_index(w->msgqs, i), &w->pool);
	g_ptr_array_unref(w->msgqs);
	for (guint i = 0; i < w->mqueues->len; i++)
		sim_mqueue_free(g_ptr_array_index(w->mqueues, i), &w->pool);
	g_ptr_array_unref(w->mqueues);
	sim_semns_clear(&w->semns);
	sim_shmns_clear(&w->shmns);
	sim_pipe_users_clear(&w->pipe_users);
	g_free(w->shm_maps);
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo *f = g_ptr_array_index(w->fifos, i);
		g_free(f->path);
		g_free(f);
	}
	g_ptr_array_unref(w->fifos);
	g_free(w->sysvq_ids);
	sim_ipcns_clear(&w->ipcns);
	g_free(w->names);
	g_free(w->cands);
	if (w->out.text)
		g_string_free(w->out.text, TRUE);
	g_free(w->results);
	g_string_free(w->scratch, TRUE);
	g_free(w->patched);
	g_clear_pointer(&w->task_results, g_hash_table_unref);
	g_clear_pointer(&w->sig_counts, g_hash_table_unref);
	sim_world_holders_clear(w);
	sim_sched_clear(&w->sched);
	sim_evq_clear(&w->evq);
	sim_msg_pool_clear(&w->pool);
	g_free(w->own_scn); /* a world without a scenario: its empty one (external.c) */
	g_free(w);
}

SimTime sim_world_now(const SimWorld *w)
{
	return sim_evq_now(&w->evq);
}

SimRunStatus sim_world_status(const SimWorld *w)
{
	return w->status;
}

guint64 sim_world_seed(const SimWorld *w)
{
	return w->seed;
}

guint64 sim_world_steps(const SimWorld *w)
{
	return w->steps;
}

guint64 sim_world_memory(const SimWorld *w)
{
	return sim_msg_pool_bytes(&w->pool) + w->mem;
}

const SimStmtResult *sim_world_result(const SimWorld *w, const SimStmt *st)
{
	return &w->results[st->id];
}

const SimCallOut *sim_world_call_out(const SimWorld *w)
{
	return &w->out;
}

/* The key of (task, st) in w->task_results: one per pair, as long as a gsize holds
 * statements times tasks, which the limits on both keep far below 2^64. */
static gpointer task_key(const SimWorld *w, guint task, const SimStmt *st)
{
	return GSIZE_TO_POINTER((gsize)st->id * w->n_tasks + task + 1);
}

const SimStmtResult *sim_world_task_result(const SimWorld *w, guint task, const SimStmt *st)
{
	static const SimStmtResult never = { 0 };
	const SimStmtResult *r =
		w->task_results ? g_hash_table_lookup(w->task_results, task_key(w, task, st)) : NULL;
	return r ? r : &never;
}

SimStmtResult *sim_world_task_result_mut(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (G_LIKELY(!w->task_results) || !st->label)
		return NULL;
	gpointer key = task_key(w, (guint)t->id, st);
	SimStmtResult *r = g_hash_table_lookup(w->task_results, key);
	if (!r) {
		r = g_new0(SimStmtResult, 1);
		g_hash_table_insert(w->task_results, key, r);
	}
	return r;
}

void sim_world_count_signal(SimWorld *w, const SimTask *t, int sig, guint which)
{
	if (G_LIKELY(!w->sig_counts))
		return;
	guint64 *n = g_hash_table_lookup(w->sig_counts,
					 GSIZE_TO_POINTER((gsize)t->id * 64 + (gsize)sig + 1));
	if (n)
		n[which]++;
}

void sim_world_signal_counts(const SimWorld *w, guint task, int sig, guint64 *delivered,
			     guint64 *handled)
{
	const guint64 *n = w->sig_counts ? g_hash_table_lookup(w->sig_counts,
							       GSIZE_TO_POINTER((gsize)task * 64 +
										(gsize)sig + 1))
					 : NULL;
	*delivered = n ? n[0] : 0;
	*handled = n ? n[1] : 0;
}

const char *sim_world_status_name(SimRunStatus s)
{
	switch (s) {
	case SIM_RUN_DONE:
		return "done";
	case SIM_RUN_DEADLOCK:
		return "deadlock";
	case SIM_RUN_STEP_LIMIT:
		return "step limit";
	case SIM_RUN_TIME_LIMIT:
		return "time limit";
	case SIM_RUN_STOPPED:
		return "stopped";
	case SIM_RUN_TIME_OVERFLOW:
		return "time overflow";
	case SIM_RUN_MEMORY_LIMIT:
		return "memory limit";
	case SIM_RUN_EXPR_FAULT:
		return "expression fault";
	}
	return "?";
}

/* ---- Engine services ---- */

void sim_world_emit(SimWorld *w, SimTraceEvent *ev)
{
	ev->time = sim_evq_now(&w->evq);
	w->events++;
	sim_trace_emit(w->trace, ev);
}

void sim_world_halt(SimWorld *w, SimRunStatus why, const SimTask *t, const SimStmt *st,
		    SimTime base, SimTime add)
{
	if (w->halt != SIM_RUN_DONE)
		return;
	w->halt = why;
	w->halt_task = t;
	w->halt_stmt = st;
	w->halt_base = base;
	w->halt_add = add;
}

SimTime sim_world_later(SimWorld *w, const SimTask *t, const SimStmt *st, SimTime dt)
{
	SimTime now = sim_evq_now(&w->evq);
	if (dt < SIM_TIME_MAX - now)
		return now + dt;
	sim_world_halt(w, SIM_RUN_TIME_OVERFLOW, t, st, now, dt);
	return SIM_TIME_MAX;
}

/* The clock moves dt (>= 0) on for t's statement st, unless that would pass the largest
 * time: then it stays, and the run stops after the statement. */
static gboolean advance(SimWorld *w, SimTime dt, const SimTask *t, const SimStmt *st)
{
	if (G_UNLIKELY(dt >= SIM_TIME_MAX - sim_evq_now(&w->evq))) {
		sim_world_halt(w, SIM_RUN_TIME_OVERFLOW, t, st, sim_evq_now(&w->evq), dt);
		return FALSE;
	}
	sim_evq_advance(&w->evq, dt);
	return TRUE;
}

void sim_world_charge(SimWorld *w, SimTime dt)
{
	if (dt <= 0 || !advance(w, dt, w->cur, w->at))
		return;
	if (w->cur)
		w->cur->slice_used += dt;
}

static void trace_task(SimWorld *w, SimTraceKind kind, const SimTask *t, const char *other,
		       const char *object, const char *reason)
{
	if (!sim_trace_wants(w->trace, kind))
		return; /* a text trace shows a block on the call that blocked */
	SimTraceEvent ev = {
		.kind = kind, .task = t->name, .other = other, .object = object, .reason = reason
	};
	sim_world_emit(w, &ev);
}

void sim_world_block(SimWorld *w, SimTask *t, int obj, const char *name, const char *why)
{
	g_assert(t == w->cur);
	sim_task_block(t, sim_evq_now(&w->evq), obj, why);
	trace_task(w, SIM_TR_BLOCK, t, NULL, name, why);
	w->cur = NULL;
}

void sim_world_sleep(SimWorld *w, SimTask *t, SimTime dt)
{
	g_assert(t == w->cur);
	sim_task_sleep(t, sim_evq_now(&w->evq));
	w->cur = NULL;
	SimTime at = sim_world_later(w, t, w->at, dt);
	if (at == SIM_TIME_MAX)
		return; /* a sleep past the end of time: the run stops here */
	sim_world_timer(w, t, at);
}

void sim_world_timer(SimWorld *w, SimTask *t, SimTime at)
{
	SimEvent ev = { .time = at,
			.prio = SIM_EVPRIO_TIMER,
			.kind = SIM_EV_TIMER,
			.task = t->id,
			.gen = t->wait_gen };
	push(w, ev);
}

void sim_world_alarm(SimWorld *w, SimTask *t, SimTime at)
{
	t->alarm_gen++;
	t->alarm_at = at;
	if (at == SIM_TIME_MAX)
		return;
	SimEvent ev = { .time = at,
			.prio = SIM_EVPRIO_TIMER,
			.kind = SIM_EV_ALARM,
			.task = t->id,
			.gen = t->alarm_gen };
	push(w, ev);
}

static void make_ready(SimWorld *w, SimTask *t)
{
	sim_task_make_ready(t, sim_evq_now(&w->evq));
	sim_sched_enqueue(&w->sched, t, FALSE);
	trace_task(w, SIM_TR_START, t, NULL, NULL, NULL);
}

/* What a wake-up brings, for the trace: an error, "look again", or nothing (success). */
static const char *wake_note(const SimWaiter *wt)
{
	if (wt->result == SIM_MSGQ_RETRY)
		return "to look again";
	return wt->result > 0 ? sim_errno_name(wt->result) : NULL;
}

void sim_world_wake_list(SimWorld *w, const SimTask *waker, const SimMbox *via)
{
	SimWaiter *wt = w->wake.first;
	w->wake.first = w->wake.last = NULL;
	while (wt) {
		SimWaiter *next = wt->wake_next;
		SimTask *t = &w->tasks[wt->task];
		const char *object = NULL;
		if (t->wait_obj >= 0 && !w->mboxes[t->wait_obj].is_inbox)
			object = w->mboxes[t->wait_obj].name;
		sim_task_wake(t, sim_evq_now(&w->evq));
		sim_sched_enqueue(&w->sched, t, FALSE);
		/* A direct link is not an object the student named: "woken by P1" says it all. */
		if (via)
			object = via->is_inbox ? NULL : via->name;
		trace_task(w, SIM_TR_WAKE, t, waker ? waker->name : NULL, object, wake_note(wt));
		wt = next;
	}
}

void sim_world_exit(SimWorld *w, SimTask *t, gint64 code)
{
	g_assert(t == w->cur);
	if (t->threaded)
		sim_world_end_group(w, t->id, 0, code, t); /* main's return is exit() */
	sim_task_exit(t, sim_evq_now(&w->evq), code);
	w->cur = NULL;
	if (w->trace) {
		SimTraceEvent ev = { .kind = SIM_TR_EXIT, .task = t->name, .value = code };
		sim_world_emit(w, &ev);
	}
	sim_world_reap(w, t);
	if (w->hook.fn)
		w->hook.fn(w->hook.data, w, t, NULL, SIM_CALL_EXITED);
}

SimFile *sim_world_file_new(SimWorld *w, SimFile init)
{
	SimFile *f = g_new(SimFile, 1);
	*f = init;
	w->mem += sizeof(SimFile);
	return f;
}

void sim_world_fd_install(SimWorld *w, SimTask *t, int fd, SimFile *f)
{
	w->mem += sim_fdt_install(&t->fdt, fd, f);
}

int sim_world_fd_close(SimWorld *w, SimTask *t, gint64 fd)
{
	SimFile *f = sim_fdt_remove(&t->fdt, fd);
	if (!f)
		return EBADF;
	sim_world_file_put(w, t, f);
	return 0;
}

void sim_world_file_put(SimWorld *w, SimTask *t, SimFile *f)
{
	if (sim_fdt_file_put(f)) {
		if (f->kind == SIM_FILE_MQ) {
			sim_mqueue_close(&w->ipcns, f->mq, t->id);
		} else if (f->kind == SIM_FILE_SOCK) {
			w->mem -= sim_world_sock_put(w, f->sock, &w->wake);
		} else {
			SimPipeCtx c = { .wake = &w->wake };
			guint acc = f->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
			sim_pipe_detach(f->pipe, &c, acc != SIM_O_WRONLY, acc != SIM_O_RDONLY);
			sim_world_pipe_put(w, f->pipe);
		}
		w->mem -= sizeof(SimFile);
		g_free(f);
	} else if (f->kind == SIM_FILE_MQ) {
		/* Any close by the owner ends its mq_notify registration (mqueue_flush_file). */
		sim_mqueue_flush(f->mq, t->id);
	}
}

SimPipe *sim_world_pipe_new(SimWorld *w, const SimTask *t, const char *name, gboolean is_fifo)
{
	/* alloc_pipe_info: charged to the maker's real uid; CAP_SYS_RESOURCE or CAP_SYS_ADMIN
	 * is never refused. */
	gint64 user = t->cred.split ? t->cred.ruid : t->cred.uid;
	gboolean privileged = (t->cred.caps & (SIM_CAP_SYS_RESOURCE | SIM_CAP_SYS_ADMIN)) != 0;
	guint slots = sim_pipe_users_alloc(&w->pipe_users, user, privileged, SIM_PIPE_DEF_SLOTS);
	if (!slots)
		return NULL;
	SimPipe *p = sim_pipe_new(name, is_fifo, slots);
	p->user = user;
	p->nr_accounted = slots;
	w->mem += sim_pipe_bytes(p);
	return p;
}

void sim_world_pipe_put(SimWorld *w, SimPipe *p)
{
	if (sim_pipe_in_use(p))
		return;
	w->mem -= sim_pipe_bytes(p);
	if (p->fifo) /* the FIFO stays, without data, until it is opened again */
		p->fifo->pipe = NULL;
	sim_pipe_users_free(&w->pipe_users, p->user, p->nr_accounted);
	sim_pipe_free(p);
}

void sim_world_fork(SimWorld *w, SimTask *parent, SimTask *child, guint n_inherit)
{
	g_assert(child->state == SIM_STATE_NEW && child->proc->start == SIM_START_FORK);
	for (guint i = 0; i < n_inherit; i++) {
		const SimVar *from = &parent->vars[i];
		SimVar *to = &child->vars[i];
		to->num = from->num;
		to->num2 = from->num2;
		if (from->msg)
			to->msg = sim_msg_pool_copy(&w->pool, from->msg);
		if (from->ds)
			to->ds = g_memdup2(from->ds, SIM_DS_N * sizeof(gint64));
	}
	w->mem += sim_fdt_fork(&child->fdt, &parent->fdt);
	sim_shm_fork(&w->shm_maps[child->id], &w->shm_maps[parent->id], parent->id,
		     sim_world_now(w));
	memcpy(child->sigact, parent->sigact, sizeof(child->sigact));
	child->norestart = parent->norestart;
	sim_sigbody_fork(child, parent);
	child->cred = parent->cred; /* as they are now: a setuid before the fork holds */
	make_ready(w, child);
}

void sim_world_start(SimWorld *w, SimTask *t)
{
	make_ready(w, t);
}

void sim_world_timeout(SimWorld *w, SimTask *t, SimTime deadline)
{
	SimEvent ev = { .time = MAX(deadline, sim_evq_now(&w->evq)),
			.prio = SIM_EVPRIO_TIMER,
			.kind = SIM_EV_TIMEOUT,
			.task = t->id,
			.gen = t->wait_gen };
	push(w, ev);
}

/* A mailbox or port dies with its owner t: its waiters fail, and the trace says so (an
 * inbox is not an object the student named). */
static void destroy_owned(SimWorld *w, SimTask *t, SimMbox *mb)
{
	w->exit_visits++;
	g_assert(mb->owner == t->id);
	if (mb->destroyed)
		return;
	guint failed = sim_mbox_destroy(mb, &w->mctx);
	if (w->trace && !mb->is_inbox) {
		SimTraceEvent ev = {
			.kind = SIM_TR_DESTROY, .task = t->name, .object = mb->name, .value = failed
		};
		sim_world_emit(w, &ev);
	}
	sim_world_wake_all(w, t, mb);
}

/* Everything here reaches only what t holds or is linked to (SimTask's lists), so an exit
 * costs the same with ten tasks or a million; exit_visits counts what it looks at. */
SimSemCtx sim_world_sem_ctx(SimWorld *w, const SimTask *t)
{
	return (SimSemCtx){ .wake = &w->wake,
			    .now = sim_world_now(w),
			    .task = t->id,
			    .cred = &t->cred,
			    .limits = &w->ipcns.limits };
}

/* One line per undo record t's exit applies: "sem 0 +1, sem 2 -4 (clamped to 0)", the
 * clamp shown where Linux's [0, SEMVMX] bound changes the result. Read before the records
 * are applied and freed. */
static void trace_sem_undo(SimWorld *w, const SimTask *t)
{
	for (const SimSemUndo *u = t->sem_undo; u; u = u->next) {
		g_autoptr(GString) text = g_string_new(NULL);
		for (guint i = 0; i < u->sma->nsems; i++) {
			gint64 adj = u->semadj[i], v = u->sma->sems[i].semval + adj;
			if (!adj)
				continue;
			g_string_append_printf(text, "%ssem %u %+" G_GINT64_FORMAT, text->len ? ", " : "",
					       i, adj);
			if (v < 0 || v > SIM_SEMVMX)
				g_string_append_printf(text, " (clamped to %d)", v < 0 ? 0 : SIM_SEMVMX);
		}
		if (!text->len)
			continue; /* every adjustment came back to 0: nothing changes */
		SimTraceEvent ev = { .kind = SIM_TR_SEM_UNDO,
				     .task = t->name,
				     .text = text->str,
				     .value = u->semid };
		sim_world_emit(w, &ev);
	}
}

void sim_world_reap(SimWorld *w, SimTask *t)
{
	/* exit_sem comes first in do_exit: the undo records go back into the values. */
	if (t->sem_undo) {
		SimSemCtx c = sim_world_sem_ctx(w, t);
		if (w->trace)
			trace_sem_undo(w, t);
		sim_sem_exit(&t->sem_undo, &c);
		sim_world_wake_all(w, t, NULL);
	}
	sim_shm_exit(&w->shmns, &w->shm_maps[t->id], t->id, sim_world_now(w));
	/* Exit closes every descriptor (ending mq_notify registrations, as the kernel's
	 * mqueue_flush_file does). */
	sim_world_holders_exit(w, t);
	w->exit_visits += t->fdt.n;
	for (guint fd = 0; fd < t->fdt.n; fd++)
		if (sim_fdt_get(&t->fdt, fd))
			sim_world_fd_close(w, t, fd);
	sim_world_wake_all(w, t, NULL); /* readers see EOF, writers EPIPE */
	/* Its ALPC handles close too: its ports die and their other ends' waiters fail. */
	if (w->alpc && sim_world_alpc_exit(w, t))
		sim_world_wake_all(w, t, NULL);

	/* Objects die with their owner, its declared ones first, then its inbox (index order);
	 * every waiter learns it now. */
	for (int i = t->first_owned; i >= 0; i = w->next_owned[i])
		destroy_owned(w, t, &w->mboxes[i]);
	destroy_owned(w, t, &w->mboxes[t->inbox]);
	for (int i = t->first_after; i >= 0; i = w->tasks[i].next_after) {
		SimTask *o = &w->tasks[i];
		w->exit_visits++;
		if (o->state == SIM_STATE_NEW)
			make_ready(w, o);
	}

	/* Orphans go to init, which reaps them at once (the kernel's forget_original_parent):
	 * children that exited before t are gone now, and so is t if its parent went first. */
	for (int i = t->first_child; i >= 0; i = w->tasks[i].next_sibling) {
		SimTask *c = &w->tasks[i];
		w->exit_visits++;
		if (c->state == SIM_STATE_EXITED)
			c->reaped = TRUE;
	}
	/* So is one whose parent ignores SIGCHLD: the kernel reaps it at once (do_notify_parent's
	 * autoreap), and a wait for it ends in ECHILD. */
	if (t->proc->start == SIM_START_FORK &&
	    (w->tasks[t->proc->parent].state == SIM_STATE_EXITED ||
	     w->tasks[t->proc->parent].sigact[SIGCHLD] == SIM_SIG_IGNORE))
		t->reaped = TRUE;

	if (t->proc->start == SIM_START_THREAD)
		sim_world_thread_ended(w, t);
	/* A forked child's parent learns of the exit: its wait calls wake, and SIGCHLD comes
	 * (ignored by default, so only a handler makes it show). */
	if (t->proc->start == SIM_START_FORK) {
		SimTask *parent = &w->tasks[t->proc->parent];
		SimWaiter *x;
		while ((x = sim_waitq_first(&parent->chld_wait)))
			sim_waitq_wake(&w->wake, x, 0);
		sim_world_wake_all(w, t, NULL);
		if (parent->state != SIM_STATE_EXITED && parent->sigact[SIGCHLD] == SIM_SIG_HANDLER) {
			/* do_notify_parent: CLD_KILLED with the signal (no core is dumped), or
			 * CLD_EXITED with the status. */
			SimSigInfo si = { .code = t->killed_by ? 2 : 1,
					  .pid = t->pid,
					  .uid = t->cred.split ? t->cred.ruid : t->cred.uid,
					  .status = t->killed_by ? t->killed_by : t->exit_code };
			sim_world_signal_info(w, parent, SIGCHLD, &si);
		}
	}
}

/* ---- Signals ---- */

/* Who sends the signal being delivered, for the trace: the running task (kill, SIGPIPE to
 * itself, a child's exit), or nobody when an alarm expires. */
static const char *sender(const SimWorld *w)
{
	return w->cur && !w->by_alarm ? w->cur->name : NULL;
}

static void trace_signal(SimWorld *w, const SimTask *t, int sig, const char *what)
{
	if (!w->trace)
		return;
	SimTraceEvent ev = { .kind = SIM_TR_SIGNAL,
			     .task = t->name,
			     .other = sender(w),
			     .reason = what,
			     .text = sim_scn_signal_name(sig),
			     .value = sig };
	sim_world_emit(w, &ev);
}

/* Default action: term and core end the task; SIGCHLD, SIGURG and SIGWINCH are ignored, and
 * so is SIGCONT once it has continued its target (stop_task and continue_task below). */
static gboolean terminates(int sig)
{
	return sim_signal_default_kills(sig);
}

/* The trace's word for a death by sig: "core" for the signals whose default dumps core. */
static const char *killed_how(int sig)
{
	return sim_signal_default(sig) == SIM_SIGDFL_CORE ? "killed (default action: core)"
							  : "killed";
}

/* Ends t, which is not running: by signal sig (sig > 0), or, for a thread that the exit of
 * another ends (sig 0), with its process's status `code`. */
static void zap(SimWorld *w, SimTask *t, int sig, gint64 code)
{
	switch (t->state) {
	case SIM_STATE_READY:
		sim_sched_remove(&w->sched, t);
		break;
	case SIM_STATE_BLOCKED:
		if (t->waiter.queue)
			sim_waitq_del(&t->waiter);
		break;
	case SIM_STATE_NEW:
	case SIM_STATE_SLEEPING: /* its timer finds it gone and is ignored */
		break;
	case SIM_STATE_RUNNING:
	case SIM_STATE_EXITED:
		g_assert_not_reached();
	}
	/* A message it was sending, or one handed to it that it never picked up, is dropped. */
	sim_msg_pool_put(&w->pool, t->waiter.msg);
	t->waiter.msg = NULL;
	/* A call it was in (a pipe read or write, a FIFO open) ends as the kernel ends it. */
	if (t->state == SIM_STATE_BLOCKED || t->resuming)
		sim_interp_abandon(w, t);
	sim_task_kill(t, sim_evq_now(&w->evq), sig ? sig : SIGKILL);
	if (sig) {
		trace_signal(w, t, sig, killed_how(sig));
	} else {
		t->exit_code = code;
		t->killed_by = 0;
		t->group_end = SIM_GROUP_ENDED;
		if (w->trace) {
			SimTraceEvent ev = { .kind = SIM_TR_EXIT, .task = t->name, .value = code };
			sim_world_emit(w, &ev);
		}
	}
	sim_world_reap(w, t);
	if (w->hook.fn)
		w->hook.fn(w->hook.data, w, t, NULL, sig ? SIM_CALL_KILLED : SIM_CALL_EXITED);
}

/* The running task t ends by signal sig, its default action. */
static void self_kill(SimWorld *w, SimTask *t, int sig)
{
	sim_task_exit(t, sim_evq_now(&w->evq), 128 + sig);
	t->killed_by = sig;
	w->cur = NULL;
	trace_signal(w, t, sig, killed_how(sig));
	sim_world_reap(w, t);
	if (w->hook.fn)
		w->hook.fn(w->hook.data, w, t, NULL, SIM_CALL_KILLED);
}

void sim_world_end_group(SimWorld *w, int group, int sig, gint64 code, const SimTask *except)
{
	/* Threads first, the process's main task last: its end closes the shared descriptors,
	 * which no call of a thread may still be waiting on by then. */
	w->tasks[group].ending = TRUE;
	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = 0; i < w->n_tasks; i++) {
			SimTask *o = &w->tasks[i];
			if (o->group != group || o == except || (o->id == group) != (pass == 1) ||
			    o->state == SIM_STATE_EXITED ||
			    (o->state == SIM_STATE_NEW && o->id != group))
				continue;
			if (o == w->cur)
				self_kill(w, o, sig ? sig : SIGKILL);
			else
				zap(w, o, sig, code);
		}
	}
}

static void kill_task(SimWorld *w, SimTask *t, int sig)
{
	if (w->tasks[t->group].threaded) {
		sim_world_end_group(w, t->group, sig, 128 + sig, NULL); /* the whole process */
		return;
	}
	zap(w, t, sig, 0);
}

/* ---- Stopped processes ---- */

/* A stopped forked child's parent hears of the stop and of the continue by SIGCHLD, as it
 * hears of an exit (the model has no SA_NOCLDSTOP): only a handler makes it show. */
static void notify_parent(SimWorld *w, SimTask *t)
{
	if (t->proc->start != SIM_START_FORK)
		return;
	SimTask *parent = &w->tasks[t->proc->parent];
	if (parent->state != SIM_STATE_EXITED && parent->sigact[SIGCHLD] == SIM_SIG_HANDLER)
		sim_world_signal(w, parent, SIGCHLD);
}

static const char *stopped_how(int sig)
{
	switch (sig) {
	case SIGTSTP:
		return "stopped by SIGTSTP";
	case SIGTTIN:
		return "stopped by SIGTTIN";
	case SIGTTOU:
		return "stopped by SIGTTOU";
	default:
		return "stopped by SIGSTOP";
	}
}

/* A stop signal's default action. The task keeps its state (a sleep's timer runs on, a wait
 * may still end) but is taken off the CPU and the ready queue. A call it is blocked in ends
 * as Linux ends it when the task stops, which the kernel does before the stop takes hold: a
 * SysV msgsnd or msgrcv leaves its queue's list and looks again once continued
 * (-ERESTARTNOHAND restarted), so a message sent meanwhile stays queued; a pipe read or
 * write, a FIFO open, mq_send, mq_receive and wait are restarted likewise (-ERESTARTSYS);
 * semop fails with EINTR after the continue, as signal(7) lists. The other waits (the
 * textbook mailboxes and ports, sockets, poll) go on while the task is stopped. */
static void stop_task(SimWorld *w, SimTask *t, int sig)
{
	if (t->stopped_by) {
		trace_signal(w, t, sig, "ignored: already stopped");
		return;
	}
	t->stopped_by = sig;
	trace_signal(w, t, sig, stopped_how(sig));
	switch (t->state) {
	case SIM_STATE_RUNNING: /* kill(getpid(), SIGSTOP): it stops at once */
		sim_task_preempt(t, sim_evq_now(&w->evq));
		t->parked = TRUE;
		w->cur = NULL;
		break;
	case SIM_STATE_READY:
		sim_sched_remove(&w->sched, t);
		t->parked = TRUE;
		break;
	case SIM_STATE_BLOCKED:
		if (t->wait_msgq) {
			sim_msgq_interrupt(&w->wake, &t->waiter);
			if (t->waiter.queue)
				sim_waitq_del(&t->waiter);
		} else if (t->wait_sem) {
			/* It leaves the list now: a semop meanwhile does not complete it. */
			sim_sem_interrupt(&w->wake, &t->waiter, EINTR);
			if (t->waiter.queue) {
				sim_waitq_del(&t->waiter);
				sim_sem_unlock(t->wait_sem);
			}
		} else if ((t->wait_pipe || t->wait_mq || t->wait_child >= 0) && t->waiter.queue) {
			/* Woken with EINTR and no handler to run: each restarts (-ERESTARTSYS). */
			sim_waitq_wake(&w->wake, &t->waiter, EINTR);
		}
		sim_world_wake_all(w, w->by_alarm ? NULL : w->cur, NULL);
		break;
	case SIM_STATE_SLEEPING:
		t->stopped_asleep = TRUE;
		break;
	case SIM_STATE_NEW:
	case SIM_STATE_EXITED:
		break;
	}
	notify_parent(w, t);
}

/* SIGCONT, whatever its action: pending stop signals are discarded, and a stopped task goes
 * on (queued if it is READY). Then SIGCONT is delivered as any other signal. */
static void continue_task(SimWorld *w, SimTask *t)
{
	t->sig_pending &= ~((G_GUINT64_CONSTANT(1) << SIGSTOP) | (G_GUINT64_CONSTANT(1) << SIGTSTP) |
			    (G_GUINT64_CONSTANT(1) << SIGTTIN) | (G_GUINT64_CONSTANT(1) << SIGTTOU));
	if (!t->stopped_by)
		return;
	t->stopped_by = 0;
	trace_signal(w, t, SIGCONT, "continued by SIGCONT");
	if (t->state == SIM_STATE_READY)
		sim_sched_resume(&w->sched, t);
	if (t->stopped_asleep && t->state == SIM_STATE_READY &&
	    t->sigact[SIGCONT] == SIM_SIG_HANDLER) {
		/* The stop cut its nanosleep short (-ERESTART_RESTARTBLOCK); with a handler to
		 * run, that is EINTR, even when the deadline passed while it was stopped. A
		 * sleep still running gets its EINTR from the handler's delivery. */
		const SimStmt *st = t->prog->code[t->pc - 1].stmt;
		w->results[st->id].err = EINTR;
		t->last_err = EINTR;
	}
	t->stopped_asleep = FALSE;
	notify_parent(w, t);
	if (t->kill_pending) {
		int sig = t->kill_pending;
		t->kill_pending = 0;
		kill_task(w, t, sig);
	}
}

/* Whether o, a member of t's process, takes part in a group stop or continue: a thread not
 * yet started has nothing to stop, and an ended one nothing to continue. */
static gboolean group_member(const SimTask *o, const SimTask *t)
{
	return o->group == t->group && o->state != SIM_STATE_EXITED &&
	       (o->state != SIM_STATE_NEW || o->id == o->group);
}

/* SIGCONT continues a whole process (Linux: every thread of the thread group), t first. A
 * kill left pending by the stop may end the group midway: the rest are then skipped. */
static void each_of_group(SimWorld *w, SimTask *t, void (*fn)(SimWorld *, SimTask *))
{
	fn(w, t);
	if (!w->tasks[t->group].threaded)
		return;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *o = &w->tasks[i];
		if (o != t && group_member(o, t))
			fn(w, o);
	}
}

/* A stop signal stops a whole process (Linux's group stop: do_signal_stop makes every
 * thread of the group stop), the targeted task first, then its other threads. */
static void stop_group(SimWorld *w, SimTask *t, int sig)
{
	stop_task(w, t, sig);
	if (!w->tasks[t->group].threaded)
		return;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *o = &w->tasks[i];
		if (o != t && group_member(o, t))
			stop_task(w, o, sig);
	}
}

void sim_world_signal(SimWorld *w, SimTask *t, int sig)
{
	/* kill(2) and SIGPIPE: SI_USER from the caller; an alarm's: SI_KERNEL (SEND_SIG_PRIV). */
	const SimTask *from = w->by_alarm ? NULL : w->cur;
	SimSigInfo si = { .code = from ? 0 : 128,
			  .pid = from ? from->pid : 0,
			  .uid = !from ? 0 : from->cred.split ? from->cred.ruid : from->cred.uid };
	sim_world_signal_info(w, t, sig, &si);
}

void sim_world_signal_info(SimWorld *w, SimTask *t, int sig, const SimSigInfo *si)
{
	SimSigAction act = sig == SIGKILL || sig == SIGSTOP ? SIM_SIG_DEFAULT
							    : (SimSigAction)t->sigact[sig];
	sim_world_count_signal(w, t, sig, 0);
	gboolean was_stopped = t->stopped_by != 0;
	if (sig == SIGCONT)
		each_of_group(w, t, continue_task);
	else if (sim_signal_default(sig) == SIM_SIGDFL_STOP) /* whatever its action */
		t->sig_pending &= ~(G_GUINT64_CONSTANT(1) << SIGCONT);
	if (act == SIM_SIG_DEFAULT && sim_signal_default(sig) == SIM_SIGDFL_STOP) {
		stop_group(w, t, sig);
		return;
	}
	if (act == SIM_SIG_IGNORE || (act == SIM_SIG_DEFAULT && !terminates(sig))) {
		if (!(sig == SIGCONT && was_stopped)) /* "continued" said it all */
			trace_signal(w, t, sig, "ignored");
		return;
	}
	if (act == SIM_SIG_DEFAULT && t == w->cur && w->tasks[t->group].threaded) {
		sim_world_end_group(w, t->group, sig, 128 + sig, NULL); /* the whole process */
		return;
	}
	if (act == SIM_SIG_DEFAULT && t == w->cur) {
		/* kill(getpid(), sig) or SIGPIPE: the caller itself ends. */
		self_kill(w, t, sig);
		return;
	}
	if (act == SIM_SIG_DEFAULT && t->stopped_by && sig != SIGKILL) {
		/* Only SIGKILL ends a stopped process; the others wait for SIGCONT. */
		if (!t->kill_pending)
			t->kill_pending = sig;
		trace_signal(w, t, sig, "pending: its target is stopped");
		return;
	}
	if (act == SIM_SIG_DEFAULT) {
		kill_task(w, t, sig);
		return;
	}
	sim_sigbody_note(t, sig, si);
	t->sig_pending |= G_GUINT64_CONSTANT(1) << sig;
	trace_signal(w, t, sig,
		     sim_sigbody_blocked(t) & (G_GUINT64_CONSTANT(1) << sig)
			     ? "caught, and blocked while its handler's body runs: pending"
			     : "caught: its handler will run");
	if (t->state == SIM_STATE_BLOCKED) {
		/* A handled signal interrupts the call (EINTR, even with SA_RESTART for SysV). */
		if (t->wait_msgq)
			sim_msgq_interrupt(&w->wake, &t->waiter);
		else if (t->wait_sem)
			sim_sem_interrupt(&w->wake, &t->waiter, EINTR);
		else if (t->waiter.queue)
			sim_waitq_wake(&w->wake, &t->waiter, EINTR);
		sim_world_wake_all(w, w->by_alarm ? NULL : w->cur, NULL);
	} else if (t->state == SIM_STATE_SLEEPING) {
		/* nanosleep returns EINTR; the pending timer goes stale. */
		sim_task_wake(t, sim_evq_now(&w->evq));
		sim_sched_enqueue(&w->sched, t, FALSE);
		const SimStmt *st = t->prog->code[t->pc - 1].stmt;
		w->results[st->id].err = EINTR;
		t->last_err = EINTR;
		trace_task(w, SIM_TR_WAKE, t, sender(w), NULL, "EINTR");
	}
}

/* t's alarm expired: SIGALRM from the kernel, delivered as any signal is. */
static void signal_alarm(SimWorld *w, SimTask *t)
{
	if (w->alarm_due)
		w->alarm_due(w->hook.data, w, t);
	w->by_alarm = TRUE;
	sim_world_signal(w, t, SIGALRM);
	w->by_alarm = FALSE;
}

/* ---- The loop ---- */

/* An event that no longer concerns anyone: a start of a killed task, or the timer of a
 * sleep that a signal cut short. Dropped without moving the clock. */
static gboolean stale(const SimWorld *w, const SimEvent *ev)
{
	const SimTask *t = &w->tasks[ev->task];
	if (ev->kind == SIM_EV_START)
		return t->state != SIM_STATE_NEW;
	if (ev->kind == SIM_EV_ALARM) /* replaced, cancelled, or its process is gone */
		return t->state == SIM_STATE_EXITED || t->alarm_gen != ev->gen;
	if (ev->kind == SIM_EV_TIMEOUT)
		return t->state != SIM_STATE_BLOCKED || t->wait_gen != ev->gen ||
		       t->waiter.queue == NULL;
	return t->state != SIM_STATE_SLEEPING || t->wait_gen != ev->gen;
}

static void drop_stale(SimWorld *w)
{
	while (!sim_evq_empty(&w->evq) && stale(w, sim_evq_peek(&w->evq)))
		sim_evq_drop_next(&w->evq);
}

static void fire_due(SimWorld *w)
{
	SimEvent ev;
	while (sim_evq_pop_due(&w->evq, &ev)) {
		SimTask *t = &w->tasks[ev.task];
		switch (ev.kind) {
		case SIM_EV_START:
			if (t->state == SIM_STATE_NEW) /* not killed before it started */
				make_ready(w, t);
			break;
		case SIM_EV_TIMEOUT:
			if (stale(w, &ev))
				break; /* woken before its deadline */
			if (t->wait_sem)
				sim_sem_interrupt(&w->wake, &t->waiter, ETIMEDOUT);
			else
				sim_waitq_wake(&w->wake, &t->waiter, ETIMEDOUT);
			sim_world_wake_all(w, NULL, NULL);
			break;
		case SIM_EV_TIMER:
			if (t->state != SIM_STATE_SLEEPING || t->wait_gen != ev.gen)
				break; /* a stale timer */
			sim_task_wake(t, sim_evq_now(&w->evq));
			sim_sched_enqueue(&w->sched, t, FALSE);
			trace_task(w, SIM_TR_WAKE, t, NULL, NULL, "timer");
			break;
		case SIM_EV_ALARM:
			if (stale(w, &ev))
				break;
			t->alarm_at = SIM_TIME_MAX; /* one-shot: alarm() now returns 0 */
			signal_alarm(w, t);
			break;
		}
	}
}

static void trace_dispatch(SimWorld *w, SimTask *t, SimTime cost)
{
	if (!sim_trace_wants(w->trace, SIM_TR_DISPATCH))
		return; /* nobody reads it: no ready list to build */
	const SimTask *ready[MAX_LISTED];
	const char *names[MAX_LISTED];
	guint n = sim_sched_snapshot(&w->sched, ready, MAX_LISTED);
	for (guint i = 0; i < n; i++)
		names[i] = ready[i]->name;
	SimTraceEvent ev = { .kind = SIM_TR_DISPATCH,
			     .task = t->name,
			     .other = w->last && w->last != t ? w->last->name : NULL,
			     .names = names,
			     .n_names = n,
			     .value = cost };
	sim_world_emit(w, &ev);
}

/* Woken first: the ready tasks woken in a call, in the order the scheduler would run them;
 * returns how many (in w->cands). The scheduler counts them, so that the usual answer,
 * none, costs nothing; finding them walks the ready queue, which only a cross-check's
 * woken-first schedule asks for (its real processes keep it to tens of tasks). */
static guint woken_ready(SimWorld *w)
{
	guint n = 0, want = w->sched.n_woken;
	for (guint i = 0; i < sim_sched_len(&w->sched) && n < want; i++)
		if (sim_sched_at(&w->sched, i)->resuming)
			w->cands[n++] = sim_sched_at(&w->sched, i);
	if (n < 2)
		return n;
	const SimTask **order = g_new(const SimTask *, sim_sched_len(&w->sched) + 1);
	guint len = sim_sched_snapshot(&w->sched, order, sim_sched_len(&w->sched));
	n = 0;
	for (guint i = 0; i < len; i++)
		if (order[i]->resuming)
			w->cands[n++] = (SimTask *)(gintptr)order[i];
	g_free(order);
	return n;
}

static SimTask *pick_woken(SimWorld *w)
{
	guint n = woken_ready(w);
	if (n == 0)
		return NULL;
	guint k = n > 1 && w->pick ? w->pick(w->pick_data, w, w->cands, n) : 0;
	SimTask *t = w->cands[k < n ? k : 0];
	sim_sched_remove(&w->sched, t);
	return t;
}

/* Exploring with the clock kept (--timing strict): the ready tasks tied with the one the
 * policy would run (the same level, ready since the same instant) could run first on a
 * real machine, so the chooser picks among them; the policy's own pick is choice 0. */
static SimTask *pick_tied(SimWorld *w)
{
	SimSched *s = &w->sched;
	if (s->len < 2)
		return sim_sched_pick(s);
	gint64 key = s->heap[0].key;
	SimTask *head = s->heap[0].task;
	guint n = 0;
	w->cands[n++] = head;
	for (guint i = 1; i < s->len; i++) {
		SimTask *t = s->heap[i].task;
		if (s->heap[i].key == key && t->state_since == head->state_since)
			w->cands[n++] = t;
	}
	guint k = n > 1 ? s->choose(s->choose_data, n) : 0;
	SimTask *t = w->cands[k < n ? k : 0];
	sim_sched_remove(s, t);
	return t;
}

static void dispatch(SimWorld *w)
{
	SimTask *t = w->woken_first ? pick_woken(w) : NULL;
	if (!t && G_UNLIKELY(w->sched.choose) && w->scn->policy != SIM_SCHED_RANDOM)
		t = pick_tied(w);
	if (!t)
		t = sim_sched_pick(&w->sched);
	if (!t)
		return;
	SimTime cost = 0;
	if (w->last && w->last != t) {
		cost = w->scn->cost_switch;
		w->switches++;
		if (!advance(w, cost, t, NULL))
			cost = 0;
	}
	if (w->trace && (w->last != t || w->scn->policy != SIM_SCHED_RANDOM))
		trace_dispatch(w, t, cost);
	sim_task_run(t, sim_evq_now(&w->evq));
	w->cur = w->last = t;
}

static void preempt(SimWorld *w, const char *why, gboolean at_head)
{
	SimTask *t = w->cur;
	sim_task_preempt(t, sim_evq_now(&w->evq));
	sim_sched_enqueue(&w->sched, t, at_head);
	w->cur = NULL;
	if (w->scn->policy != SIM_SCHED_RANDOM)
		trace_task(w, SIM_TR_PREEMPT, t, NULL, NULL, why);
}

/* Burns CPU for the running task's compute, up to the next event or the end of its quantum. */
static void compute_slice(SimWorld *w, SimTask *t)
{
	SimTime slice = t->compute_left;
	if (w->scn->policy == SIM_SCHED_RR)
		slice = MIN(slice, MAX(w->scn->quantum - t->slice_used, 1));
	SimTime next = sim_evq_next_time(&w->evq);
	if (next != SIM_TIME_MAX && next > sim_evq_now(&w->evq))
		slice = MIN(slice, next - sim_evq_now(&w->evq));
	else if (next != SIM_TIME_MAX)
		slice = MIN(slice, 1);
	if (w->max_time)
		slice = MIN(slice, MAX(sim_time_add(w->max_time - sim_evq_now(&w->evq), 1), 1));
	w->at = t->prog->code[t->pc - 1].stmt; /* the compute statement, done as a call */
	t->compute_left -= slice;
	sim_world_charge(w, slice);
}

static const char *preempt_reason(const SimWorld *w)
{
	switch (w->scn->policy) {
	case SIM_SCHED_RR:
		return "quantum used up";
	case SIM_SCHED_PRIORITY:
		return "a higher priority task is ready";
	case SIM_SCHED_FIFO:
	case SIM_SCHED_RANDOM:
		break;
	}
	return "random pick";
}

static gboolean over_limits(SimWorld *w)
{
	if (w->steps >= w->max_steps) {
		w->status = SIM_RUN_STEP_LIMIT;
		return TRUE;
	}
	if (w->max_time && sim_evq_now(&w->evq) > w->max_time) {
		w->status = SIM_RUN_TIME_LIMIT;
		return TRUE;
	}
	if (sim_world_memory(w) > w->max_memory) {
		w->status = SIM_RUN_MEMORY_LIMIT;
		return TRUE;
	}
	return FALSE;
}

void sim_world_stop(SimWorld *w)
{
	w->stopped = TRUE;
}

/* Debug: when nothing can run, no task may sleep on a pipe that would let it go on (a
 * wake-up that was lost). */
G_GNUC_UNUSED static gboolean stuck_for_good(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		const SimPipe *p = t->wait_pipe;
		if (t->state != SIM_STATE_BLOCKED || !p || !t->waiter.queue)
			continue;
		if (t->waiter.queue == &p->rd_wait && (p->bytes || !p->writers))
			return FALSE;
		if (t->waiter.queue == &p->wr_wait &&
		    (sim_pipe_used(p) < p->max_usage || !p->readers))
			return FALSE;
	}
	return TRUE;
}

static SimRunStatus conclude(SimWorld *w);

SimRunStatus sim_world_run(SimWorld *w)
{
	if (w->setup_what) /* the memory rail stopped the world being made */
		return w->status = SIM_RUN_MEMORY_LIMIT;
	w->status = SIM_RUN_DONE;
	for (;;) {
		if (sim_evq_due(&w->evq))
			fire_due(w);
		if (!w->cur) {
			dispatch(w);
			if (!w->cur) {
				drop_stale(w);
				if (sim_evq_empty(&w->evq))
					break;
				sim_evq_jump(&w->evq);
				if (over_limits(w) || w->stopped)
					break;
				continue;
			}
		}
		if (over_limits(w) || w->stopped)
			break;
		SimTask *t = w->cur;
		if (t->compute_left > 0)
			compute_slice(w, t);
		else
			sim_interp_step(w, t);
		SIM_CHECK(sim_sched_check(&w->sched) && sim_task_check(t));
		if (w->halt != SIM_RUN_DONE)
			break;
		if (w->cur == t) {
			if (sim_evq_due(&w->evq))
				fire_due(w);
			if (w->woken_first && !t->resuming && woken_ready(w) > 0)
				preempt(w, "a woken task finishes its call first", TRUE);
			else if (sim_sched_should_preempt(&w->sched, t))
				/* SCHED_FIFO: preempted by a higher priority, it keeps the head
				 * of its level. */
				preempt(w, preempt_reason(w), w->scn->policy == SIM_SCHED_PRIORITY);
			else if (t->slice_used >= w->scn->quantum && sim_sched_len(&w->sched) == 0)
				t->slice_used = 0; /* alone on the CPU: a fresh quantum */
		}
	}
	return conclude(w);
}

/* The status a run ends with, once its loop (or its stepping) is over: what stopped it, or
 * done, or a deadlock when tasks remain. */
static SimRunStatus conclude(SimWorld *w)
{
	if (w->stopped)
		w->status = SIM_RUN_STOPPED;
	if (w->halt != SIM_RUN_DONE)
		w->status = w->halt;
	if (w->status == SIM_RUN_DONE) {
		for (guint i = 0; i < w->n_tasks; i++) {
			const SimTask *t = &w->tasks[i];
			/* A child whose fork never ran does not exist. */
			if (t->state != SIM_STATE_EXITED && !sim_world_unforked(t))
				w->status = SIM_RUN_DEADLOCK;
		}
		SIM_CHECK(w->status != SIM_RUN_DEADLOCK || stuck_for_good(w));
	}
	return w->status;
}

/* ---- Stepping (world.h): the loop driven from outside ---- */

/* Whether t may make its next call now, with time abstracted (see sim_world_steppable). */
static gboolean may_step(const SimTask *t)
{
	if (t->stopped_by)
		return FALSE; /* nothing it does can happen before a SIGCONT */
	switch (t->state) {
	case SIM_STATE_READY:
	case SIM_STATE_SLEEPING:
		return TRUE;
	case SIM_STATE_NEW:
		return t->proc->start == SIM_START_AT;
	case SIM_STATE_BLOCKED:
		return t->waiter.queue != NULL && t->deadline != SIM_TIME_MAX;
	case SIM_STATE_RUNNING:
	case SIM_STATE_EXITED:
		break;
	}
	return FALSE;
}

guint sim_world_steppable(SimWorld *w, guint *out)
{
	guint n = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		if (!may_step(t))
			continue;
		if (!t->resuming && t->state != SIM_STATE_BLOCKED && !sim_interp_settle(w, t) &&
		    w->halt != SIM_RUN_DONE)
			return 0; /* an if's or assert's expression faulted: the run is over */
		out[n++] = i;
	}
	return n;
}

const SimStmt *sim_world_next_stmt(const SimWorld *w, guint id)
{
	const SimTask *t = &w->tasks[id];
	return t->state == SIM_STATE_EXITED ? NULL : t->prog->code[t->pc].stmt;
}

/* t, which may step, is made ready as its state asks: started, its sleep over, or its
 * timed call timed out. */
static void ready_for_step(SimWorld *w, SimTask *t)
{
	switch (t->state) {
	case SIM_STATE_NEW:
		make_ready(w, t);
		break;
	case SIM_STATE_SLEEPING:
		sim_task_wake(t, sim_evq_now(&w->evq));
		sim_sched_enqueue(&w->sched, t, FALSE);
		trace_task(w, SIM_TR_WAKE, t, NULL, NULL, "timer");
		break;
	case SIM_STATE_BLOCKED:
		sim_waitq_wake(&w->wake, &t->waiter, ETIMEDOUT);
		sim_world_wake_all(w, NULL, NULL);
		break;
	case SIM_STATE_READY:
	case SIM_STATE_RUNNING:
	case SIM_STATE_EXITED:
		break;
	}
}

gboolean sim_world_step(SimWorld *w, guint id)
{
	g_return_val_if_fail(id < w->n_tasks && w->cur == NULL, FALSE);
	SimTask *t = &w->tasks[id];
	g_return_val_if_fail(may_step(t), FALSE);
	if (over_limits(w) || w->stopped)
		return FALSE;
	w->stepped = TRUE;
	ready_for_step(w, t);
	sim_sched_remove(&w->sched, t);
	SimTime cost = 0;
	if (w->last && w->last != t) {
		cost = w->scn->cost_switch;
		w->switches++;
		if (!advance(w, cost, t, NULL))
			cost = 0;
	}
	if (w->trace && w->last != t)
		trace_dispatch(w, t, cost);
	sim_task_run(t, sim_evq_now(&w->evq));
	w->cur = w->last = t;
	sim_interp_step(w, t);
	if (t->compute_left > 0) { /* any duration will do: all of it now */
		w->at = t->prog->code[t->pc - 1].stmt;
		sim_world_charge(w, t->compute_left);
		t->compute_left = 0;
	}
	if (w->cur == t) {
		sim_task_preempt(t, sim_evq_now(&w->evq));
		sim_sched_enqueue(&w->sched, t, FALSE);
		w->cur = NULL;
	}
	return w->halt == SIM_RUN_DONE && !w->stopped;
}

guint sim_world_alarms(const SimWorld *w, guint *out)
{
	guint n = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->alarm_at != SIM_TIME_MAX && t->state != SIM_STATE_EXITED)
			out[n++] = i;
	}
	return n;
}

gboolean sim_world_fire_alarm(SimWorld *w, guint id)
{
	g_return_val_if_fail(id < w->n_tasks && w->cur == NULL, FALSE);
	SimTask *t = &w->tasks[id];
	g_return_val_if_fail(t->alarm_at != SIM_TIME_MAX && t->state != SIM_STATE_EXITED, FALSE);
	if (over_limits(w) || w->stopped)
		return FALSE;
	w->stepped = TRUE;
	t->alarm_gen++; /* the queued SIM_EV_ALARM is stale now */
	t->alarm_at = SIM_TIME_MAX;
	signal_alarm(w, t);
	return w->halt == SIM_RUN_DONE && !w->stopped;
}

SimRunStatus sim_world_step_end(SimWorld *w)
{
	if (w->setup_what)
		return w->status = SIM_RUN_MEMORY_LIMIT;
	return conclude(w); /* the status is DONE unless a rail set it (over_limits) */
}

/* ample.c — persistent sets of one step for the stateful walk: a task whose next step no
 * other task can ever interfere with is explored alone (explore.c, walk_all()).
 *
 * The stateful walk (explore.c) tries every task at each state. Where a task p's next step
 * α touches only objects that no other task can touch from here on, every order that puts
 * α later reaches the states and the ends of an order that takes it first. The set {α} is
 * then persistent (Godefroid's sense): on every path from here made of other tasks' steps,
 * each step is independent of α. This module answers "is {α} persistent?" from two things:
 *   - α's footprint (footprint.h), taken now, in this world;
 *   - for every other task that has not ended, what its remaining program could ever read
 *     and change: the object kinds of the calls its code can still reach from its program
 *     counter (the loops followed), and its end. That is a static over-approximation,
 *     kind by kind (a semop writes "semaphore sets", whichever set), computed once per
 *     program and counter.
 *
 * Why no outcome is lost (the rule's proof). An outcome is a function of an end state
 * (every task exited, or none can step: a deadlock): the per-process result lines are in
 * the state, and so are the objects. Let s be a state the walk expands with {α} only (α is
 * p's step), and d an end state reachable from s by a path π. (1) π contains a step of p:
 * α is enabled at s, and no step of π before p's first one can disable it, since
 * disabling α needs a write to α's task or to an object α reads, and the other tasks'
 * steps write only kinds their remaining programs hold, which α's footprint does not meet
 * (the check below), or pipes their tables hold, which are not α's ("Pipes, by object");
 * so at d, where nothing is enabled, p must have stepped, and its first step on π is α
 * itself (p's own steps are in program order, and nobody else changes what p's next step
 * is). (2) Write π = β1..βk α γ. Every βi is a step of another task on a path from s
 * without α, so its footprint is inside its task's remaining kinds and its table's pipes,
 * which do not conflict with α's: βi and α commute (footprint.h's contract: in either
 * order the same world, and neither enables nor disables the other). Moving α to the
 * front gives α β1..βk γ, a path of the same length from s to d. (3) So d is reachable
 * from s·α, one step closer to d. By induction on the distance to d (every state the walk
 * reaches is expanded once, with its persistent set, whether reached first or merged with
 * an earlier visit of the same digest), the walk reaches d from s. This is Valmari's
 * theorem that stubborn sets keep every deadlock, which holds with state caching and with
 * cycles; the cycle proviso (explore.c, proviso()) is kept on top of it, as SPIN does, so
 * that no step is postponed around a cycle for ever: where a step taken alone closes a
 * cycle on the depth-first stack, its state is expanded in full.
 *
 * The design choice to know: kinds, not objects. A task's future calls name their objects
 * through variables that hold ids only once the calls run, so the future is known by kind
 * alone; α's own footprint is exact. A task's own task and descriptor table are its own
 * (another task reaches them only by a kill, a wait, a fork or a thread, whose family
 * counts here as touching everything). One refinement makes the walk collapse after an
 * IPC_RMID: when no semaphore set is alive and no task can still make one, every semaphore
 * call left fails without changing anything, and counts as a read.
 *
 * Pipes, by object (the one exception to kinds). A descriptor call (pipe, read, write,
 * close, dup*, fcntl, ioctl, lseek, pread, pwrite, fstat, ftruncate, poll, select) reaches
 * the pipes behind its task's descriptors and that task's own table, nothing else. A table
 * (a process's, which its threads share) gains a description only by pipe (a new pipe,
 * which is not one alive at s: α's pipe P lives until α, its task holding it), by dup (one
 * it holds), or by a path's open, a received descriptor (the sockets' family) or a fork
 * (the forking task, and the child, whose end or start reaches its parent), which count as
 * everything. So a task q whose remaining calls are of those kinds, whose table holds
 * pipes only (no queue, no socket: their calls reach more) and that holds no descriptor of
 * P, nor waits on P in a blocked call, reaches P on no path from s before α: q's future
 * says "pipes, through its descriptors" (Other.pipes), and the pick compares α's pipes
 * with q's table (holds_pipe()), its end included (an end closes what the table holds).
 * Two things beside the pipes are shared: each user's pipe pages (fs/pipe.c's accounting,
 * which footprints leave out), read and changed by a new pipe, F_SETPIPE_SZ and a FIFO's
 * first open, and given back by a last close (two give-backs commute: a sum), so a step
 * that may take pages meets any task that may take or give back, and one that may give back
 * (any step but the descriptor calls that never close) meets any task that may take; and
 * SIGPIPE, which ends a writer whose pipe or socket has no reader left, so such a write is
 * counted with all its task's end does (a write on a pipe with a reader now cannot: nobody
 * else reaches that pipe before α). And a step on a path (mkfifo, open, unlink, stat) meets
 * every task with pipes: an unlink changes what a FIFO's fstat shows (its link count),
 * which the unlink's footprint, the path alone, does not say.
 *
 * What counts as everything: any family but the body's own (compute, sleep, print), the
 * semaphores', the message queues' get/snd/rcv/ctl, shared memory's and the descriptor
 * calls above; ipcs reads everything; a task's end touches everything unless it owns
 * nothing but descriptors of pipes (no other descriptors, no mailboxes, no children, no
 * task started after it, not forked, no handler body, not threaded), and then only its
 * pipes, its undo records' sets and, if it used shared memory, the segments.
 */
#include "explore/ample.h"

#include "msgsim/kernel/sem.h"

#include <string.h>

#define KBIT(k) (1u << (k))
#define EVERY ((1u << SIM_OBJ_N_KINDS) - 1u)

/* What the code reachable from one program counter may do. */
typedef struct Future {
	guint32 r, w;	   /* object kinds read, changed (TASK/FDT: another task's) */
	gboolean creates;  /* a semget that may make a set */
	gboolean undo;	   /* a semop with SEM_UNDO */
	gboolean shm;	   /* a shared memory call */
	gboolean semctl;   /* a semctl (its id may name a slot: not a dead id's call) */
	gboolean fds;	   /* a descriptor call: pipes through its own descriptors only */
	gboolean pages;	   /* a call that may charge pipe pages to its user (pipe, fcntl) */
	guint64 vars_set;  /* the variables an instruction sets (bit 63: one past 62) */
} Future;

struct SimAmple {
	const SimWorld *w;
	/* The statements whose records a label expectation reads: replicas share them, so a
	 * replica's step there writes what its twins' steps there write too. */
	const SimStmt **labels;
	guint n_labels;
	gboolean off; /* an assert expectation: asserts run in any task's settling */
	Future **futures; /* by program, by pc */
	gboolean *uses_shm; /* by program: any shared memory call anywhere */
	GPtrArray **semops; /* by program: its semop statements (const SimStmt *) */
	guint n_progs;
};

/* The calls on a task's descriptors that reach only the pipes behind them and its own
 * table: of those, the ones that may close a descriptor (and so drop a pipe's last
 * reference), and the ones that never do. */
typedef enum { NOT_ON_A_DESCRIPTOR, MAY_CLOSE_ONE, KEEPS_EVERY_DESCRIPTOR } DescriptorCall;

static DescriptorCall descriptor_call(SimStmtKind k)
{
	switch (k) {
	case SIM_STMT_CLOSE:
	case SIM_STMT_DUP2:
	case SIM_STMT_DUP3:
		return MAY_CLOSE_ONE;
	case SIM_STMT_READ:
	case SIM_STMT_WRITE:
	case SIM_STMT_IOCTL:
	case SIM_STMT_DUP:
	case SIM_STMT_LSEEK:
	case SIM_STMT_PREAD:
	case SIM_STMT_PWRITE:
	case SIM_STMT_FSTAT:
	case SIM_STMT_FTRUNCATE:
	case SIM_STMT_POLL:
	case SIM_STMT_SELECT:
		return KEEPS_EVERY_DESCRIPTOR;
	default:
		return NOT_ON_A_DESCRIPTOR;
	}
}

/* The kinds one call may read and change, as said in the header comment. */
static void stmt_kinds(const SimStmt *st, Future *f)
{
	SimCallFamily fam = sim_call_desc(st->kind)->family;
	const guint32 sem = KBIT(SIM_OBJ_SEM) | KBIT(SIM_OBJ_SEM_NS);
	const guint32 sysv = KBIT(SIM_OBJ_SYSVQ) | KBIT(SIM_OBJ_SYSV_NS);
	const guint32 shm = KBIT(SIM_OBJ_SHM) | KBIT(SIM_OBJ_SHM_NS);
	switch (st->kind) {
	case SIM_STMT_COMPUTE:
	case SIM_STMT_SLEEP:
	case SIM_STMT_PRINT: /* the output is no part of an outcome (outcome.c) */
		return;
	case SIM_STMT_SEMGET:
		f->r |= KBIT(SIM_OBJ_SEM_NS);
		if (st->sem.key.kind == SIM_KEY_PRIVATE || (st->sem.flags & SIM_IPC_CREAT)) {
			f->w |= KBIT(SIM_OBJ_SEM_NS);
			f->creates = TRUE;
		}
		return;
	case SIM_STMT_SEMOP:
	case SIM_STMT_SEMCTL:
		f->semctl = f->semctl || st->kind == SIM_STMT_SEMCTL;
		f->r |= sem;
		f->w |= sem;
		for (guint i = 0; st->kind == SIM_STMT_SEMOP && i < st->sem.nsops; i++)
			f->undo = f->undo || (st->sem.sops[i].flags & SIM_SEM_UNDO);
		return;
	case SIM_STMT_MSGGET:
	case SIM_STMT_MSGSND:
	case SIM_STMT_MSGRCV:
	case SIM_STMT_MSGCTL:
		f->r |= sysv;
		f->w |= sysv;
		return;
	case SIM_STMT_IPCS:
		f->r |= EVERY;
		return;
	/* The descriptor calls: they reach the pipes behind the task's own descriptors, and
	 * its own table (see "Pipes, by object" above); a new pipe charges its user's pages
	 * (fs/pipe.c's accounting), and so may F_SETPIPE_SZ. */
	case SIM_STMT_PIPE:
	case SIM_STMT_FCNTL:
		f->pages = TRUE;
		f->fds = TRUE;
		return;
	default:
		if (descriptor_call(st->kind) != NOT_ON_A_DESCRIPTOR) {
			f->fds = TRUE;
			return;
		}
		break;
	}
	if (fam == SIM_CALL_SHM) {
		f->r |= shm;
		f->w |= shm;
		f->shm = TRUE;
		return;
	}
	f->r |= EVERY;
	f->w |= EVERY;
}

guint sim_ample_successors(const SimProgram *p, guint k, guint out[2])
{
	const SimInsn *in = &p->code[k];
	switch (in->op) {
	case SIM_OP_END:
		return 0;
	case SIM_OP_JUMP:
		out[0] = in->jump;
		return 1;
	case SIM_OP_REPEAT:
	case SIM_OP_NEXT:
	case SIM_OP_BREAK:
	case SIM_OP_IF:
		out[0] = k + 1;
		out[1] = in->jump;
		return 2;
	default:
		out[0] = k + 1;
		return 1;
	}
}

/* For each pc, the union over the calls reachable from it (itself included). */
static Future *program_futures(const SimProgram *p, gboolean *uses_shm)
{
	guint n = p->n_code;
	Future *out = g_new0(Future, n + 1);
	Future *own = g_new0(Future, n + 1);
	for (guint k = 0; k < n; k++) {
		const SimStmt *st = p->code[k].stmt;
		if (st && st->var >= 0)
			own[k].vars_set = G_GUINT64_CONSTANT(1) << MIN(st->var, 63);
		if (p->code[k].op == SIM_OP_CALL && st) {
			stmt_kinds(st, &own[k]);
			*uses_shm = *uses_shm || own[k].shm;
		}
	}
	guint *stack = g_new(guint, n + 1);
	guint8 *seen = g_new(guint8, n + 1);
	for (guint from = 0; from < n; from++) {
		memset(seen, 0, n + 1);
		guint top = 0;
		stack[top++] = from;
		seen[from] = 1;
		while (top) {
			guint k = stack[--top];
			out[from].r |= own[k].r;
			out[from].w |= own[k].w;
			out[from].creates = out[from].creates || own[k].creates;
			out[from].undo = out[from].undo || own[k].undo;
			out[from].shm = out[from].shm || own[k].shm;
			out[from].semctl = out[from].semctl || own[k].semctl;
			out[from].fds = out[from].fds || own[k].fds;
			out[from].pages = out[from].pages || own[k].pages;
			out[from].vars_set |= own[k].vars_set;
			guint next[2];
			guint m = sim_ample_successors(p, k, next);
			for (guint i = 0; i < m; i++)
				if (next[i] < n && !seen[next[i]]) {
					seen[next[i]] = 1;
					stack[top++] = next[i];
				}
		}
	}
	g_free(stack);
	g_free(seen);
	g_free(own);
	return out;
}

SimAmple *sim_ample_new(const SimWorld *w)
{
	SimAmple *a = g_new0(SimAmple, 1);
	a->w = w;
	a->n_progs = w->scn->n_bodies; /* one program per body (world_int.h) */
	a->labels = g_new0(const SimStmt *, w->scn->n_expects + 1);
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		if (e->kind == SIM_EXPECT_LABEL)
			a->labels[a->n_labels++] = e->stmt;
		a->off = a->off || e->kind == SIM_EXPECT_ASSERT;
	}
	a->futures = g_new0(Future *, a->n_progs + 1);
	a->uses_shm = g_new0(gboolean, a->n_progs + 1);
	a->semops = g_new0(GPtrArray *, a->n_progs + 1);
	for (guint i = 0; i < a->n_progs; i++) {
		const SimProgram *p = &w->progs[i];
		a->futures[i] = program_futures(p, &a->uses_shm[i]);
		a->semops[i] = g_ptr_array_new();
		for (guint k = 0; k < p->n_code; k++)
			if (p->code[k].op == SIM_OP_CALL && p->code[k].stmt &&
			    p->code[k].stmt->kind == SIM_STMT_SEMOP)
				g_ptr_array_add(a->semops[i], (gpointer)(guintptr)p->code[k].stmt);
	}
	return a;
}

void sim_ample_free(SimAmple *a)
{
	if (!a)
		return;
	for (guint i = 0; i < a->n_progs; i++) {
		g_free(a->futures[i]);
		g_ptr_array_unref(a->semops[i]);
	}
	g_free(a->semops);
	g_free(a->futures);
	g_free(a->uses_shm);
	g_free(a->labels);
	g_free(a);
}

/* The program index of t, or -1 when it runs something this module did not summarise. */
static int prog_of(const SimAmple *a, const SimWorld *w, const SimTask *t)
{
	if (t->prog < w->progs || t->prog >= w->progs + a->n_progs)
		return -1;
	return (int)(t->prog - w->progs);
}

/* Whether semop st of t names no set: its variable holds no id (a semget that failed),
 * written plainly. Such a semop fails with EINVAL before it looks at anything (semop_checks
 * in call_sem.c), whatever the world holds: it reads and changes nothing but its task. */
static gboolean dead_semop(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return st->kind == SIM_STMT_SEMOP && st->ep.kind == SIM_EP_IDVAR && !st->dyn &&
	       sim_interp_queue_id(w, t, st) < 0;
}

/* Whether every semaphore call t can still make is a dead semop that stays dead: no
 * semctl ahead, and nothing ahead sets the variables they name (a semget -> s would). */
static gboolean dead_sems(const SimAmple *a, const SimWorld *w, const SimTask *t, int pi,
			  const Future *f)
{
	if (f->semctl)
		return FALSE;
	const GPtrArray *ops = a->semops[pi];
	for (guint i = 0; i < ops->len; i++) {
		const SimStmt *st = g_ptr_array_index(ops, i);
		if (!dead_semop(w, t, st) || st->ep.index >= 63 ||
		    (f->vars_set & (G_GUINT64_CONSTANT(1) << st->ep.index)))
			return FALSE;
	}
	return TRUE;
}

/* Whether t's end touches more than its own task, the pipes behind its descriptors, its
 * undo records' sets and segments. A descriptor of a queue or a socket counts as more. */
static gboolean end_reaches_others(const SimWorld *w, const SimTask *t)
{
	if (t->first_owned >= 0 || t->first_after >= 0 || t->first_child >= 0 ||
	    t->proc->start == SIM_START_FORK || t->sigb || w->tasks[t->group].threaded ||
	    t->group != (int)t->id)
		return TRUE;
	for (guint fd = 0; fd < t->fdt.n; fd++)
		if (t->fdt.fds[fd] && t->fdt.fds[fd]->kind != SIM_FILE_PIPE)
			return TRUE;
	return FALSE;
}

/* What another task may still do, as the pick compares it with a step. */
typedef struct Other {
	guint32 r, w;	/* the kinds it may read and change (TASK/FDT: another task's) */
	gboolean pipes; /* it reaches the pipes its own descriptors hold (holds_pipe()) */
	gboolean pages; /* it may charge pipe pages to a user (a new pipe, F_SETPIPE_SZ) */
} Other;

/* The kinds task t may still read and change, its end included, and its pipes. live:
 * whether a semaphore set may exist from here on (see the header comment). */
static void task_future(const SimAmple *a, const SimWorld *w, const SimTask *t, gboolean live,
			Other *o)
{
	int pi = prog_of(a, w, t);
	o->pipes = o->pages = TRUE;
	if (pi < 0 || t->pc > t->prog->n_code || end_reaches_others(w, t)) {
		o->r = o->w = EVERY;
		return;
	}
	const Future *f = &a->futures[pi][t->pc];
	o->r = f->r;
	o->w = f->w;
	o->pages = f->pages;
	o->pipes = f->fds || t->wait_pipe || t->io_file; /* its end closes what it holds: */
	for (guint fd = 0; fd < t->fdt.n && !o->pipes; fd++)
		o->pipes = t->fdt.fds[fd] != NULL;
	if (!live)
		o->w &= ~(KBIT(SIM_OBJ_SEM) | KBIT(SIM_OBJ_SEM_NS));
	/* Semops on a dead id touch nothing; a semget ahead still reads the namespace. */
	if (!f->creates && (f->w & KBIT(SIM_OBJ_SEM)) && dead_sems(a, w, t, pi, f)) {
		o->w &= ~(KBIT(SIM_OBJ_SEM) | KBIT(SIM_OBJ_SEM_NS));
		o->r &= ~KBIT(SIM_OBJ_SEM);
	}
	/* Its end: the undo records go back into their sets, attachments are dropped. */
	if (t->sem_undo || (live && f->undo))
		o->w |= KBIT(SIM_OBJ_SEM);
	if (a->uses_shm[pi])
		o->w |= KBIT(SIM_OBJ_SHM);
	o->r |= o->w;
}

/* Whether task t (another task than the stepper, whose future task_future() found to
 * reach pipes only through its descriptors) may reach pipe id: a descriptor of its table
 * (its process's) refers to it, or its blocked call holds it. Anything but a pipe behind a
 * descriptor counts as reaching every pipe. */
static gboolean holds_pipe(const SimTask *t, guint64 id)
{
	if (id == SIM_OBJ_ALL || (t->wait_pipe && (guint64)(guintptr)t->wait_pipe == id))
		return TRUE;
	if (t->io_file &&
	    (t->io_file->kind != SIM_FILE_PIPE || (guint64)(guintptr)t->io_file->pipe == id))
		return TRUE;
	const SimFdTable *fdt = sim_fdt_cof(&t->fdt);
	for (guint fd = 0; fd < fdt->n; fd++) {
		const SimFile *f = fdt->fds[fd];
		if (f && (f->kind != SIM_FILE_PIPE || (guint64)(guintptr)f->pipe == id))
			return TRUE;
	}
	return FALSE;
}

/* Whether a semaphore set is alive or some task can still make one. */
static gboolean sem_live(const SimAmple *a, const SimWorld *w)
{
	for (guint i = 0; i < w->semns.all->len; i++)
		if (!((const SimSemArray *)g_ptr_array_index(w->semns.all, i))->removed)
			return TRUE;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->state == SIM_STATE_EXITED)
			continue;
		int pi = prog_of(a, w, t);
		if (pi < 0 || t->pc > t->prog->n_code || a->futures[pi][t->pc].creates || t->sigb)
			return TRUE;
	}
	return FALSE;
}

/* Whether st's record is read by a label and another task runs st's body too. */
static gboolean shared_label(const SimAmple *a, const SimWorld *w, guint p, const SimStmt *st)
{
	gboolean read = FALSE;
	for (guint i = 0; st && i < a->n_labels; i++)
		read = read || a->labels[i] == st;
	if (!read)
		return FALSE;
	for (guint i = 0; i < w->n_tasks; i++)
		if (i != p && w->tasks[i].state != SIM_STATE_EXITED &&
		    w->tasks[i].prog == w->tasks[p].prog)
			return TRUE;
	return FALSE;
}

/* The kinds p's step (footprint fp) reads (*r) and changes (*wr); FALSE when it may touch
 * another task or everything. A task is read by each of its own steps (a signal can end
 * or interrupt any of them), so a step that reads or changes another task (a kill, a
 * wait, an end that starts or wakes someone) is never alone. p's own task and table count
 * as the task kind, which only a future holding "everything" (a kill) meets. */
static gboolean step_kinds(const SimWorld *w, guint p, const SimFootprint *fp, guint32 *r,
			   guint32 *wr)
{
	*r = *wr = 0;
	if (fp->everything)
		return FALSE;
	const SimTask *t = &w->tasks[p];
	for (guint i = 0; i < fp->n; i++) {
		const SimObjRef *ref = &fp->refs[i];
		if (ref->kind == SIM_OBJ_OUTPUT)
			continue;
		if (ref->kind == SIM_OBJ_TASK && ref->id != p)
			return FALSE;
		if (ref->kind == SIM_OBJ_FDT &&
		    (ref->id != (guint64)t->group || w->tasks[t->group].threaded))
			return FALSE;
		*r |= KBIT(ref->kind);
		if ((fp->written >> i) & 1u)
			*wr |= KBIT(ref->kind);
	}
	return TRUE;
}

/* Whether p's step st may end p by SIGPIPE: a write on a pipe or a socket with no reader
 * left sends it to the writer, which by default dies of it there (call_file.c, call_sock.c).
 * A write on a pipe that has a reader now does not: no other task reaches that pipe before
 * the step when the step is taken alone. */
static gboolean may_die_of_sigpipe(const SimTask *t, const SimStmt *st)
{
	if (!st || t->sigact[SIGPIPE] != SIM_SIG_DEFAULT)
		return FALSE;
	if (st->kind == SIM_STMT_WRITE) {
		const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
		return !f || f->kind != SIM_FILE_PIPE || f->pipe->readers == 0;
	}
	return sim_call_desc(st->kind)->family == SIM_CALL_SOCK;
}

/* Whether p's step st may drop the last reference to a pipe (its pages go back to its
 * user): anything but the descriptor calls that never close one. */
static gboolean may_free_pipe(const SimStmt *st, gboolean dies)
{
	if (!st || dies)
		return TRUE;
	switch (descriptor_call(st->kind)) {
	case KEEPS_EVERY_DESCRIPTOR:
		return FALSE;
	case MAY_CLOSE_ONE:
	case NOT_ON_A_DESCRIPTOR:
	default:
		return TRUE;
	}
}

/* Whether p's step (st, footprint fp) meets what another task o (task q) may still do. */
static gboolean meets(const SimTask *q, const Other *o, const SimStmt *st, gboolean frees,
		      const SimFootprint *fp, guint32 r, guint32 wr)
{
	if ((wr & (o->r | o->w)) || (r & o->w))
		return TRUE;
	if (!o->pipes && !o->pages)
		return FALSE; /* the pipe kind is not in o's kinds: no pipe of the step's is its */
	/* The pipe pages each user holds: taking pages reads the total, giving back changes
	 * it, and two give-backs commute. */
	gboolean takes = st && (st->kind == SIM_STMT_PIPE || st->kind == SIM_STMT_FCNTL ||
				st->kind == SIM_STMT_OPEN);
	if ((takes && (o->pages || o->pipes)) || (o->pages && frees))
		return TRUE;
	/* A path's call meets any task with pipes: a FIFO's fstat shows whether its name is
	 * still linked, which an unlink changes and its footprint (the path alone) leaves out. */
	for (guint i = 0; o->pipes && i < fp->n; i++)
		if ((fp->refs[i].kind == SIM_OBJ_PIPE && holds_pipe(q, fp->refs[i].id)) ||
		    fp->refs[i].kind == SIM_OBJ_PATH)
			return TRUE;
	return FALSE;
}

int sim_ample_pick(SimAmple *a, SimWorld *w, guint64 mask)
{
	Other others[SIM_EXPLORE_MAX_TASKS];
	gboolean known = FALSE, live = TRUE;
	if (w->n_tasks > SIM_EXPLORE_MAX_TASKS || a->off)
		return -1;
	for (guint64 m = mask; m; m &= m - 1) {
		guint p = (guint)__builtin_ctzll(m);
		const SimTask *t = &w->tasks[p];
		if (t->resuming || t->sigb)
			continue; /* a woken call's finish: resuming() in explore.c decides those */
		const SimStmt *st = sim_world_next_stmt(w, p);
		if (shared_label(a, w, p, st))
			continue;
		SimFootprint fp;
		sim_footprint_init(&fp);
		if (st && dead_semop(w, t, st))
			sim_footprint_add(&fp, SIM_OBJ_TASK, p, FALSE); /* see dead_semop() */
		else if (st)
			sim_call_footprint(w, t, st, &fp);
		else
			sim_call_footprint_end(w, t, &fp);
		/* A step that may die of SIGPIPE does all that p's end does too. */
		gboolean dies = may_die_of_sigpipe(t, st);
		if (dies) {
			SimFootprint end;
			sim_footprint_init(&end);
			sim_call_footprint_end(w, t, &end);
			fp.everything = fp.everything || end.everything;
			for (guint i = 0; i < end.n; i++)
				sim_footprint_add(&fp, end.refs[i].kind, end.refs[i].id, TRUE);
		}
		guint32 r, wr;
		if (!step_kinds(w, p, &fp, &r, &wr))
			continue;
		if (!known) { /* the others' futures, once per state, and only when needed */
			live = sem_live(a, w);
			for (guint i = 0; i < w->n_tasks; i++)
				if (w->tasks[i].state != SIM_STATE_EXITED)
					task_future(a, w, &w->tasks[i], live, &others[i]);
			known = TRUE;
		}
		gboolean alone = TRUE;
		for (guint i = 0; i < w->n_tasks && alone; i++) {
			if (i == p || w->tasks[i].state == SIM_STATE_EXITED)
				continue;
			alone = !meets(&w->tasks[i], &others[i], st, may_free_pipe(st, dies), &fp,
				       r, wr);
		}
		if (alone)
			return (int)p;
	}
	return -1;
}

/* footprint.c — what a guest's next step reads and changes, for the search's reduction.
 *
 * A guest's SysV call is the statement a scenario would have written for it (events.c's
 * sim_exec_sysv_stmt), and its footprint is that statement's row's (calls/call.h), so that
 * a guest's msgsnd and a scenario's commute with the same calls. The rows resolve a queue
 * through a world: what they read of it is the IPC namespace (is the id a live queue?) and
 * the id of a declared queue; the run's own world serves, with the one id the call names
 * standing for the declared queue while the row reads it. The calls no row describes get
 * a footprint here, in the same vocabulary: a wait reads every task (the children it may
 * collect), an exit changes its own task and its parent's (the status, SIGCHLD) and, as it
 * closes its descriptors, the POSIX queues once any was opened; a POSIX queue call touches
 * the queue its descriptor names (found through the supervisor's placeholders, posix.c) or
 * the name it opens or unlinks, and a close of a queue's descriptor, served out of turn,
 * joins the step it is taken in (search.c); an open of a file the model shows reads every
 * queue; a read of the terminal takes from the run's one input. A call this file does not
 * know (the signal calls, a socket) conflicts with everything: the reduction only leaves
 * out orders it knows to be alike.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

#include "engine/world_int.h"
#include "exec/exec_int.h"
#include "msgsim/calls/call.h"
#include "msgsim/lang/scn.h"

/* The SysV call's row's footprint, through the run's world (see above). */
static void sysv_footprint(const SimExec *x, const SimGuest *g, SimFootprint *fp)
{
	SimStmt st;
	memset(&st, 0, sizeof st);
	sim_exec_sysv_stmt(g, &st);
	int id = g->notif.data.nr == __NR_msgget ? -1 : (int)g->notif.data.args[0];
	st.ep.kind = SIM_EP_SYSVQ;
	st.ep.index = 0;
	int *declared = x->w->sysvq_ids; /* a world without a scenario declares none */
	x->w->sysvq_ids = &id;
	sim_call_footprint(x->w, g->task, &st, fp);
	x->w->sysvq_ids = declared;
}

guint64 sim_exec_mq_obj(const SimMqueue *q)
{
	return g_str_hash(q->name);
}

/* mq_open and mq_unlink: the name. An open of a queue that is there reads the name and
 * adds a description to that queue; one that creates it, and an unlink, change the name
 * and the names' table with its charges (queues_max, RLIMIT_MSGQUEUE), which every other
 * creation reads: two creations conflict even on different names, either may be the one
 * refused, while opens of queues that are there commute with any call on another queue. A
 * name that cannot be read fails in the guest's own memory. */
static void mq_name_footprint(const SimExec *x, const SimGuest *g, SimFootprint *fp)
{
	const __u64 *a = g->notif.data.args;
	g_autofree char *name = NULL;
	if (sim_exec_mq_name(g, a[0], &name) != 0)
		return;
	const SimMqueue *q =
		x->w->ipcns.mq_names ? g_hash_table_lookup(x->w->ipcns.mq_names, name) : NULL;
	gboolean open = g->notif.data.nr == __NR_mq_open;
	gboolean creates = open && !q && ((int)a[1] & O_CREAT);
	guint64 id = q ? sim_exec_mq_obj(q) : g_str_hash(name);
	sim_footprint_add(fp, SIM_OBJ_MQ, id, q || creates);
	if (creates || (!open && q))
		sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
	if (open)
		sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)g->idx, TRUE);
}

/* mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr: the queue the descriptor names,
 * read through the run's descriptions (posix.c); mq_getattr only reads it. A message that
 * reaches an empty queue with a registration signals the registered guest. A descriptor
 * that names no queue fails with EBADF in the guest alone. */
static void mq_fd_footprint(const SimExec *x, const SimGuest *g, SimFootprint *fp)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	const SimMqueue *q = sim_exec_mq_of_fd(x, g, (gint64)a[0]);
	if (!q)
		return;
	sim_footprint_add(fp, SIM_OBJ_MQ, sim_exec_mq_obj(q),
			  nr != __NR_mq_getsetattr || a[1] != 0);
	if (nr == __NR_mq_timedsend && q->notify_task >= 0)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)q->notify_task, TRUE);
}

static void all_queues(SimFootprint *fp, gboolean write)
{
	sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, write);
	sim_footprint_add(fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, write);
	sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, write);
	sim_footprint_add(fp, SIM_OBJ_MQ, SIM_OBJ_ALL, write);
}

void sim_exec_footprint_exit(const SimExec *x, const SimGuest *g, SimFootprint *fp)
{
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)g->idx, TRUE);
	if (g->parent >= 0)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)sim_exec_guest(x, g->parent)->idx, TRUE);
	if (!x->w->mqueues)
		return;
	/* A POSIX queue was opened: the exit closes what it holds. A description's last
	 * copy going frees an unlinked queue, with what the names' table charged for it;
	 * while no queue is unlinked it changes nothing another call sees (an unlink that
	 * comes before or after it frees the queue alike, at once or at the last close). A
	 * registration the guest held ends (a guest that already exited ended it inside its
	 * step: sim_exec_choice_mq); a call it waited in leaves its queue's wait list. */
	for (guint i = 0; i < x->w->mqueues->len; i++) {
		const SimMqueue *q = x->w->mqueues->pdata[i];
		if (q->unlinked && !q->freed)
			sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
		if (q->notify_task == g->idx)
			sim_footprint_add(fp, SIM_OBJ_MQ, sim_exec_mq_obj(q), TRUE);
	}
	const SimMqueue *w = sim_exec_mq_waited(g);
	if (w)
		sim_footprint_add(fp, SIM_OBJ_MQ, sim_exec_mq_obj(w), TRUE);
}

void sim_exec_footprint(const SimExec *x, const SimGuest *g, SimFootprint *fp)
{
	int nr = g->notif.data.nr;
	sim_footprint_init(fp);
	if (sim_exec_is_sysv(nr)) {
		sysv_footprint(x, g, fp);
	} else if (nr == __NR_wait4 || nr == __NR_waitid) {
		sim_footprint_add(fp, SIM_OBJ_TASK, SIM_OBJ_ALL, FALSE);
	} else if (nr == __NR_mq_open || nr == __NR_mq_unlink) {
		mq_name_footprint(x, g, fp);
	} else if (sim_exec_is_mq(nr)) {
		mq_fd_footprint(x, g, fp);
	} else if (nr == __NR_close || nr == __NR_dup2 || nr == __NR_dup3) {
		/* Served as they come (posix.c), never at a choice point; kept whole. */
		sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)g->idx, TRUE);
		sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
		sim_footprint_add(fp, SIM_OBJ_MQ, SIM_OBJ_ALL, TRUE);
	} else if (nr == __NR_exit_group) {
		sim_exec_footprint_exit(x, g, fp);
	} else if (sim_exec_is_read(nr)) { /* the terminal's (tty.c): the next line is taken */
		sim_footprint_add(fp, SIM_OBJ_TASK, SIM_EXEC_OBJ_INPUT, TRUE);
	} else if (nr == __NR_open || nr == __NR_openat) {
		all_queues(fp, FALSE); /* the model's files: the local ones never come here */
	} else {
		fp->everything = TRUE;
	}
	/* Every step reads its own task, so that what changes it (an exit of a child it
	 * waits for, a signal) is dependent with it. */
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)g->idx, FALSE);
}

void sim_exec_footprint_local(const SimGuest *g, SimFootprint *fp)
{
	switch (g->notif.data.nr) {
	case __NR_clone:
	case __NR_clone3:
	case __NR_fork:
	case __NR_vfork:
		/* The child's pid is the next one of the namespace: two forks' order shows. */
		sim_footprint_add(fp, SIM_OBJ_TASK, SIM_EXEC_OBJ_PIDS, TRUE);
		break;
	case __NR_getrandom: /* the run's one stream, drawn in turn */
		sim_footprint_add(fp, SIM_OBJ_TASK, SIM_EXEC_OBJ_RANDOM, TRUE);
		break;
	case __NR_nanosleep:
	case __NR_clock_nanosleep:
		fp->everything = TRUE; /* virtual time: see sim_exec_footprint_timed */
		break;
	default:
		break;
	}
}

gboolean sim_exec_footprint_timed(const SimExec *x)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		if (g->task->state == SIM_STATE_SLEEPING || g->alarm_at ||
		    (g->task->state == SIM_STATE_BLOCKED && g->call.timed))
			return TRUE;
	}
	return FALSE;
}

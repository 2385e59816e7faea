/* test_exec_world.c — the guests' world: a world without a scenario takes external tasks
 * as they come, the engine's dispatch serves one through its server, and a guest blocked
 * in the model waits on the world's queue, off its ready queue.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "tests.h"

/* ---- The engine: a world of external tasks ---- */

/* What a task's server saw when the dispatch called it. */
typedef struct Served {
	SimWorld *w;
	guint calls;
	int id;
	SimTaskState state;
	guint64 steps;
	SimTime now;
} Served;

static void serve(void *data, SimTask *t)
{
	Served *s = data;
	s->calls++;
	s->id = t->id;
	s->state = t->state;
	s->steps = sim_world_steps(s->w);
	s->now = sim_world_now(s->w);
}

static guint fixed_choice(void *data, guint n)
{
	(void)n;
	return *(const guint *)data;
}

static void test_a_world_without_a_scenario_takes_external_tasks(void)
{
	SimLimits l;
	sim_limits_init(&l);
	l.msgmax = 100;
	SimWorldOptions opt = { .seed = 1, .seed_set = TRUE };
	SimWorld *w = sim_world_new_external(&opt, &l, 2);
	CU_ASSERT_EQUAL(sim_world_n_tasks(w), 0);
	Served sv = { .w = w };
	SimTaskExternal ext = { serve, &sv };
	SimTask *a = sim_world_add_external(w, "a", &ext);
	SimTask *b = sim_world_add_external(w, "b", &ext);
	CU_ASSERT_PTR_NULL(sim_world_add_external(w, "c", &ext)); /* room for two */
	CU_ASSERT_EQUAL(sim_world_n_tasks(w), 2);
	CU_ASSERT_PTR_EQUAL(sim_world_task(w, 0), a);
	CU_ASSERT_PTR_EQUAL(sim_world_task(w, 1), b);
	CU_ASSERT_EQUAL(b->id, 1);
	CU_ASSERT_EQUAL(a->kind, SIM_TASK_EXTERNAL);
	CU_ASSERT_EQUAL(a->state, SIM_STATE_NEW);
	CU_ASSERT_PTR_EQUAL(a->ext, &ext);
	CU_ASSERT_STRING_EQUAL(b->name, "b");
	/* The IPC namespace is the world's, with the limits given. */
	CU_ASSERT_EQUAL(w->ipcns.limits.msgmax, 100);
	CU_ASSERT_EQUAL(w->msgqs->len, 0);
	CU_ASSERT_EQUAL(sv.calls, 0);
	sim_world_free(w);
}

static void test_the_dispatch_serves_an_external_task_through_its_server(void)
{
	guint want = 0;
	SimWorldOptions opt = {
		.seed = 1, .seed_set = TRUE, .choose = fixed_choice, .choose_data = &want
	};
	SimWorld *w = sim_world_new_external(&opt, NULL, 3);
	Served sv = { .w = w };
	SimTaskExternal ext = { serve, &sv };
	for (int i = 0; i < 3; i++)
		sim_world_add_external(w, "t", &ext);
	CU_ASSERT_PTR_NULL(sim_world_dispatch_external(w)); /* nothing ready */
	static const guint order[] = { 2, 0, 1 };	    /* queued out of task order */
	for (guint i = 0; i < 3; i++) {
		SimTask *t = sim_world_task(w, order[i]);
		sim_task_make_ready(t, sim_world_now(w));
		sim_sched_enqueue(&w->sched, t, FALSE);
	}
	/* The choice counts the ready tasks by id: 0 is task 0, though it was queued second. */
	CU_ASSERT_PTR_EQUAL(sim_world_dispatch_external(w), sim_world_task(w, 0));
	CU_ASSERT_EQUAL(sv.calls, 1);
	CU_ASSERT_EQUAL(sv.id, 0);
	CU_ASSERT_EQUAL(sv.state, SIM_STATE_RUNNING); /* served while it runs */
	CU_ASSERT_EQUAL(sv.steps, 1);		      /* counted, and the clock moved, first */
	CU_ASSERT_EQUAL(sv.now, SIM_US);
	want = 1; /* of tasks 1 and 2: the second */
	CU_ASSERT_PTR_EQUAL(sim_world_dispatch_external(w), sim_world_task(w, 2));
	CU_ASSERT_EQUAL(sv.id, 2);
	want = 5; /* the chooser declines: nothing runs, nothing leaves the queue */
	CU_ASSERT_PTR_NULL(sim_world_dispatch_external(w));
	CU_ASSERT_EQUAL(sv.calls, 2);
	CU_ASSERT_EQUAL(sim_sched_len(&w->sched), 1);
	want = 0;
	CU_ASSERT_PTR_EQUAL(sim_world_dispatch_external(w), sim_world_task(w, 1));
	CU_ASSERT_EQUAL(sim_world_steps(w), 3);
	CU_ASSERT_EQUAL(sim_world_now(w), 3 * SIM_US);
	CU_ASSERT_TRUE(sim_sched_check(&w->sched));
	/* A sleep to the end of time: the clock stays at the largest time but one. */
	sim_world_clock_to(w, SIM_TIME_MAX - 1);
	SimTask *t = sim_world_task(w, 0);
	sim_task_preempt(t, sim_world_now(w));
	sim_sched_enqueue(&w->sched, t, FALSE);
	CU_ASSERT_PTR_EQUAL(sim_world_dispatch_external(w), t);
	CU_ASSERT_EQUAL(sim_world_now(w), SIM_TIME_MAX - 1);
	sim_world_free(w);
}

/* ---- exec: the guests are the world's tasks ---- */

/* g stops at nr(args) and the world's dispatch serves it (g is the only one ready). */
static SimTask *dispatch_call(SimExec *x, SimGuest *g, int nr, guint64 a0, guint64 a1, guint64 a2)
{
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = nr;
	g->notif.data.args[0] = a0;
	g->notif.data.args[1] = a1;
	g->notif.data.args[2] = a2;
	sim_exec_task_park(x, g);
	x->last_err = -1;
	return sim_world_dispatch_external(x->w);
}

static void test_exec_a_blocked_guest_waits_on_the_worlds_queue(void)
{
	static SimExecOptions quiet = { .quiet = TRUE };
	static SimExec x;
	sim_exec_model_init(&x, &quiet, stdout);
	SimGuest *g = sim_exec_guest_add(&x);
	g->pid = getpid();
	g->nspid = 2;
	g->name = g_strdup("2 self");
	sim_exec_task_init(&x, g, NULL);
	CU_ASSERT_PTR_EQUAL(g->task, sim_world_task(x.w, 0)); /* the world's table is the guests' */
	CU_ASSERT_PTR_EQUAL(sim_exec_guest(&x, 0), g);
	CU_ASSERT_EQUAL(sim_exec_n(&x), 1);
	CU_ASSERT_PTR_EQUAL(dispatch_call(&x, g, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0),
			    g->task);
	CU_ASSERT_EQUAL(x.last_err, 0);
	CU_ASSERT_EQUAL(x.w->msgqs->len, 1); /* the queue is the world's */
	SimMsgq *q = x.w->msgqs->pdata[0];
	struct {
		long mtype;
		char mtext[16];
	} buf;
	CU_ASSERT_PTR_EQUAL(dispatch_call(&x, g, __NR_msgrcv, (guint64)x.last_val,
					  (guint64)(uintptr_t)&buf, sizeof buf.mtext),
			    g->task);
	CU_ASSERT_EQUAL(x.last_err, -1); /* not answered: it waits in the model */
	CU_ASSERT_EQUAL(g->task->state, SIM_STATE_BLOCKED);
	CU_ASSERT_PTR_EQUAL(g->task->waiter.queue, &q->receivers);
	CU_ASSERT_EQUAL(sim_sched_len(&x.w->sched), 0);
	CU_ASSERT_EQUAL(sim_world_steps(x.w), 2);
	CU_ASSERT_EQUAL(sim_world_now(x.w), 2 * SIM_US);
	sim_exec_model_clear(&x);
}

CU_TestInfo exec_world_tests[] = {
	{ "a world without a scenario takes external tasks",
	  test_a_world_without_a_scenario_takes_external_tasks },
	{ "the dispatch serves an external task through its server",
	  test_the_dispatch_serves_an_external_task_through_its_server },
	{ "a blocked guest waits on the world's queue",
	  test_exec_a_blocked_guest_waits_on_the_worlds_queue },
	CU_TEST_INFO_NULL,
};

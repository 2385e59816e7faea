/* test_exec_world.c — the guests' world: a world without a scenario takes external tasks
 * as they come, the engine's dispatch serves one through its server, and a guest blocked
 * in the model waits on the world's queue, off its ready queue.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- exec: the guests' timers on the world's event queue (timers.c) ---- */

#define N_TIMED 48

/* A run of n guests, all started (RUNNING), its trace written to a memory stream. */
static SimExec *timed_run(FILE *out, guint n)
{
	static SimExecOptions opt = { .seed = 1 };
	static SimExec x;
	sim_exec_model_init(&x, &opt, out);
	for (guint i = 0; i < n; i++) {
		SimGuest *g = sim_exec_guest_add(&x);
		g->pid = getpid();
		g->nspid = (int)i;
		g->name = g_strdup_printf("%u", i);
		g->listener = g->pidfd = g->errpipe = -1;
		sim_exec_task_init(&x, g, NULL);
		sim_exec_task_run(&x, g);
	}
	return &x;
}

/* Guest i's time: four distinct times among 48 guests, so a dozen share each. */
static SimTime timed_at(guint i)
{
	return SIM_MS * (1 + (i * 7) % 4);
}

/* Sleeps and timed waits due at one time end in guest order, whatever order they began
 * in; the clock jumps from one time to the next; a sleep a signal ended before its time
 * (a moot event) wakes nobody; an alarm is left to the step that follows. */
static void test_exec_timers_wake_in_guest_order_at_equal_times(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	SimExec *x = timed_run(out, N_TIMED);
	for (guint k = 0; k < N_TIMED; k++) {
		guint i = (k * 29) % N_TIMED; /* begun out of guest order */
		SimGuest *g = sim_exec_guest(x, i);
		g->wake_at = timed_at(i);
		if (i % 3 == 2) { /* a timed wait (sigtimedwait's, mq_timedreceive's) */
			sim_exec_task_block(x, g, "sigtimedwait");
			g->call.timed = TRUE;
		} else {
			sim_exec_task_sleep(x, g);
		}
		sim_exec_timer_start(x, g);
	}
	SimGuest *early = sim_exec_guest(x, 4); /* woken before its time: moot */
	sim_exec_task_wake(x, early);
	SimGuest *al = sim_exec_guest(x, 5);
	SimGuest *forever = sim_exec_guest(x, 6); /* the end of time never comes */
	sim_exec_task_wake(x, forever);
	sim_exec_task_run(x, forever);
	forever->wake_at = G_MAXINT64;
	sim_exec_task_sleep(x, forever);
	sim_exec_timer_start(x, forever);
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), SIM_MS);
	/* An alarm at 2.5 ms: the clock stops there, but the alarm is not the sleepers'. */
	al->alarm_at = 2 * SIM_MS + SIM_MS / 2;
	sim_exec_alarm_set(x, al);
	SimGuest *due[SIM_EXEC_MAX_GUESTS];
	guint rounds = 0, alarms = 0;
	while (sim_exec_timers_fire(x) && rounds < 10) {
		rounds++;
		guint n = sim_exec_alarms_due(x, due); /* the settle after it */
		if (n == 1 && due[0] == al && sim_world_now(x->w) == al->alarm_at)
			alarms++;
	}
	CU_ASSERT_EQUAL(rounds, 5); /* four times and the alarm's */
	CU_ASSERT_EQUAL(alarms, 1);
	CU_ASSERT_EQUAL(sim_world_now(x->w), 4 * SIM_MS);
	CU_ASSERT_EQUAL(forever->task->state, SIM_STATE_SLEEPING);
	fflush(out);
	/* The lines expected: by time, then by guest; none for guest 4 (woken), 6 (never). */
	g_autoptr(GString) want = g_string_new(NULL);
	for (SimTime t = SIM_MS; t <= 4 * SIM_MS; t += SIM_MS)
		for (guint i = 0; i < N_TIMED; i++)
			if (timed_at(i) == t && i != 4 && i != 6)
				g_string_append_printf(want, "[%u] %s at 0.00%d000 s (virtual)\n",
						       i, i % 3 == 2 ? "times out" : "wakes",
						       (int)(t / SIM_MS));
	CU_ASSERT_STRING_EQUAL(buf, want->str);
	for (guint i = 0; i < N_TIMED; i++)
		if (i != 6)
			CU_ASSERT_TRUE(sim_exec_woken(sim_exec_guest(x, i)));
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), G_MAXINT64);
	sim_exec_model_clear(x);
	fclose(out);
	free(buf);
}

/* Alarms due at one time come in guest order, whatever order they were set in; one
 * replaced or cancelled does not come at its old time; an exited guest's never comes; and
 * re-arming one alarm a thousand times leaves the queue small (the moot events go). */
static void test_exec_alarms_come_in_guest_order_and_moot_ones_go(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	SimExec *x = timed_run(out, N_TIMED);
	for (guint k = 0; k < N_TIMED; k++) {
		guint i = (k * 29) % N_TIMED;
		SimGuest *g = sim_exec_guest(x, i);
		g->alarm_at = timed_at(i);
		sim_exec_alarm_set(x, g);
	}
	SimGuest *moved = sim_exec_guest(x, 0), *off = sim_exec_guest(x, 1);
	SimGuest *gone = sim_exec_guest(x, 2);
	moved->alarm_at = 10 * SIM_MS; /* replaced: from 1 ms to 10 ms */
	sim_exec_alarm_set(x, moved);
	off->alarm_at = 0; /* cancelled */
	sim_exec_alarm_set(x, off);
	sim_exec_task_gone(x, gone); /* exited (status 0) */
	SimGuest *due[SIM_EXEC_MAX_GUESTS];
	CU_ASSERT_EQUAL(sim_exec_alarms_due(x, due), 0); /* nothing before its time */
	for (SimTime t = SIM_MS; t <= 4 * SIM_MS; t += SIM_MS) {
		CU_ASSERT_EQUAL(sim_exec_timers_next(x), t);
		sim_world_clock_to(x->w, t);
		guint n = sim_exec_alarms_due(x, due), k = 0;
		for (guint i = 0; i < N_TIMED; i++) {
			if (timed_at(i) != t || i <= 2)
				continue;
			CU_ASSERT_FATAL(k < n);
			CU_ASSERT_EQUAL(due[k]->idx, (int)i);
			k++;
		}
		CU_ASSERT_EQUAL(n, k);
		CU_ASSERT_EQUAL(sim_exec_alarms_due(x, due), 0); /* each comes once */
	}
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), 10 * SIM_MS);
	for (int k = 0; k < 1000; k++) {
		moved->alarm_at = 20 * SIM_MS + k;
		sim_exec_alarm_set(x, moved);
	}
	CU_ASSERT(x->w->evq.len <= 4 * N_TIMED + 1);
	CU_ASSERT_TRUE(sim_evq_check(&x->w->evq));
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), 20 * SIM_MS + 999);
	sim_world_clock_to(x->w, 30 * SIM_MS);
	CU_ASSERT_EQUAL(sim_exec_alarms_due(x, due), 1);
	CU_ASSERT_PTR_EQUAL(due[0], moved);
	sim_exec_model_clear(x);
	fclose(out);
	free(buf);
}

CU_TestInfo exec_world_tests[] = {
	{ "a world without a scenario takes external tasks",
	  test_a_world_without_a_scenario_takes_external_tasks },
	{ "the dispatch serves an external task through its server",
	  test_the_dispatch_serves_an_external_task_through_its_server },
	{ "a blocked guest waits on the world's queue",
	  test_exec_a_blocked_guest_waits_on_the_worlds_queue },
	{ "timers wake in guest order at equal times",
	  test_exec_timers_wake_in_guest_order_at_equal_times },
	{ "alarms come in guest order and moot ones go",
	  test_exec_alarms_come_in_guest_order_and_moot_ones_go },
	CU_TEST_INFO_NULL,
};

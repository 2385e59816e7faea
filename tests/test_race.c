/* test_race.c — races and happens-before over an execution's steps (sim/explore/race.c),
 * which the scenario explorer and explore --exec share, and the footprints explore --exec
 * gives the guests' calls (sim/exec/footprint.c).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/explore/race.h"
#include "tests.h"

#define B(i) (G_GUINT64_CONSTANT(1) << (i))

static SimFootprint on(SimObjKind kind, guint64 id, gboolean write)
{
	SimFootprint fp;
	sim_footprint_init(&fp);
	sim_footprint_add(&fp, kind, id, write);
	return fp;
}

typedef struct Races {
	guint n, i[8], j[8];
} Races;

static void note(void *data, guint i, guint j)
{
	Races *r = data;
	if (r->n < 8) {
		r->i[r->n] = i;
		r->j[r->n] = j;
	}
	r->n++;
}

static void test_race_steps_on_different_queues_do_not_race_nor_order(void)
{
	SimRaceLog log;
	sim_race_log_init(&log, 3);
	Races r = { 0 };
	SimFootprint a = on(SIM_OBJ_SYSVQ, 1, TRUE), b = on(SIM_OBJ_SYSVQ, 2, TRUE);
	CU_ASSERT_EQUAL(sim_race_log_add(&log, 0, 0, &a, note, &r), 0);
	CU_ASSERT_EQUAL(sim_race_log_add(&log, 1, 1, &b, note, &r), 1);
	CU_ASSERT_EQUAL(r.n, 0);
	CU_ASSERT_FALSE(sim_race_hb(&log, 0, 1));
	/* A thread's own steps are ordered, whatever they touch. */
	CU_ASSERT_EQUAL(sim_race_log_add(&log, 0, 2, &b, NULL, NULL), 2);
	CU_ASSERT_TRUE(sim_race_hb(&log, 0, 2));
	sim_race_log_reset(&log);
	CU_ASSERT_EQUAL(log.n_events, 0);
	sim_race_log_clear(&log);
}

static void test_race_a_write_and_a_read_of_one_queue_race_once_then_are_ordered(void)
{
	SimRaceLog log;
	sim_race_log_init(&log, 2);
	Races r = { 0 };
	SimFootprint w = on(SIM_OBJ_SYSVQ, 7, TRUE), rd = on(SIM_OBJ_SYSVQ, 7, FALSE);
	sim_race_log_add(&log, 0, 0, &w, note, &r);
	sim_race_log_add(&log, 1, 1, &rd, note, &r);
	CU_ASSERT_EQUAL(r.n, 1);
	CU_ASSERT_EQUAL(r.i[0], 0);
	CU_ASSERT_EQUAL(r.j[0], 1);
	CU_ASSERT_TRUE(sim_race_hb(&log, 0, 1));
	/* Two reads commute. */
	sim_race_log_add(&log, 0, 2, &rd, note, &r);
	sim_race_log_add(&log, 1, 3, &rd, note, &r);
	CU_ASSERT_EQUAL(r.n, 1);
	sim_race_log_clear(&log);
}

static void test_race_initials_leave_out_a_thread_ordered_after_another_of_the_sequence(void)
{
	SimRaceLog log;
	sim_race_log_init(&log, 3);
	SimFootprint q1 = on(SIM_OBJ_SYSVQ, 1, TRUE), q2 = on(SIM_OBJ_SYSVQ, 2, TRUE), both = q1;
	sim_footprint_add(&both, SIM_OBJ_SYSVQ, 2, TRUE);
	/* 0: thread 0 on q1; 1: thread 2 on q2; 2: thread 1 on q1 and q2. */
	sim_race_log_add(&log, 0, 0, &q1, NULL, NULL);
	sim_race_log_add(&log, 2, 1, &q2, NULL, NULL);
	sim_race_log_add(&log, 1, 2, &both, NULL, NULL);
	/* Thread 1's step comes after thread 2's: only thread 2 can start the reversal. */
	CU_ASSERT_EQUAL(sim_race_initials(&log, 0, 2), B(2));
	sim_race_log_reset(&log);
	/* With thread 2's step on a third queue, either can. */
	SimFootprint q3 = on(SIM_OBJ_SYSVQ, 3, TRUE);
	sim_race_log_add(&log, 0, 0, &q1, NULL, NULL);
	sim_race_log_add(&log, 2, 1, &q3, NULL, NULL);
	sim_race_log_add(&log, 1, 2, &both, NULL, NULL);
	CU_ASSERT_EQUAL(sim_race_initials(&log, 0, 2), B(1) | B(2));
	sim_race_log_clear(&log);
}

static void test_race_backtrack_adds_one_initial_or_every_thread_awake(void)
{
	guint64 en = B(0) | B(1) | B(2);
	/* j's thread when it is an initial, else the lowest initial. */
	CU_ASSERT_EQUAL(sim_race_backtrack(en, B(0), 0, B(1) | B(2), 2), B(0) | B(2));
	CU_ASSERT_EQUAL(sim_race_backtrack(en, B(0), 0, B(1) | B(2), 0), B(0) | B(1));
	/* An initial started already, or asleep: nothing to add. */
	CU_ASSERT_EQUAL(sim_race_backtrack(en, B(0) | B(1), 0, B(1), 1), B(0) | B(1));
	CU_ASSERT_EQUAL(sim_race_backtrack(en, B(0), B(1), B(1), 1), B(0));
	/* No initial could step there: every thread not asleep. */
	CU_ASSERT_EQUAL(sim_race_backtrack(B(0) | B(1), B(0), B(1), B(5), 5), B(0));
	CU_ASSERT_EQUAL(sim_race_backtrack(en, B(0), 0, B(5), 5), en);
}

/* ---- The guests' footprints ---- */

static SimExecOptions opt;

static void test_exec_footprint_of_a_guests_queue_calls_is_their_rows(void)
{
	static SimExec x;
	sim_exec_model_init(&x, &opt, stdout);
	SimGuest *gs[2];
	for (int i = 0; i < 2; i++) {
		gs[i] = sim_exec_guest_add(&x);
		gs[i]->name = g_strdup_printf("%d self", i + 2);
		sim_exec_task_init(&x, gs[i], NULL);
	}
	SimGuest *g = gs[0], *h = gs[1];
	SimCred cred = { 0 };
	int id = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&x.w->ipcns, x.w->msgqs, IPC_PRIVATE, SIM_IPC_CREAT, 0600, &cred, 0,
				     &id), 0);
	SimFootprint a, b;
	g->notif.data.nr = __NR_msgsnd;
	g->notif.data.args[0] = (__u64)(unsigned)id;
	sim_exec_footprint(&x, g, &a);
	CU_ASSERT_TRUE(sim_footprint_touches(&a, SIM_OBJ_SYSVQ, (guint64)id, TRUE));
	CU_ASSERT_FALSE(sim_footprint_touches(&a, SIM_OBJ_SYSV_NS, 0, FALSE));
	h->notif.data.nr = __NR_msgctl;
	h->notif.data.args[0] = (__u64)(unsigned)id;
	h->notif.data.args[1] = IPC_STAT;
	sim_exec_footprint(&x, h, &b);
	CU_ASSERT_TRUE(sim_footprint_touches(&b, SIM_OBJ_SYSVQ, (guint64)id, FALSE));
	CU_ASSERT_FALSE(sim_footprint_touches(&b, SIM_OBJ_SYSVQ, (guint64)id, TRUE));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
	/* A send to another queue (no such id: it reads the namespace) commutes with it. */
	h->notif.data.nr = __NR_msgsnd;
	h->notif.data.args[0] = (__u64)(unsigned)id + 1;
	sim_exec_footprint(&x, h, &b);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&a, &b));
	/* A private msgget changes the namespace: two of them race (the ids show it). */
	g->notif.data.nr = h->notif.data.nr = __NR_msgget;
	g->notif.data.args[0] = h->notif.data.args[0] = IPC_PRIVATE;
	g->notif.data.args[1] = h->notif.data.args[1] = IPC_CREAT | 0600;
	sim_exec_footprint(&x, g, &a);
	sim_exec_footprint(&x, h, &b);
	CU_ASSERT_TRUE(sim_footprint_touches(&a, SIM_OBJ_SYSV_NS, 0, TRUE));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
	/* A wait reads every task, so another guest's exit (its task changed) races with it;
	 * a call the reduction does not know (kill) conflicts with everything. */
	g->notif.data.nr = __NR_wait4;
	h->notif.data.nr = __NR_exit_group;
	sim_exec_footprint(&x, g, &a);
	sim_exec_footprint(&x, h, &b);
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
	h->notif.data.nr = __NR_kill;
	sim_exec_footprint(&x, h, &b);
	CU_ASSERT_TRUE(b.everything);
	/* A fork takes the namespace's next pid: two of them race. */
	g->notif.data.nr = __NR_fork;
	sim_footprint_init(&a);
	sim_exec_footprint_local(g, &a);
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &a));
	CU_ASSERT_FALSE(sim_exec_footprint_timed(&x));
	g->alarm_at = SIM_S;
	CU_ASSERT_TRUE(sim_exec_footprint_timed(&x));
	sim_exec_model_clear(&x);
}

extern CU_TestInfo race_tests[];
CU_TestInfo race_tests[] = {
	{ "race: steps on different queues neither race nor are ordered",
	  test_race_steps_on_different_queues_do_not_race_nor_order },
	{ "race: a write and a read of one queue race once, then are ordered",
	  test_race_a_write_and_a_read_of_one_queue_race_once_then_are_ordered },
	{ "race: initials leave out a thread ordered after another of the sequence",
	  test_race_initials_leave_out_a_thread_ordered_after_another_of_the_sequence },
	{ "race: backtrack adds j's thread, the lowest initial, or every thread awake",
	  test_race_backtrack_adds_one_initial_or_every_thread_awake },
	{ "exec footprint: a guest's queue calls are their rows; waits, exits, forks, timers",
	  test_exec_footprint_of_a_guests_queue_calls_is_their_rows },
	CU_TEST_INFO_NULL,
};

/* test_task.c — the task state machine (task.h): init leaves a NEW task with its declared
 * priority and no wait; every transition of the diagram moves to the drawn state and charges
 * the time spent in the state it leaves — RUNNING to cpu_time, BLOCKED and SLEEPING to
 * blocked_time, NEW and READY to nothing — for the `now` values given; wake sets `resuming`
 * only when it leaves BLOCKED; wait_gen counts blocks and sleeps and nothing else; a
 * transition from a state the diagram does not draw aborts; sim_task_check agrees with the
 * waiter; clear returns the messages a task holds to the pool.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/base.h"
#include "msgsim/engine/interp.h"
#include "msgsim/engine/sched.h"
#include "msgsim/engine/task.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

/* A task needs a declaration and a compiled program; these are the smallest that do. */
typedef struct TaskFx {
	SimProgram prog;
	SimScnProc proc;
	SimMsgPool pool;
	SimTask t;
} TaskFx;

static char proc_name[] = "worker1";

static void fx_init(TaskFx *f, gint64 priority, guint n_vars)
{
	memset(f, 0, sizeof(*f));
	f->prog.max_depth = 2;
	f->prog.n_vars = n_vars;
	f->proc.name = proc_name;
	f->proc.priority = priority;
	sim_msg_pool_init(&f->pool);
	sim_task_init(&f->t, 3, &f->proc, &f->prog);
}

static void fx_clear(TaskFx *f)
{
	sim_task_clear(&f->t, &f->pool);
	CU_ASSERT_EQUAL(f->pool.live, 0);
	sim_msg_pool_clear(&f->pool);
}

static void test_task_init_is_new_with_declared_priority_and_no_wait(void)
{
	TaskFx f;
	fx_init(&f, 7, 2);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_NEW);
	CU_ASSERT_EQUAL(f.t.id, 3);
	CU_ASSERT_STRING_EQUAL(f.t.name, "worker1");
	CU_ASSERT_PTR_EQUAL(f.t.proc, &f.proc);
	CU_ASSERT_PTR_EQUAL(f.t.prog, &f.prog);
	CU_ASSERT_EQUAL(f.t.priority, 7);
	CU_ASSERT_EQUAL(f.t.wait_obj, -1);
	CU_ASSERT_EQUAL(f.t.inbox, -1);
	CU_ASSERT_EQUAL(f.t.wait_gen, 0);
	CU_ASSERT_FALSE(f.t.resuming);
	CU_ASSERT_EQUAL(f.t.cpu_time, 0);
	CU_ASSERT_EQUAL(f.t.blocked_time, 0);
	/* The waiter is ready to block: it names its task and filters no sender. */
	CU_ASSERT_EQUAL(f.t.waiter.task, 3);
	CU_ASSERT_EQUAL(f.t.waiter.from, -1);
	CU_ASSERT_PTR_NULL(f.t.waiter.queue);
	CU_ASSERT_PTR_NOT_NULL(f.t.counters);
	CU_ASSERT_PTR_NOT_NULL(f.t.vars);
	CU_ASSERT_PTR_NULL(f.t.vars[1].msg);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	fx_clear(&f);
}

static void test_task_make_ready_charges_no_time(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 500);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_READY);
	CU_ASSERT_EQUAL(f.t.state_since, 500);
	CU_ASSERT_EQUAL(f.t.cpu_time, 0);
	CU_ASSERT_EQUAL(f.t.blocked_time, 0);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	fx_clear(&f);
}

static void test_task_running_time_is_charged_as_cpu_time(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 10);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_RUNNING);
	/* Time spent READY (0..10) is waiting for the CPU: neither account. */
	CU_ASSERT_EQUAL(f.t.cpu_time, 0);
	sim_task_preempt(&f.t, 35);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_READY);
	CU_ASSERT_EQUAL(f.t.cpu_time, 25);
	CU_ASSERT_EQUAL(f.t.blocked_time, 0);
	sim_task_run(&f.t, 50);
	sim_task_preempt(&f.t, 51);
	CU_ASSERT_EQUAL(f.t.cpu_time, 26);
	CU_ASSERT_EQUAL(f.t.state_since, 51);
	/* A preemption is not a wait: the generation stays. */
	CU_ASSERT_EQUAL(f.t.wait_gen, 0);
	fx_clear(&f);
}

static void test_task_run_starts_a_fresh_slice(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	f.t.slice_used = 99;
	sim_task_run(&f.t, 0);
	CU_ASSERT_EQUAL(f.t.slice_used, 0);
	fx_clear(&f);
}

static void test_task_block_charges_cpu_and_wake_charges_blocked_time(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 5);
	sim_task_block(&f.t, 12, 4, "mailbox full");
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_BLOCKED);
	CU_ASSERT_EQUAL(f.t.cpu_time, 7);
	CU_ASSERT_EQUAL(f.t.wait_obj, 4);
	CU_ASSERT_STRING_EQUAL(f.t.wait_why, "mailbox full");
	CU_ASSERT_EQUAL(f.t.wait_gen, 1);
	/* The engine marks the waiter done before it wakes a task (mbox.h wake-ups). */
	f.t.waiter.done = TRUE;
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	sim_task_wake(&f.t, 42);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_READY);
	CU_ASSERT_EQUAL(f.t.blocked_time, 30);
	CU_ASSERT_EQUAL(f.t.cpu_time, 7);
	CU_ASSERT_EQUAL(f.t.wait_obj, -1);
	CU_ASSERT_PTR_NULL(f.t.wait_why);
	CU_ASSERT_EQUAL(f.t.state_since, 42);
	fx_clear(&f);
}

static void test_task_sleep_is_charged_as_blocked_time(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_sleep(&f.t, 5);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_SLEEPING);
	CU_ASSERT_EQUAL(f.t.cpu_time, 5);
	CU_ASSERT_EQUAL(f.t.wait_obj, -1);
	CU_ASSERT_STRING_EQUAL(f.t.wait_why, "timer");
	CU_ASSERT_EQUAL(f.t.wait_gen, 1);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	sim_task_wake(&f.t, 105);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_READY);
	CU_ASSERT_EQUAL(f.t.blocked_time, 100);
	CU_ASSERT_EQUAL(f.t.cpu_time, 5);
	fx_clear(&f);
}

/* A task still waiting when the run ends (a deadlock) has never been woken, so nothing
 * has charged its wait yet: the summary asks for the time up to now. */
static void test_task_blocked_time_counts_a_wait_still_going_on(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 3, 4, "no message");
	CU_ASSERT_EQUAL(f.t.blocked_time, 0);
	CU_ASSERT_EQUAL(sim_task_blocked(&f.t, 3), 0);
	CU_ASSERT_EQUAL(sim_task_blocked(&f.t, 50), 47);
	CU_ASSERT_EQUAL(sim_task_cpu(&f.t, 50), 3);
	f.t.waiter.done = TRUE;
	sim_task_wake(&f.t, 60);
	CU_ASSERT_EQUAL(sim_task_blocked(&f.t, 80), 57); /* READY is not blocked */
	sim_task_run(&f.t, 80);
	sim_task_sleep(&f.t, 81);
	CU_ASSERT_EQUAL(sim_task_blocked(&f.t, 91), 67); /* asleep counts too */
	fx_clear(&f);
}

static void test_task_wake_sets_resuming_only_when_leaving_blocked(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 1, 0, "no message");
	sim_task_wake(&f.t, 2);
	/* The blocked call must be finished when the task runs again. */
	CU_ASSERT_TRUE(f.t.resuming);
	/* The interpreter clears the flag when it finishes the call; a sleep must not set it. */
	f.t.resuming = FALSE;
	sim_task_run(&f.t, 3);
	sim_task_sleep(&f.t, 4);
	sim_task_wake(&f.t, 9);
	CU_ASSERT_FALSE(f.t.resuming);
	/* Nor may a sleep leave a stale TRUE behind from an earlier block. */
	sim_task_run(&f.t, 10);
	sim_task_block(&f.t, 11, 0, "no message");
	sim_task_wake(&f.t, 12);
	CU_ASSERT_TRUE(f.t.resuming);
	sim_task_run(&f.t, 13);
	sim_task_sleep(&f.t, 14);
	sim_task_wake(&f.t, 15);
	CU_ASSERT_FALSE(f.t.resuming);
	fx_clear(&f);
}

static void test_task_wait_gen_counts_blocks_and_sleeps_only(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 0, 1, "mailbox full");
	CU_ASSERT_EQUAL(f.t.wait_gen, 1);
	sim_task_wake(&f.t, 0);
	CU_ASSERT_EQUAL(f.t.wait_gen, 1);
	sim_task_run(&f.t, 0);
	sim_task_preempt(&f.t, 0);
	sim_task_run(&f.t, 0);
	CU_ASSERT_EQUAL(f.t.wait_gen, 1);
	sim_task_sleep(&f.t, 0);
	CU_ASSERT_EQUAL(f.t.wait_gen, 2);
	sim_task_wake(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 0, 1, "no message");
	CU_ASSERT_EQUAL(f.t.wait_gen, 3);
	fx_clear(&f);
}

static void test_task_exit_charges_cpu_and_keeps_the_code(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 3);
	sim_task_run(&f.t, 8);
	sim_task_exit(&f.t, 20, 7);
	CU_ASSERT_EQUAL(f.t.state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(f.t.cpu_time, 12);
	CU_ASSERT_EQUAL(f.t.blocked_time, 0);
	CU_ASSERT_EQUAL(f.t.exit_code, 7);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	fx_clear(&f);
}

static void test_task_lifetime_splits_into_cpu_blocked_and_ready_time(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	/* ready 0-2, run 2-10, blocked 10-30, ready 30-31, run 31-40, sleep 40-100,
	 * ready 100-104, run 104-110, preempted 110-115, run 115-120, exit. */
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 2);
	sim_task_block(&f.t, 10, 0, "no message");
	sim_task_wake(&f.t, 30);
	sim_task_run(&f.t, 31);
	sim_task_sleep(&f.t, 40);
	sim_task_wake(&f.t, 100);
	sim_task_run(&f.t, 104);
	sim_task_preempt(&f.t, 110);
	sim_task_run(&f.t, 115);
	sim_task_exit(&f.t, 120, 0);
	CU_ASSERT_EQUAL(f.t.cpu_time, 8 + 9 + 6 + 5);
	CU_ASSERT_EQUAL(f.t.blocked_time, 20 + 60);
	CU_ASSERT_EQUAL(f.t.wait_gen, 2);
	fx_clear(&f);
}

/* Each of these takes one transition the diagram does not draw. */
static void run_a_new_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_run(&f.t, 0);
}

static void preempt_a_ready_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_preempt(&f.t, 0);
}

static void block_a_ready_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_block(&f.t, 0, 0, "no message");
}

static void sleep_a_ready_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_sleep(&f.t, 0);
}

static void wake_a_running_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_wake(&f.t, 0);
}

static void exit_a_blocked_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 0, 0, "no message");
	sim_task_exit(&f.t, 0, 0);
}

static void make_a_ready_task_ready(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_make_ready(&f.t, 0);
}

static void run_an_exited_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_exit(&f.t, 0, 0);
	sim_task_run(&f.t, 0);
}

static void test_task_transition_from_a_wrong_state_aborts(void)
{
	CU_ASSERT_TRUE(test_dies(run_a_new_task));
	CU_ASSERT_TRUE(test_dies(preempt_a_ready_task));
	CU_ASSERT_TRUE(test_dies(block_a_ready_task));
	CU_ASSERT_TRUE(test_dies(sleep_a_ready_task));
	CU_ASSERT_TRUE(test_dies(wake_a_running_task));
	CU_ASSERT_TRUE(test_dies(exit_a_blocked_task));
	CU_ASSERT_TRUE(test_dies(make_a_ready_task_ready));
	CU_ASSERT_TRUE(test_dies(run_an_exited_task));
}

static void test_task_check_agrees_with_the_waiter(void)
{
	TaskFx f;
	SimWaitQueue q;
	fx_init(&f, 0, 0);
	sim_waitq_init(&q, SIM_ORDER_FIFO);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	sim_task_block(&f.t, 0, 0, "no message");
	/* BLOCKED with the waiter on no queue and not woken: blocked on nothing. */
	CU_ASSERT_FALSE(sim_task_check(&f.t));
	sim_waitq_add(&q, &f.t.waiter);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	SimWakeList wl = { NULL, NULL };
	sim_waitq_wake(&wl, &f.t.waiter, 0);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	sim_task_wake(&f.t, 0);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	/* READY, RUNNING or SLEEPING with the waiter still queued is a lost wake-up. */
	sim_waitq_add(&q, &f.t.waiter);
	CU_ASSERT_FALSE(sim_task_check(&f.t));
	sim_task_run(&f.t, 0);
	CU_ASSERT_FALSE(sim_task_check(&f.t));
	sim_task_sleep(&f.t, 0);
	CU_ASSERT_FALSE(sim_task_check(&f.t));
	sim_waitq_del(&f.t.waiter);
	CU_ASSERT_TRUE(sim_task_check(&f.t));
	fx_clear(&f);
}

static void test_task_clear_returns_held_messages_to_the_pool(void)
{
	TaskFx f;
	fx_init(&f, 0, 2);
	sim_task_make_ready(&f.t, 0);
	sim_task_run(&f.t, 0);
	/* Two received messages in variables and one it was sending when it blocked. */
	f.t.vars[0].msg = sim_msg_pool_get(&f.pool);
	f.t.vars[1].msg = sim_msg_pool_get(&f.pool);
	sim_msg_own_text(&f.pool, f.t.vars[1].msg, "owned text", strlen("owned text"));
	f.t.waiter.msg = sim_msg_pool_get(&f.pool);
	f.t.received = g_array_new(FALSE, TRUE, sizeof(SimRecv));
	SimRecv r = { .text = g_strdup("kept"), .type = 1, .from = 0 };
	g_array_append_val(f.t.received, r);
	sim_task_block(&f.t, 1, 0, "mailbox full");
	CU_ASSERT_EQUAL(f.pool.live, 3);
	sim_task_clear(&f.t, &f.pool);
	CU_ASSERT_EQUAL(f.pool.live, 0);
	CU_ASSERT_PTR_NULL(f.t.waiter.msg);
	CU_ASSERT_PTR_NULL(f.t.vars);
	CU_ASSERT_PTR_NULL(f.t.counters);
	CU_ASSERT_PTR_NULL(f.t.received);
	sim_msg_pool_clear(&f.pool);
}

/* ---- External tasks (a real program's process, msgsim exec) ---- */

static int ext_steps;
static void ext_step(void *data, SimTask *t)
{
	(void)data;
	ext_steps++;
	CU_ASSERT_EQUAL(t->state, SIM_STATE_RUNNING);
}
static const SimTaskExternal ext_server = { ext_step, NULL };

static void test_task_an_external_task_has_no_body_and_follows_the_diagram(void)
{
	SimTask t;
	sim_task_init_external(&t, 4, "2 msgrcv", &ext_server);
	CU_ASSERT_EQUAL(t.kind, SIM_TASK_EXTERNAL);
	CU_ASSERT_PTR_EQUAL(t.ext, &ext_server);
	CU_ASSERT_PTR_NULL(t.prog);
	CU_ASSERT_PTR_NULL(t.proc);
	CU_ASSERT_EQUAL(t.state, SIM_STATE_NEW);
	CU_ASSERT_EQUAL(t.waiter.task, 4);
	CU_ASSERT_EQUAL(t.wait_obj, -1);
	CU_ASSERT_EQUAL(t.alarm_at, SIM_TIME_MAX);
	CU_ASSERT_STRING_EQUAL(t.name, "2 msgrcv");
	/* The scheduler takes it like any task; its next call is its server's. */
	SimSched s;
	sim_sched_init(&s, SIM_SCHED_FIFO, 0, NULL);
	sim_task_make_ready(&t, 0);
	sim_sched_enqueue(&s, &t, FALSE);
	SimTask *picked = sim_sched_pick(&s);
	CU_ASSERT_PTR_EQUAL(picked, &t);
	sim_task_run(&t, 0);
	ext_steps = 0;
	t.ext->step(t.ext->data, &t);
	CU_ASSERT_EQUAL(ext_steps, 1);
	sim_task_block(&t, 5, -1, "msgrcv");
	CU_ASSERT_EQUAL(t.cpu_time, 5);
	sim_task_wake(&t, 9);
	CU_ASSERT_TRUE(t.resuming);
	CU_ASSERT_EQUAL(t.blocked_time, 4);
	sim_sched_clear(&s);
	/* A script task is SCRIPT by default. */
	TaskFx f;
	fx_init(&f, 0, 0);
	CU_ASSERT_EQUAL(f.t.kind, SIM_TASK_SCRIPT);
	CU_ASSERT_PTR_NULL(f.t.ext);
	fx_clear(&f);
}

/* Its process may end in any state (the real kernel ends it): code, or a signal. */
static void test_task_an_external_task_ends_from_any_state(void)
{
	SimTask t;
	sim_task_init_external(&t, 0, "2 a", &ext_server);
	sim_task_end(&t, 0, 3, 0); /* never started: its exec failed */
	CU_ASSERT_EQUAL(t.state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(t.exit_code, 3);
	CU_ASSERT_EQUAL(t.killed_by, 0);
	sim_task_init_external(&t, 0, "2 a", &ext_server);
	sim_task_make_ready(&t, 0);
	sim_task_run(&t, 0);
	sim_task_sleep(&t, 2);
	sim_task_end(&t, 7, 0, 9); /* SIGKILL in its sleep */
	CU_ASSERT_EQUAL(t.state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(t.exit_code, 128 + 9);
	CU_ASSERT_EQUAL(t.killed_by, 9);
	CU_ASSERT_EQUAL(t.blocked_time, 5);
	sim_task_init_external(&t, 0, "2 a", &ext_server);
	sim_task_make_ready(&t, 0);
	sim_task_run(&t, 0);
	sim_task_end(&t, 4, 1, 0);
	CU_ASSERT_EQUAL(t.cpu_time, 4);
	CU_ASSERT_EQUAL(t.exit_code, 1);
}

static void end_a_script_task(void)
{
	TaskFx f;
	fx_init(&f, 0, 0);
	sim_task_end(&f.t, 0, 0, 0);
}

static void end_an_exited_external_task(void)
{
	SimTask t;
	sim_task_init_external(&t, 0, "2 a", &ext_server);
	sim_task_end(&t, 0, 0, 0);
	sim_task_end(&t, 0, 0, 0);
}

static void test_task_end_refuses_a_script_task_and_a_second_end(void)
{
	CU_ASSERT_TRUE(test_dies(end_a_script_task));
	CU_ASSERT_TRUE(test_dies(end_an_exited_external_task));
}

extern CU_TestInfo task_tests[];
CU_TestInfo task_tests[] = {
	{ "init is NEW with declared priority and no wait",
	  test_task_init_is_new_with_declared_priority_and_no_wait },
	{ "make_ready charges no time", test_task_make_ready_charges_no_time },
	{ "running time is charged as cpu time", test_task_running_time_is_charged_as_cpu_time },
	{ "run starts a fresh slice", test_task_run_starts_a_fresh_slice },
	{ "block charges cpu and wake charges blocked time",
	  test_task_block_charges_cpu_and_wake_charges_blocked_time },
	{ "sleep is charged as blocked time", test_task_sleep_is_charged_as_blocked_time },
	{ "blocked time counts a wait still going on",
	  test_task_blocked_time_counts_a_wait_still_going_on },
	{ "wake sets resuming only when leaving BLOCKED",
	  test_task_wake_sets_resuming_only_when_leaving_blocked },
	{ "wait_gen counts blocks and sleeps only",
	  test_task_wait_gen_counts_blocks_and_sleeps_only },
	{ "exit charges cpu and keeps the code", test_task_exit_charges_cpu_and_keeps_the_code },
	{ "lifetime splits into cpu, blocked and ready time",
	  test_task_lifetime_splits_into_cpu_blocked_and_ready_time },
	{ "transition from a wrong state aborts", test_task_transition_from_a_wrong_state_aborts },
	{ "check agrees with the waiter", test_task_check_agrees_with_the_waiter },
	{ "clear returns held messages to the pool",
	  test_task_clear_returns_held_messages_to_the_pool },
	{ "an external task has no body and follows the diagram",
	  test_task_an_external_task_has_no_body_and_follows_the_diagram },
	{ "an external task ends from any state", test_task_an_external_task_ends_from_any_state },
	{ "end refuses a script task and a second end",
	  test_task_end_refuses_a_script_task_and_a_second_end },
	CU_TEST_INFO_NULL,
};

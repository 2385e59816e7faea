/* test_world.c — the engine end to end: scenarios from text, run, and checked through the world.
 *
 * These tests exercise what no single object can show: the scheduler policies driving
 * real statements, costs and the clock, blocking and waking through the wake list,
 * ownership at exit, deadlock detection with its wait-for list, the guard rails, the
 * report's verdicts, and determinism (the same scenario and seed give the same trace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgsim/output/report.h"
#include "msgsim/lang/scn.h"
#include "msgsim/engine/world.h"
#include "tests.h"

/* ---- Time and costs ---- */

static void test_world_syscall_cost_advances_the_clock(void)
{
	TestRun r = test_run_text("cost syscall=3us\n"
				  "mailbox m\n"
				  "process a { send m \"x\"  send m \"y\" }\n",
				  FALSE, NULL);
	/* Two sends and the implicit exit are not three calls: exit at end of body is free. */
	CU_ASSERT_EQUAL(sim_world_now(r.w), 6 * SIM_US);
	CU_ASSERT_EQUAL(test_run_task(&r, "a")->cpu_time, 6 * SIM_US);
	test_run_free(&r);
}

static void test_world_switch_cost_is_charged_between_different_tasks(void)
{
	TestRun r = test_run_text("cost syscall=0ns switch=5us\n"
				  "process a { compute 1ms }\n"
				  "process b { compute 1ms }\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.w->switches, 1);
	CU_ASSERT_EQUAL(sim_world_now(r.w), 2 * SIM_MS + 5 * SIM_US);
	test_run_free(&r);
}

static void test_world_sleep_blocks_on_a_timer_and_counts_as_blocked_time(void)
{
	TestRun r = test_run_text("cost syscall=0ns\n"
				  "process a { sleep 7ms }\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(sim_world_now(r.w), 7 * SIM_MS);
	CU_ASSERT_EQUAL(test_run_task(&r, "a")->blocked_time, 7 * SIM_MS);
	CU_ASSERT_EQUAL(test_run_task(&r, "a")->cpu_time, 0);
	test_run_free(&r);
}

static void test_world_start_time_and_after_delay_the_first_dispatch(void)
{
	TestRun r = test_run_text("cost syscall=0ns\n"
				  "mailbox log\n"
				  "process late start=3ms { send log \"late\" }\n"
				  "process first { compute 1ms  send log \"first\" }\n"
				  "process next start=after(first) { send log \"next\" }\n"
				  "process reader start=after(late) { repeat 3 { receive log } }\n"
				  "expect reader received [\"first\", \"next\", \"late\"]\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	CU_ASSERT_EQUAL(sim_world_now(r.w), 3 * SIM_MS);
	test_run_free(&r);
}

/* ---- Scheduler policies, end to end ---- */

static void test_world_fifo_runs_each_task_until_it_blocks(void)
{
	TestRun r = test_run_text("cost syscall=0ns\n"
				  "mailbox log\n"
				  "process a { compute 2ms  send log \"a\" }\n"
				  "process b { compute 1ms  send log \"b\" }\n"
				  "process reader start=3ms { repeat 2 { receive log } }\n"
				  "expect reader received [\"a\", \"b\"]\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_world_rr_slices_compute_by_the_quantum(void)
{
	TestRun r = test_run_text("scheduler rr quantum=1ms\n"
				  "cost syscall=0ns\n"
				  "mailbox log\n"
				  "process a { compute 3ms  send log \"a\" }\n"
				  "process b { compute 2ms  send log \"b\" }\n"
				  "process reader start=10ms { repeat 2 { receive log } }\n"
				  "expect reader received [\"b\", \"a\"]\n",
				  FALSE, NULL);
	/* a 0-1, b 1-2, a 2-3, b 3-4 (its compute ends as its quantum does, so it is
	 * preempted before it can send), a 4-5 (likewise), b sends and exits, a sends and
	 * exits, reader at 10ms: seven switches. */
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_task(&r, "a")->cpu_time, 3 * SIM_MS);
	CU_ASSERT_EQUAL(r.w->switches, 7);
	test_run_free(&r);
}

static void test_world_priority_preempts_a_computing_task(void)
{
	TestRun r = test_run_text(
		"scheduler priority\n"
		"cost syscall=0ns\n"
		"mailbox log\n"
		"process low priority=1 { compute 4ms  send log \"low\" }\n"
		"process high priority=5 start=1ms { compute 1ms  send log \"high\" }\n"
		"process reader start=10ms { repeat 2 { receive log } }\n"
		"expect reader received [\"high\", \"low\"]\n",
		TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "preempted: a higher priority task is ready"));
	CU_ASSERT_EQUAL(test_run_task(&r, "low")->cpu_time, 4 * SIM_MS);
	test_run_free(&r);
}

static void test_world_random_scheduler_is_repeatable_for_a_seed(void)
{
	const char *text = "scheduler random seed=3\n"
			   "mailbox log\n"
			   "process p[4] { repeat 3 as i { send log \"$self/$i\" } }\n";
	TestRun a = test_run_text(text, TRUE, NULL);
	TestRun b = test_run_text(text, TRUE, NULL);
	CU_ASSERT_STRING_EQUAL(a.out, b.out);
	SimWorldOptions other = { .seed = 4, .seed_set = TRUE };
	TestRun c = test_run_text(text, TRUE, &other);
	CU_ASSERT_STRING_NOT_EQUAL(a.out, c.out);
	test_run_free(&a);
	test_run_free(&b);
	test_run_free(&c);
}

/* ---- Blocking, waking, ownership ---- */

static void test_world_blocked_receiver_is_woken_by_the_sender(void)
{
	TestRun r = test_run_text("mailbox m\n"
				  "process r { @get receive m -> x }\n"
				  "process s start=2ms { send m \"hi\" }\n"
				  "expect @get blocked\n"
				  "expect r received [\"hi\" from s]\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "woken by s via m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "handed to r"));
	CU_ASSERT_STRING_EQUAL(test_run_recv_text(&r, "r", 0), "hi");
	test_run_free(&r);
}

static void test_world_owner_exit_fails_waiters_with_eidrm(void)
{
	TestRun r = test_run_text("mailbox m owner=boss\n"
				  "process boss { sleep 1ms }\n"
				  "process r { @get receive m }\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	CU_ASSERT_TRUE(test_run_mbox(&r, "m")->destroyed);
	CU_ASSERT_EQUAL(test_run_task(&r, "r")->last_err, EIDRM);
	CU_ASSERT_EQUAL(test_run_task(&r, "r")->state, SIM_STATE_EXITED);
	test_run_free(&r);
}

static void test_world_sender_blocked_on_exited_inbox_gets_esrch_later(void)
{
	TestRun r = test_run_text("process q { exit 0 }\n"
				  "process p start=1ms { @s send q \"too late\" }\n"
				  "expect @s errno=ESRCH\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_world_no_message_is_lost_or_leaked(void)
{
	TestRun r = test_run_text("mailbox m capacity=2\n"
				  "process p[3] { repeat 5 as i { send m \"$self $i\" } }\n"
				  "process c { repeat 12 { receive m -> x } }\n",
				  FALSE, NULL);
	/* 15 sent, 12 received, 2 queued, 1 sender still blocked holding its message. */
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DEADLOCK);
	CU_ASSERT_EQUAL(test_run_mbox(&r, "m")->received, 12);
	CU_ASSERT_EQUAL(sim_mbox_qnum(test_run_mbox(&r, "m")), 2);
	CU_ASSERT_EQUAL(r.w->pool.live, 2 + 1 + 1); /* queued, held by the sender, in c's var */
	test_run_free(&r);
}

/* ---- Deadlock and guard rails ---- */

static void test_world_deadlock_lists_who_waits_for_whom(void)
{
	TestRun r = test_run_text("process a { receive b  send b \"x\" }\n"
				  "process b { receive a  send a \"x\" }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DEADLOCK);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- deadlock: a stuck in receive"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "waits for: b"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "waits for: a"));
	test_run_free(&r);
}

static void test_world_expected_deadlock_exits_zero(void)
{
	TestRun r = test_run_text("mailbox m\n"
				  "process a { receive m }\n"
				  "expect deadlock\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "waits for: nobody"));
	test_run_free(&r);
}

static void test_world_max_steps_stops_a_runaway_loop(void)
{
	SimWorldOptions opt = { .max_steps = 1000 };
	TestRun r = test_run_text("process spin { loop { } }\n", TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_STEP_LIMIT);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- stopped: --max-steps"));
	test_run_free(&r);
}

static void test_world_max_time_stops_an_endless_timer_loop(void)
{
	SimWorldOptions opt = { .max_time = 5 * SIM_MS };
	TestRun r = test_run_text("process tick { loop { sleep 1ms } }\n", FALSE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_LIMIT);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT(sim_world_now(r.w) > 5 * SIM_MS && sim_world_now(r.w) <= 6 * SIM_MS + SIM_US);
	test_run_free(&r);
}

static void test_world_max_steps_says_how_to_raise_it(void)
{
	SimWorldOptions opt = { .max_steps = 1000 };
	TestRun r = test_run_text("process spin { loop { compute 1us } }\n", TRUE, &opt);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- stopped: --max-steps 1,000 reached at"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "raise it with --max-steps N"));
	test_run_free(&r);
}

/* A student's loop without a break stops at the default limit, counted in statements. */
static void test_world_default_step_limit_stops_a_loop_without_a_break(void)
{
	TestRun r = test_run_text("process spin { loop { compute 1us } }\n", FALSE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_STEP_LIMIT);
	CU_ASSERT_EQUAL(r.w->steps, 10000000);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	test_run_free(&r);
}

/* ---- Time overflow ---- */

static void test_world_clock_overflow_stops_with_guard_rail(void)
{
	TestRun r = test_run_text("process p { sleep 9223372036s  sleep 9223372036s }\n", TRUE,
				  NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_OVERFLOW);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_EQUAL(r.w->steps, 2);
	CU_ASSERT(sim_world_now(r.w) > 0 && sim_world_now(r.w) < SIM_TIME_MAX);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- stopped: simulated time overflows: p's sleep "
					     "(line 1) adds 9223372036s to 9223372036.000002s"));
	test_run_free(&r);
}

static void test_world_cost_overflow_stops_with_guard_rail(void)
{
	TestRun r = test_run_text("cost byte=9223372036s\n"
				  "mailbox A\n"
				  "process p { send A \"hello\"  send A \"again\" }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_OVERFLOW);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_EQUAL(test_run_mbox(&r, "A")->sent, 1); /* the call finished, then the stop */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "p's send (line 3) costs more time than"));
	test_run_free(&r);
}

static void test_world_deadline_overflow_stops_with_guard_rail(void)
{
	TestRun r = test_run_text("posix queue \"/t\" maxmsg=1 msgsize=16\n"
				  "process p {\n"
				  "  sleep 1s\n"
				  "  mq_receive \"/t\" timeout=9223372036s -> m\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_OVERFLOW);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "p's mq_receive (line 4) adds 9223372036s to 1.000002s"));
	test_run_free(&r);
}

static void test_world_switch_cost_overflow_stops_with_guard_rail(void)
{
	TestRun r = test_run_text("cost switch=9223372036s\n"
				  "process a { sleep 9223372035s }\n"
				  "process b { }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_OVERFLOW);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "the context switch to"));
	test_run_free(&r);
}

/* ---- Memory ---- */

static void test_world_memory_guard_names_the_growing_mailbox(void)
{
	SimWorldOptions opt = { .max_memory = 1 << 20 };
	const char *text = "mailbox A\n"
			   "process p { loop { send A \"hello\" } }\n";
	TestRun r = test_run_text(text, TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	/* It stops at the first statement over the limit: one message too many. */
	CU_ASSERT(sim_world_memory(r.w) > opt.max_memory);
	CU_ASSERT(sim_world_memory(r.w) <= opt.max_memory + sizeof(SimMsg));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- stopped: --max-memory 1.0 MiB reached at"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, ": mailbox A holds "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "raise it with --max-memory SIZE"));
	/* Deterministic: the same scenario stops at the same step. */
	TestRun again = test_run_text(text, FALSE, &opt);
	CU_ASSERT_EQUAL(again.w->steps, r.w->steps);
	test_run_free(&again);
	test_run_free(&r);
}

static void test_world_memory_guard_names_a_received_log(void)
{
	SimWorldOptions opt = { .max_memory = 1 << 20 };
	TestRun r = test_run_text("mailbox A capacity=4\n"
				  "process s { loop { send A \"hello\" } }\n"
				  "process r { loop { receive A } }\n"
				  "expect r received [\"hello\"]\n",
				  TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "the log of what r received"));
	test_run_free(&r);
}

static void test_world_memory_guard_counts_pipes_and_descriptors(void)
{
	SimWorldOptions opt = { .max_memory = 4 << 20 };
	TestRun r = test_run_text("process p rlimit_nofile=100000000 { loop { pipe -> q } }\n",
				  TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	/* A pipe counts its 16 pages: about 64 pipes (128 descriptors) fill 4 MiB. */
	CU_ASSERT(r.w->steps < 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, ": p holds "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, " open descriptors"));
	test_run_free(&r);
}

static void test_world_memory_guard_counts_queues_kept_after_removal(void)
{
	SimWorldOptions opt = { .max_memory = 1 << 20 };
	TestRun r = test_run_text("sysctl msgmni=32000\n"
				  "process p { loop {\n"
				  "  msgget key=private create perm=0600 -> q\n"
				  "  msgctl q rmid\n"
				  "} }\n",
				  TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, " SysV queues made"));
	test_run_free(&r);
}

static void test_world_memory_guard_stops_a_text_that_doubles(void)
{
	SimWorldOptions opt = { .max_memory = 1 << 20 };
	TestRun r = test_run_text("mailbox b\n"
				  "process a {\n"
				  "  send b \"xxxxxxxxxxxxxxxx\"\n"
				  "  receive b -> m\n"
				  "  loop { send b \"$m$m\"  receive b -> m }\n"
				  "}\n",
				  TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "a's send (line 5) would build a text of"));
	/* The text it refused is no longer than half of the limit, and was never built. */
	CU_ASSERT(r.w->scratch->len <= opt.max_memory / 2);
	test_run_free(&r);
}

/* What goes is uncharged: a hundred pipes and messages made and gone leave the count
 * where one of each leaves it. */
static void test_world_memory_is_given_back_when_objects_go(void)
{
#define GIVEN_BACK(N)                                                                       \
	"mailbox A\n"                                                                        \
	"process p { repeat " N " { pipe -> q  close q.r  close q.w } }\n"                    \
	"process s { repeat " N " as i { send A \"$i\" } }\n"                                 \
	"process r { repeat " N " { receive A -> m } }\n"
	TestRun one = test_run_text(GIVEN_BACK("1"), FALSE, NULL);
	TestRun many = test_run_text(GIVEN_BACK("100"), FALSE, NULL);
#undef GIVEN_BACK
	CU_ASSERT_EQUAL(many.w->pool.live, 1); /* the last message, in r's variable */
	CU_ASSERT_EQUAL(many.w->pool.text_bytes, one.w->pool.text_bytes + 1); /* "99" vs "0" */
	CU_ASSERT_EQUAL(many.w->mem, one.w->mem);
	test_run_free(&one);
	test_run_free(&many);
}

/* A rail that stops a task in the middle of its turn on the CPU: its summary counts the
 * CPU time of that turn, up to the stop. */
static void test_world_summary_counts_the_cpu_of_a_task_stopped_running(void)
{
	SimWorldOptions opt = { .max_time = 5 * SIM_S };
	TestRun r = test_run_text("process p { loop { compute 1s } }\n", TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_TIME_LIMIT);
	CU_ASSERT_EQUAL(test_run_task(&r, "p")->state, SIM_STATE_RUNNING);
	CU_ASSERT_EQUAL(sim_task_cpu(test_run_task(&r, "p"), sim_world_now(r.w)),
			sim_world_now(r.w));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- task p          running  cpu 5.000000001s,"));
	test_run_free(&r);
}

/* With a limit the process fits in but its start event's heap does not, the event heap is
 * what is named: not "timer events" in a scenario that has none. */
static void test_world_memory_guard_names_the_event_heap(void)
{
	SimWorldOptions opt = { .max_memory = 1500 };
	TestRun r = test_run_text("process p { compute 1ms }\n", TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, ": the event heap has room for 64 events ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "), 0 pending ("));
	CU_ASSERT_PTR_NULL(strstr(r.out, "timer events"));
	test_run_free(&r);
}

/* Every process holds every declared POSIX queue open: a few lines declare millions of
 * descriptors. The rail is asked before they are made, and the run stops at its start. */
static void test_world_memory_guard_stops_declared_posix_queues_before_the_run(void)
{
	SimWorldOptions opt = { .max_memory = 16 << 20 };
	GString *text = g_string_new("sysctl mq_queues_max=100000\n"
				     "process v[1000] rlimit_nofile=100000 { }\n"
				     "process w[1000] rlimit_nofile=100000 { }\n");
	for (guint i = 0; i < 2000; i++)
		g_string_append_printf(text, "posix queue \"/x%u\"\n", i);
	TestRun r = test_run_text(text->str, TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_EQUAL(r.w->steps, 0);
	/* Not one of the 4,000,000 descriptors was made. */
	CU_ASSERT(sim_world_memory(r.w) < opt.max_memory);
	CU_ASSERT_EQUAL(r.w->tasks[0].fdt.n, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- stopped: --max-memory 16.0 MiB reached at 0: "
					     "descriptors of declared POSIX queues: 2,000 "
					     "processes each holding 2,000 would take at least "));
	test_run_free(&r);
	g_string_free(text, TRUE);
}

/* The same declarations under the limit: every process gets them at 3, 4, ... */
static void test_world_declared_posix_queues_are_numbered_from_three(void)
{
	g_autoptr(GError) error = NULL;
	const char *text = "posix queue \"/a\"\nposix queue \"/b\"\n"
			   "process p { }\nprocess q { }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions opt = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	CU_ASSERT_PTR_NULL(w->setup_what);
	for (guint t = 0; t < 2; t++) {
		CU_ASSERT_PTR_NOT_NULL(sim_fdt_get(&w->tasks[t].fdt, 3));
		CU_ASSERT_PTR_NOT_NULL(sim_fdt_get(&w->tasks[t].fdt, 4));
		CU_ASSERT_EQUAL(sim_fdt_alloc(&w->tasks[t].fdt, 0), 5);
		/* A hole is found again first. */
		SimFile *f = sim_fdt_remove(&w->tasks[t].fdt, 3);
		CU_ASSERT_EQUAL(sim_fdt_alloc(&w->tasks[t].fdt, 0), 3);
		CU_ASSERT_EQUAL(sim_fdt_alloc(&w->tasks[t].fdt, 4), 5);
		sim_fdt_install(&w->tasks[t].fdt, 3, f);
		CU_ASSERT_EQUAL(sim_fdt_alloc(&w->tasks[t].fdt, 0), 5);
	}
	CU_ASSERT_EQUAL(sim_world_run(w), SIM_RUN_DONE);
}

/* ---- Dispatch cost ---- */

/* A dispatch lists at most 64 ready tasks: with thousands ready it looks at a bounded part
 * of the queue, and with no trace at all at none of it. */
static void test_world_dispatch_looks_at_a_bounded_part_of_the_ready_queue(void)
{
	const char *text = "scheduler rr quantum=1us\n"
			   "process r[1000] { loop { compute 1us } }\n"
			   "process s[1000] { loop { compute 1us } }\n"
			   "process t[1000] { loop { compute 1us } }\n";
	SimWorldOptions opt = { .max_steps = 6000 };
	TestRun traced = test_run_text(text, TRUE, &opt);
	CU_ASSERT_EQUAL(traced.w->status, SIM_RUN_STEP_LIMIT);
	CU_ASSERT(traced.w->switches >= 3000);
	/* At most 2 * 64 + 1 entries per dispatch (sorting the queue would be 3000). */
	CU_ASSERT(traced.w->sched.snapshot_visits <= (traced.w->switches + 1) * 129);
	TestRun quiet = test_run_text(text, FALSE, &opt);
	CU_ASSERT_EQUAL(quiet.w->sched.snapshot_visits, 0);
	CU_ASSERT_EQUAL(quiet.w->steps, traced.w->steps);
	test_run_free(&quiet);
	test_run_free(&traced);
}

/* ---- Exit cost ---- */

/* A server on its own port answers n clients; a process starts after it, and one process
 * forks a child and kills it while it is ready. Returns the tasks, mailboxes and
 * descriptor slots exits looked at, per exit. */
static double visits_per_exit(guint n)
{
	g_autofree char *text = g_strdup_printf(
		"scheduler fifo\n"
		"port requests owner=server\n"
		"process server { repeat %u { receive requests -> r\n send $r \"x\" } }\n"
		"process w[%u] { send requests \"q\"\n receive server -> r }\n"
		"process late start=after(server) { }\n"
		"process p { fork c { sleep 1s }\n kill c SIGKILL }\n",
		n, n);
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DONE);
	guint exits = 0;
	for (guint i = 0; i < r.w->n_tasks; i++)
		exits += r.w->tasks[i].state == SIM_STATE_EXITED ? 1 : 0;
	CU_ASSERT_EQUAL(exits, n + 4);
	double per = (double)r.w->exit_visits / exits;
	test_run_free(&r);
	return per;
}

/* An exit touches what the task holds (its descriptors, its mailboxes, its children, the
 * tasks that start after it), never every task or mailbox: the count per exit is the same
 * small number with a hundred processes as with ten thousand. */
static void test_world_an_exit_looks_only_at_what_the_task_holds(void)
{
	double small = visits_per_exit(100), large = visits_per_exit(10000);
	CU_ASSERT(small >= 1.0 && small <= 4.0);
	CU_ASSERT(large >= 1.0 && large <= 4.0);
	CU_ASSERT(large <= small + 0.01);
}

/* Processes that alone would pass the memory rail stop the run before it starts, with the
 * rail's message, not a crash. */
static void test_world_memory_guard_counts_every_process(void)
{
	SimWorldOptions opt = { .max_memory = 100000 };
	TestRun r = test_run_text("process w[1000] { }\n", TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_MEMORY_LIMIT);
	CU_ASSERT_EQUAL(r.w->steps, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "processes: 1,000 processes each holding "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, " before the run starts"));
	test_run_free(&r);
	/* One process fits, and what it holds is counted. */
	TestRun one = test_run_text("process w { }\n", FALSE, &opt);
	CU_ASSERT_EQUAL(one.w->status, SIM_RUN_DONE);
	CU_ASSERT(sim_world_memory(one.w) >= sizeof(SimTask) + sizeof(SimMbox));
	test_run_free(&one);
}

/* --quiet: a trace whose only sink writes the report builds no ready list either, while a
 * sink that writes events does (so the test can tell the two apart). */
static gboolean visits_with_sink(gboolean report_only, guint64 *visits)
{
	const char *text = "scheduler rr quantum=1us\n"
			   "process r[200] { loop { compute 1us } }\n";
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (!scn)
		return FALSE;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, mem, FALSE, report_only);
	SimWorldOptions opt = { .max_steps = 2000, .trace = tr };
	SimWorld *w = sim_world_new(scn, &opt);
	sim_world_run(w);
	*visits = w->sched.snapshot_visits;
	sim_report_finish(w, tr);
	sim_trace_free(tr);
	fclose(mem);
	free(buf);
	sim_world_free(w);
	sim_scn_free(scn);
	return TRUE;
}

static void test_world_a_report_only_trace_builds_no_ready_list(void)
{
	guint64 events = 0, report = 0;
	CU_ASSERT_FATAL(visits_with_sink(FALSE, &events));
	CU_ASSERT_FATAL(visits_with_sink(TRUE, &report));
	CU_ASSERT(events > 0);
	CU_ASSERT_EQUAL(report, 0);
}

/* Nothing is built for a trace nobody reads: with a sink that writes only the report (as
 * --quiet makes it), no call, wake-up, dispatch or exit builds an event; with a sink that
 * writes events, they are built (so the test can tell the two apart). Returns how many. */
static guint64 events_with_sink(gboolean report_only)
{
	const char *text = "mailbox m capacity=1\n"
			   "sysv queue q key=private\n"
			   "process p { repeat 3 { send m \"x\" }\n msgsnd q \"y\"\n sleep 1us\n"
			   " print \"done\" }\n"
			   "process c { repeat 3 { receive m }\n msgrcv q\n on SIGUSR1 handler\n"
			   " kill p SIGUSR1 }\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	g_autoptr(SimTrace) tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, mem, FALSE, report_only);
	SimWorldOptions opt = { .trace = tr };
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	sim_world_run(w);
	CU_ASSERT(w->n_tasks == 2 && w->tasks[1].n_received == 4);
	guint64 events = w->events;
	sim_report_finish(w, tr);
	sim_trace_flush(tr);
	fclose(mem);
	free(buf);
	return events;
}

static void test_world_a_report_only_trace_builds_no_event(void)
{
	CU_ASSERT_EQUAL(events_with_sink(TRUE), 0);
	CU_ASSERT(events_with_sink(FALSE) > 10);
}

/* ---- The trace on a terminal ---- */

static void test_world_trace_line_cap_leaves_out_events_but_keeps_the_report(void)
{
	g_autoptr(GError) error = NULL;
	const char *text = "process spin { loop { compute 1us } }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	g_autoptr(SimTrace) tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, mem, FALSE, FALSE);
	sim_trace_limit_lines(tr, 5);
	SimWorldOptions opt = { .max_steps = 1000, .trace = tr };
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	sim_world_run(w);
	sim_report_finish(w, tr);
	sim_trace_flush(tr);
	fclose(mem);
	guint lines = 0;
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	/* 5 events, the note, the stop, the task, the result */
	CU_ASSERT_EQUAL(lines, 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "-- 497 more trace lines left out after the first 5 "
					   "(--max-lines); to see them all, write the trace to "
					   "a file with --output FILE, or use --max-lines 0\n"
					   "-- stopped: --max-steps 1,000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "-- result: stopped by a guard rail"));
	free(buf);
}

/* ---- Expectations and the verdict ---- */

static void test_world_failed_expectation_exits_one_and_says_what_was_seen(void)
{
	TestRun r = test_run_text("mailbox m\n"
				  "process s { send m \"a\" }\n"
				  "process r { receive m }\n"
				  "expect r received [\"b\"]\n"
				  "expect m received=1\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_EXPECT_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- expect (line 4) FAIL: r received [\"b\"]; "
					     "seen: received [1 \"a\" from s]"));
	test_run_free(&r);
}

static void test_world_label_ok_means_returned_without_blocking(void)
{
	TestRun r = test_run_text("mailbox m capacity=0\n"
				  "process s { @first send m \"x\"  @second send m \"y\" }\n"
				  "process r start=1ms { receive m  receive m }\n"
				  "expect @first ok\n"
				  "expect @first blocked\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	test_run_free(&r);
}

static void test_world_same_scenario_prints_identical_traces(void)
{
	const char *text = "scheduler rr quantum=3us\n"
			   "mailbox b capacity=2\n"
			   "process p[2] { repeat 5 as i { send b \"$self $i\" } }\n"
			   "process c[2] { repeat 5 { receive b -> m  compute 2us } }\n";
	TestRun a = test_run_text(text, TRUE, NULL);
	TestRun b = test_run_text(text, TRUE, NULL);
	CU_ASSERT_STRING_EQUAL(a.out, b.out);
	CU_ASSERT_EQUAL(a.verdict.exit_status, SIM_EXIT_OK);
	test_run_free(&a);
	test_run_free(&b);
}

/* ---- The call hook ---- */

static void log_call(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		     SimCallPhase phase)
{
	static const char *const phases[] = { [SIM_CALL_STARTED] = "started",
					      [SIM_CALL_BLOCKED] = "blocked",
					      [SIM_CALL_FINISHED] = "finished",
					      [SIM_CALL_EXITED] = "exited",
					      [SIM_CALL_KILLED] = "killed" };
	GString *log = data;
	if (!st) {
		g_string_append_printf(log, "%s:%s ", t->name, phases[phase]);
		return;
	}
	g_string_append_printf(log, "%s:%u:%s", t->name, st->loc.line, phases[phase]);
	if (phase == SIM_CALL_FINISHED)
		g_string_append_printf(log, "=%" G_GINT64_FORMAT, w->results[st->id].ret);
	g_string_append_c(log, ' ');
}

static void test_world_call_hook_sees_every_call_start_block_and_return_in_run_order(void)
{
	g_autoptr(GString) log = g_string_new(NULL);
	SimWorldOptions opt = { .hook = { log_call, log } };
	TestRun r = test_run_text("process a {\n"
				  "  pipe -> p\n"
				  "  fork b { write p.w \"hey\" }\n"
				  "  read p.r size=10\n"
				  "}\n",
				  FALSE, &opt);
	/* A blocked call is started once, blocks, and finishes when it runs again. */
	CU_ASSERT_STRING_EQUAL(log->str, "a:2:started a:2:finished=3 a:3:started a:3:finished=0 "
					 "a:4:started a:4:blocked b:3:started b:3:finished=3 "
					 "b:exited a:4:finished=3 a:exited ");
	test_run_free(&r);
}

/* Woken first: the reader woken by the first write reads before the writer's second write
 * (the kernel's woken task runs on the other CPU); the default schedule lets the writer go
 * on, so the reader gets both writes at once. A killed task is told too. */
static void test_world_woken_first_finishes_a_woken_call_before_the_next_call(void)
{
	const char *text = "process a {\n"
			   "  pipe -> p\n"
			   "  fork b {\n"
			   "    write p.w \"1\"\n"
			   "    write p.w \"2\"\n"
			   "    kill a SIGTERM\n"
			   "  }\n"
			   "  read p.r size=10\n"
			   "  read p.r size=10\n"
			   "}\n";
	g_autoptr(GString) plain = g_string_new(NULL);
	SimWorldOptions opt = { .hook = { log_call, plain } };
	TestRun r = test_run_text(text, FALSE, &opt);
	CU_ASSERT_STRING_EQUAL(plain->str, "a:2:started a:2:finished=3 a:3:started a:3:finished=0 "
					   "a:8:started a:8:blocked b:4:started b:4:finished=1 "
					   "b:5:started b:5:finished=1 b:6:started b:6:finished=0 "
					   "a:killed b:exited ");
	test_run_free(&r);

	g_autoptr(GString) first = g_string_new(NULL);
	SimWorldOptions opt2 = { .hook = { log_call, first }, .woken_first = TRUE };
	r = test_run_text(text, FALSE, &opt2);
	CU_ASSERT_STRING_EQUAL(first->str, "a:2:started a:2:finished=3 a:3:started a:3:finished=0 "
					   "a:8:started a:8:blocked b:4:started b:4:finished=1 "
					   "a:8:finished=1 a:9:started a:9:blocked "
					   "b:5:started b:5:finished=1 a:9:finished=1 a:exited "
					   "b:6:started b:6:finished=-1 b:exited ");
	test_run_free(&r);
}

CU_TestInfo world_tests[] = {
	{ "the call hook sees every call start, block and return in run order",
	  test_world_call_hook_sees_every_call_start_block_and_return_in_run_order },
	{ "woken first finishes a woken call before the next call",
	  test_world_woken_first_finishes_a_woken_call_before_the_next_call },
	{ "syscall cost advances the clock", test_world_syscall_cost_advances_the_clock },
	{ "switch cost is charged between different tasks",
	  test_world_switch_cost_is_charged_between_different_tasks },
	{ "sleep blocks on a timer and counts as blocked time",
	  test_world_sleep_blocks_on_a_timer_and_counts_as_blocked_time },
	{ "start time and after() delay the first dispatch",
	  test_world_start_time_and_after_delay_the_first_dispatch },
	{ "fifo runs each task until it blocks", test_world_fifo_runs_each_task_until_it_blocks },
	{ "rr slices compute by the quantum", test_world_rr_slices_compute_by_the_quantum },
	{ "priority preempts a computing task", test_world_priority_preempts_a_computing_task },
	{ "random scheduler is repeatable for a seed",
	  test_world_random_scheduler_is_repeatable_for_a_seed },
	{ "blocked receiver is woken by the sender",
	  test_world_blocked_receiver_is_woken_by_the_sender },
	{ "owner exit fails waiters with EIDRM", test_world_owner_exit_fails_waiters_with_eidrm },
	{ "send to an exited process's inbox gets ESRCH",
	  test_world_sender_blocked_on_exited_inbox_gets_esrch_later },
	{ "no message is lost or leaked", test_world_no_message_is_lost_or_leaked },
	{ "deadlock lists who waits for whom", test_world_deadlock_lists_who_waits_for_whom },
	{ "expected deadlock exits zero", test_world_expected_deadlock_exits_zero },
	{ "max-steps stops a runaway loop", test_world_max_steps_stops_a_runaway_loop },
	{ "max-time stops an endless timer loop", test_world_max_time_stops_an_endless_timer_loop },
	{ "max-steps says how to raise it", test_world_max_steps_says_how_to_raise_it },
	{ "the default step limit stops a loop without a break",
	  test_world_default_step_limit_stops_a_loop_without_a_break },
	{ "clock overflow stops with the guard rail",
	  test_world_clock_overflow_stops_with_guard_rail },
	{ "cost overflow stops with the guard rail", test_world_cost_overflow_stops_with_guard_rail },
	{ "deadline overflow stops with the guard rail",
	  test_world_deadline_overflow_stops_with_guard_rail },
	{ "switch cost overflow stops with the guard rail",
	  test_world_switch_cost_overflow_stops_with_guard_rail },
	{ "memory guard names the growing mailbox",
	  test_world_memory_guard_names_the_growing_mailbox },
	{ "memory guard names a received log", test_world_memory_guard_names_a_received_log },
	{ "memory guard counts pipes and descriptors",
	  test_world_memory_guard_counts_pipes_and_descriptors },
	{ "memory guard counts queues kept after removal",
	  test_world_memory_guard_counts_queues_kept_after_removal },
	{ "memory guard stops a text that doubles",
	  test_world_memory_guard_stops_a_text_that_doubles },
	{ "memory is given back when objects go", test_world_memory_is_given_back_when_objects_go },
	{ "summary counts the cpu of a task stopped running",
	  test_world_summary_counts_the_cpu_of_a_task_stopped_running },
	{ "memory guard names the event heap", test_world_memory_guard_names_the_event_heap },
	{ "memory guard stops declared POSIX queues before the run",
	  test_world_memory_guard_stops_declared_posix_queues_before_the_run },
	{ "declared POSIX queues are numbered from three",
	  test_world_declared_posix_queues_are_numbered_from_three },
	{ "dispatch looks at a bounded part of the ready queue",
	  test_world_dispatch_looks_at_a_bounded_part_of_the_ready_queue },
	{ "a report-only trace builds no ready list",
	  test_world_a_report_only_trace_builds_no_ready_list },
	{ "a report-only trace builds no event", test_world_a_report_only_trace_builds_no_event },
	{ "an exit looks only at what the task holds",
	  test_world_an_exit_looks_only_at_what_the_task_holds },
	{ "memory guard counts every process", test_world_memory_guard_counts_every_process },
	{ "the trace line cap leaves out events but keeps the report",
	  test_world_trace_line_cap_leaves_out_events_but_keeps_the_report },
	{ "failed expectation exits 1 and says what was seen",
	  test_world_failed_expectation_exits_one_and_says_what_was_seen },
	{ "label ok means returned without blocking",
	  test_world_label_ok_means_returned_without_blocking },
	{ "same scenario prints identical traces",
	  test_world_same_scenario_prints_identical_traces },
	CU_TEST_INFO_NULL,
};

/* test_thread.c — threads: `thread NAME { }` and `join NAME`, the shared descriptor table,
 * a close while another thread is blocked in read, exit_group, and their footprints.
 */
#include <errno.h>
#include <string.h>

#include "msgsim/calls/call.h"
#include "msgsim/engine/world.h"
#include "msgsim/lang/scn.h"
#include "tests.h"

static char *parse_error(const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NULL(scn);
	return error ? g_strdup(error->message) : NULL;
}

/* ---- Parsing ---- */

static void test_thread_declares_a_task_that_starts_when_its_statement_runs(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    sleep 1ms\n"
				  "    thread t { compute 1us }\n"
				  "    join t\n"
				  "}\n",
				  FALSE, NULL);
	const SimTask *t = test_run_task(&r, "t");
	CU_ASSERT_EQUAL(t->proc->start, SIM_START_THREAD);
	CU_ASSERT_EQUAL(t->group, test_run_task(&r, "main")->id);
	CU_ASSERT_EQUAL(t->pid, test_run_task(&r, "main")->pid); /* getpid is the process's */
	CU_ASSERT_EQUAL(t->state, SIM_STATE_EXITED);
	CU_ASSERT_TRUE(t->blocked_time == 0 && t->cpu_time == SIM_US);
	test_run_free(&r);
}

static void test_thread_join_needs_a_thread_of_the_same_process(void)
{
	g_autofree char *e1 = parse_error("process a { thread t { } }\n"
					  "process b { join t }\n");
	CU_ASSERT_PTR_NOT_NULL(e1);
	if (e1)
		CU_ASSERT_STRING_EQUAL(e1, "x.scn:2:18: error: 't' is not a thread of process 'b': "
					   "'join' needs a thread that this process starts with "
					   "'thread t { ... }' before it");
	g_autofree char *e2 = parse_error("process a { fork c { } join c }\n");
	CU_ASSERT_PTR_NOT_NULL(e2);
	if (e2)
		CU_ASSERT_PTR_NOT_NULL(strstr(e2, "'c' is not a thread of process 'a'"));
	g_autofree char *e3 = parse_error("process a { repeat 2 { thread t { } } }\n");
	CU_ASSERT_PTR_NOT_NULL(e3);
	if (e3)
		CU_ASSERT_PTR_NOT_NULL(strstr(e3, "'thread' inside a repeat or loop"));
	g_autofree char *e4 = parse_error("process a { thread t { } wait t }\n");
	CU_ASSERT_PTR_NOT_NULL(e4); /* a thread is no child: wait cannot take it */
}

/* ---- The shared table ---- */

static void test_thread_sees_the_descriptors_its_process_opens_and_closes(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    thread maker { @p pipe -> p  write p.w \"hi\" }\n"
				  "    join maker\n"
				  "    @r read 3 size=8\n"
				  "    close 4\n"
				  "    thread late { @w write 4 \"x\" }\n"
				  "    join late\n"
				  "}\n"
				  "expect maker@p ok\n"
				  "expect main@r ret=2\n"
				  "expect late@w errno=EBADF\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "r"), 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "w"), EBADF);
	test_run_free(&r);
}

/* Linux: close succeeds and frees the number, the blocked read goes on and gets the bytes
 * a writer sends later; only then is the read end released (a later write: EPIPE). */
static void test_thread_close_leaves_another_threads_blocked_read_going(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    pipe -> p\n"
				  "    on SIGPIPE ignore\n"
				  "    thread reader { @r read p.r size=16 }\n"
				  "    sleep 1ms\n"
				  "    @c close p.r\n"
				  "    @q pipe -> q\n"
				  "    @w write p.w \"hello\"\n"
				  "    join reader\n"
				  "    @late write p.w \"again\"\n"
				  "}\n"
				  "expect main@c ok\n"
				  "expect main@q ret=3\n"
				  "expect main@w ret=5\n"
				  "expect main@late errno=EPIPE\n"
				  "expect reader@r blocked then ok ret=5\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "w"), 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "late"), EPIPE);
	CU_ASSERT_EQUAL(test_run_task(&r, "reader")->n_received, 1);
	CU_ASSERT_PTR_NULL(test_run_task(&r, "reader")->io_file); /* the hold went back */
	test_run_free(&r);
}

/* ---- exit_group ---- */

static void test_thread_exit_in_a_thread_ends_the_whole_process(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    pipe -> p\n"
				  "    thread quitter { sleep 1ms  exit 3 }\n"
				  "    thread stuck { read p.r }\n"
				  "    read p.r\n"
				  "}\n",
				  FALSE, NULL);
	const SimTask *m = test_run_task(&r, "main"), *s = test_run_task(&r, "stuck");
	CU_ASSERT_EQUAL(m->state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(m->exit_code, 3);
	CU_ASSERT_EQUAL(m->killed_by, 0);
	CU_ASSERT_EQUAL(s->state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(s->group_end, SIM_GROUP_ENDED);
	CU_ASSERT_EQUAL(test_run_task(&r, "quitter")->group_end, SIM_GROUP_EXIT);
	test_run_free(&r);
}

static void test_thread_main_body_end_ends_the_threads(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    pipe -> p\n"
				  "    thread stuck { read p.r }\n"
				  "    sleep 1ms\n"
				  "}\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "stuck")->state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(test_run_task(&r, "main")->exit_code, 0);
	test_run_free(&r);
}

static void test_thread_a_fatal_signal_kills_every_thread(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    pipe -> p\n"
				  "    thread stuck { read p.r }\n"
				  "    read p.r\n"
				  "}\n"
				  "process killer { sleep 1ms  kill main SIGTERM }\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "main")->killed_by, SIGTERM);
	CU_ASSERT_EQUAL(test_run_task(&r, "stuck")->killed_by, SIGTERM);
	test_run_free(&r);
}

/* A thread that has not started does not exist: kill of its name is ESRCH, the signal goes
 * nowhere, and the thread still starts when its statement runs. */
static void test_thread_kill_of_a_thread_not_started_is_esrch(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    sleep 1ms\n"
				  "    thread t { compute 1us }\n"
				  "    join t\n"
				  "}\n"
				  "process early { @k kill t SIGTERM }\n"
				  "expect early@k errno=ESRCH\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "k"), ESRCH);
	CU_ASSERT_EQUAL(test_run_task(&r, "t")->killed_by, 0);
	CU_ASSERT_EQUAL(test_run_task(&r, "main")->killed_by, 0);
	CU_ASSERT_EQUAL(r.w ? sim_world_status(r.w) : SIM_RUN_DEADLOCK, SIM_RUN_DONE);
	test_run_free(&r);
}

/* glibc's setuid changes every thread's credentials: after a thread leaves root, the main
 * thread is refused a queue root made with mode 0600. */
static void test_thread_setuid_in_a_thread_is_the_processs(void)
{
	TestRun r = test_run_text("sysv queue q key=0x7e2 perm=0600\n"
				  "process main {\n"
				  "    thread helper { setuid 1000 }\n"
				  "    join helper\n"
				  "    @after msgsnd q type=1 \"x\"\n"
				  "}\n"
				  "expect main@after errno=EACCES\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "after"), EACCES);
	CU_ASSERT_EQUAL(test_run_task(&r, "main")->cred.uid, 1000);
	test_run_free(&r);
}

/* ---- Footprint ---- */

static void test_thread_descriptor_calls_touch_the_process_table(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    pipe -> p\n"
				  "    thread stuck { read p.r }\n"
				  "    read p.r\n"
				  "}\n",
				  FALSE, NULL);
	/* Both are blocked in read now (a deadlock): the thread's read names main's table. */
	SimTask *t = test_run_task(&r, "stuck");
	const SimStmt *st = sim_world_next_stmt(r.w, (guint)t->id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	SimFootprint fp;
	sim_call_footprint(r.w, t, st, &fp);
	gboolean main_table = FALSE, own_table = FALSE;
	for (guint i = 0; i < fp.n; i++) {
		if (fp.refs[i].kind != SIM_OBJ_FDT)
			continue;
		main_table |= fp.refs[i].id == (guint64)test_run_task(&r, "main")->id;
		own_table |= fp.refs[i].id == (guint64)t->id;
	}
	CU_ASSERT_TRUE(main_table);
	CU_ASSERT_FALSE(own_table);
	test_run_free(&r);
}

CU_TestInfo thread_tests[] = {
	{ "thread declares a task that starts when its statement runs",
	  test_thread_declares_a_task_that_starts_when_its_statement_runs },
	{ "join needs a thread of the same process", test_thread_join_needs_a_thread_of_the_same_process },
	{ "a thread sees the descriptors its process opens and closes",
	  test_thread_sees_the_descriptors_its_process_opens_and_closes },
	{ "close leaves another thread's blocked read going",
	  test_thread_close_leaves_another_threads_blocked_read_going },
	{ "exit in a thread ends the whole process", test_thread_exit_in_a_thread_ends_the_whole_process },
	{ "the main body's end ends the threads", test_thread_main_body_end_ends_the_threads },
	{ "a fatal signal kills every thread", test_thread_a_fatal_signal_kills_every_thread },
	{ "setuid in a thread is the process's", test_thread_setuid_in_a_thread_is_the_processs },
	{ "kill of a thread not started is ESRCH", test_thread_kill_of_a_thread_not_started_is_esrch },
	{ "a thread's descriptor calls touch its process's table",
	  test_thread_descriptor_calls_touch_the_process_table },
	CU_TEST_INFO_NULL,
};

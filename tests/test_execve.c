/* test_execve.c — exec { BODY }: execve's effects on a process (sim/calls/call_exec.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "tests.h"

static TestRun run_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	return r;
}

static gboolean traced(const TestRun *r, const char *what)
{
	if (strstr(r->out, what))
		return TRUE;
	fprintf(stderr, "\nnot in the trace: %s\n%s\n", what, r->out);
	return FALSE;
}

static void test_execve_closes_exactly_the_close_on_exec_descriptors(void)
{
	/* pipe2 O_CLOEXEC, F_SETFD and dup3 O_CLOEXEC mark a descriptor; dup and a cleared
	 * F_SETFD do not. The survivors keep their description (its O_NONBLOCK). */
	TestRun r = run_passing("process p {\n"
				"  pipe cloexec -> a\n"		 /* 3 4 */
				"  pipe nonblock -> b\n"	 /* 5 6 */
				"  fcntl b.w setfd=cloexec\n"	 /* 6 */
				"  dup a.r -> plain\n"		 /* 7: no FD_CLOEXEC */
				"  dup3 b.r 9 cloexec -> c\n"	 /* 9 */
				"  fcntl a.w setfd=0\n"		 /* 4 survives */
				"  @x exec {\n"
				"    @r3 fcntl a.r getfd\n"
				"    @r4 fcntl a.w getfd\n"
				"    @r5 fcntl b.r getfl\n"
				"    @r6 fcntl b.w getfd\n"
				"    @r7 fcntl plain getfd\n"
				"    @r9 fcntl c getfd\n"
				"  }\n"
				"}\n"
				"expect @x ret=3\nexpect @r3 errno=EBADF\nexpect @r4 ret=0\n"
				"expect @r5 ret=2048\nexpect @r6 errno=EBADF\nexpect @r7 ret=0\n"
				"expect @r9 errno=EBADF\n",
				7);
	CU_ASSERT(traced(&r, "exec -> ok, 3 closed (3 6 9)"));
	test_run_free(&r);
}

static void test_execve_last_write_end_closed_by_exec_gives_the_reader_eof(void)
{
	/* The reader is asleep in read when the only writer's exec closes the write end: the
	 * close wakes it, and it reads end of file. */
	TestRun first = run_passing("process p {\n"
		    "  pipe -> a\n"
		    "  fcntl a.w setfd=cloexec\n"
		    "  fork kid { close a.w\n @r read a.r }\n"
		    "  close a.r\n"
		    "  sleep 10us\n"
		    "  exec { sleep 1us }\n"
		    "}\n"
		    "expect @r ret=0\nexpect kid exit=0\n",
		    2);
	test_run_free(&first);
	/* Without FD_CLOEXEC the write end survives the exec, and the reader stays asleep
	 * while the new program waits too. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  pipe -> z\n"
				"  fork kid { close a.w\n @r read a.r }\n"
				"  close a.r\n"
				"  sleep 10us\n"
				"  exec { read z.r }\n"
				"}\n"
				"expect deadlock\nexpect kid state=blocked\n",
				2);
	test_run_free(&r);
}

static void test_execve_resets_handlers_and_keeps_ignored_signals(void)
{
	TestRun r = run_passing("process p {\n"
				"  on SIGUSR1 handler\n"
				"  on SIGUSR2 ignore\n"
				"  on SIGTERM handler norestart\n"
				"  exec {\n"
				"    @two kill p SIGUSR2\n"
				"    @one kill p SIGUSR1\n"
				"    print \"never\"\n"
				"  }\n"
				"}\n"
				"expect @two ok\nexpect p killed=SIGUSR1\n",
				2);
	CU_ASSERT(traced(&r, "SIGUSR2 from p: ignored"));
	CU_ASSERT(strstr(r.out, "never") == NULL);
	test_run_free(&r);
}

static void test_execve_starts_the_new_body_with_copied_variables_and_never_returns(void)
{
	/* The new program's first statement runs next; its loops count afresh; what follows
	 * the exec in the old body never runs. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  compute 1us\n"
				"  repeat 2 as i {\n"
				"    exec {\n"
				"      write a.w \"x\"\n"
				"      repeat 3 as j { @in write a.w \"y\" }\n"
				"      @n ioctl a.r fionread\n"
				"    }\n"
				"    print \"old %i\"\n"
				"  }\n"
				"  print \"after\"\n"
				"}\n"
				"expect @n ret=4\nexpect p exit=0\n",
				2);
	CU_ASSERT(strstr(r.out, "old") == NULL);
	CU_ASSERT(strstr(r.out, "after") == NULL);
	test_run_free(&r);
}

static void test_execve_detaches_shared_memory_and_keeps_the_pid(void)
{
	TestRun r = run_passing("process p {\n"
				"  shmget key=private size=100 create -> m\n"
				"  shmat m -> a\n"
				"  exec {\n"
				"    @load shmread a 0 1\n"
				"    @n shmctl m stat\n"
				"    shmctl m rmid\n"
				"  }\n"
				"}\n"
				"expect @load errno=EFAULT\nexpect @n ok\n",
				2);
	CU_ASSERT(traced(&r, "nattch 0, perms 000, cpid p, lpid p"));
	test_run_free(&r);
}

static void test_execve_open_cloexec_marks_the_fifo_descriptor(void)
{
	TestRun r = run_passing("process p {\n"
				"  mkfifo \"/tmp/f\"\n"
				"  open \"/tmp/f\" rdwr cloexec -> a\n"
				"  open \"/tmp/f\" rdwr -> b\n"
				"  @a fcntl a getfd\n"
				"  @b fcntl b getfd\n"
				"  @x exec { @gone fcntl a getfd\n @kept fcntl b getfd }\n"
				"}\n"
				"expect @a ret=1\nexpect @b ret=0\nexpect @x ret=1\n"
				"expect @gone errno=EBADF\nexpect @kept ret=0\n",
				5);
	CU_ASSERT(traced(&r, "open \"/tmp/f\" rdwr cloexec -> ok, fd 3"));
	test_run_free(&r);
}

static void test_execve_needs_the_variables_it_copies_set_before_it(void)
{
	GError *err = NULL;
	const char *text = "process p {\n  close a.r\n  exec { close a.r }\n  pipe -> a\n}\n";
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT(err && strstr(err->message, "used before 'exec'") != NULL);
	if (err && !strstr(err->message, "used before 'exec'"))
		fprintf(stderr, "\n%s\n", err->message);
	g_clear_error(&err);
	sim_scn_free(scn);
}

CU_TestInfo execve_tests[] = {
	{ "closes exactly the close-on-exec descriptors",
	  test_execve_closes_exactly_the_close_on_exec_descriptors },
	{ "last write end closed by exec gives the reader eof",
	  test_execve_last_write_end_closed_by_exec_gives_the_reader_eof },
	{ "resets handlers and keeps ignored signals",
	  test_execve_resets_handlers_and_keeps_ignored_signals },
	{ "starts the new body with copied variables and never returns",
	  test_execve_starts_the_new_body_with_copied_variables_and_never_returns },
	{ "detaches shared memory and keeps the pid",
	  test_execve_detaches_shared_memory_and_keeps_the_pid },
	{ "open cloexec marks the fifo descriptor",
	  test_execve_open_cloexec_marks_the_fifo_descriptor },
	{ "needs the variables it copies set before it",
	  test_execve_needs_the_variables_it_copies_set_before_it },
	CU_TEST_INFO_NULL,
};

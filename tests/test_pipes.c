/* test_pipes.c — pipes, FIFOs, fork and wait end to end: the run-time rules of
 * scenarios/README.md ("Pipes, FIFOs and processes"), each checked through the scenario
 * language, the interpreter and the engine, as a user does, and each as Linux 6.x does it
 * (/work/shared/semantics.md section 3 and the kernel probes).
 *
 * The pipe object's own rules (slots, wake order, sizes) are unit-tested in test_pipe.c.
 */
#include <stdio.h>
#include <string.h>

#include "tests.h"

/* Runs `text` traced; every expectation in it must hold. The trace goes to stderr when one
 * does not, so a failure shows what happened. The caller frees the run. */
static TestRun run_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	return r;
}

static void expect_passing(const char *text, guint n_expects)
{
	TestRun r = run_passing(text, n_expects);
	test_run_free(&r);
}

/* Does the trace have this line fragment? Shows the trace when it does not. */
static gboolean traced(const TestRun *r, const char *what)
{
	if (strstr(r->out, what))
		return TRUE;
	fprintf(stderr, "\nnot in the trace: %s\n%s\n", what, r->out);
	return FALSE;
}

/* ---- fork ---- */

static void test_pipes_fork_copies_integer_and_message_variables(void)
{
	/* The child sees the parent's values; what it changes afterwards is its own. */
	TestRun r = run_passing("mailbox box\n"
				"process parent {\n"
				"  send box \"hi\"\n"
				"  receive box -> m\n"
				"  repeat 3 as i { }\n"
				"  pipe -> p\n"
				"  fork child {\n"
				"    print \"child sees m=$m i=$i\"\n"
				"    close p.w\n"
				"    read p.r -> m\n"
				"    print \"child now m=$m\"\n"
				"  }\n"
				"  close p.r\n"
				"  write p.w \"bye\"\n"
				"  close p.w\n"
				"  wait child\n"
				"  print \"parent still m=$m\"\n"
				"}\n"
				"expect child received [\"bye\"]\n",
				1);
	CU_ASSERT(traced(&r, "print \"child sees m=hi i=2\""));
	CU_ASSERT(traced(&r, "print \"child now m=bye\""));
	CU_ASSERT(traced(&r, "print \"parent still m=hi\""));
	test_run_free(&r);
}

static void test_pipes_fork_child_sees_the_parents_descriptors(void)
{
	/* The child writes through the inherited write end and the parent reads it back. */
	expect_passing("process parent {\n"
		       "  pipe -> p\n"
		       "  fork child { @cw write p.w \"from child\"  @cn write 4 \"!\" }\n"
		       "  wait child\n"
		       "  @pr read p.r -> m\n"
		       "}\n"
		       "expect @cw ok ret=10\nexpect @cn ok ret=1\nexpect @pr ok ret=11\n"
		       "expect parent received [\"from child!\"]\n",
		       4);
}

static void test_pipes_descriptor_closed_in_child_stays_open_in_parent(void)
{
	expect_passing("process parent {\n"
		       "  pipe -> p\n"
		       "  fork child { @c1 close p.w  @c2 close p.w  @cr close p.r }\n"
		       "  wait child\n"
		       "  @w write p.w \"still open\"\n"
		       "  @r read p.r -> m\n"
		       "  @c close p.w\n"
		       "}\n"
		       "expect @c1 ok\nexpect @c2 errno=EBADF\nexpect @cr ok\n"
		       "expect @w ok ret=10\nexpect @r ok ret=10\nexpect @c ok\n",
		       6);
}

/* ---- pipe: descriptors and RLIMIT_NOFILE ---- */

static void test_pipes_pipe_takes_the_two_lowest_free_descriptors(void)
{
	TestRun r = run_passing("process p {\n"
				"  @a pipe -> a\n"
				"  @b pipe -> b\n"
				"  close a.w\n"
				"  @c pipe -> c\n"
				"  @w write 7 \"x\"\n"
				"  @r read 4 -> m\n"
				"}\n"
				"expect @a ret=3\nexpect @b ret=5\nexpect @c ret=4\n"
				"expect @w ok ret=1\nexpect @r ok ret=1\n",
				5);
	CU_ASSERT(traced(&r, "pipe -> ok, fds 3 4 [pipe#1:"));
	CU_ASSERT(traced(&r, "pipe -> ok, fds 5 6 [pipe#2:"));
	CU_ASSERT(traced(&r, "pipe -> ok, fds 4 7 [pipe#3:")); /* the hole, then past b */
	test_run_free(&r);
}

static void test_pipes_pipe_with_room_for_one_descriptor_is_emfile(void)
{
	/* rlimit_nofile=4: descriptors 0-3, so only 3 is free. The failed pipe installs nothing:
	 * the next open still gets 3. */
	expect_passing("process p rlimit_nofile=4 {\n"
		       "  @e pipe -> a\n"
		       "  mkfifo \"/f\"\n"
		       "  @o open \"/f\" rdwr -> d\n"
		       "}\n"
		       "process q rlimit_nofile=5 { @ok pipe -> a }\n"
		       "process h rlimit_nofile=6 {\n"
		       "  pipe -> a\n"
		       "  close a.r\n"
		       "  @hole pipe -> b\n"
		       "  @full pipe -> c\n"
		       "}\n"
		       "expect @e errno=EMFILE\nexpect @o ok ret=3\nexpect @ok ok ret=3\n"
		       "expect @hole ok ret=3\nexpect @full errno=EMFILE\n",
		       5);
}

/* ---- read, write: which descriptors ---- */

static void test_pipes_read_and_write_on_the_wrong_end_are_ebadf(void)
{
	const char *text = "process p {\n"
			   "  pipe -> p\n"
			   "  write p.w \"x\"\n"
			   "  @r read p.w\n"
			   "  @w write p.r \"x\"\n"
			   "  @gone read 9\n"
			   "}\n"
			   "expect @r ok\nexpect @w ok\nexpect @gone ok\n";
	test_expect_label(text, "r", EBADF);
	test_expect_label(text, "w", EBADF);
	test_expect_label(text, "gone", EBADF);
}

/* A queue's file reads as its status line (mqueue_read_file), from the file offset on:
 * the bytes queued, then sigev_notify, the signal and the pid of the registration. A
 * second read is at the end; a nonblock read of one is EOPNOTSUPP (no FMODE_NOWAIT) except
 * for 0 bytes; there is no write (EINVAL). Probed on Linux 6.18. */
static void test_pipes_a_queue_descriptor_reads_as_its_status_line(void)
{
	const char *text = "posix queue \"/q\" maxmsg=4 msgsize=16\n"
			   "process p {\n"
			   "  mq_send \"/q\" \"hello\" prio=3\n"
			   "  mq_send \"/q\" \"yy\" prio=1\n"
			   "  read 3 size=100 -> a\n"
			   "  @end read 3 size=100 -> b\n"
			   "  mq_notify \"/q\" signal=SIGUSR1\n"
			   "  mq_open \"/q\" rdonly -> d\n"
			   "  read d size=10 -> c\n"
			   "  read d size=100 -> e\n"
			   "  @nb read d size=100 nonblock\n"
			   "  @nb0 read d size=0 nonblock\n"
			   "  @w write 3 \"x\"\n"
			   "  mq_notify \"/q\" off\n"
			   "  mq_notify \"/q\" none\n"
			   "  mq_open \"/q\" rdonly -> f\n"
			   "  read f size=100 -> g\n"
			   "}\n"
			   "expect @end ret=0\nexpect @nb errno=EOPNOTSUPP\nexpect @nb0 ret=0\n"
			   "expect @w errno=EINVAL\n"
			   /* p is task 0: its pid is SIM_TASK_PID(0); SIGUSR1 is 10 */
			   "expect p received [\"QSIZE:7          NOTIFY:0     SIGNO:0     "
			   "NOTIFY_PID:0     \\n\", \"QSIZE:7   \", \"       NOTIFY:0     "
			   "SIGNO:10    NOTIFY_PID:100   \\n\", \"QSIZE:7          NOTIFY:1     "
			   "SIGNO:0     NOTIFY_PID:100   \\n\"]\n";
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_task(&r, "p")->received->len, 4);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "end"), 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "nb"), EOPNOTSUPP);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "nb0"), 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "w"), EINVAL);
	test_run_free(&r);
}

static void test_pipes_read_or_write_on_a_queue_descriptor_without_that_access_is_ebadf(void)
{
	/* vfs_read/vfs_write check FMODE_READ/FMODE_WRITE before anything else (probed on
	 * Linux 6.18: read of an O_WRONLY queue and write of an O_RDONLY one are EBADF). */
	const char *text = "process p {\n"
			   "  mq_open \"/q\" create wronly -> wo\n"
			   "  mq_open \"/q\" rdonly -> ro\n"
			   "  @r read wo\n"
			   "  @w write ro \"x\"\n"
			   "}\n"
			   "expect @r ok\nexpect @w ok\n";
	test_expect_label(text, "r", EBADF);
	test_expect_label(text, "w", EBADF);
}

/* ---- per-call nonblock (RWF_NOWAIT) ---- */

static void test_pipes_per_call_nonblock_on_a_fifo_is_eopnotsupp(void)
{
	/* Only pipe(2) files have FMODE_NOWAIT: refused even with data queued. */
	const char *text = "process p {\n"
			   "  mkfifo \"/f\"\n"
			   "  open \"/f\" rdwr -> f\n"
			   "  write f \"data\"\n"
			   "  @r read f nonblock\n"
			   "  @w write f \"x\" nonblock\n"
			   "  @plain read f -> m\n"
			   "}\n"
			   "expect @r ok\nexpect @w ok\nexpect @plain ok\n";
	test_expect_label(text, "r", EOPNOTSUPP);
	test_expect_label(text, "w", EOPNOTSUPP);
	test_expect_label(text, "plain", 0);
}

static void test_pipes_per_call_nonblock_on_a_pipe_is_for_that_call_only(void)
{
	/* EAGAIN for the one call; the descriptor stays blocking, so the next read waits. */
	expect_passing("process p {\n"
		       "  pipe -> p\n"
		       "  fork w { close p.r  sleep 1ms  write p.w \"late\" }\n"
		       "  close p.w\n"
		       "  @nb read p.r nonblock\n"
		       "  @b read p.r -> m\n"
		       "}\n"
		       "process f {\n"
		       "  pipe -> q\n"
		       "  @fill write q.w size=65536 nonblock\n"
		       "  @full write q.w \"x\" nonblock\n"
		       "}\n"
		       "expect @nb errno=EAGAIN\nexpect @b blocked ret=4\n"
		       "expect p received [\"late\"]\n"
		       "expect @fill ok ret=65536\nexpect @full errno=EAGAIN\n",
		       5);
}

/* ---- deadlock report ---- */

static void test_pipes_forgotten_write_end_deadlock_names_the_holder_and_fd(void)
{
	/* The POSIX queue takes 3, so the pipe is 4 and 5: the report names fd 5. */
	TestRun r = run_passing("posix queue \"/q\"\n"
				"process parent {\n"
				"  pipe -> p\n"
				"  fork child {\n"
				"    loop { read p.r -> m  break if eof }\n"
				"  }\n"
				"  close p.r\n"
				"  close p.w\n"
				"  wait child\n"
				"}\n"
				"expect deadlock\nexpect child state=blocked\n",
				2);
	CU_ASSERT(r.verdict.deadlock);
	CU_ASSERT(traced(&r, "pipe -> ok, fds 4 5"));
	CU_ASSERT(traced(&r, "-- deadlock: child stuck in read pipe#1"));
	CU_ASSERT(traced(&r, "waits for: child (fd 5)\n"));
	test_run_free(&r);
}

/* ---- SIGPIPE and EPIPE ---- */

static void test_pipes_sigpipe_default_kills_the_writer_with_status_141(void)
{
	TestRun r = run_passing("process parent {\n"
				"  pipe -> p\n"
				"  close p.r\n"
				"  fork writer { @w write p.w \"x\"  print \"not reached\" }\n"
				"  close p.w\n"
				"  @st wait writer -> s\n"
				"  print \"status $s\"\n"
				"}\n"
				"expect writer killed=SIGPIPE\nexpect @st ret=141\n"
				"expect parent exit=0\n",
				3);
	CU_ASSERT_EQUAL(test_run_task(&r, "writer")->exit_code, 128 + SIGPIPE);
	CU_ASSERT(traced(&r, "writer      SIGPIPE: killed"));
	CU_ASSERT(traced(&r, "print \"status 141\""));
	CU_ASSERT_PTR_NULL(strstr(r.out, "not reached"));
	test_run_free(&r);
}

static void test_pipes_sigpipe_ignored_gives_epipe(void)
{
	TestRun r = run_passing("process p {\n"
				"  on SIGPIPE ignore\n"
				"  pipe -> p\n"
				"  close p.r\n"
				"  @w write p.w \"x\"\n"
				"  @zero write p.w size=0\n"
				"  exit 3\n"
				"}\n"
				"expect @w errno=EPIPE\nexpect @zero ok ret=0\nexpect p exit=3\n",
				3);
	CU_ASSERT(traced(&r, "SIGPIPE from p: ignored"));
	test_run_free(&r);
}

static void test_pipes_zero_length_write_without_reader_is_zero_and_no_sigpipe(void)
{
	TestRun r = run_passing("process p {\n"
				"  pipe -> p\n"
				"  close p.r\n"
				"  @z write p.w size=0\n"
				"  exit 2\n"
				"}\n"
				"expect @z ok ret=0\nexpect p exit=2\n",
				2);
	CU_ASSERT_PTR_NULL(strstr(r.out, "SIGPIPE"));
	test_run_free(&r);
}

/* The writer blocks with 65536 of 100000 bytes in; then its last reader goes. */
#define BLOCKED_WRITER(ACTION)           \
	"process parent {\n"             \
	"  pipe -> p\n"                  \
	"  fork writer {\n"              \
	"    " ACTION "\n"               \
	"    close p.r\n"                \
	"    @w write p.w size=100000\n" \
	"    print \"write returned\"\n" \
	"  }\n"                          \
	"  close p.w\n"                  \
	"  sleep 1ms\n"                  \
	"  close p.r\n"                  \
	"  @st wait writer -> s\n"       \
	"}\n"

static void test_pipes_blocked_write_losing_its_reader_is_killed_by_default_sigpipe(void)
{
	TestRun r = run_passing(
		BLOCKED_WRITER(
			"on SIGUSR1 default") "expect @w blocked\nexpect writer killed=SIGPIPE\n"
					      "expect @st ret=141\n",
		3);
	CU_ASSERT(traced(&r, "blocks: pipe full (65536 of 100000 bytes written)"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "print \"write returned\""));
	test_run_free(&r);
}

static void test_pipes_blocked_write_losing_its_reader_returns_the_partial_count(void)
{
	/* Handled: the count comes back and SIGPIPE still comes (the handler runs). */
	TestRun r = run_passing(
		BLOCKED_WRITER(
			"on SIGPIPE handler") "expect @w blocked ret=65536\nexpect writer exit=0\n"
					      "expect @st ret=0\n",
		3);
	CU_ASSERT(traced(&r, "SIGPIPE: handler runs"));
	CU_ASSERT(traced(&r, "print \"write returned\""));
	test_run_free(&r);
	r = run_passing(
		BLOCKED_WRITER(
			"on SIGPIPE ignore") "expect @w blocked ret=65536\nexpect writer exit=0\n",
		2);
	CU_ASSERT(traced(&r, "SIGPIPE from writer: ignored"));
	test_run_free(&r);
}

/* ---- wait and SIGCHLD ---- */

static void test_pipes_wait_returns_the_childs_exit_status(void)
{
	TestRun r = run_passing("process p {\n"
				"  fork c { exit 7 }\n"
				"  @w wait c -> s\n"
				"  print \"status $s\"\n"
				"  fork d { }\n"
				"  @e wait d -> z\n"
				"}\n"
				"expect @w ret=7\nexpect c exit=7\nexpect @e ret=0\n",
				3);
	CU_ASSERT(traced(&r, "print \"status 7\""));
	test_run_free(&r);
}

static void test_pipes_wait_on_an_already_reaped_child_is_echild(void)
{
	const char *text = "process p {\n"
			   "  fork c { exit 1 }\n"
			   "  @first wait c -> s\n"
			   "  @again wait c -> s\n"
			   "  print \"s=$s\"\n"
			   "}\n"
			   "expect @first ok\nexpect @again ok\n";
	test_expect_label(text, "first", 0);
	test_expect_label(text, "again", ECHILD);
	TestRun r = test_run_text(text, TRUE, NULL);
	CU_ASSERT(traced(&r, "print \"s=-1\"")); /* a failed wait leaves -1 */
	test_run_free(&r);
}

static void test_pipes_wait_for_a_child_not_yet_forked_is_echild(void)
{
	test_expect_label("process p {\n"
			  "  @early wait c\n"
			  "  fork c { }\n"
			  "  wait c\n"
			  "}\n"
			  "expect @early ok\n",
			  "early", ECHILD);
}

static void test_pipes_sigchld_handler_runs_when_a_child_exits(void)
{
	TestRun r = run_passing("process p {\n"
				"  on SIGCHLD handler\n"
				"  fork c { sleep 1ms }\n"
				"  @w wait c -> s\n"
				"}\n"
				"process q {\n"
				"  fork d { }\n"
				"  wait d\n"
				"}\n"
				"expect @w blocked ret=0\n",
				1);
	CU_ASSERT(traced(&r, "p           SIGCHLD: caught: its handler will run"));
	CU_ASSERT(traced(&r, "p           SIGCHLD: handler runs"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "SIGCHLD from d")); /* default: nothing shows */
	test_run_free(&r);
}

static void test_pipes_sigchld_handler_without_restart_does_not_fail_the_wait(void)
{
	/* The child's exit wakes the wait before SIGCHLD comes: wait returns the child. */
	expect_passing("process p {\n"
		       "  on SIGCHLD handler norestart\n"
		       "  fork c { sleep 1ms  exit 4 }\n"
		       "  @w wait c -> s\n"
		       "}\n"
		       "expect @w blocked ret=4\n",
		       1);
}

static void test_pipes_handled_signal_without_restart_interrupts_wait_with_eintr(void)
{
	expect_passing("process p {\n"
		       "  on SIGUSR1 handler norestart\n"
		       "  fork c { kill p SIGUSR1  sleep 1ms  exit 5 }\n"
		       "  @w wait c -> s\n"
		       "  @again wait c -> t\n"
		       "}\n"
		       "process q {\n"
		       "  on SIGUSR1 handler\n"
		       "  fork d { kill q SIGUSR1  sleep 1ms  exit 6 }\n"
		       "  @r wait d -> s\n"
		       "}\n"
		       "expect @w errno=EINTR\nexpect @again blocked ret=5\n"
		       "expect @r blocked ret=6\n",
		       3);
}

/* ---- mkfifo, open, unlink ---- */

static void test_pipes_mkfifo_on_an_existing_path_is_eexist(void)
{
	const char *text = "file \"/etc/x\"\n"
			   "process p {\n"
			   "  @a mkfifo \"/f\"\n"
			   "  @b mkfifo \"/f\"\n"
			   "  @c mkfifo \"/etc/x\"\n"
			   "}\n"
			   "expect @a ok\nexpect @b ok\nexpect @c ok\n";
	test_expect_label(text, "a", 0);
	test_expect_label(text, "b", EEXIST);
	test_expect_label(text, "c", EEXIST);
}

static void test_pipes_open_of_a_missing_path_is_enoent(void)
{
	const char *text = "file \"/etc/x\"\n"
			   "process p {\n"
			   "  @a open \"/nothere\" -> d\n"
			   "  @b open \"/etc/x\" rdwr -> d\n"
			   "  @c open \"/nothere\" wronly nonblock -> d\n"
			   "  print \"d=$d\"\n"
			   "}\n"
			   "expect @a ok\nexpect @b ok\nexpect @c ok\n";
	test_expect_label(text, "a", ENOENT);
	test_expect_label(text, "b", ENOENT); /* only FIFOs can be opened */
	test_expect_label(text, "c", ENOENT); /* ENOENT, not ENXIO */
	TestRun r = test_run_text(text, TRUE, NULL);
	CU_ASSERT(traced(&r, "print \"d=-1\""));
	test_run_free(&r);
}

static void test_pipes_non_root_may_read_but_not_write_a_root_fifo_under_umask_022(void)
{
	/* perm=0666 with the umask 022 makes 0644: others may read, not write. */
	expect_passing("process root { mkfifo \"/f\" perm=0666 }\n"
		       "process user uid=1000 gid=1000 start=1ms {\n"
		       "  @w open \"/f\" wronly nonblock -> a\n"
		       "  @rw open \"/f\" rdwr -> b\n"
		       "  @r open \"/f\" rdonly nonblock -> c\n"
		       "}\n"
		       "process admin start=2ms { @aw open \"/f\" rdwr -> d }\n"
		       "expect @w errno=EACCES\nexpect @rw errno=EACCES\nexpect @r ok ret=3\n"
		       "expect @aw ok ret=3\n",
		       4);
}

static void test_pipes_fifo_data_is_discarded_when_every_descriptor_closes(void)
{
	expect_passing("process p {\n"
		       "  mkfifo \"/f\"\n"
		       "  open \"/f\" rdwr -> a\n"
		       "  @w write a \"lost\"\n"
		       "  close a\n"
		       "  open \"/f\" rdwr nonblock -> b\n"
		       "  @again read b\n"
		       "  close b\n"
		       "  open \"/f\" rdwr -> c\n"
		       "  write c \"gone too\"\n"
		       "  close c\n"
		       "  open \"/f\" rdonly nonblock -> d\n"
		       "  @eof read d\n"
		       "}\n"
		       "expect @w ok ret=4\nexpect @again errno=EAGAIN\nexpect @eof ok ret=0\n",
		       3);
}

static void test_pipes_fifo_data_survives_while_one_descriptor_stays_open(void)
{
	expect_passing("process p {\n"
		       "  mkfifo \"/f\"\n"
		       "  open \"/f\" rdonly nonblock -> r\n"
		       "  open \"/f\" wronly -> w\n"
		       "  write w \"kept\"\n"
		       "  close w\n"
		       "  @r read r -> m\n"
		       "  @eof read r\n"
		       "}\n"
		       "expect @r ok ret=4\nexpect @eof ok ret=0\nexpect p received [\"kept\"]\n",
		       3);
}

static void test_pipes_unlinked_fifo_keeps_working_and_a_new_mkfifo_is_another_fifo(void)
{
	TestRun r = run_passing("process p {\n"
				"  mkfifo \"/f\"\n"
				"  open \"/f\" rdwr -> a\n"
				"  @u unlink \"/f\"\n"
				"  @gone open \"/f\" rdonly nonblock -> x\n"
				"  @u2 unlink \"/f\"\n"
				"  @w write a \"still here\"\n"
				"  @r read a -> m\n"
				"  @mk mkfifo \"/f\"\n"
				"  write a \"old one\"\n"
				"  open \"/f\" rdonly nonblock -> b\n"
				"  @new read b\n"
				"  open \"/f\" wronly -> c\n"
				"  @empty read b\n"
				"  @old read a -> m\n"
				"}\n"
				"expect @u ok\nexpect @gone errno=ENOENT\nexpect @u2 errno=ENOENT\n"
				"expect @w ok ret=10\nexpect @r ok ret=10\nexpect @mk ok\n"
				"expect @new ok ret=0\nexpect @empty errno=EAGAIN\n"
				"expect @old ok ret=7\n"
				"expect p received [\"still here\", \"old one\"]\n",
				10);
	CU_ASSERT(traced(&r, "[/f: 7 bytes in 1/16 slots, 1 reader, 1 writer]"));
	CU_ASSERT(traced(&r, "[/f: 0 bytes in 0/16 slots, 1 reader, 0 writers]"));
	test_run_free(&r);
}

static void test_pipes_process_killed_in_a_fifo_open_no_longer_counts_as_a_reader(void)
{
	expect_passing("process main {\n"
		       "  mkfifo \"/f\"\n"
		       "  fork opener { @o open \"/f\" rdonly -> x }\n"
		       "  sleep 1ms\n"
		       "  kill opener SIGTERM\n"
		       "  @st wait opener -> s\n"
		       "  @nx open \"/f\" wronly nonblock -> w\n"
		       "}\n"
		       "process blocked {\n"
		       "  mkfifo \"/g\"\n"
		       "  fork r { open \"/g\" rdonly -> x }\n"
		       "  sleep 1ms\n"
		       "  @ok open \"/g\" wronly nonblock -> w\n"
		       "  wait r\n"
		       "}\n"
		       "expect @o blocked\nexpect opener killed=SIGTERM\nexpect @st ok ret=143\n"
		       "expect @nx errno=ENXIO\nexpect @ok ok ret=3\n",
		       5);
}

static void test_pipes_interrupted_fifo_open_no_longer_counts_as_a_reader(void)
{
	/* EINTR undoes the opener's count: a later nonblocking writer gets ENXIO. */
	expect_passing(
		"process main {\n"
		"  mkfifo \"/f\"\n"
		"  fork opener { on SIGUSR1 handler norestart  @o open \"/f\" rdonly -> x }\n"
		"  sleep 1ms\n"
		"  kill opener SIGUSR1\n"
		"  wait opener\n"
		"  @nx open \"/f\" wronly nonblock -> w\n"
		"}\n"
		"expect @o errno=EINTR\nexpect @nx errno=ENXIO\n",
		2);
}

/* ---- fcntl, ioctl, close ---- */

static void test_pipes_fcntl_nonblock_is_shared_with_a_forked_childs_copy(void)
{
	/* O_NONBLOCK is on the open file description, which fork shares. */
	expect_passing("process parent {\n"
		       "  pipe -> p\n"
		       "  fork child {\n"
		       "    sleep 1ms\n"
		       "    @cr read p.r\n"
		       "    fcntl p.r block\n"
		       "  }\n"
		       "  @nb fcntl p.r nonblock\n"
		       "  wait child\n"
		       "  fork late { sleep 1ms  write p.w \"x\" }\n"
		       "  @pr read p.r -> m\n"
		       "  wait late\n"
		       "}\n"
		       "expect @nb ok ret=0\nexpect @cr errno=EAGAIN\nexpect @pr blocked ret=1\n",
		       3);
}

static void test_pipes_close_of_an_invalid_descriptor_is_ebadf(void)
{
	const char *text = "process p {\n"
			   "  @none close 3\n"
			   "  @std close 1\n"
			   "  @max close 1048576\n"
			   "  pipe -> p\n"
			   "  @once close p.r\n"
			   "  @twice close p.r\n"
			   "}\n"
			   "expect @none ok\nexpect @std ok\nexpect @max ok\nexpect @once ok\n"
			   "expect @twice ok\n";
	test_expect_label(text, "none", EBADF);
	test_expect_label(text, "std", EBADF);
	test_expect_label(text, "max", EBADF);
	test_expect_label(text, "once", 0);
	test_expect_label(text, "twice", EBADF);
}

static void test_pipes_fionread_on_a_posix_queue_descriptor_is_its_file_size(void)
{
	/* Not ENOTTY: a queue's inode is S_IFREG with i_size FILENT_SIZE (80), so the generic
	 * FIONREAD of do_vfs_ioctl answers i_size - f_pos = 80 (reads are not modelled, so
	 * f_pos stays 0). Probed on Linux 6.18: 80 for O_RDWR and O_WRONLY queue descriptors.
	 * F_GETPIPE_SZ on one is EBADF (RESULTS.md item 5). */
	const char *text = "posix queue \"/q\"\n"
			   "process p {\n"
			   "  mq_open \"/q\" wronly -> wo\n"
			   "  @mq ioctl 3 fionread\n"
			   "  @wo ioctl wo fionread\n"
			   "  @sz fcntl 3 getpipe_sz\n"
			   "  @bad ioctl 9 fionread\n"
			   "  pipe -> p\n"
			   "  write p.w \"hello\"\n"
			   "  @pipe ioctl p.r fionread\n"
			   "}\n"
			   "expect @mq ok ret=80\nexpect @wo ok ret=80\nexpect @sz errno=EBADF\n"
			   "expect @bad errno=EBADF\nexpect @pipe ok ret=5\n";
	test_expect_label(text, "mq", 0);
	expect_passing(text, 5);
}

static void test_pipes_fcntl_getfl_reads_the_descriptions_access_mode_and_flags(void)
{
	/* Values as Linux 6.x on x86-64 gives them (probed): pipe(2)'s ends are O_RDONLY and
	 * O_WRONLY; O_NONBLOCK is the description's, so a forked child's copy shows it; a FIFO
	 * opened by open(2) carries O_LARGEFILE (0100000), a POSIX queue's descriptor does not,
	 * and O_CREAT/O_EXCL are not kept. */
	TestRun r =
		run_passing("process p {\n"
			    "  pipe -> a\n"
			    "  @r fcntl a.r getfl\n"
			    "  @w fcntl a.w getfl\n"
			    "  fcntl a.w nonblock\n"
			    "  fork c { @shared fcntl a.w getfl }\n"
			    "  wait c\n"
			    "  mkfifo \"/tmp/f\"\n"
			    "  open \"/tmp/f\" rdwr nonblock -> f\n"
			    "  @fifo fcntl f getfl\n"
			    "  mq_open \"/q\" create excl rdonly -> m\n"
			    "  @mq fcntl m getfl\n"
			    "  @bad fcntl 99 getfl\n"
			    "}\n"
			    "expect @r ret=0\nexpect @w ret=1\nexpect @shared ret=2049\n"
			    "expect @fifo ret=34818\nexpect @mq ret=0\nexpect @bad errno=EBADF\n",
			    6);
	CU_ASSERT(traced(&r, "fcntl f getfl -> ok, O_RDWR|O_NONBLOCK|O_LARGEFILE"));
	CU_ASSERT(traced(&r, "fcntl a.w getfl -> ok, O_WRONLY|O_NONBLOCK"));
	test_run_free(&r);
}

static void test_pipes_fcntl_setfl_keeps_the_five_flags_and_ignores_the_rest(void)
{
	/* Linux 6.x on x86-64 (probed): F_SETFL replaces O_APPEND, O_NONBLOCK, O_DIRECT, FASYNC
	 * and O_NOATIME and ignores the access mode and every other bit; O_APPEND sticks on a
	 * pipe; a queue's descriptor refuses O_DIRECT and drops FASYNC; O_NOATIME needs the
	 * inode's owner (EPERM for another user, who may not hold CAP_FOWNER). */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  fcntl a.w setfl=append|rdwr|0100000\n"
				"  @w fcntl a.w getfl\n"
				"  fcntl a.w nonblock\n"
				"  @nb fcntl a.w getfl\n"
				"  @all fcntl a.r setfl=0xffffffff\n"
				"  @allr fcntl a.r getfl\n"
				"  mq_open \"/q\" create excl rdwr -> m\n"
				"  @mqd fcntl m setfl=direct|nonblock\n"
				"  fcntl m setfl=async|nonblock\n"
				"  @mq fcntl m getfl\n"
				"}\n"
				"expect @w ret=1025\nexpect @nb ret=2049\nexpect @all ret=0\n"
				"expect @allr ret=289792\nexpect @mqd errno=EINVAL\n"
				"expect @mq ret=2050\n",
				6);
	CU_ASSERT(traced(&r, "fcntl a.w setfl=33794 -> ok")); /* 0100000 has no word */
	CU_ASSERT(traced(&r, "fcntl a.r getfl -> ok, O_RDONLY|O_APPEND|O_NONBLOCK|O_DIRECT|"
			     "O_NOATIME|FASYNC"));
	test_run_free(&r);
}

static void test_pipes_fcntl_setfl_noatime_needs_the_owner(void)
{
	/* O_NOATIME on a FIFO root made (mode 0644 after the umask) is EPERM for another user (no CAP_FOWNER), clearing it
	 * is free; on its own pipe the user may set it. */
	TestRun r = run_passing("process p {\n"
				"  mkfifo \"/tmp/f\" perm=0666\n"
				"  open \"/tmp/f\" rdwr -> f\n"
				"  @root fcntl f setfl=noatime\n"
				"  sleep 10ms\n"
				"}\n"
				"process q uid=1000 start=1ms {\n"
				"  open \"/tmp/f\" rdonly -> g\n"
				"  @perm fcntl g setfl=noatime|append\n"
				"  @clear fcntl g setfl=append\n"
				"  pipe -> b\n"
				"  @own fcntl b.r setfl=noatime\n"
				"}\n"
				"expect @root ret=0\nexpect @perm errno=EPERM\nexpect @clear ret=0\n"
				"expect @own ret=0\n",
				4);
	test_run_free(&r);
}

static void test_pipes_fcntl_fd_cloexec_is_the_descriptors_own(void)
{
	/* F_SETFD keeps bit 0 of its int argument; a fork's copy starts with the parent's flag
	 * and changes it alone. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  @new fcntl a.r getfd\n"
				"  fcntl a.r setfd=cloexec\n"
				"  @w fcntl a.w getfd\n"
				"  fork c { @copy fcntl a.r getfd\n fcntl a.r setfd=0 }\n"
				"  wait c\n"
				"  @mine fcntl a.r getfd\n"
				"  fcntl a.r setfd=6\n"
				"  @even fcntl a.r getfd\n"
				"  close a.r\n"
				"  @closed fcntl a.r getfd\n"
				"}\n"
				"expect @new ret=0\nexpect @w ret=0\nexpect @copy ret=1\n"
				"expect @mine ret=1\nexpect @even ret=0\nexpect @closed errno=EBADF\n",
				6);
	CU_ASSERT(traced(&r, "fcntl a.r getfd -> ok, FD_CLOEXEC"));
	CU_ASSERT(traced(&r, "fcntl a.r setfd=cloexec -> ok"));
	test_run_free(&r);
}

static void test_pipes_direct_pipe_reads_one_packet_and_drops_its_rest(void)
{
	/* fs/pipe.c's PIPE_BUF_FLAG_PACKET, as probed on Linux 6.x: O_DIRECT on the write end
	 * only; a read stops after one packet and drops what it did not take; a long write is
	 * one packet per page; nothing merges into a packet. */
	TestRun r = run_passing("process p {\n"
				"  pipe direct cloexec -> a\n"
				"  @r fcntl a.r getfl\n"
				"  @w fcntl a.w getfl\n"
				"  @fd fcntl a.w getfd\n"
				"  write a.w \"abc\"\n"
				"  write a.w \"de\"\n"
				"  @one read a.r size=2\n"
				"  @two read a.r size=10\n"
				"  @left ioctl a.r fionread\n"
				"  write a.w size=4097\n"
				"  @page read a.r size=9000\n"
				"  @byte read a.r size=9000\n"
				"}\n"
				"expect @r ret=0\nexpect @w ret=16385\nexpect @fd ret=1\n"
				"expect @one ret=2\nexpect @two ret=2\nexpect @left ret=0\n"
				"expect @page ret=4096\nexpect @byte ret=1\n",
				8);
	CU_ASSERT(traced(&r, "pipe cloexec direct -> ok"));
	CU_ASSERT(traced(&r, "read a.r size=2 -> ok, 2 bytes: \"ab\" [pipe#1: 2 bytes in 1/16"));
	test_run_free(&r);
}

static void test_pipes_dup_shares_the_description_but_not_fd_cloexec(void)
{
	/* Lowest free descriptor; the copy shares O_NONBLOCK and keeps the pipe open after the
	 * original's close; FD_CLOEXEC is not copied (dup, dup2) or is as asked (dup3). */
	TestRun r = run_passing("process p {\n"
				"  pipe cloexec -> a\n"
				"  @d dup a.w -> w\n"
				"  @fd fcntl w getfd\n"
				"  fcntl w nonblock\n"
				"  @fl fcntl a.w getfl\n"
				"  close a.w\n"
				"  @wr write w \"x\"\n"
				"  @d2 dup2 w 8\n"
				"  @fd2 fcntl 8 getfd\n"
				"  @d3 dup3 w 9 cloexec\n"
				"  @fd3 fcntl 9 getfd\n"
				"  @low dup a.r\n"
				"}\n"
				"expect @d ret=5\nexpect @fd ret=0\nexpect @fl ret=2049\n"
				"expect @wr ret=1\nexpect @d2 ret=8\nexpect @fd2 ret=0\n"
				"expect @d3 ret=9\nexpect @fd3 ret=1\nexpect @low ret=4\n",
				9);
	CU_ASSERT(traced(&r, "dup3 w 9 cloexec -> ok, fd 9"));
	test_run_free(&r);
}

static void test_pipes_dup2_and_dup3_check_in_the_kernels_order(void)
{
	/* ksys_dup3: flags, then the same descriptor, then RLIMIT_NOFILE, then the old one;
	 * dup2 onto itself returns it (EBADF when it is not open); dup with no free
	 * descriptor is EMFILE, but a closed old descriptor is EBADF first. */
	TestRun r = run_passing("process p rlimit_nofile=6 {\n"
				"  pipe -> a\n"
				"  @same dup2 a.r 3\n"
				"  @samebad dup2 5 5\n"
				"  @self3 dup3 7 7\n"
				"  @fl3 dup3 a.r 5 flags=1\n"
				"  @fl3ok dup3 a.r 5 flags=0x80000\n"
				"  @limit dup2 9 6\n"
				"  @old dup2 9 5\n"
				"  @emfile dup a.r\n"
				"  @ebadf dup 9\n"
				"  @huge dup2 a.r 4294967300\n"
				"}\n"
				"expect @same ret=3\nexpect @samebad errno=EBADF\nexpect @self3 errno=EINVAL\n"
				"expect @fl3 errno=EINVAL\nexpect @fl3ok ret=5\nexpect @limit errno=EBADF\n"
				"expect @old errno=EBADF\nexpect @emfile errno=EMFILE\n"
				"expect @ebadf errno=EBADF\nexpect @huge ret=4\n",
				10);
	test_run_free(&r);
}

/* ---- the trace ---- */

static void test_pipes_trace_shows_the_pipe_state(void)
{
	TestRun r = run_passing("process p {\n"
				"  pipe -> p\n"
				"  write p.w \"hello\"\n"
				"  write p.w size=4096\n"
				"  close p.r\n"
				"  pipe -> q\n"
				"  write q.w size=65536\n"
				"}\n",
				0);
	CU_ASSERT(traced(&r, "[pipe#1: 0 bytes in 0/16 slots, 1 reader, 1 writer]"));
	CU_ASSERT(traced(&r, "[pipe#1: 5 bytes in 1/16 slots, 1 reader, 1 writer]"));
	CU_ASSERT(traced(&r, "[pipe#1: 4101 bytes in 2/16 slots, 1 reader, 1 writer]"));
	CU_ASSERT(traced(&r, "[pipe#1: 4101 bytes in 2/16 slots, 0 readers, 1 writer]"));
	CU_ASSERT(traced(&r, "[pipe#2: 65536 bytes in 16/16 slots, 1 reader, 1 writer]"));
	test_run_free(&r);
}

static void test_pipes_trace_counts_readers_and_writers_per_open_file(void)
{
	/* Each open is a description of its own; a fork shares them and counts nothing. */
	TestRun r = run_passing("process p {\n"
				"  mkfifo \"/f\"\n"
				"  open \"/f\" rdwr -> a\n"
				"  open \"/f\" rdwr -> b\n"
				"  fork c { }\n"
				"  wait c\n"
				"  write a \"x\"\n"
				"}\n",
				0);
	CU_ASSERT(traced(&r, "[/f: 0 bytes in 0/16 slots, 2 readers, 2 writers]"));
	CU_ASSERT(traced(&r, "[/f: 1 byte in 1/16 slots, 2 readers, 2 writers]"));
	test_run_free(&r);
}

static void test_pipes_two_runs_of_one_scenario_give_identical_traces(void)
{
	const char *text = "scheduler random seed=7\n"
			   "process parent {\n"
			   "  pipe -> p\n"
			   "  fork a { close p.r  repeat 5 as i { write p.w \"a$i\" } }\n"
			   "  fork b { close p.r  repeat 5 as i { write p.w \"b$i\" } }\n"
			   "  close p.w\n"
			   "  loop { read p.r size=3 -> m  break if eof }\n"
			   "  wait a\n"
			   "  wait b\n"
			   "}\n";
	TestRun one = test_run_text(text, TRUE, NULL);
	TestRun two = test_run_text(text, TRUE, NULL);
	CU_ASSERT_STRING_EQUAL(one.out, two.out);
	CU_ASSERT(traced(&one, "0 bytes: end of file"));
	CU_ASSERT_FALSE(one.verdict.deadlock);
	test_run_free(&one);
	test_run_free(&two);
}

/* ---- break if eof ---- */

static void test_pipes_break_if_eof_leaves_the_loop_at_end_of_file(void)
{
	TestRun r = run_passing("process p {\n"
				"  pipe -> p\n"
				"  write p.w \"abc\"\n"
				"  close p.w\n"
				"  loop {\n"
				"    @r read p.r size=1 -> c\n"
				"    break if eof\n"
				"    print \"got $c\"\n"
				"  }\n"
				"  print \"after the loop\"\n"
				"}\n"
				"expect p received [\"a\", \"b\", \"c\"]\nexpect @r ok ret=0\n"
				"expect p exit=0\n",
				3);
	CU_ASSERT(traced(&r, "print \"got c\""));
	CU_ASSERT(traced(&r, "print \"after the loop\""));
	test_run_free(&r);
}

static void test_pipes_break_if_eof_ignores_eagain(void)
{
	/* A nonblocking read of an empty pipe with a writer is EAGAIN, not end of file. */
	TestRun r = run_passing("process p {\n"
				"  pipe nonblock -> p\n"
				"  repeat 2 as i {\n"
				"    @r read p.r\n"
				"    break if eof\n"
				"    print \"round $i\"\n"
				"  }\n"
				"}\n"
				"expect @r errno=EAGAIN\n",
				1);
	CU_ASSERT(traced(&r, "print \"round 1\""));
	test_run_free(&r);
}

/* ---- a write that fills an empty pipe and blocks ---- */

static void test_pipes_blocking_write_into_an_empty_pipe_wakes_the_reader_before_it_sleeps(void)
{
	/* pipe_write: "if (was_empty) wake_up(rd_wait)" comes before the writer sleeps, so a
	 * reader blocked on the empty pipe gets the first 65536 bytes while the writer waits
	 * for room. (The wake-up was once collected but never applied: both hung.) */
	const char *text = "process p {\n"
			   "  pipe -> q\n"
			   "  fork c { close q.r  @w write q.w \"x\" size=100000 }\n"
			   "  close q.w\n"
			   "  @r read q.r size=65536\n"
			   "  @r2 read q.r size=65536\n"
			   "  wait c\n"
			   "}\n"
			   "expect @r blocked ret=65536\nexpect @r2 blocked ret=34464\n"
			   "expect @w blocked ret=100000\nexpect no deadlock\n";
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.exit_status, 0);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DONE);
	test_run_free(&r);
}

/* ---- a task killed in, or just woken from, a pipe call ---- */

/* Runs text (whose expectations must all hold) and checks that the run ended well. */
static void expect_clean_run(const char *text)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DONE);
	CU_ASSERT_EQUAL(r.verdict.exit_status, 0);
	test_run_free(&r);
}

static void test_pipes_a_woken_reader_killed_before_it_runs_still_reads_and_wakes_the_next(void)
{
	/* Its wait finds the data there before it looks at the signal, so it reads 10 bytes,
	 * leaves 10 and wakes r1, then dies: r1 must not sleep on a pipe with data. */
	expect_clean_run("process main {\n"
			 "  pipe -> p\n"
			 "  fork r0 { read p.r size=10 -> m }\n"
			 "  sleep 1ms\n"
			 "  fork r1 { @r1 read p.r size=10 -> m }\n"
			 "  sleep 1ms\n"
			 "  write p.w size=20\n"
			 "  kill r0 SIGTERM\n"
			 "  wait r0 -> st\n"
			 "  wait r1\n"
			 "  @n ioctl p.r fionread\n"
			 "}\n"
			 "expect @r1 blocked ret=10\nexpect @n ret=0\nexpect r0 killed=SIGTERM\n"
			 "expect no deadlock\n");
}

static void test_pipes_a_woken_writer_killed_before_it_runs_still_writes_and_wakes_the_next(void)
{
	expect_clean_run("process main {\n"
			 "  pipe -> p\n"
			 "  write p.w size=65536\n"
			 "  fork w0 { write p.w size=4096 }\n"
			 "  sleep 1ms\n"
			 "  fork w1 { @w1 write p.w size=4096 }\n"
			 "  sleep 1ms\n"
			 "  read p.r size=8192\n"
			 "  kill w0 SIGTERM\n"
			 "  wait w0\n"
			 "  wait w1\n"
			 "  @n ioctl p.r fionread\n"
			 "}\n"
			 "expect @w1 blocked ret=4096\nexpect @n ret=65536\nexpect no deadlock\n");
}

static void test_pipes_wait_woken_by_another_child_with_a_signal_pending_gives_eintr(void)
{
	/* do_wait finds no zombie of c2 and a pending signal: EINTR at once (no SA_RESTART),
	 * not a second sleep until c2 exits. */
	TestRun r = test_run_text("process main {\n"
				  "  on SIGCHLD handler norestart\n"
				  "  fork c1 { sleep 1ms }\n"
				  "  fork c2 { sleep 5ms }\n"
				  "  @w wait c2\n"
				  "}\n"
				  "expect @w errno=EINTR\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.exit_status, 0);
	CU_ASSERT(test_run_task(&r, "main")->cpu_time + test_run_task(&r, "main")->blocked_time <
		  2 * SIM_MS);
	test_run_free(&r);
}

static void test_pipes_wait_reaps_a_child_that_exited_after_signalling(void)
{
	/* A zombie is looked for before the pending signal: the status, not EINTR. */
	expect_clean_run("process main {\n"
			 "  on SIGUSR1 handler norestart\n"
			 "  fork c { kill main SIGUSR1  exit 7 }\n"
			 "  @w wait c -> s\n"
			 "}\n"
			 "expect @w blocked ret=7\n");
}

static void test_pipes_zero_length_nonblock_io_on_a_fifo_returns_0(void)
{
	/* preadv2/pwritev2 return 0 for an empty request before RWF_NOWAIT is checked. */
	expect_clean_run("process main {\n"
			 "  mkfifo \"/f\"\n"
			 "  open \"/f\" rdwr -> f\n"
			 "  @r read f size=0 nonblock\n"
			 "  @w write f size=0 nonblock\n"
			 "  @r1 read f size=1 nonblock\n"
			 "}\n"
			 "expect @r ok ret=0\nexpect @w ok ret=0\nexpect @r1 errno=EOPNOTSUPP\n");
}

/* ---- kill and forked children ---- */

static void test_pipes_kill_of_a_child_not_forked_yet_is_esrch(void)
{
	/* The process does not exist before its fork; killing it must not either end it or
	 * keep the fork from starting it (this used to abort the run). */
	const char *text = "process p {\n"
			   "  @k kill c SIGTERM\n"
			   "  fork c { print \"child\" }\n"
			   "  @w wait c -> st\n"
			   "}\n"
			   "expect @k ok\nexpect @w ok\n";
	test_expect_label(text, "k", ESRCH);
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "w"), 0);
	CU_ASSERT_EQUAL(test_run_task(&r, "c")->exit_code, 0);
	CU_ASSERT_EQUAL(test_run_task(&r, "c")->killed_by, 0);
	test_run_free(&r);
}

static void test_pipes_kill_of_a_zombie_succeeds_and_of_a_reaped_child_is_esrch(void)
{
	/* An exited child not waited for is a zombie: kill returns 0 and changes nothing. */
	const char *text = "process p {\n"
			   "  fork c { exit 3 }\n"
			   "  sleep 1ms\n"
			   "  @z kill c SIGTERM\n"
			   "  wait c -> st\n"
			   "  @r kill c SIGTERM\n"
			   "}\n"
			   "expect @z ok\nexpect @r ok\nexpect c exit=3\n";
	test_expect_label(text, "z", 0);
	test_expect_label(text, "r", ESRCH);
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "c")->exit_code, 3); /* the signal did nothing */
	CU_ASSERT_EQUAL(test_run_task(&r, "c")->killed_by, 0);
	test_run_free(&r);
}

/* A process whose parent exits goes to init, which reaps it: a zombie at once, a live one
 * when it exits. Its pid is then gone (ESRCH), while the parent itself is its own
 * parent's zombie until waited for. */
static void test_pipes_orphans_are_reaped_by_init(void)
{
	const char *text = "process p {\n"
			   "  fork a {\n"
			   "    fork g {\n      sleep 2ms\n      exit 4\n    }\n"
			   "    fork z { exit 5 }\n"
			   "    sleep 1ms\n"
			   "  }\n"
			   "  sleep 3ms\n"
			   "  @g kill g SIGTERM\n"
			   "  @z kill z SIGTERM\n"
			   "  @a kill a SIGTERM\n"
			   "  @w wait a -> st\n"
			   "}\n"
			   "expect @g ok\nexpect @z ok\nexpect @a ok\nexpect @w ok\n";
	test_expect_label(text, "g", ESRCH);
	test_expect_label(text, "z", ESRCH);
	test_expect_label(text, "a", 0);
	test_expect_label(text, "w", 0);
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "g")->exit_code, 4);
	CU_ASSERT_EQUAL(test_run_task(&r, "z")->exit_code, 5);
	CU_ASSERT_TRUE(test_run_task(&r, "g")->reaped);
	CU_ASSERT_TRUE(test_run_task(&r, "z")->reaped);
	test_run_free(&r);
}

/* A parent that ignores SIGCHLD has its children reaped by the kernel as they exit: a
 * wait for one still running sleeps until it exits, then fails with ECHILD; kill of one
 * that has exited is ESRCH (Linux 6.x, checked on the kernel). */
static void test_pipes_a_parent_ignoring_sigchld_has_its_children_reaped(void)
{
	const char *text = "process p {\n"
			   "  on SIGCHLD ignore\n"
			   "  fork c {\n    sleep 1ms\n    exit 3\n  }\n"
			   "  @w wait c -> st\n"
			   "  fork d { exit 4 }\n"
			   "  sleep 1ms\n"
			   "  @k kill d SIGTERM\n"
			   "  @w2 wait d -> st\n"
			   "}\n"
			   "expect @w ok\nexpect @k ok\nexpect @w2 ok\n";
	test_expect_label(text, "w", ECHILD);
	test_expect_label(text, "k", ESRCH);
	test_expect_label(text, "w2", ECHILD);
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "c")->exit_code, 3);
	CU_ASSERT_TRUE(test_run_task(&r, "c")->reaped);
	test_run_free(&r);
}

extern CU_TestInfo pipes_tests[];
CU_TestInfo pipes_tests[] = {
	{ "a woken reader killed before it runs still reads and wakes the next",
	  test_pipes_a_woken_reader_killed_before_it_runs_still_reads_and_wakes_the_next },
	{ "a woken writer killed before it runs still writes and wakes the next",
	  test_pipes_a_woken_writer_killed_before_it_runs_still_writes_and_wakes_the_next },
	{ "wait woken by another child with a signal pending gives EINTR",
	  test_pipes_wait_woken_by_another_child_with_a_signal_pending_gives_eintr },
	{ "wait reaps a child that exited after signalling",
	  test_pipes_wait_reaps_a_child_that_exited_after_signalling },
	{ "zero-length nonblock I/O on a FIFO returns 0",
	  test_pipes_zero_length_nonblock_io_on_a_fifo_returns_0 },
	{ "a blocking write into an empty pipe wakes the reader before it sleeps",
	  test_pipes_blocking_write_into_an_empty_pipe_wakes_the_reader_before_it_sleeps },
	{ "kill of a child not forked yet is ESRCH",
	  test_pipes_kill_of_a_child_not_forked_yet_is_esrch },
	{ "kill of a zombie succeeds, of a reaped child is ESRCH",
	  test_pipes_kill_of_a_zombie_succeeds_and_of_a_reaped_child_is_esrch },
	{ "orphans are reaped by init", test_pipes_orphans_are_reaped_by_init },
	{ "a parent ignoring SIGCHLD has its children reaped",
	  test_pipes_a_parent_ignoring_sigchld_has_its_children_reaped },
	{ "fork copies integer and message variables",
	  test_pipes_fork_copies_integer_and_message_variables },
	{ "fork: the child sees the parent's descriptors",
	  test_pipes_fork_child_sees_the_parents_descriptors },
	{ "a descriptor closed in the child stays open in the parent",
	  test_pipes_descriptor_closed_in_child_stays_open_in_parent },
	{ "pipe takes the two lowest free descriptors",
	  test_pipes_pipe_takes_the_two_lowest_free_descriptors },
	{ "pipe with room for one descriptor is EMFILE",
	  test_pipes_pipe_with_room_for_one_descriptor_is_emfile },
	{ "read and write on the wrong end are EBADF",
	  test_pipes_read_and_write_on_the_wrong_end_are_ebadf },
	{ "a queue descriptor reads as its status line",
	  test_pipes_a_queue_descriptor_reads_as_its_status_line },
	{ "read or write on a queue descriptor without that access is EBADF",
	  test_pipes_read_or_write_on_a_queue_descriptor_without_that_access_is_ebadf },
	{ "per-call nonblock on a FIFO is EOPNOTSUPP",
	  test_pipes_per_call_nonblock_on_a_fifo_is_eopnotsupp },
	{ "per-call nonblock on a pipe is for that call only",
	  test_pipes_per_call_nonblock_on_a_pipe_is_for_that_call_only },
	{ "a forgotten write end: the deadlock names the holder and fd",
	  test_pipes_forgotten_write_end_deadlock_names_the_holder_and_fd },
	{ "SIGPIPE by default kills the writer with status 141",
	  test_pipes_sigpipe_default_kills_the_writer_with_status_141 },
	{ "SIGPIPE ignored gives EPIPE", test_pipes_sigpipe_ignored_gives_epipe },
	{ "a zero-length write without reader is 0 and no SIGPIPE",
	  test_pipes_zero_length_write_without_reader_is_zero_and_no_sigpipe },
	{ "a blocked write losing its reader is killed by default SIGPIPE",
	  test_pipes_blocked_write_losing_its_reader_is_killed_by_default_sigpipe },
	{ "a blocked write losing its reader returns the partial count",
	  test_pipes_blocked_write_losing_its_reader_returns_the_partial_count },
	{ "wait returns the child's exit status", test_pipes_wait_returns_the_childs_exit_status },
	{ "wait on an already reaped child is ECHILD",
	  test_pipes_wait_on_an_already_reaped_child_is_echild },
	{ "wait for a child not yet forked is ECHILD",
	  test_pipes_wait_for_a_child_not_yet_forked_is_echild },
	{ "a SIGCHLD handler runs when a child exits",
	  test_pipes_sigchld_handler_runs_when_a_child_exits },
	{ "a SIGCHLD handler without restart does not fail the wait",
	  test_pipes_sigchld_handler_without_restart_does_not_fail_the_wait },
	{ "a handled signal without restart interrupts wait with EINTR",
	  test_pipes_handled_signal_without_restart_interrupts_wait_with_eintr },
	{ "mkfifo on an existing path is EEXIST", test_pipes_mkfifo_on_an_existing_path_is_eexist },
	{ "open of a missing path is ENOENT", test_pipes_open_of_a_missing_path_is_enoent },
	{ "non-root may read but not write a root FIFO under umask 022",
	  test_pipes_non_root_may_read_but_not_write_a_root_fifo_under_umask_022 },
	{ "FIFO data is discarded when every descriptor closes",
	  test_pipes_fifo_data_is_discarded_when_every_descriptor_closes },
	{ "FIFO data survives while one descriptor stays open",
	  test_pipes_fifo_data_survives_while_one_descriptor_stays_open },
	{ "an unlinked FIFO keeps working; a new mkfifo is another FIFO",
	  test_pipes_unlinked_fifo_keeps_working_and_a_new_mkfifo_is_another_fifo },
	{ "a process killed in a FIFO open no longer counts as a reader",
	  test_pipes_process_killed_in_a_fifo_open_no_longer_counts_as_a_reader },
	{ "an interrupted FIFO open no longer counts as a reader",
	  test_pipes_interrupted_fifo_open_no_longer_counts_as_a_reader },
	{ "fcntl nonblock is shared with a forked child's copy",
	  test_pipes_fcntl_nonblock_is_shared_with_a_forked_childs_copy },
	{ "close of an invalid descriptor is EBADF",
	  test_pipes_close_of_an_invalid_descriptor_is_ebadf },
	{ "FIONREAD on a POSIX queue descriptor is its file size (80)",
	  test_pipes_fionread_on_a_posix_queue_descriptor_is_its_file_size },
	{ "fcntl getfl reads the description's access mode and flags",
	  test_pipes_fcntl_getfl_reads_the_descriptions_access_mode_and_flags },
	{ "fcntl setfl keeps the five flags and ignores the rest",
	  test_pipes_fcntl_setfl_keeps_the_five_flags_and_ignores_the_rest },
	{ "fcntl setfl noatime needs the owner", test_pipes_fcntl_setfl_noatime_needs_the_owner },
	{ "fcntl FD_CLOEXEC is the descriptor's own",
	  test_pipes_fcntl_fd_cloexec_is_the_descriptors_own },
	{ "a direct pipe reads one packet and drops its rest",
	  test_pipes_direct_pipe_reads_one_packet_and_drops_its_rest },
	{ "dup shares the description but not FD_CLOEXEC",
	  test_pipes_dup_shares_the_description_but_not_fd_cloexec },
	{ "dup2 and dup3 check in the kernel's order",
	  test_pipes_dup2_and_dup3_check_in_the_kernels_order },
	{ "the trace shows the pipe state", test_pipes_trace_shows_the_pipe_state },
	{ "the trace counts readers and writers per open file",
	  test_pipes_trace_counts_readers_and_writers_per_open_file },
	{ "two runs of one scenario give identical traces",
	  test_pipes_two_runs_of_one_scenario_give_identical_traces },
	{ "break if eof leaves the loop at end of file",
	  test_pipes_break_if_eof_leaves_the_loop_at_end_of_file },
	{ "break if eof ignores EAGAIN", test_pipes_break_if_eof_ignores_eagain },
	CU_TEST_INFO_NULL,
};

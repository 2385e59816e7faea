/* test_posix.c — POSIX message queues end to end: every errno the model gives for the mq_*
 * calls, in the kernel's order, through the scenario language and the engine; descriptors,
 * nice ordering, timeouts in simulated time, notification signals, restart versus EINTR,
 * and the QSIZE line. The queue object's rules are unit-tested in test_mqueue.c.
 */
#include <string.h>

#include "msgsim/output/ipcs.h"
#include "tests.h"

/* ---- mq_open ---- */

static void test_posix_open_name_errors_in_kernel_order(void)
{
	const char *text = "process p {\n"
			   "  @a mq_open \"noslash\" create -> d\n"
			   "  @b mq_open \"/\" create -> d\n"
			   "  @c mq_open \"/a/b\" create -> d\n"
			   "  @d mq_open \"/.\" create -> d\n"
			   "  @e mq_open \"/nothere\" -> d\n"
			   "}\n"
			   "expect @a ok\nexpect @b ok\nexpect @c ok\nexpect @d ok\nexpect @e ok\n";
	test_expect_label(text, "a", EINVAL);
	test_expect_label(text, "b", ENOENT);
	test_expect_label(text, "c", EACCES);
	test_expect_label(text, "d", EACCES);
	test_expect_label(text, "e", ENOENT);
}

static void test_posix_open_component_over_255_is_enametoolong(void)
{
	GString *text = g_string_new("process p { @n mq_open \"/");
	for (int i = 0; i < 256; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\" create -> d }\nexpect @n ok\n");
	test_expect_label(text->str, "n", ENAMETOOLONG);
	g_string_free(text, TRUE);
}

static void test_posix_open_bad_attributes_are_einval(void)
{
	const char *text = "process p {\n"
			   "  @zero mq_open \"/z\" create maxmsg=0 msgsize=8 -> d\n"
			   "  @big mq_open \"/b\" create maxmsg=11 msgsize=8 -> d\n"
			   "  @size mq_open \"/s\" create maxmsg=1 msgsize=8193 -> d\n"
			   "  @mode mq_open \"/m\" create wronly_rdwr -> d\n"
			   "  @again mq_open \"/m\" wronly_rdwr -> d\n"
			   "}\n"
			   "expect @zero ok\nexpect @big ok\nexpect @size ok\nexpect @mode ok\n"
			   "expect @again ok\n";
	test_expect_label(text, "zero", EINVAL);
	test_expect_label(text, "big", EINVAL);
	test_expect_label(text, "size", EINVAL);
	test_expect_label(text, "mode", 0); /* created: the bad mode only matters for an open */
	test_expect_label(text, "again", EINVAL); /* the queue exists now */
}

static void test_posix_queues_max_is_enospc(void)
{
	test_expect_label(
		"sysctl mq_queues_max=1\n"
		"process p { mq_open \"/a\" create -> a  @n mq_open \"/b\" create -> b }\n"
		"expect @n ok\n",
		"n", ENOSPC);
}

static void test_posix_rlimit_msgqueue_is_emfile(void)
{
	/* Each 10 x 8192 queue charges 82880 bytes: nine fit in 819200, the tenth does not. */
	TestRun r = test_run_text("process p { repeat 9 as i { mq_open \"/q$i\" create -> d }\n"
				  "            @ten mq_open \"/q9\" create -> d }\n"
				  "expect @ten ok\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "ten"), EMFILE);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&r.w->ipcns, 0), 9 * 82880);
	test_run_free(&r);
}

static void test_posix_rlimit_nofile_is_emfile(void)
{
	test_expect_label("process p rlimit_nofile=4 { mq_open \"/a\" create -> a\n"
			  "                              @n mq_open \"/b\" create -> b }\n"
			  "expect @n ok\n",
			  "n", EMFILE);
}

static void test_posix_existing_queue_eexist_then_eacces(void)
{
	const char *text = "posix queue \"/q\" perm=0600\n"
			   "process u uid=1000 { @x mq_open \"/q\" create excl -> d\n"
			   "                     @r mq_open \"/q\" rdonly -> d }\n"
			   "expect @x ok\nexpect @r ok\n";
	test_expect_label(text, "x", EEXIST);
	test_expect_label(text, "r", EACCES);
}

static void test_posix_descriptors_are_the_lowest_free_from_three(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  mq_open \"/a\" create -> a\n"
				  "  mq_open \"/b\" create -> b\n"
				  "  mq_close a\n"
				  "  mq_open \"/c\" create -> c\n"
				  "  print \"$a $b $c\"\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"3 4 3\""));
	test_run_free(&r);
}

/* ---- send and receive ---- */

static void test_posix_send_checks_in_order(void)
{
	const char *text = "posix queue \"/q\" maxmsg=1 msgsize=4\n"
			   "process p {\n"
			   "  @badtime mq_send \"/q\" \"x\" prio=40000 timeout=bad\n"
			   "  @prio mq_send \"/q\" \"x\" prio=32768\n"
			   "  mq_open \"/q\" rdonly -> ro\n"
			   "  @ro mq_send ro \"x\"\n"
			   "  @long mq_send \"/q\" \"12345\"\n"
			   "  mq_send \"/q\" \"fill\"\n"
			   "  mq_setattr \"/q\" nonblock\n"
			   "  @full mq_send \"/q\" \"more\" deadline=0ns\n"
			   "}\n"
			   "expect @badtime ok\nexpect @prio ok\nexpect @ro ok\nexpect @long ok\n"
			   "expect @full ok\n";
	test_expect_label(text, "badtime", EINVAL);
	test_expect_label(text, "prio", EINVAL);
	test_expect_label(text, "ro", EBADF);
	test_expect_label(text, "long", EMSGSIZE);
	test_expect_label(text, "full", EAGAIN); /* nonblock beats a past deadline */
}

static void test_posix_receive_buffer_smaller_than_msgsize_is_emsgsize_before_eagain(void)
{
	test_expect_label(
		"posix queue \"/q\" maxmsg=1 msgsize=64\n"
		"process p { mq_setattr \"/q\" nonblock  @r mq_receive \"/q\" size=10 -> m }\n"
		"expect @r ok\n",
		"r", EMSGSIZE);
}

static void test_posix_receive_on_write_only_descriptor_is_ebadf(void)
{
	test_expect_label("posix queue \"/q\"\n"
			  "process p { mq_open \"/q\" wronly -> w  @r mq_receive w -> m }\n"
			  "expect @r ok\n",
			  "r", EBADF);
}

static void test_posix_timed_receive_expires_with_etimedout_in_simulated_time(void)
{
	TestRun r = test_run_text("posix queue \"/q\"\n"
				  "process p { @r mq_receive \"/q\" timeout=3ms -> m }\n"
				  "expect @r ok\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "r"), ETIMEDOUT);
	CU_ASSERT_EQUAL(sim_world_now(r.w), 3 * SIM_MS + SIM_US);
	test_run_free(&r);
}

static void test_posix_message_before_deadline_cancels_the_timeout(void)
{
	TestRun r = test_run_text("posix queue \"/q\"\n"
				  "process p { @r mq_receive \"/q\" timeout=3ms -> m }\n"
				  "process s start=1ms { mq_send \"/q\" \"hi\" }\n"
				  "expect p received [\"hi\"]\nexpect @r blocked\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "r"), 0);
	CU_ASSERT(sim_world_now(r.w) < 2 * SIM_MS); /* the stale deadline did not move time */
	test_run_free(&r);
}

static void test_posix_lower_nice_receiver_is_served_first(void)
{
	TestRun r = test_run_text(
		"posix queue \"/q\"\n"
		"process a nice=0 { mq_receive \"/q\" -> m }\n"
		"process b nice=-5 start=1us { mq_receive \"/q\" -> m }\n"
		"process s start=1ms { mq_send \"/q\" \"first\"  mq_send \"/q\" \"second\" }\n"
		"expect b received [\"first\"]\nexpect a received [\"second\"]\n",
		FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	test_run_free(&r);
}

/* ---- notify, signals, unlink ---- */

static void test_posix_second_registration_is_ebusy(void)
{
	/* a stays alive: its exit would close its descriptors and end the registration. */
	test_expect_label("posix queue \"/q\"\n"
			  "process a { mq_notify \"/q\" none  sleep 1ms }\n"
			  "process b start=1us { @n mq_notify \"/q\" signal=SIGUSR1 }\n"
			  "expect @n ok\n",
			  "n", EBUSY);
}

static void test_posix_notification_signals_the_owner_once(void)
{
	TestRun r = test_run_text(
		"posix queue \"/q\"\n"
		"process o { on SIGUSR1 handler  mq_notify \"/q\" signal=SIGUSR1  sleep 5ms }\n"
		"process s start=1ms { mq_send \"/q\" \"a\"  mq_receive \"/q\" -> m\n"
		"                      mq_send \"/q\" \"b\" }\n"
		"expect \"/q\" notify_pid=none curmsgs=1\n",
		TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	const char *first = strstr(r.out, "SIGUSR1 from s");
	CU_ASSERT_PTR_NOT_NULL(first);
	if (first)
		CU_ASSERT_PTR_NULL(strstr(first + 1, "SIGUSR1 from s")); /* one-shot */
	test_run_free(&r);
}

static void test_posix_closing_any_descriptor_ends_the_owners_registration(void)
{
	TestRun r = test_run_text("posix queue \"/q\"\n"
				  "process o { mq_notify \"/q\" signal=SIGUSR1\n"
				  "            mq_open \"/q\" rdonly -> extra  mq_close extra }\n"
				  "expect \"/q\" notify_pid=none\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_posix_caught_signal_restarts_with_sa_restart(void)
{
	TestRun r = test_run_text(
		"posix queue \"/q\"\n"
		"process p { on SIGUSR1 handler  @r mq_receive \"/q\" -> m }\n"
		"process k start=1ms { kill p SIGUSR1  sleep 1ms  mq_send \"/q\" \"late\" }\n"
		"expect p received [\"late\"]\nexpect @r blocked\n",
		TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "r"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGUSR1: handler runs"));
	test_run_free(&r);
}

static void test_posix_caught_signal_without_restart_is_eintr(void)
{
	test_expect_label("posix queue \"/q\"\n"
			  "process p { on SIGUSR1 handler norestart  @r mq_receive \"/q\" -> m }\n"
			  "process k start=1ms { kill p SIGUSR1 }\n"
			  "expect @r ok\n",
			  "r", EINTR);
}

static void test_posix_unlinked_queue_keeps_working_through_open_descriptors(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  mq_open \"/u\" create rdwr -> d\n"
				  "  mq_unlink \"/u\"\n"
				  "  @gone mq_open \"/u\" rdwr -> x\n"
				  "  @send mq_send d \"still here\"\n"
				  "  mq_receive d -> m\n"
				  "}\n"
				  "expect p received [\"still here\"]\nexpect @gone errno=ENOENT\n"
				  "expect @send ok\nexpect \"/u\" unlinked=yes\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.w->ipcns.mq_count, 0); /* freed at exit, when the last fd closed */
	test_run_free(&r);
}

static void test_posix_unlink_by_a_stranger_is_eacces(void)
{
	test_expect_label("posix queue \"/q\"\n"
			  "process u uid=1000 { @u mq_unlink \"/q\" }\nexpect @u ok\n",
			  "u", EACCES);
}

static void test_posix_ipcs_shows_the_qsize_line(void)
{
	/* o registers after the sends (so nothing fires) and stays blocked on another queue,
	 * so its registration is still there at the end. */
	TestRun r =
		test_run_text("posix queue \"/q\" maxmsg=4 msgsize=16\n"
			      "posix queue \"/other\"\n"
			      "process p { mq_send \"/q\" \"12345\"  mq_send \"/q\" \"1234567\" }\n"
			      "process o start=1ms { mq_notify \"/q\" signal=SIGUSR1\n"
			      "                      mq_receive \"/other\" -> m }\n"
			      "expect deadlock\n",
			      FALSE, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	sim_ipcs_format(out, r.w, 'm');
	CU_ASSERT_PTR_NOT_NULL(strstr(out->str, "  QSIZE:12         NOTIFY:0     SIGNO:10    "
						"NOTIFY_PID:o     \n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out->str, "  QSIZE:0          NOTIFY:0     SIGNO:0     "
						"NOTIFY_PID:0     \n"));
	test_run_free(&r);
}

extern CU_TestInfo posix_tests[];
CU_TestInfo posix_tests[] = {
	{ "mq_open name errors in the kernel's order",
	  test_posix_open_name_errors_in_kernel_order },
	{ "a component over 255 bytes is ENAMETOOLONG",
	  test_posix_open_component_over_255_is_enametoolong },
	{ "bad attributes and access mode 3 are EINVAL",
	  test_posix_open_bad_attributes_are_einval },
	{ "queues_max is ENOSPC", test_posix_queues_max_is_enospc },
	{ "RLIMIT_MSGQUEUE is EMFILE", test_posix_rlimit_msgqueue_is_emfile },
	{ "RLIMIT_NOFILE is EMFILE", test_posix_rlimit_nofile_is_emfile },
	{ "existing queue: EEXIST, then EACCES", test_posix_existing_queue_eexist_then_eacces },
	{ "descriptors are the lowest free from 3",
	  test_posix_descriptors_are_the_lowest_free_from_three },
	{ "mq_send checks in order", test_posix_send_checks_in_order },
	{ "receive buffer below msgsize is EMSGSIZE before EAGAIN",
	  test_posix_receive_buffer_smaller_than_msgsize_is_emsgsize_before_eagain },
	{ "receive on a write-only descriptor is EBADF",
	  test_posix_receive_on_write_only_descriptor_is_ebadf },
	{ "timed receive expires with ETIMEDOUT in simulated time",
	  test_posix_timed_receive_expires_with_etimedout_in_simulated_time },
	{ "a message before the deadline cancels the timeout",
	  test_posix_message_before_deadline_cancels_the_timeout },
	{ "lower nice receiver is served first", test_posix_lower_nice_receiver_is_served_first },
	{ "second registration is EBUSY", test_posix_second_registration_is_ebusy },
	{ "notification signals the owner once", test_posix_notification_signals_the_owner_once },
	{ "closing any descriptor ends the owner's registration",
	  test_posix_closing_any_descriptor_ends_the_owners_registration },
	{ "caught signal restarts with SA_RESTART",
	  test_posix_caught_signal_restarts_with_sa_restart },
	{ "caught signal without restart is EINTR",
	  test_posix_caught_signal_without_restart_is_eintr },
	{ "unlinked queue keeps working through open descriptors",
	  test_posix_unlinked_queue_keeps_working_through_open_descriptors },
	{ "unlink by a stranger is EACCES", test_posix_unlink_by_a_stranger_is_eacces },
	{ "ipcs shows the QSIZE line", test_posix_ipcs_shows_the_qsize_line },
	CU_TEST_INFO_NULL,
};

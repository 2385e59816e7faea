/* test_ipcs.c — the run's IPC state as util-linux `ipcs -q` prints it (ipcs.h).
 *
 * One small state serves every view: two SysV queues left by a process of user alice (a
 * third was removed), two POSIX queues, one with a signal notification and one with
 * SIGEV_NONE, registered by processes still alive at the end (a dead process's
 * registration goes with its descriptor), and a third unlinked. Each view is compared
 * byte for byte, trailing blanks included: they are what a student puts beside the real
 * ipcs output.
 */
#include <string.h>

#include "msgsim/output/ipcs.h"
#include "tests.h"

static const char *const state = "user alice uid=1000\n"
				 "sysctl msgmax=100 msgmnb=300 msgmni=4\n"
				 "process s uid=1000 {\n"
				 "    msgget key=0x1234 create perm=0640 -> q\n"
				 "    msgget key=private create perm=0600 -> gone\n"
				 "    msgctl gone rmid\n"
				 "    msgget key=0x77 create perm=0666 -> q2\n"
				 "    msgsnd q type=1 \"abc\" size=100\n"
				 "    msgsnd q2 type=1 \"x\" size=1\n"
				 "    mq_open \"/jobs\" create rdwr maxmsg=4 msgsize=64 -> d\n"
				 "    mq_send d \"hello\" prio=3\n"
				 "    mq_notify d signal=SIGUSR1\n"
				 "    mq_open \"/old\" create rdwr -> o\n"
				 "    mq_unlink \"/old\"\n"
				 "    receive t\n"
				 "}\n"
				 "process t uid=2000 {\n"
				 "    mq_open \"/t\" create rdwr maxmsg=2 msgsize=8 -> e\n"
				 "    mq_notify e none\n"
				 "    receive s\n"
				 "}\n"
				 "process r start=2s {\n"
				 "    msgget key=0x77 -> q\n"
				 "    msgsnd q type=2 \"yz\" size=2\n"
				 "    msgrcv q type=1 size=8\n"
				 "}\n";

/* The view of the end state of `text` (g_free it). */
static char *view_of(const char *text, char view)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	GString *out = g_string_new(NULL);
	sim_ipcs_format(out, r.w, view);
	test_run_free(&r);
	return g_string_free(out, FALSE);
}

static void test_ipcs_q_lists_live_queues_by_index_then_the_posix_queues(void)
{
	g_autofree char *out = view_of(state, 'q');
	CU_ASSERT_STRING_EQUAL(
		out, "\n------ Message Queues --------\n"
		     "key        msqid      owner      perms      used-bytes   messages    \n"
		     "0x00001234 0          alice      640        100          1           \n"
		     "0x00000077 2          alice      666        2            1           \n"
		     "\n"
		     "\n------ POSIX Message Queues --------\n"
		     "name             maxmsg     msgsize    curmsgs    owner     \n"
		     "/jobs            4          64         1          alice     \n"
		     "  QSIZE:5          NOTIFY:0     SIGNO:10    NOTIFY_PID:s     \n"
		     "/t               2          8          0          2000      \n"
		     "  QSIZE:0          NOTIFY:1     SIGNO:0     NOTIFY_PID:t     \n"
		     "\n");
}

static void test_ipcs_p_shows_last_sender_and_receiver_by_process_name(void)
{
	g_autofree char *out = view_of(state, 'p');
	CU_ASSERT_STRING_EQUAL(out, "\n------ Message Queues PIDs --------\n"
				    "msqid      owner      lspid      lrpid     \n"
				    "0        alice           s         0\n"
				    "2        alice           r         r\n"
				    "\n");
}

static void test_ipcs_t_shows_simulated_times_and_not_set(void)
{
	/* The run starts at SIM_IPCS_EPOCH, 1 September 2025 09:00:00 UTC; r sends and
	 * receives at 2s. */
	g_autofree char *out = view_of(state, 't');
	CU_ASSERT_STRING_EQUAL(out, "\n------ Message Queues Send/Recv/Change Times --------\n"
				    "msqid    owner      send                 recv                 "
				    "change              \n"
				    "0        alice      Sep  1 09:00:00      Not set              "
				    "Sep  1 09:00:00     \n"
				    "2        alice      Sep  1 09:00:02      Sep  1 09:00:02      "
				    "Sep  1 09:00:00     \n"
				    "\n");
}

static void test_ipcs_l_shows_the_namespace_limits_set_by_sysctl(void)
{
	g_autofree char *out = view_of(state, 'l');
	CU_ASSERT_STRING_EQUAL(out, "\n------ Messages Limits --------\n"
				    "max queues system wide = 4\n"
				    "max size of message (bytes) = 100\n"
				    "default max size of queue (bytes) = 300\n"
				    "\n");
	g_autofree char *dflt = view_of("process a { exit 0 }\n", 'l');
	CU_ASSERT_STRING_EQUAL(dflt, "\n------ Messages Limits --------\n"
				     "max queues system wide = 32000\n"
				     "max size of message (bytes) = 8192\n"
				     "default max size of queue (bytes) = 16384\n"
				     "\n");
}

static void test_ipcs_m_shows_the_posix_queues_alone(void)
{
	g_autofree char *out = view_of(state, 'm');
	CU_ASSERT_STRING_EQUAL(out,
			       "\n------ POSIX Message Queues --------\n"
			       "name             maxmsg     msgsize    curmsgs    owner     \n"
			       "/jobs            4          64         1          alice     \n"
			       "  QSIZE:5          NOTIFY:0     SIGNO:10    NOTIFY_PID:s     \n"
			       "/t               2          8          0          2000      \n"
			       "  QSIZE:0          NOTIFY:1     SIGNO:0     NOTIFY_PID:t     \n"
			       "\n");
}

static void test_ipcs_q_without_posix_queues_stops_where_util_linux_does(void)
{
	g_autofree char *out = view_of("process a { msgget key=private create -> q }\n", 'q');
	CU_ASSERT_STRING_EQUAL(
		out, "\n------ Message Queues --------\n"
		     "key        msqid      owner      perms      used-bytes   messages    \n"
		     "0x00000000 0          root       0          0            0           \n"
		     "\n");
}

static void test_ipcs_notification_goes_with_the_process_that_registered_it(void)
{
	/* s exits: its descriptor closes and its registration with it. */
	g_autofree char *out = view_of("process s {\n"
				       "    mq_open \"/jobs\" create rdwr -> d\n"
				       "    mq_notify d signal=SIGUSR1\n"
				       "}\n",
				       'm');
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  QSIZE:0          NOTIFY:0     SIGNO:0     "
					   "NOTIFY_PID:0     \n"));
}

static void test_ipcs_statement_puts_the_table_of_that_moment_in_the_trace(void)
{
	TestRun r = test_run_text("process s {\n"
				  "    msgget key=0x5 create perm=0600 -> q\n"
				  "    msgsnd q type=1 \"a\" size=10\n"
				  "    ipcs\n"
				  "    msgctl q rmid\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		r.out, "       3us  s           ipcs\n"
		       "\n------ Message Queues --------\n"
		       "key        msqid      owner      perms      used-bytes   messages    \n"
		       "0x00000005 0          root       600        10           1           \n"
		       "\n"
		       "       4us  s           msgctl q rmid -> ok"));
	test_run_free(&r);
}

/* ipcs -c, -u and -i (ipcs_more.c), on the same state: owners by name (alice for uid
 * 1000), groups by number, pids by process name, times from the simulated epoch. */
static char *more_of(const char *text, char what, char which, int id, gboolean *found)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	GString *out = g_string_new(NULL);
	if (what == 'c')
		sim_ipcs_format_creators(out, r.w, which);
	else if (what == 'u')
		sim_ipcs_format_status(out, r.w, which);
	else
		*found = sim_ipcs_format_id(out, r.w, which, id);
	test_run_free(&r);
	return g_string_free(out, FALSE);
}

static void test_ipcs_c_shows_creators_and_owners_of_each_kind(void)
{
	g_autofree char *out = more_of(state, 'c', 'a', 0, NULL);
	CU_ASSERT_STRING_EQUAL(out, "\n------ Message Queues Creators/Owners --------\n"
				    "msqid      perms      cuid       cgid       uid        gid       \n"
				    "0          640        alice      root       alice      root      \n"
				    "2          666        alice      root       alice      root      \n"
				    "\n------ Shared Memory Segment Creators/Owners --------\n"
				    "shmid      perms      cuid       cgid       uid        gid       \n"
				    "\n------ Semaphore Arrays Creators/Owners --------\n"
				    "semid      perms      cuid       cgid       uid        gid       \n"
				    "\n");
}

static void test_ipcs_u_counts_queues_messages_and_bytes(void)
{
	g_autofree char *out = more_of(state, 'u', 'q', 0, NULL);
	/* q holds one 100-byte message; q2 r's 2-byte one (r took the 1-byte one). */
	CU_ASSERT_STRING_EQUAL(out, "\n------ Messages Status --------\n"
				    "allocated queues = 2\n"
				    "used headers = 2\n"
				    "used space = 102 bytes\n"
				    "\n");
}

static void test_ipcs_i_shows_one_queue_in_detail_or_finds_none(void)
{
	gboolean found = FALSE;
	g_autofree char *out = more_of(state, 'i', 'q', 2, &found);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_STRING_EQUAL(out, "\nMessage Queue msqid=2\n"
				    "uid=1000\tgid=0\tcuid=1000\tcgid=0\tmode=0666\n"
				    "cbytes=2\tqbytes=300\tqnum=1\tlspid=r\tlrpid=r\n"
				    "send_time=Mon Sep  1 09:00:02 2025  \n"
				    "rcv_time=Mon Sep  1 09:00:02 2025  \n"
				    "change_time=Mon Sep  1 09:00:00 2025  \n"
				    "\n");
	g_autofree char *none = more_of(state, 'i', 'q', 1, &found); /* removed: gone */
	CU_ASSERT_FALSE(found);
	CU_ASSERT_STRING_EQUAL(none, "");
}

CU_TestInfo ipcs_tests[] = {
	{ "-q lists live queues by index, then the POSIX queues",
	  test_ipcs_q_lists_live_queues_by_index_then_the_posix_queues },
	{ "-p shows last sender and receiver by process name",
	  test_ipcs_p_shows_last_sender_and_receiver_by_process_name },
	{ "-t shows simulated times and Not set", test_ipcs_t_shows_simulated_times_and_not_set },
	{ "-l shows the namespace limits set by sysctl",
	  test_ipcs_l_shows_the_namespace_limits_set_by_sysctl },
	{ "m shows the POSIX queues alone", test_ipcs_m_shows_the_posix_queues_alone },
	{ "-q without POSIX queues stops where util-linux does",
	  test_ipcs_q_without_posix_queues_stops_where_util_linux_does },
	{ "a notification goes with the process that registered it",
	  test_ipcs_notification_goes_with_the_process_that_registered_it },
	{ "the ipcs statement puts the table of that moment in the trace",
	  test_ipcs_statement_puts_the_table_of_that_moment_in_the_trace },
	{ "-c shows creators and owners of each kind",
	  test_ipcs_c_shows_creators_and_owners_of_each_kind },
	{ "-u counts queues, messages and bytes", test_ipcs_u_counts_queues_messages_and_bytes },
	{ "-i shows one queue in detail, or finds none",
	  test_ipcs_i_shows_one_queue_in_detail_or_finds_none },
	CU_TEST_INFO_NULL,
};

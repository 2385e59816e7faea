/* test_xcheck.c — the cross-check runner: it replays scenarios on the real kernel, catches
 * a wrong model result at the step where it happens, kills a worker that hangs, says why a
 * scenario cannot be replayed, and leaves nothing behind - not even when it is killed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/xcheck.h"
#include "tests.h"

static const char *const SYSV_TEXT = "sysv queue q key=0x1234 perm=0600\n"
				     "sysctl msgmnb=32\n"
				     "process producer {\n"
				     "    repeat 3 as i { msgsnd q \"item $i\" size=12 }\n"
				     "}\n"
				     "process consumer start=1ms {\n"
				     "    repeat 3 { msgrcv q size=12 -> m }\n"
				     "}\n";

static SimScenario *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (!scn)
		fprintf(stderr, "\nparse error: %s\n", error->message);
	return scn;
}

static SimXcheckReport run(const char *text, const SimXcheckOptions *opt)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(SimScenario) scn = parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	return rep;
}

/* No process of ours is left (every worker and coordinator was reaped), and no sandbox
 * directory whose process is gone. */
static void assert_nothing_left(void)
{
	int st;
	CU_ASSERT_EQUAL(waitpid(-1, &st, WNOHANG), -1);
	DIR *d = opendir(g_get_tmp_dir());
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!g_str_has_prefix(e->d_name, "msgsim-real-"))
			continue;
		long pid = strtol(e->d_name + strlen("msgsim-real-"), NULL, 10);
		CU_ASSERT_TRUE(pid > 0 && kill((pid_t)pid, 0) == 0);
	}
	closedir(d);
}

static void test_xcheck_a_sysv_scenario_matches_call_by_call(void)
{
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = run(SYSV_TEXT, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.calls, 6);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	/* 6 calls, one send blocks and returns later (msgmnb 32 holds 3 of 10 bytes), 2 exits
	 * and the queue's state at the end. */
	CU_ASSERT_EQUAL(rep.checks, 10);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| producer | msgsnd (line 4) | blocks | blocked | yes |"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "ok 12 \"item 0\" type=1 | ok 12 \"item 0\" type=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "lspid=producer lrpid=consumer"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, ": match\n"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* The n-th comparison is made wrong: the report names that step and no other. */
static void test_xcheck_an_injected_wrong_result_is_caught_at_its_step(void)
{
	for (guint n = 1; n <= 9; n += 4) {
		SimXcheckOptions opt = { .rows = TRUE, .inject = n };
		SimXcheckReport rep = run(SYSV_TEXT, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MISMATCH);
		CU_ASSERT_EQUAL(rep.mismatches, 1);
		g_auto(GStrv) lines = g_strsplit(rep.text, "\n", -1);
		guint row = 0, bad_row = 0;
		for (guint i = 0; lines[i]; i++) {
			if (!g_str_has_prefix(lines[i], "| ") ||
			    g_str_has_prefix(lines[i], "| step"))
				continue;
			row++;
			if (strstr(lines[i], "**NO**"))
				bad_row = bad_row ? 999 : row;
		}
		CU_ASSERT_EQUAL(bad_row, n);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "First mismatch at step"));
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "MISMATCH\n"));
		sim_xcheck_report_clear(&rep);
	}
	assert_nothing_left();
}

static void test_xcheck_a_hung_worker_is_killed_at_the_step_timeout(void)
{
	SimXcheckOptions opt = { .stall = 2, .step_ms = 300 };
	gint64 t0 = g_get_monotonic_time();
	SimXcheckReport rep = run(SYSV_TEXT, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_FAILED);
	CU_ASSERT_PTR_NOT_NULL(rep.reason);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.reason,
				      "the worker of producer neither returned from "
				      "msgsnd nor blocked in it within 300 ms; killed"));
	CU_ASSERT_TRUE(g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC);
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

static void test_xcheck_a_scenario_it_cannot_replay_says_why(void)
{
	static const struct {
		const char *text, *reason;
	} cases[] = {
		{ "mailbox m capacity=0\nprocess a { send m \"x\" }\nprocess b { receive m }\n",
		  "mailbox m: a capacity-0 (rendezvous) mailbox has no kernel counterpart" },
		{ "mailbox m deliver=round-robin\nprocess a { send m \"x\" }\n",
		  "mailbox m: deliver=round-robin is a textbook policy" },
		{ "mailbox m waiters=priority\nprocess a { send m \"x\" }\n",
		  "mailbox m: waiters ordered by scheduling priority" },
		{ "port m owner=a\nprocess a { receive m }\n",
		  "port m is destroyed with its owner a" },
		{ "process a { send b \"x\" }\nprocess b { receive a }\n",
		  "line 1: direct send/receive between processes" },
		{ "mailbox m order=priority\nprocess a { send m \"x\" prio=40000 }\n",
		  "line 2: prio=40000 is outside a POSIX queue's priorities (0 to 32767)" },
		{ "mailbox m\nprocess a { send m \"x\" }\nprocess b nice=3 { receive m }\n",
		  "a and b have different nice values" },
		{ "process a {\n  fork b {\n    fork c { sleep 1ms }\n  }\n}\n",
		  "b exits before its child c: its real process must stay to keep c alive" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		SimXcheckOptions opt = { 0 };
		SimXcheckReport rep = run(cases[i].text, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.reason, cases[i].reason));
		if (!strstr(rep.reason, cases[i].reason))
			fprintf(stderr, "\ncase %u: %s\n", i, rep.reason);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "not cross-checkable"));
		sim_xcheck_report_clear(&rep);
	}
}

/* Forks two deep: the grandchild writes into a pipe made by its grandparent, its parent
 * reads it and waits for it, and a second child of the top closes its copies. */
static void test_xcheck_a_forked_child_forks_again(void)
{
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = run("process top {\n"
				  "    pipe -> p\n"
				  "    fork mid {\n"
				  "        fork leaf {\n"
				  "            close p.r\n"
				  "            write p.w \"from leaf\"\n"
				  "            close p.w\n"
				  "        }\n"
				  "        close p.w\n"
				  "        read p.r size=32 -> m\n"
				  "        wait leaf -> st\n"
				  "        close p.r\n"
				  "    }\n"
				  "    fork other { close p.r  close p.w }\n"
				  "    close p.w\n"
				  "    wait mid -> a\n"
				  "    wait other -> b\n"
				  "    read p.r size=32 -> x\n"
				  "}\n",
				  &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.calls, 17);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| mid | read (line 10) | ok 9 \"from leaf\" | "
						"ok 9 \"from leaf\" | yes |"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| mid | wait (line 11) | ok 0 status=0 | ok 0 status=0 | yes |"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| top | read (line 18) | ok 0 \"\" | ok 0 \"\" | yes |"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* A bounded FIFO mailbox is replayed on a POSIX queue of its capacity: a full one blocks
 * its sender for real, a nowait receive of an empty one is the textbook's ENOMSG. Its
 * capacity (12) is above the namespace's msg_max (10), which is raised for it alone: the
 * scenario's own mq_open still finds 10. The queue's descriptors do not shift the
 * scenario's (the pipe is 4 and 5, after the declared queue's 3), and a forked child
 * inherits them. */
static void test_xcheck_a_bounded_mailbox_is_replayed_on_a_posix_queue(void)
{
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = run("mailbox box capacity=12\n"
				  "posix queue \"/q\" maxmsg=2 msgsize=16\n"
				  "process parent {\n"
				  "    pipe -> p\n"
				  "    fork child {\n"
				  "        write p.w \"go\"\n"
				  "        repeat 13 as i { send box \"item $i\" }\n"
				  "    }\n"
				  "    read p.r size=16 -> line\n"
				  "    sleep 1ms\n"
				  "    mq_open \"/big\" create rdwr maxmsg=11 msgsize=8 -> d\n"
				  "    repeat 13 { receive box -> m }\n"
				  "    receive box -> m nowait\n"
				  "    wait child -> status\n"
				  "}\n",
				  &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	static const char *const rows[] = {
		"| parent | pipe (line 4) | ok 4 wfd=5 | ok 4 wfd=5 | yes |",
		"| child | send (line 7) | blocks | blocked | yes |",
		"| parent | mq_open (line 11) | EINVAL | EINVAL | yes |",
		"| parent | receive (line 12) | ok 6 \"item 0\" | ok 6 \"item 0\" | yes |",
		"| parent | receive (line 12) | ok 7 \"item 12\" | ok 7 \"item 12\" | yes |",
		"| parent | receive (line 13) | ENOMSG | ENOMSG | yes |",
		"| messages left in mailbox box | curmsgs=0 | curmsgs=0 | yes |",
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, rows[i]));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* An unbounded priority mailbox: its queue holds what the run needs (30 messages, three
 * times the default msg_max), highest priority first, and what is left at the end is
 * compared. */
static void test_xcheck_an_unbounded_priority_mailbox_is_replayed(void)
{
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep =
		run("mailbox m order=priority\n"
		    "process s { repeat 10 as i { send m \"a$i\" prio=1  send m \"b$i\" prio=7 "
		    " send m \"c$i\" prio=3 } }\n"
		    "process r start=1ms { repeat 25 { receive m -> x } }\n",
		    &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.calls, 55);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| r | receive (line 3) | ok 2 \"b0\" prio=7 | "
						"ok 2 \"b0\" prio=7 | yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| r | receive (line 3) | ok 2 \"a4\" prio=1 | "
						"ok 2 \"a4\" prio=1 | yes |"));
	CU_ASSERT_PTR_NULL(strstr(rep.text, "| r | receive (line 3) | ok 2 \"a5\""));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| messages left in mailbox m | curmsgs=5 | curmsgs=5 | yes |"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* A model that disagrees with the kernel: the EINTR of a SysV receive under SA_RESTART
 * is right in the model; here the scenario claims a restart by expecting nothing, and a
 * pipe read the kernel blocks in ... the comparison itself is what is tested: a kernel
 * answer the model does not give is a mismatch, not a hang. */
static void test_xcheck_a_kernel_answer_the_model_lacks_is_a_mismatch(void)
{
	/* The model blocks the read of an empty pipe; the kernel is made to answer it (the
	 * call goes nonblocking). The answer is reported where it came, then the model's
	 * later return is compared with nothing: two mismatches, and no hang. */
	SimXcheckOptions opt = { .skew = 2 };
	SimXcheckReport rep = run("process a {\n"
				  "    pipe -> p\n"
				  "    read p.r size=8\n"
				  "}\n"
				  "process b start=1ms { }\n",
				  &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MISMATCH);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| a | read (line 3) | blocks | EAGAIN | **NO** |"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* One receive makes room for both of two blocked senders: both are woken and race, and
 * the kernel lets either through first. The runner reads which one from the real queue and
 * steers the model the same way, so every run matches whichever way the race went. Runs
 * until both orders have been seen (each is common: the first woken wins about two times
 * in three on an idle machine). */
static void test_xcheck_the_order_of_racing_senders_is_read_from_the_kernel(void)
{
	static const char *const text = "sysv queue q key=0x1235 perm=0600\n"
					"sysctl msgmnb=16\n"
					"process filler { msgsnd q \"full\" size=16 }\n"
					"process S1 start=1ms { msgsnd q \"one\" size=8 }\n"
					"process S2 start=2ms { msgsnd q \"two\" size=8 }\n"
					"process reader start=3ms {\n"
					"    msgrcv q size=16 -> a\n"
					"    msgrcv q size=8 -> b\n"
					"    msgrcv q size=8 -> c\n"
					"}\n";
	gboolean seen[2] = { FALSE, FALSE };
	for (guint i = 0; i < 200 && !(seen[0] && seen[1]); i++) {
		SimXcheckOptions opt = { .rows = TRUE };
		SimXcheckReport rep = run(text, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		if (rep.verdict != SIM_XCHECK_MATCH) {
			fprintf(stderr, "\n%s", rep.text);
			sim_xcheck_report_clear(&rep);
			break;
		}
		gboolean one =
			strstr(rep.text, "| reader | msgrcv (line 8) | ok 8 \"one\" type=1 | "
					 "ok 8 \"one\" type=1 | yes |") != NULL;
		gboolean two =
			strstr(rep.text, "| reader | msgrcv (line 8) | ok 8 \"two\" type=1 | "
					 "ok 8 \"two\" type=1 | yes |") != NULL;
		CU_ASSERT_TRUE(one != two);
		/* The last sender is the other one, in the model as in the kernel. */
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, one ? "lspid=S2" : "lspid=S1"));
		seen[0] |= one;
		seen[1] |= two;
		sim_xcheck_report_clear(&rep);
	}
	CU_ASSERT_TRUE(seen[0] && seen[1]);
	assert_nothing_left();
}

/* The runner is killed with SIGKILL in the middle of a run (a worker blocked in a timed
 * receive far in the future): every process it made dies with it, and its queues with its
 * namespace. A subreaper inherits the orphans, so a survivor would show up as its child. */
static void test_xcheck_nothing_survives_a_runner_killed_mid_run(void)
{
	pid_t harness = fork();
	CU_ASSERT_TRUE_FATAL(harness >= 0);
	if (harness == 0) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			_exit(10);
		g_autoptr(SimScenario) scn = parse("posix queue \"/k\"\n"
						   "process a { mq_receive \"/k\" timeout=10s }\n");
		if (!scn)
			_exit(11);
		pid_t runner = fork();
		if (runner == 0) {
			SimXcheckOptions opt = { 0 };
			SimXcheckReport rep;
			sim_xcheck_run(scn, "t.scn", &opt, &rep, NULL);
			_exit(12);
		}
		g_usleep(400 * 1000);
		kill(runner, SIGKILL);
		int st;
		waitpid(runner, &st, 0);
		if (!WIFSIGNALED(st))
			_exit(13); /* it must still have been running */
		for (int i = 0; i < 200; i++) {
			pid_t got = waitpid(-1, &st, WNOHANG);
			if (got < 0 && errno == ECHILD)
				_exit(0);
			if (got == 0)
				g_usleep(10 * 1000);
		}
		_exit(14); /* a process is still alive */
	}
	int st;
	CU_ASSERT_EQUAL(waitpid(harness, &st, 0), harness);
	CU_ASSERT_TRUE(WIFEXITED(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
	/* Its FIFO directory outlives it (nothing ran to remove it): the next run sweeps it. */
	SimXcheckOptions opt = { 0 };
	SimXcheckReport rep = run(SYSV_TEXT, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

CU_TestInfo xcheck_tests[] = {
	{ "a SysV scenario matches call by call",
	  test_xcheck_a_sysv_scenario_matches_call_by_call },
	{ "an injected wrong result is caught at its step",
	  test_xcheck_an_injected_wrong_result_is_caught_at_its_step },
	{ "a hung worker is killed at the step timeout",
	  test_xcheck_a_hung_worker_is_killed_at_the_step_timeout },
	{ "a scenario it cannot replay says why",
	  test_xcheck_a_scenario_it_cannot_replay_says_why },
	{ "a forked child forks again", test_xcheck_a_forked_child_forks_again },
	{ "a bounded mailbox is replayed on a POSIX queue",
	  test_xcheck_a_bounded_mailbox_is_replayed_on_a_posix_queue },
	{ "an unbounded priority mailbox is replayed",
	  test_xcheck_an_unbounded_priority_mailbox_is_replayed },
	{ "a kernel answer the model lacks is a mismatch",
	  test_xcheck_a_kernel_answer_the_model_lacks_is_a_mismatch },
	{ "the order of racing senders is read from the kernel",
	  test_xcheck_the_order_of_racing_senders_is_read_from_the_kernel },
	{ "nothing survives a runner killed mid-run",
	  test_xcheck_nothing_survives_a_runner_killed_mid_run },
	CU_TEST_INFO_NULL,
};

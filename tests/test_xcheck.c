/* test_xcheck.c — the cross-check runner: it replays scenarios on the real kernel, catches
 * a wrong model result at the step where it happens, kills a worker that hangs, says why a
 * scenario cannot be replayed, and leaves nothing behind - not even when it is killed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <mqueue.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/real/real.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

static const char *const SYSV_TEXT = "sysv queue q key=0x1234 perm=0600\n"
				     "sysctl msgmnb=32\n"
				     "process producer {\n"
				     "    repeat 3 as i { msgsnd q \"item $i\" size=12 }\n"
				     "}\n"
				     "process consumer start=1ms {\n"
				     "    repeat 3 { msgrcv q size=12 -> m }\n"
				     "}\n";

static SimXcheckReport run(const char *text, const SimXcheckOptions *opt)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", text);
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
		if (pid > 0 && kill((pid_t)pid, 0) == 0)
			continue;
		/* Another run on the machine may be between its process's end and the removal
		 * of its directory: only a directory still there a moment later is left. */
		g_usleep(500 * 1000);
		struct stat sb;
		CU_ASSERT_TRUE(fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0);
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
	/* 6 calls, one send blocks and returns later (msgmnb 32 holds 2 of 12 bytes), and in
	 * run's schedule the consumer's third receive blocks too before the woken producer
	 * runs: 2 exits and the queue's state at the end. */
	CU_ASSERT_EQUAL(rep.checks, 11);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| producer | msgsnd (line 4) | blocks | blocked | yes |"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(rep.text, "| consumer | msgrcv (line 7) | blocks | blocked | yes |"));
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
		g_auto(GStrv) lines = test_split_lines(rep.text);
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
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		SimXcheckOptions opt = { 0 };
		SimXcheckReport rep = run(cases[i].text, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
		const char *why = rep.reason ? rep.reason : "";
		CU_ASSERT_PTR_NOT_NULL(strstr(why, cases[i].reason));
		if (!strstr(why, cases[i].reason))
			fprintf(stderr, "\ncase %u: %s\n", i, why);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "not cross-checkable"));
		sim_xcheck_report_clear(&rep);
	}
}

/* A forked process exits before its own children: they live on as orphans, init (here the
 * coordinator) reaps them as the kernel's does, and a kill of their pids is ESRCH on both
 * sides. Under the orphan, its parent's kill and wait see it. */
static void test_xcheck_a_child_outlives_its_parent(void)
{
	SimXcheckOptions opt = { .rows = TRUE };
	g_autofree char *text = NULL;
	CU_ASSERT_TRUE_FATAL(g_file_get_contents("scenarios/pipes/orphans.scn", &text, NULL, NULL));
	SimXcheckReport rep = run(text, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	if (rep.verdict != SIM_XCHECK_MATCH)
		fprintf(stderr, "\n%s", rep.text);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| mid | exit | exit 2 | exit 2 | yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| g | write (line 12) | ok 15 | ok 15 | yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| top | kill (line 23) | ESRCH | ESRCH | yes |"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
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
	CU_ASSERT_PTR_NOT_NULL(strstr(
		rep.text, "| mid | waitpid (line 11) | ok 0 status=0 | ok 0 status=0 | yes |"));
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
		"| parent | pipe2 (line 4) | ok 4 wfd=5 | ok 4 wfd=5 | yes |",
		"| child | mq_send (line 7) | blocks | blocked | yes |",
		"| parent | mq_open (line 11) | EINVAL | EINVAL | yes |",
		"| parent | mq_receive (line 12) | ok 6 \"item 0\" | ok 6 \"item 0\" | yes |",
		"| parent | mq_receive (line 12) | ok 7 \"item 12\" | ok 7 \"item 12\" | yes |",
		"| parent | mq_receive (line 13) | ENOMSG | ENOMSG | yes |",
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
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| r | mq_receive (line 3) | ok 2 \"b0\" prio=7 | "
						"ok 2 \"b0\" prio=7 | yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| r | mq_receive (line 3) | ok 2 \"a4\" prio=1 | "
						"ok 2 \"a4\" prio=1 | yes |"));
	CU_ASSERT_PTR_NULL(strstr(rep.text, "| r | mq_receive (line 3) | ok 2 \"a5\""));
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

/* One receive makes room for both of two blocked senders: both are woken and race. Run's
 * schedule (fifo) lets the reader block in its next receive first, then S1 run, then S2,
 * and the kernel follows it run after run: both workers are held back (stopped before the
 * receive that wakes them) until the model runs each, so S1 hands "one" to the waiting
 * reader and S2 queues "two" after it. */
static void test_xcheck_racing_senders_follow_the_models_winner(void)
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
	for (guint i = 0; i < 10; i++) {
		SimXcheckOptions opt = { .rows = TRUE };
		SimXcheckReport rep = run(text, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep.schedule, SIM_XCHECK_SCHED_RUN);
		CU_ASSERT_EQUAL(rep.held, 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| reader | msgrcv (line 8) | ok 8 \"one\" "
							"type=1 | ok 8 \"one\" type=1 | yes |"));
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "lspid=S2"));
		if (rep.verdict != SIM_XCHECK_MATCH) {
			fprintf(stderr, "\n%s", rep.text);
			sim_xcheck_report_clear(&rep);
			break;
		}
		sim_xcheck_report_clear(&rep);
	}
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
		g_autoptr(SimScenario) scn = test_scn_load("t.scn", "posix queue \"/k\"\n"
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

/* ---- Without a private namespace ----
 *
 * These runs go to the machine's own IPC namespace. So that a failing test leaves nothing
 * on the machine, each runs in a child that first makes a namespace of its own, which then
 * plays the machine's. The child sends failed checks up a pipe as "FILE:LINE: what" lines
 * and the test turns each into a failure. */

static int fail_fd = -1;

#define XCHECK(x)                                                                \
	do {                                                                     \
		if (!(x)) {                                                      \
			dprintf(fail_fd, "%s:%d: %s\n", __FILE__, __LINE__, #x); \
			_exit(1);                                                \
		}                                                                \
	} while (0)

static void in_a_namespace_of_its_own(void (*body)(void))
{
	int p[2];
	CU_ASSERT_FATAL(pipe2(p, O_CLOEXEC) == 0);
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		fail_fd = p[1];
		SimRealSandbox own;
		g_autoptr(GError) err = NULL;
		if (!sim_real_sandbox_enter(&own, &err)) {
			dprintf(fail_fd, "no namespace for the test: %s\n", err->message);
			_exit(1);
		}
		sim_real_sandbox_leave(&own);
		body();
		_exit(0);
	}
	close(p[1]);
	g_autoptr(GString) said = g_string_new(NULL);
	char buf[512];
	ssize_t n;
	while ((n = read(p[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(said, buf, n);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (said->len)
		fprintf(stderr, "\n%s", said->str);
	CU_ASSERT_EQUAL(said->len, 0);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static SimXcheckReport child_run(const char *text, const SimXcheckOptions *opt)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	XCHECK(scn != NULL);
	SimXcheckReport rep;
	XCHECK(sim_xcheck_run(scn, "t.scn", opt, &rep, &error));
	if (rep.verdict != SIM_XCHECK_MATCH)
		dprintf(fail_fd, "%s", rep.text);
	return rep;
}

/* The POSIX queue name prefix the report says the run used. */
static char *report_prefix(const char *text)
{
	const char *p = strstr(text, "POSIX queue names start with ");
	XCHECK(p != NULL);
	p += strlen("POSIX queue names start with ");
	return g_strndup(p, strcspn(p, "\n"));
}

/* Queues in the namespace, as /proc lists them (one per line after the header). */
static int sysv_queue_count(void)
{
	g_autofree char *text = NULL;
	XCHECK(g_file_get_contents("/proc/sysvipc/msg", &text, NULL, NULL));
	int lines = 0;
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	return lines - 1;
}

/* A stranger's queues, with one message each, under the key and the name the scenario
 * uses. */
static const char *const STRANGER_TEXT =
	"process a {\n"
	"    msgget key=0x5eed create excl perm=0600 -> q\n"
	"    msgsnd q type=1 \"mine\" nowait\n"
	"    msgget key=private create perm=0600 -> p\n"
	"    msgctl p stat\n"
	"    mq_open \"/stranger\" create excl rdwr perm=0600 maxmsg=4 msgsize=16 -> m\n"
	"    mq_send m \"x\"\n"
	"}\n";

/* unshare(2) refused, as on a machine without the rights or user namespaces. */
static void refuse_unshare(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = G_N_ELEMENTS(f), .filter = f };
	XCHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	XCHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
}

static void body_strangers_are_left_alone(void)
{
	struct {
		long mtype;
		char mtext[16];
	} m = { 1, "theirs" };
	int theirs = msgget(0x5eed, IPC_CREAT | IPC_EXCL | 0600);
	XCHECK(theirs >= 0 && msgsnd(theirs, &m, 6, IPC_NOWAIT) == 0);
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	mqd_t mq = mq_open("/stranger", O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	XCHECK(mq >= 0 && mq_send(mq, "theirs", 6, 0) == 0);
	refuse_unshare();

	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = child_run(STRANGER_TEXT, &opt);
	XCHECK(rep.verdict == SIM_XCHECK_MATCH);
	XCHECK(strstr(rep.text,
		      "# in the machine's IPC namespace (cannot make a private IPC "
		      "namespace: unshare(CLONE_NEWIPC): Operation not permitted") != NULL);
	/* The kernel's ids (1 and 2: the stranger has 0) and key are shown as the model's. */
	XCHECK(strstr(rep.text, "| msgget (line 2) | ok 0 | ok 0 | yes |") != NULL);
	XCHECK(strstr(rep.text, "key=0 | ok qnum=0") != NULL);
	g_autofree char *prefix = report_prefix(rep.text);
	sim_xcheck_report_clear(&rep);

	/* Theirs are as they were; ours are gone. */
	struct msqid_ds ds;
	XCHECK(msgctl(theirs, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1);
	XCHECK(msgrcv(theirs, &m, sizeof(m.mtext), 0, IPC_NOWAIT) == 6);
	XCHECK(memcmp(m.mtext, "theirs", 6) == 0);
	XCHECK(mq_getattr(mq, &attr) == 0 && attr.mq_curmsgs == 1);
	XCHECK(sysv_queue_count() == 1);
	g_autofree char *ours = g_strconcat(prefix, "stranger", NULL);
	XCHECK(mq_open(ours, O_RDONLY) < 0 && errno == ENOENT);
	msgctl(theirs, IPC_RMID, NULL);
	mq_unlink("/stranger");
}

static void test_xcheck_without_a_namespace_strangers_are_left_alone(void)
{
	in_a_namespace_of_its_own(body_strangers_are_left_alone);
	assert_nothing_left();
}

/* Sets and segments in the machine's namespace: a stranger's set and segment come first,
 * so the kernel's ids are not the model's, and a queue of the run's has the model's ids of
 * both. Each family binds its own ids: everything matches, only SEM_INFO (the machine's
 * count) is left out, and the strangers are there after, untouched, the run's gone. */
static void body_sets_and_segments(void)
{
	int sem_theirs = semget(IPC_PRIVATE, 1, 0600);
	int shm_theirs = shmget(IPC_PRIVATE, 4096, 0600);
	XCHECK(sem_theirs >= 0 && shm_theirs >= 0);
	SimXcheckOptions opt = { .shared_ipc = TRUE };
	SimXcheckReport rep = child_run("process a {\n  msgget key=private create -> q\n"
					"  semget key=0x5e10 nsems=2 create perm=0600 -> s\n"
					"  semop s (1, +2)\n  semctl s getval 1\n  semctl s stat\n"
					"  shmget key=0x5e10 size=100 create perm=0600 -> m\n"
					"  shmat m -> p\n  shmwrite p 0 \"hi\"\n  shmread p 0 2 -> v\n"
					"  shmctl m stat\n  shmctl m rmid\n  shmdt p\n"
					"  semctl s rmid\n  semctl s getval 0\n  semctl s sem_info\n"
					"  msgctl q rmid\n}\n",
					&opt);
	if (rep.verdict != SIM_XCHECK_MATCH || rep.left_out != 1)
		dprintf(fail_fd, "%s", rep.text);
	XCHECK(rep.verdict == SIM_XCHECK_MATCH && rep.left_out == 1 && rep.calls == 15);
	sim_xcheck_report_clear(&rep);
	struct seminfo si;
	struct shm_info mi;
	XCHECK(semctl(0, 0, SEM_INFO, &si) >= 0 && si.semusz == 1);
	XCHECK(shmctl(0, SHM_INFO, (struct shmid_ds *)&mi) >= 0 && mi.used_ids == 1);
	XCHECK(semctl(sem_theirs, 0, GETVAL) == 0 && shmctl(shm_theirs, IPC_RMID, NULL) == 0);
	XCHECK(semctl(sem_theirs, 0, IPC_RMID) == 0);
}

static void test_xcheck_without_a_namespace_sets_and_segments_have_their_own_ids(void)
{
	in_a_namespace_of_its_own(body_sets_and_segments);
	assert_nothing_left();
}

/* The queues the registry of a sandbox directory of this namespace names: keys (SysV) and
 * names (POSIX) that exist now. */
static void registered(GArray *keys, GPtrArray *names)
{
	g_autofree char *ns = sim_real_ipc_ns();
	DIR *d = opendir(g_get_tmp_dir());
	XCHECK(d != NULL && ns != NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!g_str_has_prefix(e->d_name, "msgsim-real-"))
			continue;
		g_autofree char *path =
			g_build_filename(g_get_tmp_dir(), e->d_name, "objects", NULL);
		g_autofree char *text = NULL;
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		g_auto(GStrv) lines = test_split_lines(text);
		/* Another run's file may be half written: its first line shorter than "ns ". */
		if (!lines[0] || strlen(lines[0]) < 3 || strcmp(lines[0] + 3, ns) != 0)
			continue;
		for (guint i = 1; lines[i]; i++) {
			if (g_str_has_prefix(lines[i], "key ")) {
				key_t k = (key_t)g_ascii_strtoll(lines[i] + 4, NULL, 10);
				if (msgget(k, 0) >= 0)
					g_array_append_val(keys, k);
			} else if (g_str_has_prefix(lines[i], "mq ")) {
				GString *name = g_string_new(NULL);
				for (const char *h = lines[i] + 3; h[0] && h[1]; h += 2)
					g_string_append_c(name,
							  (char)(g_ascii_xdigit_value(h[0]) << 4 |
								 g_ascii_xdigit_value(h[1])));
				mqd_t q = mq_open(name->str, O_RDONLY);
				if (q >= 0) {
					mq_close(q);
					g_ptr_array_add(names, g_string_free(name, FALSE));
				} else {
					g_string_free(name, TRUE);
				}
			}
		}
	}
	closedir(d);
}

/* A runner killed mid-run in the machine's namespace leaves its queues there; the next run
 * removes them. */
static void body_killed_runner_is_swept(void)
{
	XCHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	pid_t runner = fork();
	XCHECK(runner >= 0);
	if (runner == 0) {
		SimXcheckOptions opt = { .shared_ipc = TRUE };
		child_run("sysv queue q key=0x77\nposix queue \"/k\"\n"
			  "process a { mq_receive \"/k\" timeout=10s }\n",
			  &opt);
		_exit(0);
	}
	g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(key_t));
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while ((keys->len < 1 || names->len < 1) && g_get_monotonic_time() < deadline) {
		g_usleep(20 * 1000);
		g_array_set_size(keys, 0);
		g_ptr_array_set_size(names, 0);
		registered(keys, names);
	}
	kill(runner, SIGKILL);
	int st;
	XCHECK(waitpid(runner, &st, 0) == runner && WIFSIGNALED(st));
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		; /* the coordinator and its workers, killed with it */
	XCHECK(keys->len == 1 && names->len == 1); /* made, and left behind */
	key_t key = g_array_index(keys, key_t, 0);
	const char *name = g_ptr_array_index(names, 0);
	XCHECK(msgget(key, 0) >= 0);

	SimXcheckOptions opt = { .shared_ipc = TRUE };
	SimXcheckReport rep = child_run("process a { msgget key=private create -> q }\n", &opt);
	XCHECK(rep.verdict == SIM_XCHECK_MATCH);
	sim_xcheck_report_clear(&rep);
	XCHECK(msgget(key, 0) < 0 && errno == ENOENT);
	XCHECK(mq_open(name, O_RDONLY) < 0 && errno == ENOENT);
	XCHECK(sysv_queue_count() == 0);
}

static void test_xcheck_without_a_namespace_a_killed_runner_is_swept(void)
{
	in_a_namespace_of_its_own(body_killed_runner_is_swept);
	assert_nothing_left();
}

/* What the machine's namespace cannot show: its limits are not the scenario's (a fresh
 * namespace of the test's own has the kernel's defaults), and the run has 256 keys of its
 * own. IPC_INFO counts every queue on the machine: only that call is left out. */
static void body_some_scenarios_are_not_checkable(void)
{
	static const struct {
		const char *text, *reason;
	} cases[] = {
		{ "sysctl msgmnb=64\nprocess a { msgget key=private create -> q }\n",
		  "without a private IPC namespace the machine's limits hold, and kernel.msgmnb "
		  "is 16384 here where the scenario has 64" },
		{ "process a {\n  repeat 300 { msgget key=private create -> q }\n}\n",
		  "without a private IPC namespace the run's 256 SysV keys are used up, and the "
		  "scenario needs more" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &error);
		XCHECK(scn != NULL);
		SimXcheckOptions opt = { .shared_ipc = TRUE };
		SimXcheckReport rep;
		XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
		const char *why = rep.reason ? rep.reason : "(none)";
		if (rep.verdict != SIM_XCHECK_NOT_CHECKABLE || !strstr(why, cases[i].reason))
			dprintf(fail_fd, "case %u: %s\n%s", i, why, rep.text);
		XCHECK(rep.verdict == SIM_XCHECK_NOT_CHECKABLE && strstr(why, cases[i].reason));
		sim_xcheck_report_clear(&rep);
	}
	XCHECK(sysv_queue_count() == 0); /* the 256 made before the keys ran out are gone */
	/* IPC_INFO would tell the machine's queues: that call is left out, the rest checked. */
	static const char info[] = "process a {\n  msgget key=private create -> q\n"
				   "  msgctl q info\n}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", info, strlen(info), &error);
	XCHECK(scn != NULL);
	SimXcheckOptions opt = { .shared_ipc = TRUE };
	SimXcheckReport rep;
	XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	if (rep.verdict != SIM_XCHECK_MATCH || rep.left_out != 1)
		dprintf(fail_fd, "info: %s", rep.text);
	XCHECK(rep.verdict == SIM_XCHECK_MATCH && rep.left_out == 1 && rep.calls == 1);
	XCHECK(strstr(rep.text, ": msgctl IPC_INFO tells about every queue of the "
				"namespace, and without a private one that is the machine's") != NULL);
	sim_xcheck_report_clear(&rep);
	XCHECK(sysv_queue_count() == 0);
}

static void test_xcheck_without_a_namespace_some_scenarios_are_not_checkable(void)
{
	in_a_namespace_of_its_own(body_some_scenarios_are_not_checkable);
	assert_nothing_left();
}

/* Without a mount namespace the registry is a file on disk, but no scenario path reaches
 * it: unlinking "objects" (as root, or as a uid let into the FIFO directory) finds nothing,
 * as in the model, and the queue the run made is still swept; a mkfifo of "objects"
 * succeeds, as in the model. */
static void body_a_scenario_cannot_reach_the_registry(void)
{
	static const char *const texts[] = {
		"process p {\n"
		"  msgget key=0x5151 create perm=0600 -> q\n"
		"  msgsnd q type=1 \"x\"\n"
		"  unlink \"objects\"\n"
		"}\n",
		"process p uid=65534 gid=65534 caps=none {\n"
		"  msgget key=0x5151 create perm=0600 -> q\n"
		"  msgsnd q type=1 \"x\"\n"
		"  unlink \"objects\"\n"
		"}\n",
		"process p {\n"
		"  msgget key=0x5151 create perm=0600 -> q\n"
		"  mkfifo \"objects\" perm=0600\n"
		"  unlink \"objects\"\n"
		"}\n",
	};
	g_setenv("MSGSIM_NO_MOUNT_NS", "1", TRUE); /* this child's own environment */
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		SimXcheckOptions opt = { .shared_ipc = TRUE };
		SimXcheckReport rep = child_run(texts[i], &opt);
		XCHECK(rep.verdict == SIM_XCHECK_MATCH && rep.mismatches == 0);
		sim_xcheck_report_clear(&rep);
		XCHECK(sysv_queue_count() == 0); /* swept: the registry was there to name it */
	}
}

static void test_xcheck_without_a_namespace_a_scenario_cannot_reach_the_registry(void)
{
	in_a_namespace_of_its_own(body_a_scenario_cannot_reach_the_registry);
	assert_nothing_left();
}

/* Two scenario paths are two FIFOs, whatever their slashes and underscores: the kernel's
 * names for them must not collide where the model's do not. */
static void test_xcheck_fifo_paths_that_differ_are_different_fifos(void)
{
	const char *const text = "process p {\n"
				 "  mkfifo \"/tmp/a_b\" perm=0600\n"
				 "  mkfifo \"/tmp/a/b\" perm=0600\n"
				 "  mkfifo \"%2Ftmp%2Fa\" perm=0600\n"
				 "  mkfifo \"/tmp/a\" perm=0600\n"
				 "  mkfifo \"..\" perm=0600\n"
				 "  unlink \"/tmp/a_b\"\n"
				 "  unlink \"/tmp/a/b\"\n"
				 "  unlink \"%2Ftmp%2Fa\"\n"
				 "  unlink \"/tmp/a\"\n"
				 "  unlink \"..\"\n"
				 "}\n";
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = run(text, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	if (rep.verdict != SIM_XCHECK_MATCH)
		fprintf(stderr, "\n%s", rep.text);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| mkfifoat (line 3) | ok 0 | ok 0 | yes |"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

/* The run removes its queue, and a stranger takes the key at once: the run's next msgget
 * of that key must not make the stranger's queue its own - a create is refused (EEXIST), a
 * lookup finds it where the model finds nothing (both mismatches: the kernel's doing) - and
 * the end of the run must leave it alone. */
static void body_a_stranger_under_a_freed_key_is_left_alone(void)
{
	static const struct {
		const char *again, *row;
	} cases[] = {
		{ "msgget key=0x10 create perm=0600 -> r",
		  "| a | msgget (line 4) | ok 1 | EEXIST | **NO** |" },
		{ "msgget key=0x10 -> r", "| a | msgget (line 4) | ENOENT | ok " },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		SimXcheckOptions opt = { .shared_ipc = TRUE, .squat = TRUE, .rows = TRUE };
		g_autoptr(GError) error = NULL;
		g_autofree char *text =
			g_strdup_printf("process a {\n"
					"    msgget key=0x10 create perm=0600 -> q\n"
					"    msgctl q rmid\n"
					"    %s\n"
					"}\n",
					cases[i].again);
		g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
		XCHECK(scn != NULL);
		SimXcheckReport rep;
		XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
		if (rep.verdict != SIM_XCHECK_MISMATCH || !strstr(rep.text, cases[i].row))
			dprintf(fail_fd, "case %u:\n%s", i, rep.text);
		XCHECK(rep.verdict == SIM_XCHECK_MISMATCH && strstr(rep.text, cases[i].row));
		sim_xcheck_report_clear(&rep);
		/* The stranger's queue is still there; it goes now (MSG_STAT_ANY gives the id of
		 * each index in use). */
		XCHECK(sysv_queue_count() == 1);
		struct msqid_ds ds;
		int max = msgctl(0, MSG_INFO, &ds);
		for (int idx = 0; idx <= max; idx++) {
			int id = msgctl(idx, MSG_STAT_ANY, &ds);
			if (id >= 0)
				msgctl(id, IPC_RMID, NULL);
		}
		XCHECK(sysv_queue_count() == 0);
	}
}

static void test_xcheck_without_a_namespace_a_stranger_under_a_freed_key_is_left_alone(void)
{
	in_a_namespace_of_its_own(body_a_stranger_under_a_freed_key_is_left_alone);
	assert_nothing_left();
}

/* A run that misses its overall deadline is killed with its coordinator: what that left
 * in the machine's namespace is swept at once. */
static void body_a_run_out_of_time_leaves_nothing(void)
{
	pid_t watcher = fork();
	XCHECK(watcher >= 0);
	if (watcher == 0) {
		/* Sees the run's queues while they exist, and says which they were. */
		g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(key_t));
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		gint64 deadline = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;
		while ((keys->len < 1 || names->len < 1) && g_get_monotonic_time() < deadline) {
			g_usleep(20 * 1000);
			g_array_set_size(keys, 0);
			g_ptr_array_set_size(names, 0);
			registered(keys, names);
		}
		XCHECK(keys->len == 1 && names->len == 1);
		/* Until the run is over (its directory gone), then they must be gone too. */
		deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
		while (g_get_monotonic_time() < deadline &&
		       msgget(g_array_index(keys, key_t, 0), 0) >= 0)
			g_usleep(20 * 1000);
		XCHECK(msgget(g_array_index(keys, key_t, 0), 0) < 0 && errno == ENOENT);
		const char *name = g_ptr_array_index(names, 0);
		XCHECK(mq_open(name, O_RDONLY) < 0 && errno == ENOENT);
		_exit(0);
	}
	SimXcheckOptions opt = { .shared_ipc = TRUE, .total_ms = 1500 };
	g_autoptr(GError) error = NULL;
	const char *text = "sysv queue q key=0x77\nposix queue \"/k\"\n"
			   "process a { mq_receive \"/k\" timeout=10s }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	XCHECK(scn != NULL);
	SimXcheckReport rep;
	XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	XCHECK(rep.verdict == SIM_XCHECK_FAILED);
	XCHECK(strstr(rep.reason, "did not finish within 1500 ms") != NULL);
	XCHECK(strstr(rep.reason, "its 10000 ms of model time take 200000 ms for real (20 "
				  "times slower), beyond that limit") != NULL);
	sim_xcheck_report_clear(&rep);
	int st;
	XCHECK(waitpid(watcher, &st, 0) == watcher && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	XCHECK(sysv_queue_count() == 0);
}

static void test_xcheck_without_a_namespace_a_run_out_of_time_leaves_nothing(void)
{
	in_a_namespace_of_its_own(body_a_run_out_of_time_leaves_nothing);
	assert_nothing_left();
}

/* A stranger who reads the run's name prefix off its directory in /tmp plants a queue
 * under it, with a message, over and over until killed. */
static pid_t start_mq_planter(void)
{
	pid_t pid = fork();
	XCHECK(pid >= 0);
	if (pid > 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	for (;;) {
		DIR *d = opendir(g_get_tmp_dir());
		if (d == NULL)
			_exit(1);
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (!g_str_has_prefix(e->d_name, "msgsim-real-"))
				continue;
			char name[512];
			snprintf(name, sizeof(name), "/msgsim-%s.q",
				 e->d_name + strlen("msgsim-real-"));
			mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0666, &attr);
			if (q >= 0) {
				mq_send(q, "pwned", 5, 0);
				mq_close(q);
			}
		}
		closedir(d);
	}
}

/* The run's create of a queue it has no live one of is exclusive: a queue a stranger
 * planted under the run's prefix is never opened - the replay stops, saying so - and its
 * message is never read. */
static void body_a_planted_posix_queue_is_never_opened(void)
{
	pid_t planter = start_mq_planter();
	SimXcheckOptions opt = { .shared_ipc = TRUE, .rows = TRUE };
	g_autoptr(GError) error = NULL;
	/* The timed receive gives the planter 200 ms (paced) to find the directory. */
	const char *text = "posix queue \"/w\" maxmsg=1 msgsize=8\n"
			   "process a {\n"
			   "    mq_receive \"/w\" timeout=10ms -> x\n"
			   "    mq_open \"/q\" create rdwr perm=0600 maxmsg=4 msgsize=16 -> m\n"
			   "    mq_receive m timeout=1ms -> r\n"
			   "}\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	XCHECK(scn != NULL);
	SimXcheckReport rep;
	XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	kill(planter, SIGKILL);
	XCHECK(waitpid(planter, NULL, 0) == planter);
	const char *why = rep.reason ? rep.reason : "(none)";
	if (rep.verdict != SIM_XCHECK_FAILED ||
	    !strstr(why, "something the run did not make has that name"))
		dprintf(fail_fd, "%s\n%s", why, rep.text);
	XCHECK(rep.verdict == SIM_XCHECK_FAILED);
	XCHECK(strstr(why, "line 4: mq_open ") != NULL);
	XCHECK(strstr(why, "something the run did not make has that name") != NULL);
	XCHECK(strstr(rep.text, "pwned") == NULL);
	g_autofree char *prefix = report_prefix(rep.text);
	sim_xcheck_report_clear(&rep);
	/* Whatever of the planter's is left goes now. */
	g_autofree char *planted = g_strconcat(prefix, "q", NULL);
	mq_unlink(planted);
	XCHECK(sysv_queue_count() == 0);
}

static void test_xcheck_without_a_namespace_a_planted_posix_queue_is_never_opened(void)
{
	in_a_namespace_of_its_own(body_a_planted_posix_queue_is_never_opened);
	assert_nothing_left();
}

/* 600 workers with a pipe each, and a fork chain 255 deep. */
static const char *const MANY_FDS_TEXT = "process w[600] { pipe -> p }\n";

static char *fork_chain_text(guint depth)
{
	GString *t = g_string_new("process p0 {\n");
	for (guint i = 1; i <= depth; i++)
		g_string_append_printf(t, "fork c%u {\n", i);
	g_string_append(t, "pipe -> p\n");
	for (guint i = 0; i <= depth; i++)
		g_string_append(t, "}\n");
	return g_string_free(t, FALSE);
}

/* At the common soft limit of 1024 descriptors (the hard one higher) the run takes what
 * it needs up to the hard limit; with the hard one at 1024 too it says the scenario is not
 * cross-checkable here, and why, instead of failing. */
static void body_the_descriptor_limit_is_raised_or_named(void)
{
	g_autofree char *chain = fork_chain_text(255);
	const char *texts[] = { MANY_FDS_TEXT, chain };
	struct rlimit rl = { 1024, 8192 };
	XCHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		SimXcheckOptions opt = { 0 };
		SimXcheckReport rep = child_run(texts[i], &opt);
		XCHECK(rep.verdict == SIM_XCHECK_MATCH);
		sim_xcheck_report_clear(&rep);
	}
	rl.rlim_max = 1024;
	XCHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", texts[i], strlen(texts[i]), &error);
		XCHECK(scn != NULL);
		SimXcheckOptions opt = { 0 };
		SimXcheckReport rep;
		XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
		const char *why = rep.reason ? rep.reason : "(none)";
		if (rep.verdict != SIM_XCHECK_NOT_CHECKABLE)
			dprintf(fail_fd, "case %u: %s\n", i, why);
		XCHECK(rep.verdict == SIM_XCHECK_NOT_CHECKABLE);
		XCHECK(strstr(why, "open descriptors for its") != NULL);
		XCHECK(strstr(why, "RLIMIT_NOFILE allows 1024: raise the hard limit") != NULL);
		sim_xcheck_report_clear(&rep);
	}
}

static void test_xcheck_a_low_descriptor_limit_is_raised_or_named(void)
{
	in_a_namespace_of_its_own(body_the_descriptor_limit_is_raised_or_named);
	assert_nothing_left();
}

/* SIGKILLs, once, every child of pid but the caller (found by their /proc/PID/stat). */
static void kill_children_of(pid_t pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		g_autofree char *path = g_strdup_printf("/proc/%s/stat", e->d_name);
		g_autofree char *text = NULL;
		const char *p;
		if (g_ascii_isdigit(e->d_name[0]) && atoi(e->d_name) != getpid() &&
		    g_file_get_contents(path, &text, NULL, NULL) && (p = strrchr(text, ')')) &&
		    atoi(p + 4) == pid)
			kill(atoi(e->d_name), SIGKILL);
	}
	if (d)
		closedir(d);
}

/* A coordinator killed from outside is reported as dead of that signal, not as a run out of
 * time. */
static void body_a_killed_coordinator_is_reported_dead(void)
{
	pid_t runner = getpid();
	pid_t killer = fork();
	XCHECK(killer >= 0);
	if (killer == 0) {
		g_usleep(500 * 1000);
		kill_children_of(runner);
		_exit(0);
	}
	g_autoptr(GError) error = NULL;
	const char *text = "posix queue \"/q\" maxmsg=1 msgsize=8\n"
			   "process a { mq_receive \"/q\" timeout=2s -> m }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	XCHECK(scn != NULL);
	SimXcheckOptions opt = { 0 };
	SimXcheckReport rep;
	XCHECK(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	XCHECK(waitpid(killer, NULL, 0) == killer);
	const char *why = rep.reason ? rep.reason : "(none)";
	if (rep.verdict != SIM_XCHECK_FAILED || !strstr(why, "died of SIGKILL"))
		dprintf(fail_fd, "%s\n", why);
	XCHECK(rep.verdict == SIM_XCHECK_FAILED);
	XCHECK(strstr(why, "the cross-check coordinator died of SIGKILL before it reported"));
	XCHECK(strstr(why, "ms allowed") == NULL && strstr(why, "within") == NULL);
	sim_xcheck_report_clear(&rep);
}

static void test_xcheck_a_killed_coordinator_is_reported_dead_not_late(void)
{
	in_a_namespace_of_its_own(body_a_killed_coordinator_is_reported_dead);
	assert_nothing_left();
}

/* Kills every child of the calling process (found by their /proc/PID/stat). */
static void kill_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		g_autofree char *path = g_strdup_printf("/proc/%s/stat", e->d_name);
		g_autofree char *text = NULL;
		const char *p;
		if (g_ascii_isdigit(e->d_name[0]) && g_file_get_contents(path, &text, NULL, NULL) &&
		    (p = strrchr(text, ')')) && atoi(p + 4) == getpid())
			kill(atoi(e->d_name), SIGKILL);
	}
	if (d)
		closedir(d);
}

/* A forked worker stopped (SIGSTOP) when the run runs out of time: its lifeline thread is
 * stopped too, so the runner kills the run's whole process group. As subreaper the test
 * inherits the orphans, and every one must be dead. */
static void test_xcheck_a_stopped_worker_dies_with_a_run_out_of_time(void)
{
	pid_t harness = fork();
	CU_ASSERT_TRUE_FATAL(harness >= 0);
	if (harness == 0) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			_exit(10);
		/* The second call is the forked b's: its worker is stopped. */
		g_autoptr(SimScenario) scn = test_scn_load("t.scn", "process a {\n"
						   "  fork b { pipe -> p }\n"
						   "  sleep 10ms\n"
						   "}\n");
		if (!scn)
			_exit(11);
		SimXcheckOptions opt = { .stall = 2, .step_ms = 10000, .total_ms = 1000 };
		SimXcheckReport rep;
		if (!sim_xcheck_run(scn, "t.scn", &opt, &rep, NULL) ||
		    rep.verdict != SIM_XCHECK_FAILED)
			_exit(12);
		sim_xcheck_report_clear(&rep);
		gint64 deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
		for (;;) {
			pid_t got = waitpid(-1, NULL, WNOHANG);
			if (got < 0 && errno == ECHILD)
				_exit(0);
			if (got == 0 && g_get_monotonic_time() > deadline) {
				kill_children(); /* leave nothing, but fail */
				_exit(13);
			}
			if (got == 0)
				g_usleep(10 * 1000);
		}
	}
	int st;
	CU_ASSERT_EQUAL(waitpid(harness, &st, 0), harness);
	CU_ASSERT_TRUE(WIFEXITED(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
	assert_nothing_left();
}

/* ---- Stop signals ----
 *
 * `msgsim crosscheck` stopped by SIGINT, SIGTERM or SIGHUP in the middle of a run (its
 * worker asleep in a timed receive far in the future) exits with 128 + the signal and
 * leaves nothing: no process, no sandbox directory, no queue - in a private namespace and
 * in the machine's (here: a namespace of the test's own, which plays the machine's). The
 * signal goes to the command alone, or to it and the coordinator's process group at once
 * (as a signal to every process of a job or a cgroup does). */

static int stop_sig;
static gboolean stop_group, stop_shared;

/* Is any process in the IPC namespace ns (as /proc/PID/ns/ipc names it)? */
static gboolean ns_has_process(const char *ns)
{
	DIR *d = opendir("/proc");
	XCHECK(d != NULL);
	gboolean found = FALSE;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		g_autofree char *path = g_strdup_printf("/proc/%s/ns/ipc", e->d_name);
		g_autofree char *link = g_file_read_link(path, NULL);
		found = link != NULL && strcmp(link, ns) == 0;
	}
	closedir(d);
	return found;
}

static void body_a_stopped_run_leaves_nothing(void)
{
	XCHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0); /* a survivor comes back to us */
	g_autofree char *exe = test_msgsim_exe();
	g_autofree char *file = NULL;
	int fd = g_file_open_tmp("msgsim-stop-XXXXXX.scn", &file, NULL);
	static const char text[] = "sysv queue q key=0x77\nposix queue \"/k\"\n"
				   "process a { mq_receive \"/k\" timeout=10s }\n";
	XCHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	fflush(NULL);
	pid_t top = fork();
	XCHECK(top >= 0);
	if (top == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(exe, "msgsim", "crosscheck", stop_shared ? "--no-namespace" : file,
		      stop_shared ? file : NULL, (char *)NULL);
		_exit(127);
	}
	/* Mid-run: the worker sleeps in its receive. */
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	gboolean asleep = FALSE;
	for (gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	     !asleep && g_get_monotonic_time() < end; g_usleep(5000)) {
		g_array_set_size(pids, 0);
		test_proc_tree(top, pids);
		for (guint i = 0; i < pids->len; i++)
			asleep |= sim_real_blocked_in(g_array_index(pids, pid_t, i),
						      SYS_mq_timedreceive);
	}
	unlink(file); /* read long ago; gone before any check can end the test */
	XCHECK(asleep && pids->len >= 3); /* the command, the coordinator, its workers */
	pid_t coord = g_array_index(pids, pid_t, 1);
	g_autofree char *ns_path = g_strdup_printf("/proc/%d/ns/ipc", (int)coord);
	g_autofree char *ns = g_file_read_link(ns_path, NULL);
	/* Held open, the namespace keeps its number: one that died could hand it to the next
	 * namespace made on the machine, and that one's processes would count as the run's. */
	int ns_fd = open(ns_path, O_RDONLY | O_CLOEXEC);
	XCHECK(ns != NULL && ns_fd >= 0);
	g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(key_t));
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	if (stop_shared) {
		registered(keys, names);
		XCHECK(keys->len == 1 && names->len == 1); /* made before the receive */
	}

	kill(top, stop_sig);
	if (stop_group)
		kill(-coord, stop_sig);
	int st = 0;
	XCHECK(waitpid(top, &st, 0) == top);
	/* No process: nothing came back to us, and every pid seen is free. */
	XCHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	for (guint i = 0; i < pids->len; i++)
		XCHECK(kill(g_array_index(pids, pid_t, i), 0) < 0 && errno == ESRCH);
	/* No directory. */
	g_autofree char *dir_prefix = g_strdup_printf("msgsim-real-%d-", (int)coord);
	DIR *d = opendir(g_get_tmp_dir());
	XCHECK(d != NULL);
	struct dirent *e;
	while ((e = readdir(d)))
		XCHECK(!g_str_has_prefix(e->d_name, dir_prefix));
	closedir(d);
	/* No queue: a private namespace is gone with its last process; in the machine's, the
	 * run's key and name are free and no queue is left at all. */
	if (stop_shared) {
		XCHECK(msgget(g_array_index(keys, key_t, 0), 0) < 0 && errno == ENOENT);
		XCHECK(mq_open(g_ptr_array_index(names, 0), O_RDONLY) < 0 && errno == ENOENT);
		XCHECK(sysv_queue_count() == 0);
	} else {
		XCHECK(!ns_has_process(ns));
	}
	close(ns_fd);
	XCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 128 + stop_sig);
}

static void stop_case(int sig, gboolean group, gboolean shared)
{
	stop_sig = sig;
	stop_group = group;
	stop_shared = shared;
	in_a_namespace_of_its_own(body_a_stopped_run_leaves_nothing);
	assert_nothing_left();
}

static void test_xcheck_sigint_sigterm_sighup_end_a_run_and_leave_nothing(void)
{
	stop_case(SIGINT, FALSE, FALSE);
	stop_case(SIGTERM, FALSE, FALSE);
	stop_case(SIGHUP, FALSE, FALSE);
}

static void test_xcheck_a_stop_signal_to_the_whole_group_leaves_nothing(void)
{
	stop_case(SIGINT, TRUE, FALSE);
	stop_case(SIGTERM, TRUE, FALSE);
}

static void test_xcheck_without_a_namespace_a_stopped_run_leaves_nothing(void)
{
	stop_case(SIGINT, FALSE, TRUE);
	stop_case(SIGTERM, FALSE, TRUE);
	stop_case(SIGHUP, FALSE, TRUE);
	stop_case(SIGINT, TRUE, TRUE);
}

/* ---- Another user's symlinks ---- */

/* A FIFO scenario: its FIFO is "files/%2Ftmp%2Ffifo" in the run's directory, which the client
 * writes "hello" through. */
static const char *const FIFO_TEXT = "process server {\n"
				     "    mkfifo \"/tmp/fifo\" perm=0666\n"
				     "    open \"/tmp/fifo\" rdonly -> f\n"
				     "    read f size=64 -> request\n"
				     "    close f\n"
				     "    unlink \"/tmp/fifo\"\n"
				     "}\n"
				     "process client {\n"
				     "    sleep 1ms\n"
				     "    open \"/tmp/fifo\" wronly -> f\n"
				     "    write f \"hello\"\n"
				     "    close f\n"
				     "}\n";

/* A process that, as `nobody`, plants a symlink to target under the FIFO's name in every
 * msgsim directory of the temporary directory it can reach, over and over until killed. */
static pid_t start_planter(const char *target)
{
	struct passwd *pw = getpwnam("nobody");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	const char *tmp = g_get_tmp_dir();
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid > 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		_exit(1);
	for (;;) {
		DIR *d = opendir(tmp);
		if (d == NULL)
			_exit(1);
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			char name[512];
			if (strncmp(e->d_name, "msgsim", 6) != 0 ||
			    snprintf(name, sizeof(name), "%s/files/%%2Ftmp%%2Ffifo", e->d_name) >=
				    (int)sizeof(name))
				continue;
			symlinkat(target, dirfd(d), name);
		}
		closedir(d);
	}
}

/* Five cross-checks of the FIFO scenario while the planter runs: each matches as without
 * it, and the file the symlinks point at keeps its content and its mtime. */
static void planted_symlinks_change_nothing(void)
{
	g_autofree char *target = g_build_filename(g_get_tmp_dir(), "xcheck-decoy-XXXXXX", NULL);
	int fd = g_mkstemp(target);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, "decoy\n", 6) == 6 && fchmod(fd, 0644) == 0 && close(fd) == 0);
	struct stat before, after;
	CU_ASSERT_FATAL(stat(target, &before) == 0);
	pid_t planter = start_planter(target);
	g_usleep(20000); /* it is planting before the first run starts */
	for (int i = 0; i < 5; i++) {
		SimXcheckOptions opt = { 0 };
		SimXcheckReport rep = run(FIFO_TEXT, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep.mismatches, 0);
		if (rep.verdict != SIM_XCHECK_MATCH)
			fprintf(stderr, "\n%s", rep.text);
		sim_xcheck_report_clear(&rep);
	}
	kill(planter, SIGKILL);
	waitpid(planter, NULL, 0);
	g_autofree char *text = NULL;
	CU_ASSERT_TRUE(g_file_get_contents(target, &text, NULL, NULL) &&
		       strcmp(text, "decoy\n") == 0);
	CU_ASSERT_TRUE(stat(target, &after) == 0 && after.st_size == 6 &&
		       after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
		       after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
	unlink(target);
	/* A directory left behind would be one the planter filled while it was removed. */
	sim_real_sandbox_sweep_stale();
	assert_nothing_left();
}

static void test_xcheck_planted_symlink_leaves_target_untouched_on_a_private_tmpfs(void)
{
	g_unsetenv("MSGSIM_NO_MOUNT_NS");
	planted_symlinks_change_nothing();
}

static void test_xcheck_planted_symlink_leaves_target_untouched_in_the_fallback_directory(void)
{
	g_setenv("MSGSIM_NO_MOUNT_NS", "1", TRUE);
	planted_symlinks_change_nothing();
	g_unsetenv("MSGSIM_NO_MOUNT_NS");
}

/* A runaway is found by the model alone, before any sandbox or worker exists: the loop
 * stops at the step limit, the sleep past the end of time at the overflow. */
static void test_xcheck_a_runaway_stops_in_the_model_before_any_worker(void)
{
	SimXcheckOptions opt = { .max_steps = 1000 };
	SimXcheckReport rep = run("mailbox A\nprocess p { loop { send A \"x\" } }\n", &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_STOPPED);
	CU_ASSERT_EQUAL(rep.calls, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- t.scn: stopped in the model, before any real "
						"process started: --max-steps 1,000 reached"));
	sim_xcheck_report_clear(&rep);

	SimXcheckOptions none = { 0 };
	rep = run("process p { sleep 9223372036s  sleep 9223372036s }\n", &none);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_STOPPED);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.reason, "simulated time overflows: p's sleep (line 1)"));
	sim_xcheck_report_clear(&rep);
	assert_nothing_left();
}

CU_TestInfo xcheck_tests[] = {
	{ "a runaway stops in the model before any worker",
	  test_xcheck_a_runaway_stops_in_the_model_before_any_worker },
	{ "a SysV scenario matches call by call",
	  test_xcheck_a_sysv_scenario_matches_call_by_call },
	{ "an injected wrong result is caught at its step",
	  test_xcheck_an_injected_wrong_result_is_caught_at_its_step },
	{ "a hung worker is killed at the step timeout",
	  test_xcheck_a_hung_worker_is_killed_at_the_step_timeout },
	{ "a scenario it cannot replay says why",
	  test_xcheck_a_scenario_it_cannot_replay_says_why },
	{ "a forked child forks again", test_xcheck_a_forked_child_forks_again },
	{ "a child outlives its parent", test_xcheck_a_child_outlives_its_parent },
	{ "a bounded mailbox is replayed on a POSIX queue",
	  test_xcheck_a_bounded_mailbox_is_replayed_on_a_posix_queue },
	{ "an unbounded priority mailbox is replayed",
	  test_xcheck_an_unbounded_priority_mailbox_is_replayed },
	{ "a kernel answer the model lacks is a mismatch",
	  test_xcheck_a_kernel_answer_the_model_lacks_is_a_mismatch },
	{ "racing senders follow the model's winner",
	  test_xcheck_racing_senders_follow_the_models_winner },
	{ "nothing survives a runner killed mid-run",
	  test_xcheck_nothing_survives_a_runner_killed_mid_run },
	{ "a stopped worker dies with a run out of time",
	  test_xcheck_a_stopped_worker_dies_with_a_run_out_of_time },
	{ "planted symlink leaves target untouched on a private tmpfs",
	  test_xcheck_planted_symlink_leaves_target_untouched_on_a_private_tmpfs },
	{ "planted symlink leaves target untouched in the fallback directory",
	  test_xcheck_planted_symlink_leaves_target_untouched_in_the_fallback_directory },
	{ "without a namespace strangers are left alone",
	  test_xcheck_without_a_namespace_strangers_are_left_alone },
	{ "without a namespace a killed runner is swept",
	  test_xcheck_without_a_namespace_a_killed_runner_is_swept },
	{ "without a namespace sets and segments have their own ids",
	  test_xcheck_without_a_namespace_sets_and_segments_have_their_own_ids },
	{ "without a namespace some scenarios are not checkable",
	  test_xcheck_without_a_namespace_some_scenarios_are_not_checkable },
	{ "without a namespace a scenario cannot reach the registry",
	  test_xcheck_without_a_namespace_a_scenario_cannot_reach_the_registry },
	{ "fifo paths that differ are different fifos",
	  test_xcheck_fifo_paths_that_differ_are_different_fifos },
	{ "without a namespace a run out of time leaves nothing",
	  test_xcheck_without_a_namespace_a_run_out_of_time_leaves_nothing },
	{ "without a namespace a stranger under a freed key is left alone",
	  test_xcheck_without_a_namespace_a_stranger_under_a_freed_key_is_left_alone },
	{ "without a namespace a planted POSIX queue is never opened",
	  test_xcheck_without_a_namespace_a_planted_posix_queue_is_never_opened },
	{ "a low descriptor limit is raised or named",
	  test_xcheck_a_low_descriptor_limit_is_raised_or_named },
	{ "a killed coordinator is reported dead, not late",
	  test_xcheck_a_killed_coordinator_is_reported_dead_not_late },
	{ "SIGINT, SIGTERM, SIGHUP end a run and leave nothing",
	  test_xcheck_sigint_sigterm_sighup_end_a_run_and_leave_nothing },
	{ "a stop signal to the whole group leaves nothing",
	  test_xcheck_a_stop_signal_to_the_whole_group_leaves_nothing },
	{ "without a namespace a stopped run leaves nothing",
	  test_xcheck_without_a_namespace_a_stopped_run_leaves_nothing },
	CU_TEST_INFO_NULL,
};

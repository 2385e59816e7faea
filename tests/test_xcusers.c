/* test_xcusers.c — the machine-wide limits in the cross-check: the per-user pipe limits
 * (xcheck_users.c) and net.unix.max_dgram_qlen in a network namespace of the run's own
 * (sandbox.c).
 *
 * A scenario that gives the per-user pipe limits is replayed only where the machine has
 * the same values, and only with calls that cannot show a uid; its non-root users run as
 * uids no process has. The network limit is written only after the process has left the
 * machine's network namespace. Both are machine settings: every test reads them and checks
 * that they are as they were.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/real.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

#define QLEN_FILE "/proc/sys/net/unix/max_dgram_qlen"

/* The scenario: `sysctl` with the machine's own soft and hard values (plus soft_extra),
 * then the given processes. */
static SimScenario *parse_with_machine_limits(gint64 soft_extra, const char *procs)
{
	gint64 soft = 0, hard = 0;
	CU_ASSERT_FATAL(xc_pipe_limits_read(&soft, &hard));
	g_autofree char *text = g_strdup_printf("sysctl pipe_user_pages_soft=%" G_GINT64_FORMAT
						" pipe_user_pages_hard=%" G_GINT64_FORMAT "\n%s",
						soft + soft_extra, hard, procs);
	g_autoptr(GError) err = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	if (!scn)
		fprintf(stderr, "\n%s\n", err->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	return scn;
}

static void test_xcusers_the_machines_values_are_replayed_and_others_refused(void)
{
	const char *procs = "process p uid=1000 { pipe -> a\n fcntl a.w setpipe_sz=8192 }\n";
	g_autoptr(SimScenario) same = parse_with_machine_limits(0, procs);
	g_autofree char *why = sim_xcheck_unsupported(same);
	CU_ASSERT_PTR_NULL(why);
	g_autoptr(SimScenario) other = parse_with_machine_limits(1, procs);
	g_autofree char *why2 = sim_xcheck_unsupported(other);
	CU_ASSERT(why2 && strstr(why2, "fs.pipe-user-pages-soft and -hard are") &&
		  strstr(why2, "never changes"));
}

static void test_xcusers_a_call_that_could_show_the_uid_is_refused(void)
{
	g_autoptr(SimScenario) st =
		parse_with_machine_limits(0, "process p uid=1000 {\n pipe -> a\n fstat a.r\n}\n");
	g_autofree char *why = sim_xcheck_unsupported(st);
	CU_ASSERT(why && strstr(why, "line 4 has fstat"));
	/* ... inside a body too */
	g_autoptr(SimScenario) in = parse_with_machine_limits(
		0, "process p uid=1000 {\n repeat 2 {\n  pipe -> a\n  kill p SIGUSR1\n }\n}\n");
	g_autofree char *why2 = sim_xcheck_unsupported(in);
	CU_ASSERT(why2 && strstr(why2, "line 5 has kill"));
	g_autoptr(SimScenario) q = parse_with_machine_limits(
		0, "sysv queue q key=5\nprocess p uid=1000 { pipe -> a }\n");
	g_autofree char *why3 = sim_xcheck_unsupported(q);
	CU_ASSERT(why3 && strstr(why3, "declares queues"));
	/* Without the sysctl the uids are the scenario's and nothing is refused for them. */
	const char *plain = "process p uid=1000 {\n pipe -> a\n fstat a.r\n}\n";
	g_autoptr(GError) err = NULL;
	g_autoptr(SimScenario) no = sim_scn_parse("t.scn", plain, strlen(plain), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(no);
	g_autofree char *why4 = sim_xcheck_unsupported(no);
	CU_ASSERT_PTR_NULL(why4);
}

/* Whether a process on the machine has uid u as its real uid. */
static gboolean uid_in_status(pid_t pid, gint64 u)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
	g_autofree char *text = NULL;
	g_autofree char *want = g_strdup_printf("\nUid:\t%" G_GINT64_FORMAT "\t", u);
	return g_file_get_contents(path, &text, NULL, NULL) && strstr(text, want) != NULL;
}

static void test_xcusers_the_runs_uids_are_unused_and_distinct(void)
{
	g_autoptr(SimScenario) scn = parse_with_machine_limits(
		0, "process a uid=1000 { pipe -> x }\nprocess b uid=1001 { pipe -> x }\n"
		   "process c uid=1000 { pipe -> x }\nprocess r uid=0 { pipe -> x }\n");
	Xc xc;
	memset(&xc, 0, sizeof(xc));
	xc.scn = scn;
	CU_ASSERT_FATAL(xc_users_pick(&xc));
	CU_ASSERT_EQUAL(xc.n_users, 2);
	gint64 a = xc_real_uid(&xc, 1000), b = xc_real_uid(&xc, 1001);
	CU_ASSERT(a != 1000 && b != 1001 && a != b && a > 65535 && b > 65535);
	CU_ASSERT_EQUAL(xc_real_uid(&xc, 0), 0); /* root stays root */
	CU_ASSERT_EQUAL(xc_real_uid(&xc, 7), 7);
	CU_ASSERT(xc.shared_note && strstr(xc.shared_note, "uid 1000 runs as uid"));
	g_clear_pointer(&xc.shared_note, g_free);

	/* A process with the first choice's uid: the next pick passes it by. */
	int go[2];
	CU_ASSERT_FATAL(pipe(go) == 0);
	pid_t child = fork();
	CU_ASSERT_FATAL(child >= 0);
	if (child == 0) {
		char c;
		close(go[1]);
		if (setresuid((uid_t)a, (uid_t)a, (uid_t)a) < 0)
			_exit(1);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	for (int i = 0; i < 2000 && !uid_in_status(child, a); i++)
		g_usleep(1000);
	CU_ASSERT(uid_in_status(child, a));
	CU_ASSERT_FATAL(xc_users_pick(&xc));
	CU_ASSERT(xc_real_uid(&xc, 1000) != a);
	CU_ASSERT(xc_real_uid(&xc, 1000) != 1000);
	close(go[1]);
	waitpid(child, NULL, 0);
	g_clear_pointer(&xc.shared_note, g_free);

	/* Without the sysctl nothing is mapped. */
	const char *plain = "process a uid=1000 { pipe -> x }\n";
	g_autoptr(GError) err = NULL;
	g_autoptr(SimScenario) no = sim_scn_parse("t.scn", plain, strlen(plain), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(no);
	xc.scn = no;
	CU_ASSERT(xc_users_pick(&xc));
	CU_ASSERT_EQUAL(xc.n_users, 0);
	CU_ASSERT_EQUAL(xc_real_uid(&xc, 1000), 1000);
	CU_ASSERT_PTR_NULL(xc.shared_note);
}

static gint64 read_qlen(void)
{
	g_autofree char *text = NULL;
	return g_file_get_contents(QLEN_FILE, &text, NULL, NULL) ? g_ascii_strtoll(text, NULL, 10)
								 : -1;
}

/* In a child: sim_real_sandbox_limits with max_dgram_qlen = v. Exit 0 when the value holds
 * afterwards and the network namespace is a new one exactly when v was not the old value;
 * 77 when no private IPC namespace can be had (nothing tested). */
static int qlen_child(gint64 v)
{
	struct stat before, after;
	if (unshare(CLONE_NEWIPC) < 0)
		return 77;
	gint64 old = read_qlen();
	if (stat("/proc/self/ns/net", &before) < 0)
		return 2;
	SimLimits want;
	sim_limits_init(&want);
	sim_limits_set(&want, SIM_LIMIT_MAX_DGRAM_QLEN, v);
	g_autoptr(GError) err = NULL;
	if (!sim_real_sandbox_limits(&want, &err)) {
		fprintf(stderr, "\nlimits: %s\n", err->message);
		return 3;
	}
	if (stat("/proc/self/ns/net", &after) < 0)
		return 4;
	gboolean moved = before.st_ino != after.st_ino;
	if (read_qlen() != v)
		return 5;
	return moved == (v != old) ? 0 : 6;
}

static int run_qlen_child(gint64 v)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(qlen_child(v));
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_xcusers_dgram_qlen_is_set_in_a_network_namespace_of_its_own(void)
{
	gint64 machine = read_qlen();
	CU_ASSERT_FATAL(machine >= 0);
	int rc = run_qlen_child(machine == 3 ? 4 : 3);
	if (rc == 77)
		return;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(run_qlen_child(machine), 0); /* the machine's value: no new namespace */
	CU_ASSERT_EQUAL(read_qlen(), machine);	      /* never written */
}

CU_TestInfo xcusers_tests[] = {
	{ "the machine's values are replayed and others refused",
	  test_xcusers_the_machines_values_are_replayed_and_others_refused },
	{ "a call that could show the uid is refused",
	  test_xcusers_a_call_that_could_show_the_uid_is_refused },
	{ "the run's uids are unused and distinct",
	  test_xcusers_the_runs_uids_are_unused_and_distinct },
	{ "dgram_qlen is set in a network namespace of its own",
	  test_xcusers_dgram_qlen_is_set_in_a_network_namespace_of_its_own },
	CU_TEST_INFO_NULL,
};

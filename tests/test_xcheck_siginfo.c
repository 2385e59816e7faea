/* test_xcheck_siginfo.c — the cross-check compares the siginfo a handler body read with the
 * one the kernel handed the worker's handler (sim/real/xcheck_siginfo.c). */
#include <CUnit/CUnit.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

/* SIGCHLD twice (an exit, a kill), SIGUSR1 from kill, SIGUSR2 from mq_notify with a value. */
static const char SIGINFO_TEXT[] = "posix queue \"/sq\" maxmsg=2 msgsize=8\n"
				   "process main {\n"
				   "    on SIGCHLD handler { print \"$si.code\" }\n"
				   "    on SIGUSR1 handler norestart { print \"$si.code\" }\n"
				   "    on SIGUSR2 handler norestart { print \"$si.value\" }\n"
				   "    mq_notify \"/sq\" signal=SIGUSR2 value=42\n"
				   "    fork quitter { exit 7 }\n"
				   "    wait quitter\n"
				   "    pipe -> hold\n"
				   "    fork victim { read hold.r size=1 }\n"
				   "    sleep 1ms\n"
				   "    kill victim SIGTERM\n"
				   "    wait victim\n"
				   "    sleep 20ms\n"
				   "    sleep 20ms\n"
				   "}\n"
				   "process poker start=5ms {\n"
				   "    kill main SIGUSR1\n"
				   "    sleep 5ms\n"
				   "    mq_send \"/sq\" \"x\"\n"
				   "}\n";

static void check(gboolean shared)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(SIGINFO_TEXT, shared, &rep);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	/* Both sides, pids as names; si_value only where si_code says it was queued. */
	const char *chld = "code=1 pid=quitter uid=0 value=0 status=7; "
			   "code=2 pid=victim uid=0 value=0 status=15";
	g_autofree char *chld_row = g_strdup_printf(
		"| siginfo of main's SIGCHLD handlers | %s | %s | yes |", chld, chld);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, chld_row));
	const char *usr1 = "code=0 pid=poker uid=0 value=0 status=0";
	g_autofree char *usr1_row = g_strdup_printf(
		"| siginfo of main's SIGUSR1 handlers | %s | %s | yes |", usr1, usr1);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, usr1_row));
	const char *usr2 = "code=-3 pid=poker uid=0 value=42 status=0";
	g_autofree char *usr2_row = g_strdup_printf(
		"| siginfo of main's SIGUSR2 handlers | %s | %s | yes |", usr2, usr2);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, usr2_row));
	if (!strstr(rep.text, usr1_row) || !strstr(rep.text, chld_row) ||
	    !strstr(rep.text, usr2_row))
		fprintf(stderr, "\n%s\n", rep.text);
	sim_xcheck_report_clear(&rep);
}

static void test_xcheck_siginfo_matches_the_kernels_in_a_namespace(void)
{
	check(FALSE);
}

static void test_xcheck_siginfo_matches_the_kernels_without_a_namespace(void)
{
	check(TRUE);
}

/* One standard signal sent twice before its target runs, twice: to a process blocked in a
 * read (the first interrupts it; the worker is held back so that the second finds the first
 * still pending) and to one whose call has returned (its worker keeps caught signals
 * blocked while it waits for the next command). One handler run each, on both sides. */
static const char MERGED_TEXT[] = "posix queue \"/mq\" maxmsg=2 msgsize=8\n"
				  "process main {\n"
				  "    on SIGUSR1 handler { print \"$si.pid\" }\n"
				  "    on SIGUSR2 handler { print \"$si.pid\" }\n"
				  "    pipe -> p\n"
				  "    fork twice { kill main SIGUSR1  kill main SIGUSR1  write p.w \"x\" }\n"
				  "    read p.r size=1\n"
				  "    wait twice\n"
				  "    fork again { mq_send \"/mq\" \"y\"  kill main SIGUSR2  kill main SIGUSR2 }\n"
				  "    mq_receive \"/mq\"\n"
				  "    wait again\n"
				  "}\n"
				  "expect main signal SIGUSR1 delivered=2 handled=1\n"
				  "expect main signal SIGUSR2 delivered=2 handled=1\n";

static void merged(gboolean shared)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(MERGED_TEXT, shared, &rep);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	const char *usr1 = "| siginfo of main's SIGUSR1 handlers | code=0 pid=twice uid=0 value=0 "
			   "status=0 | code=0 pid=twice uid=0 value=0 status=0 | yes |";
	const char *usr2 = "| siginfo of main's SIGUSR2 handlers | code=0 pid=again uid=0 value=0 "
			   "status=0 | code=0 pid=again uid=0 value=0 status=0 | yes |";
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, usr1));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, usr2));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "1 woken call held back"));
	if (rep.verdict != SIM_XCHECK_MATCH || !strstr(rep.text, usr1) || !strstr(rep.text, usr2))
		fprintf(stderr, "\n%s\n", rep.text);
	sim_xcheck_report_clear(&rep);
}

static void test_xcheck_siginfo_a_signal_sent_twice_is_merged_as_the_kernel_merges_it(void)
{
	/* Each time: the kernel's side is a race without the hold and the blocked mask. */
	for (int i = 0; i < 3; i++)
		merged(i == 2);
}

CU_TestInfo xcheck_siginfo_tests[] = {
	{ "a signal sent twice is merged as the kernel merges it",
	  test_xcheck_siginfo_a_signal_sent_twice_is_merged_as_the_kernel_merges_it },
	{ "siginfo matches the kernel's in a namespace",
	  test_xcheck_siginfo_matches_the_kernels_in_a_namespace },
	{ "siginfo matches the kernel's without a namespace",
	  test_xcheck_siginfo_matches_the_kernels_without_a_namespace },
	CU_TEST_INFO_NULL,
};

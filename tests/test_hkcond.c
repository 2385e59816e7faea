/* test_hkcond.c — a handler body's kills under `if`, decided by the worker's own handler
 * (real_hkill.c's program, xcheck_handler.c's translation), and `self.pid`, which lets such
 * a condition tell a signal the process sent itself without naming a pid. */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/real.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* ---- The worker's program, run in this process: task 0 is this process, and the
 * program's kills send signal 0 (nothing is delivered; the log still says it was made) ---- */

static guchar taken[SIM_REAL_HKILL_LOG];

/* Runs prog as SIGUSR1's handler with si_pid = pid; TRUE when it made its kill. */
static gboolean made(const char *prog, pid_t pid)
{
	CU_ASSERT_TRUE_FATAL(sim_real_hkill_prepare(NULL));
	sim_real_hkill_set_pid(0, getpid());
	CU_ASSERT_TRUE_FATAL(sim_real_hkill_program(SIGUSR1, prog));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_pid = pid;
	sim_real_hkill_run(SIGUSR1, &si);
	int err = -1;
	int found = sim_real_hkill_find(getpid(), 0, 0, taken, &err, NULL);
	CU_ASSERT_TRUE(found == 0 || err == 0);
	return found == 1;
}

#define OP(x) G_STRINGIFY(x)

static void test_hkcond_the_handler_kills_only_when_its_condition_holds(void)
{
	/* if si.pid == 1234 { kill 0 } */
	char prog[64];
	g_snprintf(prog, sizeof(prog), "f%d #1234 b%d z5 0:0", SIM_REAL_HK_SI_PID, SIM_REAL_HK_EQ);
	CU_ASSERT_TRUE(made(prog, 1234));
	CU_ASSERT_FALSE(made(prog, 99));
	/* if si.pid != self.pid { kill 0 } else { kill 0 }: one kill either way */
	g_snprintf(prog, sizeof(prog), "f%d f%d b%d z6 0:0 j7 0:0", SIM_REAL_HK_SI_PID,
		   SIM_REAL_HK_SELF_PID, SIM_REAL_HK_NE);
	CU_ASSERT_TRUE(made(prog, getpid()));
	CU_ASSERT_TRUE(made(prog, 1));
}

static void test_hkcond_a_faulting_condition_makes_nothing_but_and_or_decide_first(void)
{
	char prog[96];
	/* if 1 / 0 { kill }: the model's run ends at the fault, and the handler stops too */
	g_snprintf(prog, sizeof(prog), "#1 #0 b%d z5 0:0", SIM_REAL_HK_DIV);
	CU_ASSERT_FALSE(made(prog, 1));
	/* if !(0 && 1 / 0) { kill }: && never looks at its right side */
	g_snprintf(prog, sizeof(prog), "#0 #1 #0 b%d b%d u%d z8 0:0", SIM_REAL_HK_DIV,
		   SIM_REAL_HK_AND, SIM_REAL_HK_NOT);
	CU_ASSERT_TRUE(made(prog, 1));
	/* if 1 || 1 / 0 { kill } */
	g_snprintf(prog, sizeof(prog), "#1 #1 #0 b%d b%d z7 0:0", SIM_REAL_HK_DIV,
		   SIM_REAL_HK_OR);
	CU_ASSERT_TRUE(made(prog, 1));
	/* if -(-9223372036854775807 - 1) { kill }: the negation overflows */
	g_snprintf(prog, sizeof(prog), "#-9223372036854775807 #1 b%d u%d z6 0:0",
		   SIM_REAL_HK_SUB, SIM_REAL_HK_NEG);
	CU_ASSERT_FALSE(made(prog, 1));
}

static void test_hkcond_a_malformed_or_backward_program_is_refused(void)
{
	CU_ASSERT_FALSE(sim_real_hkill_program(SIGUSR1, "0:"));
	CU_ASSERT_FALSE(sim_real_hkill_program(SIGUSR1, "#"));
	CU_ASSERT_FALSE(sim_real_hkill_program(SIGUSR1, "#1 z0 0:0"));  /* backward */
	CU_ASSERT_FALSE(sim_real_hkill_program(SIGUSR1, "#1 z9 0:0"));  /* past the end */
	CU_ASSERT_FALSE(sim_real_hkill_program(SIGUSR1, "0:1 0:1 0:1 0:1 0:1")); /* > MAX */
	CU_ASSERT_TRUE(sim_real_hkill_program(SIGUSR1, "#1 z3 0:1"));
	CU_ASSERT_TRUE(sim_real_hkill_program(SIGUSR1, ""));
}

/* ---- What the cross-check takes, and what it refuses ---- */

static char *why_not(const char *text)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	char *why = sim_xcheck_unsupported(r.scn);
	test_run_free(&r);
	return why;
}

static void test_hkcond_a_kill_under_if_on_siginfo_is_taken(void)
{
	g_autofree char *why =
		why_not("process main {\n"
			"  on SIGUSR1 handler {\n"
			"    if si.pid != self.pid && si.code == 0 { kill main SIGUSR2 }\n"
			"    else { if !(si.uid > 5) { kill main SIGUSR2 } }\n"
			"  }\n"
			"  on SIGUSR2 ignore\n"
			"}\n");
	CU_ASSERT_PTR_NULL(why);
	if (why)
		fprintf(stderr, "\n%s\n", why);
}

static void test_hkcond_a_kill_under_if_on_a_variable_is_refused(void)
{
	g_autofree char *why = why_not("process main {\n"
				       "  on SIGUSR1 handler {\n"
				       "    let n = si.pid + 1\n"
				       "    if n > 2 { kill main SIGUSR2 }\n"
				       "  }\n"
				       "  on SIGUSR2 ignore\n"
				       "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "reads a variable of the body"));
}

/* The kernel's handler decides as the model's body does: kid's SIGUSR1 makes main kill it;
 * main's own SIGUSR1 (from the body) does not kill again. */
static const char NEST_TEXT[] = "process main {\n"
				"  on SIGUSR1 handler {\n"
				"    if si.pid != self.pid {\n"
				"      kill kid SIGUSR2\n"
				"      kill main SIGUSR1\n"
				"    } else { kill main SIGUSR2 }\n"
				"  }\n"
				"  on SIGUSR2 handler\n"
				"  pipe -> p\n"
				"  fork kid {\n"
				"    on SIGUSR2 handler norestart\n"
				"    kill main SIGUSR1\n"
				"    @cut read p.r size=1\n"
				"  }\n"
				"  wait kid\n"
				"}\n"
				"expect @cut errno=EINTR\n"
				"expect main signal SIGUSR2 delivered=1\n";

static void test_hkcond_the_kernel_decides_each_body_as_the_model_does(void)
{
	const char *rows[] = { "| main | kill in SIGUSR1's handler (line 4) | ok 0 | ok 0 | yes |",
			       "| main | kill in SIGUSR1's handler (line 5) | ok 0 | ok 0 | yes |",
			       "| main | kill in SIGUSR1's handler (line 6) | ok 0 | ok 0 | yes |",
			       "| kid | read (line 13) | EINTR | EINTR | yes |", NULL };
	for (int shared = 0; shared < 2; shared++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", NEST_TEXT, strlen(NEST_TEXT), &error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimXcheckOptions opt = { .rows = TRUE, .shared_ipc = shared };
		SimXcheckReport rep = { 0 };
		CU_ASSERT_TRUE_FATAL(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
		gboolean all = rep.verdict == SIM_XCHECK_MATCH;
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		for (guint i = 0; rows[i]; i++) {
			gboolean has = strstr(rep.text, rows[i]) != NULL;
			CU_ASSERT_TRUE(has);
			all = all && has;
		}
		if (!all)
			fprintf(stderr, "\n%s\n%s\n", rep.text, rep.reason ? rep.reason : "");
		sim_xcheck_report_clear(&rep);
	}
}

/* ---- self.pid ---- */

static void test_hkcond_self_pid_is_the_process_own_pid(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  fork kid { @k assert self.pid == 101 }\n"
				  "  @m assert self.pid == 100\n"
				  "  wait kid\n"
				  "}\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(sim_world_status(r.w), SIM_RUN_DONE);
	CU_ASSERT_EQUAL(r.verdict.exit_status, 0);
	test_run_free(&r);
	g_autoptr(GError) error = NULL;
	const char *bad = "process main { assert self.cpu == 1 }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", bad, strlen(bad), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "'.pid' after 'self'"));
}

CU_TestInfo hkcond_tests[] = {
	{ "the handler kills only when its condition holds",
	  test_hkcond_the_handler_kills_only_when_its_condition_holds },
	{ "a faulting condition makes nothing, but && and || decide first",
	  test_hkcond_a_faulting_condition_makes_nothing_but_and_or_decide_first },
	{ "a malformed or backward program is refused",
	  test_hkcond_a_malformed_or_backward_program_is_refused },
	{ "a kill under if on siginfo is taken", test_hkcond_a_kill_under_if_on_siginfo_is_taken },
	{ "a kill under if on a variable is refused",
	  test_hkcond_a_kill_under_if_on_a_variable_is_refused },
	{ "the kernel decides each body as the model does",
	  test_hkcond_the_kernel_decides_each_body_as_the_model_does },
	{ "self.pid is the process's own pid", test_hkcond_self_pid_is_the_process_own_pid },
	CU_TEST_INFO_NULL,
};

/* test_expect_programs.c — the scenario parser's programs mode (scn_programs.c) and the
 * words it shares with scenarios: `expect msqid=N ...` judged by run, `calls [...]` refused
 * outside an expectations file of msgsim exec, and programs listed as they are first named.
 */
#include <string.h>

#include "tests.h"

static SimScenario *parse_programs(const char *text, GError **error)
{
	SimScnOptions o = { .programs = TRUE };
	return sim_scn_parse_with("p.expect", text, strlen(text), &o, error);
}

/* Names are listed, not looked up: each distinct one once, in the order it is resolved,
 * a pid as a name of its own; the expectation's process indexes are into that list. */
static void test_programs_are_listed_as_first_named(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = parse_programs(
		"expect msgrcv received [1 \"a\" from 3]\n"
		"expect 3 exit=0\n"
		"expect msqid=0 lspid=msgsnd qnum=0\n"
		"expect msgrcv calls [msgget ret=0, msgrcv blocked ret=512, msgrcv errno=ENOMSG]\n",
		&error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	CU_ASSERT_EQUAL(scn->n_procs, 0);
	CU_ASSERT_EQUAL_FATAL(scn->n_programs, 3);
	CU_ASSERT_STRING_EQUAL(scn->programs[0], "msgrcv");
	CU_ASSERT_STRING_EQUAL(scn->programs[1], "3");
	CU_ASSERT_STRING_EQUAL(scn->programs[2], "msgsnd");
	CU_ASSERT_PTR_NULL(scn->programs[3]);
	CU_ASSERT_EQUAL(scn->expects[0].proc, 0);
	CU_ASSERT_EQUAL(scn->expects[0].msgs[0].from, 1);
	CU_ASSERT_EQUAL(scn->expects[1].proc, 1);
	CU_ASSERT_TRUE(scn->expects[2].by_id);
	CU_ASSERT_EQUAL(scn->expects[2].msqid, 0);
	CU_ASSERT_EQUAL(scn->expects[2].stats[0].key, SIM_STAT_LSPID);
	CU_ASSERT_EQUAL(scn->expects[2].stats[0].value, 2);
	const SimScnExpect *c = &scn->expects[3];
	CU_ASSERT_EQUAL(c->kind, SIM_EXPECT_CALLS);
	CU_ASSERT_EQUAL_FATAL(c->n_calls, 3);
	CU_ASSERT_STRING_EQUAL(c->calls[1].name, "msgrcv");
	CU_ASSERT_TRUE(c->calls[1].blocked);
	CU_ASSERT_EQUAL(c->calls[1].ret, 512);
	CU_ASSERT_EQUAL(c->calls[2].err, ENOMSG);
	CU_ASSERT_EQUAL(c->calls[2].ret, -1);
}

static void fails(const char *text, gboolean programs, const char *want)
{
	g_autoptr(GError) error = NULL;
	SimScnOptions o = { .programs = programs };
	g_autoptr(SimScenario) scn = sim_scn_parse_with("p.scn", text, strlen(text), &o, &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	if (strcmp(error->message, want) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", error->message, want);
	CU_ASSERT_STRING_EQUAL(error->message, want);
}

/* A scenario names its processes; a pid is no name there, and calls [...] is exec's. */
static void test_scenarios_keep_their_names_and_refuse_calls(void)
{
	fails("process p { }\nexpect p calls [msgget ret=0]\n", FALSE,
	      "p.scn:2:10: error: 'calls [...]' judges the programs of msgsim exec; a "
	      "scenario's call is labelled and checked with expect @LABEL");
	fails("process p { }\nexpect 2 exit=0\n", FALSE,
	      "p.scn:2:8: error: expected a process, mailbox, port or SysV queue name, a POSIX "
	      "queue \"/name\", key=K, msqid=N, @label, deadlock, no deadlock or time after "
	      "'expect', found '2'");
	fails("process p { }\nexpect q exit=0\n", FALSE,
	      "p.scn:2:8: error: unknown name 'q': no mailbox, port or process has that name");
	fails("expect 0x2 exit=0\n", TRUE,
	      "p.scn:1:8: error: expected a program (its name or pid), a POSIX queue \"/name\", "
	      "key=K, msqid=N, deadlock, no deadlock or time after 'expect', found '0x2'");
	fails("expect msqid=0 sent=1\n", TRUE,
	      "p.scn:1:16: error: a SysV queue has no statistic 'sent' (expected qnum, "
	      "cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, cgid, stime, "
	      "rtime or ctime)");
}

/* msqid=N is the scenario language's: run judges it on the queue that last had the id,
 * removed or not, as exec does. */
static void test_run_judges_msqid_on_the_queue_that_had_it(void)
{
	static const char text[] = "process p {\n"
				   "    msgget key=0x9000 create perm=0600 -> a\n"
				   "    msgsnd a \"x\" type=1\n"
				   "    msgget key=private create perm=0600 -> b\n"
				   "    msgctl b rmid\n"
				   "}\n"
				   "expect msqid=0 qnum=1 removed=no\n"
				   "expect msqid=1 removed=yes qnum=0\n"
				   "expect msqid=1 removed=no\n"
				   "expect msqid=7 qnum=0\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("m.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	static const char *const want[] = { "qnum=1 removed=no", "removed=yes qnum=0",
					    "removed=yes", "no queue ever had id 7" };
	for (guint i = 0; i < scn->n_expects; i++) {
		g_autoptr(GString) seen = g_string_new(NULL);
		CU_ASSERT_EQUAL(sim_report_expectation(w, &scn->expects[i], seen), i < 2);
		CU_ASSERT_STRING_EQUAL(seen->str, want[i]);
		g_autoptr(GString) said = g_string_new(NULL);
		sim_report_describe(w, &scn->expects[i], said);
		CU_ASSERT_TRUE(g_str_has_prefix(said->str, "msqid="));
	}
}

extern CU_TestInfo expect_programs_tests[];
CU_TestInfo expect_programs_tests[] = {
	{ "programs mode: programs are listed as they are first named",
	  test_programs_are_listed_as_first_named },
	{ "scenarios keep declared names and refuse calls [...]",
	  test_scenarios_keep_their_names_and_refuse_calls },
	{ "run judges msqid=N on the queue that last had the id",
	  test_run_judges_msqid_on_the_queue_that_had_it },
	CU_TEST_INFO_NULL,
};

/* test_lectlang.c — what the lecture's programs need from the language beyond print:
 * `msgctl q stat -> st`, the struct msqid_ds an IPC_STAT fills, kept in a variable and read
 * as st.qnum, st.perm.mode (or msg_qnum, msg_perm.mode, as C names them) in expressions,
 * print's arguments and texts; `ipcs -q|-m|-s -i ID` as a statement; and the errors of
 * their misuse.
 */
#include <stdio.h>
#include <string.h>

#include "msgsim/output/ipcs.h"
#include "tests.h"

static char *parse_error(const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	return g_strdup(error->message);
}

#define CHECK_ERROR(text, want)                                                        \
	do {                                                                           \
		g_autofree char *got_ = parse_error(text);                             \
		CU_ASSERT_STRING_EQUAL(got_, (want));                                  \
		if (strcmp(got_, (want)) != 0)                                         \
			fprintf(stderr, "\n    want %s\n    got  %s\n", (want), got_); \
	} while (0)

#define MADE "process p uid=1000 gid=100 {\n msgget key=0x1234 create perm=0640 -> q\n"

static void test_lectlang_statvar_fields_are_the_counts_of_the_ipc_stat(void)
{
	TestRun r = test_run_text(MADE " msgsnd q type=1 \"hello\" size=512\n"
				       " msgctl q stat -> st\n"
				       " print \"%d %d %d %d %d\", st.qnum, st.cbytes, st.qbytes,"
				       " st.lspid, st.lrpid\n"
				       " print \"%o 0x%x %d %d %d %d\", st.perm.mode, st.perm.key,"
				       " st.perm.uid, st.perm.gid, st.perm.cuid, st.perm.cgid\n"
				       " print \"slots %d\", 16384 / 512 - st.msg_qnum\n"
				       "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"1 512 16384 100 0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"640 0x1234 1000 100 1000 100\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"slots 31\""));
	test_run_free(&r);
}

/* A snapshot: what happens after the IPC_STAT does not change it, the next one does. */
static void test_lectlang_statvar_keeps_the_struct_of_the_call_until_the_next(void)
{
	TestRun r = test_run_text(MADE " msgctl q stat -> st\n"
				       " msgsnd q type=1 \"a\"\n"
				       " print \"before $st.qnum\"\n"
				       " msgctl q stat -> st\n"
				       " print \"after ${st.msg_qnum}\"\n"
				       "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"before 0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"after 1\""));
	test_run_free(&r);
}

/* Times are seconds of the simulated epoch ipcs -t shows; a failed IPC_STAT leaves the
 * struct as it was, as the kernel copies nothing out. */
static void test_lectlang_statvar_times_and_a_failed_call(void)
{
	g_autofree char *want =
		g_strdup_printf("print \"%" G_GINT64_FORMAT " 0 0 0\"", (gint64)SIM_IPCS_EPOCH);
	TestRun r = test_run_text(MADE
				  " msgctl q stat -> st\n"
				  " print \"%d %d %d %d\", st.ctime, st.stime, st.rtime, st.lspid\n"
				  " msgctl q rmid\n"
				  " msgctl q stat -> st\n"
				  " print \"still %d\", st.qbytes\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"still 16384\""));
	test_run_free(&r);
}

/* A forked child inherits the struct with the other variables. */
static void test_lectlang_statvar_a_fork_inherits_it(void)
{
	TestRun r = test_run_text(MADE " msgsnd q type=1 \"a\"\n"
				       " msgctl q stat -> st\n"
				       " fork child { print \"child %d\", st.qnum }\n"
				       "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"child 1\""));
	test_run_free(&r);
}

static void test_lectlang_statvar_misuse_is_an_error(void)
{
	CHECK_ERROR(MADE " msgctl q stat -> st\n print \"%d\", st.qnumm\n}\n",
		    "x.scn:4:16: error: unknown field 'qnumm' of IPC_STAT result 'st' (expected "
		    "qnum, qbytes, cbytes, lspid, lrpid, stime, rtime, ctime, or perm.key, "
		    "perm.uid, perm.gid, perm.cuid, perm.cgid, perm.mode, perm.seq)");
	CHECK_ERROR(MADE " msgctl q stat -> st\n print \"%d\", st.perm\n}\n",
		    "x.scn:4:16: error: unknown field 'perm' of IPC_STAT result 'st' (expected "
		    "qnum, qbytes, cbytes, lspid, lrpid, stime, rtime, ctime, or perm.key, "
		    "perm.uid, perm.gid, perm.cuid, perm.cgid, perm.mode, perm.seq)");
	CHECK_ERROR(MADE " msgctl q stat -> st\n print \"${st.perm.modes}\"\n}\n",
		    "x.scn:4:9: error: unknown field 'perm.modes' of IPC_STAT result 'st' "
		    "(expected qnum, qbytes, cbytes, lspid, lrpid, stime, rtime, ctime, or "
		    "perm.key, perm.uid, perm.gid, perm.cuid, perm.cgid, perm.mode, perm.seq)");
	CHECK_ERROR(MADE " msgctl q stat -> st\n print \"%d\", st + 1\n}\n",
		    "x.scn:4:14: error: variable 'st' holds an IPC_STAT result (set at 3:19), not "
		    "a number: name one of its fields, like st.qnum or st.perm.mode");
	CHECK_ERROR(MADE " msgctl q stat -> st\n print \"$st\"\n}\n",
		    "x.scn:4:9: error: variable 'st' holds an IPC_STAT result (set at 3:19), not "
		    "one number: name one of its fields, like st.qnum or st.perm.mode");
	CHECK_ERROR(MADE " print \"$st.qnum\"\n msgctl q stat -> st\n}\n",
		    "x.scn:3:9: error: '$st.qnum' comes before 'msgctl ... -> st' (at 4:19): a "
		    "field of an IPC_STAT result is read after the call that fills it");
	CHECK_ERROR(MADE " msgctl q rmid -> st\n}\n",
		    "x.scn:3:16: error: '-> VAR' after 'msgctl q rmid': only stat, msg_stat and "
		    "msg_stat_any fill a struct msqid_ds to keep");
	CHECK_ERROR(MADE " msgctl q stat -> st\n msgsnd st type=1 \"x\"\n}\n",
		    "x.scn:4:9: error: variable 'st' holds an IPC_STAT result (set at 3:19), not a "
		    "queue id: msgsnd needs a `sysv queue` name or a variable set by 'msgget ... "
		    "-> st'");
	CHECK_ERROR(MADE " msgctl q stat -> st\n let st = 1\n}\n",
		    "x.scn:4:6: error: variable 'st' already holds an IPC_STAT result (set at "
		    "3:19): it cannot also hold a number (let)");
	CHECK_ERROR(MADE " msgctl q stat -> q\n}\n",
		    "x.scn:3:19: error: variable 'q' already holds a queue id (set at 2:40): it "
		    "cannot also hold an IPC_STAT result");
}

/* ---- ftok("PATH", ID) as a value ---- */

/* The key glibc's ftok makes from the file's st_dev and st_ino, as msgget's key=ftok(...)
 * gets it, with the file declared after its use. */
static void test_lectlang_ftok_is_the_key_msgget_uses(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  print \"0x%x\", ftok(\"/home/u/f\", 0x27)\n"
				  "  let k = ftok(\"/home/u/f\", 1) + 1\n"
				  "  print \"k ${k} ${ftok(\\\"/home/u/f\\\", 2)}\"\n"
				  "  msgget key=ftok(\"/home/u/f\", 0x27) create -> q\n"
				  "  msgctl q stat -> st\n"
				  "  assert st.perm.key == ftok(\"/home/u/f\", 0x27)\n"
				  "}\n"
				  "file \"/home/u/f\" dev=0x801 ino=0x12345\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"0x27012345\""));
	/* 0x01012345 + 1 and 0x02012345 */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"k 16851782 33628997\""));
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	test_run_free(&r);
}

static void test_lectlang_ftok_errors(void)
{
	CHECK_ERROR("process p { print \"%d\", ftok(\"/nope\", 1) }",
		    "x.scn:1:31: error: unknown file \"/nope\": declare it with 'file \"/nope\" "
		    "dev=... ino=...'");
	CHECK_ERROR("file \"/f\" dev=1 ino=2 process p { print \"%d\", ftok(\"/f\", 256) }",
		    "x.scn:1:58: error: bad ftok id 256: expected 0 to 255 (ftok uses its low 8 "
		    "bits)");
	CHECK_ERROR("process p { print \"%d\", ftok(f, 1) }",
		    "x.scn:1:30: error: expected a file path in double quotes after 'ftok(' in an "
		    "expression, found 'f'");
	CHECK_ERROR("process p { let i = 1 print \"%d\", ftok(\"/f\", i) }",
		    "x.scn:1:46: error: ftok's id must be known before the run: a number or a "
		    "parameter");
	CHECK_ERROR(
		"process p { print \"%d\", ftok(\"/f\" 1) }",
		"x.scn:1:35: error: expected ',' after ftok's path in an expression, found '1'");
}

/* ---- ipcs -i ID ---- */

static void test_lectlang_ipcs_i_shows_one_object_or_says_it_is_not_found(void)
{
	TestRun r = test_run_text(MADE " msgsnd q type=1 \"hello\" size=512\n"
				       " ipcs -q -i ${q}\n"
				       " ipcs -q -i 5\n"
				       " semget key=0x99 nsems=2 create perm=0600 -> s\n"
				       " ipcs -s -i ${s}\n"
				       " ipcs -q\n"
				       "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\nMessage Queue msqid=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "cbytes=512\tqbytes=16384\tqnum=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcs: id 5 not found"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\nSemaphore Array semid=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "------ Message Queues --------"));
	test_run_free(&r);
}

static void test_lectlang_ipcs_i_errors(void)
{
	CHECK_ERROR("process p { ipcs -i 0 }",
		    "x.scn:1:18: error: 'ipcs -i' needs its kind first: when using an ID, a single "
		    "resource must be specified (ipcs -q -i ID, -m -i ID or -s -i ID)");
	CHECK_ERROR("process p { ipcs -a -i 0 }",
		    "x.scn:1:21: error: 'ipcs -i' with another view: -i ID goes only after -q, -m "
		    "or -s, as util-linux's ipcs takes it");
	CHECK_ERROR("process p { ipcs -q -x }",
		    "x.scn:1:21: error: bad option '-x' after 'ipcs -q': expected -p, -t, -l or -i "
		    "ID");
	CHECK_ERROR("process p { ipcs -q -i }",
		    "x.scn:1:24: error: expected a number after 'ipcs -i', found '}'");
	CHECK_ERROR("process p { ipcs -z }",
		    "x.scn:1:18: error: bad ipcs option '-z': expected -q, -p, -t, -l, -s, -m, -a, "
		    "-c, -u or -i");
}

/* ---- ipcrm with several options ---- */

static void test_lectlang_ipcrm_options_are_statements_in_order(void)
{
	g_autoptr(GError) error = NULL;
	const char *text = "process p {\n  ipcrm -q 1 -S 0x5 -m 3\n  exit 0\n}\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	const SimBlock *b = &scn->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 4);
	const char what[] = { 'q', 's', 'm' };
	const gint64 num[] = { 1, 5, 3 };
	for (guint i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(b->stmts[i].kind, SIM_STMT_IPCRM);
		CU_ASSERT_EQUAL(b->stmts[i].ipcrm.what, what[i]);
		CU_ASSERT_EQUAL(b->stmts[i].ipcrm.by_key, i == 1);
		CU_ASSERT_EQUAL(b->stmts[i].ipcrm.num, num[i]);
		CU_ASSERT_EQUAL(b->stmts[i].loc.line, 2);
	}
	CU_ASSERT_EQUAL(b->stmts[1].loc.col, 14); /* where its '-' is */
}

/* As util-linux's ipcrm: a removal that fails does not stop the ones after it. */
static void test_lectlang_ipcrm_goes_on_after_a_failure(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  msgget key=0x10 create perm=0600 -> a\n"
				  "  msgget key=0x11 create perm=0600 -> b\n"
				  "  ipcrm -q a -q 77 -Q 0x11\n"
				  "  @a msgget key=0x10\n"
				  "  @b msgget key=0x11\n"
				  "}\n"
				  "expect @a errno=ENOENT\n"
				  "expect @b errno=ENOENT\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -q a (id 0) -> ok"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -q 77 -> EINVAL (invalid argument): ipcrm: "
					     "invalid id (77)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -Q 0x11 -> ok"));
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	test_run_free(&r);
}

static void test_lectlang_ipcrm_several_errors(void)
{
	CHECK_ERROR("process p { @x ipcrm -q 1 -s 2 }",
		    "x.scn:1:27: error: a labelled ipcrm takes one option: '@x' names one "
		    "statement's result (write one ipcrm per label)");
	CHECK_ERROR("process p { ipcrm -q 1 -z 2 }",
		    "x.scn:1:24: error: expected an option after 'ipcrm': -q ID, -Q KEY, -s ID, "
		    "-S KEY, -m ID or -M KEY, found '-'");
	CHECK_ERROR("process p { ipcrm -q 1 -Q 0 }",
		    "x.scn:1:27: error: illegal key 0 after 'ipcrm -Q': it is IPC_PRIVATE, which "
		    "names no object (ipcrm refuses it)");
}

CU_TestInfo lectlang_tests[] = {
	{ "ftok is the key msgget uses", test_lectlang_ftok_is_the_key_msgget_uses },
	{ "ftok errors", test_lectlang_ftok_errors },
	{ "ipcrm options are statements in order",
	  test_lectlang_ipcrm_options_are_statements_in_order },
	{ "ipcrm goes on after a failure", test_lectlang_ipcrm_goes_on_after_a_failure },
	{ "ipcrm several errors", test_lectlang_ipcrm_several_errors },
	{ "ipcs -i shows one object or says it is not found",
	  test_lectlang_ipcs_i_shows_one_object_or_says_it_is_not_found },
	{ "ipcs -i errors", test_lectlang_ipcs_i_errors },
	{ "fields are the counts of the IPC_STAT",
	  test_lectlang_statvar_fields_are_the_counts_of_the_ipc_stat },
	{ "keeps the struct of the call until the next",
	  test_lectlang_statvar_keeps_the_struct_of_the_call_until_the_next },
	{ "times and a failed call", test_lectlang_statvar_times_and_a_failed_call },
	{ "a fork inherits it", test_lectlang_statvar_a_fork_inherits_it },
	{ "misuse is an error", test_lectlang_statvar_misuse_is_an_error },
	CU_TEST_INFO_NULL,
};

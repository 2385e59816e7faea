/* test_outfield.c — what a call hands back besides its result: `expect @L FIELD=VALUE` on
 * the struct it filled (every field of struct msginfo as msgctl IPC_INFO and MSG_INFO give
 * it, and fstat's and stat's type, mode, size, links and owner), and read's buffer (its
 * size_t count, in the kernel's order of checks, and fill=B with `untouched=N`); how they
 * parse, what a failure says it saw, the errors, and the same judged on the kernel.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>

#include "msgsim/lang/outfield.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

/* Runs text; the "seen" text of expectation i, and whether it held. */
static gboolean seen_of(const char *text, guint i, GString *seen)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.scn);
	CU_ASSERT_TRUE_FATAL(i < r.scn->n_expects);
	gboolean ok = sim_report_expectation(r.w, &r.scn->expects[i], seen);
	test_run_free(&r);
	return ok;
}

static const char msginfo_text[] =
	"sysctl msgmax=100 msgmnb=200 msgmni=7\n"
	"process p {\n  msgget key=private -> a\n  msgget key=private -> b\n"
	"  msgsnd a \"hello\"\n  msgsnd b \"ab\"\n  msgsnd b \"c\"\n"
	"  @i msgctl a info\n  @m msgctl a msg_info\n  msgctl a rmid\n  @n msgctl b msg_info\n}\n";

/* IPC_INFO: the limits as set, the constants of include/uapi/linux/msg.h; MSG_INFO: the
 * queues, messages and bytes of the namespace in their place. */
static void test_outfield_msginfo_every_field(void)
{
	g_autoptr(GString) text = g_string_new(msginfo_text);
	g_string_append(text, "expect @i ret=1 msgpool=512000 msgmap=16384 msgmax=100 msgmnb=200 "
			      "msgmni=7 msgssz=16 msgtql=16384 msgseg=65535\n"
			      "expect @m msgpool=2 msgmap=3 msgtql=8 msgmax=100 msgseg=65535\n"
			      "expect @n ret=1 msgpool=1 msgmap=2 msgtql=3\n");
	g_autoptr(GString) seen = g_string_new(NULL);
	for (guint i = 0; i < 3; i++)
		CU_ASSERT_TRUE(seen_of(text->str, i, seen));
}

static void test_outfield_a_failure_says_what_it_saw(void)
{
	g_autoptr(GString) text = g_string_new(msginfo_text);
	g_string_append(text, "expect @m msgpool=3 msgtql=8\n"
			      "process q { pipe -> x  write x.w \"abc\"  @f fstat x.r }\n"
			      "expect @f type=regular mode=0644 size=3\n");
	g_autoptr(GString) seen = g_string_new(NULL);
	CU_ASSERT_FALSE(seen_of(text->str, 0, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "ok, msgpool=2 msgtql=8");
	g_string_truncate(seen, 0);
	CU_ASSERT_FALSE(seen_of(text->str, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "ok, type=fifo mode=0600 size=0");
}

/* A pipe holding bytes is size 0 (pipefs keeps no i_size); a socket is 0777 whatever the
 * umask, owned by its maker; a failed fstat fails a field expectation. */
static void test_outfield_stat_fields(void)
{
	const char *text = "process p uid=7 {\n  pipe -> a\n  write a.w \"hello\"\n"
			   "  @p fstat a.r\n  socketpair stream -> s\n  @s fstat s.w\n"
			   "  @bad fstat 40\n}\n"
			   "expect @p ok type=fifo mode=0600 size=0 nlink=1 uid=7\n"
			   "expect @s type=socket mode=0777 size=0 nlink=1 uid=7\n"
			   "expect @bad type=fifo\n";
	g_autoptr(GString) seen = g_string_new(NULL);
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	g_string_truncate(seen, 0);
	CU_ASSERT_FALSE(seen_of(text, 2, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "EBADF");
}

static void test_outfield_parse_errors_say_what_was_expected(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process p { pipe -> a  @w write a.w \"x\" }\nexpect @w msgmax=1\n",
		  "t.scn:2:11: error: 'msgmax=' reads what msgctl info or msg_info fills, and @w "
		  "labels write" },
		{ "process p { msgget key=private -> q  @s msgctl q stat }\nexpect @s msgpool=1\n",
		  "t.scn:2:11: error: 'msgpool=' reads what msgctl info or msg_info fills, and @s "
		  "labels msgctl" },
		{ "process p { msgget key=private -> q  @i msgctl q info }\nexpect @i size=0\n",
		  "t.scn:2:11: error: 'size=' reads what fstat or stat fills, and @i labels "
		  "msgctl" },
		{ "process p { pipe -> a  @f fstat a.r }\nexpect @f type=pipe\n",
		  "t.scn:2:16: error: expected a file type after 'type=' (fifo, regular, socket, "
		  "dir, chr, blk or symlink), found 'pipe'" },
		{ "process p { pipe -> a  @f fstat a.r }\nexpect @f nlink=x\n",
		  "t.scn:2:17: error: expected a number after 'nlink=', found 'x'" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		if (strcmp(error->message, cases[i].message) != 0)
			fprintf(stderr, "\ncase %u:\n want %s\n got  %s\n", i, cases[i].message,
				error->message);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
	}
}

/* The table: every name found again, the kernel's st_mode split in two. */
static void test_outfield_table_and_kernel_slots(void)
{
	for (guint i = 0; i < sim_out_field_count(); i++) {
		const SimOutField *f = sim_out_field(i);
		CU_ASSERT_PTR_EQUAL(sim_out_field_lookup(f->name), f);
		CU_ASSERT_EQUAL(sim_out_field_index(f), i);
		CU_ASSERT_TRUE(f->slot < SIM_OUT_SLOTS);
	}
	CU_ASSERT_PTR_NULL(sim_out_field_lookup("msgfoo"));
	g_autoptr(GString) s = g_string_new(NULL);
	sim_out_append(s, sim_out_field_lookup("type"), S_IFSOCK);
	sim_out_append(s, sim_out_field_lookup("mode"), 0640);
	CU_ASSERT_STRING_EQUAL(s->str, " type=socket mode=0640");
}

/* On the kernel: a right expectation holds there, a wrong one fails with the kernel's own
 * value; in the machine's namespace the msginfo calls are left out, stat's are not. */
static void test_outfield_judged_on_the_kernel(void)
{
	const char *text = "process p {\n  msgget key=private -> a\n  msgsnd a \"hey\"\n"
			   "  @m msgctl a msg_info\n  msgctl a rmid\n"
			   "  pipe -> x\n  write x.w \"abc\"\n  @f fstat x.r\n}\n"
			   "expect @m ret=0 msgpool=1 msgmap=1 msgtql=3 msgssz=16\n"
			   "expect @f type=fifo mode=0600 size=0 nlink=1\n";
	for (int shared = 0; shared <= 1; shared++) {
		SimXcheckReport rep = { 0 };
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimXcheckOptions opt = { .shared_ipc = shared };
		CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
		CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
		if (rep.verdict != SIM_XCHECK_MATCH)
			fprintf(stderr, "%s", rep.text);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "expectations: 2, 0 failed in the model, 0 "
							"on the kernel"));
		CU_ASSERT_EQUAL(strstr(rep.text, "left out") != NULL, shared);
		sim_xcheck_report_clear(&rep);
	}
}

/* The result of the statement labelled `label` in a run of text. */
static SimStmtResult label_result(const char *text, const char *label)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	SimStmtResult res = { 0 };
	for (guint i = 0; i < r.scn->n_expects; i++) {
		const SimScnExpect *e = &r.scn->expects[i];
		if (e->kind == SIM_EXPECT_LABEL && strcmp(e->stmt->label, label) == 0)
			res = r.w->results[e->stmt->id];
	}
	test_run_free(&r);
	return res;
}

/* vfs_read's order: EBADF, then no buffer of 2^47 bytes or more (EFAULT) before the pipe is
 * looked at; preadv2 (nonblock) refuses only a negative ssize_t (EINVAL). */
static void test_read_count_order_of_checks(void)
{
	static const struct {
		const char *call;
		int err;
		gint64 ret;
	} cases[] = {
		{ "read a.w size=-1", EBADF, -1 },
		{ "read a.r size=-1", EFAULT, -1 },
		{ "read a.r size=0x800000000000", EFAULT, -1 },
		{ "read a.r size=0x7fffffffffff", 0, 5 },
		{ "read a.r size=-1 nonblock", EINVAL, -1 },
		{ "read a.r size=0x7fffffffffffffff nonblock", 0, 5 },
		{ "read 40 size=-1", EBADF, -1 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
			"process p { pipe -> a  write a.w \"hello\"  @r %s }\nexpect @r ok\n",
			cases[i].call);
		SimStmtResult r = label_result(text, "r");
		if (r.err != cases[i].err)
			fprintf(stderr, "\ncase %u: %s\n", i, cases[i].call);
		CU_ASSERT_EQUAL(r.err, cases[i].err);
		CU_ASSERT_EQUAL(r.ret, cases[i].ret);
	}
	/* EFAULT even where the read would return 0 (end of file) or block. */
	SimStmtResult r = label_result("process p { pipe -> a  close a.w  @r read a.r size=-1 }\n"
				       "expect @r ok\n",
				       "r");
	CU_ASSERT_EQUAL(r.err, EFAULT);
}

/* write: the same order; EFAULT before the pipe is looked at, so no EPIPE and no SIGPIPE;
 * without size= the text's length, whatever it is. */
static void test_write_count_order_of_checks(void)
{
	static const struct {
		const char *call;
		int err;
		gint64 ret;
	} cases[] = {
		{ "write a.r \"x\" size=-1", EBADF, -1 },
		{ "write a.w \"x\" size=-1", EFAULT, -1 },
		{ "write a.w size=0x800000000000", EFAULT, -1 },
		{ "write a.w \"x\" size=-1 nonblock", EINVAL, -1 },
		{ "write a.w \"xyz\"", 0, 3 },
		{ "write a.w \"xyz\" size=5", 0, 5 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
			"process p { pipe -> a  @r %s }\nexpect @r ok\n", cases[i].call);
		SimStmtResult r = label_result(text, "r");
		if (r.err != cases[i].err)
			fprintf(stderr, "\ncase %u: %s\n", i, cases[i].call);
		CU_ASSERT_EQUAL(r.err, cases[i].err);
		CU_ASSERT_EQUAL(r.ret, cases[i].ret);
	}
	TestRun t = test_run_text("process p { pipe -> a  close a.r  @w write a.w \"x\" size=-1 }\n"
				  "expect @w ok\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&t, "w"), EFAULT);
	CU_ASSERT_EQUAL(t.w->tasks[0].killed_by, 0); /* no SIGPIPE */
	test_run_free(&t);
}

static void test_read_fill_leaves_the_rest(void)
{
	const char *text =
		"process p { pipe -> a  write a.w \"abc\"  @r read a.r size=10 fill=9\n"
		"  close a.w  @e read a.r size=4 fill=0\n"
		"  socketpair stream -> s  sendto s.w \"xy\"  @s read s.r size=5 fill=1 }\n"
		"expect @r untouched=7\nexpect @e ret=0 untouched=4\n"
		"expect @s ret=2 untouched=3\n";
	g_autoptr(GString) seen = g_string_new(NULL);
	for (guint i = 0; i < 3; i++)
		CU_ASSERT_TRUE(seen_of(text, i, seen));
	g_autofree char *out = test_run_output(text, SIM_TRACE_TEXT, FALSE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "read a.r size=10 fill=9 -> ok, 3 bytes"));
}

static SimXcheckVerdict xrun_verdict(const char *text, gboolean shared)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .shared_ipc = shared };
	CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	SimXcheckVerdict v = rep.verdict;
	if (v == SIM_XCHECK_MISMATCH || v == SIM_XCHECK_FAILED)
		fprintf(stderr, "%s", rep.text);
	sim_xcheck_report_clear(&rep);
	return v;
}

/* The kernel agrees, in a private namespace and in the machine's own; a fill= buffer past
 * what a worker allocates is not replayed, and the run says so. */
static void test_read_count_on_the_kernel(void)
{
	const char *text = "process p {\n  pipe -> a\n  write a.w \"hello\"\n"
			   "  @f read a.r size=-1\n  @n read a.r size=-1 nonblock\n"
			   "  @b read a.r size=0x7fffffffffffffff nonblock\n"
			   "  write a.w \"abc\"\n  @r read a.r size=8 fill=0xff\n}\n"
			   "expect @f errno=EFAULT\nexpect @n errno=EINVAL\nexpect @b ret=5\n"
			   "expect @r ret=3 untouched=5\n";
	for (int shared = 0; shared <= 1; shared++)
		CU_ASSERT_EQUAL(xrun_verdict(text, shared), SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(xrun_verdict("process p { pipe -> a  read a.r size=0x2000000 fill=1 "
				     "nonblock }\n",
				     FALSE),
			SIM_XCHECK_NOT_CHECKABLE);
}

/* A select set cannot name a negative descriptor: written as a number it is an error at
 * load; held by a variable (a failed open's -1) the model says EBADF, and the cross-check
 * says it has nothing to compare that with rather than make up the kernel's answer. */
static void test_select_negative_descriptor(void)
{
	const char *bad = "process p { pipe -> a  select read=[a.r, -3] }\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", bad, strlen(bad), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "t.scn:1:42: error: descriptor -3 in "
						      "select's read set: an fd_set holds"));
	const char *text = "process p { pipe -> a  open \"/tmp/none\" rdonly -> d\n"
			   "  @s select read=[a.r, d] timeout=0 }\nexpect @s errno=EBADF\n";
	SimStmtResult r = label_result(text, "s");
	CU_ASSERT_EQUAL(r.err, EBADF);
	SimXcheckReport rep = { 0 };
	g_autoptr(GError) xerr = NULL;
	g_autoptr(SimScenario) xs = sim_scn_parse("t.scn", text, strlen(text), &xerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xs);
	SimXcheckOptions opt = { 0 };
	CU_ASSERT_TRUE(sim_xcheck_run(xs, "t.scn", &opt, &rep, &xerr));
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
	CU_ASSERT_PTR_NOT_NULL(rep.text && strstr(rep.text, "select with descriptor -1 in a set"));
	sim_xcheck_report_clear(&rep);
	/* poll skips a negative descriptor, on both sides. */
	CU_ASSERT_EQUAL(xrun_verdict("process p { pipe -> a  @p poll [a.r POLLIN, -1 POLLIN] "
				     "timeout=0 }\nexpect @p ret=0\n",
				     FALSE),
			SIM_XCHECK_MATCH);
}

CU_TestInfo outfield_tests[] = {
	{ "select negative descriptor", test_select_negative_descriptor },
	{ "read count order of checks", test_read_count_order_of_checks },
	{ "read fill leaves the rest", test_read_fill_leaves_the_rest },
	{ "write count order of checks", test_write_count_order_of_checks },
	{ "read count on the kernel", test_read_count_on_the_kernel },
	{ "msginfo every field", test_outfield_msginfo_every_field },
	{ "a failure says what it saw", test_outfield_a_failure_says_what_it_saw },
	{ "stat fields", test_outfield_stat_fields },
	{ "parse errors say what was expected", test_outfield_parse_errors_say_what_was_expected },
	{ "table and kernel slots", test_outfield_table_and_kernel_slots },
	{ "judged on the kernel", test_outfield_judged_on_the_kernel },
	CU_TEST_INFO_NULL,
};

/* test_operands.c — operands exactly as C allows them: any byte in data, and integer
 * operands over their C type's whole range, with the kernel's order of checks.
 *
 * Each test runs a small scenario and looks at the parsed statement, a label's result or
 * the trace; the kernel's side of the same rules is the cross-check of
 * scenarios/operands/.
 */
#include <errno.h>
#include <string.h>

#include "msgsim/output/trace.h"
#include "tests.h"

static SimScenario *parse(const char *text, GError **error)
{
	return sim_scn_parse("t.scn", text, strlen(text), error);
}

static const SimStmt *first_stmt(const SimScenario *s)
{
	return &s->procs[0].body->block.stmts[0];
}

/* ---- Bytes ---- */

static void test_operands_escapes_make_any_byte(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) s = parse(
		"sysv queue q key=1\nprocess P { msgsnd q \"a\\x00\\xff\\x4g\\xg\\0\\101\\n\" }",
		&error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimText *t = &first_stmt(s)->text;
	static const char want[] = { 'a', 0, (char)0xff, 4, 'g', 'x', 'g', 0, 'A', '\n' };
	CU_ASSERT_EQUAL(t->literal_len, sizeof(want));
	CU_ASSERT_EQUAL(memcmp(t->literal, want, sizeof(want)), 0);
}

static void test_operands_pattern_counts_and_repeats(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) s =
		parse("process P { pipe -> p\n write p.w bytes=300 pattern=0..255\n"
		      " write p.w bytes=7 pattern=\"ab\\x00\"\n"
		      " write p.w bytes=5 pattern=250..251 }",
		      &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *st = s->procs[0].body->block.stmts;
	CU_ASSERT_EQUAL(st[1].text.literal_len, 300);
	CU_ASSERT_EQUAL((guchar)st[1].text.literal[255], 255);
	CU_ASSERT_EQUAL((guchar)st[1].text.literal[256], 0);
	CU_ASSERT_EQUAL((guchar)st[1].text.literal[299], 43);
	CU_ASSERT_EQUAL(st[2].text.literal_len, 7);
	CU_ASSERT_EQUAL(memcmp(st[2].text.literal, "ab\0ab\0a", 7), 0);
	static const guchar alt[] = { 250, 251, 250, 251, 250 };
	CU_ASSERT_EQUAL(memcmp(st[3].text.literal, alt, 5), 0);
}

static void test_operands_bad_patterns_and_bytes_outside_data_are_errors(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process P { pipe -> p\nwrite p.w bytes=4 pattern=5..3 }",
		  "t.scn:2:30: error: bad pattern 5..3: the upper bound is below the lower one" },
		{ "process P { pipe -> p\nwrite p.w bytes=4 pattern=0..256 }",
		  "t.scn:2:30: error: bad pattern bound '256': expected a whole number from 0 "
		  "to 255" },
		{ "process P { pipe -> p\nwrite p.w bytes=4 pattern=\"\" }",
		  "t.scn:2:27: error: an empty pattern makes no bytes: give at least one" },
		{ "process P { print \"a\\x00\" }",
		  "t.scn:1:19: error: expected a text in double quotes after 'print', found "
		  "'\"a\\x00\"' (a \\ escape in it makes bytes that are not text, a NUL or no "
		  "UTF-8: only the data of a message or a write may hold them)" },
		{ "process P { mq_open \"/\\xff\" }",
		  "t.scn:1:21: error: expected a queue name in double quotes, like \"/q\", after "
		  "'mq_open', "
		  "found '\"/\\xff\"' (a \\ escape in it makes bytes that are not text, a NUL or "
		  "no UTF-8: only the data of a message or a write may hold them)" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) s = parse(cases[i].text, &error);
		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
	}
}

/* Received data with a NUL in it is kept whole: an expectation that differs after the NUL
 * fails, the same one with the right tail passes. */
static void test_operands_received_data_is_compared_byte_for_byte(void)
{
	static const char *const scn =
		"sysv queue q key=1 perm=0600\n"
		"process P { msgsnd q \"a\\x00b\"\n msgrcv q -> m\n pipe -> p\n"
		" write p.w bytes=600 pattern=0..255\n read p.r -> d }\n"
		"expect P received [1 \"a\\x00%s\", bytes=600 pattern=0..%d]\n";
	g_autofree char *good = g_strdup_printf(scn, "b", 255);
	g_autofree char *bad1 = g_strdup_printf(scn, "c", 255);
	g_autofree char *bad2 = g_strdup_printf(scn, "b", 254);
	TestRun r = test_run_text(good, TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "received [1 \"a\\x00b\", bytes=600 pattern=0..255]"));
	test_run_free(&r);
	r = test_run_text(bad1, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	test_run_free(&r);
	r = test_run_text(bad2, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	test_run_free(&r);
}

static void test_operands_trace_escapes_bytes_that_are_not_text(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	static const char in[] = "a\0\xff\t\r\n\"\\\x7f\xc3\xa9\xc3";
	sim_trace_quote(s, in, sizeof(in) - 1);
	CU_ASSERT_STRING_EQUAL(s->str, "\"a\\x00\\xff\\t\\r\\n\\\"\\\\\\x7f\xc3\xa9\\xc3\"");
}

/* ---- Integer operands ---- */

static void test_operands_sizes_are_size_t(void)
{
	TestRun r = test_run_text("sysv queue q key=1 perm=0600\n"
				  "posix queue \"/s\" maxmsg=2 msgsize=16\n"
				  "process P { @a msgsnd q \"abc\" size=-1\n msgsnd q \"abc\"\n"
				  " @b msgrcv q size=-1\n @c msgrcv q size=9223372036854775807\n"
				  " mq_open \"/s\" rdwr -> d\n @e mq_send d \"x\" size=-1\n"
				  " mq_send d \"y\"\n @f mq_receive d size=-1 }\n"
				  "expect @a errno=EINVAL\nexpect @b errno=EINVAL\nexpect @c ok\n"
				  "expect @e errno=EMSGSIZE\nexpect @f ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 5);
	/* A negative size fails before a byte is copied: no time charged for 2^64 bytes. */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "msgsnd q type=1 \"abc\" size=-1 -> EINVAL"));
	test_run_free(&r);
}

static void test_operands_msgctl_takes_any_command(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) s =
		parse("sysv queue q key=1\nprocess P { msgctl q cmd=2\n msgctl q cmd=-1 }", &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *st = s->procs[0].body->block.stmts;
	CU_ASSERT_EQUAL(st[0].sysv.cmd, SIM_CTL_STAT);
	CU_ASSERT_EQUAL(st[1].sysv.cmd, SIM_CTL_RAW);
	CU_ASSERT_EQUAL(st[1].sysv.raw_cmd, -1);
	/* EINVAL before the lookup: the same on a queue that was removed. */
	TestRun r = test_run_text("sysv queue q key=1 perm=0600\n"
				  "process P { @a msgctl q cmd=4\n msgctl q rmid\n"
				  " @b msgctl q cmd=-1\n @c msgctl q cmd=2 }\n"
				  "expect @a errno=EINVAL\nexpect @b errno=EINVAL\n"
				  "expect @c errno=EINVAL\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_operands_pipe2_refuses_unknown_flags_first(void)
{
	TestRun r = test_run_text("process P { @a pipe flags=0xDEAD -> x\n"
				  " @b pipe flags=0x80800 -> y\n @c fcntl y.r getfd\n"
				  " @d fcntl y.w getfl }\n"
				  "expect @a errno=EINVAL\nexpect @b ret=3\nexpect @c ret=1\n"
				  "expect @d ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "pipe flags=0xdead -> EINVAL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "O_WRONLY|O_NONBLOCK"));
	test_run_free(&r);
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) s = parse("process P { pipe flags=0x80 -> x }", &error);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(error && strstr(error->message, "O_NOTIFICATION_PIPE"));
}

static void test_operands_notify_checks_the_sigevent_before_the_descriptor(void)
{
	TestRun r = test_run_text("process P { mq_open \"/n\" create rdwr -> d\n"
				  " @a mq_notify 99 sigev_notify=-1\n @b mq_notify 99 signal=65\n"
				  " @c mq_notify 99 signal=0\n @e mq_notify d signal=0\n"
				  " @f mq_notify d signal=SIGUSR1\n mq_send d \"x\"\n"
				  " @g mq_notify d signal=SIGUSR1 }\n"
				  "expect @a errno=EINVAL\nexpect @b errno=EINVAL\n"
				  "expect @c errno=EBADF\nexpect @e ok\nexpect @f errno=EBUSY\n"
				  "expect @g ok\nexpect P exit=0\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 7);
	test_run_free(&r);
}

static void test_operands_mq_open_mode_keeps_the_kernels_bits(void)
{
	TestRun r =
		test_run_text("process P { mq_open \"/m\" create rdwr perm=047777 -> d\n"
			      " fstat d\n mq_open \"/n\" create rdwr perm=-1 -> e\n fstat e }\n",
			      TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "perm=047777 -> ok"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "fstat d -> ok, regular file 07755"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "fstat e -> ok, regular file 07755"));
	test_run_free(&r);
}

static void test_operands_descriptors_take_any_int(void)
{
	TestRun r = test_run_text("process P { @a close 2147483647\n @b read -2147483648\n"
				  " @c mq_getattr -1 }\n"
				  "expect @a errno=EBADF\nexpect @b errno=EBADF\n"
				  "expect @c errno=EBADF\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 3);
	test_run_free(&r);
}

/* ---- The receive buffer ---- */

/* The bytes past the message keep the fill; an expectation that says otherwise fails. */
static void test_operands_receive_leaves_the_rest_of_the_buffer(void)
{
	static const char *const scn = "sysv queue q key=1 perm=0600\n"
				       "posix queue \"/b\" maxmsg=2 msgsize=32\n"
				       "process P { msgsnd q \"hello\"\n"
				       " @a msgrcv q size=64 fill=0x3f -> m\n"
				       " mq_send \"/b\" \"hi\"\n @b mq_receive \"/b\" fill=0 }\n"
				       "expect @a untouched=%d\nexpect @b ret=2 untouched=30\n";
	g_autofree char *good = g_strdup_printf(scn, 59);
	g_autofree char *bad = g_strdup_printf(scn, 64);
	TestRun r = test_run_text(good, TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "msgrcv q type=0 size=64 fill=63 -> ok, 5 bytes"));
	test_run_free(&r);
	r = test_run_text(bad, TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ok, 59 bytes untouched"));
	test_run_free(&r);
}

CU_TestInfo operands_tests[] = {
	{ "escapes make any byte", test_operands_escapes_make_any_byte },
	{ "pattern counts and repeats", test_operands_pattern_counts_and_repeats },
	{ "bad patterns and bytes outside data are errors",
	  test_operands_bad_patterns_and_bytes_outside_data_are_errors },
	{ "received data is compared byte for byte",
	  test_operands_received_data_is_compared_byte_for_byte },
	{ "trace escapes bytes that are not text",
	  test_operands_trace_escapes_bytes_that_are_not_text },
	{ "sizes are size_t", test_operands_sizes_are_size_t },
	{ "msgctl takes any command", test_operands_msgctl_takes_any_command },
	{ "pipe2 refuses unknown flags first", test_operands_pipe2_refuses_unknown_flags_first },
	{ "notify checks the sigevent before the descriptor",
	  test_operands_notify_checks_the_sigevent_before_the_descriptor },
	{ "mq_open mode keeps the kernel's bits",
	  test_operands_mq_open_mode_keeps_the_kernels_bits },
	{ "descriptors take any int", test_operands_descriptors_take_any_int },
	{ "receive leaves the rest of the buffer",
	  test_operands_receive_leaves_the_rest_of_the_buffer },
	CU_TEST_INFO_NULL,
};

/* test_printf.c — what the lecture's programs need to print their lines: print's printf
 * form (printf.h: the conversions as C formats them, the parser's checks and errors), `let`
 * for their counters, and the programs' output sink (progout.h).
 */
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/printf.h"
#include "msgsim/output/progout.h"
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

/* One conversion of `format` with v or s, as this module formats it. */
static char *one(const char *format, gint64 v, const char *s)
{
	SimPrintf *pf = NULL;
	g_autofree char *err = NULL;
	gsize at = 0;
	CU_ASSERT_FATAL(sim_printf_split(format, &pf, &err, &at));
	CU_ASSERT_EQUAL_FATAL(pf->n_convs, 1);
	GString *out = g_string_new(pf->convs[0].lit);
	sim_printf_append(out, &pf->convs[0], v, s);
	g_string_append(out, pf->tail);
	sim_printf_free(pf);
	return g_string_free(out, FALSE);
}

#define CHECK_ONE(format, v, s, want)                                                      \
	do {                                                                               \
		g_autofree char *got_ = one((format), (v), (s));                           \
		CU_ASSERT_STRING_EQUAL(got_, (want));                                      \
		if (strcmp(got_, (want)) != 0)                                             \
			fprintf(stderr, "\n    want [%s]\n    got  [%s]\n", (want), got_); \
	} while (0)

static void test_printf_conversions_format_as_c_does_on_64_bit_linux(void)
{
	CHECK_ONE("n=%d;", 42, NULL, "n=42;");
	CHECK_ONE("[%5d]", -7, NULL, "[   -7]");
	CHECK_ONE("[%-5d]", 7, NULL, "[7    ]");
	CHECK_ONE("[%05d]", 7, NULL, "[00007]");
	CHECK_ONE("[%+d]", 7, NULL, "[+7]");
	CHECK_ONE("[%.3d]", 7, NULL, "[007]");
	CHECK_ONE("0x%x", 0x27011c6c, NULL, "0x27011c6c");
	CHECK_ONE("%#X", 255, NULL, "0XFF");
	CHECK_ONE("%o", 8, NULL, "10");
	CHECK_ONE("%c", 'A', NULL, "A");
	CHECK_ONE("[%-6s]", 0, "ab", "[ab    ]");
	CHECK_ONE("[%.2s]", 0, "abcdef", "[ab]");
	CHECK_ONE("100%% %s", 0, "sure", "100% sure");
	/* An int is 32 bits, a long 64: what the C program's variable would print. */
	CHECK_ONE("%d", 4294967297, NULL, "1");
	CHECK_ONE("%ld", 4294967297, NULL, "4294967297");
	CHECK_ONE("%x", -1, NULL, "ffffffff");
	CHECK_ONE("%lx", -1, NULL, "ffffffffffffffff");
	CHECK_ONE("%u", -1, NULL, "4294967295");
	CHECK_ONE("%hd", 65535, NULL, "-1");
	CHECK_ONE("%hhu", 257, NULL, "1");
	CHECK_ONE("%lld", -5, NULL, "-5");
	CHECK_ONE("%zu", -1, NULL, "18446744073709551615");
	CHECK_ONE("%jd", G_MAXINT64, NULL, "9223372036854775807");
}

static void test_printf_split_refuses_what_it_cannot_format(void)
{
	static const struct {
		const char *format;
		gsize at;
		const char *err;
	} cases[] = {
		{ "x %q", 2,
		  "unknown conversion: expected d, i, u, x, X, o, c, s or % after '%' "
		  "(and its flags, width, precision and l, ll, h, hh, z or j), found 'q'" },
		{ "x %", 2,
		  "unknown conversion: expected d, i, u, x, X, o, c, s or % after '%' "
		  "(and its flags, width, precision and l, ll, h, hh, z or j), found end "
		  "of text" },
		{ "%*d", 1, "a '*' width is not supported: write the width as digits" },
		{ "%99999d", 0, "a width of more than 4096" },
		{ "%.99999d", 0, "a precision of more than 4096" },
		{ "%ls", 0, "'%s' takes no length modifier" },
		{ "%f", 0,
		  "unknown conversion: expected d, i, u, x, X, o, c, s or % after '%' "
		  "(and its flags, width, precision and l, ll, h, hh, z or j), found 'f'" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		SimPrintf *pf = NULL;
		g_autofree char *err = NULL;
		gsize at = 99;
		CU_ASSERT_FALSE(sim_printf_split(cases[i].format, &pf, &err, &at));
		CU_ASSERT_PTR_NULL(pf);
		CU_ASSERT_EQUAL(at, cases[i].at);
		CU_ASSERT_STRING_EQUAL(err, cases[i].err);
	}
}

static void test_printf_print_formats_its_arguments_at_run_time(void)
{
	TestRun r =
		test_run_text("param K = 0x27011c6c\n"
			      "mailbox box\n"
			      "process p { send box \"Nami\" type=2 }\n"
			      "process c { receive box -> m\n"
			      "  print \"key 0x%x: %ld %s (%d bytes) %d%%\\n\", K, m.type, \"$m\", "
			      "m.len, K / 0x1000000\n"
			      "  repeat 2 as i { print \"[%2d]\", i * 5 }\n"
			      "  print \"100% plain\" }\n",
			      TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"key 0x27011c6c: 2 Nami (4 bytes) 39%\\n\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"[ 0]\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"[ 5]\""));
	/* Without arguments a '%' is only a '%'. */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"100% plain\""));
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	test_run_free(&r);
}

static void test_printf_fault_in_an_argument_stops_the_run_traced_or_not(void)
{
	const char *text = "process p { repeat 2 as i { print \"%d\\n\", 10 / i } }\n";
	TestRun traced = test_run_text(text, TRUE, NULL);
	TestRun quiet = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(traced.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_EQUAL(quiet.verdict.exit_status, SIM_EXIT_STUCK);
	CU_ASSERT_PTR_NULL(strstr(traced.out, "print \""));
	test_run_free(&traced);
	test_run_free(&quiet);
}

static void test_printf_bad_print_arguments_are_errors_at_their_place(void)
{
	CHECK_ERROR("process p { print \"%d %d\", 1 }",
		    "x.scn:1:30: error: expected argument 2 of print: its format has 2 "
		    "conversions and 1 argument, found '}'");
	CHECK_ERROR("process p { print \"%d\", 1, 2 }",
		    "x.scn:1:26: error: too many arguments: print's format has 1 conversion");
	CHECK_ERROR("process p { print \"x\", 1 }",
		    "x.scn:1:22: error: print has arguments but its format has no conversion (%d, "
		    "%s ...) to take them");
	CHECK_ERROR("process p { print \"%s\", 1 }",
		    "x.scn:1:25: error: expected a text in double quotes for '%s' (argument 1 of "
		    "print; \"$m\" for a message's text), found '1'");
	CHECK_ERROR("process p { print \"%d\", \"x\" }",
		    "x.scn:1:25: error: expected a number for '%d' (argument 1 of print), not a "
		    "text: use '%s' for a text, found '\"x\"'");
	CHECK_ERROR("process p { print \"a %y\", 1 }",
		    "x.scn:1:22: error: bad print format: unknown conversion: expected d, i, u, x, "
		    "X, o, c, s or % after '%' (and its flags, width, precision and l, ll, h, hh, "
		    "z or j), found 'y'");
	CHECK_ERROR("process p { repeat 2 as i { print \"$i %d\", i } }",
		    "x.scn:1:35: error: a print with arguments takes its values as arguments, not "
		    "as $ parts of its format: write %d in the format and the variable after the "
		    "','");
	CHECK_ERROR("process p { print \"%d\", n }",
		    "x.scn:1:25: error: unknown name 'n' in an expression: no parameter, and no "
		    "variable of this process set before this point ('repeat N as n', 'msgget ... "
		    "-> n' ...)");
	CHECK_ERROR("process p { print \"%d\", 1 / 0 }", "x.scn:1:27: error: '/' divides by zero");
	CHECK_ERROR("process p { print \"%d %s\", 1 \"x\" }",
		    "x.scn:1:30: error: expected ',' before argument 2 of print, found '\"x\"'");
}

/* The sink takes prints (puts adds the newline, printf does not) and ipcs tables. */
static void test_printf_program_output_is_prints_and_ipcs_tables_only(void)
{
	const char *text = "sysv queue q key=0x10 perm=0600\n"
			   "process p { print \"a\"  print \"%s\", \"b\"  print \"%d\\n\", 3\n"
			   "  msgsnd q \"x\"  ipcs }\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_progout_add_sink(tr, f, FALSE);
	SimWorldOptions o = { .trace = tr };
	SimWorld *w = sim_world_new(scn, &o);
	sim_world_run(w);
	sim_report_finish(w, tr);
	sim_world_free(w);
	sim_trace_free(tr);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(
		buf, "a\nb3\n\n------ Message Queues --------\n"
		     "key        msqid      owner      perms      used-bytes   messages    \n"
		     "0x00000010 0          root       600        1            1           \n\n");
	free(buf);
}

/* ---- let ---- */

static void test_printf_let_sets_a_variable_each_time_it_is_reached(void)
{
	TestRun r =
		test_run_text("mailbox box\n"
			      "process w[2] { let n = index * 100\n"
			      "  repeat 3 as i { let n = n + i  send box \"m\" type=${n + 1} }\n"
			      "  print \"%s n=%d\", \"$self\", n\n"
			      "  if n == 103 { print \"w1 counted\" }\n"
			      "  assert n == 3 || n == 103 }\n"
			      "process c { repeat 6 { receive box } }\n",
			      TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"w0 n=3\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"w1 n=103\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"w1 counted\""));
	/* The type is computed from n when each send runs: 1, 2, 4 for w0. */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "send box \"m\" type=4"));
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_printf_let_errors_point_at_their_place(void)
{
	CHECK_ERROR("process p { let }", "x.scn:1:17: error: expected a variable name after 'let', "
					 "found '}'");
	CHECK_ERROR("process p { let n 1 }", "x.scn:1:19: error: expected '=' after 'let n', found "
					     "'1'");
	CHECK_ERROR("process p { let n = }", "x.scn:1:21: error: expected a value (an expression) "
					     "after 'let n =', found '}'");
	CHECK_ERROR("process p { let n = n + 1 }",
		    "x.scn:1:21: error: unknown name 'n' in an expression: no parameter, and no "
		    "variable of this process set before this point ('repeat N as n', 'msgget ... "
		    "-> n' ...)");
	CHECK_ERROR("process p { let n = 2 / 0 }", "x.scn:1:23: error: '/' divides by zero");
	CHECK_ERROR(
		"process p { repeat 2 as i { let i = 5 } }",
		"x.scn:1:33: error: variable 'i' already counts the enclosing repeat (at 1:25)");
	CHECK_ERROR("mailbox b\nprocess p { receive b -> m  let m = 1 }",
		    "x.scn:2:33: error: variable 'm' already holds a received message (set at "
		    "2:26): it cannot also hold a number (let)");
	CHECK_ERROR("param N = 2\nprocess p { let N = 1 }",
		    "x.scn:2:17: error: 'N' is the parameter declared at 1:7: it cannot name "
		    "anything else");
}

CU_TestInfo printf_tests[] = {
	{ "let sets a variable each time it is reached",
	  test_printf_let_sets_a_variable_each_time_it_is_reached },
	{ "let errors point at their place", test_printf_let_errors_point_at_their_place },
	{ "conversions format as C does on 64-bit Linux",
	  test_printf_conversions_format_as_c_does_on_64_bit_linux },
	{ "split refuses what it cannot format", test_printf_split_refuses_what_it_cannot_format },
	{ "print formats its arguments at run time",
	  test_printf_print_formats_its_arguments_at_run_time },
	{ "a fault in an argument stops the run, traced or not",
	  test_printf_fault_in_an_argument_stops_the_run_traced_or_not },
	{ "bad print arguments are errors at their place",
	  test_printf_bad_print_arguments_are_errors_at_their_place },
	{ "program output is prints and ipcs tables only",
	  test_printf_program_output_is_prints_and_ipcs_tables_only },
	CU_TEST_INFO_NULL,
};

/* test_lang.c — the language beyond plain statements: message fields, parameters and -D,
 * ${...} expressions (folded and at run time), include, if.
 *
 * Parse results are checked on the SimScenario; what happens at run time is checked on
 * the text trace or the received messages of a whole run (test_run.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "msgsim/lang/expr.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/quiz.h"
#include "tests.h"

static SimScenario *parse_with(const char *text, const char *const *defines, guint64 seed,
			       gboolean seed_set, GError **error)
{
	SimScnOptions o = { .defines = defines, .seed = seed, .seed_set = seed_set };
	return sim_scn_parse_with("x.scn", text, strlen(text), &o, error);
}

static SimScenario *parse_ok(const char *text, const char *const *defines)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = parse_with(text, defines, 0, FALSE, &error);
	if (!scn)
		fprintf(stderr, "\nparse error: %s\n", error->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	return scn;
}

/* The error message of a scenario that must not parse (g_free it). */
static char *parse_error(const char *text, const char *const *defines)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = parse_with(text, defines, 0, FALSE, &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	return g_strdup(error->message);
}

#define CHECK_ERROR(text, defines, want)                                                \
	do {                                                                            \
		g_autofree char *got_ = parse_error((text), (defines));                 \
		CU_ASSERT_STRING_EQUAL(got_, (want));                                   \
		if (strcmp(got_, (want)) != 0)                                          \
			fprintf(stderr, "\n    want %s\n    got  %s\n", (want), got_); \
	} while (0)

static const SimStmt *stmt0(const SimScenario *scn, guint proc, guint i)
{
	return &scn->procs[proc].body->block.stmts[i];
}

/* ---- Message fields ---- */

static void test_lang_message_fields_print_the_received_message_numbers(void)
{
	TestRun r = test_run_text("mailbox box\n"
				  "process p { send box \"abc\" type=2 prio=5 }\n"
				  "process c { receive box -> m\n"
				  "  print \"[$m.type $m.prio $m.len $m.sender ${m.from} $m]\" }\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"[2 5 3 p p abc]\""));
	test_run_free(&r);
}

static void test_lang_unknown_field_of_a_message_is_an_error_but_text_after_a_counter(void)
{
	CHECK_ERROR("process c { receive any -> m print \"$m.typ\" }", NULL,
		    "x.scn:1:37: error: unknown field 'typ' of message variable 'm' (set at "
		    "1:28): expected type, prio, sender, from or len (write ${m}.typ for the "
		    "text followed by '.typ')");
	CHECK_ERROR("process c { print \"${self.type}\" }", NULL,
		    "x.scn:1:20: error: '$self.type': 'self' is built in and has no fields "
		    "('.type' needs a message variable)");
	CHECK_ERROR("process c { repeat 1 as i { print \"$i.len\" } }", NULL,
		    "x.scn:1:36: error: variable 'i' counts a repeat and holds no message: '$i.len' "
		    "needs a variable set by 'receive ... -> i'");
	TestRun r = test_run_text("process c { repeat 1 as i { print \"$i.txt\" } }", TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"0.txt\""));
	test_run_free(&r);
}

/* ---- Parameters ---- */

static void test_lang_param_is_usable_where_numbers_and_texts_are(void)
{
	g_autoptr(SimScenario) scn = parse_ok("param N = 3\nparam K = 0x10\n"
					      "mailbox box capacity=N\n"
					      "process w[N] { repeat K { send box \"n=$N ${N}\" "
					      "type=N prio=${N*2} } }\n",
					      NULL);
	CU_ASSERT_EQUAL(scn->n_procs, 3);
	CU_ASSERT_EQUAL(scn->mboxes[0].capacity, 3);
	CU_ASSERT_EQUAL(scn->n_params, 2);
	CU_ASSERT_STRING_EQUAL(scn->params[1].name, "K");
	CU_ASSERT_EQUAL(scn->params[1].value, 16);
	const SimStmt *rep = stmt0(scn, 0, 0);
	CU_ASSERT_EQUAL(rep->ctl.count, 16);
	const SimStmt *send = &rep->ctl.body.stmts[0];
	CU_ASSERT_STRING_EQUAL(send->text.literal, "n=3 3");
	CU_ASSERT_EQUAL(send->mbox.type, 3);
	CU_ASSERT_EQUAL(send->mbox.prio, 6);
	CU_ASSERT_PTR_NULL(send->dyn);
	/* Keys, sizes and times too. */
	g_autoptr(SimScenario) sysv = parse_ok("param K = 0x7000\nparam N = 3\n"
					       "sysv queue q key=K\n"
					       "process p { msgget key=${K + 1} create -> v  msgsnd q "
					       "\"x\" size=${N * 2}  sleep ${N}ms }\n",
					       NULL);
	CU_ASSERT_EQUAL(sysv->sysvqs[0].key.value, 0x7000);
	CU_ASSERT_EQUAL(stmt0(sysv, 0, 0)->sysv.key.value, 0x7001);
	CU_ASSERT_EQUAL(stmt0(sysv, 0, 1)->sysv.size, 6);
	CU_ASSERT_EQUAL(stmt0(sysv, 0, 2)->ctl.duration, 3 * SIM_MS);
}

static void test_lang_define_overrides_a_param(void)
{
	static const char *const defs[] = { "N=5", "M=-2", NULL };
	g_autoptr(SimScenario) scn =
		parse_ok("param N = 3\nparam M = 1\nprocess w[N] { exit ${M+2} }\n", defs);
	CU_ASSERT_EQUAL(scn->n_procs, 5);
	CU_ASSERT_TRUE(scn->params[0].defined);
	CU_ASSERT_EQUAL(stmt0(scn, 0, 0)->proc.status, 0);
	static const char *const bad[] = { "N=x", NULL };
	CHECK_ERROR("param N = 3\nprocess p { }\n", bad,
		    "x.scn: error: -D N=x: expected a whole number (decimal, 0x hex or 0 octal) "
		    "for parameter 'N'");
	static const char *const unknown[] = { "Q=1", NULL };
	CHECK_ERROR("param N = 3\nprocess p { }\n", unknown,
		    "x.scn: error: -D Q: the scenario declares no parameter 'Q' (its "
		    "parameters: N)");
	static const char *const shape[] = { "N", NULL };
	CHECK_ERROR("param N = 3\nprocess p { }\n", shape,
		    "x.scn: error: -D 'N': expected NAME=VALUE, like -D N=5");
}

static void test_lang_random_param_is_drawn_from_the_seed_within_its_range(void)
{
	const char *text = "param N = random 2..5\nprocess p { }\n";
	gboolean differs = FALSE;
	gint64 first = -1;
	for (guint64 seed = 0; seed < 40; seed++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) a = parse_with(text, NULL, seed, TRUE, &error);
		g_autoptr(SimScenario) b = parse_with(text, NULL, seed, TRUE, &error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		gint64 v = a->params[0].value;
		CU_ASSERT(v >= 2 && v <= 5);
		CU_ASSERT_EQUAL(v, b->params[0].value); /* the same seed, the same draw */
		CU_ASSERT_TRUE(a->params[0].random);
		if (first < 0)
			first = v;
		differs = differs || v != first;
	}
	CU_ASSERT_TRUE(differs);
	/* Without --seed, the scenario's own seed written before the param. */
	g_autoptr(SimScenario) s1 = parse_ok("scheduler fifo seed=7\n"
					     "param N = random 0..1000000\nprocess p { }\n",
					     NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) s2 = parse_with("param N = random 0..1000000\nprocess p { }\n",
					       NULL, 7, TRUE, &error);
	CU_ASSERT_EQUAL(s1->params[0].value, s2->params[0].value);
	CHECK_ERROR("param N = random 5..2\nprocess p { }\n", NULL,
		    "x.scn:1:21: error: bad range 5..2: the upper bound is below the lower one");
}

static void test_lang_text_param_stands_in_texts_and_choices(void)
{
	const char *text = "param POLICY = \"round-robin\"\nmailbox A deliver=POLICY\n"
			   "process p { print \"[$POLICY ${POLICY}]\" }\n";
	g_autoptr(SimScenario) scn = parse_ok(text, NULL);
	CU_ASSERT_EQUAL(scn->mboxes[0].deliver, SIM_DELIVER_ROUND_ROBIN);
	CU_ASSERT_STRING_EQUAL(stmt0(scn, 0, 0)->text.literal, "[round-robin round-robin]");
	CU_ASSERT_STRING_EQUAL(scn->params[0].text, "round-robin");
	static const char *const pair[] = { "POLICY=pair", NULL };
	g_autoptr(SimScenario) other = parse_ok(text, pair);
	CU_ASSERT_EQUAL(other->mboxes[0].deliver, SIM_DELIVER_PAIR);
	static const char *const bad[] = { "POLICY=fifo", NULL };
	CHECK_ERROR(text, bad,
		    "x.scn:2:19: error: bad deliver 'fifo' (parameter POLICY): expected "
		    "first-waiter, round-robin, random, pair, exclusive or addressed");
	CHECK_ERROR("param T = \"x\"\nprocess p { exit T }\n", NULL,
		    "x.scn:2:18: error: parameter 'T' is a text (\"x\"), not a number (the exit "
		    "status needs a number)");
	g_autoptr(SimScenario) timed = parse_ok("param T = \"5ms\"\nprocess p { sleep T }\n", NULL);
	CU_ASSERT_EQUAL(stmt0(timed, 0, 0)->ctl.duration, 5 * SIM_MS);
	CHECK_ERROR("param T = 5\nprocess p { sleep T }\n", NULL,
		    "x.scn:2:19: error: bad time: parameter 'T' holds a number, not a time like "
		    "\"5ms\"");
	CHECK_ERROR("param T = \"x\"\nprocess p { exit ${T + 1} }\n", NULL,
		    "x.scn:2:20: error: parameter 'T' is a text (\"x\"), not a number: an "
		    "expression needs a number");
}

static void test_lang_param_errors_point_at_the_name(void)
{
	CHECK_ERROR("param N = 3\nparam N = 4\nprocess p { }\n", NULL,
		    "x.scn:2:7: error: duplicate parameter 'N': already declared at 1:7");
	CHECK_ERROR("param N = 3\nprocess N { }\n", NULL,
		    "x.scn:2:9: error: 'N' is the parameter declared at 1:7: it cannot name "
		    "anything else");
	CHECK_ERROR("param N = 3\nprocess p { repeat 2 as N { } }\n", NULL,
		    "x.scn:2:25: error: 'N' is the parameter declared at 1:7: it cannot name "
		    "anything else");
	CHECK_ERROR("param send = 3\nprocess p { }\n", NULL,
		    "x.scn:1:7: error: 'send' is a keyword of the language: it cannot name a "
		    "parameter");
	g_autoptr(SimScenario) fd = parse_ok("param FD = 7\nprocess p { close FD  close ${FD + 1} }\n",
					     NULL);
	CU_ASSERT_EQUAL(stmt0(fd, 0, 0)->ep.kind, SIM_EP_FDNUM);
	CU_ASSERT_EQUAL(stmt0(fd, 0, 1)->ep.index, 8);
	CHECK_ERROR("param N 3\nprocess p { }\n", NULL,
		    "x.scn:1:9: error: expected '=' after 'param N', found '3'");
	CHECK_ERROR("param N = 0\nprocess w[N] { }\n", NULL,
		    "x.scn:2:11: error: bad replica count N = 0: expected a whole number from 1 "
		    "to 1000000");
	CHECK_ERROR("process w[${M}] { }\n", NULL,
		    "x.scn:1:13: error: unknown parameter 'M' (parameters so far: none): "
		    "declare it with 'param M = VALUE' before its use");
}

/* ---- Expressions ---- */

static gint64 fold(const char *expr)
{
	g_autofree char *text = g_strdup_printf("process p priority=${%s} { }\n", expr);
	g_autoptr(SimScenario) scn = parse_ok(text, NULL);
	return scn->procs[0].priority;
}

static void test_lang_expressions_follow_c_precedence_and_division(void)
{
	CU_ASSERT_EQUAL(fold("1 + 2 * 3"), 7);
	CU_ASSERT_EQUAL(fold("(1 + 2) * 3"), 9);
	CU_ASSERT_EQUAL(fold("10 - 4 - 3"), 3);
	CU_ASSERT_EQUAL(fold("-7 / 2"), -3);
	CU_ASSERT_EQUAL(fold("-7 % 2"), -1);
	CU_ASSERT_EQUAL(fold("0x10 + 010"), 24);
	CU_ASSERT_EQUAL(fold("2 < 3"), 1);
	CU_ASSERT_EQUAL(fold("2 >= 3"), 0);
	CU_ASSERT_EQUAL(fold("1 + 1 == 2 && 3 != 3 || !0"), 1);
	CU_ASSERT_EQUAL(fold("0 && 1 / 0"), 0); /* the right side is not evaluated */
	CU_ASSERT_EQUAL(fold("--5"), 5);
	CU_ASSERT_EQUAL(fold("9223372036854775807"), G_MAXINT64);
}

static void test_lang_expression_faults_and_syntax_are_errors(void)
{
	CHECK_ERROR("mailbox b\nprocess p { send b \"x${4 / (2 - 2)}\" }\n", NULL,
		    "x.scn:2:26: error: '/' divides by zero");
	CHECK_ERROR("mailbox b\nprocess p { send b \"x\" prio=${9223372036854775807 + 1} }\n",
		    NULL, "x.scn:2:51: error: '+' overflows (the result does not fit in 64 signed bits)");
	CHECK_ERROR("mailbox b\nprocess p { send b \"x\" prio=${1 < 2 < 3} }\n", NULL,
		    "x.scn:2:37: error: comparisons do not chain: write (a < b) && (b < c), not a "
		    "< b < c");
	CHECK_ERROR("mailbox b\nprocess p { send b \"x\" prio=${(1 + 2} }\n", NULL,
		    "x.scn:2:37: error: expected ')' in an expression, found '}'");
	CHECK_ERROR("mailbox b\nprocess p { send b \"x\" prio=${q} }\n", NULL,
		    "x.scn:2:31: error: unknown name 'q' in an expression: no parameter, and no "
		    "variable of this process set before this point ('repeat N as q', 'msgget ... "
		    "-> q' ...)");
	CHECK_ERROR("mailbox b\nprocess p { receive b -> m send b \"x\" prio=${m} }\n", NULL,
		    "x.scn:2:46: error: variable 'm' holds a received message (set at 2:26): an "
		    "expression needs a number (write $m.len or $m.type in a text for a message's "
		    "numbers)");
	CHECK_ERROR("mailbox b\nprocess p { send b \"x\" prio=${1 # 2} }\n", NULL,
		    "x.scn:2:33: error: expected an operator or '}' to end '${' in an expression, "
		    "found '#'");
	CHECK_ERROR("process p { repeat 3 as i { repeat ${i} { } } }\n", NULL,
		    "x.scn:1:36: error: a repeat count must be known before the run: its "
		    "expression names a variable (use numbers and parameters, or 'loop' with "
		    "'break')");
	CHECK_ERROR("process p { sleep ${2} }\n", NULL,
		    "x.scn:1:19: error: a time written ${...} needs its unit right after the "
		    "'}': ${...}ns, ${...}us, ${...}ms or ${...}s after 'sleep'");
}

static void test_lang_runtime_operands_take_the_counter_value(void)
{
	TestRun r = test_run_text("mailbox box\n"
				  "process p { repeat 3 as i { send box \"m${i*2}\" type=${i+1} }\n"
				  "  sleep ${index + 2}ms }\n"
				  "process c { repeat 3 { receive box -> m print \"$m:$m.type\" } }\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "send box \"m4\" type=3"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"m0:1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"m2:2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"m4:3\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "sleep 2ms"));
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DONE);
	const SimStmt *send = &stmt0(r.scn, 0, 0)->ctl.body.stmts[0];
	CU_ASSERT_PTR_NOT_NULL_FATAL(send->dyn);
	CU_ASSERT_EQUAL(send->dyn->n, 2); /* the text's check and type= */
	test_run_free(&r);
}

static void test_lang_runtime_fault_stops_the_run_before_the_call(void)
{
	SimVerdict v;
	g_autofree char *out = test_run_output(
		"mailbox box\nprocess p { repeat 3 as i { send box \"q${10 / (1 - i)}\" } }\n",
		SIM_TRACE_TEXT, FALSE, NULL, &v);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "send box \"q10\""));
	CU_ASSERT_PTR_NULL(strstr(out, "send box \"q\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "stopped: an expression failed: p's send (line 2): "
					   "at 2:45 divides by zero"));
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_STUCK);
	g_autofree char *range = test_run_output(
		"mailbox box\nprocess p { repeat 2 as i { send box \"x\" type=${1 - i} } }\n",
		SIM_TRACE_TEXT, FALSE, NULL, &v);
	CU_ASSERT_PTR_NOT_NULL(strstr(range, "its type is 0, out of range (1 to "));
}

static void test_lang_expr_eval_never_overflows_silently(void)
{
	SimExpr *num = sim_expr_new(SIM_EXPR_NUM, (SimLoc){ 1, 1 });
	num->num = G_MININT64;
	SimExpr *one = sim_expr_new(SIM_EXPR_NUM, (SimLoc){ 1, 5 });
	one->num = -1;
	g_autoptr(SimExpr) div = sim_expr_new(SIM_EXPR_DIV, (SimLoc){ 1, 3 });
	div->a = num;
	div->b = one;
	gint64 v = 0;
	SimExprFault f = SIM_EXPR_FINE;
	const SimExpr *at = NULL;
	CU_ASSERT_FALSE(sim_expr_eval(div, NULL, &v, &f, &at));
	CU_ASSERT_EQUAL(f, SIM_EXPR_OVERFLOW);
	CU_ASSERT_PTR_EQUAL(at, div);
	div->op = SIM_EXPR_MOD;
	CU_ASSERT_TRUE(sim_expr_eval(div, NULL, &v, &f, &at));
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_TRUE(sim_expr_is_const(div));
}

/* ---- if ---- */

static void test_lang_if_keeps_both_blocks_in_one_body(void)
{
	g_autoptr(SimScenario) scn = parse_ok("process p { if 1 { exit 1 } else { exit 2 exit 3 } "
					      "if 0 { } }\n",
					      NULL);
	const SimStmt *st = stmt0(scn, 0, 0);
	CU_ASSERT_EQUAL(st->kind, SIM_STMT_IF);
	CU_ASSERT_EQUAL(st->ctl.body.n_stmts, 4);
	CU_ASSERT_EQUAL(st->ctl.body.stmts[1].kind, SIM_STMT_ELSE);
	CU_ASSERT_EQUAL(st->ctl.body.stmts[3].proc.status, 3);
	CU_ASSERT_EQUAL(stmt0(scn, 0, 1)->ctl.body.n_stmts, 0);
	CU_ASSERT_EQUAL(scn->n_stmts, 6); /* the else mark has an id of its own */
}

static void test_lang_if_takes_the_branch_its_condition_says(void)
{
	TestRun r = test_run_text("param MODE = 1\n"
				  "process p {\n"
				  "  repeat 6 as i {\n"
				  "    if i % 2 == 0 && MODE { print \"even $i\" }\n"
				  "    else { if i == 3 { break } print \"odd $i\" }\n"
				  "  }\n"
				  "  if MODE > 1 { print \"big\" } else { print \"small\" }\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"even 0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"odd 1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"even 2\""));
	CU_ASSERT_PTR_NULL(strstr(r.out, "odd 3"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "even 4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"small\""));
	CU_ASSERT_PTR_NULL(strstr(r.out, "big"));
	test_run_free(&r);
}

static void test_lang_if_reads_message_fields(void)
{
	TestRun r = test_run_text("mailbox b\n"
				  "process p { send b \"abc\" type=3  send b \"\" }\n"
				  "process c { repeat 2 { receive b -> m\n"
				  "  if $m.len > 0 && m.type == 3 { print \"got $m\" } else { print \"empty\" }"
				  " } }\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"got abc\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "print \"empty\""));
	test_run_free(&r);
	CHECK_ERROR("process c { receive any -> m if m.x { } }\n", NULL,
		    "x.scn:1:34: error: unknown field 'x' of 'm' in an expression (expected type, "
		    "prio or len)");
}

static void test_lang_if_errors(void)
{
	CHECK_ERROR("process p { else { } }\n", NULL,
		    "x.scn:1:13: error: 'else' without 'if': an else comes right after the '}' "
		    "of an 'if EXPR { ... }'");
	CHECK_ERROR("process p { if { } }\n", NULL,
		    "x.scn:1:16: error: expected a condition after 'if', found '{'");
	CHECK_ERROR("process p { if 1 print \"x\" }\n", NULL,
		    "x.scn:1:18: error: expected an operator or '{' after the condition in an "
		    "expression, found 'print'");
	CHECK_ERROR("process p { if 1 { } else print \"x\" }\n", NULL,
		    "x.scn:1:27: error: expected '{' after 'else' (write 'else { if ... }' for a "
		    "chain), found 'print'");
	CHECK_ERROR("process p { if 1 { break } }\n", NULL,
		    "x.scn:1:20: error: 'break' outside a repeat or loop: there is nothing to "
		    "break out of");
}

/* ---- Expectations ---- */

/* Three replicas put into a one-slot mailbox that c drains after 1ms: w0 gets in at once,
 * w1 and w2 wait. */
#define REPLICAS                                                                         \
	"mailbox box capacity=1\n"                                                        \
	"process w[3] { @put send box \"w$index\" type=${index + 1} }\n"                    \
	"process c { sleep 1ms repeat 3 { @get receive box } }\n"

static void test_lang_replica_labels_and_blocked_then(void)
{
	g_autofree char *out = test_run_output(REPLICAS "expect w0@put ok\n"
							"expect w1@put blocked then ok\n"
							"expect w2@put blocked\n"
							"expect @put blocked\n"
							"expect w0@put blocked then ok\n"
							"expect w1@put ok\n",
					       SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: w0@put ok\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: w1@put blocked then ok\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: w2@put blocked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: @put blocked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: w0@put blocked then ok; seen: ok\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: w1@put ok; seen: blocked, then ok\n"));
	CHECK_ERROR("process w[2] { @put exit }\nprocess x { }\nexpect x@put ok\n", NULL,
		    "x.scn:3:9: error: label 'put' (at 1:16) is in the body of process 'w0' and "
		    "its replicas, not of 'x'");
	CHECK_ERROR("process w[2] { @put exit }\nexpect w1@put blocked then\n", NULL,
		    "x.scn:3:1: error: expected ok or errno=NAME after 'blocked then', found end "
		    "of file");
}

static void test_lang_received_count_unordered_and_order(void)
{
	g_autofree char *out = test_run_output(
		REPLICAS "expect c received {\"w2\", 2 \"w1\", \"w0\"}\n"
			 "expect c received {\"w2\", 3 \"w1\", \"w0\"}\n"
			 "expect c received count=3\n"
			 "expect c received count=2\n"
			 "expect w0@put before c@get\n"
			 "expect c@get before w2@put\n"
			 "expect w2@put before @put\n",
		SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: c received {\"w2\", 2 \"w1\", \"w0\"}\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: c received {\"w2\", 3 \"w1\", \"w0\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: c received count=3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: c received count=2; seen: received count=3"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: w0@put before c@get\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: c@get before w2@put\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: w2@put before @put; seen: the first returned "
					   "at step"));
	/* An item that leaves its type open must not take the message a typed one needs. */
	g_autofree char *match = test_run_output(
		"mailbox b\nprocess p { send b \"a\" type=1 send b \"a\" type=2 }\n"
		"process c { repeat 2 { receive b } }\n"
		"expect c received {\"a\", 1 \"a\"}\n",
		SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(match, "PASS: c received {\"a\", 1 \"a\"}"));
	CHECK_ERROR("process p { @a exit }\nexpect @a before p\n", NULL,
		    "x.scn:2:18: error: expected @LABEL or PROC@LABEL after 'before', found 'p'");
}

static void test_lang_assert_checks_a_condition_whenever_it_is_reached(void)
{
	SimVerdict v;
	g_autofree char *out = test_run_output(
		"process w[2] { repeat 3 as i { assert i < 2 || index == 1\n print \"x\" } "
		"assert 1 }\n"
		"process q { if 0 { assert 0 } }\n",
		SIM_TRACE_TEXT, TRUE, NULL, &v);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: assert i < 2 || index == 1; seen: failed 1 of "
					   "6 times, first in w0 at 2us\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: assert 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: assert 0\n")); /* never reached */
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_EXPECT_FAILED);
	CHECK_ERROR("process p { assert }\n", NULL,
		    "x.scn:1:20: error: expected a condition after 'assert', found '}'");
}

static void test_lang_sysv_expectation_reads_every_ipc_stat_field(void)
{
	const char *scn = "sysv queue q key=0x7000 perm=0640 uid=1000 gid=100\n"
			  "process p uid=1000 gid=100 { sleep 1ms  msgsnd q type=1 \"x\"  "
			  "msgctl q set uid=2000 }\n"
			  "process c start=2ms { msgrcv q }\n";
	g_autofree char *text = g_strdup_printf(
		"%sexpect q key=0x7000 uid=2000 gid=100 cuid=1000 cgid=100 stime=1002us "
		"rtime=2001us ctime=1003us mode=0640 lspid=p lrpid=c\n"
		"expect q uid=1000 stime=0s\n",
		scn);
	g_autofree char *out = test_run_output(text, SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: q key=0x00007000 uid=2000 gid=100 cuid=1000 "
					   "cgid=100 stime=1.002ms rtime=2.001ms ctime=1.003ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: q uid=1000 stime=0; seen: uid=2000 "
					   "stime=1.002ms"));
	CHECK_ERROR("mailbox m\nprocess p { }\nexpect m cuid=0\n", NULL,
		    "x.scn:3:10: error: mailbox 'm' has no statistic 'cuid' (expected qnum, sent, "
		    "received, max_qnum or destroyed)");
}

static void test_lang_signal_expectation_counts_deliveries_and_handler_runs(void)
{
	/* The two SIGUSR1 sent at 16ms find t asleep: the first wakes it, the second finds the
	 * signal pending already, so the handler runs once for both. */
	g_autofree char *out = test_run_output("process t {\n"
					       "  on SIGUSR1 handler  on SIGUSR2 ignore\n"
					       "  sleep 10ms  compute 1us  sleep 30ms\n"
					       "}\n"
					       "process k {\n"
					       "  sleep 1ms  kill t SIGUSR1  kill t SIGUSR2\n"
					       "  sleep 15ms  kill t SIGUSR1  kill t SIGUSR1\n"
					       "}\n"
					       "expect t signal SIGUSR1 delivered=3 handled=2\n"
					       "expect t signal SIGUSR2 delivered=1 handled=0\n"
					       "expect k signal SIGUSR1 delivered=0\n"
					       "expect t signal SIGUSR1 handled=3\n",
					       SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: t signal SIGUSR1 delivered=3 handled=2\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: t signal SIGUSR2 delivered=1 handled=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: k signal SIGUSR1 delivered=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: t signal SIGUSR1 handled=3; seen: delivered=3 "
					   "handled=2\n"));
	CHECK_ERROR("process t { }\nexpect t signal SIGUSR1\n", NULL,
		    "x.scn:3:1: error: expected delivered=N or handled=N after 'expect t signal "
		    "SIGUSR1', found end of file");
}

/* ---- Quiz ---- */

static void test_lang_quiz_blanks_the_answers_and_shows_the_drawn_params(void)
{
	const char *text = "param N = random 2..4 # how many\n"
			   "mailbox box\n"
			   "process p { repeat N as i { send box \"m$i\" } }\n"
			   "process c { repeat N { receive box } }\n"
			   "expect c received count=N\n"
			   "expect box qnum=0   # left over\n"
			   "expect no deadlock\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = parse_with(text, NULL, 5, TRUE, &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GString) q = g_string_new(NULL);
	sim_quiz_format(q, scn, 5, NULL);
	g_autofree char *param = g_strdup_printf("param N = %" G_GINT64_FORMAT " # how many\n",
						 scn->params[0].value);
	CU_ASSERT_PTR_NOT_NULL(strstr(q->str, param));
	CU_ASSERT_PTR_NULL(strstr(q->str, "random"));
	CU_ASSERT_PTR_NULL(strstr(q->str, "expect"));
	CU_ASSERT_PTR_NOT_NULL(strstr(q->str, "\n# left over\n")); /* a comment stays */
	CU_ASSERT_PTR_NOT_NULL(strstr(q->str, "# 1. c received count=?\n"
					      "# 2. box qnum=?\n"
					      "# 3. deadlock or no deadlock?\n"));
	/* With a run, the answers; the quiz is a scenario itself. */
	SimWorldOptions o = { .seed = 5, .seed_set = TRUE };
	g_autoptr(SimWorld) w = sim_world_new(scn, &o);
	sim_world_run(w);
	g_autoptr(GString) a = g_string_new(NULL);
	sim_quiz_format(a, scn, 5, w);
	g_autofree char *count = g_strdup_printf("#    answer: received count=%" G_GINT64_FORMAT,
						 scn->params[0].value);
	CU_ASSERT_PTR_NOT_NULL(strstr(a->str, count));
	CU_ASSERT_PTR_NOT_NULL(strstr(a->str, "# 3. deadlock or no deadlock?\n#    answer: no "
					      "deadlock\n"));
	g_autoptr(GError) again = NULL;
	g_autoptr(SimScenario) runs = sim_scn_parse("q.scn", a->str, a->len, &again);
	CU_ASSERT_PTR_NOT_NULL(runs);
	/* The author's own words for a question. */
	g_autoptr(SimScenario) worded = parse_ok("process p { }\nexpect no deadlock question "
						 "\"Does p wait for anyone?\"\n",
						 NULL);
	g_autoptr(GString) w2 = g_string_new(NULL);
	sim_quiz_format(w2, worded, 1, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(w2->str, "# 1. Does p wait for anyone?\n"
					       "#    (deadlock or no deadlock?)\n"));
	CU_ASSERT_PTR_NULL(strstr(w2->str, "question"));
	CHECK_ERROR("process p { }\nexpect no deadlock question why\n", NULL,
		    "x.scn:2:29: error: expected the question's text in double quotes after "
		    "'question', found 'why'");
}

static void test_lang_record_writes_an_answer_key_that_passes(void)
{
	const char *text = "mailbox box capacity=1\n"
			   "process p { repeat 3 as i { @put send box \"m$i\" type=${i + 1} } }\n"
			   "process c { sleep 1ms  receive box }\n"
			   "expect c received [\"wrong\"]\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("r.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions o = { .keep_received = TRUE };
	g_autoptr(SimWorld) w = sim_world_new(scn, &o);
	sim_world_run(w);
	g_autoptr(GString) rec = g_string_new(NULL);
	sim_quiz_record(rec, w);
	CU_ASSERT_PTR_NULL(strstr(rec->str, "wrong"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect c received [1 \"m0\" from p]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect p state=blocked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect @put blocked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect deadlock\n"));
	/* The record, run, passes. */
	SimVerdict v;
	g_autofree char *out = test_run_output(rec->str, SIM_TRACE_TEXT, TRUE, NULL, &v);
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_OK);
	CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
}

/* ---- Did you mean ---- */

static void test_lang_unknown_words_get_the_nearest_known_one(void)
{
	CHECK_ERROR("mailbox inbox\nprocess p { send inbx \"x\" }\n", NULL,
		    "x.scn:2:18: error: unknown name 'inbx': no mailbox, port or process has that "
		    "name: did you mean 'inbox'?");
	CHECK_ERROR("process p { @sent exit }\nexpect @snet ok\n", NULL,
		    "x.scn:2:8: error: unknown label 'snet': no statement has that label: did you "
		    "mean 'sent'?");
	CHECK_ERROR("process p { kill p SIGUSR }\n", NULL,
		    "x.scn:1:20: error: unknown signal 'SIGUSR' (expected a standard signal's name, "
		    "SIGHUP to SIGSYS, as signal(7) lists them): did you mean 'SIGUSR1'?");
	CHECK_ERROR("parm N = 1\n", NULL,
		    "x.scn:1:1: error: unknown declaration 'parm' (expected scheduler, cost, "
		    "direct, sysctl, mailbox, port, sysv, posix, file, user, process, expect, "
		    "param or include): did you mean 'param'?");
	/* Nothing near: no guess. */
	CHECK_ERROR("process p { frobnicate }\n", NULL,
		    "x.scn:1:13: error: unknown statement 'frobnicate' (expected send, receive, "
		    "compute, sleep, print, exit, repeat, loop, break, msgget, msgsnd, msgrcv, "
		    "msgctl, kill, on, ipcs, mq_open, mq_send, mq_receive, mq_getattr, mq_setattr, "
		    "mq_notify, mq_close, mq_unlink, pipe, close, read, write, fcntl, ioctl, fork, "
		    "wait, mkfifo, open, unlink, dup, dup2, dup3, lseek, pread, pwrite, fstat, "
			      "stat, ftruncate, truncate, setuid, setgid, semget, semop, semctl, shmget, "
			      "shmat, shmdt, shmctl, shmwrite, shmread, store, load, ipcrm, if, assert, socketpair, sendto, "
			      "recv, shutdown, socket, bind, listen, accept, connect, alpc_create, "
			      "alpc_connect, alpc_accept, alpc_send, alpc_receive, alpc_reply, "
			      "alpc_close, seteuid, alarm, let, poll, select, exec, cat, thread or join)");
}

/* ---- Include ---- */

/* Writes `text` to DIR/name (making DIR/sub when name starts with it). */
static void put(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_mkdir_with_parents(parent, 0700);
	CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, text, -1, NULL));
}

/* Loads DIR/name: the scenario, or NULL with the error's message in *msg. */
static SimScenario *load_in(const char *dir, const char *name, char **msg)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_load(path, &error);
	*msg = error ? g_strdup(error->message) : NULL;
	return scn;
}

static void rm_tree(const char *dir)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_lang_include_reads_a_file_relative_to_its_includer(void)
{
	g_autofree char *dir = g_dir_make_tmp("msgsim-inc-XXXXXX", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	put(dir, "main.scn",
	    "param N = 2\ninclude \"sub/common.scn\"\nprocess c { repeat N { receive box } }\n");
	put(dir, "sub/common.scn", "mailbox box\ninclude \"prod.scn\"\n");
	put(dir, "sub/prod.scn", "process p { repeat N as i { send box \"m\" type=${i+1} } }\n");
	g_autofree char *msg = NULL;
	g_autoptr(SimScenario) scn = load_in(dir, "main.scn", &msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	CU_ASSERT_EQUAL(scn->n_procs, 2);
	CU_ASSERT_EQUAL(scn->n_mboxes, 1);
	/* A statement of an included file keeps its own line. */
	CU_ASSERT_EQUAL(scn->procs[0].body->block.stmts[0].loc.line, 1);
	rm_tree(dir);
}

static void test_lang_include_errors_name_the_file_and_where_it_was_included(void)
{
	g_autofree char *dir = g_dir_make_tmp("msgsim-inc-XXXXXX", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	put(dir, "main.scn", "mailbox box\ninclude \"a.scn\"\n");
	put(dir, "a.scn", "# a\ninclude \"b.scn\"\n");
	put(dir, "b.scn", "process box { }\n");
	g_autofree char *msg = NULL;
	g_autoptr(SimScenario) scn = load_in(dir, "main.scn", &msg);
	CU_ASSERT_PTR_NULL(scn);
	g_autofree char *want = g_strdup_printf(
		"%s/b.scn:1:9: error: duplicate name 'box': already declared at 1:9 (in the file "
		"included from %s/a.scn:2:9, %s/main.scn:2:9)",
		dir, dir, dir);
	CU_ASSERT_STRING_EQUAL(msg, want);
	/* A place in another included file is named with its file. */
	put(dir, "main.scn", "include \"a.scn\"\n");
	put(dir, "a.scn", "mailbox box\ninclude \"b.scn\"\n");
	g_free(g_steal_pointer(&msg));
	g_autoptr(SimScenario) again = load_in(dir, "main.scn", &msg);
	g_free(want);
	want = g_strdup_printf("%s/b.scn:1:9: error: duplicate name 'box': already declared at "
			       "%s/a.scn:1:9 (in the file included from %s/a.scn:2:9, "
			       "%s/main.scn:1:9)",
			       dir, dir, dir, dir);
	CU_ASSERT_STRING_EQUAL(msg, want);
	rm_tree(dir);
}

static void test_lang_include_refuses_cycles_depth_and_missing_files(void)
{
	g_autofree char *dir = g_dir_make_tmp("msgsim-inc-XXXXXX", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	put(dir, "main.scn", "include \"a.scn\"\nprocess p { }\n");
	put(dir, "a.scn", "include \"main.scn\"\n");
	g_autofree char *msg = NULL;
	g_autoptr(SimScenario) cyc = load_in(dir, "main.scn", &msg);
	CU_ASSERT_PTR_NULL(cyc);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "/a.scn:1:9: error: include cycle: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "/main.scn includes "));
	/* A file that includes itself. */
	put(dir, "self.scn", "include \"self.scn\"\n");
	g_free(g_steal_pointer(&msg));
	g_autoptr(SimScenario) self = load_in(dir, "self.scn", &msg);
	CU_ASSERT_PTR_NULL(self);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "include cycle"));
	/* A chain of 17 different files. */
	for (guint i = 0; i < 18; i++) {
		g_autofree char *name = g_strdup_printf("d%u.scn", i);
		g_autofree char *text = g_strdup_printf("include \"d%u.scn\"\n", i + 1);
		put(dir, name, text);
	}
	g_free(g_steal_pointer(&msg));
	g_autoptr(SimScenario) deep = load_in(dir, "d0.scn", &msg);
	CU_ASSERT_PTR_NULL(deep);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "/d16.scn:1:9: error: includes nested too deeply: "
					   "at most 16 files"));
	put(dir, "miss.scn", "include \"none.scn\"\n");
	g_free(g_steal_pointer(&msg));
	g_autoptr(SimScenario) miss = load_in(dir, "miss.scn", &msg);
	CU_ASSERT_PTR_NULL(miss);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "/miss.scn:1:9: error: cannot include \"none.scn\": "
					   "cannot read: No such file or directory"));
	rm_tree(dir);
}

CU_TestInfo lang_tests[] = {
	{ "message fields print the received message's numbers",
	  test_lang_message_fields_print_the_received_message_numbers },
	{ "unknown field of a message is an error, text after a counter",
	  test_lang_unknown_field_of_a_message_is_an_error_but_text_after_a_counter },
	{ "param is usable where numbers and texts are",
	  test_lang_param_is_usable_where_numbers_and_texts_are },
	{ "-D overrides a param", test_lang_define_overrides_a_param },
	{ "random param is drawn from the seed within its range",
	  test_lang_random_param_is_drawn_from_the_seed_within_its_range },
	{ "text param stands in texts and choices",
	  test_lang_text_param_stands_in_texts_and_choices },
	{ "param errors point at the name", test_lang_param_errors_point_at_the_name },
	{ "expressions follow C precedence and division",
	  test_lang_expressions_follow_c_precedence_and_division },
	{ "expression faults and syntax are errors",
	  test_lang_expression_faults_and_syntax_are_errors },
	{ "run-time operands take the counter's value",
	  test_lang_runtime_operands_take_the_counter_value },
	{ "a run-time fault stops the run before the call",
	  test_lang_runtime_fault_stops_the_run_before_the_call },
	{ "expression evaluation never overflows silently",
	  test_lang_expr_eval_never_overflows_silently },
	{ "if keeps both blocks in one body", test_lang_if_keeps_both_blocks_in_one_body },
	{ "if takes the branch its condition says",
	  test_lang_if_takes_the_branch_its_condition_says },
	{ "if reads message fields", test_lang_if_reads_message_fields },
	{ "if errors", test_lang_if_errors },
	{ "replica labels and blocked then", test_lang_replica_labels_and_blocked_then },
	{ "received count, unordered and order across processes",
	  test_lang_received_count_unordered_and_order },
	{ "assert checks a condition whenever it is reached",
	  test_lang_assert_checks_a_condition_whenever_it_is_reached },
	{ "a SysV expectation reads every IPC_STAT field",
	  test_lang_sysv_expectation_reads_every_ipc_stat_field },
	{ "a signal expectation counts deliveries and handler runs",
	  test_lang_signal_expectation_counts_deliveries_and_handler_runs },
	{ "quiz blanks the answers and shows the drawn params",
	  test_lang_quiz_blanks_the_answers_and_shows_the_drawn_params },
	{ "record writes an answer key that passes",
	  test_lang_record_writes_an_answer_key_that_passes },
	{ "unknown words get the nearest known one",
	  test_lang_unknown_words_get_the_nearest_known_one },
	{ "include reads a file relative to its includer",
	  test_lang_include_reads_a_file_relative_to_its_includer },
	{ "include errors name the file and where it was included",
	  test_lang_include_errors_name_the_file_and_where_it_was_included },
	{ "include refuses cycles, depth and missing files",
	  test_lang_include_refuses_cycles_depth_and_missing_files },
	CU_TEST_INFO_NULL,
};

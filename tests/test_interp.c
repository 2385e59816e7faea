/* test_interp.c — the interpreter (interp.h): bodies compiled to flat code, run one call at
 * a time.
 *
 * The first tests compile parsed bodies and read the code: every call becomes one CALL
 * carrying its row's exec, `repeat` becomes REPEAT ... NEXT
 * with a counter per loop depth, `loop` a body and a JUMP back, `break` a BREAK to just
 * past its innermost loop, and every body ends in END. The others run scenarios through
 * the world and look at what the flat code did: counters and the variables they set,
 * breaks, labels (the results of a labelled statement, per run), message variables, and
 * that one step runs the control flow ahead of a call and then exactly one call, at no
 * cost for the control flow.
 */
#include <string.h>

#include "msgsim/engine/interp.h"
#include "msgsim/calls/call.h"
#include "msgsim/lang/scn.h"
#include "tests.h"

/* ---- Compilation ---- */

typedef struct Want {
	SimOp op;
	guint depth;
	guint jump; /* checked for REPEAT, NEXT, JUMP and BREAK only */
} Want;

/* Compiles the first body of `text` and checks it instruction by instruction. */
static void check_code(const char *text, const Want *want, guint n, unsigned line)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimProgram prog = { 0 };
	sim_interp_compile(&prog, scn->bodies[0]);
	gboolean ok = prog.n_code == n;
	for (guint i = 0; ok && i < n; i++) {
		const SimInsn *in = &prog.code[i];
		gboolean jumps = in->op == SIM_OP_REPEAT || in->op == SIM_OP_NEXT ||
				 in->op == SIM_OP_JUMP || in->op == SIM_OP_BREAK;
		ok = in->op == want[i].op && in->depth == want[i].depth &&
		     (!jumps || in->jump == want[i].jump) && (in->op == SIM_OP_END) == !in->stmt &&
		     (in->op == SIM_OP_CALL) == (in->exec != NULL) &&
		     (!in->exec || in->exec == sim_call_desc(in->stmt->kind)->exec);
		if (!ok)
			fprintf(stderr, "\ninsn %u: op %d depth %u jump %u\n", i, in->op, in->depth,
				in->jump);
	}
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, "the compiled code", __FILE__, "",
				CU_FALSE);
	CU_ASSERT_PTR_EQUAL(prog.body, scn->bodies[0]);
	sim_interp_program_clear(&prog);
	CU_ASSERT_PTR_NULL(prog.code);
	sim_scn_free(scn);
}
#define CHECK_CODE(text, want) check_code((text), (want), G_N_ELEMENTS(want), __LINE__)

static void test_interp_straight_body_compiles_to_its_calls_then_end(void)
{
	static const Want want[] = {
		{ SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 },
		{ SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 },
		{ SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 }, { SIM_OP_CALL, 0, 0 },
		{ SIM_OP_END, 0, 0 },
	};
	CHECK_CODE("mailbox m\n"
		   "process a { send m \"x\"  receive m  compute 1ms  sleep 1ms  print \"p\"\n"
		   "  msgget key=private create -> q  mq_open \"/q\" create rdwr -> d\n"
		   "  pipe -> p  exit 3 }\n",
		   want);
}

static void test_interp_repeat_compiles_to_repeat_body_next_with_jumps_both_ways(void)
{
	/* REPEAT skips past the loop when the count is 0; NEXT goes back to the body start. */
	static const Want want[] = {
		{ SIM_OP_REPEAT, 0, 6 }, /* 0: past the outer NEXT */
		{ SIM_OP_CALL, 1, 0 },	 /* 1: the outer body starts here */
		{ SIM_OP_REPEAT, 1, 5 }, /* 2: past the inner NEXT */
		{ SIM_OP_CALL, 2, 0 },	 /* 3: the inner body */
		{ SIM_OP_NEXT, 1, 3 },	 /* 4 */
		{ SIM_OP_NEXT, 0, 1 },	 /* 5 */
		{ SIM_OP_END, 0, 0 },	 /* 6 */
	};
	CHECK_CODE("process a { repeat 2 as i { print \"o\"  repeat 3 { print \"i\" } } }\n", want);
}

static void test_interp_loop_compiles_to_a_jump_back_and_break_jumps_past_the_innermost(void)
{
	static const Want want[] = {
		{ SIM_OP_REPEAT, 0, 7 }, /* 0: past the outer NEXT */
		{ SIM_OP_CALL, 1, 0 },	 /* 1 */
		{ SIM_OP_CALL, 2, 0 },	 /* 2: the loop's body starts here */
		{ SIM_OP_BREAK, 2, 6 },	 /* 3: past the loop's JUMP, not past the repeat */
		{ SIM_OP_CALL, 2, 0 },	 /* 4 */
		{ SIM_OP_JUMP, 1, 2 },	 /* 5: back to the loop's body */
		{ SIM_OP_NEXT, 0, 1 },	 /* 6 */
		{ SIM_OP_END, 0, 0 },	 /* 7 */
	};
	CHECK_CODE("mailbox m\n"
		   "process a { repeat 2 as i {\n"
		   "  send m \"x\"\n"
		   "  loop { receive m nowait  break if ENOMSG  print \"got\" }\n"
		   "} }\n",
		   want);
}

/* ---- Execution ---- */

/* The texts the run printed, one per line. */
static char *printed(const char *text, const SimWorldOptions *opt)
{
	g_autofree char *out = test_run_output(text, SIM_TRACE_JSONL, FALSE, opt, NULL);
	g_auto(GStrv) lines = test_split_lines(out);
	GString *s = g_string_new(NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *p = strstr(lines[i], "\"ev\":\"print\"");
		const char *t = p ? strstr(p, "\"output\":\"") : NULL;
		if (!t)
			continue;
		t += strlen("\"output\":\"");
		g_string_append_len(s, t, (gssize)strcspn(t, "\""));
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

static void test_interp_repeat_counters_count_per_depth_and_set_their_variables(void)
{
	g_autofree char *out =
		printed("process a { repeat 2 as i { repeat 3 as j { print \"$i-$j\" }"
			"  print \"i=$i\" } }\n",
			NULL);
	CU_ASSERT_STRING_EQUAL(out, "0-0\n0-1\n0-2\ni=0\n1-0\n1-1\n1-2\ni=1\n");
}

static void test_interp_repeat_0_skips_its_body_and_repeat_1_runs_it_once(void)
{
	g_autofree char *out = printed("process a { repeat 0 { print \"never\" }"
				       "  repeat 1 as k { print \"once $k\" }  print \"end\" }\n",
				       NULL);
	CU_ASSERT_STRING_EQUAL(out, "once 0\nend\n");
}

static void test_interp_break_leaves_only_the_innermost_loop(void)
{
	g_autofree char *out =
		printed("mailbox m\n"
			"process a { repeat 2 as i {\n"
			"  send m \"a$i\"  send m \"b$i\"\n"
			"  loop { receive m -> x nowait  break if ENOMSG  print \"$x\" }\n"
			"  print \"end $i\"\n"
			"} }\n",
			NULL);
	CU_ASSERT_STRING_EQUAL(out, "a0\nb0\nend 0\na1\nb1\nend 1\n");
}

static void test_interp_break_if_ok_and_unconditional_break(void)
{
	g_autofree char *out = printed("mailbox m\n"
				       "process a {\n"
				       "  send m \"x\"\n"
				       "  loop { receive m nowait  break if ok  print \"retry\" }\n"
				       "  loop { print \"once\"  break  print \"never\" }\n"
				       "  print \"end\"\n"
				       "}\n",
				       NULL);
	CU_ASSERT_STRING_EQUAL(out, "once\nend\n");
}

static void test_interp_message_variables_give_text_sender_and_reply_address(void)
{
	g_autofree char *out =
		printed("mailbox m\n"
			"process server { receive m -> req  print \"$req from $req.from\""
			"  send $req \"pong\" }\n"
			"process client { send m \"ping\"  receive server -> rep"
			"  print \"$rep from ${rep.from}\" }\n",
			NULL);
	CU_ASSERT_STRING_EQUAL(out, "ping from client\npong from server\n");
}

/* The result of the statement the expectation at index i names. */
static const SimStmtResult *labelled(TestRun *r, guint i)
{
	CU_ASSERT_FATAL(i < r->scn->n_expects && r->scn->expects[i].stmt != NULL);
	return &r->w->results[r->scn->expects[i].stmt->id];
}

static void test_interp_label_records_every_run_of_its_statement(void)
{
	TestRun r = test_run_text("mailbox m capacity=0\n"
				  "process a { repeat 3 { @p print \"x\" } }\n"
				  "process s { repeat 2 { @s send m \"y\" } }\n"
				  "process r start=1ms { receive m  @last receive m nowait }\n"
				  "expect @p ok\n"
				  "expect @s ok\n"
				  "expect @last errno=ENOMSG\n",
				  FALSE, NULL);
	const SimStmtResult *p = labelled(&r, 0), *s = labelled(&r, 1), *last = labelled(&r, 2);
	CU_ASSERT_EQUAL(p->runs, 3);
	CU_ASSERT_EQUAL(p->blocks, 0);
	CU_ASSERT_TRUE(p->returned);
	/* The first send blocks until r takes it; the second blocks for good. */
	CU_ASSERT_EQUAL(s->runs, 2);
	CU_ASSERT_EQUAL(s->blocks, 2);
	CU_ASSERT_TRUE(s->blocked);
	CU_ASSERT_FALSE(s->returned);
	CU_ASSERT_EQUAL(last->runs, 1);
	CU_ASSERT_EQUAL(last->err, ENOMSG);
	CU_ASSERT_EQUAL(last->ret, -1);
	CU_ASSERT_EQUAL(r.verdict.failed, 1); /* @s ok: its last run blocked */
	test_run_free(&r);
}

/* A call hook that stops the run when the first call finishes, and counts starts. */
typedef struct Stopper {
	guint started, finished;
} Stopper;

static void stop_at_first_finish(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
				 SimCallPhase phase)
{
	Stopper *s = data;
	(void)t;
	(void)st;
	if (phase == SIM_CALL_STARTED)
		s->started++;
	if (phase == SIM_CALL_FINISHED && s->finished++ == 0)
		sim_world_stop(w);
}

static void test_interp_one_step_runs_the_control_flow_ahead_and_exactly_one_call(void)
{
	Stopper st = { 0 };
	SimWorldOptions opt = { .hook = { stop_at_first_finish, &st } };
	TestRun r = test_run_text("process a { repeat 3 { repeat 0 { print \"no\" }"
				  "  loop { break }  print \"x\" } }\n",
				  TRUE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_STOPPED);
	CU_ASSERT_EQUAL(st.started, 1);
	CU_ASSERT_EQUAL(st.finished, 1);
	/* REPEAT, REPEAT (count 0: jumps), BREAK, PRINT: four instructions, one step. */
	CU_ASSERT_EQUAL(r.w->steps, 4);
	const char *p = strstr(r.out, "print \"x\"");
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_PTR_NULL(p ? strstr(p + 1, "print") : NULL);
	test_run_free(&r);
}

static void test_interp_control_flow_costs_no_time(void)
{
	TestRun r = test_run_text("cost syscall=1us\n"
				  "process a { repeat 3 { repeat 0 { print \"no\" }"
				  "  loop { break }  repeat 2 { } print \"x\" } }\n",
				  FALSE, NULL);
	/* Three prints; the loops and the implicit exit are free. */
	CU_ASSERT_EQUAL(sim_world_now(r.w), 3 * SIM_US);
	CU_ASSERT_EQUAL(test_run_task(&r, "a")->cpu_time, 3 * SIM_US);
	test_run_free(&r);
}

static void test_interp_loop_without_a_call_still_meets_the_step_limit(void)
{
	SimWorldOptions opt = { .max_steps = 100 };
	TestRun r = test_run_text("process spin { loop { repeat 2 { } } }\n", FALSE, &opt);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_STEP_LIMIT);
	CU_ASSERT_EQUAL(r.w->steps, 100);
	CU_ASSERT_EQUAL(sim_world_now(r.w), 0);
	test_run_free(&r);
}

CU_TestInfo interp_tests[] = {
	{ "straight body compiles to its calls, then END",
	  test_interp_straight_body_compiles_to_its_calls_then_end },
	{ "repeat compiles to REPEAT, body, NEXT with jumps both ways",
	  test_interp_repeat_compiles_to_repeat_body_next_with_jumps_both_ways },
	{ "loop compiles to a jump back, and break jumps past the innermost loop",
	  test_interp_loop_compiles_to_a_jump_back_and_break_jumps_past_the_innermost },
	{ "repeat counters count per depth and set their variables",
	  test_interp_repeat_counters_count_per_depth_and_set_their_variables },
	{ "repeat 0 skips its body and repeat 1 runs it once",
	  test_interp_repeat_0_skips_its_body_and_repeat_1_runs_it_once },
	{ "break leaves only the innermost loop",
	  test_interp_break_leaves_only_the_innermost_loop },
	{ "break if ok, and unconditional break", test_interp_break_if_ok_and_unconditional_break },
	{ "message variables give text, sender and reply address",
	  test_interp_message_variables_give_text_sender_and_reply_address },
	{ "label records every run of its statement",
	  test_interp_label_records_every_run_of_its_statement },
	{ "one step runs the control flow ahead and exactly one call",
	  test_interp_one_step_runs_the_control_flow_ahead_and_exactly_one_call },
	{ "control flow costs no time", test_interp_control_flow_costs_no_time },
	{ "loop without a call still meets the step limit",
	  test_interp_loop_without_a_call_still_meets_the_step_limit },
	CU_TEST_INFO_NULL,
};

/* test_call.c — the call table (call.h): its shape, and one family's trace through it.
 *
 * The shape: every statement kind has exactly one row, its own, with a keyword, a family and
 * a parse hook, and no two rows share a keyword, checked both directly and by the table's
 * own checker; the parser's keyword index finds each row by its keyword and nothing else;
 * every call has an exec, control flow none. The trace: SysV calls built by hand as events
 * and written through their rows, so a failure names the row whose hook broke, not only a
 * golden file that differs.
 */
#include <string.h>

#include "msgsim/calls/call.h"
#include "tests.h"

static void test_call_every_kind_has_one_row_with_a_keyword_and_a_family(void)
{
	g_autoptr(GString) why = g_string_new(NULL);
	CU_ASSERT_TRUE(sim_call_table_check(why));
	if (why->len)
		fprintf(stderr, "\ncall table: %s\n", why->str);
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(d->kind, (SimStmtKind)k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d->name);
		CU_ASSERT_TRUE(d->name[0] != '\0');
		CU_ASSERT_TRUE((guint)d->family < SIM_CALL_N_FAMILIES);
		CU_ASSERT_PTR_NOT_NULL(sim_call_family_name(d->family));
	}
}

static void test_call_keywords_are_unique(void)
{
	for (guint i = 0; i < SIM_CALL_N_KINDS; i++) {
		const SimCallDesc *a = sim_call_desc((SimStmtKind)i);
		for (guint j = i + 1; j < SIM_CALL_N_KINDS && a; j++) {
			const SimCallDesc *b = sim_call_desc((SimStmtKind)j);
			if (b)
				CU_ASSERT_STRING_NOT_EQUAL(a->name, b->name);
		}
	}
}

static void test_call_every_row_has_a_parse_hook_and_only_mailbox_calls_resolve(void)
{
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		CU_ASSERT_PTR_NOT_NULL(d->parse);
		/* The checks after resolution are the mailboxes' (to=, ports, self); a new one
		 * elsewhere should be a decision, so this test names it. */
		CU_ASSERT_EQUAL(d->resolve != NULL, k == SIM_STMT_SEND || k == SIM_STMT_RECEIVE);
	}
}

static void test_call_by_name_finds_each_row_by_its_exact_keyword(void)
{
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		CU_ASSERT_PTR_EQUAL(sim_call_by_name(d->name), d);
	}
	CU_ASSERT_EQUAL(sim_call_by_name("mq_unlink")->kind, SIM_STMT_MQ_UNLINK);
	/* Keywords are case-sensitive and whole: no prefix, no declaration word, no empty one. */
	CU_ASSERT_PTR_NULL(sim_call_by_name("Send"));
	CU_ASSERT_PTR_NULL(sim_call_by_name("mq_"));
	CU_ASSERT_PTR_NULL(sim_call_by_name("sendx"));
	CU_ASSERT_PTR_NULL(sim_call_by_name("process"));
	CU_ASSERT_PTR_NULL(sim_call_by_name(""));
	CU_ASSERT_PTR_NULL(sim_call_by_name("zzz")); /* past the last keyword */
	CU_ASSERT_PTR_NULL(sim_call_by_name("a"));   /* before the first */
}

static void test_call_each_call_sits_in_the_family_of_its_kernel_object(void)
{
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_SEND)->family, SIM_CALL_MBOX);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_MSGSND)->family, SIM_CALL_SYSV);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_IPCS)->family, SIM_CALL_SYSV);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_MQ_CLOSE)->family, SIM_CALL_POSIX);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_PIPE)->family, SIM_CALL_FILE);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_OPEN)->family, SIM_CALL_FILE);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_FORK)->family, SIM_CALL_PROC);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_WAIT)->family, SIM_CALL_PROC);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_KILL)->family, SIM_CALL_PROC);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_ON)->family, SIM_CALL_PROC);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_EXIT)->family, SIM_CALL_PROC);
	CU_ASSERT_EQUAL(sim_call_desc(SIM_STMT_LOOP)->family, SIM_CALL_CONTROL);
	CU_ASSERT_STRING_EQUAL(sim_call_desc(SIM_STMT_MQ_RECEIVE)->name, "mq_receive");
}

static gboolean control_flow(SimStmtKind k)
{
	return k == SIM_STMT_REPEAT || k == SIM_STMT_LOOP || k == SIM_STMT_BREAK ||
	       k == SIM_STMT_IF || k == SIM_STMT_ELSE || k == SIM_STMT_ASSERT ||
	       k == SIM_STMT_LET;
}

static void test_call_every_call_executes_through_its_row_and_only_control_flow_has_no_exec(void)
{
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		if (control_flow((SimStmtKind)k)) {
			CU_ASSERT_PTR_NULL(d->exec);
			CU_ASSERT_PTR_NULL(d->abandon);
			CU_ASSERT_TRUE(d->op == SIM_OP_REPEAT || d->op == SIM_OP_JUMP ||
				       d->op == SIM_OP_BREAK || d->op == SIM_OP_IF ||
				       d->op == SIM_OP_ASSERT || d->op == SIM_OP_LET);
		} else {
			CU_ASSERT_PTR_NOT_NULL(d->exec);
			CU_ASSERT_EQUAL(d->op, SIM_OP_CALL);
		}
	}
	/* Only the calls that hold a pipe while they sleep have something to give up. */
	CU_ASSERT_PTR_NOT_NULL(sim_call_desc(SIM_STMT_READ)->abandon);
	CU_ASSERT_PTR_NOT_NULL(sim_call_desc(SIM_STMT_WRITE)->abandon);
	CU_ASSERT_PTR_NOT_NULL(sim_call_desc(SIM_STMT_OPEN)->abandon);
	CU_ASSERT_PTR_NULL(sim_call_desc(SIM_STMT_MSGRCV)->abandon);
	/* Calls that once shared a switch now run apart. */
	CU_ASSERT_PTR_NOT_EQUAL(sim_call_desc(SIM_STMT_MQ_SEND)->exec,
				sim_call_desc(SIM_STMT_MQ_RECEIVE)->exec);
	CU_ASSERT_PTR_NOT_EQUAL(sim_call_desc(SIM_STMT_MQ_GETATTR)->exec,
				sim_call_desc(SIM_STMT_MQ_CLOSE)->exec);
}

static void test_call_every_row_that_blocks_has_a_wait_role(void)
{
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		if (d->blocks && d->wait_role == SIM_WAIT_NONE)
			fprintf(stderr, "\n'%s' blocks but has no wait role\n", d->name);
		CU_ASSERT_TRUE(!d->blocks || d->wait_role != SIM_WAIT_NONE);
		/* A role without blocking is a call that releases waiters: msgctl's IPC_RMID,
		 * semctl's SETVAL, SETALL and IPC_RMID, ipcrm -s. */
		if (!d->blocks)
			CU_ASSERT_EQUAL(d->wait_role != SIM_WAIT_NONE,
					k == SIM_STMT_MSGCTL || k == SIM_STMT_SEMCTL ||
						k == SIM_STMT_IPCRM);
	}
}

/* What the deadlock report relies on: each side of an object has its role, and msgctl
 * counts on both sides of a SysV queue. */
static void test_call_wait_roles_pair_each_waiter_with_who_releases_it(void)
{
	static const struct {
		SimStmtKind kind;
		SimCallWaitRole role;
		SimObjKind obj;
	} roles[] = {
		{ SIM_STMT_SEND, SIM_WAIT_PUTS, SIM_OBJ_MBOX },
		{ SIM_STMT_RECEIVE, SIM_WAIT_TAKES, SIM_OBJ_MBOX },
		{ SIM_STMT_MSGSND, SIM_WAIT_PUTS, SIM_OBJ_SYSVQ },
		{ SIM_STMT_MSGRCV, SIM_WAIT_TAKES, SIM_OBJ_SYSVQ },
		{ SIM_STMT_MSGCTL, SIM_WAIT_BOTH, SIM_OBJ_SYSVQ },
		{ SIM_STMT_MQ_SEND, SIM_WAIT_PUTS, SIM_OBJ_MQ },
		{ SIM_STMT_MQ_RECEIVE, SIM_WAIT_TAKES, SIM_OBJ_MQ },
		{ SIM_STMT_WRITE, SIM_WAIT_PUTS, SIM_OBJ_PIPE },
		{ SIM_STMT_READ, SIM_WAIT_TAKES, SIM_OBJ_PIPE },
		{ SIM_STMT_OPEN, SIM_WAIT_OPENS, SIM_OBJ_PIPE },
		{ SIM_STMT_WAIT, SIM_WAIT_TAKES, SIM_OBJ_TASK },
	};
	for (guint i = 0; i < G_N_ELEMENTS(roles); i++) {
		SimStmt st = { .kind = roles[i].kind };
		CU_ASSERT_EQUAL(sim_call_wait_role(&st, roles[i].obj), roles[i].role);
		/* Toward another kind of object it has no part. */
		SimObjKind other = roles[i].obj == SIM_OBJ_MBOX ? SIM_OBJ_PIPE : SIM_OBJ_MBOX;
		CU_ASSERT_EQUAL(sim_call_wait_role(&st, other), SIM_WAIT_NONE);
	}
	SimStmt ctl = { .kind = SIM_STMT_MSGGET };
	CU_ASSERT_EQUAL(sim_call_wait_role(&ctl, SIM_OBJ_SYSVQ), SIM_WAIT_NONE);
	CU_ASSERT_EQUAL(sim_call_wait_role(NULL, SIM_OBJ_PIPE), SIM_WAIT_NONE); /* a body's end */
}

/* The id of the SysV queue st names now, as its footprint resolves it. */
static guint64 queue_of(const TestRun *r, const SimTask *t, const SimStmt *st)
{
	SimFootprint fp;
	sim_call_footprint(r->w, t, st, &fp);
	for (guint i = 0; i < fp.n; i++)
		if (fp.refs[i].kind == SIM_OBJ_SYSVQ)
			return fp.refs[i].id;
	CU_FAIL("the statement names no queue");
	return SIM_OBJ_ALL;
}

/* The report's static look: an operand that only a run resolves (a reply, an id variable)
 * reaches every object, the others the one they name; a role must match too. */
static void test_call_reaches_reads_operands_without_running_them(void)
{
	TestRun r = test_run_text(
		"mailbox m\n"
		"mailbox n\n"
		"sysv queue q key=0x7000 perm=0600\n"
		"sysv queue k key=0x7001 perm=0600\n"
		"process a { receive n  send m \"x\"  send b \"y\"  receive any -> v\n"
		"  send $v \"z\"  receive m  receive any  msgsnd q \"x\"\n"
		"  msgrcv k nowait  msgctl q stat\n"
		"  msgget key=0x7002 create perm=0600 -> i  msgsnd i \"x\" }\n"
		"process b { sleep 1ms }\n",
		FALSE, NULL);
	const SimTask *a = test_run_task(&r, "a");
	const SimStmt *st = a->prog->body->block.stmts;
	CU_ASSERT_EQUAL_FATAL(a->prog->body->block.n_stmts, 12);
	const SimObjRef m = { SIM_OBJ_MBOX, (guint64)test_run_mbox(&r, "m")->index };
	const SimObjRef n = { SIM_OBJ_MBOX, (guint64)test_run_mbox(&r, "n")->index };
	const SimObjRef b_in = { SIM_OBJ_MBOX, (guint64)test_run_task(&r, "b")->inbox };
	const SimObjRef a_in = { SIM_OBJ_MBOX, (guint64)a->inbox };
	const SimObjRef q = { SIM_OBJ_SYSVQ, queue_of(&r, a, &st[7]) };
	const SimObjRef k = { SIM_OBJ_SYSVQ, queue_of(&r, a, &st[8]) };
	CU_ASSERT_NOT_EQUAL(q.id, k.id);
	const SimWorld *w = r.w;
	/* send m; send b (to b's inbox); send $v (a reply: any inbox) */
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[1], SIM_WAIT_PUTS, &m));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[1], SIM_WAIT_PUTS, &n));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[1], SIM_WAIT_TAKES, &m));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[2], SIM_WAIT_PUTS, &b_in));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[2], SIM_WAIT_PUTS, &m));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[4], SIM_WAIT_PUTS, &m));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[4], SIM_WAIT_PUTS, &n));
	/* receive m; receive any (a's own inbox) */
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[5], SIM_WAIT_TAKES, &m));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[5], SIM_WAIT_TAKES, &n));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[5], SIM_WAIT_PUTS, &m));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[6], SIM_WAIT_TAKES, &a_in));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[6], SIM_WAIT_TAKES, &m));
	/* msgsnd q; msgrcv k; msgctl q (either side); msgget (no side); msgsnd i (any queue) */
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[7], SIM_WAIT_PUTS, &q));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[7], SIM_WAIT_PUTS, &k));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[7], SIM_WAIT_TAKES, &q));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[8], SIM_WAIT_TAKES, &k));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[8], SIM_WAIT_TAKES, &q));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[9], SIM_WAIT_PUTS, &q));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[9], SIM_WAIT_TAKES, &q));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[9], SIM_WAIT_PUTS, &k));
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[10], SIM_WAIT_BOTH, &q));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[11], SIM_WAIT_PUTS, &q));
	CU_ASSERT_TRUE(sim_call_reaches(w, a, &st[11], SIM_WAIT_PUTS, &k));
	/* Toward an object of another kind, nothing reaches. */
	const SimObjRef pipe = { SIM_OBJ_PIPE, SIM_OBJ_ALL };
	CU_ASSERT_FALSE(sim_call_reaches(w, a, &st[1], SIM_WAIT_BOTH | SIM_WAIT_OPENS, &pipe));
	test_run_free(&r);
}

/* The text line's call part of ev, as its row writes it. */
static char *call_part(const SimTraceEvent *ev, const char *arrow)
{
	const SimCallDesc *d = sim_call_desc(ev->stmt->kind);
	GString *s = g_string_new(NULL);
	d->text_call(s, ev);
	d->text_result(s, ev, arrow);
	return g_string_free(s, FALSE);
}

static void test_call_sysv_msgsnd_text_shows_type_text_size_nowait_and_the_hand_off(void)
{
	SimStmt st = { .kind = SIM_STMT_MSGSND, .sysv = { .type = 2, .flags = SIM_IPC_NOWAIT } };
	SimMsg m = { .type = 2, .text = "Nami", .len = 4, .size = 512 };
	SimTraceEvent ev = { .kind = SIM_TR_CALL, .object = "q", .stmt = &st, .msg = &m };
	g_autofree char *queued = call_part(&ev, " -> ");
	CU_ASSERT_STRING_EQUAL(queued, "msgsnd q type=2 \"Nami\" size=512 nowait -> ok, queued");
	ev.other = "receiver";
	g_autofree char *handed = call_part(&ev, " -> ");
	CU_ASSERT_STRING_EQUAL(
		handed, "msgsnd q type=2 \"Nami\" size=512 nowait -> ok, handed to receiver");
	ev.other = NULL;
	ev.err = EAGAIN;
	g_autofree char *full = call_part(&ev, " -> ");
	CU_ASSERT_STRING_EQUAL(full, "msgsnd q type=2 \"Nami\" size=512 nowait -> EAGAIN "
				     "(resource temporarily unavailable)");
}

static void test_call_sysv_msgrcv_returns_bytes_type_text_and_sender(void)
{
	SimStmt st = { .kind = SIM_STMT_MSGRCV,
		       .sysv = { .type = -3, .size = 16, .flags = SIM_MSG_NOERROR, .fill = -1 } };
	SimMsg m = { .type = 2, .text = "Usopo", .len = 5, .size = 5, .seq = 9 };
	SimTraceEvent ev = { .kind = SIM_TR_RETURN,
			     .object = "q",
			     .stmt = &st,
			     .msg = &m,
			     .msg_from = "sender",
			     .ret = 5 };
	g_autofree char *got = call_part(&ev, " returns ");
	CU_ASSERT_STRING_EQUAL(got, "msgrcv q type=-3 size=16 noerror returns ok, 5 bytes: type 2 "
				    "\"Usopo\" from sender (#9)");
}

static void test_call_sysv_blocked_call_says_why_and_has_no_ret_in_json(void)
{
	SimStmt st = { .kind = SIM_STMT_MSGRCV, .sysv = { .type = 1, .size = SIM_SIZE_UNSET, .fill = -1 } };
	SimTraceEvent ev = { .kind = SIM_TR_CALL,
			     .object = "q",
			     .stmt = &st,
			     .blocked = TRUE,
			     .reason = "no message of type 1",
			     .ret = 7 };
	g_autofree char *got = call_part(&ev, " -> ");
	CU_ASSERT_STRING_EQUAL(got, "msgrcv q type=1 -> blocks: no message of type 1");
	const SimCallDesc *d = sim_call_desc(SIM_STMT_MSGRCV);
	g_autoptr(GString) json = g_string_new(NULL);
	d->json_result(json, &ev);
	CU_ASSERT_STRING_EQUAL(json->str, "");
	ev.blocked = FALSE;
	d->json_result(json, &ev);
	CU_ASSERT_STRING_EQUAL(json->str, ",\"ret\":7");
}

CU_TestInfo call_tests[] = {
	{ "every kind has one row with a keyword and a family",
	  test_call_every_kind_has_one_row_with_a_keyword_and_a_family },
	{ "keywords are unique", test_call_keywords_are_unique },
	{ "every row has a parse hook and only mailbox calls resolve",
	  test_call_every_row_has_a_parse_hook_and_only_mailbox_calls_resolve },
	{ "by name finds each row by its exact keyword",
	  test_call_by_name_finds_each_row_by_its_exact_keyword },
	{ "each call sits in the family of its kernel object",
	  test_call_each_call_sits_in_the_family_of_its_kernel_object },
	{ "every call executes through its row, and only control flow has no exec",
	  test_call_every_call_executes_through_its_row_and_only_control_flow_has_no_exec },
	{ "every row that blocks has a wait role",
	  test_call_every_row_that_blocks_has_a_wait_role },
	{ "wait roles pair each waiter with who releases it",
	  test_call_wait_roles_pair_each_waiter_with_who_releases_it },
	{ "reaches reads operands without running them",
	  test_call_reaches_reads_operands_without_running_them },
	{ "SysV msgsnd text shows type, text, size, nowait and the hand-off",
	  test_call_sysv_msgsnd_text_shows_type_text_size_nowait_and_the_hand_off },
	{ "SysV msgrcv returns bytes, type, text and sender",
	  test_call_sysv_msgrcv_returns_bytes_type_text_and_sender },
	{ "SysV blocked call says why and has no ret in JSON",
	  test_call_sysv_blocked_call_says_why_and_has_no_ret_in_json },
	CU_TEST_INFO_NULL,
};

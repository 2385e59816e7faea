/* test_scn.c — the scenario parser: every form with its defaults, and every error message.
 *
 * Errors are checked as whole strings, "FILE:LINE:COL: error: WHAT", together with their
 * code, from one table per kind of error, so a moved column or a reworded message fails.
 */
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "msgsim/scn.h"
#include "tests.h"

static SimScenario *parse_ok(const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (error)
		fprintf(stderr, "\n  unexpected error: %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	return scn;
}

static const SimStmt *stmt_of(const SimScenario *scn, guint proc, guint i)
{
	return &scn->procs[proc].body->block.stmts[i];
}

typedef struct {
	SimScnErrorCode code;
	const char *text;
	const char *message;
} ErrorCase;

static void check_errors(const ErrorCase *cases, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		const ErrorCase *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("x.scn", c->text, strlen(c->text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL(error);
		if (!error)
			continue;
		CU_ASSERT_EQUAL(error->domain, SIM_SCN_ERROR);
		CU_ASSERT_EQUAL(error->code, (gint)c->code);
		CU_ASSERT_STRING_EQUAL(error->message, c->message);
		if (error->code != (gint)c->code || strcmp(error->message, c->message) != 0)
			fprintf(stderr, "\n  case %zu: %s\n    want [%d] %s\n    got  [%d] %s\n", i,
				c->text, c->code, c->message, error->code, error->message);
	}
}

/* ---- Declarations ---- */

static void test_scn_empty_scenario_has_the_documented_defaults(void)
{
	g_autoptr(SimScenario) s = parse_ok("# nothing but a comment\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->file, "t.scn");
	CU_ASSERT_EQUAL(s->policy, SIM_SCHED_FIFO);
	CU_ASSERT_EQUAL(s->quantum, 10 * SIM_US);
	CU_ASSERT_EQUAL(s->seed, 1);
	CU_ASSERT_FALSE(s->seed_set);
	CU_ASSERT_EQUAL(s->cost_syscall, 1 * SIM_US);
	CU_ASSERT_EQUAL(s->cost_switch, 0);
	CU_ASSERT_EQUAL(s->cost_byte, 0);
	CU_ASSERT_EQUAL(s->direct_capacity, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_EQUAL(s->n_mboxes, 0);
	CU_ASSERT_EQUAL(s->n_procs, 0);
	CU_ASSERT_EQUAL(s->n_bodies, 0);
	CU_ASSERT_EQUAL(s->n_expects, 0);
	CU_ASSERT_EQUAL(s->n_stmts, 0);
}

static void test_scn_parses_every_scheduler_form(void)
{
	static const struct {
		const char *text;
		SimSchedPolicy policy;
		SimTime quantum;
		guint64 seed;
		gboolean seed_set;
	} cases[] = {
		{ "scheduler fifo", SIM_SCHED_FIFO, 10 * SIM_US, 1, FALSE },
		{ "scheduler rr quantum=3ms", SIM_SCHED_RR, 3 * SIM_MS, 1, FALSE },
		{ "scheduler rr seed=5 quantum=2us", SIM_SCHED_RR, 2 * SIM_US, 5, TRUE },
		{ "scheduler priority", SIM_SCHED_PRIORITY, 10 * SIM_US, 1, FALSE },
		{ "scheduler random", SIM_SCHED_RANDOM, 10 * SIM_US, 1, FALSE },
		{ "scheduler random seed=0x2a", SIM_SCHED_RANDOM, 10 * SIM_US, 42, TRUE },
		{ "scheduler fifo seed=7", SIM_SCHED_FIFO, 10 * SIM_US, 7, TRUE },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SimScenario) s = parse_ok(cases[i].text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->policy, cases[i].policy);
		CU_ASSERT_EQUAL(s->quantum, cases[i].quantum);
		CU_ASSERT_EQUAL(s->seed, cases[i].seed);
		CU_ASSERT_EQUAL(s->seed_set, cases[i].seed_set);
	}
}

static void test_scn_parses_cost_and_direct(void)
{
	g_autoptr(SimScenario) s = parse_ok("cost byte=3ns syscall=2us switch=5us\n"
					    "direct capacity=0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->cost_syscall, 2 * SIM_US);
	CU_ASSERT_EQUAL(s->cost_switch, 5 * SIM_US);
	CU_ASSERT_EQUAL(s->cost_byte, 3 * SIM_NS);
	CU_ASSERT_EQUAL(s->direct_capacity, 0);

	g_autoptr(SimScenario) partial = parse_ok("cost switch=1s direct capacity=4");
	CU_ASSERT_PTR_NOT_NULL_FATAL(partial);
	CU_ASSERT_EQUAL(partial->cost_syscall, 1 * SIM_US);
	CU_ASSERT_EQUAL(partial->cost_switch, 1 * SIM_S);
	CU_ASSERT_EQUAL(partial->direct_capacity, 4);

	g_autoptr(SimScenario) unbounded = parse_ok("direct capacity=unbounded");
	CU_ASSERT_PTR_NOT_NULL_FATAL(unbounded);
	CU_ASSERT_EQUAL(unbounded->direct_capacity, SIM_CAPACITY_UNBOUNDED);
}

static void test_scn_parses_mailbox_with_all_options(void)
{
	g_autoptr(SimScenario) s = parse_ok(
		"mailbox A capacity=3 owner=P order=priority waiters=priority deliver=round-robin\n"
		"mailbox B\n"
		"mailbox C owner=system capacity=0 deliver=first-waiter\n"
		"mailbox D deliver=addressed capacity=010\n"
		"process P {}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_mboxes, 4);
	const SimScnMbox *a = &s->mboxes[0], *b = &s->mboxes[1], *c = &s->mboxes[2];
	CU_ASSERT_STRING_EQUAL(a->name, "A");
	CU_ASSERT_EQUAL(a->loc.line, 1);
	CU_ASSERT_EQUAL(a->loc.col, 9);
	CU_ASSERT_FALSE(a->is_port);
	CU_ASSERT_EQUAL(a->capacity, 3);
	CU_ASSERT_EQUAL(a->owner, 0);
	CU_ASSERT_EQUAL(a->order, SIM_ORDER_PRIORITY);
	CU_ASSERT_EQUAL(a->waiters, SIM_ORDER_PRIORITY);
	CU_ASSERT_EQUAL(a->deliver, SIM_DELIVER_ROUND_ROBIN);
	CU_ASSERT_EQUAL(b->capacity, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_EQUAL(b->owner, -1);
	CU_ASSERT_EQUAL(b->order, SIM_ORDER_FIFO);
	CU_ASSERT_EQUAL(b->waiters, SIM_ORDER_FIFO);
	CU_ASSERT_EQUAL(b->deliver, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(c->owner, -1);
	CU_ASSERT_EQUAL(c->capacity, 0);
	CU_ASSERT_EQUAL(s->mboxes[3].deliver, SIM_DELIVER_ADDRESSED);
	CU_ASSERT_EQUAL(s->mboxes[3].capacity, 8); /* a leading 0 is octal, as in C */
}

static void test_scn_parses_every_deliver_mode(void)
{
	static const char *const modes[] = { "first-waiter", "round-robin", "random",
					     "pair",	     "exclusive",   "addressed" };
	for (gsize i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autofree char *text = g_strdup_printf("mailbox M deliver=%s", modes[i]);
		g_autoptr(SimScenario) s = parse_ok(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->mboxes[0].deliver, (SimDeliver)i);
		CU_ASSERT_STRING_EQUAL(sim_scn_deliver_name((SimDeliver)i), modes[i]);
	}
}

static void test_scn_parses_port_with_owner(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("port srv owner=server capacity=2 order=priority waiters=fifo\n"
			 "process server { receive srv }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimScnMbox *m = &s->mboxes[0];
	CU_ASSERT_TRUE(m->is_port);
	CU_ASSERT_EQUAL(m->owner, 0);
	CU_ASSERT_EQUAL(m->capacity, 2);
	CU_ASSERT_EQUAL(m->order, SIM_ORDER_PRIORITY);
	CU_ASSERT_EQUAL(m->waiters, SIM_ORDER_FIFO);
	CU_ASSERT_EQUAL(m->deliver, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(sim_scn_find_mbox(s, "srv"), 0);
}

static void test_scn_parses_process_options(void)
{
	g_autoptr(SimScenario) s = parse_ok("process A priority=-5 start=2ms { exit 3 }\n"
					    "process B start=after(C) priority=0x10 {}\n"
					    "process C { }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_procs, 3);
	const SimScnProc *a = &s->procs[0], *b = &s->procs[1], *c = &s->procs[2];
	CU_ASSERT_STRING_EQUAL(a->name, "A");
	CU_ASSERT_EQUAL(a->loc.line, 1);
	CU_ASSERT_EQUAL(a->loc.col, 9);
	CU_ASSERT_EQUAL(a->priority, -5);
	CU_ASSERT_EQUAL(a->start, SIM_START_AT);
	CU_ASSERT_EQUAL(a->start_time, 2 * SIM_MS);
	CU_ASSERT_EQUAL(a->start_after, -1);
	CU_ASSERT_EQUAL(a->replica, 0);
	CU_ASSERT_EQUAL(b->priority, 16);
	CU_ASSERT_EQUAL(b->start, SIM_START_AFTER);
	CU_ASSERT_EQUAL(b->start_after, 2);
	CU_ASSERT_EQUAL(c->priority, 0);
	CU_ASSERT_EQUAL(c->start, SIM_START_AT);
	CU_ASSERT_EQUAL(c->start_time, 0);
	CU_ASSERT_EQUAL(c->body->block.n_stmts, 0);
	CU_ASSERT_EQUAL(s->n_bodies, 3);
	CU_ASSERT_EQUAL(sim_scn_find_proc(s, "C"), 2);
	CU_ASSERT_EQUAL(sim_scn_find_proc(s, "D"), -1);
	CU_ASSERT_EQUAL(sim_scn_find_mbox(s, "C"), -1);
}

static void test_scn_replicated_processes_share_one_body(void)
{
	g_autoptr(SimScenario) s = parse_ok("mailbox jobs\n"
					    "process boss { send jobs \"go\" }\n"
					    "process worker[3] priority=2 start=after(boss) {\n"
					    "  receive jobs -> m\n"
					    "  print \"$self is number $index\"\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_procs, 4);
	CU_ASSERT_EQUAL(s->n_bodies, 2);
	CU_ASSERT_EQUAL(s->n_stmts, 3);
	for (guint i = 1; i <= 3; i++) {
		const SimScnProc *w = &s->procs[i];
		g_autofree char *name = g_strdup_printf("worker%u", i - 1);
		CU_ASSERT_STRING_EQUAL(w->name, name);
		CU_ASSERT_EQUAL(w->replica, i - 1);
		CU_ASSERT_EQUAL(w->priority, 2);
		CU_ASSERT_EQUAL(w->start, SIM_START_AFTER);
		CU_ASSERT_EQUAL(w->start_after, 0);
		CU_ASSERT_EQUAL(w->loc.line, 3);
		CU_ASSERT_EQUAL(w->loc.col, 9);
		CU_ASSERT_PTR_EQUAL(w->body, s->procs[1].body);
	}
	CU_ASSERT_PTR_EQUAL(s->bodies[1], s->procs[1].body);
	CU_ASSERT_EQUAL(stmt_of(s, 3, 0)->id, 1);
	CU_ASSERT_EQUAL(sim_scn_find_proc(s, "worker2"), 3);
	CU_ASSERT_EQUAL(sim_scn_find_proc(s, "worker"), -1);
}

static void test_scn_resolves_names_used_before_declaration(void)
{
	g_autoptr(SimScenario) s = parse_ok("expect P2 received [\"x\" from P1]\n"
					    "process P1 { send box \"x\" send P2 \"y\" }\n"
					    "mailbox box owner=P2\n"
					    "process P2 { receive box receive P1 }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->mboxes[0].owner, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ep.kind, SIM_EP_MBOX);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ep.index, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.index, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 1)->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 1)->ep.index, 0);
	CU_ASSERT_EQUAL(s->expects[0].proc, 1);
	CU_ASSERT_EQUAL(s->expects[0].msgs[0].from, 0);
}

/* ---- Statements ---- */

static void test_scn_parses_send_with_defaults_and_options(void)
{
	g_autoptr(SimScenario) s = parse_ok("mailbox A\n"
					    "mailbox R deliver=addressed\n"
					    "process P {\n"
					    "  send A \"plain\"\n"
					    "  send A \"all\" nowait prio=3 type=7\n"
					    "  send R \"to Q\" to=Q\n"
					    "  send Q \"direct\"\n"
					    "}\n"
					    "process Q { receive any -> m send $m \"reply\" }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *plain = stmt_of(s, 0, 0), *all = stmt_of(s, 0, 1);
	const SimStmt *to = stmt_of(s, 0, 2), *direct = stmt_of(s, 0, 3);
	const SimStmt *reply = stmt_of(s, 1, 1);
	CU_ASSERT_EQUAL(plain->kind, SIM_STMT_SEND);
	CU_ASSERT_EQUAL(plain->loc.line, 4);
	CU_ASSERT_EQUAL(plain->loc.col, 3);
	CU_ASSERT_EQUAL(plain->ep.kind, SIM_EP_MBOX);
	CU_ASSERT_EQUAL(plain->ep.index, 0);
	CU_ASSERT_EQUAL(plain->ep.loc.line, 4);
	CU_ASSERT_EQUAL(plain->ep.loc.col, 8);
	CU_ASSERT_STRING_EQUAL(plain->text.literal, "plain");
	CU_ASSERT_EQUAL(plain->text.n_parts, 0);
	CU_ASSERT_EQUAL(plain->type, 1);
	CU_ASSERT_EQUAL(plain->prio, 0);
	CU_ASSERT_EQUAL(plain->to, -1);
	CU_ASSERT_FALSE(plain->nowait);
	CU_ASSERT_PTR_NULL(plain->label);
	CU_ASSERT_EQUAL(all->type, 7);
	CU_ASSERT_EQUAL(all->prio, 3);
	CU_ASSERT_TRUE(all->nowait);
	CU_ASSERT_EQUAL(to->ep.index, 1);
	CU_ASSERT_EQUAL(to->to, 1);
	CU_ASSERT_EQUAL(direct->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(direct->ep.index, 1);
	CU_ASSERT_EQUAL(reply->ep.kind, SIM_EP_VAR);
	CU_ASSERT_EQUAL(reply->ep.index, 0);
	CU_ASSERT_EQUAL(reply->ep.loc.col, 35);
}

static void test_scn_parses_receive_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok("mailbox A\n"
					    "process P {\n"
					    "  receive A\n"
					    "  receive any -> m nowait\n"
					    "  receive Q->n\n"
					    "  receive A nowait\n"
					    "}\n"
					    "process Q { send P \"x\" }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *a = stmt_of(s, 0, 0), *any = stmt_of(s, 0, 1);
	const SimStmt *q = stmt_of(s, 0, 2), *nw = stmt_of(s, 0, 3);
	CU_ASSERT_EQUAL(a->kind, SIM_STMT_RECEIVE);
	CU_ASSERT_EQUAL(a->ep.kind, SIM_EP_MBOX);
	CU_ASSERT_EQUAL(a->var, -1);
	CU_ASSERT_FALSE(a->nowait);
	CU_ASSERT_EQUAL(any->ep.kind, SIM_EP_ANY);
	CU_ASSERT_EQUAL(any->ep.index, -1);
	CU_ASSERT_EQUAL(any->var, 0);
	CU_ASSERT_TRUE(any->nowait);
	CU_ASSERT_EQUAL(q->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(q->ep.index, 1);
	CU_ASSERT_EQUAL(q->var, 1);
	CU_ASSERT_TRUE(nw->nowait);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 2);
	CU_ASSERT_STRING_EQUAL(body->vars[0].name, "m");
	CU_ASSERT_FALSE(body->vars[0].is_int);
	CU_ASSERT_STRING_EQUAL(body->vars[1].name, "n");
}

static void test_scn_parses_compute_sleep_print_exit(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  compute 5ms sleep 10us compute 3ns sleep 2s\n"
					    "  print \"hello\"\n"
					    "  exit\n"
					    "  exit 255\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->kind, SIM_STMT_COMPUTE);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->duration, 5 * SIM_MS);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->kind, SIM_STMT_SLEEP);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->duration, 10 * SIM_US);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->duration, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->duration, 2 * SIM_S);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->loc.col, 38);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->kind, SIM_STMT_PRINT);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 4)->text.literal, "hello");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->kind, SIM_STMT_EXIT);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->count, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 6)->count, 255);
	CU_ASSERT_EQUAL(s->n_stmts, 7);
}

static void test_scn_parses_repeat_loop_and_break(void)
{
	g_autoptr(SimScenario) s = parse_ok("mailbox A\n"
					    "process P {\n"
					    "  repeat 3 as i {\n"
					    "    loop { receive A nowait break if ENOMSG }\n"
					    "    break\n"
					    "  }\n"
					    "  repeat 0 { loop { break if ok } }\n"
					    "  print \"done\"\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->block.n_stmts, 3);
	const SimStmt *rep = &body->block.stmts[0];
	CU_ASSERT_EQUAL(rep->kind, SIM_STMT_REPEAT);
	CU_ASSERT_EQUAL(rep->count, 3);
	CU_ASSERT_EQUAL(rep->var, 0);
	CU_ASSERT_EQUAL_FATAL(rep->body.n_stmts, 2);
	const SimStmt *loop = &rep->body.stmts[0];
	CU_ASSERT_EQUAL(loop->kind, SIM_STMT_LOOP);
	CU_ASSERT_EQUAL_FATAL(loop->body.n_stmts, 2);
	const SimStmt *brk = &loop->body.stmts[1];
	CU_ASSERT_EQUAL(brk->kind, SIM_STMT_BREAK);
	CU_ASSERT_FALSE(brk->uncond);
	CU_ASSERT_EQUAL(brk->break_err, ENOMSG);
	CU_ASSERT_TRUE(rep->body.stmts[1].uncond);
	const SimStmt *zero = &body->block.stmts[1];
	CU_ASSERT_EQUAL(zero->count, 0);
	CU_ASSERT_EQUAL(zero->var, -1);
	const SimStmt *ok = &zero->body.stmts[0].body.stmts[0];
	CU_ASSERT_FALSE(ok->uncond);
	CU_ASSERT_EQUAL(ok->break_err, 0);
	CU_ASSERT_EQUAL(body->max_depth, 2);
	CU_ASSERT_EQUAL(body->n_vars, 1);
	CU_ASSERT_TRUE(body->vars[0].is_int);
}

static void test_scn_numbers_statements_densely_in_file_order(void)
{
	g_autoptr(SimScenario) s = parse_ok("process A { compute 1ms repeat 2 { compute 1ms loop { "
					    "break } } print \"a\" }\n"
					    "process B { exit }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->n_stmts, 7);
	const SimBlock *a = &s->procs[0].body->block;
	CU_ASSERT_EQUAL(a->stmts[0].id, 0);
	CU_ASSERT_EQUAL(a->stmts[1].id, 1);
	CU_ASSERT_EQUAL(a->stmts[1].body.stmts[0].id, 2);
	CU_ASSERT_EQUAL(a->stmts[1].body.stmts[1].id, 3);
	CU_ASSERT_EQUAL(a->stmts[1].body.stmts[1].body.stmts[0].id, 4);
	CU_ASSERT_EQUAL(a->stmts[2].id, 5);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 0)->id, 6);
	CU_ASSERT_EQUAL(s->procs[0].body->max_depth, 2);
	CU_ASSERT_EQUAL(s->procs[1].body->max_depth, 0);
}

static void test_scn_variables_reuse_slots_by_name(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  print \"early $m\"\n"
					    "  receive any -> m\n"
					    "  repeat 2 as i { receive any -> m }\n"
					    "  repeat 3 as i { receive any -> k }\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimScnBody *b = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(b->n_vars, 3);
	CU_ASSERT_STRING_EQUAL(b->vars[0].name, "m");
	CU_ASSERT_FALSE(b->vars[0].is_int);
	CU_ASSERT_STRING_EQUAL(b->vars[1].name, "i");
	CU_ASSERT_TRUE(b->vars[1].is_int);
	CU_ASSERT_STRING_EQUAL(b->vars[2].name, "k");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->var, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->var, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->body.stmts[0].var, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->var, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->body.stmts[0].var, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->text.parts[1].var, 0);
}

static void test_scn_splits_texts_into_parts(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process P {\n"
			 "  receive any -> m\n"
			 "  repeat 2 as i {\n"
			 "    print \"$self#$index: ${m} from $m.from, i=${i}$$ $i.txt\"\n"
			 "    print \"${m.from}$i\"\n"
			 "    print \"costs $$5 and 100%\"\n"
			 "    print \"\"\n"
			 "  }\n"
			 "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *body = &stmt_of(s, 0, 1)->body;
	const SimText *t = &body->stmts[0].text;
	static const struct {
		SimTextPartKind kind;
		const char *lit;
		int var;
	} want[] = {
		{ SIM_TEXT_SELF, NULL, -1 },	{ SIM_TEXT_LIT, "#", -1 },
		{ SIM_TEXT_INDEX, NULL, -1 },	{ SIM_TEXT_LIT, ": ", -1 },
		{ SIM_TEXT_VAR, NULL, 0 },	{ SIM_TEXT_LIT, " from ", -1 },
		{ SIM_TEXT_VAR_FROM, NULL, 0 }, { SIM_TEXT_LIT, ", i=", -1 },
		{ SIM_TEXT_VAR, NULL, 1 },	{ SIM_TEXT_LIT, "$ ", -1 },
		{ SIM_TEXT_VAR, NULL, 1 },	{ SIM_TEXT_LIT, ".txt", -1 },
	};
	CU_ASSERT_PTR_NULL(t->literal);
	CU_ASSERT_EQUAL_FATAL(t->n_parts, G_N_ELEMENTS(want));
	for (guint i = 0; i < t->n_parts; i++) {
		CU_ASSERT_EQUAL(t->parts[i].kind, want[i].kind);
		if (want[i].lit) {
			CU_ASSERT_STRING_EQUAL(t->parts[i].lit, want[i].lit);
		} else {
			CU_ASSERT_PTR_NULL(t->parts[i].lit);
		}
		if (want[i].kind == SIM_TEXT_VAR || want[i].kind == SIM_TEXT_VAR_FROM)
			CU_ASSERT_EQUAL(t->parts[i].var, want[i].var);
	}
	const SimText *two = &body->stmts[1].text;
	CU_ASSERT_EQUAL_FATAL(two->n_parts, 2);
	CU_ASSERT_EQUAL(two->parts[0].kind, SIM_TEXT_VAR_FROM);
	CU_ASSERT_EQUAL(two->parts[1].kind, SIM_TEXT_VAR);
	CU_ASSERT_EQUAL(two->parts[1].var, 1);
	CU_ASSERT_STRING_EQUAL(body->stmts[2].text.literal, "costs $5 and 100%");
	CU_ASSERT_EQUAL(body->stmts[2].text.n_parts, 0);
	CU_ASSERT_STRING_EQUAL(body->stmts[3].text.literal, "");
}

static void test_scn_keeps_unicode_texts_and_counts_columns_in_characters(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process P {\n"
			 "\tprint \"你好，世界\" compute 1ms # 注释 \"not a string\n"
			 "\tprint \"收到 $m\" receive any -> m\n"
			 "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 0)->text.literal, "你好，世界");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->loc.col, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->loc.line, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->loc.col, 16);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 2)->text.parts[0].lit, "收到 ");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->loc.line, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->loc.col, 16);
}

static void test_scn_is_free_form_and_skips_comments(void)
{
	g_autoptr(SimScenario) s = parse_ok("# a scenario on one line\n"
					    "mailbox A process P{send A\"x\"receive A}# end");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->n_stmts, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->loc.line, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->loc.col, 30);
}

static void test_scn_records_labels_on_statements(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("mailbox A capacity=1\n"
			 "process P {\n"
			 "  @first send A \"1\"\n"
			 "  loop { @ full send A \"2\" nowait break if EAGAIN }\n"
			 "}\n"
			 "expect @full errno=EAGAIN\n"
			 "expect @first ok\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *first = stmt_of(s, 0, 0);
	const SimStmt *full = &stmt_of(s, 0, 1)->body.stmts[0];
	CU_ASSERT_STRING_EQUAL(first->label, "first");
	CU_ASSERT_EQUAL(first->label_loc.line, 3);
	CU_ASSERT_EQUAL(first->label_loc.col, 3);
	CU_ASSERT_EQUAL(first->loc.col, 10);
	CU_ASSERT_STRING_EQUAL(full->label, "full");
	CU_ASSERT_EQUAL(full->label_loc.col, 10);
	CU_ASSERT_PTR_EQUAL(s->expects[0].stmt, full);
	CU_ASSERT_PTR_EQUAL(s->expects[1].stmt, first);
}

/* ---- Expectations ---- */

static void test_scn_parses_every_expectation_form(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("mailbox A owner=P\n"
			 "process P { @w receive A @s sleep 1ms }\n"
			 "process Q { send A \"hi\" }\n"
			 "expect P received [2 \"hi\" from Q, \"bye\", 0x3 \"x\"]\n"
			 "expect Q received []\n"
			 "expect @w ok\n"
			 "expect @s blocked\n"
			 "expect @w errno=EIDRM\n"
			 "expect @w errno=ok\n"
			 "expect A qnum=0 sent=1 received=1 max_qnum=1 destroyed=yes\n"
			 "expect A destroyed=no\n"
			 "expect P state=exited\n"
			 "expect Q state=sleeping\n"
			 "expect deadlock\n"
			 "expect no deadlock\n"
			 "expect time == 1ms expect time < 2ms expect time <= 3ms\n"
			 "expect time > 4ms expect time >= 5ms\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_expects, 17);
	const SimScnExpect *e = s->expects;

	CU_ASSERT_EQUAL(e[0].kind, SIM_EXPECT_RECEIVED);
	CU_ASSERT_EQUAL(e[0].loc.line, 4);
	CU_ASSERT_EQUAL(e[0].loc.col, 1);
	CU_ASSERT_EQUAL(e[0].proc, 0);
	CU_ASSERT_EQUAL_FATAL(e[0].n_msgs, 3);
	CU_ASSERT_STRING_EQUAL(e[0].msgs[0].text, "hi");
	CU_ASSERT_EQUAL(e[0].msgs[0].type, 2);
	CU_ASSERT_EQUAL(e[0].msgs[0].from, 1);
	CU_ASSERT_STRING_EQUAL(e[0].msgs[1].text, "bye");
	CU_ASSERT_EQUAL(e[0].msgs[1].type, -1);
	CU_ASSERT_EQUAL(e[0].msgs[1].from, -1);
	CU_ASSERT_EQUAL(e[0].msgs[2].type, 3);
	CU_ASSERT_EQUAL(e[1].proc, 1);
	CU_ASSERT_EQUAL(e[1].n_msgs, 0);

	CU_ASSERT_EQUAL(e[2].kind, SIM_EXPECT_LABEL);
	CU_ASSERT_EQUAL(e[2].result, SIM_LABEL_OK);
	CU_ASSERT_PTR_EQUAL(e[2].stmt, stmt_of(s, 0, 0));
	CU_ASSERT_EQUAL(e[3].result, SIM_LABEL_BLOCKED);
	CU_ASSERT_PTR_EQUAL(e[3].stmt, stmt_of(s, 0, 1));
	CU_ASSERT_EQUAL(e[4].result, SIM_LABEL_ERRNO);
	CU_ASSERT_EQUAL(e[4].err, EIDRM);
	CU_ASSERT_EQUAL(e[5].result, SIM_LABEL_OK);

	CU_ASSERT_EQUAL(e[6].kind, SIM_EXPECT_STATS);
	CU_ASSERT_EQUAL(e[6].mbox, 0);
	CU_ASSERT_EQUAL_FATAL(e[6].n_stats, 5);
	static const SimStatKey keys[] = { SIM_STAT_QNUM, SIM_STAT_SENT, SIM_STAT_RECEIVED,
					   SIM_STAT_MAX_QNUM, SIM_STAT_DESTROYED };
	static const gint64 values[] = { 0, 1, 1, 1, 1 };
	for (guint i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(e[6].stats[i].key, keys[i]);
		CU_ASSERT_EQUAL(e[6].stats[i].value, values[i]);
	}
	CU_ASSERT_EQUAL(e[7].n_stats, 1);
	CU_ASSERT_EQUAL(e[7].stats[0].value, 0);

	CU_ASSERT_EQUAL(e[8].kind, SIM_EXPECT_STATE);
	CU_ASSERT_EQUAL(e[8].proc, 0);
	CU_ASSERT_EQUAL(e[8].state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(e[9].state, SIM_STATE_SLEEPING);
	CU_ASSERT_EQUAL(e[10].kind, SIM_EXPECT_DEADLOCK);
	CU_ASSERT_EQUAL(e[11].kind, SIM_EXPECT_NO_DEADLOCK);

	static const SimCmp cmps[] = { SIM_CMP_EQ, SIM_CMP_LT, SIM_CMP_LE, SIM_CMP_GT, SIM_CMP_GE };
	for (guint i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(e[12 + i].kind, SIM_EXPECT_TIME);
		CU_ASSERT_EQUAL(e[12 + i].cmp, cmps[i]);
		CU_ASSERT_EQUAL(e[12 + i].time, (SimTime)(i + 1) * SIM_MS);
	}
}

static void test_scn_parses_every_task_state(void)
{
	for (guint i = 0; i <= SIM_STATE_EXITED; i++) {
		const char *name = sim_scn_state_name((SimTaskStateName)i);
		g_autofree char *text = g_strdup_printf("process P {} expect P state=%s", name);
		g_autoptr(SimScenario) s = parse_ok(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->expects[0].state, (SimTaskStateName)i);
	}
	CU_ASSERT_STRING_EQUAL(sim_scn_state_name(SIM_STATE_NEW), "new");
	CU_ASSERT_STRING_EQUAL(sim_scn_state_name(SIM_STATE_BLOCKED), "blocked");
}

static void test_scn_parses_the_textbook_example(void)
{
	/* P1 sends to mailbox A; P2 and P3 both receive from A: who gets the message? */
	g_autoptr(SimScenario) s = parse_ok("# P1 sends one message; P2 and P3 both wait on A.\n"
					    "mailbox A deliver=round-robin\n"
					    "process P1 start=1ms { send A \"hello\" }\n"
					    "process P2 { receive A -> m print \"P2 got $m\" }\n"
					    "process P3 { receive A -> m print \"P3 got $m\" }\n"
					    "expect P2 received [\"hello\" from P1]\n"
					    "expect P3 state=blocked\n"
					    "expect deadlock\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->n_procs, 3);
	CU_ASSERT_EQUAL(s->n_stmts, 5);
	CU_ASSERT_EQUAL(s->mboxes[0].deliver, SIM_DELIVER_ROUND_ROBIN);
	CU_ASSERT_EQUAL(s->procs[0].start_time, SIM_MS);
}

/* ---- Errors ---- */

static void test_scn_reports_syntax_errors_at_the_token_start(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n    sned A \"x\"\n}",
		  "x.scn:2:5: error: unknown statement 'sned' (expected send, receive, compute, "
		  "sleep, print, exit, repeat, loop or break)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { Send A \"x\" }",
		  "x.scn:1:13: error: unknown statement 'Send' (expected send, receive, compute, "
		  "sleep, print, exit, repeat, loop or break)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send { } }",
		  "x.scn:1:18: error: expected a mailbox, port or process name after 'send', found "
		  "'{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send \"x\" }",
		  "x.scn:1:18: error: expected a mailbox, port or process name after 'send', found "
		  "'\"x\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send 信箱 \"x\" }",
		  "x.scn:1:18: error: expected a mailbox, port or process name after 'send', found "
		  "'信'" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "process P { send \"0123456789012345678901234567890123456789xyz\" }",
		  "x.scn:1:18: error: expected a mailbox, port or process name after 'send', found "
		  "'\"012345678901234567890123456789012345...'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive = }",
		  "x.scn:1:21: error: expected a mailbox, port or process name or 'any' after "
		  "'receive', found '='" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbx A",
		  "x.scn:1:1: error: unknown declaration 'mailbx' (expected scheduler, cost, "
		  "direct, mailbox, port, process or expect)" },
		{ SIM_SCN_ERROR_SYNTAX, "send A \"x\"",
		  "x.scn:1:1: error: 'send' is a statement: statements go inside 'process NAME { "
		  "... }'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\n}",
		  "x.scn:2:1: error: expected a declaration (scheduler, cost, direct, mailbox, "
		  "port, process or expect), found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"abc",
		  "x.scn:1:19: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n  print \"abc\n}\n",
		  "x.scn:2:9: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capacity=\"3",
		  "x.scn:1:20: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { sned }\nprocess Q { print \"abc",
		  "x.scn:1:13: error: unknown statement 'sned' (expected send, receive, compute, "
		  "sleep, print, exit, repeat, loop or break)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"\\377\" }",
		  "x.scn:1:19: error: a \\ escape in this string makes it invalid UTF-8" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n  loop {\n    compute 1ms\n  }\n",
		  "x.scn:1:11: error: unterminated block: '{' at 1:11 has no matching '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n  loop {\n    compute 1ms\n",
		  "x.scn:2:8: error: unterminated block: '{' at 2:8 has no matching '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { compute 1ms\nprocess Q { }",
		  "x.scn:2:1: error: 'process' starts a declaration, not a statement: is the '}' "
		  "for the '{' at 1:11 missing?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send A",
		  "x.scn:1:19: error: expected a text in double quotes after 'send A', found end "
		  "of file" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A process P { send A \"x\" type=",
		  "x.scn:1:39: error: expected a number after 'type=', found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox",
		  "x.scn:1:8: error: expected a mailbox name after 'mailbox', found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "port 5",
		  "x.scn:1:6: error: expected a port name after 'port', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P compute 1ms",
		  "x.scn:1:11: error: expected '{' to start the body of process 'P', found "
		  "'compute'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { repeat 2 compute 1ms }",
		  "x.scn:1:22: error: expected '{' to start the body of 'repeat', found "
		  "'compute'" },
		{ SIM_SCN_ERROR_SYNTAX, "process w[2 {}",
		  "x.scn:1:13: error: expected ']' after the replica count, found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process Q {}\nprocess P start=after Q {}",
		  "x.scn:2:23: error: expected '(' after 'start=after', found 'Q'" },
		{ SIM_SCN_ERROR_SYNTAX, "process Q {}\nprocess P start=after(Q {}",
		  "x.scn:2:25: error: expected ')' after 'start=after(Q', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive any -> 5 }",
		  "x.scn:1:28: error: expected a variable name after '->', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { loop { @x } }",
		  "x.scn:1:23: error: expected a statement after the label '@x', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @ 5 }",
		  "x.scn:1:15: error: expected a label name after '@', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"a\" \"b\" }",
		  "x.scn:1:23: error: expected a statement or '}', found '\"b\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"你好\" sned }",
		  "x.scn:1:24: error: unknown statement 'sned' (expected send, receive, compute, "
		  "sleep, print, exit, repeat, loop or break)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\n\xff",
		  "x.scn:2:1: error: invalid UTF-8 byte 0xff: a scenario must be UTF-8 text" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_rejects_nul_bytes_with_a_location(void)
{
	static const char text[] = "process P {\n  exit\0 }";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, sizeof(text) - 1, &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_SYNTAX);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "x.scn:2:7: error: NUL byte: a scenario must be UTF-8 text");
}

static void test_scn_reports_option_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capcity=3",
		  "x.scn:1:11: error: unknown option 'capcity' for mailbox (expected capacity, "
		  "owner, order, waiters or deliver)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {} port s owner=P deliver=pair",
		  "x.scn:1:29: error: unknown option 'deliver' for port (expected capacity, owner, "
		  "order or waiters)" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capacity=1 capacity=2",
		  "x.scn:1:22: error: repeated option 'capacity': already given at 1:11" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send P2 \"x\" nowait nowait } process P2 {}",
		  "x.scn:1:32: error: repeated option 'nowait': already given at 1:25" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capacity 3",
		  "x.scn:1:20: error: expected '=' after 'capacity', found '3'" },
		{ SIM_SCN_ERROR_SYNTAX, "process Q {}\nprocess P { send Q \"x\" nowait=1 }",
		  "x.scn:2:30: error: unexpected '=' after 'nowait': it takes no value" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive any type=2 }",
		  "x.scn:1:25: error: unknown option 'type' for receive (expected nowait)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P priorty=1 {}",
		  "x.scn:1:11: error: unknown option 'priorty' for process (expected priority or "
		  "start)" },
		{ SIM_SCN_ERROR_SYNTAX, "cost syscal=1us",
		  "x.scn:1:6: error: unknown option 'syscal' for cost (expected syscall, switch or "
		  "byte)" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A deliver=first-waitr",
		  "x.scn:1:19: error: bad deliver 'first-waitr': expected first-waiter, "
		  "round-robin, random, pair, exclusive or addressed" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A deliver=first - waiter",
		  "x.scn:1:19: error: bad deliver 'first': expected first-waiter, round-robin, "
		  "random, pair, exclusive or addressed" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A order=lifo",
		  "x.scn:1:17: error: bad order 'lifo': expected fifo or priority" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A waiters={",
		  "x.scn:1:19: error: expected fifo or priority after 'waiters=', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "scheduler lottery",
		  "x.scn:1:11: error: bad scheduler 'lottery': expected fifo, rr, priority or "
		  "random" },
		{ SIM_SCN_ERROR_SYNTAX, "scheduler rr\nprocess P {}",
		  "x.scn:1:11: error: scheduler rr needs quantum=TIME, for example quantum=10us" },
		{ SIM_SCN_ERROR_SYNTAX, "scheduler fifo quantum=1ms",
		  "x.scn:1:16: error: unknown option 'quantum' for scheduler fifo (expected "
		  "seed)" },
		{ SIM_SCN_ERROR_SYNTAX, "port srv",
		  "x.scn:1:6: error: port 'srv' needs owner=PROC: only its owner receives from a "
		  "port" },
		{ SIM_SCN_ERROR_SYNTAX, "direct 5",
		  "x.scn:1:8: error: expected capacity=0, capacity=N or capacity=unbounded after "
		  "'direct', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capacity=",
		  "x.scn:1:20: error: expected a number or 'unbounded' after 'capacity=', found "
		  "end "
		  "of file" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_expectation_syntax_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "expect",
		  "x.scn:1:7: error: expected a process, mailbox or port name, @label, deadlock, "
		  "no "
		  "deadlock or time after 'expect', found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "expect no time",
		  "x.scn:1:11: error: expected 'deadlock' after 'expect no', found 'time'" },
		{ SIM_SCN_ERROR_SYNTAX, "expect time = 5ms",
		  "x.scn:1:13: error: expected a comparison (==, <, <=, > or >=) after 'expect "
		  "time', found '='" },
		{ SIM_SCN_ERROR_SYNTAX, "expect time < = 5ms",
		  "x.scn:1:15: error: expected a time like 5ms after 'expect time <', found '='" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received [\"a\" \"b\"]",
		  "x.scn:2:24: error: expected ',' or ']' in the list after 'received', found "
		  "'\"b\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received [\"a\",]",
		  "x.scn:2:24: error: expected a message text in double quotes in the list after "
		  "'received', found ']'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received \"a\"",
		  "x.scn:2:19: error: expected '[' after 'received', found '\"a\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received [\"a\" from 3]",
		  "x.scn:2:29: error: expected a process name after 'from', found '3'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x done",
		  "x.scn:2:11: error: expected ok, blocked or errno=NAME after 'expect @x', found "
		  "'done'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P finished",
		  "x.scn:2:10: error: expected received [...], state=STATE or a statistic like "
		  "qnum=N after 'expect P', found 'finished'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P state=done",
		  "x.scn:2:16: error: bad state 'done': expected new, ready, running, blocked, "
		  "sleeping or exited" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A\nexpect A qnm=1",
		  "x.scn:2:10: error: unknown option 'qnm' for mailbox statistics (expected qnum, "
		  "sent, received, max_qnum or destroyed)" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A\nexpect A destroyed=maybe",
		  "x.scn:2:20: error: bad destroyed 'maybe': expected no or yes" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_text_errors_at_the_dollar(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"cost $5\" }",
		  "x.scn:1:25: error: expected a variable name, {name} or $ after '$' in text, "
		  "found "
		  "'5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"end $\" }",
		  "x.scn:1:24: error: expected a variable name, {name} or $ after '$' in text, "
		  "found "
		  "end of text" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"${}\" }",
		  "x.scn:1:20: error: expected a variable name after '${' in text, found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive any -> m print \"${m\" }",
		  "x.scn:1:37: error: expected '}' after '${m' in text, found end of text" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive any -> m print \"${m.fromx}\" }",
		  "x.scn:1:37: error: expected '}' after '${m' in text, found '.'" },
		{ SIM_SCN_ERROR_NAME, "process P {\n\tprint \"你好 $x\"\n}",
		  "x.scn:2:12: error: unknown variable 'x' in text (variables here: none)" },
		{ SIM_SCN_ERROR_NAME,
		  "process P {\n  repeat 2 as i { receive any -> m }\n  print \"$i $m $x\"\n}",
		  "x.scn:3:16: error: unknown variable 'x' in text (variables here: i, m)" },
		{ SIM_SCN_ERROR_NAME, "process P { print \"$y\" }\nprocess Q { receive any -> y }",
		  "x.scn:1:20: error: unknown variable 'y' in text (variables here: none)" },
		{ SIM_SCN_ERROR_NAME, "process P { print \"$self.from\" }",
		  "x.scn:1:20: error: '$self.from': 'self' is built in and has no sender ('.from' "
		  "needs a message variable)" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { print \"$i.from\" } }",
		  "x.scn:1:36: error: variable 'i' counts a repeat and holds no message: '$i.from' "
		  "needs a variable set by 'receive ... -> i'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_bad_numbers_and_times(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NUMBER, "process P {\n    compute 1ms sleep 5mz\n}",
		  "x.scn:2:23: error: bad time '5mz': expected a number with a unit ns, us, ms or "
		  "s" },
		{ SIM_SCN_ERROR_NUMBER, "process P { sleep 0 }",
		  "x.scn:1:19: error: bad time '0': the unit is missing (expected a number with a "
		  "unit ns, us, ms or s)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { compute 99999999999s }",
		  "x.scn:1:21: error: bad time '99999999999s': too large (at most about 292 "
		  "years)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { compute fast }",
		  "x.scn:1:21: error: bad time 'fast': expected a number with a unit ns, us, ms or "
		  "s" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { compute -5ms }",
		  "x.scn:1:21: error: expected a time like 5ms after 'compute', found '-'" },
		{ SIM_SCN_ERROR_NUMBER, "expect time < 5",
		  "x.scn:1:15: error: bad time '5': the unit is missing (expected a number with a "
		  "unit ns, us, ms or s)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { repeat 12ab { } }",
		  "x.scn:1:20: error: bad repeat count '12ab': expected a whole number (decimal, "
		  "0x "
		  "hex or 0 octal)" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A capacity=08",
		  "x.scn:1:20: error: bad capacity '08': expected a whole number (decimal, 0x hex "
		  "or 0 octal)" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A capacity=0x",
		  "x.scn:1:20: error: bad capacity '0x': expected a whole number (decimal, 0x hex "
		  "or 0 octal)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { repeat 99999999999999999999 { } }",
		  "x.scn:1:20: error: bad repeat count '99999999999999999999': too large (at most "
		  "9223372036854775807)" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A\nprocess P { send A \"x\" prio=-1 }",
		  "x.scn:2:29: error: bad prio '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A\nprocess P { send A \"x\" type=0 }",
		  "x.scn:2:29: error: bad type '0': expected a whole number of 1 or more" },
		{ SIM_SCN_ERROR_NUMBER, "process P {}\nexpect P received [0 \"x\"]",
		  "x.scn:2:20: error: bad type '0': expected a whole number of 1 or more" },
		{ SIM_SCN_ERROR_NUMBER, "process P { exit 256 }",
		  "x.scn:1:18: error: bad exit status '256': expected a whole number from 0 to "
		  "255" },
		{ SIM_SCN_ERROR_NUMBER, "process P { exit -1 }",
		  "x.scn:1:18: error: bad exit status '-1': expected a whole number from 0 to "
		  "255" },
		{ SIM_SCN_ERROR_NUMBER, "process w[0] {}",
		  "x.scn:1:11: error: bad replica count '0': expected a whole number from 1 to "
		  "1000" },
		{ SIM_SCN_ERROR_NUMBER, "scheduler rr quantum=0ns",
		  "x.scn:1:22: error: bad quantum '0ns': expected a time greater than 0" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A capacity=-1",
		  "x.scn:1:20: error: bad capacity '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A capacity=lots",
		  "x.scn:1:20: error: bad capacity 'lots': expected 0, a number or unbounded" },
		{ SIM_SCN_ERROR_NUMBER, "process P priority=-99999999999999999999 {}",
		  "x.scn:1:20: error: bad priority '-99999999999999999999': too small (at least "
		  "-9223372036854775808)" },
		{ SIM_SCN_ERROR_NUMBER, "scheduler random seed=-1",
		  "x.scn:1:23: error: bad seed '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_NUMBER, "mailbox A\nexpect A qnum=-1",
		  "x.scn:2:15: error: bad qnum '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { repeat { } }",
		  "x.scn:1:20: error: expected a number after 'repeat', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P priority=- 5 {}",
		  "x.scn:1:20: error: expected a number after 'priority=', found '-'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_unknown_and_duplicate_names(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NAME, "process P { send P9 \"x\" }",
		  "x.scn:1:18: error: unknown name 'P9': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nprocess P {\n  receive A\n  receive B\n}",
		  "x.scn:4:11: error: unknown name 'B': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "expect P9 state=exited",
		  "x.scn:1:8: error: unknown name 'P9': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "process P start=after(Z) {}",
		  "x.scn:1:23: error: unknown name 'Z': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nprocess A {}",
		  "x.scn:2:9: error: duplicate name 'A': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "process P {}\nport P owner=P",
		  "x.scn:2:6: error: duplicate name 'P': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "process worker[2] {}\nprocess worker1 {}",
		  "x.scn:2:9: error: duplicate name 'worker1': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "process worker1 {}\nprocess worker[2] {}",
		  "x.scn:2:9: error: duplicate name 'worker1': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "process P {\n  @a compute 1ms\n  @a compute 2ms\n}",
		  "x.scn:3:3: error: duplicate label 'a': already declared at 2:3" },
		{ SIM_SCN_ERROR_NAME, "process P { @a exit }\nprocess Q { @a exit }",
		  "x.scn:2:13: error: duplicate label 'a': already declared at 1:13" },
		{ SIM_SCN_ERROR_NAME, "process P { @a exit }\nexpect @b ok",
		  "x.scn:2:8: error: unknown label 'b': no statement has that label" },
		{ SIM_SCN_ERROR_NAME, "mailbox any",
		  "x.scn:1:9: error: 'any' is a reserved word: it cannot name a mailbox" },
		{ SIM_SCN_ERROR_NAME, "process time {}",
		  "x.scn:1:9: error: 'time' is a reserved word: it cannot name a process" },
		{ SIM_SCN_ERROR_NAME, "process P { loop { break if EFOO } }",
		  "x.scn:1:29: error: unknown errno name 'EFOO' (expected ok or a name like "
		  "EAGAIN, ENOMSG, EIDRM, EPERM or EBUSY)" },
		{ SIM_SCN_ERROR_NAME, "process P { @a exit }\nexpect @a errno=EWHAT",
		  "x.scn:2:17: error: unknown errno name 'EWHAT' (expected ok or a name like "
		  "EAGAIN, ENOMSG, EIDRM, EPERM or EBUSY)" },
		{ SIM_SCN_ERROR_NAME, "mailbox B\nmailbox A owner=B",
		  "x.scn:2:17: error: expected a process name after 'owner=', found mailbox 'B'" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nexpect A received []",
		  "x.scn:2:8: error: expected a process name before 'received', found mailbox "
		  "'A'" },
		{ SIM_SCN_ERROR_NAME, "port s owner=P\nprocess P {}\nexpect s state=new",
		  "x.scn:3:8: error: expected a process name before 'state=', found port 's'" },
		{ SIM_SCN_ERROR_NAME, "process P {}\nexpect P qnum=1",
		  "x.scn:2:8: error: expected a mailbox or port name before mailbox statistics, "
		  "found process 'P'" },
		{ SIM_SCN_ERROR_NAME,
		  "port s owner=P process P {}\nexpect P received [\"x\" from s]",
		  "x.scn:2:29: error: expected a process name after 'from', found port 's'" },
		{ SIM_SCN_ERROR_NAME,
		  "mailbox A deliver=addressed\nmailbox B\nprocess P { send A "
		  "\"x\" to=B }",
		  "x.scn:3:27: error: expected a process name after 'to=', found mailbox 'B'" },
		{ SIM_SCN_ERROR_NAME, "mailbox M process P start=after(M) {}",
		  "x.scn:1:33: error: expected a process name in 'start=after(...)', found mailbox "
		  "'M'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_variable_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NAME, "process P { send $m \"hi\" }",
		  "x.scn:1:18: error: unknown variable 'm' in 'send $m' (variables here: none)" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { } receive any -> i }",
		  "x.scn:1:46: error: variable 'i' already counts a repeat (set at 1:25): it "
		  "cannot "
		  "also hold a received message" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m repeat 1 as m { } }",
		  "x.scn:1:42: error: variable 'm' already holds a received message (set at 1:28): "
		  "it cannot also count a repeat" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { send $i \"x\" } }",
		  "x.scn:1:34: error: variable 'i' counts a repeat and holds no message: 'send $i' "
		  "needs a variable set by 'receive ... -> i'" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> self }",
		  "x.scn:1:28: error: 'self' is built in: it cannot name a variable" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as index { } }",
		  "x.scn:1:25: error: 'index' is built in: it cannot name a variable" },
		{ SIM_SCN_ERROR_NAME, "process P { send $self \"x\" }",
		  "x.scn:1:18: error: cannot reply to '$self': 'send $v' needs a variable set by "
		  "'receive ... -> v'" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { repeat 3 as i { } } }",
		  "x.scn:1:41: error: variable 'i' already counts the enclosing repeat (at 1:25)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { send $ { } }",
		  "x.scn:1:20: error: expected a variable name after 'send $', found '{'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_misuse(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_MISUSE,
		  "port srv owner=P1\nprocess P1 { receive srv }\nprocess P2 {\n    receive srv\n}",
		  "x.scn:4:5: error: process 'P2' receives on port 'srv' owned by 'P1': only a "
		  "port's owner may receive" },
		{ SIM_SCN_ERROR_MISUSE, "port srv owner=w0\nprocess w[2] { receive srv }",
		  "x.scn:2:16: error: process 'w1' receives on port 'srv' owned by 'w0': only a "
		  "port's owner may receive" },
		{ SIM_SCN_ERROR_MISUSE, "process P1 { send P1 \"x\" }",
		  "x.scn:1:19: error: process 'P1' sends to itself: name another process, a "
		  "mailbox "
		  "or a port" },
		{ SIM_SCN_ERROR_MISUSE, "process P1 { receive P1 }",
		  "x.scn:1:22: error: process 'P1' receives from itself: name another process, a "
		  "mailbox, a port or any" },
		{ SIM_SCN_ERROR_MISUSE, "process w[2] { send w1 \"x\" }",
		  "x.scn:1:21: error: process 'w1' sends to itself: name another process, a "
		  "mailbox "
		  "or a port" },
		{ SIM_SCN_ERROR_MISUSE, "mailbox A\nprocess P { send A \"x\" to=P }",
		  "x.scn:2:27: error: to= needs a mailbox with deliver=addressed, but mailbox 'A' "
		  "has deliver=first-waiter" },
		{ SIM_SCN_ERROR_MISUSE, "process Q {}\nprocess P { send Q \"x\" to=Q }",
		  "x.scn:2:27: error: to= needs a mailbox with deliver=addressed, but 'Q' is a "
		  "process" },
		{ SIM_SCN_ERROR_MISUSE, "process P { receive any -> m send $m \"x\" to=P }",
		  "x.scn:1:45: error: to= needs a mailbox with deliver=addressed, but a reply goes "
		  "to a process" },
		{ SIM_SCN_ERROR_MISUSE, "mailbox A deliver=addressed\nprocess P { send A \"x\" }",
		  "x.scn:2:18: error: mailbox 'A' has deliver=addressed: every send to it needs "
		  "to=PROC" },
		{ SIM_SCN_ERROR_MISUSE, "process P { break }",
		  "x.scn:1:13: error: 'break' outside a repeat or loop: there is nothing to break "
		  "out of" },
		{ SIM_SCN_ERROR_MISUSE, "process P { send any \"x\" }",
		  "x.scn:1:18: error: cannot send to 'any': it is receive-only (expected a "
		  "mailbox, "
		  "port or process name)" },
		{ SIM_SCN_ERROR_MISUSE, "process P start=after(P) {}",
		  "x.scn:1:23: error: process 'P' cannot start after itself" },
		{ SIM_SCN_ERROR_MISUSE, "process w[3] start=after(w2) {}",
		  "x.scn:1:26: error: process 'w2' cannot start after itself" },
		{ SIM_SCN_ERROR_MISUSE, "scheduler fifo\nscheduler rr quantum=1ms",
		  "x.scn:2:1: error: duplicate 'scheduler': already declared at 1:1" },
		{ SIM_SCN_ERROR_MISUSE, "cost syscall=1us\ncost byte=1ns",
		  "x.scn:2:1: error: duplicate 'cost': already declared at 1:1" },
		{ SIM_SCN_ERROR_MISUSE, "direct capacity=0\ndirect capacity=1",
		  "x.scn:2:1: error: duplicate 'direct': already declared at 1:1" },
		{ SIM_SCN_ERROR_MISUSE, "port s owner=system",
		  "x.scn:1:14: error: a port cannot be owned by the system: owner= needs a process "
		  "(only the owner receives from a port)" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_load_reads_files_and_reports_io_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) missing = sim_scn_load("/nonexistent/dir/x.scn", &error);
	CU_ASSERT_PTR_NULL(missing);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->domain, SIM_SCN_ERROR);
	CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_IO);
	CU_ASSERT_STRING_EQUAL(
		error->message,
		"/nonexistent/dir/x.scn: error: cannot read: No such file or directory");

	g_autofree char *path = NULL;
	gint fd = g_file_open_tmp("scn-XXXXXX.scn", &path, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	g_close(fd, NULL);
	const char *text = "process P {\n  sned\n}\n";
	CU_ASSERT_FATAL(g_file_set_contents(path, text, -1, NULL));
	g_autoptr(GError) bad = NULL;
	g_autoptr(SimScenario) none = sim_scn_load(path, &bad);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
	g_autofree char *want =
		g_strdup_printf("%s:2:3: error: unknown statement 'sned' (expected "
				"send, receive, compute, sleep, print, exit, repeat, "
				"loop or break)",
				path);
	CU_ASSERT_STRING_EQUAL(bad->message, want);

	CU_ASSERT_FATAL(g_file_set_contents(path, "process P { exit }", -1, NULL));
	g_autoptr(SimScenario) good = sim_scn_load(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(good);
	CU_ASSERT_STRING_EQUAL(good->file, path);
	CU_ASSERT_EQUAL(good->n_stmts, 1);
	g_unlink(path);
}

CU_TestInfo scn_tests[] = {
	{ "empty scenario has the documented defaults",
	  test_scn_empty_scenario_has_the_documented_defaults },
	{ "parses every scheduler form", test_scn_parses_every_scheduler_form },
	{ "parses cost and direct", test_scn_parses_cost_and_direct },
	{ "parses mailbox with all options", test_scn_parses_mailbox_with_all_options },
	{ "parses every deliver mode", test_scn_parses_every_deliver_mode },
	{ "parses port with owner", test_scn_parses_port_with_owner },
	{ "parses process options", test_scn_parses_process_options },
	{ "replicated processes share one body", test_scn_replicated_processes_share_one_body },
	{ "resolves names used before declaration",
	  test_scn_resolves_names_used_before_declaration },
	{ "parses send with defaults and options", test_scn_parses_send_with_defaults_and_options },
	{ "parses receive forms", test_scn_parses_receive_forms },
	{ "parses compute, sleep, print, exit", test_scn_parses_compute_sleep_print_exit },
	{ "parses repeat, loop and break", test_scn_parses_repeat_loop_and_break },
	{ "numbers statements densely in file order",
	  test_scn_numbers_statements_densely_in_file_order },
	{ "variables reuse slots by name", test_scn_variables_reuse_slots_by_name },
	{ "splits texts into parts", test_scn_splits_texts_into_parts },
	{ "keeps unicode texts and counts columns in characters",
	  test_scn_keeps_unicode_texts_and_counts_columns_in_characters },
	{ "is free-form and skips comments", test_scn_is_free_form_and_skips_comments },
	{ "records labels on statements", test_scn_records_labels_on_statements },
	{ "parses every expectation form", test_scn_parses_every_expectation_form },
	{ "parses every task state", test_scn_parses_every_task_state },
	{ "parses the textbook example", test_scn_parses_the_textbook_example },
	{ "reports syntax errors at the token start",
	  test_scn_reports_syntax_errors_at_the_token_start },
	{ "rejects NUL bytes with a location", test_scn_rejects_nul_bytes_with_a_location },
	{ "reports option errors", test_scn_reports_option_errors },
	{ "reports expectation syntax errors", test_scn_reports_expectation_syntax_errors },
	{ "reports text errors at the dollar", test_scn_reports_text_errors_at_the_dollar },
	{ "reports bad numbers and times", test_scn_reports_bad_numbers_and_times },
	{ "reports unknown and duplicate names", test_scn_reports_unknown_and_duplicate_names },
	{ "reports variable errors", test_scn_reports_variable_errors },
	{ "reports misuse", test_scn_reports_misuse },
	{ "load reads files and reports io errors",
	  test_scn_load_reads_files_and_reports_io_errors },
	CU_TEST_INFO_NULL,
};

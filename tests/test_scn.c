/* test_scn.c — the scenario parser: every form with its defaults, and every error message.
 *
 * Errors are checked as whole strings, "FILE:LINE:COL: error: WHAT", together with their
 * code, from one table per kind of error, so a moved column or a reworded message fails.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "msgsim/calls/call.h"
#include "msgsim/lang/scn.h"
#include "tests.h"

#include "calls/call_int.h"

static SimScenario *parse_ok(const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (error)
		fprintf(stderr, "\n  unexpected error: %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	return scn;
}

/* Declarations alone make no scenario: parses them with one empty process after them, which
 * moves no line or column of theirs. */
static SimScenario *parse_decls(const char *text)
{
	g_autofree char *with_proc = g_strconcat(text, "\nprocess Pdecl { }\n", NULL);
	return parse_ok(with_proc);
}

static const SimStmt *stmt_of(const SimScenario *scn, guint proc, guint i)
{
	return &scn->procs[proc].body->block.stmts[i];
}

/* What an "unknown statement" error lists: every statement word, in SimStmtKind order. */
#define STMT_WORDS                                                                          \
	"send, receive, compute, sleep, print, exit, repeat, loop, break, msgget, msgsnd, " \
	"msgrcv, msgctl, kill, on, ipcs, mq_open, mq_send, mq_receive, mq_getattr, "        \
	"mq_setattr, mq_notify, mq_close, mq_unlink, pipe, close, read, write, fcntl, "     \
	"ioctl, fork, wait, mkfifo, open, unlink, dup, dup2, dup3, lseek, pread, pwrite, "   \
	"fstat, stat, ftruncate, truncate, setuid, setgid, semget, semop, semctl, shmget, "  \
	"shmat, shmdt, shmctl, shmwrite, shmread, store, load, ipcrm, if, assert, socketpair, " \
	"sendto, recv, shutdown, socket, bind, listen, accept, connect, alpc_create, "         \
	"alpc_connect, alpc_accept, alpc_send, alpc_receive, alpc_reply, alpc_close, seteuid, " \
	"alarm, let, poll, select, exec, cat, thread or join"

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

static void test_scn_one_empty_process_has_the_documented_defaults(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("# nothing but a comment and one process\nprocess P { }\n");
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
	CU_ASSERT_EQUAL(s->n_procs, 1);
	CU_ASSERT_EQUAL(s->n_bodies, 1);
	CU_ASSERT_EQUAL(s->n_expects, 0);
	CU_ASSERT_EQUAL(s->n_stmts, 0);
	CU_ASSERT_EQUAL(s->n_sysvqs, 0);
	CU_ASSERT_EQUAL(s->n_files, 0);
	CU_ASSERT_EQUAL(s->n_users, 0);
	CU_ASSERT_EQUAL(s->limits.msgmax, 8192);
	CU_ASSERT_EQUAL(s->limits.msgmnb, 16384);
	CU_ASSERT_EQUAL(s->limits.msgmni, 32000);
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
		g_autoptr(SimScenario) s = parse_decls(cases[i].text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->policy, cases[i].policy);
		CU_ASSERT_EQUAL(s->quantum, cases[i].quantum);
		CU_ASSERT_EQUAL(s->seed, cases[i].seed);
		CU_ASSERT_EQUAL(s->seed_set, cases[i].seed_set);
	}
}

static void test_scn_parses_cost_and_direct(void)
{
	g_autoptr(SimScenario) s = parse_decls("cost byte=3ns syscall=2us switch=5us\n"
					       "direct capacity=0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->cost_syscall, 2 * SIM_US);
	CU_ASSERT_EQUAL(s->cost_switch, 5 * SIM_US);
	CU_ASSERT_EQUAL(s->cost_byte, 3 * SIM_NS);
	CU_ASSERT_EQUAL(s->direct_capacity, 0);

	g_autoptr(SimScenario) partial = parse_decls("cost switch=1s direct capacity=4");
	CU_ASSERT_PTR_NOT_NULL_FATAL(partial);
	CU_ASSERT_EQUAL(partial->cost_syscall, 1 * SIM_US);
	CU_ASSERT_EQUAL(partial->cost_switch, 1 * SIM_S);
	CU_ASSERT_EQUAL(partial->direct_capacity, 4);

	g_autoptr(SimScenario) unbounded = parse_decls("direct capacity=unbounded");
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
		g_autoptr(SimScenario) s = parse_decls(text);
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
	CU_ASSERT_EQUAL(plain->mbox.type, 1);
	CU_ASSERT_EQUAL(plain->mbox.prio, 0);
	CU_ASSERT_EQUAL(plain->mbox.to, -1);
	CU_ASSERT_FALSE(plain->mbox.nowait);
	CU_ASSERT_PTR_NULL(plain->label);
	CU_ASSERT_EQUAL(all->mbox.type, 7);
	CU_ASSERT_EQUAL(all->mbox.prio, 3);
	CU_ASSERT_TRUE(all->mbox.nowait);
	CU_ASSERT_EQUAL(to->ep.index, 1);
	CU_ASSERT_EQUAL(to->mbox.to, 1);
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
	CU_ASSERT_FALSE(a->mbox.nowait);
	CU_ASSERT_EQUAL(any->ep.kind, SIM_EP_ANY);
	CU_ASSERT_EQUAL(any->ep.index, -1);
	CU_ASSERT_EQUAL(any->var, 0);
	CU_ASSERT_TRUE(any->mbox.nowait);
	CU_ASSERT_EQUAL(q->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(q->ep.index, 1);
	CU_ASSERT_EQUAL(q->var, 1);
	CU_ASSERT_TRUE(nw->mbox.nowait);
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
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ctl.duration, 5 * SIM_MS);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->kind, SIM_STMT_SLEEP);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ctl.duration, 10 * SIM_US);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->ctl.duration, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->ctl.duration, 2 * SIM_S);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->loc.col, 38);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->kind, SIM_STMT_PRINT);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 4)->text.literal, "hello");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->kind, SIM_STMT_EXIT);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->proc.status, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 6)->proc.status, 255);
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
	CU_ASSERT_EQUAL(rep->ctl.count, 3);
	CU_ASSERT_EQUAL(rep->var, 0);
	CU_ASSERT_EQUAL_FATAL(rep->ctl.body.n_stmts, 2);
	const SimStmt *loop = &rep->ctl.body.stmts[0];
	CU_ASSERT_EQUAL(loop->kind, SIM_STMT_LOOP);
	CU_ASSERT_EQUAL_FATAL(loop->ctl.body.n_stmts, 2);
	const SimStmt *brk = &loop->ctl.body.stmts[1];
	CU_ASSERT_EQUAL(brk->kind, SIM_STMT_BREAK);
	CU_ASSERT_FALSE(brk->ctl.uncond);
	CU_ASSERT_EQUAL(brk->ctl.break_err, ENOMSG);
	CU_ASSERT_TRUE(rep->ctl.body.stmts[1].ctl.uncond);
	const SimStmt *zero = &body->block.stmts[1];
	CU_ASSERT_EQUAL(zero->ctl.count, 0);
	CU_ASSERT_EQUAL(zero->var, -1);
	const SimStmt *ok = &zero->ctl.body.stmts[0].ctl.body.stmts[0];
	CU_ASSERT_FALSE(ok->ctl.uncond);
	CU_ASSERT_EQUAL(ok->ctl.break_err, 0);
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
	CU_ASSERT_EQUAL(a->stmts[1].ctl.body.stmts[0].id, 2);
	CU_ASSERT_EQUAL(a->stmts[1].ctl.body.stmts[1].id, 3);
	CU_ASSERT_EQUAL(a->stmts[1].ctl.body.stmts[1].ctl.body.stmts[0].id, 4);
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
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->ctl.body.stmts[0].var, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->var, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->ctl.body.stmts[0].var, 2);
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
	const SimBlock *body = &stmt_of(s, 0, 1)->ctl.body;
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
	const SimStmt *full = &stmt_of(s, 0, 1)->ctl.body.stmts[0];
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
		const char *name = sim_scn_state_name((SimTaskState)i);
		g_autofree char *text = g_strdup_printf("process P {} expect P state=%s", name);
		g_autoptr(SimScenario) s = parse_ok(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->expects[0].state, (SimTaskState)i);
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

/* ---- SysV queues, credentials, signals ---- */

static void test_scn_parses_sysctl_limits(void)
{
	g_autoptr(SimScenario) s = parse_decls("sysctl msgmni=16 msgmax=0x2000 msgmnb=64");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->limits.msgmax, 8192);
	CU_ASSERT_EQUAL(s->limits.msgmnb, 64);
	CU_ASSERT_EQUAL(s->limits.msgmni, 16);

	g_autoptr(SimScenario) partial = parse_decls("sysctl msgmnb=0\nsysv queue q key=1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(partial);
	CU_ASSERT_EQUAL(partial->limits.msgmax, 8192);
	CU_ASSERT_EQUAL(partial->limits.msgmnb, 0);
	CU_ASSERT_EQUAL(partial->limits.msgmni, 32000);

	g_autoptr(SimScenario) bare = parse_decls("sysctl");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bare);
	CU_ASSERT_EQUAL(bare->limits.msgmnb, 16384);
}

static void test_scn_parses_sysv_queue_with_each_key_form(void)
{
	g_autoptr(SimScenario) s =
		parse_decls("sysv queue A key=0x27011c6c\n"
			    "sysv queue B key=private perm=0600 uid=1000 gid=100\n"
			    "sysv queue C key=ftok(\"/home/u/f\", 0x27) gid=5\n"
			    "sysv queue D key=0 perm=0\n"
			    "sysv queue E key=4294967295 uid=0\n"
			    "sysv queue F key=ftok(\"/tmp/g\",255)\n"
			    "file \"/tmp/g\"\n"
			    "file \"/home/u/f\"\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_sysvqs, 6);
	const SimScnSysvQueue *q = s->sysvqs;
	CU_ASSERT_STRING_EQUAL(q[0].name, "A");
	CU_ASSERT_EQUAL(q[0].loc.line, 1);
	CU_ASSERT_EQUAL(q[0].loc.col, 12);
	CU_ASSERT_EQUAL(q[0].key.kind, SIM_KEY_VALUE);
	CU_ASSERT_EQUAL(q[0].key.value, 0x27011c6c);
	CU_ASSERT_EQUAL(q[0].key.file, -1);
	CU_ASSERT_EQUAL(q[0].perm, 0666);
	CU_ASSERT_EQUAL(q[0].uid, 0);
	CU_ASSERT_EQUAL(q[0].gid, 0);
	CU_ASSERT_EQUAL(q[1].key.kind, SIM_KEY_PRIVATE);
	CU_ASSERT_EQUAL(q[1].key.value, 0);
	CU_ASSERT_EQUAL(q[1].perm, 0600);
	CU_ASSERT_EQUAL(q[1].uid, 1000);
	CU_ASSERT_EQUAL(q[1].gid, 100);
	CU_ASSERT_EQUAL(q[2].key.kind, SIM_KEY_FTOK);
	CU_ASSERT_EQUAL(q[2].key.value, 0x27);
	CU_ASSERT_EQUAL(q[2].key.file, 1); /* resolved after the whole file */
	CU_ASSERT_EQUAL(q[2].gid, 5);
	CU_ASSERT_EQUAL(q[3].key.kind, SIM_KEY_PRIVATE); /* key=0 is IPC_PRIVATE */
	CU_ASSERT_EQUAL(q[3].perm, 0);
	CU_ASSERT_EQUAL(q[4].key.kind, SIM_KEY_VALUE);
	CU_ASSERT_EQUAL(q[4].key.value, G_GINT64_CONSTANT(0xffffffff));
	CU_ASSERT_EQUAL(q[5].key.kind, SIM_KEY_FTOK);
	CU_ASSERT_EQUAL(q[5].key.value, 255);
	CU_ASSERT_EQUAL(q[5].key.file, 0);
	CU_ASSERT_EQUAL(sim_scn_find_sysvq(s, "C"), 2);
	CU_ASSERT_EQUAL(sim_scn_find_sysvq(s, "Z"), -1);
	CU_ASSERT_EQUAL(sim_scn_find_mbox(s, "A"), -1);
	CU_ASSERT_EQUAL(s->n_mboxes, 0);
}

/* Declarations with one key name one queue, as two msgget(key, IPC_CREAT) calls would; an
 * ftok key that comes out the same (only the low 16 bits of st_ino count) is that key too,
 * so msgmni=2 has room for these four declarations. */
static void test_scn_sysv_queues_with_one_key_are_one_queue(void)
{
	g_autoptr(SimScenario) s = parse_decls("sysctl msgmni=2\n"
					       "file \"/a\" dev=1 ino=0x11c6c\n"
					       "sysv queue A key=0x27011c6c\n"
					       "sysv queue B key=ftok(\"/a\", 0x27)\n"
					       "sysv queue C key=0x27011c6c perm=0600\n"
					       "sysv queue D key=private\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->n_sysvqs, 4);
	CU_ASSERT_EQUAL(s->sysvqs[1].key.kind, SIM_KEY_FTOK);
	CU_ASSERT_EQUAL(s->sysvqs[2].perm, 0600);
}

static void test_scn_parses_files_and_users(void)
{
	g_autoptr(SimScenario) s = parse_ok("file \"/a\"\n"
					    "file \"/home/isscg/myshm\" dev=0x01 ino=0x1c6c\n"
					    "file \"/c\" ino=7\n"
					    "user isscg uid=1000\n"
					    "user root uid=0\n"
					    "user P uid=2\n"
					    "process P {}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_files, 3);
	CU_ASSERT_STRING_EQUAL(s->files[0].path, "/a");
	CU_ASSERT_EQUAL(s->files[0].loc.line, 1);
	CU_ASSERT_EQUAL(s->files[0].loc.col, 6);
	CU_ASSERT_EQUAL(s->files[0].dev, 1);
	CU_ASSERT_EQUAL(s->files[0].ino, 0x1000);
	CU_ASSERT_EQUAL(s->files[1].dev, 1);
	CU_ASSERT_EQUAL(s->files[1].ino, 0x1c6c);
	CU_ASSERT_EQUAL(s->files[2].dev, 1);
	CU_ASSERT_EQUAL(s->files[2].ino, 7);
	CU_ASSERT_EQUAL_FATAL(s->n_users, 3);
	CU_ASSERT_STRING_EQUAL(s->users[0].name, "isscg");
	CU_ASSERT_EQUAL(s->users[0].uid, 1000);
	CU_ASSERT_EQUAL(s->users[0].loc.col, 6);
	CU_ASSERT_EQUAL(s->users[1].uid, 0);
	CU_ASSERT_STRING_EQUAL(s->users[2].name, "P"); /* users have their own name space */
	CU_ASSERT_EQUAL(s->n_procs, 1);
}

static void test_scn_parses_process_credentials_and_caps(void)
{
	static const struct {
		const char *opts;
		gint64 uid, gid;
		guint caps;
	} cases[] = {
		{ "", 0, 0, SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN },
		{ "uid=1000 gid=100", 1000, 100, 0 },
		{ "gid=7", 0, 7, SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN },
		{ "caps=none", 0, 0, 0 },
		{ "caps=all uid=5", 5, 0,
		  SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN | SIM_CAP_SYS_RESOURCE },
		{ "uid=1000 caps=ipc_owner,sys_resource", 1000, 0,
		  SIM_CAP_IPC_OWNER | SIM_CAP_SYS_RESOURCE },
		{ "caps=sys_admin, sys_resource, ipc_owner", 0, 0,
		  SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN | SIM_CAP_SYS_RESOURCE },
		{ "caps=sys_resource uid=0", 0, 0, SIM_CAP_SYS_RESOURCE },
		{ "uid=0x10 caps=sys_admin", 16, 0, SIM_CAP_SYS_ADMIN },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("process P %s { exit }", cases[i].opts);
		g_autoptr(SimScenario) s = parse_ok(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_EQUAL(s->procs[0].uid, cases[i].uid);
		CU_ASSERT_EQUAL(s->procs[0].gid, cases[i].gid);
		CU_ASSERT_EQUAL(s->procs[0].caps, cases[i].caps);
	}
	g_autoptr(SimScenario) r = parse_ok("process w[2] uid=7 gid=8 caps=ipc_owner {}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (guint i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(r->procs[i].uid, 7);
		CU_ASSERT_EQUAL(r->procs[i].gid, 8);
		CU_ASSERT_EQUAL(r->procs[i].caps, SIM_CAP_IPC_OWNER);
	}
}

/* Every SysV statement carries its family's defaults; the other families' statements have
 * arguments of their own, which are not looked at. */
static void test_scn_every_statement_has_the_sysv_defaults(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("mailbox A sysv queue Q key=1\n"
			 "process P {\n"
			 "  send A \"x\" receive A compute 1ms sleep 1ms print \"p\"\n"
			 "  repeat 1 { break } loop { break }\n"
			 "  msgget key=2 msgsnd Q \"y\" msgrcv Q msgctl Q stat\n"
			 "  kill P SIGTERM on SIGTERM handler ipcs exit\n"
			 "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *b = &s->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 15);
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (sim_call_desc(st->kind)->family != SIM_CALL_SYSV)
			continue;
		CU_ASSERT_EQUAL(st->sysv.type, st->kind == SIM_STMT_MSGRCV ? 0 : 1);
		CU_ASSERT_EQUAL(st->sysv.perm, st->kind == SIM_STMT_MSGCTL ? -1 : 0);
		CU_ASSERT_EQUAL(st->sysv.size, SIM_SIZE_UNSET);
		CU_ASSERT_EQUAL(st->sysv.qbytes, -1);
		CU_ASSERT_EQUAL(st->sysv.set_uid, -1);
		CU_ASSERT_EQUAL(st->sysv.set_gid, -1);
		CU_ASSERT_EQUAL(st->sysv.view, 'q');
		CU_ASSERT_EQUAL(st->sysv.flags, 0);
		CU_ASSERT_EQUAL(st->sysv.key.file, -1);
		if (st->kind != SIM_STMT_MSGGET)
			CU_ASSERT_EQUAL(st->sysv.key.kind, SIM_KEY_PRIVATE);
	}
	CU_ASSERT_EQUAL(b->stmts[7].kind, SIM_STMT_MSGGET);
	CU_ASSERT_EQUAL(b->stmts[7].var, -1);
	CU_ASSERT_EQUAL(b->stmts[9].kind, SIM_STMT_MSGRCV);
	CU_ASSERT_EQUAL(b->stmts[9].var, -1);
	CU_ASSERT_FALSE(b->stmts[9].sysv.flags & SIM_IPC_NOWAIT);
	CU_ASSERT_EQUAL(b->stmts[10].sysv.cmd, SIM_CTL_STAT);
	CU_ASSERT_EQUAL(b->stmts[14].kind, SIM_STMT_EXIT);
}

static void test_scn_parses_msgget_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok("file \"/f\" dev=2 ino=3\n"
					    "process P {\n"
					    "  msgget key=private create perm=0600 -> a\n"
					    "  msgget key=0x9001 create excl perm=0640 -> b\n"
					    "  msgget key=ftok(\"/f\", 0x27) -> c\n"
					    "  msgget -> d key=0\n"
					    "  msgget key=077 excl\n"
					    "  print \"$a $b\"\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *a = stmt_of(s, 0, 0), *b = stmt_of(s, 0, 1), *c = stmt_of(s, 0, 2);
	const SimStmt *d = stmt_of(s, 0, 3), *e = stmt_of(s, 0, 4);
	CU_ASSERT_EQUAL(a->kind, SIM_STMT_MSGGET);
	CU_ASSERT_EQUAL(a->loc.line, 3);
	CU_ASSERT_EQUAL(a->loc.col, 3);
	CU_ASSERT_EQUAL(a->sysv.key.kind, SIM_KEY_PRIVATE);
	CU_ASSERT_EQUAL(a->sysv.flags, SIM_IPC_CREAT);
	CU_ASSERT_EQUAL(a->sysv.perm, 0600);
	CU_ASSERT_EQUAL(a->var, 0);
	CU_ASSERT_EQUAL(b->sysv.key.kind, SIM_KEY_VALUE);
	CU_ASSERT_EQUAL(b->sysv.key.value, 0x9001);
	CU_ASSERT_EQUAL(b->sysv.flags, SIM_IPC_CREAT | SIM_IPC_EXCL);
	CU_ASSERT_EQUAL(b->sysv.perm, 0640);
	CU_ASSERT_EQUAL(b->var, 1);
	CU_ASSERT_EQUAL(c->sysv.key.kind, SIM_KEY_FTOK);
	CU_ASSERT_EQUAL(c->sysv.key.value, 0x27);
	CU_ASSERT_EQUAL(c->sysv.key.file, 0);
	CU_ASSERT_EQUAL(c->sysv.flags, 0);
	CU_ASSERT_EQUAL(c->sysv.perm, 0);
	CU_ASSERT_EQUAL(d->sysv.key.kind, SIM_KEY_PRIVATE);
	CU_ASSERT_EQUAL(d->var, 3);
	CU_ASSERT_EQUAL(e->sysv.key.value, 077);
	CU_ASSERT_EQUAL(e->sysv.flags, SIM_IPC_EXCL); /* without create, as the kernel allows */
	CU_ASSERT_EQUAL(e->var, -1);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 4);
	for (guint i = 0; i < 4; i++)
		CU_ASSERT_TRUE(body->vars[i].is_int);
	CU_ASSERT_STRING_EQUAL(body->vars[2].name, "c");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->text.parts[0].kind, SIM_TEXT_VAR);
}

static void test_scn_parses_msgsnd_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok("sysv queue Q key=1\n"
					    "process P {\n"
					    "  msgsnd Q \"plain\"\n"
					    "  msgsnd Q \"all\" nowait size=0 type=7\n"
					    "  msgsnd Q type=-3 \"before\" size=512\n"
					    "  msgsnd q type=0 \"by id $q\"\n"
					    "  msgget key=2 -> q\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *plain = stmt_of(s, 0, 0), *all = stmt_of(s, 0, 1);
	const SimStmt *before = stmt_of(s, 0, 2), *id = stmt_of(s, 0, 3);
	CU_ASSERT_EQUAL(plain->kind, SIM_STMT_MSGSND);
	CU_ASSERT_EQUAL(plain->ep.kind, SIM_EP_SYSVQ);
	CU_ASSERT_EQUAL(plain->ep.index, 0);
	CU_ASSERT_EQUAL(plain->ep.loc.line, 3);
	CU_ASSERT_EQUAL(plain->ep.loc.col, 10);
	CU_ASSERT_STRING_EQUAL(plain->text.literal, "plain");
	CU_ASSERT_EQUAL(plain->sysv.type, 1);
	CU_ASSERT_EQUAL(plain->sysv.size, SIM_SIZE_UNSET); /* the text's length, worked out by the engine */
	CU_ASSERT_EQUAL(plain->sysv.flags, 0);
	CU_ASSERT_FALSE(plain->sysv.flags & SIM_IPC_NOWAIT);
	CU_ASSERT_EQUAL(all->sysv.type, 7);
	CU_ASSERT_EQUAL(all->sysv.size, 0);
	CU_ASSERT_EQUAL(all->sysv.flags, SIM_IPC_NOWAIT);
	CU_ASSERT_TRUE(all->sysv.flags & SIM_IPC_NOWAIT);
	CU_ASSERT_EQUAL(before->sysv.type, -3); /* EINVAL at run time, which a scenario may test */
	CU_ASSERT_EQUAL(before->sysv.size, 512);
	CU_ASSERT_STRING_EQUAL(before->text.literal, "before");
	CU_ASSERT_EQUAL(id->ep.kind, SIM_EP_IDVAR);
	CU_ASSERT_EQUAL(id->ep.index, 0); /* the slot of q, used before it is set */
	CU_ASSERT_EQUAL(id->sysv.type, 0);
	CU_ASSERT_EQUAL(id->text.n_parts, 2);
}

static void test_scn_parses_msgrcv_forms(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("sysv queue Q key=1\n"
			 "process P {\n"
			 "  msgrcv Q\n"
			 "  msgrcv Q type=-2 size=512 nowait except noerror -> m\n"
			 "  msgrcv Q -> m type=5\n"
			 "  msgrcv Q type=0x10 noerror\n"
			 "  print \"$m from $m.from\"\n"
			 "  send $m \"thanks\"\n"
			 "}\n"
			 "process R { msgsnd Q \"x\" }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *bare = stmt_of(s, 0, 0), *all = stmt_of(s, 0, 1);
	const SimStmt *arrow = stmt_of(s, 0, 2), *hex = stmt_of(s, 0, 3);
	CU_ASSERT_EQUAL(bare->kind, SIM_STMT_MSGRCV);
	CU_ASSERT_EQUAL(bare->ep.kind, SIM_EP_SYSVQ);
	CU_ASSERT_EQUAL(bare->sysv.type, 0);
	CU_ASSERT_EQUAL(bare->sysv.size, SIM_SIZE_UNSET);
	CU_ASSERT_EQUAL(bare->sysv.flags, 0);
	CU_ASSERT_EQUAL(bare->var, -1);
	CU_ASSERT_EQUAL(all->sysv.type, -2);
	CU_ASSERT_EQUAL(all->sysv.size, 512);
	CU_ASSERT_EQUAL(all->sysv.flags, SIM_IPC_NOWAIT | SIM_MSG_EXCEPT | SIM_MSG_NOERROR);
	CU_ASSERT_TRUE(all->sysv.flags & SIM_IPC_NOWAIT);
	CU_ASSERT_EQUAL(all->var, 0);
	CU_ASSERT_EQUAL(arrow->var, 0);
	CU_ASSERT_EQUAL(arrow->sysv.type, 5);
	CU_ASSERT_EQUAL(hex->sysv.type, 16);
	CU_ASSERT_EQUAL(hex->sysv.flags, SIM_MSG_NOERROR);
	CU_ASSERT_FALSE(hex->sysv.flags & SIM_IPC_NOWAIT);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 1);
	CU_ASSERT_FALSE(body->vars[0].is_int); /* a message, like receive's */
	const SimText *t = &stmt_of(s, 0, 4)->text;
	CU_ASSERT_EQUAL_FATAL(t->n_parts, 3);
	CU_ASSERT_EQUAL(t->parts[0].kind, SIM_TEXT_VAR);
	CU_ASSERT_EQUAL(t->parts[2].kind, SIM_TEXT_VAR_FROM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.kind, SIM_EP_VAR);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.index, 0);
}

static void test_scn_parses_msgctl_commands_and_set_options(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("sysv queue Q key=1\n"
			 "process P {\n"
			 "  msgctl Q stat msgctl Q rmid msgctl Q info msgctl Q msg_info\n"
			 "  msgctl Q set qbytes=0\n"
			 "  msgctl Q set mode=0660 uid=1000 gid=100 qbytes=32768\n"
			 "  repeat 2 as i { msgctl i set uid=0 }\n"
			 "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	static const SimCtlCmd cmds[] = { SIM_CTL_STAT,	    SIM_CTL_RMID, SIM_CTL_INFO,
					  SIM_CTL_MSG_INFO, SIM_CTL_SET,  SIM_CTL_SET };
	for (guint i = 0; i < G_N_ELEMENTS(cmds); i++) {
		CU_ASSERT_EQUAL(stmt_of(s, 0, i)->kind, SIM_STMT_MSGCTL);
		CU_ASSERT_EQUAL(stmt_of(s, 0, i)->sysv.cmd, cmds[i]);
		CU_ASSERT_EQUAL(stmt_of(s, 0, i)->ep.kind, SIM_EP_SYSVQ);
	}
	const SimStmt *stat = stmt_of(s, 0, 0), *zero = stmt_of(s, 0, 4);
	const SimStmt *all = stmt_of(s, 0, 5);
	CU_ASSERT_EQUAL(stat->sysv.perm, -1);
	CU_ASSERT_EQUAL(stat->sysv.qbytes, -1);
	CU_ASSERT_EQUAL(zero->sysv.qbytes, 0);
	CU_ASSERT_EQUAL(zero->sysv.perm, -1);
	CU_ASSERT_EQUAL(zero->sysv.set_uid, -1);
	CU_ASSERT_EQUAL(zero->sysv.set_gid, -1);
	CU_ASSERT_EQUAL(all->sysv.perm, 0660);
	CU_ASSERT_EQUAL(all->sysv.set_uid, 1000);
	CU_ASSERT_EQUAL(all->sysv.set_gid, 100);
	CU_ASSERT_EQUAL(all->sysv.qbytes, 32768);
	/* Any integer variable may hold an id, a repeat counter too. */
	const SimStmt *by_counter = &stmt_of(s, 0, 6)->ctl.body.stmts[0];
	CU_ASSERT_EQUAL(by_counter->ep.kind, SIM_EP_IDVAR);
	CU_ASSERT_EQUAL(by_counter->ep.index, 0);
	CU_ASSERT_EQUAL(by_counter->sysv.set_uid, 0);
}

static void test_scn_parses_kill_on_and_ipcs(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process w[2] {\n"
			 "  on SIGUSR1 handler on SIGTERM ignore on SIGCHLD default\n"
			 "  kill w1 SIGUSR1 kill P SIGKILL kill w0 SIGHUP\n"
			 "  ipcs ipcs -p ipcs -t ipcs -l\n"
			 "}\n"
			 "process P {}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *on = stmt_of(s, 0, 0);
	CU_ASSERT_EQUAL(on->kind, SIM_STMT_ON);
	CU_ASSERT_EQUAL(on->proc.sig, SIGUSR1);
	CU_ASSERT_EQUAL(on->proc.action, SIM_SIG_HANDLER);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->proc.sig, SIGTERM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->proc.action, SIM_SIG_IGNORE);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->proc.sig, SIGCHLD);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->proc.action, SIM_SIG_DEFAULT);
	const SimStmt *kill = stmt_of(s, 0, 3);
	CU_ASSERT_EQUAL(kill->kind, SIM_STMT_KILL);
	CU_ASSERT_EQUAL(kill->proc.sig, SIGUSR1);
	CU_ASSERT_EQUAL(kill->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(kill->ep.index, 1); /* itself, for replica w1 */
	CU_ASSERT_EQUAL(kill->ep.loc.line, 3);
	CU_ASSERT_EQUAL(kill->ep.loc.col, 8);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->ep.index, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->proc.sig, SIGKILL);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.index, 0);
	static const char views[] = { 'q', 'p', 't', 'l' };
	for (guint i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(stmt_of(s, 0, 6 + i)->kind, SIM_STMT_IPCS);
		CU_ASSERT_EQUAL(stmt_of(s, 0, 6 + i)->sysv.view, views[i]);
	}
	CU_ASSERT_EQUAL(s->n_stmts, 10);
}

static void test_scn_names_every_signal_both_ways(void)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
		{ "SIGHUP", SIGHUP },	{ "SIGINT", SIGINT },	{ "SIGQUIT", SIGQUIT },
		{ "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 },
		{ "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM },
		{ "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP },
		{ "SIGILL", SIGILL },	{ "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT },
		{ "SIGBUS", SIGBUS },	{ "SIGFPE", SIGFPE },	{ "SIGSEGV", SIGSEGV },
		{ "SIGSTKFLT", SIGSTKFLT }, { "SIGTSTP", SIGTSTP }, { "SIGTTIN", SIGTTIN },
		{ "SIGTTOU", SIGTTOU }, { "SIGURG", SIGURG },	{ "SIGXCPU", SIGXCPU },
		{ "SIGXFSZ", SIGXFSZ }, { "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF },
		{ "SIGWINCH", SIGWINCH }, { "SIGIO", SIGIO },	{ "SIGPWR", SIGPWR },
		{ "SIGSYS", SIGSYS },
	};
	CU_ASSERT_EQUAL(G_N_ELEMENTS(sigs), 31); /* every standard signal, 1 to 31 */
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++) {
		CU_ASSERT_EQUAL(sim_scn_signal_from_name(sigs[i].name), sigs[i].sig);
		CU_ASSERT_STRING_EQUAL(sim_scn_signal_name(sigs[i].sig), sigs[i].name);
	}
	CU_ASSERT_EQUAL(sim_scn_signal_from_name("SIGRTMIN"), -1);
	CU_ASSERT_EQUAL(sim_scn_signal_from_name("SIGIOT"), -1); /* aliases are not names */
	CU_ASSERT_EQUAL(sim_scn_signal_from_name("USR1"), -1);
	CU_ASSERT_EQUAL(sim_scn_signal_from_name("sigusr1"), -1);
	CU_ASSERT_PTR_NULL(sim_scn_signal_name(0));
	CU_ASSERT_PTR_NULL(sim_scn_signal_name(32));
}

/* A queue name is a `sysv queue` when one has it, else an integer variable of the body;
 * the keywords of the new declarations stay usable as names where a name is expected. */
static void test_scn_resolves_sysv_queues_and_id_variables(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process user uid=1000 {\n"
			 "  msgsnd jobs \"x\"\n"
			 "  msgrcv id -> m\n"
			 "  msgget key=5 -> id\n"
			 "  msgctl jobs rmid\n"
			 "}\n"
			 "process admin { msgget key=5 -> other msgctl other stat }\n"
			 "sysv queue spare key=6\n"
			 "sysv queue jobs key=5\n"
			 "mailbox file\n"
			 "expect user state=exited\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ep.kind, SIM_EP_SYSVQ);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ep.index, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.kind, SIM_EP_IDVAR);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.index, 1); /* a queue use takes no slot: m is 0 */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->var, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->ep.kind, SIM_EP_SYSVQ);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->ep.index, 1);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 1)->ep.kind, SIM_EP_IDVAR);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 1)->ep.index, 0);
	CU_ASSERT_STRING_EQUAL(s->procs[0].name, "user");
	CU_ASSERT_STRING_EQUAL(s->mboxes[0].name, "file");
	CU_ASSERT_EQUAL(s->expects[0].proc, 0);
}

static void test_scn_parses_sysv_expectations(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("expect q qnum=1 cbytes=4 lrpid=R lspid=S\n"
			 "expect q qbytes=16384 removed=yes id=0x8000 mode=0600\n"
			 "expect q removed=no lspid=none lrpid=none\n"
			 "expect key=0x27011c6c qnum=8 cbytes=4096 lrpid=R mode=0666\n"
			 "expect key=1 removed=no\n"
			 "expect A qnum=0 sent=1\n"
			 "expect R state=exited\n"
			 "sysv queue p key=2\n"
			 "sysv queue q key=0x1000 perm=0600\n"
			 "mailbox A\n"
			 "process S { msgsnd q \"x\" }\n"
			 "process R { msgrcv q }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_expects, 7);
	const SimScnExpect *e = s->expects;
	CU_ASSERT_EQUAL(e[0].kind, SIM_EXPECT_STATS);
	CU_ASSERT_EQUAL(e[0].sysvq, 1);
	CU_ASSERT_EQUAL(e[0].mbox, -1);
	CU_ASSERT_FALSE(e[0].by_key);
	CU_ASSERT_EQUAL_FATAL(e[0].n_stats, 4);
	static const SimExpectStat first[] = { { SIM_STAT_QNUM, 1 },
					       { SIM_STAT_CBYTES, 4 },
					       { SIM_STAT_LRPID, 1 },
					       { SIM_STAT_LSPID, 0 } };
	for (guint i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(e[0].stats[i].key, first[i].key);
		CU_ASSERT_EQUAL(e[0].stats[i].value, first[i].value);
	}
	CU_ASSERT_EQUAL_FATAL(e[1].n_stats, 4);
	static const SimExpectStat second[] = { { SIM_STAT_QBYTES, 16384 },
						{ SIM_STAT_REMOVED, 1 },
						{ SIM_STAT_ID, 0x8000 },
						{ SIM_STAT_MODE, 0600 } };
	for (guint i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(e[1].stats[i].key, second[i].key);
		CU_ASSERT_EQUAL(e[1].stats[i].value, second[i].value);
	}
	CU_ASSERT_EQUAL_FATAL(e[2].n_stats, 3);
	CU_ASSERT_EQUAL(e[2].stats[0].value, 0);
	CU_ASSERT_EQUAL(e[2].stats[1].key, SIM_STAT_LSPID);
	CU_ASSERT_EQUAL(e[2].stats[1].value, -1);
	CU_ASSERT_EQUAL(e[2].stats[2].value, -1);
	CU_ASSERT_EQUAL(e[3].kind, SIM_EXPECT_STATS);
	CU_ASSERT_TRUE(e[3].by_key);
	CU_ASSERT_EQUAL(e[3].key, 0x27011c6c);
	CU_ASSERT_EQUAL(e[3].sysvq, -1);
	CU_ASSERT_EQUAL(e[3].mbox, -1);
	CU_ASSERT_EQUAL_FATAL(e[3].n_stats, 4);
	CU_ASSERT_EQUAL(e[3].stats[2].key, SIM_STAT_LRPID);
	CU_ASSERT_EQUAL(e[3].stats[2].value, 1);
	CU_ASSERT_EQUAL(e[3].stats[3].value, 0666);
	CU_ASSERT_EQUAL(e[4].key, 1);
	CU_ASSERT_EQUAL(e[5].mbox, 0);
	CU_ASSERT_EQUAL(e[5].sysvq, -1);
	CU_ASSERT_FALSE(e[5].by_key);
	CU_ASSERT_EQUAL(e[6].mbox, -1);
	CU_ASSERT_EQUAL(e[6].sysvq, -1);
}

/* The lecture's msgsnd.c, as a scenario: every new form in one file. */
static void test_scn_parses_the_lecture_msgsnd_example(void)
{
	g_autoptr(SimScenario) s = parse_ok(
		"user isscg uid=1000\n"
		"file \"/home/isscg/myshm\" dev=0x01 ino=0x1c6c\n"
		"process sender uid=1000 gid=1000 {\n"
		"    msgget key=ftok(\"/home/isscg/myshm\", 0x27) create perm=0666 -> msqid\n"
		"    msgctl msqid stat\n"
		"    repeat 10 as i { msgsnd msqid type=1 \"item $i\" size=512 }\n"
		"    ipcs\n"
		"}\n"
		"expect key=0x27011c6c qnum=10 cbytes=5120 qbytes=16384 lspid=sender lrpid=none\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->procs[0].caps, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->sysv.key.file, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.kind, SIM_EP_IDVAR);
	const SimStmt *snd = &stmt_of(s, 0, 2)->ctl.body.stmts[0];
	CU_ASSERT_EQUAL(snd->ep.kind, SIM_EP_IDVAR);
	CU_ASSERT_EQUAL(snd->ep.index, 0);
	CU_ASSERT_EQUAL(snd->sysv.size, 512);
	CU_ASSERT_EQUAL(s->expects[0].n_stats, 5);
	CU_ASSERT_EQUAL(s->n_stmts, 5);
}

/* ---- POSIX message queues ---- */

static void test_scn_posix_defaults_of_scenario_and_processes(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {}\nprocess w[2] {}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->limits.mq_msg_max, 10);
	CU_ASSERT_EQUAL(s->limits.mq_msgsize_max, 8192);
	CU_ASSERT_EQUAL(s->limits.mq_queues_max, 256);
	CU_ASSERT_EQUAL(s->limits.mq_msg_default, 10);
	CU_ASSERT_EQUAL(s->limits.mq_msgsize_default, 8192);
	CU_ASSERT_EQUAL(s->n_posixqs, 0);
	CU_ASSERT_EQUAL(sim_scn_find_posixq(s, "/q"), -1);
	for (guint i = 0; i < s->n_procs; i++) {
		CU_ASSERT_EQUAL(s->procs[i].nice, 0);
		CU_ASSERT_EQUAL(s->procs[i].rlimit_msgqueue, 819200);
		CU_ASSERT_EQUAL(s->procs[i].rlimit_nofile, 1024);
	}
}

static void test_scn_parses_posix_sysctl_limits(void)
{
	g_autoptr(SimScenario) s =
		parse_decls("sysctl mq_msg_max=65536 mq_msgsize_max=128 msgmni=3\n"
			    "       mq_queues_max=0 mq_msg_default=1\n"
			    "       mq_msgsize_default=0x1000000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->limits.mq_msg_max, 65536);
	CU_ASSERT_EQUAL(s->limits.mq_msgsize_max, 128);
	CU_ASSERT_EQUAL(s->limits.mq_queues_max, 0);
	CU_ASSERT_EQUAL(s->limits.mq_msg_default, 1);
	CU_ASSERT_EQUAL(s->limits.mq_msgsize_default, 16 * 1024 * 1024);
	CU_ASSERT_EQUAL(s->limits.msgmni, 3);
	CU_ASSERT_EQUAL(s->limits.msgmax, 8192);

	g_autoptr(SimScenario) one = parse_decls("sysctl mq_queues_max=2147483647");
	CU_ASSERT_PTR_NOT_NULL_FATAL(one);
	CU_ASSERT_EQUAL(one->limits.mq_queues_max, G_MAXINT);
	CU_ASSERT_EQUAL(one->limits.mq_msg_max, 10);
}

static void test_scn_parses_posix_queue_declarations(void)
{
	g_autoptr(SimScenario) s = parse_decls(
		"posix queue \"/jobs\"\n"
		"posix queue \"/all\" maxmsg=8 msgsize=0x40 perm=0640 uid=1000 gid=100\n"
		"posix queue \"/size\" msgsize=16\n"
		"posix queue \"/count\" maxmsg=3\n"
		"posix queue \"/Jobs\" perm=0\n"
		"sysctl mq_msg_default=4 mq_msgsize_default=256 mq_msg_max=8\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_posixqs, 5);
	const SimScnPosixQueue *q = s->posixqs;
	CU_ASSERT_STRING_EQUAL(q[0].name, "/jobs");
	CU_ASSERT_EQUAL(q[0].loc.line, 1);
	CU_ASSERT_EQUAL(q[0].loc.col, 13);
	CU_ASSERT_EQUAL(q[0].maxmsg, -1); /* the defaults: the engine applies them */
	CU_ASSERT_EQUAL(q[0].msgsize, -1);
	CU_ASSERT_EQUAL(q[0].perm, 0600);
	CU_ASSERT_EQUAL(q[0].uid, 0);
	CU_ASSERT_EQUAL(q[0].gid, 0);
	CU_ASSERT_EQUAL(q[1].maxmsg, 8);
	CU_ASSERT_EQUAL(q[1].msgsize, 64);
	CU_ASSERT_EQUAL(q[1].perm, 0640);
	CU_ASSERT_EQUAL(q[1].uid, 1000);
	CU_ASSERT_EQUAL(q[1].gid, 100);
	/* One attribute alone is an mq_attr: the other is the kernel's default for no attr. */
	CU_ASSERT_EQUAL(q[2].maxmsg, 4);
	CU_ASSERT_EQUAL(q[2].msgsize, 16);
	CU_ASSERT_EQUAL(q[3].maxmsg, 3);
	CU_ASSERT_EQUAL(q[3].msgsize, 256);
	CU_ASSERT_EQUAL(q[4].perm, 0);
	CU_ASSERT_EQUAL(sim_scn_find_posixq(s, "/all"), 1);
	CU_ASSERT_EQUAL(sim_scn_find_posixq(s, "/Jobs"), 4); /* names are case-sensitive */
	CU_ASSERT_EQUAL(sim_scn_find_posixq(s, "jobs"), -1);
	CU_ASSERT_EQUAL(s->n_mboxes, 0);
	CU_ASSERT_EQUAL(s->n_sysvqs, 0);

	/* NAME_MAX is 255 bytes after the '/'. */
	g_autofree char *longest = g_strnfill(255, 'n');
	g_autofree char *text = g_strdup_printf("posix queue \"/%s\"", longest);
	g_autoptr(SimScenario) named = parse_decls(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(named);
	CU_ASSERT_EQUAL(strlen(named->posixqs[0].name), 256);

	/* The default taken for the missing attribute is capped by the maximum, as the
	 * kernel caps it. */
	g_autoptr(SimScenario) capped = parse_decls("sysctl mq_msg_max=2 mq_msgsize_max=200\n"
						    "posix queue \"/a\" maxmsg=1\n"
						    "posix queue \"/b\" msgsize=128");
	CU_ASSERT_PTR_NOT_NULL_FATAL(capped);
	CU_ASSERT_EQUAL(capped->posixqs[0].msgsize, 200);
	CU_ASSERT_EQUAL(capped->posixqs[1].maxmsg, 2);
}

static void test_scn_parses_process_nice_and_rlimits(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process A nice=-20 rlimit_msgqueue=0 rlimit_nofile=3 {}\n"
			 "process B nice=19 rlimit_msgqueue=0x7fffffffffffffff {}\n"
			 "process w[2] nice=-5 uid=1 start=1ms rlimit_nofile=16 {}\n"
			 "process C priority=3 {}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_procs, 5);
	CU_ASSERT_EQUAL(s->procs[0].nice, -20);
	CU_ASSERT_EQUAL(s->procs[0].rlimit_msgqueue, 0);
	CU_ASSERT_EQUAL(s->procs[0].rlimit_nofile, 3);
	CU_ASSERT_EQUAL(s->procs[1].nice, 19);
	CU_ASSERT_EQUAL(s->procs[1].rlimit_msgqueue, G_MAXINT64);
	CU_ASSERT_EQUAL(s->procs[1].rlimit_nofile, 1024);
	for (guint i = 2; i < 4; i++) {
		CU_ASSERT_EQUAL(s->procs[i].nice, -5); /* replicas share their options */
		CU_ASSERT_EQUAL(s->procs[i].rlimit_msgqueue, 819200);
		CU_ASSERT_EQUAL(s->procs[i].rlimit_nofile, 16);
		CU_ASSERT_EQUAL(s->procs[i].uid, 1);
	}
	CU_ASSERT_EQUAL(s->procs[4].priority, 3);
	CU_ASSERT_EQUAL(s->procs[4].nice, 0);
}

static void test_scn_parses_mq_open_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok(
		"process P {\n"
		"  mq_open \"/q\"\n"
		"  mq_open \"/q\" create excl wronly nonblock perm=0640 maxmsg=5 msgsize=64 -> a\n"
		"  mq_open \"/q\" -> b rdwr create\n"
		"  mq_open \"/q\" wronly_rdwr maxmsg=0 msgsize=-8 -> a\n"
		"  mq_open \"\" rdonly maxmsg=-1 msgsize=0\n"
		"  mq_open \"noslash\" create perm=0 -> c\n"
		"  mq_open \"/a/b\" msgsize=-1 maxmsg=3\n"
		"  print \"$a $b $c\"\n"
		"}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *bare = stmt_of(s, 0, 0), *all = stmt_of(s, 0, 1), *rdwr = stmt_of(s, 0, 2);
	const SimStmt *bad = stmt_of(s, 0, 3), *empty = stmt_of(s, 0, 4);
	CU_ASSERT_EQUAL(bare->kind, SIM_STMT_MQ_OPEN);
	CU_ASSERT_EQUAL(bare->loc.line, 2);
	CU_ASSERT_EQUAL(bare->loc.col, 3);
	CU_ASSERT_STRING_EQUAL(bare->text.literal, "/q");
	CU_ASSERT_EQUAL(bare->mq.flags, SIM_O_RDONLY); /* O_RDONLY is 0: no access word means it */
	CU_ASSERT_EQUAL(bare->mq.perm, 0600);
	CU_ASSERT_EQUAL(bare->mq.maxmsg, -1);
	CU_ASSERT_EQUAL(bare->mq.msgsize, -1);
	CU_ASSERT_EQUAL(bare->var, -1);
	CU_ASSERT_EQUAL(bare->ep.index, -1);
	CU_ASSERT_EQUAL(all->mq.flags, SIM_O_CREAT | SIM_O_EXCL | SIM_O_WRONLY | SIM_O_NONBLOCK);
	CU_ASSERT_EQUAL(all->mq.perm, 0640);
	CU_ASSERT_EQUAL(all->mq.maxmsg, 5);
	CU_ASSERT_EQUAL(all->mq.msgsize, 64);
	CU_ASSERT_EQUAL(all->var, 0);
	CU_ASSERT_EQUAL(rdwr->mq.flags, SIM_O_RDWR | SIM_O_CREAT);
	CU_ASSERT_EQUAL(rdwr->var, 1);
	CU_ASSERT_EQUAL(bad->mq.flags, SIM_O_ACCMODE3);
	CU_ASSERT_EQUAL(bad->mq.maxmsg, 0); /* the kernel's EINVAL is for the run to show */
	CU_ASSERT_EQUAL(bad->mq.msgsize, -8);
	CU_ASSERT_EQUAL(bad->var, 0);
	CU_ASSERT_STRING_EQUAL(empty->text.literal, "");
	CU_ASSERT_EQUAL(empty->mq.flags, SIM_O_RDONLY);
	CU_ASSERT_EQUAL(empty->mq.maxmsg, -1);
	CU_ASSERT_EQUAL(empty->mq.msgsize, 0);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 5)->text.literal, "noslash");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->mq.perm, 0);
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 0, 6)->text.literal, "/a/b");
	CU_ASSERT_EQUAL(stmt_of(s, 0, 6)->mq.maxmsg, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 6)->mq.msgsize, -1);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 3);
	for (guint i = 0; i < 3; i++)
		CU_ASSERT_TRUE(body->vars[i].is_int); /* descriptors are integers */
	CU_ASSERT_STRING_EQUAL(body->vars[2].name, "c");
}

static void test_scn_parses_mq_send_and_receive_forms(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process P {\n"
			 "  mq_send \"/b\" \"plain\"\n"
			 "  mq_send d \"all $i\" prio=32768 size=0 timeout=5ms\n"
			 "  mq_send \"/a\" \"x\" deadline=2s prio=0x7fffffffffffffff size=9\n"
			 "  mq_send d \"y\" timeout=bad\n"
			 "  mq_receive \"/a\"\n"
			 "  mq_receive d size=0 deadline=0ns -> m\n"
			 "  mq_receive d -> m timeout=bad size=8192\n"
			 "  mq_open \"/c\" -> d\n"
			 "  repeat 2 as i { mq_receive i timeout=0ns }\n"
			 "  print \"$m from $m.from\"  send $m \"thanks\"\n"
			 "}\n"
			 "posix queue \"/a\"\n"
			 "posix queue \"/b\"\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *plain = stmt_of(s, 0, 0), *all = stmt_of(s, 0, 1), *dl = stmt_of(s, 0, 2);
	const SimStmt *bad = stmt_of(s, 0, 3), *rbare = stmt_of(s, 0, 4), *r2 = stmt_of(s, 0, 5);
	const SimStmt *r3 = stmt_of(s, 0, 6);
	CU_ASSERT_EQUAL(plain->kind, SIM_STMT_MQ_SEND);
	CU_ASSERT_EQUAL(plain->ep.kind, SIM_EP_PQ);
	CU_ASSERT_EQUAL(plain->ep.index, 1); /* declared later: resolved at the end */
	CU_ASSERT_EQUAL(plain->ep.loc.line, 2);
	CU_ASSERT_EQUAL(plain->ep.loc.col, 11);
	CU_ASSERT_STRING_EQUAL(plain->text.literal, "plain");
	CU_ASSERT_EQUAL(plain->mq.prio, 0);
	CU_ASSERT_EQUAL(plain->mq.size, SIM_SIZE_UNSET);
	CU_ASSERT_EQUAL(plain->mq.timeout, SIM_TIMEOUT_NONE);
	CU_ASSERT_EQUAL(plain->mq.timeout_at, 0);
	CU_ASSERT_EQUAL(all->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(all->ep.index, 0);    /* the slot of d, used before it is set */
	CU_ASSERT_EQUAL(all->mq.prio, 32768); /* EINVAL at run time, which a scenario may test */
	CU_ASSERT_EQUAL(all->mq.size, 0);
	CU_ASSERT_EQUAL(all->mq.timeout, SIM_TIMEOUT_RELATIVE);
	CU_ASSERT_EQUAL(all->mq.timeout_at, 5 * SIM_MS);
	CU_ASSERT_EQUAL(all->text.n_parts, 2);
	CU_ASSERT_EQUAL(dl->ep.index, 0);
	CU_ASSERT_EQUAL(dl->mq.timeout, SIM_TIMEOUT_ABSOLUTE);
	CU_ASSERT_EQUAL(dl->mq.timeout_at, 2 * SIM_S);
	CU_ASSERT_EQUAL(dl->mq.prio, G_MAXINT64);
	CU_ASSERT_EQUAL(dl->mq.size, 9);
	CU_ASSERT_EQUAL(bad->mq.timeout, SIM_TIMEOUT_INVALID);
	CU_ASSERT_EQUAL(rbare->kind, SIM_STMT_MQ_RECEIVE);
	CU_ASSERT_EQUAL(rbare->ep.kind, SIM_EP_PQ);
	CU_ASSERT_EQUAL(rbare->ep.index, 0);
	CU_ASSERT_EQUAL(rbare->mq.size, SIM_SIZE_UNSET); /* the queue's msgsize, at run time */
	CU_ASSERT_EQUAL(rbare->var, -1);
	CU_ASSERT_EQUAL(rbare->mq.timeout, SIM_TIMEOUT_NONE);
	CU_ASSERT_EQUAL(r2->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(r2->mq.size, 0);
	CU_ASSERT_EQUAL(r2->mq.timeout, SIM_TIMEOUT_ABSOLUTE);
	CU_ASSERT_EQUAL(r2->mq.timeout_at, 0);
	CU_ASSERT_EQUAL(r2->var, 2);
	CU_ASSERT_EQUAL(r3->mq.timeout, SIM_TIMEOUT_INVALID);
	CU_ASSERT_EQUAL(r3->mq.size, 8192);
	CU_ASSERT_EQUAL(r3->var, 2);
	/* Any integer variable may name a descriptor, a repeat counter too. */
	const SimStmt *by_counter = &stmt_of(s, 0, 8)->ctl.body.stmts[0];
	CU_ASSERT_EQUAL(by_counter->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(by_counter->ep.index, 1);
	CU_ASSERT_EQUAL(by_counter->mq.timeout, SIM_TIMEOUT_RELATIVE);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 3);
	CU_ASSERT_STRING_EQUAL(body->vars[0].name, "d");
	CU_ASSERT_TRUE(body->vars[0].is_int);
	CU_ASSERT_STRING_EQUAL(body->vars[1].name, "i");
	CU_ASSERT_STRING_EQUAL(body->vars[2].name, "m");
	CU_ASSERT_FALSE(body->vars[2].is_int); /* a message, like receive's */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 9)->text.parts[2].kind, SIM_TEXT_VAR_FROM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 10)->ep.kind, SIM_EP_VAR);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 10)->ep.index, 2);
}

static void test_scn_parses_the_other_mq_calls(void)
{
	g_autoptr(SimScenario) s = parse_ok("posix queue \"/q\"\n"
					    "process P {\n"
					    "  mq_getattr \"/q\" mq_getattr d\n"
					    "  mq_setattr \"/q\" nonblock mq_setattr d block\n"
					    "  mq_notify \"/q\" signal=SIGUSR2 mq_notify d none\n"
					    "  mq_notify d off mq_notify d signal=SIGKILL\n"
					    "  mq_close d mq_close \"/q\"\n"
					    "  mq_unlink \"/q\" mq_unlink \"\" mq_unlink \"/.\"\n"
					    "  msgget key=1 -> d\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *b = &s->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 14);
	static const SimStmtKind kinds[] = {
		SIM_STMT_MQ_GETATTR, SIM_STMT_MQ_GETATTR, SIM_STMT_MQ_SETATTR, SIM_STMT_MQ_SETATTR,
		SIM_STMT_MQ_NOTIFY,  SIM_STMT_MQ_NOTIFY,  SIM_STMT_MQ_NOTIFY,  SIM_STMT_MQ_NOTIFY,
		SIM_STMT_MQ_CLOSE,   SIM_STMT_MQ_CLOSE,	  SIM_STMT_MQ_UNLINK,  SIM_STMT_MQ_UNLINK,
		SIM_STMT_MQ_UNLINK,  SIM_STMT_MSGGET,
	};
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		CU_ASSERT_EQUAL(b->stmts[i].kind, kinds[i]);
	for (guint i = 0; i < 10; i++) {
		/* A string is the declared queue, a word the variable (a queue id is an int). */
		CU_ASSERT_EQUAL(b->stmts[i].ep.kind,
				i == 0 || i == 2 || i == 4 || i == 9 ? SIM_EP_PQ : SIM_EP_FDVAR);
		CU_ASSERT_EQUAL(b->stmts[i].ep.index, 0);
	}
	CU_ASSERT_EQUAL(b->stmts[1].ep.loc.col, 30);
	CU_ASSERT_EQUAL(b->stmts[2].mq.flags, SIM_O_NONBLOCK);
	CU_ASSERT_EQUAL(b->stmts[3].mq.flags, 0);
	CU_ASSERT_EQUAL(b->stmts[4].mq.notify, SIM_NOTIFY_SIGNAL);
	CU_ASSERT_EQUAL(b->stmts[4].mq.sig, SIGUSR2);
	CU_ASSERT_EQUAL(b->stmts[5].mq.notify, SIM_NOTIFY_NONE);
	CU_ASSERT_EQUAL(b->stmts[5].mq.sig, 0);
	CU_ASSERT_EQUAL(b->stmts[6].mq.notify, SIM_NOTIFY_OFF);
	CU_ASSERT_EQUAL(b->stmts[7].mq.notify, SIM_NOTIFY_SIGNAL);
	CU_ASSERT_EQUAL(b->stmts[7].mq.sig, SIGKILL);
	CU_ASSERT_STRING_EQUAL(b->stmts[10].text.literal, "/q");
	CU_ASSERT_EQUAL(b->stmts[10].ep.index, -1);
	CU_ASSERT_STRING_EQUAL(b->stmts[11].text.literal, "");
	CU_ASSERT_STRING_EQUAL(b->stmts[12].text.literal, "/.");
	CU_ASSERT_EQUAL(s->n_stmts, 14);
}

static void test_scn_parses_on_handler_norestart(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  on SIGUSR1 handler norestart\n"
					    "  on SIGUSR2 handler\n"
					    "  on SIGALRM ignore\n"
					    "  on SIGTERM handler norestart exit\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->proc.action, SIM_SIG_HANDLER);
	CU_ASSERT_TRUE(stmt_of(s, 0, 0)->proc.norestart);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->proc.action, SIM_SIG_HANDLER);
	CU_ASSERT_FALSE(stmt_of(s, 0, 1)->proc.norestart); /* SA_RESTART, the default */
	CU_ASSERT_FALSE(stmt_of(s, 0, 2)->proc.norestart);
	CU_ASSERT_TRUE(stmt_of(s, 0, 3)->proc.norestart);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->kind, SIM_STMT_EXIT);
}

/* Every POSIX statement carries its family's defaults, and mq_open and mq_unlink their name
 * in the text; the other families' statements are not looked at. */
static void test_scn_every_statement_has_the_posix_defaults(void)
{
	g_autoptr(SimScenario) s = parse_ok(
		"mailbox A sysv queue Q key=1 posix queue \"/q\"\n"
		"process P {\n"
		"  send A \"x\" receive A compute 1ms sleep 1ms print \"p\"\n"
		"  repeat 1 { break } loop { break }\n"
		"  msgget key=2 msgsnd Q \"y\" msgrcv Q msgctl Q stat\n"
		"  kill P SIGTERM on SIGTERM handler ipcs\n"
		"  mq_open \"/q\" mq_send \"/q\" \"z\" mq_receive \"/q\" mq_getattr \"/q\"\n"
		"  mq_setattr \"/q\" block mq_notify \"/q\" none mq_close \"/q\"\n"
		"  mq_unlink \"/q\" exit\n"
		"}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *b = &s->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 23);
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (sim_call_desc(st->kind)->family != SIM_CALL_POSIX)
			continue;
		gboolean named = st->kind == SIM_STMT_MQ_OPEN || st->kind == SIM_STMT_MQ_UNLINK;
		CU_ASSERT_EQUAL(st->mq.maxmsg, -1);
		CU_ASSERT_EQUAL(st->mq.msgsize, -1);
		CU_ASSERT_EQUAL(st->mq.timeout, SIM_TIMEOUT_NONE);
		CU_ASSERT_EQUAL(st->mq.timeout_at, 0);
		CU_ASSERT_EQUAL(st->mq.size, SIM_SIZE_UNSET);
		CU_ASSERT_EQUAL(st->mq.perm, st->kind == SIM_STMT_MQ_OPEN ? 0600 : 0);
		CU_ASSERT_EQUAL(st->mq.flags, st->kind == SIM_STMT_MQ_OPEN ? SIM_O_RDONLY : 0);
		if (named)
			CU_ASSERT_STRING_EQUAL(st->text.literal, "/q");
		if (st->kind >= SIM_STMT_MQ_SEND && st->kind <= SIM_STMT_MQ_CLOSE)
			CU_ASSERT_EQUAL(st->ep.kind, SIM_EP_PQ);
	}
	CU_ASSERT_EQUAL(b->stmts[14].kind, SIM_STMT_MQ_OPEN);
	CU_ASSERT_EQUAL(b->stmts[14].var, -1);
	CU_ASSERT_EQUAL(b->stmts[15].mq.prio, 0);
	CU_ASSERT_EQUAL(b->stmts[16].kind, SIM_STMT_MQ_RECEIVE);
	CU_ASSERT_EQUAL(b->stmts[16].var, -1);
}

static void test_scn_parses_posix_expectations(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("expect \"/q\" curmsgs=1 maxmsg=10 msgsize=8192 qsize=5\n"
			 "expect \"/q\" notify_pid=R unlinked=yes\n"
			 "expect \"/made\" unlinked=no notify_pid=none curmsgs=0\n"
			 "expect A qnum=0\n"
			 "posix queue \"/q\"\n"
			 "mailbox A\n"
			 "process S { mq_send \"/q\" \"hello\" }\n"
			 "process R { mq_notify \"/q\" none mq_open \"/made\" create -> d }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_expects, 4);
	const SimScnExpect *e = s->expects;
	CU_ASSERT_EQUAL(e[0].kind, SIM_EXPECT_STATS);
	CU_ASSERT_STRING_EQUAL(e[0].mq_name, "/q");
	CU_ASSERT_EQUAL(e[0].mbox, -1);
	CU_ASSERT_EQUAL(e[0].sysvq, -1);
	CU_ASSERT_FALSE(e[0].by_key);
	CU_ASSERT_EQUAL_FATAL(e[0].n_stats, 4);
	static const SimExpectStat first[] = { { SIM_STAT_CURMSGS, 1 },
					       { SIM_STAT_MAXMSG, 10 },
					       { SIM_STAT_MSGSIZE, 8192 },
					       { SIM_STAT_QSIZE, 5 } };
	for (guint i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(e[0].stats[i].key, first[i].key);
		CU_ASSERT_EQUAL(e[0].stats[i].value, first[i].value);
	}
	CU_ASSERT_EQUAL_FATAL(e[1].n_stats, 2);
	CU_ASSERT_EQUAL(e[1].stats[0].key, SIM_STAT_NOTIFY_PID);
	CU_ASSERT_EQUAL(e[1].stats[0].value, 1); /* a process index */
	CU_ASSERT_EQUAL(e[1].stats[1].key, SIM_STAT_UNLINKED);
	CU_ASSERT_EQUAL(e[1].stats[1].value, 1);
	/* Not declared: mq_open may create it. */
	CU_ASSERT_STRING_EQUAL(e[2].mq_name, "/made");
	CU_ASSERT_EQUAL_FATAL(e[2].n_stats, 3);
	CU_ASSERT_EQUAL(e[2].stats[0].value, 0);
	CU_ASSERT_EQUAL(e[2].stats[1].key, SIM_STAT_NOTIFY_PID);
	CU_ASSERT_EQUAL(e[2].stats[1].value, -1);
	CU_ASSERT_PTR_NULL(e[3].mq_name);
	CU_ASSERT_EQUAL(e[3].mbox, 0);
}

/* The lecture's POSIX client and server: every new form in one file. */
static void test_scn_parses_a_posix_client_server(void)
{
	g_autoptr(SimScenario) ok =
		parse_ok("sysctl mq_msg_max=16 mq_queues_max=8\n"
			 "posix queue \"/server\" maxmsg=16 msgsize=64 perm=0622\n"
			 "process client[2] nice=5 uid=1000 start=1ms {\n"
			 "    @open mq_open \"/reply\" create rdonly maxmsg=1 msgsize=64 -> reply\n"
			 "    mq_send \"/server\" \"/reply from $self\" prio=1 timeout=10ms\n"
			 "    mq_receive reply -> answer\n"
			 "    mq_close reply  mq_unlink \"/reply\"\n"
			 "}\n"
			 "process server nice=-5 {\n"
			 "    on SIGUSR1 handler norestart\n"
			 "    mq_notify \"/server\" signal=SIGUSR1\n"
			 "    repeat 2 { mq_receive \"/server\" size=64 -> request\n"
			 "               mq_open \"/reply\" wronly -> back\n"
			 "               mq_send back \"served $request\"  mq_close back }\n"
			 "}\n"
			 "expect @open ok\n"
			 "expect \"/server\" curmsgs=0 notify_pid=none\n"
			 "expect client0 received [\"served /reply from client0\"]\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
	CU_ASSERT_EQUAL(ok->n_posixqs, 1);
	CU_ASSERT_EQUAL(ok->procs[0].nice, 5);
	CU_ASSERT_EQUAL(ok->procs[2].nice, -5);
	CU_ASSERT_EQUAL(ok->n_stmts, 12);
	CU_ASSERT_EQUAL(stmt_of(ok, 0, 2)->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(stmt_of(ok, 0, 2)->var, 1);
	const SimStmt *send_back = &stmt_of(ok, 2, 2)->ctl.body.stmts[2];
	CU_ASSERT_EQUAL(send_back->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(send_back->ep.index, 1);
	CU_ASSERT_EQUAL(send_back->text.parts[1].var, 0);
}

/* ---- Pipes, FIFOs and processes ---- */

static void test_scn_parses_pipe_and_every_descriptor_operand(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  close q.w\n"
					    "  pipe -> p\n"
					    "  pipe nonblock -> q\n"
					    "  pipe -> r nonblock\n"
					    "  close p.r close p.w\n"
					    "  close 0 close 1048576 close 0x10\n"
					    "  open \"/f\" -> fd close fd\n"
					    "  repeat 2 as i { close i }\n"
					    "  close p.r# a comment right after the end\n"
					    "  close\n    p.w\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *b = &s->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 14);
	/* A pipe end used before its pipe is set: the slot is known, the kind checked later. */
	const SimStmt *early = &b->stmts[0];
	CU_ASSERT_EQUAL(early->kind, SIM_STMT_CLOSE);
	CU_ASSERT_EQUAL(early->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(early->ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(early->ep.index, 0);
	CU_ASSERT_EQUAL(early->ep.loc.line, 2);
	CU_ASSERT_EQUAL(early->ep.loc.col, 9);
	const SimStmt *plain = &b->stmts[1], *nb = &b->stmts[2], *late = &b->stmts[3];
	CU_ASSERT_EQUAL(plain->kind, SIM_STMT_PIPE);
	CU_ASSERT_EQUAL(plain->file.flags, 0);
	CU_ASSERT_EQUAL(plain->var, 1);
	CU_ASSERT_EQUAL(nb->file.flags, SIM_O_NONBLOCK);
	CU_ASSERT_EQUAL(nb->var, 0);
	CU_ASSERT_EQUAL(late->file.flags, SIM_O_NONBLOCK);
	CU_ASSERT_EQUAL(late->var, 2);
	CU_ASSERT_EQUAL(b->stmts[4].ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(b->stmts[4].ep.fd_end, SIM_FD_READ);
	CU_ASSERT_EQUAL(b->stmts[4].ep.index, 1);
	CU_ASSERT_EQUAL(b->stmts[4].ep.loc.col, 9);
	CU_ASSERT_EQUAL(b->stmts[5].ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(b->stmts[5].ep.index, 1);
	static const int numbers[] = { 0, 1048576, 16 };
	for (guint i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(b->stmts[6 + i].ep.kind, SIM_EP_FDNUM);
		CU_ASSERT_EQUAL(b->stmts[6 + i].ep.index, numbers[i]);
		CU_ASSERT_EQUAL(b->stmts[6 + i].ep.fd_end, SIM_FD_PLAIN);
	}
	CU_ASSERT_EQUAL(b->stmts[10].ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(b->stmts[10].ep.fd_end, SIM_FD_PLAIN);
	CU_ASSERT_EQUAL(b->stmts[10].ep.index, 3);
	/* Any integer variable is a descriptor, a repeat counter too. */
	CU_ASSERT_EQUAL(b->stmts[11].ctl.body.stmts[0].ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(b->stmts[11].ctl.body.stmts[0].ep.index, 4);
	CU_ASSERT_EQUAL(b->stmts[12].ep.fd_end, SIM_FD_READ);
	CU_ASSERT_EQUAL(b->stmts[13].ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(b->stmts[13].ep.loc.line, 12);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 5);
	static const char *const names[] = { "q", "p", "r", "fd", "i" };
	for (guint i = 0; i < 5; i++) {
		CU_ASSERT_STRING_EQUAL(body->vars[i].name, names[i]);
		CU_ASSERT_TRUE(body->vars[i].is_int); /* a pipe is an integer variable too */
		CU_ASSERT_EQUAL(body->vars[i].is_pipe, i < 3);
	}
}

static void test_scn_parses_read_and_write_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  pipe -> p\n"
					    "  read p.r\n"
					    "  read p.r size=0 nonblock -> m\n"
					    "  read 3 -> m size=0x10\n"
					    "  write p.w \"hi $m\"\n"
					    "  write p.w \"abc\" size=7 nonblock\n"
					    "  write p.w size=65536\n"
					    "  write p.w nonblock size=0 \"late\"\n"
					    "  write 4 \"\"\n"
					    "  print \"$m from $m.from\" send $m \"thanks\"\n"
					    "  loop { read p.r -> m break if eof }\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *r0 = stmt_of(s, 0, 1), *r1 = stmt_of(s, 0, 2), *r2 = stmt_of(s, 0, 3);
	CU_ASSERT_EQUAL(r0->kind, SIM_STMT_READ);
	CU_ASSERT_EQUAL(r0->file.size, 4096);
	CU_ASSERT_FALSE(r0->file.nowait);
	CU_ASSERT_EQUAL(r0->var, -1);
	CU_ASSERT_EQUAL(r0->ep.fd_end, SIM_FD_READ);
	CU_ASSERT_EQUAL(r1->file.size, 0);
	CU_ASSERT_TRUE(r1->file.nowait);
	CU_ASSERT_EQUAL(r1->var, 1);
	CU_ASSERT_EQUAL(r1->file.flags, 0);
	CU_ASSERT_EQUAL(r2->ep.kind, SIM_EP_FDNUM);
	CU_ASSERT_EQUAL(r2->ep.index, 3);
	CU_ASSERT_EQUAL(r2->file.size, 16);
	CU_ASSERT_EQUAL(r2->var, 1);
	const SimStmt *w0 = stmt_of(s, 0, 4), *w1 = stmt_of(s, 0, 5), *w2 = stmt_of(s, 0, 6);
	const SimStmt *w3 = stmt_of(s, 0, 7), *w4 = stmt_of(s, 0, 8);
	CU_ASSERT_EQUAL(w0->kind, SIM_STMT_WRITE);
	CU_ASSERT_EQUAL(w0->ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(w0->file.size, SIM_SIZE_UNSET); /* the text's length */
	CU_ASSERT_FALSE(w0->file.nowait);
	CU_ASSERT_PTR_NULL(w0->text.literal);
	CU_ASSERT_EQUAL_FATAL(w0->text.n_parts, 2);
	CU_ASSERT_EQUAL(w0->text.parts[1].kind, SIM_TEXT_VAR);
	CU_ASSERT_EQUAL(w0->text.parts[1].var, 1);
	CU_ASSERT_STRING_EQUAL(w1->text.literal, "abc");
	CU_ASSERT_EQUAL(w1->file.size, 7);
	CU_ASSERT_TRUE(w1->file.nowait);
	/* No text at all: literal NULL and no parts. */
	CU_ASSERT_PTR_NULL(w2->text.literal);
	CU_ASSERT_EQUAL(w2->text.n_parts, 0);
	CU_ASSERT_EQUAL(w2->file.size, 65536);
	CU_ASSERT_STRING_EQUAL(w3->text.literal, "late");
	CU_ASSERT_EQUAL(w3->file.size, 0);
	CU_ASSERT_TRUE(w3->file.nowait);
	/* An empty text is a text. */
	CU_ASSERT_PTR_NOT_NULL(w4->text.literal);
	CU_ASSERT_STRING_EQUAL(w4->text.literal, "");
	CU_ASSERT_EQUAL(w4->ep.kind, SIM_EP_FDNUM);
	const SimScnBody *body = s->procs[0].body;
	CU_ASSERT_EQUAL_FATAL(body->n_vars, 2);
	CU_ASSERT_FALSE(body->vars[1].is_int); /* read -> m holds a message, like receive's */
	CU_ASSERT_FALSE(body->vars[1].is_pipe);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 10)->ep.kind, SIM_EP_VAR);
	/* `break if eof`: the read before it returned 0 bytes without an error. */
	const SimStmt *eof = &stmt_of(s, 0, 11)->ctl.body.stmts[1];
	CU_ASSERT_EQUAL(eof->kind, SIM_STMT_BREAK);
	CU_ASSERT_FALSE(eof->ctl.uncond);
	CU_ASSERT_EQUAL(eof->ctl.break_err, SIM_BREAK_EOF);
}

static void test_scn_parses_fcntl_and_ioctl(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  pipe -> p\n"
					    "  fcntl p.w getpipe_sz\n"
					    "  fcntl p.w setpipe_sz=65536\n"
					    "  fcntl p.r setpipe_sz=-1\n"
					    "  fcntl p.r nonblock\n"
					    "  fcntl 5 block\n"
					    "  ioctl p.r fionread\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	static const struct {
		SimStmtKind kind;
		const char *cmd; /* the fcntl command's word; NULL for ioctl */
		gint64 size;
	} want[] = {
		{ SIM_STMT_FCNTL, "getpipe_sz", -1 }, { SIM_STMT_FCNTL, "setpipe_sz", 65536 },
		{ SIM_STMT_FCNTL, "setpipe_sz", -1 }, /* EINVAL at run time */
		{ SIM_STMT_FCNTL, "nonblock", -1 },   { SIM_STMT_FCNTL, "block", -1 },
		{ SIM_STMT_IOCTL, NULL, -1 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		const SimStmt *st = stmt_of(s, 0, i + 1);
		CU_ASSERT_EQUAL(st->kind, want[i].kind);
		if (want[i].cmd)
			CU_ASSERT_STRING_EQUAL(sim_call_fcntl_word(st->file.fcntl), want[i].cmd);
		CU_ASSERT_EQUAL(st->file.size, want[i].size);
	}
	CU_ASSERT_PTR_NULL(sim_call_fcntl_word(1000)); /* past the last command */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.kind, SIM_EP_FDNUM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.index, 5);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 6)->ep.fd_end, SIM_FD_READ);
}

static void test_scn_parses_mkfifo_open_and_unlink(void)
{
	g_autoptr(SimScenario) s = parse_ok("process w[2] {\n"
					    "  mkfifo \"/tmp/f\"\n"
					    "  mkfifo \"/tmp/f$index\" perm=0600\n"
					    "  open \"/tmp/f\"\n"
					    "  open \"/tmp/f\" wronly nonblock -> fd\n"
					    "  open \"\" -> fd rdwr\n"
					    "  unlink \"/tmp/f$self\"\n"
					    "  unlink \"relative\"\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimStmt *m0 = stmt_of(s, 0, 0), *m1 = stmt_of(s, 0, 1);
	CU_ASSERT_EQUAL(m0->kind, SIM_STMT_MKFIFO);
	CU_ASSERT_STRING_EQUAL(m0->text.literal, "/tmp/f");
	CU_ASSERT_EQUAL(m0->file.perm, 0666);
	CU_ASSERT_EQUAL(m1->file.perm, 0600);
	CU_ASSERT_PTR_NULL(m1->text.literal);
	CU_ASSERT_EQUAL_FATAL(m1->text.n_parts, 2);
	CU_ASSERT_EQUAL(m1->text.parts[1].kind, SIM_TEXT_INDEX);
	const SimStmt *o0 = stmt_of(s, 0, 2), *o1 = stmt_of(s, 0, 3), *o2 = stmt_of(s, 0, 4);
	CU_ASSERT_EQUAL(o0->kind, SIM_STMT_OPEN);
	CU_ASSERT_EQUAL(o0->file.flags, SIM_O_RDONLY); /* O_RDONLY is 0: no access word means it */
	CU_ASSERT_EQUAL(o0->var, -1);
	CU_ASSERT_EQUAL(o1->file.flags, SIM_O_WRONLY | SIM_O_NONBLOCK);
	CU_ASSERT_EQUAL(o1->var, 0);
	CU_ASSERT_STRING_EQUAL(o2->text.literal, "");
	CU_ASSERT_EQUAL(o2->file.flags, SIM_O_RDWR);
	CU_ASSERT_EQUAL(o2->var, 0);
	const SimStmt *u0 = stmt_of(s, 0, 5), *u1 = stmt_of(s, 0, 6);
	CU_ASSERT_EQUAL(u0->kind, SIM_STMT_UNLINK);
	CU_ASSERT_EQUAL(u0->text.parts[1].kind, SIM_TEXT_SELF);
	CU_ASSERT_STRING_EQUAL(u1->text.literal, "relative");
	CU_ASSERT_TRUE(s->procs[0].body->vars[0].is_int);
	CU_ASSERT_FALSE(s->procs[0].body->vars[0].is_pipe);
}

/* The mq_* calls read their descriptor with the same operand parser as close and read. */
static void test_scn_mq_calls_take_every_descriptor_form(void)
{
	g_autoptr(SimScenario) s = parse_ok("posix queue \"/q\"\n"
					    "process P {\n"
					    "  pipe -> p\n"
					    "  mq_send 3 \"x\"\n"
					    "  mq_receive p.r -> m\n"
					    "  mq_getattr p.w\n"
					    "  mq_setattr \"/q\" block\n"
					    "  mq_close 0x7\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.kind, SIM_EP_FDNUM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.index, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->ep.kind, SIM_EP_FDVAR);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->ep.fd_end, SIM_FD_READ);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->ep.index, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 3)->ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->ep.kind, SIM_EP_PQ);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->ep.fd_end, SIM_FD_PLAIN);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.kind, SIM_EP_FDNUM);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->ep.index, 7);
}

/* Every file statement carries its family's defaults, and fork the slots its child
 * inherits; the other families' arguments are not looked at. */
static void test_scn_every_statement_has_the_pipe_defaults(void)
{
	g_autoptr(SimScenario) s = parse_ok(
		"mailbox A sysv queue Q key=1 posix queue \"/q\"\n"
		"process P {\n"
		"  send A \"x\" receive A compute 1ms sleep 1ms print \"p\"\n"
		"  repeat 1 { break } loop { break }\n"
		"  msgget key=2 msgsnd Q \"y\" msgrcv Q msgctl Q stat\n"
		"  kill P SIGTERM on SIGTERM handler ipcs\n"
		"  mq_open \"/q\" mq_send \"/q\" \"z\" mq_receive \"/q\" mq_getattr \"/q\"\n"
		"  mq_setattr \"/q\" block mq_notify \"/q\" none mq_close \"/q\" mq_unlink \"/q\"\n"
		"  pipe -> p close p.r read p.r write p.w \"w\" fcntl p.w getpipe_sz\n"
		"  ioctl p.r fionread fork c { } wait c mkfifo \"/f\" open \"/f\" unlink \"/f\"\n"
		"  exit\n"
		"}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const SimBlock *b = &s->procs[0].body->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 34);
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		CU_ASSERT_EQUAL(st->ep.fd_end,
				st->kind == SIM_STMT_CLOSE || st->kind == SIM_STMT_READ ||
						st->kind == SIM_STMT_IOCTL
					? SIM_FD_READ
				: st->kind == SIM_STMT_WRITE || st->kind == SIM_STMT_FCNTL
					? SIM_FD_WRITE
					: SIM_FD_PLAIN);
		if (st->kind == SIM_STMT_FORK)
			CU_ASSERT_EQUAL(st->proc.n_inherit, 1u);
		if (sim_call_desc(st->kind)->family != SIM_CALL_FILE)
			continue;
		CU_ASSERT_EQUAL(st->file.fcntl, 0u); /* the first command, or none (ioctl) */
		CU_ASSERT_EQUAL(st->file.size, st->kind == SIM_STMT_READ    ? 4096
					       : st->kind == SIM_STMT_WRITE ? SIM_SIZE_UNSET
									: -1);
		CU_ASSERT_EQUAL(st->file.perm, st->kind == SIM_STMT_MKFIFO ? 0666 : 0);
		CU_ASSERT_EQUAL(st->file.flags, st->kind == SIM_STMT_OPEN ? SIM_O_RDONLY : 0);
		CU_ASSERT_FALSE(st->file.nowait);
	}
	for (guint i = 0; i < 22; i++)
		CU_ASSERT_TRUE(b->stmts[i].kind < SIM_STMT_PIPE);
	for (guint i = 22; i < 33; i++)
		CU_ASSERT_EQUAL(b->stmts[i].kind, (SimStmtKind)(SIM_STMT_PIPE + (i - 22)));
	CU_ASSERT_EQUAL(b->stmts[22].var, 0);
	CU_ASSERT_EQUAL(b->stmts[29].var, -1); /* wait without -> */
	CU_ASSERT_EQUAL(b->stmts[29].ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(b->stmts[29].ep.index, 1);
	CU_ASSERT_EQUAL(s->procs[0].parent, -1);
	CU_ASSERT_EQUAL(s->procs[0].start, SIM_START_AT);
}

static void test_scn_fork_children_follow_their_parent_in_file_order(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process killer { kill b SIGTERM send a \"hi\" }\n"
			 "process P priority=4 uid=7 gid=8 caps=sys_resource start=2ms\n"
			 "          rlimit_msgqueue=100 rlimit_nofile=64 {\n"
			 "  fork a {\n"
			 "    fork a1 { fork a11 { exit 3 } }\n"
			 "    fork a2 { }\n"
			 "  }\n"
			 "  fork b { receive any }\n"
			 "}\n"
			 "process Q nice=-3 start=after(b) { fork q { } }\n"
			 "expect a11 exit=3\n"
			 "expect b killed=SIGTERM\n"
			 "expect q state=exited\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	static const struct {
		const char *name;
		int parent;
	} want[] = { { "killer", -1 }, { "P", -1 }, { "a", 1 },	 { "a1", 2 }, { "a11", 3 },
		     { "a2", 2 },      { "b", 1 },  { "Q", -1 }, { "q", 7 } };
	CU_ASSERT_EQUAL_FATAL(s->n_procs, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		const SimScnProc *pr = &s->procs[i];
		CU_ASSERT_STRING_EQUAL(pr->name, want[i].name);
		CU_ASSERT_EQUAL(pr->parent, want[i].parent);
		CU_ASSERT_EQUAL(sim_scn_find_proc(s, want[i].name), (int)i);
		if (want[i].parent < 0)
			continue;
		const SimScnProc *up = &s->procs[want[i].parent];
		CU_ASSERT_EQUAL(pr->start, SIM_START_FORK);
		CU_ASSERT_EQUAL(pr->start_time, 0);
		CU_ASSERT_EQUAL(pr->start_after, -1);
		CU_ASSERT_EQUAL(pr->replica, 0);
		CU_ASSERT_EQUAL(pr->priority, up->priority);
		CU_ASSERT_EQUAL(pr->nice, up->nice);
		CU_ASSERT_EQUAL(pr->uid, up->uid);
		CU_ASSERT_EQUAL(pr->gid, up->gid);
		CU_ASSERT_EQUAL(pr->caps, up->caps);
		CU_ASSERT_EQUAL(pr->rlimit_msgqueue, up->rlimit_msgqueue);
		CU_ASSERT_EQUAL(pr->rlimit_nofile, up->rlimit_nofile);
		CU_ASSERT_PTR_NOT_NULL(pr->body);
		CU_ASSERT_PTR_NOT_EQUAL(pr->body, up->body);
	}
	/* Options come from the declaration, down every generation; start does not. */
	CU_ASSERT_EQUAL(s->procs[4].priority, 4);
	CU_ASSERT_EQUAL(s->procs[4].uid, 7);
	CU_ASSERT_EQUAL(s->procs[4].gid, 8);
	CU_ASSERT_EQUAL(s->procs[4].caps, SIM_CAP_SYS_RESOURCE);
	CU_ASSERT_EQUAL(s->procs[4].rlimit_msgqueue, 100);
	CU_ASSERT_EQUAL(s->procs[4].rlimit_nofile, 64);
	CU_ASSERT_EQUAL(s->procs[1].start_time, 2 * SIM_MS);
	CU_ASSERT_EQUAL(s->procs[8].nice, -3);
	CU_ASSERT_EQUAL(s->procs[8].caps, SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN);
	CU_ASSERT_EQUAL(s->procs[7].start_after, 6);
	/* Every child has a body of its own. */
	CU_ASSERT_EQUAL(s->n_bodies, 9);
	/* The fork statements name their child; names used before the fork resolve. */
	const SimStmt *fa = stmt_of(s, 1, 0), *fb = stmt_of(s, 1, 1);
	CU_ASSERT_EQUAL(fa->kind, SIM_STMT_FORK);
	CU_ASSERT_EQUAL(fa->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(fa->ep.index, 2);
	CU_ASSERT_EQUAL(fa->ep.loc.line, 4);
	CU_ASSERT_EQUAL(fa->ep.loc.col, 8);
	CU_ASSERT_EQUAL(fb->ep.index, 6);
	CU_ASSERT_EQUAL(stmt_of(s, 2, 0)->ep.index, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 2, 1)->ep.index, 5);
	CU_ASSERT_EQUAL(stmt_of(s, 3, 0)->ep.index, 4);
	CU_ASSERT_EQUAL(s->procs[2].body->block.n_stmts, 2);
	CU_ASSERT_EQUAL(s->procs[5].body->block.n_stmts, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->ep.index, 6); /* kill b */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->ep.index, 2); /* send a */
	CU_ASSERT_EQUAL(s->expects[0].kind, SIM_EXPECT_EXIT);
	CU_ASSERT_EQUAL(s->expects[0].proc, 4);
	CU_ASSERT_EQUAL(s->expects[1].proc, 6);
	CU_ASSERT_EQUAL(s->expects[2].proc, 8);
}

static void test_scn_fork_body_inherits_the_parent_variables(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process P {\n"
			 "  receive any -> m\n"
			 "  pipe -> p\n"
			 "  repeat 2 as i { }\n"
			 "  fork c {\n"
			 "    close p.w\n"
			 "    read p.r -> m\n"
			 "    open \"/f\" -> fd\n"
			 "    print \"$m $i $fd\"\n"
			 "    fork g { print \"$fd $i\" close p.r receive any -> k }\n"
			 "  }\n"
			 "  open \"/g\" -> late\n"
			 "  fork d { }\n"
			 "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_procs, 4);
	const SimScnBody *pb = s->procs[0].body, *cb = s->procs[1].body;
	const SimScnBody *gb = s->procs[2].body, *db = s->procs[3].body;
	CU_ASSERT_STRING_EQUAL(s->procs[2].name, "g");
	/* The parent: m, p, i, then late (set after the first fork). */
	CU_ASSERT_EQUAL_FATAL(pb->n_vars, 4);
	CU_ASSERT_STRING_EQUAL(pb->vars[3].name, "late");
	const SimStmt *fc = stmt_of(s, 0, 3), *fd = stmt_of(s, 0, 5);
	CU_ASSERT_EQUAL(fc->proc.n_inherit, 3);
	CU_ASSERT_EQUAL(fd->proc.n_inherit, 4);
	/* The child starts with the same slots (names, kinds, numbers), then its own. */
	CU_ASSERT_EQUAL_FATAL(cb->n_vars, 4);
	for (guint i = 0; i < 3; i++) {
		CU_ASSERT_STRING_EQUAL(cb->vars[i].name, pb->vars[i].name);
		CU_ASSERT_EQUAL(cb->vars[i].is_int, pb->vars[i].is_int);
		CU_ASSERT_EQUAL(cb->vars[i].is_pipe, pb->vars[i].is_pipe);
	}
	CU_ASSERT_FALSE(cb->vars[0].is_int);
	CU_ASSERT_TRUE(cb->vars[1].is_pipe);
	CU_ASSERT_STRING_EQUAL(cb->vars[3].name, "fd");
	const SimStmt *close_w = stmt_of(s, 1, 0), *read_r = stmt_of(s, 1, 1);
	CU_ASSERT_EQUAL(close_w->ep.index, 1);
	CU_ASSERT_EQUAL(close_w->ep.fd_end, SIM_FD_WRITE);
	CU_ASSERT_EQUAL(read_r->var, 0); /* the inherited m */
	CU_ASSERT_EQUAL(stmt_of(s, 1, 2)->var, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 1, 3)->text.parts[2].var, 2);
	/* The grandchild inherits the child's slots, the child's own fd included. */
	CU_ASSERT_EQUAL(stmt_of(s, 1, 4)->proc.n_inherit, 4);
	CU_ASSERT_EQUAL_FATAL(gb->n_vars, 5);
	CU_ASSERT_STRING_EQUAL(gb->vars[3].name, "fd");
	CU_ASSERT_STRING_EQUAL(gb->vars[4].name, "k");
	CU_ASSERT_EQUAL(stmt_of(s, 2, 0)->text.parts[0].var, 3);
	CU_ASSERT_EQUAL(stmt_of(s, 2, 0)->text.parts[2].var, 2);
	CU_ASSERT_EQUAL(stmt_of(s, 2, 1)->ep.index, 1);
	/* A later fork sees the variables set by then. */
	CU_ASSERT_EQUAL_FATAL(db->n_vars, 4);
	CU_ASSERT_STRING_EQUAL(db->vars[3].name, "late");
	CU_ASSERT_EQUAL(db->block.n_stmts, 0);
}

static void test_scn_numbers_fork_bodies_and_keeps_their_labels_global(void)
{
	g_autoptr(SimScenario) s =
		parse_ok("process P {\n"
			 "  @first pipe -> p\n"
			 "  fork c { @in write p.w \"x\" fork g { @deep exit 2 } }\n"
			 "  @after wait c -> st\n"
			 "}\n"
			 "process Q { @q exit }\n"
			 "expect @in ok ret=1\n"
			 "expect @deep ok\n"
			 "expect @after ret=0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->n_stmts, 7);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 0)->id, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 1)->id, 1); /* fork c */
	CU_ASSERT_EQUAL(stmt_of(s, 1, 0)->id, 2); /* @in, in c */
	CU_ASSERT_EQUAL(stmt_of(s, 1, 1)->id, 3); /* fork g */
	CU_ASSERT_EQUAL(stmt_of(s, 2, 0)->id, 4); /* @deep, in g */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 2)->id, 5); /* @after */
	CU_ASSERT_EQUAL(stmt_of(s, 3, 0)->id, 6); /* Q, after the children in procs */
	CU_ASSERT_STRING_EQUAL(s->procs[3].name, "Q");
	CU_ASSERT_PTR_EQUAL(s->expects[0].stmt, stmt_of(s, 1, 0));
	CU_ASSERT_PTR_EQUAL(s->expects[1].stmt, stmt_of(s, 2, 0));
	CU_ASSERT_PTR_EQUAL(s->expects[2].stmt, stmt_of(s, 0, 2));
	CU_ASSERT_STRING_EQUAL(stmt_of(s, 2, 0)->label, "deep");
}

static void test_scn_parses_wait_forms(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P {\n"
					    "  wait b\n"
					    "  fork a { fork a1 { } wait a1 -> s }\n"
					    "  fork b { }\n"
					    "  repeat 2 as i { wait a }\n"
					    "  wait a -> i\n"
					    "  wait b -> st\n"
					    "  print \"$st\"\n"
					    "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_procs, 4);
	const SimStmt *early = stmt_of(s, 0, 0);
	CU_ASSERT_EQUAL(early->kind, SIM_STMT_WAIT);
	CU_ASSERT_EQUAL(early->ep.kind, SIM_EP_PROC);
	CU_ASSERT_EQUAL(early->ep.index, 3); /* a fork later in the body */
	CU_ASSERT_EQUAL(early->ep.loc.col, 8);
	CU_ASSERT_EQUAL(early->var, -1);
	const SimStmt *nested = stmt_of(s, 1, 1);
	CU_ASSERT_EQUAL(nested->ep.index, 2);
	CU_ASSERT_EQUAL(nested->var, 0);
	CU_ASSERT_TRUE(s->procs[1].body->vars[0].is_int);
	const SimStmt *in_loop = &stmt_of(s, 0, 3)->ctl.body.stmts[0];
	CU_ASSERT_EQUAL(in_loop->ep.index, 1);
	CU_ASSERT_EQUAL(in_loop->var, -1);
	/* An exit status is an integer: a repeat counter's variable may hold it. */
	CU_ASSERT_EQUAL(stmt_of(s, 0, 4)->var, 0);
	CU_ASSERT_EQUAL(stmt_of(s, 0, 5)->var, 1);
	CU_ASSERT_TRUE(s->procs[0].body->vars[1].is_int);
	CU_ASSERT_FALSE(s->procs[0].body->vars[1].is_pipe);
}

static void test_scn_parses_ret_exit_and_killed_expectations(void)
{
	g_autoptr(SimScenario) s = parse_ok("process P { @r read 3 fork c { exit 7 } }\n"
					    "expect @r ret=5\n"
					    "expect @r ok ret=0x10\n"
					    "expect @r errno=EAGAIN ret=-1\n"
					    "expect @r ret=2 blocked\n"
					    "expect @r errno=ok ret=3\n"
					    "expect @r ok\n"
					    "expect c exit=7\n"
					    "expect c exit=0\n"
					    "expect P killed=SIGKILL\n"
					    "expect c killed=SIGUSR1\n"
					    "expect P state=exited\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_expects, 11);
	const SimScnExpect *e = s->expects;
	static const struct {
		SimLabelResult result;
		gboolean check_ret;
		gint64 ret;
	} labels[] = {
		{ SIM_LABEL_ANY, TRUE, 5 },    { SIM_LABEL_OK, TRUE, 16 },
		{ SIM_LABEL_ERRNO, TRUE, -1 }, { SIM_LABEL_BLOCKED, TRUE, 2 },
		{ SIM_LABEL_OK, TRUE, 3 },     { SIM_LABEL_OK, FALSE, 0 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(labels); i++) {
		CU_ASSERT_EQUAL(e[i].kind, SIM_EXPECT_LABEL);
		CU_ASSERT_EQUAL(e[i].result, labels[i].result);
		CU_ASSERT_EQUAL(e[i].check_ret, labels[i].check_ret);
		CU_ASSERT_EQUAL(e[i].ret, labels[i].ret);
		CU_ASSERT_PTR_EQUAL(e[i].stmt, stmt_of(s, 0, 0));
	}
	CU_ASSERT_EQUAL(e[2].err, EAGAIN);
	static const struct {
		int proc;
		gint64 code;
		int sig;
	} exits[] = { { 1, 7, 0 }, { 1, 0, 0 }, { 0, -1, SIGKILL }, { 1, -1, SIGUSR1 } };
	for (guint i = 0; i < G_N_ELEMENTS(exits); i++) {
		const SimScnExpect *x = &e[6 + i];
		CU_ASSERT_EQUAL(x->kind, SIM_EXPECT_EXIT);
		CU_ASSERT_EQUAL(x->proc, exits[i].proc);
		CU_ASSERT_EQUAL(x->exit_code, exits[i].code);
		CU_ASSERT_EQUAL(x->exit_sig, exits[i].sig);
		CU_ASSERT_EQUAL(x->loc.line, 8 + i);
	}
	CU_ASSERT_EQUAL(e[10].kind, SIM_EXPECT_STATE);
	CU_ASSERT_FALSE(e[10].check_ret);
}

/* ---- Errors ---- */

static void test_scn_reports_syntax_errors_at_the_token_start(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n    sned A \"x\"\n}",
		  "x.scn:2:5: error: unknown statement 'sned' (expected " STMT_WORDS "): did you mean 'send'?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { Send A \"x\" }",
		  "x.scn:1:13: error: unknown statement 'Send' (expected " STMT_WORDS "): did you mean 'send'?" },
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
		  "direct, sysctl, mailbox, port, sysv, posix, file, user, process, expect, param or include): did you mean 'mailbox'?" },
		{ SIM_SCN_ERROR_SYNTAX, "send A \"x\"",
		  "x.scn:1:1: error: 'send' is a statement: statements go inside 'process NAME { "
		  "... }'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\n}",
		  "x.scn:2:1: error: expected a declaration (scheduler, cost, direct, sysctl, "
		  "mailbox, port, sysv, posix, file, user, process, expect, param or include), found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"abc",
		  "x.scn:1:19: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {\n  print \"abc\n}\n",
		  "x.scn:2:9: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A capacity=\"3",
		  "x.scn:1:20: error: unterminated string" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { sned }\nprocess Q { print \"abc",
		  "x.scn:1:13: error: unknown statement 'sned' (expected " STMT_WORDS "): did you mean 'send'?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { print \"\\377\" }",
		  "x.scn:1:19: error: expected a text in double quotes after 'print', found "
		  "'\"\\377\"' (a \\ escape in it makes bytes that are not text, a NUL or no "
		  "UTF-8: only the data of a message or a write may hold them)" },
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
		  "x.scn:1:24: error: unknown statement 'sned' (expected " STMT_WORDS "): did you mean 'send'?" },
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
		  "owner, order, waiters or deliver): did you mean 'capacity'?" },
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
		  "x.scn:1:11: error: unknown option 'priorty' for process (expected priority, "
		  "start, uid, gid, caps, nice, rlimit_msgqueue or rlimit_nofile): did you mean 'priority'?" },
		{ SIM_SCN_ERROR_SYNTAX, "cost syscal=1us",
		  "x.scn:1:6: error: unknown option 'syscal' for cost (expected syscall, switch or "
		  "byte): did you mean 'syscall'?" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A deliver=first-waitr",
		  "x.scn:1:19: error: bad deliver 'first-waitr': expected first-waiter, "
		  "round-robin, random, pair, exclusive or addressed: did you mean 'first-waiter'?" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A deliver=first - waiter",
		  "x.scn:1:19: error: bad deliver 'first': expected first-waiter, round-robin, "
		  "random, pair, exclusive or addressed" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A order=lifo",
		  "x.scn:1:17: error: bad order 'lifo': expected fifo or priority: did you mean 'fifo'?" },
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
		  "x.scn:1:7: error: expected a process, mailbox, port or SysV queue name, a POSIX "
		  "queue \"/name\", key=K, msqid=N, "
		  "@label, deadlock, no deadlock or time after 'expect', found end of file" },
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
		  "x.scn:2:19: error: expected '[', '{' or count=N after 'received', found '\"a\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received [\"a\" from 3]",
		  "x.scn:2:29: error: expected a process name after 'from', found '3'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x done",
		  "x.scn:2:11: error: expected ok, blocked, errno=NAME or ret=N after 'expect @x', "
		  "found 'done'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P finished",
		  "x.scn:2:10: error: expected received [...], state=STATE, exit=N, killed=SIGNAME "
		  "or a statistic like qnum=N after 'expect P', found 'finished'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P state=done",
		  "x.scn:2:16: error: bad state 'done': expected new, ready, running, blocked, "
		  "sleeping, exited or stopped" },
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
		  "x.scn:1:22: error: expected a number, a parameter, a variable or '(' in an expression, found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { receive any -> m print \"${m\" }",
		  "x.scn:1:37: error: expected '}' after '${m' in text, found end of text" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m print \"${m.fromx}\" }",
		  "x.scn:1:37: error: unknown field 'fromx' in '${m.fromx}' (expected type, prio, "
		  "sender, from or len)" },
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
		  "x.scn:1:21: error: bad time '99999999999s': too large (a time is at most "
		  "9223372036854775807ns, about 292 years)" },
		/* The largest whole second fits; one more overflows the nanoseconds. */
		{ SIM_SCN_ERROR_NUMBER, "process P { sleep 9223372036s sleep 9223372037s }",
		  "x.scn:1:37: error: bad time '9223372037s': too large (a time is at most "
		  "9223372036854775807ns, about 292 years)" },
		{ SIM_SCN_ERROR_NUMBER, "process P start=9223372036854775808ns { }",
		  "x.scn:1:17: error: bad time '9223372036854775808ns': too large (a time is at "
		  "most 9223372036854775807ns, about 292 years)" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" "
		  "timeout=18446744073709551616ns }",
		  "x.scn:2:38: error: bad time '18446744073709551616ns': too large (a time is at "
		  "most 9223372036854775807ns, about 292 years)" },
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
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect P received [-1 \"x\"]",
		  "x.scn:2:20: error: expected a message text in double quotes in the list after "
		  "'received', found '-'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { exit 256 }",
		  "x.scn:1:18: error: bad exit status '256': expected a whole number from 0 to "
		  "255" },
		{ SIM_SCN_ERROR_NUMBER, "process P { exit -1 }",
		  "x.scn:1:18: error: bad exit status '-1': expected a whole number from 0 to "
		  "255" },
		{ SIM_SCN_ERROR_NUMBER, "process w[0] {}",
		  "x.scn:1:11: error: bad replica count '0': expected a whole number from 1 to "
		  "1000000" },
		{ SIM_SCN_ERROR_NUMBER, "process w[1000001] {}",
		  "x.scn:1:11: error: bad replica count '1000001': expected a whole number from 1 "
		  "to 1000000" },
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
		  "x.scn:1:29: error: unknown errno name 'EFOO' (expected ok, eof or a name like "
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
		  "x.scn:2:8: error: expected a mailbox, port or SysV queue name before "
		  "statistics, "
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

static void test_scn_reports_sysv_declaration_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "sysv mailbox A",
		  "x.scn:1:6: error: expected 'queue' after 'sysv', found 'mailbox'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue 5 key=1",
		  "x.scn:1:12: error: expected a queue name after 'sysv queue', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q perm=0600",
		  "x.scn:1:12: error: sysv queue 'Q' needs key=K, key=private or "
		  "key=ftok(\"PATH\", "
		  "ID)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=0x100000000",
		  "x.scn:1:18: error: bad key '0x100000000': expected a key from 0 to 0xffffffff "
		  "(32 "
		  "bits)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=-1",
		  "x.scn:1:18: error: bad key '-1': expected a key from 0 to 0xffffffff (32 "
		  "bits)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=public",
		  "x.scn:1:18: error: bad key 'public': expected a number, private or "
		  "ftok(\"PATH\", ID)" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key={",
		  "x.scn:1:18: error: expected a number, private or ftok(\"PATH\", ID) after "
		  "'key=', found '{'" },
		{ SIM_SCN_ERROR_NUMBER, "file \"/f\"\nsysv queue Q key=ftok(\"/f\", 256)",
		  "x.scn:2:29: error: bad ftok id '256': expected a whole number from 0 to 255" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=ftok \"/f\"",
		  "x.scn:1:23: error: expected '(' after 'ftok', found '\"/f\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=ftok(f, 1)",
		  "x.scn:1:23: error: expected a file path in double quotes after 'ftok(', found "
		  "'f'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=ftok(\"/f\" 1)",
		  "x.scn:1:28: error: expected ',' after 'ftok(\"/f\"', found '1'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=ftok(\"/f\", 1",
		  "x.scn:1:30: error: expected ')' after the id of 'ftok(\"/f\", ...', found end "
		  "of "
		  "file" },
		{ SIM_SCN_ERROR_NAME, "file \"/a\"\nsysv queue Q key=ftok(\"/b\", 1)",
		  "x.scn:2:23: error: unknown file \"/b\": declare it with 'file \"/b\" dev=... "
		  "ino=...'" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1 perm=01000",
		  "x.scn:1:25: error: bad perm '01000': expected a mode from 0 to 0777 (permission "
		  "bits such as 0666)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1 perm=0800",
		  "x.scn:1:25: error: bad perm '0800': expected a whole number (decimal, 0x hex or "
		  "0 octal)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1 uid=-1",
		  "x.scn:1:24: error: bad uid '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1 owner=P",
		  "x.scn:1:20: error: unknown option 'owner' for sysv queue (expected key, perm, "
		  "uid "
		  "or gid)" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nsysv queue A key=1",
		  "x.scn:2:12: error: duplicate name 'A': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "sysv queue P key=1\nprocess P {}",
		  "x.scn:2:9: error: duplicate name 'P': already declared at 1:12" },
		{ SIM_SCN_ERROR_NAME, "sysv queue any key=1",
		  "x.scn:1:12: error: 'any' is a reserved word: it cannot name a SysV queue" },
		{ SIM_SCN_ERROR_MISUSE,
		  "sysctl msgmni=2\nsysv queue A key=private\nsysv queue B key=private\n"
		  "sysv queue C key=1",
		  "x.scn:4:12: error: sysv queue 'C' is one queue too many: sysctl msgmni=2 (at "
		  "1:8) allows 2 queues" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl msgmni=0",
		  "x.scn:1:15: error: bad msgmni '0': expected a whole number from 1 to 32768" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl msgmnb=-1",
		  "x.scn:1:15: error: bad msgmnb '-1': expected a whole number from 0 to "
		  "2147483647" },
		{ SIM_SCN_ERROR_SYNTAX, "sysctl msgmap=1",
		  "x.scn:1:8: error: unknown option 'msgmap' for sysctl (expected msgmax, msgmnb, "
		  "msgmni, mq_msg_max, mq_msgsize_max, mq_queues_max, mq_msg_default, "
		  "mq_msgsize_default, semmsl, semmns, semopm, semmni, shmmax, shmall, "
		  "shmmni, max_dgram_qlen, pipe_user_pages_soft or pipe_user_pages_hard): did "
		  "you mean 'msgmax'?" },
		{ SIM_SCN_ERROR_SYNTAX, "sysctl msgmax=1 msgmax=2",
		  "x.scn:1:17: error: repeated option 'msgmax': already given at 1:8" },
		{ SIM_SCN_ERROR_MISUSE, "sysctl\nsysctl msgmax=1",
		  "x.scn:2:1: error: duplicate 'sysctl': already declared at 1:1" },
		{ SIM_SCN_ERROR_SYNTAX, "file /tmp/x",
		  "x.scn:1:6: error: expected a file path in double quotes after 'file', found "
		  "'/'" },
		{ SIM_SCN_ERROR_SYNTAX, "file \"\"",
		  "x.scn:1:6: error: a file path cannot be empty" },
		{ SIM_SCN_ERROR_NAME, "file \"/a\"\nfile \"/a\" dev=2",
		  "x.scn:2:6: error: duplicate file \"/a\": already declared at 1:6" },
		{ SIM_SCN_ERROR_SYNTAX, "file \"/a\" inode=3",
		  "x.scn:1:11: error: unknown option 'inode' for file (expected dev or ino): did you mean 'ino'?" },
		{ SIM_SCN_ERROR_NUMBER, "file \"/a\" ino=-3",
		  "x.scn:1:15: error: bad ino '-3': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "user alice",
		  "x.scn:1:6: error: user 'alice' needs uid=N" },
		{ SIM_SCN_ERROR_SYNTAX, "user 5 uid=1",
		  "x.scn:1:6: error: expected a user name after 'user', found '5'" },
		{ SIM_SCN_ERROR_NAME, "user alice uid=1\nuser alice uid=2",
		  "x.scn:2:6: error: duplicate user 'alice': already declared at 1:6" },
		{ SIM_SCN_ERROR_NAME, "user alice uid=1\nuser bob uid=1",
		  "x.scn:2:10: error: duplicate uid 1: user 'alice' already has it (declared at "
		  "1:6)" },
		{ SIM_SCN_ERROR_NAME, "user admin uid=0",
		  "x.scn:1:12: error: uid 0 is always the user 'root': it cannot also be called "
		  "'admin'" },
		{ SIM_SCN_ERROR_NAME, "user root uid=5",
		  "x.scn:1:6: error: the user 'root' is always uid 0, not uid=5" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

/* Declarations are found by name (or uid) in a table: with thousands declared, a duplicate
 * still names the one it repeats, and the references find theirs. */
static void test_scn_finds_duplicates_among_many_declarations(void)
{
	static const struct {
		const char *kw, *dup, *error;
	} kinds[] = {
		{ "user", "user u700 uid=99999\n",
		  "x.scn:3002:6: error: duplicate user 'u700': already declared at 701:6" },
		{ "user", "user v uid=701\n",
		  "x.scn:3002:8: error: duplicate uid 701: user 'u700' already has it (declared at "
		  "701:6)" },
		{ "file", "file \"/f700\"\n",
		  "x.scn:3002:6: error: duplicate file \"/f700\": already declared at 701:6" },
		{ "posix", "posix queue \"/q700\"\n",
		  "x.scn:3002:13: error: duplicate posix queue \"/q700\": already declared at "
		  "701:13" },
	};
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		GString *text = g_string_new(NULL);
		for (guint i = 0; i < 3000; i++) {
			if (strcmp(kinds[k].kw, "user") == 0)
				g_string_append_printf(text, "user u%u uid=%u\n", i, i + 1);
			else if (strcmp(kinds[k].kw, "file") == 0)
				g_string_append_printf(text, "file \"/f%u\" ino=%u\n", i, i + 1);
			else
				g_string_append_printf(text, "posix queue \"/q%u\"\n", i);
		}
		g_string_append(text, "process p { }\n");
		g_string_append(text, kinds[k].dup);
		g_autoptr(GError) error = NULL;
		SimScenario *scn = sim_scn_parse("x.scn", text->str, text->len, &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_STRING_EQUAL(error->message, kinds[k].error);
		sim_scn_free(scn);
		g_string_free(text, TRUE);
	}
	/* References: the ftok key and the queue name find the last of 3000. */
	GString *text = g_string_new("sysctl mq_queues_max=5000\n");
	for (guint i = 0; i < 3000; i++)
		g_string_append_printf(text, "file \"/f%u\" ino=%u\nposix queue \"/q%u\"\n", i,
				       i + 1, i);
	g_string_append(text, "sysv queue s key=ftok(\"/f2999\", 1)\n"
			      "process p rlimit_nofile=4000 { mq_send \"/q2999\" \"x\" }\n");
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("x.scn", text->str, text->len, &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	CU_ASSERT_EQUAL(scn->sysvqs[0].key.file, 2999);
	CU_ASSERT_EQUAL(scn->bodies[0]->block.stmts[0].ep.index, 2999);
	sim_scn_free(scn);
	g_string_free(text, TRUE);
}

static void test_scn_reports_credential_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NUMBER, "process P uid=-1 {}",
		  "x.scn:1:15: error: bad uid '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "process P gid {}",
		  "x.scn:1:15: error: expected '=' after 'gid', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=root {}",
		  "x.scn:1:16: error: bad capability 'root': expected ipc_owner, sys_admin, "
		  "sys_resource, none or all" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=ipc-owner {}",
		  "x.scn:1:16: error: bad capability 'ipc-owner': expected ipc_owner, sys_admin, "
		  "sys_resource, none or all: did you mean 'ipc_owner'?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=ipc_owner,none {}",
		  "x.scn:1:26: error: 'none' cannot be listed with other capabilities: write "
		  "caps=none alone" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=all,sys_admin {}",
		  "x.scn:1:16: error: 'all' cannot be listed with other capabilities: write "
		  "caps=all alone" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=sys_admin,sys_admin {}",
		  "x.scn:1:26: error: repeated capability 'sys_admin'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P caps=ipc_owner, {}",
		  "x.scn:1:27: error: expected ipc_owner, sys_admin, sys_resource, none or all "
		  "after ',', found '{'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_sysv_statement_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget create }",
		  "x.scn:1:13: error: msgget needs key=K, key=private or key=ftok(\"PATH\", ID)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget key=1 key=2 }",
		  "x.scn:1:26: error: repeated option 'key': already given at 1:20" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget key=1 -> q -> r }",
		  "x.scn:1:31: error: repeated '->': already given at 1:26" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget key=1 -> 5 }",
		  "x.scn:1:29: error: expected a variable name after '->', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget key=1 excl=1 }",
		  "x.scn:1:30: error: unexpected '=' after 'excl': it takes no value" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgget key=1 perm=0666 mode=0600 }",
		  "x.scn:1:36: error: unknown option 'mode' for msgget (expected key, create, excl "
		  "or perm)" },
		{ SIM_SCN_ERROR_NAME, "process P { msgget key=ftok(\"/x\", 1) }",
		  "x.scn:1:29: error: unknown file \"/x\": declare it with 'file \"/x\" dev=... "
		  "ino=...'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { msgsnd \"x\" }",
		  "x.scn:1:20: error: expected a SysV queue name or a variable set by 'msgget ... "
		  "-> "
		  "v' after 'msgsnd', found '\"x\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgsnd Q type=1 }",
		  "x.scn:2:29: error: expected a text in double quotes after 'msgsnd Q', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgsnd Q \"x\" \"y\" }",
		  "x.scn:2:26: error: expected a statement or '}', found '\"y\"'" },
		{ SIM_SCN_ERROR_NUMBER,
		  "sysv queue Q key=1\nprocess P { msgsnd Q \"x\" size=-9223372036854775808 }",
		  "x.scn:2:31: error: bad size '-9223372036854775808': expected a whole number "
		  "of -9223372036854775807 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgsnd Q \"x\" prio=1 }",
		  "x.scn:2:26: error: unknown option 'prio' for msgsnd (expected type, size or "
		  "nowait)" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgrcv Q type=x }",
		  "x.scn:2:27: error: expected a number after 'type=', found 'x'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgrcv Q except=1 }",
		  "x.scn:2:28: error: unexpected '=' after 'except': it takes no value" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgrcv Q remove }",
		  "x.scn:2:22: error: unknown statement 'remove' (expected " STMT_WORDS ")" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgctl Q remove }",
		  "x.scn:2:22: error: bad msgctl command 'remove': expected stat, set, rmid, info, "
		  "msg_info, msg_stat or msg_stat_any" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgctl Q }",
		  "x.scn:2:22: error: expected stat, set, rmid, info, msg_info, msg_stat or "
		  "msg_stat_any after 'msgctl Q', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgctl Q stat mode=0600 }",
		  "x.scn:2:27: error: unexpected option 'mode' for msgctl stat: only 'msgctl Q "
		  "set' "
		  "takes qbytes=, mode=, uid= and gid=" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgctl Q set }",
		  "x.scn:2:22: error: 'msgctl Q set' needs at least one of qbytes=, mode=, uid= or "
		  "gid=" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1\nprocess P { msgctl Q set mode=0xfff }",
		  "x.scn:2:31: error: bad mode '0xfff': expected a mode from 0 to 0777 (permission "
		  "bits such as 0666)" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nprocess P { msgctl Q set owner=1 }",
		  "x.scn:2:26: error: unknown option 'owner' for msgctl set (expected qbytes, "
		  "mode, "
		  "uid or gid)" },
		{ SIM_SCN_ERROR_NAME, "process P { msgsnd q \"x\" }",
		  "x.scn:1:20: error: unknown SysV queue 'q': no `sysv queue` has that name and no "
		  "variable of this process is set by 'msgget ... -> q'" },
		{ SIM_SCN_ERROR_NAME, "process P { msgrcv q }\nprocess Q { msgget key=1 -> q }",
		  "x.scn:1:20: error: unknown SysV queue 'q': no `sysv queue` has that name and no "
		  "variable of this process is set by 'msgget ... -> q'" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nprocess P { msgsnd A \"x\" }",
		  "x.scn:2:20: error: 'A' is a mailbox, not a SysV queue: msgsnd needs a `sysv "
		  "queue` name or a variable set by 'msgget ... -> v'" },
		{ SIM_SCN_ERROR_NAME, "process P { msgget key=1 -> P msgrcv P }",
		  "x.scn:1:38: error: 'P' is a process, not a SysV queue: msgrcv needs a `sysv "
		  "queue` name or a variable set by 'msgget ... -> v'" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m msgctl m stat }",
		  "x.scn:1:37: error: variable 'm' holds a received message (set at 1:28), not a "
		  "queue id: msgctl needs a `sysv queue` name or a variable set by 'msgget ... -> "
		  "m'" },
		{ SIM_SCN_ERROR_NAME, "sysv queue q key=1\nprocess P { msgget key=2 -> q }",
		  "x.scn:2:29: error: variable 'q' has the name of the `sysv queue` declared at "
		  "1:12: rename one of them" },
		{ SIM_SCN_ERROR_NAME, "process P { msgrcv Q -> Q }\nsysv queue Q key=1",
		  "x.scn:1:25: error: variable 'Q' has the name of the `sysv queue` declared at "
		  "2:12: rename one of them" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nprocess P { send Q \"x\" }",
		  "x.scn:2:18: error: 'Q' is a SysV queue: send to it with 'msgsnd Q TEXT'" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nprocess P { receive Q }",
		  "x.scn:2:21: error: 'Q' is a SysV queue: receive from it with 'msgrcv Q'" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nmailbox A owner=Q",
		  "x.scn:2:17: error: expected a process name after 'owner=', found SysV queue "
		  "'Q'" },
		{ SIM_SCN_ERROR_NAME,
		  "sysv queue Q key=1\nprocess P { msgrcv Q -> m msgget key=1 -> m }",
		  "x.scn:2:43: error: variable 'm' already holds a received message (set at 2:25): "
		  "it cannot also hold a queue id" },
		{ SIM_SCN_ERROR_NAME,
		  "sysv queue Q key=1\nprocess P { msgget key=1 -> m msgrcv Q -> m }",
		  "x.scn:2:43: error: variable 'm' already holds a queue id (set at 2:29): it "
		  "cannot "
		  "also hold a received message" },
		{ SIM_SCN_ERROR_NAME, "process P { msgget key=1 -> q print \"$q.from\" }",
		  "x.scn:1:38: error: variable 'q' holds a queue id, not a message: '$q.from' "
		  "needs "
		  "a variable set by 'receive ... -> q' or 'msgrcv ... -> q'" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { msgget key=1 -> i } }",
		  "x.scn:1:45: error: variable 'i' already counts the enclosing repeat (at 1:25)" },
		{ SIM_SCN_ERROR_NAME, "process P { msgget key=1 -> self }",
		  "x.scn:1:29: error: 'self' is built in: it cannot name a variable" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_signal_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NAME, "process P { kill P SIGFOO }",
		  "x.scn:1:20: error: unknown signal 'SIGFOO' (expected a standard signal's name, "
		  "SIGHUP to SIGSYS, as signal(7) lists them): did you mean 'SIGFPE'?" },
		{ SIM_SCN_ERROR_NAME, "process P { kill P 9 }",
		  "x.scn:1:20: error: unknown signal '9' (expected a standard signal's name, "
		  "SIGHUP to SIGSYS, as signal(7) lists them)" },
		{ SIM_SCN_ERROR_NAME, "process P { kill P SIGRTMIN }",
		  "x.scn:1:20: error: unknown signal 'SIGRTMIN' (expected a standard signal's "
		  "name, SIGHUP to SIGSYS, as signal(7) lists them): did you mean 'SIGTTIN'?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { kill P }",
		  "x.scn:1:20: error: expected a signal name like SIGUSR1 after 'kill P', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { kill \"P\" SIGTERM }",
		  "x.scn:1:18: error: expected a process name after 'kill', found '\"P\"'" },
		{ SIM_SCN_ERROR_NAME, "process P { kill Q SIGTERM }",
		  "x.scn:1:18: error: unknown name 'Q': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "mailbox A process P { kill A SIGTERM }",
		  "x.scn:1:28: error: expected a process name after 'kill', found mailbox 'A'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { alarm -1 }",
		  "x.scn:1:19: error: bad seconds '-1': expected a whole number from 0 to "
		  "4294967295" },
		{ SIM_SCN_ERROR_NUMBER, "process P { alarm 4294967296 }",
		  "x.scn:1:19: error: bad seconds '4294967296': expected a whole number from 0 "
		  "to 4294967295" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { alarm }",
		  "x.scn:1:19: error: expected a number after 'alarm', found '}'" },
		{ SIM_SCN_ERROR_MISUSE, "process P { on SIGKILL ignore }",
		  "x.scn:1:16: error: SIGKILL cannot be caught or ignored: 'on SIGKILL' is not "
		  "allowed" },
		{ SIM_SCN_ERROR_MISUSE, "process P { on SIGSTOP default }",
		  "x.scn:1:16: error: SIGSTOP cannot be caught or ignored: 'on SIGSTOP' is not "
		  "allowed" },
		{ SIM_SCN_ERROR_NAME, "process P { on usr1 handler }",
		  "x.scn:1:16: error: unknown signal 'usr1' (expected a standard signal's name, "
		  "SIGHUP to SIGSYS, as signal(7) lists them)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on SIGUSR1 catch }",
		  "x.scn:1:24: error: bad signal action 'catch': expected default, ignore or "
		  "handler" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on SIGUSR1 }",
		  "x.scn:1:24: error: expected default, ignore or handler after 'on SIGUSR1', "
		  "found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on }",
		  "x.scn:1:16: error: expected a signal name like SIGUSR1 after 'on', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { ipcs -qq }",
		  "x.scn:1:18: error: bad ipcs option '-qq': expected -q, -p, -t, -l, -s, -m, -a, -c, "
		  "-u or -i" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { ipcs -pt }",
		  "x.scn:1:18: error: bad ipcs option '-pt': expected -q, -p, -t, -l, -s, -m, -a, -c, "
		  "-u or -i" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { ipcs - p }",
		  "x.scn:1:20: error: expected q, p, t, l, s, m, a, c, u or i right after the '-' of 'ipcs -', "
		  "found "
		  "'p'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { ipcs -}",
		  "x.scn:1:19: error: expected q, p, t, l, s, m, a, c, u or i right after the '-' of 'ipcs -', "
		  "found "
		  "'}'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_sysv_expectation_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_MISUSE, "sysv queue Q key=1\nexpect Q qnum=0 sent=1",
		  "x.scn:2:17: error: SysV queue 'Q' has no statistic 'sent' (expected qnum, "
		  "cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_MISUSE, "mailbox A\nexpect A cbytes=0",
		  "x.scn:2:10: error: mailbox 'A' has no statistic 'cbytes' (expected qnum, sent, "
		  "received, max_qnum or destroyed)" },
		{ SIM_SCN_ERROR_MISUSE, "expect A lspid=none\nport A owner=P\nprocess P {}",
		  "x.scn:1:10: error: port 'A' has no statistic 'lspid' (expected qnum, sent, "
		  "received, max_qnum or destroyed)" },
		{ SIM_SCN_ERROR_MISUSE, "expect key=0x10 qnum=0 destroyed=no",
		  "x.scn:1:24: error: a SysV queue has no statistic 'destroyed' (expected qnum, "
		  "cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nexpect Q qnm=1",
		  "x.scn:2:10: error: unknown option 'qnm' for SysV queue statistics (expected "
		  "qnum, cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_SYNTAX, "expect Q qnm=1\nsysv queue Q key=1",
		  "x.scn:1:10: error: unknown option 'qnm' for statistics (expected qnum, sent, "
		  "received, max_qnum, destroyed, cbytes, qbytes, lspid, lrpid, removed, id, "
		  "mode, key, uid, gid, cuid, cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_SYNTAX, "expect key=1 qnm=1",
		  "x.scn:1:14: error: unknown option 'qnm' for SysV queue statistics (expected "
		  "qnum, cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_NUMBER, "expect key=0 qnum=0",
		  "x.scn:1:12: error: bad key '0': expected a key from 1 to 0xffffffff (key 0 is "
		  "IPC_PRIVATE: no queue has it)" },
		{ SIM_SCN_ERROR_SYNTAX, "expect key=private qnum=0",
		  "x.scn:1:12: error: expected a key number after 'expect key=', found 'private'" },
		{ SIM_SCN_ERROR_SYNTAX, "expect key=0x10",
		  "x.scn:1:16: error: expected a statistic like qnum=N after 'expect key=0x10', "
		  "found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nexpect Q removed=maybe",
		  "x.scn:2:18: error: bad removed 'maybe': expected no or yes" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nexpect Q lspid=5",
		  "x.scn:2:16: error: expected a process name or none after 'lspid=', found '5'" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nexpect Q lrpid=R",
		  "x.scn:2:16: error: unknown name 'R': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nmailbox M\nexpect Q lspid=M",
		  "x.scn:3:16: error: expected a process name after 'lspid=', found mailbox 'M'" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1\nexpect Q mode=01777",
		  "x.scn:2:15: error: bad mode '01777': expected a mode from 0 to 0777 (permission "
		  "bits such as 0666)" },
		{ SIM_SCN_ERROR_NUMBER, "sysv queue Q key=1\nexpect Q cbytes=-5",
		  "x.scn:2:17: error: bad cbytes '-5': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_NAME, "expect Z qnum=0",
		  "x.scn:1:8: error: unknown name 'Z': no mailbox, port or SysV queue has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "sysv queue Q key=1\nexpect Q received []",
		  "x.scn:2:8: error: expected a process name before 'received', found SysV queue "
		  "'Q'" },
		{ SIM_SCN_ERROR_SYNTAX, "sysv queue Q key=1\nexpect Q qnum=1 qnum=2",
		  "x.scn:2:17: error: repeated option 'qnum': already given at 2:10" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_posix_declaration_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "posix mailbox \"/q\"",
		  "x.scn:1:7: error: expected 'queue' after 'posix', found 'mailbox'" },
		{ SIM_SCN_ERROR_SYNTAX, "posix queue q",
		  "x.scn:1:13: error: expected a queue name in double quotes, like \"/q\", after "
		  "'posix queue', found 'q'" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"q\"",
		  "x.scn:1:13: error: bad POSIX queue name \"q\": it must start with '/' (mq_open "
		  "refuses it with EINVAL)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"\"",
		  "x.scn:1:13: error: bad POSIX queue name \"\": it must start with '/' (mq_open "
		  "refuses it with EINVAL)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/\"",
		  "x.scn:1:13: error: bad POSIX queue name \"/\": the name after the '/' is "
		  "missing "
		  "(mq_open refuses it with ENOENT)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/a/b\"",
		  "x.scn:1:13: error: bad POSIX queue name \"/a/b\": only its first character may "
		  "be '/' (mq_open refuses it with EACCES)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"//\"",
		  "x.scn:1:13: error: bad POSIX queue name \"//\": only its first character may be "
		  "'/' (mq_open refuses it with EACCES)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/..\"",
		  "x.scn:1:13: error: bad POSIX queue name \"/..\": \".\" and \"..\" cannot be "
		  "names "
		  "(mq_open refuses it with EACCES)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/.\"",
		  "x.scn:1:13: error: bad POSIX queue name \"/.\": \".\" and \"..\" cannot be "
		  "names "
		  "(mq_open refuses it with EACCES)" },
		{ SIM_SCN_ERROR_NAME,
		  "posix queue \"/0123456789012345678901234567890123456789012345678901234567890123"
		  "4567890123456789012345678901234567890123456789012345678901234567890123456789012"
		  "3456789012345678901234567890123456789012345678901234567890123456789012345678901"
		  "2345678901234567890123456789012345\"",
		  "x.scn:1:13: error: bad POSIX queue name: 256 bytes after the '/', more than 255 "
		  "(mq_open refuses it with ENAMETOOLONG)" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/q\"\nposix queue \"/q\" maxmsg=2",
		  "x.scn:2:13: error: duplicate posix queue \"/q\": already declared at 1:13" },
		{ SIM_SCN_ERROR_NUMBER, "posix queue \"/q\" maxmsg=0",
		  "x.scn:1:25: error: bad maxmsg '0': expected a whole number of 1 or more" },
		{ SIM_SCN_ERROR_NUMBER, "posix queue \"/q\" msgsize=-1",
		  "x.scn:1:26: error: bad msgsize '-1': expected a whole number of 1 or more" },
		{ SIM_SCN_ERROR_NUMBER, "posix queue \"/q\" perm=01000",
		  "x.scn:1:23: error: bad perm '01000': expected a mode from 0 to 0777 (permission "
		  "bits such as 0666)" },
		{ SIM_SCN_ERROR_NUMBER, "posix queue \"/q\" gid=-1",
		  "x.scn:1:22: error: bad gid '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "posix queue \"/q\" key=1",
		  "x.scn:1:18: error: unknown option 'key' for posix queue (expected maxmsg, "
		  "msgsize, perm, uid or gid)" },
		{ SIM_SCN_ERROR_SYNTAX, "posix queue \"/q\" maxmsg=1 maxmsg=2",
		  "x.scn:1:27: error: repeated option 'maxmsg': already given at 1:18" },
		{ SIM_SCN_ERROR_MISUSE, "posix queue \"/q\" maxmsg=11 msgsize=16",
		  "x.scn:1:18: error: maxmsg=11 is above the default mq_msg_max=10: posix queue "
		  "\"/q\" could not be created (mq_open fails with EINVAL without sys_resource)" },
		{ SIM_SCN_ERROR_MISUSE,
		  "posix queue \"/q\" msgsize=4096\nsysctl mq_msgsize_default=4096 "
		  "mq_msgsize_max=2048",
		  "x.scn:1:18: error: msgsize=4096 is above sysctl mq_msgsize_max=2048 (at 2:32): "
		  "posix queue \"/q\" could not be created (mq_open fails with EINVAL without "
		  "sys_resource)" },
		{ SIM_SCN_ERROR_MISUSE,
		  "sysctl mq_queues_max=2\nposix queue \"/a\"\nposix queue \"/b\"\nposix queue "
		  "\"/c\"",
		  "x.scn:4:13: error: posix queue \"/c\" is one queue too many: sysctl "
		  "mq_queues_max=2 (at 1:8) allows 2 queues" },
		{ SIM_SCN_ERROR_MISUSE, "sysctl mq_queues_max=0 posix queue \"/a\"",
		  "x.scn:1:36: error: posix queue \"/a\" is one queue too many: sysctl "
		  "mq_queues_max=0 (at 1:8) allows 0 queues" },
		{ SIM_SCN_ERROR_MISUSE,
		  "posix queue \"/a\" posix queue \"/b\"\nprocess P {}\nprocess w[2] "
		  "rlimit_nofile=4 {}",
		  "x.scn:3:9: error: process 'w0' has rlimit_nofile=4: too few descriptors for the "
		  "2 declared posix queues, which every process holds open after 0, 1 and 2 (give "
		  "rlimit_nofile=5 or more)" },
		{ SIM_SCN_ERROR_MISUSE, "process P rlimit_nofile=0 {}\nposix queue \"/a\"",
		  "x.scn:1:9: error: process 'P' has rlimit_nofile=0: too few descriptors for the "
		  "1 declared posix queue, which every process holds open after 0, 1 and 2 (give "
		  "rlimit_nofile=4 or more)" },
		{ SIM_SCN_ERROR_SYNTAX, "sysctl mq_msg_max=1 mq_msg_max=2",
		  "x.scn:1:21: error: repeated option 'mq_msg_max': already given at 1:8" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl mq_msg_max=0",
		  "x.scn:1:19: error: bad mq_msg_max '0': expected a whole number from 1 to "
		  "65536" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl mq_msg_default=65537",
		  "x.scn:1:23: error: bad mq_msg_default '65537': expected a whole number from 1 "
		  "to "
		  "65536" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl mq_msgsize_max=127",
		  "x.scn:1:23: error: bad mq_msgsize_max '127': expected a whole number from 128 "
		  "to "
		  "16777216" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl mq_msgsize_default=0x1000001",
		  "x.scn:1:27: error: bad mq_msgsize_default '0x1000001': expected a whole number "
		  "from 128 to 16777216" },
		{ SIM_SCN_ERROR_NUMBER, "sysctl mq_queues_max=-1",
		  "x.scn:1:22: error: bad mq_queues_max '-1': expected a whole number from 0 to "
		  "2147483647" },
		{ SIM_SCN_ERROR_NUMBER, "process P nice=20 {}",
		  "x.scn:1:16: error: bad nice '20': expected a whole number from -20 to 19" },
		{ SIM_SCN_ERROR_NUMBER, "process P nice=-21 {}",
		  "x.scn:1:16: error: bad nice '-21': expected a whole number from -20 to 19" },
		{ SIM_SCN_ERROR_MISUSE, "process P priority=1 nice=-5 {}",
		  "x.scn:1:22: error: 'nice=' cannot be given with 'priority=' (at 1:11): a "
		  "process "
		  "has a nice value or a priority, not both" },
		{ SIM_SCN_ERROR_MISUSE, "process w[2] nice=0 start=1ms priority=0 {}",
		  "x.scn:1:31: error: 'priority=' cannot be given with 'nice=' (at 1:14): a "
		  "process "
		  "has a nice value or a priority, not both" },
		{ SIM_SCN_ERROR_NUMBER, "process P rlimit_msgqueue=-1 {}",
		  "x.scn:1:27: error: bad rlimit_msgqueue '-1': expected a whole number of 0 or "
		  "more" },
		{ SIM_SCN_ERROR_SYNTAX, "process P rlimit_nofile=lots {}",
		  "x.scn:1:25: error: expected a number after 'rlimit_nofile=', found 'lots'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { posix queue \"/q\" }",
		  "x.scn:1:13: error: 'posix' starts a declaration, not a statement: is the '}' "
		  "for "
		  "the '{' at 1:11 missing?" },
		{ SIM_SCN_ERROR_SYNTAX, "mq_open \"/q\"",
		  "x.scn:1:1: error: 'mq_open' is a statement: statements go inside 'process NAME "
		  "{ ... }'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_posix_statement_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open q }",
		  "x.scn:1:21: error: expected a queue name in double quotes, like \"/q\", after "
		  "'mq_open', found 'q'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_unlink }",
		  "x.scn:1:23: error: expected a queue name in double quotes, like \"/q\", after "
		  "'mq_unlink', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" rdonly wronly }",
		  "x.scn:1:33: error: a second access mode 'wronly' (after 'rdonly' at 1:26): "
		  "mq_open takes one of rdonly, wronly, rdwr or wronly_rdwr" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" wronly_rdwr rdwr }",
		  "x.scn:1:38: error: a second access mode 'rdwr' (after 'wronly_rdwr' at 1:26): "
		  "mq_open takes one of rdonly, wronly, rdwr or wronly_rdwr" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" rdwr rdwr }",
		  "x.scn:1:31: error: repeated option 'rdwr': already given at 1:26" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" create maxmsg=5 }",
		  "x.scn:1:33: error: maxmsg= needs msgsize= too: they are mq_open's struct "
		  "mq_attr, given both or not at all" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" msgsize=5 -> d }",
		  "x.scn:1:26: error: msgsize= needs maxmsg= too: they are mq_open's struct "
		  "mq_attr, given both or not at all" },
		{ SIM_SCN_ERROR_NUMBER, "process P { mq_open \"/q\" create maxmsg=-1 msgsize=-1 }",
		  "x.scn:1:33: error: maxmsg=-1 msgsize=-1 cannot be told from no mq_attr at all "
		  "(the defaults): for the kernel's EINVAL give a value below 1 other than -1, "
		  "like maxmsg=0" },
		{ SIM_SCN_ERROR_NUMBER,
		  "process P { mq_open \"/q\" maxmsg=-99999999999999999999 msgsize=1 }",
		  "x.scn:1:33: error: bad maxmsg '-99999999999999999999': too small (at least "
		  "-9223372036854775808)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" mode=0600 }",
		  "x.scn:1:26: error: unknown option 'mode' for mq_open (expected create, excl, "
		  "rdonly, wronly, rdwr, wronly_rdwr, nonblock, perm, maxmsg or msgsize)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" create=1 }",
		  "x.scn:1:32: error: unexpected '=' after 'create': it takes no value" },
		{ SIM_SCN_ERROR_NUMBER, "process P { mq_open \"/q\" perm=0800 }",
		  "x.scn:1:31: error: bad perm '0800': expected a whole number (decimal, 0x hex or "
		  "0 octal)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d -> e }",
		  "x.scn:1:31: error: repeated '->': already given at 1:26" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> \"d\" }",
		  "x.scn:1:29: error: expected a variable name after '->', found '\"d\"'" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m mq_open \"/q\" -> m }",
		  "x.scn:1:46: error: variable 'm' already holds a received message (set at 1:28): "
		  "it cannot also hold a descriptor" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_open \"/q\" -> d mq_receive d -> d }",
		  "x.scn:1:47: error: variable 'd' already holds a descriptor (set at 1:29): it "
		  "cannot also hold a received message" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { mq_open \"/q\" -> i } }",
		  "x.scn:1:45: error: variable 'i' already counts the enclosing repeat (at 1:25)" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_open \"/q\" -> index }",
		  "x.scn:1:29: error: 'index' is built in: it cannot name a variable" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_send { \"x\" }",
		  "x.scn:1:21: error: expected a `posix queue` \"/name\", a variable set by "
		  "'mq_open ... -> d' or a descriptor number after 'mq_send', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_close }",
		  "x.scn:1:22: error: expected a `posix queue` \"/name\", a variable set by "
		  "'mq_open ... -> d' or a descriptor number after 'mq_close', found '}'" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_send \"/x\" \"hi\" }",
		  "x.scn:1:21: error: unknown POSIX queue \"/x\": declare it with 'posix queue "
		  "\"/x\"' or open it with 'mq_open \"/x\" ... -> d' and use d" },
		{ SIM_SCN_ERROR_NAME, "posix queue \"/x\"\nprocess P { mq_getattr \"x\" }",
		  "x.scn:2:24: error: unknown POSIX queue \"x\": declare it with 'posix queue "
		  "\"x\"' "
		  "or open it with 'mq_open \"x\" ... -> d' and use d" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_send d \"hi\" }",
		  "x.scn:1:21: error: unknown variable 'd' in 'mq_send d' (variables here: none): "
		  "set it with 'mq_open \"/name\" ... -> d', or name a `posix queue` by its "
		  "\"/name\"" },
		{ SIM_SCN_ERROR_NAME,
		  "process P { mq_open \"/a\" -> a repeat 2 as i { mq_receive q -> m } }",
		  "x.scn:1:58: error: unknown variable 'q' in 'mq_receive q' (variables here: a, "
		  "i, m): set it with 'mq_open \"/name\" ... -> q', or name a `posix queue` by its "
		  "\"/name\"" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_close q }\nprocess Q { mq_open \"/q\" -> q }",
		  "x.scn:1:22: error: unknown variable 'q' in 'mq_close q' (variables here: none): "
		  "set it with 'mq_open \"/name\" ... -> q', or name a `posix queue` by its "
		  "\"/name\"" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_setattr m block receive any -> m }",
		  "x.scn:1:24: error: variable 'm' holds a received message (set at 1:47), not a "
		  "descriptor: mq_setattr needs a `posix queue` \"/name\" or a variable set by "
		  "'mq_open ... -> m'" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_open \"/q\" -> d print \"$d.from\" }",
		  "x.scn:1:38: error: variable 'd' holds a descriptor, not a message: '$d.from' "
		  "needs a variable set by 'receive ... -> d' or 'mq_receive ... -> d'" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_open \"/q\" -> d send $d \"x\" }",
		  "x.scn:1:36: error: variable 'd' holds a descriptor, not a message: 'send $d' "
		  "needs a variable set by 'receive ... -> d' or 'mq_receive ... -> d'" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_send self \"x\" }",
		  "x.scn:1:21: error: unknown variable 'self' in 'mq_send self' (variables here: "
		  "none): set it with 'mq_open \"/name\" ... -> self', or name a `posix queue` by "
		  "its \"/name\"" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" prio=1 \"x\" }",
		  "x.scn:2:26: error: expected a text in double quotes after 'mq_send \"/q\"', "
		  "found "
		  "'prio'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d mq_send d }",
		  "x.scn:1:41: error: expected a text in double quotes after 'mq_send d', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" nowait }",
		  "x.scn:2:30: error: 'nowait' is not an option of mq_send: the call does not "
		  "block when its descriptor is non-blocking ('mq_open ... nonblock' or "
		  "'mq_setattr D nonblock')" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" -> m nowait }",
		  "x.scn:2:34: error: 'nowait' is not an option of mq_receive: the call does not "
		  "block when its descriptor is non-blocking ('mq_open ... nonblock' or "
		  "'mq_setattr D nonblock')" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" nowait=1 }",
		  "x.scn:2:29: error: unknown option 'nowait' for mq_receive (expected size, "
		  "timeout, deadline or fill)" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" type=1 }",
		  "x.scn:2:30: error: unknown option 'type' for mq_send (expected prio, size, "
		  "timeout or deadline)" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" prio=-1 }",
		  "x.scn:2:35: error: bad prio '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" prio=99999999999999999999 "
		  "}",
		  "x.scn:2:35: error: bad prio '99999999999999999999': too large (at most "
		  "9223372036854775807)" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" prio=$i }",
		  "x.scn:2:35: error: expected a number after 'prio=', found '$'" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" size=-9223372036854775808 }",
		  "x.scn:2:34: error: bad size '-9223372036854775808': expected a whole number "
		  "of -9223372036854775807 or more" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" timeout=1ms deadline=2ms }",
		  "x.scn:2:42: error: 'deadline=' cannot be given with 'timeout=' (at 2:30): a "
		  "call has one timeout" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" deadline=1ms -> m timeout=bad "
		  "}",
		  "x.scn:2:47: error: 'timeout=' cannot be given with 'deadline=' (at 2:29): a "
		  "call has one timeout" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" timeout=1ms timeout=2ms }",
		  "x.scn:2:41: error: repeated option 'timeout': already given at 2:29" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" timeout=worse }",
		  "x.scn:2:37: error: bad time 'worse': expected a number with a unit ns, us, ms "
		  "or "
		  "s" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" timeout=5 }",
		  "x.scn:2:37: error: bad time '5': the unit is missing (expected a number with a "
		  "unit ns, us, ms or s)" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" timeout=}",
		  "x.scn:2:38: error: expected a time like 5ms or bad after 'timeout=', found "
		  "'}'" },
		{ SIM_SCN_ERROR_NUMBER,
		  "posix queue \"/q\"\nprocess P { mq_send \"/q\" \"x\" deadline=bad }",
		  "x.scn:2:39: error: bad deadline 'bad': a malformed timeout is written "
		  "timeout=bad" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" deadline=-1ms }",
		  "x.scn:2:38: error: expected a time like 5ms after 'deadline=', found '-'" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "posix queue \"/q\"\nprocess P { mq_receive \"/q\" -> m -> n }",
		  "x.scn:2:34: error: repeated '->': already given at 2:29" },
		{ SIM_SCN_ERROR_SYNTAX, "posix queue \"/q\"\nprocess P { mq_setattr \"/q\" }",
		  "x.scn:2:29: error: expected nonblock or block after 'mq_setattr \"/q\"', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d mq_setattr d rdwr }",
		  "x.scn:1:44: error: bad mq_setattr flag 'rdwr': expected nonblock or block" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d mq_notify d }",
		  "x.scn:1:43: error: expected signal=SIGNAME, none or off after 'mq_notify d', "
		  "found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d mq_notify d thread }",
		  "x.scn:1:50: error: expected a thread name after 'thread', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX,
		  "process P { mq_open \"/q\" -> d mq_notify d signal SIGUSR1 }",
		  "x.scn:1:50: error: expected '=' after 'signal', found 'SIGUSR1'" },
		{ SIM_SCN_ERROR_NAME, "process P { mq_open \"/q\" -> d mq_notify d signal=USR1 }",
		  "x.scn:1:50: error: unknown signal 'USR1' (expected a standard signal's name, "
		  "SIGHUP to SIGSYS, as signal(7) lists them): did you mean 'SIGUSR1'?" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_open \"/q\" -> d mq_notify d signal= }",
		  "x.scn:1:51: error: expected a signal name like SIGUSR1 after 'signal=', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on SIGUSR1 ignore norestart }",
		  "x.scn:1:31: error: unexpected 'norestart' after 'on SIGUSR1 ignore': only "
		  "'handler' takes it (a handler without SA_RESTART)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on SIGUSR1 default norestart }",
		  "x.scn:1:32: error: unexpected 'norestart' after 'on SIGUSR1 default': only "
		  "'handler' takes it (a handler without SA_RESTART)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { on SIGUSR1 norestart }",
		  "x.scn:1:24: error: bad signal action 'norestart': expected default, ignore or "
		  "handler" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mq_close \"/q\" \"/r\" }",
		  "x.scn:1:27: error: expected a statement or '}', found '\"/r\"'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_posix_expectation_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NAME, "expect \"q\" curmsgs=0",
		  "x.scn:1:8: error: bad POSIX queue name \"q\": it must start with '/' (mq_open "
		  "refuses it with EINVAL)" },
		{ SIM_SCN_ERROR_NAME, "expect \"/a/b\" curmsgs=0",
		  "x.scn:1:8: error: bad POSIX queue name \"/a/b\": only its first character may "
		  "be "
		  "'/' (mq_open refuses it with EACCES)" },
		{ SIM_SCN_ERROR_SYNTAX, "expect \"/q\"",
		  "x.scn:1:12: error: expected a statistic like curmsgs=N after 'expect \"/q\"', "
		  "found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "process P {}\nexpect \"/q\" received []",
		  "x.scn:2:13: error: expected a statistic like curmsgs=N after 'expect \"/q\"', "
		  "found 'received'" },
		{ SIM_SCN_ERROR_SYNTAX, "expect \"/q\" curmsg=1",
		  "x.scn:1:13: error: unknown option 'curmsg' for POSIX queue statistics (expected "
		  "curmsgs, maxmsg, msgsize, qsize, notify_pid or unlinked)" },
		{ SIM_SCN_ERROR_MISUSE, "expect \"/q\" curmsgs=0 qnum=0",
		  "x.scn:1:23: error: POSIX queue \"/q\" has no statistic 'qnum' (expected "
		  "curmsgs, "
		  "maxmsg, msgsize, qsize, notify_pid or unlinked)" },
		{ SIM_SCN_ERROR_MISUSE, "expect \"/q\" removed=no",
		  "x.scn:1:13: error: POSIX queue \"/q\" has no statistic 'removed' (expected "
		  "curmsgs, maxmsg, msgsize, qsize, notify_pid or unlinked)" },
		{ SIM_SCN_ERROR_MISUSE, "mailbox A\nexpect A curmsgs=0",
		  "x.scn:2:10: error: mailbox 'A' has no statistic 'curmsgs' (expected qnum, sent, "
		  "received, max_qnum or destroyed)" },
		{ SIM_SCN_ERROR_MISUSE, "expect Q unlinked=no\nsysv queue Q key=1",
		  "x.scn:1:10: error: SysV queue 'Q' has no statistic 'unlinked' (expected qnum, "
		  "cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_MISUSE, "expect key=0x10 notify_pid=none",
		  "x.scn:1:17: error: a SysV queue has no statistic 'notify_pid' (expected qnum, "
		  "cbytes, qbytes, lspid, lrpid, removed, id, mode, key, uid, gid, cuid, "
		  "cgid, stime, rtime or ctime)" },
		{ SIM_SCN_ERROR_SYNTAX, "expect \"/q\" notify_pid=3",
		  "x.scn:1:24: error: expected a process name or none after 'notify_pid=', found "
		  "'3'" },
		{ SIM_SCN_ERROR_NAME, "expect \"/q\" notify_pid=R",
		  "x.scn:1:24: error: unknown name 'R': no mailbox, port or process has that "
		  "name" },
		{ SIM_SCN_ERROR_NAME, "mailbox M\nexpect \"/q\" notify_pid=M",
		  "x.scn:2:24: error: expected a process name after 'notify_pid=', found mailbox "
		  "'M'" },
		{ SIM_SCN_ERROR_SYNTAX, "expect \"/q\" unlinked=maybe",
		  "x.scn:1:22: error: bad unlinked 'maybe': expected no or yes" },
		{ SIM_SCN_ERROR_NUMBER, "expect \"/q\" qsize=-1",
		  "x.scn:1:19: error: bad qsize '-1': expected a whole number of 0 or more" },
		{ SIM_SCN_ERROR_SYNTAX, "expect \"/q\" maxmsg=1 maxmsg=2",
		  "x.scn:1:22: error: repeated option 'maxmsg': already given at 1:13" },
		{ SIM_SCN_ERROR_SYNTAX, "expect Q curmsg=1",
		  "x.scn:1:10: error: unknown option 'curmsg' for statistics (expected qnum, sent, "
		  "received, max_qnum, destroyed, cbytes, qbytes, lspid, lrpid, removed, id, "
		  "mode, key, uid, gid, cuid, cgid, stime, rtime or ctime)" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_pipe_statement_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe }",
		  "x.scn:1:18: error: expected '-> VAR' after 'pipe' (a pipe needs a "
		  "variable for its ends, VAR.r and VAR.w), found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe nonblock p }",
		  "x.scn:1:27: error: expected '-> VAR' after 'pipe' (a pipe needs a "
		  "variable for its ends, VAR.r and VAR.w), found 'p'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> 5 }",
		  "x.scn:1:21: error: expected a variable name after '->', found '5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p -> q }",
		  "x.scn:1:23: error: repeated '->': already given at 1:18" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p nonblock nonblock }",
		  "x.scn:1:32: error: repeated option 'nonblock': already given at 1:23" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p nowait }",
		  "x.scn:1:23: error: 'nowait' is not an option of pipe: write "
		  "'nonblock' (O_NONBLOCK on both ends)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { close }",
		  "x.scn:1:19: error: expected a descriptor after 'close': a variable "
		  "set by 'open ... -> d', a pipe end like p.r or p.w, or a number, found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { close \"/q\" }",
		  "x.scn:1:19: error: expected a descriptor after 'close': a variable "
		  "set by 'open ... -> d', a pipe end like p.r or p.w, or a number, found "
		  "'\"/q\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { close $p }",
		  "x.scn:1:19: error: expected a descriptor after 'close': a variable "
		  "set by 'open ... -> d', a pipe end like p.r or p.w, or a number, found '$'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { close -2147483649 }",
		  "x.scn:1:19: error: bad descriptor '-2147483649': expected a descriptor from "
		  "-2147483648 to 2147483647 (an int)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { close 2147483648 }",
		  "x.scn:1:19: error: bad descriptor '2147483648': expected a descriptor "
		  "from -2147483648 to 2147483647 (an int)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { close 99999999999999999999 }",
		  "x.scn:1:19: error: bad descriptor '99999999999999999999': too large "
		  "(at most 9223372036854775807)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { close 08 }",
		  "x.scn:1:19: error: bad descriptor '08': expected a whole number "
		  "(decimal, 0x hex or 0 octal)" },
		{ SIM_SCN_ERROR_NUMBER, "process P { close 3.5 }",
		  "x.scn:1:19: error: bad descriptor '3.5': a descriptor number is a "
		  "whole number; only a pipe variable has ends (p.r, p.w)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p.x }",
		  "x.scn:1:31: error: expected r or w right after 'p.' (a pipe end is "
		  "written p.r or p.w, without blanks), found 'x'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p.r2 }",
		  "x.scn:1:31: error: expected r or w right after 'p.' (a pipe end is "
		  "written p.r or p.w, without blanks), found 'r2'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p. r }",
		  "x.scn:1:32: error: expected r or w right after 'p.' (a pipe end is "
		  "written p.r or p.w, without blanks), found 'r'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p.}",
		  "x.scn:1:31: error: expected r or w right after 'p.' (a pipe end is "
		  "written p.r or p.w, without blanks), found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p .r }",
		  "x.scn:1:31: error: expected a pipe end written p.r or p.w, without "
		  "blanks, after 'close p', found '.'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p close p.r.w }",
		  "x.scn:1:32: error: expected a statement or '}', found '.'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p read }",
		  "x.scn:1:28: error: expected a descriptor after 'read': a variable set "
		  "by 'open ... -> d', a pipe end like p.r or p.w, or a number, found '}'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { pipe -> p read p.r fill=256 }",
		  "x.scn:1:37: error: bad fill '256': expected a whole number from 0 to 255" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p read p.r nowait }",
		  "x.scn:1:32: error: 'nowait' is not an option of read: write "
		  "'nonblock' for this call alone, or 'fcntl D nonblock' for every call on the "
		  "descriptor" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p read p.r -> m -> n }",
		  "x.scn:1:37: error: repeated '->': already given at 1:32" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p read p.r count=3 }",
		  "x.scn:1:32: error: unknown option 'count' for read (expected size, "
		  "nonblock or fill)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p read p.r nonblock=1 }",
		  "x.scn:1:40: error: unexpected '=' after 'nonblock': it takes no value" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p write p.w }",
		  "x.scn:1:33: error: expected a text in double quotes or size=N after "
		  "'write p.w', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p write p.w nonblock }",
		  "x.scn:1:42: error: expected a text in double quotes or size=N after "
		  "'write p.w', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p write p.w \"x\" nowait }",
		  "x.scn:1:37: error: 'nowait' is not an option of write: write "
		  "'nonblock' for this call alone, or 'fcntl D nonblock' for every call on the "
		  "descriptor" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p write p.w size=1 size=2 }",
		  "x.scn:1:40: error: repeated option 'size': already given at 1:33" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { write 1 \"a\" \"b\" }",
		  "x.scn:1:25: error: expected a statement or '}', found '\"b\"'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w }",
		  "x.scn:1:33: error: expected getpipe_sz, setpipe_sz=N, nonblock, block, "
		  "getfl, setfl=FLAGS, getfd or setfd=FLAGS after 'fcntl p.w', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w setpipe_sz }",
		  "x.scn:1:44: error: expected '=' after 'setpipe_sz', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w setpipe_sz=x }",
		  "x.scn:1:44: error: expected a number after 'setpipe_sz=', found 'x'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w nonblock=1 }",
		  "x.scn:1:41: error: unexpected '=' after 'nonblock': it takes no value" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w getpipe }",
		  "x.scn:1:33: error: bad fcntl command 'getpipe': expected getpipe_sz, "
		  "setpipe_sz=N, nonblock, block, getfl, setfl=FLAGS, getfd or setfd=FLAGS" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.w nonblock block }",
		  "x.scn:1:42: error: a second fcntl command 'block' (after 'nonblock' "
		  "at 1:33): fcntl takes one of getpipe_sz, setpipe_sz=N, nonblock, block, "
		  "getfl, setfl=FLAGS, getfd or setfd=FLAGS" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p dup2 p.r 1 }",
		  "x.scn:1:32: error: dup2 onto 1: descriptors 0, 1 and 2 are the standard streams, "
		  "which scenarios do not have" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p fcntl p.r fionread }",
		  "x.scn:1:33: error: 'fionread' is a request of ioctl, not a command of "
		  "fcntl: write 'ioctl D fionread'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p ioctl p.r }",
		  "x.scn:1:33: error: expected fionread after 'ioctl p.r', found '}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { pipe -> p ioctl p.r fionbio }",
		  "x.scn:1:33: error: bad ioctl request 'fionbio': expected fionread" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mkfifo /tmp/f }",
		  "x.scn:1:20: error: expected a path in double quotes, like "
		  "\"/tmp/fifo\", after 'mkfifo', found '/'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { mkfifo \"/f\" perm=01000 }",
		  "x.scn:1:30: error: bad perm '01000': expected a mode from 0 to 0777 "
		  "(permission bits such as 0666)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { mkfifo \"/f\" mode=0600 }",
		  "x.scn:1:25: error: unknown option 'mode' for mkfifo (expected perm)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { open f }",
		  "x.scn:1:18: error: expected a path in double quotes, like "
		  "\"/tmp/fifo\", after 'open', found 'f'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { open \"/f\" rdonly wronly }",
		  "x.scn:1:30: error: a second access mode 'wronly' (after 'rdonly' at "
		  "1:23): open takes one of rdonly, wronly or rdwr" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { open \"/f\" create }",
		  "x.scn:1:23: error: 'create' is not an option of open: it opens a FIFO "
		  "that exists (make one with 'mkfifo PATH')" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { open \"/f\" wronly_rdwr=1 }",
		  "x.scn:1:23: error: unknown option 'wronly_rdwr' for open (expected "
		  "rdonly, wronly, rdwr, nonblock, trunc or cloexec)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { unlink 5 }",
		  "x.scn:1:20: error: expected a path in double quotes, like "
		  "\"/tmp/fifo\", after 'unlink', found '5'" },
		{ SIM_SCN_ERROR_NUMBER, "posix queue \"/q\"\nprocess P { mq_send 4294967295 \"x\" }",
		  "x.scn:2:21: error: bad descriptor '4294967295': expected a descriptor "
		  "from -2147483648 to 2147483647 (an int)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { loop { break if } }",
		  "x.scn:1:29: error: expected ok, eof or an errno name like EAGAIN after 'break "
		  "if', found '}'" },
		{ SIM_SCN_ERROR_NAME, "process P { loop { break if EOF } }",
		  "x.scn:1:29: error: unknown errno name 'EOF' (expected ok, eof or a name like "
		  "EAGAIN, ENOMSG, EIDRM, EPERM or EBUSY)" },
		{ SIM_SCN_ERROR_NAME, "process P { @x exit }\nexpect @x errno=eof",
		  "x.scn:2:17: error: unknown errno name 'eof' (expected ok or a name like "
		  "EAGAIN, ENOMSG, EIDRM, EPERM or EBUSY)" },
		{ SIM_SCN_ERROR_SYNTAX, "pipe -> p",
		  "x.scn:1:1: error: 'pipe' is a statement: statements go inside "
		  "'process NAME { ... }'" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_pipe_variable_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p close p }",
		  "x.scn:1:29: error: variable 'p' holds a pipe (set at 1:21), not one "
		  "descriptor: write p.r (the read end) or p.w (the write end) in 'close p'" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p mq_send p \"x\" }",
		  "x.scn:1:31: error: variable 'p' holds a pipe (set at 1:21), not one "
		  "descriptor: write p.r (the read end) or p.w (the write end) in 'mq_send p'" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p print \"got $p\" }",
		  "x.scn:1:34: error: variable 'p' holds a pipe (set at 1:21), which a "
		  "text cannot show: '$p' needs an integer or message variable (the pipe's "
		  "descriptors are written p.r and p.w, as in 'close p.w')" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p mkfifo \"/f$p\" }",
		  "x.scn:1:33: error: variable 'p' holds a pipe (set at 1:21), which a "
		  "text cannot show: '$p' needs an integer or message variable (the pipe's "
		  "descriptors are written p.r and p.w, as in 'close p.w')" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p print \"$p.from\" }",
		  "x.scn:1:30: error: variable 'p' holds a pipe, not a message: "
		  "'$p.from' needs a variable set by 'receive ... -> p' or 'read ... -> p'" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p send $p \"x\" }",
		  "x.scn:1:28: error: variable 'p' holds a pipe, not a message: 'send "
		  "$p' needs a variable set by 'receive ... -> p' or 'read ... -> p'" },
		{ SIM_SCN_ERROR_NAME, "process P { wait c -> s send $s \"x\" fork c { } }",
		  "x.scn:1:30: error: variable 's' holds an exit status, not a message: "
		  "'send $s' needs a variable set by 'receive ... -> s' or 'read ... -> s'" },
		{ SIM_SCN_ERROR_NAME, "process P { open \"/f\" -> d read d.r }",
		  "x.scn:1:33: error: variable 'd' holds a descriptor (set at 1:26), not "
		  "a pipe: 'read d.r' needs a variable set by 'pipe -> d'" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m close m.w }",
		  "x.scn:1:36: error: variable 'm' holds a received message (set at "
		  "1:28), not a pipe: 'close m.w' needs a variable set by 'pipe -> m'" },
		{ SIM_SCN_ERROR_NAME, "process P { repeat 2 as i { write i.w \"x\" } }",
		  "x.scn:1:35: error: variable 'i' counts a repeat (set at 1:25), not a "
		  "pipe: 'write i.w' needs a variable set by 'pipe -> i'" },
		{ SIM_SCN_ERROR_NAME, "process P { read x.r }",
		  "x.scn:1:18: error: unknown variable 'x' in 'read x.r' (variables "
		  "here: none): set it with 'pipe -> x'" },
		{ SIM_SCN_ERROR_NAME, "process P { open \"/f\" -> fd close f }",
		  "x.scn:1:35: error: unknown variable 'f' in 'close f' (variables here: "
		  "fd): set it with 'open \"PATH\" ... -> f', or write a pipe end like p.r or a "
		  "descriptor number" },
		{ SIM_SCN_ERROR_NAME, "process P { close m receive any -> m }",
		  "x.scn:1:19: error: variable 'm' holds a received message (set at "
		  "1:36), not a descriptor: close needs a variable set by 'open ... -> m', a "
		  "pipe end like p.r or a descriptor number" },
		{ SIM_SCN_ERROR_NAME, "process P { open \"/f\" -> d pipe -> d }",
		  "x.scn:1:36: error: variable 'd' already holds a descriptor (set at "
		  "1:26): it cannot also hold a pipe" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p repeat 2 as p { } }",
		  "x.scn:1:35: error: variable 'p' already holds a pipe (set at 1:21): "
		  "it cannot also count a repeat" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p read p.r -> p }",
		  "x.scn:1:35: error: variable 'p' already holds a pipe (set at 1:21): "
		  "it cannot also hold a received message" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p open \"/f\" -> p }",
		  "x.scn:1:36: error: variable 'p' already holds a pipe (set at 1:21): "
		  "it cannot also hold a descriptor" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> self }",
		  "x.scn:1:21: error: 'self' is built in: it cannot name a variable" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p msgsnd p \"x\" }",
		  "x.scn:1:30: error: variable 'p' holds a pipe (set at 1:21), not a "
		  "queue id: msgsnd needs a `sysv queue` name or a variable set by 'msgget ... "
		  "-> p'" },
		{ SIM_SCN_ERROR_NAME, "process P { fork c { } receive any -> m wait c -> m }",
		  "x.scn:1:51: error: variable 'm' already holds a received message (set "
		  "at 1:39): it cannot also hold an exit status" },
		{ SIM_SCN_ERROR_NAME, "process P { close p.w print \"$p\" pipe -> p }",
		  "x.scn:1:30: error: variable 'p' holds a pipe (set at 1:42), which a "
		  "text cannot show: '$p' needs an integer or message variable (the pipe's "
		  "descriptors are written p.r and p.w, as in 'close p.w')" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_fork_and_wait_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_MISUSE, "process P { repeat 2 { fork c { } } }",
		  "x.scn:1:24: error: 'fork' inside a repeat or loop: each fork names "
		  "one child, so it runs at most once (expected it outside every repeat and "
		  "loop)" },
		{ SIM_SCN_ERROR_MISUSE, "process P { fork a { loop { break fork b { } } } }",
		  "x.scn:1:35: error: 'fork' inside a repeat or loop: each fork names "
		  "one child, so it runs at most once (expected it outside every repeat and "
		  "loop)" },
		{ SIM_SCN_ERROR_MISUSE, "process w[3] {\n  fork c { }\n}",
		  "x.scn:2:3: error: 'fork' in replicated process 'w[3]': each fork "
		  "names one child, and 3 replicas cannot all make it (expected fork in a "
		  "process that is not replicated)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { fork { } }",
		  "x.scn:1:18: error: expected a process name after 'fork', found '{'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { fork c }",
		  "x.scn:1:20: error: expected '{' to start the body of 'fork c', found "
		  "'}'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { fork c exit }",
		  "x.scn:1:20: error: expected '{' to start the body of 'fork c', found "
		  "'exit'" },
		{ SIM_SCN_ERROR_NAME, "process P { fork any { } }",
		  "x.scn:1:18: error: 'any' is a reserved word: it cannot name a process" },
		{ SIM_SCN_ERROR_NAME, "process P { fork Q { } }\nprocess Q { }",
		  "x.scn:2:9: error: duplicate name 'Q': already declared at 1:18" },
		{ SIM_SCN_ERROR_NAME, "process P { fork c { } fork c { } }",
		  "x.scn:1:29: error: duplicate name 'c': already declared at 1:18" },
		{ SIM_SCN_ERROR_NAME, "process P { fork P { } }",
		  "x.scn:1:18: error: duplicate name 'P': already declared at 1:9" },
		{ SIM_SCN_ERROR_NAME, "mailbox c\nprocess P { fork c { } }",
		  "x.scn:2:18: error: duplicate name 'c': already declared at 1:9" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { fork c {\n  exit\n}",
		  "x.scn:1:11: error: unterminated block: '{' at 1:11 has no matching '}'" },
		{ SIM_SCN_ERROR_NAME,
		  "process P {\n  print \"$y\"\n  fork c { }\n  receive any -> y\n}",
		  "x.scn:2:10: error: variable 'y' is used before 'fork c' (at 3:3) but "
		  "not set before it: the child starts with a copy of the variables set before "
		  "the fork" },
		{ SIM_SCN_ERROR_NAME, "process P { fork c { } fork d { } wait Q }\nprocess Q { }",
		  "x.scn:1:40: error: 'Q' is not a child of process 'P': 'wait' needs a "
		  "process that this body forks with 'fork Q { ... }' (children here: c, d)" },
		{ SIM_SCN_ERROR_NAME, "process P { wait c }",
		  "x.scn:1:18: error: 'c' is not a child of process 'P': 'wait' needs a "
		  "process that this body forks with 'fork c { ... }' (children here: none)" },
		{ SIM_SCN_ERROR_NAME, "process P { fork a { fork g { } } wait g }",
		  "x.scn:1:40: error: 'g' is not a child of process 'P': 'wait' needs a "
		  "process that this body forks with 'fork g { ... }' (children here: a)" },
		{ SIM_SCN_ERROR_NAME, "process P { fork a { wait b } fork b { } }",
		  "x.scn:1:27: error: 'b' is not a child of process 'a': 'wait' needs a "
		  "process that this body forks with 'fork b { ... }' (children here: none)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { wait 5 }",
		  "x.scn:1:18: error: expected a child process name after 'wait', found "
		  "'5'" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { fork c { } wait c -> 5 }",
		  "x.scn:1:34: error: expected a variable name after '->', found '5'" },
		{ SIM_SCN_ERROR_MISUSE, "process P { fork c { send c \"x\" } }",
		  "x.scn:1:27: error: process 'c' sends to itself: name another process, "
		  "a mailbox or a port" },
		{ SIM_SCN_ERROR_NAME, "process P { kill c SIGTERM fork d { } }",
		  "x.scn:1:18: error: unknown name 'c': no mailbox, port or process has "
		  "that name" },
		{ SIM_SCN_ERROR_NAME, "process P { pipe -> p fork c { receive any -> p } }",
		  "x.scn:1:47: error: variable 'p' already holds a pipe (set at 1:21): "
		  "it cannot also hold a received message" },
		{ SIM_SCN_ERROR_NAME, "process P { receive any -> m fork c { print \"$x\" } }",
		  "x.scn:1:46: error: unknown variable 'x' in text (variables here: m)" },
		{ SIM_SCN_ERROR_NAME, "process P { fork c { print \"$x\" } receive any -> x }",
		  "x.scn:1:29: error: unknown variable 'x' in text (variables here: none)" },
		{ SIM_SCN_ERROR_MISUSE,
		  "process P { fork c { fork d { repeat 1 { fork e { } } } } }",
		  "x.scn:1:42: error: 'fork' inside a repeat or loop: each fork names "
		  "one child, so it runs at most once (expected it outside every repeat and "
		  "loop)" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

static void test_scn_reports_ret_and_exit_expectation_errors(void)
{
	static const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x ret=",
		  "x.scn:2:15: error: expected a number after 'ret=', found end of file" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x ret=1 ret=2",
		  "x.scn:2:17: error: repeated 'ret=': already given at 2:11" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x ok blocked",
		  "x.scn:2:14: error: a second result 'blocked' (after the one at 2:11): "
		  "an expectation checks one of ok, blocked or errno=NAME" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x errno=EAGAIN ok",
		  "x.scn:2:24: error: a second result 'ok' (after the one at 2:11): an "
		  "expectation checks one of ok, blocked or errno=NAME" },
		{ SIM_SCN_ERROR_MISUSE, "process P { @x exit }\nexpect @x errno=EAGAIN ret=0",
		  "x.scn:2:24: error: ret=0 cannot hold with errno=EAGAIN (at 2:11): a "
		  "call that fails returns -1" },
		{ SIM_SCN_ERROR_MISUSE, "process P { @x exit }\nexpect @x ret=3 errno=EPERM",
		  "x.scn:2:11: error: ret=3 cannot hold with errno=EPERM (at 2:17): a "
		  "call that fails returns -1" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { @x exit }\nexpect @x ret",
		  "x.scn:2:11: error: expected ok, blocked, errno=NAME or ret=N after "
		  "'expect @x', found 'ret'" },
		{ SIM_SCN_ERROR_NUMBER, "process P { }\nexpect P exit=256",
		  "x.scn:2:15: error: bad exit status '256': expected a whole number "
		  "from 0 to 255" },
		{ SIM_SCN_ERROR_NUMBER, "process P { }\nexpect P exit=-1",
		  "x.scn:2:15: error: bad exit status '-1': expected a whole number from "
		  "0 to 255" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { }\nexpect P exit=ok",
		  "x.scn:2:15: error: expected a number after 'exit=', found 'ok'" },
		{ SIM_SCN_ERROR_NAME, "process P { }\nexpect P killed=TERM",
		  "x.scn:2:17: error: unknown signal 'TERM' (expected a standard signal's name, "
		  "SIGHUP to SIGSYS, as signal(7) lists them): did you mean 'SIGTERM'?" },
		{ SIM_SCN_ERROR_MISUSE, "process P { }\nexpect P killed=SIGCHLD",
		  "x.scn:2:17: error: bad killed= signal 'SIGCHLD': it never ends a "
		  "process (expected a signal such as SIGTERM or SIGKILL)" },
		{ SIM_SCN_ERROR_MISUSE, "process P { }\nexpect P killed=SIGWINCH",
		  "x.scn:2:17: error: bad killed= signal 'SIGWINCH': it never ends a "
		  "process (expected a signal such as SIGTERM or SIGKILL)" },
		{ SIM_SCN_ERROR_MISUSE, "process P { }\nexpect P killed=SIGTTIN",
		  "x.scn:2:17: error: bad killed= signal 'SIGTTIN': it never ends a "
		  "process (expected a signal such as SIGTERM or SIGKILL)" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { }\nexpect P exit=0 killed=SIGTERM",
		  "x.scn:2:17: error: 'killed=' cannot be given with 'exit=' (at 2:10): "
		  "a process either exits or is killed, once" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { }\nexpect P killed=SIGKILL exit=1",
		  "x.scn:2:25: error: 'exit=' cannot be given with 'killed=' (at 2:10): "
		  "a process either exits or is killed, once" },
		{ SIM_SCN_ERROR_NAME, "mailbox A\nexpect A exit=0",
		  "x.scn:2:8: error: expected a process name before 'exit=', found "
		  "mailbox 'A'" },
		{ SIM_SCN_ERROR_NAME, "expect X killed=SIGTERM",
		  "x.scn:1:8: error: unknown name 'X': no mailbox, port or process has "
		  "that name" },
		{ SIM_SCN_ERROR_SYNTAX, "process P { }\nexpect P exit 0",
		  "x.scn:2:10: error: expected received [...], state=STATE, exit=N, "
		  "killed=SIGNAME or a statistic like qnum=N after 'expect P', found 'exit'" },
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
	g_autofree char *want = g_strdup_printf(
		"%s:2:3: error: unknown statement 'sned' (expected " STMT_WORDS "): did you mean 'send'?", path);
	CU_ASSERT_STRING_EQUAL(bad->message, want);

	CU_ASSERT_FATAL(g_file_set_contents(path, "process P { exit }", -1, NULL));
	g_autoptr(SimScenario) good = sim_scn_load(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(good);
	CU_ASSERT_STRING_EQUAL(good->file, path);
	CU_ASSERT_EQUAL(good->n_stmts, 1);
	g_unlink(path);
}

/* ---- Limits: what any input may cost ---- */

/* A scenario of exactly the limit parses; one byte more is refused before it is parsed. */
static void test_scn_load_refuses_a_file_over_the_size_limit(void)
{
	g_autofree char *path = NULL;
	gint fd = g_file_open_tmp("scn-XXXXXX.scn", &path, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	g_close(fd, NULL);
	const char *head = "process P { exit }\n";
	g_autofree char *text = g_malloc(SIM_SCN_MAX_BYTES + 2);
	memset(text, ' ', SIM_SCN_MAX_BYTES + 1);
	memcpy(text, head, strlen(head));
	text[SIM_SCN_MAX_BYTES - 1] = '\n';
	CU_ASSERT_FATAL(g_file_set_contents(path, text, SIM_SCN_MAX_BYTES, NULL));
	g_autoptr(SimScenario) at_limit = sim_scn_load(path, NULL);
	CU_ASSERT_PTR_NOT_NULL(at_limit);

	CU_ASSERT_FATAL(g_file_set_contents(path, text, SIM_SCN_MAX_BYTES + 1, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) over = sim_scn_load(path, &error);
	CU_ASSERT_PTR_NULL(over);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_LIMIT);
	g_autofree char *want = g_strdup_printf(
		"%s: error: too large: 1048577 bytes (a scenario may have at most 1048576 bytes, "
		"1 MiB)",
		path);
	CU_ASSERT_STRING_EQUAL(error->message, want);
	g_unlink(path);
}

/* A device or a FIFO is refused at once: /dev/zero never ends, and opening a FIFO nobody
 * writes to would wait forever. */
static void test_scn_load_refuses_fifos_and_devices_at_once(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) zero = sim_scn_load("/dev/zero", &error);
	CU_ASSERT_PTR_NULL(zero);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_IO);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "/dev/zero: error: cannot read: not a regular file (a scenario is "
			       "read from a file, or from standard input given as '-')");

	g_autofree char *dir = g_dir_make_tmp("scn-XXXXXX", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	g_autofree char *fifo = g_build_filename(dir, "fifo.scn", NULL);
	CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
	g_autoptr(GError) fifo_error = NULL;
	g_autoptr(SimScenario) none = sim_scn_load(fifo, &fifo_error);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fifo_error);
	CU_ASSERT_EQUAL(fifo_error->code, SIM_SCN_ERROR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(fifo_error->message, "not a regular file"));

	g_autoptr(GError) dir_error = NULL;
	g_autoptr(SimScenario) nodir = sim_scn_load(dir, &dir_error);
	CU_ASSERT_PTR_NULL(nodir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir_error);
	g_autofree char *want = g_strdup_printf("%s: error: cannot read: it is a directory", dir);
	CU_ASSERT_STRING_EQUAL(dir_error->message, want);
	g_unlink(fifo);
	g_rmdir(dir);
}

/* Loads "-" with standard input read from `path` (a device, a file), then puts it back. */
static SimScenario *load_stdin_from(const char *path, GError **error)
{
	int saved = dup(STDIN_FILENO);
	int fd = open(path, O_RDONLY);
	CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
	CU_ASSERT_FATAL(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	close(fd);
	SimScenario *scn = sim_scn_load("-", error);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return scn;
}

/* "-" reads standard input, whatever it is, but no more than the limit allows. */
static void test_scn_load_reads_standard_input_up_to_the_limit(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) endless = load_stdin_from("/dev/zero", &error);
	CU_ASSERT_PTR_NULL(endless);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_LIMIT);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "<stdin>: error: too large: more than 1048576 bytes (a scenario may "
			       "have at most 1048576 bytes, 1 MiB)");

	g_autofree char *path = NULL;
	gint fd = g_file_open_tmp("scn-XXXXXX.scn", &path, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	g_close(fd, NULL);
	CU_ASSERT_FATAL(g_file_set_contents(path, "process P {\n  sned\n}\n", -1, NULL));
	g_autoptr(GError) bad = NULL;
	g_autoptr(SimScenario) none = load_stdin_from(path, &bad);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
	CU_ASSERT(g_str_has_prefix(bad->message, "<stdin>:2:3: error: unknown statement 'sned'"));
	CU_ASSERT_FATAL(g_file_set_contents(path, "process P { exit }", -1, NULL));
	g_autoptr(SimScenario) good = load_stdin_from(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(good);
	CU_ASSERT_STRING_EQUAL(good->file, "<stdin>");
	g_unlink(path);
}

/* The line that opens block i of a nest: `head {`, or `head<i> {` when each needs a name. */
static char *opener(const char *head, gboolean numbered, guint i)
{
	return numbered ? g_strdup_printf("%s%u {", head, i) : g_strdup_printf("%s {", head);
}

/* `process P {`, then n nested blocks opened by `opener`, then a '}' for each. */
static char *nested(const char *head, gboolean numbered, guint n)
{
	GString *s = g_string_new("process P {\n");
	for (guint i = 0; i < n; i++) {
		g_autofree char *line = opener(head, numbered, i);
		g_string_append_printf(s, "%s\n", line);
	}
	for (guint i = 0; i <= n; i++)
		g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* 10,000 nested blocks once crashed the parser's stack; the block past the limit is an error,
 * and the limit itself still parses. */
static void test_scn_refuses_blocks_nested_too_deeply_without_crashing(void)
{
	static const struct {
		const char *head;
		gboolean numbered;
	} opens[] = { { "loop", FALSE }, { "repeat 1 as i", TRUE }, { "fork c", TRUE } };
	for (gsize k = 0; k < G_N_ELEMENTS(opens); k++) {
		g_autofree char *deep = nested(opens[k].head, opens[k].numbered, 10000);
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) none = sim_scn_parse("x.scn", deep, strlen(deep), &error);
		CU_ASSERT_PTR_NULL(none);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_EQUAL(error->code, SIM_SCN_ERROR_LIMIT);
		/* The process body is block 1; the 256th opened inside it (line 257) is one too
		 * many, and the error points at its '{'. */
		g_autofree char *line = opener(opens[k].head, opens[k].numbered, 255);
		g_autofree char *want = g_strdup_printf(
			"x.scn:257:%zu: error: blocks nested too deeply: at most 256 may be open "
			"at once (process, fork, repeat and loop bodies each count one)",
			strlen(line));
		CU_ASSERT_STRING_EQUAL(error->message, want);

		g_autofree char *limit =
			nested(opens[k].head, opens[k].numbered, SIM_SCN_MAX_DEPTH - 1);
		g_autoptr(SimScenario) ok = parse_ok(limit);
		CU_ASSERT_PTR_NOT_NULL(ok);
	}
}

static void test_scn_reports_empty_scenarios_and_limits(void)
{
	g_autoptr(GString) many = g_string_new(NULL);
	/* Ten processes, then a million replicas: refused before any replica is made. */
	for (char c = 'a'; c <= 'j'; c++)
		g_string_append_printf(many, "process w%c { }\n", c);
	g_string_append(many, "process wk[1000000] { }\n");
	/* 500 variables, copied by 200 forks, is 100,000 copies; the 201st fork is refused. */
	g_autoptr(GString) copies = g_string_new("process P {\n");
	for (guint i = 0; i < 500; i++)
		g_string_append_printf(copies, "pipe -> v%u\n", i);
	for (guint i = 0; i < 201; i++)
		g_string_append_printf(copies, "fork c%u { }\n", i);
	g_string_append(copies, "}\n");
	const ErrorCase cases[] = {
		{ SIM_SCN_ERROR_SYNTAX, "",
		  "x.scn:1:1: error: no process: a scenario needs at least one 'process NAME { "
		  "... }' (the file is empty)" },
		{ SIM_SCN_ERROR_SYNTAX, "# a comment\n\n",
		  "x.scn:3:1: error: no process: a scenario needs at least one 'process NAME { "
		  "... }'" },
		{ SIM_SCN_ERROR_SYNTAX, "mailbox A\nexpect A qnum=0",
		  "x.scn:2:16: error: no process: a scenario needs at least one 'process NAME { "
		  "... }'" },
		{ SIM_SCN_ERROR_LIMIT, many->str,
		  "x.scn:11:9: error: too many processes: 'wk' makes 1000000, after 10 already (a "
		  "scenario may have at most 1000000, replicas and forked children included)" },
		{ SIM_SCN_ERROR_LIMIT, copies->str,
		  "x.scn:702:6: error: too many copied variables: 'fork c200' copies the 500 "
		  "variables of 'P', and forked children may hold at most 100000 copies in all" },
	};
	check_errors(cases, G_N_ELEMENTS(cases));
}

CU_TestInfo scn_tests[] = {
	{ "one empty process has the documented defaults",
	  test_scn_one_empty_process_has_the_documented_defaults },
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
	{ "parses sysctl limits", test_scn_parses_sysctl_limits },
	{ "parses sysv queue with each key form", test_scn_parses_sysv_queue_with_each_key_form },
	{ "sysv queues with one key are one queue",
	  test_scn_sysv_queues_with_one_key_are_one_queue },
	{ "parses files and users", test_scn_parses_files_and_users },
	{ "parses process credentials and caps", test_scn_parses_process_credentials_and_caps },
	{ "every statement has the sysv defaults", test_scn_every_statement_has_the_sysv_defaults },
	{ "parses msgget forms", test_scn_parses_msgget_forms },
	{ "parses msgsnd forms", test_scn_parses_msgsnd_forms },
	{ "parses msgrcv forms", test_scn_parses_msgrcv_forms },
	{ "parses msgctl commands and set options",
	  test_scn_parses_msgctl_commands_and_set_options },
	{ "parses kill, on and ipcs", test_scn_parses_kill_on_and_ipcs },
	{ "names every signal both ways", test_scn_names_every_signal_both_ways },
	{ "resolves sysv queues and id variables", test_scn_resolves_sysv_queues_and_id_variables },
	{ "parses sysv expectations", test_scn_parses_sysv_expectations },
	{ "parses the lecture msgsnd example", test_scn_parses_the_lecture_msgsnd_example },
	{ "posix defaults of scenario and processes",
	  test_scn_posix_defaults_of_scenario_and_processes },
	{ "parses posix sysctl limits", test_scn_parses_posix_sysctl_limits },
	{ "parses posix queue declarations", test_scn_parses_posix_queue_declarations },
	{ "parses process nice and rlimits", test_scn_parses_process_nice_and_rlimits },
	{ "parses mq_open forms", test_scn_parses_mq_open_forms },
	{ "parses mq_send and mq_receive forms", test_scn_parses_mq_send_and_receive_forms },
	{ "parses the other mq calls", test_scn_parses_the_other_mq_calls },
	{ "parses on handler norestart", test_scn_parses_on_handler_norestart },
	{ "every statement has the posix defaults",
	  test_scn_every_statement_has_the_posix_defaults },
	{ "parses posix expectations", test_scn_parses_posix_expectations },
	{ "parses a posix client server", test_scn_parses_a_posix_client_server },
	{ "parses pipe and every descriptor operand",
	  test_scn_parses_pipe_and_every_descriptor_operand },
	{ "parses read and write forms", test_scn_parses_read_and_write_forms },
	{ "parses fcntl and ioctl", test_scn_parses_fcntl_and_ioctl },
	{ "parses mkfifo, open and unlink", test_scn_parses_mkfifo_open_and_unlink },
	{ "mq calls take every descriptor form", test_scn_mq_calls_take_every_descriptor_form },
	{ "every statement has the pipe defaults", test_scn_every_statement_has_the_pipe_defaults },
	{ "fork children follow their parent in file order",
	  test_scn_fork_children_follow_their_parent_in_file_order },
	{ "fork body inherits the parent variables",
	  test_scn_fork_body_inherits_the_parent_variables },
	{ "numbers fork bodies and keeps their labels global",
	  test_scn_numbers_fork_bodies_and_keeps_their_labels_global },
	{ "parses wait forms", test_scn_parses_wait_forms },
	{ "parses ret, exit and killed expectations",
	  test_scn_parses_ret_exit_and_killed_expectations },
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
	{ "reports sysv declaration errors", test_scn_reports_sysv_declaration_errors },
	{ "finds duplicates among many declarations",
	  test_scn_finds_duplicates_among_many_declarations },
	{ "reports credential errors", test_scn_reports_credential_errors },
	{ "reports sysv statement errors", test_scn_reports_sysv_statement_errors },
	{ "reports signal errors", test_scn_reports_signal_errors },
	{ "reports sysv expectation errors", test_scn_reports_sysv_expectation_errors },
	{ "reports posix declaration errors", test_scn_reports_posix_declaration_errors },
	{ "reports posix statement errors", test_scn_reports_posix_statement_errors },
	{ "reports posix expectation errors", test_scn_reports_posix_expectation_errors },
	{ "reports pipe statement errors", test_scn_reports_pipe_statement_errors },
	{ "reports pipe variable errors", test_scn_reports_pipe_variable_errors },
	{ "reports fork and wait errors", test_scn_reports_fork_and_wait_errors },
	{ "reports ret and exit expectation errors",
	  test_scn_reports_ret_and_exit_expectation_errors },
	{ "load reads files and reports io errors",
	  test_scn_load_reads_files_and_reports_io_errors },
	{ "load refuses a file over the size limit",
	  test_scn_load_refuses_a_file_over_the_size_limit },
	{ "load refuses fifos and devices at once",
	  test_scn_load_refuses_fifos_and_devices_at_once },
	{ "load reads standard input up to the limit",
	  test_scn_load_reads_standard_input_up_to_the_limit },
	{ "refuses blocks nested too deeply without crashing",
	  test_scn_refuses_blocks_nested_too_deeply_without_crashing },
	{ "reports empty scenarios and limits", test_scn_reports_empty_scenarios_and_limits },
	CU_TEST_INFO_NULL,
};

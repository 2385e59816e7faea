/* test_alpc.c — ALPC-style ports (alpc.h): the lecture's steps on the kernel object itself
 * (create, connect, accept or refuse, request, receive, reply), the section a large message
 * takes, and the lifetimes: a connection port that dies fails its pending connects, a
 * communication port that dies fails the other end's waiters. Then one run of the family's
 * calls in a world, for what only the engine does (a task's exit closes its handles).
 */
#include <errno.h>
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/alpc.h"
#include "tests.h"

typedef struct Fx {
	SimAlpcSpace *sp;
	SimAlpcPort *port;
	SimWakeList wake;
	SimWaiter srv, cli;
} Fx;

static void fx_init(Fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->sp = sim_alpc_space_new();
	fx->srv.task = 0;
	fx->cli.task = 1;
	CU_ASSERT_EQUAL(sim_alpc_create(fx->sp, "srv", 0, &fx->port), 0);
}

static SimAlpcMsg *msg(int from, const char *text, gsize size)
{
	return sim_alpc_msg_new(from, text, strlen(text), size);
}

/* A pair opened the lecture's way; the server's accept found nothing first and slept. */
static SimAlpcPair *open_pair(Fx *fx)
{
	SimAlpcPair *pair = NULL, *got = NULL;
	CU_ASSERT_EQUAL(sim_alpc_accept(fx->port, FALSE, &fx->srv, &fx->wake, &got), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_alpc_connect(fx->sp, "srv", msg(1, "hello", 5), &fx->wake, &pair), 0);
	CU_ASSERT_PTR_EQUAL(fx->wake.first, &fx->srv); /* the server is woken to look again */
	fx->wake.first = fx->wake.last = NULL;
	CU_ASSERT_EQUAL(sim_alpc_connect_wait(pair, &fx->cli), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_alpc_accept(fx->port, FALSE, &fx->srv, &fx->wake, &got), 0);
	CU_ASSERT_PTR_EQUAL(got, pair);
	CU_ASSERT_STRING_EQUAL(got->conn->text, "hello");
	CU_ASSERT_PTR_EQUAL(fx->wake.first, &fx->cli);
	fx->wake.first = fx->wake.last = NULL;
	CU_ASSERT_EQUAL(sim_alpc_connect_wait(pair, &fx->cli), 0);
	return pair;
}

static void test_alpc_four_steps(void)
{
	Fx fx;
	fx_init(&fx);
	SimAlpcPort *again = NULL;
	CU_ASSERT_EQUAL(sim_alpc_create(fx.sp, "srv", 0, &again), EEXIST);
	SimAlpcPair *nobody = NULL;
	CU_ASSERT_EQUAL(sim_alpc_connect(fx.sp, "none", msg(1, "x", 1), &fx.wake, &nobody),
			ENOENT);
	SimAlpcPair *pair = open_pair(&fx);
	SimAlpcEnd *s = &pair->end[0], *c = &pair->end[1];
	SimAlpcMsg *got = NULL;
	CU_ASSERT_EQUAL(sim_alpc_receive(s, &fx.srv, &got), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_alpc_reply(fx.sp, s, msg(0, "early", 5), &fx.wake), ENOMSG);
	CU_ASSERT_EQUAL(sim_alpc_send(fx.sp, c, msg(1, "ping", 4), &fx.wake), 0);
	CU_ASSERT_EQUAL(sim_alpc_wait_reply(c, &fx.cli, &got), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_alpc_receive(s, &fx.srv, &got), 0);
	CU_ASSERT_EQUAL(got->from, 1); /* the client's identity */
	CU_ASSERT_STRING_EQUAL(got->text, "ping");
	CU_ASSERT_FALSE(got->via_section);
	sim_alpc_msg_free(got);
	CU_ASSERT_EQUAL(sim_alpc_reply(fx.sp, s, msg(0, "pong", 4), &fx.wake), 0);
	CU_ASSERT_EQUAL(sim_alpc_wait_reply(c, &fx.cli, &got), 0);
	CU_ASSERT_STRING_EQUAL(got->text, "pong");
	CU_ASSERT_EQUAL(got->from, 0);
	sim_alpc_msg_free(got);
	CU_ASSERT_EQUAL(pair->section, 0u);
	sim_alpc_space_free(fx.sp);
}

/* Keeps what died, as the trace would show it. */
static void keep_death(void *data, const SimAlpcDeath *d)
{
	*(SimAlpcDeath *)data = *d;
}

static void test_alpc_refused_and_aborted_connects(void)
{
	Fx fx;
	fx_init(&fx);
	SimAlpcPair *a = NULL, *b = NULL, *got = NULL;
	CU_ASSERT_EQUAL(sim_alpc_connect(fx.sp, "srv", msg(1, "a", 1), &fx.wake, &a), 0);
	CU_ASSERT_EQUAL(sim_alpc_connect(fx.sp, "srv", msg(2, "b", 1), &fx.wake, &b), 0);
	CU_ASSERT_EQUAL(sim_alpc_accept(fx.port, TRUE, &fx.srv, &fx.wake, &got), 0);
	CU_ASSERT_PTR_EQUAL(got, a); /* the oldest request first */
	CU_ASSERT_EQUAL(sim_alpc_connect_wait(a, &fx.cli), ECONNREFUSED);
	/* The server's port dies (its handle, 1, closes): b was still pending. */
	gint64 h = sim_alpc_handle_new(fx.sp, 0, fx.port, NULL);
	CU_ASSERT_EQUAL(h, 1);
	CU_ASSERT_EQUAL(sim_alpc_connect_wait(b, &fx.cli), SIM_BLOCKED);
	SimAlpcDeath d = { .failed = 99 };
	CU_ASSERT_TRUE(sim_alpc_exit(fx.sp, 0, &fx.wake, keep_death, &d));
	CU_ASSERT_PTR_EQUAL(d.port, fx.port); /* the trace's "port srv destroyed" */
	CU_ASSERT_PTR_NULL(d.end);
	CU_ASSERT_EQUAL(d.failed, 1u); /* b's client, waiting */
	CU_ASSERT_EQUAL(d.err, ECONNABORTED);
	CU_ASSERT_FALSE(sim_alpc_exit(fx.sp, 0, &fx.wake, NULL, NULL)); /* nothing left */
	CU_ASSERT_PTR_NULL(sim_alpc_handle(fx.sp, h, 0));
	CU_ASSERT_EQUAL(sim_alpc_connect_wait(b, &fx.cli), ECONNABORTED);
	/* The name is free again. */
	SimAlpcPort *p2 = NULL;
	CU_ASSERT_EQUAL(sim_alpc_create(fx.sp, "srv", 0, &p2), 0);
	sim_alpc_space_free(fx.sp);
}

static void test_alpc_large_messages_take_the_section(void)
{
	Fx fx;
	fx_init(&fx);
	SimAlpcPair *pair = open_pair(&fx);
	SimAlpcEnd *s = &pair->end[0], *c = &pair->end[1];
	SimAlpcMsg *got = NULL;
	CU_ASSERT_EQUAL(sim_alpc_send(fx.sp, c, msg(1, "fits", SIM_ALPC_MSG_MAX), &fx.wake), 0);
	CU_ASSERT_EQUAL(pair->section, 0u);
	CU_ASSERT_EQUAL(sim_alpc_receive(s, &fx.srv, &got), 0);
	sim_alpc_msg_free(got);
	CU_ASSERT_EQUAL(sim_alpc_reply(fx.sp, s, msg(0, "big", 5000), &fx.wake), 0);
	CU_ASSERT_EQUAL(pair->section, 1u);
	CU_ASSERT_EQUAL(pair->section_bytes, 5000u);
	CU_ASSERT_EQUAL(sim_alpc_wait_reply(c, &fx.cli, &got), 0);
	CU_ASSERT_TRUE(got->via_section);
	CU_ASSERT_EQUAL(got->size, 5000u);
	sim_alpc_msg_free(got);
	CU_ASSERT_EQUAL(sim_alpc_send(fx.sp, c, msg(1, "huge", SIM_ALPC_SECTION_MAX + 1),
				      &fx.wake),
			EMSGSIZE);
	char buf[128];
	CU_ASSERT_STRING_EQUAL(sim_alpc_pair_state(pair, buf, sizeof(buf)),
			       "[alpc#1 open: 0|0 requests, section#1 5000 bytes]");
	sim_alpc_space_free(fx.sp);
}

static void test_alpc_a_dead_end_fails_the_other_ends_waiters(void)
{
	Fx fx;
	fx_init(&fx);
	SimAlpcPair *pair = open_pair(&fx);
	SimAlpcEnd *s = &pair->end[0], *c = &pair->end[1];
	gint64 hs = sim_alpc_handle_new(fx.sp, 0, NULL, s);
	SimAlpcMsg *got = NULL;
	CU_ASSERT_EQUAL(sim_alpc_send(fx.sp, c, msg(1, "work", 4), &fx.wake), 0);
	CU_ASSERT_EQUAL(sim_alpc_wait_reply(c, &fx.cli, &got), SIM_BLOCKED);
	CU_ASSERT_PTR_NULL(sim_alpc_handle(fx.sp, hs, 1)); /* not the client's handle */
	SimAlpcDeath d;
	sim_alpc_handle_close(fx.sp, hs, &fx.wake, &d);
	CU_ASSERT_PTR_EQUAL(fx.wake.first, &fx.cli);
	CU_ASSERT_PTR_EQUAL(d.end, s); /* "alpc#1 server port destroyed" */
	CU_ASSERT_EQUAL(d.failed, 1u);
	CU_ASSERT_EQUAL(d.err, ECONNRESET);
	CU_ASSERT_EQUAL(sim_alpc_wait_reply(c, &fx.cli, &got), ECONNRESET);
	CU_ASSERT_EQUAL(sim_alpc_send(fx.sp, c, msg(1, "again", 5), &fx.wake), ECONNRESET);
	CU_ASSERT_EQUAL(sim_alpc_receive(c, &fx.cli, &got), ECONNRESET);
	char buf[128];
	CU_ASSERT_STRING_EQUAL(sim_alpc_pair_state(pair, buf, sizeof(buf)),
			       "[alpc#1 server gone: 0|0 requests]");
	sim_alpc_space_free(fx.sp);
}

/* In a world: the server exits with a request unanswered; its handles close with it. */
static void test_alpc_exit_closes_the_handles(void)
{
	TestRun r = test_run_text("process s {\n"
				  "    alpc_create \"p\" -> port\n"
				  "    alpc_accept port -> h\n"
				  "    alpc_receive h\n"
				  "}\n"
				  "process c {\n"
				  "    alpc_connect \"p\" \"hi\" -> x\n"
				  "    @w alpc_send x \"q\"\n"
				  "}\n"
				  "expect @w errno=ECONNRESET\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "alpc_send x \"q\" size=1 returns ECONNRESET "
					       "(connection reset by peer) [alpc#1 server gone"));
	CU_ASSERT_EQUAL(r.verdict.passed, 1u);
	CU_ASSERT_EQUAL(r.verdict.failed, 0u);
	test_run_free(&r);
}

CU_TestInfo alpc_tests[] = {
	{ "the lecture's four steps", test_alpc_four_steps },
	{ "refused and aborted connects", test_alpc_refused_and_aborted_connects },
	{ "large messages take the section", test_alpc_large_messages_take_the_section },
	{ "a dead end fails the other end's waiters",
	  test_alpc_a_dead_end_fails_the_other_ends_waiters },
	{ "exit closes the handles", test_alpc_exit_closes_the_handles },
	CU_TEST_INFO_NULL,
};

/* test_sock_addr.c — UNIX-domain sockets reached by name (sock.h, call_sock_addr.c): the
 * rules probed on Linux 6.x in a private namespace (unshare -i -n) that the socket pairs of
 * test_sock.c never meet. A listener shut for reading: accept gives what was queued, then
 * EAGAIN when non-blocking, EINVAL otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/sock.h"
#include "tests.h"

static void test_sock_shut_listener_accepts_what_it_queued_then_einval(void)
{
	SimWakeList wake = { 0 };
	SimWaiter me = { 0 };
	SimSockCtx c = { .wake = &wake, .nonblock = TRUE };
	SimSockPair *l = sim_sock_new("sock#1", SIM_SOCK_SEQPACKET);
	SimSockPair *a = sim_sock_new("sock#2", SIM_SOCK_SEQPACKET);
	SimSock *ls = &l->end[0], *got = NULL;
	ls->name = g_strdup("srv");
	CU_ASSERT_EQUAL(sim_sock_listen(ls, &c, 4), 0);
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), 0);
	c.nonblock = FALSE;
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), 0);
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), SIM_BLOCKED); /* nothing queued */
	sim_waitq_del(&me);
	CU_ASSERT_EQUAL(sim_sock_shutdown(ls, &c, SIM_SHUT_RD), 0);
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), EINVAL); /* receive shutdown */
	CU_ASSERT_PTR_NULL(got);
	c.nonblock = TRUE;
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), EAGAIN); /* before the shutdown */
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), ECONNREFUSED);
	sim_sock_pair_free(l);
	sim_sock_pair_free(a);
}

CU_TestInfo sock_addr_tests[] = {
	{ "a shut listener accepts what it queued, then EINVAL",
	  test_sock_shut_listener_accepts_what_it_queued_then_einval },
	CU_TEST_INFO_NULL,
};

/* test_sock_addr.c — UNIX-domain sockets reached by name (sock.h, call_sock_addr.c): the
 * rules probed on Linux 6.x in a private namespace (unshare -i -n) that the socket pairs of
 * test_sock.c never meet. A listener shut for reading: accept gives what was queued, then
 * EAGAIN when non-blocking, EINVAL otherwise. A path name is a socket file: EADDRINUSE when
 * the name exists (before EINVAL for a bound socket), ENOENT, ECONNREFUSED (a FIFO, nobody
 * listening, a socket closed), EPROTOTYPE, ENXIO for an open, and unlink frees the name.
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

/* A path is a socket file in the file system FIFOs share (call_sock_addr.c). */
static void test_sock_path_names_are_socket_files(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  socket stream -> l\n"
				  "  @bind bind l \"/s\"\n"
				  "  @taken bind l \"/s\"\n"
				  "  @bound bind l \"/t\"\n"
				  "  @st stat \"/s\"\n"
				  "  @fst fstat l\n"
				  "  socket stream -> c\n"
				  "  @refused connect c \"/s\"\n"
				  "  @noent connect c \"/nothing\"\n"
				  "  mkfifo \"/f\"\n"
				  "  @fifo connect c \"/f\"\n"
				  "  @exist mkfifo \"/s\"\n"
				  "  @nxio open \"/s\" rdonly nonblock\n"
				  "  socket seqpacket -> d\n"
				  "  @type connect d \"/s\"\n"
				  "  listen l\n"
				  "  @ok connect c \"/s\"\n"
				  "  close l\n"
				  "  socket stream -> e\n"
				  "  @stays connect e \"/s\"\n"
				  "  @unl unlink \"/s\"\n"
				  "  @gone connect e \"/s\"\n"
				  "  @free bind e \"/s\"\n"
				  "}\n"
				  "expect @bind ok\n"
				  "expect @taken errno=EADDRINUSE\n"
				  "expect @bound errno=EINVAL\n"
				  "expect @refused errno=ECONNREFUSED\n"
				  "expect @noent errno=ENOENT\n"
				  "expect @fifo errno=ECONNREFUSED\n"
				  "expect @exist errno=EEXIST\n"
				  "expect @nxio errno=ENXIO\n"
				  "expect @type errno=EPROTOTYPE\n"
				  "expect @ok ok\n"
				  "expect @stays errno=ECONNREFUSED\n"
				  "expect @unl ok\n"
				  "expect @gone errno=ENOENT\n"
				  "expect @free ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 14);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "stat \"/s\" -> ok, socket 0755"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "fstat l -> ok, socket 0777"));
	if (r.verdict.failed)
		fprintf(stderr, "\n%s\n", r.out);
	test_run_free(&r);
}

/* sendto an address from an unconnected datagram socket: one buffer on the receiver's
 * queue, its sender's name on it, charged to the sender; 11 fit (the queue is full above
 * max_dgram_qlen, 10), then EAGAIN or a sleep on the receiver's peer_wait, which a recv
 * wakes. A receiver connected to a sender takes that sender's datagrams past the limit,
 * and nobody else's (EPERM). */
static void test_sock_dgram_sendto_and_the_queue_limit(void)
{
	SimWakeList wake = { 0 };
	SimWaiter me = { 0 };
	SimSockCtx c = { .wake = &wake, .nonblock = TRUE };
	SimSockPair *rp = sim_sock_new("sock#1", SIM_SOCK_DGRAM);
	SimSockPair *ap = sim_sock_new("sock#2", SIM_SOCK_DGRAM);
	SimSock *r = &rp->end[0], *a = &ap->end[0];
	r->name = g_strdup("inbox");
	SimSockDest to_r = { .given = TRUE, .to = r };
	SimSockDest nobody = { .given = TRUE, .err = ECONNREFUSED };
	SimSockSrc src = { "d", 1 };
	gsize done = 0, ret = 0;
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), ENOTCONN); /* no peer */
	c.dest = &nobody;
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), ECONNREFUSED);
	c.dest = &to_r;
	for (int i = 0; i < SIM_SOCK_MAX_DGRAM_QLEN + 1; i++)
		CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), 0);
	CU_ASSERT_EQUAL(a->wmem, 11 * sim_sock_truesize(1, 0));
	CU_ASSERT_EQUAL(ap->inflight, 11u);
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), EAGAIN);
	c.nonblock = FALSE;
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(me.queue, &r->peer_wait);
	SimWaiter reader = { 0 };
	c.nonblock = TRUE;
	CU_ASSERT_EQUAL(sim_sock_recv(r, &c, &reader, 10, NULL, &ret), 0);
	CU_ASSERT_PTR_NULL(c.from); /* a is unnamed */
	CU_ASSERT_PTR_EQUAL(wake.first, &me); /* room: the sleeping sender is woken */
	CU_ASSERT(sim_sock_check(r) && sim_sock_check(a));
	/* Connected to a, r takes a's datagrams past the limit, and refuses everyone else. */
	CU_ASSERT_EQUAL(sim_sock_dgram_connect(r, a), 0);
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), 0);
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 1, &done), 0);
	SimSockPair *bp = sim_sock_new("sock#3", SIM_SOCK_DGRAM);
	CU_ASSERT_EQUAL(sim_sock_send(&bp->end[0], &c, &me, &src, 1, &done), EPERM);
	CU_ASSERT_EQUAL(sim_sock_dgram_connect(&bp->end[0], r), EPERM);
	/* a goes first: its pair waits for its buffers on r's queue to be freed. */
	sim_sock_pair_free(ap);
	CU_ASSERT_EQUAL(r->rcvq.length, 12u);
	sim_sock_pair_free(rp); /* frees r's queue, and with it a's pair */
	sim_sock_pair_free(bp);
}

/* recv tells who sent a datagram: the name the sender had when it sent, or none. */
static void test_sock_recv_from_names_the_sender(void)
{
	SimWakeList wake = { 0 };
	SimWaiter me = { 0 };
	SimSockCtx c = { .wake = &wake, .nonblock = TRUE };
	SimSockPair *rp = sim_sock_new("sock#1", SIM_SOCK_DGRAM);
	SimSockPair *ap = sim_sock_new("sock#2", SIM_SOCK_DGRAM);
	SimSock *r = &rp->end[0], *a = &ap->end[0];
	SimSockDest to_r = { .given = TRUE, .to = r };
	SimSockSrc src = { "hi", 2 };
	gsize done = 0, ret = 0;
	c.dest = &to_r;
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 2, &done), 0); /* unnamed */
	a->name = g_strdup("sender");
	CU_ASSERT_EQUAL(sim_sock_send(a, &c, &me, &src, 2, &done), 0);
	CU_ASSERT_EQUAL(sim_sock_recv(r, &c, &me, 10, NULL, &ret), 0);
	CU_ASSERT_PTR_NULL(c.from);
	CU_ASSERT_EQUAL(sim_sock_recv(r, &c, &me, 10, NULL, &ret), 0);
	CU_ASSERT_STRING_EQUAL(c.from, "@sender");
	g_free(c.from);
	sim_sock_pair_free(rp);
	sim_sock_pair_free(ap);
}

/* sysctl max_dgram_qlen=N reaches the sockets made afterwards: N + 1 datagrams fit. */
static void test_sock_sysctl_max_dgram_qlen(void)
{
	TestRun r = test_run_text("sysctl max_dgram_qlen=0\n"
				  "process p {\n"
				  "  socket dgram -> r\n"
				  "  bind r \"@q\"\n"
				  "  socket dgram -> s\n"
				  "  @one sendto s \"a\" to=\"@q\" dontwait\n"
				  "  @two sendto s \"b\" to=\"@q\" dontwait\n"
				  "}\n"
				  "expect @one ok\n"
				  "expect @two errno=EAGAIN\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	if (r.verdict.failed)
		fprintf(stderr, "\n%s\n", r.out);
	test_run_free(&r);
}

/* A seqpacket end after SHUT_RDWR: its queue still gives records, then 0 (end of file) even
 * with MSG_DONTWAIT, where a datagram end gives EAGAIN; sending is EPIPE both ways and never
 * SIGPIPE. Probed on Linux 6.x (unshare -i -n). */
static void test_sock_seqpacket_after_shut_rdwr(void)
{
	SimWakeList wake = { 0 };
	SimWaiter me = { 0 };
	SimSockCtx c = { .wake = &wake, .nonblock = TRUE };
	SimSockPair *sp = sim_sock_pair_new("sock#1", SIM_SOCK_SEQPACKET);
	SimSockPair *dp = sim_sock_pair_new("sock#2", SIM_SOCK_DGRAM);
	SimSockSrc src = { "one", 3 };
	gsize done = 0, ret = 9;
	CU_ASSERT_EQUAL(sim_sock_send(&sp->end[1], &c, &me, &src, 3, &done), 0);
	CU_ASSERT_EQUAL(sim_sock_shutdown(&sp->end[0], &c, SIM_SHUT_RDWR), 0);
	CU_ASSERT_EQUAL(sim_sock_recv(&sp->end[0], &c, &me, 10, NULL, &ret), 0);
	CU_ASSERT_EQUAL(ret, 3u);
	g_clear_pointer(&c.from, g_free);
	CU_ASSERT_EQUAL(sim_sock_recv(&sp->end[0], &c, &me, 10, NULL, &ret), 0);
	CU_ASSERT_EQUAL(ret, 0u);
	CU_ASSERT_EQUAL(sim_sock_send(&sp->end[0], &c, &me, &src, 3, &done), EPIPE);
	CU_ASSERT_FALSE(c.sigpipe);
	CU_ASSERT_EQUAL(sim_sock_send(&sp->end[1], &c, &me, &src, 3, &done), EPIPE);
	CU_ASSERT_FALSE(c.sigpipe);
	CU_ASSERT_EQUAL(sim_sock_recv(&sp->end[1], &c, &me, 10, NULL, &ret), 0); /* mirror */
	CU_ASSERT_EQUAL(ret, 0u);
	CU_ASSERT_EQUAL(sim_sock_shutdown(&dp->end[0], &c, SIM_SHUT_RDWR), 0);
	CU_ASSERT_EQUAL(sim_sock_recv(&dp->end[0], &c, &me, 10, NULL, &ret), EAGAIN);
	sim_sock_pair_free(sp);
	sim_sock_pair_free(dp);
}

CU_TestInfo sock_addr_tests[] = {
	{ "seqpacket after SHUT_RDWR", test_sock_seqpacket_after_shut_rdwr },
	{ "sysctl max_dgram_qlen", test_sock_sysctl_max_dgram_qlen },
	{ "dgram sendto and the queue limit", test_sock_dgram_sendto_and_the_queue_limit },
	{ "recv from names the sender", test_sock_recv_from_names_the_sender },
	{ "path names are socket files", test_sock_path_names_are_socket_files },
	{ "a shut listener accepts what it queued, then EINVAL",
	  test_sock_shut_listener_accepts_what_it_queued_then_einval },
	CU_TEST_INFO_NULL,
};

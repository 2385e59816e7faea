/* test_sock.c — UNIX-domain socket pairs (sock.h), against numbers measured on Linux 6.x in a
 * private namespace: how many sends of each size fit in the send buffer per type (278 of one
 * byte, 93 of 1000, 44 stream writes of 4096 but 26 datagrams, a stream send of 65536 cut at
 * 36544, EMSGSIZE above sk_sndbuf - 32); record boundaries (stream reads across sends,
 * datagrams one record at a time, MSG_PEEK and MSG_TRUNC); shutdown and its mirror on the
 * peer; a close with data unread (ECONNRESET after the data on a stream, before it on a
 * seqpacket end; ECONNREFUSED then ENOTCONN on a datagram end); SIGPIPE only on streams and
 * not with MSG_NOSIGNAL; blocking senders woken once a quarter of the buffer is left.
 * Every operation is followed by sim_sock_check on both ends.
 */
#include <stdio.h>
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/sock.h"
#include "tests.h"

typedef struct Fx {
	SimSockPair *sp;
	SimWakeList wake;
	SimWaiter me;
	GString *out;
} Fx;

static void fx_init(Fx *fx, int type)
{
	memset(fx, 0, sizeof(*fx));
	fx->sp = sim_sock_pair_new("sock#1", type);
	fx->out = g_string_new(NULL);
}

static void fx_clear(Fx *fx)
{
	sim_sock_pair_free(fx->sp);
	g_string_free(fx->out, TRUE);
}

static void checked(Fx *fx)
{
	CU_ASSERT(sim_sock_check(&fx->sp->end[0]));
	CU_ASSERT(sim_sock_check(&fx->sp->end[1]));
}

/* send on end i; returns the errno (0), *done the count; sigpipe in *pipe when given. */
static int snd(Fx *fx, int i, const char *text, gsize n, guint flags, gsize *done, gboolean *pipe)
{
	SimSockCtx c = { .wake = &fx->wake, .flags = flags, .nonblock = TRUE };
	SimSockSrc src = { text, text ? strlen(text) : 0 };
	gsize d = 0;
	int err = sim_sock_send(&fx->sp->end[i], &c, &fx->me, &src, n, &d);
	if (done)
		*done = d;
	if (pipe)
		*pipe = c.sigpipe;
	checked(fx);
	return err;
}

/* recv on end i without blocking; the result in *ret, the bytes in fx->out. */
static int rcv(Fx *fx, int i, gsize n, guint flags, gsize *ret)
{
	SimSockCtx c = { .wake = &fx->wake, .flags = flags, .nonblock = TRUE };
	g_string_truncate(fx->out, 0);
	int err = sim_sock_recv(&fx->sp->end[i], &c, &fx->me, n, fx->out, ret);
	checked(fx);
	return err;
}

/* How many non-blocking sends of n bytes fit before EAGAIN; *total the bytes. */
static int fill_count(int type, gsize n, gsize *total)
{
	Fx fx;
	fx_init(&fx, type);
	int count = 0;
	gsize done = 0;
	*total = 0;
	while (snd(&fx, 0, NULL, n, 0, &done, NULL) == 0 && done == n && count < 100000) {
		count++;
		*total += done;
	}
	*total += done < n ? done : 0;
	fx_clear(&fx);
	return count;
}

static void test_sock_send_buffer_fits_what_the_kernel_fits(void)
{
	gsize total;
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_STREAM, 1, &total), 278);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_DGRAM, 100, &total), 278);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_SEQPACKET, 1000, &total), 93);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_STREAM, 4096, &total), 44);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_STREAM, 5000, &total), 34);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_DGRAM, 4096, &total), 26);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_DGRAM, 65536, &total), 4);
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_DGRAM, 100000, &total), 3);
	/* Three whole sends of 65536 and a fourth cut after one buffer of 36544. */
	CU_ASSERT_EQUAL(fill_count(SIM_SOCK_STREAM, 65536, &total), 3);
	CU_ASSERT_EQUAL(total, 233152);
	fill_count(SIM_SOCK_STREAM, 300000, &total);
	CU_ASSERT_EQUAL(total, 219264);
}

static void test_sock_datagram_above_sndbuf_is_emsgsize(void)
{
	Fx fx;
	fx_init(&fx, SIM_SOCK_SEQPACKET);
	CU_ASSERT_EQUAL(snd(&fx, 0, NULL, SIM_SOCK_SNDBUF - 31, 0, NULL, NULL), EMSGSIZE);
	CU_ASSERT_EQUAL(snd(&fx, 0, NULL, SIM_SOCK_SNDBUF - 32, 0, NULL, NULL), 0);
	fx_clear(&fx);
}

static void test_sock_stream_reads_across_sends_records_do_not(void)
{
	gsize ret;
	Fx fx;
	fx_init(&fx, SIM_SOCK_STREAM);
	snd(&fx, 0, "abcdef", 6, 0, NULL, NULL);
	snd(&fx, 0, "gh", 2, 0, NULL, NULL);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, SIM_MSG_PEEK, &ret), 0);
	CU_ASSERT_EQUAL(ret, 8);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 3, SIM_MSG_TRUNC, &ret), 0); /* ignored on a stream */
	CU_ASSERT_EQUAL(ret, 3);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "defgh");
	CU_ASSERT_EQUAL(fx.sp->end[0].wmem, 0);
	fx_clear(&fx);

	fx_init(&fx, SIM_SOCK_DGRAM);
	snd(&fx, 0, "abcdef", 6, 0, NULL, NULL);
	snd(&fx, 0, "gh", 2, 0, NULL, NULL);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, SIM_MSG_PEEK, &ret), 0);
	CU_ASSERT_EQUAL(ret, 6);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 3, SIM_MSG_TRUNC, &ret), 0); /* the record's length */
	CU_ASSERT_EQUAL(ret, 6);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "abc");
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "gh");
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), EAGAIN);
	fx_clear(&fx);
}

static void test_sock_shutdown_mirrors_on_stream_not_on_dgram(void)
{
	gsize ret;
	gboolean pipe;
	Fx fx;
	fx_init(&fx, SIM_SOCK_STREAM);
	snd(&fx, 0, "ab", 2, 0, NULL, NULL);
	CU_ASSERT_EQUAL(sim_sock_shutdown(&fx.sp->end[0], &(SimSockCtx){ .wake = &fx.wake }, 7),
			EINVAL);
	sim_sock_shutdown(&fx.sp->end[0], &(SimSockCtx){ .wake = &fx.wake }, SIM_SHUT_WR);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, &pipe), EPIPE);
	CU_ASSERT(pipe);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, SIM_MSG_NOSIGNAL, NULL, &pipe), EPIPE);
	CU_ASSERT(!pipe);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), 0);
	CU_ASSERT_EQUAL(ret, 2);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), 0); /* EOF */
	CU_ASSERT_EQUAL(ret, 0);
	fx_clear(&fx);

	fx_init(&fx, SIM_SOCK_DGRAM);
	sim_sock_shutdown(&fx.sp->end[0], &(SimSockCtx){ .wake = &fx.wake }, SIM_SHUT_WR);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, &pipe), EPIPE);
	CU_ASSERT(!pipe); /* datagram sockets never raise SIGPIPE */
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), EAGAIN); /* no mirror */
	fx_clear(&fx);

	fx_init(&fx, SIM_SOCK_SEQPACKET);
	sim_sock_shutdown(&fx.sp->end[0], &(SimSockCtx){ .wake = &fx.wake }, SIM_SHUT_WR);
	CU_ASSERT_EQUAL(rcv(&fx, 1, 100, 0, &ret), 0); /* EOF, even without blocking */
	fx_clear(&fx);
}

static void test_sock_close_with_data_unread_resets_the_peer(void)
{
	gsize ret;
	gboolean pipe;
	Fx fx;
	fx_init(&fx, SIM_SOCK_STREAM);
	snd(&fx, 0, "hello", 5, 0, NULL, NULL);
	snd(&fx, 1, "abc", 3, 0, NULL, NULL);
	CU_ASSERT(!sim_sock_close(&fx.sp->end[1], &(SimSockCtx){ .wake = &fx.wake }));
	CU_ASSERT_EQUAL(fx.sp->end[0].wmem, 0); /* its buffers went with the queue */
	CU_ASSERT_EQUAL(rcv(&fx, 0, 100, 0, &ret), 0);
	CU_ASSERT_EQUAL(ret, 3); /* the data first */
	CU_ASSERT_EQUAL(rcv(&fx, 0, 100, 0, &ret), ECONNRESET);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, &pipe), EPIPE);
	CU_ASSERT(pipe);
	CU_ASSERT_EQUAL(rcv(&fx, 0, 100, 0, &ret), 0);
	CU_ASSERT(sim_sock_close(&fx.sp->end[0], &(SimSockCtx){ .wake = &fx.wake }));
	fx_clear(&fx);

	fx_init(&fx, SIM_SOCK_SEQPACKET);
	snd(&fx, 0, "hello", 5, 0, NULL, NULL);
	snd(&fx, 1, "abc", 3, 0, NULL, NULL);
	sim_sock_close(&fx.sp->end[1], &(SimSockCtx){ .wake = &fx.wake });
	CU_ASSERT_EQUAL(rcv(&fx, 0, 100, 0, &ret), ECONNRESET); /* before the data */
	CU_ASSERT_EQUAL(rcv(&fx, 0, 100, 0, &ret), 0);
	CU_ASSERT_EQUAL(ret, 3);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, &pipe), EPIPE);
	CU_ASSERT(!pipe);
	fx_clear(&fx);

	fx_init(&fx, SIM_SOCK_DGRAM);
	snd(&fx, 0, "hello", 5, 0, NULL, NULL);
	sim_sock_close(&fx.sp->end[1], &(SimSockCtx){ .wake = &fx.wake });
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, NULL), ECONNREFUSED);
	CU_ASSERT_EQUAL(snd(&fx, 0, "x", 1, 0, NULL, NULL), ENOTCONN);
	fx_clear(&fx);
}

static void test_sock_blocked_sender_wakes_at_a_quarter(void)
{
	Fx fx;
	fx_init(&fx, SIM_SOCK_DGRAM);
	int n = 0;
	while (snd(&fx, 0, NULL, 1000, 0, NULL, NULL) == 0)
		n++;
	CU_ASSERT_EQUAL(n, 93);
	SimSockCtx c = { .wake = &fx.wake };
	SimSockSrc src = { NULL, 0 };
	gsize done = 0, ret;
	CU_ASSERT_EQUAL(sim_sock_send(&fx.sp->end[0], &c, &fx.me, &src, 1000, &done), SIM_BLOCKED);
	fx.me.task = 3;
	/* 93 * 2304 bytes are counted; freeing 69 leaves 24 * 2304 = 55296 > 53248: asleep. */
	for (int i = 0; i < 69; i++)
		rcv(&fx, 1, 1000, 0, &ret);
	CU_ASSERT_PTR_NULL(fx.wake.first);
	rcv(&fx, 1, 1000, 0, &ret); /* 23 * 2304 = 52992: writable */
	CU_ASSERT_PTR_EQUAL(fx.wake.first, &fx.me);
	fx_clear(&fx);
}

static void test_sock_listen_connect_accept_in_the_kernels_order(void)
{
	SimWakeList wake = { 0 };
	SimWaiter me = { 0 };
	SimSockCtx c = { .wake = &wake, .nonblock = TRUE };
	SimSockPair *l = sim_sock_new("sock#1", SIM_SOCK_STREAM);
	SimSockPair *a = sim_sock_new("sock#2", SIM_SOCK_STREAM);
	SimSockPair *b = sim_sock_new("sock#3", SIM_SOCK_STREAM);
	SimSockPair *d = sim_sock_pair_new("sock#4", SIM_SOCK_DGRAM);
	SimSock *ls = &l->end[0], *got = NULL;
	CU_ASSERT_EQUAL(sim_sock_listen(&d->end[0], &c, 1), EOPNOTSUPP); /* type first */
	CU_ASSERT_EQUAL(sim_sock_listen(ls, &c, 0), EINVAL);		   /* then unbound */
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), ECONNREFUSED);
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), EINVAL); /* not listening */
	ls->name = g_strdup("srv");
	CU_ASSERT_EQUAL(sim_sock_listen(ls, &c, 0), 0);
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), EAGAIN);
	/* A backlog of 0 still takes one connection: the queue is full past the backlog. */
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), 0);
	CU_ASSERT_EQUAL(sim_sock_connect(&b->end[0], ls, &c, &me), EAGAIN);
	/* The full queue comes before the connecting socket's own state (EISCONN). */
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), EAGAIN);
	c.nonblock = FALSE;
	CU_ASSERT_EQUAL(sim_sock_connect(&b->end[0], ls, &c, &me), SIM_BLOCKED);
	c.nonblock = TRUE;
	CU_ASSERT_EQUAL(sim_sock_accept(ls, &c, &me, &got), 0); /* wakes the connect */
	CU_ASSERT_PTR_EQUAL(got, &a->end[1]);
	CU_ASSERT_PTR_EQUAL(wake.first, &me);
	CU_ASSERT_EQUAL(sim_sock_connect(&a->end[0], ls, &c, &me), EISCONN);
	CU_ASSERT_EQUAL(sim_sock_connect(&b->end[0], ls, &c, &me), 0);
	/* Closing the listener resets the client it never accepted. */
	CU_ASSERT(sim_sock_close(ls, &c));
	CU_ASSERT_EQUAL(c.pairs_freed, 0); /* b's own end is still open */
	gsize ret;
	CU_ASSERT_EQUAL(sim_sock_recv(&b->end[0], &c, &me, 10, NULL, &ret), ECONNRESET);
	CU_ASSERT_EQUAL(sim_sock_recv(&b->end[0], &c, &me, 10, NULL, &ret), 0); /* EOF */
	sim_sock_pair_free(l);
	sim_sock_pair_free(a);
	sim_sock_pair_free(b);
	sim_sock_pair_free(d);
}

/* read and write on a socket descriptor, through the language: recv and send with no flags
 * (a record a read, cut; an empty record from a write of 0; a read of 0 returns 0 without
 * taking that record; O_NONBLOCK is EAGAIN; EPIPE with SIGPIPE on a stream shut for
 * sending, even for 0 bytes). Probed on Linux 6.x in a private namespace. */
static void test_sock_read_and_write_are_recv_and_send(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  on SIGPIPE ignore\n"
				  "  socketpair dgram nonblock -> d\n"
				  "  @w write d.r \"hello\"\n"
				  "  @w0 write d.r \"\"\n"
				  "  @cut read d.w size=3\n"
				  "  @z read d.w size=0\n"
				  "  @empty read d.w size=100\n"
				  "  @again read d.w size=100\n"
				  "  socketpair stream -> s\n"
				  "  shutdown s.r wr\n"
				  "  @pipe0 write s.r \"\"\n"
				  "  @eof read s.w size=10\n"
				  "}\n"
				  "expect @w ok\n"
				  "expect @w0 ok\n"
				  "expect @again errno=EAGAIN\n"
				  "expect @pipe0 errno=EPIPE\n"
				  "expect @eof ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "read d.w size=3 -> ok, 3 bytes: \"hel\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "read d.w size=0 -> ok, 0 bytes\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "read d.w size=100 -> ok, 0 bytes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGPIPE from p: ignored"));
	if (r.verdict.failed)
		fprintf(stderr, "\n%s\n", r.out);
	test_run_free(&r);
}

CU_TestInfo sock_tests[] = {
	{ "send buffer fits what the kernel fits",
	  test_sock_send_buffer_fits_what_the_kernel_fits },
	{ "datagram above sndbuf is EMSGSIZE", test_sock_datagram_above_sndbuf_is_emsgsize },
	{ "stream reads across sends, records do not",
	  test_sock_stream_reads_across_sends_records_do_not },
	{ "shutdown mirrors on stream, not on dgram",
	  test_sock_shutdown_mirrors_on_stream_not_on_dgram },
	{ "close with data unread resets the peer",
	  test_sock_close_with_data_unread_resets_the_peer },
	{ "blocked sender wakes at a quarter", test_sock_blocked_sender_wakes_at_a_quarter },
	{ "listen, connect, accept in the kernel's order",
	  test_sock_listen_connect_accept_in_the_kernels_order },
	{ "read and write are recv and send", test_sock_read_and_write_are_recv_and_send },
	CU_TEST_INFO_NULL,
};

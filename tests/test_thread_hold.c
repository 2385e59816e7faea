/* test_thread_hold.c — a close by one thread under another thread's blocked socket or POSIX
 * queue call.
 *
 * Linux looks a call's descriptor up once, at its start (fdget), and holds the open file
 * until the call returns: probed under `unshare -i` with pthreads, a recv blocked on a socket
 * pair end that another thread closes still returns the bytes the peer sends afterwards, and
 * only then is the socket released (a send after that fails with EPIPE); an mq_receive on a
 * descriptor another thread closes gets the message sent through another descriptor. The
 * model holds the description likewise (io_file) in a threaded process.
 */
#include <errno.h>
#include <string.h>

#include "engine/world_int.h"
#include "tests.h"

static void test_hold_recv_survives_a_close_by_another_thread(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    on SIGPIPE ignore\n"
				  "    socketpair stream -> s\n"
				  "    thread reader { @r recv s.r }\n"
				  "    sleep 1ms\n"
				  "    @c close s.r\n"
				  "    socketpair stream -> t\n"
				  "    @w sendto s.w \"hello\"\n"
				  "    join reader\n"
				  "    @late sendto s.w \"again\"\n"
				  "}\n"
				  "expect main@c ok\n"
				  "expect main@w ret=5\n"
				  "expect main@late errno=EPIPE\n"
				  "expect reader@r blocked then ok ret=5\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "w"), 0);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "late"), EPIPE);
	CU_ASSERT_EQUAL(test_run_task(&r, "reader")->n_received, 1);
	CU_ASSERT_PTR_NULL(test_run_task(&r, "reader")->io_file); /* the hold went back */
	test_run_free(&r);
}

static void test_hold_read_on_a_socket_survives_a_close(void)
{
	/* read on a socket is its recv: it holds the socket the same way, even when the
	 * closed number is taken by a pipe meanwhile. */
	TestRun r = test_run_text("process main {\n"
				  "    socketpair stream -> s\n"
				  "    thread reader { @r read s.r size=16 }\n"
				  "    sleep 1ms\n"
				  "    @c close s.r\n"
				  "    pipe -> p\n"
				  "    @w sendto s.w \"hello\"\n"
				  "    join reader\n"
				  "}\n"
				  "expect main@w ret=5\n"
				  "expect reader@r blocked then ok ret=5\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	CU_ASSERT_PTR_NULL(test_run_task(&r, "reader")->io_file);
	test_run_free(&r);
}

/* A thread killed in a held read lets the socket go: a send to its peer then fails. */
static void test_hold_goes_back_when_the_thread_is_killed(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    on SIGPIPE ignore\n"
				  "    socketpair stream -> s\n"
				  "    fork child {\n"
				  "        close s.w\n"
				  "        thread reader { read s.r size=16 }\n"
				  "        sleep 1ms\n"
				  "        close s.r\n"
				  "        sleep 1s\n"
				  "    }\n"
				  "    close s.r\n"
				  "    sleep 2ms\n"
				  "    kill child SIGKILL\n"
				  "    wait child\n"
				  "    @gone sendto s.w \"y\"\n"
				  "}\n"
				  "expect main@gone errno=EPIPE\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	test_run_free(&r);
}

static void test_hold_send_survives_a_close_by_another_thread(void)
{
	/* The send buffer fills; the writer thread waits; main closes its descriptor and
	 * reads from the peer: the send completes on the socket it holds, and the end of file
	 * comes only once it returned and let the socket go. */
	TestRun r = test_run_text("process main {\n"
				  "    socketpair stream -> s\n"
				  "    thread writer { @big sendto s.w size=400000 }\n"
				  "    sleep 1ms\n"
				  "    @c close s.w\n"
				  "    loop {\n"
				  "        recv s.r size=65536\n"
				  "        break if eof\n"
				  "        sleep 1ms\n"
				  "    }\n"
				  "    join writer\n"
				  "}\n"
				  "expect writer@big blocked then ok ret=400000\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_PTR_NULL(test_run_task(&r, "writer")->io_file);
	test_run_free(&r);
}

/* Whether the reader's wait held its queue's description right after main's close. */
typedef struct Seen {
	gboolean closed, held;
} Seen;

static void after_close(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
			SimCallPhase phase)
{
	Seen *seen = data;
	if (phase != SIM_CALL_FINISHED || !st || !st->label || strcmp(st->label, "c") != 0)
		return;
	for (guint i = 0; i < w->n_tasks; i++)
		if (w->tasks[i].group == t->group && &w->tasks[i] != t)
			seen->held = w->tasks[i].io_file != NULL && w->tasks[i].io_file->refs == 1;
	seen->closed = TRUE;
}

static void test_hold_mq_receive_keeps_its_queue_through_a_close(void)
{
	/* The queue is unlinked and its only descriptor closed while the reader waits: the
	 * wait's hold keeps the queue until its timeout. */
	Seen seen = { FALSE, FALSE };
	SimWorldOptions opt = { .hook = { after_close, &seen } };
	TestRun r = test_run_text("process main {\n"
				  "    mq_open \"/hold\" create rdwr perm=0600 maxmsg=4 msgsize=16 -> q\n"
				  "    thread reader { @r mq_receive q timeout=5ms }\n"
				  "    sleep 1ms\n"
				  "    mq_unlink \"/hold\"\n"
				  "    @c mq_close q\n"
				  "    join reader\n"
				  "}\n"
				  "expect reader@r blocked then errno=ETIMEDOUT\n",
				  FALSE, &opt);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_TRUE(seen.closed);
	CU_ASSERT_TRUE(seen.held);
	CU_ASSERT_PTR_NULL(test_run_task(&r, "reader")->io_file);
	test_run_free(&r);
}

static void test_hold_mq_receive_gets_a_message_after_a_close(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    mq_open \"/hold2\" create rdwr perm=0600 maxmsg=4 msgsize=16 -> q\n"
				  "    mq_open \"/hold2\" wronly -> w\n"
				  "    thread reader { @r mq_receive q }\n"
				  "    sleep 1ms\n"
				  "    @c mq_close q\n"
				  "    @s mq_send w \"hello\"\n"
				  "    join reader\n"
				  "    mq_unlink \"/hold2\"\n"
				  "}\n"
				  "expect main@c ok\n"
				  "expect reader@r blocked then ok ret=5\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	test_run_free(&r);
}

CU_TestInfo thread_hold_tests[] = {
	{ "recv survives a close by another thread",
	  test_hold_recv_survives_a_close_by_another_thread },
	{ "read on a socket survives a close", test_hold_read_on_a_socket_survives_a_close },
	{ "hold goes back when the thread is killed",
	  test_hold_goes_back_when_the_thread_is_killed },
	{ "send survives a close by another thread",
	  test_hold_send_survives_a_close_by_another_thread },
	{ "mq_receive keeps its queue through a close",
	  test_hold_mq_receive_keeps_its_queue_through_a_close },
	{ "mq_receive gets a message after a close",
	  test_hold_mq_receive_gets_a_message_after_a_close },
	CU_TEST_INFO_NULL,
};

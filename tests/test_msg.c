/* test_msg.c — messages, their pool and message lists (msg.h): the pool hands out cleared
 * records, reuses returned ones, counts the ones out, frees an owned text on return (the
 * ASan build proves it), grows past a chunk and refuses to be cleared while a message is
 * out; a FIFO list keeps arrival order; a priority list keeps the highest priority first and
 * arrival order among equals wherever the new message lands (head, middle or tail); removal
 * relinks the neighbours at every position; sim_msg_list_check accepts good lists and
 * rejects broken ones; drain empties a list into the pool.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/base.h"
#include "msgsim/kernel/msg.h"
#include "tests.h"

static SimMsg *msg_new(SimMsgPool *pool, int from, gint64 prio, gint64 type)
{
	SimMsg *m = sim_msg_pool_get(pool);
	m->from = from;
	m->prio = prio;
	m->type = type;
	m->text = "x";
	m->len = 1;
	return m;
}

/* Asserts the list holds exactly the messages of the given types, head to tail. */
static void assert_types(const SimMsgList *l, const gint64 *types, guint n)
{
	guint i = 0;
	CU_ASSERT_TRUE(sim_msg_list_check(l));
	CU_ASSERT_EQUAL(l->len, n);
	for (const SimMsg *m = l->head; m && i < n; m = m->next, i++)
		CU_ASSERT_EQUAL(m->type, types[i]);
	CU_ASSERT_EQUAL(i, n);
	/* The tail is the last message met. */
	CU_ASSERT_TRUE(n ? l->tail != NULL && l->tail->type == types[n - 1] && !l->tail->next
			 : l->tail == NULL);
}

static void test_msg_pool_get_returns_a_cleared_unaddressed_message(void)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	SimMsg *m = sim_msg_pool_get(&pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* Dirty the record so a reuse that forgot to clear it would show. */
	m->from = 4;
	m->type = 9;
	m->prio = 3;
	m->seq = 17;
	m->text = "old";
	m->len = 3;
	sim_msg_pool_put(&pool, m);
	m = sim_msg_pool_get(&pool);
	CU_ASSERT_EQUAL(m->from, 0);
	CU_ASSERT_EQUAL(m->type, 0);
	CU_ASSERT_EQUAL(m->prio, 0);
	CU_ASSERT_EQUAL(m->seq, 0);
	CU_ASSERT_PTR_NULL(m->text);
	CU_ASSERT_EQUAL(m->len, 0);
	CU_ASSERT_FALSE(m->owned);
	CU_ASSERT_PTR_NULL(m->next);
	/* "Not addressed" is -1 (msg.h), so a fresh message must not be addressed to task 0. */
	CU_ASSERT_EQUAL(m->to, -1);
	sim_msg_pool_put(&pool, m);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_pool_reuses_a_returned_record(void)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	SimMsg *a = sim_msg_pool_get(&pool);
	SimMsg *b = sim_msg_pool_get(&pool);
	CU_ASSERT_PTR_NOT_EQUAL(a, b);
	CU_ASSERT_EQUAL(pool.live, 2);
	sim_msg_pool_put(&pool, a);
	CU_ASSERT_EQUAL(pool.live, 1);
	/* The record just returned is the next one out: no malloc on the hot path. */
	SimMsg *c = sim_msg_pool_get(&pool);
	CU_ASSERT_PTR_EQUAL(c, a);
	CU_ASSERT_EQUAL(pool.live, 2);
	CU_ASSERT_EQUAL(pool.chunks->len, 1);
	sim_msg_pool_put(&pool, b);
	sim_msg_pool_put(&pool, c);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_pool_put_null_is_ignored(void)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	SimMsg *m = sim_msg_pool_get(&pool);
	SimMsg *free_head = pool.free;
	sim_msg_pool_put(&pool, NULL);
	CU_ASSERT_EQUAL(pool.live, 1);
	CU_ASSERT_PTR_EQUAL(pool.free, free_head);
	sim_msg_pool_put(&pool, m);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_pool_put_frees_an_owned_text(void)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	SimMsg *m = sim_msg_pool_get(&pool);
	sim_msg_own_text(&pool, m, "hello P2", strlen("hello P2"));
	CU_ASSERT_EQUAL(pool.text_bytes, strlen("hello P2") + 1);
	/* Under ASan a leaked own text fails the run; here the reused record must not keep it. */
	sim_msg_pool_put(&pool, m);
	SimMsg *again = sim_msg_pool_get(&pool);
	CU_ASSERT_PTR_EQUAL(again, m);
	CU_ASSERT_FALSE(again->owned);
	CU_ASSERT_PTR_NULL(again->text);
	sim_msg_pool_put(&pool, again);
	CU_ASSERT_EQUAL(pool.live, 0);
	CU_ASSERT_EQUAL(pool.text_bytes, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_pool_grows_past_one_chunk_with_distinct_records(void)
{
	enum { N = 1000 };
	SimMsgPool pool;
	SimMsg *ms[N];
	sim_msg_pool_init(&pool);
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (int i = 0; i < N; i++) {
		ms[i] = sim_msg_pool_get(&pool);
		ms[i]->type = i;
		g_hash_table_add(seen, ms[i]);
	}
	CU_ASSERT_EQUAL(g_hash_table_size(seen), N);
	CU_ASSERT_EQUAL(pool.live, N);
	CU_ASSERT_TRUE(pool.chunks->len > 1);
	/* Every record still holds what was written to it: no two overlap. */
	for (int i = 0; i < N; i++)
		CU_ASSERT_EQUAL(ms[i]->type, i);
	for (int i = 0; i < N; i++)
		sim_msg_pool_put(&pool, ms[i]);
	CU_ASSERT_EQUAL(pool.live, 0);
	g_hash_table_unref(seen);
	sim_msg_pool_clear(&pool);
}

static void clear_pool_with_a_message_out(void)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	(void)sim_msg_pool_get(&pool);
	sim_msg_pool_clear(&pool);
}

static void test_msg_pool_clear_asserts_no_message_is_out(void)
{
	/* msg.h: "messages still out are lost (assert none)": a lost message is a bug to catch. */
	CU_ASSERT_TRUE(test_dies(clear_pool_with_a_message_out));
}

static void test_msg_fifo_list_keeps_arrival_order(void)
{
	SimMsgPool pool;
	SimMsgList l;
	const gint64 want[] = { 1, 2, 3, 4, 5 };
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_FIFO);
	CU_ASSERT_TRUE(sim_msg_list_check(&l));
	CU_ASSERT_PTR_NULL(l.head);
	/* Priorities are ignored by a FIFO list, so they are made to disagree with arrival. */
	for (int i = 0; i < 5; i++)
		sim_msg_list_insert(&l, msg_new(&pool, 0, i % 2 ? 9 : 1, i + 1));
	assert_types(&l, want, 5);
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_priority_list_highest_first_fifo_among_equals(void)
{
	SimMsgPool pool;
	SimMsgList l;
	/* type = arrival number; prio picked so that equal priorities arrive interleaved. */
	const gint64 prio[] = { 1, 5, 3, 5, 1, 0, 3, 5 };
	const gint64 want[] = { 2, 4, 8, 3, 7, 1, 5, 6 };
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_PRIORITY);
	for (int i = 0; i < 8; i++) {
		sim_msg_list_insert(&l, msg_new(&pool, 0, prio[i], i + 1));
		CU_ASSERT_TRUE(sim_msg_list_check(&l));
	}
	assert_types(&l, want, 8);
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_priority_insert_at_head_middle_and_tail(void)
{
	SimMsgPool pool;
	SimMsgList l;
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_PRIORITY);
	sim_msg_list_insert(&l, msg_new(&pool, 0, 5, 1));
	sim_msg_list_insert(&l, msg_new(&pool, 0, 1, 2));
	/* Tail: lower than everything queued. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 0, 3));
	const gint64 tail[] = { 1, 2, 3 };
	assert_types(&l, tail, 3);
	/* Head: higher than everything queued. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 9, 4));
	const gint64 head[] = { 4, 1, 2, 3 };
	assert_types(&l, head, 4);
	/* Middle: between 5 and 1. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 3, 5));
	const gint64 mid[] = { 4, 1, 5, 2, 3 };
	assert_types(&l, mid, 5);
	/* Equal to the head: goes after it, not before. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 9, 6));
	const gint64 eq_head[] = { 4, 6, 1, 5, 2, 3 };
	assert_types(&l, eq_head, 6);
	/* Equal to the tail: goes last. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 0, 7));
	const gint64 eq_tail[] = { 4, 6, 1, 5, 2, 3, 7 };
	assert_types(&l, eq_tail, 7);
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_remove_from_head_middle_and_tail(void)
{
	SimMsgPool pool;
	SimMsgList l;
	SimMsg *m[5];
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_FIFO);
	for (int i = 0; i < 5; i++) {
		m[i] = msg_new(&pool, 0, 0, i + 1);
		sim_msg_list_insert(&l, m[i]);
	}
	sim_msg_list_remove(&l, m[2]);
	CU_ASSERT_PTR_NULL(m[2]->next);
	const gint64 a[] = { 1, 2, 4, 5 };
	assert_types(&l, a, 4);
	sim_msg_list_remove(&l, m[0]);
	CU_ASSERT_PTR_EQUAL(l.head, m[1]);
	const gint64 b[] = { 2, 4, 5 };
	assert_types(&l, b, 3);
	sim_msg_list_remove(&l, m[4]);
	CU_ASSERT_PTR_EQUAL(l.tail, m[3]);
	const gint64 c[] = { 2, 4 };
	assert_types(&l, c, 2);
	sim_msg_list_remove(&l, m[1]);
	sim_msg_list_remove(&l, m[3]);
	CU_ASSERT_PTR_NULL(l.head);
	CU_ASSERT_PTR_NULL(l.tail);
	assert_types(&l, NULL, 0);
	/* A removed message can be inserted again, into an emptied list. */
	sim_msg_list_insert(&l, m[3]);
	const gint64 d[] = { 4 };
	assert_types(&l, d, 1);
	sim_msg_list_drain(&l, &pool);
	sim_msg_pool_put(&pool, m[0]);
	sim_msg_pool_put(&pool, m[1]);
	sim_msg_pool_put(&pool, m[2]);
	sim_msg_pool_put(&pool, m[4]);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_list_check_rejects_broken_lists(void)
{
	SimMsgPool pool;
	SimMsgList l;
	SimMsg *m[3];
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_PRIORITY);
	for (int i = 0; i < 3; i++) {
		m[i] = msg_new(&pool, 0, 3 - i, i + 1);
		sim_msg_list_insert(&l, m[i]);
	}
	CU_ASSERT_TRUE(sim_msg_list_check(&l));
	/* Wrong length. */
	l.len = 2;
	CU_ASSERT_FALSE(sim_msg_list_check(&l));
	l.len = 3;
	/* A link that skips a message (the count no longer meets the tail). */
	m[0]->next = m[2];
	CU_ASSERT_FALSE(sim_msg_list_check(&l));
	m[0]->next = m[1];
	/* A cycle. */
	m[2]->next = m[0];
	CU_ASSERT_FALSE(sim_msg_list_check(&l));
	m[2]->next = NULL;
	/* A tail that is not the last message. */
	l.tail = m[1];
	CU_ASSERT_FALSE(sim_msg_list_check(&l));
	l.tail = m[2];
	/* Priority rising along the queue. */
	m[2]->prio = 7;
	CU_ASSERT_FALSE(sim_msg_list_check(&l));
	/* The same list is fine in FIFO order, which does not look at priorities. */
	l.order = SIM_ORDER_FIFO;
	CU_ASSERT_TRUE(sim_msg_list_check(&l));
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

static void test_msg_drain_returns_every_message_to_the_pool(void)
{
	SimMsgPool pool;
	SimMsgList l;
	sim_msg_pool_init(&pool);
	sim_msg_list_init(&l, SIM_ORDER_PRIORITY);
	for (int i = 0; i < 10; i++) {
		SimMsg *m = msg_new(&pool, i, i % 3, i + 1);
		g_autofree char *text = g_strdup_printf("msg %d", i);
		sim_msg_own_text(&pool, m, text, strlen(text));
		sim_msg_list_insert(&l, m);
	}
	CU_ASSERT_EQUAL(pool.live, 10);
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	CU_ASSERT_EQUAL(l.len, 0);
	CU_ASSERT_PTR_NULL(l.head);
	CU_ASSERT_PTR_NULL(l.tail);
	CU_ASSERT_TRUE(sim_msg_list_check(&l));
	/* The drained list is usable again. */
	sim_msg_list_insert(&l, msg_new(&pool, 0, 0, 1));
	CU_ASSERT_EQUAL(l.len, 1);
	sim_msg_list_drain(&l, &pool);
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
}

extern CU_TestInfo msg_tests[];
CU_TestInfo msg_tests[] = {
	{ "pool get returns a cleared, unaddressed message",
	  test_msg_pool_get_returns_a_cleared_unaddressed_message },
	{ "pool reuses a returned record", test_msg_pool_reuses_a_returned_record },
	{ "pool put NULL is ignored", test_msg_pool_put_null_is_ignored },
	{ "pool put frees an owned text", test_msg_pool_put_frees_an_owned_text },
	{ "pool grows past one chunk with distinct records",
	  test_msg_pool_grows_past_one_chunk_with_distinct_records },
	{ "pool clear asserts no message is out", test_msg_pool_clear_asserts_no_message_is_out },
	{ "FIFO list keeps arrival order", test_msg_fifo_list_keeps_arrival_order },
	{ "priority list: highest first, FIFO among equals",
	  test_msg_priority_list_highest_first_fifo_among_equals },
	{ "priority insert at head, middle and tail",
	  test_msg_priority_insert_at_head_middle_and_tail },
	{ "remove from head, middle and tail", test_msg_remove_from_head_middle_and_tail },
	{ "list check rejects broken lists", test_msg_list_check_rejects_broken_lists },
	{ "drain returns every message to the pool",
	  test_msg_drain_returns_every_message_to_the_pool },
	CU_TEST_INFO_NULL,
};

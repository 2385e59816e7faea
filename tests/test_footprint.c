/* test_footprint.c — footprints (footprint.h) and the rows' footprint hooks (call.h).
 *
 * The relation itself is tested on footprints built by hand. The hooks are tested on
 * real worlds: a scenario runs with a call hook that takes the footprint of every
 * labelled statement as it starts, with its operands resolved in the world of that
 * moment, as exploration will take them. Each test then says which pairs conflict.
 */
#include <string.h>

#include "msgsim/calls/call.h"
#include "tests.h"

/* ---- The relation ---- */

static void test_footprint_reads_never_conflict_writes_do(void)
{
	SimFootprint a, b;
	sim_footprint_init(&a);
	sim_footprint_init(&b);
	sim_footprint_add(&a, SIM_OBJ_MBOX, 1, FALSE);
	sim_footprint_add(&b, SIM_OBJ_MBOX, 1, FALSE);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&a, &b));
	sim_footprint_add(&b, SIM_OBJ_MBOX, 1, TRUE); /* the same object, now written */
	CU_ASSERT_EQUAL(b.n, 1);
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&b, &a));
	/* Same id, other kind: another object. */
	SimFootprint c;
	sim_footprint_init(&c);
	sim_footprint_add(&c, SIM_OBJ_SYSVQ, 1, TRUE);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&b, &c));
}

static void test_footprint_all_of_a_kind_meets_every_object_of_it(void)
{
	SimFootprint a, b;
	sim_footprint_init(&a);
	sim_footprint_init(&b);
	sim_footprint_add(&a, SIM_OBJ_PIPE, SIM_OBJ_ALL, TRUE);
	sim_footprint_add(&b, SIM_OBJ_PIPE, 42, FALSE);
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
	CU_ASSERT_TRUE(sim_footprint_touches(&a, SIM_OBJ_PIPE, 7, TRUE));
	CU_ASSERT_FALSE(sim_footprint_touches(&a, SIM_OBJ_MQ, 7, FALSE));
}

static void test_footprint_that_overflows_conflicts_with_everything(void)
{
	SimFootprint a, b;
	sim_footprint_init(&a);
	sim_footprint_init(&b);
	for (guint i = 0; i < SIM_FOOTPRINT_MAX; i++)
		sim_footprint_add(&a, SIM_OBJ_MBOX, i, FALSE);
	CU_ASSERT_FALSE(a.everything);
	sim_footprint_add(&b, SIM_OBJ_OUTPUT, 0, FALSE);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&a, &b));
	sim_footprint_add(&a, SIM_OBJ_MBOX, SIM_FOOTPRINT_MAX, FALSE); /* one too many */
	CU_ASSERT_TRUE(a.everything);
	CU_ASSERT_TRUE(sim_footprint_conflicts(&a, &b));
}

/* ---- The rows' hooks, on running worlds ---- */

typedef struct Taken {
	SimFootprint fp;
	int task;
	SimStmtKind kind;
} Taken;

/* The hook: the footprint of each labelled statement the first time it starts. */
static void take(void *data, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase phase)
{
	GHashTable *by_label = data;
	if (phase != SIM_CALL_STARTED || !st || !st->label ||
	    g_hash_table_contains(by_label, st->label))
		return;
	Taken *k = g_new0(Taken, 1);
	sim_call_footprint(w, t, st, &k->fp);
	k->task = t->id;
	k->kind = st->kind;
	g_hash_table_insert(by_label, st->label, k);
}

typedef struct Run {
	TestRun r;
	GHashTable *by_label; /* label -> Taken (owned); the keys belong to the scenario */
} Run;

static Run run(const char *text)
{
	Run x;
	x.by_label = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	SimWorldOptions opt = { .hook = { .fn = take, .data = x.by_label } };
	x.r = test_run_text(text, FALSE, &opt);
	return x;
}

static void run_free(Run *x)
{
	g_hash_table_destroy(x->by_label);
	test_run_free(&x->r);
}

static const Taken *taken(const Run *x, const char *label)
{
	const Taken *k = g_hash_table_lookup(x->by_label, label);
	if (!k)
		fprintf(stderr, "\nno footprint taken for @%s\n", label);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

static gboolean conflict(const Run *x, const char *a, const char *b)
{
	return sim_footprint_conflicts(&taken(x, a)->fp, &taken(x, b)->fp);
}

static void test_footprint_mailboxes_sends_to_two_commute_a_send_and_a_receive_do_not(void)
{
	Run x = run("mailbox A capacity=4\n"
		    "mailbox B capacity=4\n"
		    "process p { @sa send A \"x\"  @rp receive any nowait }\n"
		    "process q { @sb send B \"y\"  @sq send p \"to p\" }\n"
		    "process r1 start=1ms { @ra1 receive A }\n"
		    "process r2 start=2ms { @ra2 receive A nowait }\n");
	CU_ASSERT_FALSE(conflict(&x, "sa", "sb"));
	CU_ASSERT_TRUE(conflict(&x, "sa", "ra1"));
	CU_ASSERT_TRUE(conflict(&x, "ra1", "ra2"));
	CU_ASSERT_FALSE(conflict(&x, "sb", "ra1"));
	/* A send to a process goes to its inbox, where that process receives. */
	CU_ASSERT_TRUE(conflict(&x, "sq", "rp"));
	CU_ASSERT_FALSE(conflict(&x, "sq", "sa"));
	run_free(&x);
}

static void test_footprint_sysv_calls_on_two_queues_commute_on_one_they_do_not(void)
{
	Run x = run("sysv queue q key=0x6000 perm=0600\n"
		    "sysv queue w key=0x6001 perm=0600\n"
		    "process a { @sq msgsnd q \"x\"  @stat msgctl q stat }\n"
		    "process b { @sw msgsnd w \"y\" }\n"
		    "process c start=1ms { @rq1 msgrcv q nowait }\n"
		    "process d start=2ms { @rq2 msgrcv q nowait  @info msgctl q info }\n");
	CU_ASSERT_FALSE(conflict(&x, "sq", "sw"));
	CU_ASSERT_TRUE(conflict(&x, "sq", "rq1"));
	CU_ASSERT_TRUE(conflict(&x, "rq1", "rq2"));
	CU_ASSERT_FALSE(conflict(&x, "sw", "rq1"));
	/* IPC_STAT reads the queue: it conflicts with a receive, not with a look elsewhere. */
	CU_ASSERT_TRUE(conflict(&x, "stat", "rq2"));
	CU_ASSERT_FALSE(conflict(&x, "stat", "sw"));
	/* IPC_INFO reads every queue's totals. */
	CU_ASSERT_TRUE(conflict(&x, "info", "sw"));
	run_free(&x);
}

static void test_footprint_msgget_that_may_create_changes_the_id_table(void)
{
	Run x = run("sysv queue q key=0x6000 perm=0666\n"
		    "process a { @private msgget key=private create -> v }\n"
		    "process b { @keyed msgget key=0x7000 create perm=0600 -> v }\n"
		    "process c { @look1 msgget key=0x6000 -> v  @snd msgsnd v \"x\" }\n"
		    "process d { @look2 msgget key=0x6000 -> v }\n");
	/* Either may take the id (and slot) the other would have got. */
	CU_ASSERT_TRUE(conflict(&x, "private", "keyed"));
	CU_ASSERT_TRUE(conflict(&x, "private", "look1"));
	/* Two lookups only read the table. */
	CU_ASSERT_FALSE(conflict(&x, "look1", "look2"));
	/* A queue resolved from its id does not depend on the table. */
	CU_ASSERT_FALSE(conflict(&x, "snd", "private"));
	CU_ASSERT_TRUE(
		sim_footprint_touches(&taken(&x, "snd")->fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, TRUE));
	run_free(&x);
}

static void test_footprint_posix_queues_descriptors_resolve_to_their_queue(void)
{
	Run x = run("posix queue \"/a\" maxmsg=4 msgsize=16\n"
		    "posix queue \"/b\" maxmsg=4 msgsize=16\n"
		    "process p { @sa mq_send \"/a\" \"x\"  @ga mq_getattr \"/a\" }\n"
		    "process q { @sb mq_send \"/b\" \"y\"  @gb mq_getattr \"/b\" }\n"
		    "process r1 start=1ms { @ra1 mq_receive \"/a\" }\n"
		    "process r2 start=2ms { @ra2 mq_receive \"/a\" timeout=1ms }\n"
		    "process o start=3ms { @open mq_open \"/c\" create rdwr -> d }\n");
	CU_ASSERT_FALSE(conflict(&x, "sa", "sb"));
	CU_ASSERT_TRUE(conflict(&x, "sa", "ra1"));
	CU_ASSERT_TRUE(conflict(&x, "ra1", "ra2"));
	CU_ASSERT_FALSE(conflict(&x, "sb", "ra1"));
	CU_ASSERT_FALSE(conflict(&x, "ga", "gb"));
	CU_ASSERT_TRUE(conflict(&x, "ga", "ra1"));
	/* Opening a name does not touch the queues already open. */
	CU_ASSERT_FALSE(conflict(&x, "open", "sa"));
	run_free(&x);
}

static void test_footprint_pipes_two_pipes_commute_two_ends_of_one_do_not(void)
{
	Run x = run("process p {\n"
		    "  pipe -> x\n"
		    "  fork c { @rc read x.r size=1 }\n"
		    "  @wx write x.w \"a\"\n"
		    "  wait c\n"
		    "  @ex exit 0\n"
		    "}\n"
		    "process q { pipe -> y  @wy write y.w \"b\"  @bad write 9 \"c\"  @eq exit 0 }\n");
	CU_ASSERT_FALSE(conflict(&x, "wx", "wy"));
	CU_ASSERT_TRUE(conflict(&x, "wx", "rc"));
	/* A descriptor that names nothing stands for every pipe it could have reached. */
	CU_ASSERT_TRUE(conflict(&x, "bad", "wx"));
	/* A task's end closes what it holds: the pipe it writes to, not another's. */
	CU_ASSERT_TRUE(conflict(&x, "ex", "rc"));
	CU_ASSERT_FALSE(conflict(&x, "eq", "rc"));
	CU_ASSERT_TRUE(conflict(&x, "eq", "wy"));
	run_free(&x);
}

static void test_footprint_kill_conflicts_with_the_targets_own_calls(void)
{
	Run x = run("mailbox A capacity=4\n"
		    "mailbox B capacity=4\n"
		    "process v { @vs send A \"x\"  @vc compute 5ms }\n"
		    "process u { @us send B \"y\"  @uc compute 5ms }\n"
		    "process k start=1ms { @k kill v SIGTERM }\n");
	CU_ASSERT_TRUE(conflict(&x, "k", "vs"));
	CU_ASSERT_TRUE(conflict(&x, "k", "vc"));
	CU_ASSERT_FALSE(conflict(&x, "k", "uc"));
	CU_ASSERT_FALSE(conflict(&x, "k", "us"));
	run_free(&x);
}

/* Every labelled call of another task, whatever its kind, commutes with a compute (a kill
 * of the computing task aside, which ends it). */
static void test_footprint_compute_never_conflicts_with_another_tasks_calls(void)
{
	Run x = run("mailbox A capacity=4\n"
		    "sysv queue q key=0x6000 perm=0600\n"
		    "posix queue \"/a\" maxmsg=4 msgsize=16\n"
		    "process c { @c compute 10ms }\n"
		    "process o {\n"
		    "  @s send A \"x\"  @r receive A  @p print \"hi\"  @g msgget key=private -> v\n"
		    "  @ms msgsnd q \"x\"  @mr msgrcv q  @qs mq_send \"/a\" \"x\"  @qr mq_receive "
		    "\"/a\"\n"
		    "  @pi pipe -> f  @w write f.w \"x\"  @rd read f.r size=1  @cl close f.w\n"
		    "  @mk mkfifo \"/tmp/x\"  @un unlink \"/tmp/x\"  @on on SIGUSR1 ignore\n"
		    "  @fk fork kid { @kc compute 1ms }  @wt wait kid  @sl sleep 1ms\n"
		    "}\n");
	const Taken *c = taken(&x, "c");
	GHashTableIter it;
	gpointer key, value;
	guint seen = 0;
	g_hash_table_iter_init(&it, x.by_label);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const Taken *k = value;
		if (k->task == c->task)
			continue;
		seen++;
		if (sim_footprint_conflicts(&c->fp, &k->fp))
			fprintf(stderr, "\ncompute conflicts with @%s\n", (const char *)key);
		CU_ASSERT_FALSE(sim_footprint_conflicts(&c->fp, &k->fp));
	}
	CU_ASSERT_EQUAL(seen, 19);
	run_free(&x);
}

/* ---- Semaphores: a footprint per semaphore of a set ---- */

/* The taken footprints of two labels conflict, said in the failure when they do not as
 * expected. */
static void expect_conflict(const Run *x, const char *a, const char *b, gboolean want)
{
	gboolean got = conflict(x, a, b);
	if (got != want)
		fprintf(stderr, "\n@%s and @%s: %s\n", a, b, got ? "conflict" : "commute");
	CU_ASSERT_EQUAL(got, want);
}

static void test_footprint_semops_on_two_numbers_commute_on_one_they_do_not(void)
{
	Run x = run("process init { semget key=0x5e80 nsems=3 create perm=0600 -> s"
		    "  semctl s setall 1 1 0 }\n"
		    "process a start=1ms { semget key=0x5e80 -> s  @a0 semop s (0, -1)"
		    "  @up0 semop s (0, +1) }\n"
		    "process b start=2ms { semget key=0x5e80 -> s  @b1 semop s (1, -1)"
		    "  @b0 semop s (0, -1, nowait)  @z2 semop s (2, 0) }\n"
		    "process c start=3ms { semget key=0x5e80 -> s  @v1 semctl s getval 1"
		    "  @pid0 semctl s getpid 0  @v2 semctl s getval 2  @zz2 semop s (2, 0)"
		    "  @n1 semctl s getncnt 1 }\n");
	expect_conflict(&x, "a0", "b1", FALSE);
	expect_conflict(&x, "a0", "b0", TRUE);
	expect_conflict(&x, "up0", "b0", TRUE);
	expect_conflict(&x, "up0", "b1", FALSE);
	/* GETVAL reads one semaphore, GETPID its last pid, which every completed op sets. */
	expect_conflict(&x, "v1", "b1", TRUE);
	expect_conflict(&x, "v1", "a0", FALSE);
	expect_conflict(&x, "pid0", "a0", TRUE);
	expect_conflict(&x, "pid0", "b1", FALSE);
	expect_conflict(&x, "n1", "b1", TRUE);
	/* A wait for zero that goes through reads the value (and sets the pid). */
	expect_conflict(&x, "z2", "v2", FALSE);
	expect_conflict(&x, "z2", "a0", FALSE);
	expect_conflict(&x, "z2", "zz2", TRUE);
	run_free(&x);
}

static void test_footprint_a_complex_semop_conflicts_with_each_number_it_names(void)
{
	Run x = run("process init { semget key=0x5e81 nsems=3 create perm=0600 -> s"
		    "  semctl s setall 1 1 1 }\n"
		    "process a start=1ms { semget key=0x5e81 -> s  @both semop s (0, -1) (1, -1) }\n"
		    "process b start=2ms { semget key=0x5e81 -> s  @on0 semop s (0, +1)"
		    "  @on1 semop s (1, +1)  @on2 semop s (2, -1) }\n");
	expect_conflict(&x, "both", "on0", TRUE);
	expect_conflict(&x, "both", "on1", TRUE);
	expect_conflict(&x, "both", "on2", FALSE);
	run_free(&x);
}

/* While a complex operation waits, a semop that changes any value walks the global list and
 * may complete it: with whatever the waiter names. So does the complex one that starts to
 * wait (every waiter moves to the global list). */
static void test_footprint_a_waiting_complex_semop_links_the_numbers(void)
{
	Run x = run("process init { semget key=0x5e82 nsems=3 create perm=0600 -> s"
		    "  semctl s setall 0 1 0 }\n"
		    "process w start=1ms { semget key=0x5e82 -> s  @wait semop s (0, -1) (1, -1) }\n"
		    "process b start=2ms { semget key=0x5e82 -> s  @up2 semop s (2, +1)"
		    "  @look2 semop s (2, 0, nowait) }\n"
		    "process c start=3ms { semget key=0x5e82 -> s  @v1 semctl s getval 1"
		    "  @v2 semctl s getval 2 }\n"
		    "process k start=4ms { kill w SIGKILL }\n"
		    "process d start=5ms { semget key=0x5e82 -> s  @free2 semop s (2, +1)"
		    "  @after1 semctl s getval 1 }\n");
	expect_conflict(&x, "wait", "v2", TRUE);
	expect_conflict(&x, "up2", "v1", TRUE);
	/* A semop that changes nothing walks no list. */
	expect_conflict(&x, "look2", "v1", FALSE);
	/* Once the waiter is gone, the numbers are apart again. */
	expect_conflict(&x, "free2", "after1", FALSE);
	run_free(&x);
}

/* A blocked simple semop joins its semaphore's own list. */
static void test_footprint_a_blocked_semop_joins_its_semaphores_list(void)
{
	Run x = run("process init { semget key=0x5e83 nsems=2 create perm=0600 -> s }\n"
		    "process a start=1ms { semget key=0x5e83 -> s  @blk semop s (1, -1) }\n"
		    "process b start=2ms { semget key=0x5e83 -> s  @z1 semop s (1, 0)"
		    "  @v1 semctl s getval 1  @up0 semop s (0, +1) }\n");
	expect_conflict(&x, "blk", "v1", TRUE);
	expect_conflict(&x, "blk", "z1", TRUE);
	expect_conflict(&x, "blk", "up0", FALSE);
	run_free(&x);
}

/* An exit gives its SEM_UNDO adjustments back, and looks at every waiter of the set: the
 * whole set; one without a record touches no set. */
static void test_footprint_an_exit_with_undo_records_reaches_the_whole_set(void)
{
	Run x = run("process init { semget key=0x5e84 nsems=3 create perm=0600 -> s"
		    "  semctl s setval 0 1 }\n"
		    "process h start=1ms { semget key=0x5e84 -> s  @undo semop s (0, -1, undo)"
		    "  @bye exit 0 }\n"
		    "process p start=2ms { semget key=0x5e84 -> s  @plain exit 0 }\n"
		    "process o start=3ms { semget key=0x5e84 -> s  @on2 semop s (2, +1)"
		    "  @v0 semctl s getval 0 }\n");
	expect_conflict(&x, "bye", "on2", TRUE);
	expect_conflict(&x, "bye", "v0", TRUE);
	expect_conflict(&x, "undo", "v0", TRUE);
	expect_conflict(&x, "undo", "on2", FALSE);
	expect_conflict(&x, "plain", "on2", FALSE);
	run_free(&x);
}

/* SETALL, SETVAL and IPC_RMID change every semaphore; IPC_SET changes the mode every call
 * checks; IPC_STAT shows otime, which every semop that completes sets. */
static void test_footprint_rmid_setall_and_set_conflict_with_every_number(void)
{
	Run x = run("process init { semget key=0x5e85 nsems=3 create perm=0600 -> s"
		    "  semctl s setall 1 1 1 }\n"
		    "process a start=1ms { semget key=0x5e85 -> s  @on2 semop s (2, -1)"
		    "  @v1 semctl s getval 1  @z0 semop s (0, 0, nowait) }\n"
		    "process b start=2ms { semget key=0x5e85 -> s  @all semctl s setall 1 1 1"
		    "  @one semctl s setval 0 1  @stat semctl s stat  @mode semctl s set mode=0600"
		    "  @rm semctl s rmid }\n");
	static const char *const big[] = { "all", "one", "rm", "mode" };
	for (guint i = 0; i < G_N_ELEMENTS(big); i++) {
		expect_conflict(&x, big[i], "on2", TRUE);
		expect_conflict(&x, big[i], "z0", TRUE);
	}
	expect_conflict(&x, "all", "v1", TRUE);
	expect_conflict(&x, "rm", "v1", TRUE);
	expect_conflict(&x, "stat", "on2", TRUE);
	run_free(&x);
}

static void test_footprint_every_row_has_one_and_the_blocking_rows_are_the_waiting_calls(void)
{
	static const SimStmtKind waiting[] = {
		SIM_STMT_SEND,	  SIM_STMT_RECEIVE,    SIM_STMT_MSGSND, SIM_STMT_MSGRCV,
		SIM_STMT_MQ_SEND, SIM_STMT_MQ_RECEIVE, SIM_STMT_READ,	SIM_STMT_WRITE,
		SIM_STMT_OPEN,	  SIM_STMT_WAIT,       SIM_STMT_SEMOP,	 SIM_STMT_SENDTO,
		SIM_STMT_RECV,	  SIM_STMT_ACCEPT,     SIM_STMT_CONNECT,
		SIM_STMT_ALPC_CONNECT, SIM_STMT_ALPC_ACCEPT, SIM_STMT_ALPC_SEND, SIM_STMT_ALPC_RECEIVE,
		SIM_STMT_POLL,	  SIM_STMT_SELECT, SIM_STMT_JOIN,
	};
	guint blocking = 0;
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = sim_call_desc((SimStmtKind)k);
		CU_ASSERT_PTR_NOT_NULL(d->footprint);
		blocking += d->blocks ? 1 : 0;
	}
	CU_ASSERT_EQUAL(blocking, G_N_ELEMENTS(waiting));
	for (guint i = 0; i < G_N_ELEMENTS(waiting); i++)
		CU_ASSERT_TRUE(sim_call_desc(waiting[i])->blocks);
}

CU_TestInfo footprint_tests[] = {
	{ "reads never conflict, writes do", test_footprint_reads_never_conflict_writes_do },
	{ "all of a kind meets every object of it",
	  test_footprint_all_of_a_kind_meets_every_object_of_it },
	{ "a footprint that overflows conflicts with everything",
	  test_footprint_that_overflows_conflicts_with_everything },
	{ "mailboxes: sends to two commute, a send and a receive do not",
	  test_footprint_mailboxes_sends_to_two_commute_a_send_and_a_receive_do_not },
	{ "SysV: calls on two queues commute, on one they do not",
	  test_footprint_sysv_calls_on_two_queues_commute_on_one_they_do_not },
	{ "msgget that may create changes the id table",
	  test_footprint_msgget_that_may_create_changes_the_id_table },
	{ "POSIX: descriptors resolve to their queue",
	  test_footprint_posix_queues_descriptors_resolve_to_their_queue },
	{ "pipes: two pipes commute, two ends of one do not",
	  test_footprint_pipes_two_pipes_commute_two_ends_of_one_do_not },
	{ "kill conflicts with the target's own calls",
	  test_footprint_kill_conflicts_with_the_targets_own_calls },
	{ "compute never conflicts with another task's calls",
	  test_footprint_compute_never_conflicts_with_another_tasks_calls },
	{ "semaphores: semops on two numbers commute, on one they do not",
	  test_footprint_semops_on_two_numbers_commute_on_one_they_do_not },
	{ "semaphores: a complex semop conflicts with each number it names",
	  test_footprint_a_complex_semop_conflicts_with_each_number_it_names },
	{ "semaphores: a waiting complex semop links the numbers",
	  test_footprint_a_waiting_complex_semop_links_the_numbers },
	{ "semaphores: a blocked semop joins its semaphore's list",
	  test_footprint_a_blocked_semop_joins_its_semaphores_list },
	{ "semaphores: an exit with undo records reaches the whole set",
	  test_footprint_an_exit_with_undo_records_reaches_the_whole_set },
	{ "semaphores: IPC_RMID, SETALL, SETVAL and IPC_SET conflict with every number",
	  test_footprint_rmid_setall_and_set_conflict_with_every_number },
	{ "every row has one, and the blocking rows are the waiting calls",
	  test_footprint_every_row_has_one_and_the_blocking_rows_are_the_waiting_calls },
	CU_TEST_INFO_NULL,
};

/* test_shm_mem.c — loads and stores on a shared segment (`store A[OFF] = VALUE`, `load
 * A[OFF] -> v`): the integer's bytes and sign, EFAULT where a program would fault, the
 * racy mark's lost update in the trace, footprints by byte range, and exploration, which
 * finds the lost update as a second outcome and leaves accesses to other bytes alone.
 */
#include <string.h>

#include "msgsim/calls/call.h"
#include "msgsim/explore/explore.h"
#include "tests.h"

static const char *const SEG = "    shmget key=private size=64 -> m\n    shmat m -> p\n";

static char *with_seg(const char *head, const char *body, const char *tail)
{
	return g_strconcat(head, "process a {\n", SEG, body, "}\n", tail, NULL);
}

static void test_shm_mem_store_and_load_an_integer_of_each_size(void)
{
	g_autofree char *text =
		with_seg("",
			 "    store p[4] = 70000\n    @int load p[4] -> v\n"
			 "    @short load p[4] size=2\n"
			 "    store p[8] = -2 size=1\n    @byte load p[8] size=1\n"
			 "    @ubyte load p[8] size=2\n"
			 "    store p[16] = 0x123456789 size=8\n    @long load p[16] size=8\n"
			 "    @inner load p[17] size=1\n",
			 "expect @int ret=70000\nexpect @short ret=4464\n"
			 "expect @byte ret=-2\nexpect @ubyte ret=254\n"
			 "expect @long ret=4886718345\nexpect @inner ret=0x67\n");
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 6);
	test_run_free(&r);
}

/* The segment is mapped by whole pages, as the kernel maps it: bytes past its size but in
 * its last page are there (zero until stored); past the page is where a program faults. */
static void test_shm_mem_outside_or_read_only_is_efault(void)
{
	g_autofree char *text =
		with_seg("",
			 "    @edge store p[4092] = 1\n    @over store p[4093] = 1\n"
			 "    @far load p[4096]\n    shmat m rdonly -> r\n"
			 "    @ro store r[0] = 1\n    @roload load r[4092]\n",
			 "expect @edge ok\nexpect @over errno=EFAULT\n"
			 "expect @far errno=EFAULT\nexpect @ro errno=EFAULT\n"
			 "expect @roload ret=1\n");
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 5);
	test_run_free(&r);
}

/* Two increments, each a racy load, a computation and a racy store, preempted between:
 * the second store overwrites the first, and its trace line says so. */
static const char *const RACE =
	"scheduler rr quantum=5us\n"
	"process a {\n"
	"    shmget key=private size=64 -> m\n    shmat m -> p\n"
	"    fork kid { load p[0] racy -> v  compute 10us  store p[0] = ${v + 1} "
	"racy }\n"
	"    load p[0] racy -> v\n    compute 10us\n"
	"    store p[0] = ${v + 1} racy\n"
	"    wait kid\n    @final load p[0]\n}\n";

static void test_shm_mem_racy_store_shows_the_lost_update(void)
{
	TestRun r = test_run_text(RACE, TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "store p[0] = 1 racy -> ok [p:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "store p[0] = 1 racy -> ok, lost update: the bytes "
					     "held 1, not the 0 this process loaded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "load p[0] -> ok: 1 "));
	test_run_free(&r);
	/* Without the mark the same race goes unremarked. */
	g_autofree char *plain = g_strdup(RACE);
	for (char *c; (c = strstr(plain, " racy"));)
		memmove(c, c + 5, strlen(c + 5) + 1);
	r = test_run_text(plain, TRUE, NULL);
	CU_ASSERT_PTR_NULL(strstr(r.out, "lost update"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "load p[0] -> ok: 1 "));
	test_run_free(&r);
}

static gboolean has_outcome(const SimExploreResult *r, const char *needle)
{
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (strstr(oc->text, needle))
			return TRUE;
	}
	return FALSE;
}

static void explore_text(const char *text, SimExploreResult *r)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { 0 };
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, r, &error));
}

static void test_shm_mem_exploration_finds_the_lost_update(void)
{
	SimExploreResult r;
	explore_text(RACE, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_TRUE(has_outcome(&r, "load =1;"));
	CU_ASSERT_TRUE(has_outcome(&r, "load =2;"));
	sim_explore_result_clear(&r);
}

/* Stores to bytes that do not overlap commute: exploration tries one order of them. Stores
 * to bytes that overlap are tried in both orders: more executions. */
static void test_shm_mem_exploration_interleaves_only_overlapping_bytes(void)
{
	static const char *const apart = "process a {\n"
					 "    shmget key=private size=64 -> m\n    shmat m -> p\n"
					 "    fork kid { store p[4] = 2 }\n    store p[0] = 1\n"
					 "    wait kid\n}\n";
	SimExploreResult r;
	explore_text(apart, &r);
	CU_ASSERT_TRUE(r.complete);
	guint64 apart_runs = r.stats.executions;
	sim_explore_result_clear(&r);
	g_autofree char *same = g_strdup(apart);
	*strstr(same, "p[4]") = 'p';
	strstr(same, "p[4]")[2] = '2'; /* p[2]: bytes 2..5 overlap bytes 0..3 */
	explore_text(same, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_TRUE(r.stats.executions > apart_runs);
	sim_explore_result_clear(&r);
}

/* The footprint names the bytes: a load of [0, 4) and a store of [4, 8) do not conflict,
 * a store of [2, 6) does; a detach conflicts with every part. */
static void test_shm_mem_footprints_overlap_by_byte_range(void)
{
	SimFootprint ld, st, mid, whole;
	sim_footprint_init(&ld);
	sim_footprint_init(&st);
	sim_footprint_init(&mid);
	sim_footprint_init(&whole);
	sim_footprint_add_range(&ld, SIM_OBJ_SHM, 3, 0, 4, FALSE);
	sim_footprint_add_range(&st, SIM_OBJ_SHM, 3, 4, 4, TRUE);
	sim_footprint_add_range(&mid, SIM_OBJ_SHM, 3, 2, 4, TRUE);
	sim_footprint_add(&whole, SIM_OBJ_SHM, 3, TRUE);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&ld, &st));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&ld, &mid));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&st, &mid));
	CU_ASSERT_TRUE(sim_footprint_conflicts(&ld, &whole));
	/* Another segment's bytes are another object. */
	SimFootprint other;
	sim_footprint_init(&other);
	sim_footprint_add_range(&other, SIM_OBJ_SHM, 4, 0, 4, TRUE);
	CU_ASSERT_FALSE(sim_footprint_conflicts(&ld, &other));
	/* Two parts of one object in one footprint stay two references. */
	sim_footprint_add_range(&ld, SIM_OBJ_SHM, 3, 8, 4, FALSE);
	CU_ASSERT_EQUAL(ld.n, 2);
}

static void test_shm_mem_parse_errors_say_what_was_expected(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process p { shmat m -> a  store a 0 = 1 }",
		  "t.scn:1:35: error: expected '[' after 'store A' (store A[OFFSET]), found '0'" },
		{ "process p { shmat m -> a  load a[1 -> v }",
		  "t.scn:1:36: error: expected ']' after the offset of 'load', found '-'" },
		{ "process p { shmat m -> a  store a[0] 1 }",
		  "t.scn:1:38: error: expected '=' after 'store A[OFFSET]' (store A[OFFSET] = "
		  "VALUE), found '1'" },
		{ "process p { shmat m -> a  store a[0] = 1 size=3 }",
		  "t.scn:1:42: error: bad size 3 of 'store': an integer of 1, 2, 4 or 8 bytes" },
		{ "process p { shmat m -> a  load a[-1] }",
		  "t.scn:1:34: error: bad offset '-1': expected a whole number from 0 to "
		  "2147483647" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		if (strcmp(error->message, cases[i].message) != 0)
			fprintf(stderr, "\n  want: %s\n  got:  %s\n", cases[i].message,
				error->message);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
	}
}

CU_TestInfo shm_mem_tests[] = {
	{ "store and load an integer of each size",
	  test_shm_mem_store_and_load_an_integer_of_each_size },
	{ "outside or read only is EFAULT", test_shm_mem_outside_or_read_only_is_efault },
	{ "racy store shows the lost update", test_shm_mem_racy_store_shows_the_lost_update },
	{ "exploration finds the lost update", test_shm_mem_exploration_finds_the_lost_update },
	{ "exploration interleaves only overlapping bytes",
	  test_shm_mem_exploration_interleaves_only_overlapping_bytes },
	{ "footprints overlap by byte range", test_shm_mem_footprints_overlap_by_byte_range },
	{ "parse errors say what was expected", test_shm_mem_parse_errors_say_what_was_expected },
	CU_TEST_INFO_NULL,
};

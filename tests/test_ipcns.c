/* test_ipcns.c — the IPC namespace (ipcns.h; ../shared/semantics.md §1.3): a fresh
 * namespace hands out ids 0, 1, 2; a freed index is not reused until the cyclic cursor
 * wraps; the cursor wraps past index 63 (max_idx = 64 while few queues live) into seq 1 at
 * the first free index, while live queues raise max_idx (in_use * 3 / 2) so that the 65th
 * live queue gets id 64; seq wraps from 65534 to 0; msgmni is a hard limit; an id whose slot
 * is free or whose seq part is stale is invalid; ipcperms picks exactly one class (owner by
 * uid or cuid, group by gid or cgid, other), a request of 0 always passes and CAP_IPC_OWNER
 * bypasses; IPC_SET/IPC_RMID control belongs to uid, cuid or CAP_SYS_ADMIN; ftok packs
 * (proj & 0xff, dev & 0xff, ino & 0xffff).
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/ipcns.h"
#include "tests.h"

enum { NOBJ = 128 };

typedef struct Fx {
	SimScenario scn;
	SimIpcNs ns;
	int objs[NOBJ]; /* distinct addresses standing in for queues */
} Fx;

static void fx_init(Fx *fx, gint64 msgmni)
{
	memset(fx, 0, sizeof(*fx));
	fx->scn.limits.msgmax = 8192;
	fx->scn.limits.msgmnb = 16384;
	fx->scn.limits.msgmni = msgmni;
	sim_ipcns_init(&fx->ns, &fx->scn.limits);
}

static void fx_done(Fx *fx)
{
	sim_ipcns_clear(&fx->ns);
}

/* Allocates a slot for objs[i] and returns the id; the seq the namespace reports must be
 * the id's seq part. */
static int alloc_obj(Fx *fx, guint i)
{
	guint seq = G_MAXUINT;
	int id = sim_ipcns_alloc(&fx->ns, &fx->objs[i], &seq);
	if (id >= 0)
		CU_ASSERT_EQUAL(seq, (guint)(id / SIM_IPC_MNI_MAX));
	return id;
}

static void test_ipcns_fresh_namespace_gives_ids_0_1_2(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	CU_ASSERT_EQUAL(fx.ns.in_use, 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 2);
	CU_ASSERT_EQUAL(fx.ns.in_use, 3);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 0), &fx.objs[0]);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 1), &fx.objs[1]);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 2), &fx.objs[2]);
	fx_done(&fx);
}

static void test_ipcns_removing_id_1_of_0_1_2_makes_the_next_id_3(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 2);
	sim_ipcns_free(&fx.ns, 1);
	CU_ASSERT_EQUAL(fx.ns.in_use, 2);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 3), 3); /* the cursor goes on; index 1 waits for a wrap */
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 3), &fx.objs[3]);
	fx_done(&fx);
}

static void test_ipcns_cursor_wraps_past_63_into_seq_1_at_the_first_free_index(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	/* {0, 2} stay live; every other queue is removed again at once. */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 2);
	sim_ipcns_free(&fx.ns, 1);
	for (guint creation = 4; creation <= 64; creation++) {
		int id = alloc_obj(&fx, 3);
		CU_ASSERT_EQUAL(id, (int)creation - 1); /* the 64th creation gives 63 */
		if (id >= 0)
			sim_ipcns_free(&fx.ns, id);
	}
	CU_ASSERT_EQUAL(fx.ns.in_use, 2);
	/* The 65th: max_idx is 64 (2 live), so the cursor wraps; 0 is taken, 1 is free. */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 4), SIM_IPC_MNI_MAX + 1); /* 32769 */
	CU_ASSERT_EQUAL(fx.ns.seq, 1);
	/* The 66th goes on from there in the same seq: 2 is live, 3 is free. */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 5), SIM_IPC_MNI_MAX + 3); /* 32771 */
	CU_ASSERT_EQUAL(fx.ns.seq, 1);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, SIM_IPC_MNI_MAX + 1), &fx.objs[4]);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 0), &fx.objs[0]); /* still seq 0 */
	fx_done(&fx);
}

static void test_ipcns_live_queues_raise_max_idx_so_the_65th_gets_id_64(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	for (guint i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(alloc_obj(&fx, i), (int)i);
	/* in_use 64 before the creation: max_idx = 96, no wrap. */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 64), 64);
	CU_ASSERT_EQUAL(fx.ns.seq, 0);
	CU_ASSERT_EQUAL(fx.ns.in_use, 65);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 64), &fx.objs[64]);
	fx_done(&fx);
}

static void test_ipcns_seq_wraps_from_65534_to_0(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	fx.ns.seq = SIM_IPC_SEQ_MAX - 1; /* 65534: the last seq below INT_MAX >> 15 */
	for (guint idx = 1; idx < 64; idx++) {
		int id = alloc_obj(&fx, 1);
		CU_ASSERT_EQUAL(id, (SIM_IPC_SEQ_MAX - 1) * SIM_IPC_MNI_MAX + (int)idx);
		if (id >= 0)
			sim_ipcns_free(&fx.ns, id);
	}
	/* The wrap to index 1 would make seq 65535, which is the limit: back to 0. */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 1);
	CU_ASSERT_EQUAL(fx.ns.seq, 0);
	fx_done(&fx);
}

static void test_ipcns_taking_the_same_index_again_bumps_seq(void)
{
	/* All 32768 indices live (msgmni raised to IPCMNI): the only free index is the one
	 * just freed, so the cursor comes round to the index it allocated last; idx <=
	 * last_idx counts as a wrap. */
	Fx fx;
	fx_init(&fx, SIM_IPC_MNI_MAX);
	int *objs = g_new0(int, SIM_IPC_MNI_MAX);
	guint seq = 0;
	gboolean all_in_order = TRUE;
	for (int i = 0; i < SIM_IPC_MNI_MAX; i++)
		all_in_order &= sim_ipcns_alloc(&fx.ns, &objs[i], &seq) == i;
	CU_ASSERT_TRUE(all_in_order);
	CU_ASSERT_EQUAL(fx.ns.in_use, SIM_IPC_MNI_MAX);
	if (all_in_order) {
		CU_ASSERT_EQUAL(sim_ipcns_alloc(&fx.ns, &fx.objs[0], &seq), -1);
		sim_ipcns_free(&fx.ns, SIM_IPC_MNI_MAX - 1);
		CU_ASSERT_EQUAL(sim_ipcns_alloc(&fx.ns, &fx.objs[0], &seq),
				SIM_IPC_MNI_MAX + SIM_IPC_MNI_MAX -
					1); /* 65535: seq 1, idx 32767 */
		CU_ASSERT_EQUAL(seq, 1);
	}
	fx_done(&fx);
	g_free(objs);
}

static void test_ipcns_alloc_returns_minus_1_once_msgmni_queues_live(void)
{
	Fx fx;
	fx_init(&fx, 3);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 2);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 3), -1);
	CU_ASSERT_EQUAL(fx.ns.in_use, 3);
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, 3));
	sim_ipcns_free(&fx.ns, 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 3), 3); /* room again */
	fx_done(&fx);
}

static void test_ipcns_lookup_of_a_freed_id_is_null(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	sim_ipcns_free(&fx.ns, 0);
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, 0));
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, 1), &fx.objs[1]);
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, 5000)); /* never allocated */
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, -1));
	fx_done(&fx);
}

static void test_ipcns_lookup_of_a_stale_seq_is_null(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	/* Index 0 gets reused after a wrap: id 0 (seq 0) becomes id 32768 (seq 1). */
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	sim_ipcns_free(&fx.ns, 0);
	for (guint idx = 1; idx < 64; idx++) {
		int id = alloc_obj(&fx, 1);
		CU_ASSERT_EQUAL(id, (int)idx);
		if (id >= 0)
			sim_ipcns_free(&fx.ns, id);
	}
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), SIM_IPC_MNI_MAX);
	CU_ASSERT_PTR_EQUAL(sim_ipcns_lookup(&fx.ns, SIM_IPC_MNI_MAX), &fx.objs[2]);
	/* ipcns.h: "an id whose slot is free or whose seq does not match is invalid";
	 * sim_ipcns_lookup: "NULL: invalid id (EINVAL)". */
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, 0));		   /* old seq */
	CU_ASSERT_PTR_NULL(sim_ipcns_lookup(&fx.ns, 2 * SIM_IPC_MNI_MAX)); /* future seq */
	fx_done(&fx);
}

static void test_ipcns_max_idx_used_follows_the_highest_live_index(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	CU_ASSERT_EQUAL(fx.ns.max_idx_used, -1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 0), 0);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 1), 1);
	CU_ASSERT_EQUAL(alloc_obj(&fx, 2), 2);
	CU_ASSERT_EQUAL(fx.ns.max_idx_used, 2);
	sim_ipcns_free(&fx.ns, 1);
	CU_ASSERT_EQUAL(fx.ns.max_idx_used, 2);
	sim_ipcns_free(&fx.ns, 2);
	CU_ASSERT_EQUAL(fx.ns.max_idx_used, 0);
	sim_ipcns_free(&fx.ns, 0);
	CU_ASSERT_EQUAL(fx.ns.max_idx_used, -1);
	fx_done(&fx);
}

static void free_a_free_id(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	(void)alloc_obj(&fx, 0);
	sim_ipcns_free(&fx.ns, 0);
	sim_ipcns_free(&fx.ns, 0); /* must assert */
	fx_done(&fx);
}

static void free_a_never_allocated_id(void)
{
	Fx fx;
	fx_init(&fx, 32000);
	sim_ipcns_free(&fx.ns, 7); /* must assert */
	fx_done(&fx);
}

static void test_ipcns_freeing_a_free_id_asserts(void)
{
	CU_ASSERT_TRUE(test_dies(free_a_free_id));
	CU_ASSERT_TRUE(test_dies(free_a_never_allocated_id));
}

/* ---- ipcperms ---- */

/* Owner uid 10 gid 20, creator uid 11 gid 21; owner r--, group rw-, other -w-: every class
 * differs from the others, so the tests see which one was chosen. */
static const SimIpcPerm perm_462 = {
	.key = 42,
	.id = 0,
	.uid = 10,
	.gid = 20,
	.cuid = 11,
	.cgid = 21,
	.mode = 0462,
};

#define READ 0444u
#define WRITE 0222u

static void test_ipcns_owner_class_applies_to_uid_and_cuid(void)
{
	/* The owner's gid is also the queue's gid: the owner class still wins. */
	const SimCred owner = { .uid = 10, .gid = 20, .caps = 0 };
	const SimCred creator = { .uid = 11, .gid = 99, .caps = 0 };
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &owner, READ));
	CU_ASSERT_TRUE(sim_ipcns_denied(&perm_462, &owner, WRITE));
	CU_ASSERT_TRUE(sim_ipcns_denied(&perm_462, &owner, 0600)); /* msgget-style request */
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &owner, 0400));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &creator, READ));
	CU_ASSERT_TRUE(sim_ipcns_denied(&perm_462, &creator, WRITE));
}

static void test_ipcns_group_class_applies_to_gid_and_cgid(void)
{
	const SimCred group = { .uid = 50, .gid = 20, .caps = 0 };
	const SimCred cgroup = { .uid = 50, .gid = 21, .caps = 0 };
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &group, READ));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &group, WRITE));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &group, 0660));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &cgroup, READ));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &cgroup, WRITE));
	/* Only the group bits count, even when "other" would allow more. */
	SimIpcPerm p = perm_462;
	p.mode = 0406;
	CU_ASSERT_TRUE(sim_ipcns_denied(&p, &group, READ));
	CU_ASSERT_TRUE(sim_ipcns_denied(&p, &cgroup, WRITE));
}

static void test_ipcns_other_class_applies_to_everyone_else(void)
{
	const SimCred other = { .uid = 50, .gid = 99, .caps = 0 };
	CU_ASSERT_TRUE(sim_ipcns_denied(&perm_462, &other, READ));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &other, WRITE));
	CU_ASSERT_TRUE(sim_ipcns_denied(&perm_462, &other, 0666));
	CU_ASSERT_FALSE(sim_ipcns_denied(&perm_462, &other, 0002));
}

static void test_ipcns_a_request_of_0_always_passes(void)
{
	const SimCred other = { .uid = 50, .gid = 99, .caps = 0 };
	const SimCred owner = { .uid = 10, .gid = 20, .caps = 0 };
	SimIpcPerm p = perm_462;
	p.mode = 0;
	CU_ASSERT_FALSE(sim_ipcns_denied(&p, &other, 0));
	CU_ASSERT_FALSE(sim_ipcns_denied(&p, &owner, 0));
	CU_ASSERT_TRUE(sim_ipcns_denied(&p, &other, READ)); /* while anything else fails */
	CU_ASSERT_TRUE(sim_ipcns_denied(&p, &owner, READ));
}

static void test_ipcns_cap_ipc_owner_bypasses_the_permission_bits(void)
{
	const SimCred root = { .uid = 0, .gid = 0, .caps = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN };
	const SimCred capped = { .uid = 50, .gid = 99, .caps = SIM_CAP_IPC_OWNER };
	const SimCred admin_only = { .uid = 50, .gid = 99, .caps = SIM_CAP_SYS_ADMIN };
	SimIpcPerm p = perm_462;
	p.mode = 0;
	CU_ASSERT_FALSE(sim_ipcns_denied(&p, &root, READ | WRITE));
	CU_ASSERT_FALSE(sim_ipcns_denied(&p, &capped, READ));
	CU_ASSERT_FALSE(sim_ipcns_denied(&p, &capped, WRITE));
	CU_ASSERT_TRUE(sim_ipcns_denied(&p, &admin_only, READ)); /* SYS_ADMIN does not */
}

static void test_ipcns_may_control_is_uid_cuid_or_cap_sys_admin(void)
{
	const SimCred owner = { .uid = 10, .gid = 0, .caps = 0 };
	const SimCred creator = { .uid = 11, .gid = 0, .caps = 0 };
	const SimCred admin = { .uid = 50, .gid = 99, .caps = SIM_CAP_SYS_ADMIN };
	const SimCred group = { .uid = 50, .gid = 20, .caps = 0 };
	const SimCred ipc_owner = { .uid = 50, .gid = 99, .caps = SIM_CAP_IPC_OWNER };
	const SimCred stranger = { .uid = 50, .gid = 99, .caps = 0 };
	CU_ASSERT_TRUE(sim_ipcns_may_control(&perm_462, &owner));
	CU_ASSERT_TRUE(sim_ipcns_may_control(&perm_462, &creator));
	CU_ASSERT_TRUE(sim_ipcns_may_control(&perm_462, &admin));
	CU_ASSERT_FALSE(sim_ipcns_may_control(&perm_462, &group));
	CU_ASSERT_FALSE(sim_ipcns_may_control(&perm_462, &ipc_owner));
	CU_ASSERT_FALSE(sim_ipcns_may_control(&perm_462, &stranger));
}

static void test_ipcns_ftok_packs_proj_dev_and_ino(void)
{
	CU_ASSERT_EQUAL(sim_ipcns_ftok(1, 0x1c6c, 0x27), 0x27011c6c);
	/* Only the low 8 bits of the project id count: 0x1ff is 0xff. */
	CU_ASSERT_EQUAL(sim_ipcns_ftok(1, 0x1c6c, 0x1ff), 0xff011c6c);
	CU_ASSERT_EQUAL(sim_ipcns_ftok(1, 0x1c6c, 0x1ff), sim_ipcns_ftok(1, 0x1c6c, 0xff));
	/* dev keeps its low 8 bits, ino its low 16. */
	CU_ASSERT_EQUAL(sim_ipcns_ftok(0x1203, 0x5abcd, 0x41), 0x4103abcd);
}

extern CU_TestInfo ipcns_tests[];
CU_TestInfo ipcns_tests[] = {
	{ "fresh namespace gives ids 0 1 2", test_ipcns_fresh_namespace_gives_ids_0_1_2 },
	{ "removing id 1 of 0 1 2 makes the next id 3",
	  test_ipcns_removing_id_1_of_0_1_2_makes_the_next_id_3 },
	{ "cursor wraps past 63 into seq 1 at the first free index",
	  test_ipcns_cursor_wraps_past_63_into_seq_1_at_the_first_free_index },
	{ "live queues raise max_idx so the 65th gets id 64",
	  test_ipcns_live_queues_raise_max_idx_so_the_65th_gets_id_64 },
	{ "seq wraps from 65534 to 0", test_ipcns_seq_wraps_from_65534_to_0 },
	{ "taking the same index again bumps seq",
	  test_ipcns_taking_the_same_index_again_bumps_seq },
	{ "alloc returns -1 once msgmni queues live",
	  test_ipcns_alloc_returns_minus_1_once_msgmni_queues_live },
	{ "lookup of a freed id is NULL", test_ipcns_lookup_of_a_freed_id_is_null },
	{ "lookup of a stale seq is NULL", test_ipcns_lookup_of_a_stale_seq_is_null },
	{ "max_idx_used follows the highest live index",
	  test_ipcns_max_idx_used_follows_the_highest_live_index },
	{ "freeing a free id asserts", test_ipcns_freeing_a_free_id_asserts },
	{ "owner class applies to uid and cuid", test_ipcns_owner_class_applies_to_uid_and_cuid },
	{ "group class applies to gid and cgid", test_ipcns_group_class_applies_to_gid_and_cgid },
	{ "other class applies to everyone else", test_ipcns_other_class_applies_to_everyone_else },
	{ "a request of 0 always passes", test_ipcns_a_request_of_0_always_passes },
	{ "CAP_IPC_OWNER bypasses the permission bits",
	  test_ipcns_cap_ipc_owner_bypasses_the_permission_bits },
	{ "may_control is uid, cuid or CAP_SYS_ADMIN",
	  test_ipcns_may_control_is_uid_cuid_or_cap_sys_admin },
	{ "ftok packs proj, dev and ino", test_ipcns_ftok_packs_proj_dev_and_ino },
	CU_TEST_INFO_NULL,
};

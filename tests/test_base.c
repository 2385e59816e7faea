/* test_base.c — errno names round-trip; unknown names and values are reported as such. */
#include "msgsim/base.h"
#include "tests.h"

static void test_base_errno_names_round_trip(void)
{
	const int errs[] = {
		0, EAGAIN, ENOMSG, EIDRM, E2BIG, EINTR, ETIMEDOUT, EPIPE, EPERM, EBUSY
	};
	for (gsize i = 0; i < G_N_ELEMENTS(errs); i++)
		CU_ASSERT_EQUAL(sim_errno_from_name(sim_errno_name(errs[i])), errs[i]);
	CU_ASSERT_STRING_EQUAL(sim_errno_name(0), "ok");
	CU_ASSERT_STRING_EQUAL(sim_errno_name(EAGAIN), "EAGAIN");
}

static void test_base_unknown_errno_is_reported(void)
{
	CU_ASSERT_EQUAL(sim_errno_from_name("EWHATEVER"), -1);
	CU_ASSERT_STRING_EQUAL(sim_errno_name(99999), "E?");
	CU_ASSERT_STRING_EQUAL(sim_errno_text(ENOMSG), "no message of desired type");
}

CU_TestInfo base_tests[] = {
	{ "errno names round-trip", test_base_errno_names_round_trip },
	{ "unknown errno is reported", test_base_unknown_errno_is_reported },
	CU_TEST_INFO_NULL,
};

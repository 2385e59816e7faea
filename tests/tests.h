/* tests.h — the CU_TestInfo tables exported by each tests/test_<mod>.c, and shared helpers. */
#ifndef MSGSIM_TESTS_H
#define MSGSIM_TESTS_H

#include <CUnit/CUnit.h>

extern CU_TestInfo base_tests[];
extern CU_TestInfo evq_tests[];
extern CU_TestInfo msg_tests[];
extern CU_TestInfo waitq_tests[];
extern CU_TestInfo task_tests[];
extern CU_TestInfo sched_tests[];
extern CU_TestInfo mbox_tests[];
extern CU_TestInfo scn_tests[];
extern CU_TestInfo world_tests[];

/* Runs fn in a forked child; nonzero when it died (a failed g_assert) instead of returning. */
int test_dies(void (*fn)(void));

#endif

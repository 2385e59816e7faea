/* test_main.c — the test index: every CUnit suite of msgsim, registered from one table.
 *
 * Each tests/test_<mod>.c exports one CU_TestInfo table named <mod>_tests. The process
 * exit status is the number of failed assertions (capped at 255), so make stops on it.
 */
#include <CUnit/Basic.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests.h"

/* Runs fn in a child process and tells whether it died instead of returning normally:
 * the only way to observe a g_assert without taking the whole test run down with it. */
int test_dies(void (*fn)(void))
{
	int status = 0;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* GLib reports a failed assertion on stdout and stderr: keep the output clean. */
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static CU_SuiteInfo suites[] = {
	{ "base", NULL, NULL, NULL, NULL, base_tests },
	/* Early: every layer above asks the call table for its rows. */
	{ "call", NULL, NULL, NULL, NULL, call_tests },
	{ "evq", NULL, NULL, NULL, NULL, evq_tests },
	{ "msg", NULL, NULL, NULL, NULL, msg_tests },
	{ "waitq", NULL, NULL, NULL, NULL, waitq_tests },
	{ "task", NULL, NULL, NULL, NULL, task_tests },
	{ "sched", NULL, NULL, NULL, NULL, sched_tests },
	{ "mbox", NULL, NULL, NULL, NULL, mbox_tests },
	{ "ipcns", NULL, NULL, NULL, NULL, ipcns_tests },
	{ "msgq", NULL, NULL, NULL, NULL, msgq_tests },
	{ "exec", NULL, NULL, NULL, NULL, exec_tests }, /* msgsim exec's decoder */
	{ "exec_search", NULL, NULL, NULL, NULL, exec_search_tests }, /* explore --exec */
	{ "race", NULL, NULL, NULL, NULL, race_tests }, /* DPOR races; explore --exec's footprints */
	{ "exec_mem", NULL, NULL, NULL, NULL, exec_mem_tests }, /* exec: guest memory in one call */
	{ "exec_world", NULL, NULL, NULL, NULL, exec_world_tests }, /* exec: guests in a world */
	{ "mqueue", NULL, NULL, NULL, NULL, mqueue_tests },
	{ "pipe", NULL, NULL, NULL, NULL, pipe_tests },
	{ "sock", NULL, NULL, NULL, NULL, sock_tests },
	{ "sock_addr", NULL, NULL, NULL, NULL, sock_addr_tests },
	{ "sock_split", NULL, NULL, NULL, NULL, sock_split_tests },
	{ "alpc", NULL, NULL, NULL, NULL, alpc_tests },
	{ "scn", NULL, NULL, NULL, NULL, scn_tests },
	{ "expect_programs", NULL, NULL, NULL, NULL, expect_programs_tests }, /* exec --expect */
	{ "lang", NULL, NULL, NULL, NULL, lang_tests },
	{ "printf", NULL, NULL, NULL, NULL, printf_tests },
	{ "world", NULL, NULL, NULL, NULL, world_tests },
	{ "sysv", NULL, NULL, NULL, NULL, sysv_tests },
	{ "sem", NULL, NULL, NULL, NULL, sem_tests },
	{ "sem_expect", NULL, NULL, NULL, NULL, sem_expect_tests },
	{ "expect_fd", NULL, NULL, NULL, NULL, expect_fd_tests },
	{ "shm", NULL, NULL, NULL, NULL, shm_tests },
	{ "shm_mem", NULL, NULL, NULL, NULL, shm_mem_tests },
	{ "posix", NULL, NULL, NULL, NULL, posix_tests },
	{ "pipes", NULL, NULL, NULL, NULL, pipes_tests },
	{ "signal", NULL, NULL, NULL, NULL, signal_tests }, /* default actions, SA_RESTART, alarm */
	{ "sigbody", NULL, NULL, NULL, NULL, sigbody_tests }, /* handler bodies, siginfo */
	{ "execve", NULL, NULL, NULL, NULL, execve_tests },
	{ "procfs", NULL, NULL, NULL, NULL, procfs_tests },
	{ "mqattr", NULL, NULL, NULL, NULL, mqattr_tests },
	{ "pipeuser", NULL, NULL, NULL, NULL, pipeuser_tests },
	{ "xcusers", NULL, NULL, NULL, NULL, xcusers_tests }, /* pipe user limits, netns */
	{ "stop", NULL, NULL, NULL, NULL, stop_tests }, /* SIGSTOP, SIGCONT, stopped calls */
	{ "xcalarm", NULL, NULL, NULL, NULL, xcalarm_tests }, /* alarm on the real kernel */
	{ "xcnotify", NULL, NULL, NULL, NULL, xcnotify_tests }, /* SIGEV_THREAD, real kernel */
	{ "thread", NULL, NULL, NULL, NULL, thread_tests }, /* thread NAME { }, join */
	{ "thread hold", NULL, NULL, NULL, NULL, thread_hold_tests }, /* close under a call */
	{ "seek", NULL, NULL, NULL, NULL, seek_tests },
	{ "operands", NULL, NULL, NULL, NULL, operands_tests },
	{ "poll", NULL, NULL, NULL, NULL, poll_tests },
	{ "real", NULL, NULL, NULL, NULL, real_tests },
	{ "semshm_xc", NULL, NULL, NULL, NULL, semshm_xc_tests },
	{ "ipcrm", NULL, NULL, NULL, NULL, ipcrm_tests },
	{ "lectlang", NULL, NULL, NULL, NULL, lectlang_tests }, /* stat -> st, ipcs -i, ipcrm */
	{ "interp", NULL, NULL, NULL, NULL, interp_tests },
	/* After the calls run: footprints are taken from running worlds. */
	{ "footprint", NULL, NULL, NULL, NULL, footprint_tests },
	/* After the footprints it reduces with. */
	{ "explore", NULL, NULL, NULL, NULL, explore_tests },
	{ "explore_state", NULL, NULL, NULL, NULL, explore_state_tests },
	{ "explore_ample", NULL, NULL, NULL, NULL, explore_ample_tests }, /* ample.c */
	{ "explore_find", NULL, NULL, NULL, NULL, explore_find_tests }, /* one outcome */
	{ "symmetry", NULL, NULL, NULL, NULL, symmetry_tests },
	{ "explore_queue", NULL, NULL, NULL, NULL, explore_queue_tests },
	{ "explore_pipe", NULL, NULL, NULL, NULL, explore_pipe_tests },
	{ "explore_sig", NULL, NULL, NULL, NULL, explore_sig_tests },
	{ "explore_sock", NULL, NULL, NULL, NULL, explore_sock_tests },
	{ "trace", NULL, NULL, NULL, NULL, trace_tests },
	{ "trace_style", NULL, NULL, NULL, NULL, trace_style_tests },
	{ "trace_v3", NULL, NULL, NULL, NULL, trace_v3_tests },
	{ "trace_writer", NULL, NULL, NULL, NULL, trace_writer_tests },
	{ "report", NULL, NULL, NULL, NULL, report_tests },
	{ "ipcs", NULL, NULL, NULL, NULL, ipcs_tests },
	{ "xcheck", NULL, NULL, NULL, NULL, xcheck_tests },
	{ "xcheck_siginfo", NULL, NULL, NULL, NULL, xcheck_siginfo_tests },
	{ "xchandler", NULL, NULL, NULL, NULL, xchandler_tests },
	{ "hkcond", NULL, NULL, NULL, NULL, hkcond_tests },
	{ "xfree_hkill", NULL, NULL, NULL, NULL, xfree_hkill_tests },
	{ "explore_alarm", NULL, NULL, NULL, NULL, explore_alarm_tests },
	{ "explore_optimal", NULL, NULL, NULL, NULL, explore_optimal_tests },
	{ "lockstep", NULL, NULL, NULL, NULL, lockstep_tests },
	{ "xfree", NULL, NULL, NULL, NULL, xfree_tests },
	{ "xwitness", NULL, NULL, NULL, NULL, xwitness_tests },
	{ "xstop", NULL, NULL, NULL, NULL, xstop_tests }, /* the scenario's stops, on the kernel */
	/* expect @L FIELD=VALUE, on the model and on the kernel */
	{ "outfield", NULL, NULL, NULL, NULL, outfield_tests },
	{ "sandbox", NULL, NULL, NULL, NULL, sandbox_tests },
	/* The pictures of a run (--format chrome, mermaid, dot, html). */
	{ "timeline", NULL, NULL, NULL, NULL, timeline_tests },
	CU_SUITE_INFO_NULL,
};

/* msgsim-tests [SUITE...]: every suite, or the ones named (an unknown name fails). */
int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "msgsim-tests: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	unsigned failed = 0, ran = 0;
	if (argc < 2) {
		CU_basic_run_tests();
		failed = CU_get_number_of_failures();
		ran = CU_get_number_of_tests_run();
	}
	for (int i = 1; i < argc; i++) { /* each run's counts are its own: summed here */
		CU_pSuite suite = CU_get_suite(argv[i]);
		if (!suite) {
			fprintf(stderr, "msgsim-tests: no suite '%s'\n", argv[i]);
			CU_cleanup_registry();
			return 1;
		}
		CU_basic_run_suite(suite);
		failed += CU_get_number_of_failures();
		ran += CU_get_number_of_tests_run();
	}
	if (argc > 2)
		printf("msgsim-tests: %u tests in %d suites, %u failures\n", ran, argc - 1, failed);
	CU_cleanup_registry();
	if (ran == 0) {
		fprintf(stderr, "msgsim-tests: no test ran\n");
		return 1;
	}
	return failed > 255 ? 255 : (int)failed;
}

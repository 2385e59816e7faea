/* tests.h — the CU_TestInfo tables exported by each tests/test_<mod>.c, and shared helpers. */
#ifndef MSGSIM_TESTS_H
#define MSGSIM_TESTS_H

#include <sys/types.h>
#include <CUnit/CUnit.h>

#include "msgsim/output/report.h"
#include "msgsim/engine/world.h"
#include "msgsim/explore/explore.h"
#include "msgsim/real/xcheck.h"
/* White-box: tests read the world's insides (its tasks, pool, counters). */
#include "engine/world_int.h"

extern CU_TestInfo base_tests[];
extern CU_TestInfo expect_programs_tests[]; /* exec's expectations files: test_expect_programs.c */
extern CU_TestInfo signal_tests[];
extern CU_TestInfo stop_tests[];
extern CU_TestInfo xcalarm_tests[]; /* which alarm runs are cross-checked: test_xcalarm.c */
extern CU_TestInfo xcnotify_tests[]; /* SIGEV_THREAD cross-checked: test_xcnotify.c */
extern CU_TestInfo sigbody_tests[]; /* handler bodies and siginfo: test_sigbody.c */
extern CU_TestInfo evq_tests[];
extern CU_TestInfo msg_tests[];
extern CU_TestInfo waitq_tests[];
extern CU_TestInfo task_tests[];
extern CU_TestInfo sched_tests[];
extern CU_TestInfo mbox_tests[];
extern CU_TestInfo scn_tests[];
extern CU_TestInfo world_tests[];
extern CU_TestInfo sysv_tests[];
extern CU_TestInfo ipcns_tests[];
extern CU_TestInfo msgq_tests[];
extern CU_TestInfo exec_tests[]; /* msgsim exec: the decoder (test_exec.c) */
extern CU_TestInfo exec_search_tests[]; /* explore --exec, exec --schedule */
extern CU_TestInfo race_tests[]; /* races of DPOR (explore/race.h), exec footprints */
extern CU_TestInfo exec_mem_tests[]; /* exec: a message's memory, and its faults */
extern CU_TestInfo exec_world_tests[]; /* exec: the guests' world (engine/external.c) */
extern CU_TestInfo posix_tests[];
extern CU_TestInfo mqueue_tests[];
extern CU_TestInfo pipe_tests[];
extern CU_TestInfo pipes_tests[];
extern CU_TestInfo execve_tests[]; /* exec { BODY }: test_execve.c */
extern CU_TestInfo procfs_tests[]; /* /proc/sysvipc/msg: test_procfs.c */
extern CU_TestInfo mqattr_tests[]; /* mq_setattr's whole struct: test_mqattr.c */
extern CU_TestInfo pipeuser_tests[]; /* fs.pipe-user-pages-*: test_pipeuser.c */
extern CU_TestInfo xcusers_tests[]; /* machine-wide limits in the cross-check: test_xcusers.c */
extern CU_TestInfo sock_tests[];
extern CU_TestInfo sock_addr_tests[];
extern CU_TestInfo sock_split_tests[];
extern CU_TestInfo seek_tests[];
extern CU_TestInfo operands_tests[];
extern CU_TestInfo poll_tests[]; /* poll and select: test_poll.c */
extern CU_TestInfo alpc_tests[];
extern CU_TestInfo real_tests[];
extern CU_TestInfo xcheck_tests[];
extern CU_TestInfo xcheck_siginfo_tests[]; /* handler siginfo vs the kernel's */
extern CU_TestInfo hkcond_tests[];	   /* a handler body's kills under if, on the kernel */
extern CU_TestInfo xfree_hkill_tests[]; /* free runs of handler bodies that kill */
extern CU_TestInfo explore_alarm_tests[]; /* alarms as steps of their own, explored and free */
extern CU_TestInfo explore_optimal_tests[]; /* wake-up trees against source sets */
extern CU_TestInfo xchandler_tests[];	   /* handler bodies that kill, on the kernel */
extern CU_TestInfo xfree_tests[]; /* free runs on the real kernel */
extern CU_TestInfo xwitness_tests[]; /* the lockstep following a witness */
extern CU_TestInfo lockstep_tests[];
extern CU_TestInfo interp_tests[];
extern CU_TestInfo ipcs_tests[];
extern CU_TestInfo report_tests[];
extern CU_TestInfo trace_tests[];
extern CU_TestInfo trace_style_tests[]; /* the trace for a person: test_trace_style.c */
extern CU_TestInfo trace_v3_tests[];    /* JSON Lines schema 3: test_trace_v3.c */
extern CU_TestInfo trace_writer_tests[]; /* a file sink's thread: test_trace_writer.c */
extern CU_TestInfo sandbox_tests[];
extern CU_TestInfo call_tests[];
extern CU_TestInfo footprint_tests[];
extern CU_TestInfo timeline_tests[]; /* the pictures of a run: test_timeline.c */
extern CU_TestInfo sem_tests[];
extern CU_TestInfo sem_expect_tests[]; /* expect sem key=K NUM ...: test_sem_expect.c */
extern CU_TestInfo expect_fd_tests[]; /* expect P fd D mq_flags=, expect pipe: test_expect_fd.c */
extern CU_TestInfo shm_mem_tests[]; /* load and store on a segment: test_shm_mem.c */
extern CU_TestInfo ipcrm_tests[]; /* the ipcrm statement: test_ipcrm.c */
extern CU_TestInfo semshm_xc_tests[]; /* sem and shm on the real kernel: test_semshm_xc.c */
extern CU_TestInfo shm_tests[];
extern CU_TestInfo explore_tests[];
extern CU_TestInfo explore_state_tests[];
extern CU_TestInfo explore_sock_tests[]; /* the stateful search over sockets */
extern CU_TestInfo explore_ample_tests[]; /* persistent sets: test_explore_ample.c */
extern CU_TestInfo explore_find_tests[]; /* one outcome looked for: test_explore_find.c */
extern CU_TestInfo symmetry_tests[]; /* interchangeable replicas, explore --stateful */
extern CU_TestInfo explore_queue_tests[];
extern CU_TestInfo explore_pipe_tests[];
extern CU_TestInfo explore_sig_tests[];
extern CU_TestInfo lang_tests[];
extern CU_TestInfo printf_tests[]; /* print "FORMAT", ARG...: test_printf.c */
extern CU_TestInfo lectlang_tests[]; /* msgctl q stat -> st, ipcs -i, ipcrm: test_lectlang.c */
extern CU_TestInfo thread_tests[]; /* thread NAME { }, join: test_thread.c */
extern CU_TestInfo thread_hold_tests[]; /* a close under a blocked call: test_thread_hold.c */
extern CU_TestInfo xstop_tests[];	      /* stop signals on the kernel: test_xstop.c */
extern CU_TestInfo outfield_tests[]; /* expect @L msgmax=N, type=fifo: test_outfield.c */

/* A scenario run for tests (test_run.c). */
typedef struct TestRun {
	SimScenario *scn;
	SimWorld *w;
	SimTrace *tr;
	char *out; /* the text trace, when traced */
	SimVerdict verdict;
} TestRun;

/* Parses and runs `text` (fails the test if it does not parse); traced: capture the trace. */
TestRun test_run_text(const char *text, gboolean traced, const SimWorldOptions *base);
void test_run_free(TestRun *r);
SimTask *test_run_task(TestRun *r, const char *name);
SimMbox *test_run_mbox(TestRun *r, const char *name);
const char *test_run_recv_text(TestRun *r, const char *name, guint i);
/* The result of the statement labelled `label` (which an expectation must name). */
int test_run_label_err(TestRun *r, const char *label);
/* Runs `text` and checks that the statement labelled `label` returned `err`. */
void test_expect_label(const char *text, const char *label, int err);
/* Runs `text` with one sink of format fmt (report_only as sim_trace_add_sink takes it) and
 * returns what it wrote (g_free it): the events and the report, without the header line,
 * which the command line writes. The verdict goes to *verdict unless that is NULL. */
/* text's lines, as g_strsplit(text, "\n", -1) gives them (the piece after the last '\n'
 * included), found with strchr: g_strsplit's strstr reads the whole rest of the text at
 * each line under AddressSanitizer, which makes a long trace's split quadratic. */
char **test_split_lines(const char *text);
char *test_run_output(const char *text, SimTraceFormat fmt, gboolean report_only,
		      const SimWorldOptions *base, SimVerdict *verdict);

/* Calls fn(path, text, data) for every .scn file one folder below scenarios/ (run from its root,
 * as make check does), in directory order; returns how many there were. */
guint test_each_scenario(void (*fn)(const char *path, const char *text, gpointer data),
			 gpointer data);

/* A scenario from text (named file), or from the file itself when text is NULL; a parse
 * error is printed and gives NULL. */
SimScenario *test_scn_load(const char *file, const char *text);
/* An exploration's outcome texts, one after the other, each after a "--" line (g_free). */
char *test_outcome_set(const SimExploreResult *r);

/* The msgsim built with the test binary (beside it, or in the tree's root). */
char *test_msgsim_exe(void);
/* pid's state letter in /proc/PID/stat ('S', 'T', 't', ...), 0 when it is gone. */
char test_proc_state(pid_t pid);
/* Appends pid and all its descendants (through /proc's children lists) to out. */
void test_proc_tree(pid_t pid, GArray *out);

/* Starts `msgsim crosscheck` on text in a child, its output thrown away, and waits up to
 * 5 s until one of its workers is in state (/proc's letter): pids gets the command, the
 * coordinator and the workers as last seen, *held whether one was. Returns the child. */
pid_t test_crosscheck_until(const char *text, char state, GArray *pids, gboolean *held);

/* Cross-checks scn in lockstep with opt (test_lockstep.c): the run must succeed and give a
 * report, which is the caller's. */
SimXcheckReport test_xcheck_report(const SimScenario *scn, const SimXcheckOptions *opt);
/* Cross-checks text in lockstep with every row kept (test_xrows.c); the report is the
 * caller's. Then: every row given is in it, and with match the verdict is a match with no
 * mismatch; the report is printed when not. */
void test_xcheck_rows(const char *text, gboolean shared, SimXcheckReport *rep);
void test_expect_rows(const SimXcheckReport *rep, const char *const *rows, gboolean match);

/* The stateful search's snapshot walk against its replay of every prefix, on file (or text
 * when given): the same walk, outcomes and witnesses (test_explore_state.c). */
void test_same_walk(const char *file, const char *text, gboolean eager);
/* The stateful search's digest of text's world after the steps order[0..n) (task ids),
 * with their recorder (test_explore_queues.c). */
guint64 test_digest_after(const char *text, const guint *order, guint n);
/* The same, with the recorder's lines (what the processes observed) or without them. */
guint64 test_digest_after_recorded(const char *text, const guint *order, guint n,
				   gboolean recorded);
/* The stateful walk (eager or not) against DPOR on file (or text when given): the same
 * outcome set and verdicts, and the digest pruned where `pruned` says (test_explore_queues.c). */
void test_stateful_same_outcomes(const char *file, const char *text, gboolean pruned);
/* Every witness of r replays (run --schedule) to its own outcome (test_explore.c). */
gboolean test_witnesses_replay(const SimScenario *scn, const SimExploreResult *r);

/* Runs fn in a forked child; nonzero when it died (a failed g_assert) instead of returning. */
int test_dies(void (*fn)(void));

#endif

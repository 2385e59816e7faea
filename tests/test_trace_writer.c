/* test_trace_writer.c — a file sink's writer thread when the file takes no more bytes.
 *
 * A trace written to a regular file is handed to a thread of its own in batches (trace.c,
 * "The writer"). When a write fails (a full disk; here a file size limit, which fails the
 * same way without filling a disk), the run must go on without blocking, and the flush
 * must return the errno of the first failure so that the command line can say the trace
 * is incomplete. The limit is set in a forked child, so the test binary keeps its own.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "msgsim/output/trace.h"
#include "tests.h"

/* In the child: a 1 MiB limit, about 20 MB of lines; exits 0 when the flush says EFBIG
 * and the file holds no more than the limit. */
static void write_past_the_limit(void)
{
	struct rlimit lim = { .rlim_cur = 1u << 20, .rlim_max = 1u << 20 };
	signal(SIGXFSZ, SIG_IGN); /* the write fails with EFBIG instead of killing */
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		exit(2);
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("msgsim-writer-XXXXXX", &path, NULL);
	FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!file)
		exit(3);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_JSONL, file, FALSE, FALSE);
	for (guint i = 0; i < 300000; i++) {
		SimTraceEvent ev = {
			.kind = SIM_TR_PRINT, .time = i, .task = "p", .text = "a line"
		};
		sim_trace_emit(tr, &ev);
	}
	int err = sim_trace_flush(tr);
	sim_trace_free(tr); /* stops the thread: must not wait for a batch that failed */
	fclose(file);
	GStatBuf st;
	gboolean ok = err == EFBIG && g_stat(path, &st) == 0 && st.st_size <= (1 << 20);
	g_unlink(path);
	exit(ok ? 0 : 1);
}

static void test_trace_writer_failed_write_is_reported_by_flush(void)
{
	CU_ASSERT_FALSE(test_dies(write_past_the_limit));
}

CU_TestInfo trace_writer_tests[] = {
	{ "failed write is reported by flush",
	  test_trace_writer_failed_write_is_reported_by_flush },
	CU_TEST_INFO_NULL,
};

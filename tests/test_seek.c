/* test_seek.c — lseek, pread and pwrite (sim/calls/call_seek.c), fstat, stat, ftruncate and
 * truncate (call_stat.c): each call's errors in the kernel's order of checks, a POSIX queue's
 * file that can seek and be truncated, the fields as Linux reports them, a parse error. */
#include <stdio.h>
#include <string.h>

#include "tests.h"

static TestRun run_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	return r;
}

static gboolean traced(const TestRun *r, const char *what)
{
	if (strstr(r->out, what))
		return TRUE;
	fprintf(stderr, "\nnot in the trace: %s\n%s\n", what, r->out);
	return FALSE;
}

static void test_seek_lseek_checks_the_descriptor_then_whence_then_the_stream(void)
{
	/* ksys_lseek: fdget (EBADF), whence > SEEK_MAX (EINVAL), vfs_llseek without
	 * FMODE_LSEEK (ESPIPE); whence is an unsigned int, so -1 is past SEEK_MAX. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  @spipe lseek a.r 0\n"
				"  @sw lseek a.w 10 end\n"
				"  @inval lseek a.r 0 whence=5\n"
				"  @neg lseek a.r 0 whence=-1\n"
				"  @last lseek a.r 0 hole\n"
				"  @badf lseek 9 0 whence=5\n"
				"}\n"
				"expect @spipe errno=ESPIPE\nexpect @sw errno=ESPIPE\n"
				"expect @inval errno=EINVAL\nexpect @neg errno=EINVAL\n"
				"expect @last errno=ESPIPE\nexpect @badf errno=EBADF\n",
				6);
	CU_ASSERT(traced(&r, "lseek a.w 10 SEEK_END -> ESPIPE (illegal seek)"));
	CU_ASSERT(traced(&r, "lseek a.r 0 whence=5 -> EINVAL"));
	test_run_free(&r);
}

static void test_seek_pread_and_pwrite_check_the_offset_before_the_descriptor(void)
{
	/* ksys_pread64 / ksys_pwrite64: pos < 0 (EINVAL) before fdget (EBADF), then
	 * FMODE_PREAD / FMODE_PWRITE (ESPIPE) before the end's access mode: a pipe's write
	 * end is ESPIPE to pread, not EBADF. The pipe's data stays where it was. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  write a.w \"abc\"\n"
				"  @negbad pread 9 size=1 offset=-1\n"
				"  @bad pread 9 size=1\n"
				"  @wend pread a.w size=1\n"
				"  @zero pread a.r size=0\n"
				"  @pwneg pwrite 9 \"x\" offset=-5\n"
				"  @pwbad pwrite 9 \"x\"\n"
				"  @pwr pwrite a.r \"x\"\n"
				"  @data read a.r\n"
				"}\n"
				"expect @negbad errno=EINVAL\nexpect @bad errno=EBADF\n"
				"expect @wend errno=ESPIPE\nexpect @zero errno=ESPIPE\n"
				"expect @pwneg errno=EINVAL\nexpect @pwbad errno=EBADF\n"
				"expect @pwr errno=ESPIPE\nexpect @data ret=3\n",
				8);
	CU_ASSERT(traced(&r, "pwrite a.r \"x\" size=1 offset=0 -> ESPIPE"));
	test_run_free(&r);
}

static void test_seek_a_fifo_is_a_stream_too(void)
{
	TestRun r = run_passing(
		"process p {\n"
		"  mkfifo \"/tmp/s\"\n"
		"  open \"/tmp/s\" rdwr -> f\n"
		"  @s lseek f 0\n"
		"  @r pread f size=1\n"
		"  @w pwrite f \"z\"\n"
		"  unlink \"/tmp/s\"\n"
		"}\n"
		"expect @s errno=ESPIPE\nexpect @r errno=ESPIPE\nexpect @w errno=ESPIPE\n",
		3);
	test_run_free(&r);
}

static void test_seek_a_queue_file_seeks_as_default_llseek(void)
{
	/* i_size 80: SEEK_END from it, SEEK_DATA / SEEK_HOLE at or past it ENXIO, a result
	 * below 0 EINVAL; pread reads at its offset and leaves the file's; read goes on from
	 * where lseek put it (at 70, past the line's end: nothing). pwrite: EBADF on a read-only
	 * descriptor, else EINVAL. */
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/s\" create rdonly perm=0600 maxmsg=2 msgsize=8 -> q\n"
				"  @end lseek q -10 end\n"
				"  @cur lseek q 0 cur\n"
				"  @hole lseek q 80 hole\n"
				"  @data lseek q -1 data\n"
				"  @pr pread q size=4 offset=2\n"
				"  @past read q size=3\n"
				"  lseek q 10 set\n"
				"  @rd read q size=3\n"
				"  @after lseek q 0 cur\n"
				"  @pw pwrite q \"x\"\n"
				"  @over pread q size=2 offset=9223372036854775807\n"
				"  mq_close q\n"
				"  mq_unlink \"/s\"\n"
				"}\n"
				"expect @end ret=70\nexpect @cur ret=70\nexpect @hole errno=ENXIO\n"
				"expect @data errno=EINVAL\nexpect @pr ret=4\nexpect @rd ret=3\n"
				"expect @past ret=0\nexpect @after ret=13\nexpect @pw "
				"errno=EBADF\nexpect @over errno=EINVAL\n",
				10);
	CU_ASSERT(traced(&r, "pread q size=4 offset=2 -> ok, 4 bytes: \"IZE:\""));
	test_run_free(&r);
}

static void test_seek_lseek_refuses_two_whences(void)
{
	g_autoptr(GError) error = NULL;
	const char *text = "process p { pipe -> a lseek a.r 0 end whence=1 }";
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_STRING_EQUAL(error->message, "x.scn:1:35: error: lseek takes one whence: "
					       "'end' or whence=N, not both");
}

static void test_seek_fstat_reports_a_pipe_as_an_empty_fifo(void)
{
	/* Size 0 whatever the pipe holds; a pipe(2) end is mode 0600; a FIFO has its mode less
	 * the umask and loses its link when unlinked; a queue's file is regular, 80 bytes. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  write a.w \"xyz\"\n"
				"  @a fstat a.r\n"
				"  mkfifo \"/tmp/f\" perm=0660\n"
				"  @s stat \"/tmp/f\"\n"
				"  open \"/tmp/f\" rdwr trunc -> f\n"
				"  unlink \"/tmp/f\"\n"
				"  @u fstat f\n"
				"  @n stat \"/tmp/f\"\n"
				"  @b fstat 30\n"
				"  mq_open \"/m\" create rdwr perm=0640 maxmsg=1 msgsize=8 -> q\n"
				"  @q fstat q\n"
				"  mq_unlink \"/m\"\n"
				"}\n"
				"expect @a ok\nexpect @s ok\nexpect @u ok\nexpect @n errno=ENOENT\n"
				"expect @b errno=EBADF\nexpect @q ok\n",
				6);
	CU_ASSERT(traced(&r, "fstat a.r -> ok, FIFO 0600, size 0, 1 link, uid 0"));
	CU_ASSERT(traced(&r, "stat \"/tmp/f\" -> ok, FIFO 0640, size 0, 1 link"));
	CU_ASSERT(traced(&r, "open \"/tmp/f\" rdwr trunc -> ok"));
	CU_ASSERT(traced(&r, "fstat f -> ok, FIFO 0640, size 0, 0 links"));
	CU_ASSERT(traced(&r, "fstat q -> ok, regular file 0640, size 80, 1 link"));
	test_run_free(&r);
}

static void test_seek_truncations_check_the_length_first_and_take_only_a_queue_file(void)
{
	/* do_sys_ftruncate: length < 0, fdget, then S_ISREG and FMODE_WRITE; do_sys_truncate:
	 * length < 0, the lookup, then S_ISREG. A queue's file open for writing takes the new
	 * size, which SEEK_END then counts from. */
	TestRun r = run_passing("process p {\n"
				"  pipe -> a\n"
				"  mkfifo \"/tmp/t\"\n"
				"  @negbad ftruncate 30 -1\n"
				"  @bad ftruncate 30 0\n"
				"  @pipe ftruncate a.w 0\n"
				"  @fifo truncate \"/tmp/t\" 0\n"
				"  @negnone truncate \"/tmp/none\" -1\n"
				"  @none truncate \"/tmp/none\" 0\n"
				"  mq_open \"/m\" create wronly perm=0600 maxmsg=1 msgsize=8 -> q\n"
				"  @q ftruncate q 1000\n"
				"  @end lseek q 1 end\n"
				"  mq_unlink \"/m\"\n"
				"  unlink \"/tmp/t\"\n"
				"}\n"
				"expect @negbad errno=EINVAL\nexpect @bad errno=EBADF\n"
				"expect @pipe errno=EINVAL\nexpect @fifo errno=EINVAL\n"
				"expect @negnone errno=EINVAL\nexpect @none errno=ENOENT\n"
				"expect @q ok\nexpect @end ret=1001\n",
				8);
	test_run_free(&r);
}

extern CU_TestInfo seek_tests[];
CU_TestInfo seek_tests[] = {
	{ "lseek checks the descriptor, then whence, then the stream",
	  test_seek_lseek_checks_the_descriptor_then_whence_then_the_stream },
	{ "pread and pwrite check the offset before the descriptor",
	  test_seek_pread_and_pwrite_check_the_offset_before_the_descriptor },
	{ "a FIFO is a stream too", test_seek_a_fifo_is_a_stream_too },
	{ "a queue's file seeks as default_llseek",
	  test_seek_a_queue_file_seeks_as_default_llseek },
	{ "lseek refuses two whences", test_seek_lseek_refuses_two_whences },
	{ "fstat reports a pipe as an empty FIFO",
	  test_seek_fstat_reports_a_pipe_as_an_empty_fifo },
	{ "truncations check the length first and take only a queue file",
	  test_seek_truncations_check_the_length_first_and_take_only_a_queue_file },
	CU_TEST_INFO_NULL,
};

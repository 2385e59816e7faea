/* test_run.c — shared by the suites that test whole runs: parse scenario text, run it,
 * capture the text trace, and look things up by the scenario's names.
 *
 * Not a suite itself (it exports no CU_TestInfo); it lives beside the suites so the
 * Makefile's tests/test_*.c picks it up.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgsim/output/report.h"
#include "tests.h"

TestRun test_run_text(const char *text, gboolean traced, const SimWorldOptions *base)
{
	TestRun r = { 0 };
	g_autoptr(GError) error = NULL;
	r.scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (!r.scn) {
		fprintf(stderr, "\nparse error: %s\n", error->message);
		CU_FAIL_FATAL("scenario did not parse");
	}
	SimWorldOptions opt = base ? *base : (SimWorldOptions){ 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	if (traced) {
		mem = open_memstream(&buf, &len);
		r.tr = sim_trace_new();
		sim_trace_add_sink(r.tr, SIM_TRACE_TEXT, mem, FALSE, FALSE);
		opt.trace = r.tr;
	}
	r.w = sim_world_new(r.scn, &opt);
	sim_world_run(r.w);
	r.verdict = sim_report_finish(r.w, r.tr);
	if (traced) {
		sim_trace_flush(r.tr);
		fclose(mem);
		r.out = buf;
	}
	return r;
}

void test_run_free(TestRun *r)
{
	sim_world_free(r->w);
	sim_trace_free(r->tr);
	sim_scn_free(r->scn);
	free(r->out);
}

SimTask *test_run_task(TestRun *r, const char *name)
{
	int i = sim_scn_find_proc(r->scn, name);
	CU_ASSERT_FATAL(i >= 0);
	return &r->w->tasks[i];
}

SimMbox *test_run_mbox(TestRun *r, const char *name)
{
	int i = sim_scn_find_mbox(r->scn, name);
	CU_ASSERT_FATAL(i >= 0);
	return &r->w->mboxes[i];
}

const char *test_run_recv_text(TestRun *r, const char *name, guint i)
{
	GArray *a = test_run_task(r, name)->received;
	CU_ASSERT_FATAL(a != NULL && i < a->len);
	return g_array_index(a, SimRecv, i).text;
}

int test_run_label_err(TestRun *r, const char *label)
{
	for (guint i = 0; i < r->scn->n_expects; i++) {
		const SimScnExpect *e = &r->scn->expects[i];
		if (e->kind == SIM_EXPECT_LABEL && strcmp(e->stmt->label, label) == 0)
			return r->w->results[e->stmt->id].err;
	}
	CU_FAIL_FATAL("no expectation names that label");
	return -1;
}

void test_expect_label(const char *text, const char *label, int err)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	int got = test_run_label_err(&r, label);
	if (got != err)
		fprintf(stderr, "\n@%s: got %s, expected %s\n", label, sim_errno_name(got),
			sim_errno_name(err));
	CU_ASSERT_EQUAL(got, err);
	test_run_free(&r);
}

SimScenario *test_scn_load(const char *file, const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn =
		text ? sim_scn_parse(file, text, strlen(text), &error) : sim_scn_load(file, &error);
	if (!scn)
		fprintf(stderr, "\n%s\n", error->message);
	return scn;
}

char *test_outcome_set(const SimExploreResult *r)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		g_string_append_printf(s, "--\n%s", oc->text);
	}
	return g_string_free(s, FALSE);
}

guint test_each_scenario(void (*fn)(const char *path, const char *text, gpointer data),
			 gpointer data)
{
	guint files = 0;
	g_autoptr(GDir) top = g_dir_open("scenarios", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(top);
	for (const char *d; (d = g_dir_read_name(top));) {
		g_autofree char *dir = g_build_filename("scenarios", d, NULL);
		g_autoptr(GDir) sub = g_dir_open(dir, 0, NULL);
		for (const char *f; sub && (f = g_dir_read_name(sub));) {
			if (!g_str_has_suffix(f, ".scn"))
				continue;
			g_autofree char *path = g_build_filename(dir, f, NULL);
			g_autofree char *text = NULL;
			CU_ASSERT_FATAL(g_file_get_contents(path, &text, NULL, NULL));
			fn(path, text, data);
			files++;
		}
	}
	return files;
}

char *test_run_output(const char *text, SimTraceFormat fmt, gboolean report_only,
		      const SimWorldOptions *base, SimVerdict *verdict)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (!scn) {
		fprintf(stderr, "\nparse error: %s\n", error->message);
		CU_FAIL_FATAL("scenario did not parse");
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, fmt, mem, FALSE, report_only);
	SimWorldOptions opt = base ? *base : (SimWorldOptions){ 0 };
	opt.trace = tr;
	SimWorld *w = sim_world_new(scn, &opt);
	sim_world_run(w);
	SimVerdict v = sim_report_finish(w, tr);
	if (verdict)
		*verdict = v;
	sim_trace_free(tr);
	fclose(mem);
	sim_world_free(w);
	sim_scn_free(scn);
	char *out = g_strdup(buf);
	free(buf);
	return out;
}

char **test_split_lines(const char *text)
{
	GPtrArray *a = g_ptr_array_new();
	for (const char *p = text;;) {
		const char *nl = strchr(p, '\n');
		if (!nl) {
			g_ptr_array_add(a, g_strdup(p));
			break;
		}
		g_ptr_array_add(a, g_strndup(p, (gsize)(nl - p)));
		p = nl + 1;
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/* The msgsim built with the test binary: next to it (build/asan/msgsim), or the one in
 * the tree's root for build/msgsim-tests. */
char *test_msgsim_exe(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = g_path_get_dirname(self ? self : ".");
	char *near = g_build_filename(dir, "msgsim", NULL);
	if (g_file_test(near, G_FILE_TEST_IS_EXECUTABLE))
		return near;
	g_free(near);
	return g_build_filename(dir, "..", "msgsim", NULL);
}

char test_proc_state(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	const char *paren = strrchr(text, ')');
	return paren && paren[1] ? paren[2] : 0;
}

void test_proc_tree(pid_t pid, GArray *out)
{
	g_array_append_val(out, pid);
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", (int)pid, (int)pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	g_auto(GStrv) kids = g_strsplit(g_strstrip(text), " ", -1);
	for (guint i = 0; kids[i]; i++)
		if (kids[i][0])
			test_proc_tree((pid_t)atoi(kids[i]), out);
}

pid_t test_crosscheck_until(const char *text, char state, GArray *pids, gboolean *held)
{
	g_autofree char *exe = test_msgsim_exe();
	g_autofree char *file = NULL;
	int fd = g_file_open_tmp("msgsim-held-XXXXXX.scn", &file, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	fflush(NULL);
	pid_t top = fork();
	CU_ASSERT_FATAL(top >= 0);
	if (top == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(exe, "msgsim", "crosscheck", file, (char *)NULL);
		_exit(127);
	}
	*held = FALSE;
	for (gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	     !*held && g_get_monotonic_time() < end; g_usleep(2000)) {
		g_array_set_size(pids, 0);
		test_proc_tree(top, pids);
		for (guint i = 2; i < pids->len; i++) /* the workers */
			*held |= test_proc_state(g_array_index(pids, pid_t, i)) == state;
	}
	unlink(file);
	return top;
}

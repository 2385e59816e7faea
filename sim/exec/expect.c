/* expect.c — expectations on the guests' run (`exec --expect FILE`), the calls they are
 * judged on, and the file that `exec --record FILE` writes from a run.
 *
 * The file is a scenario file of `expect` lines, read by the scenario parser in its
 * programs mode (sim/lang/scn_programs.c): the same grammar, errors (FILE:LINE:COL) and
 * meaning as in a scenario, with the programs as its processes:
 *
 *   expect msgrcv received [2 "Zoro" from msgsnd]
 *   expect msgrcv calls [msgget ret=0, msgrcv ret=512, msgrcv errno=ENOMSG]
 *   expect msgrcv exit=0
 *   expect msgsnd state=blocked
 *   expect msqid=0 qnum=0 removed=yes
 *   expect no deadlock
 *
 * A program is named as the trace names it: by its program name when no other guest has
 * that name, or by its pid. The one design choice to know: the file is read whole before
 * any guest starts (a bad line stops the run there), and each line is judged once the run
 * is over by the report's own checks (sim_report_program_expectation, on a view of the
 * guests and the model's queues), as an EXPECT event through the trace's sinks, so its
 * report line is `run`'s ("-- expect (line 3) FAIL: ...; seen: ..."). A message's text is
 * compared up to its first NUL byte, as the C program that sent it would print it.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "exec/exec_int.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/report.h"

struct SimExecExpect {
	SimScenario *scn; /* the file, parsed in programs mode */
	char **words;	  /* each expectation as written after "expect " (owned) */
};

/* ---- Reading the file ---- */

void sim_exec_expect_free(SimExecExpect *ex)
{
	if (!ex)
		return;
	g_strfreev(ex->words);
	sim_scn_free(ex->scn);
	g_free(ex);
}

/* What expectation e says, as written after "expect " (the report's and explore's words):
 * one line, even when the expectation runs over several, its comments left out. */
static char *words_of(const SimScenario *scn, const SimScnExpect *e)
{
	if (e->src_end <= e->src_start) /* in an included file: no place kept */
		return g_strdup_printf("(line %u of an included file)", e->loc.line);
	const char *c = scn->source + e->src_start + strlen("expect");
	const char *end = scn->source + e->src_end;
	GString *w = g_string_new(NULL);
	gboolean quoted = FALSE, blank = FALSE;
	for (; c < end; c++) {
		if (!quoted && *c == '#') {
			while (c + 1 < end && c[1] != '\n')
				c++;
			continue;
		}
		if (!quoted && g_ascii_isspace(*c)) {
			blank = w->len > 0;
			continue;
		}
		if (blank)
			g_string_append_c(w, ' ');
		blank = FALSE;
		g_string_append_c(w, *c);
		if (quoted && *c == '\\' && c + 1 < end)
			g_string_append_c(w, *++c);
		else if (*c == '"')
			quoted = !quoted;
	}
	return g_string_free(w, FALSE);
}

/* The expectations of scn (NULL: a parse failed), with each line's words. */
static SimExecExpect *wrap(SimScenario *scn)
{
	if (!scn)
		return NULL;
	SimExecExpect *ex = g_new0(SimExecExpect, 1);
	ex->scn = scn;
	ex->words = g_new0(char *, scn->n_expects + 1);
	for (guint i = 0; i < scn->n_expects; i++)
		ex->words[i] = words_of(scn, &scn->expects[i]);
	return ex;
}

SimExecExpect *sim_exec_expect_parse(const char *file, const char *text, GError **error)
{
	SimScnOptions o = { .programs = TRUE };
	return wrap(sim_scn_parse_with(file, text, strlen(text), &o, error));
}

SimExecExpect *sim_exec_expect_load(const char *path, GError **error)
{
	SimScnOptions o = { .programs = TRUE };
	return wrap(sim_scn_load_with(path, &o, error));
}

/* ---- The calls a guest made ---- */

/* A call of the model as C names it (sim_scn_program_calls), from its syscall: glibc's
 * mq_send is mq_timedsend with no timeout, mq_getattr mq_getsetattr with no new one. */
static const char *call_name(const struct seccomp_notif *nf)
{
	const __u64 *a = nf->data.args;
	switch (nf->data.nr) {
	case __NR_msgget:
		return "msgget";
	case __NR_msgsnd:
		return "msgsnd";
	case __NR_msgrcv:
		return "msgrcv";
	case __NR_msgctl:
		return "msgctl";
	case __NR_mq_open:
		return "mq_open";
	case __NR_mq_unlink:
		return "mq_unlink";
	case __NR_mq_timedsend:
		return a[4] ? "mq_timedsend" : "mq_send";
	case __NR_mq_timedreceive:
		return a[4] ? "mq_timedreceive" : "mq_receive";
	case __NR_mq_notify:
		return "mq_notify";
	case __NR_mq_getsetattr:
		return a[1] ? "mq_setattr" : "mq_getattr";
	default:
		return NULL;
	}
}

void sim_exec_expect_call(SimExec *x, SimGuest *g, gint64 val, int err)
{
	const char *name = call_name(&g->notif);
	/* Kept for a reader only, as what it received is (gtask.c). A restart code never
	 * reaches the program: the kernel makes the call again, and that one is logged. */
	if (!name || (!x->opt->expect_file && !x->opt->record_file && !x->opt->chooser) ||
	    err >= 512)
		return;
	if (!g->calls)
		g->calls = g_array_new(FALSE, TRUE, sizeof(SimReportCall));
	SimReportCall c = {
		.name = name, .ret = err ? -1 : val, .err = err, .blocked = g->task->resuming
	};
	g_array_append_val(g->calls, c);
}

/* ---- Judging ---- */

/* The guest named name: the pid, or the program name no other guest has. */
static const SimGuest *find_prog(const SimExec *x, const char *name, GString *why)
{
	gint64 pid = 0;
	if (g_ascii_string_to_signed(name, 10, 1, G_MAXINT, &pid, NULL)) {
		for (guint i = 0; i < sim_exec_n(x); i++)
			if (sim_exec_guest(x, i)->nspid == pid)
				return sim_exec_guest(x, i);
		if (why)
			g_string_append_printf(why, "no program has pid %s", name);
		return NULL;
	}
	const SimGuest *found = NULL;
	guint count = 0;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const char *sp = strchr(sim_exec_guest(x, i)->name, ' ');
		if (sp && strcmp(sp + 1, name) == 0) {
			found = found ? found : sim_exec_guest(x, i);
			count++;
		}
	}
	if (count == 1)
		return found;
	if (why && count == 0)
		g_string_append_printf(why, "no program is named %s", name);
	else if (why)
		g_string_append_printf(why, "%u programs are named %s: name one by its pid", count,
				       name);
	return NULL;
}

/* Can the expectation language write name as a process: a plain word that is not one
 * the `expect` grammar reads as something else? */
static gboolean writable_name(const char *name)
{
	static const char *const taken[] = { "deadlock", "no",	  "time",   "key",	"msqid",
					     "sem",	 "pipe",  "always", "possible", "run",
					     "outcomes", "never", "none",   NULL };
	if (!g_ascii_isalpha(*name) && *name != '_')
		return FALSE;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_')
			return FALSE;
	return !g_strv_contains(taken, name);
}

/* The name a report or a record uses for g: its program name when that finds it, else
 * its pid. */
static const char *prog_name(const SimExec *x, const SimGuest *g, char *buf, gsize size)
{
	const char *sp = strchr(g->name, ' ');
	if (sp && writable_name(sp + 1) && find_prog(x, sp + 1, NULL) == g)
		return sp + 1;
	g_snprintf(buf, size, "%d", g->nspid);
	return buf;
}

typedef struct View {
	const SimExec *x;
	const SimScenario *scn;
	char names[SIM_EXEC_MAX_GUESTS][16]; /* pids, for prog_name */
} View;

static int view_program(const void *data, int p, GString *why)
{
	const View *v = data;
	const SimGuest *g = find_prog(v->x, v->scn->programs[p], why);
	return g ? g->idx : -1;
}

static const SimTask *view_task(const void *data, int i)
{
	return sim_exec_guest(((const View *)data)->x, i)->task;
}

static const char *view_name(const void *data, int i)
{
	View *v = (View *)(gsize)data; /* its own buffers, for the pids */
	return prog_name(v->x, sim_exec_guest(v->x, i), v->names[i], sizeof(v->names[i]));
}

static const GArray *view_calls(const void *data, int i)
{
	return sim_exec_guest(((const View *)data)->x, i)->calls;
}

guint sim_exec_expect_count(const SimExecExpect *ex)
{
	return ex ? ex->scn->n_expects : 0;
}

const char *sim_exec_expect_words(const SimExecExpect *ex, guint i, guint *line)
{
	*line = ex->scn->expects[i].loc.line;
	return ex->words[i];
}

gboolean sim_exec_expect_one(const SimExec *x, const SimExecExpect *ex, guint i,
			     SimExecStatus status, GString *seen)
{
	View v = { .x = x, .scn = ex->scn };
	SimReportRun r = { .data = &v,
			   .program = view_program,
			   .task = view_task,
			   .name = view_name,
			   .calls = view_calls,
			   .msgqs = x->w->msgqs,
			   .mqueues = x->w->mqueues,
			   .deadlock = status == SIM_EXEC_DEADLOCK,
			   .now = sim_world_now(x->w) };
	return sim_report_program_expectation(&r, &ex->scn->expects[i], seen);
}

gboolean sim_exec_expect_judge(SimExec *x, const SimExecExpect *ex, SimExecStatus status,
			       SimTrace *tr, guint *passed, guint *failed)
{
	*passed = *failed = 0;
	for (guint i = 0; i < ex->scn->n_expects; i++) {
		g_autoptr(GString) seen = g_string_new(NULL);
		gboolean ok = sim_exec_expect_one(x, ex, i, status, seen);
		(ok ? (*passed)++ : (*failed)++);
		SimTraceEvent ev = { .kind = SIM_TR_EXPECT,
				     .time = sim_world_now(x->w),
				     .line = ex->scn->expects[i].loc.line,
				     .pass = ok,
				     .text = ex->words[i],
				     .detail = seen->str };
		sim_trace_emit(tr, &ev);
	}
	return *failed == 0;
}

gboolean sim_exec_expect_deadlock(const SimExecExpect *ex)
{
	for (guint i = 0; ex && i < ex->scn->n_expects; i++)
		if (ex->scn->expects[i].kind == SIM_EXPECT_DEADLOCK)
			return TRUE;
	return FALSE;
}

/* ---- Recording ---- */

static void record_prog(const SimExec *x, const SimGuest *g, GString *s)
{
	char buf[16], from[16];
	const char *me = prog_name(x, g, buf, sizeof buf);
	g_string_append_printf(s, "expect %s received [", me);
	for (guint k = 0; g->task->received && k < g->task->received->len; k++) {
		const SimRecv *m = &g_array_index(g->task->received, SimRecv, k);
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT " ", k ? ", " : "", m->type);
		sim_trace_quote(s, m->text, m->len);
		g_string_append_printf(s, " from %s",
				       prog_name(x, sim_exec_guest(x, m->from), from, sizeof from));
	}
	g_string_append(s, "]\n");
	g_string_append_printf(s, "expect %s calls [", me);
	for (guint k = 0; g->calls && k < g->calls->len; k++) {
		const SimReportCall *c = &g_array_index(g->calls, SimReportCall, k);
		g_string_append_printf(s, "%s%s%s", k ? ", " : "", c->name,
				       c->blocked ? " blocked" : "");
		if (c->err)
			g_string_append_printf(s, " errno=%s", sim_errno_name(c->err));
		else
			g_string_append_printf(s, " ret=%" G_GINT64_FORMAT, c->ret);
	}
	g_string_append(s, "]\n");
	if (!sim_exec_exited_state(g)) /* a deadlock's, or a guard rail's (or a stop's) */
		g_string_append_printf(
			s, "expect %s state=%s\n", me,
			sim_scn_state_name(sim_exec_stopped(g) ? (SimTaskState)SIM_SCN_STATE_STOPPED
							       : g->task->state));
	else if (WIFSIGNALED(g->status))
		g_string_append_printf(s, "expect %s killed=SIG%s\n", me,
				       sigabbrev_np(WTERMSIG(g->status)));
	else
		g_string_append_printf(s, "expect %s exit=%d\n", me, WEXITSTATUS(g->status));
}

/* Each POSIX queue name once: `expect "/name"` judges the last queue made with it. */
static void record_mqueues(const SimExec *x, GString *s)
{
	for (guint i = 0; x->w->mqueues && i < x->w->mqueues->len; i++) {
		const SimMqueue *q = x->w->mqueues->pdata[i];
		gboolean last = TRUE;
		for (guint k = i + 1; k < x->w->mqueues->len; k++)
			last = last && strcmp(((const SimMqueue *)x->w->mqueues->pdata[k])->name,
					      q->name) != 0;
		if (!last)
			continue;
		g_string_append(s, "expect ");
		sim_trace_quote(s, q->name, strlen(q->name));
		g_string_append_printf(s,
				       " curmsgs=%" G_GUINT64_FORMAT " maxmsg=%" G_GINT64_FORMAT
				       " msgsize=%" G_GINT64_FORMAT " unlinked=%s\n",
				       q->curmsgs, q->maxmsg, q->msgsize,
				       q->unlinked ? "yes" : "no");
	}
}

void sim_exec_record(const SimExec *x, SimExecStatus status, GString *s)
{
	g_string_append(s, "# what this run of msgsim exec did, one expectation a line:\n");
	g_string_append_printf(s, "# msgsim exec --seed %" G_GUINT64_FORMAT, x->opt->seed);
	if (x->opt->input_file)
		g_string_append_printf(s, " --input %s", x->opt->input_file);
	g_string_append(s, " --");
	for (guint i = 0; i < x->n_argvs; i++)
		for (char *const *a = x->argvs[i]; *a; a++)
			g_string_append_printf(s, "%s %s", a == x->argvs[i] && i ? " ---" : "", *a);
	g_string_append_c(s, '\n');
	for (guint i = 0; i < sim_exec_n(x); i++)
		record_prog(x, sim_exec_guest(x, i), s);
	for (guint i = 0; i < x->w->msgqs->len; i++) {
		const SimMsgq *q = x->w->msgqs->pdata[i];
		g_string_append_printf(
			s,
			"expect msqid=%d qnum=%" G_GUINT64_FORMAT " cbytes=%" G_GUINT64_FORMAT
			" qbytes=%" G_GUINT64_FORMAT " removed=%s\n",
			q->perm.id, q->qnum, q->cbytes, q->qbytes, q->removed ? "yes" : "no");
	}
	record_mqueues(x, s);
	g_string_append(s,
			status == SIM_EXEC_DEADLOCK ? "expect deadlock\n" : "expect no deadlock\n");
}

/* expect.c — expectations on the guests' run (`exec --expect FILE`) and the file that
 * `exec --record FILE` writes from a run.
 *
 * The file is a scenario's `expect` lines, for what real programs show: the messages a
 * program received, its exit status or the signal that killed it, its task's state, a
 * queue's state at the end, and whether the run ended in a deadlock:
 *
 *   expect msgrcv received [2 "Zoro" from msgsnd]
 *   expect msgrcv exit=0
 *   expect msgsnd state=blocked
 *   expect key=0x2a qnum=0 removed=yes
 *   expect no deadlock
 *
 * A program is named as the trace names it: by its program name when no other guest has
 * that name, or by its pid. The one design choice to know: the file is read whole before
 * any guest starts (a bad line stops the run there, with file:line:col), and each line is
 * judged once the run is over, as an EXPECT event through the trace's sinks, so its report
 * line is `run`'s ("-- expect (line 3) FAIL: ...; seen: ..."). A message's text is compared
 * up to its first NUL byte, as the C program that sent it would print it.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "exec/exec_int.h"
#include "msgsim/output/report.h"

typedef enum ExpKind {
	EXP_RECEIVED,
	EXP_EXIT,
	EXP_KILLED,
	EXP_QUEUE,
	EXP_DEADLOCK,
	EXP_STATE, /* the scenario language's `P state=STATE`, on the program's task */
} ExpKind;

typedef struct ExpItem {
	gint64 type; /* -1: any */
	char *text;
	char *from;  /* NULL: any */
} ExpItem;

typedef struct Exp {
	ExpKind kind;
	guint line;
	char *words;  /* what the line says after "expect " */
	char *prog;   /* RECEIVED, EXIT, KILLED */
	GArray *items; /* RECEIVED: ExpItem */
	gint64 value;  /* EXIT: status; KILLED: signal; DEADLOCK: 1 or 0; STATE: SimTaskState */
	gboolean by_id; /* QUEUE: value is an msqid, else a key */
	gint64 qnum, cbytes, qbytes, removed; /* QUEUE: -1 when not asked */
} Exp;

struct SimExecExpect {
	GArray *exps; /* Exp */
};

/* ---- Reading the file ---- */

typedef struct Lex {
	const char *file, *line_start, *p;
	guint line;
	GError **error;
} Lex;

static gboolean fail_at(Lex *l, const char *what)
{
	g_set_error(l->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u:%d: expected %s", l->file,
		    l->line, (int)(l->p - l->line_start) + 1, what);
	return FALSE;
}

static void skip_ws(Lex *l)
{
	while (*l->p == ' ' || *l->p == '\t')
		l->p++;
}

static gboolean at_end(Lex *l)
{
	skip_ws(l);
	return !*l->p || *l->p == '#';
}

static char *word(Lex *l)
{
	skip_ws(l);
	const char *s = l->p;
	while (g_ascii_isalnum(*l->p) || *l->p == '_' || *l->p == '-' || *l->p == '.')
		l->p++;
	return l->p > s ? g_strndup(s, (gsize)(l->p - s)) : NULL;
}

static gboolean number(Lex *l, gint64 *v)
{
	skip_ws(l);
	char *end;
	errno = 0;
	long long n = strtoll(l->p, &end, 0);
	if (end == l->p || errno)
		return FALSE;
	l->p = end;
	*v = n;
	return TRUE;
}

static gboolean quoted(Lex *l, char **out)
{
	skip_ws(l);
	if (*l->p != '"')
		return FALSE;
	GString *s = g_string_new(NULL);
	for (l->p++; *l->p && *l->p != '"'; l->p++) {
		if (*l->p == '\\' && l->p[1]) {
			l->p++;
			g_string_append_c(s, *l->p == 'n' ? '\n' : *l->p == 't' ? '\t' : *l->p);
		} else {
			g_string_append_c(s, *l->p);
		}
	}
	if (*l->p != '"') {
		g_string_free(s, TRUE);
		return FALSE;
	}
	l->p++;
	*out = g_string_free(s, FALSE);
	return TRUE;
}

static gboolean parse_items(Lex *l, Exp *e)
{
	skip_ws(l);
	if (*l->p != '[')
		return fail_at(l, "'[' and the messages received");
	l->p++;
	e->items = g_array_new(FALSE, TRUE, sizeof(ExpItem));
	skip_ws(l);
	while (*l->p != ']') {
		ExpItem it = { .type = -1 };
		if (g_ascii_isdigit(*l->p) && !number(l, &it.type))
			return fail_at(l, "a message type");
		if (!quoted(l, &it.text))
			return fail_at(l, "a message text in double quotes");
		g_array_append_val(e->items, it);
		skip_ws(l);
		const char *before = l->p;
		char *w = word(l);
		gboolean from = w && strcmp(w, "from") == 0;
		g_free(w);
		if (from && !(g_array_index(e->items, ExpItem, e->items->len - 1).from = word(l)))
			return fail_at(l, "a program after 'from'");
		if (!from && w) {
			l->p = before;
			return fail_at(l, "'from', ',' or ']'");
		}
		skip_ws(l);
		if (*l->p == ',')
			l->p++;
		else if (*l->p != ']')
			return fail_at(l, "',' or ']'");
		skip_ws(l);
	}
	l->p++;
	return TRUE;
}

static gboolean parse_queue(Lex *l, Exp *e, const char *first)
{
	e->kind = EXP_QUEUE;
	e->qnum = e->cbytes = e->qbytes = e->removed = -1;
	e->by_id = strcmp(first, "msqid") == 0;
	if (*l->p != '=' || (l->p++, !number(l, &e->value)))
		return fail_at(l, e->by_id ? "msqid=N" : "key=K (a number, 0x2a or 42)");
	gboolean any = FALSE;
	while (!at_end(l)) {
		g_autofree char *k = word(l);
		gint64 *slot = !k			   ? NULL
			       : strcmp(k, "qnum") == 0	   ? &e->qnum
			       : strcmp(k, "cbytes") == 0  ? &e->cbytes
			       : strcmp(k, "qbytes") == 0  ? &e->qbytes
			       : strcmp(k, "removed") == 0 ? &e->removed
							   : NULL;
		if (!slot || *l->p != '=')
			return fail_at(l, "qnum=N, cbytes=N, qbytes=N or removed=yes|no");
		l->p++;
		if (slot == &e->removed) {
			g_autofree char *yn = word(l);
			if (!yn || (strcmp(yn, "yes") != 0 && strcmp(yn, "no") != 0))
				return fail_at(l, "yes or no");
			*slot = strcmp(yn, "yes") == 0;
		} else if (!number(l, slot) || *slot < 0) {
			return fail_at(l, "a number >= 0");
		}
		any = TRUE;
	}
	return any || fail_at(l, "qnum=N, cbytes=N, qbytes=N or removed=yes|no");
}

/* state=NAME: a task state as the scenario language names it (sim_scn_state_name). */
static gboolean parse_state(Lex *l, Exp *e)
{
	skip_ws(l);
	const char *at = l->p;
	g_autofree char *name = word(l);
	for (int s = SIM_STATE_NEW; name && s <= SIM_SCN_STATE_STOPPED; s++)
		if (strcmp(name, sim_scn_state_name((SimTaskState)s)) == 0) {
			e->value = s;
			return TRUE;
		}
	l->p = at;
	return fail_at(l, "a state (new, ready, running, blocked, sleeping, exited or stopped)");
}

static gboolean parse_line(Lex *l, Exp *e)
{
	g_autofree char *kw = word(l);
	if (!kw || strcmp(kw, "expect") != 0)
		return fail_at(l, "'expect' (the only statement of an expectations file)");
	skip_ws(l);
	const char *rest = l->p;
	g_autofree char *first = word(l);
	if (!first)
		return fail_at(l, "a program, key=K, msqid=N, deadlock or no deadlock");
	if (strcmp(first, "deadlock") == 0 || strcmp(first, "no") == 0) {
		e->kind = EXP_DEADLOCK;
		e->value = first[0] == 'd';
		g_autofree char *d = e->value ? NULL : word(l);
		if (!e->value && (!d || strcmp(d, "deadlock") != 0))
			return fail_at(l, "'deadlock' after 'no'");
	} else if ((strcmp(first, "key") == 0 || strcmp(first, "msqid") == 0) && *l->p == '=') {
		if (!parse_queue(l, e, first))
			return FALSE;
	} else {
		e->prog = g_strdup(first);
		g_autofree char *what = word(l);
		if (what && strcmp(what, "received") == 0) {
			e->kind = EXP_RECEIVED;
			if (!parse_items(l, e))
				return FALSE;
		} else if (what && strcmp(what, "exit") == 0 && *l->p == '=') {
			e->kind = EXP_EXIT;
			const char *at = ++l->p;
			if (!number(l, &e->value) || e->value < 0 || e->value > 255) {
				l->p = at;
				return fail_at(l, "an exit status from 0 to 255");
			}
		} else if (what && strcmp(what, "killed") == 0 && *l->p == '=') {
			e->kind = EXP_KILLED;
			l->p++;
			g_autofree char *sig = word(l);
			int n = 0;
			for (int s = 1; sig && s < NSIG && !n; s++)
				if (sigabbrev_np(s) && (strcmp(sig, sigabbrev_np(s)) == 0 ||
							(g_str_has_prefix(sig, "SIG") &&
							 strcmp(sig + 3, sigabbrev_np(s)) == 0)))
					n = s;
			if (!n)
				return fail_at(l, "a signal name (SIGKILL)");
			e->value = n;
		} else if (what && strcmp(what, "state") == 0 && *l->p == '=') {
			e->kind = EXP_STATE;
			l->p++;
			if (!parse_state(l, e))
				return FALSE;
		} else {
			return fail_at(l, "'received [...]', 'exit=N', 'killed=SIGNAME' or "
					  "'state=STATE' after the program");
		}
	}
	if (!at_end(l))
		return fail_at(l, "the end of the line");
	const char *end = l->p;
	while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	e->words = g_strndup(rest, (gsize)(end - rest));
	return TRUE;
}

static void exp_clear(Exp *e)
{
	g_free(e->words);
	g_free(e->prog);
	for (guint i = 0; e->items && i < e->items->len; i++) {
		g_free(g_array_index(e->items, ExpItem, i).text);
		g_free(g_array_index(e->items, ExpItem, i).from);
	}
	if (e->items)
		g_array_free(e->items, TRUE);
}

void sim_exec_expect_free(SimExecExpect *ex)
{
	if (!ex)
		return;
	for (guint i = 0; i < ex->exps->len; i++)
		exp_clear(&g_array_index(ex->exps, Exp, i));
	g_array_free(ex->exps, TRUE);
	g_free(ex);
}

SimExecExpect *sim_exec_expect_parse(const char *file, const char *text, GError **error)
{
	SimExecExpect *ex = g_new0(SimExecExpect, 1);
	ex->exps = g_array_new(FALSE, TRUE, sizeof(Exp));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		Lex l = { file, lines[i], lines[i], i + 1, error };
		if (at_end(&l))
			continue;
		Exp e = { .line = i + 1 };
		if (!parse_line(&l, &e)) {
			exp_clear(&e);
			sim_exec_expect_free(ex);
			return NULL;
		}
		g_array_append_val(ex->exps, e);
	}
	return ex;
}

SimExecExpect *sim_exec_expect_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;
	return sim_exec_expect_parse(path, text, error);
}

/* ---- Judging ---- */

/* The guest named name: the pid, or the program name no other guest has. */
static const SimGuest *find_prog(const SimExec *x, const char *name, GString *seen)
{
	gint64 pid = 0;
	if (g_ascii_string_to_signed(name, 10, 1, G_MAXINT, &pid, NULL)) {
		for (guint i = 0; i < sim_exec_n(x); i++)
			if (sim_exec_guest(x, i)->nspid == pid)
				return sim_exec_guest(x, i);
		g_string_append_printf(seen, "no program has pid %s", name);
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
	if (count == 0)
		g_string_append_printf(seen, "no program is named %s", name);
	else
		g_string_append_printf(seen, "%u programs are named %s: name one by its pid",
				       count, name);
	return NULL;
}

/* The name a record uses for g: its program name when unique, else its pid. */
static void append_prog(const SimExec *x, const SimGuest *g, GString *s)
{
	g_autoptr(GString) why = g_string_new(NULL);
	const char *sp = strchr(g->name, ' ');
	if (sp && find_prog(x, sp + 1, why) == g)
		g_string_append(s, sp + 1);
	else
		g_string_append_printf(s, "%d", g->nspid);
}

static void append_received(const SimExec *x, const SimGuest *g, GString *s)
{
	g_string_append_c(s, '[');
	for (guint i = 0; g->task->received && i < g->task->received->len; i++) {
		const SimRecv *m = &g_array_index(g->task->received, SimRecv, i);
		g_autofree char *esc = g_strescape(m->text, NULL);
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT " \"%s\" from ", i ? ", " : "",
				       m->type, esc);
		append_prog(x, sim_exec_guest(x, m->from), s);
	}
	g_string_append_c(s, ']');
}

static gboolean item_matches(const SimExec *x, const ExpItem *it, const SimRecv *m)
{
	if (strcmp(it->text, m->text) != 0 || (it->type >= 0 && it->type != m->type))
		return FALSE;
	if (!it->from)
		return TRUE;
	const SimGuest *f = sim_exec_guest(x, m->from);
	const char *sp = strchr(f->name, ' ');
	return (sp && strcmp(sp + 1, it->from) == 0) || g_strcmp0(it->from, f->name) == 0 ||
	       atoi(it->from) == f->nspid;
}

static gboolean judge_prog(const SimExec *x, const Exp *e, GString *seen)
{
	const SimGuest *g = find_prog(x, e->prog, seen);
	if (!g)
		return FALSE;
	if (e->kind == EXP_STATE) { /* judged on its task as run judges a process */
		SimScnExpect se = { .kind = SIM_EXPECT_STATE, .state = (SimTaskState)e->value };
		return sim_report_state(g->task, &se, seen);
	}
	if (e->kind == EXP_RECEIVED) {
		guint n = g->task->received ? g->task->received->len : 0;
		gboolean ok = n == e->items->len;
		for (guint i = 0; ok && i < n; i++)
			ok = item_matches(x, &g_array_index(e->items, ExpItem, i),
					  &g_array_index(g->task->received, SimRecv, i));
		append_received(x, g, seen);
		return ok;
	}
	if (!sim_exec_exited_state(g)) {
		g_string_append(seen, "it did not end");
		return FALSE;
	}
	/* How a program ended is its task's exit code or signal, judged as run judges a
	 * scenario's process (report.c). */
	SimScnExpect se = { .kind = SIM_EXPECT_EXIT,
			    .exit_code = e->kind == EXP_EXIT ? e->value : -1,
			    .exit_sig = e->kind == EXP_KILLED ? (int)e->value : 0 };
	return sim_report_exit(g->task, &se, seen);
}

/* key=K: the live queue with that key, else the last one made with it; msqid=N: the queue
 * that had that id last. */
static const SimMsgq *find_queue(const SimExec *x, const Exp *e)
{
	const SimMsgq *found = NULL;
	for (guint i = 0; i < x->w->msgqs->len; i++) {
		const SimMsgq *q = x->w->msgqs->pdata[i];
		gint64 v = e->by_id ? q->perm.id : (gint64)(int)q->perm.key;
		if (v == (e->by_id ? e->value : (gint64)(int)e->value) &&
		    (!found || found->removed || !q->removed))
			found = q;
	}
	return found;
}

static gboolean judge_queue(const SimExec *x, const Exp *e, GString *seen)
{
	const SimMsgq *q = find_queue(x, e);
	if (!q) {
		g_string_append(seen, "no such queue was made");
		return FALSE;
	}
	g_string_append_printf(seen,
			       "qnum=%" G_GUINT64_FORMAT " cbytes=%" G_GUINT64_FORMAT
			       " qbytes=%" G_GUINT64_FORMAT " removed=%s",
			       q->qnum, q->cbytes, q->qbytes, q->removed ? "yes" : "no");
	return (e->qnum < 0 || (guint64)e->qnum == q->qnum) &&
	       (e->cbytes < 0 || (guint64)e->cbytes == q->cbytes) &&
	       (e->qbytes < 0 || (guint64)e->qbytes == q->qbytes) &&
	       (e->removed < 0 || e->removed == q->removed);
}

guint sim_exec_expect_count(const SimExecExpect *ex)
{
	return ex ? ex->exps->len : 0;
}

const char *sim_exec_expect_words(const SimExecExpect *ex, guint i, guint *line)
{
	const Exp *e = &g_array_index(ex->exps, Exp, i);
	*line = e->line;
	return e->words;
}

gboolean sim_exec_expect_one(const SimExec *x, const SimExecExpect *ex, guint i,
			     SimExecStatus status, GString *seen)
{
	const Exp *e = &g_array_index(ex->exps, Exp, i);
	if (e->kind == EXP_DEADLOCK) {
		gboolean dead = status == SIM_EXEC_DEADLOCK;
		g_string_append(seen, dead ? "deadlock" : "no deadlock");
		return dead == (e->value != 0);
	}
	if (e->kind == EXP_QUEUE)
		return judge_queue(x, e, seen);
	return judge_prog(x, e, seen);
}

gboolean sim_exec_expect_judge(SimExec *x, const SimExecExpect *ex, SimExecStatus status,
			       SimTrace *tr, guint *passed, guint *failed)
{
	*passed = *failed = 0;
	for (guint i = 0; i < ex->exps->len; i++) {
		const Exp *e = &g_array_index(ex->exps, Exp, i);
		g_autoptr(GString) seen = g_string_new(NULL);
		gboolean ok = sim_exec_expect_one(x, ex, i, status, seen);
		(ok ? (*passed)++ : (*failed)++);
		SimTraceEvent ev = { .kind = SIM_TR_EXPECT, .time = sim_world_now(x->w), .line = e->line,
				     .pass = ok, .text = e->words, .detail = seen->str };
		sim_trace_emit(tr, &ev);
	}
	return *failed == 0;
}

gboolean sim_exec_expect_deadlock(const SimExecExpect *ex)
{
	for (guint i = 0; ex && i < ex->exps->len; i++) {
		const Exp *e = &g_array_index(ex->exps, Exp, i);
		if (e->kind == EXP_DEADLOCK && e->value)
			return TRUE;
	}
	return FALSE;
}

/* ---- Recording ---- */

void sim_exec_record(const SimExec *x, SimExecStatus status, GString *s)
{
	g_string_append(s, "# what this run of msgsim exec did, one expectation a line:\n");
	g_string_append_printf(s, "# msgsim exec --seed %" G_GUINT64_FORMAT " --", x->opt->seed);
	for (guint i = 0; i < x->n_argvs; i++)
		for (char *const *a = x->argvs[i]; *a; a++)
			g_string_append_printf(s, "%s %s", a == x->argvs[i] && i ? " ---" : "", *a);
	g_string_append_c(s, '\n');
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		g_string_append(s, "expect ");
		append_prog(x, g, s);
		g_string_append(s, " received [");
		for (guint k = 0; g->task->received && k < g->task->received->len; k++) {
			const SimRecv *m = &g_array_index(g->task->received, SimRecv, k);
			g_autofree char *esc = g_strescape(m->text, NULL);
			g_string_append_printf(s, "%s%" G_GINT64_FORMAT " \"%s\" from ", k ? ", " : "",
					       m->type, esc);
			append_prog(x, sim_exec_guest(x, m->from), s);
		}
		g_string_append(s, "]\n");
		if (sim_exec_exited_state(g)) {
			g_string_append(s, "expect ");
			append_prog(x, g, s);
			if (WIFSIGNALED(g->status))
				g_string_append_printf(s, " killed=SIG%s\n",
						       sigabbrev_np(WTERMSIG(g->status)));
			else
				g_string_append_printf(s, " exit=%d\n", WEXITSTATUS(g->status));
		}
	}
	for (guint i = 0; i < x->w->msgqs->len; i++) {
		const SimMsgq *q = x->w->msgqs->pdata[i];
		g_string_append_printf(s,
				       "expect msqid=%d qnum=%" G_GUINT64_FORMAT
				       " cbytes=%" G_GUINT64_FORMAT " removed=%s\n",
				       q->perm.id, q->qnum, q->cbytes, q->removed ? "yes" : "no");
	}
	g_string_append(s, status == SIM_EXEC_DEADLOCK ? "expect deadlock\n"
						       : "expect no deadlock\n");
}

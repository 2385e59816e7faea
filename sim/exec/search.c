/* search.c — the schedules of real programs: a witness followed (`exec --schedule`), and
 * every schedule searched (`explore --exec`).
 *
 * A choice point is a moment when the guest that goes next is about to make a call the
 * model serves (a SysV or POSIX queue call, a wait, or the finish of a call the model
 * woke) and every guest that could go is at such a call. A guest at any other call (a
 * write to the terminal, a fork, an exec, an open of a file the model does not show, a read
 * of the terminal when the run has no input) goes
 * first, the lowest index first, with no choice: those calls touch nothing another guest
 * sees through the model, so their order does not change what the programs observe. A
 * call this file does not know (a signal, say) counts as a choice point: the reduction only
 * leaves out orders it knows to be alike.
 *
 * The one design choice to know: every execution is a fresh run of the programs in a
 * process of its own (a fork of msgsim), because the guests' PID namespace can be made
 * only once per process, and because nothing of one run may leak into the next. The
 * search is a depth-first walk over choice sequences: the child follows the prefix it was
 * given, takes the first guest not asleep at each new choice point, and reports back,
 * through a pipe, every choice point's candidates, the guest it took and those asleep, the
 * footprint of the step taken from there (footprint.c), the run's end, each expectation's
 * verdict and the outcome text. The parent then finds the races among the steps (the
 * vector clocks and source-set rule of explore/race.h, which the scenario explorer uses
 * too) and backtracks to the deepest choice point with a guest left to start. A step is
 * everything from its choice point to the next: its call, and what runs unseen until then
 * (local calls, a forked child, an exit), so its footprint is known only at the next choice
 * point; the sleep sets therefore carry the footprint each sleeper's step had when it was
 * explored, which stays its step while the steps taken commute with it. With
 * --no-reduction every candidate of every choice point is started, in guest order (the
 * walk as it was before the reduction). The outcome set, the tallies and the witnesses
 * are the scenario search's (explore/explore.h).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/calls/footprint.h"
#include "msgsim/explore/race.h"

/* A guest asleep at a choice point (its orders from there are covered elsewhere), with the
 * footprint of the step it would take: it stays asleep while the steps taken commute with
 * that one. */
typedef struct Slept {
	guint task;
	SimFootprint fp;
} Slept;

struct SimExecChooser {
	gboolean search;      /* the search's child (else a witness followed) */
	GArray *follow;	      /* witness: pids (int); search: the prefix's guests (guint) */
	GArray *enabled;      /* search: the prefix's candidate sets (guint64, by guest) */
	guint next;	      /* choice points met so far */
	guint max_depth;      /* search: choice points an execution may have */
	gboolean misfit;      /* witness: it did not fit the run (said on standard error) */
	GString *report;      /* search: what the child sends back */
	GString *printed[SIM_EXEC_MAX_GUESTS]; /* search: what each guest printed */
	const SimExecExpect *ex; /* search: the expectations, or NULL */
	/* The reduction (search only): the step being taken, from its choice point to the
	 * next, is one event of the search (whatever else runs meanwhile: its local calls,
	 * a child it forked, is its doing). */
	gboolean reduce;
	gboolean in_step;     /* a choice point was passed: its step is being taken */
	SimFootprint step;    /* ... what it has touched so far */
	guint n_at;	      /* ... the guests there were when it began */
	guint64 exited_at;    /* ... and those that had ended (bit: guest index) */
	GArray *asleep;	      /* Slept: the sleep set the next new choice point starts from */
	gboolean sleeping;    /* asleep applies (the prefix's last choice point is passed) */
};

/* ---- Choice points ---- */

/* The files the model shows (exec.c, model_file): an open of one reads the model. */
static gboolean model_path(const SimGuest *g, guint64 addr)
{
	char path[64];
	gsize n = 0;
	while (n < sizeof path - 1 && sim_exec_read(g, addr + n, &path[n], 1) && path[n])
		n++;
	path[n] = '\0';
	return g_str_has_prefix(path, "/proc/sysvipc/") || g_str_has_prefix(path, "/dev/mqueue") ||
	       g_str_has_prefix(path, "/proc/sys/kernel/msg") ||
	       g_str_has_prefix(path, "/proc/sys/fs/mqueue");
}

/* Whether g's next step touches nothing another guest sees through the model. */
static gboolean local_step(const SimGuest *g)
{
	int nr = g->notif.data.nr;
	if (sim_exec_woken(g))
		return nr == __NR_nanosleep || nr == __NR_clock_nanosleep;
	switch (nr) {
	case __NR_write:
	case __NR_writev:
	case __NR_execve:
	case __NR_execveat:
	case __NR_clone:
	case __NR_clone3:
	case __NR_fork:
	case __NR_vfork:
	case __NR_getrandom:
	case __NR_nanosleep:
	case __NR_clock_nanosleep:
		return TRUE;
	case __NR_read:
	case __NR_readv:
	case __NR_preadv2:
		/* Of the terminal (no other read parks): without input every order reads the
		 * same end of file; with it, the order says who gets which line. */
		return !g->x->opt->input_len;
	case __NR_splice:
	case __NR_sendfile:
		return TRUE; /* refused */
	case __NR_poll:
	case __NR_ppoll:
	case __NR_select:
	case __NR_pselect6:
		return TRUE; /* of the terminal, which is always ready: every order sees the same */
	case __NR_open:
		return !model_path(g, g->notif.data.args[0]);
	case __NR_openat:
		return !model_path(g, g->notif.data.args[1]);
	default:
		return FALSE;
	}
}

static void list_pids(SimGuest **c, guint n, GString *s)
{
	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "%s%d", i ? ", " : "", c[i]->nspid);
}

static SimGuest *follow_witness(SimExec *x, SimExecChooser *ch, SimGuest **c, guint n)
{
	g_autoptr(GString) can = g_string_new(NULL);
	list_pids(c, n, can);
	if (ch->next >= ch->follow->len) {
		x->refusal = g_strdup_printf("--schedule: the witness ends after %u choice(s), but "
					     "the run goes on (pids that can go: %s)",
					     ch->follow->len, can->str);
		ch->misfit = TRUE;
		return NULL;
	}
	int pid = g_array_index(ch->follow, int, ch->next);
	for (guint i = 0; i < n; i++)
		if (c[i]->nspid == pid) {
			ch->next++;
			return c[i];
		}
	x->refusal = g_strdup_printf("--schedule: choice %u of the witness is pid %d, which "
				     "cannot go there (pids that can: %s)",
				     ch->next + 1, pid, can->str);
	ch->misfit = TRUE;
	return NULL;
}

static guint64 mask_of(SimGuest **c, guint n)
{
	guint64 m = 0;
	for (guint i = 0; i < n; i++)
		m |= G_GUINT64_CONSTANT(1) << c[i]->idx;
	return m;
}

static void append_footprint(GString *s, const SimFootprint *fp)
{
	g_string_append_printf(s, "f %d %u", fp->everything ? 1 : 0, fp->n);
	for (guint i = 0; i < fp->n; i++)
		g_string_append_printf(s, " %d:%" G_GUINT64_FORMAT ":%u", (int)fp->refs[i].kind,
				       fp->refs[i].id, (fp->written >> i) & 1u);
	g_string_append_c(s, '\n');
}

/* The step under way ends at a choice point or at the run's end: what it changed that no
 * call shows (guests it made or that ended, a timer) joins its footprint, which is
 * reported, and the guests asleep stay so if it commutes with their steps. */
static void end_step(SimExec *x, SimExecChooser *ch)
{
	if (!ch->in_step)
		return;
	ch->in_step = FALSE;
	SimFootprint *fp = &ch->step;
	for (guint i = ch->n_at; i < sim_exec_n(x); i++) {
		sim_footprint_add(fp, SIM_OBJ_TASK, i, TRUE);
		sim_footprint_add(fp, SIM_OBJ_TASK, SIM_EXEC_OBJ_PIDS, TRUE);
	}
	/* The guests there were that ended in the step, in guest order (x->exited: no look
	 * at the others). */
	guint64 ended = x->exited & ~ch->exited_at;
	if (ch->n_at < 64)
		ended &= (G_GUINT64_CONSTANT(1) << ch->n_at) - 1;
	for (; ended; ended &= ended - 1)
		sim_exec_footprint_exit(x, sim_exec_guest(x, __builtin_ctzll(ended)), fp);
	if (sim_exec_footprint_timed(x))
		fp->everything = TRUE;
	append_footprint(ch->report, fp);
	if (!ch->sleeping)
		return;
	guint k = 0;
	for (guint i = 0; i < ch->asleep->len; i++) {
		const Slept *z = &g_array_index(ch->asleep, Slept, i);
		if (!sim_footprint_conflicts(&z->fp, fp))
			g_array_index(ch->asleep, Slept, k++) = *z;
	}
	g_array_set_size(ch->asleep, k);
}

static void begin_step(SimExec *x, SimExecChooser *ch, const SimGuest *g)
{
	ch->in_step = TRUE;
	sim_exec_footprint(x, g, &ch->step);
	ch->n_at = sim_exec_n(x);
	ch->exited_at = x->exited;
	if (sim_exec_footprint_timed(x))
		ch->step.everything = TRUE;
}

/* A new choice point: the lowest guest not asleep. NULL (the run stops) when all are. */
static SimGuest *pick_new(SimExec *x, SimExecChooser *ch, SimGuest **c, guint n,
			  guint64 *sleep)
{
	*sleep = 0;
	if (ch->sleeping) {
		guint64 en = mask_of(c, n);
		guint k = 0;
		for (guint i = 0; i < ch->asleep->len; i++) {
			const Slept *z = &g_array_index(ch->asleep, Slept, i);
			if (en >> z->task & 1u) {
				*sleep |= G_GUINT64_CONSTANT(1) << z->task;
				g_array_index(ch->asleep, Slept, k++) = *z;
			}
		}
		g_array_set_size(ch->asleep, k);
	}
	for (guint i = 0; i < n; i++)
		if (!(*sleep >> c[i]->idx & 1u))
			return c[i];
	g_string_append(ch->report, "redundant\n");
	x->limit = g_strdup("covered by another execution");
	return NULL;
}

static SimGuest *follow_search(SimExec *x, SimExecChooser *ch, SimGuest **c, guint n)
{
	guint i = ch->next;
	end_step(x, ch);
	if (i >= ch->max_depth) {
		g_string_append(ch->report, "cut\n");
		x->limit = g_strdup("--max-depth");
		return NULL;
	}
	guint64 en = mask_of(c, n), sleep = 0;
	SimGuest *g = NULL;
	if (i < ch->follow->len) {
		guint64 was = g_array_index(ch->enabled, guint64, i);
		if (was != en) {
			x->refusal = g_strdup_printf(
				"the programs ran differently on the same choices (choice point %u "
				"had %u candidates, now %u): something outside the model decides "
				"their course (real time, a file, another process)",
				i + 1, (guint)__builtin_popcountll(was), n);
			return NULL;
		}
		g = sim_exec_guest(x, g_array_index(ch->follow, guint, i));
		/* The prefix's last choice point: the sleep set of the next one grows from
		 * here (prepared by the parent, search()). */
		ch->sleeping = ch->reduce && i + 1 == ch->follow->len;
	} else if (!(g = pick_new(x, ch, c, n, &sleep))) {
		return NULL;
	}
	ch->next++;
	g_string_append_printf(ch->report, "d %u %d %d %" G_GINT64_MODIFIER "x %" G_GINT64_MODIFIER
				"x\n", n, g->nspid, g->idx, en, sleep);
	if (ch->reduce)
		begin_step(x, ch, g);
	return g;
}

void sim_exec_choice_clock(SimExec *x)
{
	SimExecChooser *ch = x->opt->chooser;
	if (ch && ch->search && ch->in_step)
		ch->step.everything = TRUE; /* a time read shows how many calls came before */
}

void sim_exec_choice_mq(SimExec *x, const SimMqueue *q)
{
	SimExecChooser *ch = x->opt->chooser;
	if (!ch || !ch->search || !ch->in_step)
		return;
	sim_footprint_add(&ch->step, SIM_OBJ_MQ, sim_exec_mq_obj(q), TRUE);
	if (q->unlinked) /* its last close frees it, and what the names charged for it */
		sim_footprint_add(&ch->step, SIM_OBJ_MQ_NS, 0, TRUE);
}

SimGuest *sim_exec_choose(SimExec *x, SimGuest **ready, guint n)
{
	SimExecChooser *ch = x->opt->chooser;
	for (guint i = 0; i < n; i++)
		if (local_step(ready[i])) {
			if (ch->search && ch->in_step)
				sim_exec_footprint_local(ready[i], &ch->step);
			return ready[i];
		}
	return ch->search ? follow_search(x, ch, ready, n) : follow_witness(x, ch, ready, n);
}

void sim_exec_choice_print(SimExec *x, const SimGuest *g, const char *buf, gsize len)
{
	SimExecChooser *ch = x->opt->chooser;
	if (!ch->search)
		return;
	if (!ch->printed[g->idx])
		ch->printed[g->idx] = g_string_new(NULL);
	g_string_append_len(ch->printed[g->idx], buf, (gssize)len);
}

/* ---- Outcomes ---- */

static void append_text(GString *s, const char *text, gsize len)
{
	const char *nul = memchr(text, '\0', len);
	g_autofree char *t = g_strndup(text, nul ? (gsize)(nul - text) : len);
	g_autofree char *esc = g_strescape(t, NULL);
	g_string_append_printf(s, "\"%s\"", esc);
}

static const char *blocked_in(int nr)
{
	return nr == __NR_msgsnd   ? "msgsnd"
	       : nr == __NR_msgrcv ? "msgrcv"
	       : sim_exec_mq_call_name(nr) ? sim_exec_mq_call_name(nr)
	       : nr == __NR_wait4 || nr == __NR_waitid ? "wait"
						       : "a call";
}

static void guest_outcome(const SimExec *x, const SimExecChooser *ch, const SimGuest *g,
			  GString *s)
{
	g_string_append_printf(s, "%s: ", g->name);
	if (sim_exec_stopped(g))
		g_string_append_printf(s, "stopped by SIG%s", sigabbrev_np(g->task->stopped_by));
	else if (!sim_exec_exited_state(g))
		g_string_append_printf(s, "blocked in %s", blocked_in(g->notif.data.nr));
	else if (WIFSIGNALED(g->status))
		g_string_append_printf(s, "killed by %s", sigabbrev_np(WTERMSIG(g->status)));
	else
		g_string_append_printf(s, "exit %d", WEXITSTATUS(g->status));
	GArray *r = g->task->received;
	if (r && r->len) {
		g_string_append(s, "; received [");
		for (guint k = 0; k < r->len; k++) {
			const SimRecv *m = &g_array_index(r, SimRecv, k);
			g_string_append_printf(s, "%s%" G_GINT64_FORMAT " ", k ? ", " : "", m->type);
			append_text(s, m->text, strlen(m->text));
			g_string_append_printf(s, " from %s", sim_exec_guest(x, m->from)->name);
		}
		g_string_append_c(s, ']');
	}
	g_string_append_c(s, '\n');
	const GString *p = ch->printed[g->idx];
	if (p && p->len) {
		g_auto(GStrv) lines = g_strsplit(p->str, "\n", -1);
		for (guint k = 0; lines[k]; k++)
			if (lines[k][0] || lines[k + 1])
				g_string_append_printf(s, "  | %s\n", lines[k]);
	}
}

/* What the programs could observe at the end: how each ended, what it received and
 * printed, each queue's messages, and whether the run deadlocked or was stopped. */
static void outcome_text(const SimExec *x, const SimExecChooser *ch, SimExecStatus st,
			 GString *s)
{
	for (guint i = 0; i < sim_exec_n(x); i++)
		guest_outcome(x, ch, sim_exec_guest(x, i), s);
	for (guint i = 0; i < x->w->msgqs->len; i++) {
		const SimMsgq *q = x->w->msgqs->pdata[i];
		g_string_append_printf(s, "msq %d: ", q->perm.id);
		if (q->removed) {
			g_string_append(s, "removed\n");
			continue;
		}
		g_string_append_printf(s, "%" G_GUINT64_FORMAT " message%s [", q->qnum,
				       q->qnum == 1 ? "" : "s");
		for (const SimMsg *m = q->msgs.head; m; m = m->next) {
			g_string_append_printf(s, "%s%" G_GINT64_FORMAT " ",
					       m == q->msgs.head ? "" : ", ", m->type);
			append_text(s, m->text, m->len);
		}
		g_string_append(s, "]\n");
	}
	if (st == SIM_EXEC_DEADLOCK)
		g_string_append(s, "deadlock\n");
	if (st == SIM_EXEC_LIMIT)
		g_string_append_printf(s, "stopped: %s\n", x->limit ? x->limit : "a guard rail");
}

void sim_exec_choice_end(SimExec *x, SimExecStatus st)
{
	SimExecChooser *ch = x->opt->chooser;
	if (!ch->search) {
		if (st != SIM_EXEC_REFUSED && ch->next < ch->follow->len) {
			fprintf(stderr, "msgsim: exec: --schedule: the run ended after %u of the "
					"witness's %u choices\n",
				ch->next, ch->follow->len);
			ch->misfit = TRUE;
		}
		return;
	}
	if (ch->reduce)
		end_step(x, ch);
	g_string_append_printf(ch->report, "s %d %" G_GUINT64_FORMAT "\n", (int)st, x->w->steps);
	if (st == SIM_EXEC_REFUSED) {
		g_string_append_printf(ch->report, "r %s\n", x->refusal ? x->refusal : "refused");
		return;
	}
	for (guint i = 0; i < sim_exec_expect_count(ch->ex); i++) {
		g_autoptr(GString) seen = g_string_new(NULL);
		g_string_append_printf(ch->report, "e %d\n",
				       sim_exec_expect_one(x, ch->ex, i, st, seen));
	}
	g_string_append(ch->report, "o\n");
	outcome_text(x, ch, st, ch->report);
}

/* ---- Witnesses ---- */

SimExecChooser *sim_exec_schedule_parse(const char *text, GError **error)
{
	SimExecChooser *ch = g_new0(SimExecChooser, 1);
	ch->follow = g_array_new(FALSE, FALSE, sizeof(int));
	if (strcmp(text, "-") == 0)
		return ch;
	/* "" is one empty item (g_strsplit would give none) */
	g_auto(GStrv) items = *text ? g_strsplit(text, ",", -1) : g_strsplit(" ", ",", -1);
	for (guint i = 0; items[i]; i++) {
		char *star = strchr(items[i], '*');
		if (star)
			*star = '\0';
		guint64 pid = 0, times = 1;
		if (!g_ascii_string_to_unsigned(g_strstrip(items[i]), 10, 1, G_MAXINT, &pid, NULL) ||
		    (star && !g_ascii_string_to_unsigned(g_strstrip(star + 1), 10, 1, 1000000,
							  &times, NULL))) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "--schedule '%s': item %u: expected a pid or PID*N (N from 1), "
				    "items separated by commas, or - for none",
				    text, i + 1);
			sim_exec_chooser_free(ch);
			return NULL;
		}
		for (guint64 k = 0; k < times; k++) {
			int p = (int)pid;
			g_array_append_val(ch->follow, p);
		}
	}
	return ch;
}

gboolean sim_exec_schedule_misfit(const SimExecChooser *ch)
{
	return ch->misfit;
}

void sim_exec_chooser_free(SimExecChooser *ch)
{
	if (!ch)
		return;
	if (ch->follow)
		g_array_free(ch->follow, TRUE);
	if (ch->enabled)
		g_array_free(ch->enabled, TRUE);
	if (ch->asleep)
		g_array_free(ch->asleep, TRUE);
	if (ch->report)
		g_string_free(ch->report, TRUE);
	for (guint i = 0; i < SIM_EXEC_MAX_GUESTS; i++)
		if (ch->printed[i])
			g_string_free(ch->printed[i], TRUE);
	g_free(ch);
}

/* The witness text of pids[0..n): runs of one pid as PID*N. */
static char *witness_text(const int *pids, guint n)
{
	GString *s = g_string_new(n ? NULL : "-");
	for (guint i = 0; i < n;) {
		guint run = 1;
		while (i + run < n && pids[i + run] == pids[i])
			run++;
		g_string_append_printf(s, "%s%d", i ? "," : "", pids[i]);
		if (run > 1)
			g_string_append_printf(s, "*%u", run);
		i += run;
	}
	return g_string_free(s, FALSE);
}

/* ---- The search ---- */

#define BIT(i) (G_GUINT64_CONSTANT(1) << (i))

typedef struct Node {
	guint n;	   /* candidates at this choice point */
	guint chosen;	   /* the guest taken in the current prefix (its index) */
	guint64 enabled;   /* the candidates, by guest index */
	guint64 backtrack; /* the guests to start from here, those explored included */
	guint64 done;	   /* the guests whose orders from here are all explored */
	guint64 sleep;	   /* the guests whose orders from here are covered elsewhere */
	SimFootprint fp;   /* the chosen one's step in the current execution */
	GArray *known;	   /* Slept: the steps of the guests asleep or done here, or NULL */
} Node;

/* One choice point of an execution, as the child reported it. */
typedef struct Step {
	guint n;	 /* candidates */
	int pid;	 /* the one taken, as the trace names it */
	guint idx;	 /* ... and as the model numbers it */
	guint64 enabled; /* the candidates, by guest index */
	guint64 sleep;	 /* those asleep (a new choice point's) */
	SimFootprint fp; /* what the step touched */
} Step;

/* What one execution reported. */
typedef struct Report {
	GArray *steps; /* Step */
	guint n_fps;   /* steps whose footprint came */
	int status;    /* SimExecStatus, or -1: none (the child failed) */
	guint64 calls;
	gboolean cut, redundant;
	char *refusal;
	GArray *verdicts; /* gboolean, by expectation */
	const char *outcome; /* into text */
	char *text;	     /* the whole report (owned) */
} Report;

typedef struct Search {
	char **const *argvs;
	guint n_argvs;
	const SimExecOptions *opt;
	const SimExploreOptions *eo;
	SimExecExploreResult *res;
	const SimExecExpect *ex;
	gboolean reduce; /* source sets and sleep sets (no_reduction off) */
	GArray *nodes;	 /* Node */
	guint first_new; /* the first node whose decision changed for this execution */
	SimRaceLog log;	 /* the execution's steps and their clocks (explore/race.h) */
	SimOutcomeSet *set;
	gint64 t0, next_progress;
} Search;

static Node *node_at(Search *s, guint i)
{
	return &g_array_index(s->nodes, Node, i);
}

static void report_clear(Report *r)
{
	g_array_free(r->steps, TRUE);
	g_array_free(r->verdicts, TRUE);
	g_free(r->refusal);
	g_free(r->text);
}

/* The footprint node nd knows for guest p's step, or NULL. */
static const SimFootprint *known_fp(const Node *nd, guint p)
{
	for (guint i = 0; nd->known && i < nd->known->len; i++)
		if (g_array_index(nd->known, Slept, i).task == p)
			return &g_array_index(nd->known, Slept, i).fp;
	return NULL;
}

static void know(Node *nd, guint p, const SimFootprint *fp)
{
	if (!nd->known)
		nd->known = g_array_new(FALSE, FALSE, sizeof(Slept));
	for (guint i = 0; i < nd->known->len; i++)
		if (g_array_index(nd->known, Slept, i).task == p) {
			g_array_index(nd->known, Slept, i).fp = *fp;
			return;
		}
	Slept z = { p, *fp };
	g_array_append_val(nd->known, z);
}

/* The guests asleep after the step of nd (the prefix's last node): those asleep or done at
 * nd but its chosen one, whose steps commute with it, into out (Slept). */
static void sleep_after(const Node *nd, GArray *out)
{
	g_array_set_size(out, 0);
	guint64 cand = (nd->sleep | nd->done) & nd->enabled & ~BIT(nd->chosen);
	while (cand) {
		guint p = (guint)__builtin_ctzll(cand);
		cand &= cand - 1;
		const SimFootprint *fp = known_fp(nd, p);
		if (fp && !sim_footprint_conflicts(fp, &nd->fp)) {
			Slept z = { p, *fp };
			g_array_append_val(out, z);
		}
	}
}

/* The child: one run of the programs along the prefix, its report written to fd. */
static G_NORETURN void child(Search *s, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* its handler ends the guests (guest.c) */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0)
		dup2(null, STDERR_FILENO);
	SimExecChooser ch = { .search = TRUE, .ex = s->ex, .reduce = s->reduce };
	ch.follow = g_array_new(FALSE, FALSE, sizeof(guint));
	ch.enabled = g_array_new(FALSE, FALSE, sizeof(guint64));
	for (guint i = 0; i < s->nodes->len; i++) {
		const Node *nd = node_at(s, i);
		g_array_append_val(ch.follow, nd->chosen);
		g_array_append_val(ch.enabled, nd->enabled);
	}
	/* The sleep set starts at the prefix's last node with the guests asleep or done there
	 * and their steps; the child drops those whose steps stop commuting. */
	ch.asleep = g_array_new(FALSE, FALSE, sizeof(Slept));
	if (s->reduce && s->nodes->len) {
		const Node *top = node_at(s, s->nodes->len - 1);
		guint64 cand = (top->sleep | top->done) & top->enabled & ~BIT(top->chosen);
		while (cand) {
			guint p = (guint)__builtin_ctzll(cand);
			cand &= cand - 1;
			const SimFootprint *fp = known_fp(top, p);
			if (fp) {
				Slept z = { p, *fp };
				g_array_append_val(ch.asleep, z);
			}
		}
	}
	ch.sleeping = s->reduce && s->nodes->len == 0;
	ch.max_depth = s->eo->max_depth ? s->eo->max_depth : SIM_EXPLORE_DEFAULT_DEPTH;
	ch.report = g_string_new(NULL);
	SimExecOptions o = *s->opt;
	o.quiet = TRUE;
	o.program_output = FALSE;
	o.format = o.output = o.expect_file = o.record_file = NULL;
	o.chooser = &ch;
	SimExecStatus st;
	GError *error = NULL;
	if (!sim_exec_run(s->argvs, s->n_argvs, &o, stdout, &st, &error))
		g_string_append_printf(ch.report, "s %d 0\nr %s\n", (int)SIM_EXEC_REFUSED,
				       error->message);
	const char *p = ch.report->str;
	gsize left = ch.report->len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w <= 0 && errno != EINTR)
			break;
		if (w > 0)
			p += w, left -= (gsize)w;
	}
	_exit(0);
}

/* "f EVERYTHING N KIND:ID:WRITTEN..." (append_footprint): the latest step's footprint. */
static void parse_footprint(Report *r, const char *line)
{
	if (r->n_fps >= r->steps->len)
		return;
	SimFootprint *fp = &g_array_index(r->steps, Step, r->n_fps++).fp;
	int every = 1, used = 0;
	guint n = 0;
	if (sscanf(line, "f %d %u%n", &every, &n, &used) < 2) {
		fp->everything = TRUE;
		return;
	}
	fp->everything = every != 0;
	for (const char *p = line + used; n > 0; n--) {
		int kind = 0, len = 0;
		guint64 id = 0;
		guint w = 0;
		if (sscanf(p, " %d:%" G_GUINT64_FORMAT ":%u%n", &kind, &id, &w, &len) < 3 ||
		    kind < 0 || kind >= SIM_OBJ_N_KINDS) {
			fp->everything = TRUE;
			return;
		}
		sim_footprint_add(fp, (SimObjKind)kind, id, w != 0);
		p += len;
	}
}

static void parse_line(Report *r, char *line)
{
	if (line[0] == 'd') {
		Step st = { 0 };
		sim_footprint_init(&st.fp);
		st.fp.everything = TRUE; /* until its footprint comes */
		if (sscanf(line, "d %u %d %u %" G_GINT64_MODIFIER "x %" G_GINT64_MODIFIER "x",
			   &st.n, &st.pid, &st.idx, &st.enabled, &st.sleep) == 5)
			g_array_append_val(r->steps, st);
	} else if (line[0] == 'f') {
		parse_footprint(r, line);
	} else if (line[0] == 's') {
		if (sscanf(line, "s %d %" G_GUINT64_FORMAT, &r->status, &r->calls) < 1)
			r->status = -1;
	} else if (line[0] == 'e') {
		gboolean v = line[2] == '1';
		g_array_append_val(r->verdicts, v);
	} else if (line[0] == 'r' && line[1] == ' ' && !r->refusal) {
		r->refusal = g_strdup(line + 2);
	} else if (strcmp(line, "cut") == 0) {
		r->cut = TRUE;
	} else if (strcmp(line, "redundant") == 0) {
		r->redundant = TRUE;
	}
}

static void parse_report(Report *r, char *text)
{
	r->text = text;
	r->status = -1;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (line[0] == 'o' && line[1] == '\0') {
			r->outcome = nl ? nl + 1 : "";
			break;
		}
		parse_line(r, line);
		line = nl ? nl + 1 : NULL;
	}
}

/* Runs one execution along the current prefix; FALSE when no child could be made. */
static gboolean run_one(Search *s, Report *r, GError **error)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "pipe: %s",
			    g_strerror(errno));
		return FALSE;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "fork: %s",
			    g_strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return FALSE;
	}
	if (pid == 0)
		child(s, fds[1]);
	close(fds[1]);
	memset(r, 0, sizeof *r);
	r->steps = g_array_new(FALSE, FALSE, sizeof(Step));
	r->verdicts = g_array_new(FALSE, FALSE, sizeof(gboolean));
	GString *text = g_string_new(NULL);
	char buf[4096];
	for (;;) {
		ssize_t got = read(fds[0], buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		g_string_append_len(text, buf, got);
	}
	close(fds[0]);
	int wst;
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	parse_report(r, g_string_free(text, FALSE));
	if (r->status < 0 && !r->refusal)
		r->refusal = g_strdup("an execution ended without a report (msgsim's run of it "
				      "failed)");
	return TRUE;
}

static void keep_witness(const Report *rep, char **w, guint *len)
{
	guint n = rep->steps->len;
	if (*w && *len <= n)
		return;
	g_autofree int *pids = g_new(int, n + 1);
	for (guint i = 0; i < n; i++)
		pids[i] = g_array_index(rep->steps, Step, i).pid;
	g_free(*w);
	*w = witness_text(pids, n);
	*len = n;
}

/* An execution that ran to its end: its outcome and each expectation's verdict. */
static void record(Search *s, const Report *rep)
{
	SimExploreResult *r = &s->res->r;
	r->stats.executions++;
	r->deadlocks += rep->status == SIM_EXEC_DEADLOCK;
	r->rail_stops += rep->status == SIM_EXEC_LIMIT;
	SimOutcome *oc = sim_outcome_set_get(s->set, rep->outcome ? rep->outcome : "",
					     rep->status == SIM_EXEC_DEADLOCK);
	oc->count++;
	keep_witness(rep, &oc->witness, &oc->length);
	for (guint i = 0; i < r->n_tallies && i < rep->verdicts->len; i++) {
		SimExpectTally *t = &r->tallies[i];
		if (g_array_index(rep->verdicts, gboolean, i)) {
			t->held++;
			keep_witness(rep, &t->held_witness, &t->held_length);
		} else {
			t->failed++;
			keep_witness(rep, &t->failed_witness, &t->failed_length);
		}
	}
}

/* The execution's new choice points become nodes; every node takes its step's footprint
 * in this execution, and a new one the sleep set the child started it with, with the
 * steps of its sleepers (derived as the child did: from the prefix's last node on). */
static void grow(Search *s, const Report *rep)
{
	guint old = s->nodes->len;
	g_autoptr(GArray) carry = g_array_new(FALSE, FALSE, sizeof(Slept));
	for (guint k = 0; k < rep->steps->len; k++) {
		const Step *st = &g_array_index(rep->steps, Step, k);
		if (k < old) {
			node_at(s, k)->fp = st->fp;
			if (s->reduce && k + 1 == old)
				sleep_after(node_at(s, k), carry);
			continue;
		}
		Node nd = { .n = st->n, .chosen = st->idx, .enabled = st->enabled, .fp = st->fp };
		nd.backtrack = s->reduce ? BIT(st->idx) : st->enabled;
		if (s->reduce) {
			for (guint i = 0; i < carry->len; i++) {
				const Slept *z = &g_array_index(carry, Slept, i);
				if ((st->sleep & BIT(z->task)) && z->task != st->idx) {
					nd.sleep |= BIT(z->task);
					know(&nd, z->task, &z->fp);
				}
			}
			g_array_set_size(carry, 0);
			for (guint i = 0; nd.known && i < nd.known->len; i++) {
				const Slept *z = &g_array_index(nd.known, Slept, i);
				if (!sim_footprint_conflicts(&z->fp, &nd.fp))
					g_array_append_val(carry, *z);
			}
		}
		g_array_append_val(s->nodes, nd);
		s->res->r.stats.states++;
	}
}

/* Race (i, j): make sure the node of i starts, or has started, some reversal. */
static void race(void *data, guint i, guint j)
{
	Search *s = data;
	const SimRaceLog *log = &s->log;
	Node *nd = node_at(s, log->events[i].node);
	nd->backtrack = sim_race_backtrack(nd->enabled, nd->backtrack, nd->sleep,
					   sim_race_initials(log, i, j), log->events[j].task);
}

/* The races of this execution's steps, as explore.c finds a scenario's: a step that made
 * a guest able to go (a wake-up, a fork) is dependent with that guest's steps, and one
 * that took a guest's turn away (a kill) makes its node try every guest. */
static void find_races(Search *s)
{
	sim_race_log_reset(&s->log);
	guint64 before = 0;
	int prev = -1;
	for (guint k = 0; k < s->nodes->len; k++) {
		const Node *nd = node_at(s, k);
		if (prev >= 0) {
			SimRaceEvent *last = &s->log.events[s->log.n_events - 1];
			guint64 fresh = nd->enabled & ~before & ~BIT(prev);
			for (guint p = 0; p < SIM_EXEC_MAX_GUESTS; p++)
				if (fresh & BIT(p))
					sim_footprint_add(&last->fp, SIM_OBJ_TASK, p, TRUE);
			if (before & ~nd->enabled & ~BIT(prev)) {
				Node *at = node_at(s, k - 1);
				at->backtrack |= at->enabled & ~at->sleep;
			}
		}
		sim_race_log_add(&s->log, nd->chosen, k, &nd->fp, k >= s->first_new ? race : NULL,
				 s);
		before = nd->enabled;
		prev = (int)nd->chosen;
	}
}

/* The prefix for the next execution: the deepest node with a guest left to start takes
 * it. FALSE when every needed sequence has been run. Unreduced, every candidate of every
 * node is started, in guest order. */
static gboolean backtrack(Search *s)
{
	while (s->nodes->len > 0) {
		guint top = s->nodes->len - 1;
		Node *nd = node_at(s, top);
		nd->done |= BIT(nd->chosen);
		if (s->reduce)
			know(nd, nd->chosen, &nd->fp);
		guint64 todo = nd->backtrack & ~nd->done & ~nd->sleep;
		if (todo) {
			nd->chosen = (guint)__builtin_ctzll(todo);
			s->first_new = top;
			return TRUE;
		}
		if (nd->known)
			g_array_free(nd->known, TRUE);
		g_array_set_size(s->nodes, top);
	}
	return FALSE;
}

static const char *bound_hit(Search *s, gint64 now)
{
	const SimExploreStats *st = &s->res->r.stats;
	if (s->eo->max_executions &&
	    st->executions + st->depth_cut + st->redundant >= s->eo->max_executions)
		return "--max-executions";
	if (s->eo->max_seconds > 0 && (double)(now - s->t0) / 1e6 >= s->eo->max_seconds)
		return "--max-time";
	return NULL;
}

static void search(Search *s)
{
	SimExploreResult *r = &s->res->r;
	for (;;) {
		gint64 now = g_get_monotonic_time();
		r->stats.seconds = (double)(now - s->t0) / 1e6;
		if (s->eo->progress && now >= s->next_progress) {
			s->eo->progress(s->eo->progress_data, &r->stats);
			s->next_progress = now + G_USEC_PER_SEC;
		}
		if ((r->cut_by = bound_hit(s, now)))
			return;
		Report rep;
		g_autoptr(GError) error = NULL;
		if (!run_one(s, &rep, &error)) {
			s->res->refusal = g_strdup(error->message);
			return;
		}
		r->stats.calls += rep.calls;
		r->stats.max_depth_seen = MAX(r->stats.max_depth_seen, rep.steps->len);
		if (rep.refusal) {
			s->res->refusal = g_steal_pointer(&rep.refusal);
			report_clear(&rep);
			return;
		}
		if (rep.redundant)
			r->stats.redundant++;
		else if (rep.cut)
			r->stats.depth_cut++;
		else
			record(s, &rep);
		grow(s, &rep);
		if (s->reduce)
			find_races(s);
		report_clear(&rep);
		if (!backtrack(s))
			return;
	}
}

gboolean sim_exec_explore(char **const *argvs, guint n, const SimExecOptions *opt,
			  const SimExploreOptions *eo, SimExecExploreResult *res, GError **error)
{
	memset(res, 0, sizeof *res);
	if (!sim_exec_supported(error))
		return FALSE;
	SimExecExpect *ex = NULL;
	if (opt->expect_file && !(ex = sim_exec_expect_load(opt->expect_file, error)))
		return FALSE;
	Search s = { .argvs = argvs, .n_argvs = n, .opt = opt, .eo = eo, .res = res, .ex = ex };
	s.reduce = !eo->no_reduction;
	s.nodes = g_array_new(FALSE, FALSE, sizeof(Node));
	sim_race_log_init(&s.log, SIM_EXEC_MAX_GUESTS);
	s.set = sim_outcome_set_new();
	guint ne = sim_exec_expect_count(ex);
	res->r.tallies = g_new0(SimExpectTally, ne + 1);
	res->r.n_tallies = ne;
	res->expect_words = g_new0(char *, ne + 1);
	res->expect_lines = g_new0(guint, ne + 1);
	for (guint i = 0; i < ne; i++)
		res->expect_words[i] = g_strdup(sim_exec_expect_words(ex, i, &res->expect_lines[i]));
	res->expect_deadlock = sim_exec_expect_deadlock(ex);
	s.t0 = g_get_monotonic_time();
	s.next_progress = s.t0 + G_USEC_PER_SEC;
	search(&s);
	res->r.stats.seconds = (double)(g_get_monotonic_time() - s.t0) / 1e6;
	res->r.complete = !res->r.cut_by && !res->r.stats.depth_cut && !res->refusal;
	sim_outcome_set_finish(s.set, &res->r);
	for (guint i = 0; i < s.nodes->len; i++)
		if (node_at(&s, i)->known)
			g_array_free(node_at(&s, i)->known, TRUE);
	g_array_free(s.nodes, TRUE);
	sim_race_log_clear(&s.log);
	sim_exec_expect_free(ex);
	return TRUE;
}

void sim_exec_explore_result_clear(SimExecExploreResult *res)
{
	sim_explore_result_clear(&res->r);
	g_strfreev(res->expect_words);
	g_free(res->expect_lines);
	g_free(res->refusal);
	memset(res, 0, sizeof *res);
}

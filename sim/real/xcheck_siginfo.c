/* xcheck_siginfo.c — comparing the siginfo each handler body read with the kernel's.
 *
 * The model keeps, per task, the signal and siginfo of every handler body that started
 * (SimSigBodies.ran); the worker's handler records the siginfo_t the kernel handed it, and
 * each answer brings the records made since the last one (SimRealWorker.si_log). At the
 * end of the run one row per task and signal compares the two lists, oldest first. The
 * design choice to know: only signals for which the model ran a body are compared, since
 * the worker cannot tell a handler with a body from one without; and pids are shown as the
 * run's process names on both sides, as lspid and lrpid are, since the real pids differ.
 */
#include "real/xcheck_int.h"

#include <signal.h>
#include <string.h>

#include "msgsim/lang/scn.h"

/* The process of pid: the model's (its task's pid) or the kernel's (its worker's). */
static const char *pid_name(const Xc *xc, gint64 pid, gboolean real)
{
	if (pid == 0)
		return "-";
	for (guint i = 0; i < xc->n; i++) {
		gboolean is =
			real ? xc->x[i].started && xc->x[i].pid == pid : xc->w->tasks[i].pid == pid;
		if (is)
			return xc->scn->procs[i].name;
	}
	return "?";
}

void xc_siginfo_append(GString *s, const Xc *xc, const gint64 f[6], gboolean real)
{
	if (s->len)
		g_string_append(s, "; ");
	g_string_append_printf(s,
			       "code=%" G_GINT64_FORMAT " pid=%s uid=%" G_GINT64_FORMAT
			       " value=%" G_GINT64_FORMAT " status=%" G_GINT64_FORMAT,
			       f[1], pid_name(xc, f[2], real), f[3], f[4], f[5]);
}

/* The rows of task i: one per signal its bodies ran for. */
static void task_rows(Xc *xc, guint i)
{
	const SimTask *t = &xc->w->tasks[i];
	const SimSigBodies *b = t->sigb;
	const SimRealWorker *wk = &xc->x[i].wk;
	guint n_model = MIN(b->n_ran, (guint)G_N_ELEMENTS(b->ran));
	guint n_real = MIN(wk->n_si, (guint)SIM_REAL_SI_LOG);
	guint64 done = 0;
	for (guint j = 0; j < n_model && !xc->failed; j++) {
		int sig = b->ran_sig[j];
		if (done & (G_GUINT64_CONSTANT(1) << sig))
			continue;
		done |= G_GUINT64_CONSTANT(1) << sig;
		g_autoptr(GString) ms = g_string_new(NULL);
		g_autoptr(GString) ks = g_string_new(NULL);
		for (guint k = j; k < n_model; k++) {
			if (b->ran_sig[k] != sig)
				continue;
			const SimSigInfo *si = &b->ran[k];
			gint64 f[6] = { sig, si->code, si->pid, si->uid, si->value, si->status };
			xc_siginfo_append(ms, xc, f, FALSE);
		}
		for (guint k = 0; k < n_real; k++)
			if (wk->si_log[k][0] == sig)
				xc_siginfo_append(ks, xc, wk->si_log[k], TRUE);
		if (!ks->len)
			g_string_append(ks, "no handler ran");
		const char *name = sim_scn_signal_name(sig);
		g_autofree char *what =
			g_strdup_printf("siginfo of %s's %s handlers", t->name, name ? name : "?");
		xc->step++;
		SimTask pseudo = { .name = "(end)" };
		xc_row(xc, &pseudo, what, 0, ms->str, ks->str, strcmp(ms->str, ks->str) == 0);
	}
}

void xc_siginfo_final(Xc *xc)
{
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		const SimTask *t = &xc->w->tasks[i];
		/* More records than either side keeps: the lists cannot be lined up. */
		if (!t->sigb || !t->sigb->n_ran || t->sigb->n_ran > G_N_ELEMENTS(t->sigb->ran) ||
		    xc->x[i].wk.n_si > SIM_REAL_SI_LOG)
			continue;
		/* A free run that ends with the worker still asleep in a call (a deadlock):
		 * the siginfo its handlers took there comes with that call's answer, never. */
		const XTask *x = &xc->x[i];
		if (xc->free && x->sent && !x->answered && !x->died)
			continue;
		task_rows(xc, i);
	}
}

/* xcheck_report.c — the cross-check's report: the table, the first mismatch, the verdict.
 *
 * Every comparison goes through xc_row, which counts it, adds its row (every row with
 * SimXcheckOptions.rows, else the mismatches only) and, for the first mismatch, keeps the
 * model's trace up to it. The design choice to know: the coordinator writes the whole text
 * in its own process and sends it to the caller as bytes; the caller only writes the short
 * reports of runs that never got that far (refused before any real process, the
 * coordinator lost, a stop signal after it reported), so every report is built here.
 */
#include "real/xcheck_int.h"

#include <string.h>
#include <sys/wait.h>

#include "msgsim/output/trace.h"

#define CONTEXT_BEFORE 10 /* trace lines shown before the first mismatch */

/* ---- Verdicts ---- */

const char *sim_xcheck_verdict_name(SimXcheckVerdict v)
{
	switch (v) {
	case SIM_XCHECK_MATCH:
		return "match";
	case SIM_XCHECK_MISMATCH:
		return "MISMATCH";
	case SIM_XCHECK_NOT_CHECKABLE:
		return "not cross-checkable";
	case SIM_XCHECK_FAILED:
		return "FAILED";
	case SIM_XCHECK_INTERRUPTED:
		return "interrupted";
	case SIM_XCHECK_STOPPED:
		return "stopped";
	case SIM_XCHECK_EXPECT_FAILED:
		return "EXPECTATION FAILED";
	}
	return "?";
}

void sim_xcheck_report_clear(SimXcheckReport *r)
{
	if (!r)
		return;
	g_free(r->text);
	g_free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* ---- Rows: the table and the first mismatch ---- */

static char *trace_tail(Xc *xc)
{
	if (!xc->tfp)
		return g_strdup("");
	sim_trace_flush(xc->trace);
	fflush(xc->tfp);
	const char *end = xc->tbuf + xc->tlen;
	const char *p = end;
	int lines = 0;
	while (p > xc->tbuf && lines <= CONTEXT_BEFORE) {
		p--;
		if (*p == '\n' && p + 1 < end)
			lines++;
	}
	if (p > xc->tbuf)
		p++;
	GString *s = g_string_new(NULL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (!g_str_has_prefix(p, "#"))
			g_string_append_printf(s, "    | %.*s\n", (int)(stop - p), p);
		p = nl ? nl + 1 : end;
	}
	return g_string_free(s, FALSE);
}

/* The real call a worker made for op, as the report names it: the C library's function
 * (mq_send, or mq_timedsend when the call has a deadline; openat from the sandbox's
 * directory), not the scenario's word. */
const char *xc_real_call_name(SimRealOp op, gboolean timed)
{
	switch (op) {
	case SIM_REAL_MQ_SEND:
		return timed ? "mq_timedsend" : "mq_send";
	case SIM_REAL_MQ_RECEIVE:
		return timed ? "mq_timedreceive" : "mq_receive";
	case SIM_REAL_MKFIFO:
		return "mkfifoat";
	case SIM_REAL_OPEN:
		return "openat";
	case SIM_REAL_UNLINK:
		return "unlinkat";
	default:
		return sim_real_op_name(op);
	}
}

const char *xc_row_call(const XTask *x, const SimStmt *st)
{
	return x->sent ? xc_real_call_name(x->op, x->timed) : stmt_word(st);
}

/* text as one cell of a Markdown table, appended to s: a cell ends at '|' and a line, and
 * backslashes, backticks and '<' change what follows, so each is escaped; a byte that does
 * not print (a control byte, a byte that is not UTF-8) is written \xNN. */
void xc_md_cell(GString *s, const char *text)
{
	const char *p = text;
	while (*p) {
		guchar c = (guchar)*p;
		if (c == '|' || c == '`' || c == '\\' || c == '<') {
			g_string_append_c(s, '\\');
			g_string_append_c(s, (char)c);
			p++;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			g_string_append(s, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			g_string_append_printf(s, "\\x%02x", c);
			p++;
		} else if (c < 0x80) {
			g_string_append_c(s, (char)c);
			p++;
		} else {
			const char *end = NULL;
			gssize n = (gssize)strnlen(p, 4);
			gunichar u = g_utf8_get_char_validated(p, n);
			if (u == (gunichar)-1 || u == (gunichar)-2 || !g_unichar_isprint(u)) {
				g_string_append_printf(s, "\\x%02x", c);
				p++;
				continue;
			}
			end = p + g_utf8_skip[c];
			g_string_append_len(s, p, end - p);
			p = end;
		}
	}
}

/* One comparison: a row in the table, and the first mismatch with the trace before it. */
void xc_row(Xc *xc, const SimTask *t, const char *call, guint line, const char *model,
	    const char *kernel, gboolean match)
{
	xc->checks++;
	if (xc->opt->inject && xc->checks == xc->opt->inject)
		match = FALSE; /* tests: the model's answer is taken to be wrong here */
	if (!match)
		xc->mismatches++;
	g_autofree char *where =
		line ? g_strdup_printf("%s (line %u)", call, line) : g_strdup(call);
	if (xc->opt->rows || !match) {
		g_string_append_printf(xc->rows, "| %u | %s | ", xc->step, t->name);
		xc_md_cell(xc->rows, where);
		g_string_append(xc->rows, " | ");
		xc_md_cell(xc->rows, model);
		g_string_append(xc->rows, " | ");
		xc_md_cell(xc->rows, kernel);
		g_string_append_printf(xc->rows, " | %s |\n", match ? "yes" : "**NO**");
	}
	if (!match && xc->mismatches == 1) {
		g_autofree char *tail = trace_tail(xc);
		g_string_printf(xc->first,
				"First mismatch at step %u: %s, %s\n"
				"  model:  %s\n  kernel: %s\n  model trace up to it:\n%s",
				xc->step, t->name, where, model, kernel, tail);
	}
}

/* Which schedule the run followed: run's, or run's up to where the kernel could not
 * follow it (xcheck_plan.c), and how many woken calls it held back. */
static void schedule_text(const Xc *xc, SimXcheckReport *rep, GString *s)
{
	if (!xc->w || !xc->order)
		return;
	rep->schedule = xc->strayed    ? SIM_XCHECK_SCHED_OTHER
			: xc->witness  ? SIM_XCHECK_SCHED_WITNESS
			: xc->switched ? SIM_XCHECK_SCHED_RUN_THEN_WOKEN
				       : SIM_XCHECK_SCHED_RUN;
	rep->held = xc->held_calls;
	const char *policy = sim_sched_policy_name(xc->scn->policy);
	if (rep->schedule == SIM_XCHECK_SCHED_RUN)
		g_string_append_printf(s,
				       "-- schedule: run's (scheduler %s, seed %" G_GUINT64_FORMAT
				       "): the calls in the order `msgsim run` shows them",
				       policy, sim_world_seed(xc->w));
	else if (rep->schedule == SIM_XCHECK_SCHED_WITNESS)
		g_string_append_printf(s,
				       "-- schedule: the witness %s, step by step (`msgsim run "
				       "--schedule` shows it)",
				       xc->opt->schedule);
	else if (rep->schedule == SIM_XCHECK_SCHED_RUN_THEN_WOKEN)
		g_string_append_printf(s,
				       "-- schedule: run's (scheduler %s, seed %" G_GUINT64_FORMAT
				       ") up to action %u, then woken first (a woken task "
				       "finishes its call before anyone makes another), "
				       "because the kernel cannot follow it there: %s",
				       policy, sim_world_seed(xc->w), xc->switched, xc->plan.why);
	else
		g_string_append(s, "-- schedule: the model's events left run's order (a bug in "
				   "the plan): the rows follow the model as it ran");
	if (xc->held_calls)
		g_string_append_printf(s,
				       "; %u woken call%s held back (%s) until the "
				       "model ran %s",
				       xc->held_calls, xc->held_calls == 1 ? "" : "s",
				       xc->stops ? "ptrace, as the scenario stops processes itself"
						 : "SIGSTOP",
				       xc->held_calls == 1 ? "it" : "them");
	g_string_append_c(s, '\n');
}

static void report_text(Xc *xc, SimXcheckReport *rep)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "# msgsim crosscheck %s\n", xc->file);
	if (xc->shared_note && rep->verdict != SIM_XCHECK_NOT_CHECKABLE)
		g_string_append(s, xc->shared_note);
	if (rep->verdict == SIM_XCHECK_NOT_CHECKABLE) {
		g_string_append_printf(s, "-- %s: not cross-checkable: %s\n", xc->file,
				       rep->reason);
		rep->text = g_string_free(s, FALSE);
		return;
	}
	if (xc->rows->len) {
		g_string_append(s, "| step | process | call | model | kernel | match |\n"
				   "|---|---|---|---|---|---|\n");
		g_string_append(s, xc->rows->str);
	}
	if (xc->first->len)
		g_string_append_printf(s, "\n%s", xc->first->str);
	schedule_text(xc, rep, s);
	if (xc->left_calls) {
		g_string_append_printf(s,
				       "-- left out: %u call%s the kernel cannot replay here, run "
				       "in the model only:",
				       xc->left_calls, xc->left_calls == 1 ? "" : "s");
		for (guint i = 0; i < xc->left_why->len; i++)
			g_string_append_printf(s, "%s %s", i ? ";" : "",
					       (const char *)g_ptr_array_index(xc->left_why, i));
		g_string_append_c(s, '\n');
	}
	if (rep->verdict != SIM_XCHECK_FAILED && rep->verdict != SIM_XCHECK_INTERRUPTED)
		g_string_append(s, xc->expect->str);
	if (rep->verdict == SIM_XCHECK_FAILED)
		g_string_append_printf(s, "\nthe run failed: %s\n", rep->reason);
	if (rep->verdict == SIM_XCHECK_INTERRUPTED)
		g_string_append_printf(s,
				       "\nthe run was %s; what it made is removed (queues, "
				       "processes, its directory)\n",
				       rep->reason);
	g_string_append_printf(s, "-- %s: %u calls replayed, %u comparisons, %u mismatch%s: %s\n",
			       xc->file, rep->calls, rep->checks, rep->mismatches,
			       rep->mismatches == 1 ? "" : "es",
			       sim_xcheck_verdict_name(rep->verdict));
	rep->text = g_string_free(s, FALSE);
}

void xc_report_finish(Xc *xc, SimXcheckReport *rep)
{
	rep->signo = sim_real_stop_signal();
	if (rep->signo != 0) {
		rep->verdict = SIM_XCHECK_INTERRUPTED;
		rep->reason = g_strdup_printf("stopped by %s", sim_scn_signal_name(rep->signo));
	} else if (xc->unsupported) {
		rep->verdict = SIM_XCHECK_NOT_CHECKABLE;
		rep->reason = g_strdup(xc->unsupported);
	} else if (xc->failed) {
		rep->verdict = SIM_XCHECK_FAILED;
		rep->reason = g_strdup(xc->failed);
	} else if (xc->mismatches) {
		rep->verdict = SIM_XCHECK_MISMATCH;
	} else if (xc->calls == 0 && xc->left_calls > 0) {
		/* Nothing the kernel could be asked ran: nothing was checked. */
		rep->verdict = SIM_XCHECK_NOT_CHECKABLE;
		GString *why = g_string_new("nothing ran that the kernel can replay:");
		for (guint i = 0; i < xc->left_why->len; i++)
			g_string_append_printf(why, "%s %s", i ? ";" : "",
					       (const char *)g_ptr_array_index(xc->left_why, i));
		rep->reason = g_string_free(why, FALSE);
	} else {
		rep->verdict = xc->expect_failed_model || xc->expect_failed_kernel
				       ? SIM_XCHECK_EXPECT_FAILED
				       : SIM_XCHECK_MATCH;
	}
	rep->left_out = xc->left_calls;
	rep->expect_failed_model = xc->expect_failed_model;
	rep->expect_failed_kernel = xc->expect_failed_kernel;
	report_text(xc, rep);
}

/* ---- The caller's reports, of runs with no coordinator's report ---- */

void xc_report_refused(SimXcheckReport *rep, const char *file, SimXcheckVerdict v, char *reason)
{
	rep->verdict = v;
	rep->reason = reason;
	if (v == SIM_XCHECK_NOT_CHECKABLE)
		rep->text =
			g_strdup_printf("# msgsim crosscheck %s\n-- %s: not cross-checkable: %s\n",
					file, file, reason);
	else
		rep->text = g_strdup_printf("# msgsim crosscheck %s\n-- %s: stopped in the model, "
					    "before any real process started: %s\n",
					    file, file, reason);
}

void xc_report_lost(SimXcheckReport *rep, const char *file, gboolean timed_out, int ms,
		    int status, const char *slow)
{
	sim_xcheck_report_clear(rep);
	rep->verdict = SIM_XCHECK_FAILED;
	if (timed_out && slow)
		rep->reason = g_strdup_printf("the cross-check did not finish within %d ms "
					      "(its limit per scenario): killed; %s, beyond "
					      "that limit",
					      ms, slow);
	else if (timed_out)
		rep->reason = g_strdup_printf("the cross-check did not finish within %d ms "
					      "(its limit per scenario): killed",
					      ms);
	else if (WIFSIGNALED(status) && sim_scn_signal_name(WTERMSIG(status)))
		rep->reason = g_strdup_printf("the cross-check coordinator died of %s before "
					      "it reported",
					      sim_scn_signal_name(WTERMSIG(status)));
	else if (WIFSIGNALED(status))
		rep->reason = g_strdup_printf("the cross-check coordinator died of signal %d "
					      "before it reported",
					      WTERMSIG(status));
	else
		rep->reason = g_strdup_printf("the cross-check coordinator exited with status %d "
					      "before it reported",
					      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	rep->text = g_strdup_printf("# msgsim crosscheck %s\n-- %s: FAILED: %s\n", file, file,
				    rep->reason);
}

void xc_report_interrupted(SimXcheckReport *rep, const char *file, int signo)
{
	g_autofree char *stop_why = g_strdup_printf("stopped by %s", sim_scn_signal_name(signo));
	g_autofree char *text =
		g_strdup_printf("%s\nthe run was %s; what it made is removed\n-- %s: interrupted\n",
				rep->text, stop_why, file);
	g_free(rep->text);
	g_free(rep->reason);
	rep->text = g_steal_pointer(&text);
	rep->reason = g_steal_pointer(&stop_why);
	rep->verdict = SIM_XCHECK_INTERRUPTED;
	rep->signo = signo;
}

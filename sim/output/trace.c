/* trace.c — the only place trace events become text: a table for people, JSON Lines for programs.
 *
 * The design choice to know: both formats are written from the same SimTraceEvent by
 * two small per-kind switch statements, so adding an event kind means adding one case to
 * each, and the formats cannot drift apart on which facts they show. A call's own part
 * (what it asked, what came of it, its JSON fields) is not here: the event framing asks the
 * statement's row in the call table (call.h), whose family file writes it with the pieces
 * exported below, so adding a call touches its family and not this file.
 *
 * Text layout: one event per line, `TIME  TASK  WHAT`, time right-aligned in the
 * largest unit that divides it exactly ("1500us", "3ms"); report lines start with "--".
 */
#include "msgsim/output/trace.h"

#include "msgsim/calls/call.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"

#include <inttypes.h>
#include <string.h>

typedef struct Sink {
	SimTraceFormat fmt;
	FILE *out;
	gboolean own;
	gboolean report_only;
	guint64 max_lines; /* event lines it writes at most (0: all); the report always */
	guint64 lines;	   /* event lines written */
	guint64 left_out;  /* event lines not written, past max_lines */
	gboolean noted;	   /* the line that says so is written */
} Sink;

struct SimTrace {
	GArray *sinks; /* Sink */
	GString *line; /* reused for every line */
};

SimTrace *sim_trace_new(void)
{
	SimTrace *tr = g_new0(SimTrace, 1);
	tr->sinks = g_array_new(FALSE, FALSE, sizeof(Sink));
	tr->line = g_string_new(NULL);
	return tr;
}

void sim_trace_free(SimTrace *tr)
{
	if (!tr)
		return;
	for (guint i = 0; i < tr->sinks->len; i++) {
		Sink *s = &g_array_index(tr->sinks, Sink, i);
		if (s->own)
			fclose(s->out);
		else
			fflush(s->out);
	}
	g_array_unref(tr->sinks);
	g_string_free(tr->line, TRUE);
	g_free(tr);
}

void sim_trace_add_sink(SimTrace *tr, SimTraceFormat fmt, FILE *out, gboolean own,
			gboolean report_only)
{
	Sink s = { fmt, out, own, report_only, 0, 0, 0, FALSE };
	g_array_append_val(tr->sinks, s);
}

void sim_trace_limit_lines(SimTrace *tr, guint64 max_lines)
{
	for (guint i = 0; i < tr->sinks->len; i++)
		g_array_index(tr->sinks, Sink, i).max_lines = max_lines;
}

void sim_trace_flush(SimTrace *tr)
{
	for (guint i = 0; i < tr->sinks->len; i++)
		fflush(g_array_index(tr->sinks, Sink, i).out);
}

void sim_trace_count(GString *s, guint64 n)
{
	char digits[32];
	int len = g_snprintf(digits, sizeof(digits), "%" G_GUINT64_FORMAT, n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			g_string_append_c(s, ',');
		g_string_append_c(s, digits[i]);
	}
}

const char *sim_trace_time(SimTime t, char *buf, gsize size)
{
	static const struct {
		SimTime unit;
		const char *name;
		int digits; /* decimal digits below the unit */
	} units[] = { { SIM_S, "s", 9 }, { SIM_MS, "ms", 6 }, { SIM_US, "us", 3 } };
	if (t == 0) {
		g_snprintf(buf, size, "0");
		return buf;
	}
	/* The largest unit not above t, with exact decimals and no trailing zeros. */
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (t < units[i].unit)
			continue;
		char frac[16];
		int digits = units[i].digits;
		gint64 rest = t % units[i].unit;
		while (digits > 0 && rest % 10 == 0 && rest != 0) {
			rest /= 10;
			digits--;
		}
		if (rest == 0)
			frac[0] = '\0';
		else
			g_snprintf(frac, sizeof(frac), ".%0*" G_GINT64_FORMAT, digits, rest);
		g_snprintf(buf, size, "%" G_GINT64_FORMAT "%s%s", t / units[i].unit, frac,
			   units[i].name);
		return buf;
	}
	g_snprintf(buf, size, "%" G_GINT64_FORMAT "ns", t);
	return buf;
}

static gboolean is_report(SimTraceKind k)
{
	switch (k) {
	case SIM_TR_HEADER:
	case SIM_TR_DEADLOCK:
	case SIM_TR_LIMIT:
	case SIM_TR_EXPECT:
	case SIM_TR_TASK_SUMMARY:
	case SIM_TR_OBJ_SUMMARY:
	case SIM_TR_END:
		return TRUE;
	default:
		return FALSE;
	}
}

/* ---- Text ---- */

void sim_trace_received(GString *s, const SimTraceEvent *ev)
{
	const SimMsg *m = ev->msg;
	sim_trace_quote(s, m->text, m->len);
	g_string_append_printf(s, " from %s (#%" G_GUINT64_FORMAT ")", ev->msg_from, m->seq);
}

void sim_trace_quote(GString *s, const char *text, gsize len)
{
	g_string_append_c(s, '"');
	for (gsize i = 0; i < len; i++) {
		char c = text[i];
		if (c == '"' || c == '\\')
			g_string_append_c(s, '\\');
		if (c == '\n')
			g_string_append(s, "\\n");
		else
			g_string_append_c(s, c);
	}
	g_string_append_c(s, '"');
}

#define SHOWN 40 /* bytes of pipe data shown in a line; the count says the rest */

/* Pipe data: quoted, cut after SHOWN bytes ("xxxx"...). */
void sim_trace_quote_cut(GString *s, const char *text, gsize len)
{
	sim_trace_quote(s, text, MIN(len, SHOWN));
	if (len > SHOWN)
		g_string_append(s, "...");
}

static void names_list(GString *s, const SimTraceEvent *ev)
{
	if (ev->n_names == 0) {
		g_string_append(s, "-");
		return;
	}
	for (guint i = 0; i < ev->n_names; i++) {
		if (i)
			g_string_append_c(s, ' ');
		g_string_append(s, ev->names[i]);
	}
}

void sim_trace_result(GString *s, int err)
{
	if (err)
		g_string_append_printf(s, "%s (%s)", sim_errno_name(err), sim_errno_text(err));
	else
		g_string_append(s, "ok");
}

/* "[/q: 3 msgs, 21 bytes]": a POSIX queue's state after the call. */
void sim_trace_mq_state(GString *s, const SimTraceEvent *ev)
{
	const SimMqueue *q = ev->mq;
	if (!q)
		return;
	g_string_append_printf(
		s, " [%s: %" G_GUINT64_FORMAT " msg%s, %" G_GUINT64_FORMAT " bytes%s]", q->name,
		q->curmsgs, q->curmsgs == 1 ? "" : "s", q->qsize, q->unlinked ? ", unlinked" : "");
}

/* "[q: 10 msgs, 5120 bytes]": a SysV queue's state after the call. */
void sim_trace_msgq_state(GString *s, const SimTraceEvent *ev)
{
	const SimMsgq *q = ev->msgq;
	if (!q || !ev->object)
		return;
	if (q->removed) {
		g_string_append_printf(s, " [%s: removed]", ev->object);
		return;
	}
	g_string_append_printf(s, " [%s: %" G_GUINT64_FORMAT " msg%s, %" G_GUINT64_FORMAT " bytes]",
			       ev->object, q->qnum, q->qnum == 1 ? "" : "s", q->cbytes);
}

/* "[pipe#1: 5 bytes in 1/16 slots, 1 reader, 1 writer]": a pipe's state after the call. */
void sim_trace_pipe_state(GString *s, const SimTraceEvent *ev)
{
	const SimPipe *p = ev->pipe;
	if (!p)
		return;
	g_string_append_printf(
		s, " [%s: %" G_GUINT64_FORMAT " byte%s in %u/%u slots, %u reader%s, %u writer%s]",
		p->name, p->bytes, p->bytes == 1 ? "" : "s", sim_pipe_used(p), p->max_usage,
		p->readers, p->readers == 1 ? "" : "s", p->writers, p->writers == 1 ? "" : "s");
}

void sim_trace_blocks(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, " -> blocks: %s", ev->reason);
}

void sim_trace_blocked(GString *s, const SimTraceEvent *ev)
{
	sim_trace_blocks(s, ev);
	sim_trace_msgq_state(s, ev);
	sim_trace_mq_state(s, ev);
	sim_trace_pipe_state(s, ev);
}

/* A call or its return: the row of its statement writes what it asked and what came of it.
 * A row with no result hook shows nothing on return and the generic line when blocked. */
static void call_body(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimCallDesc *d = sim_call_desc(ev->stmt->kind);
	if (d->text_call)
		d->text_call(s, ev);
	else
		g_string_append(s, "?");
	if (d->text_result)
		d->text_result(s, ev, arrow);
	else if (ev->blocked)
		sim_trace_blocked(s, ev);
}

/* The report's lines start with "--" and have no time column: each replaces what
 * format_text put before it. */
static void report_line(GString *s, const SimTraceEvent *ev)
{
	char buf[32], buf2[32];
	g_string_truncate(s, 0);
	switch (ev->kind) {
	case SIM_TR_DEADLOCK:
		g_string_append_printf(s, "-- deadlock: %s stuck in %s", ev->task, ev->op);
		if (ev->object)
			g_string_append_printf(s, " %s", ev->object);
		g_string_append_printf(s, " (line %u): %s; waits for: ", ev->line, ev->reason);
		if (ev->n_names)
			names_list(s, ev);
		else
			g_string_append(s, "nobody (no live process can release it)");
		return;
	case SIM_TR_LIMIT:
		g_string_append_printf(s, "-- stopped: %s", ev->text);
		return;
	case SIM_TR_EXPECT:
		g_string_append_printf(s, "-- expect (line %u) %s: %s", ev->line,
				       ev->pass ? "PASS" : "FAIL", ev->text);
		if (!ev->pass)
			g_string_append_printf(s, "; seen: %s", ev->detail);
		return;
	case SIM_TR_TASK_SUMMARY:
		g_string_append_printf(
			s,
			"-- task %-10s %-8s cpu %s, blocked %s, sent %" G_GINT64_FORMAT
			", received %" G_GINT64_FORMAT,
			ev->task, ev->reason, sim_trace_time(ev->counts[0], buf, sizeof(buf)),
			sim_trace_time(ev->counts[1], buf2, sizeof(buf2)), ev->counts[2],
			ev->counts[3]);
		return;
	case SIM_TR_OBJ_SUMMARY:
		if (ev->counts[3] < 0) { /* a SysV queue: bytes queued, not delivered */
			g_string_append_printf(s,
					       "-- %-7s %-10s sent %" G_GINT64_FORMAT
					       ", received %" G_GINT64_FORMAT
					       ", queued %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
					       " bytes)%s",
					       ev->op, ev->object, ev->counts[0], ev->counts[1],
					       ev->counts[2], ev->counts[4],
					       !ev->counts[5]		       ? ""
					       : strcmp(ev->op, "mqueue") == 0 ? ", unlinked"
									       : ", removed");
			return;
		}
		g_string_append_printf(
			s,
			"-- %-7s %-10s sent %" G_GINT64_FORMAT ", received %" G_GINT64_FORMAT
			", queued %" G_GINT64_FORMAT ", max queued %" G_GINT64_FORMAT
			", bytes %" G_GINT64_FORMAT "%s",
			ev->op, ev->object, ev->counts[0], ev->counts[1], ev->counts[2],
			ev->counts[3], ev->counts[4], ev->counts[5] ? ", destroyed" : "");
		return;
	case SIM_TR_END:
		g_string_append_printf(s,
				       "-- result: %s at %s; %" G_GINT64_FORMAT
				       " expectation(s) passed, %" G_GINT64_FORMAT
				       " failed; %" G_GINT64_FORMAT " steps, %" G_GINT64_FORMAT
				       " context switches; exit status %" G_GINT64_FORMAT,
				       ev->text, sim_trace_time(ev->time, buf, sizeof(buf)),
				       ev->counts[0], ev->counts[1], ev->counts[2], ev->counts[3],
				       ev->value);
		return;
	default:
		g_assert_not_reached();
	}
}

static void text_body(GString *s, const SimTraceEvent *ev)
{
	char buf[32];
	switch (ev->kind) {
	case SIM_TR_HEADER:
		g_string_append_printf(
			s, "# msgsim run %s (scheduler %s, seed %" G_GINT64_FORMAT ")\n", ev->text,
			ev->op, ev->value);
		g_string_append_printf(s, "%10s  %-10s  %s", "time", "task", "event");
		return;
	case SIM_TR_START:
		g_string_append(s, "starts");
		break;
	case SIM_TR_DISPATCH:
		g_string_append(s, "runs");
		if (ev->other && ev->value)
			g_string_append_printf(s, " (switch from %s, %s)", ev->other,
					       sim_trace_time(ev->value, buf, sizeof(buf)));
		else if (ev->other)
			g_string_append_printf(s, " (switch from %s)", ev->other);
		g_string_append(s, "; ready: ");
		names_list(s, ev);
		break;
	case SIM_TR_PREEMPT:
		g_string_append_printf(s, "preempted: %s", ev->reason);
		break;
	case SIM_TR_CALL:
		call_body(s, ev, " -> ");
		break;
	case SIM_TR_RETURN:
		call_body(s, ev, " returns ");
		break;
	case SIM_TR_BLOCK:
		g_string_append_printf(s, "blocked on %s: %s", ev->object, ev->reason);
		break;
	case SIM_TR_WAKE:
		if (ev->other && ev->object)
			g_string_append_printf(s, "woken by %s via %s", ev->other, ev->object);
		else if (ev->other)
			g_string_append_printf(s, "woken by %s", ev->other);
		else if (ev->reason && strcmp(ev->reason, "ETIMEDOUT") == 0)
			g_string_append(s, "woken: its deadline passed");
		else
			g_string_append(s, "woken by its timer");
		if (ev->reason && ev->other)
			g_string_append_printf(s, ": %s", ev->reason);
		break;
	case SIM_TR_DELIVER:
		g_string_append_printf(s, "delivers #%" G_GUINT64_FORMAT " ", ev->msg->seq);
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		g_string_append_printf(
			s, " type=%" G_GINT64_FORMAT " prio=%" G_GINT64_FORMAT " to %s via %s",
			ev->msg->type, ev->msg->prio, ev->other,
			ev->object ? ev->object : "direct link");
		break;
	case SIM_TR_PRINT:
		g_string_append(s, "print ");
		sim_trace_quote(s, ev->text, strlen(ev->text));
		break;
	case SIM_TR_EXIT:
		g_string_append_printf(s, "exits with status %" G_GINT64_FORMAT, ev->value);
		break;
	case SIM_TR_DESTROY:
		g_string_append_printf(s,
				       "%s destroyed with its owner; %" G_GINT64_FORMAT
				       " waiter(s) fail with EIDRM",
				       ev->object, ev->value);
		break;
	case SIM_TR_SIGNAL:
		if (ev->other)
			g_string_append_printf(s, "%s from %s: %s", ev->text, ev->other,
					       ev->reason);
		else
			g_string_append_printf(s, "%s: %s", ev->text, ev->reason);
		break;
	case SIM_TR_RACE:
		g_string_append_printf(s, "wake-up scan on %s woke ", ev->object);
		names_list(s, ev);
		g_string_append(s, ": they race, and the one the scheduler runs first sends");
		break;
	case SIM_TR_IPCS:
		g_string_append(s, "ipcs\n");
		g_string_append(s, ev->text);
		if (s->len && s->str[s->len - 1] == '\n')
			g_string_truncate(s, s->len - 1);
		break;
	case SIM_TR_DEADLOCK:
	case SIM_TR_LIMIT:
	case SIM_TR_EXPECT:
	case SIM_TR_TASK_SUMMARY:
	case SIM_TR_OBJ_SUMMARY:
	case SIM_TR_END:
		report_line(s, ev);
		return;
	}
}

/* The text table leaves out what another line already says: a block is shown on the call
 * that blocked, a delivery on the receive that took the message. JSON Lines has both. */
static gboolean shown_in_text(SimTraceKind k)
{
	return k != SIM_TR_BLOCK && k != SIM_TR_DELIVER;
}

static void format_text(GString *s, const SimTraceEvent *ev)
{
	char buf[32];
	g_string_truncate(s, 0);
	if (!shown_in_text(ev->kind))
		return;
	if (ev->kind != SIM_TR_HEADER)
		g_string_append_printf(s, "%10s  %-10s  ",
				       sim_trace_time(ev->time, buf, sizeof(buf)),
				       ev->task ? ev->task : "");
	text_body(s, ev);
	g_string_append_c(s, '\n');
}

/* ---- JSON Lines ---- */

void sim_trace_json_str(GString *s, const char *key, const char *v, gssize len)
{
	if (!v)
		return;
	g_string_append_printf(s, ",\"%s\":\"", key);
	gsize n = len < 0 ? strlen(v) : (gsize)len;
	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\')
			g_string_append_printf(s, "\\%c", c);
		else if (c < 0x20)
			g_string_append_printf(s, "\\u%04x", c);
		else
			g_string_append_c(s, (char)c);
	}
	g_string_append_c(s, '"');
}

void sim_trace_json_int(GString *s, const char *key, gint64 v)
{
	g_string_append_printf(s, ",\"%s\":%" G_GINT64_FORMAT, key, v);
}

static const char *kind_name(SimTraceKind k)
{
	static const char *const names[] = {
		[SIM_TR_HEADER] = "header",
		[SIM_TR_START] = "start",
		[SIM_TR_DISPATCH] = "dispatch",
		[SIM_TR_PREEMPT] = "preempt",
		[SIM_TR_CALL] = "call",
		[SIM_TR_RETURN] = "return",
		[SIM_TR_BLOCK] = "block",
		[SIM_TR_WAKE] = "wake",
		[SIM_TR_DELIVER] = "deliver",
		[SIM_TR_PRINT] = "print",
		[SIM_TR_EXIT] = "exit",
		[SIM_TR_DESTROY] = "destroy",
		[SIM_TR_SIGNAL] = "signal",
		[SIM_TR_RACE] = "race",
		[SIM_TR_IPCS] = "ipcs",
		[SIM_TR_DEADLOCK] = "deadlock",
		[SIM_TR_LIMIT] = "limit",
		[SIM_TR_EXPECT] = "expect",
		[SIM_TR_TASK_SUMMARY] = "task_summary",
		[SIM_TR_OBJ_SUMMARY] = "object_summary",
		[SIM_TR_END] = "end",
	};
	return names[k];
}

const char *sim_trace_stmt_name(const SimStmt *st)
{
	return sim_call_desc(st->kind)->name;
}

static void format_jsonl(GString *s, const SimTraceEvent *ev)
{
	g_string_truncate(s, 0);
	g_string_append_printf(s, "{\"t\":%" G_GINT64_FORMAT, ev->time);
	sim_trace_json_str(s, "ev", kind_name(ev->kind), -1);
	sim_trace_json_str(s, "task", ev->task, -1);
	sim_trace_json_str(s, "other", ev->other, -1);
	sim_trace_json_str(s, "object", ev->object, -1);
	const SimCallDesc *call = ev->stmt ? sim_call_desc(ev->stmt->kind) : NULL;
	if (call) {
		sim_trace_json_str(s, "op", call->name, -1);
		if (call->json_call)
			call->json_call(s, ev);
		if (call->nowait && call->nowait(ev->stmt))
			g_string_append(s, ",\"nowait\":true");
	} else {
		sim_trace_json_str(s, "op", ev->op, -1);
	}
	if (ev->msgq) {
		sim_trace_json_int(s, "qid", ev->msgq->perm.id);
		sim_trace_json_int(s, "qnum", (gint64)ev->msgq->qnum);
		sim_trace_json_int(s, "cbytes", (gint64)ev->msgq->cbytes);
	}
	if (ev->mq) {
		sim_trace_json_str(s, "mq", ev->mq->name, -1);
		sim_trace_json_int(s, "curmsgs", (gint64)ev->mq->curmsgs);
		sim_trace_json_int(s, "qsize", (gint64)ev->mq->qsize);
	}
	if (ev->pipe) {
		sim_trace_json_str(s, "pipe", ev->pipe->name, -1);
		sim_trace_json_int(s, "bytes", (gint64)ev->pipe->bytes);
		sim_trace_json_int(s, "slots", sim_pipe_used(ev->pipe));
		sim_trace_json_int(s, "max_slots", ev->pipe->max_usage);
		sim_trace_json_int(s, "readers", ev->pipe->readers);
		sim_trace_json_int(s, "writers", ev->pipe->writers);
	}
	if (call && call->json_result)
		call->json_result(s, ev);
	if (ev->lspid || ev->lrpid) {
		sim_trace_json_str(s, "lspid", ev->lspid ? ev->lspid : "", -1);
		sim_trace_json_str(s, "lrpid", ev->lrpid ? ev->lrpid : "", -1);
	}
	if (ev->kind == SIM_TR_CALL || ev->kind == SIM_TR_RETURN) {
		if (ev->blocked)
			g_string_append(s, ",\"blocked\":true");
		else
			sim_trace_json_str(s, "result", sim_errno_name(ev->err), -1);
	}
	if (ev->msg) {
		sim_trace_json_str(s, "text", ev->msg->text, (gssize)ev->msg->len);
		sim_trace_json_int(s, "type", ev->msg->type);
		sim_trace_json_int(s, "prio", ev->msg->prio);
		sim_trace_json_int(s, "seq", (gint64)ev->msg->seq);
		sim_trace_json_str(s, "from", ev->msg_from, -1);
	}
	sim_trace_json_str(s, "reason", ev->reason, -1);
	if (ev->kind != SIM_TR_CALL && ev->kind != SIM_TR_RETURN)
		sim_trace_json_str(s, "text", ev->text, -1);
	sim_trace_json_str(s, "seen", ev->detail, -1);
	if (ev->line)
		sim_trace_json_int(s, "line", ev->line);
	switch (ev->kind) {
	case SIM_TR_EXPECT:
		g_string_append_printf(s, ",\"pass\":%s", ev->pass ? "true" : "false");
		break;
	case SIM_TR_HEADER:
		sim_trace_json_int(s, "seed", ev->value);
		break;
	case SIM_TR_DISPATCH:
		sim_trace_json_int(s, "switch_cost", ev->value);
		break;
	case SIM_TR_EXIT:
	case SIM_TR_END:
		sim_trace_json_int(s, "status", ev->value);
		break;
	case SIM_TR_DESTROY:
		sim_trace_json_int(s, "waiters_failed", ev->value);
		break;
	case SIM_TR_LIMIT:
		sim_trace_json_int(s, "limit", ev->value);
		break;
	case SIM_TR_TASK_SUMMARY:
		sim_trace_json_int(s, "cpu", ev->counts[0]);
		sim_trace_json_int(s, "blocked", ev->counts[1]);
		sim_trace_json_int(s, "sent", ev->counts[2]);
		sim_trace_json_int(s, "received", ev->counts[3]);
		break;
	case SIM_TR_OBJ_SUMMARY:
		sim_trace_json_int(s, "sent", ev->counts[0]);
		sim_trace_json_int(s, "received", ev->counts[1]);
		sim_trace_json_int(s, "qnum", ev->counts[2]);
		sim_trace_json_int(s, "max_qnum", ev->counts[3]);
		sim_trace_json_int(s, "bytes", ev->counts[4]);
		g_string_append_printf(s, ",\"destroyed\":%s", ev->counts[5] ? "true" : "false");
		break;
	default:
		break;
	}
	if (ev->kind == SIM_TR_END) {
		sim_trace_json_int(s, "passed", ev->counts[0]);
		sim_trace_json_int(s, "failed", ev->counts[1]);
		sim_trace_json_int(s, "steps", ev->counts[2]);
		sim_trace_json_int(s, "switches", ev->counts[3]);
	}
	if (ev->kind == SIM_TR_SIGNAL)
		sim_trace_json_int(s, "signo", ev->value);
	if (ev->names) {
		g_string_append_printf(s, ",\"%s\":[",
				       ev->kind == SIM_TR_DEADLOCK ? "waits_for"
				       : ev->kind == SIM_TR_RACE   ? "racers"
								   : "ready");
		for (guint i = 0; i < ev->n_names; i++)
			g_string_append_printf(s, "%s\"%s\"", i ? "," : "", ev->names[i]);
		g_string_append_c(s, ']');
	}
	g_string_append(s, "}\n");
}

/* The line in place of the event lines a sink left out (before the report). */
static void note_left_out(Sink *sk, const SimTraceEvent *ev)
{
	sk->noted = TRUE;
	if (sk->fmt == SIM_TRACE_JSONL) {
		fprintf(sk->out,
			"{\"t\":%" G_GINT64_FORMAT ",\"ev\":\"left_out\",\"lines\":%" G_GUINT64_FORMAT
			",\"max_lines\":%" G_GUINT64_FORMAT "}\n",
			ev->time, sk->left_out, sk->max_lines);
		return;
	}
	g_autoptr(GString) s = g_string_new("-- ");
	sim_trace_count(s, sk->left_out);
	g_string_append(s, " more trace lines left out after the first ");
	sim_trace_count(s, sk->max_lines);
	g_string_append(s, " (--max-lines); to see them all, write the trace to a file with "
			   "--output FILE, or use --max-lines 0\n");
	fputs(s->str, sk->out);
}

/* A sink with a line cap: FALSE when the event is left out (past the cap nothing is
 * formatted, so a runaway on a terminal costs no more than --quiet). */
static gboolean within_cap(Sink *sk, const SimTraceEvent *ev)
{
	if (is_report(ev->kind)) {
		if (sk->left_out && !sk->noted)
			note_left_out(sk, ev);
		return TRUE;
	}
	if (sk->lines < sk->max_lines)
		return TRUE;
	if (sk->fmt == SIM_TRACE_JSONL || shown_in_text(ev->kind))
		sk->left_out++;
	return FALSE;
}

/* Event lines a capped sink wrote: the line just formatted (an ipcs table has several). */
static void count_lines(Sink *sk, const SimTraceEvent *ev, const GString *line)
{
	if (is_report(ev->kind))
		return;
	for (const char *c = line->str; (c = strchr(c, '\n')); c++)
		sk->lines++;
}

gboolean sim_trace_wants(const SimTrace *tr, SimTraceKind kind)
{
	if (!tr)
		return FALSE;
	for (guint i = 0; i < tr->sinks->len; i++) {
		const Sink *sk = &g_array_index(tr->sinks, Sink, i);
		/* A capped sink still counts the lines it leaves out: it wants them too. */
		if (!sk->report_only || is_report(kind))
			return TRUE;
	}
	return FALSE;
}

void sim_trace_emit(SimTrace *tr, const SimTraceEvent *ev)
{
	if (!tr)
		return;
	for (guint i = 0; i < tr->sinks->len; i++) {
		Sink *sk = &g_array_index(tr->sinks, Sink, i);
		if (sk->report_only && !is_report(ev->kind))
			continue;
		if (G_UNLIKELY(sk->max_lines) && !within_cap(sk, ev))
			continue;
		if (sk->fmt == SIM_TRACE_TEXT)
			format_text(tr->line, ev);
		else
			format_jsonl(tr->line, ev);
		if (sk->report_only && ev->kind == SIM_TR_HEADER && sk->fmt == SIM_TRACE_TEXT) {
			/* A report has no event table, so no column titles. */
			const char *nl = strchr(tr->line->str, '\n');
			g_string_truncate(tr->line,
					  nl ? (gsize)(nl - tr->line->str) + 1 : tr->line->len);
		}
		fwrite(tr->line->str, 1, tr->line->len, sk->out);
		if (G_UNLIKELY(sk->max_lines))
			count_lines(sk, ev, tr->line);
	}
}

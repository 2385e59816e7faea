/* chrome.c — a run as Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open.
 *
 * The design choice to know: the simulated machine is one trace process and each simulated
 * process one of its threads (tid = its order of appearance + 1). On a thread, the state
 * spans (running, ready, blocked on what, sleeping, exited) are complete events ("X") at
 * the top, and each call is an "X" slice nested in the running span that holds it; a
 * message is a flow ("s" on the send's slice, "f" on the receive's), and each queue's or
 * pipe's level is a counter ("C"). Times are microseconds, the format's unit, written
 * exactly from the run's nanoseconds; one event per line, in a fixed order, so that the
 * same run gives the same bytes.
 */
#include "msgsim/output/pictures.h"

static void jstr(GString *s, const char *key, const char *v)
{
	g_string_append_printf(s, ",\"%s\":\"", key);
	sim_timeline_json_escape(s, v ? v : "");
	g_string_append_c(s, '"');
}

/* {"ph":PH,"pid":1,"tid":TID,"ts":TS,"name":NAME — the members every event has. */
static void head(GString *s, const char *ph, guint tid, SimTime ts, const char *name)
{
	g_string_append_printf(s, "{\"ph\":\"%s\",\"pid\":1,\"tid\":%u,\"ts\":", ph, tid);
	sim_timeline_us(s, ts);
	jstr(s, "name", name);
}

static void dur(GString *s, SimTime d)
{
	g_string_append(s, ",\"dur\":");
	sim_timeline_us(s, d);
}

static void metadata(GString *s, const SimTimeline *tl)
{
	g_autofree char *title = g_strdup_printf("msgsim %s", tl->file ? tl->file : "run");
	head(s, "M", 0, 0, "process_name");
	g_string_append(s, ",\"args\":{\"name\":\"");
	sim_timeline_json_escape(s, title);
	g_string_append(s, "\"}},\n");
	for (guint i = 0; i < tl->tasks->len; i++) {
		head(s, "M", i + 1, 0, "thread_name");
		g_string_append(s, ",\"args\":{\"name\":\"");
		sim_timeline_json_escape(s, sim_timeline_task(tl, i)->name);
		g_string_append(s, "\"}},\n");
		head(s, "M", i + 1, 0, "thread_sort_index");
		g_string_append_printf(s, ",\"args\":{\"sort_index\":%u}},\n", i + 1);
	}
}

/* A state span's name: "blocked on A: no message", "running". */
static char *span_name(const SimTlSpan *sp)
{
	if (sp->state == SIM_TL_BLOCKED)
		return g_strdup_printf("blocked%s%s: %s", sp->object ? " on " : "",
				       sp->object ? sp->object : "", sp->reason ? sp->reason : "");
	return g_strdup(sim_timeline_state_name(sp->state));
}

static void spans(GString *s, const SimTimeline *tl)
{
	for (guint i = 0; i < tl->tasks->len; i++) {
		const SimTlTask *t = sim_timeline_task(tl, i);
		for (guint k = 0; k < t->spans->len; k++) {
			const SimTlSpan *sp = &g_array_index(t->spans, SimTlSpan, k);
			g_autofree char *name = span_name(sp);
			head(s, "X", i + 1, sp->start, name);
			dur(s, sp->end - sp->start);
			g_string_append(s, ",\"cat\":\"state\",\"args\":{\"state\":\"");
			g_string_append(s, sim_timeline_state_name(sp->state));
			g_string_append_c(s, '"');
			if (sp->object)
				jstr(s, "object", sp->object);
			if (sp->reason)
				jstr(s, "reason", sp->reason);
			g_string_append(s, "}},\n");
		}
	}
}

static void calls(GString *s, const SimTimeline *tl)
{
	for (guint i = 0; i < tl->calls->len; i++) {
		const SimTlCall *c = sim_timeline_call(tl, i);
		head(s, "X", c->task + 1, c->start, c->of != SIM_TL_NONE ? "return" : c->name);
		dur(s, c->end - c->start);
		g_string_append(s, ",\"cat\":\"call\",\"args\":{\"line\":");
		g_string_append_printf(s, "%u", c->line);
		jstr(s, "call", c->text);
		jstr(s, "result", c->blocked ? "blocked" : c->err ? sim_errno_name(c->err) : "ok");
		if (c->object)
			jstr(s, "object", c->object);
		if (c->woke)
			jstr(s, "woke", c->woke);
		g_string_append(s, "}},\n");
	}
}

/* A message: a flow from its send's slice to its receive's, both bound at the slices'
 * starts (a flow binds to the slice that encloses its time); one still queued at the end is
 * an instant on its sender's thread. */
static void messages(GString *s, const SimTimeline *tl)
{
	for (guint i = 0; i < tl->msgs->len; i++) {
		const SimTlMsg *m = sim_timeline_msg(tl, i);
		if (m->failed || m->send_call == SIM_TL_NONE)
			continue;
		const SimTlCall *snd = sim_timeline_call(tl, m->send_call);
		if (m->recv_call == SIM_TL_NONE) {
			g_autofree char *what =
				g_strdup_printf("still queued in %s: #%" G_GUINT64_FORMAT,
						m->object ? m->object : "?", m->seq);
			head(s, "i", snd->task + 1, m->sent, what);
			g_string_append(s, ",\"s\":\"t\",\"cat\":\"message\"");
			g_string_append(s, ",\"args\":{\"text\":\"");
			sim_timeline_json_escape(s, m->text);
			g_string_append(s, "\"}},\n");
			continue;
		}
		const SimTlCall *rcv = sim_timeline_call(tl, m->recv_call);
		head(s, "s", snd->task + 1, snd->start, m->text);
		g_string_append_printf(s, ",\"cat\":\"message\",\"id\":%" G_GUINT64_FORMAT "},\n",
				       m->seq);
		head(s, "f", rcv->task + 1, rcv->start, m->text);
		g_string_append_printf(
			s, ",\"cat\":\"message\",\"bp\":\"e\",\"id\":%" G_GUINT64_FORMAT "},\n",
			m->seq);
	}
}

static void counters(GString *s, const SimTimeline *tl)
{
	for (guint i = 0; i < tl->objects->len; i++) {
		const SimTlObject *o = &g_array_index(tl->objects, SimTlObject, i);
		g_autofree char *name = g_strdup_printf("%s (%s)", o->name, o->unit);
		for (guint k = 0; k < o->levels->len; k++) {
			const SimTlLevel *p = &g_array_index(o->levels, SimTlLevel, k);
			head(s, "C", 0, p->t, name);
			g_string_append_printf(s, ",\"args\":{\"%s\":%" G_GINT64_FORMAT "}},\n",
					       o->unit, p->level);
		}
	}
}

static void report(GString *s, const SimTimeline *tl)
{
	for (guint i = 0; i < tl->deadlocks->len; i++) {
		const SimTlDeadlock *d = &g_array_index(tl->deadlocks, SimTlDeadlock, i);
		g_autofree char *what = g_strdup_printf("deadlock: %s", d->text);
		head(s, "i", d->task + 1, tl->end, what);
		g_string_append(s, ",\"s\":\"t\",\"cat\":\"deadlock\"},\n");
	}
	if (tl->stopped) {
		g_autofree char *what = g_strdup_printf("stopped: %s", tl->stopped);
		head(s, "i", 0, tl->end, what);
		g_string_append(s, ",\"s\":\"g\",\"cat\":\"limit\"},\n");
	}
}

void sim_chrome_write(GString *s, const SimTimeline *tl)
{
	g_string_append(s, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"msgsim\"");
	jstr(s, "file", tl->file);
	jstr(s, "scheduler", tl->policy);
	g_string_append_printf(s, ",\"seed\":%" G_GINT64_FORMAT, tl->seed);
	jstr(s, "verdict", tl->verdict);
	g_string_append(s, "},\n\"traceEvents\":[\n");
	metadata(s, tl);
	spans(s, tl);
	calls(s, tl);
	messages(s, tl);
	counters(s, tl);
	report(s, tl);
	/* The last event: the run's end, so that no event ends in a comma. */
	g_autofree char *end = g_strdup_printf("end: %s", tl->verdict ? tl->verdict : "?");
	head(s, "i", 0, tl->end, end);
	g_string_append(s, ",\"s\":\"g\",\"cat\":\"run\"}\n]}\n");
}

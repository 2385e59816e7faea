/* outcome.c — what a student could observe at the end of one execution, as stable text.
 *
 * The design choice to know: an outcome is text, not a structure. Two executions have the
 * same outcome exactly when their texts are equal, the text is what the outcome set
 * prints, and a run on the real kernel can be turned into the same text and looked up.
 * So the text holds no addresses, times, sequence numbers or hash-table order: per
 * process its calls' results in program order and how it ended, then the messages left in
 * each object in queue order, then whether the run deadlocked.
 *
 * Calls of the body's own family (compute, sleep, print) are left out unless they failed:
 * they show nothing a process could tell apart. Pipes' leftover bytes are not listed (no
 * list of pipes outlives their descriptors); what a reader read is.
 */
#include "explore/explore_int.h"

#include <string.h>

/* A number in decimal, without printf: the recorder writes one for most calls, and an
 * exploration makes millions of them. */
static void append_int(GString *s, gint64 v)
{
	char buf[24];
	int i = (int)sizeof(buf);
	guint64 u = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;
	do {
		buf[--i] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	g_string_append_len(s, buf + i, (gssize)sizeof(buf) - i);
}

void sim_recorder_init(SimRecorder *r, guint n_tasks)
{
	r->n = n_tasks;
	r->calls = g_new0(GString *, n_tasks + 1);
	r->line_hash = g_new0(guint64, n_tasks + 1);
	r->line_hashed = g_new0(gsize, n_tasks + 1);
	for (guint i = 0; i < n_tasks; i++)
		r->calls[i] = g_string_new(NULL);
}

void sim_recorder_reset(SimRecorder *r)
{
	for (guint i = 0; i < r->n; i++)
		g_string_truncate(r->calls[i], 0);
	memset(r->line_hashed, 0, r->n * sizeof(gsize));
}

void sim_recorder_clear(SimRecorder *r)
{
	for (guint i = 0; i < r->n; i++)
		g_string_free(r->calls[i], TRUE);
	g_free(r->calls);
	g_free(r->line_hash);
	g_free(r->line_hashed);
	r->calls = NULL;
	r->line_hash = NULL;
	r->line_hashed = NULL;
	r->n = 0;
}

/* A text as the outcome shows it: in double quotes, with C escapes. */
static void append_quoted(GString *s, const char *text, gsize len)
{
	g_string_append_c(s, '"');
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)text[i];
		if (c == '"' || c == '\\')
			g_string_append_c(s, '\\');
		if (c < 0x20 || c >= 0x7f)
			g_string_append_printf(s, "\\x%02x", c);
		else
			g_string_append_c(s, (char)c);
	}
	g_string_append_c(s, '"');
}

static void finished(SimWorld *w, const SimTask *t, const SimStmt *st, GString *s)
{
	const SimCallDesc *d = sim_call_desc(st->kind);
	const SimStmtResult *r = sim_world_result(w, st);
	if (d->family == SIM_CALL_CONTROL && r->err == 0)
		return;
	if (s->len)
		g_string_append(s, "; ");
	g_string_append(s, d->name);
	if (r->err) {
		g_string_append_c(s, ' ');
		g_string_append(s, sim_errno_name(r->err));
		return;
	}
	/* What the call received stays in the world until a call starts; a woken call does
	 * not start again, so the recorder marks it read. */
	SimCallOut *out = &w->out;
	gboolean got = out->got;
	out->got = FALSE;
	if (got) {
		g_string_append_c(s, ' ');
		append_quoted(s, out->text->str, out->text->len);
		if (d->family == SIM_CALL_SYSV) {
			g_string_append(s, " type=");
			append_int(s, out->type);
		} else if (d->family == SIM_CALL_POSIX && out->prio) {
			g_string_append(s, " prio=");
			append_int(s, out->prio);
		}
		return;
	}
	if (r->ret != 0) {
		g_string_append(s, " =");
		append_int(s, r->ret);
	}
	(void)t;
}

void sim_recorder_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		       SimCallPhase phase)
{
	SimRecorder *r = data;
	GString *s = r->calls[t->id];
	switch (phase) {
	case SIM_CALL_FINISHED:
		finished(w, t, st, s);
		return;
	case SIM_CALL_EXITED:
		/* An exit statement finishes as a call first: its status says it all. */
		if (g_str_has_suffix(s->str, "exit")) {
			g_string_truncate(s, s->len >= 6 ? s->len - 6 : 0);
			r->line_hashed[t->id] = 0; /* its hash covered what went */
		}
		g_string_append(s, s->len ? "; exit " : "exit ");
		append_int(s, t->exit_code);
		return;
	case SIM_CALL_KILLED: {
		const char *name = sim_scn_signal_name(t->killed_by);
		g_string_append_printf(s, "%skilled %s", s->len ? "; " : "", name ? name : "?");
		return;
	}
	case SIM_CALL_STARTED:
	case SIM_CALL_BLOCKED:
		return;
	}
}

/* How a task that did not end stands: blocked in which call, never started, or stopped. */
static void unfinished(const SimWorld *w, const SimTask *t, GString *s)
{
	if (t->stopped_by && t->state != SIM_STATE_EXITED) { /* what keeps it is the stop */
		g_string_append_printf(s, "%sstopped by %s", s->len ? "; " : "",
				       sim_scn_signal_name(t->stopped_by));
		return;
	}
	if (s->len && t->state != SIM_STATE_NEW && t->state != SIM_STATE_EXITED)
		g_string_append(s, "; ");
	switch (t->state) {
	case SIM_STATE_NEW:
		g_string_append(s, s->len ? "; never started" : "never started");
		return;
	case SIM_STATE_BLOCKED: {
		const SimStmt *st = t->prog->code[t->pc].stmt;
		g_string_append_printf(s, "blocked in %s",
				       st ? sim_call_desc(st->kind)->name : "?");
		if (t->wait_obj >= 0 && !w->mboxes[t->wait_obj].is_inbox)
			g_string_append_printf(s, " on %s", w->mboxes[t->wait_obj].name);
		if (t->wait_why)
			g_string_append_printf(s, " (%s)", t->wait_why);
		return;
	}
	case SIM_STATE_READY:
	case SIM_STATE_RUNNING:
	case SIM_STATE_SLEEPING:
		g_string_append(s, "stopped");
		return;
	case SIM_STATE_EXITED:
		return;
	}
}

static void messages(GString *out, const SimMsgList *l, gboolean type, gboolean prio)
{
	for (const SimMsg *m = l->head; m; m = m->next) {
		g_string_append_c(out, ' ');
		if (type)
			g_string_append_printf(out, "%" G_GINT64_FORMAT ":", m->type);
		if (prio)
			g_string_append_printf(out, "%" G_GINT64_FORMAT ":", m->prio);
		/* A SysV message cut to its msgsz shows what a receiver would get. */
		gsize len = m->size && m->size < m->len ? m->size : m->len;
		append_quoted(out, m->text, len);
	}
}

/* The messages left in each object, in queue order; empty objects are not listed. */
static void objects(const SimWorld *w, GString *out)
{
	for (guint i = 0; i < w->n_mboxes; i++) {
		const SimMbox *mb = &w->mboxes[i];
		if (!mb->msgs.len && !(mb->destroyed && !mb->is_inbox))
			continue;
		g_string_append_printf(out, "%s %s:", mb->is_inbox ? "inbox of" : "mailbox",
				       mb->name);
		if (mb->destroyed && !mb->is_inbox)
			g_string_append(out, " (destroyed)");
		messages(out, &mb->msgs, FALSE, FALSE);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		if (!q->msgs.len && !q->removed)
			continue;
		if (q->name)
			g_string_append_printf(out, "sysv queue %s:", q->name);
		else
			g_string_append_printf(out, "sysv queue key=%" G_GINT64_FORMAT ":",
					       q->perm.key);
		if (q->removed)
			g_string_append(out, " (removed)");
		messages(out, &q->msgs, TRUE, FALSE);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < w->mqueues->len; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		if (!q->msgs.len && !q->unlinked)
			continue;
		g_string_append_printf(out, "posix queue %s:", q->name);
		if (q->unlinked)
			g_string_append(out, " (unlinked)");
		messages(out, &q->msgs, FALSE, TRUE);
		g_string_append_c(out, '\n');
	}
}

void sim_outcome_text(const SimWorld *w, const SimRecorder *r, GString *out)
{
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (sim_world_unforked(t))
			continue; /* a child whose fork never ran does not exist */
		g_string_assign(line, r->calls[i]->str);
		unfinished(w, t, line);
		g_string_append(out, t->name);
		g_string_append(out, ": ");
		g_string_append_len(out, line->len ? line->str : "-",
				    line->len ? (gssize)line->len : 1);
		g_string_append_c(out, '\n');
	}
	objects(w, out);
	SimRunStatus st = sim_world_status(w);
	if (st == SIM_RUN_DEADLOCK)
		g_string_append(out, "deadlock\n");
	else if (st != SIM_RUN_DONE)
		g_string_append_printf(out, "stopped: %s\n", sim_world_status_name(st));
}

guint64 sim_outcome_hash(const char *text)
{
	guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325);
	for (const guchar *p = (const guchar *)text; *p; p++) {
		h ^= *p;
		h *= G_GUINT64_CONSTANT(0x100000001b3);
	}
	return h;
}

/* ---- A target outcome: the search for one observed outcome (explore.h) ---- */

struct SimOutcomeTarget {
	GHashTable *lines; /* a process's name -> what follows "NAME: " on its line */
	char *text;	   /* the whole text (owned; lines point into a copy of it) */
	char *copy;
	const char **by_task; /* by task id: its line, or NULL when the text has none */
	guint8 *mapped;	      /* by task id: by_task[id] was looked up */
	guint n;
};

SimOutcomeTarget *sim_outcome_target_new(const char *text, guint n_tasks)
{
	SimOutcomeTarget *g = g_new0(SimOutcomeTarget, 1);
	g->text = g_strdup(text);
	g->copy = g_strdup(text);
	g->lines = g_hash_table_new(g_str_hash, g_str_equal);
	g->n = n_tasks;
	g->by_task = g_new0(const char *, n_tasks + 1);
	g->mapped = g_new0(guint8, n_tasks + 1);
	/* The processes' lines come first, then the objects' and the end's: the first line
	 * under a name is the process's (a task named like "stopped" keeps its own). */
	for (char *p = g->copy; *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *sep = strstr(p, ": ");
		if (sep) {
			*sep = '\0';
			if (!g_hash_table_contains(g->lines, p))
				g_hash_table_insert(g->lines, p, sep + 2);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return g;
}

void sim_outcome_target_free(SimOutcomeTarget *g)
{
	if (!g)
		return;
	g_hash_table_unref(g->lines);
	g_free(g->by_task);
	g_free(g->mapped);
	g_free(g->text);
	g_free(g->copy);
	g_free(g);
}

const char *sim_outcome_target_text(const SimOutcomeTarget *g)
{
	return g->text;
}

gboolean sim_outcome_target_fits(SimOutcomeTarget *g, const SimTask *t, const GString *line)
{
	if (t->id < 0 || (guint)t->id >= g->n)
		return FALSE;
	if (!g->mapped[t->id]) {
		g->by_task[t->id] = g_hash_table_lookup(g->lines, t->name);
		g->mapped[t->id] = 1;
	}
	const char *want = g->by_task[t->id];
	if (!want) /* a process the outcome does not list never ran */
		return line->len == 0;
	if (line->len == 0)
		return TRUE;
	if (strncmp(want, line->str, line->len) != 0)
		return FALSE;
	char next = want[line->len];
	/* A call's result is whole once recorded: what follows is the next call's ("; "), how
	 * the process stands at the end ("; blocked in ..."), or nothing. An exit statement
	 * records "exit" first and its status at once after. */
	return next == '\0' || next == ';' ||
	       (next == ' ' && g_str_has_suffix(line->str, "exit"));
}

/* Whether a printed line is a witness: "witness: S" (explore) or "witness S" (a free run's
 * report), S a schedule, without spaces. A process named "witness" has a line with a
 * space in it ("exit 0", "killed ...", "blocked in ..."), or "stopped" or "-". */
static gboolean is_witness(const char *l, gsize len)
{
	const char *v = g_str_has_prefix(l, "witness: ") ? l + 9
			: g_str_has_prefix(l, "witness ")  ? l + 8
							   : NULL;
	if (!v)
		return FALSE;
	gsize n = len - (gsize)(v - l);
	return n && !memchr(v, ' ', n) && !(n == 7 && strncmp(v, "stopped", 7) == 0) &&
	       !(n == 1 && *v == '-');
}

char *sim_outcome_from_printed(const char *printed)
{
	GString *out = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(printed, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		while (*l == ' ' || *l == '\t')
			l++;
		gsize len = strlen(l);
		while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
			len--;
		if (!len || is_witness(l, len) ||
		    (g_str_has_prefix(l, "outcome ") && strstr(l, " of ")))
			continue;
		g_string_append_len(out, l, (gssize)len);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

gboolean sim_outcome_target_next_fails(SimOutcomeTarget *g, const SimTask *t, const GString *line)
{
	GString none = { 0 };
	if (!sim_outcome_target_fits(g, t, line ? line : &none))
		return FALSE;
	const char *want = g->by_task[t->id];
	if (!want)
		return FALSE;
	const char *p = want + (line ? line->len : 0);
	if (*p == ';')
		p += 2;
	const char *end = strchr(p, ';');
	if (!end)
		end = p + strlen(p);
	/* "msgrcv ENOMSG": a name, a space, E and capitals to the end */
	const char *e = NULL;
	for (const char *q = p; q + 2 < end; q++)
		if (q[0] == ' ' && q[1] == 'E' && g_ascii_isupper(q[2]))
			e = q + 1;
	if (!e)
		return FALSE;
	while (e < end && (g_ascii_isupper(*e) || g_ascii_isdigit(*e)))
		e++;
	return e == end;
}

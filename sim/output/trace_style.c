/* trace_style.c — the text trace for a person: source lines, colour, columns, explanations.
 *
 * The design choice to know: this is a sink of its own beside trace.c's plain text sink,
 * not a set of flags inside it. The plain sink is what the golden traces pin byte for byte
 * and what a run of millions of calls pays for per event; a styled trace is for reading,
 * and a run that asks for none of it has no such sink at all. The words of each event are
 * the plain trace's (sim_trace_text), so the two can never say different things; this
 * file only adds the time column, the source, the escapes and the layout around them.
 *
 * Columns: the time column, then one column per process in declaration order (forked
 * children included), each `width` characters wide. An event is written in its process's
 * column, cut into pieces of at most width - 1 characters (at a space when one is near the
 * end), one piece a line; the report's lines and an ipcs table run across the whole width.
 * Widths count bytes: a message with non-ASCII text may push its column's later pieces off
 * by a character or two, which reads well enough and keeps the cut simple.
 *
 * Explanations and holders are read off the run where the events do not carry them: a
 * SysV or POSIX queue's hand-off from the queue the call's event points at (the kernel's
 * rule takes the first fitting waiter, so the waiters left after it complete the list),
 * pipe holders from the world's descriptor tables (sim_trace_style_set_world). Only a
 * mailbox's choice, whose rules (round-robin, random) depend on state the send changes,
 * is recorded by its family before the send, and only when the world's `explain` is on.
 */
#include "msgsim/output/trace_style.h"

#include "engine/world_int.h" /* --holders: every task's descriptor table */
#include "msgsim/engine/holders.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/pipe.h"

#include <string.h>
#include <unistd.h>

#define ESC_DIM "\033[2m"
#define ESC_BOLD "\033[1m"
#define ESC_RED "\033[31m"
#define ESC_GREEN "\033[32m"
#define ESC_YELLOW "\033[33m"
#define ESC_MAGENTA "\033[35m"
#define ESC_RESET "\033[0m"

/* A process's colour: its index in the scenario, modulo the palette (red is kept for
 * errors). */
static const char *const palette[] = { "\033[1;36m", "\033[1;33m", "\033[1;35m", "\033[1;32m",
				       "\033[1;34m", "\033[36m",   "\033[35m",	 "\033[34m" };

typedef struct Style {
	SimTraceStyle opt;
	const SimScenario *scn;
	const SimWorld *world; /* --holders: the run, set before it starts */
	GHashTable *column;    /* process name -> its index + 1 in scn->procs */
	guint width;	       /* a column's width (--columns) */
	guint64 lines;	       /* event lines written */
	guint64 left_out;      /* event lines not written, past max_lines */
	gboolean noted;	       /* the line that says so is written */
	GString *body;	       /* the event's words, reused */
} Style;

static void style_free(gpointer data)
{
	Style *st = data;
	g_hash_table_unref(st->column);
	g_string_free(st->body, TRUE);
	g_free(st);
}

static gboolean is_report(SimTraceKind k)
{
	return k == SIM_TR_HEADER || k == SIM_TR_DEADLOCK || k == SIM_TR_LIMIT ||
	       k == SIM_TR_EXPECT || k == SIM_TR_TASK_SUMMARY || k == SIM_TR_OBJ_SUMMARY ||
	       k == SIM_TR_END;
}

/* The colour of an event's words: what a reader should notice first. NULL: plain. */
static const char *body_color(const SimTraceEvent *ev)
{
	switch (ev->kind) {
	case SIM_TR_CALL:
	case SIM_TR_RETURN:
		return ev->err ? ESC_RED : ev->blocked ? ESC_YELLOW : NULL;
	case SIM_TR_WAKE:
		return ESC_GREEN;
	case SIM_TR_SIGNAL:
		return ESC_MAGENTA;
	case SIM_TR_EXIT:
	case SIM_TR_OBJ_SUMMARY:
	case SIM_TR_TASK_SUMMARY:
		return ESC_DIM;
	case SIM_TR_DEADLOCK:
	case SIM_TR_LIMIT:
		return ESC_BOLD ESC_RED;
	case SIM_TR_EXPECT:
		return ev->pass ? ESC_GREEN : ESC_BOLD ESC_RED;
	case SIM_TR_END:
		return ev->value == 0 ? ESC_BOLD ESC_GREEN : ESC_BOLD ESC_RED;
	default:
		return NULL;
	}
}

/* Appends text[0..n) to s, in colour when one is given and the style has colour. */
static void put_colored(const Style *st, GString *s, const char *color, const char *text, gsize n)
{
	if (st->opt.color && color && n) {
		g_string_append(s, color);
		g_string_append_len(s, text, (gssize)n);
		g_string_append(s, ESC_RESET);
	} else {
		g_string_append_len(s, text, (gssize)n);
	}
}

/* The index + 1 of the event's process in scn->procs, or 0 for none. */
static guint proc_of(const Style *st, const char *task)
{
	return task ? GPOINTER_TO_UINT(g_hash_table_lookup(st->column, task)) : 0;
}

/* "%10s  " of the time, dim in colour. */
static void time_column(const Style *st, GString *s, SimTime t)
{
	char buf[40];
	sim_trace_time(t, buf, sizeof(buf));
	gsize n = strlen(buf);
	for (gsize i = n; i < 10; i++)
		g_string_append_c(s, ' ');
	put_colored(st, s, ESC_DIM, buf, n);
	g_string_append(s, "  ");
}

static void holders(const Style *st, const SimPipe *p, GString *b);

/* The event's words and, with --source, the statement's place after a call, a print, or
 * the word ipcs (its table follows on lines of its own). */
static void event_words(Style *st, const SimTraceEvent *ev)
{
	GString *b = st->body;
	g_string_truncate(b, 0);
	sim_trace_text(b, ev);
	gboolean call = ev->kind == SIM_TR_CALL || ev->kind == SIM_TR_RETURN;
	if (st->opt.holders && st->world && ev->pipe && call)
		holders(st, ev->pipe, b);
	if (st->opt.source && ev->stmt && ev->line &&
	    (call || ev->kind == SIM_TR_PRINT || ev->kind == SIM_TR_IPCS)) {
		/* A column is narrow: there the scenario's own lines go without its name. */
		const char *file = sim_scn_loc_file(st->scn, ev->stmt->loc);
		g_autofree char *base = g_path_get_basename(file);
		g_autofree char *where = st->opt.columns && file == st->scn->file
						 ? g_strdup_printf("  (line %u)", ev->line)
						 : g_strdup_printf("  (%s:%u)", base, ev->line);
		const char *nl = ev->kind == SIM_TR_IPCS ? strchr(b->str, '\n') : NULL;
		g_string_insert(b, nl ? nl - b->str : -1, where);
	}
}

/* --holders: "  {read end: child fd 3; write end: parent fd 4, child fd 4}", each end's
 * holders among the live tasks, in task order, after the call (a FIFO's path is its name). */
typedef struct HolderText {
	GString *b;
	guint n;
} HolderText;

static void holder_text(const SimTask *o, guint fd, gpointer data)
{
	HolderText *h = data;
	g_string_append_printf(h->b, "%s%s fd %u", h->n++ ? ", " : "", o->name, fd);
}

static void holders(const Style *st, const SimPipe *p, GString *b)
{
	for (int end = 0; end < 2; end++) {
		g_string_append(b, end == 0 ? "  {read end: " : "; write end: ");
		HolderText h = { b, 0 };
		if (!sim_world_pipe_holders(st->world, p, end == 1, holder_text, &h))
			g_string_append(b, "nobody");
	}
	g_string_append_c(b, '}');
}

/* The header: the plain trace's first line, then the column titles. */
static void header(Style *st, const SimTraceEvent *ev, GString *out)
{
	const char *nl = strchr(st->body->str, '\n');
	gsize first = nl ? (gsize)(nl - st->body->str) : st->body->len;
	put_colored(st, out, ESC_BOLD, st->body->str, first);
	g_string_append_c(out, '\n');
	if (!st->opt.columns) {
		if (nl)
			g_string_append(out, nl + 1);
		g_string_append_c(out, '\n');
		return;
	}
	(void)ev;
	g_string_append_printf(out, "%10s  ", "time");
	for (guint i = 0; i < st->scn->n_procs; i++) {
		const char *name = st->scn->procs[i].name;
		gsize n = strlen(name);
		put_colored(st, out, palette[i % G_N_ELEMENTS(palette)], name, n);
		if (i + 1 < st->scn->n_procs)
			for (gsize k = n; k < st->width; k++)
				g_string_append_c(out, ' ');
	}
	g_string_append_c(out, '\n');
}

/* Where a piece of at most max bytes of text[0..n) ends: at n when it all fits, else at the
 * last space of the piece's last third, else at max (never inside a UTF-8 character). */
static gsize piece_end(const char *text, gsize n, gsize max)
{
	if (n <= max)
		return n;
	for (gsize i = max; i > max - max / 3; i--)
		if (text[i] == ' ')
			return i + 1;
	gsize end = max;
	while (end > 1 && ((guchar)text[end] & 0xc0) == 0x80)
		end--;
	return end;
}

/* One event in its process's column, cut into pieces, one a line. */
static void column_lines(Style *st, const SimTraceEvent *ev, guint col, const char *text, gsize n,
			 GString *out)
{
	const char *color = body_color(ev);
	gsize max = st->width - 1, indent = (gsize)col * st->width;
	gboolean first = TRUE;
	do {
		gsize end = piece_end(text, n, max);
		if (first)
			time_column(st, out, ev->time);
		else
			g_string_append(out, "            ");
		for (gsize k = 0; k < indent; k++)
			g_string_append_c(out, ' ');
		gsize shown = end;
		while (shown && text[shown - 1] == ' ')
			shown--;
		put_colored(st, out, color, text, shown);
		g_string_append_c(out, '\n');
		st->lines++;
		text += end;
		n -= end;
		first = FALSE;
	} while (n);
}

/* An event line as the plain trace lays it out: time, task, words. */
static void plain_line(Style *st, const SimTraceEvent *ev, const char *text, gsize n, GString *out)
{
	time_column(st, out, ev->time);
	const char *task = ev->task ? ev->task : "";
	gsize tn = strlen(task);
	guint p = proc_of(st, ev->task);
	put_colored(st, out, p ? palette[(p - 1) % G_N_ELEMENTS(palette)] : NULL, task, tn);
	for (gsize k = tn; k < 10; k++)
		g_string_append_c(out, ' ');
	g_string_append(out, "  ");
	put_colored(st, out, body_color(ev), text, n);
	g_string_append_c(out, '\n');
	st->lines++;
}

/* The line in place of the event lines left out past --max-lines, as the plain trace's. */
static void note_left_out(Style *st, GString *out)
{
	st->noted = TRUE;
	g_string_append(out, "-- ");
	sim_trace_count(out, st->left_out);
	g_string_append(out, " more trace lines left out after the first ");
	sim_trace_count(out, st->opt.max_lines);
	g_string_append(out, " (--max-lines); to see them all, write the trace to a file with "
			     "--output FILE, or use --max-lines 0\n");
}

/* --explain: "why P3: deliver=RULE...; waiting: P3 P2", on the sender's line. */
static void explain_line(Style *st, const SimTraceEvent *ev, GString *out)
{
	if (st->opt.max_lines && st->lines >= st->opt.max_lines) {
		st->left_out++;
		return;
	}
	GString *b = st->body;
	g_string_truncate(b, 0);
	g_string_append_printf(b, "why %s: %s; waiting: ", ev->other, ev->reason);
	for (guint i = 0; i < ev->n_names; i++)
		g_string_append_printf(b, i ? " %s" : "%s", ev->names[i]);
	SimTraceEvent shown = *ev;
	shown.kind = SIM_TR_PRINT; /* no colour of its own */
	guint p = proc_of(st, ev->task);
	if (st->opt.columns && p)
		column_lines(st, &shown, p - 1, b->str, b->len, out);
	else
		plain_line(st, &shown, b->str, b->len, out);
}

/* --explain for the queues, read from the call's own event: the kernel's pipelined_send
 * hands a message to the first waiting receiver that takes it (SysV: whose msgtyp
 * matches; POSIX: the head of a list ordered by priority, then arrival), so the
 * candidates in wait order are the one it took and those still waiting after it that
 * would have. Found here, after the fact, the engine pays nothing for it. */
static void explain_queue_send(Style *st, const SimTraceEvent *ev, GString *out)
{
	const SimWorld *w = st->world;
	const char *names[16];
	int tasks[16];
	guint n = 0;
	const char *rule;
	if (!w || !ev->stmt || ev->err || ev->blocked || !ev->other)
		return;
	names[n++] = ev->other;
	if (ev->stmt->kind == SIM_STMT_MSGSND && ev->msgq && ev->msg) {
		guint k = MIN(sim_msgq_candidates(ev->msgq, ev->msg, tasks, 15), 15);
		for (guint i = 0; i < k; i++)
			names[n++] = w->tasks[tasks[i]].name;
		rule = "msgsnd: the first blocked receiver in wait order whose msgtyp takes it "
		       "(pipelined_send; one that asked for fewer bytes without MSG_NOERROR gets "
		       "E2BIG and the scan goes on)";
	} else if (ev->stmt->kind == SIM_STMT_MQ_SEND && ev->mq) {
		for (const SimWaiter *r = ev->mq->receivers.head; r && n < 16; r = r->next)
			names[n++] = w->tasks[r->task].name;
		rule = "mq_send: the first waiting receiver, the highest priority (lowest nice) "
		       "first, then the one waiting longest (pipelined_send)";
	} else {
		return;
	}
	if (n < 2)
		return;
	SimTraceEvent why = { .kind = SIM_TR_DELIVER,
			      .time = ev->time,
			      .task = ev->task,
			      .other = ev->other,
			      .names = names,
			      .n_names = n,
			      .reason = rule };
	explain_line(st, &why, out);
}

static void style_event(gpointer data, const SimTraceEvent *ev, GString *out)
{
	Style *st = data;
	if (ev->kind == SIM_TR_DELIVER && ev->n_names >= 2 && ev->reason) {
		explain_line(st, ev, out);
		return;
	}
	if (ev->kind == SIM_TR_BLOCK || ev->kind == SIM_TR_DELIVER)
		return; /* the plain trace shows these on the call that blocked or received */
	if (is_report(ev->kind)) {
		if (st->left_out && !st->noted)
			note_left_out(st, out);
		event_words(st, ev);
		if (ev->kind == SIM_TR_HEADER)
			header(st, ev, out);
		else {
			put_colored(st, out, body_color(ev), st->body->str, st->body->len);
			g_string_append_c(out, '\n');
		}
		return;
	}
	if (st->opt.max_lines && st->lines >= st->opt.max_lines) {
		st->left_out++;
		return;
	}
	event_words(st, ev);
	/* An ipcs table: its first line ("ipcs") is the event's, the table runs below it. */
	const char *text = st->body->str, *nl = strchr(text, '\n');
	gsize n = nl ? (gsize)(nl - text) : st->body->len;
	guint p = proc_of(st, ev->task);
	if (st->opt.columns && p)
		column_lines(st, ev, p - 1, text, n, out);
	else
		plain_line(st, ev, text, n, out);
	if (st->opt.explain && (ev->kind == SIM_TR_CALL || ev->kind == SIM_TR_RETURN))
		explain_queue_send(st, ev, out);
	if (nl) {
		g_string_append(out, nl + 1);
		g_string_append_c(out, '\n');
		for (const char *c = nl + 1; (c = strchr(c, '\n')); c++)
			st->lines++;
	}
}

static const SimTraceSinkClass style_class = {
	.wants = ~((1u << SIM_TR_BLOCK) | (1u << SIM_TR_DELIVER)),
	.event = style_event,
	.free = style_free,
};
/* With --explain it takes the deliveries too, for the ones that chose among receivers. */
static const SimTraceSinkClass explain_class = {
	.wants = ~(1u << SIM_TR_BLOCK),
	.event = style_event,
	.free = style_free,
};

SimTraceStyleSink *sim_trace_style_add_sink(SimTrace *tr, const SimTraceStyle *style,
					    const SimScenario *scn, FILE *out, GError **error)
{
	if (style->columns && scn->n_procs > SIM_TRACE_MAX_COLUMNS) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "--columns shows at most %d processes, and %s has %u; use the plain "
			    "trace, or --format html for a picture of every process",
			    SIM_TRACE_MAX_COLUMNS, scn->file, scn->n_procs);
		return NULL;
	}
	Style *st = g_new0(Style, 1);
	st->opt = *style;
	st->scn = scn;
	st->column = g_hash_table_new(g_str_hash, g_str_equal);
	st->body = g_string_sized_new(256);
	/* Wide enough for a call and its result in a few pieces, narrow enough for eight. */
	st->width = scn->n_procs <= 3 ? 36 : scn->n_procs <= 5 ? 28 : 22;
	for (guint i = 0; i < scn->n_procs; i++)
		if (!g_hash_table_contains(st->column, scn->procs[i].name))
			g_hash_table_insert(st->column, scn->procs[i].name,
					    GUINT_TO_POINTER(i + 1));
	sim_trace_add_custom(tr, style->explain ? &explain_class : &style_class, st, out, FALSE);
	return (SimTraceStyleSink *)st;
}

void sim_trace_style_set_world(SimTraceStyleSink *sink, const SimWorld *w)
{
	((Style *)sink)->world = w;
}

gboolean sim_trace_style_color(const char *word, int fd, gboolean *color)
{
	if (strcmp(word, "always") == 0) {
		*color = TRUE;
	} else if (strcmp(word, "never") == 0) {
		*color = FALSE;
	} else if (strcmp(word, "auto") == 0) {
		const char *term = g_getenv("TERM"), *no = g_getenv("NO_COLOR");
		*color = isatty(fd) && !(term && strcmp(term, "dumb") == 0) && !(no && *no);
	} else {
		return FALSE;
	}
	return TRUE;
}

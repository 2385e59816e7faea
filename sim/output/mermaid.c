/* mermaid.c — a run as a Mermaid sequence diagram, for small runs and course notes.
 *
 * The design choice to know: the processes are participants, and so is every object a call
 * names (a mailbox, a queue, a pipe); each call is an arrow from its process to its object
 * labelled with the text trace's own words for it, and a receive that took a message is an
 * arrow back from the object. A blocked call ends in a cross (-x), calls without an object
 * (sleep, compute) are notes. A diagram of a long run is unreadable and Mermaid gives up
 * on it, so after SIM_MERMAID_MAX_LINES lines the rest is cut, and a note at the end (and
 * a comment at the top) says how much and from when.
 */
#include "msgsim/output/pictures.h"

typedef struct Diagram {
	GString *s;
	const SimTimeline *tl;
	GHashTable *ids;   /* participant label -> id (owned strings) */
	GPtrArray *labels; /* in order of declaration */
	const char *first; /* ids of the first and last participants, for notes over all */
	const char *last;
	guint lines; /* body lines written */
} Diagram;

/* A participant's id: its name when Mermaid reads it as one (letters, digits, '_', and
 * not one of Mermaid's words), else pN, declared with the name as alias. */
static gboolean plain_id(const char *name)
{
	/* Mermaid's own words, which would start a statement (`box`, `end`, `loop`). */
	static const char *const reserved[] = { "participant",
						"actor",
						"as",
						"box",
						"end",
						"loop",
						"alt",
						"else",
						"opt",
						"par",
						"and",
						"rect",
						"critical",
						"option",
						"break",
						"note",
						"over",
						"left",
						"right",
						"of",
						"activate",
						"deactivate",
						"autonumber",
						"title",
						"create",
						"destroy",
						"link",
						"links",
						"properties",
						"details",
						"sequenceDiagram",
						"accTitle",
						"accDescr" };
	if (!*name || g_ascii_isdigit(*name))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(reserved); i++)
		if (g_ascii_strcasecmp(name, reserved[i]) == 0)
			return FALSE;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_')
			return FALSE;
	return TRUE;
}

/* Appends text for a label: Mermaid ends a statement at ';', reads '#' as the start of an
 * entity and '<' as the start of a tag, so those are written as entities; the trace's "->"
 * becomes an arrow character, which reads the same and is not syntax. */
static void label(GString *s, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (c[0] == '-' && c[1] == '>') {
			g_string_append(s, "\u2192");
			c++;
		} else if (*c == ';')
			g_string_append(s, "#59;");
		else if (*c == '#')
			g_string_append(s, "#35;");
		else if (*c == '<')
			g_string_append(s, "#lt;");
		else if (*c == '\n')
			g_string_append_c(s, ' ');
		else
			g_string_append_c(s, *c);
	}
}

static const char *participant(Diagram *d, const char *name)
{
	const char *id = g_hash_table_lookup(d->ids, name);
	if (id)
		return id;
	char *own = plain_id(name) ? g_strdup(name) : g_strdup_printf("p%u", d->labels->len + 1);
	g_hash_table_insert(d->ids, g_strdup(name), own);
	g_ptr_array_add(d->labels, g_strdup(name));
	if (!d->first)
		d->first = own;
	d->last = own;
	return own;
}

static void declare(Diagram *d, GString *s)
{
	for (guint i = 0; i < d->labels->len; i++) {
		const char *name = d->labels->pdata[i];
		const char *id = g_hash_table_lookup(d->ids, name);
		gboolean task = g_hash_table_contains(d->tl->task_ix, name);
		g_string_append_printf(s, "    participant %s", id);
		if (strcmp(id, name) != 0 || !task) {
			g_string_append(s, " as ");
			label(s, name);
			if (!task)
				g_string_append(s, " (object)");
		}
		g_string_append_c(s, '\n');
	}
}

/* One call: an arrow to its object (a cross when it blocked), or a note; then, when it took
 * a message, the message coming back from the object. */
static void call_lines(Diagram *d, const SimTlCall *c)
{
	GString *s = d->s;
	const char *who = participant(d, sim_timeline_task(d->tl, c->task)->name);
	if (!c->object) {
		g_string_append_printf(s, "    Note over %s: ", who);
		label(s, c->text);
		g_string_append_c(s, '\n');
		d->lines++;
		return;
	}
	const char *obj = participant(d, c->object);
	const SimTlMsg *m = c->msg != SIM_TL_NONE ? sim_timeline_msg(d->tl, c->msg) : NULL;
	gboolean took =
		m && m->recv_call != SIM_TL_NONE && sim_timeline_call(d->tl, m->recv_call) == c;
	if (took) {
		g_string_append_printf(s, "    %s-->>%s: ", obj, who);
	} else {
		g_string_append_printf(s, "    %s%s%s: ", who, c->blocked ? "-x" : "->>", obj);
	}
	label(s, c->text);
	g_string_append_c(s, '\n');
	d->lines++;
}

/* "    Note over FIRST,LAST: ", a note across every participant ("over P" when only one). */
static void note_over_all(GString *s, const Diagram *d)
{
	if (strcmp(d->first, d->last) == 0)
		g_string_append_printf(s, "    Note over %s: ", d->first);
	else
		g_string_append_printf(s, "    Note over %s,%s: ", d->first, d->last);
}

static void report_notes(Diagram *d)
{
	GString *s = d->s;
	const SimTimeline *tl = d->tl;
	for (guint i = 0; i < tl->deadlocks->len; i++) {
		const SimTlDeadlock *dl = &g_array_index(tl->deadlocks, SimTlDeadlock, i);
		g_string_append_printf(s, "    Note over %s: deadlock: ",
				       participant(d, sim_timeline_task(tl, dl->task)->name));
		label(s, dl->text);
		g_string_append_c(s, '\n');
	}
	if (tl->verdict && d->first) {
		char buf[40];
		note_over_all(s, d);
		g_string_append(s, "result: ");
		label(s, tl->verdict);
		g_string_append_printf(s, " at %s\n", sim_trace_time(tl->end, buf, sizeof(buf)));
	}
}

void sim_mermaid_write(GString *out, const SimTimeline *tl)
{
	Diagram d = { .s = g_string_new(NULL),
		      .tl = tl,
		      .ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		      .labels = g_ptr_array_new_with_free_func(g_free) };
	for (guint i = 0; i < tl->tasks->len; i++)
		participant(&d, sim_timeline_task(tl, i)->name);
	guint shown = 0;
	for (; shown < tl->calls->len && d.lines < SIM_MERMAID_MAX_LINES; shown++)
		call_lines(&d, sim_timeline_call(tl, shown));
	gboolean cut = shown < tl->calls->len;
	char buf[40];
	g_autofree char *why = NULL;
	if (cut)
		why = g_strdup_printf(
			"cut: the run has %u calls and only the first %u are shown (up to %s); "
			"the diagram stops at %u lines. See --format html or chrome for the whole "
			"run",
			tl->calls->len, shown,
			sim_trace_time(sim_timeline_call(tl, shown - 1)->end, buf, sizeof(buf)),
			SIM_MERMAID_MAX_LINES);
	if (cut) {
		note_over_all(d.s, &d);
		label(d.s, why);
		g_string_append_c(d.s, '\n');
	} else
		report_notes(&d);

	g_string_append(out, "sequenceDiagram\n");
	g_string_append(out, "    %% msgsim ");
	label(out, tl->file ? tl->file : "run");
	g_string_append_printf(out, " (scheduler %s, seed %" G_GINT64_FORMAT ")\n",
			       tl->policy ? tl->policy : "?", tl->seed);
	if (cut)
		g_string_append_printf(out, "    %%%% %s\n", why);
	declare(&d, out);
	g_string_append_len(out, d.s->str, (gssize)d.s->len);
	g_string_free(d.s, TRUE);
	g_hash_table_unref(d.ids);
	g_ptr_array_unref(d.labels);
}

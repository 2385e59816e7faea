/* dot.c — the wait-for graph at a deadlock, as a Graphviz digraph (`dot -Tsvg`).
 *
 * The design choice to know: the graph says exactly what the text report says. Each stuck
 * process is a node labelled with the report's own words ("P1 stuck in receive P2 (line 6):
 * no message from the wanted sender"), and each "waits for" of that line is an edge; a
 * process that waits for nobody points at one node that says so in the report's words. A
 * run without a deadlock gives a graph with one note that says there was none, so the
 * output is always a valid graph.
 */
#include "msgsim/output/pictures.h"

/* Appends v as the inside of a dot string: quotes and backslashes escaped, newlines as
 * dot's centred line break. */
static void dot_escape(GString *s, const char *v)
{
	for (const char *c = v; *c; c++) {
		if (*c == '"' || *c == '\\')
			g_string_append_c(s, '\\');
		if (*c == '\n')
			g_string_append(s, "\\n");
		else
			g_string_append_c(s, *c);
	}
}

/* The report's words, broken before "(line" and after ':' so that a node stays narrow:
 * "P1 stuck in receive P2\n(line 6): no message\nfrom the wanted sender". */
static void node_label(GString *s, const SimTlDeadlock *d)
{
	const char *words = d->text;
	const char *wait = strstr(words, "; waits for: ");
	g_autofree char *head = g_strndup(words, wait ? (gsize)(wait - words) : strlen(words));
	char *line = strstr(head, " (line ");
	if (line) {
		*line = '\0';
		dot_escape(s, head);
		g_string_append(s, "\\n");
		dot_escape(s, line + 1);
	} else {
		dot_escape(s, head);
	}
}

/* An edge from a stuck task to what it waits for. A report's name may say more than the
 * task ("child (fd 4)": the child, through its own descriptor 4): the edge then goes to the
 * task and the rest is its label. NULL: nobody can release it. */
static void edge(GString *s, const SimTimeline *tl, const char *from, const char *to)
{
	g_autofree char *task = g_strdup(to ? to : " nobody");
	const char *note = NULL;
	char *paren = strstr(task, " (");
	if (paren) {
		*paren = '\0';
		if (g_hash_table_contains(tl->task_ix, task))
			note = to + (paren - task) + 1;
		else
			*paren = ' ';
	}
	g_string_append(s, "\t\"");
	dot_escape(s, from);
	g_string_append(s, "\" -> \"");
	dot_escape(s, task);
	g_string_append(s, "\"");
	if (note) {
		g_string_append(s, " [label=\"waits for ");
		dot_escape(s, note);
		g_string_append(s, "\"]");
	}
	g_string_append(s, ";\n");
}

void sim_dot_write(GString *s, const SimTimeline *tl)
{
	char buf[40];
	g_string_append(s, "digraph waitfor {\n\tgraph [rankdir=LR, label=\"");
	if (tl->deadlocks->len)
		g_string_append_printf(s, "deadlock at %s: wait-for graph",
				       sim_trace_time(tl->end, buf, sizeof(buf)));
	else
		g_string_append(s, "no deadlock: nobody waits for anybody at the end");
	g_string_append(s, " (");
	dot_escape(s, tl->file ? tl->file : "run");
	g_string_append(s, ")\", labelloc=t, fontname=\"Helvetica\"];\n");
	g_string_append(s, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#fde2e1\", "
			   "fontname=\"Helvetica\"];\n\tedge [label=\"waits for\", "
			   "fontname=\"Helvetica\", fontsize=10];\n");
	gboolean nobody = FALSE;
	for (guint i = 0; i < tl->deadlocks->len; i++) {
		const SimTlDeadlock *d = &g_array_index(tl->deadlocks, SimTlDeadlock, i);
		const char *name = sim_timeline_task(tl, d->task)->name;
		g_string_append(s, "\t\"");
		dot_escape(s, name);
		g_string_append(s, "\" [label=\"");
		node_label(s, d);
		g_string_append(s, "\", tooltip=\"");
		dot_escape(s, d->text);
		g_string_append(s, "\"];\n");
	}
	for (guint i = 0; i < tl->deadlocks->len; i++) {
		const SimTlDeadlock *d = &g_array_index(tl->deadlocks, SimTlDeadlock, i);
		const char *name = sim_timeline_task(tl, d->task)->name;
		if (d->waits->len == 0)
			nobody = TRUE;
		for (guint k = 0; k < MAX(d->waits->len, 1u); k++)
			edge(s, tl, name, d->waits->len ? d->waits->pdata[k] : NULL);
	}
	if (nobody)
		g_string_append(s, "\t\" nobody\" [label=\"nobody (no live process can release "
				   "it)\", shape=plaintext, style=\"\"];\n");
	g_string_append(s, "}\n");
}

/* xcheck_html.c — cross-check reports as one HTML page (xcheck_html.h). */
#include "msgsim/output/xcheck_html.h"

#include <string.h>

static const char STYLE[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}"
	"h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}"
	"table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:3px 8px;"
	"text-align:left;vertical-align:top}th{background:#f6f8fa}"
	"td{font-family:ui-monospace,monospace;font-size:12px}"
	"tr.mismatch td{background:#ffebe9}tr.mismatch td:last-child{color:#cf222e;"
	"font-weight:bold}pre{white-space:pre-wrap;font-size:12px}"
	"p.verdict{font-weight:bold}tr{break-inside:avoid}";

/* Appends text with &, <, > and " escaped for HTML. */
static void esc_n(GString *s, const char *text, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		char c = text[i];
		if (c == '&')
			g_string_append(s, "&amp;");
		else if (c == '<')
			g_string_append(s, "&lt;");
		else if (c == '>')
			g_string_append(s, "&gt;");
		else if (c == '"')
			g_string_append(s, "&quot;");
		else
			g_string_append_c(s, c);
	}
}

/* One Markdown row "| a | b \| c |" as cells, the table's escapes of |, `, \ and < undone
 * (its \n, \t and \xNN stay as written: they are what the text report shows). */
static GPtrArray *cells(const char *line)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	GString *cur = NULL;
	for (const char *p = line; *p; p++) {
		if (*p == '\\' && p[1] && strchr("|`\\<", p[1])) {
			if (cur)
				g_string_append_c(cur, *++p);
		} else if (*p == '|') {
			if (cur)
				g_ptr_array_add(out, g_strdup(g_strstrip(cur->str)));
			if (cur)
				g_string_free(cur, TRUE);
			cur = g_string_new(NULL);
		} else if (cur) {
			g_string_append_c(cur, *p);
		}
	}
	if (cur)
		g_string_free(cur, TRUE); /* after the last '|': nothing */
	return out;
}

static void table_row(GString *s, const char *line, gboolean head)
{
	g_autoptr(GPtrArray) c = cells(line);
	const char *last = c->len ? g_ptr_array_index(c, c->len - 1) : "";
	gboolean bad = !head && strcmp(last, "**NO**") == 0;
	g_string_append(s, bad ? "<tr class=\"mismatch\">" : "<tr>");
	for (guint i = 0; i < c->len; i++) {
		const char *v = g_ptr_array_index(c, i);
		if (bad && i + 1 == c->len)
			v = "NO";
		g_string_append(s, head ? "<th>" : "<td>");
		esc_n(s, v, strlen(v));
		g_string_append(s, head ? "</th>" : "</td>");
	}
	g_string_append(s, "</tr>\n");
}

/* One report: its title, its tables, and its other lines as preformatted text. */
static void report(GString *s, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean in_table = FALSE, in_pre = FALSE;
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		gboolean row = l[0] == '|';
		if (in_table && !row) {
			g_string_append(s, "</table>\n");
			in_table = FALSE;
		}
		if (in_pre && (row || g_str_has_prefix(l, "# ") || !l[0])) {
			g_string_append(s, "</pre>\n");
			in_pre = FALSE;
		}
		if (g_str_has_prefix(l, "# ")) {
			g_string_append(s, "<h2>");
			esc_n(s, l + 2, strlen(l + 2));
			g_string_append(s, "</h2>\n");
		} else if (row && g_str_has_prefix(l, "|---")) {
			continue;
		} else if (row) {
			if (!in_table)
				g_string_append(s, "<table>\n");
			table_row(s, l, !in_table);
			in_table = TRUE;
		} else if (l[0]) {
			if (!in_pre)
				g_string_append(s, "<pre>");
			else
				g_string_append_c(s, '\n');
			esc_n(s, l, strlen(l));
			in_pre = TRUE;
		}
	}
	if (in_table)
		g_string_append(s, "</table>\n");
	if (in_pre)
		g_string_append(s, "</pre>\n");
}

void sim_xcheck_html_write(GString *s, char *const *reports, guint n)
{
	g_string_append_printf(s,
			       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			       "<title>msgsim crosscheck</title>\n<style>%s</style>\n</head>\n"
			       "<body>\n<h1>The model and the Linux kernel, call by call</h1>\n",
			       STYLE);
	for (guint i = 0; i < n; i++)
		report(s, reports[i]);
	g_string_append(s, "</body>\n</html>\n");
}

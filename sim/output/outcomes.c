/* outcomes.c — the outcome set of `msgsim explore` as one self-contained HTML page
 * (outcomes.h).
 *
 * The design choice to know: the table, the expectations and the verdict are written as
 * plain HTML, so the page reads and prints without a script; the script
 * (sim/output/outcomes/outcomes.js, built in by embed.sh as the run report's is) only opens
 * a witness's run, which is the run report (html.c) of the replayed witness, kept here as a
 * JSON string and shown in a frame of its own.
 */
#include "msgsim/output/outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgsim/engine/sched.h"
#include "msgsim/output/pictures.h"
#include "msgsim/output/report.h"

#include "outcomes_assets.inc" /* html_outcomes_css, html_outcomes_js: made by the Makefile */

/* Appends text with &, <, > and " escaped for HTML. */
static void esc(GString *s, const char *text)
{
	for (const char *c = text ? text : ""; *c; c++) {
		if (*c == '&')
			g_string_append(s, "&amp;");
		else if (*c == '<')
			g_string_append(s, "&lt;");
		else if (*c == '>')
			g_string_append(s, "&gt;");
		else if (*c == '"')
			g_string_append(s, "&quot;");
		else
			g_string_append_c(s, *c);
	}
}

/* The run report (--format html) of scn replayed by the schedule witness, or NULL when the
 * witness does not replay. */
static char *witness_page(const SimScenario *scn, const char *witness)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimSchedule) sched = sim_schedule_parse(scn, witness, &error);
	if (!sched)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return NULL;
	gboolean ok;
	{
		g_autoptr(SimTrace) tr = sim_trace_new();
		SimTimeline *tl = sim_picture_add_sink(tr, sim_picture_by_name("html"), mem, FALSE);
		for (guint i = 0; i < scn->n_mboxes; i++)
			if (scn->mboxes[i].capacity >= 0)
				sim_timeline_set_limit(tl, scn->mboxes[i].name, scn->mboxes[i].capacity);
		SimWorldOptions wo = { .trace = tr };
		sim_schedule_options(sched, &wo);
		g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
		SimTraceEvent head = { .kind = SIM_TR_HEADER,
				       .text = scn->file,
				       .op = sim_sched_policy_name(scn->policy),
				       .value = (gint64)sim_world_seed(w) };
		sim_trace_emit(tr, &head);
		ok = sim_schedule_run(sched, w, &error);
		sim_report_finish(w, tr);
		sim_trace_flush(tr);
	}
	fclose(mem);
	if (!ok) {
		free(buf);
		return NULL;
	}
	char *page = g_strdup(buf);
	free(buf);
	return page;
}

/* The witnesses' run reports, as one JSON array of strings (null where there is none). */
static void pages(GString *s, const SimScenario *scn, const SimExploreResult *r)
{
	g_string_append(s, "<script id=\"msgsim-witnesses\" type=\"application/json\">\n[");
	for (guint i = 0; i < r->outcomes->len && i < SIM_OUTCOMES_MAX_PAGES; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		g_autofree char *page = witness_page(scn, oc->witness);
		g_string_append(s, i ? ",\n" : "\n");
		if (page) {
			g_string_append_c(s, '"');
			sim_timeline_json_escape(s, page);
			g_string_append_c(s, '"');
		} else {
			g_string_append(s, "null");
		}
	}
	g_string_append(s, "\n]\n</script>\n");
}

static void outcome_rows(GString *s, const SimExploreResult *r)
{
	g_string_append(s, "<table id=\"outcomes\">\n<thead><tr><th>#</th><th>executions</th>"
			   "<th>outcome</th><th>witness (msgsim run --schedule)</th></tr></thead>"
			   "\n<tbody>\n");
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		g_string_append_printf(s,
				       "<tr class=\"outcome%s\" data-i=\"%u\" id=\"o%016" G_GINT64_MODIFIER
				       "x\"><td>%u</td><td class=\"count\">%" G_GUINT64_FORMAT
				       "</td><td><pre>",
				       oc->deadlock ? " deadlock" : "", i, oc->hash, i + 1, oc->count);
		esc(s, oc->text);
		g_string_append(s, "</pre></td><td><code>");
		esc(s, oc->witness);
		g_string_append(s, "</code></td></tr>\n");
	}
	g_string_append(s, "</tbody>\n</table>\n");
}

static void expectation_rows(GString *s, const SimScenario *scn, const SimExploreResult *r,
			     SimWorld *names)
{
	if (!scn->n_expects)
		return;
	g_autoptr(GString) said = g_string_new(NULL);
	g_string_append(s, "<h2>Expectations over all schedules</h2>\n<ul id=\"expects\">\n");
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		const SimExpectTally *t = &r->tallies[i];
		if (e->mode == SIM_EXPECT_RUN) /* one schedule's: explore says nothing of it */
			continue;
		gboolean holds = sim_explore_expect_holds(r, scn, i);
		g_string_truncate(said, 0);
		sim_report_describe(names, e, said);
		g_string_append_printf(s, "<li class=\"%s\">line %u: %s", holds ? "pass" : "fail",
				       e->loc.line,
				       sim_report_mode_note(e));
		esc(s, said->str);
		g_string_append_printf(s, ": <b>%s</b>", holds ? "holds" : "FAILS");
		if (e->kind == SIM_EXPECT_OUTCOMES) /* over the set, not per execution */
			g_string_append_printf(s, " (%u found)", r->outcomes->len);
		else
			g_string_append_printf(s, " (held in %" G_GUINT64_FORMAT
						  ", failed in %" G_GUINT64_FORMAT ")",
					       t->held, t->failed);
		/* The witness that says most: a failure of an always, a success of a possible. */
		const char *wit = e->mode == SIM_EXPECT_POSSIBLE ? t->held_witness
								 : t->failed_witness;
		if (wit && e->kind != SIM_EXPECT_OUTCOMES) {
			g_string_append(s, "; witness <code>");
			esc(s, wit);
			g_string_append(s, "</code>");
		}
		g_string_append(s, "</li>\n");
	}
	g_string_append(s, "</ul>\n");
}

void sim_outcomes_html_write(GString *s, const SimScenario *scn, const SimExploreResult *r,
			     SimWorld *names, int status)
{
	g_string_append(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<title>msgsim explore: ");
	esc(s, scn->file);
	g_string_append(s, "</title>\n<style>\n");
	g_string_append(s, (const char *)html_outcomes_css);
	g_string_append(s, "</style>\n</head>\n<body>\n<h1>Every schedule of ");
	esc(s, scn->file);
	g_string_append_printf(s,
			       "</h1>\n<p id=\"summary\">%u outcome%s from %" G_GUINT64_FORMAT
			       " execution%s; %s; exit status %d.",
			       r->outcomes->len, r->outcomes->len == 1 ? "" : "s",
			       r->stats.executions, r->stats.executions == 1 ? "" : "s",
			       r->complete ? "complete: every schedule is covered"
					   : "INCOMPLETE: outcomes may be missing",
			       status);
	if (r->cut_by) {
		g_string_append(s, " Cut by ");
		esc(s, r->cut_by);
		g_string_append_c(s, '.');
	}
	g_string_append_printf(s, " Click an outcome to see its witness's run%s.</p>\n",
			       r->outcomes->len > SIM_OUTCOMES_MAX_PAGES
				       ? " (the first " G_STRINGIFY(SIM_OUTCOMES_MAX_PAGES) " have one)"
				       : "");
	expectation_rows(s, scn, r, names);
	g_string_append(s, "<h2>Outcomes</h2>\n");
	outcome_rows(s, r);
	g_string_append(s, "<div id=\"witness\"></div>\n");
	pages(s, scn, r);
	g_string_append(s, "<script>\n");
	g_string_append(s, (const char *)html_outcomes_js);
	g_string_append(s, "</script>\n</body>\n</html>\n");
}

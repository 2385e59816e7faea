/* cli_explore.c — `msgsim explore FILE` and `msgsim run --schedule WITNESS`.
 *
 * The design choice to know: this file only reads options, calls the explorer
 * (explore/explore.h) and writes what it found; the verdict follows run's rules where they
 * carry over (3 for a deadlock nobody expected, 1 for an expectation that fails, 2 for bad
 * usage). A failure is shown with its witness replayed as a full trace, so that the
 * student sees the schedule that breaks the claim, not only its name.
 */
#include "cli_explore.h"
#include "cli_exec.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msgsim/explore/explore.h"
#include "msgsim/output/outcomes.h"
#include "msgsim/output/report.h"
#include "msgsim/output/trace.h"
#include "msgsim/engine/sched.h"

static char *opt_timing = NULL;
static char *opt_format = NULL;
static char *opt_max_time = NULL;
static gint64 opt_max_executions = -1; /* -1: not given */
static gint opt_max_depth = -1;
static gboolean opt_no_reduction = FALSE;
static gboolean opt_stateful = FALSE;	 /* the default: asking for it changes the notes */
static gboolean opt_stateless = FALSE;	 /* DPOR alone */
static gboolean opt_no_symmetry = FALSE;
static char *opt_dpor = NULL; /* --dpor: optimal (default) or source */
static gboolean opt_no_ample = FALSE;
static char **opt_defines = NULL; /* -D NAME=VALUE, as run takes them */
static char *opt_output = NULL;	  /* -o FILE: where --format html goes */
static char *opt_find = NULL;	  /* --find FILE: the one outcome to look for */

static GOptionEntry explore_entries[] = {
	{ "timing", 0, 0, G_OPTION_ARG_STRING, &opt_timing,
	  "any (default: compute, sleep, starts and timeouts take any time) or strict (the "
	  "simulated clock decides; only random and kernel choices vary)",
	  "any|strict" },
	{ "max-executions", 0, 0, G_OPTION_ARG_INT64, &opt_max_executions,
	  "Stop after N executions (N >= 1; default: no bound)", "N" },
	{ "max-time", 0, 0, G_OPTION_ARG_STRING, &opt_max_time,
	  "Stop after TIME of wall-clock time (e.g. 10s, 500ms; default: no bound)", "TIME" },
	{ "max-depth", 0, 0, G_OPTION_ARG_INT, &opt_max_depth,
	  "Cut an execution after N steps (N >= 1, default 10000); a step that only one process "
	  "could make counts 1/16", "N" },
	{ "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
	  "text (default), json (one JSON object, the last line) or html (one self-contained "
	  "page: the outcomes, their witnesses' runs, the expectations)",
	  "FORMAT" },
	{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
	  "Write the --format html page to FILE (default: standard output)", "FILE" },
	{ "stateful", 0, 0, G_OPTION_ARG_NONE, &opt_stateful,
	  "The default: walk the states, pruning those seen before (outcome counts then count "
	  "executions up to a state seen before); where the walk does not apply, DPOR runs, "
	  "and with this option the output says why",
	  NULL },
	{ "stateless", 0, 0, G_OPTION_ARG_NONE, &opt_stateless,
	  "DPOR alone: reduce the orders of independent calls, keep no states (counts every "
	  "execution of each class; may not finish where the stateful walk does)",
	  NULL },
	{ "no-reduction", 0, 0, G_OPTION_ARG_NONE, &opt_no_reduction,
	  "Run every interleaving, without partial-order reduction or states (to measure them)",
	  NULL },
	{ "dpor", 0, 0, G_OPTION_ARG_STRING, &opt_dpor,
	  "DPOR alone (unless --stateful), with this reduction: optimal (wake-up trees, one "
	  "execution per class of equivalent orders) or source (source sets and sleep sets "
	  "only, the older reduction; to compare)",
	  "optimal|source" },
	{ "no-symmetry", 0, 0, G_OPTION_ARG_NONE, &opt_no_symmetry,
	  "In the stateful walk: tell interchangeable replicas apart (no symmetry reduction; "
	  "to measure it, or to check it)",
	  NULL },
	{ "no-ample", 0, 0, G_OPTION_ARG_NONE, &opt_no_ample,
	  "In the stateful walk: try every process at every state, also where one step alone "
	  "would do (no persistent sets; to measure them, or to check them)",
	  NULL },
	{ "find", 0, 0, G_OPTION_ARG_FILENAME, &opt_find,
	  "Look for one outcome only, given as explore prints it (its lines; the header and "
	  "witness lines may stay) in FILE, or - for standard input: the search follows only "
	  "the schedules along which each process gets the results it lists. Exit 0 with a "
	  "witness and its trace when a schedule reaches it, 1 when none does, 3 when a bound "
	  "stopped the search first",
	  "FILE" },
	{ "define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &opt_defines,
	  "Set the scenario's parameter NAME to VALUE (param NAME = ...), as for run; may be "
	  "repeated",
	  "NAME=VALUE" },
	G_OPTION_ENTRY_NULL,
};

/* ---- Options ---- */

static gboolean read_options(int *argc, char ***argv, SimExploreOptions *o, gboolean *json)
{
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("FILE - every schedule of a scenario: its outcome set");
	g_set_prgname("msgsim explore");
	g_option_context_add_main_entries(ctx, explore_entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "msgsim explore: %s (try 'msgsim explore --help')\n",
			error->message);
		return FALSE;
	}
	const char *bad = NULL, *want = NULL;
	SimTime wall = 0;
	if (opt_timing && strcmp(opt_timing, "any") != 0 && strcmp(opt_timing, "strict") != 0)
		bad = "--timing", want = "any or strict";
	else if (opt_format && strcmp(opt_format, "text") != 0 && strcmp(opt_format, "json") != 0 &&
		 strcmp(opt_format, "html") != 0)
		bad = "--format", want = "text, json or html";
	else if (opt_output && !(opt_format && strcmp(opt_format, "html") == 0))
		bad = "-o", want = "--format html with it: the text and JSON go to standard output";
	else if (opt_dpor && strcmp(opt_dpor, "optimal") != 0 && strcmp(opt_dpor, "source") != 0)
		bad = "--dpor", want = "optimal or source";
	else if (opt_find && opt_format && strcmp(opt_format, "html") == 0)
		bad = "--format", want = "text or json with --find";
	else if (opt_stateful && opt_stateless)
		bad = "--stateless", want = "one of --stateful and --stateless, not both";
	else if (opt_max_executions == 0 || opt_max_executions < -1)
		bad = "--max-executions", want = "a whole number of at least 1";
	else if (opt_max_depth == 0 || opt_max_depth < -1)
		bad = "--max-depth", want = "a whole number of at least 1";
	else if (opt_max_time && (!sim_time_parse(opt_max_time, &wall) || wall == 0))
		bad = "--max-time", want = "a time like 10s or 500ms";
	if (bad) {
		fprintf(stderr, "msgsim explore: bad %s (expected %s)\n", bad, want);
		return FALSE;
	}
	o->timing = opt_timing && strcmp(opt_timing, "strict") == 0 ? SIM_TIMING_STRICT
								    : SIM_TIMING_ANY;
	o->max_executions = opt_max_executions > 0 ? (guint64)opt_max_executions : 0;
	o->max_depth = opt_max_depth > 0 ? (guint)opt_max_depth : 0;
	o->max_seconds = (double)wall / 1e9;
	o->no_reduction = opt_no_reduction;
	/* The stateful walk unless DPOR alone is asked for, by name or by one of its own
	 * options (it falls back to DPOR by itself where it does not apply). */
	o->stateful = opt_stateful || !(opt_stateless || opt_no_reduction || opt_dpor);
	o->no_symmetry = opt_no_symmetry;
	o->dpor_source = opt_dpor && strcmp(opt_dpor, "source") == 0;
	o->no_ample = opt_no_ample;
	*json = opt_format && strcmp(opt_format, "json") == 0;
	return TRUE;
}

/* ---- Progress ---- */

static gboolean progress_shown = FALSE;

gboolean sim_cli_explore_progress_shown(void)
{
	return progress_shown;
}

void sim_cli_explore_progress(void *data, const SimExploreStats *st)
{
	(void)data;
	gboolean tty = isatty(STDERR_FILENO);
	double rate = st->seconds > 0 ? (double)st->calls / st->seconds : 0;
	fprintf(stderr,
		"%sexplore: %" G_GUINT64_FORMAT " executions, %" G_GUINT64_FORMAT
		" states, %.0f calls/s, depth %u, %.0f s%s",
		tty ? "\r" : "", st->executions, st->states, rate, st->max_depth_seen, st->seconds,
		tty ? "   " : "\n");
	progress_shown = tty;
}

/* ---- Replaying a witness with its trace ---- */

/* Runs scn by schedule text, its whole trace (and report) on out. */
static void show_trace(const SimScenario *scn, const char *text, FILE *out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimSchedule) s = sim_schedule_parse(scn, text, &error);
	if (!s)
		return;
	g_autoptr(SimTrace) tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, out, FALSE, FALSE);
	SimWorldOptions wo = { .trace = tr };
	sim_schedule_options(s, &wo);
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	SimTraceEvent head = { .kind = SIM_TR_HEADER,
			       .text = scn->file,
			       .op = sim_sched_policy_name(scn->policy),
			       .value = (gint64)sim_world_seed(w) };
	sim_trace_emit(tr, &head);
	if (!sim_schedule_run(s, w, &error))
		fprintf(out, "(the witness did not replay: %s)\n", error->message);
	sim_report_finish(w, tr);
	sim_trace_flush(tr);
}

/* ---- Text ---- */

static const char *bound_note(const SimExploreResult *r)
{
	if (r->cut_by && strcmp(r->cut_by, "--max-executions") == 0)
		return "--max-executions stopped the search: the executions left were not run, so "
		       "outcomes may be missing";
	if (r->cut_by && strcmp(r->cut_by, "--max-time") == 0)
		return "--max-time stopped the search: the executions left were not run, so "
		       "outcomes may be missing";
	return r->cut_by;
}

void sim_cli_explore_print_outcomes(const SimExploreResult *r)
{
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		printf("\noutcome %u of %u (%016" G_GINT64_MODIFIER "x): %" G_GUINT64_FORMAT
		       " execution%s%s\n",
		       i + 1, r->outcomes->len, oc->hash, oc->count, oc->count == 1 ? "" : "s",
		       oc->deadlock ? ", deadlock" : "");
		g_auto(GStrv) lines = g_strsplit(oc->text, "\n", -1);
		for (guint k = 0; lines[k] && lines[k][0]; k++)
			printf("  %s\n", lines[k]);
		printf("  witness: %s\n", oc->witness);
	}
}

static const char *expect_witness(const SimExploreResult *r, const SimScnExpect *e, guint i,
				  gboolean holds)
{
	const SimExpectTally *t = &r->tallies[i];
	if (e->kind == SIM_EXPECT_OUTCOMES)
		return NULL;
	if (e->mode == SIM_EXPECT_RUN)
		return NULL;
	if (e->mode == SIM_EXPECT_POSSIBLE)
		return holds ? t->held_witness : NULL;
	return holds ? NULL : t->failed_witness;
}

/* One line per expectation; returns the index of the first that fails, or -1. */
static int print_expectations(const SimScenario *scn, const SimExploreResult *r, SimWorld *names)
{
	int first_failed = -1;
	g_autoptr(GString) said = g_string_new(NULL);
	if (scn->n_expects)
		printf("\nexpectations over all schedules:\n");
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		gboolean holds = sim_explore_expect_holds(r, scn, i);
		g_string_truncate(said, 0);
		sim_report_describe(names, e, said);
		const SimExpectTally *t = &r->tallies[i];
		if (e->mode == SIM_EXPECT_RUN) {
			printf("  line %u: run %s: left out (one schedule's; msgsim run checks it)\n",
			       e->loc.line, said->str);
			continue;
		}
		printf("  line %u: %s%s: %s", e->loc.line, sim_report_mode_note(e), said->str,
		       holds ? "holds" : "FAILS");
		if (e->kind == SIM_EXPECT_OUTCOMES)
			printf(" (%u found%s)", r->outcomes->len,
			       r->complete ? "" : ", search incomplete");
		else if (e->mode == SIM_EXPECT_POSSIBLE)
			printf(" (in %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " executions%s)",
			       t->held, r->stats.executions,
			       !holds && !r->complete ? ", search incomplete" : "");
		else if (!holds)
			printf(" (in %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " executions)",
			       t->failed, r->stats.executions);
		const char *wit = expect_witness(r, e, i, holds);
		printf("%s%s\n", wit ? "; witness: " : "", wit ? wit : "");
		if (!holds && first_failed < 0)
			first_failed = (int)i;
	}
	return first_failed;
}

static const SimOutcome *first_deadlock(const SimExploreResult *r)
{
	const SimOutcome *best = NULL;
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (oc->deadlock && (!best || oc->length < best->length))
			best = oc;
	}
	return best;
}

static gboolean deadlock_expected(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_expects; i++)
		if (scn->expects[i].kind == SIM_EXPECT_DEADLOCK)
			return TRUE;
	return FALSE;
}

/* The exit status, in run's precedence: 3 a guard rail stopped an execution, 1 an
 * expectation fails, 3 an unexpected deadlock is reachable, 0 otherwise. */
static int status_of(const SimScenario *scn, const SimExploreResult *r)
{
	if (r->rail_stops)
		return SIM_EXIT_STUCK;
	for (guint i = 0; i < scn->n_expects; i++)
		if (!sim_explore_expect_holds(r, scn, i))
			return SIM_EXIT_EXPECT_FAILED;
	if (r->deadlocks && !deadlock_expected(scn))
		return SIM_EXIT_STUCK;
	return SIM_EXIT_OK;
}

void sim_cli_explore_print_counts(const SimExploreResult *r)
{
	const SimExploreStats *s = &r->stats;
	printf("%u outcome%s from %" G_GUINT64_FORMAT " execution%s (%" G_GUINT64_FORMAT
	       " given up as covered by others), %" G_GUINT64_FORMAT " states, %" G_GUINT64_FORMAT
	       " calls, longest %u steps, %.3f s\n",
	       r->outcomes->len, r->outcomes->len == 1 ? "" : "s", s->executions,
	       s->executions == 1 ? "" : "s", s->redundant, s->states, s->calls, s->max_depth_seen,
	       s->seconds);
}

void sim_cli_explore_print_bounds(const SimExploreResult *r, guint max_depth)
{
	const SimExploreStats *s = &r->stats;
	if (r->cut_by)
		printf("bound: %s\n", bound_note(r));
	if (s->depth_cut) {
		guint depth = max_depth ? max_depth : SIM_EXPLORE_DEFAULT_DEPTH;
		printf("bound: --max-depth cut %" G_GUINT64_FORMAT " execution%s at %u step%s; "
		       "their outcomes are not counted\n",
		       s->depth_cut, s->depth_cut == 1 ? "" : "s", depth, depth == 1 ? "" : "s");
	}
}

static void print_text(const SimScenario *scn, const SimExploreOptions *o,
		       const SimExploreResult *r, SimWorld *names, int status)
{
	const SimExploreStats *s = &r->stats;
	printf("explore %s: timing %s%s, %s\n", scn->file,
	       o->timing == SIM_TIMING_STRICT ? "strict" : "any",
	       o->no_reduction ? ", no reduction" : "",
	       r->complete ? "complete: every schedule is covered" : "INCOMPLETE");
	sim_cli_explore_print_counts(r);
	if (o->stateful && r->stateful)
		printf("stateful: %" G_GUINT64_FORMAT " executions met a state explored before\n",
		       s->merged);
	else if (opt_stateful && o->timing == SIM_TIMING_STRICT)
		printf("stateful: not used with --timing strict (the clock decides, and the state "
		       "digest leaves it out)\n");
	else if (opt_stateful) /* by default, DPOR's output is its own note */
		printf("stateful: not used here (the scenario holds objects or expectations the "
		       "state digest does not cover); reduced with DPOR instead\n");
	if (r->symmetric)
		printf("symmetry: %u processes are interchangeable replicas; a state stands for "
		       "its permutations, and the outcomes for theirs\n",
		       r->symmetric);
	sim_cli_explore_print_bounds(r, o->max_depth);
	/* The stateful walk finishes most searches a bound cuts with DPOR alone (every shipped
	 * textbook, SysV, POSIX and pipe scenario within seconds): say so where DPOR alone was
	 * asked for and the walk would have applied. */
	if (r->cut_by && !o->stateful && !o->no_reduction && o->timing == SIM_TIMING_ANY)
		printf("hint: this was DPOR alone; the stateful walk (the default, without "
		       "--stateless or --dpor) prunes the states met before, and finishes many "
		       "searches that are cut without it\n");
	sim_cli_explore_print_outcomes(r);
	int failed = print_expectations(scn, r, names);
	const SimOutcome *dl = first_deadlock(r);
	(void)status;
	/* Both, when both happen: the status says one, the text shows the other too. */
	if (dl && !deadlock_expected(scn)) {
		printf("\nunexpected deadlock: reachable in %" G_GUINT64_FORMAT
		       " executions; witness: %s\n",
		       r->deadlocks, dl->witness);
		printf("replay it: msgsim run %s --schedule '%s'\n", scn->file, dl->witness);
	}
	if (failed >= 0) {
		const char *wit = r->tallies[failed].failed_witness;
		if (wit) {
			printf("\nthe first failing expectation (line %u) fails in this execution, "
			       "witness %s:\n\n",
			       scn->expects[failed].loc.line, wit);
			fflush(stdout);
			show_trace(scn, wit, stdout);
		}
	}
	if (r->rail_stops)
		printf("\n%" G_GUINT64_FORMAT " executions were stopped by a guard rail (see "
		       "their outcomes' \"stopped:\" line)\n",
		       r->rail_stops);
	printf("\nresult: exit status %d\n", status);
}

/* ---- JSON ---- */

void sim_cli_json_str(GString *s, const char *text)
{
	g_string_append_c(s, '"');
	for (const guchar *p = (const guchar *)(text ? text : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(s, "\\%c", *p);
		else if (*p == '\n')
			g_string_append(s, "\\n");
		else if (*p < 0x20)
			g_string_append_printf(s, "\\u%04x", *p);
		else
			g_string_append_c(s, (char)*p);
	}
	g_string_append_c(s, '"');
}

static void json_expectations(GString *s, const SimScenario *scn, const SimExploreResult *r,
			      SimWorld *names)
{
	g_autoptr(GString) said = g_string_new(NULL);
	g_string_append(s, ",\"expectations\":[");
	guint shown = 0;
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		if (e->mode == SIM_EXPECT_RUN) /* one schedule's: explore says nothing of it */
			continue;
		gboolean holds = sim_explore_expect_holds(r, scn, i);
		g_string_truncate(said, 0);
		sim_report_describe(names, e, said);
		g_string_append_printf(s, "%s{\"line\":%u,\"expect\":", shown++ ? "," : "",
				       e->loc.line);
		sim_cli_json_str(s, said->str);
		g_string_append_printf(s, ",\"holds\":%s", holds ? "true" : "false");
		const char *wit = expect_witness(r, e, i, holds);
		if (wit) {
			g_string_append(s, ",\"witness\":");
			sim_cli_json_str(s, wit);
		}
		g_string_append_c(s, '}');
	}
	g_string_append_c(s, ']');
}

void sim_cli_explore_json_result(GString *s, const SimExploreResult *r)
{
	const SimExploreStats *st = &r->stats;
	g_string_append_printf(
		s,
		",\"complete\":%s,\"executions\":%" G_GUINT64_FORMAT
		",\"redundant\":%" G_GUINT64_FORMAT ",\"states\":%" G_GUINT64_FORMAT
		",\"calls\":%" G_GUINT64_FORMAT ",\"depth_cut\":%" G_GUINT64_FORMAT
		",\"merged\":%" G_GUINT64_FORMAT ",\"symmetric\":%u,\"outcomes\":%u"
		",\"seconds\":%.6f,\"alone\":%" G_GUINT64_FORMAT ",\"widened\":%" G_GUINT64_FORMAT
		",\"bound\":",
		r->complete ? "true" : "false", st->executions, st->redundant, st->states,
		st->calls, st->depth_cut, st->merged, r->symmetric, r->outcomes->len, st->seconds,
		st->alone, st->widened);
	if (r->cut_by)
		sim_cli_json_str(s, r->cut_by);
	else
		g_string_append(s, st->depth_cut ? "\"--max-depth\"" : "null");
	g_string_append(s, ",\"outcome_set\":[");
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		g_string_append_printf(s,
				       "%s{\"id\":\"%016" G_GINT64_MODIFIER
				       "x\",\"count\":%" G_GUINT64_FORMAT ",\"deadlock\":%s,"
				       "\"witness\":",
				       i ? "," : "", oc->hash, oc->count,
				       oc->deadlock ? "true" : "false");
		sim_cli_json_str(s, oc->witness);
		g_string_append(s, ",\"text\":");
		sim_cli_json_str(s, oc->text);
		g_string_append_c(s, '}');
	}
	g_string_append_c(s, ']');
}

static void print_json(const SimScenario *scn, const SimExploreOptions *o,
		       const SimExploreResult *r, SimWorld *names, int status)
{
	g_autoptr(GString) s = g_string_new("{\"file\":");
	sim_cli_json_str(s, scn->file);
	g_string_append_printf(s, ",\"timing\":\"%s\",\"stateful\":%s",
			       o->timing == SIM_TIMING_STRICT ? "strict" : "any",
			       r->stateful ? "true" : "false");
	sim_cli_explore_json_result(s, r);
	json_expectations(s, scn, r, names);
	g_string_append_printf(s, ",\"exit\":%d}\n", status);
	fputs(s->str, stdout);
}

/* ---- HTML (outcomes.h) ---- */

/* Writes the outcome set page to -o FILE or standard output; FALSE when it cannot. */
static gboolean write_html(const SimScenario *scn, const SimExploreResult *r, SimWorld *names,
			   int status)
{
	g_autoptr(GString) s = g_string_new(NULL);
	sim_outcomes_html_write(s, scn, r, names, status);
	if (!opt_output || strcmp(opt_output, "-") == 0) {
		fputs(s->str, stdout);
		return TRUE;
	}
	g_autoptr(GError) error = NULL;
	if (!g_file_set_contents(opt_output, s->str, (gssize)s->len, &error)) {
		fprintf(stderr, "msgsim explore: cannot write '%s': %s\n", opt_output,
			error->message);
		return FALSE;
	}
	return TRUE;
}

/* ---- --find: one outcome ---- */

/* FILE's text (- : standard input), or NULL with the reason said. */
static char *read_find_file(const char *file)
{
	g_autoptr(GError) error = NULL;
	char *text = NULL;
	if (strcmp(file, "-") == 0) {
		g_autoptr(GString) s = g_string_new(NULL);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(s, buf, (gssize)n);
		text = g_string_free(g_steal_pointer(&s), FALSE);
	} else if (!g_file_get_contents(file, &text, NULL, &error)) {
		fprintf(stderr, "msgsim explore: --find: %s\n", error->message);
		return NULL;
	}
	return text;
}

/* Whether each line of the outcome in file (its text: printed) that names a process names
 * one of scn's; says where one does not. */
static gboolean find_names_known(const char *file, const char *printed, SimWorld *w,
				 const SimScenario *scn)
{
	g_auto(GStrv) lines = g_strsplit(printed, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autofree char *l = sim_outcome_from_printed(lines[i]);
		const char *sep = strstr(l, ": ");
		if (!*l || !sep || memchr(l, ' ', (gsize)(sep - l)) ||
		    g_str_has_prefix(l, "stopped: "))
			continue; /* an object's line ("mailbox m: ..."), the end's, a witness */
		gboolean known = FALSE;
		for (guint k = 0; k < sim_world_n_tasks(w) && !known; k++) {
			const char *name = sim_world_task(w, k)->name;
			known = strlen(name) == (gsize)(sep - l) &&
				strncmp(name, l, (gsize)(sep - l)) == 0;
		}
		if (!known) {
			guint col = (guint)strspn(lines[i], " \t") + 1;
			fprintf(stderr,
				"%s:%u:%u: error: '%.*s' is no process of %s (expected the lines "
				"msgsim explore prints for one outcome: NAME: results)\n",
				strcmp(file, "-") == 0 ? "<stdin>" : file, i + 1,
				col, (int)(sep - l), l,
				scn->file);
			return FALSE;
		}
	}
	return TRUE;
}

/* The search for one outcome (o->target) said: found with its witness and trace, or not. */
static int print_find(const SimScenario *scn, const SimExploreOptions *o,
		      const SimExploreResult *r, gboolean json)
{
	const SimOutcome *hit = NULL;
	for (guint i = 0; r->found && i < r->outcomes->len && !hit; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (strcmp(oc->text, o->target) == 0)
			hit = oc;
	}
	int status = hit ? SIM_EXIT_OK : r->complete ? SIM_EXIT_EXPECT_FAILED : SIM_EXIT_STUCK;
	if (json) {
		g_autoptr(GString) s = g_string_new("{\"file\":");
		sim_cli_json_str(s, scn->file);
		g_string_append_printf(s, ",\"timing\":\"%s\",\"stateful\":%s,\"find\":true,"
				       "\"found\":%s,\"off_target\":%" G_GUINT64_FORMAT ",\"witness\":",
				       o->timing == SIM_TIMING_STRICT ? "strict" : "any",
				       r->stateful ? "true" : "false", hit ? "true" : "false",
				       r->stats.off_target);
		if (hit)
			sim_cli_json_str(s, hit->witness);
		else
			g_string_append(s, "null");
		sim_cli_explore_json_result(s, r);
		g_string_append_printf(s, ",\"exit\":%d}\n", status);
		fputs(s->str, stdout);
		return status;
	}
	printf("explore %s: timing %s, looking for one outcome\n", scn->file,
	       o->timing == SIM_TIMING_STRICT ? "strict" : "any");
	sim_cli_explore_print_counts(r);
	printf("%" G_GUINT64_FORMAT " executions given up as soon as a process's results left "
	       "the outcome's\n",
	       r->stats.off_target);
	if (hit) {
		printf("found: witness %s\nreplay it: msgsim run %s --schedule '%s'\n\n",
		       hit->witness, scn->file, hit->witness);
		fflush(stdout);
		show_trace(scn, hit->witness, stdout);
	} else if (r->complete) {
		printf("not found: no schedule reaches this outcome (the search covered every "
		       "schedule along which the processes get the results it lists)\n");
	} else {
		sim_cli_explore_print_bounds(r, o->max_depth);
		printf("not found within the bounds: whether a schedule reaches it is unknown\n");
	}
	printf("\nresult: exit status %d\n", status);
	return status;
}

/* ---- The command ---- */

int sim_cli_explore(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--exec") == 0) /* real programs: sim/cli_exec_explore.c */
			return sim_cli_exec_explore(argc, argv, i);
	SimExploreOptions o = { 0 };
	gboolean json = FALSE;
	if (!read_options(&argc, &argv, &o, &json))
		return SIM_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr,
			"msgsim explore: expected one scenario file, got %d (try 'msgsim explore "
			"--help')\n",
			argc - 1);
		return SIM_EXIT_USAGE;
	}
	g_autoptr(GError) error = NULL;
	SimScnOptions lo = { .defines = (const char *const *)opt_defines };
	g_autoptr(SimScenario) scn = sim_scn_load_with(argv[1], &lo, &error);
	g_clear_pointer(&opt_defines, g_strfreev);
	if (!scn) {
		fprintf(stderr, "%s%s\n",
			strstr(error->message, ": error: ") ? "" : "msgsim: error: ",
			error->message);
		return SIM_EXIT_USAGE;
	}
	g_autofree char *target = NULL;
	if (opt_find) {
		g_autofree char *printed = read_find_file(opt_find);
		SimWorldOptions none = { 0 };
		g_autoptr(SimWorld) w = printed ? sim_world_new(scn, &none) : NULL;
		if (!printed || !find_names_known(opt_find, printed, w, scn))
			return SIM_EXIT_USAGE;
		target = sim_outcome_from_printed(printed);
		if (!*target) {
			fprintf(stderr, "msgsim explore: --find %s: no outcome in it (expected the "
					"lines msgsim explore prints for one outcome)\n",
				opt_find);
			return SIM_EXIT_USAGE;
		}
		o.target = target;
	}
	o.progress = sim_cli_explore_progress;
	SimExploreResult r;
	if (!sim_explore_run(scn, &o, &r, &error)) {
		fprintf(stderr, "msgsim explore: %s\n", error->message);
		return SIM_EXIT_USAGE;
	}
	if (progress_shown)
		fputc('\n', stderr);
	if (target) {
		int found = print_find(scn, &o, &r, json);
		sim_explore_result_clear(&r);
		return found;
	}
	SimWorldOptions none = { 0 };
	g_autoptr(SimWorld) names = sim_world_new(scn, &none); /* task and object names */
	int status = status_of(scn, &r);
	if (opt_format && strcmp(opt_format, "html") == 0) {
		if (!write_html(scn, &r, names, status))
			status = SIM_EXIT_USAGE;
	} else if (json)
		print_json(scn, &o, &r, names, status);
	else
		print_text(scn, &o, &r, names, status);
	sim_explore_result_clear(&r);
	return status;
}

/* ---- run --schedule ---- */

gboolean sim_cli_schedule_prepare(const SimScenario *scn, const char *text, SimWorldOptions *o,
				  void **handle)
{
	g_autoptr(GError) error = NULL;
	SimSchedule *s = sim_schedule_parse(scn, text, &error);
	if (!s) {
		fprintf(stderr, "msgsim run: bad --schedule: %s\n", error->message);
		return FALSE;
	}
	sim_schedule_options(s, o);
	*handle = s;
	return TRUE;
}

gboolean sim_cli_schedule_run(void *handle, SimWorld *w)
{
	g_autoptr(SimSchedule) s = handle;
	g_autoptr(GError) error = NULL;
	if (sim_schedule_run(s, w, &error))
		return TRUE;
	fflush(stdout);
	fprintf(stderr, "msgsim run: bad --schedule: %s\n", error->message);
	return FALSE;
}

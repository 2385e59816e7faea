/* cli_exec_explore.c — `msgsim explore --exec [options] -- PROG ARGS [--- PROG ARGS]...`.
 *
 * Reads exec's options and programs (cli_exec.c, with the bounds of explore added), runs
 * the search over the programs' schedules (exec/exec.h, sim/exec/search.c), and writes
 * what it found as `explore FILE` writes a scenario's: the same counts, bounds, outcomes
 * with witnesses and JSON summary (cli_explore.c's own printers). The one design choice to
 * know: the verdict is exec's expectations file judged on every execution, each line an
 * "always"; when one fails, its shortest witness is replayed with its full trace (the run
 * `msgsim exec --schedule WITNESS` prints), so the student sees the interleaving that
 * breaks the program.
 */
#include "cli_exec.h"
#include "cli_explore.h"

#include <stdio.h>
#include <string.h>

#include "msgsim/output/report.h"

static gint64 opt_max_executions = -1; /* -1: not given */
static gint opt_max_depth = -1;
static char *opt_max_time = NULL;
static gboolean opt_no_reduction = FALSE;

static const GOptionEntry bounds[] = {
	{ "max-executions", 0, 0, G_OPTION_ARG_INT64, &opt_max_executions,
	  "explore --exec: stop after N executions (N >= 1; default: no bound)", "N" },
	{ "max-time", 0, 0, G_OPTION_ARG_STRING, &opt_max_time,
	  "explore --exec: stop after TIME of wall-clock time (e.g. 10s, 500ms)", "TIME" },
	{ "max-depth", 0, 0, G_OPTION_ARG_INT, &opt_max_depth,
	  "explore --exec: cut an execution after N choice points (default 10000)", "N" },
	{ "no-reduction", 0, 0, G_OPTION_ARG_NONE, &opt_no_reduction,
	  "explore --exec: run every order of the choices, independent calls too (to compare "
	  "with the reduced search)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static int bad(const char *what)
{
	fprintf(stderr, "msgsim explore --exec: %s\n", what);
	return SIM_EXIT_USAGE;
}

/* The exit status, in explore's precedence: 2 an execution was refused, 3 a guard rail
 * stopped one, 1 an expectation fails, 3 an unexpected deadlock is reachable. */
static int status_of(const SimExecExploreResult *res)
{
	const SimExploreResult *r = &res->r;
	if (res->refusal)
		return SIM_EXIT_USAGE;
	if (r->rail_stops)
		return SIM_EXIT_STUCK;
	for (guint i = 0; i < r->n_tallies; i++)
		if (r->tallies[i].failed)
			return SIM_EXIT_EXPECT_FAILED;
	if (r->deadlocks && !res->expect_deadlock)
		return SIM_EXIT_STUCK;
	return SIM_EXIT_OK;
}

/* arg for a shell: as it is when nothing in it is special there, else quoted. */
static char *shell_word(const char *arg)
{
	for (const char *p = arg; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("_./,=+-:@%", *p))
			return g_shell_quote(arg);
	return *arg ? g_strdup(arg) : g_shell_quote(arg);
}

/* The command line that replays witness. */
static char *replay_command(char **const *progs, guint n, const SimExecOptions *opt,
			    const char *witness)
{
	g_autofree char *w = g_shell_quote(witness); /* '*' would glob */
	GString *s = g_string_new("msgsim exec");
	if (opt->expect_file) {
		g_autofree char *e = shell_word(opt->expect_file);
		g_string_append_printf(s, " --expect %s", e);
	}
	if (opt->input_file) {
		g_autofree char *in = shell_word(opt->input_file);
		g_string_append_printf(s, " --input %s", in);
	}
	g_string_append_printf(s, " --schedule %s --", w);
	for (guint i = 0; i < n; i++)
		for (char *const *a = progs[i]; *a; a++) {
			g_autofree char *q = shell_word(*a);
			g_string_append_printf(s, "%s %s", i && a == progs[i] ? " ---" : "", q);
		}
	return g_string_free(s, FALSE);
}

/* Replays witness with its whole trace (and the expectations' report) on standard output. */
static void show_trace(char **const *progs, guint n, const SimExecOptions *opt,
		       const char *witness)
{
	g_autoptr(GError) error = NULL;
	SimExecOptions o = *opt;
	if (!(o.chooser = sim_exec_schedule_parse(witness, &error)))
		return;
	fflush(stdout);
	SimExecStatus st;
	if (!sim_exec_run(progs, n, &o, stdout, &st, &error))
		printf("(the witness did not replay: %s)\n", error->message);
	sim_exec_chooser_free(o.chooser);
}

static void print_text(char **const *progs, guint n, const SimExecOptions *opt,
		       const SimExecExploreResult *res, const char *what, int status)
{
	const SimExploreResult *r = &res->r;
	printf("explore --exec %s%s: %s\n", what, opt_no_reduction ? " (no reduction)" : "",
	       r->complete ? "complete: every schedule is covered" : "INCOMPLETE");
	sim_cli_explore_print_counts(r);
	sim_cli_explore_print_bounds(r, opt_max_depth > 0 ? (guint)opt_max_depth : 0);
	if (res->refusal)
		printf("refused: %s\n", res->refusal);
	sim_cli_explore_print_outcomes(r);
	int failed = -1;
	if (r->n_tallies)
		printf("\nexpectations over all schedules:\n");
	for (guint i = 0; i < r->n_tallies; i++) {
		const SimExpectTally *t = &r->tallies[i];
		printf("  line %u: (always) %s: %s", res->expect_lines[i], res->expect_words[i],
		       t->failed ? "FAILS" : "holds");
		if (t->failed)
			printf(" (in %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
			       " executions); witness: %s",
			       t->failed, r->stats.executions, t->failed_witness);
		printf("\n");
		if (t->failed && failed < 0)
			failed = (int)i;
	}
	const SimOutcome *dl = NULL;
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (oc->deadlock && (!dl || oc->length < dl->length))
			dl = oc;
	}
	if (dl && !res->expect_deadlock) {
		g_autofree char *cmd = replay_command(progs, n, opt, dl->witness);
		printf("\nunexpected deadlock: reachable in %" G_GUINT64_FORMAT
		       " executions; witness: %s\nreplay it: %s\n",
		       r->deadlocks, dl->witness, cmd);
	}
	if (failed >= 0) {
		const char *wit = r->tallies[failed].failed_witness;
		g_autofree char *cmd = replay_command(progs, n, opt, wit);
		printf("\nthe first failing expectation (line %u) fails in this execution, "
		       "witness %s:\n\n",
		       res->expect_lines[failed], wit);
		show_trace(progs, n, opt, wit);
		printf("\nreplay it: %s\n", cmd);
	}
	if (r->rail_stops)
		printf("\n%" G_GUINT64_FORMAT " executions were stopped by a guard rail (see "
		       "their outcomes' \"stopped:\" line)\n",
		       r->rail_stops);
	printf("\nresult: exit status %d\n", status);
}

static void print_json(const SimExecExploreResult *res, const char *what, int status)
{
	const SimExploreResult *r = &res->r;
	g_autoptr(GString) s = g_string_new("{\"exec\":");
	sim_cli_json_str(s, what);
	sim_cli_explore_json_result(s, r);
	g_string_append(s, ",\"expectations\":[");
	for (guint i = 0; i < r->n_tallies; i++) {
		const SimExpectTally *t = &r->tallies[i];
		g_string_append_printf(s, "%s{\"line\":%u,\"expect\":", i ? "," : "",
				       res->expect_lines[i]);
		sim_cli_json_str(s, res->expect_words[i]);
		g_string_append_printf(s, ",\"holds\":%s", t->failed ? "false" : "true");
		if (t->failed) {
			g_string_append(s, ",\"witness\":");
			sim_cli_json_str(s, t->failed_witness);
		}
		g_string_append_c(s, '}');
	}
	g_string_append(s, "],\"refused\":");
	if (res->refusal)
		sim_cli_json_str(s, res->refusal);
	else
		g_string_append(s, "null");
	g_string_append_printf(s, ",\"exit\":%d}\n", status);
	fputs(s->str, stdout);
}

static int explore_programs(char **const *progs, guint n, SimExecOptions *opt)
{
	gboolean json = opt->format && strcmp(opt->format, "json") == 0;
	SimTime wall = 0;
	if (opt->format && !json && strcmp(opt->format, "text") != 0)
		return bad("bad --format (expected text or json)");
	if (opt->output || opt->program_output || opt->record_file || opt->chooser)
		return bad("-o, --program-output, --record and --schedule are exec's: explore "
			   "--exec prints its summary on standard output");
	if (opt_max_executions == 0 || opt_max_executions < -1)
		return bad("bad --max-executions (expected a whole number of at least 1)");
	if (opt_max_depth == 0 || opt_max_depth < -1)
		return bad("bad --max-depth (expected a whole number of at least 1)");
	if (opt_max_time && (!sim_time_parse(opt_max_time, &wall) || wall == 0))
		return bad("bad --max-time (expected a time like 10s or 500ms)");
	SimExploreOptions eo = { .max_executions = opt_max_executions > 0
							   ? (guint64)opt_max_executions
							   : 0,
				 .max_depth = opt_max_depth > 0 ? (guint)opt_max_depth : 0,
				 .max_seconds = (double)wall / 1e9,
				 .no_reduction = opt_no_reduction,
				 .progress = sim_cli_explore_progress };
	opt->format = NULL;
	g_autoptr(GString) what = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *cmd = g_strjoinv(" ", (char **)progs[i]);
		g_string_append_printf(what, "%s%s", i ? " --- " : "", cmd);
	}
	SimExecExploreResult res;
	g_autoptr(GError) error = NULL;
	if (!sim_exec_explore(progs, n, opt, &eo, &res, &error))
		return bad(error->message);
	if (sim_cli_explore_progress_shown())
		fputc('\n', stderr);
	int status = status_of(&res);
	if (res.refusal)
		fprintf(stderr, "msgsim explore --exec: %s\n", res.refusal);
	if (json)
		print_json(&res, what->str, status);
	else
		print_text(progs, n, opt, &res, what->str, status);
	sim_exec_explore_result_clear(&res);
	return status;
}

int sim_cli_exec_explore(int argc, char **argv, int at)
{
	memmove(&argv[at], &argv[at + 1], sizeof *argv * (gsize)(argc - at));
	g_set_prgname("msgsim explore --exec");
	return sim_cli_exec_with(argc - 1, argv, bounds, explore_programs);
}

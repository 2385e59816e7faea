/* main.c — the msgsim command line: a table of subcommands, each with its own options.
 *
 * The design choice to know: this is the only file that prints a GError or picks an exit
 * status. Every other module returns errors (scenario problems as GErrors, simulated call
 * results as errno values inside the run) and lets this file decide what the user sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgsim/output/ipcs.h"
#include "msgsim/output/pictures.h"
#include "msgsim/output/progout.h"
#include "msgsim/output/xcheck_html.h"
#include "msgsim/output/quiz.h"
#include "msgsim/output/report.h"
#include "msgsim/engine/sched.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/trace.h"
#include "msgsim/output/trace_style.h"
#include "msgsim/engine/world.h"
#include "msgsim/real/xcheck.h"
#include "msgsim/explore/explore.h" /* crosscheck --schedule: the witness checked */
#include "cli_explore.h"
#include "cli_exec.h" /* msgsim exec */
#include "cli_record.h" /* msgsim record --explore */
#include "cli_stop.h"	/* a stop signal ends run with its trace and report written */

/* The version `msgsim --version` prints; a build may set it (-DMSGSIM_VERSION=\"...\"). */
#ifndef MSGSIM_VERSION
#define MSGSIM_VERSION "0.1.0"
#endif

typedef struct {
	const char *name;
	const char *args;
	const char *summary;
	int (*fn)(int argc, char **argv);
} Command;

/* Options shared by the commands that run a scenario. The numbers are read by callbacks
 * (below) that refuse what is out of range, so "not given" is a flag, never a value. */
static gboolean opt_seed_set = FALSE;
static guint64 opt_seed = 0;
static char *opt_format = NULL;
static char *opt_output = NULL;
static gboolean opt_quiet = FALSE;
static guint64 opt_max_steps = 0; /* 0: not given, the world's default */
static char *opt_max_time = NULL;
static char *opt_max_memory = NULL;
static gboolean opt_max_lines_set = FALSE;
static guint64 opt_max_lines = 0; /* 0: no limit */
static guint64 opt_step_ms = 3000;
static char *opt_schedule = NULL; /* run --schedule WITNESS (cli_explore.c) */
static gboolean opt_program_output = FALSE; /* run --program-output: only what is printed */
static gint opt_jsonl_schema = 0;	    /* run --jsonl-schema: 0 (not given), 2 or 3 */

/* A whole number from min to max, or a GError that names the option and the range. */
static gboolean parse_count(const char *name, const char *value, guint64 min, guint64 max,
			    guint64 *out, GError **error)
{
	if (g_ascii_string_to_unsigned(value, 10, min, max, out, NULL))
		return TRUE;
	if (max == G_MAXUINT64)
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s takes a whole number of at least %" G_GUINT64_FORMAT ", not '%s'",
			    name, min, value);
	else
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s takes a whole number from %" G_GUINT64_FORMAT
			    " to %" G_GUINT64_FORMAT ", not '%s'",
			    name, min, max, value);
	return FALSE;
}

static gboolean on_seed(const char *name, const char *value, gpointer data, GError **error)
{
	(void)data;
	opt_seed_set = parse_count(name, value, 0, G_MAXUINT64, &opt_seed, error);
	return opt_seed_set;
}

/* At least 1: the guard rail must stay bounded, so there is no "0: no limit". */
static gboolean on_max_steps(const char *name, const char *value, gpointer data,
			     GError **error)
{
	(void)data;
	return parse_count(name, value, 1, G_MAXUINT64, &opt_max_steps, error);
}

/* 0 is no limit: safe, since the trace's length is not what bounds a run. */
static gboolean on_max_lines(const char *name, const char *value, gpointer data,
			     GError **error)
{
	(void)data;
	opt_max_lines_set = parse_count(name, value, 0, G_MAXUINT64, &opt_max_lines, error);
	return opt_max_lines_set;
}

static gboolean on_step_timeout(const char *name, const char *value, gpointer data,
				GError **error)
{
	(void)data;
	return parse_count(name, value, 1, 600000, &opt_step_ms, error);
}

/* The trace written to a terminal stops after this many lines (the report still comes):
 * a runaway loop prints millions, and a terminal is no place to read them. */
#define TERMINAL_MAX_LINES 10000

/* The guard rail options, shared by run, ipcs and crosscheck. */
#define GUARD_ENTRIES                                                                     \
	{ "max-steps", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_max_steps,                \
	  "Stop after N statements (N >= 1, default 10000000); exit status 3", "N" },      \
	{ "max-time", 0, 0, G_OPTION_ARG_STRING, &opt_max_time,                            \
	  "Stop when simulated time passes TIME (e.g. 10s); exit status 3", "TIME" },       \
	{ "max-memory", 0, 0, G_OPTION_ARG_STRING, &opt_max_memory,                        \
	  "Stop when the model holds more than SIZE (at least 1 byte, e.g. 512M, 2G; "     \
	  "default 1G); exit status 3",                                                    \
	  "SIZE" }

/* ---- The language's command-line values: -D NAME=VALUE for `param`s (scn.h) ---- */

static char **opt_defines = NULL; /* "NAME=VALUE" each, as given */

#define LANG_ENTRIES                                                                       \
	{ "define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &opt_defines,                         \
	  "Set the scenario's parameter NAME to VALUE (param NAME = ...), overriding its "    \
	  "value; may be repeated",                                                          \
	  "NAME=VALUE" }

/* Loads a scenario with the -D values and the --seed its random parameters draw from. */
static SimScenario *load_scenario(const char *path, GError **error)
{
	SimScnOptions o = { .defines = (const char *const *)opt_defines,
			    .seed = opt_seed,
			    .seed_set = opt_seed_set };
	return sim_scn_load_with(path, &o, error);
}

/* check: the values the parameters got (drawn, written or set with -D), one line. */
static void print_params(const SimScenario *scn)
{
	if (scn->n_params == 0)
		return;
	g_autoptr(GString) s = g_string_new("parameters:");
	for (guint i = 0; i < scn->n_params; i++) {
		const SimScnParam *prm = &scn->params[i];
		g_string_append_printf(s, "%s %s = ", i ? "," : "", prm->name);
		if (prm->text)
			g_string_append_printf(s, "\"%s\"", prm->text);
		else
			g_string_append_printf(s, "%" G_GINT64_FORMAT, prm->value);
		if (prm->defined)
			g_string_append(s, " (-D)");
		else if (prm->random)
			g_string_append_printf(s, " (random %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT ")",
					       prm->lo, prm->hi);
	}
	printf("%s\n", s->str);
}

static GOptionEntry check_entries[] = {
	{ "seed", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed,
	  "Seed the scenario's random parameters draw from, as for run", "N" },
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* The text trace for a person (trace_style.h): --source, --color, --columns. */
static gboolean opt_source = FALSE, opt_columns = FALSE, opt_explain = FALSE, opt_holders = FALSE;
static char *opt_color = NULL;
#define STYLE_ENTRIES                                                                          \
	{ "source", 0, 0, G_OPTION_ARG_NONE, &opt_source,                                      \
	  "Show each call's statement as FILE:LINE at the end of its line", NULL },           \
	{ "color", 0, 0, G_OPTION_ARG_STRING, &opt_color,                                      \
	  "Colour the text trace: auto (on a terminal, unless TERM=dumb or NO_COLOR is set), " \
	  "always or never (the default: auto)",                                             \
	  "WHEN" },                                                                            \
	{ "columns", 0, 0, G_OPTION_ARG_NONE, &opt_columns,                                    \
	  "Show the trace with one column per process (at most 8 processes)", NULL },         \
	{ "explain", 0, 0, G_OPTION_ARG_NONE, &opt_explain,                                    \
	  "After a send that several waiting receivers could take, say why this one got it",  \
	  NULL },                                                                              \
	{ "holders", 0, 0, G_OPTION_ARG_NONE, &opt_holders,                                    \
	  "After each pipe or FIFO call, name the processes holding its read and write ends",  \
	  NULL }

/* The style the options ask for; FALSE after a message on a bad --color word or a style
 * asked of a format that is not text. *styled: some style is on. */
static gboolean style_options(FILE *out, SimTraceStyle *style, gboolean *styled)
{
	gboolean text = !opt_format || strcmp(opt_format, "text") == 0;
	*style = (SimTraceStyle){ .source = opt_source,
				  .columns = opt_columns,
				  .explain = opt_explain,
				  .holders = opt_holders };
	if (opt_color && !sim_trace_style_color(opt_color, fileno(out), &style->color)) {
		fprintf(stderr, "msgsim run: unknown --color '%s' (expected auto, always or never)\n",
			opt_color);
		return FALSE;
	}
	if (!opt_color)
		sim_trace_style_color("auto", fileno(out), &style->color);
	if (!text && (opt_source || opt_columns || opt_explain || opt_holders ||
		      (opt_color && style->color))) {
		fprintf(stderr, "msgsim run: --source, --columns, --explain, --holders and --color "
				"are for the text trace, not --format %s\n",
			opt_format);
		return FALSE;
	}
	*styled = text && !opt_quiet &&
		  (style->source || style->color || style->columns || style->explain ||
		   style->holders);
	return TRUE;
}

static GOptionEntry run_entries[] = {
	{ "seed", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed,
	  "Seed for the random scheduler and deliver=random, 0 or more (overrides the "
	  "scenario's)",
	  "N" },
	{ "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
	  "Trace format: text (default), jsonl, or a picture of the whole run: chrome, "
	  "mermaid, dot or html",
	  "FORMAT" },
	{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
	  "Write the trace to FILE instead of standard output (- is standard output; never "
	  "the scenario itself)",
	  "FILE" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
	  "Print only the report (deadlock, expectations, summary, result), not every event",
	  NULL },
	{ "max-lines", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_max_lines,
	  "Write at most N trace lines, then the report (default: 10000 on a terminal, no "
	  "limit elsewhere; 0: no limit)",
	  "N" },
	{ "program-output", 0, 0, G_OPTION_ARG_NONE, &opt_program_output,
	  "Print only what the processes print (print, ipcs), as the real programs would: no "
	  "trace, no report",
	  NULL },
	{ "schedule", 0, 0, G_OPTION_ARG_STRING, &opt_schedule,
	  "Follow this schedule (a witness that msgsim explore printed) instead of the "
	  "scheduler",
	  "WITNESS" },
	{ "jsonl-schema", 0, 0, G_OPTION_ARG_INT, &opt_jsonl_schema,
	  "Write JSON Lines in schema version N: 3 (default) or 2, for readers written for it",
	  "N" },
	STYLE_ENTRIES,
	GUARD_ENTRIES,
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* "512M", "1G", "1GiB", "64k", "1000000": bytes, in binary units. FALSE on anything else. */
static gboolean parse_size(const char *text, guint64 *out)
{
	char *end = NULL;
	if (!g_ascii_isdigit(*text))
		return FALSE;
	errno = 0;
	guint64 n = g_ascii_strtoull(text, &end, 10);
	if (errno)
		return FALSE;
	static const char units[] = "KMGT";
	const char *u = *end ? strchr(units, g_ascii_toupper(*end)) : NULL;
	guint shift = 0;
	if (u) {
		shift = 10 * (guint)(u - units + 1);
		end++;
		if (g_ascii_strcasecmp(end, "iB") == 0 || g_ascii_strcasecmp(end, "B") == 0)
			end += strlen(end);
	}
	if (*end || n == 0 || n > (G_MAXUINT64 >> shift))
		return FALSE;
	*out = n << shift;
	return TRUE;
}

/* The guard rail options, checked: FALSE (after saying why) when one is wrong. */
static gboolean guard_options(const char *cmd, guint64 *steps, SimTime *time, guint64 *memory)
{
	*steps = opt_max_steps;
	*time = 0;
	if (opt_max_time && (!sim_time_parse(opt_max_time, time) || *time == 0)) {
		fprintf(stderr, "msgsim %s: bad --max-time '%s' (expected a time like 10s or 500ms)\n",
			cmd, opt_max_time);
		return FALSE;
	}
	*memory = 0;
	if (opt_max_memory && !parse_size(opt_max_memory, memory)) {
		fprintf(stderr,
			"msgsim %s: bad --max-memory '%s' (expected a size of at least 1 byte, "
			"like 512M or 2G)\n",
			cmd,
			opt_max_memory);
		return FALSE;
	}
	return TRUE;
}

/* What stopped a run, on standard error, for when the report is not on the terminal. */
static void say_stopped(const char *cmd, const SimWorld *w)
{
	g_autoptr(GString) s = g_string_new(NULL);
	if (sim_report_stop(w, s))
		fprintf(stderr, "msgsim %s: stopped: %s\n", cmd, s->str);
}

static void print_error(const GError *error)
{
	/* Scenario errors already read "file:line:col: error: ..."; others get the prefix. */
	if (strstr(error->message, ": error: "))
		fprintf(stderr, "%s\n", error->message);
	else
		fprintf(stderr, "msgsim: error: %s\n", error->message);
}

static gboolean parse_options(const char *cmd, const char *args, const char *summary,
			      GOptionEntry *entries, int *argc, char ***argv)
{
	g_autofree char *usage = g_strdup_printf("%s - %s", args, summary);
	g_autoptr(GOptionContext) ctx = g_option_context_new(usage);
	g_autofree char *prog = g_strdup_printf("msgsim %s", cmd);
	g_set_prgname(prog);
	if (entries)
		g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "msgsim %s: %s (try 'msgsim %s --help')\n", cmd, error->message,
			cmd);
		return FALSE;
	}
	return TRUE;
}

static SimScenario *load_one(const char *cmd, int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr,
			"msgsim %s: expected one scenario file, got %d (try 'msgsim %s --help')\n",
			cmd, argc - 1, cmd);
		return NULL;
	}
	g_autoptr(GError) error = NULL;
	SimScenario *scn = load_scenario(argv[1], &error);
	if (!scn)
		print_error(error);
	return scn;
}

static int stdout_errno; /* why a flush of stdout failed before main()'s last check */

/* Flushes OUT; 0, or the errno of the write that failed (kept before anything else can
 * flush OUT again and leave only ferror() to tell). err: the errno of a write to OUT that
 * failed before (the trace's), or 0. */
static int flush_output(FILE *out, int err)
{
	if (fflush(out) != 0 && err == 0)
		err = errno;
	if (out == stdout && stdout_errno == 0)
		stdout_errno = err;
	return err;
}

/* FALSE, after saying so, when what was written to OUT did not all get there: a write or
 * flush that failed (a full disk, /dev/full, a file that takes no writes) or a close that
 * did. err: the errno of a flush that failed before, or 0. OUT is closed when close_it. */
static gboolean finish_output(FILE *out, const char *name, gboolean close_it, int err)
{
	if (fflush(out) != 0 && err == 0)
		err = errno;
	if (ferror(out) && err == 0)
		err = EIO; /* an earlier write failed; its errno is gone */
	if (close_it && fclose(out) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		fprintf(stderr, "msgsim: error: writing %s: %s\n", name, g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

/* The device and inode of the scenario just loaded from path ("-": standard input). */
static gboolean scenario_inode(const char *path, struct stat *st)
{
	return strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, st) == 0 : stat(path, st) == 0;
}

/* Opens the trace file for run -o: refused (NULL, after saying why) when it is the scenario
 * itself, under any name (a symlink, a hard link, standard input's file). It is opened
 * without O_TRUNC, compared, and only then emptied, so a refused file is left as it was. */
static gboolean output_started = FALSE; /* run -o FILE: an earlier file's trace is in it */

static FILE *open_output(const char *path, const char *scn_path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0) {
		fprintf(stderr, "msgsim run: cannot write '%s': %s\n", path, g_strerror(errno));
		return NULL;
	}
	struct stat out, in;
	if (fstat(fd, &out) < 0) {
		fprintf(stderr, "msgsim run: cannot write '%s': %s\n", path, g_strerror(errno));
		close(fd);
		return NULL;
	}
	if (scenario_inode(scn_path, &in) && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
		fprintf(stderr,
			"msgsim run: '%s' is the scenario '%s': refusing to replace it with its "
			"trace\n",
			path, scn_path);
		close(fd);
		return NULL;
	}
	/* An empty file is not truncated: on ext4, a truncation to size 0 marks the file so
	 * that its close starts writeback of everything written since (the "replace by
	 * truncate" safety of auto_da_alloc), which made closing a fresh 500 MB trace take
	 * 0.3 s. A file with contents still pays that, as any program overwriting it would.
	 * run FILE...: the second file's trace follows the first's. */
	if (output_started) {
		if (lseek(fd, 0, SEEK_END) < 0 && S_ISREG(out.st_mode)) {
			fprintf(stderr, "msgsim: error: writing %s: %s\n", path, g_strerror(errno));
			close(fd);
			return NULL;
		}
	} else if (S_ISREG(out.st_mode) && out.st_size > 0 && ftruncate(fd, 0) < 0) {
		fprintf(stderr, "msgsim: error: writing %s: %s\n", path, g_strerror(errno));
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "msgsim run: cannot write '%s': %s\n", path, g_strerror(errno));
		close(fd);
	}
	return f;
}

/* The pictures (--format chrome|mermaid|dot|html): a sink that draws the whole run when it
 * ends, in place of the event lines; --quiet and --max-lines are about lines, so a picture
 * has none of them. */
static const SimPicture *picture_format(void)
{
	return opt_format ? sim_picture_by_name(opt_format) : NULL;
}

/* A mailbox's capacity is in the scenario, not in the events: the fill charts get it here. */
static void add_trace_sink(SimTrace *tr, SimTraceFormat fmt, FILE *out, const SimScenario *scn)
{
	const SimPicture *pic = picture_format();
	if (pic) {
		SimTimeline *tl = sim_picture_add_sink(tr, pic, out, FALSE);
		for (guint i = 0; i < scn->n_mboxes; i++)
			if (scn->mboxes[i].capacity >= 0)
				sim_timeline_set_limit(tl, scn->mboxes[i].name, scn->mboxes[i].capacity);
	} else
		sim_trace_add_sink(tr, fmt, out, FALSE, opt_quiet);
}

/* ---- run FILE...: several files one after another; --program-output ---- */

/* The exit status of several runs: the worst of them, as the status table ranks them (a
 * bad scenario, then a stopped or deadlocked run, then a failed expectation, then 0). */
static int worse_status(int a, int b)
{
	static const int rank[] = { [SIM_EXIT_OK] = 0, [SIM_EXIT_EXPECT_FAILED] = 1,
				    [SIM_EXIT_STUCK] = 2, [SIM_EXIT_USAGE] = 3 };
	if (a < 0 || a > SIM_EXIT_STUCK || b < 0 || b > SIM_EXIT_STUCK)
		return MAX(a, b);
	return rank[a] >= rank[b] ? a : b;
}

static int run_one(int argc, char **argv);

static int cmd_run(int argc, char **argv)
{
	if (!parse_options("run", "FILE...", "run scenarios: trace, expectations, verdict",
			   run_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc < 2) {
		fprintf(stderr, "msgsim run: expected a scenario file, got none (try 'msgsim run "
				"--help')\n");
		return SIM_EXIT_USAGE;
	}
	if (argc > 2 && opt_schedule) {
		fprintf(stderr, "msgsim run: --schedule follows one scenario's run: give one "
				"file\n");
		return SIM_EXIT_USAGE;
	}
	if (opt_program_output && (opt_format || opt_quiet)) {
		fprintf(stderr, "msgsim run: --program-output prints no trace: it takes no "
				"--format or --quiet\n");
		return SIM_EXIT_USAGE;
	}
	/* -o FILE must be none of the scenarios, all checked before the first trace is
	 * written: a later one could be the file the earlier traces go to. */
	struct stat o_st, s_st;
	if (argc > 2 && opt_output && strcmp(opt_output, "-") != 0 && stat(opt_output, &o_st) == 0)
		for (int i = 1; i < argc; i++)
			if (scenario_inode(argv[i], &s_st) && s_st.st_dev == o_st.st_dev &&
			    s_st.st_ino == o_st.st_ino) {
				fprintf(stderr,
					"msgsim run: '%s' is the scenario '%s': refusing to replace "
					"it with its trace\n",
					opt_output, argv[i]);
				return SIM_EXIT_USAGE;
			}
	int status = SIM_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		char *one[] = { argv[0], argv[i], NULL };
		status = worse_status(status, run_one(2, one));
		output_started = TRUE;
	}
	return status;
}

/* One scenario's run; with --program-output, only what its processes print, and the
 * verdict on standard error when it is not 0 (the report is not printed). */
static int run_one(int argc, char **argv)
{
	SimTraceFormat fmt = SIM_TRACE_TEXT;
	if (opt_jsonl_schema && (opt_jsonl_schema < 2 || opt_jsonl_schema > 3 || !opt_format ||
				 strcmp(opt_format, "jsonl") != 0)) {
		fprintf(stderr, "msgsim run: --jsonl-schema %d: expected 2 or 3, with --format "
				"jsonl\n",
			opt_jsonl_schema);
		return SIM_EXIT_USAGE;
	}
	if (opt_format && strcmp(opt_format, "jsonl") == 0) {
		fmt = opt_jsonl_schema == 2 ? SIM_TRACE_JSONL2 : SIM_TRACE_JSONL;
	} else if (opt_format && strcmp(opt_format, "text") != 0 && !picture_format()) {
		fprintf(stderr, "msgsim run: unknown --format '%s' (expected text, jsonl, %s)\n",
			opt_format, sim_picture_names());
		return SIM_EXIT_USAGE;
	}
	SimWorldOptions wopt = { 0 };
	if (!guard_options("run", &wopt.max_steps, &wopt.max_time, &wopt.max_memory))
		return SIM_EXIT_USAGE;
	wopt.seed_set = opt_seed_set;
	wopt.seed = opt_seed;

	g_autoptr(SimScenario) scn = load_one("run", argc, argv);
	if (!scn)
		return SIM_EXIT_USAGE;
	void *schedule = NULL;
	if (opt_schedule && !sim_cli_schedule_prepare(scn, opt_schedule, &wopt, &schedule))
		return SIM_EXIT_USAGE;

	/* "-o -" is standard output, as "-" is standard input. main() checks stdout's writes;
	 * a file's are checked here, where it is closed. */
	FILE *out = stdout;
	if (opt_output && strcmp(opt_output, "-") != 0) {
		out = open_output(opt_output, argv[1]);
		if (!out)
			return SIM_EXIT_USAGE;
	}
	g_autoptr(SimTrace) tr = sim_trace_new();
	gboolean terminal = out == stdout && isatty(STDOUT_FILENO);
	guint64 cap = opt_max_lines_set ? opt_max_lines
					: terminal ? TERMINAL_MAX_LINES : 0;
	SimTraceStyle style;
	gboolean styled = FALSE;
	g_autoptr(GError) serr = NULL;
	if (opt_program_output &&
	    (opt_source || opt_columns || opt_explain || opt_holders || opt_color)) {
		fprintf(stderr, "msgsim run: --program-output prints no trace: --source, --columns, "
				"--explain, --holders and --color do not apply\n");
		if (out != stdout)
			fclose(out);
		return SIM_EXIT_USAGE;
	}
	if (!opt_program_output && !style_options(out, &style, &styled)) {
		if (out != stdout)
			fclose(out);
		return SIM_EXIT_USAGE;
	}
	style.max_lines = cap;
	SimTraceStyleSink *ssink = NULL;
	if (opt_program_output) {
		sim_progout_add_sink(tr, out, FALSE);
		terminal = FALSE; /* no trace lines to cap; say on stderr what stopped it */
	} else if (!styled)
		add_trace_sink(tr, fmt, out, scn);
	else if (!(ssink = sim_trace_style_add_sink(tr, &style, scn, out, &serr))) {
		fprintf(stderr, "msgsim run: %s\n", serr->message);
		if (out != stdout)
			fclose(out);
		return SIM_EXIT_USAGE;
	}
	if (cap && !styled && !opt_program_output)
		sim_trace_limit_lines(tr, cap);
	wopt.explain = styled && style.explain;
	wopt.trace = tr;

	g_autoptr(SimWorld) w = sim_world_new(scn, &wopt);
	if (ssink)
		sim_trace_style_set_world(ssink, w);
	SimTraceEvent head = { .kind = SIM_TR_HEADER,
			       .text = scn->file,
			       .op = sim_sched_policy_name(scn->policy),
			       .value = (gint64)sim_world_seed(w) };
	sim_trace_emit(tr, &head);
	sim_cli_stop_begin(w);
	if (!schedule)
		sim_world_run(w);
	else if (!sim_cli_schedule_run(schedule, w)) {
		sim_cli_stop_end();
		return SIM_EXIT_USAGE;
	}
	SimVerdict v = sim_report_finish(w, tr);
	/* The trace's only sink: its last batch, and the errno of a batch that failed. */
	int werr = flush_output(out, sim_trace_flush(tr));
	if (!terminal)
		say_stopped("run", w);
	if (opt_program_output && v.exit_status != SIM_EXIT_OK)
		fprintf(stderr, "msgsim run: %s: %s, exit status %d (msgsim run %s for the "
				"report)\n",
			argv[1], v.exit_status == SIM_EXIT_EXPECT_FAILED ? "expectations failed"
			: sim_world_status(w) == SIM_RUN_DEADLOCK	 ? "unexpected deadlock"
									 : "stopped",
			v.exit_status, argv[1]);
	g_clear_pointer(&w, sim_world_free);
	g_clear_pointer(&tr, sim_trace_free); /* before the file it writes to is closed */
	int sig = sim_cli_stop_end();
	if (out != stdout && !finish_output(out, opt_output, TRUE, werr))
		return SIM_EXIT_USAGE;
	if (sig) {
		fprintf(stderr, "msgsim run: %s: stopped by signal %d; the trace and report so far "
				"are written\n",
			argv[1], sig);
		flush_output(stdout, 0);
	}
	sim_cli_stop_die(sig);
	return v.exit_status;
}

static gboolean opt_pids = FALSE, opt_times = FALSE, opt_limits = FALSE, opt_sems = FALSE,
		opt_shm = FALSE, opt_all = FALSE, opt_proc = FALSE;

/* ipcs -c, -u and -i ID (ipcs_more.c), as util-linux has them. */
static gboolean opt_creators = FALSE, opt_status = FALSE, opt_queues = FALSE;
static gint opt_ipc_id = G_MININT; /* G_MININT: no -i */
#define IPCS_MORE_ENTRIES                                                                      \
	{ "creator", 'c', 0, G_OPTION_ARG_NONE, &opt_creators,                                 \
	  "Show creators and owners (ipcs -c)", NULL },                                       \
	{ "summary", 'u', 0, G_OPTION_ARG_NONE, &opt_status,                                   \
	  "Show the status summary (ipcs -u)", NULL },                                        \
	{ "id", 'i', 0, G_OPTION_ARG_INT, &opt_ipc_id,                                         \
	  "Show one object in detail (ipcs -q|-m|-s -i ID)", "ID" },                          \
	{ "queues", 'q', 0, G_OPTION_ARG_NONE, &opt_queues,                                    \
	  "Show the message queues (the default)", NULL }

/* ipcs -c, -u, -i: TRUE when one of them was asked for and handled (*status is then the
 * exit status to return); FALSE to go on with the other views. */
static gboolean ipcs_more(const SimWorld *w, int *status)
{
	if (!opt_creators && !opt_status && opt_ipc_id == G_MININT)
		return FALSE;
	int kinds = (opt_queues ? 1 : 0) + (opt_sems ? 1 : 0) + (opt_shm ? 1 : 0);
	char which = opt_all || kinds > 1 ? 'a' : opt_sems ? 's' : opt_shm ? 'm' : 'q';
	if (!opt_all && kinds == 0)
		which = opt_ipc_id != G_MININT ? 'q' : 'a'; /* ipcs -c alone shows all three */
	g_autoptr(GString) out = g_string_new(NULL);
	*status = SIM_EXIT_OK;
	if (opt_ipc_id != G_MININT) {
		if (which == 'a' || (kinds == 0 && !opt_queues)) {
			fprintf(stderr, "msgsim ipcs: when using an ID, a single resource must be "
					"specified (-q, -m or -s)\n");
			*status = SIM_EXIT_USAGE;
			return TRUE;
		}
		if (!sim_ipcs_format_id(out, w, which, opt_ipc_id))
			fprintf(stderr, "msgsim ipcs: id %d not found\n", opt_ipc_id);
	} else if (opt_creators) {
		sim_ipcs_format_creators(out, w, which);
	} else {
		sim_ipcs_format_status(out, w, which);
	}
	fputs(out->str, stdout);
	return TRUE;
}

static GOptionEntry ipcs_entries[] = {
	{ "pids", 'p', 0, G_OPTION_ARG_NONE, &opt_pids,
	  "Show last sender and receiver (ipcs -q -p)", NULL },
	{ "time", 't', 0, G_OPTION_ARG_NONE, &opt_times,
	  "Show send/receive/change times (ipcs -q -t)", NULL },
	{ "limits", 'l', 0, G_OPTION_ARG_NONE, &opt_limits, "Show the limits (ipcs -q -l)", NULL },
	{ "semaphores", 's', 0, G_OPTION_ARG_NONE, &opt_sems,
	  "Show the semaphore sets instead (ipcs -s; with -t or -l, their times or limits)", NULL },
	{ "shared-memory", 'm', 0, G_OPTION_ARG_NONE, &opt_shm,
	  "Show the shared memory segments instead (ipcs -m; with -p or -l, their pids or limits)",
	  NULL },
	{ "all", 'a', 0, G_OPTION_ARG_NONE, &opt_all,
	  "Show queues, segments and semaphore sets (ipcs -a; with -l, the limits of all three)",
	  NULL },
	IPCS_MORE_ENTRIES,
	{ "proc", 0, 0, G_OPTION_ARG_NONE, &opt_proc,
	  "Show the queues as /proc/sysvipc/msg instead (the file ipcs itself reads)", NULL },
	{ "seed", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed, "Seed, as for run", "N" },
	GUARD_ENTRIES,
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* Runs the scenario silently and prints its end state as util-linux `ipcs -q` would. */
static int cmd_ipcs(int argc, char **argv)
{
	if (!parse_options("ipcs", "FILE", "run a scenario, then print the IPC state like ipcs -q",
			   ipcs_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	SimWorldOptions wopt = { .seed_set = opt_seed_set, .seed = opt_seed };
	if (!guard_options("ipcs", &wopt.max_steps, &wopt.max_time, &wopt.max_memory))
		return SIM_EXIT_USAGE;
	g_autoptr(SimScenario) scn = load_one("ipcs", argc, argv);
	if (!scn)
		return SIM_EXIT_USAGE;
	g_autoptr(SimWorld) w = sim_world_new(scn, &wopt);
	sim_world_run(w);
	SimVerdict v = sim_report_finish(w, NULL);
	say_stopped("ipcs", w);
	int more_status;
	if (ipcs_more(w, &more_status))
		return more_status != SIM_EXIT_OK ? more_status : v.exit_status;
	g_autoptr(GString) out = g_string_new(NULL);
	char view = opt_limits ? 'l' : opt_pids ? 'p' : opt_times ? 't' : 'q';
	if (opt_sems)
		view = opt_limits ? SIM_IPCS_SEM_LIMITS : opt_times ? SIM_IPCS_SEM_TIMES : SIM_IPCS_SEM;
	else if (opt_all)
		view = opt_limits ? SIM_IPCS_ALL_LIMITS : SIM_IPCS_ALL;
	else if (opt_shm)
		view = opt_limits ? SIM_IPCS_SHM_LIMITS : opt_pids ? SIM_IPCS_SHM_PIDS : SIM_IPCS_SHM;
	if (opt_proc)
		view = SIM_IPCS_PROC_MSG;
	sim_ipcs_format(out, w, view);
	fputs(out->str, stdout);
	return v.exit_status;
}

static int cmd_check(int argc, char **argv)
{
	if (!parse_options("check", "FILE", "check a scenario for errors without running it",
			   check_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	g_autoptr(SimScenario) scn = load_one("check", argc, argv);
	if (!scn)
		return SIM_EXIT_USAGE;
	printf("%s: ok (%u processes, %u mailboxes and ports, %u expectations)\n", scn->file,
	       scn->n_procs, scn->n_mboxes, scn->n_expects);
	print_params(scn);
	return SIM_EXIT_OK;
}

static gboolean opt_rows = FALSE, opt_no_namespace = FALSE;
static gint opt_free = 0;
static gint64 opt_free_execs = 1000000;
static double opt_free_secs = 30;
static gboolean opt_doctor = FALSE, opt_free_overlap = FALSE;
static char *opt_xc_format = NULL;
static char *opt_xc_schedule = NULL; /* --schedule WITNESS (sim/real/xcheck_witness.c) */
/* --format html: each file's report, kept for one page at the end (xcheck_html.h). */
static GPtrArray *xc_pages = NULL;

static void emit_report(const char *text)
{
	if (xc_pages) {
		g_ptr_array_add(xc_pages, g_strdup(text));
		return;
	}
	fputs(text, stdout);
	flush_output(stdout, 0);
}

static GOptionEntry xcheck_entries[] = {
	{ "rows", 'r', 0, G_OPTION_ARG_NONE, &opt_rows, "List every step, not only the mismatches",
	  NULL },
	{ "format", 'f', 0, G_OPTION_ARG_STRING, &opt_xc_format,
	  "text (default) or html (one page, every step listed, mismatches in red)", "FORMAT" },
	{ "seed", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed, "Seed, as for run", "N" },
	{ "step-timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_step_timeout,
	  "Milliseconds a real call may take to return or block (1 to 600000, default 3000)",
	  "MS" },
	{ "no-namespace", 0, 0, G_OPTION_ARG_NONE, &opt_no_namespace,
	  "Replay in the machine's own IPC namespace, with keys and queue names unique to the "
	  "run (what happens when no private namespace can be had)",
	  NULL },
	/* Free runs (sim/real/xcheck_free.c) */
	{ "free", 0, 0, G_OPTION_ARG_INT, &opt_free,
	  "Run each scenario N times on the real kernel without lockstep, and check every "
	  "outcome against the explored set",
	  "N" },
	{ "explore-executions", 0, 0, G_OPTION_ARG_INT64, &opt_free_execs,
	  "With --free: bound of the exploration (default 1000000)", "N" },
	{ "explore-time", 0, 0, G_OPTION_ARG_DOUBLE, &opt_free_secs,
	  "With --free: wall-time bound of the exploration in seconds (default 30)", "S" },
	{ "free-overlap", 0, 0, G_OPTION_ARG_NONE, &opt_free_overlap,
	  "With --free: start a call while others still run (more races; a run whose order "
	  "cannot be seen ends diverged)",
	  NULL },
	{ "doctor-model", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_doctor,
	  "Tests: look the outcomes up in an empty set", NULL },
	/* A witness followed instead of run's schedule (sim/real/xcheck_witness.c) */
	{ "schedule", 0, 0, G_OPTION_ARG_STRING, &opt_xc_schedule,
	  "Follow this witness (as msgsim explore prints it) instead of the schedule msgsim "
	  "run shows",
	  "WITNESS" },
	GUARD_ENTRIES,
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* crosscheck --free N: one report per file. Exit 1 when an observed outcome is outside a
 * complete explored set (a fidelity bug) or a run diverged or failed, 0 when every run's
 * outcome is in the set (or unknown: the exploration was cut), 4 when no file could be run
 * free, 128 + N after stop signal N (the run in progress cleaned up). */
static int free_files(int argc, char **argv, const SimXcheckOptions *base)
{
	int status = SIM_EXIT_OK;
	gboolean nothing = TRUE;
	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = load_scenario(argv[i], &error);
		if (!scn) {
			print_error(error);
			return SIM_EXIT_USAGE;
		}
		SimXcheckOptions o = *base;
		o.doctor = opt_doctor;
		o.free_overlap = opt_free_overlap;
		SimXcheckFree fr;
		if (!sim_xcheck_free(scn, argv[i], &o, (guint)opt_free, (guint64)opt_free_execs,
				     opt_free_secs, &fr, &error)) {
			print_error(error);
			return SIM_EXIT_EXPECT_FAILED;
		}
		emit_report(fr.text);
		if (fr.verdict == SIM_XCHECK_INTERRUPTED) {
			fprintf(stderr, "msgsim crosscheck: %s: %s\n", argv[i], fr.reason);
			int sig = fr.signo;
			sim_xcheck_free_clear(&fr);
			return 128 + sig;
		}
		if (fr.outside || fr.diverged || fr.failed)
			status = MAX(status, SIM_EXIT_EXPECT_FAILED);
		if (fr.verdict == SIM_XCHECK_STOPPED)
			status = MAX(status, SIM_EXIT_STUCK);
		nothing &= fr.verdict == SIM_XCHECK_NOT_CHECKABLE;
		sim_xcheck_free_clear(&fr);
	}
	return status == SIM_EXIT_OK && nothing ? SIM_XCHECK_EXIT_NOTHING : status;
}

/* Replays each scenario on the real kernel; one report per file. Exit 1 when any call or
 * final state differs, an expectation fails (in the model or on the kernel) or a run
 * failed, 3 when a guard rail stopped a scenario in the model (before anything real ran),
 * 0 when all match (what cannot be cross-checked is listed, with why), 4 when nothing in
 * any file could be cross-checked, 2 on a bad scenario, 128 + N when signal N (SIGINT,
 * SIGTERM, SIGHUP) stopped a run (cleaned up: sim_xcheck_run). */
static int crosscheck_files(int argc, char **argv)
{
	if (!parse_options("crosscheck", "FILE...",
			   "replay scenarios on the real kernel and compare every call",
			   xcheck_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (opt_xc_format && strcmp(opt_xc_format, "text") != 0 &&
	    strcmp(opt_xc_format, "html") != 0) {
		fprintf(stderr, "msgsim crosscheck: unknown --format '%s' (expected text or html)\n",
			opt_xc_format);
		return SIM_EXIT_USAGE;
	}
	if (opt_xc_format && strcmp(opt_xc_format, "html") == 0) {
		xc_pages = g_ptr_array_new_with_free_func(g_free);
		opt_rows = TRUE; /* side by side per call: every step */
	}
	if (argc < 2) {
		fprintf(stderr, "msgsim crosscheck: expected scenario files (try 'msgsim "
				"crosscheck --help')\n");
		return SIM_EXIT_USAGE;
	}
	guint64 max_steps = 0, max_memory = 0;
	SimTime max_time = 0;
	if (!guard_options("crosscheck", &max_steps, &max_time, &max_memory))
		return SIM_EXIT_USAGE;
	int status = SIM_EXIT_OK;
	gboolean nothing = TRUE; /* no file could be cross-checked at all */
	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = load_scenario(argv[i], &error);
		if (!scn) {
			print_error(error);
			return SIM_EXIT_USAGE;
		}
		SimXcheckOptions o = { .seed_set = opt_seed_set,
				       .seed = opt_seed,
				       .step_ms = (int)opt_step_ms,
				       .rows = opt_rows,
				       .shared_ipc = opt_no_namespace,
				       .max_steps = max_steps,
				       .max_time = max_time,
				       .max_memory = max_memory };
		if (opt_free < 0 || opt_free_execs < 0 || opt_free_secs < 0) {
			fprintf(stderr, "msgsim crosscheck: --free, --explore-executions and "
					"--explore-time take a number of at least 0\n");
			return SIM_EXIT_USAGE;
		}
		if (opt_free > 0 && opt_xc_schedule) {
			fprintf(stderr, "msgsim crosscheck: --schedule follows one witness in "
					"lockstep; --free lets the kernel choose: not both\n");
			return SIM_EXIT_USAGE;
		}
		if (opt_free > 0)
			return free_files(argc, argv, &o);
		if (opt_xc_schedule) {
			g_autoptr(SimSchedule) s = sim_schedule_parse(scn, opt_xc_schedule, &error);
			if (!s) {
				fprintf(stderr, "msgsim crosscheck: %s: --schedule: %s\n", argv[i],
					error->message);
				return SIM_EXIT_USAGE;
			}
			o.schedule = opt_xc_schedule;
		}
		SimXcheckReport rep;
		if (!sim_xcheck_run(scn, argv[i], &o, &rep, &error)) {
			print_error(error);
			return SIM_EXIT_EXPECT_FAILED;
		}
		emit_report(rep.text);
		if (rep.verdict == SIM_XCHECK_INTERRUPTED) {
			/* The run was cleaned up; the rest is not begun. 128 + N, as a shell
			 * reports a command that signal N ended. */
			fprintf(stderr, "msgsim crosscheck: %s: %s\n", argv[i], rep.reason);
			int sig = rep.signo;
			sim_xcheck_report_clear(&rep);
			return 128 + sig;
		}
		if (rep.verdict == SIM_XCHECK_MISMATCH || rep.verdict == SIM_XCHECK_FAILED ||
		    rep.verdict == SIM_XCHECK_EXPECT_FAILED)
			status = MAX(status, SIM_EXIT_EXPECT_FAILED);
		if (rep.verdict == SIM_XCHECK_STOPPED)
			status = SIM_EXIT_STUCK;
		nothing &= rep.verdict == SIM_XCHECK_NOT_CHECKABLE;
		sim_xcheck_report_clear(&rep);
	}
	return status == SIM_EXIT_OK && nothing ? SIM_XCHECK_EXIT_NOTHING : status;
}

/* --format html writes its page once every file has run (or a stop signal ended them). */
static int cmd_crosscheck(int argc, char **argv)
{
	int status = crosscheck_files(argc, argv);
	if (xc_pages && status != SIM_EXIT_USAGE) {
		g_autoptr(GString) s = g_string_new(NULL);
		sim_xcheck_html_write(s, (char *const *)xc_pages->pdata, xc_pages->len);
		fputs(s->str, stdout);
		flush_output(stdout, 0);
	}
	g_clear_pointer(&xc_pages, g_ptr_array_unref);
	return status;
}

/* ---- quiz: the scenario as a question, and its answer key ---- */

static gboolean opt_answers = FALSE;

static GOptionEntry quiz_entries[] = {
	{ "seed", 's', 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed,
	  "Seed of the random parameters and of the run (the same seed, the same quiz)", "N" },
	{ "answers", 'c', 0, G_OPTION_ARG_NONE, &opt_answers,
	  "Print each question's answer, computed by running the scenario", NULL },
	GUARD_ENTRIES,
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* Prints the scenario with its parameters drawn and its expectations asked as questions;
 * with -c, runs it (silently) and answers them. */
static int cmd_quiz(int argc, char **argv)
{
	if (!parse_options("quiz", "FILE", "print a scenario as a quiz: its expectations as "
					   "questions (-c: with the answers)",
			   quiz_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	SimWorldOptions wopt = { .seed_set = opt_seed_set, .seed = opt_seed };
	if (!guard_options("quiz", &wopt.max_steps, &wopt.max_time, &wopt.max_memory))
		return SIM_EXIT_USAGE;
	g_autoptr(SimScenario) scn = load_one("quiz", argc, argv);
	if (!scn)
		return SIM_EXIT_USAGE;
	g_autoptr(SimWorld) w = NULL;
	int status = SIM_EXIT_OK;
	if (opt_answers) {
		w = sim_world_new(scn, &wopt);
		sim_world_run(w);
		SimVerdict v = sim_report_finish(w, NULL);
		say_stopped("quiz", w);
		/* An answer key from a run a guard rail stopped would be wrong: say so. */
		if (v.exit_status == SIM_EXIT_STUCK && sim_world_status(w) != SIM_RUN_DEADLOCK)
			status = SIM_EXIT_STUCK;
	}
	g_autoptr(GString) out = g_string_new(NULL);
	sim_quiz_format(out, scn, opt_seed_set ? opt_seed : scn->seed, w);
	fputs(out->str, stdout);
	return status;
}

static gboolean opt_record_explore = FALSE; /* record --explore (sim/cli_record.c) */
static gint64 opt_record_execs = 1000000;

static GOptionEntry record_entries[] = {
	{ "seed", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_seed, "Seed, as for run", "N" },
	{ "explore", 0, 0, G_OPTION_ARG_NONE, &opt_record_explore,
	  "Explore every schedule: what all of them do as expect lines, what some do as "
	  "expect possible lines, then expect outcomes N",
	  NULL },
	{ "max-executions", 0, 0, G_OPTION_ARG_INT64, &opt_record_execs,
	  "With --explore: bound of the exploration (default 1000000; a search it cuts is "
	  "refused, exit status 3)",
	  "N" },
	GUARD_ENTRIES,
	LANG_ENTRIES,
	G_OPTION_ENTRY_NULL,
};

/* Runs the scenario silently and prints it back with expectations that state what
 * happened: an answer key that passes on its own scenario. */
static int cmd_record(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--exec") == 0) /* real programs: sim/cli_record_exec.c */
			return sim_cli_record_exec(argc, argv, i);
	if (!parse_options("record", "FILE",
			   "run a scenario and print it with expectations stating what happened",
			   record_entries, &argc, &argv))
		return SIM_EXIT_USAGE;
	SimWorldOptions wopt = { .seed_set = opt_seed_set, .seed = opt_seed, .keep_received = TRUE };
	if (!guard_options("record", &wopt.max_steps, &wopt.max_time, &wopt.max_memory))
		return SIM_EXIT_USAGE;
	g_autoptr(SimScenario) scn = load_one("record", argc, argv);
	if (!scn)
		return SIM_EXIT_USAGE;
	if (opt_record_execs < 1) {
		fprintf(stderr, "msgsim record: --max-executions takes a number of at least 1\n");
		return SIM_EXIT_USAGE;
	}
	if (opt_record_explore)
		return sim_cli_record_explore(scn, opt_seed_set ? opt_seed : scn->seed,
					      (guint64)opt_record_execs, 30);
	g_autoptr(SimWorld) w = sim_world_new(scn, &wopt);
	SimRunStatus st = sim_world_run(w);
	say_stopped("record", w);
	/* A run a guard rail stopped has no end state worth recording. */
	if (st != SIM_RUN_DONE && st != SIM_RUN_DEADLOCK)
		return SIM_EXIT_STUCK;
	g_autoptr(GString) out = g_string_new(NULL);
	sim_quiz_record(out, w);
	fputs(out->str, stdout);
	return SIM_EXIT_OK;
}

static int cmd_help(int argc, char **argv);

static const Command commands[] = {
	{ "run", "FILE...", "run scenarios: trace, expectations, verdict", cmd_run },
	{ "check", "FILE", "check a scenario for errors without running it", cmd_check },
	{ "ipcs", "FILE", "run a scenario, then print the IPC state like ipcs -q", cmd_ipcs },
	{ "crosscheck", "FILE...", "replay scenarios on the real kernel and compare every call",
	  cmd_crosscheck },
	{ "explore", "FILE", "every schedule of a scenario: its outcomes, expectations over all",
	  sim_cli_explore },
	{ "quiz", "FILE", "the scenario as a quiz: expectations as questions (-c: answers)",
	  cmd_quiz },
	{ "record", "FILE", "run, then print the scenario with expectations of what happened",
	  cmd_record },
	/* msgsim exec: real programs on the simulated kernel (sim/cli_exec.c) */
	{ "exec", "-- PROG", "run real programs whose SysV queue calls the model serves",
	  sim_cli_exec },
	{ "help", "", "show this help", cmd_help },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: msgsim COMMAND [OPTIONS] FILE...\n\n"
	       "Simulates operating-system message passing step by step.\n\ncommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		printf("  %-10s %-7s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	printf("\n'msgsim COMMAND --help' shows a command's options; 'msgsim --version' the "
	       "version.\n"
	       "run, check, ipcs and crosscheck take -D NAME=VALUE for a scenario's 'param NAME'.\n");
	printf("\n"
	       "exit status: 0 all good, 1 an expectation failed (even when the run also\n"
	       "deadlocked), 2 bad usage, a bad scenario or output that could not be written\n"
	       "(msgsim: error: writing OUTPUT: ...), 3 an unexpected deadlock with every\n"
	       "expectation held, or a guard rail stopped the run (--max-steps, --max-time,\n"
	       "--max-memory, simulated time overflowing); run FILE...: the worst of them\n"
	       "(2, 3, 1, 0); crosscheck: 128+N\n"
	       "when signal N (SIGINT, SIGTERM, SIGHUP) stopped it, after removing what it made,\n"
	       "and 4 when nothing in any of its files could be cross-checked.\n");
	return SIM_EXIT_OK;
}

/* "run, check, ipcs, crosscheck or help": every command of the table. */
static char *command_list(void)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (i > 0)
			g_string_append(s, i + 1 == G_N_ELEMENTS(commands) ? " or " : ", ");
		g_string_append(s, commands[i].name);
	}
	return g_string_free(s, FALSE);
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return SIM_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0) {
		printf("msgsim %s\n", MSGSIM_VERSION);
		return SIM_EXIT_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	g_autofree char *list = command_list();
	fprintf(stderr, "msgsim: unknown command '%s' (expected %s)\n", argv[1], list);
	return SIM_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int status = dispatch(argc, argv);
	/* Whatever went to standard output (a trace, a report, ipcs, help) must have got
	 * there: a failed write is an error, not a success with a lost output. */
	if (!finish_output(stdout, "standard output", TRUE, stdout_errno))
		return SIM_EXIT_USAGE;
	return status;
}

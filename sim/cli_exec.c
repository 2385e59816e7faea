/* cli_exec.c — `msgsim exec [options] -- PROG ARGS --- PROG ARGS ...`.
 *
 * Reads the options before `--`, splits what follows at each `---` into one program's
 * argv, and hands them to the supervisor (exec/exec.h). The one design choice to know: the
 * exit statuses are run's (0 every program ended, 1 an expectation of --expect failed, 2 bad
 * usage or a refusal, 3 a deadlock nobody expected or a guard rail), and a machine that
 * cannot run guests is bad usage (2) with a message naming what it lacks, never a crash.
 */
#include "cli_exec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msgsim/exec/exec.h"
#include "msgsim/kernel/limits.h"

static gint64 opt_seed = 1;
static gboolean opt_program_output = FALSE;
static gint64 opt_max_steps = 0;
static gint opt_timeout = 0;
static char *opt_format = NULL;
static char *opt_output = NULL;
static gint opt_max_procs = 0;
static gint64 opt_max_memory = 0;
static char **opt_sysctl = NULL;
static char *opt_expect = NULL;
static char *opt_record = NULL;
static char *opt_schedule = NULL; /* --schedule WITNESS (sim/exec/search.c) */
static char *opt_input = NULL;	   /* --input FILE: the guests' standard input (exec/tty.c) */
/* explore --exec (sim/cli_exec_explore.c): its options, and what runs the programs then */
static const GOptionEntry *explore_entries = NULL;
static SimCliExecExplore explore_run = NULL;

static GOptionEntry exec_entries[] = {
	{ "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed,
	  "Seed of the scheduler's draws (default 1): the same seed gives the same run", "N" },
	{ "program-output", 0, 0, G_OPTION_ARG_NONE, &opt_program_output,
	  "Print only what the programs print, in schedule order", NULL },
	{ "max-steps", 0, 0, G_OPTION_ARG_INT64, &opt_max_steps,
	  "Stop after N served calls (default 10 million)", "N" },
	{ "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
	  "Stop when a program runs MS milliseconds without a call msgsim serves (default "
	  "10000)",
	  "MS" },
	{ "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
	  "Trace format: text (default, calls named as in C), jsonl, or a picture of the whole "
	  "run: chrome, mermaid, dot, html",
	  "FMT" },
	{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
	  "Write the trace to FILE (default: standard output)", "FILE" },
	{ "max-procs", 0, 0, G_OPTION_ARG_INT, &opt_max_procs,
	  "Stop when a program forks and N processes have been started in all, the "
	  "programs given included (default and most 64)", "N" },
	{ "max-memory", 0, 0, G_OPTION_ARG_INT64, &opt_max_memory,
	  "Stop when the model's messages hold more than N bytes (default 1 GiB)",
	  "N" },
	{ "expect", 'e', 0, G_OPTION_ARG_FILENAME, &opt_expect,
	  "Judge the run by the expect lines of FILE (exit status 1 when one fails)", "FILE" },
	{ "record", 0, 0, G_OPTION_ARG_FILENAME, &opt_record,
	  "Write what the run did to FILE as expect lines, for --expect", "FILE" },
	{ "sysctl", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_sysctl,
	  "Set a limit of the model as a scenario's sysctl does: msgmax=N, msgmnb=N, msgmni=N "
	  "(repeatable)",
	  "NAME=N" },
	{ "input", 'i', 0, G_OPTION_ARG_FILENAME, &opt_input,
	  "The programs' standard input (their terminal): reads take FILE's lines one at a "
	  "time, in schedule order, then end of file ('-': msgsim's own standard input; "
	  "default: none, end of file at once)",
	  "FILE" },
	{ "schedule", 0, 0, G_OPTION_ARG_STRING, &opt_schedule,
	  "Follow this schedule (a witness that msgsim explore --exec printed: the pids that "
	  "go at each choice point) instead of the seeded draws",
	  "WITNESS" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* --sysctl NAME=N: the SysV queue limits, checked against the kernel's ranges. */
static gboolean parse_sysctls(SimLimits *l, char **error)
{
	sim_limits_init(l);
	for (char **p = opt_sysctl; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		g_autofree char *name = eq ? g_strndup(*p, (gsize)(eq - *p)) : g_strdup(*p);
		int id = sim_limits_find(name);
		if (id != SIM_LIMIT_MSGMAX && id != SIM_LIMIT_MSGMNB && id != SIM_LIMIT_MSGMNI) {
			*error = g_strdup_printf("--sysctl '%s': expected msgmax=N, msgmnb=N or "
						 "msgmni=N",
						 *p);
			return FALSE;
		}
		const SimLimitInfo *info = &sim_limits_table[id];
		gint64 v = 0;
		if (!eq || !g_ascii_string_to_signed(eq + 1, 10, info->min, info->max, &v, NULL)) {
			*error = g_strdup_printf("--sysctl '%s': expected %s=N with N from %" G_GINT64_FORMAT
						 " to %" G_GINT64_FORMAT,
						 *p, name, info->min, info->max);
			return FALSE;
		}
		sim_limits_set(l, (SimLimitId)id, v);
	}
	return TRUE;
}

/* --input FILE, read whole before anything runs (every run of a search starts it afresh):
 * FALSE with *error when it cannot be read. */
static gboolean read_input(const char *path, char **text, gsize *len, char **error)
{
	g_autoptr(GError) err = NULL;
	if (strcmp(path, "-") != 0) {
		if (g_file_get_contents(path, text, len, &err))
			return TRUE;
		*error = g_strdup_printf("cannot read --input %s: %s", path, err->message);
		return FALSE;
	}
	g_autoptr(GString) s = g_string_new(NULL);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		g_string_append_len(s, buf, (gssize)n);
	if (ferror(stdin)) {
		*error = g_strdup_printf("cannot read --input - (standard input): %s",
					 g_strerror(errno));
		return FALSE;
	}
	*len = s->len;
	*text = g_string_free(g_steal_pointer(&s), FALSE);
	return TRUE;
}

int sim_cli_exec_with(int argc, char **argv, const GOptionEntry *more, SimCliExecExplore run)
{
	explore_entries = more;
	explore_run = run;
	return sim_cli_exec(argc, argv);
}

static int usage(const char *msg)
{
	fprintf(stderr, "msgsim: exec: %s\nusage: msgsim exec [OPTIONS] -- PROG [ARGS] "
			"[--- PROG [ARGS]]...\n", msg);
	return 2;
}

int sim_cli_exec(int argc, char **argv)
{
	int dash = 1;
	while (dash < argc && strcmp(argv[dash], "--") != 0)
		dash++;
	int n_opts = dash;
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("-- PROG [ARGS] [--- PROG [ARGS]]... - run real programs "
				     "on the simulated kernel");
	g_option_context_add_main_entries(ctx, exec_entries, NULL);
	if (explore_entries)
		g_option_context_add_main_entries(ctx, explore_entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &n_opts, &argv, &error))
		return usage(error->message);
	if (n_opts > 1)
		return usage("unexpected argument before --; the programs come after --");
	if (dash >= argc - 1)
		return usage("no program to run (put the programs after --)");
	if (opt_seed < 0 || opt_max_steps < 0 || opt_timeout < 0 || opt_max_procs < 0 ||
	    opt_max_memory < 0)
		return usage("--seed, --max-steps, --timeout, --max-procs and --max-memory take "
			     "numbers >= 0");
	if (opt_program_output && opt_format && strcmp(opt_format, "text") != 0)
		return usage("--program-output prints only the programs' output: it takes no "
			     "--format");
	SimLimits limits;
	g_autofree char *lerr = NULL;
	if (!parse_sysctls(&limits, &lerr))
		return usage(lerr);
	if (opt_output && !opt_format)
		opt_format = (char *)"text";
	g_autofree char *input = NULL;
	gsize input_len = 0;
	g_autofree char *ierr = NULL;
	if (opt_input && !read_input(opt_input, &input, &input_len, &ierr)) {
		fprintf(stderr, "msgsim: exec: %s\n", ierr);
		return 2;
	}
	/* The programs' argvs point into argv; "---" becomes each one's NULL. */
	char **progs[SIM_EXEC_MAX_GUESTS];
	guint n = 0;
	progs[n++] = &argv[dash + 1];
	for (int i = dash + 1; i < argc; i++) {
		if (strcmp(argv[i], "---") != 0)
			continue;
		argv[i] = NULL;
		if (n == SIM_EXEC_MAX_GUESTS)
			return usage("too many programs (at most 64)");
		progs[n++] = &argv[i + 1];
	}
	for (guint i = 0; i < n; i++)
		if (!progs[i][0])
			return usage("an empty program between two ---");
	SimExecOptions opt = { .seed = (guint64)opt_seed,
			       .program_output = opt_program_output,
			       .max_steps = (guint64)opt_max_steps,
			       .timeout_ms = (guint)opt_timeout,
			       .format = opt_format,
			       .output = opt_output,
			       .max_procs = (guint)opt_max_procs,
			       .max_memory = (guint64)opt_max_memory,
			       .limits = &limits,
			       .expect_file = opt_expect,
			       .record_file = opt_record,
			       .input = input,
			       .input_len = input_len,
			       .input_file = opt_input };
	g_autoptr(GError) serr = NULL;
	if (opt_schedule && !(opt.chooser = sim_exec_schedule_parse(opt_schedule, &serr)))
		return usage(serr->message);
	if (explore_run) {
		int st = explore_run((char **const *)progs, n, &opt);
		sim_exec_chooser_free(opt.chooser);
		return st;
	}
	FILE *out = stdout;
	FILE *text_file = NULL;
	if (opt_output && strcmp(opt_format, "text") == 0) {
		if (!(text_file = fopen(opt_output, "we"))) {
			fprintf(stderr, "msgsim: exec: cannot write %s: %s\n", opt_output,
				g_strerror(errno));
			return 2;
		}
		out = text_file;
		opt.output = NULL;
	}
	SimExecStatus status = SIM_EXEC_DONE;
	gboolean ran = sim_exec_run((char **const *)progs, n, &opt, out, &status, &error);
	if (opt.chooser && sim_exec_schedule_misfit(opt.chooser))
		status = SIM_EXEC_REFUSED; /* the witness does not fit these programs */
	sim_exec_chooser_free(opt.chooser);
	if (text_file && fclose(text_file) != 0 && ran) {
		fprintf(stderr, "msgsim: exec: cannot write %s: %s\n", opt_output,
			g_strerror(errno));
		return 2;
	}
	if (!ran) {
		fprintf(stderr, "msgsim: exec: %s\n", error->message);
		return 2;
	}
	switch (status) {
	case SIM_EXEC_DONE: return 0;
	case SIM_EXEC_REFUSED: return 2;
	case SIM_EXEC_FAILED: return 1;
	default: return 3;
	}
}

/* cli_exec.c — `msgsim exec [options] -- PROG ARGS --- PROG ARGS ...`.
 *
 * Reads the options before `--`, splits what follows at each `---` into one program's
 * argv, and hands them to the supervisor (exec/exec.h). The one design choice to know: the
 * exit statuses are run's (0 every program ended, 2 bad usage or a refusal, 3 a deadlock
 * or a guard rail), and a machine that cannot run guests is bad usage (2) with a message
 * naming what it lacks, never a crash.
 */
#include "cli_exec.h"

#include <stdio.h>
#include <string.h>

#include "msgsim/exec/exec.h"

static gint64 opt_seed = 1;
static gboolean opt_program_output = FALSE;
static gint64 opt_max_steps = 0;
static gint opt_timeout = 0;

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
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

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
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &n_opts, &argv, &error))
		return usage(error->message);
	if (n_opts > 1)
		return usage("unexpected argument before --; the programs come after --");
	if (dash >= argc - 1)
		return usage("no program to run (put the programs after --)");
	if (opt_seed < 0 || opt_max_steps < 0 || opt_timeout < 0)
		return usage("--seed, --max-steps and --timeout take numbers >= 0");
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
			       .timeout_ms = (guint)opt_timeout };
	SimExecStatus status = SIM_EXEC_DONE;
	if (!sim_exec_run((char **const *)progs, n, &opt, stdout, &status, &error)) {
		fprintf(stderr, "msgsim: exec: %s\n", error->message);
		return 2;
	}
	switch (status) {
	case SIM_EXEC_DONE: return 0;
	case SIM_EXEC_REFUSED: return 2;
	default: return 3;
	}
}

/* cli_record_exec.c — `msgsim record --exec [exec's options] -- PROG ARGS [--- ...]`.
 *
 * The programs run as `msgsim exec` runs them, with no trace, and what the run did is
 * printed as an expectations file (sim/exec/expect.c's record: each program's received
 * messages, calls and end, the queues, deadlock or not), as `msgsim record FILE` prints a
 * scenario's answer key. The one design choice to know: it is exec's --record, written to a
 * file of its own and then printed, so the two can never differ; a run a guard rail
 * stopped or a refusal leaves nothing worth recording and prints nothing (exit 3 or 2).
 */
#include "cli_record.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_exec.h"
#include "msgsim/exec/exec.h"
#include "msgsim/output/report.h"

static int record_programs(char **const *progs, guint n, SimExecOptions *opt)
{
	if (opt->expect_file || opt->record_file || opt->output || opt->format ||
	    opt->program_output) {
		fprintf(stderr, "msgsim record --exec: it prints the record and nothing else: "
				"no --expect, --record, -o, --format or --program-output\n");
		return SIM_EXIT_USAGE;
	}
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("msgsim-record-XXXXXX", &path, &error);
	if (fd < 0) {
		fprintf(stderr, "msgsim record --exec: %s\n", error->message);
		return SIM_EXIT_USAGE;
	}
	close(fd);
	opt->quiet = TRUE;
	opt->record_file = path;
	SimExecStatus st = SIM_EXEC_DONE;
	gboolean ran = sim_exec_run(progs, n, opt, stdout, &st, &error);
	g_autofree char *text = NULL;
	gboolean have = ran && g_file_get_contents(path, &text, NULL, NULL);
	unlink(path);
	if (!ran) {
		fprintf(stderr, "msgsim record --exec: %s\n", error->message);
		return SIM_EXIT_USAGE;
	}
	if (st == SIM_EXEC_REFUSED)
		return SIM_EXIT_USAGE; /* exec has said why */
	if (st != SIM_EXEC_DONE && st != SIM_EXEC_DEADLOCK) {
		fprintf(stderr, "msgsim record --exec: a guard rail stopped the run: nothing "
				"to record\n");
		return SIM_EXIT_STUCK;
	}
	if (!have) {
		fprintf(stderr, "msgsim record --exec: the record was not written\n");
		return SIM_EXIT_USAGE;
	}
	fputs(text, stdout);
	return SIM_EXIT_OK;
}

int sim_cli_record_exec(int argc, char **argv, int at)
{
	memmove(&argv[at], &argv[at + 1], sizeof *argv * (gsize)(argc - at));
	g_set_prgname("msgsim record --exec");
	return sim_cli_exec_with(argc - 1, argv, NULL, record_programs);
}

/* cli_exec.h — `msgsim exec`: real programs on the simulated kernel (exec/exec.h). */
#ifndef MSGSIM_CLI_EXEC_H
#define MSGSIM_CLI_EXEC_H

/* msgsim exec [options] -- PROG ARGS [--- PROG ARGS]...: the exit status. */
int sim_cli_exec(int argc, char **argv);

#include <glib.h>
#include "msgsim/exec/exec.h"
/* exec's options and programs read, then run(progs, n, opt) instead of one run, with the
 * options of more too (explore --exec): its exit status. */
typedef int (*SimCliExecExplore)(char **const *progs, guint n, SimExecOptions *opt);
int sim_cli_exec_with(int argc, char **argv, const GOptionEntry *more, SimCliExecExplore run);

/* msgsim explore --exec [options] -- PROG ARGS [--- PROG ARGS]... (argv[at] is --exec):
 * every schedule of the programs (sim/cli_exec_explore.c). */
int sim_cli_exec_explore(int argc, char **argv, int at);

#endif /* MSGSIM_CLI_EXEC_H */

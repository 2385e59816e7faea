/* cli_record.h — `msgsim record --explore FILE`: an answer key of every schedule
 * (sim/cli_record.c), for main.c's record command.
 */
#ifndef MSGSIM_CLI_RECORD_H
#define MSGSIM_CLI_RECORD_H

#include "msgsim/lang/scn.h"

/* Explores scn (at most max_executions executions and max_seconds of wall time) and
 * prints it with expectations of every outcome; the exit status. */
int sim_cli_record_explore(const SimScenario *scn, guint64 seed, guint64 max_executions,
			   double max_seconds);

/* msgsim record --exec [exec's options] -- PROG ARGS [--- ...] (argv[at] is --exec): the
 * programs run as exec runs them, and the expectations file of what they did is printed
 * (sim/cli_record_exec.c); the exit status. */
int sim_cli_record_exec(int argc, char **argv, int at);

#endif /* MSGSIM_CLI_RECORD_H */

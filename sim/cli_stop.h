/* cli_stop.h — a stop signal (SIGINT, SIGTERM, SIGHUP) ends `msgsim run` as a finished run
 * ends: the world stops after its statement, the report and the whole trace so far are
 * written and flushed, and then the process dies of the signal, as the shell expects.
 * (sim/cli_stop.c)
 */
#ifndef MSGSIM_CLI_STOP_H
#define MSGSIM_CLI_STOP_H

#include "msgsim/engine/world.h"

/* From now until sim_cli_stop_end, a stop signal stops w (sim_world_stop). A second one
 * acts at once, as if none had been caught: a run that does not stop can still be killed. */
void sim_cli_stop_begin(SimWorld *w);
/* The default actions again; returns the signal that stopped the run, or 0. */
int sim_cli_stop_end(void);
/* Dies of signal sig (its default action), once the output is written; sig 0: returns. */
void sim_cli_stop_die(int sig);

#endif /* MSGSIM_CLI_STOP_H */

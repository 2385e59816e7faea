/* cli_explore.h — the command line's exploration commands (sim/cli_explore.c), for main.c's
 * table: `msgsim explore FILE`, and the `--schedule WITNESS` replay of `msgsim run`.
 */
#ifndef MSGSIM_CLI_EXPLORE_H
#define MSGSIM_CLI_EXPLORE_H

#include "msgsim/engine/world.h"
#include "msgsim/lang/scn.h"

/* msgsim explore FILE [options]: the exit status. */
int sim_cli_explore(int argc, char **argv);

/* run --schedule: prepares o so that the world made from scn follows text; FALSE (said on
 * standard error) when text is not a schedule of scn. *handle is freed by
 * sim_cli_schedule_run. */
gboolean sim_cli_schedule_prepare(const SimScenario *scn, const char *text, SimWorldOptions *o,
				  void **handle);
/* Runs w by the schedule (instead of sim_world_run) and frees the handle; FALSE (said on
 * standard error) when the schedule does not fit the run. */
gboolean sim_cli_schedule_run(void *handle, SimWorld *w);

#endif /* MSGSIM_CLI_EXPLORE_H */

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

/* The parts of explore's output that `explore --exec` (sim/cli_exec_explore.c) shares:
 * the progress line (and whether it left a line open), the counts and bounds lines, the
 * outcomes with their witnesses, and the JSON summary's fields from "complete" to
 * "outcome_set" (appended to s, each after a comma). */
#include "msgsim/explore/explore.h"
void sim_cli_explore_progress(void *data, const SimExploreStats *st);
gboolean sim_cli_explore_progress_shown(void);
void sim_cli_explore_print_counts(const SimExploreResult *r);
void sim_cli_explore_print_bounds(const SimExploreResult *r, guint max_depth);
void sim_cli_explore_print_outcomes(const SimExploreResult *r);
void sim_cli_explore_json_result(GString *s, const SimExploreResult *r);
void sim_cli_json_str(GString *s, const char *text);

#endif /* MSGSIM_CLI_EXPLORE_H */

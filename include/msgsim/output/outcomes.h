/* outcomes.h — the outcome set of `msgsim explore` as one self-contained HTML page: one row
 * per outcome with its count, its text and its witness, the expectations over all
 * schedules with which hold and which fail, and each witness's run as swimlanes.
 *
 * The design choice to know: a witness's swimlanes are the run report itself (html.c),
 * made by replaying the witness and kept in the page as a string; a click shows it in a
 * frame of its own (srcdoc), so the two pages share no script state and the outcome page
 * stays as small as its table until a row is opened. Only the first
 * SIM_OUTCOMES_MAX_PAGES outcomes get one: a page of thousands of runs would not load.
 */
#ifndef MSGSIM_OUTCOMES_H
#define MSGSIM_OUTCOMES_H

#include "msgsim/explore/explore.h"

#define SIM_OUTCOMES_MAX_PAGES 40

/* Operations */
/* Writes the page of r (explored from scn; names: a world of scn for the expectations'
 * words; status: explore's exit status) to s. */
void sim_outcomes_html_write(GString *s, const SimScenario *scn, const SimExploreResult *r,
			     SimWorld *names, int status);

#endif /* MSGSIM_OUTCOMES_H */

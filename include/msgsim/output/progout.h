/* progout.h — the programs' own output: what `msgsim run --program-output` prints.
 *
 * A trace sink (trace.h, sim_trace_add_custom) that takes only what the processes print:
 * each `print`, as puts (its text and a newline) or as printf (its bytes, newlines its
 * own), and each `ipcs` table, as system("ipcs -q") would put it between the lines around
 * it. Nothing else: no times, no task names, no report. The design choice to know: it is
 * one more sink of the one trace, so the output is in the order the run made it and a run
 * with this sink is the same run as one with the text trace.
 */
#ifndef MSGSIM_PROGOUT_H
#define MSGSIM_PROGOUT_H

#include <stdio.h>

#include "msgsim/output/trace.h"

/* Operations */
/* Adds the programs' output sink to tr, writing to out (closed with the trace when own). */
void sim_progout_add_sink(SimTrace *tr, FILE *out, gboolean own);

#endif /* MSGSIM_PROGOUT_H */

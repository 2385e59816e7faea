/* trace_style.h — the text trace drawn for a person: source lines, colour, one column per process.
 *
 * `msgsim run --source`, `--color` and `--columns` do not change the plain text sink of
 * trace.c (whose bytes the golden traces pin and whose speed a long run needs); they add
 * a sink of their own (trace.h, sim_trace_add_custom) that writes each event's words as
 * the plain trace does (sim_trace_text) and dresses them: the statement's `file:line`
 * after a call, ANSI colours (time dim, each process in its own colour, errors red,
 * blocks yellow, wake-ups green, the verdict green or red), or the table laid out with one
 * column per process, each event in its process's column, wrapped to the column's width;
 * with --explain, a line after a send whose message several receivers waited for, naming
 * them in wait order and the mailbox's rule that chose; with --holders, after each pipe or
 * FIFO call, the processes that hold its read end and its write end (and by which fd).
 * A run without these options has no such sink and pays nothing for it.
 */
#ifndef MSGSIM_TRACE_STYLE_H
#define MSGSIM_TRACE_STYLE_H

#include <stdio.h>

#include "msgsim/lang/scn.h"
#include "msgsim/output/trace.h"

/* At most this many processes get a column each with --columns; more is refused. */
#define SIM_TRACE_MAX_COLUMNS 8

typedef struct SimTraceStyle {
	gboolean source;   /* after each call: "  (file:line)" of its statement */
	gboolean color;	   /* ANSI colour escapes */
	gboolean columns;  /* one column per process */
	gboolean explain;  /* a delivery that chose among waiting receivers says why (the
			    * world's `explain` option fills its event) */
	gboolean holders;  /* after a pipe call: who holds its read and its write end */
	guint64 max_lines; /* event lines written at most (0: all), as --max-lines */
} SimTraceStyle;

typedef struct SimTraceStyleSink SimTraceStyleSink; /* owned by the trace */

/* Adds a sink to tr writing scn's run to out (not owned) in the given style. NULL, with a
 * message in *error, when --columns is asked for a scenario of more processes than
 * SIM_TRACE_MAX_COLUMNS. The scenario must outlive the trace. */
SimTraceStyleSink *sim_trace_style_add_sink(SimTrace *tr, const SimTraceStyle *style,
					    const SimScenario *scn, FILE *out, GError **error);
/* The run the sink draws, for what the events do not carry (--holders: the descriptor
 * tables); set it before the run starts. */
struct SimWorld;
void sim_trace_style_set_world(SimTraceStyleSink *sink, const struct SimWorld *w);

/* --color=WORD: "always" TRUE, "never" FALSE, "auto" whether fd is a terminal, TERM is not
 * "dumb" and NO_COLOR is not set. FALSE for another word. */
gboolean sim_trace_style_color(const char *word, int fd, gboolean *color);

#endif /* MSGSIM_TRACE_STYLE_H */

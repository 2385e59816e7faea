/* pictures.h — a run drawn whole: Chrome trace-event JSON (Perfetto, chrome://tracing), a
 * Mermaid sequence diagram, the deadlock's wait-for graph in Graphviz dot, and one
 * self-contained HTML report.
 *
 * Each is a trace sink (trace.h, sim_trace_add_custom) that gathers the run into a
 * SimTimeline (timeline.h) and writes its file when the run ends, from that timeline
 * alone: the same run gives the same bytes. A format that is not chosen has no sink, so a
 * run pays nothing for it. Each writer lives in a file of its own (sim/output/chrome.c,
 * mermaid.c, dot.c, html.c); the HTML report's script and styles are separate files
 * (sim/output/html/) embedded at build time.
 */
#ifndef MSGSIM_PICTURES_H
#define MSGSIM_PICTURES_H

#include <stdio.h>

#include "msgsim/output/timeline.h"

/* Writes a whole picture of a finished run to s. */
typedef void (*SimPictureWriteFn)(GString *s, const SimTimeline *tl);

typedef struct SimPicture {
	const char *name;	 /* the --format word */
	const char *summary;	 /* one line for --help and errors */
	SimPictureWriteFn write; /* its writer */
} SimPicture;

/* Queries */
/* The picture named name ("chrome"), or NULL. */
const SimPicture *sim_picture_by_name(const char *name);
/* "chrome, mermaid, dot or html": every picture's name, for messages. */
const char *sim_picture_names(void);

/* Operations */
/* Adds a sink to tr that writes picture p of the run to out when the run ends (out is
 * closed with the trace when own). Returns the sink's timeline, owned by the sink, for the
 * caller to tell it what the events do not say (sim_timeline_set_limit) before the run. */
SimTimeline *sim_picture_add_sink(SimTrace *tr, const SimPicture *p, FILE *out, gboolean own);

/* The writers */
void sim_chrome_write(GString *s, const SimTimeline *tl);
void sim_mermaid_write(GString *s, const SimTimeline *tl);
void sim_dot_write(GString *s, const SimTimeline *tl);
void sim_html_write(GString *s, const SimTimeline *tl);

/* At most this many diagram lines: a sequence diagram of a long run is unreadable, and
 * Mermaid's renderer gives up long before the simulator would. */
#define SIM_MERMAID_MAX_LINES 300

#endif /* MSGSIM_PICTURES_H */

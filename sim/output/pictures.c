/* pictures.c — the table of pictures and the one trace sink that feeds them all.
 *
 * The design choice to know: a picture is only a writer from a finished timeline. The sink
 * takes every event into the timeline as it comes and calls the writer once, at the run's
 * END event, so each writer sees the whole run and none of them keeps state of its own.
 */
#include "msgsim/output/pictures.h"

static const SimPicture pictures[] = {
	{ "chrome", "Chrome trace-event JSON for Perfetto and chrome://tracing", sim_chrome_write },
	{ "mermaid", "a Mermaid sequence diagram of the calls and messages", sim_mermaid_write },
	{ "dot", "the wait-for graph at a deadlock, for Graphviz", sim_dot_write },
	{ "html", "one self-contained HTML report: swimlanes, messages, levels, deadlock",
	  sim_html_write },
};

const SimPicture *sim_picture_by_name(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(pictures); i++)
		if (strcmp(pictures[i].name, name) == 0)
			return &pictures[i];
	return NULL;
}

const char *sim_picture_names(void)
{
	return "chrome, mermaid, dot or html";
}

typedef struct PictureSink {
	const SimPicture *pic;
	SimTimeline *tl;
} PictureSink;

static void picture_event(gpointer data, const SimTraceEvent *ev, GString *out)
{
	PictureSink *ps = data;
	sim_timeline_add(ps->tl, ev);
	if (ev->kind == SIM_TR_END)
		ps->pic->write(out, ps->tl);
}

static void picture_free(gpointer data)
{
	PictureSink *ps = data;
	sim_timeline_free(ps->tl);
	g_free(ps);
}

static const SimTraceSinkClass picture_class = {
	.wants = (2u << SIM_TR_END) - 1, /* every kind */
	.event = picture_event,
	.free = picture_free,
};

SimTimeline *sim_picture_add_sink(SimTrace *tr, const SimPicture *p, FILE *out, gboolean own)
{
	PictureSink *ps = g_new0(PictureSink, 1);
	ps->pic = p;
	ps->tl = sim_timeline_new();
	sim_trace_add_custom(tr, &picture_class, ps, out, own);
	return ps->tl;
}

/* progout.c — the sink of `msgsim run --program-output`: prints and ipcs tables only.
 *
 * The design choice to know: a print event says how it was written (value 0: puts, which
 * adds the newline; 1: printf, whose text is exactly the bytes the program wrote), so this
 * sink needs nothing from the scenario to print what the program would.
 */
#include "msgsim/output/progout.h"

static void progout_event(gpointer data, const SimTraceEvent *ev, GString *out)
{
	(void)data;
	g_string_append(out, ev->text);
	if (ev->kind == SIM_TR_PRINT && ev->value == 0)
		g_string_append_c(out, '\n');
}

/* It keeps no state. */
static void progout_free(gpointer data)
{
	(void)data;
}

static const SimTraceSinkClass progout_class = {
	.wants = (1u << SIM_TR_PRINT) | (1u << SIM_TR_IPCS),
	.event = progout_event,
	.free = progout_free,
};

void sim_progout_add_sink(SimTrace *tr, FILE *out, gboolean own)
{
	sim_trace_add_custom(tr, &progout_class, NULL, out, own);
}

#include "msgsim/output/pictures.h"

void sim_mermaid_write(GString *s, const SimTimeline *tl)
{
	(void)tl;
	g_string_append(s, "sequenceDiagram\n");
}

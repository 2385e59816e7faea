/* html.c — placeholder, filled in below. */
#include "msgsim/output/pictures.h"

void sim_html_write(GString *s, const SimTimeline *tl)
{
	(void)tl;
	g_string_append(s, "<!DOCTYPE html>\n");
}

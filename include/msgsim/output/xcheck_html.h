/* xcheck_html.h — cross-check reports (`msgsim crosscheck --format html`) as one
 * self-contained HTML page: per scenario, the model and the kernel side by side per call,
 * mismatches highlighted, and the report's other lines (schedule, expectations, verdict,
 * a free run's outcome table) as they read in the text.
 *
 * The design choice to know: the page is made from the text reports, not from the
 * cross-check's records: the text is the one the tests and readers already trust, and its
 * tables are Markdown with every '|' in a cell escaped (xcheck_report.c), so they convert
 * without loss. No script: the page is static and prints as it shows.
 */
#ifndef MSGSIM_XCHECK_HTML_H
#define MSGSIM_XCHECK_HTML_H

#include <glib.h>

/* Operations */
/* Writes the page of the n reports (each one file's report text) to s. */
void sim_xcheck_html_write(GString *s, char *const *reports, guint n);

#endif /* MSGSIM_XCHECK_HTML_H */

/* bench.c — simulated send/receive pairs per second, trace off and text trace to a file.
 *
 * One producer and one consumer exchange N messages (default one million) through a
 * mailbox, once unbounded (the producer never blocks) and once with capacity 16 (the two
 * block and wake each other, so every pair also costs context switches), and through a
 * pipe (7-byte writes merging into pages, 7-byte reads; the writer blocks each time the
 * 16 slots are full, about every 9,400 writes). Each case runs
 * a few times and the best wall-clock time counts, so a noisy neighbour does not lower
 * the figure. Prints a Markdown table; tests/bench.sh writes it to reports/bench.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgsim/output/report.h"
#include "msgsim/lang/scn.h"
#include "msgsim/engine/world.h"

#define RUNS 3

typedef struct {
	const char *name;
	const char *capacity; /* mailbox capacity, or NULL for the pipe */
	gboolean traced;
} Case;

static char *scenario_text(const Case *c, long n)
{
	if (!c->capacity)
		return g_strdup_printf(
			"scheduler fifo\n"
			"process producer {\n"
			"  pipe -> p\n"
			"  fork consumer { close p.w  repeat %ld { read p.r size=7 } }\n"
			"  close p.r\n"
			"  repeat %ld { write p.w \"message\" }\n"
			"}\n",
			n, n);
	return g_strdup_printf("scheduler fifo\n"
			       "mailbox q capacity=%s\n"
			       "process producer { repeat %ld { send q \"message\" } }\n"
			       "process consumer { repeat %ld { receive q } }\n"
			       "expect q sent=%ld received=%ld\n",
			       c->capacity, n, n, n, n);
}

static double run_once(const SimScenario *scn, gboolean traced, const char *trace_path,
		       guint64 *steps)
{
	g_autoptr(SimTrace) tr = NULL;
	SimWorldOptions opt = { 0 };
	if (traced) {
		FILE *f = fopen(trace_path, "w");
		if (!f) {
			perror(trace_path);
			exit(2);
		}
		tr = sim_trace_new();
		sim_trace_add_sink(tr, SIM_TRACE_TEXT, f, TRUE, FALSE);
		opt.trace = tr;
	}
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	gint64 t0 = g_get_monotonic_time();
	SimRunStatus st = sim_world_run(w);
	SimVerdict v = sim_report_finish(w, tr);
	gint64 t1 = g_get_monotonic_time();
	if (st != SIM_RUN_DONE || v.exit_status != 0) {
		fprintf(stderr, "bench: the run did not finish cleanly (%s)\n",
			sim_world_status_name(st));
		exit(2);
	}
	*steps = sim_world_steps(w);
	return (double)(t1 - t0) / 1e6;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	const char *trace_path = argc > 2 ? argv[2] : "/tmp/msgsim-bench.trace";
	const Case cases[] = {
		{ "unbounded mailbox", "unbounded", FALSE },
		{ "unbounded mailbox", "unbounded", TRUE },
		{ "capacity 16", "16", FALSE },
		{ "capacity 16", "16", TRUE },
		{ "pipe", NULL, FALSE },
		{ "pipe", NULL, TRUE },
	};
	printf("| case | trace | messages | best time (s) | pairs/s | statements/s |\n");
	printf("|---|---|---:|---:|---:|---:|\n");
	for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
		g_autofree char *text = scenario_text(&cases[c], n);
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = sim_scn_parse("bench.scn", text, strlen(text), &error);
		if (!scn) {
			fprintf(stderr, "bench: %s\n", error->message);
			return 2;
		}
		double best = 0;
		guint64 steps = 0;
		for (int r = 0; r < RUNS; r++) {
			double t = run_once(scn, cases[c].traced, trace_path, &steps);
			if (r == 0 || t < best)
				best = t;
		}
		printf("| %s | %s | %ld | %.3f | %.0f | %.0f |\n", cases[c].name,
		       cases[c].traced ? "text, to a file" : "off", n, best, (double)n / best,
		       (double)steps / best);
		fflush(stdout);
	}
	unlink(trace_path);
	return 0;
}

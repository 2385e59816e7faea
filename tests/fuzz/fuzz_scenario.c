/* fuzz_scenario.c — the libFuzzer harness: one input is one scenario, parsed, run, reported.
 *
 * Each input goes the whole way a student's file goes through `msgsim run`: the parser
 * (sim_scn_parse, straight from the fuzzer's bytes, which are not NUL-terminated, so a read
 * past the end is caught), the world, the engine loop, the report with its expectations and
 * wait-for lists, both trace formats and every `ipcs` view. Nothing is printed: the JSON
 * Lines trace goes to /dev/null and the text trace to memory, for the second oracle: each
 * scenario runs twice, and the two traces must be the same bytes.
 *
 * The design choice to know: the guard rails are small (FUZZ_MAX_STEPS statements,
 * FUZZ_MAX_TIME of simulated time), so a `loop { }` costs milliseconds and not the default
 * hundred million steps; a run stopped by them is an ordinary outcome, not a finding.
 * Everything an input allocates is freed before the next one, so LeakSanitizer's report is
 * a real leak. GLib criticals and warnings (a g_return_if_fail that fails) abort: they are
 * programming errors, and the fuzzer must see them as crashes.
 *
 * Built by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined) as build/fuzz/fuzz_scenario;
 * `build/fuzz/fuzz_scenario FILE...` replays inputs, such as tests/fuzz/regressions/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgsim/output/ipcs.h"
#include "msgsim/output/report.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/trace.h"
#include "msgsim/engine/world.h"

#define FUZZ_MAX_STEPS 20000	    /* statements per run; the CLI's default is 100 million */
#define FUZZ_MAX_MEMORY (64u << 20) /* the model's memory per run (--max-memory) */
/* Simulated time per run. It costs nothing (the clock jumps), but it also keeps the clock
 * far from the end of SimTime; -DFUZZ_MAX_TIME=0 takes it off to fuzz that end too. */
#ifndef FUZZ_MAX_TIME
#define FUZZ_MAX_TIME (10 * SIM_S)
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("fuzz_scenario: /dev/null");
		exit(1);
	}
	return 0;
}

/* The run's options: the guard rails, no seed of our own (the scenario's), the trace. */
static SimWorldOptions fuzz_options(SimTrace *tr)
{
	SimWorldOptions o = { 0 };
	o.max_steps = FUZZ_MAX_STEPS;
	o.max_time = FUZZ_MAX_TIME;
	o.trace = tr;
	o.max_memory = FUZZ_MAX_MEMORY;
	return o;
}

/* Runs scn once and returns its text trace followed by every ipcs view; the JSON Lines trace
 * goes to /dev/null when jsonl is set. */
static char *run_once(const SimScenario *scn, gboolean jsonl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *text = open_memstream(&buf, &len);
	if (!text)
		abort();
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, text, FALSE, FALSE);
	if (jsonl)
		sim_trace_add_sink(tr, SIM_TRACE_JSONL, devnull, FALSE, FALSE);
	SimWorldOptions o = fuzz_options(tr);
	SimWorld *w = sim_world_new(scn, &o);
	SimTraceEvent head = { .kind = SIM_TR_HEADER,
			       .text = scn->file,
			       .op = sim_sched_policy_name(scn->policy),
			       .value = (gint64)sim_world_seed(w) };
	sim_trace_emit(tr, &head);
	sim_world_run(w);
	sim_report_finish(w, tr);
	sim_trace_free(tr);
	GString *out = g_string_new(NULL);
	sim_ipcs_format(out, w, 'q');
	sim_ipcs_format(out, w, 'p');
	sim_ipcs_format(out, w, 't');
	sim_ipcs_format(out, w, 'l');
	sim_ipcs_format(out, w, 'm');
	fputs(out->str, text);
	g_string_free(out, TRUE);
	sim_world_free(w);
	fclose(text);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *error = NULL;
	SimScenario *scn = sim_scn_parse("fuzz.scn", (const char *)data, size, &error);
	if (!scn) {
		/* A refused scenario must say why, in the shape the CLI prints. */
		if (!error || error->domain != SIM_SCN_ERROR || !strstr(error->message, ": error: "))
			abort();
		g_error_free(error);
		return 0;
	}
	/* A run is a function of the scenario and its seed (golden traces rest on it): the
	 * same scenario run twice in one process must trace the same bytes, whatever
	 * addresses malloc hands out the second time. */
	char *first = run_once(scn, TRUE);
	char *second = run_once(scn, FALSE);
	if (strcmp(first, second) != 0) {
		size_t i = 0;
		while (first[i] && first[i] == second[i])
			i++;
		fprintf(stderr, "fuzz_scenario: two runs of one scenario differ at byte %zu:\n"
				"first:  %.80s\nsecond: %.80s\n",
			i, first + i, second + i);
		abort();
	}
	free(first);
	free(second);
	sim_scn_free(scn);
	return 0;
}

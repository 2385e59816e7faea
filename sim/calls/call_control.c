/* call_control.c — the control family: what a body does without a kernel object.
 *
 * compute burns CPU, sleep waits on a timer, print writes to the trace, and repeat, loop and
 * break are control flow the compiler turns into jumps. Only compute and sleep are traced as
 * calls (print has an event of its own); they show their duration and no result, since
 * neither can fail. None of them touches a kernel object: their footprint is the task
 * itself, and the output for print.
 */
#include "calls/call_int.h"

static void duration_text(GString *s, const SimTraceEvent *ev)
{
	char buf[32];
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name,
			       sim_trace_time(ev->stmt->duration, buf, sizeof(buf)));
}

static void duration_json(GString *s, const SimTraceEvent *ev)
{
	sim_trace_json_int(s, "duration", ev->stmt->duration);
}

/* ---- Footprint ---- */

/* compute, sleep, repeat, loop, break: nothing but the task itself, which reads whether it
 * is still alive (a kill ends a compute as it ends any call). */
static void self_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	(void)st;
	sim_call_fp_self(fp, t, FALSE);
}

/* print: and the output, whose order of lines is the order of the prints. */
static void print_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	self_footprint(w, t, st, fp);
	sim_footprint_add(fp, SIM_OBJ_OUTPUT, 0, TRUE);
}

const SimCallDesc sim_call_control_rows[] = {
	{
		.kind = SIM_STMT_COMPUTE,
		.name = "compute",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_COMPUTE,
		.text_call = duration_text,
		.json_call = duration_json,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_SLEEP,
		.name = "sleep",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_SLEEP,
		.text_call = duration_text,
		.json_call = duration_json,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_PRINT,
		.name = "print",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_PRINT,
		.footprint = print_footprint,
	},
	{
		.kind = SIM_STMT_REPEAT,
		.name = "repeat",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_REPEAT,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_LOOP,
		.name = "loop",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_JUMP,
		.footprint = self_footprint,
	},
	{
		.kind = SIM_STMT_BREAK,
		.name = "break",
		.family = SIM_CALL_CONTROL,
		.op = SIM_OP_BREAK,
		.footprint = self_footprint,
	},
};
const guint sim_call_control_n_rows = G_N_ELEMENTS(sim_call_control_rows);

/* call_procfs.c — the System V family's view of /proc: `cat "/proc/sysvipc/msg"`.
 *
 * What a program reads from /proc/sysvipc/msg, the file util-linux's ipcs itself reads: a
 * heading and one line per live queue with its key, id, mode, byte and message counts, last
 * sender and receiver pids, owner and creator ids, and times (ipc/msg.c,
 * sysvipc_msg_proc_show). The statement prints it into the trace at that moment, as the
 * `ipcs` statement prints ipcs's tables, through the one function that `msgsim ipcs --proc`
 * and `msgsim exec` use too (sim/output/ipcs_proc.c).
 *
 * The one design choice to know: it is an output statement, not a file call. The path is
 * checked when the scenario is read (only this file can be named), no descriptor is made,
 * and the cross-check does not replay it: the real file shows the real pids and times and,
 * without a private namespace, every queue of the machine.
 */
#include "calls/call_int.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "msgsim/output/ipcs.h"

#define PROC_MSG "/proc/sysvipc/msg"

/* cat "/proc/sysvipc/msg" */
static gboolean cat_parse(Parser *p, SimStmt *st)
{
	st->sysv = (SimSysvArgs){ .view = SIM_IPCS_PROC_MSG };
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected_at(p, t, "a path in quotes after 'cat' (\"" PROC_MSG "\")");
	if (strcmp(t->text, PROC_MSG) != 0)
		return scn_fail_tok(p, t, E_MISUSE,
				    "cat reads only \"" PROC_MSG "\", not \"%s\" (the queues as "
				    "the kernel lists them for ipcs)",
				    t->text);
	advance(p);
	return TRUE;
}

static void cat_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_call_ipcs_exec(w, t, st, "cat " PROC_MSG);
}

/* It reads every queue of the namespace and writes the run's output. */
static void cat_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w, (void)st;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, FALSE);
	sim_footprint_add(fp, SIM_OBJ_OUTPUT, 0, TRUE);
}

const SimCallDesc sim_call_procfs_rows[] = {
	/* Traced as an event of its own (SIM_TR_IPCS), never as a call. */
	{ .kind = SIM_STMT_CAT, .name = "cat", .family = SIM_CALL_SYSV, .exec = cat_exec,
	  .parse = cat_parse, .footprint = cat_footprint },
};
const guint sim_call_procfs_n_rows = G_N_ELEMENTS(sim_call_procfs_rows);

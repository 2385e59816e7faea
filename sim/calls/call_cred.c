/* call_cred.c — the processes family's credential calls: setuid, setgid (kernel/sys.c).
 *
 * A process of the model has one uid and one gid (its real, effective, saved and file-system
 * ids are equal, as the runner's setup makes them), so the kernel's rules come down to:
 *   setuid(u)  u is (uid_t)-1: EINVAL; the caller has CAP_SETUID (a uid 0 process keeps it
 *              whatever its caps=, which name only the IPC capabilities): every uid becomes
 *              u, and leaving uid 0 clears every capability (cap_task_fix_setuid, without
 *              keepcaps); otherwise u must be the caller's own uid, else EPERM
 *   setgid(g)  the same with CAP_SETGID, which a uid 0 process has; no capability changes
 *
 * The one design choice to know: the new credentials are the task's own, read by each of
 * its later calls (permissions, the owner of what it creates), as the kernel's cred is.
 */
#include "calls/call_int.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- What the call asked for ---- */

static void cred_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %" G_GINT64_FORMAT, sim_call_desc(ev->stmt->kind)->name,
			       ev->stmt->proc.id);
}

/* ---- Parsing ---- */

/* setuid N, setgid N: any value, as the id the kernel is given. */
static gboolean cred_parse(Parser *p, SimStmt *st)
{
	st->proc = (SimProcArgs){ 0 };
	const char *how = sim_call_desc(st->kind)->name;
	g_autofree char *ctx = g_strdup_printf("after '%s'", how);
	return scn_take_int(p, st->kind == SIM_STMT_SETUID ? "uid" : "gid", ctx, G_MININT64,
			    G_MAXINT64, &st->proc.id);
}

/* ---- Execution ---- */

static void cred_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	guint32 id = (guint32)st->proc.id; /* a uid_t or gid_t */
	gboolean root = t->cred.uid == 0;  /* CAP_SETUID and CAP_SETGID */
	gint64 *own = st->kind == SIM_STMT_SETUID ? &t->cred.uid : &t->cred.gid;
	int err = id == G_MAXUINT32 ? EINVAL : !root && id != *own ? EPERM : 0;
	if (!err) {
		*own = id;
		if (st->kind == SIM_STMT_SETUID && id != 0)
			t->cred.caps = 0; /* every uid left 0: the capabilities go */
	}
	if (w->trace) {
		SimTraceEvent ev;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, -1);
		sim_world_emit(w, &ev);
	}
	sim_interp_returned(w, t, st, err);
}

/* ---- Cross-check ---- */

static gboolean cred_replay(SimReplay *r)
{
	r->c->op = r->st->kind == SIM_STMT_SETUID ? SIM_REAL_SETUID : SIM_REAL_SETGID;
	r->c->a[0] = r->st->proc.id;
	return TRUE;
}

/* ---- Footprint ---- */

/* The caller's credentials, which its later calls read. */
static void cred_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			   SimFootprint *fp)
{
	(void)w, (void)st;
	sim_call_fp_self(fp, t, TRUE);
}

/* ---- The rows ---- */

const SimCallDesc sim_call_cred_rows[] = {
	{ .kind = SIM_STMT_SETUID, .name = "setuid", .family = SIM_CALL_PROC,
	  .text_call = cred_text, .text_result = sim_call_text_result,
	  .json_result = sim_call_json_ret, .exec = cred_exec, .parse = cred_parse,
	  .real_name = "setuid", .replay = cred_replay, .footprint = cred_footprint },
	{ .kind = SIM_STMT_SETGID, .name = "setgid", .family = SIM_CALL_PROC,
	  .text_call = cred_text, .text_result = sim_call_text_result,
	  .json_result = sim_call_json_ret, .exec = cred_exec, .parse = cred_parse,
	  .real_name = "setgid", .replay = cred_replay, .footprint = cred_footprint },
};
const guint sim_call_cred_n_rows = G_N_ELEMENTS(sim_call_cred_rows);

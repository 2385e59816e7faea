/* call_cred.c — the processes family's credential calls: setuid, seteuid, setgid (kernel/sys.c).
 *
 * A process starts with equal real, effective and saved ids (as the runner's setup makes
 * them); seteuid is what parts them. The kernel's rules:
 *   setuid(u)  u is (uid_t)-1: EINVAL; the caller has CAP_SETUID (a process whose euid is 0
 *              has it whatever its caps=, which name only the IPC capabilities): real,
 *              effective and saved uids become u; otherwise u must be its real or saved
 *              uid, and only the effective uid changes; else EPERM
 *   seteuid(u) glibc refuses (uid_t)-1 with EINVAL, then setresuid(-1, u, -1): with
 *              CAP_SETUID any u; otherwise u must be its real, effective or saved uid; EPERM
 *   setgid(g)  the same as setuid with CAP_SETGID, for the one gid the model keeps
 * After a uid change the capabilities follow cap_task_fix_setuid without keepcaps: when no
 * uid is 0 any more, the permitted and effective sets are cleared; an euid leaving 0 clears
 * the effective set; an euid coming back to 0 gets the permitted set again.
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

/* setuid N, seteuid N, setgid N: any value, as the id the kernel is given. */
static gboolean cred_parse(Parser *p, SimStmt *st)
{
	st->proc = (SimProcArgs){ 0 };
	const char *how = sim_call_desc(st->kind)->name;
	g_autofree char *ctx = g_strdup_printf("after '%s'", how);
	return scn_take_int(p, st->kind == SIM_STMT_SETGID ? "gid" : "uid", ctx, G_MININT64,
			    G_MAXINT64, &st->proc.id);
}

/* ---- Execution ---- */

/* Sets the three uids and fixes the capabilities as cap_task_fix_setuid does. */
static void cred_set_uids(SimCred *c, gint64 r, gint64 e, gint64 s)
{
	gint64 oldr = c->split ? c->ruid : c->uid, olds = c->split ? c->suid : c->uid;
	guint permitted = c->split ? c->pcaps : c->caps;
	if ((oldr == 0 || c->uid == 0 || olds == 0) && r != 0 && e != 0 && s != 0)
		permitted = c->caps = 0; /* root is left behind: every capability goes */
	if (c->uid == 0 && e != 0)
		c->caps = 0;
	else if (c->uid != 0 && e == 0)
		c->caps = permitted;
	*c = (SimCred){ .uid = e, .gid = c->gid, .caps = c->caps, .split = TRUE, .ruid = r,
			.suid = s, .pcaps = permitted };
}

/* The errno of a uid call, with the cred changed when it is 0. */
static int cred_uid_call(SimCred *c, SimStmtKind kind, guint32 u)
{
	gint64 r = c->split ? c->ruid : c->uid, s = c->split ? c->suid : c->uid;
	gboolean privileged = c->uid == 0; /* CAP_SETUID */
	if (u == G_MAXUINT32)
		return EINVAL;
	if (kind == SIM_STMT_SETUID) {
		if (privileged)
			cred_set_uids(c, u, u, u);
		else if (u == r || u == s)
			cred_set_uids(c, r, u, s);
		else
			return EPERM;
		return 0;
	}
	if (!privileged && u != r && u != c->uid && u != s)
		return EPERM;
	cred_set_uids(c, r, u, s);
	return 0;
}

static void cred_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	guint32 id = (guint32)st->proc.id; /* a uid_t or gid_t */
	int err;
	if (st->kind == SIM_STMT_SETGID) {
		gboolean root = t->cred.uid == 0; /* CAP_SETGID */
		err = id == G_MAXUINT32 ? EINVAL : !root && id != t->cred.gid ? EPERM : 0;
		if (!err)
			t->cred.gid = id;
	} else {
		err = cred_uid_call(&t->cred, st->kind, id);
	}
	if (!err)
		sim_world_share_cred(w, t); /* glibc's wrappers change every thread's (setxid) */
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
	r->c->op = r->st->kind == SIM_STMT_SETUID    ? SIM_REAL_SETUID
		   : r->st->kind == SIM_STMT_SETEUID ? SIM_REAL_SETEUID
						     : SIM_REAL_SETGID;
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
	{ .kind = SIM_STMT_SETEUID, .name = "seteuid", .family = SIM_CALL_PROC,
	  .text_call = cred_text, .text_result = sim_call_text_result,
	  .json_result = sim_call_json_ret, .exec = cred_exec, .parse = cred_parse,
	  .real_name = "seteuid", .replay = cred_replay, .footprint = cred_footprint },
};
const guint sim_call_cred_n_rows = G_N_ELEMENTS(sim_call_cred_rows);

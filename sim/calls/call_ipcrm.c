/* call_ipcrm.c — `ipcrm`, util-linux's command as a statement: removals of message queues,
 * semaphore sets and shared memory segments, by id or by key.
 *
 *   ipcrm OPTION [OPTION ...]    OPTION: -q ID | -Q KEY | -s ID | -S KEY | -m ID | -M KEY
 *
 * ID is a number or an integer variable (set by msgget, semget or shmget); KEY a number.
 * What it does is what ipcrm does: a key is looked up with a get of flags 0 (msgget(key,
 * 0), semget(key, 0, 0), shmget(key, 0, 0)), then the family's IPC_RMID removes the id.
 * Nothing is printed when it works; when it fails, the trace line carries ipcrm's own
 * message ("ipcrm: invalid id (5)", "ipcrm: permission denied for key (0x1234)"), chosen
 * from the errno as ipcrm chooses it. Key 0 (IPC_PRIVATE), which ipcrm refuses before any
 * call ("illegal key"), is refused when the scenario is read.
 *
 * The design choice to know: the removal runs the kernel objects' own IPC_RMID (msgq.c,
 * sem.c, shm.c), so its waiters fail with EIDRM and a segment still attached lives until
 * its last detach, exactly as after msgctl, semctl or shmctl rmid. One statement removes
 * one object: `ipcrm -q 1 -s 2` is read as two statements, one per option, in order
 * (ipcrm_more), each with its own trace line, result and cross-check. That is ipcrm's own
 * behaviour: it goes on after an option that fails, and exits 1 if any did; here each
 * failure is its removal's result. A label would name only one of them, so a labelled
 * ipcrm takes one option.
 */
#define _GNU_SOURCE

#include "calls/call_int.h"

#include <string.h>

#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/sem.h"
#include "msgsim/kernel/shm.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- Trace ---- */

/* The id or key the statement names now: its variable's value, or the number written. */
static gint64 ipcrm_arg(const SimTask *t, const SimStmt *st)
{
	return st->ep.kind == SIM_EP_IDVAR ? t->vars[st->ep.index].num : st->ipcrm.num;
}

/* "-q", "-S": the option as written. */
static char option_letter(const SimStmt *st)
{
	return st->ipcrm.by_key ? (char)g_ascii_toupper(st->ipcrm.what) : st->ipcrm.what;
}

static void ipcrm_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "ipcrm -%c ", option_letter(st));
	if (st->ipcrm.by_key)
		g_string_append_printf(s, "0x%" G_GINT64_MODIFIER "x", ev->value);
	else if (ev->object)
		g_string_append_printf(s, "%s (id %" G_GINT64_FORMAT ")", ev->object, ev->value);
	else
		g_string_append_printf(s, "%" G_GINT64_FORMAT, ev->value);
}

/* ipcrm's message for a failure: counts[0] tells whether the lookup of a key failed, as
 * ipcrm words that one apart (ENOENT is "invalid key" there). */
static const char *ipcrm_message(int err, gboolean by_key, gboolean lookup)
{
	if (lookup)
		return err == EACCES  ? "permission denied for key"
		       : err == EIDRM ? "already removed key"
				      : "invalid key";
	switch (err) {
	case EACCES:
	case EPERM:
		return by_key ? "permission denied for key" : "permission denied for id";
	case EIDRM:
		return by_key ? "already removed key" : "already removed id";
	default:
		return by_key ? "invalid key" : "invalid id";
	}
}

static void ipcrm_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimStmt *st = ev->stmt;
	if (sim_call_result_head(s, ev, arrow))
		return;
	g_string_append_printf(s, ": ipcrm: %s (",
			       ipcrm_message(ev->err, st->ipcrm.by_key, ev->counts[0] != 0));
	if (st->ipcrm.by_key)
		g_string_append_printf(s, "0x%" G_GINT64_MODIFIER "x)", ev->value);
	else
		g_string_append_printf(s, "%" G_GINT64_FORMAT ")", ev->value);
}

static void ipcrm_json_call(GString *s, const SimTraceEvent *ev)
{
	char opt[3] = { '-', option_letter(ev->stmt), '\0' };
	sim_trace_json_str(s, "option", opt, -1);
	sim_trace_json_int(s, ev->stmt->ipcrm.by_key ? "key" : "id", ev->value);
}

/* ---- Parsing ---- */

/* ipcrm -q ID | -Q KEY | -s ID | -S KEY | -m ID | -M KEY */
static gboolean ipcrm_parse(Parser *p, SimStmt *st)
{
	st->ipcrm = (SimIpcrmArgs){ 0 };
	const Tok *dash = tok(p);
	const Tok *o = peek(p, 1);
	if (!is_char(dash, '-') || o->kind != TOK_WORD || strlen(o->text) != 1 ||
	    !strchr("qQsSmM", o->text[0]) || o->start != dash->end)
		return scn_expected(p, "an option after 'ipcrm': -q ID, -Q KEY, -s ID, -S KEY, "
				       "-m ID or -M KEY");
	st->ipcrm.what = (char)g_ascii_tolower(o->text[0]);
	st->ipcrm.by_key = g_ascii_isupper(o->text[0]);
	/* Static: the parser keeps `how` to name the call in a later error. */
	const char *how = o->text[0] == 'q'   ? "ipcrm -q"
			  : o->text[0] == 'Q' ? "ipcrm -Q"
			  : o->text[0] == 's' ? "ipcrm -s"
			  : o->text[0] == 'S' ? "ipcrm -S"
			  : o->text[0] == 'm' ? "ipcrm -m"
					      : "ipcrm -M";
	g_autofree char *ctx = g_strdup_printf("after '%s'", how);
	advance(p);
	advance(p);
	if (st->ipcrm.by_key) {
		SimLoc at = tok(p)->loc;
		if (!scn_take_int(p, "key", ctx, G_MININT32, G_MAXUINT32, &st->ipcrm.num))
			return FALSE;
		if (st->ipcrm.num == 0)
			return scn_fail_at(p, at, E_NUMBER,
					   "illegal key 0 after '%s': it is IPC_PRIVATE, which "
					   "names no object (ipcrm refuses it)",
					   how);
		return TRUE;
	}
	if (is_name_word(tok(p)) && !scn_at_value(p))
		return scn_take_id_var(p, st, how, "an id or a variable set by a get");
	return scn_take_int(p, "id", ctx, 0, G_MAXINT32, &st->ipcrm.num);
}

/* Another option on the same line, glued to its '-': `ipcrm -q 1 -s 2`. */
static gboolean ipcrm_more(Parser *p)
{
	const Tok *dash = tok(p), *o = peek(p, 1);
	guint line = g_array_index(p->toks, Tok, p->pos - 1).loc.line;
	return is_char(dash, '-') && dash->loc.line == line && o->kind == TOK_WORD &&
	       o->start == dash->end;
}

/* ---- Execution ---- */

/* ipcrm's get of flags 0: the id of the key's object, or the errno. */
static int lookup_key(SimWorld *w, SimTask *t, char what, gint64 key, int *id)
{
	SimTime now = sim_world_now(w);
	if (what == 'q')
		return sim_msgq_get(&w->ipcns, w->msgqs, key, 0, 0, &t->cred, now, id);
	if (what == 's') {
		SimSemCtx c = sim_world_sem_ctx(w, t);
		return sim_sem_get(&w->semns, &c, key, 0, 0, 0, id);
	}
	return sim_shm_get(&w->shmns, &w->ipcns.limits, key, 0, 0, 0, &t->cred, t->id, now, id);
}

/* The family's IPC_RMID of id, with its checks in the kernel's order: the id, then the
 * right to control it. */
static int remove_id(SimWorld *w, SimTask *t, char what, int id)
{
	if (what == 'q') {
		SimMsgq *q = sim_msgq_lookup(&w->ipcns, id);
		if (!q)
			return EINVAL;
		if (!sim_ipcns_may_control(&q->perm, &t->cred))
			return EPERM;
		SimMsgqCtx c = sim_call_msgq_ctx(w, t);
		sim_msgq_remove(q, &c);
		sim_ipcns_free(&w->ipcns, id);
		return 0;
	}
	if (what == 's') {
		SimSemArray *sma = sim_sem_lookup(&w->semns, id);
		if (!sma)
			return EINVAL;
		if (!sim_ipcns_may_control(&sma->perm, &t->cred)) {
			sim_sem_unlock(sma);
			return EPERM;
		}
		SimSemCtx c = sim_world_sem_ctx(w, t);
		sim_sem_remove(&w->semns, sma, &c);
		return 0;
	}
	SimShmSeg *seg = sim_shm_lookup(&w->shmns, id);
	if (!seg)
		return EINVAL;
	if (!sim_ipcns_may_control(&seg->perm, &t->cred))
		return EPERM;
	sim_shm_remove(&w->shmns, seg);
	return 0;
}

static void ipcrm_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 arg = ipcrm_arg(t, st);
	int id = -1, err = 0;
	gboolean lookup = FALSE;
	if (st->ipcrm.by_key) {
		err = lookup_key(w, t, st->ipcrm.what, arg, &id);
		lookup = err != 0;
	} else if (arg < 0 || arg > G_MAXINT) {
		err = EINVAL;
	} else {
		id = (int)arg;
	}
	if (!err)
		err = remove_id(w, t, st->ipcrm.what, id);
	if (w->trace) {
		SimTraceEvent ev;
		const char *var =
			st->ep.kind == SIM_EP_IDVAR ? t->prog->body->vars[st->ep.index].name : NULL;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, var, NULL, err, NULL, -1);
		ev.value = arg;
		ev.ret = err ? -1 : 0;
		ev.counts[0] = lookup;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, err ? -1 : 0);
	sim_world_wake_all(w, t, NULL);
}

/* ---- Cross-check ---- */

static XcFam xc_family(const SimStmt *st)
{
	return st->ipcrm.what == 'q' ? XC_MSG : st->ipcrm.what == 's' ? XC_SEM : XC_SHM;
}

/* The run's own object: an id as the run maps it, a key as the run maps it (so that in
 * the machine's namespace only what the run made is ever found). */
static gboolean ipcrm_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	gint64 arg = ipcrm_arg(r->t, st);
	r->c->op = SIM_REAL_IPCRM;
	a[0] = st->ipcrm.what;
	a[2] = st->ipcrm.by_key;
	if (st->ipcrm.by_key) {
		gint64 flags = 0;
		return xc_real_key(r->xc, xc_family(st), arg, &a[1], &flags);
	}
	a[1] = arg < 0 || arg > G_MAXINT ? -1 : real_id(r->xc, xc_family(st), arg);
	if (st->ipcrm.what == 's' && arg >= 0 && arg <= G_MAXINT)
		xc_sem_snapshot(r->xc, sim_sem_lookup(&r->w->semns, (int)arg));
	return TRUE;
}

/* ---- Footprint ---- */

/* The object removed and its family's tables; a key names any object of the family. */
static void ipcrm_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	(void)w;
	static const SimObjKind objs[] = {
		['q'] = SIM_OBJ_SYSVQ, ['s'] = SIM_OBJ_SEM, ['m'] = SIM_OBJ_SHM
	};
	static const SimObjKind nss[] = {
		['q'] = SIM_OBJ_SYSV_NS, ['s'] = SIM_OBJ_SEM_NS, ['m'] = SIM_OBJ_SHM_NS
	};
	guchar what = (guchar)st->ipcrm.what;
	gint64 arg = ipcrm_arg(t, st);
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, nss[what], 0, TRUE);
	sim_footprint_add(fp, objs[what], st->ipcrm.by_key || arg < 0 ? SIM_OBJ_ALL : (guint64)arg,
			  TRUE);
}

/* Deadlock report: -s and -S release every semop waiting on the set they remove (EIDRM),
 * and any set may be the one (an id variable, a key). A row has one kind of object to
 * wait on; semaphores are the family of waits ipcrm is met with (queues have msgctl). */
static gboolean ipcrm_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      const SimObjRef *obj)
{
	(void)w, (void)t, (void)obj;
	return st->ipcrm.what == 's';
}

const SimCallDesc sim_call_ipcrm_rows[] = {
	{
		.kind = SIM_STMT_IPCRM,
		.name = "ipcrm",
		.family = SIM_CALL_SYSV,
		.text_call = ipcrm_text,
		.text_result = ipcrm_result,
		.json_call = ipcrm_json_call,
		.json_result = sim_call_json_ret,
		.parse = ipcrm_parse,
		.more = ipcrm_more,
		.exec = ipcrm_exec,
		.real_name = "ipcrm",
		.replay = ipcrm_replay,
		.footprint = ipcrm_footprint,
		.wait_role = SIM_WAIT_BOTH,
		.wait_obj = SIM_OBJ_SEM,
		.reaches = ipcrm_reaches,
	},
};
const guint sim_call_ipcrm_n_rows = G_N_ELEMENTS(sim_call_ipcrm_rows);

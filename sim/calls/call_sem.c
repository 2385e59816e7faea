/* call_sem.c — the XSI semaphore family: semget, semop (semtimedop), semctl (sem.h).
 *
 * The trace shows each call with its operations as struct sembuf holds them, "(0, -1,
 * undo)", its result in the words of the man page (an id, a value, a pid, a count), and
 * the set's values after the call, "[s: 1 0 5]": what a student compares with GETALL.
 *
 * Execution: semop runs the kernel's checks in do_semtimedop's order (nsops and the id,
 * semopm, the timeout, the undo record, the set, EFBIG, the permission) and hands the
 * operations to sem.c. A blocked semop is completed by whoever makes it possible (sem.c
 * decides who, in the kernel's order), so the woken task only reads its result; a timeout
 * ends it with EAGAIN, as semtimedop does, and a signal with EINTR whatever SA_RESTART says.
 *
 * Parsing: the set S is an integer variable of the body (semget ... -> s, or one a fork
 * inherited). An operation is written as the struct: (NUM, OP) with `nowait` and `undo`
 * after a comma, and any number of them follow S; the kernel's EINVAL, E2BIG and EFBIG for
 * none, too many or a number past the set are lessons, so the parser lets them through.
 *
 * Footprint: semop and the value commands change their one set, so calls on different sets
 * commute; semget, IPC_SET and IPC_RMID change the namespace's semaphore tables.
 */
#define _GNU_SOURCE

#include "calls/call_int.h"

#include <sys/ipc.h>
#include <sys/sem.h>

#include "msgsim/kernel/sem.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

static const char *const semctl_names[] = {
	[SIM_SEMCTL_GETVAL] = "getval",
	[SIM_SEMCTL_SETVAL] = "setval",
	[SIM_SEMCTL_GETPID] = "getpid",
	[SIM_SEMCTL_GETNCNT] = "getncnt",
	[SIM_SEMCTL_GETZCNT] = "getzcnt",
	[SIM_SEMCTL_GETALL] = "getall",
	[SIM_SEMCTL_SETALL] = "setall",
	[SIM_SEMCTL_STAT] = "stat",
	[SIM_SEMCTL_SET] = "set",
	[SIM_SEMCTL_RMID] = "rmid",
	[SIM_SEMCTL_INFO] = "info",
	[SIM_SEMCTL_SEM_INFO] = "sem_info",
	[SIM_SEMCTL_SEM_STAT] = "sem_stat",
	[SIM_SEMCTL_SEM_STAT_ANY] = "sem_stat_any",
	NULL,
};

/* The commands that name one semaphore. */
static gboolean cmd_has_num(SimSemCmd c)
{
	return c <= SIM_SEMCTL_GETZCNT;
}

static gboolean cmd_is_info(SimSemCmd c)
{
	return c == SIM_SEMCTL_INFO || c == SIM_SEMCTL_SEM_INFO;
}

/* IPC_STAT and the SEM_STATs, which fill the same semid_ds. */
static gboolean cmd_is_stat(SimSemCmd c)
{
	return c == SIM_SEMCTL_STAT || c == SIM_SEMCTL_SEM_STAT || c == SIM_SEMCTL_SEM_STAT_ANY;
}

/* ---- Trace text and JSON ---- */

/* The set's values: " [s: 1 0 5]", the first 16 of a larger set. */
static void sem_state(GString *s, const SimTraceEvent *ev)
{
	const SimSemArray *sma = ev->sem;
	if (!sma || !ev->object)
		return;
	g_string_append_printf(s, " [%s:", ev->object);
	if (sma->removed)
		g_string_append(s, " removed");
	for (guint i = 0; i < sma->nsems && i < 16 && !sma->removed; i++)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, sma->sems[i].semval);
	if (sma->nsems > 16 && !sma->removed)
		g_string_append(s, " ...");
	g_string_append_c(s, ']');
}

static void semget_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->sem.key.kind == SIM_KEY_PRIVATE)
		g_string_append(s, "semget key=private");
	else
		g_string_append_printf(s, "semget key=0x%08" G_GINT64_MODIFIER "x", ev->value);
	g_string_append_printf(s, " nsems=%" G_GINT64_FORMAT "%s%s perm=0%" G_GINT64_MODIFIER "o",
			       st->sem.nsems, st->sem.flags & SIM_IPC_CREAT ? " create" : "",
			       st->sem.flags & SIM_IPC_EXCL ? " excl" : "", st->sem.perm);
}

static void semop_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "semop %s", ev->object);
	for (guint i = 0; i < st->sem.nsops; i++) {
		const SimSembuf *b = &st->sem.sops[i];
		g_string_append_printf(s, " (%" G_GINT64_FORMAT ", %s%" G_GINT64_FORMAT "%s%s%s)",
				       b->num, b->op > 0 ? "+" : "", b->op, b->flags ? "," : "",
				       b->flags & SIM_IPC_NOWAIT ? " nowait" : "",
				       b->flags & SIM_SEM_UNDO ? " undo" : "");
	}
	char buf[32];
	if (st->sem.timeout == SIM_TIMEOUT_RELATIVE)
		g_string_append_printf(s, " timeout=%s",
				       sim_trace_time(st->sem.timeout_at, buf, sizeof(buf)));
	else if (st->sem.timeout == SIM_TIMEOUT_INVALID)
		g_string_append(s, " timeout=bad");
}

static void semctl_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "semctl %s %s", ev->object, semctl_names[st->sem.cmd]);
	if (cmd_has_num(st->sem.cmd))
		g_string_append_printf(s, " %" G_GINT64_FORMAT, st->sem.num);
	if (st->sem.cmd == SIM_SEMCTL_SETVAL)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, st->sem.val);
	for (guint i = 0; st->sem.cmd == SIM_SEMCTL_SETALL && i < st->sem.nsops; i++)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, st->sem.sops[i].op);
	if (st->sem.cmd == SIM_SEMCTL_SET && st->sem.perm >= 0)
		g_string_append_printf(s, " mode=0%" G_GINT64_MODIFIER "o", st->sem.perm);
	if (st->sem.set_uid >= 0)
		g_string_append_printf(s, " uid=%" G_GINT64_FORMAT, st->sem.set_uid);
	if (st->sem.set_gid >= 0)
		g_string_append_printf(s, " gid=%" G_GINT64_FORMAT, st->sem.set_gid);
}

static void semget_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
	if (!ev->blocked)
		sem_state(s, ev);
}

static void semop_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	sem_state(s, ev);
}

/* IPC_STAT: the semid_ds fields as ipcs -s -i shows them. */
static void semctl_stat(GString *s, const SimTraceEvent *ev)
{
	const SimSemArray *sma = ev->sem;
	char t1[32], t2[32];
	g_string_append_printf(
		s,
		": nsems %u, otime %s, ctime %s, perms %03o, uid %" G_GINT64_FORMAT
		", gid %" G_GINT64_FORMAT ", cuid %" G_GINT64_FORMAT ", cgid %" G_GINT64_FORMAT,
		sma->nsems, sma->has_otime ? sim_trace_time(sma->otime, t1, sizeof(t1)) : "-",
		sim_trace_time(sma->ctime, t2, sizeof(t2)), sma->perm.mode, sma->perm.uid,
		sma->perm.gid, sma->perm.cuid, sma->perm.cgid);
}

static void semctl_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimStmt *st = ev->stmt;
	if (sim_call_result_head(s, ev, arrow)) {
		switch (st->sem.cmd) {
		case SIM_SEMCTL_GETVAL:
		case SIM_SEMCTL_GETNCNT:
		case SIM_SEMCTL_GETZCNT:
			g_string_append_printf(s, ", %" G_GINT64_FORMAT, ev->ret);
			break;
		case SIM_SEMCTL_GETPID:
			g_string_append_printf(s, ", %s", ev->other ? ev->other : "0 (none yet)");
			break;
		case SIM_SEMCTL_STAT:
			semctl_stat(s, ev);
			break;
		case SIM_SEMCTL_SEM_STAT:
		case SIM_SEMCTL_SEM_STAT_ANY:
			g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
			semctl_stat(s, ev);
			break;
		case SIM_SEMCTL_RMID:
			g_string_append_printf(
				s, ", %" G_GINT64_FORMAT " waiter(s) fail with EIDRM", ev->value);
			break;
		case SIM_SEMCTL_INFO:
		case SIM_SEMCTL_SEM_INFO:
			g_string_append_printf(
				s,
				", highest index in use %" G_GINT64_FORMAT
				": semmni %" G_GINT64_FORMAT ", semmns %" G_GINT64_FORMAT
				", semmsl %" G_GINT64_FORMAT ", semopm %" G_GINT64_FORMAT
				", semusz %" G_GINT64_FORMAT ", semaem %" G_GINT64_FORMAT,
				ev->ret, ev->counts[0], ev->counts[1], ev->counts[2], ev->counts[3],
				ev->counts[4], ev->counts[5]);
			break;
		default:
			break;
		}
	}
	if (!cmd_is_info(st->sem.cmd))
		sem_state(s, ev);
}

/* semop: IPC_NOWAIT on every operation, which the JSON shows as "nowait". */
static gboolean semop_nowait(const SimStmt *st)
{
	for (guint i = 0; i < st->sem.nsops; i++)
		if (!(st->sem.sops[i].flags & SIM_IPC_NOWAIT))
			return FALSE;
	return st->sem.nsops > 0;
}

/* The values after the call, as a JSON array. */
static void sem_json_result(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	const SimSemArray *sma = ev->sem;
	if (!sma || sma->removed)
		return;
	g_string_append(s, ",\"values\":[");
	for (guint i = 0; i < sma->nsems; i++)
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT, i ? "," : "", sma->sems[i].semval);
	g_string_append_c(s, ']');
}

/* semop's operations: "ops":[{"num":0,"op":-1,"undo":true}, ...]. */
static void semop_json_call(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append(s, ",\"ops\":[");
	for (guint i = 0; i < st->sem.nsops; i++) {
		const SimSembuf *b = &st->sem.sops[i];
		g_string_append_printf(s,
				       "%s{\"num\":%" G_GINT64_FORMAT ",\"op\":%" G_GINT64_FORMAT,
				       i ? "," : "", b->num, b->op);
		if (b->flags & SIM_IPC_NOWAIT)
			g_string_append(s, ",\"nowait\":true");
		if (b->flags & SIM_SEM_UNDO)
			g_string_append(s, ",\"undo\":true");
		g_string_append_c(s, '}');
	}
	g_string_append_c(s, ']');
}

/* ---- Parsing ---- */

static const SimSemArgs sem_defaults = {
	.key = { SIM_KEY_PRIVATE, 0, -1 }, .perm = 0, .set_uid = -1, .set_gid = -1
};

/* The set S: an integer variable of the body. */
static gboolean take_set(Parser *p, SimStmt *st, const char *how)
{
	return scn_take_id_var(p, st, how, "a variable set by 'semget ... -> v'");
}

static gboolean take_stmt_key(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	return scn_take_key(p, REF_FTOK_STMT, st->id, &st->sem.key);
}

static const OptSpec semget_opts[] = {
	TAKE_OPT("key", take_stmt_key),
	INT_OPT("nsems", ST(sem.nsems), G_MININT32, G_MAXINT32),
	FLAG_OPT("create", ST(sem.flags), SIM_IPC_CREAT),
	FLAG_OPT("excl", ST(sem.flags), SIM_IPC_EXCL),
	MODE_OPT("perm", ST(sem.perm)),
	OPTS_END,
};

/* semget key=K|private|ftok("PATH", ID) [nsems=N] [create] [excl] [perm=MODE] [-> VAR] */
static gboolean semget_parse(Parser *p, SimStmt *st)
{
	st->sem = sem_defaults;
	StmtOpts so = { .o = { .what = "semget", .specs = semget_opts }, .role = ROLE_QUEUE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.o.seen[0].line)
		return scn_fail_at(p, st->loc, E_SYNTAX,
				   "semget needs key=K, key=private or key=ftok(\"PATH\", ID)");
	return TRUE;
}

/* A number with an optional '+' glued to it: sem_op as the struct holds it (a short). */
static gboolean take_signed(Parser *p, const char *what, const char *ctx, gint64 lo, gint64 hi,
			    gint64 *out)
{
	if (is_char(tok(p), '+') && peek(p, 1)->glued && is_number_word(peek(p, 1)))
		advance(p);
	return scn_take_int(p, what, ctx, lo, hi, out);
}

/* (NUM, OP [, nowait] [, undo]): the words may also share one comma, "(0, -1, nowait undo)". */
static gboolean take_sembuf(Parser *p, SimSembuf *b)
{
	advance(p); /* '(' */
	if (!scn_take_int(p, "semaphore number", "after '(' in semop", 0, G_MAXUINT16, &b->num))
		return FALSE;
	if (!is_char(tok(p), ','))
		return scn_expected(p, "',' and the operation after the semaphore number");
	advance(p);
	if (!take_signed(p, "semaphore operation", "after the semaphore number", G_MININT16,
			 G_MAXINT16, &b->op))
		return FALSE;
	while (is_char(tok(p), ',') || tok(p)->kind == TOK_WORD) {
		if (is_char(tok(p), ','))
			advance(p);
		if (is_word(tok(p), "nowait"))
			b->flags |= SIM_IPC_NOWAIT;
		else if (is_word(tok(p), "undo"))
			b->flags |= SIM_SEM_UNDO;
		else
			return scn_expected(p, "nowait, undo or ')' in a semop operation");
		advance(p);
	}
	if (!is_char(tok(p), ')'))
		return scn_expected(p, "')' to end the semop operation");
	advance(p);
	return TRUE;
}

static gboolean take_sem_timeout(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	if (is_word(tok(p), "bad")) {
		st->sem.timeout = SIM_TIMEOUT_INVALID;
		advance(p);
		return TRUE;
	}
	st->sem.timeout = SIM_TIMEOUT_RELATIVE;
	return scn_take_time(p, "or bad after 'timeout='", &st->sem.timeout_at);
}

static const OptSpec semop_opts[] = {
	TAKE_OPT("timeout", take_sem_timeout),
	OPTS_END,
};

/* semop S (NUM, OP [, nowait] [, undo]) ... [timeout=T|timeout=bad] */
static gboolean semop_parse(Parser *p, SimStmt *st)
{
	st->sem = sem_defaults;
	if (!take_set(p, st, "semop"))
		return FALSE;
	g_autoptr(GArray) ops = g_array_new(FALSE, TRUE, sizeof(SimSembuf));
	while (is_char(tok(p), '(')) {
		SimSembuf b = { 0 };
		if (!take_sembuf(p, &b))
			return FALSE;
		g_array_append_val(ops, b);
	}
	st->sem.nsops = ops->len;
	st->sem.sops = (SimSembuf *)(void *)g_array_free(g_steal_pointer(&ops), FALSE);
	Opts o = { .what = "semop", .specs = semop_opts };
	return scn_take_opts(p, &o, st);
}

static const OptSpec semctl_set_opts[] = {
	MODE_OPT("mode", ST(sem.perm)),
	INT_OPT("uid", ST(sem.set_uid), 0, G_MAXINT64),
	INT_OPT("gid", ST(sem.set_gid), 0, G_MAXINT64),
	OPTS_END,
};

/* setall's values, as many as are written (the kernel reads nsems of them). */
static gboolean take_setall(Parser *p, SimStmt *st)
{
	g_autoptr(GArray) vals = g_array_new(FALSE, TRUE, sizeof(SimSembuf));
	while (is_number_word(tok(p))) {
		SimSembuf b = { 0 };
		if (!scn_take_int(p, "semaphore value", "after 'setall'", 0, G_MAXUINT16, &b.op))
			return FALSE;
		g_array_append_val(vals, b);
	}
	if (!vals->len)
		return scn_expected(p, "the values after 'setall', one per semaphore");
	st->sem.nsops = vals->len;
	st->sem.sops = (SimSembuf *)(void *)g_array_free(g_steal_pointer(&vals), FALSE);
	return TRUE;
}

/* semctl S getval|getpid|getncnt|getzcnt NUM, setval NUM VAL, getall, setall V..., stat,
 * set [mode=M] [uid=N] [gid=N], rmid, info, sem_info; then [-> VAR] (what it returned) */
static gboolean semctl_parse(Parser *p, SimStmt *st)
{
	st->sem = sem_defaults;
	st->sem.perm = -1;
	const Tok *s = tok(p);
	if (!take_set(p, st, "semctl"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'semctl %s'", s->text);
	const Tok *cmd = tok(p);
	int c = scn_take_choice(p, "semctl command", ctx, semctl_names);
	if (c < 0)
		return FALSE;
	st->sem.cmd = (SimSemCmd)c;
	g_autofree char *after = g_strdup_printf("after '%s'", semctl_names[c]);
	if (cmd_has_num(st->sem.cmd) &&
	    !scn_take_int(p, "semaphore number", after, G_MININT32, G_MAXINT32, &st->sem.num))
		return FALSE;
	if (st->sem.cmd == SIM_SEMCTL_SETVAL &&
	    !take_signed(p, "semaphore value", "after the semaphore number", G_MININT32, G_MAXINT32,
			 &st->sem.val))
		return FALSE;
	if (st->sem.cmd == SIM_SEMCTL_SETALL && !take_setall(p, st))
		return FALSE;
	if (st->sem.cmd == SIM_SEMCTL_SET) {
		Opts o = { .what = "semctl set", .specs = semctl_set_opts };
		if (!scn_take_opts(p, &o, st))
			return FALSE;
		if (!o.seen[0].line && !o.seen[1].line && !o.seen[2].line)
			return scn_fail_tok(
				p, cmd, E_SYNTAX,
				"'semctl %s set' needs at least one of mode=, uid= or gid=",
				s->text);
	}
	if (is_char(tok(p), '-') && is_char(peek(p, 1), '>')) {
		SimLoc seen = { 0 };
		return scn_take_arrow(p, st, ROLE_COUNTER, &seen);
	}
	return TRUE;
}

/* ---- Execution ---- */

static const char *set_word(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	(void)w;
	return t->prog->body->vars[st->ep.index].name;
}

static void sem_event(SimTraceEvent *ev, SimWorld *w, SimTraceKind kind, const SimTask *t,
		      const SimStmt *st, const SimSemArray *sma, int err, const char *blocked,
		      gint64 ret)
{
	sim_interp_call_event_init(ev, w, kind, t, st, set_word(w, t, st), NULL, err, blocked, -1);
	ev->sem = sma;
	ev->ret = ret;
}

static void semget_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimSemCtx c = sim_world_sem_ctx(w, t);
	int id = -1;
	guint made = w->semns.all->len;
	gint64 key = sim_world_key(w, &st->sem.key);
	int err = sim_sem_get(&w->semns, &c, key, st->sem.nsems, st->sem.flags, (guint)st->sem.perm,
			      &id);
	if (w->semns.all->len > made)
		w->mem += sizeof(SimSemArray) + (guint64)st->sem.nsems * sizeof(SimSem);
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : id;
	if (w->trace) {
		SimTraceEvent ev =
			sim_interp_call_event(w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, -1);
		ev.sem = err ? NULL : sim_sem_lookup(&w->semns, id);
		ev.object = ev.sem && st->var >= 0 ? t->prog->body->vars[st->var].name : NULL;
		ev.ret = err ? -1 : id;
		ev.value = key;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, id);
}

/* do_semtimedop up to the operations: 0 with *smap and *undo set, or the errno. */
static int semop_checks(SimWorld *w, SimTask *t, const SimStmt *st, SimSemArray **smap,
			SimSemUndo **undo)
{
	int id = sim_interp_queue_id(w, t, st);
	if (st->sem.nsops < 1 || id < 0)
		return EINVAL;
	if ((gint64)st->sem.nsops > w->ipcns.limits.semopm)
		return E2BIG;
	if (st->sem.timeout == SIM_TIMEOUT_INVALID)
		return EINVAL;
	gint64 max = 0;
	gboolean undos = FALSE, alter = FALSE;
	for (guint i = 0; i < st->sem.nsops; i++) {
		max = MAX(max, st->sem.sops[i].num);
		undos |= (st->sem.sops[i].flags & SIM_SEM_UNDO) != 0;
		alter |= st->sem.sops[i].op != 0;
	}
	if (undos && !(*undo = sim_sem_undo_for(&w->semns, &t->sem_undo, id)))
		return EINVAL; /* find_alloc_undo looks the set up first */
	SimSemArray *sma = *smap = sim_sem_lookup(&w->semns, id);
	if (!sma)
		return EINVAL;
	if (max >= sma->nsems)
		return EFBIG;
	if (sim_ipcns_denied(&sma->perm, &t->cred, alter ? 0222 : 0444))
		return EACCES;
	return 0;
}

/* Why a semop waits, for the trace and the deadlock report. */
static const char *semop_why(const SimSemQueue *q)
{
	return q->sops[q->blocking].op == 0 ? "waits for zero" : "would go below zero";
}

static void semop_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimSemArray *sma = t->wait_sem;
	int err;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = t->waiter.result;
		if (err == ETIMEDOUT)
			err = EAGAIN; /* semtimedop's answer to a timeout */
		/* Interrupted and not completed meanwhile: it leaves its list itself now. */
		if (t->waiter.queue)
			sim_waitq_del(&t->waiter);
		sim_sem_queue_free(t->waiter.op);
		t->waiter.op = NULL;
		if (!sma->removed)
			sim_sem_unlock(sma); /* it left a list: the queues may unmerge */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		SimSemUndo *undo = NULL;
		sma = NULL;
		t->deadline = st->sem.timeout == SIM_TIMEOUT_RELATIVE
				      ? sim_world_later(w, t, st, st->sem.timeout_at)
				      : SIM_TIME_MAX;
		err = semop_checks(w, t, st, &sma, &undo);
		if (!err) {
			SimSemCtx c = sim_world_sem_ctx(w, t);
			SimSemQueue *q = NULL;
			err = sim_sem_op(sma, &c, st->sem.sops, st->sem.nsops, undo, &t->waiter,
					 &q);
			sim_sem_unlock(sma);
			if (err == SIM_BLOCKED) {
				const char *why = semop_why(q);
				sim_interp_blocked(w, st);
				t->wait_sem = sma;
				if (w->trace) {
					SimTraceEvent ev;
					sem_event(&ev, w, SIM_TR_CALL, t, st, sma, 0, why, 0);
					sim_world_emit(w, &ev);
				}
				SIM_CHECK(sim_sem_check(sma));
				sim_world_block(w, t, -1, set_word(w, t, st), why);
				if (t->deadline != SIM_TIME_MAX)
					sim_world_timeout(w, t, t->deadline);
				return;
			}
		}
	}
	t->wait_sem = NULL;
	t->deadline = SIM_TIME_MAX;
	SIM_CHECK(!sma || sim_sem_check(sma));
	if (w->trace) {
		SimTraceEvent ev;
		sem_event(&ev, w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, sma, err, NULL,
			  err ? -1 : 0);
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, err ? -1 : 0);
	sim_world_wake_all(w, t, NULL);
}

static void semop_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	(void)w, (void)st;
	if (t->waiter.op)
		sim_sem_abandon(t->waiter.op,
				t->wait_sem && !t->wait_sem->removed ? t->wait_sem : NULL);
	t->waiter.op = NULL;
	t->wait_sem = NULL;
}

/* The value commands (semctl_main, semctl_setval): ret, or an errno in *err. */
static gint64 semctl_values(SimWorld *w, SimTask *t, const SimStmt *st, SimSemArray *sma,
			    SimSemCtx *c, int *err, int *pid_task)
{
	SimSemCmd cmd = st->sem.cmd;
	gboolean writes = cmd == SIM_SEMCTL_SETVAL || cmd == SIM_SEMCTL_SETALL;
	if (cmd == SIM_SEMCTL_SETVAL) {
		/* semctl_setval: the range, then the set, the number, the permission. */
		if (cmd_has_num(cmd) && (st->sem.num < 0 || st->sem.num >= sma->nsems))
			return *err = EINVAL, -1;
	}
	if (sim_ipcns_denied(&sma->perm, &t->cred, writes ? 0222 : 0444))
		return *err = EACCES, -1;
	if (cmd == SIM_SEMCTL_GETALL)
		return 0;
	if (cmd == SIM_SEMCTL_SETALL) {
		g_autofree gint64 *vals = g_new0(gint64, sma->nsems);
		for (guint i = 0; i < sma->nsems; i++) {
			/* The kernel copies nsems values; unwritten ones are 0 here. */
			vals[i] = i < st->sem.nsops ? st->sem.sops[i].op : 0;
			if (vals[i] > SIM_SEMVMX)
				return *err = ERANGE, -1;
		}
		sim_sem_setall(sma, c, vals);
		return 0;
	}
	if (st->sem.num < 0 || st->sem.num >= sma->nsems)
		return *err = EINVAL, -1;
	const SimSem *s = &sma->sems[st->sem.num];
	switch (cmd) {
	case SIM_SEMCTL_SETVAL:
		sim_sem_setval(sma, c, (guint)st->sem.num, st->sem.val);
		return 0;
	case SIM_SEMCTL_GETVAL:
		return s->semval;
	case SIM_SEMCTL_GETPID:
		*pid_task = s->sempid;
		return s->sempid >= 0 ? w->tasks[s->sempid].pid : 0;
	case SIM_SEMCTL_GETNCNT:
		return sim_sem_count(sma, (guint)st->sem.num, FALSE);
	default:
		return sim_sem_count(sma, (guint)st->sem.num, TRUE);
	}
}

/* semctl as ksys_semctl dispatches it; *shown: the set the trace shows. */
static gint64 semctl_do(SimWorld *w, SimTask *t, const SimStmt *st, int *err, SimSemArray **shown,
			int *pid_task, gint64 *failed)
{
	SimSemCmd cmd = st->sem.cmd;
	int id = sim_interp_queue_id(w, t, st);
	SimSemCtx c = sim_world_sem_ctx(w, t);
	if (id < 0)
		return *err = EINVAL, -1;
	if (cmd_is_info(cmd))
		return MAX(w->semns.ids.max_idx_used, 0);
	if (cmd == SIM_SEMCTL_SETVAL && (st->sem.val < 0 || st->sem.val > SIM_SEMVMX))
		return *err = ERANGE, -1;
	gboolean by_index = cmd == SIM_SEMCTL_SEM_STAT || cmd == SIM_SEMCTL_SEM_STAT_ANY;
	/* The SEM_STATs name a slot: whatever set is there, its id comes back. */
	SimSemArray *sma = *shown =
		by_index ? sim_ipcids_lookup_idx(&w->semns.ids, id) : sim_sem_lookup(&w->semns, id);
	if (!sma)
		return *err = EINVAL, -1;
	gint64 ret = by_index ? sma->perm.id : 0;
	if (cmd_is_stat(cmd)) {
		if (cmd != SIM_SEMCTL_SEM_STAT_ANY && sim_ipcns_denied(&sma->perm, &t->cred, 0444))
			*err = EACCES;
	} else if (cmd == SIM_SEMCTL_SET || cmd == SIM_SEMCTL_RMID) {
		if (!sim_ipcns_may_control(&sma->perm, &t->cred))
			*err = EPERM;
		else if (cmd == SIM_SEMCTL_RMID)
			*failed = sim_sem_remove(&w->semns, sma, &c);
		else {
			if (st->sem.set_uid >= 0)
				sma->perm.uid = st->sem.set_uid;
			if (st->sem.set_gid >= 0)
				sma->perm.gid = st->sem.set_gid;
			if (st->sem.perm >= 0)
				sma->perm.mode = (guint)st->sem.perm & 0777;
			sma->ctime = c.now;
		}
	} else {
		ret = semctl_values(w, t, st, sma, &c, err, pid_task);
	}
	if (!sma->removed)
		sim_sem_unlock(sma);
	SIM_CHECK(sim_sem_check(sma));
	return *err ? -1 : ret;
}

static void semctl_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err = 0, pid_task = -1;
	gint64 failed = 0;
	SimSemArray *sma = NULL;
	gint64 ret = semctl_do(w, t, st, &err, &sma, &pid_task, &failed);
	if (st->var >= 0)
		t->vars[st->var].num = ret;
	if (w->trace) {
		SimTraceEvent ev;
		sem_event(&ev, w, SIM_TR_CALL, t, st, sma, err, NULL, ret);
		ev.value = failed;
		ev.other = pid_task >= 0 ? w->tasks[pid_task].name : NULL;
		const SimLimits *l = &w->ipcns.limits;
		gboolean sem_info = st->sem.cmd == SIM_SEMCTL_SEM_INFO;
		gint64 counts[6] = { l->semmni,
				     l->semmns,
				     l->semmsl,
				     l->semopm,
				     sem_info ? (gint64)w->semns.ids.in_use : 20,
				     sem_info ? w->semns.used_sems : SIM_SEMAEM };
		memcpy(ev.counts, counts, sizeof(counts));
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, ret);
	sim_world_wake_all(w, t, NULL);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean semget_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_SEMGET;
	a[1] = st->sem.nsems;
	a[2] = (st->sem.flags & SIM_IPC_CREAT ? IPC_CREAT : 0) |
	       (st->sem.flags & SIM_IPC_EXCL ? IPC_EXCL : 0) | (st->sem.perm & 0777);
	return xc_real_key(r->xc, XC_SEM, sim_world_key(r->w, &st->sem.key), &a[0], &a[2]);
}

static gboolean semop_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_SEMOP;
	a[0] = real_id(r->xc, XC_SEM, sim_interp_queue_id(r->w, r->t, st));
	a[1] = st->sem.nsops;
	a[2] = xc_real_timeout(r->xc, r->w, r->t, st->sem.timeout, st->sem.timeout_at);
	for (guint i = 0; i < st->sem.nsops; i++) {
		const SimSembuf *b = &st->sem.sops[i];
		struct sembuf k = { .sem_num = (unsigned short)b->num,
				    .sem_op = (short)b->op,
				    .sem_flg =
					    (short)((b->flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0) |
						    (b->flags & SIM_SEM_UNDO ? SEM_UNDO : 0)) };
		g_string_append_len(r->data, (const char *)&k, sizeof(k));
	}
	return TRUE;
}

static gboolean semctl_replay(SimReplay *r)
{
	static const int cmds[] = {
		[SIM_SEMCTL_GETVAL] = GETVAL,	  [SIM_SEMCTL_SETVAL] = SETVAL,
		[SIM_SEMCTL_GETPID] = GETPID,	  [SIM_SEMCTL_GETNCNT] = GETNCNT,
		[SIM_SEMCTL_GETZCNT] = GETZCNT,	  [SIM_SEMCTL_GETALL] = GETALL,
		[SIM_SEMCTL_SETALL] = SETALL,	  [SIM_SEMCTL_STAT] = IPC_STAT,
		[SIM_SEMCTL_SET] = IPC_SET,	  [SIM_SEMCTL_RMID] = IPC_RMID,
		[SIM_SEMCTL_INFO] = IPC_INFO,	  [SIM_SEMCTL_SEM_INFO] = SEM_INFO,
		[SIM_SEMCTL_SEM_STAT] = SEM_STAT, [SIM_SEMCTL_SEM_STAT_ANY] = SEM_STAT_ANY
	};
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_SEMCTL;
	int id = sim_interp_queue_id(r->w, r->t, st);
	a[0] = real_id(r->xc, XC_SEM, id);
	a[1] = st->sem.num;
	a[2] = cmds[st->sem.cmd];
	a[3] = st->sem.val;
	if (st->sem.cmd == SIM_SEMCTL_RMID) /* the kernel forgets the values: read them now */
		xc_sem_snapshot(r->xc, sim_sem_lookup(&r->w->semns, id));
	if (st->sem.cmd == SIM_SEMCTL_SET) {
		/* IPC_SET takes all three: the ones not given are the set's own. */
		const SimSemArray *sma = sim_sem_lookup(&r->w->semns, id);
		a[3] = st->sem.perm >= 0 ? st->sem.perm : sma ? sma->perm.mode : 0;
		a[4] = st->sem.set_uid >= 0 ? st->sem.set_uid : sma ? sma->perm.uid : 0;
		a[5] = st->sem.set_gid >= 0 ? st->sem.set_gid : sma ? sma->perm.gid : 0;
	}
	if (st->sem.cmd == SIM_SEMCTL_SETALL) {
		/* The kernel reads nsems values: the array is as long as the set (the values
		 * not written are 0), or as written when the set is not known. */
		const SimSemArray *sma = sim_sem_lookup(&r->w->semns, id);
		guint n = sma ? sma->nsems : st->sem.nsops;
		for (guint i = 0; i < n; i++) {
			unsigned short v =
				i < st->sem.nsops ? (unsigned short)st->sem.sops[i].op : 0;
			g_string_append_len(r->data, (const char *)&v, sizeof(v));
		}
	}
	return TRUE;
}

static void semget_kernel_cell(SimKernelCell *kc)
{
	kc->k->ret =
		xc_model_id(kc->xc, XC_SEM, kc->r->ret, kc->m->err ? -1 : kc->m->ret, &kc->k->data_differs);
}

/* GETALL's values, IPC_STAT's fields and the info commands' limits, as one text. */
static void semctl_model_cell(SimModelCell *mc)
{
	const SimStmt *st = mc->st;
	SimWorld *w = mc->w;
	Cell *m = mc->m;
	if (m->err)
		return;
	int id = sim_interp_queue_id(w, mc->t, st);
	const SimSemArray *sma = cmd_is_stat(st->sem.cmd) && st->sem.cmd != SIM_SEMCTL_STAT
					 ? sim_ipcids_lookup_idx(&w->semns.ids, id)
					 : sim_sem_lookup(&w->semns, id);
	const SimLimits *l = &w->ipcns.limits;
	if (st->sem.cmd == SIM_SEMCTL_GETALL && sma) {
		m->extra = g_string_new(" values=");
		for (guint i = 0; i < sma->nsems; i++)
			g_string_append_printf(m->extra, "%s%" G_GINT64_FORMAT, i ? "," : "",
					       sma->sems[i].semval);
	} else if (cmd_is_stat(st->sem.cmd) && sma) {
		m->extra = g_string_new(NULL);
		g_string_append_printf(
			m->extra,
			" nsems=%u mode=%03o uid=%" G_GINT64_FORMAT " gid=%" G_GINT64_FORMAT
			" cuid=%" G_GINT64_FORMAT " cgid=%" G_GINT64_FORMAT " otime=%s",
			sma->nsems, sma->perm.mode, sma->perm.uid, sma->perm.gid, sma->perm.cuid,
			sma->perm.cgid, sma->has_otime ? "set" : "0");
	} else if (cmd_is_info(st->sem.cmd)) {
		gboolean sem_info = st->sem.cmd == SIM_SEMCTL_SEM_INFO;
		m->extra = g_string_new(NULL);
		g_string_append_printf(m->extra,
				       " semmni=%" G_GINT64_FORMAT " semmns=%" G_GINT64_FORMAT
				       " semmsl=%" G_GINT64_FORMAT " semopm=%" G_GINT64_FORMAT
				       " semusz=%" G_GINT64_FORMAT " semaem=%" G_GINT64_FORMAT,
				       l->semmni, l->semmns, l->semmsl, l->semopm,
				       sem_info ? (gint64)w->semns.ids.in_use : 20,
				       sem_info ? w->semns.used_sems : SIM_SEMAEM);
	}
}

static void semctl_kernel_cell(SimKernelCell *kc)
{
	const SimRealResult *r = kc->r;
	const SimStmt *st = kc->st;
	Cell *k = kc->k;
	if (r->err)
		return;
	const gint64 *f = r->stat;
	if (st->sem.cmd == SIM_SEMCTL_GETALL) {
		k->extra = g_string_new(" values=");
		g_string_append(k->extra, kc->data ? kc->data : "");
	} else if (cmd_is_stat(st->sem.cmd)) {
		k->extra = g_string_new(NULL);
		g_string_append_printf(
			k->extra,
			" nsems=%" G_GINT64_FORMAT " mode=%03" G_GINT64_MODIFIER
			"o uid=%" G_GINT64_FORMAT " gid=%" G_GINT64_FORMAT " cuid=%" G_GINT64_FORMAT
			" cgid=%" G_GINT64_FORMAT " otime=%s",
			f[0], f[1] & 0777, f[2], f[3], f[4], f[5], f[6] ? "set" : "0");
	} else if (cmd_is_info(st->sem.cmd)) {
		k->extra = g_string_new(NULL);
		g_string_append_printf(k->extra,
				       " semmni=%" G_GINT64_FORMAT " semmns=%" G_GINT64_FORMAT
				       " semmsl=%" G_GINT64_FORMAT " semopm=%" G_GINT64_FORMAT
				       " semusz=%" G_GINT64_FORMAT " semaem=%" G_GINT64_FORMAT,
				       f[0], f[1], f[2], f[3], f[4], f[5]);
	}
}

/* IPC_INFO and SEM_INFO tell the namespace's limits and usage, not one set's; the SEM_STATs
 * name a slot of the whole table. Without a private namespace that table is the machine's:
 * left out. Every other form names only the run's own sets (keys of its own, made
 * exclusively, swept by the sandbox). */
#define WHOLE_NS(cmd) cmd " tells about every semaphore set of the namespace, and without a " \
			  "private one that is the machine's"
static const char *sem_whole_namespace(const SimStmt *st)
{
	if (st->kind != SIM_STMT_SEMCTL)
		return NULL;
	return st->sem.cmd == SIM_SEMCTL_INFO		? WHOLE_NS("IPC_INFO")
	       : st->sem.cmd == SIM_SEMCTL_SEM_INFO	? WHOLE_NS("SEM_INFO")
	       : st->sem.cmd == SIM_SEMCTL_SEM_STAT	? WHOLE_NS("SEM_STAT")
	       : st->sem.cmd == SIM_SEMCTL_SEM_STAT_ANY ? WHOLE_NS("SEM_STAT_ANY")
							: NULL;
}
#undef WHOLE_NS

/* ---- Footprint ---- */

/* The parts of a set a footprint names (SimObjPart, footprint.h), so that calls on different
 * semaphores of one set commute:
 *   NUM(n)  semaphore n: its value, its two wait lists, and column n of every process's
 *           undo record for the set (only semops on n, SETVAL n, SETALL, an exit and
 *           IPC_RMID touch a column);
 *   PID(n)  semaphore n's last pid, apart, so that a wait for zero that goes through
 *           (it sets the pid, not the value) only reads NUM(n);
 *   SET     what the whole set shares: its mode and owner, the global wait lists where
 *           complex operations wait, whether a semop ever completed (IPC_STAT's otime),
 *           ctime, and the list of undo records (whose order no operation reads).
 * A part of another kind (len 0) is the whole set. Every call on a set reads SET: that is
 * how IPC_SET (a write of SET) and a complex operation that starts waiting (which moves
 * every waiter to the global list: the whole set) reach all of them. otime is written by
 * every semop that completes, always to "set" (the time itself no outcome shows), so
 * semops only read SET for it and IPC_STAT, which shows it, counts as writing SET: the
 * one pair that must not commute, semop and IPC_STAT, then conflicts. */
#define SEM_PID_OFF 0x10000u /* sem_num is an unsigned short: NUM parts stay below */
#define SEM_SET_OFF 0x20000u

static void sem_part(SimFootprint *fp, int id, guint32 off, gboolean write)
{
	sim_footprint_add_range(fp, SIM_OBJ_SEM, (guint64)id, off, 1, write);
}

static void sem_whole(SimFootprint *fp, int id, gboolean write)
{
	sim_footprint_add(fp, SIM_OBJ_SEM, (guint64)id, write);
}

static void semget_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	(void)w;
	gboolean makes = st->sem.key.kind == SIM_KEY_PRIVATE || (st->sem.flags & SIM_IPC_CREAT);
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SEM_NS, 0, makes);
}

/* The live set a call names, or NULL: then it fails with EINVAL having read the
 * namespace's table (see msgctl's). */
static const SimSemArray *named_set(const SimWorld *w, const SimTask *t, const SimStmt *st,
				    SimFootprint *fp, int *id)
{
	*id = sim_interp_queue_id(w, t, st);
	sim_call_fp_self(fp, t, FALSE);
	const SimSemArray *sma = *id >= 0 ? sim_sem_lookup(&w->semns, *id) : NULL;
	if (!sma)
		sim_footprint_add(fp, SIM_OBJ_SEM_NS, 0, FALSE);
	return sma;
}

/* t's undo record for set id, or NULL while it has none (sim_sem_undo_for makes it). */
static const SimSemUndo *undo_of(const SimTask *t, int id)
{
	for (const SimSemUndo *u = t->sem_undo; u; u = u->next)
		if (u->semid == id)
			return u;
	return NULL;
}

/* Whether semop_checks() lets st through on sma: else it fails having read SET (the
 * mode) at most. */
static gboolean semop_passes(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     const SimSemArray *sma)
{
	if (st->sem.nsops < 1 || (gint64)st->sem.nsops > w->ipcns.limits.semopm ||
	    st->sem.timeout == SIM_TIMEOUT_INVALID)
		return FALSE;
	gboolean alter = FALSE;
	for (guint i = 0; i < st->sem.nsops; i++) {
		if (st->sem.sops[i].num < 0 || st->sem.sops[i].num >= sma->nsems)
			return FALSE;
		alter |= st->sem.sops[i].op != 0;
	}
	return !sim_ipcns_denied(&sma->perm, &t->cred, alter ? 0222 : 0444);
}

/* semop, from the state it starts in (sim_sem_try says how it goes):
 *   fails (EAGAIN, ERANGE, a check)  reads its semaphores, rolled back;
 *   blocks                           a simple one joins its semaphore's list (NUM(n));
 *                                    a complex one, or any while complex ones wait,
 *                                    the global lists: the whole set;
 *   completes, changing nothing      a wait for zero: reads NUM(n), writes PID(n);
 *   completes, changing values       writes NUM(n) and PID(n) of each semaphore it names;
 *                                    the waiters it completes (update_queue) are on the
 *                                    lists of the semaphores it increased, simple
 *                                    decrements of n that touch n alone, and the waits
 *                                    for zero of a semaphore it left at 0 are on that
 *                                    one's list: all inside its parts. Where complex
 *                                    operations wait, the walk of the global list may
 *                                    complete any of them: the whole set.
 * The woken tasks themselves become able to step: the explorer makes that step dependent
 * with their next one (step_all's `fresh`). A woken semop's finish only picks its result
 * up (reads SET: the set may be gone), unless it was interrupted while still listed: it
 * leaves its list then, and the queues may unmerge (the whole set). */
static void semop_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	int id;
	const SimSemArray *sma = named_set(w, t, st, fp, &id);
	if (!sma)
		return;
	if (t->resuming || t->waiter.op) {
		gboolean listed = !t->resuming || t->waiter.queue;
		if (listed)
			sem_whole(fp, id, TRUE);
		else
			sem_part(fp, id, SEM_SET_OFF, FALSE);
		return;
	}
	sem_part(fp, id, SEM_SET_OFF, FALSE);
	if (!semop_passes(w, t, st, sma))
		return;
	const SimSembuf *sops = st->sem.sops;
	guint n = st->sem.nsops;
	int r = sim_sem_try(sma, sops, n, undo_of(t, id));
	gboolean alter = FALSE;
	for (guint i = 0; i < n; i++)
		alter |= sops[i].op != 0;
	if (r == SIM_BLOCKED && (n > 1 || sim_sem_complex_waiting(sma))) {
		sem_whole(fp, id, TRUE);
		return;
	}
	if (r == 0 && alter && sim_sem_complex_waiting(sma)) {
		sem_whole(fp, id, TRUE);
		return;
	}
	/* Blocked, it joins the list of the one it waits on; completed with changes, it
	 * changes values and wakes on the lists of what it names; else it only read. */
	gboolean writes = r == SIM_BLOCKED || (r == 0 && alter);
	for (guint i = 0; i < n; i++) {
		guint32 num = (guint32)sops[i].num;
		sem_part(fp, id, num, writes);
		if (r == 0)
			sem_part(fp, id, SEM_PID_OFF + num, TRUE);
	}
}

/* semctl by command: GETVAL and GETNCNT/GETZCNT read one semaphore (the counts the global
 * lists too: SET), GETPID its pid, GETALL the whole set; SETVAL, SETALL and IPC_RMID change
 * the whole set (their wake-ups walk every semaphore's lists, and SETVAL clears a column
 * of every undo record), IPC_RMID and IPC_SET the namespace's tables too; IPC_SET changes
 * SET (the mode every call checks), and so does IPC_STAT, which shows otime (see above);
 * the info commands read the namespace and every set. */
static void semctl_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	SimSemCmd cmd = st->sem.cmd;
	if (cmd_is_info(cmd)) {
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SEM_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SEM, SIM_OBJ_ALL, FALSE);
		return;
	}
	if (cmd == SIM_SEMCTL_SEM_STAT || cmd == SIM_SEMCTL_SEM_STAT_ANY) {
		/* A slot, whichever set is in it: the namespace's tables decide. */
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SEM_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SEM, SIM_OBJ_ALL, FALSE);
		sim_footprint_add_range(fp, SIM_OBJ_SEM, SIM_OBJ_ALL, SEM_SET_OFF, 1, TRUE);
		return;
	}
	int id;
	const SimSemArray *sma = named_set(w, t, st, fp, &id);
	if (!sma)
		return;
	gboolean one = cmd_has_num(cmd) && cmd != SIM_SEMCTL_SETVAL && st->sem.num >= 0 &&
		       st->sem.num < sma->nsems;
	guint32 num = one ? (guint32)st->sem.num : 0;
	switch (cmd) {
	case SIM_SEMCTL_GETVAL:
	case SIM_SEMCTL_GETNCNT:
	case SIM_SEMCTL_GETZCNT:
	case SIM_SEMCTL_GETPID:
		sem_part(fp, id, SEM_SET_OFF, FALSE);
		if (one)
			sem_part(fp, id, cmd == SIM_SEMCTL_GETPID ? SEM_PID_OFF + num : num, FALSE);
		return;
	case SIM_SEMCTL_GETALL:
		sem_whole(fp, id, FALSE);
		return;
	case SIM_SEMCTL_STAT:
	case SIM_SEMCTL_SET:
		sem_part(fp, id, SEM_SET_OFF, TRUE);
		break;
	default: /* SETVAL, SETALL, IPC_RMID */
		sem_whole(fp, id, TRUE);
		break;
	}
	if (cmd == SIM_SEMCTL_SET || cmd == SIM_SEMCTL_RMID)
		sim_footprint_add(fp, SIM_OBJ_SEM_NS, 0, TRUE);
}

/* ---- Deadlock report ---- */

/* semop and semctl reach any set: the set variable may hold any id. */
static gboolean set_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    const SimObjRef *obj)
{
	(void)w, (void)t, (void)st, (void)obj;
	return TRUE;
}

const SimCallDesc sim_call_sem_rows[] = {
	{
		.kind = SIM_STMT_SEMGET,
		.name = "semget",
		.family = SIM_CALL_SEM,
		.text_call = semget_text,
		.text_result = semget_result,
		.json_result = sim_call_json_ret,
		.exec = semget_exec,
		.parse = semget_parse,
		.real_name = "semget",
		.replay = semget_replay,
		.kernel_cell = semget_kernel_cell,
		.footprint = semget_footprint,
	},
	{
		.kind = SIM_STMT_SEMOP,
		.name = "semop",
		.family = SIM_CALL_SEM,
		.text_call = semop_text,
		.text_result = semop_result,
		.json_call = semop_json_call,
		.json_result = sem_json_result,
		.nowait = semop_nowait,
		.exec = semop_exec,
		.abandon = semop_abandon,
		.parse = semop_parse,
		.real_name = "semtimedop",
		.xc_flags = SIM_CALL_XC_TIMED,
		.replay = semop_replay,
		.footprint = semop_footprint,
		.blocks = TRUE,
		/* A semop both takes (a wait) and puts (a post): either may free a waiter. */
		.wait_role = SIM_WAIT_BOTH,
		.wait_obj = SIM_OBJ_SEM,
		.reaches = set_reaches,
	},
	{
		.kind = SIM_STMT_SEMCTL,
		.name = "semctl",
		.family = SIM_CALL_SEM,
		.text_call = semctl_text,
		.text_result = semctl_result,
		.json_result = sem_json_result,
		.exec = semctl_exec,
		.parse = semctl_parse,
		.real_name = "semctl",
		.replay = semctl_replay,
		.model_cell = semctl_model_cell,
		.kernel_cell = semctl_kernel_cell,
		.whole_namespace = sem_whole_namespace,
		.footprint = semctl_footprint,
		/* It never waits, but SETVAL, SETALL and IPC_RMID release waiters. */
		.wait_role = SIM_WAIT_BOTH,
		.wait_obj = SIM_OBJ_SEM,
		.reaches = set_reaches,
	},
};
const guint sim_call_sem_n_rows = G_N_ELEMENTS(sim_call_sem_rows);

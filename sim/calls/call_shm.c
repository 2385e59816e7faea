/* call_shm.c — the XSI shared memory family: shmget, shmat, shmdt, shmctl (shm.h), and the
 * loads and stores a program makes through an attachment: shmwrite and shmread.
 *
 * The trace shows each call with its arguments, its result (an id, an address, the bytes
 * loaded) and the segment's state after it, "[m: 4096 bytes, 2 attached]", which is what
 * ipcs -m shows a student.
 *
 * The address shmat returns is the handle a scenario keeps (shmat m -> a) and gives to
 * shmdt, shmwrite and shmread, as a program keeps the pointer. A load or a store outside
 * every attachment of the process, or a store through a read-only one, is where a program
 * would get SIGSEGV; here it fails with EFAULT and touches nothing, so the lesson stays
 * readable and the real worker never faults.
 *
 * Footprint: shmwrite and shmread touch one segment's bytes (a store changes them), shmat
 * and shmdt its attachments; shmget and IPC_RMID change the namespace's tables.
 */
#define _GNU_SOURCE

#include "calls/call_int.h"

#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "msgsim/kernel/shm.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

static const char *const shmctl_names[] = {
	[SIM_SHMCTL_STAT] = "stat",
	[SIM_SHMCTL_RMID] = "rmid",
	[SIM_SHMCTL_SET] = "set",
	[SIM_SHMCTL_INFO] = "info",
	[SIM_SHMCTL_SHM_INFO] = "shm_info",
	[SIM_SHMCTL_LOCK] = "lock",
	[SIM_SHMCTL_UNLOCK] = "unlock",
	[SIM_SHMCTL_SHM_STAT] = "shm_stat",
	[SIM_SHMCTL_SHM_STAT_ANY] = "shm_stat_any",
	NULL,
};

/* IPC_STAT and the SHM_STATs, which fill the same shmid_ds; the SHM_STATs take an index. */
static gboolean cmd_is_stat(SimShmCmd c)
{
	return c == SIM_SHMCTL_STAT || c == SIM_SHMCTL_SHM_STAT || c == SIM_SHMCTL_SHM_STAT_ANY;
}

static gboolean cmd_by_index(SimShmCmd c)
{
	return c == SIM_SHMCTL_SHM_STAT || c == SIM_SHMCTL_SHM_STAT_ANY;
}

/* ---- Trace ---- */

/* The segment after the call: " [m: 4096 bytes, 2 attached]", "removed when detached". */
static void shm_state(GString *s, const SimTraceEvent *ev)
{
	const SimShmSeg *seg = ev->shm;
	if (!seg || !ev->object)
		return;
	if (seg->gone) {
		g_string_append_printf(s, " [%s: removed]", ev->object);
		return;
	}
	g_string_append_printf(
		s, " [%s: %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT " attached%s]", ev->object,
		seg->segsz, seg->nattch, seg->dest ? ", removed at the last detach" : "");
}

static void shmget_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->shm.key.kind == SIM_KEY_PRIVATE)
		g_string_append(s, "shmget key=private");
	else
		g_string_append_printf(s, "shmget key=0x%08" G_GINT64_MODIFIER "x", ev->value);
	g_string_append_printf(s, " size=%" G_GINT64_FORMAT "%s%s perm=0%" G_GINT64_MODIFIER "o",
			       st->shm.size, st->shm.flags & SIM_IPC_CREAT ? " create" : "",
			       st->shm.flags & SIM_IPC_EXCL ? " excl" : "", st->shm.perm);
}

/* load and store: "[OFF]", " = VALUE" for a store, then the options given. The object is
 * written right before, so that it reads as the program wrote it: "store p[4] = 7". */
static void mem_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "[%" G_GINT64_FORMAT "]", st->shm.offset);
	if (st->kind == SIM_STMT_STORE)
		g_string_append_printf(s, " = %" G_GINT64_FORMAT, st->shm.value);
	if (st->shm.width != 4)
		g_string_append_printf(s, " size=%" G_GINT64_FORMAT, st->shm.width);
	if (st->shm.racy)
		g_string_append(s, " racy");
}

static void shm_call_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	const char *name = sim_call_desc(st->kind)->name;
	if (st->kind == SIM_STMT_SHMGET) {
		shmget_text(s, ev);
		return;
	}
	g_string_append_printf(s, "%s %s", name, ev->object ? ev->object : "?");
	switch (st->kind) {
	case SIM_STMT_SHMAT:
		if (st->shm.rdonly)
			g_string_append(s, " rdonly");
		break;
	case SIM_STMT_SHMCTL:
		g_string_append_printf(s, " %s", shmctl_names[st->shm.cmd]);
		if (st->shm.cmd == SIM_SHMCTL_SET && st->shm.perm >= 0)
			g_string_append_printf(s, " mode=0%" G_GINT64_MODIFIER "o", st->shm.perm);
		if (st->shm.set_uid >= 0)
			g_string_append_printf(s, " uid=%" G_GINT64_FORMAT, st->shm.set_uid);
		if (st->shm.set_gid >= 0)
			g_string_append_printf(s, " gid=%" G_GINT64_FORMAT, st->shm.set_gid);
		break;
	case SIM_STMT_SHMWRITE:
		g_string_append_printf(s, " %" G_GINT64_FORMAT " ", st->shm.offset);
		sim_trace_quote(s, ev->text ? ev->text : "", ev->text ? strlen(ev->text) : 0);
		break;
	case SIM_STMT_SHMREAD:
		g_string_append_printf(s, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, st->shm.offset,
				       st->shm.size);
		break;
	case SIM_STMT_STORE:
	case SIM_STMT_LOAD:
		mem_text(s, ev);
		break;
	default:
		break;
	}
}

static void shm_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimStmt *st = ev->stmt;
	if (sim_call_result_head(s, ev, arrow)) {
		if (st->kind == SIM_STMT_SHMGET)
			g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
		else if (st->kind == SIM_STMT_SHMAT)
			g_string_append_printf(s, ", address 0x%" G_GINT64_MODIFIER "x", ev->ret);
		else if (st->kind == SIM_STMT_SHMREAD) {
			g_string_append(s, ": ");
			sim_trace_quote(s, ev->text ? ev->text : "", (gsize)MAX(ev->value, 0));
		} else if (st->kind == SIM_STMT_LOAD)
			g_string_append_printf(s, ": %" G_GINT64_FORMAT, ev->ret);
		else if (st->kind == SIM_STMT_STORE && ev->counts[0])
			g_string_append_printf(s,
					       ", lost update: the bytes held %" G_GINT64_FORMAT
					       ", not the %" G_GINT64_FORMAT " this process loaded",
					       ev->counts[1], ev->counts[2]);
		else if (st->kind == SIM_STMT_SHMCTL && cmd_is_stat(st->shm.cmd) && ev->shm) {
			if (cmd_by_index(st->shm.cmd))
				g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
			g_string_append_printf(
				s,
				": segsz %" G_GINT64_FORMAT ", nattch %" G_GINT64_FORMAT
				", perms %03o, cpid %s, lpid %s",
				ev->shm->segsz, ev->shm->nattch, ev->shm->perm.mode,
				ev->lspid ? ev->lspid : "0", ev->lrpid ? ev->lrpid : "0");
		} else if (st->kind == SIM_STMT_SHMCTL &&
			   (st->shm.cmd == SIM_SHMCTL_INFO || st->shm.cmd == SIM_SHMCTL_SHM_INFO))
			g_string_append_printf(s, ", highest index in use %" G_GINT64_FORMAT,
					       ev->ret);
	}
	shm_state(s, ev);
}

/* The bytes a store wrote or a load read: "data". */
static void shm_json_result(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if ((ev->stmt->kind == SIM_STMT_SHMWRITE || ev->stmt->kind == SIM_STMT_SHMREAD) &&
	    ev->text && !ev->err)
		sim_trace_json_str(s, "data", ev->text, (gssize)MAX(ev->value, 0));
	if (ev->stmt->kind == SIM_STMT_STORE && ev->counts[0]) {
		sim_trace_json_int(s, "lost_update_held", ev->counts[1]);
		sim_trace_json_int(s, "lost_update_loaded", ev->counts[2]);
	}
}

/* load and store: where, and what is stored. */
static void mem_json_call(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->kind != SIM_STMT_STORE && st->kind != SIM_STMT_LOAD)
		return;
	sim_trace_json_int(s, "offset", st->shm.offset);
	sim_trace_json_int(s, "size", st->shm.width);
	if (st->kind == SIM_STMT_STORE)
		sim_trace_json_int(s, "value", st->shm.value);
	if (st->shm.racy)
		sim_trace_json_str(s, "racy", "yes", -1);
}

/* ---- Parsing ---- */

static const SimShmArgs shm_defaults = {
	.key = { SIM_KEY_PRIVATE, 0, -1 }, .perm = 0, .set_uid = -1, .set_gid = -1
};

static gboolean take_stmt_key(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	return scn_take_key(p, REF_FTOK_STMT, st->id, &st->shm.key);
}

static const OptSpec shmget_opts[] = {
	TAKE_OPT("key", take_stmt_key),
	INT_OPT("size", ST(shm.size), G_MININT64, G_MAXINT64),
	FLAG_OPT("create", ST(shm.flags), SIM_IPC_CREAT),
	FLAG_OPT("excl", ST(shm.flags), SIM_IPC_EXCL),
	MODE_OPT("perm", ST(shm.perm)),
	OPTS_END,
};

/* shmget key=K|private|ftok("PATH", ID) [size=N] [create] [excl] [perm=MODE] [-> VAR] */
static gboolean shmget_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	StmtOpts so = { .o = { .what = "shmget", .specs = shmget_opts }, .role = ROLE_QUEUE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.o.seen[0].line)
		return scn_fail_at(p, st->loc, E_SYNTAX,
				   "shmget needs key=K, key=private or key=ftok(\"PATH\", ID)");
	return TRUE;
}

static const OptSpec shmat_opts[] = {
	BOOL_OPT("rdonly", ST(shm.rdonly)),
	OPTS_END,
};

/* shmat S [rdonly] [-> VAR] */
static gboolean shmat_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	if (!scn_take_id_var(p, st, "shmat", "a variable set by 'shmget ... -> v'"))
		return FALSE;
	StmtOpts so = { .o = { .what = "shmat", .specs = shmat_opts }, .role = ROLE_FD };
	return scn_take_stmt_opts(p, st, &so);
}

/* shmdt A */
static gboolean shmdt_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	return scn_take_id_var(p, st, "shmdt", "a variable set by 'shmat ... -> a'");
}

static const OptSpec shmctl_set_opts[] = {
	MODE_OPT("mode", ST(shm.perm)),
	INT_OPT("uid", ST(shm.set_uid), 0, G_MAXINT64),
	INT_OPT("gid", ST(shm.set_gid), 0, G_MAXINT64),
	OPTS_END,
};

/* shmctl S stat|rmid|info|shm_info|lock|unlock  and  shmctl S set [mode=M] [uid=N] [gid=N] */
static gboolean shmctl_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	st->shm.perm = -1;
	const Tok *s = tok(p);
	if (!scn_take_id_var(p, st, "shmctl", "a variable set by 'shmget ... -> v'"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'shmctl %s'", s->text);
	const Tok *cmd = tok(p);
	int c = scn_take_choice(p, "shmctl command", ctx, shmctl_names);
	if (c < 0)
		return FALSE;
	st->shm.cmd = (SimShmCmd)c;
	if (st->shm.cmd == SIM_SHMCTL_SET) {
		Opts o = { .what = "shmctl set", .specs = shmctl_set_opts };
		if (!scn_take_opts(p, &o, st))
			return FALSE;
		if (!o.seen[0].line && !o.seen[1].line && !o.seen[2].line)
			return scn_fail_tok(
				p, cmd, E_SYNTAX,
				"'shmctl %s set' needs at least one of mode=, uid= or gid=",
				s->text);
	}
	if (is_char(tok(p), '-') && is_char(peek(p, 1), '>')) {
		SimLoc seen = { 0 };
		return scn_take_arrow(p, st, ROLE_COUNTER, &seen);
	}
	return TRUE;
}

/* shmwrite A OFFSET TEXT */
static gboolean shmwrite_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	if (!scn_take_id_var(p, st, "shmwrite", "a variable set by 'shmat ... -> a'"))
		return FALSE;
	if (!scn_take_int(p, "offset", "after 'shmwrite A'", 0, G_MAXINT32, &st->shm.offset))
		return FALSE;
	return scn_take_text(p, "after 'shmwrite A OFFSET'", &st->text);
}

/* shmread A OFFSET SIZE [-> VAR] */
static gboolean shmread_parse(Parser *p, SimStmt *st)
{
	st->shm = shm_defaults;
	if (!scn_take_id_var(p, st, "shmread", "a variable set by 'shmat ... -> a'"))
		return FALSE;
	if (!scn_take_int(p, "offset", "after 'shmread A'", 0, G_MAXINT32, &st->shm.offset) ||
	    !scn_take_int(p, "size", "after 'shmread A OFFSET'", 1, 65536, &st->shm.size))
		return FALSE;
	if (is_char(tok(p), '-') && is_char(peek(p, 1), '>')) {
		SimLoc seen = { 0 };
		return scn_take_arrow(p, st, ROLE_MESSAGE, &seen);
	}
	return TRUE;
}

/* load A[OFF] and store A[OFF]: the address variable, and the offset in brackets. */
static gboolean take_cell(Parser *p, SimStmt *st, const char *how)
{
	st->shm = shm_defaults;
	st->shm.width = 4;
	if (!scn_take_id_var(p, st, how, "a variable set by 'shmat ... -> a'"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after '%s A['", how);
	if (!is_char(tok(p), '['))
		return scn_expected(p, "'[' after '%s A' (%s A[OFFSET])", how, how);
	advance(p);
	if (!scn_take_int(p, "offset", ctx, 0, G_MAXINT32, &st->shm.offset))
		return FALSE;
	if (!is_char(tok(p), ']'))
		return scn_expected(p, "']' after the offset of '%s'", how);
	advance(p);
	return TRUE;
}

static const OptSpec mem_opts[] = {
	INT_OPT("size", ST(shm.width), 1, 8),
	BOOL_OPT("racy", ST(shm.racy)),
	OPTS_END,
};

/* The options of load and store; size= must be a C integer's: 1, 2, 4 or 8 bytes. */
static gboolean take_mem_opts(Parser *p, SimStmt *st, const char *how, int role)
{
	StmtOpts so = { .o = { .what = how, .specs = mem_opts }, .role = role };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	gint64 n = st->shm.width;
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return scn_fail_at(p, so.o.seen[0], E_NUMBER,
				   "bad size %" G_GINT64_FORMAT " of '%s': an integer of 1, 2, 4 "
				   "or 8 bytes",
				   n, how);
	return TRUE;
}

/* store A[OFF] = VALUE [size=N] [racy] */
static gboolean store_parse(Parser *p, SimStmt *st)
{
	if (!take_cell(p, st, "store"))
		return FALSE;
	if (!is_char(tok(p), '='))
		return scn_expected(p, "'=' after 'store A[OFFSET]' (store A[OFFSET] = VALUE)");
	advance(p);
	if (!scn_take_int(p, "value", "after 'store A[OFFSET] ='", G_MININT64, G_MAXINT64,
			  &st->shm.value))
		return FALSE;
	return take_mem_opts(p, st, "store", -1);
}

/* load A[OFF] [size=N] [racy] [-> VAR] */
static gboolean load_parse(Parser *p, SimStmt *st)
{
	return take_cell(p, st, "load") && take_mem_opts(p, st, "load", ROLE_COUNTER);
}

/* ---- Execution ---- */

static const char *var_word(const SimTask *t, const SimStmt *st)
{
	return t->prog->body->vars[st->ep.index].name;
}

static gint64 var_value(const SimTask *t, const SimStmt *st)
{
	return t->vars[st->ep.index].num;
}

static void emit(SimWorld *w, const SimTask *t, const SimStmt *st, const char *object,
		 const SimShmSeg *seg, int err, gint64 ret, const char *text, gint64 len)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, object, NULL, err, NULL, -1);
	ev.shm = seg;
	ev.ret = ret;
	ev.text = text;
	ev.value = len;
	if (seg && st->kind == SIM_STMT_SHMCTL) {
		ev.lspid = seg->cpid >= 0 ? w->tasks[seg->cpid].name : NULL;
		ev.lrpid = seg->lpid >= 0 ? w->tasks[seg->lpid].name : NULL;
	}
	sim_world_emit(w, &ev);
}

static void shmget_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int id = -1;
	guint made = w->shmns.all->len;
	gint64 key = sim_world_key(w, &st->shm.key);
	int err = sim_shm_get(&w->shmns, &w->ipcns.limits, key, st->shm.size, st->shm.flags,
			      (guint)st->shm.perm, &t->cred, t->id, sim_world_now(w), &id);
	if (w->shmns.all->len > made)
		w->mem += sizeof(SimShmSeg);
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : id;
	if (w->trace) {
		SimTraceEvent ev =
			sim_interp_call_event(w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, -1);
		ev.shm = err ? NULL : sim_shm_lookup(&w->shmns, id);
		ev.object = ev.shm && st->var >= 0 ? t->prog->body->vars[st->var].name : NULL;
		ev.ret = err ? -1 : id;
		ev.value = key;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, id);
}

static void shmat_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 id = var_value(t, st), addr = -1;
	int err = id < 0 || id > G_MAXINT
			  ? EINVAL
			  : sim_shm_attach(&w->shmns, &w->shm_maps[t->id], (int)id, st->shm.rdonly,
					   &t->cred, t->id, sim_world_now(w), &addr);
	if (st->var >= 0)
		t->vars[st->var].num = addr;
	if (w->trace)
		emit(w, t, st, var_word(t, st), err ? NULL : sim_shm_lookup(&w->shmns, (int)id),
		     err, addr, NULL, 0);
	sim_interp_finish(w, t, st, err, addr);
}

static void shmdt_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 addr = var_value(t, st);
	const SimShmMap *map = sim_shm_find(&w->shm_maps[t->id], addr, 0);
	const SimShmSeg *seg = map && map->addr == addr ? map->seg : NULL;
	int err = sim_shm_detach(&w->shmns, &w->shm_maps[t->id], addr, t->id, sim_world_now(w));
	if (w->trace)
		emit(w, t, st, var_word(t, st), seg, err, err ? -1 : 0, NULL, 0);
	sim_interp_finish(w, t, st, err, err ? -1 : 0);
}

/* IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK after the lookup: 0 or the errno. */
static int shmctl_change(SimWorld *w, const SimTask *t, const SimStmt *st, SimShmSeg *seg)
{
	if (!sim_ipcns_may_control(&seg->perm, &t->cred))
		return EPERM;
	switch (st->shm.cmd) {
	case SIM_SHMCTL_RMID:
		sim_shm_remove(&w->shmns, seg);
		break;
	case SIM_SHMCTL_SET:
		if (st->shm.set_uid >= 0)
			seg->perm.uid = st->shm.set_uid;
		if (st->shm.set_gid >= 0)
			seg->perm.gid = st->shm.set_gid;
		if (st->shm.perm >= 0)
			seg->perm.mode = (guint)st->shm.perm & 0777;
		seg->ctime = sim_world_now(w);
		break;
	default:
		seg->locked = st->shm.cmd == SIM_SHMCTL_LOCK;
		break;
	}
	return 0;
}

static void shmctl_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 id = var_value(t, st), ret = 0;
	int err = 0;
	SimShmSeg *seg = NULL;
	if (id < 0 || id > G_MAXINT)
		err = EINVAL; /* ksys_shmctl: before the command */
	else if (st->shm.cmd == SIM_SHMCTL_INFO || st->shm.cmd == SIM_SHMCTL_SHM_INFO)
		ret = MAX(w->shmns.ids.max_idx_used, 0);
	else if (!(seg = cmd_by_index(st->shm.cmd) ? sim_ipcids_lookup_idx(&w->shmns.ids, (int)id)
						   : sim_shm_lookup(&w->shmns, (int)id)))
		err = EINVAL;
	else if (cmd_is_stat(st->shm.cmd))
		err = st->shm.cmd != SIM_SHMCTL_SHM_STAT_ANY &&
				      sim_ipcns_denied(&seg->perm, &t->cred, 0444)
			      ? EACCES
			      : 0;
	if (!err && seg && cmd_by_index(st->shm.cmd))
		ret = seg->perm.id; /* the SHM_STATs return the id of the slot's segment */
	if (!err && seg && !cmd_is_stat(st->shm.cmd))
		err = shmctl_change(w, t, st, seg);
	if (err)
		ret = -1;
	if (st->var >= 0)
		t->vars[st->var].num = ret;
	SIM_CHECK(!seg || sim_shm_check(seg));
	if (w->trace)
		emit(w, t, st, var_word(t, st), seg, err, ret, NULL, 0);
	sim_interp_finish(w, t, st, err, ret);
}

/* shmwrite and shmread: the attachment that holds the whole range, or EFAULT. */
static SimShmSeg *access_seg(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 len,
			     gboolean store, guint8 **at, int *err)
{
	gint64 addr = var_value(t, st);
	const SimShmMap *map = sim_shm_find(&w->shm_maps[t->id], addr + st->shm.offset, len);
	if (!map || (store && map->rdonly)) {
		*err = EFAULT;
		return NULL;
	}
	if (!map->seg->data)
		w->mem += (guint64)(map->seg->pages * SIM_SHM_PAGE);
	*at = sim_shm_bytes(map->seg) + (addr + st->shm.offset - map->addr);
	*err = 0;
	return map->seg;
}

/* The bytes a store writes: its text, expanded when it has $ parts. */
static void store_text(SimWorld *w, const SimTask *t, const SimStmt *st, GString *data)
{
	if (st->text.literal) {
		g_string_append_len(data, st->text.literal, (gssize)st->text.literal_len);
	} else if (st->text.n_parts) {
		sim_interp_expand(w, t, &st->text);
		g_string_append_len(data, w->scratch->str, (gssize)w->scratch->len);
	}
}

static void shmwrite_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	g_autoptr(GString) data = g_string_new(NULL);
	store_text(w, t, st, data);
	sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, data->len));
	guint8 *at = NULL;
	int err;
	SimShmSeg *seg = access_seg(w, t, st, (gint64)data->len, TRUE, &at, &err);
	if (seg)
		memcpy(at, data->str, data->len);
	if (w->trace)
		emit(w, t, st, var_word(t, st), seg, err, err ? -1 : 0, data->str,
		     (gint64)data->len);
	sim_interp_finish(w, t, st, err, err ? -1 : 0);
}

static void shmread_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, (guint64)st->shm.size));
	guint8 *at = NULL;
	int err;
	SimShmSeg *seg = access_seg(w, t, st, st->shm.size, FALSE, &at, &err);
	g_autoptr(GString) got = g_string_new(NULL);
	if (seg)
		g_string_append_len(got, (const char *)at, (gssize)st->shm.size);
	if (w->trace)
		emit(w, t, st, var_word(t, st), seg, err, err ? -1 : st->shm.size, got->str,
		     (gint64)got->len);
	if (seg && (st->var >= 0 || t->received)) {
		sim_interp_keep_bytes(w, t, st, got->str, got->len, got->len);
	}
	if (seg && w->out.text) {
		w->out.got = TRUE;
		g_string_assign(w->out.text, got->str);
		w->out.size = got->len;
	}
	sim_interp_finish(w, t, st, err, err ? -1 : st->shm.size);
}

/* An integer of n bytes as memory holds it on x86: little-endian. */
static void put_le(guint8 *at, gint64 n, gint64 v)
{
	for (gint64 i = 0; i < n; i++)
		at[i] = (guint8)((guint64)v >> (8 * i));
}

/* ... and read back as a C signed integer of that size reads: sign-extended. */
static gint64 get_le(const guint8 *at, gint64 n)
{
	guint64 u = 0;
	for (gint64 i = 0; i < n; i++)
		u |= (guint64)at[i] << (8 * i);
	if (n < 8 && (u >> (8 * n - 1)) & 1u)
		u |= ~0ull << (8 * n);
	return (gint64)u;
}

static void emit_mem(SimWorld *w, const SimTask *t, const SimStmt *st, const SimShmSeg *seg,
		     int err, gint64 ret, const gint64 lost[3])
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, var_word(t, st), NULL, err, NULL,
				   -1);
	ev.shm = seg;
	ev.ret = ret;
	memcpy(ev.counts, lost, 3 * sizeof(gint64));
	sim_world_emit(w, &ev);
}

/* A store through a racy load's bytes: was the value changed by another store since? The
 * record is spent either way, as a program's register is overwritten by its next load. */
static void racy_store(SimShmMaps *maps, const SimStmt *st, gint64 addr, const guint8 *at,
		       gint64 lost[3])
{
	if (!st->shm.racy || !maps->racy_set)
		return;
	maps->racy_set = FALSE;
	if (maps->racy_addr != addr || maps->racy_len != st->shm.width)
		return;
	gint64 now = get_le(at, st->shm.width);
	gint64 seen = (gint64)maps->racy_seen;
	if (now != seen) {
		lost[0] = 1;
		lost[1] = now;
		lost[2] = seen;
	}
}

static void store_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	guint8 *at = NULL;
	int err;
	gint64 lost[3] = { 0, 0, 0 };
	SimShmSeg *seg = access_seg(w, t, st, st->shm.width, TRUE, &at, &err);
	if (seg) {
		racy_store(&w->shm_maps[t->id], st, var_value(t, st) + st->shm.offset, at, lost);
		put_le(at, st->shm.width, st->shm.value);
	}
	if (w->trace)
		emit_mem(w, t, st, seg, err, err ? -1 : 0, lost);
	sim_interp_finish(w, t, st, err, err ? -1 : 0);
}

static void load_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	guint8 *at = NULL;
	int err;
	SimShmSeg *seg = access_seg(w, t, st, st->shm.width, FALSE, &at, &err);
	gint64 v = seg ? get_le(at, st->shm.width) : -1;
	if (seg && st->shm.racy) {
		SimShmMaps *maps = &w->shm_maps[t->id];
		maps->racy_set = TRUE;
		maps->racy_addr = var_value(t, st) + st->shm.offset;
		maps->racy_len = st->shm.width;
		maps->racy_seen = (guint64)v;
	}
	if (st->var >= 0)
		t->vars[st->var].num = v;
	if (w->trace) {
		const gint64 none[3] = { 0, 0, 0 };
		emit_mem(w, t, st, seg, err, v, none);
	}
	sim_interp_finish(w, t, st, err, v);
}

/* ---- Cross-check ---- */

/* The model's address for t's next attachment: the handle the worker will know it by. */
static gint64 next_handle(const SimWorld *w, const SimTask *t)
{
	const SimShmMaps *m = &w->shm_maps[t->id];
	return m->maps ? m->next : SIM_SHM_BASE;
}

static gboolean shmget_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_SHMGET;
	a[1] = st->shm.size;
	a[2] = (st->shm.flags & SIM_IPC_CREAT ? IPC_CREAT : 0) |
	       (st->shm.flags & SIM_IPC_EXCL ? IPC_EXCL : 0) | (st->shm.perm & 0777);
	return xc_real_key(r->xc, XC_SHM, sim_world_key(r->w, &st->shm.key), &a[0], &a[2]);
}

static gboolean shmat_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_SHMAT;
	r->c->a[0] = real_id(r->xc, XC_SHM, var_value(r->t, r->st));
	r->c->a[1] = next_handle(r->w, r->t);
	r->c->a[2] = r->st->shm.rdonly ? SHM_RDONLY : 0;
	return TRUE;
}

static gboolean shmdt_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_SHMDT;
	r->c->a[0] = var_value(r->t, r->st);
	return TRUE;
}

static gboolean shmctl_replay(SimReplay *r)
{
	static const int cmds[] = { [SIM_SHMCTL_STAT] = IPC_STAT,
				    [SIM_SHMCTL_RMID] = IPC_RMID,
				    [SIM_SHMCTL_SET] = IPC_SET,
				    [SIM_SHMCTL_INFO] = IPC_INFO,
				    [SIM_SHMCTL_SHM_INFO] = SHM_INFO,
				    [SIM_SHMCTL_LOCK] = SHM_LOCK,
				    [SIM_SHMCTL_UNLOCK] = SHM_UNLOCK,
				    [SIM_SHMCTL_SHM_STAT] = SHM_STAT,
				    [SIM_SHMCTL_SHM_STAT_ANY] = SHM_STAT_ANY };
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	gint64 id = var_value(r->t, st);
	r->c->op = SIM_REAL_SHMCTL;
	a[0] = real_id(r->xc, XC_SHM, id);
	a[1] = cmds[st->shm.cmd];
	if (st->shm.cmd == SIM_SHMCTL_SET) {
		const SimShmSeg *seg = sim_shm_lookup(&r->w->shmns, (int)CLAMP(id, -1, G_MAXINT));
		a[2] = st->shm.perm >= 0 ? st->shm.perm : seg ? seg->perm.mode : 0;
		a[3] = st->shm.set_uid >= 0 ? st->shm.set_uid : seg ? seg->perm.uid : 0;
		a[4] = st->shm.set_gid >= 0 ? st->shm.set_gid : seg ? seg->perm.gid : 0;
	}
	return TRUE;
}

static gboolean shmwrite_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_SHMWRITE;
	r->c->a[0] = var_value(r->t, r->st);
	r->c->a[1] = r->st->shm.offset;
	stmt_text(r->w, r->t, r->st, "", r->data);
	return TRUE;
}

static gboolean shmread_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_SHMREAD;
	r->c->a[0] = var_value(r->t, r->st);
	r->c->a[1] = r->st->shm.offset;
	r->c->a[2] = r->st->shm.size;
	return TRUE;
}

/* store: its integer's bytes, as the model wrote them; load: the bytes, read back on the
 * worker's own attachment, and compared as the integer they make. */
static gboolean store_replay(SimReplay *r)
{
	guint8 bytes[8];
	put_le(bytes, r->st->shm.width, r->st->shm.value);
	r->c->op = SIM_REAL_SHMWRITE;
	r->c->a[0] = var_value(r->t, r->st);
	r->c->a[1] = r->st->shm.offset;
	g_string_append_len(r->data, (const char *)bytes, (gssize)r->st->shm.width);
	return TRUE;
}

static gboolean load_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_SHMREAD;
	r->c->a[0] = var_value(r->t, r->st);
	r->c->a[1] = r->st->shm.offset;
	r->c->a[2] = r->st->shm.width;
	return TRUE;
}

static void load_kernel_cell(SimKernelCell *kc)
{
	gint64 n = kc->st->shm.width;
	if (kc->r->err || !kc->data || kc->r->ret != n || (gint64)kc->r->len < n)
		return;
	kc->k->ret = get_le((const guint8 *)kc->data, n);
}

static void shmget_kernel_cell(SimKernelCell *kc)
{
	kc->k->ret = xc_model_id(kc->xc, XC_SHM, kc->r->ret, kc->m->err ? -1 : kc->m->ret,
				 &kc->k->data_differs);
}

/* shmat: the address differs by design (the kernel's is where it mapped the segment): both
 * sides show whether one was given. */
static void shmat_model_cell(SimModelCell *mc)
{
	if (!mc->m->err)
		mc->m->ret = 1;
}

static void shmat_kernel_cell(SimKernelCell *kc)
{
	if (!kc->k->err)
		kc->k->ret = 1;
}

/* shmctl stat: the fields both can tell; the info commands: the limits. */
static void shmctl_model_cell(SimModelCell *mc)
{
	const SimStmt *st = mc->st;
	if (mc->m->err)
		return;
	const SimLimits *l = &mc->w->ipcns.limits;
	if (cmd_is_stat(st->shm.cmd)) {
		int id = (int)var_value(mc->t, st);
		const SimShmSeg *seg = cmd_by_index(st->shm.cmd)
					       ? sim_ipcids_lookup_idx(&mc->w->shmns.ids, id)
					       : sim_shm_lookup(&mc->w->shmns, id);
		if (!seg)
			return;
		mc->m->extra = g_string_new(NULL);
		g_string_append_printf(mc->m->extra,
				       " segsz=%" G_GINT64_FORMAT " nattch=%" G_GINT64_FORMAT
				       " mode=%03o uid=%" G_GINT64_FORMAT " gid=%" G_GINT64_FORMAT
				       " dest=%d locked=%d cpid=%d lpid=%d",
				       seg->segsz, seg->nattch, seg->perm.mode, seg->perm.uid,
				       seg->perm.gid, seg->dest, seg->locked,
				       seg->cpid >= 0 ? mc->w->tasks[seg->cpid].pid : 0,
				       seg->lpid >= 0 ? mc->w->tasks[seg->lpid].pid : 0);
	} else if (st->shm.cmd == SIM_SHMCTL_INFO) {
		mc->m->extra = g_string_new(NULL);
		g_string_append_printf(mc->m->extra, " shmmni=%" G_GINT64_FORMAT, l->shmmni);
	} else if (st->shm.cmd == SIM_SHMCTL_SHM_INFO) {
		mc->m->extra = g_string_new(NULL);
		g_string_append_printf(mc->m->extra, " used_ids=%u shm_tot=%" G_GINT64_FORMAT,
				       mc->w->shmns.ids.in_use, mc->w->shmns.shm_tot);
	}
}

static void shmctl_kernel_cell(SimKernelCell *kc)
{
	const SimStmt *st = kc->st;
	const gint64 *f = kc->r->stat;
	if (kc->r->err)
		return;
	if (cmd_is_stat(st->shm.cmd)) {
		kc->k->extra = g_string_new(NULL);
		g_string_append_printf(kc->k->extra,
				       " segsz=%" G_GINT64_FORMAT " nattch=%" G_GINT64_FORMAT
				       " mode=%03" G_GINT64_MODIFIER "o uid=%" G_GINT64_FORMAT
				       " gid=%" G_GINT64_FORMAT
				       " dest=%d locked=%d cpid=%" G_GINT64_FORMAT
				       " lpid=%" G_GINT64_FORMAT,
				       f[0], f[1], f[2] & 0777, f[3], f[4], (f[2] & SHM_DEST) != 0,
				       (f[2] & SHM_LOCKED) != 0, f[7], f[8]);
	} else if (st->shm.cmd == SIM_SHMCTL_INFO) {
		kc->k->extra = g_string_new(NULL);
		g_string_append_printf(kc->k->extra, " shmmni=%" G_GINT64_FORMAT, f[2]);
	} else if (st->shm.cmd == SIM_SHMCTL_SHM_INFO) {
		kc->k->extra = g_string_new(NULL);
		g_string_append_printf(kc->k->extra,
				       " used_ids=%" G_GINT64_FORMAT " shm_tot=%" G_GINT64_FORMAT,
				       f[0], f[1]);
	}
}

static void shmread_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
}

static void shmread_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
}

/* IPC_INFO and SHM_INFO tell the namespace's limits and usage, not one segment's; the
 * SHM_STATs name a slot of the whole table. Without a private namespace that table is the
 * machine's: left out. Every other form names only the run's own segments. */
#define WHOLE_NS(cmd)                                                         \
	cmd " tells about every shared memory segment of the namespace, and " \
	    "without a private one that is the machine's"
static const char *shm_whole_namespace(const SimStmt *st)
{
	if (st->kind != SIM_STMT_SHMCTL)
		return NULL;
	return st->shm.cmd == SIM_SHMCTL_INFO		? WHOLE_NS("IPC_INFO")
	       : st->shm.cmd == SIM_SHMCTL_SHM_INFO	? WHOLE_NS("SHM_INFO")
	       : st->shm.cmd == SIM_SHMCTL_SHM_STAT	? WHOLE_NS("SHM_STAT")
	       : st->shm.cmd == SIM_SHMCTL_SHM_STAT_ANY ? WHOLE_NS("SHM_STAT_ANY")
							: NULL;
}
#undef WHOLE_NS

/* ---- Footprint ---- */

static void shmget_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	(void)w;
	gboolean makes = st->shm.key.kind == SIM_KEY_PRIVATE || (st->shm.flags & SIM_IPC_CREAT);
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, makes);
}

/* The segment an id names, or the namespace when it names none. */
static void id_footprint(const SimWorld *w, const SimTask *t, gint64 id, SimFootprint *fp,
			 gboolean write)
{
	sim_call_fp_self(fp, t, FALSE);
	if (id >= 0 && id <= G_MAXINT && sim_shm_lookup(&w->shmns, (int)id))
		sim_footprint_add(fp, SIM_OBJ_SHM, (guint64)id, write);
	else
		sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, FALSE);
}

static void shmat_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	id_footprint(w, t, var_value(t, st), fp, TRUE);
}

static void shmctl_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	if (st->shm.cmd == SIM_SHMCTL_INFO || st->shm.cmd == SIM_SHMCTL_SHM_INFO) {
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SHM, SIM_OBJ_ALL, FALSE);
		return;
	}
	if (cmd_by_index(st->shm.cmd)) {
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SHM, SIM_OBJ_ALL, FALSE);
		return;
	}
	gboolean changes = st->shm.cmd != SIM_SHMCTL_STAT;
	id_footprint(w, t, var_value(t, st), fp, changes);
	if (st->shm.cmd == SIM_SHMCTL_RMID || st->shm.cmd == SIM_SHMCTL_SET)
		sim_footprint_add(fp, SIM_OBJ_SHM_NS, 0, TRUE);
}

/* shmdt, shmwrite, shmread: the segment behind the address (a store and a detach change
 * it); an address that is no attachment reads only the task itself. */
static void addr_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	const SimShmMap *map = sim_shm_find(&w->shm_maps[t->id], var_value(t, st), 0);
	if (map && !map->seg->gone)
		sim_footprint_add(fp, SIM_OBJ_SHM, (guint64)map->seg->perm.id,
				  st->kind != SIM_STMT_SHMREAD);
}

/* load and store: the bytes they touch, so that exploration interleaves only accesses that
 * overlap, one of them a store. An offset computed at run time (${...}) is not known here:
 * the whole segment, conservatively. */
static void mem_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	gboolean write = st->kind == SIM_STMT_STORE;
	gboolean dyn_offset = FALSE;
	for (guint i = 0; st->dyn && i < st->dyn->n; i++)
		dyn_offset |= st->dyn->ops[i].at == G_STRUCT_OFFSET(SimStmt, shm.offset);
	gint64 addr = var_value(t, st);
	const SimShmMap *map = sim_shm_find(&w->shm_maps[t->id], addr, 0);
	if (!map || map->seg->gone)
		return; /* EFAULT: it touches nothing */
	gint64 off = addr - map->addr + st->shm.offset;
	if (dyn_offset || off < 0 || off + st->shm.width > G_MAXUINT32)
		sim_footprint_add(fp, SIM_OBJ_SHM, (guint64)map->seg->perm.id, write);
	else
		sim_footprint_add_range(fp, SIM_OBJ_SHM, (guint64)map->seg->perm.id, (guint32)off,
					(guint32)st->shm.width, write);
}

#define SHM_ROW(k, n, parse_fn, exec_fn, replay_fn, fp_fn)                              \
	.kind = (k), .name = (n), .family = SIM_CALL_SHM, .text_call = shm_call_text,   \
	.text_result = shm_result, .json_result = shm_json_result, .parse = (parse_fn), \
	.exec = (exec_fn), .real_name = (n), .replay = (replay_fn),                     \
	.whole_namespace = shm_whole_namespace, .footprint = (fp_fn)

const SimCallDesc sim_call_shm_rows[] = {
	{
		SHM_ROW(SIM_STMT_SHMGET, "shmget", shmget_parse, shmget_exec, shmget_replay,
			shmget_footprint),
		.kernel_cell = shmget_kernel_cell,
	},
	{
		SHM_ROW(SIM_STMT_SHMAT, "shmat", shmat_parse, shmat_exec, shmat_replay,
			shmat_footprint),
		.model_cell = shmat_model_cell,
		.kernel_cell = shmat_kernel_cell,
	},
	{
		SHM_ROW(SIM_STMT_SHMDT, "shmdt", shmdt_parse, shmdt_exec, shmdt_replay,
			addr_footprint),
	},
	{
		SHM_ROW(SIM_STMT_SHMCTL, "shmctl", shmctl_parse, shmctl_exec, shmctl_replay,
			shmctl_footprint),
		.model_cell = shmctl_model_cell,
		.kernel_cell = shmctl_kernel_cell,
	},
	{
		SHM_ROW(SIM_STMT_SHMWRITE, "shmwrite", shmwrite_parse, shmwrite_exec,
			shmwrite_replay, addr_footprint),
	},
	{
		SHM_ROW(SIM_STMT_SHMREAD, "shmread", shmread_parse, shmread_exec, shmread_replay,
			addr_footprint),
		.model_cell = shmread_model_cell,
		.kernel_cell = shmread_kernel_cell,
	},
	{
		SHM_ROW(SIM_STMT_STORE, "store", store_parse, store_exec, store_replay,
			mem_footprint),
		.json_call = mem_json_call,
	},
	{
		SHM_ROW(SIM_STMT_LOAD, "load", load_parse, load_exec, load_replay, mem_footprint),
		.json_call = mem_json_call,
		.kernel_cell = load_kernel_cell,
	},
};
const guint sim_call_shm_n_rows = G_N_ELEMENTS(sim_call_shm_rows);

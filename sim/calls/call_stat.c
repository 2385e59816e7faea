/* call_stat.c — the files family's inode calls: fstat, stat, ftruncate, truncate (fs/stat.c,
 * fs/open.c).
 *
 * What Linux reports, as probed: a pipe(2) end is a FIFO of mode 0600 owned by its maker;
 * a FIFO made by mkfifo has the mode it was made with (after the umask); both have size 0
 * whatever bytes they hold, and one link (none once a FIFO's name is unlinked). A POSIX
 * queue's descriptor is a regular file of its queue's mode, 80 bytes long (FILENT_SIZE)
 * until an ftruncate changes the inode's size, which the kernel allows (the file has no
 * setattr of its own, so simple_setattr sets i_size).
 *
 * The one design choice to know: the trace shows the fields, and the cross-check compares
 * them all (type and mode, size, links, owner), so a run need not expect each one. The
 * truncations never block and change only a queue file's size:
 *   ftruncate  length below 0 (EINVAL, before the lookup), no descriptor (EBADF), not a
 *              regular file or not open for writing (EINVAL)
 *   truncate   length below 0 (EINVAL), no such path (ENOENT), not a regular file (EINVAL)
 */
#define _GNU_SOURCE

#include "calls/call_int.h"

#include <string.h>
#include <sys/stat.h>

#include "msgsim/kernel/sock.h"

#include "calls/call_file_int.h"
#include "msgsim/kernel/sock.h"
#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* What fstat and stat give back, as the model knows it. */
typedef struct Stat {
	gint64 mode; /* the file type and permission bits, st_mode */
	gint64 size, nlink, uid;
} Stat;

/* ---- What the call asked for ---- */

/* fstat D, ftruncate D LENGTH */
static void fd_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
	if (ev->stmt->kind == SIM_STMT_FTRUNCATE)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, ev->stmt->file.offset);
}

/* stat PATH, truncate PATH LENGTH */
static void path_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s ", sim_call_desc(ev->stmt->kind)->name);
	sim_trace_quote(s, ev->object, strlen(ev->object));
	if (ev->stmt->kind == SIM_STMT_TRUNCATE)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, ev->stmt->file.offset);
}

/* ---- What came of it ---- */

/* ", FIFO 0600, size 0, 1 link, uid 0": value the mode, counts[0..2] size, links, owner. */
static void stat_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s,
				       ", %s 0%" G_GINT64_MODIFIER "o, size %" G_GINT64_FORMAT
				       ", %" G_GINT64_FORMAT " link%s, uid %" G_GINT64_FORMAT,
				       S_ISFIFO(ev->value)   ? "FIFO"
				       : S_ISSOCK(ev->value) ? "socket"
							     : "regular file",
				       ev->value & 07777, ev->counts[0], ev->counts[1],
				       ev->counts[1] == 1 ? "" : "s", ev->counts[2]);
	sim_trace_pipe_state(s, ev);
}

static void stat_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (ev->err)
		return;
	sim_trace_json_int(s, "st_mode", ev->value);
	sim_trace_json_int(s, "st_size", ev->counts[0]);
	sim_trace_json_int(s, "st_nlink", ev->counts[1]);
	sim_trace_json_int(s, "st_uid", ev->counts[2]);
}

/* ---- Parsing ---- */

/* fstat D */
static gboolean fstat_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	return scn_take_fd(p, st, "fstat", NULL);
}

/* The PATH of stat and truncate, as mkfifo's: any string, $ variables allowed. */
static gboolean take_path(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a path in double quotes, like \"/tmp/fifo\", after '%s'",
				    how);
	if (!scn_parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

/* stat PATH */
static gboolean stat_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	return take_path(p, st, "stat");
}

/* ftruncate D LENGTH, truncate PATH LENGTH: LENGTH any value (an off_t). */
static gboolean truncate_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	const char *how = sim_call_desc(st->kind)->name;
	g_autofree char *ctx = NULL;
	if (st->kind == SIM_STMT_FTRUNCATE) {
		if (!scn_take_fd(p, st, how, &ctx))
			return FALSE;
	} else {
		if (!take_path(p, st, how))
			return FALSE;
		ctx = g_strdup_printf("after '%s PATH'", how);
	}
	return scn_take_int(p, "length", ctx, G_MININT64, G_MAXINT64, &st->file.offset);
}

/* ---- Execution ---- */

static SimFifo *find_fifo(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo *f = g_ptr_array_index(w->fifos, i);
		if (!f->unlinked && strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

static Stat fifo_stat(const SimFifo *fi)
{
	return (Stat){ .mode = (fi->is_sock ? S_IFSOCK : S_IFIFO) | fi->mode,
		       .nlink = fi->unlinked ? 0 : 1,
		       .uid = fi->uid };
}

/* The inode behind description f. */
static Stat file_stat(const SimFile *f)
{
	if (f->kind == SIM_FILE_MQ)
		return (Stat){ .mode = S_IFREG | f->mq->perm.mode,
			       .size = f->mq->file_size,
			       .nlink = f->mq->unlinked ? 0 : 1,
			       .uid = f->mq->perm.uid };
	if (f->kind == SIM_FILE_SOCK) /* sock_alloc's inode: S_IFSOCK | 0777, its maker's */
		return (Stat){ .mode = S_IFSOCK | 0777, .nlink = 1, .uid = f->sock->uid };
	if (f->pipe->fifo)
		return fifo_stat(f->pipe->fifo);
	return (Stat){ .mode = S_IFIFO | 0600, .nlink = 1, .uid = f->pipe->uid };
}

static void trace_stat(SimWorld *w, const SimTask *t, const SimStmt *st, const char *object,
		       const SimPipe *p, int err, const Stat *s)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, object, NULL, err, NULL, -1);
	ev.pipe = p;
	ev.ret = err ? -1 : 0;
	ev.value = s->mode;
	ev.counts[0] = s->size;
	ev.counts[1] = s->nlink;
	ev.counts[2] = s->uid;
	sim_world_emit(w, &ev);
}

/* The fields for `expect @L type=fifo size=N ...`. */
static void stat_out(SimWorld *w, const SimTask *t, const SimStmt *st, const Stat *s)
{
	gint64 out[SIM_OUT_SLOTS];
	sim_out_stat(out, s->mode, s->size, s->nlink, s->uid);
	sim_interp_out(w, t, st, out);
}

/* The world's scratch holds a path built at run time: copied before anything else uses it. */
static char *path_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->text.literal)
		return g_strdup(st->text.literal);
	sim_interp_expand(w, t, &st->text);
	return g_strdup(w->scratch->str);
}

static void fstat_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	Stat s = { 0 };
	if (f)
		s = file_stat(f);
	stat_out(w, t, st, &s);
	if (w->trace)
		trace_stat(w, t, st, sim_call_file_fd_word(w, t, st),
			   f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL, f ? 0 : EBADF, &s);
	sim_interp_finish(w, t, st, f ? 0 : EBADF, f ? 0 : -1);
}

static void stat_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	g_autofree char *path = path_of(w, t, st);
	const SimFifo *fi = find_fifo(w, path);
	Stat s = { 0 };
	if (fi)
		s = fifo_stat(fi);
	stat_out(w, t, st, &s);
	if (w->trace)
		trace_stat(w, t, st, path, NULL, fi ? 0 : ENOENT, &s);
	sim_interp_finish(w, t, st, fi ? 0 : ENOENT, fi ? 0 : -1);
}

/* ftruncate: do_sys_ftruncate's order; a queue's file open for writing takes the size. */
static void ftruncate_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	gint64 len = st->file.offset;
	guint acc = f ? f->flags & (SIM_O_WRONLY | SIM_O_RDWR) : 0;
	int err = len < 0 ? EINVAL : !f ? EBADF : f->kind != SIM_FILE_MQ || !acc ? EINVAL : 0;
	if (!err)
		f->mq->file_size = len;
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, sim_call_file_fd_word(w, t, st),
				    f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
}

/* truncate: a negative length before the lookup; a FIFO is no regular file. */
static void truncate_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	g_autofree char *path = path_of(w, t, st);
	int err = st->file.offset < 0 ? EINVAL : !find_fifo(w, path) ? ENOENT : EINVAL;
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, path, NULL, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean fstat_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_FSTAT);
}

static gboolean ftruncate_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_FTRUNCATE);
	r->c->a[1] = r->st->file.offset;
	return TRUE;
}

/* stat, truncate: the path made one name inside the run's sandbox directory, as open's. */
static gboolean path_replay(SimReplay *r, SimRealOp op)
{
	stmt_text(r->w, r->t, r->st, NULL, r->data);
	sim_real_sandbox_encode_path(r->data);
	r->c->op = op;
	r->c->a[1] = r->st->file.offset;
	return TRUE;
}

static gboolean stat_replay(SimReplay *r)
{
	return path_replay(r, SIM_REAL_STAT);
}

static gboolean truncate_replay(SimReplay *r)
{
	return path_replay(r, SIM_REAL_TRUNCATE);
}

static void put_stat(GString **extra, gint64 mode, gint64 size, gint64 nlink, gint64 uid)
{
	*extra = g_string_new(NULL);
	g_string_append_printf(*extra,
			       " mode=0%" G_GINT64_MODIFIER "o size=%" G_GINT64_FORMAT
			       " nlink=%" G_GINT64_FORMAT " uid=%" G_GINT64_FORMAT,
			       mode, size, nlink, uid);
}

/* The fields the model gives, found again as the call found them. */
static void stat_model_cell(SimModelCell *mc)
{
	if (mc->m->err)
		return;
	Stat s;
	if (mc->st->kind == SIM_STMT_FSTAT) {
		s = file_stat(sim_fdt_get(&mc->t->fdt, sim_interp_fd(mc->t, mc->st)));
	} else {
		g_autofree char *path = path_of(mc->w, mc->t, mc->st);
		s = fifo_stat(find_fifo(mc->w, path));
	}
	put_stat(&mc->m->extra, s.mode, s.size, s.nlink, s.uid);
}

/* The worker's stat[0..3]: st_mode, st_size, st_nlink, st_uid. */
static void stat_kernel_cell(SimKernelCell *kc)
{
	const gint64 *v = kc->r->stat;
	if (!kc->r->err)
		put_stat(&kc->k->extra, v[0], v[1], v[2], v[3]);
}

/* ---- Footprint ---- */

/* fstat reads the object behind the descriptor; ftruncate may change a queue file's size. */
static void fd_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ,
		       st->kind == SIM_STMT_FTRUNCATE);
}

/* stat, truncate: the path, by the hash of its name (a built one stands for every path). */
static void path_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			   SimFootprint *fp)
{
	(void)w;
	const char *path = st->text.literal;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_PATH, path ? g_str_hash(path) : SIM_OBJ_ALL, FALSE);
}

/* ---- The rows ---- */

#define STAT_ROW(k, word, text, result, json, ...)                                         \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .text_call = (text), \
		.text_result = (result), .json_result = (json), .real_name = (word),       \
		__VA_ARGS__                                                                \
	}

const SimCallDesc sim_call_stat_rows[] = {
	STAT_ROW(SIM_STMT_FSTAT, "fstat", fd_text, stat_result, stat_json, .exec = fstat_exec,
		 .parse = fstat_parse, .replay = fstat_replay, .model_cell = stat_model_cell,
		 .kernel_cell = stat_kernel_cell, .footprint = fd_footprint),
	STAT_ROW(SIM_STMT_STAT, "stat", path_text, stat_result, stat_json, .exec = stat_exec,
		 .parse = stat_parse, .xc_flags = SIM_CALL_XC_PATH, .replay = stat_replay,
		 .model_cell = stat_model_cell, .kernel_cell = stat_kernel_cell,
		 .footprint = path_footprint),
	STAT_ROW(SIM_STMT_FTRUNCATE, "ftruncate", fd_text, sim_call_file_result,
		 sim_call_json_ret, .exec = ftruncate_exec, .parse = truncate_parse,
		 .replay = ftruncate_replay, .footprint = fd_footprint),
	STAT_ROW(SIM_STMT_TRUNCATE, "truncate", path_text, sim_call_file_result,
		 sim_call_json_ret, .exec = truncate_exec, .parse = truncate_parse,
		 .xc_flags = SIM_CALL_XC_PATH, .replay = truncate_replay,
		 .footprint = path_footprint),
};
const guint sim_call_stat_n_rows = G_N_ELEMENTS(sim_call_stat_rows);

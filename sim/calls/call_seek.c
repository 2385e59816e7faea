/* call_seek.c — the files family's positioned calls: lseek, pread, pwrite (fs/read_write.c).
 *
 * Pipes and FIFOs are streams: pipe(2) and a FIFO's open both make their files with
 * stream_open, which takes away FMODE_LSEEK, FMODE_PREAD and FMODE_PWRITE, so each of these
 * calls on one is ESPIPE, whatever its end or its data. What comes before that is the
 * kernel's order of checks, and that is what these rows model:
 *   lseek   no descriptor (EBADF), whence past SEEK_HOLE (EINVAL), a stream (ESPIPE)
 *   pread   a negative offset (EINVAL, before the descriptor is looked up), no descriptor
 *   pwrite  (EBADF), a stream (ESPIPE), then vfs_read / vfs_write's own checks
 * A POSIX queue's descriptor is a file of mqueuefs, which can seek: its size is the 80
 * bytes of its QSIZE line (default_llseek, with ENXIO for SEEK_DATA and SEEK_HOLE at or past
 * the end), pread reads that line at an offset without moving the file's, and pwrite is
 * EINVAL (the file has no write), after EBADF for a descriptor not open for writing.
 *
 * The one design choice to know: none of these calls blocks or changes a pipe, so each is
 * one step: check, compute, trace, finish. pwrite never moves a byte in the model (no file
 * it can reach takes one); its text is kept only to show and to replay.
 */
#define _GNU_SOURCE /* SEEK_DATA, SEEK_HOLE */

#include "calls/call_int.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "calls/call_file_int.h"
#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* lseek's whence values by the names the scenario writes; SEEK_MAX is the last. */
static const char *const whence_words[] = { "set", "cur", "end", "data", "hole" };
static const char *const whence_names[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA",
					    "SEEK_HOLE" };

/* ---- What the call asked for ---- */

/* lseek D OFFSET WHENCE: the whence by name when it has one, else its number. */
static void lseek_text(GString *s, const SimTraceEvent *ev)
{
	const SimFileArgs *a = &ev->stmt->file;
	g_string_append_printf(s, "lseek %s %" G_GINT64_FORMAT, ev->object, a->offset);
	if (a->whence >= 0 && a->whence < (gint64)G_N_ELEMENTS(whence_names))
		g_string_append_printf(s, " %s", whence_names[a->whence]);
	else
		g_string_append_printf(s, " whence=%" G_GINT64_FORMAT, a->whence);
}

static void pread_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "pread %s size=%" G_GINT64_FORMAT " offset=%" G_GINT64_FORMAT,
			       ev->object, ev->stmt->file.size, ev->stmt->file.offset);
}

/* The data as asked (counts[0] its bytes), its size (value) and the offset. */
static void pwrite_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "pwrite %s", ev->object);
	if (ev->text) {
		g_string_append_c(s, ' ');
		sim_trace_quote_cut(s, ev->text, (gsize)ev->counts[0]);
	}
	g_string_append_printf(s, " size=%" G_GINT64_FORMAT " offset=%" G_GINT64_FORMAT,
			       ev->value, ev->stmt->file.offset);
}

/* ---- What came of it ---- */

static void lseek_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", offset %" G_GINT64_FORMAT, ev->ret);
	sim_trace_pipe_state(s, ev);
}

/* The bytes read, quoted and cut (a queue's status line). */
static void pread_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		g_string_append_printf(s, ", %" G_GINT64_FORMAT " %s", ev->ret,
				       ev->ret == 1 ? "byte" : "bytes");
		if (ev->text && ev->ret) {
			g_string_append(s, ": ");
			sim_trace_quote_cut(s, ev->text, (gsize)ev->ret);
		}
	}
	sim_trace_pipe_state(s, ev);
}

static void pread_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->err && ev->text)
		sim_trace_json_str(s, "data", ev->text, (gssize)ev->ret);
}

/* ---- Parsing ---- */

static const OptSpec lseek_opts[] = {
	INT_OPT("whence", ST(file.whence), G_MININT64, G_MAXINT64),
	OPTS_END,
};

/* lseek D OFFSET [set|cur|end|data|hole|whence=N]: SEEK_SET when none is written. */
static gboolean lseek_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	st->file.whence = SEEK_SET;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "lseek", &ctx) ||
	    !scn_take_int(p, "offset", ctx, G_MININT64, G_MAXINT64, &st->file.offset))
		return FALSE;
	const Tok *word = NULL;
	for (guint i = 0; tok(p)->kind == TOK_WORD && i < G_N_ELEMENTS(whence_words); i++) {
		if (strcmp(tok(p)->text, whence_words[i]) == 0) {
			word = tok(p);
			st->file.whence = (gint64)i;
			advance(p);
			break;
		}
	}
	StmtOpts so = { .o = { .what = "lseek", .specs = lseek_opts }, .role = -1 };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (word && so.o.seen[0].line)
		return scn_fail_tok(p, word, E_SYNTAX,
				    "lseek takes one whence: '%s' or whence=N, not both",
				    word->text);
	return TRUE;
}

static const OptSpec pread_opts[] = {
	INT_OPT("size", ST(file.size), 0, G_MAXINT64),
	INT_OPT("offset", ST(file.offset), G_MININT64, G_MAXINT64),
	OPTS_END,
};

/* pread D [size=N] [offset=N] [-> VAR] */
static gboolean pread_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	st->file.size = READ_SIZE;
	if (!scn_take_fd(p, st, "pread", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "pread", .specs = pread_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so);
}

/* pwrite D TEXT [size=N] [offset=N]  or  pwrite D size=N [offset=N], as write. */
static gboolean pwrite_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "pwrite", &ctx))
		return FALSE;
	StmtOpts so = { .o = { .what = "pwrite", .specs = pread_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.text && !so.o.seen[0].line)
		return scn_expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

/* ---- Execution ---- */

/* Is description f open for `access` (SIM_O_RDONLY or SIM_O_WRONLY)? */
static gboolean open_for(const SimFile *f, guint access)
{
	guint acc = f->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
	return acc == SIM_O_RDWR || acc == access;
}

/* default_llseek on a queue's file, whose i_size is FILENT_SIZE unless ftruncate set it. */
static int mq_llseek(SimFile *f, gint64 off, gint64 whence, gint64 *ret)
{
	const gint64 size = f->mq->file_size; /* 80 until an ftruncate */
	switch (whence) {
	case SEEK_END:
		off = (gint64)((guint64)off + (guint64)size); /* the kernel's wrapping add */
		break;
	case SEEK_CUR:
		if (off == 0) {
			*ret = (gint64)f->pos;
			return 0;
		}
		off = (gint64)((guint64)off + (guint64)f->pos);
		break;
	case SEEK_DATA:
		if (off >= size)
			return ENXIO;
		break;
	case SEEK_HOLE:
		if (off >= size)
			return ENXIO;
		off = size;
		break;
	default:
		break;
	}
	if (off < 0)
		return EINVAL;
	f->pos = (gsize)off;
	*ret = off;
	return 0;
}

static void lseek_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	SimPipe *p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
	guint32 whence = (guint32)st->file.whence; /* an unsigned int to the kernel */
	gint64 ret = -1;
	int err = !f ? EBADF : whence > SEEK_HOLE ? EINVAL : p ? ESPIPE : 0;
	if (!err)
		err = mq_llseek(f, st->file.offset, whence, &ret);
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, sim_call_file_fd_word(w, t, st), p, err,
				    NULL, ret);
	sim_interp_finish(w, t, st, err, ret);
}

/* pread and pwrite up to the file's own read or write: ksys_pread64's order. */
static SimFile *positioned_file(const SimTask *t, const SimStmt *st, int *err)
{
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	*err = st->file.offset < 0 ? EINVAL : !f ? EBADF : f->kind == SIM_FILE_PIPE ? ESPIPE : 0;
	return f;
}

/* pread on a queue's file: vfs_read's checks (FMODE_READ, then rw_verify_area's overflow of
 * offset + count), then its status line from the offset, the file's own offset unmoved. */
static void pread_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gboolean keep = st->var >= 0 || t->received;
	GString *out = w->scratch;
	g_string_truncate(out, 0);
	int err;
	SimFile *f = positioned_file(t, st, &err);
	gsize got = 0;
	gint64 off = st->file.offset, n = st->file.size;
	if (!err && !open_for(f, SIM_O_RDONLY))
		err = EBADF;
	else if (!err && off > G_MAXINT64 - n)
		err = EINVAL;
	if (!err && n) {
		char line[SIM_MQ_FILE_SIZE];
		const SimMqueue *q = f->mq;
		int pid = q->notify_task >= 0 ? w->tasks[q->notify_task].pid : 0;
		gsize len = sim_mqueue_file_line(q, pid, line, sizeof(line)), pos = (gsize)off;
		got = pos < len ? MIN((gsize)n, len - pos) : 0;
		g_string_append_len(out, line + MIN(pos, len), (gssize)got);
	}
	SimPipe *p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
	if (w->trace) {
		SimTraceEvent ev;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st,
					   sim_call_file_fd_word(w, t, st), NULL, err, NULL, -1);
		ev.pipe = p;
		ev.ret = (gint64)got;
		ev.text = out->str;
		sim_world_emit(w, &ev);
	}
	sim_call_file_received(w, t, st, out, got, keep);
	sim_interp_finish(w, t, st, err, err ? -1 : (gint64)got);
}

/* pwrite on a queue's file: not open for writing (EBADF), else no write operation (EINVAL).
 * Nothing else it can reach takes a positioned write. */
static void pwrite_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err;
	SimFile *f = positioned_file(t, st, &err);
	if (!err)
		err = open_for(f, SIM_O_WRONLY) ? EINVAL : EBADF;
	if (w->trace) {
		gsize len = 0;
		const char *text = st->text.literal || st->text.n_parts
					   ? sim_interp_text(w, t, &st->text, &len)
					   : NULL;
		SimTraceEvent ev;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st,
					   sim_call_file_fd_word(w, t, st), NULL, err, NULL, -1);
		ev.pipe = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
		ev.ret = -1;
		ev.text = text;
		ev.counts[0] = (gint64)len;
		ev.value = st->file.size >= 0 ? st->file.size : (gint64)len;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, -1);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean lseek_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_LSEEK);
	r->c->a[1] = r->st->file.offset;
	r->c->a[2] = r->st->file.whence;
	return TRUE;
}

static gboolean pread_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_PREAD);
	r->c->a[1] = r->st->file.size;
	r->c->a[2] = r->st->file.offset;
	return TRUE;
}

/* The text repeated to the size asked, as write's replay sends it. */
static gboolean pwrite_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_PWRITE);
	if (!xc_replay_bytes(r, r->st->file.size, "pwrite"))
		return FALSE;
	r->c->a[2] = r->st->file.offset;
	return TRUE;
}

static void pread_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
}

static void pread_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
}

/* ---- Footprint ---- */

/* lseek moves a queue file's offset (its description, which a fork shares); pread and
 * pwrite read the object behind the descriptor and change nothing. */
static void seek_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			   SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ,
		       st->kind == SIM_STMT_LSEEK);
}

/* ---- The rows ---- */

#define SEEK_ROW(k, word, text, result, json, ...)                                         \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .text_call = (text), \
		.text_result = (result), .json_result = (json), .real_name = (word),       \
		.footprint = seek_footprint, __VA_ARGS__                                   \
	}

const SimCallDesc sim_call_seek_rows[] = {
	SEEK_ROW(SIM_STMT_LSEEK, "lseek", lseek_text, lseek_result, sim_call_json_ret,
		 .exec = lseek_exec, .parse = lseek_parse, .replay = lseek_replay),
	SEEK_ROW(SIM_STMT_PREAD, "pread", pread_text, pread_result, pread_json,
		 .exec = pread_exec, .parse = pread_parse, .replay = pread_replay,
		 .model_cell = pread_model_cell, .kernel_cell = pread_kernel_cell),
	SEEK_ROW(SIM_STMT_PWRITE, "pwrite", pwrite_text, sim_call_file_result, sim_call_json_ret,
		 .exec = pwrite_exec, .parse = pwrite_parse, .replay = pwrite_replay),
};
const guint sim_call_seek_n_rows = G_N_ELEMENTS(sim_call_seek_rows);

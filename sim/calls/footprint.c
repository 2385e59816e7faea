/* footprint.c — footprints: building them without allocating, and the conflict relation.
 *
 * The design choice to know: a footprint is a flat array searched linearly. Calls name two
 * or three objects and an exit a few more, so a pair of footprints compares in a few dozen
 * steps; no hashing or sorting would pay for itself at that size.
 */
#include "calls/call_int.h"
#include "msgsim/kernel/sock.h"

void sim_footprint_init(SimFootprint *fp)
{
	g_return_if_fail(fp != NULL);
	fp->n = 0;
	fp->written = 0;
	fp->everything = FALSE;
}

void sim_footprint_add(SimFootprint *fp, SimObjKind kind, guint64 id, gboolean write)
{
	sim_footprint_add_range(fp, kind, id, 0, 0, write);
}

void sim_footprint_add_range(SimFootprint *fp, SimObjKind kind, guint64 id, guint32 off,
			     guint32 len, gboolean write)
{
	g_return_if_fail(fp != NULL && (guint)kind < SIM_OBJ_N_KINDS);
	if (len == 0)
		off = 0;
	for (guint i = 0; i < fp->n; i++) {
		if (fp->refs[i].kind == kind && fp->refs[i].id == id && fp->parts[i].off == off &&
		    fp->parts[i].len == len) {
			if (write)
				fp->written |= 1u << i;
			return;
		}
	}
	if (fp->n == SIM_FOOTPRINT_MAX) {
		fp->everything = TRUE; /* losing a reference could hide a conflict */
		return;
	}
	fp->refs[fp->n] = (SimObjRef){ .kind = kind, .id = id };
	fp->parts[fp->n] = (SimObjPart){ .off = off, .len = len };
	if (write)
		fp->written |= 1u << fp->n;
	fp->n++;
}

static gboolean same_object(const SimObjRef *a, const SimObjRef *b)
{
	return a->kind == b->kind &&
	       (a->id == b->id || a->id == SIM_OBJ_ALL || b->id == SIM_OBJ_ALL);
}

/* Parts of one object that overlap (a whole object overlaps every part of it). */
static gboolean parts_overlap(const SimObjPart *a, const SimObjPart *b)
{
	if (a->len == 0 || b->len == 0)
		return TRUE;
	return (guint64)a->off < (guint64)b->off + b->len &&
	       (guint64)b->off < (guint64)a->off + a->len;
}

gboolean sim_footprint_conflicts(const SimFootprint *a, const SimFootprint *b)
{
	g_return_val_if_fail(a != NULL && b != NULL, TRUE);
	if (a->everything || b->everything)
		return TRUE;
	for (guint i = 0; i < a->n; i++) {
		gboolean aw = (a->written >> i) & 1u;
		for (guint j = 0; j < b->n; j++) {
			gboolean bw = (b->written >> j) & 1u;
			if ((aw || bw) && same_object(&a->refs[i], &b->refs[j]) &&
			    parts_overlap(&a->parts[i], &b->parts[j]))
				return TRUE;
		}
	}
	return FALSE;
}

gboolean sim_footprint_touches(const SimFootprint *fp, SimObjKind kind, guint64 id, gboolean write)
{
	g_return_val_if_fail(fp != NULL, FALSE);
	if (fp->everything)
		return TRUE;
	SimObjRef want = { .kind = kind, .id = id };
	for (guint i = 0; i < fp->n; i++)
		if (same_object(&fp->refs[i], &want) && (!write || ((fp->written >> i) & 1u)))
			return TRUE;
	return FALSE;
}

/* ---- Helpers the families share ---- */

void sim_call_fp_self(SimFootprint *fp, const SimTask *t, gboolean write)
{
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)t->id, write);
}

/* The object behind an open description: a POSIX queue or a pipe. The description's own
 * state (its O_NONBLOCK, its offset) counts as part of that object, since descriptions are
 * shared across fork and a change to one shows in every task that holds it. */
void sim_call_fp_file(SimFootprint *fp, const SimFile *f, gboolean write)
{
	if (f->kind == SIM_FILE_MQ) {
		sim_footprint_add(fp, SIM_OBJ_MQ, (guint64)(guintptr)f->mq, write);
		return;
	}
	/* A socket pair counts as one object, in the pipes' kind: its two ends share buffers. */
	if (f->kind == SIM_FILE_SOCK) {
		const struct SimSock *s = f->sock;
		sim_footprint_add(fp, SIM_OBJ_PIPE, (guint64)(guintptr)s->pair, write);
		/* A listener's queued connections are ends of other pairs, which its close resets
		 * (their clients see ECONNRESET, then EPIPE), and a datagram socket of its own
		 * reaches other pairs (its peer, the buffers it sent): all of them, then. */
		if (s->accq.length || (s->type == SIM_SOCK_DGRAM && s->pair->solo))
			sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, write);
		return;
	}
	sim_footprint_add(fp, SIM_OBJ_PIPE, (guint64)(guintptr)f->pipe, write);
}

const SimFile *sim_call_fp_fd(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimFootprint *fp, guint kinds, gboolean write)
{
	(void)w;
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, FALSE);
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	guint mine = !f ? 0 : f->kind == SIM_FILE_MQ ? SIM_CALL_FP_MQ : SIM_CALL_FP_PIPE;
	if (mine & kinds) {
		sim_call_fp_file(fp, f, write);
		return f;
	}
	/* Not open, or not what the call works on: it fails with EBADF, but conservatively it
	 * stands for every object it could have reached. */
	if (kinds & SIM_CALL_FP_MQ)
		sim_footprint_add(fp, SIM_OBJ_MQ, SIM_OBJ_ALL, write);
	if (kinds & SIM_CALL_FP_PIPE)
		sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, write);
	return NULL;
}

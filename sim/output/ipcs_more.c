/* ipcs_more.c — util-linux's `ipcs -c`, `ipcs -u` and `ipcs -i ID` for the three SysV families.
 *
 * The design choice to know: as for the other views (ipcs.c), every heading, width, tab and
 * trailing blank is util-linux 2.38's, compared byte for byte with its output under
 * `unshare -i`; what differs is only what a run can tell better than numbers: owners and
 * creators by the scenario's user names, pids by process names, and times from the
 * simulated epoch (SIM_IPCS_EPOCH) in UTC. `ipcs -i` prints ids as the kernel has them
 * (uid=0), as util-linux does. A page of shared memory is never reported resident or
 * swapped: the model keeps no page residency, and a fresh segment has none either.
 */
#include "msgsim/output/ipcs.h"
#include "output/ipcs_int.h"

#include "engine/world_int.h" /* the namespaces' tables, as /proc/sysvipc shows them */

#include <time.h>

/* A group as ipcs prints one: "root" for gid 0, else the number (a scenario names users,
 * not groups). */
static const char *group_name(gint64 gid, char *buf, gsize size)
{
	if (gid == 0)
		return "root";
	g_snprintf(buf, size, "%" G_GINT64_FORMAT, gid);
	return buf;
}

/* ctime's form, padded to 26 as util-linux's "%-26.24s" does, or "Not set". */
static void ctime_field(GString *out, SimTime t, gboolean set)
{
	char buf[64] = "Not set";
	if (set) {
		time_t secs = (time_t)(SIM_IPCS_EPOCH + t / SIM_S);
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm);
	}
	g_string_append_printf(out, "%-26.24s", buf);
}

static const char *task_name(const SimWorld *w, int task)
{
	return task >= 0 ? w->tasks[task].name : "0";
}

/* ---- -c: creators and owners ---- */

static void creator_row(GString *out, const SimWorld *w, const SimIpcPerm *p)
{
	char b1[32], b2[32], b3[32], b4[32];
	g_string_append_printf(
		out, "%-10d %-10o %-10s %-10s %-10s %-10s\n", p->id, p->mode,
		sim_ipcs_owner(w, p->cuid, b1, sizeof(b1)), group_name(p->cgid, b2, sizeof(b2)),
		sim_ipcs_owner(w, p->uid, b3, sizeof(b3)), group_name(p->gid, b4, sizeof(b4)));
}

static void creators_head(GString *out, const char *title, const char *id)
{
	g_string_append_printf(out, "\n------ %s Creators/Owners --------\n", title);
	g_string_append_printf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", id, "perms", "cuid",
			       "cgid", "uid", "gid");
}

static void creators(GString *out, const SimWorld *w, char which)
{
	switch (which) {
	case 'q':
		creators_head(out, "Message Queues", "msqid");
		for (guint i = 0; i < w->ipcns.n_slots; i++) {
			const SimMsgq *q = w->ipcns.slots[i];
			if (q)
				creator_row(out, w, &q->perm);
		}
		break;
	case 'm':
		creators_head(out, "Shared Memory Segment", "shmid");
		for (guint i = 0; i < w->shmns.ids.n_slots; i++) {
			const SimShmSeg *seg = w->shmns.ids.slots[i];
			if (seg)
				creator_row(out, w, &seg->perm);
		}
		break;
	default:
		creators_head(out, "Semaphore Arrays", "semid");
		for (guint i = 0; i < w->semns.ids.n_slots; i++) {
			const SimSemArray *sma = w->semns.ids.slots[i];
			if (sma)
				creator_row(out, w, &sma->perm);
		}
		break;
	}
}

/* ---- -u: status, what MSG_INFO, SHM_INFO and SEM_INFO count ---- */

static void status(GString *out, const SimWorld *w, char which)
{
	guint64 n = 0, a = 0, b = 0;
	switch (which) {
	case 'q':
		for (guint i = 0; i < w->ipcns.n_slots; i++) {
			const SimMsgq *q = w->ipcns.slots[i];
			if (q) {
				n++;
				a += q->qnum;
				b += q->cbytes;
			}
		}
		g_string_append_printf(out,
				       "\n------ Messages Status --------\n"
				       "allocated queues = %" G_GUINT64_FORMAT "\n"
				       "used headers = %" G_GUINT64_FORMAT "\n"
				       "used space = %" G_GUINT64_FORMAT " bytes\n",
				       n, a, b);
		break;
	case 'm':
		for (guint i = 0; i < w->shmns.ids.n_slots; i++) {
			const SimShmSeg *seg = w->shmns.ids.slots[i];
			if (seg) {
				n++;
				a += (guint64)seg->pages;
			}
		}
		g_string_append_printf(out,
				       "\n------ Shared Memory Status --------\n"
				       "segments allocated %" G_GUINT64_FORMAT "\n"
				       "pages allocated %" G_GUINT64_FORMAT "\n"
				       "pages resident  0\n"
				       "pages swapped   0\n"
				       "Swap performance: 0 attempts\t 0 successes\n",
				       n, a);
		break;
	default:
		for (guint i = 0; i < w->semns.ids.n_slots; i++) {
			const SimSemArray *sma = w->semns.ids.slots[i];
			if (sma) {
				n++;
				a += sma->nsems;
			}
		}
		g_string_append_printf(out,
				       "\n------ Semaphore Status --------\n"
				       "used arrays = %" G_GUINT64_FORMAT "\n"
				       "allocated semaphores = %" G_GUINT64_FORMAT "\n",
				       n, a);
		break;
	}
}

/* ---- -i ID: one object in detail ---- */

static void msgq_detail(GString *out, const SimWorld *w, const SimMsgq *q)
{
	const SimIpcPerm *p = &q->perm;
	g_string_append_printf(out,
			       "\nMessage Queue msqid=%d\n"
			       "uid=%" G_GINT64_FORMAT "\tgid=%" G_GINT64_FORMAT
			       "\tcuid=%" G_GINT64_FORMAT "\tcgid=%" G_GINT64_FORMAT "\tmode=%#o\n"
			       "cbytes=%" G_GUINT64_FORMAT "\tqbytes=%" G_GUINT64_FORMAT
			       "\tqnum=%" G_GUINT64_FORMAT "\tlspid=%s\tlrpid=%s\n",
			       p->id, p->uid, p->gid, p->cuid, p->cgid, p->mode, (guint64)q->cbytes,
			       (guint64)q->qbytes, (guint64)q->qnum, task_name(w, q->lspid),
			       task_name(w, q->lrpid));
	g_string_append(out, "send_time=");
	ctime_field(out, q->stime, q->lspid >= 0);
	g_string_append(out, "\nrcv_time=");
	ctime_field(out, q->rtime, q->lrpid >= 0);
	g_string_append(out, "\nchange_time=");
	ctime_field(out, q->ctime, TRUE);
	g_string_append(out, "\n\n");
}

static void shm_detail(GString *out, const SimWorld *w, const SimShmSeg *seg)
{
	const SimIpcPerm *p = &seg->perm;
	/* The kernel shows SHM_DEST (01000) and SHM_LOCKED (02000) in the mode. */
	guint mode = p->mode | (seg->dest ? 01000u : 0u) | (seg->locked ? 02000u : 0u);
	g_string_append_printf(out,
			       "\nShared memory Segment shmid=%d\n"
			       "uid=%" G_GINT64_FORMAT "\tgid=%" G_GINT64_FORMAT
			       "\tcuid=%" G_GINT64_FORMAT "\tcgid=%" G_GINT64_FORMAT "\n"
			       "mode=%#o\taccess_perms=%#o\n"
			       "bytes=%" G_GINT64_FORMAT
			       "\tlpid=%s\tcpid=%s\tnattch=%" G_GINT64_FORMAT "\n",
			       p->id, p->uid, p->gid, p->cuid, p->cgid, mode, p->mode, seg->segsz,
			       task_name(w, seg->lpid), task_name(w, seg->cpid), seg->nattch);
	g_string_append(out, "att_time=");
	ctime_field(out, seg->atime, seg->has_atime);
	g_string_append(out, "\ndet_time=");
	ctime_field(out, seg->dtime, seg->has_dtime);
	g_string_append(out, "\nchange_time=");
	ctime_field(out, seg->ctime, TRUE);
	g_string_append(out, "\n\n");
}

static void sem_detail(GString *out, const SimWorld *w, const SimSemArray *sma)
{
	const SimIpcPerm *p = &sma->perm;
	g_string_append_printf(out,
			       "\nSemaphore Array semid=%d\n"
			       "uid=%" G_GINT64_FORMAT "\t gid=%" G_GINT64_FORMAT
			       "\t cuid=%" G_GINT64_FORMAT "\t cgid=%" G_GINT64_FORMAT "\n"
			       "mode=%#o, access_perms=%#o\n"
			       "nsems = %u\n",
			       p->id, p->uid, p->gid, p->cuid, p->cgid, p->mode, p->mode,
			       sma->nsems);
	g_string_append(out, "otime = ");
	ctime_field(out, sma->otime, sma->has_otime);
	g_string_append(out, "\nctime = ");
	ctime_field(out, sma->ctime, TRUE);
	g_string_append_printf(out, "\n%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value",
			       "ncount", "zcount", "pid");
	for (guint i = 0; i < sma->nsems; i++)
		g_string_append_printf(out,
				       "%-10u %-10" G_GINT64_FORMAT " %-10" G_GINT64_FORMAT
				       " %-10" G_GINT64_FORMAT " %-10s\n",
				       i, sma->sems[i].semval, sim_sem_count(sma, i, FALSE),
				       sim_sem_count(sma, i, TRUE),
				       task_name(w, sma->sems[i].sempid));
	g_string_append_c(out, '\n');
}

/* The live object of kind `which` whose id is id, as ipcs finds it with IPC_STAT. */
static gconstpointer find_id(const SimWorld *w, char which, int id)
{
	gpointer const *slots = which == 'q'   ? w->ipcns.slots
				: which == 'm' ? w->shmns.ids.slots
					       : w->semns.ids.slots;
	guint n = which == 'q'	 ? w->ipcns.n_slots
		  : which == 'm' ? w->shmns.ids.n_slots
				 : w->semns.ids.n_slots;
	for (guint i = 0; i < n; i++) {
		const SimIpcPerm *p = slots[i]; /* each object begins with its SimIpcPerm */
		if (p && p->id == id)
			return p;
	}
	return NULL;
}

/* ---- Entry points ---- */

/* One kind, or all three one after another; ipcs ends the whole with one blank line, so
 * between two kinds there is only the blank line that opens the next heading. */
void sim_ipcs_format_creators(GString *out, const SimWorld *w, char which)
{
	if (which != 'a') {
		creators(out, w, which);
	} else {
		creators(out, w, 'q');
		creators(out, w, 'm');
		creators(out, w, 's');
	}
	g_string_append_c(out, '\n');
}

void sim_ipcs_format_status(GString *out, const SimWorld *w, char which)
{
	if (which != 'a') {
		status(out, w, which);
	} else {
		status(out, w, 'q');
		status(out, w, 'm');
		status(out, w, 's');
	}
	g_string_append_c(out, '\n');
}

gboolean sim_ipcs_format_id(GString *out, const SimWorld *w, char which, int id)
{
	gconstpointer obj = find_id(w, which, id);
	if (!obj)
		return FALSE;
	if (which == 'q')
		msgq_detail(out, w, obj);
	else if (which == 'm')
		shm_detail(out, w, obj);
	else
		sem_detail(out, w, obj);
	return TRUE;
}

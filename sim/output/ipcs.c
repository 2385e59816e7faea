/* ipcs.c — util-linux's `ipcs -q` layouts for the run's SysV queues.
 *
 * The design choice to know: the column widths and headings are copied from what ipcs
 * prints on the project's machines (util-linux 2.38), byte for byte, so a student can put
 * the two outputs side by side; only the pid and owner columns use the run's names.
 */
#include "msgsim/output/ipcs.h"

#include "output/ipcs_int.h" /* and through it the namespace and the queues, as /proc shows them */

#include <time.h>

const char *sim_ipcs_owner(const SimWorld *w, gint64 uid, char *buf, gsize size)
{
	if (uid == 0)
		return "root";
	for (guint i = 0; i < w->scn->n_users; i++)
		if (w->scn->users[i].uid == uid)
			return w->scn->users[i].name;
	g_snprintf(buf, size, "%" G_GINT64_FORMAT, uid);
	return buf;
}

static const char *pid_name(const SimWorld *w, int task)
{
	return task >= 0 ? w->tasks[task].name : "0";
}

/* Simulated seconds as ipcs prints a time (the run starts at SIM_IPCS_EPOCH), or "Not set". */
static const char *when(SimTime t, gboolean set, char *buf, gsize size)
{
	if (!set)
		return "Not set";
	time_t secs = (time_t)(SIM_IPCS_EPOCH + t / SIM_S);
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(buf, size, "%b %e %H:%M:%S", &tm);
	return buf;
}

/* Live queues in index order, as ipcs walks /proc/sysvipc/msg. */
static void each_queue(const SimWorld *w, void (*fn)(GString *, const SimWorld *, const SimMsgq *),
		       GString *out)
{
	for (guint i = 0; i < w->ipcns.n_slots; i++) {
		const SimMsgq *q = w->ipcns.slots[i];
		if (q)
			fn(out, w, q);
	}
}

static void row_q(GString *out, const SimWorld *w, const SimMsgq *q)
{
	char buf[32];
	g_string_append_printf(out,
			       "0x%08" G_GINT64_MODIFIER
			       "x %-10d %-10.10s %-10o %-12" G_GUINT64_FORMAT
			       " %-12" G_GUINT64_FORMAT "\n",
			       q->perm.key, q->perm.id, sim_ipcs_owner(w, q->perm.uid, buf, sizeof(buf)),
			       q->perm.mode, q->cbytes, q->qnum);
}

static void row_p(GString *out, const SimWorld *w, const SimMsgq *q)
{
	char buf[32];
	g_string_append_printf(out, "%-8d %-10.10s  %5s     %5s\n", q->perm.id,
			       sim_ipcs_owner(w, q->perm.uid, buf, sizeof(buf)), pid_name(w, q->lspid),
			       pid_name(w, q->lrpid));
}

static void row_t(GString *out, const SimWorld *w, const SimMsgq *q)
{
	char buf[32], s1[32], s2[32], s3[32];
	g_string_append_printf(out, "%-8d %-10.10s %-20.16s %-20.16s %-20.16s\n", q->perm.id,
			       sim_ipcs_owner(w, q->perm.uid, buf, sizeof(buf)),
			       when(q->stime, q->lspid >= 0, s1, sizeof(s1)),
			       when(q->rtime, q->lrpid >= 0, s2, sizeof(s2)),
			       when(q->ctime, TRUE, s3, sizeof(s3)));
}

/* POSIX queues: util-linux has no view of its own for them, so the table follows the
 * attributes mq_getattr gives, and each queue's line is what read(2) on it returns. */
static void posix_queues(GString *out, const SimWorld *w)
{
	g_string_append(out, "\n------ POSIX Message Queues --------\n");
	g_string_append_printf(out, "%-16s %-10s %-10s %-10s %-10s\n", "name", "maxmsg", "msgsize",
			       "curmsgs", "owner");
	char buf[32];
	for (guint i = 0; i < w->mqueues->len; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		if (q->unlinked)
			continue;
		g_string_append_printf(out,
				       "%-16s %-10" G_GINT64_FORMAT " %-10" G_GINT64_FORMAT
				       " %-10" G_GUINT64_FORMAT " %-10.10s\n",
				       q->name, q->maxmsg, q->msgsize, q->curmsgs,
				       sim_ipcs_owner(w, q->perm.uid, buf, sizeof(buf)));
		gboolean sig = q->notify_task >= 0 && q->notify_kind == SIM_NOTIFY_SIGNAL;
		g_string_append_printf(
			out,
			"  QSIZE:%-10" G_GUINT64_FORMAT " NOTIFY:%-5d SIGNO:%-5d "
			"NOTIFY_PID:%-6s\n",
			q->qsize,
			q->notify_task < 0 || sig ? 0 : q->notify_kind == SIM_NOTIFY_THREAD ? 2 : 1,
			sig ? q->notify_sig : 0,
			q->notify_task >= 0 ? w->tasks[q->notify_task].name : "0");
	}
}

void sim_ipcs_format(GString *out, const SimWorld *w, char view)
{
	switch (view) {
	case SIM_IPCS_CREATORS: /* ipcs -c and -u: each section ends with its blank line */
		sim_ipcs_format_creators(out, w, 'a');
		return;
	case SIM_IPCS_STATUS:
		sim_ipcs_format_status(out, w, 'a');
		return;
	case SIM_IPCS_ALL:
		/* util-linux's ipcs -a: the three tables, one blank line apart. */
		g_string_append(out, "\n------ Message Queues --------\n");
		g_string_append_printf(out, "%-10s %-10s %-10s %-10s %-12s %-12s\n", "key", "msqid",
				       "owner", "perms", "used-bytes", "messages");
		each_queue(w, row_q, out);
		sim_ipcs_format_shm(out, w, SIM_IPCS_SHM);
		sim_ipcs_format_sem(out, w, SIM_IPCS_SEM);
		break;
	case SIM_IPCS_ALL_LIMITS:
		sim_ipcs_format(out, w, 'l');
		g_string_truncate(out, out->len - 1); /* one blank line between, as ipcs -l */
		sim_ipcs_format_shm(out, w, SIM_IPCS_SHM_LIMITS);
		sim_ipcs_format_sem(out, w, SIM_IPCS_SEM_LIMITS);
		break;
	case SIM_IPCS_SEM:
	case SIM_IPCS_SEM_TIMES:
	case SIM_IPCS_SEM_LIMITS:
		sim_ipcs_format_sem(out, w, view);
		break;
	case SIM_IPCS_SHM:
	case SIM_IPCS_SHM_PIDS:
	case SIM_IPCS_SHM_LIMITS:
		sim_ipcs_format_shm(out, w, view);
		break;
	case SIM_IPCS_PROC_MSG:
		sim_ipcs_format_proc(out, w);
		return; /* the file's bytes, with no blank line after them */
	case 'p':
		g_string_append(out, "\n------ Message Queues PIDs --------\n");
		g_string_append_printf(out, "%-10s %-10s %-10s %-10s\n", "msqid", "owner", "lspid",
				       "lrpid");
		each_queue(w, row_p, out);
		break;
	case 't':
		g_string_append(out, "\n------ Message Queues Send/Recv/Change Times --------\n");
		g_string_append_printf(out, "%-8s %-10s %-20s %-20s %-20s\n", "msqid", "owner",
				       "send", "recv", "change");
		each_queue(w, row_t, out);
		break;
	case 'l':
		g_string_append(out, "\n------ Messages Limits --------\n");
		g_string_append_printf(out, "max queues system wide = %" G_GINT64_FORMAT "\n",
				       w->ipcns.limits.msgmni);
		g_string_append_printf(out, "max size of message (bytes) = %" G_GINT64_FORMAT "\n",
				       w->ipcns.limits.msgmax);
		g_string_append_printf(out,
				       "default max size of queue (bytes) = %" G_GINT64_FORMAT "\n",
				       w->ipcns.limits.msgmnb);
		break;
	case 'm':
		posix_queues(out, w);
		break;
	default:
		g_string_append(out, "\n------ Message Queues --------\n");
		g_string_append_printf(out, "%-10s %-10s %-10s %-10s %-12s %-12s\n", "key", "msqid",
				       "owner", "perms", "used-bytes", "messages");
		each_queue(w, row_q, out);
		if (w->mqueues->len) {
			/* util-linux stops here; POSIX queues follow in a table of their own. */
			g_string_append(out, "\n");
			posix_queues(out, w);
		}
		break;
	}
	g_string_append(out, "\n");
}

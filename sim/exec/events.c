/* events.c — the guests' run as trace events, for the sinks `run` has (jsonl and the
 * pictures: chrome, mermaid, dot, html).
 *
 * The supervisor's own text trace names calls as in C; the other formats are the engine's,
 * written by sim/output from SimTraceEvents. So each served SysV call is also described as
 * the statement a scenario would have written for it (a SimStmt of kind MSGSND etc., built
 * from the registers), and its event goes through the same call-table rows (call.h) and
 * sinks as a scenario task's. The one design choice to know: the sinks compare names and
 * statements by address (trace.c's line memo) and the pictures keep them until the end, so
 * every string an event names lives in one string chunk and every statement built for an
 * event is kept, both until the run is over. Nothing here runs when no such format was
 * asked for (x->trace is NULL).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "exec/exec_int.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/pictures.h"

gboolean sim_exec_events_open(SimExec *x, const char *format, const char *path, GError **error)
{
	if (!format || strcmp(format, "text") == 0)
		return TRUE;
	const SimPicture *pic = sim_picture_by_name(format);
	if (!pic && strcmp(format, "jsonl") != 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "unknown --format '%s' (expected text, jsonl, %s)", format,
			    sim_picture_names());
		return FALSE;
	}
	FILE *out = x->out;
	if (path && !(out = fopen(path, "we"))) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot write %s: %s", path, g_strerror(errno));
		return FALSE;
	}
	x->trace = sim_trace_new();
	if (pic)
		sim_picture_add_sink(x->trace, pic, out, path != NULL);
	else
		sim_trace_add_sink(x->trace, SIM_TRACE_JSONL, out, path != NULL, FALSE);
	x->names = g_string_chunk_new(4096);
	x->stmts = g_ptr_array_new_with_free_func(g_free);
	SimTraceEvent head = { .kind = SIM_TR_HEADER, .text = "exec", .op = "exec",
			       .value = (gint64)x->opt->seed };
	sim_trace_emit(x->trace, &head);
	return TRUE;
}

void sim_exec_ev_end(SimExec *x, SimTrace *tr, SimExecStatus status, guint passed,
		     guint failed)
{
	static const char *const verdicts[] = { [SIM_EXEC_DONE] = "every program ended",
						[SIM_EXEC_DEADLOCK] = "deadlock",
						[SIM_EXEC_LIMIT] = "stopped by a guard rail",
						[SIM_EXEC_REFUSED] = "refused",
						[SIM_EXEC_FAILED] = "an expectation failed" };
	static const gint64 codes[] = { 0, 3, 3, 2, 1 };
	SimTraceEvent end = { .kind = SIM_TR_END,
			      .time = sim_world_now(x->w),
			      .text = verdicts[status],
			      .value = codes[status] };
	end.counts[0] = passed;
	end.counts[1] = failed;
	end.counts[2] = (gint64)x->w->steps;
	sim_trace_emit(tr, &end);
}

int sim_exec_events_close(SimExec *x, SimExecStatus status, guint passed, guint failed)
{
	if (!x->trace)
		return 0;
	sim_exec_ev_end(x, x->trace, status, passed, failed);
	int err = sim_trace_flush(x->trace);
	sim_trace_free(x->trace);
	x->trace = NULL;
	g_string_chunk_free(x->names);
	x->names = NULL;
	g_ptr_array_free(x->stmts, TRUE);
	x->stmts = NULL;
	return err;
}

const char *sim_exec_name(SimExec *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return g_string_chunk_insert_const(x->names, s);
}

static const char *task_name(SimExec *x, const SimGuest *g)
{
	return g_string_chunk_insert_const(x->names, g->name);
}

void sim_exec_ev(SimExec *x, const SimGuest *g, SimTraceKind kind, const SimGuest *other,
		 const char *text, gint64 value)
{
	if (!x->trace)
		return;
	SimTraceEvent ev = { .kind = kind,
			     .time = sim_world_now(x->w),
			     .task = g ? task_name(x, g) : NULL,
			     .other = other ? task_name(x, other) : NULL,
			     .text = text ? g_string_chunk_insert_const(x->names, text) : NULL,
			     .value = value };
	if (kind == SIM_TR_DEADLOCK) {
		ev.op = ev.text;
		ev.text = NULL;
		if (g->call.q && strcmp(ev.op, "wait") != 0)
			ev.object = sim_exec_name(x, "msq %d", g->call.q->perm.id);
		ev.reason = "no live program can release it";
	}
	sim_trace_emit(x->trace, &ev);
}

/* The statement a scenario would have written for g's SysV call. */
static SimStmt *stmt_of(SimExec *x, const SimGuest *g)
{
	SimStmt *st = g_new0(SimStmt, 1);
	g_ptr_array_add(x->stmts, st);
	sim_exec_sysv_stmt(g, st);
	return st;
}

void sim_exec_sysv_stmt(const SimGuest *g, SimStmt *st)
{
	const __u64 *a = g->notif.data.args;
	st->var = -1;
	st->sysv.perm = st->sysv.qbytes = st->sysv.set_uid = st->sysv.set_gid = -1;
	st->sysv.fill = -1;
	st->sysv.size = SIM_SIZE_UNSET;
	switch (g->notif.data.nr) {
	case __NR_msgget:
		st->kind = SIM_STMT_MSGGET;
		st->sysv.key.kind = (int)a[0] == IPC_PRIVATE ? SIM_KEY_PRIVATE : SIM_KEY_VALUE;
		st->sysv.flags = ((int)a[1] & IPC_CREAT ? SIM_IPC_CREAT : 0) |
				 ((int)a[1] & IPC_EXCL ? SIM_IPC_EXCL : 0);
		st->sysv.perm = (int)a[1] & 0777;
		break;
	case __NR_msgsnd:
		st->kind = SIM_STMT_MSGSND;
		st->sysv.flags = (int)a[3] & IPC_NOWAIT ? SIM_IPC_NOWAIT : 0;
		break;
	case __NR_msgrcv:
		st->kind = SIM_STMT_MSGRCV;
		st->sysv.type = (long)a[3];
		st->sysv.size = (long)a[2];
		st->sysv.flags = ((int)a[4] & IPC_NOWAIT ? SIM_IPC_NOWAIT : 0) |
				 ((int)a[4] & MSG_EXCEPT ? SIM_MSG_EXCEPT : 0) |
				 ((int)a[4] & MSG_NOERROR ? SIM_MSG_NOERROR : 0);
		break;
	default: {
		st->kind = SIM_STMT_MSGCTL;
		int cmd = (int)a[1] & ~0x100;
		st->sysv.cmd = cmd == IPC_STAT	   ? SIM_CTL_STAT
			       : cmd == IPC_SET	   ? SIM_CTL_SET
			       : cmd == IPC_RMID   ? SIM_CTL_RMID
			       : cmd == IPC_INFO   ? SIM_CTL_INFO
			       : cmd == MSG_INFO   ? SIM_CTL_MSG_INFO
			       : cmd == MSG_STAT   ? SIM_CTL_MSG_STAT
			       : cmd == 13	   ? SIM_CTL_MSG_STAT_ANY
						   : SIM_CTL_RAW;
		st->sysv.raw_cmd = cmd;
		break;
	}
	}
}

void sim_exec_ev_call(SimExec *x, const SimGuest *g, const SimExecCall *c)
{
	if (!x->trace)
		return;
	SimStmt *st = stmt_of(x, g);
	if (st->kind == SIM_STMT_MSGSND && c->msg)
		st->sysv.type = c->msg->type;
	const SimMsgq *q = c->q && !c->q->removed ? c->q : NULL;
	SimTraceEvent ev = { .kind = c->resuming ? SIM_TR_RETURN : SIM_TR_CALL,
			     .time = sim_world_now(x->w),
			     .task = task_name(x, g),
			     .other = c->other ? task_name(x, c->other) : NULL,
			     .object = c->id >= 0 ? sim_exec_name(x, "msq %d", c->id) : "msq ?",
			     .op = st->kind == SIM_STMT_MSGGET	 ? "msgget"
				   : st->kind == SIM_STMT_MSGSND ? "msgsnd"
				   : st->kind == SIM_STMT_MSGRCV ? "msgrcv"
								 : "msgctl",
			     .stmt = st,
			     .msg = c->msg,
			     .msg_from =
				     c->msg ? task_name(x, sim_exec_guest(x, c->msg->from)) : NULL,
			     .err = c->err,
			     .blocked = c->blocked,
			     .reason = c->blocked ? (st->kind == SIM_STMT_MSGSND
							     ? "queue full"
							     : "no message of the wanted type")
						  : NULL,
			     .value = c->key,
			     .ret = c->ret,
			     .msgq = q };
	if (st->kind == SIM_STMT_MSGCTL && st->sysv.cmd == SIM_CTL_INFO) {
		ev.counts[3] = x->w->ipcns.limits.msgmax;
		ev.counts[4] = x->w->ipcns.limits.msgmnb;
		ev.counts[5] = x->w->ipcns.limits.msgmni;
	}
	if (q && st->kind == SIM_STMT_MSGCTL) {
		ev.lspid = q->lspid >= 0 ? task_name(x, sim_exec_guest(x, q->lspid)) : NULL;
		ev.lrpid = q->lrpid >= 0 ? task_name(x, sim_exec_guest(x, q->lrpid)) : NULL;
	}
	sim_trace_emit(x->trace, &ev);
}

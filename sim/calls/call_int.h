/* call_int.h — what the call families share with the table (sim/call*.c); not public.
 *
 * Each family file defines one array of rows and its length; sim/calls/call.c reads them when it
 * assembles the table, and nothing else names them: everyone else asks sim_call_desc.
 */
#ifndef MSGSIM_CALL_INT_H
#define MSGSIM_CALL_INT_H

#include "msgsim/calls/call.h"
/* The footprints resolve operands as execution does, through the world's insides. */
#include "engine/world_int.h"

/* Shared by the SysV families (call_sysv.c): a queue operation's context, and an ipcs-style
 * table event (op: its words, NULL for the ipcs statement's). */
SimMsgqCtx sim_call_msgq_ctx(SimWorld *w, const SimTask *t);
void sim_call_ipcs_exec(SimWorld *w, SimTask *t, const SimStmt *st, const char *op);

/* The families' rows */
extern const SimCallDesc sim_call_control_rows[];
extern const guint sim_call_control_n_rows;
extern const SimCallDesc sim_call_mbox_rows[];
extern const guint sim_call_mbox_n_rows;
extern const SimCallDesc sim_call_sysv_rows[];
extern const guint sim_call_sysv_n_rows;
extern const SimCallDesc sim_call_posix_rows[];
extern const guint sim_call_posix_n_rows;
extern const SimCallDesc sim_call_file_rows[];
extern const guint sim_call_file_n_rows;
extern const SimCallDesc sim_call_fd_rows[];
extern const guint sim_call_fd_n_rows;
extern const SimCallDesc sim_call_seek_rows[];
extern const guint sim_call_seek_n_rows;
extern const SimCallDesc sim_call_stat_rows[];
extern const guint sim_call_stat_n_rows;
extern const SimCallDesc sim_call_cred_rows[];
extern const guint sim_call_cred_n_rows;
/* alarm (call_alarm.c), and what it returns for an alarm due in left > 0 nanoseconds. */
extern const SimCallDesc sim_call_alarm_rows[];
extern const guint sim_call_alarm_n_rows;
gint64 sim_call_alarm_seconds_left(SimTime left);
extern const SimCallDesc sim_call_exec_rows[];
extern const guint sim_call_exec_n_rows;
extern const SimCallDesc sim_call_procfs_rows[];
extern const guint sim_call_procfs_n_rows;
extern const SimCallDesc sim_call_thread_rows[]; /* call_thread.c */
extern const guint sim_call_thread_n_rows;
extern const SimCallDesc sim_call_proc_rows[];
extern const guint sim_call_proc_n_rows;
extern const SimCallDesc sim_call_sem_rows[];
extern const guint sim_call_sem_n_rows;
extern const SimCallDesc sim_call_shm_rows[];
extern const guint sim_call_shm_n_rows;
extern const SimCallDesc sim_call_ipcrm_rows[];
extern const guint sim_call_ipcrm_n_rows;
extern const SimCallDesc sim_call_sock_rows[];
extern const guint sim_call_sock_n_rows;
extern const SimCallDesc sim_call_alpc_rows[];
extern const guint sim_call_alpc_n_rows;
extern const SimCallDesc sim_call_poll_rows[];
extern const guint sim_call_poll_n_rows;
/* What the end of task x changes among ALPC ports: those its handles name (call_alpc.c). */
void sim_call_alpc_footprint_end(const SimWorld *w, const SimTask *x, SimFootprint *fp);

/* Trace hooks more than one family uses */
/* The result of a system call in JSON: "ret" (its return value: an id, a descriptor, a byte
 * count) unless it blocked. */
void sim_call_json_ret(GString *s, const SimTraceEvent *ev);
/* What a system call's result begins with: the blocked line (sim_trace_blocked), or the
 * arrow and "ok" or the errno. TRUE when the call succeeded and the caller goes on to say
 * what it returned; FALSE when there is no more to say. */
gboolean sim_call_result_head(GString *s, const SimTraceEvent *ev, const char *arrow);
/* The result and nothing else (kill, sigaction). */
void sim_call_text_result(GString *s, const SimTraceEvent *ev, const char *arrow);

/* Footprint helpers more than one family uses (sim/calls/footprint.c) */
/* The calling task t as others see it: read by every call (a kill or a signal changes what
 * any of its calls does next), written by those that change it for others (on, wait). */
void sim_call_fp_self(SimFootprint *fp, const SimTask *t, gboolean write);
/* The object behind an open description (a pipe or a POSIX queue). */
void sim_call_fp_file(SimFootprint *fp, const SimFile *f, gboolean write);
/* What a descriptor call reaches: it reads t's descriptor table and reaches the object
 * behind st's descriptor when that is of one of `kinds` (SIM_CALL_FP_*), which it then
 * returns. Otherwise (not open, or the wrong kind: EBADF) it returns NULL and stands for
 * every object of `kinds`: the conservative rule for operands that do not resolve. */
#define SIM_CALL_FP_PIPE (1u << 0)
#define SIM_CALL_FP_MQ (1u << 1)
const SimFile *sim_call_fp_fd(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimFootprint *fp, guint kinds, gboolean write);

/* The files family's fcntl commands */
/* The word of fcntl command cmd (a statement's file.fcntl) as the scenario writes it, or NULL
 * past the last: for tests and messages that name a command without running it. */
const char *sim_call_fcntl_word(guint cmd);

/* read and write on a socket descriptor (call_sock.c): recv and send with no flags. The
 * write's bytes are text (len of them) repeated to n. */
void sim_call_sock_read(SimWorld *w, SimTask *t, const SimStmt *st);
void sim_call_sock_write(SimWorld *w, SimTask *t, const SimStmt *st, const char *text,
			 gsize len, gsize n);

#endif /* MSGSIM_CALL_INT_H */

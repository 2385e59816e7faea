/* call_file_int.h — what the files family's two files share (call_file.c, call_fd.c).
 *
 * The family is split by what its calls act on: call_file.c holds the pipes, FIFOs and their
 * data, call_fd.c the descriptor calls (close, dup*, fcntl, ioctl). Both trace a pipe's state
 * after the call and name the descriptor as the scenario wrote it, so those helpers live
 * in call_file.c and are declared here; nothing outside the family includes this header.
 */
#ifndef MSGSIM_CALL_FILE_INT_H
#define MSGSIM_CALL_FILE_INT_H

#include "calls/call_int.h"

/* The family's arguments before a statement's own are read: every parse hook starts from
 * them, since no one else initialises the family's member of the statement. */
extern const SimFileArgs sim_call_file_defaults;

/* Trace: the result alone, and the pipe when there is one (close, mkfifo, unlink). */
void sim_call_file_result(GString *s, const SimTraceEvent *ev, const char *arrow);
/* Trace: ", fd N" after the result (open, dup*), and the pipe. */
void sim_call_file_fd_result(GString *s, const SimTraceEvent *ev, const char *arrow);

/* Execution: st's descriptor operand as the trace names it ("p.r", "3"), in w's word buffer. */
const char *sim_call_file_fd_word(SimWorld *w, const SimTask *t, const SimStmt *st);
/* Execution: emits a CALL or RETURN event of st on object (a descriptor word or a path),
 * with pipe p's state (may be NULL), err, why (a blocked call's reason) and ret. */
void sim_call_file_trace(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
			 const char *object, const SimPipe *p, int err, const char *why,
			 gint64 ret);

/* Execution: the bytes a read took (out, got of them), kept in st's variable when keep or
 * else counted and charged as received. */
void sim_call_file_received(SimWorld *w, SimTask *t, const SimStmt *st, const GString *out,
			    gsize got, gboolean keep);

#endif /* MSGSIM_CALL_FILE_INT_H */

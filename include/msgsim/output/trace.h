/* trace.h — trace events and the sinks that print them (text for people, JSON Lines for programs).
 *
 * The engine describes what happened as a SimTraceEvent (plain data: names, numbers, the
 * statement, the message) and hands it to sim_trace_emit. Only trace.c turns events into
 * text, so the two formats cannot disagree and no other module prints trace lines; for a
 * call's own part it asks the statement's row in the call table (call.h), whose hooks
 * write into the line trace.c is building, with the pieces declared at the end here.
 * Lines never contain pointers, wall-clock time or hash-table order: the same scenario
 * and seed give byte-identical output.
 *
 * When nobody listens (no sink), the world keeps `trace` NULL and builds no event at all:
 * the hot path pays one pointer test.
 *
 * A sink remembers the lines of repeated events and compares the next event's names with
 * theirs by address (trace.c, "The line memo"): the names in the events of a row with
 * trace_memo, in a delivery and in the engine's start, dispatch, wake, preempt and exit
 * events must live as long as the scenario (task and mailbox names do).
 */
#ifndef MSGSIM_TRACE_H
#define MSGSIM_TRACE_H

#include <stdio.h>
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/msg.h"

typedef struct SimStmt SimStmt; /* scn.h: a call's statement, for its operands */

typedef enum SimTraceKind {
	SIM_TR_HEADER,	 /* run header: text = scenario file, value = seed, policy name in op */
	SIM_TR_START,	 /* task became ready for the first time */
	SIM_TR_DISPATCH, /* task got the CPU; other = task that had it; names = ready queue;
			  * value = context-switch cost charged */
	SIM_TR_PREEMPT,	 /* task put back on the ready queue; reason */
	SIM_TR_CALL,	 /* task made a call: stmt, object, msg (send), err, blocked, other =
			  * the receiver it was handed to (send) or the sender (receive) */
	SIM_TR_RETURN,	 /* task's blocked call returned: stmt, object, err, msg, other */
	SIM_TR_BLOCK,	 /* task blocked on object; reason */
	SIM_TR_WAKE,	 /* task woken; other = the task that woke it (NULL for a timer); object */
	SIM_TR_DELIVER,	 /* msg moved: task = sender, other = receiver, object */
	SIM_TR_PRINT,	 /* task printed text */
	SIM_TR_EXIT,	 /* task exited; value = exit status */
	SIM_TR_DESTROY,	 /* object destroyed because its owner (task) exited; value = waiters failed
			  */
	SIM_TR_SEM_UNDO, /* task's exit applied its undo record for semaphore set `value`: text
			  * lists each semaphore's adjustment, and a clamp where one happened */
	SIM_TR_SIGNAL,	 /* task got signal `value` (name in text) from other: reason says what
			  * became of it ("ignored", "killed", "caught: ...", "handler runs") */
	SIM_TR_RACE,	 /* a wake-up let several tasks (names) race for object: a scheduling
			  * choice decides the winner */
	SIM_TR_IPCS,	 /* task ran `ipcs`: text is the table, as util-linux prints it */
	SIM_TR_DEADLOCK, /* task is stuck: object, reason, names = the tasks it waits for; line */
	SIM_TR_LIMIT,	 /* a guard rail stopped the run: reason = its option ("max-steps",
			  * "max-time", "max-memory") or "time-overflow", value = the limit,
			  * text = what happened and how to go further */
	SIM_TR_EXPECT,	 /* expectation at line: pass, text = what was expected, detail = what was
			    seen */
	SIM_TR_TASK_SUMMARY, /* task: state in reason, cpu/blocked times, sent/received counts */
	SIM_TR_OBJ_SUMMARY,  /* object: sent/received/qnum/max_qnum/bytes in counts */
	SIM_TR_END,	     /* verdict: text; value = exit status */
} SimTraceKind;

typedef struct SimTraceEvent {
	SimTraceKind kind;
	SimTime time;
	const char *task;	  /* the acting task, or NULL */
	const char *other;	  /* the other task (see the kinds), or NULL */
	const char *object;	  /* object name, or NULL */
	const char *op;		  /* CALL/RETURN: "send", "receive", "compute", "sleep", "exit";
				   * HEADER: policy */
	const SimStmt *stmt;	  /* CALL/RETURN: the statement (flags, durations), or NULL */
	const SimMsg *msg;	  /* the message involved, or NULL */
	const char *msg_from;	  /* name of msg->from (the trace does not know task names) */
	int err;		  /* CALL/RETURN result: 0 or errno */
	gboolean blocked;	  /* CALL: the call blocked */
	gboolean pass;		  /* EXPECT */
	const char *reason;	  /* static text */
	const char *text;	  /* PRINT text, EXPECT description, END verdict, HEADER file */
	const char *detail;	  /* EXPECT: what was seen */
	gint64 value;		  /* see the kinds */
	guint line;		  /* scenario line, or 0 */
	const char *const *names; /* a list of task names (ready queue, wait-for) */
	guint n_names;
	gint64 counts[6];	    /* summaries: see sim_trace_emit's formats */
	const struct SimMsgq *msgq; /* SysV calls: the queue, for its statistics, or NULL */
	const struct SimMqueue *mq; /* POSIX calls: the queue, for its state, or NULL */
	const struct SimPipe *pipe; /* pipe and FIFO calls: the pipe, for its state, or NULL */
	gint64 ret;		    /* SysV calls: the return value (id, bytes, index) */
	const char *lspid, *lrpid;  /* msgctl stat: names of the last sender/receiver, or NULL */
	const struct SimSemArray *sem; /* semop, semctl: the set, or NULL */
	const struct SimShmSeg *shm;   /* shm* calls: the segment, or NULL */
} SimTraceEvent;

/* Zeroes *ev, sixteen bytes at a time, unrolled. An event is built for every call of a
 * traced run: a plain memset of its size becomes a `rep stos`, which here cost more than
 * the fields, and a loop of stores cost a third again in its counting. */
static inline void sim_trace_event_clear(SimTraceEvent *ev)
{
	char *p = (char *)ev;
	gsize i = 0;
#pragma GCC unroll 16
	for (; i + 16 <= sizeof(*ev); i += 16)
		__builtin_memset(p + i, 0, 16);
	__builtin_memset(p + i, 0, sizeof(*ev) - i);
}

typedef enum SimTraceFormat {
	SIM_TRACE_TEXT,
	SIM_TRACE_JSONL,  /* JSON Lines, the current schema (version 3) */
	SIM_TRACE_JSONL2, /* JSON Lines as schema version 2 wrote them (--jsonl-schema 2) */
} SimTraceFormat;

typedef struct SimTrace SimTrace;

/* Lifecycle */
SimTrace *sim_trace_new(void);
void sim_trace_free(SimTrace *tr); /* closes the files it opened; not stdout */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTrace, sim_trace_free)

/* Adds a sink writing to `out` (not owned unless `own` is TRUE). report_only: only the
 * run's report (header, deadlock, limit, expectations, summaries, end) is written. */
void sim_trace_add_sink(SimTrace *tr, SimTraceFormat fmt, FILE *out, gboolean own,
			gboolean report_only);

/* A sink that writes no line per event but a picture of the whole run (chrome, mermaid,
 * dot, html: pictures.h): it takes the kinds it wants and appends what it writes to `out`,
 * the sink's batch, which this module hands to the stream as for the line formats. Line
 * caps and report_only do not apply to it. `data` is freed with cls->free. */
typedef struct SimTraceSinkClass {
	guint32 wants; /* bit k: it takes events of kind k */
	void (*event)(gpointer data, const SimTraceEvent *ev, GString *out);
	void (*free)(gpointer data);
} SimTraceSinkClass;
void sim_trace_add_custom(SimTrace *tr, const SimTraceSinkClass *cls, gpointer data, FILE *out,
			  gboolean own);
/* The text trace's words for ev, without its time and task columns ("receive A -> ok ...",
 * "-- deadlock: P1 stuck in ..."): the pictures say what the text trace says. */
void sim_trace_text(GString *s, const SimTraceEvent *ev);

/* Every sink writes at most max_lines event lines (0: no limit); the report's lines always
 * come, after one line that says how many were left out and how to see them all. Left-out
 * events are not even formatted. */
void sim_trace_limit_lines(SimTrace *tr, guint64 max_lines);

/* Operations */
void sim_trace_emit(SimTrace *tr, const SimTraceEvent *ev);
/* Would any sink write an event of this kind? FALSE for a NULL trace, one whose sinks all
 * write the report only (--quiet), or a kind its sinks leave out (the text table a block
 * and a delivery, JSON Lines version 3 a delivery): an event that costs something to
 * build (the ready list of a dispatch, a delivery) is then not built at all. */
gboolean sim_trace_wants(const SimTrace *tr, SimTraceKind kind);
/* Lines are kept in a buffer per sink and handed to its stream in batches (one write each):
 * flush hands over what is left and flushes the streams. Returns 0, or the errno of the
 * first write to a sink that failed (a full disk), which ferror() alone would not tell. */
int sim_trace_flush(SimTrace *tr);

/* Copies n bytes from p to d without a call for the short pieces a line is made of
 * (names, keywords, numbers): overlapping word-sized moves, which a constant n folds to
 * one or two stores. memcpy's call and size dispatch cost more than the copy here. */
static inline void sim_trace_copy(char *d, const char *p, gsize n)
{
	if (n > 32) {
		memcpy(d, p, n);
	} else if (n >= 16) {
		char a[16], b[16];
		__builtin_memcpy(a, p, 16);
		__builtin_memcpy(b, p + n - 16, 16);
		__builtin_memcpy(d, a, 16);
		__builtin_memcpy(d + n - 16, b, 16);
	} else if (n >= 8) {
		guint64 a, b;
		__builtin_memcpy(&a, p, 8);
		__builtin_memcpy(&b, p + n - 8, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		guint32 a, b;
		__builtin_memcpy(&a, p, 4);
		__builtin_memcpy(&b, p + n - 4, 4);
		__builtin_memcpy(d, &a, 4);
		__builtin_memcpy(d + n - 4, &b, 4);
	} else if (n) {
		d[0] = p[0];
		d[n / 2] = p[n / 2];
		d[n - 1] = p[n - 1];
	}
}

/* Appends n bytes at p, "text" and one character to s: what g_string_append_len,
 * g_string_append and g_string_append_c do, inline and without their checks, for the
 * formatters that write millions of lines. */
static inline void sim_trace_put(GString *s, const char *p, gsize n)
{
	if (G_LIKELY(s->len + n < s->allocated_len)) {
		sim_trace_copy(s->str + s->len, p, n);
		s->len += n;
		s->str[s->len] = '\0';
	} else {
		g_string_append_len(s, p, (gssize)n);
	}
}
/* A literal's length is known when this is compiled (the call must be inlined for the
 * compiler to see it); a name's is found as it is copied: names are short, and a scan
 * and a copy in one pass beat strlen's call and memcpy's. */
void sim_trace_put_name(GString *s, const char *text);
static inline __attribute__((always_inline)) void sim_trace_puts(GString *s, const char *text)
{
	if (__builtin_constant_p(strlen(text)))
		sim_trace_put(s, text, strlen(text));
	else
		sim_trace_put_name(s, text);
}
static inline void sim_trace_putc(GString *s, char c)
{
	if (G_LIKELY(s->len + 1 < s->allocated_len)) {
		s->str[s->len++] = c;
		s->str[s->len] = '\0';
	} else {
		g_string_append_c(s, c);
	}
}
/* Appends text in double quotes as a scenario writes it (\", \\ and \n escaped). */
void sim_trace_quote(GString *s, const char *text, gsize len);
/* Appends a received message as the queue calls show it: its quoted text, then
 * " from SENDER (#SEQ)". */
void sim_trace_received(GString *s, const SimTraceEvent *ev);
/* Appends a number in decimal, as printf's %" G_GUINT64_FORMAT " and %" G_GINT64_FORMAT "
 * would, without printf: the trace writes millions of them. */
void sim_trace_uint(GString *s, guint64 v);
void sim_trace_int(GString *s, gint64 v);
/* A message's sequence number, as sim_trace_uint writes it: the hooks of a row with
 * trace_memo (call.h) write it this way, so that the trace knows where it is in the line. */
void sim_trace_seq(GString *s, guint64 seq);
/* Appends a count for people: 3100000 -> "3,100,000". */
void sim_trace_count(GString *s, guint64 n);
/* The keyword of a statement as the scenario writes it ("send", "sleep"). */
const char *sim_trace_stmt_name(const SimStmt *st);
/* Formats a time for people: "1.250ms", "12us", "0". Returns buf. */
const char *sim_trace_time(SimTime t, char *buf, gsize size);

/* Pieces for the calls' own trace hooks (call.h), which write the call-specific part of a
 * CALL or RETURN event; everything else of the event is written here. */
/* A call's result: "ok" or "EAGAIN (Resource temporarily unavailable)". */
void sim_trace_result(GString *s, int err);
/* Pipe data: quoted, cut after 40 bytes ("xxxx"...); the byte count says the rest. */
void sim_trace_quote_cut(GString *s, const char *text, gsize len);
/* " -> blocks: REASON", what a blocked call shows before its details. */
void sim_trace_blocks(GString *s, const SimTraceEvent *ev);
/* The states after the call of the event's objects, each when it has one:
 * " [q: 10 msgs, 5120 bytes]", " [/q: 3 msgs, 21 bytes]", " [pipe#1: 5 bytes in ...]". */
void sim_trace_msgq_state(GString *s, const SimTraceEvent *ev);
void sim_trace_mq_state(GString *s, const SimTraceEvent *ev);
void sim_trace_pipe_state(GString *s, const SimTraceEvent *ev);
/* How most calls show that they blocked: sim_trace_blocks, then all three states. */
void sim_trace_blocked(GString *s, const SimTraceEvent *ev);
/* JSON fields: ",\"key\":\"escaped\"" (nothing when v is NULL; len < 0: up to the NUL)
 * and ",\"key\":123". A string that is not valid UTF-8 is written as its bytes in hex
 * under "key_hex" instead (",\"text_hex\":\"e4\""): every line is valid JSON. */
void sim_trace_json_str(GString *s, const char *key, const char *v, gssize len);
void sim_trace_json_int(GString *s, const char *key, gint64 v);

#endif /* MSGSIM_TRACE_H */

/* interp.h — the interpreter: process bodies compiled to flat code, executed one call at a time.
 *
 * sim_interp_compile flattens a body's statement tree into a SimProgram: an array of
 * instructions where `repeat`/`loop` become explicit jumps and loop counters live in
 * per-depth slots of the task. Every other statement is a call and becomes one CALL
 * instruction carrying the `exec` of its row in the call table (call.h). A task is then
 * just a program counter into that array, which is what makes a world cheap to run, copy
 * and re-run.
 *
 * sim_interp_step executes instructions of one task until it has made one call: control
 * flow in a loop of its own, then the call through its exec, one indirect call whatever
 * the family. The execs live with their families, not here:
 *   control      compute, sleep, print                          sim/calls/call_control.c
 *   mailboxes    send, receive                                  sim/calls/call_mbox.c
 *   System V     msgget, msgsnd, msgrcv, msgctl, ipcs           sim/calls/call_sysv.c
 *   POSIX        mq_open, mq_send, mq_receive, mq_getattr,      sim/calls/call_posix.c
 *                mq_setattr, mq_notify, mq_close, mq_unlink
 *   files        pipe, read, write, mkfifo, open, unlink        sim/calls/call_file.c
 *                close, dup, dup2, dup3, fcntl, ioctl           sim/calls/call_fd.c
 *                lseek, pread, pwrite                           sim/calls/call_seek.c
 *                fstat, stat, ftruncate, truncate               sim/calls/call_stat.c
 *   processes    fork, wait, exit, kill, on                     sim/calls/call_proc.c
 *                setuid, seteuid, setgid                        sim/calls/call_cred.c
 * A body that runs off its end exits with status 0 (SIM_OP_END), at no cost. Control flow
 * (repeat, loop, break) costs no time and is not a call. The engine (world.c) owns the
 * clock and the scheduler; the calls ask it to charge time, block, sleep, wake and exit
 * through the private sim/engine/world_int.h, and follow the call protocol of
 * sim/engine/interp_int.h. The engine sees only this header: include arrows point one
 * way, world.c -> interp.h, interp.c and call_*.c -> interp_int.h -> world_int.h ->
 * interp.h.
 */
#ifndef MSGSIM_INTERP_H
#define MSGSIM_INTERP_H

#include "msgsim/base.h"

typedef struct SimStmt SimStmt;	      /* scn.h: a statement of a body */
typedef struct SimScnBody SimScnBody; /* scn.h: a body, compiled here */
typedef struct SimText SimText;	      /* scn.h: a message text or its template */

struct SimWorld;
struct SimTask;

/* Runs one call of t: the `exec` of the statement's row in the call table (call.h). Every
 * exec follows the call protocol of sim/engine/interp_int.h. */
typedef void (*SimCallExecFn)(struct SimWorld *w, struct SimTask *t, const SimStmt *st);

/* The instructions: one for every call, the others for control flow, which costs no time
 * and is not a call. */
typedef enum SimOp {
	SIM_OP_CALL,   /* exec(stmt): a call, whatever its family */
	SIM_OP_REPEAT, /* counter[depth] = 0; if count == 0 jump past the loop */
	SIM_OP_NEXT,   /* counter[depth]++; if < count jump to the body start */
	SIM_OP_JUMP,   /* end of `loop`: jump to the body start */
	SIM_OP_BREAK,  /* if the condition holds, jump past the innermost loop */
	SIM_OP_IF,     /* if the statement's condition is 0, jump (to its else, or past it) */
	SIM_OP_ASSERT, /* count a run of the statement, and a failure if its condition is 0 */
	SIM_OP_LET,    /* the statement's variable = its expression's value */
	SIM_OP_END,    /* end of the body: exit 0 */
} SimOp;

typedef struct SimInsn {
	SimOp op;
	guint depth;	     /* loop nesting of this instruction's counter (REPEAT/NEXT) */
	guint jump;	     /* jump target (REPEAT, NEXT, JUMP, BREAK) */
	const SimStmt *stmt; /* the statement (NULL for END) */
	SimCallExecFn exec;  /* CALL: its row's exec, copied so a step is one indirect call */
} SimInsn;

struct SimProgram {
	SimInsn *code; /* owned */
	guint n_code;
	guint max_depth;
	guint n_vars;
	const SimScnBody *body;
};

typedef struct SimProgram SimProgram;

/* Lifecycle */
void sim_interp_compile(SimProgram *prog, const SimScnBody *body);
void sim_interp_program_clear(SimProgram *prog);

/* Execution (the engine's entry points) */
/* Runs t until it has made one call. */
void sim_interp_step(struct SimWorld *w, struct SimTask *t);
/* Exploration: runs t's control flow (loops, breaks; task-local, so invisible to others) up
 * to its next call or its end, so that the statement at t->pc is the one its next step
 * makes. Counts steps as sim_interp_step does; FALSE when the step limit was reached or
 * an if's or assert's expression faulted and stopped the world. */
gboolean sim_interp_settle(struct SimWorld *w, struct SimTask *t);
/* t dies by a signal in the middle of a call (blocked in it, or woken and not yet back):
 * the call ends as the kernel ends it. A pipe read or write gives up only if the pipe still
 * would not let it go on, else it goes ahead (a read takes the data, a write puts what
 * fits) with the wake-ups it passes on; a FIFO open no longer counts as an opener. t has
 * been taken off every wait list already. */
void sim_interp_abandon(struct SimWorld *w, struct SimTask *t);

/* Operands, as a call of t would resolve them now (the cross-check replays them) */
/* The descriptor a statement names: a variable (p.r, p.w), a literal, a declared queue. */
gint64 sim_interp_fd(const struct SimTask *t, const SimStmt *st);
/* The SysV queue id a msgsnd/msgrcv/msgctl operand names (-1: none). */
int sim_interp_queue_id(const struct SimWorld *w, const struct SimTask *t, const SimStmt *st);
/* A statement's text: its literal, or its template expanded (into the world's scratch
 * buffer, valid until the next call into the world); *len its bytes. NULL when it has none. */
const char *sim_interp_text(struct SimWorld *w, const struct SimTask *t, const SimText *text,
			    gsize *len);

#endif /* MSGSIM_INTERP_H */

/* interp.h — the interpreter: process bodies compiled to flat code, executed one call at a time.
 *
 * sim_interp_compile flattens a body's statement tree into a SimProgram: an array of
 * instructions where `repeat`/`loop` become explicit jumps and loop counters live in
 * per-depth slots of the task. A task is then just a program counter into that array,
 * which is what makes a world cheap to run, copy and re-run.
 *
 * sim_interp_step (declared in world.h) executes instructions of one task until it has made
 * one call, that is one statement that is not control flow:
 *   textbook     send, receive, compute, sleep, print, exit              (sim/interp.c)
 *   System V     msgget, msgsnd, msgrcv, msgctl, kill, on, ipcs          (sim/interp.c)
 *   POSIX        mq_open, mq_send, mq_receive, mq_getattr, mq_setattr,   (sim/interp.c)
 *                mq_notify, mq_close, mq_unlink
 *   files        pipe, read, write, close, fcntl, ioctl, mkfifo, open,   (sim/interp_file.c)
 *                unlink, fork, wait
 * A body that runs off its end exits with status 0 (SIM_OP_END), at no cost. Control flow
 * (repeat, loop, break) costs no time and is not a call. The engine (world.c) owns the
 * clock and the scheduler; the interpreter asks it to charge time, block, sleep, wake and
 * exit.
 */
#ifndef MSGSIM_INTERP_H
#define MSGSIM_INTERP_H

#include "msgsim/base.h"

typedef struct SimStmt SimStmt;	      /* scn.h: a statement of a body */
typedef struct SimScnBody SimScnBody; /* scn.h: a body, compiled here */

typedef enum SimOp {
	SIM_OP_SEND,
	SIM_OP_RECEIVE,
	SIM_OP_COMPUTE,
	SIM_OP_SLEEP,
	SIM_OP_PRINT,
	SIM_OP_EXIT,
	SIM_OP_MSGGET,
	SIM_OP_MSGSND,
	SIM_OP_MSGRCV,
	SIM_OP_MSGCTL,
	SIM_OP_KILL,
	SIM_OP_ON,
	SIM_OP_IPCS,
	SIM_OP_MQ_OPEN,
	SIM_OP_MQ_IO,	/* mq_send / mq_receive */
	SIM_OP_MQ_MISC, /* mq_getattr, mq_setattr, mq_notify, mq_close, mq_unlink */
	SIM_OP_FILE,	/* pipe, close, read, write, fcntl, ioctl, mkfifo, open, unlink */
	SIM_OP_FORK,
	SIM_OP_WAIT,
	SIM_OP_REPEAT,	/* counter[depth] = 0; if count == 0 jump past the loop */
	SIM_OP_NEXT,	/* counter[depth]++; if < count jump to the body start */
	SIM_OP_JUMP,	/* end of `loop`: jump to the body start */
	SIM_OP_BREAK,	/* if the condition holds, jump past the innermost loop */
	SIM_OP_END,	/* end of the body: exit 0 */
} SimOp;

typedef struct SimInsn {
	SimOp op;
	guint depth;	     /* loop nesting of this instruction's counter (REPEAT/NEXT) */
	guint jump;	     /* jump target (REPEAT, NEXT, JUMP, BREAK) */
	const SimStmt *stmt; /* the statement (NULL for END) */
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

#endif /* MSGSIM_INTERP_H */

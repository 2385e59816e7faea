/* expr.h — the integer expressions of the scenario language: `${i*2+1}`, `if n % 2 == 0`.
 *
 * An expression is a small tree read by the scenario parser (sim/lang/scn_expr.c) and
 * evaluated here, by the parser when it needs no run-time value and by the interpreter
 * when it names a variable of the running process (a repeat counter, a queue id) or the
 * replica index. The design choice to know: parameters are not nodes. A parameter's value
 * is known before the run, so the parser puts its number in the tree, and a tree without
 * variables is folded to a number where it is read; only what truly changes at run time
 * reaches the interpreter.
 *
 * Arithmetic is on 64-bit signed integers, as C computes it (division truncates toward
 * zero, % takes the dividend's sign), except that nothing is undefined: a division or
 * remainder by zero and a result that does not fit in 64 bits are faults, reported with
 * the node that made them. Comparisons and the logical operators give 0 or 1; && and ||
 * do not evaluate their right side when the left decides.
 *
 * Ownership: a tree owns its children; sim_expr_free frees the whole tree (NULL is fine).
 */
#ifndef MSGSIM_EXPR_H
#define MSGSIM_EXPR_H

#include "msgsim/base.h"

typedef enum SimExprOp {
	SIM_EXPR_NUM,	/* a number (or a parameter's value) */
	SIM_EXPR_VAR,	/* an integer variable of the body: its slot in `var` */
	SIM_EXPR_INDEX, /* the replica index of the running process */
	SIM_EXPR_FIELD, /* m.type, m.prio, m.len: a field (`num`, SimExprField) of the message
			 * held in the variable of slot `var` (0 when it holds none); st.qnum,
			 * st.perm.mode: a field of the msqid_ds an IPC_STAT put in it */
	SIM_EXPR_FTOK,	/* ftok("PATH", ID): `num` is the key, set once the file is known (the
			 * whole scenario read), so never folded before; `var` is the ID */
	SIM_EXPR_NEG,	/* -a */
	SIM_EXPR_NOT,	/* !a */
	SIM_EXPR_ADD,	/* a + b ... */
	SIM_EXPR_SUB,
	SIM_EXPR_MUL,
	SIM_EXPR_DIV,
	SIM_EXPR_MOD,
	SIM_EXPR_EQ, /* a == b ... */
	SIM_EXPR_NE,
	SIM_EXPR_LT,
	SIM_EXPR_LE,
	SIM_EXPR_GT,
	SIM_EXPR_GE,
	SIM_EXPR_AND, /* a && b */
	SIM_EXPR_OR,  /* a || b */
} SimExprOp;

typedef struct SimExpr {
	SimExprOp op;
	SimLoc loc;	   /* the operator, or the operand for a leaf */
	gint64 num;	   /* NUM: the value */
	int var;	   /* VAR: the slot */
	struct SimExpr *a; /* the operand(s) (owned) */
	struct SimExpr *b;
} SimExpr;

typedef enum SimExprField {
	SIM_EXPR_FIELD_TYPE,
	SIM_EXPR_FIELD_PRIO,
	SIM_EXPR_FIELD_LEN,
	/* In a signal handler's body, with var -1: the siginfo of the signal it handles. */
	SIM_EXPR_FIELD_SI_SIGNO,
	SIM_EXPR_FIELD_SI_CODE,
	SIM_EXPR_FIELD_SI_PID,
	SIM_EXPR_FIELD_SI_UID,
	SIM_EXPR_FIELD_SI_VALUE,
	SIM_EXPR_FIELD_SI_STATUS,
	/* self.pid, with var -1: the pid of the process evaluating it (getpid()), in any body;
	 * a handler's body compares it with si.pid to tell a signal it sent itself. */
	SIM_EXPR_FIELD_SELF_PID,
	/* struct msqid_ds, as `msgctl q stat -> st` fills it: st.perm.key ... st.lrpid. A
	 * variable keeps them as SIM_DS_N numbers in this order (SimVar.ds). */
	SIM_EXPR_FIELD_DS_KEY, /* msg_perm.__key */
	SIM_EXPR_FIELD_DS_UID, /* msg_perm.uid, gid, cuid, cgid, mode, __seq */
	SIM_EXPR_FIELD_DS_GID,
	SIM_EXPR_FIELD_DS_CUID,
	SIM_EXPR_FIELD_DS_CGID,
	SIM_EXPR_FIELD_DS_MODE,
	SIM_EXPR_FIELD_DS_SEQ,
	SIM_EXPR_FIELD_DS_STIME, /* msg_stime, rtime, ctime: seconds since the Epoch */
	SIM_EXPR_FIELD_DS_RTIME,
	SIM_EXPR_FIELD_DS_CTIME,
	SIM_EXPR_FIELD_DS_CBYTES, /* msg_cbytes, qnum, qbytes, lspid, lrpid */
	SIM_EXPR_FIELD_DS_QNUM,
	SIM_EXPR_FIELD_DS_QBYTES,
	SIM_EXPR_FIELD_DS_LSPID,
	SIM_EXPR_FIELD_DS_LRPID,
	SIM_EXPR_FIELD_END,
} SimExprField;

#define SIM_DS_N (SIM_EXPR_FIELD_END - SIM_EXPR_FIELD_DS_KEY)

typedef enum SimExprFault {
	SIM_EXPR_FINE,	   /* no fault */
	SIM_EXPR_DIV_ZERO, /* a / 0 or a % 0 */
	SIM_EXPR_OVERFLOW, /* the result does not fit in 64 signed bits */
} SimExprFault;

/* Where the variables of an evaluation come from: var(ctx, slot) is an integer variable's
 * value, field(ctx, slot, f) a field of the message in a variable, index the replica index. */
typedef struct SimExprEnv {
	gint64 (*var)(const void *ctx, int slot);
	gint64 (*field)(const void *ctx, int slot, SimExprField f);
	const void *ctx;
	gint64 index;
} SimExprEnv;

/* Lifecycle */
SimExpr *sim_expr_new(SimExprOp op, SimLoc loc);
void sim_expr_free(SimExpr *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimExpr, sim_expr_free)

/* Queries */
/* TRUE when e names no variable, field or replica index: its value is known before the run. */
gboolean sim_expr_is_const(const SimExpr *e);
/* Evaluates e (env may be NULL for a constant tree). FALSE on a fault: *fault says which and
 * *at is the node that made it. */
gboolean sim_expr_eval(const SimExpr *e, const SimExprEnv *env, gint64 *out, SimExprFault *fault,
		       const SimExpr **at);
/* "divides by zero", "overflows 64 bits": a fault for people. */
const char *sim_expr_fault_text(SimExprFault fault);
/* The operator's symbol ("+", "<="), or "" for a leaf. */
const char *sim_expr_op_text(SimExprOp op);

#endif /* MSGSIM_EXPR_H */

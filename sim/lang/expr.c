/* expr.c — evaluating the language's integer expressions (expr.h).
 *
 * The one design choice to know: nothing here is undefined behaviour. Every operation that
 * C leaves undefined on 64-bit integers (overflow, INT64_MIN / -1, a zero divisor) is
 * checked before it is made and becomes a fault that names its node, so a scenario with a
 * bad expression stops with a clear message instead of computing garbage.
 */
#include "msgsim/lang/expr.h"

SimExpr *sim_expr_new(SimExprOp op, SimLoc loc)
{
	SimExpr *e = g_new0(SimExpr, 1);
	e->op = op;
	e->loc = loc;
	e->var = -1;
	return e;
}

void sim_expr_free(SimExpr *e)
{
	if (!e)
		return;
	sim_expr_free(e->a);
	sim_expr_free(e->b);
	g_free(e);
}

gboolean sim_expr_is_const(const SimExpr *e)
{
	if (!e)
		return TRUE;
	if (e->op == SIM_EXPR_VAR || e->op == SIM_EXPR_INDEX || e->op == SIM_EXPR_FIELD ||
	    e->op == SIM_EXPR_FTOK)
		return FALSE;
	return sim_expr_is_const(e->a) && sim_expr_is_const(e->b);
}

const char *sim_expr_fault_text(SimExprFault fault)
{
	switch (fault) {
	case SIM_EXPR_FINE:
		return "is fine";
	case SIM_EXPR_DIV_ZERO:
		return "divides by zero";
	case SIM_EXPR_OVERFLOW:
		return "overflows (the result does not fit in 64 signed bits)";
	}
	return "?";
}

const char *sim_expr_op_text(SimExprOp op)
{
	static const char *const text[] = {
		[SIM_EXPR_NUM] = "",   [SIM_EXPR_VAR] = "",  [SIM_EXPR_INDEX] = "",
		[SIM_EXPR_FIELD] = "", [SIM_EXPR_FTOK] = "", [SIM_EXPR_NEG] = "-",
		[SIM_EXPR_NOT] = "!",  [SIM_EXPR_ADD] = "+", [SIM_EXPR_SUB] = "-",
		[SIM_EXPR_MUL] = "*",  [SIM_EXPR_DIV] = "/", [SIM_EXPR_MOD] = "%",
		[SIM_EXPR_EQ] = "==",  [SIM_EXPR_NE] = "!=", [SIM_EXPR_LT] = "<",
		[SIM_EXPR_LE] = "<=",  [SIM_EXPR_GT] = ">",  [SIM_EXPR_GE] = ">=",
		[SIM_EXPR_AND] = "&&", [SIM_EXPR_OR] = "||",
	};
	return (guint)op < G_N_ELEMENTS(text) ? text[op] : "?";
}

typedef struct {
	const SimExprEnv *env;
	SimExprFault fault;
	const SimExpr *at;
} Eval;

static gboolean fail(Eval *ev, const SimExpr *e, SimExprFault f)
{
	ev->fault = f;
	ev->at = e;
	return FALSE;
}

/* The binary arithmetic operators, checked. */
static gboolean arith(Eval *ev, const SimExpr *e, gint64 a, gint64 b, gint64 *out)
{
	switch (e->op) {
	case SIM_EXPR_ADD:
		return !__builtin_add_overflow(a, b, out) || fail(ev, e, SIM_EXPR_OVERFLOW);
	case SIM_EXPR_SUB:
		return !__builtin_sub_overflow(a, b, out) || fail(ev, e, SIM_EXPR_OVERFLOW);
	case SIM_EXPR_MUL:
		return !__builtin_mul_overflow(a, b, out) || fail(ev, e, SIM_EXPR_OVERFLOW);
	case SIM_EXPR_DIV:
	case SIM_EXPR_MOD:
		if (b == 0)
			return fail(ev, e, SIM_EXPR_DIV_ZERO);
		if (a == G_MININT64 && b == -1) /* the quotient is 2^63 */
			return e->op == SIM_EXPR_MOD ? (*out = 0, TRUE)
						     : fail(ev, e, SIM_EXPR_OVERFLOW);
		*out = e->op == SIM_EXPR_DIV ? a / b : a % b;
		return TRUE;
	case SIM_EXPR_EQ:
		*out = a == b;
		return TRUE;
	case SIM_EXPR_NE:
		*out = a != b;
		return TRUE;
	case SIM_EXPR_LT:
		*out = a < b;
		return TRUE;
	case SIM_EXPR_LE:
		*out = a <= b;
		return TRUE;
	case SIM_EXPR_GT:
		*out = a > b;
		return TRUE;
	case SIM_EXPR_GE:
		*out = a >= b;
		return TRUE;
	default:
		break;
	}
	g_assert_not_reached();
	return FALSE;
}

/* Recursion is bounded by the parser, which caps how deeply an expression nests. */
static gboolean eval(Eval *ev, const SimExpr *e, gint64 *out)
{
	gint64 a = 0, b = 0;
	switch (e->op) {
	case SIM_EXPR_NUM:
	case SIM_EXPR_FTOK:
		*out = e->num;
		return TRUE;
	case SIM_EXPR_VAR:
		g_assert(ev->env && ev->env->var);
		*out = ev->env->var(ev->env->ctx, e->var);
		return TRUE;
	case SIM_EXPR_INDEX:
		g_assert(ev->env);
		*out = ev->env->index;
		return TRUE;
	case SIM_EXPR_FIELD:
		g_assert(ev->env && ev->env->field);
		*out = ev->env->field(ev->env->ctx, e->var, (SimExprField)e->num);
		return TRUE;
	case SIM_EXPR_NEG:
		if (!eval(ev, e->a, &a))
			return FALSE;
		if (a == G_MININT64)
			return fail(ev, e, SIM_EXPR_OVERFLOW);
		*out = -a;
		return TRUE;
	case SIM_EXPR_NOT:
		if (!eval(ev, e->a, &a))
			return FALSE;
		*out = !a;
		return TRUE;
	case SIM_EXPR_AND:
	case SIM_EXPR_OR:
		if (!eval(ev, e->a, &a))
			return FALSE;
		if ((e->op == SIM_EXPR_AND) != (a != 0)) { /* the left side decides */
			*out = a != 0;
			return TRUE;
		}
		if (!eval(ev, e->b, &b))
			return FALSE;
		*out = b != 0;
		return TRUE;
	default:
		break;
	}
	if (!eval(ev, e->a, &a) || !eval(ev, e->b, &b))
		return FALSE;
	return arith(ev, e, a, b, out);
}

gboolean sim_expr_eval(const SimExpr *e, const SimExprEnv *env, gint64 *out, SimExprFault *fault,
		       const SimExpr **at)
{
	Eval ev = { env, SIM_EXPR_FINE, NULL };
	gint64 v = 0;
	gboolean ok = eval(&ev, e, &v);
	if (ok)
		*out = v;
	if (fault)
		*fault = ev.fault;
	if (at)
		*at = ev.at;
	return ok;
}

/* real_hkill.c — the kills a handler's body makes, made by the worker's real handler.
 *
 * A scenario's handler body may send signals (`on SIGUSR1 handler { kill main SIGUSR2 }`).
 * The model runs the body when the task runs; the kernel's process must send them from
 * inside its handler, at the moment the kernel runs it, and not as a later command of the
 * worker, which may be asleep in the call the signal interrupted. So the sigaction that
 * installs such a handler hands the worker the body's kills as a program (the target task
 * and the signal of each, in order, and the body's `if`s as conditions in postfix over
 * numbers, the siginfo and getpid(), with forward jumps), and the handler runs it, kill(2),
 * getpid(2) and clock_gettime(2) being async-signal-safe and the rest plain arithmetic on
 * a stack of its own.
 *
 * The one design choice to know: what the handler needs to know at that moment, and what
 * it found, lives in a page shared by the coordinator and all its workers (made before the
 * first worker is forked): the coordinator keeps each task's real pid there, as it knows it
 * when the model's body runs, and the handler appends each kill's result to a log there,
 * which the coordinator reads to compare with the model's kill, with the time it was made
 * (a free run orders the model's kill by it). Only kills and `if`s the handler can decide
 * are such a program (xcheck_handler.c refuses any other call in a body).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include "msgsim/real/real.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "real/real_int.h"

#define HK_LOG SIM_REAL_HKILL_LOG

typedef struct HkRec {
	gint32 by;   /* the process whose handler made the kill */
	gint32 task; /* its target, the model's task */
	gint32 sig;
	gint32 err; /* 0, or kill's errno */
	gint64 at_us; /* when it was made (CLOCK_MONOTONIC, as g_get_monotonic_time) */
} HkRec;

typedef struct HkPage {
	gint32 pid[SIM_REAL_HKILL_TASKS]; /* each task's real pid, as the coordinator knows it */
	guint32 n;			  /* records appended so far (may pass HK_LOG) */
	HkRec log[HK_LOG];
} HkPage;

static HkPage *hk; /* shared */

/* One step of a body's program: a kill, or a piece of an `if` (its condition in postfix,
 * then a jump past the block when it is 0). */
typedef enum { HK_KILL, HK_NUM, HK_FIELD, HK_UNARY, HK_BINARY, HK_JZ, HK_JMP } HkOp;
typedef struct HkIns {
	gint32 op;   /* HkOp */
	gint32 a;    /* KILL: the task; FIELD: which; UNARY, BINARY: the operator; J*: target */
	gint64 v;    /* KILL: the signal; NUM: the value */
} HkIns;

/* A value of the condition being computed, and whether computing it faulted. */
typedef struct HkVal {
	gint64 v;
	gboolean fault;
} HkVal;

/* This worker's programs, by signal. fork copies them. */
static HkIns prog[65][SIM_REAL_HKILL_INS];
static int n_prog[65];

/* Reads one token of a program's text into *ins; FALSE when it is malformed. The jumps
 * are checked once the whole program is read. */
static gboolean parse_token(const char *p, const char **end, HkIns *ins)
{
	char *e = NULL;
	const char *num = p + 1;
	switch (*p) {
	case '#':
		ins->op = HK_NUM;
		ins->v = g_ascii_strtoll(num, &e, 10);
		break;
	case 'f':
	case 'u':
	case 'b':
	case 'z':
	case 'j':
		ins->op = *p == 'f' ? HK_FIELD : *p == 'u' ? HK_UNARY : *p == 'b' ? HK_BINARY
					: *p == 'z' ? HK_JZ : HK_JMP;
		ins->a = (gint32)strtol(num, &e, 10);
		break;
	default: {
		long task = strtol(p, &e, 10);
		if (e == p || *e != ':' || task < 0 || task >= SIM_REAL_HKILL_TASKS)
			return FALSE;
		num = e + 1;
		long s = strtol(num, &e, 10);
		if (s < 0 || s > 64)
			return FALSE;
		ins->op = HK_KILL;
		ins->a = (gint32)task;
		ins->v = s;
	}
	}
	if (e == num || (*e && *e != ' '))
		return FALSE;
	*end = e;
	return TRUE;
}

gboolean sim_real_hkill_program(int sig, const char *text)
{
	if (sig <= 0 || sig > 64)
		return FALSE;
	n_prog[sig] = 0;
	const char *p = text;
	int kills = 0;
	while (p && *p) {
		HkIns ins = { 0 };
		if (n_prog[sig] >= SIM_REAL_HKILL_INS || !parse_token(p, &p, &ins))
			return n_prog[sig] = 0, FALSE;
		if (ins.op == HK_KILL && ++kills > SIM_REAL_HKILL_MAX)
			return n_prog[sig] = 0, FALSE;
		prog[sig][n_prog[sig]++] = ins;
		while (*p == ' ')
			p++;
	}
	for (int i = 0; i < n_prog[sig]; i++) {
		const HkIns *in = &prog[sig][i];
		if ((in->op == HK_JZ || in->op == HK_JMP) && (in->a <= i || in->a > n_prog[sig]))
			return n_prog[sig] = 0, FALSE; /* only forward: the program ends */
	}
	return TRUE;
}

/* The siginfo field f (SimExprField's order from si.signo; 6 is self.pid). */
static gint64 field(int sig, const siginfo_t *si, gint32 f)
{
	switch (f) {
	case 0:
		return sig;
	case 1:
		return si ? si->si_code : 0;
	case 2:
		return si ? si->si_pid : 0;
	case 3:
		return si ? si->si_uid : 0;
	case 4:
		return si && si->si_code < 0 ? si->si_value.sival_int : 0;
	case 5:
		return si && sig == SIGCHLD ? si->si_status : 0;
	default:
		return getpid();
	}
}

/* a OP b as the model's expressions compute it (expr.h): 64-bit, and a division by zero
 * or an overflow is a fault; && and || do not look at b's fault when a decides. */
static HkVal binary(gint32 op, HkVal a, HkVal b)
{
	HkVal r = { 0, a.fault };
	if (op == SIM_REAL_HK_AND || op == SIM_REAL_HK_OR) {
		gboolean decided = op == SIM_REAL_HK_AND ? a.v == 0 : a.v != 0;
		if (a.fault || decided)
			return (HkVal){ op == SIM_REAL_HK_OR && !a.fault, a.fault };
		return (HkVal){ b.v != 0, b.fault };
	}
	if (a.fault || b.fault)
		return (HkVal){ 0, TRUE };
	switch (op) {
	case SIM_REAL_HK_ADD:
		r.fault = __builtin_add_overflow(a.v, b.v, &r.v);
		break;
	case SIM_REAL_HK_SUB:
		r.fault = __builtin_sub_overflow(a.v, b.v, &r.v);
		break;
	case SIM_REAL_HK_MUL:
		r.fault = __builtin_mul_overflow(a.v, b.v, &r.v);
		break;
	case SIM_REAL_HK_DIV:
	case SIM_REAL_HK_MOD:
		if (b.v == 0 || (a.v == G_MININT64 && b.v == -1))
			return (HkVal){ 0, TRUE };
		r.v = op == SIM_REAL_HK_DIV ? a.v / b.v : a.v % b.v;
		break;
	case SIM_REAL_HK_EQ:
		r.v = a.v == b.v;
		break;
	case SIM_REAL_HK_NE:
		r.v = a.v != b.v;
		break;
	case SIM_REAL_HK_LT:
		r.v = a.v < b.v;
		break;
	case SIM_REAL_HK_LE:
		r.v = a.v <= b.v;
		break;
	case SIM_REAL_HK_GT:
		r.v = a.v > b.v;
		break;
	default:
		r.v = a.v >= b.v;
		break;
	}
	return r;
}

gboolean sim_real_hkill_prepare(GError **error)
{
	if (hk)
		return TRUE;
	void *p = mmap(NULL, sizeof(HkPage), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		       0);
	if (p == MAP_FAILED) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot share the handlers' page: mmap: %s", g_strerror(errno));
		return FALSE;
	}
	hk = p;
	return TRUE;
}

void sim_real_hkill_reset(void)
{
	if (hk)
		memset(hk, 0, sizeof(*hk));
}

void sim_real_hkill_set_pid(int task, pid_t pid)
{
	if (hk && task >= 0 && task < SIM_REAL_HKILL_TASKS)
		__atomic_store_n(&hk->pid[task], (gint32)pid, __ATOMIC_RELEASE);
}

/* The kill at step i of sig's program: made, and logged. */
static void kill_one(const HkIns *in)
{
	pid_t pid = __atomic_load_n(&hk->pid[in->a], __ATOMIC_ACQUIRE);
	/* Never 0 or below (a process group): a task with no process is ESRCH. */
	int err = pid <= 0 ? ESRCH : kill(pid, (int)in->v) < 0 ? errno : 0;
	guint32 at = __atomic_fetch_add(&hk->n, 1, __ATOMIC_ACQ_REL);
	if (at >= HK_LOG)
		return; /* the coordinator finds no record: a failed run, not a wrong one */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	hk->log[at] = (HkRec){ .by = (gint32)getpid(),
			       .task = in->a,
			       .sig = (gint32)in->v,
			       .err = err,
			       .at_us = (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 };
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void sim_real_hkill_run(int sig, const siginfo_t *si)
{
	if (!hk || sig <= 0 || sig > 64)
		return;
	int saved = errno;
	HkVal stack[SIM_REAL_HKILL_INS];
	int sp = 0;
	for (int i = 0; i < n_prog[sig]; i++) {
		const HkIns *in = &prog[sig][i];
		switch ((HkOp)in->op) {
		case HK_KILL:
			kill_one(in);
			break;
		case HK_NUM:
		case HK_FIELD:
			stack[sp++] = (HkVal){ in->op == HK_NUM ? in->v : field(sig, si, in->a),
					       FALSE };
			break;
		case HK_UNARY:
			if (sp < 1)
				goto out;
			if (in->a == SIM_REAL_HK_NOT)
				stack[sp - 1].v = stack[sp - 1].v == 0;
			else if (stack[sp - 1].v == G_MININT64)
				stack[sp - 1].fault = TRUE;
			else
				stack[sp - 1].v = -stack[sp - 1].v;
			break;
		case HK_BINARY:
			if (sp < 2)
				goto out;
			stack[sp - 2] = binary(in->a, stack[sp - 2], stack[sp - 1]);
			sp--;
			break;
		case HK_JZ:
			/* A condition that faulted ends the model's run: nothing more is made. */
			if (sp < 1 || stack[--sp].fault)
				goto out;
			if (stack[sp].v == 0)
				i = in->a - 1;
			break;
		case HK_JMP:
			i = in->a - 1;
			break;
		}
	}
out:
	errno = saved;
}

/* The first record of by's kill of task with sig not taken yet, or -1; *out gets a copy
 * of it (the handlers write the log from other processes). */
static int first_untaken(pid_t by, int task, int sig, const guchar *taken, HkRec *out)
{
	guint32 n = MIN(__atomic_load_n(&hk->n, __ATOMIC_ACQUIRE), (guint32)HK_LOG);
	for (guint32 i = 0; i < n; i++) {
		HkRec r = hk->log[i];
		if (taken[i] || r.by != (gint32)by || r.task != task || r.sig != sig ||
		    r.at_us == 0)
			continue;
		*out = r;
		return (int)i;
	}
	return -1;
}

int sim_real_hkill_find(pid_t by, int task, int sig, guchar *taken, int *err, gint64 *at_us)
{
	if (!hk)
		return -1;
	HkRec r;
	int i = first_untaken(by, task, sig, taken, &r);
	if (i < 0)
		return 0;
	taken[i] = 1;
	*err = r.err;
	if (at_us)
		*at_us = r.at_us;
	return 1;
}

gint64 sim_real_hkill_pending_since(const guchar *taken)
{
	gint64 first = G_MAXINT64;
	if (!hk)
		return first;
	guint32 n = MIN(__atomic_load_n(&hk->n, __ATOMIC_ACQUIRE), (guint32)HK_LOG);
	for (guint32 i = 0; i < n; i++) {
		gint64 at = hk->log[i].at_us;
		if (!taken[i] && at != 0)
			first = MIN(first, at);
	}
	return first;
}

gboolean sim_real_hkill_untaken(guchar *taken, guint *from, pid_t *by, int *task, int *sig)
{
	if (!hk)
		return FALSE;
	guint32 n = MIN(__atomic_load_n(&hk->n, __ATOMIC_ACQUIRE), (guint32)HK_LOG);
	for (; *from < n; (*from)++) {
		HkRec r = hk->log[*from];
		if (taken[*from] || r.at_us == 0)
			continue;
		taken[(*from)++] = 1;
		*by = r.by;
		*task = r.task;
		*sig = r.sig;
		return TRUE;
	}
	return FALSE;
}

int sim_real_hkill_peek(pid_t by, int task, int sig, const guchar *taken, gint64 *at_us)
{
	if (!hk)
		return -1;
	HkRec r;
	if (first_untaken(by, task, sig, taken, &r) < 0)
		return 0;
	*at_us = r.at_us;
	return 1;
}

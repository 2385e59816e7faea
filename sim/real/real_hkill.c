/* real_hkill.c — the kills a handler's body makes, made by the worker's real handler.
 *
 * A scenario's handler body may send signals (`on SIGUSR1 handler { kill main SIGUSR2 }`).
 * The model runs the body when the task runs; the kernel's process must send them from
 * inside its handler, at the moment the kernel runs it, and not as a later command of the
 * worker, which may be asleep in the call the signal interrupted. So the sigaction that
 * installs such a handler hands the worker the body's kills as a program (the target task
 * and the signal of each, in order), and the handler makes them, kill(2) being
 * async-signal-safe.
 *
 * The one design choice to know: what the handler needs to know at that moment, and what
 * it found, lives in a page shared by the coordinator and all its workers (made before the
 * first worker is forked): the coordinator keeps each task's real pid there, as it knows it
 * when the model's body runs, and the handler appends each kill's result to a log there,
 * which the coordinator reads to compare with the model's kill. Only top-level kills of a
 * body are such a program (xcheck_handler.c refuses any other call in a body).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include "msgsim/real/real.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "real/real_int.h"

#define HK_LOG SIM_REAL_HKILL_LOG

typedef struct HkRec {
	gint32 by;   /* the process whose handler made the kill */
	gint32 task; /* its target, the model's task */
	gint32 sig;
	gint32 err; /* 0, or kill's errno */
} HkRec;

typedef struct HkPage {
	gint32 pid[SIM_REAL_HKILL_TASKS]; /* each task's real pid, as the coordinator knows it */
	guint32 n;			  /* records appended so far (may pass HK_LOG) */
	HkRec log[HK_LOG];
} HkPage;

static HkPage *hk; /* shared */

/* This worker's programs, by signal: (task, signal) pairs. fork copies them. */
static gint32 prog[65][SIM_REAL_HKILL_MAX][2];
static int n_prog[65];

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

void sim_real_hkill_set_pid(int task, pid_t pid)
{
	if (hk && task >= 0 && task < SIM_REAL_HKILL_TASKS)
		__atomic_store_n(&hk->pid[task], (gint32)pid, __ATOMIC_RELEASE);
}

gboolean sim_real_hkill_program(int sig, const char *text)
{
	if (sig <= 0 || sig > 64)
		return FALSE;
	n_prog[sig] = 0;
	const char *p = text;
	while (p && *p) {
		char *end = NULL;
		long task = strtol(p, &end, 10);
		if (end == p || *end != ':' || n_prog[sig] >= SIM_REAL_HKILL_MAX || task < 0 ||
		    task >= SIM_REAL_HKILL_TASKS)
			return FALSE;
		p = end + 1;
		long s = strtol(p, &end, 10);
		if (end == p || s < 0 || s > 64)
			return FALSE;
		prog[sig][n_prog[sig]][0] = (gint32)task;
		prog[sig][n_prog[sig]][1] = (gint32)s;
		n_prog[sig]++;
		p = end;
		while (*p == ' ')
			p++;
	}
	return TRUE;
}

void sim_real_hkill_run(int sig)
{
	if (!hk || sig <= 0 || sig > 64)
		return;
	int saved = errno;
	for (int i = 0; i < n_prog[sig]; i++) {
		gint32 task = prog[sig][i][0];
		pid_t pid = __atomic_load_n(&hk->pid[task], __ATOMIC_ACQUIRE);
		/* Never 0 or below (a process group): a task with no process is ESRCH. */
		int err = pid <= 0 ? ESRCH : kill(pid, prog[sig][i][1]) < 0 ? errno : 0;
		guint32 at = __atomic_fetch_add(&hk->n, 1, __ATOMIC_ACQ_REL);
		if (at >= HK_LOG)
			continue; /* the coordinator finds no record: a failed run, not a wrong one
				   */
		hk->log[at] = (HkRec){
			.by = (gint32)getpid(), .task = task, .sig = prog[sig][i][1], .err = err
		};
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	errno = saved;
}

int sim_real_hkill_find(pid_t by, int task, int sig, guchar *taken, int *err)
{
	if (!hk)
		return -1;
	guint32 n = MIN(__atomic_load_n(&hk->n, __ATOMIC_ACQUIRE), (guint32)HK_LOG);
	for (guint32 i = 0; i < n; i++) {
		HkRec r = hk->log[i];
		if (taken[i] || r.by != (gint32)by || r.task != task || r.sig != sig)
			continue;
		taken[i] = 1;
		*err = r.err;
		return 1;
	}
	return 0;
}

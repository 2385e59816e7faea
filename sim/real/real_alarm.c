/* real_alarm.c — the kernel's own alarm, made to come due at the moment the lockstep says.
 *
 * A worker's alarm is the kernel's: the scenario's `alarm N` is alarm(2) in the worker, and
 * SIGALRM comes from the kernel's ITIMER_REAL timer (it_real_fn), with the siginfo the
 * kernel gives it (SI_KERNEL, no pid, no uid). What the cross-check cannot do is wait N real
 * seconds for it, nor let the lockstep's own real time decide when it comes, so the moment
 * is the model's: when the model's alarm comes due, the coordinator asks the worker's
 * process to let its pending alarm expire now, and the kernel expires it.
 *
 * The one design choice to know: only the worker's own process can touch its ITIMER_REAL,
 * and its thread making the scenario's calls may be asleep in one of them, so the request
 * goes to the worker's other thread, the lifeline (real.c): the coordinator sends the
 * process SIGRTMAX, which every thread blocks but that one, whose handler re-arms the
 * pending alarm to one microsecond (setitimer, as alarm(2) itself arms it), waits until the
 * timer is no longer active - by then it_real_fn has sent SIGALRM - and answers through a
 * page of memory shared by the coordinator and all its workers (made before the first worker
 * is forked, so a worker's forks share it too). It answers twice: once armed (or with no
 * alarm pending, which the kernel then had where the model had one), once the signal is
 * sent. A SIGALRM whose default action ends the process ends the handler with it, so the
 * second answer is then the process's death.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include "msgsim/real/real.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#include "real/real_int.h"

/* The answer to the last request: a sequence number bumped twice per request (armed, then
 * sent), and what the answer was (1: the alarm was made to expire, 0: none was pending). */
typedef struct AlarmAck {
	guint32 seq;
	gint32 fired;
} AlarmAck;

static AlarmAck *ack; /* shared: the coordinator's and every worker's */

gboolean sim_real_alarm_prepare(GError **error)
{
	if (ack)
		return TRUE;
	void *p = mmap(NULL, sizeof(AlarmAck), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	if (p == MAP_FAILED) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot share the alarm's answer page: mmap: %s", g_strerror(errno));
		return FALSE;
	}
	ack = p;
	return TRUE;
}

static gboolean pending(struct itimerval *cur)
{
	return getitimer(ITIMER_REAL, cur) == 0 &&
	       (cur->it_value.tv_sec != 0 || cur->it_value.tv_usec != 0);
}

/* The lifeline thread's handler. Async-signal-safe: getitimer, setitimer and nanosleep are
 * plain system calls; errno is kept for the read the signal interrupted. */
static void on_due(int signo)
{
	(void)signo;
	int saved = errno;
	struct itimerval cur;
	gint32 fired = 0;
	if (pending(&cur))
		fired = 1;
	ack->fired = fired;
	__atomic_add_fetch(&ack->seq, 1, __ATOMIC_RELEASE);
	if (fired) {
		const struct itimerval soon = { { 0, 0 }, { 0, 1 } };
		setitimer(ITIMER_REAL, &soon, NULL);
		/* getitimer says 1 us while the timer is still queued or its function runs;
		 * 0 once it ran, and it_real_fn sends SIGALRM before it returns. */
		while (pending(&cur)) {
			const struct timespec pause = { 0, 20000 };
			nanosleep(&pause, NULL);
		}
	}
	__atomic_add_fetch(&ack->seq, 1, __ATOMIC_RELEASE);
	errno = saved;
}

void sim_real_alarm_worker(sigset_t *main_mask)
{
	if (!ack)
		return; /* no coordinator will ask: SIGRTMAX keeps its default */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_due;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	sigaction(SIGRTMAX, &sa, NULL);
	sigaddset(main_mask, SIGRTMAX);
}

void sim_real_alarm_lifeline(void)
{
	sigset_t due;
	sigemptyset(&due);
	sigaddset(&due, SIGRTMAX);
	pthread_sigmask(SIG_UNBLOCK, &due, NULL);
}

/* Both answers came; or the first, and the process is dying of the signal sent. */
static gboolean answered(pid_t pid, guint32 before)
{
	guint32 n = __atomic_load_n(&ack->seq, __ATOMIC_ACQUIRE) - before;
	return n >= 2 || (n == 1 && (sim_real_pid_zombie(pid) || kill(pid, 0) < 0));
}

int sim_real_alarm_fire(pid_t pid, int timeout_ms, GError **error)
{
	g_return_val_if_fail(ack != NULL && pid > 0, -1);
	guint32 before = __atomic_load_n(&ack->seq, __ATOMIC_ACQUIRE);
	if (kill(pid, SIGRTMAX) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot let the alarm of pid %d come due: kill: %s", (int)pid,
			    g_strerror(errno));
		return -1;
	}
	gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_ms, 0) * 1000;
	for (gint64 pause = 20; !answered(pid, before); pause = MIN(pause * 2, 1000)) {
		if (g_get_monotonic_time() > deadline || !sim_real_stop_pause(pause)) {
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
				    "the alarm of pid %d did not come due within %d ms", (int)pid,
				    timeout_ms);
			return -1;
		}
	}
	return ack->fired;
}

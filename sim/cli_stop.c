/* cli_stop.c — a stop signal ends `msgsim run` with its trace and report written.
 *
 * Without it, Ctrl-C in a long traced run lost the batches not yet written and the report,
 * and left a trace cut in the middle of a line. The handler only asks the world to stop
 * (sim_world_stop stores one flag, which the run loop reads after every statement, past
 * the calls of a step, so no register keeps an old copy); everything else (the report, the
 * flush of the trace and its writer thread, closing the file) runs on the normal path
 * afterwards. SA_RESETHAND makes a second signal act at once; a signal the process was
 * started with ignored (a background job's SIGINT) stays ignored.
 */
#include "cli_stop.h"

#include <signal.h>
#include <string.h>

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction stop_old[G_N_ELEMENTS(stop_signals)];
static gboolean stop_set[G_N_ELEMENTS(stop_signals)];
static SimWorld *volatile stop_world;
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	if (!stop_signal)
		stop_signal = sig;
	if (stop_world)
		sim_world_stop(stop_world);
}

void sim_cli_stop_begin(SimWorld *w)
{
	stop_world = w;
	stop_signal = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = (int)(SA_RESTART | SA_RESETHAND);
	sigemptyset(&sa.sa_mask);
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++) {
		stop_set[i] = FALSE;
		if (sigaction(stop_signals[i], NULL, &stop_old[i]) != 0 ||
		    stop_old[i].sa_handler == SIG_IGN)
			continue;
		stop_set[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
	}
}

int sim_cli_stop_end(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++)
		if (stop_set[i]) {
			sigaction(stop_signals[i], &stop_old[i], NULL);
			stop_set[i] = FALSE;
		}
	stop_world = NULL;
	return stop_signal;
}

void sim_cli_stop_die(int sig)
{
	if (!sig)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

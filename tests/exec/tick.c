/* tick.c — a periodic ITIMER_REAL timer whose SIGALRM is ignored, and a pause nothing ends:
 * natively it hangs; under `msgsim exec` the virtual clock would run on for ever, so the
 * run stops at --max-steps (each firing counts as a step). */
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
	signal(SIGALRM, SIG_IGN);
	struct itimerval it = { { 1, 0 }, { 1, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	pause();
	return 0;
}

/* signal.c — the standard signals' default actions, one table by number.
 *
 * The design choice to know: the table is signal(7)'s "Standard signals" one, so that a
 * reader checks it line by line against the manual; the kernel's own masks
 * (SIG_KERNEL_COREDUMP_MASK, _IGNORE_MASK, _STOP_MASK) say the same.
 */
#include "msgsim/kernel/signal.h"

#include <signal.h>

static const guint8 defaults[SIM_SIG_STD_LAST + 1] = {
	[SIGHUP] = SIM_SIGDFL_TERM,    [SIGINT] = SIM_SIGDFL_TERM,    [SIGQUIT] = SIM_SIGDFL_CORE,
	[SIGILL] = SIM_SIGDFL_CORE,    [SIGTRAP] = SIM_SIGDFL_CORE,   [SIGABRT] = SIM_SIGDFL_CORE,
	[SIGBUS] = SIM_SIGDFL_CORE,    [SIGFPE] = SIM_SIGDFL_CORE,    [SIGKILL] = SIM_SIGDFL_TERM,
	[SIGUSR1] = SIM_SIGDFL_TERM,   [SIGSEGV] = SIM_SIGDFL_CORE,   [SIGUSR2] = SIM_SIGDFL_TERM,
	[SIGPIPE] = SIM_SIGDFL_TERM,   [SIGALRM] = SIM_SIGDFL_TERM,   [SIGTERM] = SIM_SIGDFL_TERM,
	[SIGSTKFLT] = SIM_SIGDFL_TERM, [SIGCHLD] = SIM_SIGDFL_IGN,    [SIGCONT] = SIM_SIGDFL_CONT,
	[SIGSTOP] = SIM_SIGDFL_STOP,   [SIGTSTP] = SIM_SIGDFL_STOP,   [SIGTTIN] = SIM_SIGDFL_STOP,
	[SIGTTOU] = SIM_SIGDFL_STOP,   [SIGURG] = SIM_SIGDFL_IGN,     [SIGXCPU] = SIM_SIGDFL_CORE,
	[SIGXFSZ] = SIM_SIGDFL_CORE,   [SIGVTALRM] = SIM_SIGDFL_TERM, [SIGPROF] = SIM_SIGDFL_TERM,
	[SIGWINCH] = SIM_SIGDFL_IGN,   [SIGIO] = SIM_SIGDFL_TERM,     [SIGPWR] = SIM_SIGDFL_TERM,
	[SIGSYS] = SIM_SIGDFL_CORE,
};
G_STATIC_ASSERT(SIGSYS == SIM_SIG_STD_LAST);

SimSigDefault sim_signal_default(int sig)
{
	g_return_val_if_fail(sig >= 1 && sig <= SIM_SIG_STD_LAST, SIM_SIGDFL_TERM);
	return (SimSigDefault)defaults[sig];
}

gboolean sim_signal_default_kills(int sig)
{
	SimSigDefault d = sim_signal_default(sig);
	return d == SIM_SIGDFL_TERM || d == SIM_SIGDFL_CORE;
}

const char *sim_signal_default_name(SimSigDefault d)
{
	static const char *const names[] = { "term", "core", "ignore", "stop", "continue" };
	return (guint)d < G_N_ELEMENTS(names) ? names[d] : "?";
}

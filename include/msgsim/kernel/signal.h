/* signal.h — the standard signals, 1 to 31 as Linux numbers them, and what each does by
 * default (signal(7), the kernel's SIG_KERNEL_*_MASK sets in include/linux/signal.h).
 *
 * The one design choice to know: stopped is a mark on a task, not a state of its own
 * (task.h `stopped_by`): a stop signal's default action (SIGSTOP, SIGTSTP, SIGTTIN,
 * SIGTTOU) sets it and SIGCONT clears it, and the scheduler parks a stopped task instead of
 * queueing it (world.c, sched.c). A default action that dumps core
 * ends the task as termination does; the trace says "core" so the reader sees the kind,
 * though no file is written (as with RLIMIT_CORE 0).
 */
#ifndef MSGSIM_SIGNAL_H
#define MSGSIM_SIGNAL_H

#include "msgsim/base.h"

/* The last standard signal; real-time signals are not modelled. */
#define SIM_SIG_STD_LAST 31

/* A signal's default action (SIG_DFL). */
typedef enum SimSigDefault {
	SIM_SIGDFL_TERM, /* the process ends, killed by the signal */
	SIM_SIGDFL_CORE, /* it ends as with TERM, and would dump core */
	SIM_SIGDFL_IGN,	 /* nothing happens: SIGCHLD, SIGURG, SIGWINCH */
	SIM_SIGDFL_STOP, /* it stops: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU */
	SIM_SIGDFL_CONT, /* it goes on if stopped, and nothing else: SIGCONT */
} SimSigDefault;

/* Queries */
/* The default action of signal sig (1 to SIM_SIG_STD_LAST). */
SimSigDefault sim_signal_default(int sig);
/* Does the default action end the process (TERM or CORE)? */
gboolean sim_signal_default_kills(int sig);
/* "term", "core", "ignore", "stop", "continue": as signal(7)'s table names them. */
const char *sim_signal_default_name(SimSigDefault d);

#endif /* MSGSIM_SIGNAL_H */

/* ipcs.h — the IPC state of a run, printed exactly as util-linux `ipcs -q` prints it.
 *
 * Used by `msgsim ipcs FILE` (the end state of a run) and by the `ipcs` statement (the
 * state at that moment, into the trace, like the lecture's system("ipcs -q")). Views:
 * 'q' the queue table (followed by the POSIX queues when the run has any), 'p' last
 * sender/receiver pids, 't' times, 'l' limits, 'm' the POSIX queues alone: name,
 * attributes, and the QSIZE/NOTIFY line read(2) returns on a queue descriptor. Where the
 * kernel shows a pid or a user id, the run's process or user name is shown instead when it
 * has one, so a student reads "sender", not 4242.
 */
#ifndef MSGSIM_IPCS_H
#define MSGSIM_IPCS_H

#include "msgsim/engine/world.h"

/* The simulated clock's zero as a calendar time, for the times the -t views show (send,
 * receive, change, operation): Monday 1 September 2025, 09:00:00 UTC, the morning of a
 * course's first lecture. A time t of the run is shown as SIM_IPCS_EPOCH + t, in whole
 * seconds, in UTC whatever the machine's zone, so the same run prints the same dates
 * anywhere; "Not set" stays for a time that never was. */
#define SIM_IPCS_EPOCH ((gint64)1756717200)

/* Appends the view ('q', 'p', 't' or 'l'; or one of the semaphore views below) of w's
 * namespace to out. */
void sim_ipcs_format(GString *out, const SimWorld *w, char view);

/* Semaphore sets (ipcs_sem.c): ipcs -s, ipcs -s -t, ipcs -s -l. */
#define SIM_IPCS_SEM 's'
#define SIM_IPCS_SEM_TIMES 'T'
#define SIM_IPCS_SEM_LIMITS 'L'
void sim_ipcs_format_sem(GString *out, const SimWorld *w, char view);

/* Shared memory segments (ipcs_shm.c): ipcs -m, ipcs -m -p, ipcs -m -l. */
#define SIM_IPCS_SHM 'M'
#define SIM_IPCS_SHM_PIDS 'P'
#define SIM_IPCS_SHM_LIMITS 'N'
void sim_ipcs_format_shm(GString *out, const SimWorld *w, char view);

/* All three (ipcs.c): ipcs -a (queues, segments, sets) and ipcs -a -l (their limits). */
#define SIM_IPCS_ALL 'a'
#define SIM_IPCS_ALL_LIMITS 'A'

/* ipcs -c, -u and -i ID (ipcs_more.c). which: 'q' queues, 'm' segments, 's' sets, or for
 * -c and -u 'a', all three in ipcs's order (queues, segments, sets). */
void sim_ipcs_format_creators(GString *out, const SimWorld *w, char which); /* ipcs -c */
/* The views of the `ipcs -c` and `ipcs -u` statements for sim_ipcs_format: all three. */
#define SIM_IPCS_CREATORS 'C'
#define SIM_IPCS_STATUS 'U'
void sim_ipcs_format_status(GString *out, const SimWorld *w, char which);   /* ipcs -u */
/* ipcs -q|-m|-s -i ID: FALSE, and nothing appended, when no live object of that kind has
 * the id (ipcs then says "id N not found"). */
gboolean sim_ipcs_format_id(GString *out, const SimWorld *w, char which, int id);
/* /proc/sysvipc/msg (ipcs_proc.c), as ipc/msg.c prints it: the view of `msgsim ipcs --proc`
 * and of the `cat "/proc/sysvipc/msg"` statement. pid(ctx, task) gives the pid to print for
 * a task index (-1: none, printed as the kernel prints an unset pid). */
#define SIM_IPCS_PROC_MSG 'r'
typedef int (*SimIpcsPidFn)(const void *ctx, int task);
struct SimIpcNs;
void sim_ipcs_proc_msg(GString *out, const struct SimIpcNs *ns, SimIpcsPidFn pid,
		       const void *ctx);
/* The same for a run's namespace, with its processes' pids. */
void sim_ipcs_format_proc(GString *out, const SimWorld *w);

#endif /* MSGSIM_IPCS_H */

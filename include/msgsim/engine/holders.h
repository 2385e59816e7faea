/* holders.h — who holds each end of a pipe or FIFO, read off the descriptor tables.
 *
 * The design choice to know: holders are never counted as the run goes; they are found
 * when asked, by a scan of every live task's descriptor table, which is what the kernel's
 * own /proc/PID/fd would show. The trace's --holders, the deadlock report and the
 * `expect pipe` expectation all ask through sim_world_pipe_holders, so that they can
 * never disagree on who holds what.
 *
 * A pipe is known to an expectation by the variable of the `pipe -> NAME` that made it;
 * the world keeps, for each (task, variable) an expectation names, the number of the pipe
 * ("pipe#N") last made into it, only when some `expect pipe` asks (sim_world_holders_init).
 * Likewise `expect P fd D mq_flags=` on a process that exits is judged on its descriptor
 * as it was just before the exit closed it, kept by sim_world_holders_exit.
 */
#ifndef MSGSIM_ENGINE_HOLDERS_H
#define MSGSIM_ENGINE_HOLDERS_H

#include "msgsim/engine/world.h"
#include "msgsim/kernel/fdtable.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"

struct SimTask;

/* Called for each descriptor that holds the asked end: the task and the descriptor. */
typedef void (*SimHolderFn)(const struct SimTask *t, guint fd, gpointer data);

/* Every descriptor of a live task open on p for reading (writers FALSE) or for writing
 * (writers TRUE; O_RDWR counts for both), in task order, then descriptor order. Returns
 * how many; fn may be NULL. */
guint sim_world_pipe_holders(const SimWorld *w, const SimPipe *p, gboolean writers,
			     SimHolderFn fn, gpointer data);
/* The live pipe named `name` ("pipe#3", or a FIFO's path) that some descriptor refers
 * to, or NULL when no descriptor does (then nobody holds it). */
const SimPipe *sim_world_find_pipe(const SimWorld *w, const char *name);

/* Made with the world: the record of pipe variables, when an expectation needs it. */
void sim_world_holders_init(SimWorld *w);
void sim_world_holders_clear(SimWorld *w);
/* `pipe -> v` in task t (slot `slot`) made pipe number n (0: it failed). */
void sim_world_pipe_made(SimWorld *w, const struct SimTask *t, int slot, guint n);
/* Task t is exiting, its descriptors still open: what each `expect t fd D mq_flags=`
 * would see is kept, for the report to judge after the run (sim_world_fd_at_exit). */
void sim_world_holders_exit(SimWorld *w, const struct SimTask *t);
/* What expectation `index` saw when its process exited: FALSE when it has not exited
 * (or no expectation asks). *fd the descriptor, *file its description then (NULL: not
 * open; only its kind and flags are meaningful). */
gboolean sim_world_fd_at_exit(const SimWorld *w, guint index, gint64 *fd, SimFile *file,
			      gboolean *open);
/* The descriptor an `expect P fd D` means in task t now: D's value or the number. */
gint64 sim_world_expect_fd(const struct SimTask *t, const SimScnExpect *e);
/* The number of the pipe last made into slot `slot` of task `task`, or 0 for none. */
guint sim_world_pipe_of_var(const SimWorld *w, int task, int slot);

#endif

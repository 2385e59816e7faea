/* wakeup.h — wake-up trees for optimal DPOR (explore.c); not public.
 *
 * A wake-up tree at a decision point is an ordered tree of steps: each path from its root
 * is a sequence of tasks' steps that the search must still run from there, to reverse a
 * race found in an earlier execution (Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic
 * Partial Order Reduction", POPL 2014). The search takes the leftmost branch first, and a
 * child's tree is the subtree under the step it took.
 *
 * The design choice to know: a step in a tree is named by its task alone (the task's next
 * step there), and keeps the footprint it had in the execution that put it in, with every
 * object named by a run-time number (a queue's id, a pipe's address) widened to all objects
 * of its kind. Such numbers may name other objects in another execution, and the widening
 * makes a comparison across executions err toward "dependent": a sequence then goes in as a
 * new branch rather than be taken for covered, which costs executions, never outcomes.
 */
#ifndef MSGSIM_WAKEUP_H
#define MSGSIM_WAKEUP_H

#include "msgsim/calls/footprint.h"

typedef struct SimWut SimWut;
struct SimWut {
	guint task;	 /* whose next step */
	SimFootprint fp; /* what it touched when it was put in (widened: see above) */
	SimWut *child;	 /* the first step after it */
	SimWut *next;	 /* its next sibling, to the right (explored later) */
};

/* The sequence a race asks for: n steps in order, with their tasks and footprints (taken
 * in one execution's world), and whether step a happens before step b (a < b) there. */
typedef struct SimWutSeq {
	guint n;
	const guint *task;
	const SimFootprint *const *fp;
	gboolean (*before)(void *data, guint a, guint b);
	void *data;
} SimWutSeq;

/* Lifecycle */
void sim_wut_free(SimWut *t); /* t and its siblings to the right, with their subtrees */
SimWut *sim_wut_copy(const SimWut *t); /* t and its siblings to the right, deep */

/* Operations */
/* fp with every run-time-numbered object widened to its whole kind (see above). */
void sim_wut_widen(SimFootprint *fp);
/* Inserts seq under *root unless a branch already covers it: a branch whose steps are,
 * one by one, either the first step of their task left in seq with nothing left of seq
 * before it, or independent of all of seq left, and that ends (a leaf) or uses seq up.
 * Otherwise what is left of seq goes in as a new rightmost branch where the walk
 * stopped. TRUE when the tree grew. */
gboolean sim_wut_insert(SimWut **root, const SimWutSeq *seq);
/* Appends a single step of task as a new rightmost branch unless one starts with it;
 * fp NULL: dependent with everything. TRUE when the tree grew. */
gboolean sim_wut_add_leaf(SimWut **root, guint task, const SimFootprint *fp);
/* The branch of root starting with task, or NULL. */
SimWut *sim_wut_find(SimWut *root, guint task);
/* Removes the branch starting with task (and frees it). */
void sim_wut_remove(SimWut **root, guint task);
/* Whether a step of fp is independent of every step of seq that alive marks (NULL: all). */
gboolean sim_wut_independent(const SimFootprint *fp, const SimWutSeq *seq, const gboolean *alive);
/* The index of task's first step in seq among those alive marks (NULL: all), or -1 when
 * it has none; *initial says whether no alive step before it happens before it. */
int sim_wut_first_of(const SimWutSeq *seq, const gboolean *alive, guint task, gboolean *initial);

#endif /* MSGSIM_WAKEUP_H */
